//! The image model and how it is resolved from an OCI layout or a `docker save` archive.

use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::layer::Limits;
use crate::platform::Platform;
use crate::spec::{self, Descriptor, DockerArchiveEntry, Index, Manifest, Probe, RawConfig};
use crate::store::BlobStore;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Which kind of source an image was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    DockerArchive,
    OciDir,
    OciArchive,
    Dir,
    Registry,
    Docker,
}

impl SourceFormat {
    pub fn prefix(self) -> &'static str {
        match self {
            SourceFormat::DockerArchive => "docker-archive",
            SourceFormat::OciDir => "oci-dir",
            SourceFormat::OciArchive => "oci-archive",
            SourceFormat::Dir => "dir",
            SourceFormat::Registry => "registry",
            SourceFormat::Docker => "docker",
        }
    }
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())
    }
}

/// The runtime configuration an image asks for (the `config` object of the image config).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default)]
    pub env: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmd: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// `"22/tcp"`, sorted.
    #[serde(default)]
    pub exposed_ports: Vec<String>,
    #[serde(default)]
    pub volumes: Vec<String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<Healthcheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_signal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shell: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_build: Vec<String>,
}

/// `HEALTHCHECK`; durations in nanoseconds as Docker stores them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Healthcheck {
    pub test: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_ns: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ns: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_period_ns: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<i64>,
}

impl Healthcheck {
    /// `HEALTHCHECK NONE` is stored as a test of `["NONE"]`: it disables an inherited check.
    pub fn is_disabled(&self) -> bool {
        self.test.first().map(String::as_str) == Some("NONE")
    }
}

/// One step of the build history, as the config records it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default)]
    pub empty_layer: bool,
    /// The layer this step produced, when it produced one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer_index: Option<usize>,
}

/// A layer as the manifest and config describe it (before reading it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerInfo {
    pub index: usize,
    /// Digest of the blob as stored. Known up front for OCI layouts and registries; for
    /// docker-archive members it is computed while reading (see [`crate::LayerScan`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<Digest>,
    /// Digest of the uncompressed tar, from the config's `rootfs.diff_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff_id: Option<Digest>,
    /// Stored size from the descriptor or archive member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    pub media_type: String,
    /// The history step that produced this layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_index: Option<usize>,
    /// Where the blob is inside the source (archive member, layout path, directory).
    #[serde(skip)]
    pub(crate) locator: String,
}

/// An opened image: everything known without reading layer contents. Use [`Image::scan`]
/// to read the layers.
#[derive(Clone)]
pub struct Image {
    /// The source as given, with its prefix: `oci-dir:images/app:1.0`.
    pub source: String,
    pub format: SourceFormat,
    /// The tag or reference that selected this image, if one did.
    pub reference: Option<String>,
    /// `RepoTags` of a docker-archive.
    pub repo_tags: Vec<String>,
    /// The index or manifest list the manifest was chosen from (the outermost one).
    pub index_digest: Option<Digest>,
    /// The image manifest. docker-archive and dir sources have none.
    pub manifest_digest: Option<Digest>,
    pub manifest_media_type: Option<String>,
    pub config_digest: Option<Digest>,
    /// The manifest's own `annotations`. Empty for sources without a manifest.
    pub annotations: BTreeMap<String, String>,
    /// The `annotations` of the descriptor that led to the manifest: its `index.json` entry
    /// in a layout, or its platform entry in an image index. Empty when nothing pointed at the
    /// manifest (a registry manifest fetched by tag, a docker-archive).
    pub index_annotations: BTreeMap<String, String>,
    pub platform: Platform,
    pub created: Option<String>,
    pub author: Option<String>,
    pub config: ImageConfig,
    pub history: Vec<HistoryEntry>,
    pub layers: Vec<LayerInfo>,
    pub(crate) store: Arc<dyn BlobStore>,
}

impl fmt::Debug for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Image")
            .field("source", &self.source)
            .field("manifest_digest", &self.manifest_digest)
            .field("config_digest", &self.config_digest)
            .field("platform", &self.platform)
            .field("layers", &self.layers.len())
            .finish_non_exhaustive()
    }
}

fn parse_json<'a, T: Deserialize<'a>>(what: &str, bytes: &'a [u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| Error::format(what, format!("invalid JSON: {e}")))
}

