//! Packagist (Composer) versions, ordered like PHP's `version_compare` after Composer's
//! clean-up: a leading `v` is dropped, `-`, `_` and `+` separate components, digit/letter
//! boundaries split components, and special words rank
//! `dev (and unknown words) < alpha = a < beta = b < RC = rc < number < patch = pl = p`.

use super::cmp_digits;
use std::cmp::Ordering;

fn components(v: &str) -> Vec<String> {
    let v = v.trim();
    let v = v.strip_prefix(['v', 'V']).unwrap_or(v).to_ascii_lowercase();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev: Option<char> = None;
    for c in v.chars() {
        if matches!(c, '-' | '_' | '+' | '.') {
            out.push(std::mem::take(&mut cur));
            prev = None;
            continue;
        }
        if let Some(p) = prev {
            if p.is_ascii_digit() != c.is_ascii_digit() {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
        prev = Some(c);
    }
    out.push(cur);
    out
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Rank of a special word; a number ranks like `#`.
fn weight(s: &str) -> u8 {
    if is_number(s) {
        return 4;
    }
    const SPECIALS: [&str; 6] = ["dev", "a", "b", "rc", "#", "p"];
    SPECIALS
        .iter()
        .position(|p| s.starts_with(p))
        .map_or(0, |i| i as u8)
}

fn cmp_components(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let ord = if is_number(x) && is_number(y) {
            cmp_digits(x, y)
        } else {
            weight(x).cmp(&weight(y))
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    let hash = ["#".to_string()];
    match a.len().cmp(&b.len()) {
        Ordering::Equal => Ordering::Equal,
        Ordering::Greater if is_number(&a[b.len()]) => Ordering::Greater,
        Ordering::Greater => cmp_components(&a[b.len()..], &hash),
        Ordering::Less if is_number(&b[a.len()]) => Ordering::Less,
        Ordering::Less => cmp_components(&hash, &b[a.len()..]),
    }
}

pub fn compare(a: &str, b: &str) -> Ordering {
    cmp_components(&components(a), &components(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::{fixture_tests, props, Scheme};
    use proptest::prelude::*;

    #[test]
    fn fixture_comparisons_hold() {
        fixture_tests::assert_all("packagist-versions.txt", Scheme::Packagist);
    }

    proptest! {
        #[test]
        fn order_laws(a in props::version_like(".-"), b in props::version_like(".-"), c in props::version_like(".-")) {
            props::check_laws(compare, &a, &b, &c);
        }
    }
}
