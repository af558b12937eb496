//! PKG rules: package metadata, layout and installed-environment integrity.

pub mod bytecode_without_source;
pub mod code_not_inspected;
pub mod console_script_shadowing;
mod env_record;
pub mod executable_pth;
pub mod install_hook;
pub mod installed_file_modified;
pub mod malicious_dependency;
pub mod module_shadowing;
pub mod native_binary;
pub mod npm_install_script;
pub mod record_path_escape;
pub mod startup_hook_file;
pub mod typosquat_name;
pub mod unrecorded_file;
pub mod xor_encrypted_executable;
