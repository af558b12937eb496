//! `cargo dev redteam`: the red-team harness of issue 21.
//!
//! Applies every [transform](transforms::TRANSFORMS) to every [seed](seeds::all) (harmless
//! reproductions of each malicious family), scans each variant the way `assay scan` does,
//! and prints a detection matrix (transform × family) at the default gate (`malicious`)
//! and at `suspicious`, the evasion rate and every evasion.
//!
//! Variants are generated one at a time into a temp dir under [`std::env::temp_dir`],
//! scanned, and deleted, so memory stays bounded by the largest single variant. Nothing
//! generated is ever executed, imported or installed: `.pyc` files are produced by
//! `py_compile` (compiling does not run the module).
//!
//! Scanning is in process, on the library path the CLI takes (`assay_sources::discover` →
//! `read_input` → `assay_rules::analyze_artifact` → `assay_rules::score`; the default
//! policy is empty), except for variants that need the CLI's own behaviour (configuration
//! found in the working directory), which run the `assay` binary from inside the tree.
//!
//! [`KNOWN_EVASIONS`] lists the pairs that evade today; `crates/assay_dev/tests/redteam.rs`
//! checks that list is exact, so a fixed evasion must be removed from it and a new one
//! cannot slip in.

pub mod pack;
pub mod seeds;
pub mod transforms;

use assay_core::Verdict;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use transforms::{TRANSFORMS, Variant};

/// `(transform, family)` pairs that are not `malicious` today (the default gate). Kept
/// exact by the CI test: remove a pair when it is fixed; never add one to make CI pass
/// without a note in the issue.
pub const KNOWN_EVASIONS: &[(&str, &str)] = &[];

/// A `(transform, family)` pair: one cell of the matrix.
pub type Pair = (&'static str, &'static str);

/// What one variant came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Scanned: the worst verdict over the artifacts read, its score and the finding codes.
    Scanned {
        /// Worst verdict.
        verdict: Verdict,
        /// Score of that artifact.
        score: f64,
        /// `CODE:severity` of every finding, sorted, deduplicated.
        findings: Vec<String>,
    },
    /// assay reported an operational error (exit 2): blocked, but not a finding.
    Error(String),
    /// The scan panicked (a crash is never "detected").
    Crash(String),
    /// Not generated here (no `python3`, no `assay` binary).
    Skipped(String),
}

impl Outcome {
    /// Blocked at the given gate: `malicious` for the default, `suspicious` for
    /// `--fail-on suspicious` and `guard`. Errors block; crashes do not.
    pub fn blocked(&self, gate: Verdict) -> Option<bool> {
        match self {
            Outcome::Scanned { verdict, .. } => Some(*verdict >= gate),
            Outcome::Error(_) => Some(true),
            Outcome::Crash(_) => Some(false),
            Outcome::Skipped(_) => None,
        }
    }

    fn symbol(&self) -> &'static str {
        match self {
            Outcome::Scanned {
                verdict: Verdict::Malicious,
                ..
            } => "M",
            Outcome::Scanned {
                verdict: Verdict::Suspicious,
                ..
            } => "s",
            Outcome::Scanned { .. } => ".",
            Outcome::Error(_) => "E",
            Outcome::Crash(_) => "!",
            Outcome::Skipped(_) => "?",
        }
    }

    fn describe(&self) -> String {
        match self {
            Outcome::Scanned {
                verdict,
                score,
                findings,
            } => format!(
                "{} (score {score:.1}) [{}]",
                verdict_str(*verdict),
                findings.join(", ")
            ),
            Outcome::Error(e) => format!("error: {e}"),
            Outcome::Crash(e) => format!("crash: {e}"),
            Outcome::Skipped(e) => format!("skipped: {e}"),
        }
    }
}

fn verdict_str(v: Verdict) -> &'static str {
    match v {
        Verdict::Clean => "clean",
        Verdict::Suspicious => "suspicious",
        Verdict::Malicious => "malicious",
    }
}

/// One cell of the matrix.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Transform (row).
    pub transform: &'static str,
    /// Family (column).
    pub family: &'static str,
    /// What the scan said.
    pub outcome: Outcome,
}

