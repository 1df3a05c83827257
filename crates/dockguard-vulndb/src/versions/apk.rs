//! Alpine package versions, ordered like current apk-tools (`apk version -t`).
//!
//! Grammar: `digits{.digits}[letter]{_suffix[digits]}[~hash][-rN]`, suffixes ordered
//! `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p`. Tokens that break the
//! grammar end the comparison: two invalid remainders compare equal, and a valid remainder (or
//! the end of the string) is newer than an invalid one.

use std::cmp::Ordering;

/// Token kinds; the numeric order matters (apk compares kinds when values tie).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tok {
    Invalid = -1,
    DigitOrZero = 0,
    Digit = 1,
    Letter = 2,
    Suffix = 3,
    SuffixNo = 4,
    RevisionNo = 5,
    End = 6,
    /// A `.` directly followed by a letter (`0.8.21.r2`): compared with its own kind like a
    /// letter, but ranked like an invalid remainder against anything else.
    DotLetter = 7,
}

const PRE_SUFFIXES: [&str; 4] = ["alpha", "beta", "pre", "rc"];
const POST_SUFFIXES: [&str; 5] = ["cvs", "svn", "git", "hg", "p"];

struct Cursor<'a> {
    s: &'a [u8],
    kind: Tok,
}

impl Cursor<'_> {
    /// Classifies the next token from its first byte, consuming separator bytes.
    fn next_kind(&mut self) {
        let prev = self.kind;
        let mut n = Tok::Invalid;
        match self.s.first().copied() {
            None | Some(0) => n = Tok::End,
            Some(c) if matches!(prev, Tok::Digit | Tok::DigitOrZero) && c.is_ascii_lowercase() => {
                n = Tok::Letter
            }
            Some(c) if prev == Tok::Letter && c.is_ascii_digit() => n = Tok::Digit,
            Some(c) if prev == Tok::Suffix && c.is_ascii_digit() => n = Tok::SuffixNo,
            Some(c) => {
                match c {
                    b'.' if self.s.get(1).is_some_and(u8::is_ascii_lowercase)
                        && matches!(prev, Tok::Digit | Tok::DigitOrZero) =>
                    {
                        self.s = &self.s[1..];
                        self.kind = Tok::DotLetter;
                        return;
                    }
                    b'.' => n = Tok::DigitOrZero,
                    b'_' => n = Tok::Suffix,
                    // `-r` must be followed by digits up to the end; anything else (`-ruff`,
                    // `-r0-1`) makes the version invalid from here.
                    b'-' if self.s.get(1) == Some(&b'r')
                        && self.s[2..].iter().all(u8::is_ascii_digit) =>
                    {
                        n = Tok::RevisionNo;
                        self.s = &self.s[1..];
                    }
                    _ => {}
                }
                self.s = &self.s[1..];
            }
        }
        if n < prev
            && !((n == Tok::DigitOrZero && prev == Tok::Digit)
                || (n == Tok::Suffix && prev == Tok::SuffixNo)
                || (n == Tok::Digit && prev == Tok::Letter))
        {
            n = Tok::Invalid;
        }
        self.kind = n;
    }

    /// Reads the value of the current token and moves to the next one.
    fn token(&mut self) -> i128 {
        if self.s.is_empty() {
            self.kind = Tok::End;
            return 0;
        }
        let mut i = 0;
        let mut v: i128 = 0;
        let mut next = Tok::Invalid;
        let mut kind = self.kind;
        if kind == Tok::DigitOrZero {
            if self.s[0] == b'0' {
                // Leading zeros make a component compare as a fraction: 1.01 < 1.1.
                while i < self.s.len() && self.s[i] == b'0' {
                    i += 1;
                }
                next = Tok::Digit;
                v = -(i as i128);
            } else {
                kind = Tok::Digit;
            }
        }
        match kind {
            Tok::DigitOrZero => {}
            Tok::Digit | Tok::SuffixNo | Tok::RevisionNo => {
                while i < self.s.len() && self.s[i].is_ascii_digit() {
                    v = v
                        .saturating_mul(10)
                        .saturating_add((self.s[i] - b'0') as i128);
                    i += 1;
                }
            }
            Tok::Letter => {
                v = self.s[0] as i128;
                i = 1;
            }
            Tok::DotLetter => next = Tok::Letter,
            Tok::Suffix => {
                if let Some(k) = PRE_SUFFIXES
                    .iter()
                    .position(|p| self.s.starts_with(p.as_bytes()))
                {
                    i = PRE_SUFFIXES[k].len();
                    v = k as i128 - PRE_SUFFIXES.len() as i128;
                    if self.s.get(i).is_some_and(u8::is_ascii_digit) {
                        next = Tok::SuffixNo;
                    }
                } else if let Some(k) = POST_SUFFIXES
                    .iter()
                    .position(|p| self.s.starts_with(p.as_bytes()))
                {
                    i = POST_SUFFIXES[k].len();
                    v = k as i128;
                    if self.s.get(i).is_some_and(u8::is_ascii_digit) {
                        next = Tok::SuffixNo;
                    }
                } else {
                    self.kind = Tok::Invalid;
                    return -1;
                }
            }
            _ => {
                self.kind = Tok::Invalid;
                return -1;
            }
        }
        self.s = &self.s[i..];
        if self.s.is_empty() {
            self.kind = Tok::End;
        } else if next != Tok::Invalid {
            self.kind = next;
        } else {
            self.next_kind();
        }
        v
    }
}

