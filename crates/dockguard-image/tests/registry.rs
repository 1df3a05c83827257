//! `registry:` against Debian's `docker-registry` on 127.0.0.1, fed by `skopeo copy`.
//! Skipped when either tool is missing, except under CI=true.

use base64::Engine as _;
use dockguard_image::{open, OpenOptions, RegistryOptions, ScanOptions};
use dockguard_testkit::registry::{LocalRegistry, RegistryConfig};
use dockguard_testkit::require_fixture;

#[test]
fn anonymous_registry_and_platforms() {
    if !LocalRegistry::tools_present() {
        return;
    }
    let app = require_fixture!("images/static-nonroot");
    let multi = require_fixture!("images/multiarch-index");
    let reg = LocalRegistry::start(&RegistryConfig::default());
    let base = reg.host();
    reg.push_layout(&app, "1.0.0", "dockguard/static-nonroot:1.0.0", false);
    reg.push_layout(&multi, "1.0.0", "dockguard/multiarch:1.0.0", true);

    let local = open(
        &format!("oci-dir:{}", app.display()),
        &OpenOptions::default(),
    )
    .unwrap();
    let remote = open(
        &format!("registry:{base}/dockguard/static-nonroot:1.0.0"),
        &OpenOptions::default(),
    )
    .unwrap();
    assert_eq!(remote.manifest_digest, local.manifest_digest);
    assert_eq!(remote.config_digest, local.config_digest);
    let scan = remote.scan(&[], &ScanOptions::default()).unwrap();
    assert_eq!(scan.layers[0].digest, local.layers[0].digest);
    assert!(scan.fs.get("/usr/local/bin/dg-hello").is_some());

    // By digest, too.
    let by_digest = open(
        &format!(
            "registry:{base}/dockguard/static-nonroot@{}",
            local.manifest_digest.as_ref().unwrap()
        ),
        &OpenOptions::default(),
    )
    .unwrap();
    assert_eq!(by_digest.config_digest, local.config_digest);

    let arm = open(
        &format!("registry:{base}/dockguard/multiarch:1.0.0"),
        &OpenOptions {
            platform: Some("linux/arm64".parse().unwrap()),
            ..OpenOptions::default()
        },
    )
    .unwrap();
    assert_eq!(
        arm.manifest_digest.as_ref().unwrap().as_str(),
        "sha256:7edc387ebbba8721611e30427eb1f34218a750757c5172e6ff6ee4853ab0211d"
    );
    assert_eq!(
        arm.index_digest.as_ref().unwrap().as_str(),
        "sha256:d752218f066a189add464829096407db1995ebd09e837df42c92a6fb1bf2119d"
    );
    arm.scan(&[], &ScanOptions::default()).unwrap();
    let amd = open(
        &format!("registry:{base}/dockguard/multiarch:1.0.0"),
        &OpenOptions {
            platform: Some("linux/amd64".parse().unwrap()),
            ..OpenOptions::default()
        },
    )
    .unwrap();
    assert_eq!(amd.manifest_digest, local.manifest_digest);

    let missing = open(
        &format!("registry:{base}/dockguard/nope:1"),
        &OpenOptions::default(),
    )
    .unwrap_err();
    assert!(missing.to_string().contains("404"), "{missing}");
}

#[test]
fn basic_auth_from_docker_config() {
    if !LocalRegistry::tools_present() {
        return;
    }
    let app = require_fixture!("images/static-nonroot");
    let reg = LocalRegistry::start(&RegistryConfig {
        auth: Some(("dg".into(), "s3cret-pw".into())),
        ..RegistryConfig::default()
    });
    let base = reg.host();
    let src = format!("registry:{base}/dockguard/private:1.0.0");
    reg.push_layout(&app, "1.0.0", "dockguard/private:1.0.0", false);

    let no_creds = tempfile::tempdir().unwrap();
    let anon = RegistryOptions {
        docker_config: Some(no_creds.path().to_path_buf()),
        ..RegistryOptions::default()
    };
    let err = open(
        &src,
        &OpenOptions {
            registry: anon,
            ..OpenOptions::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("--username"), "{err}");

    let cfg = tempfile::tempdir().unwrap();
    let auth = base64::engine::general_purpose::STANDARD.encode("dg:s3cret-pw");
    std::fs::write(
        cfg.path().join("config.json"),
        format!(r#"{{"auths":{{"{base}":{{"auth":"{auth}"}}}}}}"#),
    )
    .unwrap();
    let opts = OpenOptions {
        registry: RegistryOptions {
            docker_config: Some(cfg.path().to_path_buf()),
            ..RegistryOptions::default()
        },
        ..OpenOptions::default()
    };
    let image = open(&src, &opts).unwrap();
    let local = open(
        &format!("oci-dir:{}", app.display()),
        &OpenOptions::default(),
    )
    .unwrap();
    assert_eq!(image.manifest_digest, local.manifest_digest);
    image.scan(&[], &ScanOptions::default()).unwrap();

    let wrong = OpenOptions {
        registry: RegistryOptions {
            username: Some("dg".into()),
            password: Some("wrong".into()),
            ..RegistryOptions::default()
        },
        ..OpenOptions::default()
    };
    let err = open(&src, &wrong).unwrap_err();
    assert!(err.to_string().contains("401"), "{err}");
}