/// Which variants to run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Include the heavy transforms (16 MiB files, 100,001 members).
    pub heavy: bool,
    /// Only these transforms (all when empty).
    pub transforms: Vec<String>,
    /// Only these families (all when empty).
    pub families: Vec<String>,
    /// The `assay` binary for the variants scanned by the CLI; `None` skips them.
    pub assay_bin: Option<PathBuf>,
    /// Keep every variant under this directory instead of deleting it.
    pub dump: Option<PathBuf>,
}

/// Generate, scan and drop every applicable variant; one cell per applicable pair, in
/// matrix order (transforms, then families).
pub fn evaluate(opts: &Options) -> anyhow::Result<Vec<Cell>> {
    let seeds = seeds::all();
    let mut cells = Vec::new();
    for t in TRANSFORMS {
        if (t.heavy && !opts.heavy)
            || !(opts.transforms.is_empty() || opts.transforms.iter().any(|n| n == t.name))
        {
            continue;
        }
        for seed in &seeds {
            if !(opts.families.is_empty() || opts.families.iter().any(|n| n == seed.family)) {
                continue;
            }
            let Some(variant) = (t.apply)(seed) else {
                continue;
            };
            let outcome = run_variant(variant, opts, t.name, seed.family)?;
            cells.push(Cell {
                transform: t.name,
                family: seed.family,
                outcome,
            });
        }
    }
    Ok(cells)
}

/// Write one variant to a fresh temp dir (or the dump dir), scan it, delete it.
fn run_variant(
    v: Variant,
    opts: &Options,
    transform: &str,
    family: &str,
) -> anyhow::Result<Outcome> {
    let tmp = tempfile::Builder::new()
        .prefix("assay-redteam")
        .tempdir_in(std::env::temp_dir())?;
    let root = match &opts.dump {
        Some(d) => d.join(format!("{transform}--{family}")),
        None => tmp.path().join("v"),
    };
    if root.exists() {
        fs_err::remove_dir_all(&root)?;
    }
    fs_err::create_dir_all(&root)?;
    let outcome = match v {
        Variant::Skipped(why) => Outcome::Skipped(why),
        Variant::Packed(seed) => {
            let (name, bytes) = transforms::packed(&seed)?;
            let path = root.join(name);
            fs_err::write(&path, bytes)?;
            scan_in_process(&path)
        }
        Variant::File { name, bytes } => {
            let path = root.join(name);
            fs_err::write(&path, bytes)?;
            scan_in_process(&path)
        }
        Variant::Tree(files) => {
            let dir = root.join("tree");
            write_tree(&dir, &files)?;
            scan_in_process(&dir)
        }
        Variant::TreeFromInside(files) => {
            let dir = root.join("repo");
            write_tree(&dir, &files)?;
            match &opts.assay_bin {
                Some(bin) => scan_with_binary(bin, &dir, &root.join("cache")),
                None => Outcome::Skipped("no assay binary (see --assay)".into()),
            }
        }
    };
    drop(tmp);
    Ok(outcome)
}

fn write_tree(dir: &Path, files: &[pack::File]) -> anyhow::Result<()> {
    for (p, d) in files {
        let path = dir.join(p);
        if let Some(parent) = path.parent() {
            fs_err::create_dir_all(parent)?;
        }
        fs_err::write(&path, d)?;
    }
    Ok(())
}

