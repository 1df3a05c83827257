//! Seccomp profiles in Docker's JSON format: our model of it, Docker's default profile, edits
//! (`--deny`, `--allow`), allow-lists built from `strace -f` output, validation
//! (`profile check`), and resolution to the rules that apply on one architecture.

use crate::tree::{self, Node, Pos};
use dockguard_core::{Finding, FindingKind, Location, Severity};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

const DEFAULT_JSON: &str = include_str!("../data/seccomp-default.json");
const NAMES_X86_64: &str = include_str!("../data/x86_64.txt");
const NAMES_X86: &str = include_str!("../data/x86.txt");
const NAMES_X32: &str = include_str!("../data/x32.txt");
const NAMES_GENERIC: &str = include_str!("../data/generic.txt");
const NAMES_NEWER: &str = include_str!("../data/newer.txt");
const NAMES_OTHER: &str = include_str!("../data/other.txt");

/// The errno Docker returns for a denied syscall (EPERM).
pub const EPERM: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub default_action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_errno_ret: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch_map: Option<Vec<ArchMap>>,
    /// The older flat form of `archMap`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architectures: Option<Vec<String>>,
    #[serde(default)]
    pub syscalls: Vec<Rule>,
    /// Fields we do not model (`listenerPath`, `flags`, …) survive a round trip.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchMap {
    pub architecture: String,
    #[serde(default)]
    pub sub_architectures: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// Legacy single-name form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errno_ret: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Vec<Arg>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub includes: Option<Filter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excludes: Option<Filter>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caps: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arches: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_kernel: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Arg {
    pub index: u32,
    pub value: u64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub value_two: u64,
    pub op: String,
}

fn is_zero(v: &u64) -> bool {
    *v == 0
}

#[derive(Debug, thiserror::Error)]
pub enum SeccompError {
    #[error("invalid seccomp profile: {0}")]
    Invalid(String),
    #[error("unknown syscall name(s): {0}")]
    UnknownSyscalls(String),
}

pub const ACTIONS: &[&str] = &[
    "SCMP_ACT_KILL",
    "SCMP_ACT_KILL_PROCESS",
    "SCMP_ACT_KILL_THREAD",
    "SCMP_ACT_TRAP",
    "SCMP_ACT_ERRNO",
    "SCMP_ACT_TRACE",
    "SCMP_ACT_ALLOW",
    "SCMP_ACT_LOG",
    "SCMP_ACT_NOTIFY",
];
pub const OPS: &[&str] = &[
    "SCMP_CMP_NE",
    "SCMP_CMP_LT",
    "SCMP_CMP_LE",
    "SCMP_CMP_EQ",
    "SCMP_CMP_GE",
    "SCMP_CMP_GT",
    "SCMP_CMP_MASKED_EQ",
];

/// Capabilities Docker grants a container by default; `includes.caps` rules are resolved against
/// this set unless the caller passes another.
pub const DOCKER_DEFAULT_CAPS: &[&str] = &[
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_FSETID",
    "CAP_FOWNER",
    "CAP_MKNOD",
    "CAP_NET_RAW",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETFCAP",
    "CAP_SETPCAP",
    "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT",
    "CAP_KILL",
    "CAP_AUDIT_WRITE",
];

impl Rule {
    pub fn all_names(&self) -> impl Iterator<Item = &String> {
        self.names.iter().chain(self.name.iter())
    }
}

