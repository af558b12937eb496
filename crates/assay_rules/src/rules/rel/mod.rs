//! REL: release integrity. `REL001`–`REL009` are raised by `assay diff` and
//! `assay provenance` (crate `assay_release`, tests in `crates/assay/tests/release.rs`);
//! `REL010` and `REL011` are scan rules.

pub mod build_script_payload;
pub mod dependency_added;
pub mod endpoint_added;
pub mod file_differs_from_source;
pub mod file_not_in_source;
pub mod ignored_file_shipped;
pub mod native_binary_added;
pub mod no_matching_tag;
pub mod opaque_blob_added;
pub mod startup_hook_added;
pub mod test_file_payload;
pub mod trojanised_clone;
pub mod wheel_differs_from_sdist;
