//! `profile apparmor`: an AppArmor profile for an image's entrypoint, in the syntax Debian's
//! `apparmor_parser` (3.x) accepts.
//!
//! What the profile allows is derived from the image, not from a run: the command Docker would
//! start (ENTRYPOINT + CMD, looked up on the image's `PATH` and resolved through symlinks inside
//! the image root, as AppArmor sees the real path), its `#!` interpreter, the commands a
//! `sh -c` string names, and for each ELF file its program interpreter and `DT_NEEDED`
//! libraries (searched in the usual library directories and its RUNPATH). Only those may be
//! executed. Everything may be read; only declared volumes, WORKDIR and the temp directories
//! may be written. Mount, ptrace, raw and packet sockets and writes to kernel tunables are
//! denied.

use dockguard_image::{
    AnalyzerOutput, FileAnalyzer, FileContent, FileEntry, FileKind, Filesystem, Image, ImageConfig,
    Interest, ScanOptions,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// ELF files larger than this are not parsed for their libraries; the generic library rule
/// still covers them.
const MAX_ELF_BYTES: u64 = 256 * 1024 * 1024;
/// Bound on the executables and libraries followed from the entrypoint.
const MAX_CLOSURE: usize = 4096;

const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Where the dynamic loader looks when nothing else says (Debian multiarch, RHEL lib64, musl).
const LIBRARY_DIRS: &[&str] = &[
    "/lib/x86_64-linux-gnu",
    "/usr/lib/x86_64-linux-gnu",
    "/lib/aarch64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/lib64",
    "/usr/lib64",
    "/lib",
    "/usr/lib",
    "/usr/local/lib",
];

/// Capabilities Docker grants by default, as AppArmor names them, minus `net_raw` (raw
/// sockets are denied) and `mknod` (no device nodes in an application container).
const ROOT_CAPABILITIES: &[&str] = &[
    "chown",
    "dac_override",
    "fowner",
    "fsetid",
    "kill",
    "setgid",
    "setuid",
    "setpcap",
    "net_bind_service",
    "sys_chroot",
    "audit_write",
    "setfcap",
];

#[derive(Debug, thiserror::Error)]
pub enum AppArmorError {
    #[error("{0}")]
    Image(#[from] dockguard_image::Error),
    #[error("invalid profile name {0:?}: use letters, digits, '.', '_' and '-'")]
    InvalidName(String),
}

/// A generated profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppArmorProfile {
    pub name: String,
    /// The profile text, ready for `apparmor_parser`.
    pub text: String,
    /// Real paths inside the image that the profile lets the container execute.
    pub executables: Vec<String>,
    /// Things the generator could not resolve (the profile is still valid, but may be too
    /// strict for them).
    pub warnings: Vec<String>,
}

/// What the scan learned about one ELF file or script.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecInfo {
    /// `PT_INTERP`, e.g. `/lib64/ld-linux-x86-64.so.2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreter: Option<String>,
    /// `DT_NEEDED` names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needed: Vec<String>,
    /// `DT_RUNPATH`/`DT_RPATH` directories, `$ORIGIN` already expanded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runpath: Vec<String>,
    /// A script's `#!` line split into words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shebang: Vec<String>,
    /// The ELF file could not be fully read (too large or malformed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub incomplete: bool,
}

/// The analyzer that reads ELF headers and `#!` lines during the image scan.
struct ExecAnalyzer {
    interest: Interest,
}

impl ExecAnalyzer {
    fn new() -> ExecAnalyzer {
        ExecAnalyzer {
            interest: Interest::default()
                .with_executables()
                .with_magic(b"\x7fELF")
                .with_magic(b"#!")
                .max_size(MAX_ELF_BYTES),
        }
    }
}

impl FileAnalyzer for ExecAnalyzer {
    fn name(&self) -> &str {
        "apparmor-exec"
    }
    fn version(&self) -> &str {
        "1"
    }
    fn interest(&self) -> &Interest {
        &self.interest
    }
    fn analyze(&self, file: &FileEntry, content: FileContent<'_>) -> Option<serde_json::Value> {
        let info = exec_info(&file.path, content.data, content.truncated)?;
        serde_json::to_value(info).ok()
    }
}

