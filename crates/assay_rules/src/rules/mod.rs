//! The rule registry.

pub mod arc;
pub mod ci;
pub mod dep;
pub mod git;
pub mod ioc;
pub mod js;
pub mod mcp;
pub mod ml;
pub(crate) mod patterns;
pub mod pkg;
pub mod py;
pub mod rel;
pub mod skill;

use crate::context::{CodeFile, Cx};
use assay_core::{FileKind, Finding, RuleMeta};

/// How the engine runs a rule.
#[derive(Clone, Copy)]
pub enum Check {
    /// Called once per artifact: rules that look at metadata, several files together, or
    /// entries of their own kinds.
    Artifact(fn(&Cx, &mut Vec<Finding>)),
    /// Called once per analysed Python text whose kind the rule targets: a `.py` file
    /// (and the non-Python files that setup code executes) is [`FileKind::Python`], an
    /// executable `.pth` line is [`FileKind::Pth`] (see [`CodeFile::kind`]).
    CodeFile(fn(&Cx, &CodeFile, &mut Vec<Finding>)),
    /// Not run by `assay scan`: the findings come from another command (`assay history`,
    /// `assay deps`, `assay verify`) or from the archive readers (`ARC`). The rule is
    /// registered for `assay rules`, `assay explain`, the rule docs and SARIF, and its
    /// fixtures are tested in the crate that raises it.
    Elsewhere,
}

impl Check {
    /// Whether `assay scan` runs this check.
    pub fn is_scan(self) -> bool {
        !matches!(self, Check::Elsewhere)
    }
}

/// A registered rule: its metadata and its check.
pub struct RuleEntry {
    /// The catalog rule and its docs.
    pub meta: &'static RuleMeta,
    /// How the engine runs it.
    pub check: Check,
}

impl RuleEntry {
    /// Run the check over `cx`, appending its findings: per artifact, or per Python text of
    /// a kind among the rule's declared targets.
    pub fn run(&self, cx: &Cx, out: &mut Vec<Finding>) {
        match self.check {
            Check::Artifact(check) => check(cx, out),
            Check::CodeFile(check) => {
                let targets: &[FileKind] = self.meta.rule.targets();
                for f in cx.code.iter().filter(|f| targets.contains(&f.kind())) {
                    check(cx, f, out);
                }
            }
            Check::Elsewhere => {}
        }
    }
}

/// `kind: module` lines to registry entries: `artifact` rules export
/// `check(&Cx, &mut Vec<Finding>)`, `python` rules `check_file(&Cx, &CodeFile, &mut
/// Vec<Finding>)`, `elsewhere` rules only their `META`.
macro_rules! registry {
    (@check artifact $m:path) => { Check::Artifact({ use $m as m; m::check }) };
    (@check code $m:path) => { Check::CodeFile({ use $m as m; m::check_file }) };
    (@check elsewhere $m:path) => { Check::Elsewhere };
    ($($kind:ident: $path:path),* $(,)?) => {
        /// Every rule: scan rules in the order the engine runs them, then rules raised
        /// elsewhere. This order is the order of `assay rules`, the docs index and SARIF.
        pub static REGISTRY: &[RuleEntry] = &[
            $(RuleEntry { meta: { use $path as m; &m::META }, check: registry!(@check $kind $path) },)*
        ];
    };
}

