//! MCP rules: MCP configurations, tool definitions and server source. Documentation only; `assay scan`
//! and `assay agents` raise them through crate `assay_agents`.

pub mod server_env_secret;
pub mod tool_definition_changed;
pub mod tool_poisoning;
pub mod tool_shadowing;
pub mod toxic_flow;
pub mod unparseable_mcp_file;
pub mod unpinned_server_launch;
