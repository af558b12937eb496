//! What rules see of an artifact: its files, the analysis of each code file (Python and
//! JavaScript, one model: [`CodeFile`]) with its role, and the package's metadata (core
//! metadata and entry points for Python, `package.json` for npm).

use assay_core::{
    Artifact, ArtifactFormat, Entry, ExecutionContext, FileKind, Finding, Location, RuleMeta,
    Severity,
};
use assay_formats::{CoreMetadata, EntryPoint, PthKind};
use assay_lang::{Analysis, Event, FileRole, Language, StrLit};
use rayon::prelude::*;
use std::collections::HashMap;

/// One analysed code text: a `.py` file, one executable line of a `.pth` file, or a
/// JavaScript/TypeScript file. Behaviour rules read [`CodeFile::analysis`], which has the
/// same shape for both languages; rules that only make sense for one language check
/// [`CodeFile::language`] (or declare only that language's [`FileKind`] as target).
#[derive(Debug)]
pub struct CodeFile<'a> {
    /// The entry it came from.
    pub entry: &'a Entry,
    /// The language of the text.
    pub language: Language,
    /// How it runs.
    pub role: FileRole,
    /// The analysis.
    pub analysis: Analysis,
    /// For a `.pth` import line: its 1-based line number (event lines are relative to it).
    pub pth_line: Option<u32>,
    /// Under a tests/docs/examples tree and not imported by the package's own code.
    pub test_like: bool,
}

impl CodeFile<'_> {
    /// Location of an event (mapped back to the `.pth` line for `.pth` files).
    pub fn event_location(&self, e: &Event) -> Location {
        self.location(e.line, Some(e.column), &e.chain)
    }

    /// Location of a string literal.
    pub fn string_location(&self, s: &StrLit) -> Location {
        self.location(s.line, None, &s.chain)
    }

    fn location(&self, line: u32, column: Option<u32>, chain: &[String]) -> Location {
        // Decoded code: point at the outermost decode site in the file (`line N: …`, the
        // first chain step); the decode chain says where inside the payload it is.
        let site = chain
            .first()
            .and_then(|c| c.strip_prefix("line "))
            .and_then(|r| r.split(':').next())
            .and_then(|n| n.parse::<u32>().ok());
        let (line, column) = match (self.pth_line, site) {
            (Some(l), _) if chain.is_empty() => (l + line.saturating_sub(1), column),
            (Some(l), _) => (l, None),
            (None, Some(s)) => (s, None),
            (None, None) => (line, column),
        };
        Location {
            path: self.entry.path.clone(),
            line: Some(line),
            column,
            end_line: None,
            decode_chain: chain.to_vec(),
        }
    }

    /// The kind of text this is, which rules' targets select ([`crate::rules::Check`]):
    /// [`FileKind::JavaScript`] for JavaScript/TypeScript, [`FileKind::Pth`] for an
    /// executable `.pth` line, else [`FileKind::Python`] (a `.py` file, or another file
    /// that setup code imports or executes).
    pub fn kind(&self) -> FileKind {
        if self.language == Language::JavaScript {
            FileKind::JavaScript
        } else if self.pth_line.is_some() {
            FileKind::Pth
        } else {
            FileKind::Python
        }
    }

    /// Whether the file sits in a tests/docs/examples/benchmarks tree, where module-level
    /// code runs only under a test runner, never on install or import of the package.
    pub fn is_test_or_doc(&self) -> bool {
        self.test_like
    }
}

pub use assay_lang::is_prose;

/// Whether a path is under a tests/docs/examples/benchmarks tree (or is a test module).
pub fn is_test_or_doc(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    lower.split('/').any(|c| {
        c.split([' ', '_', '-'])
            .any(|w| matches!(w, "test" | "tests" | "testing" | "testdata"))
            || matches!(
                c,
                "test"
                    | "tests"
                    | "testing"
                    | "doc"
                    | "docs"
                    | "example"
                    | "examples"
                    | "benchmarks"
                    | "benchmark"
                    | "bench"
                    | "scripts"
                    | "tools"
                    | "ci"
                    | ".github"
                    | "dev"
            )
    }) || name.starts_with("test_")
        || name.ends_with("_test.py")
        || name == "conftest.py"
        || name == "noxfile.py"
        || name == "tasks.py"
        || name == "fabfile.py"
}

/// Everything a rule may look at for one artifact.
#[derive(Debug)]
pub struct Cx<'a> {
    /// The artifact.
    pub artifact: &'a Artifact,
    /// The single top-level directory of an sdist (`pkg-1.0/`), or empty.
    pub root: String,
    /// Every analysed code text: Python first, then JavaScript.
    pub code: Vec<CodeFile<'a>>,
    /// Every npm package of the artifact (its root package, and each package under
    /// `node_modules/`), by the directory of its `package.json`.
    pub npm: Vec<NpmPackage<'a>>,
    /// Core metadata (`PKG-INFO`/`METADATA`) of the distribution, when there is one.
    pub metadata: Option<CoreMetadata>,
    /// Console and GUI scripts and other entry points declared by the distribution.
    pub entry_points: Vec<(String /* file */, EntryPoint)>,
    /// Every pickle stream of the artifact walked once by the symbolic pickle VM (model
    /// files, PyTorch zip members, object `.npy`), for the `ML` rules.
    pub pickles: Vec<crate::rules::ml::PickleFile<'a>>,
    /// The user's `[models] allow` patterns (`assay.toml`), treated like the classic-ML
    /// allowlist by the pickle rules ([`crate::rules::ml::imports::judge_with`]).
    pub model_allow: Vec<assay_core::model_allow::AllowPattern>,
}

/// One Python text to analyse: a `.py` file, or one import line of a `.pth` file.
struct Job<'a> {
    entry: &'a Entry,
    /// Index of `entry` in the artifact.
    idx: usize,
    role: FileRole,
    /// For a `.pth` import line: its 1-based line number, and `code` holds the line.
    pth_line: Option<u32>,
    code: Vec<u8>,
    /// Filled in early for setup scripts, which are read before the rest.
    analysis: Option<Analysis>,
}

/// Python texts analysed in parallel at a time by [`Cx::build`] before their results are
/// compacted.
const ANALYSIS_CHUNK: usize = 128;

/// The artifact [`Cx::build_with`] reads: shared, or owned by the caller, who lets the
/// texts of analysed Python files be released.
enum Source<'a> {
    Shared(&'a Artifact),
    Owned(&'a mut Artifact),
}

impl<'a> Source<'a> {
    fn get(&self) -> &Artifact {
        match self {
            Source::Shared(a) => a,
            Source::Owned(a) => a,
        }
    }

    /// Release the text of entry `idx` (see [`release_text`]); nothing for a shared one.
    fn release(&mut self, idx: usize, analysis: &Analysis) {
        if let Source::Owned(a) = self
            && let Some(e) = a.entries.get_mut(idx)
        {
            release_text(e, analysis);
        }
    }

    fn into_shared(self) -> &'a Artifact {
        match self {
            Source::Shared(a) => a,
            Source::Owned(a) => a,
        }
    }
}

