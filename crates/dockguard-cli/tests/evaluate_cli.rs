//! `dockguard evaluate REPORT.json` against `dockguard scan` with the same policy, on the shared
//! fixture images, and the new `[policy]` keys end to end (image age, base images, licences).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockguard"))
        .args(args)
        .current_dir(cwd)
        .env_remove("DOCKGUARD_FORMAT")
        .env_remove("DOCKGUARD_DB_DIR")
        .env("XDG_CACHE_HOME", cwd.join(".cache"))
        .output()
        .expect("run dockguard")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn image(name: &str) -> Option<String> {
    let path: PathBuf = dockguard_testkit::fixture(&format!("images/{name}"))?;
    Some(format!("oci-dir:{}", path.display()))
}

/// Runs with every new key on: debian12-app was built on 2026-01-01 as root, from a base its
/// manifest annotations name (no label), with GPL-3.0 Debian packages.
const FAILING: &str = r#"[policy]
fail-on = "never"
deny-root = true
max-image-age-days = 30
allowed-base-images = ["docker.io/library/debian:12*"]
deny-licenses = ["GPL-3.0*"]
"#;

/// The same keys, set so that debian12-app passes them (the base comes from its manifest
/// annotations, ahead of the Dockerfile).
const PASSING: &str = r#"[policy]
fail-on = "never"
warn-on = "never"
max_image_age_days = 36500
allowed_base_images = ["localhost/dockguard/*"]
deny_licenses = ["SSPL-1.0", "BUSL-*"]
"#;

