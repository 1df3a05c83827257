use std::fmt;
use std::io;

/// Everything that can go wrong while opening or reading an image.
///
/// Messages always name the thing at fault (file, layer, tar entry, registry URL) because the
/// person reading them usually has a multi-gigabyte image and no other way to find it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The source string could not be understood, or points at nothing usable.
    #[error("image source '{source_ref}': {message}")]
    Source { source_ref: String, message: String },

    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },

    /// Image metadata (index, manifest, config, `manifest.json`) is malformed or inconsistent.
    #[error("{what}: {message}")]
    Format { what: String, message: String },

    /// Content did not hash to the digest that names it.
    #[error("{what}: digest mismatch: expected {expected}, got {actual}")]
    DigestMismatch {
        what: String,
        expected: String,
        actual: String,
    },

    /// A layer is unreadable as a whole (bad compression, truncated, over a limit).
    #[error("{layer}: {message}")]
    Layer { layer: LayerName, message: String },

    /// One tar entry of a layer is malformed or hostile.
    #[error("{layer}: entry '{entry}': {message}")]
    Entry {
        layer: LayerName,
        entry: String,
        message: String,
    },

    /// No manifest in an index matches what was asked for.
    #[error("{message}")]
    NotFound { message: String },

    /// Talking to a registry or the Docker daemon failed.
    #[error("{endpoint}: {message}")]
    Remote { endpoint: String, message: String },

    /// The layer cache could not be used.
    #[error("cache {path}: {message}")]
    Cache { path: String, message: String },
}

/// How a layer is named in errors: its position in the image and its digest when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerName {
    pub index: usize,
    pub digest: Option<String>,
}

impl fmt::Display for LayerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.digest {
            Some(d) => write!(f, "layer {} ({d})", self.index),
            None => write!(f, "layer {}", self.index),
        }
    }
}

impl Error {
    pub(crate) fn io(path: impl fmt::Display, source: io::Error) -> Self {
        Error::Io {
            path: path.to_string(),
            source,
        }
    }

    pub(crate) fn format(what: impl fmt::Display, message: impl fmt::Display) -> Self {
        Error::Format {
            what: what.to_string(),
            message: message.to_string(),
        }
    }

    pub(crate) fn source(source_ref: impl fmt::Display, message: impl fmt::Display) -> Self {
        Error::Source {
            source_ref: source_ref.to_string(),
            message: message.to_string(),
        }
    }

    pub(crate) fn remote(endpoint: impl fmt::Display, message: impl fmt::Display) -> Self {
        Error::Remote {
            endpoint: endpoint.to_string(),
            message: message.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
