//! hadolint's instruction-level and structural rules: base images, stages, `COPY`/`ADD`,
//! `WORKDIR`, `USER`, `EXPOSE`, `CMD`/`ENTRYPOINT`/`HEALTHCHECK`, `ONBUILD`, `ENV`/`ARG`, and the
//! shell rules that look at which programs a `RUN` calls (not at package managers).
//!
//! Everything here reproduces hadolint 2.15.1, which means reproducing how its parser
//! (language-docker) and ShellCheck see the file, quirks included: image references are split
//! the way language-docker splits them, `FROM` aliases compare case-sensitively, most stateful
//! rules reset at every `FROM` even when a stage inherits from another, and only some rules
//! look inside `ONBUILD`. Deliberate departures are listed in `docs/hadolint-differences.md`
//! and called out where they happen.

use super::RuleFn;
use crate::ast::{Flag, Instruction, Keyword};
use crate::lint::pragma::is_inline_ignore;
use crate::lint::{Context, Hits};
use crate::shell::{self, Script, Word};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

pub(super) const RULES: &[RuleFn] = &[
    dl1001, dl3000, dl3001, dl3002, dl3003, dl3004, dl3006, dl3007, dl3010, dl3011, dl3012, dl3020,
    dl3021, dl3022, dl3023, dl3024, dl3025, dl3026, dl3029, dl3043, dl3044, dl3045, dl3046, dl3047,
    dl3057, dl3059, dl3061, dl3063, dl3064, dl3065, dl3066, dl3067, dl4000, dl4001, dl4003, dl4004,
    dl4005, dl4006,
];

// ---------------------------------------------------------------------------
// How hadolint sees a RUN.

/// `RUN`s written directly in the file, with their indices.
fn runs<'a>(cx: &Context<'a>) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
    cx.each(Keyword::Run)
}

/// `ONBUILD RUN` triggers: index, the `ONBUILD` instruction (where hits go) and the `RUN`.
fn onbuild_runs<'a>(
    cx: &Context<'a>,
) -> impl Iterator<Item = (usize, &'a Instruction, &'a Instruction)> + 'a {
    cx.each(Keyword::Onbuild).filter_map(|(index, outer)| {
        let sub = outer.sub.as_deref()?;
        (sub.keyword == Keyword::Run).then_some((index, outer, sub))
    })
}

/// The script hadolint hands to ShellCheck for a `RUN`.
///
/// Exec form is the arguments joined by spaces; shell form is the text. Heredocs follow
/// language-docker: when the arguments start with the heredoc (`RUN <<EOF`), the script is
/// the rest of that line plus the first body; otherwise it is only the text before the `<<`,
/// and bodies fed to other programs (`cat <<EOF > f`, `python3 <<EOF`, even `bash <<EOF`) are
/// not looked at. The `SHELL` in effect does not matter: hadolint parses every `RUN` as POSIX
/// shell for these rules.
fn script<'a>(cx: &'a Context, index: usize, run: &Instruction) -> Cow<'a, Script> {
    if !run.json && !run.heredocs.is_empty() {
        return Cow::Owned(shell::parse(&heredoc_view(run)));
    }
    if let Some(info) = cx.run(index) {
        return Cow::Borrowed(&info.script);
    }
    let text = if run.json {
        run.args.join(" ")
    } else {
        run.rest.clone()
    };
    Cow::Owned(shell::parse(&text))
}

fn heredoc_view(run: &Instruction) -> String {
    let rest = run.rest.as_str();
    match rest.strip_prefix("<<") {
        Some(after) => {
            let after = after.trim_start_matches('-');
            let tail = after_marker(after);
            let trimmed = tail.trim_start_matches([' ', '\t']);
            // `<<EOF > /path` and `<<EOF | cmd` are redirections language-docker drops.
            let line_rest = if trimmed.starts_with('|') || trimmed.starts_with('>') {
                ""
            } else {
                tail
            };
            let body = run.heredocs.first().map_or("", |h| h.content.as_str());
            format!("{line_rest}\n{body}").trim().to_string()
        }
        None => {
            let cut = heredoc_start(rest).unwrap_or(rest.len());
            rest.get(..cut).unwrap_or(rest).trim().to_string()
        }
    }
}

/// The text after a heredoc delimiter word (quoted, or up to and including a blank).
fn after_marker(text: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote) {
            return match inner.find(quote) {
                Some(end) => &inner[end + 1..],
                None => "",
            };
        }
    }
    match text.find(char::is_whitespace) {
        Some(i) => {
            let blank = text[i..].chars().next().map_or(1, char::len_utf8);
            &text[i + blank..]
        }
        None => "",
    }
}

/// Byte offset of the first heredoc operator (`<<` not part of `<<<`).
fn heredoc_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'<' && bytes[i + 1] == b'<' {
            if bytes.get(i + 2) == Some(&b'<') {
                i += 3;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// A simple command as hadolint sees it.
struct Cmd<'a> {
    name: &'a str,
    args: &'a [Word],
}

impl Cmd<'_> {
    fn has_arg(&self, arg: &str) -> bool {
        self.args.iter().any(|w| w.value == arg)
    }
}

/// The commands hadolint knows about: none when ShellCheck could not parse the script, and
/// never a bare assignment or redirection. ShellCheck reads bash's `time` keyword as a
/// command of its own that also contains the timed command, so `time sudo x` is both.
fn commands(script: &Script) -> Vec<Cmd<'_>> {
    if script.parse_errors {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in script.commands.iter().filter(|c| !c.name.is_empty()) {
        out.push(Cmd {
            name: &c.name,
            args: &c.args,
        });
        if c.name == "time" {
            let skip = c
                .args
                .iter()
                .take_while(|w| w.value.starts_with('-'))
                .count();
            if let Some((timed, args)) = c.args.get(skip..).and_then(<[Word]>::split_first) {
                out.push(Cmd {
                    name: &timed.value,
                    args,
                });
            }
        }
    }
    out
}

fn any_command(script: &Script, names: &[&str]) -> bool {
    commands(script).iter().any(|c| names.contains(&c.name))
}

/// Flags the way hadolint splits them: `--name=v` is `name`, `-abc` is `a`, `b` and `c`;
/// `-` and `--` are not flags, but words after `--` still are. Each flag comes with the index
/// of the word it is in.
fn hl_flags<'a>(cmd: &Cmd<'a>) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    for (i, word) in cmd.args.iter().enumerate() {
        let v = word.value.as_str();
        if v == "-" || v == "--" {
            continue;
        }
        if let Some(long) = v.strip_prefix("--") {
            out.push((i, long.split('=').next().unwrap_or(long)));
        } else if let Some(short) = v.strip_prefix('-') {
            out.extend(
                short
                    .char_indices()
                    .map(|(k, c)| (i, &short[k..k + c.len_utf8()])),
            );
        }
    }
    out
}

fn hl_has_flag(cmd: &Cmd, names: &[&str]) -> bool {
    hl_flags(cmd).iter().any(|(_, f)| names.contains(f))
}

/// hadolint's value of a flag: the word after the one the flag is in, whatever it is.
fn hl_flag_values(cmd: &Cmd, name: &str) -> Vec<String> {
    hl_flags(cmd)
        .iter()
        .filter(|(_, f)| *f == name)
        .filter_map(|(i, _)| cmd.args.get(i + 1).map(|w| w.simplified()))
        .collect()
}

/// Words that are not flags (`-` and `--` count as words).
fn hl_args_no_flags<'a>(cmd: &Cmd<'a>) -> impl Iterator<Item = &'a str> {
    cmd.args
        .iter()
        .map(|w| w.value.as_str())
        .filter(|v| *v == "-" || *v == "--" || !v.starts_with('-'))
}

// ---------------------------------------------------------------------------
// How hadolint sees FROM.

/// An image reference split the way language-docker's `FROM` parser splits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ImageRef<'a> {
    registry: Option<&'a str>,
    name: &'a str,
    tag: Option<&'a str>,
    digest: Option<&'a str>,
}

/// A registry is recognised only as `domain.tld/` (so `localhost:5000/x` is the image
/// `localhost` with tag `5000/x`); the name ends at `:` or `@`. `None` where language-docker
/// rejects the reference (`localhost:5000/x:1`, `name:`), which makes hadolint report a parse
/// error for the whole file.
fn parse_image(text: &str) -> Option<ImageRef<'_>> {
    let mut rest = text;
    let mut registry = None;
    if let Some(dot) = text.find('.') {
        let after = &text[dot + 1..];
        if let Some(slash) = after.find('/') {
            if dot > 0 && slash > 0 {
                registry = Some(&text[..dot + 1 + slash]);
                rest = &after[slash + 1..];
            }
        }
    }
    let name_end = rest.find([':', '@']).unwrap_or(rest.len());
    let name = &rest[..name_end];
    if name.is_empty() {
        return None;
    }
    let mut rest = &rest[name_end..];
    let mut tag = None;
    if let Some(after) = rest.strip_prefix(':') {
        let end = after.find([':', '@']).unwrap_or(after.len());
        if end == 0 {
            return None;
        }
        tag = Some(&after[..end]);
        rest = &after[end..];
    }
    let mut digest = None;
    if let Some(after) = rest.strip_prefix('@') {
        let end = after.find('@').unwrap_or(after.len());
        if end == 0 {
            return None;
        }
        digest = Some(&after[..end]);
        rest = &after[end..];
    }
    if !rest.is_empty() {
        return None;
    }
    Some(ImageRef {
        registry,
        name,
        tag,
        digest,
    })
}

