//! The runtime check catalogue: one entry per check, with its references and a remediation in
//! each input syntax. `docs/runtime-checks.md` mirrors this table; a test keeps them in step.

use dockguard_core::Severity;

/// CIS Docker Benchmark section numbers follow v1.6.0; older editions number §5 one lower.
pub const CIS_EDITION: &str = "CIS Docker Benchmark v1.6.0";

/// The syntax a finding came from, which decides how its remediation is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Syntax {
    DockerRun,
    Compose,
    Kubernetes,
    DaemonJson,
    Inspect,
}

#[derive(Debug, Clone, Copy)]
pub struct Check {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    /// CIS Docker Benchmark section numbers.
    pub cis: &'static [&'static str],
    /// Kubernetes check ids in the KSV series used by common Kubernetes scanners.
    pub ksv: &'static [&'static str],
    /// Remediation as a `docker run` flag (also used for `docker inspect` findings: the fix is
    /// to recreate the container with that flag).
    pub fix_run: &'static str,
    pub fix_compose: &'static str,
    pub fix_k8s: &'static str,
    pub fix_daemon: &'static str,
}

impl Check {
    pub fn remediation(&self, syntax: Syntax) -> &'static str {
        match syntax {
            Syntax::DockerRun | Syntax::Inspect => self.fix_run,
            Syntax::Compose => self.fix_compose,
            Syntax::Kubernetes => self.fix_k8s,
            Syntax::DaemonJson => self.fix_daemon,
        }
    }

    /// Whether the check can fire for this syntax at all.
    pub fn applies_to(&self, syntax: Syntax) -> bool {
        !self.remediation(syntax).is_empty()
    }

    pub fn references(&self, syntax: Syntax) -> Vec<String> {
        let cis = self.cis.iter().map(|c| format!("{CIS_EDITION} {c}"));
        if syntax == Syntax::Kubernetes && !self.ksv.is_empty() {
            self.ksv.iter().map(|k| k.to_string()).collect()
        } else {
            cis.collect()
        }
    }
}

const fn check(
    id: &'static str,
    title: &'static str,
    severity: Severity,
    cis: &'static [&'static str],
    ksv: &'static [&'static str],
    fixes: [&'static str; 4],
) -> Check {
    Check {
        id,
        title,
        severity,
        cis,
        ksv,
        fix_run: fixes[0],
        fix_compose: fixes[1],
        fix_k8s: fixes[2],
        fix_daemon: fixes[3],
    }
}

use Severity::{Critical, High, Info, Low, Medium};

