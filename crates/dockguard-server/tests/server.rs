//! The server over real HTTP against each store backend: results equal the library scan path,
//! local targets need the flag, data changes re-match stored inventories, racing workers run
//! each job once, expired leases are taken over, and bad input gets 4xx answers.

mod common;

use common::*;
use dockguard_server::{JobKind, NewJob, Store};
use std::time::{Duration, Instant};

/// Ecosystems the debian12-app image has data for in the fixtures.
const ALL: [&str; 6] = ["Debian", "PyPI", "npm", "Go", "crates.io", "Maven"];

#[test]
fn scan_and_sbom_results_equal_the_library_scan() {
    let Some(image) = fixture_path("images/debian12-app") else {
        return;
    };
    let Some(sbom_path) = fixture_path("expected/debian12-app.syft.json") else {
        return;
    };
    let Some(db) = vulndb(&ALL) else { return };
    let target = format!("oci-dir:{}", image.display());
    let expected_image = library_keys(db.path(), &image_inventory(&target));
    let sbom = std::fs::read(&sbom_path).unwrap();
    let expected_sbom = library_keys(
        db.path(),
        &dockguard_sbom::read_sbom(&sbom, "sbom").unwrap(),
    );
    assert!(expected_image.len() > 20, "{}", expected_image.len());
    assert!(!expected_sbom.is_empty());
    for store in stores() {
        let mut config = config(db.path());
        config.allow_local_targets = true;
        let server = Running::start(&store, config);
        let (s, scan) = server.post(
            "/v1/scans",
            serde_json::json!({ "target": target })
                .to_string()
                .as_bytes(),
        );
        assert_eq!(s, 202, "{}: {scan}", store.name);
        assert_eq!(scan["status"], "queued");
        let (s, sb) = server.post("/v1/sboms?name=debian12-app.syft.json", &sbom);
        assert_eq!(s, 202, "{}: {sb}", store.name);

        let job = server.wait_job(scan["id"].as_str().unwrap(), Duration::from_secs(300));
        assert_eq!(job["status"], "done", "{}: {job}", store.name);
        assert_eq!(job["kind"], "scan");
        let digest = job["artifact"].as_str().unwrap().to_string();
        assert_eq!(
            digest,
            "sha256:09e22632ba5a0ae87085a001986ae3549b7fdfeda8867de540b32ee0eaec7703"
        );
        let (s, report) = server.get_json(&format!("/v1/artifacts/{digest}"));
        assert_eq!(s, 200);
        assert_eq!(report["tool"]["name"], "dockguard");
        assert_eq!(finding_keys(&report), expected_image, "{}", store.name);

        let job = server.wait_job(sb["id"].as_str().unwrap(), Duration::from_secs(120));
        assert_eq!(job["status"], "done", "{}: {job}", store.name);
        let (s, report) = server.get_json(&format!(
            "/v1/artifacts/{}",
            sb["artifact"].as_str().unwrap()
        ));
        assert_eq!(s, 200);
        assert_eq!(finding_keys(&report), expected_sbom, "{}", store.name);

        let (s, list) = server.get_json("/v1/artifacts");
        assert_eq!(s, 200);
        let list = list["artifacts"].as_array().unwrap();
        assert_eq!(list.len(), 2, "{list:?}");
        let img = list
            .iter()
            .find(|a| a["digest"] == digest.as_str())
            .unwrap();
        assert_eq!(img["kind"], "image");
        assert_eq!(img["names"][0], target.as_str());
        let total: i64 = ["critical", "high", "medium", "low", "info"]
            .iter()
            .map(|k| img["counts"][k].as_i64().unwrap())
            .sum();
        assert_eq!(total as usize, expected_image.len());

        let (s, db_status) = server.get_json("/v1/db");
        assert_eq!(s, 200);
        assert_eq!(db_status["ecosystems"].as_array().unwrap().len(), ALL.len());
        assert!(db_status["generation"].as_str().is_some());
        let (s, health) = server.get_json("/healthz");
        assert_eq!((s, health["store"].as_str()), (200, Some(store.name)));
        let (s, metrics) = server.get("/metrics");
        assert_eq!(s, 200);
        assert!(
            metrics.contains("dockguard_jobs{state=\"done\"} 2"),
            "{metrics}"
        );
        assert!(metrics.contains("dockguard_artifacts 2"), "{metrics}");
    }
}

