//! The light Python front-end: what the framework summary needs of a Python file, from a
//! hand-written tokenizer and a statement scanner, without tree-sitter's parse and walk.
//!
//! For a Python file, `summarise` reads: the import paths (every `import` and `from`
//! statement, wherever it sits; their lines feed `link::clients_of`), the classes (name,
//! first line, public or not), the names of every `def` (for the DI words), and — through
//! fields, module-level collections, parameters and calls — type-keyed maps, registries,
//! marker decorators and introspection. This scanner reproduces the first three exactly and
//! leaves fields, statics, parameters and events empty, so it answers `Err(NeedsParse)`
//! whenever the text holds a shape that could make the latter matter:
//!
//! - the name `Reflect`, or `TypeId` anywhere (a field type, a string annotation);
//! - a `setattr(` call whose first argument may be a decorated function: one of the names
//!   `summary::is_function_param` takes (`f`, `func`, `target`, ...), or a parameter the
//!   file annotates with a `Callable`;
//! - `dir`, `vars` or `getmembers` called inside a `for`/`while` (its `else` included) in a
//!   file that holds `getattr` (introspective discovery);
//! - a registry: a public `def` named like a registration API (`register`, `add`, `use`,
//!   `bind`, ...) that stores (`m[k] = v`, `m.set(..)`, `.insert`, `.setdefault`), in its
//!   body or a function nested in it, into a name the file assigns or annotates with a map
//!   (`{..}`, `dict(..)`, `Dict[..]`) as a field (`self.m`, a class-body name) or a
//!   module-level static — local variables of functions are neither, so
//!   `kwargs = {}; kwargs[k] = v` stays light, and so do stores made elsewhere (`add_field`
//!   beside a cache filled in `get`);
//! - a field annotated or assigned with a map keyed by types (`dict[type, ..]`,
//!   `Dict[Type[X], ..]`);
//! - syntax errors the full front-end recovers from in its own way (it may then lose a
//!   class or an import): unbalanced brackets, unterminated strings, a line indented
//!   without a block's colon or dedented to no enclosing level, a block's colon with no
//!   block, two operands in a row (`The key`, `f() x`), a statement keyword inside an
//!   expression (`return` inside brackets);
//! - and anything the tokenizer or the scanner does not know exactly: string prefixes other
//!   than `r`/`u`/`b`/`f` combinations, f-string replacement fields holding backslashes,
//!   comments or the outer quote (Python 3.12 nesting), `{x:=1}`, a backslash not
//!   continuing a line, a lone carriage return, a space before a tab in indentation,
//!   characters Python does not allow outside strings (`$`, `?`, backticks), an import or
//!   class header of an unusual shape (spaces inside a dotted name, a keyword as a name).
//!
//! Blocks are followed by indentation only (loops for discovery, `def` and `class` scopes
//! for fields and statics); function spans are one line, owners and parameters are not
//! recorded, since the summary reads them only in the shapes above.
//!
//! Each function's cyclomatic and cognitive complexity is followed as `python.rs` counts it
//! (`Cx`: compound statements by indentation, conditional expressions, lambdas and runs of
//! `and`/`or` per bracket level), so the summary of a lightly read file carries its
//! complexity and the framework pass need not parse it again. Where the scanner does not
//! follow a shape exactly — `if`, `and`, `or` or `lambda` inside an f-string's replacement
//! field, a conditional expression in a `match` header, a compound statement after a colon
//! or a semicolon, a clause without its statement — `LightFacts::complexity` is false and
//! the file is parsed again if a framework needs it.
//!
//! `tests` compares both front-ends on every Python fixture; `examples/python_light_check.rs`
//! compares them on whole corpora.

use super::{LightFacts, NeedsParse};
use crate::rules::framework::summary::DYNAMIC_MAPS;
use liability_model::{
    FileFacts, Function, Import, Language, LineCounts, LineSpan, TypeDef, TypeKind,
};

type Light<T> = Result<T, NeedsParse>;

/// Deeper bracket nesting is left to the full front-end.
const MAX_LIGHT_DEPTH: usize = 200;

/// Deeper nesting of f-string replacement fields is left to the full front-end.
const MAX_FIELD_DEPTH: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Name,
    Str,
    Num,
    Op(u8),
    Open(u8),
    Close(u8),
    /// The end of a logical line (outside brackets, not continued by a backslash); blank
    /// and comment lines add none.
    Newline,
    End,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
    line: u32,
    /// Bracket depth before the token.
    depth: usize,
}

struct Lexer<'t> {
    text: &'t str,
    b: &'t [u8],
    i: usize,
    line: u32,
    stack: Vec<u8>,
    /// The last token emitted was a `Newline` (or none was emitted yet).
    at_newline: bool,
    /// An f-string replacement field holds `if`, `and`, `or` or `lambda`: complexity the
    /// full front-end counts inside the string, which this lexer does not tokenize.
    fstring_branches: bool,
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Whether `bytes` hold `if`, `and`, `or` or `lambda` as a word: a branch the full
/// front-end counts inside an f-string's replacement field.
fn has_branch_word(bytes: &[u8]) -> bool {
    bytes
        .split(|&c| !(is_ident_byte(c) || c >= 0x80))
        .any(|w| matches!(w, b"if" | b"and" | b"or" | b"lambda"))
}

/// Python's hard keywords: never a name in a dotted path or a definition.
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "False"
            | "None"
            | "True"
            | "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
    )
}

/// Keywords that only start a statement (`async def`, `async with` aside).
fn is_statement_keyword(word: &str) -> bool {
    matches!(
        word,
        "assert"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "except"
            | "finally"
            | "global"
            | "nonlocal"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
    )
}

/// Names that start a statement in some contexts (`match x:`, `type X = ..`, Python 2's
/// `print x`).
fn is_soft_keyword(word: &str) -> bool {
    matches!(word, "case" | "exec" | "match" | "print" | "type")
}

impl<'t> Lexer<'t> {
    fn new(text: &'t str) -> Lexer<'t> {
        Lexer {
            text,
            b: text.as_bytes(),
            i: if text.starts_with('\u{feff}') { 3 } else { 0 },
            line: 1,
            stack: Vec::new(),
            at_newline: true,
            fstring_branches: false,
        }
    }

    fn tok(&mut self, kind: Kind, start: usize, line: u32, depth: usize) -> Tok {
        self.at_newline = kind == Kind::Newline;
        Tok {
            kind,
            start,
            end: self.i,
            line,
            depth,
        }
    }

    fn next(&mut self) -> Light<Tok> {
        let b = self.b;
        let len = b.len();
        loop {
            let Some(&c) = b.get(self.i) else {
                if !self.stack.is_empty() {
                    return Err(NeedsParse);
                }
                let (start, line) = (self.i, self.line);
                return Ok(self.tok(Kind::End, start, line, 0));
            };
            let start = self.i;
            let line = self.line;
            let depth = self.stack.len();
            match c {
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    if depth == 0 && !self.at_newline {
                        return Ok(self.tok(Kind::Newline, start, line, depth));
                    }
                }
                b' ' | b'\t' | 0x0c => self.i += 1,
                b'\r' => {
                    if b.get(self.i + 1) != Some(&b'\n') {
                        return Err(NeedsParse);
                    }
                    self.i += 1;
                }
                b'#' => {
                    self.i = memchr::memchr(b'\n', &b[self.i..]).map_or(len, |n| self.i + n);
                }
                b'\\' => {
                    // A line continuation; anything else after a backslash is an error.
                    match (b.get(self.i + 1), b.get(self.i + 2)) {
                        (Some(b'\n'), _) => self.i += 2,
                        (Some(b'\r'), Some(b'\n')) => self.i += 3,
                        _ => return Err(NeedsParse),
                    }
                    self.line += 1;
                }
                b'"' | b'\'' => {
                    self.i = self.string(start, false, false)?;
                    return Ok(self.tok(Kind::Str, start, line, depth));
                }
                b'0'..=b'9' => {
                    self.i += 1;
                    while self.i < len && (is_ident_byte(b[self.i]) || b[self.i] == b'.') {
                        self.i += 1;
                    }
                    return Ok(self.tok(Kind::Num, start, line, depth));
                }
                b'(' | b'[' | b'{' => {
                    if depth >= MAX_LIGHT_DEPTH {
                        return Err(NeedsParse);
                    }
                    self.stack.push(c);
                    self.i += 1;
                    return Ok(self.tok(Kind::Open(c), start, line, depth));
                }
                b')' | b']' | b'}' => {
                    let open = self.stack.pop().ok_or(NeedsParse)?;
                    if !matches!((open, c), (b'(', b')') | (b'[', b']') | (b'{', b'}')) {
                        return Err(NeedsParse);
                    }
                    self.i += 1;
                    return Ok(self.tok(Kind::Close(c), start, line, depth));
                }
                _ if is_ident_byte(c) || c >= 0x80 => {
                    let mut i = self.i;
                    let mut high = 0u8;
                    while i < len && (is_ident_byte(b[i]) || b[i] >= 0x80) {
                        high |= b[i];
                        i += 1;
                    }
                    self.i = i;
                    if matches!(b.get(i), Some(b'"' | b'\'')) {
                        // A string prefix: `r`, `u`, `b`, `f` and the pairs Python allows.
                        let (raw, format) = match &*b[start..i].to_ascii_lowercase() {
                            b"u" | b"b" => (false, false),
                            b"r" | b"br" | b"rb" => (true, false),
                            b"f" => (false, true),
                            b"fr" | b"rf" => (true, true),
                            _ => return Err(NeedsParse),
                        };
                        self.i = self.string(i, raw, format)?;
                        return Ok(self.tok(Kind::Str, start, line, depth));
                    }
                    let word = self.text.get(start..i).ok_or(NeedsParse)?;
                    if high >= 0x80 && word.chars().any(|ch| !ch.is_alphanumeric() && ch != '_') {
                        return Err(NeedsParse);
                    }
                    return Ok(self.tok(Kind::Name, start, line, depth));
                }
                // Not Python outside strings (a backtick is Python 2's `repr`).
                b'$' | b'?' | b'`' => return Err(NeedsParse),
                _ if c.is_ascii_punctuation() => {
                    self.i += 1;
                    return Ok(self.tok(Kind::Op(c), start, line, depth));
                }
                _ => return Err(NeedsParse),
            }
        }
    }

