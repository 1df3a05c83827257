//! OCI annotations end to end: `inspect` shows the manifest's and the index entry's, and
//! `scan` takes the base image from them (manifest first, then the index entry) before the
//! config label and the Dockerfile. The layouts are copies of a fixture whose manifest or
//! `index.json` entry is rewritten, with the manifest digest recomputed.

use dockguard_image::Digest;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const BASE_NAME: &str = "org.opencontainers.image.base.name";
const BASE_DIGEST: &str = "org.opencontainers.image.base.digest";

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockguard"))
        .args(args)
        .current_dir(cwd)
        .env_remove("DOCKGUARD_FORMAT")
        .env_remove("DOCKGUARD_DB_DIR")
        .env("XDG_CACHE_HOME", cwd.join(".cache"))
        .output()
        .expect("run dockguard")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(out)))
}

/// Sets annotations on the first manifest of the layout at `dir` (stored as a new blob, the
/// `index.json` entry pointed at it) and on that entry.
fn annotate(dir: &Path, manifest: &[(&str, &str)], entry: &[(&str, &str)]) {
    let index_path = dir.join("index.json");
    let mut index: Value = serde_json::from_slice(&std::fs::read(&index_path).unwrap()).unwrap();
    let old = index["manifests"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let blob = |d: &str| dir.join("blobs/sha256").join(&d["sha256:".len()..]);
    let mut m: Value = serde_json::from_slice(&std::fs::read(blob(&old)).unwrap()).unwrap();
    for (k, v) in manifest {
        m["annotations"][*k] = (*v).into();
    }
    let bytes = serde_json::to_vec(&m).unwrap();
    let digest = Digest::sha256_of(&bytes).to_string();
    std::fs::write(blob(&digest), &bytes).unwrap();
    let e = &mut index["manifests"][0];
    e["digest"] = digest.into();
    e["size"] = bytes.len().into();
    for (k, v) in entry {
        e["annotations"][*k] = (*v).into();
    }
    std::fs::write(&index_path, serde_json::to_vec(&index).unwrap()).unwrap();
}

fn base_digest() -> String {
    format!("sha256:{}", "5e".repeat(32))
}

#[test]
fn inspect_shows_manifest_and_index_entry_annotations() {
    let Some(app) = dockguard_testkit::fixture("images/static-nonroot") else {
        return;
    };
    let layout = dockguard_testkit::copy_layout(&app);
    let digest = base_digest();
    annotate(
        layout.path(),
        &[
            (BASE_NAME, "gcr.io/distroless/static:nonroot"),
            (BASE_DIGEST, &digest),
            ("org.example.note", "line one\nline two\u{1b}[31m"),
        ],
        &[("org.example.pipeline", "nightly")],
    );
    let source = format!("oci-dir:{}", layout.path().display());
    let work = tempfile::tempdir().unwrap();

    let out = run(
        work.path(),
        &["inspect", "--no-cache", "-f", "json", &source],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(
        doc["annotations"][BASE_NAME],
        "gcr.io/distroless/static:nonroot"
    );
    assert_eq!(doc["annotations"][BASE_DIGEST], digest.as_str());
    assert_eq!(doc["index_annotations"]["org.example.pipeline"], "nightly");
    assert_eq!(
        doc["index_annotations"]["org.opencontainers.image.ref.name"],
        "1.0.0"
    );

    let out = run(work.path(), &["inspect", "--no-cache", &source]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("Annotations org.example.note=line one\\nline two\\u{1b}[31m\n"),
        "{table}"
    );
    assert!(
        table.contains(&format!(
            "            {BASE_NAME}=gcr.io/distroless/static:nonroot\n"
        )),
        "{table}"
    );
    assert!(
        table.contains("            org.example.pipeline=nightly  (index entry)\n"),
        "{table}"
    );
    // The tag is the reference; it is not repeated as an annotation.
    assert!(!table.contains("ref.name"), "{table}");
    assert!(
        !table.contains('\u{1b}'),
        "control characters reach the terminal"
    );

    // A docker-archive has no manifest: the JSON maps are empty, the table has no line.
    if let Some(archive) = dockguard_testkit::fixture("images/static-nonroot.docker-archive.tar") {
        let archive = format!("docker-archive:{}", archive.display());
        let out = run(
            work.path(),
            &["inspect", "--no-cache", "-f", "json", &archive],
        );
        let doc = json(&out);
        assert_eq!(doc["annotations"], serde_json::json!({}));
        assert_eq!(doc["index_annotations"], serde_json::json!({}));
        let out = run(work.path(), &["inspect", "--no-cache", &archive]);
        assert!(!String::from_utf8_lossy(&out.stdout).contains("Annotations"));
    }
}

/// The base the policy judges, and where it came from, for a layout and optional Dockerfile.
fn scanned_base(layout: &Path, dockerfile: Option<&Path>) -> (Value, Value, Value) {
    let work = tempfile::tempdir().unwrap();
    std::fs::write(
        work.path().join("dockguard.toml"),
        "[policy]\nallowed-base-images = [\"docker.io/library/debian:12*\"]\n",
    )
    .unwrap();
    let source = format!("oci-dir:{}", layout.display());
    let mut args = vec!["scan", "--scanners", "config", "--no-cache", "-f", "json"];
    let shown;
    if let Some(d) = dockerfile {
        shown = d.display().to_string();
        args.extend(["--dockerfile", &shown]);
    }
    args.push(&source);
    let out = run(work.path(), &args);
    let report = json(&out);
    (
        report["subject"]["base_image"].clone(),
        report["subject"]["base_image_from"].clone(),
        report["policy"]["reasons"].clone(),
    )
}

#[test]
fn scan_reads_the_base_from_annotations_first() {
    let Some(app) = dockguard_testkit::fixture("images/static-nonroot") else {
        return;
    };
    let digest = base_digest();

    // Manifest annotations: name and digest.
    let layout = dockguard_testkit::copy_layout(&app);
    annotate(
        layout.path(),
        &[
            (BASE_NAME, "gcr.io/distroless/static:nonroot"),
            (BASE_DIGEST, &digest),
        ],
        &[(BASE_NAME, "ignored/because/the-manifest-names-one:1")],
    );
    let (base, from, reasons) = scanned_base(layout.path(), None);
    assert_eq!(
        base,
        format!("gcr.io/distroless/static:nonroot@{digest}").as_str()
    );
    assert_eq!(from, format!("manifest annotation {BASE_NAME}").as_str());
    let reasons = reasons.to_string();
    assert!(
        reasons.contains(&format!(
            "the base image gcr.io/distroless/static:nonroot@{digest} (from manifest \
             annotation {BASE_NAME}) matches none of docker.io/library/debian:12*"
        )),
        "{reasons}"
    );

    // The fixture's own manifest names no base (buildah writes an empty name); the index
    // entry's annotation is next, ahead of the Dockerfile.
    let layout = dockguard_testkit::copy_layout(&app);
    annotate(layout.path(), &[], &[(BASE_NAME, "debian:12-slim")]);
    let dockerfile = layout.path().join("Dockerfile");
    std::fs::write(&dockerfile, "FROM alpine:3.20\nUSER 1000\n").unwrap();
    let (base, from, reasons) = scanned_base(layout.path(), Some(&dockerfile));
    assert_eq!(base, "debian:12-slim");
    assert_eq!(from, format!("index annotation {BASE_NAME}").as_str());
    assert!(
        !reasons.to_string().contains("allowed-base-images"),
        "{reasons}"
    );

    // Without annotations naming a base, the Dockerfile is used, as before.
    let plain = dockguard_testkit::copy_layout(&app);
    let dockerfile = plain.path().join("Dockerfile");
    std::fs::write(&dockerfile, "FROM alpine:3.20\nUSER 1000\n").unwrap();
    let (base, from, _) = scanned_base(plain.path(), Some(&dockerfile));
    assert_eq!(base, "alpine:3.20");
    assert_eq!(
        from,
        format!("Dockerfile {}", dockerfile.display()).as_str()
    );
}
