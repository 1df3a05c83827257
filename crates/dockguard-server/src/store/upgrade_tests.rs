//! A store written by the first schema version (only migration 1 applied, rows inserted
//! with that version's statements), opened by the current code: migrations run, every row
//! is still readable, and a server on it finishes the old queued job and rechecks the old
//! report. SQLite always; PostgreSQL when `$DOCKGUARD_TEST_POSTGRES` is set (required under
//! `CI=true`, as in the integration tests).

use super::{sql, Store};
use crate::{Config, Server};
use dockguard_core::{Finding, FindingKind, Location, PackageRef, Report, Severity, ToolInfo};
use std::time::{Duration, Instant};

const T0: i64 = 1_700_000_000_000;
const DONE_JOB: &str = "0000000000000000000000000000000a";
const QUEUED_JOB: &str = "0000000000000000000000000000000b";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn sbom(tag: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [
            {"type": "library", "name": "django", "version": "2.2", "purl": "pkg:pypi/django@2.2"},
            {"type": "library", "name": format!("local-{tag}"), "version": "1.0",
             "purl": format!("pkg:pypi/local-{tag}@1.0")}
        ]
    }))
    .unwrap()
}

/// The old report of the scanned artifact: one vulnerability, which the (empty) current data
/// no longer has, so the recheck must record it as resolved.
fn old_report() -> String {
    let mut f = Finding::new(
        "CVE-2019-0001",
        FindingKind::Vulnerability,
        Severity::High,
        "old advisory",
        "django 2.2 is affected",
        Location::default(),
    );
    f.package = Some(PackageRef {
        name: "django".into(),
        version: "2.2".into(),
        ..PackageRef::default()
    });
    let report = Report::new(
        ToolInfo::dockguard("0.0.1"),
        vec!["registry:ghcr.io/acme/app:1".into()],
        vec![f],
    );
    serde_json::to_string(&report).unwrap()
}

struct Seed {
    image: String,
    image_doc: String,
    sbom: String,
    report: String,
}

/// The rows the first version's code wrote, column for column (values inlined so that one
/// script serves both backends): a scanned image with inventory, report and change event; a
/// submitted SBOM whose job is still queued; a finished scan job; the data generation seen.
fn seed() -> (Seed, String) {
    let (image, image_doc) = crate::work::read_sbom(&sbom("image"), "image.cdx.json").unwrap();
    let (sbom_digest, sbom_doc) = crate::work::read_sbom(&sbom("sbom"), "sbom.cdx.json").unwrap();
    let report = old_report();
    let t1 = T0 + 1000;
    let script = format!(
        "
INSERT INTO artifacts (digest, kind, names, first_seen, last_seen, last_scanned)
    VALUES ({image_l}, 'image', '[\"registry:ghcr.io/acme/app:1\"]', {T0}, {T0}, {T0});
INSERT INTO inventories (digest, document, updated) VALUES ({image_l}, {image_doc_l}, {T0});
INSERT INTO findings (digest, report, generation, critical, high, medium, low, info, updated)
    VALUES ({image_l}, {report_l}, 'gen-1', 0, 1, 0, 0, 0, {T0});
INSERT INTO changes (digest, generation, change, advisory, package, version, severity, job, at)
    VALUES ({image_l}, 'gen-1', 'added', 'CVE-2019-0001', 'django', '2.2', 'high',
            '{DONE_JOB}', {T0});
INSERT INTO generations (generation, recorded, rechecks) VALUES ('gen-1', {T0}, 0);
INSERT INTO jobs (id, kind, state, target, platform, artifact, generation, attempts,
                  max_attempts, not_before, created, priority, started, finished)
    VALUES ('{DONE_JOB}', 'scan', 'done', 'registry:ghcr.io/acme/app:1', NULL, {image_l}, NULL,
            1, 3, {T0}, {T0}, 0, {T0}, {T0});
INSERT INTO artifacts (digest, kind, names, first_seen, last_seen)
    VALUES ({sbom_l}, 'sbom', '[\"sbom.cdx.json\"]', {t1}, {t1});
INSERT INTO inventories (digest, document, updated) VALUES ({sbom_l}, {sbom_doc_l}, {t1});
INSERT INTO jobs (id, kind, state, target, platform, artifact, generation, attempts,
                  max_attempts, not_before, created, priority)
    VALUES ('{QUEUED_JOB}', 'sbom', 'queued', NULL, NULL, {sbom_l}, NULL, 0, 3, {t1}, {t1}, 0);
",
        image_l = literal(&image),
        image_doc_l = literal(&image_doc),
        report_l = literal(&report),
        sbom_l = literal(&sbom_digest),
        sbom_doc_l = literal(&sbom_doc),
    );
    (
        Seed {
            image,
            image_doc,
            sbom: sbom_digest,
            report,
        },
        script,
    )
}

/// The migrations table and schema as version 1 left them.
fn v1_schema(integer: &str, serial: &str) -> String {
    format!(
        "CREATE TABLE schema_migrations (version {integer} PRIMARY KEY, applied {integer} NOT NULL);
         {}
         INSERT INTO schema_migrations (version, applied) VALUES (1, {T0});",
        sql::schema_v1(integer, serial)
    )
}