/// Reads what [`ExecInfo`] holds from a file's content; `None` for anything that is neither an
/// ELF file nor a script.
pub fn exec_info(path: &str, data: &[u8], truncated: bool) -> Option<ExecInfo> {
    if let Some(rest) = data.strip_prefix(b"#!") {
        let line = rest.split(|&b| b == b'\n').next().unwrap_or(&[]);
        let line = &line[..line.len().min(256)];
        let shebang: Vec<String> = String::from_utf8_lossy(line)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        return Some(ExecInfo {
            shebang,
            ..ExecInfo::default()
        });
    }
    if !data.starts_with(b"\x7fELF") {
        return None;
    }
    let mut info = elf_info(path, data).unwrap_or(ExecInfo {
        incomplete: true,
        ..ExecInfo::default()
    });
    info.incomplete |= truncated;
    Some(info)
}

fn elf_info(path: &str, data: &[u8]) -> Option<ExecInfo> {
    use object::read::elf::{ElfFile, FileHeader, ProgramHeader};
    fn read<Elf: FileHeader<Endian = object::Endianness>>(
        path: &str,
        data: &[u8],
    ) -> Option<ExecInfo> {
        let file = ElfFile::<Elf>::parse(data).ok()?;
        let endian = file.endian();
        let mut info = ExecInfo::default();
        for ph in file.elf_program_headers() {
            if let Ok(Some(interp)) = ph.interpreter(endian, data) {
                info.interpreter = Some(String::from_utf8_lossy(interp).into_owned());
            }
        }
        let table = file.elf_section_table().dynamic_table(endian, data).ok()?;
        let origin = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        for d in &table {
            let Ok(s) = table.string(d) else { continue };
            let s = String::from_utf8_lossy(s).into_owned();
            if d.tag == object::elf::DT_NEEDED {
                info.needed.push(s);
            } else if d.tag == object::elf::DT_RUNPATH || d.tag == object::elf::DT_RPATH {
                for dir in s.split(':').filter(|d| !d.is_empty()) {
                    let dir = dir.replace("${ORIGIN}", origin).replace("$ORIGIN", origin);
                    info.runpath.push(dir);
                }
            }
        }
        Some(info)
    }
    match data.get(4) {
        Some(1) => read::<object::elf::FileHeader32<object::Endianness>>(path, data),
        Some(2) => read::<object::elf::FileHeader64<object::Endianness>>(path, data),
        _ => None,
    }
}

/// Scans `image` and generates its profile. `name` defaults to `dockguard-` plus the image's
/// repository name.
pub fn profile_for_image(
    image: &Image,
    opts: &ScanOptions,
    name: Option<&str>,
) -> Result<AppArmorProfile, AppArmorError> {
    let analyzer = ExecAnalyzer::new();
    let scan = image.scan(&[&analyzer], opts)?;
    let infos = visible_infos(&scan.fs, scan.outputs(analyzer.name()));
    let name = match name {
        Some(n) => n.to_string(),
        None => default_name(image),
    };
    generate(&name, &image.source, &image.config, &scan.fs, &infos)
}

/// The analyzer results for the file versions the merged view shows.
fn visible_infos(fs: &Filesystem, outputs: &[AnalyzerOutput]) -> BTreeMap<String, ExecInfo> {
    outputs
        .iter()
        .filter(|o| fs.get(&o.path).map(|e| e.layer_index) == Some(o.layer_index))
        .filter_map(|o| {
            Some((
                o.path.clone(),
                serde_json::from_value(o.value.clone()).ok()?,
            ))
        })
        .collect()
}

