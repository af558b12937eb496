//! Synthetic repositories for tests and the benchmark, written as a `git fast-import`
//! stream (benign bytes only: pseudo-random "corrupt" test files, text sources).
//! [`import`] runs `git init` and `git fast-import` into a new directory; nothing else
//! of git is run and no hook exists in a fresh repository.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// A deterministic xorshift64* byte generator.
pub struct Rng(u64);

impl Rng {
    /// A generator from a non-zero seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }
    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// `n` incompressible bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| (self.next_u64() >> 56) as u8).collect()
    }
}

/// A fast-import stream under construction: branch `refs/heads/main`, plus side
/// branches merged into it ([`Stream::side`], [`Stream::merge`]).
#[derive(Default)]
pub struct Stream {
    out: Vec<u8>,
    mark: u64,
    /// Mark of the tip of `main` (0: none yet).
    main: u64,
    time: i64,
}

/// One file operation of a commit.
pub enum Op<'a> {
    /// Write the file.
    Put(&'a str, &'a [u8]),
    /// Delete it.
    Del(&'a str),
}

impl Stream {
    /// An empty stream whose first commit is at `start` (Unix seconds).
    pub fn new(start: i64) -> Self {
        Stream {
            out: Vec::new(),
            mark: 0,
            main: 0,
            time: start,
        }
    }

