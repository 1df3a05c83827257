//! Keyless verification against material built here to Sigstore's formats: a throwaway
//! Fulcio-like CA (P-384 root and intermediate), a leaf with Fulcio's extensions and an
//! embedded SCT, a Rekor-like log key signing SETs and checkpoints, a CT-log key, the
//! `trusted_root.json` naming them, a cosign keyless signature layer in an OCI layout, and a
//! Sigstore bundle v0.3. When sigstore-python is available (`DOCKGUARD_SIGSTORE_PYTHON` or
//! `sigstore` on PATH) it must accept the same bundle, which proves the formats independently.

use base64::Engine as _;
use dockguard_sign::{
    CertificateIdentity, KeylessPolicy, Matcher, RegistryOptions, Stage, Target, TrustedRoot,
    VerifyOptions,
};
use p256::ecdsa::signature::Signer as _;
use p256::pkcs8::EncodePublicKey as _;
use sha2::{Digest as _, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;

// ---------------------------------------------------------------- DER writing

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = content.len();
    if n < 0x80 {
        v.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        v.push(0x80 | bytes.len() as u8);
        v.extend(bytes);
    }
    v.extend_from_slice(content);
    v
}
fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}
fn set(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x31, &parts.concat())
}
fn oid(s: &str) -> Vec<u8> {
    tlv(0x06, const_oid::ObjectIdentifier::new_unwrap(s).as_bytes())
}
fn int(n: u64) -> Vec<u8> {
    let mut b: Vec<u8> = n
        .to_be_bytes()
        .into_iter()
        .skip_while(|b| *b == 0)
        .collect();
    if b.first().is_none_or(|x| x & 0x80 != 0) {
        b.insert(0, 0);
    }
    tlv(0x02, &b)
}
fn utf8(s: &str) -> Vec<u8> {
    tlv(0x0c, s.as_bytes())
}
fn octet(b: &[u8]) -> Vec<u8> {
    tlv(0x04, b)
}
fn bits(b: &[u8]) -> Vec<u8> {
    let mut v = vec![0];
    v.extend_from_slice(b);
    tlv(0x03, &v)
}
fn utc(t: i64) -> Vec<u8> {
    let s = fmt_time(t); // YYYY-MM-DDTHH:MM:SSZ
    let d: String = s[2..].chars().filter(|c| c.is_ascii_digit()).collect();
    tlv(0x17, format!("{d}Z").as_bytes())
}
fn ext(id: &str, critical: bool, value: Vec<u8>) -> Vec<u8> {
    let mut parts = vec![oid(id)];
    if critical {
        parts.push(tlv(0x01, &[0xff]));
    }
    parts.push(octet(&value));
    seq(&parts)
}
fn name(cn: &str) -> Vec<u8> {
    seq(&[
        set(&[seq(&[oid("2.5.4.10"), utf8("dockguard-test")])]),
        set(&[seq(&[oid("2.5.4.3"), utf8(cn)])]),
    ])
}

use dockguard_core::time::format_rfc3339 as fmt_time;

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}
fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
fn sha256(b: &[u8]) -> Vec<u8> {
    Sha256::digest(b).to_vec()
}

// ---------------------------------------------------------------- keys and certificates

#[derive(Clone)]
enum Key {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
}

impl Key {
    fn p256(seed: &str) -> Key {
        Key::P256(p256::ecdsa::SigningKey::from_slice(&sha256(seed.as_bytes())).unwrap())
    }
    fn p384(seed: &str) -> Key {
        let mut s = sha256(seed.as_bytes());
        s.extend_from_slice(&sha256(&s)[..16]);
        Key::P384(p384::ecdsa::SigningKey::from_slice(&s).unwrap())
    }
    fn spki(&self) -> Vec<u8> {
        match self {
            Key::P256(k) => k.verifying_key().to_public_key_der().unwrap().to_vec(),
            Key::P384(k) => k.verifying_key().to_public_key_der().unwrap().to_vec(),
        }
    }
    /// DER ECDSA: SHA-256 for P-256, SHA-384 for P-384.
    fn sign(&self, msg: &[u8]) -> Vec<u8> {
        match self {
            Key::P256(k) => {
                let s: p256::ecdsa::Signature = k.sign(msg);
                s.to_der().as_bytes().to_vec()
            }
            Key::P384(k) => {
                let s: p384::ecdsa::Signature = k.sign(msg);
                s.to_der().as_bytes().to_vec()
            }
        }
    }
    fn alg(&self) -> Vec<u8> {
        match self {
            Key::P256(_) => seq(&[oid("1.2.840.10045.4.3.2")]),
            Key::P384(_) => seq(&[oid("1.2.840.10045.4.3.3")]),
        }
    }
    fn log_id(&self) -> Vec<u8> {
        sha256(&self.spki())
    }
}

struct CertSpec<'a> {
    serial: u64,
    issuer: &'a str,
    subject: Option<&'a str>,
    not_before: i64,
    not_after: i64,
    key: &'a Key,
    exts: Vec<Vec<u8>>,
}

fn tbs(s: &CertSpec, signer: &Key) -> Vec<u8> {
    seq(&[
        tlv(0xa0, &int(2)),
        int(s.serial),
        signer.alg(),
        name(s.issuer),
        seq(&[utc(s.not_before), utc(s.not_after)]),
        s.subject.map(name).unwrap_or_else(|| seq(&[])),
        s.key.spki(),
        tlv(0xa3, &seq(&s.exts)),
    ])
}

fn sign_tbs(tbs: Vec<u8>, signer: &Key) -> Vec<u8> {
    let sig = signer.sign(&tbs);
    seq(&[tbs, signer.alg(), bits(&sig)])
}

fn ski(key: &Key) -> Vec<u8> {
    sha256(&key.spki())[..20].to_vec()
}

fn ca_exts(key: &Key, issuer_key: Option<&Key>) -> Vec<Vec<u8>> {
    // KeyUsage keyCertSign|cRLSign (one unused bit), CA basic constraints.
    let mut v = vec![
        ext("2.5.29.15", true, tlv(0x03, &[0x01, 0x06])),
        ext("2.5.29.19", true, seq(&[tlv(0x01, &[0xff])])),
        ext("2.5.29.14", false, octet(&ski(key))),
    ];
    if let Some(ik) = issuer_key {
        v.push(ext("2.5.29.35", false, seq(&[tlv(0x80, &ski(ik))])));
    }
    v
}

