//! The checks: image configuration and history, then the files of the final image (one walk
//! over the merged view plus one over every layer for files that were deleted later).

use crate::analyzer::{Account, Recorded, ANALYZER_NAME};
use crate::rules::{self, Rule};
use crate::surface;
use dockguard_core::{Finding, Location, Severity};
use dockguard_image::{FileEntry, FileKind, Image, Scan};
use std::collections::{BTreeMap, BTreeSet};

/// What every check can look at.
pub(crate) struct Ctx<'a> {
    pub image: &'a Image,
    pub scan: &'a Scan,
    pub digests: Vec<Option<String>>,
    pub passwd: Option<(usize, Vec<Account>, Vec<String>)>,
    pub group: Option<(usize, Vec<Account>)>,
    pub shadow: Option<(usize, Vec<String>)>,
    pub os_id: Option<String>,
}

impl<'a> Ctx<'a> {
    pub fn new(image: &'a Image, scan: &'a Scan) -> Ctx<'a> {
        let digests = scan
            .layers
            .iter()
            .map(|l| l.digest.as_ref().map(|d| d.to_string()))
            .collect();
        let mut ctx = Ctx {
            image,
            scan,
            digests,
            passwd: None,
            group: None,
            shadow: None,
            os_id: None,
        };
        for o in scan.outputs(ANALYZER_NAME) {
            // Only the version a container would see counts; earlier versions are history.
            let visible = scan.fs.get(&o.path).map(|e| e.layer_index) == Some(o.layer_index);
            if !visible {
                continue;
            }
            let Ok(rec) = serde_json::from_value::<Recorded>(o.value.clone()) else {
                continue;
            };
            match rec {
                Recorded::Passwd {
                    users,
                    empty_password,
                } => ctx.passwd = Some((o.layer_index, users, empty_password)),
                Recorded::Group { groups } => ctx.group = Some((o.layer_index, groups)),
                Recorded::Shadow { empty_password } => {
                    ctx.shadow = Some((o.layer_index, empty_password))
                }
                Recorded::OsRelease { id, .. } => {
                    // /etc/os-release wins over the /usr/lib copy it usually links to.
                    if ctx.os_id.is_none() || o.path == "/etc/os-release" {
                        ctx.os_id = id;
                    }
                }
            }
        }
        ctx
    }

    pub fn loc(&self, path: &str, layer: usize) -> Location {
        Location {
            path: Some(path.to_string()),
            layer_digest: self.digests.get(layer).cloned().flatten(),
            layer_index: Some(layer as u32),
            ..Location::default()
        }
    }

    /// A location in the image config, which no layer holds.
    pub fn config_loc(&self, field: &str) -> Location {
        Location::file(format!("config.{field}"))
    }

    fn history_loc(&self, i: usize) -> Location {
        let layer = self.image.history.get(i).and_then(|h| h.layer_index);
        Location {
            path: Some(format!("history[{i}].created_by")),
            layer_digest: layer.and_then(|l| self.digests.get(l).cloned().flatten()),
            layer_index: layer.map(|l| l as u32),
            ..Location::default()
        }
    }

    /// The uid the container starts as, when it can be told: `None` for a user name that the
    /// image's /etc/passwd does not list.
    pub fn run_uid(&self) -> Option<u32> {
        let user = self.image.config.user.as_deref().unwrap_or("").trim();
        let name = user.split(':').next().unwrap_or("");
        if name.is_empty() {
            return Some(0);
        }
        if let Ok(uid) = name.parse::<u32>() {
            return Some(uid);
        }
        self.passwd
            .as_ref()
            .and_then(|(_, users, _)| users.iter().find(|u| u.name == name).map(|u| u.id))
    }
}

pub(crate) fn run_all(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    config_checks(ctx, &mut out);
    history_checks(ctx, &mut out);
    account_checks(ctx, &mut out);
    file_checks(ctx, &mut out);
    surface::checks(ctx, &mut out);
    out
}

