//! The "simple signing" payload cosign signs: a small JSON document binding the image's
//! manifest digest, with user annotations in its `optional` section.
//!
//! The bytes matter, not just the meaning: verifiers hash the stored payload, so ours is laid
//! out the way Go's `encoding/json` marshals cosign's structs (field order `critical`,
//! `optional`; `identity`, `image`, `type`; map keys sorted; `<`, `>`, `&`, U+2028 and U+2029
//! escaped) and a payload from either tool is byte-identical for the same inputs.

use crate::error::{Error, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// The `critical.type` every cosign container signature carries.
pub const COSIGN_SIGNATURE_TYPE: &str = "cosign container image signature";
/// Payloads are a few hundred bytes; a bound keeps hostile layers from costing memory.
pub const MAX_PAYLOAD_SIZE: u64 = 1 << 20;

#[derive(Serialize)]
struct Payload<'a> {
    critical: Critical<'a>,
    optional: Option<&'a BTreeMap<String, serde_json::Value>>,
}

#[derive(Serialize)]
struct Critical<'a> {
    identity: Identity<'a>,
    image: ImageDigest<'a>,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Serialize)]
struct Identity<'a> {
    #[serde(rename = "docker-reference")]
    docker_reference: &'a str,
}

#[derive(Serialize)]
struct ImageDigest<'a> {
    #[serde(rename = "docker-manifest-digest")]
    docker_manifest_digest: &'a str,
}

/// Builds the payload for `digest` (`sha256:…`) of the repository `docker_reference`.
/// No annotations give `"optional":null`, as cosign writes.
pub fn build(
    docker_reference: &str,
    digest: &str,
    annotations: &BTreeMap<String, String>,
) -> Vec<u8> {
    let optional: BTreeMap<String, serde_json::Value> = annotations
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    let p = Payload {
        critical: Critical {
            identity: Identity { docker_reference },
            image: ImageDigest {
                docker_manifest_digest: digest,
            },
            kind: COSIGN_SIGNATURE_TYPE,
        },
        optional: (!optional.is_empty()).then_some(&optional),
    };
    let json = serde_json::to_string(&p).unwrap_or_default();
    go_html_escape(&json).into_bytes()
}

/// Go's encoder escapes these inside strings; they never occur outside strings in JSON.
fn go_html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A parsed payload.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SimpleSigning {
    pub docker_reference: String,
    pub manifest_digest: String,
    pub kind: String,
    /// The `optional` section (annotations and anything else a signer added).
    pub optional: BTreeMap<String, serde_json::Value>,
}

impl SimpleSigning {
    /// Parses payload bytes; lenient about extra fields, strict about the binding ones.
    pub fn parse(what: &str, bytes: &[u8]) -> Result<SimpleSigning> {
        if bytes.len() as u64 > MAX_PAYLOAD_SIZE {
            return Err(Error::format(what, "payload larger than 1 MiB"));
        }
        let v: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| Error::format(what, format!("payload is not JSON: {e}")))?;
        let critical = v
            .get("critical")
            .ok_or_else(|| Error::format(what, "payload has no 'critical' section"))?;
        let text = |path: &[&str]| -> Option<String> {
            let mut cur = critical;
            for p in path {
                cur = cur.get(p)?;
            }
            cur.as_str().map(str::to_string)
        };
        let manifest_digest = text(&["image", "docker-manifest-digest"]).ok_or_else(|| {
            Error::format(what, "payload has no critical.image.docker-manifest-digest")
        })?;
        let optional = match v.get("optional") {
            Some(serde_json::Value::Object(m)) => {
                m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
            }
            _ => BTreeMap::new(),
        };
        Ok(SimpleSigning {
            docker_reference: text(&["identity", "docker-reference"]).unwrap_or_default(),
            manifest_digest,
            kind: text(&["type"]).unwrap_or_default(),
            optional,
        })
    }

    /// The annotation's value as text (strings bare, anything else as JSON).
    pub fn annotation(&self, key: &str) -> Option<String> {
        self.optional.get(key).map(|v| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:a57b076ab437d3e56d2b1463a415c2774a6bcc5229b9bc024dbc12730a2680d6";

    #[test]
    fn matches_cosign_layout() {
        let p = build("127.0.0.1:5000/dg/app", D, &BTreeMap::new());
        assert_eq!(
            String::from_utf8(p).unwrap(),
            format!(
                r#"{{"critical":{{"identity":{{"docker-reference":"127.0.0.1:5000/dg/app"}},"image":{{"docker-manifest-digest":"{D}"}},"type":"cosign container image signature"}},"optional":null}}"#
            )
        );
        let mut a = BTreeMap::new();
        a.insert("z".to_string(), "1".to_string());
        a.insert("a".to_string(), "<b>&".to_string());
        let p = String::from_utf8(build("r", D, &a)).unwrap();
        assert!(
            p.ends_with(r#""optional":{"a":"\u003cb\u003e\u0026","z":"1"}}"#),
            "{p}"
        );
        let parsed = SimpleSigning::parse("p", p.as_bytes()).unwrap();
        assert_eq!(parsed.annotation("a").as_deref(), Some("<b>&"));
        assert_eq!(parsed.manifest_digest, D);
        assert_eq!(parsed.kind, COSIGN_SIGNATURE_TYPE);
    }

    #[test]
    fn malformed_payloads() {
        for bad in [
            &b""[..],
            b"[]",
            b"{\"critical\":{}}",
            b"{\"critical\":{\"image\":{\"docker-manifest-digest\":5}}}",
            b"\xff",
        ] {
            assert!(SimpleSigning::parse("p", bad).is_err());
        }
    }
}
