use std::os::unix::fs::PermissionsExt;

use distr_domain::deployment::DockerType;
use distr_domain::ids::RevisionId;
use uuid::Uuid;

use super::*;

const UPSTREAM: &str = r#"{"id":"0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b","revisionId":"0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6c","projectName":"distr-0190a3b4","docker_type":"swarm","logsEnabled":true}"#;

fn record(project: &str) -> DockerRecord {
    DockerRecord {
        id: DeploymentId::from_uuid(Uuid::now_v7()),
        revision_id: RevisionId::from_uuid(Uuid::now_v7()),
        project_name: project.to_owned(),
        docker_type: DockerType::Compose,
        logs_enabled: false,
    }
}

#[tokio::test]
async fn missing_directory_lists_as_empty() {
    let scratch = tempfile::tempdir().unwrap();
    let store = FileStateStore::new(scratch.path());
    assert_eq!(store.list().await.unwrap(), Vec::new());
}

#[tokio::test]
async fn put_writes_upstream_json_at_the_upstream_path_in_a_0700_dir() {
    let scratch = tempfile::tempdir().unwrap();
    let store = FileStateStore::new(scratch.path());
    let record: DockerRecord = serde_json::from_str(UPSTREAM).unwrap();
    store.put(&record).await.unwrap();
    let path = scratch
        .path()
        .join("deployments/0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), UPSTREAM);
    let mode = std::fs::metadata(scratch.path().join("deployments"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700);
    assert_eq!(store.list().await.unwrap(), vec![record]);
}

#[tokio::test]
async fn distr_27_file_without_docker_type_is_listed_as_compose() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("deployments");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b"),
        r#"{"id":"0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b","revisionId":"0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6c","projectName":"old"}"#,
    )
    .unwrap();
    let listed = FileStateStore::new(scratch.path()).list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].project_name, "old");
    assert_eq!(listed[0].docker_type, DockerType::Compose);
}

#[tokio::test]
async fn put_replaces_and_delete_removes_and_ignores_missing() {
    let scratch = tempfile::tempdir().unwrap();
    let store = FileStateStore::new(scratch.path());
    let mut first = record("p1");
    store.put(&first).await.unwrap();
    first.project_name = "p2".into();
    store.put(&first).await.unwrap();
    let second = record("q");
    store.put(&second).await.unwrap();
    let listed = store.list().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&first));
    store.delete(first.id).await.unwrap();
    store.delete(first.id).await.unwrap();
    assert_eq!(store.list().await.unwrap(), vec![second]);
}

#[tokio::test]
async fn corrupt_file_is_an_error_not_an_empty_list() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("deployments");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("broken"), "{not json").unwrap();
    let err = FileStateStore::new(scratch.path())
        .list()
        .await
        .unwrap_err();
    assert!(matches!(err, StateError::Corrupt { .. }), "{err:?}");
}

#[tokio::test]
async fn unreadable_directory_is_an_error() {
    let scratch = tempfile::tempdir().unwrap();
    // A file where the directory should be cannot be listed.
    std::fs::write(scratch.path().join("deployments"), "").unwrap();
    let err = FileStateStore::new(scratch.path())
        .list()
        .await
        .unwrap_err();
    assert!(matches!(err, StateError::Io(_)), "{err:?}");
}

#[tokio::test]
async fn leftover_temp_files_are_not_records() {
    let scratch = tempfile::tempdir().unwrap();
    let store = FileStateStore::new(scratch.path());
    let kept = record("p");
    store.put(&kept).await.unwrap();
    std::fs::write(store.dir().join(".x.tmp"), "{half").unwrap();
    assert_eq!(store.list().await.unwrap(), vec![kept]);
}
