//! Identity and trust signals: `.mailmap` merging (GIT001), fresh-committer chains
//! (GIT011), first signed tag by a new identity (GIT012) and author-habit deviations
//! (GIT013), each with must-match and must-not-match histories.

#![allow(clippy::unwrap_used)]

use assay_history::synth::{Op, Stream, import};
use assay_history::{History, Options, Weights, review};

const MAINT: &str = "Lasse Maintainer <lasse@example.invalid>";
const NEW: &str = "Jia Newcomer <jia@example.invalid>";
const PUPPET: &str = "Hans Puppet <hans@example.invalid>";
const GITHUB: &str = "GitHub <noreply@github.com>";
const DAY: i64 = 86_400;

/// 200 maintainer commits, one a day at the same hour (+0200), to `src/*.c`.
fn maintainer_history(s: &mut Stream) {
    for i in 0..200 {
        let path = format!("src/f{}.c", i % 7);
        let body = format!("int f{i}(void) {{ return {i}; }}\n");
        s.commit_by(
            MAINT,
            MAINT,
            "+0200",
            DAY,
            &format!("src: change {i}"),
            &[Op::Put(&path, body.as_bytes())],
        );
    }
}

fn newcomer_commits(s: &mut Stream, n: usize) {
    for i in 0..n {
        let path = format!("src/n{}.c", i % 5);
        let body = format!("int n{i}(void) {{ return {i}; }}\n");
        s.commit_by(
            NEW,
            NEW,
            "+0800",
            DAY,
            &format!("src: newcomer change {i}"),
            &[Op::Put(&path, body.as_bytes())],
        );
    }
}

fn run(stream: Stream, mailmap: Option<&str>) -> (tempfile::TempDir, Vec<String>, History) {
    let dir = tempfile::tempdir().unwrap();
    let ids = import(dir.path(), &stream.finish()).unwrap();
    if let Some(m) = mailmap {
        // As a checked-out `.mailmap` would be.
        fs_err::write(dir.path().join(".mailmap"), m).unwrap();
    }
    let h = review(&Options {
        repo: dir.path().to_path_buf(),
        weights: Weights::default(),
        ..Options::default()
    })
    .unwrap();
    (dir, ids, h)
}

fn codes(h: &History, id: &str) -> Vec<String> {
    h.commits
        .iter()
        .find(|c| c.path == id)
        .unwrap()
        .findings
        .iter()
        .map(|f| f.rule.code().to_owned())
        .collect()
}

fn count(h: &History, code: &str) -> usize {
    h.commits
        .iter()
        .filter(|c| c.findings.iter().any(|f| f.rule.code() == code))
        .count()
}

#[test]
fn mailmap_merges_a_maintainers_second_address() {
    let second = "L. Maintainer <lasse.m@work.example.invalid>";
    let build = || {
        let mut s = Stream::new(1_600_000_000);
        maintainer_history(&mut s);
        for i in 0..40 {
            let body = format!("int g{i}(void) {{ return {i}; }}\n");
            s.commit_by(
                second,
                second,
                "+0200",
                DAY,
                "src: more",
                &[Op::Put("src/g.c", body.as_bytes())],
            );
        }
        s
    };
    let (_d, _ids, h) = run(build(), None);
    assert!(
        count(&h, "GIT001") > 0,
        "without .mailmap the second address is a newcomer"
    );
    let (_d, _ids, h) = run(
        build(),
        Some(
            "Lasse Maintainer <lasse@example.invalid> L. Maintainer <lasse.m@work.example.invalid>\n",
        ),
    );
    assert_eq!(count(&h, "GIT001"), 0, "{:#?}", h.commits.first());
    let c = h
        .commits
        .iter()
        .find(|c| c.name.as_deref() == Some("src: more"))
        .unwrap();
    assert_eq!(
        c.author.as_deref(),
        Some(MAINT),
        "reports show the mapped identity"
    );
}

