use proptest::prelude::*;

use super::*;

#[test]
fn release_names_follow_the_pattern() {
    for good in ["a", "web", "my-app-2", "0", &"a".repeat(53)] {
        assert!(ReleaseName::parse(good).is_ok(), "{good}");
    }
    for bad in [
        "",
        "-a",
        "a-",
        "My-App",
        "a_b",
        "a.b",
        " a",
        &"a".repeat(54),
    ] {
        let err = ReleaseName::parse(bad).expect_err(bad);
        assert_eq!(err.field, "releaseName");
    }
}

#[test]
fn namespaces_are_dns_1123_labels_of_at_most_63() {
    assert!(Namespace::parse(&"n".repeat(63)).is_ok());
    assert!(Namespace::parse(&"n".repeat(64)).is_err());
    assert!(Namespace::parse("kube-system").is_ok());
    assert!(Namespace::parse("Default").is_err());
    assert_eq!(Namespace::parse("x-").unwrap_err().field, "namespace");
}

#[test]
fn slugs_may_end_with_a_dash_and_hold_64_characters() {
    assert!(Slug::parse("acme-").is_ok());
    assert!(Slug::parse(&"a".repeat(64)).is_ok());
    assert!(Slug::parse(&"a".repeat(65)).is_err());
    assert!(Slug::parse("-acme").is_err());
    assert!(Slug::parse("").is_err());
    assert!(Slug::parse("ACME").is_err());
}

#[test]
fn names_round_trip_through_serde() {
    let name: ReleaseName = serde_json::from_str("\"web\"").unwrap();
    assert_eq!(name.as_str(), "web");
    assert_eq!(serde_json::to_string(&name).unwrap(), "\"web\"");
    assert!(serde_json::from_str::<ReleaseName>("\"Web\"").is_err());
}

#[test]
fn application_names_are_slugified() {
    assert_eq!(slugify_release_name("My Shop").as_str(), "my-shop");
    assert_eq!(
        slugify_release_name("  --Hello__World!!  ").as_str(),
        "hello-world"
    );
    assert_eq!(slugify_release_name("Ünïcödé App").as_str(), "n-c-d-app");
    assert_eq!(slugify_release_name("").as_str(), "app");
    assert_eq!(slugify_release_name("!!!").as_str(), "app");
    assert_eq!(
        slugify_release_name(&"x".repeat(80)).as_str(),
        "x".repeat(53)
    );
    assert_eq!(
        slugify_release_name(&format!("{}-tail", "y".repeat(52))).as_str(),
        "y".repeat(52)
    );
}

#[test]
fn env_files_need_key_equals_on_every_content_line() {
    assert_eq!(
        check_env_file("A=1\n\n# comment\n  B = two\nexport C=3\nD=\n"),
        Ok(())
    );
    let err = check_env_file("A=1\nhunter2\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "envFileData: line 2 must have the form KEY=value"
    );
    for bad in ["=x", "A B=1", "export", "just text"] {
        assert!(check_env_file(bad).is_err(), "{bad}");
    }
}

proptest! {
    #[test]
    fn env_check_never_panics_and_never_echoes_the_text(text in "\\PC{0,80}") {
        if let Err(err) = check_env_file(&text) {
            let message = err.to_string();
            prop_assert!(message.starts_with("envFileData: line "));
        }
    }

    #[test]
    fn slugified_names_are_always_valid(name in "\\PC{0,120}") {
        let slug = slugify_release_name(&name);
        prop_assert!(ReleaseName::parse(slug.as_str()).is_ok(), "{:?}", slug);
    }

    #[test]
    fn valid_release_names_slugify_to_themselves(name in "[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?") {
        prop_assume!(!name.contains("--"));
        let slug = slugify_release_name(&name);
        prop_assert_eq!(slug.as_str(), name.as_str());
    }

    #[test]
    fn parsers_never_panic(raw in "\\PC{0,80}") {
        let _ = ReleaseName::parse(&raw);
        let _ = Namespace::parse(&raw);
        let _ = Slug::parse(&raw);
    }
}