/// Times of the scenario: every certificate and key is built around SIGNED_AT.
const CA_START: i64 = 1704067200; // 2024-01-01
const CA_END: i64 = 2019686400; // 2034-01-01
const SIGNED_AT: i64 = 1748779200; // 2025-06-01T12:00:00Z
const ISSUER: &str = "https://issuer.example.test";
const EMAIL: &str = "signer@example.test";

struct Pki {
    root: Vec<u8>,
    inter_key: Key,
    inter: Vec<u8>,
    rekor: Key,
    ct: Key,
}

fn pki(tag: &str) -> Pki {
    let root_key = Key::p384(&format!("{tag} root"));
    let inter_key = Key::p384(&format!("{tag} intermediate"));
    let root = sign_tbs(
        tbs(
            &CertSpec {
                serial: 1,
                issuer: "test-root",
                subject: Some("test-root"),
                not_before: CA_START,
                not_after: CA_END,
                key: &root_key,
                exts: ca_exts(&root_key, None),
            },
            &root_key,
        ),
        &root_key,
    );
    let inter = sign_tbs(
        tbs(
            &CertSpec {
                serial: 2,
                issuer: "test-root",
                subject: Some("test-intermediate"),
                not_before: CA_START,
                not_after: CA_END,
                key: &inter_key,
                exts: ca_exts(&inter_key, Some(&root_key)),
            },
            &root_key,
        ),
        &root_key,
    );
    Pki {
        root,
        inter_key,
        inter,
        rekor: Key::p256(&format!("{tag} rekor")),
        ct: Key::p256(&format!("{tag} ct")),
    }
}

/// How the leaf differs from a good Fulcio certificate.
#[derive(Default, Clone)]
struct LeafOpts {
    not_before: Option<i64>,
    not_after: Option<i64>,
    uri: Option<String>,
    no_code_signing: bool,
    rsa_key: bool,
    no_sct: bool,
    /// The SCT is signed by a CT key the trusted root does not list.
    foreign_sct: bool,
    /// The SCT was issued for a different precertificate (another serial number).
    sct_for_other_cert: bool,
}

/// A Fulcio-like leaf with an embedded SCT from the CT key (as sigstore clients require).
fn leaf(p: &Pki, key: &Key, o: &LeafOpts) -> Vec<u8> {
    let san = match &o.uri {
        Some(u) => tlv(0x86, u.as_bytes()),
        None => tlv(0x81, EMAIL.as_bytes()),
    };
    let eku = if o.no_code_signing {
        "1.3.6.1.5.5.7.3.2"
    } else {
        "1.3.6.1.5.5.7.3.3"
    };
    let mut exts = vec![
        ext("2.5.29.15", true, tlv(0x03, &[0x07, 0x80])),
        ext("2.5.29.37", false, seq(&[oid(eku)])),
        ext("2.5.29.14", false, octet(&ski(key))),
        ext("2.5.29.35", false, seq(&[tlv(0x80, &ski(&p.inter_key))])),
        ext("2.5.29.17", true, seq(&[san])),
        ext("1.3.6.1.4.1.57264.1.1", false, ISSUER.as_bytes().to_vec()),
        ext("1.3.6.1.4.1.57264.1.8", false, utf8(ISSUER)),
    ];
    let spec = |exts: Vec<Vec<u8>>| CertSpec {
        serial: 0x1234_5678,
        issuer: "test-intermediate",
        subject: None,
        not_before: o.not_before.unwrap_or(SIGNED_AT - 60),
        not_after: o.not_after.unwrap_or(SIGNED_AT + 540),
        key,
        exts,
    };
    let mut pre = tbs(&spec(exts.clone()), &p.inter_key);
    if o.no_sct {
        return sign_tbs(pre, &p.inter_key);
    }
    if o.rsa_key {
        // Same certificate with an RSA public key in place of the EC one.
        let rsa_spki = seq(&[
            seq(&[oid("1.2.840.113549.1.1.1"), tlv(0x05, &[])]),
            bits(&seq(&[int(0xC0FF_EE01), int(65537)])),
        ]);
        let ec = key.spki();
        let at = pre.windows(ec.len()).position(|w| w == ec).unwrap();
        let mut inner = pre[..at].to_vec();
        inner.extend_from_slice(&rsa_spki);
        inner.extend_from_slice(&pre[at + ec.len()..]);
        // Re-wrap the TBS with the new length.
        let (_, hdr) = der_header(&inner);
        pre = tlv(0x30, &inner[hdr..]);
        return sign_tbs(pre, &p.inter_key);
    }
    // RFC 6962 precertificate SCT over the TBS without the SCT extension.
    let ts_ms = (SIGNED_AT - 30) as u64 * 1000;
    let mut signed = vec![0u8, 0u8];
    signed.extend_from_slice(&ts_ms.to_be_bytes());
    signed.extend_from_slice(&1u16.to_be_bytes());
    signed.extend_from_slice(&sha256(&p.inter_key.spki()));
    let sct_tbs = if o.sct_for_other_cert {
        let mut other = spec(exts.clone());
        other.serial += 1;
        tbs(&other, &p.inter_key)
    } else {
        pre.clone()
    };
    signed.extend_from_slice(&(sct_tbs.len() as u32).to_be_bytes()[1..]);
    signed.extend_from_slice(&sct_tbs);
    signed.extend_from_slice(&0u16.to_be_bytes());
    let ct = if o.foreign_sct {
        Key::p256("someone else's CT log")
    } else {
        p.ct.clone()
    };
    let sig = ct.sign(&signed);
    let mut sct = vec![0u8];
    sct.extend_from_slice(&ct.log_id());
    sct.extend_from_slice(&ts_ms.to_be_bytes());
    sct.extend_from_slice(&0u16.to_be_bytes());
    sct.extend_from_slice(&[4, 3]);
    sct.extend_from_slice(&(sig.len() as u16).to_be_bytes());
    sct.extend_from_slice(&sig);
    let mut list = ((sct.len() + 2) as u16).to_be_bytes().to_vec();
    list.extend_from_slice(&(sct.len() as u16).to_be_bytes());
    list.extend_from_slice(&sct);
    exts.push(ext("1.3.6.1.4.1.11129.2.4.2", false, octet(&list)));
    sign_tbs(tbs(&spec(exts), &p.inter_key), &p.inter_key)
}

fn der_header(b: &[u8]) -> (usize, usize) {
    if b[1] < 0x80 {
        (b[1] as usize, 2)
    } else {
        let n = (b[1] & 0x7f) as usize;
        let mut l = 0;
        for i in 0..n {
            l = (l << 8) | b[2 + i] as usize;
        }
        (l, 2 + n)
    }
}

