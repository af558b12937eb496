//! `assay rules`: list every rule.

use crate::cli::RulesArgs;
use std::io::Write;

/// Print the rule list (text table or JSON).
pub fn run(args: &RulesArgs) -> anyhow::Result<u8> {
    let mut out = std::io::stdout().lock();
    if args.json {
        let metas: Vec<_> = assay_rules::REGISTRY.iter().map(|r| r.meta).collect();
        serde_json::to_writer_pretty(&mut out, &metas)?;
        writeln!(out)?;
        return Ok(crate::EXIT_OK);
    }
    for r in assay_rules::REGISTRY {
        let m = r.meta.rule;
        writeln!(
            out,
            "{:<7} {:<34} {:<9} {}",
            m.code(),
            m.name(),
            m.severity().as_str(),
            m.summary()
        )?;
    }
    Ok(crate::EXIT_OK)
}
