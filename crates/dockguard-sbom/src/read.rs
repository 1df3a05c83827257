//! Reading SBOM documents into an inventory: CycloneDX JSON and SPDX JSON from any producer
//! (dockguard, Syft, Trivy, …), syft's own JSON, and our inventory JSON.
//!
//! The purl is the common ground: every producer writes one and [`package_from_purl`] turns it
//! into a package in our conventions. Producer-specific properties then add what the purl lacks
//! (paths, layers, source packages). Our own `dockguard:` properties restore a package exactly.

use crate::cyclonedx::apply_properties;
use crate::licenses::spdx_id;
use crate::purl::{package_from_purl, Purl};
use crate::spdx::ANNOTATION_PREFIX;
use crate::{Error, MAX_PACKAGES};
use dockguard_catalog::{CatalogError, Distro, Inventory};
use dockguard_core::{Location, Package, PackageKind};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// Nested CycloneDX components deeper than this are not followed.
const MAX_DEPTH: usize = 32;

fn invalid(name: &str, message: impl Into<String>) -> Error {
    Error::Invalid {
        path: name.to_string(),
        message: message.into(),
    }
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

fn arr<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v.get(k)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

pub(crate) fn read(bytes: &[u8], name: &str) -> Result<Inventory, Error> {
    let v: Value =
        serde_json::from_slice(bytes).map_err(|e| invalid(name, format!("not JSON: {e}")))?;
    let mut r = Reader {
        name,
        inv: Inventory::default(),
    };
    if s(&v, "bomFormat") == Some("CycloneDX") {
        r.cyclonedx(&v)?;
    } else if s(&v, "spdxVersion").is_some_and(|x| x.starts_with("SPDX-2")) {
        r.spdx(&v)?;
    } else if s(&v, "document") == Some(crate::json::MARKER) {
        r.ours(&v)?;
    } else if v.get("artifacts").is_some() && v.get("descriptor").is_some() {
        r.syft_json(&v)?;
    } else {
        return Err(invalid(
            name,
            "not a CycloneDX JSON, SPDX 2.x JSON, syft JSON or dockguard inventory document",
        ));
    }
    let mut inv = r.inv;
    if inv.distro.is_none() {
        inv.distro = distro_from_purls(&inv.packages);
    }
    inv.packages.sort_by(|a, b| {
        (a.kind, &a.name, &a.version, &a.purl, &a.locations).cmp(&(
            b.kind,
            &b.name,
            &b.version,
            &b.purl,
            &b.locations,
        ))
    });
    Ok(inv)
}

/// `distro=debian-12` (dockguard, syft) or `distro=3.10.4` (trivy, with the namespace naming
/// the distribution) on an OS package's purl.
fn distro_from_purls(packages: &[Package]) -> Option<Distro> {
    packages.iter().filter(|p| p.kind.is_os()).find_map(|p| {
        let purl = Purl::parse(&p.purl)?;
        let q = purl.qualifiers.get("distro")?;
        let ns = purl.namespace.clone().unwrap_or_default();
        let (id, version) = match q.split_once('-') {
            Some((id, v)) if id.chars().all(|c| c.is_ascii_alphabetic()) => {
                (id.to_string(), v.to_string())
            }
            _ => (ns, q.clone()),
        };
        (!id.is_empty()).then(|| Distro {
            id,
            version_id: (!version.is_empty()).then_some(version),
            ..Distro::default()
        })
    })
}

struct Reader<'a> {
    name: &'a str,
    inv: Inventory,
}

