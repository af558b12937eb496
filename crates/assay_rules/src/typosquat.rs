//! Typosquat detection against bundled lists of popular package names, one per ecosystem.
//!
//! The lists live in `data/` and each opens with a `#` header naming its source and date:
//! - `pypi-top.txt`: the 5,000 most downloaded PyPI projects, PEP 503 normalised, most
//!   popular first (the `rank_among_15000_most_downloaded` column of the workplace's PyPI
//!   package index, sorted by rank, first 5,000 distinct normalised names);
//! - `npm-top.txt`: the 5,000 most downloaded npm packages by `downloads_a_month` in the
//!   workplace's npm package index (`/usr/share/package-lists/npm.tsv`), lowercased,
//!   scoped names kept as `@scope/name`;
//! - `crates-top.txt`: a few hundred popular crates.io crates. It is **not** download
//!   ranked (the crates.io API with download counts is unreachable from the build machine):
//!   the Rust Playground's top-crates selection followed by the crates of assay's own
//!   `Cargo.lock`. Its header says so;
//! - `pypi-known.txt`, `npm-known.txt`: the next 10,000 names of the same PyPI and npm
//!   sources (ranks 5,001 to 15,000), the **known projects**. They are never targets.
//!
//! ## The model
//!
//! A name squats a popular one when it is not itself a known project (on either list) and,
//! against one of the most popular names of its ecosystem ([`TyposquatModel::targets`]), it
//! matches one of the kinds below, the most specific first, so the reported "how" names
//! the kind. The kinds model how people mistype and how squatters imitate, not the
//! samples: each kind is allowed only where the top-5,000 lists show few real projects
//! differing from each other that way.
//!
//! Exact transformations:
//! - drops separators (`-`, `_`, `.`): `crossenv` for `cross-env` (adding them is not
//!   flagged: `word-wrap` and `wordwrap` are both real), against the
//!   [`TyposquatModel::squash_targets`] most popular;
//! - differs only by look-alike characters (`1`/`l`, `0`/`o`, `rn`/`m`, `vv`/`w`, and
//!   Cyrillic or Greek letters that render like Latin ones);
//! - adds or drops an ecosystem affix (`python-`/`-py` for PyPI, `node-`/`.js` for npm,
//!   `rust-`/`-rs` for crates.io) against the [`TyposquatModel::affix_targets`] most popular;
//! - npm scope confusion (see `scope_confusion`): `@scope/name` for one of the 300 most
//!   popular unscoped packages under a scope no known package uses (`@evil/lodash`), and
//!   `types-name` for `@types/name`.
//!
//! Edits, each dropped when it is **ambiguous** (another known name, popular or not, is
//! one edit from the candidate and less than ten times less popular than the target:
//! two comparable neighbours mean a crowded spelling, usually a real project's):
//! - one typo-like edit (see `plausible_edit`): adjacent swaps, doubled or undoubled
//!   letters, QWERTY-neighbour keys, a letter slipped inside a word of six or more
//!   letters (`pygacme`); never a version digit, a plural `s`, an edit in a short code
//!   segment or a new first letter, which mostly name other projects; looser for the
//!   [`TyposquatModel::loose_targets`] most popular names;
//! - one edit, or two inside a long word, from the brand of a versioned target
//!   (`beautifulsoup` for `beautifulsoup4`);
//! - two edits inside one word of at least ten letters with the same first two and last
//!   letters (`matpllotib`);
//! - two typing slips inside one word of at least eight letters, by a weighted
//!   Damerau-Levenshtein distance (`typo_cost`) where doubling, undoubling, swaps and
//!   look-alike digits are cheapest, neighbour keys, vowel changes and inserted or
//!   dropped inner letters dearer, and changes to the first or last letter or an added
//!   suffix are not slips at all (`seleeniumm`, `sellinium`, `tensrflwo`).
//!
//! Figures: `cargo run -p assay_dev -- typosquat-rates` (share of real historical
//! typosquats flagged; share of each popular list flagged against itself, each name
//! checked with itself removed from both the popular and the known list, so the known
//! list cannot hide a collision); results in docs/benchmarks.md. Name-only rules meet
//! the 0.5 % collision bound at about 81 % recall: the remaining misses are mostly short
//! names (`web3`, `boto3`), random substitutions (`pygfme`) and changed first or last
//! letters, the same edits that separate real neighbouring projects.
//!
//! Work per name is bounded and does not scan the lists: hash lookups of the name's
//! separator-free spelling and of its one-byte deletions (a symmetric-deletion index
//! over the popular and known names, built once per list), then capped edit distances
//! against the few long one-word targets of similar length (sharing the first letter
//! for the weighted pass). Names over [`MAX_NAME`] bytes are not compared.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Names longer than this (in bytes) are not compared by edit distance; no list entry
/// is this long and registry limits (npm: 214) bound real names anyway.
pub const MAX_NAME: usize = 214;

pub use assay_core::Ecosystem;

/// The typosquat model's parameters per ecosystem (every [`Ecosystem`] has a bundled
/// list).
pub trait TyposquatModel: Copy {
    /// How many of the list's most popular names are protected targets.
    fn targets(self) -> usize;
    /// How many targets are protected from dropped separators.
    fn squash_targets(self) -> usize;
    /// How many targets are protected from affix variants.
    fn affix_targets(self) -> usize;
    /// How many of the most popular targets get the looser one-edit rules.
    fn loose_targets(self) -> usize;
    /// Affixes that registries' users add to a name without meaning a different project.
    fn affixes(self) -> (&'static [&'static str], &'static [&'static str]);
}

impl TyposquatModel for Ecosystem {
    /// How many of the list's most popular names are protected targets. The more
    /// targets, the more legitimate look-alike projects collide (measured by the
    /// `popular_names_rarely_collide` test); PyPI has many `python-x`/`x` and `x`/`xy`
    /// pairs, so it protects fewer.
    fn targets(self) -> usize {
        match self {
            Ecosystem::PyPI => 5000,
            Ecosystem::Npm => 5000,
            Ecosystem::CratesIo => 5000,
        }
    }

    /// How many targets are protected from dropped separators (`crossenv`): npm has many
    /// real `xy`/`x-y` pairs further down its list (`parseurl`/`parse-url`,
    /// `jsonpointer`/`json-pointer`), so it protects fewer.
    fn squash_targets(self) -> usize {
        match self {
            Ecosystem::PyPI => 5000,
            Ecosystem::Npm => 3000,
            Ecosystem::CratesIo => 5000,
        }
    }