/// PEM with LF line ends, as Go and Python clients write it (Rekor bodies compare it bytewise).
fn pem_cert(der: &[u8]) -> String {
    pem::encode_config(
        &pem::Pem::new("CERTIFICATE", der.to_vec()),
        pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
    )
}

// ---------------------------------------------------------------- trusted root, Rekor

fn log_entry_json(key: &Key, url: &str) -> serde_json::Value {
    serde_json::json!({
        "baseUrl": url,
        "hashAlgorithm": "SHA2_256",
        "publicKey": {
            "rawBytes": b64(&key.spki()),
            "keyDetails": "PKIX_ECDSA_P256_SHA_256",
            "validFor": {"start": fmt_time(CA_START)}
        },
        "logId": {"keyId": b64(&key.log_id())}
    })
}

fn trusted_root(p: &Pki) -> serde_json::Value {
    serde_json::json!({
        "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
        "tlogs": [log_entry_json(&p.rekor, "https://rekor.example.test")],
        "certificateAuthorities": [{
            "subject": {"organization": "dockguard-test", "commonName": "test-intermediate"},
            "uri": "https://fulcio.example.test",
            "certChain": {"certificates": [{"rawBytes": b64(&p.inter)}, {"rawBytes": b64(&p.root)}]},
            "validFor": {"start": fmt_time(CA_START)}
        }],
        "ctlogs": [log_entry_json(&p.ct, "https://ctfe.example.test")],
        "timestampAuthorities": []
    })
}

fn client_trust_config(p: &Pki) -> serde_json::Value {
    let svc = |url: &str| {
        serde_json::json!([{"url": url, "majorApiVersion": 1,
            "validFor": {"start": fmt_time(CA_START)}, "operator": "dockguard-test"}])
    };
    serde_json::json!({
        "mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
        "trustedRoot": trusted_root(p),
        "signingConfig": {
            "mediaType": "application/vnd.dev.sigstore.signingconfig.v0.2+json",
            "caUrls": svc("https://fulcio.example.test"),
            "oidcUrls": svc("https://issuer.example.test"),
            "rekorTlogUrls": svc("https://rekor.example.test"),
            "tsaUrls": [],
            "rekorTlogConfig": {"selector": "ANY"},
            "tsaConfig": {"selector": "ANY"}
        }
    })
}

fn node(l: &[u8], r: &[u8]) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update([1]);
    h.update(l);
    h.update(r);
    h.finalize().to_vec()
}
fn leaf_hash(d: &[u8]) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update([0]);
    h.update(d);
    h.finalize().to_vec()
}
fn split(n: usize) -> usize {
    let k = n.next_power_of_two() / 2;
    if k == n {
        k / 2
    } else {
        k
    }
}
fn mth(leaves: &[Vec<u8>]) -> Vec<u8> {
    if leaves.len() == 1 {
        return leaf_hash(&leaves[0]);
    }
    let k = split(leaves.len());
    node(&mth(&leaves[..k]), &mth(&leaves[k..]))
}
fn audit_path(m: usize, leaves: &[Vec<u8>]) -> Vec<Vec<u8>> {
    if leaves.len() == 1 {
        return Vec::new();
    }
    let k = split(leaves.len());
    let (mut p, other) = if m < k {
        (audit_path(m, &leaves[..k]), mth(&leaves[k..]))
    } else {
        (audit_path(m - k, &leaves[k..]), mth(&leaves[..k]))
    };
    p.push(other);
    p
}

/// A logged hashedrekord entry with everything a verifier gets to see.
struct Logged {
    body: Vec<u8>,
    integrated_time: i64,
    log_index: i64,
    set: Vec<u8>,
    tree_index: usize,
    tree_size: usize,
    root_hash: Vec<u8>,
    hashes: Vec<Vec<u8>>,
    checkpoint: String,
}

fn hashedrekord(digest: &[u8], sig: &[u8], cert_der: &[u8]) -> Vec<u8> {
    // Rekor's canonicalized form: keys sorted, no spaces.
    format!(
        r#"{{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{{"data":{{"hash":{{"algorithm":"sha256","value":"{}"}}}},"signature":{{"content":"{}","publicKey":{{"content":"{}"}}}}}}}}"#,
        hex(digest),
        b64(sig),
        b64(pem_cert(cert_der).as_bytes())
    )
    .into_bytes()
}

fn log(p: &Pki, body: Vec<u8>, integrated_time: i64) -> Logged {
    let log_index = 1000 + 3;
    let mut leaves: Vec<Vec<u8>> = (0..5)
        .map(|i| format!("other entry {i}").into_bytes())
        .collect();
    let tree_index = 3;
    leaves[tree_index] = body.clone();
    let root_hash = mth(&leaves);
    let hashes = audit_path(tree_index, &leaves);
    let set_payload = format!(
        r#"{{"body":"{}","integratedTime":{},"logID":"{}","logIndex":{}}}"#,
        b64(&body),
        integrated_time,
        hex(&p.rekor.log_id()),
        log_index
    );
    let set = p.rekor.sign(set_payload.as_bytes());
    let note = format!(
        "rekor.example.test - 42\n{}\n{}\n",
        leaves.len(),
        b64(&root_hash)
    );
    let mut sig = p.rekor.log_id()[..4].to_vec();
    sig.extend(p.rekor.sign(note.as_bytes()));
    let checkpoint = format!("{note}\n\u{2014} rekor.example.test {}\n", b64(&sig));
    Logged {
        body,
        integrated_time,
        log_index,
        set,
        tree_index,
        tree_size: leaves.len(),
        root_hash,
        hashes,
        checkpoint,
    }
}

fn bundle_v03(
    p: &Pki,
    leaf_der: &[u8],
    digest: &[u8],
    sig: &[u8],
    l: &Logged,
) -> serde_json::Value {
    serde_json::json!({
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": {
            "certificate": {"rawBytes": b64(leaf_der)},
            "tlogEntries": [{
                "logIndex": l.log_index.to_string(),
                "logId": {"keyId": b64(&p.rekor.log_id())},
                "kindVersion": {"kind": "hashedrekord", "version": "0.0.1"},
                "integratedTime": l.integrated_time.to_string(),
                "inclusionPromise": {"signedEntryTimestamp": b64(&l.set)},
                "inclusionProof": {
                    "logIndex": l.tree_index.to_string(),
                    "rootHash": b64(&l.root_hash),
                    "treeSize": l.tree_size.to_string(),
                    "hashes": l.hashes.iter().map(|h| b64(h)).collect::<Vec<_>>(),
                    "checkpoint": {"envelope": l.checkpoint}
                },
                "canonicalizedBody": b64(&l.body)
            }]
        },
        "messageSignature": {
            "messageDigest": {"algorithm": "SHA2_256", "digest": b64(digest)},
            "signature": b64(sig)
        }
    })
}

