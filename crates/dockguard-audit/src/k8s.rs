//! Kubernetes manifests: workloads, `List`s, pod- and container-level securityContext.

use crate::spec::{
    at, check_spec, is_sensitive, is_socket, normalize_host_path, At, Emitter, Mount, Port, Spec,
};
use crate::tree::{Node, Pos, Value};

/// Whether a document looks like a Kubernetes object.
pub fn is_manifest(doc: &Node) -> bool {
    doc.get("apiVersion").is_some() && doc.get("kind").is_some()
}

pub fn audit(doc: &Node, out: &mut Emitter) {
    audit_depth(doc, out, 0);
}

fn audit_depth(doc: &Node, out: &mut Emitter, depth: usize) {
    let kind = doc.get("kind").and_then(Node::as_str).unwrap_or("");
    let name = doc
        .path(&["metadata", "name"])
        .and_then(Node::as_str)
        .unwrap_or("?");
    // Pod templates carry their own metadata (annotations); the pod spec sits under `spec`.
    let template = match kind {
        "Pod" => Some(doc),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => doc.path(&["spec", "template"]),
        "CronJob" => doc.path(&["spec", "jobTemplate", "spec", "template"]),
        "PodTemplate" => doc.get("template"),
        _ if kind.ends_with("List") && depth < 4 => {
            for item in doc.get("items").map(Node::seq).unwrap_or(&[]) {
                audit_depth(item, out, depth + 1);
            }
            return;
        }
        _ => None,
    };
    let Some(template) = template else { return };
    let Some(pod) = template.get("spec") else {
        return;
    };
    let annotations = template.path(&["metadata", "annotations"]);
    for group in ["initContainers", "containers", "ephemeralContainers"] {
        for c in pod.get(group).map(Node::seq).unwrap_or(&[]) {
            let spec = container_spec(kind, name, pod, annotations, c);
            check_spec(&spec, out);
        }
    }
}

fn text(n: &Node) -> String {
    n.as_str().unwrap_or("").to_string()
}

fn bool_at(node: Option<&Node>, parent: Option<&Node>, key: &str) -> Option<At<bool>> {
    let n = node?;
    let pos = parent.and_then(|p| p.key_pos(key)).unwrap_or(n.pos);
    n.as_bool().map(|b| at(b, pos))
}

/// A securityContext field from the container, else from the pod (Kubernetes' precedence).
fn inherited<'a>(
    csc: Option<&'a Node>,
    psc: Option<&'a Node>,
    key: &str,
) -> Option<(&'a Node, Pos)> {
    for sc in [csc, psc].into_iter().flatten() {
        if let Some(v) = sc.get(key) {
            return Some((v, sc.key_pos(key).unwrap_or(v.pos)));
        }
    }
    None
}

