//! Package URLs (purl spec): `pkg:type/namespace/name@version?qualifiers`.

use crate::Distro;
use dockguard_core::{Package, PackageKind};

/// Percent-encodes everything outside the purl-safe set. `keep` adds characters that may stay
/// literal in this component (`:` in versions, `/` between namespace segments).
pub fn encode(s: &str, keep: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        let c = b as char;
        if c.is_ascii_alphanumeric() || "-._~".contains(c) || (c.is_ascii() && keep.contains(c)) {
            out.push(c);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Builds a purl from parts; `qualifiers` are emitted sorted by key, as the spec requires.
pub fn build(
    ty: &str,
    namespace: Option<&str>,
    name: &str,
    version: Option<&str>,
    qualifiers: &[(&str, String)],
) -> String {
    let mut s = format!("pkg:{ty}/");
    if let Some(ns) = namespace.filter(|n| !n.is_empty()) {
        let segs: Vec<String> = ns.split('/').map(|seg| encode(seg, "")).collect();
        s.push_str(&segs.join("/"));
        s.push('/');
    }
    s.push_str(&encode(name, ""));
    if let Some(v) = version.filter(|v| !v.is_empty()) {
        s.push('@');
        s.push_str(&encode(v, ":"));
    }
    let mut q: Vec<&(&str, String)> = qualifiers.iter().filter(|(_, v)| !v.is_empty()).collect();
    q.sort_by_key(|(k, _)| *k);
    for (i, (k, v)) in q.iter().enumerate() {
        s.push(if i == 0 { '?' } else { '&' });
        s.push_str(k);
        s.push('=');
        s.push_str(&encode(v, ":/"));
    }
    s
}

/// The purl of a catalogued package; OS packages get `distro=` when the distribution is known.
pub fn purl(p: &Package, distro: Option<&Distro>) -> String {
    let arch = p.arch.clone().unwrap_or_default();
    let distro_q = distro.map(|d| d.purl_qualifier()).unwrap_or_default();
    let meta = |k: &str| p.metadata.get(k).cloned().unwrap_or_default();
    match p.kind {
        PackageKind::Deb => {
            let ns = distro.map(|d| d.id.as_str()).unwrap_or("debian");
            let upstream = upstream(p);
            build(
                "deb",
                Some(ns),
                &p.name,
                Some(&p.version),
                &[("arch", arch), ("distro", distro_q), ("upstream", upstream)],
            )
        }
        PackageKind::Apk => {
            let ns = distro.map(|d| d.id.as_str()).unwrap_or("alpine");
            let upstream = match &p.source_name {
                Some(s) if s != &p.name => s.clone(),
                _ => String::new(),
            };
            build(
                "apk",
                Some(ns),
                &p.name,
                Some(&p.version),
                &[("arch", arch), ("distro", distro_q), ("upstream", upstream)],
            )
        }
        PackageKind::Rpm => {
            // The purl version is version-release; the epoch is a qualifier.
            let ns = distro.map(|d| d.id.as_str()).unwrap_or("redhat");
            let vr = format!("{}-{}", meta("version"), meta("release"));
            let epoch = meta("epoch");
            let upstream = meta("sourcerpm");
            build(
                "rpm",
                Some(ns),
                &p.name,
                Some(&vr),
                &[
                    ("arch", arch),
                    ("epoch", epoch),
                    ("distro", distro_q),
                    ("upstream", upstream),
                ],
            )
        }
        PackageKind::Python => build(
            "pypi",
            None,
            &crate::python::normalize_name(&p.name),
            Some(&p.version),
            &[],
        ),
        PackageKind::Npm => match p.name.strip_prefix('@').and_then(|n| n.split_once('/')) {
            Some((scope, name)) => build(
                "npm",
                Some(&format!("@{scope}")),
                name,
                Some(&p.version),
                &[],
            ),
            None => build("npm", None, &p.name, Some(&p.version), &[]),
        },
        PackageKind::GoModule => {
            let (ns, name) = match p.name.rsplit_once('/') {
                Some((ns, n)) => (Some(ns), n),
                None => (None, p.name.as_str()),
            };
            build("golang", ns, name, Some(&p.version), &[])
        }
        PackageKind::GoStdlib => build("golang", None, "stdlib", Some(&p.version), &[]),
        PackageKind::RustCrate => build("cargo", None, &p.name, Some(&p.version), &[]),
        PackageKind::JavaArchive => {
            let (g, a) = p.name.split_once(':').unwrap_or(("", p.name.as_str()));
            build("maven", Some(g), a, Some(&p.version), &[])
        }
        PackageKind::Gem => build("gem", None, &p.name, Some(&p.version), &[]),
        PackageKind::Composer => {
            let (ns, name) = p.name.split_once('/').unwrap_or(("", p.name.as_str()));
            build("composer", Some(ns), name, Some(&p.version), &[])
        }
        PackageKind::Nuget => build("nuget", None, &p.name, Some(&p.version), &[]),
    }
}

/// `upstream=source@version` when the source differs from the binary name or version.
fn upstream(p: &Package) -> String {
    let Some(src) = &p.source_name else {
        return String::new();
    };
    match &p.source_version {
        Some(v) if v != &p.version => format!("{src}@{v}"),
        _ if src != &p.name => src.clone(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deb_purl_matches_the_spec_examples() {
        let mut p = Package::new(PackageKind::Deb, "bsdutils", "1:2.38.1-5+deb12u3");
        p.arch = Some("amd64".into());
        p.source_name = Some("util-linux".into());
        p.source_version = Some("2.38.1-5+deb12u3".into());
        let d = Distro {
            id: "debian".into(),
            version_id: Some("12".into()),
            ..Distro::default()
        };
        assert_eq!(
            purl(&p, Some(&d)),
            "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3?arch=amd64&distro=debian-12&upstream=util-linux%402.38.1-5%2Bdeb12u3"
        );
        let p = Package::new(PackageKind::Npm, "@babel/core", "7.0.0");
        assert_eq!(purl(&p, None), "pkg:npm/%40babel/core@7.0.0");
        let p = Package::new(PackageKind::GoModule, "golang.org/x/sys", "v0.1.0");
        assert_eq!(purl(&p, None), "pkg:golang/golang.org/x/sys@v0.1.0");
        let p = Package::new(PackageKind::JavaArchive, "log4j:log4j", "1.2.17");
        assert_eq!(purl(&p, None), "pkg:maven/log4j/log4j@1.2.17");
        let p = Package::new(PackageKind::Python, "Jinja2", "2.10");
        assert_eq!(purl(&p, None), "pkg:pypi/jinja2@2.10");
    }
}
