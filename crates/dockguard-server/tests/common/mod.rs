//! Test support: a store per backend (SQLite in a temporary directory; PostgreSQL in a fresh
//! schema of `$DOCKGUARD_TEST_POSTGRES`), a vulnerability database built from the shared OSV
//! fixtures, a running server and a small HTTP client.

#![allow(dead_code)]

use dockguard_server::{Config, Server};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// One store for one test; dropping it removes the SQLite file or the PostgreSQL schema.
pub struct TestStore {
    pub name: &'static str,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    schema: Option<(String, String)>,
}

impl Drop for TestStore {
    fn drop(&mut self) {
        if let Some((base, schema)) = self.schema.take() {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                if let Ok((client, conn)) =
                    tokio_postgres::connect(&base, tokio_postgres::NoTls).await
                {
                    tokio::spawn(conn);
                    let _ = client
                        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                        .await;
                }
            });
        }
    }
}

fn random_suffix() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    format!("{:016x}", h.finish())
}

/// The backends to run a test against: SQLite always, PostgreSQL when
/// `$DOCKGUARD_TEST_POSTGRES` is set (required under `CI=true`).
pub fn stores() -> Vec<TestStore> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("server.sqlite3");
    let mut out = vec![TestStore {
        name: "sqlite",
        url: format!("sqlite:{}", path.display()),
        _dir: Some(dir),
        schema: None,
    }];
    match std::env::var("DOCKGUARD_TEST_POSTGRES") {
        Ok(base) if !base.is_empty() => out.push(postgres_store(&base)),
        _ => {
            assert!(
                !in_ci(),
                "DOCKGUARD_TEST_POSTGRES is not set; CI=true requires the PostgreSQL tests"
            );
            eprintln!(
                "skipping the PostgreSQL backend: set DOCKGUARD_TEST_POSTGRES=postgres://user:pw@host/db"
            );
        }
    }
    out
}

fn postgres_store(base: &str) -> TestStore {
    let schema = format!("dg_test_{}", random_suffix());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(base, tokio_postgres::NoTls)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to DOCKGUARD_TEST_POSTGRES: {e}"));
        tokio::spawn(conn);
        client
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .await
            .expect("create schema");
    });
    let sep = if base.contains('?') { '&' } else { '?' };
    TestStore {
        name: "postgres",
        url: format!("{base}{sep}options=-c%20search_path%3D{schema}"),
        _dir: None,
        schema: Some((base.to_string(), schema)),
    }
}

/// A vulnerability database with the fixture OSV data of `ecosystems` imported.
pub fn vulndb(ecosystems: &[&str]) -> Option<tempfile::TempDir> {
    let dir = tempfile::tempdir().expect("tempdir");
    for e in ecosystems {
        import(dir.path(), e)?;
    }
    if ecosystems.is_empty() {
        dockguard_vulndb::Database::open_or_create(dir.path()).expect("empty db");
    }
    Some(dir)
}

pub fn import(db: &Path, ecosystem: &str) -> Option<()> {
    let zip = dockguard_testkit::fixture(&format!("osv/{ecosystem}/all.zip"))?;
    dockguard_vulndb::import(db, &zip).expect("import");
    Some(())
}

pub fn config(db: &Path) -> Config {
    let mut c = Config::new("127.0.0.1:0".parse().unwrap(), db.to_path_buf());
    c.workers = 2;
    c.recheck_interval = Duration::from_millis(200);
    c.poll_interval = Duration::from_millis(50);
    c.retry_delay = Duration::from_millis(100);
    c.lease = Duration::from_secs(30);
    c.shutdown_grace = Duration::from_secs(5);
    c
}

/// A running server and an HTTP client for it.
pub struct Running {
    pub rt: tokio::runtime::Runtime,
    pub server: Option<Server>,
    pub base: String,
    pub http: ureq::Agent,
    /// Sent as `Authorization: Bearer …` by [`Running::get`] and [`Running::post`].
    pub token: Option<String>,
}

impl Running {
    pub fn start(store: &TestStore, mut config: Config) -> Running {
        config.store = Some(store.url.clone());
        let rt = runtime();
        let server = rt
            .block_on(Server::start(config))
            .unwrap_or_else(|e| panic!("{}: server start: {e}", store.name));
        let base = format!("http://{}", server.local_addr());
        let http: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        Running {
            rt,
            server: Some(server),
            base,
            http,
            token: None,
        }
    }

    /// A request with `token` (or none), whatever [`Running::token`] is: (status, body, the
    /// `WWW-Authenticate` header).
    pub fn request_as(
        &self,
        method: &str,
        path: &str,
        body: &[u8],
        token: Option<&str>,
    ) -> (u16, String, Option<String>) {
        let url = format!("{}{path}", self.base);
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut r = if method == "GET" {
            let mut req = self.http.get(&url);
            if let Some(a) = &auth {
                req = req.header("authorization", a);
            }
            req.call().expect("GET")
        } else {
            let mut req = self.http.post(&url);
            if let Some(a) = &auth {
                req = req.header("authorization", a);
            }
            req.send(body).expect("POST")
        };
        let status = r.status().as_u16();
        let challenge = r
            .headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let text = r
            .body_mut()
            .with_config()
            .limit(256 << 20)
            .read_to_string()
            .unwrap_or_default();
        (status, text, challenge)
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        let (s, body, _) = self.request_as("GET", path, b"", self.token.as_deref());
        (s, body)
    }

