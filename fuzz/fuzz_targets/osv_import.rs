//! Arbitrary bytes as one OSV record file (or, with zip magic, a zip of records) through the
//! real import path into a SQLite database, then matched for every package and version it
//! names.
//!
//! Import only takes paths, so the input is written to `x.json` in a scratch directory. The
//! database is opened once and kept: a loose-file import replaces every bucket its records
//! name, so what the queries below see comes from this input alone.
#![no_main]

use dockguard_vulndb::Database;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

struct Scratch {
    input: PathBuf,
    db: Database,
}

fn scratch() -> &'static Scratch {
    static S: OnceLock<Scratch> = OnceLock::new();
    S.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dockguard-fuzz-osv-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        let db = Database::open_or_create(&dir.join("db")).expect("empty database");
        Scratch {
            input: dir.join("x.json"),
            db,
        }
    })
}

/// (ecosystem, name, version) for every package and every version or event the record lists;
/// the import itself must not rely on any of this being well-formed.
fn queries(data: &[u8]) -> Vec<(String, String, String)> {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return Vec::new();
    };
    let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
    let mut out = Vec::new();
    for a in v["affected"].as_array().into_iter().flatten().take(8) {
        let (Some(eco), Some(name)) = (
            text(&a["package"]["ecosystem"]),
            text(&a["package"]["name"]),
        ) else {
            continue;
        };
        let mut versions: Vec<String> = a["versions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(text)
            .collect();
        for r in a["ranges"].as_array().into_iter().flatten() {
            for e in r["events"].as_array().into_iter().flatten() {
                if let Some(o) = e.as_object() {
                    versions.extend(o.values().filter_map(text));
                }
            }
        }
        versions.push("0".to_string());
        for ver in versions.into_iter().take(16) {
            out.push((eco.clone(), name.clone(), ver));
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let s = scratch();
    std::fs::write(&s.input, data).expect("write scratch input");
    if s.db.import(&s.input).is_err() {
        return;
    }
    let q = queries(data);
    let triples: Vec<(&str, &str, &str)> = q
        .iter()
        .map(|(e, n, v)| (e.as_str(), n.as_str(), v.as_str()))
        .collect();
    let _ = s.db.match_packages(&triples);
    let _ = s.db.status();
});
