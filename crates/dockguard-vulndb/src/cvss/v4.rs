//! CVSS v4.0 scores by the specification's macro-vector method.
//!
//! A vector falls into one of 270 macro vectors (the equivalence classes EQ1–EQ6); FIRST
//! publishes an expert-assigned score for each. The vector's own score is that score lowered
//! by how far the vector sits from the most severe vectors of its class, in proportion to the
//! score drop to the next lower class along each equivalence. The arithmetic below follows the
//! reference calculator step by step (same operations, same order, same rounding) so scores
//! agree with the published ones to the last decimal.
//!
//! Threat (`E`) and environmental metrics (`CR`/`IR`/`AR`, `M…`) are honoured when a vector
//! carries them, as the calculator does; supplemental metrics do not affect the score.

use super::metrics;

/// Macro-vector scores in tenths, indexed by [`macro_index`]; `-1` marks the combinations
/// that cannot occur (EQ3 2 with EQ6 0). FIRST's published table.
#[rustfmt::skip]
const MACRO_TENTHS: [i8; 324] = [
    // EQ1 0, EQ2 0, EQ3 0
    100, 99, 98, 95, 95, 92, 100, 96, 93, 87, 91, 81, 93, 90, 89, 80, 81, 68,
    // EQ1 0, EQ2 0, EQ3 1
    98, 95, 95, 92, 90, 84, 93, 92, 89, 81, 81, 65, 88, 80, 78, 70, 69, 48,
    // EQ1 0, EQ2 0, EQ3 2
    -1, 92, -1, 82, -1, 72, -1, 79, -1, 69, -1, 50, -1, 69, -1, 55, -1, 27,
    // EQ1 0, EQ2 1, EQ3 0
    99, 97, 95, 92, 92, 85, 95, 91, 90, 83, 84, 71, 92, 81, 82, 71, 72, 53,
    // EQ1 0, EQ2 1, EQ3 1
    95, 93, 92, 85, 85, 73, 92, 82, 80, 72, 70, 59, 84, 70, 71, 52, 50, 30,
    // EQ1 0, EQ2 1, EQ3 2
    -1, 86, -1, 75, -1, 52, -1, 71, -1, 52, -1, 29, -1, 63, -1, 29, -1, 17,
    // EQ1 1, EQ2 0, EQ3 0
    98, 95, 94, 87, 91, 81, 94, 89, 86, 74, 77, 64, 87, 75, 74, 63, 63, 49,
    // EQ1 1, EQ2 0, EQ3 1
    94, 89, 88, 77, 76, 67, 86, 76, 74, 58, 59, 50, 72, 57, 57, 52, 52, 25,
    // EQ1 1, EQ2 0, EQ3 2
    -1, 83, -1, 70, -1, 54, -1, 65, -1, 58, -1, 26, -1, 53, -1, 21, -1, 13,
    // EQ1 1, EQ2 1, EQ3 0
    95, 90, 88, 76, 76, 70, 90, 77, 75, 62, 61, 53, 77, 66, 68, 59, 52, 30,
    // EQ1 1, EQ2 1, EQ3 1
    89, 78, 76, 67, 62, 58, 74, 59, 57, 57, 47, 23, 61, 52, 57, 29, 24, 16,
    // EQ1 1, EQ2 1, EQ3 2
    -1, 71, -1, 59, -1, 30, -1, 58, -1, 26, -1, 15, -1, 23, -1, 13, -1, 6,
    // EQ1 2, EQ2 0, EQ3 0
    93, 87, 86, 72, 75, 58, 86, 74, 74, 61, 56, 34, 70, 54, 52, 40, 40, 22,
    // EQ1 2, EQ2 0, EQ3 1
    85, 75, 74, 55, 62, 51, 72, 57, 55, 41, 46, 19, 53, 36, 34, 19, 19, 8,
    // EQ1 2, EQ2 0, EQ3 2
    -1, 64, -1, 51, -1, 20, -1, 47, -1, 21, -1, 11, -1, 24, -1, 9, -1, 4,
    // EQ1 2, EQ2 1, EQ3 0
    88, 75, 73, 53, 60, 50, 73, 55, 59, 40, 41, 20, 54, 43, 45, 22, 20, 11,
    // EQ1 2, EQ2 1, EQ3 1
    75, 55, 58, 45, 40, 21, 61, 51, 48, 18, 20, 9, 46, 18, 17, 7, 8, 2,
    // EQ1 2, EQ2 1, EQ3 2
    -1, 53, -1, 24, -1, 14, -1, 24, -1, 12, -1, 5, -1, 10, -1, 3, -1, 1,
];