    /// How many targets are protected from affix variants (`python-x`, `node-x`,
    /// `x-rs`): affixed names are as often real wrappers (`python-dotenv`, `docker-py`).
    fn affix_targets(self) -> usize {
        match self {
            Ecosystem::PyPI => 1000,
            Ecosystem::Npm => 3000,
            Ecosystem::CratesIo => 5000,
        }
    }

    /// How many of the most popular targets (of 7+ bytes) get the looser one-edit rules
    /// (see `plausible_edit`): squatting campaigns aim at the very top
    /// and generate every variant of a name, and few legitimate projects sit one
    /// typo away from the most installed names.
    fn loose_targets(self) -> usize {
        match self {
            Ecosystem::PyPI => 100,
            Ecosystem::Npm => 100,
            Ecosystem::CratesIo => 100,
        }
    }

    /// Affixes that registries' users add to a name without meaning a different project,
    /// longest first so `python-` wins over `py`.
    fn affixes(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Ecosystem::PyPI => (
                &["python3-", "python-", "py3-", "py-"],
                &["-python3", "-python", "-py3", "-py"],
            ),
            Ecosystem::Npm => (&["node-", "node"], &[".js"]),
            Ecosystem::CratesIo => (&["rust-", "rs-"], &["-rust", "-rs"]),
        }
    }
}

/// One bundled list: names in popularity order, as a set, and indexed for the checks.
struct List {
    /// The popular list (targets are its first [`TyposquatModel::targets`]).
    names: Vec<&'static str>,
    set: HashSet<&'static str>,
    /// The popular names followed by the known-projects tail, most popular first.
    all: Vec<&'static str>,
    /// Rank of every name of `all`.
    ranks: HashMap<&'static str, usize>,
    /// Separator-free spelling → ranks of the targets with it, most popular first.
    squashed: HashMap<String, Vec<u32>>,
    /// Each name of `all` (targets and known projects) and each of its one-byte
    /// deletions → ranks, ascending (the symmetric-deletion index: two strings one edit
    /// apart share the key of one of them or a deletion). Keys are 64-bit hashes (see
    /// `with_deletions`): a hash collision only adds a candidate, and every candidate is
    /// checked by an edit comparison.
    deletions: HashMap<u64, Vec<u32>>,
    /// npm scope (without `@`) → how many names of `all` use it.
    scopes: HashMap<&'static str, usize>,
    /// Single-word targets of at least [`TYPO2_MIN`] bytes by first byte (ranks): the
    /// candidates of the two-typo pass, which keeps the first letter.
    words_by_first: HashMap<u8, Vec<u32>>,
    /// Ranks of single-word targets of at least [`TWO_EDIT_MIN`] bytes.
    long_words: Vec<u32>,
    /// Targets named with a version suffix (`beautifulsoup4`), under their brand name
    /// (`beautifulsoup`) when that is at least 8 bytes: squatters imitate the brand.
    brands: Vec<(String, u32)>,
}

/// One-word targets at least this long accept a letter inserted inside the word.
const INSERT_MIN: usize = 6;

/// Targets at least this long (one word, no separators or digits) are also matched at
/// two edits.
const TWO_EDIT_MIN: usize = 10;

impl List {
    fn new(eco: Ecosystem, text: &'static str, known: &'static str) -> List {
        let read = |text: &'static str| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .map(|l| match eco {
                    // crates.io treats `-` and `_` as one name; compare the `-` spelling.
                    Ecosystem::CratesIo
                        if l.contains('_') || l.bytes().any(|b| b.is_ascii_uppercase()) =>
                    {
                        &*Box::leak(canonical(eco, l).into_boxed_str())
                    }
                    _ => l,
                })
                .collect::<Vec<&'static str>>()
        };
        let names = read(text);
        let set: HashSet<&'static str> = names.iter().copied().collect();
        let mut all = names.clone();
        all.extend(read(known).into_iter().filter(|n| !set.contains(n)));
        let mut squashed: HashMap<String, Vec<u32>> = HashMap::new();
        let mut deletions: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut long_words = Vec::new();
        let mut words_by_first: HashMap<u8, Vec<u32>> = HashMap::new();
        let mut brands = Vec::new();
        for (rank, t) in all.iter().enumerate() {
            let rank = rank as u32;
            if t.len() >= 4 {
                for key in with_deletions(t.as_bytes()) {
                    let v = deletions.entry(key).or_default();
                    if v.last() != Some(&rank) {
                        v.push(rank);
                    }
                }
            }
        }
        for (rank, t) in names.iter().enumerate().take(eco.targets()) {
            let rank = rank as u32;
            if (rank as usize) < eco.squash_targets() {
                squashed.entry(squash(t)).or_default().push(rank);
            }
            let word = !t.bytes().any(|c| is_sep(c) || c.is_ascii_digit());
            if word && t.len() >= TWO_EDIT_MIN {
                long_words.push(rank);
            }
            if word && t.len() >= TYPO2_MIN {
                words_by_first
                    .entry(t.as_bytes()[0])
                    .or_default()
                    .push(rank);
            }
            let brand = t.trim_end_matches(|c: char| c.is_ascii_digit());
            if brand.len() < t.len() && brand.len() >= 8 && !brand.ends_with(is_sep_char) {
                brands.push((brand.to_string(), rank));
            }
        }
        let ranks = all.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let mut scopes: HashMap<&'static str, usize> = HashMap::new();
        for n in &all {
            if let Some((scope, _)) = n.strip_prefix('@').and_then(|r| r.split_once('/')) {
                *scopes.entry(scope).or_default() += 1;
            }
        }
        List {
            names,
            set,
            all,
            ranks,
            scopes,
            squashed,
            deletions,
            words_by_first,
            long_words,
            brands,
        }
    }

    fn rank(&self, name: &str) -> usize {
        self.ranks.get(name).copied().unwrap_or(usize::MAX)
    }
}

/// FNV-1a hashes of the string itself followed by every one-byte deletion of it,
/// without building the deleted strings (index keys: no allocation per key).
fn with_deletions(s: &[u8]) -> impl Iterator<Item = u64> + '_ {
    let fnv = move |skip: Option<usize>| {
        s.iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != skip)
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, (_, &b)| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            })
    };
    std::iter::once(fnv(None)).chain((0..s.len()).map(move |i| fnv(Some(i))))
}

