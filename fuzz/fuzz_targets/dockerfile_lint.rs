//! Parses and lints arbitrary bytes: any input must give a result or an error, never a panic.
#![no_main]

use dockguard_dockerfile::lint::{lint_bytes, LintConfig};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let config = LintConfig::default();
    let _ = lint_bytes("fuzz.Dockerfile", data, &config);
});
