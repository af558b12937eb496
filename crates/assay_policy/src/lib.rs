//! assay_policy
