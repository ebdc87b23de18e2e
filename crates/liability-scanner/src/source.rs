//! Reading one file and deciding whether it can be analysed.
//!
//! Policy: a file is read once, into memory, and only if the walk saw a regular file within the
//! size limit. Binary (a NUL byte in the first 8 KiB, as ripgrep decides), non-UTF-8 and
//! minified or generated text are reported as skipped with a reason; nothing here panics on
//! input.

use liability_model::SkipReason;
use std::io::Read;
use std::path::Path;

/// How far into a file to look for a NUL byte.
const BINARY_SNIFF: usize = 8 * 1024;

/// A line longer than this marks a file as minified or generated.
pub const MAX_LINE_LEN: usize = 20_000;

/// Why a read did not give analysable text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub reason: SkipReason,
    pub detail: String,
}

/// Reads `path` (at most `max_size` bytes) and returns its text. `size_hint` is the size the
/// walk saw: the buffer is allocated once at that size (plus the probe byte) instead of
/// growing by doubling.
pub fn read_text(path: &Path, size_hint: u64, max_size: u64) -> Result<String, Rejected> {
    let file = std::fs::File::open(path).map_err(|e| Rejected {
        reason: SkipReason::Unreadable,
        detail: e.to_string(),
    })?;
    let capacity = usize::try_from(size_hint.min(max_size).saturating_add(1)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    // Read one byte past the limit so a file that grew since the walk is still caught.
    file.take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Rejected {
            reason: SkipReason::Unreadable,
            detail: e.to_string(),
        })?;
    if bytes.len() as u64 > max_size {
        return Err(Rejected {
            reason: SkipReason::TooLarge,
            detail: format!("over the {max_size} byte limit"),
        });
    }
    text_from_bytes(bytes)
}

/// Classifies raw bytes: binary, non-UTF-8, generated, or text.
pub fn text_from_bytes(bytes: Vec<u8>) -> Result<String, Rejected> {
    let sniff = &bytes[..bytes.len().min(BINARY_SNIFF)];
    if let Some(offset) = memchr::memchr(0, sniff) {
        return Err(Rejected {
            reason: SkipReason::Binary,
            detail: format!("NUL byte at offset {offset}"),
        });
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        Rejected {
            reason: SkipReason::NonUtf8,
            detail: format!("invalid UTF-8 at byte {at}"),
        }
    })?;
    if has_long_line(&text)
        && let Some((line, len)) = longest_line(&text)
    {
        return Err(Rejected {
            reason: SkipReason::Generated,
            detail: format!("line {line} is {len} bytes long (minified or generated)"),
        });
    }
    Ok(text)
}

/// Whether a line is longer than `MAX_LINE_LEN` bytes (the common answer, no, from `memchr`).
fn has_long_line(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut start = 0;
    memchr::memchr_iter(b'\n', bytes)
        .chain(std::iter::once(bytes.len()))
        .any(|end| {
            let long = end - start > MAX_LINE_LEN;
            start = end + 1;
            long
        })
}

/// The 1-based number and byte length of the longest line.
fn longest_line(text: &str) -> Option<(usize, usize)> {
    text.split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.len()))
        .max_by_key(|&(i, len)| (len, std::cmp::Reverse(i)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_bytes() {
        assert_eq!(
            text_from_bytes(b"fn main() {}\n".to_vec()).as_deref(),
            Ok("fn main() {}\n")
        );
        let bin = text_from_bytes(b"ab\0cd".to_vec()).unwrap_err();
        assert_eq!(bin.reason, SkipReason::Binary);
        assert_eq!(bin.detail, "NUL byte at offset 2");
        let latin1 = text_from_bytes(b"caf\xe9".to_vec()).unwrap_err();
        assert_eq!(latin1.reason, SkipReason::NonUtf8);
        let long = format!("let x = 1;\n{}\n", "a".repeat(MAX_LINE_LEN + 1));
        let generated = text_from_bytes(long.into_bytes()).unwrap_err();
        assert_eq!(generated.reason, SkipReason::Generated);
        assert!(generated.detail.starts_with("line 2 "));
    }

    #[test]
    fn nul_after_sniff_window_is_text_if_utf8() {
        let mut bytes = vec![b'a'; BINARY_SNIFF + 10];
        bytes.push(b'\n');
        assert!(text_from_bytes(bytes).is_ok());
    }

    #[test]
    fn over_limit_file_is_too_large() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.rs");
        std::fs::write(&path, "x".repeat(100)).unwrap();
        assert_eq!(
            read_text(&path, 100, 99).unwrap_err().reason,
            SkipReason::TooLarge
        );
        assert!(read_text(&path, 100, 100).is_ok());
    }
}
