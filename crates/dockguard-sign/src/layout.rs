//! Signatures inside an OCI image layout, for offline signing and verification.
//!
//! A layout has no tags API, so the registry conventions are mapped onto `index.json`: a tag
//! is an entry's `org.opencontainers.image.ref.name`, the `.sig` manifest is an entry tagged
//! `sha256-<hex>.sig`, and referrers use the tag schema (`sha256-<hex>` → an index). Such a
//! layout copies to a registry with `skopeo copy --all` or per tag and keeps working there.

use crate::error::{Error, Result};
use crate::oci::{self, Descriptor, Index, MAX_MANIFEST_SIZE, REF_NAME};
use crate::store::{Deleted, Fetched, Store};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub(crate) enum Selector {
    Tag(String),
    Digest(String),
}

pub(crate) struct Layout {
    root: PathBuf,
    selector: Option<Selector>,
}

fn is_signature_tag(t: &str) -> bool {
    t.starts_with("sha256-") || t.starts_with("sha512-")
}

impl Layout {
    pub(crate) fn open(root: &Path, selector: Option<Selector>) -> Result<Layout> {
        if !root.join("index.json").is_file() {
            return Err(Error::format(
                root.display(),
                "not an OCI image layout (no index.json)",
            ));
        }
        Ok(Layout {
            root: root.to_path_buf(),
            selector,
        })
    }

    fn read_bounded(&self, path: &Path, limit: u64) -> Result<Vec<u8>> {
        let f = std::fs::File::open(path).map_err(|e| Error::io(path.display(), e))?;
        let mut buf = Vec::new();
        f.take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::io(path.display(), e))?;
        if buf.len() as u64 > limit {
            return Err(Error::format(
                path.display(),
                format!("larger than {limit} bytes"),
            ));
        }
        Ok(buf)
    }

    fn index(&self) -> Result<Index> {
        let p = self.root.join("index.json");
        let bytes = self.read_bounded(&p, MAX_MANIFEST_SIZE)?;
        oci::parse_index(&p.display().to_string(), &bytes)
    }

    fn write_atomic(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        let dir = path.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
        let mut tmp =
            tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir.display(), e))?;
        tmp.write_all(bytes)
            .map_err(|e| Error::io(path.display(), e))?;
        tmp.flush().map_err(|e| Error::io(path.display(), e))?;
        tmp.persist(path)
            .map_err(|e| Error::io(path.display(), e.error))?;
        Ok(())
    }

    fn save_index(&self, index: &Index) -> Result<()> {
        self.write_atomic(&self.root.join("index.json"), &oci::to_json(index))
    }

    fn blob_path(&self, digest: &str) -> Result<PathBuf> {
        oci::check_digest(&self.root.display().to_string(), digest)?;
        let (alg, hex) = digest.split_once(':').unwrap_or(("sha256", digest));
        Ok(self.root.join("blobs").join(alg).join(hex))
    }

    fn media_type_of(bytes: &[u8]) -> String {
        serde_json::from_slice::<serde_json::Value>(bytes)
            .ok()
            .and_then(|v| v.get("mediaType")?.as_str().map(str::to_string))
            .unwrap_or_else(|| oci::OCI_MANIFEST.to_string())
    }
}

impl Store for Layout {
    fn describe(&self) -> String {
        format!("oci-dir:{}", self.root.display())
    }

    fn identity(&self) -> String {
        // Offline there is no repository; a fully qualified ref name (`host/repo:tag`, as
        // `docker save`-style tools write it) still names one, a bare tag does not.
        let name = match &self.selector {
            Some(Selector::Tag(t)) => t.clone(),
            _ => String::new(),
        };
        match name.rsplit_once(':') {
            Some((repo, _)) if repo.contains('/') => repo.to_string(),
            _ if name.contains('/') => name,
            _ => String::new(),
        }
    }

