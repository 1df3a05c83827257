//! One normalised view of "a container about to run", filled by every input reader, and the
//! container checks that run over it. Keeping the checks here (rather than per syntax) is what
//! makes a `docker run` flag, a Compose key and a securityContext field report the same id.

use crate::catalog::{self, Syntax};
use crate::tree::Pos;
use dockguard_core::{Finding, FindingKind, Location};
use std::collections::HashSet;

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub pos: Pos,
}

pub fn at<T>(value: T, pos: Pos) -> At<T> {
    At { value, pos }
}

#[derive(Debug, Clone, Default)]
pub struct Mount {
    /// Host path for bind mounts and hostPath volumes; `None` for named volumes.
    pub host_source: Option<String>,
    pub target: String,
    pub read_only: bool,
    pub propagation: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, Default)]
pub struct Port {
    pub host_ip: Option<String>,
    pub host_port: Option<u32>,
    /// Whether the port is published on the host at all (`expose`-only ports are not).
    pub published: bool,
    pub pos: Pos,
}

#[derive(Debug, Clone, Default)]
pub struct Spec {
    /// Service name, container name or `kind/name:container`, for messages.
    pub name: String,
    /// Where findings about missing settings point.
    pub pos: Pos,
    pub image: Option<At<String>>,
    pub privileged: Option<At<bool>>,
    pub cap_add: Vec<At<String>>,
    pub cap_drop: Vec<At<String>>,
    pub no_new_privileges: Option<At<bool>>,
    /// `unconfined`, `runtime/default`, a profile path, …
    pub seccomp: Option<At<String>>,
    pub apparmor: Option<At<String>>,
    pub selinux_disabled: Option<Pos>,
    pub mounts: Vec<Mount>,
    pub network: Option<At<String>>,
    pub pid: Option<At<String>>,
    pub ipc: Option<At<String>>,
    pub uts: Option<At<String>>,
    pub userns: Option<At<String>>,
    pub read_only: Option<At<bool>>,
    pub memory: Option<At<String>>,
    pub cpu: Option<At<String>>,
    pub pids_limit: Option<At<String>>,
    /// `name=soft[:hard]`
    pub ulimits: Vec<At<String>>,
    pub user: Option<At<String>>,
    /// Kubernetes only: `runAsNonRoot`.
    pub run_as_non_root: Option<At<bool>>,
    pub ports: Vec<Port>,
    pub publish_all: Option<Pos>,
    pub restart: Option<At<String>>,
    /// `path[:options]`
    pub tmpfs: Vec<At<String>>,
    pub devices: Vec<At<String>>,
    pub healthcheck_disabled: Option<Pos>,
    pub cgroup_parent: Option<At<String>>,
    pub command: Vec<At<String>>,
}

/// Capabilities that give a container a practical path to the host.
const DANGEROUS_CAPS: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_BOOT",
    "SYS_TIME",
    "NET_ADMIN",
    "DAC_READ_SEARCH",
    "BPF",
    "PERFMON",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "SYSLOG",
    "LINUX_IMMUTABLE",
];

/// Host paths whose exposure CIS 5.6 names, plus the runtime state directories that are just as
/// direct a way onto the host.
const SENSITIVE_DIRS: &[&str] = &[
    "/",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib64",
    "/proc",
    "/sys",
    "/usr",
    "/bin",
    "/sbin",
    "/root",
    "/run",
    "/var/run",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/lib/kubelet",
];
const SENSITIVE_PREFIXES: &[&str] = &["/proc/", "/sys/", "/boot/", "/dev/"];

const RUNTIME_SOCKETS: &[&str] = &[
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "podman.sock",
    "cri-dockerd.sock",
];

pub fn normalize_cap(cap: &str) -> String {
    let upper = cap.trim().to_ascii_uppercase();
    upper
        .strip_prefix("CAP_")
        .map(str::to_string)
        .unwrap_or(upper)
}

/// Collapses `//`, `/./` and trailing slashes so `/var/run/` and `/var//run` match the lists.
pub fn normalize_host_path(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    format!("/{}", parts.join("/"))
}

pub(crate) fn is_socket(path: &str) -> bool {
    RUNTIME_SOCKETS
        .iter()
        .any(|s| path.rsplit('/').next() == Some(s))
}

pub(crate) fn is_sensitive(path: &str) -> bool {
    SENSITIVE_DIRS.contains(&path) || SENSITIVE_PREFIXES.iter().any(|p| path.starts_with(p))
}

