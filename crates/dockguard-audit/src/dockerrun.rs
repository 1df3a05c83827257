//! `docker run` / `docker create` / `docker exec` command lines, parsed the way the Docker CLI's
//! flag library does: `--flag value`, `--flag=value`, `-v value`, `-vvalue`, `-v=value`,
//! clustered short booleans (`-dit`), repeated flags, and flags ending at the first positional
//! argument (the image) or at `--`.

use crate::spec::{at, check_spec, At, Emitter, Mount, Port, Spec};
use crate::tree::Pos;

/// One shell word and where it started.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub pos: Pos,
}

/// Long flags of `docker run`/`create` that take no value.
const RUN_BOOL: &[&str] = &[
    "detach",
    "interactive",
    "tty",
    "rm",
    "privileged",
    "read-only",
    "init",
    "publish-all",
    "no-healthcheck",
    "oom-kill-disable",
    "sig-proxy",
    "disable-content-trust",
    "help",
    "quiet",
    "use-api-socket",
];
const RUN_SHORT_BOOL: &[(char, &str)] = &[
    ('d', "detach"),
    ('i', "interactive"),
    ('t', "tty"),
    ('P', "publish-all"),
    ('q', "quiet"),
];
const RUN_SHORT_VALUE: &[(char, &str)] = &[
    ('a', "attach"),
    ('c', "cpu-shares"),
    ('e', "env"),
    ('h', "hostname"),
    ('l', "label"),
    ('m', "memory"),
    ('p', "publish"),
    ('u', "user"),
    ('v', "volume"),
    ('w', "workdir"),
];
const EXEC_BOOL: &[&str] = &["detach", "interactive", "tty", "privileged", "help"];
const EXEC_SHORT_BOOL: &[(char, &str)] = &[('d', "detach"), ('i', "interactive"), ('t', "tty")];
const EXEC_SHORT_VALUE: &[(char, &str)] = &[('e', "env"), ('u', "user"), ('w', "workdir")];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subcommand {
    Run,
    Exec,
}

/// Parsed flags in order, plus positional arguments.
#[derive(Debug, Default)]
pub struct Parsed {
    pub flags: Vec<(String, At<String>)>,
    pub positional: Vec<At<String>>,
}

/// Parses the arguments that follow `run`/`create`/`exec`.
pub fn parse_flags(words: &[Word], sub: Subcommand) -> Parsed {
    let (bools, short_bool, short_value) = match sub {
        Subcommand::Run => (RUN_BOOL, RUN_SHORT_BOOL, RUN_SHORT_VALUE),
        Subcommand::Exec => (EXEC_BOOL, EXEC_SHORT_BOOL, EXEC_SHORT_VALUE),
    };
    let mut out = Parsed::default();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let t = w.text.as_str();
        i += 1;
        if t == "--" {
            out.positional
                .extend(words[i..].iter().map(|w| at(w.text.clone(), w.pos)));
            break;
        }
        if let Some(long) = t.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let name = canonical(name);
            let value = match inline {
                Some(v) => v,
                None if bools.contains(&name) || !takes_value(name, sub) => "true".to_string(),
                None => match words.get(i) {
                    Some(next) => {
                        i += 1;
                        next.text.clone()
                    }
                    None => String::new(),
                },
            };
            out.flags.push((name.to_string(), at(value, w.pos)));
            continue;
        }
        if let Some(cluster) = t.strip_prefix('-').filter(|c| !c.is_empty()) {
            let chars: Vec<char> = cluster.chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                j += 1;
                if let Some((_, long)) = short_value.iter().find(|(s, _)| *s == c) {
                    let rest: String = chars[j..].iter().collect();
                    let value = if let Some(v) = rest.strip_prefix('=') {
                        v.to_string()
                    } else if !rest.is_empty() {
                        rest
                    } else if let Some(next) = words.get(i) {
                        i += 1;
                        next.text.clone()
                    } else {
                        String::new()
                    };
                    out.flags.push((long.to_string(), at(value, w.pos)));
                    break;
                }
                let long = short_bool
                    .iter()
                    .find(|(s, _)| *s == c)
                    .map(|(_, l)| *l)
                    .unwrap_or("");
                let rest: String = chars[j..].iter().collect();
                if let Some(v) = rest.strip_prefix('=') {
                    out.flags.push((long.to_string(), at(v.to_string(), w.pos)));
                    break;
                }
                out.flags
                    .push((long.to_string(), at("true".to_string(), w.pos)));
            }
            continue;
        }
        // The first positional ends flag parsing: the rest is the image's command.
        out.positional.push(at(t.to_string(), w.pos));
        out.positional
            .extend(words[i..].iter().map(|w| at(w.text.clone(), w.pos)));
        break;
    }
    out
}

