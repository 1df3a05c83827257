//! The keyword prefilter: one SIMD pass (Teddy, from `aho-corasick`'s packed searcher) over a
//! few short, rare fingerprints, then an exact keyword check where a fingerprint occurs.
//!
//! A plain Aho-Corasick automaton over every keyword runs at a few hundred MB/s; Teddy runs
//! at several GB/s but only for up to 64 short literals and slows down when they are common
//! in text. So each keyword is represented by its rarest 3–4-byte substring (shared between
//! keywords where possible), and ASCII-case-insensitive keywords by the lower- and upper-case
//! (and, when the fingerprint starts the word, capitalised) spellings of that substring. A
//! keyword typed in other mixed case (`pAsSwOrD`) is therefore not seen; real files use one of
//! the three spellings.

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// One keyword to find, and the rules it triggers.
#[derive(Debug, Clone)]
pub(crate) struct Keyword {
    pub text: Vec<u8>,
    pub case_insensitive: bool,
    pub rules: Vec<u32>,
}

const SLIM: usize = 16;

/// A fingerprint and the keywords (index, offset) it stands for.
type Group = (Vec<u8>, Vec<(u32, u32)>);

enum Engine {
    Teddy(packed::Searcher),
    Automaton(AhoCorasick),
}

/// Fingerprint id → (keyword index, offset of the fingerprint inside the keyword).
pub(crate) struct Prefilter {
    engine: Vec<Engine>,
    /// Per engine: fingerprint id → (keyword index, offset of the fingerprint in it).
    targets: Vec<Vec<Vec<(u32, u32)>>>,
    pub keywords: Vec<Keyword>,
}

/// Trigrams frequent in English, code and base64 text: never a fingerprint when avoidable.
const COMMON: &[&[u8]] = &[
    b"the", b"ing", b"and", b"ion", b"ent", b"ter", b"for", b"tio", b"ate", b"her", b"ere", b"con",
    b"res", b"ver", b"all", b"wil", b"ill", b"key", b"sec", b"ess", b"pat", b"ret", b"cre", b"ken",
    b"tok", b"api", b"acc", b"cce", b"ces", b"ass", b"pas", b"wor", b"ord", b"ate", b"str", b"get",
    b"set", b"ast", b"com", b"pro", b"pre", b"int", b"ame", b"nam", b"_ke", b"at_", b"nt-", b"rt-",
    b"ey_", b"_id", b"id_", b"te_", b"ed_", b"_te", b"_se", b"ct_", b"st_", b"ey-", b"_ty", b"ype",
    b"pe_", b"le_", b"_de", b"_in", b"_pa", b"_co",
];

/// How common a byte is in source code and prose (roughly English letter frequency, with
/// the punctuation of code); fingerprints minimise the product over their bytes.
fn weight(b: u8) -> u32 {
    match b {
        b' ' => 15,
        b'e' => 13,
        b't' => 10,
        b'a' | b'o' | b'i' | b'n' => 9,
        b's' | b'r' => 8,
        b'_' | b'.' => 7,
        b'h' | b'l' | b'-' | b'\n' => 6,
        b'd' | b'c' | b'"' | b'/' => 5,
        b'u' | b'm' | b'p' | b'=' | b':' | b'(' | b')' | b',' => 4,
        b'f' | b'g' | b'w' | b'y' => 3,
        b'E' | b'T' | b'A' | b'S' | b'R' | b'I' | b'O' | b'N' | b'0'..=b'9' => 3,
        b'b' | b'v' | b'k' => 2,
        _ => 1,
    }
}

fn spellings(fp: &[u8], at_word_start: bool) -> Vec<Vec<u8>> {
    let mut out = vec![fp.to_ascii_lowercase(), fp.to_ascii_uppercase()];
    if at_word_start {
        let mut t = fp.to_ascii_lowercase();
        t[0] = t[0].to_ascii_uppercase();
        out.push(t);
    }
    out.sort();
    out.dedup();
    out
}

