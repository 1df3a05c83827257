//! Generated seccomp profiles against the real libseccomp: a tiny C loader (built with gcc
//! against Debian's `libseccomp-dev`) installs a profile's amd64 rules and executes a command
//! under it; `scmp_sys_resolver` (Debian's `seccomp` package) resolves the denied names.
//! Skipped with a message when the tools are absent, except under `CI=true`.

use dockguard_audit::seccomp::{syscalls_from_strace, FlatRule, Profile, DOCKER_DEFAULT_CAPS};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

mod support;
use support::{build_loader, skip};

const LOADER_C: &str = r#"
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads "DEFAULT <action> <errno>" then "RULE <action> <errno> <name> <n> (<idx> <op> <a> <b>)*"
   lines, installs them, and executes argv[2..]. Names libseccomp does not know are skipped, as
   container runtimes skip them. */
static uint32_t action(const char *a, unsigned e) {
    if (!strcmp(a, "SCMP_ACT_ALLOW")) return SCMP_ACT_ALLOW;
    if (!strcmp(a, "SCMP_ACT_ERRNO")) return SCMP_ACT_ERRNO(e);
    if (!strcmp(a, "SCMP_ACT_LOG")) return SCMP_ACT_LOG;
    if (!strcmp(a, "SCMP_ACT_TRAP")) return SCMP_ACT_TRAP;
    if (!strcmp(a, "SCMP_ACT_KILL_PROCESS")) return SCMP_ACT_KILL_PROCESS;
    if (!strcmp(a, "SCMP_ACT_KILL") || !strcmp(a, "SCMP_ACT_KILL_THREAD")) return SCMP_ACT_KILL;
    if (!strcmp(a, "SCMP_ACT_TRACE")) return SCMP_ACT_TRACE(e);
    fprintf(stderr, "loader: unknown action %s\n", a); exit(100);
}
static enum scmp_compare op(const char *o) {
    if (!strcmp(o, "SCMP_CMP_NE")) return SCMP_CMP_NE;
    if (!strcmp(o, "SCMP_CMP_LT")) return SCMP_CMP_LT;
    if (!strcmp(o, "SCMP_CMP_LE")) return SCMP_CMP_LE;
    if (!strcmp(o, "SCMP_CMP_EQ")) return SCMP_CMP_EQ;
    if (!strcmp(o, "SCMP_CMP_GE")) return SCMP_CMP_GE;
    if (!strcmp(o, "SCMP_CMP_GT")) return SCMP_CMP_GT;
    if (!strcmp(o, "SCMP_CMP_MASKED_EQ")) return SCMP_CMP_MASKED_EQ;
    fprintf(stderr, "loader: unknown op %s\n", o); exit(100);
}
int main(int argc, char **argv) {
    if (argc < 3) return 100;
    FILE *f = fopen(argv[1], "r");
    if (!f) return 100;
    char act[64], name[128];
    unsigned e;
    if (fscanf(f, "DEFAULT %63s %u\n", act, &e) != 2) return 100;
    scmp_filter_ctx ctx = seccomp_init(action(act, e));
    if (!ctx) return 100;
    int skipped = 0, added = 0, n;
    while (fscanf(f, "RULE %63s %u %127s %d", act, &e, name, &n) == 4) {
        struct scmp_arg_cmp cmp[6];
        for (int i = 0; i < n && i < 6; i++) {
            char o[64]; unsigned idx; unsigned long long a, b;
            if (fscanf(f, " %u %63s %llu %llu", &idx, o, &a, &b) != 4) return 100;
            cmp[i].arg = idx; cmp[i].op = op(o); cmp[i].datum_a = a; cmp[i].datum_b = b;
        }
        fscanf(f, "\n");
        int nr = seccomp_syscall_resolve_name(name);
        if (nr == __NR_SCMP_ERROR) { skipped++; continue; }
        int rc = seccomp_rule_add_array(ctx, action(act, e), nr, n, cmp);
        /* -EACCES: the rule's action equals the default; libseccomp refuses it as redundant. */
        if (rc != 0 && rc != -EACCES) { fprintf(stderr, "loader: rule %s rejected: %d\n", name, rc); return 101; }
        added++;
    }
    if (seccomp_load(ctx) != 0) { fprintf(stderr, "loader: seccomp_load failed\n"); return 102; }
    fprintf(stderr, "loader: %d rules, %d unknown names skipped\n", added, skipped);
    execv(argv[2], argv + 2);
    perror("loader: execv");
    return 103;
}
"#;

fn kernel() -> (u32, u32) {
    std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .ok()
        .and_then(|v| dockguard_audit::seccomp::parse_kernel(&v))
        .unwrap_or((5, 10))
}

fn amd64_rules(p: &Profile) -> Vec<FlatRule> {
    p.flatten("amd64", DOCKER_DEFAULT_CAPS, kernel())
}

fn loader(dir: &Path) -> Option<PathBuf> {
    build_loader(dir, LOADER_C)
}

