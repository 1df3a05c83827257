//! Shared by the SBOM integration tests: schema validators and fixture inventories.
#![allow(dead_code)]

use dockguard_catalog::image::{catalog_image, Scope};
use dockguard_catalog::Inventory;
use dockguard_sbom::Subject;
use serde_json::Value;
use std::path::Path;

const CDX: &str = include_str!("../schemas/bom-1.6.schema.json");
const CDX_SPDX_IDS: &str = include_str!("../schemas/spdx.schema.json");
const JSF: &str = include_str!("../schemas/jsf-0.82.schema.json");
const SPDX: &str = include_str!("../schemas/spdx-schema-2.3.json");

/// Serves the CycloneDX schema's relative references from the vendored files; anything else
/// is refused, so a test can never reach the network.
struct Vendored;

impl jsonschema::Retrieve for Vendored {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let text = match uri.as_str() {
            "http://cyclonedx.org/schema/spdx.schema.json" => CDX_SPDX_IDS,
            "http://cyclonedx.org/schema/jsf-0.82.schema.json" => JSF,
            other => return Err(format!("not vendored: {other}").into()),
        };
        Ok(serde_json::from_str(text)?)
    }
}

fn validator(text: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(text).expect("vendored schema is JSON");
    jsonschema::meta::validate(&schema).expect("vendored schema passes its meta-schema");
    jsonschema::options()
        .should_validate_formats(true)
        .with_retriever(Vendored)
        .build(&schema)
        .expect("schema compiles")
}

fn assert_valid(what: &str, v: &jsonschema::Validator, doc: &Value) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .take(20)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what} invalid:\n{}", errors.join("\n"));
}

pub fn assert_valid_cyclonedx(doc: &Value) {
    assert_valid("CycloneDX 1.6", &validator(CDX), doc);
}

pub fn assert_valid_spdx(doc: &Value) {
    assert_valid("SPDX 2.3", &validator(SPDX), doc);
}

/// Catalogues a fixture image; `None` (skip) when the fixture is missing outside CI.
pub fn fixture_inventory(relative: &str) -> Option<(Inventory, Subject)> {
    let path = dockguard_testkit::fixture(relative)?;
    let image = dockguard_image::open(&path.display().to_string(), &Default::default())
        .expect("fixture opens");
    let inv = catalog_image(&image, Scope::Squashed).expect("fixture catalogues");
    let subject = Subject {
        name: Path::new(relative)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned(),
        digest: image
            .manifest_digest
            .as_ref()
            .or(image.config_digest.as_ref())
            .map(|d| d.to_string()),
        tags: image.repo_tags.clone(),
        is_image: true,
        scope: Some("squashed".into()),
    };
    Some((inv, subject))
}
