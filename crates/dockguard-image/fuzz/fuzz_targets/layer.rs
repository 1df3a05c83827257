//! `cargo +nightly fuzz run layer` (from crates/dockguard-image): arbitrary bytes as a layer
//! blob, through decompression, the tar reader, whiteouts and the merged view. Seed the corpus
//! with the hostile images: `cargo run -p dockguard-image --example hostile-images -- generate DIR
//! --test-scale` and copy `DIR/*/blobs/sha256/*` into `fuzz/corpus/layer/`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dockguard_image::fuzzing::read_layer_bytes(data);
});