// ---------------------------------------------------------------- scenario

struct Scenario {
    dir: tempfile::TempDir,
    pki: Pki,
    signer: Key,
}

impl Scenario {
    fn new(tag: &str) -> Scenario {
        Scenario {
            dir: tempfile::tempdir().unwrap(),
            pki: pki(tag),
            signer: Key::p256(&format!("{tag} ephemeral")),
        }
    }

    fn root(&self) -> Arc<TrustedRoot> {
        let j = serde_json::to_vec(&trusted_root(&self.pki)).unwrap();
        Arc::new(TrustedRoot::from_json("trusted_root.json", &j).unwrap())
    }

    fn policy(&self, identity: Matcher, issuer: Matcher) -> KeylessPolicy {
        KeylessPolicy {
            trusted_root: self.root(),
            identity: CertificateIdentity { identity, issuer },
        }
    }

    fn good_policy(&self) -> KeylessPolicy {
        self.policy(Matcher::Exact(EMAIL.into()), Matcher::Exact(ISSUER.into()))
    }

    /// Signs `artifact`, logs it, and returns (bundle JSON, leaf DER).
    fn blob_bundle(&self, artifact: &[u8], o: &LeafOpts, at: i64) -> (serde_json::Value, Vec<u8>) {
        let leaf_der = leaf(&self.pki, &self.signer, o);
        let digest = sha256(artifact);
        let sig = self.signer.sign(artifact);
        let l = log(&self.pki, hashedrekord(&digest, &sig, &leaf_der), at);
        (
            bundle_v03(&self.pki, &leaf_der, &digest, &sig, &l),
            leaf_der,
        )
    }
}

impl Scenario {
    /// An in-toto statement about `artifact` in a DSSE envelope, logged as a dsse 0.0.1 entry.
    fn dsse_bundle(&self, subject_digest: &[u8]) -> serde_json::Value {
        let leaf_der = leaf(&self.pki, &self.signer, &LeafOpts::default());
        let statement = serde_json::json!({
            "_type": "https://in-toto.io/Statement/v1",
            "subject": [{"name": "artifact.txt", "digest": {"sha256": hex(subject_digest)}}],
            "predicateType": "https://dockguard.example.test/test/v1",
            "predicate": {"note": "built by the dockguard tests"}
        });
        let payload = serde_json::to_vec(&statement).unwrap();
        let ptype = "application/vnd.in-toto+json";
        let mut pae = format!("DSSEv1 {} {ptype} {} ", ptype.len(), payload.len()).into_bytes();
        pae.extend_from_slice(&payload);
        let sig = self.signer.sign(&pae);
        let envelope = serde_json::json!({
            "payload": b64(&payload), "payloadType": ptype,
            "signatures": [{"sig": b64(&sig)}]
        });
        let body = serde_json::json!({
            "apiVersion": "0.0.1", "kind": "dsse",
            "spec": {
                "envelopeHash": {"algorithm": "sha256", "value": hex(&sha256(envelope.to_string().as_bytes()))},
                "payloadHash": {"algorithm": "sha256", "value": hex(&sha256(&payload))},
                "signatures": [{"signature": b64(&sig), "verifier": b64(pem_cert(&leaf_der).as_bytes())}]
            }
        });
        let l = log(&self.pki, body.to_string().into_bytes(), SIGNED_AT);
        let mut b = bundle_v03(&self.pki, &leaf_der, &[], &sig, &l);
        b.as_object_mut().unwrap().remove("messageSignature");
        b["dsseEnvelope"] = envelope;
        b["verificationMaterial"]["tlogEntries"][0]["kindVersion"]["kind"] = "dsse".into();
        b
    }
}

fn verify_blob_json(
    policy: &KeylessPolicy,
    bundle: &serde_json::Value,
    artifact: &[u8],
) -> Result<dockguard_sign::VerifiedSigner, dockguard_sign::Failure> {
    let b = dockguard_sign::Bundle::from_json("bundle.json", &serde_json::to_vec(bundle).unwrap())
        .unwrap();
    dockguard_sign::verify_bundle(&b, &sha256(artifact), policy)
}

