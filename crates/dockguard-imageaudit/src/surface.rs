//! Attack surface (tools an intruder would use, present in the final image) and the Linux
//! capabilities the image's files imply (file capabilities, setuid helpers, low ports).

use crate::checks::Ctx;
use crate::rules::{self, Rule};
use dockguard_core::{Finding, Location, Severity};
use dockguard_image::{FileEntry, FileKind};
use std::collections::{BTreeMap, BTreeSet};

const BIN_DIRS: &[&str] = &[
    "/bin",
    "/sbin",
    "/usr/bin",
    "/usr/sbin",
    "/usr/local/bin",
    "/usr/local/sbin",
];

pub(crate) fn in_bin_dir(path: &str) -> bool {
    path.rsplit_once('/')
        .is_some_and(|(dir, _)| BIN_DIRS.contains(&dir))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Category {
    Shell,
    PackageManager,
    Downloader,
    NetworkTool,
    Compiler,
    Debugger,
}

impl Category {
    const ALL: [Category; 6] = [
        Category::Shell,
        Category::PackageManager,
        Category::Downloader,
        Category::NetworkTool,
        Category::Compiler,
        Category::Debugger,
    ];

    fn rule(self) -> &'static Rule {
        match self {
            Category::Shell => &rules::SHELL,
            Category::PackageManager => &rules::PACKAGE_MANAGER,
            Category::Downloader => &rules::DOWNLOADER,
            Category::NetworkTool => &rules::NETWORK_TOOL,
            Category::Compiler => &rules::COMPILER,
            Category::Debugger => &rules::DEBUGGER,
        }
    }

    fn noun(self) -> (&'static str, &'static str) {
        match self {
            Category::Shell => ("shell", "shells"),
            Category::PackageManager => ("package manager", "package managers"),
            Category::Downloader => ("downloader", "downloaders"),
            Category::NetworkTool => ("network tool", "network tools"),
            Category::Compiler => ("compiler", "compilers"),
            Category::Debugger => ("debugger", "debuggers"),
        }
    }

    fn of(name: &str) -> Option<Category> {
        let n = normalise(name);
        let c = match n {
            "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh" | "csh" | "tcsh" | "fish"
            | "busybox" | "toybox" => Category::Shell,
            "apt" | "apt-get" | "aptitude" | "dpkg" | "apk" | "yum" | "dnf" | "microdnf"
            | "rpm" | "zypper" | "pacman" | "tdnf" | "opkg" => Category::PackageManager,
            "curl" | "wget" | "wget2" | "aria2c" | "fetch" | "lftp" => Category::Downloader,
            "nmap" | "nc" | "ncat" | "netcat" | "nc.openbsd" | "nc.traditional" | "socat"
            | "telnet" | "ssh" | "scp" | "sftp" | "ftp" | "tcpdump" | "sshd" | "rsync" => {
                Category::NetworkTool
            }
            "gcc" | "g++" | "cc" | "c++" | "clang" | "clang++" | "tcc" | "rustc" | "go"
            | "javac" | "gfortran" => Category::Compiler,
            "gdb" | "lldb" | "strace" | "ltrace" | "valgrind" | "perf" | "gdbserver" => {
                Category::Debugger
            }
            _ => return None,
        };
        Some(c)
    }
}

/// `x86_64-linux-gnu-gcc-12` → `gcc`, `clang-16` → `clang`.
fn normalise(name: &str) -> &str {
    let mut n = name;
    if let Some((head, ver)) = n.rsplit_once('-') {
        if !ver.is_empty() && ver.chars().all(|c| c.is_ascii_digit() || c == '.') {
            n = head;
        }
    }
    if n.contains("-linux-") {
        n = n.rsplit('-').next().unwrap_or(n);
    }
    n
}

/// Package managers of one family count once in the summary (`apt-get` and `dpkg` are one
/// package manager).
fn family(name: &str) -> &str {
    match normalise(name) {
        "apt" | "apt-get" | "aptitude" | "dpkg" => "dpkg",
        "yum" | "dnf" | "microdnf" | "rpm" | "tdnf" | "zypper" => "rpm",
        other => other,
    }
}

struct Tool<'a> {
    name: &'a str,
    entry: &'a FileEntry,
    /// Where the binary really is, for tools found through a symlink.
    target: Option<&'a str>,
}

