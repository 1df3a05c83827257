//! End-to-end: keys, sign, verify, tamper and revoke against an OCI layout (offline) and
//! Debian's `docker-registry` on 127.0.0.1; our signatures checked by openssl the way cosign's
//! documentation verifies by hand; our key files opened by an independent decryptor.

// `&[key.clone()]` keeps the many one-key calls short and uniform.
#![allow(clippy::cloned_ref_to_slice_refs)]

use base64::Engine as _;
use dockguard_sign::{
    revoke, sign, verify, PrivateKey, PublicKey, RegistryOptions, RevokeSelector, SignOptions,
    Storage, Target, VerifyOptions,
};
use dockguard_testkit::registry::{LocalRegistry, RegistryConfig};
use dockguard_testkit::{copy_layout, require_fixture, tool};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const APP: &str = "sha256:a57b076ab437d3e56d2b1463a415c2774a6bcc5229b9bc024dbc12730a2680d6";
const ZSTD: &str = "sha256:f6b1b46496a4bc1933430cb9722fef9a0e75a2bf41cde1385badba416da986b3";

fn opts() -> RegistryOptions {
    RegistryOptions::default()
}

fn annotations(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn valid(target: &Target, keys: &[PublicKey]) -> bool {
    verify(target, keys, &VerifyOptions::default())
        .unwrap()
        .is_valid()
}

/// Keys written to disk and read back the way the CLI does.
fn key_files(dir: &Path, prefix: &str, password: &[u8]) -> (PrivateKey, PublicKey) {
    let key = PrivateKey::generate().unwrap();
    let kp = dir.join(format!("{prefix}.key"));
    let pp = dir.join(format!("{prefix}.pub"));
    std::fs::write(&kp, key.to_encrypted_pem(password).unwrap()).unwrap();
    std::fs::write(&pp, key.public_key().to_pem()).unwrap();
    let key = PrivateKey::from_pem("k", &std::fs::read(&kp).unwrap(), Some(password)).unwrap();
    let public = PublicKey::from_pem("p", &std::fs::read(&pp).unwrap()).unwrap();
    (key, public)
}

#[test]
fn offline_layout_round_trip() {
    let app = require_fixture!("images/static-nonroot");
    let dir = copy_layout(&app);
    let keys = tempfile::tempdir().unwrap();
    let (k1, p1) = key_files(keys.path(), "one", b"pw1");
    let (k2, p2) = key_files(keys.path(), "two", b"");
    let image = format!("oci-dir:{}:1.0.0", dir.path().display());
    let t = Target::open(&image, &opts()).unwrap();
    assert_eq!(t.digest().unwrap(), APP);
    assert!(!valid(&t, &[p1.clone()]), "unsigned image verified");

    let out = sign(
        &t,
        &k1,
        &SignOptions {
            annotations: annotations(&[("env", "prod")]),
            storage: Storage::Tag,
        },
    )
    .unwrap();
    assert_eq!(out.image_digest, APP);
    assert_eq!(out.stored_at, format!("sha256-{}.sig", &APP[7..]));
    sign(
        &t,
        &k2,
        &SignOptions {
            storage: Storage::Referrer,
            ..SignOptions::default()
        },
    )
    .unwrap();

    let report = verify(&t, &[p1.clone()], &VerifyOptions::default()).unwrap();
    assert_eq!(report.signatures.len(), 2, "{report:#?}");
    assert!(report.is_valid());
    assert!(valid(&t, &[p2.clone()]));
    let other = PrivateKey::generate().unwrap().public_key();
    assert!(!valid(&t, &[other.clone()]));
    assert!(valid(&t, &[other.clone(), p2.clone()]), "any-of keys");
    let need = |pairs: &[(&str, &str)]| {
        verify(
            &t,
            &[p1.clone()],
            &VerifyOptions {
                annotations: annotations(pairs),
                ..VerifyOptions::default()
            },
        )
        .unwrap()
        .is_valid()
    };
    assert!(need(&[("env", "prod")]));
    assert!(!need(&[("env", "dev")]));
    assert!(!need(&[("team", "x")]));

    // Cosign's manual verification: openssl over the stored payload and signature.
    if tool("openssl", "version") {
        let (payload, sig) = layout_signature(dir.path(), APP);
        let work = tempfile::tempdir().unwrap();
        std::fs::write(work.path().join("payload"), &payload).unwrap();
        std::fs::write(
            work.path().join("sig.der"),
            base64::engine::general_purpose::STANDARD
                .decode(sig)
                .unwrap(),
        )
        .unwrap();
        let out = Command::new("openssl")
            .args(["dgst", "-sha256", "-verify"])
            .arg(keys.path().join("one.pub"))
            .arg("-signature")
            .arg(work.path().join("sig.der"))
            .arg(work.path().join("payload"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openssl: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&payload).unwrap();
        assert_eq!(v["critical"]["image"]["docker-manifest-digest"], APP);
        assert_eq!(v["optional"]["env"], "prod");
    }

    // Tamper: a payload blob rewritten in place no longer matches its digest.
    let (payload, _) = layout_signature(dir.path(), APP);
    let blob = dir
        .path()
        .join("blobs/sha256")
        .join(&dockguard_sign_sha256(&payload)[7..]);
    let saved = std::fs::read(&blob).unwrap();
    std::fs::write(
        &blob,
        String::from_utf8(saved.clone())
            .unwrap()
            .replace("prod", "pwnd"),
    )
    .unwrap();
    let r = verify(&t, &[p1.clone()], &VerifyOptions::default()).unwrap();
    assert!(!r.is_valid());
    assert!(
        r.signatures[0].problems[0].contains("does not match its digest"),
        "{:?}",
        r.signatures[0].problems
    );
    std::fs::write(&blob, saved).unwrap();
    assert!(valid(&t, &[p1.clone()]));

    // Revoke by key leaves the other signer; revoke all leaves nothing.
    let r = revoke(&t, &RevokeSelector::Keys(vec![p1.clone()])).unwrap();
    assert_eq!(r.removed, 1, "{r:?}");
    assert!(!valid(&t, &[p1.clone()]));
    assert!(valid(&t, &[p2.clone()]));
    let r = revoke(&t, &RevokeSelector::All).unwrap();
    assert_eq!(r.removed, 1, "{r:?}");
    assert!(!valid(&t, &[p1, p2]));
}

fn dockguard_sign_sha256(b: &[u8]) -> String {
    use sha2::Digest as _;
    let mut s = String::from("sha256:");
    for x in sha2::Sha256::digest(b) {
        s.push_str(&format!("{x:02x}"));
    }
    s
}

/// Reads the `.sig` manifest straight from the layout files: payload and signature.
fn layout_signature(root: &Path, digest: &str) -> (Vec<u8>, String) {
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("index.json")).unwrap()).unwrap();
    let tag = format!("sha256-{}.sig", &digest[7..]);
    let entry = index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["annotations"]["org.opencontainers.image.ref.name"] == tag.as_str())
        .expect("signature tag in index.json");
    let blob = |d: &str| std::fs::read(root.join("blobs/sha256").join(&d[7..])).unwrap();
    let m: serde_json::Value =
        serde_json::from_slice(&blob(entry["digest"].as_str().unwrap())).unwrap();
    let layer = &m["layers"][0];
    assert_eq!(
        layer["mediaType"],
        "application/vnd.dev.cosign.simplesigning.v1+json"
    );
    (
        blob(layer["digest"].as_str().unwrap()),
        layer["annotations"]["dev.cosignproject.cosign/signature"]
            .as_str()
            .unwrap()
            .to_string(),
    )
}

