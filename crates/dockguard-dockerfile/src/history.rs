//! A Dockerfile reconstructed from an image's config history, for linting images whose
//! Dockerfile is not at hand.
//!
//! Each history entry's `created_by` becomes the instruction that produced it: the classic
//! builder's `/bin/sh -c #(nop) INSTR …` and `/bin/sh -c SCRIPT`, BuildKit's `RUN |N K=V …
//! /bin/sh -c SCRIPT # buildkit`, and the plain `INSTR …` form. What the history does not keep
//! becomes a placeholder: the base image (`FROM scratch`, since the history starts at the
//! bottom layer) and the sources of `COPY`/`ADD` (`file:<hash>`). [`lint_reconstructed`] keeps
//! the rules that would judge a placeholder from firing on it.
//!
//! The input comes from an image, which anyone may have built: nothing in `created_by` can
//! add a parser directive, an ignore pragma or an instruction of its own.

use crate::lint::{lint, LintConfig};
use crate::parser::{parse, ParseError};
use dockguard_core::Finding;

/// The first line of every reconstructed file.
pub const HEADER: &str =
    "# Reconstructed by dockguard from the image history; not the original Dockerfile.";

/// Rules about the `FROM` reference, which is a placeholder here.
const BASE_RULES: [&str; 7] = [
    "DL3006", "DL3007", "DL3026", "DL3029", "DL3063", "DL3065", "DG1011",
];

/// Rules about what `COPY`/`ADD` read, which the history replaces with a content hash.
const SOURCE_RULES: [&str; 6] = ["DL3010", "DL3020", "DL3021", "DG1013", "DG1014", "DG2003"];

/// Rules about repeating an instruction: the history holds the base image's steps too, so a
/// base's `CMD` followed by the application's is an override, not a mistake.
const REPEAT_RULES: [&str; 3] = ["DL3012", "DL4003", "DL4004"];

/// A reconstructed Dockerfile and where each of its lines came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconstructed {
    pub text: String,
    /// `history_of_line[n - 1]` is the history index line `n` was made from.
    pub history_of_line: Vec<Option<usize>>,
    /// One per history entry: the instruction made from it, or `None` when `created_by` is
    /// not an instruction (a base layer made by another tool, an empty entry).
    pub entries: Vec<Option<String>>,
    /// Lines holding a placeholder `FROM`, `COPY` or `ADD`.
    placeholder_lines: Vec<(u32, Placeholder)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placeholder {
    Base,
    Source,
}

impl Reconstructed {
    /// The history index of a 1-based line.
    pub fn history_index(&self, line: u32) -> Option<usize> {
        let i = usize::try_from(line).ok()?.checked_sub(1)?;
        self.history_of_line.get(i).copied().flatten()
    }

    fn placeholder(&self, line: u32) -> Option<Placeholder> {
        self.placeholder_lines
            .iter()
            .find(|(l, _)| *l == line)
            .map(|(_, p)| *p)
    }
}

struct Builder {
    text: String,
    lines: Vec<Option<usize>>,
    placeholders: Vec<(u32, Placeholder)>,
    declared_args: Vec<String>,
    /// The shell prefix RUN scripts currently run under (`SHELL`), as history writes it.
    shell: Vec<String>,
}

impl Builder {
    fn push(&mut self, text: &str, history: Option<usize>) -> u32 {
        let first = self.lines.len() as u32 + 1;
        for line in text.split('\n') {
            self.text.push_str(line);
            self.text.push('\n');
            self.lines.push(history);
        }
        first
    }
}

/// Reconstructs a Dockerfile from the `created_by` of each history entry, oldest first.
pub fn reconstruct(created_by: &[Option<&str>]) -> Reconstructed {
    let mut b = Builder {
        text: String::new(),
        lines: Vec::new(),
        placeholders: Vec::new(),
        declared_args: Vec::new(),
        shell: default_shell(),
    };
    b.push(HEADER, None);
    b.push(
        "# The base image and the sources of COPY/ADD are placeholders.",
        None,
    );
    let from = b.push("FROM scratch", None);
    b.placeholders.push((from, Placeholder::Base));
    let mut entries = Vec::with_capacity(created_by.len());
    for (index, text) in created_by.iter().enumerate() {
        let made = text.and_then(|t| instruction_of(t, &mut b, index));
        if made.is_none() {
            b.push(
                &format!("# history[{index}]: not a Dockerfile instruction"),
                Some(index),
            );
        }
        entries.push(made);
    }
    Reconstructed {
        text: b.text,
        history_of_line: b.lines,
        entries,
        placeholder_lines: b.placeholders,
    }
}

