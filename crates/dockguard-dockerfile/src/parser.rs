//! A Dockerfile parser that follows BuildKit's rules.
//!
//! It reproduces how BuildKit splits a file into instructions (directives, escapes, comments and
//! empty lines inside continuations, heredocs, JSON versus shell form, `ENV`/`LABEL` word
//! splitting) because a linter that disagrees with the builder about where an instruction ends
//! reports wrong lines. Unlike BuildKit it keeps going after an instruction-level syntax error,
//! recording it on the instruction, so one typo does not hide the rest of the file.

use crate::ast::{Comment, Directive, Dockerfile, Flag, Heredoc, Instruction, Keyword, SourceMap};
use std::fmt;

/// Why a file could not be parsed at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line the problem is on (0 when it concerns the whole file).
    pub line: u32,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            f.write_str(&self.message)
        }
    }
}

impl std::error::Error for ParseError {}

fn error(line: u32, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

/// Parses a Dockerfile from raw bytes, rejecting binary and non-UTF-8 input with a clear error.
pub fn parse_bytes(bytes: &[u8]) -> Result<Dockerfile, ParseError> {
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let line = 1 + bytes[..pos].iter().filter(|&&b| b == b'\n').count() as u32;
        return Err(error(
            line,
            "binary file (contains a NUL byte), not a Dockerfile",
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(e) => {
            let pos = e.valid_up_to();
            let line = 1 + bytes[..pos].iter().filter(|&&b| b == b'\n').count() as u32;
            Err(error(
                line,
                format!("not valid UTF-8 (byte offset {pos}); Dockerfiles must be UTF-8 text"),
            ))
        }
    }
}

/// Physical lines, each with its terminator (`\n` or `\r\n`) kept, as BuildKit's scanner does.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        self.pos += end;
        Some(&rest[..end])
    }
}

fn trim_newline(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{0b}' | '\u{0c}' | '\r')
}

fn trim_leading_space(s: &str) -> &str {
    s.trim_start_matches(is_space)
}

fn is_comment(line: &str) -> bool {
    trim_leading_space(trim_newline(line)).starts_with('#')
}

/// Strips a trailing escape character (optionally followed by blanks); returns the text and
/// whether the instruction ends on this line.
fn trim_continuation(line: &str, escape: char) -> (&str, bool) {
    let trimmed = line.trim_end_matches([' ', '\t']);
    match trimmed.strip_suffix(escape) {
        Some(stripped) => (stripped, false),
        None => (line, true),
    }
}

/// Recognises `# name=value` directives at the top of the file.
struct DirectiveParser {
    done: bool,
    directives: Vec<Directive>,
}

impl DirectiveParser {
    fn parse_line(&mut self, line: &str, number: u32) -> Result<(), ParseError> {
        if self.done {
            return Ok(());
        }
        let Some((name, value)) = directive_of(line) else {
            self.done = true;
            return Ok(());
        };
        let name = name.to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            self.done = true;
            return Ok(());
        }
        if self.directives.iter().any(|d| d.name == name) {
            return Err(error(
                number,
                format!("only one {name} parser directive can be used"),
            ));
        }
        self.directives.push(Directive {
            name,
            value: value.to_string(),
            line: number,
        });
        Ok(())
    }
}

/// `#` blanks `name` blanks `=` blanks `value` blanks, with a name of letters and digits.
fn directive_of(line: &str) -> Option<(&str, &str)> {
    let body = line.strip_prefix('#')?.trim_start_matches(is_space);
    let name_len = body
        .char_indices()
        .find(|&(_, c)| !c.is_ascii_alphanumeric())
        .map_or(body.len(), |(i, _)| i);
    let name = &body[..name_len];
    if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let value = body[name_len..]
        .trim_start_matches(is_space)
        .strip_prefix('=')?
        .trim_matches(is_space);
    if value.is_empty() {
        return None;
    }
    Some((name, value))
}