    /// Past the string whose opening quote is at `q`.
    fn string(&mut self, q: usize, raw: bool, format: bool) -> Light<usize> {
        let b = self.b;
        let quote = b[q];
        let triple = b.get(q + 1) == Some(&quote) && b.get(q + 2) == Some(&quote);
        let body = if triple { q + 3 } else { q + 1 };
        if format {
            return self.fstring(body, quote, triple, raw);
        }
        let mut i = body;
        loop {
            let n = memchr::memchr3(quote, b'\\', b'\n', &b[i..]).ok_or(NeedsParse)?;
            i += n;
            match b[i] {
                b'\\' => {
                    // Escapes the next byte, raw or not (`r"\""` is one string).
                    match b.get(i + 1) {
                        Some(b'\n') => self.line += 1,
                        Some(b'\r') => return Err(NeedsParse),
                        None => return Err(NeedsParse),
                        _ => {}
                    }
                    i += 2;
                }
                b'\n' => {
                    if !triple {
                        return Err(NeedsParse);
                    }
                    self.line += 1;
                    i += 1;
                }
                _ => {
                    if !triple {
                        return Ok(i + 1);
                    }
                    if b.get(i + 1) == Some(&quote) && b.get(i + 2) == Some(&quote) {
                        return Ok(i + 3);
                    }
                    i += 1;
                }
            }
        }
    }

    /// Past an f-string whose body starts at `i`: replacement fields are followed (with
    /// their nested strings and format specs) so a quote inside one does not end the string.
    fn fstring(&mut self, mut i: usize, quote: u8, triple: bool, raw: bool) -> Light<usize> {
        let b = self.b;
        // Open replacement fields: the bracket depth inside each, `None` in its format spec.
        let mut fields = [Some(0u32); MAX_FIELD_DEPTH];
        let mut open = 0usize;
        loop {
            let &c = b.get(i).ok_or(NeedsParse)?;
            let top = if open == 0 {
                None
            } else {
                Some(fields[open - 1])
            };
            match top {
                // Literal text, or a format spec.
                None | Some(None) => match c {
                    b'\\' => {
                        match b.get(i + 1) {
                            Some(b'\n') => {
                                self.line += 1;
                                i += 2;
                            }
                            // `\{` keeps the brace: it opens a field.
                            Some(b'{' | b'}') => i += 1,
                            // `\N{EM DASH}` is a named character, no field.
                            Some(b'N') if !raw && b.get(i + 2) == Some(&b'{') => {
                                let n = memchr::memchr(b'}', &b[i..]).ok_or(NeedsParse)?;
                                if b[i..i + n].contains(&b'\n') {
                                    return Err(NeedsParse);
                                }
                                i += n + 1;
                            }
                            Some(b'\r') | None => return Err(NeedsParse),
                            Some(_) => i += 2,
                        }
                    }
                    b'\n' => {
                        if !triple {
                            return Err(NeedsParse);
                        }
                        self.line += 1;
                        i += 1;
                    }
                    b'{' => {
                        if open == 0 && b.get(i + 1) == Some(&b'{') {
                            i += 2;
                        } else {
                            if open == MAX_FIELD_DEPTH {
                                return Err(NeedsParse);
                            }
                            fields[open] = Some(0);
                            open += 1;
                            i += 1;
                        }
                    }
                    b'}' => {
                        if open == 0 {
                            i += if b.get(i + 1) == Some(&b'}') { 2 } else { 1 };
                        } else {
                            // The end of the field whose format spec this is.
                            open -= 1;
                            i += 1;
                        }
                    }
                    _ if c == quote => {
                        let closes = !triple
                            || (b.get(i + 1) == Some(&quote) && b.get(i + 2) == Some(&quote));
                        if closes {
                            if open > 0 {
                                return Err(NeedsParse);
                            }
                            return Ok(i + if triple { 3 } else { 1 });
                        }
                        i += 1;
                    }
                    _ => i += 1,
                },
                // An expression.
                Some(Some(depth)) => match c {
                    b'\\' | b'#' => return Err(NeedsParse),
                    _ if is_ident_byte(c) || c >= 0x80 => {
                        let mut j = i;
                        while b.get(j).is_some_and(|&d| is_ident_byte(d) || d >= 0x80) {
                            j += 1;
                        }
                        self.fstring_branches |= has_branch_word(&b[i..j]);
                        i = j;
                    }
                    b'\n' => {
                        if !triple {
                            return Err(NeedsParse);
                        }
                        self.line += 1;
                        i += 1;
                    }
                    b'"' | b'\'' => {
                        // The outer quote inside a field (Python 3.12's nesting, or the end
                        // of a string left open) and nested triple quotes: the full parse.
                        let tripled = b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c);
                        if (c == quote && !triple) || tripled {
                            return Err(NeedsParse);
                        }
                        let mut j = i + 1;
                        loop {
                            let &d = b.get(j).ok_or(NeedsParse)?;
                            if d == c {
                                break;
                            }
                            if d == b'\n' || d == b'\\' || (d == quote && !triple) {
                                return Err(NeedsParse);
                            }
                            j += 1;
                        }
                        // A nested f-string has fields of its own; any string here is
                        // checked as if it had.
                        self.fstring_branches |= has_branch_word(&b[i + 1..j]);
                        i = j + 1;
                    }
                    b'(' | b'[' | b'{' => {
                        fields[open - 1] = Some(depth + 1);
                        i += 1;
                    }
                    b')' | b']' => {
                        fields[open - 1] = Some(depth.checked_sub(1).ok_or(NeedsParse)?);
                        i += 1;
                    }
                    b'}' => {
                        if depth == 0 {
                            open -= 1;
                        } else {
                            fields[open - 1] = Some(depth - 1);
                        }
                        i += 1;
                    }
                    b':' if depth == 0 => {
                        // `{x:=1}` is a format spec to Python; leave it to the parser.
                        if b.get(i + 1) == Some(&b'=') {
                            return Err(NeedsParse);
                        }
                        fields[open - 1] = None;
                        i += 1;
                    }
                    _ => i += 1,
                },
            }
        }
    }
}

/// Words of function names the framework summary lists as DI APIs are read from the names
/// themselves; registration APIs (`summary::is_register_name`) only matter with a store.
fn is_register_name(name: &str) -> bool {
    let lower = name.as_bytes();
    [
        "register", "install", "plugin", "add", "use", "provide", "bind",
    ]
    .iter()
    .any(|r| lower.len() >= r.len() && lower[..r.len()].eq_ignore_ascii_case(r.as_bytes()))
}

/// Parameter names `summary::is_function_param` takes for a decorated function.
const FUNCTION_PARAMS: &[&str] = &[
    "f", "fn", "func", "function", "meth", "method", "target", "wrapped",
];

/// The blocks whose extent the scanner follows by indentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Loop,
    Def,
    Class,
}

/// A compound statement open around the current line, for complexity: what its clauses
/// count and whether it nests what it holds (as `python.rs` counts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stmt {
    /// A `def`: its index in `facts.functions`.
    Def(usize),
    /// An `if` with its `elif`/`else` clauses (nests).
    If,
    /// A `for` or `while` with its `else` (nests).
    Loop,
    /// A `try`, or its `else`/`finally` (no nesting).
    Try,
    /// An `except` clause (nests).
    Except,
    /// A `match` (nests), with the indentation of its `case` lines once the first is seen.
    Match(Option<usize>),
}

