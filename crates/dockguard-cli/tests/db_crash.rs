//! Killing `db import` / `db update` at arbitrary points must never leave an unusable
//! database: afterwards `db status` and `db query` work and show either the old or the new data.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn dockguard(args: &[&str], db: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockguard"))
        .args(args)
        .arg("--db-dir")
        .arg(db)
        .output()
        .expect("dockguard runs")
}

/// The ecosystems `db status --format json` lists, or a failure message.
fn ecosystems(db: &Path) -> Result<Vec<(String, u64)>, String> {
    let out = dockguard(&["db", "status", "--format", "json"], db);
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("status output: {e}"))?;
    Ok(v.as_array()
        .ok_or("status is not a list")?
        .iter()
        .map(|s| {
            (
                s["ecosystem"].as_str().unwrap_or("").to_string(),
                s["records"].as_u64().unwrap_or(0),
            )
        })
        .collect())
}

fn query(db: &Path) -> Result<String, String> {
    let out = dockguard(
        &[
            "db",
            "query",
            "Debian:12",
            "openssl",
            "3.0.11-1~deb12u2",
            "--format",
            "json",
        ],
        db,
    );
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A small xorshift generator seeded from the clock: each run kills at other points, and the
/// seed is printed so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn killed_imports_and_updates_leave_a_usable_database() {
    let osv = dockguard_testkit::require_fixture!("osv");
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");

    // Old state: Debian only.
    let out = dockguard(&["db", "import", osv.join("Debian").to_str().unwrap()], &db);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let old = ecosystems(&db).unwrap();
    let old_query = query(&db).unwrap();
    assert_eq!(old.len(), 1);

    // How long a full import takes here, to spread the kill points over it.
    let probe = tmp.path().join("probe");
    let start = Instant::now();
    let out = dockguard(&["db", "import", osv.to_str().unwrap()], &probe);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let full = start.elapsed();
    let new = ecosystems(&probe).unwrap();
    assert_eq!(new.len(), 8);

    let seed = std::env::var("DB_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
                | 1
        });
    eprintln!("seed {seed} (DB_CRASH_SEED to replay); full import takes {full:?}");
    let mut rng = Rng(seed);
    let mirror = format!("file://{}", osv.display());
    let mut killed = 0;
    for round in 0..10 {
        let delay = Duration::from_millis(rng.next() % (full.as_millis() as u64 * 4 / 5).max(1));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dockguard"));
        if round % 2 == 0 {
            cmd.args(["db", "import", osv.to_str().unwrap()]);
        } else {
            cmd.args([
                "db", "update", "--mirror", &mirror, "Debian", "Alpine", "Go", "Maven", "npm",
            ]);
        }
        let mut child = cmd
            .arg("--db-dir")
            .arg(&db)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            child.kill().unwrap();
            killed += 1;
        }
        let _ = child.wait();

        let now = ecosystems(&db).unwrap_or_else(|e| panic!("round {round}: status fails: {e}"));
        let q = query(&db).unwrap_or_else(|e| panic!("round {round}: query fails: {e}"));
        // Debian's data is the same in every state, so the answer must not change.
        assert_eq!(q, old_query, "round {round}");
        // Every ecosystem shows either nothing new, the complete old or the complete new data.
        for (eco, records) in &now {
            let candidates: Vec<u64> = old
                .iter()
                .chain(&new)
                .filter(|(e, _)| e == eco)
                .map(|(_, r)| *r)
                .collect();
            assert!(
                candidates.contains(records),
                "round {round}: {eco} has {records} records, expected one of {candidates:?}"
            );
        }
    }
    eprintln!("{killed} of 10 runs killed mid-way");
    assert!(
        killed >= 3,
        "kill points all fell after completion; import too fast to test?"
    );

    // A final uninterrupted import brings the new state.
    let out = dockguard(&["db", "import", osv.to_str().unwrap()], &db);
    assert!(out.status.success());
    assert_eq!(ecosystems(&db).unwrap(), new);
    // No stray downloads or temporary files left beside the database.
    for e in std::fs::read_dir(&db).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(
            name.starts_with("osv.sqlite3") || !name.starts_with(".download-"),
            "left behind: {name}"
        );
    }
}