/// Parts of [`Image`] that come from the config blob.
pub(crate) struct ConfigParts {
    pub platform: Platform,
    pub created: Option<String>,
    pub author: Option<String>,
    pub config: ImageConfig,
    pub history: Vec<HistoryEntry>,
    pub diff_ids: Vec<Digest>,
}

pub(crate) fn parse_config(what: &str, bytes: &[u8]) -> Result<ConfigParts> {
    let raw: RawConfig = parse_json(what, bytes)?;
    let rc = raw.config.unwrap_or_default();
    let keys = |m: Option<BTreeMap<String, serde_json::Value>>| -> Vec<String> {
        m.unwrap_or_default().into_keys().collect()
    };
    let config = ImageConfig {
        user: rc.user.filter(|u| !u.is_empty()),
        env: rc.env.unwrap_or_default(),
        entrypoint: rc.entrypoint,
        cmd: rc.cmd,
        working_dir: rc.working_dir.filter(|w| !w.is_empty()),
        exposed_ports: keys(rc.exposed_ports),
        volumes: keys(rc.volumes),
        labels: rc.labels.unwrap_or_default(),
        healthcheck: rc.healthcheck.map(|h| Healthcheck {
            test: h.test.unwrap_or_default(),
            interval_ns: h.interval,
            timeout_ns: h.timeout,
            start_period_ns: h.start_period,
            retries: h.retries,
        }),
        stop_signal: rc.stop_signal,
        shell: rc.shell,
        on_build: rc.on_build.unwrap_or_default(),
    };
    let mut history: Vec<HistoryEntry> = raw
        .history
        .unwrap_or_default()
        .into_iter()
        .map(|h| HistoryEntry {
            created: h.created,
            created_by: h.created_by,
            author: h.author,
            comment: h.comment,
            empty_layer: h.empty_layer.unwrap_or(false),
            layer_index: None,
        })
        .collect();
    for (next, h) in history.iter_mut().filter(|h| !h.empty_layer).enumerate() {
        h.layer_index = Some(next);
    }
    let rootfs = raw.rootfs.unwrap_or_default();
    if let Some(kind) = rootfs.kind.as_deref() {
        if kind != "layers" {
            return Err(Error::format(
                what,
                format!("rootfs type '{kind}' (expected 'layers')"),
            ));
        }
    }
    Ok(ConfigParts {
        platform: Platform {
            os: raw.os.unwrap_or_default(),
            architecture: raw.architecture.unwrap_or_default(),
            variant: raw.variant,
            os_version: raw.os_version,
        },
        created: raw.created,
        author: raw.author,
        config,
        history,
        diff_ids: rootfs.diff_ids.unwrap_or_default(),
    })
}

/// Attaches history steps to layers. History that does not line up with the layers (hand-made
/// images) is kept in `history` but not attributed.
pub(crate) fn attach_history(layers: &mut [LayerInfo], history: &mut [HistoryEntry]) {
    let producing = history.iter().filter(|h| !h.empty_layer).count();
    if producing != layers.len() {
        for h in history.iter_mut() {
            h.layer_index = None;
        }
        return;
    }
    for (hi, h) in history.iter_mut().enumerate() {
        if let Some(li) = h.layer_index {
            layers[li].created_by = h.created_by.clone();
            layers[li].history_index = Some(hi);
        }
    }
}

/// What picked one image out of a layout or archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Selector {
    Tag(String),
    Digest(Digest),
}

pub(crate) fn blob_locator(d: &Digest) -> String {
    format!("blobs/{}/{}", d.algorithm(), d.hex())
}

/// Reads and verifies a small blob named by a descriptor.
pub(crate) fn read_verified(
    store: &dyn BlobStore,
    d: &Descriptor,
    what: &str,
    limits: &Limits,
) -> Result<Vec<u8>> {
    let locator = if what == "manifest" {
        store.manifest_locator(&d.digest)
    } else {
        blob_locator(&d.digest)
    };
    if d.size > limits.max_metadata_size {
        return Err(Error::format(
            format!("{what} {}", d.digest),
            format!(
                "size {} is over the metadata limit of {} bytes",
                d.size, limits.max_metadata_size
            ),
        ));
    }
    let bytes = store.read_small(&locator, limits.max_metadata_size)?;
    if bytes.len() as u64 != d.size {
        return Err(Error::format(
            format!("{what} {}", d.digest),
            format!(
                "blob is {} bytes but its descriptor says {}",
                bytes.len(),
                d.size
            ),
        ));
    }
    d.digest.verify(format!("{what} {}", d.digest), &bytes)?;
    Ok(bytes)
}

