//! Language manifests and lock files from `pkgdb/`.

use dockguard_catalog::{
    catalog_dir, dotnet, java, npm, php, python, ruby, rust, Cataloger, PackageKind,
};
use dockguard_testkit::require_fixture;
use std::path::Path;

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn nv(pkgs: &[dockguard_catalog::Package]) -> Vec<(String, String)> {
    pkgs.iter()
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect()
}

#[test]
fn python_metadata_files() {
    let dir = require_fixture!("pkgdb/python");
    let one = |f: &str| python::parse_metadata(f, &read(&dir.join(f))).unwrap();
    let d = one("trivy/happy-dist/distlib-0.3.1.dist-info/METADATA").unwrap();
    assert_eq!((d.name.as_str(), d.version.as_str()), ("distlib", "0.3.1"));
    assert_eq!(d.licenses, ["Python license"]);
    for (f, name, version) in [
        (
            "trivy/metadata/asyncssh-2.14.2.METADATA",
            "asyncssh",
            "2.14.2",
        ),
        (
            "trivy/metadata/iniconfig-2.0.0.METADATA",
            "iniconfig",
            "2.0.0",
        ),
        ("trivy/metadata/networkx-3.0.METADATA", "networkx", "3.0"),
        ("trivy/metadata/pyphen-0.14.0.METADATA", "pyphen", "0.14.0"),
        (
            "trivy/metadata/setuptools-51.3.3-py3.8.egg-info.PKG-INFO",
            "setuptools",
            "51.3.3",
        ),
        ("trivy/metadata/simple-0.1.0.METADATA", "simple", "0.1.0"),
        ("trivy/metadata/zipp-3.12.1.METADATA", "zipp", "3.12.1"),
        (
            "trivy/metadata/distlib-0.3.1-py3.9.egg-info",
            "distlib",
            "0.3.1",
        ),
        ("syft/Python-2.7.egg-info", "Python", "2.7.13"),
    ] {
        let p = one(f).unwrap_or_else(|| panic!("{f}: no package"));
        assert_eq!(
            (p.name.as_str(), p.version.as_str()),
            (name, version),
            "{f}"
        );
    }
    // Licence from classifiers when the License field is absent or free text.
    let l = one("trivy/metadata/iniconfig-2.0.0.METADATA").unwrap();
    assert_eq!(l.licenses, ["MIT"]);
    assert!(one("syft/site-packages/no-version/no-version-py3.8.egg-info").is_none());
    let ue = one("trivy/metadata/unidecode-egg-info.PKG-INFO").unwrap();
    assert_eq!(ue.name, "Unidecode");
    assert_eq!(python::normalize_name(&ue.name), "unidecode");
    // A directory scan finds the standard layouts by path.
    let inv = catalog_dir(&dir.join("trivy"));
    assert!(inv
        .of_kind(PackageKind::Python)
        .any(|p| p.name == "typing_extensions" && p.purl == "pkg:pypi/typing-extensions@4.4.0"));
}

#[test]
fn npm_lock_files_v1_v2_v3() {
    let dir = require_fixture!("pkgdb/npm/trivy");
    let lock = |f: &str| npm::parse_package_lock(f, &read(&dir.join(f))).unwrap();
    for v in ["v1", "v2", "v3"] {
        let p = lock(&format!("package-lock_{v}.json"));
        assert_eq!(p.len(), 33, "{v}");
        assert!(
            p.iter()
                .any(|p| p.name == "promise" && p.version == "8.3.0"),
            "{v}"
        );
    }
    assert_eq!(lock("package-lock_v3_with_peer.json").len(), 5);
    assert_eq!(lock("package-lock_v3_with_workspace.json").len(), 4);
    assert_eq!(
        lock("package-lock_v3_without_root_deps_field.json").len(),
        2
    );
    assert!(
        lock("package-lock_v3_broken_link.json").is_empty(),
        "links are not registry packages"
    );
    let scoped = dockguard_core::Package::new(PackageKind::Npm, "@types/node", "1.0.0");
    assert_eq!(
        dockguard_catalog::purl::purl(&scoped, None),
        "pkg:npm/%40types/node@1.0.0"
    );
}

#[test]
fn npm_package_json_skips_the_private_app() {
    let c = npm::NpmPackageCataloger;
    let app = br#"{"name":"acme-orders-frontend","version":"1.3.0","private":true}"#;
    assert!(c.parse("app/package.json", app).unwrap().is_empty());
    let dep = br#"{"name":"lodash","version":"4.17.4","license":{"type":"MIT"}}"#;
    let p = c
        .parse("app/node_modules/lodash/package.json", dep)
        .unwrap();
    assert_eq!(p[0].licenses, ["MIT"]);
    assert!(c.parse("app/node_modules/x/package.json", b"{").is_err());
}

