//! The rule registry.

pub mod arc;
pub mod dep;
pub mod git;
pub mod ioc;
pub mod ml;
pub(crate) mod patterns;
pub mod pkg;
pub mod py;

use crate::context::Cx;
use assay_core::{Finding, RuleMeta};

/// A registered rule: its metadata and its check.
pub struct RuleEntry {
    /// Static metadata and docs.
    pub meta: &'static RuleMeta,
    /// Appends the rule's findings for one scanned artifact. `None` for rules whose
    /// findings come from another command (`assay history`, `assay deps`): they are
    /// registered for `assay rules`, `assay explain`, the rule docs and SARIF, and their
    /// fixtures are tested in the crate that raises them.
    pub check: Option<fn(&Cx, &mut Vec<Finding>)>,
}

macro_rules! registry {
    (scan: [$($path:path),* $(,)?], other: [$($opath:path),* $(,)?] $(,)?) => {
        /// Every rule: scan rules in code order, then rules raised by other commands.
        pub static REGISTRY: &[RuleEntry] = &[
            $(RuleEntry { meta: { use $path as m; &m::META }, check: Some({ use $path as m; m::check }) },)*
            $(RuleEntry { meta: { use $opath as m; &m::META }, check: None },)*
        ];
    };
}

registry![scan: [
    arc::path_traversal_entry,
    arc::absolute_path_entry,
    arc::link_entry,
    arc::duplicate_entry,
    arc::non_utf8_entry_name,
    arc::archive_bomb,
    arc::unreadable_archive,
    arc::format_mismatch,
    arc::nesting_too_deep,
    arc::path_too_long,
    arc::zip_reader_disagreement,
    ioc::exfiltration_service,
    ioc::raw_ip_url,
    ioc::mining_pool,
    ioc::cloud_metadata,
    ioc::kubernetes_token,
    ioc::known_indicator,
    pkg::executable_pth,
    pkg::console_script_shadowing,
    pkg::module_shadowing,
    pkg::native_binary,
    pkg::typosquat_name,
    pkg::installed_file_modified,
    pkg::unrecorded_file,
    pkg::record_path_escape,
    pkg::startup_hook_file,
    pkg::install_hook,
    pkg::xor_encrypted_executable,
    pkg::npm_install_script,
    pkg::bytecode_without_source,
    pkg::code_not_inspected,
    py::decode_then_exec,
    py::download_then_exec,
    py::suspicious_shell_command,
    py::process_spawn_at_install,
    py::network_at_install,
    py::credential_access,
    py::env_harvest,
    py::exfiltration_flow,
    py::persistence,
    py::surveillance,
    py::sandbox_evasion,
    py::obfuscated_code,
    py::dynamic_code_exec,
    py::shellcode_loader,
    py::embedded_executable,
    py::hidden_endpoint,
    ml::pickle_dangerous_import,
    ml::pickle_unlisted_import,
    ml::discarded_call,
    ml::malformed_pickle,
    ml::pickle_stream_trick,
    ml::format_mismatch,
    ml::safetensors_header,
    ml::chat_template,
    ml::model_config_code,
    ml::model_code_capability,
    ml::onnx_external_data,
    ml::onnx_custom_operator,
], other: [
    git::newcomer_dominance,
    git::opaque_binary,
    git::unreferenced_binary,
    git::compressed_payload,
    git::binary_rewritten,
    git::broken_feature_check,
    git::hardening_switch,
    git::loader_trick,
    git::gitignore_hides_source,
    git::message_mismatch,
    git::fresh_committer_chain,
    git::new_tag_signer,
    git::habit_deviation,
    git::direct_push,
    git::content_unavailable,
    git::newcomer_new_dependency,
    git::dependency_source_risk,
    ml::signature_bundle_malformed,
    ml::signature_invalid,
    ml::signed_file_modified,
    ml::signed_file_missing,
    ml::unsigned_file,
    dep::known_malicious_package,
    dep::known_vulnerable_package,
    dep::typosquat_dependency,
    dep::unpinned_requirement,
    dep::direct_url_dependency,
    dep::unparseable_lockfile,
    dep::dependency_confusion,
    dep::young_package,
    dep::maintainer_change,
    dep::unclaimed_public_name,
    dep::yanked_version,
    dep::registry_confirmed_typosquat,
]];

/// The rule with this code or name (case-insensitive).
pub fn find_rule(code_or_name: &str) -> Option<&'static RuleEntry> {
    let rule = assay_core::Rule::find(code_or_name)?;
    entry(rule)
}

/// The registry entry of a catalog rule (every catalog rule has one; the registry test
/// checks it).
pub fn entry(rule: assay_core::Rule) -> Option<&'static RuleEntry> {
    REGISTRY.iter().find(|r| r.meta.rule == rule)
}
