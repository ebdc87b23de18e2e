//! GitHub code scanning's `primaryLocationLineHash`, computed exactly as the codeql-action's
//! `fingerprints.ts` does, and the short code frames (snippets) reports show.
//!
//! The hash of a line is a rolling polynomial hash (base 37, wrapping 64-bit) over the next 100
//! characters (UTF-16 code units) from the start of the line, skipping spaces and tabs, with CR
//! and CRLF read as LF; past the end of the file come an EOF marker (65535) and zeros. It is
//! written as lowercase hex plus `:n`, where n counts identical hashes so far in the file.
//! Computing it here, while the file text is in memory, lets SARIF uploads through the REST API
//! keep alert identity without the upload action re-reading the sources.

use std::collections::{BTreeMap, BTreeSet};

const BLOCK_SIZE: usize = 100;
const MOD: u64 = 37;
const EOF: u64 = 65535;

/// The hashes of the lines in `wanted` (1-based), keyed by line. Lines past the end are absent.
///
/// A line's `:n` depends only on the lines before it, so hashing stops once the last wanted
/// line is out: for most files only line 1 is wanted, and only its first 100 characters are
/// read.
pub fn line_hashes(text: &str, wanted: &BTreeSet<u32>) -> BTreeMap<u32, String> {
    let mut out = BTreeMap::new();
    if wanted.is_empty() {
        return out;
    }
    let first_mod = (0..BLOCK_SIZE).fold(1u64, |m, _| m.wrapping_mul(MOD));
    let mut window = [0u64; BLOCK_SIZE];
    let mut line_numbers = [0u32; BLOCK_SIZE]; // 0: not a line start
    let mut hash: u64 = 0;
    let mut index = 0usize;
    let mut line_number = 0u32;
    let mut line_start = true;
    let mut prev_cr = false;
    let mut counts: BTreeMap<u64, u32> = BTreeMap::new();

    let mut output = |hash: u64, line: u32, out: &mut BTreeMap<u32, String>| {
        let n = counts.entry(hash).or_insert(0);
        *n += 1;
        if wanted.contains(&line) {
            out.insert(line, format!("{hash:x}:{n}"));
        }
    };
    let mut update = |current: u64, hash: &mut u64, index: &mut usize| {
        let begin = window[*index];
        window[*index] = current;
        *hash = MOD
            .wrapping_mul(*hash)
            .wrapping_add(current)
            .wrapping_sub(first_mod.wrapping_mul(begin));
        *index = (*index + 1) % BLOCK_SIZE;
    };

    let units = text
        .encode_utf16()
        .map(u64::from)
        .chain(std::iter::once(EOF));
    for unit in units {
        if out.len() == wanted.len() {
            return out;
        }
        let space = unit == u64::from(b' ') || unit == u64::from(b'\t');
        if space || (prev_cr && unit == u64::from(b'\n')) {
            prev_cr = false;
            continue;
        }
        let current = if unit == u64::from(b'\r') {
            prev_cr = true;
            u64::from(b'\n')
        } else {
            prev_cr = false;
            unit
        };
        if line_numbers[index] != 0 {
            output(hash, line_numbers[index], &mut out);
            line_numbers[index] = 0;
        }
        if line_start {
            line_start = false;
            line_number += 1;
            line_numbers[index] = line_number;
        }
        if current == u64::from(b'\n') {
            line_start = true;
        }
        update(current, &mut hash, &mut index);
    }
    for _ in 0..BLOCK_SIZE {
        if line_numbers[index] != 0 {
            output(hash, line_numbers[index], &mut out);
            line_numbers[index] = 0;
        }
        update(0, &mut hash, &mut index);
    }
    out
}

