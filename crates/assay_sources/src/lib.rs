//! assay_sources