/// The CLI's library path: discover → read → rules → score, worst verdict over the
/// artifacts found. A panic is caught and reported as a crash.
pub fn scan_in_process(path: &Path) -> Outcome {
    let path = path.to_path_buf();
    let run = move || -> Outcome {
        let limits = assay_sources::Limits::default();
        let inputs = match assay_sources::discover(&path) {
            Ok(v) => v,
            Err(e) => return Outcome::Error(e.to_string()),
        };
        let mut worst: Option<(Verdict, f64)> = None;
        let mut codes = BTreeSet::new();
        let single = inputs.len() == 1;
        for input in &inputs {
            // Named as `assay scan` names them (commands/scan.rs): after the path given
            // when it yields one input, else after each file.
            let display = match input {
                _ if single => path.display().to_string(),
                assay_sources::Input::Archive(f)
                | assay_sources::Input::Directory(f)
                | assay_sources::Input::File(f) => f.display().to_string(),
            };
            let art = match assay_sources::read_input(input, &display, &limits) {
                Ok(a) => a,
                Err(e) => return Outcome::Error(e.to_string()),
            };
            let a = assay_rules::analyze_artifact(&art);
            let (verdict, score) = assay_rules::score(&a.findings);
            codes.extend(
                a.findings
                    .iter()
                    .map(|f| format!("{}:{}", f.rule.code(), f.severity.as_str())),
            );
            if worst.is_none_or(|(v, s)| (verdict, score) > (v, s)) {
                worst = Some((verdict, score));
            }
        }
        let (verdict, score) = worst.unwrap_or((Verdict::Clean, 0.0));
        Outcome::Scanned {
            verdict,
            score,
            findings: codes.into_iter().collect(),
        }
    };
    // Scanned on a thread of its own: a panic is caught there and a deep structure gets a
    // main-thread-sized stack. (A stack overflow still aborts the process: issue 21.)
    let handle = std::thread::Builder::new()
        .name("redteam-scan".into())
        .stack_size(8 << 20)
        .spawn(run);
    match handle.map(|h| h.join()) {
        Ok(Ok(o)) => o,
        Ok(Err(p)) => Outcome::Crash(
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "panic".into()),
        ),
        Err(e) => Outcome::Error(format!("spawning the scan thread: {e}")),
    }
}

/// `cd dir && assay scan --format json .`, worst verdict over the artifacts.
fn scan_with_binary(bin: &Path, dir: &Path, cache: &Path) -> Outcome {
    // The scan runs from inside `dir`: a relative `--assay` path must not resolve there.
    let bin = std::fs::canonicalize(bin).unwrap_or_else(|_| bin.to_path_buf());
    let out = Command::new(&bin)
        .args(["scan", "--format", "json", "--no-progress", "."])
        .current_dir(dir)
        .env("ASSAY_CACHE_DIR", cache)
        .env_remove("XDG_CACHE_HOME")
        .env("NO_COLOR", "1")
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) => return Outcome::Error(format!("running {}: {e}", bin.display())),
    };
    match out.status.code() {
        Some(0 | 1) => {}
        Some(2) => {
            return Outcome::Error(String::from_utf8_lossy(&out.stderr).trim().to_owned());
        }
        _ => return Outcome::Crash(format!("assay exited with {}", out.status)),
    }
    let report: serde_json::Value = match serde_json::from_slice(&out.stdout) {
        Ok(v) => v,
        Err(e) => return Outcome::Error(format!("report is not JSON: {e}")),
    };
    let mut worst: Option<(Verdict, f64)> = None;
    let mut codes = BTreeSet::new();
    for a in report["artifacts"].as_array().into_iter().flatten() {
        let verdict = match a["verdict"].as_str() {
            Some("malicious") => Verdict::Malicious,
            Some("suspicious") => Verdict::Suspicious,
            _ => Verdict::Clean,
        };
        let score = a["score"].as_f64().unwrap_or(0.0);
        for f in a["findings"].as_array().into_iter().flatten() {
            codes.insert(format!(
                "{}:{}",
                f["rule"]["code"].as_str().unwrap_or("?"),
                f["severity"].as_str().unwrap_or("?")
            ));
        }
        if worst.is_none_or(|(v, s)| (verdict, score) > (v, s)) {
            worst = Some((verdict, score));
        }
    }
    let (verdict, score) = worst.unwrap_or((Verdict::Clean, 0.0));
    Outcome::Scanned {
        verdict,
        score,
        findings: codes.into_iter().collect(),
    }
}

/// The pairs that evade the default gate (not blocked; skipped cells are left out).
pub fn evasions(cells: &[Cell]) -> BTreeSet<(&'static str, &'static str)> {
    cells
        .iter()
        .filter(|c| c.outcome.blocked(Verdict::Malicious) == Some(false))
        .map(|c| (c.transform, c.family))
        .collect()
}