fn canonical(name: &str) -> &str {
    match name {
        "net" => "network",
        "net-alias" => "network-alias",
        "dns-opt" => "dns-option",
        other => other,
    }
}

/// Unknown long flags are assumed to take a value only when written `--flag=value`; treating
/// them as booleans keeps the image positional intact, which is the safer mistake.
fn takes_value(name: &str, sub: Subcommand) -> bool {
    const RUN_VALUE: &[&str] = &[
        "add-host",
        "annotation",
        "attach",
        "blkio-weight",
        "blkio-weight-device",
        "cap-add",
        "cap-drop",
        "cgroup-parent",
        "cgroupns",
        "cidfile",
        "cpu-count",
        "cpu-percent",
        "cpu-period",
        "cpu-quota",
        "cpu-rt-period",
        "cpu-rt-runtime",
        "cpu-shares",
        "cpus",
        "cpuset-cpus",
        "cpuset-mems",
        "detach-keys",
        "device",
        "device-cgroup-rule",
        "device-read-bps",
        "device-read-iops",
        "device-write-bps",
        "device-write-iops",
        "dns",
        "dns-option",
        "dns-search",
        "domainname",
        "entrypoint",
        "env",
        "env-file",
        "expose",
        "gpus",
        "group-add",
        "health-cmd",
        "health-interval",
        "health-retries",
        "health-start-interval",
        "health-start-period",
        "health-timeout",
        "hostname",
        "io-maxbandwidth",
        "io-maxiops",
        "ip",
        "ip6",
        "ipc",
        "isolation",
        "kernel-memory",
        "label",
        "label-file",
        "link",
        "link-local-ip",
        "log-driver",
        "log-opt",
        "mac-address",
        "memory",
        "memory-reservation",
        "memory-swap",
        "memory-swappiness",
        "mount",
        "name",
        "network",
        "network-alias",
        "oom-score-adj",
        "pid",
        "pids-limit",
        "platform",
        "publish",
        "pull",
        "restart",
        "runtime",
        "security-opt",
        "shm-size",
        "stop-signal",
        "stop-timeout",
        "storage-opt",
        "sysctl",
        "tmpfs",
        "ulimit",
        "user",
        "userns",
        "uts",
        "volume",
        "volume-driver",
        "volumes-from",
        "workdir",
    ];
    const EXEC_VALUE: &[&str] = &["detach-keys", "env", "env-file", "user", "workdir"];
    match sub {
        Subcommand::Run => RUN_VALUE.contains(&name),
        Subcommand::Exec => EXEC_VALUE.contains(&name),
    }
}

fn truthy(v: &str) -> bool {
    !matches!(v.trim().to_ascii_lowercase().as_str(), "false" | "0" | "f")
}

/// `key=value`, `key:value` or a bare `key` from `--security-opt`.
fn split_opt(opt: &str) -> (&str, &str) {
    match opt.find(['=', ':']) {
        Some(i) => (&opt[..i], &opt[i + 1..]),
        None => (opt, ""),
    }
}

/// Applies one `--security-opt` (or Compose `security_opt` entry) to a spec.
pub fn apply_security_opt(spec: &mut Spec, opt: &str, pos: Pos) {
    let (key, value) = split_opt(opt.trim());
    match key {
        "no-new-privileges" => {
            spec.no_new_privileges = Some(at(value.is_empty() || truthy(value), pos))
        }
        "seccomp" => spec.seccomp = Some(at(value.to_string(), pos)),
        "apparmor" => spec.apparmor = Some(at(value.to_string(), pos)),
        "label" if matches!(value, "disable" | "disable=true") => spec.selinux_disabled = Some(pos),
        _ => {}
    }
}

/// `-v SRC:DST[:OPTS]` (and Compose's short volume syntax).
pub fn parse_volume_short(spec: &str, pos: Pos) -> Mount {
    let parts: Vec<&str> = spec.split(':').collect();
    let (src, target, opts) = match parts.as_slice() {
        [t] => (None, *t, ""),
        [s, t] => (Some(*s), *t, ""),
        [s, t, o, ..] => (Some(*s), *t, *o),
        [] => (None, "", ""),
    };
    let opts: Vec<&str> = opts.split(',').collect();
    let host = src.filter(|s| s.starts_with('/') || s.starts_with('.') || s.starts_with('~'));
    Mount {
        host_source: host.map(str::to_string),
        target: target.to_string(),
        read_only: opts.contains(&"ro") || opts.contains(&"readonly"),
        propagation: opts
            .iter()
            .find(|o| {
                matches!(
                    **o,
                    "shared" | "rshared" | "slave" | "rslave" | "private" | "rprivate"
                )
            })
            .map(|o| o.to_string()),
        pos,
    }
}

