//! Print the events the walker finds in one Python file: `cargo run -p assay_lang --example events FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: events FILE");
        std::process::exit(2);
    };
    let src = match std::fs::read(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let a = assay_lang::analyze_python(&src, assay_lang::FileRole::SetupScript);
    for e in &a.events {
        println!(
            "{}:{} {:?} {} arg={:?} taint={:?}",
            e.line, e.column, e.kind, e.api, e.arg, e.taint
        );
    }
}
