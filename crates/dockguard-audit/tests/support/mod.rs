//! Shared by the tests that load profiles into the real libseccomp: the CI rule for missing
//! tools, and building a small C loader with gcc against Debian's `libseccomp-dev`.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

/// Skips the calling test with a message, except under `CI=true`, where the tool is required.
pub fn skip(why: &str) {
    assert!(!in_ci(), "CI=true requires {why}");
    eprintln!("skipping: {why}");
}

/// Compiles `source` (a C seccomp loader) in `dir`; `None` (after [`skip`]) when the host is not
/// x86_64 Linux or gcc / libseccomp-dev is missing.
pub fn build_loader(dir: &Path, source: &str) -> Option<PathBuf> {
    if !cfg!(all(target_os = "linux", target_arch = "x86_64")) {
        skip("an x86_64 Linux host");
        return None;
    }
    let src = dir.join("loader.c");
    let bin = dir.join("loader");
    std::fs::write(&src, source).unwrap();
    match Command::new("gcc")
        .arg("-O1")
        .arg("-o")
        .arg(&bin)
        .arg(&src)
        .arg("-lseccomp")
        .output()
    {
        Ok(out) if out.status.success() => Some(bin),
        Ok(out) => {
            skip(&format!(
                "gcc with libseccomp-dev: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
            None
        }
        Err(_) => {
            skip("gcc");
            None
        }
    }
}
