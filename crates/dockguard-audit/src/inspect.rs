//! `docker inspect` output for containers: the settings a container actually runs with.

use crate::spec::{at, check_spec, Emitter, Mount, Port, Spec};
use crate::tree::{Node, Value};

pub fn is_container(doc: &Node) -> bool {
    doc.get("HostConfig").is_some() && doc.get("Config").is_some()
}

/// Whether a JSON document is `docker inspect` output of containers (one object or an array).
pub fn is_inspect(doc: &Node) -> bool {
    match &doc.value {
        Value::Seq(items) => !items.is_empty() && items.iter().any(is_container),
        Value::Map(_) => is_container(doc),
        _ => false,
    }
}

pub fn audit(doc: &Node, out: &mut Emitter) {
    let items: Vec<&Node> = match &doc.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![doc],
    };
    for c in items.into_iter().filter(|c| is_container(c)) {
        check_spec(&container_spec(c), out);
    }
}

fn text(n: &Node) -> String {
    n.as_str().unwrap_or("").to_string()
}

fn container_spec(c: &Node) -> Spec {
    let name = c.get("Name").map(text).unwrap_or_default();
    let hc = c.get("HostConfig").cloned().unwrap_or(Node {
        value: Value::Null,
        pos: c.pos,
    });
    let cfg = c.get("Config").cloned().unwrap_or(Node {
        value: Value::Null,
        pos: c.pos,
    });
    let hpos = c.key_pos("HostConfig").unwrap_or(c.pos);
    let kp = |k: &str| hc.key_pos(k).unwrap_or(hpos);
    let hstr = |k: &str| {
        hc.get(k)
            .and_then(Node::as_str)
            .filter(|s| !s.is_empty())
            .map(|s| at(s.to_string(), kp(k)))
    };
    let mut spec = Spec {
        name: format!("container {}", name.trim_start_matches('/')),
        pos: c.key_pos("Name").unwrap_or(c.pos),
        ..Spec::default()
    };
    spec.image = cfg.get("Image").map(|i| at(text(i), i.pos));
    spec.privileged = hc
        .get("Privileged")
        .and_then(Node::as_bool)
        .map(|b| at(b, kp("Privileged")));
    for (key, list) in [
        ("CapAdd", &mut spec.cap_add),
        ("CapDrop", &mut spec.cap_drop),
    ] {
        list.extend(
            hc.get(key)
                .map(Node::seq)
                .unwrap_or(&[])
                .iter()
                .map(|n| at(text(n), n.pos)),
        );
    }
    for opt in hc.get("SecurityOpt").map(Node::seq).unwrap_or(&[]) {
        crate::dockerrun::apply_security_opt(&mut spec, &text(opt), opt.pos);
    }
    if let Some(profile) = c
        .get("AppArmorProfile")
        .and_then(Node::as_str)
        .filter(|p| *p == "unconfined")
    {
        spec.apparmor = Some(at(
            profile.to_string(),
            c.key_pos("AppArmorProfile").unwrap_or(c.pos),
        ));
    }
    // `Mounts` is the resolved list (binds, --mount and volumes together); HostConfig.Binds
    // would repeat the same mounts.
    for m in c.get("Mounts").map(Node::seq).unwrap_or(&[]) {
        let bind = m.get("Type").and_then(Node::as_str) == Some("bind");
        spec.mounts.push(Mount {
            host_source: if bind {
                m.get("Source").map(text)
            } else {
                None
            },
            target: m.get("Destination").map(text).unwrap_or_default(),
            read_only: m.get("RW").and_then(Node::as_bool) == Some(false),
            propagation: m.get("Propagation").map(text).filter(|p| !p.is_empty()),
            pos: m.key_pos("Source").unwrap_or(m.pos),
        });
    }
    spec.network = hstr("NetworkMode");
    spec.pid = hstr("PidMode");
    spec.ipc = hstr("IpcMode");
    spec.uts = hstr("UTSMode");
    spec.userns = hstr("UsernsMode");
    spec.read_only = hc
        .get("ReadonlyRootfs")
        .and_then(Node::as_bool)
        .map(|b| at(b, kp("ReadonlyRootfs")));
    spec.memory = hc.get("Memory").map(|m| at(text(m), kp("Memory")));
    spec.cpu = ["NanoCpus", "CpuShares", "CpuQuota", "CpusetCpus"]
        .iter()
        .filter_map(|k| hc.get(k).map(|v| at(text(v), kp(k))))
        .find(|v| !v.value.is_empty() && v.value != "0")
        .or_else(|| Some(at("0".into(), kp("NanoCpus"))));
    spec.pids_limit = Some(at(
        hc.get("PidsLimit").map(text).unwrap_or_default(),
        kp("PidsLimit"),
    ));
    for u in hc.get("Ulimits").map(Node::seq).unwrap_or(&[]) {
        let v = format!(
            "{}={}:{}",
            u.get("Name").map(text).unwrap_or_default(),
            u.get("Soft").map(text).unwrap_or_default(),
            u.get("Hard").map(text).unwrap_or_default()
        );
        spec.ulimits.push(at(v, u.pos));
    }
    spec.user = cfg
        .get("User")
        .and_then(Node::as_str)
        .filter(|u| !u.is_empty())
        .map(|u| at(u.to_string(), cfg.key_pos("User").unwrap_or(cfg.pos)));
    for (cport, bindings) in hc.get("PortBindings").map(Node::entries).unwrap_or(&[]) {
        for b in bindings.seq() {
            spec.ports.push(Port {
                host_ip: b.get("HostIp").map(text).filter(|s| !s.is_empty()),
                host_port: b
                    .get("HostPort")
                    .and_then(Node::as_str)
                    .and_then(|p| p.parse().ok()),
                published: true,
                pos: cport.pos,
            });
        }
    }
    if hc.get("PublishAllPorts").and_then(Node::as_bool) == Some(true) {
        spec.publish_all = Some(kp("PublishAllPorts"));
    }
    if let Some(rp) = hc.get("RestartPolicy") {
        let policy = rp.get("Name").map(text).unwrap_or_default();
        let count = rp
            .get("MaximumRetryCount")
            .and_then(Node::as_i64)
            .unwrap_or(0);
        let value = if policy == "on-failure" {
            format!("on-failure:{count}")
        } else {
            policy
        };
        spec.restart = Some(at(value, kp("RestartPolicy")));
    }
    for (path, opts) in hc.get("Tmpfs").map(Node::entries).unwrap_or(&[]) {
        spec.tmpfs
            .push(at(format!("{}:{}", path.name, text(opts)), path.pos));
    }
    for d in hc.get("Devices").map(Node::seq).unwrap_or(&[]) {
        spec.devices
            .push(at(d.get("PathOnHost").map(text).unwrap_or_default(), d.pos));
    }
    if let Some(test) = cfg.path(&["Healthcheck", "Test"]) {
        if test.seq().first().and_then(Node::as_str) == Some("NONE") {
            spec.healthcheck_disabled = Some(cfg.key_pos("Healthcheck").unwrap_or(cfg.pos));
        }
    }
    spec.cgroup_parent = hstr("CgroupParent");
    if let Some(path) = c.get("Path") {
        spec.command.push(at(text(path), path.pos));
    }
    spec.command.extend(
        c.get("Args")
            .map(Node::seq)
            .unwrap_or(&[])
            .iter()
            .map(|a| at(text(a), a.pos)),
    );
    spec
}
