//! Build stages and the variables in scope at each instruction.
//!
//! BuildKit scopes variables in a way that is easy to get wrong: `ARG`s before the first `FROM`
//! are visible only to `FROM` lines, unless a stage re-declares them (without a value, the stage
//! inherits the global default); a stage built `FROM` an earlier stage inherits its `ENV` but not
//! its `ARG`s. Rules that reason about base images, users or paths use this module to see the
//! values the builder will see.

use crate::ast::{Dockerfile, Instruction, Keyword};
use crate::expand::expand_word;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// One build stage: a `FROM` and the instructions up to the next `FROM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// Index of the `FROM` instruction in [`Dockerfile::instructions`].
    pub from: usize,
    /// The image reference as written.
    pub base: String,
    /// The image reference after expanding global `ARG`s.
    pub base_expanded: String,
    /// `AS name` (case preserved; Docker compares aliases case-insensitively).
    pub alias: Option<String>,
    /// `--platform` value, if any.
    pub platform: Option<String>,
    /// Index of the earlier stage this stage is built from, when `base` names one.
    pub parent: Option<usize>,
    /// Instruction indices belonging to this stage, including its `FROM`.
    pub instructions: Range<usize>,
}

impl Stage {
    pub fn is_scratch(&self) -> bool {
        self.base_expanded.eq_ignore_ascii_case("scratch")
    }
}

/// Every value a variable took in one stage, in instruction order.
///
/// Keeping histories instead of a snapshot per instruction makes building the model linear and
/// each lookup logarithmic, so a hostile file with thousands of `ENV` lines stays fast.
#[derive(Debug, Clone, Default)]
struct Vars {
    /// `ENV` name → (instruction index, value).
    env: HashMap<String, Vec<(usize, String)>>,
    /// `ARG` name → (instruction index, default after inheriting the global one).
    args: HashMap<String, Vec<(usize, Option<String>)>>,
}

/// The value in effect before instruction `at`, from a history sorted by instruction index.
fn before<T>(history: Option<&Vec<(usize, T)>>, at: usize) -> Option<&T> {
    let history = history?;
    let n = history.partition_point(|(i, _)| *i < at);
    n.checked_sub(1).map(|k| &history[k].1)
}

/// Variables visible at one instruction.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    model: &'a Model,
    /// The stage, or `None` before the first `FROM` (only global `ARG`s are visible).
    stage: Option<usize>,
    at: usize,
}

impl Scope<'_> {
    /// ENV wins over ARG, as in BuildKit; a stage sees the ENV its parent stage ended with.
    pub fn get(&self, name: &str) -> Option<String> {
        let Some(stage) = self.stage else {
            return before(self.model.globals.get(name), self.at)
                .cloned()
                .flatten();
        };
        let vars = &self.model.vars[stage];
        if let Some(v) = before(vars.env.get(name), self.at) {
            return Some(v.clone());
        }
        if let Some(v) = before(vars.args.get(name), self.at) {
            return v.clone();
        }
        let mut parent = self.model.stages[stage].parent;
        while let Some(p) = parent {
            if let Some(v) = before(self.model.vars[p].env.get(name), usize::MAX) {
                return Some(v.clone());
            }
            parent = self.model.stages[p].parent;
        }
        None
    }

    pub fn expand(&self, word: &str, escape: char) -> String {
        expand_word(word, escape, &|name: &str| self.get(name))
    }
}

/// Stages plus the variables in scope at every instruction.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub stages: Vec<Stage>,
    /// Global `ARG`s declared before the first `FROM`, with their expanded defaults.
    pub global_args: BTreeMap<String, Option<String>>,
    /// `stage_of[i]` is the stage index of instruction `i` (`None` before the first `FROM`).
    pub stage_of: Vec<Option<usize>>,
    globals: HashMap<String, Vec<(usize, Option<String>)>>,
    vars: Vec<Vars>,
}

impl Model {
    pub fn build(df: &Dockerfile) -> Model {
        let escape = df.escape;
        let mut model = Model::default();
        let mut current: Option<usize> = None;

        for (index, instruction) in df.instructions.iter().enumerate() {
            if instruction.keyword == Keyword::From {
                if let Some(s) = current {
                    model.stages[s].instructions.end = index;
                }
                let stage = stage_of_from(instruction, index, model.stages.len(), &model, escape);
                current = Some(model.stages.len());
                model.stages.push(stage);
                model.vars.push(Vars::default());
                model.stage_of.push(current);
                continue;
            }
            model.stage_of.push(current);
            match instruction.keyword {
                Keyword::Arg => {
                    for word in &instruction.args {
                        let (name, default) = match word.split_once('=') {
                            Some((n, v)) => {
                                let value = model.scope(index).expand(v, escape);
                                (n.to_string(), Some(value))
                            }
                            None => (word.clone(), None),
                        };
                        match current {
                            None => {
                                model.global_args.insert(name.clone(), default.clone());
                                model
                                    .globals
                                    .entry(name)
                                    .or_default()
                                    .push((index, default));
                            }
                            Some(s) => {
                                let inherited = model.global_args.get(&name).cloned().flatten();
                                model.vars[s]
                                    .args
                                    .entry(name)
                                    .or_default()
                                    .push((index, default.or(inherited)));
                            }
                        }
                    }
                }
                Keyword::Env => {
                    if let Some(s) = current {
                        for (key, value) in instruction.pairs() {
                            let value = model.scope(index).expand(value, escape);
                            model.vars[s]
                                .env
                                .entry(key.to_string())
                                .or_default()
                                .push((index, value));
                        }
                    }
                }
                _ => {}
            }
        }
        if let Some(s) = current {
            model.stages[s].instructions.end = df.instructions.len();
        }
        model
    }