/// `--mount type=bind,source=/x,target=/y,readonly,bind-propagation=rshared`.
fn parse_mount(spec: &str, pos: Pos) -> Option<Mount> {
    let mut kind = "volume";
    let mut m = Mount {
        pos,
        ..Mount::default()
    };
    let mut source = None;
    for field in spec.split(',') {
        let (k, v) = field.split_once('=').unwrap_or((field, ""));
        let v = v.trim_matches('"');
        match k.trim() {
            "type" => {
                kind = if v == "bind" {
                    "bind"
                } else if v == "tmpfs" {
                    "tmpfs"
                } else {
                    "volume"
                }
            }
            "source" | "src" => source = Some(v.to_string()),
            "target" | "destination" | "dst" => m.target = v.to_string(),
            "readonly" | "ro" => m.read_only = v.is_empty() || truthy(v),
            "bind-propagation" => m.propagation = Some(v.to_string()),
            _ => {}
        }
    }
    if kind == "tmpfs" {
        return None;
    }
    if kind == "bind" {
        m.host_source = source;
    }
    Some(m)
}

/// `-p [IP:][HOST:]CONTAINER[/PROTO]`.
pub fn parse_port_short(spec: &str, pos: Pos) -> Port {
    let spec = spec.split('/').next().unwrap_or(spec);
    let (ip, rest) = if let Some(stripped) = spec.strip_prefix('[') {
        match stripped.split_once("]:") {
            Some((ip, rest)) => (Some(ip.to_string()), rest),
            None => (None, spec),
        }
    } else {
        let parts: Vec<&str> = spec.rsplitn(3, ':').collect();
        if parts.len() == 3 {
            (Some(parts[2].to_string()), &spec[parts[2].len() + 1..])
        } else {
            (None, spec)
        }
    };
    let host_port = rest.rsplit_once(':').map(|(h, _)| h).and_then(|h| {
        if h.is_empty() {
            return None;
        }
        h.split('-').next().and_then(|p| p.parse().ok())
    });
    Port {
        host_ip: ip,
        host_port,
        published: true,
        pos,
    }
}

/// Builds a spec from parsed `docker run` arguments.
pub fn spec_from_run(parsed: &Parsed, name: &str, pos: Pos) -> Spec {
    let mut spec = Spec {
        name: name.to_string(),
        pos,
        ..Spec::default()
    };
    for (flag, v) in &parsed.flags {
        let p = v.pos;
        let value = v.value.as_str();
        match flag.as_str() {
            "name" => spec.name = format!("container {value}"),
            "privileged" => spec.privileged = Some(at(truthy(value), p)),
            "cap-add" => spec
                .cap_add
                .extend(value.split(',').map(|c| at(c.to_string(), p))),
            "cap-drop" => spec
                .cap_drop
                .extend(value.split(',').map(|c| at(c.to_string(), p))),
            "security-opt" => apply_security_opt(&mut spec, value, p),
            "volume" => spec.mounts.push(parse_volume_short(value, p)),
            "mount" => spec.mounts.extend(parse_mount(value, p)),
            "network" => spec.network = Some(at(value.to_string(), p)),
            "pid" => spec.pid = Some(at(value.to_string(), p)),
            "ipc" => spec.ipc = Some(at(value.to_string(), p)),
            "uts" => spec.uts = Some(at(value.to_string(), p)),
            "userns" => spec.userns = Some(at(value.to_string(), p)),
            "read-only" => spec.read_only = Some(at(truthy(value), p)),
            "memory" => spec.memory = Some(at(value.to_string(), p)),
            "cpus" | "cpu-shares" | "cpu-quota" | "cpuset-cpus" => {
                spec.cpu = Some(at(value.to_string(), p))
            }
            "pids-limit" => spec.pids_limit = Some(at(value.to_string(), p)),
            "ulimit" => spec.ulimits.push(at(value.to_string(), p)),
            "user" => spec.user = Some(at(value.to_string(), p)),
            "publish" => spec.ports.push(parse_port_short(value, p)),
            "publish-all" if truthy(value) => spec.publish_all = Some(p),
            "restart" => spec.restart = Some(at(value.to_string(), p)),
            "tmpfs" => spec.tmpfs.push(at(value.to_string(), p)),
            "device" => spec.devices.push(at(value.to_string(), p)),
            "no-healthcheck" if truthy(value) => spec.healthcheck_disabled = Some(p),
            "cgroup-parent" => spec.cgroup_parent = Some(at(value.to_string(), p)),
            "entrypoint" => spec.command.push(at(value.to_string(), p)),
            _ => {}
        }
    }
    let mut positional = parsed.positional.iter();
    if let Some(image) = positional.next() {
        spec.image = Some(image.clone());
    }
    spec.command.extend(positional.cloned());
    spec
}

