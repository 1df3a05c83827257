//! Version ordering, one module per versioning scheme.
//!
//! Every comparator is total: a version that does not follow its scheme still gets a
//! deterministic place in the order (each module documents its fallback), because advisory data
//! and package databases both contain such versions and matching must not give up on them.

use std::cmp::Ordering;

pub mod apk;
pub mod dpkg;
pub mod golang;
pub mod maven;
pub mod nuget;
pub mod packagist;
pub mod pep440;
pub mod rpm;
pub mod rubygems;
pub mod semver;

/// A versioning scheme: how versions of one ecosystem are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    Dpkg,
    Apk,
    Rpm,
    Pep440,
    SemVer,
    NuGet,
    Go,
    Maven,
    RubyGems,
    Packagist,
}

impl Scheme {
    /// The scheme of an OSV ecosystem (`Debian:12`, `PyPI`, …), or `None` when we have no
    /// comparator for it (such advisories only match through explicit `versions` lists).
    pub fn for_ecosystem(ecosystem: &str) -> Option<Scheme> {
        let base = ecosystem.split(':').next().unwrap_or("").trim();
        Some(match base.to_ascii_lowercase().as_str() {
            "debian" | "ubuntu" => Scheme::Dpkg,
            "alpine" | "wolfi" | "chainguard" | "alpaquita" | "bellsoft hardened containers" => {
                Scheme::Apk
            }
            "almalinux" | "rocky linux" | "red hat" | "redhat" | "rhel" | "opensuse" | "suse"
            | "mageia" | "openeuler" | "azure linux" | "mariner" | "fedora" | "centos"
            | "oracle linux" | "amazon linux" => Scheme::Rpm,
            "pypi" => Scheme::Pep440,
            "npm" | "crates.io" | "hex" | "pub" | "swifturl" | "bitnami" => Scheme::SemVer,
            "nuget" => Scheme::NuGet,
            "go" => Scheme::Go,
            "maven" => Scheme::Maven,
            "rubygems" => Scheme::RubyGems,
            "packagist" => Scheme::Packagist,
            _ => return None,
        })
    }

    /// The name `dockguard version cmp` and the docs use for the scheme.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Dpkg => "dpkg",
            Scheme::Apk => "apk",
            Scheme::Rpm => "rpm",
            Scheme::Pep440 => "pep440",
            Scheme::SemVer => "semver",
            Scheme::NuGet => "nuget",
            Scheme::Go => "go",
            Scheme::Maven => "maven",
            Scheme::RubyGems => "rubygems",
            Scheme::Packagist => "packagist",
        }
    }

    /// Accepts a scheme name as well as an ecosystem name, so `version cmp dpkg …` and
    /// `version cmp Debian:12 …` both work.
    pub fn parse(name: &str) -> Option<Scheme> {
        let all = [
            Scheme::Dpkg,
            Scheme::Apk,
            Scheme::Rpm,
            Scheme::Pep440,
            Scheme::SemVer,
            Scheme::NuGet,
            Scheme::Go,
            Scheme::Maven,
            Scheme::RubyGems,
            Scheme::Packagist,
        ];
        all.into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
            .or_else(|| Scheme::for_ecosystem(name))
    }

    pub fn compare(self, a: &str, b: &str) -> Ordering {
        match self {
            Scheme::Dpkg => dpkg::compare(a, b),
            Scheme::Apk => apk::compare(a, b),
            Scheme::Rpm => rpm::compare(a, b),
            Scheme::Pep440 => pep440::compare(a, b),
            Scheme::SemVer => semver::compare(a, b),
            Scheme::NuGet => nuget::compare(a, b),
            Scheme::Go => golang::compare(a, b),
            Scheme::Maven => maven::compare(a, b),
            Scheme::RubyGems => rubygems::compare(a, b),
            Scheme::Packagist => packagist::compare(a, b),
        }
    }
}

