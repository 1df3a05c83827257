//! Measures the numbers `bench/vulndb.sh` reports: import time, database size, open time and
//! matching time for an inventory.
//!
//! `vulndb_bench import OSV_DIR DB_DIR`, `vulndb_bench inventory OSV_DIR N OUT.tsv` (N
//! packages: three quarters named by advisories, each at the first fixed version of one of
//! its advisories, so most are still affected by others; the rest unknown) and `vulndb_bench match DB_DIR INVENTORY.tsv`, where each inventory line is
//! `ecosystem<TAB>name<TAB>version`.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

fn inventory(osv: &Path, size: usize) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(osv)?
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let zip = dir.join("all.zip");
        if !zip.is_file() {
            continue;
        }
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip)?)?;
        for i in 0..archive.len() {
            let mut text = String::new();
            archive.by_index(i)?.read_to_string(&mut text)?;
            let v: serde_json::Value = serde_json::from_str(&text)?;
            for a in v["affected"].as_array().into_iter().flatten() {
                let eco = a["package"]["ecosystem"].as_str().unwrap_or("");
                let name = a["package"]["name"].as_str().unwrap_or("");
                if !seen.insert((eco.to_string(), name.to_string())) {
                    continue;
                }
                let version = a["ranges"][0]["events"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find_map(|e| e["fixed"].as_str())
                    .unwrap_or("1.0.0");
                out.push((eco.to_string(), name.to_string(), version.to_string()));
            }
        }
    }
    // Spread ecosystems over the list, then keep three quarters of the requested size.
    out.sort_by_key(|(e, n, _)| (n.len() * 31 + e.len()) % 97);
    out.truncate(size * 3 / 4);
    let mut lines: Vec<String> = out
        .into_iter()
        .map(|(e, n, v)| format!("{e}\t{n}\t{v}"))
        .collect();
    let mut i = 0;
    while lines.len() < size {
        lines.push(format!("Debian:12\tlibunknown{i}\t1.0-1"));
        i += 1;
    }
    Ok(lines)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("import") if args.len() == 4 => {
            let t = Instant::now();
            let stats = dockguard_vulndb::import(args[3].as_ref(), args[2].as_ref())?;
            println!(
                "import_seconds={:.3} records={} withdrawn={}",
                t.elapsed().as_secs_f64(),
                stats.records,
                stats.withdrawn
            );
        }
        Some("inventory") if args.len() == 5 => {
            let lines = inventory(args[2].as_ref(), args[3].parse()?)?;
            std::fs::write(&args[4], lines.join("\n") + "\n")?;
        }
        Some("match") if args.len() == 4 => {
            let t = Instant::now();
            let db = dockguard_vulndb::Database::open(args[2].as_ref())?;
            let open = t.elapsed();
            let text = std::fs::read_to_string(&args[3])?;
            let owned: Vec<Vec<&str>> = text
                .lines()
                .map(|l| l.split('\t').collect::<Vec<_>>())
                .filter(|f| f.len() == 3)
                .collect();
            let batch: Vec<(&str, &str, &str)> = owned.iter().map(|f| (f[0], f[1], f[2])).collect();
            let runs = 5;
            let mut best = f64::MAX;
            let mut affected = 0;
            for _ in 0..runs {
                let t = Instant::now();
                let out = db.match_packages(&batch)?;
                best = best.min(t.elapsed().as_secs_f64());
                affected = out.iter().filter(|r| !r.is_empty()).count();
            }
            println!(
                "open_ms={:.3} packages={} affected={affected} match_ms_best_of_{runs}={:.1}",
                open.as_secs_f64() * 1000.0,
                batch.len(),
                best * 1000.0
            );
        }
        _ => {
            eprintln!(
                "usage: vulndb_bench import OSV_DIR DB_DIR | inventory OSV_DIR N OUT.tsv | \
                 match DB_DIR INVENTORY.tsv"
            );
            std::process::exit(2);
        }
    }
    Ok(())
}
