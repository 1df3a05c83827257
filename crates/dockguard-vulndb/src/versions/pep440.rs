//! Python versions: PEP 440 (epoch, release, pre, post, dev, local), ordered like `packaging`.
//!
//! Strings that are not PEP 440 are ordered the way `packaging` < 22 ordered its legacy
//! versions: before every valid version, and among themselves by setuptools' old key. Advisories
//! for old PyPI releases still name such versions.

use super::cmp_digits;
use regex::Regex;
use std::cmp::Ordering;
use std::sync::OnceLock;

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)^\s*v?
            (?:(?P<epoch>[0-9]+)!)?
            (?P<release>[0-9]+(?:\.[0-9]+)*)
            (?P<pre>[-_.]?(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?P<pre_n>[0-9]+)?)?
            (?P<post>(?:-(?P<post_n1>[0-9]+))|(?:[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>[0-9]+)?))?
            (?P<dev>[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>[0-9]+)?)?
            (?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
            \s*$",
        )
        .expect("valid PEP 440 pattern")
    })
}

/// One sortable slot of the key; `Min`/`Max` stand for packaging's infinities.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    Min,
    Val(u8, String),
    Max,
}

impl Ord for Slot {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Slot::Min, Slot::Min) | (Slot::Max, Slot::Max) => Ordering::Equal,
            (Slot::Min, _) | (_, Slot::Max) => Ordering::Less,
            (_, Slot::Min) | (Slot::Max, _) => Ordering::Greater,
            (Slot::Val(pa, na), Slot::Val(pb, nb)) => pa.cmp(pb).then_with(|| cmp_digits(na, nb)),
        }
    }
}

impl PartialOrd for Slot {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum LocalPart {
    Text(String),
    Num(String),
}

impl Ord for LocalPart {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (LocalPart::Num(a), LocalPart::Num(b)) => cmp_digits(a, b),
            (LocalPart::Text(a), LocalPart::Text(b)) => a.cmp(b),
            (LocalPart::Num(_), LocalPart::Text(_)) => Ordering::Greater,
            (LocalPart::Text(_), LocalPart::Num(_)) => Ordering::Less,
        }
    }
}

impl PartialOrd for LocalPart {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    epoch: String,
    release: Vec<String>,
    pre: Slot,
    post: Slot,
    dev: Slot,
    local: Option<Vec<LocalPart>>,
}

