//! Texts and checks around an apply (AP §7.1 step 5.3, §7.4).

use crate::agent::AgentDecisionError;

/// Posted as `progressing` every interval while an apply runs (ends in U+2026).
pub const APPLY_PROGRESS_MESSAGE: &str = "applying docker compose\u{2026}";

/// Checks the output of `docker info --format {{.Swarm.LocalNodeState}}`:
/// swarm deploys need it to contain `active`.
///
/// # Errors
/// `SwarmInactive`, whose text is `docker Swarm not initialized: <output>`.
pub fn check_swarm_active(info_output: &str) -> Result<(), AgentDecisionError> {
    if info_output.contains("active") && !info_output.contains("inactive") {
        Ok(())
    } else {
        Err(AgentDecisionError::SwarmInactive(
            info_output.trim().to_owned(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_active_node_passes() {
        assert_eq!(check_swarm_active("active\n"), Ok(()));
    }

    #[test]
    fn an_inactive_node_names_the_output() {
        for output in ["inactive\n", "", "pending"] {
            let err = check_swarm_active(output).unwrap_err().to_string();
            assert_eq!(
                err,
                format!("docker Swarm not initialized: {}", output.trim())
            );
        }
    }

    #[test]
    fn the_progress_message_ends_in_an_ellipsis() {
        assert!(APPLY_PROGRESS_MESSAGE.ends_with('\u{2026}'));
        assert_eq!(APPLY_PROGRESS_MESSAGE, "applying docker compose…");
    }
}