/// Drop the text of an analysed `.py` file that no rule reads again: every rule judges a
/// Python file through its analysis, except the two that search the text itself
/// (`PY014` shellcode loaders, `PY012` obfuscators; [`crate::rules::py::text_rules_need`]),
/// so a text either of them could match is kept, and so is a text that did not parse
/// cleanly or was not fully walked (binary posing as source, XOR-encrypted executables,
/// code NOT INSPECTED). The entry keeps its path, size and `complete` flag, and its sha256
/// is computed first (suppressions pin files by digest).
///
/// Why: a large package's Python text and its analyses were both held until the artifact
/// was judged (ansible's sdist: 190 MB of sources beside 250 MB of analyses). Released as
/// each chunk is analysed, the peak is about the larger of the two, not their sum.
fn release_text(e: &mut Entry, analysis: &Analysis) {
    if e.file_kind != FileKind::Python
        || !e.complete
        || analysis.syntax_errors > 0
        || analysis.unwalked
        || analysis.truncated
        || crate::rules::py::text_rules_need(&e.data)
        // PKG015 reads `install_requires` from the text, when an advisory lookup is there.
        || (e.file_name() == "setup.py" && crate::known_packages::get().is_some())
    {
        return;
    }
    if e.sha256.is_none() {
        use sha2::Digest;
        e.sha256 = Some(sha2::Sha256::digest(&e.data).into());
    }
    e.data = Vec::new();
}

/// A [`Job`] by entry index, so the artifact can be changed between chunks.
struct Pending {
    idx: usize,
    role: FileRole,
    pth_line: Option<u32>,
    code: Vec<u8>,
    analysis: Option<Analysis>,
}

impl<'a> Cx<'a> {
    /// Analyse every Python text of the artifact (in parallel) and read its metadata.
    pub fn build(artifact: &'a Artifact) -> Self {
        Self::build_with(Source::Shared(artifact))
    }

    /// [`Cx::build`] for a caller that owns the artifact and needs no more of it than the
    /// report: the texts of analysed Python files that no rule reads again are released
    /// as each chunk is analysed (see [`release_text`]); the findings are the same.
    pub fn build_releasing(artifact: &'a mut Artifact) -> Self {
        Self::build_with(Source::Owned(artifact))
    }

