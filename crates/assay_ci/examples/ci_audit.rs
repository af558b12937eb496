//! Print the CI findings of the workflow files under each directory argument, one line
//! each (`path:line:col CODE severity evidence`): a quick look while calibrating rules.
#![allow(clippy::unwrap_used)]

fn main() {
    for root in std::env::args().skip(1) {
        let root = std::path::PathBuf::from(root);
        let mut files = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(d) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    if assay_ci::kind_by_path(&rel).is_some() {
                        files.push((rel, std::fs::read(&p).unwrap()));
                    }
                }
            }
        }
        files.sort();
        for f in assay_ci::audit_files(&files) {
            println!(
                "{} {} {} {}",
                f.location.display(),
                f.rule.code(),
                f.severity,
                f.evidence
            );
            for r in &f.related {
                println!("    -> {}", r.display());
            }
        }
    }
}
