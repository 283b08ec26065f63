//! The `tracing` layer that copies records into the buffer.

use std::fmt::Write as _;

use chrono::Utc;
use distr_domain::protocol::TargetLogInput;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::Context;

use super::SelfLogBuffer;

/// Copies debug-and-above events into a [`SelfLogBuffer`]. `severity` is the
/// lower-case level name, `body` the message followed by `key=value` fields.
#[derive(Debug, Clone)]
pub struct SelfLogLayer {
    buffer: SelfLogBuffer,
}

impl SelfLogLayer {
    pub(super) const fn new(buffer: SelfLogBuffer) -> Self {
        Self { buffer }
    }
}

impl<S: Subscriber> tracing_subscriber::Layer<S> for SelfLogLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let level = *event.metadata().level();
        let severity = match level {
            Level::ERROR => "error",
            Level::WARN => "warn",
            Level::INFO => "info",
            Level::DEBUG => "debug",
            Level::TRACE => return,
        };
        let mut body = BodyVisitor::default();
        event.record(&mut body);
        self.buffer.push(TargetLogInput {
            timestamp: Utc::now(),
            severity: severity.to_owned(),
            body: body.finish(),
        });
    }
}

#[derive(Default)]
struct BodyVisitor {
    message: String,
    fields: String,
}

impl BodyVisitor {
    fn finish(self) -> String {
        if self.fields.is_empty() {
            self.message
        } else if self.message.is_empty() {
            self.fields.trim_start().to_owned()
        } else {
            self.message + &self.fields
        }
    }
}

impl Visit for BodyVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            value.clone_into(&mut self.message);
        } else {
            let _ = write!(self.fields, " {}={value}", field.name());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        } else {
            let _ = write!(self.fields, " {}={value:?}", field.name());
        }
    }
}
