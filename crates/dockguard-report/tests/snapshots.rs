//! Snapshots of every format for one fixed report, so any change to output is reviewed.

mod common;

use common::{render_to_string, sample_options, sample_report};
use dockguard_report::Format;

fn snapshot(format: Format) -> String {
    render_to_string(&sample_report(), format, &sample_options())
}

#[test]
fn table_plain() {
    insta::assert_snapshot!("table", snapshot(Format::Table));
}

#[test]
fn json() {
    insta::assert_snapshot!("json", snapshot(Format::Json));
}

#[test]
fn sarif() {
    insta::assert_snapshot!("sarif", snapshot(Format::Sarif));
}

#[test]
fn checkstyle() {
    insta::assert_snapshot!("checkstyle", snapshot(Format::Checkstyle));
}

#[test]
fn junit() {
    insta::assert_snapshot!("junit", snapshot(Format::Junit));
}

#[test]
fn gitlab_codequality() {
    insta::assert_snapshot!("codequality", snapshot(Format::GitlabCodequality));
}

#[test]
fn gitlab_container_scanning() {
    insta::assert_snapshot!(
        "gitlab_container_scanning",
        snapshot(Format::GitlabContainerScanning)
    );
}

#[test]
fn cyclonedx() {
    insta::assert_snapshot!("cyclonedx", snapshot(Format::Cyclonedx));
}

#[test]
fn html() {
    insta::assert_snapshot!("html", snapshot(Format::Html));
}
