//! Report formats: turns a finished [`dockguard_core::Report`] into bytes for people and for CI.
//!
//! This crate owns every output format dockguard writes — the terminal table, our own JSON,
//! SARIF 2.1.0, Checkstyle XML, GitLab Code Quality JSON, JUnit XML, the GitLab
//! container-scanning report, CycloneDX 1.6 with vulnerabilities and a single-file HTML
//! page — and nothing else. It
//! never decides *what* is a finding or whether the run fails; it only renders what it is given,
//! deterministically (no timestamps, no randomness, stable ordering), so that outputs can be
//! diffed, snapshotted and de-duplicated by code-scanning services.
//!
//! Every renderer accepts any `Report` without panicking: free-text fields may hold markup
//! characters, control characters, newlines or any Unicode, and locations may be partial.

use dockguard_core::Report;
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

mod checkstyle;
mod codequality;
mod common;
mod cyclonedx_vuln;
mod gitlab_cs;
mod html;
mod junit;
mod sarif;
mod table;
mod xml;

/// An output format the CLI can be asked for with `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Grouped, human-readable text for a terminal.
    Table,
    /// `serde_json` of the report itself; the shape is documented in core.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
    Sarif,
    /// Checkstyle XML, as hadolint writes it.
    Checkstyle,
    /// GitLab Code Quality (a subset of the Code Climate issue format).
    GitlabCodequality,
    /// JUnit XML, so plain CI test-report widgets show findings.
    Junit,
    /// GitLab container-scanning report (schema 15.2.1); vulnerability findings only.
    GitlabContainerScanning,
    /// CycloneDX 1.6 BOM with `vulnerabilities`; vulnerability findings only.
    Cyclonedx,
    /// One self-contained HTML page: summary, severity chart, findings by layer, filters.
    Html,
}

impl Format {
    /// The ids accepted by [`Format::from_str`], in the order help text should list them.
    pub const ALL_IDS: &'static [&'static str] = &[
        "table",
        "json",
        "sarif",
        "checkstyle",
        "gitlab-codequality",
        "junit",
        "gitlab",
        "cyclonedx",
        "html",
    ];

    /// The canonical id of this format (one of [`Format::ALL_IDS`]).
    pub fn id(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Checkstyle => "checkstyle",
            Format::GitlabCodequality => "gitlab-codequality",
            Format::Junit => "junit",
            Format::GitlabContainerScanning => "gitlab",
            Format::Cyclonedx => "cyclonedx",
            Format::Html => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A `--format` value that names no known format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown report format '{given}' (valid formats: {})", Format::ALL_IDS.join(", "))]
pub struct UnknownFormat {
    pub given: String,
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "table" => Ok(Format::Table),
            "json" => Ok(Format::Json),
            "sarif" => Ok(Format::Sarif),
            "checkstyle" => Ok(Format::Checkstyle),
            // Code Climate is the format GitLab's is a subset of; people coming from other
            // linters ask for it by that name.
            "gitlab-codequality" | "codeclimate" => Ok(Format::GitlabCodequality),
            "junit" => Ok(Format::Junit),
            "gitlab" | "gitlab-container-scanning" => Ok(Format::GitlabContainerScanning),
            "cyclonedx" | "cyclonedx-json" | "cdx" => Ok(Format::Cyclonedx),
            "html" => Ok(Format::Html),
            _ => Err(UnknownFormat {
                given: s.to_string(),
            }),
        }
    }
}

/// Rendering choices the caller makes; the report itself stays untouched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Emit ANSI colour in the table format. The CLI decides (TTY, `NO_COLOR`, flags); this crate
    /// never inspects the environment.
    pub color: bool,
    /// Full text of scanned files keyed by the exact `location.path` used in findings. Lets the
    /// table show offending lines and lets fingerprints follow line content instead of line
    /// numbers. Files not present here are rendered without source context.
    pub sources: BTreeMap<String, String>,
}

/// Writes `report` to `out` in `format`.
///
/// The whole document is built in memory first, so a failing writer never leaves a
/// half-rendered report behind a successful-looking prefix of our own making.
pub fn render(
    report: &Report,
    format: Format,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let text = match format {
        Format::Table => table::render(report, opts),
        Format::Json => json(report)?,
        Format::Sarif => sarif::render(report, opts)?,
        Format::Checkstyle => checkstyle::render(report),
        Format::GitlabCodequality => codequality::render(report, opts)?,
        Format::Junit => junit::render(report),
        Format::GitlabContainerScanning => {
            gitlab_cs::gitlab_container_scanning(report, gitlab_cs::EPOCH, gitlab_cs::EPOCH)?
        }
        Format::Cyclonedx => cyclonedx_vuln::render(report)?,
        Format::Html => html::render(report),
    };
    out.write_all(text.as_bytes())?;
    out.flush()
}

pub use gitlab_cs::gitlab_container_scanning;

fn json(report: &Report) -> io::Result<String> {
    let mut text = serde_json::to_string_pretty(report).map_err(io::Error::other)?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_id_parses_back_to_a_format_with_that_id() {
        for id in Format::ALL_IDS {
            let format: Format = id.parse().unwrap();
            assert_eq!(format.id(), *id);
            assert_eq!(format.to_string(), *id);
        }
    }

    #[test]
    fn codeclimate_is_an_alias_and_case_does_not_matter() {
        assert_eq!(
            "codeclimate".parse::<Format>().unwrap(),
            Format::GitlabCodequality
        );
        assert_eq!(" SARIF ".parse::<Format>().unwrap(), Format::Sarif);
    }

    #[test]
    fn unknown_format_error_lists_the_valid_ids() {
        let err = "xml".parse::<Format>().unwrap_err();
        let text = err.to_string();
        assert!(text.contains("'xml'"), "{text}");
        for id in Format::ALL_IDS {
            assert!(text.contains(id), "{text} misses {id}");
        }
    }

    #[test]
    fn failing_writer_reports_the_error() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let report = Report::new(dockguard_core::ToolInfo::dockguard("0.0.0"), vec![], vec![]);
        for id in Format::ALL_IDS {
            let format: Format = id.parse().unwrap();
            let result = render(&report, format, &RenderOptions::default(), &mut Broken);
            assert!(result.is_err(), "{id} swallowed a write error");
        }
    }
}
