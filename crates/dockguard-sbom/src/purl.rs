//! Reading package URLs back into packages: the common ground of every SBOM producer.

use dockguard_core::{Package, PackageKind};
use std::collections::BTreeMap;

/// A parsed purl, components percent-decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purl {
    pub ty: String,
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
    pub qualifiers: BTreeMap<String, String>,
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Purl {
    /// Parses `pkg:type/namespace/name@version?qualifiers#subpath`; `None` when it is not a purl.
    pub fn parse(s: &str) -> Option<Purl> {
        let rest = s.trim().strip_prefix("pkg:")?;
        let rest = rest.trim_start_matches('/');
        let rest = rest.split_once('#').map(|(a, _)| a).unwrap_or(rest);
        let (rest, query) = match rest.split_once('?') {
            Some((a, q)) => (a, Some(q)),
            None => (rest, None),
        };
        let (ty, path) = rest.split_once('/')?;
        if ty.is_empty()
            || !ty
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".+-".contains(c))
        {
            return None;
        }
        // '@' before the version is the last one: npm scopes are percent-encoded (%40).
        let (path, version) = match path.rsplit_once('@') {
            Some((p, v)) => (p, Some(decode(v))),
            None => (path, None),
        };
        let path = path.trim_end_matches('/');
        let (namespace, name) = match path.rsplit_once('/') {
            Some((ns, n)) => {
                let ns: Vec<String> = ns
                    .split('/')
                    .filter(|x| !x.is_empty())
                    .map(decode)
                    .collect();
                ((!ns.is_empty()).then(|| ns.join("/")), decode(n))
            }
            None => (None, decode(path)),
        };
        if name.is_empty() {
            return None;
        }
        let mut qualifiers = BTreeMap::new();
        for kv in query.unwrap_or("").split('&').filter(|x| !x.is_empty()) {
            if let Some((k, v)) = kv.split_once('=') {
                qualifiers.insert(k.to_ascii_lowercase(), decode(v));
            }
        }
        Some(Purl {
            ty: ty.to_ascii_lowercase(),
            namespace,
            name,
            version: version.filter(|v| !v.is_empty()),
            qualifiers,
        })
    }

    fn qualifier(&self, k: &str) -> Option<&str> {
        self.qualifiers
            .get(k)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// A package from its purl alone, in dockguard's conventions (Maven `group:artifact`, Go
/// `stdlib` without the `go` prefix, OS source packages from `upstream=`). `None` for purl
/// types dockguard does not catalogue. The purl is kept verbatim.
pub fn package_from_purl(purl: &str) -> Option<Package> {
    let p = Purl::parse(purl)?;
    let version = p.version.clone().unwrap_or_default();
    let ns_name = || match &p.namespace {
        Some(ns) => format!("{ns}/{}", p.name),
        None => p.name.clone(),
    };
    let kind = match p.ty.as_str() {
        "deb" => PackageKind::Deb,
        "apk" => PackageKind::Apk,
        "rpm" => PackageKind::Rpm,
        "pypi" => PackageKind::Python,
        "npm" => PackageKind::Npm,
        "golang" if p.namespace.is_none() && p.name == "stdlib" => PackageKind::GoStdlib,
        "golang" => PackageKind::GoModule,
        "cargo" => PackageKind::RustCrate,
        "maven" => PackageKind::JavaArchive,
        "gem" => PackageKind::Gem,
        "composer" => PackageKind::Composer,
        "nuget" => PackageKind::Nuget,
        _ => return None,
    };
    let name = match kind {
        PackageKind::Npm | PackageKind::GoModule | PackageKind::Composer => ns_name(),
        PackageKind::JavaArchive => match &p.namespace {
            Some(g) => format!("{g}:{}", p.name),
            None => p.name.clone(),
        },
        _ => p.name.clone(),
    };
    let mut pkg = Package::new(kind, name, version.clone());
    pkg.purl = purl.to_string();
    pkg.arch = p.qualifier("arch").map(str::to_string);
    match kind {
        PackageKind::Deb | PackageKind::Apk => {
            let (src, src_ver) = match p.qualifier("upstream") {
                Some(u) => match u.split_once('@') {
                    Some((n, v)) => (n.to_string(), v.to_string()),
                    None => (u.to_string(), version.clone()),
                },
                None => (pkg.name.clone(), version.clone()),
            };
            pkg.source_name = Some(src);
            pkg.source_version = Some(src_ver);
        }
        PackageKind::Rpm => {
            let (v, r) = version.rsplit_once('-').unwrap_or((version.as_str(), ""));
            pkg.metadata.insert("version".into(), v.to_string());
            pkg.metadata.insert("release".into(), r.to_string());
            if let Some(e) = p.qualifier("epoch").filter(|e| *e != "0") {
                pkg.metadata.insert("epoch".into(), e.to_string());
                pkg.version = format!("{e}:{version}");
            }
            if let Some(srpm) = p.qualifier("upstream") {
                pkg.metadata.insert("sourcerpm".into(), srpm.to_string());
                pkg.source_name = Some(srpm_name(srpm));
            }
        }
        PackageKind::GoStdlib => {
            pkg.version = version.trim_start_matches("go").to_string();
        }
        _ => {}
    }
    if pkg.version.is_empty() {
        pkg.unmatchable = Some("no version in the SBOM".into());
    } else if kind == PackageKind::GoModule && pkg.version == "(devel)" {
        pkg.unmatchable =
            Some("main module built from a source checkout: (devel) is not a release".into());
    }
    Some(pkg)
}

/// `bash` from `bash-5.1.8-6.el9.src.rpm`: the name is all but the last two `-` fields.
fn srpm_name(srpm: &str) -> String {
    let base = srpm
        .trim_end_matches(".rpm")
        .trim_end_matches(".src")
        .trim_end_matches(".nosrc");
    let mut parts = base.rsplitn(3, '-');
    let (_, _, name) = (parts.next(), parts.next(), parts.next());
    name.unwrap_or(base).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_purls_dockguard_and_peers_write() {
        let p = Purl::parse("pkg:npm/%40babel/core@7.0.0").unwrap();
        assert_eq!(
            (p.namespace.as_deref(), p.name.as_str()),
            (Some("@babel"), "core")
        );
        let pkg = package_from_purl(
            "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3?arch=amd64&distro=debian-12&upstream=util-linux%402.38.1-5%2Bdeb12u3",
        )
        .unwrap();
        assert_eq!(pkg.version, "1:2.38.1-5+deb12u3");
        assert_eq!(pkg.source_name.as_deref(), Some("util-linux"));
        assert_eq!(pkg.source_version.as_deref(), Some("2.38.1-5+deb12u3"));
        assert_eq!(pkg.arch.as_deref(), Some("amd64"));
        let std = package_from_purl("pkg:golang/stdlib@go1.17.2").unwrap();
        assert_eq!(
            (std.kind, std.version.as_str()),
            (PackageKind::GoStdlib, "1.17.2")
        );
        let m = package_from_purl("pkg:maven/log4j/log4j@1.2.17").unwrap();
        assert_eq!(m.name, "log4j:log4j");
        let r = package_from_purl(
            "pkg:rpm/redhat/bash@5.1.8-6.el9?arch=x86_64&epoch=1&upstream=bash-5.1.8-6.el9.src.rpm",
        )
        .unwrap();
        assert_eq!(r.version, "1:5.1.8-6.el9");
        assert_eq!(r.source_name.as_deref(), Some("bash"));
        let esb = package_from_purl("pkg:golang/github.com/evanw/esbuild@%28devel%29").unwrap();
        assert_eq!(esb.name, "github.com/evanw/esbuild");
        assert!(esb.unmatchable.is_some());
        assert!(package_from_purl("pkg:oci/app@sha256%3Aabc").is_none());
        assert!(Purl::parse("not a purl").is_none());
        assert!(Purl::parse("pkg:").is_none());
        assert!(Purl::parse("pkg:npm/%").is_some());
    }
}