fn tools<'a>(ctx: &'a Ctx<'_>) -> BTreeMap<Category, Vec<Tool<'a>>> {
    let fs = &ctx.scan.fs;
    let mut by_target: BTreeMap<(Category, &str), Tool<'a>> = BTreeMap::new();
    let mut links = Vec::new();
    for e in fs.merged().filter(|e| in_bin_dir(&e.path)) {
        let Some(cat) = Category::of(e.name()) else {
            continue;
        };
        match e.kind {
            FileKind::Regular | FileKind::HardLink => {
                by_target.insert(
                    (cat, e.path.as_str()),
                    Tool {
                        name: e.name(),
                        entry: e,
                        target: None,
                    },
                );
            }
            FileKind::Symlink => links.push((cat, e)),
            _ => {}
        }
    }
    // Links second, so that a tool that is both a file and a link (`sh` → `dash`) is named
    // by its file.
    for (cat, link) in links {
        let Some(t) = fs.resolve(&link.path).or_else(|| follow(fs, link)) else {
            continue;
        };
        if !matches!(t.kind, FileKind::Regular | FileKind::HardLink) {
            continue;
        }
        by_target.entry((cat, t.path.as_str())).or_insert(Tool {
            name: link.name(),
            entry: link,
            target: Some(t.path.as_str()),
        });
    }
    let mut out: BTreeMap<Category, Vec<Tool<'a>>> = BTreeMap::new();
    for ((cat, _), t) in by_target {
        out.entry(cat).or_default().push(t);
    }
    out
}

/// Paths of the shells and package managers in the final image, for [`crate::ConfigFacts`].
pub(crate) struct Present {
    pub shells: Vec<String>,
    pub package_managers: Vec<String>,
}

pub(crate) fn present_tools(ctx: &Ctx<'_>) -> Present {
    let found = tools(ctx);
    let paths = |c: Category| -> Vec<String> {
        found
            .get(&c)
            .map(|l| l.iter().map(|t| t.entry.path.clone()).collect())
            .unwrap_or_default()
    };
    Present {
        shells: paths(Category::Shell),
        package_managers: paths(Category::PackageManager),
    }
}

/// Follows a symlink chain by the links' own targets only. [`dockguard_image::Filesystem::resolve`]
/// walks every component and gives up when a layer never declared a parent directory (tars
/// may omit them); this fallback does not need them.
fn follow<'a>(fs: &'a dockguard_image::Filesystem, link: &'a FileEntry) -> Option<&'a FileEntry> {
    let mut cur = link;
    for _ in 0..40 {
        if cur.kind != FileKind::Symlink {
            return Some(cur);
        }
        let target = cur.link_target.as_deref()?;
        let joined = if target.starts_with('/') {
            target.to_string()
        } else {
            let dir = cur.path.rsplit_once('/').map_or("", |(d, _)| d);
            format!("{dir}/{target}")
        };
        let mut parts: Vec<&str> = Vec::new();
        for c in joined.split('/') {
            match c {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                c => parts.push(c),
            }
        }
        cur = fs.get(&format!("/{}", parts.join("/")))?;
    }
    None
}

fn count_phrase(cat: Category, n: usize) -> String {
    let (one, many) = cat.noun();
    if n == 1 {
        format!("a {one}")
    } else {
        format!("{n} {many}")
    }
}

fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub(crate) fn checks(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let found = tools(ctx);
    let mut phrases = Vec::new();
    let mut listed = Vec::new();
    for cat in Category::ALL {
        let Some(list) = found.get(&cat) else {
            continue;
        };
        for t in list {
            let what = match t.target {
                Some(target) => format!("{} ({} → {target})", t.name, t.entry.path),
                None => format!("{} ({})", t.name, t.entry.path),
            };
            out.push(cat.rule().finding(
                format!("{}: {what}", cat.noun().0),
                ctx.loc(&t.entry.path, t.entry.layer_index),
            ));
        }
        // Having a shell is what matters, not how many.
        let n = match cat {
            Category::Shell => 1,
            Category::PackageManager => list
                .iter()
                .map(|t| family(t.name))
                .collect::<BTreeSet<_>>()
                .len(),
            _ => list.len(),
        };
        phrases.push(count_phrase(cat, n));
        let names: Vec<&str> = list.iter().map(|t| t.name).collect();
        listed.push(format!("{}: {}", cat.noun().1, names.join(", ")));
    }
    if !phrases.is_empty() {
        let them = if phrases.len() == 1 && found.values().map(Vec::len).sum::<usize>() == 1 {
            "it"
        } else {
            "them"
        };
        out.push(rules::ATTACK_SURFACE.finding(
            format!(
                "image has {}; a distroless or scratch base would remove {them} ({})",
                join_and(&phrases),
                listed.join("; ")
            ),
            Location::default(),
        ));
    }
    capabilities(ctx, out);
}