    /// The artifact's common root, and its Python texts to analyse (setup scripts and what
    /// they import analysed already).
    fn jobs(artifact: &Artifact) -> (String, Vec<Pending>) {
        let root = common_root(artifact);
        // Python files a Hugging Face `auto_map` names run when the model loads.
        let model_code: std::collections::HashSet<String> =
            crate::rules::ml::auto_map_refs(artifact)
                .into_iter()
                .filter_map(|r| r.module_path)
                .collect();
        let mut jobs: Vec<Job<'_>> = Vec::new();
        for (idx, e) in artifact.entries.iter().enumerate() {
            if !e.complete {
                continue;
            }
            match e.file_kind {
                // Type stubs (PEP 484 `.pyi`, typeshed copies vendored in type checkers)
                // are read by type checkers, never imported or run.
                FileKind::Python if e.path.ends_with(".pyi") => {}
                FileKind::Python => {
                    let role = if model_code.contains(&e.path) {
                        FileRole::ModelCode
                    } else {
                        role_of(&e.path, &root, artifact.format)
                    };
                    jobs.push(Job {
                        entry: e,
                        idx,
                        role,
                        pth_line: None,
                        code: Vec::new(),
                        analysis: None,
                    });
                }
                FileKind::Pth => {
                    for line in assay_formats::parse_pth(&e.data)
                        .map(|p| p.lines)
                        .unwrap_or_default()
                    {
                        if let PthKind::Import(code) = line.kind {
                            jobs.push(Job {
                                entry: e,
                                idx,
                                role: FileRole::Startup,
                                pth_line: Some(line.line_no as u32),
                                code: code.into_bytes(),
                                analysis: None,
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        for path in promote_setup_imports(&mut jobs, &root) {
            let known = jobs.iter().any(|j| j.entry.path == path);
            if let Some((idx, e)) = artifact
                .entries
                .iter()
                .enumerate()
                .find(|(_, e)| e.complete && e.path == path && e.file_kind != FileKind::Pth)
                .filter(|_| !known)
            {
                jobs.push(Job {
                    entry: e,
                    idx,
                    role: FileRole::SetupScript,
                    pth_line: None,
                    code: Vec::new(),
                    analysis: None,
                });
            }
        }
        let pending = jobs
            .into_iter()
            .map(|j| Pending {
                idx: j.idx,
                role: j.role,
                pth_line: j.pth_line,
                code: j.code,
                analysis: j.analysis,
            })
            .collect();
        (root, pending)
    }

    fn build_with(mut src: Source<'a>) -> Self {
        let (root, pending) = Self::jobs(src.get());
        // Analysed in parallel a chunk at a time; each result is copied by this thread
        // and the worker's original dropped (`Analysis::compacted`: the long-lived
        // results stay packed instead of pinning the workers' freed parse memory).
        let mut analysed: Vec<(Pending, Analysis)> = Vec::with_capacity(pending.len());
        let mut pending = pending.into_iter();
        loop {
            let chunk: Vec<Pending> = pending.by_ref().take(ANALYSIS_CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let artifact = src.get();
            let done: Vec<(Pending, Analysis)> = chunk
                .into_par_iter()
                .map(|mut job| {
                    // Setup scripts were analysed already (to find what they import).
                    let a = job.analysis.take().unwrap_or_else(|| {
                        let src: &[u8] = if job.pth_line.is_some() {
                            &job.code
                        } else {
                            artifact.entries.get(job.idx).map_or(&[][..], |e| &e.data)
                        };
                        assay_lang::analyze_python_reduced(
                            src,
                            job.role,
                            &assay_lang::Bounds::default(),
                            &crate::rules::patterns::is_indicator,
                        )
                    });
                    (job, a)
                })
                .collect();
            for (job, a) in done {
                let a = a.compacted();
                if job.pth_line.is_none() {
                    src.release(job.idx, &a);
                }
                analysed.push((job, a));
            }
        }
        let artifact = src.into_shared();
        let mut python: Vec<CodeFile<'a>> = analysed
            .into_iter()
            .filter_map(|(job, analysis)| {
                let entry = artifact.entries.get(job.idx)?;
                Some(CodeFile {
                    entry,
                    language: Language::Python,
                    role: job.role,
                    analysis,
                    pth_line: job.pth_line,
                    test_like: is_test_or_doc(
                        entry
                            .path
                            .strip_prefix(root.as_str())
                            .unwrap_or(&entry.path),
                    ),
                })
            })
            .collect();
        unmark_imported_tests(&mut python);
        promote_cross_module(&mut python);
        promote_startup_imports(&mut python);
        if !matches!(
            artifact.format,
            ArtifactFormat::Wheel | ArtifactFormat::Environment
        ) {
            let backend = in_tree_backend(artifact, &root);
            promote_import_time(
                &mut python,
                Vec::new(),
                &backend,
                ExecutionContext::InstallTime,
            );
        }
        analyse_executed_data(artifact, &mut python);
        let metadata = pick_metadata(artifact, &root);
        let mut entry_points = Vec::new();
        for e in &artifact.entries {
            let parsed = match e.file_kind {
                FileKind::EntryPoints if e.complete => {
                    assay_formats::parse_entry_points(&e.data).ok()
                }
                _ => None,
            };
            for ep in parsed.map(|p| p.entries).unwrap_or_default() {
                entry_points.push((e.path.clone(), ep));
            }
        }
        let npm = npm_packages(artifact);
        python.extend(analyse_javascript(artifact, &root, &npm));
        Cx {
            artifact,
            root,
            code: python,
            npm,
            metadata,
            entry_points,
            pickles: crate::rules::ml::scan_pickles(artifact),
            model_allow: Vec::new(),
        }
    }

    /// Distribution name from metadata.
    pub fn name(&self) -> Option<&str> {
        self.metadata.as_ref().and_then(|m| m.name.as_deref())
    }

    /// A finding of this rule with its default levels.
    pub fn finding(
        &self,
        meta: &RuleMeta,
        location: Location,
        evidence: impl Into<String>,
    ) -> Finding {
        meta.finding(location, evidence)
    }

    /// A finding of this rule for an event of a Python file, with context and severity.
    pub fn event_finding(
        &self,
        meta: &RuleMeta,
        f: &CodeFile,
        e: &Event,
        severity: Severity,
        evidence: impl Into<String>,
    ) -> Finding {
        let mut x = Finding::new(
            meta.rule,
            severity,
            meta.rule.confidence(),
            f.event_location(e),
            evidence,
        );
        x.context = Some(e.context);
        x
    }

    /// Path relative to the sdist root.
    pub fn rel<'p>(&self, path: &'p str) -> &'p str {
        path.strip_prefix(self.root.as_str()).unwrap_or(path)
    }
}

/// Severity of behaviour by when it runs: `automatic` for install/startup, `import`
/// for import time, `runtime` otherwise. For tables that depend on more than the rule
/// (the file's role, the kind of match); a rule whose severity follows the context alone
/// declares its table in the catalog instead (`Rule::severity_in`).
pub fn by_context(
    ctx: ExecutionContext,
    automatic: Severity,
    import: Severity,
    runtime: Severity,
) -> Severity {
    assay_core::ContextSeverity {
        automatic,
        import,
        runtime,
    }
    .of(ctx)
}

/// Most rounds of following imports out of setup code (`setup.py` → `setup/__init__.py`
/// → `setup/install_command.py` is two).
const MAX_SETUP_IMPORT_ROUNDS: usize = 4;

/// Local modules that `setup.py` imports (`import post_install`, `from mypkg import
/// __version__`, `__import__(PACKAGE)`) or reads and executes (`exec(open(p).read())`)
/// run at install time: give them the setup role. Imports are followed further (with
/// relative imports resolved against the importing module's package, for at most
/// [`MAX_SETUP_IMPORT_ROUNDS`] rounds) to find the module holding a setuptools command
/// class (`class InstallCommand(install)` in `setup/install_command.py`, imported by
/// `setup/__init__.py`): that one gets the setup role too, since its methods run at
/// install. Only build-support modules (they name setuptools or distutils) are followed
/// beyond the setup script's own imports, so the package itself is not walked. Other
/// modules further down keep their role: their functions run only if build code happens
/// to call them (lxml's static-build downloader).
///
/// Returns the paths of files that are not Python by name but that setup code executes
/// (`exec(open("build.cfg").read())`, `runpy.run_path("helpers.txt")`), so the caller
/// can analyse them as setup code too.
fn promote_setup_imports(jobs: &mut [Job<'_>], root: &str) -> Vec<String> {
    let mut data_code: Vec<String> = Vec::new();
    let module_of = |path: &str| -> (String, bool) {
        let rel = path.strip_prefix(root).unwrap_or(path);
        let rel = rel.strip_prefix("src/").unwrap_or(rel);
        let init = rel.ends_with("/__init__.py") || rel == "__init__.py";
        let module = rel
            .strip_suffix("/__init__.py")
            .or_else(|| rel.strip_suffix(".py"))
            .unwrap_or(rel)
            .replace('/', ".");
        (module, init)
    };
    let mut frontier: Vec<usize> = (0..jobs.len())
        .filter(|&i| jobs[i].role == FileRole::SetupScript)
        .collect();
    for &ji in &frontier {
        let job = &mut jobs[ji];
        job.analysis = Some(assay_lang::analyze_python(
            &job.entry.data,
            FileRole::SetupScript,
        ));
    }
    let mut visited: std::collections::HashSet<usize> = frontier.iter().copied().collect();
    // Analyses of modules followed for their imports but not promoted, by job index.
    let mut followed: std::collections::HashMap<usize, Analysis> = std::collections::HashMap::new();
    for round in 0..MAX_SETUP_IMPORT_ROUNDS {
        let mut names: Vec<String> = Vec::new();
        // Python files a setup script reads and executes (`exec(open(p).read())`,
        // `exec(compile(f.read(), p, "exec"))`): their code runs at install time too.
        let mut executed: Vec<String> = Vec::new();
        for &ji in &frontier {
            let job = &jobs[ji];
            let path = job.entry.path.as_str();
            // Every frontier module was analysed once, as setup code, when it was reached.
            let Some(a) = job.analysis.as_ref().or_else(|| followed.get(&ji)) else {
                continue;
            };
            let runs_file_text = a.events.iter().any(|ev| {
                ev.kind == assay_lang::EventKind::Exec && ev.taint.has(assay_lang::Taint::FILE_READ)
            });
            let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
            let mut run_path = |p: &str| {
                let full = beside(dir, p);
                if !full.ends_with(".py") {
                    data_code.push(full.clone());
                }
                executed.push(full);
            };
            if runs_file_text {
                // The file the code reads is what it executes, whatever its name: a payload
                // moved to `build.cfg` runs like one in `build.py` (issue 21, item 7). A
                // read named inside the exec call itself is certain; with the text passed
                // through a variable, every read but documentation (setup scripts read
                // their README for `long_description`) is taken.
                let execs: Vec<&str> = a
                    .events
                    .iter()
                    .filter(|ev| {
                        ev.kind == assay_lang::EventKind::Exec
                            && ev.taint.has(assay_lang::Taint::FILE_READ)
                    })
                    .map(|ev| ev.snippet.as_str())
                    .collect();
                for ev in a
                    .events
                    .iter()
                    .filter(|ev| ev.kind == assay_lang::EventKind::FileRead)
                {
                    if let Some(p) = read_path(ev) {
                        let inline = execs.iter().any(|x| x.contains(p.as_str()));
                        if p.ends_with(".py") || inline || !is_documentation(&p) {
                            run_path(&p);
                        }
                    }
                }
            }
            // `runpy.run_path("helpers.txt")`, `execfile("x")`: a path, run as code.
            for ev in a.events.iter().filter(|ev| {
                ev.kind == assay_lang::EventKind::Exec
                    && matches!(ev.api.as_str(), "runpy.run_path" | "execfile")
            }) {
                if let Some(p) = read_path(ev).filter(|p| p.len() <= 200) {
                    run_path(&p);
                }
            }
            let (module, init) = module_of(path);
            for (m, _) in &a.imports {
                let rest = m.trim_start_matches('.');
                let dots = m.len() - rest.len();
                // The setup script's own relative imports are read as top-level names
                // (it is not in a package); a promoted module's resolve in its package.
                names.push(rest.to_owned());
                if dots > 0 && !path.ends_with("setup.py") {
                    let mut base: Vec<&str> = module.split('.').collect();
                    let up = if init { dots - 1 } else { dots };
                    if up <= base.len() {
                        base.truncate(base.len() - up);
                        let mut n = base.join(".");
                        if !rest.is_empty() {
                            if !n.is_empty() {
                                n.push('.');
                            }
                            n.push_str(rest);
                        }
                        names.push(n);
                    }
                }
            }
            for ev in a
                .events
                .iter()
                .filter(|ev| ev.kind == assay_lang::EventKind::DynamicImport)
            {
                if let Some(m) = &ev.arg {
                    names.push(m.clone());
                }
            }
        }
        if names.is_empty() && executed.is_empty() {
            return data_code;
        }
        let mut next = Vec::new();
        for (ji, job) in jobs.iter_mut().enumerate() {
            if job.role == FileRole::SetupScript || job.pth_line.is_some() || visited.contains(&ji)
            {
                continue;
            }
            let (module, init) = module_of(&job.entry.path);
            // Only the module itself or a package's __init__ named by the import (and
            // its prefixes: `import a.b` runs `a/__init__.py` too).
            let hit = names
                .iter()
                .any(|n| n == &module || n.starts_with(&format!("{module}.")) && init);
            // Beyond the setup script's own imports, only build-support code (it names
            // setuptools or distutils) is followed: the package itself is not walked.
            let build_support = || {
                round == 0
                    || [&b"setuptools"[..], b"distutils"]
                        .iter()
                        .any(|w| job.entry.data.windows(w.len()).any(|x| x == *w))
            };
            // A module the setup script itself imports runs at install time wherever it
            // lives: `from tests import _boot` is no test (issue 21, item 10). Further
            // down, test modules are not followed.
            if ((hit && (round == 0 || !is_test_or_doc(&job.entry.path)))
                || executed.iter().any(|p| p == &job.entry.path))
                && build_support()
            {
                visited.insert(ji);
                next.push(ji);
                // Direct imports of the setup script run at install time; further down
                // only a module defining a setuptools command does.
                let a = assay_lang::analyze_python(&job.entry.data, FileRole::SetupScript);
                if round == 0 || !a.command_subclasses.is_empty() {
                    job.role = FileRole::SetupScript;
                    job.analysis = Some(a);
                } else {
                    followed.insert(ji, a);
                }
            }
        }
        if next.is_empty() {
            return data_code;
        }
        frontier = next;
    }
    data_code
}

/// A path a file in `dir` names relatively (`./x.cfg`, `pkg/x.py`), as an entry path.
fn beside(dir: &str, p: &str) -> String {
    let p = p.trim_start_matches("./");
    if dir.is_empty() {
        p.to_owned()
    } else {
        format!("{dir}/{p}")
    }
}

/// Whether a path names documentation or metadata text a setup script reads for
/// itself (`README.md` for `long_description`, `requirements.txt`, `LICENSE`).
fn is_documentation(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or(&name);
    [".md", ".rst", ".txt", ".markdown", ".toml", ".json", ".in"]
        .iter()
        .any(|x| name.ends_with(x))
        || matches!(
            stem,
            "readme"
                | "license"
                | "licence"
                | "changelog"
                | "changes"
                | "history"
                | "authors"
                | "version"
        )
}

/// The path a file-read event opens: its folded argument, else the string literals of
/// the call joined with `/` (`open(os.path.join(here, "pkg", "boot.py"))` →
/// `pkg/boot.py`, the directory variable being unknown).
fn read_path(ev: &assay_lang::Event) -> Option<String> {
    if let Some(a) = &ev.arg {
        return Some(a.clone());
    }
    let mut parts: Vec<&str> = Vec::new();
    let mut rest = ev.snippet.as_str();
    while let Some(q) = rest.find(['"', '\'']) {
        let quote = rest[q..].chars().next()?;
        let after = &rest[q + 1..];
        let end = after.find(quote)?;
        let lit = &after[..end];
        if !lit.is_empty() && !lit.contains(['\\', ' ']) && lit.len() <= 200 {
            parts.push(lit);
            if lit.ends_with(".py") {
                break; // what follows is the mode or the encoding
            }
        }
        rest = &after[end + 1..];
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// A module under `tests/` that the package's own (non-test) code imports runs with the
/// package: it loses the test demotion. (Malware hides payloads in `pkg/tests/x.py` and
/// imports it from `pkg/__init__.py`.)
fn unmark_imported_tests(files: &mut [CodeFile<'_>]) {
    let mut wanted: Vec<String> = Vec::new();
    for f in files
        .iter()
        .filter(|f| !f.test_like && f.pth_line.is_none())
    {
        let dir = f.entry.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        for (module, _) in &f.analysis.imports {
            let dots = module.chars().take_while(|c| *c == '.').count();
            let rest = module[dots..].replace('.', "/");
            if dots > 0 {
                let base = package_base(dir, dots);
                let b = base.join("/");
                wanted.push(if b.is_empty() {
                    rest
                } else if rest.is_empty() {
                    b
                } else {
                    format!("{b}/{rest}")
                });
            } else if !rest.is_empty() {
                wanted.push(format!("/{rest}"));
            }
        }
    }
    if wanted.is_empty() {
        return;
    }
    for f in files.iter_mut().filter(|f| f.test_like) {
        let p = f.entry.path.strip_suffix(".py").unwrap_or(&f.entry.path);
        let p = p.strip_suffix("/__init__").unwrap_or(p);
        if wanted.iter().any(|w| {
            if w.starts_with('/') {
                p.ends_with(w.as_str())
            } else {
                p == w || p.ends_with(&format!("/{w}"))
            }
        }) {
            f.test_like = false;
        }
    }
}

/// The folders a relative import with `dots` leading dots starts from, seen from a file
/// in `dir` (`.m` → `dir`, `..m` → its parent, …).
fn package_base(dir: &str, dots: usize) -> Vec<&str> {
    let mut base: Vec<&str> = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for _ in 1..dots {
        base.pop();
    }
    base
}

/// Module paths of the artifact's Python files (`pkg/m` for `pkg/m.py` and
/// `pkg/m/__init__.py`), built once per artifact so that resolving an import is a map
/// lookup rather than a scan of every file.
struct ModuleIndex {
    /// Whole module path → first file with it.
    exact: HashMap<String, usize>,
    /// Every proper suffix after a `/` (`m`, `pkg/m` of `src/pkg/m`) → first file.
    suffix: HashMap<String, usize>,
}

impl ModuleIndex {
    fn new(files: &[CodeFile<'_>]) -> Self {
        let mut exact = HashMap::new();
        let mut suffix = HashMap::new();
        for (i, f) in files.iter().enumerate() {
            if f.pth_line.is_some() {
                continue;
            }
            let p = f.entry.path.strip_suffix(".py").unwrap_or(&f.entry.path);
            let p = p.strip_suffix("/__init__").unwrap_or(p);
            exact.entry(p.to_owned()).or_insert(i);
            for (k, _) in p.match_indices('/') {
                if let Some(tail) = p.get(k + 1..) {
                    suffix.entry(tail.to_owned()).or_insert(i);
                }
            }
        }
        ModuleIndex { exact, suffix }
    }

    /// The file a module import names, seen from the importing file at `from`: a
    /// relative import (`.m`, `..pkg.m`) resolves against the importer's folder, an
    /// absolute one (`pkg.m`) matches by path suffix. Returns the index into the files.
    fn resolve(&self, from: &str, module: &str) -> Option<usize> {
        let dir = from.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let dots = module.chars().take_while(|c| *c == '.').count();
        let rest = module.get(dots..).unwrap_or_default().replace('.', "/");
        if rest.is_empty() {
            return None;
        }
        if dots == 0 {
            let a = self.exact.get(&rest).copied();
            let b = self.suffix.get(&rest).copied();
            return match (a, b) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
        }
        let mut base = package_base(dir, dots);
        base.push(&rest);
        self.exact.get(&base.join("/")).copied()
    }
}

/// Most data files analysed as code because automatic code executes them.
const MAX_EXECUTED_DATA: usize = 32;

/// Files that code running by itself (import time, startup) reads and executes
/// (`exec(open(os.path.join(here, "payload.dat")).read())`, `runpy.run_path("x.txt")`)
/// are code in that context whatever their name: analyse each once, as import-time code
/// (or startup code when the executing code runs at startup). Setup scripts were handled
/// by `promote_setup_imports`. (Issue 21, item 7, generalised to import time.)
fn analyse_executed_data<'a>(artifact: &'a Artifact, python: &mut Vec<CodeFile<'a>>) {
    let mut wanted: Vec<(String, FileRole)> = Vec::new();
    for f in python
        .iter()
        .filter(|f| !f.test_like && f.role != FileRole::SetupScript)
    {
        let a = &f.analysis;
        let dir = f.entry.path.rsplit_once('/').map_or("", |(d, _)| d);
        let join = |p: &str| beside(dir, p);
        for ev in a.events.iter().filter(|ev| {
            ev.kind == assay_lang::EventKind::Exec
                && matches!(
                    ev.context,
                    ExecutionContext::ImportTime | ExecutionContext::Startup
                )
        }) {
            let role = if ev.context == ExecutionContext::Startup || f.pth_line.is_some() {
                FileRole::Startup
            } else {
                FileRole::ModelCode
            };
            if matches!(ev.api.as_str(), "runpy.run_path" | "execfile") {
                if let Some(p) = read_path(ev) {
                    wanted.push((join(&p), role));
                }
            } else if ev.taint.has(assay_lang::Taint::FILE_READ) {
                for r in a.events.iter().filter(|r| {
                    r.kind == assay_lang::EventKind::FileRead && r.context == ev.context
                }) {
                    if let Some(p) = read_path(r).filter(|p| !is_documentation(p)) {
                        wanted.push((join(&p), role));
                    }
                }
            }
        }
    }
    wanted.truncate(MAX_EXECUTED_DATA);
    for (path, role) in wanted {
        if python
            .iter()
            .any(|f| f.entry.path == path && f.pth_line.is_none())
        {
            continue;
        }
        // By path, or by file name when the code builds the path at run time.
        let name = path.rsplit('/').next().unwrap_or(&path);
        let Some(e) = artifact
            .entries
            .iter()
            .filter(|e| e.complete && e.file_kind != FileKind::Pth)
            .find(|e| e.path == path)
            .or_else(|| {
                artifact.entries.iter().find(|e| {
                    e.complete
                        && e.file_kind != FileKind::Pth
                        && e.path.ends_with(&format!("/{name}"))
                })
            })
        else {
            continue;
        };
        if python.iter().any(|f| std::ptr::eq(f.entry, e)) {
            continue;
        }
        python.push(CodeFile {
            language: Language::Python,
            entry: e,
            role,
            analysis: assay_lang::analyze_python(&e.data, role),
            pth_line: None,
            test_like: false,
        });
    }
}

/// The hooks a PEP 517/660 build frontend calls on a build backend.
const PEP517_HOOKS: [&str; 8] = [
    "build_wheel",
    "build_sdist",
    "build_editable",
    "get_requires_for_build_wheel",
    "get_requires_for_build_sdist",
    "get_requires_for_build_editable",
    "prepare_metadata_for_build_wheel",
    "prepare_metadata_for_build_editable",
];

/// Most modules followed from the `.pth` import lines of one artifact.
const MAX_STARTUP_MODULES: usize = 64;

/// A module that a `.pth` line imports (`import pkg._boot`, `__import__("pkg")`) runs
/// its module level at every interpreter start, like the line itself: its import-time
/// events and strings become `startup`, and so do those of the modules it imports at
/// its own module level (and the packages on the way: `import a.b` runs
/// `a/__init__.py` first), up to [`MAX_STARTUP_MODULES`]. Such a module is never
/// demoted as test code. (Issue 21, item 3: a `.pth` importing a module that runs a
/// command read from a sibling data file.)
fn promote_startup_imports(files: &mut [CodeFile<'_>]) {
    let mut queue: Vec<(String, String)> = Vec::new();
    for f in files.iter().filter(|f| f.pth_line.is_some()) {
        for (m, _) in &f.analysis.imports {
            queue.push((f.entry.path.clone(), m.clone()));
        }
        for ev in &f.analysis.events {
            if ev.kind == assay_lang::EventKind::DynamicImport
                && let Some(m) = &ev.arg
            {
                queue.push((f.entry.path.clone(), m.clone()));
            }
        }
    }
    promote_import_time(files, queue, &[], ExecutionContext::Startup);
}

/// Relabel the import-time events, strings and imports of modules that are imported in
/// a stronger context `to` (startup, install time), following their own import-time
/// imports, up to [`MAX_STARTUP_MODULES`] modules. `queue` holds `(importing file,
/// module name)` pairs to resolve; `roots` are entry paths promoted themselves (an
/// in-tree build backend). A promoted module is never demoted as test code.
fn promote_import_time(
    files: &mut [CodeFile<'_>],
    mut queue: Vec<(String, String)>,
    roots: &[String],
    to: ExecutionContext,
) {
    let index = ModuleIndex::new(files);
    let mut done: std::collections::HashSet<usize> = std::collections::HashSet::new();
    let mut pending: Vec<usize> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| roots.contains(&f.entry.path))
        .map(|(i, _)| i)
        .collect();
    loop {
        if done.len() >= MAX_STARTUP_MODULES {
            break;
        }
        let mut targets = std::mem::take(&mut pending);
        if targets.is_empty() {
            let Some((from, module)) = queue.pop() else {
                break;
            };
            // `a.b.c` runs `a`, `a.b` and `a.b.c`.
            let rest = module.trim_start_matches('.');
            let dots = module.len() - rest.len();
            let parts: Vec<&str> = rest.split('.').collect();
            for k in 1..=parts.len() {
                let m = format!("{}{}", ".".repeat(dots), parts[..k].join("."));
                if let Some(t) = index.resolve(&from, &m) {
                    targets.push(t);
                }
            }
        }
        for t in targets {
            if !done.insert(t) {
                continue;
            }
            let Some(target) = files.get_mut(t) else {
                continue;
            };
            if target.pth_line.is_some() || target.role == FileRole::Startup {
                continue;
            }
            target.test_like = false;
            // A build backend's PEP 517 hooks are called by the installer: their own
            // bodies run at install time too (not the helpers they call, which is where
            // real backends keep their compiler and download logic).
            let hooks = roots.contains(&target.entry.path);
            let promoted = |ctx: ExecutionContext, function: Option<&str>| {
                ctx == ExecutionContext::ImportTime
                    || (hooks
                        && ctx == ExecutionContext::Runtime
                        && function.is_some_and(|f| PEP517_HOOKS.contains(&f)))
            };
            let a = &mut target.analysis;
            for e in a.events.iter_mut() {
                if promoted(e.context, e.function.as_deref()) {
                    e.context = to;
                }
            }
            for st in a.strings.iter_mut() {
                if promoted(st.context, st.function.as_deref()) {
                    st.context = to;
                }
            }
            for (m, ctx) in a.imports.iter_mut() {
                if *ctx == ExecutionContext::ImportTime {
                    *ctx = to;
                    queue.push((target.entry.path.clone(), m.clone()));
                }
            }
        }
    }
}

/// Most functions one file may contribute to cross-module reachability.
const MAX_CROSS_NAMES: usize = 4096;

/// Import time across modules: a package `__init__` (or any module) that imports
/// functions from a sibling at import time (`from .m import *`, `from .m import f`) and
/// calls them at module level runs their code on `import pkg`. Relabel the runtime events
/// and strings of those functions (and of what they call in their own file) as
/// import-time. Stealers split the trigger (`initialize()` in `__init__.py`) from the
/// payload (`m.initialize`) so that the payload reads as runtime code.
fn promote_cross_module(files: &mut [CodeFile<'_>]) {
    use foldhash::HashSet;
    // Target module → the names its importers call at import time. Merged per target
    // (promotion is a closure over call edges, so the union of the importers' names
    // promotes exactly what each would); each target's sets are then built once, not
    // once per import statement, which mattered for packages whose modules all import
    // each other.
    let mut plans: std::collections::BTreeMap<usize, HashSet<String>> = Default::default();
    let index = ModuleIndex::new(files);
    for (i, f) in files.iter().enumerate() {
        if f.test_like
            || f.pth_line.is_some()
            || !matches!(f.role, FileRole::PackageInit | FileRole::Module)
        {
            continue;
        }
        // Names the importer defines itself are its own functions, not imported ones.
        let own: HashSet<&str> = f
            .analysis
            .events
            .iter()
            .filter_map(|e| e.function.as_deref())
            .chain(
                f.analysis
                    .local_calls
                    .iter()
                    .filter_map(|(c, _)| c.as_deref()),
            )
            .collect();
        // What module-level code calls directly, through the importer's own functions.
        let mut reach: HashSet<&str> = f
            .analysis
            .local_calls
            .iter()
            .filter(|(c, _)| c.is_none())
            .map(|(_, callee)| callee.as_str())
            .collect();
        for _ in 0..64 {
            let before = reach.len();
            for (c, callee) in &f.analysis.local_calls {
                if c.as_deref().is_some_and(|c| reach.contains(c)) && reach.len() < MAX_CROSS_NAMES
                {
                    reach.insert(callee.as_str());
                }
            }
            if reach.len() == before {
                break;
            }
        }
        let called: Vec<&str> = reach.into_iter().filter(|n| !own.contains(n)).collect();
        if called.is_empty() {
            continue;
        }
        for (module, ctx) in &f.analysis.imports {
            if *ctx != ExecutionContext::ImportTime {
                continue;
            }
            if let Some(t) = index.resolve(&f.entry.path, module).filter(|t| *t != i) {
                let names = plans.entry(t).or_default();
                names.extend(called.iter().map(|n| (*n).to_owned()));
            }
        }
    }
    for (t, called) in plans {
        let Some(target) = files.get_mut(t) else {
            continue;
        };
        if target.test_like || !matches!(target.role, FileRole::PackageInit | FileRole::Module) {
            continue;
        }
        let a = &mut target.analysis;
        let defined: HashSet<&str> = a
            .events
            .iter()
            .filter_map(|e| e.function.as_deref())
            .chain(a.strings.iter().filter_map(|s| s.function.as_deref()))
            .chain(a.local_calls.iter().filter_map(|(c, _)| c.as_deref()))
            .collect();
        let mut reach: HashSet<String> = called
            .into_iter()
            .filter(|n| defined.contains(n.as_str()))
            .collect();
        let entry_points: Vec<String> = reach
            .iter()
            .flat_map(|c| [format!("{c}.__init__"), format!("{c}.run")])
            .collect();
        reach.extend(entry_points);
        for _ in 0..64 {
            let before = reach.len();
            for (caller, callee) in &a.local_calls {
                if caller.as_deref().is_some_and(|c| reach.contains(c))
                    && reach.len() < MAX_CROSS_NAMES
                {
                    reach.insert(callee.clone());
                }
            }
            if reach.len() == before {
                break;
            }
        }
        if reach.is_empty() {
            continue;
        }
        let promote = |func: &Option<assay_lang::FnName>, ctx: &mut ExecutionContext| {
            if *ctx == ExecutionContext::Runtime
                && func.as_deref().is_some_and(|f| reach.contains(f))
            {
                *ctx = ExecutionContext::ImportTime;
            }
        };
        for e in &mut a.events {
            promote(&e.function, &mut e.context);
        }
        for s in &mut a.strings {
            promote(&s.function, &mut s.context);
        }
    }
}

fn common_root(a: &Artifact) -> String {
    if !matches!(
        a.format,
        ArtifactFormat::Sdist | ArtifactFormat::Tar | ArtifactFormat::Zip | ArtifactFormat::SevenZ
    ) {
        return String::new();
    }
    let mut first: Option<&str> = None;
    for e in &a.entries {
        let top = match e.path.split_once('/') {
            Some((t, _)) => t,
            None => return String::new(),
        };
        match first {
            None => first = Some(top),
            Some(f) if f != top => return String::new(),
            _ => {}
        }
    }
    first.map(|f| format!("{f}/")).unwrap_or_default()
}

fn role_of(path: &str, root: &str, format: ArtifactFormat) -> FileRole {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name == "sitecustomize.py" || name == "usercustomize.py" {
        return FileRole::Startup;
    }
    let installable = !matches!(format, ArtifactFormat::Wheel | ArtifactFormat::Environment);
    if installable && rel == "setup.py" {
        return FileRole::SetupScript;
    }
    if nested_sdist_setup(path, format) {
        return FileRole::SetupScript;
    }
    match name {
        "__init__.py" => FileRole::PackageInit,
        "__main__.py" => FileRole::Script,
        _ => FileRole::Module,
    }
}

/// The files of an in-tree PEP 517 build backend (`backend-path = ["."]` plus
/// `build-backend = "backend"` in `<root>pyproject.toml`): pip imports that module to
/// build the sdist, so its module-level code runs at install time like a `setup.py`
/// (issue 21, item 7). Paths as entry paths, candidates for both `mod.py` and
/// `mod/__init__.py`; a `backend-path` leaving the project (`..`, absolute) is ignored.
fn in_tree_backend(artifact: &Artifact, root: &str) -> Vec<String> {
    let pyproject = format!("{root}pyproject.toml");
    let Some(bs) = artifact
        .entries
        .iter()
        .find(|e| e.complete && e.path == pyproject)
        .and_then(|e| assay_formats::build_system::parse_build_system(&e.data).ok())
    else {
        return Vec::new();
    };
    let Some(module) = bs.backend_module() else {
        return Vec::new();
    };
    let module = module.replace('.', "/");
    let mut out = Vec::new();
    for dir in &bs.backend_path {
        let dir = dir.trim_start_matches("./").trim_end_matches('/');
        if dir.starts_with('/') || dir.split('/').any(|c| c == "..") {
            continue;
        }
        let base = if dir.is_empty() || dir == "." {
            format!("{root}{module}")
        } else {
            format!("{root}{dir}/{module}")
        };
        out.push(format!("{base}.py"));
        out.push(format!("{base}/__init__.py"));
    }
    out
}

/// Whether `path` is the `setup.py` of an sdist shipped inside a plain container (a
/// release zip or tarball the user scanned, not a package): `bundle.zip` →
/// `name-1.0.tar.gz!/name-1.0/setup.py`. Whoever unpacks the bundle installs that sdist,
/// so its setup script runs at install time (issue 21, red-team `nest-1`). Inside a wheel,
/// an sdist or an egg, nested archives are data that no installer unpacks: no promotion.
fn nested_sdist_setup(path: &str, format: ArtifactFormat) -> bool {
    if !matches!(
        format,
        ArtifactFormat::Zip | ArtifactFormat::Tar | ArtifactFormat::SevenZ | ArtifactFormat::File
    ) {
        return false;
    }
    let Some((outer, inner)) = path.rsplit_once("!/") else {
        return false;
    };
    let archive = outer
        .rsplit("!/")
        .next()
        .unwrap_or(outer)
        .to_ascii_lowercase();
    let sdist = [".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip"]
        .iter()
        .any(|x| archive.ends_with(x));
    // PEP 517/625 layout: `setup.py` directly under the single top-level directory (or
    // at the archive root, as some hand-built archives have it).
    sdist
        && (inner == "setup.py"
            || inner
                .split_once('/')
                .is_some_and(|(top, rest)| !top.is_empty() && rest == "setup.py"))
}

fn pick_metadata(a: &Artifact, root: &str) -> Option<CoreMetadata> {
    // Wheel: `*.dist-info/METADATA`; sdist: `<root>PKG-INFO`; egg: `EGG-INFO/PKG-INFO`.
    let mut best: Option<(usize, &Entry)> = None;
    for e in &a.entries {
        if e.file_kind != FileKind::CoreMetadata || !e.complete {
            continue;
        }
        let rel = e.path.strip_prefix(root).unwrap_or(&e.path);
        let depth = rel.matches('/').count();
        let rank = if rel == "PKG-INFO"
            || (depth == 1 && (rel.contains(".dist-info/") || rel.starts_with("EGG-INFO/")))
        {
            0
        } else {
            1 + depth
        };
        if best.is_none_or(|(r, _)| rank < r) {
            best = Some((rank, e));
        }
    }
    if a.format == ArtifactFormat::Environment {
        return None;
    }
    best.and_then(|(_, e)| assay_formats::parse_metadata(&e.data).ok())
}

/// One npm package inside an artifact: its `package.json` and directory.
#[derive(Debug)]
pub struct NpmPackage<'a> {
    /// The `package.json` entry.
    pub manifest_entry: &'a Entry,
    /// The directory of the package inside the artifact (`package/`,
    /// `node_modules/@s/x/`, or empty for a package at the artifact's root), with its
    /// trailing `/`.
    pub dir: String,
    /// The parsed manifest, or why it could not be read (a finding for the rules).
    pub manifest: Result<assay_formats::PackageJson, assay_formats::FormatError>,
}

impl NpmPackage<'_> {
    /// Whether this is the artifact's own package, not one under `node_modules/`.
    pub fn is_root(&self) -> bool {
        !self.dir.contains("node_modules/")
    }
}

/// Most npm packages read per artifact (a large `node_modules` tree has a few thousand).
const MAX_NPM_PACKAGES: usize = 20_000;

/// The npm packages of an artifact: every `package.json` at the root, one folder down
/// (an npm tarball's `package/`), or directly in a `node_modules/<name>/` or
/// `node_modules/@scope/<name>/` folder. Other `package.json` files (test fixtures,
/// templates) are not packages npm installs.
fn npm_packages(artifact: &Artifact) -> Vec<NpmPackage<'_>> {
    let mut out = Vec::new();
    for e in &artifact.entries {
        if e.file_name() != "package.json" || e.path.contains("!/") {
            continue;
        }
        let dir = &e.path[..e.path.len() - "package.json".len()];
        let parts: Vec<&str> = dir
            .trim_end_matches('/')
            .split('/')
            .filter(|p| !p.is_empty())
            .collect();
        let is_package = match parts.as_slice() {
            [] | [_] => true,
            [.., nm, _] if *nm == "node_modules" => true,
            [.., nm, scope, _] if *nm == "node_modules" && scope.starts_with('@') => true,
            _ => false,
        };
        if !is_package {
            continue;
        }
        if out.len() >= MAX_NPM_PACKAGES {
            break;
        }
        let manifest = if e.complete {
            assay_formats::parse_package_json(&e.data)
        } else {
            Err(assay_formats::FormatError::TooMany {
                file: "package.json",
                what: "bytes",
                limit: assay_formats::package_json::MAX_BYTES,
            })
        };
        out.push(NpmPackage {
            manifest_entry: e,
            dir: dir.to_owned(),
            manifest,
        });
    }
    // A plain directory holding no package.json at its top but a bare `package.json` one
    // folder down is already covered; nothing else to infer.
    out
}

/// Whether a path is JavaScript or TypeScript source npm or a bundler would load: not a
/// type declaration (`.d.ts`), not a source map.
fn is_js_source(e: &Entry) -> bool {
    if e.file_kind != FileKind::JavaScript {
        return false;
    }
    let lower = e.path.to_ascii_lowercase();
    !(lower.ends_with(".d.ts") || lower.ends_with(".d.mts") || lower.ends_with(".d.cts"))
}

/// The npm package an entry belongs to: the longest package directory that is a prefix.
fn owning_package<'p, 'a>(path: &str, npm: &'p [NpmPackage<'a>]) -> Option<&'p NpmPackage<'a>> {
    npm.iter()
        .filter(|p| path.starts_with(p.dir.as_str()))
        .max_by_key(|p| p.dir.len())
}

/// Resolve a relative `require`/`import` of `from` to an entry path: the path itself,
/// with `.js`/`.cjs`/`.mjs`/`.ts`, or its `index.js`.
fn resolve_relative(
    artifact: &Artifact,
    from: &str,
    spec: &str,
    paths: &std::collections::HashSet<&str>,
) -> Option<String> {
    let _ = artifact;
    if !(spec.starts_with("./") || spec.starts_with("../")) {
        return None;
    }
    let base = from.rsplit_once('/').map_or("", |(d, _)| d);
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for seg in spec.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    let joined = if base.is_empty() && from.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    };
    [
        joined.clone(),
        format!("{joined}.js"),
        format!("{joined}.cjs"),
        format!("{joined}.mjs"),
        format!("{joined}.ts"),
        format!("{joined}/index.js"),
    ]
    .into_iter()
    .find(|c| paths.contains(c.as_str()))
}

/// Most rounds of following `require`s out of install-time files.
const MAX_INSTALL_ROUNDS: usize = 3;

/// Analyse every JavaScript/TypeScript file of the artifact (in parallel), each with
/// its role: [`FileRole::SetupScript`] for the files an npm lifecycle script runs
/// (`preinstall`/`install`/`postinstall`: `node setup.js`) and the local modules they
/// `require` (install time throughout), [`FileRole::Script`] for `bin` commands (run on
/// request), [`FileRole::Module`] otherwise (top level on `require`).
fn analyse_javascript<'a>(
    artifact: &'a Artifact,
    root: &str,
    npm: &[NpmPackage<'_>],
) -> Vec<CodeFile<'a>> {
    use std::collections::{HashMap, HashSet};
    let paths: HashSet<&str> = artifact.entries.iter().map(|e| e.path.as_str()).collect();
    let mut roles: HashMap<String, FileRole> = HashMap::new();
    for p in npm {
        let Ok(m) = &p.manifest else { continue };
        for (_, cmd) in m.install_scripts() {
            for f in assay_formats::files_run_by(cmd, &m.scripts) {
                let full = format!("{}{}", p.dir, f);
                let found = [
                    full.clone(),
                    format!("{full}.js"),
                    format!("{full}/index.js"),
                ]
                .into_iter()
                .find(|c| paths.contains(c.as_str()));
                if let Some(f) = found {
                    roles.insert(f, FileRole::SetupScript);
                }
            }
        }
        for f in m.bin.values() {
            let f = f.strip_prefix("./").unwrap_or(f);
            roles
                .entry(format!("{}{}", p.dir, f))
                .or_insert(FileRole::Script);
        }
    }
    let jobs: Vec<&Entry> = artifact
        .entries
        .iter()
        .filter(|e| e.complete && is_js_source(e))
        .collect();
    let analyse = |e: &Entry, role: FileRole| {
        assay_lang::analyze_javascript(&e.data, &e.path, role, &assay_lang::Bounds::default())
    };
    let mut done: Vec<(&Entry, FileRole, Analysis)> = jobs
        .par_iter()
        .map(|e| {
            let role = roles.get(&e.path).copied().unwrap_or(FileRole::Module);
            (*e, role, analyse(e, role).compacted())
        })
        .collect();
    // Local modules an install-time file requires run at install time too.
    for _ in 0..MAX_INSTALL_ROUNDS {
        let mut promote: HashSet<String> = HashSet::new();
        for (e, role, a) in &done {
            if *role != FileRole::SetupScript {
                continue;
            }
            for (m, _) in a.imports.iter().take(256) {
                if let Some(t) = resolve_relative(artifact, &e.path, m, &paths) {
                    promote.insert(t);
                }
            }
            // Scripts it starts by name (`spawn('bun', [path.join(__dirname,
            // 'bun_environment.js')])`): a literal naming a script beside it.
            for s in a.strings.iter().take(20_000) {
                let v = s.value.trim();
                if v.len() < 256
                    && [".js", ".cjs", ".mjs", ".ts"]
                        .iter()
                        .any(|x| v.ends_with(x))
                    && let Some(t) = resolve_relative(
                        artifact,
                        &e.path,
                        &format!("./{}", v.trim_start_matches("./")),
                        &paths,
                    )
                {
                    promote.insert(t);
                }
            }
        }
        let mut changed = false;
        for (e, role, a) in &mut done {
            if *role == FileRole::Module && promote.contains(&e.path) {
                *role = FileRole::SetupScript;
                *a = analyse(e, FileRole::SetupScript).compacted();
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    done.into_iter()
        .map(|(entry, role, analysis)| {
            let rel = entry.path.strip_prefix(root).unwrap_or(&entry.path);
            // Inside a node_modules tree, test-likeness is judged within the package.
            let within = owning_package(&entry.path, npm).map_or(rel, |p| {
                entry.path.strip_prefix(p.dir.as_str()).unwrap_or(rel)
            });
            CodeFile {
                entry,
                language: Language::JavaScript,
                role,
                analysis,
                pth_line: None,
                test_like: is_test_or_doc(within),
            }
        })
        .collect()
}