    fn resolve(&self) -> Result<Descriptor> {
        let index = self.index()?;
        let what = self.describe();
        let found = match &self.selector {
            Some(Selector::Digest(d)) => index
                .manifests
                .iter()
                .find(|m| &m.digest == d)
                .cloned()
                .or_else(|| {
                    let p = self.blob_path(d).ok()?;
                    let bytes = self.read_bounded(&p, MAX_MANIFEST_SIZE).ok()?;
                    Some(Descriptor::of(&Self::media_type_of(&bytes), &bytes))
                }),
            Some(Selector::Tag(t)) => index
                .manifests
                .iter()
                .find(|m| m.annotations.get(REF_NAME) == Some(t))
                .cloned(),
            None => {
                let images: Vec<&Descriptor> = index
                    .manifests
                    .iter()
                    .filter(|m| {
                        !m.annotations
                            .get(REF_NAME)
                            .is_some_and(|t| is_signature_tag(t))
                    })
                    .collect();
                match images.len() {
                    1 => Some(images[0].clone()),
                    0 => None,
                    n => {
                        return Err(Error::format(
                            what,
                            format!("the layout holds {n} images; name one with oci-dir:PATH:TAG or PATH@DIGEST"),
                        ))
                    }
                }
            }
        };
        let mut d = found.ok_or_else(|| Error::format(&what, "no such image in the layout"))?;
        d.annotations.clear();
        Ok(d)
    }

    fn get_manifest(&self, reference: &str) -> Result<Option<Fetched>> {
        let digest = if reference.contains(':') {
            reference.to_string()
        } else {
            match self
                .index()?
                .manifests
                .into_iter()
                .find(|m| m.annotations.get(REF_NAME).map(String::as_str) == Some(reference))
            {
                Some(m) => m.digest,
                None => return Ok(None),
            }
        };
        let path = self.blob_path(&digest)?;
        if !path.is_file() {
            return Ok(None);
        }
        let bytes = self.read_bounded(&path, MAX_MANIFEST_SIZE)?;
        oci::verify_digest(&path.display().to_string(), &digest, &bytes)?;
        Ok(Some(Fetched {
            media_type: Self::media_type_of(&bytes),
            bytes,
            digest,
        }))
    }

    fn put_manifest(&self, reference: &str, bytes: &[u8], media_type: &str) -> Result<bool> {
        let mut d = Descriptor::of(media_type, bytes);
        self.put_blob(&d.digest, bytes)?;
        if reference.contains(':') {
            // By digest: reachable through the referrers tag index, not index.json.
            return Ok(false);
        }
        let mut index = self.index()?;
        index
            .manifests
            .retain(|m| m.annotations.get(REF_NAME).map(String::as_str) != Some(reference));
        d.annotations.insert(REF_NAME.into(), reference.into());
        index.manifests.push(d);
        self.save_index(&index)?;
        Ok(false)
    }

    fn put_blob(&self, digest: &str, bytes: &[u8]) -> Result<()> {
        oci::verify_digest("blob to write", digest, bytes)?;
        let path = self.blob_path(digest)?;
        if path.is_file() {
            return Ok(());
        }
        self.write_atomic(&path, bytes)
    }

    fn get_blob(&self, digest: &str, limit: u64) -> Result<Vec<u8>> {
        let path = self.blob_path(digest)?;
        let bytes = self.read_bounded(&path, limit)?;
        oci::verify_digest(&path.display().to_string(), digest, &bytes)?;
        Ok(bytes)
    }

    fn delete_manifest(&self, digest: &str) -> Result<Deleted> {
        let mut index = self.index()?;
        let before = index.manifests.len();
        index.manifests.retain(|m| m.digest != digest);
        if index.manifests.len() != before {
            self.save_index(&index)?;
        }
        // Blobs may be shared with other manifests; an unreferenced one is harmless garbage.
        Ok(Deleted::Yes)
    }

    fn referrers(&self, _digest: &str) -> Result<Option<Vec<Descriptor>>> {
        Ok(None)
    }
}
