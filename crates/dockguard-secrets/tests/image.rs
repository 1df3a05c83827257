//! The fixture images: every planted secret is found where the ground truth says, every secret
//! Trivy 0.76 found is found too, nothing else is reported, and no output format leaks a value.

use dockguard_core::{Finding, Report, Severity, ToolInfo};
use dockguard_secrets::{scan_image, SecretOptions};
use dockguard_testkit::require_fixture;
use serde_json::Value;
use std::sync::OnceLock;

const DEBIAN: &str = "images/debian12-app";

fn read_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn scan(source: &str, opts: &SecretOptions) -> Vec<Finding> {
    let image = dockguard_image::open(source, &Default::default()).expect("open fixture image");
    scan_image(&image, opts).expect("scan fixture image")
}

/// The debian12-app findings with default options, shared by the tests (one layer pass).
fn debian_findings() -> Option<&'static Vec<Finding>> {
    static FOUND: OnceLock<Vec<Finding>> = OnceLock::new();
    let dir = dockguard_testkit::fixture(DEBIAN)?;
    Some(FOUND.get_or_init(|| {
        scan(
            &format!("oci-dir:{}:1.3.0", dir.display()),
            &SecretOptions::default(),
        )
    }))
}

fn find<'a>(found: &'a [Finding], id: &str, path: &str, layer: Option<u32>) -> Vec<&'a Finding> {
    found
        .iter()
        .filter(|f| f.id == id && f.location.path.as_deref() == Some(path))
        .filter(|f| layer.is_none() || f.location.layer_index == layer)
        .collect()
}

#[test]
fn every_planted_secret_is_found_with_path_layer_line_and_deletion() {
    let expected = read_json(&require_fixture!("expected/debian12-app.secrets.json"));
    let Some(found) = debian_findings() else {
        return;
    };
    for file in expected["files"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap();
        let kind = file["kind"].as_str().unwrap();
        let deleted = file["deleted_later"].as_bool().unwrap();
        let example = file["documentation_example"].as_bool().unwrap();
        for occ in file["occurrences"].as_array().unwrap() {
            let layer = occ["layer_index"].as_u64().unwrap() as u32;
            let line = occ["line"].as_u64().unwrap() as u32;
            let hits: Vec<_> = find(found, kind, path, Some(layer))
                .into_iter()
                .filter(|f| f.location.line == Some(line))
                .collect();
            assert_eq!(
                hits.len(),
                1,
                "{kind} in {path} layer {layer} line {line}: {found:#?}"
            );
            let f = hits[0];
            assert_eq!(
                f.location.layer_digest.as_deref(),
                occ["layer_digest"].as_str(),
                "{kind} {path}"
            );
            if deleted {
                let by = file["deleted_in_layer"].as_u64().unwrap();
                let says = format!("deleted in layer {by} — still extractable from layer {layer}");
                assert!(f.message.contains(&says), "{}", f.message);
            } else {
                assert!(!f.message.contains("deleted in layer"), "{}", f.message);
            }
            if example {
                assert_eq!(f.severity, Severity::Low, "{kind} documentation example");
                assert!(f.message.contains("documentation example"), "{}", f.message);
            } else {
                assert!(f.severity >= Severity::High, "{kind}: {:?}", f.severity);
            }
        }
    }
    for c in expected["config"].as_array().unwrap() {
        let kind = c["kind"].as_str().unwrap();
        assert_eq!(find(found, kind, "config.Env", None).len(), 1, "{c}");
    }
    for h in expected["history"].as_array().unwrap() {
        let kind = h["kind"].as_str().unwrap();
        let path = format!("history[{}].created_by", h["history_index"]);
        assert_eq!(find(found, kind, &path, None).len(), 1, "{h}");
    }
}

/// Trivy's rule ids where ours differ.
fn ours(trivy_rule: &str) -> &str {
    match trivy_rule {
        "slack-access-token" => "slack-bot-token",
        "stripe-secret-token" => "stripe-secret-key",
        other => other,
    }
}

#[test]
fn superset_of_trivy_and_every_extra_is_a_planted_secret() {
    let trivy = read_json(&require_fixture!("expected/debian12-app.trivy.json"));
    let expected = read_json(&require_fixture!("expected/debian12-app.secrets.json"));
    let Some(found) = debian_findings() else {
        return;
    };
    for t in trivy["secrets"].as_array().unwrap() {
        let rule = ours(t["rule_id"].as_str().unwrap());
        let path = t["target"].as_str().unwrap();
        let line = t["start_line"].as_u64().unwrap() as u32;
        let digest = t["layer_digest"].as_str();
        let hit = found.iter().any(|f| {
            f.id == rule
                && f.location.path.as_deref() == Some(path)
                && f.location.layer_digest.as_deref() == digest
                // Trivy reports a key at the line after BEGIN.
                && (f.location.line == Some(line) || (rule == "private-key" && f.location.line == Some(line - 1)))
        });
        assert!(
            hit,
            "trivy found {rule} in {path}:{line} ({digest:?}), we did not"
        );
    }
    // Everything we report beyond Trivy is in the hand-written ground truth.
    let mut truth: Vec<(String, String)> = Vec::new();
    for f in expected["files"].as_array().unwrap() {
        truth.push((
            f["kind"].as_str().unwrap().into(),
            f["path"].as_str().unwrap().into(),
        ));
    }
    for c in expected["config"].as_array().unwrap() {
        truth.push((c["kind"].as_str().unwrap().into(), "config.Env".into()));
    }
    for h in expected["history"].as_array().unwrap() {
        let path = format!("history[{}].created_by", h["history_index"]);
        truth.push((h["kind"].as_str().unwrap().into(), path));
    }
    // The ENV instruction itself is recorded in the history, so DB_PASSWORD appears there too.
    let env_step = expected["config"][0]["value"].as_str().unwrap();
    let image = dockguard_image::open(
        &format!("oci-dir:{}:1.3.0", require_fixture!(DEBIAN).display()),
        &Default::default(),
    )
    .unwrap();
    for (i, h) in image.history.iter().enumerate() {
        if h.created_by
            .as_deref()
            .is_some_and(|c| c.contains(env_step))
        {
            truth.push((
                "generic-password".into(),
                format!("history[{i}].created_by"),
            ));
        }
    }
    for f in found {
        let key = (f.id.clone(), f.location.path.clone().unwrap_or_default());
        assert!(
            truth.contains(&key),
            "unexpected finding (not planted): {f:#?}"
        );
    }
}