#[test]
fn registry_round_trip() {
    if !LocalRegistry::tools_present() {
        return;
    }
    let app = require_fixture!("images/static-nonroot");
    let zstd = require_fixture!("images/static-nonroot-zstd");
    let reg = LocalRegistry::start(&RegistryConfig {
        allow_delete: true,
        ..RegistryConfig::default()
    });
    let base = reg.host();
    let push =
        |src: &Path, tag: &str| reg.push_layout(src, "1.0.0", &format!("dg/app:{tag}"), false);
    push(&app, "1.0");
    push(&zstd, "other");

    let keys = tempfile::tempdir().unwrap();
    let (k1, p1) = key_files(keys.path(), "cosign", b"secret");
    let (k2, p2) = key_files(keys.path(), "second", b"secret");
    let t = Target::open(&format!("{base}/dg/app:1.0"), &opts()).unwrap();
    assert_eq!(t.digest().unwrap(), APP);
    assert!(!valid(&t, &[p1.clone()]));

    let out = sign(
        &t,
        &k1,
        &SignOptions {
            annotations: annotations(&[("build", "42")]),
            storage: Storage::Tag,
        },
    )
    .unwrap();
    assert_eq!(out.stored_at, format!("sha256-{}.sig", &APP[7..]));
    let out = sign(
        &t,
        &k2,
        &SignOptions {
            storage: Storage::Referrer,
            ..SignOptions::default()
        },
    )
    .unwrap();
    // distribution 2.8 has no referrers API: the tag schema carried it.
    assert_eq!(out.referrers_api, Some(false));

    let report = verify(&t, &[p1.clone()], &VerifyOptions::default()).unwrap();
    assert_eq!(report.signatures.len(), 2, "{report:#?}");
    assert!(report.is_valid());
    let payload = report.signatures[0].payload.as_ref().unwrap();
    assert_eq!(payload.docker_reference, format!("{base}/dg/app"));
    assert_eq!(payload.annotation("build").as_deref(), Some("42"));
    assert!(valid(&t, &[p2.clone()]));
    // By digest too.
    let by_digest = Target::open(&format!("{base}/dg/app@{APP}"), &opts()).unwrap();
    assert!(valid(&by_digest, &[p1.clone()]));

    // What cosign stored is a plain OCI manifest other tools read.
    let out = Command::new("skopeo")
        .args(["inspect", "--raw", "--tls-verify=false"])
        .arg(format!("docker://{base}/dg/app:sha256-{}.sig", &APP[7..]))
        .output()
        .unwrap();
    assert!(out.status.success());
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(m["layers"][0]["annotations"]["dev.cosignproject.cosign/signature"].is_string());

    // Tamper 1: another image re-tagged under the signed tag.
    push(&zstd, "1.0");
    assert_eq!(t.digest().unwrap(), ZSTD);
    assert!(!valid(&t, &[p1.clone(), p2.clone()]));
    // Tamper 2: the signature copied beside the other image: the digest binding fails.
    reg.copy(
        &format!("docker://{base}/dg/app:sha256-{}.sig", &APP[7..]),
        &format!("docker://{base}/dg/app:sha256-{}.sig", &ZSTD[7..]),
        false,
    );
    let r = verify(&t, &[p1.clone()], &VerifyOptions::default()).unwrap();
    assert!(!r.is_valid());
    assert!(
        r.signatures[0]
            .problems
            .iter()
            .any(|p| p.contains("payload signs")),
        "{:?}",
        r.signatures[0].problems
    );
    push(&app, "1.0");
    assert!(valid(&t, &[p1.clone()]));

    // Revoke the tag signature: the referrer stays; then everything.
    let r = revoke(&t, &RevokeSelector::Keys(vec![p1.clone()])).unwrap();
    assert_eq!(r.removed, 1, "{r:?}");
    assert!(
        r.actions[0].starts_with("deleted signature manifest"),
        "{r:?}"
    );
    assert!(!valid(&t, &[p1.clone()]));
    assert!(valid(&t, &[p2.clone()]));
    let r = revoke(&t, &RevokeSelector::All).unwrap();
    assert_eq!(r.removed, 1, "{r:?}");
    assert!(!valid(&t, &[p1.clone(), p2.clone()]));

    // A registry that refuses deletes: revocation rewrites the tag instead.
    let strict = LocalRegistry::start(&RegistryConfig::default());
    let base2 = strict.host();
    strict.push_layout(&app, "1.0.0", "dg/app:1.0", false);
    let t2 = Target::open(&format!("{base2}/dg/app:1.0"), &opts()).unwrap();
    sign(&t2, &k1, &SignOptions::default()).unwrap();
    assert!(valid(&t2, &[p1.clone()]));
    let r = revoke(&t2, &RevokeSelector::All).unwrap();
    assert!(r.actions[0].contains("refuses deletes"), "{r:?}");
    assert!(!valid(&t2, &[p1]));
}

