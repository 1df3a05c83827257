//! CycloneDX 1.6 JSON.
//!
//! Standard fields carry what every consumer reads (name, version, purl, licences); the rest of
//! a package (kind, source package, architecture, every location with its layer, cataloger
//! metadata) goes into `dockguard:`-prefixed properties, so our own documents read back into
//! the same inventory.

use crate::ids::document_uuid;
use crate::licenses::{spdx_expression, spdx_id};
use crate::{distro_version, Format, Subject, WriteOptions};
use dockguard_catalog::Distro;
use dockguard_core::{Location, Package, PackageKind};
use serde_json::{json, Map, Value};

pub(crate) const PREFIX: &str = "dockguard:";

/// Our extra facts about a package as `(name, value)` properties.
pub(crate) fn properties(p: &Package) -> Vec<(String, String)> {
    let mut out = vec![(
        "dockguard:package:kind".to_string(),
        p.kind.as_str().to_string(),
    )];
    let mut push = |k: &str, v: Option<&String>| {
        if let Some(v) = v {
            out.push((format!("dockguard:package:{k}"), v.clone()));
        }
    };
    push("name", Some(&p.name));
    push("version", Some(&p.version));
    push("source-name", p.source_name.as_ref());
    push("source-version", p.source_version.as_ref());
    push("arch", p.arch.as_ref());
    push("unmatchable", p.unmatchable.as_ref());
    for (i, l) in p.locations.iter().enumerate() {
        if let Some(path) = &l.path {
            out.push((format!("dockguard:location:{i}:path"), path.clone()));
        }
        if let Some(li) = l.layer_index {
            out.push((
                format!("dockguard:location:{i}:layer-index"),
                li.to_string(),
            ));
        }
        if let Some(d) = &l.layer_digest {
            out.push((format!("dockguard:location:{i}:layer-digest"), d.clone()));
        }
    }
    for (k, v) in &p.metadata {
        out.push((format!("dockguard:metadata:{k}"), v.clone()));
    }
    out
}

/// Most locations one package may carry when read back.
const MAX_LOCATIONS: usize = 10_000;

/// Applies our properties to a package built from its purl. Returns whether any were ours.
pub(crate) fn apply_properties<'a>(
    p: &mut Package,
    props: impl Iterator<Item = (&'a str, &'a str)>,
) -> bool {
    let mut ours = false;
    let mut locations: Vec<Location> = Vec::new();
    for (k, v) in props {
        let Some(rest) = k.strip_prefix(PREFIX) else {
            continue;
        };
        ours = true;
        if let Some(field) = rest.strip_prefix("package:") {
            match field {
                "kind" => {
                    if let Ok(kind) = serde_json::from_value::<PackageKind>(Value::from(v)) {
                        p.kind = kind;
                    }
                }
                "name" => p.name = v.to_string(),
                "version" => p.version = v.to_string(),
                "source-name" => p.source_name = Some(v.to_string()),
                "source-version" => p.source_version = Some(v.to_string()),
                "arch" => p.arch = Some(v.to_string()),
                "unmatchable" => p.unmatchable = Some(v.to_string()),
                _ => {}
            }
        } else if let Some(m) = rest.strip_prefix("metadata:") {
            p.metadata.insert(m.to_string(), v.to_string());
        } else if let Some(loc) = rest.strip_prefix("location:") {
            let Some((idx, field)) = loc.split_once(':') else {
                continue;
            };
            let Ok(idx) = idx.parse::<usize>() else {
                continue;
            };
            if idx >= MAX_LOCATIONS {
                continue;
            }
            if locations.len() <= idx {
                locations.resize(idx + 1, Location::default());
            }
            let l = &mut locations[idx];
            match field {
                "path" => l.path = Some(v.to_string()),
                "layer-index" => l.layer_index = v.parse().ok(),
                "layer-digest" => l.layer_digest = Some(v.to_string()),
                _ => {}
            }
        }
    }
    if !locations.is_empty() {
        p.locations = locations
            .into_iter()
            .filter(|l| *l != Location::default())
            .collect();
    }
    ours
}

/// `licenses` of a component: identifiers where the licence is a listed one, a single
/// expression where it is one, names otherwise.
fn licenses(p: &Package) -> Option<Value> {
    let declared: Vec<&String> = p.licenses.iter().filter(|l| !l.trim().is_empty()).collect();
    if declared.is_empty() {
        return None;
    }
    if let [only] = declared.as_slice() {
        if spdx_id(only).is_none() {
            if let Some(e) = spdx_expression(only) {
                return Some(json!([{ "expression": e }]));
            }
        }
    }
    Some(Value::Array(
        declared
            .iter()
            .map(|l| match spdx_id(l) {
                Some(id) => json!({ "license": { "id": id } }),
                None => json!({ "license": { "name": l } }),
            })
            .collect(),
    ))
}

