//! `docker:` against `podman system service`, which speaks the Docker Engine API. Podman runs
//! with its own temporary storage so the machine's images are untouched. Skipped without
//! podman, except under CI=true.

mod support;

use dockguard_image::{open, OpenOptions, ScanOptions, SourceFormat};
use dockguard_testkit::require_fixture;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Service(Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn podman(dir: &Path) -> Command {
    let mut c = Command::new("podman");
    c.arg("--root")
        .arg(dir.join("root"))
        .arg("--runroot")
        .arg(dir.join("run"))
        .args(["--storage-driver", "vfs"]);
    c
}

#[test]
fn docker_engine_api_via_podman() {
    if !support::tool("podman") {
        return;
    }
    let archive = require_fixture!("images/static-nonroot.docker-archive.tar");
    let dir = tempfile::tempdir().unwrap();
    let out = podman(dir.path())
        .arg("load")
        .arg("-i")
        .arg(&archive)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "podman load: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sock = dir.path().join("podman.sock");
    let svc = Service(
        podman(dir.path())
            .args(["system", "service", "--time=0"])
            .arg(format!("unix://{}", sock.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while !sock.exists() {
        assert!(Instant::now() < deadline, "podman service did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let work = dir.path().join("work");
    let opts = OpenOptions {
        docker_host: Some(format!("unix://{}", sock.display())),
        work_dir: Some(work.clone()),
        ..OpenOptions::default()
    };
    let local = open(
        &format!("docker-archive:{}", archive.display()),
        &OpenOptions::default(),
    )
    .unwrap();
    let image = open("docker:localhost/dockguard/static-nonroot:1.0.0", &opts).unwrap();
    assert_eq!(image.format, SourceFormat::Docker);
    assert_eq!(image.config_digest, local.config_digest);
    let scan = image.scan(&[], &ScanOptions::default()).unwrap();
    assert_eq!(
        scan.layers[0].diff_id.as_ref().unwrap().as_str(),
        "sha256:2d3e4a3e75bc7bd5f93e73133b93ef8f6167965ca3ffae808deb2b88de1db534"
    );
    // A plain reference goes to the daemon first.
    let plain = open("localhost/dockguard/static-nonroot:1.0.0", &opts).unwrap();
    assert_eq!(plain.format, SourceFormat::Docker);
    drop(image);
    drop(plain);
    assert_eq!(
        std::fs::read_dir(&work).unwrap().count(),
        0,
        "exports are removed"
    );
    let err = open("docker:absent/image:1", &opts).unwrap_err();
    assert!(
        err.to_string().contains("no image 'absent/image:1'"),
        "{err}"
    );
    drop(svc);
}
