//! CVSS base scores computed from vector strings, so a severity never depends on a score the
//! advisory may or may not carry.
//!
//! v3.0 and v3.1 use the specification's formulas (with 3.1's `Roundup`); v4.0 uses the
//! specification's macro-vector method (see [`v4`]).

mod v4;

use dockguard_core::Severity;

/// A parsed vector's base score and qualitative rating.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub base: f64,
    pub version: CvssVersion,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CvssVersion {
    V3,
    V4,
}

impl Score {
    /// The qualitative rating (None → `Info`, which dockguard uses for "no impact").
    pub fn severity(&self) -> Severity {
        rating(self.base)
    }
}

/// CVSS qualitative rating scale (identical in v3 and v4).
pub fn rating(score: f64) -> Severity {
    if score >= 9.0 {
        Severity::Critical
    } else if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else if score > 0.0 {
        Severity::Low
    } else {
        Severity::Info
    }
}

/// Base score of a `CVSS:3.x/…` or `CVSS:4.0/…` vector; `None` when the vector is malformed or
/// lacks a base metric.
pub fn score(vector: &str) -> Option<Score> {
    let vector = vector.trim();
    if let Some(rest) = vector
        .strip_prefix("CVSS:3.1/")
        .or_else(|| vector.strip_prefix("CVSS:3.0/"))
    {
        return v3(rest).map(|base| Score {
            base,
            version: CvssVersion::V3,
        });
    }
    if let Some(rest) = vector.strip_prefix("CVSS:4.0/") {
        return v4::base_score(rest).map(|base| Score {
            base,
            version: CvssVersion::V4,
        });
    }
    None
}

/// Metrics of a vector as (name, value) pairs; duplicates make the vector invalid.
pub(crate) fn metrics(rest: &str) -> Option<Vec<(&str, &str)>> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for part in rest.split('/') {
        let (k, v) = part.split_once(':')?;
        if out.iter().any(|(seen, _)| *seen == k) {
            return None;
        }
        out.push((k, v));
    }
    Some(out)
}

/// CVSS 3.1 `Roundup`: the smallest one-decimal number ≥ x, computed on integers to avoid
/// floating-point artefacts such as 4.000000001 → 4.1.
fn roundup(x: f64) -> f64 {
    let i = (x * 100_000.0).round() as i64;
    if i % 10_000 == 0 {
        i as f64 / 100_000.0
    } else {
        ((i / 10_000) + 1) as f64 / 10.0
    }
}

fn v3(rest: &str) -> Option<f64> {
    let m = metrics(rest)?;
    let get = |k: &str| m.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
    let changed = match get("S")? {
        "U" => false,
        "C" => true,
        _ => return None,
    };
    let av = match get("AV")? {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        "P" => 0.2,
        _ => return None,
    };
    let ac = match get("AC")? {
        "L" => 0.77,
        "H" => 0.44,
        _ => return None,
    };
    let pr = match (get("PR")?, changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        ("H", true) => 0.5,
        _ => return None,
    };
    let ui = match get("UI")? {
        "N" => 0.85,
        "R" => 0.62,
        _ => return None,
    };
    let cia = |k: &str| -> Option<f64> {
        match get(k)? {
            "H" => Some(0.56),
            "L" => Some(0.22),
            "N" => Some(0.0),
            _ => None,
        }
    };
    let (c, i, a) = (cia("C")?, cia("I")?, cia("A")?);
    let iss = 1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a);
    let impact = if changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
    } else {
        6.42 * iss
    };
    let exploitability = 8.22 * av * ac * pr * ui;
    if impact <= 0.0 {
        return Some(0.0);
    }
    Some(if changed {
        roundup((1.08 * (impact + exploitability)).min(10.0))
    } else {
        roundup((impact + exploitability).min(10.0))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_scores_match_the_calculator() {
        let cases = [
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
            ("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9),
            ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
            ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6),
        ];
        for (v, want) in cases {
            let got = score(v).unwrap_or_else(|| panic!("{v} parses")).base;
            assert!((got - want).abs() < 1e-9, "{v}: {got} != {want}");
        }
    }

    #[test]
    fn malformed_vectors_are_rejected() {
        for v in [
            "CVSS:3.1/AV:N",
            "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "AV:N/AC:L/Au:N/C:P/I:P/A:P",
            "",
        ] {
            assert!(score(v).is_none(), "{v}");
        }
    }

    #[test]
    fn rating_boundaries() {
        assert_eq!(rating(9.0), Severity::Critical);
        assert_eq!(rating(8.9), Severity::High);
        assert_eq!(rating(4.0), Severity::Medium);
        assert_eq!(rating(0.1), Severity::Low);
        assert_eq!(rating(0.0), Severity::Info);
    }
}
