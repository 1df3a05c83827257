//! Throughput of the secret engine on real text, single-threaded (MB/s per core).
//!
//!   secrets-bench bench SOURCE [MIN_MB] [RUNS]   corpus = every text file of SOURCE (an image
//!                                               or dir:), repeated up to MIN_MB (default 512)
//!   secrets-bench scan SOURCE                   print the findings (development aid)
//!   secrets-bench json SOURCE                   the findings as a JSON array
//!
//! The timed part is `Scanner::scan_bytes` over every corpus file, as the layer analyzer calls
//! it; reading and decompressing the image is not included (that is the image reader's cost).

use dockguard_image::{FileAnalyzer, FileContent, FileEntry, Interest, ScanOptions};
use dockguard_secrets::{Scanner, SecretOptions};
use std::sync::Mutex;
use std::time::Instant;

struct Collect {
    interest: Interest,
    files: Mutex<Vec<(String, Vec<u8>)>>,
}

impl FileAnalyzer for Collect {
    fn name(&self) -> &str {
        "collect"
    }
    fn version(&self) -> &str {
        "1"
    }
    fn interest(&self) -> &Interest {
        &self.interest
    }
    fn analyze(&self, file: &FileEntry, c: FileContent<'_>) -> Option<serde_json::Value> {
        let head = &c.data[..c.data.len().min(8192)];
        if !c.data.is_empty() && !head.contains(&0) {
            if let Ok(mut f) = self.files.lock() {
                f.push((file.path.clone(), c.data.to_vec()));
            }
        }
        None
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage =
        "usage: secrets-bench bench SOURCE [MIN_MB] [RUNS] | secrets-bench scan|json SOURCE";
    if args.len() < 3 {
        eprintln!("{usage}");
        std::process::exit(2);
    }
    let image = match dockguard_image::open(&args[2], &Default::default()) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    match args[1].as_str() {
        "json" => match dockguard_secrets::scan_image(&image, &SecretOptions::default()) {
            Ok(found) => println!(
                "{}",
                serde_json::to_string_pretty(&found).unwrap_or_default()
            ),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        },
        "scan" => match dockguard_secrets::scan_image(&image, &SecretOptions::default()) {
            Ok(found) => {
                for f in found {
                    println!(
                        "{:<28} {:<8} L{:<3} {}:{} {}",
                        f.id,
                        f.severity,
                        f.location.layer_index.map_or("-".into(), |l| l.to_string()),
                        f.location.path.as_deref().unwrap_or(""),
                        f.location.line.unwrap_or(0),
                        f.message
                    );
                }
            }
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        },
        "bench" => {
            let min_mb: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(512);
            let runs: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(3);
            let c = Collect {
                interest: Interest::all_files().max_size(dockguard_secrets::DEFAULT_MAX_FILE_SIZE),
                files: Mutex::new(Vec::new()),
            };
            if let Err(e) = image.scan(&[&c], &ScanOptions::default()) {
                eprintln!("{e}");
                std::process::exit(2);
            }
            let files = c.files.into_inner().unwrap_or_default();
            let unique: usize = files.iter().map(|(_, d)| d.len()).sum();
            if unique == 0 {
                eprintln!("no text files in {}", args[2]);
                std::process::exit(2);
            }
            let copies = (min_mb << 20).div_ceil(unique).max(1);
            let mut so = SecretOptions::default();
            if let Ok(d) = std::env::var("BENCH_DISABLE") {
                so.disabled_rules = d.split(',').map(str::to_string).collect();
            }
            let scanner = Scanner::new(&so);
            let total = unique * copies;
            let mut best = f64::MAX;
            let mut best_cpu = f64::MAX;
            let mut found = 0;
            for _ in 0..runs {
                let t = Instant::now();
                let c = thread_cpu_seconds();
                found = 0;
                for _ in 0..copies {
                    for (p, d) in &files {
                        found += scanner.scan_bytes(p, d).len();
                    }
                }
                best = best.min(t.elapsed().as_secs_f64());
                best_cpu = best_cpu.min(thread_cpu_seconds() - c);
            }
            let t = Instant::now();
            let cpu0 = thread_cpu_seconds();
            let mut hits = 0;
            for (p, d) in &files {
                hits += scanner.keyword_hits(p, d);
            }
            let pre = t.elapsed().as_secs_f64();
            println!(
                "prefilter only: {:.0} MB/s wall, {:.0} MB/s cpu; {hits} keyword hits ({:.1} per 100 KB)",
                unique as f64 / 1e6 / pre,
                unique as f64 / 1e6 / (thread_cpu_seconds() - cpu0).max(1e-9),
                hits as f64 * 1e5 / unique as f64
            );
            if std::env::var("BENCH_FP").is_ok() {
                let mut counts = std::collections::BTreeMap::new();
                for (p, d) in &files {
                    scanner.fingerprint_counts(p, d, &mut counts);
                }
                let mut v: Vec<_> = counts.into_iter().collect();
                v.sort_by_key(|b| std::cmp::Reverse(b.1));
                println!("fingerprint hits: {}", v.iter().map(|x| x.1).sum::<usize>());
                for (k, n) in v.iter().take(20) {
                    println!("  {k:?} {n}");
                }
            }
            let mbs = total as f64 / 1e6 / best;
            println!(
                "corpus: {} text files, {:.1} MB unique, x{copies} = {:.1} MB; matches per pass: {found}",
                files.len(),
                unique as f64 / 1e6,
                total as f64 / 1e6
            );
            println!(
                "secret scan: {:.3} s, {:.0} MB/s wall-clock on one thread (best of {runs})",
                best, mbs
            );
            if best_cpu > 0.0 {
                println!(
                    "secret scan: {:.3} s CPU, {:.0} MB/s per core (CPU time of the scanning thread)",
                    best_cpu,
                    total as f64 / 1e6 / best_cpu
                );
            }
        }
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    }
}

/// CPU time of this thread (user + system), from procfs; 0 where unavailable. Wall-clock time
/// on a shared machine also counts time other processes held the core.
fn thread_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/thread-self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may contain spaces) start after the last ')'.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| f.get(i).and_then(|v| v.parse::<f64>().ok()))
        .sum();
    ticks / 100.0
}
