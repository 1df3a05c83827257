//! `dockguard version cmp ECOSYSTEM A B`: the version ordering the vulnerability matcher uses,
//! exposed for checking advisories by hand and for scripts.

use crate::Output;
use dockguard_vulndb::versions::Scheme;
use std::cmp::Ordering;

#[derive(Debug, clap::Subcommand)]
pub enum VersionCommand {
    /// Compare two versions; prints `<`, `=` or `>`.
    Cmp {
        /// OSV ecosystem (Debian:12, Alpine, AlmaLinux, PyPI, npm, crates.io, NuGet, Go, Maven,
        /// RubyGems, Packagist, …) or scheme (dpkg, apk, rpm, pep440, semver, nuget, go,
        /// maven, rubygems, packagist).
        ecosystem: String,
        a: String,
        b: String,
    },
}

/// Runs a `version` subcommand; returns the exit code.
pub fn run(cmd: VersionCommand, output: &Output) -> anyhow::Result<u8> {
    match cmd {
        VersionCommand::Cmp { ecosystem, a, b } => {
            let scheme = Scheme::parse(&ecosystem).ok_or_else(|| {
                anyhow::anyhow!(
                    "no version ordering for '{ecosystem}': use an OSV ecosystem such as \
                     Debian:12, Alpine, AlmaLinux, PyPI, npm, crates.io, NuGet, Go, Maven, \
                     RubyGems, Packagist, or a scheme name (dpkg, apk, rpm, pep440, semver, \
                     nuget, go, maven, rubygems, packagist)"
                )
            })?;
            let sign = match scheme.compare(&a, &b) {
                Ordering::Less => "<",
                Ordering::Equal => "=",
                Ordering::Greater => ">",
            };
            output.write(|out| writeln!(out, "{sign}"))?;
            Ok(0)
        }
    }
}
