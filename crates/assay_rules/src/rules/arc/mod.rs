//! ARC rules: archive structure and hostile-input bounds. The findings are raised by
//! `assay_sources` while reading; these files hold the rules' metadata and docs.

pub mod absolute_path_entry;
pub mod archive_bomb;
pub mod duplicate_entry;
pub mod format_mismatch;
pub mod link_entry;
pub mod nesting_too_deep;
pub mod non_utf8_entry_name;
pub mod path_too_long;
pub mod path_traversal_entry;
pub mod unreadable_archive;
pub mod zip_reader_disagreement;
