//! Remote sources: OCI distribution v2 registries (through [`crate::registry::Client`]), and
//! the Docker Engine API (`docker:`).

use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::image::{self, Image, Resolved, SourceFormat};
use crate::platform::Platform;
use crate::registry::{Client, Reference, MANIFEST_ACCEPT};
use crate::source::OpenOptions;
use crate::spec::{Descriptor, Manifest};
use crate::store::BlobStore;
use std::io::Read;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Blobs of one repository. Locators are `blobs/<alg>/<hex>` (layers, configs) or
/// `manifests/<digest>`.
pub(crate) struct RegistryStore {
    client: Arc<Client>,
}

impl BlobStore for RegistryStore {
    fn describe(&self) -> String {
        self.client.describe()
    }

    fn open(&self, locator: &str) -> Result<Box<dyn Read + Send + '_>> {
        let (path, accept) = if let Some(rest) = locator.strip_prefix("blobs/") {
            let (alg, hex) = rest
                .split_once('/')
                .ok_or_else(|| Error::format(self.describe(), format!("bad locator {locator}")))?;
            (
                format!("blobs/{}", Digest::parse(&format!("{alg}:{hex}"))?),
                None,
            )
        } else if let Some(d) = locator.strip_prefix("manifests/") {
            (
                format!("manifests/{}", Digest::parse(d)?),
                Some(MANIFEST_ACCEPT),
            )
        } else {
            return Err(Error::format(
                self.describe(),
                format!("bad locator {locator}"),
            ));
        };
        Ok(Box::new(self.client.open_stream(&path, accept)?))
    }

    fn exists(&self, _locator: &str) -> bool {
        true
    }

    fn manifest_locator(&self, d: &Digest) -> String {
        format!("manifests/{d}")
    }
}

pub(crate) fn open_registry(
    source: &str,
    reference: &str,
    opts: &OpenOptions,
    platform: &Platform,
) -> Result<Image> {
    let r = Reference::parse(reference)?;
    let client = Arc::new(Client::new(r.clone(), &opts.registry)?);
    let limits = &opts.limits;
    let fetched = client.require_manifest(&r.tag_or_digest(), limits.max_metadata_size)?;
    let (bytes, ctype, digest) = (fetched.bytes, fetched.media_type, fetched.digest);
    let top = Descriptor {
        media_type: ctype.unwrap_or_default(),
        digest,
        size: bytes.len() as u64,
        annotations: None,
        platform: None,
        artifact_type: None,
    };
    let store: Arc<dyn BlobStore> = Arc::new(RegistryStore {
        client: client.clone(),
    });
    let (index_digest, md, manifest): (Option<Digest>, Descriptor, Manifest) =
        image::descend(&*store, top, platform, limits, None)?;
    if let Some(p) = &client.progress {
        p.total.store(
            manifest.layers.iter().map(|l| l.size).sum(),
            Ordering::Relaxed,
        );
    }
    let resolved = Resolved {
        index_digest,
        descriptor_annotations: md.annotations.clone().unwrap_or_default(),
        manifest_digest: md.digest,
        manifest_media_type: manifest
            .media_type
            .clone()
            .or(Some(md.media_type))
            .filter(|m| !m.is_empty()),
        manifest,
        reference: Some(reference.to_string()),
    };
    image::image_from_manifest(
        store,
        source.to_string(),
        SourceFormat::Registry,
        resolved,
        limits,
    )
}

/// A plain reference: the local Docker daemon when one answers, else the registry.
pub(crate) fn open_reference(
    source: &str,
    reference: &str,
    opts: &OpenOptions,
    platform: &Platform,
) -> Result<Image> {
    if crate::daemon::available(opts) {
        match crate::daemon::open_daemon(&format!("docker:{source}"), reference, opts) {
            Ok(i) => return Ok(i),
            Err(Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    open_registry(&format!("registry:{source}"), reference, opts, platform)
}
