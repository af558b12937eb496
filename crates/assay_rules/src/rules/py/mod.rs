//! PY rules: behaviour of Python code.

pub mod credential_access;
pub mod decode_then_exec;
pub mod download_then_exec;
pub mod dynamic_code_exec;
pub mod embedded_executable;
pub mod env_harvest;
pub mod exfiltration_flow;
pub mod hidden_endpoint;
pub mod network_at_install;
pub mod obfuscated_code;
pub mod persistence;
pub mod process_spawn_at_install;
pub mod sandbox_evasion;
pub mod shellcode_loader;
pub mod surveillance;
pub mod suspicious_shell_command;

/// Whether a rule reads the text of the Python file `data` itself rather than only its
/// analysis (`PY014` and `PY012` search the source), so the text is kept after the
/// analysis (see `context::release_text`).
pub(crate) fn text_rules_need(data: &[u8]) -> bool {
    shellcode_loader::reads_text(data) || obfuscated_code::reads_text(data)
}
