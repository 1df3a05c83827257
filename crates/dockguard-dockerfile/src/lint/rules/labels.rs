//! `LABEL` rules: key format (DL3048) and the user's label schema (DL3049–DL3058).
//!
//! Label values are checked as written, after quote removal only: hadolint does not expand
//! variables in labels, and a value such as `$VERSION` is reported as not being a version.
//! Each schema rule reports once per `LABEL` instruction and label name, as hadolint does.

use super::RuleFn;
use crate::ast::{Instruction, Keyword};
use crate::lint::{Context, Hits, LabelType};
use std::collections::BTreeSet;
use std::sync::OnceLock;

pub(super) const RULES: &[RuleFn] = &[
    invalid_keys,
    superfluous_labels,
    label_values,
    missing_labels,
];

/// Key/value pairs of a `LABEL` with quotes removed.
fn label_pairs(instruction: &Instruction, escape: char) -> Vec<(String, String)> {
    instruction
        .pairs()
        .into_iter()
        .map(|(k, v)| (unquote(k, escape), unquote(v, escape)))
        .collect()
}

/// Direct `LABEL` instructions (hadolint does not look into `ONBUILD LABEL`).
fn labels<'a>(
    cx: &'a Context,
) -> impl Iterator<Item = (&'a Instruction, Vec<(String, String)>)> + 'a {
    cx.each(Keyword::Label)
        .filter(|(_, i)| i.error.is_none())
        .map(move |(_, i)| (i, label_pairs(i, cx.df.escape)))
}

/// Quote and escape removal without variable expansion.
fn unquote(word: &str, escape: char) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        if c == escape {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else if c == '\'' {
            for d in chars.by_ref() {
                if d == '\'' {
                    break;
                }
                out.push(d);
            }
        } else if c == '"' {
            while let Some(d) = chars.next() {
                if d == '"' {
                    break;
                }
                if d == escape {
                    match chars.peek() {
                        Some(&n) if n == '"' || n == '$' || n == escape => {
                            out.push(n);
                            chars.next();
                        }
                        _ => out.push(d),
                    }
                } else {
                    out.push(d);
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// DL3048: keys should look like `com.example.name`: lower-case letters, digits, `.`, `-`
/// (hadolint 2.15 also accepts `_` and `/`), starting with a letter, ending with a letter or
/// digit, no `..`/`--`, and not in Docker's reserved namespaces.
fn invalid_keys(cx: &Context, hits: &mut Hits) {
    for (instruction, pairs) in labels(cx) {
        if let Some((key, _)) = pairs.iter().find(|(k, _)| !valid_key(k)) {
            hits.add_msg(
                "DL3048",
                instruction,
                format!("label key `{key}` is not a valid label key"),
            );
        }
    }
}

fn valid_key(key: &str) -> bool {
    let first_ok = key.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    let last_ok = key
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let chars_ok = key.chars().all(|c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_' | '/')
    });
    let reserved = ["com.docker.", "io.docker.", "org.dockerproject."]
        .iter()
        .any(|p| key.starts_with(p));
    first_ok && last_ok && chars_ok && !reserved && !key.contains("..") && !key.contains("--")
}

/// DL3050: with `strict-labels`, every label must be in the schema.
fn superfluous_labels(cx: &Context, hits: &mut Hits) {
    if !cx.config.strict_labels {
        return;
    }
    for (instruction, pairs) in labels(cx) {
        if let Some((key, _)) = pairs
            .iter()
            .find(|(k, _)| !cx.config.label_schema.contains_key(k))
        {
            hits.add_msg(
                "DL3050",
                instruction,
                format!("label `{key}` is not in the label schema"),
            );
        }
    }
}

/// A rule code, the validator of its type, and how the type reads in a message.
type ValueCheck = (&'static str, fn(&str) -> bool, &'static str);

/// DL3051–DL3058: schema labels that are empty or do not have their declared type.
fn label_values(cx: &Context, hits: &mut Hits) {
    if cx.config.label_schema.is_empty() {
        return;
    }
    for (instruction, pairs) in labels(cx) {
        for (name, kind) in &cx.config.label_schema {
            let values: Vec<&str> = pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect();
            if values.is_empty() {
                continue;
            }
            if values.iter().any(|v| v.is_empty()) {
                hits.add_msg("DL3051", instruction, format!("label `{name}` is empty"));
            }
            let check: Option<ValueCheck> = match kind {
                LabelType::Text => None,
                LabelType::Url => Some(("DL3052", is_uri, "an absolute URL")),
                LabelType::Rfc3339 => Some(("DL3053", is_rfc3339, "an RFC 3339 timestamp")),
                LabelType::Spdx => Some(("DL3054", is_spdx, "an SPDX licence identifier")),
                LabelType::Hash => Some(("DL3055", is_git_hash, "a git commit hash")),
                LabelType::Semver => Some(("DL3056", is_semver, "a semantic version")),
                LabelType::Email => Some(("DL3058", is_email, "an email address")),
            };
            if let Some((code, valid, what)) = check {
                if let Some(bad) = values.iter().find(|v| !valid(v)) {
                    hits.add_msg(
                        code,
                        instruction,
                        format!("label `{name}` value \"{bad}\" is not {what}"),
                    );
                }
            }
        }
    }
}

/// DL3049: a schema label missing from a stage. A stage inherits labels from the stage it is
/// built `FROM`, and a stage only used as a `COPY --from` source is not an image anybody runs,
/// so it is not reported. Reported at the stage's `FROM`.
fn missing_labels(cx: &Context, hits: &mut Hits) {
    if cx.config.label_schema.is_empty() {
        return;
    }
    let stages = cx.stages();
    let alias = |s: usize| stages.get(s).and_then(|st| st.alias.as_deref());
    let image = |s: usize| {
        stages
            .get(s)
            .map(|st| image_name(&st.base))
            .unwrap_or_default()
    };
    for name in cx.config.label_schema.keys() {
        let mut current: Option<usize> = None;
        let mut good: BTreeSet<usize> = BTreeSet::new();
        let mut bad: BTreeSet<usize> = BTreeSet::new();
        for (index, instruction) in cx.instructions().iter().enumerate() {
            match instruction.keyword {
                Keyword::From => {
                    let Some(stage) = cx.model.stage_of.get(index).copied().flatten() else {
                        continue;
                    };
                    let base = image(stage);
                    if good.iter().any(|&g| alias(g) == Some(base.as_str())) {
                        good.insert(stage);
                    } else {
                        bad.insert(stage);
                    }
                    current = Some(stage);
                }
                Keyword::Copy if current.is_some() => {
                    if let Some(source) = instruction.flag("from").and_then(|f| f.value.as_deref())
                    {
                        bad.retain(|&b| alias(b) != Some(source));
                    }
                }
                Keyword::Label if instruction.error.is_none() => {
                    let Some(stage) = current else { continue };
                    let pairs = label_pairs(instruction, cx.df.escape);
                    if !pairs.iter().any(|(k, _)| k == name) {
                        continue;
                    }
                    let own = alias(stage).map_or_else(|| image(stage), str::to_string);
                    bad.retain(|&b| alias(b) != Some(own.as_str()));
                    good.insert(stage);
                    bad.remove(&stage);
                }
                _ => {}
            }
        }
        for stage in bad {
            if let Some(from) = stages
                .get(stage)
                .and_then(|s| cx.instructions().get(s.from))
            {
                hits.add_msg(
                    "DL3049",
                    from,
                    format!("label `{name}` is missing in this stage"),
                );
            }
        }
    }
}

/// The repository part of an image reference: no tag, digest or registry host.
fn image_name(reference: &str) -> String {
    let no_digest = reference.split('@').next().unwrap_or(reference);
    let name = match no_digest.rfind(':') {
        Some(i) if !no_digest[i..].contains('/') => &no_digest[..i],
        _ => no_digest,
    };
    match name.split_once('/') {
        Some((host, rest)) if host.contains('.') || host.contains(':') || host == "localhost" => {
            rest.to_string()
        }
        _ => name.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Value formats. Each follows the library hadolint uses, so that the same values pass.

/// A git commit hash: 7 or 40 lower-case hex digits.
fn is_git_hash(value: &str) -> bool {
    (value.len() == 7 || value.len() == 40)
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `MAJOR.MINOR.PATCH[-pre][+build]`. Like hadolint's semver parser, leading zeros are
/// accepted, the pre-release and build lists may be empty, and a trailing `.` is tolerated.
fn is_semver(value: &str) -> bool {
    let b = value.as_bytes();
    let mut i = 0;
    for part in 0..3 {
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
        if part < 2 {
            if b.get(i) != Some(&b'.') {
                return false;
            }
            i += 1;
        }
    }
    let ident = |c: &u8| c.is_ascii_alphanumeric() || *c == b'-';
    let identifiers = |mut i: usize| {
        while b.get(i).is_some_and(ident) {
            while b.get(i).is_some_and(ident) {
                i += 1;
            }
            if b.get(i) == Some(&b'.') {
                i += 1;
            }
        }
        i
    };
    if b.get(i) == Some(&b'-') {
        i = identifiers(i + 1);
    }
    if b.get(i) == Some(&b'+') {
        i = identifiers(i + 1);
    }
    i == b.len()
}

/// RFC 3339 date-time, as Haskell's `timerep` reads it: `T`/`Z` in either case, optional
/// fraction (even an empty one), `Z` or a `±HH:MM`/`±HHMM` offset, real calendar dates,
/// seconds up to 60, surrounding blanks ignored; the year may have any number of digits.
fn is_rfc3339(value: &str) -> bool {
    let b = value
        .trim_matches(|c: char| c.is_ascii_whitespace())
        .as_bytes();
    let mut i = 0;
    let negative = b.first() == Some(&b'-');
    if negative {
        i += 1;
    }
    let year_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == year_start {
        return false;
    }
    // Only the year's remainder mod 400 matters for leap years.
    let year_mod = b[year_start..i]
        .iter()
        .fold(0i64, |acc, d| (acc * 10 + i64::from(d - b'0')) % 400);
    let year_mod = if negative {
        (400 - year_mod) % 400
    } else {
        year_mod
    };
    let two = |i: usize| -> Option<u32> {
        let d = b.get(i..i + 2)?;
        if d.iter().all(u8::is_ascii_digit) {
            Some(u32::from(d[0] - b'0') * 10 + u32::from(d[1] - b'0'))
        } else {
            None
        }
    };
    let expect = |i: usize, c: u8| b.get(i).is_some_and(|x| x.eq_ignore_ascii_case(&c));
    let (Some(month), true) = (two(i + 1), expect(i, b'-')) else {
        return false;
    };
    i += 3;
    let (Some(day), true) = (two(i + 1), expect(i, b'-')) else {
        return false;
    };
    i += 3;
    let leap = year_mod % 4 == 0 && (year_mod % 100 != 0 || year_mod == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || !expect(i, b'T') {
        return false;
    }
    i += 1;
    let (Some(h), Some(m), Some(s)) = (two(i), two(i + 3), two(i + 6)) else {
        return false;
    };
    if !expect(i + 2, b':') || !expect(i + 5, b':') || h > 23 || m > 59 || s > 60 {
        return false;
    }
    i += 8;
    if expect(i, b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    let zone = &b[i.min(b.len())..];
    match zone {
        [z] => z.eq_ignore_ascii_case(&b'Z'),
        [sign, h1, h2, b':', m1, m2] | [sign, h1, h2, m1, m2] => {
            matches!(sign, b'+' | b'-') && [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit())
        }
        _ => false,
    }
}

/// An absolute URI per RFC 3986 (`scheme:hier-part[?query][#fragment]`), as Haskell's
/// `Network.URI.parseURI` accepts it.
fn is_uri(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return false;
    }
    let (before_fragment, fragment) = match rest.split_once('#') {
        Some((a, f)) => (a, Some(f)),
        None => (rest, None),
    };
    let (hier, query) = match before_fragment.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (before_fragment, None),
    };
    let tail_ok = |text: &str| uri_chars_ok(text, |c| is_pchar(c) || c == b'/' || c == b'?');
    if !query.is_none_or(tail_ok) || !fragment.is_none_or(tail_ok) {
        return false;
    }
    match hier.strip_prefix("//") {
        Some(after) => {
            let end = after.find('/').unwrap_or(after.len());
            let (authority, path) = after.split_at(end);
            authority_ok(authority) && uri_chars_ok(path, |c| is_pchar(c) || c == b'/')
        }
        None => uri_chars_ok(hier, |c| is_pchar(c) || c == b'/'),
    }
}

fn is_unreserved(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~')
}

fn is_sub_delim(c: u8) -> bool {
    matches!(
        c,
        b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
    )
}

fn is_pchar(c: u8) -> bool {
    is_unreserved(c) || is_sub_delim(c) || c == b':' || c == b'@'
}

/// Every byte is allowed by `ok` or starts a `%XX` escape.
fn uri_chars_ok(text: &str, ok: impl Fn(u8) -> bool) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = b.get(i + 1..i + 3);
            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                return false;
            }
            i += 3;
        } else if ok(c) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

fn authority_ok(authority: &str) -> bool {
    let (userinfo, hostport) = match authority.split_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if !userinfo
        .is_none_or(|u| uri_chars_ok(u, |c| is_unreserved(c) || is_sub_delim(c) || c == b':'))
    {
        return false;
    }
    let (host_ok, port) = if let Some(literal) = hostport.strip_prefix('[') {
        let Some((inside, after)) = literal.split_once(']') else {
            return false;
        };
        let ok = inside.parse::<std::net::Ipv6Addr>().is_ok() || ip_future_ok(inside);
        let port = match after {
            "" => "",
            p => match p.strip_prefix(':') {
                Some(port) => port,
                None => return false,
            },
        };
        (ok, port)
    } else {
        let (host, port) = hostport.split_once(':').unwrap_or((hostport, ""));
        (
            uri_chars_ok(host, |c| is_unreserved(c) || is_sub_delim(c)),
            port,
        )
    };
    host_ok && port.bytes().all(|c| c.is_ascii_digit())
}

/// `v1.something` inside brackets.
fn ip_future_ok(text: &str) -> bool {
    let Some(rest) = text.strip_prefix(['v', 'V']) else {
        return false;
    };
    let Some((version, body)) = rest.split_once('.') else {
        return false;
    };
    !version.is_empty()
        && version.bytes().all(|c| c.is_ascii_hexdigit())
        && !body.is_empty()
        && body
            .bytes()
            .all(|c| is_unreserved(c) || is_sub_delim(c) || c == b':')
}

/// An RFC 5322 `addr-spec` as the `email-validate` library reads it (comments and folding
/// whitespace allowed, domain labels checked like host names, ASCII only).
fn is_email(value: &str) -> bool {
    let p = EmailParser {
        b: value.as_bytes(),
    };
    let Some(i) = p.dotted_atoms(0).map(|(i, _)| i) else {
        return false;
    };
    if p.b.get(i) != Some(&b'@') {
        return false;
    }
    let i = i + 1;
    let end = p.domain_name(i).or_else(|| p.domain_literal(i));
    end == Some(p.b.len())
}

/// A PEG-style parser over bytes: every method returns the position after what it matched,
/// or `None` without consuming anything. Nesting of comments is bounded.
struct EmailParser<'a> {
    b: &'a [u8],
}

impl EmailParser<'_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn is_wsp(c: u8) -> bool {
        c == b' ' || c == b'\t'
    }

    fn is_obs_no_ws_ctl(c: u8) -> bool {
        matches!(c, 1..=8 | 11 | 12 | 14..=31 | 127)
    }

    fn wsp1(&self, mut i: usize) -> Option<usize> {
        let start = i;
        while self.at(i).is_some_and(Self::is_wsp) {
            i += 1;
        }
        (i > start).then_some(i)
    }

    fn crlf_wsp1(&self, i: usize) -> Option<usize> {
        if self.at(i) == Some(b'\r') && self.at(i + 1) == Some(b'\n') {
            self.wsp1(i + 2)
        } else {
            None
        }
    }

    fn fws(&self, i: usize) -> Option<usize> {
        if let Some(j) = self.wsp1(i) {
            return Some(self.crlf_wsp1(j).unwrap_or(j));
        }
        let mut j = self.crlf_wsp1(i)?;
        while let Some(k) = self.crlf_wsp1(j) {
            j = k;
        }
        Some(j)
    }

    fn quoted_pair(&self, i: usize) -> Option<usize> {
        (self.at(i) == Some(b'\\') && self.at(i + 1).is_some_and(|c| c <= 0x7f)).then_some(i + 2)
    }

    fn comment(&self, i: usize, depth: usize) -> Option<usize> {
        if depth > 64 || self.at(i) != Some(b'(') {
            return None;
        }
        let mut j = i + 1;
        loop {
            let is_text =
                |c: u8| matches!(c, 33..=39 | 42..=91 | 93..=126) || Self::is_obs_no_ws_ctl(c);
            if self.at(j).is_some_and(is_text) {
                while self.at(j).is_some_and(is_text) {
                    j += 1;
                }
            } else if let Some(k) = self
                .quoted_pair(j)
                .or_else(|| self.comment(j, depth + 1))
                .or_else(|| self.fws(j))
            {
                j = k;
            } else {
                break;
            }
        }
        (self.at(j) == Some(b')')).then_some(j + 1)
    }

    fn cfws(&self, mut i: usize) -> usize {
        while let Some(j) = self.comment(i, 0).or_else(|| self.fws(i)) {
            if j == i {
                break;
            }
            i = j;
        }
        i
    }

    fn is_atext(c: u8) -> bool {
        c.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&c)
    }

    fn quoted_string(&self, i: usize) -> Option<usize> {
        if self.at(i) != Some(b'"') {
            return None;
        }
        let is_qtext = |c: u8| matches!(c, 33 | 35..=91 | 93..=126) || Self::is_obs_no_ws_ctl(c);
        let mut j = i + 1;
        loop {
            let k = self.fws(j).unwrap_or(j);
            if self.at(k).is_some_and(is_qtext) {
                j = k;
                while self.at(j).is_some_and(is_qtext) {
                    j += 1;
                }
            } else if let Some(end) = self.quoted_pair(k) {
                j = end;
            } else {
                break;
            }
        }
        let j = self.fws(j).unwrap_or(j);
        (self.at(j) == Some(b'"')).then_some(j + 1)
    }

    /// One atom or quoted string with optional comments/whitespace around it; returns the end
    /// and the span of the word itself.
    fn element(&self, i: usize) -> Option<(usize, (usize, usize))> {
        let start = self.cfws(i);
        let end = if self.at(start).is_some_and(Self::is_atext) {
            let mut j = start;
            while self.at(j).is_some_and(Self::is_atext) {
                j += 1;
            }
            j
        } else {
            self.quoted_string(start)?
        };
        Some((self.cfws(end), (start, end)))
    }

    fn dotted_atoms(&self, i: usize) -> Option<(usize, Vec<(usize, usize)>)> {
        let (mut j, first) = self.element(i)?;
        let mut spans = vec![first];
        while self.at(j) == Some(b'.') {
            match self.element(j + 1) {
                Some((k, span)) => {
                    spans.push(span);
                    j = k;
                }
                None => break,
            }
        }
        Some((j, spans))
    }

    fn domain_name(&self, i: usize) -> Option<usize> {
        let (mut j, spans) = self.dotted_atoms(i)?;
        let mut raw: Vec<&[u8]> = spans
            .iter()
            .filter_map(|&(s, e)| self.b.get(s..e))
            .collect();
        let trailing_dot = self.at(j) == Some(b'.');
        if trailing_dot {
            j += 1;
        }
        if trailing_dot {
            raw.push(b"");
        }
        let mut labels: Vec<&[u8]> = raw;
        if labels.last().is_some_and(|l| l.is_empty()) && labels.len() > 1 {
            labels.pop();
        }
        let total: usize =
            labels.iter().map(|l| l.len()).sum::<usize>() + labels.len().saturating_sub(1);
        let label_ok = |l: &&[u8]| {
            l.first().is_some_and(u8::is_ascii_alphanumeric)
                && l.last().is_some_and(|&c| c != b'-')
                && l.len() <= 63
                && l.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')
        };
        (total <= 253 && labels.iter().all(label_ok)).then_some(j)
    }

    fn domain_literal(&self, i: usize) -> Option<usize> {
        let mut j = self.cfws(i);
        if self.at(j) != Some(b'[') {
            return None;
        }
        j += 1;
        let is_dtext = |c: u8| matches!(c, 33..=90 | 94..=126) || Self::is_obs_no_ws_ctl(c);
        loop {
            let k = self.fws(j).unwrap_or(j);
            if self.at(k).is_some_and(is_dtext) {
                j = k;
                while self.at(j).is_some_and(is_dtext) {
                    j += 1;
                }
            } else {
                break;
            }
        }
        let j = self.fws(j).unwrap_or(j);
        if self.at(j) != Some(b']') {
            return None;
        }
        Some(self.cfws(j + 1))
    }
}

/// An SPDX licence expression: ids from the SPDX list (exact spelling, deprecated ids
/// rejected, as hadolint does), `LicenseRef-…`, `+`, `WITH` exceptions, `AND`/`OR` and
/// parentheses. hadolint only accepts a single id; the OCI `licenses` annotation is defined
/// as an expression, so we accept expressions too.
fn is_spdx(value: &str) -> bool {
    let spaced = value.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_ascii_whitespace().collect();
    let mut pos = 0;
    spdx_or(&tokens, &mut pos, 0) && pos == tokens.len()
}

fn spdx_or(tokens: &[&str], pos: &mut usize, depth: usize) -> bool {
    if !spdx_and(tokens, pos, depth) {
        return false;
    }
    while tokens
        .get(*pos)
        .is_some_and(|t| t.eq_ignore_ascii_case("OR"))
    {
        *pos += 1;
        if !spdx_and(tokens, pos, depth) {
            return false;
        }
    }
    true
}

fn spdx_and(tokens: &[&str], pos: &mut usize, depth: usize) -> bool {
    if !spdx_term(tokens, pos, depth) {
        return false;
    }
    while tokens
        .get(*pos)
        .is_some_and(|t| t.eq_ignore_ascii_case("AND"))
    {
        *pos += 1;
        if !spdx_term(tokens, pos, depth) {
            return false;
        }
    }
    true
}

fn spdx_term(tokens: &[&str], pos: &mut usize, depth: usize) -> bool {
    let Some(&token) = tokens.get(*pos) else {
        return false;
    };
    *pos += 1;
    if token == "(" {
        if depth > 32 || !spdx_or(tokens, pos, depth + 1) || tokens.get(*pos) != Some(&")") {
            return false;
        }
        *pos += 1;
        return true;
    }
    let id = token.strip_suffix('+').unwrap_or(token);
    if !spdx_license(id) {
        return false;
    }
    if tokens
        .get(*pos)
        .is_some_and(|t| t.eq_ignore_ascii_case("WITH"))
    {
        let exception = tokens.get(*pos + 1).copied().unwrap_or("");
        *pos += 2;
        return spdx_sets().1.contains(exception) || is_license_ref(exception, "AdditionRef-");
    }
    true
}

fn spdx_license(id: &str) -> bool {
    spdx_sets().0.contains(id) || is_license_ref(id, "LicenseRef-")
}

/// `LicenseRef-x` or `DocumentRef-y:LicenseRef-x` (and the `AdditionRef-` equivalent).
fn is_license_ref(id: &str, prefix: &str) -> bool {
    let local = match id.split_once(':') {
        Some((doc, local)) => {
            let doc_ok = doc.strip_prefix("DocumentRef-").is_some_and(|d| {
                !d.is_empty()
                    && d.bytes()
                        .all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-')
            });
            if !doc_ok {
                return false;
            }
            local
        }
        None => id,
    };
    local.strip_prefix(prefix).is_some_and(|r| {
        !r.is_empty()
            && r.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-')
    })
}

type IdSet = BTreeSet<&'static str>;

fn spdx_sets() -> &'static (IdSet, IdSet) {
    static SETS: OnceLock<(IdSet, IdSet)> = OnceLock::new();
    SETS.get_or_init(|| {
        (
            SPDX_LICENSES.split_ascii_whitespace().collect(),
            SPDX_EXCEPTIONS.split_ascii_whitespace().collect(),
        )
    })
}

