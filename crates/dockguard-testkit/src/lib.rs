//! Test support shared by every dockguard crate: finding `../shared/fixtures` beside the checkout.
//!
//! Tests that need a fixture call [`fixture`]. When the shared folder is missing the test is
//! skipped with a message, except under `CI=true`, where a missing fixture fails the run so that
//! a broken CI setup can never pass by skipping everything.

use std::path::PathBuf;

/// The shared fixtures folder: `$DOCKGUARD_FIXTURES`, or `shared/fixtures` beside the checkout.
pub fn fixtures_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("DOCKGUARD_FIXTURES") {
        return PathBuf::from(dir);
    }
    // crates/dockguard-testkit → repo root → its parent, where `shared/` lives.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    root.join("../../../shared/fixtures")
}

fn in_ci() -> bool {
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
