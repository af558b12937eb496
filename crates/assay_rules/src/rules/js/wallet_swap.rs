//! JS003 wallet-address-swap.

use crate::context::{CodeFile, Cx};
use assay_core::{Capability, Finding, Location};
use assay_lang::EventKind;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

declare_rule! {
    /// ## What it does
    /// Flags a JavaScript file that **replaces a browser global carrying the user's
    /// traffic or wallet calls** (`window.fetch = …`, `XMLHttpRequest.prototype.open/send
    /// = …`, `window.ethereum.request = …`, `Object.defineProperty(window, 'ethereum', …)`,
    /// `new Proxy(window.ethereum, …)`) **and recognises the addresses of two or more
    /// chains** — address patterns (regex literals or strings) for Ethereum, Bitcoin,
    /// Solana, Tron, Litecoin or Bitcoin Cash, or lists of literal addresses.
    ///
    /// ## Why it matters
    /// The September 2025 compromise of `chalk`, `debug` and 16 other packages (2 billion
    /// weekly downloads) injected exactly this into their published files: a clipper that
    /// watched every response and wallet request in the browser and replaced recipient
    /// addresses with the attacker's look-alike ones. Nothing ran at install; the payload
    /// waited in code that web apps bundle.
    ///
    /// ## Example
    /// ```js
    /// const eth = /\b0x[a-fA-F0-9]{40}\b/g, btc = /\b(bc1|[13])[a-zA-HJ-NP-Z0-9]{25,39}\b/g;
    /// const f = window.fetch; window.fetch = async (...a) => swap(await f(...a));
    /// ```
    ///
    /// ## False positives
    /// Wallet SDKs match addresses of many chains but do not replace `fetch` or the
    /// injected provider; monitoring SDKs patch `fetch`/`XMLHttpRequest` but match no
    /// addresses. The rule needs both in one file.
    ///
    /// ## References
    /// - Aikido Security, "npm debug and chalk packages compromised" (2025-09-08)
    /// - MITRE ATT&CK T1565.002 (Transmitted Data Manipulation), T1195.002
    pub static META = WalletAddressSwap;
}

/// Address shapes, by chain: a pattern string (regex source) or a literal address.
static CHAINS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    let r = |p: &str| Regex::new(p).expect("static pattern compiles");
    vec![
        // Patterns as written in regex literals.
        (
            "ethereum",
            r(r"0x\[a-fA-F0-9\]\{40\}|0x\[0-9a-fA-F\]\{40\}|0x\[a-f0-9\]\{40\}"),
        ),
        (
            "bitcoin",
            r(r"bc1|\[13\]\[a-km-zA-HJ-NP-Z1-9\]|\[13\]\[a-zA-HJ-NP-Z0-9\]"),
        ),
        ("solana", r(r"\[1-9A-HJ-NP-Za-km-z\]\{3[2-3],4[3-4]\}")),
        (
            "tron",
            r(r"T\[1-9A-HJ-NP-Za-km-z\]\{33\}|T\[A-Za-z1-9\]\{33\}"),
        ),
        ("litecoin", r(r"ltc1|\[LM3\]\[a-km-zA-HJ-NP-Z1-9\]")),
        ("bitcoin-cash", r(r"bitcoincash:|\(\?:q\|p\)")),
    ]
});

/// Literal addresses (hard-coded replacement lists).
static LITERAL: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    let r = |p: &str| Regex::new(p).expect("static pattern compiles");
    vec![
        ("ethereum", r(r"^0x[a-fA-F0-9]{40}$")),
        (
            "bitcoin",
            r(r"^(bc1[a-z0-9]{39,59}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})$"),
        ),
        ("tron", r(r"^T[1-9A-HJ-NP-Za-km-z]{33}$")),
        (
            "litecoin",
            r(r"^(ltc1[a-z0-9]{39,59}|[LM][a-km-zA-HJ-NP-Z1-9]{26,33})$"),
        ),
    ]
});

/// Literal addresses of one chain that count as a replacement list.
const LIST: usize = 5;

/// Check one JavaScript file.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    if f.is_test_or_doc() {
        return;
    }
    let Some(hook) = f
        .analysis
        .events
        .iter()
        .find(|e| e.kind == EventKind::GlobalHook)
    else {
        return;
    };
    let mut chains: BTreeSet<&'static str> = BTreeSet::new();
    let mut literal: std::collections::BTreeMap<&'static str, usize> = Default::default();
    for s in &f.analysis.strings {
        if s.value.len() > 4096 {
            continue;
        }
        for (chain, re) in CHAINS.iter() {
            if re.is_match(&s.value) {
                chains.insert(chain);
            }
        }
        for (chain, re) in LITERAL.iter() {
            if re.is_match(&s.value) {
                *literal.entry(chain).or_default() += 1;
            }
        }
    }
    chains.extend(literal.iter().filter(|(_, n)| **n >= LIST).map(|(c, _)| *c));
    if chains.len() < 2 {
        return;
    }
    let list: Vec<&str> = chains.into_iter().collect();
    let mut x = cx.finding(
        &META,
        Location {
            ..f.event_location(hook)
        },
        format!(
            "replaces {} and matches addresses of {}",
            hook.arg.as_deref().unwrap_or(&hook.api),
            list.join(", ")
        ),
    );
    x.context = Some(hook.context);
    x.capabilities = vec![Capability::Network, Capability::Surveillance];
    out.push(x);
}
