//! Every cataloger on truncated and bit-flipped copies of every pkgdb fixture: errors are fine,
//! panics are not. Also nested Java archives and their bounds.

use dockguard_catalog::{catalogers, java, Cataloger, Mode};
use dockguard_testkit::require_fixture;
use std::io::Write;
use std::path::Path;

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn no_cataloger_panics_on_damaged_input() {
    let dir = require_fixture!("pkgdb");
    let mut all = Vec::new();
    files(&dir, &mut all);
    all.sort();
    let cats = catalogers(Mode::Dir);
    for f in &all {
        let data = std::fs::read(f).unwrap();
        // Shorten large databases so the test stays fast; the tails are covered by the cuts.
        let data = &data[..data.len().min(256 << 10)];
        let mut variants: Vec<Vec<u8>> = [
            0,
            1,
            7,
            data.len() / 3,
            data.len() / 2,
            data.len().saturating_sub(1),
        ]
        .iter()
        .map(|&c| data[..c.min(data.len())].to_vec())
        .collect();
        let mut flipped = data.to_vec();
        for i in (0..flipped.len()).step_by(61) {
            flipped[i] ^= 0x5a;
        }
        variants.push(flipped);
        for c in &cats {
            for v in &variants {
                let _ = c.parse("var/lib/dpkg/status", v);
            }
        }
    }
}

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn nested_archives_are_read_to_a_bounded_depth() {
    let pom = |a: &str| format!("groupId=org.example\nartifactId={a}\nversion=1.2.3\n");
    let inner = zip_with(&[(
        "META-INF/maven/org.example/inner/pom.properties",
        pom("inner").as_bytes(),
    )]);
    let war = zip_with(&[
        (
            "META-INF/maven/org.example/app/pom.properties",
            pom("app").as_bytes(),
        ),
        ("WEB-INF/lib/inner-1.2.3.jar", &inner),
    ]);
    let pkgs = java::JavaCataloger.parse("srv/app.war", &war).unwrap();
    let got: Vec<_> = pkgs
        .iter()
        .map(|p| (p.name.as_str(), p.locations[0].path.as_deref().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("org.example:app", "/srv/app.war"),
            (
                "org.example:inner",
                "/srv/app.war:WEB-INF/lib/inner-1.2.3.jar"
            ),
        ]
    );
    // Beyond the depth limit, nested archives are ignored rather than recursed into forever.
    let mut deep = inner.clone();
    for i in 0..6 {
        deep = zip_with(&[(&format!("lib/level{i}.jar"), &deep)]);
    }
    let pkgs = java::JavaCataloger.parse("deep.jar", &deep).unwrap();
    assert!(pkgs.iter().all(|p| p.name != "org.example:inner"));
    // No pom.properties: a versioned file name gives a package, unmatchable without groupId.
    let bare = zip_with(&[("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n")]);
    let pkgs = java::JavaCataloger
        .parse("usr/share/java/foo-2.0.jar", &bare)
        .unwrap();
    assert_eq!(
        (pkgs[0].name.as_str(), pkgs[0].version.as_str()),
        ("foo", "2.0")
    );
    assert!(pkgs[0].unmatchable.is_some());
    assert!(java::JavaCataloger
        .parse("usr/share/java/foo.jar", &bare)
        .unwrap()
        .is_empty());
}
