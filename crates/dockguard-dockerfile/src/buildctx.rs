//! Build-context awareness: which files `COPY`/`ADD` would bake into a layer.
//!
//! `dockguard lint --context DIR Dockerfile` walks the build context the way the builder sees
//! it (after `.dockerignore`), works out which files each `COPY`/`ADD` from the context takes,
//! and reports the credentials among them: private keys (by name and by content), `.env`
//! files, cloud and registry credentials, `.git`, Terraform state, `.netrc`.
//!
//! The walk never follows symbolic links and never opens anything outside the context: a
//! link is copied as a link by `COPY`, and its target may be anywhere on this machine.

use crate::ast::{Dockerfile, Instruction, Keyword};
use crate::lint::rule_info;
use crate::stages::Model;
use dockguard_core::{Finding, FindingKind, Location};
use regex::Regex;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Entries walked before the scan stops and says so (DG2004).
pub const MAX_ENTRIES: usize = 1_000_000;

/// Bytes read from a file to recognise its content.
const SNIFF_BYTES: u64 = 1024;

/// Files larger than this are not opened (keys and credential files are small).
const SNIFF_MAX_SIZE: u64 = 1024 * 1024;

/// A build context that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct BuildContextError {
    pub path: String,
    pub message: String,
}

/// Findings for sensitive files that the Dockerfile's COPY/ADD would take from `context`.
pub fn scan(
    dockerfile_path: &str,
    dockerfile: &[u8],
    context: &Path,
) -> Result<Vec<Finding>, BuildContextError> {
    let fail = |path: &Path, message: String| BuildContextError {
        path: path.display().to_string(),
        message,
    };
    let df = crate::parse_bytes(dockerfile)
        .map_err(|e| fail(Path::new(dockerfile_path), e.to_string()))?;
    let meta = std::fs::metadata(context).map_err(|e| fail(context, e.to_string()))?;
    if !meta.is_dir() {
        return Err(fail(
            context,
            "build context is not a directory".to_string(),
        ));
    }
    let ignore = read_ignore_file(dockerfile_path, context).map_err(|(p, m)| fail(&p, m))?;
    let copies_from_context = df
        .instructions
        .iter()
        .any(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add) && i.flag("from").is_none());
    if !copies_from_context {
        return Ok(Vec::new());
    }
    let tree = ContextTree::walk(context, ignore.as_ref().map(|(_, m)| m), MAX_ENTRIES);
    Ok(findings_for(dockerfile_path, &df, &tree, ignore.is_some()))
}

// ---------------------------------------------------------------------------------------------
// .dockerignore

/// Reads `<Dockerfile>.dockerignore` next to the Dockerfile (BuildKit prefers it), else
/// `.dockerignore` in the context root. `None` when neither exists.
fn read_ignore_file(
    dockerfile_path: &str,
    context: &Path,
) -> Result<Option<(PathBuf, IgnoreMatcher)>, (PathBuf, String)> {
    let mut candidates = Vec::new();
    if !dockerfile_path.is_empty() && dockerfile_path != "-" && !dockerfile_path.starts_with('<') {
        candidates.push(PathBuf::from(format!("{dockerfile_path}.dockerignore")));
    }
    candidates.push(context.join(".dockerignore"));
    for path in candidates {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_file() => {
                if meta.len() > 16 * 1024 * 1024 {
                    return Err((path, "ignore file larger than 16 MiB".to_string()));
                }
                let bytes = std::fs::read(&path).map_err(|e| (path.clone(), e.to_string()))?;
                let text = String::from_utf8_lossy(&bytes);
                return Ok(Some((path, IgnoreMatcher::new(&ignore_patterns(&text)))));
            }
            _ => continue,
        }
    }
    Ok(None)
}

/// The patterns of an ignore file, as Docker reads them: a `#` in the first column starts a
/// comment, blanks around a pattern are dropped, paths are cleaned and a leading `/` removed.
pub fn ignore_patterns(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        let mut pattern = line.trim();
        if pattern.is_empty() {
            continue;
        }
        let invert = pattern.starts_with('!');
        if invert {
            pattern = pattern[1..].trim();
        }
        let mut cleaned = if pattern.is_empty() {
            String::new()
        } else {
            clean(pattern)
        };
        if cleaned.len() > 1 && cleaned.starts_with('/') {
            cleaned.remove(0);
        }
        out.push(if invert {
            format!("!{cleaned}")
        } else {
            cleaned
        });
    }
    out
}

/// Go's `filepath.Clean` for `/`-separated paths.
pub fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

#[derive(Debug, Clone)]
enum MatchKind {
    Exact,
    /// `foo**`: the path starts with the text before `**`.
    Prefix(String),
    /// `**foo` / `**/foo`: the path ends with the text after `**`.
    Suffix(String),
    Regex(Regex),
}

#[derive(Debug, Clone)]
struct IgnorePattern {
    text: String,
    exclusion: bool,
    kind: MatchKind,
}

