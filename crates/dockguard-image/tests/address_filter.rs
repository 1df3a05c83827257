//! The registry client's connect-time address filter against tiny local HTTP servers: the
//! token realm and every redirect hop meet the filter, a refused address is never connected
//! to, refusals are not retried, redirect chains are capped, and without a filter the client
//! behaves as before.

use dockguard_image::registry::{AddressFilter, Client, Reference, MAX_REDIRECTS};
use dockguard_image::{Digest, RegistryOptions};
use dockguard_testkit::http_stub::stub;
use sha2::{Digest as _, Sha256};
use std::io::Read;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// The (host, address) pairs a filter was asked about.
type Asked = Arc<Mutex<Vec<(String, SocketAddr)>>>;

/// A filter allowing loopback on `ports` only, and what it was asked.
fn only_ports(ports: &[u16]) -> (AddressFilter, Asked) {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = asked.clone();
    let ports = ports.to_vec();
    let filter = AddressFilter::new(move |host, addr| {
        log.lock().unwrap().push((host.to_string(), addr));
        if ports.contains(&addr.port()) {
            Ok(())
        } else {
            Err("not on the test's list".into())
        }
    });
    (filter, asked)
}

fn client(registry: &str, filter: Option<AddressFilter>) -> Client {
    let opts = RegistryOptions {
        address_filter: filter,
        // No Docker config of the machine running the tests.
        docker_config: Some(std::env::temp_dir().join("dockguard-no-docker-config")),
        ..RegistryOptions::default()
    };
    Client::new(
        Reference::parse(&format!("{registry}/app:1")).unwrap(),
        &opts,
    )
    .unwrap()
}

fn digest_of(bytes: &[u8]) -> Digest {
    let hex: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Digest::parse(&format!("sha256:{hex}")).unwrap()
}

#[test]
fn a_token_realm_on_a_refused_address_is_never_contacted() {
    let realm = stub(|_| (200, vec![], br#"{"token":"t0k"}"#.to_vec()));
    let realm_port = realm.port;
    let registry = stub(move |_| {
        (
            401,
            vec![format!(
                "WWW-Authenticate: Bearer realm=\"http://127.0.0.1:{realm_port}/token\",service=\"reg\""
            )],
            b"{}".to_vec(),
        )
    });
    let (filter, asked) = only_ports(&[registry.port]);
    let c = client(&format!("127.0.0.1:{}", registry.port), Some(filter));
    let err = c.manifest("1", 1 << 20).unwrap_err().to_string();
    let want = format!(
        "refused to connect to 127.0.0.1 at 127.0.0.1:{realm_port}: not on the test's list"
    );
    assert!(err.contains(&want), "{err}");
    assert!(err.contains("/token"), "{err}");
    assert_eq!(realm.hits(), Vec::<String>::new());
    // The refusal is final: one challenge, no retries.
    assert_eq!(registry.hits().len(), 1, "{:?}", registry.hits());
    assert!(asked
        .lock()
        .unwrap()
        .iter()
        .any(|(h, a)| h == "127.0.0.1" && a.port() == realm_port));

    // Without a filter the client follows the realm, as the CLI always has.
    let c = client(&format!("127.0.0.1:{}", registry.port), None);
    let err = c.manifest("1", 1 << 20).unwrap_err().to_string();
    assert!(err.contains("denied"), "{err}");
    assert_eq!(realm.hits().len(), 1, "{:?}", realm.hits());
}

#[test]
fn every_redirect_hop_meets_the_filter() {
    let blob = b"layer bytes from the CDN".to_vec();
    let digest = digest_of(&blob);
    let served = blob.clone();
    let cdn = stub(move |_| (200, vec![], served.clone()));
    let cdn_port = cdn.port;
    let registry = stub(move |path| {
        if path.contains("/blobs/") {
            (
                307,
                vec![format!("Location: http://127.0.0.1:{cdn_port}/cdn/blob")],
                vec![],
            )
        } else {
            (404, vec![], vec![])
        }
    });
    let reg = format!("127.0.0.1:{}", registry.port);

    let (filter, _) = only_ports(&[registry.port]);
    let c = client(&reg, Some(filter.clone()));
    let err = c.blob(&digest, 1 << 20).unwrap_err().to_string();
    assert!(
        err.contains(&format!(
            "refused to connect to 127.0.0.1 at 127.0.0.1:{cdn_port}"
        )),
        "{err}"
    );
    // The stream path (layers) too.
    let err = c.open_blob(&digest).err().unwrap().to_string();
    assert!(err.contains(&format!("127.0.0.1:{cdn_port}")), "{err}");
    assert_eq!(cdn.hits(), Vec::<String>::new());
    assert_eq!(registry.hits().len(), 2, "{:?}", registry.hits());

    // Allowed hops are followed: registries send blob downloads elsewhere.
    let (filter, asked) = only_ports(&[registry.port, cdn_port]);
    let c = client(&reg, Some(filter));
    assert_eq!(c.blob(&digest, 1 << 20).unwrap(), blob);
    let mut streamed = Vec::new();
    c.open_blob(&digest)
        .unwrap()
        .read_to_end(&mut streamed)
        .unwrap();
    assert_eq!(streamed, blob);
    let ports: Vec<u16> = asked
        .lock()
        .unwrap()
        .iter()
        .map(|(_, a)| a.port())
        .collect();
    assert!(
        ports.contains(&registry.port) && ports.contains(&cdn_port),
        "{ports:?}"
    );
    assert_eq!(cdn.hits().len(), 2);
}

#[test]
fn redirect_chains_are_capped() {
    let registry = stub(|path| {
        let n: u32 = path
            .rsplit('/')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        (307, vec![format!("Location: /hop/{}", n + 1)], vec![])
    });
    let digest = digest_of(b"x");
    let c = client(&format!("127.0.0.1:{}", registry.port), None);
    let err = c.blob(&digest, 1 << 20).unwrap_err().to_string();
    assert!(err.to_lowercase().contains("redirect"), "{err}");
    // The first request and MAX_REDIRECTS hops, once: a loop is not retried.
    assert_eq!(
        registry.hits().len() as u32,
        MAX_REDIRECTS + 1,
        "{:?}",
        registry.hits()
    );
}

#[test]
fn the_filter_sees_the_name_and_each_address_it_resolved_to() {
    let registry = stub(|_| (404, vec![], vec![]));
    let (filter, asked) = only_ports(&[]);
    let c = client(&format!("localhost:{}", registry.port), Some(filter));
    let err = c.manifest("1", 1 << 20).unwrap_err().to_string();
    assert!(err.contains("refused to connect to localhost at "), "{err}");
    let asked = asked.lock().unwrap();
    assert!(!asked.is_empty());
    assert!(asked
        .iter()
        .all(|(h, a)| h == "localhost" && a.ip().is_loopback() && a.port() == registry.port));
    assert_eq!(registry.hits(), Vec::<String>::new());
}

#[test]
fn options_debug_does_not_print_the_filter() {
    let opts = RegistryOptions {
        address_filter: Some(AddressFilter::new(|_, _| Ok(()))),
        ..RegistryOptions::default()
    };
    assert!(format!("{opts:?}").contains("address_filter: Some(AddressFilter(..))"));
}
