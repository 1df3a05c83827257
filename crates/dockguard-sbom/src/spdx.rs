//! SPDX 2.3 JSON.
//!
//! One SPDX package per package, plus one for the image (the document describes it and it
//! `CONTAINS` the others) and one for the distribution. SPDX 2.3 has no place for a package's
//! paths and layers, so our extra facts ride in one annotation per package whose comment is
//! `dockguard:` followed by the properties as JSON; our documents read back losslessly.

use crate::cyclonedx::properties;
use crate::ids::{document_uuid, short_hash};
use crate::licenses::{license_ref, spdx_expression, spdx_id};
use crate::{Format, Subject, WriteOptions};
use dockguard_catalog::Distro;
use dockguard_core::Package;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Prefix of the annotation comment that carries our properties.
pub(crate) const ANNOTATION_PREFIX: &str = "dockguard:";

/// SPDX ids allow letters, digits, `.` and `-` only.
fn id_part(s: &str) -> String {
    let v: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(80)
        .collect();
    v.trim_matches('-').to_string()
}

/// `licenseDeclared`: every declared licence joined with `AND`; free-form names become
/// `LicenseRef-`s, collected into `refs` for `hasExtractedLicensingInfos`.
fn declared(p: &Package, refs: &mut BTreeMap<String, String>) -> String {
    let declared: Vec<&String> = p.licenses.iter().filter(|l| !l.trim().is_empty()).collect();
    if declared.is_empty() {
        return "NOASSERTION".into();
    }
    let parts: Vec<String> = declared
        .iter()
        .map(|l| {
            if let Some(id) = spdx_id(l) {
                id.to_string()
            } else if let Some(e) = spdx_expression(l) {
                if declared.len() > 1 {
                    format!("({e})")
                } else {
                    e
                }
            } else {
                let r = license_ref(l);
                refs.insert(r.clone(), l.to_string());
                r
            }
        })
        .collect();
    parts.join(" AND ")
}

pub(crate) fn document(
    distro: Option<&Distro>,
    packages: &[&Package],
    subject: &Subject,
    opts: &WriteOptions,
) -> Value {
    let uuid = document_uuid(subject, Format::Spdx, opts);
    let root_id = "SPDXRef-DocumentRoot".to_string();
    let mut spdx_packages = Vec::with_capacity(packages.len() + 2);
    let mut relationships = vec![json!({
        "spdxElementId": "SPDXRef-DOCUMENT",
        "relationshipType": "DESCRIBES",
        "relatedSpdxElement": root_id,
    })];
    let mut root = Map::new();
    root.insert("SPDXID".into(), root_id.clone().into());
    root.insert("name".into(), subject.name.clone().into());
    if let Some(d) = &subject.digest {
        root.insert("versionInfo".into(), d.clone().into());
    }
    root.insert("downloadLocation".into(), "NOASSERTION".into());
    root.insert("filesAnalyzed".into(), false.into());
    root.insert(
        "primaryPackagePurpose".into(),
        if subject.is_image {
            "CONTAINER"
        } else {
            "SOURCE"
        }
        .into(),
    );
    let mut comment = Vec::new();
    if !subject.tags.is_empty() {
        comment.push(format!("tags: {}", subject.tags.join(", ")));
    }
    if let Some(s) = &subject.scope {
        comment.push(format!("scope: {s}"));
    }
    if !comment.is_empty() {
        root.insert("comment".into(), comment.join("; ").into());
    }
    spdx_packages.push(Value::Object(root));

    if let Some(d) = distro {
        let id = format!("SPDXRef-OperatingSystem-{}", id_part(&d.id));
        let mut os = Map::new();
        os.insert("SPDXID".into(), id.clone().into());
        os.insert("name".into(), d.id.clone().into());
        if let Some(v) = &d.version_id {
            os.insert("versionInfo".into(), v.clone().into());
        }
        os.insert("downloadLocation".into(), "NOASSERTION".into());
        os.insert("filesAnalyzed".into(), false.into());
        os.insert("primaryPackagePurpose".into(), "OPERATING_SYSTEM".into());
        if let Some(p) = &d.pretty {
            os.insert("description".into(), p.clone().into());
        }
        spdx_packages.push(Value::Object(os));
        relationships.push(json!({
            "spdxElementId": root_id,
            "relationshipType": "CONTAINS",
            "relatedSpdxElement": id,
        }));
    }

    let mut extracted: BTreeMap<String, String> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for p in packages {
        let props = properties(p);
        let props_json: Vec<Value> = props.iter().map(|(k, v)| json!([k, v])).collect();
        let props_text = serde_json::to_string(&props_json).unwrap_or_default();
        let mut id = format!(
            "SPDXRef-Package-{}-{}-{}",
            p.kind,
            id_part(&p.name),
            short_hash(&[&p.purl, &props_text])
        );
        let mut n = 1;
        while !seen.insert(id.clone()) {
            n += 1;
            id = format!("{id}-{n}");
        }
        let mut sp = Map::new();
        sp.insert("SPDXID".into(), id.clone().into());
        sp.insert("name".into(), p.name.clone().into());
        if !p.version.is_empty() {
            sp.insert("versionInfo".into(), p.version.clone().into());
        }
        sp.insert("downloadLocation".into(), "NOASSERTION".into());
        sp.insert("filesAnalyzed".into(), false.into());
        sp.insert("licenseConcluded".into(), "NOASSERTION".into());
        sp.insert("licenseDeclared".into(), declared(p, &mut extracted).into());
        sp.insert("copyrightText".into(), "NOASSERTION".into());
        sp.insert("primaryPackagePurpose".into(), "LIBRARY".into());
        let paths: Vec<&str> = p
            .locations
            .iter()
            .filter_map(|l| l.path.as_deref())
            .collect();
        if !paths.is_empty() {
            sp.insert(
                "sourceInfo".into(),
                format!("found by dockguard in {}", paths.join(", ")).into(),
            );
        }
        if !p.purl.is_empty() {
            sp.insert(
                "externalRefs".into(),
                json!([{
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": p.purl,
                }]),
            );
        }
        sp.insert(
            "annotations".into(),
            json!([{
                "annotationDate": opts.timestamp,
                "annotationType": "OTHER",
                "annotator": format!("Tool: dockguard-{}", opts.tool_version),
                "comment": format!("{ANNOTATION_PREFIX}{props_text}"),
            }]),
        );
        spdx_packages.push(Value::Object(sp));
        relationships.push(json!({
            "spdxElementId": root_id,
            "relationshipType": "CONTAINS",
            "relatedSpdxElement": id,
        }));
    }

    let mut doc = json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": if subject.name.is_empty() { "dockguard-sbom".to_string() } else { subject.name.clone() },
        "documentNamespace": format!("urn:uuid:{uuid}"),
        "creationInfo": {
            "created": opts.timestamp,
            "creators": [format!("Tool: dockguard-{}", opts.tool_version)],
        },
        "packages": spdx_packages,
        "relationships": relationships,
    });
    if !extracted.is_empty() {
        doc["hasExtractedLicensingInfos"] = Value::Array(
            extracted
                .into_iter()
                .map(|(id, name)| json!({ "licenseId": id, "name": name, "extractedText": name }))
                .collect(),
        );
    }
    doc
}
