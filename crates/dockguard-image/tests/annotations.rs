//! Manifest annotations and the annotations of the index entry that selected the manifest,
//! read from a copy of a fixture layout whose manifest is rewritten (new digest, new
//! `index.json` entry) so that every digest still verifies.

use dockguard_image::{open, Digest, OpenOptions};
use dockguard_testkit::require_fixture;
use serde_json::Value;
use std::path::Path;

fn amd64() -> OpenOptions {
    OpenOptions {
        platform: Some("linux/amd64".parse().unwrap()),
        ..OpenOptions::default()
    }
}

/// Adds `manifest` to the manifest's annotations and `entry` to its `index.json` entry's,
/// storing the rewritten manifest as a new blob. Returns the new manifest digest.
fn annotate(layout: &Path, manifest: &[(&str, &str)], entry: &[(&str, &str)]) -> String {
    let index_path = layout.join("index.json");
    let mut index: Value = serde_json::from_slice(&std::fs::read(&index_path).unwrap()).unwrap();
    let old = index["manifests"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let blob = |d: &str| layout.join("blobs/sha256").join(&d["sha256:".len()..]);
    let mut m: Value = serde_json::from_slice(&std::fs::read(blob(&old)).unwrap()).unwrap();
    for (k, v) in manifest {
        m["annotations"][*k] = (*v).into();
    }
    let bytes = serde_json::to_vec(&m).unwrap();
    let digest = Digest::sha256_of(&bytes).to_string();
    std::fs::write(blob(&digest), &bytes).unwrap();
    let e = &mut index["manifests"][0];
    e["digest"] = digest.clone().into();
    e["size"] = bytes.len().into();
    for (k, v) in entry {
        e["annotations"][*k] = (*v).into();
    }
    std::fs::write(&index_path, serde_json::to_vec(&index).unwrap()).unwrap();
    digest
}

#[test]
fn manifest_and_index_entry_annotations_are_exposed() {
    let app = require_fixture!("images/static-nonroot");
    let copy = dockguard_testkit::copy_layout(&app);
    let base_digest = format!("sha256:{}", "ab".repeat(32));
    let digest = annotate(
        copy.path(),
        &[
            (
                "org.opencontainers.image.base.name",
                "gcr.io/distroless/static:nonroot",
            ),
            ("org.opencontainers.image.base.digest", &base_digest),
        ],
        &[("org.example.pipeline", "nightly")],
    );
    let image = open(
        &format!("oci-dir:{}:1.0.0", copy.path().display()),
        &amd64(),
    )
    .unwrap();
    assert_eq!(image.manifest_digest.as_ref().unwrap().as_str(), digest);
    assert_eq!(
        image.annotations["org.opencontainers.image.base.name"],
        "gcr.io/distroless/static:nonroot"
    );
    assert_eq!(
        image.annotations["org.opencontainers.image.base.digest"],
        base_digest
    );
    assert_eq!(image.annotations.len(), 2);
    assert_eq!(image.index_annotations["org.example.pipeline"], "nightly");
    assert_eq!(
        image.index_annotations["org.opencontainers.image.ref.name"],
        "1.0.0"
    );

    // The untouched fixture's manifest has what buildah writes: an empty base name and the
    // base digest. Its entry has the tag only.
    let plain = open(&format!("oci-dir:{}", app.display()), &amd64()).unwrap();
    assert_eq!(plain.annotations["org.opencontainers.image.base.name"], "");
    assert_eq!(
        plain.annotations["org.opencontainers.image.base.digest"],
        "sha256:7363bbd34557f15e88638472717a9c2e2865697737c0ad000480484a9107a7d4"
    );
    assert_eq!(plain.index_annotations.len(), 1);
}

#[test]
fn a_manifest_rewritten_without_fixing_the_index_is_refused() {
    let app = require_fixture!("images/static-nonroot");
    let copy = dockguard_testkit::copy_layout(&app);
    let index_path = copy.path().join("index.json");
    let index: Value = serde_json::from_slice(&std::fs::read(&index_path).unwrap()).unwrap();
    let old = index["manifests"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let blob = copy.path().join("blobs/sha256").join(&old[7..]);
    let mut m: Value = serde_json::from_slice(&std::fs::read(&blob).unwrap()).unwrap();
    m["annotations"]["org.opencontainers.image.base.name"] = "evil:latest".into();
    std::fs::write(&blob, serde_json::to_vec(&m).unwrap()).unwrap();
    let err = open(&format!("oci-dir:{}", copy.path().display()), &amd64())
        .unwrap_err()
        .to_string();
    assert!(err.contains("manifest"), "{err}");
}

#[test]
fn the_platform_entry_of_a_nested_index_is_the_one_read() {
    let fixture = require_fixture!("images/multiarch-index");
    let copy = dockguard_testkit::copy_layout(&fixture);
    let index_path = copy.path().join("index.json");
    let mut top: Value = serde_json::from_slice(&std::fs::read(&index_path).unwrap()).unwrap();
    let inner_digest = top["manifests"][0]["digest"].as_str().unwrap().to_string();
    let blob = |d: &str| copy.path().join("blobs/sha256").join(&d["sha256:".len()..]);
    let mut inner: Value =
        serde_json::from_slice(&std::fs::read(blob(&inner_digest)).unwrap()).unwrap();
    let amd64_entry = inner["manifests"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|e| e["platform"]["architecture"] == "amd64")
        .unwrap();
    amd64_entry["annotations"] =
        serde_json::json!({"org.opencontainers.image.base.name": "scratch"});
    let bytes = serde_json::to_vec(&inner).unwrap();
    let digest = Digest::sha256_of(&bytes).to_string();
    std::fs::write(blob(&digest), &bytes).unwrap();
    top["manifests"][0]["digest"] = digest.clone().into();
    top["manifests"][0]["size"] = bytes.len().into();
    std::fs::write(&index_path, serde_json::to_vec(&top).unwrap()).unwrap();

    let image = open(&format!("oci-dir:{}", copy.path().display()), &amd64()).unwrap();
    assert_eq!(image.index_digest.as_ref().unwrap().as_str(), digest);
    assert_eq!(
        image.index_annotations["org.opencontainers.image.base.name"],
        "scratch"
    );
    // The tag sits on the outer entry, which points at the index, not at the manifest.
    assert!(!image
        .index_annotations
        .contains_key("org.opencontainers.image.ref.name"));
    // The manifest's own annotations (the same manifest as static-nonroot's) stay apart.
    assert_eq!(image.annotations["org.opencontainers.image.base.name"], "");

    let arm = OpenOptions {
        platform: Some("linux/arm64/v8".parse().unwrap()),
        ..OpenOptions::default()
    };
    let other = open(&format!("oci-dir:{}", copy.path().display()), &arm).unwrap();
    assert!(other.index_annotations.is_empty());
}
