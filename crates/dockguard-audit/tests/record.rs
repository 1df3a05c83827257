//! `profile seccomp --record` end to end: record a command under ptrace, install the resulting
//! allow-list with the real libseccomp (a tiny C loader built with gcc against Debian's
//! `libseccomp-dev`, the same approach as `tests/libseccomp.rs`) and run the command under it.
//! Skipped with a message when ptrace or the tools are unavailable, except under `CI=true`.

use dockguard_audit::record::{record, Exit, RecordError, RecordOptions};
use dockguard_audit::seccomp::{check_profile, Profile, DOCKER_DEFAULT_CAPS};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod support;
use support::{build_loader, skip};

const LOADER_C: &str = r#"
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Input: "DEFAULT <errno>" then "ALLOW <name>" lines (the shape of an allow-list profile).
   Installs them and executes argv[2..]. Names libseccomp does not know are skipped, as container
   runtimes skip them. */
int main(int argc, char **argv) {
    if (argc < 3) return 100;
    FILE *f = fopen(argv[1], "r");
    if (!f) return 100;
    unsigned e;
    char name[128];
    if (fscanf(f, "DEFAULT %u\n", &e) != 1) return 100;
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(e));
    if (!ctx) return 100;
    while (fscanf(f, "ALLOW %127s\n", name) == 1) {
        int nr = seccomp_syscall_resolve_name(name);
        if (nr == __NR_SCMP_ERROR) continue;
        if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) != 0) return 101;
    }
    fclose(f);
    if (seccomp_load(ctx) != 0) return 102;
    execv(argv[2], argv + 2);
    return 103;
}
"#;

fn loader(dir: &Path) -> Option<PathBuf> {
    build_loader(dir, LOADER_C)
}

/// The amd64 view of an allow-list profile in the loader's input format.
fn write_allow_list(p: &Profile, path: &Path) {
    assert_eq!(p.default_action, "SCMP_ACT_ERRNO");
    let mut text = format!("DEFAULT {}\n", p.default_errno_ret.unwrap_or(1));
    for r in p.flatten("amd64", DOCKER_DEFAULT_CAPS, (6, 1)) {
        assert_eq!(r.action, "SCMP_ACT_ALLOW", "{r:?}");
        assert!(r.args.is_empty(), "{r:?}");
        text.push_str(&format!("ALLOW {}\n", r.name));
    }
    std::fs::write(path, text).unwrap();
}

fn run_under(loader: &Path, rules: &Path, cmd: &[&str]) -> std::process::Output {
    Command::new(loader).arg(rules).args(cmd).output().unwrap()
}

/// Records `cmd`, or skips (fails under CI) when this environment forbids ptrace.
fn record_or_skip(cmd: &[&str]) -> Option<dockguard_audit::record::Recording> {
    let cmd: Vec<String> = cmd.iter().map(|s| s.to_string()).collect();
    match record(&cmd, &RecordOptions::default()) {
        Ok(r) => Some(r),
        Err(RecordError::PtraceDenied(e)) => {
            skip(&format!("ptrace permitted ({e})"));
            None
        }
        Err(RecordError::Unsupported(why)) => {
            skip(why);
            None
        }
        Err(e) => panic!("recording {cmd:?}: {e}"),
    }
}

