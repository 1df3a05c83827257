//! Package-manager rules: version pinning, non-interactive switches and package caches for
//! apt-get, apk, pip, npm, gem, yum, dnf, zypper, yarn and go (hadolint's DL3008–DL3062).
//!
//! These rules must agree with hadolint 2.15.1 finding for finding, so they look at a `RUN` the
//! way hadolint does rather than the way a shell would:
//!
//! * the script is the text language-docker extracts (for `RUN <<EOF` the rest of the marker line
//!   plus the first here-document; for `RUN cmd <<EOF` only the text before the marker), and the
//!   `SHELL` in effect does not matter;
//! * a script ShellCheck cannot parse has no commands at all;
//! * a command's name is its literal first word, unwrapped once through `command`, `builtin`,
//!   `busybox`, `run` and `exec`, never through `sudo`, `env` or a directory;
//! * every word after the first is an argument, rendered the way hadolint flattens words (quotes
//!   removed, `$X` and `${X…}` kept as `${…}`, brace expansions dropped);
//! * flags are found by spelling alone (`-abc` is `a`, `b`, `c`; `--x=1` is `x`), and the "value"
//!   of a flag is simply the next word, unless the flag word itself contains `=`.
//!
//! Several rules keep hadolint's quirks on purpose (any `rm -rf …` counts as cleaning the yum
//! and dnf caches, `-qq` but not `-qqq` counts as `-y`, …): the corpus parity test is the judge.
//! hadolint 2.15.1 no longer emits DL3005, DL3017, DL3031 or DL3039, so neither do we.
//!
//! Every rule runs twice, as hadolint does: once over the instructions of the file and once over
//! the instructions inside `ONBUILD`, each pass with its own state.

use super::RuleFn;
use crate::ast::{Instruction, Keyword};
use crate::lint::{Context, Hits};
use crate::shell::{self, Word};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

pub(super) const RULES: &[RuleFn] = &[package_managers];

/// All package-manager rules in one pass, so each `RUN` is read once.
fn package_managers(cx: &Context, hits: &mut Hits) {
    let items = stream(cx);
    for item in &items {
        if let Step::Run(run) = &item.step {
            per_run_rules(run, hits);
        }
    }
    for onbuild in [false, true] {
        let pass: Vec<&Item> = items.iter().filter(|i| i.onbuild == onbuild).collect();
        apt_lists_not_deleted(&pass, hits);
        yarn_cache_not_cleaned(&pass, hits);
        pip_cache_kept(&pass, hits);
        rpm_versions_pinned(&pass, hits);
    }
}

// ---------------------------------------------------------------------------------------------
// The instruction stream as hadolint's rules see it.

struct Item<'a> {
    onbuild: bool,
    step: Step<'a>,
}

enum Step<'a> {
    From(BaseImage),
    /// Variable names and raw values of an `ENV`.
    Env(Vec<(String, String)>),
    /// Variable names declared by an `ARG`.
    Arg(Vec<String>),
    Run(RunView<'a>),
}

/// One `RUN` (or `ONBUILD RUN`).
struct RunView<'a> {
    /// The instruction hits are reported at (the `ONBUILD` for a trigger).
    at: &'a Instruction,
    /// The script text hadolint analyses.
    text: String,
    cmds: Vec<Cmd>,
    /// Targets of `type=cache` and `type=tmpfs` mounts.
    cache_targets: Vec<String>,
}

impl RunView<'_> {
    fn any(&self, pred: impl Fn(&Cmd) -> bool) -> bool {
        self.cmds.iter().any(pred)
    }

    /// The first command matching `cleans` comes after (or, with `same_counts`, is) the first
    /// command matching `installs`. hadolint compares first occurrences only, so a cleanup
    /// before the install fails even when another one follows it.
    fn cleans_after(
        &self,
        installs: impl Fn(&Cmd) -> bool,
        cleans: impl Fn(&Cmd) -> bool,
        same_counts: bool,
    ) -> bool {
        let Some(install) = self.cmds.iter().position(installs) else {
            return false;
        };
        let clean = self.cmds.iter().position(cleans);
        clean.is_some_and(|c| c > install || (same_counts && c == install))
    }

    /// A cache or tmpfs mount whose target contains `fragment`.
    fn mounts_cache(&self, fragment: &str) -> bool {
        self.cache_targets.iter().any(|t| t.contains(fragment))
    }
}

fn stream<'a>(cx: &Context<'a>) -> Vec<Item<'a>> {
    let mut items = Vec::new();
    for instruction in cx.instructions() {
        let (inner, onbuild) = match (&instruction.sub, instruction.keyword) {
            (Some(sub), Keyword::Onbuild) => (&**sub, true),
            (_, Keyword::Onbuild) => continue,
            _ => (instruction, false),
        };
        let step = match inner.keyword {
            Keyword::From => Step::From(BaseImage::of(inner)),
            Keyword::Env => Step::Env(
                inner
                    .pairs()
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), unquote(v)))
                    .collect(),
            ),
            // language-docker reads one name per `ARG`; `ARG A=1 B=2` declares only `A`.
            Keyword::Arg => Step::Arg(
                inner
                    .args
                    .first()
                    .map(|a| a.split_once('=').map_or(a.as_str(), |(n, _)| n).to_string())
                    .into_iter()
                    .collect(),
            ),
            Keyword::Run => Step::Run(run_view(instruction, inner)),
            _ => continue,
        };
        items.push(Item { onbuild, step });
    }
    items
}

fn run_view<'a>(at: &'a Instruction, run: &'a Instruction) -> RunView<'a> {
    // language-docker only knows `--mount`, `--network` and `--security`; when the first flag is
    // anything else it parses no flags at all and the flag words become part of the script.
    let flags_understood = run
        .flags
        .first()
        .is_none_or(|f| matches!(f.name.as_str(), "mount" | "network" | "security"));
    let mut text = script_text(run, at);
    let mut cache_targets = Vec::new();
    if flags_understood {
        cache_targets = run
            .flags_named("mount")
            .filter_map(|f| cache_target(f.value.as_deref().unwrap_or("")))
            .collect();
    } else {
        let raw: Vec<&str> = run.flags.iter().map(|f| f.raw.as_str()).collect();
        text = format!("{} {}", raw.join(" "), text);
    }
    let cmds = shellcheck_commands(&text);
    RunView {
        at,
        text,
        cmds,
        cache_targets,
    }
}

/// Most candidate cut points tried when a script does not parse.
const MAX_CUTS: usize = 16;

/// The commands hadolint gets from ShellCheck. A script ShellCheck rejects yields none, but
/// ShellCheck stops quietly at a stray closing token (`)`, `fi`, `done`, `;;`, …) and keeps the
/// commands before it.
fn shellcheck_commands(text: &str) -> Vec<Cmd> {
    let to_cmds = |s: &shell::Script| s.commands.iter().filter_map(Cmd::of).collect();
    let script = shell::parse(text);
    if !script.parse_errors {
        return to_cmds(&script);
    }
    for cut in stray_closers(text).into_iter().take(MAX_CUTS) {
        let prefix = shell::parse(text.get(..cut).unwrap_or(""));
        if !prefix.parse_errors {
            return to_cmds(&prefix);
        }
    }
    Vec::new()
}

