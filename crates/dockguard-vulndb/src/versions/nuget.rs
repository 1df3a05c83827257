//! NuGet versions: SemVer 2 with a fourth numeric component (`1.0.0.1`) and case-insensitive
//! pre-release labels, as NuGet.Versioning orders them.

use std::cmp::Ordering;

pub fn compare(a: &str, b: &str) -> Ordering {
    super::semver::compare_width(a, b, 4, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::{fixture_tests, props, Scheme};
    use proptest::prelude::*;

    #[test]
    fn fixture_comparisons_hold() {
        fixture_tests::assert_all("nuget-versions.txt", Scheme::NuGet);
    }

    proptest! {
        #[test]
        fn order_laws(a in props::version_like(".-+"), b in props::version_like(".-+"), c in props::version_like(".-+")) {
            props::check_laws(compare, &a, &b, &c);
        }
    }
}