impl Stmt {
    fn nests(self) -> bool {
        matches!(self, Stmt::If | Stmt::Loop | Stmt::Except | Stmt::Match(_))
    }
}

/// A bracket level's run of `and`/`or` operators (`python.rs`: an operator continues a run
/// when its left operand is the same operator, so in `a and b or c and d` each `and` group
/// and the `or` chain count once), and whether a comprehension's `for` was seen in it.
#[derive(Debug, Clone, Copy, Default)]
struct Level {
    and: bool,
    or: bool,
    comprehension: bool,
}

/// The complexity the full front-end gives each function, followed token by token: cyclomatic
/// +1 for `if`, `elif`, `for`, `while`, `except`, a conditional expression and each `and`/`or`,
/// +1 per `case` after the first; cognitive +1 plus the nesting for `if`, loops, `except`,
/// `match` and conditional expressions, +1 for `elif`, an `if`'s `else` and each run of one
/// boolean operator. Nesting counts the `if`, loop, `except` and `match` statements and the
/// lambdas around a point inside its innermost `def`. Comprehension clauses and `case`
/// guards count nothing.
#[derive(Default)]
struct Cx {
    stmts: Vec<(usize, Stmt)>,
    /// Open lambdas: their bracket depth, and whether their `:` was seen.
    lambdas: Vec<(usize, bool)>,
    /// Per bracket depth.
    levels: Vec<Level>,
    /// The logical line started with `async` (its keyword is the next token).
    async_head: bool,
    /// The logical line started with `match`: a `match` statement if it ends with a colon.
    match_line: bool,
    /// A `case` line whose guard `if` has not been seen.
    guard_pending: bool,
    /// A shape whose complexity is not followed exactly was seen.
    inexact: bool,
}

