//! Small text helpers shared by the catalogers of line-based formats.

use std::borrow::Cow;

/// Package metadata is nominally UTF-8 but old databases carry Latin-1 maintainer names;
/// replacing bad bytes keeps the package rather than failing the whole file.
pub fn lossy(content: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(content)
}

/// One deb822/RFC 822-style stanza: fields in file order, continuation lines joined with `\n`.
#[derive(Debug, Default)]
pub struct Stanza {
    pub fields: Vec<(String, String)>,
    /// Lines that were neither `Key: value` nor continuations.
    pub malformed: bool,
}

impl Stanza {
    /// Value of the first field named `key` (case-insensitive, as in deb822).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits text into stanzas separated by blank lines. Field names may not contain spaces, so
/// a line like `Insterface to …` marks the stanza malformed instead of inventing a field.
pub fn stanzas(text: &str) -> Vec<Stanza> {
    let mut out = Vec::new();
    let mut cur = Stanza::default();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !cur.fields.is_empty() || cur.malformed {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            match cur.fields.last_mut() {
                Some((_, v)) => {
                    v.push('\n');
                    v.push_str(line.trim());
                }
                None => cur.malformed = true,
            }
            continue;
        }
        match line.split_once(':') {
            Some((k, v)) if !k.is_empty() && !k.contains(char::is_whitespace) => {
                cur.fields.push((k.to_string(), v.trim().to_string()));
            }
            _ => cur.malformed = true,
        }
    }
    if !cur.fields.is_empty() || cur.malformed {
        out.push(cur);
    }
    out
}

/// Email-style headers (Python `METADATA`/`PKG-INFO`): the header block ends at the first
/// blank line, after which comes the description body.
pub fn headers(text: &str) -> Stanza {
    let mut cur = Stanza::default();
    for line in text.lines() {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some((_, v)) = cur.fields.last_mut() {
                v.push('\n');
                v.push_str(line.trim());
            }
            continue;
        }
        match line.split_once(':') {
            Some((k, v)) if !k.contains(char::is_whitespace) => {
                cur.fields.push((k.to_string(), v.trim().to_string()));
            }
            _ => cur.malformed = true,
        }
    }
    cur
}

/// Strips one pair of matching quotes.
pub fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}
