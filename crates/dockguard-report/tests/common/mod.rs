//! Reports shared by the integration tests. Each integration test file is its own crate and uses
//! only some of these helpers.
#![allow(dead_code)]

use dockguard_core::{Finding, FindingKind, Fix, Location, PackageRef, Report, Severity, ToolInfo};
use dockguard_report::{render, Format, RenderOptions};

pub mod dom;

pub const DOCKERFILE: &str = "FROM ubuntu:latest\n\
RUN apt-get update && apt-get install -y curl\n\
\tUSER root\n\
ENV API_KEY=\"s3cr3t\" NAME=\"café 漢字\"\n";

/// One report touching every shape a finding can take: file findings with and without columns
/// and lines, a multi-line span, a layer-only finding, a file inside a layer, a package finding,
/// and a finding with no location at all.
pub fn sample_report() -> Report {
    let mut findings = vec![
        Finding::new(
            "DL3007",
            FindingKind::Lint,
            Severity::Medium,
            "Using latest is prone to errors",
            "Pin the base image version instead of using 'latest'",
            Location::at("Dockerfile", 1, 6),
        )
        .with_fix("Use a specific tag such as ubuntu:24.04")
        .with_reference("https://github.com/hadolint/hadolint/wiki/DL3007"),
        Finding::new(
            "DL3008",
            FindingKind::Lint,
            Severity::Low,
            "Pin versions in apt-get install",
            "Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`",
            Location {
                path: Some("Dockerfile".into()),
                line: Some(2),
                column: Some(1),
                end_line: Some(2),
                ..Location::default()
            },
        ),
        Finding::new(
            "DG1002",
            FindingKind::Config,
            Severity::High,
            "Last USER is root",
            "The image runs as root",
            Location {
                path: Some("Dockerfile".into()),
                line: Some(3),
                column: None,
                ..Location::default()
            },
        )
        .with_reference("CIS-DI-0001"),
        Finding::new(
            "DG3001",
            FindingKind::Secret,
            Severity::Critical,
            "Secret in ENV",
            "ENV API_KEY looks like a credential\nit will be visible in `docker history`",
            Location {
                path: Some("Dockerfile".into()),
                line: Some(4),
                column: Some(5),
                end_line: Some(5),
                ..Location::default()
            },
        ),
        Finding::new(
            "DG1001",
            FindingKind::Config,
            Severity::Info,
            "No HEALTHCHECK",
            "No HEALTHCHECK instruction",
            Location::file("Dockerfile"),
        ),
        Finding::new(
            "DG4001",
            FindingKind::Secret,
            Severity::High,
            "Private key in layer",
            "A private key was added in this layer",
            Location {
                layer_digest: Some(
                    "sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1".into(),
                ),
                layer_index: Some(2),
                ..Location::default()
            },
        ),
        Finding::new(
            "DG4002",
            FindingKind::Secret,
            Severity::Medium,
            "Credentials file in image",
            "/root/.docker/config.json holds registry credentials",
            Location {
                path: Some("/root/.docker/config.json".into()),
                layer_digest: Some(
                    "sha256:2a5c6f6e1a3b0e1f3d1f0f5e6c7d8e9fa0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5".into(),
                ),
                layer_index: Some(3),
                ..Location::default()
            },
        ),
        Finding::new(
            "DG9001",
            FindingKind::Config,
            Severity::Low,
            "Image has no labels",
            "The image config sets no OCI labels",
            Location::default(),
        ),
    ];
    let mut vuln = Finding::new(
        "CVE-2023-38545",
        FindingKind::Vulnerability,
        Severity::Critical,
        "curl: SOCKS5 heap buffer overflow",
        "curl 7.88.1-10 is affected by CVE-2023-38545",
        Location {
            layer_digest: Some(
                "sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1".into(),
            ),
            layer_index: Some(2),
            ..Location::default()
        },
    )
    .with_reference("CVE-2023-38545")
    .with_reference("https://curl.se/docs/CVE-2023-38545.html");
    vuln.package = Some(PackageRef {
        name: "curl".into(),
        version: "7.88.1-10".into(),
        ecosystem: Some("Debian:12".into()),
        purl: Some("pkg:deb/debian/curl@7.88.1-10?distro=debian-12".into()),
    });
    vuln.fix = Some(Fix {
        description: "Upgrade curl".into(),
        replacement: None,
        fixed_versions: vec!["7.88.1-10+deb12u4".into()],
    });
    findings.push(vuln);
    // Two targets, so the image-level finding without any location cannot be attributed.
    Report::new(
        ToolInfo::dockguard("0.1.0"),
        vec!["Dockerfile".into(), "example.com/app:1.0".into()],
        findings,
    )
}