#[test]
fn reference_algorithm_decrypts_our_keys() {
    if !tool("python3", "--version") {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference_decrypt.py");
    let dir = tempfile::tempdir().unwrap();
    let key = PrivateKey::generate().unwrap();
    let path = dir.path().join("dockguard.key");
    std::fs::write(&path, key.to_encrypted_pem(b"correct horse").unwrap()).unwrap();
    let run = |password: &str| {
        Command::new("python3")
            .arg(&script)
            .arg(&path)
            .env("KEY_PASSWORD", password)
            .output()
            .unwrap()
    };
    let out = run("correct horse");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hex = String::from_utf8(out.stdout).unwrap();
    let der: Vec<u8> = (0..hex.trim().len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex.trim()[i..i + 2], 16).unwrap())
        .collect();
    let pem = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        base64::engine::general_purpose::STANDARD.encode(&der)
    );
    let imported = PrivateKey::import_pem("reference output", pem.as_bytes()).unwrap();
    assert_eq!(imported.public_key(), key.public_key());
    // The envelope carries the KDF parameters go-securesystemslib writes by default.
    let text = std::fs::read_to_string(&path).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    let env: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        env["kdf"]["params"],
        serde_json::json!({"N": 32768, "r": 8, "p": 1})
    );
    assert_eq!(env["cipher"]["name"], "nacl/secretbox");

    let out = run("wrong horse");
    assert_eq!(out.status.code(), Some(3));
    let e =
        PrivateKey::from_pem("dockguard.key", text.as_bytes(), Some(b"wrong horse")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "dockguard.key: wrong password or damaged key file"
    );
}

