//! Package catalogers for dockguard: from the files of an image or directory to the list of
//! installed packages (an [`Inventory`]).
//!
//! This crate owns OS detection ([`Distro`]), the OS package database readers (dpkg, apk, and
//! rpm in all three database formats with our own Berkeley DB hash, NDB and header-blob
//! readers), the language catalogers (Python, npm, Go and Rust binaries, Java archives, Ruby,
//! PHP, .NET) and package URLs. It does not read images: every [`Cataloger`] is a pure function
//! from `(path, bytes)` to packages, so the same code serves image layers (through the image
//! reader's single-pass file API, fed into a [`Catalog`]) and the `dir:` source
//! ([`catalog_dir`]).
//!
//! Everything read here is untrusted. Parsers never panic, bound every size they read from the
//! input, and report failures as [`CatalogError`]s that name the file and what is wrong; one bad
//! file never stops the others from being catalogued.

use dockguard_core::Location;
use serde::Serialize;
use std::collections::BTreeMap;

pub mod apk;
mod dir;
pub mod distro;
pub mod dotnet;
pub mod dpkg;
pub mod golang;
pub mod image;
pub mod java;
pub mod npm;
pub mod php;
pub mod purl;
pub mod python;
pub mod rpm;
pub mod ruby;
pub mod rust;
mod text;

pub use dir::{catalog_dir, catalog_dir_with, DirOptions};
pub use distro::Distro;
pub use dockguard_core::{Package, PackageKind};

/// Largest file a cataloger reads unless it says otherwise. Package databases and manifests of
/// real systems are far below this; anything larger is refused rather than loaded.
pub const DEFAULT_MAX_SIZE: u64 = 64 << 20;

/// A file that could not be catalogued: which file, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{path}: {message}")]
pub struct CatalogError {
    pub path: String,
    pub message: String,
}

impl CatalogError {
    pub fn new(path: &str, message: impl Into<String>) -> Self {
        CatalogError {
            path: display_path(path),
            message: message.into(),
        }
    }
}

/// One kind of package source. Implementations never touch the filesystem: they are handed a
/// path (relative to the image or directory root, without a leading `/`) and its bytes.
pub trait Cataloger: Send + Sync {
    /// Stable short name, used in error reports.
    fn name(&self) -> &'static str;
    /// Whether this cataloger wants the file at `path` (decided on the path alone).
    fn wants(&self, path: &str) -> bool;
    /// Files starting with these bytes are wanted whatever their path (binaries).
    fn magic(&self) -> Option<&'static [u8]> {
        None
    }
    /// Files larger than this are not read; the caller reports them instead.
    fn max_size(&self) -> u64 {
        DEFAULT_MAX_SIZE
    }
    /// Packages declared by one file. Locations are filled in by the parser.
    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError>;
}

/// Which catalogers run. Lock files describe what *would* be installed, so an image scan
/// (where the installed files are there to read) leaves them out, as syft and trivy do; a
/// `dir:` scan of a source checkout includes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Image,
    Dir,
}

/// Every cataloger for `mode`.
pub fn catalogers(mode: Mode) -> Vec<Box<dyn Cataloger>> {
    let mut all: Vec<Box<dyn Cataloger>> = vec![
        Box::new(dpkg::DpkgCataloger),
        Box::new(apk::ApkCataloger),
        Box::new(rpm::RpmCataloger),
        Box::new(python::PythonCataloger),
        Box::new(npm::NpmPackageCataloger),
        Box::new(golang::GoBinaryCataloger),
        Box::new(rust::AuditableCataloger),
        Box::new(java::JavaCataloger),
        Box::new(ruby::GemspecCataloger),
        Box::new(php::InstalledJsonCataloger),
        Box::new(dotnet::DepsJsonCataloger),
    ];
    if mode == Mode::Dir {
        all.push(Box::new(npm::PackageLockCataloger));
        all.push(Box::new(rust::CargoLockCataloger));
        all.push(Box::new(ruby::GemfileLockCataloger));
        all.push(Box::new(php::ComposerLockCataloger));
        all.push(Box::new(python::PythonLockCataloger));
    }
    all
}

/// The packages and distribution found in one image or directory.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Inventory {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distro: Option<Distro>,
    pub packages: Vec<Package>,
    /// Files that were wanted but could not be read or parsed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<CatalogError>,
}

impl Inventory {
    /// Packages of one kind, in inventory order.
    pub fn of_kind(&self, kind: PackageKind) -> impl Iterator<Item = &Package> {
        self.packages.iter().filter(move |p| p.kind == kind)
    }
}

/// A cataloguing session: feed it files (in any order, e.g. as an image reader streams them)
/// and [`finish`](Catalog::finish) it. It adds what needs more than one file: the distribution
/// (for purls), Debian copyright licences, and merging of duplicates.
pub struct Catalog {
    catalogers: Vec<Box<dyn Cataloger>>,
    distro_files: Vec<(String, Vec<u8>)>,
    /// Licences from `usr/share/doc/<package>/copyright`, by binary package name.
    deb_licenses: BTreeMap<String, Vec<String>>,
    packages: Vec<Package>,
    problems: Vec<CatalogError>,
}

impl Catalog {
    pub fn new(mode: Mode) -> Self {
        Catalog::with_catalogers(catalogers(mode))
    }

