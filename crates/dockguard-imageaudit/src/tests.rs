//! Tests against the shared fixture images and their ground truth in `expected/`.

use super::*;
use dockguard_core::Severity;
use dockguard_image::OpenOptions;
use serde_json::Value;

fn open(source: &str, rel: &str) -> Option<Image> {
    let path = dockguard_testkit::fixture(rel)?;
    let image = dockguard_image::open(
        &format!("{source}:{}", path.display()),
        &OpenOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{rel}: {e}"));
    Some(image)
}

fn expected(name: &str) -> Option<Value> {
    let path = dockguard_testkit::fixture(&format!("expected/{name}"))?;
    Some(serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap())
}

fn scan(image: &Image) -> Scan {
    image
        .scan(&[&AuditAnalyzer::new()], &ScanOptions::default())
        .unwrap()
}

fn find<'a>(findings: &'a [Finding], id: &str, path: &str) -> Option<&'a Finding> {
    findings
        .iter()
        .find(|f| f.id == id && f.location.path.as_deref() == Some(path))
}

/// The facts the fixture's ground truth lists, compared field by field.
fn assert_facts_match(facts: &ConfigFacts, exp: &Value) {
    let got = serde_json::to_value(facts).unwrap();
    for key in [
        "user",
        "runs_as_root",
        "exposed_ports",
        "env_names",
        "env_names_that_look_secret",
        "has_healthcheck",
        "healthcheck",
        "entrypoint",
        "cmd",
        "workdir",
        "labels",
        "shell_present",
        "world_writable_dirs_with_sticky_bit",
        "final_file_count",
    ] {
        assert_eq!(got[key], exp[key], "{key}");
    }
    // Ground truth lists paths without the leading slash and only some package managers.
    for pm in exp["package_managers_present"].as_array().unwrap() {
        let p = format!("/{}", pm.as_str().unwrap().trim_start_matches('/'));
        assert!(
            facts.package_managers_present.contains(&p),
            "package manager {p} missing from {:?}",
            facts.package_managers_present
        );
    }
    let modes = |v: &Value, fields: &[&str]| -> Vec<Vec<Value>> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|o| fields.iter().map(|f| o[*f].clone()).collect())
            .collect()
    };
    let suid = [
        "path",
        "mode",
        "setuid",
        "setgid",
        "uid",
        "gid",
        "layer_index",
    ];
    assert_eq!(
        modes(&got["setuid_setgid_files"], &suid),
        modes(&exp["setuid_setgid_files"], &suid)
    );
    let ww = ["path", "mode", "layer_index"];
    for key in [
        "world_writable_dirs_without_sticky_bit",
        "world_writable_files",
    ] {
        assert_eq!(modes(&got[key], &ww), modes(&exp[key], &ww), "{key}");
    }
}

#[test]
fn debian12_app_facts_match_ground_truth() {
    let Some(image) = open("oci-dir", "images/debian12-app") else {
        return;
    };
    let Some(exp) = expected("debian12-app.config.json") else {
        return;
    };
    let s = scan(&image);
    assert_facts_match(&config_facts(&image, &s), &exp);
}

