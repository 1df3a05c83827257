//! Sigstore bundles (`application/vnd.dev.sigstore.bundle…`, v0.1 to v0.3) in their
//! protobuf-JSON form, and keyless verification of a file against one.
//!
//! v0.1 bundles prove the logging time with the SET alone; from v0.2 an inclusion proof with a
//! signed checkpoint is required and verified, and the SET (still the only offline source of
//! time we accept) is verified beside it.

use crate::error::{Error, Result};
use crate::keyless::{
    self, fail, Evidence, Failure, KeylessPolicy, Stage, TimeProof, VerifiedSigner,
};
use crate::rekor::{self, InclusionProof, LogEntry};
use crate::trustroot::b64;
use crate::x509::{Cert, Hash};
use serde::Deserialize;
use sha2::{Digest as _, Sha256};
use std::io::Read as _;
use std::path::Path;

/// Bundles are kilobytes; the bound keeps hostile input cheap.
pub const MAX_BUNDLE_SIZE: u64 = 4 << 20;
/// DSSE payloads (attestations) can be larger than signatures, but not this large.
const MAX_DSSE_PAYLOAD: usize = 16 << 20;

/// The bundle format versions we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BundleVersion {
    V01,
    V02,
    V03,
}

impl BundleVersion {
    fn from_media_type(m: &str) -> Option<BundleVersion> {
        match m {
            "application/vnd.dev.sigstore.bundle+json;version=0.1" => Some(BundleVersion::V01),
            "application/vnd.dev.sigstore.bundle+json;version=0.2" => Some(BundleVersion::V02),
            "application/vnd.dev.sigstore.bundle+json;version=0.3"
            | "application/vnd.dev.sigstore.bundle.v0.3+json" => Some(BundleVersion::V03),
            _ => None,
        }
    }
}