/// Every check, in id order. Remediations are `[docker run, compose, kubernetes, daemon.json]`;
/// an empty one means the check does not apply to that syntax.
pub const CHECKS: &[Check] = &[
    check("DGR101", "Privileged container", Critical, &["5.5"], &["KSV017"], [
        "remove `--privileged`; grant single capabilities with `--cap-add` instead",
        "remove `privileged: true` (grant single capabilities with `cap_add`)",
        "set `securityContext.privileged: false`",
        "",
    ]),
    check("DGR102", "Capabilities not dropped", Medium, &["5.4"], &["KSV003"], [
        "`--cap-drop=ALL` and add back only what is needed with `--cap-add`",
        "`cap_drop: [ALL]` and add back only what is needed under `cap_add`",
        "`securityContext.capabilities.drop: [\"ALL\"]`",
        "",
    ]),
    check("DGR103", "Dangerous capability added", High, &["5.4"], &["KSV005", "KSV022"], [
        "remove this `--cap-add`; grant a narrower capability if one suffices",
        "remove this entry from `cap_add`",
        "remove this entry from `securityContext.capabilities.add`",
        "",
    ]),
    check("DGR104", "Privilege escalation not blocked", Medium, &["5.26"], &["KSV001"], [
        "`--security-opt=no-new-privileges`",
        "`security_opt: [\"no-new-privileges:true\"]`",
        "`securityContext.allowPrivilegeEscalation: false`",
        "",
    ]),
    check("DGR105", "Container runtime socket mounted", Critical, &["5.32"], &["KSV006"], [
        "remove the `-v`/`--mount` of the socket; use a socket proxy with a read-only API allow-list if the API is truly needed",
        "remove the socket from `volumes`",
        "remove the `hostPath` volume of the socket",
        "",
    ]),
    check("DGR106", "Sensitive host directory mounted", High, &["5.6"], &["KSV023"], [
        "do not bind-mount host system directories; mount only the narrow path the service needs, with `:ro`",
        "do not bind-mount host system directories in `volumes`; mount a narrow path with `:ro`",
        "remove the `hostPath` volume; use `emptyDir`, a ConfigMap or a PersistentVolumeClaim",
        "",
    ]),
    check("DGR107", "Host network namespace shared", High, &["5.10"], &["KSV009"], [
        "drop `--network=host`; use a user-defined network: `--network=app-net`",
        "remove `network_mode: host`; attach the service to a user-defined network under `networks`",
        "remove `hostNetwork: true`",
        "",
    ]),
    check("DGR108", "Host PID namespace shared", High, &["5.16"], &["KSV010"], [
        "drop `--pid=host`",
        "remove `pid: host`",
        "remove `hostPID: true`",
        "",
    ]),
    check("DGR109", "Host IPC namespace shared", High, &["5.17"], &["KSV008"], [
        "drop `--ipc=host` (use `--ipc=private`)",
        "remove `ipc: host`",
        "remove `hostIPC: true`",
        "",
    ]),
    check("DGR110", "Host UTS namespace shared", Medium, &["5.21"], &[], [
        "drop `--uts=host`",
        "remove `uts: host`",
        "",
        "",
    ]),
    check("DGR111", "Host user namespace shared", Medium, &["5.31"], &[], [
        "drop `--userns=host`",
        "remove `userns_mode: host`",
        "",
        "",
    ]),
    check("DGR112", "No memory limit", Medium, &["5.11"], &["KSV018"], [
        "`--memory=512m` (size to the workload)",
        "`deploy.resources.limits.memory: 512M` (or `mem_limit: 512m`)",
        "`resources.limits.memory: 512Mi`",
        "",
    ]),
    check("DGR113", "No CPU limit", Low, &["5.12"], &["KSV011"], [
        "`--cpus=1` (or `--cpu-shares=512`)",
        "`deploy.resources.limits.cpus: \"1\"` (or `cpus: 1`)",
        "`resources.limits.cpu: 500m`",
        "",
    ]),
    check("DGR114", "No PIDs limit", Low, &["5.29"], &[], [
        "`--pids-limit=100`",
        "`deploy.resources.limits.pids: 100` (or `pids_limit: 100`)",
        "",
        "",
    ]),
    check("DGR115", "Root filesystem writable", Medium, &["5.13"], &["KSV014"], [
        "`--read-only --tmpfs /tmp:rw,noexec,nosuid`",
        "`read_only: true` with `tmpfs: [\"/tmp:rw,noexec,nosuid\"]`",
        "`securityContext.readOnlyRootFilesystem: true` (mount an `emptyDir` where writes are needed)",
        "",
    ]),
    check("DGR116", "tmpfs without noexec,nosuid", Low, &[], &[], [
        "`--tmpfs /tmp:rw,noexec,nosuid`",
        "`tmpfs: [\"/tmp:rw,noexec,nosuid\"]`",
        "",
        "",
    ]),
    check("DGR117", "Host directory mounted writable", Low, &["5.6"], &["KSV023"], [
        "append `:ro` to the bind mount (`-v /src:/dst:ro`) or add `readonly` to `--mount`",
        "append `:ro` to the volume (`/src:/dst:ro`) or set `read_only: true` in the long syntax",
        "set `readOnly: true` on the `volumeMounts` entry",
        "",
    ]),
    check("DGR118", "Default bridge network (docker0) used", Low, &["5.30"], &[], [
        "`docker network create app-net` and `--network=app-net`",
        "remove `network_mode: bridge`; use the project network or one under `networks`",
        "",
        "",
    ]),
    check("DGR119", "Unbounded restart policy", Low, &["5.15"], &[], [
        "`--restart=on-failure:5`",
        "`deploy.restart_policy: {condition: on-failure, max_attempts: 5}`",
        "",
        "",
    ]),
    check("DGR120", "Seccomp disabled", High, &["5.22"], &["KSV104"], [
        "drop `--security-opt seccomp=unconfined`; pass a custom profile with `--security-opt seccomp=profile.json` if the default blocks a needed syscall",
        "remove `seccomp:unconfined` from `security_opt`",
        "`securityContext.seccompProfile.type: RuntimeDefault`",
        "",
    ]),
    check("DGR121", "Seccomp profile not set", Low, &[], &["KSV030"], [
        "",
        "",
        "`securityContext.seccompProfile.type: RuntimeDefault` (pod or container level)",
        "",
    ]),
    check("DGR122", "AppArmor disabled", Medium, &["5.2"], &["KSV002"], [
        "drop `--security-opt apparmor=unconfined`; use `--security-opt apparmor=docker-default` or a custom profile",
        "remove `apparmor:unconfined` from `security_opt`",
        "`securityContext.appArmorProfile.type: RuntimeDefault`",
        "",
    ]),
    check("DGR123", "SELinux separation disabled", Medium, &["5.3"], &["KSV025"], [
        "drop `--security-opt label=disable`",
        "remove `label:disable` from `security_opt`",
        "remove `seLinuxOptions.type: spc_t`",
        "",
    ]),
    check("DGR124", "Runs as root", Medium, &["4.1"], &["KSV012", "KSV105"], [
        "`--user=10001:10001`",
        "`user: \"10001:10001\"`",
        "`securityContext.runAsNonRoot: true` and `runAsUser: 10001`",
        "",
    ]),
    check("DGR125", "Privileged host port mapped", Low, &["5.8"], &["KSV024"], [
        "publish on a host port above 1023: `-p 127.0.0.1:8080:80`",
        "use a host port above 1023 in `ports`: `\"127.0.0.1:8080:80\"`",
        "remove `hostPort` and expose the pod through a Service",
        "",
    ]),
    check("DGR126", "Port published on all host interfaces", Low, &["5.14"], &["KSV024"], [
        "bind to one interface: `-p 127.0.0.1:8080:80`",
        "bind to one interface in `ports`: `\"127.0.0.1:8080:80\"`",
        "remove `hostPort` (or set `hostIP`) and expose the pod through a Service",
        "",
    ]),
    check("DGR127", "Host device exposed", Medium, &["5.18"], &[], [
        "remove `--device`, or restrict it: `--device=/dev/x:/dev/x:r`",
        "remove the entry from `devices`",
        "",
        "",
    ]),
    check("DGR128", "Shared mount propagation", Medium, &["5.20"], &[], [
        "drop `shared`/`rshared` from the mount (default is `rprivate`)",
        "remove `bind.propagation: shared`/`rshared` (or the `:shared` suffix)",
        "remove `mountPropagation: Bidirectional`",
        "",
    ]),
    check("DGR129", "Health check disabled", Low, &["5.27"], &[], [
        "drop `--no-healthcheck`; define `--health-cmd` if the image has no HEALTHCHECK",
        "remove `healthcheck.disable: true`; define `healthcheck.test`",
        "",
        "",
    ]),
    check("DGR130", "Image tag latest or missing", Medium, &[], &["KSV013"], [
        "pin the image: `alpine:3.20` or `alpine@sha256:<digest>`",
        "pin the image: `image: alpine:3.20` or `alpine@sha256:<digest>`",
        "pin the image: `image: alpine:3.20` or `alpine@sha256:<digest>`",
        "",
    ]),
    check("DGR131", "Unlimited ulimit", Low, &["5.19"], &[], [
        "set a finite limit: `--ulimit nofile=1024:2048`",
        "set finite `ulimits`: `nofile: {soft: 1024, hard: 2048}`",
        "",
        "",
    ]),
    check("DGR132", "Custom cgroup parent", Low, &["5.25"], &[], [
        "drop `--cgroup-parent` unless the cgroup is confirmed",
        "remove `cgroup_parent` unless the cgroup is confirmed",
        "",
        "",
    ]),
    check("DGR133", "SSH daemon in container", Low, &["5.7"], &[], [
        "do not run sshd; use `docker exec` for access",
        "do not run sshd; use `docker compose exec` for access",
        "do not run sshd; use `kubectl exec` for access",
        "",
    ]),
    check("DGR134", "All exposed ports published", Low, &["5.9"], &[], [
        "drop `-P`/`--publish-all`; publish only needed ports with `-p 127.0.0.1:8080:80`",
        "",
        "",
        "",
    ]),
    check("DGR135", "docker exec with --privileged", High, &["5.23"], &[], [
        "drop `--privileged` from `docker exec`",
        "",
        "",
        "",
    ]),
    check("DGR136", "docker exec as root", Medium, &["5.24"], &[], [
        "drop `--user=root` from `docker exec`; exec as the container's own user",
        "",
        "",
        "",
    ]),
    // Daemon configuration (daemon.json), CIS §2.
    check("DGR201", "Inter-container traffic on docker0 not restricted", Medium, &["2.2"], &[], [
        "", "", "", "`\"icc\": false`",
    ]),
    check("DGR202", "Daemon log level above info", Low, &["2.3"], &[], [
        "", "", "", "`\"log-level\": \"info\"`",
    ]),
    check("DGR203", "Daemon may not manage iptables", Medium, &["2.4"], &[], [
        "", "", "", "remove `\"iptables\": false`",
    ]),
    check("DGR204", "Insecure registry configured", High, &["2.5"], &[], [
        "", "", "", "remove the entry from `\"insecure-registries\"` and give the registry a TLS certificate",
    ]),
    check("DGR205", "aufs storage driver", Medium, &["2.6"], &[], [
        "", "", "", "`\"storage-driver\": \"overlay2\"`",
    ]),
    check("DGR206", "TCP socket without TLS verification", Critical, &["2.7"], &[], [
        "", "", "", "`\"tlsverify\": true` with `tlscacert`, `tlscert` and `tlskey`, or listen on the Unix socket only",
    ]),
    check("DGR207", "No default ulimits", Info, &["2.8"], &[], [
        "", "", "", "`\"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Soft\": 1024, \"Hard\": 2048}}`",
    ]),
    check("DGR208", "User namespace remapping off", Medium, &["2.9", "2.1"], &[], [
        "", "", "", "`\"userns-remap\": \"default\"` (or run the daemon rootless)",
    ]),
    check("DGR209", "Default cgroup parent changed", Info, &["2.10"], &[], [
        "", "", "", "remove `\"cgroup-parent\"` unless the cgroup is confirmed",
    ]),
    check("DGR210", "No authorization plugin", Low, &["2.12"], &[], [
        "", "", "", "`\"authorization-plugins\": [\"<plugin>\"]`",
    ]),
    check("DGR211", "No centralised logging", Low, &["2.13"], &[], [
        "", "", "", "`\"log-driver\": \"syslog\"` (or journald, fluentd, gelf, …) with `\"log-opts\"`",
    ]),
    check("DGR212", "New privileges not blocked by default", Medium, &["2.14"], &[], [
        "", "", "", "`\"no-new-privileges\": true`",
    ]),
    check("DGR213", "Live restore off", Low, &["2.15"], &[], [
        "", "", "", "`\"live-restore\": true`",
    ]),
    check("DGR214", "Userland proxy on", Low, &["2.16"], &[], [
        "", "", "", "`\"userland-proxy\": false`",
    ]),
    check("DGR215", "Daemon-wide seccomp disabled", High, &["2.17"], &[], [
        "", "", "", "remove `\"seccomp-profile\": \"unconfined\"` (or point it at a custom profile)",
    ]),
    check("DGR216", "Experimental features on", Low, &["2.18"], &[], [
        "", "", "", "`\"experimental\": false`",
    ]),
];

pub fn get(id: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_sorted_and_every_check_has_a_fix() {
        for pair in CHECKS.windows(2) {
            assert!(
                pair[0].id < pair[1].id,
                "{} before {}",
                pair[0].id,
                pair[1].id
            );
        }
        for c in CHECKS {
            let any = [
                Syntax::DockerRun,
                Syntax::Compose,
                Syntax::Kubernetes,
                Syntax::DaemonJson,
            ]
            .iter()
            .any(|s| c.applies_to(*s));
            assert!(any, "{} has no remediation", c.id);
            assert!(
                !c.cis.is_empty() || !c.ksv.is_empty() || c.id == "DGR116",
                "{} has no reference",
                c.id
            );
        }
    }
}
