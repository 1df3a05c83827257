//! The seed Dockerfiles against the hand-written expectations in
//! `expected/dockerfiles-seeds.json`. Each expectation is a sentence; the table below maps
//! every sentence to the rule codes that express it, so a new or reworded expectation fails
//! this test until it is mapped.

use dockguard_core::{Finding, Severity};
use dockguard_dockerfile::lint::{lint_bytes, LintConfig};
use std::collections::BTreeMap;

/// What must hold for one expectation.
enum Check {
    /// One of these codes is reported, with a message containing the text (when not empty).
    Flags(&'static [&'static str], &'static str),
    /// None of these codes is reported.
    Silent(&'static [&'static str]),
}
use Check::{Flags, Silent};

const SECRET_RULES: &[&str] = &["DG1001", "DG1002", "DG1003", "DG1015", "DG1016", "DG2001"];
const ROOT_RULES: &[&str] = &["DG1010", "DL3002"];

/// (seed file name, expectation sentence, check)
const MAP: &[(&str, &str, Check)] = &[
    ("01-security-app-root.Dockerfile", "runs as root: no USER instruction", Flags(&["DG1010"], "")),
    ("01-security-app-root.Dockerfile", "apk add without --no-cache (package cache kept in the layer)", Flags(&["DL3019"], "")),
    ("01-security-app-root.Dockerfile", "unpinned apk package versions", Flags(&["DL3018"], "")),
    ("01-security-app-root.Dockerfile", "grants file capabilities (setcap cap_net_raw,cap_net_admin) to nmap", Flags(&["DG1006"], "setcap")),
    ("01-security-app-root.Dockerfile", "no HEALTHCHECK", Flags(&["DL3057"], "")),
    ("02-security-app-nonroot.Dockerfile", "unpinned apk package versions", Flags(&["DL3018"], "")),
    ("02-security-app-nonroot.Dockerfile", "no HEALTHCHECK", Flags(&["DL3057"], "")),
    ("02-security-app-nonroot.Dockerfile", "root user (USER 20002 is set, numeric non-root uid created with adduser -u 20002)", Silent(ROOT_RULES)),
    ("02-security-app-nonroot.Dockerfile", "apk cache (uses --no-cache)", Silent(&["DL3019"])),
    ("03-python-multistage.Dockerfile", "no HEALTHCHECK", Flags(&["DL3057"], "")),
    ("03-python-multistage.Dockerfile", "root user in the final stage (USER app)", Silent(ROOT_RULES)),
    ("03-python-multistage.Dockerfile", "COPY . . before dependency install (requirements.txt is copied and built first)", Silent(&["DG1013"])),
    ("04-golang-scratch.Dockerfile", "no HEALTHCHECK (informational for FROM scratch)", Flags(&["DL3057"], "")),
    ("04-golang-scratch.Dockerfile", "root user (USER 65532:65532)", Silent(ROOT_RULES)),
    ("04-golang-scratch.Dockerfile", "secrets", Silent(SECRET_RULES)),
    ("04-golang-scratch.Dockerfile", "package manager in final image", Silent(&["DG1017"])),
    ("05-pip-bad-cache-order.Dockerfile", "COPY . . before RUN pip install -r requirements.txt (cache-busting order)", Flags(&["DG1013"], "pip install")),
    ("05-pip-bad-cache-order.Dockerfile", "pip install without --no-cache-dir", Flags(&["DL3042"], "")),
    ("05-pip-bad-cache-order.Dockerfile", "runs as root: no USER", Flags(&["DG1010"], "")),
    ("05-pip-bad-cache-order.Dockerfile", "no HEALTHCHECK", Flags(&["DL3057"], "")),
    ("06-pip-good-cache-order.Dockerfile", "no HEALTHCHECK", Flags(&["DL3057"], "")),
    ("06-pip-good-cache-order.Dockerfile", "cache order (requirements.txt copied first)", Silent(&["DG1013"])),
    ("06-pip-good-cache-order.Dockerfile", "root user (USER 1000)", Silent(ROOT_RULES)),
    ("06-pip-good-cache-order.Dockerfile", "pip cache (uses --no-cache-dir)", Silent(&["DL3042"])),
    ("07-buildkit-secret-and-cache-mounts.Dockerfile", "unpinned pip package (pip install gunicorn)", Flags(&["DL3013"], "")),
    ("07-buildkit-secret-and-cache-mounts.Dockerfile", "no HEALTHCHECK", Flags(&["DL3057"], "")),
    ("07-buildkit-secret-and-cache-mounts.Dockerfile", "secret exposure: the secret comes from RUN --mount=type=secret and never lands in a layer or in ENV/ARG", Silent(SECRET_RULES)),
    ("07-buildkit-secret-and-cache-mounts.Dockerfile", "root user (USER 1000)", Silent(ROOT_RULES)),
    ("08-secret-leak-antipatterns.Dockerfile", "secret in ENV (DB_PASSWORD)", Flags(&["DG1001", "DG1002"], "DB_PASSWORD")),
    ("08-secret-leak-antipatterns.Dockerfile", "secret passed as build ARG and used in RUN (NPM_TOKEN ends up in the image history)", Flags(&["DG1003"], "NPM_TOKEN")),
    ("08-secret-leak-antipatterns.Dockerfile", "private key COPY'd into a layer and deleted in a later layer (still recoverable)", Flags(&["DG1016"], "id_rsa")),
    ("08-secret-leak-antipatterns.Dockerfile", "EXPOSE 22", Flags(&["DG1009"], "22")),
    ("08-secret-leak-antipatterns.Dockerfile", "runs as root: no USER", Flags(&["DG1010"], "")),
    ("08-secret-leak-antipatterns.Dockerfile", "no HEALTHCHECK", Flags(&["DL3057"], "")),
];