fn container_spec(
    kind: &str,
    pod_name: &str,
    pod: &Node,
    annotations: Option<&Node>,
    c: &Node,
) -> Spec {
    let cname = c.get("name").and_then(Node::as_str).unwrap_or("?");
    let pos = c.key_pos("name").unwrap_or(c.pos);
    let mut spec = Spec {
        name: format!("{kind}/{pod_name} container {cname}"),
        pos,
        ..Spec::default()
    };
    let csc = c.get("securityContext");
    let psc = pod.get("securityContext");
    spec.image = c.get("image").map(|i| at(text(i), i.pos));

    if let Some(sc) = csc {
        spec.privileged = bool_at(sc.get("privileged"), Some(sc), "privileged");
        // allowPrivilegeEscalation=false is Kubernetes' spelling of no_new_privs.
        spec.no_new_privileges = bool_at(
            sc.get("allowPrivilegeEscalation"),
            Some(sc),
            "allowPrivilegeEscalation",
        )
        .map(|a| at(!a.value, a.pos));
        spec.read_only = bool_at(
            sc.get("readOnlyRootFilesystem"),
            Some(sc),
            "readOnlyRootFilesystem",
        );
        if let Some(caps) = sc.get("capabilities") {
            spec.cap_add = caps
                .get("add")
                .map(Node::seq)
                .unwrap_or(&[])
                .iter()
                .map(|n| at(text(n), n.pos))
                .collect();
            spec.cap_drop = caps
                .get("drop")
                .map(Node::seq)
                .unwrap_or(&[])
                .iter()
                .map(|n| at(text(n), n.pos))
                .collect();
        }
    }
    if let Some((u, p)) = inherited(csc, psc, "runAsUser") {
        spec.user = Some(at(text(u), p));
    }
    if let Some((n, p)) = inherited(csc, psc, "runAsNonRoot") {
        spec.run_as_non_root = n.as_bool().map(|b| at(b, p));
    }
    if let Some((s, _)) = inherited(csc, psc, "seccompProfile") {
        let ty = s.get("type").map(text).unwrap_or_default();
        let p = s.key_pos("type").unwrap_or(s.pos);
        spec.seccomp = Some(at(
            if ty.eq_ignore_ascii_case("unconfined") {
                "unconfined".into()
            } else {
                ty
            },
            p,
        ));
    }
    if spec.seccomp.is_none() {
        // The pre-1.19 annotations still set a profile on older clusters.
        let keys = [
            format!("container.seccomp.security.alpha.kubernetes.io/{cname}"),
            "seccomp.security.alpha.kubernetes.io/pod".to_string(),
        ];
        if let Some(ann) = annotations {
            if let Some(k) = keys.iter().find(|k| ann.get(k).is_some()) {
                let v = ann.get(k).map(text).unwrap_or_default();
                spec.seccomp = Some(at(v, ann.key_pos(k).unwrap_or(ann.pos)));
            }
        }
    }
    if let Some((a, _)) = inherited(csc, psc, "appArmorProfile") {
        let p = a.key_pos("type").unwrap_or(a.pos);
        spec.apparmor = Some(at(a.get("type").map(text).unwrap_or_default(), p));
    } else if let Some(ann) = annotations {
        let k = format!("container.apparmor.security.beta.kubernetes.io/{cname}");
        if let Some(v) = ann.get(&k) {
            spec.apparmor = Some(at(text(v), ann.key_pos(&k).unwrap_or(v.pos)));
        }
    }
    if let Some((se, p)) = inherited(csc, psc, "seLinuxOptions") {
        if se.get("type").and_then(Node::as_str) == Some("spc_t") {
            spec.selinux_disabled = Some(se.key_pos("type").unwrap_or(p));
        }
    }

    for (key, field) in [("hostNetwork", 0), ("hostPID", 1), ("hostIPC", 2)] {
        if pod.get(key).and_then(Node::as_bool) == Some(true) {
            let v = Some(at("host".to_string(), pod.key_pos(key).unwrap_or(pod.pos)));
            match field {
                0 => spec.network = v,
                1 => spec.pid = v,
                _ => spec.ipc = v,
            }
        }
    }

    if let Some(limits) = c.path(&["resources", "limits"]) {
        spec.memory = limits
            .get("memory")
            .map(|m| at(text(m), limits.key_pos("memory").unwrap_or(m.pos)));
        spec.cpu = limits
            .get("cpu")
            .map(|m| at(text(m), limits.key_pos("cpu").unwrap_or(m.pos)));
    }

    let volumes = pod.get("volumes").map(Node::seq).unwrap_or(&[]);
    for vm in c.get("volumeMounts").map(Node::seq).unwrap_or(&[]) {
        let vname = vm.get("name").and_then(Node::as_str).unwrap_or("");
        let Some(vol) = volumes
            .iter()
            .find(|v| v.get("name").and_then(Node::as_str) == Some(vname))
        else {
            continue;
        };
        let Some(hp) = vol.get("hostPath") else {
            continue;
        };
        let path = hp.get("path").map(text).unwrap_or_default();
        let read_only = vm.get("readOnly").and_then(Node::as_bool).unwrap_or(false);
        let sensitive_pos = hp.key_pos("path").unwrap_or(hp.pos);
        let mount_pos = vm.key_pos("name").unwrap_or(vm.pos);
        // Dangerous host paths are reported at the volume; writability at the mount that grants it.
        let normalized = normalize_host_path(&path);
        let dangerous = is_socket(&normalized) || is_sensitive(&normalized);
        spec.mounts.push(Mount {
            host_source: Some(path),
            target: vm.get("mountPath").map(text).unwrap_or_default(),
            read_only,
            propagation: vm.get("mountPropagation").map(text),
            pos: if dangerous { sensitive_pos } else { mount_pos },
        });
    }

    for p in c.get("ports").map(Node::seq).unwrap_or(&[]) {
        if let Some(hp) = p.get("hostPort") {
            spec.ports.push(Port {
                host_ip: p.get("hostIP").map(text),
                host_port: hp.as_i64().and_then(|n| u32::try_from(n).ok()),
                published: true,
                pos: p.key_pos("hostPort").unwrap_or(p.pos),
            });
        }
    }
    for key in ["command", "args"] {
        if let Some(Value::Seq(items)) = c.get(key).map(|n| &n.value) {
            spec.command
                .extend(items.iter().map(|i| at(text(i), i.pos)));
        }
    }
    // Checks that do not exist for pods must not fire: they are disabled by the catalogue's
    // empty Kubernetes remediation, and fields such as pids_limit stay unset here.
    spec
}
