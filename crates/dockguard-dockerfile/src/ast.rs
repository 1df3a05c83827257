//! The syntax tree of a Dockerfile, as BuildKit's parser sees it.
//!
//! The tree keeps BuildKit's view of each instruction (keyword, flags, argument list, JSON form,
//! heredocs, physical line span) so that we agree with what `docker build` will do, plus what a
//! linter needs on top: the verbatim argument text with a map back to physical lines and columns,
//! the comments (for pragmas), and per-instruction syntax errors that do not stop the parse.

use std::fmt;

/// Instruction keywords. `Unknown` keeps typos such as `FORM` so the linter can report them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

impl Keyword {
    /// Case-insensitive lookup, as Docker treats instruction words.
    pub fn parse(word: &str) -> Keyword {
        match word.to_ascii_lowercase().as_str() {
            "add" => Keyword::Add,
            "arg" => Keyword::Arg,
            "cmd" => Keyword::Cmd,
            "copy" => Keyword::Copy,
            "entrypoint" => Keyword::Entrypoint,
            "env" => Keyword::Env,
            "expose" => Keyword::Expose,
            "from" => Keyword::From,
            "healthcheck" => Keyword::Healthcheck,
            "label" => Keyword::Label,
            "maintainer" => Keyword::Maintainer,
            "onbuild" => Keyword::Onbuild,
            "run" => Keyword::Run,
            "shell" => Keyword::Shell,
            "stopsignal" => Keyword::Stopsignal,
            "user" => Keyword::User,
            "volume" => Keyword::Volume,
            "workdir" => Keyword::Workdir,
            _ => Keyword::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "UNKNOWN",
        }
    }
}

impl fmt::Display for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parser directive at the top of the file (`# syntax=`, `# escape=`, `# check=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub name: String,
    pub value: String,
    pub line: u32,
}

/// A comment line, with the text after `#` trimmed. Comments inside line continuations are
/// included; they are how pragmas such as `# hadolint ignore=DL3008` reach the linter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub line: u32,
    pub text: String,
}

/// A here-document attached to `RUN`, `COPY` or `ADD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word with quotes removed.
    pub name: String,
    /// The body, with original line endings, excluding the terminator line.
    pub content: String,
    /// False when the delimiter was quoted (`<<"EOF"`): the body is taken literally.
    pub expand: bool,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub chomp: bool,
    /// The file descriptor before `<<` (0 when absent).
    pub fd: u32,
    /// Physical line of the first body line.
    pub body_line: u32,
}

/// A `--name[=value]` flag written before an instruction's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The flag word exactly as BuildKit extracts it (quotes removed), e.g. `--mount=type=cache`.
    pub raw: String,
    /// The name without dashes, e.g. `mount`.
    pub name: String,
    /// The text after the first `=`, if any.
    pub value: Option<String>,
}

impl Flag {
    pub fn parse(raw: &str) -> Flag {
        let body = raw.trim_start_matches('-');
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        Flag {
            raw: raw.to_string(),
            name: name.to_ascii_lowercase(),
            value,
        }
    }
}

/// Maps byte offsets of an instruction's joined argument text back to physical positions.
///
/// Line continuations are removed from the text the way BuildKit joins them, so an offset in
/// [`Instruction::rest`] needs this map to become a line and column in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// `(offset in rest, line, column)` where each physical line's contribution starts.
    segments: Vec<(usize, u32, u32)>,
}

impl SourceMap {
    pub(crate) fn push(&mut self, offset: usize, line: u32, column: u32) {
        self.segments.push((offset, line, column));
    }

    pub(crate) fn segments(&self) -> &[(usize, u32, u32)] {
        &self.segments
    }

    /// Line and 1-based column of a byte offset into the joined text.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let index = match self.segments.binary_search_by(|s| s.0.cmp(&offset)) {
            Ok(i) => i,
            Err(0) => return self.segments.first().map_or((1, 1), |s| (s.1, s.2)),
            Err(i) => i - 1,
        };
        let (start, line, column) = self.segments[index];
        (line, column + (offset - start) as u32)
    }
}

/// One instruction, with everything BuildKit's parser records about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// The instruction word as written (`run`, `Label`, …).
    pub keyword_text: String,
    pub keyword: Keyword,
    /// First and last physical line (1-based), including continuation and heredoc lines.
    pub start_line: u32,
    pub end_line: u32,
    /// Column of the keyword on `start_line` (1-based).
    pub column: u32,
    pub flags: Vec<Flag>,
    /// BuildKit's value list: for `RUN`/`CMD` shell form one string; for `ENV`/`LABEL`
    /// alternating keys and values (quotes kept); for JSON form the decoded strings.
    pub args: Vec<String>,
    /// True when the arguments were a valid JSON array of strings (exec form).
    pub json: bool,
    pub heredocs: Vec<Heredoc>,
    /// The argument text after the flags, continuations joined, as BuildKit sees it.
    pub rest: String,
    /// Positions of `rest` in the file.
    pub rest_map: SourceMap,
    /// For `ONBUILD`, the instruction it wraps.
    pub sub: Option<Box<Instruction>>,
    /// A syntax error in this instruction that BuildKit would reject (e.g. `ENV` without a
    /// value); the parse goes on so the rest of the file is still linted.
    pub error: Option<String>,
}

impl Instruction {
    /// The first flag with this name (without dashes), e.g. `flag("from")`.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags.iter().filter(move |f| f.name == name)
    }

    /// Key/value pairs of `ENV` and `LABEL` (BuildKit keeps quotes; see [`crate::expand`]).
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.args
            .chunks(2)
            .map(|c| (c[0].as_str(), c.get(1).map_or("", |v| v.as_str())))
            .collect()
    }

    /// Physical line of a byte offset into [`Instruction::rest`].
    pub fn line_of(&self, offset: usize) -> u32 {
        self.rest_map.position(offset).0
    }
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    pub directives: Vec<Directive>,
    /// The escape character (`\` unless `# escape=` says otherwise).
    pub escape: char,
    pub instructions: Vec<Instruction>,
    pub comments: Vec<Comment>,
    /// Physical lines inside continuations that were empty or whitespace only. BuildKit accepts
    /// them with a warning; a future BuildKit may reject them.
    pub empty_continuation_lines: Vec<u32>,
    /// Number of physical lines in the file.
    pub line_count: u32,
}

impl Dockerfile {
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }
}
