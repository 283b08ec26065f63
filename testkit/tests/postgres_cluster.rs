//! The throwaway PostgreSQL cluster starts, hands out fresh databases and accepts connections.

use std::net::TcpStream;
use std::process::Command;

use distr_testkit::postgres::PgCluster;

#[tokio::test]
async fn cluster_starts_once_and_creates_distinct_databases() {
    let cluster = PgCluster::shared().expect("cluster starts");
    let again = PgCluster::shared().expect("cluster is shared");
    assert!(std::ptr::eq(cluster, again), "one cluster per process");

    let first = cluster.create_database().await.expect("first database");
    let second = cluster.create_database().await.expect("second database");
    assert_ne!(first, second);
    assert!(first.starts_with("postgres://"), "{first}");

    if let Some(port) = cluster.port() {
        TcpStream::connect(("127.0.0.1", port)).expect("server accepts TCP connections");
    }
    for url in [&first, &second] {
        let output = Command::new("psql")
            .args([url.as_str(), "-tAc", "select current_database()"])
            .output();
        let Ok(output) = output else { continue }; // psql is optional; the TCP check above is the contract
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let name = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        let without_query = url.split('?').next().unwrap_or_default();
        assert!(
            without_query.ends_with(&format!("/{name}")),
            "{url} vs {name}"
        );
    }
}

#[tokio::test]
async fn databases_copy_a_template_and_drop() {
    let cluster = PgCluster::shared().expect("cluster starts");
    let template = format!("tpl_{}", std::process::id());
    let template_url = cluster
        .create_named_database(&template)
        .await
        .expect("template");
    let created = Command::new("psql")
        .args([
            template_url.as_str(),
            "-q",
            "-c",
            "create table marker (id int)",
        ])
        .status();
    let copy = cluster
        .create_database_from_template(&template)
        .await
        .expect("copy");
    if created.is_ok_and(|s| s.success()) {
        let output = Command::new("psql")
            .args([copy.as_str(), "-tAc", "select count(*) from marker"])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&output.stdout).trim(),
            "0",
            "table copied from the template"
        );
    }
    let copy_name = copy
        .split('?')
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    cluster.drop_database(&copy_name).await.expect("drop copy");
    cluster
        .drop_database(&template)
        .await
        .expect("drop template");
    cluster
        .drop_database(&template)
        .await
        .expect("dropping a missing database is fine");
}
