//! Shell analysis of the text of `RUN` instructions.
//!
//! Lint rules reason about the *commands* a `RUN` executes (their names,
//! flags, positional arguments, and how they are chained and piped), not
//! about raw text. [`parse`] reads a POSIX `sh` / common `bash` script and
//! returns a flat, ordered list of [`Command`]s collected from every place a
//! simple command can hide: `&&`/`||` lists, pipelines, subshells, brace
//! groups, `if`/`for`/`while`/`until`/`case` bodies, function bodies, command
//! and process substitutions, and substitutions inside unquoted
//! here-documents. This is the same view hadolint gets from ShellCheck's
//! parser, so the DL rules can be expressed over it directly.
//!
//! Strings given to `sh -c` stay ordinary arguments, exactly as hadolint sees
//! them; [`Command::inline_script`] parses them on demand for rules that do
//! want to look inside.
//!
//! Parsing never fails and never panics. Input the structured parser cannot
//! accept (unterminated quotes, a stray `)`, `fi` without `if`, nesting deeper
//! than [`MAX_NESTING`], ...) is re-read by a quote-aware token heuristic, and
//! the result carries [`Script::parse_errors`]` = true`. hadolint sees *no*
//! commands at all when ShellCheck cannot parse a script, so rules that must
//! match hadolint exactly should treat such a script as empty.
//!
//! Both paths run in time linear in the input (nesting is bounded), so
//! megabyte-sized `RUN` instructions are fine.

use std::borrow::Cow;

/// Deepest nesting of compound commands, substitutions and parameter
/// expansions the structured parser follows before it gives up and falls back
/// to the token heuristic. Bounding it keeps recursion (and stack use) small
/// on adversarial input.
pub const MAX_NESTING: usize = 100;

/// Shell interpreters whose `-c` argument is itself a script, and which count
/// as "a shell" for [`Command::sets_pipefail`].
pub const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "yash"];