    /// Append a commit by `who` (`Name <email>`) one hour after the previous one.
    pub fn commit(&mut self, who: &str, message: &str, ops: &[Op<'_>]) {
        self.commit_by(who, who, "+0000", 3600, message, ops);
    }

    /// Append a commit authored by `author` and committed by `committer`, `step` seconds
    /// after the previous one, with the author's time-zone offset `tz` (`+0200`).
    pub fn commit_by(
        &mut self,
        author: &str,
        committer: &str,
        tz: &str,
        step: i64,
        message: &str,
        ops: &[Op<'_>],
    ) {
        let parents: Vec<u64> = (self.main > 0).then_some(self.main).into_iter().collect();
        self.raw("main", &parents, author, committer, tz, step, message, ops);
        self.main = self.mark;
    }

    /// A commit on branch `refs/heads/side/N` off the tip of `main`, by `who`; returns
    /// its mark for [`Stream::merge`].
    pub fn side(&mut self, who: &str, message: &str, ops: &[Op<'_>]) -> u64 {
        let parents: Vec<u64> = (self.main > 0).then_some(self.main).into_iter().collect();
        let branch = format!("side/{}", self.mark + 1);
        self.raw(&branch, &parents, who, who, "+0000", 3600, message, ops);
        self.mark
    }

    /// A merge of `side` (a mark) into `main`, committed by `who`.
    pub fn merge(&mut self, who: &str, side: u64) {
        let parents = [self.main, side];
        self.raw(
            "main",
            &parents,
            who,
            who,
            "+0000",
            600,
            "Merge pull request",
            &[],
        );
        self.main = self.mark;
    }

    #[allow(clippy::too_many_arguments)]
    fn raw(
        &mut self,
        branch: &str,
        parents: &[u64],
        author: &str,
        committer: &str,
        tz: &str,
        step: i64,
        message: &str,
        ops: &[Op<'_>],
    ) {
        self.mark += 1;
        self.time += step;
        let mut h = String::new();
        let _ = write!(
            h,
            "commit refs/heads/{branch}\nmark :{}\nauthor {author} {} {tz}\ncommitter {committer} {} +0000\ndata {}\n{message}\n",
            self.mark,
            self.time,
            self.time,
            message.len()
        );
        let mut parents = parents.iter();
        if let Some(p) = parents.next() {
            let _ = writeln!(h, "from :{p}");
        }
        for p in parents {
            let _ = writeln!(h, "merge :{p}");
        }
        self.out.extend_from_slice(h.as_bytes());
        for op in ops {
            match op {
                Op::Put(p, d) => {
                    self.out.extend_from_slice(
                        format!("M 100644 inline {p}\ndata {}\n", d.len()).as_bytes(),
                    );
                    self.out.extend_from_slice(d);
                    self.out.push(b'\n');
                }
                Op::Del(p) => self.out.extend_from_slice(format!("D {p}\n").as_bytes()),
            }
        }
        self.out.push(b'\n');
    }

    /// An annotated tag `name` on the last commit by `tagger`, one minute after it; with
    /// `signed`, the message carries a (syntactically shaped, not valid) PGP signature
    /// block as `git tag -s` appends one.
    pub fn tag(&mut self, name: &str, tagger: &str, signed: bool) {
        let mut msg = format!("Release {name}\n");
        if signed {
            msg.push_str(
                "-----BEGIN PGP SIGNATURE-----\n\nFAKE-SIGNATURE\n-----END PGP SIGNATURE-----\n",
            );
        }
        let h = format!(
            "tag {name}\nfrom :{}\ntagger {tagger} {} +0000\ndata {}\n{msg}\n",
            self.mark,
            self.time + 60,
            msg.len()
        );
        self.out.extend_from_slice(h.as_bytes());
    }

    /// The full commit id is not known until import; the mark of the last commit.
    pub fn last_mark(&self) -> u64 {
        self.mark
    }

    /// The stream bytes.
    pub fn finish(self) -> Vec<u8> {
        self.out
    }
}

/// `git init` a new repository at `dir` and import `stream` into it; returns the commit
/// ids in mark order (index `m - 1` is mark `m`; for a linear history, oldest first).
///
/// # Errors
/// When git cannot be run or fails.
pub fn import(dir: &Path, stream: &[u8]) -> std::io::Result<Vec<String>> {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
    };
    fs_err::create_dir_all(dir)?;
    let o = git(&["init", "-q", "-b", "main"])?;
    if !o.status.success() {
        return Err(std::io::Error::other(
            String::from_utf8_lossy(&o.stderr).into_owned(),
        ));
    }
    let marks = dir.join(".git").join("assay-synth-marks");
    let mut child = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["fast-import", "--quiet"])
        .arg(format!("--export-marks={}", marks.display()))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(std::process::Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(stream)?;
    }
    if !child.wait()?.success() {
        return Err(std::io::Error::other("git fast-import failed"));
    }
    let text = fs_err::read_to_string(&marks)?;
    fs_err::remove_file(&marks)?;
    let mut ids: Vec<(u64, String)> = text
        .lines()
        .filter_map(|l| {
            let (m, id) = l.split_once(' ')?;
            Some((m.trim_start_matches(':').parse().ok()?, id.to_owned()))
        })
        .collect();
    ids.sort();
    Ok(ids.into_iter().map(|(_, id)| id).collect())
}

/// The maintainer of the synthetic projects.
pub const MAINTAINER: &str = "Lasse Maintainer <lasse@example.invalid>";
/// The newcomer of [`xz_like`].
pub const NEWCOMER: &str = "Jia Newcomer <jia@example.invalid>";

/// The CMake Landlock check, good; [`xz_like`] breaks it with a line holding `.`.
pub const CMAKE_OK: &str = "cmake_minimum_required(VERSION 3.20)\nproject(demo C)\ncheck_c_source_compiles(\"\n    #include <linux/landlock.h>\n    #include <sys/syscall.h>\n    #include <sys/prctl.h>\n\n    void my_sandbox(void)\n    {\n        (void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);\n        (void)SYS_landlock_create_ruleset;\n    }\n\n    int main(void) { return 0; }\n    \"\n    HAVE_LINUX_LANDLOCK)\nadd_library(demo src/lib.c)\n";

fn source(i: usize, rev: usize) -> Vec<u8> {
    format!("/* file {i} revision {rev} */\n#include \"lib.h\"\n\nint demo_{i}(int x)\n{{\n    return x + {rev};\n}}\n").into_bytes()
}

/// The five commits [`xz_like`] plants, by their 0-based position in its history.
#[derive(Debug, Clone, Copy)]
pub struct Planted {
    /// "Tests: Add a few test files." (the opaque `bad-3-corrupt_lzma2.xz`).
    pub add_binary: usize,
    /// "Tests: Update two test files." (rewrites them).
    pub rewrite_binary: usize,
    /// The CMake Landlock check broken by a stray `.`.
    pub break_check: usize,
    /// `build-to-host.m4` added to `m4/.gitignore`.
    pub ignore_macro: usize,
    /// Commits by the maintainer, positions.
    pub maintainer: &'static [usize],
}

/// A maintainer's 200 commits, then a newcomer who writes most of the next 60 and
/// plants the four steps of [`Planted`]. With `with_generator`, the binary is instead
/// added with the script that generates it and a test that names it (the benign twin)
/// and the other steps are left out.
pub fn xz_like(with_generator: bool) -> (Vec<u8>, Vec<usize>, Planted) {
    let mut s = Stream::new(1_600_000_000);
    let mut rng = Rng::new(0x5eed);
    let mut maint = Vec::new();
    let mut n = 0usize;
    // The maintainer's history: sources, the build, two tracked m4 macros, tests.
    s.commit(
        MAINTAINER,
        "Initial import.",
        &[
            Op::Put("CMakeLists.txt", CMAKE_OK.as_bytes()),
            Op::Put("m4/.gitignore", b"libtool.m4\n"),
            Op::Put("m4/visibility.m4", b"AC_DEFUN([DEMO_VIS], [:])\n"),
            Op::Put("m4/posix-shell.m4", b"AC_DEFUN([DEMO_SH], [:])\n"),
            Op::Put("src/lib.h", b"int demo(int);\n"),
            Op::Put(
                "tests/test_files.sh",
                b"#!/bin/sh\nfor f in good-1.txt; do ./check \"$f\"; done\n",
            ),
            Op::Put("tests/files/good-1.txt", b"plain test data\n"),
        ],
    );
    maint.push(n);
    n += 1;
    for rev in 1..200 {
        let i = rev % 12;
        let path = format!("src/f{i}.c");
        let data = source(i, rev);
        let msg = if rev % 10 == 0 {
            format!("Tests: Extend test {i}.")
        } else {
            format!("liblzma: Tweak demo_{i} for revision {rev}.")
        };
        let p = if rev % 10 == 0 {
            format!("tests/t{i}.sh")
        } else {
            path
        };
        s.commit(MAINTAINER, &msg, &[Op::Put(&p, &data)]);
        maint.push(n);
        n += 1;
    }
    let bad = rng.bytes(40 * 1024);
    let bad2 = rng.bytes(40 * 1024);
    let mut planted = Planted {
        add_binary: 0,
        rewrite_binary: 0,
        break_check: 0,
        ignore_macro: 0,
        maintainer: &[],
    };
    for k in 0..60usize {
        let newcomer = k % 4 != 3;
        let who = if newcomer { NEWCOMER } else { MAINTAINER };
        match (with_generator, k) {
            (false, 20) => {
                s.commit(
                    NEWCOMER,
                    "Tests: Add a few test files.",
                    &[
                        Op::Put("tests/files/bad-3-corrupt_lzma2.xz", &bad),
                        Op::Put("tests/files/good-large_compressed.lzma", &bad2),
                        // As in xz-utils, the files' README describes them: documentation
                        // naming a file is not code reading it.
                        Op::Put(
                            "tests/files/README",
                            b"bad-3-corrupt_lzma2.xz has a corrupt LZMA2 stream.\ngood-large_compressed.lzma is a large valid file.\n",
                        ),
                    ],
                );
                planted.add_binary = n;
            }
            (true, 20) => {
                s.commit(
                    NEWCOMER,
                    "Tests: Add a corrupt-stream test.",
                    &[
                        Op::Put("tests/files/bad-3-corrupt_lzma2.xz", &bad),
                        Op::Put(
                            "tests/files/gen-corrupt.sh",
                            b"#!/bin/sh\n# Regenerates bad-3-corrupt_lzma2.xz: 40 KiB from a fixed seed.\nhead -c 40960 /dev/urandom > bad-3-corrupt_lzma2.xz\n",
                        ),
                        Op::Put("tests/test_corrupt.sh", b"#!/bin/sh\n./check files/bad-3-corrupt_lzma2.xz && exit 1\nexit 0\n"),
                    ],
                );
                planted.add_binary = n;
            }
            (false, 34) => {
                let b1 = rng.bytes(40 * 1024);
                let b2 = rng.bytes(40 * 1024);
                s.commit(
                    NEWCOMER,
                    "Tests: Update two test files.",
                    &[
                        Op::Put("tests/files/bad-3-corrupt_lzma2.xz", &b1),
                        Op::Put("tests/files/good-large_compressed.lzma", &b2),
                    ],
                );
                planted.rewrite_binary = n;
            }
            (false, 42) => {
                let broken = CMAKE_OK.replace(
                    "    #include <sys/prctl.h>\n",
                    "    #include <sys/prctl.h>\n.\n",
                );
                s.commit(
                    NEWCOMER,
                    "CMake: Fix Linux Landlock feature test.",
                    &[Op::Put("CMakeLists.txt", broken.as_bytes())],
                );
                planted.break_check = n;
            }
            (false, 50) => {
                s.commit(
                    NEWCOMER,
                    "Build: Update m4/.gitignore.",
                    &[Op::Put("m4/.gitignore", b"libtool.m4\nbuild-to-host.m4\n")],
                );
                planted.ignore_macro = n;
            }
            _ => {
                let i = k % 12;
                let p = format!("src/f{i}.c");
                s.commit(
                    who,
                    &format!("liblzma: Refactor demo_{i} ({k})."),
                    &[Op::Put(&p, &source(i, 300 + k))],
                );
                if !newcomer {
                    maint.push(n);
                }
            }
        }
        n += 1;
    }
    (s.finish(), maint, planted)
}

/// A plain project of `commits` commits by `authors` people (a few dozen directories,
/// sources edited, an occasional referenced binary fixture, build change and dependency
/// manifest change: `package.json` or `requirements.txt` gains a name every 100 commits), for the
/// benchmark.
pub fn plain(commits: usize, authors: usize) -> Vec<u8> {
    let mut s = Stream::new(1_500_000_000);
    let mut rng = Rng::new(42);
    let people: Vec<String> = (0..authors.max(1))
        .map(|a| format!("Dev {a} <dev{a}@example.invalid>"))
        .collect();
    let mut blob_n = 0usize;
    let mut deps: Vec<String> = Vec::new();
    for c in 0..commits {
        let who = people
            .get((rng.next_u64() as usize) % people.len())
            .map_or(MAINTAINER, String::as_str);
        let d = (rng.next_u64() % 40) as usize;
        let i = (rng.next_u64() % 25) as usize;
        let p = format!("src/mod{d}/file{i}.c");
        let data = source(i, c);
        if c % 500 == 250 {
            blob_n += 1;
            let b = rng.bytes(8 * 1024);
            let name = format!("tests/data/sample{blob_n}.bin");
            let t = format!("tests/run{blob_n}.sh");
            let script = format!("#!/bin/sh\n./check data/sample{blob_n}.bin\n");
            s.commit(
                who,
                "Tests: add a sample.",
                &[Op::Put(&name, &b), Op::Put(&t, script.as_bytes())],
            );
        } else if c % 100 == 75 {
            // Dependency manifests (GIT016/GIT017 parse both sides of each change).
            deps.push(format!("dep-{c}"));
            let pj = format!(
                "{{\n  \"name\": \"demo\",\n  \"dependencies\": {{\n{}\n  }}\n}}\n",
                deps.iter()
                    .map(|d| format!("    \"{d}\": \"^1.0.{c}\""))
                    .collect::<Vec<_>>()
                    .join(",\n")
            );
            let req: String = deps.iter().map(|d| format!("{d}>=1.0\n")).collect();
            let (path, body) = if c % 200 == 75 {
                ("package.json", pj)
            } else {
                ("requirements.txt", req)
            };
            s.commit(who, "deps: add one", &[Op::Put(path, body.as_bytes())]);
        } else if c % 300 == 150 {
            let cm = CMAKE_OK.replace(
                "add_library(demo",
                &format!("# revision {c}\nadd_library(demo"),
            );
            s.commit(
                who,
                "build: touch CMake",
                &[Op::Put("CMakeLists.txt", cm.as_bytes())],
            );
        } else {
            s.commit(
                who,
                &format!("mod{d}: change file{i} ({c})"),
                &[Op::Put(&p, &data)],
            );
        }
    }
    s.finish()
}
