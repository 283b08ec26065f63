//! The one error type of the agent's pure decisions.
//!
//! Messages name variables, keys and line numbers but never carry values:
//! env files, manifests and the environment hold secrets.

/// A decision that could not be made from the given input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgentDecisionError {
    /// A required environment variable is absent (AP §6.1).
    #[error("missing environment variable: {0}")]
    MissingEnv(&'static str),
    /// An environment variable has a value that cannot be used.
    #[error("invalid environment variable {name}: {reason}")]
    InvalidEnv {
        /// Variable name.
        name: &'static str,
        /// What is wrong, without the value.
        reason: String,
    },
    /// A docker deployment without `composeFile`.
    #[error("deployment has no compose file")]
    MissingComposeFile,
    /// A deployment without `dockerType` cannot be applied (AP §7.1).
    #[error("deployment has no docker type")]
    MissingDockerType,
    /// The compose file is not usable YAML.
    #[error("invalid compose file: {0}")]
    InvalidCompose(String),
    /// The compose file has no non-empty string `name` (AP §7.2 `projectName`).
    #[error("compose file has no top-level name")]
    MissingProjectName,
    /// An env file that does not follow dotenv rules.
    #[error("invalid env file at line {line}: {reason}")]
    Dotenv {
        /// 1-based line where the bad entry starts.
        line: usize,
        /// What is wrong, without the content.
        reason: &'static str,
    },
    /// `/proc/stat` or `/proc/meminfo` text that cannot be read.
    #[error("invalid {file}: {reason}")]
    Proc {
        /// `/proc/stat` or `/proc/meminfo`.
        file: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// Swarm deploy on a node whose swarm is not active (AP §7.4).
    #[error("docker Swarm not initialized: {0}")]
    SwarmInactive(String),
    /// The self-update manifest has an unusable structure (AP §7.10).
    #[error("{0}")]
    Manifest(String),
}