/// Whether an image reference resolves to `latest`: no tag and no digest, or tag `latest`.
pub fn image_is_latest(image: &str) -> bool {
    if image.contains('@') || image.is_empty() || image.contains('$') {
        return false;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        Some((_, tag)) => tag == "latest",
        None => true,
    }
}

fn unlimited(value: &str) -> bool {
    value
        .split([':', '='])
        .skip(1)
        .any(|v| matches!(v.trim(), "-1" | "unlimited"))
}

fn zeroish(value: &str) -> bool {
    let v = value.trim();
    v.is_empty() || v.trim_start_matches(['0', '.']).is_empty() || v == "-1"
}

/// Collects findings for one input file; later de-duplicated by id and position, so that pod-level
/// settings seen once per container are reported once.
pub struct Emitter<'a> {
    pub path: &'a str,
    pub syntax: Syntax,
    pub findings: Vec<Finding>,
    /// (id, location) of every finding so far: a linear scan of `findings` made a command line
    /// with thousands of mounts take minutes.
    seen: HashSet<(String, Location)>,
}

impl<'a> Emitter<'a> {
    pub fn new(path: &'a str, syntax: Syntax) -> Self {
        Emitter {
            path,
            syntax,
            findings: Vec::new(),
            seen: HashSet::new(),
        }
    }

    pub fn emit(&mut self, id: &str, pos: Pos, message: String) {
        let Some(check) = catalog::get(id) else {
            return;
        };
        if !check.applies_to(self.syntax) {
            return;
        }
        let location = if pos.line == 0 {
            Location::file(self.path)
        } else {
            Location::at(self.path, pos.line, pos.col)
        };
        if !self.seen.insert((id.to_string(), location.clone())) {
            return;
        }
        let mut finding = Finding::new(
            id,
            FindingKind::Runtime,
            check.severity,
            check.title,
            message,
            location,
        )
        .with_fix(check.remediation(self.syntax));
        finding.references = check.references(self.syntax);
        self.findings.push(finding);
    }
}