#[test]
fn local_targets_are_refused_without_the_flag() {
    let Some(db) = vulndb(&[]) else { return };
    for store in stores() {
        let server = Running::start(&store, config(db.path()));
        for target in [
            "oci-dir:/srv/images/app",
            "/etc",
            "dir:/",
            "docker-archive:x.tar",
        ] {
            let (s, v) = server.post(
                "/v1/scans",
                serde_json::json!({ "target": target })
                    .to_string()
                    .as_bytes(),
            );
            assert_eq!(s, 403, "{}: {target}: {v}", store.name);
            assert!(
                v["error"]
                    .as_str()
                    .unwrap()
                    .contains("--allow-local-targets"),
                "{v}"
            );
        }
        let (s, m) = server.get("/metrics");
        assert_eq!(s, 200);
        assert!(m.contains("dockguard_jobs{state=\"queued\"} 0"), "{m}");
    }
}

#[test]
fn new_advisories_reach_stored_inventories_without_resubmitting() {
    let Some(image) = fixture_path("images/debian12-app") else {
        return;
    };
    for store in stores() {
        let Some(db) = vulndb(&["Debian"]) else {
            return;
        };
        let mut config = config(db.path());
        config.allow_local_targets = true;
        let server = Running::start(&store, config);
        let target = format!("oci-dir:{}", image.display());
        let (s, scan) = server.post(
            "/v1/scans",
            serde_json::json!({ "target": target })
                .to_string()
                .as_bytes(),
        );
        assert_eq!(s, 202, "{scan}");
        let sbom = small_sbom("recheck");
        let (s, sb) = server.post("/v1/sboms", &sbom);
        assert_eq!(s, 202, "{sb}");
        let job = server.wait_job(scan["id"].as_str().unwrap(), Duration::from_secs(300));
        assert_eq!(job["status"], "done", "{job}");
        let digest = job["artifact"].as_str().unwrap().to_string();
        let sbom_digest = sb["artifact"].as_str().unwrap().to_string();
        server.wait_job(sb["id"].as_str().unwrap(), Duration::from_secs(60));
        let (_, before) = server.get_json(&format!("/v1/artifacts/{digest}"));
        let before = finding_keys(&before);
        assert!(!before.is_empty());
        assert!(before.iter().all(|(id, _, _)| !id.starts_with("PYSEC")));
        let (_, sbom_before) = server.get_json(&format!("/v1/artifacts/{sbom_digest}"));
        assert!(finding_keys(&sbom_before).is_empty());
        let (_, changes) = server.get_json(&format!("/v1/artifacts/{digest}/changes"));
        assert_eq!(changes["changes"].as_array().unwrap().len(), 0);

        // Data arrives the way `db import` / `db update` brings it.
        import(db.path(), "PyPI").unwrap();
        let expected = library_keys(db.path(), &image_inventory(&target));
        assert!(expected.len() > before.len());
        let start = Instant::now();
        let after = loop {
            let (_, report) = server.get_json(&format!("/v1/artifacts/{digest}"));
            let keys = finding_keys(&report);
            if keys == expected {
                break keys;
            }
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "{}: report not re-matched: {} findings, expected {}",
                store.name,
                keys.len(),
                expected.len()
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        let (s, changes) = server.get_json(&format!("/v1/artifacts/{digest}/changes"));
        assert_eq!(s, 200);
        let changes = changes["changes"].as_array().unwrap();
        let added: Vec<_> = changes.iter().filter(|c| c["change"] == "added").collect();
        assert_eq!(added.len(), after.len() - before.len(), "{}", store.name);
        assert!(added.iter().all(|c| c["generation"].as_str().is_some()));
        assert!(changes.iter().all(|c| c["change"] != "resolved"));
        // The SBOM is rechecked too: django 2.2 has PyPI advisories.
        let start = Instant::now();
        loop {
            let (_, r) = server.get_json(&format!("/v1/artifacts/{sbom_digest}"));
            if !finding_keys(&r).is_empty() {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "SBOM not re-matched"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let (_, c) = server.get_json(&format!("/v1/artifacts/{sbom_digest}/changes"));
        assert!(!c["changes"].as_array().unwrap().is_empty());
    }
}

#[test]
fn racing_servers_run_each_job_exactly_once() {
    let Some(db) = vulndb(&["PyPI"]) else { return };
    for store in stores() {
        let rt = runtime();
        let jobs: Vec<String> = rt.block_on(async {
            let s = Store::open(&store.url).await.unwrap();
            let mut ids = Vec::new();
            for i in 0..30 {
                let digest = format!("sha256:race{i:04}");
                let doc = dockguard_sbom::to_value(
                    &dockguard_sbom::read_sbom(&small_sbom(&i.to_string()), "t").unwrap(),
                    &dockguard_sbom::Subject::default(),
                    dockguard_sbom::Format::Json,
                    &dockguard_sbom::WriteOptions::default(),
                )
                .to_string();
                s.put_inventory(&digest, "sbom", &format!("race-{i}"), &doc)
                    .await
                    .unwrap();
                ids.push(
                    s.enqueue(NewJob {
                        kind: JobKind::Sbom,
                        target: None,
                        platform: None,
                        artifact: Some(digest),
                        generation: None,
                        max_attempts: 3,
                    })
                    .await
                    .unwrap(),
                );
            }
            ids
        });
        let a = Running::start(&store, config(db.path()));
        let b = Running::start(&store, config(db.path()));
        for id in &jobs {
            let job = a.wait_job(id, Duration::from_secs(120));
            assert_eq!(job["status"], "done", "{}: {job}", store.name);
            assert_eq!(job["attempts"], 1, "{}: claimed twice: {job}", store.name);
        }
        let done = |r: &Running| -> u64 {
            let (_, m) = r.get("/metrics");
            m.lines()
                .find_map(|l| l.strip_prefix("dockguard_jobs_processed_total{outcome=\"done\"} "))
                .and_then(|n| n.trim().parse().ok())
                .unwrap()
        };
        let (da, db_) = (done(&a), done(&b));
        eprintln!("{}: server A ran {da} jobs, server B {db_}", store.name);
        assert_eq!(da + db_, 30, "{}", store.name);
        let (_, m) = a.get("/metrics");
        assert!(m.contains("dockguard_jobs{state=\"done\"} 30"), "{m}");
        assert!(
            m.contains("dockguard_jobs_processed_total{outcome=\"lost\"} 0"),
            "{m}"
        );
    }
}

#[test]
fn a_job_whose_worker_died_is_claimed_again() {
    let Some(db) = vulndb(&["PyPI"]) else { return };
    for store in stores() {
        let rt = runtime();
        let (again, given_up) = rt.block_on(async {
            let s = Store::open(&store.url).await.unwrap();
            let mut ids = Vec::new();
            for (i, max) in [(0, 3), (1, 1)] {
                let digest = format!("sha256:dead{i}");
                let doc = dockguard_sbom::to_value(
                    &dockguard_sbom::read_sbom(&small_sbom("dead"), "t").unwrap(),
                    &dockguard_sbom::Subject::default(),
                    dockguard_sbom::Format::Json,
                    &dockguard_sbom::WriteOptions::default(),
                )
                .to_string();
                s.put_inventory(&digest, "sbom", "dead", &doc)
                    .await
                    .unwrap();
                let id = s
                    .enqueue(NewJob {
                        kind: JobKind::Sbom,
                        target: None,
                        platform: None,
                        artifact: Some(digest),
                        generation: None,
                        max_attempts: max,
                    })
                    .await
                    .unwrap();
                // A worker that claims the job and is never heard of again.
                let claimed = s.claim(Duration::from_millis(300)).await.unwrap().unwrap();
                assert_eq!(claimed.id, id);
                ids.push(id);
            }
            (ids[0].clone(), ids[1].clone())
        });
        let server = Running::start(&store, config(db.path()));
        let job = server.wait_job(&again, Duration::from_secs(60));
        assert_eq!(job["status"], "done", "{}: {job}", store.name);
        assert_eq!(job["attempts"], 2, "{job}");
        let job = server.wait_job(&given_up, Duration::from_secs(60));
        assert_eq!(job["status"], "failed", "{}: {job}", store.name);
        assert!(
            job["error"].as_str().unwrap().contains("lease expired"),
            "{job}"
        );
    }
}

#[test]
fn bad_input_gets_4xx_and_the_server_keeps_going() {
    let Some(db) = vulndb(&[]) else { return };
    for store in stores() {
        let mut config = config(db.path());
        config.max_sbom_bytes = 4096;
        let server = Running::start(&store, config);
        let cases: Vec<(&str, Vec<u8>, u16)> = vec![
            ("/v1/scans", b"{not json".to_vec(), 400),
            ("/v1/scans", b"".to_vec(), 400),
            ("/v1/scans", b"[1,2]".to_vec(), 400),
            ("/v1/scans", br#"{"target": 5}"#.to_vec(), 400),
            (
                "/v1/scans",
                br#"{"target": "alpine", "extra": 1}"#.to_vec(),
                400,
            ),
            ("/v1/scans", br#"{"target": ""}"#.to_vec(), 400),
            (
                "/v1/scans",
                br#"{"target": "alpine", "platform": "??"}"#.to_vec(),
                400,
            ),
            (
                "/v1/scans",
                br#"{"target": "sbom:/etc/passwd"}"#.to_vec(),
                400,
            ),
            ("/v1/scans", vec![b' '; 100 << 10], 413),
            ("/v1/sboms", vec![b' '; 8192], 413),
            ("/v1/sboms", b"".to_vec(), 400),
            ("/v1/sboms", b"{\"hello\": 1}".to_vec(), 400),
            ("/v1/sboms", b"\xff\xfe garbage".to_vec(), 400),
            ("/v1/nope", b"{}".to_vec(), 404),
            ("/v1/jobs/x", b"{}".to_vec(), 405),
        ];
        for (path, body, want) in cases {
            let (s, v) = server.post(path, &body);
            assert_eq!(
                s,
                want,
                "{}: POST {path} {:?}: {v}",
                store.name,
                String::from_utf8_lossy(&body[..body.len().min(40)])
            );
            assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{v}");
        }
        for (path, want) in [
            ("/v1/jobs/0123456789abcdef", 404),
            ("/v1/artifacts/sha256:none", 404),
            ("/v1/artifacts/sha256:none/changes", 404),
            ("/v1/jobs/%FF%FE", 400),
            ("/nope", 404),
        ] {
            let (s, v) = server.get_json(path);
            assert_eq!(s, want, "{}: GET {path}: {v}", store.name);
            assert!(v["error"].as_str().is_some());
        }
        // A registry image that cannot be fetched fails its job with the reason.
        let (s, v) = server.post("/v1/scans", br#"{"target": "localhost:1/nothing/here:1"}"#);
        assert_eq!(s, 202, "{v}");
        let job = server.wait_job(v["id"].as_str().unwrap(), Duration::from_secs(60));
        assert_eq!(job["status"], "failed", "{job}");
        assert_eq!(job["attempts"], 3, "{job}");
        assert!(job["error"].as_str().is_some_and(|e| !e.is_empty()));
        let (s, _) = server.get_json("/healthz");
        assert_eq!(s, 200);
    }
}

#[test]
fn sbom_throughput_with_two_workers() {
    let Some(db) = vulndb(&["PyPI"]) else { return };
    const N: usize = 60;
    for store in stores() {
        let server = Running::start(&store, config(db.path()));
        let start = Instant::now();
        let ids: Vec<String> = (0..N)
            .map(|i| {
                let (s, v) = server.post("/v1/sboms", &small_sbom(&format!("tp{i}")));
                assert_eq!(s, 202, "{v}");
                v["id"].as_str().unwrap().to_string()
            })
            .collect();
        for id in &ids {
            let job = server.wait_job(id, Duration::from_secs(120));
            assert_eq!(job["status"], "done", "{job}");
        }
        let secs = start.elapsed().as_secs_f64();
        eprintln!(
            "throughput: {}: {N} SBOM submissions processed in {secs:.2}s with 2 workers: {:.1}/s",
            store.name,
            N as f64 / secs
        );
    }
}
