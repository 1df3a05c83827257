//! Debian package versions (`[epoch:]upstream[-revision]`), ordered as `dpkg --compare-versions`.
//!
//! A non-numeric epoch is not an epoch: the whole string is then compared as the upstream part,
//! which keeps malformed versions in a stable place instead of failing.

use super::cmp_digits;
use std::cmp::Ordering;

struct Parts<'a> {
    epoch: &'a str,
    upstream: &'a str,
    revision: &'a str,
}

fn split(v: &str) -> Parts<'_> {
    let v = v.trim();
    let (epoch, rest) = match v.split_once(':') {
        Some((e, r)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => (e, r),
        _ => ("0", v),
    };
    let (upstream, revision) = rest.rsplit_once('-').unwrap_or((rest, ""));
    Parts {
        epoch,
        upstream,
        revision,
    }
}

pub fn compare(a: &str, b: &str) -> Ordering {
    let (a, b) = (split(a), split(b));
    cmp_digits(a.epoch, b.epoch)
        .then_with(|| verrevcmp(a.upstream, b.upstream))
        .then_with(|| verrevcmp(a.revision, b.revision))
}

/// Weight of a non-digit character: `~` sorts before everything, even the end of the string;
/// letters before other characters.
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => c as i32,
        Some(c) => c as i32 + 256,
    }
}

fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        // Non-digit prefix, character by character.
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let ac = order(a.get(i).copied());
            let bc = order(b.get(j).copied());
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        let si = i;
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        let sj = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        // Both slices are ASCII digits, so the conversion cannot fail.
        let da = std::str::from_utf8(&a[si..i]).unwrap_or("");
        let db = std::str::from_utf8(&b[sj..j]).unwrap_or("");
        match cmp_digits(da, db) {
            Ordering::Equal => {}
            other => return other,
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
        fixture_tests::assert_all("debian-versions.txt", Scheme::Dpkg);
    }

    #[test]
    fn tilde_sorts_before_everything() {
        assert_eq!(compare("1.0~rc1", "1.0"), Ordering::Less);
        assert_eq!(compare("1.0~~", "1.0~"), Ordering::Less);
        assert_eq!(compare("1:0.1", "2.0"), Ordering::Greater);
        assert_eq!(compare("1.0-1", "1.0+b1-1"), Ordering::Less);
        assert_eq!(
            compare("3.0.11-1~deb12u2", "3.0.11-1~deb12u1"),
            Ordering::Greater
        );
    }

    proptest! {
        #[test]
        fn order_laws(a in props::version_like(".-+~:"), b in props::version_like(".-+~:"), c in props::version_like(".-+~:")) {
            props::check_laws(compare, &a, &b, &c);
        }

        #[test]
        fn tilde_suffix_is_older(base in "[0-9]{1,3}(\\.[0-9]{1,3}){0,2}", suffix in "[a-z0-9]{0,4}") {
            let pre = format!("{base}~{suffix}");
            prop_assert_eq!(compare(&pre, &base), Ordering::Less);
        }
    }
}
