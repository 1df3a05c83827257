//! Every fixture image, in every format it is provided in, against `expected/*.image.json`,
//! and (when the tools are installed, always under CI=true) against `umoci unpack` file lists
//! and `skopeo inspect` digests.

mod support;

use dockguard_image::{open, Change, FileKind, Image, OpenOptions, Platform, Scan, ScanOptions};
use dockguard_testkit::require_fixture;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use support::{tool, write_tar, TarItem};

fn expected(name: &str) -> Option<Value> {
    let p = dockguard_testkit::fixture(&format!("expected/{name}.image.json"))?;
    Some(serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
}

fn amd64() -> OpenOptions {
    OpenOptions {
        platform: Some("linux/amd64".parse().unwrap()),
        ..OpenOptions::default()
    }
}

fn opened(source: &str) -> (Image, Scan) {
    let image = open(source, &amd64()).unwrap_or_else(|e| panic!("open {source}: {e}"));
    let scan = image
        .scan(&[], &ScanOptions::default())
        .unwrap_or_else(|e| panic!("scan {source}: {e}"));
    (image, scan)
}

/// Compares an opened image with the computed ground truth.
fn check_against_expected(image: &Image, scan: &Scan, exp: &Value) {
    let s = |v: &Value| v.as_str().map(str::to_string);
    assert_eq!(
        image.manifest_digest.as_ref().map(|d| d.to_string()),
        s(&exp["manifest_digest"]),
        "manifest digest"
    );
    assert_eq!(
        image.config_digest.as_ref().map(|d| d.to_string()),
        s(&exp["config_digest"]),
        "config digest"
    );
    assert_eq!(
        image.platform.architecture,
        exp["architecture"].as_str().unwrap()
    );
    assert_eq!(image.platform.os, exp["os"].as_str().unwrap());
    assert_eq!(image.created.as_deref(), exp["created"].as_str());
    let layers = exp["layers"].as_array().unwrap();
    assert_eq!(image.layers.len(), layers.len(), "layer count");
    assert_eq!(scan.layers.len(), layers.len());
    for (i, l) in layers.iter().enumerate() {
        let scanned = &scan.layers[i];
        assert_eq!(
            scanned.digest.as_ref().unwrap().as_str(),
            l["digest"].as_str().unwrap(),
            "layer {i} digest"
        );
        assert_eq!(
            scanned.diff_id.as_ref().unwrap().as_str(),
            l["diff_id"].as_str().unwrap(),
            "layer {i} diff_id"
        );
        assert_eq!(scanned.size, l["size"].as_u64().unwrap(), "layer {i} size");
        assert_eq!(
            image.layers[i].media_type,
            l["media_type"].as_str().unwrap(),
            "layer {i} media type"
        );
        assert_eq!(
            image.layers[i].created_by.as_deref(),
            l["created_by"].as_str(),
            "layer {i} created_by"
        );
    }
    let hist = exp["history"].as_array().unwrap();
    assert_eq!(image.history.len(), hist.len());
    for (h, e) in image.history.iter().zip(hist) {
        assert_eq!(h.created_by.as_deref(), e["created_by"].as_str());
        assert_eq!(h.comment.as_deref(), e["comment"].as_str());
        assert_eq!(h.empty_layer, e["empty_layer"].as_bool().unwrap_or(false));
    }
    if let Some(tags) = exp["repo_tags"].as_array() {
        let want: Vec<&str> = tags.iter().filter_map(Value::as_str).collect();
        assert_eq!(image.repo_tags, want);
    }
}

#[test]
fn debian12_app_oci_dir() {
    let dir = require_fixture!("images/debian12-app");
    let exp = expected("debian12-app").unwrap();
    let (image, scan) = opened(&format!("oci-dir:{}:1.3.0", dir.display()));
    check_against_expected(&image, &scan, &exp);
    assert_eq!(image.reference.as_deref(), Some("1.3.0"));
    assert_eq!(image.config.user, None);
    assert_eq!(image.config.exposed_ports, ["22/tcp", "80/tcp"]);
    assert_eq!(image.config.working_dir.as_deref(), Some("/app"));
    assert!(image
        .config
        .env
        .iter()
        .any(|e| e.starts_with("DB_PASSWORD=")));
    assert!(image.config.healthcheck.is_none());
    // Plain path with and without the tag autodetects the layout.
    let (plain, _) = (open(&dir.display().to_string(), &amd64()).unwrap(), ());
    assert_eq!(plain.manifest_digest, image.manifest_digest);
}

#[test]
fn debian12_app_deleted_ssh_key_keeps_its_history() {
    let dir = require_fixture!("images/debian12-app");
    let secrets: Value = serde_json::from_slice(
        &std::fs::read(dockguard_testkit::fixture("expected/debian12-app.secrets.json").unwrap())
            .unwrap(),
    )
    .unwrap();
    let key = secrets["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "ssh-deploy-key")
        .unwrap();
    let path = key["path"].as_str().unwrap();
    let (image, scan) = opened(&format!("oci-dir:{}", dir.display()));
    let hist: Vec<(usize, Change)> = scan
        .fs
        .history(path)
        .iter()
        .map(|e| (e.layer_index, e.change))
        .collect();
    let deleted_in = key["deleted_in_layer"].as_u64().unwrap() as usize;
    let occurrences: Vec<usize> = key["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["layer_index"].as_u64().unwrap() as usize)
        .collect();
    assert_eq!(occurrences, [2, 3]);
    assert_eq!(
        hist,
        [
            (2, Change::Added),
            (3, Change::Changed),
            (deleted_in, Change::Deleted)
        ]
    );
    assert!(scan.fs.get(path).is_none(), "deleted in the merged view");
    for o in key["occurrences"].as_array().unwrap() {
        let li = o["layer_index"].as_u64().unwrap() as usize;
        assert_eq!(
            scan.layers[li].digest.as_ref().unwrap().as_str(),
            o["layer_digest"].as_str().unwrap()
        );
        let e = scan
            .fs
            .layer(li)
            .iter()
            .find(|e| e.path == path)
            .expect("key in its layer");
        assert_eq!(e.kind, FileKind::Regular);
        let (content, truncated) = image.read_file(e, 1 << 20).unwrap();
        assert!(!truncated);
        assert!(String::from_utf8_lossy(&content).contains(key["match"].as_str().unwrap()));
    }
    let wh = scan
        .fs
        .layer(deleted_in)
        .iter()
        .find(|e| e.path == path)
        .expect("whiteout");
    assert_eq!(wh.kind, FileKind::Whiteout);
    // Layer 2's copy is overwritten by layer 3's chmod: wasted space.
    assert!(
        scan.fs.stats(2).wasted_bytes
            >= scan
                .fs
                .layer(2)
                .iter()
                .find(|e| e.path == path)
                .unwrap()
                .size
    );
    // Other planted secrets are present in the final view.
    assert!(scan.fs.get("/app/.env").is_some());
    let find = scan.fs.get("/usr/local/bin/find-admin").unwrap();
    assert!(find.is_setuid());
    assert_eq!(scan.fs.get("/srv/uploads").unwrap().mode & 0o777, 0o777);
}

#[test]
fn static_nonroot_gzip_and_zstd() {
    for name in ["static-nonroot", "static-nonroot-zstd"] {
        let dir = require_fixture!(&format!("images/{name}"));
        let exp = expected(name).unwrap();
        let (image, scan) = opened(&format!("oci-dir:{}", dir.display()));
        check_against_expected(&image, &scan, &exp);
        assert_eq!(image.config.user.as_deref(), Some("65532:65532"));
        assert!(scan.fs.get("/usr/local/bin/dg-hello").is_some());
    }
}

#[test]
fn static_nonroot_docker_archive() {
    let tar = require_fixture!("images/static-nonroot.docker-archive.tar");
    let exp = expected("static-nonroot.docker-archive").unwrap();
    let (image, scan) = opened(&format!("docker-archive:{}", tar.display()));
    check_against_expected(&image, &scan, &exp);
    // Autodetected from a plain path, and selectable by RepoTag.
    let plain = open(&tar.display().to_string(), &amd64()).unwrap();
    assert_eq!(plain.format, dockguard_image::SourceFormat::DockerArchive);
    let tagged = open(
        &format!("{}:localhost/dockguard/static-nonroot:1.0.0", tar.display()),
        &amd64(),
    )
    .unwrap();
    assert_eq!(tagged.config_digest, image.config_digest);
    let err = open(&format!("docker-archive:{}:nope", tar.display()), &amd64()).unwrap_err();
    assert!(
        err.to_string()
            .contains("localhost/dockguard/static-nonroot:1.0.0"),
        "{err}"
    );
}

#[test]
fn alpine_gzipped_docker_archives() {
    for name in ["alpine-3.10.4", "alpine-3.11.5"] {
        let tar = require_fixture!(&format!("images/{name}.docker-archive.tar.gz"));
        let exp = expected(name).unwrap();
        let (image, scan) = opened(&format!("docker-archive:{}", tar.display()));
        check_against_expected(&image, &scan, &exp);
        assert!(scan.fs.get("/lib/apk/db/installed").is_some());
        assert!(
            scan.fs.resolve("/bin/sh").is_some(),
            "busybox symlink resolves"
        );
    }
}

#[test]
fn multiarch_nested_index_and_platforms() {
    let dir = require_fixture!("images/multiarch-index");
    let exp = expected("multiarch-index").unwrap();
    let (image, scan) = opened(&format!("oci-dir:{}:1.0.0", dir.display()));
    check_against_expected(&image, &scan, &exp);
    assert_eq!(
        image.index_digest.as_ref().unwrap().as_str(),
        "sha256:d752218f066a189add464829096407db1995ebd09e837df42c92a6fb1bf2119d"
    );
    let arm = open(
        &format!("oci-dir:{}", dir.display()),
        &OpenOptions {
            platform: Some("linux/arm64".parse().unwrap()),
            ..OpenOptions::default()
        },
    )
    .unwrap();
    assert_eq!(
        arm.manifest_digest.as_ref().unwrap().as_str(),
        "sha256:7edc387ebbba8721611e30427eb1f34218a750757c5172e6ff6ee4853ab0211d"
    );
    assert_eq!(arm.platform.architecture, "arm64");
    // Same layer blob as the amd64 image.
    assert_eq!(arm.layers[0].digest, image.layers[0].digest);
    let err = open(
        &format!("oci-dir:{}", dir.display()),
        &OpenOptions {
            platform: Some(Platform {
                os: "linux".into(),
                architecture: "s390x".into(),
                ..Platform::default()
            }),
            ..OpenOptions::default()
        },
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("linux/amd64") && msg.contains("linux/arm64/v8"),
        "{msg}"
    );
    // Selecting the nested index by digest works too.
    let by_digest = open(
        &format!(
            "oci-dir:{}@sha256:d752218f066a189add464829096407db1995ebd09e837df42c92a6fb1bf2119d",
            dir.display()
        ),
        &amd64(),
    )
    .unwrap();
    assert_eq!(by_digest.manifest_digest, image.manifest_digest);
}

/// oci-archive is not among the fixtures: build it (plain and gzip) from the OCI layout.
#[test]
fn oci_archive_from_layout() {
    let dir = require_fixture!("images/static-nonroot");
    let exp = expected("static-nonroot").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut items = Vec::new();
    for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if rel.is_empty() {
            continue;
        }
        if e.file_type().is_dir() {
            items.push(TarItem::dir(&rel));
        } else {
            items.push(TarItem::file(&rel, std::fs::read(e.path()).unwrap()));
        }
    }
    let bytes = write_tar(&items);
    let plain = tmp.path().join("img.tar");
    std::fs::write(&plain, &bytes).unwrap();
    let gz = tmp.path().join("img.tar.gz");
    std::fs::write(&gz, support::gzip(&bytes)).unwrap();
    for p in [&plain, &gz] {
        let (image, scan) = opened(&format!("oci-archive:{}", p.display()));
        check_against_expected(&image, &scan, &exp);
        let auto = open(&p.display().to_string(), &amd64()).unwrap();
        assert_eq!(auto.format, dockguard_image::SourceFormat::OciArchive);
    }
}

/// `dir:` sources read an unpacked rootfs; umoci makes one from the layout when installed.
#[test]
fn merged_view_matches_umoci_unpack() {
    if !tool("umoci") {
        return;
    }
    for (name, tag) in [("static-nonroot", "1.0.0"), ("debian12-app", "1.3.0")] {
        let dir = require_fixture!(&format!("images/{name}"));
        let tmp = tempfile::tempdir().unwrap();
        let bundle = tmp.path().join("bundle");
        let st = std::process::Command::new("umoci")
            .args(["unpack", "--image"])
            .arg(format!("{}:{tag}", dir.display()))
            .arg(&bundle)
            .output()
            .unwrap();
        assert!(
            st.status.success(),
            "umoci: {}",
            String::from_utf8_lossy(&st.stderr)
        );
        let rootfs = bundle.join("rootfs");
        let (_, scan) = opened(&format!("oci-dir:{}", dir.display()));
        let (_, unpacked) = opened(&format!("dir:{}", rootfs.display()));
        compare_views(&scan, &unpacked.fs, &rootfs);
    }
}

fn compare_views(scan: &Scan, unpacked: &dockguard_image::Filesystem, root: &Path) {
    let ours: BTreeMap<&str, _> = scan.fs.merged().map(|e| (e.path.as_str(), e)).collect();
    let theirs: BTreeMap<&str, _> = unpacked.merged().map(|e| (e.path.as_str(), e)).collect();
    for (p, e) in &ours {
        let t = theirs
            .get(p)
            .unwrap_or_else(|| panic!("{p} missing from umoci's rootfs {}", root.display()));
        match e.kind {
            FileKind::HardLink => {
                let target = scan.fs.get(e.link_target.as_deref().unwrap()).unwrap();
                assert_eq!(t.size, target.size, "{p}");
            }
            kind => {
                assert_eq!(kind, t.kind, "{p}");
                if kind == FileKind::Regular {
                    assert_eq!(e.size, t.size, "{p} size");
                }
                if kind == FileKind::Symlink {
                    assert_eq!(e.link_target, t.link_target, "{p} target");
                } else {
                    assert_eq!(e.mode, t.mode, "{p} mode");
                }
                assert_eq!((e.uid, e.gid), (t.uid, t.gid), "{p} owner");
            }
        }
    }
    for (p, t) in &theirs {
        if !ours.contains_key(p) {
            // umoci creates parent directories that no layer lists.
            assert_eq!(t.kind, FileKind::Directory, "{p} only in umoci's rootfs");
            assert!(
                ours.keys().any(|o| o.starts_with(&format!("{p}/"))),
                "{p} only in umoci's rootfs"
            );
        }
    }
}

#[test]
fn digests_match_skopeo_inspect() {
    if !tool("skopeo") {
        return;
    }
    for (name, tag) in [
        ("debian12-app", "1.3.0"),
        ("static-nonroot", "1.0.0"),
        ("static-nonroot-zstd", "1.0.0"),
        ("multiarch-index", "1.0.0"),
    ] {
        let dir = require_fixture!(&format!("images/{name}"));
        let out = std::process::Command::new("skopeo")
            .args([
                "inspect",
                "--override-os",
                "linux",
                "--override-arch",
                "amd64",
            ])
            .arg(format!("oci:{}:{tag}", dir.display()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "skopeo: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let image = open(&format!("oci-dir:{}:{tag}", dir.display()), &amd64()).unwrap();
        // skopeo reports the digest of what the tag points at: the index for multi-arch.
        let top = image
            .index_digest
            .as_ref()
            .or(image.manifest_digest.as_ref())
            .unwrap();
        assert_eq!(v["Digest"].as_str().unwrap(), top.as_str(), "{name}");
        let layers: Vec<&str> = v["Layers"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let ours: Vec<String> = image
            .layers
            .iter()
            .map(|l| l.digest.as_ref().unwrap().to_string())
            .collect();
        assert_eq!(layers, ours, "{name}");
    }
}

/// cosign's `.sig`/`.att`/`.sbom` tags, the referrers tag-schema index and signature artifacts
/// beside an image in a layout are not images: an untagged `oci-dir:` still finds one image,
/// and the "N images" message counts only images.
#[test]
fn layout_signature_entries_are_not_images() {
    let app = require_fixture!("images/static-nonroot");
    let dir = dockguard_testkit::copy_layout(&app);
    let index_path = dir.path().join("index.json");
    let mut index: Value = serde_json::from_slice(&std::fs::read(&index_path).unwrap()).unwrap();
    let image = index["manifests"][0].clone();
    let hex = image["digest"].as_str().unwrap()[7..].to_string();
    let entry = |media_type: &str, tag: Option<String>, artifact: Option<&str>| {
        let mut e = serde_json::json!({
            "mediaType": media_type,
            // Dangling on purpose: entries that are skipped are never read.
            "digest": format!("sha256:{}", "5".repeat(64)),
            "size": 10,
        });
        if let Some(t) = tag {
            e["annotations"] = serde_json::json!({"org.opencontainers.image.ref.name": t});
        }
        if let Some(a) = artifact {
            e["artifactType"] = a.into();
        }
        e
    };
    let manifest = "application/vnd.oci.image.manifest.v1+json";
    let extra = [
        entry(manifest, Some(format!("sha256-{hex}.sig")), None),
        entry(manifest, Some(format!("sha256-{hex}.att")), None),
        entry(manifest, Some(format!("sha256-{hex}.sbom")), None),
        entry(
            "application/vnd.oci.image.index.v1+json",
            Some(format!("sha256-{hex}")),
            None,
        ),
        entry(
            manifest,
            None,
            Some("application/vnd.dev.cosign.artifact.sig.v1+json"),
        ),
    ];
    let write = |index: &Value| std::fs::write(&index_path, serde_json::to_vec(index).unwrap());
    index["manifests"]
        .as_array_mut()
        .unwrap()
        .extend(extra.iter().cloned());
    write(&index).unwrap();
    let source = format!("oci-dir:{}", dir.path().display());
    let opened = open(&source, &amd64()).unwrap_or_else(|e| panic!("open {source}: {e}"));
    assert_eq!(
        opened.manifest_digest.as_ref().unwrap().as_str(),
        image["digest"].as_str().unwrap()
    );
    assert_eq!(opened.reference.as_deref(), Some("1.0.0"));

    // A tag that merely looks like one is still an image.
    let mut lookalike = image.clone();
    lookalike["annotations"]["org.opencontainers.image.ref.name"] =
        "sha256-not-a-digest.sig".into();
    index["manifests"].as_array_mut().unwrap().push(lookalike);
    write(&index).unwrap();
    let err = open(&source, &amd64()).unwrap_err().to_string();
    assert!(err.contains("holds 2 images"), "{err}");
    assert!(!err.contains(&format!("sha256-{hex}.sig")), "{err}");
}
