//! Agent-side model and decisions (AP §6-§8): configuration, local records,
//! the reconcile plan, status classification, log and metrics parsing,
//! registry credentials and the self-update manifest. Pure: the agent apps
//! do the I/O through ports and call these functions.

mod apply;
mod config;
mod config_reload;
mod dotenv;
mod error;
mod helm_plan;
mod helm_record;
mod logs;
mod metrics;
mod observed;
mod plan;
mod record;
mod registry;
mod self_update;
mod status_check;

pub use apply::{APPLY_PROGRESS_MESSAGE, check_swarm_active};
pub use config::{AgentEnv, parse_agent_env};
pub use config_reload::{
    CONFIG_DIRS_VAR, Reloaded, config_dirs, is_config_entry, overlay_lookup, reload_agent_env,
};
pub use dotenv::parse_dotenv;
pub use error::AgentDecisionError;
pub use helm_plan::{
    HELM_PROGRESS_MESSAGE, HelmAction, HelmChart, HelmPlan, HelmPlanInput, HelmTarget,
    INSTALL_SUCCEEDED, ReleaseLookup, SkewVerdict, UPGRADE_SUCCEEDED, force_restart_failed,
    force_restart_succeeded, healthy_message, helm_action, install_error, lookup_error,
    manifest_error, plan_helm, record_after_operation, record_after_rollback, resource_error,
    skew_guard, upgrade_error, with_pull_secret,
};
pub use helm_record::{HELM_STATE_LABEL, HelmRecord, pull_secret_name, state_secret_name};
pub use logs::{
    MAX_CHUNK_BYTES, MAX_RECORDS_PER_CHUNK, chunk_log_records, compose_resource_name,
    parse_log_line,
};
pub use metrics::{CpuTimes, cpu_usage, parse_meminfo, parse_proc_stat};
pub use observed::{ContainerState, ServiceState, WorkloadLogLine};
pub use plan::{
    DeploymentStep, DockerPlan, DockerPlanInput, compose_project_name, needs_self_update,
    plan_docker, record_after_apply,
};
pub use record::DockerRecord;
pub use registry::{
    DISTR_REGISTRY_USER, docker_config_json, needs_docker_config_override, registry_entries,
};
pub use self_update::{manifest_agent_image, patch_update_manifest};
pub use status_check::{classify_compose, classify_swarm};