// ---------------------------------------------------------------------------------------------
// Capabilities

const CAP_NAMES: [&str; 41] = [
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
];

/// Capabilities that amount to root (or close) when a binary carries them.
const DANGEROUS: &[&str] = &[
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "SETUID",
    "SETGID",
    "SETPCAP",
    "SETFCAP",
    "SYS_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "NET_ADMIN",
    "CHOWN",
    "FOWNER",
    "BPF",
    "MKNOD",
];

/// The decoded `security.capability` value (`struct vfs_cap_data`, little-endian).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct FileCaps {
    pub permitted: Vec<&'static str>,
    pub inheritable: Vec<&'static str>,
    pub effective: bool,
    pub rootid: Option<u32>,
}

pub(crate) fn decode_caps(raw: &[u8]) -> Option<FileCaps> {
    let word = |i: usize| -> Option<u32> {
        raw.get(i * 4..i * 4 + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let magic = word(0)?;
    let (words, len) = match magic & 0xff00_0000 {
        0x0100_0000 => (1, 12),
        0x0200_0000 => (2, 20),
        0x0300_0000 => (2, 24),
        _ => return None,
    };
    if raw.len() < len {
        return None;
    }
    let mut permitted = 0u64;
    let mut inheritable = 0u64;
    for i in 0..words {
        permitted |= (word(1 + 2 * i)? as u64) << (32 * i);
        inheritable |= (word(2 + 2 * i)? as u64) << (32 * i);
    }
    let names = |bits: u64| -> Vec<&'static str> {
        (0..64)
            .filter(|b| bits & (1u64 << b) != 0)
            .map(|b| CAP_NAMES.get(b).copied().unwrap_or("UNKNOWN"))
            .collect()
    };
    Some(FileCaps {
        permitted: names(permitted),
        inheritable: names(inheritable),
        effective: magic & 1 != 0,
        rootid: if len == 24 { word(5) } else { None },
    })
}

/// The capabilities a binary expects when it is the usual helper of that name.
fn expected_caps(name: &str) -> &'static [&'static str] {
    match name {
        "ping" | "ping6" | "arping" | "clockdiff" | "traceroute" | "traceroute6" => &["NET_RAW"],
        "su" | "sudo" | "newgrp" | "sg" | "runuser" | "pkexec" | "doas" | "newuidmap"
        | "newgidmap" => &["SETUID", "SETGID"],
        "passwd" | "chsh" | "chfn" | "gpasswd" | "vipw" | "chpasswd" => {
            &["CHOWN", "DAC_OVERRIDE", "FOWNER"]
        }
        "mount" | "umount" | "fusermount" | "fusermount3" => &["SYS_ADMIN"],
        _ => &[],
    }
}

pub(crate) fn file_caps_finding(ctx: &Ctx<'_>, e: &FileEntry, raw: &[u8]) -> Finding {
    let loc = ctx.loc(&e.path, e.layer_index);
    let Some(caps) = decode_caps(raw) else {
        return rules::FILE_CAPABILITY.finding(
            format!(
                "{} carries a security.capability attribute that cannot be decoded ({} bytes)",
                e.path,
                raw.len()
            ),
            loc,
        );
    };
    let expected = expected_caps(e.name());
    let severity =
        if !caps.permitted.is_empty() && caps.permitted.iter().all(|c| expected.contains(c)) {
            Severity::Low
        } else if caps.permitted.iter().any(|c| DANGEROUS.contains(c)) {
            Severity::High
        } else {
            Severity::Medium
        };
    let mut msg = format!(
        "{} gains {} when executed",
        e.path,
        if caps.permitted.is_empty() {
            "no capabilities".to_string()
        } else {
            caps.permitted.join(", ")
        }
    );
    if caps.effective {
        msg.push_str(" (effective)");
    }
    if !caps.inheritable.is_empty() {
        msg.push_str(&format!("; inheritable: {}", caps.inheritable.join(", ")));
    }
    rules::FILE_CAPABILITY.finding_at(severity, msg, loc)
}