impl Reader<'_> {
    fn push(&mut self, p: Package) -> Result<(), Error> {
        if self.inv.packages.len() >= MAX_PACKAGES {
            return Err(invalid(
                self.name,
                format!("more than {MAX_PACKAGES} packages (limit)"),
            ));
        }
        self.inv.packages.push(p);
        Ok(())
    }

    fn problem(&mut self, message: String) {
        if self.inv.problems.len() < 1000 {
            self.inv.problems.push(CatalogError {
                path: self.name.to_string(),
                message,
            });
        }
    }

    fn cyclonedx(&mut self, v: &Value) -> Result<(), Error> {
        let mut stack: Vec<(&Value, usize)> = arr(v, "components").iter().map(|c| (c, 0)).collect();
        stack.reverse();
        while let Some((c, depth)) = stack.pop() {
            if depth < MAX_DEPTH {
                for n in arr(c, "components").iter().rev() {
                    stack.push((n, depth + 1));
                }
            }
            let props: Vec<(&str, &str)> = arr(c, "properties")
                .iter()
                .filter_map(|p| Some((s(p, "name")?, s(p, "value").unwrap_or(""))))
                .collect();
            let ty = s(c, "type").unwrap_or("library");
            if ty == "operating-system" {
                if self.inv.distro.is_none() {
                    self.inv.distro = Some(os_component(c, &props));
                }
                continue;
            }
            let Some(mut p) = package(s(c, "purl"), &props, s(c, "name"), s(c, "version")) else {
                if matches!(ty, "library" | "framework") {
                    let what = s(c, "purl").or(s(c, "name")).unwrap_or("?");
                    self.problem(format!(
                        "component {what}: no purl of a supported type; skipped"
                    ));
                }
                continue;
            };
            let mut licenses = Vec::new();
            for l in arr(c, "licenses") {
                if let Some(e) = s(l, "expression") {
                    licenses.push(e.to_string());
                } else if let Some(lic) = l.get("license") {
                    if let Some(x) = s(lic, "id").or(s(lic, "name")) {
                        licenses.push(x.to_string());
                    }
                }
            }
            p.licenses = licenses;
            if !apply_properties(&mut p, props.iter().copied()) {
                peer_properties(&mut p, &props);
            }
            self.push(p)?;
        }
        Ok(())
    }

    fn spdx(&mut self, v: &Value) -> Result<(), Error> {
        let mut roots: HashSet<&str> = arr(v, "documentDescribes")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for r in arr(v, "relationships") {
            if s(r, "relationshipType") == Some("DESCRIBES") {
                if let Some(id) = s(r, "relatedSpdxElement") {
                    roots.insert(id);
                }
            }
        }
        let extracted: BTreeMap<&str, &str> = arr(v, "hasExtractedLicensingInfos")
            .iter()
            .filter_map(|e| Some((s(e, "licenseId")?, s(e, "name").or(s(e, "extractedText"))?)))
            .collect();
        for sp in arr(v, "packages") {
            let id = s(sp, "SPDXID").unwrap_or("");
            if roots.contains(id) {
                continue;
            }
            if matches!(
                s(sp, "primaryPackagePurpose"),
                Some("OPERATING_SYSTEM" | "OPERATING-SYSTEM")
            ) {
                if self.inv.distro.is_none() {
                    self.inv.distro = Some(Distro {
                        id: s(sp, "name").unwrap_or_default().to_ascii_lowercase(),
                        version_id: s(sp, "versionInfo").map(str::to_string),
                        pretty: s(sp, "description").map(str::to_string),
                        ..Distro::default()
                    });
                }
                continue;
            }
            let purl = arr(sp, "externalRefs")
                .iter()
                .find(|r| s(r, "referenceType") == Some("purl"))
                .and_then(|r| s(r, "referenceLocator"));
            let ours: Vec<(String, String)> = arr(sp, "annotations")
                .iter()
                .filter_map(|a| s(a, "comment")?.strip_prefix(ANNOTATION_PREFIX))
                .filter_map(|j| serde_json::from_str::<Vec<(String, String)>>(j).ok())
                .flatten()
                .collect();
            let props: Vec<(&str, &str)> =
                ours.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let Some(mut p) = package(purl, &props, s(sp, "name"), s(sp, "versionInfo")) else {
                if purl.is_some() {
                    let what = purl.unwrap_or("?");
                    self.problem(format!("package {what}: purl type not supported; skipped"));
                }
                continue;
            };
            if let Some(decl) = s(sp, "licenseDeclared") {
                p.licenses = split_declared(decl, &extracted);
            }
            if !apply_properties(&mut p, props.iter().copied()) {
                if let Some(info) = s(sp, "sourceInfo") {
                    // syft: "acquired package info from <what>: /path, /path"
                    if let Some((_, paths)) = info.rsplit_once(": ") {
                        for path in paths.split(", ").filter(|x| x.starts_with('/')) {
                            p.locations.push(Location::file(path));
                        }
                    }
                }
            }
            self.push(p)?;
        }
        Ok(())
    }

    fn syft_json(&mut self, v: &Value) -> Result<(), Error> {
        if let Some(d) = v.get("distro").filter(|d| s(d, "id").is_some()) {
            self.inv.distro = Some(Distro {
                id: s(d, "id").unwrap_or_default().to_string(),
                version_id: s(d, "versionID").map(str::to_string),
                codename: s(d, "versionCodename").map(str::to_string),
                pretty: s(d, "prettyName").map(str::to_string),
                ..Distro::default()
            });
        }
        for a in arr(v, "artifacts") {
            let Some(mut p) = package(s(a, "purl"), &[], s(a, "name"), s(a, "version")) else {
                let what = s(a, "purl").or(s(a, "name")).unwrap_or("?");
                self.problem(format!(
                    "artifact {what}: no purl of a supported type; skipped"
                ));
                continue;
            };
            for l in arr(a, "locations") {
                if let Some(path) = s(l, "path") {
                    let mut loc = Location::file(path);
                    loc.layer_digest = s(l, "layerID").map(str::to_string);
                    p.locations.push(loc);
                }
            }
            p.licenses = arr(a, "licenses")
                .iter()
                .filter_map(|l| s(l, "value").or(l.as_str()).map(str::to_string))
                .collect();
            self.push(p)?;
        }
        Ok(())
    }

    fn ours(&mut self, v: &Value) -> Result<(), Error> {
        if let Some(d) = v.get("distro") {
            self.inv.distro = serde_json::from_value(d.clone())
                .map_err(|e| invalid(self.name, format!("distro: {e}")))?;
        }
        let list = arr(v, "packages");
        if list.len() > MAX_PACKAGES {
            return Err(invalid(self.name, "too many packages"));
        }
        for (i, p) in list.iter().enumerate() {
            let p: Package = serde_json::from_value(p.clone())
                .map_err(|e| invalid(self.name, format!("packages[{i}]: {e}")))?;
            self.push(p)?;
        }
        for pr in arr(v, "problems") {
            if let (Some(path), Some(message)) = (s(pr, "path"), s(pr, "message")) {
                self.inv.problems.push(CatalogError {
                    path: path.to_string(),
                    message: message.to_string(),
                });
            }
        }
        Ok(())
    }
}

