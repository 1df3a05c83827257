//! End-to-end behaviour of `dockguard lint`: exit codes, bad input, formats, configuration.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn dockguard(args: &[&str], dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockguard"))
        .args(args)
        .current_dir(dir)
        .env_remove("DOCKGUARD_FORMAT")
        .output()
        .expect("run dockguard")
}

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn exit_codes_follow_the_documented_table() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "clean.Dockerfile",
        b"FROM alpine:3.20\nUSER 1000\nCMD [\"true\"]\n",
    );
    write(
        dir.path(),
        "dirty.Dockerfile",
        b"FROM alpine:3.20\nMAINTAINER me\nUSER 1000\nCMD [\"true\"]\n",
    );

    let clean = dockguard(&["lint", "clean.Dockerfile"], dir.path());
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));

    let dirty = dockguard(&["lint", "dirty.Dockerfile"], dir.path());
    assert_eq!(dirty.status.code(), Some(1));

    let no_fail = dockguard(&["lint", "--no-fail", "dirty.Dockerfile"], dir.path());
    assert_eq!(no_fail.status.code(), Some(0));

    let high_only = dockguard(&["lint", "-t", "critical", "dirty.Dockerfile"], dir.path());
    assert_eq!(high_only.status.code(), Some(0));

    let ignored = dockguard(
        &["lint", "--ignore", "DL4000", "dirty.Dockerfile"],
        dir.path(),
    );
    assert_eq!(
        ignored.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ignored.stdout)
    );

    let usage = dockguard(&["lint", "--no-such-flag", "x"], dir.path());
    assert_eq!(usage.status.code(), Some(2));

    let missing = dockguard(&["lint", "absent.Dockerfile"], dir.path());
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("absent.Dockerfile"));

    let bad_format = dockguard(
        &["--format", "yaml", "lint", "clean.Dockerfile"],
        dir.path(),
    );
    assert_eq!(bad_format.status.code(), Some(2));
}

#[test]
fn bad_input_is_a_clear_error_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut long_line = b"FROM alpine:3.20\nRUN echo ".to_vec();
    long_line.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    long_line.push(b'\n');
    let cases: Vec<(&str, Vec<u8>, i32, &str)> = vec![
        (
            "binary.Dockerfile",
            vec![0x7f, b'E', b'L', b'F', 0, 1, 2],
            2,
            "binary",
        ),
        ("empty.Dockerfile", Vec::new(), 2, "no instructions"),
        (
            "latin1.Dockerfile",
            b"FROM alpine\nLABEL a=\xe9\n".to_vec(),
            2,
            "UTF-8",
        ),
        (
            "heredoc.Dockerfile",
            b"FROM alpine:3.20\nRUN <<EOF\necho never closed\n".to_vec(),
            2,
            "unterminated heredoc",
        ),
        (
            "unknown.Dockerfile",
            b"FORM alpine:3.20\n".to_vec(),
            1,
            "DG0002",
        ),
        ("long.Dockerfile", long_line, -1, "schema_version"),
    ];
    for (name, bytes, code, needle) in cases {
        write(dir.path(), name, &bytes);
        let out = dockguard(&["--format", "json", "lint", name], dir.path());
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
        // -1: parsed and linted; whether it has findings does not matter here.
        if code == -1 {
            assert!(matches!(out.status.code(), Some(0 | 1)), "{name}: {all}");
        } else {
            assert_eq!(out.status.code(), Some(code), "{name}: {all}");
        }
        assert!(!all.contains("panicked"), "{name}: {all}");
        assert!(all.contains(needle), "{name}: expected {needle:?} in {all}");
        if code == 2 {
            assert!(
                stderr(&out).contains(name),
                "{name}: error must name the file"
            );
        }
    }
}

#[test]
fn reads_standard_input_and_writes_output_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dockguard"))
        .args(["--format", "json", "--output", "report.json", "lint", "-"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"FROM debian:12\nRUN cd /tmp && echo hi\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["schema_version"], "1.0");
    assert_eq!(report["targets"][0], "<stdin>");
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| f["location"]["path"] == "<stdin>"));
}

#[test]
fn hadolint_config_and_pragmas_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        b"FROM alpine:3.20\n# hadolint ignore=DL4000\nMAINTAINER a\nMAINTAINER b\n",
    );
    let out = dockguard(&["--format", "json", "lint", "Dockerfile"], dir.path());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let dl4000: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "DL4000")
        .map(|f| f["location"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(dl4000, vec![4], "the pragma covers only the next line");

    write(dir.path(), ".hadolint.yaml", b"ignored:\n  - DL4000\n");
    let out = dockguard(&["--format", "json", "lint", "Dockerfile"], dir.path());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["id"] != "DL4000"));

    write(
        dir.path(),
        ".hadolint.yaml",
        b"failure-threshold: [not, a, level]\n",
    );
    let out = dockguard(&["lint", "Dockerfile"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(".hadolint.yaml"), "{}", stderr(&out));
}

#[test]
fn every_format_renders_a_lint_report() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", b"FROM alpine\nMAINTAINER me\n");
    for format in [
        "table",
        "json",
        "sarif",
        "checkstyle",
        "gitlab-codequality",
        "junit",
    ] {
        let out = dockguard(&["--format", format, "lint", "Dockerfile"], dir.path());
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("DL4000"), "{format}: {text}");
    }
}