impl Scheme {
    /// A cheap necessary condition for `compare(a, b) == Equal`, used to skip most full
    /// comparisons against long lists of affected versions.
    ///
    /// In the schemes it is applied to, equal versions have the same digit runs once runs of
    /// zeros are dropped and leading zeros stripped (zeros may be implicit: `1.0` = `1.0.0`,
    /// `0:1.0` = `1.0`, `1.0.post0` = `1.0.post`). Schemes that ignore build metadata
    /// (SemVer, NuGet, Go) or treat malformed versions loosely (apk: `1-r0-1` = `1-r-2`)
    /// always answer `true`.
    pub(crate) fn may_equal(self, a: &str, b: &str) -> bool {
        match self {
            Scheme::Pep440 | Scheme::Dpkg | Scheme::Rpm => {
                nonzero_digit_runs(a).eq(nonzero_digit_runs(b))
            }
            _ => true,
        }
    }
}

/// The runs of ASCII digits in `s`, leading zeros stripped, all-zero runs left out.
fn nonzero_digit_runs(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_digit())
        .map(|run| run.trim_start_matches('0'))
        .filter(|run| !run.is_empty())
}

/// Orders two versions of an OSV ecosystem; `None` when the ecosystem has no comparator.
pub fn compare(ecosystem: &str, a: &str, b: &str) -> Option<Ordering> {
    Scheme::for_ecosystem(ecosystem).map(|s| s.compare(a, b))
}

/// Sorts stably by a comparator that may not be a total order.
///
/// Advisory data is untrusted and some schemes (Maven's) are not transitive on every input, so
/// the standard library's sort, which may panic on such comparators, is not used. This is a
/// binary insertion sort: O(n log n) comparisons, and the moves are cheap for the short lists
/// of events and fixed versions it sorts.
pub(crate) fn stable_sort_by<T>(items: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..items.len() {
        let (sorted, rest) = items.split_at(i);
        let item = &rest[0];
        let at = sorted.partition_point(|x| cmp(x, item) != Ordering::Greater);
        items[at..=i].rotate_right(1);
    }
}

/// Sorts versions lowest first in `scheme` order (see [`stable_sort_by`]).
pub(crate) fn sort_versions(scheme: Scheme, versions: &mut [String]) {
    if versions.len() > 1 {
        stable_sort_by(versions, |a, b| scheme.compare(a, b));
    }
}