#[test]
fn bundle_v03_verifies() {
    let s = Scenario::new("bundle");
    let artifact = b"release tarball bytes\n";
    let (bundle, _) = s.blob_bundle(artifact, &LeafOpts::default(), SIGNED_AT);
    let signer = verify_blob_json(&s.good_policy(), &bundle, artifact).unwrap();
    assert_eq!(signer.identity, EMAIL);
    assert_eq!(signer.issuer, ISSUER);
    assert_eq!(signer.integrated_time, SIGNED_AT);
    assert_eq!(signer.log_index, 1003);
    assert!(signer.ca.contains("test-intermediate"), "{}", signer.ca);
    // Regular expressions, as cosign's --certificate-identity-regexp.
    let p = s.policy(
        Matcher::regex("@example\\.test$").unwrap(),
        Matcher::regex("^https://issuer\\.").unwrap(),
    );
    verify_blob_json(&p, &bundle, artifact).unwrap();

    // The same entry as a v0.1 bundle: SET only, the chain in x509CertificateChain.
    let mut v01 = bundle.clone();
    v01["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.1".into();
    let leaf = v01["verificationMaterial"]["certificate"].take();
    let vm = v01["verificationMaterial"].as_object_mut().unwrap();
    vm.remove("certificate");
    vm.insert(
        "x509CertificateChain".into(),
        serde_json::json!({"certificates": [leaf, {"rawBytes": b64(&s.pki.inter)}]}),
    );
    vm["tlogEntries"][0]
        .as_object_mut()
        .unwrap()
        .remove("inclusionProof");
    verify_blob_json(&s.good_policy(), &v01, artifact).unwrap();
    // v0.2 requires the inclusion proof.
    v01["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.2".into();
    let e = verify_blob_json(&s.good_policy(), &v01, artifact).unwrap_err();
    assert_eq!(e.stage, Stage::InclusionProof, "{e}");
}

fn expect(
    stage: Stage,
    r: Result<dockguard_sign::VerifiedSigner, dockguard_sign::Failure>,
    needle: &str,
) {
    let e = r.expect_err("verification must fail");
    assert_eq!(e.stage, stage, "{e}");
    assert!(e.to_string().contains(needle), "{e}");
}

#[test]
fn bundle_negative_cases() {
    let s = Scenario::new("negative");
    let artifact = b"artifact";
    let (bundle, _) = s.blob_bundle(artifact, &LeafOpts::default(), SIGNED_AT);
    let good = s.good_policy();

    let p = s.policy(
        Matcher::Exact("someone@else.test".into()),
        Matcher::Exact(ISSUER.into()),
    );
    expect(
        Stage::Identity,
        verify_blob_json(&p, &bundle, artifact),
        "does not match 'someone@else.test'",
    );
    let p = s.policy(
        Matcher::Exact(EMAIL.into()),
        Matcher::Exact("https://other.test".into()),
    );
    expect(
        Stage::Issuer,
        verify_blob_json(&p, &bundle, artifact),
        "OIDC issuer",
    );

    // Tampered file: the bundle's digest no longer matches.
    expect(
        Stage::Signature,
        verify_blob_json(&good, &bundle, b"artifacT"),
        "the file is",
    );
    // Same, without the recorded digest: the signature itself fails.
    let mut b = bundle.clone();
    b["messageSignature"]
        .as_object_mut()
        .unwrap()
        .remove("messageDigest");
    expect(
        Stage::Signature,
        verify_blob_json(&good, &b, b"artifacT"),
        "does not verify",
    );

    // Tampered SET.
    let mut b = bundle.clone();
    let entry = &mut b["verificationMaterial"]["tlogEntries"][0];
    entry["integratedTime"] = (SIGNED_AT + 1).to_string().into();
    expect(
        Stage::Set,
        verify_blob_json(&good, &b, artifact),
        "signed entry timestamp",
    );

    // Tampered inclusion proof.
    let mut b = bundle.clone();
    b["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["hashes"][0] =
        b64(&[7; 32]).into();
    expect(
        Stage::InclusionProof,
        verify_blob_json(&good, &b, artifact),
        "root",
    );

    // Certificate expired when the entry was logged.
    let o = LeafOpts {
        not_before: Some(SIGNED_AT - 1200),
        not_after: Some(SIGNED_AT - 600),
        ..LeafOpts::default()
    };
    let (b, _) = s.blob_bundle(artifact, &o, SIGNED_AT);
    expect(
        Stage::Time,
        verify_blob_json(&good, &b, artifact),
        "was logged at 2025-06-01T12:00:00Z",
    );

    // Not a code-signing certificate.
    let o = LeafOpts {
        no_code_signing: true,
        ..LeafOpts::default()
    };
    let (b, _) = s.blob_bundle(artifact, &o, SIGNED_AT);
    expect(
        Stage::Certificate,
        verify_blob_json(&good, &b, artifact),
        "code signing",
    );

    // A chain to a root the trusted root does not know.
    let other = Scenario::new("stranger");
    let (b, _) = other.blob_bundle(artifact, &LeafOpts::default(), SIGNED_AT);
    // Logged by our log so that only the chain is wrong.
    let leaf_der = leaf(&other.pki, &other.signer, &LeafOpts::default());
    let sig = other.signer.sign(artifact);
    let l = log(
        &s.pki,
        hashedrekord(&sha256(artifact), &sig, &leaf_der),
        SIGNED_AT,
    );
    let b2 = bundle_v03(&s.pki, &leaf_der, &sha256(artifact), &sig, &l);
    expect(
        Stage::Chain,
        verify_blob_json(&good, &b2, artifact),
        "does not chain",
    );
    // …and its own log is unknown too.
    expect(
        Stage::InclusionProof,
        verify_blob_json(&good, &b, artifact),
        "not in the trusted root",
    );

    // Log entry recording another signature (CVE-2022-36056-style mix-up).
    let leaf_der = leaf(&s.pki, &s.signer, &LeafOpts::default());
    let sig = s.signer.sign(artifact);
    let other_sig = s.signer.sign(b"something else");
    let l = log(
        &s.pki,
        hashedrekord(&sha256(artifact), &other_sig, &leaf_der),
        SIGNED_AT,
    );
    let b = bundle_v03(&s.pki, &leaf_der, &sha256(artifact), &sig, &l);
    expect(
        Stage::LogEntry,
        verify_blob_json(&good, &b, artifact),
        "different signature",
    );

    // Signed certificate timestamps: missing, from an unknown CT log, or for another
    // certificate.
    for (o, needle) in [
        (
            LeafOpts {
                no_sct: true,
                ..LeafOpts::default()
            },
            "no embedded signed certificate timestamp",
        ),
        (
            LeafOpts {
                foreign_sct: true,
                ..LeafOpts::default()
            },
            "is not in the trusted root",
        ),
        (
            LeafOpts {
                sct_for_other_cert: true,
                ..LeafOpts::default()
            },
            "SCT signature does not verify",
        ),
    ] {
        let (b, _) = s.blob_bundle(artifact, &o, SIGNED_AT);
        expect(Stage::Sct, verify_blob_json(&good, &b, artifact), needle);
    }
    // Without CT logs in the trusted root, SCTs are not required.
    let mut root = trusted_root(&s.pki);
    root["ctlogs"] = serde_json::json!([]);
    let no_ct = KeylessPolicy {
        trusted_root: Arc::new(
            TrustedRoot::from_json("r", &serde_json::to_vec(&root).unwrap()).unwrap(),
        ),
        identity: s.good_policy().identity,
    };
    let (b, _) = s.blob_bundle(
        artifact,
        &LeafOpts {
            no_sct: true,
            ..LeafOpts::default()
        },
        SIGNED_AT,
    );
    verify_blob_json(&no_ct, &b, artifact).unwrap();

    // RSA signing key: reported, never a panic.
    let o = LeafOpts {
        rsa_key: true,
        ..LeafOpts::default()
    };
    let (b, _) = s.blob_bundle(artifact, &o, SIGNED_AT);
    expect(
        Stage::Certificate,
        verify_blob_json(&good, &b, artifact),
        "RSA keys are not supported",
    );
}

#[test]
fn dsse_bundle_verifies() {
    let s = Scenario::new("dsse");
    let artifact = b"attested artifact";
    let b = s.dsse_bundle(&sha256(artifact));
    let signer = verify_blob_json(&s.good_policy(), &b, artifact).unwrap();
    assert_eq!(signer.identity, EMAIL);
    // The statement is about another file.
    expect(
        Stage::Signature,
        verify_blob_json(&s.good_policy(), &b, b"other file"),
        "no subject of the attestation",
    );
    // The envelope's payload was swapped after signing.
    let mut t = b.clone();
    let other = s.dsse_bundle(&sha256(b"x"));
    t["dsseEnvelope"]["payload"] = other["dsseEnvelope"]["payload"].clone();
    let r = verify_blob_json(&s.good_policy(), &t, b"x");
    expect(Stage::Signature, r, "does not verify");
}

#[test]
fn trusted_root_periods_are_enforced() {
    let s = Scenario::new("periods");
    let artifact = b"a";
    let (bundle, _) = s.blob_bundle(artifact, &LeafOpts::default(), SIGNED_AT);
    let mut root = trusted_root(&s.pki);
    root["certificateAuthorities"][0]["validFor"] =
        serde_json::json!({"start": fmt_time(CA_START), "end": fmt_time(SIGNED_AT - 1)});
    let root = TrustedRoot::from_json("r", &serde_json::to_vec(&root).unwrap()).unwrap();
    let p = KeylessPolicy {
        trusted_root: Arc::new(root),
        identity: s.good_policy().identity,
    };
    expect(
        Stage::Chain,
        verify_blob_json(&p, &bundle, artifact),
        "no certificate authority",
    );
}

// ---------------------------------------------------------------- cosign layer in a layout

fn write_blob(dir: &Path, bytes: &[u8]) -> serde_json::Value {
    let d = hex(&sha256(bytes));
    std::fs::write(dir.join("blobs/sha256").join(&d), bytes).unwrap();
    serde_json::json!({"digest": format!("sha256:{d}"), "size": bytes.len()})
}

/// An OCI layout holding an empty image tagged `app` and a cosign `.sig` manifest whose layer
/// carries `annotations`; returns (layout dir, image digest).
fn layout_with_signature(
    dir: &Path,
    payload_for: impl FnOnce(&str) -> Vec<u8>,
    annotations: impl FnOnce(&[u8]) -> serde_json::Map<String, serde_json::Value>,
) -> String {
    std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    let config = write_blob(
        dir,
        br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#,
    );
    let mut cfg = config.clone();
    cfg["mediaType"] = "application/vnd.oci.image.config.v1+json".into();
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": cfg, "layers": []
    }))
    .unwrap();
    let m = write_blob(dir, &manifest);
    let image_digest = m["digest"].as_str().unwrap().to_string();
    let payload = payload_for(&image_digest);
    let mut layer = write_blob(dir, &payload);
    layer["mediaType"] = "application/vnd.dev.cosign.simplesigning.v1+json".into();
    layer["annotations"] = serde_json::Value::Object(annotations(&payload));
    let sig_manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": cfg, "layers": [layer]
    }))
    .unwrap();
    let sm = write_blob(dir, &sig_manifest);
    let entry = |d: &serde_json::Value, size: usize, name: &str| {
        serde_json::json!({"mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": d["digest"], "size": size,
            "annotations": {"org.opencontainers.image.ref.name": name}})
    };
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [
        entry(&m, manifest.len(), "app"),
        entry(&sm, sig_manifest.len(), &format!("{}.sig", image_digest.replace(':', "-"))),
    ]});
    std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
    image_digest
}