/// Real cosign output in `shared/fixtures/cosign/` (see docs/signing.md for its layout).
/// The issue asks for it "when present": absent, the test says so and passes, even in CI.
#[test]
fn cosign_fixtures_interop() {
    let root = dockguard_testkit::fixtures_dir().join("cosign");
    if !root.is_dir() {
        eprintln!("skipping: fixture cosign/ not found (real cosign keys and signatures are not shipped yet)");
        return;
    }
    let mut checked = 0;
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.push(root.clone());
    for case in cases {
        let read = |n: &str| std::fs::read(case.join(n)).ok();
        let Some(public) = read("cosign.pub") else {
            continue;
        };
        let public = PublicKey::from_pem("cosign.pub", &public).unwrap();
        if let (Some(key), Some(pw)) = (read("cosign.key"), read("password")) {
            let pw = String::from_utf8(pw).unwrap();
            let k = PrivateKey::from_pem(
                "cosign.key",
                &key,
                Some(pw.trim_end_matches('\n').as_bytes()),
            )
            .unwrap();
            assert_eq!(k.public_key(), public, "{}", case.display());
            checked += 1;
        }
        if let (Some(payload), Some(sig)) = (read("payload.json"), read("signature.b64")) {
            let sig = base64::engine::general_purpose::STANDARD
                .decode(String::from_utf8(sig).unwrap().trim())
                .unwrap();
            assert!(public.verify(&payload, &sig), "{}", case.display());
            let p = dockguard_sign::SimpleSigning::parse("payload.json", &payload).unwrap();
            assert_eq!(p.kind, dockguard_sign::COSIGN_SIGNATURE_TYPE);
            checked += 1;
        }
        if case.join("layout/index.json").is_file() {
            let tag = read("tag").map(|t| String::from_utf8(t).unwrap().trim().to_string());
            let image = match tag {
                Some(t) => format!("oci-dir:{}:{t}", case.join("layout").display()),
                None => format!("oci-dir:{}", case.join("layout").display()),
            };
            let t = Target::open(&image, &opts()).unwrap();
            assert!(valid(&t, &[public.clone()]), "{image}");
            checked += 1;
        }
    }
    assert!(checked > 0, "cosign/ holds nothing this test understands");
    eprintln!("checked {checked} cosign fixture item(s)");
}