/// Compares two runs of ASCII digits as unbounded integers: versions such as
/// `20190126.230843` or 30-digit components must not overflow or be cut.
pub(crate) fn cmp_digits(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Splits off the longest prefix of `s` whose bytes satisfy `pred`.
pub(crate) fn take_while(s: &str, pred: impl Fn(u8) -> bool) -> (&str, &str) {
    let n = s.bytes().take_while(|&b| pred(b)).count();
    s.split_at(n)
}

#[cfg(test)]
pub(crate) mod fixture_tests {
    //! Runs the shared hand-written comparison files (`versions/*-versions.txt`).
    use super::Scheme;
    use std::cmp::Ordering;

    /// Returns the failing lines, each as a message.
    pub fn run(file: &str, scheme: Scheme) -> Option<(usize, Vec<String>)> {
        let path = dockguard_testkit::fixture(&format!("versions/{file}"))?;
        let text = std::fs::read_to_string(&path).expect("readable fixture");
        let mut failures = Vec::new();
        let mut total = 0;
        for (no, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with("# ") || line.starts_with("// ") {
                continue;
            }
            let parts: Vec<&str> = line.split(' ').collect();
            let [a, op, b] = parts[..] else {
                panic!("{file}:{}: malformed line {line:?}", no + 1)
            };
            let want = match op {
                "<" => Ordering::Less,
                "=" => Ordering::Equal,
                ">" => Ordering::Greater,
                _ => panic!("{file}:{}: bad operator {op}", no + 1),
            };
            total += 1;
            if want == Ordering::Equal && !scheme.may_equal(a, b) {
                failures.push(format!(
                    "{file}:{}: {a} = {b} but may_equal says they cannot be",
                    no + 1
                ));
            }
            let got = scheme.compare(a, b);
            let back = scheme.compare(b, a);
            if got != want || back != want.reverse() {
                failures.push(format!(
                    "{file}:{}: {a} {op} {b}: got {got:?} / reverse {back:?}",
                    no + 1
                ));
            }
        }
        Some((total, failures))
    }

    pub fn assert_all(file: &str, scheme: Scheme) {
        if let Some((total, failures)) = run(file, scheme) {
            assert!(
                failures.is_empty(),
                "{} of {total} comparisons fail:\n{}",
                failures.len(),
                failures.join("\n")
            );
        }
    }
}

#[cfg(test)]
mod may_equal_tests {
    use super::{props, Scheme};
    use proptest::prelude::*;

    fn holds(scheme: Scheme, a: &str, b: &str) -> Result<(), TestCaseError> {
        if scheme.compare(a, b).is_eq() {
            prop_assert!(scheme.may_equal(a, b), "{scheme:?}: {a} = {b}");
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// `may_equal` never rules out a pair the full comparison calls equal.
        #[test]
        fn never_rejects_equal_versions(
            (a, b) in props::version_like(".-+~:_!").prop_flat_map(|a| (Just(a.clone()), props::respelled(a)))
        ) {
            for scheme in [Scheme::Pep440, Scheme::Dpkg, Scheme::Rpm] {
                holds(scheme, &a, &b)?;
            }
        }
    }

    #[test]
    fn rejects_different_numbers() {
        assert!(!Scheme::Pep440.may_equal("1.2", "1.3"));
        assert!(Scheme::Pep440.may_equal("1.0a1", "1.0.0alpha01"));
        assert!(Scheme::Dpkg.may_equal("0:1.0-0", "1.0"));
        assert!(Scheme::SemVer.may_equal("1.0.0+build5", "1.0.0"));
    }
}

#[cfg(test)]
pub(crate) mod props {
    //! Order laws every comparator must obey, checked with proptest over generated versions.
    use proptest::prelude::*;
    use std::cmp::Ordering;

    pub fn check_laws(cmp: fn(&str, &str) -> Ordering, a: &str, b: &str, c: &str) {
        assert_eq!(cmp(a, a), Ordering::Equal, "reflexive: {a}");
        assert_eq!(cmp(a, b), cmp(b, a).reverse(), "antisymmetric: {a} {b}");
        let (ab, bc, ac) = (cmp(a, b), cmp(b, c), cmp(a, c));
        if ab != Ordering::Greater && bc != Ordering::Greater {
            assert_ne!(ac, Ordering::Greater, "transitive: {a} <= {b} <= {c}");
        }
    }

    /// `v` respelled in ways that often compare equal: zeros padded, added or dropped, an
    /// explicit zero epoch, a changed separator.
    pub fn respelled(v: String) -> impl Strategy<Value = String> {
        let edits = proptest::collection::vec((0usize..6, 0usize..64), 0..4);
        edits.prop_map(move |edits| {
            let mut s = v.clone();
            for (kind, at) in edits {
                let at = if s.is_empty() { 0 } else { at % (s.len() + 1) };
                let at = (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
                match kind {
                    0 => s.insert(at, '0'),
                    1 => s.push_str(".0"),
                    2 => s.insert_str(0, "0:"),
                    3 => s.insert_str(0, "0!"),
                    4 => {
                        if let Some(stripped) = s.strip_suffix(".0") {
                            s = stripped.to_string();
                        }
                    }
                    _ => s = s.replacen('.', "-", 1),
                }
            }
            s
        })
    }

    /// A version-like string: alphanumeric runs joined by the scheme's separators.
    pub fn version_like(separators: &'static str) -> impl Strategy<Value = String> {
        let atom = prop_oneof![
            "[0-9]{1,3}",
            "[0-9]{1,3}",
            "[a-z]{1,5}",
            Just("rc".to_string()),
            Just("alpha".to_string()),
            Just("beta".to_string()),
            Just("0".to_string()),
        ];
        let sep = proptest::sample::select(separators.chars().collect::<Vec<_>>());
        (atom.clone(), proptest::collection::vec((sep, atom), 0..5)).prop_map(|(first, rest)| {
            let mut s = first;
            for (c, a) in rest {
                s.push(c);
                s.push_str(&a);
            }
            s
        })
    }
}