    pub fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let (s, body) = self.get(path);
        let v = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("GET {path}: {s}: not JSON ({e}): {body}"));
        (s, v)
    }

    pub fn post(&self, path: &str, body: &[u8]) -> (u16, serde_json::Value) {
        let (status, text, _) = self.request_as("POST", path, body, self.token.as_deref());
        let v = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("POST {path}: {status}: not JSON ({e}): {text}"));
        (status, v)
    }

    /// Polls a job until it is done or failed.
    pub fn wait_job(&self, id: &str, within: Duration) -> serde_json::Value {
        let start = Instant::now();
        loop {
            let (s, v) = self.get_json(&format!("/v1/jobs/{id}"));
            assert_eq!(s, 200, "{v}");
            if v["status"] == "done" || v["status"] == "failed" {
                return v;
            }
            assert!(start.elapsed() < within, "job {id} not finished: {v}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn stop(&mut self) {
        if let Some(s) = self.server.take() {
            self.rt.block_on(s.shutdown());
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

/// (advisory, package, version) of every vulnerability finding of a report.
pub fn finding_keys(report: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut keys: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .filter(|f| f["kind"] == "vulnerability")
        .map(|f| {
            (
                f["id"].as_str().unwrap_or("").to_string(),
                f["package"]["name"].as_str().unwrap_or("").to_string(),
                f["package"]["version"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    keys.sort();
    keys
}

/// The keys `dockguard scan`'s library path gives for an inventory.
pub fn library_keys(
    db: &Path,
    inventory: &dockguard_catalog::Inventory,
) -> Vec<(String, String, String)> {
    let db = dockguard_vulndb::Database::open(db).expect("db");
    let matched =
        dockguard_scan::match_inventory(&db, inventory, &dockguard_scan::MatchOptions::default())
            .expect("match");
    let mut keys: Vec<(String, String, String)> = matched
        .findings
        .into_iter()
        .map(|f| {
            let p = f.package.unwrap_or_default();
            (f.id, p.name, p.version)
        })
        .collect();
    keys.sort();
    keys
}

/// The library's inventory of an image (squashed, as `dockguard scan`).
pub fn image_inventory(source: &str) -> dockguard_catalog::Inventory {
    library_image_scan(source).0
}

/// What `dockguard scan --scanners vuln,secret,config` gets from the libraries in one pass:
/// the inventory, and the secret and image-configuration findings.
pub fn library_image_scan(
    source: &str,
) -> (dockguard_catalog::Inventory, Vec<dockguard_core::Finding>) {
    use dockguard_catalog::image::{inventory_from_scan, CatalogAnalyzer, Scope};
    let image = dockguard_image::open(source, &dockguard_image::OpenOptions::default())
        .expect("open image");
    let catalog = CatalogAnalyzer::new(dockguard_catalog::Mode::Image);
    let options = dockguard_secrets::SecretOptions::default();
    let secrets = dockguard_secrets::SecretAnalyzer::new(&options);
    let audit = dockguard_imageaudit::AuditAnalyzer::new();
    let scan = image
        .scan(
            &[&catalog, &secrets, &audit],
            &dockguard_image::ScanOptions::default(),
        )
        .expect("scan");
    let mut others = dockguard_secrets::findings_from_scan(&image, &scan, &secrets);
    others.extend(dockguard_imageaudit::findings_from_scan(&image, &scan));
    (inventory_from_scan(&scan, Scope::Squashed), others)
}

/// Findings that are not vulnerabilities, as sorted JSON (to compare them exactly).
pub fn other_findings(findings: &[serde_json::Value]) -> Vec<String> {
    let mut out: Vec<String> = findings
        .iter()
        .filter(|f| f["kind"] != "vulnerability")
        .map(|f| f.to_string())
        .collect();
    out.sort();
    out
}

pub fn fixture_path(rel: &str) -> Option<PathBuf> {
    dockguard_testkit::fixture(rel)
}

/// A small CycloneDX document with PyPI packages; `tag` makes each one a distinct artifact.
pub fn small_sbom(tag: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [
            {"type": "library", "name": "django", "version": "2.2", "purl": "pkg:pypi/django@2.2"},
            {"type": "library", "name": "requests", "version": "2.19.1", "purl": "pkg:pypi/requests@2.19.1"},
            {"type": "library", "name": format!("local-{tag}"), "version": "1.0", "purl": format!("pkg:pypi/local-{tag}@1.0")}
        ]
    }))
    .unwrap()
}

/// The planted secret values of debian12-app that a report must never show in full: the
/// `.env` values of the build context (except the non-secret APP_ENV and the URL), the
/// image config's DB_PASSWORD and the NPM_TOKEN build argument.
pub fn planted_secret_values() -> Vec<String> {
    let mut out = Vec::new();
    if let Some(env) = fixture_path("images/debian12-app.context/app/.env") {
        let text = std::fs::read_to_string(env).unwrap();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            if let Some((key, value)) = line.split_once('=') {
                if !["APP_ENV", "DATABASE_URL"].contains(&key) && value.len() >= 16 {
                    out.push(value.trim_matches('"').to_string());
                }
            }
        }
    }
    if let Some(expected) = fixture_path("expected/debian12-app.secrets.json") {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(expected).unwrap()).unwrap();
        for c in v["config"].as_array().into_iter().flatten() {
            if let Some(value) = c["value"].as_str() {
                out.push(value.to_string());
            }
        }
        for h in v["history"].as_array().into_iter().flatten() {
            if let Some((_, value)) = h["match"].as_str().and_then(|m| m.split_once('=')) {
                out.push(value.to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}