struct Scanner<'t> {
    text: &'t str,
    lx: Lexer<'t>,
    facts: FileFacts,
    /// The two tokens before the current one.
    prev: Tok,
    prev2: Tok,
    /// The indentation of the current logical line.
    line_indent: usize,
    /// The indentation levels open around the current line.
    indents: Vec<usize>,
    /// The last logical line ended with a block's colon.
    opens_block: bool,
    /// The previous token is an operand (see `starts_operand`).
    prev_operand: bool,
    /// The `for`/`while`, `def` and `class` statements around the current line, with their
    /// indentation.
    blocks: Vec<(usize, Block)>,
    /// The attribute chain ending at the previous token (`a`, `self.a`, `x.y.z`): its
    /// length (0 when it is no plain chain) and its first and last names.
    chain: (u32, Tok, Tok),
    /// The target of the assignment or annotation whose `=` or `:` is the previous token:
    /// its name and whether the full front-end may record it as a field (`self.x`, or a
    /// name in a class body) or a module-level static.
    target: Option<(&'t str, bool, bool)>,
    /// The current statement assigns or annotates a field.
    field_statement: bool,
    /// For each open bracket, the holder a `[` subscripts (`m[`, `self.m[`).
    subscripted: Vec<Option<&'t str>>,
    /// The holder of the subscript just closed.
    closed: Option<&'t str>,
    /// Names of fields and statics assigned or annotated with a map (`x = {}`,
    /// `self.x = dict()`, `x: Dict[..]`).
    maps: Vec<&'t str>,
    /// Names stored into (`m[k] = v`, `self.m[k] = v`, `m.set(k, v)`) inside a public
    /// `def` named like a registration API (or a function nested in one): only there does
    /// the summary look for a registry's fill.
    stored: Vec<&'t str>,
    /// Where a `setattr(` call stands: 0 none, 1 after the name, 2 before its first argument.
    setattr_state: u8,
    /// The first arguments of `setattr` calls.
    tagged: Vec<&'t str>,
    /// After a `def` name (at this depth), before its parameter list.
    def_pending: Option<usize>,
    /// Inside a parameter list: the depth of its parameters, the parameter being read (if
    /// its name was seen), whether its annotation is being read, whether a name is expected.
    params: Option<(usize, Option<&'t str>, bool, bool)>,
    /// Parameters annotated with a `Callable`.
    callable_params: Vec<&'t str>,
    /// `dir`, `vars` or `getmembers` inside a loop, awaiting its call parenthesis.
    introspect_pending: bool,
    /// `dir`, `vars` or `getmembers` was called inside a loop.
    introspects: bool,
    cx: Cx,
}

impl<'t> Scanner<'t> {
    fn word(&self, t: Tok) -> &'t str {
        self.text.get(t.start..t.end).unwrap_or("")
    }

    /// The column of the line holding `start`, tabs to multiples of 8 as Python counts. A
    /// space before a tab (where tree-sitter's count differs) needs the parse.
    fn indent(&self, start: usize) -> Light<usize> {
        let b = self.lx.b;
        let mut s = start;
        while s > 0 && matches!(b[s - 1], b' ' | b'\t' | 0x0c) {
            s -= 1;
        }
        let mut col = 0;
        for &c in &b[s..start] {
            col = match c {
                b'\t' if col % 8 != 0 => return Err(NeedsParse),
                b'\t' => col + 8,
                0x0c => 0,
                _ => col + 1,
            };
        }
        Ok(col)
    }

    /// Whether `t` is an operand: a name (not a keyword) or a literal. Two in a row, or one
    /// after a closing bracket, are a syntax error.
    fn starts_operand(&self, t: Tok) -> bool {
        match t.kind {
            Kind::Str | Kind::Num => true,
            Kind::Name => !is_keyword(self.word(t)) && !is_soft_keyword(self.word(t)),
            _ => false,
        }
    }

    /// The innermost `def` or `class` around the current line.
    fn scope(&self) -> Option<Block> {
        self.blocks
            .iter()
            .rev()
            .map(|(_, b)| *b)
            .find(|b| *b != Block::Loop)
    }

    /// The holder a subscript or method call on the chain ending at the previous token
    /// names (`m` for `m` and `self.m`), and whether it is an attribute of `self`.
    fn holder(&self) -> Option<(&'t str, bool)> {
        let (len, first, last) = self.chain;
        match len {
            1 => Some((self.word(first), false)),
            2 if matches!(self.word(first), "self" | "this") => Some((self.word(last), true)),
            _ => None,
        }
    }

    /// Follows a parameter list: which parameters a `Callable` annotates.
    fn parameter(&mut self, t: Tok) {
        let Some((depth, mut name, mut annotating, mut expect)) = self.params else {
            return;
        };
        if t.kind == Kind::Close(b')') && t.depth == depth {
            self.params = None;
            return;
        }
        if t.depth == depth {
            match t.kind {
                Kind::Op(b',') => (name, annotating, expect) = (None, false, true),
                Kind::Name if expect => (name, expect) = (Some(self.word(t)), false),
                Kind::Op(b':') => annotating = true,
                Kind::Op(b'=') => annotating = false,
                _ => {}
            }
        }
        if annotating
            && matches!(t.kind, Kind::Name | Kind::Str)
            && self.word(t).contains("Callable")
            && let Some(n) = name
        {
            self.callable_params.push(n);
        }
        self.params = Some((depth, name, annotating, expect));
    }

    /// The innermost `def` around the current token (its index in `facts.functions`), and
    /// the nesting inside it.
    fn function(&self) -> Option<(usize, u32)> {
        let mut nesting = u32::try_from(self.cx.lambdas.len()).unwrap_or(u32::MAX);
        for &(_, s) in self.cx.stmts.iter().rev() {
            match s {
                Stmt::Def(i) => return Some((i, nesting)),
                s if s.nests() => nesting = nesting.saturating_add(1),
                _ => {}
            }
        }
        None
    }

    /// Adds `cyclomatic` to the current function, and when `cognitive` a cognitive
    /// increment: 1, plus the nesting when `nests`. Nothing outside functions.
    fn count(&mut self, cyclomatic: u32, cognitive: bool, nests: bool) {
        let Some((i, nesting)) = self.function() else {
            return;
        };
        if let Some(f) = self.facts.functions.get_mut(i) {
            f.cyclomatic = f.cyclomatic.saturating_add(cyclomatic);
            if cognitive {
                let n = if nests { nesting } else { 0 };
                f.cognitive = f.cognitive.saturating_add(n.saturating_add(1));
            }
        }
    }

    /// Notes a store into `holder` when it happens inside a public `def` named like a
    /// registration API, or a function nested in one (`summary::dynamic_registry` looks for
    /// the fill in the register function and the functions its span holds).
    fn store(&mut self, holder: &'t str) {
        let in_register = self.cx.stmts.iter().any(|&(_, s)| match s {
            Stmt::Def(i) => self
                .facts
                .functions
                .get(i)
                .is_some_and(|f| f.is_public && is_register_name(&f.name)),
            _ => false,
        });
        if in_register {
            self.stored.push(holder);
        }
    }

    /// The run state of bracket depth `d`.
    fn level(&mut self, d: usize) -> &mut Level {
        if self.cx.levels.len() <= d {
            self.cx.levels.resize(d + 1, Level::default());
        }
        &mut self.cx.levels[d]
    }

    /// Ends the `and`/`or` run at depth `d` (a comma, a keyword, an assignment).
    fn break_run(&mut self, d: usize) {
        let level = self.level(d);
        level.and = false;
        level.or = false;
    }

    /// Ends the lambdas at depth `d` whose body has started.
    fn end_lambdas(&mut self, d: usize) {
        while self
            .cx
            .lambdas
            .last()
            .is_some_and(|&(l, body)| l == d && body)
        {
            self.cx.lambdas.pop();
        }
    }

    /// Whether the `=` token `t` assigns (`=`, `+=`, `>>=`, `:=`) rather than being part of
    /// a comparison (`==`, `<=`, `!=`).
    fn assigns(&self, t: Tok) -> bool {
        let b = self.lx.b;
        if b.get(t.end) == Some(&b'=') {
            return false;
        }
        let before = |n: usize| t.start.checked_sub(n).and_then(|i| b.get(i)).copied();
        match before(1) {
            Some(b'=' | b'!') => false,
            Some(c @ (b'<' | b'>')) => before(2) == Some(c),
            _ => true,
        }
    }

    /// The first token of a logical line (`opening`), or the keyword after a line's first
    /// `async`: closes the statements the line is not inside, and opens or continues its own.
    fn head(&mut self, word: &str, opening: bool) {
        let indent = self.line_indent;
        if opening {
            while let Some(&(at, s)) = self.cx.stmts.last() {
                let continues = at == indent
                    && matches!(
                        (s, word),
                        (Stmt::If, "elif" | "else")
                            | (Stmt::Loop, "else")
                            | (Stmt::Try | Stmt::Except, "except" | "else" | "finally")
                    );
                if at < indent || continues {
                    break;
                }
                self.cx.stmts.pop();
            }
            // A line directly in a `match` block is a `case`; the first sets their column,
            // each after it adds a branch.
            if let Some(&(at, Stmt::Match(cases))) = self.cx.stmts.last() {
                match cases {
                    _ if word != "case" && cases.is_none_or(|c| indent <= c) => {
                        self.cx.inexact = true;
                    }
                    None => {
                        if let Some(last) = self.cx.stmts.last_mut() {
                            *last = (at, Stmt::Match(Some(indent)));
                        }
                        self.cx.guard_pending = true;
                    }
                    Some(c) if indent == c => {
                        self.count(1, false, false);
                        self.cx.guard_pending = true;
                    }
                    Some(c) if indent < c => self.cx.inexact = true,
                    Some(_) => {}
                }
            }
            self.cx.async_head = word == "async";
            self.cx.match_line = word == "match";
        }
        let top = self
            .cx
            .stmts
            .last()
            .copied()
            .filter(|&(at, _)| at == indent);
        match word {
            "if" => {
                self.count(1, true, true);
                self.cx.stmts.push((indent, Stmt::If));
            }
            "for" | "while" => {
                self.count(1, true, true);
                self.cx.stmts.push((indent, Stmt::Loop));
            }
            "try" => self.cx.stmts.push((indent, Stmt::Try)),
            "elif" => match top {
                Some((_, Stmt::If)) => self.count(1, true, false),
                _ => self.cx.inexact = true,
            },
            "else" => match top {
                Some((_, Stmt::If)) => self.count(0, true, false),
                Some((_, Stmt::Loop)) => {}
                Some((_, Stmt::Try | Stmt::Except)) => {
                    self.cx.stmts.pop();
                    self.cx.stmts.push((indent, Stmt::Try));
                }
                _ => self.cx.inexact = true,
            },
            "except" => match top {
                Some((_, Stmt::Try | Stmt::Except)) => {
                    self.cx.stmts.pop();
                    self.count(1, true, true);
                    self.cx.stmts.push((indent, Stmt::Except));
                }
                _ => self.cx.inexact = true,
            },
            "finally" => match top {
                Some((_, Stmt::Try | Stmt::Except)) => {
                    self.cx.stmts.pop();
                    self.cx.stmts.push((indent, Stmt::Try));
                }
                _ => self.cx.inexact = true,
            },
            _ => {}
        }
    }

    /// Follows complexity through token `t` (`head`: the line's first token or the keyword
    /// after its `async`).
    fn complexity(&mut self, t: Tok, prev: Tok, head: bool) {
        let d = t.depth;
        if head {
            let word = if t.kind == Kind::Name {
                self.word(t)
            } else {
                ""
            };
            self.head(word, prev.kind == Kind::Newline);
        }
        match t.kind {
            Kind::Open(_) => {
                self.cx.levels.truncate(d + 1);
                self.level(d + 1);
            }
            Kind::Close(_) => {
                self.cx.levels.truncate(d);
                self.cx.lambdas.retain(|&(l, _)| l < d);
            }
            Kind::Newline => {
                // `match x:` — a match statement: it nests its cases.
                if std::mem::take(&mut self.cx.match_line)
                    && prev.kind == Kind::Op(b':')
                    && prev.depth == 0
                {
                    self.count(0, true, true);
                    self.cx.stmts.push((self.line_indent, Stmt::Match(None)));
                }
                self.cx.levels.clear();
                self.cx.lambdas.clear();
                self.cx.guard_pending = false;
            }
            Kind::Op(b',' | b';') => {
                self.end_lambdas(d);
                self.break_run(d);
            }
            Kind::Op(b':') => {
                self.end_lambdas(d);
                self.break_run(d);
                if let Some(l) = self.cx.lambdas.last_mut()
                    && l.0 == d
                {
                    l.1 = true;
                }
            }
            Kind::Op(b'=') if self.assigns(t) => self.break_run(d),
            Kind::Name => {
                let word = self.word(t);
                // Names count nothing here (a line's first name was read by `head`).
                if !is_keyword(word) {
                    return;
                }
                // A compound statement after a block's colon or a semicolon on one line:
                // not Python, and not followed here.
                if !head
                    && matches!(word, "if" | "for" | "else")
                    && matches!(prev.kind, Kind::Op(b':' | b';'))
                    && prev.depth == 0
                {
                    self.cx.inexact = true;
                }
                // An operator with no left operand (`( and x`): a syntax error the full
                // front-end recovers from in its own way.
                if matches!(word, "and" | "or" | "else") || (word == "if" && !head) {
                    let operand = match prev.kind {
                        Kind::Str | Kind::Num | Kind::Close(_) | Kind::Op(b'.') => true,
                        Kind::Name => {
                            let w = self.word(prev);
                            !is_keyword(w) || matches!(w, "None" | "True" | "False")
                        }
                        _ => false,
                    };
                    if !(operand || (word == "else" && head)) {
                        self.cx.inexact = true;
                    }
                }
                match word {
                    "and" => {
                        let level = self.level(d);
                        let first = !level.and;
                        level.and = true;
                        self.count(1, first, false);
                    }
                    "or" => {
                        let level = self.level(d);
                        let first = !level.or;
                        level.or = true;
                        level.and = false;
                        self.count(1, first, false);
                    }
                    "if" if !head => {
                        if d == 0 && std::mem::take(&mut self.cx.guard_pending) {
                            // A `case` guard.
                        } else if self.level(d).comprehension {
                            // A comprehension's `if` clause.
                        } else {
                            // A conditional expression; on a `match` line the nesting is
                            // not known yet.
                            if self.cx.match_line {
                                self.cx.inexact = true;
                            }
                            self.count(1, true, true);
                        }
                        self.break_run(d);
                    }
                    "lambda" => {
                        self.break_run(d);
                        self.cx.lambdas.push((d, false));
                    }
                    "for" | "async" if !head => {
                        self.end_lambdas(d);
                        self.break_run(d);
                        if d == 0 {
                            self.cx.inexact |= word == "for";
                        } else {
                            self.level(d).comprehension = true;
                        }
                    }
                    "def" | "class" | "while" | "try" | "with" | "elif" | "except" | "finally"
                        if !head =>
                    {
                        self.cx.inexact = true;
                    }
                    "not" | "in" | "is" | "await" | "None" | "True" | "False" => {}
                    _ => self.break_run(d),
                }
            }
            _ => {}
        }
    }

    /// The next token, after noting the shapes that need the full parse.
    fn next(&mut self) -> Light<Tok> {
        let t = self.lx.next()?;
        let (prev, prev2) = (self.prev, self.prev2);
        let state = self.setattr_state;
        self.setattr_state = 0;
        let target = self.target.take();
        if std::mem::take(&mut self.introspect_pending)
            && matches!(t.kind, Kind::Open(b'(') | Kind::Close(b')'))
        {
            self.introspects = true;
        }
        // Two operands in a row (`The key`, `x 1`, `f() "a"`): a syntax error, which the
        // full front-end recovers from in its own way.
        let operand = self.starts_operand(t);
        if operand
            && (self.prev_operand || matches!(prev.kind, Kind::Close(_)))
            && !(prev.kind == Kind::Str && t.kind == Kind::Str)
        {
            return Err(NeedsParse);
        }
        self.prev_operand = operand;
        if t.kind == Kind::Newline {
            self.opens_block = prev.kind == Kind::Op(b':') && prev.depth == 0;
        }
        if prev.kind == Kind::Newline && t.kind != Kind::End {
            self.line_indent = self.indent(t.start)?;
            // Python's indentation: deeper only after a block's colon, back only to an
            // enclosing level.
            let top = self.indents.last().copied().unwrap_or(0);
            if std::mem::take(&mut self.opens_block) {
                if self.line_indent <= top {
                    return Err(NeedsParse);
                }
                self.indents.push(self.line_indent);
            } else {
                while self.indents.last().is_some_and(|&i| i > self.line_indent) {
                    self.indents.pop();
                }
                if self.indents.last().copied().unwrap_or(0) != self.line_indent {
                    return Err(NeedsParse);
                }
            }
            // Leaving the blocks this line is not indented under (a loop's `else` is in it).
            while let Some(&(indent, block)) = self.blocks.last() {
                if self.line_indent > indent
                    || (self.line_indent == indent
                        && block == Block::Loop
                        && t.kind == Kind::Name
                        && self.word(t) == "else")
                {
                    break;
                }
                self.blocks.pop();
            }
        }
        let opening = prev.kind == Kind::Newline && t.kind != Kind::End;
        let after_async = !opening && std::mem::take(&mut self.cx.async_head);
        self.complexity(t, prev, opening || after_async);
        if self.params.is_some() {
            self.parameter(t);
        }
        // A value or annotation that makes its target a map: `{..}`, `dict(..)`, `Dict[..]`.
        let map_start =
            |word: &str| DYNAMIC_MAPS.contains(&word) || matches!(word, "Final" | "ClassVar");
        if t.depth == 0
            && matches!(prev.kind, Kind::Op(b'=' | b':'))
            && (t.kind == Kind::Open(b'{') || (t.kind == Kind::Name && map_start(self.word(t))))
            && let Some((name, field, static_)) = target
            && (field || static_)
        {
            self.maps.push(name);
        }
        match t.kind {
            Kind::Name => {
                let word = self.word(t);
                match word {
                    "Reflect" => return Err(NeedsParse),
                    "setattr" => self.setattr_state = 1,
                    "for" | "while"
                        if t.depth == 0
                            && (matches!(prev.kind, Kind::Newline | Kind::Op(b';' | b':'))
                                || (prev.kind == Kind::Name && self.word(prev) == "async")) =>
                    {
                        self.blocks.push((self.line_indent, Block::Loop));
                    }
                    "dir" | "vars" | "getmembers"
                        if self.blocks.iter().any(|(_, b)| *b == Block::Loop) =>
                    {
                        self.introspect_pending = true;
                    }
                    "insert" | "set" | "setdefault"
                        if prev.kind == Kind::Op(b'.') && prev2.kind == Kind::Name =>
                    {
                        if let Some((holder, _)) = self.holder() {
                            self.store(holder);
                        }
                    }
                    // A map keyed by types in a field: `type_ids` in the summary.
                    "type" | "Type" | "reflect"
                        if self.field_statement
                            && matches!(prev.kind, Kind::Open(b'[') | Kind::Op(b'<'))
                            && prev2.kind == Kind::Name
                            && DYNAMIC_MAPS.contains(&self.word(prev2)) =>
                    {
                        return Err(NeedsParse);
                    }
                    "await" | "not" if state == 2 => self.setattr_state = 2,
                    _ if state == 2 => {
                        if FUNCTION_PARAMS.contains(&word) {
                            return Err(NeedsParse);
                        }
                        self.tagged.push(word);
                    }
                    _ => {}
                }
            }
            Kind::Open(c) => {
                if c == b'(' && (state == 1 || state == 2) {
                    self.setattr_state = 2;
                }
                if c == b'(' && self.def_pending == Some(t.depth) {
                    self.def_pending = None;
                    self.params = Some((t.depth + 1, None, false, true));
                }
                let holder = if c == b'[' && prev.kind == Kind::Name {
                    self.holder().map(|(h, _)| h)
                } else {
                    None
                };
                self.subscripted.push(holder);
            }
            Kind::Close(c) => {
                // `(setattr)(..)`: the callee renders as `setattr` too.
                if c == b')' && state == 1 {
                    return Err(NeedsParse);
                }
                let holder = self.subscripted.pop().flatten();
                self.closed = if c == b']' { holder } else { None };
            }
            Kind::Op(b'-' | b'+' | b'~') if state == 2 => self.setattr_state = 2,
            Kind::Op(b'=' | b':') if t.depth == 0 => {
                let plain = self.lx.b.get(t.end) != Some(&b'=');
                if prev.kind == Kind::Close(b']') && plain {
                    // `m[k] = v` (an annotated `m[k]: T = v` too).
                    if let Some(holder) = self.closed {
                        self.store(holder);
                    }
                } else if prev.kind == Kind::Name
                    && plain
                    && let Some((name, attribute)) = self.holder()
                {
                    let scope = self.scope();
                    let field = attribute || scope == Some(Block::Class);
                    let static_ = !attribute && scope.is_none();
                    self.field_statement |= field;
                    self.target = Some((name, field, static_));
                }
            }
            Kind::Newline | Kind::Op(b';') => {
                self.field_statement = false;
                self.def_pending = None;
            }
            _ => {}
        }
        // The attribute chain through `t`.
        match t.kind {
            Kind::Name if prev.kind == Kind::Op(b'.') => {
                if self.chain.0 > 0 {
                    self.chain.0 += 1;
                    self.chain.2 = t;
                }
            }
            Kind::Name => self.chain = (1, t, t),
            Kind::Op(b'.') if prev.kind == Kind::Name => {}
            _ => self.chain.0 = 0,
        }
        self.prev2 = prev;
        self.prev = t;
        Ok(t)
    }

    fn is_stmt_end(t: Tok) -> bool {
        matches!(t.kind, Kind::Newline | Kind::End | Kind::Op(b';'))
    }

    /// A dotted name starting at `first` (no space inside), as `a::b::c`, and the token after.
    fn dotted(&mut self, first: Tok) -> Light<(String, Tok)> {
        let word = self.word(first);
        if first.kind != Kind::Name || is_keyword(word) {
            return Err(NeedsParse);
        }
        let mut path = word.to_owned();
        let mut end = first.end;
        loop {
            let t = self.next()?;
            if t.kind != Kind::Op(b'.') {
                return Ok((path, t));
            }
            let n = self.next()?;
            let word = self.word(n);
            if t.start != end || n.kind != Kind::Name || n.start != t.end || is_keyword(word) {
                return Err(NeedsParse);
            }
            path.push_str("::");
            path.push_str(word);
            end = n.end;
        }
    }

    /// After `as`: the alias, and the token after it.
    fn alias(&mut self, t: Tok) -> Light<Tok> {
        if t.kind == Kind::Name && self.word(t) == "as" {
            let name = self.next()?;
            if name.kind != Kind::Name || is_keyword(self.word(name)) {
                return Err(NeedsParse);
            }
            return self.next();
        }
        Ok(t)
    }

    fn import(&mut self, path: String, line: u32) {
        self.facts.imports.push(Import { path, line });
    }

    /// `import a.b as c, d`: returns the token that ends the statement.
    fn plain_import(&mut self, kw: Tok) -> Light<Tok> {
        loop {
            let first = self.next()?;
            let (path, t) = self.dotted(first)?;
            let t = self.alias(t)?;
            self.import(path, kw.line);
            if Self::is_stmt_end(t) {
                return Ok(t);
            }
            if t.kind != Kind::Op(b',') {
                return Err(NeedsParse);
            }
        }
    }

    /// `from ..a.b import (c as d, e)`, `from . import *`: returns the token that ends the
    /// statement.
    fn import_from(&mut self, kw: Tok) -> Light<Tok> {
        let mut t = self.next()?;
        let mut dots = 0usize;
        let mut end = None;
        while t.kind == Kind::Op(b'.') {
            if end.is_some_and(|e| e != t.start) {
                return Err(NeedsParse);
            }
            dots += 1;
            end = Some(t.end);
            t = self.next()?;
        }
        let segs: Vec<&str> = match dots {
            0 => Vec::new(),
            1 => vec!["."],
            n => vec![".."; n - 1],
        };
        let mut module = segs.join("::");
        let named = t.kind == Kind::Name && self.word(t) != "import";
        if named {
            if end.is_some_and(|e| e != t.start) {
                return Err(NeedsParse);
            }
            let (path, next) = self.dotted(t)?;
            if dots == 0 && path == "__future__" {
                // A future import is no import to the full front-end.
                if next.kind != Kind::Name || self.word(next) != "import" {
                    return Err(NeedsParse);
                }
                let mut t = self.next()?;
                while !(Self::is_stmt_end(t) && t.depth == 0) {
                    t = self.next()?;
                }
                return Ok(t);
            }
            if !module.is_empty() {
                module.push_str("::");
            }
            module.push_str(&path);
            t = next;
        } else if dots == 0 {
            return Err(NeedsParse);
        }
        if t.kind != Kind::Name || self.word(t) != "import" {
            return Err(NeedsParse);
        }
        let join = |name: &str| {
            if module.is_empty() {
                name.to_owned()
            } else {
                format!("{module}::{name}")
            }
        };
        let mut t = self.next()?;
        if t.kind == Kind::Op(b'*') {
            self.import(join("*"), kw.line);
            let end = self.next()?;
            return if Self::is_stmt_end(end) {
                Ok(end)
            } else {
                Err(NeedsParse)
            };
        }
        let paren = t.kind == Kind::Open(b'(');
        if paren {
            t = self.next()?;
        }
        let mut names = 0;
        loop {
            let (name, next) = self.dotted(t)?;
            let next = self.alias(next)?;
            self.import(join(&name), kw.line);
            names += 1;
            t = next;
            if t.kind == Kind::Op(b',') {
                t = self.next()?;
                if !(paren && t.kind == Kind::Close(b')')) {
                    continue;
                }
            }
            if paren {
                if t.kind != Kind::Close(b')') {
                    return Err(NeedsParse);
                }
                t = self.next()?;
            }
            return if Self::is_stmt_end(t) && names > 0 {
                Ok(t)
            } else {
                Err(NeedsParse)
            };
        }
    }

    /// Past the group opened by `open`: the closing token.
    fn skip_group(&mut self, open: Tok) -> Light<Tok> {
        loop {
            let t = self.next()?;
            if matches!(t.kind, Kind::Close(_)) && t.depth == open.depth + 1 {
                return Ok(t);
            }
            if t.kind == Kind::End {
                return Err(NeedsParse);
            }
        }
    }

    /// `class Name[T](Base, metaclass=M):` up to its colon.
    fn class(&mut self, kw: Tok) -> Light<()> {
        let name_tok = self.next()?;
        let name = self.word(name_tok);
        if name_tok.kind != Kind::Name || is_keyword(name) {
            return Err(NeedsParse);
        }
        let mut t = self.next()?;
        if t.kind == Kind::Open(b'[') {
            self.skip_group(t)?;
            t = self.next()?;
        }
        let mut kind = TypeKind::Struct;
        self.blocks.push((self.line_indent, Block::Class));
        if t.kind == Kind::Open(b'(') {
            let close = self.skip_group(t)?;
            let bases = &self.lx.b[t.start..close.end];
            if memchr::memmem::find(bases, b"Enum").is_some() {
                kind = TypeKind::Enum;
            }
            t = self.next()?;
        }
        if t.kind != Kind::Op(b':') {
            return Err(NeedsParse);
        }
        self.facts.types.push(TypeDef {
            name: name.to_owned(),
            kind,
            span: LineSpan::new(kw.line, kw.line),
            fields: Vec::new(),
            variants: Vec::new(),
            is_public: !name.starts_with('_'),
        });
        Ok(())
    }

    /// `def name`: the function, without parameters or body.
    fn def(&mut self, kw: Tok) -> Light<()> {
        // `async def` starts at `async`.
        let start = if self.prev2.kind == Kind::Name && self.word(self.prev2) == "async" {
            self.prev2.line
        } else {
            kw.line
        };
        self.blocks.push((self.line_indent, Block::Def));
        let index = self.facts.functions.len();
        self.cx.stmts.push((self.line_indent, Stmt::Def(index)));
        let name_tok = self.next()?;
        let name = self.word(name_tok);
        if name_tok.kind != Kind::Name || is_keyword(name) {
            return Err(NeedsParse);
        }
        self.def_pending = Some(kw.depth);
        self.facts.functions.push(Function {
            name: name.to_owned(),
            owner: None,
            trait_impl: None,
            span: LineSpan::new(start, start),
            is_async: false,
            is_public: !name.starts_with('_') || name.starts_with("__"),
            params: Vec::new(),
            cyclomatic: 1,
            cognitive: 0,
            loops: Vec::new(),
            events: Vec::new(),
        });
        Ok(())
    }

    fn scan(&mut self) -> Light<()> {
        let mut stmt_start = true;
        loop {
            let t = self.next()?;
            match t.kind {
                // A block's colon with no block after it.
                Kind::End if self.opens_block || self.prev2.kind == Kind::Op(b':') => {
                    return Err(NeedsParse);
                }
                Kind::End => return Ok(()),
                Kind::Newline | Kind::Op(b';') => {
                    stmt_start = true;
                    continue;
                }
                Kind::Op(b':') if t.depth == 0 => {
                    stmt_start = true;
                    continue;
                }
                Kind::Name => match self.word(t) {
                    // A statement keyword inside an expression: a syntax error.
                    w if !stmt_start
                        && is_statement_keyword(w)
                        && !(matches!(w, "def" | "with")
                            && self.prev2.kind == Kind::Name
                            && self.word(self.prev2) == "async") =>
                    {
                        return Err(NeedsParse);
                    }
                    "import" | "from" => {
                        let end = if self.word(t) == "import" {
                            if !stmt_start {
                                return Err(NeedsParse);
                            }
                            self.plain_import(t)?
                        } else if stmt_start {
                            self.import_from(t)?
                        } else {
                            // `yield from`, `raise .. from ..`.
                            stmt_start = false;
                            continue;
                        };
                        if end.kind == Kind::End {
                            return Ok(());
                        }
                        stmt_start = true;
                        continue;
                    }
                    "class" => {
                        self.class(t)?;
                        stmt_start = true;
                        continue;
                    }
                    "def" => self.def(t)?,
                    _ => {}
                },
                _ => {}
            }
            stmt_start = false;
        }
    }
}

