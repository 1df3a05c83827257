//! Rekor transparency-log evidence, checked offline: the signed entry timestamp (SET), the
//! entry body's consistency with what is verified, RFC 6962 inclusion proofs and the signed
//! checkpoint (a signed note) they lead to.

use crate::trustroot::{b64, TrustedRoot};
use crate::x509::{Cert, EcKey};
use base64::Engine as _;
use serde::Deserialize;
use sha2::{Digest as _, Sha256};

/// What the log promised: the fields its SET signs.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// The canonicalized entry body (JSON), decoded from base64.
    pub body: Vec<u8>,
    pub integrated_time: i64,
    pub log_index: i64,
    pub log_id: Vec<u8>,
    /// Signed entry timestamp (DER ECDSA), when present.
    pub set: Option<Vec<u8>>,
    pub proof: Option<InclusionProof>,
}

/// An RFC 6962 audit path with the checkpoint that signs its root.
#[derive(Debug, Clone)]
pub struct InclusionProof {
    pub log_index: u64,
    pub tree_size: u64,
    pub root_hash: Vec<u8>,
    pub hashes: Vec<Vec<u8>>,
    pub checkpoint: Option<String>,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl LogEntry {
    /// The bytes the SET signs: canonical JSON (RFC 8785) of body, integratedTime, logID and
    /// logIndex. Every value is an integer, base64 or hex, so key order is all that needs care.
    pub fn set_payload(&self) -> Vec<u8> {
        format!(
            r#"{{"body":"{}","integratedTime":{},"logID":"{}","logIndex":{}}}"#,
            base64::engine::general_purpose::STANDARD.encode(&self.body),
            self.integrated_time,
            hex(&self.log_id),
            self.log_index
        )
        .into_bytes()
    }

    /// Checks the SET with the trusted log key of this entry's log id.
    pub fn verify_set(&self, root: &TrustedRoot) -> Result<(), String> {
        let set = self.set.as_ref().ok_or("no signed entry timestamp")?;
        let key = log_key(root, &self.log_id, self.integrated_time)?;
        if key.verify(key.default_hash(), &self.set_payload(), set) {
            Ok(())
        } else {
            Err(format!(
                "signed entry timestamp does not verify with the key of log {}",
                hex(&self.log_id)
            ))
        }
    }

    /// Checks the inclusion proof against its root hash and the checkpoint signing that root.
    pub fn verify_inclusion(&self, root: &TrustedRoot) -> Result<(), String> {
        let p = self.proof.as_ref().ok_or("no inclusion proof")?;
        let leaf = leaf_hash(&self.body);
        let computed = root_from_proof(p.log_index, p.tree_size, &leaf, &p.hashes)?;
        if computed != p.root_hash {
            return Err(format!(
                "inclusion proof leads to root {} but the proof claims {}",
                hex(&computed),
                hex(&p.root_hash)
            ));
        }
        let note = p
            .checkpoint
            .as_deref()
            .ok_or("inclusion proof has no checkpoint")?;
        let key = log_key(root, &self.log_id, self.integrated_time)?;
        let cp = verify_checkpoint(note, &self.log_id, key)?;
        if cp.root_hash != p.root_hash || cp.size != p.tree_size {
            return Err(format!(
                "checkpoint signs tree size {} root {}, the proof is for size {} root {}",
                cp.size,
                hex(&cp.root_hash),
                p.tree_size,
                hex(&p.root_hash)
            ));
        }
        Ok(())
    }
}

fn log_key<'a>(root: &'a TrustedRoot, log_id: &[u8], at: i64) -> Result<&'a EcKey, String> {
    let log = root
        .tlog(log_id)
        .ok_or_else(|| format!("log id {} is not in the trusted root", hex(log_id)))?;
    // Rekor v2 entries carry no integrated time; a zero time cannot be checked against the
    // key's period and is left to the caller's time checks.
    if at != 0 && !log.valid_for.contains(at) {
        return Err(format!("log key {} was not trusted at {at}", hex(log_id)));
    }
    log.key
        .as_ref()
        .map_err(|e| format!("log key {}: {e}", hex(log_id)))
}

/// RFC 6962 leaf hash.
pub fn leaf_hash(data: &[u8]) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().to_vec()
}

fn node_hash(l: &[u8], r: &[u8]) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(l);
    h.update(r);
    h.finalize().to_vec()
}