static PYPI: LazyLock<List> = LazyLock::new(|| {
    List::new(
        Ecosystem::PyPI,
        include_str!("../data/pypi-top.txt"),
        include_str!("../data/pypi-known.txt"),
    )
});
static NPM: LazyLock<List> = LazyLock::new(|| {
    List::new(
        Ecosystem::Npm,
        include_str!("../data/npm-top.txt"),
        include_str!("../data/npm-known.txt"),
    )
});
static CRATES: LazyLock<List> = LazyLock::new(|| {
    List::new(
        Ecosystem::CratesIo,
        include_str!("../data/crates-top.txt"),
        "",
    )
});

fn list(eco: Ecosystem) -> &'static List {
    match eco {
        Ecosystem::PyPI => &PYPI,
        Ecosystem::Npm => &NPM,
        Ecosystem::CratesIo => &CRATES,
    }
}

/// The bundled popular names of `eco`, most popular first (crates: list order), in the
/// ecosystem's canonical spelling (see [`canonical`]).
pub fn popular(eco: Ecosystem) -> &'static [&'static str] {
    &list(eco).names
}

/// The name as the lists compare names: the registry's comparison key
/// ([`Ecosystem::normalize`]: PEP 503 for PyPI, lowercase for npm, lowercase with `_` as
/// `-` for crates.io) of the name without surrounding whitespace, and for PyPI without
/// separators at either end. PEP 508 accepts no PyPI name that begins or ends with a
/// separator, so `_requests_` (PEP 503: `-requests-`) can only imitate `requests` and
/// is compared as it; the shadowing rules compare project names the same way.
pub fn canonical(eco: Ecosystem, name: &str) -> String {
    match eco {
        Ecosystem::PyPI => eco.normalize(name).trim_matches('-').to_owned(),
        Ecosystem::Npm | Ecosystem::CratesIo => eco.normalize(name.trim()),
    }
}

/// The known-projects tail of `eco` (`data/*-known.txt`: ranks 5,001 to 15,000, most
/// popular first, without the popular names); empty for crates.io.
pub fn known_tail(eco: Ecosystem) -> &'static [&'static str] {
    let l = list(eco);
    l.all.get(l.names.len()..).unwrap_or_default()
}

/// Whether the (normalised) name is on the bundled popular PyPI list.
pub fn is_popular(name: &str) -> bool {
    is_popular_in(Ecosystem::PyPI, name)
}

/// Whether the name is on the bundled popular list of `eco`.
pub fn is_popular_in(eco: Ecosystem, name: &str) -> bool {
    list(eco).set.contains(canonical(eco, name).as_str())
}

/// The popular PyPI project `name` imitates, and how, if any (see [`squats_in`]).
pub fn squats(name: &str) -> Option<(&'static str, &'static str)> {
    squats_in(Ecosystem::PyPI, name)
}

/// The popular package of `eco` that `name` imitates, and the kind of squat
/// (`"separators"`, `"look-alike characters"`, `"py/python affix"`, `"one edit"`, …).
/// `None` when the name is itself popular or resembles no target.
pub fn squats_in(eco: Ecosystem, name: &str) -> Option<(&'static str, &'static str)> {
    let n = canonical(eco, name);
    if list(eco).ranks.contains_key(n.as_str()) {
        return None;
    }
    find(eco, &n, None)
}

/// The 0-based popularity rank of `name` on the popular list of `eco` (crates.io: list
/// order, not downloads), or `None` when it is not on that list (known-tail names
/// included).
pub fn rank_in(eco: Ecosystem, name: &str) -> Option<usize> {
    let l = list(eco);
    l.ranks
        .get(canonical(eco, name).as_str())
        .copied()
        .filter(|r| *r < l.names.len())
}

/// Whether the name is a known real project of `eco`: on the popular list or on the
/// known-projects tail (`data/*-known.txt`, ranks 5,001 to 15,000). Known names are
/// never reported as typosquats.
pub fn is_known_in(eco: Ecosystem, name: &str) -> bool {
    list(eco).ranks.contains_key(canonical(eco, name).as_str())
}

/// Like [`squats_in`], but checks a name as if it were on neither the popular nor the
/// known list, skipping only the identical name in both (it is neither a target nor a
/// neighbour that makes the name ambiguous). Used to measure how often popular names
/// collide: the known list cannot hide a collision of the name being tested.
pub fn squats_ignoring_self(eco: Ecosystem, name: &str) -> Option<(&'static str, &'static str)> {
    let n = canonical(eco, name);
    find(eco, &n, Some(n.as_str()))
}

/// Separators dropped: `-`, `_`, `.` (npm's scope marks `@` and `/` are kept: a scoped
/// and an unscoped name are told apart, see the module docs).
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '_' | '.'))
        .collect()
}

fn separators(s: &str) -> usize {
    s.chars().filter(|c| matches!(c, '-' | '_' | '.')).count()
}

fn is_sep_char(c: char) -> bool {
    matches!(c, '-' | '_' | '.' | '@' | '/')
}

fn is_sep(c: u8) -> bool {
    matches!(c, b'-' | b'_' | b'.' | b'@' | b'/')
}

/// Look-alike characters mapped to the Latin letter they imitate.
fn deglyph(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '1' | '|' | 'ı' | 'ӏ' | 'і' => 'l',
            '0' | 'о' | 'ο' | 'σ' => 'o',
            'а' | 'α' => 'a',
            'е' | 'ε' => 'e',
            'р' | 'ρ' => 'p',
            'с' | 'ϲ' => 'c',
            'у' | 'γ' => 'y',
            'х' | 'χ' => 'x',
            'ѕ' => 's',
            'ԁ' => 'd',
            'ɡ' => 'g',
            'к' | 'κ' => 'k',
            'т' | 'τ' => 't',
            'н' => 'h',
            'ν' => 'v',
            'ј' => 'j',
            other => other,
        })
        .collect();
    mapped.replace("rn", "m").replace("vv", "w")
}

