//! Errors of signing and verification. Each names the file, key or URL it is about.

/// Everything that can go wrong while handling keys, signatures and their storage.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A key file that cannot be read, decrypted or understood.
    #[error("{what}: {message}")]
    Key { what: String, message: String },
    /// The password did not open the key (wrong password or a damaged file).
    #[error("{what}: wrong password or damaged key file")]
    Password { what: String },
    /// Malformed input: a manifest, payload or image argument.
    #[error("{what}: {message}")]
    Format { what: String, message: String },
    /// A registry answered with an error or could not be reached.
    #[error("{url}: {message}")]
    Registry { url: String, message: String },
    /// A local file or directory could not be read or written.
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub(crate) fn key(what: impl std::fmt::Display, message: impl std::fmt::Display) -> Error {
        Error::Key {
            what: what.to_string(),
            message: message.to_string(),
        }
    }
    pub(crate) fn format(what: impl std::fmt::Display, message: impl std::fmt::Display) -> Error {
        Error::Format {
            what: what.to_string(),
            message: message.to_string(),
        }
    }
    pub(crate) fn registry(url: impl std::fmt::Display, message: impl std::fmt::Display) -> Error {
        Error::Registry {
            url: url.to_string(),
            message: message.to_string(),
        }
    }
    pub(crate) fn io(what: impl std::fmt::Display, source: std::io::Error) -> Error {
        Error::Io {
            what: what.to_string(),
            source,
        }
    }
}

/// The registry client is dockguard-image's: its errors keep their URL or file, and read as
/// this crate's own did.
impl From<dockguard_image::Error> for Error {
    fn from(e: dockguard_image::Error) -> Error {
        use dockguard_image::Error as E;
        match e {
            E::Remote { endpoint, message } => Error::Registry {
                url: endpoint,
                message,
            },
            E::Source {
                source_ref: what,
                message,
            }
            | E::Format { what, message } => Error::Format { what, message },
            E::DigestMismatch {
                what,
                expected,
                actual,
            } => Error::format(
                what,
                format!("content does not match its digest: expected {expected}, got {actual}"),
            ),
            E::Io { path, source } => Error::Io { what: path, source },
            other => Error::format("registry", other),
        }
    }
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
