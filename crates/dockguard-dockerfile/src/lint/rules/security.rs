//! dockguard's security rules (`DG1…`): credentials in the Dockerfile, risky `RUN` commands,
//! the user the image runs as, and what ends up in the final image's layers.
//!
//! "The final image" is the last stage plus the stages it is built `FROM` (a stage named in
//! `FROM builder` passes its whole filesystem, user and exposed ports on). Other stages only
//! matter through what `COPY --from` takes out of them.

use super::RuleFn;
use crate::ast::{Instruction, Keyword};
use crate::buildctx::{glob_matches, secret_file_kind};
use crate::expand::has_variable;
use crate::lint::{Context, Hits};
use crate::shell::{self, Script, Word};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::OnceLock;

pub(super) const RULES: &[RuleFn] = &[
    secrets_in_values,
    secrets_in_run,
    secret_build_args,
    remote_script_to_shell,
    risky_file_modes,
    run_flags,
    ssh_port,
    final_user_root,
    base_not_pinned,
    lonely_update,
    cache_order,
    remote_add_without_checksum,
    secret_files_copied,
    attack_tools,
    verification_disabled,
];

// ---------------------------------------------------------------------------------------------
// Shared helpers

/// Shows enough of a secret to find it, never the secret itself.
fn redact(secret: &str) -> String {
    let head: String = secret.chars().take(4).collect();
    format!("{head}…")
}

/// Stage indices that make up the final image, ancestors first.
fn final_chain(cx: &Context) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut next = cx.stages().len().checked_sub(1);
    while let Some(s) = next {
        // A malformed self-reference cannot loop: parents are always earlier stages.
        if chain.contains(&s) || chain.len() > cx.stages().len() {
            break;
        }
        chain.push(s);
        next = cx
            .stages()
            .get(s)
            .and_then(|st| st.parent)
            .filter(|&p| p < s);
    }
    chain.reverse();
    chain
}

/// Instruction indices of the final image's stages, in build order.
fn final_instructions(cx: &Context) -> Vec<usize> {
    final_chain(cx)
        .into_iter()
        .filter_map(|s| cx.stages().get(s))
        .flat_map(|st| st.instructions.clone())
        .collect()
}

/// The instruction itself, or the one an `ONBUILD` wraps, when it has this keyword.
fn direct_or_onbuild(instruction: &Instruction, keyword: Keyword) -> Option<&Instruction> {
    if instruction.keyword == keyword {
        return Some(instruction);
    }
    match &instruction.sub {
        Some(sub) if instruction.keyword == Keyword::Onbuild && sub.keyword == keyword => Some(sub),
        _ => None,
    }
}

/// Sources and destination of a `COPY`/`ADD`, expanded; heredoc sources are left out.
fn copy_paths(cx: &Context, index: usize, instruction: &Instruction) -> (Vec<String>, String) {
    let mut words: Vec<String> = instruction
        .args
        .iter()
        .map(|a| cx.expand(index, a))
        .collect();
    let dest = words.pop().unwrap_or_default();
    words.retain(|w| !w.starts_with("<<") && !w.is_empty());
    (words, dest)
}

/// Quote and escape removal without variable expansion (for ENV/LABEL/ARG values).
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
                if d == escape && matches!(chars.peek(), Some('"' | '$')) {
                    if let Some(n) = chars.next() {
                        out.push(n);
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

/// The line of the first occurrence of `needle` in the instruction's text.
fn line_of_text(instruction: &Instruction, needle: &str) -> u32 {
    match instruction.rest.find(needle) {
        Some(offset) if !needle.is_empty() => instruction.line_of(offset),
        _ => instruction.start_line,
    }
}

/// ` (line N)` when a finding reported at the instruction's first line is really on a later
/// continuation line; findings stay on the first line so that ignore pragmas apply.
fn at_line(instruction: &Instruction, line: u32) -> String {
    if line > instruction.start_line {
        format!(" (line {line})")
    } else {
        String::new()
    }
}

/// Every script a RUN executes: its command line, heredoc scripts, and `sh -c '…'` strings
/// (two levels deep).
fn run_scripts(cx: &Context, index: usize) -> Vec<Script> {
    let Some(run) = cx.run(index) else {
        return Vec::new();
    };
    let mut out: Vec<Script> = run.scripts().cloned().collect();
    let mut start = 0;
    for _ in 0..2 {
        let end = out.len();
        let mut inner = Vec::new();
        for script in out.get(start..end).unwrap_or_default() {
            inner.extend(
                script
                    .commands
                    .iter()
                    .filter_map(shell::Command::inline_script),
            );
        }
        out.extend(inner);
        start = end;
    }
    out
}

/// A command with wrappers such as `sudo` and `env` removed.
struct Cmd<'a> {
    name: &'a str,
    args: &'a [Word],
}

impl<'a> Cmd<'a> {
    fn of(command: &'a shell::Command) -> Cmd<'a> {
        let (name, args) = command.effective_command();
        Cmd {
            name: shell::basename(name),
            args,
        }
    }

    /// Arguments that are not flags, skipping the values of the flags in `value_flags`.
    fn positional(&self, value_flags: &[&str]) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut iter = self.args.iter();
        let mut after_dashes = false;
        while let Some(w) = iter.next() {
            let v = w.value.as_str();
            if after_dashes || v == "-" || !v.starts_with('-') {
                out.push(v);
            } else if v == "--" {
                after_dashes = true;
            } else if let Some(long) = v.strip_prefix("--") {
                if !long.contains('=') && value_flags.contains(&long) {
                    iter.next();
                }
            } else if v.len() == 2 && value_flags.contains(&&v[1..]) {
                iter.next();
            }
        }
        out
    }

    fn has_flag(&self, short: char, long: &str) -> bool {
        self.args.iter().any(|w| {
            let v = w.value.as_str();
            v.strip_prefix("--").map_or_else(
                || v.len() > 1 && v.starts_with('-') && v[1..].contains(short),
                |l| l == long,
            )
        })
    }
}

/// Commands of every script of a RUN, wrappers stripped.
fn each_command<'s>(scripts: &'s [Script]) -> impl Iterator<Item = Cmd<'s>> + 's {
    scripts.iter().flat_map(|s| s.commands.iter()).map(Cmd::of)
}

// ---------------------------------------------------------------------------------------------
// Secrets

/// Credential formats with a recognisable shape. Each entry: what it is, the pattern, and
/// whether the match must mix letters and digits (for formats whose prefix is common text).
fn token_patterns() -> &'static [(&'static str, Regex, bool)] {
    static PATTERNS: OnceLock<Vec<(&'static str, Regex, bool)>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let table: &[(&str, &str, bool)] = &[
            ("private key", r"-----BEGIN[A-Z ]{0,20} PRIVATE KEY( BLOCK)?-----", false),
            ("AWS access key id", r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b", false),
            ("GitHub token", r"\bgh[opsur]_[A-Za-z0-9]{36,}\b", false),
            ("GitHub token", r"\bgithub_pat_[A-Za-z0-9_]{50,}\b", false),
            ("GitLab token", r"\bglpat-[A-Za-z0-9_-]{20,}", false),
            ("Slack token", r"\bxox[baprs]-[A-Za-z0-9-]{10,}", false),
            ("Stripe key", r"\b[rs]k_live_[A-Za-z0-9]{16,}\b", false),
            ("SendGrid key", r"\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}", false),
            ("npm token", r"\bnpm_[A-Za-z0-9]{36}\b", false),
            ("PyPI token", r"\bpypi-AgEI[A-Za-z0-9_-]{50,}", false),
            ("Docker Hub token", r"\bdckr_pat_[A-Za-z0-9_-]{24,}", false),
            ("Anthropic key", r"\bsk-ant-[A-Za-z0-9_-]{32,}", false),
            ("OpenAI key", r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}", true),
            ("Hugging Face token", r"\bhf_[A-Za-z0-9]{30,}\b", true),
            ("Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b", false),
            ("JSON web token", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", false),
            (
                "AWS secret access key",
                r#"(?i)secret_?access_?key["']?\s*[=:]?\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+]|$)"#,
                false,
            ),
        ];
        table
            .iter()
            .filter_map(|(kind, pattern, mixed)| Regex::new(pattern).ok().map(|r| (*kind, r, *mixed)))
            .collect()
    })
}