/// Parses Dockerfile text.
pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Lines { text, pos: 0 };
    let mut directives = DirectiveParser {
        done: false,
        directives: Vec::new(),
    };
    let mut escape = '\\';
    let mut instructions = Vec::new();
    let mut comments = Vec::new();
    let mut empty_continuation_lines = Vec::new();
    let mut current_line: u32 = 0;

    while let Some(raw) = lines.next() {
        current_line += 1;
        let start_line = current_line;
        let stripped = trim_leading_space(trim_newline(raw));
        let leading = (trim_newline(raw).len() - stripped.len()) as u32;
        if !directives.done {
            directives.parse_line(stripped, current_line)?;
            if let Some(d) = directives.directives.last() {
                if d.line == current_line && d.name == "escape" {
                    escape = match d.value.as_str() {
                        "\\" => '\\',
                        "`" => '`',
                        other => {
                            return Err(error(
                                current_line,
                                format!("invalid escape token '{other}' does not match ` or \\"),
                            ))
                        }
                    };
                }
            }
        }
        if let Some(comment) = stripped.strip_prefix('#') {
            comments.push(Comment {
                line: current_line,
                text: comment.trim().to_string(),
            });
            continue;
        }
        let (first, mut ended) = trim_continuation(stripped, escape);
        if ended && first.trim_matches(is_space).is_empty() {
            continue;
        }
        let mut joined = String::from(first);
        let mut map = SourceMap::default();
        map.push(0, start_line, leading + 1);
        while !ended {
            let Some(next) = lines.next() else { break };
            current_line += 1;
            if is_comment(next) {
                let text = trim_leading_space(trim_newline(next));
                comments.push(Comment {
                    line: current_line,
                    text: text[1..].trim().to_string(),
                });
                continue;
            }
            let body = trim_newline(next);
            if trim_leading_space(body).is_empty() {
                empty_continuation_lines.push(current_line);
                continue;
            }
            let (part, end) = trim_continuation(body, escape);
            map.push(joined.len(), current_line, 1);
            joined.push_str(part);
            ended = end;
        }

        let mut instruction = instruction_from_line(&joined, &map, escape, start_line);
        if can_contain_heredoc(&instruction) && joined.contains("<<") {
            for mut heredoc in heredocs_of_line(&joined) {
                let mut terminated = false;
                heredoc.body_line = current_line + 1;
                for body_line in lines.by_ref() {
                    current_line += 1;
                    let mut candidate = trim_newline(body_line);
                    if heredoc.chomp {
                        candidate = candidate.trim_start_matches('\t');
                    }
                    if candidate == heredoc.name {
                        terminated = true;
                        break;
                    }
                    heredoc.content.push_str(body_line);
                }
                if !terminated {
                    return Err(error(
                        start_line,
                        format!(
                            "unterminated heredoc: no line '{}' closes the here-document opened here",
                            heredoc.name
                        ),
                    ));
                }
                if let Some(sub) = instruction.sub.as_mut() {
                    sub.heredocs.push(heredoc.clone());
                }
                instruction.heredocs.push(heredoc);
            }
        }
        instruction.end_line = current_line;
        instructions.push(instruction);
    }

    if instructions.is_empty() {
        return Err(error(0, "file with no instructions"));
    }
    Ok(Dockerfile {
        directives: directives.directives,
        escape,
        instructions,
        comments,
        empty_continuation_lines,
        line_count: current_line,
    })
}

/// BuildKit looks through `ONBUILD` to the instruction it wraps before deciding.
fn can_contain_heredoc(instruction: &Instruction) -> bool {
    let target = match (&instruction.sub, instruction.keyword) {
        (Some(sub), Keyword::Onbuild) => sub,
        _ => instruction,
    };
    matches!(target.keyword, Keyword::Run | Keyword::Copy | Keyword::Add) && !target.json
}