impl IgnorePattern {
    fn new(raw: &str) -> Option<IgnorePattern> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        let cleaned = clean(raw);
        let (exclusion, text) = match cleaned.strip_prefix('!') {
            Some("") => return None,
            Some(rest) => (true, rest.to_string()),
            None => (false, cleaned),
        };
        let kind = compile_pattern(&text)?;
        Some(IgnorePattern {
            text,
            exclusion,
            kind,
        })
    }

    fn matches(&self, path: &str) -> bool {
        match &self.kind {
            MatchKind::Exact => path == self.text,
            MatchKind::Prefix(p) => path.starts_with(p.as_str()),
            MatchKind::Suffix(s) => {
                path.ends_with(s.as_str()) || s.strip_prefix('/').is_some_and(|rest| path == rest)
            }
            MatchKind::Regex(r) => r.is_match(path),
        }
    }
}

/// Translates a pattern the way Docker's pattern matcher does: `*` and `?` stay inside one
/// path component, `**` spans any number of them, `[…]` classes and `\` escapes pass through.
/// Patterns without wildcards compare exactly; `foo**` and `**foo` are prefix/suffix tests.
fn compile_pattern(pattern: &str) -> Option<MatchKind> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut regex = String::from("^");
    let mut kind = 0u8; // 0 exact, 1 prefix, 2 suffix, 3 regex
    let mut i = 0;
    let mut first = true;
    let mut in_class = false;
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                if i >= chars.len() {
                    if kind == 0 {
                        kind = 1;
                    } else {
                        regex.push_str(".*");
                        kind = 3;
                    }
                } else {
                    regex.push_str("(.*/)?");
                    kind = 3;
                }
                if first {
                    kind = 2;
                }
            }
            '*' => {
                regex.push_str("[^/]*");
                kind = 3;
            }
            '?' => {
                regex.push_str("[^/]");
                kind = 3;
            }
            '\\' => match chars.get(i) {
                Some(&n) => {
                    i += 1;
                    regex.push_str(&regex::escape(&n.to_string()));
                    kind = 3;
                }
                None => regex.push_str("\\\\"),
            },
            '[' if !in_class => {
                regex.push(c);
                in_class = true;
                kind = 3;
            }
            ']' => {
                regex.push(c);
                in_class = false;
                kind = 3;
            }
            // Inside a class Go's syntax is kept (`a-z`, `^`); characters the regex crate
            // gives a meaning there (`&&`, `--`, `~~`, nested `[`) are escaped.
            '-' if in_class && !regex.ends_with('-') => regex.push('-'),
            '^' if in_class => regex.push('^'),
            other => regex.push_str(&regex::escape(&other.to_string())),
        }
        first = false;
    }
    match kind {
        0 => Some(MatchKind::Exact),
        1 => Some(MatchKind::Prefix(
            pattern.strip_suffix("**").unwrap_or(pattern).to_string(),
        )),
        2 => Some(MatchKind::Suffix(
            pattern.get(2..).unwrap_or("").to_string(),
        )),
        _ => {
            regex.push('$');
            Regex::new(&regex).ok().map(MatchKind::Regex)
        }
    }
}

/// `.dockerignore` semantics: patterns in order, the last one that matches a path or one of
/// its parent directories decides, and `!` patterns bring paths back.
#[derive(Debug, Clone, Default)]
pub struct IgnoreMatcher {
    patterns: Vec<IgnorePattern>,
    exclusions: bool,
}

impl IgnoreMatcher {
    pub fn new(patterns: &[String]) -> IgnoreMatcher {
        let patterns: Vec<IgnorePattern> = patterns
            .iter()
            .filter_map(|p| IgnorePattern::new(p))
            .collect();
        let exclusions = patterns.iter().any(|p| p.exclusion);
        IgnoreMatcher {
            patterns,
            exclusions,
        }
    }

    /// Whether a context-relative, `/`-separated path is left out of the build context.
    pub fn ignores(&self, path: &str) -> bool {
        let path = clean(path);
        if path == "." {
            return false;
        }
        let parents: Vec<&str> = match path.rfind('/') {
            Some(i) => path[..i].split('/').collect(),
            None => Vec::new(),
        };
        let mut matched = false;
        for pattern in &self.patterns {
            if pattern.exclusion != matched {
                continue;
            }
            let mut hit = pattern.matches(&path);
            if !hit {
                for depth in 1..=parents.len() {
                    if pattern.matches(&parents[..depth].join("/")) {
                        hit = true;
                        break;
                    }
                }
            }
            if hit {
                matched = !pattern.exclusion;
            }
        }
        matched
    }

    /// True when a matched directory may still contain re-included paths.
    fn has_exclusions(&self) -> bool {
        self.exclusions
    }
}