    /// Variables visible at instruction `index` (before its own effect).
    pub fn scope(&self, index: usize) -> Scope<'_> {
        Scope {
            model: self,
            stage: self.stage_of.get(index).copied().flatten(),
            at: index,
        }
    }

    /// The last stage, which is what `docker build` produces without `--target`.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The stage whose alias (case-insensitive) or index matches `name`.
    pub fn stage_named(&self, name: &str) -> Option<&Stage> {
        if let Ok(i) = name.parse::<usize>() {
            return self.stages.get(i);
        }
        self.stages.iter().find(|s| {
            s.alias
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case(name))
        })
    }
}

fn stage_of_from(
    from: &Instruction,
    index: usize,
    stage_index: usize,
    model: &Model,
    escape: char,
) -> Stage {
    let earlier = &model.stages;
    let globals = Scope {
        model,
        stage: None,
        at: index,
    };
    let base = from.args.first().cloned().unwrap_or_default();
    let base_expanded = globals.expand(&base, escape);
    let alias = match from.args.as_slice() {
        [_, as_word, name, ..] if as_word.eq_ignore_ascii_case("as") => Some(name.clone()),
        _ => None,
    };
    let parent = earlier.iter().position(|s| {
        s.alias
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(&base_expanded))
    });
    Stage {
        index: stage_index,
        from: index,
        base,
        base_expanded,
        alias,
        platform: from.flag("platform").and_then(|f| f.value.clone()),
        parent,
        instructions: index..index + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn scoping_follows_buildkit() {
        let df = parse(
            "ARG REGISTRY=docker.io\nARG TAG=1\nFROM ${REGISTRY}/lib:${TAG} AS base\nARG TAG\n\
             ARG HOME=/srv\nENV H=${HOME:-/x} T=${TAG:+has}\nRUN x\nFROM base AS final\nRUN y\n",
        )
        .unwrap();
        let m = Model::build(&df);
        assert_eq!(m.stages.len(), 2);
        assert_eq!(m.stages[0].base_expanded, "docker.io/lib:1");
        assert_eq!(m.stages[0].alias.as_deref(), Some("base"));
        assert_eq!(m.scope(6).get("H").as_deref(), Some("/srv"));
        assert_eq!(m.scope(6).get("T").as_deref(), Some("has"));
        assert_eq!(m.stages[1].parent, Some(0));
        assert_eq!(m.scope(8).get("H").as_deref(), Some("/srv"));
        assert_eq!(m.scope(8).get("TAG"), None);
        assert_eq!(m.stage_of[0], None);
        assert_eq!(m.stages[0].instructions, 2..7);
    }

    #[test]
    fn edge_fixture_expansions() {
        let Some(path) =
            dockguard_testkit::fixture("dockerfiles/edge/arg-before-from-and-expansion.Dockerfile")
        else {
            return;
        };
        let df = crate::parse_bytes(&std::fs::read(path).unwrap()).unwrap();
        let m = Model::build(&df);
        let run = df
            .instructions
            .iter()
            .rposition(|i| i.keyword == Keyword::Run)
            .unwrap();
        let scope = m.scope(run);
        assert_eq!(scope.get("HOME_DIR").as_deref(), Some("/srv/app"));
        assert_eq!(scope.get("USER_NAME").as_deref(), Some("nobody"));
        assert_eq!(scope.get("FLAG").as_deref(), Some("has-tag"));
        assert_eq!(scope.get("LITERAL").as_deref(), Some("$NOT_EXPANDED"));
        assert_eq!(scope.get("TAG").as_deref(), Some("override"));
        assert_eq!(
            m.stages[0].base_expanded,
            "docker.io/library/debian:bookworm-slim"
        );
    }

    #[test]
    fn many_env_lines_build_in_linear_time() {
        // 20k ENV lines: a per-instruction snapshot of the scope would copy 2e8 entries.
        let mut text = String::from("FROM a\n");
        for i in 0..20_000u32 {
            text.push_str(&format!(
                "ENV V{i}=${{V{}:+set}}-{i}\n",
                i.saturating_sub(1)
            ));
        }
        let df = parse(&text).unwrap();
        let m = Model::build(&df);
        assert_eq!(m.scope(20_000).get("V3").as_deref(), Some("set-3"));
        assert_eq!(m.scope(20_000).get("V0").as_deref(), Some("-0"));
    }
}