impl Prefilter {
    pub fn new(keywords: Vec<Keyword>) -> Prefilter {
        // Every keyword is found through one 3-byte substring of it (Teddy compares the
        // first three bytes of each pattern anyway). A substring shared by many keywords costs
        // one slot for all of them, so a substring's rarity is divided by the square of how
        // many keywords contain it.
        const FP: usize = 3;
        let holders = |sub: &[u8]| -> u64 {
            keywords
                .iter()
                .filter(|k| {
                    k.text.windows(sub.len()).any(|w| {
                        if k.case_insensitive {
                            w.eq_ignore_ascii_case(sub)
                        } else {
                            w == sub
                        }
                    })
                })
                .count() as u64
        };
        let mut fps: Vec<(Vec<u8>, u32, u32)> = Vec::new();
        for (ki, k) in keywords.iter().enumerate() {
            let len = k.text.len().min(FP);
            if len == 0 {
                continue;
            }
            let mut best: Option<(u64, usize)> = None;
            for off in 0..=k.text.len() - len {
                if k.case_insensitive && off == 0 && k.text.len() > len {
                    // Capitalised words would need a third spelling.
                    continue;
                }
                let sub = &k.text[off..off + len];
                let mut score: u64 = sub.iter().map(|&b| weight(b) as u64).product::<u64>() * 64;
                if COMMON.iter().any(|c| c.eq_ignore_ascii_case(sub)) {
                    score *= 50;
                }
                score /= holders(sub).max(1);
                if best.is_none_or(|(s, _)| score < s) {
                    best = Some((score, off));
                }
            }
            let Some((_, off)) = best else { continue };
            let sub = k.text[off..off + len].to_vec();
            let forms = if k.case_insensitive {
                spellings(&sub, off == 0)
            } else {
                vec![sub]
            };
            for f in forms {
                fps.push((f, ki as u32, off as u32));
            }
        }
        // Searching resumes one byte after each hit, so two fingerprints can only hide each
        // other when one is a prefix of the other: merge those into the shorter one.
        let mut pats: Vec<Vec<u8>> = Vec::new();
        let mut targets: Vec<Vec<(u32, u32)>> = Vec::new();
        fps.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then(a.0.cmp(&b.0)));
        for (f, ki, off) in fps {
            match pats.iter().position(|p| f.starts_with(p)) {
                Some(i) => {
                    if !targets[i].contains(&(ki, off)) {
                        targets[i].push((ki, off));
                    }
                }
                None => {
                    pats.push(f);
                    targets.push(vec![(ki, off)]);
                }
            }
        }
        // Slim Teddy (up to 32 literals) is about twice as fast per byte as fat Teddy, so two
        // slim passes beat one fat one.
        let mut engines = Vec::new();
        let mut groups: Vec<Vec<Group>> = Vec::new();
        let n_groups = pats.len().div_ceil(SLIM).max(1);
        for (i, (p, t)) in pats.iter().zip(targets.iter()).enumerate() {
            if groups.len() < n_groups {
                groups.push(Vec::new());
            }
            groups[i % n_groups].push((p.clone(), t.clone()));
        }
        let mut all_targets = Vec::new();
        for g in groups {
            let gp: Vec<Vec<u8>> = g.iter().map(|(p, _)| p.clone()).collect();
            all_targets.push(g.into_iter().map(|(_, t)| t).collect::<Vec<_>>());
            let mut b = packed::Config::new()
                .match_kind(packed::MatchKind::LeftmostFirst)
                .builder();
            b.extend(&gp);
            let e = match b.build() {
                Some(s) => Some(Engine::Teddy(s)),
                None => AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(&gp)
                    .ok()
                    .map(Engine::Automaton),
            };
            if let Some(e) = e {
                engines.push(e);
            }
        }
        let engine = engines;
        let targets = all_targets;
        Prefilter {
            engine,
            targets,
            keywords,
        }
    }

    /// Calls `f(keyword_index, start)` for every keyword occurrence, in increasing order of
    /// fingerprint position.
    pub fn for_each(&self, hay: &[u8], mut f: impl FnMut(usize, usize)) {
        for (engine, targets) in self.engine.iter().zip(&self.targets) {
            let mut at = 0;
            while at < hay.len() {
                let m = match engine {
                    Engine::Teddy(s) => s.find_in(hay, aho_corasick::Span::from(at..hay.len())),
                    Engine::Automaton(a) => {
                        a.find(aho_corasick::Input::new(hay).span(at..hay.len()))
                    }
                };
                let Some(m) = m else { break };
                let pos = m.start();
                for &(ki, off) in &targets[m.pattern().as_usize()] {
                    let Some(start) = pos.checked_sub(off as usize) else {
                        continue;
                    };
                    let k = &self.keywords[ki as usize];
                    let Some(window) = hay.get(start..start + k.text.len()) else {
                        continue;
                    };
                    let same = if k.case_insensitive {
                        window.eq_ignore_ascii_case(&k.text)
                    } else {
                        window == k.text.as_slice()
                    };
                    if same {
                        f(ki as usize, start);
                    }
                }
                at = pos + 1;
            }
        }
    }

    /// Per fingerprint: its text and how often it occurs in `hay` (benchmark aid).
    pub fn fingerprint_counts(
        &self,
        hay: &[u8],
        counts: &mut std::collections::BTreeMap<String, usize>,
    ) {
        for engine in &self.engine {
            let mut at = 0;
            while at < hay.len() {
                let m = match engine {
                    Engine::Teddy(s) => s.find_in(hay, aho_corasick::Span::from(at..hay.len())),
                    Engine::Automaton(a) => {
                        a.find(aho_corasick::Input::new(hay).span(at..hay.len()))
                    }
                };
                let Some(m) = m else { break };
                *counts
                    .entry(String::from_utf8_lossy(&hay[m.start()..m.end()]).into_owned())
                    .or_default() += 1;
                at = m.start() + 1;
            }
        }
    }

    #[cfg(test)]
    pub fn is_teddy(&self) -> bool {
        self.engine.iter().all(|e| matches!(e, Engine::Teddy(_)))
    }

    #[cfg(test)]
    pub fn fingerprint_count(&self) -> usize {
        self.targets.iter().map(Vec::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kw(t: &str, ci: bool) -> Keyword {
        Keyword {
            text: t.as_bytes().to_vec(),
            case_insensitive: ci,
            rules: vec![0],
        }
    }

    #[test]
    fn finds_every_occurrence_and_spelling() {
        let p = Prefilter::new(vec![
            kw("password", true),
            kw("ghp_", false),
            kw("AKIA", false),
        ]);
        let text = b"Password PASSWORD password pAsSwOrD ghp_ GHP_ AKIA akia dbPassword";
        let mut hits = Vec::new();
        p.for_each(text, |k, s| hits.push((k, s)));
        let words: Vec<&str> = hits
            .iter()
            .map(|&(k, s)| std::str::from_utf8(&text[s..s + p.keywords[k].text.len()]).unwrap())
            .collect();
        assert_eq!(
            words,
            ["Password", "PASSWORD", "password", "ghp_", "AKIA", "Password"]
        );
    }

    #[test]
    fn builtin_profiles_fit_the_simd_searcher() {
        let s = crate::Scanner::new(&crate::SecretOptions::default());
        for p in [
            "/usr/lib/python3/x.py",
            "/app/.env",
            "/root/.npmrc",
            "/x/settings.xml",
        ] {
            let pf = s.prefilter_for_test(p);
            assert!(
                pf.fingerprint_count() <= 6 * SLIM,
                "{p}: {}",
                pf.fingerprint_count()
            );
            if cfg!(target_arch = "x86_64") && std::is_x86_feature_detected!("ssse3") {
                assert!(pf.is_teddy(), "{p}");
            }
        }
    }

    #[test]
    fn overlapping_keywords_are_all_reported() {
        let p = Prefilter::new(vec![kw("sk_live_", false), kw("live_x", false)]);
        let mut hits = Vec::new();
        p.for_each(b"sk_live_x", |k, s| hits.push((k, s)));
        hits.sort();
        assert_eq!(hits, [(0, 0), (1, 3)]);
        assert!(p.fingerprint_count() >= 1);
    }
}