registry![
    elsewhere: arc::path_traversal_entry,
    elsewhere: arc::absolute_path_entry,
    elsewhere: arc::link_entry,
    elsewhere: arc::duplicate_entry,
    elsewhere: arc::non_utf8_entry_name,
    elsewhere: arc::archive_bomb,
    elsewhere: arc::unreadable_archive,
    elsewhere: arc::format_mismatch,
    elsewhere: arc::nesting_too_deep,
    elsewhere: arc::path_too_long,
    elsewhere: arc::zip_reader_disagreement,
    code: ioc::exfiltration_service,
    code: ioc::raw_ip_url,
    code: ioc::mining_pool,
    code: ioc::cloud_metadata,
    code: ioc::kubernetes_token,
    artifact: ioc::known_indicator,
    artifact: pkg::executable_pth,
    artifact: pkg::console_script_shadowing,
    artifact: pkg::module_shadowing,
    artifact: pkg::native_binary,
    artifact: pkg::typosquat_name,
    artifact: pkg::installed_file_modified,
    artifact: pkg::unrecorded_file,
    artifact: pkg::record_path_escape,
    artifact: pkg::startup_hook_file,
    artifact: pkg::install_hook,
    artifact: pkg::xor_encrypted_executable,
    artifact: pkg::npm_install_script,
    artifact: pkg::bytecode_without_source,
    artifact: pkg::code_not_inspected,
    artifact: pkg::malicious_dependency,
    code: js::worm_propagation,
    code: js::ai_cli_abuse,
    code: js::wallet_swap,
    artifact: js::not_inspected,
    artifact: js::remote_dependency,
    code: py::decode_then_exec,
    code: py::download_then_exec,
    code: py::suspicious_shell_command,
    code: py::process_spawn_at_install,
    code: py::network_at_install,
    code: py::credential_access,
    code: py::env_harvest,
    code: py::exfiltration_flow,
    code: py::persistence,
    code: py::surveillance,
    code: py::sandbox_evasion,
    code: py::obfuscated_code,
    code: py::dynamic_code_exec,
    code: py::shellcode_loader,
    code: py::embedded_executable,
    code: py::hidden_endpoint,
    artifact: ml::pickle_dangerous_import,
    artifact: ml::pickle_unlisted_import,
    artifact: ml::discarded_call,
    artifact: ml::malformed_pickle,
    artifact: ml::pickle_stream_trick,
    artifact: ml::format_mismatch,
    artifact: ml::safetensors_header,
    artifact: ml::chat_template,
    artifact: ml::model_config_code,
    artifact: ml::model_code_capability,
    artifact: ml::onnx_external_data,
    artifact: ml::onnx_custom_operator,
    artifact: ml::saved_model_system_op,
    elsewhere: git::newcomer_dominance,
    elsewhere: git::opaque_binary,
    elsewhere: git::unreferenced_binary,
    elsewhere: git::compressed_payload,
    elsewhere: git::binary_rewritten,
    elsewhere: git::broken_feature_check,
    elsewhere: git::hardening_switch,
    elsewhere: git::loader_trick,
    elsewhere: git::gitignore_hides_source,
    elsewhere: git::message_mismatch,
    elsewhere: git::fresh_committer_chain,
    elsewhere: git::new_tag_signer,
    elsewhere: git::habit_deviation,
    elsewhere: git::direct_push,
    elsewhere: git::content_unavailable,
    elsewhere: git::newcomer_new_dependency,
    elsewhere: git::dependency_source_risk,
    elsewhere: git::dependency_registry_evidence,
    elsewhere: ml::signature_bundle_malformed,
    elsewhere: ml::signature_invalid,
    elsewhere: ml::signed_file_modified,
    elsewhere: ml::signed_file_missing,
    elsewhere: ml::unsigned_file,
    elsewhere: dep::known_malicious_package,
    elsewhere: dep::known_vulnerable_package,
    elsewhere: dep::typosquat_dependency,
    elsewhere: dep::unpinned_requirement,
    elsewhere: dep::direct_url_dependency,
    elsewhere: dep::unparseable_lockfile,
    elsewhere: dep::dependency_confusion,
    elsewhere: dep::young_package,
    elsewhere: dep::maintainer_change,
    elsewhere: dep::unclaimed_public_name,
    elsewhere: dep::yanked_version,
    elsewhere: dep::registry_confirmed_typosquat,
    elsewhere: dep::release_burst,
    elsewhere: dep::dormant_release,
    elsewhere: dep::attestation_dropped,
    elsewhere: ci::unparseable_workflow,
    elsewhere: ci::template_injection,
    elsewhere: ci::dangerous_trigger,
    elsewhere: ci::cache_poisoning,
    elsewhere: ci::artifact_poisoning,
    elsewhere: ci::unpinned_action,
    elsewhere: ci::unpinned_image,
    elsewhere: ci::excessive_permissions,
    elsewhere: ci::secrets_inherit,
    elsewhere: ci::whole_secrets_context,
    elsewhere: ci::self_hosted_runner,
    elsewhere: ci::curl_pipe_shell,
    elsewhere: ci::long_lived_publish_token,
    elsewhere: ci::untrusted_env_write,
    elsewhere: ci::ai_agent_untrusted_input,
    elsewhere: ci::outsider_to_publish_path,
    elsewhere: ci::unredacted_secret_field,
    elsewhere: ci::insecure_commands,
    elsewhere: ci::hardcoded_container_credentials,
    elsewhere: ci::persisted_checkout_credentials,
    elsewhere: ci::spoofable_bot_condition,
    elsewhere: ci::unsound_condition,
    elsewhere: ci::unsound_contains,
    elsewhere: ci::tag_moved,
    elsewhere: ci::tag_off_branch,
    elsewhere: ci::tag_removed,
    elsewhere: ci::secret_in_log,
    elsewhere: ci::known_vulnerable_action,
    elsewhere: ci::impostor_commit,
    elsewhere: ci::ref_confusion,
    elsewhere: ci::tag_unfamiliar_author,
    elsewhere: skill::unparseable_agent_file,
    elsewhere: skill::model_directed_instruction,
    elsewhere: skill::over_broad_trigger,
    elsewhere: skill::hidden_text,
    elsewhere: skill::confusable_name,
    elsewhere: skill::undeclared_capability,
    elsewhere: skill::download_and_run,
    elsewhere: skill::agent_config_write,
    elsewhere: skill::payload_in_skill_tests,
    elsewhere: skill::opaque_skill_payload,
    elsewhere: mcp::unparseable_mcp_file,
    elsewhere: mcp::tool_poisoning,
    elsewhere: mcp::tool_shadowing,
    elsewhere: mcp::toxic_flow,
    elsewhere: mcp::server_env_secret,
    elsewhere: mcp::unpinned_server_launch,
    elsewhere: mcp::tool_definition_changed,
    elsewhere: rel::startup_hook_added,
    elsewhere: rel::native_binary_added,
    elsewhere: rel::opaque_blob_added,
    elsewhere: rel::endpoint_added,
    elsewhere: rel::dependency_added,
    elsewhere: rel::no_matching_tag,
    elsewhere: rel::file_not_in_source,
    elsewhere: rel::file_differs_from_source,
    elsewhere: rel::ignored_file_shipped,
    artifact: rel::build_script_payload,
    artifact: rel::test_file_payload,
    elsewhere: rel::wheel_differs_from_sdist,
    elsewhere: rel::trojanised_clone,
];

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
