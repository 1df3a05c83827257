//! Compose files (the Compose specification): services, `extends`, short and long syntaxes.

use crate::dockerrun::{apply_security_opt, parse_port_short, parse_volume_short};
use crate::spec::{at, check_spec, Emitter, Mount, Port, Spec};
use crate::tree::{load_yaml, Key, Node, Pos, Value};
use std::collections::HashMap;
use std::path::Path;

/// Chains of `extends` longer than this are treated as a loop.
const MAX_EXTENDS: usize = 16;

/// Services by name, so that following `extends` does not scan every service: a long chain
/// of them was quadratic. The last of duplicate names wins, as with [`Node::get`].
type Services<'a> = HashMap<&'a str, &'a Node>;

fn index(services: &Node) -> Services<'_> {
    services
        .entries()
        .iter()
        .map(|(k, v)| (k.name.as_str(), v))
        .collect()
}

/// Audits every service of a Compose document. `dir` resolves `extends.file`; `None` disables
/// reading other files (for command-line or in-memory input).
pub fn audit(root: &Node, dir: Option<&Path>, out: &mut Emitter) {
    let Some(services) = root.get("services") else {
        return;
    };
    let by_name = index(services);
    for (key, service) in services.entries() {
        let resolved = resolve_extends(service, &by_name, dir, key.pos, 0);
        let spec = service_spec(&key.name, key.pos, &resolved);
        check_spec(&spec, out);
    }
}

/// Applies `extends` the way Compose merges services: mappings merge key by key, sequences
/// append, scalars from the extending service win. Nodes read from another file are moved to
/// the `extends` line, since their own lines belong to a different file.
fn resolve_extends(
    service: &Node,
    services: &Services,
    dir: Option<&Path>,
    origin: Pos,
    depth: usize,
) -> Node {
    let Some(ext) = service.get("extends") else {
        return service.clone();
    };
    if depth >= MAX_EXTENDS {
        return service.clone();
    }
    let (base_name, file) = match &ext.value {
        Value::Scalar(s) => (s.clone(), None),
        _ => (
            ext.get("service")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_string(),
            ext.get("file").and_then(Node::as_str).map(str::to_string),
        ),
    };
    let ext_pos = service.key_pos("extends").unwrap_or(origin);
    let base = match file {
        None => services
            .get(base_name.as_str())
            .map(|b| resolve_extends(b, services, dir, origin, depth + 1)),
        Some(file) => dir.and_then(|d| {
            let path = d.join(&file);
            let text = crate::read_input(&path).ok()?;
            let doc = load_yaml(&text).ok()?.into_iter().next()?;
            let other_services = index(doc.get("services")?);
            let b = other_services.get(base_name.as_str())?;
            let next_dir = path.parent().map(Path::to_path_buf);
            let mut resolved =
                resolve_extends(b, &other_services, next_dir.as_deref(), ext_pos, depth + 1);
            relocate(&mut resolved, ext_pos);
            Some(resolved)
        }),
    };
    match base {
        Some(base) => merge(base, service.clone()),
        None => service.clone(),
    }
}

