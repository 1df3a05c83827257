//! Public entry points: command-line arguments, input detection, and hostile input.

use dockguard_audit::{audit_docker_run, audit_text, detect_kind, AuditError, InputKind};

fn ids(findings: &[dockguard_core::Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.id.as_str()).collect()
}

#[test]
fn command_line_arguments_in_three_spellings() {
    let hardened = "--cap-drop=ALL --security-opt=no-new-privileges --read-only -m 64m --cpus 1 \
                    --pids-limit 50 -u 1000 --network app alpine:3.20";
    for prefix in ["docker run", "run", "container create", ""] {
        let args: Vec<String> = format!("{prefix} --privileged {hardened}")
            .split_whitespace()
            .map(String::from)
            .collect();
        let found = audit_docker_run(&args, "<args>");
        assert_eq!(ids(&found), vec!["DGR101"], "prefix {prefix:?}");
        assert_eq!(found[0].location.line, Some(1));
    }
}

#[test]
fn detection_by_content() {
    assert_eq!(
        detect_kind("x", "services:\n  a:\n    image: x\n").unwrap(),
        InputKind::Compose
    );
    assert_eq!(
        detect_kind("x", "apiVersion: v1\nkind: Pod\n").unwrap(),
        InputKind::Kubernetes
    );
    assert_eq!(
        detect_kind("x", "{\"icc\": false}").unwrap(),
        InputKind::DaemonJson
    );
    assert_eq!(
        detect_kind("x", "[{\"HostConfig\": {}, \"Config\": {}}]").unwrap(),
        InputKind::Inspect
    );
    assert_eq!(
        detect_kind("run.sh", "set -e\ndocker run alpine\n").unwrap(),
        InputKind::DockerRun
    );
    assert!(matches!(
        detect_kind("x.txt", "hello"),
        Err(AuditError::Unrecognised { .. })
    ));
    assert!(matches!(
        detect_kind("x.json", "{"),
        Err(AuditError::Parse { .. })
    ));
    assert!(matches!(
        detect_kind("x.yaml", "a: [\n"),
        Err(AuditError::Parse { .. })
    ));
}

#[test]
fn hostile_input_never_panics() {
    let samples = [
        "services: 5",
        "services:\n  a: [1, 2]\n  b:\n    extends: b\n",
        "services:\n  a:\n    extends: {service: a, file: /dev/zero}\n",
        "services:\n  a:\n    volumes: [{}, 3, \":\", \"::::\"]\n    ports: [{}, \"[\", \":::\", \"a:b:c:d\"]\n    ulimits: {x: {}}\n",
        "apiVersion: v1\nkind: List\nitems: [5, {kind: List, apiVersion: v1, items: [{kind: List, apiVersion: v1}]}]\n",
        "apiVersion: v1\nkind: Pod\nspec:\n  containers: [5, {securityContext: 3, volumeMounts: [7]}]\n  volumes: 3\n",
        "[{\"HostConfig\": 5, \"Config\": [], \"Mounts\": [1]}]",
        "{\"hosts\": 5, \"insecure-registries\": {\"a\": 1}}",
        "docker run -",
        "docker run --",
        "docker run -p",
        "docker run \"unterminated",
        "docker run 'x\\",
        "docker exec -u",
    ];
    for s in samples {
        let _ = audit_text("fuzz", s, Some(std::path::Path::new(".")));
    }
    let bomb = "a: &a [x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\n\
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e]\n\
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f]\nservices: {s: {image: x}}\n";
    assert!(audit_text("bomb.yml", bomb, None).is_err());
}
