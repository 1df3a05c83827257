//! Arbitrary text as each file dockguard-policy reads: `.trivyignore`, `.trivyignore.yaml`,
//! `.dockguardignore` (TOML or YAML), OpenVEX / CycloneDX VEX, and the `[policy]` table of
//! `dockguard.toml` / `dockguard.yaml`; whatever parses is then applied to a few findings and
//! the gate evaluated, so matchers and thresholds built from hostile input run too.
//!
//! The ignore and config readers take paths and pick the syntax from the file name, so the
//! input is written once and reached through one symlink per name.
#![no_main]

use dockguard_core::{Finding, FindingKind, Location, PackageRef, Severity};
use dockguard_policy::{
    apply, evaluate_on, load_policy, parse_vex, Date, Ignores, LicensedPackage, Subject,
};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

const IGNORE_NAMES: [&str; 4] = [
    ".trivyignore",
    ".trivyignore.yaml",
    ".dockguardignore",
    ".dockguardignore.yml",
];
const CONFIG_NAMES: [&str; 2] = ["dockguard.toml", "dockguard.yaml"];

struct Scratch {
    input: PathBuf,
    ignores: Vec<PathBuf>,
    configs: Vec<PathBuf>,
}

fn scratch() -> &'static Scratch {
    static S: OnceLock<Scratch> = OnceLock::new();
    S.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("dockguard-fuzz-policy-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        let input = dir.join("input");
        let link = |name: &str| {
            let p = dir.join(name);
            std::os::unix::fs::symlink("input", &p).expect("symlink");
            p
        };
        Scratch {
            ignores: IGNORE_NAMES.iter().map(|n| link(n)).collect(),
            configs: CONFIG_NAMES.iter().map(|n| link(n)).collect(),
            input,
        }
    })
}

fn findings() -> Vec<Finding> {
    let mut vuln = Finding::new(
        "CVE-2023-0001",
        FindingKind::Vulnerability,
        Severity::High,
        "openssl",
        "vulnerable",
        Location {
            path: Some("/usr/lib/x86_64-linux-gnu/libssl.so.3".into()),
            ..Location::default()
        },
    )
    .with_reference("GHSA-xxxx-yyyy-zzzz");
    vuln.package = Some(PackageRef {
        name: "openssl".into(),
        version: "3.0.11-1~deb12u2".into(),
        ecosystem: Some("Debian:12".into()),
        purl: Some("pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12".into()),
    });
    let lint = Finding::new(
        "DL3008",
        FindingKind::Lint,
        Severity::Low,
        "pin versions",
        "apt-get install without versions",
        Location {
            path: Some("app/Dockerfile".into()),
            line: Some(3),
            ..Location::default()
        },
    );
    vec![vuln, lint]
}

fn licensed() -> Vec<LicensedPackage> {
    let pkg = |name: &str, licenses: &[&str]| LicensedPackage {
        name: name.into(),
        version: "1.0".into(),
        kind: "deb".into(),
        licenses: licenses.iter().map(|l| l.to_string()).collect(),
        ..LicensedPackage::default()
    };
    vec![
        pkg("libgpm2", &["GPL-3.0+"]),
        pkg("dual", &["MIT OR GPL-3.0-only"]),
        pkg(
            "gcc",
            &[
                "GPL-3.0-only WITH GCC-exception-3.1",
                "(LGPL-2.1 AND BSD-3-Clause)",
            ],
        ),
    ]
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let s = scratch();
    std::fs::write(&s.input, data).expect("write scratch input");
    let today = Date::parse("2026-01-01").expect("date");
    let vex = parse_vex(text, "fuzz.vex.json").unwrap_or_default();
    let mut ignores = Ignores::default();
    for p in &s.ignores {
        if let Ok(i) = Ignores::load(p) {
            ignores.rules.extend(i.rules);
        }
    }
    let outcome = apply(findings(), &ignores, &vex, today);
    for p in &s.configs {
        if let Ok(Some(policy)) = load_policy(p) {
            let subject = Subject {
                is_image: true,
                user: Some("0".into()),
                reference: Some("registry.example.test/acme/app:1.0".into()),
                created: Some("2020-02-29T12:00:00Z".into()),
                base_image: Some("docker.io/library/debian:12".into()),
                licensed_packages: Some(licensed()),
                ..Subject::default()
            };
            let _ = evaluate_on(&policy, &outcome.kept, &subject, today);
        }
    }
});