    pub fn with_catalogers(catalogers: Vec<Box<dyn Cataloger>>) -> Self {
        Catalog {
            catalogers,
            distro_files: Vec::new(),
            deb_licenses: BTreeMap::new(),
            packages: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Whether any part of the session wants `path` (by path; see also [`Catalog::magics`]).
    pub fn wants(&self, path: &str) -> bool {
        let path = normalize(path);
        distro::wants(path)
            || dpkg::copyright_package(path).is_some()
            || self.catalogers.iter().any(|c| c.wants(path))
    }

    /// Content prefixes that make a file wanted whatever its path.
    pub fn magics(&self) -> Vec<&'static [u8]> {
        let mut out: Vec<&'static [u8]> = Vec::new();
        for m in self.catalogers.iter().filter_map(|c| c.magic()) {
            if !out.contains(&m) {
                out.push(m);
            }
        }
        out
    }

    /// Largest size any interested cataloger accepts for `path` (0 when none wants it by path).
    pub fn max_size(&self, path: &str) -> u64 {
        let path = normalize(path);
        let mut max = 0;
        if distro::wants(path) || dpkg::copyright_package(path).is_some() {
            max = 1 << 20;
        }
        for c in &self.catalogers {
            if c.wants(path) {
                max = max.max(c.max_size());
            }
        }
        max
    }

    /// Largest size accepted for a file wanted because of its content prefix.
    pub fn max_magic_size(&self) -> u64 {
        self.catalogers
            .iter()
            .filter(|c| c.magic().is_some())
            .map(|c| c.max_size())
            .max()
            .unwrap_or(0)
    }

    /// Records that a wanted file was too large to read.
    pub fn too_large(&mut self, path: &str, size: u64) {
        self.problems.push(CatalogError::new(
            normalize(path),
            format!("{size} bytes is over the size limit for package metadata; not read"),
        ));
    }

    /// Hands one file to every part of the session that wants it.
    pub fn add_file(&mut self, path: &str, content: &[u8]) {
        let path = normalize(path);
        if distro::wants(path) {
            self.distro_files.push((path.to_string(), content.to_vec()));
        }
        if let Some(pkg) = dpkg::copyright_package(path) {
            let licenses = dpkg::parse_copyright(content);
            if !licenses.is_empty() {
                self.deb_licenses.insert(pkg.to_string(), licenses);
            }
        }
        for c in &self.catalogers {
            let by_path = c.wants(path);
            let by_magic = c.magic().is_some_and(|m| content.starts_with(m));
            if !by_path && !by_magic {
                continue;
            }
            if content.len() as u64 > c.max_size() {
                self.problems.push(CatalogError::new(
                    path,
                    format!(
                        "{} bytes is over the {} cataloger's limit of {} bytes; not read",
                        content.len(),
                        c.name(),
                        c.max_size()
                    ),
                ));
                continue;
            }
            match c.parse(path, content) {
                Ok(pkgs) => self.packages.extend(pkgs),
                // A binary picked by magic that carries no build info is not a problem.
                Err(_) if by_magic && !by_path => {}
                Err(e) => self.problems.push(e),
            }
        }
    }

    /// Detects the distribution, completes purls and licences, merges duplicates and sorts.
    pub fn finish(self) -> Inventory {
        let files: Vec<(&str, &[u8])> = self
            .distro_files
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_slice()))
            .collect();
        let distro = Distro::detect(&files);
        let mut packages = self.packages;
        for p in &mut packages {
            if p.kind == PackageKind::Deb && p.licenses.is_empty() {
                if let Some(l) = self.deb_licenses.get(&p.name) {
                    p.licenses = l.clone();
                }
            }
            p.purl = purl::purl(p, distro.as_ref());
        }
        packages.sort_by(|a, b| {
            (a.kind, &a.name, &a.version, &a.purl, &a.locations).cmp(&(
                b.kind,
                &b.name,
                &b.version,
                &b.purl,
                &b.locations,
            ))
        });
        let mut merged: Vec<Package> = Vec::with_capacity(packages.len());
        for p in packages {
            if let Some(last) = merged.last_mut() {
                // The same package recorded twice (e.g. a jar copied to two paths) is one
                // package found in two places; OS packages never collide like this.
                if last.kind == p.kind
                    && last.name == p.name
                    && last.version == p.version
                    && last.purl == p.purl
                    && !p.kind.is_os()
                {
                    for loc in p.locations {
                        if !last.locations.contains(&loc) {
                            last.locations.push(loc);
                        }
                    }
                    continue;
                }
            }
            merged.push(p);
        }
        let mut problems = self.problems;
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        Inventory {
            distro,
            packages: merged,
            problems,
        }
    }
}

/// Path as catalogers see it: relative to the root, no leading `/` or `./`.
pub fn normalize(path: &str) -> &str {
    let mut p = path;
    loop {
        if let Some(rest) = p.strip_prefix('/') {
            p = rest;
        } else if let Some(rest) = p.strip_prefix("./") {
            p = rest;
        } else {
            return p;
        }
    }
}

/// Path as reported in locations and errors: absolute inside the image or directory.
pub fn display_path(path: &str) -> String {
    format!("/{}", normalize(path))
}

/// The location of a package found in the file at `path`.
pub fn location(path: &str) -> Location {
    Location::file(display_path(path))
}

/// The last component of a path.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The directory part of a path (empty for a bare name).
pub(crate) fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..i],
        None => "",
    }
}

/// Whether `path` is exactly `suffix` or ends with `/suffix`.
pub(crate) fn path_is(path: &str, suffix: &str) -> bool {
    path == suffix
        || (path.len() > suffix.len()
            && path.ends_with(suffix)
            && path.as_bytes()[path.len() - suffix.len() - 1] == b'/')
}
