//! Running host programs, shared by the agents' end-to-end suites.

use std::process::Stdio;

use tokio::io::AsyncWriteExt as _;

/// A finished command.
#[derive(Debug)]
pub struct Out {
    /// Exit code (`-1` when killed by a signal or not started).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Out {
    /// Whether the command exited with 0.
    pub const fn ok(&self) -> bool {
        self.code == 0
    }
}

/// Runs `program args…` with extra environment and optional stdin.
pub async fn run(program: &str, args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Out {
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args)
        .envs(env.iter().copied())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => {
            return Out {
                code: -1,
                stdout: String::new(),
                stderr: format!("cannot start {program}: {e}"),
            };
        }
    };
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(input).await.expect("write stdin");
        drop(pipe);
    }
    let output = child.wait_with_output().await.expect("wait for command");
    Out {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
