//! Status dots and their labels, exactly as the product docs describe them
//! (HS §4.3), agent-version gates (HS §4.2), and relative ages.

use chrono::{DateTime, Utc};
use distr_domain::semver::version_at_least;

/// A dot: its CSS modifier and its visible label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dot {
    /// `grey`, `green`, `yellow`, `red`, `blue` or `ring` (green ring).
    pub colour: &'static str,
    /// The text beside the dot (also its `aria-label`).
    pub label: &'static str,
}

/// The dot of a target's `connectionState` (HS §2.4).
pub(crate) fn target_dot(connection_state: &str) -> Dot {
    match connection_state {
        "connected" => Dot {
            colour: "green",
            label: "Connected",
        },
        "stale" => Dot {
            colour: "yellow",
            label: "Stale",
        },
        _ => Dot {
            colour: "grey",
            label: "Not connected",
        },
    }
}

/// The dot of a deployment's `health` (HS §2.4): "Running" (green ring) and
/// "Healthy" (solid green) together are the docs' green "OK".
pub(crate) fn deployment_dot(health: &str) -> Dot {
    match health {
        "error" => Dot {
            colour: "red",
            label: "Error",
        },
        "stale" => Dot {
            colour: "yellow",
            label: "Stale",
        },
        "progressing" => Dot {
            colour: "blue",
            label: "Progressing",
        },
        "running" => Dot {
            colour: "ring",
            label: "Running",
        },
        "healthy" => Dot {
            colour: "green",
            label: "Healthy",
        },
        _ => Dot {
            colour: "grey",
            label: "No status",
        },
    }
}

/// Which connect action a target offers (HS §4.3): Connect only when never
/// seen, Reconnect only when stale, none while connected.
pub(crate) fn connect_action(connection_state: &str) -> Option<&'static str> {
    match connection_state {
        "not_connected" => Some("Connect"),
        "stale" => Some("Reconnect"),
        _ => None,
    }
}

/// A control gated on the agent version (HS §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gate {
    /// Undeploy: 1.3.0.
    Undeploy,
    /// A second "Deploy app": 1.6.0.
    SecondDeployment,
    /// The logs toggle: 1.9.0.
    LogsToggle,
    /// Force restart: 1.12.0.
    ForceRestart,
}

impl Gate {
    const fn minimum(self) -> (u64, u64, u64) {
        match self {
            Self::Undeploy => (1, 3, 0),
            Self::SecondDeployment => (1, 6, 0),
            Self::LogsToggle => (1, 9, 0),
            Self::ForceRestart => (1, 12, 0),
        }
    }

    /// The tooltip of a disabled control.
    pub(crate) fn reason(self) -> String {
        let (a, b, c) = self.minimum();
        format!("needs agent version {a}.{b}.{c} or newer")
    }

    /// Whether the agent passes: the reported version, or the desired one
    /// until a version has been reported (`snapshot` passes every gate).
    pub(crate) fn allows(self, reported: Option<&str>, desired: &str) -> bool {
        let (a, b, c) = self.minimum();
        version_at_least(reported.unwrap_or(desired), a, b, c)
    }
}

/// "12 s ago", "3 min ago", "2 h ago", "4 d ago".
pub(crate) fn ago(now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds().max(0);
    match secs {
        0..=59 => format!("{secs} s ago"),
        60..=3599 => format!("{} min ago", secs / 60),
        3600..=86_399 => format!("{} h ago", secs / 3600),
        _ => format!("{} d ago", secs / 86_400),
    }
}

/// A readable UTC time (`2026-11-26 21:04:05 UTC`).
pub(crate) fn when(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_state_has_its_colour_and_label() {
        assert_eq!(
            target_dot("not_connected"),
            Dot {
                colour: "grey",
                label: "Not connected"
            }
        );
        assert_eq!(
            target_dot("connected"),
            Dot {
                colour: "green",
                label: "Connected"
            }
        );
        assert_eq!(
            target_dot("stale"),
            Dot {
                colour: "yellow",
                label: "Stale"
            }
        );
    }

    #[test]
    fn every_deployment_health_has_its_colour_and_label() {
        let cases = [
            ("no_status", "grey", "No status"),
            ("error", "red", "Error"),
            ("stale", "yellow", "Stale"),
            ("progressing", "blue", "Progressing"),
            ("running", "ring", "Running"),
            ("healthy", "green", "Healthy"),
        ];
        for (health, colour, label) in cases {
            assert_eq!(deployment_dot(health), Dot { colour, label }, "{health}");
        }
    }

    #[test]
    fn connect_only_when_never_seen_and_reconnect_only_when_stale() {
        assert_eq!(connect_action("not_connected"), Some("Connect"));
        assert_eq!(connect_action("stale"), Some("Reconnect"));
        assert_eq!(connect_action("connected"), None);
    }

    #[test]
    fn force_restart_needs_1_12_and_the_reported_version_wins() {
        assert!(!Gate::ForceRestart.allows(Some("1.11.0"), "2.8.0"));
        assert!(Gate::ForceRestart.allows(Some("1.12.0"), "1.0.0"));
        assert!(Gate::ForceRestart.allows(None, "snapshot"));
        assert!(!Gate::Undeploy.allows(None, "1.2.9"));
        assert!(Gate::SecondDeployment.allows(Some("1.6.0"), "1.0.0"));
        assert!(!Gate::LogsToggle.allows(Some("1.8.5"), "2.0.0"));
    }

    #[test]
    fn ages_pick_a_readable_unit() {
        let now = Utc::now();
        assert_eq!(ago(now, now - chrono::Duration::seconds(5)), "5 s ago");
        assert_eq!(ago(now, now - chrono::Duration::minutes(3)), "3 min ago");
        assert_eq!(ago(now, now - chrono::Duration::hours(2)), "2 h ago");
        assert_eq!(ago(now, now - chrono::Duration::days(4)), "4 d ago");
        assert_eq!(ago(now, now + chrono::Duration::seconds(4)), "0 s ago");
    }
}
