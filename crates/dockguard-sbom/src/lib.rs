//! SBOM documents for dockguard: a package [`Inventory`] to CycloneDX 1.6 JSON, SPDX 2.3 JSON
//! or our own inventory JSON, and any of those (plus Syft's and Trivy's CycloneDX and SPDX
//! JSON) back to an [`Inventory`].
//!
//! This crate owns the document formats only. Cataloguing is `dockguard-catalog`'s job; the
//! `sbom:FILE` source of the scanner is [`load_sbom`], so that vulnerability matching can run
//! on a stored SBOM without the image.
//!
//! Output is deterministic: packages are sorted, identifiers are derived from package content,
//! the serial number / document namespace from the subject's digest, and the timestamp is the
//! caller's choice (see [`WriteOptions`]). Documents read here are untrusted: size and counts
//! are bounded, nothing panics, and errors name the file.

use dockguard_catalog::{Distro, Inventory};
use std::io::Write;
use std::path::Path;

mod cyclonedx;
mod ids;
mod json;
mod licenses;
mod purl;
mod read;
mod spdx;

pub use ids::{now_rfc3339, parse_rfc3339, rfc3339_from_epoch};
pub use purl::{package_from_purl, Purl};

/// Largest SBOM document [`load_sbom`] reads.
pub const MAX_SBOM_SIZE: u64 = 256 << 20;
/// Most packages one document may describe.
pub const MAX_PACKAGES: usize = 1_000_000;

/// Version of our inventory JSON shape (`--format json`, documented in `docs/sbom.md`).
pub const INVENTORY_SCHEMA_VERSION: &str = "1.0";

/// Document formats this crate writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CycloneDX 1.6 JSON.
    CycloneDx,
    /// SPDX 2.3 JSON.
    Spdx,
    /// dockguard's inventory JSON.
    Json,
}

impl Format {
    /// `cyclonedx`, `spdx` or `json` (also `cyclonedx-json`, `spdx-json`).
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "cyclonedx" | "cyclonedx-json" | "cdx" => Some(Format::CycloneDx),
            "spdx" | "spdx-json" => Some(Format::Spdx),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::CycloneDx => "cyclonedx",
            Format::Spdx => "spdx",
            Format::Json => "json",
        }
    }
}

/// What the SBOM describes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subject {
    /// The source as the user named it: `oci-dir:images/app:1.3.0`, `registry:alpine:3.19`.
    pub name: String,
    /// Manifest (or index) digest; else the config digest. Identifies the image.
    pub digest: Option<String>,
    /// Tags the image carries.
    pub tags: Vec<String>,
    /// Whether the subject is an image (`container`) rather than a directory.
    pub is_image: bool,
    /// How the inventory was scoped (`squashed`, `all-layers`); recorded in the document.
    pub scope: Option<String>,
}

/// Choices that make a document reproducible or unique.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOptions {
    /// `tool` name and version written into the document's creator fields.
    pub tool_version: String,
    /// A fresh random serial number / namespace instead of one derived from the subject.
    pub random_serial: bool,
    /// RFC 3339 UTC time (`2026-01-01T00:00:00Z`) written as the creation time.
    pub timestamp: String,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            random_serial: false,
            timestamp: rfc3339_from_epoch(0),
        }
    }
}

/// Reasons a document cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The document is not one this crate understands, or is malformed.
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("writing SBOM: {0}")]
    Write(#[source] std::io::Error),
}

/// Writes `inv` about `subject` as a document in `format`, pretty-printed and ending in a newline.
pub fn write(
    inv: &Inventory,
    subject: &Subject,
    format: Format,
    opts: &WriteOptions,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let value = to_value(inv, subject, format, opts);
    serde_json::to_writer_pretty(&mut *out, &value)
        .map_err(|e| Error::Write(std::io::Error::other(e)))?;
    out.write_all(b"\n").map_err(Error::Write)
}

/// The document as a JSON value (what [`write`] prints).
pub fn to_value(
    inv: &Inventory,
    subject: &Subject,
    format: Format,
    opts: &WriteOptions,
) -> serde_json::Value {
    let packages = sorted_packages(inv);
    match format {
        Format::CycloneDx => cyclonedx::document(inv.distro.as_ref(), &packages, subject, opts),
        Format::Spdx => spdx::document(inv.distro.as_ref(), &packages, subject, opts),
        Format::Json => json::document(inv, &packages, subject, opts),
    }
}

/// Reads an SBOM file (CycloneDX JSON, SPDX JSON or our inventory JSON, whichever tool wrote
/// it) into an inventory: the `sbom:FILE` source.
pub fn load_sbom(path: &Path) -> Result<Inventory, Error> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Error::Io {
        path: name.clone(),
        source: e,
    })?;
    if meta.len() > MAX_SBOM_SIZE {
        return Err(Error::Invalid {
            path: name,
            message: format!(
                "{} bytes is over the SBOM size limit of {MAX_SBOM_SIZE} bytes",
                meta.len()
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| Error::Io {
        path: name.clone(),
        source: e,
    })?;
    read_sbom(&bytes, &name)
}

/// [`load_sbom`] on bytes already in memory; `name` is used in errors.
pub fn read_sbom(bytes: &[u8], name: &str) -> Result<Inventory, Error> {
    if bytes.len() as u64 > MAX_SBOM_SIZE {
        return Err(Error::Invalid {
            path: name.to_string(),
            message: format!("over the SBOM size limit of {MAX_SBOM_SIZE} bytes"),
        });
    }
    read::read(bytes, name)
}

/// Packages in a stable order, whatever order the inventory came in (documents read from other
/// tools are not sorted).
fn sorted_packages(inv: &Inventory) -> Vec<&dockguard_core::Package> {
    let mut v: Vec<&dockguard_core::Package> = inv.packages.iter().collect();
    v.sort_by(|a, b| {
        (a.kind, &a.name, &a.version, &a.purl, &a.locations).cmp(&(
            b.kind,
            &b.name,
            &b.version,
            &b.purl,
            &b.locations,
        ))
    });
    v
}

/// The distribution's display version for documents: `12`, `3.10.4`.
fn distro_version(d: &Distro) -> String {
    d.version_id.clone().unwrap_or_default()
}