#[test]
fn debian12_app_findings_cover_every_planted_fact() {
    let Some(image) = open("oci-dir", "images/debian12-app") else {
        return;
    };
    let (Some(exp), Some(img)) = (
        expected("debian12-app.config.json"),
        expected("debian12-app.image.json"),
    ) else {
        return;
    };
    let layer_digest = |i: u64| {
        img["layers"][i as usize]["digest"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let findings = audit_image(&image, &ImageAuditOptions::default()).unwrap();

    assert!(exp["runs_as_root"].as_bool().unwrap());
    let root = findings
        .iter()
        .find(|f| f.id == "DGI101")
        .expect("root user");
    assert_eq!(root.severity, Severity::High);
    assert!(root.references.iter().any(|r| r == "CIS-DI-0001"));
    assert!(root.fix.is_some());

    assert!(findings.iter().any(|f| f.id == "DGI109"), "EXPOSE 22");
    assert!(!exp["has_healthcheck"].as_bool().unwrap());
    assert!(findings.iter().any(|f| f.id == "DGI102"), "HEALTHCHECK");
    for name in exp["env_names_that_look_secret"].as_array().unwrap() {
        let name = name.as_str().unwrap();
        assert!(
            findings
                .iter()
                .any(|f| f.id == "DGI106" && f.message.contains(&format!("ENV {name} "))),
            "secret env {name}"
        );
    }
    for name in ["PATH", "APP_ENV", "PYTHONPATH"] {
        assert!(!findings
            .iter()
            .any(|f| f.id == "DGI106" && f.message.contains(&format!("ENV {name} "))));
    }
    // The build argument in the history, in the layer its RUN step produced.
    let arg = findings
        .iter()
        .find(|f| f.id == "DGI106" && f.message.contains("NPM_TOKEN"))
        .expect("NPM_TOKEN build arg");
    assert_eq!(arg.location.path.as_deref(), Some("history[8].created_by"));
    assert_eq!(arg.location.layer_index, Some(4));

    for file in exp["setuid_setgid_files"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap();
        let layer = file["layer_index"].as_u64().unwrap();
        let f = find(&findings, "DGI111", path).unwrap_or_else(|| panic!("setuid {path}"));
        assert_eq!(f.location.layer_index, Some(layer as u32), "{path}");
        assert_eq!(f.location.layer_digest, Some(layer_digest(layer)), "{path}");
    }
    assert_eq!(
        findings.iter().filter(|f| f.id == "DGI111").count(),
        exp["setuid_setgid_files"].as_array().unwrap().len()
    );
    let admin = find(&findings, "DGI111", "/usr/local/bin/find-admin").unwrap();
    assert_eq!(admin.severity, Severity::High);

    for dir in exp["world_writable_dirs_without_sticky_bit"]
        .as_array()
        .unwrap()
    {
        let path = dir["path"].as_str().unwrap();
        let layer = dir["layer_index"].as_u64().unwrap();
        let f = find(&findings, "DGI113", path).unwrap_or_else(|| panic!("world-writable {path}"));
        assert_eq!(f.location.layer_index, Some(layer as u32));
        assert_eq!(f.location.layer_digest, Some(layer_digest(layer)));
    }
    for dir in exp["world_writable_dirs_with_sticky_bit"]
        .as_array()
        .unwrap()
    {
        let path = dir.as_str().unwrap();
        assert!(find(&findings, "DGI113", path).is_none(), "sticky {path}");
    }
    assert_eq!(
        findings.iter().filter(|f| f.id == "DGI114").count(),
        exp["world_writable_files"].as_array().unwrap().len()
    );

    assert!(exp["shell_present"].as_bool().unwrap());
    assert!(findings.iter().any(|f| f.id == "DGI130"));
    for pm in exp["package_managers_present"].as_array().unwrap() {
        let path = format!("/{}", pm.as_str().unwrap());
        assert!(find(&findings, "DGI131", &path).is_some(), "{path}");
    }
    let summary = findings.iter().find(|f| f.id == "DGI140").unwrap();
    assert!(
        summary.message.starts_with(
            "image has a shell, a package manager and 2 downloaders; a distroless or scratch base would remove them"
        ),
        "{}",
        summary.message
    );

    // Credential files: present ones, and the deploy key a later layer deleted, at the layer
    // that first stored it.
    let aws = find(&findings, "DGI120", "/root/.aws/credentials").unwrap();
    assert_eq!(aws.location.layer_index, Some(9));
    let key = find(&findings, "DGI120", "/root/.ssh/id_rsa").unwrap();
    assert_eq!(key.location.layer_index, Some(2));
    assert!(
        key.message.contains("deleted in layer 10"),
        "{}",
        key.message
    );

    for f in &findings {
        assert_eq!(f.kind, dockguard_core::FindingKind::Config);
        assert!(f.id.starts_with("DGI1"), "{}", f.id);
        assert!(f.fix.is_some(), "{}", f.id);
        assert!(rules::rule(&f.id).is_some(), "{}", f.id);
    }
}

#[test]
fn debian12_app_snapshot() {
    let Some(image) = open("oci-dir", "images/debian12-app") else {
        return;
    };
    let findings = audit_image(&image, &ImageAuditOptions::default()).unwrap();
    let lines: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {} @{}",
                f.id,
                f.severity,
                f.location.path.as_deref().unwrap_or("-"),
                f.location
                    .layer_index
                    .map_or("-".to_string(), |l| l.to_string())
            )
        })
        .collect();
    insta::assert_yaml_snapshot!("debian12_app_findings", lines);
}