/// The root an RFC 6962 audit path leads to (RFC 9162 section 2.1.3.2).
pub fn root_from_proof(
    index: u64,
    size: u64,
    leaf: &[u8],
    proof: &[Vec<u8>],
) -> Result<Vec<u8>, String> {
    if index >= size {
        return Err(format!(
            "leaf index {index} is outside the tree of size {size}"
        ));
    }
    if proof.len() > 64 || proof.iter().any(|h| h.len() != 32) {
        return Err("malformed inclusion proof hashes".into());
    }
    let (mut fn_, mut sn) = (index, size - 1);
    let mut r = leaf.to_vec();
    for p in proof {
        if sn == 0 {
            return Err("inclusion proof is longer than the path".into());
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err("inclusion proof is shorter than the path".into());
    }
    Ok(r)
}

/// The signed body of a checkpoint.
#[derive(Debug)]
pub struct Checkpoint {
    pub size: u64,
    pub root_hash: Vec<u8>,
}

/// Verifies a signed note (`origin\nsize\nbase64 root\n[other lines]\n\n— name base64(hint||sig)\n`)
/// with the log key: the signature line whose 4-byte hint is the start of the log id.
pub fn verify_checkpoint(note: &str, log_id: &[u8], key: &EcKey) -> Result<Checkpoint, String> {
    if note.len() > 64 << 10 {
        return Err("checkpoint is too large".into());
    }
    let (text, sigs) = note
        .split_once("\n\n")
        .ok_or("checkpoint has no signature block")?;
    let signed = format!("{text}\n");
    let mut lines = text.split('\n');
    let origin = lines.next().unwrap_or_default();
    let size = lines
        .next()
        .and_then(|s| s.parse::<u64>().ok())
        .ok_or("checkpoint has no tree size")?;
    let root_hash = lines
        .next()
        .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
        .ok_or("checkpoint has no root hash")?;
    if origin.is_empty() {
        return Err("checkpoint has no origin".into());
    }
    let hint = log_id.get(..4).ok_or("log id is too short")?;
    let mut seen = false;
    for line in sigs.lines() {
        let Some(rest) = line.strip_prefix("\u{2014} ") else {
            continue;
        };
        let Some((_, sig)) = rest.split_once(' ') else {
            continue;
        };
        let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(sig) else {
            continue;
        };
        if raw.len() < 5 || &raw[..4] != hint {
            continue;
        }
        seen = true;
        if key.verify(key.default_hash(), signed.as_bytes(), &raw[4..]) {
            return Ok(Checkpoint { size, root_hash });
        }
    }
    Err(if seen {
        "checkpoint signature does not verify with the log key".into()
    } else {
        format!("checkpoint carries no signature of log {}", hex(log_id))
    })
}

/// What a Rekor entry body says was logged.
#[derive(Debug)]
pub struct BodyClaims {
    pub kind: String,
    /// Hex digest and algorithm name of the signed artifact (hashedrekord/rekord).
    pub digest: Option<(String, String)>,
    pub signature: Option<Vec<u8>>,
    /// The PEM (certificate or key) the entry recorded as verifier.
    pub verifier_pem: Option<Vec<u8>>,
    /// DSSE entries: hex SHA-256 of the payload, and the signatures with their verifiers.
    pub payload_hash: Option<String>,
    pub dsse_signatures: Vec<(Vec<u8>, Vec<u8>)>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    kind: String,
    api_version: String,
    spec: serde_json::Value,
}

fn str_at<'a>(v: &'a serde_json::Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str()
}

