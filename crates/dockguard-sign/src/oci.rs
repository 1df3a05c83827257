//! The OCI documents signatures live in: descriptors, the cosign `.sig` manifest, OCI 1.1
//! referrer manifests and the referrers tag-schema index.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::collections::BTreeMap;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const OCI_EMPTY: &str = "application/vnd.oci.empty.v1+json";
/// Layer media type of a cosign signature payload.
pub const SIMPLESIGNING: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
/// `artifactType` cosign gives signatures stored as OCI 1.1 referrers.
pub const SIGNATURE_ARTIFACT: &str = "application/vnd.dev.cosign.artifact.sig.v1+json";
/// Layer annotation holding the base64 DER signature.
pub const SIGNATURE_ANNOTATION: &str = "dev.cosignproject.cosign/signature";
/// Layer annotation of keyless signatures: the signing certificate (PEM).
pub const CERTIFICATE_ANNOTATION: &str = "dev.sigstore.cosign/certificate";
/// Layer annotation of keyless signatures: the issuing chain (PEM, intermediate first).
pub const CHAIN_ANNOTATION: &str = "dev.sigstore.cosign/chain";
/// Layer annotation of keyless signatures: the Rekor entry and its signed entry timestamp.
pub const BUNDLE_ANNOTATION: &str = "dev.sigstore.cosign/bundle";
/// Our hint of which key signed (never trusted; verification tries every given key).
pub const KEY_ID_ANNOTATION: &str = "dev.dockguard.signature/key-id";
pub const REF_NAME: &str = "org.opencontainers.image.ref.name";
/// Manifests and indexes are small; registries cap them at 4 MiB too.
pub const MAX_MANIFEST_SIZE: u64 = 4 << 20;
/// More signature layers or referrers than this on one image is abuse, not use.
pub const MAX_ENTRIES: usize = 1000;

/// `sha256:<hex>` of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(71);
    s.push_str("sha256:");
    for b in Sha256::digest(bytes) {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Validates `alg:hex` (sha256 or sha512, lowercase hex of the right length).
pub fn check_digest(what: &str, d: &str) -> Result<()> {
    let ok = match d.split_once(':') {
        Some(("sha256", h)) => h.len() == 64,
        Some(("sha512", h)) => h.len() == 128,
        _ => false,
    } && d.split_once(':').is_some_and(|(_, h)| {
        h.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    if ok {
        Ok(())
    } else {
        Err(Error::format(what, format!("invalid digest '{d}'")))
    }
}

/// Checks `bytes` against `digest`.
pub fn verify_digest(what: &str, digest: &str, bytes: &[u8]) -> Result<()> {
    check_digest(what, digest)?;
    let actual = match digest.split_once(':') {
        Some(("sha512", _)) => {
            let mut s = String::from("sha512:");
            for b in sha2::Sha512::digest(bytes) {
                s.push_str(&format!("{b:02x}"));
            }
            s
        }
        _ => sha256(bytes),
    };
    if actual != digest {
        return Err(Error::format(
            what,
            format!("content does not match its digest: expected {digest}, got {actual}"),
        ));
    }
    Ok(())
}

/// The cosign tag for signatures of `digest`: `sha256-<hex>.sig`.
pub fn signature_tag(digest: &str) -> String {
    format!("{}.sig", digest.replace(':', "-"))
}

/// The referrers tag schema's tag for `digest`: `sha256-<hex>`.
pub fn referrers_tag(digest: &str) -> String {
    digest.replace(':', "-")
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    pub media_type: String,
    pub digest: String,
    pub size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

impl Descriptor {
    pub fn of(media_type: &str, bytes: &[u8]) -> Descriptor {
        Descriptor {
            media_type: media_type.to_string(),
            digest: sha256(bytes),
            size: bytes.len() as u64,
            artifact_type: None,
            annotations: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub schema_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    pub config: Descriptor,
    #[serde(default)]
    pub layers: Vec<Descriptor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Descriptor>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Index {
    pub schema_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
}

impl Index {
    pub fn empty() -> Index {
        Index {
            schema_version: 2,
            media_type: Some(OCI_INDEX.into()),
            manifests: Vec::new(),
        }
    }
}

pub fn parse_manifest(what: &str, bytes: &[u8]) -> Result<Manifest> {
    let m: Manifest = serde_json::from_slice(bytes)
        .map_err(|e| Error::format(what, format!("not an image manifest: {e}")))?;
    if m.layers.len() > MAX_ENTRIES {
        return Err(Error::format(
            what,
            format!("more than {MAX_ENTRIES} layers"),
        ));
    }
    Ok(m)
}

pub fn parse_index(what: &str, bytes: &[u8]) -> Result<Index> {
    let i: Index = serde_json::from_slice(bytes)
        .map_err(|e| Error::format(what, format!("not an image index: {e}")))?;
    if i.manifests.len() > MAX_ENTRIES {
        return Err(Error::format(
            what,
            format!("more than {MAX_ENTRIES} entries"),
        ));
    }
    Ok(i)
}

pub fn to_json<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

/// The image config of a cosign `.sig` manifest: empty but valid, one diff_id per payload
/// layer, as go-containerregistry's `mutate` produces for cosign.
pub fn signature_config(layers: &[Descriptor]) -> Vec<u8> {
    let diff_ids: Vec<&str> = layers.iter().map(|l| l.digest.as_str()).collect();
    let history: Vec<serde_json::Value> = layers
        .iter()
        .map(|_| serde_json::json!({"created": "0001-01-01T00:00:00Z"}))
        .collect();
    to_json(&serde_json::json!({
        "architecture": "",
        "created": "0001-01-01T00:00:00Z",
        "history": history,
        "os": "",
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "config": {}
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_and_tags() {
        let d = sha256(b"{}");
        assert_eq!(
            d,
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
        assert_eq!(signature_tag(&d), format!("sha256-{}.sig", &d[7..]));
        assert!(verify_digest("x", &d, b"{}").is_ok());
        assert!(verify_digest("x", &d, b"{ }").is_err());
        assert!(check_digest("x", "sha256:ABC").is_err());
        assert!(check_digest("x", "md5:00").is_err());
        assert!(check_digest("x", &d.to_uppercase()).is_err());
    }
}
