//! dockguard's own inventory JSON (`--format json`): the inventory as the catalogers produced
//! it, with every field of every package. The shape is documented in `docs/sbom.md`.

use crate::{Subject, WriteOptions, INVENTORY_SCHEMA_VERSION};
use dockguard_catalog::Inventory;
use dockguard_core::Package;
use serde_json::{json, Value};

/// Value of the `document` field that marks our inventory JSON.
pub(crate) const MARKER: &str = "dockguard-inventory";

pub(crate) fn document(
    inv: &Inventory,
    packages: &[&Package],
    subject: &Subject,
    opts: &WriteOptions,
) -> Value {
    let mut source = json!({
        "name": subject.name,
        "type": if subject.is_image { "image" } else { "directory" },
    });
    if let Some(d) = &subject.digest {
        source["digest"] = d.clone().into();
    }
    if !subject.tags.is_empty() {
        source["tags"] = json!(subject.tags);
    }
    if let Some(s) = &subject.scope {
        source["scope"] = s.clone().into();
    }
    let mut doc = json!({
        "document": MARKER,
        "schema_version": INVENTORY_SCHEMA_VERSION,
        "tool": { "name": "dockguard", "version": opts.tool_version },
        "source": source,
        "packages": packages,
    });
    if let Some(d) = &inv.distro {
        doc["distro"] = json!(d);
    }
    if !inv.problems.is_empty() {
        doc["problems"] = json!(inv.problems);
    }
    doc
}