/// Audits one `docker exec`: only the two CIS checks that concern exec apply.
fn check_exec(parsed: &Parsed, out: &mut Emitter) {
    for (flag, v) in &parsed.flags {
        match flag.as_str() {
            "privileged" if truthy(&v.value) => out.emit(
                "DGR135",
                v.pos,
                "docker exec runs with --privileged".to_string(),
            ),
            "user" if matches!(v.value.split(':').next(), Some("root" | "0")) => {
                out.emit("DGR136", v.pos, format!("docker exec runs as {}", v.value))
            }
            _ => {}
        }
    }
}

/// Commands that run their arguments as a command, and may precede `docker`.
const WRAPPERS: &[&str] = &["sudo", "env", "exec", "time", "command", "nohup", "doas"];

/// Docker's global options that take a value, so that `docker -H x run …` is still found.
const GLOBAL_VALUE: &[&str] = &[
    "-H",
    "--host",
    "-c",
    "--context",
    "--config",
    "-l",
    "--log-level",
    "--tlscacert",
    "--tlscert",
    "--tlskey",
];

/// Finds `docker [global opts] [container] run|create|exec …` in one command's words and audits
/// it. Returns whether an invocation was found.
pub fn audit_command(words: &[Word], out: &mut Emitter) -> bool {
    // Only the command word counts: `echo docker run …` prints, it does not run.
    let start = words
        .iter()
        .position(|w| {
            let t = w.text.as_str();
            !(WRAPPERS.contains(&t)
                || t.starts_with('-')
                || (t.contains('=') && !t.starts_with('=')))
        })
        .unwrap_or(words.len());
    let Some(first) = words.get(start) else {
        return false;
    };
    let base = first.text.rsplit('/').next().unwrap_or("");
    if base != "docker" && base != "podman" {
        return false;
    }
    let mut i = start + 1;
    while let Some(w) = words.get(i) {
        if GLOBAL_VALUE.contains(&w.text.as_str()) {
            i += 2;
        } else if w.text.starts_with('-') {
            i += 1;
        } else {
            break;
        }
    }
    let mut sub = words.get(i).map(|w| w.text.as_str());
    if sub == Some("container") {
        i += 1;
        sub = words.get(i).map(|w| w.text.as_str());
    }
    let rest = words.get(i + 1..).unwrap_or(&[]);
    match sub {
        Some("run" | "create") => {
            let parsed = parse_flags(rest, Subcommand::Run);
            let pos = words[start].pos;
            let spec = spec_from_run(&parsed, "container", pos);
            check_spec(&spec, out);
            true
        }
        Some("exec") => {
            check_exec(&parse_flags(rest, Subcommand::Exec), out);
            true
        }
        _ => false,
    }
}