/// Go's `filepath.Match` for `COPY` source globs: `*`, `?` and `[…]` never match `/`, so
/// pattern and path are matched component by component. A malformed pattern (an unclosed
/// `[`) matches nothing, as in Go.
pub fn glob_matches(pattern: &str, path: &str) -> bool {
    let patterns: Vec<&str> = pattern.split('/').collect();
    let parts: Vec<&str> = path.split('/').collect();
    patterns.len() == parts.len()
        && patterns
            .iter()
            .zip(&parts)
            .all(|(p, t)| match glob_tokens(p) {
                Some(tokens) => component_matches(&tokens, &t.chars().collect::<Vec<_>>()),
                None => false,
            })
}

#[derive(Debug, Clone, PartialEq)]
enum GlobToken {
    Star,
    Any,
    Literal(char),
    Class {
        negate: bool,
        ranges: Vec<(char, char)>,
    },
}

fn glob_tokens(pattern: &str) -> Option<Vec<GlobToken>> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            '*' => {
                if out.last() != Some(&GlobToken::Star) {
                    out.push(GlobToken::Star);
                }
            }
            '?' => out.push(GlobToken::Any),
            '\\' => {
                out.push(GlobToken::Literal(*chars.get(i)?));
                i += 1;
            }
            '[' => {
                let negate = matches!(chars.get(i), Some('^' | '!'));
                if negate {
                    i += 1;
                }
                let mut ranges = Vec::new();
                loop {
                    let mut lo = *chars.get(i)?;
                    if lo == ']' && !ranges.is_empty() {
                        i += 1;
                        break;
                    }
                    if lo == '\\' {
                        i += 1;
                        lo = *chars.get(i)?;
                    }
                    i += 1;
                    let mut hi = lo;
                    if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&h| h != ']') {
                        hi = *chars.get(i + 1)?;
                        if hi == '\\' {
                            hi = *chars.get(i + 2)?;
                            i += 1;
                        }
                        i += 2;
                    }
                    ranges.push((lo, hi));
                }
                out.push(GlobToken::Class { negate, ranges });
            }
            other => out.push(GlobToken::Literal(other)),
        }
    }
    Some(out)
}

fn token_matches(token: &GlobToken, c: char) -> bool {
    match token {
        GlobToken::Star => true,
        GlobToken::Any => true,
        GlobToken::Literal(l) => *l == c,
        GlobToken::Class { negate, ranges } => {
            ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negate
        }
    }
}

/// Wildcard matching within one path component, in time proportional to the product of the
/// lengths (one backtracking point, as `*` never has to give back more than the last one).
fn component_matches(pattern: &[GlobToken], text: &[char]) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < text.len() {
        match pattern.get(pi) {
            Some(GlobToken::Star) => {
                star = Some((pi + 1, ti));
                pi += 1;
            }
            Some(token) if token_matches(token, text[ti]) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((after, start)) => {
                    pi = after;
                    ti = start + 1;
                    star = Some((after, start + 1));
                }
                None => return false,
            },
        }
    }
    pattern[pi.min(pattern.len())..]
        .iter()
        .all(|t| *t == GlobToken::Star)
}

// ---------------------------------------------------------------------------------------------
// The context tree

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    File,
    Dir,
    /// Symbolic links and special files: copied as they are, never read.
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    kind: EntryKind,
    size: u64,
}

/// The build context after `.dockerignore`: context-relative paths to entries.
struct ContextTree {
    root: PathBuf,
    entries: BTreeMap<String, Entry>,
    truncated: bool,
}

impl ContextTree {
    fn walk(root: &Path, ignore: Option<&IgnoreMatcher>, limit: usize) -> ContextTree {
        let mut entries = BTreeMap::new();
        let mut seen = 0usize;
        let mut truncated = false;
        let prune = ignore.is_some_and(|m| !m.has_exclusions());
        let relative = |path: &Path| -> Option<String> {
            let rel = path.strip_prefix(root).ok()?;
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            Some(parts.join("/"))
        };
        let walker = walkdir::WalkDir::new(root)
            .follow_links(false)
            .min_depth(1)
            .into_iter()
            .filter_entry(|e| {
                // Without `!` patterns nothing under an ignored directory can come back.
                !(prune
                    && e.file_type().is_dir()
                    && relative(e.path()).is_some_and(|r| ignore.is_some_and(|m| m.ignores(&r))))
            });
        for item in walker {
            seen += 1;
            if seen > limit {
                truncated = true;
                break;
            }
            let Ok(entry) = item else { continue };
            let Some(rel) = relative(entry.path()) else {
                continue;
            };
            if ignore.is_some_and(|m| m.ignores(&rel)) {
                continue;
            }
            let file_type = entry.file_type();
            let kind = if file_type.is_dir() {
                EntryKind::Dir
            } else if file_type.is_file() {
                EntryKind::File
            } else {
                EntryKind::Other
            };
            let size = if kind == EntryKind::File {
                entry.metadata().map(|m| m.len()).unwrap_or(0)
            } else {
                0
            };
            entries.insert(rel, Entry { kind, size });
        }
        ContextTree {
            root: root.to_path_buf(),
            entries,
            truncated,
        }
    }