/// Facts enough for the framework summary of a Python file, or `NeedsParse`. `lines` and
/// `code_prefix` come from the line counter as for the full front-end. The functions carry
/// the full front-end's complexity unless `complexity` is false (a shape `Cx` does not
/// follow, or branches inside an f-string).
pub fn extract(
    rel_path: &str,
    text: &str,
    lines: LineCounts,
    code_prefix: Vec<u32>,
) -> Result<LightFacts, NeedsParse> {
    read(rel_path, text, lines, code_prefix).map_err(|_| NeedsParse)
}

/// Why `extract` leaves a file to the full parse (for `examples/python_light_check.rs`):
/// `TypeId`, `scan` (a shape the scanner refuses as it reads, at the line given),
/// `introspection`, `registry` or `marker`; `None` when it reads the file.
pub fn refusal(text: &str) -> Option<(&'static str, u32)> {
    let (counts, prefix) = crate::lines::count(text, &crate::lines::PYTHON);
    read("", text, counts, prefix).err()
}

fn read(
    rel_path: &str,
    text: &str,
    lines: LineCounts,
    code_prefix: Vec<u32>,
) -> Result<LightFacts, (&'static str, u32)> {
    let holds = |word: &str| memchr::memmem::find(text.as_bytes(), word.as_bytes()).is_some();
    // A type id stored or computed (a field type or a string annotation naming one).
    if holds("TypeId") {
        return Err(("TypeId", 1));
    }
    let start = Tok {
        kind: Kind::Newline,
        start: 0,
        end: 0,
        line: 1,
        depth: 0,
    };
    let mut scanner = Scanner {
        text,
        lx: Lexer::new(text),
        facts: FileFacts::new(rel_path, Language::Python, lines, code_prefix),
        prev: start,
        prev2: start,
        line_indent: 0,
        indents: vec![0],
        opens_block: false,
        prev_operand: false,
        blocks: Vec::new(),
        chain: (0, start, start),
        target: None,
        field_statement: false,
        subscripted: Vec::new(),
        closed: None,
        maps: Vec::new(),
        stored: Vec::new(),
        setattr_state: 0,
        tagged: Vec::new(),
        def_pending: None,
        params: None,
        callable_params: Vec::new(),
        introspect_pending: false,
        introspects: false,
        cx: Cx::default(),
    };
    scanner.scan().map_err(|_| ("scan", scanner.lx.line))?;
    // Discovery: attributes listed in a loop in a file that reads attributes back.
    // A registry: a map filled by a public registration API.
    // A marker: `setattr` on a parameter annotated as a `Callable`.
    let registry = scanner.stored.iter().any(|s| scanner.maps.contains(s));
    let marker = scanner
        .tagged
        .iter()
        .any(|t| scanner.callable_params.contains(t));
    if scanner.introspects && holds("getattr") {
        return Err(("introspection", 1));
    }
    if registry {
        return Err(("registry", 1));
    }
    if marker {
        return Err(("marker", 1));
    }
    let complexity = !scanner.cx.inexact && !scanner.lx.fstring_branches;
    let mut facts = scanner.facts;
    facts.functions.sort_by_key(|f| (f.span.start, f.span.end));
    Ok(LightFacts { facts, complexity })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::framework::{FileSummary, summarise};

    const PATH: &str = "pkg/core/a.py";

    fn light_facts(src: &str) -> Light<FileFacts> {
        let (counts, prefix) = crate::lines::count(src, &crate::lines::PYTHON);
        extract(PATH, src, counts, prefix).map(|l| l.facts)
    }

    fn light(src: &str) -> Light<FileSummary> {
        light_facts(src).map(|f| summarise(&f, "pkg"))
    }

    fn full_facts(src: &str) -> FileFacts {
        crate::frontend::extract(Language::Python, PATH, src)
            .unwrap_or_else(|e| panic!("parse: {e:?}"))
    }

    /// The light summary equals the full one, complexity aside, and so do the imports with
    /// their lines and the classes.
    fn assert_same(src: &str) {
        let facts = light_facts(src).unwrap_or_else(|_| panic!("light front-end refused:\n{src}"));
        let full = full_facts(src);
        assert_eq!(facts.imports, full.imports, "{src}");
        let classes = |f: &FileFacts| {
            f.types
                .iter()
                .map(|t| (t.name.clone(), t.kind, t.span.start, t.is_public))
                .collect::<Vec<_>>()
        };
        assert_eq!(classes(&facts), classes(&full), "{src}");
        let mut a = summarise(&facts, "pkg");
        let mut b = summarise(&full, "pkg");
        a.complexity = None;
        b.complexity = None;
        assert_eq!(a, b, "{src}");
    }

    #[test]
    fn imports_match_the_full_front_end() {
        assert_same(
            "#!/usr/bin/env python\n\"\"\"Docs with import x and class Y:\"\"\"\n\
             from __future__ import annotations, division\nimport os, sys as system\n\
             import a.b.c.d as e\nfrom . import sibling\nfrom .. import (\n    up,  # why\n    \
             other as o,\n)\nfrom ...deep.mod import *\nfrom .x.y import z; import w\n\
             from re import match, print, exec, type\n\
             try:\n    import json\nexcept ImportError:  # no json\n    json = None\n\
             if TYPE_CHECKING: from typing import Any\n\
             def f():\n    import inner.mod\n    yield from g()\n    raise E from None\n\
             x = \\\n    1\n",
        );
    }

    #[test]
    fn classes_and_functions_match_the_full_front_end() {
        assert_same(
            "import enum\n\n@decorator(\n    x=1,\n)\nclass Color(enum.Enum):\n    RED = 1\n\n\
             class _Hidden:\n    pass\n\nclass Meta(Base, metaclass=EnumMeta): ...\n\
             class Box[T](Generic): pass\n\
             class Service:\n    def provide_db(self):\n        class Local: pass\n        \
             return {'a': f'{x!r:>10} {y[\"k\"]} {{lit}} {z:{w}}'}\n    \
             async def resolve(self, key):\n        return rb'\\'' + b\"\\\"\" + '''a'' \"\"\" b'''\n\n\
             def inject_all(): pass\nlambda_ = lambda: None\n",
        );
    }

    #[test]
    fn strings_and_comments_hide_keywords() {
        assert_same(
            "s = 'import x'  # import y\nt = \"\"\"\nclass Fake:\n    def resolve(): pass\n\"\"\"\n\
             u = f\"\"\"{a\n + b} import z {'c'}\"\"\"\nv = r'\\' # class No:'\nw = F'{d}' U'x' Rb\"y\"\n\
             z = f\"\\N{EM DASH} {q}\"\n",
        );
    }

    #[test]
    fn python_2_and_soft_keywords_match_the_full_front_end() {
        assert_same(
            "import sys\nprint \"x\"\nprint >>sys.stderr, 'y'\nexec code in ns\n\
             try:\n    import a\nexcept ImportError, e:\n    pass\nclass Old(object): pass\n",
        );
        assert_same(
            "match command:\n    case Point(x=0):\n        import a\n    case _:\n        pass\n\
             type Alias = list[int]\nclass After: pass\n",
        );
        assert_same("if x:\n\tclass A:\n\t\tpass\n\t        \nclass B: pass\n");
    }

    #[test]
    fn edge_cases_match_the_full_front_end() {
        // Bare `\r\n` line ends, a BOM, non-ASCII names, numbers with dots and exponents.
        assert_same("import a\r\nclass B:\r\n    x = 1.5e-3\r\n");
        assert_same("\u{feff}import a\nclass Ünïcode: pass\n");
        assert_same("x = 0x1F + 1_000 + .5 + 1j\nclass A: pass\n");
        assert_same("");
        assert_same("# only a comment");
    }

    #[test]
    fn shapes_read_from_bodies_need_the_parse() {
        let needs = |src: &str| assert_eq!(light(src).map(|_| ()), Err(NeedsParse), "{src}");
        needs("def tag(func):\n    setattr(func, 'x', 1)\n    return func\n");
        needs("def tag(cb: Callable):\n    setattr(cb, 'x', 1)\n");
        needs("def find(obj):\n    for n in dir(obj):\n        getattr(obj, n)\n");
        needs("REG = {}\ndef register(name, plugin):\n    REG[name] = plugin\n");
        needs(
            "class R:\n    def __init__(self):\n        self.m = dict()\n    \
             def add_handler(self, n, h):\n        self.m.setdefault(n, h)\n",
        );
        needs("class R:\n    m: Dict[str, H]\n    def use(self, n, h):\n        self.m[n] = h\n");
        needs(
            "def find(obj):\n    while x:\n        y = 1\n    else:\n        vars(obj)\n    getattr(obj, 'a')\n",
        );
        needs("class C:\n    m: dict[type, object] = {}\n");
        needs(
            "REG = {}\ndef register(name):\n    def deco(plugin):\n        \
             REG[name] = plugin\n        return plugin\n    return deco\n",
        );
        needs(
            "class R:\n    def __init__(self):\n        self._m = {}\n    \
             def __init_subclass__(cls):\n        pass\n    \
             def bind(self, k, handler): self._m[k] = handler\n",
        );
        needs("class C:\n    def __init__(self):\n        self.m = defaultdict[type, list]()\n");
        needs("def tag(x, *, hook: 'Callable' = None):\n    setattr(hook, 'x', 1)\n");
        needs("class C:\n    m: Dict[Type[X], Y] = {}\n");
        needs("x = 'unterminated\n");
        needs("x = (1, 2\n");
        needs("x = f'{a['b']}'\n");
        needs("x = f'{a # c}'\n");
        needs("x = t'template'\n");
        needs("x = `repr`\n");
        needs("import a . b\n");
        needs("from . a import b\n");
        needs("x = 1 \\ 2\n");
        // Syntax errors the full front-end recovers from in its own way.
        needs("import a\ndescription: The key(s) to look up.\nclass A: pass\n");
        needs("class A:\n    x = 1\n      y = 2\nclass B: pass\n");
        needs("class A:\n    x = 1\n  y = 2\n");
        needs("class A:\nclass B: pass\n");
        needs("def f():\n    pass\nclass A:\n");
        needs("if x:\n \tclass A: pass\n");
        needs("def f(\n    a,\n    \"\"\"Doc.\"\"\"\n    return g(a)\n)\ndef h(): pass\n");
        // Harmless neighbours of those shapes stay light.
        assert_same("def tag(obj):\n    setattr(obj, 'x', 1)\n");
        assert_same("d = {}\nd[k] = v\ndef helper(): pass\n");
        assert_same("def register(x): pass\nif a[0] == b: pass\n");
        assert_same("M = {}\ndef register(x):\n    other[x] = 1\n    M.get(x)\n");
        assert_same(
            "def find(obj):\n    for n in x:\n        pass\n    dir(obj)\n    getattr(obj, 'a')\n",
        );
        assert_same("def find(obj):\n    [getattr(obj, n) for n in dir(obj)]\n");
        assert_same("class ReflectedColumn: pass\n");
        assert_same("def use(x):\n    kwargs = {}\n    kwargs[x] = handler\n");
        // A map filled outside the registration API, or by a private one.
        assert_same(
            "class C:\n    def __init__(self):\n        self.m = {}\n    \
             def add_field(self, f):\n        self.fields.append(f)\n    \
             def get(self, k, factory):\n        self.m[k] = factory\n",
        );
        assert_same("REG = {}\ndef _register(n, plugin):\n    REG[n] = plugin\n");
        assert_same("REG = {}\ndef register(n):\n    pass\nREG['a'] = handler\n");
        assert_same("def f(m: Dict[type, X]) -> dict[type, Y]:\n    local: dict[type, int] = {}\n");
        assert_same(
            "def tag(obj, cb: Callable[[], None]):\n    setattr(obj, 'x', cb)\n\
             def g():\n    for n in x.vars:\n        getattr(n, 'a')\n",
        );
    }

    /// Each function's (start line, name, cyclomatic, cognitive) from the light front-end,
    /// which must claim the complexity, after checking them against the full front-end.
    fn same_complexity(src: &str) -> Vec<(u32, String, u32, u32)> {
        let (counts, prefix) = crate::lines::count(src, &crate::lines::PYTHON);
        let read = extract(PATH, src, counts, prefix)
            .unwrap_or_else(|_| panic!("light front-end refused:\n{src}"));
        assert!(read.complexity, "complexity left to the parse:\n{src}");
        let of = |f: &FileFacts| {
            let mut v: Vec<_> = f
                .functions
                .iter()
                .map(|f| (f.span.start, f.name.clone(), f.cyclomatic, f.cognitive))
                .collect();
            v.sort();
            v
        };
        let full = full_facts(src);
        assert_eq!(of(&read.facts), of(&full), "{src}");
        assert_eq!(
            summarise(&read.facts, "pkg").complexity,
            summarise(&full, "pkg").complexity,
            "{src}"
        );
        of(&read.facts)
    }

    /// Whether the light front-end reads `src` but leaves its complexity to the parse.
    fn complexity_left(src: &str) -> bool {
        let (counts, prefix) = crate::lines::count(src, &crate::lines::PYTHON);
        extract(PATH, src, counts, prefix).is_ok_and(|read| !read.complexity)
    }

    #[test]
    fn statements_count_as_in_the_full_front_end() {
        let got = same_complexity(
            "def f(x):\n    if x:\n        for i in x:\n            if i: pass\n    elif y:\n        \
             pass\n    else:\n        while z:\n            pass\n        else:\n            pass\n\
             def g():\n    try:\n        pass\n    except A:\n        if b: pass\n    \
             except (B if c else C):\n        pass\n    else:\n        pass\n    finally:\n        \
             pass\n    async for a in b:\n        pass\n",
        );
        // f: if, for, if, elif, while = 6; cognitive 1 + 2 + 3 + elif 1 + else 1 + while 2.
        assert_eq!(got[0], (1, "f".to_owned(), 6, 10));
        // g: 2 excepts, the `if` and the conditional in them, the loop; cognitive
        // 1 + (if 2) + 1 + (conditional 2) + 1.
        assert_eq!(got[1], (12, "g".to_owned(), 6, 7));
        same_complexity(
            "class A:\n    x = 1 if a else 2\n    def m(self, k=lambda v: v if v else 0) -> int:\n        \
             class B:\n            y = p if q else r\n            def n(self):\n                \
             return s if t else u\n        @dec(a if b else c)\n        def o(): return 1 if x else 2\n        \
             return [i for i in j if i if k] + [a if b else c for d in e for f in g if h]\n",
        );
        same_complexity(
            "def f(a, b, c, d):\n    x = a and b and c or d and a or b\n    y = a or b and c\n    \
             z = not a and (b or c) and (d if a or b else c and d)\n    \
             assert a == b and c != d, a or b\n    w = a <= b and c >= d or a >> b\n    \
             w >>= a and b; w = a and b\n    return lambda x=a or b, y=(c and d): x and y or x\n",
        );
        same_complexity(
            "def f(cmd):\n    match cmd:\n        case [x] if x and y:\n            if x: pass\n        \
             case {'k': v}:\n            return v if v else None\n        case _:\n            \
             pass\n    match = 1\n    match(x)\n    case = 2\n",
        );
        same_complexity(
            "def f(x):\n    g = lambda a: lambda b: b if a else x\n    \
             h = {k: lambda: 1 if k else 2 for k in x}\n    \
             return sorted(x, key=lambda v: (v if v else 0), reverse=x or True)\n\
             def outer():\n    if a:\n        def inner():\n            if b: pass\n        \
             return inner\n    print(f'{x!r}' 'y')\n",
        );
    }

    #[test]
    fn clauses_nesting_and_brackets_count_as_in_the_full_front_end() {
        same_complexity(
            "def f():\n    if a:\n        try: pass\n        except E: pass\n    else:\n        \
             for x in y:\n            while z: pass\n            else: pass\n        else:\n            \
             pass\n    x = a \\\n        if b else c\n    y = g(\n        a\n        if b else c)\n    \
             d = {'a': lambda x: x if x else 0, 'b': lambda: 1}\n    \
             e = [lambda: a if b else c for x in y]\n    \
             h = any(a if b else c for x in [y for y in z] if x and y)\n    \
             k = lambda a=lambda: 1 if p else 2: a or b\n    return a[b if c else d]\n\
             async def g():\n    async with a:\n        async for x in y:\n            \
             if x: pass\n    match p:\n        case 1:\n            match q:\n                \
             case 2 if r or s: pass\n                case _: pass\n        case _:\n            pass\n\
             def h():\n\tif a:\n\t\treturn b if c else d\n\telif e:\n\t\tpass\n",
        );
    }

    #[test]
    fn shapes_not_followed_leave_complexity_to_the_parse() {
        assert!(complexity_left(
            "def f(n):\n    return f'{n} item{\"s\" if n > 1 else \"\"}'\n"
        ));
        assert!(complexity_left("def f(a):\n    return f'{a or 0}'\n"));
        assert!(complexity_left(
            "def f(a):\n    return f\"{f'{a if b else c}'}\"\n"
        ));
        assert!(complexity_left(
            "def f(x):\n    match a if b else c:\n        case 1: pass\n"
        ));
        assert!(complexity_left(
            "def f(x):\n    if x: pass\n    x = 1; if y: pass\n"
        ));
        assert!(complexity_left("def f(x):\n    else:\n        pass\n"));
        assert!(complexity_left(
            "def f(x):\n    if x is not None and (\n        and y\n    ): pass\n"
        ));
        assert!(complexity_left("def f(x):\n    return [ if x else y]\n"));
        assert!(complexity_left(
            "def f(x):\n    match x:\n        case 1:\n            pass\n        y = 2\n"
        ));
        // Their neighbours are followed.
        assert!(!complexity_left(
            "def f(n):\n    return f'{n!r:>{w}} {d[\"k\"]}'\n"
        ));
        assert!(!complexity_left(
            "def f(x):\n    match (a, b):\n        case 1: pass\n"
        ));
    }

    #[test]
    fn register_names_match_the_summary() {
        assert!(is_register_name("RegisterPlugin"));
        assert!(is_register_name("add"));
        assert!(is_register_name("user_name"));
        assert!(!is_register_name("_register"));
        assert!(!is_register_name("ad"));
    }

    #[test]
    fn every_python_fixture_the_light_front_end_reads_gives_the_full_summary() {
        let (mut read, mut refused, mut with_complexity) = (0, 0, 0);
        for (rel, text) in crate::test_support::fixture_files("py") {
            let (counts, prefix) = crate::lines::count(&text, &crate::lines::PYTHON);
            let Ok(LightFacts { facts, complexity }) = extract(&rel, &text, counts, prefix) else {
                refused += 1;
                continue;
            };
            let Ok(full) = crate::frontend::extract(Language::Python, &rel, &text) else {
                continue;
            };
            read += 1;
            // Imports in order and with their lines (`link::clients_of` reads them).
            assert_eq!(facts.imports, full.imports, "{rel}");
            if complexity {
                with_complexity += 1;
                assert_eq!(
                    summarise(&facts, "pkg").complexity,
                    summarise(&full, "pkg").complexity,
                    "{rel}"
                );
            }
            let Some((a, b)) = crate::test_support::light_and_full_summaries(
                Language::Python,
                &rel,
                &facts,
                &text,
            ) else {
                continue;
            };
            assert_eq!(a, b, "{rel}");
        }
        assert!(
            read > 20,
            "only {read} fixtures read by the light front-end ({refused} refused)"
        );
        assert!(
            with_complexity > 20,
            "only {with_complexity} fixtures with their complexity from the light front-end"
        );
    }
}
