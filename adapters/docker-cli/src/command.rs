//! The docker commands' error text on top of `distr-subprocess`.

use distr_ports::agent::DockerError;
pub(crate) use distr_subprocess::{CommandRunner, CommandSpec, failure_text};

/// Runs `cmd` and turns a start failure or non-zero exit into a
/// [`DockerError`] (the text of [`failure_text`]). Returns the combined
/// output on success.
pub(crate) async fn run_checked(
    runner: &dyn CommandRunner,
    cmd: &CommandSpec,
    context: &str,
) -> Result<String, DockerError> {
    let output = runner
        .run(cmd)
        .await
        .map_err(|e| DockerError(format!("{context}: cannot run {}: {e}", cmd.program)))?;
    if output.success() {
        return Ok(output.combined());
    }
    Err(DockerError(failure_text(context, cmd, &output)))
}
