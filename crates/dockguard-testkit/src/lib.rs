//! Test support shared by every dockguard crate: finding `../shared/fixtures` beside the
//! checkout, external tools, writable copies of fixture layouts, and (feature `registry`) a
//! throwaway `docker-registry` on 127.0.0.1.
//!
//! Tests that need a fixture call [`fixture`]; tests that need a program call [`tool`]. When
//! either is missing the test is skipped with a message, except under `CI=true`, where it fails
//! the run so that a broken CI setup can never pass by skipping everything.

pub mod http_stub;
#[cfg(feature = "registry")]
pub mod registry;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The shared fixtures folder: `$DOCKGUARD_FIXTURES`, or `shared/fixtures` beside the checkout.
pub fn fixtures_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("DOCKGUARD_FIXTURES") {
        return PathBuf::from(dir);
    }
    // crates/dockguard-testkit → repo root → its parent, where `shared/` lives.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    root.join("../../../shared/fixtures")
}

/// Whether this is a CI run (`CI=true`), where a missing fixture or tool fails instead of skipping.
pub fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

/// Path of a fixture relative to the fixtures folder, or `None` (after printing why) when it is
/// absent outside CI. Panics under `CI=true` when the fixture is absent.
pub fn fixture(relative: &str) -> Option<PathBuf> {
    let path = fixtures_dir().join(relative);
    if path.exists() {
        return Some(path);
    }
    if in_ci() {
        panic!(
            "fixture {relative} is missing from {} (CI=true requires every fixture)",
            fixtures_dir().display()
        );
    }
    eprintln!("skipping: fixture {relative} not found (set DOCKGUARD_FIXTURES or place shared/ beside the checkout)");
    None
}

/// Like [`fixture`] but returns early from the calling test when the fixture is absent.
#[macro_export]
macro_rules! require_fixture {
    ($relative:expr) => {
        match $crate::fixture($relative) {
            Some(path) => path,
            None => return,
        }
    };
}

/// Whether `name VERSION_ARG` runs. Prints why a test is skipped when not; under `CI=true`
/// a missing tool panics (CI must install it).
pub fn tool(name: &str, version_arg: &str) -> bool {
    let found = Command::new(name)
        .arg(version_arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !found {
        assert!(
            !in_ci(),
            "{name} is required under CI=true (install it in .ci/run)"
        );
        eprintln!("skipping: {name} not installed");
    }
    found
}

/// A writable copy of a fixture (an OCI layout, usually) in a fresh temporary directory.
pub fn copy_layout(src: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    copy_dir(src, dir.path());
    dir
}

fn copy_dir(src: &Path, dst: &Path) {
    fn fail(what: &Path, e: std::io::Error) -> ! {
        panic!("copying {}: {e}", what.display())
    }
    std::fs::create_dir_all(dst).unwrap_or_else(|e| fail(dst, e));
    for e in std::fs::read_dir(src).unwrap_or_else(|e| fail(src, e)) {
        let e = e.unwrap_or_else(|e| fail(src, e));
        let to = dst.join(e.file_name());
        if e.file_type()
            .unwrap_or_else(|err| fail(&e.path(), err))
            .is_dir()
        {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).unwrap_or_else(|err| fail(&e.path(), err));
        }
    }
}