/// A package from a purl (or from our properties when there is none).
fn package(
    purl: Option<&str>,
    props: &[(&str, &str)],
    name: Option<&str>,
    version: Option<&str>,
) -> Option<Package> {
    if let Some(p) = purl.and_then(package_from_purl) {
        return Some(p);
    }
    // Our own packages without a purl still carry their kind.
    let kind = props
        .iter()
        .find(|(k, _)| *k == "dockguard:package:kind")
        .and_then(|(_, v)| serde_json::from_value::<PackageKind>(Value::from(*v)).ok())?;
    let mut p = Package::new(kind, name.unwrap_or_default(), version.unwrap_or_default());
    p.purl = purl.unwrap_or_default().to_string();
    Some(p)
}

/// The distribution from a CycloneDX `operating-system` component (ours, syft's or trivy's).
fn os_component(c: &Value, props: &[(&str, &str)]) -> Distro {
    let prop = |k: &str| {
        props
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    };
    Distro {
        id: s(c, "name").unwrap_or_default().to_ascii_lowercase(),
        version_id: s(c, "version").map(str::to_string),
        codename: prop("dockguard:distro:codename").or_else(|| prop("syft:distro:versionCodename")),
        pretty: s(c, "description").map(str::to_string),
        id_like: props
            .iter()
            .filter(|(k, _)| *k == "dockguard:distro:id-like")
            .map(|(_, v)| v.to_string())
            .collect(),
    }
}

