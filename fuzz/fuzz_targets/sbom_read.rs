//! Arbitrary bytes as an SBOM file (CycloneDX, SPDX, syft or dockguard JSON): any input must
//! give an inventory or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dockguard_sbom::read_sbom(data, "fuzz.sbom.json");
});