/// protobuf-JSON writes 64-bit integers as strings; numbers are accepted too.
fn int64<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        S(String),
        I(i64),
    }
    match N::deserialize(d)? {
        N::I(i) => Ok(i),
        N::S(s) => s.parse().map_err(serde::de::Error::custom),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawBundle {
    media_type: String,
    verification_material: RawMaterial,
    #[serde(default)]
    message_signature: Option<RawMessageSignature>,
    #[serde(default)]
    dsse_envelope: Option<RawEnvelope>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMaterial {
    #[serde(default)]
    x509_certificate_chain: Option<RawChain>,
    #[serde(default)]
    certificate: Option<RawBytes>,
    #[serde(default)]
    public_key: Option<serde_json::Value>,
    #[serde(default)]
    tlog_entries: Vec<RawTlogEntry>,
}

#[derive(Deserialize)]
struct RawChain {
    certificates: Vec<RawBytes>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawBytes {
    raw_bytes: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawTlogEntry {
    #[serde(deserialize_with = "int64")]
    log_index: i64,
    log_id: RawLogId,
    kind_version: RawKindVersion,
    #[serde(default, deserialize_with = "opt_int64")]
    integrated_time: Option<i64>,
    #[serde(default)]
    inclusion_promise: Option<RawPromise>,
    #[serde(default)]
    inclusion_proof: Option<RawProof>,
    canonicalized_body: String,
}

fn opt_int64<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<i64>, D::Error> {
    int64(d).map(Some)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLogId {
    key_id: String,
}

#[derive(Deserialize)]
struct RawKindVersion {
    kind: String,
    version: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPromise {
    signed_entry_timestamp: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawProof {
    #[serde(deserialize_with = "int64")]
    log_index: i64,
    root_hash: String,
    #[serde(deserialize_with = "int64")]
    tree_size: i64,
    #[serde(default)]
    hashes: Vec<String>,
    #[serde(default)]
    checkpoint: Option<RawCheckpoint>,
}

#[derive(Deserialize)]
struct RawCheckpoint {
    envelope: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMessageSignature {
    #[serde(default)]
    message_digest: Option<RawDigest>,
    signature: String,
}

#[derive(Deserialize)]
struct RawDigest {
    algorithm: String,
    digest: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEnvelope {
    payload: String,
    payload_type: String,
    signatures: Vec<RawDsseSig>,
}

#[derive(Deserialize)]
struct RawDsseSig {
    sig: String,
}

/// What the bundle signs.
#[derive(Debug, Clone)]
enum BundleContent {
    /// A signature over the artifact's digest.
    MessageSignature {
        /// (algorithm name, digest bytes) when the bundle records one.
        digest: Option<(String, Vec<u8>)>,
        signature: Vec<u8>,
    },
    /// A DSSE envelope (an attestation) whose statement names the artifact.
    Dsse {
        payload_type: String,
        payload: Vec<u8>,
        signatures: Vec<Vec<u8>>,
    },
}

/// A parsed Sigstore bundle.
#[derive(Debug, Clone)]
pub struct Bundle {
    version: BundleVersion,
    leaf: Cert,
    chain: Vec<Cert>,
    entry: LogEntry,
    kind: String,
    content: BundleContent,
}

impl Bundle {
    /// The format version its media type names.
    pub fn version(&self) -> BundleVersion {
        self.version
    }

    /// Whether it holds a DSSE envelope (an attestation) rather than a message signature.
    pub fn is_dsse(&self) -> bool {
        matches!(self.content, BundleContent::Dsse { .. })
    }

    /// Parses a bundle; `what` names it in errors.
    pub fn from_json(what: &str, bytes: &[u8]) -> Result<Bundle> {
        let err = |m: String| Error::format(what, m);
        let raw: RawBundle = serde_json::from_slice(bytes)
            .map_err(|e| err(format!("not a Sigstore bundle ({e})")))?;
        let version = BundleVersion::from_media_type(&raw.media_type).ok_or_else(|| {
            err(format!(
                "unsupported bundle media type '{}'",
                raw.media_type
            ))
        })?;
        let m = raw.verification_material;
        let mut certs = Vec::new();
        if let Some(c) = &m.certificate {
            certs.push(c);
        } else if let Some(ch) = &m.x509_certificate_chain {
            certs.extend(ch.certificates.iter().take(16));
        } else if m.public_key.is_some() {
            return Err(err(
                "bundle is signed with a key, not a certificate: keyless verification needs a certificate".into(),
            ));
        }
        let mut parsed = Vec::new();
        for (i, c) in certs.iter().enumerate() {
            let der = b64(what, &c.raw_bytes)?;
            parsed.push(Cert::from_der(&der).map_err(|e| err(format!("certificate {i}: {e}")))?);
        }
        if parsed.is_empty() {
            return Err(err("bundle has no signing certificate".into()));
        }
        let leaf = parsed.remove(0);
        if m.tlog_entries.len() != 1 {
            return Err(err(format!(
                "expected one transparency log entry, found {}",
                m.tlog_entries.len()
            )));
        }
        let t = &m.tlog_entries[0];
        let proof = match &t.inclusion_proof {
            None => None,
            Some(p) => Some(InclusionProof {
                log_index: u64::try_from(p.log_index)
                    .map_err(|_| err("negative inclusion proof index".into()))?,
                tree_size: u64::try_from(p.tree_size)
                    .map_err(|_| err("negative tree size".into()))?,
                root_hash: b64(what, &p.root_hash)?,
                hashes: p
                    .hashes
                    .iter()
                    .take(64)
                    .map(|h| b64(what, h))
                    .collect::<Result<_>>()?,
                checkpoint: p.checkpoint.as_ref().map(|c| c.envelope.clone()),
            }),
        };
        let entry = LogEntry {
            body: b64(what, &t.canonicalized_body)?,
            integrated_time: t.integrated_time.unwrap_or(0),
            log_index: t.log_index,
            log_id: b64(what, &t.log_id.key_id)?,
            set: t
                .inclusion_promise
                .as_ref()
                .map(|p| b64(what, &p.signed_entry_timestamp))
                .transpose()?,
            proof,
        };
        if t.kind_version.version != "0.0.1" {
            return Err(err(format!(
                "log entry {} {} is not supported (0.0.1 only)",
                t.kind_version.kind, t.kind_version.version
            )));
        }
        let content = match (raw.message_signature, raw.dsse_envelope) {
            (Some(s), None) => BundleContent::MessageSignature {
                digest: s
                    .message_digest
                    .map(|d| Ok::<_, Error>((d.algorithm, b64(what, &d.digest)?)))
                    .transpose()?,
                signature: b64(what, &s.signature)?,
            },
            (None, Some(e)) => {
                let payload = b64(what, &e.payload)?;
                if payload.len() > MAX_DSSE_PAYLOAD {
                    return Err(err("DSSE payload is too large".into()));
                }
                BundleContent::Dsse {
                    payload_type: e.payload_type,
                    payload,
                    signatures: e
                        .signatures
                        .iter()
                        .take(16)
                        .map(|s| b64(what, &s.sig))
                        .collect::<Result<_>>()?,
                }
            }
            _ => {
                return Err(err(
                    "bundle must hold exactly one of messageSignature and dsseEnvelope".into(),
                ))
            }
        };
        Ok(Bundle {
            version,
            leaf,
            chain: parsed,
            entry,
            kind: t.kind_version.kind.clone(),
            content,
        })
    }

    /// Reads a bundle file (bounded in size).
    pub fn load(path: &Path) -> Result<Bundle> {
        let what = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| Error::io(&what, e))?;
        if meta.len() > MAX_BUNDLE_SIZE {
            return Err(Error::format(&what, "too large to be a Sigstore bundle"));
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(&what, e))?;
        Bundle::from_json(&what, &bytes)
    }
}

/// DSSE's pre-authentication encoding.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut v = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    )
    .into_bytes();
    v.extend_from_slice(payload);
    v
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// SHA-256 of a file, streamed.
pub fn sha256_file(path: &Path) -> Result<Vec<u8>> {
    let what = path.display().to_string();
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(&what, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(|e| Error::io(&what, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().to_vec())
}

/// Verifies a bundle for an artifact whose SHA-256 is `artifact_sha256`.
pub fn verify_bundle(
    bundle: &Bundle,
    artifact_sha256: &[u8],
    policy: &KeylessPolicy,
) -> std::result::Result<VerifiedSigner, Failure> {
    let proof = if bundle.version == BundleVersion::V01 {
        TimeProof::Set
    } else {
        TimeProof::Proof
    };
    let ev = Evidence {
        leaf: &bundle.leaf,
        chain: &bundle.chain,
        entry: &bundle.entry,
        proof,
    };
    // A v0.1 bundle may carry a proof without a checkpoint; one with a checkpoint is checked.
    if bundle.version == BundleVersion::V01
        && bundle
            .entry
            .proof
            .as_ref()
            .is_some_and(|p| p.checkpoint.is_some())
    {
        if let Err(e) = bundle.entry.verify_inclusion(&policy.trusted_root) {
            return fail(Stage::InclusionProof, e);
        }
    }
    match &bundle.content {
        BundleContent::MessageSignature { digest, signature } => {
            if let Some((alg, d)) = digest {
                if alg != "SHA2_256" {
                    return fail(
                        Stage::Signature,
                        format!("message digest algorithm {alg} is not supported"),
                    );
                }
                if d != artifact_sha256 {
                    return fail(
                        Stage::Signature,
                        format!(
                            "bundle signs digest sha256:{}, the file is sha256:{}",
                            hex(d),
                            hex(artifact_sha256)
                        ),
                    );
                }
            }
            if bundle.kind != "hashedrekord" {
                return fail(
                    Stage::LogEntry,
                    format!("log entry kind is {}, expected hashedrekord", bundle.kind),
                );
            }
            let digest_hex = hex(artifact_sha256);
            keyless::verify_signed(
                ev,
                policy,
                |key| key.verify_prehash(artifact_sha256, signature),
                |body, leaf| rekor::check_body(body, signature, &digest_hex, leaf),
            )
        }
        BundleContent::Dsse {
            payload_type,
            payload,
            signatures,
        } => {
            if signatures.len() != 1 {
                return fail(
                    Stage::Signature,
                    format!(
                        "DSSE envelope has {} signatures, expected one",
                        signatures.len()
                    ),
                );
            }
            if let Err(e) = dsse_subject_matches(payload_type, payload, artifact_sha256) {
                return fail(Stage::Signature, e);
            }
            if bundle.kind != "dsse" {
                return fail(
                    Stage::LogEntry,
                    format!("log entry kind is {}, expected dsse", bundle.kind),
                );
            }
            let sig = &signatures[0];
            let pae = pae(payload_type, payload);
            let payload_hash = hex(&Hash::Sha256.digest(payload));
            keyless::verify_signed(
                ev,
                policy,
                |key| key.verify(key.default_hash(), &pae, sig),
                |body, leaf| check_dsse_body(body, &payload_hash, sig, leaf),
            )
        }
    }
}

fn check_dsse_body(
    body: &[u8],
    payload_hash: &str,
    sig: &[u8],
    leaf: &Cert,
) -> std::result::Result<(), String> {
    let c = rekor::parse_body(body)?;
    if c.kind != "dsse" {
        return Err(format!("log entry kind is {}, expected dsse", c.kind));
    }
    if c.payload_hash.as_deref() != Some(payload_hash) {
        return Err("log entry records a different DSSE payload hash".into());
    }
    if c.dsse_signatures.len() != 1
        || c.dsse_signatures[0].0 != sig
        || !rekor::verifier_matches(&c.dsse_signatures[0].1, leaf)
    {
        return Err("log entry records a different DSSE signature or certificate".into());
    }
    Ok(())
}

/// An in-toto statement in a DSSE envelope must name the file among its subjects.
fn dsse_subject_matches(
    payload_type: &str,
    payload: &[u8],
    sha256: &[u8],
) -> std::result::Result<(), String> {
    if payload_type != "application/vnd.in-toto+json" {
        return Err(format!(
            "DSSE payload type '{payload_type}' is not an in-toto statement"
        ));
    }
    let v: serde_json::Value =
        serde_json::from_slice(payload).map_err(|e| format!("DSSE payload is not JSON ({e})"))?;
    let want = hex(sha256);
    let found = v
        .get("subject")
        .and_then(|s| s.as_array())
        .is_some_and(|subjects| {
            subjects.iter().any(|s| {
                s.get("digest")
                    .and_then(|d| d.get("sha256"))
                    .and_then(|d| d.as_str())
                    .is_some_and(|d| d.eq_ignore_ascii_case(&want))
            })
        });
    if found {
        Ok(())
    } else {
        Err(format!(
            "no subject of the attestation has digest sha256:{want}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_encoding() {
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
        );
    }

    #[test]
    fn malformed_bundles_are_errors() {
        for (doc, msg) in [
            (&b"{"[..], "not a Sigstore bundle"),
            (
                br#"{"mediaType":"application/vnd.dev.sigstore.bundle+json;version=9","verificationMaterial":{}}"#,
                "unsupported bundle media type",
            ),
            (
                br#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":"x"}}}"#,
                "signed with a key",
            ),
            (
                br#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"certificate":{"rawBytes":"AAAA"}}}"#,
                "certificate 0",
            ),
        ] {
            let e = Bundle::from_json("b.json", doc).unwrap_err().to_string();
            assert!(e.contains(msg) && e.starts_with("b.json"), "{e}");
        }
    }
}
