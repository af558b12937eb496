//! GIT013 author-habit-deviation: raised by `assay history` (crates/assay_history), which holds
//! its must-match and must-not-match tests.

declare_rule! {
    /// ## What it does
    /// Keeps, for each author with at least 20 earlier commits, a baseline built from those commits only: time-zone offsets, hours of the day (author local time), top-level directories, file extensions and number of files changed. Flags a commit that departs from it in at least two ways: a time-zone offset the author never used, an hour more than an hour away from any hour they committed at, a top-level directory and an extension both new for them, or more than ten times (and at least 20 files more than) their median commit size.
    ///
    /// ## Why it matters
    /// A stolen account or a shared identity shows up as someone committing at other hours, from another time zone, in parts of the tree the owner never touched. Alone this is weak evidence; its weight only breaks ties between commits that other rules already flagged.
    ///
    /// ## Example
    /// A maintainer who committed 300 times at UTC+2 between 08:00 and 18:00 to `src/` and `docs/` commits at 03:00 UTC-7 a change to `build-aux/`.
    ///
    /// ## False positives
    /// Travel, a change of job, a release engineering day. The weight is 0.5: it never reaches "look" alone.
    ///
    /// ## References
    /// - xz-utils backdoor timeline (CVE-2024-3094): commit-time analyses of the newcomer's account
    pub static META = AuthorHabitDeviation;
}