#[test]
fn static_nonroot_only_lacks_a_healthcheck() {
    for (source, rel) in [
        ("oci-dir", "images/static-nonroot"),
        ("oci-dir", "images/static-nonroot-zstd"),
        ("docker-archive", "images/static-nonroot.docker-archive.tar"),
    ] {
        let Some(image) = open(source, rel) else {
            return;
        };
        let findings = audit_image(&image, &ImageAuditOptions::default()).unwrap();
        let ids: Vec<&str> = findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, vec!["DGI102"], "{rel}: {findings:#?}");
        assert!(findings.iter().all(|f| f.severity < Severity::High));
    }
}

#[test]
fn static_nonroot_facts_match_ground_truth() {
    let Some(image) = open("oci-dir", "images/static-nonroot") else {
        return;
    };
    let Some(exp) = expected("static-nonroot.config.json") else {
        return;
    };
    assert_facts_match(&config_facts(&image, &scan(&image)), &exp);
}

#[test]
fn skip_drops_checks() {
    let Some(image) = open("oci-dir", "images/static-nonroot") else {
        return;
    };
    let opts = ImageAuditOptions {
        skip: ["DGI102".to_string()].into(),
        ..ImageAuditOptions::default()
    };
    assert!(audit_image(&image, &opts).unwrap().is_empty());
}

/// Small hand-built images for the checks the fixture images do not exercise.
mod synthetic {
    use super::*;
    use sha2::Digest as _;

    struct Entry {
        path: &'static str,
        kind: u8,
        mode: u32,
        uid: u32,
        data: Vec<u8>,
        link: &'static str,
        xattr: Option<Vec<u8>>,
    }

    fn file(path: &'static str, mode: u32, data: &[u8]) -> Entry {
        Entry {
            path,
            kind: b'0',
            mode,
            uid: 0,
            data: data.to_vec(),
            link: "",
            xattr: None,
        }
    }

    fn dir(path: &'static str, mode: u32) -> Entry {
        Entry {
            kind: b'5',
            ..file(path, mode, b"")
        }
    }

    fn link(path: &'static str, target: &'static str) -> Entry {
        Entry {
            kind: b'2',
            link: target,
            ..file(path, 0o777, b"")
        }
    }