fn macro_index(eq: [usize; 6]) -> Option<usize> {
    const LIMITS: [usize; 6] = [3, 2, 3, 3, 3, 2];
    let mut i = 0;
    for (v, limit) in eq.iter().zip(LIMITS) {
        if *v >= limit {
            return None;
        }
        i = i * limit + v;
    }
    Some(i)
}

/// The published score of a macro vector; `None` when there is no such class.
fn macro_score(eq: [usize; 6]) -> Option<f64> {
    let t = MACRO_TENTHS[macro_index(eq)?];
    (t >= 0).then(|| f64::from(t) / 10.0)
}

/// Effective metric values after defaults and environmental overrides, one byte each.
struct Metrics {
    av: u8,
    ac: u8,
    at: u8,
    pr: u8,
    ui: u8,
    vc: u8,
    vi: u8,
    va: u8,
    sc: u8,
    si: u8,
    sa: u8,
    e: u8,
    cr: u8,
    ir: u8,
    ar: u8,
}

/// Allowed values per metric (`X` = not defined, for the optional ones).
const ALLOWED: [(&str, &str); 32] = [
    ("AV", "NALP"),
    ("AC", "LH"),
    ("AT", "NP"),
    ("PR", "NLH"),
    ("UI", "NPA"),
    ("VC", "HLN"),
    ("VI", "HLN"),
    ("VA", "HLN"),
    ("SC", "HLN"),
    ("SI", "HLN"),
    ("SA", "HLN"),
    ("E", "XAPU"),
    ("CR", "XHML"),
    ("IR", "XHML"),
    ("AR", "XHML"),
    ("MAV", "XNALP"),
    ("MAC", "XLH"),
    ("MAT", "XNP"),
    ("MPR", "XNLH"),
    ("MUI", "XNPA"),
    ("MVC", "XHLN"),
    ("MVI", "XHLN"),
    ("MVA", "XHLN"),
    ("MSC", "XHLN"),
    ("MSI", "XSHLN"),
    ("MSA", "XSHLN"),
    ("S", "XNP"),
    ("AU", "XNY"),
    ("R", "XAUI"),
    ("V", "XDC"),
    ("RE", "XLMH"),
    ("U", ""),
];

const BASE: [&str; 11] = [
    "AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA",
];

fn parse(rest: &str) -> Option<Metrics> {
    let pairs = metrics(rest)?;
    for (k, v) in &pairs {
        let (_, allowed) = ALLOWED.iter().find(|(name, _)| name == k)?;
        let ok = if *k == "U" {
            matches!(*v, "X" | "Clear" | "Green" | "Amber" | "Red")
        } else {
            v.len() == 1 && allowed.contains(*v)
        };
        if !ok {
            return None;
        }
    }
    let raw = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.as_bytes()[0])
    };
    if BASE.iter().any(|k| raw(k).is_none()) {
        return None;
    }
    // A defined `M…` metric replaces the base value; undefined ones leave it.
    let eff = |k: &str| -> u8 {
        let modified = raw(&format!("M{k}")).filter(|v| *v != b'X');
        modified.or_else(|| raw(k)).unwrap_or(b'X')
    };
    // Undefined threat and requirement metrics take their most severe value.
    let worst = |k: &str, default: u8| raw(k).filter(|v| *v != b'X').unwrap_or(default);
    Some(Metrics {
        av: eff("AV"),
        ac: eff("AC"),
        at: eff("AT"),
        pr: eff("PR"),
        ui: eff("UI"),
        vc: eff("VC"),
        vi: eff("VI"),
        va: eff("VA"),
        sc: eff("SC"),
        si: eff("SI"),
        sa: eff("SA"),
        e: worst("E", b'A'),
        cr: worst("CR", b'H'),
        ir: worst("IR", b'H'),
        ar: worst("AR", b'H'),
    })
}

impl Metrics {
    fn equivalences(&self) -> [usize; 6] {
        let (av, pr, ui) = (self.av, self.pr, self.ui);
        let eq1 = if av == b'N' && pr == b'N' && ui == b'N' {
            0
        } else if (av == b'N' || pr == b'N' || ui == b'N') && av != b'P' {
            1
        } else {
            2
        };
        let eq2 = usize::from(!(self.ac == b'L' && self.at == b'N'));
        let (vc, vi, va) = (self.vc, self.vi, self.va);
        let eq3 = if vc == b'H' && vi == b'H' {
            0
        } else if vc == b'H' || vi == b'H' || va == b'H' {
            1
        } else {
            2
        };
        // Only an environmental `MSI:S`/`MSA:S` reaches the top class: base SI/SA have no S.
        let eq4 = if self.si == b'S' || self.sa == b'S' {
            0
        } else if self.sc == b'H' || self.si == b'H' || self.sa == b'H' {
            1
        } else {
            2
        };
        let eq5 = match self.e {
            b'A' => 0,
            b'P' => 1,
            _ => 2,
        };
        let eq6 = usize::from(
            !((self.cr == b'H' && vc == b'H')
                || (self.ir == b'H' && vi == b'H')
                || (self.ar == b'H' && va == b'H')),
        );
        [eq1, eq2, eq3, eq4, eq5, eq6]
    }
}