impl Profile {
    pub fn from_json(text: &str) -> Result<Profile, SeccompError> {
        serde_json::from_str(text).map_err(|e| SeccompError::Invalid(e.to_string()))
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Docker's published default profile.
    pub fn docker_default() -> Profile {
        // The vendored file is checked by a test; an empty profile is the fallback that cannot
        // be reached in a build that passed its tests.
        Profile::from_json(DEFAULT_JSON).unwrap_or(Profile {
            default_action: "SCMP_ACT_ERRNO".into(),
            default_errno_ret: Some(EPERM),
            arch_map: None,
            architectures: None,
            syscalls: Vec::new(),
            extra: BTreeMap::new(),
        })
    }

    /// Makes every listed syscall fail with EPERM: removed from every allowing rule, and denied by
    /// an explicit rule unless the default action already returns EPERM.
    pub fn deny(&mut self, names: &[String]) -> Result<(), SeccompError> {
        let names = checked_names(names)?;
        if names.is_empty() {
            return Ok(());
        }
        for rule in &mut self.syscalls {
            if rule.action == "SCMP_ACT_ALLOW" || rule.action == "SCMP_ACT_LOG" {
                rule.names.retain(|n| !names.contains(n));
                if rule.name.as_ref().is_some_and(|n| names.contains(n)) {
                    rule.name = None;
                }
            }
        }
        self.syscalls.retain(|r| r.all_names().next().is_some());
        // Under a default of EPERM the removal is the denial; a rule equal to the default would
        // be refused by libseccomp as redundant.
        if self.default_action == "SCMP_ACT_ERRNO"
            && self.default_errno_ret.unwrap_or(EPERM) == EPERM
        {
            return Ok(());
        }
        self.syscalls.push(Rule {
            names: names.into_iter().collect(),
            action: "SCMP_ACT_ERRNO".into(),
            errno_ret: Some(EPERM),
            comment: Some("denied by dockguard profile seccomp --deny".into()),
            ..Rule::default()
        });
        Ok(())
    }

    /// Allows every listed syscall unconditionally, removing it from rules that would refuse it.
    pub fn allow(&mut self, names: &[String]) -> Result<(), SeccompError> {
        let names = checked_names(names)?;
        if names.is_empty() {
            return Ok(());
        }
        for rule in &mut self.syscalls {
            if rule.action != "SCMP_ACT_ALLOW" {
                rule.names.retain(|n| !names.contains(n));
                if rule.name.as_ref().is_some_and(|n| names.contains(n)) {
                    rule.name = None;
                }
            }
        }
        self.syscalls.retain(|r| r.all_names().next().is_some());
        if self.default_action == "SCMP_ACT_ALLOW" {
            return Ok(());
        }
        self.syscalls.push(Rule {
            names: names.into_iter().collect(),
            action: "SCMP_ACT_ALLOW".into(),
            comment: Some("allowed by dockguard profile seccomp --allow".into()),
            ..Rule::default()
        });
        Ok(())
    }

    /// An allow-list profile: everything not named fails with EPERM. The architectures are
    /// Docker's, so the profile loads on any host Docker supports.
    pub fn allow_list(names: &BTreeSet<String>) -> Profile {
        let mut names = names.clone();
        // The runtime installs the filter before it executes the entrypoint, so the exec itself
        // and process teardown must always pass.
        for essential in ["execve", "exit", "exit_group", "rt_sigreturn", "futex"] {
            names.insert(essential.to_string());
        }
        Profile {
            default_action: "SCMP_ACT_ERRNO".into(),
            default_errno_ret: Some(EPERM),
            arch_map: Profile::docker_default().arch_map,
            architectures: None,
            syscalls: vec![Rule {
                names: names.into_iter().collect(),
                action: "SCMP_ACT_ALLOW".into(),
                comment: Some("recorded by dockguard".into()),
                ..Rule::default()
            }],
            extra: BTreeMap::new(),
        }
    }

    /// The rules that apply for one Docker architecture name (`amd64`, `arm64`, …), capability
    /// set and kernel version, resolved the way Docker does: `includes` must all hold, any
    /// matching `excludes` drops the rule.
    pub fn effective_rules(&self, arch: &str, caps: &[&str], kernel: (u32, u32)) -> Vec<Rule> {
        self.syscalls
            .iter()
            .filter(|r| {
                if let Some(inc) = &r.includes {
                    if inc
                        .arches
                        .as_ref()
                        .is_some_and(|a| !a.is_empty() && !a.iter().any(|x| x == arch))
                    {
                        return false;
                    }
                    if inc
                        .caps
                        .as_ref()
                        .is_some_and(|c| !c.iter().all(|x| caps.contains(&x.as_str())))
                    {
                        return false;
                    }
                    if let Some(min) = inc.min_kernel.as_deref().and_then(parse_kernel) {
                        if kernel < min {
                            return false;
                        }
                    }
                }
                if let Some(exc) = &r.excludes {
                    if exc
                        .arches
                        .as_ref()
                        .is_some_and(|a| a.iter().any(|x| x == arch))
                    {
                        return false;
                    }
                    if exc
                        .caps
                        .as_ref()
                        .is_some_and(|c| c.iter().any(|x| caps.contains(&x.as_str())))
                    {
                        return false;
                    }
                }
                true
            })
            .cloned()
            .collect()
    }
}

/// One syscall rule as a filter loader installs it: a single name, an action, and conditions
/// that must all hold.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FlatRule {
    pub name: String,
    pub action: String,
    pub errno: u32,
    pub args: Vec<Arg>,
}

