//! What every rule can ask about the file being linted.

use super::config::LintConfig;
use crate::ast::{Dockerfile, Instruction, Keyword};
use crate::shell::{self, Script};
use crate::stages::{Model, Scope, Stage};
use std::cell::OnceCell;

/// The shell a `RUN` in shell form is executed by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunShell {
    /// `/bin/sh -c` or another POSIX-like shell (bash, ash, dash, zsh).
    Posix,
    /// PowerShell, cmd or another shell our analyzer does not understand; shell rules skip it.
    Other(String),
}

/// Shell analysis of one `RUN`.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// The command line (shell form text, or exec-form arguments joined by spaces).
    pub script: Script,
    /// Bodies of heredocs that are executed as scripts (`RUN <<EOF`, `RUN bash <<EOF`).
    pub heredoc_scripts: Vec<Script>,
}

impl RunInfo {
    /// Every command of the RUN: the command line's, then the heredoc scripts'.
    pub fn commands(&self) -> impl Iterator<Item = &shell::Command> {
        self.script
            .commands
            .iter()
            .chain(self.heredoc_scripts.iter().flat_map(|s| s.commands.iter()))
    }

    pub fn scripts(&self) -> impl Iterator<Item = &Script> {
        std::iter::once(&self.script).chain(self.heredoc_scripts.iter())
    }
}

/// The file being linted, with derived facts computed once.
pub struct Context<'a> {
    pub df: &'a Dockerfile,
    pub config: &'a LintConfig,
    pub model: Model,
    shells: Vec<RunShell>,
    runs: Vec<OnceCell<Option<RunInfo>>>,
}

impl<'a> Context<'a> {
    pub fn new(df: &'a Dockerfile, config: &'a LintConfig) -> Context<'a> {
        let model = Model::build(df);
        let shells = shells_in_effect(df, &model);
        let runs = (0..df.instructions.len())
            .map(|_| OnceCell::new())
            .collect();
        Context {
            df,
            config,
            model,
            shells,
            runs,
        }
    }

    pub fn instructions(&self) -> &'a [Instruction] {
        &self.df.instructions
    }

    /// Instructions with their indices, `ONBUILD` triggers excluded.
    pub fn each(&self, keyword: Keyword) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
        self.df
            .instructions
            .iter()
            .enumerate()
            .filter(move |(_, i)| i.keyword == keyword)
    }

    pub fn stages(&self) -> &[Stage] {
        &self.model.stages
    }

    /// Variables visible at instruction `index`.
    pub fn scope(&self, index: usize) -> Scope<'_> {
        self.model.scope(index)
    }

    /// Expands a word with the variables visible at instruction `index`.
    pub fn expand(&self, index: usize, word: &str) -> String {
        self.model.scope(index).expand(word, self.df.escape)
    }

    /// The shell that runs instruction `index` when it is a shell-form `RUN`.
    pub fn shell(&self, index: usize) -> &RunShell {
        &self.shells[index]
    }

    /// Shell analysis of `RUN` number `index` (also of `ONBUILD RUN`); `None` for other
    /// instructions and for shells we cannot analyze.
    pub fn run(&self, index: usize) -> Option<&RunInfo> {
        self.runs[index]
            .get_or_init(|| {
                let instruction = &self.df.instructions[index];
                let run = match (&instruction.sub, instruction.keyword) {
                    (_, Keyword::Run) => instruction,
                    (Some(sub), Keyword::Onbuild) if sub.keyword == Keyword::Run => sub,
                    _ => return None,
                };
                if let RunShell::Other(_) = self.shells[index] {
                    if !run.json {
                        return None;
                    }
                }
                Some(analyze_run(run))
            })
            .as_ref()
    }

    /// All `RUN`s (and `ONBUILD RUN`s) with their shell analysis.
    pub fn runs(&self) -> impl Iterator<Item = (usize, &'a Instruction, &RunInfo)> + '_ {
        (0..self.df.instructions.len())
            .filter_map(move |i| self.run(i).map(|r| (i, &self.df.instructions[i], r)))
    }
}

fn analyze_run(run: &Instruction) -> RunInfo {
    let script = if run.json {
        shell::parse(&run.args.join(" "))
    } else {
        shell::parse(&run.rest)
    };
    let heredoc_scripts = if run.heredocs.is_empty() {
        Vec::new()
    } else {
        // A heredoc is a script when it is fed to a shell (`RUN <<EOF`, `RUN bash <<EOF`);
        // heredocs fed to other programs (`cat > file`, `python3`) are data.
        let feeds_shell = script.commands.iter().all(|c| c.name.is_empty())
            || script
                .commands
                .iter()
                .any(|c| matches!(c.name.as_str(), "sh" | "bash" | "ash" | "dash" | "zsh"));
        if feeds_shell {
            run.heredocs
                .iter()
                .filter(|h| !h.content.starts_with("#!") || is_shell_shebang(&h.content))
                .map(|h| shell::parse(&h.content))
                .collect()
        } else {
            Vec::new()
        }
    };
    RunInfo {
        script,
        heredoc_scripts,
    }
}

fn is_shell_shebang(content: &str) -> bool {
    let first = content.lines().next().unwrap_or("");
    ["sh", "bash", "ash", "dash", "zsh"]
        .iter()
        .any(|s| first.ends_with(&format!("/{s}")) || first.ends_with(&format!(" {s}")))
}

/// The shell for each instruction: the default `/bin/sh`, changed by `SHELL` within a stage
/// and inherited by stages built from it, and overridden file-wide by `# hadolint shell=…`.
fn shells_in_effect(df: &Dockerfile, model: &Model) -> Vec<RunShell> {
    let pragma = df.comments.iter().find_map(|c| {
        let rest = c.text.strip_prefix("hadolint")?.trim_start();
        rest.strip_prefix("shell=").map(|s| s.trim().to_string())
    });
    let mut stage_shell: Vec<RunShell> = Vec::new();
    let mut current = RunShell::Posix;
    let mut out = Vec::with_capacity(df.instructions.len());
    for (index, instruction) in df.instructions.iter().enumerate() {
        if instruction.keyword == Keyword::From {
            if let Some(stage) = model.stage_of[index] {
                if stage > 0 {
                    stage_shell.push(current.clone());
                }
                current = model.stages[stage]
                    .parent
                    .and_then(|p| stage_shell.get(p).cloned())
                    .unwrap_or(RunShell::Posix);
            }
        }
        if instruction.keyword == Keyword::Shell {
            current = shell_kind(instruction.args.first().map(String::as_str).unwrap_or(""));
        }
        out.push(match &pragma {
            Some(name) => shell_kind(name),
            None => current.clone(),
        });
    }
    out
}

fn shell_kind(program: &str) -> RunShell {
    let name = program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(program)
        .to_ascii_lowercase();
    let name = name.trim_end_matches(".exe");
    match name {
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "busybox" => RunShell::Posix,
        _ => RunShell::Other(name.to_string()),
    }
}
