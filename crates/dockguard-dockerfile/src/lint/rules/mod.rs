//! The rules, grouped by what they look at. Each group exports `RULES`, a list of functions
//! run in order over the whole file.

use super::{Context, Hits};

mod general;
mod instructions;
mod labels;
mod packages;
mod security;

pub(super) type RuleFn = fn(&Context, &mut Hits);

pub(super) const ALL: &[&[RuleFn]] = &[
    general::RULES,
    instructions::RULES,
    packages::RULES,
    labels::RULES,
    security::RULES,
];
