//! The security-relevant facts of an image's configuration and final filesystem, as data
//! (the findings judge them; this says what is there). Field names follow the fixture ground
//! truth so that the two can be compared directly.

use crate::checks::{looks_secret, Ctx};
use crate::surface;
use dockguard_image::{FileKind, Healthcheck};
use serde::Serialize;
use std::collections::BTreeMap;

/// A file whose mode matters, with the layer that holds the visible version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModeFact {
    pub path: String,
    /// Octal, `0o4755`.
    pub mode: String,
    pub uid: u32,
    pub gid: u32,
    pub setuid: bool,
    pub setgid: bool,
    pub layer_index: usize,
}

/// What [`crate::config_facts`] reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigFacts {
    /// `USER` as configured; empty when unset.
    pub user: String,
    pub runs_as_root: bool,
    pub exposed_ports: Vec<String>,
    pub env_names: Vec<String>,
    pub env_names_that_look_secret: Vec<String>,
    pub healthcheck: Option<Healthcheck>,
    pub has_healthcheck: bool,
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    pub workdir: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub shell_present: bool,
    /// Paths of package manager binaries in the final image.
    pub package_managers_present: Vec<String>,
    pub setuid_setgid_files: Vec<ModeFact>,
    pub world_writable_dirs_without_sticky_bit: Vec<ModeFact>,
    pub world_writable_dirs_with_sticky_bit: Vec<String>,
    pub world_writable_files: Vec<ModeFact>,
    /// Regular files in the merged filesystem (hard links, directories and symlinks not counted).
    pub final_file_count: usize,
}

pub(crate) fn collect(ctx: &Ctx<'_>) -> ConfigFacts {
    let c = &ctx.image.config;
    let env_names: Vec<String> = c
        .env
        .iter()
        .map(|kv| {
            kv.split_once('=')
                .map_or(kv.as_str(), |(k, _)| k)
                .to_string()
        })
        .collect();
    let mode_fact = |e: &dockguard_image::FileEntry| ModeFact {
        path: e.path.clone(),
        mode: format!("0o{:o}", e.mode & 0o7777),
        uid: e.uid,
        gid: e.gid,
        setuid: e.is_setuid(),
        setgid: e.is_setgid(),
        layer_index: e.layer_index,
    };
    let mut setuid = Vec::new();
    let mut ww_dirs = Vec::new();
    let mut sticky = Vec::new();
    let mut ww_files = Vec::new();
    let mut count = 0;
    for e in ctx.scan.fs.merged() {
        if e.kind == FileKind::Regular {
            count += 1;
        }
        let regular = matches!(e.kind, FileKind::Regular | FileKind::HardLink);
        if regular && (e.is_setuid() || e.is_setgid()) {
            setuid.push(mode_fact(e));
        }
        if e.mode & 0o002 != 0 {
            match e.kind {
                FileKind::Directory if e.mode & 0o1000 != 0 => sticky.push(e.path.clone()),
                FileKind::Directory => ww_dirs.push(mode_fact(e)),
                FileKind::Regular | FileKind::HardLink => ww_files.push(mode_fact(e)),
                _ => {}
            }
        }
    }
    let tools = surface::present_tools(ctx);
    ConfigFacts {
        user: c.user.clone().unwrap_or_default(),
        runs_as_root: ctx.run_uid() == Some(0),
        exposed_ports: c.exposed_ports.clone(),
        env_names_that_look_secret: env_names
            .iter()
            .filter(|n| looks_secret(n))
            .cloned()
            .collect(),
        env_names,
        has_healthcheck: c.healthcheck.as_ref().is_some_and(|h| !h.is_disabled()),
        healthcheck: c.healthcheck.clone(),
        entrypoint: c.entrypoint.clone(),
        cmd: c.cmd.clone(),
        workdir: c.working_dir.clone(),
        labels: c.labels.clone(),
        shell_present: !tools.shells.is_empty(),
        package_managers_present: tools.package_managers,
        setuid_setgid_files: setuid,
        world_writable_dirs_without_sticky_bit: ww_dirs,
        world_writable_dirs_with_sticky_bit: sticky,
        world_writable_files: ww_files,
        final_file_count: count,
    }
}
