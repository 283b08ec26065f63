//! Docker agent adapters (AP §7): the `docker` CLI run as a subprocess for
//! compose and swarm ([`CliDockerRuntime`]), the state files
//! ([`FileStateStore`]), per-deployment registry credentials
//! ([`DockerRegistryAuth`]) and self-update by a helper container
//! ([`CliSelfUpdater`]).
//!
//! Every subprocess goes through an injectable [`CommandRunner`], so the exact
//! argv, environment and stdin are unit-testable with [`ScriptedRunner`].

mod command;
mod fs_util;
mod registry;
mod runtime;
mod self_update;
mod state;

pub use distr_subprocess::{
    CommandOutput, CommandRunner, CommandSpec, RecordedCommand, ScriptedRunner, TokioCommandRunner,
};
pub use registry::DockerRegistryAuth;
pub use runtime::CliDockerRuntime;
pub use self_update::CliSelfUpdater;
pub use state::FileStateStore;

/// The environment variable kept out of every docker command (AP §11 note 3):
/// compose files must not be able to interpolate the agent's own secret.
pub const TARGET_SECRET_ENV: &str = "DISTR_TARGET_SECRET";