/// How a command is joined to the command before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Connector {
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;` or a newline
    Seq,
    /// `&`
    Background,
    /// `|` or `|&`
    Pipe,
}

/// The operator of a [`Redirect`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RedirectOp {
    /// `>`
    Out,
    /// `>>`
    Append,
    /// `>|`
    Clobber,
    /// `<`
    In,
    /// `<>`
    ReadWrite,
    /// `>&` (target is a descriptor such as `1` or `-`)
    DupOut,
    /// `<&`
    DupIn,
    /// `&>`
    OutErr,
    /// `&>>`
    AppendOutErr,
    /// `<<`
    HereDoc,
    /// `<<-` (leading tabs stripped from the body)
    HereDocStrip,
    /// `<<<`
    HereString,
}

/// One shell word.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    /// The word after quote removal and escape resolution. Expansions are kept
    /// as written: `"$HOME"/x` gives `$HOME/x`, `$(pwd)` gives `$(pwd)`.
    pub value: String,
    /// The word exactly as written in the source.
    pub raw: String,
    /// Some part of the word was quoted or backslash-escaped.
    pub quoted: bool,
    /// The word contains a parameter, arithmetic, command or process
    /// expansion, so its run-time value is not `value`.
    pub has_expansion: bool,
    /// Byte offset of the word in the parsed text.
    pub offset: usize,
}

impl Word {
    /// The value the way ShellCheck's `oversimplify` (and thus hadolint)
    /// renders it: every expansion becomes the literal `${VAR}`.
    /// `"$HOME"/x` gives `${VAR}/x`.
    pub fn simplified(&self) -> String {
        if !self.has_expansion {
            return self.value.clone();
        }
        into_string(lenient_unquote(self.raw.as_bytes(), true).value)
    }
}

/// A redirection attached to a simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// Explicit descriptor number, as in `2>`.
    pub fd: Option<u32>,
    pub op: RedirectOp,
    /// File name, descriptor (`1` in `2>&1`), here-string, or here-document
    /// delimiter.
    pub target: Word,
    /// The body of a here-document (tabs already stripped for `<<-`).
    pub heredoc_body: Option<String>,
}

/// One simple command, e.g. `DEBIAN_FRONTEND=noninteractive apt-get install -y curl`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Command {
    /// Value of the command word (`apt-get`); empty for a command made only of
    /// assignments or redirections. A command word with an expansion keeps it
    /// literally (`$CC`); check `name_word` when that matters.
    pub name: String,
    /// The command word itself.
    pub name_word: Option<Word>,
    /// Words before the name that only select how it runs, like ShellCheck's
    /// view of `exec`, `command`, `builtin` and `busybox`: `exec -a x foo`
    /// has name `foo` and wrappers `exec -a x`.
    pub wrappers: Vec<Word>,
    /// Words after the name (assignments before the name and redirections are
    /// not included).
    pub args: Vec<Word>,
    /// `NAME=value` prefixes, values unquoted; `NAME+=v` gives `NAME`.
    pub assignments: Vec<(String, String)>,
    pub redirects: Vec<Redirect>,
    /// Index into [`Script::all_pipelines`] of the pipeline this command is a
    /// stage of.
    pub pipeline: usize,
    pub position_in_pipeline: usize,
    /// Number of stages in that pipeline (1 when not piped).
    pub pipeline_len: usize,
    /// Operator between this command and the one before it. The first command
    /// inside a group, subshell or `if` condition inherits the operator in
    /// front of the construct (`a && (b; c)` gives `b` [`Connector::And`]).
    /// `None` for the first command of the script or of a substitution.
    pub connector_before: Option<Connector>,
    /// Inside `$( )`, backticks or `<( )`/`>( )`.
    pub in_substitution: bool,
    /// Inside `( )`.
    pub in_subshell: bool,
    /// For a command inside a substitution: index of the command whose word
    /// (or redirection) contains that substitution. Always smaller than the
    /// command's own index.
    pub parent: Option<usize>,
    /// Byte offset of the command's first word, assignment or redirection.
    /// Approximate inside backticks, whose escapes are resolved before
    /// parsing.
    pub offset: usize,
}

/// A pipeline: one or more stages joined by `|` / `|&`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pipeline {
    /// Indices into [`Script::commands`] of the stages that are simple
    /// commands, in order. Stages that are compound commands (`{ ...; }`,
    /// `( ... )`, loops) are counted in `stages` but not listed.
    pub commands: Vec<usize>,
    pub stages: usize,
    /// Starts with `!`.
    pub negated: bool,
    /// Some stage is joined with `|&`.
    pub pipes_stderr: bool,
    pub offset: usize,
}

/// The parsed script.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Script {
    /// Every simple command in source order. A command comes before the
    /// commands of substitutions inside its own words (pre-order, as in
    /// ShellCheck's traversal).
    pub commands: Vec<Command>,
    /// Every pipeline, including single-stage ones, in order of their start.
    pub all_pipelines: Vec<Pipeline>,
    /// The structured parser rejected the input and the token heuristic was
    /// used instead.
    pub parse_errors: bool,
}

/// Parses a POSIX `sh` / `bash` script.
pub fn parse(script: &str) -> Script {
    let mut out = Out::default();
    let ok = Parser::new(script.as_bytes(), 0, &mut out)
        .parse_script()
        .is_ok();
    if ok {
        out.finish(false)
    } else {
        parse_tokens_only(script)
    }
}

impl Script {
    /// Commands whose name is exactly `name`.
    pub fn commands_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Command> + 'a {
        self.commands.iter().filter(move |c| c.name == name)
    }

    pub fn has_command(&self, name: &str) -> bool {
        self.commands.iter().any(|c| c.name == name)
    }

    /// Pipelines with more than one stage.
    pub fn pipelines(&self) -> impl Iterator<Item = &Pipeline> {
        self.all_pipelines.iter().filter(|p| p.stages > 1)
    }

    /// The script contains a `|` or `|&` anywhere (hadolint's `hasPipes`).
    pub fn has_pipes(&self) -> bool {
        self.pipelines().next().is_some()
    }

    /// Some command turns on `pipefail` (see [`Command::sets_pipefail`]).
    pub fn sets_pipefail(&self) -> bool {
        self.commands.iter().any(Command::sets_pipefail)
    }

    /// The output of a command named in `from` (e.g. `curl`, `wget`) reaches
    /// a command named in `to` (e.g. `sh`, `bash`) as input or as an
    /// argument: `curl x | sh`, `curl x | tee f | sudo bash`,
    /// `sh -c "$(curl x)"`, `bash <(curl x)`, `echo "$(curl x)" | sh`.
    /// Names are compared with and without their directory, after stripping
    /// wrappers such as `sudo` and `env` ([`Command::effective_command`]).
    /// `curl -o f x && sh f` is not a match. Scripts inside `sh -c '...'` are
    /// not searched; combine with [`Command::inline_script`] for that.
    pub fn has_pipe_from_to(&self, from: &[&str], to: &[&str]) -> bool {
        let named = |c: &Command, set: &[&str]| {
            let (n, _) = c.effective_command();
            set.contains(&n) || set.contains(&basename(n))
        };
        let n = self.commands.len();
        let mut tainted = vec![false; n];
        let mut work: Vec<usize> = Vec::new();
        for (i, c) in self.commands.iter().enumerate() {
            if named(c, from) {
                tainted[i] = true;
                work.push(i);
            }
        }
        // Each command is pushed at most once after being tainted, and each
        // pipeline walk stops at the first already-tainted stage, so the whole
        // propagation is linear.
        while let Some(i) = work.pop() {
            let c = &self.commands[i];
            if let Some(p) = c.parent.filter(|&p| p < n) {
                if named(&self.commands[p], to) {
                    return true;
                }
                if !tainted[p] {
                    tainted[p] = true;
                    work.push(p);
                }
            }
            let Some(p) = self.all_pipelines.get(c.pipeline) else {
                continue;
            };
            // Stage indices are ascending, so the search is valid.
            let Ok(k) = p.commands.binary_search(&i) else {
                continue;
            };
            for &r in p.commands.get(k + 1..).unwrap_or(&[]) {
                if r >= n {
                    break;
                }
                if named(&self.commands[r], to) {
                    return true;
                }
                // A tainted stage passes the taint on to the rest itself.
                if tainted[r] {
                    break;
                }
                tainted[r] = true;
                work.push(r);
            }
        }
        false
    }
}

impl Command {
    /// The name is exactly `name` (no directory stripping, as in hadolint).
    pub fn is(&self, name: &str) -> bool {
        self.name == name
    }

    pub fn is_any(&self, names: &[&str]) -> bool {
        names.contains(&self.name.as_str())
    }

    /// The name without its directory: `/usr/bin/apt-get` gives `apt-get`.
    pub fn basename(&self) -> &str {
        basename(&self.name)
    }

    pub fn arg_values(&self) -> impl Iterator<Item = &str> {
        self.args.iter().map(|w| w.value.as_str())
    }

    pub fn has_arg(&self, arg: &str) -> bool {
        self.args.iter().any(|w| w.value == arg)
    }

    /// Some argument equals one of `args` (hadolint's `cmdHasArgs`, minus the
    /// name check).
    pub fn has_any_arg(&self, args: &[&str]) -> bool {
        self.args.iter().any(|w| args.contains(&w.value.as_str()))
    }

    /// Some argument starts with `prefix` (hadolint's `cmdHasPrefixArg`).
    pub fn has_arg_prefix(&self, prefix: &str) -> bool {
        self.args.iter().any(|w| w.value.starts_with(prefix))
    }

    /// Flag names in argument order: each letter of a short cluster (`-qy`
    /// gives `q`, `y`) and the name of a long flag (`--yes=1` gives `yes`).
    /// `-` and `--` are not flags, and nothing after `--` is.
    pub fn flags(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for w in &self.args {
            match classify(&w.value) {
                Arg::EndOfOptions => break,
                Arg::Long(name, _) => out.push(name),
                Arg::Short(cluster) => out.extend(chars_of(cluster)),
                Arg::Positional => {}
            }
        }
        out
    }

    /// One of `names` is present as a flag. A one-letter name matches inside
    /// short clusters (`-qy` has `y`); longer names match `--name` and
    /// `--name=...`. Single-dash words are always read as clusters, so `-rf`
    /// has `r` and `f` (hadolint's `hasFlag`/`hasAnyFlag`).
    pub fn has_flag(&self, names: &[&str]) -> bool {
        for w in &self.args {
            match classify(&w.value) {
                Arg::EndOfOptions => return false,
                Arg::Long(name, _) => {
                    if names.contains(&name) {
                        return true;
                    }
                }
                Arg::Short(cluster) => {
                    if chars_of(cluster).any(|c| names.contains(&c)) {
                        return true;
                    }
                }
                Arg::Positional => {}
            }
        }
        false
    }

    /// Values given to flag `name`, which is assumed to take a value:
    /// `--name=v`, `--name v`, `-n v`, `-xn v` (last in a cluster) and `-nv`
    /// (attached).
    pub fn flag_values(&self, name: &str) -> Vec<&str> {
        flag_values_in(&self.args, name)
    }

    /// First value of flag `name` (see [`Command::flag_values`]).
    pub fn flag_value(&self, name: &str) -> Option<&str> {
        self.flag_values(name).into_iter().next()
    }

    /// Positional arguments: words that are not flags, skipping the value of
    /// every flag listed in `value_flags` (names without dashes, e.g.
    /// `&["t", "target-release", "o"]`). Everything after `--` is
    /// positional; `-` is positional.
    pub fn args_no_flags(&self, value_flags: &[&str]) -> Vec<&str> {
        positional_indices(&self.args, value_flags)
            .into_iter()
            .map(|i| self.args[i].value.as_str())
            .collect()
    }

    /// Like [`Command::args_no_flags`] but returns the words.
    pub fn positional_args(&self, value_flags: &[&str]) -> Vec<&Word> {
        positional_indices(&self.args, value_flags)
            .into_iter()
            .map(|i| &self.args[i])
            .collect()
    }

    /// The first positional argument, e.g. `install` in `apt-get -y install`.
    /// Use [`Command::subcommand_with`] when flags before the subcommand take
    /// values (`apt-get -o X=1 install`).
    pub fn subcommand(&self) -> Option<&str> {
        self.subcommand_with(&[])
    }

    pub fn subcommand_with(&self, value_flags: &[&str]) -> Option<&str> {
        positional_indices(&self.args, value_flags)
            .first()
            .map(|&i| self.args[i].value.as_str())
    }

    /// The command that actually runs once common wrappers are stripped:
    /// `sudo -u x env A=1 nice -n 5 apt-get install` gives `apt-get` and
    /// `[install]`. Wrappers: `sudo`, `doas`, `env`, `nice`, `nohup`, `time`,
    /// `timeout`, `stdbuf`, `chroot`, `gosu`, `su-exec`, `xargs`.
    pub fn effective_command(&self) -> (&str, &[Word]) {
        let mut name = self.name.as_str();
        let mut args = &self.args[..];
        // Bounded so a pathological chain of wrappers cannot loop for long.
        for _ in 0..8 {
            let Some(k) = wrapped_command_index(basename(name), args) else {
                break;
            };
            let Some(w) = args.get(k) else { break };
            name = w.value.as_str();
            args = &args[k + 1..];
        }
        (name, args)
    }

    /// The script passed to a shell with `-c` (`sh -c '...'`, `bash -ec "..."`,
    /// `sudo sh -c ...`) or to `su`/`runuser` with `-c`, parsed. hadolint
    /// does not look inside these strings; our own rules may. Offsets in the
    /// result are relative to the string's unquoted value.
    pub fn inline_script(&self) -> Option<Script> {
        let (name, args) = self.effective_command();
        let base = basename(name);
        if base == "su" || base == "runuser" {
            let v = flag_values_in(args, "c")
                .into_iter()
                .next()
                .or_else(|| flag_values_in(args, "command").into_iter().next())?;
            return Some(parse(v));
        }
        if !SHELLS.contains(&base) {
            return None;
        }
        let mut saw_c = false;
        let mut i = 0;
        while let Some(w) = args.get(i) {
            let v = w.value.as_str();
            if v == "--" || v == "-" {
                i += 1;
                break;
            }
            if let Some(long) = v.strip_prefix("--") {
                // The only long options of bash/dash that take a value.
                i += if long == "rcfile" || long == "init-file" {
                    2
                } else {
                    1
                };
                continue;
            }
            if v.len() > 1 && (v.starts_with('-') || v.starts_with('+')) {
                let cluster = &v[1..];
                if v.starts_with('-') && cluster.contains('c') {
                    saw_c = true;
                }
                // `-o pipefail`, `-O extglob` and their `+` forms take a value.
                i += if cluster.ends_with('o') || cluster.ends_with('O') {
                    2
                } else {
                    1
                };
                continue;
            }
            break;
        }
        if !saw_c {
            return None;
        }
        args.get(i).map(|w| parse(&w.value))
    }

    /// `set -o pipefail`, `set -euo pipefail`, `bash -o pipefail -c ...` and
    /// the like: a shell or `set` given `pipefail` as the value of an `o`
    /// that ends a short cluster. (hadolint's DL4006 only inspects the
    /// `SHELL` instruction this way, with a basename of bash, zsh or ash.)
    pub fn sets_pipefail(&self) -> bool {
        let base = self.basename();
        if base != "set" && !SHELLS.contains(&base) {
            return false;
        }
        let end = self
            .args
            .iter()
            .position(|w| w.value == "--")
            .unwrap_or(self.args.len());
        self.args[..end].windows(2).any(|pair| {
            let flag = pair[0].value.as_str();
            flag.starts_with('-')
                && !flag.starts_with("--")
                && flag.ends_with('o')
                && pair[1].value == "pipefail"
        })
    }
}

/// The part of `path` after its last `/`.
pub fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

// ---------------------------------------------------------------------------
// Flag helpers shared by the `Command` methods.

enum Arg<'a> {
    EndOfOptions,
    /// Name and optional `=value`.
    Long(&'a str, Option<&'a str>),
    /// The letters after the dash.
    Short(&'a str),
    Positional,
}

fn classify(v: &str) -> Arg<'_> {
    if v == "--" {
        Arg::EndOfOptions
    } else if let Some(long) = v.strip_prefix("--") {
        match long.split_once('=') {
            Some((n, val)) => Arg::Long(n, Some(val)),
            None => Arg::Long(long, None),
        }
    } else if let Some(short) = v.strip_prefix('-').filter(|s| !s.is_empty()) {
        Arg::Short(short)
    } else {
        Arg::Positional
    }
}

/// Each character of a short cluster as its own `&str`.
fn chars_of(cluster: &str) -> impl Iterator<Item = &str> {
    cluster
        .char_indices()
        .map(move |(i, c)| &cluster[i..i + c.len_utf8()])
}

fn flag_values_in<'a>(args: &'a [Word], name: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        match classify(&w.value) {
            Arg::EndOfOptions => break,
            Arg::Long(n, val) if n == name => match val {
                Some(v) => out.push(v),
                None => {
                    if let Some(next) = args.get(i + 1) {
                        out.push(next.value.as_str());
                        i += 1;
                    }
                }
            },
            Arg::Short(cluster) if name.chars().count() == 1 => {
                if let Some(k) = cluster.find(name) {
                    let rest = &cluster[k + name.len()..];
                    if !rest.is_empty() {
                        out.push(rest);
                    } else if let Some(next) = args.get(i + 1) {
                        out.push(next.value.as_str());
                        i += 1;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn positional_indices(args: &[Word], value_flags: &[&str]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut options_done = false;
    while let Some(w) = args.get(i) {
        if options_done {
            out.push(i);
            i += 1;
            continue;
        }
        match classify(&w.value) {
            Arg::EndOfOptions => options_done = true,
            Arg::Positional => out.push(i),
            Arg::Long(n, None) if value_flags.contains(&n) => i += 1,
            Arg::Long(..) => {}
            Arg::Short(cluster) => {
                // getopt rules: a value flag takes the rest of its cluster, or
                // the next word when it ends the cluster.
                for (k, c) in cluster.char_indices() {
                    let end = k + c.len_utf8();
                    if value_flags.contains(&&cluster[k..end]) {
                        if end == cluster.len() {
                            i += 1;
                        }
                        break;
                    }
                }
            }
        }
        i += 1;
    }
    out
}

/// Where the wrapped command's name is in `args` when `name` is a wrapper.
fn wrapped_command_index(name: &str, args: &[Word]) -> Option<usize> {
    // (value-taking flags, accepts NAME=value words, leading operands to skip)
    let (value_flags, assignments, operands): (&[&str], bool, usize) = match name {
        "sudo" | "doas" => (
            &[
                "u",
                "g",
                "h",
                "p",
                "C",
                "D",
                "r",
                "t",
                "U",
                "T",
                "user",
                "group",
                "host",
                "prompt",
                "close-from",
                "chdir",
                "role",
                "type",
                "other-user",
                "command-timeout",
            ],
            true,
            0,
        ),
        "env" => (&["u", "C", "S", "unset", "chdir", "split-string"], true, 0),
        "nice" => (&["n", "adjustment"], false, 0),
        "nohup" | "time" => (&["f", "o", "format", "output"], false, 0),
        "timeout" => (&["s", "k", "signal", "kill-after"], false, 1),
        "stdbuf" => (&["i", "o", "e", "input", "output", "error"], false, 0),
        "chroot" => (&["userspec", "groups"], false, 1),
        "gosu" | "su-exec" => (&[], false, 1),
        "xargs" => (
            &[
                "a",
                "d",
                "E",
                "e",
                "I",
                "i",
                "L",
                "l",
                "n",
                "P",
                "s",
                "arg-file",
                "delimiter",
                "eof",
                "replace",
                "max-lines",
                "max-args",
                "max-procs",
                "max-chars",
                "process-slot-var",
            ],
            false,
            0,
        ),
        _ => return None,
    };
    let mut operands = operands;
    let mut i = 0;
    while let Some(w) = args.get(i) {
        match classify(&w.value) {
            Arg::EndOfOptions => {
                i += 1;
                break;
            }
            Arg::Long(n, None) if value_flags.contains(&n) => i += 2,
            Arg::Long(..) => i += 1,
            Arg::Short(cluster) => {
                let last = chars_of(cluster).last().unwrap_or("");
                let takes = value_flags.contains(&last) && !last.is_empty();
                i += if takes { 2 } else { 1 };
            }
            Arg::Positional => {
                if assignments && assignment_split(w.value.as_bytes()).is_some() {
                    i += 1;
                } else if operands > 0 {
                    operands -= 1;
                    i += 1;
                } else {
                    break;
                }
            }
        }
    }
    while operands > 0 && i < args.len() {
        operands -= 1;
        i += 1;
    }
    (i < args.len()).then_some(i)
}

// ---------------------------------------------------------------------------
// Output assembly shared by the structured parser and the heuristic.

#[derive(Default)]
struct Out {
    commands: Vec<Command>,
    pipelines: Vec<Pipeline>,
    /// Here-document bodies: (command index, redirect index, body). Bodies are
    /// read after the newline that follows the command, possibly after the
    /// command was stored, so they are attached at the end.
    bodies: Vec<(usize, usize, String)>,
}

impl Out {
    fn mark(&self) -> (usize, usize, usize) {
        (self.commands.len(), self.pipelines.len(), self.bodies.len())
    }

    fn rollback(&mut self, m: (usize, usize, usize)) {
        self.commands.truncate(m.0);
        self.pipelines.truncate(m.1);
        self.bodies.truncate(m.2);
    }

    fn finish(mut self, parse_errors: bool) -> Script {
        for (ci, ri, body) in std::mem::take(&mut self.bodies) {
            if let Some(r) = self
                .commands
                .get_mut(ci)
                .and_then(|c| c.redirects.get_mut(ri))
            {
                r.heredoc_body = Some(body);
            }
        }
        Script {
            commands: self.commands,
            all_pipelines: self.pipelines,
            parse_errors,
        }
    }
}

/// Splits the words of a simple command into (name word, wrappers, args),
/// unwrapping `exec`, `command`, `builtin` and `busybox` the way ShellCheck's
/// `getCommandName` does.
fn split_name(words: Vec<Word>) -> (Option<Word>, Vec<Word>, Vec<Word>) {
    let mut k = 0;
    // Each round consumes at least one word, so this terminates.
    while let Some(w) = words.get(k) {
        if w.has_expansion || w.quoted {
            break;
        }
        let next = match w.value.as_str() {
            "command" | "builtin" | "busybox" => match words.get(k + 1) {
                Some(n) if !n.value.starts_with('-') => k + 1,
                _ => break,
            },
            "exec" => match exec_target(&words[k + 1..]) {
                Some(off) => k + 1 + off,
                None => break,
            },
            _ => break,
        };
        k = next;
    }
    let mut it = words.into_iter();
    let wrappers: Vec<Word> = it.by_ref().take(k).collect();
    let name = it.next();
    (name, wrappers, it.collect())
}

/// Index of the command word after `exec`'s own options (`-c`, `-l`, `-a name`).
fn exec_target(args: &[Word]) -> Option<usize> {
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let v = w.value.as_str();
        if v == "--" {
            return (i + 1 < args.len()).then_some(i + 1);
        }
        let Some(cluster) = v.strip_prefix('-').filter(|c| !c.is_empty()) else {
            return Some(i);
        };
        let mut step = 1;
        for (k, ch) in cluster.char_indices() {
            match ch {
                'c' | 'l' => {}
                'a' => {
                    if k + 1 == cluster.len() {
                        step = 2;
                    }
                    break;
                }
                _ => return None,
            }
        }
        i += step;
    }
    None
}

struct Draft {
    words: Vec<Word>,
    assignments: Vec<(String, String)>,
    redirects: Vec<Redirect>,
    offset: usize,
}

struct Placement {
    pipeline: usize,
    stage: usize,
    connector: Option<Connector>,
    in_substitution: bool,
    in_subshell: bool,
    parent: Option<usize>,
}

fn make_command(d: Draft, p: Placement) -> Command {
    let (name_word, wrappers, args) = split_name(d.words);
    Command {
        name: name_word
            .as_ref()
            .map(|w| w.value.clone())
            .unwrap_or_default(),
        name_word,
        wrappers,
        args,
        assignments: d.assignments,
        redirects: d.redirects,
        pipeline: p.pipeline,
        position_in_pipeline: p.stage,
        pipeline_len: 1,
        connector_before: p.connector,
        in_substitution: p.in_substitution,
        in_subshell: p.in_subshell,
        parent: p.parent,
        offset: d.offset,
    }
}

// ---------------------------------------------------------------------------
// Byte-level helpers.

fn is_blank(b: u8) -> bool {
    // `\r` counts as a blank so CRLF Dockerfiles parse like LF ones.
    matches!(b, b' ' | b'\t' | b'\r')
}

fn is_meta(b: u8) -> bool {
    is_blank(b) || matches!(b, b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>')
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_special_param(b: u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'@' | b'*' | b'#' | b'?' | b'$' | b'!' | b'-')
}

fn into_string(v: Vec<u8>) -> String {
    String::from_utf8(v).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn lossy(b: &[u8]) -> String {
    match String::from_utf8_lossy(b) {
        Cow::Borrowed(s) => s.to_owned(),
        Cow::Owned(s) => s,
    }
}

/// `NAME=`, `NAME+=` or `NAME[sub]=` at the start of `v`: returns the name and
/// the index of the `=`.
fn assignment_split(v: &[u8]) -> Option<(&[u8], usize)> {
    let eq = v.iter().position(|&b| b == b'=')?;
    let mut name = &v[..eq];
    if let Some(stripped) = name.strip_suffix(b"+") {
        name = stripped;
    }
    if name.ends_with(b"]") {
        if let Some(open) = name.iter().position(|&b| b == b'[') {
            name = &name[..open];
        }
    }
    let first = *name.first()?;
    (is_name_start(first) && name.iter().all(|&b| is_name_char(b))).then_some((name, eq))
}

/// Decodes a `$'...'` body starting at `i` (just after the opening quote).
/// Returns the bytes, the index after the closing quote, and whether the
/// quote was closed.
fn decode_ansi_c(s: &[u8], mut i: usize) -> (Vec<u8>, usize, bool) {
    let mut v = Vec::new();
    while let Some(&b) = s.get(i) {
        match b {
            b'\'' => return (v, i + 1, true),
            b'\\' => {
                let Some(&e) = s.get(i + 1) else {
                    v.push(b'\\');
                    i += 1;
                    continue;
                };
                i += 2;
                match e {
                    b'n' => v.push(b'\n'),
                    b't' => v.push(b'\t'),
                    b'r' => v.push(b'\r'),
                    b'a' => v.push(7),
                    b'b' => v.push(8),
                    b'e' | b'E' => v.push(27),
                    b'f' => v.push(12),
                    b'v' => v.push(11),
                    b'\\' | b'\'' | b'"' | b'?' => v.push(e),
                    b'x' => {
                        let mut n: u32 = 0;
                        let mut digits = 0;
                        while digits < 2 {
                            match s.get(i).and_then(|&h| (h as char).to_digit(16)) {
                                Some(d) => {
                                    n = n * 16 + d;
                                    i += 1;
                                    digits += 1;
                                }
                                None => break,
                            }
                        }
                        if digits == 0 {
                            v.extend_from_slice(b"\\x");
                        } else {
                            v.push(n as u8);
                        }
                    }
                    b'0'..=b'7' => {
                        let mut n: u32 = u32::from(e - b'0');
                        let mut digits = 1;
                        while digits < 3 {
                            match s.get(i) {
                                Some(&d @ b'0'..=b'7') => {
                                    n = n * 8 + u32::from(d - b'0');
                                    i += 1;
                                    digits += 1;
                                }
                                _ => break,
                            }
                        }
                        v.push((n & 0xff) as u8);
                    }
                    _ => {
                        v.push(b'\\');
                        v.push(e);
                    }
                }
            }
            _ => {
                v.push(b);
                i += 1;
            }
        }
    }
    (v, i, false)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Single,
    Double,
    Paren,
    Brace,
    Tick,
}

/// Index just past the construct opened right before `i` (`first` says which
/// one). Iterative, so arbitrarily deep input cannot exhaust the stack;
/// returns `s.len()` when the construct is never closed.
fn skip_nested(s: &[u8], mut i: usize, first: Ctx) -> usize {
    let mut stack = vec![first];
    while let (Some(&b), Some(&top)) = (s.get(i), stack.last()) {
        let next = s.get(i + 1).copied();
        i += 1;
        match top {
            Ctx::Single => {
                if b == b'\'' {
                    stack.pop();
                }
            }
            Ctx::Tick => match b {
                b'\\' => i += 1,
                b'`' => {
                    stack.pop();
                }
                _ => {}
            },
            Ctx::Double => match b {
                b'\\' => i += 1,
                b'"' => {
                    stack.pop();
                }
                b'`' => stack.push(Ctx::Tick),
                b'$' if next == Some(b'(') => {
                    i += 1;
                    stack.push(Ctx::Paren);
                }
                b'$' if next == Some(b'{') => {
                    i += 1;
                    stack.push(Ctx::Brace);
                }
                _ => {}
            },
            Ctx::Paren | Ctx::Brace => match b {
                b'\\' => i += 1,
                b'\'' => stack.push(Ctx::Single),
                b'"' => stack.push(Ctx::Double),
                b'`' => stack.push(Ctx::Tick),
                b'$' if next == Some(b'{') => {
                    i += 1;
                    stack.push(Ctx::Brace);
                }
                b'(' if top == Ctx::Paren => stack.push(Ctx::Paren),
                b')' if top == Ctx::Paren => {
                    stack.pop();
                }
                b'}' if top == Ctx::Brace => {
                    stack.pop();
                }
                _ => {}
            },
        }
        if stack.is_empty() {
            return i.min(s.len());
        }
    }
    s.len()
}