/// Compare the evasions found with [`KNOWN_EVASIONS`] (restricted to the pairs that were
/// run): `(fixed: listed but now detected, new: evading but not listed)`.
pub fn against_known(cells: &[Cell]) -> (Vec<Pair>, Vec<Pair>) {
    let found = evasions(cells);
    let ran: BTreeSet<(&str, &str)> = cells
        .iter()
        .filter(|c| !matches!(c.outcome, Outcome::Skipped(_)))
        .map(|c| (c.transform, c.family))
        .collect();
    let known: BTreeSet<(&'static str, &'static str)> = KNOWN_EVASIONS
        .iter()
        .copied()
        .filter(|p| ran.contains(p))
        .collect();
    (
        known.difference(&found).copied().collect(),
        found.difference(&known).copied().collect(),
    )
}

// ------------------------------------------------------------------ output

/// Totals at one gate: `(variants run, blocked)`.
fn totals(cells: &[Cell], gate: Verdict) -> (usize, usize) {
    let run: Vec<bool> = cells
        .iter()
        .filter_map(|c| c.outcome.blocked(gate))
        .collect();
    (run.len(), run.iter().filter(|b| **b).count())
}

fn pct(n: usize, d: usize) -> f64 {
    100.0 * n as f64 / (d.max(1)) as f64
}

/// The matrix as text: rows transforms, columns families.
pub fn render_text(cells: &[Cell]) -> String {
    let families: Vec<&str> = seeds::all()
        .iter()
        .map(|s| s.family)
        .filter(|f| cells.iter().any(|c| c.family == *f))
        .collect();
    let rows: Vec<&str> = TRANSFORMS
        .iter()
        .map(|t| t.name)
        .filter(|t| cells.iter().any(|c| c.transform == *t))
        .collect();
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(8).max(9);
    let mut out = String::new();
    out.push_str(&format!("{:width$} ", "transform"));
    for f in &families {
        out.push_str(&format!(" {f:>11}"));
    }
    out.push('\n');
    for r in &rows {
        out.push_str(&format!("{r:width$} "));
        for f in &families {
            let sym = cells
                .iter()
                .find(|c| c.transform == *r && c.family == *f)
                .map_or("-", |c| c.outcome.symbol());
            out.push_str(&format!(" {sym:>11}"));
        }
        out.push('\n');
    }
    out.push_str("\nM malicious · s suspicious · . clean · E operational error (blocks) · ! crash · ? skipped · - not applicable\n\n");
    let (n, m) = totals(cells, Verdict::Malicious);
    let (_, s) = totals(cells, Verdict::Suspicious);
    out.push_str(&format!("variants                     {n}\n"));
    out.push_str(&format!(
        "detected at malicious gate   {m} ({:.1} %), evasion rate {:.1} %\n",
        pct(m, n),
        pct(n - m, n)
    ));
    out.push_str(&format!(
        "detected at suspicious gate  {s} ({:.1} %), evasion rate {:.1} %\n",
        pct(s, n),
        pct(n - s, n)
    ));
    let skipped: Vec<&Cell> = cells
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Skipped(_)))
        .collect();
    if !skipped.is_empty() {
        out.push_str(&format!("skipped                      {}\n", skipped.len()));
    }
    let evading: Vec<&Cell> = cells
        .iter()
        .filter(|c| c.outcome.blocked(Verdict::Malicious) == Some(false))
        .collect();
    out.push_str(&format!(
        "\nevasions at the default gate ({}):\n",
        evading.len()
    ));
    for c in evading {
        let known = KNOWN_EVASIONS.contains(&(c.transform, c.family));
        out.push_str(&format!(
            "  {:<22} × {:<11} {}{}\n",
            c.transform,
            c.family,
            c.outcome.describe(),
            if known {
                ""
            } else {
                "  (NEW: not in KNOWN_EVASIONS)"
            }
        ));
    }
    for c in skipped {
        out.push_str(&format!(
            "  {:<22} × {:<11} {}\n",
            c.transform,
            c.family,
            c.outcome.describe()
        ));
    }
    out
}

