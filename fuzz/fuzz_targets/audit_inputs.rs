//! Arbitrary text as a runtime configuration: Kubernetes manifest, Compose file, `docker run`
//! command lines (also as argument words), daemon.json or `docker inspect` output. The file
//! name steers detection, so each input is read under a neutral, a YAML and a JSON name.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in ["fuzz", "fuzz.yaml", "fuzz.json", "compose.yml"] {
        let _ = dockguard_audit::detect_kind(name, text);
        // No directory: Compose `extends.file` must not be read from the fuzzing machine.
        let _ = dockguard_audit::audit_text(name, text, None);
    }
    let words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    let _ = dockguard_audit::audit_docker_run(&words, "fuzz");
});
