//! ML family rules. ML030–ML039: model signature verification (raised by `assay verify`).

pub mod signature_bundle_malformed;
pub mod signature_invalid;
pub mod signed_file_missing;
pub mod signed_file_modified;
pub mod unsigned_file;
