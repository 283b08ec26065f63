//! Running the PostgreSQL client and server programs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::PgError;

/// Runs `command` to completion and fails with its stderr when it exits non-zero.
pub(super) fn run(command: &mut Command) -> Result<Output, PgError> {
    let program = command.get_program().to_string_lossy().into_owned();
    let output = command.output().map_err(|e| PgError::Command {
        program: program.clone(),
        detail: e.to_string(),
    })?;
    check(&program, output)
}

/// Async twin of [`run`].
pub(super) async fn run_async(command: &mut tokio::process::Command) -> Result<Output, PgError> {
    let program = command
        .as_std()
        .get_program()
        .to_string_lossy()
        .into_owned();
    let output = command.output().await.map_err(|e| PgError::Command {
        program: program.clone(),
        detail: e.to_string(),
    })?;
    check(&program, output)
}

fn check(program: &str, output: Output) -> Result<Output, PgError> {
    if output.status.success() {
        Ok(output)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        Err(PgError::Command {
            program: program.to_owned(),
            detail: format!("{}: {} {}", output.status, stderr.trim(), stdout.trim()),
        })
    }
}

/// The directory holding `initdb`, `pg_ctl`, `createdb`, ... (`pg_config --bindir`).
pub(super) fn bindir() -> Result<PathBuf, PgError> {
    let output = run(Command::new("pg_config").arg("--bindir"))?;
    Ok(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim(),
    ))
}

/// A client program (`createdb`, ...) from `bindir`, or from `PATH` without one.
pub(super) fn client(bindir: Option<&Path>, program: &str) -> tokio::process::Command {
    match bindir {
        Some(dir) => tokio::process::Command::new(dir.join(program)),
        None => tokio::process::Command::new(program),
    }
}

/// Whether this process runs as root (the server refuses to).
pub(super) fn running_as_root() -> Result<bool, PgError> {
    let output = run(Command::new("id").arg("-u"))?;
    Ok(String::from_utf8_lossy(&output.stdout).trim() == "0")
}

/// Creates the `postgres` system user when it is missing.
pub(super) fn ensure_postgres_user() -> Result<(), PgError> {
    let exists = Command::new("id")
        .args(["-u", "postgres"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !exists {
        run(Command::new("useradd").args(["--system", "--no-create-home", "postgres"]))?;
    }
    Ok(())
}

/// `program` run as the `postgres` user when `as_postgres`, else directly.
pub(super) fn server_command(as_postgres: bool, program: &Path) -> Command {
    if as_postgres {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}
