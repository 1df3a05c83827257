//! Cataloguing a container image in the image reader's single pass.
//!
//! [`CatalogAnalyzer`] is a [`FileAnalyzer`]: the image reader hands it every version of every
//! wanted file while the layers stream past (in parallel, one layer per thread), and it records
//! per file what the catalogers found. No layer is ever read a second time, and the per-file
//! records are what the layer cache keeps, so a rescan of an unchanged layer parses nothing.
//!
//! [`inventory_from_scan`] then decides, from the image's per-path history, which file
//! versions are visible, and follows each package through the versions of its evidence file to
//! find the layer that introduced it and the one that removed it.

use crate::{
    distro, dpkg, normalize, Catalog, CatalogError, Cataloger, Inventory, Mode, Package,
    PackageKind,
};
use dockguard_image::{
    Change, FileAnalyzer, FileContent, FileEntry, FileKind, Image, Interest, Scan, ScanOptions,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Name under which [`CatalogAnalyzer`] outputs appear in a [`Scan`].
pub const ANALYZER_NAME: &str = "packages";

/// Bumped whenever the record for the same file could change shape or content; it keys the
/// layer cache together with the crate version.
const RECORD_VERSION: &str = "1";

/// Release files are a few hundred bytes; more is not a release file.
const MAX_RELEASE_FILE: usize = 64 << 10;

/// Metadata key holding the index of the layer that removed a package (`--scope all-layers`).
pub const DELETED_LAYER: &str = "deleted_in_layer";
/// Metadata key holding the digest of the layer that removed a package.
pub const DELETED_LAYER_DIGEST: &str = "deleted_in_layer_digest";

/// Which packages an image inventory holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// What the final filesystem holds: packages whose evidence is still visible.
    #[default]
    Squashed,
    /// Also packages whose evidence a later layer deleted or replaced; they carry
    /// [`DELETED_LAYER`] and [`DELETED_LAYER_DIGEST`] in their metadata.
    AllLayers,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Squashed => "squashed",
            Scope::AllLayers => "all-layers",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "squashed" => Ok(Scope::Squashed),
            "all-layers" | "all" => Ok(Scope::AllLayers),
            other => Err(format!(
                "unknown scope '{other}' (expected squashed or all-layers)"
            )),
        }
    }
}

/// Globs covering every path some cataloger (of either mode) wants, plus release and copyright
/// files. They may match more than the catalogers want (each file is checked again against
/// the catalogers' own `wants`), never less: a test holds them to that.
const PATTERNS: &[&str] = &[
    "/etc/os-release",
    "/usr/lib/os-release",
    "/etc/alpine-release",
    "/etc/debian_version",
    "/etc/redhat-release",
    "/usr/share/doc/*/copyright",
    "**/var/lib/dpkg/status",
    "**/var/lib/dpkg/status.d/*",
    "**/lib/apk/db/installed",
    "**/*var/lib/rpm/{Packages,Packages.db,rpmdb.sqlite}",
    "**/*usr/lib/sysimage/rpm/{Packages,Packages.db,rpmdb.sqlite}",
    "**/*.dist-info/METADATA",
    "**/*.egg-info/PKG-INFO",
    "**/*.egg-info",
    "**/package.json",
    "**/package-lock.json",
    "**/*.[jJ][aA][rR]",
    "**/*.[wW][aA][rR]",
    "**/*.[eE][aA][rR]",
    "**/*.[jJ][pP][iI]",
    "**/*.[hH][pP][iI]",
    "**/*.[pP][aA][rR]",
    "**/*.[sS][aA][rR]",
    "**/*.[kK][aA][rR]",
    "**/*META-INF/maven/**/pom.properties",
    "**/specifications/*.gemspec",
    "**/Gemfile.lock",
    "**/*vendor/composer/installed.json",
    "**/composer.lock",
    "**/*.deps.json",
    "**/Cargo.lock",
    "**/poetry.lock",
    "**/Pipfile.lock",
    "**/requirements*.txt",
];