/// Lints a reconstructed file: the normal rules, less those that would judge a placeholder.
pub fn lint_reconstructed(
    path: &str,
    r: &Reconstructed,
    config: &LintConfig,
) -> Result<Vec<Finding>, ParseError> {
    let df = parse(&r.text)?;
    let mut findings = lint(path, &df, config);
    findings.retain(|f| {
        if REPEAT_RULES.contains(&f.id.as_str()) {
            return false;
        }
        let Some(line) = f.location.line else {
            return true;
        };
        match r.placeholder(line) {
            Some(Placeholder::Base) => !BASE_RULES.contains(&f.id.as_str()),
            Some(Placeholder::Source) => !SOURCE_RULES.contains(&f.id.as_str()),
            None => true,
        }
    });
    Ok(findings)
}

fn default_shell() -> Vec<String> {
    vec!["/bin/sh".to_string(), "-c".to_string()]
}

const KEYWORDS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
    "FROM",
];

/// Adds the instruction(s) for one `created_by`; returns the main one, or `None` (nothing
/// added) when the text is not an instruction.
fn instruction_of(created_by: &str, b: &mut Builder, index: usize) -> Option<String> {
    let text = created_by.trim();
    let text = text.strip_suffix("# buildkit").unwrap_or(text).trim_end();
    // Classic builder: metadata instructions are recorded as a no-op shell command.
    if let Some(rest) = strip_shell(text, &b.shell)
        .or_else(|| strip_shell(text, &default_shell()))
        .and_then(|script| script.trim_start().strip_prefix("#(nop)"))
    {
        return keyword_instruction(rest.trim(), b, index);
    }
    if text.starts_with('|')
        || strip_shell(text, &b.shell).is_some()
        || shell_prefix(text).is_some()
    {
        return run_instruction(text, b, index);
    }
    let (word, rest) = split_word(text);
    if word.eq_ignore_ascii_case("RUN") {
        return run_instruction(rest, b, index);
    }
    keyword_instruction(text, b, index)
}

fn split_word(text: &str) -> (&str, &str) {
    match text.find(char::is_whitespace) {
        Some(i) => (&text[..i], text[i..].trim_start()),
        None => (text, ""),
    }
}

/// The script of `SHELL... SCRIPT` when `text` starts with the given shell prefix.
fn strip_shell<'a>(text: &'a str, shell: &[String]) -> Option<&'a str> {
    let mut rest = text;
    for word in shell {
        rest = rest.strip_prefix(word.as_str())?;
        let trimmed = rest.trim_start_matches([' ', '\t']);
        if trimmed.len() == rest.len() && !rest.is_empty() {
            return None;
        }
        rest = trimmed;
    }
    Some(rest)
}

/// One line of instruction text: newlines would start instructions of their own, and a
/// trailing escape would swallow the next line.
fn one_line(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    flat.trim_end_matches(|c: char| c == '\\' || c.is_whitespace())
        .to_string()
}

fn keyword_instruction(text: &str, b: &mut Builder, index: usize) -> Option<String> {
    let (word, rest) = split_word(text);
    let keyword = word.to_ascii_uppercase();
    if !KEYWORDS.contains(&keyword.as_str()) || keyword == "FROM" {
        return None;
    }
    let line = match keyword.as_str() {
        "RUN" => return run_instruction(rest, b, index),
        "COPY" | "ADD" => {
            let (line, placeholder) = copy_line(&keyword, rest);
            let at = b.push(&line, Some(index));
            if placeholder {
                b.placeholders.push((at, Placeholder::Source));
            }
            return Some(line);
        }
        "EXPOSE" => format!("EXPOSE {}", go_map_keys(rest)),
        "CMD" | "ENTRYPOINT" | "VOLUME" => format!("{keyword} {}", exec_form(rest)),
        "SHELL" => {
            let json = exec_form(rest);
            if let Ok(words) = serde_json::from_str::<Vec<String>>(&json) {
                if !words.is_empty() {
                    b.shell = words;
                }
            }
            format!("SHELL {json}")
        }
        "HEALTHCHECK" => format!("HEALTHCHECK {}", healthcheck(rest)?),
        "ARG" => {
            for word in rest.split_whitespace() {
                let name = word.split_once('=').map_or(word, |(n, _)| n);
                b.declared_args.push(name.to_string());
            }
            format!("ARG {rest}")
        }
        "ONBUILD" => {
            let (inner, _) = split_word(rest);
            if !KEYWORDS.contains(&inner.to_ascii_uppercase().as_str()) {
                return None;
            }
            format!("ONBUILD {rest}")
        }
        _ => format!("{keyword} {rest}"),
    };
    let line = one_line(&line);
    b.push(&line, Some(index));
    Some(line)
}

