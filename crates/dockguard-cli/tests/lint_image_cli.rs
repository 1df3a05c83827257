//! `dockguard lint --image`: the Dockerfile reconstructed from a fixture image's history, linted
//! with the normal rules, findings pointing at history entries.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockguard"))
        .args(args)
        .current_dir(cwd)
        .env_remove("DOCKGUARD_FORMAT")
        .env("XDG_CACHE_HOME", cwd.join(".cache"))
        .output()
        .expect("run dockguard")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn lint_json(source: &str) -> (Option<i32>, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["lint", "-f", "json", "--image", source]);
    let value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out.status.code(), value)
}

/// Rule id → the history indexes it was reported at (`None` for the placeholder FROM).
fn by_rule(report: &serde_json::Value) -> BTreeMap<String, Vec<Option<u64>>> {
    let mut map: BTreeMap<String, Vec<Option<u64>>> = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        map.entry(f["id"].as_str().unwrap().to_string())
            .or_default()
            .push(f["location"]["history_index"].as_u64());
    }
    for v in map.values_mut() {
        v.sort();
    }
    map
}

#[test]
fn debian12_app_history_findings_point_at_their_entries() {
    let Some(path) = dockguard_testkit::fixture("images/debian12-app") else {
        return;
    };
    let source = format!("oci-dir:{}", path.display());
    let (code, report) = lint_json(&source);
    assert_eq!(code, Some(1));
    let rules = by_rule(&report);
    // What the history of the Dockerfile in images/debian12-app.Dockerfile shows.
    let expect: &[(&str, &[Option<u64>])] = &[
        ("DG1002", &[Some(3)]),           // ENV DB_PASSWORD=…
        ("DL3064", &[Some(3), Some(7)]),  // DB_PASSWORD, ARG NPM_TOKEN
        ("DL3008", &[Some(4)]),           // apt-get install unpinned
        ("DL3015", &[Some(4)]),           // … without --no-install-recommends
        ("DG1015", &[Some(5), Some(13)]), // COPY of id_rsa, of AWS credentials
        ("DG1018", &[Some(6)]),           // StrictHostKeyChecking no
        ("DG1003", &[Some(7)]),           // NPM_TOKEN build argument
        ("DG1005", &[Some(12)]),          // chmod 0777
        ("DG1006", &[Some(12)]),          // chmod 4755
        ("DG1016", &[Some(14)]),          // rm of the key copied earlier
        ("DG1009", &[Some(17)]),          // EXPOSE 22
        ("DG1010", &[None]),              // no USER
    ];
    for (id, at) in expect {
        assert_eq!(
            rules.get(*id).map(Vec::as_slice),
            Some(*at),
            "{id}: {rules:?}"
        );
    }
    assert_eq!(rules.len(), expect.len(), "{rules:?}");
    assert_eq!(report["findings"].as_array().unwrap().len(), 14);
    // Placeholders and the base image's own CMD do not fire.
    for absent in ["DL3006", "DL3007", "DG1011", "DL3020", "DL3021", "DL4003"] {
        assert!(!rules.contains_key(absent), "{absent}: {rules:?}");
    }
    let rebuilt = &report["reconstructed"][0];
    assert_eq!(rebuilt["image"], source.as_str());
    let text = rebuilt["dockerfile"].as_str().unwrap();
    assert!(text.starts_with("# Reconstructed by dockguard"), "{text}");
    assert!(
        text.contains("\nCOPY file:9de1ff772ee0 /root/.ssh/id_rsa\n"),
        "{text}"
    );
    assert_eq!(rebuilt["history"].as_array().unwrap().len(), 19);
    assert_eq!(
        rebuilt["history"][0]["instruction"],
        serde_json::Value::Null
    );
    // Findings also name the layer their history entry made, and the entry in the message.
    let dl3008 = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "DL3008")
        .unwrap();
    assert_eq!(dl3008["location"]["layer_index"], 1);
    assert!(dl3008["message"]
        .as_str()
        .unwrap()
        .starts_with("history[4]: "));
}

#[test]
fn table_output_says_first_that_the_file_is_reconstructed() {
    let Some(path) = dockguard_testkit::fixture("images/debian12-app") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let shown = path.display().to_string();
    let out = run(dir.path(), &["lint", "--color", "never", "--image", &shown]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    let first = table.lines().next().unwrap();
    assert!(
        first.starts_with("# ") && first.contains("reconstructed from the image history"),
        "{first}"
    );
    assert!(table.contains("| RUN rm -f /root/.ssh/id_rsa"), "{table}");
    assert!(table.contains("14 findings"), "{table}");
}

#[test]
fn clean_images_give_nothing_but_a_missing_user() {
    // static-nonroot in three formats and the multi-arch index: USER 65532, exec-form
    // ENTRYPOINT, no RUN: nothing to report.
    for name in [
        "images/static-nonroot",
        "images/static-nonroot.docker-archive.tar",
        "images/static-nonroot-zstd",
        "images/multiarch-index",
    ] {
        let Some(path) = dockguard_testkit::fixture(name) else {
            return;
        };
        let (code, report) = lint_json(&path.display().to_string());
        assert_eq!(code, Some(0), "{name}");
        assert_eq!(report["findings"].as_array().unwrap().len(), 0, "{name}");
    }
    // The Alpine images: ADD of the root filesystem and CMD; only the missing USER.
    let Some(path) = dockguard_testkit::fixture("images/alpine-3.10.4.docker-archive.tar.gz")
    else {
        return;
    };
    let (code, report) = lint_json(&format!("docker-archive:{}", path.display()));
    assert_eq!(code, Some(1));
    let rules = by_rule(&report);
    assert_eq!(rules.keys().collect::<Vec<_>>(), ["DG1010"], "{rules:?}");
}

#[test]
fn lint_image_errors_name_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["lint", "--image", "oci-dir:no/such/layout"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no/such/layout"), "{}", stderr(&out));
    let out = run(dir.path(), &["lint"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a Dockerfile or --image is required"
    );
}
