//! BuildKit's variable expansion for instruction arguments.
//!
//! `FROM`, `COPY`, `ENV`, `LABEL`, `USER`, `WORKDIR`, … are expanded by the builder, not by a
//! shell: quotes are removed, the escape character protects the next character, and `$VAR`,
//! `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?msg}`,
//! `${VAR#pat}`, `${VAR##pat}`, `${VAR%pat}` and `${VAR%%pat}` are substituted. Single quotes
//! stop expansion. Unset variables expand to nothing, as in BuildKit.

/// Looks a variable up; `None` means unset (distinct from set to the empty string).
pub trait Lookup {
    fn get(&self, name: &str) -> Option<String>;
}

impl<F: Fn(&str) -> Option<String>> Lookup for F {
    fn get(&self, name: &str) -> Option<String> {
        self(name)
    }
}

/// Expands one word the way BuildKit's `ProcessWord` does.
pub fn expand_word(word: &str, escape: char, vars: &dyn Lookup) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == escape {
            if let Some(&next) = chars.get(i + 1) {
                out.push(next);
            }
            i += 2;
        } else if c == '\'' {
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                out.push(chars[i]);
                i += 1;
            }
            i += 1;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                let d = chars[i];
                if d == escape {
                    match chars.get(i + 1) {
                        Some(&n) if n == '"' || n == '$' || n == escape => {
                            out.push(n);
                            i += 2;
                        }
                        _ => {
                            out.push(d);
                            i += 1;
                        }
                    }
                } else if d == '$' {
                    i = expand_dollar(&chars, i, escape, vars, &mut out);
                } else {
                    out.push(d);
                    i += 1;
                }
            }
            i += 1;
        } else if c == '$' {
            i = expand_dollar(&chars, i, escape, vars, &mut out);
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// True when the text refers to a variable (`$X` or `${X}`) outside single quotes.
pub fn has_variable(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes
        .windows(2)
        .any(|w| w[0] == b'$' && (w[1] == b'{' || w[1] == b'_' || w[1].is_ascii_alphabetic()))
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Expands `$…` starting at `chars[start] == '$'`; returns the index after it.
fn expand_dollar(
    chars: &[char],
    start: usize,
    escape: char,
    vars: &dyn Lookup,
    out: &mut String,
) -> usize {
    let mut i = start + 1;
    match chars.get(i) {
        Some('{') => {
            i += 1;
            let name_start = i;
            while i < chars.len() && is_name_char(chars[i]) {
                i += 1;
            }
            let name: String = chars[name_start..i].iter().collect();
            // Find the matching close brace, allowing nested `${…}` in the operand.
            let mut depth = 1;
            let mut j = i;
            while j < chars.len() {
                match chars[j] {
                    '{' if j > 0 && chars[j - 1] == '$' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            if j >= chars.len() || name.is_empty() {
                // Unterminated or malformed: keep the text as written.
                out.extend(&chars[start..j.min(chars.len())]);
                return j.min(chars.len());
            }
            let modifier: String = chars[i..j].iter().collect();
            let value = vars.get(&name);
            out.push_str(&apply_modifier(value, &modifier, escape, vars));
            j + 1
        }
        Some(&c) if is_name_char(c) && !c.is_ascii_digit() => {
            let name_start = i;
            while i < chars.len() && is_name_char(chars[i]) {
                i += 1;
            }
            let name: String = chars[name_start..i].iter().collect();
            out.push_str(&vars.get(&name).unwrap_or_default());
            i
        }
        _ => {
            out.push('$');
            i
        }
    }
}

fn apply_modifier(
    value: Option<String>,
    modifier: &str,
    escape: char,
    vars: &dyn Lookup,
) -> String {
    let operand = |text: &str| expand_word(text, escape, vars);
    let set_nonempty = value.as_deref().is_some_and(|v| !v.is_empty());
    if modifier.is_empty() {
        return value.unwrap_or_default();
    }
    if let Some(word) = modifier.strip_prefix(":-") {
        return if set_nonempty {
            value.unwrap_or_default()
        } else {
            operand(word)
        };
    }
    if let Some(word) = modifier.strip_prefix(":+") {
        return if set_nonempty {
            operand(word)
        } else {
            String::new()
        };
    }
    if let Some(_message) = modifier.strip_prefix(":?") {
        return value.unwrap_or_default();
    }
    if let Some(word) = modifier.strip_prefix('-') {
        return match value {
            Some(v) => v,
            None => operand(word),
        };
    }
    if let Some(word) = modifier.strip_prefix('+') {
        return if value.is_some() {
            operand(word)
        } else {
            String::new()
        };
    }
    if modifier.starts_with('?') {
        return value.unwrap_or_default();
    }
    let value = value.unwrap_or_default();
    if let Some(pattern) = modifier.strip_prefix("##") {
        return strip_prefix_glob(&value, &operand(pattern), true);
    }
    if let Some(pattern) = modifier.strip_prefix('#') {
        return strip_prefix_glob(&value, &operand(pattern), false);
    }
    if let Some(pattern) = modifier.strip_prefix("%%") {
        return strip_suffix_glob(&value, &operand(pattern), true);
    }
    if let Some(pattern) = modifier.strip_prefix('%') {
        return strip_suffix_glob(&value, &operand(pattern), false);
    }
    value
}

/// Shell glob match supporting `*` and `?`, enough for `${VAR#*/}`-style trimming.
fn glob_matches(pattern: &[char], text: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('*', rest)) => (0..=text.len()).any(|k| glob_matches(rest, &text[k..])),
        Some(('?', rest)) => !text.is_empty() && glob_matches(rest, &text[1..]),
        Some((c, rest)) => text.first() == Some(c) && glob_matches(rest, &text[1..]),
    }
}

fn strip_prefix_glob(value: &str, pattern: &str, longest: bool) -> String {
    let v: Vec<char> = value.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    let mut cuts: Vec<usize> = (0..=v.len()).collect();
    if longest {
        cuts.reverse();
    }
    for k in cuts {
        if glob_matches(&p, &v[..k]) {
            return v[k..].iter().collect();
        }
    }
    value.to_string()
}

fn strip_suffix_glob(value: &str, pattern: &str, longest: bool) -> String {
    let v: Vec<char> = value.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    let mut cuts: Vec<usize> = (0..=v.len()).rev().collect();
    if longest {
        cuts.reverse();
    }
    for k in cuts {
        if glob_matches(&p, &v[k..]) {
            return v[..k].iter().collect();
        }
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn buildkit_modifiers() {
        let v = vars(&[("A", "x"), ("E", ""), ("P", "a/b/c.tar.gz")]);
        assert_eq!(expand_word("${A:-d}", '\\', &v), "x");
        assert_eq!(expand_word("${U:-d}", '\\', &v), "d");
        assert_eq!(expand_word("${E:-d}", '\\', &v), "d");
        assert_eq!(expand_word("${E-d}", '\\', &v), "");
        assert_eq!(expand_word("${A:+alt}", '\\', &v), "alt");
        assert_eq!(expand_word("${U:+alt}", '\\', &v), "");
        assert_eq!(expand_word("${P#*/}", '\\', &v), "b/c.tar.gz");
        assert_eq!(expand_word("${P##*/}", '\\', &v), "c.tar.gz");
        assert_eq!(expand_word("${P%.*}", '\\', &v), "a/b/c.tar");
        assert_eq!(expand_word("${P%%.*}", '\\', &v), "a/b/c");
        assert_eq!(expand_word("${U:-${A}}", '\\', &v), "x");
    }

    #[test]
    fn quotes_and_escapes() {
        let v = vars(&[("A", "x")]);
        assert_eq!(expand_word("\"$A y\"", '\\', &v), "x y");
        assert_eq!(expand_word("'$A'", '\\', &v), "$A");
        assert_eq!(expand_word("\\$A", '\\', &v), "$A");
        assert_eq!(expand_word("C:\\app", '`', &v), "C:\\app");
        assert_eq!(expand_word("three\\ words", '\\', &v), "three words");
        assert_eq!(expand_word("$", '\\', &v), "$");
        assert_eq!(expand_word("${unterminated", '\\', &v), "${unterminated");
        assert_eq!(expand_word("$1x", '\\', &v), "$1x");
    }
}
