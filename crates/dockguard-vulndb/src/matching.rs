//! Whether one version falls inside an OSV `affected` entry, and which versions fix it.
//!
//! Range semantics follow the OSV schema's evaluation algorithm: events are sorted by version
//! (`introduced: "0"` first), a version is affected from an `introduced` up to (not including)
//! the next `fixed`, or up to and including a `last_affected`; `limit` caps a range. Events may
//! be given in any order.
//!
//! Sorting happens once, at import: each entry is stored *packed* (see [`pack`]) with its range
//! events already in scheme order, and matching walks the packed bytes in place. A scan then
//! costs one comparison per event below the installed version, with no JSON decoding and no
//! allocation unless the version is affected.
//!
//! Packed layout: a format byte ([`PACKED_FORMAT`]), then entries. An entry is a tag byte and,
//! except for [`RANGE`], a LEB128 length and that many bytes of UTF-8. Tags: [`RANGE`] starts
//! a range; `i`, `f`, `l`, `m` are the introduced / fixed / last_affected / limit events of the
//! current range; `v` is one explicitly listed version.

use crate::osv::{Event, Spec};
use crate::versions::{sort_versions, stable_sort_by, Scheme};
use std::cmp::Ordering;

/// First byte of every packed spec; a change of layout changes it (and the schema version).
pub(crate) const PACKED_FORMAT: u8 = 1;
const RANGE: u8 = b'|';
const INTRODUCED: u8 = b'i';
const FIXED: u8 = b'f';
const LAST_AFFECTED: u8 = b'l';
const LIMIT: u8 = b'm';
const LISTED: u8 = b'v';

/// Outcome of evaluating one spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Hit {
    /// `fixed` versions above the installed one in the ranges that matched.
    pub fixed: Vec<String>,
}

/// A packed spec that does not follow the layout (a damaged or foreign database row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Malformed;

fn event_version<S: AsRef<str>>(e: &Event<S>) -> &str {
    match e {
        Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => {
            v.as_ref()
        }
    }
}

/// `"0"` as `introduced` means "since the beginning" in every scheme.
fn cmp_event(scheme: Scheme, a: &str, b: &str) -> Ordering {
    match (a == "0", b == "0") {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        _ => scheme.compare(a, b),
    }
}

/// Ties: `introduced` before `last_affected`/`fixed` at the same version, so an empty interval
/// stays empty.
fn rank<S>(e: &Event<S>) -> u8 {
    match e {
        Event::Introduced(_) => 0,
        Event::LastAffected(_) => 1,
        Event::Fixed(_) => 2,
        Event::Limit(_) => 3,
    }
}

fn push_entry(out: &mut Vec<u8>, tag: u8, text: &str) {
    out.push(tag);
    let mut len = text.len();
    loop {
        let low = (len & 0x7f) as u8;
        len >>= 7;
        if len == 0 {
            out.push(low);
            break;
        }
        out.push(low | 0x80);
    }
    out.extend_from_slice(text.as_bytes());
}

/// Packs a spec for storage, sorting each range's events in `scheme` order. Without a scheme
/// the ranges cannot be evaluated, so only the listed versions are kept.
pub(crate) fn pack(spec: &Spec, scheme: Option<Scheme>) -> Vec<u8> {
    let mut out = vec![PACKED_FORMAT];
    // Ranges first: when one matches, the listed versions need no look.
    for range in spec.ranges.iter().filter(|_| scheme.is_some()) {
        let Some(scheme) = scheme else { break };
        let mut events: Vec<&Event> = range.iter().collect();
        stable_sort_by(&mut events, |a, b| {
            cmp_event(scheme, event_version(a), event_version(b)).then(rank(a).cmp(&rank(b)))
        });
        out.push(RANGE);
        for e in events {
            let tag = match e {
                Event::Introduced(_) => INTRODUCED,
                Event::Fixed(_) => FIXED,
                Event::LastAffected(_) => LAST_AFFECTED,
                Event::Limit(_) => LIMIT,
            };
            push_entry(&mut out, tag, event_version(e));
        }
    }
    for v in &spec.versions {
        push_entry(&mut out, LISTED, v);
    }
    out
}

/// The entries of a packed spec, borrowed from its bytes.
#[derive(Clone)]
struct Entries<'a> {
    rest: &'a [u8],
}