pub(crate) struct Resolved {
    pub index_digest: Option<Digest>,
    pub manifest_digest: Digest,
    /// Annotations of the descriptor the manifest was reached through.
    pub descriptor_annotations: BTreeMap<String, String>,
    pub manifest_media_type: Option<String>,
    pub manifest: Manifest,
    pub reference: Option<String>,
}

/// Kinds of document a descriptor can point at, decided by media type or by peeking.
pub(crate) fn is_index_doc(d: &Descriptor, bytes: &[u8]) -> bool {
    if d.is_index() {
        return true;
    }
    if d.media_type == spec::OCI_MANIFEST || d.media_type == spec::DOCKER_MANIFEST {
        return false;
    }
    serde_json::from_slice::<Probe>(bytes)
        .map(|p| {
            matches!(
                p.media_type.as_deref(),
                Some(spec::OCI_INDEX) | Some(spec::DOCKER_LIST)
            ) || (p.manifests.is_some() && p.config.is_none())
        })
        .unwrap_or(false)
}

/// Chooses the entry of an index for `platform`, listing what exists when nothing matches.
pub(crate) fn choose_platform<'a>(
    what: &str,
    entries: &'a [Descriptor],
    platform: &Platform,
) -> Result<&'a Descriptor> {
    // Attestation manifests (BuildKit's `unknown/unknown`) are not images.
    let images: Vec<&Descriptor> = entries
        .iter()
        .filter(|d| {
            d.platform
                .as_ref()
                .map(|p| p.os != "unknown")
                .unwrap_or(true)
        })
        .collect();
    if let Some(d) = images.iter().find(|d| {
        d.platform
            .as_ref()
            .map(|p| platform.matches(p))
            .unwrap_or(false)
    }) {
        return Ok(d);
    }
    if images.len() == 1 && images[0].platform.is_none() {
        return Ok(images[0]);
    }
    let available: Vec<String> = images
        .iter()
        .map(|d| {
            d.platform
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_else(|| format!("(no platform) {}", d.digest))
        })
        .collect();
    Err(Error::NotFound {
        message: format!(
            "{what}: no manifest for platform {platform}; available: {}",
            if available.is_empty() {
                "none".to_string()
            } else {
                available.join(", ")
            }
        ),
    })
}

/// Follows a descriptor through (nested) indexes down to an image manifest.
pub(crate) fn descend(
    store: &dyn BlobStore,
    mut d: Descriptor,
    platform: &Platform,
    limits: &Limits,
    mut outer_index: Option<Digest>,
) -> Result<(Option<Digest>, Descriptor, Manifest)> {
    for _ in 0..8 {
        let bytes = read_verified(store, &d, "manifest", limits)?;
        if is_index_doc(&d, &bytes) {
            let what = format!("index {}", d.digest);
            let idx: Index = parse_json(&what, &bytes)?;
            if outer_index.is_none() {
                outer_index = Some(d.digest.clone());
            }
            d = choose_platform(&what, &idx.manifests, platform)?.clone();
            continue;
        }
        let what = format!("manifest {}", d.digest);
        let m: Manifest = parse_json(&what, &bytes)?;
        if m.schema_version != Some(2) {
            return Err(Error::format(
                &what,
                "only schema version 2 manifests are supported",
            ));
        }
        return Ok((outer_index, d, m));
    }
    Err(Error::format(
        format!("index {}", d.digest),
        "indexes nested more than 8 deep",
    ))
}

