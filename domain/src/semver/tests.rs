use std::cmp::Ordering;

use proptest::prelude::*;

use super::*;

fn semver(major: u64, minor: u64, patch: u64, pre: Option<&str>) -> AgentVersionName {
    AgentVersionName::Semver {
        major,
        minor,
        patch,
        pre: pre.map(str::to_owned),
    }
}

#[test]
fn names_parse_with_and_without_v() {
    assert_eq!(parse_agent_version("2.7.1"), Some(semver(2, 7, 1, None)));
    assert_eq!(parse_agent_version("v1.12.0"), Some(semver(1, 12, 0, None)));
    assert_eq!(
        parse_agent_version("1.6.0-rc.1+build.5"),
        Some(semver(1, 6, 0, Some("rc.1")))
    );
    assert_eq!(
        parse_agent_version("snapshot"),
        Some(AgentVersionName::Snapshot)
    );
}

#[test]
fn malformed_names_do_not_parse() {
    for bad in [
        "",
        "1",
        "1.2",
        "1.2.3.4",
        "01.2.3",
        "1.2.x",
        "1.2.3-",
        "1.2.3-01",
        "1.2.3+",
        "latest",
        "Snapshot",
        "vv1.2.3",
        "1.2.3-a..b",
    ] {
        assert_eq!(parse_agent_version(bad), None, "{bad}");
    }
}

#[test]
fn version_gates_follow_the_spec() {
    assert!(version_at_least("1.6.0", 1, 6, 0));
    assert!(version_at_least("2.7.1", 1, 6, 0));
    assert!(!version_at_least("1.5.9", 1, 6, 0));
    assert!(version_at_least("snapshot", 99, 0, 0));
    assert!(!version_at_least("garbage", 0, 0, 0));
    assert!(!version_at_least("1.6.0-rc.1", 1, 6, 0));
    assert!(version_at_least("1.7.0-rc.1", 1, 6, 0));
    assert!(version_at_least("v1.12.0", 1, 12, 0));
}

#[test]
fn latest_prefers_snapshot_then_semver_then_unparsable() {
    let mut names = vec![
        "1.10.0",
        "snapshot",
        "junk",
        "1.9.0",
        "1.10.0-rc.1",
        "2.0.0",
    ];
    names.sort_by(|a, b| compare_agent_versions(a, b));
    assert_eq!(
        names,
        [
            "junk",
            "1.9.0",
            "1.10.0-rc.1",
            "1.10.0",
            "2.0.0",
            "snapshot"
        ]
    );
}

#[test]
fn pre_release_precedence_follows_semver() {
    let ordered = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
    ];
    for pair in ordered.windows(2) {
        assert_eq!(
            compare_agent_versions(pair[0], pair[1]),
            Ordering::Less,
            "{pair:?}"
        );
    }
}

proptest! {
    #[test]
    fn parse_never_panics(name in "\\PC{0,30}") {
        let _ = parse_agent_version(&name);
        let _ = version_at_least(&name, 1, 6, 0);
    }

    #[test]
    fn rendered_versions_round_trip(major in 0u64..1000, minor in 0u64..1000, patch in 0u64..1000, pre in proptest::option::of("[a-z]{1,5}(\\.[1-9][0-9]{0,2})?")) {
        let text = match &pre {
            Some(p) => format!("{major}.{minor}.{patch}-{p}"),
            None => format!("{major}.{minor}.{patch}"),
        };
        prop_assert_eq!(parse_agent_version(&text), Some(semver(major, minor, patch, pre.as_deref())));
        prop_assert_eq!(version_at_least(&text, major, minor, patch), pre.is_none());
    }

    #[test]
    fn ordering_is_antisymmetric_and_equal_only_for_identical_names(a in "(snapshot|v?[0-9]\\.[0-9]{1,2}\\.[0-9](-[a-z0-9.]{1,4})?|[a-z]{0,3})", b in "(snapshot|v?[0-9]\\.[0-9]{1,2}\\.[0-9](-[a-z0-9.]{1,4})?|[a-z]{0,3})") {
        prop_assert_eq!(compare_agent_versions(&a, &b), compare_agent_versions(&b, &a).reverse());
        prop_assert_eq!(compare_agent_versions(&a, &b) == Ordering::Equal, a == b);
    }

    #[test]
    fn ordering_is_transitive(mut names in prop::collection::vec("(snapshot|[0-9]\\.[0-9]\\.[0-9](-[a-z0-9.]{1,4})?|[a-z]{0,2})", 3)) {
        names.sort_by(|a, b| compare_agent_versions(a, b));
        prop_assert_ne!(compare_agent_versions(&names[0], &names[1]), Ordering::Greater);
        prop_assert_ne!(compare_agent_versions(&names[1], &names[2]), Ordering::Greater);
        prop_assert_ne!(compare_agent_versions(&names[0], &names[2]), Ordering::Greater);
    }
}