fn from_image(from: &Instruction) -> Option<ImageRef<'_>> {
    from.args.first().and_then(|a| parse_image(a))
}

/// The image name hadolint uses to identify a stage's base (`library/debian` for
/// `docker.io/library/debian:12`).
fn from_image_name(from: &Instruction) -> &str {
    match from_image(from) {
        Some(image) => image.name,
        None => from.args.first().map_or("", String::as_str),
    }
}

/// `AS name`, exactly as written (hadolint compares aliases case-sensitively).
fn from_alias(from: &Instruction) -> Option<&str> {
    match from.args.as_slice() {
        [_, as_word, name, ..] if as_word.eq_ignore_ascii_case("as") => Some(name),
        _ => None,
    }
}

fn from_platform(from: &Instruction) -> Option<&str> {
    from.flag("platform").and_then(|f| f.value.as_deref())
}

// ---------------------------------------------------------------------------
// Small text helpers.

/// hadolint's `dropQuotes`: strips every leading and trailing quote character.
fn drop_quotes(text: &str) -> &str {
    text.trim_matches(['"', '\''])
}

/// `COPY`/`ADD` sources and destination.
fn copy_parts(instruction: &Instruction) -> Option<(&[String], &str)> {
    let (target, sources) = instruction.args.split_last()?;
    if sources.is_empty() {
        return None;
    }
    Some((sources, target.as_str()))
}

const ARCHIVE_EXTENSIONS: &[&str] = &[
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
    ".tpz", ".txz", ".xz",
];

fn is_archive(path: &str) -> bool {
    let path = drop_quotes(path);
    ARCHIVE_EXTENSIONS.iter().any(|e| path.ends_with(e))
}