impl Profile {
    /// The rules a runtime installs on `arch`, one per name. Like Docker, a rule whose argument
    /// conditions repeat an index becomes one rule per condition (any may match); otherwise the
    /// conditions form one rule (all must match).
    pub fn flatten(&self, arch: &str, caps: &[&str], kernel: (u32, u32)) -> Vec<FlatRule> {
        let mut out = Vec::new();
        for rule in self.effective_rules(arch, caps, kernel) {
            let errno = rule.errno_ret.or(self.default_errno_ret).unwrap_or(EPERM);
            let args = rule.args.clone().unwrap_or_default();
            let indexes: BTreeSet<u32> = args.iter().map(|a| a.index).collect();
            let groups: Vec<Vec<Arg>> = if indexes.len() == args.len() {
                vec![args]
            } else {
                args.into_iter().map(|a| vec![a]).collect()
            };
            for name in rule.all_names() {
                for g in &groups {
                    out.push(FlatRule {
                        name: name.clone(),
                        action: rule.action.clone(),
                        errno,
                        args: g.clone(),
                    });
                }
            }
        }
        out
    }
}

pub fn parse_kernel(v: &str) -> Option<(u32, u32)> {
    let mut parts = v.trim().split(['.', '-']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor))
}

fn table(arch: &str) -> Option<&'static str> {
    match arch {
        "amd64" | "SCMP_ARCH_X86_64" => Some(NAMES_X86_64),
        "386" | "x86" | "SCMP_ARCH_X86" => Some(NAMES_X86),
        "x32" | "SCMP_ARCH_X32" => Some(NAMES_X32),
        // riscv64 and loong64 add private syscalls to the generic table; only arm64 uses it as is.
        "arm64" | "SCMP_ARCH_AARCH64" => Some(NAMES_GENERIC),
        _ => None,
    }
}

/// Whether `name` is a syscall on `arch`; `None` when we have no table for that architecture.
pub fn known_on(name: &str, arch: &str) -> Option<bool> {
    let t = table(arch)?;
    Some(t.lines().any(|l| l == name) || NAMES_NEWER.lines().any(|l| l == name))
}

/// Whether `name` is a syscall on any architecture we have a table for.
pub fn is_known_syscall(name: &str) -> bool {
    [
        NAMES_X86_64,
        NAMES_X86,
        NAMES_X32,
        NAMES_GENERIC,
        NAMES_NEWER,
        NAMES_OTHER,
    ]
    .iter()
    .any(|t| t.lines().any(|l| l == name))
}

fn checked_names(names: &[String]) -> Result<BTreeSet<String>, SeccompError> {
    let set: BTreeSet<String> = names
        .iter()
        .flat_map(|n| n.split(','))
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    let unknown: Vec<&str> = set
        .iter()
        .filter(|n| !is_known_syscall(n))
        .map(String::as_str)
        .collect();
    if unknown.is_empty() {
        Ok(set)
    } else {
        Err(SeccompError::UnknownSyscalls(unknown.join(", ")))
    }
}

