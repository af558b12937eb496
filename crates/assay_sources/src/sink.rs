//! The collector every reader feeds: it admits member names (raising the name findings),
//! applies the content policy (what is kept whole, what keeps only a head), recurses into
//! nested archives, detects duplicates and enforces the entry-count bound. Readers only
//! decode their container format; everything that must behave the same for zip, tar,
//! directories and environments lives here.

use crate::container;
use crate::limits::{Budget, Limits, MAX_NESTED_BYTES, read_up_to};
use crate::names::{self, RawName};
use crate::rules::{self, finding, finding_with};
use crate::sniff::{self, Container};
use assay_core::{Entry, EntryKind, FileKind, Finding, Severity, classify};
use std::collections::HashMap;
use std::io::{self, Read};

/// Where members being read live: the container's own path (empty for the artifact itself),
/// its name as stored (for finding locations), and its nesting depth.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    /// Normalised path of the container inside the artifact; empty for the artifact itself.
    pub(crate) path: String,
    /// The container's name as stored, for finding locations; empty for the artifact itself.
    pub(crate) loc: String,
    /// The container's file name (for the extension check and for naming a compressed payload).
    pub(crate) name: String,
    /// Nesting depth of the container: 0 for the artifact (or a scanned directory).
    pub(crate) depth: u32,
}

impl Scope {
    /// The artifact itself, known by `name` (the display path).
    pub(crate) fn root(name: &str) -> Self {
        Scope {
            path: String::new(),
            loc: String::new(),
            name: name.to_owned(),
            depth: 0,
        }
    }

    /// A second root in the same artifact (another site-packages directory), whose members
    /// get `label!/` in front of their paths.
    pub(crate) fn labelled(label: &str) -> Self {
        Scope {
            path: label.to_owned(),
            loc: label.to_owned(),
            name: label.to_owned(),
            depth: 0,
        }
    }

    /// The full path of a member of this container.
    pub(crate) fn path_of(&self, inner: &str) -> String {
        join(&self.path, inner)
    }

    /// The full location (stored names) of a member of this container.
    pub(crate) fn loc_of(&self, stored: &str) -> String {
        join(&self.loc, stored)
    }
}

fn join(outer: &str, inner: &str) -> String {
    if outer.is_empty() {
        inner.to_owned()
    } else {
        format!("{outer}!/{inner}")
    }
}

/// A member name that passed the checks.
#[derive(Debug, Clone)]
pub(crate) struct Admitted {
    /// Full normalised path (`outer!/inner`).
    pub(crate) path: String,
    /// Normalised path inside its own container (for link resolution).
    pub(crate) inner: String,
    /// Full name as stored, for finding locations.
    pub(crate) loc: String,
}

/// How one member was read by [`Sink::add_member`].
#[derive(Debug)]
pub(crate) struct MemberOutcome {
    /// Index of the entry pushed for it.
    pub(crate) index: Option<usize>,
    /// Bytes read from the member.
    pub(crate) read: u64,
    /// Whether the member's reader reached its end (all of it was read).
    pub(crate) ended: bool,
    /// The error that stopped the read, if any (the entry with what was read is still pushed).
    pub(crate) error: Option<io::Error>,
}