fn props_value(props: Vec<(String, String)>) -> Value {
    Value::Array(
        props
            .into_iter()
            .map(|(name, value)| json!({ "name": name, "value": value }))
            .collect(),
    )
}

fn component(p: &Package, bom_ref: String) -> Value {
    let mut c = Map::new();
    c.insert("bom-ref".into(), bom_ref.into());
    c.insert("type".into(), "library".into());
    let (group, name) = match (p.kind, p.name.split_once(':')) {
        (PackageKind::JavaArchive, Some((g, a))) => (Some(g), a),
        _ => (None, p.name.as_str()),
    };
    if let Some(g) = group {
        c.insert("group".into(), g.into());
    }
    c.insert("name".into(), name.into());
    if !p.version.is_empty() {
        c.insert("version".into(), p.version.clone().into());
    }
    if let Some(l) = licenses(p) {
        c.insert("licenses".into(), l);
    }
    if !p.purl.is_empty() {
        c.insert("purl".into(), p.purl.clone().into());
    }
    c.insert("properties".into(), props_value(properties(p)));
    Value::Object(c)
}

/// The whole document.
pub(crate) fn document(
    distro: Option<&Distro>,
    packages: &[&Package],
    subject: &Subject,
    opts: &WriteOptions,
) -> Value {
    let root_ref = "dockguard:subject".to_string();
    let mut root = Map::new();
    root.insert("bom-ref".into(), root_ref.clone().into());
    root.insert(
        "type".into(),
        if subject.is_image {
            "container"
        } else {
            "file"
        }
        .into(),
    );
    root.insert("name".into(), subject.name.clone().into());
    if let Some(d) = &subject.digest {
        root.insert("version".into(), d.clone().into());
    }
    let mut root_props: Vec<(String, String)> = subject
        .tags
        .iter()
        .map(|t| ("dockguard:image:tag".to_string(), t.clone()))
        .collect();
    if let Some(s) = &subject.scope {
        root_props.push(("dockguard:scope".into(), s.clone()));
    }
    if !root_props.is_empty() {
        root.insert("properties".into(), props_value(root_props));
    }

    let mut components = Vec::with_capacity(packages.len() + 1);
    let mut refs: Vec<Value> = Vec::new();
    if let Some(d) = distro {
        let r = format!("dockguard:os:{}@{}", d.id, distro_version(d));
        let mut os = Map::new();
        os.insert("bom-ref".into(), r.clone().into());
        os.insert("type".into(), "operating-system".into());
        os.insert("name".into(), d.id.clone().into());
        if let Some(v) = &d.version_id {
            os.insert("version".into(), v.clone().into());
        }
        if let Some(p) = &d.pretty {
            os.insert("description".into(), p.clone().into());
        }
        let mut props = Vec::new();
        if let Some(c) = &d.codename {
            props.push(("dockguard:distro:codename".to_string(), c.clone()));
        }
        for l in &d.id_like {
            props.push(("dockguard:distro:id-like".to_string(), l.clone()));
        }
        if !props.is_empty() {
            os.insert("properties".into(), props_value(props));
        }
        components.push(Value::Object(os));
        refs.push(r.into());
    }
    let mut seen = std::collections::HashSet::new();
    for p in packages {
        // The purl alone is not unique (the same jar at two paths with different metadata):
        // disambiguate with a digest of everything we write about the package.
        let base = if p.purl.is_empty() {
            format!("dockguard:pkg:{}:{}@{}", p.kind, p.name, p.version)
        } else {
            p.purl.clone()
        };
        let mut r = base.clone();
        if !seen.insert(r.clone()) {
            let locs: Vec<String> = p.locations.iter().filter_map(|l| l.path.clone()).collect();
            r = format!(
                "{base}#{}",
                crate::ids::short_hash(&[&locs.join("\n"), &format!("{:?}", p.metadata)])
            );
            let mut n = 1;
            while !seen.insert(r.clone()) {
                n += 1;
                r = format!("{base}#{n}");
            }
        }
        components.push(component(p, r.clone()));
        refs.push(r.into());
    }

    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{}", document_uuid(subject, Format::CycloneDx, opts)),
        "version": 1,
        "metadata": {
            "timestamp": opts.timestamp,
            "tools": {
                "components": [{
                    "type": "application",
                    "name": "dockguard",
                    "version": opts.tool_version,
                }]
            },
            "component": Value::Object(root),
        },
        "components": components,
        "dependencies": [{ "ref": root_ref, "dependsOn": refs }],
    })
}
