//! `hostile-images generate DIR [--test-scale]`: writes every hostile case under DIR and prints
//! `NAME<TAB>EXPECT<TAB>SOURCE` lines. `hostile-images scan SOURCE`: opens and scans one image,
//! printing a summary or the error (exit 2). `scripts/hostile-images.sh` drives both.

#[path = "../tests/support/mod.rs"]
mod support;

use support::hostile::{cases, Expect, Scale};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("generate") if args.len() >= 2 => {
            let dir = std::path::Path::new(&args[1]);
            let scale = if args.iter().any(|a| a == "--test-scale") {
                Scale::test()
            } else {
                Scale::full()
            };
            for c in cases() {
                let src = (c.build)(&dir.join(c.name), scale);
                let expect = match c.expect {
                    Expect::Ok => "ok".to_string(),
                    Expect::Err(parts) => format!("error:{}", parts.join("|")),
                };
                println!("{}\t{}\t{}", c.name, expect, src);
            }
        }
        Some("scan") if args.len() == 2 => {
            let image = dockguard_image::open(&args[1], &Default::default());
            let result = image.and_then(|i| i.scan(&[], &Default::default()));
            match result {
                Ok(s) => {
                    let files = s.fs.merged().count();
                    println!(
                        "ok: {} layers, {files} paths in the merged view",
                        s.layers.len()
                    );
                }
                Err(e) => {
                    println!("error: {e}");
                    std::process::exit(2);
                }
            }
        }
        _ => {
            eprintln!(
                "usage: hostile-images generate DIR [--test-scale] | hostile-images scan SOURCE"
            );
            std::process::exit(64);
        }
    }
}