/// Severity levels: 0.0 is the most severe value, each step less severe adds 0.1.
fn level(metric: &str, v: u8) -> f64 {
    match (metric, v) {
        ("AV", b'N') => 0.0,
        ("AV", b'A') => 0.1,
        ("AV", b'L') => 0.2,
        ("AV", b'P') => 0.3,
        ("PR" | "UI", b'N') => 0.0,
        ("PR", b'L') | ("UI", b'P') => 0.1,
        ("PR", b'H') | ("UI", b'A') => 0.2,
        ("AC", b'L') | ("AT", b'N') => 0.0,
        ("AC", b'H') | ("AT", b'P') => 0.1,
        ("VC" | "VI" | "VA", b'H') => 0.0,
        ("VC" | "VI" | "VA", b'L') => 0.1,
        ("VC" | "VI" | "VA", b'N') => 0.2,
        ("SI" | "SA", b'S') => 0.0,
        ("SC" | "SI" | "SA", b'H') => 0.1,
        ("SC" | "SI" | "SA", b'L') => 0.2,
        ("SC" | "SI" | "SA", b'N') => 0.3,
        ("CR" | "IR" | "AR", b'H') => 0.0,
        ("CR" | "IR" | "AR", b'M') => 0.1,
        ("CR" | "IR" | "AR", b'L') => 0.2,
        _ => 0.0,
    }
}

/// The most severe vectors of each class, as the specification lists them: (AV, PR, UI) for
/// EQ1, (AC, AT) for EQ2, (VC, VI, VA, CR, IR, AR) for EQ3 with EQ6, (SC, SI, SA) for EQ4.
fn eq1_maxes(eq1: usize) -> &'static [&'static [u8; 3]] {
    match eq1 {
        0 => &[b"NNN"],
        1 => &[b"ANN", b"NLN", b"NNP"],
        _ => &[b"PNN", b"ALP"],
    }
}

fn eq2_maxes(eq2: usize) -> &'static [&'static [u8; 2]] {
    match eq2 {
        0 => &[b"LN"],
        _ => &[b"HN", b"LP"],
    }
}

fn eq3_eq6_maxes(eq3: usize, eq6: usize) -> &'static [&'static [u8; 6]] {
    match (eq3, eq6) {
        (0, 0) => &[b"HHHHHH"],
        (0, _) => &[b"HHLMMH", b"HHHMMM"],
        (1, 0) => &[b"LHHHHH", b"HLHHHH"],
        (1, _) => &[b"LHLHMH", b"LHHHMM", b"HLHMHM", b"HLLMHH", b"LLHHHM"],
        _ => &[b"LLLHHH"],
    }
}

fn eq4_maxes(eq4: usize) -> &'static [u8; 3] {
    match eq4 {
        0 => b"HSS",
        1 => b"HHH",
        _ => b"LLL",
    }
}

/// Depth of each class in severity steps (plus one), for the proportion of the way down.
fn max_severity(eq: [usize; 6]) -> [f64; 4] {
    let eq1 = [1.0, 4.0, 5.0][eq[0]];
    let eq2 = [1.0, 2.0][eq[1]];
    let eq3eq6 = match (eq[2], eq[5]) {
        (0, 0) => 7.0,
        (0, _) => 6.0,
        (1, _) => 8.0,
        _ => 10.0,
    };
    let eq4 = [6.0, 5.0, 4.0][eq[3]];
    [eq1 * 0.1, eq2 * 0.1, eq3eq6 * 0.1, eq4 * 0.1]
}