/// SPDX licence identifiers (licence list 3.29, deprecated ids left out, as hadolint's list
/// leaves them out), separated by whitespace.
const SPDX_LICENSES: &str = "
    0BSD 3D-Slicer-1.0 AAL ADSL AFL-1.1 AFL-1.2 AFL-2.0 AFL-2.1 AFL-3.0 AGPL-1.0-only
    AGPL-1.0-or-later AGPL-3.0-only AGPL-3.0-or-later ALGLIB-Documentation AMD-newlib AMDPLPA
    AML AML-glslang AMPAS ANTLR-PD ANTLR-PD-fallback APAFML APL-1.0 APSL-1.0 APSL-1.1 APSL-1.2
    APSL-2.0 ASWF-Digital-Assets-1.0 ASWF-Digital-Assets-1.1 Abstyles AdaCore-doc Adobe-2006
    Adobe-Display-PostScript Adobe-Glyph Adobe-Utopia Advanced-Cryptics-Dictionary Afmparse
    Aladdin Apache-1.0 Apache-1.1 Apache-2.0 App-s2p Arphic-1999 Artistic-1.0 Artistic-1.0-Perl
    Artistic-1.0-cl8 Artistic-2.0 Artistic-dist Aspell-RU BOLA-1.1 BSD-1-Clause BSD-2-Clause
    BSD-2-Clause-Darwin BSD-2-Clause-Patent BSD-2-Clause-Views BSD-2-Clause-first-lines
    BSD-2-Clause-pkgconf-disclaimer BSD-2-Clause-pos-unchanged BSD-3-Clause
    BSD-3-Clause-Attribution BSD-3-Clause-Clear BSD-3-Clause-HP BSD-3-Clause-LBNL
    BSD-3-Clause-Modification BSD-3-Clause-No-Military-License BSD-3-Clause-No-Nuclear-License
    BSD-3-Clause-No-Nuclear-License-2014 BSD-3-Clause-No-Nuclear-Warranty BSD-3-Clause-Open-MPI
    BSD-3-Clause-OpenWebUI BSD-3-Clause-Sun BSD-3-Clause-Tso BSD-3-Clause-acpica
    BSD-3-Clause-flex BSD-4-Clause BSD-4-Clause-Shortened BSD-4-Clause-UC BSD-4.3RENO
    BSD-4.3TAHOE BSD-Advertising-Acknowledgement BSD-Attribution-HPND-disclaimer
    BSD-Inferno-Nettverk BSD-Mark-Modifications BSD-Protection BSD-Source-Code
    BSD-Source-Code-no-disclaimer BSD-Source-alt-GPL BSD-Source-beginning-file BSD-Systemics
    BSD-Systemics-W3Works BSD-ask-to-endorse BSL-1.0 BUSL-1.1 Baekmuk Bahyph Barr Beerware
    BitTorrent-1.0 BitTorrent-1.1 Bitstream-Charter Bitstream-Vera BlueOak-1.0.0 Boehm-GC
    Boehm-GC-without-fee Borceux Brian-Gladman-2-Clause Brian-Gladman-3-Clause
    Brian-Gladman-3-Clause-no-conversion Buddy Bugroff C-UDA-1.0 CAL-1.0
    CAL-1.0-Combined-Work-Exception CAPEC-tou CATOSL-1.1 CC-BY-1.0 CC-BY-2.0 CC-BY-2.5
    CC-BY-2.5-AU CC-BY-3.0 CC-BY-3.0-AT CC-BY-3.0-AU CC-BY-3.0-DE CC-BY-3.0-IGO CC-BY-3.0-NL
    CC-BY-3.0-US CC-BY-4.0 CC-BY-NC-1.0 CC-BY-NC-2.0 CC-BY-NC-2.5 CC-BY-NC-3.0 CC-BY-NC-3.0-DE
    CC-BY-NC-3.0-IGO CC-BY-NC-4.0 CC-BY-NC-ND-1.0 CC-BY-NC-ND-2.0 CC-BY-NC-ND-2.5
    CC-BY-NC-ND-3.0 CC-BY-NC-ND-3.0-DE CC-BY-NC-ND-3.0-IGO CC-BY-NC-ND-4.0 CC-BY-NC-SA-1.0
    CC-BY-NC-SA-2.0 CC-BY-NC-SA-2.0-DE CC-BY-NC-SA-2.0-FR CC-BY-NC-SA-2.0-UK CC-BY-NC-SA-2.5
    CC-BY-NC-SA-3.0 CC-BY-NC-SA-3.0-DE CC-BY-NC-SA-3.0-IGO CC-BY-NC-SA-4.0 CC-BY-ND-1.0
    CC-BY-ND-2.0 CC-BY-ND-2.5 CC-BY-ND-3.0 CC-BY-ND-3.0-DE CC-BY-ND-4.0 CC-BY-SA-1.0
    CC-BY-SA-2.0 CC-BY-SA-2.0-UK CC-BY-SA-2.1-JP CC-BY-SA-2.5 CC-BY-SA-3.0 CC-BY-SA-3.0-AT
    CC-BY-SA-3.0-DE CC-BY-SA-3.0-IGO CC-BY-SA-4.0 CC-PDDC CC-PDM-1.0 CC-SA-1.0 CC0-1.0 CDDL-1.0
    CDDL-1.1 CDL-1.0 CDLA-Permissive-1.0 CDLA-Permissive-2.0 CDLA-Sharing-1.0 CECILL-1.0
    CECILL-1.1 CECILL-2.0 CECILL-2.1 CECILL-B CECILL-C CERN-OHL-1.1 CERN-OHL-1.2 CERN-OHL-P-2.0
    CERN-OHL-S-2.0 CERN-OHL-W-2.0 CFITSIO CMU-Mach CMU-Mach-nodoc CNRI-Jython CNRI-Python
    CNRI-Python-GPL-Compatible COIL-1.0 CPAL-1.0 CPL-1.0 CPOL-1.02 CUA-OPL-1.0 Caldera
    Caldera-no-preamble Catharon ClArtistic Clips Community-Spec-1.0 Condor-1.1
    Cornell-Lossless-JPEG Cronyx Crossword CryptoSwift CrystalStacker Cube D-FSL-1.0
    DEC-3-Clause DL-DE-BY-2.0 DL-DE-ZERO-2.0 DOC DRL-1.0 DRL-1.1 DSDP DocBook-DTD DocBook-Schema
    DocBook-Stylesheet DocBook-XML Dotseqn ECL-1.0 ECL-2.0 EFL-1.0 EFL-2.0 EPICS EPL-1.0 EPL-2.0
    ESA-PL-permissive-2.4 ESA-PL-strong-copyleft-2.4 ESA-PL-weak-copyleft-2.4 EUDatagrid
    EUPL-1.0 EUPL-1.1 EUPL-1.2 Elastic-2.0 Entessa ErlPL-1.1 Eurosym FBM FDK-AAC FDK-MPEG-H
    FSFAP FSFAP-no-warranty-disclaimer FSFUL FSFULLR FSFULLRSD FSFULLRWD FSL-1.1-ALv2
    FSL-1.1-MIT FTL Fair Ferguson-Twofish Frameworx-1.0 FreeBSD-DOC FreeImage Furuseth GCR-docs
    GD GFDL-1.1-invariants-only GFDL-1.1-invariants-or-later GFDL-1.1-no-invariants-only
    GFDL-1.1-no-invariants-or-later GFDL-1.1-only GFDL-1.1-or-later GFDL-1.2-invariants-only
    GFDL-1.2-invariants-or-later GFDL-1.2-no-invariants-only GFDL-1.2-no-invariants-or-later
    GFDL-1.2-only GFDL-1.2-or-later GFDL-1.3-invariants-only GFDL-1.3-invariants-or-later
    GFDL-1.3-no-invariants-only GFDL-1.3-no-invariants-or-later GFDL-1.3-only GFDL-1.3-or-later
    GL2PS GLWTPL GPL-1.0-only GPL-1.0-or-later GPL-2.0-only GPL-2.0-or-later GPL-3.0-only
    GPL-3.0-or-later Game-Programming-Gems Giftware Glide Glulxe Graphics-Gems Gutmann HDF5
    HIDAPI HP-1986 HP-1989 HPND HPND-DEC HPND-Fenneberg-Livingston HPND-INRIA-IMAG HPND-Intel
    HPND-Kevlin-Henney HPND-MIT-disclaimer HPND-Markus-Kuhn HPND-Netrek HPND-Pbmplus HPND-SMC
    HPND-UC HPND-UC-export-US HPND-doc HPND-doc-sell HPND-export-US
    HPND-export-US-acknowledgement HPND-export-US-modify HPND-export2-US
    HPND-merchantability-variant HPND-sell-MIT-disclaimer-xserver HPND-sell-regexpr
    HPND-sell-variant HPND-sell-variant-MIT-disclaimer HPND-sell-variant-MIT-disclaimer-rev
    HPND-sell-variant-critical-systems HTMLTIDY HaskellReport Hippocratic-2.1
    Hippocratic-3.0-core IBM-pibs ICU IEC-Code-Components-EULA IJG IJG-short IPA IPL-1.0 ISC
    ISC-Veillard ISO-permission ImageMagick Imlib2 Info-ZIP Informatica Inner-Net-2.0 InnoSetup
    Intel Intel-ACPI Interbase-1.0 JPL-image JPNIC JSON Jam JasPer-2.0 Kastrup Kazlib Knuth-CTAN
    LAL-1.2 LAL-1.3 LGPL-2.0-only LGPL-2.0-or-later LGPL-2.1-only LGPL-2.1-or-later
    LGPL-3.0-only LGPL-3.0-or-later LGPLLR LOOP LPD-document LPL-1.0 LPL-1.02 LPPL-1.0 LPPL-1.1
    LPPL-1.2 LPPL-1.3a LPPL-1.3c LZMA-SDK-9.11-to-9.20 LZMA-SDK-9.22 Latex2e
    Latex2e-translated-notice Leptonica LiLiQ-P-1.1 LiLiQ-R-1.1 LiLiQ-Rplus-1.1 Libpng
    Linux-OpenIB Linux-man-pages-1-para Linux-man-pages-copyleft Linux-man-pages-copyleft-2-para
    Linux-man-pages-copyleft-var Lucida-Bitmap-Fonts MIPS MIT MIT-0 MIT-CMU MIT-Click
    MIT-Festival MIT-Khronos-old MIT-Modern-Variant MIT-STK MIT-Wu MIT-advertising MIT-enna
    MIT-feh MIT-open-group MIT-testregex MITNFA MMIXware MMPL-1.0.1 MPEG-SSG MPL-1.0 MPL-1.1
    MPL-2.0 MPL-2.0-no-copyleft-exception MS-LPL MS-PL MS-RL MTLL MVT-1.1 Mackerras-3-Clause
    Mackerras-3-Clause-acknowledgment MakeIndex Martin-Birgmeier McPhee-slideshow Minpack MirOS
    Motosoto MulanPSL-1.0 MulanPSL-2.0 Multics Mup NAIST-2003 NASA-1.3 NBPL-1.0 NCBI-PD
    NCGL-UK-2.0 NCL NCSA NGPL NICTA-1.0 NIST-PD NIST-PD-TNT NIST-PD-fallback NIST-Software
    NLOD-1.0 NLOD-2.0 NLPL NOSL NPL-1.0 NPL-1.1 NPOSL-3.0 NRL NTIA-PD NTP NTP-0 Naumen NetCDF
    Newsletr Nokia Noweb O-UDA-1.0 OAR OCCT-PL OCLC-2.0 ODC-By-1.0 ODbL-1.0 OFFIS OFL-1.0
    OFL-1.0-RFN OFL-1.0-no-RFN OFL-1.1 OFL-1.1-RFN OFL-1.1-no-RFN OGC-1.0 OGDL-Taiwan-1.0
    OGL-Canada-2.0 OGL-UK-1.0 OGL-UK-2.0 OGL-UK-3.0 OGTSL OLDAP-1.1 OLDAP-1.2 OLDAP-1.3
    OLDAP-1.4 OLDAP-2.0 OLDAP-2.0.1 OLDAP-2.1 OLDAP-2.2 OLDAP-2.2.1 OLDAP-2.2.2 OLDAP-2.3
    OLDAP-2.4 OLDAP-2.5 OLDAP-2.6 OLDAP-2.7 OLDAP-2.8 OLFL-1.3 OML OPL-1.0 OPL-UK-3.0 OPUBL-1.0
    OSC-1.0 OSET-PL-2.1 OSL-1.0 OSL-1.1 OSL-2.0 OSL-2.1 OSL-3.0 OSSP OpenMDW-1.0 OpenPBS-2.3
    OpenSSL OpenSSL-standalone OpenVision PADL PDDL-1.0 PHP-3.0 PHP-3.01 PPL PSF-2.0
    ParaType-Free-Font-1.3 Parity-6.0.0 Parity-7.0.0 Pixar Plexus PolyForm-Noncommercial-1.0.0
    PolyForm-Small-Business-1.0.0 PostgreSQL Python-2.0 Python-2.0.1 QPL-1.0 QPL-1.0-INRIA-2004
    Qhull RHeCos-1.1 RPL-1.1 RPL-1.5 RPSL-1.0 RSA-MD RSCPL Rdisc Ruby Ruby-pty SAX-PD SAX-PD-2.0
    SCEA SGI-B-1.0 SGI-B-1.1 SGI-B-2.0 SGI-OpenGL SGMLUG-PM SGP4 SHL-0.5 SHL-0.51 SISSL
    SISSL-1.2 SL SMAIL-GPL SMLNJ SMPPL SNIA SOFA SPL-1.0 SSH-OpenSSH SSH-short SSLeay-standalone
    SSPL-1.0 SUL-1.0 SWL Saxpath SchemeReport Sendmail Sendmail-8.23 Sendmail-Open-Source-1.1
    SimPL-2.0 Sleepycat Soundex Spencer-86 Spencer-94 Spencer-99 SugarCRM-1.1.3 Sun-PPP
    Sun-PPP-2000 SunPro Symlinks TAPR-OHL-1.0 TCL TCP-wrappers TGPPL-1.0 TMate TORQUE-1.1 TOSL
    TPDL TPL-1.0 TTWL TTYP0 TU-Berlin-1.0 TU-Berlin-2.0 TekHVC TermReadKey ThirdEye TrustedQSL
    UCAR UCL-1.0 UMich-Merit UPL-1.0 URT-RLE Ubuntu-font-1.0 UnRAR Unicode-3.0 Unicode-DFS-2015
    Unicode-DFS-2016 Unicode-TOU UnixCrypt Unlicense Unlicense-libtelnet Unlicense-libwhirlpool
    VOSTROM VSL-1.0 Vim Vixie-Cron W3C W3C-19980720 W3C-20150513 WTFNMFPL WTFPL Watcom-1.0
    Widget-Workshop WordNet Wsuipa X11 X11-distribute-modifications-variant
    X11-no-permit-persons X11-swapped XFree86-1.1 XSkat Xdebug-1.03 Xerox Xfig Xnet YPL-1.0
    YPL-1.1 ZPL-1.1 ZPL-2.0 ZPL-2.1 Zed Zeeff Zend-2.0 Zimbra-1.3 Zimbra-1.4 Zlib any-OSI
    any-OSI-perl-modules atc-game bcrypt-Solar-Designer blessing bzip2-1.0.6 check-cvs checkmk
    copyleft-next-0.3.0 copyleft-next-0.3.1 curl cve-tou diffmark dtoa dvipdfm eGenix etalab-2.0
    fwlw gSOAP-1.3b generic-xts gnuplot gtkbook hdparm hyphen-bulgarian iMatix jove
    libpng-1.6.35 libpng-2.0 libselinux-1.0 libtiff libutil-David-Nugent lsof magaz mailprio
    man2html metamail mpi-permissive mpich2 mplus ngrep pkgconf pnmstitch psfrag psutils
    python-ldap radvd snprintf softSurfer ssh-keyscan swrule threeparttable ulem w3m wwl xinetd
    xkeyboard-config-Zinoviev xlock xpp xzoom zlib-acknowledgement
