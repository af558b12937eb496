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