/// `COPY file:<hash> in /dst` → `COPY file:<hash12> /dst` (a placeholder source); BuildKit's
/// `COPY src dst` stays as it is.
fn copy_line(keyword: &str, rest: &str) -> (String, bool) {
    let rest = one_line(rest);
    let mut flags = Vec::new();
    let mut words = rest.split_whitespace().peekable();
    while let Some(w) = words.peek() {
        if w.starts_with("--") {
            flags.push(words.next().unwrap_or_default());
        } else {
            break;
        }
    }
    let tail: Vec<&str> = words.collect();
    if let Some(pos) = tail.iter().position(|w| *w == "in") {
        let sources = &tail[..pos];
        let dest = tail[pos + 1..].join(" ");
        let placeholder_sources: Vec<String> = sources
            .iter()
            .map(|s| match s.split_once(':') {
                Some((kind, hash)) if ["file", "dir", "multi"].contains(&kind) => {
                    format!("{kind}:{}", hash.chars().take(12).collect::<String>())
                }
                _ => (*s).to_string(),
            })
            .collect();
        if !dest.is_empty() && !placeholder_sources.is_empty() {
            let mut parts: Vec<String> = flags.iter().map(|f| f.to_string()).collect();
            parts.extend(placeholder_sources);
            parts.push(dest);
            return (format!("{keyword} {}", parts.join(" ")), true);
        }
    }
    (format!("{keyword} {rest}"), false)
}

/// `map[22/tcp:{} 80/tcp:{}]` (Go's formatting of the port set) → `22/tcp 80/tcp`.
fn go_map_keys(rest: &str) -> String {
    let rest = rest.trim();
    match rest.strip_prefix("map[").and_then(|r| r.strip_suffix(']')) {
        Some(inner) => inner
            .split_whitespace()
            .map(|kv| kv.strip_suffix(":{}").unwrap_or(kv))
            .collect::<Vec<_>>()
            .join(" "),
        None => one_line(rest),
    }
}

/// JSON arrays stay; Go's `["a" "b"]` and `[a b]` become JSON; anything else is shell form.
fn exec_form(rest: &str) -> String {
    let rest = rest.trim();
    if serde_json::from_str::<Vec<String>>(rest).is_ok() {
        return one_line(rest);
    }
    if let Some(inner) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        let words = go_words(inner);
        if let Ok(json) = serde_json::to_string(&words) {
            return json;
        }
    }
    one_line(rest)
}

/// The words of a Go-formatted string slice: `"a b" "c"` (quoted) or `a b c` (bare).
fn go_words(inner: &str) -> Vec<String> {
    let inner = inner.trim();
    if !inner.starts_with('"') {
        return inner.split_whitespace().map(str::to_string).collect();
    }
    let mut words = Vec::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut word = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some('n') => word.push('\n'),
                    Some('t') => word.push('\t'),
                    Some(other) => word.push(other),
                    None => break,
                },
                '"' => break,
                c => word.push(c),
            }
        }
        words.push(word);
    }
    words
}

/// `&{["CMD-SHELL" "curl -f localhost"] "30s" "3s" "0s" "0s" '\x03'}` → the HEALTHCHECK
/// arguments. Intervals are left out: they do not change what the rules check.
fn healthcheck(rest: &str) -> Option<String> {
    let rest = rest.trim();
    let Some(inner) = rest.strip_prefix("&{") else {
        return Some(one_line(rest));
    };
    let list = inner.get(inner.find('[')? + 1..inner.find(']')?)?;
    let words = go_words(list);
    let (kind, args) = words.split_first()?;
    match kind.as_str() {
        "NONE" => Some("NONE".to_string()),
        "CMD-SHELL" => Some(format!("CMD {}", one_line(&args.join(" ")))),
        "CMD" => Some(format!("CMD {}", serde_json::to_string(args).ok()?)),
        _ => None,
    }
}

