//! Debian's `docker-registry` (distribution 2.x) on a free 127.0.0.1 port with a temporary
//! config and storage, optionally behind htpasswd Basic auth, fed by `skopeo copy`.
//!
//! ```no_run
//! use dockguard_testkit::registry::{LocalRegistry, RegistryConfig};
//! if !LocalRegistry::tools_present() {
//!     return; // skipped locally; under CI=true tools_present() has already panicked
//! }
//! let reg = LocalRegistry::start(&RegistryConfig::default());
//! reg.push_layout(std::path::Path::new("layout"), "1.0.0", "dg/app:1.0", false);
//! let source = format!("registry:{}/dg/app:1.0", reg.host());
//! ```

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How the registry is set up.
#[derive(Debug, Clone, Default)]
pub struct RegistryConfig {
    /// A user and password required for every request (htpasswd, Basic auth).
    pub auth: Option<(String, String)>,
    /// Whether manifests may be deleted (distribution refuses with 405 otherwise).
    pub allow_delete: bool,
}

/// A running registry; stopped and its storage removed when dropped.
pub struct LocalRegistry {
    child: Child,
    port: u16,
    creds: Option<String>,
    _dir: tempfile::TempDir,
}

impl Drop for LocalRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl LocalRegistry {
    /// Whether `docker-registry` and `skopeo` are installed (under `CI=true` they must be).
    pub fn tools_present() -> bool {
        // Both checked, so that a local run says everything that is missing at once.
        let registry = crate::tool("docker-registry", "--version");
        let skopeo = crate::tool("skopeo", "--version");
        registry && skopeo
    }

    /// Starts a registry and waits (up to 20 s) until it accepts connections.
    pub fn start(cfg: &RegistryConfig) -> LocalRegistry {
        let dir = tempfile::tempdir().expect("temporary directory");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let mut yml = format!(
            "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: {}\nhttp:\n  addr: 127.0.0.1:{port}\n",
            dir.path().join("storage").display(),
            cfg.allow_delete
        );
        if let Some((user, password)) = &cfg.auth {
            let hash = bcrypt::hash(password, 4).expect("bcrypt");
            let htpasswd = dir.path().join("htpasswd");
            std::fs::write(&htpasswd, format!("{user}:{hash}\n")).expect("write htpasswd");
            yml.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: dockguard-test\n    path: {}\n",
                htpasswd.display()
            ));
        }
        let cfg_path = dir.path().join("config.yml");
        std::fs::write(&cfg_path, yml).expect("write registry config");
        let log = std::fs::File::create(dir.path().join("registry.log")).expect("registry log");
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&cfg_path)
            .stdout(Stdio::from(log.try_clone().expect("registry log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("docker-registry serve");
        let reg = LocalRegistry {
            child,
            port,
            creds: cfg.auth.as_ref().map(|(u, p)| format!("{u}:{p}")),
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

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1:PORT`, the registry part of references to it.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Pushes tag `tag` of the OCI layout at `layout` as `REPO:TAG` (`repo_tag`); `all`
    /// copies every platform of an index.
    pub fn push_layout(&self, layout: &Path, tag: &str, repo_tag: &str, all: bool) {
        self.copy(
            &format!("oci:{}:{tag}", layout.display()),
            &format!("docker://{}/{repo_tag}", self.host()),
            all,
        );
    }

    /// `skopeo copy` between two transports (`oci:DIR:TAG`, `docker://HOST/REPO:TAG`), over
    /// plain HTTP, with this registry's credentials on its `docker://` sides.
    pub fn copy(&self, from: &str, to: &str, all: bool) {
        let mut cmd = Command::new("skopeo");
        cmd.args([
            "copy",
            "--quiet",
            "--src-tls-verify=false",
            "--dest-tls-verify=false",
        ]);
        if all {
            cmd.arg("--all");
        }
        if let Some(c) = &self.creds {
            if from.starts_with("docker://") {
                cmd.args(["--src-creds", c]);
            }
            if to.starts_with("docker://") {
                cmd.args(["--dest-creds", c]);
            }
        }
        let out = cmd.arg(from).arg(to).output().expect("skopeo copy");
        assert!(
            out.status.success(),
            "skopeo copy {from} {to}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
