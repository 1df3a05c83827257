//! Turning a source string (`oci-dir:PATH:TAG`, `docker-archive:PATH`, a plain reference, …)
//! into an opened [`Image`].

use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::image::{self, Image, Selector, SourceFormat};
use crate::layer::Limits;
use crate::platform::Platform;
use crate::store::{is_compressed_file, BlobStore, DirStore, StreamTarStore, TarStore};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Credentials and transport settings for `registry:` sources.
#[derive(Debug, Clone, Default)]
pub struct RegistryOptions {
    pub username: Option<String>,
    pub password: Option<String>,
    /// Allow plain HTTP and skip nothing else (TLS is never downgraded silently: plain HTTP is
    /// only used for `localhost`/`127.0.0.1` or with this flag).
    pub insecure: bool,
    /// Directory holding `config.json`; `$DOCKER_CONFIG` or `~/.docker` when unset.
    pub docker_config: Option<PathBuf>,
    /// Show a progress bar on stderr when it is a terminal.
    pub progress: bool,
    /// Checked on every connection the registry client makes (registry, token realm, every
    /// redirect hop); `None` connects anywhere. See [`crate::registry::AddressFilter`].
    pub address_filter: Option<crate::registry::AddressFilter>,
}

/// How to open an image.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// Platform to pick from an index; the host's when unset.
    pub platform: Option<Platform>,
    pub limits: Limits,
    pub registry: RegistryOptions,
    /// Docker Engine endpoint (`unix:///run/podman/podman.sock`); `$DOCKER_HOST` or
    /// `/var/run/docker.sock` when unset.
    pub docker_host: Option<String>,
    /// Where `docker:` exports are spooled; `<cache dir>/tmp` when unset.
    pub work_dir: Option<PathBuf>,
}

/// A parsed source string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceSpec {
    /// `None` for a plain argument that is neither an existing path nor prefixed.
    pub format: Option<SourceFormat>,
    /// A path for local sources, an image reference for registry/docker.
    pub target: String,
    pub(crate) selector: Option<Selector>,
}

const PREFIXES: &[(&str, SourceFormat)] = &[
    ("docker-archive:", SourceFormat::DockerArchive),
    ("oci-dir:", SourceFormat::OciDir),
    ("oci:", SourceFormat::OciDir),
    ("oci-archive:", SourceFormat::OciArchive),
    ("dir:", SourceFormat::Dir),
    ("registry:", SourceFormat::Registry),
    ("docker:", SourceFormat::Docker),
    ("docker-daemon:", SourceFormat::Docker),
];

impl SourceSpec {
    /// Parses `PREFIX:REST` or a plain argument. Plain arguments naming an existing path are
    /// classified later by looking at the file; others are image references.
    pub(crate) fn parse(s: &str) -> Result<SourceSpec> {
        if s.is_empty() {
            return Err(Error::source(s, "empty image source"));
        }
        for (p, f) in PREFIXES {
            if let Some(rest) = s.strip_prefix(p) {
                if rest.is_empty() {
                    return Err(Error::source(s, format!("nothing after '{p}'")));
                }
                let (target, selector) = match f {
                    SourceFormat::OciDir
                    | SourceFormat::OciArchive
                    | SourceFormat::DockerArchive => split_path_selector(rest)?,
                    _ => (rest.to_string(), None),
                };
                return Ok(SourceSpec {
                    format: Some(*f),
                    target,
                    selector,
                });
            }
        }
        let (target, selector) = split_path_selector(s)?;
        if Path::new(&target).exists() {
            return Ok(SourceSpec {
                format: None,
                target,
                selector,
            });
        }
        Ok(SourceSpec {
            format: None,
            target: s.to_string(),
            selector: None,
        })
    }
}

/// `PATH`, `PATH:TAG`, `PATH@sha256:…`. A `:` only starts a tag when what precedes it exists
/// and what follows has no `/`, so paths with colons still work.
fn split_path_selector(s: &str) -> Result<(String, Option<Selector>)> {
    if let Some((p, d)) = s.rsplit_once('@') {
        if d.starts_with("sha256:") || d.starts_with("sha512:") {
            return Ok((p.to_string(), Some(Selector::Digest(Digest::parse(d)?))));
        }
    }
    if Path::new(s).exists() {
        return Ok((s.to_string(), None));
    }
    // docker-archive:PATH:REPO:TAG: the path is the longest existing prefix.
    let mut idx = s.len();
    while let Some(i) = s[..idx].rfind(':') {
        let (p, rest) = (&s[..i], &s[i + 1..]);
        if Path::new(p).exists() && !rest.is_empty() {
            return Ok((p.to_string(), Some(Selector::Tag(rest.to_string()))));
        }
        idx = i;
    }
    Ok((s.to_string(), None))
}

/// Opens an image from a source string. Layers are not read; see [`Image::scan`].
pub fn open(source: &str, opts: &OpenOptions) -> Result<Image> {
    let spec = SourceSpec::parse(source)?;
    open_spec(source, &spec, opts)
}