struct Unquoted {
    value: Vec<u8>,
    quoted: bool,
    has_expansion: bool,
    /// Index of the assignment `=` in `value`, when the word is `NAME=...`.
    eq: Option<usize>,
}

/// Quote removal that never fails: unterminated quotes run to the end. With
/// `simplify`, expansions become `${VAR}` (ShellCheck's `oversimplify`).
fn lenient_unquote(raw: &[u8], simplify: bool) -> Unquoted {
    let mut u = Unquoted {
        value: Vec::with_capacity(raw.len()),
        quoted: false,
        has_expansion: false,
        eq: None,
    };
    let mut plain_prefix = true;
    let mut in_double = false;
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        let next = raw.get(i + 1).copied();
        match b {
            b'\\' => {
                plain_prefix = false;
                match next {
                    Some(b'\n') => i += 2,
                    Some(n) if !in_double || matches!(n, b'$' | b'`' | b'"' | b'\\') => {
                        u.quoted = true;
                        u.value.push(n);
                        i += 2;
                    }
                    _ => {
                        u.value.push(b'\\');
                        i += 1;
                    }
                }
            }
            b'\'' if !in_double => {
                plain_prefix = false;
                u.quoted = true;
                let end = raw[i + 1..]
                    .iter()
                    .position(|&c| c == b'\'')
                    .map_or(raw.len(), |p| i + 1 + p);
                u.value.extend_from_slice(&raw[i + 1..end]);
                i = end + 1;
            }
            b'"' => {
                plain_prefix = false;
                u.quoted = true;
                in_double = !in_double;
                i += 1;
            }
            b'$' if next == Some(b'\'') && !in_double => {
                plain_prefix = false;
                u.quoted = true;
                let (v, end, _) = decode_ansi_c(raw, i + 2);
                u.value.extend_from_slice(&v);
                i = end;
            }
            b'$' if next == Some(b'"') && !in_double => {
                plain_prefix = false;
                u.quoted = true;
                in_double = true;
                i += 2;
            }
            b'$' | b'`' | b'<' | b'>' if !(in_double && matches!(b, b'<' | b'>')) => {
                let end = match (b, next) {
                    (b'$', Some(b'(')) | (b'<' | b'>', Some(b'(')) => {
                        skip_nested(raw, i + 2, Ctx::Paren)
                    }
                    (b'$', Some(b'{')) => skip_nested(raw, i + 2, Ctx::Brace),
                    (b'$', Some(c)) if is_name_start(c) => {
                        let mut j = i + 1;
                        while raw.get(j).is_some_and(|&c| is_name_char(c)) {
                            j += 1;
                        }
                        j
                    }
                    (b'$', Some(c)) if is_special_param(c) => i + 2,
                    (b'`', _) => skip_nested(raw, i + 1, Ctx::Tick),
                    _ => i,
                };
                if end == i {
                    u.value.push(b);
                    i += 1;
                } else {
                    plain_prefix = false;
                    u.has_expansion = true;
                    if !simplify {
                        u.value.extend_from_slice(&raw[i..end]);
                    } else if b == b'$' || b == b'`' {
                        u.value.extend_from_slice(b"${VAR}");
                    }
                    i = end;
                }
            }
            b'=' if plain_prefix => {
                u.value.push(b'=');
                if assignment_split(&u.value).is_some() {
                    u.eq = Some(u.value.len() - 1);
                }
                plain_prefix = false;
                i += 1;
            }
            _ => {
                u.value.push(b);
                i += 1;
            }
        }
    }
    u
}

