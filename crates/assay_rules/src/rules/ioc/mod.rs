//! IOC rules: indicators of compromise found as data (strings) in code.

pub mod cloud_metadata;
pub mod exfiltration_service;
pub mod kubernetes_token;
pub mod mining_pool;
pub mod raw_ip_url;

use crate::context::{Cx, PyFile};
use assay_lang::StrLit;

/// Every string literal of every Python text with its file, skipping huge ones and
/// prose (docstrings and messages name services in examples; indicators in real code
/// are short literals, and code hidden in a string is analysed as a child instead).
pub(crate) fn strings<'c>(cx: &'c Cx) -> impl Iterator<Item = (&'c PyFile<'c>, &'c StrLit)> {
    cx.python.iter().flat_map(|f| {
        f.analysis
            .strings
            .iter()
            .filter(|s| s.value.len() <= 8192 && !crate::context::is_prose(&s.value))
            .map(move |s| (f, s))
    })
}
