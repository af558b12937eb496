//! `cargo dev …`: tasks for assay's developers.
//!
//! - `generate-all [--check]` writes `docs/rules/*.md` (from each rule's doc comment) and
//!   `docs/report.schema.json` (from the report types). With `--check` it writes nothing
//!   and fails when a generated file is stale (CI runs this).
//! - `bench-scan DIR…` measures the whole-scan cost over a set of archives against the
//!   cost of merely decompressing them, in the same run (see `docs/benchmarks.md`).
//! - `bench-model` scans generated PyTorch zip checkpoints up to 2 GiB and shows the cost
//!   is flat in the tensor bytes (only pickle members are read).
//! - `bench-deps` imports a generated 200,000-record OSV `all.zip` and audits a 3,000-entry
//!   `package-lock.json` plus a 500-entry `uv.lock` against it (issue #4, criterion 4).
//! - `bench-ci [--runs N] [--zizmor] DIR` times the workflow audit (`assay_ci`) over the
//!   workflow files under DIR and, with `--zizmor`, zizmor on the same files, with both
//!   tools' findings per audit side by side (issue #18).
//! - `bench-agents [--runs N] [--assay BIN] DIR` runs the agent audit (`assay_agents`)
//!   over a tree of skills and MCP servers, lists its findings and verdicts, and with
//!   `--assay` times the whole `assay scan` of it (issue 20).
//! - `bench-js [--runs N] FILE|DIR…` JavaScript analysis throughput beside `oxc_parser`
//!   alone, in MB/s (see `bench_js`).
//! - `bench-diff [--runs N] --assay BIN OLD NEW` times `assay diff OLD NEW` against
//!   `assay scan NEW` in the same run (issue 19: diff ≤ 2× scan).
//! - `typosquat-rates` prints the typosquat detection and collision rates (criterion 3).
//! - `generate-7z-fixtures` writes the 7z fixtures of `assay_rules` with the 7z crate's
//!   own writer (see `sevenz_fixtures.rs`).
//! - `generate-savedmodel-fixtures` writes the TensorFlow SavedModel fixtures (`ML013`,
//!   `ML009`) by encoding prost structs (see `savedmodel_fixtures.rs`).
//! - `redteam [--json] [--light] [--transform T] [--family F]` applies evasion transforms
//!   to harmless malicious seeds and prints the detection matrix (issue 21; see
//!   `assay_dev::redteam` and `docs/benchmarks.md`).

mod bench;
mod bench_agents;
mod bench_ci;
mod bench_deps;
mod bench_diff;
mod bench_js;
mod bench_model;
mod generate;
mod savedmodel_fixtures;
mod sevenz_fixtures;
mod typosquat_rates;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate-all") => generate::run(args.iter().any(|a| a == "--check")),
        Some("bench-scan") => bench::run(&args[1..]),
        Some("bench-model") => bench_model::run(&args[1..]),
        Some("bench-deps") => bench_deps::run(&args[1..]),
        Some("bench-ci") => bench_ci::run(&args[1..]),
        Some("bench-agents") => bench_agents::run(&args[1..]),
        Some("bench-diff") => bench_diff::run(&args[1..]),
        Some("bench-js") => bench_js::run(&args[1..]),
        Some("typosquat-rates") => typosquat_rates::run(),
        Some("generate-7z-fixtures") => sevenz_fixtures::run(),
        Some("generate-savedmodel-fixtures") => savedmodel_fixtures::run(),
        Some("redteam") => assay_dev::redteam::run(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo dev generate-all [--check] | cargo dev bench-scan [--runs N] DIR… | cargo dev bench-model [--runs N] [--max-mib M] | cargo dev bench-deps [--records N] [--runs N] | cargo dev bench-ci [--runs N] [--zizmor] DIR | cargo dev bench-agents [--runs N] [--assay BIN] DIR | cargo dev bench-diff [--runs N] --assay BIN OLD NEW | cargo dev bench-js [--runs N] FILE|DIR… | cargo dev typosquat-rates | cargo dev generate-7z-fixtures | cargo dev generate-savedmodel-fixtures | cargo dev redteam [--json] [--light] [--transform T]… [--family F]… [--assay BIN] [--no-build] [--dump DIR]"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("cargo dev: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