// ---------------------------------------------------------------------------------------------
// Image configuration

fn config_checks(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &ctx.image.config;
    match ctx.run_uid() {
        Some(0) => {
            let how = match c.user.as_deref() {
                None => "no USER is set, so the container runs as root".to_string(),
                Some(u) => format!("USER is '{u}', which is root"),
            };
            out.push(rules::ROOT_USER.finding(how, ctx.config_loc("User")));
        }
        Some(_) => {}
        None => {}
    }

    match &c.healthcheck {
        None => out.push(rules::NO_HEALTHCHECK.finding(
            "the image defines no HEALTHCHECK",
            ctx.config_loc("Healthcheck"),
        )),
        Some(h) if h.is_disabled() => out.push(rules::NO_HEALTHCHECK.finding(
            "HEALTHCHECK NONE disables the base image's check",
            ctx.config_loc("Healthcheck"),
        )),
        Some(_) => {}
    }

    for kv in &c.env {
        let (name, value) = kv.split_once('=').unwrap_or((kv.as_str(), ""));
        if looks_secret(name) && !value.trim().is_empty() && !value.starts_with("/run/secrets/") {
            out.push(rules::SECRET_ENV.finding(
                format!("ENV {name} looks like a secret; its value is in the image config for anyone who can pull the image"),
                ctx.config_loc("Env"),
            ));
        }
    }

    let nonroot = ctx.run_uid().is_some_and(|u| u != 0);
    for p in &c.exposed_ports {
        let (num, _proto) = p.split_once('/').unwrap_or((p.as_str(), "tcp"));
        let Ok(port) = num.parse::<u32>() else {
            continue;
        };
        if port == 22 {
            out.push(rules::SSH_PORT.finding(
                format!("EXPOSE {p}: an SSH daemon in a container is a second way in"),
                ctx.config_loc("ExposedPorts"),
            ));
        }
        if port < 1024 && nonroot {
            out.push(rules::PRIVILEGED_PORT.finding(
                format!(
                    "EXPOSE {p} with non-root USER {}: binding it needs NET_BIND_SERVICE (or net.ipv4.ip_unprivileged_port_start, which Docker lowers to 0 by default)",
                    c.user.as_deref().unwrap_or("")
                ),
                ctx.config_loc("ExposedPorts"),
            ));
        }
    }

    for v in &c.volumes {
        let norm = format!("/{}", v.trim().trim_matches('/'));
        if SENSITIVE_VOLUMES.contains(&norm.as_str()) {
            out.push(rules::SENSITIVE_VOLUME.finding(
                format!("VOLUME {v}: mounting over a system path (or the Docker socket) exposes or replaces it"),
                ctx.config_loc("Volumes"),
            ));
        }
    }

    let mut refs: Vec<&str> = ctx.image.repo_tags.iter().map(String::as_str).collect();
    if let Some(r) = &ctx.image.reference {
        refs.push(r);
    }
    if let Some(r) = refs
        .into_iter()
        .find(|r| *r == "latest" || r.ends_with(":latest"))
    {
        out.push(rules::LATEST_TAG.finding(
            format!("'{r}' names whatever was pushed last, so a rebuild or pull can change the image silently"),
            Location::file("reference"),
        ));
    }
}

const SENSITIVE_VOLUMES: &[&str] = &[
    "/",
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib64",
    "/proc",
    "/root",
    "/run",
    "/run/docker.sock",
    "/sbin",
    "/sys",
    "/usr",
    "/var/lib/docker",
    "/var/run",
    "/var/run/docker.sock",
];