pub(crate) fn resolve_oci_layout(
    store: &dyn BlobStore,
    selector: Option<&Selector>,
    platform: &Platform,
    limits: &Limits,
) -> Result<Resolved> {
    let what = format!("{}: index.json", store.describe());
    let bytes = store.read_small("index.json", limits.max_metadata_size)?;
    let index: Index = parse_json(&what, &bytes)?;
    let top: Descriptor = match selector {
        Some(Selector::Digest(dg)) => match index.manifests.iter().find(|d| &d.digest == dg) {
            Some(d) => d.clone(),
            None => {
                // Any manifest or index blob in the layout may be named by digest.
                let loc = blob_locator(dg);
                if !store.exists(&loc) {
                    return Err(Error::NotFound {
                        message: format!("{}: no blob {dg} in the layout", store.describe()),
                    });
                }
                let b = store.read_small(&loc, limits.max_metadata_size)?;
                Descriptor {
                    media_type: String::new(),
                    digest: dg.clone(),
                    size: b.len() as u64,
                    annotations: None,
                    platform: None,
                    artifact_type: None,
                }
            }
        },
        Some(Selector::Tag(tag)) => {
            let tagged: Vec<Descriptor> = index
                .manifests
                .iter()
                .filter(|d| d.ref_name() == Some(tag.as_str()))
                .cloned()
                .collect();
            match tagged.len() {
                0 => {
                    return Err(Error::NotFound {
                        message: format!(
                            "{}: no image tagged '{tag}'; {}",
                            store.describe(),
                            list_tags(&index.manifests)
                        ),
                    })
                }
                1 => tagged.into_iter().next().unwrap_or_else(|| unreachable!()),
                _ => choose_platform(&what, &tagged, platform)?.clone(),
            }
        }
        None => {
            // Signatures and attestations stored beside an image are not images; a layout
            // holding nothing else still gets its entries considered, so the error says so.
            let mut images: Vec<Descriptor> = index
                .manifests
                .iter()
                .filter(|d| !d.is_supplement())
                .cloned()
                .collect();
            if images.is_empty() {
                images = index.manifests.clone();
            }
            let tags: Vec<&str> = images.iter().filter_map(|d| d.ref_name()).collect();
            match images.len() {
                0 => return Err(Error::format(&what, "the layout has no images")),
                1 => images[0].clone(),
                n if tags.len() > 1 && tags.iter().any(|t| *t != tags[0]) => {
                    return Err(Error::NotFound {
                        message: format!(
                            "{}: the layout holds {n} images; pick one with oci-dir:PATH:TAG or PATH@DIGEST ({})",
                            store.describe(),
                            list_tags(&images)
                        ),
                    })
                }
                // One image per platform written into index.json directly.
                _ => choose_platform(&what, &images, platform)?.clone(),
            }
        }
    };
    let reference = match selector {
        Some(Selector::Tag(t)) => Some(t.clone()),
        _ => top.ref_name().map(str::to_string),
    };
    let (index_digest, md, manifest) = descend(store, top, platform, limits, None)?;
    Ok(Resolved {
        index_digest,
        descriptor_annotations: md.annotations.clone().unwrap_or_default(),
        manifest_digest: md.digest,
        manifest_media_type: manifest
            .media_type
            .clone()
            .or(Some(md.media_type))
            .filter(|m| !m.is_empty()),
        manifest,
        reference,
    })
}

fn list_tags(entries: &[Descriptor]) -> String {
    let tags: Vec<String> = entries
        .iter()
        .map(|d| match d.ref_name() {
            Some(t) => format!("{t} ({})", d.digest),
            None => d.digest.to_string(),
        })
        .collect();
    format!("available: {}", tags.join(", "))
}

/// Builds the image from a resolved manifest whose blobs live in `store`.
pub(crate) fn image_from_manifest(
    store: Arc<dyn BlobStore>,
    source: String,
    format: SourceFormat,
    r: Resolved,
    limits: &Limits,
) -> Result<Image> {
    let cfg_bytes = read_verified(&*store, &r.manifest.config, "config", limits)?;
    let parts = parse_config(&format!("config {}", r.manifest.config.digest), &cfg_bytes)?;
    if parts.diff_ids.len() != r.manifest.layers.len() {
        return Err(Error::format(
            format!("manifest {}", r.manifest_digest),
            format!(
                "{} layers but the config lists {} diff_ids",
                r.manifest.layers.len(),
                parts.diff_ids.len()
            ),
        ));
    }
    let mut layers: Vec<LayerInfo> = r
        .manifest
        .layers
        .iter()
        .zip(&parts.diff_ids)
        .enumerate()
        .map(|(i, (d, diff))| LayerInfo {
            index: i,
            digest: Some(d.digest.clone()),
            diff_id: Some(diff.clone()),
            size: Some(d.size),
            media_type: d.media_type.clone(),
            created_by: None,
            history_index: None,
            locator: blob_locator(&d.digest),
        })
        .collect();
    let mut history = parts.history;
    attach_history(&mut layers, &mut history);
    Ok(Image {
        source,
        format,
        reference: r.reference,
        repo_tags: Vec::new(),
        index_digest: r.index_digest,
        manifest_digest: Some(r.manifest_digest),
        manifest_media_type: r.manifest_media_type,
        config_digest: Some(r.manifest.config.digest.clone()),
        annotations: r.manifest.annotations.clone().unwrap_or_default(),
        index_annotations: r.descriptor_annotations,
        platform: parts.platform,
        created: parts.created,
        author: parts.author,
        config: parts.config,
        history,
        layers,
        store,
    })
}

