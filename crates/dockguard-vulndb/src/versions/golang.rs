//! Go module versions: SemVer with a `v` prefix, `+incompatible` (build metadata, ignored) and
//! pseudo-versions (pre-releases, so they order by base version then timestamp). The `stdlib`
//! and `toolchain` modules use Go release names (`go1.21.3`, `go1.22rc1`), which are mapped to
//! the SemVer form the Go vulnerability database uses (`1.21.3`, `1.22.0-rc.1`).

use std::cmp::Ordering;

/// Canonical SemVer form of a Go version (without `v`).
pub fn canonical(v: &str) -> String {
    let v = v.trim();
    let Some(rest) = v.strip_prefix("go") else {
        return v.strip_prefix('v').unwrap_or(v).to_string();
    };
    if !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return v.to_string();
    }
    // go1.N[.P][(alpha|beta|rc)K]
    let (num, tail) = super::take_while(rest, |b| b.is_ascii_digit() || b == b'.');
    let mut parts: Vec<&str> = num.split('.').filter(|p| !p.is_empty()).collect();
    while parts.len() < 3 {
        parts.push("0");
    }
    let mut out = parts.join(".");
    if !tail.is_empty() {
        let (label, n) = super::take_while(tail, |b| b.is_ascii_alphabetic());
        out.push('-');
        out.push_str(label);
        if !n.is_empty() {
            out.push('.');
            out.push_str(n);
        }
    }
    out
}

pub fn compare(a: &str, b: &str) -> Ordering {
    super::semver::compare(&canonical(a), &canonical(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::{fixture_tests, props, Scheme};
    use proptest::prelude::*;

    #[test]
    fn fixture_comparisons_hold() {
        fixture_tests::assert_all("semver-versions.txt", Scheme::Go);
    }

    #[test]
    fn go_specifics() {
        assert_eq!(canonical("go1.21"), "1.21.0");
        assert_eq!(canonical("go1.22rc1"), "1.22.0-rc.1");
        assert_eq!(compare("go1.21.3", "1.21.4"), Ordering::Less);
        assert_eq!(compare("go1.22rc1", "1.22.0"), Ordering::Less);
        assert_eq!(compare("go1.22rc1", "1.21.9"), Ordering::Greater);
        assert_eq!(compare("v2.0.0+incompatible", "2.0.0"), Ordering::Equal);
        assert_eq!(
            compare(
                "v0.0.0-20210101000000-abcdefabcdef",
                "v0.0.0-20220101000000-abcdefabcdef"
            ),
            Ordering::Less
        );
        assert_eq!(
            compare("v1.2.4-0.20210101000000-abcdefabcdef", "v1.2.4"),
            Ordering::Less
        );
        assert_eq!(
            compare("v1.2.4-0.20210101000000-abcdefabcdef", "v1.2.3"),
            Ordering::Greater
        );
    }

    proptest! {
        #[test]
        fn order_laws(a in props::version_like(".-+"), b in props::version_like(".-+"), c in props::version_like(".-+")) {
            props::check_laws(compare, &a, &b, &c);
        }
    }
}