/// Builds one instruction from its joined logical line.
fn instruction_from_line(line: &str, map: &SourceMap, escape: char, start: u32) -> Instruction {
    let trimmed_start = line.len() - line.trim_start_matches(is_space).len();
    let body = line.trim_matches(is_space);
    let (word, after_word) = match body.find(is_space) {
        Some(i) => (&body[..i], &body[i..]),
        None => (body, ""),
    };
    let rest_with_flags = after_word.trim_start_matches(is_space);
    let (flag_words, rest) = extract_flags(rest_with_flags);
    let rest_offset = trimmed_start + (body.len() - rest.len());
    let keyword = Keyword::parse(word);
    let column = map.position(trimmed_start).1;

    let mut instruction = Instruction {
        keyword_text: word.to_string(),
        keyword,
        start_line: start,
        end_line: start,
        column,
        flags: flag_words.iter().map(|w| Flag::parse(w)).collect(),
        args: Vec::new(),
        json: false,
        heredocs: Vec::new(),
        rest: rest.to_string(),
        rest_map: shifted_map(map, rest_offset),
        sub: None,
        error: None,
    };
    fill_args(&mut instruction, escape, map, rest_offset);
    instruction
}

/// A source map whose offsets are relative to `base` in the original joined line.
fn shifted_map(map: &SourceMap, base: usize) -> SourceMap {
    let mut shifted = SourceMap::default();
    let (line, column) = map.position(base);
    shifted.push(0, line, column);
    for &(offset, line, column) in map_segments(map) {
        if offset > base {
            shifted.push(offset - base, line, column);
        }
    }
    shifted
}

fn map_segments(map: &SourceMap) -> &[(usize, u32, u32)] {
    map.segments()
}

fn fill_args(instruction: &mut Instruction, escape: char, map: &SourceMap, rest_offset: usize) {
    let rest = instruction.rest.clone();
    let rest = rest.as_str();
    match instruction.keyword {
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell => {
            if let Some(list) = json_array(rest) {
                instruction.args = list;
                instruction.json = true;
            } else if !rest.is_empty() {
                instruction.args = vec![rest.to_string()];
            }
        }
        Keyword::Add | Keyword::Copy | Keyword::Volume => {
            if let Some(list) = json_array(rest) {
                instruction.args = list;
                instruction.json = true;
            } else {
                instruction.args = split_whitespace(rest);
            }
        }
        Keyword::From | Keyword::Expose => instruction.args = split_whitespace(rest),
        Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir => {
            if !rest.is_empty() {
                instruction.args = vec![rest.to_string()];
            }
        }
        Keyword::Arg => instruction.args = words(rest, escape),
        Keyword::Env | Keyword::Label => match name_values(rest, escape) {
            Ok(args) => instruction.args = args,
            Err(message) => {
                instruction.error = Some(format!("{} {message}", instruction.keyword));
            }
        },
        Keyword::Healthcheck => {
            let (kind, command) = match rest.find(is_space) {
                Some(i) => (&rest[..i], rest[i..].trim_start_matches(is_space)),
                None => (rest, ""),
            };
            if !kind.is_empty() {
                instruction.args.push(kind.to_string());
            }
            if !command.is_empty() {
                if let Some(list) = json_array(command) {
                    instruction.args.extend(list);
                    instruction.json = true;
                } else {
                    instruction.args.push(command.to_string());
                }
            }
        }
        Keyword::Onbuild => {
            if rest.is_empty() {
                instruction.error = Some("ONBUILD requires an instruction".to_string());
            } else {
                let shifted = shifted_map(map, rest_offset);
                let mut sub = instruction_from_line(rest, &shifted, escape, instruction.start_line);
                sub.end_line = instruction.start_line;
                instruction.args = sub.args.clone();
                instruction.sub = Some(Box::new(sub));
            }
        }
        Keyword::Unknown => {}
    }
}