/// Severity distances of the vector from the first most-severe vector of its class that is
/// at least as severe in every metric: (EQ1, EQ2, EQ3+EQ6, EQ4).
fn distances(m: &Metrics, eq: [usize; 6]) -> [f64; 4] {
    let mut last = [0.0; 4];
    for e1 in eq1_maxes(eq[0]) {
        for e2 in eq2_maxes(eq[1]) {
            for e36 in eq3_eq6_maxes(eq[2], eq[5]) {
                let e4 = eq4_maxes(eq[3]);
                let d = |metric: &str, ours: u8, max: u8| level(metric, ours) - level(metric, max);
                let each = [
                    d("AV", m.av, e1[0]),
                    d("PR", m.pr, e1[1]),
                    d("UI", m.ui, e1[2]),
                    d("AC", m.ac, e2[0]),
                    d("AT", m.at, e2[1]),
                    d("VC", m.vc, e36[0]),
                    d("VI", m.vi, e36[1]),
                    d("VA", m.va, e36[2]),
                    d("SC", m.sc, e4[0]),
                    d("SI", m.si, e4[1]),
                    d("SA", m.sa, e4[2]),
                    d("CR", m.cr, e36[3]),
                    d("IR", m.ir, e36[4]),
                    d("AR", m.ar, e36[5]),
                ];
                last = [
                    each[0] + each[1] + each[2],
                    each[3] + each[4],
                    each[5] + each[6] + each[7] + each[11] + each[12] + each[13],
                    each[8] + each[9] + each[10],
                ];
                if each.iter().all(|x| *x >= 0.0) {
                    return last;
                }
            }
        }
    }
    // No listed vector dominates this one (the calculator then keeps the last it tried).
    last
}

/// Base (or, with threat/environmental metrics, combined) score of the part of a vector after
/// `CVSS:4.0/`; `None` when a base metric is missing or any metric is unknown or invalid.
pub(crate) fn base_score(rest: &str) -> Option<f64> {
    let m = parse(rest)?;
    if [m.vc, m.vi, m.va, m.sc, m.si, m.sa]
        .iter()
        .all(|v| *v == b'N')
    {
        return Some(0.0);
    }
    let eq = m.equivalences();
    let value = macro_score(eq)?;
    let lower = |i: usize| {
        let mut next = eq;
        next[i] += 1;
        macro_score(next)
    };
    // EQ3 and EQ6 move together: the next lower class of 00 is the better of 01 and 10.
    let lower_eq3eq6 = match (eq[2], eq[5]) {
        (0, 0) => {
            let left = lower(5);
            let right = lower(2);
            match (left, right) {
                (Some(l), Some(r)) if l > r => Some(l),
                _ => right,
            }
        }
        (1, 0) => lower(5),
        _ => lower(2),
    };
    let lowers = [lower(0), lower(1), lower_eq3eq6, lower(3), lower(4)];
    let dist = distances(&m, eq);
    let depth = max_severity(eq);
    let mut existing = 0u32;
    let mut sum = 0.0;
    for (i, lower) in lowers.iter().enumerate() {
        let Some(lower) = lower else { continue };
        existing += 1;
        // EQ5 (exploit maturity) has one vector per class: no distance inside it.
        if i < 4 {
            sum += (value - lower) * (dist[i] / depth[i]);
        }
    }
    let mean = if existing == 0 {
        0.0
    } else {
        sum / f64::from(existing)
    };
    let score = (value - mean).clamp(0.0, 10.0);
    // Round half up, with the calculator's tolerance for binary floating-point error.
    Some(((score + 1e-6) * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_every_published_macro_vector() {
        assert_eq!(MACRO_TENTHS.iter().filter(|t| **t >= 0).count(), 270);
        assert_eq!(macro_score([0, 0, 0, 0, 0, 0]), Some(10.0));
        assert_eq!(macro_score([0, 0, 0, 2, 0, 0]), Some(9.3));
        assert_eq!(macro_score([2, 1, 2, 2, 2, 1]), Some(0.1));
        assert_eq!(macro_score([0, 0, 2, 0, 0, 0]), None);
        assert_eq!(macro_score([3, 0, 0, 0, 0, 0]), None);
    }

    #[test]
    fn scores_match_published_ones() {
        let cases = [
            (
                "AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                9.3,
            ),
            (
                "AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H",
                10.0,
            ),
            (
                "AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N",
                8.7,
            ),
            (
                "AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:H",
                9.2,
            ),
            (
                "AV:L/AC:L/AT:P/PR:H/UI:N/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N",
                1.8,
            ),
            (
                "AV:N/AC:H/AT:P/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/E:P",
                2.9,
            ),
            (
                "AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
                0.0,
            ),
        ];
        for (v, want) in cases {
            let got = base_score(v).unwrap_or_else(|| panic!("{v} parses"));
            assert!((got - want).abs() < 1e-9, "{v}: {got} != {want}");
        }
    }

    #[test]
    fn invalid_vectors_have_no_score() {
        for v in [
            "AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",
            "AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N",
            "AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/XX:Y",
            "AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:Q",
            "AV:N/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            "",
        ] {
            assert_eq!(base_score(v), None, "{v}");
        }
    }

    #[test]
    fn environmental_overrides_apply() {
        // MSI:S lifts the vector into the top EQ4 class.
        let base = "AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
        let safety = base_score(&format!("{base}/MSI:S")).unwrap();
        assert!(safety > 9.3, "{safety}");
        assert_eq!(base_score(&format!("{base}/E:X/CR:X/MAV:X")), Some(9.3));
    }
}