    /// Files (and links) under a directory, with their paths relative to it.
    fn under<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = (&'a String, &'a Entry)> + 'a {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        self.entries
            .range(prefix.clone()..)
            .take_while(move |(k, _)| k.starts_with(&prefix))
            .filter(|(_, e)| e.kind != EntryKind::Dir)
    }

    /// Files a `COPY` source selects: `(path in context, path relative to the copied source,
    /// whether it came from a directory)`.
    fn select(&self, source: &str) -> Vec<(String, String, bool)> {
        let source = clean(&format!("/{source}"));
        let source = source.trim_start_matches('/');
        let mut out = Vec::new();
        let mut take = |path: &str, entry: &Entry| {
            if entry.kind == EntryKind::Dir {
                for (file, _) in self.under(path) {
                    let inner = if path.is_empty() {
                        file.as_str()
                    } else {
                        file.get(path.len() + 1..).unwrap_or("")
                    };
                    out.push((file.clone(), inner.to_string(), true));
                }
            } else {
                let name = path.rsplit('/').next().unwrap_or(path);
                out.push((path.to_string(), name.to_string(), false));
            }
        };
        if source.is_empty() {
            take(
                "",
                &Entry {
                    kind: EntryKind::Dir,
                    size: 0,
                },
            );
        } else if source.contains(['*', '?', '[']) {
            for (path, entry) in &self.entries {
                if glob_matches(source, path) {
                    take(path, entry);
                }
            }
        } else if let Some(entry) = self.entries.get(source) {
            take(source, entry);
        }
        out
    }

    /// The first bytes of a regular file, read only when it is still the file that was walked.
    fn sniff(&self, rel: &str, entry: &Entry) -> Option<Vec<u8>> {
        if entry.kind != EntryKind::File || entry.size > SNIFF_MAX_SIZE {
            return None;
        }
        let path = self.root.join(rel);
        let before = std::fs::symlink_metadata(&path).ok()?;
        if !before.file_type().is_file() {
            return None;
        }
        let file = std::fs::File::open(&path).ok()?;
        let after = file.metadata().ok()?;
        if !same_file(&before, &after) {
            return None;
        }
        let mut buf = Vec::with_capacity(SNIFF_BYTES as usize);
        file.take(SNIFF_BYTES).read_to_end(&mut buf).ok()?;
        Some(buf)
    }
}

/// The opened file is the one that was checked (a link swapped in between is refused).
#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    b.is_file() && a.len() == b.len()
}

// ---------------------------------------------------------------------------------------------
// What is sensitive

/// Why a path looks like a credential file, if it does. Used for `COPY`/`ADD` sources and
/// destinations by the Dockerfile rules (DG1015/DG1016), which cannot see file contents.
pub fn secret_file_kind(path: &str) -> Option<&'static str> {
    let path = path.trim_end_matches('/');
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let components: Vec<&str> = lower.split('/').collect();
    let in_dir = |d: &str| components.iter().rev().skip(1).any(|c| *c == d);
    if ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"]
        .iter()
        .any(|k| name.starts_with(k))
    {
        return (!name.ends_with(".pub")).then_some("SSH private key");
    }
    if !name.ends_with(".pub") {
        if name.starts_with("ssh_host_") && name.contains("_key") {
            return Some("SSH host key");
        }
        if ["_rsa", "_dsa", "_ecdsa", "_ed25519"]
            .iter()
            .any(|s| name.ends_with(s))
        {
            return Some("SSH private key");
        }
        let stem = name.split('.').next().unwrap_or(name);
        if matches!(
            stem,
            "deploy_key" | "deploy-key" | "private_key" | "private-key" | "privkey" | "ssh_key"
        ) {
            return Some("private key");
        }
    }
    if name == ".ssh" {
        return Some("SSH directory");
    }
    if in_dir(".ssh") {
        let public =
            name.ends_with(".pub") || matches!(name, "known_hosts" | "config" | "authorized_keys");
        return (!public).then_some("SSH key");
    }
    if name == ".aws" || (in_dir(".aws") && name == "credentials") {
        return Some("AWS credentials");
    }
    if lower.ends_with(".docker/config.json") {
        return Some("Docker registry credentials");
    }
    if name == ".env" {
        return Some("environment file");
    }
    if let Some(suffix) = name.strip_prefix(".env.") {
        if !matches!(
            suffix,
            "example" | "sample" | "template" | "dist" | "defaults"
        ) {
            return Some("environment file");
        }
    }
    match name {
        ".npmrc" => return Some("npm credentials"),
        ".pypirc" => return Some("PyPI credentials"),
        ".netrc" | "_netrc" => return Some("netrc credentials"),
        ".git-credentials" => return Some("git credentials"),
        "credentials" | "credentials.json" => return Some("credentials file"),
        ".htpasswd" => return Some("password file"),
        _ => {}
    }
    if name.ends_with(".tfstate") || name.ends_with(".tfstate.backup") {
        return Some("Terraform state");
    }
    if [".p12", ".pfx", ".jks", ".keystore"]
        .iter()
        .any(|e| name.ends_with(e))
    {
        return Some("key store");
    }
    // Certificates and public or package-signing keys share these extensions; their names
    // usually say so.
    let public_words = [
        "cert", "crt", "chain", "bundle", "ca.", "ca-", "pub", "gpg", "apt", "release", "signing",
        "archive", "repo",
    ];
    if (name.ends_with(".pem") || name.ends_with(".key"))
        && !public_words.iter().any(|w| name.contains(w))
    {
        return Some("private key");
    }
    None
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn contains_ignore_case(haystack: &[u8], needle: &str) -> bool {
    let lower: Vec<u8> = haystack.iter().map(u8::to_ascii_lowercase).collect();
    contains(&lower, needle.as_bytes())
}