fn simple_signing(digest: &str) -> Vec<u8> {
    format!(
        r#"{{"critical":{{"identity":{{"docker-reference":"registry.example.test/app"}},"image":{{"docker-manifest-digest":"{digest}"}},"type":"cosign container image signature"}},"optional":null}}"#
    )
    .into_bytes()
}

/// cosign's three keyless annotations for `payload`, logged at `at`.
fn cosign_annotations(
    s: &Scenario,
    payload: &[u8],
    o: &LeafOpts,
    at: i64,
    tamper_set: bool,
) -> serde_json::Map<String, serde_json::Value> {
    let leaf_der = leaf(&s.pki, &s.signer, o);
    let sig = s.signer.sign(payload);
    let l = log(&s.pki, hashedrekord(&sha256(payload), &sig, &leaf_der), at);
    let mut set = l.set.clone();
    if tamper_set {
        let n = set.len();
        set[n - 3] ^= 1;
    }
    let bundle = serde_json::json!({
        "SignedEntryTimestamp": b64(&set),
        "Payload": {"body": b64(&l.body), "integratedTime": l.integrated_time,
            "logIndex": l.log_index, "logID": hex(&s.pki.rekor.log_id())}
    });
    let mut m = serde_json::Map::new();
    m.insert(
        "dev.cosignproject.cosign/signature".into(),
        b64(&sig).into(),
    );
    m.insert(
        "dev.sigstore.cosign/certificate".into(),
        pem_cert(&leaf_der).into(),
    );
    m.insert(
        "dev.sigstore.cosign/chain".into(),
        format!("{}{}", pem_cert(&s.pki.inter), pem_cert(&s.pki.root)).into(),
    );
    m.insert(
        "dev.sigstore.cosign/bundle".into(),
        bundle.to_string().into(),
    );
    m
}

fn verify_layout(dir: &Path, policy: KeylessPolicy) -> dockguard_sign::VerifyReport {
    let target = Target::open(
        &format!("oci-dir:{}:app", dir.display()),
        &RegistryOptions::default(),
    )
    .unwrap();
    dockguard_sign::verify(
        &target,
        &[],
        &VerifyOptions {
            keyless: Some(policy),
            ..VerifyOptions::default()
        },
    )
    .unwrap()
}