fn redirect_op_at(s: &[u8], i: usize) -> Option<(RedirectOp, usize)> {
    use RedirectOp::*;
    let b1 = s.get(i + 1).copied();
    let b2 = s.get(i + 2).copied();
    match *s.get(i)? {
        b'&' => match (b1, b2) {
            (Some(b'>'), Some(b'>')) => Some((AppendOutErr, 3)),
            (Some(b'>'), _) => Some((OutErr, 2)),
            _ => None,
        },
        b'>' => match b1 {
            Some(b'>') => Some((Append, 2)),
            Some(b'|') => Some((Clobber, 2)),
            Some(b'&') => Some((DupOut, 2)),
            Some(b'(') => None,
            _ => Some((Out, 1)),
        },
        b'<' => match (b1, b2) {
            (Some(b'<'), Some(b'<')) => Some((HereString, 3)),
            (Some(b'<'), Some(b'-')) => Some((HereDocStrip, 3)),
            (Some(b'<'), _) => Some((HereDoc, 2)),
            (Some(b'&'), _) => Some((DupIn, 2)),
            (Some(b'>'), _) => Some((ReadWrite, 2)),
            (Some(b'('), _) => None,
            _ => Some((In, 1)),
        },
        _ => None,
    }
}

/// A redirection at `i`, possibly preceded by a descriptor number:
/// (fd, op, index after the operator).
fn redirect_at(s: &[u8], i: usize) -> Option<(Option<u32>, RedirectOp, usize)> {
    let mut j = i;
    while s.get(j).is_some_and(u8::is_ascii_digit) {
        j += 1;
    }
    if j > i {
        if !matches!(s.get(j), Some(b'<' | b'>')) {
            return None;
        }
        let (op, len) = redirect_op_at(s, j)?;
        let fd = std::str::from_utf8(&s[i..j])
            .ok()
            .and_then(|d| d.parse().ok());
        return Some((fd, op, j + len));
    }
    let (op, len) = redirect_op_at(s, i)?;
    Some((None, op, i + len))
}

/// End of an arithmetic `((...))` whose first `(` is at `i`, or `None` when
/// the parentheses turn out to be nested subshells (`((a); b)`).
fn arith_end(s: &[u8], i: usize) -> Option<usize> {
    let mut depth = 2usize;
    let mut j = i + 2;
    while let Some(&b) = s.get(j) {
        match b {
            b'\\' => j += 1,
            b'\'' => j = skip_nested(s, j + 1, Ctx::Single) - 1,
            b'"' => j = skip_nested(s, j + 1, Ctx::Double) - 1,
            b'(' => depth += 1,
            b')' => {
                if depth == 2 {
                    return (s.get(j + 1) == Some(&b')')).then_some(j + 2);
                }
                depth -= 1;
            }
            _ => {}
        }
        j += 1;
    }
    None
}

// ---------------------------------------------------------------------------
// Structured parser.

struct Fail;
type PResult<T> = Result<T, Fail>;

struct PendingHeredoc {
    delim: Vec<u8>,
    strip_tabs: bool,
    expand: bool,
    owner: Option<(usize, usize)>,
}

struct Parser<'s, 'o> {
    s: &'s [u8],
    pos: usize,
    /// Offset of `s[0]` in the caller's text.
    base: usize,
    out: &'o mut Out,
    depth: usize,
    in_subst: bool,
    in_subshell: bool,
    /// Simple command whose words are being read, i.e. the parent of any
    /// command found in a substitution right now.
    cur_cmd: Option<usize>,
    /// Operator seen since the last simple command started.
    pending: Option<Connector>,
    /// A command has been seen in the current list context, so a newline is a
    /// separator rather than leading blank lines.
    ctx_has_cmd: bool,
    heredocs: Vec<PendingHeredoc>,
}

