//! Times the parts of a vulnerability scan: database open, cataloguing, matching.
//!
//! `cargo run --release -p dockguard-scan --example match_timing -- DB_DIR IMAGE [OSV_DATA]`
//!
//! With OSV_DATA, it is first imported into DB_DIR and the import is timed too.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(db_dir), Some(target)) = (args.next(), args.next()) else {
        eprintln!("usage: match_timing DB_DIR IMAGE");
        std::process::exit(2);
    };
    if let Some(osv) = args.next() {
        let t = Instant::now();
        let stats =
            dockguard_vulndb::import(std::path::Path::new(&db_dir), std::path::Path::new(&osv))?;
        let size: u64 = std::fs::read_dir(&db_dir)?
            .filter_map(|e| e.ok()?.metadata().ok())
            .map(|m| m.len())
            .sum();
        println!(
            "import {} records: {:.2} s, database {:.1} MB",
            stats.records,
            t.elapsed().as_secs_f64(),
            size as f64 / 1e6
        );
    }
    let t = Instant::now();
    let db = dockguard_vulndb::Database::open(std::path::Path::new(&db_dir))?;
    let open = t.elapsed();
    let t = Instant::now();
    let image = dockguard_image::open(&target, &Default::default())?;
    let inventory = dockguard_catalog::image::catalog_image(&image, Default::default())?;
    let catalog = t.elapsed();
    let mut best = std::time::Duration::MAX;
    let mut findings = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let m = dockguard_scan::match_inventory(&db, &inventory, &Default::default())?;
        best = best.min(t.elapsed());
        findings = m.findings.len();
    }
    println!(
        "open {:.2} ms, catalogue {:.0} ms, match {} packages -> {} findings: {:.1} ms (best of 5)",
        open.as_secs_f64() * 1e3,
        catalog.as_secs_f64() * 1e3,
        inventory.packages.len(),
        findings,
        best.as_secs_f64() * 1e3
    );
    Ok(())
}