fn relocate(node: &mut Node, pos: Pos) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        n.pos = pos;
        match &mut n.value {
            Value::Seq(items) => stack.extend(items.iter_mut()),
            Value::Map(entries) => {
                for (k, v) in entries.iter_mut() {
                    k.pos = pos;
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
}

fn merge(base: Node, over: Node) -> Node {
    match (base.value, over.value) {
        (Value::Map(mut b), Value::Map(o)) => {
            for (k, v) in o {
                if k.name == "extends" {
                    continue;
                }
                match b.iter().position(|(bk, _)| bk.name == k.name) {
                    Some(i) => {
                        let (_, old) = b.remove(i);
                        b.push((k, merge(old, v)));
                    }
                    None => b.push((k, v)),
                }
            }
            b.retain(|(k, _)| k.name != "extends");
            Node {
                value: Value::Map(b),
                pos: over.pos,
            }
        }
        (Value::Seq(mut b), Value::Seq(o)) => {
            b.extend(o);
            Node {
                value: Value::Seq(b),
                pos: over.pos,
            }
        }
        (_, value) => Node {
            value,
            pos: over.pos,
        },
    }
}

fn text(node: &Node) -> String {
    node.as_str().unwrap_or("").to_string()
}

/// Scalars or lists of scalars (Compose accepts both for `tmpfs`, `command`, …).
fn strings(node: &Node) -> Vec<(String, Pos)> {
    match &node.value {
        Value::Scalar(s) => vec![(s.clone(), node.pos)],
        Value::Seq(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(|s| (s.to_string(), i.pos)))
            .collect(),
        _ => Vec::new(),
    }
}

fn service_spec(name: &str, pos: Pos, svc: &Node) -> Spec {
    let mut spec = Spec {
        name: format!("service {name}"),
        pos,
        ..Spec::default()
    };
    for (
        Key {
            name: key,
            pos: kpos,
        },
        v,
    ) in svc.entries()
    {
        let kpos = *kpos;
        match key.as_str() {
            "image" => spec.image = Some(at(text(v), v.pos)),
            "privileged" => spec.privileged = v.as_bool().map(|b| at(b, kpos)),
            "cap_add" => spec.cap_add = strings(v).into_iter().map(|(s, p)| at(s, p)).collect(),
            "cap_drop" => spec.cap_drop = strings(v).into_iter().map(|(s, p)| at(s, p)).collect(),
            "security_opt" => {
                for (opt, p) in strings(v) {
                    apply_security_opt(&mut spec, &opt, p);
                }
            }
            "volumes" => spec.mounts = v.seq().iter().filter_map(volume).collect(),
            "network_mode" => spec.network = Some(at(text(v), kpos)),
            "pid" => spec.pid = Some(at(text(v), kpos)),
            "ipc" => spec.ipc = Some(at(text(v), kpos)),
            "uts" => spec.uts = Some(at(text(v), kpos)),
            "userns_mode" => spec.userns = Some(at(text(v), kpos)),
            "read_only" => spec.read_only = v.as_bool().map(|b| at(b, kpos)),
            "mem_limit" => spec.memory = Some(at(text(v), kpos)),
            "cpus" | "cpu_shares" | "cpu_quota" | "cpuset" => spec.cpu = Some(at(text(v), kpos)),
            "pids_limit" => spec.pids_limit = Some(at(text(v), kpos)),
            "ulimits" => {
                for (k, lim) in v.entries() {
                    let value = match &lim.value {
                        Value::Scalar(s) => s.clone(),
                        _ => format!(
                            "{}:{}",
                            lim.get("soft").map(text).unwrap_or_default(),
                            lim.get("hard").map(text).unwrap_or_default()
                        ),
                    };
                    spec.ulimits.push(at(format!("{}={value}", k.name), k.pos));
                }
            }
            "user" => spec.user = Some(at(text(v), kpos)),
            "ports" => spec.ports = v.seq().iter().map(port).collect(),
            "restart" => spec.restart = Some(at(text(v), kpos)),
            "tmpfs" => spec.tmpfs = strings(v).into_iter().map(|(s, p)| at(s, p)).collect(),
            "devices" => {
                spec.devices = v
                    .seq()
                    .iter()
                    .map(|d| {
                        at(
                            d.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| d.get("source").map(text).unwrap_or_default()),
                            d.pos,
                        )
                    })
                    .collect()
            }
            "healthcheck" => {
                let disabled = v.get("disable").and_then(Node::as_bool) == Some(true)
                    || v.get("test")
                        .map(strings)
                        .is_some_and(|t| t.first().is_some_and(|(s, _)| s == "NONE"));
                if disabled {
                    spec.healthcheck_disabled = Some(kpos);
                }
            }
            "cgroup_parent" => spec.cgroup_parent = Some(at(text(v), kpos)),
            "command" | "entrypoint" => spec
                .command
                .extend(strings(v).into_iter().map(|(s, p)| at(s, p))),
            _ => {}
        }
    }
    if let Some(limits) = svc.path(&["deploy", "resources", "limits"]) {
        if let Some(m) = limits.get("memory") {
            spec.memory = Some(at(text(m), limits.key_pos("memory").unwrap_or(pos)));
        }
        if let Some(c) = limits.get("cpus") {
            spec.cpu = Some(at(text(c), limits.key_pos("cpus").unwrap_or(pos)));
        }
        if let Some(p) = limits.get("pids") {
            spec.pids_limit = Some(at(text(p), limits.key_pos("pids").unwrap_or(pos)));
        }
    }
    if let Some(rp) = svc.path(&["deploy", "restart_policy"]) {
        let condition = rp
            .get("condition")
            .map(text)
            .unwrap_or_else(|| "any".to_string());
        let value = match (
            condition.as_str(),
            rp.get("max_attempts").and_then(Node::as_i64),
        ) {
            ("on-failure" | "any", Some(n)) => format!("on-failure:{n}"),
            (c, _) => c.to_string(),
        };
        let rpos = svc
            .get("deploy")
            .and_then(|d| d.key_pos("restart_policy"))
            .unwrap_or(pos);
        spec.restart = Some(at(value, rpos));
    }
    spec
}

fn volume(v: &Node) -> Option<Mount> {
    if let Some(s) = v.as_str() {
        return Some(parse_volume_short(s, v.pos));
    }
    let kind = v.get("type").map(text).unwrap_or_else(|| "volume".into());
    if kind == "tmpfs" {
        return None;
    }
    let source = v.get("source").map(text);
    let pos = v.key_pos("source").unwrap_or(v.pos);
    Some(Mount {
        host_source: if kind == "bind" { source } else { None },
        target: v.get("target").map(text).unwrap_or_default(),
        read_only: v.get("read_only").and_then(Node::as_bool).unwrap_or(false),
        propagation: v.path(&["bind", "propagation"]).map(text),
        pos,
    })
}

fn port(v: &Node) -> Port {
    if let Some(s) = v.as_str() {
        // A bare container port in `ports` is still published, on an ephemeral host port.
        return parse_port_short(s, v.pos);
    }
    let published = v.get("published").map(text);
    Port {
        host_ip: v.get("host_ip").map(text),
        host_port: published
            .as_deref()
            .and_then(|p| p.split('-').next())
            .and_then(|p| p.parse().ok()),
        published: true,
        pos: v.pos,
    }
}

#[cfg(test)]
mod tests {
    /// Found by the `audit_inputs` fuzz target's hostile inputs: every `extends` looked its
    /// base up by scanning all services, so 8 000 services each extending the previous one
    /// took over a minute.
    #[test]
    fn long_chain_of_extends_audits_quickly() {
        let n = 20_000;
        let mut text = String::from("services:\n  s0:\n    image: alpine\n    privileged: true\n");
        for i in 1..n {
            text.push_str(&format!("  s{i}:\n    extends: s{}\n", i - 1));
        }
        let started = std::time::Instant::now();
        let findings = crate::audit_text("compose.yml", &text, None).unwrap();
        let took = started.elapsed();
        // Every service is still audited (each keeps the default capabilities, at its own line).
        let caps = findings.iter().filter(|f| f.id == "DGR102").count();
        assert_eq!(caps, n);
        assert!(took.as_secs() < 20, "took {took:?}");
    }
}