/// Collects entries and findings for one artifact.
pub(crate) struct Sink<'a> {
    pub(crate) limits: &'a Limits,
    pub(crate) budget: &'a Budget,
    pub(crate) entries: Vec<Entry>,
    pub(crate) findings: Vec<Finding>,
    /// Normalised path → index of the last entry with that path (duplicates, hard links).
    index: HashMap<String, usize>,
    /// Members seen (files, directories, links, skipped ones), for `max_entries`.
    members: usize,
    /// A global bound was hit: no further members are read.
    stopped: bool,
    /// Environments: files under `__pycache__/` keep only their head.
    pub(crate) pycache_head_only: bool,
    /// Bytes held by the entries pushed so far, for [`Limits::max_kept_bytes`].
    kept: u64,
    /// The kept-bytes bound was reported.
    kept_bound_hit: bool,
    /// Bytes held by members of nested archives (a quarter of the bound is theirs).
    kept_nested: u64,
    /// The nested kept-bytes bound was reported.
    kept_nested_bound_hit: bool,
    /// The bound for text that is not code was reported.
    kept_text_bound_hit: bool,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(limits: &'a Limits, budget: &'a Budget) -> Self {
        Sink {
            limits,
            budget,
            entries: Vec::new(),
            findings: Vec::new(),
            index: HashMap::new(),
            members: 0,
            stopped: false,
            pycache_head_only: false,
            kept: 0,
            kept_bound_hit: false,
            kept_nested: 0,
            kept_nested_bound_hit: false,
            kept_text_bound_hit: false,
        }
    }

    /// Whether a global bound stopped the read.
    pub(crate) fn stopped(&self) -> bool {
        self.stopped
    }

    /// Record a finding.
    pub(crate) fn report(&mut self, f: Finding) {
        self.findings.push(f);
    }

    /// Stop reading the artifact because a global bound was hit (`ARC006`, once).
    pub(crate) fn stop(&mut self, loc: &str, evidence: String) {
        if !self.stopped {
            self.stopped = true;
            self.report(finding(&rules::ARCHIVE_BOMB, loc, evidence));
        }
    }

    /// Stop because the total-bytes budget ran out.
    pub(crate) fn budget_stop(&mut self, loc: &str) {
        let limit = self.budget.limit();
        self.stop(
            loc,
            format!(
                "more than {limit} uncompressed bytes read (the total-bytes bound); stopped reading, \
                 later members were not inspected"
            ),
        );
    }

    /// Turn an error that ended a stream (tar, compressed payload, local zip headers) into the
    /// right finding: the budget, the ratio guard, or corruption.
    pub(crate) fn stream_error(
        &mut self,
        loc: &str,
        what: &str,
        err: &io::Error,
        ratio_tripped: bool,
    ) {
        if self.budget.exhausted() {
            self.budget_stop(loc);
        } else if ratio_tripped {
            let ratio = self.limits.max_ratio;
            self.report(finding(
                &rules::ARCHIVE_BOMB,
                loc,
                format!(
                    "compressed stream expands more than {ratio}:1 (the ratio bound); stopped reading it, \
                     later members were not inspected"
                ),
            ));
        } else {
            self.report(finding(
                &rules::UNREADABLE_ARCHIVE,
                loc,
                format!("{what}: {err}"),
            ));
        }
    }

    /// Count a member and check its name. Returns `None` when the member must be skipped
    /// (bound hit, name too long, empty name); the findings are recorded here.
    pub(crate) fn admit(&mut self, scope: &Scope, name: &RawName) -> Option<Admitted> {
        if self.stopped {
            return None;
        }
        self.members += 1;
        let loc = scope.loc_of(&name.stored);
        if self.members > self.limits.max_entries {
            let max = self.limits.max_entries;
            self.stop(
                &scope.loc,
                format!("more than {max} members (the entry-count bound); stopped reading, later members were not inspected"),
            );
            return None;
        }
        let max_len = self.limits.max_path_len;
        if name.stored.len() > max_len {
            let len = name.stored.len();
            let start: String = name.stored.chars().take(60).collect();
            self.report(finding(
                &rules::PATH_TOO_LONG,
                &loc,
                format!("member name of {len} bytes is over the {max_len}-byte bound; member skipped: {start}…"),
            ));
            return None;
        }
        if let Some(why) = name.oddity {
            self.report(finding(
                &rules::NON_UTF8_NAME,
                &loc,
                format!("member name {why}: {}", name.stored),
            ));
        }
        if names::is_absolute(&name.stored) {
            self.report(finding(
                &rules::ABSOLUTE_PATH,
                &loc,
                format!("absolute member name: {}", name.stored),
            ));
        }
        if names::has_parent_component(&name.stored) {
            self.report(finding(
                &rules::PATH_TRAVERSAL,
                &loc,
                format!("`..` in member name: {}", name.stored),
            ));
        }
        let inner = names::normalise(&name.stored);
        if inner.is_empty() {
            return None;
        }
        Some(Admitted {
            path: scope.path_of(&inner),
            inner,
            loc,
        })
    }

    /// How many bytes of a file of this kind are kept whole.
    fn keep_limit(&self, kind: FileKind, path: &str) -> u64 {
        let l = self.limits;
        if self.pycache_head_only
            && (path.starts_with("__pycache__/") || path.contains("/__pycache__/"))
        {
            return l.head_bytes as u64;
        }
        // Source maps and TypeScript declarations are read by tools, never run: their
        // head is enough (npm trees carry hundreds of MiB of them).
        let lower = path.to_ascii_lowercase();
        if [".map", ".d.ts", ".d.mts", ".d.cts"]
            .iter()
            .any(|x| lower.ends_with(x))
        {
            return l.head_bytes as u64;
        }
        match kind {
            k if is_code(k) => l.max_file_bytes,
            FileKind::Text => l.max_text_file_bytes,
            _ => l.head_bytes as u64,
        }
    }

    /// Whether a member of `size` bytes whose first bytes are `head` needs more than its head
    /// read: it is kept whole, is a model file that keeps a prefix, or is a nested archive.
    pub(crate) fn needs_body(&self, path: &str, size: u64, head: &[u8]) -> bool {
        let kind = classify(path, head);
        size <= self.keep_limit(kind, path)
            || model_prefix(kind, head, self.limits).is_some()
            || sniff::sniff(head).is_some()
    }

    /// Read one regular member from `r` under the content policy and push its entry.
    ///
    /// Reads the head, classifies, then reads the rest only if the file is kept whole or is a
    /// nested archive to open. `declared` is the size the container claims. With `head_only`
    /// the member is never read past its head (a bound was already exceeded). Nested archives
    /// found here are read right after the entry is pushed.
    pub(crate) fn add_member(
        &mut self,
        scope: &Scope,
        adm: Admitted,
        declared: u64,
        head_only: bool,
        r: &mut dyn Read,
    ) -> MemberOutcome {
        let head = self.limits.head_bytes;
        let mut data =
            Vec::with_capacity(usize::try_from(declared.min(head as u64)).unwrap_or(head));
        let mut error = None;
        let mut ended = match read_up_to(r, &mut data, head) {
            Ok(end) => end,
            Err(e) => {
                error = Some(e);
                false
            }
        };
        let kind = classify(&adm.path, &data);
        // What is kept whole is held in memory until the artifact is judged: bounded per
        // artifact. Past the bound a member keeps only its head (and is incomplete, so
        // code in it is reported NOT INSPECTED).
        // Members of nested archives have their own, smaller allowance: inside a package
        // they are data no installer unpacks (a bundled npm tarball of 140 MB in
        // aws-cdk-lib), and must not crowd out the package's own code.
        let in_nested = scope.depth > 0;
        let (bound, used) = if in_nested {
            (self.limits.max_kept_bytes / 4, self.kept_nested)
        } else {
            (self.limits.max_kept_bytes, self.kept)
        };
        // Code and packaging metadata may use the whole allowance; other text (C
        // headers, data, docs) and model prefixes only its first half, so a package with
        // hundreds of MiB of sources in other languages still has its Python read.
        let code = is_code(kind);
        let bound = if code { bound } else { bound / 2 };
        let room = bound.saturating_sub(used).max(head as u64);
        let wanted = self.keep_limit(kind, &adm.path);
        let keep = wanted.min(room);
        let prefix = model_prefix(kind, &data, self.limits).map(|p| p.min(room));
        let hit = match (in_nested, code) {
            (true, _) => &mut self.kept_nested_bound_hit,
            (false, true) => &mut self.kept_bound_hit,
            (false, false) => &mut self.kept_text_bound_hit,
        };
        if !*hit && wanted > room && declared > room {
            *hit = true;
            // Data and other languages' sources past the bound are a footnote (medium);
            // code past it is what matters (high here, and PKG014 for the files).
            let sev = if code {
                rules::ARCHIVE_BOMB.severity()
            } else {
                assay_core::Severity::Medium
            };
            self.report(finding_with(
                &rules::ARCHIVE_BOMB,
                sev,
                &adm.loc,
                format!(
                    "the kept-bytes bound of {} MiB{} is reached here: this member ({declared} bytes) and later large ones{} keep only their head and are NOT INSPECTED",
                    bound >> 20,
                    if in_nested { " for nested archives" } else { "" },
                    if code { "" } else { " that are not code" }
                ),
            ));
        }
        let nested = sniff::sniff(&data).filter(|_| error.is_none() && !head_only);
        let mut open_nested = false;
        if let Some(c) = nested {
            open_nested = self.may_open_nested(scope, &adm, c, declared);
        }
        if error.is_none() && !ended && !head_only {
            // A stream of unknown size (a compressed payload declares 0) is read up to the
            // larger of the keep limit and the model prefix: a `.joblib.gz` is a pickle.
            let mut target = if declared <= keep {
                keep.max(prefix.unwrap_or(0))
            } else if let Some(p) = prefix {
                p
            } else {
                head as u64
            };
            if open_nested {
                target = target.max(MAX_NESTED_BYTES);
            }
            let target = usize::try_from(target).unwrap_or(usize::MAX);
            if target > data.len() {
                let want = usize::try_from(declared).unwrap_or(usize::MAX).min(target);
                data.reserve(want.saturating_sub(data.len()));
                match read_up_to(r, &mut data, target) {
                    Ok(end) => ended = end,
                    Err(e) => error = Some(e),
                }
            }
            // All declared bytes are in: look for the end, which also makes zip check the CRC.
            if error.is_none() && !ended && data.len() as u64 >= declared {
                match probe_end(r) {
                    Ok(end) => ended = end,
                    Err(e) => error = Some(e),
                }
            }
        }
        let read = data.len() as u64;
        let complete = ended && error.is_none();
        // The whole file is kept when it was read to its end (or up to an error) within the
        // keep limit; a file that was only partly read because it is too large keeps its head.
        let keep_all = if complete || error.is_some() {
            // A model file read to its end within its prefix bound is kept whole too.
            read <= keep || prefix.is_some_and(|p| read <= p)
        } else {
            read <= head as u64 || prefix.is_some()
        };
        let (data, full) = if open_nested && complete {
            let kept = if keep_all {
                data.clone()
            } else {
                data.get(..head.min(data.len()))
                    .unwrap_or_default()
                    .to_vec()
            };
            (kept, Some(data))
        } else {
            let mut data = data;
            if !keep_all {
                data.truncate(head);
                data.shrink_to_fit();
            }
            (data, None)
        };
        let complete = complete && keep_all;
        let entry = Entry {
            path: adm.path.clone(),
            kind: EntryKind::File,
            // Streams of unknown size (a compressed payload) declare 0: report what was read.
            size: declared.max(read),
            data,
            complete,
            file_kind: kind,
            sha256: None,
        };
        if in_nested {
            self.kept_nested = self.kept_nested.saturating_add(entry.data.len() as u64);
        } else {
            self.kept = self.kept.saturating_add(entry.data.len() as u64);
        }
        let index = self.push(entry, &adm.loc);
        if let Some(full) = full {
            let inner = Scope {
                path: adm.path,
                loc: adm.loc,
                name: adm.inner,
                depth: scope.depth + 1,
            };
            container::read_nested(self, &inner, &full);
        }
        MemberOutcome {
            index: Some(index),
            read,
            ended,
            error,
        }
    }

    /// Whether a member that starts like an archive may be opened; raises the finding when not.
    pub(crate) fn may_open_nested(
        &mut self,
        scope: &Scope,
        adm: &Admitted,
        c: Container,
        declared: u64,
    ) -> bool {
        let max_depth = self.limits.max_depth;
        if scope.depth + 1 > max_depth {
            // An installable package (wheel, egg, sdist) that was not opened may be the
            // payload itself: high, so the artifact is never clean (issue 21, item 11).
            // A wheel, an egg or an sdist named as a distribution is installable as it is:
            // critical (medium confidence), so the verdict is `malicious` and every gate
            // blocks it. Any other tarball is high. Inside a package, the engine demotes
            // nested archive findings (no installer unpacks them).
            let lower = adm.loc.to_ascii_lowercase();
            let sdist_ext = [".tar.gz", ".tgz", ".tar.bz2", ".tar.xz"]
                .iter()
                .find(|x| lower.ends_with(*x));
            // `name-1.2.3.tar.gz`: named as pip finds and installs an sdist (PEP 625).
            let dist_named = sdist_ext.is_some_and(|x| {
                let stem = lower.strip_suffix(*x).unwrap_or(&lower);
                let file = stem.rsplit(['/', '!']).next().unwrap_or(stem);
                file.rsplit_once('-').is_some_and(|(name, version)| {
                    !name.is_empty() && version.starts_with(|c: char| c.is_ascii_digit())
                })
            });
            let wheel = [".whl", ".egg"].iter().any(|x| lower.ends_with(x)) || dist_named;
            let installable = wheel || sdist_ext.is_some();
            let sev = if wheel {
                Severity::Critical
            } else if installable {
                Severity::High
            } else {
                rules::NESTING_TOO_DEEP.severity()
            };
            let mut f = finding_with(
                &rules::NESTING_TOO_DEEP,
                sev,
                &adm.loc,
                format!(
                    "nested {} archive at depth {} is deeper than the bound of {max_depth}; not opened{}",
                    c.label(),
                    scope.depth + 1,
                    if installable {
                        " (an installable package: NOT INSPECTED)"
                    } else {
                        ""
                    }
                ),
            );
            if wheel {
                f.confidence = assay_core::Confidence::Medium;
            }
            self.report(f);
            return false;
        }
        if declared > MAX_NESTED_BYTES {
            self.report(finding(
                &rules::ARCHIVE_BOMB,
                &adm.loc,
                format!(
                    "nested {} archive of {declared} bytes is over the {MAX_NESTED_BYTES}-byte bound for nested archives; not opened",
                    c.label()
                ),
            ));
            return false;
        }
        true
    }

    /// A member held whole in `bytes` that is a zip with data prepended (found by its end
    /// record, not its first bytes): push its entry under the content policy, then read it
    /// as a nested zip. The caller checked [`Sink::may_open_nested`].
    pub(crate) fn add_prefixed_zip(&mut self, scope: &Scope, adm: Admitted, bytes: &[u8]) {
        let inner = Scope {
            path: adm.path.clone(),
            loc: adm.loc.clone(),
            name: adm.inner.clone(),
            depth: scope.depth + 1,
        };
        // The bytes were charged when they were read: this copy is not charged again.
        let mut reader = bytes;
        self.add_member(scope, adm, bytes.len() as u64, false, &mut reader);
        crate::zipfile::read(self, &inner, bytes, false);
    }

    /// Push an entry whose content could not be read (encrypted, unsupported method).
    pub(crate) fn add_opaque(&mut self, adm: Admitted, declared: u64) -> usize {
        let entry = Entry {
            file_kind: classify(&adm.path, &[]),
            path: adm.path,
            kind: EntryKind::File,
            size: declared,
            data: Vec::new(),
            complete: declared == 0,
            sha256: None,
        };
        self.push(entry, &adm.loc)
    }

    /// Push a symlink or hard link. With `report`, raise `ARC003` (high when the target
    /// leaves the root). A hard link to an earlier member gets that member's content, which is
    /// what an extractor writes (CPython's tarfile copies the target when it cannot link).
    pub(crate) fn add_link(
        &mut self,
        scope: &Scope,
        adm: Admitted,
        target: String,
        hard: bool,
        report: bool,
    ) -> usize {
        let escapes = names::link_escapes(&adm.inner, &target, !hard);
        if report {
            let (what, sev) = match (hard, escapes) {
                (true, true) => ("hard link", Severity::High),
                (false, true) => ("symlink", Severity::High),
                // Inside a data archive the package ships (a time-zone database tarball),
                // a link that stays inside that archive is nothing an installer writes.
                (true, false) if scope.depth > 0 => ("hard link", Severity::Info),
                (false, false) if scope.depth > 0 => ("symlink", Severity::Info),
                // An alias that stays inside the archive (`CLAUDE.md -> AGENTS.md`, a
                // license or `__init__.py` shared between folders) writes nothing outside
                // it: low. It keeps the rule's severity when its own name is one Python
                // runs by itself, since what runs is then some other member.
                (true, false) if !runs_by_itself(&adm.inner) => ("hard link", Severity::Low),
                (false, false) if !runs_by_itself(&adm.inner) => ("symlink", Severity::Low),
                (true, false) => ("hard link", rules::LINK_ENTRY.severity()),
                (false, false) => ("symlink", rules::LINK_ENTRY.severity()),
            };
            let tail = if escapes {
                " (target is outside the archive root)"
            } else {
                ""
            };
            self.report(finding_with(
                &rules::LINK_ENTRY,
                sev,
                &adm.loc,
                format!("{what} to `{target}`{tail}"),
            ));
        }
        let (data, complete, size) = if hard && !escapes {
            let key = scope.path_of(&names::normalise(&target));
            match self.index.get(&key).and_then(|i| self.entries.get(*i)) {
                Some(t) if self.budget.charge(t.data.len() as u64) => {
                    (t.data.clone(), t.complete, t.size)
                }
                _ => (Vec::new(), false, 0),
            }
        } else {
            (Vec::new(), true, 0)
        };
        let entry = Entry {
            file_kind: classify(&adm.path, &data),
            path: adm.path,
            kind: if hard {
                EntryKind::Hardlink(target)
            } else {
                EntryKind::Symlink(target)
            },
            size,
            data,
            complete,
            sha256: None,
        };
        self.push(entry, &adm.loc)
    }

    /// Push a device, FIFO or socket (never read).
    pub(crate) fn add_special(&mut self, adm: Admitted) -> usize {
        let entry = Entry {
            file_kind: FileKind::Binary,
            path: adm.path,
            kind: EntryKind::Special,
            size: 0,
            data: Vec::new(),
            complete: true,
            sha256: None,
        };
        self.push(entry, &adm.loc)
    }

    /// Push an entry, raising `ARC004` if its path was seen before (both copies are kept).
    /// Two whole copies with the same kind and the same bytes are low: whichever a tool
    /// takes, it gets the same file (sdist builders that follow a symlinked directory
    /// store each file twice), so no tool differential is possible. Different or partly
    /// read copies keep the rule's severity.
    fn push(&mut self, entry: Entry, loc: &str) -> usize {
        let index = self.entries.len();
        if let Some(prev) = self.index.insert(entry.path.clone(), index) {
            let same = self.entries.get(prev).is_some_and(|p| {
                p.complete
                    && entry.complete
                    && p.kind == entry.kind
                    && p.size == entry.size
                    && p.data == entry.data
            });
            if same {
                self.report(finding_with(
                    &rules::DUPLICATE_ENTRY,
                    assay_core::Severity::Low,
                    loc,
                    format!(
                        "member `{}` appears more than once, as identical copies",
                        entry.path
                    ),
                ));
            } else {
                self.report(finding(
                    &rules::DUPLICATE_ENTRY,
                    loc,
                    format!("member `{}` appears more than once; both copies kept (tools differ on which wins)", entry.path),
                ));
            }
        }
        self.entries.push(entry);
        index
    }
}