fn basic_auth_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r"\b[A-Za-z][A-Za-z0-9+.-]*://([^/\s:@]+):([^/\s@]+)@[A-Za-z0-9\[\]._-]+")
            .unwrap_or_else(|_| Regex::new("$^").expect("trivial regex"))
    })
}

/// One credential found in a text: its kind and the secret part.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    kind: &'static str,
    secret: String,
}

fn find_tokens(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    for (kind, regex, mixed) in token_patterns() {
        for caps in regex.captures_iter(text) {
            let Some(m) = caps.get(1).or_else(|| caps.get(0)) else {
                continue;
            };
            let secret = m.as_str();
            if *mixed
                && !(secret.bytes().any(|b| b.is_ascii_digit())
                    && secret.bytes().any(|b| b.is_ascii_alphabetic()))
            {
                continue;
            }
            // `sk-ant-…` also matches the OpenAI shape; report it once, as Anthropic's.
            if *kind == "OpenAI key" && secret.starts_with("sk-ant-") {
                continue;
            }
            if !out.iter().any(|t| t.secret == secret) {
                out.push(Token {
                    kind,
                    secret: secret.to_string(),
                });
            }
        }
    }
    for caps in basic_auth_pattern().captures_iter(text) {
        let Some(password) = caps.get(2).map(|m| m.as_str()) else {
            continue;
        };
        if password.contains(['$', '`']) || is_placeholder(password) {
            continue;
        }
        if !out
            .iter()
            .any(|t| t.secret.contains(password) || password.contains(&t.secret))
        {
            out.push(Token {
                kind: "password in a URL",
                secret: password.to_string(),
            });
        }
    }
    out
}

/// Whether a variable name says it holds a secret: the last word of the name is PASSWORD,
/// SECRET, TOKEN, …, or KEY after API/SECRET/PRIVATE/ACCESS/…. `PASSWORD_FILE`,
/// `TOKEN_URL` or `SECRET_NAME` end in another word and are not secrets themselves.
fn is_secret_name(name: &str) -> bool {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_uppercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    let Some(last) = words.last().map(String::as_str) else {
        return false;
    };
    let before = words
        .len()
        .checked_sub(2)
        .and_then(|i| words.get(i))
        .map(String::as_str);
    match last {
        "PASSWORD" | "PASSWD" | "PASSPHRASE" | "SECRET" | "TOKEN" | "APIKEY" | "CREDENTIALS"
        | "CREDENTIAL" | "CREDS" | "SECRETKEY" | "PRIVATEKEY" | "ACCESSKEY" | "AUTHTOKEN" => true,
        "PASS" | "PWD" => before.is_some(),
        "KEY" => matches!(
            before,
            Some(
                "API"
                    | "SECRET"
                    | "PRIVATE"
                    | "ACCESS"
                    | "ENCRYPTION"
                    | "SIGNING"
                    | "MASTER"
                    | "AUTH"
                    | "SSH"
                    | "GPG"
                    | "LICENSE"
                    | "CLIENT"
                    | "APP"
            )
        ),
        _ => false,
    }
}

/// Values that stand for a secret without being one: empty, a variable reference, a file
/// path, `<…>`/`{{…}}` templates, a run of one character (`xxxx`, `****`), and words such as
/// `none` or `secret`. Default passwords such as `changeme123` are NOT placeholders: they
/// ship in the image and are the first thing an attacker tries.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || v.contains('$') || has_variable(v) {
        return true;
    }
    let templated = (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with("{{") && v.ends_with("}}"))
        || (v.starts_with('%') && v.ends_with('%') && v.len() > 1)
        || (v.starts_with('[') && v.ends_with(']'));
    let path_like = (v.starts_with('/') || v.starts_with("./") || v.starts_with("~/"))
        && !v.contains(char::is_whitespace);
    let mut chars = v.chars();
    let first = chars.next();
    let one_char = chars.all(|c| Some(c) == first);
    let lower = v.to_ascii_lowercase();
    let word = matches!(
        lower.as_str(),
        "none"
            | "null"
            | "nil"
            | "undefined"
            | "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "0"
            | "1"
            | "todo"
            | "tbd"
            | "dummy"
            | "placeholder"
            | "redacted"
            | "secret"
            | "password"
            | "token"
            | "unset"
            | "empty"
            | "default"
            | "-"
    );
    templated || path_like || one_char || word
}

/// DG1001/DG1002: credentials in `ENV`, `ARG` defaults and `LABEL`s, which are stored in the
/// image config or history.
fn secrets_in_values(cx: &Context, hits: &mut Hits) {
    for outer in cx.instructions() {
        let Some(instruction) = [Keyword::Env, Keyword::Arg, Keyword::Label]
            .iter()
            .find_map(|&k| direct_or_onbuild(outer, k))
        else {
            continue;
        };
        if instruction.error.is_some() {
            continue;
        }
        let pairs: Vec<(String, String)> = match instruction.keyword {
            Keyword::Arg => instruction
                .args
                .iter()
                .filter_map(|w| w.split_once('='))
                .map(|(k, v)| (k.to_string(), unquote(v, cx.df.escape)))
                .collect(),
            _ => instruction
                .pairs()
                .into_iter()
                .map(|(k, v)| (unquote(k, cx.df.escape), unquote(v, cx.df.escape)))
                .collect(),
        };
        let keyword = instruction.keyword;
        let where_kept = match keyword {
            Keyword::Env => "ENV values are stored in the image config, readable by anyone who can pull the image",
            Keyword::Arg => "ARG defaults are recorded in the image history of every RUN that follows",
            _ => "labels are stored in the image config, readable by anyone who can pull the image",
        };
        for (name, value) in pairs {
            let line = at_line(outer, line_of_text(instruction, &name));
            let tokens = find_tokens(&value);
            if !tokens.is_empty() {
                for token in tokens {
                    hits.add_msg(
                        "DG1001",
                        outer,
                        format!(
                            "{keyword} {name}{line} contains a {} ({}); {where_kept}",
                            token.kind,
                            redact(&token.secret)
                        ),
                    );
                }
                continue;
            }
            let aws_secret = name.to_ascii_uppercase().contains("SECRET")
                && value.len() == 40
                && value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
                && value
                    .bytes()
                    .any(|b| b.is_ascii_digit() || b == b'/' || b == b'+');
            if aws_secret {
                hits.add_msg(
                    "DG1001",
                    outer,
                    format!(
                        "{keyword} {name}{line} looks like an AWS secret access key ({}); {where_kept}",
                        redact(&value)
                    ),
                );
                continue;
            }
            if is_secret_name(&name) && !is_placeholder(&value) {
                hits.add_msg(
                    "DG1002",
                    outer,
                    format!(
                        "{keyword} {name}{line} is set to a literal value ({}); {where_kept}",
                        redact(&value)
                    ),
                );
            }
        }
    }
}

/// DG1001: credentials written into a RUN command line end up in the image history (and
/// usually in a file of the layer).
fn secrets_in_run(cx: &Context, hits: &mut Hits) {
    for outer in cx.instructions() {
        let Some(run) = direct_or_onbuild(outer, Keyword::Run) else {
            continue;
        };
        let mut seen = BTreeSet::new();
        let bodies = std::iter::once(run.rest.as_str())
            .chain(run.heredocs.iter().map(|h| h.content.as_str()));
        for text in bodies {
            for token in find_tokens(text) {
                if !seen.insert(token.secret.clone()) {
                    continue;
                }
                let line = at_line(outer, line_of_text(run, &token.secret));
                hits.add_msg(
                    "DG1001",
                    outer,
                    format!(
                        "RUN{line} contains a {} ({}); the command line is recorded in the image history",
                        token.kind,
                        redact(&token.secret)
                    ),
                );
            }
        }
    }
}