/// Runs every container check over one spec.
pub fn check_spec(spec: &Spec, out: &mut Emitter) {
    let k8s = out.syntax == Syntax::Kubernetes;
    let name = &spec.name;
    let anchor = spec.pos;

    if let Some(p) = spec.privileged.as_ref().filter(|p| p.value) {
        out.emit(
            "DGR101",
            p.pos,
            format!("{name} runs privileged: every capability and every host device"),
        );
    }

    if !spec
        .cap_drop
        .iter()
        .any(|c| normalize_cap(&c.value) == "ALL")
    {
        let pos = spec.cap_drop.first().map(|c| c.pos).unwrap_or(anchor);
        out.emit(
            "DGR102",
            pos,
            format!("{name} keeps the runtime's default capability set"),
        );
    }
    for cap in &spec.cap_add {
        let norm = normalize_cap(&cap.value);
        if DANGEROUS_CAPS.contains(&norm.as_str()) {
            out.emit("DGR103", cap.pos, format!("{name} adds capability {norm}"));
        }
    }

    match &spec.no_new_privileges {
        Some(n) if n.value => {}
        Some(n) => out.emit(
            "DGR104",
            n.pos,
            format!("{name} allows privilege escalation (setuid binaries, file capabilities)"),
        ),
        None => out.emit(
            "DGR104",
            anchor,
            format!("{name} does not block privilege escalation (no-new-privileges)"),
        ),
    }

    for m in &spec.mounts {
        let Some(src) = &m.host_source else { continue };
        let norm = normalize_host_path(src);
        if is_socket(&norm) {
            out.emit(
                "DGR105",
                m.pos,
                format!(
                    "{name} mounts the container runtime socket {norm}: full control of the host"
                ),
            );
        } else if is_sensitive(&norm) {
            out.emit(
                "DGR106",
                m.pos,
                format!("{name} mounts host directory {norm} at {}", m.target),
            );
        } else if !m.read_only && src.starts_with('/') {
            out.emit(
                "DGR117",
                m.pos,
                format!("{name} mounts host path {norm} writable at {}", m.target),
            );
        }
        if let Some(p) = &m.propagation {
            if matches!(p.as_str(), "shared" | "rshared" | "Bidirectional") {
                out.emit(
                    "DGR128",
                    m.pos,
                    format!("{name} mounts {} with {p} propagation", m.target),
                );
            }
        }
    }

    match spec.network.as_ref().map(|n| (n.value.as_str(), n.pos)) {
        Some(("host", pos)) => out.emit(
            "DGR107",
            pos,
            format!("{name} shares the host's network namespace"),
        ),
        Some(("bridge" | "default", pos)) => out.emit(
            "DGR118",
            pos,
            format!("{name} uses the default bridge network docker0"),
        ),
        None if out.syntax == Syntax::DockerRun => out.emit(
            "DGR118",
            anchor,
            format!("{name} has no --network, so it joins the default bridge docker0"),
        ),
        _ => {}
    }
    for (id, field, what) in [
        ("DGR108", &spec.pid, "process"),
        ("DGR109", &spec.ipc, "IPC"),
        ("DGR110", &spec.uts, "UTS"),
        ("DGR111", &spec.userns, "user"),
    ] {
        if let Some(v) = field.as_ref().filter(|v| v.value == "host") {
            out.emit(
                id,
                v.pos,
                format!("{name} shares the host's {what} namespace"),
            );
        }
    }

    match &spec.memory {
        Some(m) if !zeroish(&m.value) => {}
        other => out.emit(
            "DGR112",
            other.as_ref().map(|m| m.pos).unwrap_or(anchor),
            format!("{name} has no memory limit"),
        ),
    }
    match &spec.cpu {
        Some(c) if !zeroish(&c.value) => {}
        other => out.emit(
            "DGR113",
            other.as_ref().map(|c| c.pos).unwrap_or(anchor),
            format!("{name} has no CPU limit"),
        ),
    }
    match &spec.pids_limit {
        Some(p) if !zeroish(&p.value) => {}
        other => out.emit(
            "DGR114",
            other.as_ref().map(|p| p.pos).unwrap_or(anchor),
            format!("{name} has no PIDs limit (fork bombs reach the host)"),
        ),
    }

    match &spec.read_only {
        Some(r) if r.value => {}
        other => out.emit(
            "DGR115",
            other.as_ref().map(|r| r.pos).unwrap_or(anchor),
            format!("{name} has a writable root filesystem"),
        ),
    }
    for t in &spec.tmpfs {
        let opts: Vec<&str> = t
            .value
            .split_once(':')
            .map(|(_, o)| o.split(',').map(str::trim).collect())
            .unwrap_or_default();
        let missing: Vec<&str> = ["noexec", "nosuid"]
            .into_iter()
            .filter(|o| !opts.contains(o))
            .collect();
        if !missing.is_empty() {
            out.emit(
                "DGR116",
                t.pos,
                format!(
                    "{name} mounts tmpfs {} without {}",
                    t.value,
                    missing.join(",")
                ),
            );
        }
    }

    if let Some(r) = &spec.restart {
        let v = r.value.trim();
        let bad = match v.split_once(':') {
            Some(("on-failure", n)) => n
                .trim()
                .parse::<u32>()
                .map(|n| n == 0 || n > 5)
                .unwrap_or(true),
            None => matches!(v, "always" | "unless-stopped" | "on-failure" | "any"),
            _ => false,
        };
        if bad {
            out.emit(
                "DGR119",
                r.pos,
                format!("{name} restarts without a bound ({v}); a crash loop never stops"),
            );
        }
    }

    let seccomp = spec.seccomp.as_ref().map(|s| s.value.to_ascii_lowercase());
    match (&spec.seccomp, seccomp.as_deref()) {
        (Some(s), Some("unconfined")) => out.emit(
            "DGR120",
            s.pos,
            format!("{name} runs without seccomp filtering"),
        ),
        (None, _) if k8s => out.emit(
            "DGR121",
            anchor,
            format!("{name} sets no seccomp profile; Kubernetes defaults to Unconfined"),
        ),
        _ => {}
    }
    if let Some(a) = spec
        .apparmor
        .as_ref()
        .filter(|a| a.value.eq_ignore_ascii_case("unconfined"))
    {
        out.emit(
            "DGR122",
            a.pos,
            format!("{name} runs without AppArmor confinement"),
        );
    }
    if let Some(pos) = spec.selinux_disabled {
        out.emit(
            "DGR123",
            pos,
            format!("{name} disables SELinux label separation"),
        );
    }

    check_user(spec, out);

    for p in spec.ports.iter().filter(|p| p.published) {
        if let Some(hp) = p.host_port.filter(|hp| *hp > 0 && *hp < 1024) {
            out.emit(
                "DGR125",
                p.pos,
                format!("{name} publishes privileged host port {hp}"),
            );
        }
        let all = match p.host_ip.as_deref() {
            None => true,
            Some(ip) => matches!(ip.trim_matches(['[', ']']), "" | "0.0.0.0" | "::"),
        };
        if all {
            out.emit(
                "DGR126",
                p.pos,
                format!("{name} publishes a port on every host interface"),
            );
        }
    }
    if let Some(pos) = spec.publish_all {
        out.emit(
            "DGR134",
            pos,
            format!("{name} publishes every exposed port"),
        );
    }
    for d in &spec.devices {
        out.emit(
            "DGR127",
            d.pos,
            format!("{name} is given host device {}", d.value),
        );
    }
    if let Some(pos) = spec.healthcheck_disabled {
        out.emit("DGR129", pos, format!("{name} disables its health check"));
    }
    if let Some(img) = spec.image.as_ref().filter(|i| image_is_latest(&i.value)) {
        out.emit(
            "DGR130",
            img.pos,
            format!("{name} uses image {} which resolves to :latest", img.value),
        );
    }
    for u in spec.ulimits.iter().filter(|u| unlimited(&u.value)) {
        out.emit(
            "DGR131",
            u.pos,
            format!("{name} sets an unlimited ulimit {}", u.value),
        );
    }
    if let Some(c) = &spec.cgroup_parent {
        out.emit(
            "DGR132",
            c.pos,
            format!("{name} runs under cgroup parent {}", c.value),
        );
    }
    if let Some(c) = spec.command.iter().find(|c| {
        c.value
            .split(|ch: char| ch.is_whitespace() || ch == '/')
            .any(|w| w == "sshd")
    }) {
        out.emit("DGR133", c.pos, format!("{name} starts an SSH daemon"));
    }
}