impl<'s, 'o> Parser<'s, 'o> {
    fn new(s: &'s [u8], base: usize, out: &'o mut Out) -> Self {
        Parser {
            s,
            pos: 0,
            base,
            out,
            depth: 0,
            in_subst: false,
            in_subshell: false,
            cur_cmd: None,
            pending: None,
            ctx_has_cmd: false,
            heredocs: Vec::new(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn peek_at(&self, k: usize) -> Option<u8> {
        self.s.get(self.pos + k).copied()
    }

    fn starts_with(&self, lit: &[u8]) -> bool {
        self.s.get(self.pos..).is_some_and(|r| r.starts_with(lit))
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(Fail);
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// The unquoted literal word at the cursor if it is followed by a word
    /// boundary, else empty. Reserved words are only recognised this way.
    fn peek_plain_word(&self) -> &'s [u8] {
        let s = self.s;
        let mut j = self.pos;
        while let Some(&b) = s.get(j) {
            if is_meta(b) || matches!(b, b'\'' | b'"' | b'\\' | b'$' | b'`') {
                break;
            }
            j += 1;
        }
        match s.get(j) {
            Some(&b) if !is_meta(b) => &[],
            _ => s.get(self.pos..j).unwrap_or(&[]),
        }
    }

    /// A word (including one starting with `<(` / `>(`) begins at the cursor.
    fn at_word_start(&self) -> bool {
        match self.peek() {
            Some(b'<' | b'>') => self.peek_at(1) == Some(b'('),
            Some(b) => !is_meta(b),
            None => false,
        }
    }

    fn skip_blanks(&mut self) {
        while let Some(b) = self.peek() {
            if is_blank(b) {
                self.pos += 1;
            } else if b == b'\\' && self.peek_at(1) == Some(b'\n') {
                self.pos += 2;
            } else if b == b'\\' && self.peek_at(1) == Some(b'\r') && self.peek_at(2) == Some(b'\n')
            {
                self.pos += 3;
            } else if b == b'#' {
                while self.peek().is_some_and(|c| c != b'\n') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// Skips blanks, comments and newlines. `separator` says whether a
    /// newline here separates commands (it does not right after `&&`, `|`).
    fn skip_linebreaks(&mut self, separator: bool) -> PResult<()> {
        loop {
            self.skip_blanks();
            if self.peek() != Some(b'\n') {
                return Ok(());
            }
            self.pos += 1;
            if separator && self.ctx_has_cmd && self.pending.is_none() {
                self.pending = Some(Connector::Seq);
            }
            self.read_heredocs()?;
        }
    }

    fn expect_word(&mut self, w: &[u8]) -> PResult<()> {
        self.skip_blanks();
        if self.peek_plain_word() == w {
            self.pos += w.len();
            Ok(())
        } else {
            Err(Fail)
        }
    }

    fn expect_byte(&mut self, b: u8) -> PResult<()> {
        self.skip_blanks();
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Fail)
        }
    }

    fn parse_script(&mut self) -> PResult<()> {
        self.parse_list()?;
        self.skip_linebreaks(false)?;
        if self.pos < self.s.len() {
            return Err(Fail);
        }
        Ok(())
    }

    fn at_list_end(&self) -> bool {
        match self.peek() {
            None | Some(b')') => true,
            Some(b';') => matches!(self.peek_at(1), Some(b';' | b'&')),
            _ => matches!(
                self.peek_plain_word(),
                b"then" | b"else" | b"elif" | b"fi" | b"do" | b"done" | b"esac" | b"}"
            ),
        }
    }

    /// A sequence of and-or lists up to a closing token (left for the caller).
    fn parse_list(&mut self) -> PResult<()> {
        self.enter()?;
        loop {
            self.skip_linebreaks(true)?;
            if self.at_list_end() {
                break;
            }
            self.parse_and_or()?;
            self.skip_blanks();
            match (self.peek(), self.peek_at(1)) {
                (Some(b';'), n) if !matches!(n, Some(b';' | b'&')) => {
                    self.pos += 1;
                    self.pending = Some(Connector::Seq);
                }
                (Some(b'&'), n) if !matches!(n, Some(b'&' | b'>')) => {
                    self.pos += 1;
                    self.pending = Some(Connector::Background);
                }
                (Some(b'\n'), _) => {}
                _ => break,
            }
        }
        self.leave();
        Ok(())
    }

    fn parse_and_or(&mut self) -> PResult<()> {
        self.parse_pipeline()?;
        loop {
            self.skip_blanks();
            let c = if self.starts_with(b"&&") {
                Connector::And
            } else if self.starts_with(b"||") {
                Connector::Or
            } else {
                return Ok(());
            };
            self.pos += 2;
            self.pending = Some(c);
            self.skip_linebreaks(false)?;
            self.parse_pipeline()?;
        }
    }

    fn parse_pipeline(&mut self) -> PResult<()> {
        self.skip_blanks();
        let idx = self.out.pipelines.len();
        self.out.pipelines.push(Pipeline {
            offset: self.base + self.pos,
            ..Pipeline::default()
        });
        let mut negated = false;
        if self.peek_plain_word() == b"!" {
            self.pos += 1;
            negated = true;
        }
        let mut stderr = false;
        let mut direct = Vec::new();
        let mut stage = 0;
        loop {
            if let Some(ci) = self.parse_command(idx, stage)? {
                direct.push(ci);
            }
            stage += 1;
            self.skip_blanks();
            if self.starts_with(b"|&") {
                self.pos += 2;
                stderr = true;
            } else if self.peek() == Some(b'|') && self.peek_at(1) != Some(b'|') {
                self.pos += 1;
            } else {
                break;
            }
            self.pending = Some(Connector::Pipe);
            self.skip_linebreaks(false)?;
        }
        for &ci in &direct {
            if let Some(c) = self.out.commands.get_mut(ci) {
                c.pipeline_len = stage;
            }
        }
        if let Some(p) = self.out.pipelines.get_mut(idx) {
            p.commands = direct;
            p.stages = stage;
            p.negated = negated;
            p.pipes_stderr = stderr;
        }
        Ok(())
    }

    /// One pipeline stage. Returns the index of the simple command, if the
    /// stage is one.
    fn parse_command(&mut self, pipeline: usize, stage: usize) -> PResult<Option<usize>> {
        self.enter()?;
        self.skip_blanks();
        let word = self.peek_plain_word();
        match word {
            b"if" => self.parse_if()?,
            b"while" | b"until" => {
                self.pos += word.len();
                self.parse_list()?;
                self.expect_word(b"do")?;
                self.parse_list()?;
                self.expect_word(b"done")?;
            }
            b"for" | b"select" => self.parse_for(word.len())?,
            b"case" => self.parse_case()?,
            b"{" => {
                self.pos += 1;
                self.parse_list()?;
                self.expect_word(b"}")?;
            }
            b"[[" => self.parse_condition(true)?,
            b"[" => self.parse_condition(false)?,
            b"function" => {
                self.pos += word.len();
                self.parse_function_rest(false, pipeline, stage)?;
                self.leave();
                return Ok(None);
            }
            b"then" | b"else" | b"elif" | b"fi" | b"do" | b"done" | b"esac" | b"}" => {
                return Err(Fail)
            }
            _ => match self.peek() {
                Some(b'(') => {
                    if self.peek_at(1) == Some(b'(') {
                        if let Some(end) = arith_end(self.s, self.pos) {
                            self.scan_substitutions(self.pos + 2, end - 2, None);
                            self.pos = end;
                        } else {
                            self.parse_subshell()?;
                        }
                    } else {
                        self.parse_subshell()?;
                    }
                }
                Some(b) if !is_meta(b) || b == b'<' || b == b'>' || self.starts_with(b"&>") => {
                    let r = self.parse_simple(pipeline, stage)?;
                    self.leave();
                    return Ok(r);
                }
                _ => return Err(Fail),
            },
        }
        // Redirections of a compound command belong to no simple command, but
        // still have to be consumed (and here-documents read).
        loop {
            self.skip_blanks();
            match self.try_redirect(None)? {
                Some(_) => {}
                None => break,
            }
        }
        self.leave();
        Ok(None)
    }

    fn parse_subshell(&mut self) -> PResult<()> {
        self.pos += 1;
        let saved = self.in_subshell;
        self.in_subshell = true;
        self.parse_list()?;
        self.expect_byte(b')')?;
        self.in_subshell = saved;
        Ok(())
    }

    fn parse_if(&mut self) -> PResult<()> {
        self.pos += 2;
        self.parse_list()?;
        self.expect_word(b"then")?;
        self.parse_list()?;
        loop {
            self.skip_blanks();
            match self.peek_plain_word() {
                b"elif" => {
                    self.pos += 4;
                    self.parse_list()?;
                    self.expect_word(b"then")?;
                    self.parse_list()?;
                }
                b"else" => {
                    self.pos += 4;
                    self.parse_list()?;
                    return self.expect_word(b"fi");
                }
                b"fi" => {
                    self.pos += 2;
                    return Ok(());
                }
                _ => return Err(Fail),
            }
        }
    }

    fn parse_for(&mut self, keyword_len: usize) -> PResult<()> {
        self.pos += keyword_len;
        self.skip_blanks();
        if self.starts_with(b"((") {
            let end = arith_end(self.s, self.pos).ok_or(Fail)?;
            self.scan_substitutions(self.pos + 2, end - 2, None);
            self.pos = end;
        } else {
            if !self.at_word_start() {
                return Err(Fail);
            }
            self.parse_word()?;
            self.skip_linebreaks(false)?;
            if self.peek_plain_word() == b"in" {
                self.pos += 2;
                loop {
                    self.skip_blanks();
                    if !self.at_word_start() {
                        break;
                    }
                    self.parse_word()?;
                }
            }
        }
        self.skip_blanks();
        if self.peek() == Some(b';') && self.peek_at(1) != Some(b';') {
            self.pos += 1;
        }
        self.skip_linebreaks(false)?;
        self.expect_word(b"do")?;
        self.parse_list()?;
        self.expect_word(b"done")
    }

    fn parse_case(&mut self) -> PResult<()> {
        self.pos += 4;
        self.skip_blanks();
        if !self.at_word_start() {
            return Err(Fail);
        }
        self.parse_word()?;
        self.skip_linebreaks(false)?;
        self.expect_word(b"in")?;
        loop {
            self.skip_linebreaks(false)?;
            if self.peek_plain_word() == b"esac" {
                self.pos += 4;
                return Ok(());
            }
            if self.peek() == Some(b'(') {
                self.pos += 1;
            }
            loop {
                self.skip_blanks();
                if !self.at_word_start() {
                    return Err(Fail);
                }
                self.parse_word()?;
                self.skip_blanks();
                match self.peek() {
                    Some(b'|') => self.pos += 1,
                    Some(b')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(Fail),
                }
            }
            self.parse_list()?;
            self.skip_blanks();
            if self.starts_with(b";;&") {
                self.pos += 3;
            } else if self.starts_with(b";;") || self.starts_with(b";&") {
                self.pos += 2;
            } else if self.peek_plain_word() != b"esac" {
                return Err(Fail);
            }
        }
    }

    /// `[ ... ]` and `[[ ... ]]` are conditions in ShellCheck's AST, not
    /// simple commands, so they yield no command (substitutions inside still
    /// do).
    fn parse_condition(&mut self, double: bool) -> PResult<()> {
        let close: &[u8] = if double { b"]]" } else { b"]" };
        self.pos += close.len();
        let saved = self.cur_cmd.take();
        loop {
            self.skip_blanks();
            let Some(b) = self.peek() else {
                return Err(Fail);
            };
            if self.peek_plain_word() == close {
                self.pos += close.len();
                break;
            }
            if self.at_word_start() {
                self.parse_word()?;
                continue;
            }
            match b {
                b'\n' if double => self.pos += 1,
                b'(' | b')' | b'<' | b'>' => self.pos += 1,
                b'&' | b'|' if double => self.pos += 1,
                _ => return Err(Fail),
            }
        }
        self.cur_cmd = saved;
        Ok(())
    }

    /// The rest of a function definition: the name (unless `name_read`),
    /// optional `()`, then the body.
    fn parse_function_rest(
        &mut self,
        name_read: bool,
        pipeline: usize,
        stage: usize,
    ) -> PResult<()> {
        if !name_read {
            self.skip_blanks();
            if !self.at_word_start() {
                return Err(Fail);
            }
            self.parse_word()?;
        }
        self.skip_blanks();
        if self.peek() == Some(b'(') {
            self.pos += 1;
            self.expect_byte(b')')?;
        }
        self.skip_linebreaks(false)?;
        // The body must be a compound command, as in bash.
        let compound = matches!(
            self.peek_plain_word(),
            b"{" | b"if" | b"while" | b"until" | b"for" | b"select" | b"case" | b"[["
        ) || self.peek() == Some(b'(');
        if !compound {
            return Err(Fail);
        }
        self.parse_command(pipeline, stage)?;
        Ok(())
    }

    fn parse_simple(&mut self, pipeline: usize, stage: usize) -> PResult<Option<usize>> {
        self.skip_blanks();
        let start = self.pos;
        let idx = self.out.commands.len();
        // Reserve the slot now so commands found in this command's own
        // substitutions come after it, matching ShellCheck's pre-order walk.
        self.out.commands.push(Command::default());
        let parent = self.cur_cmd;
        self.cur_cmd = Some(idx);
        let connector = self.pending.take();
        let mut words: Vec<Word> = Vec::new();
        let mut assignments = Vec::new();
        let mut redirects: Vec<Redirect> = Vec::new();
        loop {
            self.skip_blanks();
            let Some(b) = self.peek() else { break };
            if let Some(r) = self.try_redirect(Some((idx, redirects.len())))? {
                redirects.push(r);
                continue;
            }
            if is_meta(b) && !self.at_word_start() {
                break;
            }
            let (w, assign) = self.parse_word()?;
            if words.is_empty() {
                if let Some(a) = assign {
                    assignments.push(a);
                    continue;
                }
                if assignments.is_empty() && redirects.is_empty() && self.is_function_def(&w) {
                    // `name() body`: a definition, not a command.
                    self.out.commands.truncate(idx);
                    self.cur_cmd = parent;
                    self.pending = connector;
                    self.parse_function_rest(true, pipeline, stage)?;
                    return Ok(None);
                }
            }
            words.push(w);
        }
        self.cur_cmd = parent;
        let cmd = make_command(
            Draft {
                words,
                assignments,
                redirects,
                offset: self.base + start,
            },
            Placement {
                pipeline,
                stage,
                connector,
                in_substitution: self.in_subst,
                in_subshell: self.in_subshell,
                parent: if self.in_subst { parent } else { None },
            },
        );
        match self.out.commands.get_mut(idx) {
            Some(slot) => *slot = cmd,
            None => return Err(Fail),
        }
        self.ctx_has_cmd = true;
        Ok(Some(idx))
    }

    fn is_function_def(&mut self, w: &Word) -> bool {
        if w.quoted || w.has_expansion || w.value.is_empty() {
            return false;
        }
        let save = self.pos;
        self.skip_blanks();
        if self.peek() == Some(b'(') {
            let mut j = self.pos + 1;
            while self.s.get(j).is_some_and(|&b| is_blank(b)) {
                j += 1;
            }
            if self.s.get(j) == Some(&b')') {
                return true;
            }
        }
        self.pos = save;
        false
    }

    /// Reads a redirection at the cursor, if there is one. `owner` is the
    /// (command, redirect index) a here-document body should be attached to.
    fn try_redirect(&mut self, owner: Option<(usize, usize)>) -> PResult<Option<Redirect>> {
        let Some((fd, op, after)) = redirect_at(self.s, self.pos) else {
            return Ok(None);
        };
        self.pos = after;
        self.skip_blanks();
        // The target may be a process substitution: `cat < <(cmd)`.
        if !self.at_word_start() {
            return Err(Fail);
        }
        let (target, _) = self.parse_word()?;
        if matches!(op, RedirectOp::HereDoc | RedirectOp::HereDocStrip) {
            self.heredocs.push(PendingHeredoc {
                delim: target.value.as_bytes().to_vec(),
                strip_tabs: op == RedirectOp::HereDocStrip,
                expand: !target.quoted,
                owner,
            });
        }
        Ok(Some(Redirect {
            fd,
            op,
            target,
            heredoc_body: None,
        }))
    }

    /// Called right after a newline: consumes the bodies of pending
    /// here-documents.
    fn read_heredocs(&mut self) -> PResult<()> {
        for h in std::mem::take(&mut self.heredocs) {
            let start = self.pos;
            let mut body = Vec::new();
            let mut body_end = start;
            // An unterminated body runs to the end, as in bash (which only
            // warns).
            while self.pos < self.s.len() {
                let rest = &self.s[self.pos..];
                let line_len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
                let mut line = &rest[..line_len];
                if let Some(l) = line.strip_suffix(b"\r") {
                    line = l;
                }
                let mut cmp = line;
                if h.strip_tabs {
                    while let Some(l) = cmp.strip_prefix(b"\t") {
                        cmp = l;
                    }
                }
                let next = (self.pos + line_len + 1).min(self.s.len());
                if cmp == h.delim.as_slice() {
                    self.pos = next;
                    break;
                }
                body.extend_from_slice(if h.strip_tabs { cmp } else { line });
                if line_len < rest.len() {
                    body.push(b'\n');
                }
                self.pos = next;
                body_end = next;
            }
            if h.expand {
                self.scan_substitutions(start, body_end, h.owner.map(|o| o.0));
            }
            if let Some((ci, ri)) = h.owner {
                self.out.bodies.push((ci, ri, into_string(body)));
            }
        }
        Ok(())
    }

    /// ShellCheck parses `$( )` and backticks inside unquoted here-document
    /// bodies and arithmetic, so their commands count. A malformed
    /// substitution there is ignored rather than failing the whole script.
    fn scan_substitutions(&mut self, start: usize, end: usize, owner: Option<usize>) {
        // Arithmetic can nest arithmetic, which re-enters this scan.
        if self.depth >= MAX_NESTING {
            return;
        }
        let s = self.s.get(..end).unwrap_or(self.s);
        let mark = self.out.mark();
        let mut p = Parser::new(s, self.base, self.out);
        p.pos = start;
        p.depth = self.depth + 1;
        p.in_subshell = self.in_subshell;
        p.cur_cmd = owner;
        let mut scratch = Vec::new();
        let result = (|| -> PResult<()> {
            while let Some(b) = p.peek() {
                match b {
                    b'\\' => p.pos += 2,
                    b'$' => {
                        scratch.clear();
                        p.parse_dollar(&mut scratch, true)?;
                    }
                    b'`' => {
                        scratch.clear();
                        p.parse_backtick(&mut scratch, true)?;
                    }
                    _ => p.pos += 1,
                }
            }
            Ok(())
        })();
        if result.is_err() {
            self.out.rollback(mark);
        }
    }

    /// Reads one word. Returns it and, when it has the form `NAME=value`, the
    /// split assignment.
    fn parse_word(&mut self) -> PResult<(Word, Option<(String, String)>)> {
        let start = self.pos;
        let mut v: Vec<u8> = Vec::new();
        let mut quoted = false;
        let mut has_expansion = false;
        let mut eq: Option<usize> = None;
        let mut plain = true;
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b')' => break,
                b'<' | b'>' => {
                    if self.peek_at(1) != Some(b'(') {
                        break;
                    }
                    let from = self.pos;
                    self.parse_process_subst()?;
                    v.extend_from_slice(&self.s[from..self.pos]);
                    has_expansion = true;
                    plain = false;
                }
                b'(' => {
                    let prev = self.pos.checked_sub(1).and_then(|p| self.s.get(p).copied());
                    if eq.is_some_and(|e| e + 1 == v.len()) && prev == Some(b'=') {
                        let from = self.pos;
                        self.parse_array()?;
                        v.extend_from_slice(&self.s[from..self.pos]);
                    } else if self.pos > start
                        && matches!(prev, Some(b'@' | b'!' | b'+' | b'*' | b'?'))
                    {
                        let from = self.pos;
                        let end = skip_nested(self.s, self.pos + 1, Ctx::Paren);
                        if self.s.get(end - 1) != Some(&b')') || end <= from + 1 {
                            return Err(Fail);
                        }
                        self.pos = end;
                        v.extend_from_slice(&self.s[from..end]);
                    } else {
                        break;
                    }
                    plain = false;
                }
                b'\\' => {
                    plain = false;
                    match self.peek_at(1) {
                        Some(b'\n') => self.pos += 2,
                        Some(b'\r') if self.peek_at(2) == Some(b'\n') => self.pos += 3,
                        Some(c) => {
                            v.push(c);
                            quoted = true;
                            self.pos += 2;
                        }
                        None => {
                            v.push(b'\\');
                            self.pos += 1;
                        }
                    }
                }
                b'\'' => {
                    plain = false;
                    quoted = true;
                    let rest = &self.s[self.pos + 1..];
                    let len = rest.iter().position(|&c| c == b'\'').ok_or(Fail)?;
                    v.extend_from_slice(&rest[..len]);
                    self.pos += len + 2;
                }
                b'"' => {
                    plain = false;
                    quoted = true;
                    has_expansion |= self.parse_double(&mut v)?;
                }
                b'$' => {
                    plain = false;
                    let (exp, q) = self.parse_dollar(&mut v, false)?;
                    has_expansion |= exp;
                    quoted |= q;
                }
                b'`' => {
                    plain = false;
                    has_expansion = true;
                    self.parse_backtick(&mut v, false)?;
                }
                b'=' => {
                    if plain && eq.is_none() {
                        v.push(b'=');
                        if assignment_split(&v).is_some() {
                            eq = Some(v.len() - 1);
                        }
                        v.pop();
                    }
                    plain = false;
                    v.push(b'=');
                    self.pos += 1;
                }
                _ => {
                    v.push(b);
                    self.pos += 1;
                }
            }
        }
        if self.pos == start {
            return Err(Fail);
        }
        let assignment = eq.map(|e| {
            let name_end = if e > 0 && v.get(e - 1) == Some(&b'+') {
                e - 1
            } else {
                e
            };
            let name_bytes = v.get(..name_end).unwrap_or(&[]);
            let name_bytes = match name_bytes.iter().position(|&b| b == b'[') {
                Some(p) => &name_bytes[..p],
                None => name_bytes,
            };
            (lossy(name_bytes), lossy(v.get(e + 1..).unwrap_or(&[])))
        });
        let word = Word {
            value: into_string(v),
            raw: lossy(self.s.get(start..self.pos).unwrap_or(&[])),
            quoted,
            has_expansion,
            offset: self.base + start,
        };
        Ok((word, assignment))
    }

    /// `name=(a b c)`: reads the parenthesised list (cursor on `(`).
    fn parse_array(&mut self) -> PResult<()> {
        self.enter()?;
        self.pos += 1;
        loop {
            self.skip_linebreaks(false)?;
            match self.peek() {
                Some(b')') => {
                    self.pos += 1;
                    break;
                }
                _ if self.at_word_start() => {
                    self.parse_word()?;
                }
                _ => return Err(Fail),
            }
        }
        self.leave();
        Ok(())
    }

    /// Inside `"..."` (cursor on the opening quote). Returns whether an
    /// expansion was seen.
    fn parse_double(&mut self, v: &mut Vec<u8>) -> PResult<bool> {
        self.pos += 1;
        let mut has_expansion = false;
        loop {
            let b = self.peek().ok_or(Fail)?;
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(has_expansion);
                }
                b'\\' => match self.peek_at(1) {
                    Some(c @ (b'$' | b'`' | b'"' | b'\\')) => {
                        v.push(c);
                        self.pos += 2;
                    }
                    Some(b'\n') => self.pos += 2,
                    Some(_) => {
                        v.push(b'\\');
                        self.pos += 1;
                    }
                    None => return Err(Fail),
                },
                b'$' => has_expansion |= self.parse_dollar(v, true)?.0,
                b'`' => {
                    has_expansion = true;
                    self.parse_backtick(v, true)?;
                }
                _ => {
                    v.push(b);
                    self.pos += 1;
                }
            }
        }
    }

    /// At a `$`. Appends the text to `v`; returns (is an expansion, is quoted).
    fn parse_dollar(&mut self, v: &mut Vec<u8>, in_double: bool) -> PResult<(bool, bool)> {
        let start = self.pos;
        match self.peek_at(1) {
            Some(b'\'') if !in_double => {
                let (bytes, end, closed) = decode_ansi_c(self.s, self.pos + 2);
                if !closed {
                    return Err(Fail);
                }
                v.extend_from_slice(&bytes);
                self.pos = end;
                Ok((false, true))
            }
            Some(b'"') if !in_double => {
                self.pos += 1;
                let e = self.parse_double(v)?;
                Ok((e, true))
            }
            Some(b'(') => {
                if self.peek_at(2) == Some(b'(') {
                    if let Some(end) = arith_end(self.s, self.pos + 1) {
                        self.scan_substitutions(self.pos + 3, end - 2, self.cur_cmd);
                        self.pos = end;
                        v.extend_from_slice(&self.s[start..end]);
                        return Ok((true, false));
                    }
                }
                self.pos += 2;
                self.parse_substitution_body()?;
                v.extend_from_slice(&self.s[start..self.pos]);
                Ok((true, false))
            }
            Some(b'[') => {
                // Obsolete bash arithmetic `$[...]`.
                let mut depth = 0usize;
                let mut j = self.pos + 1;
                loop {
                    match self.s.get(j) {
                        None => return Err(Fail),
                        Some(b'[') => depth += 1,
                        Some(b']') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        Some(_) => {}
                    }
                    j += 1;
                }
                self.pos = j + 1;
                v.extend_from_slice(&self.s[start..self.pos]);
                Ok((true, false))
            }
            Some(b'{') => {
                self.parse_braced(in_double)?;
                v.extend_from_slice(&self.s[start..self.pos]);
                Ok((true, false))
            }
            Some(c) if is_name_start(c) => {
                self.pos += 1;
                while self.peek().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                v.extend_from_slice(&self.s[start..self.pos]);
                Ok((true, false))
            }
            Some(c) if is_special_param(c) => {
                self.pos += 2;
                v.extend_from_slice(&self.s[start..self.pos]);
                Ok((true, false))
            }
            _ => {
                v.push(b'$');
                self.pos += 1;
                Ok((false, false))
            }
        }
    }

    /// A command list closed by `)`, in a fresh list context (cursor after
    /// the opening parenthesis).
    fn parse_substitution_body(&mut self) -> PResult<()> {
        let saved = (self.in_subst, self.pending.take(), self.ctx_has_cmd);
        self.in_subst = true;
        self.ctx_has_cmd = false;
        self.parse_list()?;
        self.skip_linebreaks(false)?;
        self.expect_byte(b')')?;
        self.in_subst = saved.0;
        self.pending = saved.1;
        self.ctx_has_cmd = saved.2;
        Ok(())
    }

    /// `<(...)` or `>(...)` (cursor on `<`/`>`).
    fn parse_process_subst(&mut self) -> PResult<()> {
        self.pos += 2;
        self.parse_substitution_body()
    }

    /// `${...}` (cursor on `$`).
    fn parse_braced(&mut self, in_double: bool) -> PResult<()> {
        self.enter()?;
        self.pos += 2;
        let mut scratch = Vec::new();
        loop {
            let b = self.peek().ok_or(Fail)?;
            match b {
                b'}' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => self.pos = (self.pos + 2).min(self.s.len()),
                b'\'' if !in_double => {
                    let rest = &self.s[self.pos + 1..];
                    let len = rest.iter().position(|&c| c == b'\'').ok_or(Fail)?;
                    self.pos += len + 2;
                }
                b'"' => {
                    scratch.clear();
                    self.parse_double(&mut scratch)?;
                }
                b'$' => {
                    scratch.clear();
                    self.parse_dollar(&mut scratch, in_double)?;
                }
                b'`' => {
                    scratch.clear();
                    self.parse_backtick(&mut scratch, in_double)?;
                }
                _ => self.pos += 1,
            }
        }
        self.leave();
        Ok(())
    }

    /// `` `...` `` (cursor on the opening backtick). The body has its own
    /// escaping level, so it is unescaped into a buffer and parsed there.
    fn parse_backtick(&mut self, v: &mut Vec<u8>, in_double: bool) -> PResult<()> {
        let start = self.pos;
        self.pos += 1;
        let mut inner = Vec::new();
        loop {
            let b = self.peek().ok_or(Fail)?;
            match b {
                b'`' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    let c = self.peek_at(1).ok_or(Fail)?;
                    if matches!(c, b'`' | b'\\' | b'$') || (in_double && c == b'"') {
                        inner.push(c);
                    } else {
                        inner.push(b'\\');
                        inner.push(c);
                    }
                    self.pos += 2;
                }
                _ => {
                    inner.push(b);
                    self.pos += 1;
                }
            }
        }
        self.enter()?;
        let mut sub = Parser::new(&inner, self.base + start + 1, self.out);
        sub.depth = self.depth;
        sub.in_subst = true;
        sub.in_subshell = self.in_subshell;
        sub.cur_cmd = self.cur_cmd;
        sub.parse_script()?;
        self.leave();
        v.extend_from_slice(&self.s[start..self.pos]);
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Token heuristic.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    And,
    Or,
    Pipe,
    PipeErr,
    Semi,
    CaseEnd,
    Amp,
    LParen,
    RParen,
    Newline,
}

enum Tok {
    Word(usize, usize),
    Op(Op),
    Redir(usize, Option<u32>, RedirectOp),
}

/// Splits `s` into words, operators and redirections, honouring quotes and
/// nested expansions. Never fails: unclosed constructs run to the end.
fn tokenize(s: &[u8]) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut heredocs: Vec<(Vec<u8>, bool)> = Vec::new();
    let mut want_delim: Option<bool> = None;
    let mut i = 0;
    while let Some(&b) = s.get(i) {
        let next = s.get(i + 1).copied();
        if is_blank(b) {
            i += 1;
            continue;
        }
        if b == b'\\' && next == Some(b'\n') {
            i += 2;
            continue;
        }
        if b == b'#' {
            while s.get(i).is_some_and(|&c| c != b'\n') {
                i += 1;
            }
            continue;
        }
        if b == b'\n' {
            toks.push(Tok::Op(Op::Newline));
            i += 1;
            for (delim, strip) in std::mem::take(&mut heredocs) {
                while i < s.len() {
                    let rest = &s[i..];
                    let len = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
                    let mut line = &rest[..len];
                    if let Some(l) = line.strip_suffix(b"\r") {
                        line = l;
                    }
                    if strip {
                        while let Some(l) = line.strip_prefix(b"\t") {
                            line = l;
                        }
                    }
                    i = (i + len + 1).min(s.len());
                    if line == delim.as_slice() {
                        break;
                    }
                }
            }
            continue;
        }
        if let Some((fd, op, after)) = redirect_at(s, i) {
            toks.push(Tok::Redir(i, fd, op));
            if matches!(op, RedirectOp::HereDoc | RedirectOp::HereDocStrip) {
                want_delim = Some(op == RedirectOp::HereDocStrip);
            }
            i = after;
            continue;
        }
        let two = (b, next);
        let op = match two {
            (b'&', Some(b'&')) => Some((Op::And, 2)),
            (b'|', Some(b'|')) => Some((Op::Or, 2)),
            (b'|', Some(b'&')) => Some((Op::PipeErr, 2)),
            (b';', Some(b';' | b'&')) => Some((Op::CaseEnd, 2)),
            (b'|', _) => Some((Op::Pipe, 1)),
            (b';', _) => Some((Op::Semi, 1)),
            (b'&', _) => Some((Op::Amp, 1)),
            (b'(', _) => Some((Op::LParen, 1)),
            (b')', _) => Some((Op::RParen, 1)),
            _ => None,
        };
        if let Some((op, len)) = op {
            toks.push(Tok::Op(op));
            i += len;
            continue;
        }
        let start = i;
        i = word_end(s, i);
        if i == start {
            // Unreachable for well-formed classification, but never loop.
            i += 1;
            continue;
        }
        if let Some(strip) = want_delim.take() {
            let delim = lenient_unquote(&s[start..i], false).value;
            heredocs.push((delim, strip));
        }
        toks.push(Tok::Word(start, i));
    }
    toks
}

