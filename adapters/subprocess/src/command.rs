//! The subprocess seam: what to run ([`CommandSpec`]), what came back
//! ([`CommandOutput`]) and who runs it ([`CommandRunner`]).

use std::fmt;
use std::path::PathBuf;
use std::process::Stdio;

use async_trait::async_trait;
use tokio::io::AsyncWriteExt;

/// One command to run. The child inherits the agent's environment, plus
/// `env`, minus `env_remove`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CommandSpec {
    /// The executable (looked up on `PATH`).
    pub program: String,
    /// Arguments, without the program.
    pub args: Vec<String>,
    /// Variables set for the child (override inherited ones).
    pub env: Vec<(String, String)>,
    /// Inherited variables removed for the child.
    pub env_remove: Vec<String>,
    /// Bytes written to the child's stdin; `None` gives it no stdin.
    pub stdin: Option<Vec<u8>>,
    /// Working directory; `None` keeps the agent's.
    pub cwd: Option<PathBuf>,
}

impl CommandSpec {
    /// A command with arguments and nothing else set.
    #[must_use]
    pub fn new<I, S>(program: &str, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            program: program.to_owned(),
            args: args.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// `program args…` for messages.
    #[must_use]
    pub fn display(&self) -> String {
        std::iter::once(self.program.as_str())
            .chain(self.args.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Env values (dotenv pairs, registry paths) may be secret, so `Debug` shows
/// only the variable names and the stdin length.
impl fmt::Debug for CommandSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let env_names: Vec<&str> = self.env.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("CommandSpec")
            .field("program", &self.program)
            .field("args", &self.args)
            .field("env_names", &env_names)
            .field("env_remove", &self.env_remove)
            .field("stdin_len", &self.stdin.as_ref().map(Vec::len))
            .field("cwd", &self.cwd)
            .finish()
    }
}

/// What a finished command produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandOutput {
    /// Exit code; `-1` when the child was killed by a signal.
    pub status: i32,
    /// Captured stdout.
    pub stdout: Vec<u8>,
    /// Captured stderr.
    pub stderr: Vec<u8>,
}

impl CommandOutput {
    /// Whether the exit code is 0.
    #[must_use]
    pub const fn success(&self) -> bool {
        self.status == 0
    }

    /// stdout followed by stderr, lossily decoded: the text the agent reports.
    #[must_use]
    pub fn combined(&self) -> String {
        let mut text = String::from_utf8_lossy(&self.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&self.stderr));
        text
    }
}

/// Runs commands. Implementations MUST apply `env`, `env_remove`, `stdin` and
/// `cwd` exactly as given and MUST NOT treat a non-zero exit as an `Err`.
#[async_trait]
pub trait CommandRunner: Send + Sync + fmt::Debug {
    /// Runs `cmd` to completion. `Err` only when it could not be started or
    /// its pipes failed.
    async fn run(&self, cmd: &CommandSpec) -> Result<CommandOutput, std::io::Error>;
}

/// The real runner: `tokio::process`, killing the child if the future is dropped.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioCommandRunner;

#[async_trait]
impl CommandRunner for TokioCommandRunner {
    async fn run(&self, cmd: &CommandSpec) -> Result<CommandOutput, std::io::Error> {
        let mut command = tokio::process::Command::new(&cmd.program);
        command
            .args(&cmd.args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(if cmd.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .kill_on_drop(true);
        for name in &cmd.env_remove {
            command.env_remove(name);
        }
        command.envs(cmd.env.iter().map(|(k, v)| (k, v)));
        if let Some(cwd) = &cmd.cwd {
            command.current_dir(cwd);
        }
        let mut child = command.spawn()?;
        // Feed stdin concurrently with reading the outputs: a child that
        // writes a lot before reading all its input would otherwise deadlock.
        let writer = match (child.stdin.take(), cmd.stdin.clone()) {
            (Some(mut pipe), Some(bytes)) => Some(tokio::spawn(async move {
                let result = pipe.write_all(&bytes).await;
                drop(pipe);
                result
            })),
            _ => None,
        };
        let output = child.wait_with_output().await?;
        if let Some(writer) = writer {
            match writer.await {
                // A child may exit without reading all its input; its exit
                // status and output tell what happened.
                Ok(Ok(())) | Ok(Err(_)) => {}
                Err(join) => return Err(std::io::Error::other(join.to_string())),
            }
        }
        Ok(CommandOutput {
            status: output.status.code().unwrap_or(-1),
            stdout: output.stdout,
            stderr: output.stderr,
        })
    }
}

/// The error text of a failed command: `<context>: <combined output>`, just
/// the output for an empty context, or the exit status when the command
/// printed nothing.
#[must_use]
pub fn failure_text(context: &str, cmd: &CommandSpec, output: &CommandOutput) -> String {
    let combined = output.combined();
    let combined = combined.trim_end();
    if context.is_empty() && !combined.is_empty() {
        return combined.to_owned();
    }
    if combined.is_empty() {
        format!(
            "{context}: `{}` exited with status {}",
            cmd.display(),
            output.status
        )
    } else {
        format!("{context}: {combined}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tokio_runner_feeds_stdin_sets_env_and_cwd() {
        let mut cmd = CommandSpec::new(
            "sh",
            ["-c", "cat; printf '%s|%s|' \"$A\" \"${HOME-unset}\"; pwd"],
        );
        cmd.env = vec![("A".into(), "x y".into())];
        cmd.env_remove = vec!["HOME".into()];
        cmd.stdin = Some(b"in-".to_vec());
        cmd.cwd = Some(PathBuf::from("/"));
        let out = TokioCommandRunner.run(&cmd).await.unwrap();
        assert_eq!(out.status, 0);
        assert_eq!(String::from_utf8(out.stdout).unwrap(), "in-x y|unset|/\n");
    }

    #[tokio::test]
    async fn tokio_runner_reports_exit_code_and_stderr_without_error() {
        let cmd = CommandSpec::new("sh", ["-c", "echo out; echo err >&2; exit 3"]);
        let out = TokioCommandRunner.run(&cmd).await.unwrap();
        assert_eq!(out.status, 3);
        assert_eq!(out.combined(), "out\nerr\n");
    }

    #[tokio::test]
    async fn missing_program_is_an_io_error() {
        let cmd = CommandSpec::new("/nonexistent/distr-no-such-binary", Vec::<String>::new());
        assert!(TokioCommandRunner.run(&cmd).await.is_err());
    }

    #[test]
    fn failure_text_falls_back_to_exit_status_when_silent() {
        let cmd = CommandSpec::new("docker", ["stack", "rm", "p"]);
        let out = CommandOutput {
            status: 2,
            ..CommandOutput::default()
        };
        assert_eq!(
            failure_text("docker stack rm failed", &cmd, &out),
            "docker stack rm failed: `docker stack rm p` exited with status 2"
        );
    }

    #[test]
    fn debug_hides_env_values_and_stdin() {
        let mut cmd = CommandSpec::new("docker", ["x"]);
        cmd.env = vec![("PASSWORD".into(), "hunter2".into())];
        cmd.stdin = Some(b"secret-yaml".to_vec());
        let text = format!("{cmd:?}");
        assert!(text.contains("PASSWORD"));
        assert!(!text.contains("hunter2"));
        assert!(!text.contains("secret-yaml"));
    }
}
