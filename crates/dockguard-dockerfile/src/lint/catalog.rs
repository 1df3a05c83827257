//! Every lint rule's code, default severity, title and fix.
//!
//! DL codes keep hadolint's numbers and default levels (error → high, warning → medium,
//! info → low, style → info; hadolint's "ignore" → disabled by default) so existing ignore
//! lists and thresholds keep working. DG codes are dockguard's own, documented in `docs/rules/`.

use dockguard_core::Severity;

pub use super::catalog_dg::DG_RULES;

/// Static description of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    pub code: &'static str,
    /// `None` for rules that are off unless a config enables them with an override.
    pub default_severity: Option<Severity>,
    pub title: &'static str,
    pub fix: Option<&'static str>,
}

impl RuleInfo {
    /// Where the rule is explained.
    pub fn url(&self) -> String {
        if self.code.starts_with("DL") {
            format!("https://github.com/hadolint/hadolint/wiki/{}", self.code)
        } else {
            format!(
                "https://github.com/dockguard/dockguard/blob/main/docs/rules/{}.md",
                self.code
            )
        }
    }

    pub fn is_hadolint(&self) -> bool {
        self.code.starts_with("DL")
    }
}

pub(super) const H: Option<Severity> = Some(Severity::High);
pub(super) const M: Option<Severity> = Some(Severity::Medium);
pub(super) const L: Option<Severity> = Some(Severity::Low);
pub(super) const I: Option<Severity> = Some(Severity::Info);
pub(super) const OFF: Option<Severity> = None;

macro_rules! rule {
    ($code:literal, $sev:expr, $title:literal) => {
        RuleInfo {
            code: $code,
            default_severity: $sev,
            title: $title,
            fix: None,
        }
    };
    ($code:literal, $sev:expr, $title:literal, $fix:literal) => {
        RuleInfo {
            code: $code,
            default_severity: $sev,
            title: $title,
            fix: Some($fix),
        }
    };
}
pub(super) use rule;

