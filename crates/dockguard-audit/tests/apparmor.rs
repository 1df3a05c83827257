//! AppArmor profiles generated for every fixture image, parsed by Debian's `apparmor_parser`
//! with `-Q` (no kernel load) and `-K` (no cache). Skipped with a message when the parser or
//! the fixtures are absent, except under `CI=true`.

use dockguard_audit::apparmor::{profile_for_image, AppArmorProfile};
use dockguard_image::{open, OpenOptions, ScanOptions};
use std::process::Command;

fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

fn generate(fixture: &str, prefix: &str) -> Option<AppArmorProfile> {
    let path = dockguard_testkit::fixture(fixture)?;
    let image = open(
        &format!("{prefix}:{}", path.display()),
        &OpenOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{fixture}: {e}"));
    Some(
        profile_for_image(&image, &ScanOptions::default(), None)
            .unwrap_or_else(|e| panic!("{fixture}: {e}")),
    )
}

/// Runs `apparmor_parser -Q -K` on the profile; `false` (after printing why) when the parser is
/// not installed outside CI.
fn parses(profile: &AppArmorProfile) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(&profile.name);
    std::fs::write(&file, &profile.text).unwrap();
    let out = match Command::new("apparmor_parser")
        .args(["-Q", "-K"])
        .arg(&file)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            assert!(
                !in_ci(),
                "CI=true requires apparmor_parser (Debian package apparmor): {e}"
            );
            eprintln!("skipping: apparmor_parser (Debian package apparmor) not found");
            return false;
        }
    };
    assert!(
        out.status.success(),
        "apparmor_parser rejected {}:\n{}\n{}",
        profile.name,
        String::from_utf8_lossy(&out.stderr),
        profile.text
    );
    true
}

#[test]
fn debian_app_allows_python_and_its_libraries() {
    let Some(p) = generate("images/debian12-app", "oci-dir") else {
        return;
    };
    assert_eq!(p.name, "dockguard-debian12-app");
    assert_eq!(
        p.executables,
        vec!["/usr/bin/python3.11"],
        "{:?}",
        p.warnings
    );
    for rule in [
        "\"/usr/lib/x86_64-linux-gnu/libc.so.6\" mr,",
        "\"/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\" mr,",
        "\"/app\" rw,",
        "\"/app/**\" rwk,",
        "capability chown,",
        "deny mount,",
        "deny ptrace,",
        "deny network raw,",
    ] {
        assert!(p.text.contains(rule), "{rule} missing:\n{}", p.text);
    }
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    parses(&p);
}

#[test]
fn static_nonroot_allows_only_its_binary() {
    for (fixture, prefix) in [
        ("images/static-nonroot", "oci-dir"),
        ("images/static-nonroot.docker-archive.tar", "docker-archive"),
        ("images/static-nonroot-zstd", "oci-dir"),
    ] {
        let Some(p) = generate(fixture, prefix) else {
            return;
        };
        assert_eq!(p.executables, vec!["/usr/local/bin/dg-hello"], "{fixture}");
        assert!(!p.text.contains("capability "), "non-root: {}", p.text);
        assert!(p.warnings.is_empty(), "{fixture}: {:?}", p.warnings);
        if fixture == "images/static-nonroot" {
            // The source comment holds this machine's fixture path.
            let dir = dockguard_testkit::fixtures_dir().display().to_string();
            insta::assert_snapshot!("static_nonroot", p.text.replace(&dir, "[fixtures]"));
        }
        parses(&p);
    }
}

#[test]
fn alpine_shell_resolves_through_busybox_and_musl() {
    for fixture in [
        "images/alpine-3.10.4.docker-archive.tar.gz",
        "images/alpine-3.11.5.docker-archive.tar.gz",
    ] {
        let Some(p) = generate(fixture, "docker-archive") else {
            return;
        };
        assert_eq!(p.executables, vec!["/bin/busybox"], "{fixture}");
        assert!(
            p.text.contains("\"/lib/ld-musl-x86_64.so.1\" mr,"),
            "{fixture}:\n{}",
            p.text
        );
        assert!(p.warnings.is_empty(), "{fixture}: {:?}", p.warnings);
        parses(&p);
    }
}

#[test]
fn custom_name_is_used_and_invalid_names_refused() {
    let Some(path) = dockguard_testkit::fixture("images/static-nonroot") else {
        return;
    };
    let image = open(
        &format!("oci-dir:{}", path.display()),
        &OpenOptions::default(),
    )
    .unwrap();
    let p = profile_for_image(&image, &ScanOptions::default(), Some("my-app_1.0")).unwrap();
    assert!(p.text.contains("profile my-app_1.0 flags="));
    assert!(p.text.contains("peer=my-app_1.0,"));
    parses(&p);
    assert!(profile_for_image(&image, &ScanOptions::default(), Some("x y {")).is_err());
}