fn has_private_key(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    text.match_indices("-----BEGIN ").any(|(i, _)| {
        let line = text[i..].lines().next().unwrap_or("");
        line.contains("PRIVATE KEY")
    })
}

/// Why a context file is sensitive, from its path, where it lands and its first bytes.
fn classify(tree: &ContextTree, rel: &str, entry: &Entry, landing: &str) -> Option<&'static str> {
    // A link is copied as a link: what it points to is not in this file's layer.
    if entry.kind != EntryKind::File {
        return None;
    }
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    let head = tree.sniff(rel, entry);
    let head = head.as_deref();
    if head.is_some_and(has_private_key) {
        return Some("private key");
    }
    if head.is_some_and(|h| contains_ignore_case(h, "aws_secret_access_key")) {
        return Some("AWS credentials");
    }
    // For these the name alone is common and harmless; the content tells.
    let needs_content: Option<(&str, &[&str])> = match name.as_str() {
        ".npmrc" => Some(("npm credentials", &["_authtoken", "_auth", "_password"])),
        ".pypirc" => Some(("PyPI credentials", &["password"])),
        "config.json" if rel.ends_with(".docker/config.json") => {
            Some(("Docker registry credentials", &["\"auths\""]))
        }
        _ => None,
    };
    if let Some((kind, markers)) = needs_content {
        return head
            .is_some_and(|h| markers.iter().any(|m| contains_ignore_case(h, m)))
            .then_some(kind);
    }
    let by_name = secret_file_kind(rel).or_else(|| secret_file_kind(landing));
    match by_name {
        // A readable .pem/.key without a private key in it is a certificate or a public key.
        Some("private key") if head.is_some() => None,
        other => other,
    }
}

// ---------------------------------------------------------------------------------------------
// Findings

/// Stage indices of the final image (the last stage and those it is built FROM).
fn final_stages(model: &Model) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut next = model.stages.len().checked_sub(1);
    while let Some(s) = next {
        if chain.contains(&s) {
            break;
        }
        chain.push(s);
        next = model
            .stages
            .get(s)
            .and_then(|st| st.parent)
            .filter(|&p| p < s);
    }
    chain
}

/// `# dockguard ignore=CODE` / `# hadolint ignore=CODE` on the line before, or a global one.
fn suppressed(df: &Dockerfile, code: &str, line: u32) -> bool {
    df.comments.iter().any(|c| {
        let Some(rest) = c
            .text
            .strip_prefix("dockguard")
            .or_else(|| c.text.strip_prefix("hadolint"))
        else {
            return false;
        };
        let rest = rest.trim_start();
        let (global, rest) = match rest.strip_prefix("global") {
            Some(r) => (true, r.trim_start()),
            None => (false, rest),
        };
        let Some(list) = rest
            .strip_prefix("ignore")
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('='))
        else {
            return false;
        };
        let named = list
            .split(|ch: char| ch == ',' || ch.is_whitespace())
            .any(|c| c == code);
        named && (global || c.line + 1 == line)
    })
}

fn finding(
    path: &str,
    code: &'static str,
    instruction: Option<&Instruction>,
    message: String,
) -> Option<Finding> {
    let info = rule_info(code)?;
    let severity = info.default_severity?;
    let location = match instruction {
        Some(i) => Location::at(path, i.start_line, i.column),
        None => Location::file(path),
    };
    let mut f = Finding::new(
        code,
        FindingKind::Lint,
        severity,
        info.title,
        message,
        location,
    );
    f.references.push(info.url());
    if let Some(fix) = info.fix {
        f = f.with_fix(fix);
    }
    Some(f)
}

/// How an instruction reads in a message: `COPY app/ .` (shortened).
fn shown(instruction: &Instruction) -> String {
    let mut text = format!("{} {}", instruction.keyword, instruction.rest);
    if text.chars().count() > 60 {
        text = text.chars().take(57).collect::<String>() + "...";
    }
    text
}