#[test]
fn recorded_true_runs_under_its_own_profile_and_uname_does_not() {
    let Some(rec) = record_or_skip(&["/bin/true"]) else {
        return;
    };
    assert_eq!(rec.exit, Exit::Code(0));
    assert!(!rec.timed_out);
    assert!(rec.unknown.is_empty(), "{:?}", rec.unknown);
    for name in ["execve", "exit_group"] {
        assert!(
            rec.syscalls.contains(name),
            "{name} not in {:?}",
            rec.syscalls
        );
    }
    assert!(!rec.syscalls.contains("uname"), "{:?}", rec.syscalls);
    // Our launcher's SIGSTOP (tgkill) happens before exec and is not the workload's.
    assert!(!rec.syscalls.contains("tgkill"), "{:?}", rec.syscalls);
    eprintln!(
        "/bin/true made {} distinct syscalls: {:?}",
        rec.syscalls.len(),
        rec.syscalls
    );

    let profile = rec.profile();
    assert!(check_profile("p.json", &profile.to_json())
        .unwrap()
        .is_empty());

    let dir = tempfile::tempdir().unwrap();
    let Some(loader) = loader(dir.path()) else {
        return;
    };
    let rules = dir.path().join("recorded.rules");
    write_allow_list(&profile, &rules);
    let t = run_under(&loader, &rules, &["/bin/true"]);
    assert!(t.status.success(), "true under its recorded profile: {t:?}");
    let u = run_under(&loader, &rules, &["/bin/uname", "-s"]);
    assert!(
        !u.status.success(),
        "uname is not in true's recorded profile: {u:?}"
    );
}

#[test]
fn recorded_uname_runs_under_its_profile_but_not_with_deny_uname() {
    let Some(rec) = record_or_skip(&["uname", "-s"]) else {
        return;
    };
    assert_eq!(rec.exit, Exit::Code(0));
    assert!(rec.syscalls.contains("uname"), "{:?}", rec.syscalls);
    let mut denied = rec.profile();
    denied.deny(&["uname".to_string()]).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let Some(loader) = loader(dir.path()) else {
        return;
    };
    let rules = dir.path().join("uname.rules");
    write_allow_list(&rec.profile(), &rules);
    let ok = run_under(&loader, &rules, &["/bin/uname", "-s"]);
    assert!(
        ok.status.success(),
        "uname under its recorded profile: {ok:?}"
    );
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), "Linux");

    let rules = dir.path().join("denied.rules");
    write_allow_list(&denied, &rules);
    let bad = run_under(&loader, &rules, &["/bin/uname", "-s"]);
    assert!(!bad.status.success(), "uname under --deny uname: {bad:?}");
}

#[test]
fn children_threads_and_exit_status_are_traced() {
    // The shell forks `cat`, whose reads are only seen if forks are followed.
    let Some(rec) = record_or_skip(&[
        "/bin/sh",
        "-c",
        "/bin/cat /proc/self/status >/dev/null; exit 3",
    ]) else {
        return;
    };
    assert_eq!(rec.exit, Exit::Code(3));
    for name in ["wait4", "execve", "read"] {
        assert!(
            rec.syscalls.contains(name),
            "{name} not in {:?}",
            rec.syscalls
        );
    }
    let forked = ["clone", "clone3", "fork", "vfork"];
    assert!(
        forked.iter().any(|n| rec.syscalls.contains(*n)),
        "{:?}",
        rec.syscalls
    );
}

#[test]
fn time_limit_kills_the_command_and_its_children() {
    let cmd: Vec<String> = ["/bin/sh", "-c", "sleep 30 & sleep 30; wait"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let start = Instant::now();
    let rec = match record(
        &cmd,
        &RecordOptions {
            timeout: Duration::from_millis(500),
        },
    ) {
        Ok(r) => r,
        Err(RecordError::PtraceDenied(e)) => return skip(&format!("ptrace permitted ({e})")),
        Err(e) => panic!("{e}"),
    };
    assert!(rec.timed_out);
    assert_eq!(rec.exit, Exit::Signal(9));
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn missing_command_is_a_clear_error() {
    let cmd = vec!["/nonexistent/dockguard-test".to_string()];
    match record(&cmd, &RecordOptions::default()) {
        Err(RecordError::Exec { command, error }) => {
            assert_eq!(command, "/nonexistent/dockguard-test");
            assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
        }
        Err(RecordError::PtraceDenied(e)) => skip(&format!("ptrace permitted ({e})")),
        other => panic!("{other:?}"),
    }
}