/// The name with one ecosystem affix removed, if it has one (and something remains).
fn strip_affix(eco: Ecosystem, s: &str) -> Option<&str> {
    let (pre, suf) = eco.affixes();
    pre.iter()
        .find_map(|p| s.strip_prefix(p))
        .or_else(|| suf.iter().find_map(|x| s.strip_suffix(x)))
        .filter(|r| r.len() >= 3)
}

fn affix_kind(eco: Ecosystem) -> &'static str {
    match eco {
        Ecosystem::PyPI => "py/python affix",
        Ecosystem::Npm => "node/js affix",
        Ecosystem::CratesIo => "rs/rust affix",
    }
}

fn find(eco: Ecosystem, n: &str, skip: Option<&str>) -> Option<(&'static str, &'static str)> {
    if n.len() < 4 || n.len() > MAX_NAME {
        return None;
    }
    let l = list(eco);
    let name_of = |rank: &u32| l.names.get(*rank as usize).copied();
    let not_self = |t: &&'static str| Some(*t) != skip;
    // The most popular target under `key` (separator-free) that passes `ok`.
    let by_squash = |key: &str, ok: &dyn Fn(&str) -> bool| {
        l.squashed
            .get(key)
            .into_iter()
            .flatten()
            .filter_map(name_of)
            .filter(not_self)
            .find(|t| ok(t))
    };
    let squashed = squash(n);
    let glyph = deglyph(n);
    // Pass 1: exact matches after one transformation (most specific kinds first).
    // Dropping separators imitates (`crossenv`); adding them is as often a second
    // project (`word-wrap`, `wordwrap`), so only the first direction counts.
    if let Some(t) = by_squash(&squashed, &|t| separators(n) < separators(t)) {
        return Some((t, "separators"));
    }
    if glyph != n
        && let Some(t) = by_squash(&squash(&glyph), &|_| true)
    {
        return Some((t, "look-alike characters"));
    }
    // Affixed names are as often real wrappers (`python-dotenv`, `docker-py`), so only
    // the most popular targets are protected from them.
    let top = |t: &str| l.rank(t) < eco.affix_targets();
    if let Some(s) = strip_affix(eco, n)
        && let Some(t) =
            by_squash(&squash(s), &top).or_else(|| by_squash(&squash(&deglyph(s)), &top))
    {
        return Some((t, affix_kind(eco)));
    }
    if eco == Ecosystem::Npm
        && let Some(hit) = scope_confusion(l, n, skip)
    {
        return Some(hit);
    }
    // Passes 2 to 5 accept an edit; the match is dropped when it is ambiguous.
    let forms: &[&str] = if glyph == n {
        &[n]
    } else {
        &[n, glyph.as_str()]
    };
    by_edit(eco, n, &glyph, skip).filter(|(t, _)| !ambiguous(l, forms, t, skip))
}

/// How many of the most popular unscoped npm packages are protected from being
/// republished under a scope nobody else uses (`@evil/lodash`). Further down the list,
/// personal-scope forks are common and legitimate (`@colors/colors`, `@iarna/toml`).
const SCOPE_TARGETS: usize = 300;

/// npm scope confusion: `@scope/name` where `name` is one of the [`SCOPE_TARGETS`] most
/// popular unscoped packages and no other known package uses `@scope` (an established
/// scope publishing its own `name` is an organisation's fork or mirror); and
/// `types-name` (or `typesname`, `types_name`, `types.name`) where `@types/name` is a
/// target: DefinitelyTyped publishes only under `@types`. Other flattened scopes are not
/// flagged: `babel-core`, `rollup-pluginutils`, `esbuild-linux-arm64` are the real
/// pre-scope packages of the same projects.
fn scope_confusion(l: &List, n: &str, skip: Option<&str>) -> Option<(&'static str, &'static str)> {
    if let Some((scope, bare)) = n.strip_prefix('@').and_then(|r| r.split_once('/')) {
        let t = l.names.get(l.rank(bare)).copied()?;
        // A name being measured is on the list itself: it does not count for its scope.
        let others = l
            .scopes
            .get(scope)
            .copied()
            .unwrap_or(0)
            .saturating_sub(usize::from(l.ranks.contains_key(n)));
        return (l.rank(bare) < SCOPE_TARGETS && !t.starts_with('@') && others == 0)
            .then_some((t, "scope confusion"));
    }
    let rest = n.strip_prefix("types")?;
    let bare = rest.strip_prefix(['-', '_', '.']).unwrap_or(rest);
    let scoped = format!("@types/{bare}");
    let rank = l.rank(&scoped);
    (rank < Ecosystem::Npm.targets())
        .then(|| l.names.get(rank).copied())
        .flatten()
        .filter(|t| Some(*t) != skip)
        .map(|t| (t, "scope flattened"))
}

/// How many times more popular (by rank) a target must be than every other known name
/// one edit from the candidate: two comparably popular names near a candidate leave it
/// unclear which one it imitates, and mostly mean the candidate is a real neighbouring
/// project (`patsy` next to `parsy` and `pathy`, `unicorn` next to `uvicorn` and
/// `gunicorn`).
const POPULARITY_GAP: usize = 10;

/// Whether some known name other than `target` (and `skip`) is one edit from one of the
/// candidate's `forms` and less than [`POPULARITY_GAP`] times less popular than
/// `target`. Bounded: the candidate's deletion keys, each bucket read in rank order up
/// to the gap.
fn ambiguous(l: &List, forms: &[&str], target: &str, skip: Option<&str>) -> bool {
    let limit = l
        .rank(target)
        .saturating_add(1)
        .saturating_mul(POPULARITY_GAP);
    forms.iter().any(|cand| {
        with_deletions(cand.as_bytes()).any(|key| {
            l.deletions
                .get(&key)
                .into_iter()
                .flatten()
                .take_while(|&&r| (r as usize) < limit)
                .filter_map(|&r| l.all.get(r as usize).copied())
                .any(|k| {
                    k != target
                        && Some(k) != skip
                        && one_edit_kind(cand.as_bytes(), k.as_bytes()).is_some()
                })
        })
    })
}