/// Up to `SNIPPET_LINES` lines from `start`, stopping at `end`; trailing blank lines dropped,
/// tabs expanded to four spaces, each line cut at `SNIPPET_WIDTH` characters with `…`.
pub fn snippet(text: &str, start: u32, end: u32) -> Vec<(u32, String)> {
    use liability_model::{SNIPPET_LINES, SNIPPET_WIDTH};
    let start = start.max(1);
    let take = (end.saturating_sub(start) as usize + 1).min(SNIPPET_LINES);
    let mut lines: Vec<(u32, String)> = text
        .lines()
        .skip(start as usize - 1)
        .take(take)
        .zip(start..)
        .map(|(line, n)| {
            let line = line.trim_end().replace('\t', "    ");
            let cut: String = if line.chars().count() > SNIPPET_WIDTH {
                let mut s: String = line.chars().take(SNIPPET_WIDTH - 1).collect();
                s.push('…');
                s
            } else {
                line
            };
            (n, cut)
        })
        .collect();
    while lines.last().is_some_and(|(_, l)| l.is_empty()) {
        lines.pop();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line's hash, in order: the codeql-action's own test vectors.
    fn all(text: &str) -> Vec<String> {
        let wanted: BTreeSet<u32> = (1..=10_000).collect();
        line_hashes(text, &wanted).into_values().collect()
    }

    #[test]
    fn matches_the_codeql_action_vectors() {
        assert_eq!(all(""), ["c129715d7a2bc9a3:1"]);
        assert_eq!(
            all(" a\nb\n  \t\tc\n d"),
            [
                "271789c17abda88f:1",
                "54703d4cd895b18:1",
                "180aee12dab6264:1",
                "a23a3dc5e078b07b:1"
            ]
        );
        let expected = [
            "e9496ae3ebfced30:1",
            "fb7c023a8b9ccb3f:1",
            "ce8ba1a563dcdaca:1",
            "e20e36e16fcb0cc8:1",
            "b3edc88f2938467e:1",
            "c8e28b0b4002a3a0:1",
            "c129715d7a2bc9a3:1",
        ];
        for text in [
            " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
            " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
            " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
            " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
        ] {
            assert_eq!(all(text), expected, "{text:?}");
        }
        let lorem = all(&"Lorem ipsum dolor sit amet.\n".repeat(10));
        assert_eq!(lorem[0], "a7f2ff13bc495cf2:1");
        assert_eq!(lorem[5], "a7f2ff13bc495cf2:6");
        assert_eq!(lorem[6], "a7f2ff1481e87703:1");
        assert_eq!(lorem[10], "c129715d7a2bc9a3:1");
        assert_eq!(
            all("x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n")[6],
            "f1b89f20de0d133:1"
        );
    }

    #[test]
    fn only_wanted_lines_are_kept() {
        let wanted = BTreeSet::from([2, 99]);
        let got = line_hashes(" a\nb\n  \t\tc\n d", &wanted);
        assert_eq!(got.len(), 1);
        assert_eq!(got[&2], "54703d4cd895b18:1");
    }

    #[test]
    fn stopping_early_changes_no_hash() {
        let text = "x\n".repeat(150) + "fn a() {}\nx\n";
        let all: BTreeSet<u32> = (1..=160).collect();
        let full = line_hashes(&text, &all);
        // 152 lines and the empty line after the last newline, as codeql-action counts them.
        assert_eq!(full.len(), 153);
        for line in [1, 2, 100, 151, 153] {
            let one = line_hashes(&text, &BTreeSet::from([line]));
            assert_eq!(one.get(&line), full.get(&line), "line {line}");
        }
    }

    #[test]
    fn snippets_are_short_and_cut() {
        let long = "x".repeat(300);
        let text = format!("a\n\tb\n{long}\n\n\nc\nd\ne\nf\n");
        let s = snippet(&text, 2, 5);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0], (2, "    b".to_owned()));
        assert!(s[1].1.ends_with('…') && s[1].1.chars().count() == 120);
        assert_eq!(snippet(&text, 1, 100).len(), 6);
        assert!(snippet(&text, 500, 600).is_empty());
    }
}