/// Splits shell text into commands of words, with positions. Quoting, backslash escapes, line
/// continuations and comments follow POSIX sh; `;`, `&`, `|`, `(`, `)` and newlines separate
/// commands. Expansions are not performed: `$VAR` stays literal text.
pub fn split_commands(text: &str) -> Vec<Vec<Word>> {
    let mut commands = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut cur: Option<Word> = None;
    let (mut line, mut col) = (1u32, 1u32);
    let mut chars = text.chars().peekable();
    let here = |c: char, line: &mut u32, col: &mut u32| {
        if c == '\n' {
            *line += 1;
            *col = 1;
        } else {
            *col += 1;
        }
    };
    fn push(cur: &mut Option<Word>, c: char, pos: Pos) {
        cur.get_or_insert_with(|| Word {
            text: String::new(),
            pos,
        })
        .text
        .push(c);
    }
    fn start(cur: &mut Option<Word>, pos: Pos) {
        cur.get_or_insert_with(|| Word {
            text: String::new(),
            pos,
        });
    }
    while let Some(c) = chars.next() {
        let pos = Pos { line, col };
        here(c, &mut line, &mut col);
        match c {
            '\\' => match chars.next() {
                Some('\n') => here('\n', &mut line, &mut col),
                Some(n) => {
                    here(n, &mut line, &mut col);
                    push(&mut cur, n, pos);
                }
                None => {}
            },
            '\'' => {
                start(&mut cur, pos);
                for n in chars.by_ref() {
                    here(n, &mut line, &mut col);
                    if n == '\'' {
                        break;
                    }
                    push(&mut cur, n, pos);
                }
            }
            '"' => {
                start(&mut cur, pos);
                while let Some(n) = chars.next() {
                    here(n, &mut line, &mut col);
                    match n {
                        '"' => break,
                        '\\' => match chars.peek().copied() {
                            Some(e @ ('"' | '\\' | '$' | '`')) => {
                                chars.next();
                                here(e, &mut line, &mut col);
                                push(&mut cur, e, pos);
                            }
                            Some('\n') => {
                                chars.next();
                                here('\n', &mut line, &mut col);
                            }
                            _ => push(&mut cur, '\\', pos),
                        },
                        _ => push(&mut cur, n, pos),
                    }
                }
            }
            '#' if cur.is_none() => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        here(n, &mut line, &mut col);
                        break;
                    }
                    here(n, &mut line, &mut col);
                }
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            ' ' | '\t' | '\r' => words.extend(cur.take()),
            '\n' | ';' | '&' | '|' | '(' | ')' => {
                words.extend(cur.take());
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            _ => push(&mut cur, c, pos),
        }
    }
    words.extend(cur.take());
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<Word> {
        split_commands(s).into_iter().next().unwrap_or_default()
    }

    #[test]
    fn flags_follow_docker_cli_semantics() {
        let w = words("-dit --rm -p=80:80 -uroot -v /a:/b:ro --cap-add=NET_ADMIN --cap-add SYS_TIME --privileged=false img:1 sh -c 'x --privileged'");
        let p = parse_flags(&w, Subcommand::Run);
        let names: Vec<(&str, &str)> = p
            .flags
            .iter()
            .map(|(n, v)| (n.as_str(), v.value.as_str()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("detach", "true"),
                ("interactive", "true"),
                ("tty", "true"),
                ("rm", "true"),
                ("publish", "80:80"),
                ("user", "root"),
                ("volume", "/a:/b:ro"),
                ("cap-add", "NET_ADMIN"),
                ("cap-add", "SYS_TIME"),
                ("privileged", "false"),
            ]
        );
        let pos: Vec<&str> = p.positional.iter().map(|a| a.value.as_str()).collect();
        assert_eq!(pos, vec!["img:1", "sh", "-c", "x --privileged"]);
        let p = parse_flags(&words("-itp 8080:80 img"), Subcommand::Run);
        assert_eq!(p.flags[2].0, "publish");
        assert_eq!(p.flags[2].1.value, "8080:80");
        assert_eq!(p.positional[0].value, "img");
    }

    #[test]
    fn shell_splitting_tracks_lines() {
        let cmds = split_commands("# c\ndocker run \\\n  --privileged \"a b\" 'c'; echo x && y\n");
        assert_eq!(cmds.len(), 3);
        assert_eq!(cmds[0][2].text, "--privileged");
        assert_eq!(cmds[0][2].pos, Pos { line: 3, col: 3 });
        assert_eq!(cmds[0][3].text, "a b");
    }

    #[test]
    fn ports() {
        let p = parse_port_short("127.0.0.1:8080:80/tcp", Pos::default());
        assert_eq!(
            (p.host_ip.as_deref(), p.host_port),
            (Some("127.0.0.1"), Some(8080))
        );
        let p = parse_port_short("[::1]:80:80", Pos::default());
        assert_eq!((p.host_ip.as_deref(), p.host_port), (Some("::1"), Some(80)));
        let p = parse_port_short("80", Pos::default());
        assert_eq!((p.host_ip, p.host_port), (None, None));
        let p = parse_port_short("8000-8010:80", Pos::default());
        assert_eq!(p.host_port, Some(8000));
        let p = parse_port_short("127.0.0.1::80", Pos::default());
        assert_eq!(
            (p.host_ip.as_deref(), p.host_port),
            (Some("127.0.0.1"), None)
        );
    }
}
