//! Whether one version falls inside an OSV `affected` entry, and which versions fix it.
//!
//! Range semantics follow the OSV schema's evaluation algorithm: events are sorted by version
//! (`introduced: "0"` first), a version is affected from an `introduced` up to (not including)
//! the next `fixed`, or up to and including a `last_affected`; `limit` caps a range. Events may
//! be given in any order.

use crate::osv::{Event, Spec};
use crate::versions::Scheme;
use std::cmp::Ordering;

/// Outcome of evaluating one spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Hit {
    /// `fixed` versions above the installed one in the ranges that matched.
    pub fixed: Vec<String>,
}

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

fn range_hit<S: AsRef<str>>(scheme: Scheme, events: &[Event<S>], version: &str) -> Option<Hit> {
    let mut sorted: Vec<&Event<S>> = events.iter().collect();
    // Ties: `introduced` before `fixed`/`last_affected` at the same version, so an empty
    // interval stays empty.
    let rank = |e: &Event<S>| match e {
        Event::Introduced(_) => 0,
        Event::LastAffected(_) => 1,
        Event::Fixed(_) => 2,
        Event::Limit(_) => 3,
    };
    sorted.sort_by(|a, b| {
        cmp_event(scheme, event_version(a), event_version(b)).then(rank(a).cmp(&rank(b)))
    });
    let mut affected = false;
    let mut hit = None;
    for (i, e) in sorted.iter().enumerate() {
        let ev = event_version(e);
        let ord = if ev == "0" {
            Ordering::Less
        } else {
            scheme.compare(ev, version)
        };
        match e {
            Event::Introduced(_) if ord != Ordering::Greater => affected = true,
            Event::Fixed(_) if ord != Ordering::Greater => affected = false,
            Event::LastAffected(_) if ord == Ordering::Less => affected = false,
            Event::Limit(_) if ord != Ordering::Greater => affected = false,
            _ => {}
        }
        if ord == Ordering::Greater {
            // Every later event is above the version too: the state is final.
            if affected {
                let fixed = sorted[i..]
                    .iter()
                    .find_map(|e| match e {
                        Event::Fixed(v) => Some(v.as_ref().to_string()),
                        Event::Introduced(_) => Some(String::new()),
                        _ => None,
                    })
                    .filter(|v| !v.is_empty());
                hit = Some(Hit {
                    fixed: fixed.into_iter().collect(),
                });
            }
            return hit;
        }
    }
    affected.then(Hit::default)
}

/// Evaluates a spec; `None` when the version is not affected.
pub(crate) fn evaluate<S: AsRef<str>>(
    scheme: Option<Scheme>,
    spec: &Spec<S>,
    version: &str,
) -> Option<Hit> {
    let version = version.trim();
    let mut result: Option<Hit> = None;
    // Lists can hold hundreds of versions: only spellings that start with the same number can
    // be equal, so the full comparison runs on those alone.
    fn lead(s: &str) -> &str {
        let s = s.trim_start_matches(['v', 'V']);
        s.split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap_or("")
            .trim_start_matches('0')
    }
    let version_lead = lead(version);
    let listed = spec.versions.iter().any(|v| {
        let v = v.as_ref();
        v == version
            || (lead(v) == version_lead
                && scheme.is_some_and(|s| s.compare(v, version) == Ordering::Equal))
    });
    if listed {
        result = Some(Hit::default());
    }
    if let Some(scheme) = scheme {
        for r in &spec.ranges {
            if let Some(h) = range_hit(scheme, r, version) {
                let acc = result.get_or_insert_with(Hit::default);
                for f in h.fixed {
                    if !acc.fixed.contains(&f) {
                        acc.fixed.push(f);
                    }
                }
            }
        }
        if let Some(hit) = result.as_mut().filter(|h| h.fixed.is_empty()) {
            // Matched only through `versions` (or an open range): report the fixes of the
            // spec's ranges that lie above the installed version, if any.
            for r in &spec.ranges {
                for e in r {
                    if let Event::Fixed(f) = e {
                        let f = f.as_ref();
                        if scheme.compare(f, version) == Ordering::Greater
                            && !hit.fixed.iter().any(|x| x == f)
                        {
                            hit.fixed.push(f.to_string());
                        }
                    }
                }
            }
        }
        if let Some(hit) = result.as_mut() {
            hit.fixed.sort_by(|a, b| scheme.compare(a, b));
        }
    }
    result
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

    proptest! {
        /// Against a brute-force reading of one introduced/fixed interval.
        #[test]
        fn single_interval_matches_definition(lo in 0u32..20, len in 1u32..20, v in 0u32..45) {
            let s = spec(&[("f", &format!("{}.0.0", lo + len)), ("i", &format!("{lo}.0.0"))]);
            let got = hit(&s, &format!("{v}.0.0")).is_some();
            prop_assert_eq!(got, v >= lo && v < lo + len);
        }
    }
}