fn capabilities(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // Grouped by the capability set they imply, so that four passwd-family helpers make one
    // line rather than three times four.
    let mut groups: BTreeMap<Vec<&'static str>, Vec<String>> = BTreeMap::new();
    for e in ctx.scan.fs.merged() {
        if !matches!(e.kind, FileKind::Regular | FileKind::HardLink) {
            continue;
        }
        if let Some(caps) = e.xattr("security.capability").and_then(decode_caps) {
            if !caps.permitted.is_empty() {
                groups
                    .entry(caps.permitted)
                    .or_default()
                    .push(format!("{} (file capability)", e.path));
            }
        }
        let expected = expected_caps(e.name());
        if e.is_setuid() && e.uid == 0 && !expected.is_empty() {
            groups
                .entry(expected.to_vec())
                .or_default()
                .push(format!("{} (setuid root)", e.path));
        }
    }
    let low_ports: Vec<&str> = ctx
        .image
        .config
        .exposed_ports
        .iter()
        .filter(|p| {
            p.split('/')
                .next()
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| n < 1024)
        })
        .map(String::as_str)
        .collect();
    if !low_ports.is_empty() {
        groups
            .entry(vec!["NET_BIND_SERVICE"])
            .or_default()
            .push(format!("EXPOSE {}", low_ports.join(" ")));
    }
    if groups.is_empty() {
        return;
    }
    let all: BTreeSet<&str> = groups.keys().flatten().copied().collect();
    let adds: Vec<String> = all.iter().map(|c| format!("--cap-add={c}")).collect();
    let parts: Vec<String> = groups
        .iter()
        .map(|(caps, why)| format!("{} for {}", caps.join("+"), why.join(", ")))
        .collect();
    out.push(rules::CAPABILITIES.finding(
        format!(
            "under --cap-drop=ALL the image's files would need {}: {}",
            adds.join(" "),
            parts.join("; ")
        ),
        Location::default(),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_v2_net_raw() {
        // ping on Debian: cap_net_raw=ep.
        let mut raw = Vec::new();
        raw.extend_from_slice(&0x0200_0001u32.to_le_bytes());
        raw.extend_from_slice(&(1u32 << 13).to_le_bytes());
        raw.extend_from_slice(&0u32.to_le_bytes());
        raw.extend_from_slice(&0u32.to_le_bytes());
        raw.extend_from_slice(&0u32.to_le_bytes());
        let caps = decode_caps(&raw).unwrap();
        assert_eq!(caps.permitted, vec!["NET_RAW"]);
        assert!(caps.effective);
        assert_eq!(caps.rootid, None);
    }

    #[test]
    fn decodes_v3_high_word_and_rejects_garbage() {
        let mut raw = Vec::new();
        raw.extend_from_slice(&0x0300_0000u32.to_le_bytes());
        raw.extend_from_slice(&0u32.to_le_bytes());
        raw.extend_from_slice(&0u32.to_le_bytes());
        raw.extend_from_slice(&(1u32 << (39 - 32)).to_le_bytes());
        raw.extend_from_slice(&0u32.to_le_bytes());
        raw.extend_from_slice(&1000u32.to_le_bytes());
        let caps = decode_caps(&raw).unwrap();
        assert_eq!(caps.permitted, vec!["BPF"]);
        assert_eq!(caps.rootid, Some(1000));
        assert!(decode_caps(&raw[..10]).is_none());
        assert!(decode_caps(&[1, 0, 0, 2]).is_none());
        assert!(decode_caps(&[0xff; 24]).is_none());
    }

    #[test]
    fn tool_names() {
        assert_eq!(normalise("x86_64-linux-gnu-gcc-12"), "gcc");
        assert_eq!(normalise("clang-16"), "clang");
        assert_eq!(normalise("apt-get"), "apt-get");
        assert_eq!(Category::of("python3.11"), None);
        assert_eq!(Category::of("gcc-12"), Some(Category::Compiler));
        assert_eq!(family("apt-get"), family("dpkg"));
        assert_eq!(
            join_and(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
    }
}