fn default_name(image: &Image) -> String {
    // `registry/team/app:1.0` → `app`; a path source (`oci-dir:images/app:1.0`) → `app`. The
    // reference of a layout is only its tag, so it does not name the image.
    let from = match image.repo_tags.first() {
        Some(tag) => tag.clone(),
        None => {
            let s = image.source.as_str();
            s.split_once(':').map_or(s, |(_, rest)| rest).to_string()
        }
    };
    let base = from.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let base = base.split([':', '@']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let clean = clean.trim_matches(['-', '.']);
    if clean.is_empty() {
        "dockguard-container".into()
    } else {
        format!("dockguard-{clean}")
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && !name.starts_with(['-', '.'])
}

/// A path as an AppArmor path rule names it: quoted, with the characters AppArmor would read
/// as globbing, variables or escapes backslash-escaped. `None` for paths with control
/// characters, which no rule can spell.
fn quote(path: &str) -> Option<String> {
    if path.chars().any(char::is_control) {
        return None;
    }
    let mut out = String::from("\"");
    for c in path.chars() {
        if matches!(
            c,
            '*' | '?' | '[' | ']' | '{' | '}' | '^' | '\\' | '"' | '@'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    Some(out)
}

/// Normalises an absolute or WORKDIR-relative path: no `.`/`..`, no trailing `/`.
fn normalise(path: &str, cwd: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{path}", cwd.trim_end_matches('/'))
    };
    let mut parts: Vec<&str> = Vec::new();
    for c in joined.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

struct Resolver<'a> {
    fs: &'a Filesystem,
    infos: &'a BTreeMap<String, ExecInfo>,
    path_dirs: Vec<String>,
    cwd: String,
    exec: BTreeSet<String>,
    libs: BTreeSet<String>,
    warnings: Vec<String>,
    generic_libs: bool,
}

impl Resolver<'_> {
    /// The real path of an executable regular file at `path` (following symlinks in the image).
    fn real_file(&self, path: &str) -> Option<&FileEntry> {
        let mut e = self.fs.resolve(path)?;
        if e.kind == FileKind::HardLink {
            e = self.fs.resolve(e.link_target.as_deref()?)?;
        }
        (e.kind == FileKind::Regular).then_some(e)
    }

    /// Finds a command the way `execvp` would: a name with `/` relative to the working
    /// directory, otherwise the first executable match on `PATH`.
    fn lookup(&self, command: &str) -> Option<String> {
        if command.contains('/') {
            return self
                .real_file(&normalise(command, &self.cwd))
                .map(|e| e.path.clone());
        }
        self.path_dirs.iter().find_map(|dir| {
            let e = self.real_file(&normalise(command, dir))?;
            (e.mode & 0o111 != 0).then(|| e.path.clone())
        })
    }

    fn add_command(&mut self, argv: &[String], why: &str) {
        let Some(cmd) = argv.first() else { return };
        match self.lookup(cmd) {
            Some(real) => self.add_exec(&real, argv),
            None => self.warnings.push(format!(
                "{why} `{cmd}` is not an executable file in the image"
            )),
        }
    }

    fn add_exec(&mut self, real: &str, argv: &[String]) {
        if self.exec.len() + self.libs.len() >= MAX_CLOSURE || !self.exec.insert(real.into()) {
            return;
        }
        let info = self.infos.get(real).cloned().unwrap_or_default();
        if !info.shebang.is_empty() {
            let mut interp = info.shebang.clone();
            // `#!/usr/bin/env python3`: env runs the named program from PATH.
            if interp.first().is_some_and(|i| i.ends_with("/env")) {
                if let Some(prog) = interp.iter().skip(1).find(|a| !a.starts_with('-')) {
                    let prog = prog.clone();
                    self.add_command(&[prog], "the #! program of");
                }
            }
            interp.truncate(1);
            self.add_command(&interp, "the #! interpreter");
        }
        self.add_elf(real, &info);
        // `sh -c 'cmd1 && cmd2'`: the commands in the string run too.
        let base = real.rsplit('/').next().unwrap_or("");
        let shell = matches!(
            base,
            "sh" | "bash" | "dash" | "ash" | "busybox" | "zsh" | "ksh"
        );
        if shell {
            if let Some(i) = argv.iter().position(|a| a == "-c") {
                if let Some(script) = argv.get(i + 1) {
                    for word in script_commands(script) {
                        if !is_shell_builtin(&word) {
                            self.add_command(&[word], "the shell command");
                        }
                    }
                }
            }
        }
    }

    fn add_elf(&mut self, path: &str, info: &ExecInfo) {
        if info.incomplete {
            self.generic_libs = true;
            self.warnings.push(format!(
                "{path}: ELF file not fully readable; its libraries are not listed"
            ));
        }
        if let Some(interp) = &info.interpreter {
            match self.real_file(interp) {
                Some(e) => {
                    let p = e.path.clone();
                    self.add_lib(&p);
                }
                None => self.warnings.push(format!(
                    "{path}: program interpreter {interp} is not in the image"
                )),
            }
        }
        for needed in &info.needed {
            let found = if needed.contains('/') {
                self.real_file(needed).map(|e| e.path.clone())
            } else {
                info.runpath
                    .iter()
                    .map(String::as_str)
                    .chain(LIBRARY_DIRS.iter().copied())
                    .find_map(|d| {
                        self.real_file(&normalise(needed, d))
                            .map(|e| e.path.clone())
                    })
            };
            match found {
                Some(p) => self.add_lib(&p),
                None => {
                    self.generic_libs = true;
                    self.warnings
                        .push(format!("{path}: library {needed} not found in the image"));
                }
            }
        }
    }

    fn add_lib(&mut self, real: &str) {
        if self.exec.len() + self.libs.len() >= MAX_CLOSURE || !self.libs.insert(real.into()) {
            return;
        }
        let info = self.infos.get(real).cloned().unwrap_or_default();
        self.add_elf(real, &info);
    }
}

/// The words in command position of a shell string: first word of each simple command
/// (after `;`, `&&`, `||`, `|`, `&`, newlines), skipping `VAR=value` assignments and `exec`.
fn script_commands(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let spaced = script
        .replace("&&", " ; ")
        .replace("||", " ; ")
        .replace(['|', '&', '\n', '(', ')'], " ; ");
    for cmd in spaced.split(';') {
        let word = cmd.split_whitespace().find(|w| {
            let assignment = w.contains('=') && !w.starts_with('=');
            !assignment && !matches!(*w, "exec" | "then" | "do" | "else" | "!")
        });
        if let Some(w) = word {
            let w = w.trim_matches(['"', '\'']);
            if !w.is_empty() && !w.contains('$') && !w.contains('`') {
                out.push(w.to_string());
            }
        }
    }
    out
}

fn is_shell_builtin(word: &str) -> bool {
    matches!(
        word,
        "cd" | "echo"
            | "export"
            | "set"
            | "unset"
            | "test"
            | "["
            | "true"
            | "false"
            | "exit"
            | "if"
            | "fi"
            | "for"
            | "while"
            | "done"
            | "case"
            | "esac"
            | "trap"
            | "wait"
            | "read"
            | "shift"
            | "."
            | "source"
            | ":"
            | "umask"
            | "ulimit"
            | "printf"
    )
}

/// Builds the profile text for an image whose merged filesystem and ELF/script information are
/// already known.
pub fn generate(
    name: &str,
    source: &str,
    config: &ImageConfig,
    fs: &Filesystem,
    infos: &BTreeMap<String, ExecInfo>,
) -> Result<AppArmorProfile, AppArmorError> {
    if !valid_name(name) {
        return Err(AppArmorError::InvalidName(name.to_string()));
    }
    let env_path = config
        .env
        .iter()
        .rev()
        .find_map(|e| e.strip_prefix("PATH="))
        .unwrap_or(DEFAULT_PATH);
    let cwd = normalise(config.working_dir.as_deref().unwrap_or("/"), "/");
    let mut r = Resolver {
        fs,
        infos,
        path_dirs: env_path
            .split(':')
            .filter(|d| d.starts_with('/'))
            .map(|d| normalise(d, "/"))
            .collect(),
        cwd: cwd.clone(),
        exec: BTreeSet::new(),
        libs: BTreeSet::new(),
        warnings: Vec::new(),
        generic_libs: false,
    };
    // Docker appends CMD to ENTRYPOINT; without an entrypoint CMD is the command.
    let mut argv: Vec<String> = config.entrypoint.clone().unwrap_or_default();
    argv.extend(config.cmd.clone().unwrap_or_default());
    if argv.is_empty() {
        r.warnings
            .push("the image has neither ENTRYPOINT nor CMD; nothing may be executed".into());
    } else {
        r.add_command(&argv, "the entrypoint");
    }
    let root_user = config
        .user
        .as_deref()
        .map(|u| {
            let user = u.split(':').next().unwrap_or("");
            user.is_empty() || user == "0" || user == "root"
        })
        .unwrap_or(true);

    let mut writable: Vec<String> = Vec::new();
    let mut add_writable = |dir: &str, why: &str, warnings: &mut Vec<String>| {
        let dir = normalise(dir, "/");
        if dir == "/" {
            warnings.push(format!(
                "{why} is /; not made writable (it would allow every write)"
            ));
        } else if quote(&dir).is_none() {
            warnings.push(format!(
                "{why} {dir:?} has control characters; not made writable"
            ));
        } else if !writable.contains(&dir) {
            writable.push(dir);
        }
    };
    for v in &config.volumes {
        add_writable(v, "volume", &mut r.warnings);
    }
    // An unset WORKDIR is `/`: nothing was declared, so nothing to warn about.
    if cwd != "/" {
        add_writable(&cwd, "WORKDIR", &mut r.warnings);
    }

    let mut t = String::new();
    let line = |t: &mut String, s: &str| {
        t.push_str(s);
        t.push('\n');
    };
    // The source is a comment; keep it on one line whatever it holds.
    let shown_source: String = source.chars().filter(|c| !c.is_control()).collect();
    line(
        &mut t,
        &format!("# AppArmor profile for {shown_source}, generated by dockguard profile apparmor."),
    );
    line(
        &mut t,
        &format!(
            "# Load: apparmor_parser -r FILE; use: docker run --security-opt apparmor={name} …"
        ),
    );
    line(&mut t, "#include <tunables/global>");
    line(&mut t, "");
    line(
        &mut t,
        &format!("profile {name} flags=(attach_disconnected,mediate_deleted) {{"),
    );
    line(&mut t, "  #include <abstractions/base>");
    line(&mut t, "");
    line(
        &mut t,
        "  # Sockets: TCP/UDP (IPv4/6), unix and netlink; no raw or packet sockets.",
    );
    for n in [
        "network inet stream",
        "network inet6 stream",
        "network inet dgram",
        "network inet6 dgram",
        "network unix",
        "network netlink dgram",
        "deny network raw",
        "deny network packet",
    ] {
        line(&mut t, &format!("  {n},"));
    }
    line(&mut t, "");
    if root_user {
        line(
            &mut t,
            "  # Runs as root: Docker's default capabilities, without net_raw and mknod.",
        );
        for c in ROOT_CAPABILITIES {
            line(&mut t, &format!("  capability {c},"));
        }
    } else {
        line(&mut t, "  # Runs as a non-root user: no capabilities.");
    }
    line(&mut t, "");
    line(&mut t, "  deny mount,");
    line(&mut t, "  deny umount,");
    line(&mut t, "  deny pivot_root,");
    line(&mut t, "  deny ptrace,");
    line(&mut t, &format!("  signal (send, receive) peer={name},"));
    line(
        &mut t,
        "  # docker stop / kill come from the unconfined runtime.",
    );
    line(&mut t, "  signal (receive) peer=unconfined,");
    line(&mut t, "");
    line(
        &mut t,
        "  # Reading is allowed; writing only where listed below.",
    );
    line(&mut t, "  / r,");
    line(&mut t, "  /** r,");
    line(&mut t, "  /dev/null rw,");
    line(&mut t, "  /dev/zero rw,");
    line(&mut t, "  /dev/full rw,");
    line(&mut t, "  /dev/tty rw,");
    line(&mut t, "  /dev/pts/* rw,");
    line(&mut t, "  /dev/shm/** rwk,");
    line(&mut t, "  /tmp/** rwk,");
    line(&mut t, "  /var/tmp/** rwk,");
    line(&mut t, "  /run/** rwk,");
    if !writable.is_empty() {
        line(&mut t, "  # Declared volumes and WORKDIR.");
    }
    for dir in &writable {
        let q = quote(dir).unwrap_or_default();
        let q_all = quote(&format!("{dir}/")).unwrap_or_default();
        // `dir/**` must stay a glob: append it after quoting the literal part.
        let glob = format!("{}**\"", q_all.trim_end_matches('"'));
        line(&mut t, &format!("  {q} rw,"));
        line(&mut t, &format!("  {glob} rwk,"));
    }
    line(&mut t, "");
    line(
        &mut t,
        "  # Executables the entrypoint needs (real paths in the image).",
    );
    let mut executables = Vec::new();
    for p in &r.exec {
        if let Some(q) = quote(p) {
            line(&mut t, &format!("  {q} ix,"));
            executables.push(p.clone());
        }
    }
    line(
        &mut t,
        "  # Their program interpreters and shared libraries (DT_NEEDED).",
    );
    for p in &r.libs {
        if let Some(q) = quote(p) {
            line(&mut t, &format!("  {q} mr,"));
        }
    }
    line(
        &mut t,
        "  # Modules loaded with dlopen (NSS, language extensions) are mapped, not executed.",
    );
    line(&mut t, "  /{usr/,}lib{,32,64}/** mr,");
    line(&mut t, "  /usr/local/lib/** mr,");
    if r.generic_libs {
        line(
            &mut t,
            "  # Some libraries could not be resolved: any library in the image may be mapped.",
        );
        line(&mut t, "  /** m,");
    }
    line(&mut t, "");
    line(&mut t, "  # Kernel tunables and sensitive kernel files.");
    for d in [
        "deny @{PROC}/sys/** w",
        "deny @{PROC}/sysrq-trigger rwklx",
        "deny @{PROC}/kcore rwklx",
        "deny @{PROC}/kmsg rwklx",
        "deny @{PROC}/mem rwklx",
        "deny @{PROC}/*/mem rwklx",
        "deny /sys/** wklx",
        "deny /dev/mem rwklx",
        "deny /dev/kmem rwklx",
        "deny /dev/port rwklx",
    ] {
        line(&mut t, &format!("  {d},"));
    }
    line(&mut t, "}");
    Ok(AppArmorProfile {
        name: name.to_string(),
        text: t,
        executables,
        warnings: r.warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, kind: FileKind, mode: u32, link: Option<&str>) -> FileEntry {
        FileEntry {
            path: path.into(),
            kind,
            mode,
            uid: 0,
            gid: 0,
            size: 0,
            link_target: link.map(str::to_string),
            xattrs: Vec::new(),
            layer_index: 0,
        }
    }

    fn dir(path: &str) -> FileEntry {
        entry(path, FileKind::Directory, 0o755, None)
    }

    #[test]
    fn quoting_escapes_globs_and_variables() {
        assert_eq!(quote("/srv/a b").unwrap(), r#""/srv/a b""#);
        assert_eq!(quote("/x*{y}@z\"").unwrap(), r#""/x\*\{y\}\@z\"""#);
        assert!(quote("/a\nb").is_none());
    }

    #[test]
    fn shell_strings_name_their_commands() {
        assert_eq!(
            script_commands("FOO=1 exec nginx -g x && echo ok | tee /x; $X"),
            vec!["nginx", "echo", "tee"]
        );
    }

    #[test]
    fn names_are_validated() {
        assert!(valid_name("dockguard-app.1_x"));
        assert!(!valid_name("a b"));
        assert!(!valid_name("-x"));
        assert!(!valid_name(""));
    }

    #[test]
    fn entrypoint_script_interpreter_and_libraries_are_followed() {
        let fs = Filesystem::from_layers(vec![vec![
            dir("/bin"),
            dir("/usr"),
            dir("/usr/bin"),
            dir("/usr/lib"),
            dir("/lib"),
            dir("/app"),
            entry("/bin/sh", FileKind::Symlink, 0o777, Some("dash")),
            entry("/bin/dash", FileKind::Regular, 0o755, None),
            entry(
                "/usr/bin/python3",
                FileKind::Symlink,
                0o777,
                Some("python3.11"),
            ),
            entry("/usr/bin/python3.11", FileKind::Regular, 0o755, None),
            entry("/usr/bin/env", FileKind::Regular, 0o755, None),
            entry("/app/run", FileKind::Regular, 0o755, None),
            entry("/lib/ld.so", FileKind::Regular, 0o755, None),
            entry("/usr/lib/libc.so.6", FileKind::Regular, 0o644, None),
            entry(
                "/usr/lib/libz.so.1",
                FileKind::Symlink,
                0o777,
                Some("libz.so.1.2"),
            ),
            entry("/usr/lib/libz.so.1.2", FileKind::Regular, 0o644, None),
        ]]);
        let elf = |needed: &[&str]| ExecInfo {
            interpreter: Some("/lib/ld.so".into()),
            needed: needed.iter().map(|s| s.to_string()).collect(),
            ..ExecInfo::default()
        };
        let infos = BTreeMap::from([
            (
                "/app/run".to_string(),
                ExecInfo {
                    shebang: vec!["/usr/bin/env".into(), "python3".into()],
                    ..ExecInfo::default()
                },
            ),
            (
                "/usr/bin/python3.11".into(),
                elf(&["libz.so.1", "libc.so.6"]),
            ),
            ("/usr/bin/env".into(), elf(&["libc.so.6"])),
            ("/bin/dash".into(), elf(&["libc.so.6", "libmissing.so"])),
            ("/usr/lib/libz.so.1.2".into(), elf(&["libc.so.6"])),
        ]);
        let config = ImageConfig {
            entrypoint: Some(vec![
                "/bin/sh".into(),
                "-c".into(),
                "exec ./run \"$@\"".into(),
            ]),
            working_dir: Some("/app".into()),
            volumes: vec!["/data".into(), "/".into()],
            user: Some("1000".into()),
            ..ImageConfig::default()
        };
        let p = generate("dockguard-test", "oci-dir:x", &config, &fs, &infos).unwrap();
        assert_eq!(
            p.executables,
            vec![
                "/app/run",
                "/bin/dash",
                "/usr/bin/env",
                "/usr/bin/python3.11"
            ]
        );
        for lib in [
            "\"/usr/lib/libc.so.6\" mr,",
            "\"/usr/lib/libz.so.1.2\" mr,",
            "\"/lib/ld.so\" mr,",
        ] {
            assert!(p.text.contains(lib), "{lib}\n{}", p.text);
        }
        assert!(
            p.text.contains("\"/data\" rw,\n  \"/data/**\" rwk,"),
            "{}",
            p.text
        );
        assert!(p.text.contains("\"/app/**\" rwk,"));
        assert!(!p.text.contains("capability chown"));
        assert!(p.text.contains("  /** m,"), "missing library falls back");
        assert!(
            p.warnings.iter().any(|w| w.contains("libmissing.so")),
            "{:?}",
            p.warnings
        );
        assert!(
            p.warnings.iter().any(|w| w.contains("volume is /")),
            "{:?}",
            p.warnings
        );
        assert!(generate("bad name", "x", &config, &fs, &infos).is_err());
    }

    #[test]
    fn reads_its_own_elf_header() {
        let exe = std::env::current_exe().unwrap();
        let data = std::fs::read(&exe).unwrap();
        let info = exec_info(exe.to_str().unwrap(), &data, false).unwrap();
        assert!(!info.incomplete);
        if cfg!(all(target_os = "linux", target_env = "gnu")) {
            assert!(
                info.needed.iter().any(|n| n.starts_with("libc.so")),
                "{info:?}"
            );
            assert!(info.interpreter.is_some(), "{info:?}");
        }
        assert_eq!(
            exec_info("/s", b"#!/usr/bin/env  python3 -u\nprint()", false)
                .unwrap()
                .shebang,
            vec!["/usr/bin/env", "python3", "-u"]
        );
        assert!(exec_info("/t", b"hello", false).is_none());
    }
}
