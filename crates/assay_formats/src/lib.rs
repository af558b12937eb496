//! assay_formats