/// What the catalogers made of one file version. This is what the layer cache stores.
#[derive(Debug, Default, Serialize, Deserialize)]
struct FileRecord {
    /// Content of a release file, for distribution detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    release: Option<String>,
    /// Licences of a Debian `usr/share/doc/<package>/copyright` file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    packages: Vec<Package>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    problems: Vec<String>,
}

impl FileRecord {
    fn is_empty(&self) -> bool {
        self.release.is_none()
            && self.licenses.is_empty()
            && self.packages.is_empty()
            && self.problems.is_empty()
    }
}

/// The catalogers as one [`FileAnalyzer`]. Register it in a shared [`Image::scan`] and turn the
/// scan into an inventory with [`inventory_from_scan`].
pub struct CatalogAnalyzer {
    catalogers: Vec<Box<dyn Cataloger>>,
    interest: Interest,
    version: String,
}

impl CatalogAnalyzer {
    /// The catalogers of `mode` ([`Mode::Image`] for images; [`Mode::Dir`] adds lock files).
    pub fn new(mode: Mode) -> CatalogAnalyzer {
        let catalogers = crate::catalogers(mode);
        let mut interest = Interest::paths(PATTERNS)
            .expect("the built-in patterns are valid globs")
            .max_size(catalogers.iter().map(|c| c.max_size()).max().unwrap_or(0));
        let mut magics: Vec<&'static [u8]> = Vec::new();
        for m in catalogers.iter().filter_map(|c| c.magic()) {
            if !magics.contains(&m) {
                magics.push(m);
                interest = interest.with_magic(m);
            }
        }
        let names: Vec<&str> = catalogers.iter().map(|c| c.name()).collect();
        CatalogAnalyzer {
            catalogers,
            interest,
            version: format!(
                "{}+{RECORD_VERSION}+{}",
                env!("CARGO_PKG_VERSION"),
                names.join(",")
            ),
        }
    }

    fn record(&self, path: &str, size: u64, content: FileContent<'_>) -> FileRecord {
        let path = normalize(path);
        let data = content.data;
        let mut rec = FileRecord::default();
        if distro::wants(path) {
            rec.release =
                Some(String::from_utf8_lossy(&data[..data.len().min(MAX_RELEASE_FILE)]).into());
        }
        if dpkg::copyright_package(path).is_some() {
            rec.licenses = dpkg::parse_copyright(data);
        }
        for c in &self.catalogers {
            let by_path = c.wants(path);
            let by_magic = c.magic().is_some_and(|m| data.starts_with(m));
            if !by_path && !by_magic {
                continue;
            }
            if content.truncated || size > c.max_size() {
                rec.problems.push(format!(
                    "{size} bytes is over the {} cataloger's limit of {} bytes; not read",
                    c.name(),
                    c.max_size().min(data.len() as u64)
                ));
                continue;
            }
            match c.parse(path, data) {
                Ok(pkgs) => rec.packages.extend(pkgs),
                // A binary picked by magic that carries no build info is not a problem.
                Err(_) if by_magic && !by_path => {}
                Err(e) => rec.problems.push(e.message),
            }
        }
        rec
    }
}

impl FileAnalyzer for CatalogAnalyzer {
    fn name(&self) -> &str {
        ANALYZER_NAME
    }

    fn version(&self) -> &str {
        &self.version
    }

    fn interest(&self) -> &Interest {
        &self.interest
    }

    fn analyze(&self, file: &FileEntry, content: FileContent<'_>) -> Option<serde_json::Value> {
        let rec = self.record(&file.path, file.size, content);
        if rec.is_empty() {
            return None;
        }
        serde_json::to_value(rec).ok()
    }
}

/// Catalogues `image` in one pass over its layers (parallel where the source allows).
pub fn catalog_image(image: &Image, scope: Scope) -> Result<Inventory, dockguard_image::Error> {
    catalog_image_with(image, scope, &ScanOptions::default())
}