/// `RUN` from `[|N K=V …] SHELL -c SCRIPT`: undeclared build arguments become `ARG`s, a shell
/// other than the current one a `SHELL`, and a script that spans lines (or holds `<<`) a
/// heredoc, so its text can never be read as further instructions.
fn run_instruction(text: &str, b: &mut Builder, index: usize) -> Option<String> {
    let mut rest = text.trim();
    let mut flags = Vec::new();
    while rest.starts_with("--") {
        let (flag, after) = split_word(rest);
        flags.push(flag.to_string());
        rest = after;
    }
    if let Some(after_bar) = rest.strip_prefix('|') {
        let (count, after) = split_word(after_bar);
        let count: usize = count.parse().ok()?;
        let (assignments, script_part) = split_assignments(after, count, &b.shell);
        for (name, value) in assignments {
            if b.declared_args.contains(&name) {
                continue;
            }
            let line = one_line(&format!("ARG {name}={value}"));
            b.push(&line, Some(index));
            b.declared_args.push(name);
        }
        rest = script_part;
    }
    let script = match strip_shell(rest, &b.shell) {
        Some(s) => s,
        None => match shell_prefix(rest) {
            Some((shell, script)) => {
                let json = serde_json::to_string(&shell).ok()?;
                b.push(&format!("SHELL {json}"), Some(index));
                b.shell = shell;
                script
            }
            None => rest,
        },
    };
    let script = script.trim_end();
    if script.is_empty() {
        return None;
    }
    let flag_text: String = flags.iter().map(|f| format!("{f} ")).collect();
    let line = if script.contains('\n') || script.contains("<<") || script.ends_with('\\') {
        let mut delimiter = "DOCKGUARD_EOF".to_string();
        while script.lines().any(|l| l.trim() == delimiter) {
            delimiter.push('_');
        }
        format!("RUN {flag_text}<<'{delimiter}'\n{script}\n{delimiter}")
    } else {
        format!("RUN {flag_text}{script}")
    };
    b.push(&line, Some(index));
    Some(line)
}

