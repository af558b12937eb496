//! IOC003 crypto-mining.

use super::super::patterns::{MINING, matches};
use crate::context::{CodeFile, Cx};
use assay_core::{Capability, Finding, Severity};

declare_rule! {
    /// ## What it does
    /// Flags mining-pool protocols and hosts (`stratum+tcp://`, well-known Monero and
    /// multi-coin pools) and miner names/flags (`xmrig`, `--donate-level`).
    ///
    /// ## Why it matters
    /// Cryptojacking is a common payload (the 2024 Ultralytics compromise shipped an XMRig
    /// miner): it burns the victim's CPU and cloud bill.
    ///
    /// ## Example
    /// ```python
    /// subprocess.Popen(["./xmrig", "-o", "stratum+tcp://pool.example.invalid:3333"])
    /// ```
    ///
    /// ## False positives
    /// Mining software itself; such packages should be reviewed anyway.
    ///
    /// ## References
    /// - MITRE ATT&CK T1496 (Resource Hijacking)
    pub static META = CryptoMining;
}

/// Check the string literals of one Python text.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    for s in super::strings(f) {
        if matches(&MINING, &s.value).is_empty() {
            continue;
        }
        let mut x = cx.finding(
            &META,
            f.string_location(s),
            format!("mining indicator: {}", s.value.trim()),
        );
        x.severity = if f.is_test_or_doc() {
            Severity::Low
        } else if s.context.is_automatic() {
            Severity::Critical
        } else {
            Severity::High
        };
        x.context = Some(s.context);
        x.capabilities = vec![Capability::Mining];
        out.push(x);
    }
}
