//! Wire formats: OCI image index/manifest/config and Docker's equivalents, plus `docker save`'s
//! `manifest.json`. Own serde types (not `oci-spec`) because Docker-only JSON needs them anyway
//! and these few structs are all the reader uses; unknown fields are ignored as the specs require.

use crate::digest::Digest;
use crate::platform::Platform;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub(crate) const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub(crate) const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub(crate) const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub(crate) const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub(crate) const DOCKER_LAYER_TAR: &str = "application/vnd.docker.image.rootfs.diff.tar";
pub(crate) const REF_NAME: &str = "org.opencontainers.image.ref.name";

/// What an OCI/Docker descriptor points at.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Descriptor {
    #[serde(default)]
    pub media_type: String,
    pub digest: Digest,
    pub size: u64,
    #[serde(default)]
    pub annotations: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub platform: Option<Platform>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
}

impl Descriptor {
    pub(crate) fn ref_name(&self) -> Option<&str> {
        self.annotations.as_ref()?.get(REF_NAME).map(String::as_str)
    }

    pub(crate) fn is_index(&self) -> bool {
        self.media_type == OCI_INDEX || self.media_type == DOCKER_LIST
    }

    /// Whether a layout entry is something stored beside an image rather than an image:
    /// cosign's signature/attestation/SBOM tags (`sha256-<hex>.sig|.att|.sbom`), the
    /// referrers tag schema's index (`sha256-<hex>`), or a signature artifact.
    pub(crate) fn is_supplement(&self) -> bool {
        let marks_signature = |t: &str| {
            t.starts_with("application/vnd.dev.cosign.")
                || t.starts_with("application/vnd.dev.sigstore.")
                || t.starts_with("application/vnd.in-toto")
        };
        if self.artifact_type.as_deref().is_some_and(marks_signature)
            || marks_signature(&self.media_type)
        {
            return true;
        }
        let Some(tag) = self.ref_name() else {
            return false;
        };
        let digest_tag = |t: &str| {
            t.strip_prefix("sha256-")
                .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        };
        match tag.rsplit_once('.') {
            Some((base, "sig" | "att" | "sbom")) => digest_tag(base),
            _ => digest_tag(tag) && self.is_index(),
        }
    }
}

/// An OCI image index or a Docker manifest list (same shape).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Index {
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
}

/// An OCI image manifest or a Docker v2 schema 2 manifest (same shape).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Manifest {
    pub schema_version: Option<u32>,
    #[serde(default)]
    pub media_type: Option<String>,
    pub config: Descriptor,
    #[serde(default)]
    pub layers: Vec<Descriptor>,
    #[serde(default)]
    pub annotations: Option<BTreeMap<String, String>>,
}

/// Peeks at `mediaType`/`manifests`/`config` to tell an index from a manifest when the
/// descriptor that led here did not say (Docker Hub and old layouts omit it).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Probe {
    #[serde(default)]
    pub media_type: Option<String>,
    #[serde(default)]
    pub manifests: Option<serde_json::Value>,
    #[serde(default)]
    pub config: Option<serde_json::Value>,
}

/// One element of `docker save`'s `manifest.json`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct DockerArchiveEntry {
    #[serde(rename = "Config")]
    pub config: String,
    #[serde(rename = "RepoTags", default)]
    pub repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers", default)]
    pub layers: Vec<String>,
}

/// The image configuration blob (OCI `application/vnd.oci.image.config.v1+json`, which Docker's
/// `container.image.v1+json` is a superset of).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct RawConfig {
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub architecture: Option<String>,
    #[serde(default)]
    pub os: Option<String>,
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default, rename = "os.version")]
    pub os_version: Option<String>,
    #[serde(default)]
    pub config: Option<RawRuntimeConfig>,
    #[serde(default)]
    pub rootfs: Option<RawRootfs>,
    #[serde(default)]
    pub history: Option<Vec<RawHistory>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct RawRootfs {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub diff_ids: Option<Vec<Digest>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct RawHistory {
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub empty_layer: Option<bool>,
}

/// Docker's config keys are PascalCase; the OCI spec kept them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct RawRuntimeConfig {
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub exposed_ports: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    pub env: Option<Vec<String>>,
    #[serde(default)]
    pub entrypoint: Option<Vec<String>>,
    #[serde(default)]
    pub cmd: Option<Vec<String>>,
    #[serde(default)]
    pub volumes: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    pub working_dir: Option<String>,
    #[serde(default)]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub stop_signal: Option<String>,
    #[serde(default)]
    pub healthcheck: Option<RawHealthcheck>,
    #[serde(default)]
    pub shell: Option<Vec<String>>,
    #[serde(default)]
    pub on_build: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct RawHealthcheck {
    #[serde(default)]
    pub test: Option<Vec<String>>,
    #[serde(default)]
    pub interval: Option<i64>,
    #[serde(default)]
    pub timeout: Option<i64>,
    #[serde(default)]
    pub start_period: Option<i64>,
    #[serde(default)]
    pub retries: Option<i64>,
}