/// [`catalog_image`] with scan options (limits, layer cache).
pub fn catalog_image_with(
    image: &Image,
    scope: Scope,
    opts: &ScanOptions,
) -> Result<Inventory, dockguard_image::Error> {
    let mode = if image.format == dockguard_image::SourceFormat::Dir {
        Mode::Dir
    } else {
        Mode::Image
    };
    let analyzer = CatalogAnalyzer::new(mode);
    let scan = image.scan(&[&analyzer], opts)?;
    Ok(inventory_from_scan(&scan, scope))
}

/// One package as it lived in the versions of one evidence file.
struct Life {
    package: Package,
    introduced: usize,
    deleted: Option<usize>,
}

/// What identifies "the same package" across versions of one file.
fn identity(p: &Package) -> (PackageKind, &str, &str, Option<&str>) {
    (p.kind, &p.name, &p.version, p.arch.as_deref())
}

/// Follows every package through the versions of one path. `versions` holds the record of each
/// layer that wrote the path (a layer without a record wrote a version with no packages).
fn lives(
    history: &[dockguard_image::PathEvent],
    versions: &BTreeMap<usize, FileRecord>,
) -> Vec<Life> {
    let mut out = Vec::new();
    let mut present: Vec<Life> = Vec::new();
    for ev in history {
        let layer = ev.layer_index;
        match ev.change {
            Change::Added | Change::Changed => {
                let mut next: Vec<Life> = Vec::new();
                for p in versions
                    .get(&layer)
                    .map(|r| r.packages.as_slice())
                    .unwrap_or(&[])
                {
                    let introduced = present
                        .iter()
                        .find(|l| identity(&l.package) == identity(p))
                        .map(|l| l.introduced)
                        .unwrap_or(layer);
                    next.push(Life {
                        package: p.clone(),
                        introduced,
                        deleted: None,
                    });
                }
                for mut gone in present.drain(..) {
                    if !next
                        .iter()
                        .any(|l| identity(&l.package) == identity(&gone.package))
                    {
                        gone.deleted = Some(layer);
                        out.push(gone);
                    }
                }
                present = next;
            }
            Change::Deleted => {
                for mut gone in present.drain(..) {
                    gone.deleted = Some(layer);
                    out.push(gone);
                }
            }
        }
    }
    out.extend(present);
    out
}