#[test]
fn newcomer_committing_for_another_newcomer_is_a_chain() {
    let mut s = Stream::new(1_600_000_000);
    maintainer_history(&mut s);
    newcomer_commits(&mut s, 30);
    s.commit_by(
        PUPPET,
        NEW,
        "+0100",
        DAY,
        "liblzma: add ifunc fast path",
        &[Op::Put("src/crc.c", b"int crc(void) { return 1; }\n")],
    );
    let puppet = s.last_mark() as usize - 1;
    s.commit_by(
        PUPPET,
        NEW,
        "+0100",
        DAY,
        "liblzma: tidy fast path",
        &[Op::Put("src/crc.c", b"int crc(void) { return 2; }\n")],
    );
    let second = s.last_mark() as usize - 1;
    let (_d, ids, h) = run(s, None);
    assert!(
        codes(&h, &ids[puppet]).contains(&"GIT011".to_owned()),
        "{:?}",
        codes(&h, &ids[puppet])
    );
    assert!(codes(&h, &ids[second]).contains(&"GIT011".to_owned()));
    let c = h.commits.iter().find(|c| c.path == ids[puppet]).unwrap();
    let f = c
        .findings
        .iter()
        .find(|f| f.rule.code() == "GIT011")
        .unwrap();
    assert!(
        f.evidence.contains("Hans Puppet") && f.evidence.contains("Jia Newcomer"),
        "{}",
        f.evidence
    );
    // Weak alone: never "look" by itself.
    assert!(c.score < Weights::default().look, "{c:#?}");
}

#[test]
fn established_or_hosting_committers_are_not_a_chain() {
    for committer in [MAINT, GITHUB] {
        let mut s = Stream::new(1_600_000_000);
        maintainer_history(&mut s);
        newcomer_commits(&mut s, 30);
        s.commit_by(
            PUPPET,
            committer,
            "+0100",
            DAY,
            "src: first patch",
            &[Op::Put("src/p.c", b"int p;\n")],
        );
        let (_d, _ids, h) = run(s, None);
        assert_eq!(count(&h, "GIT011"), 0, "committer {committer}");
    }
    // A newcomer's own commits (author = committer) are not a chain either.
    let mut s = Stream::new(1_600_000_000);
    maintainer_history(&mut s);
    newcomer_commits(&mut s, 30);
    let (_d, _ids, h) = run(s, None);
    assert_eq!(count(&h, "GIT011"), 0);
}

#[test]
fn first_signed_tag_by_a_newcomer() {
    let build = |last_tagger: &str, signed: bool| {
        let mut s = Stream::new(1_600_000_000);
        for (i, chunk) in [50, 50, 50, 50].into_iter().enumerate() {
            for j in 0..chunk {
                let body = format!("int v{i}_{j};\n");
                s.commit_by(
                    MAINT,
                    MAINT,
                    "+0200",
                    DAY,
                    "src: work",
                    &[Op::Put("src/a.c", body.as_bytes())],
                );
            }
            s.tag(&format!("v1.{i}"), MAINT, true);
        }
        newcomer_commits(&mut s, 30);
        s.tag("v2.0", last_tagger, signed);
        let tagged = s.last_mark() as usize - 1;
        (s, tagged)
    };
    let (s, tagged) = build(NEW, true);
    let (_d, ids, h) = run(s, None);
    assert!(
        codes(&h, &ids[tagged]).contains(&"GIT012".to_owned()),
        "{:?}",
        codes(&h, &ids[tagged])
    );
    let c = h.commits.iter().find(|c| c.path == ids[tagged]).unwrap();
    let f = c
        .findings
        .iter()
        .find(|f| f.rule.code() == "GIT012")
        .unwrap();
    assert!(
        f.evidence.contains("v2.0") && f.evidence.contains("4 earlier signed tags"),
        "{}",
        f.evidence
    );
    assert_eq!(
        count(&h, "GIT012"),
        1,
        "the maintainer's own tags are not flagged"
    );

    for (tagger, signed) in [(MAINT, true), (NEW, false)] {
        let (s, _) = build(tagger, signed);
        let (_d, _ids, h) = run(s, None);
        assert_eq!(count(&h, "GIT012"), 0, "{tagger} signed={signed}");
    }
}

