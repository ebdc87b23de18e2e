//! Finding identities that survive unrelated edits, moved lines and renamed files.
//!
//! A fingerprint hashes (FNV-1a, 64 bits; stable across platforms and Rust versions, unlike
//! `std`'s hasher) the rule, the category, and the component's *defining code*: its header
//! line with white space removed (`pubstructStore{`). File- and module-wide findings have no
//! header, so the file's base name and the kinds of evidence stand in for it. The path and the
//! line numbers are deliberately left out, so moving code does not change identity. Two
//! identical components get `:1`, `:2`, ... in report order (path, line), as GitHub's
//! `primaryLocationLineHash` does.

use liability_model::Finding;
use std::collections::BTreeMap;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash = FNV_OFFSET;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0x1f)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(FNV_PRIME);
        }
    }
    hash
}

/// The fingerprint of one finding, before disambiguation of identical components.
pub fn fingerprint_base(finding: &Finding) -> String {
    let basename = finding.path.rsplit('/').next().unwrap_or(&finding.path);
    let anchor = if finding.definition.is_empty() {
        let mut kinds: Vec<String> = finding
            .evidence
            .iter()
            .map(|e| {
                e.message
                    .chars()
                    .filter(|c| !c.is_ascii_digit())
                    .collect::<String>()
            })
            .collect();
        kinds.sort();
        kinds.dedup();
        format!("{basename}|{}", kinds.join("|"))
    } else {
        finding.definition.clone()
    };
    let subject = finding.subject.as_deref().unwrap_or("");
    format!(
        "{:016x}",
        fnv1a(&[finding.rule, finding.category.id(), subject, &anchor])
    )
}

/// The fingerprints of `findings` (in their order), with `:n` occurrence counters.
pub fn fingerprints(findings: &[Finding]) -> Vec<String> {
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    findings
        .iter()
        .map(|f| {
            let base = fingerprint_base(f);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            format!("{base}:{n}")
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use liability_model::{Category, Complexity, Confidence, Evidence, LineSpan};

    pub(crate) fn finding(path: &str, start: u32, definition: &str) -> Finding {
        Finding {
            rule: "hand-rolled-retry-loop",
            category: Category::Retry,
            path: path.into(),
            span: LineSpan::new(start, start + 20),
            component: "fn fetch".into(),
            definition: definition.into(),
            subject: None,
            confidence: Confidence::High,
            evidence: vec![Evidence {
                path: None,
                line: start + 2,
                rule: "hand-rolled-retry-loop",
                message: "counts attempts in `n` against 5 limits".into(),
            }],
            code_lines: 18,
            file_code_lines: 100,
            complexity: Complexity::default(),
            liability: None,
            snippet: Vec::new(),
            line_hash: None,
        }
    }

    #[test]
    fn identity_ignores_path_and_lines_but_not_code() {
        let a = finding("src/a.rs", 10, "fnfetch()->Result<(),E>{");
        let moved = finding("lib/b/a_renamed.rs", 90, "fnfetch()->Result<(),E>{");
        let other = finding("src/a.rs", 10, "fnupload()->Result<(),E>{");
        assert_eq!(fingerprint_base(&a), fingerprint_base(&moved));
        assert_ne!(fingerprint_base(&a), fingerprint_base(&other));
    }

    #[test]
    fn identical_components_stay_distinct() {
        let fs = [
            finding("a.rs", 1, "fnfetch(){"),
            finding("b.rs", 1, "fnfetch(){"),
        ];
        let prints = fingerprints(&fs);
        assert_ne!(prints[0], prints[1]);
        assert!(prints[0].ends_with(":1") && prints[1].ends_with(":2"));
    }

    #[test]
    fn file_level_identity_uses_basename_and_evidence_kinds() {
        let a = finding("src/jobs/worker.rs", 1, "");
        let moved = finding("worker/worker.rs", 1, "");
        let renamed = finding("src/jobs/runner.rs", 1, "");
        assert_eq!(fingerprint_base(&a), fingerprint_base(&moved));
        assert_ne!(fingerprint_base(&a), fingerprint_base(&renamed));
    }

    #[test]
    fn fnv_matches_reference_vectors() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c; our separator byte follows each part.
        let mut h = FNV_OFFSET;
        h ^= u64::from(b'a');
        h = h.wrapping_mul(FNV_PRIME);
        assert_eq!(h, 0xaf63_dc4c_8601_ec8c);
    }
}