/// Splits on runs of blanks, as BuildKit does for `FROM`, `EXPOSE` and non-JSON `COPY`.
fn split_whitespace(rest: &str) -> Vec<String> {
    rest.split(is_space)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Decodes a JSON array of strings; anything else (single quotes, trailing commas, numbers)
/// means shell form, exactly as BuildKit falls back.
fn json_array(rest: &str) -> Option<Vec<String>> {
    if !rest.starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(rest).ok()
}

/// Extracts leading `--flag` words; returns them and the remaining text.
fn extract_flags(line: &str) -> (Vec<String>, &str) {
    let mut flags = Vec::new();
    let mut pos = 0;
    let bytes = line.as_bytes();
    loop {
        while pos < bytes.len() && is_space(bytes[pos] as char) {
            pos += 1;
        }
        if pos >= bytes.len() {
            return (flags, "");
        }
        if !(bytes[pos] == b'-' && bytes.get(pos + 1) == Some(&b'-')) {
            return (flags, &line[pos..]);
        }
        // Read one flag word: quotes group blanks, a backslash takes the next character.
        let mut word = String::new();
        let mut quote: Option<char> = None;
        let mut quoted_once = false;
        let mut chars = line[pos..].char_indices();
        let mut end = line.len();
        while let Some((i, c)) = chars.next() {
            match quote {
                None if is_space(c) => {
                    end = pos + i;
                    break;
                }
                None if c == '\'' || c == '"' => {
                    quote = Some(c);
                    quoted_once = true;
                }
                Some(q) if c == q => quote = None,
                _ if c == '\\' => {
                    if let Some((_, next)) = chars.next() {
                        word.push(next);
                    }
                }
                _ => word.push(c),
            }
        }
        if word == "--" {
            let after = line[end..].trim_start_matches(is_space);
            return (flags, after);
        }
        if quoted_once || !word.is_empty() {
            flags.push(word);
        }
        pos = end;
    }
}

/// BuildKit's word splitter for `ARG`, `ENV` and `LABEL`: splits on blanks outside quotes and
/// keeps quotes and escapes in the words (they are removed later, at expansion time).
pub(crate) fn words(rest: &str, escape: char) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut blank_ok = false;
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
                word.push(c);
                continue;
            }
            if c == escape && q != '\'' {
                match chars.next() {
                    Some(next) => {
                        word.push(c);
                        word.push(next);
                    }
                    None => quote = None,
                }
                continue;
            }
            word.push(c);
            continue;
        }
        if c.is_whitespace() {
            if in_word && (blank_ok || !word.is_empty()) {
                words.push(std::mem::take(&mut word));
            }
            word.clear();
            in_word = false;
            blank_ok = false;
            continue;
        }
        in_word = true;
        if c == '\'' || c == '"' {
            quote = Some(c);
            blank_ok = true;
            word.push(c);
            continue;
        }
        if c == escape {
            // A trailing escape with nothing after it is dropped, as BuildKit does.
            if let Some(next) = chars.next() {
                word.push(c);
                word.push(next);
            }
            continue;
        }
        word.push(c);
    }
    if in_word && (blank_ok || !word.is_empty()) {
        words.push(word);
    }
    words
}

/// `ENV`/`LABEL` arguments: `k=v k2=v2` pairs, or the legacy `KEY value with spaces` form.
fn name_values(rest: &str, escape: char) -> Result<Vec<String>, String> {
    let list = words(rest, escape);
    let Some(first) = list.first() else {
        return Err("requires at least one argument".to_string());
    };
    if !first.contains('=') {
        let (key, value) = match rest.find(is_space) {
            Some(i) => (&rest[..i], rest[i..].trim_start_matches(is_space)),
            None => return Err("must have two arguments".to_string()),
        };
        return Ok(vec![key.to_string(), value.to_string()]);
    }
    let mut args = Vec::with_capacity(list.len() * 2);
    for word in list {
        match word.split_once('=') {
            Some((k, v)) => {
                args.push(k.to_string());
                args.push(v.to_string());
            }
            None => {
                return Err(format!(
                    "syntax error: can't find = in {word:?}; must be of the form name=value"
                ))
            }
        }
    }
    Ok(args)
}

/// Here-documents opened on an instruction line: words like `<<EOF`, `<<-EOF`, `3<<"EOF"`.
fn heredocs_of_line(line: &str) -> Vec<Heredoc> {
    shell_words_raw(line)
        .iter()
        .filter_map(|word| heredoc_of_word(word))
        .collect()
}

