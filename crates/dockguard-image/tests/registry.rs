//! `registry:` against Debian's `docker-registry` on 127.0.0.1, fed by `skopeo copy`.
//! Skipped when either tool is missing, except under CI=true.

mod support;

use base64::Engine as _;
use dockguard_image::{open, OpenOptions, RegistryOptions, ScanOptions};
use dockguard_testkit::require_fixture;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Registry {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts a registry; with `user`, behind htpasswd basic auth.
fn start(user: Option<(&str, &str)>) -> Registry {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut cfg = format!(
        "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n",
        dir.path().join("storage").display()
    );
    if let Some((u, p)) = user {
        let line = format!("{u}:{}\n", bcrypt::hash(p, 4).unwrap());
        let htpasswd = dir.path().join("htpasswd");
        std::fs::write(&htpasswd, line).unwrap();
        cfg.push_str(&format!(
            "auth:\n  htpasswd:\n    realm: dockguard-test\n    path: {}\n",
            htpasswd.display()
        ));
    }
    let cfg_path = dir.path().join("config.yml");
    std::fs::write(&cfg_path, cfg).unwrap();
    let log = std::fs::File::create(dir.path().join("registry.log")).unwrap();
    let child = Command::new("docker-registry")
        .arg("serve")
        .arg(&cfg_path)
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    let reg = Registry {
        child,
        port,
        _dir: dir,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "docker-registry did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    reg
}

fn push(src: &Path, tag: &str, dest: &str, creds: Option<&str>, all: bool) {
    let mut cmd = Command::new("skopeo");
    cmd.args(["copy", "--quiet", "--dest-tls-verify=false"]);
    if all {
        cmd.arg("--all");
    }
    if let Some(c) = creds {
        cmd.args(["--dest-creds", c]);
    }
    let out = cmd
        .arg(format!("oci:{}:{tag}", src.display()))
        .arg(format!("docker://{dest}"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "skopeo copy: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn tools() -> bool {
    support::tool("docker-registry") && support::tool("skopeo")
}

#[test]
fn anonymous_registry_and_platforms() {
    if !tools() {
        return;
    }
    let app = require_fixture!("images/static-nonroot");
    let multi = require_fixture!("images/multiarch-index");
    let reg = start(None);
    let base = format!("127.0.0.1:{}", reg.port);
    push(
        &app,
        "1.0.0",
        &format!("{base}/dockguard/static-nonroot:1.0.0"),
        None,
        false,
    );
    push(
        &multi,
        "1.0.0",
        &format!("{base}/dockguard/multiarch:1.0.0"),
        None,
        true,
    );

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
    if !tools() {
        return;
    }
    let app = require_fixture!("images/static-nonroot");
    let reg = start(Some(("dg", "s3cret-pw")));
    let base = format!("127.0.0.1:{}", reg.port);
    let src = format!("registry:{base}/dockguard/private:1.0.0");
    push(
        &app,
        "1.0.0",
        &format!("{base}/dockguard/private:1.0.0"),
        Some("dg:s3cret-pw"),
        false,
    );

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
