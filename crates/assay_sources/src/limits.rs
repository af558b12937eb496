//! Resource limits ([`Limits`]) and the byte accounting that enforces them.
//!
//! Every reader in this crate pulls bytes through a [`Metered`] reader that charges a
//! per-artifact [`Budget`]; compressed streams additionally watch their expansion ratio.
//! A bound that trips surfaces as an I/O error inside the reader (so that decoders and the
//! tar parser stop at once) and as a flag here, which the caller turns into an `ARC006`
//! finding. Keeping all of this in one place is what lets the rest of the crate say
//! "every loop over input is bounded" without repeating the arithmetic.

use std::cell::Cell;
use std::io::{self, Read};

/// Resource bounds for reading one artifact. All sizes are in bytes.
///
/// The defaults are sized for real packages (a large wheel holds a few thousand files and a
/// few hundred MiB) while keeping a hostile input within about 2 GiB of decompression work and
/// a few hundred MiB of memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Maximum number of members (files, directories, links) read from one artifact,
    /// nested archives included. Default 100,000. Hitting it stops the read (`ARC006`).
    pub max_entries: usize,
    /// Maximum number of uncompressed bytes read from one artifact, nested archives included.
    /// For tar streams this counts every decompressed byte (skipped data must be decompressed
    /// to reach the next header); for zip members and files on disk it counts the bytes
    /// actually read. Default 2 GiB. Hitting it stops the read (`ARC006`).
    pub max_total_bytes: u64,
    /// Largest code or metadata file kept whole (Python, `.pth`, METADATA, RECORD, scripts,
    /// JavaScript…). Larger files keep only the first [`Limits::head_bytes`]. Default 16 MiB.
    pub max_file_bytes: u64,
    /// Largest other text file kept whole. Default 4 MiB.
    pub max_text_file_bytes: u64,
    /// Largest expansion ratio (uncompressed ÷ compressed) accepted for one zip member or
    /// one compressed tar stream, once it has produced at least 1 MiB. Default 1000; deflate
    /// cannot exceed about 1032. Exceeding it is an `ARC006` finding.
    pub max_ratio: u64,
    /// How deep archives inside archives are read: the artifact itself is depth 0, an archive
    /// inside it depth 1, and so on. Default 2. Deeper archives are an `ARC009` finding.
    pub max_depth: u32,
    /// Longest member name accepted, in bytes. Default 1024. Longer names are an `ARC010`
    /// finding and the member is skipped.
    pub max_path_len: usize,
    /// Bytes kept from the start of files that are not kept whole (binaries, archives,
    /// oversized files), for classification. Default 4096.
    pub head_bytes: usize,
    /// Most bytes held in memory for one artifact's own members (everything kept whole or
    /// as a model prefix, heads included); members of nested archives have a separate
    /// allowance of a quarter of it. Other text than code and packaging metadata, and
    /// model prefixes, may use only half of either. Default 256 MiB, above the largest real packages
    /// (aws-cdk-lib holds 183 MiB of Python). Past it a member keeps only its head: an
    /// `ARC006` finding names where, and code not kept whole is reported not inspected.
    pub max_kept_bytes: u64,
    /// Largest input archive read from disk. Default 1 GiB. Larger inputs are not read
    /// (`ARC006`).
    pub max_archive_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 100_000,
            max_total_bytes: 2 << 30,
            max_file_bytes: 16 << 20,
            max_text_file_bytes: 4 << 20,
            // Deflate's ceiling is about 1032:1; sparse native libraries legitimately reach
            // a few hundred, so only near-maximal ratios count as a bomb.
            max_ratio: 1000,
            max_depth: 2,
            max_path_len: 1024,
            head_bytes: 4096,
            max_kept_bytes: 256 << 20,
            max_archive_bytes: 1 << 30,
        }
    }
}

/// Largest nested archive read recursively (it is held in memory while it is read).
pub(crate) const MAX_NESTED_BYTES: u64 = 64 << 20;

/// The ratio bound only applies once this many bytes have been produced: small, highly
/// regular files (a few KiB of zeros, a sparse index) legitimately compress far better than
/// the ratio bound, and cannot do harm.
pub(crate) const RATIO_FLOOR_BYTES: u64 = 1 << 20;

/// The uncompressed-bytes budget shared by everything read for one artifact.
#[derive(Debug)]
pub(crate) struct Budget {
    limit: u64,
    used: Cell<u64>,
    exhausted: Cell<bool>,
}