/// Byte offsets, outside quotes, of tokens that close a construct: `)`, `;;`, and the words
/// `}`, `fi`, `done`, `esac`, `then`, `do`, `else`, `elif`, `in`, `function` where a command
/// would start.
fn stray_closers(text: &str) -> Vec<usize> {
    const CLOSING_WORDS: &[&str] = &[
        "}", "fi", "done", "esac", "then", "do", "else", "elif", "in", "function",
    ];
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut quote: Option<u8> = None;
    // Whether the last significant byte lets a command start here.
    let mut command_start = true;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if let Some(q) = quote {
            if b == b'\\' && q == b'"' {
                i += 1;
            } else if b == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match b {
            b'\\' => {
                command_start = false;
                i += 2;
                continue;
            }
            b'\'' | b'"' => {
                quote = Some(b);
                command_start = false;
            }
            b')' => {
                out.push(i);
                command_start = false;
            }
            b';' if bytes.get(i + 1) == Some(&b';') => {
                out.push(i);
                i += 2;
                command_start = true;
                continue;
            }
            b';' | b'&' | b'|' | b'(' | b'\n' => command_start = true,
            b' ' | b'\t' | b'\r' => {}
            _ => {
                let end = bytes
                    .get(i..)
                    .and_then(|rest| rest.iter().position(|c| b" \t\r\n;&|()<>".contains(c)))
                    .map_or(bytes.len(), |p| i + p);
                let word = text.get(i..end).unwrap_or("");
                if command_start && CLOSING_WORDS.contains(&word) {
                    out.push(i);
                }
                command_start = false;
                if word.contains(['\'', '"', '\\']) || end == i {
                    i += 1;
                } else {
                    i = end;
                }
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The script language-docker hands to ShellCheck for this `RUN` (`at` is the `ONBUILD`
/// wrapping it, which may be where the here-documents were recorded).
fn script_text(run: &Instruction, at: &Instruction) -> String {
    if run.json {
        return run.args.join(" ");
    }
    let Some(first) = run.heredocs.first().or_else(|| at.heredocs.first()) else {
        return run.rest.clone();
    };
    let rest = run.rest.trim();
    if let Some(after) = rest.strip_prefix("<<") {
        // `RUN <<EOF [words]`: the words after the marker and the body form the script.
        let after = after.trim_start_matches('-');
        let remainder = match after.chars().next() {
            Some(q @ ('"' | '\'')) => after[1..].split_once(q).map_or("", |(_, r)| r),
            _ => after.split_once(char::is_whitespace).map_or("", |(_, r)| r),
        };
        let remainder = remainder.trim();
        let body = first.content.trim();
        // A redirection after the marker (`<<EOF > file`) takes the rest of the line.
        if remainder.is_empty() || remainder.starts_with('|') || remainder.starts_with('>') {
            return body.to_string();
        }
        return format!("{remainder}\n{body}");
    }
    // `RUN cmd <<EOF …`: only the text before the first here-document marker is kept.
    let cut = heredoc_marker_position(rest, &first.name).unwrap_or(rest.len());
    rest.get(..cut).unwrap_or(rest).trim().to_string()
}

/// Byte position of the `<<` that opens the here-document `name` in `line`.
fn heredoc_marker_position(line: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = line.get(from..).and_then(|s| s.find("<<")) {
        let at = from + found;
        let after = line.get(at + 2..).unwrap_or("").trim_start_matches('-');
        let after = after.trim_start_matches(['"', '\'']);
        if after.starts_with(name) {
            return Some(at);
        }
        from = at + 2;
    }
    line.find("<<")
}

/// The target of a `--mount` value when it is a cache or tmpfs mount.
fn cache_target(spec: &str) -> Option<String> {
    let mut kind = String::from("bind");
    let mut target = None;
    for part in spec.split(',') {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        let value = value.trim_matches('"').to_string();
        match key.trim().to_ascii_lowercase().as_str() {
            "type" => kind = value.to_ascii_lowercase(),
            "target" | "dst" | "destination" | "dest" => target = Some(value),
            _ => {}
        }
    }
    if kind == "cache" || kind == "tmpfs" {
        target
    } else {
        None
    }
}

/// Removes the quotes language-docker removes from an `ENV` value.
fn unquote(value: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (Some('\''), c) => out.push(c),
            (_, '\\') => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            (_, c) => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Base images, compared the way language-docker's `BaseImage` is.

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct BaseImage {
    registry: Option<String>,
    name: String,
    tag: Option<String>,
    digest: Option<String>,
    alias: Option<String>,
    platform: Option<String>,
}

impl BaseImage {
    fn of(from: &Instruction) -> BaseImage {
        let reference = from.args.first().map(String::as_str).unwrap_or("");
        let alias = match from.args.as_slice() {
            [_, as_word, name, ..] if as_word.eq_ignore_ascii_case("as") => Some(name.clone()),
            _ => None,
        };
        let mut image = parse_reference(reference);
        image.alias = alias;
        image.platform = from.flag("platform").and_then(|f| f.value.clone());
        image
    }

    /// The placeholder hadolint uses for a `RUN` seen before any `FROM`.
    fn scratch() -> BaseImage {
        BaseImage {
            name: "scratch".to_string(),
            ..BaseImage::default()
        }
    }
}

/// Splits `registry.tld/name:tag@digest`; a registry is recognised only by a dot before the
/// first slash, as language-docker does.
fn parse_reference(reference: &str) -> BaseImage {
    let mut rest = reference;
    let mut registry = None;
    if let Some(dot) = rest.find('.') {
        let after_dot = rest.get(dot + 1..).unwrap_or("");
        if dot > 0 {
            if let Some(slash) = after_dot.find('/') {
                if slash > 0 {
                    registry = rest.get(..dot + 1 + slash).map(str::to_string);
                    rest = after_dot.get(slash + 1..).unwrap_or("");
                }
            }
        }
    }
    let name_end = rest.find([':', '@']).unwrap_or(rest.len());
    let name = rest.get(..name_end).unwrap_or("").to_string();
    rest = rest.get(name_end..).unwrap_or("");
    let mut tag = None;
    if let Some(t) = rest.strip_prefix(':') {
        let end = t.find([':', '@']).unwrap_or(t.len());
        tag = t.get(..end).map(str::to_string);
        rest = t.get(end..).unwrap_or("");
    }
    let digest = rest
        .strip_prefix('@')
        .map(|d| d.split('@').next().unwrap_or("").to_string());
    BaseImage {
        registry,
        name,
        tag,
        digest,
        alias: None,
        platform: None,
    }
}

// ---------------------------------------------------------------------------------------------
// Commands as hadolint sees them.

/// A simple command: hadolint's name and its flattened arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cmd {
    name: String,
    args: Vec<String>,
}

impl Cmd {
    fn of(command: &shell::Command) -> Option<Cmd> {
        let words: Vec<&Word> = command
            .wrappers
            .iter()
            .chain(command.name_word.iter())
            .chain(command.args.iter())
            .collect();
        Cmd::of_words(&words)
    }

    fn of_words(words: &[&Word]) -> Option<Cmd> {
        let first = words.first()?;
        // ShellCheck parses `time [-flags] pipeline`, `coproc command` and a `!` inside a
        // pipeline as keywords around the command, so the command they run is what hadolint
        // sees (`"time"` is an ordinary word).
        let keyword = first.raw.replace('\\', "");
        if keyword == "time" || keyword == "coproc" || first.raw == "!" {
            let skip_flags = keyword == "time";
            let inner = words
                .get(1..)
                .unwrap_or(&[])
                .iter()
                .skip_while(|w| skip_flags && w.raw.starts_with('-'))
                .copied()
                .collect::<Vec<_>>();
            if !inner.is_empty() {
                return Cmd::of_words(&inner);
            }
        }
        let literal = |w: &Word| (!w.has_expansion).then(|| w.value.clone());
        let first_name = literal(first)?;
        let name = match first_name.as_str() {
            "command" | "builtin" | "busybox" | "run" => match words.get(1) {
                Some(next) if !next.raw.starts_with('-') => literal(next)?,
                _ => first_name,
            },
            "exec" => match exec_target(words.get(1..).unwrap_or(&[])) {
                Some(target) => literal(target)?,
                None => first_name,
            },
            _ => first_name,
        };
        let args = words.iter().skip(1).map(|w| render(&w.raw)).collect();
        Some(Cmd { name, args })
    }

    fn is(&self, name: &str) -> bool {
        self.name == name
    }

    /// hadolint's `cmdHasArgs`: the command is `name` and some argument is one of `args`.
    fn has_args(&self, name: &str, args: &[&str]) -> bool {
        self.name == name && self.has_any_arg(args)
    }

    fn has_any_arg(&self, args: &[&str]) -> bool {
        self.args.iter().any(|a| args.contains(&a.as_str()))
    }

    fn has_arg(&self, arg: &str) -> bool {
        self.args.iter().any(|a| a == arg)
    }

    /// `args` occur consecutively.
    fn has_sequence(&self, seq: &[&str]) -> bool {
        if seq.is_empty() {
            return true;
        }
        self.args
            .windows(seq.len())
            .any(|w| w.iter().zip(seq).all(|(a, b)| a == b))
    }

    /// Flag names with the index of the argument they come from.
    fn flags(&self) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        for (i, arg) in self.args.iter().enumerate() {
            if arg == "-" || arg == "--" {
                continue;
            }
            if let Some(long) = arg.strip_prefix("--") {
                out.push((i, long.split('=').next().unwrap_or("")));
            } else if let Some(short) = arg.strip_prefix('-') {
                out.extend(
                    short
                        .char_indices()
                        .map(|(k, c)| (i, &short[k..k + c.len_utf8()])),
                );
            }
        }
        out
    }

    fn has_flag(&self, name: &str) -> bool {
        self.flags().iter().any(|(_, f)| *f == name)
    }

    fn has_any_flag(&self, names: &[&str]) -> bool {
        self.flags().iter().any(|(_, f)| names.contains(f))
    }

    fn count_flag(&self, name: &str) -> usize {
        self.flags().iter().filter(|(_, f)| *f == name).count()
    }

    /// Arguments that are not flags, after dropping the word following each flag named in
    /// `value_flags` (unless that flag's word carries an `=`).
    fn args_no_flags(&self, value_flags: &[&str]) -> Vec<&str> {
        let flags = self.flags();
        let mut dropped = vec![false; self.args.len()];
        for &(i, name) in &flags {
            let inline = self.args.get(i).is_some_and(|a| a.contains('='));
            if value_flags.contains(&name) && !inline {
                if let Some(d) = dropped.get_mut(i + 1) {
                    *d = true;
                }
            }
        }
        let mut is_flag = vec![false; self.args.len()];
        for &(i, _) in &flags {
            if let Some(f) = is_flag.get_mut(i) {
                *f = true;
            }
        }
        self.args
            .iter()
            .zip(dropped.iter().zip(is_flag.iter()))
            .filter(|(_, (dropped, flag))| !**dropped && !**flag)
            .map(|(a, _)| a.as_str())
            .collect()
    }
}

/// The word `exec` runs, past its `-c`, `-l` and `-a name` options.
fn exec_target<'w>(args: &[&'w Word]) -> Option<&'w Word> {
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let v = w.value.as_str();
        if v == "--" {
            return args.get(i + 1).copied();
        }
        let Some(cluster) = v.strip_prefix('-').filter(|c| !c.is_empty()) else {
            return Some(w);
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

/// `dropWhile (/= "install")` then `dropWhile (== "install")`.
fn after_install<'s>(args: &[&'s str]) -> Vec<&'s str> {
    args.iter()
        .skip_while(|a| **a != "install")
        .skip_while(|a| **a == "install")
        .copied()
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Word flattening.

/// Deepest `$( )` nesting rendered before giving up, so hostile input cannot recurse deeply.
const MAX_RENDER_DEPTH: u32 = 4;

/// Flattens a shell word the way hadolint does before matching it: quotes and escapes removed,
/// parameter expansions kept as `${name…}`, command substitutions as `${words}`, backticks and
/// arithmetic as `${VAR}`, brace expansions dropped, globs kept.
fn render(raw: &str) -> String {
    render_in(raw, 0)
}

fn render_in(raw: &str, depth: u32) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' => {
                if let Some(&n) = chars.get(i + 1) {
                    if n != '\n' {
                        out.push(n);
                    }
                }
                i += 2;
            }
            '\'' => {
                let end = find_char(&chars, i + 1, '\'');
                out.extend(chars.get(i + 1..end).unwrap_or(&[]));
                i = end + 1;
            }
            '"' => i = render_double_quoted(&chars, i + 1, &mut out, depth),
            '$' => i = render_dollar(&chars, i, &mut out, depth),
            '`' => {
                i = skip_backticks(&chars, i + 1);
                out.push_str("${VAR}");
            }
            '{' => match brace_expansion_end(&chars, i) {
                Some(end) => i = end,
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Renders a double-quoted part starting after its opening quote; returns the index after it.
fn render_double_quoted(chars: &[char], mut i: usize, out: &mut String, depth: u32) -> usize {
    while let Some(&c) = chars.get(i) {
        match c {
            '"' => return i + 1,
            '\\' => {
                match chars.get(i + 1) {
                    Some('\n') => {}
                    Some(&n @ ('$' | '`' | '"' | '\\')) => out.push(n),
                    Some(&n) => {
                        out.push('\\');
                        out.push(n);
                    }
                    None => {}
                }
                i += 2;
            }
            '$' => i = render_dollar(chars, i, out, depth),
            '`' => {
                i = skip_backticks(chars, i + 1);
                out.push_str("${VAR}");
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    i
}

/// Renders the expansion starting at the `$` at `i`; returns the index after it.
fn render_dollar(chars: &[char], i: usize, out: &mut String, depth: u32) -> usize {
    match chars.get(i + 1) {
        Some('(') if chars.get(i + 2) == Some(&'(') => {
            out.push_str("${VAR}");
            skip_balanced(chars, i + 1, '(', ')')
        }
        Some('(') => {
            let end = skip_balanced(chars, i + 1, '(', ')');
            let closed = end > i + 2 && chars.get(end - 1) == Some(&')');
            let inner_end = if closed { end - 1 } else { end };
            let inner: String = chars.get(i + 2..inner_end).unwrap_or(&[]).iter().collect();
            out.push_str("${");
            out.push_str(&substitution_words(&inner, depth));
            out.push('}');
            end
        }
        Some('{') => {
            let end = skip_balanced(chars, i + 1, '{', '}');
            out.push('$');
            out.extend(chars.get(i + 1..end).unwrap_or(&[]));
            end
        }
        Some('\'') => {
            let mut j = i + 2;
            while let Some(&c) = chars.get(j) {
                match c {
                    '\\' => j += 2,
                    '\'' => break,
                    _ => j += 1,
                }
            }
            out.extend(chars.get(i + 2..j.min(chars.len())).unwrap_or(&[]));
            j + 1
        }
        Some('"') => {
            // `$"…"` (a locale string) is dropped by hadolint's flattening.
            let mut scratch = String::new();
            render_double_quoted(chars, i + 2, &mut scratch, depth)
        }
        Some(&c) if c.is_ascii_alphabetic() || c == '_' => {
            let mut j = i + 1;
            while chars
                .get(j)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                j += 1;
            }
            out.push_str("${");
            out.extend(chars.get(i + 1..j).unwrap_or(&[]));
            out.push('}');
            j
        }
        Some(&c) if c.is_ascii_digit() || "@*#?$!-".contains(c) => {
            out.push_str("${");
            out.push(c);
            out.push('}');
            i + 2
        }
        _ => {
            out.push('$');
            i + 1
        }
    }
}

/// The words of a command substitution, run together.
fn substitution_words(inner: &str, depth: u32) -> String {
    if depth >= MAX_RENDER_DEPTH {
        return "VAR".to_string();
    }
    let script = shell::parse(inner);
    let mut out = String::new();
    for command in script.commands.iter().filter(|c| !c.in_substitution) {
        for word in command
            .wrappers
            .iter()
            .chain(command.name_word.iter())
            .chain(command.args.iter())
        {
            out.push_str(&render_in(&word.raw, depth + 1));
        }
    }
    out
}

/// Index of the first `target` at or after `from`, or the end.
fn find_char(chars: &[char], from: usize, target: char) -> usize {
    (from..chars.len())
        .find(|&k| chars.get(k) == Some(&target))
        .unwrap_or(chars.len())
}

/// Index after the backtick closing a substitution that starts at `from`.
fn skip_backticks(chars: &[char], mut i: usize) -> usize {
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' => i += 2,
            '`' => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

/// Index after the `close` matching the `open` at `start`, skipping quoted text. Does not
/// recurse, so deeply nested input costs no stack.
fn skip_balanced(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut level = 0usize;
    let mut i = start;
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' => i += 1,
            '\'' => i = find_char(chars, i + 1, '\''),
            '"' => {
                i += 1;
                while let Some(&q) = chars.get(i) {
                    match q {
                        '\\' => i += 1,
                        '"' => break,
                        _ => {}
                    }
                    i += 1;
                }
            }
            c if c == open => level += 1,
            c if c == close => {
                level = level.saturating_sub(1);
                if level == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    chars.len()
}

/// Longest brace expansion recognised; longer `{…}` text stays literal, which keeps rendering
/// linear on words full of braces.
const MAX_BRACE_SCAN: usize = 256;

/// End of a brace expansion (`{a,b}`, `{1..3}`) starting at `start`, if it is one.
fn brace_expansion_end(chars: &[char], start: usize) -> Option<usize> {
    let mut level = 0usize;
    let mut separated = false;
    let mut i = start;
    while let Some(&c) = chars.get(i).filter(|_| i - start < MAX_BRACE_SCAN) {
        match c {
            '{' => level += 1,
            '}' => {
                level = level.saturating_sub(1);
                if level == 0 {
                    return separated.then_some(i + 1);
                }
            }
            ',' if level == 1 => separated = true,
            '.' if level == 1 && chars.get(i + 1) == Some(&'.') => separated = true,
            c if c.is_whitespace() || matches!(c, '\'' | '"' | '$' | '`' | '\\') => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Rules that look at one RUN.

fn per_run_rules(run: &RunView, hits: &mut Hits) {
    for &(code, check) in PER_RUN {
        if let Some(message) = check(run) {
            hits.add_msg(code, run.at, message);
        }
    }
}

type RunCheck = fn(&RunView) -> Option<String>;

const PER_RUN: &[(&str, RunCheck)] = &[
    ("DL3008", apt_get_unpinned),
    ("DL3013", pip_unpinned),
    ("DL3014", apt_get_without_yes),
    ("DL3015", apt_get_with_recommends),
    ("DL3016", npm_unpinned),
    ("DL3018", apk_unpinned),
    ("DL3019", apk_with_cache),
    ("DL3027", apt_used),
    ("DL3028", gem_unpinned),
    ("DL3030", yum_without_yes),
    ("DL3032", yum_cache_kept),
    ("DL3034", zypper_without_yes),
    ("DL3035", zypper_dist_upgrade),
    ("DL3036", zypper_cache_kept),
    ("DL3037", zypper_unpinned),
    ("DL3038", dnf_without_yes),
    ("DL3040", dnf_cache_kept),
    ("DL3062", go_unpinned),
];

/// Most package names quoted in a message.
const MAX_LISTED: usize = 5;

/// `Some(message)` naming the first few packages when any is unpinned.
fn unpinned_message(what: &str, packages: &[&str], hint: &str) -> Option<String> {
    if packages.is_empty() {
        return None;
    }
    let mut seen = HashSet::new();
    let distinct: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| seen.insert(*p))
        .collect();
    let mut listed = distinct
        .iter()
        .take(MAX_LISTED)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if distinct.len() > MAX_LISTED {
        listed.push_str(&format!(" and {} more", distinct.len() - MAX_LISTED));
    }
    Some(format!("{what} without a pinned version: {listed}; {hint}"))
}

/// DL3008: `apt-get install pkg` instead of `pkg=version`.
fn apt_get_unpinned(run: &RunView) -> Option<String> {
    let unpinned: Vec<&str> = run
        .cmds
        .iter()
        .filter(|c| c.has_args("apt-get", &["install"]))
        .flat_map(|c| c.args_no_flags(&["t", "target-release"]))
        .filter(|a| *a != "install")
        .filter(|p| !(p.contains('=') || p.contains('/') || p.ends_with(".deb")))
        .collect();
    unpinned_message("apt-get install", &unpinned, "install `package=version`")
}

/// DL3014: `apt-get install` that would wait for confirmation. `-qq` (quiet level 2) implies
/// `-y`; hadolint accepts exactly two `q`s, `--quiet --quiet` or `-q=2`.
fn apt_get_without_yes(run: &RunView) -> Option<String> {
    run.any(|c| {
        c.has_args("apt-get", &["install"])
            && !(c.has_any_flag(&["y", "yes", "qq", "assume-yes"])
                || c.count_flag("q") == 2
                || c.count_flag("quiet") == 2
                || c.has_arg("-q=2"))
    })
    .then(|| "apt-get install without -y waits for confirmation".to_string())
}

/// DL3015: `apt-get install` pulling recommended packages.
fn apt_get_with_recommends(run: &RunView) -> Option<String> {
    run.any(|c| {
        c.has_args("apt-get", &["install"])
            && !c.has_flag("no-install-recommends")
            && !c.has_arg("APT::Install-Recommends=false")
    })
    .then(|| "apt-get install without --no-install-recommends".to_string())
}

/// DL3027: the `apt` front end, whose output and options are not a stable interface.
fn apt_used(run: &RunView) -> Option<String> {
    run.any(|c| c.is("apt"))
        .then(|| "`apt` is meant for interactive use; use apt-get or apt-cache".to_string())
}

const VCS_SCHEMES: &[&str] = &[
    "git+file",
    "git+https",
    "git+ssh",
    "git+http",
    "git+git",
    "git",
    "hg+file",
    "hg+http",
    "hg+https",
    "hg+ssh",
    "hg+static-http",
    "svn",
    "svn+svn",
    "svn+http",
    "svn+https",
    "svn+ssh",
    "bzr+http",
    "bzr+https",
    "bzr+ssh",
    "bzr+sftp",
    "bzr+ftp",
    "bzr+lp",
];

/// `pip install`, `pip3 install`, `python -m pip install` (but not pipenv).
fn is_pip_install(c: &Cmd) -> bool {
    (c.name.starts_with("pip") && !c.name.starts_with("pipenv") && c.has_arg("install"))
        || (c.name.starts_with("python") && c.has_sequence(&["-m", "pip", "install"]))
}

/// DL3013: `pip install pkg` without a version specifier, requirements or constraints file.
fn pip_unpinned(run: &RunView) -> Option<String> {
    const VALUE_FLAGS: &[&str] = &[
        "abi",
        "b",
        "build",
        "e",
        "editable",
        "extra-index-url",
        "f",
        "find-links",
        "i",
        "index-url",
        "implementation",
        "no-binary",
        "only-binary",
        "platform",
        "prefix",
        "progress-bar",
        "proxy",
        "python-version",
        "root",
        "src",
        "t",
        "target",
        "trusted-host",
        "upgrade-strategy",
    ];
    fn pinned(p: &str) -> bool {
        let vcs = VCS_SCHEMES.iter().any(|s| p.starts_with(s));
        ["==", ">=", "<=", ">", "<", "!=", "~=", "==="]
            .iter()
            .any(|s| p.contains(s))
            || (vcs && p.contains('@'))
            || p.ends_with(".whl")
            || p.ends_with(".tar.gz")
            || (!vcs && p.contains('/'))
    }
    let mut unpinned = Vec::new();
    for c in run.cmds.iter().filter(|c| is_pip_install(c)) {
        let from_files = c.has_any_arg(&["--requirement", "-r", "."]);
        let constrained = c.has_flag("constraint") || c.has_flag("c");
        if from_files || constrained {
            continue;
        }
        let packages = after_install(&c.args_no_flags(VALUE_FLAGS));
        unpinned.extend(packages.into_iter().filter(|p| !pinned(p)));
    }
    unpinned_message(
        "pip install",
        &unpinned,
        "use `package==version` or a requirements/constraints file",
    )
}

/// DL3016: `npm install pkg` without a version, tag or commit.
fn npm_unpinned(run: &RunView) -> Option<String> {
    fn pinned(p: &str) -> bool {
        if ["git://", "git+ssh://", "git+http://", "git+https://"]
            .iter()
            .any(|g| p.starts_with(g))
        {
            return p.contains('#');
        }
        if [".tar", ".tar.gz", ".tgz"].iter().any(|s| p.ends_with(s))
            || ["/", "./", "../", "~/"].iter().any(|s| p.starts_with(s))
        {
            return true;
        }
        // A scope is skipped up to the first character not above '/' in ASCII (hadolint's
        // way), so `@scope/pkg@1` is pinned and `@scope/pkg` is not.
        let unscoped = if p.starts_with('@') {
            p.trim_start_matches(|c: char| c > '/')
        } else {
            p
        };
        unscoped.contains('@')
    }
    let mut unpinned = Vec::new();
    for c in run.cmds.iter().filter(|c| c.has_args("npm", &["install"])) {
        let positional = c.args_no_flags(&["loglevel", "registry"]);
        if positional.first() != Some(&"install") {
            continue;
        }
        unpinned.extend(
            after_install(&positional)
                .into_iter()
                .filter(|p| !pinned(p)),
        );
    }
    unpinned_message("npm install", &unpinned, "install `package@version`")
}

/// DL3018: `apk add pkg` instead of `pkg=version` (`~`, `<` and `>` constraints count too).
fn apk_unpinned(run: &RunView) -> Option<String> {
    let unpinned: Vec<&str> = run
        .cmds
        .iter()
        .filter(|c| c.has_args("apk", &["add"]))
        .flat_map(|c| c.args_no_flags(&["t", "virtual", "repository", "X"]))
        .filter(|a| *a != "add")
        .filter(|p| !(p.contains(['=', '~', '<', '>']) || p.ends_with(".apk")))
        .collect();
    unpinned_message("apk add", &unpinned, "install `package=version`")
}

/// DL3019: `apk add` keeping its index cache in the layer.
fn apk_with_cache(run: &RunView) -> Option<String> {
    (run.any(|c| c.has_args("apk", &["add"]) && !c.has_flag("no-cache"))
        && !run.mounts_cache("/var/cache/apk"))
    .then(|| "apk add without --no-cache leaves the package index in the image".to_string())
}

/// DL3028: `gem install gem` without `gem:version` or `-v`.
fn gem_unpinned(run: &RunView) -> Option<String> {
    let mut unpinned: Vec<&str> = Vec::new();
    for c in run
        .cmds
        .iter()
        .filter(|c| c.has_args("gem", &["install", "i"]))
    {
        if c.has_any_arg(&["-v", "--version"]) || c.args.iter().any(|a| a.starts_with("--version="))
        {
            continue;
        }
        // Every option is taken to have a value; arguments after `--` belong to the build.
        let mut args = c.args.iter().take_while(|a| *a != "--");
        while let Some(arg) = args.next() {
            if arg.starts_with('-') {
                args.next();
            } else if arg != "install" && arg != "i" && !arg.contains(':') {
                unpinned.push(arg.as_str());
            }
        }
    }
    unpinned_message("gem install", &unpinned, "install `gem:version` or pass -v")
}

/// DL3030: `yum install` without `-y`.
fn yum_without_yes(run: &RunView) -> Option<String> {
    run.any(|c| {
        c.has_args("yum", &["install", "groupinstall", "localinstall"])
            && !c.has_any_flag(&["y", "assumeyes"])
    })
    .then(|| "yum install without -y waits for confirmation".to_string())
}

/// DL3032: `yum install` without cleaning the cache in the same RUN. Any `rm -rf` counts, as
/// in hadolint.
fn yum_cache_kept(run: &RunView) -> Option<String> {
    let installs = |c: &Cmd| c.has_args("yum", &["install"]);
    let cleans = |c: &Cmd| {
        c.has_args("yum", &["clean", "all"]) || c.has_args("rm", &["-rf", "/var/cache/yum/*"])
    };
    (run.any(installs) && !run.cleans_after(installs, cleans, false))
        .then(|| "yum install without `yum clean all` in the same RUN".to_string())
}

/// DL3034: zypper commands that would ask for confirmation.
fn zypper_without_yes(run: &RunView) -> Option<String> {
    run.any(|c| {
        c.has_args(
            "zypper",
            &[
                "install",
                "in",
                "remove",
                "rm",
                "source-install",
                "si",
                "patch",
            ],
        ) && !c.has_any_flag(&["non-interactive", "n", "no-confirm", "y"])
    })
    .then(|| "zypper without -n/--non-interactive or -y waits for confirmation".to_string())
}

/// DL3035: `zypper dist-upgrade` in a build.
fn zypper_dist_upgrade(run: &RunView) -> Option<String> {
    run.any(|c| c.has_args("zypper", &["dist-upgrade", "dup"]))
        .then(|| "zypper dist-upgrade in a build; update the base image instead".to_string())
}

/// DL3036: `zypper install` without `zypper clean` or a cache mount.
fn zypper_cache_kept(run: &RunView) -> Option<String> {
    let installs = |c: &Cmd| c.has_args("zypper", &["install", "in"]);
    let cleans = |c: &Cmd| c.has_args("zypper", &["clean", "cc"]);
    (run.any(installs)
        && !run.mounts_cache("/var/cache/zypp")
        && !run.cleans_after(installs, cleans, false))
    .then(|| "zypper install without `zypper clean` in the same RUN".to_string())
}

/// DL3037: `zypper install pkg` without a version constraint.
fn zypper_unpinned(run: &RunView) -> Option<String> {
    let unpinned: Vec<&str> = run
        .cmds
        .iter()
        .filter(|c| c.has_args("zypper", &["install", "in"]))
        .flat_map(|c| c.args_no_flags(&[]))
        .filter(|a| *a != "install" && *a != "in")
        .filter(|p| !(p.contains('=') || p.contains('>') || p.contains('<') || p.ends_with(".rpm")))
        .collect();
    unpinned_message("zypper install", &unpinned, "install `package=version`")
}

const DNF: &[&str] = &["dnf", "microdnf"];

fn is_dnf(c: &Cmd) -> bool {
    DNF.contains(&c.name.as_str())
}

/// DL3038: `dnf install` without `-y`.
fn dnf_without_yes(run: &RunView) -> Option<String> {
    run.any(|c| {
        is_dnf(c)
            && c.has_any_arg(&["install", "groupinstall", "localinstall"])
            && !c.has_any_flag(&["y", "assumeyes"])
    })
    .then(|| "dnf install without -y waits for confirmation".to_string())
}

/// DL3040: dnf/microdnf installing or upgrading without cleaning its cache, checked per tool.
/// The subcommands are the ones hadolint 2.15.1 reacts to (not `update`).
fn dnf_cache_kept(run: &RunView) -> Option<String> {
    const TRIGGERS: &[&str] = &[
        "install",
        "in",
        "upgrade",
        "upgrade-minimal",
        "reinstall",
        "rei",
        "up",
    ];
    let missing = DNF.iter().any(|tool| {
        let installs = |c: &Cmd| c.has_args(tool, TRIGGERS);
        let cleans = |c: &Cmd| {
            c.has_args(tool, &["clean", "all"]) || c.has_args("rm", &["-rf", "/var/cache/libdnf5*"])
        };
        run.any(installs) && !run.cleans_after(installs, cleans, false)
    });
    (missing && !run.mounts_cache("/var/cache/libdnf5") && !run.mounts_cache(".cache/libdnf5"))
        .then(|| "dnf install without `dnf clean all` in the same RUN".to_string())
}

/// DL3062: `go install`/`go get`/`go run` of a module without `@version` (or with `@latest`).
fn go_unpinned(run: &RunView) -> Option<String> {
    fn pinned(p: &str) -> bool {
        let local = p == "." || p.starts_with('/') || p.starts_with('.');
        local || (p.contains('@') && !p.ends_with("@latest") && !p.ends_with("@none"))
    }
    // Only the module `go run` runs counts; the rest of its arguments go to the program. When a
    // RUN has `go run`, hadolint looks at nothing else.
    let run_packages: Vec<&str> = run
        .cmds
        .iter()
        .filter(|c| c.has_args("go", &["run"]))
        .flat_map(|c| {
            c.args_no_flags(&[])
                .into_iter()
                .enumerate()
                .filter(|(i, a)| *a != "run" && *i <= 1)
                .map(|(_, a)| a)
                .collect::<Vec<_>>()
        })
        .collect();
    let packages = if run_packages.is_empty() {
        run.cmds
            .iter()
            .filter(|c| c.has_args("go", &["install", "get"]))
            .flat_map(|c| c.args_no_flags(&[]))
            .filter(|a| !matches!(*a, "install" | "get" | "tool"))
            .collect()
    } else {
        run_packages
    };
    let unpinned: Vec<&str> = packages.into_iter().filter(|p| !pinned(p)).collect();
    unpinned_message("go install", &unpinned, "install `module@version`")
}

// ---------------------------------------------------------------------------------------------
// Rules that carry state across instructions.

/// Reports `RUN`s flagged by `offends` that end up in the image: in a stage equal to the last
/// `FROM`, or in a stage whose alias a `FROM` names (hadolint's DL3009/DL3060 logic, including
/// its comparison of whole `FROM` lines and case-sensitive aliases).
fn stage_aware(
    pass: &[&Item],
    code: &'static str,
    message: &str,
    offends: impl Fn(&RunView) -> bool,
    hits: &mut Hits,
) {
    let mut last: Option<BaseImage> = None;
    let mut from_names: HashSet<&str> = HashSet::new();
    let mut flagged: Vec<(&Instruction, BaseImage)> = Vec::new();
    for item in pass {
        match &item.step {
            Step::From(image) => {
                last = Some(image.clone());
                from_names.insert(image.name.as_str());
            }
            Step::Run(run) if offends(run) => {
                let stage = last.get_or_insert_with(BaseImage::scratch).clone();
                flagged.push((run.at, stage));
            }
            _ => {}
        }
    }
    let Some(last) = last else { return };
    for (at, stage) in flagged {
        let used_later = stage
            .alias
            .as_deref()
            .is_some_and(|a| from_names.contains(a));
        if stage == last || used_later {
            hits.add_msg(code, at, message);
        }
    }
}

/// DL3009: `apt-get update` (or `apt`/`aptitude update`) without removing `/var/lib/apt/lists` in a stage that ships.
fn apt_lists_not_deleted(pass: &[&Item], hits: &mut Hits) {
    stage_aware(
        pass,
        "DL3009",
        "apt-get update without `rm -rf /var/lib/apt/lists/*` in the same RUN",
        |run| {
            let updates = run.any(|c| {
                matches!(c.name.as_str(), "apt-get" | "apt" | "aptitude") && c.has_arg("update")
            });
            let cleans = run.any(|c| c.has_args("rm", &["-rf", "/var/lib/apt/lists/*"]));
            let cached = run.mounts_cache("/var/lib/apt/lists")
                || (run.mounts_cache("/var/lib/apt") && run.mounts_cache("/var/cache/apt"));
            updates && !cleans && !cached
        },
        hits,
    );
}

/// DL3060: `yarn install` without `yarn cache clean` in a stage that ships.
fn yarn_cache_not_cleaned(pass: &[&Item], hits: &mut Hits) {
    stage_aware(
        pass,
        "DL3060",
        "yarn install without `yarn cache clean` in the same RUN",
        |run| {
            let installs = |c: &Cmd| c.has_args("yarn", &["install"]);
            let cleans = |c: &Cmd| c.has_args("yarn", &["cache", "clean"]);
            run.any(installs)
                && !run.cleans_after(installs, cleans, true)
                && !run.mounts_cache(".cache/yarn")
        },
        hits,
    );
}

const TRUTHY: &[&str] = &[
    "1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES",
];

/// DL3042: `pip install` keeping its download cache, unless `--no-cache-dir`, a truthy
/// `PIP_NO_CACHE_DIR` (from `ENV` in the stage or a parent stage, or anywhere in the RUN text),
/// or a cache mount on `.cache/pip`.
fn pip_cache_kept(pass: &[&Item], hits: &mut Hits) {
    // Stage key: the alias, else the image name; `None` for ENV seen before any FROM.
    let mut current: Option<Option<String>> = None;
    let mut no_cache: HashMap<Option<String>, bool> = HashMap::new();
    for item in pass {
        match &item.step {
            Step::From(image) => {
                let key = Some(image.alias.clone().unwrap_or_else(|| image.name.clone()));
                if current.is_some() {
                    let parent = no_cache
                        .get(&Some(image.name.clone()))
                        .copied()
                        .unwrap_or(false);
                    no_cache.insert(key.clone(), parent);
                }
                current = Some(key);
            }
            Step::Env(pairs) => {
                let set = pairs
                    .iter()
                    .find(|(k, _)| k == "PIP_NO_CACHE_DIR")
                    .is_some_and(|(_, v)| TRUTHY.contains(&v.as_str()));
                if set {
                    let key = current.get_or_insert(None).clone();
                    no_cache.insert(key, true);
                }
            }
            Step::Run(run) => {
                let stage_set = current
                    .as_ref()
                    .is_some_and(|k| no_cache.get(k) == Some(&true));
                let offends = |c: &Cmd| {
                    is_pip_install(c) && !c.has_arg("--no-cache-dir") && !is_pip_wrapper(c)
                };
                if !stage_set
                    && !no_cache_dir_in_text(&run.text)
                    && run.any(offends)
                    && !run.mounts_cache(".cache/pip")
                {
                    hits.add_msg(
                        "DL3042",
                        run.at,
                        "pip install keeps its cache in the image; add --no-cache-dir",
                    );
                }
            }
            Step::Arg(_) => {}
        }
    }
}

/// pipx and pipenv manage their own environments.
fn is_pip_wrapper(c: &Cmd) -> bool {
    ["pipx", "pipenv"]
        .iter()
        .any(|w| c.name.contains(w) || (c.name.starts_with("python") && c.has_sequence(&["-m", w])))
}

/// hadolint's text search: the first `PIP_NO_CACHE_DIR=` in the script, followed by a truthy
/// value prefix.
fn no_cache_dir_in_text(text: &str) -> bool {
    const KEY: &str = "PIP_NO_CACHE_DIR=";
    text.find(KEY)
        .and_then(|at| text.get(at + KEY.len()..))
        .is_some_and(|value| TRUTHY.iter().any(|t| value.starts_with(t)))
}

/// The `ENV` and `ARG` names each stage can see, as hadolint's DL3033/DL3041 track them: `ENV`
/// per stage (inherited by `FROM <alias>`), `ARG` for the rest of the file.
#[derive(Default)]
struct VarScope {
    started: bool,
    stage: usize,
    aliases: BTreeMap<usize, String>,
    envs: BTreeMap<usize, BTreeSet<String>>,
    args: BTreeSet<String>,
}

impl VarScope {
    fn start(&mut self) {
        if !self.started {
            self.started = true;
            self.aliases.insert(0, String::new());
            self.envs.insert(0, BTreeSet::new());
        }
    }

    fn from(&mut self, image: &BaseImage) {
        let alias = image.alias.clone().unwrap_or_default();
        if !self.started {
            self.started = true;
            self.stage = 1;
            self.aliases.insert(1, alias);
            self.envs.insert(1, BTreeSet::new());
            return;
        }
        let next = self.stage + 1;
        let parent = self
            .aliases
            .iter()
            .find(|(_, a)| **a == image.name)
            .map_or(next, |(i, _)| *i);
        let inherited = self.envs.get(&parent).cloned().unwrap_or_default();
        self.stage = next;
        self.aliases.insert(next, alias);
        self.envs.insert(next, inherited);
    }

    fn env(&mut self, names: impl Iterator<Item = String>) {
        self.start();
        if let Some(set) = self.envs.get_mut(&self.stage) {
            set.extend(names);
        }
    }

    fn arg(&mut self, names: impl Iterator<Item = String>) {
        self.start();
        self.args.extend(names);
    }

    fn visible(&self, name: &str) -> bool {
        self.args.contains(name) || self.envs.get(&self.stage).is_some_and(|e| e.contains(name))
    }

    /// Some visible variable appears as `${name}` in `text`.
    fn defines_var_in(&self, text: &str) -> bool {
        if !self.started {
            return false;
        }
        // Look the `${…}` references of the text up rather than searching the text for every
        // variable, which would be quadratic on hostile input.
        let mut rest = text;
        while let Some(at) = rest.find("${") {
            let after = rest.get(at + 2..).unwrap_or("");
            if let Some(end) = after.find('}') {
                if self.visible(after.get(..end).unwrap_or("")) {
                    return true;
                }
            }
            rest = after;
        }
        // Names containing `}` cannot be found that way; Dockerfiles practically never have them.
        let stage_envs = self.envs.get(&self.stage);
        stage_envs
            .into_iter()
            .flatten()
            .chain(self.args.iter())
            .filter(|v| v.contains('}'))
            .any(|v| text.contains(&format!("${{{v}}}")))
    }
}

/// `name-version` for yum/dnf: something after a dash that looks like a version, a `.rpm` file,
/// or a version taken from a variable the Dockerfile defines.
fn rpm_pinned(scope: &VarScope, package: &str) -> bool {
    let parts: Vec<&str> = package.split('-').collect();
    if parts.len() <= 1 {
        return false;
    }
    if package.ends_with(".rpm") {
        return true;
    }
    if package.contains('$') {
        return scope.defines_var_in(package);
    }
    let rest = parts.get(1..).unwrap_or(&[]);
    let valid = |part: &&str| {
        part.chars()
            .all(|c| c.is_ascii_alphanumeric() || ".~^_:+".contains(c))
    };
    rest.iter().all(valid)
        && rest
            .iter()
            .any(|p| p.chars().next().is_some_and(|c| c.is_ascii_digit()))
}

/// DL3033 (yum) and DL3041 (dnf, microdnf): packages without `-version`, modules without
/// `:stream`.
fn rpm_versions_pinned(pass: &[&Item], hits: &mut Hits) {
    let mut scope = VarScope::default();
    for item in pass {
        match &item.step {
            Step::From(image) => scope.from(image),
            Step::Env(pairs) => scope.env(pairs.iter().map(|(k, _)| k.clone())),
            Step::Arg(names) => scope.arg(names.iter().cloned()),
            Step::Run(run) => {
                let yum = rpm_unpinned(run, &scope, &["yum"], &["module"]);
                if let Some(message) =
                    unpinned_message("yum install", &yum, "install `package-version`")
                {
                    hits.add_msg("DL3033", run.at, message);
                }
                let dnf = rpm_unpinned(run, &scope, DNF, &["module", "group"]);
                if let Some(message) =
                    unpinned_message("dnf install", &dnf, "install `package-version`")
                {
                    hits.add_msg("DL3041", run.at, message);
                }
            }
        }
    }
}

/// Unpinned packages and modules installed by `tools` in `run`. Commands with one of
/// `not_packages` among their arguments install modules or groups, not packages.
fn rpm_unpinned<'r>(
    run: &'r RunView,
    scope: &VarScope,
    tools: &[&str],
    not_packages: &[&str],
) -> Vec<&'r str> {
    let mut unpinned = Vec::new();
    for c in &run.cmds {
        if !tools.contains(&c.name.as_str()) || !c.has_arg("install") {
            continue;
        }
        let installed = c
            .args_no_flags(&[])
            .into_iter()
            .filter(|a| *a != "install" && *a != "module");
        if c.has_arg("module") {
            unpinned.extend(installed.filter(|m| !m.contains(':')));
        } else if !c.has_any_arg(not_packages) {
            unpinned.extend(installed.filter(|p| !rpm_pinned(scope, p)));
        }
    }
    unpinned
}

#[cfg(test)]
mod tests {
    use crate::lint::{lint, LintConfig};

    const OURS: &[&str] = &[
        "DL3008", "DL3009", "DL3013", "DL3014", "DL3015", "DL3016", "DL3018", "DL3019", "DL3027",
        "DL3028", "DL3030", "DL3032", "DL3033", "DL3034", "DL3035", "DL3036", "DL3037", "DL3038",
        "DL3040", "DL3041", "DL3042", "DL3060", "DL3062",
    ];

    /// Our findings as `CODE@line`, sorted.
    fn found(src: &str) -> Vec<String> {
        let df = crate::parse(src).expect("test Dockerfile parses");
        let mut out: Vec<String> = lint("Dockerfile", &df, &LintConfig::default())
            .into_iter()
            .filter(|f| OURS.contains(&f.id.as_str()))
            .map(|f| format!("{}@{}", f.id, f.location.line.unwrap_or(0)))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Asserts the findings of `RUN <run>` after `FROM <from>` (the RUN is line 2).
    #[track_caller]
    fn run_gives(from: &str, run: &str, expected: &[&str]) {
        let src = format!("FROM {from}\nRUN {run}\n");
        let want: Vec<String> = expected.iter().map(|c| format!("{c}@2")).collect();
        assert_eq!(found(&src), want, "for `RUN {run}`");
    }

    #[track_caller]
    fn file_gives(src: &str, expected: &[&str]) {
        let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(found(src), want, "for\n{src}");
    }

    const UBUNTU: &str = "ubuntu:22.04";

    #[test]
    fn apt_get_install_rules() {
        let clean = "apt-get update && apt-get install -y --no-install-recommends curl=1.0 \
                     && rm -rf /var/lib/apt/lists/*";
        run_gives(UBUNTU, clean, &[]);
        run_gives(
            UBUNTU,
            "apt-get install curl",
            &["DL3008", "DL3014", "DL3015"],
        );
        // Flag order and the value of -t do not matter.
        run_gives(
            UBUNTU,
            "apt-get -y install curl=1 --no-install-recommends",
            &[],
        );
        run_gives(
            UBUNTU,
            "apt-get install -y -t buster-backports curl=1 --no-install-recommends",
            &[],
        );
        run_gives(
            UBUNTU,
            "apt-get install -y --no-install-recommends -yt foo curl=1",
            &[],
        );
        // `-t=x` carries its value, so the next word is a package again.
        run_gives(
            UBUNTU,
            "apt-get install -y --no-install-recommends -t=foo curl",
            &["DL3008"],
        );
        // Local files and paths count as pinned; `--` and variables do not.
        run_gives(
            UBUNTU,
            "apt-get install -y --no-install-recommends ./a.deb /tmp/x b.deb",
            &[],
        );
        run_gives(
            UBUNTU,
            "apt-get install -y --no-install-recommends -- curl=1",
            &["DL3008"],
        );
        run_gives(
            UBUNTU,
            "apt-get install -y --no-install-recommends curl=1 \"$PKG\"",
            &["DL3008"],
        );
        run_gives(
            UBUNTU,
            "apt-get install -y --no-install-recommends curl=\"${V}\"",
            &[],
        );
        run_gives(
            UBUNTU,
            "apt-get install -y -o APT::Install-Recommends=\"false\" curl=1",
            &[],
        );
    }

    #[test]
    fn apt_get_yes_and_quiet_levels() {
        run_gives(
            UBUNTU,
            "apt-get install --assume-yes --no-install-recommends curl=1",
            &[],
        );
        run_gives(
            UBUNTU,
            "apt-get install --yes --no-install-recommends curl=1",
            &[],
        );
        // Quiet level 2 implies -y; 1 and 3 do not.
        run_gives(
            UBUNTU,
            "apt-get install -qq --no-install-recommends curl=1",
            &[],
        );
        run_gives(
            UBUNTU,
            "apt-get -q install -q --no-install-recommends curl=1",
            &[],
        );
        run_gives(
            UBUNTU,
            "apt-get install -q=2 --no-install-recommends curl=1",
            &[],
        );
        run_gives(
            UBUNTU,
            "apt-get install --quiet --quiet --no-install-recommends curl=1",
            &[],
        );
        run_gives(
            UBUNTU,
            "apt-get install -q --no-install-recommends curl=1",
            &["DL3014"],
        );
        run_gives(
            UBUNTU,
            "apt-get install -qqq --no-install-recommends curl=1",
            &["DL3014"],
        );
        run_gives(
            UBUNTU,
            "apt-get install --force-yes --no-install-recommends curl=1",
            &["DL3014"],
        );
    }

    #[test]
    fn command_names_as_hadolint_sees_them() {
        let all = ["DL3008", "DL3014", "DL3015"];
        for hit in [
            "(apt-get install curl) && echo $(apt-get install wget)",
            "DEBIAN_FRONTEND=noninteractive apt-get install curl",
            "if [ x ]; then apt-get install curl; fi",
            "for p in a b; do apt-get install $p; done",
            "command apt-get install curl",
            "exec -a x apt-get install curl",
            "run apt-get install curl",
            "\"apt-get\" install curl",
            "time -p apt-get install curl",
            "echo | ! apt-get install curl",
            "echo `apt-get install curl`",
        ] {
            run_gives(UBUNTU, hit, &all);
        }
        for miss in [
            "sudo apt-get install curl",
            "/usr/bin/apt-get install curl",
            "sh -c 'apt-get install curl'",
            "xargs apt-get install < list",
            "command -v apt-get install curl",
            "$APT install curl",
            "\"time\" apt-get install curl",
            // ShellCheck rejects the script, so hadolint sees no command at all.
            "apt-get install curl 'unterminated",
            "apt-get install curl &&",
        ] {
            run_gives(UBUNTU, miss, &[]);
        }
        // ShellCheck stops quietly at a stray closing token and keeps what came before.
        run_gives(UBUNTU, "apt-get install curl; fi", &all);
        run_gives(UBUNTU, "echo ) ; apt-get install curl", &[]);
        run_gives(
            UBUNTU,
            "apt-get install -y --no-install-recommends x=1; fi; apt-get install y",
            &[],
        );
        // The SHELL does not matter to hadolint's package rules.
        file_gives(
            "FROM ubuntu:22.04\nSHELL [\"pwsh\", \"-c\"]\nRUN apt-get install curl\n",
            &["DL3008@3", "DL3014@3", "DL3015@3"],
        );
        // Exec form is read as its words joined.
        run_gives(UBUNTU, "[\"apt-get\", \"install\", \"curl\"]", &all);
    }

    #[test]
    fn apt_front_end() {
        run_gives(UBUNTU, "apt install curl", &["DL3027"]);
        run_gives(UBUNTU, "apt-cache policy curl", &[]);
        file_gives(
            "FROM ubuntu:22.04\nONBUILD RUN apt install x\n",
            &["DL3027@2"],
        );
    }

    #[test]
    fn apt_lists_cleanup_in_shipped_stages() {
        file_gives("FROM ubuntu:22.04\nRUN apt-get update\n", &["DL3009@2"]);
        file_gives("FROM ubuntu:22.04\nRUN aptitude update\n", &["DL3009@2"]);
        file_gives(
            "FROM ubuntu:22.04\nRUN apt update\n",
            &["DL3009@2", "DL3027@2"],
        );
        // Unlike the other cache rules, the cleanup may come first.
        file_gives(
            "FROM ubuntu:22.04\nRUN rm -rf /var/lib/apt/lists/* && apt-get update\n",
            &[],
        );
        // Any `rm -rf`, or `rm` of the lists, counts as cleaning up (as in hadolint).
        file_gives(
            "FROM ubuntu:22.04\nRUN apt-get update && rm -rf /tmp\n",
            &[],
        );
        file_gives(
            "FROM ubuntu:22.04\nRUN apt-get update && rm /var/lib/apt/lists/*\n",
            &[],
        );
        // A stage that is neither last nor used by a later FROM does not ship.
        file_gives(
            "FROM ubuntu:22.04 AS build\nRUN apt-get update\nFROM ubuntu:22.04 AS b\nCOPY --from=build /x /x\n",
            &[],
        );
        file_gives(
            "FROM ubuntu:22.04 AS build\nRUN apt-get update\nFROM docker.io/build:1\n",
            &["DL3009@2"],
        );
        // Aliases compare case-sensitively; identical FROM lines count as the last stage.
        file_gives("FROM ubuntu:22.04 AS a\nRUN apt-get update\nFROM A\n", &[]);
        file_gives(
            "FROM ubuntu:22.04\nRUN apt-get update\nFROM ubuntu:22.04\nRUN true\n",
            &["DL3009@2"],
        );
        file_gives(
            "FROM --platform=linux/amd64 ubuntu:22.04\nRUN apt-get update\nFROM ubuntu:22.04\n",
            &[],
        );
        // Cache or tmpfs mounts over the lists, or over both apt directories.
        for mounts in [
            "--mount=type=cache,target=/var/lib/apt/lists",
            "--mount=type=tmpfs,target=/x/var/lib/apt/lists",
            "--mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt",
        ] {
            file_gives(
                &format!("FROM ubuntu:22.04\nRUN {mounts} apt-get update\n"),
                &[],
            );
        }
        file_gives(
            "FROM ubuntu:22.04\nRUN --mount=type=cache,target=/var/lib/apt apt-get update\n",
            &["DL3009@2"],
        );
        file_gives(
            "FROM ubuntu:22.04\nRUN --mount=type=bind,target=/var/lib/apt/lists apt-get update\n",
            &["DL3009@2"],
        );
        // ONBUILD triggers are checked on their own.
        file_gives(
            "FROM ubuntu:22.04\nONBUILD RUN apt-get update\nFROM debian:12\n",
            &["DL3009@2"],
        );
    }

    #[test]
    fn heredoc_runs() {
        file_gives(
            "FROM ubuntu:22.04\nRUN <<EOF\napt-get install curl\nEOF\n",
            &["DL3008@2", "DL3014@2", "DL3015@2"],
        );
        // hadolint keeps the words after the marker as the first script line.
        file_gives(
            "FROM ubuntu:22.04\nRUN <<EOF apt-get install curl\nx\nEOF\n",
            &["DL3008@2", "DL3014@2", "DL3015@2"],
        );
        file_gives(
            "FROM ubuntu:22.04\nRUN <<EOF\napt-get update\nrm -rf /var/lib/apt/lists/*\nEOF\n",
            &[],
        );
        // A here-document fed to a command is data.
        file_gives(
            "FROM ubuntu:22.04\nRUN bash <<EOF\napt-get install curl\nEOF\n",
            &[],
        );
        file_gives(
            "FROM ubuntu:22.04\nRUN cat <<EOF > /x\napt-get install curl\nEOF\n",
            &[],
        );
    }

    const PY: &str = "python:3";

    #[test]
    fn pip_pinning() {
        run_gives(PY, "pip install --no-cache-dir foo==1.0", &[]);
        run_gives(PY, "pip install --no-cache-dir foo", &["DL3013"]);
        for pinned in [
            "\"foo>=1\" 'bar<2' 'baz~=1' 'q!=1'",
            "-r requirements.txt",
            "--requirement requirements.txt foo",
            ". foo",
            "-e .",
            "-c constraints.txt foo",
            "--constraint=c.txt foo",
            "git+https://x/y.git@v1.0 ./dist/foo.whl foo.tar.gz /src/foo",
            "foo@https://x/foo.zip",
            "--index-url https://x foo==1",
            // The word after -e/-i/-t… is taken as the flag's value.
            "-ihttps://x foo",
            "-e. foo",
        ] {
            run_gives(PY, &format!("pip install --no-cache-dir {pinned}"), &[]);
        }
        for unpinned in [
            "--upgrade pip",
            "--index-url=https://x foo",
            "--requirement=req.txt foo",
            "git+https://x/z.git",
            "gitpython",
            "foo.zip",
            "bar[x]",
            "-- foo",
        ] {
            run_gives(
                PY,
                &format!("pip install --no-cache-dir {unpinned}"),
                &["DL3013"],
            );
        }
        run_gives(PY, "pip3 install --no-cache-dir foo", &["DL3013"]);
        run_gives(
            PY,
            "python3.11 -m pip install --no-cache-dir foo",
            &["DL3013"],
        );
        run_gives(PY, "pipx install foo", &["DL3013"]);
        run_gives(PY, "pipenv install foo", &[]);
        run_gives(PY, "/usr/bin/pip install foo", &[]);
    }

    #[test]
    fn pip_cache() {
        run_gives(PY, "pip install foo==1", &["DL3042"]);
        run_gives(PY, "pip install foo==1 --no-cache-dir", &[]);
        run_gives(PY, "pip install --no-cache-dir=1 foo==1", &["DL3042"]);
        run_gives(PY, "python3 -m pip install foo==1", &["DL3042"]);
        run_gives(PY, "python -m pipx install foo", &[]);
        run_gives(PY, "pip install foo==1 && echo --no-cache-dir", &["DL3042"]);
        // hadolint searches the script text for a truthy PIP_NO_CACHE_DIR.
        run_gives(PY, "PIP_NO_CACHE_DIR=1 pip install foo==1", &[]);
        run_gives(
            PY,
            "export PIP_NO_CACHE_DIR=true && pip install foo==1",
            &[],
        );
        run_gives(
            PY,
            "pip install foo==1 && PIP_NO_CACHE_DIR=0 true",
            &["DL3042"],
        );
        for mount in [
            "type=cache,target=/root/.cache/pip",
            "type=tmpfs,target=/root/.cache/pip",
        ] {
            run_gives(PY, &format!("--mount={mount} pip install foo==1"), &[]);
        }
        run_gives(
            PY,
            "--mount=type=cache,target=/tmp pip install foo==1",
            &["DL3042"],
        );
        // ENV in the stage or an ancestor stage; the first truthy value sticks.
        let env =
            |v: &str| format!("FROM python:3\nENV PIP_NO_CACHE_DIR={v}\nRUN pip install foo==1\n");
        file_gives(&env("1"), &[]);
        file_gives(&env("\"yes\""), &[]);
        file_gives(&env("0"), &["DL3042@3"]);
        file_gives(&env("false"), &["DL3042@3"]);
        file_gives(
            "FROM python:3 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM a\nRUN pip install foo==1\n",
            &[],
        );
        file_gives(
            "FROM python:3 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3\nRUN pip install foo==1\n",
            &["DL3042@4"],
        );
        file_gives(
            "FROM python:3\nARG PIP_NO_CACHE_DIR=1\nRUN pip install foo==1\n",
            &["DL3042@3"],
        );
        file_gives(
            "FROM python:3\nENV PIP_NO_CACHE_DIR=1\nONBUILD RUN pip install foo==1\n",
            &["DL3042@3"],
        );
        file_gives(
            "FROM python:3\nONBUILD ENV PIP_NO_CACHE_DIR=1\nONBUILD RUN pip install foo==1\n",
            &[],
        );
    }

    #[test]
    fn npm_pinning() {
        const NODE: &str = "node:20";
        for ok in [
            "npm install",
            "npm ci",
            "npm i express",
            "npm install -g express@4",
            "npm install @scope/pkg@1.0 express@latest",
            "npm install git+ssh://git@github.com:x/y.git#abc",
            "npm install ./local ../up /abs ~/home foo.tgz bar.tar.gz baz.tar",
            "npm --prefix /app install",
            "npm install --loglevel warn",
            "npm install --registry https://x express@1",
        ] {
            run_gives(NODE, ok, &[]);
        }
        for bad in [
            "npm install express",
            "npm -g install express",
            "npm install @types/node",
            "npm install @my-scope/pkg",
            "npm install git+https://github.com/x/y.git",
            "npm install --save-dev express",
            "npm install --loglevel=warn xval",
            "npm --loglevel warn install express",
        ] {
            run_gives(NODE, bad, &["DL3016"]);
        }
    }

    #[test]
    fn apk_rules() {
        const ALPINE: &str = "alpine:3";
        run_gives(ALPINE, "apk add --no-cache foo=1.0", &[]);
        run_gives(ALPINE, "apk add foo", &["DL3018", "DL3019"]);
        run_gives(
            ALPINE,
            "apk --no-cache add foo=1 ./x.apk http://x/y.apk",
            &[],
        );
        run_gives(ALPINE, "apk add --no-cache foo~1.0 'bar>=1' 'baz<2'", &[]);
        run_gives(ALPINE, "apk add --no-cache bar@edge", &["DL3018"]);
        run_gives(ALPINE, "apk add --no-cache ./x", &["DL3018"]);
        run_gives(
            ALPINE,
            "apk add --no-cache --virtual .build-deps foo=1",
            &[],
        );
        run_gives(ALPINE, "apk add --no-cache --virtual=.d foo", &["DL3018"]);
        run_gives(ALPINE, "apk add --no-cache=true foo=1", &[]);
        run_gives(
            ALPINE,
            "--mount=type=cache,target=/var/cache/apk apk add foo=1",
            &[],
        );
        run_gives(
            ALPINE,
            "--mount=type=cache,target=/etc/apk/cache apk add foo=1",
            &["DL3019"],
        );
    }

    #[test]
    fn gem_pinning() {
        const RUBY: &str = "ruby:3";
        for ok in [
            "gem install rails:7.0",
            "gem install rails -v 7.0",
            "gem install rails --version=7",
            "gem install rails -- --version 7",
            // Every option is taken to consume the next word.
            "gem install -v7 rails",
            "gem install --no-document rails",
            "gem install --no-document -- rails",
        ] {
            run_gives(RUBY, ok, &[]);
        }
        for bad in [
            "gem install rails",
            "gem i rails",
            "gem install -N rails bundler",
            "gem install rails -v=7",
            "gem install ./x.gem",
        ] {
            run_gives(RUBY, bad, &["DL3028"]);
        }
    }

    #[test]
    fn yum_rules() {
        const CENTOS: &str = "centos:7";
        run_gives(CENTOS, "yum install -y foo-1.0 && yum clean all", &[]);
        run_gives(CENTOS, "yum install foo", &["DL3030", "DL3032", "DL3033"]);
        run_gives(CENTOS, "yum groupinstall foo", &["DL3030"]);
        run_gives(
            CENTOS,
            "yum --assumeyes install foo-1.0 && yum clean metadata",
            &[],
        );
        // Any `rm -rf` counts as cleaning; a cache mount does not.
        run_gives(CENTOS, "yum install -y foo-1.0 && rm -rf /tmp", &[]);
        run_gives(
            CENTOS,
            "--mount=type=cache,target=/var/cache/yum yum install -y foo-1.0",
            &["DL3032"],
        );
        for bad in [
            "foo",
            "foo-bar",
            "foo.rpm",
            "foo-1*",
            "foo-~1",
            "foo-{a,b}",
            "--enablerepo epel foo-1",
        ] {
            run_gives(
                CENTOS,
                &format!("yum install -y {bad} && yum clean all"),
                &["DL3033"],
            );
        }
        for ok in [
            "foo-1.0-1.el8 bar-2.x86_64",
            "foo-1:2.3",
            "foo-1.0.rpm",
            "foo-1{a,b}",
            "foo-a-1",
        ] {
            run_gives(
                CENTOS,
                &format!("yum install -y {ok} && yum clean all"),
                &[],
            );
        }
        run_gives(
            CENTOS,
            "yum module install -y nodejs && yum clean all",
            &["DL3033"],
        );
        run_gives(
            CENTOS,
            "yum module install -y nodejs:14 && yum clean all",
            &[],
        );
        run_gives(
            CENTOS,
            "yum group install -y foo && yum clean all",
            &["DL3033"],
        );
    }

    #[test]
    fn rpm_versions_from_variables() {
        let dnf = |pre: &str, pkg: &str| {
            format!("FROM fedora:39\n{pre}RUN dnf install -y {pkg} && dnf clean all\n")
        };
        file_gives(&dnf("", "foo-${V}"), &["DL3041@2"]);
        file_gives(&dnf("ENV V=1\n", "foo-${V}"), &[]);
        file_gives(&dnf("ENV V=abc\n", "foo-$V"), &[]);
        file_gives(&dnf("ARG V\n", "foo-\"$V\"-bar"), &[]);
        file_gives(&dnf("ENV V=1\n", "foo-${V:-1}"), &["DL3041@3"]);
        file_gives(&dnf("ENV V=1\n", "foo-$VX"), &["DL3041@3"]);
        file_gives(&dnf("ENV V=1\n", "foo$V"), &["DL3041@3"]);
        // Command substitutions render as their words; backticks and arithmetic as ${VAR}.
        file_gives(&dnf("ENV echo=1\n", "foo-$(echo)"), &[]);
        file_gives(&dnf("ENV VAR=1\n", "foo-`date`"), &[]);
        file_gives(&dnf("ENV VAR=1\n", "foo-$(date)"), &["DL3041@3"]);
        // ENV is per stage (inherited through FROM <alias>); ARG lasts for the file, but only
        // the first name of an ARG is seen.
        file_gives(
            "FROM fedora:39\nENV V=1\nFROM fedora:39\nRUN dnf install -y foo-${V} && dnf clean all\n",
            &["DL3041@4"],
        );
        file_gives(
            "FROM fedora:39 AS a\nENV V=1\nFROM a\nRUN dnf install -y foo-${V} && dnf clean all\n",
            &[],
        );
        file_gives(
            "ARG V=1\nFROM fedora:39\nRUN dnf install -y foo-${V} && dnf clean all\n",
            &[],
        );
        file_gives(
            "FROM fedora:39\nARG A=1 B=2\nRUN dnf install -y foo-${B} && dnf clean all\n",
            &["DL3041@3"],
        );
        file_gives(
            "FROM centos:7\nENV V=1\nRUN yum install -y foo-${V} && yum clean all\n",
            &[],
        );
    }

    #[test]
    fn dnf_rules() {
        const FEDORA: &str = "fedora:39";
        run_gives(FEDORA, "dnf install -y foo-1.0 && dnf clean all", &[]);
        run_gives(
            FEDORA,
            "microdnf install foo",
            &["DL3038", "DL3040", "DL3041"],
        );
        run_gives(FEDORA, "dnf localinstall foo.rpm", &["DL3038"]);
        // DL3040 reacts to these subcommands, not to `update`.
        for sub in [
            "upgrade",
            "upgrade-minimal",
            "reinstall foo",
            "in foo",
            "up",
        ] {
            run_gives(FEDORA, &format!("dnf -y {sub}"), &["DL3040"]);
        }
        run_gives(FEDORA, "dnf update -y", &[]);
        run_gives(FEDORA, "dnf install -y foo-1.0 && rm -rf /tmp", &[]);
        run_gives(
            FEDORA,
            "dnf install -y foo-1.0 && rm /var/cache/libdnf5*",
            &[],
        );
        run_gives(
            FEDORA,
            "dnf install -y foo-1.0 && rm /var/cache/yum/*",
            &["DL3040"],
        );
        run_gives(
            FEDORA,
            "dnf install -y foo-1 && microdnf install -y bar-1 && dnf clean all",
            &["DL3040"],
        );
        run_gives(
            FEDORA,
            "--mount=type=cache,target=/var/cache/libdnf5 dnf install -y foo-1",
            &[],
        );
        run_gives(
            FEDORA,
            "--mount=type=cache,target=/var/cache/dnf dnf install -y foo-1",
            &["DL3040"],
        );
        run_gives(
            FEDORA,
            "dnf module install -y nodejs && dnf clean all",
            &["DL3041"],
        );
        run_gives(FEDORA, "dnf group install -y foo && dnf clean all", &[]);
        run_gives(
            FEDORA,
            "dnf install -y https://x/y.rpm && dnf clean all",
            &["DL3041"],
        );
        run_gives(
            FEDORA,
            "dnf install -y foo-é1 && dnf clean all",
            &["DL3041"],
        );
    }

    #[test]
    fn zypper_rules() {
        const SUSE: &str = "opensuse/leap:15";
        run_gives(SUSE, "zypper install -y foo=1.0 && zypper clean", &[]);
        run_gives(SUSE, "zypper install foo", &["DL3034", "DL3036", "DL3037"]);
        run_gives(
            SUSE,
            "zypper --non-interactive install 'foo>=1' foo.rpm && zypper cc",
            &[],
        );
        run_gives(
            SUSE,
            "zypper -n install foo-1.0 && zypper clean",
            &["DL3037"],
        );
        run_gives(SUSE, "zypper rm foo", &["DL3034"]);
        run_gives(SUSE, "zypper --non-interactive dup", &["DL3035"]);
        run_gives(
            SUSE,
            "--mount=type=cache,target=/var/cache/zypp zypper install -y foo=1",
            &[],
        );
        run_gives(
            SUSE,
            "zypper install -y foo=1 && rm -rf /var/cache/zypp",
            &["DL3036"],
        );
    }

    #[test]
    fn cache_cleanup_must_follow_the_install() {
        run_gives(
            "centos:7",
            "yum clean all && yum install -y foo-1",
            &["DL3032"],
        );
        run_gives(
            "centos:7",
            "yum install -y clean foo-1",
            &["DL3032", "DL3033"],
        );
        run_gives(
            "centos:7",
            "yum clean all $(yum install -y foo-1)",
            &["DL3032"],
        );
        run_gives(
            "centos:7",
            "yum install -y foo-1 && yum clean all && yum install -y bar-1",
            &[],
        );
        run_gives(
            "fedora:39",
            "rm -rf /tmp && dnf install -y foo-1",
            &["DL3040"],
        );
        run_gives(
            "fedora:39",
            "dnf upgrade -y && dnf clean all && dnf install -y foo-1",
            &[],
        );
        run_gives(
            "opensuse/leap:15",
            "zypper clean && zypper install -y foo=1",
            &["DL3036"],
        );
        run_gives(
            "opensuse/leap:15",
            "zypper install -y cc foo=1",
            &["DL3036", "DL3037"],
        );
        // Only the first cleanup counts.
        run_gives(
            "opensuse/leap:15",
            "zypper clean && zypper install -y foo=1 && zypper clean",
            &["DL3036"],
        );
        run_gives(
            "fedora:39",
            "microdnf clean all && dnf install -y foo-1 && dnf clean all",
            &[],
        );
        // yarn accepts the cleanup in the install command itself.
        file_gives("FROM node:20\nRUN yarn install cache clean\n", &[]);
        file_gives(
            "FROM node:20\nRUN yarn cache clean && yarn install\n",
            &["DL3060@2"],
        );
        file_gives(
            "FROM node:20\nRUN yarn clean && yarn install clean\n",
            &["DL3060@2"],
        );
    }

    #[test]
    fn yarn_cache() {
        file_gives("FROM node:20\nRUN yarn install\n", &["DL3060@2"]);
        file_gives("FROM node:20\nRUN yarn install && yarn cache clean\n", &[]);
        file_gives("FROM node:20\nRUN yarn\n", &[]);
        file_gives(
            "FROM node:20\nRUN yarn install && rm -rf /usr/local/share/.cache/yarn\n",
            &["DL3060@2"],
        );
        file_gives(
            "FROM node:20\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n",
            &[],
        );
        file_gives(
            "FROM node:20 AS build\nRUN yarn install\nFROM node:20 AS x\n",
            &[],
        );
        file_gives(
            "FROM node:20 AS build\nRUN yarn install\nFROM build\n",
            &["DL3060@2"],
        );
        file_gives("FROM node:20\nONBUILD RUN yarn install\n", &["DL3060@2"]);
    }

    #[test]
    fn go_pinning() {
        const GO: &str = "golang:1";
        for ok in [
            "go install foo@v1 bar@v2",
            "go install ./cmd/... && go install .",
            "go run foo@v1 arg1 arg2",
            "go install -ldflags \"-s\" foo@v1",
            // With a `go run` in the RUN, only its module is looked at.
            "go run foo@v1 && go install bar",
            "go build ./... && go mod download",
            "go get",
        ] {
            run_gives(GO, ok, &[]);
        }
        for bad in [
            "go install foo",
            "go install foo@latest",
            "go get foo@none",
            "go run foo arg1",
            "go run main.go",
            "go install -tags x foo@v1",
            "go get -u foo@v1 bar",
            "go tool install foo",
        ] {
            run_gives(GO, bad, &["DL3062"]);
        }
    }

    #[test]
    fn hadolint_no_longer_emits_upgrade_rules() {
        run_gives(
            UBUNTU,
            "apt-get update && apt-get -y dist-upgrade && rm -rf /var/lib/apt/lists/*",
            &[],
        );
        run_gives("alpine:3", "apk upgrade", &[]);
        run_gives("centos:7", "yum update -y", &[]);
    }

    #[test]
    fn word_rendering() {
        use super::render;
        assert_eq!(render("curl=\"${V}\""), "curl=${V}");
        assert_eq!(render("foo-$V"), "foo-${V}");
        assert_eq!(render("'${V}'"), "${V}");
        assert_eq!(render("\\${V}"), "${V}");
        assert_eq!(render("foo-{a,b}"), "foo-");
        assert_eq!(render("foo-{a}"), "foo-{a}");
        assert_eq!(render("$(echo 1)"), "${echo1}");
        assert_eq!(render("`x`$((1+2))"), "${VAR}${VAR}");
        assert_eq!(render("a\"b\\\"c\"'d'"), "ab\"cd");
        // Unterminated and hostile input renders without panicking.
        for raw in [
            "$(", "${", "'", "\"", "`", "$((", "{,", "\\", "$'a", "$\"a", "é$é",
        ] {
            let _ = render(raw);
        }
        let deep = "$(".repeat(2000) + &")".repeat(2000);
        let _ = render(&deep);
    }

    #[test]
    fn base_image_references() {
        use super::parse_reference;
        let r = parse_reference("my.reg:5000/team/app:1.2@sha256:abc");
        assert_eq!(r.registry.as_deref(), Some("my.reg:5000"));
        assert_eq!(r.name, "team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = parse_reference("localhost:5000/app");
        assert_eq!(r.registry, None);
        assert_eq!(r.name, "localhost");
        let r = parse_reference("ubuntu");
        assert_eq!((r.name.as_str(), r.tag.as_deref()), ("ubuntu", None));
    }

    #[test]
    fn hostile_runs_do_not_panic() {
        for run in [
            "<<",
            "<<EOF",
            "--mount= x",
            "apt-get install ))))((((",
            "fi fi fi ; ;; ) } done",
            "é ) é ; fi é",
            "apt-get install $'\\",
        ] {
            if let Ok(df) = crate::parse(&format!("FROM x\nRUN {run}\n")) {
                let _ = lint("Dockerfile", &df, &LintConfig::default());
            }
        }
        let long = "apt-get install x; ".repeat(5000) + "fi";
        let _ = found(&format!("FROM x\nRUN {long}\n"));
        let started = std::time::Instant::now();
        let nested = "echo $(apt-get install ".repeat(3000) + &")".repeat(3000);
        let _ = found(&format!("FROM x\nRUN {nested}\n"));
        let backticks = "apt-get install `echo \\`".repeat(3000);
        let _ = found(&format!("FROM x\nRUN {backticks}\n"));
        assert!(
            started.elapsed().as_secs() < 20,
            "took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn large_input_stays_fast() {
        let started = std::time::Instant::now();
        let packages = (0..50_000)
            .map(|i| format!("p{i}-${{V{i}}}"))
            .collect::<Vec<_>>();
        let envs = (0..300)
            .map(|i| format!("ENV V{i}=1\n"))
            .collect::<String>();
        let braces = "{".repeat(50_000);
        let src = format!(
            "FROM fedora:39\n{envs}RUN dnf install -y {} && apt-get install {braces} && dnf clean all\n",
            packages.join(" ")
        );
        let hits = found(&src);
        assert!(hits.contains(&"DL3041@302".to_string()), "{hits:?}");
        assert!(
            started.elapsed().as_secs() < 20,
            "took {:?}",
            started.elapsed()
        );
    }
}
