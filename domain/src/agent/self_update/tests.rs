use proptest::prelude::*;

use super::*;

const MANIFEST: &str = "name: distr
services:
  agent:
    network_mode: host
    restart: unless-stopped
    image: 'ghcr.io/example/docker-agent:2.7.1'
    environment:
      DISTR_TARGET_ID: '0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b'
      DISTR_TARGET_SECRET: ''
      DISTR_INTERVAL: '5s'
      DISTR_AGENT_SCRATCH_DIR: /scratch
      HOST_DOCKER_CONFIG_DIR: ${HOST_DOCKER_CONFIG_DIR-${HOME}/.docker}
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
      - scratch:/scratch
      - ${HOST_DOCKER_CONFIG_DIR-${HOME}/.docker}:/root/.docker:ro
volumes:
  scratch:
";

fn env_of(yaml: &str) -> Map<String, Value> {
    let mut root = parse_root(yaml).unwrap();
    environment_mut(&mut root).unwrap().clone()
}

#[test]
fn only_the_secret_line_changes() {
    let patched = patch_update_manifest(MANIFEST, "0123456789abcdef0123456789abcdef").unwrap();
    assert_eq!(
        patched,
        MANIFEST.replace(
            "DISTR_TARGET_SECRET: ''",
            "DISTR_TARGET_SECRET: '0123456789abcdef0123456789abcdef'"
        )
    );
}

#[test]
fn a_manifest_without_the_key_gets_it_added() {
    let manifest = "services:\n  agent:\n    image: x\n    environment:\n      A: '${B}'\n";
    let patched = patch_update_manifest(manifest, "s3cret").unwrap();
    let env = env_of(&patched);
    assert_eq!(env.get("A"), Some(&Value::String("${B}".to_owned())));
    assert_eq!(
        env.get(SECRET_KEY),
        Some(&Value::String("s3cret".to_owned()))
    );
}

#[test]
fn dollars_in_the_secret_are_escaped_for_compose() {
    let patched = patch_update_manifest(MANIFEST, "a$b").unwrap();
    assert_eq!(
        env_of(&patched).get(SECRET_KEY),
        Some(&Value::String("a$$b".to_owned()))
    );
}

#[test]
fn a_bad_structure_is_named() {
    let cases = [
        ("services: []\n", "services is not an object"),
        ("name: x\n", "services is not an object"),
        ("services:\n  agent: 3\n", "agent is not an object"),
        (
            "services:\n  agent:\n    environment:\n      - A=1\n",
            "environment is not an object",
        ),
        ("- 1\n", "manifest is not an object"),
    ];
    for (yaml, message) in cases {
        assert_eq!(
            patch_update_manifest(yaml, "topsecret")
                .unwrap_err()
                .to_string(),
            message,
            "{yaml}"
        );
    }
    let err = patch_update_manifest("services: [\n", "topsecret")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("invalid manifest YAML"), "{err}");
    assert!(!err.contains("topsecret"));
}

#[test]
fn the_agent_image_is_read_from_the_manifest() {
    assert_eq!(
        manifest_agent_image(MANIFEST).unwrap(),
        "ghcr.io/example/docker-agent:2.7.1"
    );
    assert_eq!(
        manifest_agent_image("services:\n  agent: {}\n")
            .unwrap_err()
            .to_string(),
        "image is not a string"
    );
    assert_eq!(
        manifest_agent_image("services: 1\n")
            .unwrap_err()
            .to_string(),
        "services is not an object"
    );
}

proptest! {
    #[test]
    fn patching_changes_only_the_secret_key(secret in any::<String>()) {
        let patched = patch_update_manifest(MANIFEST, &secret).unwrap();
        let mut expected = parse_root(MANIFEST).unwrap();
        environment_mut(&mut expected)
            .unwrap()
            .insert(SECRET_KEY.to_owned(), Value::String(secret.replace('$', "$$")));
        prop_assert_eq!(parse_root(&patched).unwrap(), expected);
        let changed: Vec<(&str, &str)> = MANIFEST
            .lines()
            .zip(patched.lines())
            .filter(|(a, b)| a != b)
            .collect();
        prop_assert_eq!(patched.lines().count(), MANIFEST.lines().count());
        prop_assert!(changed.len() <= 1);
        for (_, line) in changed {
            prop_assert!(line.trim_start().starts_with("DISTR_TARGET_SECRET:"));
        }
    }
}