impl Ord for Key {
    fn cmp(&self, o: &Self) -> Ordering {
        cmp_digits(&self.epoch, &o.epoch)
            .then_with(|| {
                for i in 0..self.release.len().max(o.release.len()) {
                    let a = self.release.get(i).map_or("0", String::as_str);
                    let b = o.release.get(i).map_or("0", String::as_str);
                    match cmp_digits(a, b) {
                        Ordering::Equal => {}
                        other => return other,
                    }
                }
                Ordering::Equal
            })
            .then_with(|| self.pre.cmp(&o.pre))
            .then_with(|| self.post.cmp(&o.post))
            .then_with(|| self.dev.cmp(&o.dev))
            .then_with(|| self.local.cmp(&o.local))
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn parse(v: &str) -> Option<Key> {
    // Fast path for plain releases (`1.2.3`), by far the most common spelling in advisory
    // version lists; the regular expression handles everything else.
    let plain = v.trim();
    if !plain.is_empty()
        && plain.as_bytes()[0].is_ascii_digit()
        && !plain.ends_with('.')
        && !plain.contains("..")
        && plain.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    {
        return Some(Key {
            epoch: "0".into(),
            release: plain.split('.').map(str::to_string).collect(),
            pre: Slot::Max,
            post: Slot::Min,
            dev: Slot::Max,
            local: None,
        });
    }
    let c = pattern().captures(v)?;
    let num = |name: &str| c.name(name).map(|m| m.as_str().to_string());
    let release = c["release"].split('.').map(str::to_string).collect();
    let pre = match c.name("pre_l") {
        Some(l) => {
            let phase = match l.as_str().to_ascii_lowercase().as_str() {
                "a" | "alpha" => 0,
                "b" | "beta" => 1,
                _ => 2,
            };
            Slot::Val(phase, num("pre_n").unwrap_or_else(|| "0".into()))
        }
        None => Slot::Max,
    };
    let post = if c.name("post").is_some() {
        Slot::Val(
            0,
            num("post_n1")
                .or_else(|| num("post_n2"))
                .unwrap_or_else(|| "0".into()),
        )
    } else {
        Slot::Min
    };
    let dev = if c.name("dev").is_some() {
        Slot::Val(0, num("dev_n").unwrap_or_else(|| "0".into()))
    } else {
        Slot::Max
    };
    // A dev release without pre or post sorts before the pre-releases of the same version.
    let pre = if pre == Slot::Max && post == Slot::Min && dev != Slot::Max {
        Slot::Min
    } else {
        pre
    };
    let local = c.name("local").map(|l| {
        l.as_str()
            .split(['-', '_', '.'])
            .map(|p| {
                if p.bytes().all(|b| b.is_ascii_digit()) {
                    LocalPart::Num(p.to_string())
                } else {
                    LocalPart::Text(p.to_ascii_lowercase())
                }
            })
            .collect()
    });
    Some(Key {
        epoch: num("epoch").unwrap_or_else(|| "0".into()),
        release,
        pre,
        post,
        dev,
        local,
    })
}

/// setuptools' legacy key: numbers zero-padded, words prefixed with `*`, `final` markers.
fn legacy_key(v: &str) -> Vec<String> {
    let lower = v.to_ascii_lowercase();
    let mut raw = Vec::new();
    let bytes = lower.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
        } else if c.is_ascii_lowercase() {
            while i < bytes.len() && bytes[i].is_ascii_lowercase() {
                i += 1;
            }
        } else {
            i += 1;
        }
        raw.push(&lower[start..i]);
    }
    let mut parts: Vec<String> = Vec::new();
    let mapped = raw.into_iter().filter_map(|p| {
        let p = match p {
            "pre" | "preview" | "rc" => "c",
            "-" => "final-",
            "dev" => "@",
            other => other,
        };
        if p.is_empty() || p == "." {
            None
        } else if p.as_bytes()[0].is_ascii_digit() {
            Some(format!("{p:0>8}"))
        } else {
            Some(format!("*{p}"))
        }
    });
    for part in mapped.chain(std::iter::once("*final".to_string())) {
        if part.starts_with('*') {
            if part.as_str() < "*final" {
                while parts.last().is_some_and(|l| l == "*final-") {
                    parts.pop();
                }
            }
            while parts.last().is_some_and(|l| l == "00000000") {
                parts.pop();
            }
        }
        parts.push(part);
    }
    parts
}

pub fn compare(a: &str, b: &str) -> Ordering {
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => legacy_key(a).cmp(&legacy_key(b)),
    }
}

/// Whether a string is a valid PEP 440 version.
pub fn is_valid(v: &str) -> bool {
    pattern().is_match(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::{fixture_tests, props, Scheme};
    use proptest::prelude::*;

    #[test]
    fn fixture_comparisons_hold() {
        fixture_tests::assert_all("pypi-versions.txt", Scheme::Pep440);
    }

    #[test]
    fn pep440_examples() {
        let ordered = [
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.1.dev1",
        ];
        for w in ordered.windows(2) {
            assert_eq!(compare(w[0], w[1]), Ordering::Less, "{} < {}", w[0], w[1]);
        }
        assert_eq!(compare("1.0", "1.0.0"), Ordering::Equal);
        assert_eq!(compare("1.0RC1", "1.0c1"), Ordering::Equal);
    }

    proptest! {
        #[test]
        fn order_laws(a in props::version_like(".-+!"), b in props::version_like(".-+!"), c in props::version_like(".-+!")) {
            props::check_laws(compare, &a, &b, &c);
        }

        #[test]
        fn pre_releases_precede_release(r in "[0-9]{1,3}(\\.[0-9]{1,3}){0,2}", n in 0u32..50, phase in "(a|b|rc)") {
            prop_assert_eq!(compare(&format!("{r}{phase}{n}"), &r), Ordering::Less);
            prop_assert_eq!(compare(&format!("{r}.post{n}"), &r), Ordering::Greater);
        }
    }
}
