//! assay_rules