fn config() -> LintConfig {
    let mut config = LintConfig::default();
    // DL3057 (no HEALTHCHECK) is off by default, as in hadolint; the expectations want it.
    config
        .overrides
        .insert("DL3057".to_string(), Some(Severity::Low));
    config
}

fn describe(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("  {}:{} {}", f.location.line.unwrap_or(0), f.id, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn seeds_meet_the_expectations() {
    let seeds = dockguard_testkit::require_fixture!("dockerfiles/seeds");
    let expected_path = dockguard_testkit::require_fixture!("expected/dockerfiles-seeds.json");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(expected_path).expect("read expectations"))
            .expect("JSON");
    let files = expected["files"].as_object().expect("files object");
    assert!(!files.is_empty());

    let mut failures = Vec::new();
    let mut used = vec![false; MAP.len()];
    for (key, entry) in files {
        let name = key.rsplit('/').next().unwrap_or(key);
        let path = seeds.join(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let findings = lint_bytes(name, &bytes, &config()).expect("seed parses");
        let mut by_code: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in &findings {
            by_code.entry(f.id.as_str()).or_default().push(f);
        }
        for (list, want) in [("should_flag", true), ("should_not_flag", false)] {
            for sentence in entry[list]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str())
            {
                let Some(position) = MAP.iter().position(|(file, text, check)| {
                    *file == name && *text == sentence && matches!(check, Flags(..)) == want
                }) else {
                    failures.push(format!(
                        "{name}: expectation not mapped to rules: {list}: {sentence:?}"
                    ));
                    continue;
                };
                used[position] = true;
                let ok = match &MAP[position].2 {
                    Flags(codes, text) => codes.iter().any(|c| {
                        by_code
                            .get(c)
                            .is_some_and(|fs| fs.iter().any(|f| f.message.contains(text)))
                    }),
                    Silent(codes) => codes.iter().all(|c| !by_code.contains_key(c)),
                };
                if !ok {
                    failures.push(format!(
                        "{name}: {list}: {sentence:?} not met\n{}",
                        describe(&findings)
                    ));
                }
            }
        }
    }
    for (i, (file, text, _)) in MAP.iter().enumerate() {
        if !used[i] {
            failures.push(format!(
                "{file}: mapped expectation no longer in the JSON: {text:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The secret in seed 08 is reported without printing it.
#[test]
fn seed_secrets_are_redacted() {
    let seeds = dockguard_testkit::require_fixture!("dockerfiles/seeds");
    let bytes =
        std::fs::read(seeds.join("08-secret-leak-antipatterns.Dockerfile")).expect("read seed");
    let findings = lint_bytes("08", &bytes, &config()).expect("parses");
    let env = findings
        .iter()
        .find(|f| f.id == "DG1002")
        .expect("DB_PASSWORD reported");
    assert_eq!(env.location.line, Some(5));
    assert!(env.message.contains("chan…"), "{}", env.message);
    assert!(!env.message.contains("changeme123"), "{}", env.message);
    let arg = findings
        .iter()
        .find(|f| f.id == "DG1003")
        .expect("NPM_TOKEN reported");
    assert_eq!(arg.location.line, Some(4));
    assert!(arg.message.contains("history"), "{}", arg.message);
    let removed = findings
        .iter()
        .find(|f| f.id == "DG1016")
        .expect("rm reported");
    assert_eq!(removed.location.line, Some(9));
    assert!(removed.message.contains("line 6"), "{}", removed.message);
}
