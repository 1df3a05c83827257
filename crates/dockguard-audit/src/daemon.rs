//! Docker daemon configuration (`daemon.json`), CIS Docker Benchmark §2.

use crate::spec::Emitter;
use crate::tree::{Node, Pos};

/// Keys that only a daemon configuration has; used to recognise `daemon.json` by content.
pub const DAEMON_KEYS: &[&str] = &[
    "icc",
    "userns-remap",
    "live-restore",
    "userland-proxy",
    "no-new-privileges",
    "seccomp-profile",
    "insecure-registries",
    "registry-mirrors",
    "log-driver",
    "log-level",
    "log-opts",
    "storage-driver",
    "default-ulimits",
    "hosts",
    "data-root",
    "iptables",
    "experimental",
    "tlsverify",
    "bip",
    "default-address-pools",
    "features",
    "dns",
];

pub fn is_daemon_json(doc: &Node) -> bool {
    doc.is_map()
        && doc
            .entries()
            .iter()
            .any(|(k, _)| DAEMON_KEYS.contains(&k.name.as_str()))
}

pub fn audit(doc: &Node, out: &mut Emitter) {
    let top = Pos {
        line: doc.pos.line,
        col: doc.pos.col,
    };
    let key = |k: &str| doc.key_pos(k).unwrap_or(top);
    let bool_of = |k: &str| doc.get(k).and_then(Node::as_bool);
    let str_of = |k: &str| doc.get(k).and_then(Node::as_str).map(str::to_string);

    if bool_of("icc") != Some(false) {
        out.emit(
            "DGR201",
            key("icc"),
            "containers on the default bridge can reach each other (icc)".into(),
        );
    }
    if let Some(level) = str_of("log-level").filter(|l| l == "debug") {
        out.emit(
            "DGR202",
            key("log-level"),
            format!("daemon log level is {level}"),
        );
    }
    if bool_of("iptables") == Some(false) {
        out.emit(
            "DGR203",
            key("iptables"),
            "the daemon may not manage iptables rules".into(),
        );
    }
    for reg in doc.get("insecure-registries").map(Node::seq).unwrap_or(&[]) {
        let name = reg.as_str().unwrap_or("");
        out.emit(
            "DGR204",
            reg.pos,
            format!("registry {name} is reached without TLS verification"),
        );
    }
    if let Some(driver) = str_of("storage-driver").filter(|d| d == "aufs") {
        out.emit(
            "DGR205",
            key("storage-driver"),
            format!("storage driver {driver} is deprecated and unmaintained"),
        );
    }
    let tls_verified = bool_of("tlsverify") == Some(true);
    for host in doc.get("hosts").map(Node::seq).unwrap_or(&[]) {
        let h = host.as_str().unwrap_or("");
        if h.starts_with("tcp://") && !tls_verified {
            out.emit(
                "DGR206",
                host.pos,
                format!("daemon listens on {h} without tlsverify"),
            );
        }
    }
    if doc.get("default-ulimits").is_none() {
        out.emit(
            "DGR207",
            top,
            "no default-ulimits: containers inherit the daemon's limits".into(),
        );
    }
    if str_of("userns-remap").is_none_or(|u| u.is_empty()) {
        out.emit(
            "DGR208",
            key("userns-remap"),
            "userns-remap is off: root in a container is root on the host".into(),
        );
    }
    if let Some(cg) = str_of("cgroup-parent") {
        out.emit(
            "DGR209",
            key("cgroup-parent"),
            format!("default cgroup parent is {cg}"),
        );
    }
    if doc
        .get("authorization-plugins")
        .map(Node::seq)
        .is_none_or(|p| p.is_empty())
    {
        out.emit(
            "DGR210",
            key("authorization-plugins"),
            "no authorization plugin controls who may do what".into(),
        );
    }
    match str_of("log-driver").as_deref() {
        None | Some("json-file" | "local" | "none") => out.emit(
            "DGR211",
            key("log-driver"),
            "container logs stay on the host (no remote log driver)".into(),
        ),
        _ => {}
    }
    if bool_of("no-new-privileges") != Some(true) {
        out.emit(
            "DGR212",
            key("no-new-privileges"),
            "containers may gain privileges unless each one sets no-new-privileges".into(),
        );
    }
    if bool_of("live-restore") != Some(true) {
        out.emit(
            "DGR213",
            key("live-restore"),
            "containers stop when the daemon restarts (live-restore off)".into(),
        );
    }
    if bool_of("userland-proxy") != Some(false) {
        out.emit(
            "DGR214",
            key("userland-proxy"),
            "the userland proxy is on".into(),
        );
    }
    if let Some(p) = str_of("seccomp-profile").filter(|p| p == "unconfined") {
        out.emit(
            "DGR215",
            key("seccomp-profile"),
            format!("daemon-wide seccomp profile is {p}"),
        );
    }
    if bool_of("experimental") == Some(true) {
        out.emit(
            "DGR216",
            key("experimental"),
            "experimental features are on".into(),
        );
    }
}
