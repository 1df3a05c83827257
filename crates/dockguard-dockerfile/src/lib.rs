//! Dockerfile parsing and linting.
//!
//! This crate owns everything about Dockerfiles: a BuildKit-compatible [`parser`] producing the
//! [`ast`], BuildKit variable expansion, a shell analyzer for `RUN` ([`shell`]), and the lint
//! rules (hadolint's DL codes and dockguard's own security rules).
pub mod ast;
pub mod buildctx;
pub mod expand;
pub mod history;
pub mod lint;
pub mod parser;
pub mod shell;
pub mod stages;

pub use ast::{Dockerfile, Instruction, Keyword};
pub use parser::{parse, parse_bytes, ParseError};