/// Syscall names from `strace` output (`-f`, `-ff`, `-o`, `-t`/`-tt`/`-ttt`, `-r`, `-T` all
/// fine): each line's `name(` after an optional `[pid N]`/PID prefix and timestamp, plus the
/// `<... name resumed>` form. Signals, exits and unknown (`syscall_0x…`) entries are skipped.
pub fn syscalls_from_strace(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let mut rest = line.trim_start();
        if let Some(r) = rest.strip_prefix("[pid") {
            rest = r.split_once(']').map(|(_, r)| r).unwrap_or("").trim_start();
        }
        // PID (`-f -o FILE`) and timestamp (`-t`, `-tt`, `-ttt`, `-r`) columns are numeric words.
        while let Some((word, r)) = rest.split_once(' ') {
            if !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == ':')
            {
                rest = r.trim_start();
            } else {
                break;
            }
        }
        let name = if let Some(r) = rest.strip_prefix("<... ") {
            r.split_whitespace().next().unwrap_or("")
        } else {
            rest.split('(')
                .next()
                .filter(|_| rest.contains('('))
                .unwrap_or("")
        };
        if !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && is_known_syscall(name)
        {
            out.insert(name.to_string());
        }
    }
    out
}

fn finding(
    path: &str,
    id: &str,
    severity: Severity,
    title: &str,
    message: String,
    pos: Pos,
    fix: &str,
) -> Finding {
    let location = if pos.line == 0 {
        Location::file(path)
    } else {
        Location::at(path, pos.line, pos.col)
    };
    Finding::new(id, FindingKind::Config, severity, title, message, location).with_fix(fix)
}

