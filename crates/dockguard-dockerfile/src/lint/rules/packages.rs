//! (rules being written)
use super::RuleFn;

pub(super) const RULES: &[RuleFn] = &[];
