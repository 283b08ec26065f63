//! The command line (HS §5.2). Exit codes: 0 success, 1 runtime failure,
//! 2 usage or configuration error. Machine output is JSON on stdout; logs go
//! to stderr.

mod admin;
mod args;
mod cleanup;
mod rekey;
mod user;

pub use args::{
    AdminCommand, AgentVersionCommand, CleanupArgs, Cli, Command, ResetLinkArgs, SecretsCommand,
    UserCommand,
};
pub use rekey::{RekeyReport, rekey_store};
pub use user::{ResetLink, reset_link};

use std::process::ExitCode;

use clap::Parser as _;
use distr_sql_store::{OpenOptions, SqlStore};

use crate::config::{self, ConfigError, HubConfig, LoadedConfig, ProcessEnv};

/// A failed command, with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad usage or input (exit 2).
    #[error("{0}")]
    Usage(String),
    /// Invalid configuration (exit 2).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Anything else (exit 1).
    #[error("{0}")]
    Runtime(String),
}

impl CliError {
    /// The process exit code.
    #[must_use]
    pub const fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) | Self::Config(_) => 2,
            Self::Runtime(_) => 1,
        }
    }

    fn runtime(err: impl std::fmt::Display) -> Self {
        Self::Runtime(err.to_string())
    }
}

/// Entry point of the binary.
#[must_use]
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

fn load_config() -> Result<LoadedConfig, CliError> {
    let loaded = config::load(&ProcessEnv)?;
    crate::logging::init(loaded.hub.log_format, &loaded.hub.log_level);
    Ok(loaded)
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::runtime)
}

/// Runs one parsed command.
///
/// # Errors
/// `CliError` with the exit code of the failure.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::GenKey => {
            println!("{}", distr_crypto::Aes256GcmCipher::generate_key_base64());
            Ok(())
        }
        Command::Openapi => {
            println!("{}", crate::openapi::document_json());
            Ok(())
        }
        Command::Version => {
            let info = serde_json::json!({
                "version": env!("CARGO_PKG_VERSION"),
                "commit": option_env!("DISTR_COMMIT").unwrap_or("unknown"),
                "agentVersion": config::SHIPPED_AGENT_VERSION,
            });
            println!("{info}");
            Ok(())
        }
        Command::Serve { no_migrate } => {
            let loaded = load_config()?;
            runtime()?
                .block_on(crate::server::serve(loaded, no_migrate))
                .map_err(CliError::runtime)
        }
        Command::Migrate { status } => {
            let loaded = load_config()?;
            runtime()?.block_on(migrate(&loaded.hub, status))
        }
        Command::Admin(AdminCommand::Create(args)) => {
            let loaded = load_config()?;
            runtime()?.block_on(admin::create(&loaded.hub, args))
        }
        Command::Cleanup(args) => {
            let loaded = load_config()?;
            runtime()?.block_on(cleanup::run(loaded.hub, args))
        }
        Command::User(UserCommand::ResetLink(args)) => {
            let loaded = load_config()?;
            runtime()?.block_on(user::reset_link_command(loaded, args))
        }
        Command::Secrets(SecretsCommand::Rekey) => {
            let loaded = load_config()?;
            runtime()?.block_on(rekey::run(&loaded))
        }
        Command::AgentVersion(AgentVersionCommand::Add(args)) => {
            let loaded = load_config()?;
            runtime()?.block_on(admin::add_agent_version(&loaded.hub, args))
        }
    }
}

/// Opens the configured database (without migrating).
///
/// # Errors
/// The adapter's error, which never contains the password of the URL.
pub async fn open_store(config: &HubConfig) -> Result<SqlStore, distr_sql_store::SqlStoreError> {
    SqlStore::open(
        &config.database_url,
        OpenOptions {
            max_connections: config.database_max_conns,
        },
    )
    .await
}

/// Opens and migrates the database, for one-shot commands.
async fn open_migrated(config: &HubConfig) -> Result<SqlStore, CliError> {
    let store = open_store(config).await.map_err(CliError::runtime)?;
    store.migrate().await.map_err(CliError::runtime)?;
    Ok(store)
}

async fn migrate(config: &HubConfig, status: bool) -> Result<(), CliError> {
    let store = open_store(config).await.map_err(CliError::runtime)?;
    let out = if status {
        let rows = store.migration_status().await.map_err(CliError::runtime)?;
        let list: Vec<_> = rows
            .into_iter()
            .map(|(name, applied)| serde_json::json!({"name": name, "applied": applied}))
            .collect();
        serde_json::json!({ "migrations": list })
    } else {
        serde_json::json!({ "applied": store.migrate().await.map_err(CliError::runtime)? })
    };
    println!("{out}");
    Ok(())
}