/// Code and packaging metadata: kept whole up to [`Limits::max_file_bytes`], and first
/// in line for the kept-bytes allowance.
fn is_code(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::Python
            | FileKind::Pth
            | FileKind::CoreMetadata
            | FileKind::Record
            | FileKind::EntryPoints
            | FileKind::TopLevel
            | FileKind::WheelMetadata
            | FileKind::SetupCfg
            | FileKind::PyProject
            | FileKind::Script
            | FileKind::JavaScript
    )
}

/// Model files keep a prefix of what their analysis needs, even when the file is larger
/// than the keep limit (tensor data is never read): a pickle or GGUF file its first
/// [`Limits::max_file_bytes`] (legacy PyTorch puts every pickle before the storages; GGUF
/// puts metadata before tensors), an ONNX model the same, an HDF5 file its first 16 MiB, a
/// safetensors file its header, an object-dtype `.npy` its pickle. `None`: the usual head is enough.
/// Prefix of an HDF5 file kept for the Keras `model_config` check.
const HDF5_PREFIX_BYTES: u64 = 16 << 20;

/// How much of a SavedModel protobuf (`saved_model.pb`) is read.
const SAVED_MODEL_PREFIX_BYTES: u64 = 64 << 20;

/// How much of a GGUF file is read for its metadata.
const GGUF_PREFIX_BYTES: u64 = 64 << 20;