/// Hostile signature storage: bad base64, oversized claims, missing blobs, garbage
/// manifests. Each is a problem with that signature or an error naming it, never a panic.
#[test]
fn hostile_signatures_are_reported() {
    let app = require_fixture!("images/static-nonroot");
    let dir = copy_layout(&app);
    let key = PrivateKey::generate().unwrap();
    let image = format!("oci-dir:{}:1.0.0", dir.path().display());
    let t = Target::open(&image, &opts()).unwrap();
    sign(&t, &key, &SignOptions::default()).unwrap();
    let root = dir.path();
    let index_path = root.join("index.json");
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&index_path).unwrap()).unwrap();
    let sig_entry = index["manifests"][1].clone();
    let blob = |d: &str| root.join("blobs/sha256").join(&d[7..]);
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(blob(sig_entry["digest"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    let variants = [
        ("signature", serde_json::json!("%%%not base64")),
        ("signature", serde_json::json!("")),
        ("size", serde_json::json!(1u64 << 40)),
        (
            "digest",
            serde_json::json!(format!("sha256:{}", "0".repeat(64))),
        ),
    ];
    for (field, value) in variants {
        let mut m = manifest.clone();
        match field {
            "signature" => {
                m["layers"][0]["annotations"]["dev.cosignproject.cosign/signature"] = value
            }
            f => m["layers"][0][f] = value,
        }
        let bytes = serde_json::to_vec(&m).unwrap();
        let d = dockguard_sign_sha256(&bytes);
        std::fs::write(blob(&d), &bytes).unwrap();
        let mut idx = index.clone();
        idx["manifests"][1]["digest"] = d.into();
        idx["manifests"][1]["size"] = bytes.len().into();
        std::fs::write(&index_path, serde_json::to_vec(&idx).unwrap()).unwrap();
        let r = verify(&t, &[key.public_key()], &VerifyOptions::default()).unwrap();
        assert!(!r.is_valid(), "{field}: {r:#?}");
        assert!(!r.signatures[0].problems.is_empty());
    }
    // A signature manifest that is not JSON: an error naming it.
    let d = dockguard_sign_sha256(b"\x00garbage");
    std::fs::write(blob(&d), b"\x00garbage").unwrap();
    let mut idx = index.clone();
    idx["manifests"][1]["digest"] = d.into();
    std::fs::write(&index_path, serde_json::to_vec(&idx).unwrap()).unwrap();
    let e = verify(&t, &[key.public_key()], &VerifyOptions::default()).unwrap_err();
    assert!(e.to_string().contains("not an image manifest"), "{e}");
}

/// Signing adds `sha256-<hex>.sig` and the referrers tag-schema index to `index.json`; the
/// image reader still sees one image when the layout is opened without a tag.
#[test]
fn signed_layout_still_opens_as_one_image() {
    let app = require_fixture!("images/static-nonroot");
    let dir = copy_layout(&app);
    let key = PrivateKey::generate().unwrap();
    let t = Target::open(&format!("oci-dir:{}:1.0.0", dir.path().display()), &opts()).unwrap();
    sign(&t, &key, &SignOptions::default()).unwrap();
    let referrer = SignOptions {
        storage: Storage::Referrer,
        ..SignOptions::default()
    };
    sign(&t, &key, &referrer).unwrap();
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("index.json")).unwrap()).unwrap();
    assert_eq!(index["manifests"].as_array().unwrap().len(), 3, "{index}");

    let image = dockguard_image::open(
        &format!("oci-dir:{}", dir.path().display()),
        &dockguard_image::OpenOptions::default(),
    )
    .unwrap();
    assert_eq!(image.manifest_digest.as_ref().unwrap().as_str(), APP);
    assert_eq!(image.reference.as_deref(), Some("1.0.0"));
}