/// Passes 2 to 5 of [`find`]: the most specific edit-based match, not yet checked for
/// ambiguity.
fn by_edit(
    eco: Ecosystem,
    n: &str,
    glyph: &str,
    skip: Option<&str>,
) -> Option<(&'static str, &'static str)> {
    let l = list(eco);
    let name_of = |rank: &u32| l.names.get(*rank as usize).copied();
    let not_self = |t: &&'static str| Some(*t) != skip;
    // Pass 2: one plausible edit, via the deletion index, most popular target first.
    if n.len() >= 5 {
        let mut best: Option<u32> = None;
        for cand in [n, glyph] {
            for key in with_deletions(cand.as_bytes()) {
                for &rank in l.deletions.get(&key).into_iter().flatten() {
                    if best.is_some_and(|b| b <= rank) || rank as usize >= eco.targets() {
                        break;
                    }
                    let Some(t) = name_of(&rank).filter(not_self) else {
                        continue;
                    };
                    if one_edit_kind(cand.as_bytes(), t.as_bytes()).is_some_and(|e| {
                        let loose = (rank as usize) < eco.loose_targets() && t.len() >= 7;
                        plausible_edit(e, cand.as_bytes(), t.as_bytes(), loose)
                    }) {
                        best = Some(rank);
                    }
                }
            }
            if glyph == n {
                break;
            }
        }
        if let Some(t) = best.as_ref().and_then(name_of) {
            return Some((t, "one edit"));
        }
    }
    // Pass 3: the brand name of a versioned target (`beautifulsoup` for
    // `beautifulsoup4`) at one edit, or at two inside a long word as in pass 4; the
    // bare brand is often a project of its own (`markdown`/`markdown2`).
    for (brand, rank) in &l.brands {
        let Some(t) = name_of(rank).filter(not_self) else {
            continue;
        };
        let (g, bb) = (glyph.as_bytes(), brand.as_bytes());
        let two = brand.len() >= TWO_EDIT_MIN
            && !g.iter().chain(bb).any(|&c| is_sep(c))
            && g.get(..2) == bb.get(..2)
            && g.last() == bb.last()
            && osa_distance(glyph, brand) == 2;
        if two || one_edit_kind(g, bb).is_some_and(|e| plausible_edit(e, g, bb, false)) {
            return Some((t, "brand without version"));
        }
    }
    // Pass 4: two edits only inside one long word with the same first two and last
    // letters: `matplotlib`/`matpllotib`. Across segments two edits name different
    // projects.
    if !n.bytes().any(|c| is_sep(c) || c.is_ascii_digit()) && glyph.len() >= TWO_EDIT_MIN - 1 {
        let g = glyph.as_bytes();
        for &rank in &l.long_words {
            let Some(t) = name_of(&rank).filter(not_self) else {
                continue;
            };
            let tb = t.as_bytes();
            let ends = tb.get(..2) == g.get(..2) && tb.last() == g.last();
            if ends && g.len().abs_diff(tb.len()) <= 2 && osa_distance(glyph, t) <= 2 {
                return Some((t, "two edits"));
            }
        }
    }
    // Pass 5: two typing slips (see `typo_cost`) inside one word of at least
    // [`TYPO2_MIN`] bytes whose first letter is kept: `seleeniumm`, `sellinium`,
    // `tensrflwo` (one slip is pass 2's business).
    if !n.bytes().any(is_sep)
        && let Some(first) = glyph.as_bytes().first()
    {
        let g = glyph.as_bytes();
        for &rank in l.words_by_first.get(first).into_iter().flatten() {
            let Some(t) = name_of(&rank).filter(not_self) else {
                continue;
            };
            let tb = t.as_bytes();
            if g.len() + 1 >= tb.len()
                && g.len() <= tb.len() + 2
                && typo_cost(g, tb) <= TYPO2_BUDGET
            {
                return Some((t, "two typos"));
            }
        }
    }
    None
}

/// One-word targets at least this long are matched at two typing slips (pass 5).
const TYPO2_MIN: usize = 8;

/// The most a name may cost (see [`typo_cost`]) to count as two slips from a target:
/// two slips of the commonest kinds, or one of them plus a vowel, keyboard-neighbour or
/// inserted/dropped letter; never two inserted or dropped letters (`markdown` and
/// `markitdown`), two vowel changes (`commander`/`commondir`) or any other letter change.
const TYPO2_BUDGET: u32 = 8;

/// Cost of one slip, in quarters: a doubled or undoubled letter, two neighbours swapped,
/// a digit for the letter it looks like (`tensofl9w`).
const SLIP_CHEAP: u32 = 3;
/// A key replaced by its QWERTY neighbour.
const SLIP_NEAR_KEY: u32 = 4;
/// A vowel for a vowel, a letter inserted or dropped inside the word.
const SLIP_LETTER: u32 = 5;
/// Not a slip this model accepts.
const NO_SLIP: u32 = 1000;

/// Whether `to` is a digit commonly typed or read for the letter `from` (leetspeak).
fn leet(from: u8, to: u8) -> bool {
    matches!(
        (from, to),
        (b'e', b'3')
            | (b'a', b'4')
            | (b'o', b'0' | b'9')
            | (b'l' | b'i', b'1')
            | (b's', b'5')
            | (b't', b'7')
    )
}

