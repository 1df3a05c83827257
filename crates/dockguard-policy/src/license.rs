//! `deny-licenses`: licence ids and globs matched against the licences packages declare,
//! including inside SPDX expressions, where a choice (`OR`) is only denied when every
//! alternative is.

use globset::{GlobBuilder, GlobMatcher};
use serde::{Deserialize, Serialize};

/// A package as the licence rule needs it: what it declares and where it was found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicensedPackage {
    pub name: String,
    pub version: String,
    /// Package kind (`deb`, `npm`, …).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Licence expressions or names as declared; all of them apply at once.
    pub licenses: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer_index: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer_digest: Option<String>,
}

impl LicensedPackage {
    /// The packages of an inventory that declare licences, each with where it was found.
    pub fn from_packages(packages: &[dockguard_core::Package]) -> Vec<LicensedPackage> {
        packages
            .iter()
            .filter(|p| !p.licenses.is_empty())
            .map(|p| {
                let place = p.locations.first();
                LicensedPackage {
                    name: p.name.clone(),
                    version: p.version.clone(),
                    kind: p.kind.as_str().to_string(),
                    licenses: p.licenses.clone(),
                    path: place.and_then(|l| l.path.clone()),
                    layer_index: place.and_then(|l| l.layer_index),
                    layer_digest: place.and_then(|l| l.layer_digest.clone()),
                }
            })
            .collect()
    }
}

/// Compiled `deny-licenses` patterns.
pub(crate) struct DenyList {
    patterns: Vec<(String, GlobMatcher)>,
}

impl DenyList {
    /// Compiles the patterns; an invalid glob is reported with the pattern.
    pub(crate) fn new(patterns: &[String]) -> Result<DenyList, String> {
        let mut out = Vec::with_capacity(patterns.len());
        for p in patterns {
            let glob = GlobBuilder::new(p.trim())
                .case_insensitive(true)
                .build()
                .map_err(|e| format!("deny-licenses: invalid pattern '{p}': {e}"))?;
            out.push((p.trim().to_string(), glob.compile_matcher()));
        }
        Ok(DenyList { patterns: out })
    }

    fn pattern_for(&self, id: &str) -> Option<&str> {
        self.patterns
            .iter()
            .find(|(_, m)| m.is_match(id))
            .map(|(p, _)| p.as_str())
    }

    /// The denied licences (`id` and the pattern that denies it) that make the declaration
    /// unacceptable, or an empty list when some reading of it avoids every denied licence.
    pub(crate) fn denied(&self, declared: &[String]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        // Separate declarations all apply (a Debian copyright file lists one per file set).
        for text in declared {
            let expr = Expr::parse(text).unwrap_or_else(|| Expr::Id(text.trim().to_string()));
            if let Some(hits) = self.eval(&expr) {
                for h in hits {
                    if !out.contains(&h) {
                        out.push(h);
                    }
                }
            }
        }
        out
    }

    /// `Some(denied ids)` when the expression cannot be satisfied without a denied licence.
    fn eval(&self, expr: &Expr) -> Option<Vec<(String, String)>> {
        match expr {
            Expr::Id(id) => self
                .pattern_for(id)
                .map(|p| vec![(id.clone(), p.to_string())]),
            Expr::With(id, exception) => {
                let whole = format!("{id} WITH {exception}");
                match self.pattern_for(&whole) {
                    Some(p) => Some(vec![(whole, p.to_string())]),
                    None => self.eval(&Expr::Id(id.clone())),
                }
            }
            Expr::And(a, b) => match (self.eval(a), self.eval(b)) {
                (None, None) => None,
                (x, y) => Some(x.into_iter().chain(y).flatten().collect()),
            },
            Expr::Or(a, b) => {
                let (x, y) = (self.eval(a)?, self.eval(b)?);
                Some(x.into_iter().chain(y).collect())
            }
        }
    }
}

/// An SPDX licence expression (operators case-insensitive, as packages write them).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expr {
    Id(String),
    With(String, String),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

/// Deep nesting in a hostile package manifest must not overflow the stack.
const MAX_DEPTH: usize = 64;

impl Expr {
    /// `None` when the text is not an expression (a free-form licence name): the caller
    /// matches it whole.
    fn parse(text: &str) -> Option<Expr> {
        let tokens = tokenize(text);
        if tokens.is_empty() {
            return None;
        }
        let mut p = Parser { tokens, at: 0 };
        let e = p.or(0)?;
        (p.at == p.tokens.len()).then_some(e)
    }
}

fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        match c {
            '(' | ')' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                out.push(c.to_string());
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

struct Parser {
    tokens: Vec<String>,
    at: usize,
}

impl Parser {
    fn peek_is(&self, word: &str) -> bool {
        self.tokens
            .get(self.at)
            .is_some_and(|t| t.eq_ignore_ascii_case(word))
    }

    fn or(&mut self, depth: usize) -> Option<Expr> {
        let mut left = self.and(depth)?;
        while self.peek_is("OR") {
            self.at += 1;
            let right = self.and(depth)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Some(left)
    }

    fn and(&mut self, depth: usize) -> Option<Expr> {
        let mut left = self.atom(depth)?;
        while self.peek_is("AND") {
            self.at += 1;
            let right = self.atom(depth)?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Some(left)
    }

    fn atom(&mut self, depth: usize) -> Option<Expr> {
        if depth > MAX_DEPTH {
            return None;
        }
        let token = self.tokens.get(self.at)?.clone();
        self.at += 1;
        if token == "(" {
            let inner = self.or(depth + 1)?;
            if self.tokens.get(self.at).map(String::as_str) != Some(")") {
                return None;
            }
            self.at += 1;
            return Some(inner);
        }
        if token == ")"
            || ["AND", "OR", "WITH"]
                .iter()
                .any(|w| token.eq_ignore_ascii_case(w))
        {
            return None;
        }
        if self.peek_is("WITH") {
            self.at += 1;
            let exception = self.tokens.get(self.at)?.clone();
            if exception == "(" || exception == ")" {
                return None;
            }
            self.at += 1;
            return Some(Expr::With(token, exception));
        }
        Some(Expr::Id(token))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deny(patterns: &[&str]) -> DenyList {
        DenyList::new(&patterns.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    fn ids(d: &DenyList, declared: &[&str]) -> Vec<String> {
        d.denied(&declared.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    }

    #[test]
    fn a_choice_is_denied_only_when_every_alternative_is() {
        let d = deny(&["GPL-3.0*", "AGPL-3.0-only"]);
        assert!(ids(&d, &["MIT OR GPL-3.0-only"]).is_empty());
        assert_eq!(ids(&d, &["MIT AND GPL-3.0-only"]), ["GPL-3.0-only"]);
        assert_eq!(
            ids(&d, &["GPL-3.0-only OR AGPL-3.0-only"]),
            ["GPL-3.0-only", "AGPL-3.0-only"]
        );
        assert_eq!(
            ids(&d, &["(MIT OR Apache-2.0) AND gpl-3.0-or-later"]).len(),
            1
        );
        assert!(ids(&d, &["(MIT OR GPL-3.0-only) AND Apache-2.0"]).is_empty());
        assert_eq!(ids(&d, &["MIT", "GPL-3.0+"]), ["GPL-3.0+"]);
        assert_eq!(
            ids(&d, &["GPL-3.0-only WITH GCC-exception-3.1"]),
            ["GPL-3.0-only WITH GCC-exception-3.1"]
        );
        assert_eq!(
            ids(
                &deny(&["GPL-3.0-only"]),
                &["GPL-3.0-only WITH GCC-exception-3.1"]
            ),
            ["GPL-3.0-only"]
        );
        // Lower-case operators, as Debian copyright files write them.
        assert!(ids(&d, &["GPL-3.0+ or Artistic"]).is_empty());
        // Not an expression: matched as a whole name.
        assert!(ids(&deny(&["MIT"]), &["MIT (("]).is_empty());
        assert_eq!(ids(&deny(&["*"]), &["Some custom licence"]).len(), 1);
    }

    #[test]
    fn an_exception_can_be_denied_by_its_full_form() {
        let d = deny(&["GPL-2.0-only WITH Classpath-exception-2.0"]);
        assert_eq!(
            ids(&d, &["GPL-2.0-only WITH Classpath-exception-2.0"]),
            ["GPL-2.0-only WITH Classpath-exception-2.0"]
        );
        assert!(ids(&d, &["GPL-2.0-only"]).is_empty());
    }

    #[test]
    fn hostile_nesting_does_not_overflow() {
        let text = format!("{}MIT{}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(ids(&deny(&["MIT"]), &[&text]).is_empty());
        assert!(DenyList::new(&["[".to_string()]).is_err());
    }
}
