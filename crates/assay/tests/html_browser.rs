//! The HTML report rendered by a real browser: headless Chromium (Debian package
//! `chromium`; `.ci/run` installs it) loads `assay scan --format html` output from a
//! file, with the network off, and:
//! - the screenshot is a real picture: a PNG much larger than the screenshot of an empty
//!   page taken in the same run (a blank or failed render compresses to almost nothing);
//! - the rendered DOM's summary counts equal the JSON report's for the same inputs;
//! - the severity filter is in the DOM and the page loads nothing from outside.
//!
//! The browser is `$ASSAY_TEST_CHROMIUM`, else `chromium`, `chromium-browser` or
//! `google-chrome` on `PATH`; without one the test says so and skips.
#![cfg(feature = "html")]
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ASSAY_TEST_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(PathBuf::from)
}

/// Runs the browser headless on `page` with `args` (a throwaway profile, no network).
fn browse(browser: &Path, profile: &Path, args: &[&str], page: &Path) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-extensions",
            "--window-size=1200,900",
            // No request leaves the machine: every host resolves nowhere.
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap()
}

fn assay(cwd: &Path, args: &[&str]) -> Vec<u8> {
    Command::new(assert_cmd::cargo::cargo_bin("assay"))
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
        .stdout
}

/// The number in a summary card: `data-count="KEY">N<`.
fn card(dom: &str, key: &str) -> Option<u64> {
    let at = dom.find(&format!("data-count=\"{key}\">"))?;
    let rest = &dom[at..];
    let start = rest.find('>')? + 1;
    let end = rest.find('<')?;
    rest.get(start..end)?.trim().parse().ok()
}

#[test]
fn html_report_renders_in_headless_chromium_with_the_json_counts() {
    let Some(browser) = chromium() else {
        eprintln!(
            "skipped: no Chromium (set ASSAY_TEST_CHROMIUM or install the `chromium` package; .ci/run does)"
        );
        return;
    };
    let t = tempfile::tempdir().unwrap();
    std::fs::write(
        t.path().join("litellm_init.pth"),
        common::litellm_pth_line(),
    )
    .unwrap();
    std::fs::write(t.path().join("ok.py"), "x = 1\n").unwrap();
    std::fs::write(
        t.path().join("setup.py"),
        "import urllib.request\nurllib.request.urlopen('https://example.invalid/x')\n",
    )
    .unwrap();
    let inputs = ["litellm_init.pth", "ok.py", "setup.py"];
    let mut args = vec!["scan", "--no-progress", "--format", "html"];
    args.extend(inputs);
    let html = assay(t.path(), &args);
    let page = t.path().join("report.html");
    std::fs::write(&page, &html).unwrap();
    args[3] = "json";
    let json: serde_json::Value = serde_json::from_slice(&assay(t.path(), &args)).unwrap();

    let profile = t.path().join("profile");
    let shot = t.path().join("report.png");
    let o = browse(
        &browser,
        &profile,
        &[&format!("--screenshot={}", shot.display())],
        &page,
    );
    assert!(shot.exists(), "no screenshot: {o:?}");
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let empty = t.path().join("empty.html");
    std::fs::write(&empty, "<!DOCTYPE html><html><body></body></html>").unwrap();
    let blank_shot = t.path().join("empty.png");
    browse(
        &browser,
        &profile,
        &[&format!("--screenshot={}", blank_shot.display())],
        &empty,
    );
    let blank = std::fs::metadata(&blank_shot).unwrap().len();
    assert!(
        png.len() as u64 > 4 * blank,
        "the report's screenshot ({} bytes) is hardly more than an empty page's ({blank})",
        png.len()
    );

    // The DOM after rendering: the summary cards hold the JSON report's counts.
    let o = browse(&browser, &profile, &["--dump-dom"], &page);
    let dom = String::from_utf8_lossy(&o.stdout);
    for key in ["artifacts", "malicious", "suspicious", "clean", "findings"] {
        assert_eq!(
            card(&dom, key),
            json["summary"][key].as_u64(),
            "{key} in the rendered page vs the JSON report"
        );
    }
    assert_eq!(json["summary"]["malicious"], 1);
    for level in ["info", "low", "medium", "high", "critical"] {
        assert!(
            dom.contains(&format!("id=\"min-{level}\"")),
            "filter {level}"
        );
    }
    assert!(!dom.contains("<script"), "no script");
}