#[test]
fn cosign_keyless_layer_in_layout() {
    let s = Scenario::new("layout");
    let dir = s.dir.path().join("good");
    let digest = layout_with_signature(&dir, simple_signing, |p| {
        cosign_annotations(&s, p, &LeafOpts::default(), SIGNED_AT, false)
    });
    let r = verify_layout(&dir, s.good_policy());
    assert!(r.is_valid(), "{:#?}", r.signatures);
    assert_eq!(r.digest, digest);
    let signer = r.signatures[0].keyless_signer.as_ref().unwrap();
    assert_eq!(
        (signer.identity.as_str(), signer.issuer.as_str()),
        (EMAIL, ISSUER)
    );

    // Wrong identity and wrong issuer are named.
    let r = verify_layout(
        &dir,
        s.policy(Matcher::Exact("x@y".into()), Matcher::Exact(ISSUER.into())),
    );
    assert!(!r.is_valid());
    assert!(
        r.signatures[0].problems[0].starts_with("keyless identity:"),
        "{:?}",
        r.signatures[0].problems
    );
    let r = verify_layout(
        &dir,
        s.policy(
            Matcher::Exact(EMAIL.into()),
            Matcher::regex("^https://accounts").unwrap(),
        ),
    );
    assert!(
        r.signatures[0].problems[0].starts_with("keyless issuer:"),
        "{:?}",
        r.signatures[0].problems
    );

    // Tampered SET.
    let dir = s.dir.path().join("set");
    layout_with_signature(&dir, simple_signing, |p| {
        cosign_annotations(&s, p, &LeafOpts::default(), SIGNED_AT, true)
    });
    let r = verify_layout(&dir, s.good_policy());
    assert!(!r.is_valid());
    assert!(
        r.signatures[0].problems[0].starts_with("keyless SET:"),
        "{:?}",
        r.signatures[0].problems
    );

    // Payload swapped after signing: the layer's signature no longer matches.
    let dir = s.dir.path().join("payload");
    layout_with_signature(&dir, simple_signing, |p| {
        let mut a = cosign_annotations(&s, p, &LeafOpts::default(), SIGNED_AT, false);
        let other = s.signer.sign(b"another payload");
        a.insert(
            "dev.cosignproject.cosign/signature".into(),
            b64(&other).into(),
        );
        a
    });
    let r = verify_layout(&dir, s.good_policy());
    assert!(
        r.signatures[0].problems[0].starts_with("keyless signature:"),
        "{:?}",
        r.signatures[0].problems
    );

    // Certificate expired at integratedTime.
    let dir = s.dir.path().join("expired");
    layout_with_signature(&dir, simple_signing, |p| {
        let o = LeafOpts {
            not_after: Some(SIGNED_AT - 1),
            not_before: Some(SIGNED_AT - 600),
            ..LeafOpts::default()
        };
        cosign_annotations(&s, p, &o, SIGNED_AT, false)
    });
    let r = verify_layout(&dir, s.good_policy());
    assert!(
        r.signatures[0].problems[0].starts_with("keyless time:"),
        "{:?}",
        r.signatures[0].problems
    );

    // Missing bundle annotation, garbage certificate: reported, never a panic.
    let dir = s.dir.path().join("nobundle");
    layout_with_signature(&dir, simple_signing, |p| {
        let mut a = cosign_annotations(&s, p, &LeafOpts::default(), SIGNED_AT, false);
        a.remove("dev.sigstore.cosign/bundle");
        a
    });
    let r = verify_layout(&dir, s.good_policy());
    assert!(
        r.signatures[0].problems[0].contains("no Rekor bundle"),
        "{:?}",
        r.signatures[0].problems
    );
    let dir = s.dir.path().join("garbage");
    layout_with_signature(&dir, simple_signing, |p| {
        let mut a = cosign_annotations(&s, p, &LeafOpts::default(), SIGNED_AT, false);
        a.insert(
            "dev.sigstore.cosign/certificate".into(),
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".into(),
        );
        a.insert("dev.sigstore.cosign/bundle".into(), "{".into());
        a
    });
    let r = verify_layout(&dir, s.good_policy());
    assert!(
        r.signatures[0].problems[0].starts_with("keyless certificate:"),
        "{:?}",
        r.signatures[0].problems
    );
}

// ---------------------------------------------------------------- sigstore-python peer

fn sigstore_python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DOCKGUARD_SIGSTORE_PYTHON").filter(|p| !p.is_empty()) {
        return Some(p.into());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join("sigstore"))
        .find(|p| p.is_file())
}

fn run_peer(
    bin: &Path,
    dir: &Path,
    bundle: &serde_json::Value,
    identity: &str,
) -> std::process::Output {
    std::fs::write(
        dir.join("bundle.json"),
        serde_json::to_vec_pretty(bundle).unwrap(),
    )
    .unwrap();
    std::process::Command::new(bin)
        .arg("--trust-config")
        .arg(dir.join("trust_config.json"))
        .args(["verify", "identity", "--offline", "--bundle"])
        .arg(dir.join("bundle.json"))
        .args(["--cert-identity", identity, "--cert-oidc-issuer", ISSUER])
        .arg(dir.join("artifact.txt"))
        .output()
        .unwrap()
}

