//! The matching engine: keyword automata first, then each candidate rule's regex on a bounded
//! window around the keyword.
//!
//! Text is read once by the prefilter (see `prefilter.rs`); regexes only ever see the lines
//! where their keywords occur, so cost follows keyword density, not file size. Rules limited
//! to some paths (and the generic rule, which skips source code) only add their keywords to
//! the prefilter of files they apply to: one prefilter is built per combination of such rules
//! and kept.

use crate::prefilter::{Keyword, Prefilter};
use crate::rules::{self, Check, Shape};
use crate::{AllowRule, CustomRule, SecretMatch, SecretOptions};
use dockguard_core::Severity;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use memchr::{memchr, memmem, memrchr};
use regex::bytes::Regex;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// How far around a keyword a line-rule's regex looks (minified files have huge lines).
const WINDOW: usize = 4096;
/// How far after `-----BEGIN` the matching `-----END` may be.
const MAX_KEY_BLOCK: usize = 256 * 1024;

pub(crate) struct Rule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    regex: Option<Regex>,
    check: Check,
    shape: Shape,
    paths: Option<GlobSet>,
    skip_paths: Option<GlobSet>,
    generic: bool,
    secret_group: Option<usize>,
}

/// A compiled rule set. Building one compiles every regex; reuse it across files.
pub struct Scanner {
    pub(crate) rules: Vec<Rule>,
    /// (keyword, case-insensitive, rule)
    keywords: Vec<(String, bool, u32)>,
    /// Rules with path conditions; bit i of a profile key = `gated[i]` applies.
    gated: Vec<u32>,
    profiles: RwLock<HashMap<u64, Arc<Prefilter>>>,
    /// Custom rules without keywords: their regex runs over the whole file.
    always: Vec<u32>,
    allow: Vec<AllowRule>,
    show_secrets: bool,
}

pub(crate) fn globset(patterns: &[impl AsRef<str>]) -> Result<Option<GlobSet>, globset::Error> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        // Paths are matched without their leading '/', as the image reader does.
        b.add(
            GlobBuilder::new(p.as_ref().trim_start_matches('/'))
                .literal_separator(true)
                .build()?,
        );
    }
    Ok(Some(b.build()?))
}

impl Scanner {
    /// Compiles the built-in rules (minus disabled ones) plus the options' custom rules.
    pub fn new(opts: &SecretOptions) -> Scanner {
        let mut rules = Vec::new();
        let mut cs = Vec::new();
        let mut ci = Vec::new();
        let mut always = Vec::new();
        let generic_skip = globset(rules::GENERIC_SKIP_PATHS).ok().flatten();
        for spec in rules::builtin() {
            if opts.disabled_rules.iter().any(|d| d == spec.id) {
                continue;
            }
            let regex = if spec.regex.is_empty() {
                None
            } else {
                // Built-in patterns are tested; a failure here is a bug caught by the tests.
                match Regex::new(&format!("(?-u){}", spec.regex)) {
                    Ok(r) => Some(r),
                    Err(_) => continue,
                }
            };
            let idx = rules.len() as u32;
            cs.extend(spec.kw.iter().map(|k| (k.to_string(), idx)));
            ci.extend(spec.kwi.iter().map(|k| (k.to_string(), idx)));
            rules.push(Rule {
                id: spec.id.to_string(),
                title: spec.title.to_string(),
                severity: spec.severity,
                regex,
                check: spec.check,
                shape: spec.shape,
                paths: globset(spec.paths).ok().flatten(),
                skip_paths: if spec.generic {
                    generic_skip.clone()
                } else {
                    None
                },
                generic: spec.generic,
                secret_group: None,
            });
        }
        for c in &opts.rules {
            let idx = rules.len() as u32;
            if c.keywords.is_empty() {
                always.push(idx);
            }
            ci.extend(c.keywords.iter().map(|k| (k.clone(), idx)));
            rules.push(custom(c));
        }
        let mut keywords: Vec<(String, bool, u32)> = Vec::new();
        keywords.extend(cs.into_iter().map(|(k, r)| (k, false, r)));
        keywords.extend(ci.into_iter().map(|(k, r)| (k, true, r)));
        let gated: Vec<u32> = (0..rules.len() as u32)
            .filter(|&r| {
                let rule: &Rule = &rules[r as usize];
                rule.paths.is_some() || rule.skip_paths.is_some()
            })
            .take(64)
            .collect();
        Scanner {
            rules,
            keywords,
            gated,
            profiles: RwLock::new(HashMap::new()),
            always,
            allow: opts.allow.clone(),
            show_secrets: opts.show_secrets,
        }
    }

