//! The real `kube` HTTP stack (hyper, rustls with ring initialised) against
//! a loopback plain-HTTP server: the client builds and the request leaves
//! in the expected shape.

use distr_kube::KubeCluster;
use distr_ports::agent::HelmStateStore;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::support::fixture;

#[tokio::test]
async fn a_client_built_from_a_config_talks_http_to_the_api_server() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let body = fixture("secret-list-state.json");
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut chunk = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let read = socket.read(&mut chunk).await.unwrap();
            assert!(read > 0, "connection closed before the request head ended");
            head.extend_from_slice(&chunk[..read]);
        }
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(response.as_bytes()).await.unwrap();
        String::from_utf8(head).unwrap()
    });
    let config = kube::Config::new(format!("http://{address}").parse().unwrap());
    let client = kube::Client::try_from(config).unwrap();
    let records = KubeCluster::new(client).list("apps").await.unwrap();
    let names: Vec<&str> = records.iter().map(|r| r.release_name.as_str()).collect();
    assert_eq!(names, vec!["web", "legacy"]);
    let head = server.await.unwrap();
    let request_line = head.lines().next().unwrap_or_default();
    let (path, query) = request_line
        .strip_prefix("GET ")
        .and_then(|rest| rest.strip_suffix(" HTTP/1.1"))
        .and_then(|target| target.split_once('?'))
        .unwrap_or_else(|| panic!("{head}"));
    assert_eq!(path, "/api/v1/namespaces/apps/secrets");
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(
        pairs,
        vec![(
            "labelSelector".to_owned(),
            "agent.distr.sh/deployment".to_owned()
        )]
    );
}