/// Paths, layers and source packages from syft's and trivy's properties.
fn peer_properties(p: &mut Package, props: &[(&str, &str)]) {
    let mut syft_locs: BTreeMap<usize, Location> = BTreeMap::new();
    let mut trivy_path = None;
    let mut trivy_layer = None;
    let (mut src_name, mut src_ver, mut src_rel, mut src_epoch) = (None, None, None, None);
    for &(k, v) in props {
        if let Some(rest) = k.strip_prefix("syft:location:") {
            if let Some((i, field)) = rest.split_once(':') {
                if let Ok(i) = i.parse::<usize>() {
                    if i < 10_000 {
                        let l = syft_locs.entry(i).or_default();
                        match field {
                            "path" => l.path = Some(v.to_string()),
                            "layerID" => l.layer_digest = Some(v.to_string()),
                            _ => {}
                        }
                    }
                }
            }
            continue;
        }
        match k {
            "aquasecurity:trivy:FilePath" => trivy_path = Some(v),
            "aquasecurity:trivy:LayerDiffID" | "aquasecurity:trivy:LayerDigest" => {
                trivy_layer = trivy_layer.or(Some(v))
            }
            "aquasecurity:trivy:SrcName" => src_name = Some(v),
            "aquasecurity:trivy:SrcVersion" => src_ver = Some(v),
            "aquasecurity:trivy:SrcRelease" => src_rel = Some(v),
            "aquasecurity:trivy:SrcEpoch" => src_epoch = Some(v),
            _ => {}
        }
    }
    p.locations
        .extend(syft_locs.into_values().filter(|l| l.path.is_some()));
    if p.locations.is_empty() && (trivy_path.is_some() || trivy_layer.is_some()) {
        p.locations.push(Location {
            path: trivy_path.map(|x| format!("/{}", x.trim_start_matches('/'))),
            layer_digest: trivy_layer.map(str::to_string),
            ..Location::default()
        });
    }
    if p.kind.is_os() {
        if let Some(n) = src_name {
            p.source_name = Some(n.to_string());
        }
        if let Some(v) = src_ver {
            let mut full = v.to_string();
            if let Some(r) = src_rel.filter(|r| !r.is_empty()) {
                full = format!("{full}-{r}");
            }
            if let Some(e) = src_epoch.filter(|e| !e.is_empty() && *e != "0") {
                full = format!("{e}:{full}");
            }
            p.source_version = Some(full);
        }
    }
}

/// Licences from an SPDX `licenseDeclared`: the top-level `AND` terms, `LicenseRef-`s mapped
/// back to the names they stand for.
fn split_declared(decl: &str, extracted: &BTreeMap<&str, &str>) -> Vec<String> {
    let decl = decl.trim();
    if decl.is_empty() || decl == "NOASSERTION" || decl == "NONE" {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let b = decl.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b' ' if depth == 0 && decl[i..].starts_with(" AND ") => {
                out.push(decl[start..i].trim().to_string());
                i += 5;
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(decl[start..].trim().to_string());
    out.into_iter()
        .filter(|t| !t.is_empty())
        .map(|t| {
            let t = match t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
                Some(inner) if !inner.contains('(') => inner.to_string(),
                _ => t,
            };
            match extracted.get(t.as_str()) {
                Some(name) => name.to_string(),
                None => spdx_id(&t).map(str::to_string).unwrap_or(t),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_licences_split_at_top_level_and() {
        let ex = BTreeMap::from([("LicenseRef-x-1", "public domain")]);
        assert_eq!(
            split_declared("MIT AND (Apache-2.0 OR MIT) AND LicenseRef-x-1", &ex),
            ["MIT", "Apache-2.0 OR MIT", "public domain"]
        );
        assert!(split_declared("NOASSERTION", &ex).is_empty());
    }

    #[test]
    fn garbage_is_an_error_naming_the_file() {
        for doc in [&b"{"[..], b"[]", b"{\"bomFormat\": 3}", b"\xff\xfe"] {
            let e = read(doc, "x.json").unwrap_err().to_string();
            assert!(e.starts_with("x.json: "), "{e}");
        }
        // Odd shapes inside a recognised document are skipped, not fatal.
        let inv = read(
            br#"{"bomFormat":"CycloneDX","components":[{"type":"library","purl":"pkg:npm"},
                {"purl":7},{"type":"operating-system"},"x",{"components":[{"purl":"pkg:npm/a@1"}]}]}"#,
            "x.json",
        )
        .unwrap();
        assert_eq!(inv.packages.len(), 1);
    }
}