";

/// SPDX licence exception identifiers (for `WITH`), deprecated ones left out.
const SPDX_EXCEPTIONS: &str = "
    389-exception Asterisk-exception Asterisk-linking-protocols-exception Autoconf-exception-2.0
    Autoconf-exception-3.0 Autoconf-exception-generic Autoconf-exception-generic-3.0
    Autoconf-exception-macro Bison-exception-1.24 Bison-exception-2.2 Bootloader-exception
    CGAL-linking-exception CLISP-exception-2.0 Classpath-exception-2.0
    Classpath-exception-2.0-short DigiRule-FOSS-exception Digia-Qt-LGPL-exception-1.1
    FLTK-exception Fawkes-Runtime-exception Font-exception-2.0 GCC-exception-2.0
    GCC-exception-2.0-note GCC-exception-3.1 GNAT-exception GNOME-examples-exception
    GNU-compiler-exception GPL-3.0-389-ds-base-exception GPL-3.0-interface-exception
    GPL-3.0-linking-exception GPL-3.0-linking-source-exception GPL-CC-1.0
    GStreamer-exception-2005 GStreamer-exception-2008 Gmsh-exception Google-Patent-WebM
    Independent-modules-exception KiCad-libraries-exception LGPL-3.0-linking-exception LLGPL
    LLVM-exception LZMA-exception Libtool-exception Linux-syscall-note OCCT-exception-1.0
    OCaml-LGPL-linking-exception OpenJDK-assembly-exception-1.0 PCRE2-exception
    PS-or-PDF-font-exception-20170817 QPL-1.0-INRIA-2004-exception Qt-GPL-exception-1.0
    Qt-LGPL-exception-1.1 Qwt-exception-1.0 RRDtool-FLOSS-exception-2.0 SANE-exception SHL-2.0
    SHL-2.1 SWI-exception Simple-Library-Usage-exception Spelling-Provider-LGPL-exception
    Swift-exception Texinfo-exception UBDL-exception Universal-FOSS-exception-1.0
    WxWindows-exception-3.1 cryptsetup-OpenSSL-exception eCos-exception-2.0
    erlang-otp-linking-exception fmt-exception freertos-exception-2.0 gnu-javamail-exception
    harbour-exception i2p-gpl-java-exception kvirc-openssl-exception libpri-OpenH323-exception
    mif-exception mxml-exception openvpn-openssl-exception polyparse-exception romic-exception
    rsync-linking-exception sqlitestudio-OpenSSL-exception stunnel-exception
    u-boot-exception-2.0 vsftpd-openssl-exception x11vnc-openssl-exception
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{lint, LintConfig};

    fn schema(pairs: &[(&str, LabelType)], strict: bool) -> LintConfig {
        let mut config = LintConfig::default();
        for (k, t) in pairs {
            config.label_schema.insert(k.to_string(), *t);
        }
        config.strict_labels = strict;
        // DL3049/DL3050 are low and DL3048 info by default; all are on.
        config
    }

    fn hits(text: &str, config: &LintConfig, prefix: &str) -> Vec<(String, u32)> {
        let df = crate::parse(text).unwrap();
        lint("Dockerfile", &df, config)
            .into_iter()
            .filter(|f| f.id.starts_with(prefix))
            .map(|f| (f.id, f.location.line.unwrap_or(0)))
            .collect()
    }

    fn codes(list: &[(&str, u32)]) -> Vec<(String, u32)> {
        list.iter().map(|(c, l)| (c.to_string(), *l)).collect()
    }

    #[test]
    fn dl3048_key_format_as_hadolint_2_15() {
        let text =
            "FROM scratch\nLABEL \"com.example.a\"=y\nLABEL Com.example=1\nLABEL com.example.=1\n\
                    LABEL com..example=1\nLABEL com.docker.x=1\nLABEL com_example=1\nLABEL 1com=1\n\
                    LABEL a=1 B=2\nLABEL com.example-x=1\nLABEL a---b=1\nLABEL a/b=1\nLABEL a:b=1\n\
                    LABEL io.dockerx.y=1\nLABEL a old syntax\nONBUILD LABEL AB=1\nLABEL _a=1\n";
        let expected = codes(&[
            ("DL3048", 3),
            ("DL3048", 4),
            ("DL3048", 5),
            ("DL3048", 6),
            ("DL3048", 8),
            ("DL3048", 9),
            ("DL3048", 11),
            ("DL3048", 13),
            ("DL3048", 17),
        ]);
        assert_eq!(hits(text, &LintConfig::default(), "DL3048"), expected);
    }

    #[test]
    fn schema_rules_report_once_per_instruction_and_label() {
        let config = schema(
            &[
                ("author", LabelType::Text),
                ("url", LabelType::Url),
                ("created", LabelType::Rfc3339),
                ("lic", LabelType::Spdx),
                ("hash", LabelType::Hash),
                ("ver", LabelType::Semver),
                ("mail", LabelType::Email),
            ],
            true,
        );
        let text = "FROM alpine:3 AS a\n\
            LABEL author=\"x\" url=\"https://x.org\" created=\"2020-01-01T00:00:00Z\" lic=\"MIT\" hash=\"abcdef0\" ver=\"1.0.0\" mail=\"a@b.c\"\n\
            FROM a AS b\nLABEL extra=1\nFROM alpine:3 AS c\nRUN true\nFROM alpine:3 AS d\nLABEL author=\"\"\n\
            FROM alpine:3\nCOPY --from=c /x /y\n\
            LABEL url=\"not a url\" url=ftp:x created=2020-01-01 lic=\"MIT OR\" hash=ABCDEF0 ver=v1.0.0 mail=bad\n";
        let mut expected = codes(&[
            ("DL3050", 4),
            ("DL3051", 8),
            ("DL3052", 11),
            ("DL3053", 11),
            ("DL3054", 11),
            ("DL3055", 11),
            ("DL3056", 11),
            ("DL3058", 11),
        ]);
        expected.extend(std::iter::repeat_n(("DL3049".to_string(), 7), 6));
        expected.push(("DL3049".to_string(), 9));
        let mut got = hits(text, &config, "DL30");
        got.sort();
        expected.sort();
        assert_eq!(got, expected);
    }

    #[test]
    fn dl3049_inheritance_and_copy_sources() {
        let config = schema(&[("maintainer", LabelType::Text)], false);
        // The builder is only a COPY source; the final stage inherits from `base`.
        let text = "FROM alpine AS base\nLABEL maintainer=me\nFROM golang AS build\nRUN go build\n\
                    FROM base\nCOPY --from=build /a /a\n";
        assert_eq!(hits(text, &config, "DL3049"), vec![]);
        let text = "FROM alpine\nRUN x\nONBUILD LABEL maintainer=me\n";
        assert_eq!(hits(text, &config, "DL3049"), codes(&[("DL3049", 1)]));
        // A later stage labelling itself silences the stage it was built from; `COPY --from=0`
        // does not name an alias, and a stage built from an unlabelled alias is reported.
        let text = "FROM alpine AS base\nRUN x\nFROM golang AS build\nRUN go build\nFROM base\n\
                    LABEL maintainer=x\nCOPY --from=0 /a /a\nFROM base AS again\n";
        assert_eq!(
            hits(text, &config, "DL3049"),
            codes(&[("DL3049", 3), ("DL3049", 8)])
        );
        // Without a schema nothing is required.
        assert_eq!(hits(text, &LintConfig::default(), "DL3049"), vec![]);
    }

    #[test]
    fn dl3050_only_with_strict_labels() {
        let text = "FROM scratch\nLABEL a=1 other=2\n";
        let lax = schema(&[("a", LabelType::Text)], false);
        assert_eq!(hits(text, &lax, "DL3050"), vec![]);
        let strict = schema(&[("a", LabelType::Text)], true);
        assert_eq!(hits(text, &strict, "DL3050"), codes(&[("DL3050", 2)]));
    }

    #[test]
    fn spdx_values() {
        for ok in [
            "MIT",
            "Apache-2.0",
            "GPL-2.0-only",
            "0BSD",
            "Unlicense",
            "Zlib",
            "BlueOak-1.0.0",
            "MIT OR Apache-2.0",
            "(MIT AND BSD-3-Clause) OR Apache-2.0",
            "Apache-2.0 WITH LLVM-exception",
            "LicenseRef-acme",
            "GPL-2.0-or-later+",
        ] {
            assert!(is_spdx(ok), "{ok}");
        }
        for bad in [
            "mit",
            "GPL-2.0",
            "GPL-2.0+",
            "AGPL-3.0",
            "LGPL-2.1",
            "NONE",
            "NOASSERTION",
            "Proprietary",
            "",
            "apache-2.0",
            "MIT OR",
            "(MIT",
            "MIT)",
            "MIT WITH foo",
            "eCos-2.0",
        ] {
            assert!(!is_spdx(bad), "{bad}");
        }
    }

    #[test]
    fn rfc3339_values() {
        for ok in [
            "2020-01-01T00:00:00Z",
            "2020-01-01t00:00:00z",
            "2020-01-01T00:00:00.123Z",
            "2020-01-01T00:00:00+02:00",
            "2020-01-01T00:00:00+0200",
            "2020-01-01T23:59:60Z",
            "2020-01-01T00:00:00.Z",
            "20-01-01T00:00:00Z",
            "2020-02-29T00:00:00Z",
            "-4-02-29T00:00:00Z",
            " 2020-01-01T00:00:00Z ",
            "2020-01-01T00:00:00+99:00",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "2020-01-01 00:00:00Z",
            "2020-01-01T00:00:00",
            "2020-01-01",
            "2020-13-01T00:00:00Z",
            "2020-02-30T00:00:00Z",
            "2020-01-01T24:00:00Z",
            "2020-1-1T00:00:00Z",
            "2020-01-01T00:00:00+02",
            "2020-01-01T00:00:00,5Z",
            "2020-01-01T00:00:00UTC",
            "2019-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "-1-02-29T00:00:00Z",
            "+2020-01-01T00:00:00Z",
            "",
            "é",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn semver_values() {
        for ok in [
            "1.0.0",
            "01.0.0",
            "0.0.0",
            "1.0.0-alpha.1",
            "1.0.0-01",
            "1.0.0+build.01",
            "1.0.0-",
            "1.0.0+",
            "1.0.0-alpha+001",
            "1.2.3--",
            "1.0.0-a.",
            "1.0.0-+b",
            "99999999999999999999.0.0",
        ] {
            assert!(is_semver(ok), "{ok}");
        }
        for bad in [
            "v1.0.0",
            "1.0",
            "1",
            "1.0.0-a..b",
            "1.0.0-α",
            " 1.0.0",
            "1.0.0 ",
            "1.0.0.0",
            "1.2.3-rc_1",
            "1.0.0-alpha+b+c",
            "1.0.0-.a",
            "1.0.0+.",
            "",
        ] {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    #[test]
    fn email_values() {
        for ok in [
            "a@b.c",
            "a@b",
            "a@localhost",
            "a.b@c.d",
            "\"ab\"@c.d",
            "a+tag@c.d",
            "a@[127.0.0.1]",
            "a@b.c.",
            "a@b.c ",
            "a@b.c(comment)",
            "a!#$%&*+/=?^_`{|}~-@b.c",
            "a@1.2.3.4",
            "a@b.123",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "a..b@c.d",
            ".a@c.d",
            "a.@c.d",
            "a b@c.d",
            "a@b..c",
            "a@-b.c",
            "a@b-.c",
            "a@b_c.d",
            "First <a@b.c>",
            "a",
            "@b.c",
            "a@",
            "ä@b.c",
            "a@ä.c",
            "",
            "a@b@c",
            "((((((((",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn uri_values() {
        for ok in [
            "https://x.org",
            "https://x.org/a?b=c#d",
            "http://",
            "http:",
            "x:",
            "mailto:a@b.c",
            "https://x.org/%41",
            "https://[::1]:80/",
            "https://[v1.x]/",
            "https://u:p@h:99/",
            "https://h:/",
            "h+t.t-p://x",
            "https://x_y.org",
            "https://256.1.1.1/",
        ] {
            assert!(is_uri(ok), "{ok}");
        }
        for bad in [
            "/relative",
            "//x.org",
            "x.org",
            "https://x.org/a b",
            "https://x.org/%zz",
            "https://[::1/",
            "https://h:port/",
            "1http://x",
            "https://x.org/a#b#c",
            "https://x.org/ü",
            "https://x.org/{a}",
            "https://x.org/a|b",
            "https://x.org/a^b",
            "https://x.org?q=[a]",
            "",
        ] {
            assert!(!is_uri(bad), "{bad}");
        }
    }

    #[test]
    fn git_hashes() {
        assert!(is_git_hash("abcdef0"));
        assert!(is_git_hash("0123456789012345678901234567890123456789"));
        for bad in ["abcdef01", "ABCDEF0", "abcdefg", "", " abcdef0"] {
            assert!(!is_git_hash(bad), "{bad}");
        }
    }

    #[test]
    fn values_are_unquoted_not_expanded() {
        assert_eq!(unquote("\"a b\"@c", '\\'), "a b@c");
        assert_eq!(unquote("'\"ab\"@c'", '\\'), "\"ab\"@c");
        assert_eq!(unquote("a\\ b", '\\'), "a b");
        assert_eq!(unquote("$VERSION", '\\'), "$VERSION");
        assert_eq!(
            image_name("docker.io/library/alpine:3@sha256:x"),
            "library/alpine"
        );
        assert_eq!(image_name("base"), "base");
        assert_eq!(image_name("localhost:5000/app:1"), "app");
    }
}