/// A weighted Damerau-Levenshtein (optimal string alignment) distance between a name
/// and a one-word target, in quarters, where only the edits squatters and typists make
/// inside a word are allowed (others cost [`NO_SLIP`]): letters doubled or undoubled and
/// neighbours swapped ([`SLIP_CHEAP`]), a QWERTY-neighbour key ([`SLIP_NEAR_KEY`]), a
/// vowel for a vowel or a letter inserted or dropped inside the word ([`SLIP_LETTER`]).
/// The first letter and the last are kept (a doubled last letter aside): a word with a
/// new first or last letter, or a suffix, is usually another project (`pymupdf` and
/// `pymupdfb`, `tensorboard` and `tensorboardx`). O(len(name) × len(target)); callers
/// bound both lengths.
fn typo_cost(name: &[u8], target: &[u8]) -> u32 {
    let (n, m) = (name.len(), target.len());
    let t = |j: usize| target.get(j).copied();
    let vowel = |c: u8| b"aeiouy".contains(&c);
    let sub = |j: usize, ch: u8| {
        let f = t(j).unwrap_or(0);
        if j == 0 || j + 1 == m {
            NO_SLIP
        } else if leet(f, ch) {
            SLIP_CHEAP
        } else if keyboard_adjacent(f, ch) {
            SLIP_NEAR_KEY
        } else if vowel(f) && vowel(ch) {
            SLIP_LETTER
        } else {
            NO_SLIP
        }
    };
    // `ch` inserted before target position `j` (`j == m`: appended).
    let ins = |j: usize, ch: u8| {
        let doubles = (j > 0 && t(j - 1) == Some(ch)) || t(j) == Some(ch);
        if !ch.is_ascii_lowercase() || j == 0 {
            NO_SLIP
        } else if doubles {
            if j <= 1 { NO_SLIP } else { SLIP_CHEAP }
        } else if j == m {
            NO_SLIP
        } else {
            SLIP_LETTER
        }
    };
    let del = |j: usize| {
        let ch = t(j).unwrap_or(0);
        let doubled = (j > 0 && t(j - 1) == Some(ch)) || t(j + 1) == Some(ch);
        if !ch.is_ascii_lowercase() || (j <= 1 && t(0) == Some(ch)) {
            NO_SLIP
        } else if doubled {
            SLIP_CHEAP
        } else if j == 0 || j + 1 == m {
            NO_SLIP
        } else {
            SLIP_LETTER
        }
    };
    let w = m + 1;
    let mut d = vec![0u32; (n + 1) * w];
    for j in 1..=m {
        d[j] = d[j - 1].saturating_add(del(j - 1));
    }
    for i in 1..=n {
        let c = name[i - 1];
        d[i * w] = d[(i - 1) * w].saturating_add(ins(0, c));
        for j in 1..=m {
            let keep = if c == target[j - 1] { 0 } else { sub(j - 1, c) };
            let mut v = d[(i - 1) * w + j]
                .saturating_add(ins(j, c))
                .min(d[i * w + j - 1].saturating_add(del(j - 1)))
                .min(d[(i - 1) * w + j - 1].saturating_add(keep));
            if i > 1
                && j > 2
                && c == target[j - 2]
                && name[i - 2] == target[j - 1]
                && c != name[i - 2]
            {
                v = v.min(d[(i - 2) * w + j - 2].saturating_add(SLIP_CHEAP));
            }
            d[i * w + j] = v;
        }
    }
    d[n * w + m]
}

/// Where two names differ by exactly one edit (Damerau-Levenshtein distance 1), as
/// positions in the target; `None` otherwise. Bounded work: O(len).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    /// The name has `to` where the target has `from`, at `at`.
    Sub { at: usize, from: u8, to: u8 },
    /// The name has an extra `ch` before target position `at`.
    Ins { at: usize, ch: u8 },
    /// The name lacks the target's character at `at`.
    Del { at: usize },
    /// The name swaps the target's characters at `at` and `at + 1`.
    Swap,
}

fn one_edit_kind(name: &[u8], target: &[u8]) -> Option<Edit> {
    if name == target || name.len().abs_diff(target.len()) > 1 {
        return None;
    }
    let p = name.iter().zip(target).take_while(|(x, y)| x == y).count();
    let (rn, rt) = (name.get(p..)?, target.get(p..)?);
    match rn.len().cmp(&rt.len()) {
        std::cmp::Ordering::Equal => {
            if rn.get(1..) == rt.get(1..) {
                Some(Edit::Sub {
                    at: p,
                    from: *rt.first()?,
                    to: *rn.first()?,
                })
            } else if rn.len() >= 2
                && rn.first() == rt.get(1)
                && rn.get(1) == rt.first()
                && rn.get(2..) == rt.get(2..)
            {
                Some(Edit::Swap)
            } else {
                None
            }
        }
        std::cmp::Ordering::Greater => {
            (rn.get(1..) == Some(rt)).then(|| Edit::Ins { at: p, ch: rn[0] })
        }
        std::cmp::Ordering::Less => (rt.get(1..) == Some(rn)).then_some(Edit::Del { at: p }),
    }
}

/// Damerau-Levenshtein distance exactly 1.
#[cfg(test)]
fn one_edit(a: &str, b: &str) -> bool {
    one_edit_kind(a.as_bytes(), b.as_bytes()).is_some()
}

/// Whether two keys are neighbours on a QWERTY keyboard (rows staggered by half a key).
fn keyboard_adjacent(a: u8, b: u8) -> bool {
    const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    let pos = |c: u8| {
        ROWS.iter().enumerate().find_map(|(r, row)| {
            row.iter()
                .position(|&k| k == c)
                .map(|col| (r as f32, col as f32 + r as f32 * 0.5))
        })
    };
    match (pos(a), pos(b)) {
        (Some((ra, xa)), Some((rb, xb))) => {
            a != b && (ra - rb).abs() <= 1.0 && (xa - xb).abs() <= 1.0
        }
        _ => false,
    }
}

