//! dockguard's own rules (`DG…`), each documented in `docs/rules/<CODE>.md`.
//!
//! Where the CIS Docker Benchmark (v1.6, section 4 "Container Images and Build File") has a
//! matching recommendation, the fix names it, since `RuleInfo` has no reference list.

use super::catalog::{rule, RuleInfo, H, I, L, M};
use dockguard_core::Severity;

const C: Option<Severity> = Some(Severity::Critical);

/// dockguard's rules, sorted by code.
pub static DG_RULES: &[RuleInfo] = &[
    rule!("DG0001", H, "Instruction does not parse", "Fix the syntax so that BuildKit accepts the instruction."),
    rule!("DG0002", H, "Unknown instruction", "Use one of the Dockerfile instructions; this looks like a typo."),
    rule!("DG0003", M, "Unknown rule code in an ignore pragma", "Remove or correct the rule code."),
    rule!("DG0004", L, "Empty line inside a line continuation", "Remove the empty line; BuildKit warns about it and may reject it in future."),
    rule!("DG1001", C, "Credential in the Dockerfile", "Remove it and rotate it; pass secrets with `RUN --mount=type=secret` or at run time (CIS 4.10)."),
    rule!("DG1002", M, "Secret-named variable set to a literal value", "Do not bake secrets into ENV/ARG/LABEL; use `RUN --mount=type=secret` or inject at run time (CIS 4.10)."),
    rule!("DG1003", M, "Secret passed as a build argument", "Use `RUN --mount=type=secret,id=…` and `docker build --secret`; build arguments are kept in the image history (CIS 4.10)."),
    rule!("DG1004", H, "Remote script piped to a shell", "Download the script, verify its checksum or signature, then run it."),
    rule!("DG1005", M, "World-writable permissions", "Grant write access to the owning user or group only (e.g. 755/775)."),
    rule!("DG1006", M, "setuid/setgid bit or file capabilities", "Do not add setuid/setgid bits or capabilities; grant capabilities at run time with --cap-add if needed (CIS 4.8)."),
    rule!("DG1007", H, "RUN with --security=insecure", "Remove --security=insecure; find a way to build without privileged steps."),
    rule!("DG1008", L, "RUN with --network=host", "Use the default build network; fetch what the step needs from the build context or a mirror."),
    rule!("DG1009", M, "SSH or remote-administration port exposed", "Remove EXPOSE 22 (23, 2375) and the service behind it; use `docker exec` for debugging."),
    rule!("DG1010", M, "Final image runs as root", "Create an unprivileged user and switch to it with USER at the end of the final stage (CIS 4.1)."),
    rule!("DG1011", I, "Base image not pinned by digest", "Pin the base image as `image:tag@sha256:…` and update it deliberately (CIS 4.2)."),
    rule!("DG1012", M, "Package index updated in a RUN of its own", "Update and install in the same RUN: `apt-get update && apt-get install …` (CIS 4.7)."),
    rule!("DG1013", L, "Source copied before dependencies are installed", "Copy the dependency manifest first, install, then copy the rest of the source."),
    rule!("DG1014", M, "ADD of a remote URL without --checksum", "Add `--checksum=sha256:…`, or download with a verified checksum in RUN (CIS 4.9)."),
    rule!("DG1015", H, "Credential file copied into the final image", "Exclude the file from the image; use `RUN --mount=type=secret` for build-time access (CIS 4.10)."),
    rule!("DG1016", H, "Credential file deleted in a later layer", "Never copy the file into a layer: use `RUN --mount=type=secret` or a build stage (CIS 4.10)."),
    rule!("DG1017", L, "Attack or remote-access tool in the final image", "Install debugging and network tools only in build stages or a separate debug image."),
    rule!("DG1018", M, "TLS, signature or host-key verification disabled", "Keep verification on; add the internal CA to the trust store, or pin the host key in known_hosts."),
    rule!("DG2001", H, "Sensitive build-context file copied into the final image", "Add the file to .dockerignore or copy only what the image needs (CIS 4.10)."),
    rule!("DG2002", L, "Sensitive build-context file copied into a build stage", "Add the file to .dockerignore unless the build stage needs it; prefer `RUN --mount=type=secret`."),
    rule!("DG2003", L, "Whole build context copied without a .dockerignore", "Add a .dockerignore that excludes .git, credentials, and local build output."),
    rule!("DG2004", I, "Build context too large to scan completely", "Scan a smaller context or add a .dockerignore for large directories."),
];