/// `docker save` archives: `manifest.json` names the config and layer members.
pub(crate) fn image_from_docker_archive(
    store: Arc<dyn BlobStore>,
    source: String,
    selector: Option<&Selector>,
    limits: &Limits,
) -> Result<Image> {
    let what = format!("{}: manifest.json", store.describe());
    let bytes = store.read_small("manifest.json", limits.max_metadata_size)?;
    let entries: Vec<DockerArchiveEntry> = parse_json(&what, &bytes)?;
    let all_tags = || -> String {
        let t: Vec<String> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| match &e.repo_tags {
                Some(t) if !t.is_empty() => t.join(" "),
                _ => format!("@{i} (untagged)"),
            })
            .collect();
        format!("available: {}", t.join(", "))
    };
    let entry = match selector {
        None if entries.len() == 1 => &entries[0],
        None if entries.is_empty() => return Err(Error::format(&what, "no images in the archive")),
        None => {
            return Err(Error::NotFound {
                message: format!(
                "{}: the archive holds {} images; pick one with docker-archive:PATH:REPO:TAG ({})",
                store.describe(),
                entries.len(),
                all_tags()
            ),
            })
        }
        Some(Selector::Tag(t)) => {
            let hit = entries.iter().find(|e| {
                e.repo_tags.iter().flatten().any(|rt| {
                    rt == t || rt.rsplit_once(':').map(|(_, tag)| tag) == Some(t.as_str())
                })
            });
            match (
                hit,
                t.strip_prefix('@').and_then(|n| n.parse::<usize>().ok()),
            ) {
                (Some(e), _) => e,
                (None, Some(i)) if i < entries.len() => &entries[i],
                _ => {
                    return Err(Error::NotFound {
                        message: format!(
                            "{}: no image tagged '{t}'; {}",
                            store.describe(),
                            all_tags()
                        ),
                    })
                }
            }
        }
        Some(Selector::Digest(d)) => {
            return Err(Error::source(
                &source,
                format!("docker-archive images have no manifest digest to select by ({d})"),
            ))
        }
    };
    let cfg_bytes = store.read_small(&entry.config, limits.max_metadata_size)?;
    let config_digest = Digest::of(crate::digest::Algorithm::Sha256, &cfg_bytes);
    // Docker names the config after its digest; a mismatch means a tampered archive.
    if let Some(named) = digest_in_name(&entry.config) {
        if named != config_digest {
            return Err(Error::DigestMismatch {
                what: format!("{}: config {}", store.describe(), entry.config),
                expected: named.to_string(),
                actual: config_digest.to_string(),
            });
        }
    }
    let parts = parse_config(
        &format!("{}: {}", store.describe(), entry.config),
        &cfg_bytes,
    )?;
    if parts.diff_ids.len() != entry.layers.len() {
        return Err(Error::format(
            &what,
            format!(
                "{} layers but the config lists {} diff_ids",
                entry.layers.len(),
                parts.diff_ids.len()
            ),
        ));
    }
    let mut layers: Vec<LayerInfo> = entry
        .layers
        .iter()
        .zip(&parts.diff_ids)
        .enumerate()
        .map(|(i, (path, diff))| LayerInfo {
            index: i,
            // Only OCI-style member names carry the blob digest; legacy `<id>/layer.tar` does not.
            digest: path
                .starts_with("blobs/")
                .then(|| digest_in_name(path))
                .flatten(),
            diff_id: Some(diff.clone()),
            size: None,
            media_type: spec::DOCKER_LAYER_TAR.to_string(),
            created_by: None,
            history_index: None,
            locator: path.clone(),
        })
        .collect();
    let mut history = parts.history;
    attach_history(&mut layers, &mut history);
    let reference = match selector {
        Some(Selector::Tag(t)) => Some(t.clone()),
        _ => entry.repo_tags.as_ref().and_then(|t| t.first().cloned()),
    };
    Ok(Image {
        source,
        format: SourceFormat::DockerArchive,
        reference,
        repo_tags: entry.repo_tags.clone().unwrap_or_default(),
        index_digest: None,
        manifest_digest: None,
        manifest_media_type: None,
        config_digest: Some(config_digest),
        annotations: BTreeMap::new(),
        index_annotations: BTreeMap::new(),
        platform: parts.platform,
        created: parts.created,
        author: parts.author,
        config: parts.config,
        history,
        layers,
        store,
    })
}

