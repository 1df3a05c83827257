//! CVSS v4.0 base score (placeholder until the macro-vector table lands).

pub(crate) fn base_score(_rest: &str) -> Option<f64> {
    None
}