/// End of the word starting at `i` for the heuristic tokenizer.
fn word_end(s: &[u8], mut i: usize) -> usize {
    let start = i;
    while let Some(&b) = s.get(i) {
        let next = s.get(i + 1).copied();
        match b {
            b'\\' => i = (i + 2).min(s.len()),
            b'\'' => i = skip_nested(s, i + 1, Ctx::Single),
            b'"' => i = skip_nested(s, i + 1, Ctx::Double),
            b'`' => i = skip_nested(s, i + 1, Ctx::Tick),
            b'$' if next == Some(b'(') => i = skip_nested(s, i + 2, Ctx::Paren),
            b'$' if next == Some(b'{') => i = skip_nested(s, i + 2, Ctx::Brace),
            b'<' | b'>' if next == Some(b'(') => i = skip_nested(s, i + 2, Ctx::Paren),
            b'(' if i > start && matches!(s[i - 1], b'=' | b'@' | b'!' | b'+' | b'*' | b'?') => {
                i = skip_nested(s, i + 1, Ctx::Paren);
            }
            _ if is_meta(b) => break,
            _ => i += 1,
        }
    }
    i
}

fn lenient_word(s: &[u8], start: usize, end: usize) -> (Word, Option<(String, String)>) {
    let raw = &s[start..end];
    let u = lenient_unquote(raw, false);
    let assignment = u.eq.and_then(|e| {
        let (name, _) = assignment_split(u.value.get(..=e)?)?;
        Some((lossy(name), lossy(u.value.get(e + 1..).unwrap_or(&[]))))
    });
    let word = Word {
        value: into_string(u.value),
        raw: lossy(raw),
        quoted: u.quoted,
        has_expansion: u.has_expansion,
        offset: start,
    };
    (word, assignment)
}