fn findings_for(
    path: &str,
    df: &Dockerfile,
    tree: &ContextTree,
    has_ignore_file: bool,
) -> Vec<Finding> {
    let model = Model::build(df);
    let finals = final_stages(&model);
    let mut out = Vec::new();
    let mut push = |code: &'static str, instruction: Option<&Instruction>, message: String| {
        if instruction.is_some_and(|i| suppressed(df, code, i.start_line)) {
            return;
        }
        if let Some(f) = finding(path, code, instruction, message) {
            out.push(f);
        }
    };
    for (index, instruction) in df.instructions.iter().enumerate() {
        if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add)
            || instruction.flag("from").is_some()
        {
            continue;
        }
        let Some(stage) = model.stage_of.get(index).copied().flatten() else {
            continue;
        };
        let scope = model.scope(index);
        let expand = |w: &str| scope.expand(w, df.escape);
        let mut words: Vec<String> = instruction.args.iter().map(|a| expand(a)).collect();
        let dest = words.pop().unwrap_or_default();
        let sources: Vec<String> = words
            .into_iter()
            .filter(|w| {
                !w.is_empty()
                    && !w.starts_with("<<")
                    && !w.contains("://")
                    && !w.starts_with("git@")
            })
            .collect();
        let excludes: Vec<String> = instruction
            .flags_named("exclude")
            .filter_map(|f| f.value.as_deref())
            .map(|v| clean(&expand(v)))
            .collect();
        let excluded = IgnoreMatcher::new(&excludes);
        let in_final = finals.contains(&stage);
        let (code, place) = if in_final {
            ("DG2001", "the final image")
        } else {
            ("DG2002", "a build stage")
        };
        let whole_context = sources.iter().any(|s| clean(&format!("/{s}")) == "/");
        if whole_context && !has_ignore_file {
            push(
                "DG2003",
                Some(instruction),
                format!(
                    "`{}` sends the whole build context into the image and there is no .dockerignore; \
                     .git, credentials and local build output go in too",
                    shown(instruction)
                ),
            );
        }
        let several = sources.len() > 1;
        let mut git_files = 0usize;
        for source in &sources {
            for (file, inner, from_dir) in tree.select(source) {
                if !excludes.is_empty() && excluded.ignores(&inner) {
                    continue;
                }
                let Some(entry) = tree.entries.get(&file) else {
                    continue;
                };
                if file == ".git" || file.starts_with(".git/") || file.contains("/.git/") {
                    git_files += 1;
                    continue;
                }
                let landing = if dest.ends_with('/') || from_dir || several {
                    format!("{}/{inner}", dest.trim_end_matches('/'))
                } else {
                    dest.clone()
                };
                let Some(kind) = classify(tree, &file, entry, &landing) else {
                    continue;
                };
                push(
                    code,
                    Some(instruction),
                    format!(
                        "`{}` copies {file} ({kind}) from the build context into {place} at {landing}; \
                         add `{file}` to .dockerignore",
                        shown(instruction)
                    ),
                );
            }
        }
        if git_files > 0 {
            push(
                code,
                Some(instruction),
                format!(
                    "`{}` copies the .git directory ({git_files} files: history, remotes, maybe credentials) into \
                     {place}; add `.git` to .dockerignore",
                    shown(instruction)
                ),
            );
        }
    }
    if tree.truncated {
        push(
            "DG2004",
            None,
            format!(
                "the build context has more than {MAX_ENTRIES} entries; only the first {MAX_ENTRIES} were checked"
            ),
        );
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn matcher(text: &str) -> IgnoreMatcher {
        IgnoreMatcher::new(&ignore_patterns(text))
    }

    #[test]
    fn cleans_like_go() {
        for (input, want) in [
            ("", "."),
            ("a/./b/", "a/b"),
            ("a/../../b", "../b"),
            ("/../a", "/a"),
            ("//a//b", "/a/b"),
            ("./", "."),
            ("a/..", "."),
        ] {
            assert_eq!(clean(input), want, "{input}");
        }
    }

    #[test]
    fn reads_ignore_files_like_docker() {
        let text = "\u{feff}# comment\n  # not a comment  \n\n  /build/  \n!  keep.txt\n./a/../b\n";
        assert_eq!(
            ignore_patterns(text),
            vec!["# not a comment", "build", "!keep.txt", "b"]
        );
    }

    #[test]
    fn ignore_semantics() {
        let m =
            matcher("*.md\n!README.md\nnode_modules\n/secret\n**/*.key\ndocs/**\n!docs/keep/**\n");
        assert!(m.ignores("CHANGES.md"));
        assert!(!m.ignores("README.md"), "exception re-includes");
        assert!(!m.ignores("sub/CHANGES.md"), "* stays in one component");
        assert!(
            m.ignores("node_modules/x/index.js"),
            "a directory pattern covers its contents"
        );
        assert!(
            !m.ignores("src/node_modules/x.js"),
            "patterns are anchored at the root"
        );
        assert!(m.ignores("secret/token"), "leading / is stripped");
        assert!(
            m.ignores("server.key") && m.ignores("a/b/c/server.key"),
            "** spans any depth, including none"
        );
        assert!(m.ignores("docs/a.txt"));
        assert!(!m.ignores("docs/keep/a.txt"), "later exception wins");
        assert!(!m.ignores("."));

        let last_wins = matcher("!a.txt\na.txt\n");
        assert!(last_wins.ignores("a.txt"));
        let re_exclude = matcher("dir\n!dir/file\ndir/file\n");
        assert!(re_exclude.ignores("dir/file"));
        let everything_but = matcher("*\n!src\n");
        assert!(everything_but.ignores("Dockerfile"));
        assert!(!everything_but.ignores("src/main.rs"));
        let prefix = matcher("build**\n");
        assert!(prefix.ignores("build") && prefix.ignores("builder/x"));
        let class = matcher("file[0-9].txt\n?.log\n");
        assert!(class.ignores("file1.txt") && !class.ignores("filex.txt"));
        assert!(class.ignores("a.log") && !class.ignores("ab.log"));
        let suffix = matcher("**/.env\n");
        assert!(
            suffix.ignores(".env") && suffix.ignores("app/.env") && !suffix.ignores("app/x.env")
        );
    }

    #[test]
    fn copy_globs_stay_in_one_component() {
        assert!(glob_matches("*.txt", "a.txt"));
        assert!(!glob_matches("*.txt", "d/a.txt"));
        assert!(glob_matches("d/*.txt", "d/a.txt"));
        assert!(glob_matches("file[0-9]", "file7"));
        assert!(glob_matches("file[!0-9]", "filex"));
        assert!(!glob_matches("file[^0-9]", "file7"));
        assert!(glob_matches("a?c", "abc"));
        assert!(!glob_matches("a?c", "a/c"));
        assert!(!glob_matches("[", "["));
        assert!(glob_matches("\\*", "*"));
        assert!(glob_matches("a*/b", "abc/b") && !glob_matches("a*/b", "abc/d/b"));
        assert!(glob_matches("*", "") && !glob_matches("*", "a/b"));
        // Many stars against a long name stay fast.
        let hostile = format!("{}b", "*a".repeat(60));
        assert!(!glob_matches(&hostile, &"a".repeat(200)));
    }

    const KEY: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n";
    const CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n";

    fn write(root: &Path, rel: &str, content: &str) {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(path, content).unwrap();
    }

    fn scan_text(dockerfile: &str, context: &Path) -> Vec<Finding> {
        let path = context.join("Dockerfile");
        fs::write(&path, dockerfile).unwrap();
        scan(path.to_str().unwrap(), dockerfile.as_bytes(), context).unwrap()
    }

    fn summary(findings: &[Finding]) -> Vec<(String, u32, String)> {
        findings
            .iter()
            .map(|f| {
                let file = f
                    .message
                    .split_once("` copies ")
                    .map(|(_, rest)| rest.split(' ').next().unwrap_or("").to_string())
                    .unwrap_or_default();
                (f.id.clone(), f.location.line.unwrap_or(0), file)
            })
            .collect()
    }

    #[test]
    fn reports_sensitive_files_per_stage() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "id_rsa", KEY);
        write(root, "app/.env", "TOKEN=x\n");
        write(root, "app/main.py", "print()\n");
        write(root, "app/certs/ca.pem", CERT);
        write(root, "app/certs/tls.pem", KEY);
        write(root, "app/weird-name", KEY);
        write(root, "app/.npmrc", "registry=https://registry.example/\n");
        write(
            root,
            "app/sub/.npmrc",
            "//registry.example/:_authToken=abc\n",
        );
        write(root, "app/.git/config", "[core]\n");
        write(root, "app/.git/HEAD", "ref: refs/heads/main\n");
        write(root, "infra/prod.tfstate", "{}\n");
        write(root, ".dockerignore", "infra\n");
        let findings = scan_text(
            "FROM golang AS build\nCOPY id_rsa /root/.ssh/id_rsa\nCOPY infra/ /infra/\n\
             FROM alpine\nCOPY app/ /srv/\n",
            root,
        );
        let got = summary(&findings);
        let want: Vec<(String, u32, String)> = vec![
            ("DG2002", 2, "id_rsa"),
            ("DG2001", 5, "app/.env"),
            ("DG2001", 5, "app/certs/tls.pem"),
            ("DG2001", 5, "app/sub/.npmrc"),
            ("DG2001", 5, "app/weird-name"),
            ("DG2001", 5, "the"),
        ]
        .into_iter()
        .map(|(c, l, f)| (c.to_string(), l, f.to_string()))
        .collect();
        assert_eq!(got, want, "{findings:#?}");
        assert!(
            findings[5].message.contains(".git directory (2 files"),
            "{}",
            findings[5].message
        );
        assert!(findings[1]
            .message
            .contains("add `app/.env` to .dockerignore"));
        assert!(
            findings[1].message.contains("/srv/.env"),
            "{}",
            findings[1].message
        );
        assert_eq!(findings[1].severity, dockguard_core::Severity::High);
        assert_eq!(findings[0].severity, dockguard_core::Severity::Low);
    }

    #[test]
    fn dockerignore_exceptions_and_copy_excludes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".env", "A=1\n");
        write(root, ".env.example", "A=\n");
        write(root, "keys/server.key", KEY);
        write(root, "keys/public.key", "-----BEGIN PUBLIC KEY-----\n");
        write(root, "src/.env.production", "A=1\n");
        write(
            root,
            ".dockerignore",
            "**/.env*\n!src/.env.production\n/keys/\n!keys/server.key\n",
        );
        let findings = scan_text(
            "FROM alpine\nCOPY . /app\nCOPY --exclude=*.production src /src\n",
            root,
        );
        let got = summary(&findings);
        assert_eq!(
            got,
            vec![
                ("DG2001".to_string(), 2, "keys/server.key".to_string()),
                ("DG2001".to_string(), 2, "src/.env.production".to_string()),
            ],
            "{findings:#?}"
        );
    }

    #[test]
    fn dockerfile_specific_ignore_file_wins() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "id_rsa", KEY);
        write(root, ".dockerignore", "id_rsa\n");
        write(root, "Dockerfile.dockerignore", "nothing\n");
        let findings = scan_text("FROM alpine\nCOPY . /app\n", root);
        assert_eq!(
            summary(&findings),
            vec![("DG2001".to_string(), 2, "id_rsa".to_string())]
        );
        fs::remove_file(root.join("Dockerfile.dockerignore")).unwrap();
        let findings = scan_text("FROM alpine\nCOPY . /app\n", root);
        assert!(findings.is_empty(), "{findings:#?}");
    }

    #[test]
    fn whole_context_without_ignore_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "main.go", "package main\n");
        let findings = scan_text(
            "FROM golang\nWORKDIR /src\nCOPY . .\nCOPY main.go /x\n",
            root,
        );
        assert_eq!(
            summary(&findings),
            vec![("DG2003".to_string(), 3, String::new())]
        );
        // An ignore pragma on the line before silences it.
        let findings = scan_text("FROM golang\n# dockguard ignore=DG2003\nCOPY . .\n", root);
        assert!(findings.is_empty(), "{findings:#?}");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_never_followed() {
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "stolen.pem", KEY);
        write(outside.path(), "dir/id_rsa", KEY);
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".dockerignore", "# nothing\n");
        write(root, "ok.txt", "hello\n");
        std::os::unix::fs::symlink(outside.path().join("stolen.pem"), root.join("link.pem"))
            .unwrap();
        std::os::unix::fs::symlink(outside.path().join("dir"), root.join("linkdir")).unwrap();
        std::os::unix::fs::symlink("/nonexistent/target", root.join("dangling")).unwrap();
        let findings = scan_text("FROM alpine\nCOPY . /app\nCOPY linkdir/ /x/\n", root);
        // A link is copied as a link, so its target outside the context never lands in the
        // image; it is not read, and nothing under the linked directory is seen.
        assert!(findings.is_empty(), "{findings:#?}");
        let tree = ContextTree::walk(root, None, MAX_ENTRIES);
        let entry = tree.entries.get("link.pem").copied().unwrap();
        assert_eq!(entry.kind, EntryKind::Other);
        assert!(tree.sniff("link.pem", &entry).is_none());
        assert!(!tree.entries.keys().any(|k| k.starts_with("linkdir/")));
    }

    #[test]
    fn walk_is_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for i in 0..10 {
            write(root, &format!("f{i}"), "x");
        }
        let tree = ContextTree::walk(root, None, 5);
        assert!(tree.truncated);
        assert_eq!(tree.entries.len(), 5);
        let df = crate::parse("FROM alpine\nCOPY f1 /f1\n").unwrap();
        let findings = findings_for("Dockerfile", &df, &tree, true);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].id, "DG2004");
    }

    #[test]
    fn errors_name_the_context() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let err = scan("Dockerfile", b"FROM alpine\n", &missing).unwrap_err();
        assert!(err.path.contains("missing"));
        write(dir.path(), "file", "x");
        assert!(scan("Dockerfile", b"FROM alpine\n", &dir.path().join("file")).is_err());
        assert!(scan("Dockerfile", b"\0", dir.path()).is_err());
    }

    #[test]
    fn fixture_debian12_app_bakes_in_its_secrets() {
        let dockerfile = dockguard_testkit::require_fixture!("images/debian12-app.Dockerfile");
        let context = dockguard_testkit::require_fixture!("images/debian12-app.context");
        let bytes = fs::read(&dockerfile).unwrap();
        let findings = scan(dockerfile.to_str().unwrap(), &bytes, &context).unwrap();
        let got = summary(&findings);
        let want: Vec<(String, u32, String)> = [
            (26, "id_rsa"),
            (46, "aws-credentials"),
            (54, "app/.env"),
            (54, "app/certs/server.key"),
        ]
        .iter()
        .map(|(l, f)| ("DG2001".to_string(), *l, f.to_string()))
        .collect();
        assert_eq!(got, want, "{findings:#?}");
        assert!(findings
            .iter()
            .all(|f| f.severity == dockguard_core::Severity::High));
    }
}