    pub(crate) fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Every secret in `bytes`, which came from `path` (used by path-scoped rules and allow
    /// rules). Matches are ordered by position.
    pub fn scan_bytes(&self, path: &str, bytes: &[u8]) -> Vec<SecretMatch> {
        let rel = path.trim_start_matches('/');
        let mut st = FileState {
            done: vec![(usize::MAX, 0usize); self.rules.len()],
            ends: EndCache::default(),
        };
        let mut raw: Vec<Raw> = Vec::new();
        let prefilter = self.prefilter_for(rel);
        prefilter.for_each(bytes, |k, start| {
            for &r in &prefilter.keywords[k].rules {
                self.try_rule(r, rel, bytes, start, &mut st, &mut raw);
            }
        });
        for &r in &self.always {
            let rule = &self.rules[r as usize];
            if applies(rule, rel) {
                if let Some(re) = &rule.regex {
                    collect(rule, r, re, bytes, 0, &mut raw);
                }
            }
        }
        self.finish(path, rel, bytes, raw)
    }

    /// The prefilter holding the keywords of every rule that applies to `rel`.
    fn prefilter_for(&self, rel: &str) -> Arc<Prefilter> {
        let mut key = 0u64;
        for (i, &r) in self.gated.iter().enumerate() {
            if applies(&self.rules[r as usize], rel) {
                key |= 1 << i;
            }
        }
        if let Some(p) = self.profiles.read().ok().and_then(|m| m.get(&key).cloned()) {
            return p;
        }
        let mut kws: Vec<Keyword> = Vec::new();
        for (text, ci, r) in &self.keywords {
            if let Some(i) = self.gated.iter().position(|g| g == r) {
                if key & (1 << i) == 0 {
                    continue;
                }
            }
            let text = if *ci {
                text.to_ascii_lowercase()
            } else {
                text.clone()
            };
            match kws
                .iter_mut()
                .find(|k| k.text == text.as_bytes() && k.case_insensitive == *ci)
            {
                Some(k) => {
                    if !k.rules.contains(r) {
                        k.rules.push(*r);
                    }
                }
                None => kws.push(Keyword {
                    text: text.into_bytes(),
                    case_insensitive: *ci,
                    rules: vec![*r],
                }),
            }
        }
        let p = Arc::new(Prefilter::new(kws));
        if let Ok(mut m) = self.profiles.write() {
            m.entry(key).or_insert_with(|| p.clone());
        }
        p
    }

    /// Keyword occurrences the prefilter reports (benchmark aid).
    #[doc(hidden)]
    pub fn keyword_hits(&self, path: &str, bytes: &[u8]) -> usize {
        let mut n = 0;
        self.prefilter_for(path.trim_start_matches('/'))
            .for_each(bytes, |_, _| n += 1);
        n
    }

    /// Fingerprint occurrence counts (benchmark aid).
    #[doc(hidden)]
    pub fn fingerprint_counts(
        &self,
        path: &str,
        bytes: &[u8],
        counts: &mut std::collections::BTreeMap<String, usize>,
    ) {
        self.prefilter_for(path.trim_start_matches('/'))
            .fingerprint_counts(bytes, counts);
    }

    #[cfg(test)]
    pub(crate) fn prefilter_for_test(&self, path: &str) -> Arc<Prefilter> {
        self.prefilter_for(path.trim_start_matches('/'))
    }

    fn try_rule(
        &self,
        r: u32,
        rel: &str,
        bytes: &[u8],
        pos: usize,
        st: &mut FileState,
        raw: &mut Vec<Raw>,
    ) {
        let state = &mut st.done;
        let (done_from, done_to) = state[r as usize];
        if pos >= done_from && pos < done_to {
            return;
        }
        let rule = &self.rules[r as usize];
        if done_from == usize::MAX && !applies(rule, rel) {
            // Remember "not applicable" for the whole file.
            state[r as usize] = (0, usize::MAX);
            return;
        }
        match rule.shape {
            Shape::PrivateKeyBlock => {
                let end = private_key(bytes, pos, r, &mut st.ends, raw).unwrap_or(pos + 1);
                state[r as usize] = (pos, end);
            }
            Shape::Line => {
                if rule.check == Check::UrlPassword && !url_has_userinfo(bytes, pos) {
                    return;
                }
                let lo = pos.saturating_sub(WINDOW);
                let start = memrchr(b'\n', &bytes[lo..pos]).map_or(lo, |i| lo + i + 1);
                let hi = (pos + WINDOW).min(bytes.len());
                let end = memchr(b'\n', &bytes[pos..hi]).map_or(hi, |i| pos + i);
                state[r as usize] = (start, end.max(pos + 1));
                if let Some(re) = &rule.regex {
                    collect(rule, r, re, &bytes[start..end], start, raw);
                }
            }
        }
    }

    fn finish(&self, path: &str, rel: &str, bytes: &[u8], mut raw: Vec<Raw>) -> Vec<SecretMatch> {
        if raw.is_empty() {
            return Vec::new();
        }
        raw.sort_by_key(|m| (m.start, m.rule, m.end));
        raw.dedup_by_key(|m| (m.start, m.end, m.rule));
        // A generic match that covers what a specific rule found says nothing new.
        let specific: Vec<(usize, usize)> = raw
            .iter()
            .filter(|m| !self.rules[m.rule as usize].generic)
            .map(|m| (m.start, m.end))
            .collect();
        raw.retain(|m| {
            !self.rules[m.rule as usize].generic
                || !specific.iter().any(|&(s, e)| s < m.end && m.start < e)
        });
        let mut out = Vec::with_capacity(raw.len());
        let mut line = 1u32;
        let mut counted = 0usize;
        for m in raw {
            let at = m.report_at;
            if at >= counted {
                line += memchr::memchr_iter(b'\n', &bytes[counted..at]).count() as u32;
            } else {
                line -= memchr::memchr_iter(b'\n', &bytes[at..counted]).count() as u32;
            }
            counted = at;
            let line_start = memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
            let rule = &self.rules[m.rule as usize];
            let secret = String::from_utf8_lossy(&bytes[m.start..m.end]).into_owned();
            let example = is_documentation_example(&rule.id, &secret);
            let sm = SecretMatch {
                rule_id: rule.id.clone(),
                title: rule.title.clone(),
                severity: if example {
                    Severity::Low
                } else {
                    rule.severity
                },
                line,
                column: (at - line_start) as u32 + 1,
                offset: m.start,
                secret,
                detail: if example {
                    Some("documentation example value, published by the vendor".to_string())
                } else {
                    m.detail
                },
                documentation_example: example,
            };
            if self.allowed(path, rel, &sm) {
                continue;
            }
            out.push(sm);
        }
        out
    }

    fn allowed(&self, path: &str, rel: &str, m: &SecretMatch) -> bool {
        self.allow.iter().any(|a| a.allows(path, rel, m))
    }

    pub(crate) fn show_secrets(&self) -> bool {
        self.show_secrets
    }
}

/// Cheap test before the URL regex: most `://` are plain URLs without `user:pass@`.
fn url_has_userinfo(bytes: &[u8], pos: usize) -> bool {
    let rest = &bytes[pos..(pos + 400).min(bytes.len())];
    let end = rest
        .iter()
        .skip(3)
        .position(|b| {
            matches!(
                b,
                b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'' | b'<' | b'>' | b'/'
            )
        })
        .map_or(rest.len(), |i| i + 3);
    let auth = &rest[..end];
    memchr(b'@', auth).is_some_and(|at| memchr(b':', &auth[3..at.max(3)]).is_some())
}

fn custom(c: &CustomRule) -> Rule {
    Rule {
        id: c.id.clone(),
        title: c.title.clone(),
        severity: c.severity,
        regex: Some(c.regex.clone()),
        check: Check::None,
        shape: Shape::Line,
        paths: c.paths.clone(),
        skip_paths: None,
        generic: false,
        secret_group: Some(c.secret_group),
    }
}

fn applies(rule: &Rule, rel: &str) -> bool {
    if let Some(p) = &rule.paths {
        if !p.is_match(rel) {
            return false;
        }
    }
    if let Some(s) = &rule.skip_paths {
        if s.is_match(rel) {
            return false;
        }
    }
    true
}

/// A match before line numbers and allow rules: absolute byte offsets.
struct Raw {
    rule: u32,
    /// The secret's span.
    start: usize,
    end: usize,
    /// Where the finding is reported (the match start; `-----BEGIN` for keys).
    report_at: usize,
    detail: Option<String>,
}

fn collect(rule: &Rule, r: u32, re: &Regex, hay: &[u8], base: usize, raw: &mut Vec<Raw>) {
    for caps in re.captures_iter(hay) {
        let Some(whole) = caps.get(0) else { continue };
        let span = match rule.check {
            Check::GenericAssignment => {
                let (Some(name), Some(value)) =
                    (caps.get(1), caps.get(2).or(caps.get(3)).or(caps.get(4)))
                else {
                    continue;
                };
                if !rules::generic_value_ok(name.as_bytes(), value.as_bytes()) {
                    continue;
                }
                value
            }
            Check::UrlPassword => {
                let (Some(user), Some(pass)) = (caps.get(1), caps.get(2)) else {
                    continue;
                };
                if user.as_bytes() == pass.as_bytes()
                    || rules::is_placeholder(pass.as_bytes())
                    || rules::is_placeholder(user.as_bytes())
                    || pass.as_bytes().contains(&b'$')
                {
                    continue;
                }
                pass
            }
            _ => {
                let g = rule.secret_group.unwrap_or(1);
                match caps.get(g).or(caps.get(1)) {
                    Some(m) => m,
                    None => whole,
                }
            }
        };
        let v = span.as_bytes();
        let ok = match rule.check {
            Check::NotPlaceholder => {
                !rules::is_placeholder(v)
                    || is_documentation_example(&rule.id, &String::from_utf8_lossy(v))
            }
            Check::Entropy(min) => !rules::is_placeholder(v) && rules::entropy(v) >= min,
            Check::DockerAuth => rules::docker_auth_ok(v),
            _ => true,
        };
        if ok && !v.is_empty() {
            raw.push(Raw {
                rule: r,
                start: base + span.start(),
                end: base + span.end(),
                report_at: base + span.start(),
                detail: None,
            });
        }
    }
}

/// Reads a key block starting at `-----BEGIN` (`pos`). Returns where scanning may resume.
/// Per-file scan state.
struct FileState {
    /// Per rule: the byte range its regex last covered (or "not applicable": `(0, MAX)`).
    done: Vec<(usize, usize)>,
    ends: EndCache,
}

/// Where the next `-----END` is, remembered across the key headers of one file so that many
/// headers without an END (hostile input) cost one pass, not one 256 KiB search each.
#[derive(Default)]
pub(crate) struct EndCache {
    /// The first END at or after `from`, if one was found before `to`.
    from: usize,
    to: usize,
    found: Option<usize>,
}

impl EndCache {
    fn next_end(&mut self, bytes: &[u8], start: usize, limit: usize) -> Option<usize> {
        const END: &[u8] = b"-----END";
        if start >= self.from && self.to > self.from {
            match self.found {
                Some(f) if f >= start => return (f < limit).then_some(f),
                Some(_) => {}
                None => {
                    if limit <= self.to {
                        return None;
                    }
                    // Only the part not searched yet (overlapping by a marker's length).
                    let from = self.to.saturating_sub(END.len() - 1).max(start);
                    let found = memmem::find(&bytes[from..limit], END).map(|i| from + i);
                    self.to = limit;
                    self.found = found;
                    return found;
                }
            }
        }
        let found = memmem::find(&bytes[start..limit], END).map(|i| start + i);
        *self = EndCache {
            from: start,
            to: limit,
            found,
        };
        found
    }
}

fn private_key(
    bytes: &[u8],
    pos: usize,
    r: u32,
    ends: &mut EndCache,
    raw: &mut Vec<Raw>,
) -> Option<usize> {
    let after = pos + b"-----BEGIN".len();
    let head = &bytes[after..(after + 64).min(bytes.len())];
    if head.first() != Some(&b' ') {
        return None;
    }
    let close = memmem::find(head, b"-----")?;
    let label = &head[1..close];
    if !label
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || matches!(b, b' ' | b'_' | b'-'))
    {
        return None;
    }
    let label = std::str::from_utf8(label).ok()?;
    if !(label.ends_with("PRIVATE KEY") || label.ends_with("PRIVATE KEY BLOCK")) {
        return None;
    }
    let body_start = after + close + 5;
    let limit = (body_start + MAX_KEY_BLOCK).min(bytes.len());
    let body_len = ends.next_end(bytes, body_start, limit)? - body_start;
    let body = &bytes[body_start..body_start + body_len];
    // A key has a real base64 body; code that only names the header (`b"-----BEGIN RSA
    // PRIVATE KEY-----"`) or a doc with `...` in it does not.
    let mut b64 = 0usize;
    let mut run = 0usize;
    let mut best_run = 0usize;
    for &b in body {
        if b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=' {
            b64 += 1;
            run += 1;
            best_run = best_run.max(run);
        } else {
            run = 0;
        }
    }
    if b64 < 64
        || best_run < 40
        || memmem::find(body, b"...").is_some()
        || memmem::find(body, b"-----").is_some()
    {
        return None;
    }
    // Trim whitespace and escaped newlines around the body for the secret span.
    let lead = body
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != b'\\')
        .unwrap_or(0);
    let trail = body
        .iter()
        .rposition(|b| !b.is_ascii_whitespace() && *b != b'\\' && *b != b'n')
        .map_or(body.len(), |i| i + 1);
    if trail <= lead {
        return None;
    }
    raw.push(Raw {
        rule: r,
        start: body_start + lead,
        end: body_start + trail,
        report_at: pos,
        detail: Some(label.to_string()),
    });
    Some(body_start + body_len)
}

/// Keys that vendors publish in their documentation. They have the real format, so they are
/// reported, but at low severity and marked, since they grant nothing.
fn is_documentation_example(rule: &str, secret: &str) -> bool {
    match rule {
        "aws-access-key-id" => secret.ends_with("EXAMPLE"),
        "aws-secret-access-key" => secret.ends_with("EXAMPLEKEY"),
        _ => false,
    }
}