/// Builds commands from a token stream, as well as can be done without a
/// grammar. Used for scripts the structured parser rejects and for callers
/// that want no shell semantics beyond quoting (e.g. Windows shells).
pub fn parse_tokens_only(script: &str) -> Script {
    let s = script.as_bytes();
    let toks = tokenize(s);
    let mut h = Heuristic {
        out: Out::default(),
        draft: None,
        pipe: None,
        pending: None,
        subshell: 0,
        header: None,
        case_depth: 0,
        in_patterns: false,
        redirect: None,
    };
    for t in &toks {
        match *t {
            Tok::Word(a, b) => h.word(s, a, b),
            Tok::Redir(at, fd, op) => {
                h.redirect = Some((fd, op));
                h.draft_mut(at);
            }
            Tok::Op(op) => h.op(op),
        }
    }
    h.end_pipeline();
    h.out.finish(true)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Header {
    Loop,
    Case,
    /// `[ ... ]` (false) or `[[ ... ]]` (true): a condition, not a command.
    Cond(bool),
}

struct Heuristic {
    out: Out,
    draft: Option<Draft>,
    /// (pipeline index, current stage, direct commands, any `|&`)
    pipe: Option<(usize, usize, Vec<usize>, bool)>,
    pending: Option<Connector>,
    subshell: usize,
    /// Inside the header of a `for`/`select` (up to its separator) or a
    /// `case` (up to `in`), whose words are not commands.
    header: Option<Header>,
    case_depth: usize,
    /// Reading `case` patterns up to `)`.
    in_patterns: bool,
    redirect: Option<(Option<u32>, RedirectOp)>,
}

impl Heuristic {
    fn draft_mut(&mut self, offset: usize) -> &mut Draft {
        self.draft.get_or_insert_with(|| Draft {
            words: Vec::new(),
            assignments: Vec::new(),
            redirects: Vec::new(),
            offset,
        })
    }

    fn word(&mut self, s: &[u8], a: usize, b: usize) {
        let (w, assignment) = lenient_word(s, a, b);
        if let Some((fd, op)) = self.redirect.take() {
            self.draft_mut(a).redirects.push(Redirect {
                fd,
                op,
                target: w,
                heredoc_body: None,
            });
            return;
        }
        let at_start = self.draft.as_ref().is_none_or(|d| d.words.is_empty());
        if let Some(header) = self.header {
            match (header, w.raw.as_str()) {
                (Header::Case, "in") => {
                    self.header = None;
                    self.in_patterns = true;
                }
                (Header::Cond(false), "]") | (Header::Cond(true), "]]") => self.header = None,
                _ => {}
            }
            return;
        }
        if at_start {
            match w.raw.as_str() {
                "if" | "then" | "else" | "elif" | "fi" | "do" | "done" | "while" | "until"
                | "!" | "{" | "}" | "function" => return,
                "[" | "[[" => {
                    self.header = Some(Header::Cond(w.raw == "[["));
                    return;
                }
                "for" | "select" => {
                    self.header = Some(Header::Loop);
                    return;
                }
                "case" => {
                    self.case_depth += 1;
                    self.header = Some(Header::Case);
                    return;
                }
                "esac" => {
                    self.case_depth = self.case_depth.saturating_sub(1);
                    self.in_patterns = false;
                    return;
                }
                _ => {}
            }
            if self.in_patterns {
                return;
            }
        }
        let d = self.draft_mut(a);
        if d.words.is_empty() {
            if let Some(asg) = assignment {
                d.assignments.push(asg);
                return;
            }
        }
        d.words.push(w);
    }

    fn finish_command(&mut self) {
        let Some(d) = self.draft.take() else { return };
        if d.words.is_empty() && d.assignments.is_empty() && d.redirects.is_empty() {
            return;
        }
        let (pidx, stage) = match &self.pipe {
            Some((p, st, _, _)) => (*p, *st),
            None => {
                let p = self.out.pipelines.len();
                self.out.pipelines.push(Pipeline {
                    offset: d.offset,
                    ..Pipeline::default()
                });
                self.pipe = Some((p, 0, Vec::new(), false));
                (p, 0)
            }
        };
        let idx = self.out.commands.len();
        let cmd = make_command(
            d,
            Placement {
                pipeline: pidx,
                stage,
                connector: self.pending.take(),
                in_substitution: false,
                in_subshell: self.subshell > 0,
                parent: None,
            },
        );
        self.out.commands.push(cmd);
        if let Some((_, _, direct, _)) = self.pipe.as_mut() {
            direct.push(idx);
        }
    }

    fn end_pipeline(&mut self) {
        self.finish_command();
        if let Some((p, stage, direct, stderr)) = self.pipe.take() {
            let stages = stage + 1;
            for &ci in &direct {
                if let Some(c) = self.out.commands.get_mut(ci) {
                    c.pipeline_len = stages;
                }
            }
            if let Some(pl) = self.out.pipelines.get_mut(p) {
                pl.commands = direct;
                pl.stages = stages;
                pl.pipes_stderr = stderr;
            }
        }
    }

    fn op(&mut self, op: Op) {
        self.redirect = None;
        if let Some(Header::Cond(double)) = self.header {
            // `&&`, `||` and parentheses are part of a `[[ ]]` expression.
            if double && matches!(op, Op::And | Op::Or | Op::LParen | Op::RParen) {
                return;
            }
            self.header = None;
        }
        match op {
            Op::Pipe | Op::PipeErr => {
                let had = self.draft.is_some();
                self.finish_command();
                if had || self.pipe.is_some() {
                    if let Some((_, stage, _, stderr)) = self.pipe.as_mut() {
                        *stage += 1;
                        *stderr |= op == Op::PipeErr;
                    }
                }
                self.pending = Some(Connector::Pipe);
                return;
            }
            Op::RParen if self.in_patterns => {
                self.in_patterns = false;
                self.draft = None;
                return;
            }
            // `name (` can only start a function definition.
            Op::LParen
                if self.draft.as_ref().is_some_and(|d| {
                    d.words.len() == 1 && d.assignments.is_empty() && d.redirects.is_empty()
                }) =>
            {
                self.draft = None;
            }
            _ => {}
        }
        self.end_pipeline();
        match op {
            Op::And => self.pending = Some(Connector::And),
            Op::Or => self.pending = Some(Connector::Or),
            Op::Amp => self.pending = Some(Connector::Background),
            Op::Semi | Op::Newline => {
                if self.header == Some(Header::Loop) {
                    self.header = None;
                }
                if !self.out.commands.is_empty() && self.pending.is_none() {
                    self.pending = Some(Connector::Seq);
                }
            }
            Op::CaseEnd => {
                self.in_patterns = self.case_depth > 0;
                self.pending = Some(Connector::Seq);
            }
            Op::LParen => self.subshell += 1,
            Op::RParen => self.subshell = self.subshell.saturating_sub(1),
            Op::Pipe | Op::PipeErr => {}
        }
    }
}
