//! Maven versions, ordered like Maven's `ComparableVersion`: items split on `.`, `-` and
//! digit/letter transitions, nested lists after `-`, known qualifiers
//! (`alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp`) before
//! unknown ones (alphabetical), numbers above text, trailing nulls dropped.

use super::cmp_digits;
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Int(String),
    Str(String),
    List(Vec<Item>),
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_INDEX: usize = 5;

/// Sort key of a text qualifier: known qualifiers by rank, unknown ones after all of them.
fn qualifier_key(q: &str) -> (usize, &str) {
    match QUALIFIERS.iter().position(|k| *k == q) {
        Some(i) => (i, ""),
        None => (QUALIFIERS.len(), q),
    }
}

fn string_item(s: &str, followed_by_digit: bool) -> Item {
    let s = if followed_by_digit && s.len() == 1 {
        match s {
            "a" => "alpha",
            "b" => "beta",
            "m" => "milestone",
            other => other,
        }
    } else {
        s
    };
    let s = match s {
        "ga" | "final" | "release" => "",
        "cr" => "rc",
        other => other,
    };
    Item::Str(s.to_string())
}

fn parse_item(is_digit: bool, s: &str) -> Item {
    if is_digit {
        let t = s.trim_start_matches('0');
        Item::Int(if t.is_empty() { "0".into() } else { t.into() })
    } else {
        string_item(s, false)
    }
}

fn is_null(item: &Item) -> bool {
    match item {
        Item::Int(v) => v == "0",
        Item::Str(s) => qualifier_key(s) == (RELEASE_INDEX, ""),
        Item::List(l) => l.is_empty(),
    }
}

fn normalize(list: &mut Vec<Item>) {
    // Nulls are removed from the end backwards; a non-null sub-list does not stop the scan
    // (so `1.0-1` equals `1-1`), any other non-null item does.
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if is_null(&list[i]) {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

/// Builds the item tree. Lists are kept as a path of indices into nested vectors, because each
/// `-` opens a new list inside the current one.
fn parse(version: &str) -> Item {
    let v = version.trim().to_ascii_lowercase();
    let bytes = v.as_bytes();
    // Stack of lists being filled; finished lists are folded into their parent at the end.
    let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
    let mut is_digit = false;
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let top = stack.len() - 1;
        if c == b'.' {
            if i == start {
                stack[top].push(Item::Int("0".into()));
            } else {
                stack[top].push(parse_item(is_digit, &v[start..i]));
            }
            start = i + 1;
        } else if c == b'-' {
            if i == start {
                stack[top].push(Item::Int("0".into()));
            } else {
                stack[top].push(parse_item(is_digit, &v[start..i]));
            }
            start = i + 1;
            stack.push(Vec::new());
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                stack[top].push(string_item(&v[start..i], true));
                start = i;
                stack.push(Vec::new());
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                stack[top].push(parse_item(true, &v[start..i]));
                start = i;
                stack.push(Vec::new());
            }
            is_digit = false;
        }
    }
    if v.len() > start {
        let top = stack.len() - 1;
        stack[top].push(parse_item(is_digit, &v[start..]));
    }
    // Each list was pushed into its parent when opened; normalise innermost first, then attach.
    while stack.len() > 1 {
        let mut child = stack.pop().unwrap_or_default();
        normalize(&mut child);
        // A list left holding only its sub-list had only nulls before the next `-`; the
        // version-order specification trims those, so `1-ga-1` is `1-1`.
        if let [Item::List(_)] = child.as_slice() {
            if let Some(Item::List(inner)) = child.pop() {
                child = inner;
            }
        }
        if let Some(parent) = stack.last_mut() {
            parent.push(Item::List(child));
        }
    }
    let mut root = stack.pop().unwrap_or_default();
    normalize(&mut root);
    Item::List(root)
}

fn cmp_item(a: Option<&Item>, b: Option<&Item>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (Some(x), None) => cmp_null(x),
        (None, Some(y)) => cmp_null(y).reverse(),
        (Some(x), Some(y)) => match (x, y) {
            (Item::Int(p), Item::Int(q)) => cmp_digits(p, q),
            (Item::Int(_), _) => Ordering::Greater,
            (Item::Str(_), Item::Int(_)) => Ordering::Less,
            (Item::Str(p), Item::Str(q)) => qualifier_key(p).cmp(&qualifier_key(q)),
            (Item::Str(_), Item::List(_)) => Ordering::Less,
            (Item::List(_), Item::Int(_)) => Ordering::Less,
            (Item::List(_), Item::Str(_)) => Ordering::Greater,
            (Item::List(p), Item::List(q)) => {
                for i in 0..p.len().max(q.len()) {
                    match cmp_item(p.get(i), q.get(i)) {
                        Ordering::Equal => {}
                        other => return other,
                    }
                }
                Ordering::Equal
            }
        },
    }
}

/// An item compared with "nothing" (the other version ran out).
fn cmp_null(x: &Item) -> Ordering {
    match x {
        Item::Int(v) => {
            if v == "0" {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        Item::Str(s) => qualifier_key(s).cmp(&(RELEASE_INDEX, "")),
        Item::List(l) => l.first().map_or(Ordering::Equal, cmp_null),
    }
}

pub fn compare(a: &str, b: &str) -> Ordering {
    cmp_item(Some(&parse(a)), Some(&parse(b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::{fixture_tests, props, Scheme};
    use proptest::prelude::*;

    #[test]
    fn fixture_comparisons_hold() {
        fixture_tests::assert_all("maven-versions.txt", Scheme::Maven);
    }

    #[test]
    fn qualifier_order() {
        let ordered = [
            "1-alpha",
            "1-beta",
            "1-milestone",
            "1-rc",
            "1-snapshot",
            "1",
            "1-sp",
            "1-abc",
            "1-1",
            "1.1",
        ];
        for w in ordered.windows(2) {
            assert_eq!(compare(w[0], w[1]), Ordering::Less, "{} < {}", w[0], w[1]);
        }
    }

    /// Maven's own order is not transitive once a text item that ranks above a release (`sp`,
    /// unknown words) meets numbers and nulls at the same position (`a` < `0.rc` < `0` < `a`,
    /// exactly as `ComparableVersion` orders them), so the laws are checked over numbers and the
    /// pre-release qualifiers, where the order is total.
    fn maven_like() -> impl Strategy<Value = String> {
        let atom = prop_oneof![
            "[0-9]{1,3}",
            "[0-9]{1,3}",
            Just("0".to_string()),
            Just("alpha".to_string()),
            Just("beta".to_string()),
            Just("milestone".to_string()),
            Just("rc".to_string()),
            Just("snapshot".to_string()),
        ];
        let sep = proptest::sample::select(vec!['.', '-']);
        (atom.clone(), proptest::collection::vec((sep, atom), 0..5)).prop_map(|(first, rest)| {
            let mut s = first;
            for (c, a) in rest {
                s.push(c);
                s.push_str(&a);
            }
            s
        })
    }

    #[test]
    fn maven_itself_is_intransitive_for_text_above_release() {
        assert_eq!(compare("a", "0.rc"), Ordering::Less);
        assert_eq!(compare("0.rc", "0"), Ordering::Less);
        assert_eq!(compare("a", "0"), Ordering::Greater);
    }

    proptest! {
        #[test]
        fn order_laws(a in maven_like(), b in maven_like(), c in maven_like()) {
            props::check_laws(compare, &a, &b, &c);
        }
    }
}
