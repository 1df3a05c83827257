//! The server over real HTTP against each store backend: results (vulnerabilities, secrets,
//! image configuration) equal the library scan path, local targets need the flag, tokens gate
//! every route, registries are restricted, the policy verdict is stored, artifact pages walk
//! every artifact once, data changes re-match stored inventories, racing workers run each job
//! once, expired leases are taken over, and bad input gets 4xx answers.

mod common;

use common::*;
use dockguard_server::{Config, JobKind, NewJob, RegistryRules, Role, Server, Store, Tokens};
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
    let (inventory, others) = library_image_scan(&target);
    let expected_image = library_keys(db.path(), &inventory);
    let expected_others: Vec<String> = {
        let v: Vec<serde_json::Value> = others
            .iter()
            .map(|f| serde_json::to_value(f).unwrap())
            .collect();
        other_findings(&v)
    };
    let secrets = others
        .iter()
        .filter(|f| f.kind == dockguard_core::FindingKind::Secret);
    let configs = others
        .iter()
        .filter(|f| f.kind == dockguard_core::FindingKind::Config);
    assert!(secrets.count() >= 5 && configs.count() >= 1, "{others:?}");
    let planted = planted_secret_values();
    assert!(planted.len() >= 5, "{planted:?}");
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
        let findings = report["findings"].as_array().unwrap();
        assert_eq!(other_findings(findings), expected_others, "{}", store.name);
        assert_eq!(report["subject"]["is_image"], true, "{report}");
        assert!(report.get("policy").is_none(), "no policy configured");
        let text = report.to_string();
        for secret in &planted {
            assert!(
                !text.contains(secret.as_str()),
                "{}: {secret} not redacted",
                store.name
            );
        }

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
        assert_eq!(total as usize, expected_image.len() + expected_others.len());
        assert!(img["policy"].is_null());

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
        // A rule on the image's facts: its verdict needs the subject a recheck keeps.
        config.policy = Some(dockguard_policy::Policy {
            deny_root: true,
            fail_on: Some(dockguard_policy::Threshold::Never),
            warn_on: Some(dockguard_policy::Threshold::Never),
            ..dockguard_policy::Policy::default()
        });
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
        let before_report = before.clone();
        let others_before = other_findings(before["findings"].as_array().unwrap());
        assert!(
            !others_before.is_empty(),
            "secrets and config findings expected"
        );
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
        let (_, rechecked) = server.get_json(&format!("/v1/artifacts/{digest}"));
        assert_eq!(
            other_findings(rechecked["findings"].as_array().unwrap()),
            others_before,
            "{}: a recheck keeps the stored secret and config findings",
            store.name
        );
        assert_eq!(rechecked["subject"]["is_image"], true);
        for report in [&before_report, &rechecked] {
            assert_eq!(report["policy"]["decision"], "FAIL", "{}", store.name);
            let reasons = report["policy"]["reasons"].as_array().unwrap();
            assert_eq!(reasons.len(), 1, "{reasons:?}");
            assert!(reasons[0]["message"]
                .as_str()
                .unwrap()
                .starts_with("deny-root"));
        }
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
                        scanners: None,
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
                        scanners: None,
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
        // The unreachable loopback registry below must be listed: loopback is refused otherwise.
        config.registries = RegistryRules::parse("localhost:1").unwrap();
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
            (
                "/v1/scans",
                br#"{"target": "localhost:1/a", "scanners": ["nope"]}"#.to_vec(),
                400,
            ),
            (
                "/v1/scans",
                br#"{"target": "localhost:1/a", "scanners": []}"#.to_vec(),
                400,
            ),
            (
                "/v1/scans",
                br#"{"target": "localhost:1/a", "scanners": "vuln"}"#.to_vec(),
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
            ("/v1/artifacts?limit=0", 400),
            ("/v1/artifacts?limit=1001", 400),
            ("/v1/artifacts?limit=x", 400),
            ("/v1/artifacts?after=zz", 400),
            ("/v1/artifacts?after=00", 400),
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

const READ_TOKEN: &str = "read-token-0123456789abcdef";
const SUBMIT_TOKEN: &str = "submit-token-0123456789abcdef";

#[test]
fn tokens_gate_every_route_but_the_health_check() {
    let Some(db) = vulndb(&["PyPI"]) else { return };
    let tokens = Tokens::parse(
        &format!("# test tokens\n{READ_TOKEN} read\n{SUBMIT_TOKEN} submit\n"),
        "tokens",
    )
    .unwrap();
    for store in stores() {
        let mut config = config(db.path());
        config.tokens = tokens.clone();
        let server = Running::start(&store, config);
        let sbom = small_sbom("auth");
        // (token, GET /v1/artifacts, POST /v1/sboms)
        let matrix = [
            (None, 401, 401),
            (Some("wrong-token-0123456789abcdef"), 401, 401),
            (Some(READ_TOKEN), 200, 403),
            (Some(SUBMIT_TOKEN), 200, 202),
        ];
        for (token, get, post) in matrix {
            let (s, body, challenge) = server.request_as("GET", "/v1/artifacts", b"", token);
            assert_eq!(s, get, "{}: GET as {token:?}: {body}", store.name);
            assert_eq!(challenge.is_some(), s == 401, "{body}");
            let (s, body, _) = server.request_as("POST", "/v1/sboms", &sbom, token);
            assert_eq!(s, post, "{}: POST as {token:?}: {body}", store.name);
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            if s >= 400 {
                assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{v}");
            }
        }
        // The other routes: every /v1 route and /metrics need a token, /healthz does not.
        for path in [
            "/v1/jobs/0123",
            "/v1/artifacts/sha256:x",
            "/v1/artifacts/sha256:x/changes",
            "/v1/db",
            "/metrics",
            "/v1/nope",
        ] {
            let (s, _, _) = server.request_as("GET", path, b"", None);
            assert_eq!(s, 401, "{}: {path}", store.name);
            let (s, _, _) = server.request_as("GET", path, b"", Some(READ_TOKEN));
            assert_ne!(s, 401, "{}: {path}", store.name);
            assert_ne!(s, 403, "{}: {path}", store.name);
        }
        let (s, _, _) = server.request_as(
            "POST",
            "/v1/scans",
            br#"{"target":"ghcr.io/a/b"}"#,
            Some(READ_TOKEN),
        );
        assert_eq!(s, 403, "{}", store.name);
        let (s, _, _) = server.request_as("GET", "/healthz", b"", None);
        assert_eq!(s, 200, "{}", store.name);
        // A header that is not Bearer, or has nothing after it, is no token.
        for header in ["Basic dXNlcjpwdw==", "Bearer", "Bearer ", READ_TOKEN] {
            let mut r = server
                .http
                .get(format!("{}/v1/artifacts", server.base))
                .header("authorization", header)
                .call()
                .unwrap();
            assert_eq!(r.status().as_u16(), 401, "{header}");
            let _ = r.body_mut().read_to_string();
        }
        let (s, _, _) = server.request_as("GET", "/metrics", b"", Some(SUBMIT_TOKEN));
        assert_eq!(s, 200);
    }
}

#[test]
fn an_unauthenticated_api_stays_on_loopback() {
    let Some(db) = vulndb(&[]) else { return };
    for store in stores() {
        let rt = runtime();
        for listen in ["0.0.0.0:0", "[::]:0"] {
            let mut config = config(db.path());
            config.listen = listen.parse().unwrap();
            config.store = Some(store.url.clone());
            // Refused before anything binds.
            let e = rt.block_on(Server::start(config.clone())).err().unwrap();
            let e = e.to_string();
            assert!(
                e.contains("without authentication")
                    && e.contains("--insecure-no-auth")
                    && e.contains("--token-file"),
                "{}: {e}",
                store.name
            );
            config.insecure_no_auth = true;
            assert!(config.check_exposure().is_ok());
            config.insecure_no_auth = false;
            config
                .tokens
                .add(SUBMIT_TOKEN, Role::Submit, "DOCKGUARD_SERVER_TOKEN")
                .unwrap();
            assert!(config.check_exposure().is_ok());
        }
        let mut loopback: Config = config(db.path());
        loopback.listen = "127.0.0.2:0".parse().unwrap();
        assert!(loopback.check_exposure().is_ok());
        // The default start (loopback, no token) serves as before.
        let server = Running::start(&store, config(db.path()));
        let (s, _) = server.get("/v1/artifacts");
        assert_eq!(s, 200);
    }
}

#[test]
fn scans_of_other_and_internal_registries_are_refused() {
    let Some(db) = vulndb(&[]) else { return };
    for store in stores() {
        // Default: any registry, but none on an internal address.
        let mut defaults = config(db.path());
        defaults.workers = 0;
        let server = Running::start(&store, defaults);
        for target in [
            "10.1.2.3:5000/app:1",
            "registry:192.168.1.10/app",
            "172.20.0.1:443/x/y@sha256:0123456789012345678901234567890123456789012345678901234567890123",
            "169.254.169.254/latest:1",
            "[::1]:5000/app",
            "127.0.0.1:5000/app",
            "localhost:5000/app",
        ] {
            let (s, v) = server.post(
                "/v1/scans",
                serde_json::json!({ "target": target }).to_string().as_bytes(),
            );
            assert_eq!(s, 403, "{}: {target}: {v}", store.name);
            let e = v["error"].as_str().unwrap();
            assert!(
                e.contains("internal address") && e.contains("--allowed-registries"),
                "{e}"
            );
        }
        let (_, m) = server.get("/metrics");
        assert!(m.contains("dockguard_jobs{state=\"queued\"} 0"), "{m}");
        drop(server);

        let mut listed = config(db.path());
        listed.workers = 0;
        listed.allow_local_targets = true;
        listed.registries = RegistryRules::parse("ghcr.io,*.example.com,localhost:1").unwrap();
        let server = Running::start(&store, listed);
        for (target, registry) in [
            ("alpine:3.19", "docker.io"),
            ("docker.io/library/alpine", "docker.io"),
            ("quay.io/a/b:1", "quay.io"),
            ("registry:localhost:2/a", "localhost:2"),
        ] {
            let (s, v) = server.post(
                "/v1/scans",
                serde_json::json!({ "target": target })
                    .to_string()
                    .as_bytes(),
            );
            assert_eq!(s, 403, "{}: {target}: {v}", store.name);
            let e = v["error"].as_str().unwrap();
            assert!(
                e.contains(registry) && e.contains("--allowed-registries"),
                "{e}"
            );
        }
        // Listed exactly: allowed, on a loopback address too (no worker runs: nothing is
        // fetched). Glob-listed names are not tried here: they would need a DNS lookup.
        for target in ["ghcr.io/acme/app:1", "localhost:1/app:1"] {
            let (s, v) = server.post(
                "/v1/scans",
                serde_json::json!({ "target": target })
                    .to_string()
                    .as_bytes(),
            );
            assert_eq!(s, 202, "{}: {target}: {v}", store.name);
        }
    }
}

/// SBOMs under a `[policy]` that fails on any vulnerability: the verdict is stored with the report, shown
/// in the artifact list, and follows the findings.
#[test]
fn the_policy_verdict_is_stored_with_every_report() {
    let Some(db) = vulndb(&["PyPI"]) else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dockguard.toml");
    std::fs::write(
        &file,
        "[other]\nx = 1\n\n[policy]\nwarn-on = \"info\"\n[policy.vuln]\nfail-on = \"info\"\n",
    )
    .unwrap();
    let policy = dockguard_policy::load_policy(&file).unwrap().unwrap();
    let clean = serde_json::to_vec(&serde_json::json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [
            {"type": "library", "name": "local-clean", "version": "1.0", "purl": "pkg:pypi/local-clean@1.0"}
        ]
    }))
    .unwrap();
    for store in stores() {
        let mut config = config(db.path());
        config.policy = Some(policy.clone());
        let server = Running::start(&store, config);
        let (_, bad) = server.post("/v1/sboms?name=vulnerable", &small_sbom("policy"));
        let (_, good) = server.post("/v1/sboms?name=clean", &clean);
        for (job, decision) in [(&bad, "FAIL"), (&good, "PASS")] {
            let j = server.wait_job(job["id"].as_str().unwrap(), Duration::from_secs(60));
            assert_eq!(j["status"], "done", "{j}");
            let digest = job["artifact"].as_str().unwrap();
            let (s, report) = server.get_json(&format!("/v1/artifacts/{digest}"));
            assert_eq!(s, 200);
            assert_eq!(report["policy"]["decision"], decision, "{}", store.name);
            let reasons = report["policy"]["reasons"].as_array().unwrap();
            if decision == "FAIL" {
                assert!(
                    reasons.iter().any(|r| r["decision"] == "FAIL"
                        && r["message"].as_str().unwrap().contains("fail-on")),
                    "{reasons:?}"
                );
            } else {
                assert!(reasons.is_empty(), "{reasons:?}");
            }
            assert!(
                report["subject"]["licensed_packages"].is_array(),
                "{report}"
            );
        }
        let (_, list) = server.get_json("/v1/artifacts");
        let rows = list["artifacts"].as_array().unwrap();
        assert_eq!(rows.len(), 2);
        for row in rows {
            let want = if row["digest"] == bad["artifact"] {
                "FAIL"
            } else {
                "PASS"
            };
            assert_eq!(row["policy"]["decision"], want, "{}: {row}", store.name);
        }
    }
}