/// Opens the old store with the current code and checks everything in it, then runs a
/// server on it.
async fn check_upgrade(location: &str, seed: &Seed, db_dir: &std::path::Path) {
    let store = Store::open(location).await.expect("open the old store");
    // Opening again applies nothing more.
    let store_again = Store::open(location).await.expect("open again");
    drop(store_again);

    let page = store.artifacts(None, 10).await.unwrap();
    let digests: Vec<&str> = page.iter().map(|a| a.digest.as_str()).collect();
    assert_eq!(digests, [seed.image.as_str(), seed.sbom.as_str()]);
    assert_eq!(page[0].names, ["registry:ghcr.io/acme/app:1"]);
    assert_eq!(page[0].counts.as_ref().map(|c| c.high), Some(1));
    assert!(page[0].policy.is_none() && page[1].counts.is_none());
    // The page index added by migration 2 walks the old rows.
    let first = store.artifacts(None, 1).await.unwrap();
    let cursor = super::Cursor {
        first_seen_ms: first[0].first_seen_ms,
        digest: first[0].digest.clone(),
    };
    let second = store.artifacts(Some(&cursor), 1).await.unwrap();
    assert_eq!(second[0].digest, seed.sbom);

    let inv = store.inventory(&seed.image).await.unwrap().unwrap();
    assert_eq!(inv.document, seed.image_doc);
    assert!(crate::work::stored_inventory(&inv.document, &seed.image).is_ok());
    let report = store.report(&seed.image).await.unwrap().unwrap();
    assert_eq!(
        (report.report.as_str(), report.generation.as_str()),
        (seed.report.as_str(), "gen-1")
    );
    // Old reports were vulnerability reports: the new column says so.
    assert_eq!(report.scanners, "vuln");
    assert!(report.policy.is_none());
    assert_eq!(store.changes(&seed.image).await.unwrap().len(), 1);
    let done = store.job(DONE_JOB).await.unwrap().unwrap();
    assert_eq!(
        (done.status.as_str(), done.scanners.clone()),
        ("done", None)
    );
    assert_eq!(
        store.latest_generation().await.unwrap().as_deref(),
        Some("gen-1")
    );

    // A server on the upgraded store runs the old queued job and rechecks the old report
    // against the current data.
    let mut config = Config::new("127.0.0.1:0".parse().unwrap(), db_dir.to_path_buf());
    config.workers = 1;
    config.recheck_interval = Duration::from_millis(100);
    config.poll_interval = Duration::from_millis(50);
    let server = Server::start_with_store(config, store.clone())
        .await
        .unwrap();
    let start = Instant::now();
    loop {
        let queued = store.job(QUEUED_JOB).await.unwrap().unwrap();
        let rechecked = store
            .report(&seed.image)
            .await
            .unwrap()
            .is_some_and(|r| r.generation != "gen-1");
        if queued.status == "done" && rechecked {
            break;
        }
        assert!(queued.status != "failed", "{queued:?}");
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "old jobs not finished: {queued:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.shutdown().await;
    assert!(store.report(&seed.sbom).await.unwrap().is_some());
    let report = store.report(&seed.image).await.unwrap().unwrap();
    assert_eq!(report.scanners, "vuln");
    let changes = store.changes(&seed.image).await.unwrap();
    let events: Vec<(&str, &str)> = changes
        .iter()
        .map(|c| (c.event.change.as_str(), c.event.advisory.as_str()))
        .collect();
    assert_eq!(
        events,
        [("added", "CVE-2019-0001"), ("resolved", "CVE-2019-0001")]
    );
}

fn empty_vulndb() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    dockguard_vulndb::Database::open_or_create(dir.path()).unwrap();
    dir
}

#[test]
fn a_first_version_sqlite_store_upgrades_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    let (seed, script) = seed();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&v1_schema("INTEGER", "INTEGER"))
            .unwrap();
        conn.execute_batch(&script).unwrap();
    }
    let db = empty_vulndb();
    runtime().block_on(check_upgrade(
        &format!("sqlite:{}", path.display()),
        &seed,
        db.path(),
    ));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let versions: Vec<i64> = conn
        .prepare("SELECT version FROM schema_migrations ORDER BY version")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(versions, [1, 2]);
}

#[test]
fn a_first_version_postgres_store_upgrades_in_place() {
    let base = match std::env::var("DOCKGUARD_TEST_POSTGRES") {
        Ok(b) if !b.is_empty() => b,
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(
                !ci,
                "DOCKGUARD_TEST_POSTGRES is not set; CI=true requires it"
            );
            eprintln!("skipping the PostgreSQL upgrade test: DOCKGUARD_TEST_POSTGRES is not set");
            return;
        }
    };
    let schema = format!("dg_upgrade_{}", super::new_id());
    let (seed, script) = seed();
    let db = empty_vulndb();
    let rt = runtime();
    let connect = || async {
        let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
            .await
            .expect("connect to DOCKGUARD_TEST_POSTGRES");
        tokio::spawn(conn);
        client
    };
    let versions: Vec<i64> = rt.block_on(async {
        let client = connect().await;
        client
            .batch_execute(&format!(
                "CREATE SCHEMA {schema}; SET search_path TO {schema}; {} {script}",
                v1_schema("BIGINT", "BIGSERIAL")
            ))
            .await
            .expect("v1 schema and rows");
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        check_upgrade(&url, &seed, db.path()).await;
        let rows = client
            .query(
                &format!("SELECT version FROM {schema}.schema_migrations ORDER BY version"),
                &[],
            )
            .await
            .unwrap();
        let _ = client
            .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .await;
        rows.iter().map(|r| r.get(0)).collect()
    });
    assert_eq!(versions, [1, 2]);
}