/// Builds the inventory from a scan that included a [`CatalogAnalyzer`].
///
/// Every package location carries the index and blob digest of the layer that introduced the
/// package: the first layer of the unbroken run of file versions that list it (a package that
/// a later `apt-get install` rewrote `/var/lib/dpkg/status` around keeps its original layer).
pub fn inventory_from_scan(scan: &Scan, scope: Scope) -> Inventory {
    let digest = |i: usize| {
        scan.layers
            .get(i)
            .and_then(|l| l.digest.as_ref().or(l.diff_id.as_ref()))
            .map(|d| d.to_string())
    };
    let mut by_path: BTreeMap<&str, BTreeMap<usize, FileRecord>> = BTreeMap::new();
    let mut problems = Vec::new();
    for out in scan.outputs(ANALYZER_NAME) {
        match serde_json::from_value::<FileRecord>(out.value.clone()) {
            // A path written twice in one layer: the later entry is what extraction keeps.
            Ok(rec) => {
                by_path
                    .entry(out.path.as_str())
                    .or_default()
                    .insert(out.layer_index, rec);
            }
            Err(e) => problems.push(CatalogError::new(
                &out.path,
                format!("unreadable cached catalog record: {e}"),
            )),
        }
    }
    let mut catalog = Catalog::with_catalogers(Vec::new());
    catalog.problems = problems;
    // Removed packages are finished on their own so that merging duplicates never folds a
    // removed copy into a visible one (or the other way round).
    let mut removed: Vec<Package> = Vec::new();
    for (path, versions) in &by_path {
        let visible = scan
            .fs
            .get(path)
            .filter(|e| e.kind == FileKind::Regular)
            .map(|e| e.layer_index);
        if let Some(rec) = visible.and_then(|l| versions.get(&l)) {
            if let Some(text) = &rec.release {
                catalog
                    .distro_files
                    .push((normalize(path).to_string(), text.clone().into_bytes()));
            }
            if let Some(pkg) = dpkg::copyright_package(normalize(path)) {
                if !rec.licenses.is_empty() {
                    catalog
                        .deb_licenses
                        .insert(pkg.to_string(), rec.licenses.clone());
                }
            }
        }
        for (&layer, rec) in versions {
            if scope == Scope::AllLayers || Some(layer) == visible {
                for m in &rec.problems {
                    catalog.problems.push(CatalogError::new(path, m.clone()));
                }
            }
        }
        let mut history = scan.fs.history(path);
        if history.is_empty() {
            // Not in the file index (should not happen): treat each version as added in turn.
            history = versions
                .keys()
                .map(|&l| dockguard_image::PathEvent {
                    layer_index: l,
                    change: Change::Added,
                })
                .collect();
        }
        for life in lives(&history, versions) {
            if life.deleted.is_some() && scope == Scope::Squashed {
                continue;
            }
            let mut p = life.package;
            for loc in &mut p.locations {
                loc.layer_index = u32::try_from(life.introduced).ok();
                loc.layer_digest = digest(life.introduced);
            }
            match life.deleted {
                Some(d) => {
                    p.metadata.insert(DELETED_LAYER.into(), d.to_string());
                    if let Some(dg) = digest(d) {
                        p.metadata.insert(DELETED_LAYER_DIGEST.into(), dg);
                    }
                    removed.push(p);
                }
                None => catalog.packages.push(p),
            }
        }
    }
    if removed.is_empty() {
        return catalog.finish();
    }
    let mut gone = Catalog::with_catalogers(Vec::new());
    gone.distro_files = catalog.distro_files.clone();
    gone.deb_licenses = catalog.deb_licenses.clone();
    gone.packages = removed;
    let mut inv = catalog.finish();
    inv.packages.extend(gone.finish().packages);
    inv.packages.sort_by(|a, b| {
        (
            a.kind,
            &a.name,
            &a.version,
            &a.purl,
            &a.locations,
            &a.metadata,
        )
            .cmp(&(
                b.kind,
                &b.name,
                &b.version,
                &b.purl,
                &b.locations,
                &b.metadata,
            ))
    });
    inv
}

#[cfg(test)]
mod tests {
    use super::*;
    use dockguard_image::PathEvent;

    fn pkg(name: &str, version: &str) -> Package {
        let mut p = Package::new(PackageKind::Deb, name, version);
        p.locations.push(crate::location("var/lib/dpkg/status"));
        p
    }

    fn rec(pkgs: &[(&str, &str)]) -> FileRecord {
        FileRecord {
            packages: pkgs.iter().map(|(n, v)| pkg(n, v)).collect(),
            ..FileRecord::default()
        }
    }

    fn ev(layer_index: usize, change: Change) -> PathEvent {
        PathEvent {
            layer_index,
            change,
        }
    }

    #[test]
    fn packages_keep_the_layer_that_introduced_them() {
        let versions = BTreeMap::from([
            (0, rec(&[("a", "1"), ("b", "1")])),
            (2, rec(&[("a", "1"), ("b", "2"), ("c", "1")])),
            (4, rec(&[("a", "1"), ("c", "1")])),
        ]);
        let history = [
            ev(0, Change::Added),
            ev(2, Change::Changed),
            ev(4, Change::Changed),
        ];
        let mut got: Vec<_> = lives(&history, &versions)
            .into_iter()
            .map(|l| (l.package.name, l.package.version, l.introduced, l.deleted))
            .collect();
        got.sort();
        let s = |x: &str| x.to_string();
        assert_eq!(
            got,
            [
                (s("a"), s("1"), 0, None),
                (s("b"), s("1"), 0, Some(2)),
                (s("b"), s("2"), 2, Some(4)),
                (s("c"), s("1"), 2, None),
            ]
        );
    }