/// Whether a one-edit difference looks like a typo or imitation rather than a different
/// project. Popular names legitimately differ from each other by: a version digit
/// (`psycopg`/`psycopg2`, `cu11`/`cu12`), a short code segment (`asgi`/`wsgi`,
/// `google-ads`/`google-adk`), a plural `s`, or a letter glued onto a short word
/// (`attrs`/`cattrs`). Short targets (under 8 bytes) therefore only count keyboard-typo
/// edits: swaps, doubled letters, letters dropped from a double, neighbouring keys.
fn plausible_edit(e: Edit, name: &[u8], target: &[u8], loose: bool) -> bool {
    let at = match e {
        Edit::Sub { at, .. } | Edit::Ins { at, .. } | Edit::Del { at } => at,
        Edit::Swap => name.iter().zip(target).take_while(|(x, y)| x == y).count(),
    };
    // The edit falls in a short segment of a multi-segment name: a code, not a typo.
    let seg_start = target.get(..at.min(target.len())).map_or(0, |s| {
        s.iter().rposition(|&c| is_sep(c)).map_or(0, |i| i + 1)
    });
    let seg_len = target
        .get(seg_start..)
        .map_or(0, |s| s.iter().take_while(|&&c| !is_sep(c)).count());
    let seg_end = seg_start + seg_len;
    if target.iter().any(|&c| is_sep(c)) && seg_len < 5 {
        return false;
    }
    let doubled = |at: usize, ch: u8| {
        (at > 0 && target.get(at - 1) == Some(&ch)) || target.get(at) == Some(&ch)
    };
    let short = target.len() < 8 && !loose;
    // Separator edits are the separators rule's business (one direction only).
    match e {
        Edit::Sub { from, to, .. } if is_sep(from) || is_sep(to) => return false,
        Edit::Ins { ch, .. } if is_sep(ch) => return false,
        Edit::Del { at } if target.get(at).is_some_and(|&c| is_sep(c)) => return false,
        _ => {}
    }
    if loose {
        // Any other single edit of a most-popular name, except: another version number,
        // a plural `s` added or dropped at the end of a word (`cookie`/`cookies`), or a
        // first letter replaced by a key that is not its neighbour (`pillow`/`willow`).
        return match e {
            Edit::Sub { at, from, to } => {
                !(from.is_ascii_digit() && to.is_ascii_digit())
                    && (at != seg_start || keyboard_adjacent(from, to))
            }
            Edit::Ins { at, ch } => {
                at != seg_start && !(ch == b's' && at == seg_end && !doubled(at, ch))
            }
            Edit::Del { at } => {
                at != seg_start && !(at + 1 == seg_end && target.get(at) == Some(&b's'))
            }
            Edit::Swap => true,
        };
    }
    match e {
        Edit::Swap => true,
        Edit::Sub { at, from, to } => {
            if from.is_ascii_digit() || to.is_ascii_digit() {
                // Digit for digit is another version (`cu11`/`cu12`); letter for digit is
                // the look-alike rule's business (`1`/`l`).
                false
            } else if at == seg_start || at + 1 == seg_end {
                // First and last letters are rarely mistyped unless by a neighbouring
                // key, and a short word with another first or last letter is usually
                // another word (`toolz`/`tools`, `schedula`/`schedule`).
                !short && keyboard_adjacent(from, to)
            } else {
                !short || keyboard_adjacent(from, to)
            }
        }
        Edit::Ins { at, ch } => {
            // A letter added at either end of a word makes another word (`cattrs`,
            // `pycryptodomex`) unless it doubles its neighbour (`requestss`).
            let at_start =
                at == seg_start || (at == seg_start + 1 && target.get(seg_start) == Some(&ch));
            if at_start {
                false
            } else if ch.is_ascii_alphabetic()
                && at < seg_end
                && target.len() >= INSERT_MIN
                && !target.iter().any(|&c| is_sep(c))
            {
                // A letter slipped inside one word of six or more letters (`pygacme`,
                // `asyincio`): rarely another project's name.
                true
            } else if ch.is_ascii_digit() || short || at == seg_end {
                doubled(at, ch)
            } else {
                true
            }
        }
        Edit::Del { at } => {
            let ch = target.get(at).copied().unwrap_or(0);
            let dbl =
                (at > 0 && target.get(at - 1) == Some(&ch)) || target.get(at + 1) == Some(&ch);
            // A plural `s` dropped from a word (`datasets`, `https`) is another project.
            let at_start =
                at == seg_start || (at == seg_start + 1 && target.get(seg_start) == Some(&ch));
            if ch.is_ascii_digit() || at_start || (at + 1 == seg_end && ch == b's') {
                false
            } else if at + 1 == seg_end {
                // A letter dropped from the end of a word makes another word more often
                // than a typo (`regexp`/`regex`, `timer`/`time`) unless it was doubled.
                dbl
            } else {
                !short || dbl
            }
        }
    }
}

/// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a
/// substring), over chars, capped: returns 3 as soon as it must exceed 2.
fn osa_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 2 || a.len() > MAX_NAME || b.len() > MAX_NAME {
        return 3;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > 2 {
            return 3;
        }
    }
    d[a.len() * w + b.len()].min(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_squats() {
        assert_eq!(squats("reqeusts").map(|x| x.0), Some("requests"));
        assert_eq!(squats("requestss").map(|x| x.0), Some("requests"));
        assert_eq!(squats("python-requests").map(|x| x.0), Some("requests"));
        // A changed version digit is not flagged: `eventemitter2`/`eventemitter3`.
        assert_eq!(squats("urllib7"), None);
        assert_eq!(squats("urlib3").map(|x| x.0), Some("urllib3"));
        assert_eq!(squats("Requests"), None);
        assert_eq!(squats("numpy"), None);
        assert_eq!(squats("zzzqqq-unrelated"), None);
        assert_eq!(canonical(Ecosystem::PyPI, "Foo__Bar.baz"), "foo-bar-baz");
        // Separators at the ends are dropped for comparison (PEP 503 keeps them).
        assert_eq!(canonical(Ecosystem::PyPI, "_Requests_"), "requests");
        assert_eq!(Ecosystem::PyPI.normalize("_Requests_"), "-requests-");
        assert_eq!(canonical(Ecosystem::Npm, " JSONStream "), "jsonstream");
        assert_eq!(canonical(Ecosystem::CratesIo, "Serde_Json"), "serde-json");
    }

    #[test]
    fn kinds_per_ecosystem() {
        use Ecosystem::*;
        assert_eq!(
            squats_in(Npm, "crossenv"),
            Some(("cross-env", "separators"))
        );
        // Flattened scopes are not compared in general: `babel-core` and `@babel/core`
        // are both real, popular packages. DefinitelyTyped only publishes under `@types`.
        assert_eq!(
            squats_in(Npm, "types-node"),
            Some(("@types/node", "scope flattened"))
        );
        assert_eq!(squats_in(Npm, "babel-core"), None);
        assert_eq!(
            squats_in(Npm, "cross-env.js").map(|x| x.0),
            Some("cross-env")
        );
        assert_eq!(
            squats_in(Npm, "node-semver").map(|x| x.1),
            Some("node/js affix")
        );
        assert_eq!(squats_in(Npm, "cross-env"), None);
        assert_eq!(
            squats_in(PyPI, "requеsts").map(|x| x.1),
            Some("look-alike characters")
        );
        assert_eq!(
            squats_in(CratesIo, "serde-json"),
            None,
            "crates.io: - and _ are one name"
        );
        assert_eq!(
            squats_in(CratesIo, "serdejson").map(|x| x.0),
            Some("serde-json")
        );
        assert_eq!(
            squats_in(CratesIo, "tokio-rs").map(|x| x.1),
            Some("rs/rust affix")
        );
        assert_eq!(squats_in(CratesIo, "reqwets").map(|x| x.0), Some("reqwest"));
        assert!(one_edit("reqeusts", "requests") && !one_edit("requests", "requests"));
        assert_eq!(osa_distance("matplotlib", "matpllotib"), 2);
        assert_eq!(osa_distance("abc", "abc"), 0);
        assert_eq!(osa_distance("abcdef", "uvwxyz"), 3);
    }

    #[test]
    fn npm_scope_confusion() {
        use Ecosystem::Npm;
        let kind = |n: &str| squats_in(Npm, n);
        // Must match: a top unscoped package under a scope nobody uses, and the
        // DefinitelyTyped scope flattened.
        assert_eq!(
            kind("@assay-canary/lodash"),
            Some(("lodash", "scope confusion"))
        );
        assert_eq!(
            kind("@example-invalid/react"),
            Some(("react", "scope confusion"))
        );
        assert_eq!(kind("typesnode"), Some(("@types/node", "scope flattened")));
        assert_eq!(kind("types_node"), Some(("@types/node", "scope flattened")));
        // Must not match: an established scope (`@babel` publishes many packages) or
        // DefinitelyTyped itself; a package below the protected top; a flattened scope
        // other than `@types`; `@types/x` whose `x` is not a typed package.
        assert_eq!(kind("@babel/lodash"), None);
        assert_eq!(kind("@types/lodash"), None);
        assert_eq!(kind("@assay-canary/mongoose"), None);
        assert_eq!(kind("rollup-assay-canary"), None);
        assert_eq!(kind("types-assay-canary"), None);
        // Within the npm top 5,000 one real package collides (`@sec-ant/readable-stream`,
        // a personal-scope fork); `popular_names_rarely_collide` bounds the total.
        assert_eq!(
            squats_ignoring_self(Npm, "@sec-ant/readable-stream"),
            Some(("readable-stream", "scope confusion"))
        );
    }

    #[test]
    fn typo_kinds_inside_words() {
        use Ecosystem::*;
        // Two slips inside a long word, first letter kept.
        for n in ["seleeniumm", "sellinium", "selennuim", "tensrflwo"] {
            let t = if n.starts_with('s') {
                "selenium"
            } else {
                "tensorflow"
            };
            assert_eq!(squats(n), Some((t, "two typos")), "{n}");
        }
        // ... but not two inserted letters, a new first letter or an added suffix,
        // which is how neighbouring real projects differ (`markdown`/`markitdown`).
        assert_eq!(squats("selexnixum"), None);
        assert_eq!(squats("xelenuim"), None);
        assert_eq!(squats("seleniumxy"), None);
        // One letter slipped inside a word of six or more letters (`pygame` is ranked
        // about 2,600th), but not at either end of it.
        assert_eq!(squats("pygacme"), Some(("pygame", "one edit")));
        assert_eq!(squats("pygamec"), None);
        assert_eq!(squats("cpygame"), None);
        assert_eq!(squats_in(Npm, "mongose"), Some(("mongoose", "one edit")));
        // The weighted distance, in quarters.
        assert_eq!(typo_cost(b"seleeniumm", b"selenium"), 2 * SLIP_CHEAP);
        assert_eq!(
            typo_cost(b"sellinium", b"selenium"),
            SLIP_CHEAP + SLIP_LETTER
        );
        assert_eq!(typo_cost(b"selenium", b"selenium"), 0);
        assert!(typo_cost(b"markdown", b"markitdown") > TYPO2_BUDGET);
        assert!(typo_cost(b"xelenium", b"selenium") >= NO_SLIP);
        assert!(typo_cost(b"tensorflowx", b"tensorflow") >= NO_SLIP);
    }

    #[test]
    fn known_projects_and_popularity_gap() {
        use Ecosystem::PyPI;
        // `fastai` (ranked after 5,000) is a real project one edit from `fastapi`: on
        // the known list, it is not reported; checked as if unknown, it would be.
        assert!(is_known_in(PyPI, "fastai") && !is_popular("fastai"));
        assert_eq!(squats("fastai"), None);
        assert_eq!(
            squats_ignoring_self(PyPI, "fastai").map(|x| x.0),
            Some("fastapi")
        );
        // Two comparably popular names one edit away: ambiguous, not reported
        // (`unicorn` is next to `uvicorn` and `gunicorn`, `patsy` to `parsy`/`pathy`).
        assert_eq!(squats_ignoring_self(PyPI, "unicorn"), None);
        assert_eq!(squats_ignoring_self(PyPI, "patsy"), None);
        // A target far more popular than the other neighbour still wins: `pyyaml` is
        // ranked 14th, `pyyml` about 6,300th.
        assert_eq!(squats("pyymal").map(|x| x.0), Some("pyyaml"));
    }

    #[test]
    fn hostile_names_are_bounded() {
        let long = "a".repeat(100_000);
        assert_eq!(squats_in(Ecosystem::Npm, &long), None);
        assert_eq!(squats_in(Ecosystem::PyPI, ""), None);
        assert_eq!(squats_in(Ecosystem::PyPI, "ééééééééé"), None);
        assert_eq!(squats_in(Ecosystem::Npm, &format!("@{long}/lodash")), None);
        assert_eq!(squats_in(Ecosystem::Npm, &format!("types-{long}")), None);
        assert_eq!(squats_in(Ecosystem::Npm, "@/"), None);
        assert_eq!(
            squats_in(Ecosystem::PyPI, &format!("s{}", "e".repeat(200))),
            None
        );
    }
}

#[cfg(test)]
mod rates {
    use super::*;

    /// Criterion: at most 0.5 % of each list's names flagged against the rest of it.
    #[test]
    fn popular_names_rarely_collide() {
        for eco in Ecosystem::ALL {
            let names = popular(eco);
            let flagged: Vec<_> = names
                .iter()
                .filter_map(|n| {
                    squats_ignoring_self(eco, n).map(|(t, how)| format!("{n}->{t} ({how})"))
                })
                .collect();
            let rate = flagged.len() as f64 / names.len() as f64;
            println!(
                "{eco:?}: {}/{} = {:.2}% {:?}",
                flagged.len(),
                names.len(),
                rate * 100.0,
                flagged
            );
        }
        for eco in Ecosystem::ALL {
            let names = popular(eco);
            let flagged = names
                .iter()
                .filter(|n| squats_ignoring_self(eco, n).is_some())
                .count();
            let rate = flagged as f64 / names.len() as f64;
            assert!(
                rate <= 0.005,
                "{eco:?}: {:.2}% of popular names flagged",
                rate * 100.0
            );
        }
    }
}
