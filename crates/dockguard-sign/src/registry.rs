//! Signatures in a registry: the [`Store`] interface over dockguard-image's distribution
//! client, which does the talking (references, challenge flow, Docker credentials, bounds).

use crate::error::{Error, Result};
use crate::oci::{self, Descriptor, MAX_MANIFEST_SIZE};
use crate::store::{Deleted, Fetched, Store};
use dockguard_image::registry::{self as dist, Client, Reference};
use dockguard_image::Digest;
use std::path::PathBuf;

/// Registry credentials and transport settings.
#[derive(Debug, Clone, Default)]
pub struct RegistryOptions {
    pub username: Option<String>,
    pub password: Option<String>,
    /// Allow plain HTTP (always allowed for localhost and 127.0.0.0/8).
    pub insecure: bool,
    /// Directory holding `config.json`; `$DOCKER_CONFIG` or `~/.docker` when unset.
    pub docker_config: Option<PathBuf>,
}

impl From<&RegistryOptions> for dockguard_image::RegistryOptions {
    fn from(o: &RegistryOptions) -> Self {
        dockguard_image::RegistryOptions {
            username: o.username.clone(),
            password: o.password.clone(),
            insecure: o.insecure,
            docker_config: o.docker_config.clone(),
            progress: false,
            ..Default::default()
        }
    }
}

/// cosign's `Repository.Name()`: Docker Hub appears as `index.docker.io`.
pub(crate) fn identity(r: &Reference) -> String {
    let reg = if r.registry == "docker.io" {
        "index.docker.io"
    } else {
        &r.registry
    };
    format!("{reg}/{}", r.repository)
}

pub(crate) struct Registry {
    client: Client,
}

impl Registry {
    pub(crate) fn open(reference: &str, opts: &RegistryOptions) -> Result<Registry> {
        let r = Reference::parse(reference)?;
        Ok(Registry {
            client: Client::new(r, &opts.into())?.with_push(),
        })
    }
}

fn digest(s: &str) -> Result<Digest> {
    oci::check_digest(s, s)?;
    Ok(Digest::parse(s)?)
}

impl Store for Registry {
    fn describe(&self) -> String {
        self.client.describe()
    }

    fn identity(&self) -> String {
        identity(self.client.reference())
    }

    fn resolve(&self) -> Result<Descriptor> {
        let r = self.client.reference().tag_or_digest();
        let f = self.get_manifest(&r)?.ok_or_else(|| {
            Error::registry(
                self.client.url(&format!("manifests/{r}")),
                "no such image (manifest unknown)",
            )
        })?;
        Ok(Descriptor {
            size: f.bytes.len() as u64,
            ..Descriptor::of(&f.media_type, &f.bytes)
        })
    }

    fn get_manifest(&self, reference: &str) -> Result<Option<Fetched>> {
        if reference.contains(':') {
            oci::check_digest(reference, reference)?;
        }
        let Some(m) = self.client.manifest(reference, MAX_MANIFEST_SIZE)? else {
            return Ok(None);
        };
        // Registries that send no Content-Type still say what the document is inside it.
        let media_type = m
            .media_type
            .or_else(|| {
                serde_json::from_slice::<serde_json::Value>(&m.bytes)
                    .ok()
                    .and_then(|v| v.get("mediaType")?.as_str().map(str::to_string))
            })
            .unwrap_or_else(|| oci::OCI_MANIFEST.to_string());
        Ok(Some(Fetched {
            digest: m.digest.to_string(),
            bytes: m.bytes,
            media_type,
        }))
    }

    fn put_manifest(&self, reference: &str, bytes: &[u8], media_type: &str) -> Result<bool> {
        Ok(self.client.put_manifest(reference, bytes, media_type)?)
    }

    fn put_blob(&self, d: &str, bytes: &[u8]) -> Result<()> {
        Ok(self.client.upload_blob(&digest(d)?, bytes)?)
    }

    fn get_blob(&self, d: &str, limit: u64) -> Result<Vec<u8>> {
        Ok(self.client.blob(&digest(d)?, limit)?)
    }

    fn delete_manifest(&self, d: &str) -> Result<Deleted> {
        Ok(match self.client.delete_manifest(&digest(d)?)? {
            dist::Deleted::Yes => Deleted::Yes,
            dist::Deleted::Unsupported => Deleted::Unsupported,
        })
    }

    fn referrers(&self, d: &str) -> Result<Option<Vec<Descriptor>>> {
        let url = self.client.url(&format!("referrers/{d}"));
        let Some(body) = self.client.referrers(&digest(d)?, MAX_MANIFEST_SIZE)? else {
            return Ok(None);
        };
        // A registry that answers 200 with something other than an index has no API.
        Ok(oci::parse_index(&url, &body).ok().map(|i| i.manifests))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_identity() {
        let r = Reference::parse("alpine").unwrap();
        assert_eq!(identity(&r), "index.docker.io/library/alpine");
        assert_eq!(r.tag.as_deref(), Some("latest"));
        let r = Reference::parse("127.0.0.1:5000/dg/app:1.0").unwrap();
        assert_eq!(identity(&r), "127.0.0.1:5000/dg/app");
        assert!(r.is_loopback());
        assert!(Reference::parse("Upper/case").is_err());
        assert!(Reference::parse("a/b@sha256:xyz").is_err());
        assert!(Reference::parse("a/b:-bad").is_err());
    }
}