impl Budget {
    pub(crate) fn new(limit: u64) -> Self {
        Budget {
            limit,
            used: Cell::new(0),
            exhausted: Cell::new(false),
        }
    }

    /// Charge `n` bytes; false (and the budget is marked exhausted) when that goes over.
    pub(crate) fn charge(&self, n: u64) -> bool {
        let used = self.used.get().saturating_add(n);
        self.used.set(used);
        if used > self.limit {
            self.exhausted.set(true);
            return false;
        }
        true
    }

    pub(crate) fn exhausted(&self) -> bool {
        self.exhausted.get()
    }

    pub(crate) fn limit(&self) -> u64 {
        self.limit
    }

    /// Bytes still available before the bound trips.
    pub(crate) fn remaining(&self) -> u64 {
        self.limit.saturating_sub(self.used.get())
    }
}

/// Counts the bytes a decoder pulls from its compressed input.
pub(crate) struct CountIn<'a, R> {
    pub(crate) inner: R,
    pub(crate) consumed: &'a Cell<u64>,
}

impl<R: Read> Read for CountIn<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed
            .set(self.consumed.get().saturating_add(n as u64));
        Ok(n)
    }
}

/// Watches the expansion ratio of a compressed stream (see [`Limits::max_ratio`]).
pub(crate) struct RatioGuard<'a> {
    pub(crate) consumed: &'a Cell<u64>,
    pub(crate) max_ratio: u64,
    pub(crate) tripped: &'a Cell<bool>,
}

/// A reader that charges every byte it yields to a [`Budget`] and, for compressed streams,
/// stops when the expansion ratio goes over the bound.
pub(crate) struct Metered<'a, R> {
    inner: R,
    budget: &'a Budget,
    ratio: Option<RatioGuard<'a>>,
    produced: u64,
}

impl<'a, R: Read> Metered<'a, R> {
    pub(crate) fn new(inner: R, budget: &'a Budget) -> Self {
        Metered {
            inner,
            budget,
            ratio: None,
            produced: 0,
        }
    }

    pub(crate) fn with_ratio(inner: R, budget: &'a Budget, ratio: RatioGuard<'a>) -> Self {
        Metered {
            inner,
            budget,
            ratio: Some(ratio),
            produced: 0,
        }
    }
}

impl<R: Read> Read for Metered<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.budget.exhausted() {
            return Err(io::Error::other("total uncompressed-bytes bound reached"));
        }
        let n = self.inner.read(buf)?;
        self.produced = self.produced.saturating_add(n as u64);
        if !self.budget.charge(n as u64) {
            return Err(io::Error::other("total uncompressed-bytes bound reached"));
        }
        if let Some(guard) = &self.ratio {
            let consumed = guard.consumed.get().max(1);
            if self.produced > RATIO_FLOOR_BYTES && self.produced / consumed > guard.max_ratio {
                guard.tripped.set(true);
                return Err(io::Error::other("compression ratio bound exceeded"));
            }
        }
        Ok(n)
    }
}

/// Append from `r` to `buf` until `buf` holds `limit` bytes or the reader ends.
/// Returns whether the end was reached. On error the bytes read so far stay in `buf`.
///
/// Reads straight into `buf` (no intermediate copy): `Take::read_to_end` fills the spare
/// capacity, and a short count means the inner reader ended.
pub(crate) fn read_up_to<R: Read + ?Sized>(
    r: &mut R,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<bool> {
    let Some(want) = limit.checked_sub(buf.len()).filter(|w| *w > 0) else {
        return Ok(false);
    };
    let got = Read::take(&mut *r, want as u64).read_to_end(buf)?;
    Ok(got < want)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_trips_once_over() {
        let b = Budget::new(10);
        assert!(b.charge(10));
        assert!(!b.exhausted());
        assert!(!b.charge(1));
        assert!(b.exhausted());
    }

    #[test]
    fn metered_stops_at_budget() {
        let data = [7u8; 100];
        let b = Budget::new(50);
        let mut m = Metered::new(&data[..], &b);
        let mut out = Vec::new();
        assert!(read_up_to(&mut m, &mut out, 1000).is_err());
        assert!(b.exhausted());
        assert!(out.len() <= 50);
    }

    #[test]
    fn read_up_to_reports_end() {
        let data = [1u8, 2, 3];
        let mut out = Vec::new();
        assert!(!read_up_to(&mut &data[..], &mut out, 2).unwrap_or(true));
        assert_eq!(out, [1, 2]);
        assert!(read_up_to(&mut &data[2..], &mut out, 10).unwrap_or(false));
        assert_eq!(out, [1, 2, 3]);
    }
}
