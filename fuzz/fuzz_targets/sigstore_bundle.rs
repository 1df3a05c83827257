//! Arbitrary bytes as a Sigstore bundle, verified against the fixed trusted root of the
//! keyless test data, and as a trusted root in its own right. Neither may panic; a bundle
//! that verifies must be the one the test data signed.
#![no_main]

use dockguard_sign::{
    verify_bundle, Bundle, CertificateIdentity, KeylessPolicy, Matcher, TrustedRoot,
};
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};

const TRUSTED_ROOT: &[u8] =
    include_bytes!("../../crates/dockguard-sign/tests/data/keyless/trusted_root.json");
const BUNDLE: &[u8] = include_bytes!("../../crates/dockguard-sign/tests/data/keyless/bundle.json");
const ARTIFACT: &[u8] =
    include_bytes!("../../crates/dockguard-sign/tests/data/keyless/artifact.txt");

fn policy() -> &'static KeylessPolicy {
    static P: OnceLock<KeylessPolicy> = OnceLock::new();
    P.get_or_init(|| KeylessPolicy {
        trusted_root: Arc::new(
            TrustedRoot::from_json("trusted_root.json", TRUSTED_ROOT).expect("test trusted root"),
        ),
        identity: CertificateIdentity {
            // Any identity: the point is to reach every check after the identity match.
            identity: Matcher::regex(".*").expect("regex"),
            issuer: Matcher::regex(".*").expect("regex"),
        },
    })
}

fn artifact_digest() -> &'static [u8] {
    static D: OnceLock<Vec<u8>> = OnceLock::new();
    D.get_or_init(|| {
        let path =
            std::env::temp_dir().join(format!("dockguard-fuzz-artifact-{}", std::process::id()));
        std::fs::write(&path, ARTIFACT).expect("write artifact");
        let d = dockguard_sign::sha256_file(&path).expect("hash artifact");
        let _ = std::fs::remove_file(&path);
        d
    })
}

/// The seed bundle must verify, or the fuzzer would never get past the first failing check.
fn check_harness() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let bundle = Bundle::from_json("bundle.json", BUNDLE).expect("test bundle parses");
        verify_bundle(&bundle, artifact_digest(), policy()).expect("test bundle verifies");
    });
}

fuzz_target!(|data: &[u8]| {
    check_harness();
    if let Ok(bundle) = Bundle::from_json("fuzz.bundle.json", data) {
        let _ = bundle.version();
        let _ = bundle.is_dsse();
        let _ = verify_bundle(&bundle, artifact_digest(), policy());
    }
    let _ = TrustedRoot::from_json("fuzz.trusted_root.json", data);
});