/// Options with the Dockerfile's text so source lines and content fingerprints are exercised.
pub fn sample_options() -> RenderOptions {
    let mut opts = RenderOptions::default();
    opts.sources.insert("Dockerfile".into(), DOCKERFILE.into());
    opts
}

pub fn empty_report() -> Report {
    Report::new(
        ToolInfo::dockguard("0.1.0"),
        vec!["Dockerfile".into()],
        vec![],
    )
}

/// Free text with markup characters, quotes, Unicode, control characters and newlines in every
/// field that a format copies into its output.
pub fn hostile_report() -> Report {
    let nasty = "a <b> & \"c\" 'd' ]]> é 漢字 🐳\nsecond\r\nthird\ttab \u{1b}[31m \u{0}";
    let mut f = Finding::new(
        "DL<&>\"'",
        FindingKind::Lint,
        Severity::High,
        nasty,
        nasty,
        Location::at("dir with space/Dockér<&>\"'#?%file", 2, 3),
    )
    .with_fix(nasty)
    .with_reference("https://example.com/a b")
    .with_reference("javascript:alert(1)");
    f.package = Some(PackageRef {
        name: nasty.into(),
        version: nasty.into(),
        ecosystem: None,
        purl: None,
    });
    let layer = Finding::new(
        "DG0",
        FindingKind::Secret,
        Severity::Info,
        "",
        "",
        Location {
            path: None,
            line: Some(0),
            column: Some(0),
            end_line: Some(0),
            layer_digest: Some(nasty.into()),
            layer_index: Some(u32::MAX),
        },
    );
    Report::new(ToolInfo::dockguard("0.1.0"), vec![], vec![f, layer])
}

pub fn hostile_options() -> RenderOptions {
    let mut opts = RenderOptions::default();
    opts.sources.insert(
        "dir with space/Dockér<&>\"'#?%file".into(),
        "FROM x\n\u{202e}RUN \u{1b}[2J漢 echo\n".into(),
    );
    opts
}

pub fn render_to_string(report: &Report, format: Format, opts: &RenderOptions) -> String {
    let mut out = Vec::new();
    render(report, format, opts, &mut out).expect("rendering into a Vec cannot fail");
    String::from_utf8(out).expect("every format writes UTF-8")
}

/// Locations at the edges of what the types allow: huge numbers, spans that end before they
/// start, lines past the end of the supplied source, empty ids and paths.
pub fn odd_report() -> Report {
    let at = |path: Option<&str>, line, column, end_line| Location {
        path: path.map(str::to_string),
        line,
        column,
        end_line,
        ..Location::default()
    };
    let odd =
        |id: &str, location| Finding::new(id, FindingKind::Lint, Severity::Low, "t", "m", location);
    Report::new(
        ToolInfo::dockguard(""),
        vec![],
        vec![
            odd(
                "A",
                at(Some("Dockerfile"), Some(u32::MAX), Some(u32::MAX), Some(1)),
            ),
            odd("B", at(Some("Dockerfile"), Some(2), Some(999), Some(1))),
            odd("C", at(Some("Dockerfile"), None, Some(4), Some(9))),
            odd("", at(Some(""), Some(1), Some(1), None)),
            odd("E", at(None, Some(3), Some(1), None)),
        ],
    )
}
