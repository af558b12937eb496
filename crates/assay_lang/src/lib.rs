//! assay_lang
