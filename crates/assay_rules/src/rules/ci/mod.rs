//! CI rules: GitHub Actions workflows and actions. Documentation only; `assay scan`
//! raises them through crate `assay_ci`.

pub mod ai_agent_untrusted_input;
pub mod artifact_poisoning;
pub mod cache_poisoning;
pub mod curl_pipe_shell;
pub mod dangerous_trigger;
pub mod excessive_permissions;
pub mod hardcoded_container_credentials;
pub mod impostor_commit;
pub mod insecure_commands;
pub mod known_vulnerable_action;
pub mod long_lived_publish_token;
pub mod outsider_to_publish_path;
pub mod persisted_checkout_credentials;
pub mod ref_confusion;
pub mod secret_in_log;
pub mod secrets_inherit;
pub mod self_hosted_runner;
pub mod spoofable_bot_condition;
pub mod tag_moved;
pub mod tag_off_branch;
pub mod tag_removed;
pub mod tag_unfamiliar_author;
pub mod template_injection;
pub mod unparseable_workflow;
pub mod unpinned_action;
pub mod unpinned_image;
pub mod unredacted_secret_field;
pub mod unsound_condition;
pub mod unsound_contains;
pub mod untrusted_env_write;
pub mod whole_secrets_context;
