//! The subprocess seam both CLI adapters (docker and helm) run their
//! commands through: what to run ([`CommandSpec`]), what came back
//! ([`CommandOutput`]), who runs it ([`CommandRunner`], the real
//! [`TokioCommandRunner`]) and a [`ScriptedRunner`] that records every
//! command and answers from a script, so tests assert the exact argv,
//! environment and stdin without running anything.

mod command;
mod scripted;

pub use command::{CommandOutput, CommandRunner, CommandSpec, TokioCommandRunner, failure_text};
pub use scripted::{RecordedCommand, ScriptedRunner};
