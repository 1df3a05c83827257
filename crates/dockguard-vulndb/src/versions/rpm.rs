//! RPM versions (`[epoch:]version[-release]`), ordered with rpm's `rpmvercmp`, including `~`
//! (sorts before everything) and `^` (sorts after the base version but before any longer one).
//!
//! A missing epoch is 0. A missing release sorts before any release, even an empty one, which is
//! how the OSV data (and osv-scalibr) order `1` against `1-0`.

use super::cmp_digits;
use std::cmp::Ordering;

struct Evr<'a> {
    epoch: &'a str,
    version: &'a str,
    release: Option<&'a str>,
}

fn split(v: &str) -> Evr<'_> {
    let v = v.trim();
    let (epoch, rest) = match v.split_once(':') {
        Some((e, r)) => (if e.is_empty() { "0" } else { e }, r),
        None => ("0", v),
    };
    let (version, release) = match rest.rsplit_once('-') {
        Some((ver, rel)) => (ver, Some(rel)),
        None => (rest, None),
    };
    Evr {
        epoch,
        version,
        release,
    }
}

pub fn compare(a: &str, b: &str) -> Ordering {
    let (a, b) = (split(a), split(b));
    rpmvercmp(a.epoch, b.epoch)
        .then_with(|| rpmvercmp(a.version, b.version))
        .then_with(|| match (a.release, b.release) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => rpmvercmp(x, y),
        })
}

/// rpm's segment comparison of one field.
pub fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let skip = |c: u8| !c.is_ascii_alphanumeric() && c != b'~' && c != b'^';
    loop {
        while i < a.len() && skip(a[i]) {
            i += 1;
        }
        while j < b.len() && skip(b[j]) {
            j += 1;
        }
        let (ca, cb) = (a.get(i).copied(), b.get(j).copied());
        if ca == Some(b'~') || cb == Some(b'~') {
            if ca != Some(b'~') {
                return Ordering::Greater;
            }
            if cb != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca == Some(b'^') || cb == Some(b'^') {
            if ca.is_none() {
                return Ordering::Less;
            }
            if cb.is_none() {
                return Ordering::Greater;
            }
            if ca != Some(b'^') {
                return Ordering::Greater;
            }
            if cb != Some(b'^') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        let (Some(first), Some(_)) = (ca, cb) else {
            break;
        };
        let numeric = first.is_ascii_digit();
        let class = |c: u8| {
            if numeric {
                c.is_ascii_digit()
            } else {
                c.is_ascii_alphabetic()
            }
        };
        let si = i;
        while i < a.len() && class(a[i]) {
            i += 1;
        }
        let sj = j;
        while j < b.len() && class(b[j]) {
            j += 1;
        }
        if sj == j {
            // Segments of different kinds: a number is newer than letters.
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let (x, y) = (&a[si..i], &b[sj..j]);
        let ord = if numeric {
            cmp_digits(
                std::str::from_utf8(x).unwrap_or(""),
                std::str::from_utf8(y).unwrap_or(""),
            )
        } else {
            x.cmp(y)
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    match (i < a.len(), j < b.len()) {
        (false, false) => Ordering::Equal,
        (false, true) => Ordering::Less,
        _ => Ordering::Greater,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::{fixture_tests, props, Scheme};
    use proptest::prelude::*;

    #[test]
    fn fixture_comparisons_hold() {
        fixture_tests::assert_all("redhat-versions.txt", Scheme::Rpm);
    }

    #[test]
    fn epochs_and_releases() {
        assert_eq!(compare("1:1.0-1.el9", "2.0-1.el9"), Ordering::Greater);
        assert_eq!(compare("2.28-225.el9", "2.28-225.el9_3.1"), Ordering::Less);
        assert_eq!(compare("1.0~rc1-1", "1.0-1"), Ordering::Less);
    }

    proptest! {
        #[test]
        fn order_laws(a in props::version_like(".-~^_"), b in props::version_like(".-~^_"), c in props::version_like(".-~^_")) {
            props::check_laws(compare, &a, &b, &c);
        }

        #[test]
        fn caret_sorts_between(base in "[0-9]{1,3}(\\.[0-9]{1,3}){0,2}", snap in "[a-z0-9]{1,4}") {
            let post = format!("{base}^{snap}");
            prop_assert_eq!(compare(&post, &base), Ordering::Greater);
            prop_assert_eq!(compare(&post, &format!("{base}.1")), Ordering::Less);
        }
    }
}
