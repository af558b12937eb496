//! GIT rules: commits that deserve a human review. Metadata only; `assay history`
//! (crate `assay_history`) raises them.

pub mod binary_rewritten;
pub mod broken_feature_check;
pub mod compressed_payload;
pub mod content_unavailable;
pub mod dependency_registry_evidence;
pub mod dependency_source_risk;
pub mod direct_push;
pub mod fresh_committer_chain;
pub mod gitignore_hides_source;
pub mod habit_deviation;
pub mod hardening_switch;
pub mod loader_trick;
pub mod message_mismatch;
pub mod new_tag_signer;
pub mod newcomer_dominance;
pub mod newcomer_new_dependency;
pub mod opaque_binary;
pub mod unreferenced_binary;