/// hadolint's rules, sorted by code.
///
/// DL3005, DL3031 and DL3039 are gone from hadolint 2.15; they stay here, off by default, so
/// configurations and pragmas naming them keep working and they can still be switched on.
pub static DL_RULES: &[RuleInfo] = &[
    rule!("DL1001", OFF, "Inline ignore pragma used", "Move ignores to the configuration file."),
    rule!("DL3000", H, "WORKDIR must be an absolute path", "Give WORKDIR an absolute path."),
    rule!("DL3001", L, "Command makes no sense in a container build", "Drop interactive or host-management commands from RUN."),
    rule!("DL3002", M, "Last USER should not be root", "Switch to an unprivileged USER before the end of the stage."),
    rule!("DL3003", M, "Use WORKDIR to switch to a directory", "Replace `cd` with WORKDIR."),
    rule!("DL3004", H, "Do not use sudo", "Run as the needed user with USER, or use gosu/su-exec in entrypoints."),
    rule!("DL3005", OFF, "Do not use apt-get dist-upgrade", "Update the base image instead of upgrading every package."),
    rule!("DL3006", M, "Image has no explicit tag", "Pin the base image to a tag or digest."),
    rule!("DL3007", M, "Image uses the latest tag", "Pin the base image to a release tag or digest."),
    rule!("DL3008", M, "apt-get install without pinned versions", "Install `package=version`."),
    rule!("DL3009", L, "apt lists not deleted after apt-get install", "End the RUN with `rm -rf /var/lib/apt/lists/*`."),
    rule!("DL3010", L, "Archive copied and extracted in separate steps", "Use ADD, which extracts local archives."),
    rule!("DL3011", H, "EXPOSE port outside 0-65535", "Use a valid port number."),
    rule!("DL3012", H, "More than one HEALTHCHECK in a stage", "Keep a single HEALTHCHECK."),
    rule!("DL3013", M, "pip install without pinned versions", "Install `package==version` or use a constraints/requirements file."),
    rule!("DL3014", M, "apt-get install without -y", "Add `-y` so the build does not wait for input."),
    rule!("DL3015", L, "apt-get install without --no-install-recommends", "Add `--no-install-recommends`."),
    rule!("DL3016", M, "npm install without pinned versions", "Install `package@version`."),
    rule!("DL3018", M, "apk add without pinned versions", "Install `package=version`."),
    rule!("DL3019", L, "apk add without --no-cache", "Use `apk add --no-cache`."),
    rule!("DL3020", H, "ADD used for local files", "Use COPY for files and directories; ADD only for archives and URLs."),
    rule!("DL3021", H, "COPY to several sources needs a directory destination", "End the destination with `/`."),
    rule!("DL3022", M, "COPY --from names no earlier stage", "Refer to a stage defined above, or to an image."),
    rule!("DL3023", H, "COPY --from refers to its own stage", "Copy from another stage."),
    rule!("DL3024", H, "Stage name used twice", "Give every stage a unique name."),
    rule!("DL3025", M, "CMD/ENTRYPOINT in shell form", "Use the JSON (exec) form so signals reach the process."),
    rule!("DL3026", H, "Base image from a registry that is not allowed", "Use an image from a trusted registry."),
    rule!("DL3027", M, "apt used in a script", "Use apt-get or apt-cache; apt has no stable CLI."),
    rule!("DL3028", M, "gem install without pinned versions", "Install `gem:version` or use `-v`."),
    rule!("DL3029", M, "FROM --platform used", "Let the builder choose the platform, or use a build argument."),
    rule!("DL3030", M, "yum install without -y", "Add `-y`."),
    rule!("DL3031", OFF, "yum update used", "Update the base image instead."),
    rule!("DL3032", M, "yum cache not cleaned", "End the RUN with `yum clean all`."),
    rule!("DL3033", M, "yum install without pinned versions", "Install `package-version`."),
    rule!("DL3034", M, "zypper without non-interactive switch", "Add `-n`/`--non-interactive` or `-y`."),
    rule!("DL3035", M, "zypper dist-upgrade used", "Update the base image instead."),
    rule!("DL3036", M, "zypper cache not cleaned", "End the RUN with `zypper clean`."),
    rule!("DL3037", M, "zypper install without pinned versions", "Install `package=version`."),
    rule!("DL3038", M, "dnf install without -y", "Add `-y`."),
    rule!("DL3039", OFF, "dnf upgrade used", "Update the base image instead."),
    rule!("DL3040", M, "dnf cache not cleaned", "End the RUN with `dnf clean all`."),
    rule!("DL3041", M, "dnf install without pinned versions", "Install `package-version`."),
    rule!("DL3042", M, "pip install keeps its cache", "Add `--no-cache-dir` or set PIP_NO_CACHE_DIR."),
    rule!("DL3043", H, "ONBUILD triggers ONBUILD, FROM or MAINTAINER", "Remove that trigger."),
    rule!("DL3044", H, "ENV refers to a variable it defines itself", "Split the ENV in two."),
    rule!("DL3045", M, "COPY to a relative path without WORKDIR", "Set WORKDIR first or use an absolute destination."),
    rule!("DL3046", M, "useradd with a high UID but without -l", "Add `-l` (`--no-log-init`)."),
    rule!("DL3047", L, "wget without --progress bloats logs", "Add `--progress=dot:giga` or `-q`."),
    rule!("DL3048", I, "Invalid label key", "Use a reverse-DNS key of lower-case letters, digits, dots and dashes."),
    rule!("DL3049", L, "Required label missing", "Add the label."),
    rule!("DL3050", L, "Label not in the schema", "Remove the label or add it to the schema."),
    rule!("DL3051", M, "Label is empty", "Give the label a value."),
    rule!("DL3052", M, "Label is not a valid URL", "Use an absolute URL."),
    rule!("DL3053", M, "Label is not an RFC 3339 time", "Use an RFC 3339 timestamp."),
    rule!("DL3054", M, "Label is not an SPDX licence id", "Use an SPDX licence expression."),
    rule!("DL3055", M, "Label is not a git hash", "Use a full or short git commit hash."),
    rule!("DL3056", M, "Label is not a semantic version", "Use a semantic version."),
    rule!("DL3057", OFF, "No HEALTHCHECK", "Add a HEALTHCHECK so the runtime can see when the app is unhealthy."),
    rule!("DL3058", M, "Label is not an email address", "Use an RFC 5322 address."),
    rule!("DL3059", L, "Consecutive RUN instructions", "Join consecutive RUNs to save layers."),
    rule!("DL3060", L, "yarn cache not cleaned", "End the RUN with `yarn cache clean`."),
    rule!("DL3061", H, "Instruction before FROM", "Start with FROM (only ARG and comments may come first)."),
    rule!("DL3062", M, "go install without a pinned version", "Install `module@version`."),
    rule!("DL3063", M, "Stage named after a reserved word", "Rename the stage; `scratch` and `context` already mean something to the builder."),
    rule!("DL3064", M, "ARG or ENV name suggests a secret", "Pass secrets with `RUN --mount=type=secret`; ARG and ENV values end up in the image metadata."),
    rule!("DL3065", M, "FROM --platform repeats the default $TARGETPLATFORM", "Drop the --platform flag."),
    rule!("DL3066", L, "USER names a user instead of a numeric UID", "Use a numeric UID (and GID) so the runtime can check it is not root."),
    rule!("DL3067", M, "COPY --from copies a whole filesystem", "Copy only the paths the stage needs."),
    rule!("DL4000", H, "MAINTAINER is deprecated", "Use `LABEL org.opencontainers.image.authors=…`."),
    rule!("DL4001", M, "Both wget and curl used", "Use one downloader."),
    rule!("DL4003", M, "More than one CMD", "Keep only the last CMD."),
    rule!("DL4004", H, "More than one ENTRYPOINT", "Keep only the last ENTRYPOINT."),
    rule!("DL4005", M, "Default shell changed by linking /bin/sh", "Use SHELL to change the default shell."),
    rule!("DL4006", M, "RUN with a pipe but without pipefail", "Set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN."),
];

/// Every rule: hadolint's, then dockguard's.
pub fn all_rules() -> impl Iterator<Item = &'static RuleInfo> {
    DL_RULES.iter().chain(DG_RULES.iter())
}

/// Look a rule up by code.
pub fn rule_info(code: &str) -> Option<&'static RuleInfo> {
    all_rules().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sorted() {
        for pair in DL_RULES.windows(2).chain(DG_RULES.windows(2)) {
            assert!(
                pair[0].code < pair[1].code,
                "{} / {}",
                pair[0].code,
                pair[1].code
            );
        }
    }
}