#[test]
fn static_nonroot_has_no_secrets() {
    let dir = require_fixture!("images/static-nonroot");
    let found = scan(
        &format!("oci-dir:{}", dir.display()),
        &SecretOptions::default(),
    );
    assert!(found.is_empty(), "{found:#?}");
}

/// Every secret value of the fixture, to look for in rendered output.
fn planted_values() -> Vec<String> {
    let Some(expected) = dockguard_testkit::fixture("expected/debian12-app.secrets.json") else {
        return Vec::new();
    };
    let expected = read_json(&expected);
    let mut values: Vec<String> = Vec::new();
    for f in expected["files"].as_array().unwrap() {
        for o in f["occurrences"].as_array().unwrap() {
            let m = o["match"].as_str().unwrap();
            if !m.starts_with("-----BEGIN") && !m.contains("://") {
                values.push(m.to_string());
            }
        }
    }
    values.push(expected["config"][0]["value"].as_str().unwrap().to_string());
    for h in expected["history"].as_array().unwrap() {
        let m = h["match"].as_str().unwrap();
        values.push(m.split_once('=').map_or(m, |(_, v)| v).to_string());
    }
    // A line from the middle of each private key.
    for key in [
        "images/debian12-app.context/id_rsa",
        "images/debian12-app.context/app/certs/server.key",
    ] {
        if let Some(p) = dockguard_testkit::fixture(key) {
            let text = std::fs::read_to_string(p).unwrap();
            values.push(text.lines().nth(3).unwrap().to_string());
        }
    }
    values
}

fn render_all(found: &[Finding]) -> Vec<(String, String)> {
    let report = Report::new(
        ToolInfo::dockguard("0.0.0"),
        vec![DEBIAN.into()],
        found.to_vec(),
    );
    let opts = dockguard_report::RenderOptions::default();
    [
        "table",
        "json",
        "sarif",
        "checkstyle",
        "gitlab-codequality",
        "junit",
    ]
    .iter()
    .map(|fmt| {
        let mut out = Vec::new();
        dockguard_report::render(&report, fmt.parse().unwrap(), &opts, &mut out).unwrap();
        (fmt.to_string(), String::from_utf8(out).unwrap())
    })
    .collect()
}

#[test]
fn no_output_format_shows_a_secret_unless_asked() {
    let Some(found) = debian_findings() else {
        return;
    };
    let values = planted_values();
    assert!(values.len() >= 10, "{values:?}");
    for (fmt, text) in render_all(found) {
        for v in &values {
            assert!(
                !text.contains(v.as_str()),
                "{fmt} output shows a secret value"
            );
        }
    }
    // And --show-secrets really shows them (so the check above can fail).
    let dir = require_fixture!(DEBIAN);
    let shown = scan(
        &format!("oci-dir:{}:1.3.0", dir.display()),
        &SecretOptions {
            show_secrets: true,
            ..SecretOptions::default()
        },
    );
    let json = &render_all(&shown)[1].1;
    for v in &values {
        assert!(
            json.contains(v.as_str()),
            "--show-secrets JSON lacks a value"
        );
    }
}

#[test]
fn findings_snapshot() {
    let Some(found) = debian_findings() else {
        return;
    };
    let lines: Vec<String> = found
        .iter()
        .map(|f| {
            format!(
                "{} {} {}:{} layer={} {}",
                f.id,
                f.severity,
                f.location.path.as_deref().unwrap_or(""),
                f.location.line.unwrap_or(0),
                f.location.layer_index.map_or("-".into(), |l| l.to_string()),
                f.message
            )
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn directories_are_scanned_too() {
    let dir = require_fixture!("images/debian12-app.context");
    let found = dockguard_secrets::scan_dir(&dir, &SecretOptions::default()).unwrap();
    let mut ids: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.id.as_str(), f.location.path.as_deref().unwrap_or("")))
        .collect();
    ids.sort();
    for want in [
        ("private-key", "/id_rsa"),
        ("private-key", "/app/certs/server.key"),
        ("github-pat", "/app/.env"),
        ("npm-access-token", "/build-args.env"),
        ("aws-access-key-id", "/aws-credentials"),
    ] {
        assert!(ids.contains(&want), "{want:?} missing from {ids:?}");
    }
}
