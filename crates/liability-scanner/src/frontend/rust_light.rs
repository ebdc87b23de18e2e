//! The light Rust front-end: what the framework summary needs of a file (imports, trait
//! definitions, trait impls, `macro_rules!` definitions, macro uses, public type counts, the
//! names of functions named like DI APIs), from a hand-written tokenizer and an item scanner,
//! without `syn`'s full parse.
//!
//! It serves the lexical pre-pass (`crate::prepass`): a file that no rule can use is read
//! this way, about ten times faster than the full parse. It must give exactly what the full
//! front-end (`rust.rs`) would for those fields, so it only answers for the shapes it knows:
//! items in function bodies (with their attributes, `pub` and qualifiers), `thread_local!`
//! globals and foreign blocks (`extern "C" { .. }`) are read like a module's, but anything
//! else returns `Err(NeedsParse)` and the file takes the full parse:
//!
//! - an attribute it does not know on an item in a body, or a procedural macro's attribute;
//! - a map of trait objects in a file with a function named like a registration method (a
//!   registry), a `Vec<Box<dyn ..>>` (a handler chain);
//! - a type whose fields hold a `TypeId` (`CoreTypeId`), or a `TypeId::of` call;
//! - a `next` continuation (`: Next`), `lazy_static!`;
//! - in a trait's default method, `self` as the receiver of a call in any other shape than
//!   `self.m(..)` (`(!self).m()`), since the summary reads which trait methods those call;
//! - unbalanced brackets or text the tokenizer does not know.
//!
//! On demand (`extract_with_complexity`, for the framework pass) it also records every
//! function with its cyclomatic and cognitive complexity, followed over the body's tokens as
//! `rust.rs` counts them (`Cx`): branch headers up to their block (past `let` patterns and
//! blocks in the header), match arms split at their arrows (guards read, patterns not), the
//! `&&`/`||` runs of each expression, closures, `?` after an operand, and a block-like
//! statement ending its statement as `syn` ends it. Shapes it does not follow (`thread_local!`
//! in a body, attributes on items in a body that hold code, generics closing before a boolean
//! operator) leave the file's complexity to the parse.
//!
//! It also makes the text the full parse reads: doc comments as bare attributes
//! (`doc_comments_bare`).
//! `tests` compares both front-ends on every fixture, and `bench/prepass-check.sh` whole
//! reports on the corpora.

use crate::rules::framework::summary::{is_di_name, is_registration_name};
use liability_model::{
    Call, Event, EventKind, FileFacts, Function, Import, Language, LineCounts, LineSpan, MacroDef,
    TypeDef, TypeKind,
};

pub use super::NeedsParse;

type Light<T> = Result<T, NeedsParse>;

/// Deeper bracket nesting goes to the full front-end, whose guard (`nesting::MAX_DEPTH`)
/// decides whether the file is refused.
const MAX_LIGHT_DEPTH: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ident,
    Lifetime,
    Literal,
    /// An outer doc comment (`///`, `/** */`): an attribute for spans.
    DocOuter,
    /// An inner doc comment (`//!`, `/*! */`).
    DocInner,
    Punct(u8),
    /// `::`
    PathSep,
    /// `->`
    Arrow,
    /// `=>`
    FatArrow,
    Open(u8),
    Close(u8),
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    kind: Kind,
    start: u32,
    end: u32,
    line: u32,
}

/// `text` with each doc comment (`///`, `//!`, `/** */`, `/*! */`) turned into a bare
/// attribute (`#[d]`, `#![d]`) padded with spaces, its line breaks kept; `None` when there is
/// nothing to turn (no doc comment, or only ones whose first line cannot hold the attribute:
/// `///` alone, `/*!` then a line break) or when the
/// tokenizer cannot read the text (the full parse then reads it as it is).
///
/// Why: `syn` reads a doc comment as `#[doc = ".."]`: `proc_macro2` escapes every character
/// of it into a string literal and `syn` parses that literal back, a tenth of the full parse
/// of a documented crate. The full front-end keeps no doc text (a doc comment is not code),
/// only where the item it documents starts, which the bare attribute keeps: every line, and
/// every token outside doc comments, is where it was. A doc comment holding a carriage return
/// that ends no line is left alone (`proc_macro2` rejects it, and so must the parse still).
pub fn doc_comments_bare(text: &str) -> Option<String> {
    let b = text.as_bytes();
    if !["///", "//!", "/**", "/*!"]
        .iter()
        .any(|m| memchr::memmem::find(b, m.as_bytes()).is_some())
    {
        return None;
    }
    let toks = tokenize(text).ok()?;
    let mut out = b.to_vec();
    let mut changed = false;
    for tok in &toks {
        let bare: &[u8] = match tok.kind {
            Kind::DocOuter => b"#[d]",
            Kind::DocInner => b"#![d]",
            _ => continue,
        };
        let (start, end) = (tok.start as usize, tok.end as usize);
        let bare_cr = memchr::memchr_iter(b'\r', &b[start..end])
            .any(|i| b.get(start + i + 1) != Some(&b'\n'));
        // The attribute must fit on the comment's first line (`/*!` then a line break: kept).
        let fits = b[start..end]
            .get(..bare.len())
            .is_some_and(|head| !head.contains(&b'\n') && !head.contains(&b'\r'));
        if !fits || bare_cr {
            continue;
        }
        out[start..start + bare.len()].copy_from_slice(bare);
        for byte in &mut out[start + bare.len()..end] {
            if !matches!(*byte, b'\n' | b'\r') {
                *byte = b' ';
            }
        }
        changed = true;
    }
    if !changed {
        return None;
    }
    String::from_utf8(out).ok()
}

/// Splits `text` into tokens; groups are balanced or the file needs the parse.
fn tokenize(text: &str) -> Light<Vec<Tok>> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 5);
    let mut i = 0usize;
    let mut line = 1u32;
    let len = b.len();
    if text.starts_with('\u{feff}') {
        i = 3;
    }
    // A shebang line (not an inner attribute) is skipped as syn does.
    if b[i..].starts_with(b"#!") && !b[i + 2..].trim_ascii_start().starts_with(b"[") {
        while i < len && b[i] != b'\n' {
            i += 1;
        }
    }
    let mut stack: Vec<u8> = Vec::new();
    let push = |out: &mut Vec<Tok>, kind, start: usize, end: usize, line| {
        out.push(Tok {
            kind,
            start: start as u32,
            end: end as u32,
            line,
        });
    };
    while i < len {
        let c = b[i];
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => i += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let start = i;
                let end = memchr::memchr(b'\n', &b[i..]).map_or(len, |n| i + n);
                let kind = if b.get(i + 2) == Some(&b'/') && b.get(i + 3) != Some(&b'/') {
                    Some(Kind::DocOuter)
                } else if b.get(i + 2) == Some(&b'!') {
                    Some(Kind::DocInner)
                } else {
                    None
                };
                if let Some(kind) = kind {
                    push(&mut out, kind, start, end, line);
                }
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let start = i;
                let start_line = line;
                let kind = match (b.get(i + 2), b.get(i + 3)) {
                    (Some(b'*'), Some(&n)) if n != b'*' && n != b'/' => Some(Kind::DocOuter),
                    (Some(b'!'), _) => Some(Kind::DocInner),
                    _ => None,
                };
                let mut depth = 0u32;
                loop {
                    if i + 1 >= len {
                        return Err(NeedsParse);
                    }
                    if b[i] == b'/' && b[i + 1] == b'*' {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b[i + 1] == b'/' {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if b[i] == b'\n' {
                            line += 1;
                        }
                        i += 1;
                    }
                }
                if let Some(kind) = kind {
                    push(&mut out, kind, start, i, start_line);
                }
            }
            b'"' => {
                let start_line = line;
                let start = i;
                i = skip_string(b, i + 1, &mut line)?;
                push(&mut out, Kind::Literal, start, i, start_line);
            }
            b'\'' => {
                let start = i;
                // A char literal (`'a'`, `'\n'`, `'é'`) or a lifetime / label (`'a`).
                if b.get(i + 1) == Some(&b'\\') {
                    // Past the quote, the backslash and the escaped character.
                    i += 3;
                    while i < len && b[i] != b'\'' {
                        if b[i] == b'\n' {
                            return Err(NeedsParse);
                        }
                        i += 1;
                    }
                    i += 1;
                    push(&mut out, Kind::Literal, start, i, line);
                } else {
                    let ch = text[i + 1..].chars().next().ok_or(NeedsParse)?;
                    let after = i + 1 + ch.len_utf8();
                    if b.get(after) == Some(&b'\'') {
                        i = after + 1;
                        push(&mut out, Kind::Literal, start, i, line);
                    } else {
                        i += 1;
                        while i < len && is_ident_byte(b[i]) {
                            i += 1;
                        }
                        push(&mut out, Kind::Lifetime, start, i, line);
                    }
                }
            }
            b'0'..=b'9' => {
                let start = i;
                i += 1;
                while i < len {
                    let d = b[i];
                    // A fraction's point belongs to the number; a range's `..` does not.
                    let fraction = d == b'.'
                        && b.get(i + 1).is_some_and(u8::is_ascii_digit)
                        && !b[start..i].contains(&b'.');
                    if d.is_ascii_alphanumeric() || d == b'_' || fraction {
                        i += 1;
                    } else {
                        break;
                    }
                }
                push(&mut out, Kind::Literal, start, i, line);
            }
            b'(' | b'[' | b'{' => {
                // Deep nesting is for the full front-end's guard to judge.
                if stack.len() >= MAX_LIGHT_DEPTH {
                    return Err(NeedsParse);
                }
                stack.push(c);
                push(&mut out, Kind::Open(c), i, i + 1, line);
                i += 1;
            }
            b')' | b']' | b'}' => {
                let open = stack.pop().ok_or(NeedsParse)?;
                if !matches!((open, c), (b'(', b')') | (b'[', b']') | (b'{', b'}')) {
                    return Err(NeedsParse);
                }
                push(&mut out, Kind::Close(c), i, i + 1, line);
                i += 1;
            }
            _ if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                let start = i;
                // Prefixed literals: b"..", br"..", r"..", r#".."#, c"..", cr"..", b'x'.
                let prefix_end = {
                    let mut j = i;
                    while j < len && j - i < 2 && matches!(b[j], b'b' | b'r' | b'c') {
                        j += 1;
                    }
                    j
                };
                let prefix = &b[i..prefix_end];
                let raw = prefix.ends_with(b"r");
                let next = b.get(prefix_end).copied();
                if !prefix.is_empty()
                    && matches!(prefix, b"b" | b"r" | b"c" | b"br" | b"cr")
                    && (next == Some(b'"')
                        || (raw && next == Some(b'#') && raw_string_follows(b, prefix_end)))
                {
                    let start_line = line;
                    i = if raw {
                        skip_raw_string(b, prefix_end, &mut line)?
                    } else {
                        skip_string(b, prefix_end + 1, &mut line)?
                    };
                    push(&mut out, Kind::Literal, start, i, start_line);
                    continue;
                }
                if prefix == b"b" && next == Some(b'\'') {
                    i = prefix_end + 1;
                    if b.get(i) == Some(&b'\\') {
                        i += 1;
                    }
                    i += 1;
                    while i < len && b[i] != b'\'' {
                        i += 1;
                    }
                    i += 1;
                    push(&mut out, Kind::Literal, start, i, line);
                    continue;
                }
                // Raw identifier `r#name`.
                if b[i] == b'r' && b.get(i + 1) == Some(&b'#') {
                    i += 2;
                }
                while i < len && (is_ident_byte(b[i]) || b[i] >= 0x80) {
                    i += 1;
                }
                if i < len && !text.is_char_boundary(i) {
                    return Err(NeedsParse);
                }
                if text[start..i]
                    .chars()
                    .any(|ch| !ch.is_ascii() && !ch.is_alphanumeric())
                {
                    return Err(NeedsParse);
                }
                push(&mut out, Kind::Ident, start, i, line);
            }
            b':' if b.get(i + 1) == Some(&b':') => {
                push(&mut out, Kind::PathSep, i, i + 2, line);
                i += 2;
            }
            b'-' if b.get(i + 1) == Some(&b'>') => {
                push(&mut out, Kind::Arrow, i, i + 2, line);
                i += 2;
            }
            b'=' if b.get(i + 1) == Some(&b'>') => {
                push(&mut out, Kind::FatArrow, i, i + 2, line);
                i += 2;
            }
            _ if c.is_ascii_punctuation() => {
                push(&mut out, Kind::Punct(c), i, i + 1, line);
                i += 1;
            }
            _ => return Err(NeedsParse),
        }
    }
    if !stack.is_empty() {
        return Err(NeedsParse);
    }
    Ok(out)
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn raw_string_follows(b: &[u8], mut i: usize) -> bool {
    while b.get(i) == Some(&b'#') {
        i += 1;
    }
    b.get(i) == Some(&b'"')
}