fn check_user(spec: &Spec, out: &mut Emitter) {
    let name = &spec.name;
    let root_user = |u: &str| {
        let user = u.split(':').next().unwrap_or("").trim();
        user.is_empty() || user == "root" || user == "0"
    };
    if out.syntax == Syntax::Kubernetes {
        let non_root = spec.run_as_non_root.as_ref().is_some_and(|r| r.value);
        match &spec.user {
            Some(u) if root_user(&u.value) => {
                out.emit("DGR124", u.pos, format!("{name} sets runAsUser 0"))
            }
            Some(_) => {}
            None if non_root => {}
            None => {
                let pos = spec
                    .run_as_non_root
                    .as_ref()
                    .map(|r| r.pos)
                    .unwrap_or(spec.pos);
                out.emit(
                    "DGR124",
                    pos,
                    format!(
                        "{name} may run as root: neither runAsNonRoot nor a non-zero runAsUser"
                    ),
                );
            }
        }
        return;
    }
    match &spec.user {
        Some(u) if root_user(&u.value) => out.emit("DGR124", u.pos, format!("{name} runs as root ({})", u.value)),
        Some(_) => {}
        None => out.emit("DGR124", spec.pos, format!("{name} sets no user, so it runs as the image's USER (root unless the image sets one)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert!(image_is_latest("nginx"));
        assert!(image_is_latest("registry:5000/nginx"));
        assert!(image_is_latest("nginx:latest"));
        assert!(!image_is_latest("registry:5000/nginx:1.27"));
        assert!(!image_is_latest("nginx@sha256:abc"));
        assert_eq!(
            normalize_host_path("/var//run/./docker.sock/"),
            "/var/run/docker.sock"
        );
        assert_eq!(normalize_host_path("/"), "/");
        assert!(unlimited("nofile=-1"));
        assert!(unlimited("nproc=1024:unlimited"));
        assert!(!unlimited("nofile=1024:2048"));
        assert!(zeroish("0") && zeroish("0.0") && !zeroish("512m") && !zeroish("0.5"));
        assert_eq!(normalize_cap("cap_sys_admin"), "SYS_ADMIN");
    }

    /// Found by the `audit_inputs` fuzz target: each writable mount is a finding, and checking
    /// each new finding against all earlier ones made 60 000 `-v` flags take minutes.
    #[test]
    fn docker_run_with_thousands_of_writable_mounts_audits_quickly() {
        let n = 60_000;
        let mut text = String::from("docker run");
        for i in 0..n {
            text.push_str(&format!(" -v /data{i}:/mnt{i}"));
        }
        text.push_str(" alpine\n");
        let started = std::time::Instant::now();
        let findings = crate::audit_text("run.sh", &text, None).unwrap();
        let took = started.elapsed();
        let writable = findings.iter().filter(|f| f.id == "DGR117").count();
        assert_eq!(writable, n);
        // Quadratic de-duplication took minutes here; linear work takes well under a second.
        assert!(took.as_secs() < 20, "took {took:?}");
        // Emitting the same check at the same place still reports it once.
        let mut out = Emitter::new("x", Syntax::DockerRun);
        let pos = Pos { line: 1, col: 1 };
        out.emit("DGR117", pos, "a".into());
        out.emit("DGR117", pos, "b".into());
        assert_eq!(out.findings.len(), 1);
    }
}
