//! The check catalogue: our id, the default severity, a title, the remediation, and the ids
//! the same check has in CIS Docker Benchmark, Dockle (CIS-DI / DKL-*), hadolint and Trivy.

use dockguard_core::{Finding, FindingKind, Location, Severity};

/// One check as documented in `docs/image-checks.md`.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub fix: &'static str,
    pub references: &'static [&'static str],
}

impl Rule {
    pub(crate) fn finding(&self, message: impl Into<String>, location: Location) -> Finding {
        self.finding_at(self.severity, message, location)
    }

    pub(crate) fn finding_at(
        &self,
        severity: Severity,
        message: impl Into<String>,
        location: Location,
    ) -> Finding {
        let mut f = Finding::new(
            self.id,
            FindingKind::Config,
            severity,
            self.title,
            message,
            location,
        )
        .with_fix(self.fix);
        f.references = self.references.iter().map(|r| r.to_string()).collect();
        f
    }
}

macro_rules! rules {
    ($( $name:ident = $id:literal, $sev:ident, $title:literal, $fix:literal, [$($r:literal),*]; )*) => {
        $( pub const $name: Rule = Rule {
            id: $id,
            severity: Severity::$sev,
            title: $title,
            fix: $fix,
            references: &[$($r),*],
        }; )*
        /// Every check, in id order.
        pub const ALL: &[Rule] = &[$($name),*];
    };
}