#[test]
fn cargo_lock_files() {
    let dir = require_fixture!("pkgdb/cargo/trivy");
    let lock = |f: &str| rust::parse_cargo_lock(f, &read(&dir.join(f)));
    for (f, n) in [
        ("cargo_normal.lock", 8),
        ("cargo_mixed.lock", 8),
        ("cargo_v3.lock", 9),
    ] {
        let p = lock(f).unwrap();
        assert_eq!(p.len(), n, "{f}");
        // Exactly one workspace crate per file, reported but not matchable.
        assert_eq!(
            p.iter().filter(|p| p.unmatchable.is_some()).count(),
            1,
            "{f}"
        );
    }
    assert!(lock("cargo_invalid.lock").is_err());
}

#[test]
fn gemfile_locks() {
    let dir = require_fixture!("pkgdb/ruby/trivy");
    let lock = |f: &str| ruby::parse_gemfile_lock(f, &read(&dir.join(f)));
    assert_eq!(lock("Gemfile_normal.lock").unwrap().len(), 7);
    assert_eq!(lock("Gemfile_bundler2.lock").unwrap().len(), 8);
    assert!(lock("Gemfile_malformed.lock").is_err());
    let spec = b"Gem::Specification.new do |s|\n  s.name = \"rake\".freeze\n  s.version = \"13.0.6\"\n  s.licenses = [\"MIT\".freeze]\nend\n";
    let p = ruby::GemspecCataloger
        .parse(
            "usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec",
            spec,
        )
        .unwrap();
    assert_eq!(nv(&p), [("rake".to_string(), "13.0.6".to_string())]);
    assert_eq!(p[0].licenses, ["MIT"]);
}

#[test]
fn composer_lock_and_installed_json() {
    let f = require_fixture!("pkgdb/php/trivy/composer_happy.lock");
    let p = php::parse_composer("composer.lock", &read(&f)).unwrap();
    assert_eq!(p.len(), 10);
    assert_eq!(
        p.iter().filter(|p| p.metadata.contains_key("dev")).count(),
        2
    );
    assert!(p
        .iter()
        .any(|p| p.name == "guzzlehttp/guzzle" && p.version == "6.5.8"));
    let v1 = br#"[{"name":"a/b","version":"1.0.0","license":["MIT"]}]"#;
    let v2 = br#"{"packages":[{"name":"a/b","version":"1.0.0"}],"dev":true}"#;
    assert_eq!(
        php::parse_composer("vendor/composer/installed.json", v1)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        php::parse_composer("vendor/composer/installed.json", v2)
            .unwrap()
            .len(),
        1
    );
    let guzzle = dockguard_core::Package::new(PackageKind::Composer, "guzzlehttp/guzzle", "7.4.5");
    assert_eq!(
        dockguard_catalog::purl::purl(&guzzle, None),
        "pkg:composer/guzzlehttp/guzzle@7.4.5"
    );
}

#[test]
fn dotnet_deps_json() {
    let dir = require_fixture!("pkgdb/dotnet");
    let deps = |f: &str| dotnet::parse_deps_json(f, &read(&dir.join(f)));
    assert_eq!(
        nv(&deps("trivy/happy.deps.json").unwrap()),
        [("Newtonsoft.Json".to_string(), "13.0.1".to_string())]
    );
    assert_eq!(deps("trivy/no-libraries.deps.json").unwrap().len(), 0);
    assert_eq!(deps("trivy/without-runtime.deps.json").unwrap().len(), 7);
    assert_eq!(deps("syft/TestLibrary.deps.json").unwrap().len(), 12);
    assert!(deps("trivy/invalid.deps.json").is_err());
}

#[test]
fn pom_properties() {
    let dir = require_fixture!("pkgdb/java/syft");
    let inv = catalog_dir(&dir);
    let got: Vec<_> = inv
        .of_kind(PackageKind::JavaArchive)
        .map(|p| (p.name.as_str(), p.version.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("org.apache.directory.api:api-all", "2.0.0"),
            ("org.apache.directory.api:api-asn1-api", "2.0.0"),
            ("org.opensaml:opensaml-core", "3.4.6"),
        ]
    );
    for f in [
        "pom/colon-delimited.pom.properties",
        "pom/colon-delimited-with-equals.pom.properties",
    ] {
        let props = java::parse_properties(&String::from_utf8_lossy(&read(&dir.join(f))));
        let get = |k: &str| {
            props
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        assert!(
            get("groupId").is_some() && get("artifactId").is_some() && get("version").is_some(),
            "{f}: {props:?}"
        );
    }
}