fn base_name(path: &str) -> &str {
    let path = drop_quotes(path);
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The first name an `ARG` declares (language-docker reads only one).
fn arg_name(instruction: &Instruction) -> Option<&str> {
    let word = instruction.args.first()?;
    Some(word.split_once('=').map_or(word.as_str(), |(n, _)| n))
}

// ---------------------------------------------------------------------------
// The rules.

/// DL1001: an inline `# hadolint ignore=` pragma (off unless enabled).
fn dl1001(cx: &Context, hits: &mut Hits) {
    // Comments inside an instruction's continuation lines are not comments to hadolint.
    let spans: Vec<(u32, u32)> = cx
        .instructions()
        .iter()
        .map(|i| (i.start_line, i.end_line))
        .collect();
    for comment in &cx.df.comments {
        let inside = spans
            .iter()
            .any(|&(start, end)| start <= comment.line && comment.line <= end);
        if !inside && comment.text.starts_with("hadolint") && is_inline_ignore(&comment.text) {
            hits.add_at("DL1001", comment.line, 1, None);
        }
    }
}

/// DL3000: `WORKDIR` that is not absolute.
fn dl3000(cx: &Context, hits: &mut Hits) {
    for (_, workdir) in cx.each(Keyword::Workdir) {
        if workdir.rest.is_empty() {
            continue;
        }
        let path = drop_quotes(&workdir.rest);
        let mut chars = path.chars();
        let windows_drive = matches!(
            (chars.next(), chars.next()),
            (Some(letter), Some(':')) if letter.is_alphabetic()
        );
        // hadolint 2.15 crashes on a one-character relative path (`WORKDIR a`); it is just as
        // relative, so we report it.
        if !(path.starts_with('$') || path.starts_with('/') || windows_drive) {
            hits.add("DL3000", workdir);
        }
    }
}

/// DL3001: programs that make no sense while building an image (`ssh`, `vim`, `service`, …).
fn dl3001(cx: &Context, hits: &mut Hits) {
    const POINTLESS: &[&str] = &[
        "free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim",
    ];
    for (index, run) in runs(cx) {
        if any_command(&script(cx, index, run), POINTLESS) {
            hits.add("DL3001", run);
        }
    }
    for (index, outer, run) in onbuild_runs(cx) {
        if any_command(&script(cx, index, run), POINTLESS) {
            hits.add("DL3001", outer);
        }
    }
}

/// DL3002: a stage whose last `USER` is root. Every stage counts, not only the last one.
fn dl3002(cx: &Context, hits: &mut Hits) {
    let mut stage: Option<usize> = None;
    let mut root_user: BTreeMap<usize, &Instruction> = BTreeMap::new();
    for (index, instruction) in cx.instructions().iter().enumerate() {
        match instruction.keyword {
            Keyword::From => stage = Some(index),
            Keyword::User => {
                let Some(stage) = stage else { continue };
                let user = instruction.rest.as_str();
                let is_root = user == "root"
                    || user == "0"
                    || user.starts_with("root:")
                    || user.starts_with("0:");
                if is_root {
                    root_user.insert(stage, instruction);
                } else {
                    root_user.remove(&stage);
                }
            }
            _ => {}
        }
    }
    for user in root_user.values() {
        hits.add("DL3002", user);
    }
}

/// DL3003: `cd` in a `RUN` (hadolint does not check `ONBUILD RUN` here).
fn dl3003(cx: &Context, hits: &mut Hits) {
    for (index, run) in runs(cx) {
        if any_command(&script(cx, index, run), &["cd"]) {
            hits.add("DL3003", run);
        }
    }
}

/// DL3004: `sudo` in a `RUN`.
fn dl3004(cx: &Context, hits: &mut Hits) {
    for (index, run) in runs(cx) {
        if any_command(&script(cx, index, run), &["sudo"]) {
            hits.add("DL3004", run);
        }
    }
    for (index, outer, run) in onbuild_runs(cx) {
        if any_command(&script(cx, index, run), &["sudo"]) {
            hits.add("DL3004", outer);
        }
    }
}

/// DL3006: a base image without a tag or digest. `scratch`, earlier stage aliases and
/// references starting with a variable (`FROM ${BASE}`) are fine.
fn dl3006(cx: &Context, hits: &mut Hits) {
    let mut aliases: BTreeSet<&str> = BTreeSet::new();
    for (_, from) in cx.each(Keyword::From) {
        if let Some(image) = from_image(from) {
            let untagged = image.tag.is_none() && image.digest.is_none();
            if untagged
                && image.name != "scratch"
                && !image.name.starts_with('$')
                && !aliases.contains(image.name)
            {
                hits.add("DL3006", from);
            }
        }
        if let Some(alias) = from_alias(from) {
            aliases.insert(alias);
        }
    }
}

/// DL3007: a base image tagged `latest` (and not pinned by digest).
fn dl3007(cx: &Context, hits: &mut Hits) {
    for (_, from) in cx.each(Keyword::From) {
        if let Some(image) = from_image(from) {
            if image.tag == Some("latest") && image.digest.is_none() {
                hits.add("DL3007", from);
            }
        }
    }
}

/// DL3010: an archive `COPY`ed into the image and extracted by a later `RUN` of the stage.
///
/// Difference: hadolint 2.15 resets this rule's state at every `FROM` together with the
/// findings already made, so it only ever reports the last stage. We report every stage.
fn dl3010(cx: &Context, hits: &mut Hits) {
    fn report(
        archives: &mut Vec<(&Instruction, &str)>,
        extracted: &mut BTreeSet<(u32, &str)>,
        hits: &mut Hits,
    ) {
        for (copy, name) in archives.drain(..) {
            if extracted.contains(&(copy.start_line, name)) {
                hits.add("DL3010", copy);
            }
        }
        extracted.clear();
    }
    let mut archives: Vec<(&Instruction, &str)> = Vec::new();
    let mut extracted: BTreeSet<(u32, &str)> = BTreeSet::new();
    for (index, instruction) in cx.instructions().iter().enumerate() {
        match instruction.keyword {
            Keyword::From => report(&mut archives, &mut extracted, hits),
            Keyword::Copy if instruction.flag("from").is_none() => {
                let Some((sources, target)) = copy_parts(instruction) else {
                    continue;
                };
                if is_archive(target) {
                    archives.push((instruction, base_name(target)));
                } else {
                    for source in sources.iter().filter(|s| is_archive(s)) {
                        archives.push((instruction, base_name(source)));
                    }
                }
            }
            Keyword::Run if !archives.is_empty() => {
                let script = script(cx, index, instruction);
                for cmd in commands(&script).iter().filter(|c| extracts(c)) {
                    let names: Vec<&str> = hl_args_no_flags(cmd).map(base_name).collect();
                    for &(copy, name) in &archives {
                        if names.contains(&name) {
                            extracted.insert((copy.start_line, name));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    report(&mut archives, &mut extracted, hits);
}

/// `tar -x…`/`tar --extract`, or one of the decompressors hadolint knows.
fn extracts(cmd: &Cmd) -> bool {
    const DECOMPRESSORS: &[&str] = &[
        "unzip",
        "gunzip",
        "bunzip2",
        "unlzma",
        "unxz",
        "zgz",
        "uncompress",
        "zcat",
        "gzcat",
    ];
    if cmd.name == "tar" {
        return cmd.args.iter().any(|w| {
            let v = w.value.as_str();
            v == "--extract" || v == "--get" || (v.starts_with('-') && v.contains('x'))
        });
    }
    DECOMPRESSORS.contains(&cmd.name)
}

/// DL3011: an `EXPOSE`d port above 65535.
fn dl3011(cx: &Context, hits: &mut Hits) {
    for (_, expose) in cx.each(Keyword::Expose) {
        let invalid = expose.args.iter().any(|spec| {
            let port = spec.split('/').next().unwrap_or(spec);
            port.split('-').any(|n| {
                let digits = n.trim_start_matches('0');
                !n.is_empty()
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && (digits.len() > 5 || digits.parse::<u32>().is_ok_and(|p| p > 65535))
            })
        });
        if invalid {
            hits.add("DL3011", expose);
        }
    }
}

/// DL3012: a second `HEALTHCHECK` in a stage.
fn dl3012(cx: &Context, hits: &mut Hits) {
    let mut seen = false;
    for instruction in cx.instructions() {
        match instruction.keyword {
            Keyword::From => seen = false,
            Keyword::Healthcheck if seen => hits.add("DL3012", instruction),
            Keyword::Healthcheck => seen = true,
            _ => {}
        }
    }
}

/// DL3020: `ADD` of something that is neither a local archive nor an http(s) URL.
fn dl3020(cx: &Context, hits: &mut Hits) {
    for (_, add) in cx.each(Keyword::Add) {
        let Some((sources, _)) = copy_parts(add) else {
            continue;
        };
        let plain_file = sources.iter().any(|s| {
            let url = ["https://", "http://"]
                .iter()
                .any(|p| drop_quotes(s).starts_with(p));
            !(is_archive(s) || url)
        });
        if plain_file {
            hits.add("DL3020", add);
        }
    }
}

/// DL3021: `COPY` of several sources to a destination that does not end with `/`.
fn dl3021(cx: &Context, hits: &mut Hits) {
    for (_, copy) in cx.each(Keyword::Copy) {
        let Some((sources, target)) = copy_parts(copy) else {
            continue;
        };
        if sources.len() > 1 && !drop_quotes(target).ends_with('/') {
            hits.add("DL3021", copy);
        }
    }
}

/// DL3022: `COPY --from` naming neither an earlier stage (alias or index) nor an image (a
/// reference with `:`).
fn dl3022(cx: &Context, hits: &mut Hits) {
    let mut stages: u64 = 0;
    let mut aliases: BTreeSet<&str> = BTreeSet::new();
    for instruction in cx.instructions() {
        match instruction.keyword {
            Keyword::From => {
                stages += 1;
                if let Some(alias) = from_alias(instruction) {
                    aliases.insert(alias);
                }
            }
            Keyword::Copy => {
                let Some(source) = instruction.flag("from").and_then(|f| f.value.as_deref()) else {
                    continue;
                };
                let known = drop_quotes(source).contains(':')
                    || aliases.contains(source)
                    || leading_number(source).is_some_and(|n| n < stages);
                if !known {
                    hits.add("DL3022", instruction);
                }
            }
            _ => {}
        }
    }
}

/// The number a text starts with, as Haskell's `decimal` reads it (`3abc` is 3).
fn leading_number(text: &str) -> Option<u64> {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let digits = text.get(..end).filter(|d| !d.is_empty())?;
    Some(digits.parse::<u64>().unwrap_or(u64::MAX))
}

/// DL3023: `COPY --from` naming the stage it is in.
fn dl3023(cx: &Context, hits: &mut Hits) {
    let mut current_alias: Option<&str> = None;
    for instruction in cx.instructions() {
        match instruction.keyword {
            Keyword::From => current_alias = from_alias(instruction),
            Keyword::Copy => {
                let source = instruction.flag("from").and_then(|f| f.value.as_deref());
                if source.is_some() && source == current_alias {
                    hits.add("DL3023", instruction);
                }
            }
            _ => {}
        }
    }
}

/// DL3024: two stages with the same alias.
fn dl3024(cx: &Context, hits: &mut Hits) {
    let mut aliases: BTreeSet<&str> = BTreeSet::new();
    for (_, from) in cx.each(Keyword::From) {
        if let Some(alias) = from_alias(from) {
            if !aliases.insert(alias) {
                hits.add("DL3024", from);
            }
        }
    }
}

/// DL3025: `CMD`, `ENTRYPOINT` or `HEALTHCHECK CMD` in shell form.
fn dl3025(cx: &Context, hits: &mut Hits) {
    for instruction in cx.instructions() {
        let shell_form = match instruction.keyword {
            Keyword::Cmd | Keyword::Entrypoint => !instruction.json,
            Keyword::Healthcheck => {
                !instruction.json
                    && instruction.args.len() > 1
                    && instruction
                        .args
                        .first()
                        .is_some_and(|k| k.eq_ignore_ascii_case("cmd"))
            }
            _ => false,
        };
        if shell_form {
            hits.add("DL3025", instruction);
        }
    }
}

/// DL3026: an image from a registry outside `trusted_registries`, in `FROM`, `COPY --from`
/// or a `RUN --mount` with `from=`. Off while the list is empty.
fn dl3026(cx: &Context, hits: &mut Hits) {
    let allowed = &cx.config.trusted_registries;
    if allowed.is_empty() {
        return;
    }
    let registry_ok = |registry: &str| {
        allowed.iter().any(|pattern| {
            if pattern == "*" {
                true
            } else if let Some(suffix) = pattern.strip_prefix('*') {
                registry.ends_with(suffix)
            } else if let Some(prefix) = pattern.strip_suffix('*') {
                registry.starts_with(prefix)
            } else {
                registry == pattern
            }
        })
    };
    let image_ok = |aliases: &BTreeSet<&str>, registry: Option<&str>, name: &str| {
        aliases.contains(name)
            || match registry {
                Some(registry) => registry_ok(registry),
                None => {
                    name == "scratch" || registry_ok("docker.io") || registry_ok("hub.docker.com")
                }
            }
    };
    let mut aliases: BTreeSet<&str> = BTreeSet::new();
    for instruction in cx.instructions() {
        match instruction.keyword {
            Keyword::From => {
                let (registry, name) = match from_image(instruction) {
                    Some(image) => (image.registry, image.name),
                    None => (None, instruction.args.first().map_or("", String::as_str)),
                };
                if !image_ok(&aliases, registry, name) {
                    hits.add("DL3026", instruction);
                }
                if let Some(alias) = from_alias(instruction) {
                    aliases.insert(alias);
                }
            }
            Keyword::Copy => {
                if let Some(source) = instruction.flag("from").and_then(|f| f.value.as_deref()) {
                    let (registry, name) = loose_image(source);
                    if !image_ok(&aliases, registry, name) {
                        hits.add("DL3026", instruction);
                    }
                }
            }
            Keyword::Run => {
                let bad_mount = instruction.flags_named("mount").any(|mount| {
                    mount_image(mount).is_some_and(|source| {
                        let (registry, name) = loose_image(source);
                        !image_ok(&aliases, registry, name)
                    })
                });
                if bad_mount {
                    hits.add("DL3026", instruction);
                }
            }
            _ => {}
        }
    }
}

/// The image a bind or cache mount reads from (`scratch` when it names none); `None` for
/// other mount types.
fn mount_image(mount: &Flag) -> Option<&str> {
    let value = mount.value.as_deref().unwrap_or("");
    let mut kind = "bind";
    let mut from = "scratch";
    for option in value.split(',') {
        match option.split_once('=') {
            Some(("type", t)) => kind = t,
            Some(("from", f)) => from = f,
            _ => {}
        }
    }
    matches!(kind, "bind" | "cache").then_some(from)
}

/// How language-docker reads an image named in a flag: the part before the first `/` is a
/// registry only when it contains a dot; the name keeps its tag.
fn loose_image(text: &str) -> (Option<&str>, &str) {
    match text.split_once('/') {
        Some((head, rest)) if head.contains('.') => (Some(head), rest.trim_end_matches('/')),
        _ => (None, text),
    }
}

/// DL3029: `FROM --platform=` with a value other than the build/target platform variables.
fn dl3029(cx: &Context, hits: &mut Hits) {
    for (_, from) in cx.each(Keyword::From) {
        if let Some(platform) = from_platform(from) {
            let predefined =
                platform.contains("BUILDPLATFORM") || platform.contains("TARGETPLATFORM");
            if !platform.is_empty() && !predefined {
                hits.add("DL3029", from);
            }
        }
    }
}

/// DL3043: `ONBUILD ONBUILD`, `ONBUILD FROM`, `ONBUILD MAINTAINER`.
fn dl3043(cx: &Context, hits: &mut Hits) {
    for (_, onbuild) in cx.each(Keyword::Onbuild) {
        let forbidden = onbuild.sub.as_deref().is_some_and(|sub| {
            matches!(
                sub.keyword,
                Keyword::Onbuild | Keyword::From | Keyword::Maintainer
            )
        });
        if forbidden {
            hits.add("DL3043", onbuild);
        }
    }
}

/// DL3044: an `ENV` pair refers to a variable another pair of the same `ENV` defines (and no
/// earlier `ENV` or `ARG` anywhere in the file did).
fn dl3044(cx: &Context, hits: &mut Hits) {
    let mut defined: BTreeSet<&str> = BTreeSet::new();
    for instruction in cx.instructions() {
        match instruction.keyword {
            Keyword::Arg => {
                if let Some(name) = arg_name(instruction) {
                    defined.insert(name);
                }
            }
            Keyword::Env => {
                let pairs = instruction.pairs();
                let self_reference = pairs.iter().enumerate().any(|(k, (name, _))| {
                    !defined.contains(name)
                        && pairs
                            .iter()
                            .enumerate()
                            .any(|(j, (_, value))| j != k && refers_to(value, name))
                });
                if self_reference {
                    hits.add("DL3044", instruction);
                }
                defined.extend(pairs.iter().map(|(name, _)| *name));
            }
            _ => {}
        }
    }
}

/// `${name}` or `$name` not followed by another name character.
fn refers_to(text: &str, name: &str) -> bool {
    if text.contains(&format!("${{{name}}}")) {
        return true;
    }
    let bare = format!("${name}");
    text.split(bare.as_str()).skip(1).any(|after| {
        after
            .chars()
            .next()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
    })
}

/// DL3045: `COPY` to a relative destination in a stage without `WORKDIR`.
///
/// hadolint keys stages by alias, or by image name when there is none, and a stage inherits
/// the `WORKDIR` of whatever stage its base image name matches — so two unnamed stages from
/// the same image share it. We follow that.
fn dl3045(cx: &Context, hits: &mut Hits) {
    let mut workdir_set: BTreeMap<Option<&str>, bool> = BTreeMap::new();
    let mut current: Option<Option<&str>> = None;
    for instruction in cx.instructions() {
        match instruction.keyword {
            Keyword::From => {
                let image = from_image_name(instruction);
                let key = Some(from_alias(instruction).unwrap_or(image));
                let inherited = workdir_set.get(&Some(image)).copied().unwrap_or(false);
                workdir_set.insert(key, inherited);
                current = Some(key);
            }
            Keyword::Workdir => {
                let key = *current.get_or_insert(None);
                workdir_set.insert(key, true);
            }
            Keyword::Copy => {
                let has_workdir = current
                    .and_then(|key| workdir_set.get(&key))
                    .copied()
                    .unwrap_or(false);
                let Some((_, target)) = copy_parts(instruction) else {
                    continue;
                };
                let dest = drop_quotes(target);
                let after_drive = dest.get(1..).unwrap_or("");
                let absolute = dest.starts_with('/')
                    || after_drive.starts_with(":\\")
                    || after_drive.starts_with(":/")
                    || dest.starts_with('$');
                if !has_workdir && !absolute {
                    hits.add("DL3045", instruction);
                }
            }
            _ => {}
        }
    }
}

/// DL3046: `useradd -u` with a long UID but without `-l`.
fn dl3046(cx: &Context, hits: &mut Hits) {
    let forgot_l = |script: &Script| {
        commands(script).iter().any(|c| {
            c.name == "useradd"
                && !hl_has_flag(c, &["l", "no-log-init"])
                && hl_has_flag(c, &["u", "uid"])
                && hl_flag_values(c, "u")
                    .iter()
                    .any(|uid| uid.chars().count() > 5)
        })
    };
    for (index, run) in runs(cx) {
        if forgot_l(&script(cx, index, run)) {
            hits.add("DL3046", run);
        }
    }
    for (index, outer, run) in onbuild_runs(cx) {
        if forgot_l(&script(cx, index, run)) {
            hits.add("DL3046", outer);
        }
    }
}

/// DL3047: `wget` without `--progress` or a quieter output mode.
fn dl3047(cx: &Context, hits: &mut Hits) {
    let noisy = |script: &Script| {
        commands(script).iter().any(|c| {
            c.name == "wget"
                && !hl_has_flag(
                    c,
                    &[
                        "progress",
                        "q",
                        "quiet",
                        "o",
                        "output-file",
                        "a",
                        "append-output",
                        "no-verbose",
                    ],
                )
                && !c.has_arg("-nv")
        })
    };
    for (index, run) in runs(cx) {
        if noisy(&script(cx, index, run)) {
            hits.add("DL3047", run);
        }
    }
    for (index, outer, run) in onbuild_runs(cx) {
        if noisy(&script(cx, index, run)) {
            hits.add("DL3047", outer);
        }
    }
}

/// DL3057: a stage without `HEALTHCHECK` (off unless enabled), reported at its `FROM`.
///
/// As in hadolint, stages are identified by name (alias, or image name when unnamed) and
/// linked by base image name: a stage built from a stage with a `HEALTHCHECK` is fine, and a
/// `HEALTHCHECK` also clears the stages the current one descends from.
fn dl3057(cx: &Context, hits: &mut Hits) {
    struct StageId<'a> {
        src: &'a str,
        name: &'a str,
        from: &'a Instruction,
    }
    let mut stages: Vec<StageId> = Vec::new();
    let mut good: BTreeSet<usize> = BTreeSet::new();
    let mut bad: BTreeSet<usize> = BTreeSet::new();
    for instruction in cx.instructions() {
        match instruction.keyword {
            Keyword::From => {
                let src = from_image_name(instruction);
                let name = from_alias(instruction).unwrap_or(src);
                let index = stages.len();
                if good.iter().any(|&g| stages[g].name == src) {
                    good.insert(index);
                } else {
                    bad.insert(index);
                }
                stages.push(StageId {
                    src,
                    name,
                    from: instruction,
                });
            }
            Keyword::Healthcheck => {
                let Some(current) = stages.len().checked_sub(1) else {
                    continue;
                };
                // Each stage leaves `bad` at most once, so this ends.
                let mut frontier = vec![current];
                while let Some(stage) = frontier.pop() {
                    let src = stages[stage].src;
                    let parents: Vec<usize> = bad
                        .iter()
                        .copied()
                        .filter(|&b| stages[b].name == src)
                        .collect();
                    for parent in parents {
                        bad.remove(&parent);
                        good.insert(parent);
                        frontier.push(parent);
                    }
                }
                bad.remove(&current);
                good.insert(current);
            }
            _ => {}
        }
    }
    for stage in bad {
        hits.add("DL3057", stages[stage].from);
    }
}

/// DL3059: consecutive `RUN`s with the same flags that could be one, each being a single
/// command (a `RUN` chaining several commands is taken as deliberately separate).
fn dl3059(cx: &Context, hits: &mut Hits) {
    let mut previous: Option<(Vec<String>, usize)> = None;
    for (index, instruction) in cx.instructions().iter().enumerate() {
        if instruction.keyword != Keyword::Run {
            previous = None;
            continue;
        }
        let flags = run_flags_key(instruction);
        let count = commands(&script(cx, index, instruction)).len();
        let merge = match &previous {
            Some((prev_flags, prev_count)) => *prev_flags == flags && count < 2 && *prev_count < 2,
            None => false,
        };
        if merge {
            hits.add("DL3059", instruction);
        } else {
            previous = Some((flags, count));
        }
    }
}

/// The flags of a `RUN` in a form where mount options and flag order do not matter.
fn run_flags_key(run: &Instruction) -> Vec<String> {
    let mut key: Vec<String> = run
        .flags
        .iter()
        .map(|f| {
            let mut options: Vec<&str> = f.value.as_deref().unwrap_or("").split(',').collect();
            options.sort_unstable();
            format!("{}={}", f.name, options.join(","))
        })
        .collect();
    key.sort();
    key
}

/// DL3061: an instruction other than `ARG` before the first `FROM`.
fn dl3061(cx: &Context, hits: &mut Hits) {
    for instruction in cx.instructions() {
        match instruction.keyword {
            Keyword::From => break,
            Keyword::Arg | Keyword::Unknown => {}
            _ => hits.add("DL3061", instruction),
        }
    }
}

/// DL3063: a stage named `scratch` or `context`.
fn dl3063(cx: &Context, hits: &mut Hits) {
    for (_, from) in cx.each(Keyword::From) {
        if matches!(from_alias(from), Some("scratch" | "context")) {
            hits.add("DL3063", from);
        }
    }
}

/// DL3064: an `ARG` or `ENV` whose name suggests a secret.
fn dl3064(cx: &Context, hits: &mut Hits) {
    for instruction in cx.instructions() {
        let (target, reported) = match (&instruction.sub, instruction.keyword) {
            (Some(sub), Keyword::Onbuild) => (sub.as_ref(), instruction),
            _ => (instruction, instruction),
        };
        let sensitive = match target.keyword {
            Keyword::Arg => arg_name(target).is_some_and(sensitive_name),
            Keyword::Env => target.pairs().iter().any(|(name, _)| sensitive_name(name)),
            _ => false,
        };
        if sensitive {
            hits.add("DL3064", reported);
        }
    }
}

fn sensitive_name(name: &str) -> bool {
    const KNOWN: &[&str] = &[
        "ACCESS_TOKEN",
        "APPLICATION_KEY",
        "APP_SECRET",
        "AUTH_TOKEN",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "BITTREX_API_KEY",
        "BITTREX_API_SECRET",
        "CF_PASSWORD",
        "CF_USERNAME",
        "CIRCLE_TOKEN",
        "CI_DEPLOY_PASSWORD",
        "CI_DEPLOY_USER",
        "DOCKERHUB_PASSWORD",
        "DOCKER_EMAIL",
        "DOCKER_PASSWORD",
        "DOCKER_USERNAME",
        "FACEBOOK_ACCESS_TOKEN",
        "FACEBOOK_APP_ID",
        "FACEBOOK_APP_SECRET",
        "FIREBASE_API_TOKEN",
        "FIREBASE_TOKEN",
        "FOSSA_API_KEY",
        "GH_ENTERPRISE_TOKEN",
        "GH_TOKEN",
        "GITHUB_ENTERPRISE_TOKEN",
        "GITHUB_TOKEN",
        "HEROKU_API_KEY",
        "HEROKU_API_USER",
        "NPM_AUTH_TOKEN",
        "NPM_TOKEN",
        "OKTA_AUTHN_GROUPID",
        "OKTA_CLIENT_ORGURL",
        "OKTA_CLIENT_TOKEN",
        "OKTA_OAUTH2_CLIENTID",
        "OKTA_OAUTH2_CLIENTSECRET",
        "OPENAI_API_KEY",
        "OS_PASSWORD",
        "OS_USERNAME",
        "POSTGRES_PASSWORD",
        "SLACK_TOKEN",
        "STRIPE_API_KEY",
        "STRIPE_DEVICE_NAME",
        "TRAVIS_OS_NAME",
        "TRAVIS_SECURE_ENV_VARS",
        "TRAVIS_SUDO",
        "VAULT_CLIENT_KEY",
        "VAULT_TOKEN",
    ];
    const SUSPICIOUS: &[&str] = &[
        "api_key",
        "client_key",
        "password",
        "private",
        "secret",
        "token",
        "username",
    ];
    let upper = name.to_uppercase();
    let lower = name.to_lowercase();
    KNOWN.contains(&upper.as_str()) || SUSPICIOUS.iter().any(|s| lower.contains(s))
}

/// DL3065: `FROM --platform=$TARGETPLATFORM`, which is what the builder does anyway.
fn dl3065(cx: &Context, hits: &mut Hits) {
    for (_, from) in cx.each(Keyword::From) {
        if matches!(
            from_platform(from),
            Some("$TARGETPLATFORM" | "${TARGETPLATFORM}")
        ) {
            hits.add("DL3065", from);
        }
    }
}

/// DL3066: `USER` with a non-numeric user, unless it comes from a declared `ARG`.
fn dl3066(cx: &Context, hits: &mut Hits) {
    let mut args: BTreeSet<&str> = BTreeSet::new();
    for instruction in cx.instructions() {
        match instruction.keyword {
            Keyword::Arg => {
                if let Some(name) = arg_name(instruction) {
                    args.insert(name);
                }
            }
            Keyword::User => {
                let user = instruction.rest.as_str();
                let uid = user.split(':').next().unwrap_or(user);
                let numeric = uid.bytes().all(|b| b.is_ascii_digit());
                let from_arg = args.iter().any(|name| {
                    user.contains(&format!("${{{name}}}")) || user.contains(&format!("${name}"))
                });
                if !numeric && !from_arg {
                    hits.add("DL3066", instruction);
                }
            }
            _ => {}
        }
    }
}

/// DL3067: `COPY --from=… / /`, the whole filesystem of another stage or image.
fn dl3067(cx: &Context, hits: &mut Hits) {
    for (_, copy) in cx.each(Keyword::Copy) {
        if copy.flag("from").is_none() {
            continue;
        }
        let Some((sources, target)) = copy_parts(copy) else {
            continue;
        };
        if drop_quotes(target) == "/" && sources.iter().any(|s| drop_quotes(s) == "/") {
            hits.add("DL3067", copy);
        }
    }
}

/// DL4000: `MAINTAINER`.
fn dl4000(cx: &Context, hits: &mut Hits) {
    for (_, maintainer) in cx.each(Keyword::Maintainer) {
        hits.add("DL4000", maintainer);
    }
}

/// DL4001: both `curl` and `wget` used in a stage; reported at every `RUN` using either once
/// both have been seen. `ONBUILD RUN`s are tracked separately and never reset.
fn dl4001(cx: &Context, hits: &mut Hits) {
    fn downloaders(script: &Script) -> (bool, bool) {
        let commands = commands(script);
        let curl = commands.iter().any(|c| c.name == "curl");
        let wget = commands.iter().any(|c| c.name == "wget");
        (curl, wget)
    }
    let mut seen = (false, false);
    for (index, instruction) in cx.instructions().iter().enumerate() {
        match instruction.keyword {
            Keyword::From => seen = (false, false),
            Keyword::Run => {
                let (curl, wget) = downloaders(&script(cx, index, instruction));
                seen = (seen.0 || curl, seen.1 || wget);
                if (curl || wget) && seen == (true, true) {
                    hits.add("DL4001", instruction);
                }
            }
            _ => {}
        }
    }
    let mut seen = (false, false);
    for (index, outer, run) in onbuild_runs(cx) {
        let (curl, wget) = downloaders(&script(cx, index, run));
        seen = (seen.0 || curl, seen.1 || wget);
        if (curl || wget) && seen == (true, true) {
            hits.add("DL4001", outer);
        }
    }
}

/// DL4003: a second `CMD` in a stage.
fn dl4003(cx: &Context, hits: &mut Hits) {
    repeated_in_stage(cx, hits, Keyword::Cmd, "DL4003");
}

/// DL4004: a second `ENTRYPOINT` in a stage.
fn dl4004(cx: &Context, hits: &mut Hits) {
    repeated_in_stage(cx, hits, Keyword::Entrypoint, "DL4004");
}

fn repeated_in_stage(cx: &Context, hits: &mut Hits, keyword: Keyword, code: &'static str) {
    let mut seen = false;
    for instruction in cx.instructions() {
        if instruction.keyword == Keyword::From {
            seen = false;
        } else if instruction.keyword == keyword {
            if seen {
                hits.add(code, instruction);
            }
            seen = true;
        }
    }
}

/// DL4005: `ln` with `/bin/sh` as an argument, changing the default shell behind Docker's back.
fn dl4005(cx: &Context, hits: &mut Hits) {
    let links_sh = |script: &Script| {
        commands(script)
            .iter()
            .any(|c| c.name == "ln" && c.has_arg("/bin/sh"))
    };
    for (index, run) in runs(cx) {
        if links_sh(&script(cx, index, run)) {
            hits.add("DL4005", run);
        }
    }
    for (index, outer, run) in onbuild_runs(cx) {
        if links_sh(&script(cx, index, run)) {
            hits.add("DL4005", outer);
        }
    }
}

/// DL4006: a `RUN` with a pipe while the stage's `SHELL` does not set `-o pipefail`.
///
/// As in hadolint: only `SHELL` counts (not `set -o pipefail` inside the `RUN`), the shell must
/// be `bash`, `zsh` or `ash` by one of the exact names hadolint knows, a `SHELL` starting with
/// `pwsh`, `powershell` or `cmd` turns the rule off, and every `FROM` starts over.
fn dl4006(cx: &Context, hits: &mut Hits) {
    let mut safe = false;
    for (index, instruction) in cx.instructions().iter().enumerate() {
        match instruction.keyword {
            Keyword::From => safe = false,
            Keyword::Shell => {
                let text = if instruction.json {
                    instruction.args.join(" ")
                } else {
                    instruction.rest.clone()
                };
                safe = ["pwsh", "powershell", "cmd"]
                    .iter()
                    .any(|p| text.starts_with(p))
                    || sets_pipefail(&shell::parse(&text));
            }
            Keyword::Run if !safe => {
                let script = script(cx, index, instruction);
                if !script.parse_errors && script.has_pipes() {
                    hits.add("DL4006", instruction);
                }
            }
            _ => {}
        }
    }
}

fn sets_pipefail(script: &Script) -> bool {
    const SHELLS: &[&str] = &["/bin/bash", "/bin/zsh", "/bin/ash", "bash", "zsh", "ash"];
    commands(script)
        .iter()
        .any(|c| SHELLS.contains(&c.name) && hl_has_flag(c, &["o"]) && c.has_arg("pipefail"))
}

#[cfg(test)]
mod tests {
    use crate::lint::{lint, LintConfig};
    use dockguard_core::Severity;

    fn findings(text: &str, config: &LintConfig, code: &str) -> Vec<u32> {
        let df = crate::parse(text).unwrap();
        lint("Dockerfile", &df, config)
            .into_iter()
            .filter(|f| f.id == code)
            .filter_map(|f| f.location.line)
            .collect()
    }

    /// Lines `code` is reported on with the default configuration.
    fn lines(code: &str, text: &str) -> Vec<u32> {
        findings(text, &LintConfig::default(), code)
    }

    /// Lines `code` is reported on with the rule switched on (for rules off by default).
    fn lines_on(code: &str, text: &str) -> Vec<u32> {
        let mut config = LintConfig::default();
        config
            .overrides
            .insert(code.to_string(), Some(Severity::Low));
        findings(text, &config, code)
    }

    #[test]
    fn dl1001_inline_pragmas_only() {
        let text = "# hadolint global ignore=DL3007\n#hadolint ignore=DL3006\nFROM debian\n\
                    # hadolint shell=bash\n#   hadolint   ignore=DL3059\nRUN a\n\
                    # hadolint ignore = DL3059\nRUN b\n# HADOLINT ignore=DL3059\nRUN c\n\
                    # hadolint ignore=\nRUN e \\\n# hadolint ignore=DL3003\n  && f\n";
        assert_eq!(lines_on("DL1001", text), vec![2, 5, 7]);
        assert!(lines("DL1001", text).is_empty());
    }

    #[test]
    fn dl3000_relative_workdir() {
        let text =
            "FROM debian:12\nWORKDIR \"/a\"\nWORKDIR \"ab\"\nWORKDIR $HOME/x\nWORKDIR ${X}\n\
                    WORKDIR c:\\\\x\nWORKDIR C:/x\nWORKDIR ~/x\nWORKDIR ./x\nWORKDIR '/x'\n\
                    WORKDIR \"$X\"\nONBUILD WORKDIR rel\nworkdir app\nWORKDIR 1:\nWORKDIR a\n";
        assert_eq!(lines("DL3000", text), vec![3, 8, 9, 13, 14, 15]);
    }

    #[test]
    fn dl3001_pointless_commands() {
        let text = "FROM debian:12\nRUN ps aux | grep x\nRUN service nginx start\n\
                    RUN echo ssh\nRUN /usr/bin/vim x\nONBUILD RUN top\nRUN [\"kill\", \"1\"]\n";
        assert_eq!(lines("DL3001", text), vec![2, 3, 6, 7]);
    }

    #[test]
    fn time_keyword_is_a_command_of_its_own() {
        // ShellCheck sees both `time` and the timed command, so DL3059 counts two commands.
        let text = "FROM debian:12\nRUN z\nRUN time wget x\nRUN exec wget y\nRUN time -p sudo x\n\
                    RUN /usr/bin/time sudo x\n";
        assert_eq!(lines("DL3047", text), vec![3, 4]);
        assert_eq!(lines("DL3004", text), vec![5]);
        assert!(lines("DL3059", text).is_empty());
    }

    #[test]
    fn quoted_copy_from_names_the_stage() {
        // Difference: hadolint keeps the quotes and reports DL3022 instead of DL3023; BuildKit
        // removes them, so this copies from the stage itself.
        let text = "FROM debian:12 AS build\nCOPY --from=\"build\" a /x\n";
        assert_eq!(lines("DL3023", text), vec![2]);
        assert!(lines("DL3022", text).is_empty());
    }

    #[test]
    fn dl3002_last_user_root_per_stage() {
        let text = "FROM debian:12 AS a\nUSER root\nFROM debian:12\nUSER root\nUSER root\n";
        assert_eq!(lines("DL3002", text), vec![2, 5]);
        let text = "FROM debian:12 AS a\nUSER root\nFROM debian:12\nUSER bob\n";
        assert_eq!(lines("DL3002", text), vec![2]);
        let text = "USER root\nFROM debian:12\nUSER 0:0\nFROM debian:12\nUSER root:x\n\
                    FROM debian:12\nUSER ROOT\nFROM debian:12\nUSER 0\nUSER x\n\
                    FROM debian:12\nUSER \"root\"\nONBUILD USER root\n";
        assert_eq!(lines("DL3002", text), vec![3, 5]);
    }

    #[test]
    fn dl3003_cd_but_not_in_onbuild() {
        let text = "FROM debian:12\nRUN cd /x && make\nONBUILD RUN cd /x\nRUN [\"cd\", \"x\"]\n\
                    RUN [\"/bin/sh\", \"-c\", \"cd x\"]\nRUN (cd x; make)\nRUN echo cd\n";
        assert_eq!(lines("DL3003", text), vec![2, 4, 6]);
    }

    #[test]
    fn dl3003_ignores_the_shell_instruction() {
        let text = "FROM debian:12\nSHELL [\"powershell\", \"-command\"]\nRUN cd x\n";
        assert_eq!(lines("DL3003", text), vec![3]);
    }

    #[test]
    fn heredocs_follow_language_docker() {
        // Marker first: the rest of the line and the body are the script.
        let text = "FROM debian:12\nRUN <<EOF\ncd x\nsudo y\nEOF\n\nRUN <<EOF sudo y\nfoo\nEOF\n\n\
                    RUN cat <<EOF\ncd x\nEOF\n\nRUN bash <<EOF\nsudo x\nEOF\n\n\
                    RUN sudo a <<EOF && cd y\nfoo\nEOF\n\n";
        assert_eq!(lines("DL3003", text), vec![2]);
        assert_eq!(lines("DL3004", text), vec![2, 7, 19]);
    }

    #[test]
    fn dl3004_sudo() {
        let text = "FROM debian:12\nRUN sudo apt-get update\nONBUILD RUN sudo x\n\
                    RUN /usr/bin/sudo x\nRUN echo sudo\n";
        assert_eq!(lines("DL3004", text), vec![2, 3]);
    }

    const FROMS: &str = "ARG BASE=debian:12\nARG TAG\nFROM ${BASE}\nFROM $BASE AS b1\n\
        FROM debian\nFROM debian:latest\nFROM debian:${TAG}\nFROM b1\nFROM B1\nFROM scratch\n\
        FROM SCRATCH\nFROM debian@sha256:abc\nFROM debian:latest@sha256:abc\n\
        FROM localhost:5000/debian\nFROM --platform=linux/amd64 debian:12\n\
        FROM --platform=$BUILDPLATFORM debian:12\nFROM --platform=${TARGETPLATFORM} debian:12\n\
        FROM --platform=$TARGETPLATFORM debian:12\nfrom debian AS later\nFROM later\n\
        FROM debian:LATEST\nFROM later2\nFROM debian AS later2\nFROM ${BASE}:latest\n\
        FROM \"debian\"\nFROM debian:12 as scratch\nFROM debian:12 AS context\n\
        FROM debian:12 AS Context\nFROM docker.io/library/debian\nFROM $X:latest\n";

    #[test]
    fn dl3006_untagged_images() {
        assert_eq!(lines("DL3006", FROMS), vec![5, 9, 11, 19, 22, 23, 25, 29]);
    }

    #[test]
    fn dl3007_latest() {
        assert_eq!(lines("DL3007", FROMS), vec![6, 24, 30]);
    }

    #[test]
    fn dl3029_and_dl3065_platform() {
        assert_eq!(lines("DL3029", FROMS), vec![15]);
        assert_eq!(lines("DL3065", FROMS), vec![17, 18]);
        let text = "FROM --platform=$TARGETOS/$TARGETARCH debian:12\n";
        assert_eq!(lines("DL3029", text), vec![1]);
    }

    #[test]
    fn dl3063_reserved_stage_names() {
        assert_eq!(lines("DL3063", FROMS), vec![26, 27]);
    }

    #[test]
    fn image_references_split_like_language_docker() {
        use super::{parse_image, ImageRef};
        let image = |r, n, t, d| {
            Some(ImageRef {
                registry: r,
                name: n,
                tag: t,
                digest: d,
            })
        };
        assert_eq!(parse_image("debian"), image(None, "debian", None, None));
        assert_eq!(
            parse_image("gcr.io/x/y:1@sha256:a"),
            image(Some("gcr.io"), "x/y", Some("1"), Some("sha256:a"))
        );
        assert_eq!(
            parse_image("localhost:5000/x"),
            image(None, "localhost", Some("5000/x"), None)
        );
        assert_eq!(
            parse_image("python:3.9"),
            image(None, "python", Some("3.9"), None)
        );
        assert_eq!(parse_image("localhost:5000/x:1"), None);
        assert_eq!(parse_image("name:"), None);
        assert_eq!(parse_image(""), None);
        assert_eq!(parse_image(".x/"), image(None, ".x/", None, None));
    }

    #[test]
    fn dl3010_archive_copied_then_extracted() {
        let text = "FROM debian:12\nADD a.gz /x\nCOPY a.tar.gz /tmp/\nCOPY b.tgz c.zip /tmp/\n\
                    COPY d.txt /tmp/e.tar\nCOPY --from=x f.tar /tmp/\nRUN tar -xzf /tmp/a.tar.gz\n\
                    RUN tar xf b.tgz && unzip c.zip\nRUN tar --extract -f /tmp/e.tar\n\
                    RUN tar -x -f \"/tmp/f.tar\"\nCOPY g.tar.gz h.tar.gz /tmp/\nRUN gunzip h.tar.gz\n\
                    FROM debian:12\nRUN tar -xzf /tmp/g.tar.gz\nCOPY g.tar.gz /tmp/\n\
                    RUN tar -C /x -xzf /tmp/g.tar.gz\n";
        // hadolint 2.15 would report only line 15 (the last stage); see dl3010's comment.
        assert_eq!(lines("DL3010", text), vec![3, 5, 11, 15]);
    }

    #[test]
    fn dl3011_port_range() {
        let text = "FROM debian:12\nEXPOSE 80\nEXPOSE 65536\nEXPOSE 80/tcp 70000/udp\n\
                    EXPOSE 8000-9000\nEXPOSE 60000-70000\nEXPOSE ${PORT}\nEXPOSE $P/tcp\n\
                    EXPOSE 65535\nEXPOSE 99999999999999999999\nEXPOSE 0\nEXPOSE 70000-80\n\
                    ONBUILD EXPOSE 99999\n";
        assert_eq!(lines("DL3011", text), vec![3, 4, 6, 10, 12]);
    }

    #[test]
    fn dl3012_dl4003_dl4004_repeats_per_stage() {
        let text = "FROM debian:12\nCMD a\nCMD [\"b\"]\nENTRYPOINT a\nENTRYPOINT [\"b\"]\n\
                    HEALTHCHECK CMD a\nHEALTHCHECK NONE\nONBUILD CMD x\nFROM debian:12\nCMD a\n\
                    ENTRYPOINT [\"b\"]\nHEALTHCHECK CMD a\n";
        assert_eq!(lines("DL4003", text), vec![3]);
        assert_eq!(lines("DL4004", text), vec![5]);
        assert_eq!(lines("DL3012", text), vec![7]);
    }

    #[test]
    fn dl3025_shell_form() {
        let text = "FROM debian:12\nCMD a\nCMD [\"b\"]\nENTRYPOINT a\nHEALTHCHECK CMD a\n\
                    HEALTHCHECK NONE\nHEALTHCHECK --interval=5s CMD [\"a\"]\nhealthcheck cmd a\n\
                    CMD [\"a\", \"b\"\nCMD ['a']\nCMD []\nENTRYPOINT [ \"a\" ]\nCMD [\"a\",]\n\
                    ONBUILD CMD x\n";
        assert_eq!(lines("DL3025", text), vec![2, 4, 5, 8, 9, 10, 13]);
    }

    const COPIES: &str = "FROM debian:12 AS build\nADD a /b\nADD a.tar.gz /b/\nADD http://x/y /b\n\
        ADD https://x/y.txt /b\nADD \"a.tgz\" /b\nADD a b.zip /c/\nADD --chown=1:1 a /b\n\
        ADD git@github.com:x/y.git /b\nADD [\"a\", \"/b\"]\nadd a.TAR /b\nADD ftp://x /b\n\
        ADD a.tar.xz.bak /b\nCOPY a b c\nCOPY a b c/\nCOPY [\"a\", \"b\", \"c\"]\nCOPY a b \"c/\"\n\
        COPY --from=build a b c\nCOPY a rel\nCOPY --from=nope a /x\nCOPY --from=build a /x\n\
        COPY --from=0 a /x\nCOPY --from=BUILD a /x\nFROM debian:12 AS other\n\
        COPY --from=other a /x\nCOPY --from=Other a /x\nCOPY --from=build a rel\nWORKDIR /w\n\
        COPY a rel\nFROM other AS third\nCOPY a rel\nFROM debian:12 AS build\n\
        COPY --from=later a /x\nFROM debian:12 AS later\nFROM debian:12 AS Later\n\
        COPY --from=nginx:1 a /x\nCOPY --from=6 a /x\nCOPY --from=5 a /x\nONBUILD COPY a b c\n";

    #[test]
    fn dl3020_add_for_plain_files() {
        assert_eq!(lines("DL3020", COPIES), vec![2, 7, 8, 9, 10, 11, 12, 13]);
    }

    #[test]
    fn dl3021_multiple_sources() {
        assert_eq!(lines("DL3021", COPIES), vec![14, 16, 18]);
        assert!(lines("DL3021", "FROM a:1\nADD a b c\nCOPY a b $DIR/\n").is_empty());
        assert_eq!(lines("DL3021", "FROM a:1\nCOPY a b $DIR\n"), vec![2]);
    }

    #[test]
    fn dl3022_unknown_stage() {
        assert_eq!(lines("DL3022", COPIES), vec![20, 23, 26, 33, 37]);
    }

    #[test]
    fn dl3023_own_stage() {
        assert_eq!(lines("DL3023", COPIES), vec![18, 21, 25]);
    }

    #[test]
    fn dl3024_duplicate_alias() {
        assert_eq!(lines("DL3024", COPIES), vec![32]);
    }

    #[test]
    fn dl3045_relative_copy_without_workdir() {
        assert_eq!(lines("DL3045", COPIES), vec![14, 15, 16, 17, 18, 19, 27]);
        let text = "FROM debian:12\nCOPY a $D\nCOPY a C:\\\\x\nCOPY a c:/x\nCOPY a \"/x\"\n\
                    COPY a 'x'\nCOPY <<EOF rel\nhi\nEOF\n\nONBUILD COPY a rel\n";
        assert_eq!(lines("DL3045", text), vec![6, 7]);
        // Unnamed stages are keyed by image name, so the second inherits the first's WORKDIR.
        let text =
            "FROM debian:12\nWORKDIR /app\nFROM debian:11\nCOPY a .\nFROM alpine\nCOPY a .\n";
        assert_eq!(lines("DL3045", text), vec![6]);
    }

    #[test]
    fn dl3026_trusted_registries() {
        let text = "FROM debian:12 AS base\nFROM docker.io/library/debian:12\nFROM gcr.io/x/y:1\n\
                    FROM my.registry.com/x:1\nFROM base\nFROM scratch\nFROM localhost:5000/x\n\
                    FROM $REG/x:1\nFROM ${REG}/x:1\nFROM quay.io/x:1 AS q\n\
                    COPY --from=nginx:latest /a /b\nCOPY --from=gcr.io/x/y:1 /a /b\n\
                    RUN --mount=type=cache,from=gcr.io/x/y,target=/x echo\nFROM q\n\
                    FROM sub.example.com/x:1\nFROM Gcr.io/x:1\n";
        assert!(lines("DL3026", text).is_empty());
        let mut config = LintConfig {
            trusted_registries: vec!["docker.io".into(), "*.example.com".into()],
            ..LintConfig::default()
        };
        assert_eq!(
            findings(text, &config, "DL3026"),
            vec![3, 4, 10, 12, 13, 16]
        );
        config.trusted_registries = vec!["my.registry.com".into()];
        assert_eq!(
            findings(text, &config, "DL3026"),
            vec![1, 2, 3, 7, 8, 9, 10, 11, 12, 13, 15, 16]
        );
        let text = "FROM a.io/x:1 AS base\nCOPY --from=localhost/x /a /b\nCOPY --from=base /a /b\n\
                    RUN --mount=type=cache,target=/x echo\n\
                    RUN --mount=type=bind,source=/a,target=/x,from=q.io/x echo\n\
                    RUN --mount=type=secret,id=x echo\nRUN --mount=from=q.io/x,target=/y echo\n\
                    RUN --mount=type=cache,target=/x --mount=type=bind,from=base,target=/y echo\n";
        config.trusted_registries = vec!["docker.io".into(), "a.io".into()];
        assert_eq!(findings(text, &config, "DL3026"), vec![5, 7]);
    }

    #[test]
    fn dl3043_onbuild_triggers() {
        let text = "FROM debian:12\nONBUILD ONBUILD RUN x\nONBUILD FROM x\nONBUILD MAINTAINER x\n\
                    ONBUILD RUN x\n";
        assert_eq!(lines("DL3043", text), vec![2, 3, 4]);
    }

    #[test]
    fn dl3044_env_self_reference() {
        let text = "FROM debian:12\nENV A=1 B=$A\nENV C=1 D=${C}\nENV E=1 F=$EX\nENV G=$G:x\n\
                    ENV H=1\nENV I=$H J=2\nENV K=1 L=\"${K}\"\nENV M=1 N='$M'\nENV O 1 $O\n\
                    ARG P\nENV P=1 Q=$P\nENV R=1 S=${R:-x}\nENV T=1 U=$T_x\nENV V=1 W=$V-x\n\
                    ENV X=1 Y=\\$X\nENV Z=1\nENV Z=2 ZZ=$Z\nFROM debian:12\nENV A=1 B=$A\n\
                    ENV BB=$AA AA=1\n";
        assert_eq!(lines("DL3044", text), vec![2, 3, 8, 9, 15, 16, 21]);
    }

    #[test]
    fn dl3046_useradd_long_uid() {
        let text = "FROM debian:12\nRUN useradd -u 123456 x\nRUN useradd -u 12345 x\n\
                    RUN useradd -l -u 123456 x\nRUN useradd --uid 123456 x\n\
                    RUN useradd --uid=123456 x\nRUN useradd -u123456 username\n\
                    RUN useradd -mu 123456 x\nRUN useradd --no-log-init -u 123456 x\n\
                    RUN useradd -u 1234567 -l x\nRUN useradd -r -u \"$UID\" x\n\
                    RUN useradd -u ${USER_ID} x\nRUN /usr/sbin/useradd -u 123456 x\n\
                    ONBUILD RUN useradd -u 1234567 x\n";
        assert_eq!(lines("DL3046", text), vec![2, 7, 8, 11, 12, 14]);
    }

    #[test]
    fn dl3047_wget_progress() {
        let text = "FROM debian:12\nRUN wget http://x\nRUN wget -q http://x\n\
                    RUN wget --quiet http://x\nRUN wget -nv http://x\nRUN wget --no-verbose http://x\n\
                    RUN wget -O /x http://x\nRUN wget -o log http://x\n\
                    RUN wget --progress=dot http://x\nRUN wget --output-file=x http://x\n\
                    RUN wget -a log http://x\nRUN wget -qO- http://x\n\
                    RUN wget --output-document=x http://x\nRUN /usr/bin/wget http://x\n\
                    RUN wget -nc http://x\nONBUILD RUN wget x\n";
        assert_eq!(lines("DL3047", text), vec![2, 7, 13, 15, 16]);
    }

    #[test]
    fn dl3057_stages_without_healthcheck() {
        let text = "FROM debian:12 AS a\nHEALTHCHECK NONE\nFROM a AS b\nFROM debian:11\n\
                    FROM alpine\nFROM b\nFROM c\n";
        assert_eq!(lines_on("DL3057", text), vec![4, 5, 7]);
        assert!(lines("DL3057", text).is_empty());
        let text = "FROM alpine\nHEALTHCHECK CMD [\"x\"]\nFROM alpine:3\nFROM debian\n";
        assert_eq!(lines_on("DL3057", text), vec![4]);
        // A HEALTHCHECK in a stage also clears the stages it is built from.
        let text = "FROM debian:12 AS x\nFROM golang:1.22 AS builder\nFROM builder\n\
                    HEALTHCHECK CMD x\nFROM scratch\n";
        assert_eq!(lines_on("DL3057", text), vec![1, 5]);
        let text = "FROM alpine AS a\nFROM a\nHEALTHCHECK NONE\n";
        assert!(lines_on("DL3057", text).is_empty());
        let text = "FROM alpine AS a\nFROM debian AS a\nHEALTHCHECK NONE\n";
        assert_eq!(lines_on("DL3057", text), vec![1]);
        let text = "HEALTHCHECK NONE\nFROM alpine\nFROM alpine\n";
        assert_eq!(lines_on("DL3057", text), vec![2, 3]);
    }

    #[test]
    fn dl3059_consecutive_runs() {
        let text = "FROM debian:12\nRUN a && b\nRUN c\nRUN d\n# c\nRUN e\n\nRUN f && g\n\
                    RUN h\nONBUILD RUN i\nRUN j\nRUN [\"k\"]\nRUN echo $(date)\nRUN l\n";
        assert_eq!(lines("DL3059", text), vec![4, 6, 12]);
        let text = "FROM debian:12\nRUN a\nRUN --mount=type=cache,target=/x c\n\
                    RUN --mount=type=cache,target=/x d\nRUN --mount=type=cache,target=/y e\n\
                    RUN --network=host f\nRUN --network=host g\n\
                    RUN --mount=type=cache,target=/x --mount=type=cache,target=/y h\n\
                    RUN --mount=type=cache,target=/y --mount=type=cache,target=/x i\n\
                    RUN --mount=type=cache,target=/x,id=a j\nRUN --mount=type=cache,id=a,target=/x k\n";
        assert_eq!(lines("DL3059", text), vec![4, 7, 9, 11]);
    }

    #[test]
    fn dl3061_before_from() {
        let text = "# syntax=docker/dockerfile:1\nARG A\nLABEL a=b\nENV X=1\nRUN x\n\
                    ONBUILD RUN x\nFROM debian:12\nLABEL b=c\n";
        assert_eq!(lines("DL3061", text), vec![3, 4, 5, 6]);
    }

    #[test]
    fn dl3064_sensitive_names() {
        let text = "FROM debian:12\nARG github_token\nARG MY_API_KEY=1\nARG PASSWORD_FILE\n\
                    ARG A=1 B=2\nARG X_TOKEN_Y\nENV NPM_TOKEN=1 OTHER=2\nENV Foo_Secret 1\n\
                    ENV KEY=1\nARG UserName\nARG aws_access_key_id\nARG ok A_SECRET\n\
                    ARG A=1 B_SECRET=2\nARG C_SECRET ok\nONBUILD ARG GITHUB_TOKEN\n";
        assert_eq!(
            lines("DL3064", text),
            vec![2, 3, 4, 6, 7, 8, 10, 11, 14, 15]
        );
    }

    #[test]
    fn dl3066_non_numeric_user() {
        let text = "ARG APP_UID\nFROM debian:12\nUSER 1000\nUSER 1000:1000\nUSER app\n\
                    USER app:grp\nUSER ${APP_UID}\nUSER $APP_UID:1\nUSER ${OTHER}\nUSER :1000\n\
                    ONBUILD USER app\n";
        assert_eq!(lines("DL3066", text), vec![5, 6, 9]);
    }

    #[test]
    fn dl3067_whole_filesystem() {
        let text =
            "FROM debian:12\nCOPY --from=0 / /\nCOPY --from=0 \"/\" /\nCOPY --from=0 a / /\n\
                    COPY / /\nCOPY --from=0 / /x\n";
        assert_eq!(lines("DL3067", text), vec![2, 3, 4]);
    }

    #[test]
    fn dl4000_maintainer() {
        let text = "FROM debian:12\nMAINTAINER me\nONBUILD MAINTAINER x\n";
        assert_eq!(lines("DL4000", text), vec![2]);
    }

    #[test]
    fn dl4001_curl_and_wget() {
        let text = "FROM debian:12\nRUN curl x\nRUN wget -q x\nRUN wget -q x && curl y\nRUN echo\n\
                    FROM debian:12\nRUN wget -q x\nRUN echo\nRUN curl x\nRUN curl y\n\
                    ONBUILD RUN wget -q x\nFROM debian:12\nONBUILD RUN curl x\n";
        assert_eq!(lines("DL4001", text), vec![3, 4, 9, 10, 13]);
    }

    #[test]
    fn dl4005_linking_bin_sh() {
        let text = "FROM debian:12\nRUN ln -s /bin/bash /bin/sh\nRUN ln -sf bash /bin/sh\n\
                    RUN ln -s /bin/sh /bin/bash\nRUN ln -s /bin/bash /bin/shx\n\
                    ONBUILD RUN ln -s /bin/bash /bin/sh\n";
        assert_eq!(lines("DL4005", text), vec![2, 3, 4, 6]);
    }

    #[test]
    fn dl4006_pipefail() {
        let text = "FROM debian:12\nSHELL [\"powershell\",\"-command\"]\nRUN a | b\n\
                    FROM debian:12\nSHELL [\"/usr/bin/bash\",\"-o\",\"pipefail\",\"-c\"]\nRUN a | b\n\
                    FROM debian:12\nSHELL [\"/bin/bash\",\"-eo\",\"pipefail\",\"-c\"]\nRUN a | b\n\
                    FROM debian:12\nRUN set -o pipefail && a | b\n\
                    FROM debian:12\nSHELL [\"pwsh\",\"-c\"]\nRUN a | b\n\
                    FROM debian:12\nSHELL [\"/bin/sh\",\"-o\",\"pipefail\",\"-c\"]\nRUN a | b\n\
                    FROM debian:12\nSHELL [\"cmd\",\"/S\",\"/C\"]\nRUN a | b\n\
                    FROM debian:12\nSHELL [\"bash\",\"-o\",\"pipefail\",\"-c\"]\nRUN a | b\n\
                    FROM debian:12\nSHELL [\"/bin/zsh\",\"-c\",\"-o\",\"pipefail\"]\nRUN a | b\n\
                    FROM debian:12\nRUN a || b\nONBUILD RUN a | b\nRUN echo $(a | b)\n";
        assert_eq!(lines("DL4006", text), vec![6, 11, 17, 30]);
    }

    fn lint_all_rules(text: &str) {
        if let Ok(df) = crate::parse(text) {
            let mut config = LintConfig {
                trusted_registries: vec!["*".into(), "a*".into(), "*b".into()],
                ..LintConfig::default()
            };
            for code in ["DL1001", "DL3057"] {
                config.overrides.insert(code.into(), Some(Severity::Low));
            }
            let _ = lint("Dockerfile", &df, &config);
        }
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let snippets = [
            "FROM :\nFROM @\nFROM .\nFROM a.:/\nFROM ::::\nFROM a@\nFROM a:b:c@d@e\n",
            "FROM a\nWORKDIR é\nWORKDIR \"\nWORKDIR '\nUSER :\nUSER é:é\n",
            "FROM a\nEXPOSE -\nEXPOSE 0-0-99999999999999999999999\nEXPOSE /\nEXPOSE é\n",
            "FROM a\nCOPY --from= a b\nCOPY x\nADD x\nCOPY --from=é / /\nCOPY --from=9999999999999999999999 a b\n",
            "FROM a\nRUN --mount=,,,= x\nRUN --mount x\nRUN <<\nRUN <<'EOF\n",
            "FROM a\nRUN <<EOF\nx\nEOF\n\nRUN x <<EOF\nEOF\n\nRUN <<\"E\nE\n",
            "FROM a\nRUN useradd -u\nRUN wget --\nRUN time\nRUN time -p\nRUN tar -x\n",
            "FROM a\nSHELL []\nSHELL [\"\"]\nHEALTHCHECK\nENV A=1 B=$\nONBUILD\nFROM a AS\n",
            "ARG\nUSER $\nENV A=$A B=${A\nFROM a AS b AS c\nFROM --platform a\n",
        ];
        for text in snippets {
            lint_all_rules(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_dockerfiles_do_not_panic(
            lines in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "FROM", "RUN", "COPY", "ADD", "USER", "WORKDIR", "EXPOSE", "ENV", "ARG",
                        "CMD", "ENTRYPOINT", "HEALTHCHECK", "SHELL", "ONBUILD", "MAINTAINER",
                        "# hadolint ignore=DL3003", "",
                    ]),
                    "[ a-zA-Z0-9:@./$_{}=\\-\\[\\]\"'|&;<>()#`é]{0,40}",
                ),
                0..12,
            )
        ) {
            let text: String = lines
                .iter()
                .map(|(keyword, rest)| format!("{keyword} {rest}\n"))
                .collect();
            lint_all_rules(&text);
        }
    }
}