rules! {
    ROOT_USER = "DGI101", High, "Image runs as root",
        "Add a non-root user and end the Dockerfile with `USER <uid>:<gid>` (numeric ids work with runAsNonRoot).",
        ["CIS-DI-0001", "CIS Docker 4.1", "DL3002", "DS-0002"];
    NO_HEALTHCHECK = "DGI102", Low, "No HEALTHCHECK",
        "Add a `HEALTHCHECK CMD …` that probes the service, or rely on the orchestrator's probes and say so.",
        ["CIS-DI-0006", "CIS Docker 4.6", "DS-0026"];
    UPDATE_ALONE = "DGI103", Medium, "Package index update without install in the same RUN",
        "Run `apt-get update && apt-get install …` (or `apk add --no-cache …`) in one RUN so a cached index is never reused.",
        ["CIS-DI-0007", "CIS Docker 4.7", "DS-0017"];
    DIST_UPGRADE = "DGI104", Low, "Distribution upgrade in the build",
        "Rebuild on a newer base image instead of running `dist-upgrade`/`upgrade` in the image.",
        ["DKL-DI-0003", "DL3005"];
    ADD_INSTRUCTION = "DGI105", Low, "ADD used instead of COPY",
        "Use COPY for local files; download with a checksum check (or `ADD --checksum=`) for remote ones.",
        ["CIS-DI-0009", "CIS Docker 4.9", "DL3020", "DS-0005"];
    SECRET_ENV = "DGI106", High, "Secret-looking name in ENV or build argument",
        "Pass secrets at run time (mounted files, an orchestrator secret) or at build time with `RUN --mount=type=secret`; never ENV or ARG.",
        ["CIS-DI-0010", "CIS Docker 4.10", "DS-0031"];
    SENSITIVE_VOLUME = "DGI107", Medium, "VOLUME on a sensitive path",
        "Declare volumes only for application data directories; never system paths or the Docker socket.",
        ["DKL-DI-0002"];
    LATEST_TAG = "DGI108", Low, "Image referenced by the `latest` tag",
        "Reference the image by a version tag or, better, by digest.",
        ["DKL-DI-0006", "DL3007", "DS-0001"];
    SSH_PORT = "DGI109", Medium, "Port 22 exposed",
        "Remove `EXPOSE 22` and sshd; use `docker exec`/`kubectl exec` for access.",
        ["CIS Docker 5.6", "DS-0004"];
    PRIVILEGED_PORT = "DGI110", Low, "Privileged port with a non-root user",
        "Listen on a port of 1024 or above and map it, or grant only NET_BIND_SERVICE.",
        ["CIS Docker 5.7", "DL3011"];
    SETUID = "DGI111", Low, "setuid/setgid file",
        "Remove the bits in the Dockerfile (`RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`) or remove the package.",
        ["CIS-DI-0008", "CIS Docker 4.8"];
    FILE_CAPABILITY = "DGI112", Medium, "File capabilities (security.capability)",
        "Remove them with `setcap -r FILE` unless the binary needs them; then grant only those with --cap-add.",
        ["CIS Docker 5.3"];
    WORLD_WRITABLE_DIR = "DGI113", Medium, "World-writable directory without sticky bit",
        "Make the directory owned by the application user with mode 0750/0770, or at least add the sticky bit (chmod 1777).",
        ["CWE-732"];
    WORLD_WRITABLE_FILE = "DGI114", Medium, "World-writable file",
        "Remove write permission for others (chmod o-w).",
        ["CWE-732"];
    SUDO = "DGI115", Medium, "sudo installed",
        "Remove sudo; switch users in the Dockerfile with USER and use gosu/su-exec only in entrypoints that drop privileges.",
        ["DKL-DI-0001", "DL3004", "DS-0010"];
    PACKAGE_CACHE = "DGI116", Low, "Package manager cache left in the image",
        "Clean in the same RUN: `apt-get clean && rm -rf /var/lib/apt/lists/*`, `apk add --no-cache`, `dnf clean all`.",
        ["DKL-DI-0004", "DKL-DI-0005", "DL3009", "DL3019"];
    EMPTY_PASSWORD = "DGI117", High, "Account with an empty password",
        "Lock the account (`passwd -l NAME`) or set `*` as its password field.",
        ["DKL-LI-0001"];
    DUPLICATE_UID = "DGI118", Medium, "Duplicate UID",
        "Give every account its own UID in /etc/passwd.",
        ["DKL-LI-0002"];
    DUPLICATE_GID = "DGI119", Medium, "Duplicate GID",
        "Give every group its own GID in /etc/group.",
        ["DKL-LI-0002"];
    CREDENTIAL_FILE = "DGI120", High, "Credential file in the image",
        "Keep credentials out of the build context (.dockerignore); use `RUN --mount=type=secret` and rotate anything that was shipped.",
        ["CIS-DI-0010", "CIS Docker 4.10", "DKL-LI-0003", "DS-0031"];
    VCS_DIRECTORY = "DGI121", Medium, "Version control metadata in the image",
        "Add `.git` (and other VCS directories) to .dockerignore.",
        ["DKL-LI-0003"];
    SHELL = "DGI130", Info, "Shell present",
        "Build the final stage FROM a distroless or scratch base.",
        [];
    PACKAGE_MANAGER = "DGI131", Info, "Package manager present",
        "Build the final stage FROM a distroless or scratch base, or remove the package manager after installing.",
        ["CIS Docker 4.3"];
    DOWNLOADER = "DGI132", Info, "Downloader present",
        "Install curl/wget only in a build stage, not in the final image.",
        ["CIS Docker 4.3"];
    NETWORK_TOOL = "DGI133", Info, "Network tool present",
        "Remove network clients and scanners from the final image.",
        ["CIS Docker 4.3"];
    COMPILER = "DGI134", Info, "Compiler present",
        "Compile in a build stage and copy only the artefacts into the final image.",
        ["CIS Docker 4.3"];
    DEBUGGER = "DGI135", Info, "Debugger present",
        "Keep debuggers in a separate debug image or use ephemeral debug containers.",
        ["CIS Docker 4.3"];
    ATTACK_SURFACE = "DGI140", Low, "Attack surface: tools an intruder can use",
        "Build the final stage FROM a distroless or scratch base and copy in only the application.",
        ["CIS Docker 4.3"];
    CAPABILITIES = "DGI141", Info, "Capabilities the image needs beyond --cap-drop=ALL",
        "Run with --cap-drop=ALL and add back only these (--cap-add=…), or remove the setuid bits and file capabilities that need them.",
        ["CIS Docker 5.3"];
}

/// Looks a check up by id (`DGI101`).
pub fn rule(id: &str) -> Option<&'static Rule> {
    ALL.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_sorted() {
        for w in ALL.windows(2) {
            assert!(w[0].id < w[1].id, "{} then {}", w[0].id, w[1].id);
        }
        assert!(rule("DGI101").is_some());
        assert!(rule("DL3000").is_none());
    }
}