impl<'a> Entries<'a> {
    fn new(packed: &'a [u8]) -> Result<Self, Malformed> {
        match packed.split_first() {
            Some((&PACKED_FORMAT, rest)) => Ok(Entries { rest }),
            _ => Err(Malformed),
        }
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = Result<(u8, &'a str), Malformed>;

    fn next(&mut self) -> Option<Self::Item> {
        let (&tag, rest) = self.rest.split_first()?;
        if tag == RANGE {
            self.rest = rest;
            return Some(Ok((RANGE, "")));
        }
        let mut len = 0usize;
        let mut shift = 0u32;
        let mut i = 0;
        loop {
            let Some(&b) = rest.get(i) else {
                self.rest = &[];
                return Some(Err(Malformed));
            };
            i += 1;
            len |= usize::from(b & 0x7f)
                .checked_shl(shift)
                .unwrap_or(usize::MAX);
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 28 {
                self.rest = &[];
                return Some(Err(Malformed));
            }
        }
        let body = rest.get(i..).unwrap_or(&[]);
        let Some(text) = body.get(..len).and_then(|b| std::str::from_utf8(b).ok()) else {
            self.rest = &[];
            return Some(Err(Malformed));
        };
        self.rest = &body[len..];
        Some(Ok((tag, text)))
    }
}

/// Lists can hold hundreds of versions: only spellings that start with the same number can be
/// equal, so the full comparison runs on those alone.
fn lead(s: &str) -> &str {
    let s = s.trim_start_matches(['v', 'V']);
    s.split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap_or("")
        .trim_start_matches('0')
}

fn add_fix(fixed: &mut Vec<String>, f: &str) {
    if !fixed.iter().any(|x| x == f) {
        fixed.push(f.to_string());
    }
}

/// Evaluates a packed spec; `Ok(None)` when the version is not affected.
pub(crate) fn evaluate_packed(
    scheme: Option<Scheme>,
    packed: &[u8],
    version: &str,
) -> Result<Option<Hit>, Malformed> {
    let version = version.trim();
    let version_lead = lead(version);
    let mut affected_somewhere = false;
    let mut fixed: Vec<String> = Vec::new();

    // State of the range being walked: its events are sorted, so the walk stops at the first
    // event above the installed version, where the state is final.
    let mut in_range = false;
    let mut affected = false;
    let mut settled = false;
    let mut entries = Entries::new(packed)?;
    loop {
        let before = entries.clone();
        let Some(entry) = entries.next() else { break };
        let (tag, text) = entry?;
        match tag {
            LISTED => {
                if in_range && !settled && affected {
                    affected_somewhere = true;
                }
                in_range = false;
                if !affected_somewhere
                    && (text == version
                        || (lead(text) == version_lead
                            && scheme.is_some_and(|s| {
                                s.may_equal(text, version) && s.compare(text, version).is_eq()
                            })))
                {
                    affected_somewhere = true;
                }
            }
            RANGE => {
                if in_range && !settled && affected {
                    affected_somewhere = true;
                }
                in_range = true;
                affected = false;
                settled = false;
            }
            _ if settled || !in_range => {}
            _ => {
                let Some(scheme) = scheme else { continue };
                let ord = if text == "0" {
                    Ordering::Less
                } else {
                    scheme.compare(text, version)
                };
                match tag {
                    INTRODUCED if ord != Ordering::Greater => affected = true,
                    FIXED | LIMIT if ord != Ordering::Greater => affected = false,
                    LAST_AFFECTED if ord == Ordering::Less => affected = false,
                    _ => {}
                }
                if ord == Ordering::Greater {
                    settled = true;
                    if affected {
                        affected_somewhere = true;
                        // The fix of this interval: the first `fixed` before any later
                        // `introduced` (which would open a new interval) in the same range.
                        for next in before {
                            match next? {
                                (FIXED, f) => {
                                    add_fix(&mut fixed, f);
                                    break;
                                }
                                (INTRODUCED | RANGE, _) => break,
                                _ => {}
                            }
                        }
                    }
                }
            }
        }
    }
    if in_range && !settled && affected {
        affected_somewhere = true;
    }
    if !affected_somewhere {
        return Ok(None);
    }
    if let Some(scheme) = scheme {
        if fixed.is_empty() {
            // Matched only through `versions` (or an open range): report the fixes of the
            // spec's ranges that lie above the installed version, if any.
            for entry in Entries::new(packed)? {
                if let (FIXED, f) = entry? {
                    if scheme.compare(f, version) == Ordering::Greater {
                        add_fix(&mut fixed, f);
                    }
                }
            }
        }
        sort_versions(scheme, &mut fixed);
    }
    Ok(Some(Hit { fixed }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn spec(events: &[(&str, &str)]) -> Spec {
        let ev = events
            .iter()
            .map(|(k, v)| match *k {
                "i" => Event::Introduced(v.to_string()),
                "f" => Event::Fixed(v.to_string()),
                "l" => Event::LastAffected(v.to_string()),
                _ => Event::Limit(v.to_string()),
            })
            .collect();
        Spec {
            ranges: vec![ev],
            versions: vec![],
        }
    }

    fn evaluate(scheme: Option<Scheme>, spec: &Spec, version: &str) -> Option<Hit> {
        evaluate_packed(scheme, &pack(spec, scheme), version).expect("packed by us")
    }

    fn hit(s: &Spec, v: &str) -> Option<Vec<String>> {
        evaluate(Some(Scheme::SemVer), s, v).map(|h| h.fixed)
    }

    #[test]
    fn introduced_fixed() {
        let s = spec(&[("i", "0"), ("f", "1.2.0")]);
        assert_eq!(hit(&s, "1.1.9"), Some(vec!["1.2.0".into()]));
        assert_eq!(hit(&s, "1.2.0"), None);
        assert_eq!(hit(&s, "2.0.0"), None);
    }

    #[test]
    fn unsorted_multiple_intervals() {
        let s = spec(&[
            ("f", "2.5.0"),
            ("i", "2.0.0"),
            ("f", "1.5.0"),
            ("i", "1.0.0"),
        ]);
        assert_eq!(hit(&s, "0.9.0"), None);
        assert_eq!(hit(&s, "1.0.0"), Some(vec!["1.5.0".into()]));
        assert_eq!(hit(&s, "1.7.0"), None);
        assert_eq!(hit(&s, "2.4.9"), Some(vec!["2.5.0".into()]));
        assert_eq!(hit(&s, "3.0.0"), None);
    }

    #[test]
    fn last_affected_and_no_fix() {
        let s = spec(&[("i", "1.0.0"), ("l", "1.4.0")]);
        assert_eq!(hit(&s, "1.4.0"), Some(vec![]));
        assert_eq!(hit(&s, "1.4.1"), None);
        let open = spec(&[("i", "0")]);
        assert_eq!(hit(&open, "99.0.0"), Some(vec![]));
    }

    #[test]
    fn limit_caps_the_range() {
        let s = spec(&[("i", "1.0.0"), ("m", "2.0.0")]);
        assert_eq!(hit(&s, "1.5.0"), Some(vec![]));
        assert_eq!(hit(&s, "2.0.0"), None);
    }

    #[test]
    fn explicit_versions() {
        let s: Spec = Spec {
            ranges: vec![],
            versions: vec!["1.0".into(), "1.1".into()],
        };
        assert!(evaluate(Some(Scheme::Pep440), &s, "1.1.0").is_some());
        assert!(evaluate(None, &s, "1.1").is_some());
        assert!(evaluate(None, &s, "1.2").is_none());
    }

    #[test]
    fn damaged_packed_specs_are_malformed_not_panics() {
        let good = pack(
            &spec(&[("i", "1.0.0"), ("f", "2.0.0")]),
            Some(Scheme::SemVer),
        );
        assert!(evaluate_packed(Some(Scheme::SemVer), &good, "1.5.0")
            .unwrap()
            .is_some());
        // Cut inside an entry: malformed. Cut between entries: a shorter valid spec.
        let boundaries = [1, 2, 9];
        for cut in 0..good.len() - 1 {
            let r = evaluate_packed(Some(Scheme::SemVer), &good[..cut], "1.5.0");
            assert_eq!(r.is_ok(), boundaries.contains(&cut), "cut at {cut}: {r:?}");
        }
        // A length that claims more bytes than there are, and one that overflows.
        assert!(evaluate_packed(None, &[PACKED_FORMAT, b'v', 0x7f, b'1'], "1").is_err());
        let huge = [
            PACKED_FORMAT,
            b'v',
            0xff,
            0xff,
            0xff,
            0xff,
            0xff,
            0xff,
            0x01,
        ];
        assert!(evaluate_packed(None, &huge, "1").is_err());
        assert!(evaluate_packed(None, &[PACKED_FORMAT, b'v', 2, 0xff, 0xfe], "1").is_err());
        assert!(evaluate_packed(None, b"{\"r\":[]}", "1").is_err());
    }

    proptest! {
        /// Arbitrary bytes after the format byte never panic the evaluator.
        #[test]
        fn arbitrary_packed_bytes_do_not_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64), v in "[0-9.]{1,6}") {
            let mut packed = vec![PACKED_FORMAT];
            packed.extend(bytes);
            for scheme in [None, Some(Scheme::SemVer), Some(Scheme::Dpkg), Some(Scheme::Pep440)] {
                let _ = evaluate_packed(scheme, &packed, &v);
            }
        }

        /// Against a brute-force reading of one introduced/fixed interval.
        #[test]
        fn single_interval_matches_definition(lo in 0u32..20, len in 1u32..20, v in 0u32..45) {
            let s = spec(&[("f", &format!("{}.0.0", lo + len)), ("i", &format!("{lo}.0.0"))]);
            let got = hit(&s, &format!("{v}.0.0")).is_some();
            prop_assert_eq!(got, v >= lo && v < lo + len);
        }
    }
}