pub fn compare(a: &str, b: &str) -> Ordering {
    let mut x = Cursor {
        s: a.trim().as_bytes(),
        kind: Tok::Digit,
    };
    let mut y = Cursor {
        s: b.trim().as_bytes(),
        kind: Tok::Digit,
    };
    let (mut av, mut bv) = (0i128, 0i128);
    while x.kind == y.kind && x.kind != Tok::End && x.kind != Tok::Invalid && av == bv {
        av = x.token();
        bv = y.token();
    }
    if av != bv {
        return av.cmp(&bv);
    }
    if x.kind == y.kind {
        return Ordering::Equal;
    }
    // Same values so far; the longer version is newer unless what follows is a pre-release
    // suffix.
    if x.kind == Tok::Suffix {
        let mut t = Cursor {
            s: x.s,
            kind: x.kind,
        };
        if t.token() < 0 {
            return Ordering::Less;
        }
    }
    if y.kind == Tok::Suffix {
        let mut t = Cursor {
            s: y.s,
            kind: y.kind,
        };
        if t.token() < 0 {
            return Ordering::Greater;
        }
    }
    // Unlike apk-tools 2, current apk ranks an invalid remainder below everything, even below
    // the end of the other version.
    let rank = |t: Tok| match t {
        Tok::Invalid | Tok::DotLetter => 7,
        other => other as i8,
    };
    rank(y.kind).cmp(&rank(x.kind))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::{fixture_tests, props, Scheme};
    use proptest::prelude::*;

    #[test]
    fn fixture_comparisons_hold() {
        fixture_tests::assert_all("alpine-versions.txt", Scheme::Apk);
    }

    #[test]
    fn suffixes_and_revisions() {
        assert_eq!(compare("1.2_alpha1", "1.2_beta1"), Ordering::Less);
        assert_eq!(compare("1.2_rc1", "1.2"), Ordering::Less);
        assert_eq!(compare("1.2_p1", "1.2"), Ordering::Greater);
        assert_eq!(compare("1.2-r1", "1.2-r10"), Ordering::Less);
        assert_eq!(compare("3.1.4-r5", "3.1.4-r6"), Ordering::Less);
        assert_eq!(compare("1.36.1-r2", "1.36.1-r15"), Ordering::Less);
    }

    proptest! {
        #[test]
        fn order_laws(a in props::version_like("._-"), b in props::version_like("._-"), c in props::version_like("._-")) {
            props::check_laws(compare, &a, &b, &c);
        }

        #[test]
        fn revision_is_monotonic(base in "[1-9][0-9]{0,2}(\\.[0-9]{1,3}){0,2}", r in 0u32..1000) {
            prop_assert_eq!(compare(&format!("{base}-r{r}"), &format!("{base}-r{}", r + 1)), Ordering::Less);
        }
    }
}