fn heredoc_of_word(word: &str) -> Option<Heredoc> {
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let after = word[digits..].strip_prefix("<<")?;
    let (chomp, name_raw) = match after.strip_prefix('-') {
        Some(n) => (true, n),
        None => (false, after),
    };
    if name_raw.is_empty() || name_raw.contains('<') {
        return None;
    }
    let mut name = String::new();
    let mut quoted = false;
    let mut quote: Option<char> = None;
    let mut chars = name_raw.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some('\'') => name.push(c),
            Some(_) if c == '\\' => {
                quoted = true;
                if let Some(n) = chars.next() {
                    name.push(n);
                }
            }
            Some(_) => name.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                quoted = true;
            }
            None if c == '\\' => {
                quoted = true;
                if let Some(n) = chars.next() {
                    name.push(n);
                }
            }
            None => name.push(c),
        }
    }
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        return None;
    }
    Some(Heredoc {
        name,
        content: String::new(),
        expand: !quoted,
        chomp,
        fd: word[..digits].parse().unwrap_or(0),
        body_line: 0,
    })
}

/// Splits a line into shell words, keeping quotes, for heredoc detection.
fn shell_words_raw(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                word.push(c);
                if c == q {
                    quote = None;
                } else if c == '\\' && q == '"' {
                    if let Some(n) = chars.next() {
                        word.push(n);
                    }
                }
            }
            None if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            None => {
                word.push(c);
                if c == '\'' || c == '"' {
                    quote = Some(c);
                } else if c == '\\' {
                    if let Some(n) = chars.next() {
                        word.push(n);
                    }
                }
            }
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_skips_comments_and_blank_lines() {
        let df = parse("FROM a\nRUN x \\\n# c\n\n  && y\nCMD z\n").unwrap();
        assert_eq!(df.instructions[1].args, vec!["x   && y"]);
        assert_eq!(
            (df.instructions[1].start_line, df.instructions[1].end_line),
            (2, 5)
        );
        assert_eq!(df.empty_continuation_lines, vec![4]);
        assert_eq!(df.instructions[1].line_of(5), 5);
    }

    #[test]
    fn heredoc_body_and_lines() {
        let df = parse("FROM a\nRUN <<EOF cat\nhello\nEOF\nCMD x\n").unwrap();
        let run = &df.instructions[1];
        assert_eq!(run.heredocs[0].content, "hello\n");
        assert_eq!((run.start_line, run.end_line), (2, 4));
        assert!(parse("FROM a\nRUN <<EOF\nhello\n").is_err());
    }

    #[test]
    fn onbuild_run_opens_a_heredoc() {
        let df = parse("FROM a\nONBUILD RUN <<EOF\nFROM b\nEOF\nCMD x\n").unwrap();
        assert_eq!(df.instructions.len(), 3);
        let onbuild = &df.instructions[1];
        assert_eq!(onbuild.heredocs[0].content, "FROM b\n");
        assert_eq!(onbuild.sub.as_ref().unwrap().heredocs.len(), 1);
        assert_eq!(onbuild.end_line, 4);
    }

    #[test]
    fn flags_and_json() {
        let df = parse("FROM a\nCOPY --from=b --chown=1:1 [\"x y\", \"/z\"]\n").unwrap();
        let copy = &df.instructions[1];
        assert_eq!(copy.flag("from").unwrap().value.as_deref(), Some("b"));
        assert!(copy.json);
        assert_eq!(copy.args, vec!["x y", "/z"]);
    }

    #[test]
    fn rejects_binary_and_empty() {
        assert!(parse_bytes(b"FROM a\0").is_err());
        assert!(parse("").is_err());
        assert!(parse("# only\n\n").is_err());
        assert!(parse_bytes(&[0x46, 0xff, 0xfe]).is_err());
    }

    #[test]
    fn env_errors_do_not_stop_the_parse() {
        let df = parse("FROM a\nENV ONLYKEY\nRUN x\n").unwrap();
        assert!(df.instructions[1].error.is_some());
        assert_eq!(df.instructions.len(), 3);
    }

    #[test]
    fn positions_map_back_through_continuations() {
        let df = parse("FROM a\n  RUN --mount=type=cache,target=/x apt-get \\\n    install y\n")
            .unwrap();
        let run = &df.instructions[1];
        assert_eq!(run.column, 3);
        let offset = run.rest.find("install").unwrap();
        assert_eq!(run.rest_map.position(offset), (3, 5));
        assert_eq!(run.rest_map.position(0), (2, 36));
    }
}
