//! The HTML report of the debian12-app fixture renders in headless Chromium: a screenshot is
//! taken and the rendered DOM holds the summary, the chart and the findings tables.
//! Skipped when Chromium is not installed, unless CI=true.

use std::path::Path;
use std::process::Command;

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

fn headless(browser: &str, profile: &Path, extra: &[&str], url: &str) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("run chromium")
}

#[test]
fn debian12_app_html_report_renders_in_chromium() {
    let image = dockguard_testkit::require_fixture!("images/debian12-app");
    let osv = dockguard_testkit::require_fixture!("osv");
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "chromium is required under CI=true"
        );
        eprintln!("skipped: chromium is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_dockguard"))
        .args(["scan", "-f", "html", "-o"])
        .arg(&html)
        .arg("--osv-data")
        .arg(&osv)
        .arg(format!("oci-dir:{}:1.3.0", image.display()))
        .env_remove("DOCKGUARD_FORMAT")
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(!text.contains("http-equiv=\"refresh\""));
    let url = format!("file://{}", html.display());

    let shot = dir.path().join("shot.png");
    let out = headless(
        browser,
        &dir.path().join("profile-1"),
        &[&format!("--screenshot={}", shot.display())],
        &url,
    );
    let png = std::fs::read(&shot).unwrap_or_else(|e| {
        panic!(
            "no screenshot ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    // A blank 1280x2000 page compresses to a few kilobytes; a rendered report is far larger.
    assert!(
        png.len() > 50_000,
        "screenshot too small: {} bytes",
        png.len()
    );

    let out = headless(
        browser,
        &dir.path().join("profile-2"),
        &["--dump-dom"],
        &url,
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(dom.contains("id=\"summary\""), "no summary in the DOM");
    assert!(dom.contains("id=\"chart\""), "no severity chart");
    assert!(
        dom.contains("<table class=\"findings\">"),
        "no findings table"
    );
    let rows = dom.matches("<tr class=\"finding\"").count();
    assert!(rows > 300, "{rows} finding rows");
    assert!(dom.contains("Layer 0 ("), "findings are grouped by layer");
    assert!(
        dom.contains("data-kind=\"secret\""),
        "secrets are listed too"
    );
}