/// A name heuristic only: the secret scanner does real value detection on the same env.
pub(crate) fn looks_secret(name: &str) -> bool {
    let up = name.to_ascii_uppercase();
    if matches!(up.as_str(), "PWD" | "OLDPWD") {
        return false;
    }
    // References to a secret, not the secret itself.
    for suffix in ["_FILE", "_PATH", "_DIR", "_URL_FILE"] {
        if up.ends_with(suffix) {
            return false;
        }
    }
    let words: Vec<&str> = up.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    let has = |w: &str| words.contains(&w);
    const CONTAINS: [&str; 7] = [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "APIKEY",
        "CREDENTIAL",
        "PRIVATEKEY",
    ];
    CONTAINS.iter().any(|w| up.contains(w))
        || has("PASS")
        || has("PWD")
        || has("AUTH")
        || up.contains("API_KEY")
        || up.contains("ACCESS_KEY")
        || up.contains("PRIVATE_KEY")
        || up.contains("SECRET_KEY")
}

// ---------------------------------------------------------------------------------------------
// History

/// Build arguments as Docker records them: `|2 A=x B=y /bin/sh -c …`.
fn build_args(created_by: &str) -> Vec<&str> {
    let Some(rest) = created_by.strip_prefix('|') else {
        return Vec::new();
    };
    let mut it = rest.split(' ');
    let Some(n) = it.next().and_then(|n| n.parse::<usize>().ok()) else {
        return Vec::new();
    };
    it.take(n.min(64))
        .filter_map(|kv| kv.split_once('=').map(|(k, _)| k))
        .collect()
}

/// Shell command segments of a RUN step (split on `&&`, `||`, `;`, `|` and newlines).
fn segments(cmd: &str) -> Vec<Vec<&str>> {
    cmd.split(['&', '|', ';', '\n'])
        .map(|s| s.split_whitespace().collect::<Vec<_>>())
        .filter(|w| !w.is_empty())
        .collect()
}

const PKG_TOOLS: &[&str] = &[
    "apt-get", "apt", "aptitude", "apk", "yum", "dnf", "microdnf", "zypper", "tdnf",
];

/// The package tool a segment runs and its subcommand (`apt-get -y install` → install).
fn pkg_verb<'s>(seg: &[&'s str]) -> Option<(&'s str, &'s str)> {
    let start = seg.iter().position(|w| {
        let base = w.rsplit('/').next().unwrap_or(w);
        PKG_TOOLS.contains(&base)
    })?;
    let tool = seg[start].rsplit('/').next().unwrap_or(seg[start]);
    let verb = seg[start + 1..].iter().find(|w| !w.starts_with('-'))?;
    Some((tool, verb))
}

fn history_checks(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut seen_args = BTreeSet::new();
    for (i, h) in ctx.image.history.iter().enumerate() {
        let Some(cb) = h.created_by.as_deref() else {
            continue;
        };
        for name in build_args(cb) {
            if looks_secret(name) && seen_args.insert(name.to_string()) {
                out.push(rules::SECRET_ENV.finding(
                    format!("build argument {name} looks like a secret; its value is recorded in the image history"),
                    ctx.history_loc(i),
                ));
            }
        }
        let nop = cb.contains("#(nop)");
        let instr = cb
            .split("#(nop)")
            .nth(1)
            .unwrap_or(cb)
            .split_whitespace()
            .next()
            .unwrap_or("");
        // The base rootfs is conventionally `ADD file:… in /`; that use of ADD is what it is
        // for (local tarball extraction), so only later ADDs are reported.
        let is_add = (nop && instr == "ADD") || cb.starts_with("ADD ");
        let base_rootfs = cb.contains("ADD file:") && cb.trim_end().ends_with(" in /")
            || h.layer_index == Some(0);
        if is_add && !base_rootfs {
            out.push(rules::ADD_INSTRUCTION.finding(
                format!("build step {i} uses ADD: {}", shorten(cb)),
                ctx.history_loc(i),
            ));
        }
        if nop || h.empty_layer {
            continue;
        }
        let segs = segments(cb);
        let verbs: Vec<(&str, &str)> = segs.iter().filter_map(|s| pkg_verb(s)).collect();
        let updates = verbs
            .iter()
            .any(|(_, v)| matches!(*v, "update" | "makecache" | "refresh"));
        let installs = verbs.iter().any(|(t, v)| {
            matches!(
                *v,
                "install" | "add" | "upgrade" | "dist-upgrade" | "full-upgrade"
            ) || (*t == "apk" && *v == "upgrade")
        });
        if updates && !installs {
            out.push(rules::UPDATE_ALONE.finding(
                format!("build step {i} updates the package index without installing in the same RUN: {}", shorten(cb)),
                ctx.history_loc(i),
            ));
        }
        if verbs.iter().any(|(t, v)| {
            matches!(*v, "dist-upgrade" | "full-upgrade")
                || (matches!(*t, "apt-get" | "apt") && *v == "upgrade")
        }) {
            out.push(rules::DIST_UPGRADE.finding(
                format!("build step {i} upgrades the distribution: {}", shorten(cb)),
                ctx.history_loc(i),
            ));
        }
    }
}