#[test]
fn sigstore_python_accepts_our_bundle() {
    let Some(bin) = sigstore_python() else {
        assert!(
            !dockguard_testkit::in_ci(),
            "sigstore-python is required under CI=true (.ci/run installs it)"
        );
        eprintln!("skipped: sigstore-python not found (set DOCKGUARD_SIGSTORE_PYTHON or put `sigstore` on PATH)");
        return;
    };
    let s = Scenario::new("peer");
    let dir = s.dir.path();
    let artifact = b"hello from dockguard\n";
    std::fs::write(dir.join("artifact.txt"), artifact).unwrap();
    std::fs::write(
        dir.join("trust_config.json"),
        serde_json::to_vec_pretty(&client_trust_config(&s.pki)).unwrap(),
    )
    .unwrap();
    let (bundle, _) = s.blob_bundle(artifact, &LeafOpts::default(), SIGNED_AT);
    // Keep the material for inspection when asked to.
    if let Some(out) = std::env::var_os("DOCKGUARD_KEYLESS_OUT") {
        let out = PathBuf::from(out);
        std::fs::create_dir_all(&out).unwrap();
        for f in ["artifact.txt", "trust_config.json"] {
            std::fs::copy(dir.join(f), out.join(f)).unwrap();
        }
        std::fs::write(
            out.join("bundle.json"),
            serde_json::to_vec_pretty(&bundle).unwrap(),
        )
        .unwrap();
        std::fs::write(
            out.join("trusted_root.json"),
            serde_json::to_vec_pretty(&trusted_root(&s.pki)).unwrap(),
        )
        .unwrap();
    }
    let out = run_peer(&bin, dir, &bundle, EMAIL);
    assert!(
        out.status.success(),
        "sigstore-python rejected our bundle:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    verify_blob_json(&s.good_policy(), &bundle, artifact).unwrap();
    // And it rejects what we reject.
    let out = run_peer(&bin, dir, &bundle, "someone@else.test");
    assert!(!out.status.success());
    let mut b = bundle.clone();
    b["verificationMaterial"]["tlogEntries"][0]["integratedTime"] =
        (SIGNED_AT + 1).to_string().into();
    assert!(!run_peer(&bin, dir, &b, EMAIL).status.success());
    expect(
        Stage::Set,
        verify_blob_json(&s.good_policy(), &b, artifact),
        "signed entry timestamp",
    );
    // DSSE (attestation) bundles, both sides.
    let b = s.dsse_bundle(&sha256(artifact));
    let out = run_peer(&bin, dir, &b, EMAIL);
    assert!(
        out.status.success(),
        "sigstore-python rejected our DSSE bundle:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    verify_blob_json(&s.good_policy(), &b, artifact).unwrap();
}

// ---------------------------------------------------------------- committed fixtures

/// The material the CLI tests read, regenerated with `DOCKGUARD_REGENERATE=1`. The generator is
/// deterministic (seeded keys, RFC 6979 signatures), so the committed files must match it.
fn fixture_files() -> Vec<(String, Vec<u8>)> {
    let s = Scenario::new("fixture");
    let artifact = b"hello from dockguard\n".to_vec();
    let (bundle, _) = s.blob_bundle(&artifact, &LeafOpts::default(), SIGNED_AT);
    let pretty = |v: &serde_json::Value| {
        let mut b = serde_json::to_vec_pretty(v).unwrap();
        b.push(b'\n');
        b
    };
    let mut files = vec![
        ("artifact.txt".to_string(), artifact),
        ("bundle.json".into(), pretty(&bundle)),
        ("trusted_root.json".into(), pretty(&trusted_root(&s.pki))),
        (
            "trust_config.json".into(),
            pretty(&client_trust_config(&s.pki)),
        ),
    ];
    let layout = s.dir.path().join("layout");
    layout_with_signature(&layout, simple_signing, |p| {
        cosign_annotations(&s, p, &LeafOpts::default(), SIGNED_AT, false)
    });
    let mut stack = vec![layout.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(s.dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn committed_fixtures_match_the_generator() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/keyless");
    let files = fixture_files();
    if std::env::var_os("DOCKGUARD_REGENERATE").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        for (name, bytes) in &files {
            let p = dir.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
    }
    for (name, bytes) in &files {
        let got = std::fs::read(dir.join(name)).unwrap_or_default();
        assert!(
            &got == bytes,
            "tests/data/keyless/{name} differs from the generator: rerun with DOCKGUARD_REGENERATE=1"
        );
    }
    // The committed layout verifies as a keyless-signed image.
    let s = Scenario::new("fixture");
    let r = verify_layout(&dir.join("layout"), s.good_policy());
    assert!(r.is_valid(), "{:#?}", r.signatures);
}

/// The committed keyless-signed layout, pushed with skopeo to Debian's `docker-registry` on
/// 127.0.0.1, verifies from the registry the same way, and a wrong identity still fails.
#[test]
fn keyless_signature_from_a_registry() {
    use dockguard_testkit::registry::{LocalRegistry, RegistryConfig};
    if !LocalRegistry::tools_present() {
        return;
    }
    let s = Scenario::new("registry");
    let layout = s.dir.path().join("layout");
    let digest = layout_with_signature(&layout, simple_signing, |p| {
        cosign_annotations(&s, p, &LeafOpts::default(), SIGNED_AT, false)
    });
    let reg = LocalRegistry::start(&RegistryConfig::default());
    let sig_tag = format!("{}.sig", digest.replace(':', "-"));
    reg.push_layout(&layout, "app", "dg/keyless:1.0", false);
    reg.push_layout(&layout, &sig_tag, &format!("dg/keyless:{sig_tag}"), false);
    let target = Target::open(
        &format!("{}/dg/keyless:1.0", reg.host()),
        &RegistryOptions::default(),
    )
    .unwrap();
    assert_eq!(target.digest().unwrap(), digest);
    let opts = |policy| VerifyOptions {
        keyless: Some(policy),
        ..VerifyOptions::default()
    };
    let r = dockguard_sign::verify(&target, &[], &opts(s.good_policy())).unwrap();
    assert!(r.is_valid(), "{:#?}", r.signatures);
    let wrong = s.policy(
        Matcher::regex("@elsewhere\\.test$").unwrap(),
        Matcher::Exact(ISSUER.into()),
    );
    let r = dockguard_sign::verify(&target, &[], &opts(wrong)).unwrap();
    assert!(!r.is_valid());
    assert!(r.signatures[0].problems[0].starts_with("keyless identity:"));
}

/// Damaged bundles, trusted roots and certificates are errors, never panics.
#[test]
fn damaged_inputs_never_panic() {
    let s = Scenario::new("damage");
    let artifact = b"a";
    let (bundle, leaf_der) = s.blob_bundle(artifact, &LeafOpts::default(), SIGNED_AT);
    let bytes = serde_json::to_vec(&bundle).unwrap();
    let policy = s.good_policy();
    let mut accepted = 0;
    for i in (0..bytes.len()).step_by(7) {
        for x in [1u8, 0x20, 0x80] {
            let mut b = bytes.clone();
            b[i] ^= x;
            if let Ok(parsed) = dockguard_sign::Bundle::from_json("b", &b) {
                if dockguard_sign::verify_bundle(&parsed, &sha256(artifact), &policy).is_ok() {
                    accepted += 1;
                }
            }
        }
    }
    // Only changes outside the evidence may still verify: a renamed (so ignored) optional
    // `messageDigest`, whose digest the signature covers anyway, and the signer name of the
    // checkpoint's signature line, which the key hint replaces. Ten such flips exist.
    assert!(accepted <= 10, "{accepted} damaged bundles verified");
    let root = serde_json::to_vec(&trusted_root(&s.pki)).unwrap();
    for i in (0..root.len()).step_by(5) {
        let mut r = root.clone();
        r[i] ^= 0x41;
        let _ = TrustedRoot::from_json("r", &r);
    }
    // Truncated and bit-flipped certificates inside an otherwise good bundle.
    for cut in (1..leaf_der.len()).step_by(9) {
        let mut b = bundle.clone();
        b["verificationMaterial"]["certificate"]["rawBytes"] = b64(&leaf_der[..cut]).into();
        assert!(dockguard_sign::Bundle::from_json("b", &serde_json::to_vec(&b).unwrap()).is_err());
        let mut flipped = leaf_der.clone();
        flipped[cut] ^= 0x01;
        b["verificationMaterial"]["certificate"]["rawBytes"] = b64(&flipped).into();
        if let Ok(p) = dockguard_sign::Bundle::from_json("b", &serde_json::to_vec(&b).unwrap()) {
            assert!(dockguard_sign::verify_bundle(&p, &sha256(artifact), &policy).is_err());
        }
    }
}