#[test]
fn habit_deviation_needs_two_departures() {
    let build = |tz: &str, step: i64, path: &str| {
        let mut s = Stream::new(1_600_000_000);
        maintainer_history(&mut s);
        s.commit_by(MAINT, MAINT, tz, step, "misc", &[Op::Put(path, b"x\n")]);
        let last = s.last_mark() as usize - 1;
        (s, last)
    };
    // New time zone, 03:00-ish local time, new directory and extension.
    let (s, last) = build("-0700", DAY + 15 * 3600, "build-aux/crc.m4");
    let (_d, ids, h) = run(s, None);
    let c = h.commits.iter().find(|c| c.path == ids[last]).unwrap();
    let f = c.findings.iter().find(|f| f.rule.code() == "GIT013");
    assert!(f.is_some(), "{:#?}", c.findings);
    let e = &f.unwrap().evidence;
    assert!(e.contains("-0700") && e.contains("build-aux/"), "{e}");
    assert!(c.score < Weights::default().look);
    // One departure (a new directory and extension only) is not enough.
    let (s, _) = build("+0200", DAY, "build-aux/crc.m4");
    let (_d, _ids, h) = run(s, None);
    assert_eq!(count(&h, "GIT013"), 0);
    // An ordinary commit.
    let (s, _) = build("+0200", DAY, "src/f1.c");
    let (_d, _ids, h) = run(s, None);
    assert_eq!(count(&h, "GIT013"), 0);
}

#[test]
fn revision_expressions_resolve() {
    let mut s = Stream::new(1_600_000_000);
    maintainer_history(&mut s);
    let (dir, ids, _h) = run(s, None);
    let h = review(&Options {
        repo: dir.path().to_path_buf(),
        range: Some("HEAD~2..HEAD".to_owned()),
        weights: Weights::default(),
        ..Options::default()
    })
    .unwrap();
    let got: Vec<&str> = h.commits.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(got.len(), 2);
    assert!(
        got.contains(&ids[ids.len() - 1].as_str()) && got.contains(&ids[ids.len() - 2].as_str())
    );
}

/// 200 maintainer commits, then 30 merged pull requests, half of them by the newcomer.
fn merging_project(s: &mut Stream) {
    maintainer_history(s);
    for i in 0..30 {
        let body = format!("int pr{i};\n");
        let who = if i % 2 == 0 {
            NEW
        } else {
            "Contrib Utor <contrib@example.invalid>"
        };
        let side = s.side(who, "src: pr", &[Op::Put("src/pr.c", body.as_bytes())]);
        s.merge(MAINT, side);
    }
}

#[test]
fn newcomers_first_direct_main_line_commit_in_a_merging_project() {
    let mut s = Stream::new(1_600_000_000);
    merging_project(&mut s);
    s.commit_by(
        NEW,
        NEW,
        "+0800",
        DAY,
        "src: fast path",
        &[Op::Put("src/fast.c", b"int fast;\n")],
    );
    let direct = s.last_mark() as usize - 1;
    s.commit_by(
        NEW,
        NEW,
        "+0800",
        DAY,
        "src: fast path 2",
        &[Op::Put("src/fast.c", b"int fast2;\n")],
    );
    let again = s.last_mark() as usize - 1;
    let (_d, ids, h) = run(s, None);
    assert!(
        codes(&h, &ids[direct]).contains(&"GIT014".to_owned()),
        "{:?}",
        codes(&h, &ids[direct])
    );
    assert!(
        !codes(&h, &ids[again]).contains(&"GIT014".to_owned()),
        "only the first"
    );
    assert_eq!(
        count(&h, "GIT014"),
        1,
        "side-branch commits and merges are not direct"
    );
}

#[test]
fn direct_commits_by_the_maintainer_or_in_a_linear_project_are_not_flagged() {
    // The maintainer commits directly after the merges.
    let mut s = Stream::new(1_600_000_000);
    merging_project(&mut s);
    s.commit_by(
        MAINT,
        MAINT,
        "+0200",
        DAY,
        "release 1.2",
        &[Op::Put("VERSION", b"1.2\n")],
    );
    let (_d, _ids, h) = run(s, None);
    assert_eq!(count(&h, "GIT014"), 0);
    // A project that never merges: the newcomer's commits are how everyone works.
    let mut s = Stream::new(1_600_000_000);
    maintainer_history(&mut s);
    newcomer_commits(&mut s, 30);
    let (_d, _ids, h) = run(s, None);
    assert_eq!(count(&h, "GIT014"), 0);
}