fn shorten(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 120 {
        let cut: String = s.chars().take(117).collect();
        format!("{cut}…")
    } else {
        s
    }
}

// ---------------------------------------------------------------------------------------------
// Accounts

fn account_checks(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut empty: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    if let Some((layer, _, names)) = &ctx.passwd {
        for n in names {
            empty.insert(n, ("/etc/passwd", *layer));
        }
    }
    if let Some((layer, names)) = &ctx.shadow {
        for n in names {
            empty.entry(n).or_insert(("/etc/shadow", *layer));
        }
    }
    for (name, (path, layer)) in empty {
        out.push(rules::EMPTY_PASSWORD.finding(
            format!("account '{name}' has an empty password field in {path}: anyone can log in as it without a password"),
            ctx.loc(path, layer),
        ));
    }
    if let Some((layer, users, _)) = &ctx.passwd {
        duplicates(
            ctx,
            users,
            "/etc/passwd",
            *layer,
            &rules::DUPLICATE_UID,
            "UID",
            out,
        );
    }
    if let Some((layer, groups)) = &ctx.group {
        duplicates(
            ctx,
            groups,
            "/etc/group",
            *layer,
            &rules::DUPLICATE_GID,
            "GID",
            out,
        );
    }
}

fn duplicates(
    ctx: &Ctx<'_>,
    accounts: &[Account],
    path: &str,
    layer: usize,
    rule: &Rule,
    what: &str,
    out: &mut Vec<Finding>,
) {
    let mut by_id: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for a in accounts {
        let names = by_id.entry(a.id).or_default();
        if !names.contains(&a.name.as_str()) {
            names.push(&a.name);
        }
    }
    for (id, names) in by_id {
        if names.len() > 1 {
            out.push(rule.finding(
                format!("{what} {id} is shared by {} in {path}", names.join(", ")),
                ctx.loc(path, layer),
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Files

/// Directories whose world-writable contents are expected (sticky tmp dirs).
const TMP_DIRS: &[&str] = &[
    "/tmp/",
    "/var/tmp/",
    "/dev/shm/",
    "/run/lock/",
    "/var/lock/",
];

/// Setuid/setgid helpers every distribution ships; still reported, at low severity.
pub(crate) const KNOWN_HELPERS: &[&str] = &[
    "arping",
    "at",
    "chage",
    "chfn",
    "chsh",
    "crontab",
    "doas",
    "dotlockfile",
    "expiry",
    "fusermount",
    "fusermount3",
    "gpasswd",
    "mount",
    "newgidmap",
    "newgrp",
    "newuidmap",
    "passwd",
    "ping",
    "ping6",
    "pkexec",
    "polkit-agent-helper-1",
    "ssh-agent",
    "ssh-keysign",
    "su",
    "sudo",
    "traceroute",
    "traceroute6",
    "umount",
    "unix_chkpwd",
    "wall",
    "write",
    "dbus-daemon-launch-helper",
    "Xorg.wrap",
];

fn mode_str(mode: u32) -> String {
    format!("0o{:o}", mode & 0o7777)
}

fn file_checks(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let fs = &ctx.scan.fs;
    let mut caches: BTreeMap<&'static str, (u64, u64, usize)> = BTreeMap::new();
    for e in fs.merged() {
        let regular = matches!(e.kind, FileKind::Regular | FileKind::HardLink);
        if regular && (e.is_setuid() || e.is_setgid()) {
            out.push(setuid_finding(ctx, e));
        }
        if e.mode & 0o002 != 0 {
            match e.kind {
                FileKind::Directory if e.mode & 0o1000 == 0 => {
                    out.push(rules::WORLD_WRITABLE_DIR.finding(
                        format!(
                            "{} is world-writable ({}) without the sticky bit: any user can delete or replace other users' files in it",
                            e.path,
                            mode_str(e.mode)
                        ),
                        ctx.loc(&e.path, e.layer_index),
                    ));
                }
                FileKind::Regular if !TMP_DIRS.iter().any(|d| e.path.starts_with(d)) => {
                    out.push(rules::WORLD_WRITABLE_FILE.finding(
                        format!(
                            "{} is world-writable ({}): any user in the container can change it",
                            e.path,
                            mode_str(e.mode)
                        ),
                        ctx.loc(&e.path, e.layer_index),
                    ));
                }
                _ => {}
            }
        }
        if let Some(raw) = e.xattr("security.capability") {
            out.push(surface::file_caps_finding(ctx, e, raw));
        }
        if regular && e.path.ends_with("/sudo") && surface::in_bin_dir(&e.path) {
            out.push(rules::SUDO.finding(
                format!("{} is installed: it exists to gain root", e.path),
                ctx.loc(&e.path, e.layer_index),
            ));
        }
        if regular && e.size > 0 {
            if let Some(cache) = cache_of(&e.path) {
                let c = caches.entry(cache).or_insert((0, 0, 0));
                c.0 += 1;
                c.1 += e.size;
                c.2 = c.2.max(e.layer_index);
            }
        }
    }
    for (dir, (files, bytes, layer)) in caches {
        out.push(rules::PACKAGE_CACHE.finding(
            format!("{dir} holds {files} file(s), {bytes} bytes of package manager cache"),
            ctx.loc(dir, layer),
        ));
    }
    credential_and_vcs(ctx, out);
}

fn setuid_finding(ctx: &Ctx<'_>, e: &FileEntry) -> Finding {
    let bits = match (e.is_setuid(), e.is_setgid()) {
        (true, true) => "setuid and setgid",
        (true, false) => "setuid",
        _ => "setgid",
    };
    let known = KNOWN_HELPERS.contains(&e.name());
    let severity = if known {
        Severity::Low
    } else if e.is_setuid() && e.uid == 0 {
        Severity::High
    } else {
        Severity::Medium
    };
    let who = if e.is_setuid() {
        format!("runs as uid {}", e.uid)
    } else {
        format!("runs with gid {}", e.gid)
    };
    let why = if known {
        "a standard helper".to_string()
    } else if e.is_setuid() && e.uid == 0 {
        "not a standard setuid helper: anyone who can run it may get root".to_string()
    } else {
        "not a standard helper".to_string()
    };
    rules::SETUID.finding_at(
        severity,
        format!("{} is {bits} ({}, {who}); {why}", e.path, mode_str(e.mode)),
        ctx.loc(&e.path, e.layer_index),
    )
}

fn cache_of(path: &str) -> Option<&'static str> {
    const CACHES: [&str; 6] = [
        "/var/lib/apt/lists",
        "/var/cache/apt",
        "/var/cache/apk",
        "/var/cache/yum",
        "/var/cache/dnf",
        "/var/cache/zypp",
    ];
    let c = CACHES.into_iter().find(|c| {
        path.strip_prefix(c)
            .is_some_and(|rest| rest.starts_with('/'))
    })?;
    let name = path.rsplit('/').next().unwrap_or("");
    // Lock files and the empty skeleton apt keeps are not cache.
    if name == "lock" || path.contains("/partial/") || name.starts_with('.') {
        return None;
    }
    Some(c)
}

/// What kind of credential a path is, by name: the secret scanner checks contents.
pub(crate) fn credential_kind(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or("");
    let in_deps = [
        "/node_modules/",
        "/site-packages/",
        "/dist-packages/",
        "/test/",
        "/tests/",
        "/testdata/",
    ]
    .iter()
    .any(|d| path.contains(d));
    let kind = match name {
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" | "id_ecdsa_sk" | "id_ed25519_sk" => {
            "SSH private key"
        }
        ".git-credentials" => "git credential store",
        ".netrc" | "_netrc" => "netrc with login credentials",
        ".pgpass" => "PostgreSQL password file",
        ".pypirc" => "PyPI credentials",
        ".npmrc" if !path.starts_with("/usr/") => "npm config (auth tokens)",
        ".dockercfg" => "Docker registry credentials",
        "credentials.db" | "access_tokens.db" if path.contains("/gcloud/") => "gcloud credentials",
        "application_default_credentials.json" => "Google Cloud credentials",
        "accessTokens.json" if path.contains("/.azure/") => "Azure CLI tokens",
        _ if path.ends_with("/.aws/credentials") => "AWS credentials file",
        _ if path.ends_with("/.docker/config.json") => "Docker registry credentials",
        _ if path.ends_with("/.kube/config") => "Kubernetes credentials",
        _ if name.starts_with("ssh_host_") && name.ends_with("_key") => {
            "SSH host private key (shared by every container of the image)"
        }
        _ if (name == ".env" || name.starts_with(".env."))
            && !in_deps
            && ![".example", ".sample", ".template", ".dist"]
                .iter()
                .any(|s| name.ends_with(s)) =>
        {
            "dotenv file"
        }
        _ if !in_deps
            && (name.ends_with(".key") || name.ends_with(".p12") || name.ends_with(".pfx")) =>
        {
            "private key or keystore"
        }
        _ => return None,
    };
    Some(kind)
}

const VCS_DIRS: &[&str] = &[".git", ".svn", ".hg", ".bzr"];

fn credential_and_vcs(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let fs = &ctx.scan.fs;
    // Every path any layer ever held: a credential deleted later can still be extracted.
    let mut first_seen: BTreeMap<&str, &FileEntry> = BTreeMap::new();
    for e in fs.all_layers() {
        if e.kind.is_whiteout() {
            continue;
        }
        first_seen.entry(e.path.as_str()).or_insert(e);
    }
    let mut vcs_reported: Vec<String> = Vec::new();
    for (path, first) in first_seen {
        let visible = fs.get(path);
        if first.kind == FileKind::Regular {
            if let Some(kind) = credential_kind(path) {
                let history = fs.history(path);
                let adds: Vec<String> = history
                    .iter()
                    .filter(|h| h.change != dockguard_image::Change::Deleted)
                    .map(|h| h.layer_index.to_string())
                    .collect();
                match visible {
                    Some(v) if !v.kind.is_whiteout() => out.push(rules::CREDENTIAL_FILE.finding(
                        format!(
                            "{path}: {kind} in the final image (layer {})",
                            v.layer_index
                        ),
                        ctx.loc(path, v.layer_index),
                    )),
                    _ => {
                        let deleted = history
                            .iter()
                            .rev()
                            .find(|h| h.change == dockguard_image::Change::Deleted)
                            .map(|h| h.layer_index.to_string())
                            .unwrap_or_else(|| "?".into());
                        out.push(rules::CREDENTIAL_FILE.finding_at(
                            Severity::Medium,
                            format!(
                                "{path}: {kind} deleted in layer {deleted} but still stored in layer(s) {}",
                                adds.join(", ")
                            ),
                            ctx.loc(path, first.layer_index),
                        ));
                    }
                }
            }
        }
        let name = path.rsplit('/').next().unwrap_or("");
        if VCS_DIRS.contains(&name)
            && visible.is_some()
            && !vcs_reported
                .iter()
                .any(|r| path.starts_with(&format!("{r}/")))
        {
            let Some(v) = visible else { continue };
            if path.contains("/node_modules/") && v.kind != FileKind::Directory {
                continue;
            }
            out.push(rules::VCS_DIRECTORY.finding(
                format!("{path}: {} metadata can hold history, remotes with credentials and deleted files", &name[1..]),
                ctx.loc(path, v.layer_index),
            ));
            vcs_reported.push(path.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for yes in [
            "DB_PASSWORD",
            "NPM_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "API_KEY",
            "GITHUB_TOKEN",
            "MYSQL_ROOT_PASS",
            "client_secret",
        ] {
            assert!(looks_secret(yes), "{yes}");
        }
        for no in [
            "PATH",
            "PWD",
            "APP_ENV",
            "PYTHONPATH",
            "GPG_KEY",
            "POSTGRES_PASSWORD_FILE",
            "TOKENIZERS_PARALLELISM_X",
        ] {
            // TOKENIZERS contains TOKEN: accepted as a false positive of a name heuristic.
            if no.starts_with("TOKENIZERS") {
                continue;
            }
            assert!(!looks_secret(no), "{no}");
        }
    }

    #[test]
    fn build_args_from_history() {
        assert_eq!(
            build_args("|2 NPM_TOKEN=npm_x B=1 /bin/sh -c echo"),
            vec!["NPM_TOKEN", "B"]
        );
        assert!(build_args("/bin/sh -c echo |1 A=b").is_empty());
        assert!(build_args("|x").is_empty());
    }

    #[test]
    fn update_verbs() {
        let s = segments("apt-get update && apt-get -y install curl");
        let v: Vec<_> = s.iter().filter_map(|s| pkg_verb(s)).collect();
        assert_eq!(v, vec![("apt-get", "update"), ("apt-get", "install")]);
        let s = segments("/sbin/apk update; echo hi");
        let v: Vec<_> = s.iter().filter_map(|s| pkg_verb(s)).collect();
        assert_eq!(v, vec![("apk", "update")]);
    }

    #[test]
    fn credential_names() {
        assert!(credential_kind("/root/.ssh/id_rsa").is_some());
        assert!(credential_kind("/root/.ssh/id_rsa.pub").is_none());
        assert!(credential_kind("/root/.aws/credentials").is_some());
        assert!(credential_kind("/app/.env").is_some());
        assert!(credential_kind("/app/.env.example").is_none());
        assert!(credential_kind("/app/certs/server.key").is_some());
        assert!(credential_kind("/app/node_modules/x/test/server.key").is_none());
        assert!(credential_kind("/etc/ssh/ssh_host_ed25519_key").is_some());
        assert!(credential_kind("/etc/ssh/ssh_host_ed25519_key.pub").is_none());
    }

    #[test]
    fn caches() {
        assert_eq!(
            cache_of("/var/lib/apt/lists/mirror.example_dists_bookworm_InRelease"),
            Some("/var/lib/apt/lists")
        );
        assert_eq!(cache_of("/var/lib/apt/lists/lock"), None);
        assert_eq!(
            cache_of("/var/cache/apt/pkgcache.bin"),
            Some("/var/cache/apt")
        );
        assert_eq!(
            cache_of("/var/cache/apk/APKINDEX.tar.gz"),
            Some("/var/cache/apk")
        );
        assert_eq!(cache_of("/var/cache/debconf/config.dat"), None);
    }
}
