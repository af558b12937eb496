//! The red-team regression subset (issue 21): every light transform on every seed, scanned
//! in process, must keep its verdict class. Pairs detected today stay detected; the pairs
//! that evade today are exactly `KNOWN_EVASIONS`, so fixing one fails this test until it
//! is removed from the list (the list cannot go stale silently).
//!
//! Left out: the heavy variants (a 16 MiB module, 100,001 members) and `config-injection`,
//! which needs the `assay` binary (its fixture lives in `crates/assay/tests/`). Nothing
//! generated is run; nothing touches the network.

use assay_core::Verdict;
use assay_dev::redteam::{self, Options, Outcome};

#[test]
fn red_team_light_matrix_matches_known_evasions() {
    let dump = tempfile::tempdir().expect("temp dir");
    let opts = Options {
        heavy: false,
        dump: Some(dump.path().to_path_buf()),
        ..Options::default()
    };
    let cells = redteam::evaluate(&opts).expect("variants are generated");
    let cells: Vec<_> = cells
        .into_iter()
        .filter(|c| !matches!(c.outcome, Outcome::Skipped(_)))
        .collect();
    assert!(cells.len() > 100, "only {} variants ran", cells.len());

    // Every seed is malicious as it stands: a seed that is not is a broken seed.
    for c in cells.iter().filter(|c| c.transform == "identity") {
        assert_eq!(
            c.outcome.blocked(Verdict::Malicious),
            Some(true),
            "seed {} is not malicious: {:?}",
            c.family,
            c.outcome
        );
    }
    for c in &cells {
        assert!(
            !matches!(c.outcome, Outcome::Crash(_)),
            "{} × {} crashed the scan: {:?}",
            c.transform,
            c.family,
            c.outcome
        );
    }

    let (fixed, new) = redteam::against_known(&cells);
    let mut msg = String::new();
    for (t, f) in &fixed {
        msg.push_str(&format!(
            "  {t} × {f} is detected now: remove (\"{t}\", \"{f}\") from KNOWN_EVASIONS\n"
        ));
    }
    for (t, f) in &new {
        let o = cells
            .iter()
            .find(|c| c.transform == *t && c.family == *f)
            .map(|c| format!("{:?}", c.outcome))
            .unwrap_or_default();
        msg.push_str(&format!("  {t} × {f} evades (regression?): {o}\n"));
    }
    assert!(
        msg.is_empty(),
        "red-team matrix differs from KNOWN_EVASIONS:\n{msg}"
    );
    compiles(dump.path());
}

/// Every Python file and `.pth` import line of every variant compiles (`compile()` only:
/// nothing is run), so an evasion is never a broken variant. Skipped without `python3`.
fn compiles(dir: &std::path::Path) {
    const CHECK: &str = r#"
import io, os, sys, tarfile, zipfile
bad = []
def check(name, data):
    if name.endswith('.pth'):
        for line in data.decode().splitlines():
            if line.startswith('import'):
                try: compile(line, name, 'exec')
                except SyntaxError as e: bad.append(f'{name}: {e}')
    elif name.endswith(('.py', '.cfg')) or name.endswith('helpers.txt'):
        try: compile(data, name, 'exec')
        except SyntaxError as e: bad.append(f'{name}: {e}')
def walk(name, data):
    if data[:2] == b'PK':
        z = zipfile.ZipFile(io.BytesIO(data))
        for n in z.namelist(): walk(n, z.read(n))
    elif data[:2] == b'\x1f\x8b':
        t = tarfile.open(fileobj=io.BytesIO(data))
        for m in t.getmembers():
            if m.isfile(): walk(m.name, t.extractfile(m).read())
    else:
        check(name, data)
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        with open(os.path.join(root, f), 'rb') as fh: walk(os.path.join(root, f), fh.read())
print('\n'.join(bad))
sys.exit(1 if bad else 0)
"#;
    let out = std::process::Command::new("python3")
        .args(["-I", "-S", "-c", CHECK])
        .arg(dir)
        .output();
    let Ok(out) = out else {
        eprintln!("python3 not found: the variants' syntax is not checked");
        return;
    };
    assert!(
        out.status.success(),
        "variants that do not compile:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
