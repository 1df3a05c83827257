//! Prints the inventory of a directory as JSON: `cargo run -p dockguard-catalog --example
//! catalog_dir -- DIR [image]`.

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: catalog_dir DIR [image]");
        std::process::exit(2);
    };
    let mode = if args.next().as_deref() == Some("image") {
        dockguard_catalog::Mode::Image
    } else {
        dockguard_catalog::Mode::Dir
    };
    let opts = dockguard_catalog::DirOptions {
        mode,
        ..Default::default()
    };
    let inv = dockguard_catalog::catalog_dir_with(std::path::Path::new(&dir), &opts);
    println!("{}", serde_json::to_string_pretty(&inv).unwrap_or_default());
}
