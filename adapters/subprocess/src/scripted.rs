//! A [`CommandRunner`] for tests: records every command and answers from a
//! script, so tests can assert the exact argv, environment and stdin.

use std::collections::VecDeque;
use std::sync::Mutex;

use async_trait::async_trait;
use serde::Serialize;

use crate::command::{CommandOutput, CommandRunner, CommandSpec};

/// One command as the scripted runner saw it, in a snapshot-friendly shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedCommand {
    /// The executable.
    pub program: String,
    /// Arguments.
    pub args: Vec<String>,
    /// Variables set for the child.
    pub env: Vec<(String, String)>,
    /// Variables removed for the child.
    pub env_remove: Vec<String>,
    /// stdin, lossily decoded.
    pub stdin: Option<String>,
    /// Working directory.
    pub cwd: Option<String>,
    /// Content of the file named by a `--env-file=<path>` argument, read while
    /// the command "ran" (the runtime deletes it afterwards).
    pub env_file: Option<String>,
    /// Content of the file named by the argument after `--values`, read the
    /// same way (helm commands; omitted from snapshots when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values_file: Option<String>,
}

/// Answers commands in order from a queue of outputs; once the queue is
/// empty every command succeeds with empty output.
#[derive(Debug, Default)]
pub struct ScriptedRunner {
    answers: Mutex<VecDeque<Result<CommandOutput, String>>>,
    recorded: Mutex<Vec<RecordedCommand>>,
}

impl ScriptedRunner {
    /// A runner whose commands all succeed silently.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues the answer to the next unanswered command: exit `status` with `stdout`.
    #[must_use]
    pub fn then(self, status: i32, stdout: &str) -> Self {
        self.push(Ok(CommandOutput {
            status,
            stdout: stdout.as_bytes().to_vec(),
            stderr: Vec::new(),
        }));
        self
    }

    /// Queues an answer with stderr output.
    #[must_use]
    pub fn then_stderr(self, status: i32, stderr: &str) -> Self {
        self.push(Ok(CommandOutput {
            status,
            stdout: Vec::new(),
            stderr: stderr.as_bytes().to_vec(),
        }));
        self
    }

    /// Queues a failure to start the command.
    #[must_use]
    pub fn then_io_error(self, message: &str) -> Self {
        self.push(Err(message.to_owned()));
        self
    }

    /// Every command run so far.
    #[must_use]
    pub fn recorded(&self) -> Vec<RecordedCommand> {
        self.recorded.lock().map(|r| r.clone()).unwrap_or_default()
    }

    fn push(&self, answer: Result<CommandOutput, String>) {
        if let Ok(mut answers) = self.answers.lock() {
            answers.push_back(answer);
        }
    }
}

#[async_trait]
impl CommandRunner for ScriptedRunner {
    async fn run(&self, cmd: &CommandSpec) -> Result<CommandOutput, std::io::Error> {
        let env_file = cmd
            .args
            .iter()
            .find_map(|a| a.strip_prefix("--env-file="))
            .map(|path| std::fs::read_to_string(path).unwrap_or_else(|e| format!("<{e}>")));
        let values_file = cmd
            .args
            .iter()
            .position(|a| a == "--values")
            .and_then(|at| cmd.args.get(at + 1))
            .map(|path| std::fs::read_to_string(path).unwrap_or_else(|e| format!("<{e}>")));
        let record = RecordedCommand {
            program: cmd.program.clone(),
            args: cmd.args.clone(),
            env: cmd.env.clone(),
            env_remove: cmd.env_remove.clone(),
            stdin: cmd
                .stdin
                .as_ref()
                .map(|b| String::from_utf8_lossy(b).into_owned()),
            cwd: cmd.cwd.as_ref().map(|p| p.display().to_string()),
            env_file,
            values_file,
        };
        if let Ok(mut recorded) = self.recorded.lock() {
            recorded.push(record);
        }
        let answer = self.answers.lock().ok().and_then(|mut a| a.pop_front());
        match answer {
            None => Ok(CommandOutput::default()),
            Some(Ok(output)) => Ok(output),
            Some(Err(message)) => Err(std::io::Error::other(message)),
        }
    }
}
