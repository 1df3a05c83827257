//! Scan jobs against registries on 127.0.0.1 (tiny HTTP servers serving the static-nonroot
//! fixture), on each store backend: a registry listed exactly is pulled from, blob redirects
//! to a listed host are followed, and a redirect or token realm pointing at a loopback port
//! nobody listed is refused when the connection is made — the job fails for good, naming the
//! host and address, and the target never sees a connection.

mod common;

use common::*;
use dockguard_server::RegistryRules;
use dockguard_testkit::http_stub::{stub, Stub};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The fixture's manifest (digest, bytes).
fn manifest(layout: &Path) -> (String, Vec<u8>) {
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    let digest = index["manifests"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let hex = digest.strip_prefix("sha256:").unwrap();
    let bytes = std::fs::read(layout.join("blobs/sha256").join(hex)).unwrap();
    (digest, bytes)
}

/// A blob of the layout by the last path segment (`sha256:…` or the bare hex).
fn blob(layout: &Path, path: &str) -> Option<Vec<u8>> {
    let last = path.rsplit('/').next()?;
    let hex = last.strip_prefix("sha256:").unwrap_or(last);
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    std::fs::read(layout.join("blobs/sha256").join(hex)).ok()
}

/// A registry serving `layout` as `dg/app:1.0.0`; blob requests are redirected to
/// `127.0.0.1:cdn` when given.
fn registry(layout: PathBuf, cdn: Option<u16>) -> Stub {
    let (_, manifest) = manifest(&layout);
    stub(move |path| {
        if path.starts_with("/v2/dg/app/manifests/") {
            let ct = "Content-Type: application/vnd.oci.image.manifest.v1+json".to_string();
            return (200, vec![ct], manifest.clone());
        }
        if path.starts_with("/v2/dg/app/blobs/") {
            if let Some(port) = cdn {
                let digest = path.rsplit('/').next().unwrap_or("");
                let to = format!("Location: http://127.0.0.1:{port}/cdn/{digest}");
                return (307, vec![to], vec![]);
            }
            if let Some(b) = blob(&layout, path) {
                return (200, vec![], b);
            }
        }
        (404, vec![], b"{}".to_vec())
    })
}

fn cdn(layout: PathBuf) -> Stub {
    stub(move |path| match blob(&layout, path) {
        Some(b) => (200, vec![], b),
        None => (404, vec![], vec![]),
    })
}

fn scan(server: &Running, target: &str) -> serde_json::Value {
    let (s, v) = server.post(
        "/v1/scans",
        serde_json::json!({ "target": target, "scanners": ["config"] })
            .to_string()
            .as_bytes(),
    );
    assert_eq!(s, 202, "{target}: {v}");
    server.wait_job(v["id"].as_str().unwrap(), Duration::from_secs(120))
}

#[test]
fn listed_loopback_registries_and_their_listed_redirect_targets_are_pulled_from() {
    let Some(layout) = fixture_path("images/static-nonroot") else {
        return;
    };
    let Some(db) = vulndb(&[]) else { return };
    let (digest, _) = manifest(&layout);
    for store in stores() {
        // Direct.
        let reg = registry(layout.clone(), None);
        let mut cfg = config(db.path());
        cfg.registries = RegistryRules::parse(&format!("127.0.0.1:{}", reg.port)).unwrap();
        let server = Running::start(&store, cfg);
        let job = scan(&server, &format!("127.0.0.1:{}/dg/app:1.0.0", reg.port));
        assert_eq!(job["status"], "done", "{}: {job}", store.name);
        assert_eq!(job["artifact"], digest.as_str(), "{job}");
        drop(server);

        // Blobs from a second loopback host, listed too.
        let cdn = cdn(layout.clone());
        let reg = registry(layout.clone(), Some(cdn.port));
        let mut cfg = config(db.path());
        cfg.registries =
            RegistryRules::parse(&format!("127.0.0.1:{},127.0.0.1:{}", reg.port, cdn.port))
                .unwrap();
        let server = Running::start(&store, cfg);
        let job = scan(&server, &format!("127.0.0.1:{}/dg/app:1.0.0", reg.port));
        assert_eq!(job["status"], "done", "{}: {job}", store.name);
        assert!(!cdn.hits().is_empty());
    }
}

#[test]
fn a_redirect_to_an_unlisted_loopback_port_is_refused_at_connect_time() {
    let Some(layout) = fixture_path("images/static-nonroot") else {
        return;
    };
    let Some(db) = vulndb(&[]) else { return };
    for store in stores() {
        let cdn = cdn(layout.clone());
        let reg = registry(layout.clone(), Some(cdn.port));
        let mut cfg = config(db.path());
        // The registry is listed exactly; where it redirects to is not.
        cfg.registries = RegistryRules::parse(&format!("127.0.0.1:{}", reg.port)).unwrap();
        let server = Running::start(&store, cfg);
        let job = scan(&server, &format!("127.0.0.1:{}/dg/app:1.0.0", reg.port));
        assert_eq!(job["status"], "failed", "{}: {job}", store.name);
        let e = job["error"].as_str().unwrap();
        let want = format!("refused to connect to 127.0.0.1 at 127.0.0.1:{}", cdn.port);
        assert!(
            e.contains(&want) && e.contains("--allowed-registries"),
            "{}: {e}",
            store.name
        );
        // Refused for good: a retry meets the same rules.
        assert_eq!(job["attempts"], 1, "{job}");
        assert_eq!(cdn.hits(), Vec::<String>::new());
        assert!(!reg.hits().is_empty());
    }
}

#[test]
fn a_token_realm_on_an_unlisted_loopback_port_is_refused_at_connect_time() {
    let Some(db) = vulndb(&[]) else { return };
    for store in stores() {
        let realm = stub(|_| (200, vec![], br#"{"token":"t"}"#.to_vec()));
        let realm_port = realm.port;
        let reg = stub(move |_| {
            let challenge = format!(
                "WWW-Authenticate: Bearer realm=\"http://127.0.0.1:{realm_port}/token\",service=\"reg\""
            );
            (401, vec![challenge], b"{}".to_vec())
        });
        let mut cfg = config(db.path());
        cfg.registries = RegistryRules::parse(&format!("127.0.0.1:{}", reg.port)).unwrap();
        let server = Running::start(&store, cfg);
        let job = scan(&server, &format!("127.0.0.1:{}/dg/app:1.0.0", reg.port));
        assert_eq!(job["status"], "failed", "{}: {job}", store.name);
        let e = job["error"].as_str().unwrap();
        let want = format!("refused to connect to 127.0.0.1 at 127.0.0.1:{realm_port}");
        assert!(
            e.contains(&want) && e.contains("internal address"),
            "{}: {e}",
            store.name
        );
        assert_eq!(job["attempts"], 1, "{job}");
        assert_eq!(realm.hits(), Vec::<String>::new());
        assert_eq!(reg.hits().len(), 1, "{:?}", reg.hits());
    }
}
