//! Container image reading for dockguard: everything between an image reference and the files
//! inside it.
//!
//! This crate owns the image sources (`docker-archive:`, `oci-dir:`, `oci-archive:`, `dir:`,
//! `registry:`, `docker:`), manifest/index/config parsing with platform selection, layer
//! streaming with digest and diff_id verification, whiteout handling, the merged and per-layer
//! file views with per-path history, the single-pass analyzer API, and the layer cache.
//!
//! ```no_run
//! use dockguard_image::{open, OpenOptions, ScanOptions};
//! let image = open("oci-dir:images/debian12-app:1.3.0", &OpenOptions::default())?;
//! let scan = image.scan(&[], &ScanOptions::default())?;
//! for event in scan.fs.history("/root/.ssh/id_rsa") {
//!     println!("layer {}: {:?}", event.layer_index, event.change);
//! }
//! # Ok::<(), dockguard_image::Error>(())
//! ```
//!
//! Design rules, because images are untrusted input:
//! - Layers are streamed once and never unpacked to disk; tar parsing is our own
//!   (it follows Go's `archive/tar` where readers disagree, as Docker extracts with that) so that
//!   every header read is bounded.
//! - Every blob is checked against its digest and size; every layer against its diff_id.
//! - Hostile entries (`..` escapes, bad whiteouts, out-of-range ids) are errors naming the
//!   layer and entry; sizes, entry counts and metadata are bounded by [`Limits`].
//! - Symlinks are only ever resolved inside the image ([`Filesystem::resolve`]).
//!
//! The registry client ([`registry::Client`]) is blocking (`ureq` + rustls) rather than tokio +
//! reqwest: layer work is CPU-bound and already parallel on rayon, and a blocking client keeps
//! a cold CI build short. It is public because dockguard-sign writes through it too.

mod analyze;
mod cache;
mod daemon;
mod digest;
mod error;
mod fs;
mod image;
mod layer;
mod platform;
pub mod registry;
mod remote;
mod rootdir;
mod scan;
mod source;
mod spec;
mod store;
mod tarstream;

pub use analyze::{AnalyzerOutput, FileAnalyzer, FileContent, Interest, DEFAULT_MAX_FILE_SIZE};
pub use cache::{Cache, DEFAULT_CACHE_SIZE};
pub use digest::Digest;
pub use error::{Error, LayerName, Result};
pub use fs::{Change, FileEntry, FileKind, Filesystem, LayerStats, PathEvent, Xattr};
pub use image::{Healthcheck, HistoryEntry, Image, ImageConfig, LayerInfo, SourceFormat};
pub use layer::{Compression, Limits};
pub use platform::Platform;
pub use scan::{LayerScan, Scan, ScanOptions};
pub use source::{open, OpenOptions, RegistryOptions};

/// Entry points for the fuzz target (`fuzz/`); not part of the supported API.
#[doc(hidden)]
pub mod fuzzing {
    use crate::analyze::{FileAnalyzer, FileContent, Interest};
    use crate::error::LayerName;
    use crate::fs::{FileEntry, Filesystem};
    use crate::layer::{read_layer, LayerExpect, Limits};

    struct Everything(Interest);

    impl FileAnalyzer for Everything {
        fn name(&self) -> &str {
            "fuzz"
        }
        fn version(&self) -> &str {
            "1"
        }
        fn interest(&self) -> &Interest {
            &self.0
        }
        fn analyze(&self, _: &FileEntry, c: FileContent<'_>) -> Option<serde_json::Value> {
            Some(serde_json::Value::from(c.data.len()))
        }
    }

    /// Reads `data` as a layer blob (any compression) under small limits, stacks it twice so
    /// its whiteouts apply to a lower layer, and resolves every path. Returns whether the
    /// blob was accepted; it must never panic.
    pub fn read_layer_bytes(data: &[u8]) -> bool {
        let limits = Limits {
            max_layer_size: 64 << 20,
            max_entries_per_layer: 50_000,
            max_header_size: 64 << 10,
            ..Limits::default()
        };
        let ex = LayerExpect {
            name: LayerName {
                index: 0,
                digest: None,
            },
            index: 0,
            digest: None,
            size: Some(data.len() as u64),
            diff_id: None,
        };
        let all = Everything(Interest::all_files().with_magic(b"\x7fELF").max_size(4096));
        let Ok(read) = read_layer(&mut &data[..], &ex, &[&all], &limits) else {
            return false;
        };
        let mut upper = read.entries.clone();
        for e in upper.iter_mut() {
            e.layer_index = 1;
        }
        let fs = Filesystem::from_layers(vec![read.entries, upper]);
        let paths: Vec<String> = fs.all_layers().map(|e| e.path.clone()).collect();
        for p in &paths {
            let _ = fs.resolve(p);
            let _ = fs.history(p);
        }
        let _ = fs.deleted_paths().count();
        true
    }
}
