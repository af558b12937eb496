//! Release integrity: what a release changed against the one before it
//! ([`diff`], `assay diff`) and what a published artifact has that the source tree it
//! claims to come from does not ([`provenance`], `assay provenance`).
//!
//! The attacks this answers did not look malicious in isolation; they were *different
//! from what they should have been*: LiteLLM 1.82.8 added a `.pth` startup hook in a
//! patch release, the xz-utils 5.6.0 tarball shipped an m4 macro that the repository
//! ignored, the Ultralytics wheels differed from the tagged source.
//!
//! Both sides of a comparison are read by `assay_sources` into [`assay_core::Artifact`]s
//! and judged by the scan rules first (in the CLI); this crate takes the two
//! [`Side`]s — a [`Manifest`] of the files and the findings the scan raised — and
//! computes the **delta**: files added, removed and changed, the scan findings that are
//! new (rule, path and evidence absent from the other side), and the `REL` findings of
//! what changed in kind (startup hooks, native code, opaque blobs, network hosts,
//! dependencies). Nothing here reads the network or runs what it compares.

pub mod diff;
pub mod provenance;

pub use diff::{Bump, Delta, FileChange, Manifest, ManifestFile, Side, bump, compare};
