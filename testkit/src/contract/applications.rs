//! [`distr_ports::store::ApplicationStore`] cases.

use distr_domain::application::{ChartType, VersionContent};
use distr_domain::ids::{ApplicationId, ApplicationVersionId};
use distr_ports::{Store, StoreError};

use super::seed;
use crate::builders::{ApplicationBuilder, VersionBuilder, at_seconds, fresh_uuid};

/// Applications read back whole, only within their organization.
pub async fn get_application_of_other_organization_is_not_found(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let app = ApplicationBuilder::kubernetes(org.id).name("chart").build();
    store.create_application(&app).await.unwrap();
    assert_eq!(store.get_application(org.id, app.id).await.unwrap(), app);
    assert_eq!(
        store.get_application(other.id, app.id).await.unwrap_err(),
        StoreError::NotFound
    );
    let unknown = ApplicationId::from_uuid(fresh_uuid());
    assert_eq!(
        store.get_application(org.id, unknown).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `list_applications` lists one organization's applications by name.
pub async fn list_applications_is_scoped_and_sorted_by_name(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let web = ApplicationBuilder::docker(org.id).name("web").build();
    let api = ApplicationBuilder::kubernetes(org.id).name("api").build();
    let foreign = ApplicationBuilder::docker(other.id).name("db").build();
    for app in [&web, &api, &foreign] {
        store.create_application(app).await.unwrap();
    }
    assert_eq!(
        store.list_applications(org.id).await.unwrap(),
        vec![api, web]
    );
}

/// `create_version` MUST return `Conflict` when the application has a version with that name.
pub async fn create_version_rejects_duplicate_name_per_application(store: &dyn Store) {
    let org = seed::organization(store).await;
    let (app, first) = seed::docker_app(store, org.id).await;
    let second = VersionBuilder::docker(app.id)
        .name(first.name.as_str())
        .build();
    let err = store.create_version(&second).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(
        store.list_versions(app.id).await.unwrap(),
        vec![first.clone()]
    );
    let other_app = ApplicationBuilder::docker(org.id).name("other").build();
    store.create_application(&other_app).await.unwrap();
    let same_name_elsewhere = VersionBuilder::docker(other_app.id)
        .name(first.name.as_str())
        .build();
    store.create_version(&same_name_elsewhere).await.unwrap();
}

/// `create_version` MUST return `NotFound` when the application does not exist.
pub async fn create_version_of_unknown_application_is_not_found(store: &dyn Store) {
    let version = VersionBuilder::docker(ApplicationId::from_uuid(fresh_uuid())).build();
    assert_eq!(
        store.create_version(&version).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `get_version` MUST return `NotFound` for a version of another organization.
pub async fn get_version_of_other_organization_is_not_found(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let (_, version) = seed::docker_app(store, org.id).await;
    assert_eq!(
        store.get_version(org.id, version.id).await.unwrap(),
        version
    );
    assert_eq!(
        store.get_version(other.id, version.id).await.unwrap_err(),
        StoreError::NotFound
    );
    let unknown = ApplicationVersionId::from_uuid(fresh_uuid());
    assert_eq!(
        store.get_version(org.id, unknown).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `get_versions` reads across organizations and MUST leave out unknown ids.
pub async fn get_versions_leaves_out_unknown_ids(store: &dyn Store) {
    let a = seed::organization(store).await;
    let b = seed::organization(store).await;
    let (_, va) = seed::docker_app(store, a.id).await;
    let (_, vb) = seed::docker_app(store, b.id).await;
    let unknown = ApplicationVersionId::from_uuid(fresh_uuid());
    let mut found = store.get_versions(&[va.id, unknown, vb.id]).await.unwrap();
    found.sort_by_key(|v| v.id);
    let mut expected = vec![va, vb];
    expected.sort_by_key(|v| v.id);
    assert_eq!(found, expected);
    assert!(store.get_versions(&[]).await.unwrap().is_empty());
}

/// `list_versions` lists oldest first.
pub async fn list_versions_is_oldest_first(store: &dyn Store) {
    let org = seed::organization(store).await;
    let app = ApplicationBuilder::docker(org.id).build();
    store.create_application(&app).await.unwrap();
    let v2 = VersionBuilder::docker(app.id)
        .name("2.0.0")
        .created_at(at_seconds(20))
        .build();
    let v1 = VersionBuilder::docker(app.id)
        .name("1.0.0")
        .created_at(at_seconds(10))
        .build();
    let v3 = VersionBuilder::docker(app.id)
        .name("3.0.0")
        .created_at(at_seconds(30))
        .archived_at(at_seconds(40))
        .build();
    for version in [&v2, &v1, &v3] {
        store.create_version(version).await.unwrap();
    }
    assert_eq!(store.list_versions(app.id).await.unwrap(), vec![v1, v2, v3]);
}

/// Files and chart references of both platforms read back verbatim.
pub async fn version_content_round_trips(store: &dyn Store) {
    let org = seed::organization(store).await;
    let docker = ApplicationBuilder::docker(org.id).build();
    let helm = ApplicationBuilder::kubernetes(org.id).name("chart").build();
    store.create_application(&docker).await.unwrap();
    store.create_application(&helm).await.unwrap();
    let compose = VersionBuilder::docker(docker.id)
        .content(VersionContent::Docker {
            compose_file: "services:\n  db:\n    image: postgres:15\n".to_owned(),
            template_file: Some("PASSWORD={{ .Secrets.DB }}\n".to_owned()),
        })
        .build();
    let chart = VersionBuilder::helm(helm.id)
        .content(VersionContent::Kubernetes {
            chart_type: ChartType::Oci,
            chart_url: "oci://registry.example.com/charts/app".to_owned(),
            chart_name: None,
            chart_version: "0.4.2".to_owned(),
            values_file: Some("replicas: 2\n".to_owned()),
            template_file: Some("image: {{ .Values.image }}\n".to_owned()),
        })
        .build();
    store.create_version(&compose).await.unwrap();
    store.create_version(&chart).await.unwrap();
    assert_eq!(
        store.get_version(org.id, compose.id).await.unwrap(),
        compose
    );
    assert_eq!(store.get_version(org.id, chart.id).await.unwrap(), chart);
}

/// `update_application` renames; `NotFound` for another organization.
pub async fn update_application_renames_within_organization(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let (app, _) = seed::docker_app(store, org.id).await;
    let mut renamed = app.clone();
    renamed.name = crate::builders::name("renamed");
    store.update_application(&renamed).await.unwrap();
    assert_eq!(
        store.get_application(org.id, app.id).await.unwrap(),
        renamed
    );
    let mut foreign = renamed.clone();
    foreign.organization_id = other.id;
    foreign.name = crate::builders::name("stolen");
    assert_eq!(
        store.update_application(&foreign).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `delete_application` MUST return `InUse` while deployed, and deletes its versions otherwise.
pub async fn delete_application_in_use_conflicts_otherwise_cascades_versions(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let org = seeded.org.id;
    let err = store
        .delete_application(org, seeded.app.id)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InUse(_)), "{err:?}");
    assert!(store.get_version(org, seeded.version.id).await.is_ok());
    let other = seed::organization(store).await;
    let (free, version) = seed::docker_app(store, org).await;
    assert_eq!(
        store
            .delete_application(other.id, free.id)
            .await
            .unwrap_err(),
        StoreError::NotFound
    );
    store.delete_application(org, free.id).await.unwrap();
    assert_eq!(
        store.get_application(org, free.id).await.unwrap_err(),
        StoreError::NotFound
    );
    assert_eq!(
        store.get_version(org, version.id).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `update_version` changes only name and archive time; `Conflict` on a taken name.
pub async fn update_version_changes_name_and_archive_only(store: &dyn Store) {
    let org = seed::organization(store).await;
    let other = seed::organization(store).await;
    let (app, first) = seed::docker_app(store, org.id).await;
    let second = VersionBuilder::docker(app.id).name("2.0.0").build();
    store.create_version(&second).await.unwrap();
    let mut changed = first.clone();
    changed.name = crate::builders::name("1.0.1");
    changed.archived_at = Some(at_seconds(9));
    let mut update = changed.clone();
    update.content = second.content.clone();
    update.created_at = at_seconds(1);
    store.update_version(org.id, &update).await.unwrap();
    assert_eq!(store.get_version(org.id, first.id).await.unwrap(), changed);
    let mut taken = changed.clone();
    taken.name = second.name.clone();
    let err = store.update_version(org.id, &taken).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(
        store.update_version(other.id, &changed).await.unwrap_err(),
        StoreError::NotFound
    );
}

/// `delete_version` MUST return `InUse` while a revision references it.
pub async fn delete_version_referenced_by_revision_is_in_use(store: &dyn Store) {
    let seeded = seed::deployment(store).await;
    let org = seeded.org.id;
    let err = store
        .delete_version(org, seeded.version.id)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InUse(_)), "{err:?}");
    let unused = VersionBuilder::docker(seeded.app.id).name("9.9.9").build();
    store.create_version(&unused).await.unwrap();
    let other = seed::organization(store).await;
    assert_eq!(
        store.delete_version(other.id, unused.id).await.unwrap_err(),
        StoreError::NotFound
    );
    store.delete_version(org, unused.id).await.unwrap();
    assert_eq!(
        store.get_version(org, unused.id).await.unwrap_err(),
        StoreError::NotFound
    );
}
