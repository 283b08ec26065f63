//! The clap definitions of every command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// The Distr Hub.
#[derive(Debug, Parser)]
#[command(
    name = "distr-hub",
    version,
    about = "The Distr Hub: control plane server and CLI"
)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Every command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run migrations, register the agent version and serve.
    Serve {
        /// Skip migrations (they must already be applied).
        #[arg(long)]
        no_migrate: bool,
    },
    /// Apply pending migrations, or list them with `--status`.
    Migrate {
        /// List applied and pending migrations instead.
        #[arg(long)]
        status: bool,
    },
    /// Organization administration.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// User accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Agent versions.
    #[command(subcommand, name = "agent-version")]
    AgentVersion(AgentVersionCommand),
    /// Run retention once (for cron or a Kubernetes CronJob).
    Cleanup(CleanupArgs),
    /// Secret values at rest.
    #[command(subcommand)]
    Secrets(SecretsCommand),
    /// Print 32 random bytes as base64 (a `SECRETS_ENCRYPTION_KEY` or `JWT_SECRET`).
    GenKey,
    /// Print the build version, commit and shipped agent version.
    Version,
    /// Print the OpenAPI 3.1 document of the user API.
    Openapi,
}

/// `secrets` subcommands.
#[derive(Debug, Subcommand)]
pub enum SecretsCommand {
    /// Re-encrypt secrets and last-good payloads with the current key,
    /// decrypting with `SECRETS_ENCRYPTION_KEYS_PREVIOUS` (HS §5.2).
    Rekey,
}

/// `admin` subcommands.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an organization and its vendor admin.
    Create(AdminCreateArgs),
}

/// `admin create` arguments.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("password").required(true).args(["password_stdin", "password_file", "generate_password"])))]
pub struct AdminCreateArgs {
    /// Organization name.
    #[arg(long)]
    pub org_name: String,
    /// Admin e-mail.
    #[arg(long)]
    pub email: String,
    /// Admin display name.
    #[arg(long)]
    pub name: String,
    /// Read the password as one line from stdin.
    #[arg(long)]
    pub password_stdin: bool,
    /// Read the password from a file.
    #[arg(long)]
    pub password_file: Option<PathBuf>,
    /// Generate a password and print it.
    #[arg(long)]
    pub generate_password: bool,
    /// Succeed when the e-mail exists, ensuring an admin membership.
    #[arg(long)]
    pub if_not_exists: bool,
    /// Also create a personal access token with this label and print it.
    #[arg(long)]
    pub token_label: Option<String>,
}

/// `cleanup` arguments.
#[derive(Debug, Args)]
pub struct CleanupArgs {
    /// `DeploymentTargetStatus`, `DeploymentRevisionStatus`, `DeploymentTargetMetrics`,
    /// `DeploymentLogRecord`, `DeploymentTargetLogRecord` or `all`.
    #[arg(value_parser = clap::builder::PossibleValuesParser::new([
        "DeploymentTargetStatus",
        "DeploymentRevisionStatus",
        "DeploymentTargetMetrics",
        "DeploymentLogRecord",
        "DeploymentTargetLogRecord",
        "all",
    ]))]
    pub job: String,
    /// Stop at the next batch boundary after this duration (default: the
    /// job's `CLEANUP_*_TIMEOUT`, else 10m).
    #[arg(long)]
    pub timeout: Option<String>,
}

/// `user` subcommands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Print a password-reset URL (recovery when no admin can log in).
    ResetLink(ResetLinkArgs),
}

/// `user reset-link` arguments.
#[derive(Debug, Args)]
pub struct ResetLinkArgs {
    /// The user's e-mail.
    #[arg(long)]
    pub email: String,
    /// The organization to log into after the reset (default: the last used one).
    #[arg(long)]
    pub organization: Option<String>,
}

/// `agent-version` subcommands.
#[derive(Debug, Subcommand)]
pub enum AgentVersionCommand {
    /// Register an agent version.
    Add(AgentVersionAddArgs),
}

/// `agent-version add` arguments.
#[derive(Debug, Args)]
pub struct AgentVersionAddArgs {
    /// Version name (the image tag): semver ≥ 1.12.0 or `snapshot`.
    #[arg(long)]
    pub name: String,
    /// Docker agent image repository override.
    #[arg(long)]
    pub docker_image_repository: Option<String>,
    /// Kubernetes agent image repository override.
    #[arg(long)]
    pub kubernetes_image_repository: Option<String>,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn admin_create_needs_exactly_one_password_source() {
        let base = [
            "distr-hub",
            "admin",
            "create",
            "--org-name",
            "O",
            "--email",
            "a@b.c",
            "--name",
            "A",
        ];
        assert!(Cli::try_parse_from(base).is_err());
        assert!(Cli::try_parse_from(base.iter().chain(&["--generate-password"])).is_ok());
        assert!(
            Cli::try_parse_from(
                base.iter()
                    .chain(&["--generate-password", "--password-stdin"])
            )
            .is_err()
        );
    }
}