pub(crate) fn open_spec(source: &str, spec: &SourceSpec, opts: &OpenOptions) -> Result<Image> {
    let platform = opts.platform.clone().unwrap_or_else(Platform::host);
    let limits = &opts.limits;
    let path = PathBuf::from(&spec.target);
    let format = match spec.format {
        Some(f) => f,
        None if path.is_dir() => {
            if path.join("index.json").is_file() && path.join("oci-layout").is_file() {
                SourceFormat::OciDir
            } else {
                SourceFormat::Dir
            }
        }
        None if path.is_file() => {
            let store = open_archive(&path, limits)?;
            if store.exists("manifest.json") {
                return image::image_from_docker_archive(
                    store,
                    labelled(SourceFormat::DockerArchive, source),
                    spec.selector.as_ref(),
                    limits,
                );
            }
            if store.exists("index.json") {
                return from_layout(
                    store,
                    labelled(SourceFormat::OciArchive, source),
                    SourceFormat::OciArchive,
                    spec,
                    &platform,
                    limits,
                );
            }
            return Err(Error::source(
                source,
                "the file is neither a docker-archive (no manifest.json) nor an oci-archive (no index.json)",
            ));
        }
        None => return crate::remote::open_reference(source, &spec.target, opts, &platform),
    };
    match format {
        SourceFormat::OciDir => {
            if !path.is_dir() {
                return Err(Error::source(source, "not a directory"));
            }
            let store: Arc<dyn BlobStore> = Arc::new(DirStore::new(&path));
            if !store.exists("index.json") {
                return Err(Error::source(
                    source,
                    "no index.json: not an OCI image layout",
                ));
            }
            from_layout(
                store,
                labelled(format, source),
                format,
                spec,
                &platform,
                limits,
            )
        }
        SourceFormat::OciArchive => {
            let store = open_archive(&path, limits)?;
            if !store.exists("index.json") {
                return Err(Error::source(
                    source,
                    "no index.json in the archive: not an oci-archive",
                ));
            }
            from_layout(
                store,
                labelled(format, source),
                format,
                spec,
                &platform,
                limits,
            )
        }
        SourceFormat::DockerArchive => {
            let store = open_archive(&path, limits)?;
            if !store.exists("manifest.json") {
                return Err(Error::source(
                    source,
                    "no manifest.json in the archive: not a docker-archive",
                ));
            }
            image::image_from_docker_archive(
                store,
                labelled(format, source),
                spec.selector.as_ref(),
                limits,
            )
        }
        SourceFormat::Dir => crate::rootdir::open_dir(&path, labelled(format, source)),
        SourceFormat::Registry => {
            crate::remote::open_registry(&labelled(format, source), &spec.target, opts, &platform)
        }
        SourceFormat::Docker => {
            crate::daemon::open_daemon(&labelled(format, source), &spec.target, opts)
        }
    }
}

fn labelled(format: SourceFormat, source: &str) -> String {
    if PREFIXES.iter().any(|(p, _)| source.starts_with(p)) {
        source.to_string()
    } else {
        format!("{}:{source}", format.prefix())
    }
}

fn from_layout(
    store: Arc<dyn BlobStore>,
    label: String,
    format: SourceFormat,
    spec: &SourceSpec,
    platform: &Platform,
    limits: &Limits,
) -> Result<Image> {
    let resolved = image::resolve_oci_layout(&*store, spec.selector.as_ref(), platform, limits)?;
    image::image_from_manifest(store, label, format, resolved, limits)
}

pub(crate) fn open_archive(path: &Path, limits: &Limits) -> Result<Arc<dyn BlobStore>> {
    if is_compressed_file(path)? {
        Ok(Arc::new(StreamTarStore::open(
            path,
            limits.max_header_size,
            limits.max_blob_size,
        )?))
    } else {
        Ok(Arc::new(TarStore::open(path, limits.max_header_size)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_selectors() {
        let s = SourceSpec::parse("registry:127.0.0.1:5000/a/b:1").unwrap();
        assert_eq!(s.format, Some(SourceFormat::Registry));
        assert_eq!(s.target, "127.0.0.1:5000/a/b:1");
        let d = "sha256:a57b076ab437d3e56d2b1463a415c2774a6bcc5229b9bc024dbc12730a2680d6";
        let s = SourceSpec::parse(&format!("oci-dir:/nonexistent/x@{d}")).unwrap();
        assert_eq!(s.target, "/nonexistent/x");
        assert!(matches!(s.selector, Some(Selector::Digest(_))));
        let dir = std::env::temp_dir();
        let s = SourceSpec::parse(&format!("oci-dir:{}:1.0.0", dir.display())).unwrap();
        assert_eq!(s.selector, Some(Selector::Tag("1.0.0".into())));
        let s = SourceSpec::parse("alpine:3.10").unwrap();
        assert_eq!(s.format, None);
        assert_eq!(s.target, "alpine:3.10");
        assert!(SourceSpec::parse("dir:").is_err());
    }
}