/// `K=V K2=V2 /bin/sh -c X` with `count` assignments: values may hold spaces, so each one runs
/// up to the next `NAME=` (or the shell).
fn split_assignments<'a>(
    text: &'a str,
    count: usize,
    shell: &[String],
) -> (Vec<(String, String)>, &'a str) {
    // Where the command starts: the current shell, else the default one.
    let start = [shell.join(" "), default_shell().join(" ")]
        .iter()
        .filter_map(|s| text.find(&format!(" {s} ")).map(|i| i + 1))
        .min()
        .or_else(|| {
            let mut at = 0;
            for (i, w) in text.split(' ').enumerate() {
                if i == count {
                    return Some(at);
                }
                at += w.len() + 1;
            }
            None
        })
        .unwrap_or(text.len())
        .min(text.len());
    let (vars, script) = text.split_at(start);
    let mut out: Vec<(String, String)> = Vec::new();
    for word in vars.split(' ') {
        match word.split_once('=') {
            Some((name, value)) if is_name(name) && out.len() < count => {
                out.push((name.to_string(), value.to_string()))
            }
            _ => {
                if let Some(last) = out.last_mut() {
                    if !word.is_empty() {
                        last.1.push(' ');
                        last.1.push_str(word);
                    }
                }
            }
        }
    }
    (out, script)
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A shell invocation other than the current one: `/bin/bash -o pipefail -c SCRIPT`.
fn shell_prefix(text: &str) -> Option<(Vec<String>, &str)> {
    let (first, _) = split_word(text);
    let name = first.rsplit('/').next().unwrap_or(first);
    if !first.starts_with('/') || !["sh", "bash", "ash", "dash", "zsh", "ksh"].contains(&name) {
        return None;
    }
    let mut words = vec![first.to_string()];
    let mut rest = split_word(text).1;
    for _ in 0..8 {
        let (w, after) = split_word(rest);
        if w.is_empty() {
            return None;
        }
        words.push(w.to_string());
        rest = after;
        if w.starts_with('-') && !w.starts_with("--") && w.ends_with('c') {
            return Some((words, rest));
        }
        if !(w.starts_with('-') || w.chars().all(|c| c.is_ascii_lowercase())) {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(created_by: &[&str]) -> Vec<String> {
        let r = reconstruct(&created_by.iter().map(|s| Some(*s)).collect::<Vec<_>>());
        r.text.lines().skip(3).map(str::to_string).collect()
    }

    #[test]
    fn classic_and_buildkit_forms_become_instructions() {
        let got = lines(&[
            "/bin/sh -c #(nop) ADD file:d48cac34fac385cbc1de6adfdd88300f76f9bbe346cd17e64fd834d042a98326 in / ",
            "/bin/sh -c #(nop)  CMD [\"/bin/sh\"]",
            "/bin/sh -c #(nop) EXPOSE map[22/tcp:{} 80/tcp:{}]",
            "/bin/sh -c apt-get update && apt-get install -y curl",
            "|1 NPM_TOKEN=npm_x /bin/sh -c echo $NPM_TOKEN",
            "RUN |2 A=1 B=two words /bin/sh -c make # buildkit",
            "COPY app/ . # buildkit",
            "ENV PATH=/usr/local/bin:/usr/bin",
            "/bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f http://localhost/ || exit 1\"] \"30s\" \"3s\" \"0s\" \"0s\" '\\x03'}",
            "/bin/sh -c #(nop)  CMD [\"/bin/sh\" \"-c\" \"npm start\"]",
            "/bin/sh -c #(nop)  VOLUME [/data /logs]",
            "/bin/sh -c #(nop)  SHELL [/bin/bash -o pipefail -c]",
            "/bin/bash -o pipefail -c curl x | sh",
            "USER 65532:65532",
            "mmdebstrap --variant=minbase bookworm",
        ]);
        assert_eq!(
            got,
            [
                "ADD file:d48cac34fac3 /",
                "CMD [\"/bin/sh\"]",
                "EXPOSE 22/tcp 80/tcp",
                "RUN apt-get update && apt-get install -y curl",
                "ARG NPM_TOKEN=npm_x",
                "RUN echo $NPM_TOKEN",
                "ARG A=1",
                "ARG B=two words",
                "RUN make",
                "COPY app/ .",
                "ENV PATH=/usr/local/bin:/usr/bin",
                "HEALTHCHECK CMD curl -f http://localhost/ || exit 1",
                "CMD [\"/bin/sh\",\"-c\",\"npm start\"]",
                "VOLUME [\"/data\",\"/logs\"]",
                "SHELL [\"/bin/bash\",\"-o\",\"pipefail\",\"-c\"]",
                "RUN curl x | sh",
                "USER 65532:65532",
                "# history[14]: not a Dockerfile instruction",
            ]
        );
    }

    #[test]
    fn history_text_cannot_inject_instructions_or_pragmas() {
        let r = reconstruct(&[
            Some("/bin/sh -c #(nop) # hadolint ignore=DL3008"),
            Some("/bin/sh -c echo a\nUSER root\necho b"),
            Some("/bin/sh -c cat <<EOF > /x"),
            Some("ENV A=1\nUSER root"),
            Some("/bin/sh -c #(nop) ONBUILD # x"),
            None,
        ]);
        let df = parse(&r.text).unwrap();
        let users: Vec<_> = df
            .instructions
            .iter()
            .filter(|i| i.keyword == crate::Keyword::User)
            .collect();
        assert!(users.is_empty(), "{}", r.text);
        assert!(!r.text.contains("hadolint"), "{}", r.text);
        assert_eq!(r.entries[0], None);
        assert_eq!(r.entries[5], None);
        // Every history entry maps to at least one line, in order.
        let mut seen: Vec<usize> = r.history_of_line.iter().flatten().copied().collect();
        seen.dedup();
        assert_eq!(seen, [0, 1, 2, 3, 4, 5]);
    }

    proptest::proptest! {
        #[test]
        fn any_history_reconstructs_to_a_file_that_parses(
            entries in proptest::collection::vec(
                proptest::option::of(
                    "(/bin/sh -c (#\\(nop\\) )?|\\|[0-9] |RUN |COPY |EXPOSE map\\[)?[ -~\n\\\\é<]{0,40}"
                ),
                0..8,
            )
        ) {
            let refs: Vec<Option<&str>> = entries.iter().map(|e| e.as_deref()).collect();
            let r = reconstruct(&refs);
            let df = parse(&r.text).unwrap();
            proptest::prop_assert_eq!(r.entries.len(), entries.len());
            proptest::prop_assert!(df.directives.is_empty());
            lint_reconstructed("img", &r, &LintConfig::default()).unwrap();
        }
    }

    #[test]
    fn placeholder_rules_do_not_fire_but_the_others_do() {
        let r = reconstruct(&[
            Some("/bin/sh -c #(nop) ADD file:abc in / "),
            Some("/bin/sh -c apt-get update && apt-get install -y curl"),
            Some("/bin/sh -c #(nop) EXPOSE 22"),
            Some("/bin/sh -c #(nop)  CMD [\"bash\"]"),
            Some("CMD [\"app\"]"),
        ]);
        let findings = lint_reconstructed("img", &r, &LintConfig::default()).unwrap();
        let ids: Vec<&str> = findings.iter().map(|f| f.id.as_str()).collect();
        for absent in ["DL3006", "DG1011", "DL3020", "DL4003"] {
            assert!(!ids.contains(&absent), "{ids:?}");
        }
        for present in ["DL3008", "DL3015", "DG1009", "DG1010"] {
            assert!(ids.contains(&present), "{present} missing from {ids:?}");
        }
        let dl3008 = findings.iter().find(|f| f.id == "DL3008").unwrap();
        assert_eq!(r.history_index(dl3008.location.line.unwrap()), Some(1));
    }
}
