//! Build stages and the variables in scope at each instruction.
//!
//! BuildKit scopes variables in a way that is easy to get wrong: `ARG`s before the first `FROM`
//! are visible only to `FROM` lines, unless a stage re-declares them (without a value, the stage
//! inherits the global default); a stage built `FROM` an earlier stage inherits its `ENV` but not
//! its `ARG`s. Rules that reason about base images, users or paths use this module to see the
//! values the builder will see.

use crate::ast::{Dockerfile, Instruction, Keyword};
use crate::expand::expand_word;
use std::collections::BTreeMap;
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

/// Variables visible at one instruction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub args: BTreeMap<String, Option<String>>,
    pub env: BTreeMap<String, String>,
}

impl Scope {
    /// ENV wins over ARG, as in BuildKit.
    pub fn get(&self, name: &str) -> Option<String> {
        if let Some(v) = self.env.get(name) {
            return Some(v.clone());
        }
        self.args.get(name).cloned().flatten()
    }

    pub fn expand(&self, word: &str, escape: char) -> String {
        expand_word(word, escape, &|name: &str| self.get(name))
    }
}

/// Stages plus the scope before every instruction.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub stages: Vec<Stage>,
    /// Global `ARG`s declared before the first `FROM`, with their expanded defaults.
    pub global_args: BTreeMap<String, Option<String>>,
    /// `scopes[i]` is what instruction `i` sees (before its own effect).
    pub scopes: Vec<Scope>,
    /// `stage_of[i]` is the stage index of instruction `i` (`None` before the first `FROM`).
    pub stage_of: Vec<Option<usize>>,
}

impl Model {
    pub fn build(df: &Dockerfile) -> Model {
        let escape = df.escape;
        let mut model = Model::default();
        let mut scope = Scope::default();
        let mut stage_env: Vec<BTreeMap<String, String>> = Vec::new();
        let mut current: Option<usize> = None;

        for (index, instruction) in df.instructions.iter().enumerate() {
            if instruction.keyword == Keyword::From {
                if let Some(s) = current {
                    model.stages[s].instructions.end = index;
                    stage_env.push(scope.env.clone());
                }
                let globals = Scope {
                    args: model.global_args.clone(),
                    env: BTreeMap::new(),
                };
                let stage = stage_of_from(instruction, index, model.stages.len(), &globals, escape, &model.stages);
                scope = Scope::default();
                if let Some(parent) = stage.parent {
                    scope.env = stage_env.get(parent).cloned().unwrap_or_default();
                }
                current = Some(model.stages.len());
                model.stages.push(stage);
                model.scopes.push(scope.clone());
                model.stage_of.push(current);
                continue;
            }
            model.scopes.push(scope.clone());
            model.stage_of.push(current);
            match instruction.keyword {
                Keyword::Arg => {
                    for word in &instruction.args {
                        let (name, default) = match word.split_once('=') {
                            Some((n, v)) => (n.to_string(), Some(scope.expand(v, escape))),
                            None => (word.clone(), None),
                        };
                        if current.is_none() {
                            model.global_args.insert(name, default);
                        } else {
                            let inherited = model.global_args.get(&name).cloned().flatten();
                            scope.args.insert(name, default.or(inherited));
                        }
                    }
                }
                Keyword::Env => {
                    for (key, value) in instruction.pairs() {
                        let value = scope.expand(value, escape);
                        scope.env.insert(key.to_string(), value);
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

    /// The last stage, which is what `docker build` produces without `--target`.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The stage whose alias (case-insensitive) or index matches `name`.
    pub fn stage_named(&self, name: &str) -> Option<&Stage> {
        if let Ok(i) = name.parse::<usize>() {
            return self.stages.get(i);
        }
        self.stages
            .iter()
            .find(|s| s.alias.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(name)))
    }
}

fn stage_of_from(
    from: &Instruction,
    index: usize,
    stage_index: usize,
    globals: &Scope,
    escape: char,
    earlier: &[Stage],
) -> Stage {
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
        assert_eq!(m.scopes[6].get("H").as_deref(), Some("/srv"));
        assert_eq!(m.scopes[6].get("T").as_deref(), Some("has"));
        assert_eq!(m.stages[1].parent, Some(0));
        assert_eq!(m.scopes[8].get("H").as_deref(), Some("/srv"));
        assert_eq!(m.scopes[8].get("TAG"), None);
        assert_eq!(m.stage_of[0], None);
        assert_eq!(m.stages[0].instructions, 2..7);
    }
}
