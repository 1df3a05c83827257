//! RubyGems versions, ordered like `Gem::Version#<=>`: segments are runs of digits or letters,
//! `-` means `.pre.`, trailing zeros of the release and pre-release parts are dropped, and a
//! letter segment (pre-release) sorts below a number.

use super::cmp_digits;
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Num(String),
    Str(String),
}

fn segments(v: &str) -> Vec<Seg> {
    let v = v.trim().replace('-', ".pre.");
    let mut segs = Vec::new();
    let bytes = v.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        if bytes[i].is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let n = v[start..i].trim_start_matches('0');
            segs.push(Seg::Num(if n.is_empty() { "0".into() } else { n.into() }));
        } else if bytes[i].is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            segs.push(Seg::Str(v[start..i].to_string()));
        } else {
            i += 1;
        }
    }
    // canonical_segments: drop trailing zeros of the numeric prefix and of the rest separately.
    let split = segs
        .iter()
        .position(|s| matches!(s, Seg::Str(_)))
        .unwrap_or(segs.len());
    let mut rest = segs.split_off(split);
    let zero = Seg::Num("0".into());
    while segs.last() == Some(&zero) {
        segs.pop();
    }
    while rest.last() == Some(&zero) {
        rest.pop();
    }
    segs.extend(rest);
    segs
}

pub fn compare(a: &str, b: &str) -> Ordering {
    let (x, y) = (segments(a), segments(b));
    let zero = Seg::Num("0".into());
    for i in 0..x.len().max(y.len()) {
        let l = x.get(i).unwrap_or(&zero);
        let r = y.get(i).unwrap_or(&zero);
        let ord = match (l, r) {
            (Seg::Num(p), Seg::Num(q)) => cmp_digits(p, q),
            (Seg::Str(p), Seg::Str(q)) => p.cmp(q),
            (Seg::Str(_), Seg::Num(_)) => Ordering::Less,
            (Seg::Num(_), Seg::Str(_)) => Ordering::Greater,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::{fixture_tests, props, Scheme};
    use proptest::prelude::*;

    #[test]
    fn fixture_comparisons_hold() {
        fixture_tests::assert_all("rubygems-versions.txt", Scheme::RubyGems);
    }

    #[test]
    fn prerelease_before_release() {
        assert_eq!(compare("1.0.0.rc1", "1.0.0"), Ordering::Less);
        assert_eq!(compare("1.0.0-rc1", "1.0.0"), Ordering::Less);
        assert_eq!(compare("2.7.1", "2.7.10"), Ordering::Less);
    }

    proptest! {
        #[test]
        fn order_laws(a in props::version_like(".-"), b in props::version_like(".-"), c in props::version_like(".-")) {
            props::check_laws(compare, &a, &b, &c);
        }
    }
}