/// Parses a hashedrekord/rekord/dsse 0.0.1 body.
pub fn parse_body(body: &[u8]) -> Result<BodyClaims, String> {
    let b: Body =
        serde_json::from_slice(body).map_err(|e| format!("log entry body is not JSON ({e})"))?;
    let dec = |s: Option<&str>| s.and_then(|s| b64("", s).ok());
    match (b.kind.as_str(), b.api_version.as_str()) {
        ("hashedrekord", "0.0.1") | ("rekord", "0.0.1") => Ok(BodyClaims {
            kind: b.kind.clone(),
            digest: str_at(&b.spec, &["data", "hash", "value"]).map(|v| {
                (
                    str_at(&b.spec, &["data", "hash", "algorithm"])
                        .unwrap_or("sha256")
                        .to_string(),
                    v.to_ascii_lowercase(),
                )
            }),
            signature: dec(str_at(&b.spec, &["signature", "content"])),
            verifier_pem: dec(str_at(&b.spec, &["signature", "publicKey", "content"])),
            payload_hash: None,
            dsse_signatures: Vec::new(),
        }),
        ("dsse", "0.0.1") => {
            let sigs = b
                .spec
                .get("signatures")
                .and_then(|s| s.as_array())
                .map(|a| {
                    a.iter()
                        .take(16)
                        .filter_map(|s| {
                            Some((
                                dec(s.get("signature")?.as_str())?,
                                dec(s.get("verifier")?.as_str())?,
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default();
            Ok(BodyClaims {
                kind: b.kind.clone(),
                digest: None,
                signature: None,
                verifier_pem: None,
                payload_hash: str_at(&b.spec, &["payloadHash", "value"])
                    .map(str::to_ascii_lowercase),
                dsse_signatures: sigs,
            })
        }
        (k, v) => Err(format!("log entry kind {k} {v} is not supported")),
    }
}

/// Whether a recorded verifier PEM is this leaf certificate (or its public key).
pub fn verifier_matches(pem_bytes: &[u8], leaf: &Cert) -> bool {
    let Ok(blocks) = pem::parse_many(pem_bytes) else {
        return false;
    };
    blocks.first().is_some_and(|b| match b.tag() {
        "CERTIFICATE" => b.contents() == leaf.der(),
        "PUBLIC KEY" => b.contents() == leaf.spki_der(),
        _ => false,
    })
}

/// Checks a hashedrekord/rekord body against the signature, artifact digest and certificate
/// being verified.
pub fn check_body(
    body: &[u8],
    signature: &[u8],
    digest_hex: &str,
    leaf: &Cert,
) -> Result<(), String> {
    let c = parse_body(body)?;
    if c.kind == "dsse" {
        return Err("log entry is a DSSE entry, not a signature over this artifact".into());
    }
    match &c.digest {
        Some((alg, v)) if alg == "sha256" && v == digest_hex => {}
        Some((alg, v)) => {
            return Err(format!(
                "log entry records digest {alg}:{v}, the payload is sha256:{digest_hex}"
            ))
        }
        None => return Err("log entry records no artifact digest".into()),
    }
    if c.signature.as_deref() != Some(signature) {
        return Err("log entry records a different signature".into());
    }
    match &c.verifier_pem {
        Some(p) if verifier_matches(p, leaf) => Ok(()),
        Some(_) => Err("log entry records a different certificate".into()),
        None => Err("log entry records no certificate".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A tree of 7 leaves built naively, to check every index's audit path.
    fn mth(leaves: &[Vec<u8>]) -> Vec<u8> {
        if leaves.len() == 1 {
            return leaf_hash(&leaves[0]);
        }
        let k = (leaves.len() as u64).next_power_of_two() as usize / 2;
        let k = if k == leaves.len() { k / 2 } else { k };
        node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
    }

    fn path(m: usize, leaves: &[Vec<u8>]) -> Vec<Vec<u8>> {
        if leaves.len() == 1 {
            return Vec::new();
        }
        let k = (leaves.len() as u64).next_power_of_two() as usize / 2;
        let k = if k == leaves.len() { k / 2 } else { k };
        if m < k {
            let mut p = path(m, &leaves[..k]);
            p.push(mth(&leaves[k..]));
            p
        } else {
            let mut p = path(m - k, &leaves[k..]);
            p.push(mth(&leaves[..k]));
            p
        }
    }

    #[test]
    fn audit_paths_of_every_leaf() {
        for n in 1..=9usize {
            let leaves: Vec<Vec<u8>> = (0..n).map(|i| vec![i as u8; 3]).collect();
            let root = mth(&leaves);
            for (i, leaf) in leaves.iter().enumerate() {
                let p = path(i, &leaves);
                let got = root_from_proof(i as u64, n as u64, &leaf_hash(leaf), &p).unwrap();
                assert_eq!(got, root, "n={n} i={i}");
                // A wrong index or a truncated path must not reach the root.
                if n > 1 {
                    let other = (i + 1) % n;
                    let r = root_from_proof(other as u64, n as u64, &leaf_hash(leaf), &p);
                    assert!(r.map_or(true, |r| r != root), "n={n} i={i}");
                    let r = root_from_proof(i as u64, n as u64, &leaf_hash(leaf), &p[1..]);
                    assert!(r.map_or(true, |r| r != root));
                }
            }
        }
        assert!(root_from_proof(3, 3, &[0; 32], &[]).is_err());
        assert!(root_from_proof(0, 2, &[0; 32], &[vec![0; 5]]).is_err());
    }

    #[test]
    fn bodies() {
        let hashed = br#"{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"sha256","value":"AB"}},"signature":{"content":"AQI=","publicKey":{"content":"AA=="}}}}"#;
        let c = parse_body(hashed).unwrap();
        assert_eq!(c.digest, Some(("sha256".into(), "ab".into())));
        assert_eq!(c.signature, Some(vec![1, 2]));
        assert!(
            parse_body(br#"{"apiVersion":"0.0.2","kind":"hashedrekord","spec":{}}"#)
                .unwrap_err()
                .contains("not supported")
        );
        assert!(parse_body(b"[").is_err());
    }
}
