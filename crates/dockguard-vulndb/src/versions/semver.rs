//! SemVer 2.0 ordering (npm, crates.io, Hex, Pub), lenient about what real data contains.
//!
//! A leading `v` is ignored; missing minor/patch count as 0; build metadata (`+…`) and any
//! numeric component after the third are ignored for ordering; text glued to the last number
//! (`2.0.1a`) is read as a pre-release.

use super::{cmp_digits, take_while};
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parsed<'a> {
    pub core: Vec<&'a str>,
    pub pre: Option<&'a str>,
}

/// Splits a version into up to `width` numeric core components and its pre-release.
pub(crate) fn parse(v: &str, width: usize) -> Parsed<'_> {
    let v = v.trim();
    let v = v.strip_prefix(['v', 'V']).unwrap_or(v);
    let v = v.split_once('+').map_or(v, |(main, _build)| main);
    let mut core = Vec::new();
    let mut rest = v;
    loop {
        let (digits, after) = take_while(rest, |b| b.is_ascii_digit());
        if digits.is_empty() {
            break;
        }
        core.push(digits);
        rest = after;
        if core.len() == width {
            break;
        }
        match rest.strip_prefix('.') {
            Some(r) if r.starts_with(|c: char| c.is_ascii_digit()) => rest = r,
            _ => break,
        }
    }
    let pre = if let Some(p) = rest.strip_prefix('-') {
        Some(p)
    } else if rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
        // Extra numeric components beyond the core are build-like: ignored.
        None
    } else if rest.is_empty() {
        None
    } else {
        Some(rest.trim_start_matches('.'))
    };
    Parsed { core, pre }
}

fn cmp_core(a: &[&str], b: &[&str]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        match cmp_digits(
            a.get(i).copied().unwrap_or("0"),
            b.get(i).copied().unwrap_or("0"),
        ) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    Ordering::Equal
}

/// Pre-release precedence: dot-separated identifiers, numbers below text, more identifiers
/// newer; `fold` lower-cases text identifiers first (NuGet).
pub(crate) fn cmp_pre(a: Option<&str>, b: Option<&str>, fold: bool) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) => {
            let mut xs = a.split('.');
            let mut ys = b.split('.');
            loop {
                match (xs.next(), ys.next()) {
                    (None, None) => return Ordering::Equal,
                    (None, Some(_)) => return Ordering::Less,
                    (Some(_), None) => return Ordering::Greater,
                    (Some(x), Some(y)) => {
                        let xn = !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
                        let yn = !y.is_empty() && y.bytes().all(|c| c.is_ascii_digit());
                        let ord = match (xn, yn) {
                            (true, true) => cmp_digits(x, y),
                            (true, false) => Ordering::Less,
                            (false, true) => Ordering::Greater,
                            (false, false) if fold => {
                                x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase())
                            }
                            (false, false) => x.cmp(y),
                        };
                        if ord != Ordering::Equal {
                            return ord;
                        }
                    }
                }
            }
        }
    }
}

pub fn compare(a: &str, b: &str) -> Ordering {
    let (x, y) = (parse(a, 3), parse(b, 3));
    cmp_core(&x.core, &y.core).then_with(|| cmp_pre(x.pre, y.pre, false))
}

pub(crate) fn compare_width(a: &str, b: &str, width: usize, fold: bool) -> Ordering {
    let (x, y) = (parse(a, width), parse(b, width));
    cmp_core(&x.core, &y.core).then_with(|| cmp_pre(x.pre, y.pre, fold))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::{fixture_tests, props, Scheme};
    use proptest::prelude::*;

    #[test]
    fn fixture_comparisons_hold() {
        fixture_tests::assert_all("semver-versions.txt", Scheme::SemVer);
    }

    #[test]
    fn spec_precedence_example() {
        let ordered = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
        ];
        for w in ordered.windows(2) {
            assert_eq!(compare(w[0], w[1]), Ordering::Less);
        }
    }

    proptest! {
        #[test]
        fn order_laws(a in props::version_like(".-+"), b in props::version_like(".-+"), c in props::version_like(".-+")) {
            props::check_laws(compare, &a, &b, &c);
        }

        #[test]
        fn numeric_order(a in (0u64..1000, 0u64..1000, 0u64..1000), b in (0u64..1000, 0u64..1000, 0u64..1000)) {
            let va = format!("{}.{}.{}", a.0, a.1, a.2);
            let vb = format!("{}.{}.{}", b.0, b.1, b.2);
            prop_assert_eq!(compare(&va, &vb), a.cmp(&b));
            prop_assert_eq!(compare(&format!("{va}-rc.1"), &va), Ordering::Less);
        }
    }
}
