//! Telling SPDX licence identifiers and expressions from free-form licence names.
//!
//! Catalogers keep licences as declared (`GPL-2`, `MIT`, `BSD-3-clause`, `Apache 2.0`). Both
//! formats only accept listed identifiers in their identifier fields, so everything else is
//! written as a name (CycloneDX) or a `LicenseRef-` (SPDX).

use std::collections::HashMap;
use std::sync::OnceLock;

/// The SPDX License List identifiers (3.28.0, the enum of CycloneDX's `spdx.schema.json`).
const IDS: &str = include_str!("spdx-license-ids.txt");

fn ids() -> &'static HashMap<String, &'static str> {
    static IDS_MAP: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    IDS_MAP.get_or_init(|| {
        IDS.lines()
            .filter(|l| !l.is_empty())
            .map(|l| (l.to_ascii_lowercase(), l))
            .collect()
    })
}

/// The listed identifier `s` names, in its canonical case (SPDX ids match case-insensitively).
pub(crate) fn spdx_id(s: &str) -> Option<&'static str> {
    ids().get(&s.trim().to_ascii_lowercase()).copied()
}

/// `s` as a valid SPDX expression whose licences are all listed (`MIT OR Apache-2.0`,
/// `GPL-2.0-or-later WITH Classpath-exception-2.0`), with identifiers in canonical case.
pub(crate) fn spdx_expression(s: &str) -> Option<String> {
    let spaced = s.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    if tokens.is_empty() || tokens.len() > 64 {
        return None;
    }
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut depth = 0i32;
    // true when the next token must be a licence (or an opening parenthesis).
    let mut want_operand = true;
    let mut after_with = false;
    for t in tokens {
        match t {
            "(" if want_operand => {
                depth += 1;
                out.push("(".into());
            }
            ")" if !want_operand => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
                out.push(")".into());
            }
            op if !want_operand
                && ["AND", "OR", "WITH"].contains(&op.to_ascii_uppercase().as_str()) =>
            {
                let op = op.to_ascii_uppercase();
                after_with = op == "WITH";
                out.push(op);
                want_operand = true;
            }
            id if want_operand => {
                if after_with {
                    // Exception ids are a separate list; accept anything id-shaped.
                    if !id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                    {
                        return None;
                    }
                    out.push(id.to_string());
                } else {
                    let (base, plus) = match id.strip_suffix('+') {
                        Some(b) => (b, "+"),
                        None => (id, ""),
                    };
                    out.push(format!("{}{plus}", spdx_id(base)?));
                }
                after_with = false;
                want_operand = false;
            }
            _ => return None,
        }
    }
    if want_operand || depth != 0 {
        return None;
    }
    Some(out.join(" ").replace("( ", "(").replace(" )", ")"))
}

/// An SPDX `LicenseRef-` for a free-form licence name. Different names give different refs,
/// because a digest of the name is part of it.
pub(crate) fn license_ref(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(48)
        .collect();
    format!(
        "LicenseRef-{}-{}",
        clean.trim_matches('-'),
        &crate::ids::short_hash(&[name])[..8]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_expressions() {
        assert_eq!(spdx_id("mit"), Some("MIT"));
        assert_eq!(spdx_id("GPL-2"), None);
        assert_eq!(
            spdx_expression("MIT or apache-2.0").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            spdx_expression("(MIT OR Apache-2.0) AND BSD-3-Clause").as_deref(),
            Some("(MIT OR Apache-2.0) AND BSD-3-Clause")
        );
        assert_eq!(
            spdx_expression("GPL-2.0-or-later WITH Classpath-exception-2.0").as_deref(),
            Some("GPL-2.0-or-later WITH Classpath-exception-2.0")
        );
        assert_eq!(spdx_expression("Apache 2.0"), None);
        assert_eq!(spdx_expression("MIT OR"), None);
        assert_eq!(spdx_expression("(MIT"), None);
        assert_eq!(spdx_expression(""), None);
        let r = license_ref("public domain");
        assert!(r.starts_with("LicenseRef-public-domain-"), "{r}");
        assert_ne!(r, license_ref("public-domain"));
    }
}