fn write_rules(p: &Profile, path: &Path) {
    let mut text = format!(
        "DEFAULT {} {}\n",
        p.default_action,
        p.default_errno_ret.unwrap_or(1)
    );
    for r in amd64_rules(p) {
        text.push_str(&format!(
            "RULE {} {} {} {}",
            r.action,
            r.errno,
            r.name,
            r.args.len()
        ));
        for a in &r.args {
            text.push_str(&format!(
                " {} {} {} {}",
                a.index, a.op, a.value, a.value_two
            ));
        }
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

fn run_under(loader: &Path, rules: &Path, cmd: &[&str]) -> std::process::Output {
    Command::new(loader).arg(rules).args(cmd).output().unwrap()
}

fn deny_profile() -> Profile {
    let mut p = Profile::docker_default();
    p.deny(&["chown,mkdir,kill,uname".to_string()]).unwrap();
    p
}

#[test]
fn deny_profile_differs_from_default_only_in_denied_syscalls() {
    let by_name = |p: &Profile| {
        let mut m: BTreeMap<String, BTreeSet<FlatRule>> = BTreeMap::new();
        for r in amd64_rules(p) {
            m.entry(r.name.clone()).or_default().insert(r);
        }
        m
    };
    let default = by_name(&Profile::docker_default());
    let denied = by_name(&deny_profile());
    let names: BTreeSet<&String> = default.keys().chain(denied.keys()).collect();
    let changed: Vec<&str> = names
        .into_iter()
        .filter(|n| default.get(*n) != denied.get(*n))
        .map(String::as_str)
        .collect();
    assert_eq!(changed, vec!["chown", "kill", "mkdir", "uname"]);
    // No allowing rule is left for them, so the default action (EPERM) decides.
    assert_eq!(deny_profile().default_action, "SCMP_ACT_ERRNO");
    for n in ["chown", "kill", "mkdir", "uname"] {
        assert!(
            denied
                .get(n)
                .is_none_or(|rules| rules.iter().all(|r| r.action == "SCMP_ACT_ERRNO")),
            "{n}"
        );
    }
}

#[test]
fn scmp_sys_resolver_knows_the_denied_syscalls() {
    for name in ["chown", "mkdir", "kill", "uname"] {
        let out = match Command::new("scmp_sys_resolver")
            .args(["-a", "x86_64", name])
            .output()
        {
            Ok(o) => o,
            Err(_) => return skip("scmp_sys_resolver (Debian package seccomp)"),
        };
        let nr: i64 = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(-1);
        assert!(nr >= 0, "{name} did not resolve: {out:?}");
    }
}

#[test]
fn libseccomp_loads_default_and_deny_profiles_and_uname_fails() {
    let dir = tempfile::tempdir().unwrap();
    let Some(loader) = loader(dir.path()) else {
        return;
    };
    let default_rules = dir.path().join("default.rules");
    let deny_rules = dir.path().join("deny.rules");
    write_rules(&Profile::docker_default(), &default_rules);
    write_rules(&deny_profile(), &deny_rules);

    let ok = run_under(&loader, &default_rules, &["/bin/uname", "-s"]);
    assert!(
        ok.status.success(),
        "uname under the default profile: {ok:?}"
    );
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), "Linux");

    let t = run_under(&loader, &deny_rules, &["/bin/true"]);
    assert!(t.status.success(), "true under the deny profile: {t:?}");
    let u = run_under(&loader, &deny_rules, &["/bin/uname", "-s"]);
    assert!(
        !u.status.success(),
        "uname must fail under --deny uname: {u:?}"
    );
    let target = dir.path().join("made");
    let m = run_under(
        &loader,
        &deny_rules,
        &["/bin/mkdir", target.to_str().unwrap()],
    );
    assert!(
        !m.status.success() && !target.exists(),
        "mkdir must fail: {m:?}"
    );
    assert!(
        String::from_utf8_lossy(&m.stderr).contains("Operation not permitted"),
        "{m:?}"
    );
}

#[test]
fn allow_list_from_strace_runs_the_same_command() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.txt");
    let traced = Command::new("strace")
        .arg("-f")
        .arg("-o")
        .arg(&trace)
        .arg("/bin/true")
        .output();
    if !traced.as_ref().is_ok_and(|o| o.status.success()) {
        return skip("strace with ptrace permitted");
    }
    let names = syscalls_from_strace(&std::fs::read_to_string(&trace).unwrap());
    assert!(
        names.contains("execve") && names.contains("exit_group"),
        "{names:?}"
    );
    let profile = Profile::allow_list(&names);
    assert!(
        dockguard_audit::seccomp::check_profile("p.json", &profile.to_json())
            .unwrap()
            .is_empty()
    );
    let Some(loader) = loader(dir.path()) else {
        return;
    };
    let rules = dir.path().join("allow.rules");
    write_rules(&profile, &rules);
    let t = run_under(&loader, &rules, &["/bin/true"]);
    assert!(t.status.success(), "true under its own allow-list: {t:?}");
    let u = run_under(&loader, &rules, &["/bin/uname"]);
    assert!(
        !u.status.success(),
        "uname is not in true's allow-list: {u:?}"
    );
}