/// True when the text refers to variable `name` (`$NAME`, `${NAME}`, `${NAME:-…}`).
fn mentions_variable(text: &str, name: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(pos) = text.get(from..).and_then(|t| t.find('$')) {
        let at = from + pos + 1;
        let rest = text.get(at..).unwrap_or("");
        let candidate = rest.strip_prefix('{').unwrap_or(rest);
        if let Some(after) = candidate.strip_prefix(name) {
            let next = after.bytes().next();
            if !next.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return true;
            }
        }
        from = at;
        if from >= bytes.len() {
            break;
        }
    }
    false
}

/// DG1003: a secret passed with `--build-arg`. BuildKit writes every build argument in scope
/// into the history entry of each later RUN of the stage (`|1 NPM_TOKEN=… /bin/sh -c …`),
/// whether or not the command mentions it, so the value can be read from the image.
fn secret_build_args(cx: &Context, hits: &mut Hits) {
    for stage in cx.stages() {
        for index in stage.instructions.clone() {
            let Some(arg) = cx
                .instructions()
                .get(index)
                .filter(|i| i.keyword == Keyword::Arg)
            else {
                continue;
            };
            let runs: Vec<&Instruction> = (index + 1..stage.instructions.end)
                .filter_map(|j| cx.instructions().get(j))
                .filter(|i| i.keyword == Keyword::Run)
                .collect();
            let Some(first_run) = runs.first() else {
                continue;
            };
            for word in &arg.args {
                let name = word.split_once('=').map_or(word.as_str(), |(n, _)| n);
                if !is_secret_name(name) {
                    continue;
                }
                let user = runs.iter().find(|run| {
                    mentions_variable(&run.rest, name)
                        || run
                            .heredocs
                            .iter()
                            .any(|h| mentions_variable(&h.content, name))
                });
                let how = match user {
                    Some(run) => format!("is used by the RUN at line {}", run.start_line),
                    None => format!(
                        "is in scope of the RUN at line {} (even unused)",
                        first_run.start_line
                    ),
                };
                hits.add_msg(
                    "DG1003",
                    arg,
                    format!(
                        "build argument {name} {how}; BuildKit records its value in the image history \
                         (`|1 {name}=… /bin/sh -c …`); pass it with `RUN --mount=type=secret,id={}` instead",
                        name.to_ascii_lowercase()
                    ),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// RUN commands

const SHELL_TARGETS: &[&str] = &[
    "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox", "python", "python3", "perl",
    "ruby", "node",
];

/// DG1004: `curl … | sh`, `sh -c "$(curl …)"`, `bash <(wget …)`.
fn remote_script_to_shell(cx: &Context, hits: &mut Hits) {
    for (index, instruction) in cx.instructions().iter().enumerate() {
        let scripts = run_scripts(cx, index);
        if scripts
            .iter()
            .any(|s| s.has_pipe_from_to(&["curl", "wget", "fetch"], SHELL_TARGETS))
        {
            hits.add_msg(
                "DG1004",
                instruction,
                "a script downloaded at build time is run without being checked; download it, verify its \
                 checksum or signature, then run it",
            );
        }
    }
}

/// What a `chmod` mode grants, for DG1005 and DG1006.
#[derive(Default)]
struct ModeEffects {
    world_writable: bool,
    setid: bool,
}

fn mode_effects(mode: &str) -> ModeEffects {
    let mut effects = ModeEffects::default();
    if !mode.is_empty() && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let digits: Vec<u8> = mode.bytes().map(|b| b - b'0').collect();
        let others = digits.last().copied().unwrap_or(0);
        // The sticky bit (1777, as on /tmp) keeps a shared directory safe.
        let special = if digits.len() >= 4 {
            digits[digits.len() - 4]
        } else {
            0
        };
        effects.world_writable = others & 2 != 0 && special & 1 == 0;
        effects.setid = special & 6 != 0;
        return effects;
    }
    for clause in mode.split(',') {
        let who_end = clause.find(['+', '-', '=']).unwrap_or(clause.len());
        let (who, rest) = clause.split_at(who_end);
        if !who.chars().all(|c| "ugoa".contains(c)) {
            continue;
        }
        let mut op = ' ';
        for c in rest.chars() {
            match c {
                '+' | '-' | '=' => op = c,
                'w' if op != '-' && (who.contains('a') || who.contains('o')) => {
                    effects.world_writable = true
                }
                's' if op != '-' && !who.contains('o') => effects.setid = true,
                _ => {}
            }
        }
    }
    effects
}

/// DG1005 (world-writable modes) and DG1006 (setuid/setgid bits and file capabilities).
fn risky_file_modes(cx: &Context, hits: &mut Hits) {
    for (index, instruction) in cx.instructions().iter().enumerate() {
        let scripts = run_scripts(cx, index);
        let mut writable = BTreeSet::new();
        let mut setid = BTreeSet::new();
        let mut caps = BTreeSet::new();
        for cmd in each_command(&scripts) {
            match cmd.name {
                "chmod" => {
                    let positional = cmd.positional(&["reference"]);
                    let Some(mode) = positional.first() else {
                        continue;
                    };
                    let effects = mode_effects(mode);
                    let words: Vec<&str> = cmd.args.iter().map(|w| w.value.as_str()).collect();
                    let shown = format!("chmod {}", words.join(" "));
                    if effects.world_writable {
                        writable.insert(shown.clone());
                    }
                    if effects.setid {
                        setid.insert(shown);
                    }
                }
                "setcap" => {
                    let positional = cmd.positional(&[]);
                    caps.insert(format!("setcap {}", positional.join(" ")));
                }
                _ => {}
            }
        }
        for what in writable {
            hits.add_msg(
                "DG1005",
                instruction,
                format!("`{what}` makes files writable by every user; any process in the container can change them"),
            );
        }
        for what in setid {
            hits.add_msg(
                "DG1006",
                instruction,
                format!("`{what}` sets the setuid/setgid bit; the program runs with its owner's rights, a path to root"),
            );
        }
        for what in caps {
            hits.add_msg(
                "DG1006",
                instruction,
                format!("`{what}` grants file capabilities; the program gets privileges beyond its user's"),
            );
        }
    }
}

/// DG1007 (`--security=insecure`) and DG1008 (`--network=host`).
fn run_flags(cx: &Context, hits: &mut Hits) {
    for instruction in cx.instructions() {
        let Some(run) = direct_or_onbuild(instruction, Keyword::Run) else {
            continue;
        };
        let value = |name: &str| {
            run.flags_named(name)
                .filter_map(|f| f.value.as_deref())
                .last()
                .map(str::to_ascii_lowercase)
        };
        if value("security").as_deref() == Some("insecure") {
            hits.add_msg(
                "DG1007",
                instruction,
                "RUN --security=insecure runs the step without the sandbox, with all capabilities, like a privileged container",
            );
        }
        if value("network").as_deref() == Some("host") {
            hits.add_msg(
                "DG1008",
                instruction,
                "RUN --network=host lets the step reach the build host's network services (localhost, cloud metadata)",
            );
        }
    }
}

/// DG1012: `apt-get update` (or `apk update`) in a RUN that installs nothing. The cached
/// layer keeps a stale package index that later RUNs install from.
fn lonely_update(cx: &Context, hits: &mut Hits) {
    for (index, instruction) in cx.instructions().iter().enumerate() {
        let scripts = run_scripts(cx, index);
        let mut updates = false;
        let mut installs = false;
        for cmd in each_command(&scripts) {
            let sub = cmd
                .positional(&["o", "c", "t", "X", "repository", "p", "root"])
                .first()
                .copied();
            match (cmd.name, sub) {
                ("apt-get" | "apt" | "aptitude", Some("update")) | ("apk", Some("update")) => {
                    updates = true
                }
                (
                    "apt-get" | "apt" | "aptitude",
                    Some(
                        "install" | "upgrade" | "dist-upgrade" | "full-upgrade" | "build-dep"
                        | "source",
                    ),
                )
                | ("apk", Some("add" | "upgrade" | "fix")) => installs = true,
                _ => {}
            }
        }
        if updates && !installs {
            hits.add_msg(
                "DG1012",
                instruction,
                "package index updated in a RUN of its own: its cached layer keeps a stale index; update and install in the same RUN",
            );
        }
    }
}

/// Packages a command installs: `apt-get install`, `apk add`, `yum/dnf/microdnf/zypper
/// install`, with versions stripped.
fn installed_packages(cmd: &Cmd) -> Vec<String> {
    let (value_flags, verbs): (&[&str], &[&str]) = match cmd.name {
        "apt-get" | "apt" | "aptitude" => {
            (&["o", "t", "c", "target-release", "option"], &["install"])
        }
        "apk" => (
            &[
                "X",
                "repository",
                "t",
                "virtual",
                "p",
                "root",
                "arch",
                "cache-dir",
            ],
            &["add"],
        ),
        "yum" | "dnf" | "microdnf" | "tdnf" => (
            &[
                "c",
                "x",
                "exclude",
                "enablerepo",
                "disablerepo",
                "setopt",
                "installroot",
                "releasever",
            ],
            &["install"],
        ),
        "zypper" => (&["r", "repo", "n"], &["install", "in"]),
        _ => return Vec::new(),
    };
    let positional = cmd.positional(value_flags);
    let Some((verb, packages)) = positional.split_first() else {
        return Vec::new();
    };
    if !verbs.contains(verb) {
        return Vec::new();
    }
    packages
        .iter()
        .map(|p| {
            let end = p.find(['=', '~', '>', '<']).unwrap_or(p.len());
            p[..end].to_string()
        })
        .collect()
}

const ATTACK_TOOLS: &[&str] = &[
    "nmap",
    "ncat",
    "nc",
    "netcat",
    "netcat-openbsd",
    "netcat-traditional",
    "socat",
    "tcpdump",
    "telnet",
    "telnetd",
    "inetutils-telnet",
    "openssh-server",
    "dropbear",
    "masscan",
    "hping3",
    "hydra",
    "john",
    "sqlmap",
    "nikto",
    "wireshark",
    "tshark",
    "ettercap",
    "aircrack-ng",
];

/// DG1017: attack and remote-access tools, or sudo, installed in the final image.
fn attack_tools(cx: &Context, hits: &mut Hits) {
    for index in final_instructions(cx) {
        let Some(instruction) = cx
            .instructions()
            .get(index)
            .filter(|i| i.keyword == Keyword::Run)
        else {
            continue;
        };
        let scripts = run_scripts(cx, index);
        let mut found = BTreeSet::new();
        for cmd in each_command(&scripts) {
            for package in installed_packages(&cmd) {
                let base = package.rsplit('/').next().unwrap_or(&package).to_string();
                if base == "sudo" || ATTACK_TOOLS.contains(&base.as_str()) {
                    found.insert(base);
                }
            }
        }
        for package in found {
            let why = if package == "sudo" {
                "sudo in a runtime image lets a compromised process regain root"
            } else {
                "network scanning and remote-access tools help an attacker who gets into the container"
            };
            hits.add_msg(
                "DG1017",
                instruction,
                format!("`{package}` is installed in the final image; {why}"),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Image configuration

/// Remote-administration ports that have no business in an application image.
const ADMIN_PORTS: &[(u32, &str)] = &[
    (22, "SSH"),
    (23, "telnet"),
    (2375, "the Docker API without TLS"),
];

/// DG1009: SSH (and other remote-administration ports) exposed by the final image.
fn ssh_port(cx: &Context, hits: &mut Hits) {
    for index in final_instructions(cx) {
        let Some(instruction) = cx
            .instructions()
            .get(index)
            .filter(|i| i.keyword == Keyword::Expose)
        else {
            continue;
        };
        for word in &instruction.args {
            let port = cx.expand(index, word);
            let (number, protocol) = port.split_once('/').unwrap_or((&port, "tcp"));
            if !protocol.eq_ignore_ascii_case("tcp") {
                continue;
            }
            let (low, high) = number.split_once('-').unwrap_or((number, number));
            let (Ok(low), Ok(high)) = (low.parse::<u32>(), high.parse::<u32>()) else {
                continue;
            };
            for (admin, what) in ADMIN_PORTS {
                if (low..=high).contains(admin) {
                    hits.add_msg(
                        "DG1009",
                        instruction,
                        format!(
                            "EXPOSE {port} publishes {what}; run no remote-administration service in a \
                             container, use `docker exec` instead"
                        ),
                    );
                }
            }
        }
    }
}

/// The user part of a `USER` value, and whether it is root. `None` when unknown.
fn is_root_user(value: &str) -> Option<bool> {
    let user = value.split(':').next().unwrap_or(value).trim();
    if user.is_empty() || user.contains('$') {
        return None;
    }
    Some(
        user == "root"
            || (user.bytes().all(|b| b.is_ascii_digit()) && user.bytes().all(|b| b == b'0')),
    )
}

/// DG1010: the final image runs as root, because no stage of it sets `USER` or the last
/// `USER` is root. Builder stages running as root are normal and not reported.
fn final_user_root(cx: &Context, hits: &mut Hits) {
    let chain = final_chain(cx);
    let Some(&last) = chain.last() else {
        return;
    };
    let mut last_user: Option<usize> = None;
    for index in final_instructions(cx) {
        if cx
            .instructions()
            .get(index)
            .is_some_and(|i| i.keyword == Keyword::User)
        {
            last_user = Some(index);
        }
    }
    match last_user {
        Some(index) => {
            let Some(instruction) = cx.instructions().get(index) else {
                return;
            };
            let raw = instruction.args.first().map(String::as_str).unwrap_or("");
            let value = cx.expand(index, raw);
            if is_root_user(&value) == Some(true) {
                hits.add_msg(
                    "DG1010",
                    instruction,
                    format!(
                        "the image runs as `{value}`; switch to an unprivileged user at the end"
                    ),
                );
            }
        }
        None => {
            let Some(root_stage) = chain.first().and_then(|&s| cx.stages().get(s)) else {
                return;
            };
            let base = root_stage.base_expanded.to_ascii_lowercase();
            // Images published to run unprivileged say so in their name.
            if ["nonroot", "non-root", "rootless"]
                .iter()
                .any(|w| base.contains(w))
            {
                return;
            }
            let Some(stage) = cx.stages().get(last) else {
                return;
            };
            if let Some(from) = cx.instructions().get(stage.from) {
                hits.add_msg(
                    "DG1010",
                    from,
                    "no USER in the final image: it runs as the base image's user, root for most bases; add an unprivileged USER",
                );
            }
        }
    }
}

/// DG1011: external base images not pinned by digest can change under the same tag.
fn base_not_pinned(cx: &Context, hits: &mut Hits) {
    for stage in cx.stages() {
        if stage.parent.is_some() || stage.is_scratch() {
            continue;
        }
        let base = &stage.base_expanded;
        if base.is_empty() || base.contains('$') || base.contains('@') {
            continue;
        }
        if let Some(from) = cx.instructions().get(stage.from) {
            hits.add_msg(
                "DG1011",
                from,
                format!(
                    "`{base}` is not pinned by digest; the tag can be moved to different content"
                ),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// COPY and ADD

/// DG1014: `ADD https://…` without `--checksum` trusts whatever the server returns.
fn remote_add_without_checksum(cx: &Context, hits: &mut Hits) {
    for (index, instruction) in cx.instructions().iter().enumerate() {
        let Some(add) = direct_or_onbuild(instruction, Keyword::Add) else {
            continue;
        };
        if add.flag("checksum").is_some() {
            continue;
        }
        let (sources, _) = copy_paths(cx, index, add);
        for source in sources {
            let lower = source.to_ascii_lowercase();
            if lower.starts_with("http://") || lower.starts_with("https://") {
                hits.add_msg(
                    "DG1014",
                    instruction,
                    format!("ADD {source} downloads without verifying the content; add --checksum=sha256:…"),
                );
            }
        }
    }
}

const MANIFESTS: &[&str] = &[
    "requirements.txt",
    "pipfile",
    "pipfile.lock",
    "pyproject.toml",
    "poetry.lock",
    "setup.py",
    "setup.cfg",
    "uv.lock",
    "package.json",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    ".yarnrc.yml",
    "go.mod",
    "go.sum",
    "gemfile",
    "gemfile.lock",
    "composer.json",
    "composer.lock",
    "cargo.toml",
    "cargo.lock",
];

/// Manifests that let a package manager install dependencies before the source is copied
/// (`COPY package*.json ./` counts).
fn is_manifest(path: &str) -> bool {
    let name = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    (lower.starts_with("requirements") && lower.ends_with(".txt"))
        || MANIFESTS
            .iter()
            .any(|m| lower == *m || glob_matches(&lower, m))
}

fn copies_whole_context(sources: &[String]) -> bool {
    sources
        .iter()
        .any(|s| matches!(s.as_str(), "." | "./" | "*" | "./*" | "./." | "/"))
}

/// A dependency install that only needs the manifest, e.g. `pip install -r requirements.txt`.
fn dependency_install(cmd: &Cmd) -> Option<String> {
    let positional = cmd.positional(&["r", "requirement", "c", "constraint", "i", "index-url"]);
    let sub = positional.first().copied();
    let (tool, args) =
        if cmd.name.starts_with("python") && cmd.args.first().is_some_and(|w| w.value == "-m") {
            (
                cmd.args.get(1).map_or("", |w| w.value.as_str()),
                cmd.args.get(2..).unwrap_or_default(),
            )
        } else {
            (cmd.name, cmd.args)
        };
    let pip_requirements = || {
        args.iter()
            .any(|w| w.value == "-r" || w.value.starts_with("--requirement"))
    };
    let found = match tool {
        "pip" | "pip3" => args.iter().any(|w| w.value == "install") && pip_requirements(),
        "npm" => {
            matches!(sub, Some("ci"))
                || (matches!(sub, Some("install" | "i")) && positional.len() == 1)
        }
        "yarn" => sub.is_none() || sub == Some("install"),
        "pnpm" => matches!(sub, Some("install" | "i")) && positional.len() == 1,
        "go" => sub == Some("mod") && positional.get(1) == Some(&"download"),
        "bundle" => sub == Some("install"),
        "composer" => sub == Some("install"),
        "cargo" => matches!(sub, Some("build" | "fetch")),
        "poetry" => sub == Some("install"),
        "pipenv" => matches!(sub, Some("install" | "sync")),
        _ => false,
    };
    found.then(|| {
        let mut words = vec![tool.to_string()];
        words.extend(args.iter().take(3).map(|w| w.value.clone()));
        words.join(" ")
    })
}

/// DG1013: `COPY . .` before a dependency install in the same stage: every source change
/// invalidates the install layer, and the install re-downloads everything.
fn cache_order(cx: &Context, hits: &mut Hits) {
    for stage in cx.stages() {
        let mut manifest_first = false;
        let mut whole_copy: Option<usize> = None;
        for index in stage.instructions.clone() {
            let Some(instruction) = cx.instructions().get(index) else {
                continue;
            };
            match instruction.keyword {
                Keyword::Copy | Keyword::Add if instruction.flag("from").is_none() => {
                    let (sources, _) = copy_paths(cx, index, instruction);
                    if copies_whole_context(&sources) {
                        if whole_copy.is_none() && !manifest_first {
                            whole_copy = Some(index);
                        }
                    } else if sources.iter().any(|s| is_manifest(s)) && whole_copy.is_none() {
                        manifest_first = true;
                    }
                }
                Keyword::Run => {
                    let Some(copy_index) = whole_copy else {
                        continue;
                    };
                    let scripts = run_scripts(cx, index);
                    let install = each_command(&scripts).find_map(|c| dependency_install(&c));
                    if let (Some(install), Some(copy)) =
                        (install, cx.instructions().get(copy_index))
                    {
                        hits.add_msg(
                            "DG1013",
                            copy,
                            format!(
                                "the whole source is copied before `{install}` (line {}); any source change re-runs \
                                 the install. Copy the dependency manifest first, install, then copy the rest",
                                instruction.start_line
                            ),
                        );
                        break;
                    }
                }
                _ => {}
            }
        }
    }
}

/// Where a copied source ends up: `dest` itself, or `dest/<name>` when `dest` is a directory.
fn landing_path(source: &str, dest: &str, several: bool, workdir: &str) -> String {
    let dest = if dest.starts_with('/') {
        dest.to_string()
    } else {
        format!(
            "{}/{}",
            workdir.trim_end_matches('/'),
            dest.trim_start_matches("./")
        )
    };
    let name = source
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(source);
    if dest.ends_with('/') || several {
        format!("{}/{name}", dest.trim_end_matches('/'))
    } else {
        dest
    }
}

/// Working directory before each instruction (stages inherit their parent's).
fn workdirs(cx: &Context) -> Vec<String> {
    let mut out = vec!["/".to_string(); cx.instructions().len()];
    let mut by_stage: Vec<String> = Vec::new();
    for stage in cx.stages() {
        let mut current = stage
            .parent
            .and_then(|p| by_stage.get(p).cloned())
            .unwrap_or_else(|| "/".to_string());
        for index in stage.instructions.clone() {
            if let Some(slot) = out.get_mut(index) {
                slot.clone_from(&current);
            }
            let Some(instruction) = cx.instructions().get(index) else {
                continue;
            };
            if instruction.keyword == Keyword::Workdir {
                let value = cx.expand(index, instruction.args.first().map_or("", String::as_str));
                current = if value.starts_with('/') {
                    value
                } else {
                    format!("{}/{value}", current.trim_end_matches('/'))
                };
            }
        }
        by_stage.push(current);
    }
    out
}

/// `rm` targets that remove `path` (the file itself, a parent with `-r`, or a glob).
fn removes(cmd: &Cmd, path: &str, workdir: &str) -> bool {
    if cmd.name != "rm" && cmd.name != "shred" {
        return false;
    }
    let recursive = cmd.has_flag('r', "recursive") || cmd.has_flag('R', "recursive");
    cmd.positional(&[]).iter().any(|target| {
        let target = target.replacen('~', "/root", usize::from(target.starts_with('~')));
        let absolute = if target.starts_with('/') {
            target
        } else {
            format!("{}/{target}", workdir.trim_end_matches('/'))
        };
        let absolute = absolute.trim_end_matches('/');
        absolute == path
            || (recursive && path.starts_with(&format!("{absolute}/")))
            || (absolute.contains(['*', '?', '[']) && glob_matches(absolute, path))
    })
}

/// DG1015 (credential files copied into the final image) and DG1016 (such a file removed in
/// a later RUN, which leaves it in the earlier layer).
fn secret_files_copied(cx: &Context, hits: &mut Hits) {
    let chain_instructions = final_instructions(cx);
    let dirs = workdirs(cx);
    for (position, &index) in chain_instructions.iter().enumerate() {
        let Some(instruction) = cx.instructions().get(index) else {
            continue;
        };
        if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        let (sources, dest) = copy_paths(cx, index, instruction);
        let from = instruction.flag("from").and_then(|f| f.value.clone());
        let several = sources.len() > 1;
        let workdir = dirs.get(index).map_or("/", String::as_str);
        for source in &sources {
            if source.contains("://") {
                continue;
            }
            let landing = landing_path(source, &dest, several, workdir);
            let Some(kind) = secret_file_kind(source).or_else(|| secret_file_kind(&landing)) else {
                continue;
            };
            let origin = match &from {
                Some(stage) => format!("from `{stage}` "),
                None => "from the build context ".to_string(),
            };
            hits.add_msg(
                "DG1015",
                instruction,
                format!(
                    "{} copies {source} ({kind}) {origin}into the final image at {landing}; anyone who can pull \
                     the image can read it. Use `RUN --mount=type=secret` or copy it only into a build stage",
                    instruction.keyword
                ),
            );
            for &later in chain_instructions.get(position + 1..).unwrap_or_default() {
                let Some(run) = cx
                    .instructions()
                    .get(later)
                    .filter(|i| i.keyword == Keyword::Run)
                else {
                    continue;
                };
                let run_dir = dirs.get(later).map_or("/", String::as_str);
                let scripts = run_scripts(cx, later);
                if each_command(&scripts).any(|c| removes(&c, &landing, run_dir)) {
                    hits.add_msg(
                        "DG1016",
                        run,
                        format!(
                            "{landing} is deleted here, but it is still in the layer of the {} at line {}: deleting \
                             only hides it in later layers and anyone can extract it from the image",
                            instruction.keyword, instruction.start_line
                        ),
                    );
                    break;
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Verification

/// Environment variables that turn certificate checks off, with the values that do so.
fn disables_verification_env(name: &str, value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    let falsy = matches!(v.as_str(), "0" | "false" | "no" | "off");
    match name {
        "NODE_TLS_REJECT_UNAUTHORIZED" | "PYTHONHTTPSVERIFY" => falsy,
        "GIT_SSL_NO_VERIFY" => !v.is_empty() && !falsy,
        "PIP_TRUSTED_HOST" => !v.is_empty(),
        _ => false,
    }
}

fn ssh_no_host_check() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r"(?i)StrictHostKeyChecking\s*[= ]\s*no\b|UserKnownHostsFile\s*[= ]\s*/dev/null")
            .unwrap_or_else(|_| Regex::new("$^").expect("trivial regex"))
    })
}

/// What a command turns off, if anything.
fn disabled_check(cmd: &Cmd) -> Option<&'static str> {
    let words: Vec<&str> = cmd.args.iter().map(|w| w.value.as_str()).collect();
    let has = |w: &str| words.contains(&w);
    let has_prefix = |p: &str| words.iter().any(|w| w.starts_with(p));
    match cmd.name {
        "curl" if cmd.has_flag('k', "insecure") => {
            Some("`curl --insecure` skips TLS certificate checks")
        }
        "wget" if has("--no-check-certificate") => {
            Some("`wget --no-check-certificate` skips TLS certificate checks")
        }
        "pip" | "pip3" if has_prefix("--trusted-host") => {
            Some("`pip --trusted-host` skips TLS checks for that host")
        }
        "npm" | "yarn" | "pnpm"
            if (has("strict-ssl") && has("false")) || has("--strict-ssl=false") =>
        {
            Some("`strict-ssl false` skips TLS certificate checks")
        }
        "git"
            if words
                .iter()
                .any(|w| w.eq_ignore_ascii_case("http.sslverify"))
                && (has("false") || has("0")) =>
        {
            Some("`http.sslVerify false` skips TLS certificate checks")
        }
        "apt-get" | "apt" if has("--allow-unauthenticated") || has("--force-yes") => {
            Some("apt installs packages without checking their signatures")
        }
        "apt-get" | "apt"
            if words
                .iter()
                .any(|w| w.contains("Verify-Peer=false") || w.contains("Verify-Host=false")) =>
        {
            Some("apt skips TLS certificate checks")
        }
        "apk" if has("--allow-untrusted") => {
            Some("`apk --allow-untrusted` installs unsigned packages")
        }
        "yum" | "dnf" | "microdnf" | "tdnf" if has("--nogpgcheck") => {
            Some("`--nogpgcheck` installs packages without checking their signatures")
        }
        "rpm" if has("--nosignature") || has("--nodigest") => {
            Some("rpm installs packages without checking their signatures")
        }
        _ => None,
    }
}

/// DG1018: TLS certificate, package signature or SSH host-key checks turned off. The build
/// (or the running container) then trusts whoever answers on the network.
fn verification_disabled(cx: &Context, hits: &mut Hits) {
    for (index, instruction) in cx.instructions().iter().enumerate() {
        let mut reasons: BTreeSet<&'static str> = BTreeSet::new();
        if let Some(env) = direct_or_onbuild(instruction, Keyword::Env) {
            for (name, value) in env.pairs() {
                let value = unquote(value, cx.df.escape);
                if disables_verification_env(name, &value) {
                    reasons.insert(match name {
                        "PIP_TRUSTED_HOST" => {
                            "PIP_TRUSTED_HOST makes pip skip TLS checks for that host"
                        }
                        "GIT_SSL_NO_VERIFY" => {
                            "GIT_SSL_NO_VERIFY makes git skip TLS certificate checks"
                        }
                        _ => "the environment turns TLS certificate checks off for the runtime",
                    });
                }
                if ssh_no_host_check().is_match(&value) {
                    reasons.insert("SSH host keys are not checked (StrictHostKeyChecking=no)");
                }
            }
        }
        if let Some(run) = direct_or_onbuild(instruction, Keyword::Run) {
            let scripts = run_scripts(cx, index);
            reasons.extend(each_command(&scripts).filter_map(|c| disabled_check(&c)));
            let texts = std::iter::once(run.rest.as_str())
                .chain(run.heredocs.iter().map(|h| h.content.as_str()));
            if texts.into_iter().any(|t| ssh_no_host_check().is_match(t)) {
                reasons.insert("SSH host keys are not checked (StrictHostKeyChecking=no)");
            }
        }
        for reason in reasons {
            hits.add_msg(
                "DG1018",
                instruction,
                format!("{reason}; anyone on the network path can substitute what is downloaded"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{lint, LintConfig};
    use dockguard_core::Finding;

    fn findings(text: &str) -> Vec<Finding> {
        let df = crate::parse(text).unwrap();
        lint("Dockerfile", &df, &LintConfig::default())
    }

    /// `(code, line)` of the findings whose code is one of `codes`.
    fn hits(text: &str, codes: &[&str]) -> Vec<(String, u32)> {
        findings(text)
            .into_iter()
            .filter(|f| codes.contains(&f.id.as_str()))
            .map(|f| (f.id, f.location.line.unwrap_or(0)))
            .collect()
    }

    fn want(list: &[(&str, u32)]) -> Vec<(String, u32)> {
        list.iter().map(|(c, l)| (c.to_string(), *l)).collect()
    }

    const GHP: &str = "ghp_VNtbPuLUvNg5jBP3nLuOxDmAoT8JzdYchbeL";

    #[test]
    fn dg1001_token_formats_in_values() {
        let text = format!(
            "FROM alpine:3\nENV GH={GHP}\nARG AWS_KEY=AKIAIOSFODNN7EXAMPLE\n\
             LABEL db=\"postgres://orders:Pr0d-tNykZRqfp1un!@db.internal:5432/orders\"\n\
             ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\
             ENV A=1 \\\n    SLACK=xoxb-194898342100-6134781248020-WhhbZFIfQ0vb3YInb9cL9fmi\n\
             ENV KEY=\"-----BEGIN OPENSSH PRIVATE KEY-----\"\nUSER app\n"
        );
        assert_eq!(
            hits(&text, &["DG1001", "DG1002"]),
            want(&[
                ("DG1001", 2),
                ("DG1001", 3),
                ("DG1001", 4),
                ("DG1001", 5),
                ("DG1001", 6),
                ("DG1001", 8)
            ])
        );
        for f in findings(&text).iter().filter(|f| f.id == "DG1001") {
            assert_eq!(f.severity, dockguard_core::Severity::Critical);
            for secret in [
                GHP,
                "AKIAIOSFODNN7EXAMPLE",
                "Pr0d-tNykZRqfp1un!",
                "wJalrXUtnFEMI",
            ] {
                assert!(!f.message.contains(secret), "{}", f.message);
            }
        }
        let messages: Vec<String> = findings(&text).into_iter().map(|f| f.message).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("ghp_…") && m.contains("GitHub token")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("password in a URL (Pr0d…)")),
            "{messages:?}"
        );
    }

    #[test]
    fn dg1001_near_misses() {
        let text =
            "FROM alpine:3\nENV TOKEN=${TOKEN} PASSWORD=\"\" PASSWORD_FILE=/run/secrets/db\n\
                    ENV SECRET_NAME=prod-db API_KEY=<your-key> URL=https://user:${PASS}@host/x\n\
                    ENV DOCS=https://example.com/path GH=ghp_short SK=sk-learn\n\
                    ARG GITHUB_TOKEN\nUSER app\n";
        assert_eq!(hits(text, &["DG1001", "DG1002", "DG1003"]), vec![]);
    }

    #[test]
    fn dg1001_in_run_but_not_secret_mounts() {
        let text = format!(
            "FROM alpine:3\nRUN curl -H \"Authorization: token {GHP}\" https://api.github.com/x\n\
             RUN --mount=type=secret,id=mysecret,dst=/foobar \\\n    PIP_INDEX_URL=\"https://user:$(cat /foobar)@pypi.example/simple\" pip install x\n\
             RUN git clone https://user:${{TOKEN}}@git.example/x\nUSER app\n"
        );
        assert_eq!(
            hits(&text, &["DG1001", "DG1002", "DG1003"]),
            want(&[("DG1001", 2)])
        );
    }

    #[test]
    fn secret_names_and_placeholders() {
        for name in [
            "DB_PASSWORD",
            "PASSWORD",
            "NPM_TOKEN",
            "API_KEY",
            "aws_secret_access_key",
            "PRIVATE_KEY",
            "GOOGLE_CREDENTIALS",
            "dbPassword",
            "CLIENT_SECRET",
            "DB_PASS",
            "SSH_KEY",
            "APIKEY",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "PASSWORD_FILE",
            "TOKEN_URL",
            "SECRET_NAME",
            "PASSWORD_MIN_LENGTH",
            "PWD",
            "PASS",
            "KEY",
            "AWS_ACCESS_KEY_ID",
            "PUBLIC_KEY",
            "KEYBOARD",
            "TOKENIZER",
            "GPG_KEY_ID",
            "",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
        for value in [
            "",
            "  ",
            "$X",
            "${X:-y}",
            "<password>",
            "{{ .Token }}",
            "xxxxxxxx",
            "****",
            "/run/secrets/x",
            "none",
            "changeme-not-a-var-$HOME",
            "false",
        ] {
            assert!(is_placeholder(value), "{value}");
        }
        for value in ["changeme123", "changeme", "hunter2", "s3cr3t!", "postgres"] {
            assert!(!is_placeholder(value), "{value}");
        }
    }

    #[test]
    fn dg1002_literal_secret_values() {
        let text = "FROM debian:12\nENV APP_ENV=prod \\\n    DB_PASSWORD=changeme123\nARG API_KEY=abc123\n\
                    LABEL password=hunter2\nUSER app\n";
        assert_eq!(
            hits(text, &["DG1002"]),
            want(&[("DG1002", 2), ("DG1002", 4), ("DG1002", 5)])
        );
        let message = &findings(text)
            .into_iter()
            .find(|f| f.id == "DG1002")
            .unwrap()
            .message;
        assert!(
            message.contains("chan…") && !message.contains("changeme123"),
            "{message}"
        );
        assert!(message.contains("DB_PASSWORD (line 3)"), "{message}");
    }

    #[test]
    fn dg1003_secret_build_args_in_history() {
        let text = "FROM node:20 AS build\nARG NPM_TOKEN\nARG AWS_SECRET_ACCESS_KEY\nARG VERSION\n\
                    RUN echo \"//r/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc\n\
                    FROM node:20\nRUN echo $AWS_SECRET_ACCESS_KEY\nARG LATE_TOKEN\nUSER node\n";
        assert_eq!(
            hits(text, &["DG1003"]),
            want(&[("DG1003", 2), ("DG1003", 3)])
        );
        let messages: Vec<String> = findings(text)
            .into_iter()
            .filter(|f| f.id == "DG1003")
            .map(|f| f.message)
            .collect();
        assert!(
            messages[0].contains("used by the RUN at line 5")
                && messages[0].contains("|1 NPM_TOKEN=")
        );
        assert!(
            messages[1].contains("in scope of the RUN at line 5 (even unused)"),
            "{}",
            messages[1]
        );
        assert!(messages[0].contains("--mount=type=secret,id=npm_token"));
        // Secret mounts are the fix, not a finding; an ARG after the last RUN is never recorded.
        let text = "FROM node:20\nRUN --mount=type=secret,id=npm cat /run/secrets/npm\nARG NPM_TOKEN\nUSER node\n";
        assert_eq!(hits(text, &["DG1003"]), vec![]);
    }

    #[test]
    fn dg1018_verification_disabled() {
        let text = "FROM node:20\nENV NODE_TLS_REJECT_UNAUTHORIZED=0 GIT_SSL_NO_VERIFY=1\n\
                    RUN npm config set strict-ssl false && curl -fsSLk https://x -o y\n\
                    RUN wget --no-check-certificate https://x\nRUN pip install --trusted-host h -r r.txt\n\
                    RUN git clone -c http.sslVerify=false x && git config --global http.sslVerify false\n\
                    RUN printf 'Host x\\n StrictHostKeyChecking no\\n' > /root/.ssh/config\n\
                    RUN apk add --allow-untrusted x.apk\n\
                    ENV NODE_TLS_REJECT_UNAUTHORIZED=1 GIT_SSH_COMMAND=\"ssh -o StrictHostKeyChecking=accept-new\"\n\
                    RUN curl -fsSL https://x -K cfg && git config http.sslVerify true\nUSER node\n";
        assert_eq!(
            hits(text, &["DG1018"]),
            want(&[
                ("DG1018", 2),
                ("DG1018", 2),
                ("DG1018", 3),
                ("DG1018", 3),
                ("DG1018", 4),
                ("DG1018", 5),
                ("DG1018", 6),
                ("DG1018", 7),
                ("DG1018", 8),
            ])
        );
    }

    #[test]
    fn dg1004_remote_script_to_shell() {
        let text = "FROM alpine:3\nRUN curl -fsSL https://x/install.sh | sh\nRUN sh -c \"$(curl -fsSL https://x)\"\n\
                    RUN bash <(wget -qO- https://x)\nRUN curl https://x | sudo bash -s -- --yes\n\
                    RUN bash -c 'wget -O- https://x | sh'\nONBUILD RUN curl https://x | sh\n\
                    RUN curl -o f https://x && sh f\nRUN curl https://x | tar xz\nUSER app\n";
        assert_eq!(
            hits(text, &["DG1004"]),
            want(&[
                ("DG1004", 2),
                ("DG1004", 3),
                ("DG1004", 4),
                ("DG1004", 5),
                ("DG1004", 6),
                ("DG1004", 7)
            ])
        );
    }

    #[test]
    fn dg1005_dg1006_file_modes() {
        let text = "FROM alpine:3\nRUN chmod 777 /app\nRUN chmod -R 0777 /srv/uploads\nRUN chmod a+rwx /x\n\
                    RUN chmod o+w /x\nRUN chmod 1777 /tmp && chmod 755 /x && chmod go-w /x && chmod u+x /x\n\
                    RUN setcap cap_net_raw+eip /usr/bin/nmap\nRUN chmod 4755 /bin/x\nRUN sudo chmod u+s /bin/y\n\
                    RUN chmod 0755 /bin/z\nUSER app\n";
        assert_eq!(
            hits(text, &["DG1005", "DG1006"]),
            want(&[
                ("DG1005", 2),
                ("DG1005", 3),
                ("DG1005", 4),
                ("DG1005", 5),
                ("DG1006", 7),
                ("DG1006", 8),
                ("DG1006", 9),
            ])
        );
    }

    #[test]
    fn dg1007_dg1008_run_flags() {
        let text = "FROM alpine:3\nRUN --security=insecure mount -t tmpfs x /mnt\nRUN --network=host curl localhost\n\
                    RUN --network=none make\nRUN --security=sandbox true\nUSER app\n";
        assert_eq!(
            hits(text, &["DG1007", "DG1008"]),
            want(&[("DG1007", 2), ("DG1008", 3)])
        );
    }

    #[test]
    fn dg1009_ssh_port_in_final_image() {
        let text =
            "FROM alpine:3 AS build\nEXPOSE 22\nFROM alpine:3\nEXPOSE 80 22/tcp\nEXPOSE 20-25\n\
                    EXPOSE 22/udp 2222\nARG PORT=22\nEXPOSE ${PORT}\nUSER app\n";
        assert_eq!(
            hits(text, &["DG1009"]),
            want(&[("DG1009", 4), ("DG1009", 5), ("DG1009", 5), ("DG1009", 8)])
        );
        // EXPOSE is inherited from the stage the final image is built FROM.
        let text = "FROM alpine:3 AS base\nEXPOSE 22\nFROM base\nUSER app\n";
        assert_eq!(hits(text, &["DG1009"]), want(&[("DG1009", 2)]));
        let text = "FROM docker:dind\nEXPOSE 2375 2376 23\nUSER app\n";
        assert_eq!(
            hits(text, &["DG1009"]),
            want(&[("DG1009", 2), ("DG1009", 2)])
        );
    }

    #[test]
    fn dg1010_final_image_user() {
        let cases: &[(&str, &[(&str, u32)])] = &[
            ("FROM debian:12\nRUN true\n", &[("DG1010", 1)]),
            (
                "FROM golang AS build\nRUN go build\nFROM alpine:3\nUSER app\n",
                &[],
            ),
            (
                "FROM golang AS build\nUSER app\nFROM alpine:3\nRUN x\n",
                &[("DG1010", 3)],
            ),
            (
                "FROM alpine:3\nUSER app\nRUN x\nUSER root\n",
                &[("DG1010", 4)],
            ),
            (
                "FROM alpine:3\nARG RUN_AS=root\nUSER ${RUN_AS}\n",
                &[("DG1010", 3)],
            ),
            ("FROM alpine:3\nUSER ${UNKNOWN}\n", &[]),
            ("FROM alpine:3\nUSER 0:0\n", &[("DG1010", 2)]),
            ("FROM alpine:3\nUSER app:root\n", &[]),
            ("FROM alpine:3 AS base\nUSER app\nFROM base\nRUN x\n", &[]),
            ("FROM gcr.io/distroless/static:nonroot\nCOPY x /x\n", &[]),
            ("FROM scratch\nCOPY x /x\n", &[("DG1010", 1)]),
            ("FROM alpine:3\nUSER 20002\n", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(hits(text, &["DG1010"]), want(expected), "{text}");
        }
    }

    #[test]
    fn dg1011_digest_pinning() {
        let text = "ARG IMG\nFROM alpine:3 AS a\nFROM alpine@sha256:0123456789abcdef AS b\nFROM scratch\nFROM a\n\
                    FROM ${IMG}\nUSER app\n";
        assert_eq!(hits(text, &["DG1011"]), want(&[("DG1011", 2)]));
        let info = findings(text)
            .into_iter()
            .find(|f| f.id == "DG1011")
            .unwrap();
        assert_eq!(info.severity, dockguard_core::Severity::Info);
    }

    #[test]
    fn dg1012_lonely_update() {
        let text = "FROM debian:12\nRUN apt-get update\nRUN apt-get update && apt-get install -y curl\n\
                    RUN apk update\nRUN apk update && apk add curl\nRUN apt-get -o x=y update\nUSER app\n";
        assert_eq!(
            hits(text, &["DG1012"]),
            want(&[("DG1012", 2), ("DG1012", 4), ("DG1012", 6)])
        );
    }

    #[test]
    fn dg1013_cache_order() {
        let bad = "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nUSER app\n";
        assert_eq!(hits(bad, &["DG1013"]), want(&[("DG1013", 3)]));
        let npm =
            "FROM node:20\nWORKDIR /app\nADD . /app\nRUN npm ci\nRUN npm run build\nUSER node\n";
        assert_eq!(hits(npm, &["DG1013"]), want(&[("DG1013", 3)]));
        for good in [
            "FROM python:3\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nUSER app\n",
            "FROM node:20\nCOPY package*.json ./\nCOPY . .\nRUN npm ci\nUSER node\n",
            "FROM golang:1\nCOPY . .\nRUN go build ./...\nUSER app\n",
            "FROM node:20\nCOPY . .\nRUN npm install express\nUSER node\n",
            "FROM node:20 AS a\nCOPY . .\nFROM node:20\nRUN npm ci\nUSER node\n",
        ] {
            assert_eq!(hits(good, &["DG1013"]), vec![], "{good}");
        }
    }

    #[test]
    fn dg1014_remote_add() {
        let text = "FROM alpine:3\nADD https://x/y.tar.gz /tmp/\nADD --checksum=sha256:abc https://x/z /z\n\
                    ADD local.tar.gz /tmp/\nUSER app\n";
        assert_eq!(hits(text, &["DG1014"]), want(&[("DG1014", 2)]));
    }

    #[test]
    fn dg1015_dg1016_secret_files() {
        let text = "FROM debian:12\nCOPY id_rsa /root/.ssh/id_rsa\nCOPY aws-credentials /root/.aws/credentials\n\
                    COPY ca.pem /usr/local/share/ca-certificates/\nRUN rm /root/.ssh/id_rsa\nRUN rm -rf /root/.aws\n\
                    USER app\n";
        assert_eq!(
            hits(text, &["DG1015", "DG1016"]),
            want(&[("DG1015", 2), ("DG1015", 3), ("DG1016", 5), ("DG1016", 6)])
        );
        // A builder stage's files stay out of the final image unless copied from it.
        let text = "FROM alpine:3 AS build\nCOPY id_rsa /root/.ssh/id_rsa\nRUN git clone x\n\
                    FROM alpine:3\nCOPY --from=build /src /src\nUSER app\n";
        assert_eq!(hits(text, &["DG1015", "DG1016"]), vec![]);
        let text = "FROM alpine:3 AS build\nCOPY id_rsa /root/.ssh/id_rsa\nFROM alpine:3\nWORKDIR /app\n\
                    COPY --from=build /root/.ssh/id_rsa ./key\nCOPY .env .\nRUN rm key .env\nUSER app\n";
        assert_eq!(
            hits(text, &["DG1015", "DG1016"]),
            want(&[("DG1015", 5), ("DG1015", 6), ("DG1016", 7)])
        );
        let text = "FROM alpine:3\nCOPY deploy_key /etc/ssh/deploy_key\nRUN git clone x\nRUN rm /etc/ssh/deploy_key\n\
                    COPY ssh_host_ed25519_key.pub /etc/ssh/\nUSER app\n";
        assert_eq!(
            hits(text, &["DG1015", "DG1016"]),
            want(&[("DG1015", 2), ("DG1016", 4)])
        );
    }

    #[test]
    fn dg1017_attack_tools_in_final_image() {
        let text = "FROM debian:12 AS build\nRUN apt-get install -y nmap\nFROM debian:12\n\
                    RUN apt-get update && apt-get install -y --no-install-recommends sudo curl nmap=7.9\n\
                    RUN apk add --no-cache netcat-openbsd\nUSER app\n";
        assert_eq!(
            hits(text, &["DG1017"]),
            want(&[("DG1017", 4), ("DG1017", 4), ("DG1017", 5)])
        );
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let inputs = [
            "FROM\nUSER\nEXPOSE\nCOPY\nADD\nARG\nRUN\n",
            "FROM a AS a\nFROM a AS a\nFROM a\nCOPY --from=a\n",
            "FROM x\nEXPOSE 99999999999999999999-1\nEXPOSE -/\nUSER :\nRUN chmod\nRUN chmod 9\nRUN rm -rf ~\n",
            "FROM x\nENV a=\"${\" b='\nLABEL \"=\"\nARG =\nRUN echo $\nRUN $(\n",
            "FROM x\nRUN curl | | sh\nRUN chmod u+s,o+w,a= f\nCOPY [\"a\"]\nADD\n",
        ];
        for text in inputs {
            if let Ok(df) = crate::parse(text) {
                let _ = lint("Dockerfile", &df, &LintConfig::default());
            }
        }
        assert_eq!(redact("ab"), "ab…");
        assert_eq!(redact("ééééé"), "éééé…");
    }
}