/// Past the closing quote of a string whose body starts at `i`.
fn skip_string(b: &[u8], mut i: usize, line: &mut u32) -> Light<usize> {
    while i < b.len() {
        match b[i] {
            b'\\' => {
                if b.get(i + 1) == Some(&b'\n') {
                    *line += 1;
                }
                i += 2;
            }
            b'"' => return Ok(i + 1),
            b'\n' => {
                *line += 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    Err(NeedsParse)
}

/// Past a raw string whose `#`s (or quote) start at `i`.
fn skip_raw_string(b: &[u8], mut i: usize, line: &mut u32) -> Light<usize> {
    let mut hashes = 0;
    while b.get(i) == Some(&b'#') {
        hashes += 1;
        i += 1;
    }
    if b.get(i) != Some(&b'"') {
        return Err(NeedsParse);
    }
    i += 1;
    while i < b.len() {
        if b[i] == b'"'
            && b[i + 1..]
                .iter()
                .take(hashes)
                .filter(|c| **c == b'#')
                .count()
                == hashes
        {
            return Ok(i + 1 + hashes);
        }
        if b[i] == b'\n' {
            *line += 1;
        }
        i += 1;
    }
    Err(NeedsParse)
}

/// The values of the string literals of a Rust text (`".."`, `r#".."#`, `b".."`, `c".."`,
/// escapes resolved; byte strings read as UTF-8, lossily), in order; `None` when the tokenizer
/// cannot read the text. For the rules' lexical tests (`rules::Words::text`): the literals
/// the full front-end records are among these.
pub fn string_literal_values(text: &str) -> Option<Vec<std::borrow::Cow<'_, str>>> {
    let toks = tokenize(text).ok()?;
    Some(
        toks.iter()
            .filter(|t| t.kind == Kind::Literal)
            .filter_map(|t| string_value(&text[t.start as usize..t.end as usize]))
            .collect(),
    )
}

/// The value of one string literal token; `None` for other literals (numbers, characters).
fn string_value(token: &str) -> Option<std::borrow::Cow<'_, str>> {
    let quote = token.find(['"', '#'])?;
    let prefix = &token[..quote];
    if !matches!(prefix, "" | "b" | "c" | "r" | "br" | "cr") {
        return None;
    }
    if prefix.ends_with('r') {
        let hashes = token[quote..].bytes().take_while(|&c| c == b'#').count();
        let body = token.get(quote + hashes + 1..token.len().checked_sub(hashes + 1)?)?;
        return Some(std::borrow::Cow::Borrowed(body));
    }
    let body = token.get(quote + 1..token.len().checked_sub(1)?)?;
    if !body.contains('\\') {
        return Some(std::borrow::Cow::Borrowed(body));
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(u8::from_str_radix(&hex, 16).map_or('\u{fffd}', char::from));
            }
            Some('u') => {
                let hex: String = chars
                    .by_ref()
                    .skip_while(|&c| c == '{')
                    .take_while(|&c| c != '}')
                    .collect();
                out.push(
                    u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or('\u{fffd}'),
                );
            }
            // A line continuation: the break and the white space after it are dropped.
            Some('\n') => while chars.next_if(|c| c.is_whitespace()).is_some() {},
            Some('\r') if chars.next_if_eq(&'\n').is_some() => {
                while chars.next_if(|c| c.is_whitespace()).is_some() {}
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    Some(std::borrow::Cow::Owned(out))
}

/// `text` with its comments and attributes (doc comments, `#[doc = ".."]`, `#[cfg(..)]`:
/// no code the front-end renders) blanked to spaces and, with `literals`, the insides of its
/// string and character literals too (their quotes and prefixes kept), every other byte where
/// it was (line breaks kept, so offsets and lines stay); `None` when the tokenizer cannot read
/// the text. For the rules' lexical tests (`rules::Words::text`) that must not read prose, or
/// brackets and words inside quotes.
pub fn code_only(text: &str, literals: bool) -> Option<String> {
    let toks = tokenize(text).ok()?;
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let blank = |out: &mut Vec<u8>, from: &[u8]| {
        out.extend(from.iter().map(|&c| if c == b'\n' { b'\n' } else { b' ' }));
    };
    let mut at = 0usize;
    // The index of the last token of the attribute being blanked.
    let mut attribute_end = None;
    for (i, t) in toks.iter().enumerate() {
        let (start, end) = (t.start as usize, t.end as usize);
        // White space and plain comments.
        blank(&mut out, &b[at..start]);
        at = end;
        let token = &b[start..end];
        if attribute_end.is_none() && t.kind == Kind::Punct(b'#') {
            let open = match toks.get(i + 1).map(|t| t.kind) {
                Some(Kind::Punct(b'!')) => i + 2,
                _ => i + 1,
            };
            if toks.get(open).map(|t| t.kind) == Some(Kind::Open(b'[')) {
                let mut depth = 0usize;
                attribute_end = toks[open..]
                    .iter()
                    .position(|t| {
                        match t.kind {
                            Kind::Open(_) => depth += 1,
                            Kind::Close(_) => depth -= 1,
                            _ => {}
                        }
                        depth == 0
                    })
                    .map(|n| open + n);
            }
        }
        if let Some(last) = attribute_end {
            blank(&mut out, token);
            if i == last {
                attribute_end = None;
            }
            continue;
        }
        match t.kind {
            Kind::DocOuter | Kind::DocInner => blank(&mut out, token),
            Kind::Literal if literals && !token[0].is_ascii_digit() => {
                let quote = |c: &u8| matches!(c, b'"' | b'\'');
                match (token.iter().position(quote), token.iter().rposition(quote)) {
                    (Some(open), Some(close)) if open < close => {
                        out.extend_from_slice(&token[..=open]);
                        blank(&mut out, &token[open + 1..close]);
                        out.extend_from_slice(&token[close..]);
                    }
                    _ => out.extend_from_slice(token),
                }
            }
            _ => out.extend_from_slice(token),
        }
    }
    blank(&mut out, &b[at..]);
    String::from_utf8(out).ok()
}

/// Whether an array literal of `text` may be a table of wide integers as the full front-end
/// records one (`IntTable`, from `rust.rs`'s `count_ints`: the integer literals that are
/// elements of an array expression or of the arrays nested in it as elements, eight levels
/// deep), holding `needed` literals 2^24 or more and at least three such for each smaller
/// one (a table of 16 or more, three quarters wide, has 12 wide and three times as many wide
/// as narrow). Read from the tokens, so comments, strings and negative or cast elements
/// (`-1`, `x as u32`, which are no literals) do not count. An array nested as an element
/// (after `[`, `,` or an attribute, and followed by `,` or `]`) adds to the one holding it;
/// any other `[` starts its own count (an index or a type only adds a count that cannot
/// merge with a table's). A literal counts as narrow only when surely an integer below 2^24;
/// one it cannot read (an unknown suffix, a value past `u128`) counts as wide, which only
/// widens the test. `true` when the tokenizer cannot read the text.
pub fn wide_int_table(text: &str, needed: u32) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Role {
        /// `(`, `{`, or an attribute's `[`.
        Other,
        Attribute,
        /// An array (or something else in brackets) counted on its own.
        Table,
        /// An array nested as an element of the `Table` or `Nested` frame below it.
        Nested,
    }
    struct Frame {
        role: Role,
        depth: u8,
        wide: u32,
        narrow: u32,
    }
    let Ok(toks) = tokenize(text) else {
        return true;
    };
    let toks: Vec<Tok> = toks
        .into_iter()
        .filter(|t| !matches!(t.kind, Kind::DocOuter | Kind::DocInner))
        .collect();
    let kind = |i: Option<usize>| i.and_then(|i| toks.get(i)).map(|t| t.kind);
    let mut frames: Vec<Frame> = Vec::new();
    // The index of the last `]` that closed an attribute.
    let mut attribute_closed = None;
    let element_before = |i: usize, attribute_closed: Option<usize>| {
        i.checked_sub(1).is_some_and(|p| {
            matches!(toks[p].kind, Kind::Open(b'[') | Kind::Punct(b','))
                || attribute_closed == Some(p)
        })
    };
    let element_after = |i: usize| {
        matches!(
            kind(Some(i + 1)),
            Some(Kind::Punct(b',') | Kind::Close(b']'))
        )
    };
    let counting =
        |f: Option<&Frame>| f.is_some_and(|f| matches!(f.role, Role::Table | Role::Nested));
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            Kind::Open(open) => {
                let before = kind(i.checked_sub(1));
                let role = if open != b'[' {
                    Role::Other
                } else if before == Some(Kind::Punct(b'#'))
                    || (before == Some(Kind::Punct(b'!'))
                        && kind(i.checked_sub(2)) == Some(Kind::Punct(b'#')))
                {
                    Role::Attribute
                } else if counting(frames.last()) && element_before(i, attribute_closed) {
                    Role::Nested
                } else {
                    Role::Table
                };
                let depth = match role {
                    Role::Nested => frames.last().map_or(0, |f| f.depth.saturating_add(1)),
                    _ => 0,
                };
                frames.push(Frame {
                    role,
                    depth,
                    wide: 0,
                    narrow: 0,
                });
            }
            Kind::Close(_) => {
                let Some(frame) = frames.pop() else {
                    return true;
                };
                let fold = frame.role == Role::Nested && element_after(i);
                match frame.role {
                    Role::Attribute => attribute_closed = Some(i),
                    // `count_ints` stops below eight levels of nesting.
                    Role::Nested if fold && frame.depth > 8 => {}
                    Role::Nested if fold => {
                        if let Some(parent) = frames.last_mut() {
                            parent.wide += frame.wide;
                            parent.narrow += frame.narrow;
                        }
                    }
                    Role::Table | Role::Nested => {
                        if frame.wide >= needed && frame.wide >= 3 * frame.narrow {
                            return true;
                        }
                    }
                    Role::Other => {}
                }
            }
            Kind::Literal
                if text.as_bytes()[t.start as usize].is_ascii_digit()
                    && counting(frames.last())
                    && element_before(i, attribute_closed)
                    && element_after(i) =>
            {
                let Some(frame) = frames.last_mut() else {
                    continue;
                };
                match int_literal_is_wide(&text[t.start as usize..t.end as usize]) {
                    Some(true) => frame.wide += 1,
                    Some(false) => frame.narrow += 1,
                    None => {}
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether a number token is an integer literal 2^24 or more (`Some(true)`, also when it
/// cannot tell: an unknown suffix, a value past `u128`), one below (`Some(false)`), or a
/// floating-point literal (`None`: `1.5`, `1e9`, `2f64`).
fn int_literal_is_wide(token: &str) -> Option<bool> {
    let digits: String = token.chars().filter(|&c| c != '_').collect();
    let (radix, body) = match digits.get(..2) {
        Some("0x") => (16, &digits[2..]),
        Some("0o") => (8, &digits[2..]),
        Some("0b") => (2, &digits[2..]),
        _ => (10, &digits[..]),
    };
    let end = body
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(body.len());
    let (number, suffix) = body.split_at(end);
    if radix == 10 && (suffix.starts_with(['.', 'e', 'E']) || matches!(suffix, "f32" | "f64")) {
        return None;
    }
    const SUFFIXES: &[&str] = &[
        "", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
    ];
    if number.is_empty() || !SUFFIXES.contains(&suffix) {
        return Some(true);
    }
    Some(u128::from_str_radix(number, radix).map_or(true, |v| v >= 1 << 24))
}

/// Identifiers whose presence needs the full parse: what the summary reads from function
/// bodies or from shapes this scanner does not reproduce.
const PARSE_IDENTS: &[&str] = &["Reflect", "getattr", "lazy_static", "setattr"];

/// Attributes that make a function a procedural macro (`rust.rs`'s `proc_macro_name`): an
/// item carrying one needs the parse. (Elsewhere, `proc_macro::TokenStream` is a path like
/// any other.)
const PROC_MACRO_ATTRIBUTES: &[&str] = &["proc_macro", "proc_macro_attribute", "proc_macro_derive"];

/// Rust's keywords: `if !(..)` is no macro.
const KEYWORDS: &[&str] = &[
    "Self", "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
    "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "yield",
];

fn is_parse_ident(word: &str) -> bool {
    PARSE_IDENTS.binary_search(&word).is_ok()
}

/// Whether `word` is a keyword that starts an item: inside a function body or an
/// initialiser, the full front-end would record the item, so the file needs the parse. (A
/// `match`: most identifiers are rejected by their length without comparing strings.)
fn is_item_keyword(word: &str) -> bool {
    matches!(
        word,
        "enum"
            | "extern"
            | "fn"
            | "impl"
            | "macro_rules"
            | "mod"
            | "static"
            | "struct"
            | "trait"
            | "union"
            | "use"
    )
}

struct Scanner<'t> {
    text: &'t str,
    toks: Vec<Tok>,
    /// For each opening token, the index of its closing token.
    close: Vec<u32>,
    facts: FileFacts,
    /// The file holds a word containing `TypeId` (not as `TypeId::of`): a type holding one in
    /// its fields needs the parse.
    type_id_words: bool,
    /// Functions are recorded with their complexity (`body_complexity`).
    follow_complexity: bool,
    /// Every function's complexity was followed.
    complexity_known: bool,
}

impl<'t> Scanner<'t> {
    fn s(&self, i: usize) -> &'t str {
        let t = self.toks[i];
        &self.text[t.start as usize..t.end as usize]
    }

    fn is_ident(&self, i: usize, word: &str) -> bool {
        i < self.toks.len() && self.toks[i].kind == Kind::Ident && self.s(i) == word
    }

    fn is_punct(&self, i: usize, c: u8) -> bool {
        i < self.toks.len() && self.toks[i].kind == Kind::Punct(c)
    }

    fn is_open(&self, i: usize, c: u8) -> bool {
        i < self.toks.len() && self.toks[i].kind == Kind::Open(c)
    }

    /// Past the group opening at `i`.
    fn after_group(&self, i: usize) -> usize {
        self.close[i] as usize + 1
    }

    /// The facts-relevant contents of code the summary does not read item by item (bodies,
    /// initialisers, types): macro uses, and for a trait's default method the calls on
    /// `self`. Items inside need the parse.
    fn opaque(
        &mut self,
        from: usize,
        to: usize,
        code: Code,
        calls: &mut Option<Vec<Event>>,
    ) -> Light<()> {
        let mut i = from;
        while i < to {
            let t = self.toks[i];
            match t.kind {
                Kind::Ident => {
                    let word = self.s(i);
                    if code == Code::Block && self.starts_item(i) {
                        // `rust.rs` records a `use` in a body like any other; other items
                        // there need the parse.
                        if word == "use" {
                            i = self.use_item(i, to)?;
                            continue;
                        }
                        // Other items are read like a module's, from their attributes,
                        // `pub` and qualifiers when they have any (`item_head`).
                        let head = self.item_head(from, i);
                        if head == i {
                            let bare = i == from
                                || !(matches!(
                                    self.toks[i - 1].kind,
                                    Kind::Close(b')' | b']') | Kind::Literal | Kind::DocOuter
                                ) || matches!(
                                    self.s(i - 1),
                                    "pub" | "unsafe" | "async" | "const" | "extern" | "default"
                                ));
                            if !bare {
                                return Err(NeedsParse);
                            }
                            i = self.item(i, i, to, Attr::default(), None, &Owner::Module)?;
                        } else {
                            let (attr, first_line, start) = {
                                let saved = self.facts.macro_uses.len();
                                let r = self.outer_attributes(head, to)?;
                                self.facts.macro_uses.truncate(saved);
                                r
                            };
                            i = self.item(head, start, to, attr, first_line, &Owner::Module)?;
                        }
                        continue;
                    }
                    if self.is_punct(i + 1, b'!')
                        && !KEYWORDS.contains(&word)
                        && i + 2 < to
                        && matches!(self.toks[i + 2].kind, Kind::Open(_))
                    {
                        self.facts.macro_uses.push(word.to_owned());
                        i = self.after_group(i + 2);
                        continue;
                    }
                    if word == "self" && calls.is_some() && self.self_in_other_receiver(i) {
                        return Err(NeedsParse);
                    }
                    if word == "self"
                        && let Some(events) = calls.as_mut()
                        && self.is_punct(i + 1, b'.')
                        && i + 2 < to
                        && self.toks[i + 2].kind == Kind::Ident
                        && (i == 0
                            || !matches!(self.toks[i - 1].kind, Kind::Punct(b'.') | Kind::PathSep))
                    {
                        let mut j = i + 3;
                        if self.toks.get(j).is_some_and(|t| t.kind == Kind::PathSep)
                            && self.is_punct(j + 1, b'<')
                        {
                            j = self.skip_angles(j + 1)?;
                        }
                        if self.is_open(j, b'(') {
                            events.push(Event {
                                line: self.toks[i + 2].line,
                                loop_id: None,
                                kind: EventKind::Call(Call {
                                    callee: self.s(i + 2).to_owned(),
                                    receiver: "self".to_owned(),
                                    is_method: true,
                                    is_macro: false,
                                    args: Vec::new(),
                                }),
                            });
                        }
                    }
                }
                Kind::Punct(b'#') => {
                    // An attribute on a statement or expression: only `#[path = expr]`
                    // exprs hold macros the full front-end visits.
                    let mut j = i + 1;
                    if self.is_punct(j, b'!') {
                        j += 1;
                    }
                    if self.is_open(j, b'[') {
                        self.attribute(j)?;
                        i = self.after_group(j);
                        continue;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        Ok(())
    }

    /// Whether `self` at `i` may be the receiver of a method call the full front-end renders
    /// as `self` in a shape other than `self.m(..)`: `self?.m()`, `self.await.m()`, or a
    /// parenthesised `self` under prefix operators and casts (`(!self).m()`, `(&*self as
    /// T).m()`), but not the arguments of a call (`f(self).m()` renders as `f()`).
    fn self_in_other_receiver(&self, i: usize) -> bool {
        if self.is_punct(i + 1, b'?')
            || (self.is_punct(i + 1, b'.') && self.is_ident(i + 2, "await"))
        {
            return true;
        }
        let mut k = i;
        while k > 0 {
            k -= 1;
            match self.toks[k].kind {
                Kind::Punct(b'!' | b'-' | b'*' | b'&') => {}
                Kind::Ident if self.s(k) == "mut" => {}
                Kind::Open(b'(') => {
                    let call = k > 0
                        && match self.toks[k - 1].kind {
                            Kind::Ident => !KEYWORDS.contains(&self.s(k - 1)),
                            Kind::Close(_) => true,
                            _ => false,
                        };
                    return !call && self.is_punct(self.after_group(k), b'.');
                }
                _ => return false,
            }
        }
        false
    }

    /// Whether the identifier at `i`, inside a block, starts an item the full front-end
    /// would record (`fn f`, `impl`, `use`, `struct`, ...): a method named `union` or a
    /// function pointer type `fn(u8)` does not.
    fn starts_item(&self, i: usize) -> bool {
        let word = self.s(i);
        if !is_item_keyword(word)
            || (i > 0 && matches!(self.toks[i - 1].kind, Kind::Punct(b'.') | Kind::PathSep))
        {
            return false;
        }
        let next_is_ident = self.toks.get(i + 1).is_some_and(|t| t.kind == Kind::Ident);
        match word {
            "fn" | "union" => next_is_ident,
            // `extern "C" fn(u8)` is a type.
            "extern" => {
                !(self
                    .toks
                    .get(i + 1)
                    .is_some_and(|t| t.kind == Kind::Literal)
                    && self.is_ident(i + 2, "fn")
                    && self.is_open(i + 3, b'('))
            }
            _ => true,
        }
    }

    /// Where the item whose keyword is at `keyword` starts, `from` at the earliest: back over
    /// qualifiers (`unsafe`, `async`, `const`, `extern` and its ABI, `default`, `auto`),
    /// `pub` and `pub(..)`, outer attributes (`#[..]`) and doc comments. `keyword` itself when
    /// none of those precede it.
    fn item_head(&self, from: usize, keyword: usize) -> usize {
        let mut j = keyword;
        while j > from {
            let prev = j - 1;
            let kind = self.toks[prev].kind;
            j = match kind {
                Kind::DocOuter => prev,
                Kind::Ident
                    if matches!(
                        self.s(prev),
                        "pub" | "unsafe" | "async" | "const" | "extern" | "default" | "auto"
                    ) =>
                {
                    prev
                }
                // `extern "C"`.
                Kind::Literal if prev > from && self.is_ident(prev - 1, "extern") => prev - 1,
                Kind::Close(c @ (b')' | b']')) => {
                    let Some(open) = self.open_of(prev, from) else {
                        break;
                    };
                    match c {
                        b')' if open > from && self.is_ident(open - 1, "pub") => open - 1,
                        b']' if open > from && self.is_punct(open - 1, b'#') => open - 1,
                        _ => break,
                    }
                }
                _ => break,
            };
        }
        j
    }

    /// The opening token of the group closing at `close`, `from` at the earliest.
    fn open_of(&self, close: usize, from: usize) -> Option<usize> {
        (from..close).rev().find(|&k| {
            matches!(self.toks[k].kind, Kind::Open(_)) && self.close[k] as usize == close
        })
    }

    /// Past the `<...>` starting at `i` (angle brackets are not groups).
    fn skip_angles(&self, i: usize) -> Light<usize> {
        let mut depth = 0i32;
        let mut j = i;
        while j < self.toks.len() {
            match self.toks[j].kind {
                Kind::Punct(b'<') => depth += 1,
                Kind::Punct(b'>') => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(j + 1);
                    }
                }
                Kind::Open(_) => {
                    j = self.after_group(j);
                    continue;
                }
                Kind::Close(_) | Kind::Punct(b';') => return Err(NeedsParse),
                _ => {}
            }
            j += 1;
        }
        Err(NeedsParse)
    }

    /// One attribute's bracket group at `open`: whether it marks test code, and the macros
    /// of a `path = expr` value.
    fn attribute(&mut self, open: usize) -> Light<Attr> {
        let end = self.close[open] as usize;
        let mut j = open + 1;
        let mut path = Vec::new();
        while j < end {
            match self.toks[j].kind {
                Kind::Ident => path.push(self.s(j)),
                Kind::PathSep => {}
                _ => break,
            }
            j += 1;
        }
        if path
            .iter()
            .any(|p| PARSE_IDENTS.contains(p) || PROC_MACRO_ATTRIBUTES.contains(p))
        {
            return Err(NeedsParse);
        }
        let single = |name: &str| path.len() == 1 && path[0] == name;
        let mut attr = Attr {
            test: single("test"),
            ..Attr::default()
        };
        if j < end && self.is_punct(j, b'=') {
            let mut none = None;
            self.opaque(j + 1, end, Code::Block, &mut none)?;
        } else if j < end && self.is_open(j, b'(') {
            let inner_end = self.close[j] as usize;
            if single("cfg") && inner_end == j + 2 && self.is_ident(j + 1, "test") {
                attr.cfg_test = true;
            }
            // `cfg(test)` nested deeper (`cfg(all(cfg(test)))`) is not worth a special case.
            if single("cfg") && (j + 1..inner_end).any(|k| self.is_ident(k, "cfg")) {
                return Err(NeedsParse);
            }
        }
        Ok(attr)
    }

    /// Outer attributes and doc comments from `i`: their summary, the first line, and where
    /// the item starts.
    fn outer_attributes(&mut self, mut i: usize, end: usize) -> Light<(Attr, Option<u32>, usize)> {
        let mut attr = Attr::default();
        let mut first = None;
        while i < end {
            match self.toks[i].kind {
                Kind::DocOuter => {
                    first.get_or_insert(self.toks[i].line);
                    i += 1;
                }
                Kind::Punct(b'#') if self.is_open(i + 1, b'[') => {
                    first.get_or_insert(self.toks[i].line);
                    let a = self.attribute(i + 1)?;
                    attr.test |= a.test;
                    attr.cfg_test |= a.cfg_test;
                    i = self.after_group(i + 1);
                }
                _ => break,
            }
        }
        Ok((attr, first, i))
    }

    /// The items of a file, a module or a block of items, `from..to`.
    fn items(&mut self, from: usize, to: usize, owner: &Owner) -> Light<()> {
        let mut i = from;
        while i < to {
            // Inner attributes and inner doc comments belong to the enclosing module.
            match self.toks[i].kind {
                Kind::DocInner => {
                    i += 1;
                    continue;
                }
                Kind::Punct(b'#') if self.is_punct(i + 1, b'!') && self.is_open(i + 2, b'[') => {
                    self.attribute(i + 2)?;
                    i = self.after_group(i + 2);
                    continue;
                }
                Kind::Punct(b';') => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            // The item's attributes are skipped with the item when it is test code; their
            // macros are only counted for items that are visited.
            let (attr_probe, first_line, start) = {
                let saved = self.facts.macro_uses.len();
                let r = self.outer_attributes(i, to)?;
                self.facts.macro_uses.truncate(saved);
                r
            };
            i = self.item(i, start, to, attr_probe, first_line, owner)?;
        }
        Ok(())
    }

    /// One item whose attributes start at `attrs` and whose own tokens at `start`; returns
    /// where the next item starts.
    fn item(
        &mut self,
        attrs: usize,
        start: usize,
        to: usize,
        attr: Attr,
        first_line: Option<u32>,
        owner: &Owner,
    ) -> Light<usize> {
        let mut i = start;
        let mut public = false;
        if self.is_ident(i, "pub") {
            i += 1;
            if self.is_open(i, b'(') {
                i = self.after_group(i);
            } else {
                public = true;
            }
        }
        // Qualifiers.
        loop {
            if self.is_ident(i, "unsafe")
                || self.is_ident(i, "async")
                || self.is_ident(i, "default")
                || self.is_ident(i, "auto")
                || (self.is_ident(i, "const")
                    && (self.is_ident(i + 1, "fn")
                        || self.is_ident(i + 1, "unsafe")
                        || self.is_ident(i + 1, "async")
                        || self.is_ident(i + 1, "extern")))
            {
                i += 1;
            } else if self.is_ident(i, "extern")
                && (self.is_ident(i + 1, "fn")
                    || (i + 2 < to
                        && self.toks[i + 1].kind == Kind::Literal
                        && self.is_ident(i + 2, "fn")))
            {
                i += if self.is_ident(i + 1, "fn") { 1 } else { 2 };
            } else {
                break;
            }
        }
        let line_of_item = first_line.unwrap_or(self.toks.get(start).map_or(1, |t| t.line));
        if i >= to || self.toks[i].kind != Kind::Ident {
            return Err(NeedsParse);
        }
        let keyword = self.s(i);
        let test_only = attr.test || attr.cfg_test;
        // Visited items count the macros in their attributes.
        let visit_attrs = |this: &mut Self| -> Light<()> {
            let mut k = attrs;
            while k < start {
                if this.is_punct(k, b'#') && this.is_open(k + 1, b'[') {
                    this.attribute(k + 1)?;
                    k = this.after_group(k + 1);
                } else {
                    k += 1;
                }
            }
            Ok(())
        };
        match keyword {
            // `rust.rs` records a `use` without visiting its attributes.
            "use" => self.use_item(i, to),
            "fn" => {
                let name_at = i + 1;
                if name_at >= to || self.toks[name_at].kind != Kind::Ident {
                    return Err(NeedsParse);
                }
                let name = self.s(name_at).to_owned();
                // Free functions marked as tests are not visited at all.
                if test_only && matches!(owner, Owner::Module) {
                    return self.skip_fn(name_at + 1, to);
                }
                let (body, end) = self.fn_signature(name_at + 1, to)?;
                // A body-less `fn f();` in an impl is verbatim to syn, and a trait's declaration
                // without a default is no function either: only a body makes a function.
                if let Some(open) = body {
                    // The body's macro uses, and for a trait's default method its calls on
                    // `self`.
                    let close = self.close[open] as usize;
                    let mut calls = matches!(owner, Owner::Trait(_)).then(Vec::new);
                    self.opaque(open + 1, close, Code::Block, &mut calls)?;
                    let end_line = self.toks[close].line;
                    let (owner_name, trait_impl, span, events) = match owner {
                        Owner::Trait(trait_name) => (
                            Some(trait_name.clone()),
                            None,
                            LineSpan::new(line_of_item, end_line),
                            calls.unwrap_or_default(),
                        ),
                        Owner::Impl {
                            self_ty,
                            trait_name,
                        } => (
                            Some(self_ty.clone()),
                            trait_name.clone(),
                            LineSpan::new(line_of_item, end_line),
                            Vec::new(),
                        ),
                        Owner::Module => (
                            None,
                            None,
                            LineSpan::new(line_of_item, end_line),
                            Vec::new(),
                        ),
                    };
                    // The summary reads a function's name (`summary::is_di_name`), owner and
                    // trait, and nothing else of it that this scanner would not refuse
                    // (calls, events and parameters feed registries, chains and markers,
                    // refused below): without the complexity, only the functions it lists
                    // are recorded; with it, every one, for the sums.
                    let listed = matches!(owner, Owner::Trait(_))
                        || trait_impl.is_some()
                        || is_di_name(&name);
                    if self.follow_complexity || listed {
                        let mut f = function(&name, owner_name, trait_impl, span, events);
                        if self.follow_complexity {
                            match self.body_complexity(open) {
                                Some((cyclomatic, cognitive)) => {
                                    f.cyclomatic = cyclomatic;
                                    f.cognitive = cognitive;
                                }
                                None => self.complexity_known = false,
                            }
                        }
                        self.facts.functions.push(f);
                    }
                }
                Ok(end)
            }
            "struct" | "enum" | "union" => {
                if keyword == "union" && !(i + 1 < to && self.toks[i + 1].kind == Kind::Ident) {
                    return Err(NeedsParse);
                }
                if !matches!(owner, Owner::Module) {
                    return Err(NeedsParse);
                }
                visit_attrs(self)?;
                let name = self.s(i + 1).to_owned();
                let end = self.type_end(i + 2, to)?;
                // A field typed with a `TypeId` (`CoreTypeId`) marks a type-keyed store.
                if self.type_id_words
                    && (i + 2..end)
                        .any(|k| self.toks[k].kind == Kind::Ident && self.s(k).contains("TypeId"))
                {
                    return Err(NeedsParse);
                }
                let mut none = None;
                self.opaque(i + 2, end, Code::Types, &mut none)?;
                if public {
                    let kind = match keyword {
                        "struct" => TypeKind::Struct,
                        "enum" => TypeKind::Enum,
                        _ => TypeKind::Union,
                    };
                    self.facts
                        .types
                        .push(type_def(&name, kind, line_of_item, true, Vec::new()));
                }
                Ok(end)
            }
            "trait" => {
                if !matches!(owner, Owner::Module) {
                    return Err(NeedsParse);
                }
                visit_attrs(self)?;
                let name_at = i + 1;
                if name_at >= to || self.toks[name_at].kind != Kind::Ident {
                    return Err(NeedsParse);
                }
                let name = self.s(name_at).to_owned();
                // Header up to the body; a trait alias (`trait A = B;`) is no trait, but `=`
                // in generics (`trait S<R = ()>: I<Item = u8>`) binds a type.
                let mut j = name_at + 1;
                let mut angle = 0usize;
                while j < to && !self.is_open(j, b'{') {
                    match self.toks[j].kind {
                        Kind::Punct(b'<') => angle += 1,
                        Kind::Punct(b'>') => angle = angle.saturating_sub(1),
                        Kind::Punct(b'=') if angle > 0 => {}
                        Kind::Punct(b'=') | Kind::Punct(b';') => return Err(NeedsParse),
                        Kind::Open(_) => {
                            j = self.after_group(j);
                            continue;
                        }
                        _ => {}
                    }
                    j += 1;
                }
                if j >= to {
                    return Err(NeedsParse);
                }
                let mut none = None;
                self.opaque(name_at + 1, j, Code::Types, &mut none)?;
                let body_end = self.close[j] as usize;
                let methods = self.trait_methods(j + 1, body_end);
                let type_index = self.facts.types.len();
                self.facts.types.push(type_def(
                    &name,
                    TypeKind::Trait,
                    line_of_item,
                    public,
                    methods,
                ));
                self.items(j + 1, body_end, &Owner::Trait(name))?;
                self.facts.types[type_index].span =
                    LineSpan::new(line_of_item, self.toks[body_end].line);
                Ok(body_end + 1)
            }
            "impl" => {
                if !matches!(owner, Owner::Module) {
                    return Err(NeedsParse);
                }
                visit_attrs(self)?;
                let (self_ty, trait_name, open) = self.impl_header(i + 1, to)?;
                let body_end = self.close[open] as usize;
                self.items(
                    open + 1,
                    body_end,
                    &Owner::Impl {
                        self_ty,
                        trait_name,
                    },
                )?;
                Ok(body_end + 1)
            }
            "mod" => {
                if !matches!(owner, Owner::Module) {
                    return Err(NeedsParse);
                }
                let name_at = i + 1;
                if self.is_punct(name_at + 1, b';') {
                    if !test_only {
                        visit_attrs(self)?;
                    }
                    return Ok(name_at + 2);
                }
                if !self.is_open(name_at + 1, b'{') {
                    return Err(NeedsParse);
                }
                let open = name_at + 1;
                if !test_only {
                    visit_attrs(self)?;
                    self.items(open + 1, self.close[open] as usize, &Owner::Module)?;
                }
                Ok(self.after_group(open))
            }
            "macro_rules" if self.is_punct(i + 1, b'!') => {
                if !matches!(owner, Owner::Module) {
                    return Err(NeedsParse);
                }
                visit_attrs(self)?;
                let name_at = i + 2;
                if name_at >= to
                    || self.toks[name_at].kind != Kind::Ident
                    || !matches!(
                        self.toks.get(name_at + 1).map(|t| t.kind),
                        Some(Kind::Open(_))
                    )
                {
                    return Err(NeedsParse);
                }
                let name = self.s(name_at).to_owned();
                let open = name_at + 1;
                let (arms, recursive) = self.macro_shape(open, &name);
                self.facts.macros.push(MacroDef {
                    name,
                    line: self.toks[name_at].line,
                    arms,
                    recursive,
                    procedural: false,
                });
                let mut end = self.after_group(open);
                if self.is_punct(end, b';') {
                    end += 1;
                }
                Ok(end)
            }
            "const" | "static" | "type" => {
                visit_attrs(self)?;
                let end = self.find_semi(i + 1, to)?;
                let mut none = None;
                self.opaque(i + 1, end, Code::Block, &mut none)?;
                Ok(end + 1)
            }
            "extern"
                if self.is_open(i + 1, b'{')
                    || (self
                        .toks
                        .get(i + 1)
                        .is_some_and(|t| t.kind == Kind::Literal)
                        && self.is_open(i + 2, b'{')) =>
            {
                // A foreign block (`extern "C" { .. }`): `rust.rs` records none of its items
                // (a function without a body is no function; foreign statics and types are
                // no globals or types), only the macros in them and in its attributes.
                visit_attrs(self)?;
                let open = if self.is_open(i + 1, b'{') {
                    i + 1
                } else {
                    i + 2
                };
                let mut none = None;
                self.opaque(open + 1, self.close[open] as usize, Code::Types, &mut none)?;
                Ok(self.after_group(open))
            }
            "extern" if self.is_ident(i + 1, "crate") => {
                visit_attrs(self)?;
                Ok(self.find_semi(i + 1, to)? + 1)
            }
            _ => {
                // An item macro: `path! (..)`, `path! {..}`.
                let mut j = i;
                let mut last = i;
                while j < to {
                    match self.toks[j].kind {
                        Kind::Ident => last = j,
                        Kind::PathSep => {}
                        _ => break,
                    }
                    j += 1;
                }
                if !(self.is_punct(j, b'!')
                    && self
                        .toks
                        .get(j + 1)
                        .is_some_and(|t| matches!(t.kind, Kind::Open(_))))
                {
                    return Err(NeedsParse);
                }
                if PARSE_IDENTS.contains(&self.s(last)) {
                    return Err(NeedsParse);
                }
                visit_attrs(self)?;
                self.facts.macro_uses.push(self.s(last).to_owned());
                // `rust.rs` visits a `thread_local!` item's statics (`global_items`): the
                // macros of their initialisers. (As globals they matter to the summary only
                // when typed as a registry, which the file-wide map check refuses.)
                if self.s(last) == "thread_local" {
                    let mut none = None;
                    self.opaque(j + 2, self.close[j + 1] as usize, Code::Block, &mut none)?;
                }
                let mut end = self.after_group(j + 1);
                if self.is_punct(end, b';') {
                    end += 1;
                }
                Ok(end)
            }
        }
    }

    /// The `use` item whose keyword is at `i`: its imports recorded; returns past its `;`.
    fn use_item(&mut self, i: usize, to: usize) -> Light<usize> {
        let line = self.toks[i].line;
        let end = self.find_semi(i + 1, to)?;
        let mut j = i + 1;
        if j < end && self.toks[j].kind == Kind::PathSep {
            j += 1;
        }
        self.use_tree(j, end, "", line)?;
        Ok(end + 1)
    }

    /// The `;` ending an item from `i`, skipping groups.
    fn find_semi(&self, mut i: usize, to: usize) -> Light<usize> {
        while i < to {
            match self.toks[i].kind {
                Kind::Punct(b';') => return Ok(i),
                Kind::Open(_) => i = self.after_group(i),
                _ => i += 1,
            }
        }
        Err(NeedsParse)
    }

    /// Past a free test function: its signature and body end like a type item's.
    fn skip_fn(&self, i: usize, to: usize) -> Light<usize> {
        self.type_end(i, to)
    }

    /// A function's signature from after its name: macros in it, the `next` continuation
    /// check, and where the body opens (`None` for a declaration) and the item ends.
    fn fn_signature(&mut self, from: usize, to: usize) -> Light<(Option<usize>, usize)> {
        let mut i = from;
        let mut body = None;
        let mut end = to;
        while i < to {
            match self.toks[i].kind {
                Kind::Punct(b';') => {
                    end = i + 1;
                    break;
                }
                Kind::Open(b'{') => {
                    body = Some(i);
                    end = self.after_group(i);
                    break;
                }
                Kind::Open(b'(') => {
                    // The parameter list (or a group inside a type): a parameter named
                    // `next` is a continuation the framework summary reads.
                    let close = self.close[i] as usize;
                    let mut k = i + 1;
                    let mut at_param = true;
                    while k < close {
                        if at_param && self.is_ident(k, "next") && self.is_punct(k + 1, b':') {
                            return Err(NeedsParse);
                        }
                        // Receivers rustc and syn reject (`ref self`, `self @ ..`): a syntax
                        // error the full parse reports, so the file takes it.
                        if self.is_ident(k, "self")
                            && ((k > 0 && self.is_ident(k - 1, "ref"))
                                || self.is_punct(k + 1, b'@'))
                        {
                            return Err(NeedsParse);
                        }
                        at_param = self.is_punct(k, b',');
                        k = match self.toks[k].kind {
                            Kind::Open(_) => self.after_group(k),
                            _ => k + 1,
                        };
                    }
                    i = close + 1;
                }
                Kind::Open(_) => i = self.after_group(i),
                _ => i += 1,
            }
        }
        if i >= to && body.is_none() && end == to {
            return Err(NeedsParse);
        }
        Ok((body, end))
    }

    /// Where a struct, enum or union item (or a function) ends: after its brace body, or its
    /// `;`.
    fn type_end(&self, mut i: usize, to: usize) -> Light<usize> {
        while i < to {
            match self.toks[i].kind {
                Kind::Punct(b';') => return Ok(i + 1),
                Kind::Open(b'{') => return Ok(self.after_group(i)),
                Kind::Open(_) => i = self.after_group(i),
                _ => i += 1,
            }
        }
        Err(NeedsParse)
    }

    /// Method names of a trait body (every `fn` item, with or without a default).
    fn trait_methods(&self, from: usize, to: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut i = from;
        while i < to {
            match self.toks[i].kind {
                Kind::Open(_) => {
                    i = self.after_group(i);
                    continue;
                }
                Kind::Ident
                    if self.s(i) == "fn" && i + 1 < to && self.toks[i + 1].kind == Kind::Ident =>
                {
                    out.push(self.s(i + 1).to_owned());
                }
                _ => {}
            }
            i += 1;
        }
        out
    }

    /// An impl header from after `impl`: the implementing type as the full front-end names
    /// it, the trait's last segment, and the body's opening brace.
    fn impl_header(&mut self, from: usize, to: usize) -> Light<(String, Option<String>, usize)> {
        let mut i = from;
        if self.is_punct(i, b'<') {
            i = self.skip_angles(i)?;
        }
        let head_start = i;
        let mut open = None;
        let mut for_at = None;
        let mut where_at = None;
        let mut depth = 0i32;
        let mut j = i;
        while j < to {
            match self.toks[j].kind {
                Kind::Punct(b'<') => depth += 1,
                Kind::Punct(b'>') => depth -= 1,
                Kind::Open(b'{') if depth == 0 => {
                    open = Some(j);
                    break;
                }
                Kind::Open(_) => {
                    j = self.after_group(j);
                    continue;
                }
                Kind::Ident
                    if depth == 0
                        && self.s(j) == "for"
                        && for_at.is_none()
                        && where_at.is_none() =>
                {
                    for_at = Some(j);
                }
                Kind::Ident if depth == 0 && self.s(j) == "where" => {
                    where_at.get_or_insert(j);
                }
                Kind::Punct(b';') => return Err(NeedsParse),
                _ => {}
            }
            j += 1;
        }
        let open = open.ok_or(NeedsParse)?;
        let ty_end = where_at.unwrap_or(open);
        let mut none = None;
        self.opaque(head_start, open, Code::Types, &mut none)?;
        let (trait_name, ty_start) = match for_at {
            Some(f) => {
                // `impl !Send for X {}` has a trait too.
                let mut k = head_start;
                if self.is_punct(k, b'!') {
                    k += 1;
                }
                let name = self.last_segment(k, f).ok_or(NeedsParse)?;
                (Some(name), f + 1)
            }
            None => (None, head_start),
        };
        let self_ty = self.type_name(ty_start, ty_end)?;
        Ok((self_ty, trait_name, open))
    }

    /// The last identifier at angle depth 0 of a path `from..to`, if it is a plain path.
    fn last_segment(&self, from: usize, to: usize) -> Option<String> {
        let mut depth = 0i32;
        let mut last = None;
        let mut k = from;
        while k < to {
            match self.toks[k].kind {
                Kind::Punct(b'<') => depth += 1,
                Kind::Punct(b'>') => depth -= 1,
                Kind::Ident if depth == 0 => last = Some(k),
                Kind::PathSep => {}
                Kind::Open(b'(') if depth == 0 => {
                    // `Fn(A) -> B` sugar: the segment is before the parentheses.
                    k = self.after_group(k);
                    continue;
                }
                Kind::Arrow if depth == 0 => break,
                _ if depth == 0 => return None,
                _ => {}
            }
            k += 1;
        }
        last.map(|k| self.s(k).to_owned())
    }

    /// The implementing type as `rust.rs` names it: a path's last segment, any other type
    /// rendered without white space.
    fn type_name(&self, from: usize, to: usize) -> Light<String> {
        if from >= to {
            return Err(NeedsParse);
        }
        let plain_path = self.toks[from].kind == Kind::Ident
            && !matches!(self.s(from), "dyn" | "impl" | "fn" | "unsafe" | "extern")
            || self.toks[from].kind == Kind::PathSep
            || (self.is_punct(from, b'<'));
        if plain_path {
            // A qualified path (`<T as X>::Y`) ends in its last segment too.
            let mut k = from;
            if self.is_punct(k, b'<') {
                k = self.skip_angles(k)?;
            }
            return self.last_segment(k, to).ok_or(NeedsParse);
        }
        let mut out = String::new();
        for k in from..to {
            out.push_str(self.s(k));
        }
        // As `rust::compact` renders it: cut at 80 bytes.
        if out.len() > 80 {
            let mut cut = 80;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            out.push('…');
        }
        Ok(out)
    }

    /// The rules of a `macro_rules!` body (top-level `=>`) and whether it invokes itself.
    fn macro_shape(&self, open: usize, name: &str) -> (u32, bool) {
        let end = self.close[open] as usize;
        let mut arms = 0;
        let mut recursive = false;
        let mut k = open + 1;
        while k < end {
            match self.toks[k].kind {
                Kind::FatArrow => arms += 1,
                Kind::Open(_) => {
                    let close = self.close[k] as usize;
                    if !recursive {
                        recursive = (k + 1..close).any(|m| {
                            self.toks[m].kind == Kind::Ident
                                && self.s(m) == name
                                && self.is_punct(m + 1, b'!')
                        });
                    }
                    k = close + 1;
                    continue;
                }
                _ => {}
            }
            k += 1;
        }
        (arms, recursive)
    }

    /// A use tree `from..to` under `prefix`, flattened as `rust::flatten_use` does.
    fn use_tree(&mut self, from: usize, to: usize, prefix: &str, line: u32) -> Light<()> {
        let join = |name: &str| {
            if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}::{name}")
            }
        };
        if from >= to {
            return Err(NeedsParse);
        }
        match self.toks[from].kind {
            Kind::Ident => {
                let name = self.s(from);
                if from + 1 == to {
                    self.facts.imports.push(Import {
                        path: join(name),
                        line,
                    });
                    Ok(())
                } else if self.toks[from + 1].kind == Kind::PathSep {
                    self.use_tree(from + 2, to, &join(name), line)
                } else if self.is_ident(from + 1, "as") && from + 3 == to {
                    self.facts.imports.push(Import {
                        path: join(name),
                        line,
                    });
                    Ok(())
                } else {
                    Err(NeedsParse)
                }
            }
            Kind::Punct(b'*') if from + 1 == to => {
                self.facts.imports.push(Import {
                    path: join("*"),
                    line,
                });
                Ok(())
            }
            Kind::Open(b'{') if self.close[from] as usize + 1 == to => {
                let end = self.close[from] as usize;
                let mut k = from + 1;
                while k < end {
                    let mut e = k;
                    while e < end && !self.is_punct(e, b',') {
                        e = match self.toks[e].kind {
                            Kind::Open(_) => self.after_group(e),
                            _ => e + 1,
                        };
                    }
                    if e > k {
                        // `a::{b, ::c}` is not valid; a leading `::` inside a group is.
                        let mut s = k;
                        if self.toks[s].kind == Kind::PathSep {
                            s += 1;
                        }
                        self.use_tree(s, e, prefix, line)?;
                    }
                    k = e + 1;
                }
                Ok(())
            }
            _ => Err(NeedsParse),
        }
    }
}

/// What code an opaque range holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Code {
    /// Statements and expressions: an item there is recorded by the full front-end.
    Block,
    /// Signatures, headers, field lists: no item can appear.
    Types,
}

/// What the summary needs of an item's attributes.
#[derive(Debug, Default, Clone, Copy)]
struct Attr {
    /// `#[test]`
    test: bool,
    /// `#[cfg(test)]`
    cfg_test: bool,
}

/// A shape whose complexity this scanner does not follow exactly as `rust.rs` counts it: the
/// file's complexity is left to the full parse (`LightFacts::complexity` false).
#[derive(Debug)]
struct Unfollowed;

type Follow<T> = Result<T, Unfollowed>;

/// Cyclomatic and cognitive complexity being summed over a function body, as `rust.rs`
/// counts them: `if` and each `else if`, loops, `?`, `&&` and `||` add 1 to cyclomatic
/// complexity, a `match` its arms less one; `if`, loops and `match` add 1 plus their nesting
/// to cognitive complexity, `else`, and each run of one boolean operator add 1. Branch bodies,
/// loop bodies (a `while`'s condition too), match arms and closures nest one level deeper.
struct Cx {
    cyclomatic: u32,
    cognitive: u32,
}

/// Words after which an operand starts (no operator can follow them).
const OPERAND_KEYWORDS: &[&str] = &[
    "as", "async", "box", "break", "const", "continue", "do", "dyn", "else", "enum", "extern",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "type", "unsafe", "use", "where", "while", "yield",
];

impl Scanner<'_> {
    /// The cyclomatic and cognitive complexity of the function body opening at `open`, or
    /// `None` where this scanner does not follow the body exactly.
    fn body_complexity(&self, open: usize) -> Option<(u32, u32)> {
        let mut cx = Cx {
            cyclomatic: 1,
            cognitive: 0,
        };
        self.cx_group(open, 0, &mut cx).ok()?;
        Some((cx.cyclomatic, cx.cognitive))
    }

    /// Whether tokens `k` and `k + 1` are the punctuation `c` twice, written together (`&&`,
    /// `||`).
    fn doubled(&self, k: usize, c: u8) -> bool {
        self.is_punct(k, c) && self.is_punct(k + 1, c) && self.toks[k].end == self.toks[k + 1].start
    }

    /// Whether the `=` at `k` stands alone (not `==`, `<=`, `>=`, `!=`, `+=`, ...).
    fn lone_eq(&self, k: usize) -> bool {
        let joined = |a: usize, b: usize| self.toks[a].end == self.toks[b].start;
        self.is_punct(k, b'=')
            && !(self.is_punct(k + 1, b'=') && joined(k, k + 1))
            && !(k > 0 && matches!(self.toks[k - 1].kind, Kind::Punct(_)) && joined(k - 1, k))
    }

    /// Past a `let` pattern (and its type) from `from`: the position of its lone `=` (or of
    /// the `;` or `else` ending a `let` without one) within `to`.
    fn past_pattern(&self, mut k: usize, to: usize) -> Follow<usize> {
        let mut angle = 0usize;
        while k < to {
            match self.toks[k].kind {
                Kind::Open(_) => {
                    k = self.after_group(k);
                    continue;
                }
                Kind::Punct(b'<') => angle += 1,
                Kind::Punct(b'>') => angle = angle.saturating_sub(1),
                Kind::Punct(b';') => return Ok(k),
                Kind::Punct(b'=') if angle == 0 && self.lone_eq(k) => return Ok(k),
                _ => {}
            }
            k += 1;
        }
        Err(Unfollowed)
    }

    /// The block of an `if`, `while`, `match` or `for` whose header starts at `from`: the first
    /// brace group outside parentheses, past `let` patterns (`if let S { a } = s {`) and a
    /// `for` pattern (up to `in`).
    fn header_block(&self, from: usize, to: usize, for_loop: bool) -> Follow<usize> {
        let mut k = from;
        if for_loop {
            while k < to && !self.is_ident(k, "in") {
                k = match self.toks[k].kind {
                    Kind::Open(_) => self.after_group(k),
                    _ => k + 1,
                };
            }
        }
        // A brace where an operand starts is a block in the header (`match unsafe { .. } {`);
        // the body's brace follows an operand.
        let mut operand = true;
        while k < to {
            match self.toks[k].kind {
                Kind::Open(b'{') if !operand => return Ok(k),
                Kind::Open(_) => {
                    k = self.after_group(k);
                    operand = false;
                }
                Kind::Ident if self.s(k) == "let" => {
                    k = self.past_pattern(k + 1, to)? + 1;
                    operand = true;
                }
                Kind::Ident => {
                    let word = self.s(k);
                    operand = OPERAND_KEYWORDS.contains(&word)
                        && !matches!(word, "self" | "Self" | "super" | "crate" | "await");
                    k += 1;
                }
                Kind::Literal => {
                    operand = false;
                    k += 1;
                }
                Kind::Punct(b'?') => {
                    operand = false;
                    k += 1;
                }
                _ => {
                    operand = true;
                    k += 1;
                }
            }
        }
        Err(Unfollowed)
    }

    /// Adds the complexity of the code in `from..to` at `nesting`: statements when `block`
    /// (a block's body), else one expression (or a list of them).
    fn cx_range(
        &self,
        from: usize,
        to: usize,
        nesting: u32,
        block: bool,
        cx: &mut Cx,
    ) -> Follow<()> {
        let mut i = from;
        // The next token starts an operand: `&&` there is a double reference, `||` and `|`
        // start a closure, `?` is a bound's.
        let mut operand = true;
        // The next token starts a statement: a block-like expression there (`if`, `match`,
        // a loop, a block) ends the statement unless `.` or `?` follows it, as `syn` reads it.
        let mut stmt_start = block;
        // Within one expression: a run of `&&` has been counted, an `||` chain has been.
        let (mut and_run, mut or_chain) = (false, false);
        while i < to {
            let t = self.toks[i];
            // Where a block-like expression starting here ends, for `after_block_like`.
            let block_like_at_start = stmt_start;
            stmt_start = false;
            let mut block_like_end = None;
            match t.kind {
                Kind::Ident => {
                    let word = self.s(i);
                    if self.starts_item(i) {
                        i = self.body_item_end(i, to, nesting, cx)?;
                        (operand, and_run, or_chain, stmt_start) = (true, false, false, block);
                        continue;
                    }
                    if self.is_punct(i + 1, b'!')
                        && !KEYWORDS.contains(&word)
                        && self
                            .toks
                            .get(i + 2)
                            .is_some_and(|t| matches!(t.kind, Kind::Open(_)))
                    {
                        // `rust.rs` reads a `thread_local!` body's statics, counting their
                        // initialisers into the function.
                        if word == "thread_local" {
                            return Err(Unfollowed);
                        }
                        i = self.after_group(i + 2);
                        operand = false;
                        continue;
                    }
                    match word {
                        "if" => {
                            cx.cognitive += 1 + nesting;
                            block_like_end = Some(self.if_chain(i, to, nesting, cx)?);
                        }
                        "match" => block_like_end = Some(self.match_expr(i, to, nesting, cx)?),
                        "while" => {
                            cx.cyclomatic += 1;
                            cx.cognitive += 1 + nesting;
                            let open = self.header_block(i + 1, to, false)?;
                            // A `while`'s condition is visited nested, like its body.
                            self.cx_range(i + 1, open, nesting + 1, false, cx)?;
                            self.cx_group(open, nesting + 1, cx)?;
                            block_like_end = Some(self.after_group(open));
                        }
                        "loop" if self.is_open(i + 1, b'{') => {
                            cx.cyclomatic += 1;
                            cx.cognitive += 1 + nesting;
                            self.cx_group(i + 1, nesting + 1, cx)?;
                            block_like_end = Some(self.after_group(i + 1));
                        }
                        "for" if !self.is_punct(i + 1, b'<') => {
                            cx.cyclomatic += 1;
                            cx.cognitive += 1 + nesting;
                            let open = self.header_block(i + 1, to, true)?;
                            let mut in_at = i + 1;
                            while !self.is_ident(in_at, "in") {
                                in_at = match self.toks[in_at].kind {
                                    Kind::Open(_) => self.after_group(in_at),
                                    _ => in_at + 1,
                                };
                            }
                            self.cx_range(in_at + 1, open, nesting, false, cx)?;
                            self.cx_group(open, nesting + 1, cx)?;
                            block_like_end = Some(self.after_group(open));
                        }
                        "unsafe" | "const" if self.is_open(i + 1, b'{') => {
                            self.cx_group(i + 1, nesting, cx)?;
                            block_like_end = Some(self.after_group(i + 1));
                        }
                        "let" => {
                            // In a let chain (`a && let P = e && c`) the `&&` run goes on:
                            // `syn` reads `e` above `&&`.
                            i = self.past_pattern(i + 1, to)?;
                            operand = true;
                            if self.is_punct(i, b'=') {
                                i += 1;
                            }
                            continue;
                        }
                        // A `let .. else` block runs at the same nesting (an `if`'s `else` is
                        // read by `if_chain`).
                        "else" | "return" | "in" | "break" | "yield" => {
                            (operand, and_run, or_chain) = (true, false, false);
                        }
                        "self" | "Self" | "super" | "crate" | "true" | "false" | "await" => {
                            operand = false;
                        }
                        _ => operand = OPERAND_KEYWORDS.contains(&word),
                    }
                    if block_like_end.is_none() {
                        i += 1;
                    }
                }
                Kind::Lifetime if self.is_punct(i + 1, b':') => {
                    // A label: the statement starts after it.
                    stmt_start = block_like_at_start;
                    operand = true;
                    i += 2;
                }
                Kind::Literal => {
                    operand = false;
                    i += 1;
                }
                Kind::PathSep if self.is_punct(i + 1, b'<') => {
                    // A turbofish: types, whose commas end no expression.
                    i = self.skip_angles(i + 1).map_err(|_| Unfollowed)?;
                    operand = true;
                }
                Kind::Lifetime | Kind::PathSep => {
                    operand = true;
                    i += 1;
                }
                Kind::DocOuter | Kind::DocInner => {
                    stmt_start = block_like_at_start;
                    operand = true;
                    i += 1;
                }
                Kind::Arrow | Kind::FatArrow => {
                    (operand, and_run, or_chain) = (true, false, false);
                    i += 1;
                }
                Kind::Open(c) => {
                    if c == b'{' && operand {
                        // A block expression.
                        self.cx_group(i, nesting, cx)?;
                        block_like_end = Some(self.after_group(i));
                    } else {
                        // Parentheses, brackets, a struct literal's fields.
                        self.cx_range(i + 1, self.close[i] as usize, nesting, false, cx)?;
                        i = self.after_group(i);
                        operand = false;
                    }
                }
                Kind::Close(_) => return Err(Unfollowed),
                Kind::Punct(b'#') => {
                    // An attribute: not code.
                    stmt_start = block_like_at_start;
                    let mut j = i + 1;
                    if self.is_punct(j, b'!') {
                        j += 1;
                    }
                    if self.is_open(j, b'[') {
                        i = self.after_group(j);
                    } else {
                        i += 1;
                    }
                }
                Kind::Punct(c @ (b'&' | b'|')) if self.doubled(i, c) => {
                    if operand {
                        if c == b'|' {
                            // `|| body`: a closure without parameters.
                            i = self.closure(i + 2, to, nesting, cx)?;
                            (operand, and_run, or_chain) = (false, false, false);
                            continue;
                        }
                        // `&&x`: a double reference.
                        i += 2;
                        continue;
                    }
                    cx.cyclomatic += 1;
                    if c == b'&' {
                        if !and_run {
                            cx.cognitive += 1;
                        }
                        and_run = true;
                    } else {
                        if !or_chain {
                            cx.cognitive += 1;
                        }
                        or_chain = true;
                        and_run = false;
                    }
                    operand = true;
                    i += 2;
                }
                Kind::Punct(b'|') if operand => {
                    // `|params| body`: a closure.
                    let mut k = i + 1;
                    while k < to && !self.is_punct(k, b'|') {
                        k = match self.toks[k].kind {
                            Kind::Open(_) => self.after_group(k),
                            _ => k + 1,
                        };
                    }
                    if k >= to {
                        return Err(Unfollowed);
                    }
                    i = self.closure(k + 1, to, nesting, cx)?;
                    (operand, and_run, or_chain) = (false, false, false);
                }
                Kind::Punct(b'?') => {
                    // After an operand, the `?` operator; otherwise a `?Sized` bound.
                    if !operand {
                        cx.cyclomatic += 1;
                    }
                    i += 1;
                }
                Kind::Punct(c) => {
                    // `>` may close generics before an operator: `x as Vec<u8> || y`.
                    if c == b'>' && (self.doubled(i + 1, b'&') || self.doubled(i + 1, b'|')) {
                        return Err(Unfollowed);
                    }
                    if c == b';' {
                        stmt_start = block;
                    }
                    if matches!(c, b';' | b',') || (c == b'=' && self.lone_eq(i)) {
                        (and_run, or_chain) = (false, false);
                    }
                    if c == b'.' && self.is_punct(i + 1, b'.') {
                        (and_run, or_chain) = (false, false);
                    }
                    operand = true;
                    i += 1;
                }
            }
            if let Some(end) = block_like_end {
                i = end;
                operand = false;
                // At a statement's start, `syn` ends the statement after a block-like
                // expression unless a method call or `?` continues it.
                let continued = (self.is_punct(i, b'.') && !self.is_punct(i + 1, b'.'))
                    || self.is_punct(i, b'?');
                if block_like_at_start && block && !continued {
                    (operand, and_run, or_chain, stmt_start) = (true, false, false, true);
                }
            }
        }
        Ok(())
    }

    /// Adds the complexity of the statements of the brace group opening at `open`.
    fn cx_group(&self, open: usize, nesting: u32, cx: &mut Cx) -> Follow<()> {
        self.cx_range(open + 1, self.close[open] as usize, nesting, true, cx)
    }

    /// A closure whose body starts at `from` (past its parameters): an optional `-> T` then a
    /// block, or an expression up to the next `,` or `;` of the enclosing group; the body
    /// nests one level deeper. Returns where the closure ends.
    fn closure(&self, from: usize, to: usize, nesting: u32, cx: &mut Cx) -> Follow<usize> {
        let mut k = from;
        if self.toks.get(k).is_some_and(|t| t.kind == Kind::Arrow) {
            while k < to && !self.is_open(k, b'{') {
                k = match self.toks[k].kind {
                    Kind::Open(_) => self.after_group(k),
                    _ => k + 1,
                };
            }
            if k >= to {
                return Err(Unfollowed);
            }
            self.cx_group(k, nesting + 1, cx)?;
            return Ok(self.after_group(k));
        }
        let mut end = from;
        while end < to && !self.is_punct(end, b',') && !self.is_punct(end, b';') {
            end = match self.toks[end].kind {
                Kind::Open(_) => self.after_group(end),
                _ => end + 1,
            };
        }
        self.cx_range(from, end, nesting + 1, false, cx)?;
        Ok(end)
    }

    /// An `if` at `i` and its `else if` / `else` chain (the `if`'s cognitive increment is
    /// the caller's): returns where the chain ends.
    fn if_chain(&self, mut i: usize, to: usize, nesting: u32, cx: &mut Cx) -> Follow<usize> {
        loop {
            cx.cyclomatic += 1;
            let open = self.header_block(i + 1, to, false)?;
            self.cx_range(i + 1, open, nesting, false, cx)?;
            self.cx_group(open, nesting + 1, cx)?;
            let next = self.after_group(open);
            if !(next < to && self.is_ident(next, "else")) {
                return Ok(next);
            }
            cx.cognitive += 1;
            if self.is_ident(next + 1, "if") {
                i = next + 1;
                continue;
            }
            if !self.is_open(next + 1, b'{') {
                return Err(Unfollowed);
            }
            self.cx_group(next + 1, nesting + 1, cx)?;
            return Ok(self.after_group(next + 1));
        }
    }

    /// A `match` at `i`: its scrutinee, then its arms nested one level deeper (patterns
    /// skipped, guards and bodies read). Returns where it ends.
    fn match_expr(&self, i: usize, to: usize, nesting: u32, cx: &mut Cx) -> Follow<usize> {
        let open = self.header_block(i + 1, to, false)?;
        self.cx_range(i + 1, open, nesting, false, cx)?;
        let close = self.close[open] as usize;
        let mut arrows = Vec::new();
        let mut k = open + 1;
        while k < close {
            match self.toks[k].kind {
                Kind::FatArrow => {
                    arrows.push(k);
                    k += 1;
                }
                Kind::Open(_) => k = self.after_group(k),
                _ => k += 1,
            }
        }
        let arms = u32::try_from(arrows.len()).map_err(|_| Unfollowed)?;
        cx.cyclomatic += arms.saturating_sub(1);
        cx.cognitive += 1 + nesting;
        let inner = nesting + 1;
        let mut start = open + 1;
        for (n, &arrow) in arrows.iter().enumerate() {
            // A guard: from `if` to the arrow.
            let mut g = start;
            while g < arrow && !self.is_ident(g, "if") {
                g = match self.toks[g].kind {
                    Kind::Open(_) => self.after_group(g),
                    _ => g + 1,
                };
            }
            if g < arrow {
                self.cx_range(g + 1, arrow, inner, false, cx)?;
            }
            let (body_end, next_start) = match arrows.get(n + 1) {
                None => (close, close),
                Some(&next_arrow) => {
                    let mut last_comma = None;
                    let mut c = arrow + 1;
                    while c < next_arrow {
                        match self.toks[c].kind {
                            Kind::Punct(b',') => {
                                last_comma = Some(c);
                                c += 1;
                            }
                            Kind::Open(_) => c = self.after_group(c),
                            _ => c += 1,
                        }
                    }
                    match last_comma {
                        Some(c) => (c, c + 1),
                        None => {
                            let end = self.block_like_end(arrow + 1, next_arrow)?;
                            (end, end)
                        }
                    }
                }
            };
            self.cx_range(arrow + 1, body_end, inner, false, cx)?;
            start = next_start;
        }
        Ok(self.after_group(open))
    }

    /// Where the block-like expression starting at `i` ends (an arm's body written without a
    /// comma after it).
    fn block_like_end(&self, i: usize, to: usize) -> Follow<usize> {
        let mut k = i;
        if self.toks.get(k).is_some_and(|t| t.kind == Kind::Lifetime) && self.is_punct(k + 1, b':')
        {
            k += 2;
        }
        while self.is_ident(k, "unsafe")
            || self.is_ident(k, "const")
            || self.is_ident(k, "async")
            || self.is_ident(k, "move")
        {
            k += 1;
        }
        if self.is_open(k, b'{') {
            return Ok(self.after_group(k));
        }
        if self.is_ident(k, "if") {
            // The chain's end as `if_chain` walks it; the arm's scan counts it.
            let mut uncounted = Cx {
                cyclomatic: 0,
                cognitive: 0,
            };
            return self.if_chain(k, to, 0, &mut uncounted);
        }
        if self.is_ident(k, "loop") && self.is_open(k + 1, b'{') {
            return Ok(self.after_group(k + 1));
        }
        let for_loop = self.is_ident(k, "for");
        if for_loop || self.is_ident(k, "match") || self.is_ident(k, "while") {
            let open = self.header_block(k + 1, to, for_loop)?;
            return Ok(self.after_group(open));
        }
        Err(Unfollowed)
    }

    /// Past an item inside a function body (its keyword at `i`): a nested function is its
    /// own (the item scanner reads it); the members of a nested `impl`, `trait` or `mod` other
    /// than functions count into the enclosing function, as `rust.rs` visits them with it on
    /// its stack; a `static`'s initialiser too. Other items hold no code that counts.
    fn body_item_end(&self, i: usize, to: usize, nesting: u32, cx: &mut Cx) -> Follow<usize> {
        // Test-only items are skipped whole by `rust.rs`: attributes on items that hold code
        // are not followed here.
        let attributed = {
            let head = self.item_head(0, i);
            (head..i).any(|k| self.is_punct(k, b'#'))
        };
        match self.s(i) {
            "fn" => self.type_end(i + 1, to).map_err(|_| Unfollowed),
            "static" => {
                if attributed {
                    return Err(Unfollowed);
                }
                let end = self.find_semi(i + 1, to).map_err(|_| Unfollowed)?;
                let eq = self.past_pattern(i + 1, end)?;
                self.cx_range(eq + 1, end, nesting, false, cx)?;
                Ok(end + 1)
            }
            "impl" | "trait" | "mod" => {
                if attributed {
                    return Err(Unfollowed);
                }
                let mut k = i + 1;
                while k < to {
                    match self.toks[k].kind {
                        Kind::Punct(b';') => return Ok(k + 1),
                        Kind::Open(b'{') => break,
                        Kind::Open(_) => k = self.after_group(k),
                        _ => k += 1,
                    }
                }
                if k >= to {
                    return Err(Unfollowed);
                }
                self.cx_group(k, nesting, cx)?;
                Ok(self.after_group(k))
            }
            "macro_rules" => {
                let mut k = i + 1;
                while k < to && !matches!(self.toks[k].kind, Kind::Open(_)) {
                    k += 1;
                }
                if k >= to {
                    return Err(Unfollowed);
                }
                let mut end = self.after_group(k);
                if self.is_punct(end, b';') {
                    end += 1;
                }
                Ok(end)
            }
            "use" => Ok(self.find_semi(i + 1, to).map_err(|_| Unfollowed)? + 1),
            "extern" if self.is_ident(i + 1, "crate") => {
                Ok(self.find_semi(i + 1, to).map_err(|_| Unfollowed)? + 1)
            }
            "struct" | "enum" | "union" | "extern" => {
                self.type_end(i + 1, to).map_err(|_| Unfollowed)
            }
            _ => Err(Unfollowed),
        }
    }
}

/// Where items sit.
enum Owner {
    Module,
    Trait(String),
    Impl {
        self_ty: String,
        trait_name: Option<String>,
    },
}

fn function(
    name: &str,
    owner: Option<String>,
    trait_impl: Option<String>,
    span: LineSpan,
    events: Vec<Event>,
) -> Function {
    Function {
        name: name.to_owned(),
        owner,
        trait_impl,
        span,
        is_async: false,
        is_public: true,
        params: Vec::new(),
        cyclomatic: 1,
        cognitive: 0,
        loops: Vec::new(),
        events,
    }
}

fn type_def(name: &str, kind: TypeKind, line: u32, public: bool, variants: Vec<String>) -> TypeDef {
    TypeDef {
        name: name.to_owned(),
        kind,
        span: LineSpan::new(line, line),
        fields: Vec::new(),
        variants,
        is_public: public,
    }
}

/// Facts enough for the framework summary of a Rust file, or `NeedsParse`. `lines` and
/// `code_prefix` come from the line counter as for the full front-end. The functions'
/// complexity is not followed (`LightFacts::complexity` is false): the scan needs it only for
/// the few files a framework or a concern includes, and asks `extract_with_complexity` then.
pub fn extract(
    rel_path: &str,
    text: &str,
    lines: LineCounts,
    code_prefix: Vec<u32>,
) -> Result<super::LightFacts, NeedsParse> {
    extract_following(rel_path, text, lines, code_prefix, false)
}

/// `extract` with every function recorded and its complexity followed as `rust.rs` counts it
/// (`LightFacts::complexity` is false when a body holds a shape this scanner does not
/// follow: the complexity is then left to the full parse).
pub fn extract_with_complexity(
    rel_path: &str,
    text: &str,
    lines: LineCounts,
    code_prefix: Vec<u32>,
) -> Result<super::LightFacts, NeedsParse> {
    extract_following(rel_path, text, lines, code_prefix, true)
}

fn extract_following(
    rel_path: &str,
    text: &str,
    lines: LineCounts,
    code_prefix: Vec<u32>,
    follow_complexity: bool,
) -> Result<super::LightFacts, NeedsParse> {
    let toks = tokenize(text)?;
    let mut close = vec![0u32; toks.len()];
    let mut stack = Vec::new();
    // The per-identifier tests below only run when the text holds their words at all (one
    // SIMD substring search each over the file instead of string compares per identifier).
    let holds = |word: &str| memchr::memmem::find(text.as_bytes(), word.as_bytes()).is_some();
    let parse_idents_here = PARSE_IDENTS.iter().any(|w| holds(w));
    let type_id_here = holds("TypeId");
    let maps_here = ["HashMap", "BTreeMap", "IndexMap", "DashMap"]
        .iter()
        .any(|m| holds(m));
    let vec_here = holds("Vec");
    let mut map_word = false;
    let mut behaviour = false;
    let mut registration_fn = false;
    let ident = |k: usize, words: &[&str]| {
        toks.get(k).is_some_and(|t| {
            t.kind == Kind::Ident && words.contains(&&text[t.start as usize..t.end as usize])
        })
    };
    let punct = |k: usize, c: u8| toks.get(k).is_some_and(|t| t.kind == Kind::Punct(c));
    let path_sep = |k: usize| toks.get(k).is_some_and(|t| t.kind == Kind::PathSep);
    let mut type_id_words = false;
    for (k, t) in toks.iter().enumerate() {
        match t.kind {
            Kind::Open(_) => stack.push(k),
            Kind::Close(_) => {
                let open = stack.pop().ok_or(NeedsParse)?;
                close[open] = u32::try_from(k).map_err(|_| NeedsParse)?;
            }
            Kind::Ident => {
                let word = &text[t.start as usize..t.end as usize];
                // `TypeId::of` is a call the summary reads (a type-keyed store); a field typed
                // with a `TypeId` is checked where its type is read (`type_id_words`).
                // A parameter typed `Next` (`next: Next<S>`) is a middleware continuation
                // (`summary::is_next_param`); `: Next` is any such type annotation.
                let type_id_word = type_id_here && word.contains("TypeId");
                if (parse_idents_here && is_parse_ident(word))
                    || (type_id_word && path_sep(k + 1) && ident(k + 2, &["of"]))
                    || (word == "Next" && k > 0 && punct(k - 1, b':'))
                {
                    return Err(NeedsParse);
                }
                type_id_words |= type_id_word;
                // A map of behaviour (`HashMap<String, Box<dyn Plugin>>`) is a registry when
                // a function named like a registration method fills it, and a `Vec<Box<dyn H>>`
                // handler chain a pipeline when a method applies it: the summary reads how
                // function bodies do that.
                map_word |= maps_here
                    && word.contains("Map")
                    && ["HashMap", "BTreeMap", "IndexMap", "DashMap"]
                        .iter()
                        .any(|m| word.contains(m));
                if vec_here
                    && word == "Vec"
                    && punct(k + 1, b'<')
                    && ident(k + 2, &["Box", "Arc"])
                    && punct(k + 3, b'<')
                    && ident(k + 4, &["dyn"])
                {
                    return Err(NeedsParse);
                }
                behaviour |= matches!(word, "dyn" | "Fn" | "FnMut")
                    || (word == "fn"
                        && toks.get(k + 1).is_some_and(|n| n.kind == Kind::Open(b'(')));
                // Only a function named like a registration method fills a registry.
                registration_fn |= word == "fn"
                    && toks.get(k + 1).is_some_and(|n| {
                        n.kind == Kind::Ident
                            && is_registration_name(&text[n.start as usize..n.end as usize])
                    });
            }
            _ => {}
        }
    }
    if map_word && behaviour && registration_fn {
        return Err(NeedsParse);
    }
    let mut scanner = Scanner {
        text,
        toks,
        close,
        facts: FileFacts::new(rel_path, Language::Rust, lines, code_prefix),
        type_id_words,
        follow_complexity,
        complexity_known: follow_complexity,
    };
    let end = scanner.toks.len();
    scanner.items(0, end, &Owner::Module)?;
    let complexity = scanner.complexity_known;
    let mut facts = scanner.facts;
    facts.functions.sort_by_key(|f| (f.span.start, f.span.end));
    facts.types.sort_by_key(|t| (t.span.start, t.span.end));
    facts.macro_uses.retain(|m| m != "macro_rules");
    facts.macro_uses.sort();
    facts.macro_uses.dedup();
    Ok(super::LightFacts { facts, complexity })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::framework::{FileSummary, summarise};

    #[test]
    fn code_only_blanks_comments_attributes_and_optionally_literals() {
        let src =
            "#![doc = \"a { b\"]\n/// doc 1-2\n#[cfg(x)] fn f() { g(\"}\", 'x', 1.5) /* c */ }\n";
        let code = code_only(src, false).expect("tokenizes");
        assert_eq!(code.len(), src.len());
        assert_eq!(code.lines().count(), src.lines().count());
        assert_eq!(
            code.split_whitespace().collect::<Vec<_>>().join(" "),
            "fn f() { g(\"}\", 'x', 1.5) }"
        );
        let code = code_only(src, true).expect("tokenizes");
        assert_eq!(
            code.split_whitespace().collect::<Vec<_>>().join(" "),
            "fn f() { g(\" \", ' ', 1.5) }"
        );
        assert_eq!(code_only("fn f() { \"open", true), None);
    }

    #[test]
    fn doc_comments_become_bare_attributes_in_place() {
        let src = "//! Crate doc\n/// Line doc\n/** Block\n doc */\nfn a() {\n    let s = \"/// not a doc\";\n    let r = r#\"//! nor this\"#;\n    //// plain\n    /*** plain */\n}\n///\nfn b() {}\n";
        let bare = doc_comments_bare(src).expect("has doc comments");
        assert_eq!(bare.len(), src.len());
        assert_eq!(bare.lines().count(), src.lines().count());
        let lines: Vec<&str> = bare.lines().collect();
        assert_eq!(lines[0].trim_end(), "#![d]");
        assert_eq!(lines[1].trim_end(), "#[d]");
        assert_eq!(lines[2].trim_end(), "#[d]");
        assert_eq!(lines[3].trim(), "");
        // Strings, raw strings and plain comments are untouched; `///` alone is too short.
        assert_eq!(lines[4..=11], src.lines().collect::<Vec<_>>()[4..=11]);
        assert!(syn::parse_file(&bare).is_ok());
        assert_eq!(doc_comments_bare("// plain\nfn a() {}\n"), None);
        assert_eq!(doc_comments_bare("/*!\nModule doc.\n*/\nfn a() {}\n"), None);
        assert_eq!(doc_comments_bare("fn a() { \"/// in a string\"; }\n"), None);
    }

    #[test]
    fn doc_comments_with_a_bare_carriage_return_are_left_for_the_parse_to_reject() {
        let src = "/// bad\rdoc\nfn a() {}\n/// good\r\nfn b() {}\n";
        let bare = doc_comments_bare(src).expect("the good one turns");
        assert!(bare.starts_with("/// bad\rdoc\n"));
        assert!(bare.contains("#[d]    \r\nfn b"));
        assert_eq!(
            syn::parse_file(src).is_ok(),
            syn::parse_file(&bare).is_ok(),
            "the bare CR is still there for syn to judge"
        );
    }

    fn light(src: &str) -> Light<FileSummary> {
        let (counts, prefix) = crate::lines::count(src, &crate::lines::RUST);
        extract_with_complexity("core/src/a.rs", src, counts, prefix).map(|l| {
            let mut summary = summarise(&l.facts, "core");
            if !l.complexity {
                summary.complexity = None;
            }
            summary
        })
    }

    fn full(src: &str) -> FileSummary {
        let facts = crate::frontend::extract(Language::Rust, "core/src/a.rs", src)
            .unwrap_or_else(|e| panic!("parse: {e:?}"));
        summarise(&facts, "core")
    }

    /// The light summary equals the full one, complexity included when the light front-end
    /// follows it.
    fn assert_same(src: &str) {
        let a = light(src).unwrap_or_else(|_| panic!("light front-end refused:\n{src}"));
        let mut b = full(src);
        if a.complexity.is_none() {
            b.complexity = None;
        }
        assert_eq!(a, b, "{src}");
    }

    /// The light front-end follows the complexity of `src` and finds the full one's.
    fn assert_same_complexity(src: &str) {
        let a = light(src).unwrap_or_else(|_| panic!("light front-end refused:\n{src}"));
        assert!(a.complexity.is_some(), "complexity not followed:\n{src}");
        assert_eq!(a.complexity, full(src).complexity, "{src}");
    }

    #[test]
    fn parse_idents_are_sorted_for_binary_search() {
        assert!(PARSE_IDENTS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn imports_impls_traits_and_macros_match_the_full_front_end() {
        assert_same(
            "//! Crate docs.\n#![doc = include_str!(\"x.md\")]\nuse ::std::fmt;\n\
             pub use crate::a::{self, b::{C, D as E}, *};\nuse super::z;\n\
             /// A trait.\n#[allow(x)]\npub trait Hook: Send {\n    fn init(&self);\n    \
             fn run(&self) { if !self.ready() { self.init(); } log!(\"{}\", self.stop()); }\n    \
             fn ready(&self) -> bool { true }\n    fn stop(&self);\n}\n\
             impl<T: Fn(u8) -> u8> fmt::Display for Wrapper<T> where T: Clone {\n    \
             fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { write!(f, \"{}\", 'a') }\n}\n\
             impl<'a> Hook for &'a str { fn init(&self) { let c = '\\''; let s = r#\"x\"}\"#; } fn stop(&self) {} }\n\
             unsafe impl Send for Wrapper<u8> {}\nimpl Wrapper<u8> { pub fn new() -> Self { vec![1]; Self } }\n\
             macro_rules! dsl { ($x:expr) => { dsl!(@inner $x) }; (@inner $x:expr) => { $x }; }\n\
             pub struct Wrapper<T>(T);\npub(crate) enum Hidden { A }\npub enum Shown { A, B }\n\
             #[cfg(test)]\nmod tests { use super::*; pub struct Mock; fn t() { assert!(true); } }\n\
             #[test]\nfn free_test() { panic!(); }\nconst X: u8 = m!(1);\nstatic Y: &str = \"}\";\n\
             mod inner { pub struct Deep; impl Clone for Deep { fn clone(&self) -> Self { Deep } } }\n",
        );
    }

    #[test]
    fn bare_items_in_bodies_are_read_like_a_module_s() {
        assert_same(
            "pub fn f() -> u8 {\n    use std::fmt::Write as _;\n    struct Local;\n    impl Drop for Local { fn drop(&mut self) { log!(\"x\"); } }\n    fn inner() -> u8 { 1 }\n    static ONCE: Once = Once::new();\n    if true { }\n    fn after_block() {}\n    inner()\n}\nimpl S { fn m(&self) { use crate::x::{A, B}; trait Local2 { fn a(&self); } } }\n",
        );
        assert!(light("fn f() { use std::fmt; fn g() {} }\n").is_ok());
    }

    #[test]
    fn keywords_before_bang_are_not_macros() {
        assert_same("fn f(x: bool) -> bool { if !x { return !x; } while !x {} x != true }\n");
    }

    #[test]
    fn body_less_impl_functions_are_not_functions() {
        assert_same("trait T { fn f(); }\nimpl T for S { fn f(); }\n");
    }

    #[test]
    fn thread_local_globals_are_read() {
        assert_same(
            "thread_local! {\n    static COUNT: Cell<u32> = const { Cell::new(0) };\n    pub static BUF: RefCell<Vec<u8>> = RefCell::new(vec![]);\n}\nfn f() {\n    thread_local!(static X: u8 = 1);\n}\n",
        );
    }

    #[test]
    fn next_named_otherwise_than_as_a_type_is_read() {
        assert_same(
            "pub enum Step { Next, Done }\nfn f(s: Step) -> bool { matches!(s, Step::Next) }\n",
        );
        assert_same("impl Iterator for I { fn next(&mut self) -> Option<Next> { None } }\n");
    }

    #[test]
    fn items_in_bodies_with_attributes_or_qualifiers_are_read_like_a_modules() {
        assert_same("fn f() { #[derive(Clone)] struct Local; }\n");
        assert_same("fn f() { pub(crate) fn inner() { g!(); } }\n");
        assert_same("fn f() { let x = 1; unsafe fn inner() {} }\n");
        assert_same(
            "fn f() {\n    /// doc\n    #[inline]\n    pub(crate) const unsafe extern \"C\" fn g() {\n        m!();\n    }\n    #[test]\n    fn t() {\n        n!();\n    }\n    #[cfg(test)]\n    mod tests {\n        use x::Y;\n    }\n    pub trait T {}\n    impl T for u8 {}\n}\n",
        );
    }

    #[test]
    fn complexity_follows_the_full_front_end() {
        // Branch chains, nesting, guards and arms written without commas.
        assert_same_complexity(
            "fn f(a: u8, b: Option<u8>) -> u8 {\n    if a > 1 {\n        for i in 0..a {\n            if i == 2 { return i; } else if i == 3 { continue; } else { break; }\n        }\n    }\n    match b {\n        Some(x) if x > 1 && a < 2 => if x == 3 { 1 } else { 2 }\n        Some(0) | None => loop { break 4 }\n        Some(_) => { while a > 0 { return 5; } 6 }\n    }\n}\n",
        );
        // Boolean runs, let chains, closures, `?` and bounds, turbofish commas.
        assert_same_complexity(
            "fn g<T: ?Sized>(v: &[u8], t: &T) -> Result<bool, E> {\n    let ok = v.iter().any(|x| *x > 1 && *x < 5 || *x == 9);\n    if let Some(x) = v.first() && *x > 0 && (v.len() > 2 || ok) {\n        let f = move || if ok { 1 } else { 2 };\n        let _ = f;\n    }\n    let n = parse::<u8, E>(v)? + parse::<u16, E>(v)?;\n    Ok(a() || b() || c() && d() && e() || f(n))\n}\n",
        );
        // Block-like statements followed by what starts a new statement, a scrutinee holding
        // a block, let-else, items in the body (their functions counted apart).
        assert_same_complexity(
            "fn h(x: Option<u8>) -> u8 {\n    if x.is_some() {}\n    &&x;\n    match unsafe { g() } { 1 => 2, _ => 3 }\n    || x.is_none();\n    let Some(y) = x else { return 0 };\n    fn inner(a: bool) -> u8 { if a { 1 } else { 2 } }\n    impl S { const K: u8 = if true { 1 } else { 2 }; fn m(&self) -> bool { self.a && self.b } }\n    static T: u8 = 7;\n    y\n}\n",
        );
    }

    #[test]
    fn complexity_in_shapes_not_followed_is_left_to_the_parse() {
        let left = |src: &str| {
            let summary = light(src).unwrap_or_else(|_| panic!("light front-end refused:\n{src}"));
            assert_eq!(summary.complexity, None, "{src}");
        };
        left("fn f() { thread_local! { static X: u8 = if A { 1 } else { 2 }; } }\n");
        left("fn f(x: u8) -> bool { x as Vec<u8> || true }\n");
    }

    #[test]
    fn string_literal_values_resolve_escapes_and_raw_strings() {
        let src = "fn f() {\n    let a = \"SELECT \\\"x\\\"\\n\\x41\\u{42}\";\n    let b = r#\"FROM \"t\"\"#;\n    let c = b\"WHERE\";\n    let d = \"GROUP \\\n        BY\";\n    let e = 'x';\n    let n = 12;\n    m!(\"LIMIT\");\n}\n// \"not a literal\"\n";
        let values = string_literal_values(src).expect("tokenizes");
        assert_eq!(
            values,
            [
                "SELECT \"x\"\nAB",
                "FROM \"t\"",
                "WHERE",
                "GROUP BY",
                "LIMIT"
            ]
        );
        assert_eq!(string_literal_values("fn f() { \"open }"), None);
    }

    #[test]
    fn functions_named_like_di_apis_are_read() {
        let src = "pub fn resolve_service() {}\nimpl<T> S<T> { fn inject(&self) { m!(); } }\n\
                   impl P for S { fn provide(&self) {} }\ntrait U { fn component(&self) {} }\n\
                   fn f() { fn service() {} }\n#[test]\nfn inject_test() {}\n";
        assert_same(src);
        let listed = light(src).map(|s| s.di_functions);
        assert_eq!(
            listed,
            Ok(["component", "inject", "resolve_service", "service"]
                .map(String::from)
                .to_vec())
        );
    }

    #[test]
    fn trait_generics_foreign_blocks_type_ids_and_proc_macro_paths_are_read() {
        assert_same(
            "pub trait S<R = ()>: Iterator<Item = u8>\nwhere\n    R: Into<Vec<u8>>,\n{\n    fn f(&self);\n}\n",
        );
        assert_same(
            "extern \"C\" {\n    #[link_name = \"x\"]\n    fn f(a: i32) -> i32;\n    static X: u8;\n    m!();\n}\n\
             #[link(name = \"k\")]\nunsafe extern \"system\" {\n    pub fn g(p: ty!());\n}\n\
             extern {\n    fn h();\n}\nfn k() {\n    extern \"C\" {\n        fn l();\n    }\n}\n",
        );
        assert_same(
            "use std::any::TypeId;\npub struct S { n: u8 }\nfn same(a: TypeId, b: CoreTypeId) -> bool { a == b.0 }\n",
        );
        assert_same(
            "extern crate proc_macro;\nuse proc_macro::TokenStream;\nfn helper(t: TokenStream) -> TokenStream { t }\n",
        );
    }

    #[test]
    fn trait_defaults_calling_methods_on_self_in_other_shapes_need_the_parse() {
        let needs = |src: &str| assert_eq!(light(src), Err(NeedsParse), "{src}");
        needs(
            "pub trait P: Sized {\n    fn a(self) -> u32;\n    fn b(self) -> u32 { (!self).a() }\n}\n",
        );
        needs(
            "pub trait P {\n    fn a(&self) -> u32;\n    fn b(&self) -> u32 { (&*self as &Self).a() }\n}\n",
        );
        needs(
            "pub trait P {\n    fn a(&self) -> u32;\n    async fn b(&self) -> u32 { self.await.a() }\n}\n",
        );
        needs(
            "pub trait P: Sized {\n    fn a(self) -> u32;\n    fn b(self) -> u32 { return (self).a() }\n}\n",
        );
        assert_same(
            "pub trait P: Sized {\n    fn a(self) -> u32;\n    fn b(self) -> u32 { f(self).a() + g(self) + self.a() }\n}\n",
        );
    }

    #[test]
    fn maps_of_behaviour_no_registration_method_fills_are_read() {
        assert_same(
            "pub struct R { m: HashMap<String, Box<dyn Plugin>> }\n\
             impl R { pub fn get(&self, n: &str) -> Option<&dyn Plugin> { self.m.get(n).map(|p| &**p) } }\n",
        );
    }

    #[test]
    fn shapes_read_from_bodies_need_the_parse() {
        let needs = |src: &str| assert_eq!(light(src), Err(NeedsParse), "{src}");
        // An attribute the item scanner refuses, on an item in a body.
        needs("fn f() { #[proc_macro] pub fn m(i: TokenStream) -> TokenStream { i } }\n");
        needs(
            "pub struct R { m: HashMap<String, Box<dyn Plugin>> }\n\
             impl R { pub fn register(&mut self, n: String, p: Box<dyn Plugin>) { self.m.insert(n, p); } }\n",
        );
        needs("pub struct C { chain: Vec<Box<dyn Handler>> }\n");
        needs("trait M { fn call(&self, next: N); }\n");
        needs("impl M for A { fn call(&self, r: R, n: Next<S>) {} }\n");
        needs("lazy_static! { static ref X: u8 = 1; }\n");
        needs("struct S { t: CoreTypeId }\n");
        needs("enum E { K(TypeId) }\n");
        needs("fn f() -> bool { TypeId::of::<u8>() == TypeId::of::<u16>() }\n");
        needs("#[proc_macro_derive(X)]\npub fn x(i: TokenStream) -> TokenStream { i }\n");
        needs("pub trait A<T> = B<T>;\n");
        needs("fn f() { let s = \"unterminated; }\n");
        needs("fn f() { ( }\n");
        needs("impl S { fn f(ref self: Pin<&mut Self>) {} }\n");
        needs("impl S { fn f(self @ S {}: Self) {} }\n");
    }

    #[test]
    fn every_fixture_the_light_front_end_reads_gives_the_full_summary() {
        let (mut read, mut followed) = (0, 0);
        for (rel, text) in crate::test_support::fixture_files("rs") {
            let (counts, prefix) = crate::lines::count(&text, &crate::lines::RUST);
            let Ok(light) = extract_with_complexity(&rel, &text, counts, prefix) else {
                continue;
            };
            let Some((a, b)) = crate::test_support::light_and_full_summaries(
                Language::Rust,
                &rel,
                &light.facts,
                &text,
            ) else {
                continue;
            };
            read += 1;
            assert_eq!(a, b, "{rel}");
            if light.complexity {
                followed += 1;
                let package = crate::rules::package_of(&rel);
                let full = crate::frontend::extract(Language::Rust, &rel, &text)
                    .unwrap_or_else(|e| panic!("{rel}: {e:?}"));
                assert_eq!(
                    summarise(&light.facts, package).complexity,
                    summarise(&full, package).complexity,
                    "complexity of {rel}"
                );
            }
        }
        assert!(
            read > 10,
            "only {read} fixtures read by the light front-end"
        );
        assert!(
            followed * 10 >= read * 8,
            "complexity followed in only {followed} of {read} fixtures"
        );
    }
}