    fn header(name: &[u8], kind: u8, mode: u32, uid: u32, size: usize, link: &str) -> [u8; 512] {
        let mut h = [0u8; 512];
        h[..name.len()].copy_from_slice(name);
        let mut put = |at: usize, width: usize, v: u64| {
            let s = format!("{v:0w$o}", w = width - 1);
            h[at..at + width - 1].copy_from_slice(s.as_bytes());
        };
        put(100, 8, mode as u64);
        put(108, 8, uid as u64);
        put(116, 8, 0);
        put(124, 12, size as u64);
        put(136, 12, 0);
        h[156] = kind;
        h[157..157 + link.len()].copy_from_slice(link.as_bytes());
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].fill(b' ');
        let sum: u32 = h.iter().map(|&b| b as u32).sum();
        h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        h
    }

    fn padded(out: &mut Vec<u8>, data: &[u8]) {
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }

    fn tar(entries: &[Entry]) -> Vec<u8> {
        let mut out = Vec::new();
        for e in entries {
            if let Some(x) = &e.xattr {
                let key = b"SCHILY.xattr.security.capability=";
                // The record length counts its own digits.
                let body = key.len() + x.len() + 2;
                let len = body + (body + 3).to_string().len();
                let mut rec = format!("{len} ").into_bytes();
                rec.extend_from_slice(key);
                rec.extend_from_slice(x);
                rec.push(b'\n');
                assert_eq!(rec.len(), len);
                out.extend_from_slice(&header(b"PaxHeader", b'x', 0o644, 0, rec.len(), ""));
                padded(&mut out, &rec);
            }
            out.extend_from_slice(&header(
                e.path.trim_start_matches('/').as_bytes(),
                e.kind,
                e.mode,
                e.uid,
                e.data.len(),
                e.link,
            ));
            padded(&mut out, &e.data);
        }
        out.extend_from_slice(&[0u8; 1024]);
        out
    }

    fn digest(data: &[u8]) -> String {
        let h = sha2::Sha256::digest(data);
        let hex: String = h.iter().map(|b| format!("{b:02x}")).collect();
        format!("sha256:{hex}")
    }

    /// An OCI layout tagged `tag`, with one history step per layer (`created_by` given).
    fn layout(
        dir: &std::path::Path,
        tag: &str,
        config: Value,
        layers: &[(&str, Vec<Entry>)],
    ) -> Image {
        let blobs = dir.join("blobs/sha256");
        std::fs::create_dir_all(&blobs).unwrap();
        let put = |data: &[u8]| {
            let d = digest(data);
            std::fs::write(blobs.join(&d[7..]), data).unwrap();
            (d, data.len())
        };
        let mut descs = Vec::new();
        let mut diff_ids = Vec::new();
        let mut history = Vec::new();
        for (created_by, entries) in layers {
            let t = tar(entries);
            let (d, size) = put(&t);
            diff_ids.push(d.clone());
            descs.push(serde_json::json!({
                "mediaType": "application/vnd.oci.image.layer.v1.tar",
                "digest": d, "size": size}));
            history.push(serde_json::json!({"created_by": created_by}));
        }
        let cfg = serde_json::to_vec(&serde_json::json!({
            "architecture": "amd64", "os": "linux", "config": config,
            "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history,
        }))
        .unwrap();
        let (cd, cs) = put(&cfg);
        let m = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cs},
            "layers": descs,
        }))
        .unwrap();
        let (md, ms) = put(&m);
        let index = serde_json::json!({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": ms,
            "annotations": {"org.opencontainers.image.ref.name": tag}}]});
        std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
        std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
        dockguard_image::open(
            &format!("oci-dir:{}:{tag}", dir.display()),
            &OpenOptions::default(),
        )
        .unwrap()
    }

    fn net_raw_cap() -> Vec<u8> {
        let mut v = Vec::new();
        for w in [0x0200_0001u32, 1 << 13, 0, 0, 0] {
            v.extend_from_slice(&w.to_le_bytes());
        }
        v
    }

    #[test]
    fn checks_the_fixtures_do_not_cover() {
        let tmp = tempfile::tempdir().unwrap();
        let base = vec![
            dir("/etc", 0o755),
            file(
                "/etc/passwd",
                0o644,
                b"root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n",
            ),
            file("/etc/group", 0o644, b"root:x:0:\nwheel:x:0:\napp:x:1000:\n"),
            file("/etc/shadow", 0o640, b"root:*:1::::::\napp::1::::::\n"),
            dir("/usr/bin", 0o755),
            file("/usr/bin/sudo", 0o4755, b"\x7fELF"),
            Entry {
                xattr: Some(net_raw_cap()),
                ..file("/usr/bin/ping", 0o755, b"\x7fELF")
            },
            Entry {
                xattr: Some(vec![0xde, 0xad]),
                ..file("/usr/bin/odd", 0o755, b"\x7fELF")
            },
            file("/usr/bin/busybox", 0o755, b"\x7fELF"),
            link("/usr/bin/sh", "busybox"),
            link("/usr/bin/wget", "/usr/bin/busybox"),
            file("/usr/bin/gcc-12", 0o755, b"\x7fELF"),
            link("/usr/bin/cc", "gcc-12"),
            file("/usr/bin/strace", 0o755, b"\x7fELF"),
            dir("/var/lib/apt/lists", 0o755),
            file("/var/lib/apt/lists/lock", 0o640, b""),
            file("/var/lib/apt/lists/x_InRelease", 0o644, b"index"),
            dir("/tmp", 0o1777),
            file("/tmp/scratch", 0o666, b"x"),
        ];
        let app = vec![
            dir("/app", 0o755),
            file("/app/config.yml", 0o666, b"x: 1"),
            dir("/app/.git", 0o755),
            file("/app/.git/config", 0o644, b"[core]"),
            file("/app/.env.example", 0o644, b"A="),
        ];
        let image = layout(
            tmp.path(),
            "latest",
            serde_json::json!({
                "User": "app",
                "ExposedPorts": {"80/tcp": {}, "8080/tcp": {}},
                "Volumes": {"/var/run/docker.sock": {}, "/data": {}},
                "Env": ["PATH=/usr/bin", "API_KEY=abc", "SECRET_FILE=/run/secrets/x", "EMPTY_TOKEN="],
                "Healthcheck": {"Test": ["CMD", "true"]},
            }),
            &[
                ("/bin/sh -c #(nop) ADD file:abc in / ", base),
                ("/bin/sh -c apt-get update", vec![]),
                ("/bin/sh -c apt-get -y dist-upgrade", vec![]),
                (
                    "/bin/sh -c #(nop) ADD https://example.invalid/app.tgz /app ",
                    app,
                ),
            ],
        );
        let findings = audit_image(&image, &ImageAuditOptions::default()).unwrap();
        let ids = |id: &str| -> Vec<&Finding> { findings.iter().filter(|f| f.id == id).collect() };
        let msgs = |id: &str| -> String {
            ids(id)
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        };

        // A named non-root USER, so no root finding, and a healthcheck.
        assert!(ids("DGI101").is_empty());
        assert!(ids("DGI102").is_empty());
        assert_eq!(ids("DGI103").len(), 1, "update alone");
        assert_eq!(ids("DGI103")[0].location.layer_index, Some(1));
        assert_eq!(ids("DGI104").len(), 1, "dist-upgrade");
        // The base rootfs ADD is not reported, the remote one is.
        assert_eq!(ids("DGI105").len(), 1);
        assert_eq!(ids("DGI105")[0].location.layer_index, Some(3));
        assert_eq!(ids("DGI106").len(), 1, "{}", msgs("DGI106"));
        assert!(msgs("DGI106").contains("API_KEY"));
        assert_eq!(ids("DGI107").len(), 1, "{}", msgs("DGI107"));
        assert_eq!(ids("DGI108").len(), 1, "latest tag");
        assert_eq!(ids("DGI110").len(), 1, "{}", msgs("DGI110"));
        assert!(msgs("DGI110").contains("80/tcp"));
        // sudo is setuid and a known helper.
        assert_eq!(ids("DGI111").len(), 1);
        assert_eq!(ids("DGI111")[0].severity, Severity::Low);
        let caps = ids("DGI112");
        assert_eq!(caps.len(), 2, "{}", msgs("DGI112"));
        let ping = find(&findings, "DGI112", "/usr/bin/ping").unwrap();
        assert!(ping.message.contains("NET_RAW"));
        assert_eq!(ping.severity, Severity::Low);
        assert!(find(&findings, "DGI112", "/usr/bin/odd")
            .unwrap()
            .message
            .contains("cannot be decoded"));
        // World-writable: the file outside /tmp only.
        assert_eq!(ids("DGI114").len(), 1);
        assert!(find(&findings, "DGI114", "/app/config.yml").is_some());
        assert!(find(&findings, "DGI115", "/usr/bin/sudo").is_some());
        let cache = find(&findings, "DGI116", "/var/lib/apt/lists").unwrap();
        assert!(cache.message.contains("1 file(s)"), "{}", cache.message);
        let empty = ids("DGI117");
        assert_eq!(empty.len(), 1);
        assert!(empty[0].message.contains("'app'"));
        assert!(msgs("DGI118").contains("root, toor"));
        assert!(msgs("DGI119").contains("root, wheel"));
        assert!(ids("DGI120").is_empty(), "{}", msgs("DGI120"));
        assert_eq!(ids("DGI121").len(), 1);
        assert!(find(&findings, "DGI121", "/app/.git").is_some());
        // busybox is the shell; sh links to it and counts once; wget is a busybox applet.
        assert_eq!(ids("DGI130").len(), 1, "{}", msgs("DGI130"));
        assert!(
            find(&findings, "DGI132", "/usr/bin/wget").is_some(),
            "{findings:#?}"
        );
        assert!(find(&findings, "DGI134", "/usr/bin/gcc-12").is_some());
        assert_eq!(ids("DGI134").len(), 1, "cc links to gcc-12");
        assert!(find(&findings, "DGI135", "/usr/bin/strace").is_some());
        let summary = &ids("DGI140")[0].message;
        assert!(
            summary.starts_with(
                "image has a shell, a downloader, a compiler and a debugger; a distroless"
            ),
            "{summary}"
        );
        let need = &ids("DGI141")[0].message;
        for cap in ["NET_RAW", "SETUID", "SETGID", "NET_BIND_SERVICE"] {
            assert!(need.contains(&format!("--cap-add={cap}")), "{need}");
        }
    }
}
