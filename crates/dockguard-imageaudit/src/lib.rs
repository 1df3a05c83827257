//! Image configuration and content checks for dockguard (`--scanners config`).
//!
//! This crate owns the Dockle/CIS-DI style checks on an image: the runtime config (root user,
//! HEALTHCHECK, secret-looking ENV names, ports, volumes, `latest`), the build history
//! (`update` alone, `dist-upgrade`, ADD, secret-looking build arguments), the accounts
//! (empty passwords, duplicate UIDs/GIDs), the files of the final image (setuid/setgid,
//! file capabilities, world-writable files and directories, sudo, package caches, credential
//! and VCS files, including credential files a later layer deleted), the attack surface
//! (shells, package managers, downloaders, network tools, compilers, debuggers) and the
//! capabilities the image's files imply beyond `--cap-drop=ALL`.
//!
//! Every finding is `kind: config` with an id `DGI1xx`, a remediation, and references to the
//! ids of the same check in CIS Docker Benchmark, Dockle, hadolint and Trivy. The catalogue is
//! [`rules::ALL`] and `docs/image-checks.md`.
//!
//! The checks read file metadata from the image's single pass; only a few small files need
//! content, which [`AuditAnalyzer`] collects. To share that pass with the catalogers and the
//! secret scanner, register the analyzer with [`dockguard_image::Image::scan`] and call
//! [`findings_from_scan`].
//!
//! ```no_run
//! use dockguard_imageaudit::{audit_image, ImageAuditOptions};
//! let image = dockguard_image::open("oci-dir:images/app:1.0", &Default::default())?;
//! for f in audit_image(&image, &ImageAuditOptions::default())? {
//!     println!("{} {} {}", f.id, f.severity, f.message);
//! }
//! # Ok::<(), dockguard_imageaudit::Error>(())
//! ```

mod analyzer;
mod checks;
mod facts;
pub mod rules;
mod surface;

pub use analyzer::{AuditAnalyzer, ANALYZER_NAME};
pub use facts::{ConfigFacts, ModeFact};

use dockguard_core::Finding;
use dockguard_image::{Image, Scan, ScanOptions};
use std::collections::BTreeSet;

/// Why an audit could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Image(#[from] dockguard_image::Error),
}

/// How to audit.
#[derive(Debug, Clone, Default)]
pub struct ImageAuditOptions {
    /// How the layers are read (limits, layer cache).
    pub scan: ScanOptions,
    /// Check ids (`DGI130`) whose findings are dropped.
    pub skip: BTreeSet<String>,
}

/// Reads the image once and runs every check.
pub fn audit_image(image: &Image, opts: &ImageAuditOptions) -> Result<Vec<Finding>, Error> {
    let analyzer = AuditAnalyzer::new();
    let scan = image.scan(&[&analyzer], &opts.scan)?;
    let mut findings = findings_from_scan(image, &scan);
    findings.retain(|f| !opts.skip.contains(&f.id));
    Ok(findings)
}

/// Runs every check on a finished scan. The scan must have included an [`AuditAnalyzer`]
/// for the account checks; without it they are silently skipped.
pub fn findings_from_scan(image: &Image, scan: &Scan) -> Vec<Finding> {
    let ctx = checks::Ctx::new(image, scan);
    let mut out = checks::run_all(&ctx);
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

/// The security-relevant facts of the image (user, ports, env names, healthcheck,
/// entrypoint/cmd, labels, shells and package managers, setuid/setgid and world-writable
/// files), as data. Like [`findings_from_scan`], it wants a scan that included an
/// [`AuditAnalyzer`] (to resolve a named USER).
pub fn config_facts(image: &Image, scan: &Scan) -> ConfigFacts {
    facts::collect(&checks::Ctx::new(image, scan))
}

#[cfg(test)]
mod tests;