#[test]
fn artifact_pages_walk_every_artifact_exactly_once() {
    let Some(db) = vulndb(&["PyPI"]) else { return };
    const N: usize = 23;
    for store in stores() {
        let server = Running::start(&store, config(db.path()));
        let mut submitted: Vec<(String, String)> = Vec::new();
        for i in 0..N {
            let (s, v) = server.post(
                &format!("/v1/sboms?name=page-{i}"),
                &small_sbom(&format!("page{i}")),
            );
            assert_eq!(s, 202, "{v}");
            submitted.push((
                v["id"].as_str().unwrap().to_string(),
                v["artifact"].as_str().unwrap().to_string(),
            ));
        }
        for (id, _) in &submitted {
            server.wait_job(id, Duration::from_secs(120));
        }
        let mut expected: Vec<String> = submitted.iter().map(|(_, d)| d.clone()).collect();
        expected.sort();

        let (_, all) = server.get_json("/v1/artifacts");
        assert_eq!(all["artifacts"].as_array().unwrap().len(), N);
        assert!(all["next"].is_null(), "{}", all["next"]);

        let mut seen: Vec<String> = Vec::new();
        let mut pages = 0;
        let mut next: Option<String> = None;
        loop {
            let path = match &next {
                Some(c) => format!("/v1/artifacts?limit=5&after={c}"),
                None => "/v1/artifacts?limit=5".to_string(),
            };
            let (s, page) = server.get_json(&path);
            assert_eq!(s, 200, "{page}");
            let rows = page["artifacts"].as_array().unwrap();
            assert!(rows.len() <= 5);
            seen.extend(
                rows.iter()
                    .map(|r| r["digest"].as_str().unwrap().to_string()),
            );
            pages += 1;
            if pages == 1 {
                // Seeing an artifact again mid-walk (its last_seen changes) moves nothing.
                let (s, v) = server.post("/v1/sboms?name=again", &small_sbom("page0"));
                assert_eq!(s, 202, "{v}");
                server.wait_job(v["id"].as_str().unwrap(), Duration::from_secs(60));
            }
            match page["next"].as_str() {
                Some(c) => next = Some(c.to_string()),
                None => break,
            }
            assert!(pages <= N, "the walk does not end");
        }
        assert_eq!(pages, N.div_ceil(5), "{}", store.name);
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(
            sorted.len(),
            seen.len(),
            "{}: an artifact came twice",
            store.name
        );
        assert_eq!(sorted, expected, "{}", store.name);
    }
}