fn model_prefix(kind: FileKind, head: &[u8], limits: &Limits) -> Option<u64> {
    let max = limits.max_file_bytes;
    match kind {
        // ONNX is one protobuf message, read as far as the bound allows.
        FileKind::Pickle | FileKind::Onnx | FileKind::TfLite => Some(max),
        // GGUF metadata (vocabulary, merges, then the chat template) can pass 16 MiB: read
        // up to 64 MiB of it; the rule reports a header that goes on past that.
        FileKind::Gguf => Some(max.max(GGUF_PREFIX_BYTES)),
        // A SavedModel graph is one protobuf message; TF1 graphs with inline constants pass
        // 16 MiB. The rule reports a file read only in part.
        FileKind::TfSavedModel => Some(max.max(SAVED_MODEL_PREFIX_BYTES)),
        // Keras writes the root group's attributes (`model_config`, and the global heap
        // holding it) before the weights: 16 MiB covers them without reading whole HDF5
        // data files found in environments.
        FileKind::Hdf5 => Some(max.min(HDF5_PREFIX_BYTES)),
        FileKind::Safetensors => {
            let len = head
                .get(..8)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .map(u64::from_le_bytes)?;
            Some(len.saturating_add(8).min(max))
        }
        FileKind::NumPy => {
            let header = head.get(..head.len().min(1024)).unwrap_or_default();
            let object = memchr::memmem::find(header, b"'|O'").is_some()
                || memchr::memmem::find(header, b"'O'").is_some();
            object.then_some(max)
        }
        _ => None,
    }
}

/// One more read to see whether a reader is at its end (zip validates the CRC on that read).
fn probe_end(r: &mut dyn Read) -> io::Result<bool> {
    let mut byte = [0u8; 1];
    loop {
        match r.read(&mut byte) {
            Ok(0) => return Ok(true),
            Ok(_) => return Ok(false),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Whether a member named `inner` (its path inside the archive) is a file Python runs
/// without being asked: `setup.py` (an sdist's install script), a `.pth` file (read by
/// `site` at every start), `sitecustomize.py` / `usercustomize.py`.
fn runs_by_itself(inner: &str) -> bool {
    let name = inner.rsplit(['/', '\\']).next().unwrap_or(inner);
    name == "setup.py"
        || name == "sitecustomize.py"
        || name == "usercustomize.py"
        || name.ends_with(".pth")
}