/// The matrix as JSON: every cell and the totals.
pub fn render_json(cells: &[Cell]) -> serde_json::Value {
    let (n, m) = totals(cells, Verdict::Malicious);
    let (_, s) = totals(cells, Verdict::Suspicious);
    let variants: Vec<serde_json::Value> = cells
        .iter()
        .map(|c| {
            let (verdict, score, findings, note) = match &c.outcome {
                Outcome::Scanned {
                    verdict,
                    score,
                    findings,
                } => (verdict_str(*verdict), Some(*score), findings.clone(), None),
                Outcome::Error(e) => ("error", None, Vec::new(), Some(e.clone())),
                Outcome::Crash(e) => ("crash", None, Vec::new(), Some(e.clone())),
                Outcome::Skipped(e) => ("skipped", None, Vec::new(), Some(e.clone())),
            };
            serde_json::json!({
                "transform": c.transform,
                "family": c.family,
                "verdict": verdict,
                "score": score,
                "findings": findings,
                "note": note,
                "detected_malicious_gate": c.outcome.blocked(Verdict::Malicious),
                "detected_suspicious_gate": c.outcome.blocked(Verdict::Suspicious),
                "known_evasion": KNOWN_EVASIONS.contains(&(c.transform, c.family)),
            })
        })
        .collect();
    serde_json::json!({
        "variants": variants,
        "summary": {
            "variants": n,
            "detected_malicious_gate": m,
            "detected_suspicious_gate": s,
            "evasion_rate_malicious_gate": 1.0 - m as f64 / n.max(1) as f64,
            "evasion_rate_suspicious_gate": 1.0 - s as f64 / n.max(1) as f64,
        },
    })
}

/// The `assay` binary beside this executable (`target/<profile>/assay`), built first
/// with cargo in the same profile unless `build` is false.
fn find_assay(build: bool) -> Option<PathBuf> {
    if build {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
        let mut c = Command::new(cargo);
        c.args(["build", "--quiet", "-p", "assay", "--manifest-path"])
            .arg(&manifest);
        if !cfg!(debug_assertions) {
            c.arg("--release");
        }
        if !c.status().is_ok_and(|s| s.success()) {
            eprintln!("cargo dev redteam: building assay failed; config-injection is skipped");
            return None;
        }
    }
    let exe = std::env::current_exe().ok()?;
    exe.ancestors()
        .skip(1)
        .take(2)
        .map(|d| d.join(format!("assay{}", std::env::consts::EXE_SUFFIX)))
        .find(|p| p.is_file())
}

/// `cargo dev redteam [--json] [--light] [--transform T]… [--family F]… [--assay BIN]
/// [--no-build] [--dump DIR]`. `Ok(false)` when the evasions differ from
/// [`KNOWN_EVASIONS`].
pub fn run(args: &[String]) -> anyhow::Result<bool> {
    let mut opts = Options {
        heavy: true,
        ..Options::default()
    };
    let mut json = false;
    let mut build = true;
    let mut bin = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json = true,
            "--light" => opts.heavy = false,
            "--no-build" => build = false,
            "--transform" => opts.transforms.extend(it.next().cloned()),
            "--family" => opts.families.extend(it.next().cloned()),
            "--assay" => bin = it.next().map(PathBuf::from),
            "--dump" => opts.dump = it.next().map(PathBuf::from),
            other => anyhow::bail!("redteam: unknown argument {other}"),
        }
    }
    let needs_bin =
        opts.transforms.is_empty() || opts.transforms.iter().any(|t| t == "config-injection");
    opts.assay_bin = match bin {
        Some(b) => Some(b),
        None if needs_bin => find_assay(build),
        None => None,
    };
    let cells = evaluate(&opts)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&render_json(&cells))?);
    } else {
        print!("{}", render_text(&cells));
    }
    let (fixed, new) = against_known(&cells);
    for (t, f) in &fixed {
        eprintln!("redteam: {t} × {f} is detected now: remove it from KNOWN_EVASIONS");
    }
    for (t, f) in &new {
        eprintln!("redteam: {t} × {f} evades and is not in KNOWN_EVASIONS");
    }
    Ok(fixed.is_empty() && new.is_empty())
}
