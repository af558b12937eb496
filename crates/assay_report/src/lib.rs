//! assay_report
