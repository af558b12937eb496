//! ARC011 zip-reader-disagreement (raised by `assay_sources` while reading the archive).

declare_rule! {
    /// ## What it does
    /// Flags zip archives that two kinds of zip reader see differently: a local header whose
    /// name, flag bits, compression method, CRC or sizes differ from its central-directory
    /// entry; a stored member whose data does not match its CRC; bytes prepended before the
    /// first member or appended after the end record; local headers the central directory
    /// does not list.
    ///
    /// ## Why it matters
    /// PyTorch (`torch.load`, through miniz in `caffe2/serialize/inline_container.cc`) finds
    /// records by their central-directory name and follows the offset to the data without
    /// comparing the local header. Strict readers (CPython `zipfile`, used by picklescan and
    /// modelscan) compare names and CRCs and give up on a mismatch; sequential readers read
    /// local headers only. Each disagreement is a way to show a scanner one archive and the
    /// loader another — a published class of pickle-scanner bypasses. assay reads members
    /// by the central directory (as PyTorch does), scans every member by content, and
    /// reports every disagreement.
    ///
    /// ## Example
    /// A checkpoint whose central directory lists `archive/data.pkl` while its local header
    /// says `archive/data.pkx`; or a member before `data.pkl` with a broken CRC so that
    /// `zipfile` raises before the payload is read.
    ///
    /// ## False positives
    /// Self-extracting archives and zips with a prepended launcher (a shebang line) report
    /// the prefix; some old writers set the UTF-8 flag in one header only (ignored).
    ///
    /// ## References
    /// - PKWARE APPNOTE.TXT 6.3.10, sections 4.3.7 and 4.3.12
    /// - PyTorch `caffe2/serialize/inline_container.cc`
    /// - CWE-436: Interpretation Conflict
    pub static META = ZipReaderDisagreement;
}
