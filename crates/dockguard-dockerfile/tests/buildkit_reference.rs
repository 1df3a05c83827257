//! Our parse of every Dockerfile in the shared fixtures equals BuildKit's reference parse
//! (`expected/dockerfiles.parse.json.zip`): instruction words, line spans, flags, arguments,
//! JSON form and heredocs.

use dockguard_dockerfile::{parse_bytes, Keyword};
use dockguard_testkit::require_fixture;
use serde_json::{json, Value};
use std::io::Read;

fn reference() -> Option<serde_json::Map<String, Value>> {
    let path = dockguard_testkit::fixture("expected/dockerfiles.parse.json.zip")?;
    let file = std::fs::File::open(&path).expect("open reference zip");
    let mut archive = zip::ZipArchive::new(file).expect("read reference zip");
    let mut all = serde_json::Map::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        if !entry
            .name()
            .map(|n| n.ends_with(".parse.json"))
            .unwrap_or(false)
        {
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        all.extend(value.as_object().unwrap().clone());
    }
    Some(all)
}

fn our_parse(bytes: &[u8]) -> Value {
    match parse_bytes(bytes) {
        Err(e) => json!({"ok": false, "error": e.message}),
        Ok(df) => {
            let rows: Vec<Value> = df
                .instructions
                .iter()
                .map(|i| {
                    // The reference flattens ONBUILD to its sub-instruction's arguments and
                    // gives unknown instructions one empty value.
                    let (flags, args, json) = match (&i.sub, i.keyword) {
                        (Some(sub), _) => (&sub.flags, sub.args.clone(), false),
                        (None, Keyword::Unknown) => (&i.flags, vec![String::new()], i.json),
                        (None, _) => (&i.flags, i.args.clone(), i.json),
                    };
                    let flags: Vec<&str> = flags.iter().map(|f| f.raw.as_str()).collect();
                    let heredocs: Vec<Value> = i
                        .heredocs
                        .iter()
                        .map(|h| json!([h.name, h.content]))
                        .collect();
                    json!([
                        i.keyword_text,
                        i.start_line,
                        i.end_line,
                        flags,
                        args,
                        json,
                        heredocs
                    ])
                })
                .collect();
            json!({"ok": true, "instructions": rows})
        }
    }
}

#[test]
fn every_fixture_dockerfile_matches_buildkit() {
    let dir = require_fixture!("dockerfiles");
    let Some(reference) = reference() else { return };
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for (name, expected) in &reference {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ours = our_parse(&bytes);
        checked += 1;
        if expected["ok"] == false {
            if ours["ok"] != false {
                mismatches.push(format!("{name}: BuildKit rejects it, we accept it"));
            }
            continue;
        }
        let (Some(exp), Some(got)) = (
            expected["instructions"].as_array(),
            ours["instructions"].as_array(),
        ) else {
            mismatches.push(format!("{name}: we reject it: {}", ours["error"]));
            continue;
        };
        if exp.len() != got.len() {
            mismatches.push(format!(
                "{name}: {} instructions, BuildKit has {}",
                got.len(),
                exp.len()
            ));
        }
        for (e, g) in exp.iter().zip(got) {
            if e != g {
                mismatches.push(format!("{name}:\n  buildkit {e}\n  ours     {g}"));
            }
        }
    }
    assert!(checked >= 35, "only {checked} reference files");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
