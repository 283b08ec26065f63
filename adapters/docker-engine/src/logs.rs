//! Log stream frames → [`WorkloadLogLine`]s (AP §7.8 inputs).

use bollard::container::LogOutput;
use chrono::{DateTime, Utc};
use distr_domain::agent::{WorkloadLogLine, compose_resource_name};

/// The stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogStream {
    /// Standard output (also a TTY's console stream).
    Stdout,
    /// Standard error.
    Stderr,
}

/// Reassembles lines from log frames. A frame usually holds one line, but
/// TTY output arrives in arbitrary chunks and long lines are split, so
/// bytes are buffered per stream until a newline.
#[derive(Debug, Default)]
pub struct LineAssembler {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    lines: Vec<(LogStream, String)>,
}

impl LineAssembler {
    /// Adds one frame; stdin frames are ignored.
    pub fn push(&mut self, output: &LogOutput) {
        let (stream, bytes) = match output {
            LogOutput::StdOut { message } | LogOutput::Console { message } => {
                (LogStream::Stdout, message)
            }
            LogOutput::StdErr { message } => (LogStream::Stderr, message),
            LogOutput::StdIn { .. } => return,
        };
        let buffer = match stream {
            LogStream::Stdout => &mut self.stdout,
            LogStream::Stderr => &mut self.stderr,
        };
        buffer.extend_from_slice(bytes);
        while let Some(end) = buffer.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buffer.drain(..=end).collect();
            push_line(&mut self.lines, stream, &line);
        }
    }

    /// The complete lines in arrival order, then any unterminated rest.
    #[must_use]
    pub fn finish(mut self) -> Vec<(LogStream, String)> {
        let stdout = std::mem::take(&mut self.stdout);
        push_line(&mut self.lines, LogStream::Stdout, &stdout);
        let stderr = std::mem::take(&mut self.stderr);
        push_line(&mut self.lines, LogStream::Stderr, &stderr);
        self.lines
    }
}

fn push_line(lines: &mut Vec<(LogStream, String)>, stream: LogStream, raw: &[u8]) {
    let text = String::from_utf8_lossy(raw);
    let text = text.trim_end_matches(['\n', '\r']);
    if !text.is_empty() {
        lines.push((stream, text.to_owned()));
    }
}

/// The engine's `since` is whole seconds, so it returns up to a second of
/// lines that were already shipped; this drops lines whose leading
/// timestamp is before `since`. Lines without a timestamp are kept.
#[must_use]
pub fn logged_at_or_after(line: &str, since: DateTime<Utc>) -> bool {
    let head = line.split_once(' ').map_or(line, |(head, _)| head);
    DateTime::parse_from_rfc3339(head).map_or(true, |at| at >= since)
}

/// `since` as the engine's whole-second `since` parameter (floor), within
/// the parameter's range.
#[must_use]
pub fn since_seconds(since: DateTime<Utc>) -> i32 {
    let secs = since.timestamp().clamp(0, i64::from(i32::MAX));
    i32::try_from(secs).unwrap_or(i32::MAX)
}

/// Compose lines: resource `web-1` for container `<project>-web-1`, severity `Log`.
#[must_use]
pub fn compose_log_lines(
    project: &str,
    container: &str,
    lines: Vec<(LogStream, String)>,
    since: DateTime<Utc>,
) -> Vec<WorkloadLogLine> {
    let resource = compose_resource_name(project, container);
    lines
        .into_iter()
        .filter(|(_, line)| logged_at_or_after(line, since))
        .map(|(_, line)| WorkloadLogLine {
            resource: resource.clone(),
            severity: "Log".to_owned(),
            line,
        })
        .collect()
}

/// Swarm lines: resource = service name, severity `stdout` or `stderr`.
#[must_use]
pub fn swarm_log_lines(
    service: &str,
    lines: Vec<(LogStream, String)>,
    since: DateTime<Utc>,
) -> Vec<WorkloadLogLine> {
    lines
        .into_iter()
        .filter(|(_, line)| logged_at_or_after(line, since))
        .map(|(stream, line)| WorkloadLogLine {
            resource: service.to_owned(),
            severity: match stream {
                LogStream::Stdout => "stdout",
                LogStream::Stderr => "stderr",
            }
            .to_owned(),
            line,
        })
        .collect()
}

#[cfg(test)]
mod tests;