    #[test]
    fn deletion_and_readding_starts_a_new_life() {
        let versions = BTreeMap::from([(0, rec(&[("a", "1")])), (3, rec(&[("a", "1")]))]);
        let history = [
            ev(0, Change::Added),
            ev(1, Change::Deleted),
            ev(3, Change::Added),
        ];
        let got: Vec<_> = lives(&history, &versions)
            .into_iter()
            .map(|l| (l.introduced, l.deleted))
            .collect();
        assert_eq!(got, [(0, Some(1)), (3, None)]);
    }

    #[test]
    fn scope_parses() {
        assert_eq!("squashed".parse::<Scope>().unwrap(), Scope::Squashed);
        assert_eq!("all-layers".parse::<Scope>().unwrap(), Scope::AllLayers);
        assert!("everything".parse::<Scope>().is_err());
        assert_eq!(Scope::default().to_string(), "squashed");
    }

    /// The interest globs must cover every path any cataloger wants, or files would never
    /// reach the catalogers.
    #[test]
    fn patterns_cover_every_wanted_path() {
        let mut b = globset::GlobSetBuilder::new();
        for p in PATTERNS {
            b.add(
                globset::GlobBuilder::new(p.trim_start_matches('/'))
                    .literal_separator(true)
                    .build()
                    .unwrap(),
            );
        }
        let globs = b.build().unwrap();
        let catalog = Catalog::new(Mode::Dir);
        let samples = [
            "etc/os-release",
            "usr/lib/os-release",
            "etc/alpine-release",
            "etc/debian_version",
            "etc/redhat-release",
            "usr/share/doc/bash/copyright",
            "var/lib/dpkg/status",
            "var/lib/dpkg/status.d/libc6",
            "lib/apk/db/installed",
            "var/lib/rpm/Packages",
            "var/lib/rpm/Packages.db",
            "usr/lib/sysimage/rpm/rpmdb.sqlite",
            "usr/lib/python3/dist-packages/Jinja2-2.10.dist-info/METADATA",
            "usr/lib/python3/dist-packages/six.egg-info/PKG-INFO",
            "usr/lib/python3/dist-packages/six-1.0.egg-info",
            "app/node_modules/express/package.json",
            "package.json",
            "app/package-lock.json",
            "usr/share/java/guava.jar",
            "opt/app/App.WAR",
            "opt/x.ear",
            "opt/x.jpi",
            "opt/x.hpi",
            "opt/x.par",
            "opt/x.sar",
            "opt/x.kar",
            "opt/classes/META-INF/maven/g/a/pom.properties",
            "usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.gemspec",
            "app/Gemfile.lock",
            "app/vendor/composer/installed.json",
            "app/composer.lock",
            "app/App.deps.json",
            "src/Cargo.lock",
            "app/poetry.lock",
            "app/Pipfile.lock",
            "app/requirements-dev.txt",
            "requirements.txt",
        ];
        for s in samples {
            assert!(
                catalog.wants(s),
                "sample {s} is not wanted by any cataloger"
            );
            assert!(globs.is_match(s), "no interest pattern matches {s}");
        }
    }
}

/// Against the image fixtures: syft's inventory (`expected/<image>.packages.tsv`) and the
/// independent one. Every difference from syft must be one of those listed, with its reason,
/// in `docs/sbom-differences.md`.
#[cfg(test)]
mod fixture_tests {
    use super::*;
    use dockguard_image::{open, OpenOptions};
    use std::collections::BTreeSet;
    use std::path::Path;

