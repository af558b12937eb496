//! SKILL rules: agent skills and the instruction files agents read. Documentation only; `assay scan`
//! and `assay agents` raise them through crate `assay_agents`.

pub mod agent_config_write;
pub mod confusable_name;
pub mod download_and_run;
pub mod hidden_text;
pub mod model_directed_instruction;
pub mod opaque_skill_payload;
pub mod over_broad_trigger;
pub mod payload_in_skill_tests;
pub mod undeclared_capability;
pub mod unparseable_agent_file;