/// Validates a profile: `DGS001` default action allows everything, `DGS002` unknown action or
/// comparison, `DGS003` syscall unknown on every architecture, `DGS004` syscall absent on the
/// architecture a rule is limited to, `DGS005` duplicate entry, `DGS006` rule that can never
/// apply or has no effect. A profile that is not valid JSON of this shape is an error.
pub fn check_profile(path: &str, text: &str) -> Result<Vec<Finding>, SeccompError> {
    let profile = Profile::from_json(text)?;
    let tree = tree::load_json(text).map_err(|e| SeccompError::Invalid(e.to_string()))?;
    let mut out = Vec::new();
    let top = tree.key_pos("defaultAction").unwrap_or(tree.pos);
    let rules_pos: Vec<&Node> = tree
        .get("syscalls")
        .map(Node::seq)
        .unwrap_or(&[])
        .iter()
        .collect();
    let rule_pos = |i: usize| rules_pos.get(i).map(|n| n.pos).unwrap_or(top);
    let name_pos = |i: usize, j: usize| {
        rules_pos
            .get(i)
            .and_then(|n| n.get("names"))
            .and_then(|n| n.seq().get(j))
            .map(|n| n.pos)
            .unwrap_or(rule_pos(i))
    };

    let permissive = matches!(
        profile.default_action.as_str(),
        "SCMP_ACT_ALLOW" | "SCMP_ACT_LOG"
    );
    if permissive {
        out.push(finding(path, "DGS001", Severity::High, "Default action allows every syscall",
            format!("defaultAction {} lets through every syscall no rule names", profile.default_action), top,
            "use `\"defaultAction\": \"SCMP_ACT_ERRNO\"` and allow-list the syscalls the workload needs"));
    }
    if !ACTIONS.contains(&profile.default_action.as_str()) {
        out.push(finding(
            path,
            "DGS002",
            Severity::High,
            "Unknown action or comparison",
            format!(
                "defaultAction {} is not a seccomp action",
                profile.default_action
            ),
            top,
            "use one of SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS, SCMP_ACT_ALLOW, …",
        ));
    }
    let arches: BTreeSet<String> = profile
        .arch_map
        .iter()
        .flatten()
        .flat_map(|a| {
            std::iter::once(a.architecture.clone())
                .chain(a.sub_architectures.iter().flatten().cloned())
        })
        .chain(profile.architectures.iter().flatten().cloned())
        .collect();

    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for (i, rule) in profile.syscalls.iter().enumerate() {
        let rpos = rule_pos(i);
        if !ACTIONS.contains(&rule.action.as_str()) {
            out.push(finding(
                path,
                "DGS002",
                Severity::High,
                "Unknown action or comparison",
                format!("action {} is not a seccomp action", rule.action),
                rpos,
                "use a SCMP_ACT_* action",
            ));
        }
        for arg in rule.args.iter().flatten() {
            if !OPS.contains(&arg.op.as_str()) || arg.index > 5 {
                out.push(finding(
                    path,
                    "DGS002",
                    Severity::High,
                    "Unknown action or comparison",
                    format!(
                        "argument condition index {} op {} is invalid",
                        arg.index, arg.op
                    ),
                    rpos,
                    "use index 0-5 and a SCMP_CMP_* comparison",
                ));
            }
        }
        let inc = rule.includes.clone().unwrap_or_default();
        let exc = rule.excludes.clone().unwrap_or_default();
        let mut never = Vec::new();
        if rule.all_names().next().is_none() {
            never.push("it names no syscall".to_string());
        }
        for a in inc.arches.iter().flatten() {
            if exc.arches.iter().flatten().any(|e| e == a) {
                never.push(format!("architecture {a} is both included and excluded"));
            }
        }
        for c in inc.caps.iter().flatten() {
            if exc.caps.iter().flatten().any(|e| e == c) {
                never.push(format!("capability {c} is both required and excluding"));
            }
        }
        if let Some(k) = &inc.min_kernel {
            if parse_kernel(k).is_none() {
                never.push(format!("minKernel {k} is not a kernel version"));
            }
        }
        let same_as_default = rule.action == profile.default_action
            && rule.errno_ret.or(Some(EPERM)) == profile.default_errno_ret.or(Some(EPERM))
            && rule.args.as_ref().is_none_or(Vec::is_empty);
        if same_as_default {
            never.push(format!(
                "its action equals the default action {}",
                profile.default_action
            ));
        }
        for why in never {
            out.push(finding(
                path,
                "DGS006",
                Severity::Low,
                "Rule can never apply or has no effect",
                format!("syscalls rule {} never changes the outcome: {why}", i + 1),
                rpos,
                "remove the rule or fix its includes/excludes",
            ));
        }
        let rule_arches: Vec<String> = inc.arches.clone().unwrap_or_default();
        let key_extra = format!(
            "{:?}|{:?}|{:?}|{:?}",
            rule.args, rule.includes, rule.excludes, rule.errno_ret
        );
        for (j, name) in rule.all_names().enumerate() {
            let npos = name_pos(i, j);
            if !is_known_syscall(name) {
                out.push(finding(
                    path,
                    "DGS003",
                    Severity::Medium,
                    "Unknown syscall",
                    format!("{name} is not a syscall on any known architecture"),
                    npos,
                    "check the spelling; runtimes silently skip unknown names",
                ));
            } else {
                // Architectures without a table here count as "may exist": only a name absent
                // from every listed architecture is reported.
                if !rule_arches.is_empty()
                    && rule_arches.iter().all(|a| known_on(name, a) == Some(false))
                {
                    out.push(finding(
                        path,
                        "DGS004",
                        Severity::Low,
                        "Syscall absent on the rule's architecture",
                        format!(
                            "{name} does not exist on {}, so this entry never applies",
                            rule_arches.join(", ")
                        ),
                        npos,
                        "remove the name or the architecture restriction",
                    ));
                }
                if rule_arches.is_empty()
                    && !arches.is_empty()
                    && arches.iter().all(|a| known_on(name, a) == Some(false))
                {
                    out.push(finding(
                        path,
                        "DGS004",
                        Severity::Low,
                        "Syscall absent on the rule's architecture",
                        format!("{name} exists on none of the profile's architectures we know"),
                        npos,
                        "remove the name or add its architecture to archMap",
                    ));
                }
            }
            let key = (name.clone(), rule.action.clone(), key_extra.clone());
            if let Some(first) = seen.get(&key) {
                out.push(finding(
                    path,
                    "DGS005",
                    Severity::Low,
                    "Duplicate syscall entry",
                    format!(
                        "{name} already appears with the same action and conditions in rule {}",
                        first + 1
                    ),
                    npos,
                    "remove the duplicate",
                ));
            } else {
                seen.insert(key, i);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_profile_round_trips_and_checks_clean() {
        let p = Profile::docker_default();
        assert_eq!(p.default_action, "SCMP_ACT_ERRNO");
        assert!(p.syscalls.len() > 20);
        let again = Profile::from_json(&p.to_json()).unwrap();
        assert_eq!(p, again);
        let original: serde_json::Value = serde_json::from_str(DEFAULT_JSON).unwrap();
        let ours: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
        assert_eq!(original, ours, "our model must not lose or add anything");
        let findings = check_profile("default.json", DEFAULT_JSON).unwrap();
        let ids: Vec<String> = findings
            .iter()
            .map(|f| format!("{} {}", f.id, f.message))
            .collect();
        assert!(findings.is_empty(), "{ids:#?}");
    }

    #[test]
    fn strace_lines() {
        let text = "\
execve(\"/bin/true\", [\"true\"], 0x7ffd /* 20 vars */) = 0
[pid  4242] openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3
4243  12:00:01.123456 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f
4243  read(3,  <unfinished ...>
4243  <... read resumed>\"\", 10) = 0
--- SIGCHLD {si_signo=SIGCHLD} ---
+++ exited with 0 +++
1690000000.123 exit_group(0)           = ?
";
        let names: Vec<String> = syscalls_from_strace(text).into_iter().collect();
        assert_eq!(
            names,
            vec!["execve", "exit_group", "mmap", "openat", "read"]
        );
    }

    #[test]
    fn checker_reports_each_problem() {
        let text = r#"{
  "defaultAction": "SCMP_ACT_ALLOW",
  "architectures": ["SCMP_ARCH_X86_64"],
  "syscalls": [
    {"names": ["read", "read", "notasyscall"], "action": "SCMP_ACT_ERRNO"},
    {"names": ["write"], "action": "SCMP_ACT_ALLOW"},
    {"names": ["arch_prctl"], "action": "SCMP_ACT_ERRNO", "includes": {"arches": ["arm64"]}},
    {"names": ["kill"], "action": "SCMP_ACT_BOGUS"}
  ]
}"#;
        let f = check_profile("p.json", text).unwrap();
        let got: Vec<(String, u32)> = f
            .iter()
            .map(|f| (f.id.clone(), f.location.line.unwrap()))
            .collect();
        assert!(got.contains(&("DGS001".into(), 2)));
        assert!(got.contains(&("DGS005".into(), 5)));
        assert!(got.contains(&("DGS003".into(), 5)));
        assert!(got.contains(&("DGS006".into(), 6)));
        assert!(got.contains(&("DGS004".into(), 7)));
        assert!(got.contains(&("DGS002".into(), 8)));
        assert!(check_profile("p.json", "{").is_err());
        assert!(check_profile("p.json", "[]").is_err());
    }

    #[test]
    fn deny_rejects_unknown_names() {
        let mut p = Profile::docker_default();
        assert!(p.deny(&["chown,notasyscall".into()]).is_err());
        assert!(p.deny(&["chown".into(), "mkdir,kill".into()]).is_ok());
        assert!(check_profile("p.json", &p.to_json()).unwrap().is_empty());
        let mut open = p.clone();
        open.default_action = "SCMP_ACT_ALLOW".into();
        open.deny(&["uname".into()]).unwrap();
        assert_eq!(
            open.syscalls.last().map(|r| r.action.as_str()),
            Some("SCMP_ACT_ERRNO")
        );
    }
}