    fn catalog(path: &Path, scope: Scope) -> Inventory {
        let image = open(&path.display().to_string(), &OpenOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        catalog_image(&image, scope).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn syft_purls(image: &str) -> Option<BTreeSet<String>> {
        let f = dockguard_testkit::fixture(&format!("expected/{image}.packages.tsv"))?;
        let text = std::fs::read_to_string(f).unwrap();
        Some(
            text.lines()
                .skip(1)
                .filter_map(|l| l.split('\t').nth(3))
                .map(str::to_string)
                .collect(),
        )
    }

    /// `(only syft, only us)` by purl.
    fn diff(image: &str, inv: &Inventory) -> (Vec<String>, Vec<String>) {
        let Some(theirs) = syft_purls(image) else {
            return (vec![], vec![]);
        };
        let ours: BTreeSet<String> = inv.packages.iter().map(|p| p.purl.clone()).collect();
        (
            theirs.difference(&ours).cloned().collect(),
            ours.difference(&theirs).cloned().collect(),
        )
    }

    #[test]
    fn debian12_app_equals_syft_but_for_the_documented_differences() {
        let path = dockguard_testkit::require_fixture!("images/debian12-app");
        let inv = catalog(&path, Scope::Squashed);
        let (only_syft, only_us) = diff("debian12-app", &inv);
        insta::assert_yaml_snapshot!("debian12_app_vs_syft", (only_syft, only_us));
        assert_eq!(inv.packages.len(), 219);
        assert!(inv.problems.is_empty(), "{:#?}", inv.problems);
        // Every package knows where it was found and which layer brought it.
        for p in &inv.packages {
            assert!(!p.purl.is_empty(), "{} has no purl", p.name);
            assert!(!p.locations.is_empty(), "{} has no location", p.name);
            for l in &p.locations {
                assert!(l.path.is_some() && l.layer_index.is_some() && l.layer_digest.is_some());
            }
        }
        let layer_of = |name: &str| {
            let p = inv.packages.iter().find(|p| p.name == name).unwrap();
            p.locations[0].layer_index.unwrap()
        };
        // base-files comes with the base layer; the pip, npm and binary layers come later.
        assert_eq!(layer_of("base-files"), 0);
        assert!(layer_of("Django") > 0);
        assert!(layer_of("express") > 0);
    }

    #[test]
    fn all_layers_scope_keeps_what_later_layers_removed() {
        let path = dockguard_testkit::require_fixture!("images/debian12-app");
        let squashed = catalog(&path, Scope::Squashed);
        let all = catalog(&path, Scope::AllLayers);
        let deleted: Vec<_> = all
            .packages
            .iter()
            .filter(|p| p.metadata.contains_key(DELETED_LAYER))
            .collect();
        assert_eq!(all.packages.len(), squashed.packages.len() + deleted.len());
        for p in deleted {
            assert!(p.metadata.contains_key(DELETED_LAYER_DIGEST), "{}", p.name);
        }
    }

    #[test]
    fn static_and_alpine_images_equal_syft() {
        for (fixture, expected) in [
            ("images/static-nonroot", "static-nonroot"),
            ("images/static-nonroot-zstd", "static-nonroot"),
            ("images/static-nonroot.docker-archive.tar", "static-nonroot"),
            ("images/multiarch-index", "static-nonroot"),
            (
                "images/alpine-3.10.4.docker-archive.tar.gz",
                "alpine-3.10.4",
            ),
            (
                "images/alpine-3.11.5.docker-archive.tar.gz",
                "alpine-3.11.5",
            ),
        ] {
            let path = dockguard_testkit::require_fixture!(fixture);
            let inv = catalog(&path, Scope::Squashed);
            assert!(!inv.packages.is_empty(), "{fixture}");
            let (only_syft, only_us) = diff(expected, &inv);
            assert!(
                only_syft.is_empty() && only_us.is_empty(),
                "{fixture}: only syft {only_syft:?}, only us {only_us:?}"
            );
        }
    }
}

/// The image reader's own test support writes small OCI layouts with whiteouts.
#[cfg(test)]
#[path = "../../dockguard-image/tests/support/mod.rs"]
mod image_support;

#[cfg(test)]
mod layered_tests {
    use super::image_support::{write_layout, Layer, Tamper, TarItem};
    use super::*;

    fn status(pkgs: &[(&str, &str)]) -> String {
        pkgs.iter()
            .map(|(n, v)| {
                format!(
                    "Package: {n}\nStatus: install ok installed\nVersion: {v}\nArchitecture: amd64\n\n"
                )
            })
            .collect()
    }

    fn npm(name: &str) -> String {
        format!(r#"{{"name": "{name}", "version": "1.0.0"}}"#)
    }

    fn image() -> (tempfile::TempDir, Image) {
        let dir = tempfile::tempdir().unwrap();
        let base = Layer::gzip(&[
            TarItem::file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
            TarItem::file("var/lib/dpkg/status", status(&[("x", "1.0"), ("y", "2.0")])),
            TarItem::file("app/node_modules/a/package.json", npm("a")),
            TarItem::file("app/node_modules/b/package.json", npm("b")),
            TarItem::file("opt/node_modules/a/package.json", npm("a")),
        ]);
        let upper = Layer::gzip(&[
            TarItem::file("var/lib/dpkg/status", status(&[("x", "1.0"), ("z", "3.0")])),
            TarItem::file("app/node_modules/.wh.a", ""),
            TarItem::file("app/node_modules/.wh.b", ""),
        ]);
        let layout = write_layout(dir.path(), &[base, upper], &Tamper::default());
        let image = dockguard_image::open(
            &format!("oci-dir:{}", layout.display()),
            &dockguard_image::OpenOptions::default(),
        )
        .unwrap();
        (dir, image)
    }

    fn summary(inv: &Inventory) -> Vec<String> {
        inv.packages
            .iter()
            .map(|p| {
                let l = &p.locations;
                format!(
                    "{} {} at {:?} from layer {:?}, deleted in {:?}",
                    p.name,
                    p.version,
                    l.iter()
                        .filter_map(|l| l.path.as_deref())
                        .collect::<Vec<_>>(),
                    l[0].layer_index,
                    p.metadata.get(DELETED_LAYER)
                )
            })
            .collect()
    }

    #[test]
    fn scopes_and_layers_follow_the_path_history() {
        let (_dir, image) = image();
        let squashed = catalog_image(&image, Scope::Squashed).unwrap();
        assert_eq!(squashed.distro.as_ref().unwrap().id, "debian");
        assert_eq!(
            summary(&squashed),
            [
                "x 1.0 at [\"/var/lib/dpkg/status\"] from layer Some(0), deleted in None",
                "z 3.0 at [\"/var/lib/dpkg/status\"] from layer Some(1), deleted in None",
                "a 1.0.0 at [\"/opt/node_modules/a/package.json\"] from layer Some(0), deleted in None",
            ]
        );
        assert!(squashed.packages[0].purl.contains("distro=debian-12"));
        let all = catalog_image(&image, Scope::AllLayers).unwrap();
        assert_eq!(
            summary(&all),
            [
                "x 1.0 at [\"/var/lib/dpkg/status\"] from layer Some(0), deleted in None",
                "y 2.0 at [\"/var/lib/dpkg/status\"] from layer Some(0), deleted in Some(\"1\")",
                "z 3.0 at [\"/var/lib/dpkg/status\"] from layer Some(1), deleted in None",
                "a 1.0.0 at [\"/app/node_modules/a/package.json\"] from layer Some(0), deleted in Some(\"1\")",
                "a 1.0.0 at [\"/opt/node_modules/a/package.json\"] from layer Some(0), deleted in None",
                "b 1.0.0 at [\"/app/node_modules/b/package.json\"] from layer Some(0), deleted in Some(\"1\")",
            ]
        );
        let y = all.packages.iter().find(|p| p.name == "y").unwrap();
        assert!(y.metadata[DELETED_LAYER_DIGEST].starts_with("sha256:"));
    }
}