/// `18516af1….json`, `blobs/sha256/18516af1…` → the digest the name claims.
fn digest_in_name(name: &str) -> Option<Digest> {
    if let Some(rest) = name.strip_prefix("blobs/") {
        let (alg, hex) = rest.split_once('/')?;
        return Digest::parse(&format!("{alg}:{hex}")).ok();
    }
    let stem = name.strip_suffix(".json").unwrap_or(name);
    if stem.contains('/') {
        return None;
    }
    Digest::sha256_hex(stem).ok()
}

/// The annotation (and label) builders set to name the base image (OCI image-spec).
pub const BASE_NAME_ANNOTATION: &str = "org.opencontainers.image.base.name";
/// The annotation naming the base image's manifest digest.
pub const BASE_DIGEST_ANNOTATION: &str = "org.opencontainers.image.base.digest";

impl Image {
    /// The base image the image itself declares, and where it says so (for messages), first
    /// found wins: the manifest's annotations, the annotations of the index entry that chose
    /// the manifest, the config label. With a base digest annotation the name is pinned:
    /// `NAME@DIGEST`.
    pub fn declared_base(&self) -> Option<(String, String)> {
        if let Some(base) = annotated_base(&self.annotations) {
            return Some((base, format!("manifest annotation {BASE_NAME_ANNOTATION}")));
        }
        if let Some(base) = annotated_base(&self.index_annotations) {
            return Some((base, format!("index annotation {BASE_NAME_ANNOTATION}")));
        }
        let label = self.config.labels.get(BASE_NAME_ANNOTATION)?.trim();
        (!label.is_empty()).then(|| (label.to_string(), format!("label {BASE_NAME_ANNOTATION}")))
    }
}

/// The base image named by a set of annotations: `NAME`, or `NAME@DIGEST` when the digest
/// annotation is there too (and the name pins no digest of its own). An empty name (buildah
/// writes one for `FROM scratch` and for bases it cannot name) names nothing.
pub(crate) fn annotated_base(annotations: &BTreeMap<String, String>) -> Option<String> {
    let name = annotations.get(BASE_NAME_ANNOTATION)?.trim();
    if name.is_empty() {
        return None;
    }
    let digest = annotations
        .get(BASE_DIGEST_ANNOTATION)
        .map(|d| d.trim())
        .filter(|d| Digest::parse(d).is_ok());
    Some(match digest {
        Some(d) if !name.contains('@') => format!("{name}@{d}"),
        _ => name.to_string(),
    })
}

#[cfg(test)]
mod base_tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn annotated_base_names_and_pins() {
        let d = format!("sha256:{}", "a".repeat(64));
        assert_eq!(
            annotated_base(&map(&[
                (BASE_NAME_ANNOTATION, " debian:12 "),
                (BASE_DIGEST_ANNOTATION, &d)
            ])),
            Some(format!("debian:12@{d}"))
        );
        assert_eq!(
            annotated_base(&map(&[(BASE_NAME_ANNOTATION, "debian:12")])).as_deref(),
            Some("debian:12")
        );
        // A name that pins its own digest keeps it; a malformed digest is not appended.
        let own = format!("debian@sha256:{}", "b".repeat(64));
        assert_eq!(
            annotated_base(&map(&[
                (BASE_NAME_ANNOTATION, &own),
                (BASE_DIGEST_ANNOTATION, &d)
            ])),
            Some(own)
        );
        assert_eq!(
            annotated_base(&map(&[
                (BASE_NAME_ANNOTATION, "debian:12"),
                (BASE_DIGEST_ANNOTATION, "sha256:x/../y")
            ]))
            .as_deref(),
            Some("debian:12")
        );
        // buildah's empty name, or a digest alone, names no base.
        assert_eq!(
            annotated_base(&map(&[
                (BASE_NAME_ANNOTATION, ""),
                (BASE_DIGEST_ANNOTATION, &d)
            ])),
            None
        );
        assert_eq!(annotated_base(&map(&[])), None);
    }
}