/// `scan` with the policy, and `scan` without it followed by `evaluate` with it, must agree on
/// the whole verdict and on the exit code.
fn same_verdict(dir: &Path, target: &str, dockerfile: &str, policy: &str) -> serde_json::Value {
    std::fs::write(dir.join("policy.toml"), policy).unwrap();
    let common = [
        "scan",
        "--scanners",
        "secret,config",
        "--dockerfile",
        dockerfile,
        "--exit-code",
        "3",
        "-f",
        "json",
    ];
    let mut direct: Vec<&str> = common.to_vec();
    direct.extend(["--config", "policy.toml", target]);
    let direct = run(dir, &direct);
    let mut plain: Vec<&str> = common.to_vec();
    plain.extend(["-o", "report.json", target]);
    let plain = run(dir, &plain);
    assert!(plain.status.code().is_some(), "{}", stderr(&plain));
    assert!(dir.join("report.json").is_file(), "{}", stderr(&plain));

    let later = run(
        dir,
        &[
            "evaluate",
            "--config",
            "policy.toml",
            "--exit-code",
            "3",
            "-f",
            "json",
            "report.json",
        ],
    );
    assert_eq!(
        later.status.code(),
        direct.status.code(),
        "scan: {}\nevaluate: {}",
        stderr(&direct),
        stderr(&later)
    );
    let (a, b) = (json(&direct), json(&later));
    assert_eq!(a["policy"], b["policy"]);
    assert_eq!(a["findings"], b["findings"]);
    assert_eq!(a["subject"], b["subject"]);
    // The verdict lines on stderr are the same too.
    let verdict = |s: String| -> String {
        s.lines()
            .skip_while(|l| !l.starts_with("dockguard: policy:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(verdict(stderr(&direct)), verdict(stderr(&later)));
    a
}

#[test]
fn evaluate_matches_scan_for_a_failing_and_a_passing_policy() {
    let Some(target) = image("debian12-app") else {
        return;
    };
    let Some(dockerfile) = dockguard_testkit::fixture("images/debian12-app.Dockerfile") else {
        return;
    };
    let dockerfile = dockerfile.display().to_string();
    let dir = tempfile::tempdir().unwrap();

    let failed = same_verdict(dir.path(), &target, &dockerfile, FAILING);
    assert_eq!(failed["policy"]["decision"], "FAIL");
    let reasons: Vec<&str> = failed["policy"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    let has = |prefix: &str| reasons.iter().any(|r| r.starts_with(prefix));
    assert!(has("deny-root: the image runs as root"), "{reasons:#?}");
    assert!(
        has("max-image-age-days: the image was built on 2026-01-01"),
        "{reasons:#?}"
    );
    let base = "allowed-base-images: the base image \
                localhost/dockguard/bookworm-point-minbase:12@sha256:\
                e93b4eb7b0d3e1b519f8d3c7804060bbfdeb4eb755fadc483df4febc58e339ce \
                (from manifest annotation org.opencontainers.image.base.name) matches none of \
                docker.io/library/debian:12*";
    assert!(reasons.contains(&base), "{reasons:#?}");
    let licences: Vec<&&str> = reasons
        .iter()
        .filter(|r| r.starts_with("deny-licenses: "))
        .collect();
    assert!(!licences.is_empty(), "{reasons:#?}");
    for r in &licences {
        assert!(
            r.contains("(deb) is licensed GPL-3.0") && r.contains(" at /var/lib/dpkg/status"),
            "{r}"
        );
    }

    let passed = same_verdict(dir.path(), &target, &dockerfile, PASSING);
    assert_eq!(
        passed["policy"]["decision"], "PASS",
        "{:#}",
        passed["policy"]
    );
    assert_eq!(
        passed["subject"]["base_image"],
        "localhost/dockguard/bookworm-point-minbase:12@sha256:\
         e93b4eb7b0d3e1b519f8d3c7804060bbfdeb4eb755fadc483df4febc58e339ce"
    );
    assert_eq!(passed["subject"]["created"], "2026-01-01T00:00:00Z");
}

#[test]
fn without_label_or_dockerfile_the_base_is_unknown() {
    // static-nonroot's `created` is its SOURCE_DATE_EPOCH (2026-01-01), a real date, so the age
    // is judged (a zero date is in the gate's unit tests); it has no base-name label.
    let Some(target) = image("static-nonroot") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("dockguard.toml"),
        "[policy]\nmax-image-age-days = 36500\nallowed-base-images = [\"scratch\"]\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["scan", "--scanners", "config", "-f", "json", &target],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["policy"]["decision"], "WARN");
    let text = report["policy"]["reasons"].to_string();
    assert!(text.contains("base image unknown"), "{text}");
    assert!(!text.contains("max-image-age-days"), "{text}");
}

#[test]
fn evaluate_refuses_other_json_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("other.json"), r#"{"findings": []}"#).unwrap();
    std::fs::write(dir.path().join("broken.json"), "{").unwrap();
    for name in ["other.json", "broken.json", "missing.json"] {
        let out = run(dir.path(), &["evaluate", name]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains(name), "{}", stderr(&out));
    }
    let out = run(dir.path(), &["evaluate", "other.json"]);
    assert!(
        stderr(&out).contains("not a dockguard JSON report"),
        "{}",
        stderr(&out)
    );
    if let Some(expected) = dockguard_testkit::fixture("expected/debian12-app.image.json") {
        let shown = expected.display().to_string();
        let out = run(dir.path(), &["evaluate", &shown]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains(&shown), "{}", stderr(&out));
    }
}

#[test]
fn evaluate_gates_a_lint_report_and_applies_ignores() {
    let Some(dockerfile) = dockguard_testkit::fixture("images/debian12-app.Dockerfile") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let shown = dockerfile.display().to_string();
    let lint = run(
        dir.path(),
        &["lint", "-f", "json", "-o", "lint.json", &shown],
    );
    assert_eq!(lint.status.code(), Some(1), "{}", stderr(&lint));
    std::fs::write(
        dir.path().join("dockguard.toml"),
        "[policy]\nfail-on = \"medium\"\ndeny-root = true\n",
    )
    .unwrap();
    let out = run(dir.path(), &["evaluate", "lint.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("policy: FAIL"), "{err}");
    assert!(err.contains("has no `subject`"), "{err}");
    assert!(!err.contains("deny-root:"), "{err}");

    // Ignoring every medium-or-worse rule the lint found turns the gate to WARN.
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("lint.json")).unwrap()).unwrap();
    let mut ids: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !matches!(f["severity"].as_str(), Some("low" | "info")))
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    std::fs::write(dir.path().join(".trivyignore"), ids.join("\n")).unwrap();
    let out = run(dir.path(), &["evaluate", "-f", "json", "lint.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["policy"]["decision"], "WARN");
}
