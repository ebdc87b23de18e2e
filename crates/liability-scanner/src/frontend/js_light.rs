//! The light JavaScript and TypeScript front-end: what the framework summary needs of a
//! JavaScript or TypeScript file, from a hand-written tokenizer and a few passes over its
//! tokens, without tree-sitter's parse and walk.
//!
//! For these languages `summarise` reads: the imports (every `import` statement, with its
//! default, namespace and named bindings, and every `require('x')` call wherever it sits,
//! named after the declarator it initialises; their lines feed `link::clients_of`), how many
//! classes, enums and capitalised constructor functions the file defines, its interfaces
//! (name, line and the method names that make lifecycle hooks or provider traits), the names
//! of the functions holding dependency-injection words, and — through class fields,
//! module-level collections and calls — registries, type-keyed maps, `Reflect` metadata and
//! handler chains. This reader reproduces the first five exactly (`export .. from` and
//! dynamic `import()` are not imports to the full front-end either) and leaves fields,
//! statics and calls empty, so it answers `Err(NeedsParse)` whenever the text holds a shape
//! that could make the latter matter:
//!
//! - the words `Reflect` (metadata markers and discovery), `TypeId`, `setattr`, `getattr`,
//!   `Vec` before `<` (a chain of boxed handlers), or a map keyed by types (`<type`,
//!   `[type`, `Type[`, `reflect.Type`);
//! - a registry: a function named like a registration API (`register`, `add`, `use`,
//!   `bind`, ... as `summary::is_register_name` reads it) in a file that both may hold a
//!   map in a class field or a module-level collection (`this.m = {}`, `= new Map()`, a
//!   field or declarator initialised with an object, a `Map`/`Record`/.. annotation) and may
//!   fill one (`.set(..)`, `.insert(..)`, `.setdefault(..)`, `m[k] = v`);
//! - a name holding a dependency-injection word (`resolve`, `service`, ...) or, with a
//!   registry possible, a registration word, in a place whose function-ness or naming this
//!   reader cannot settle: a computed key, a destructuring pattern, a default value, a typed
//!   object member in TypeScript, a generic or optional method, a function value followed
//!   by `.bind(..)` or an operator, a named function expression passed as an argument;
//! - syntax the full front-end may only partly parse (it then yields facts from the valid
//!   parts and a problem, which this reader cannot reproduce): unbalanced brackets,
//!   unterminated strings, templates, comments or regular expressions, two operands in a
//!   row on one line (`foo bar`, `<%= x %>` residue, TypeScript words in a JavaScript file),
//!   token pairs no program holds (an operator before a closing bracket or after another
//!   operator, a statement keyword inside an expression or a class body, a declaration
//!   continued by no binding, `else`/`catch`/`finally` after no block, a call followed by a
//!   block, a reserved word as an exported name), in JavaScript a `:` that is no
//!   conditional's, key's, case's or label's (Flow or TypeScript annotations), a `?` without
//!   its `:`, parameters that are not names or patterns, `@flow`, `import type` or `enum`,
//!   and a malformed number, a backslash, a lone carriage return or a non-ASCII character
//!   outside strings, templates and comments. These are a net, not a grammar: on broken
//!   variants of the js-ts corpus's files (`MUTATE=1` in the check) a few balanced but
//!   invalid texts still pass it;
//! - and anything the tokenizer does not settle exactly: JSX (a `<` where an expression
//!   starts, in a file that may hold JSX), a `/` after `}` or `++`/`--` (regular expression
//!   or division), strings with escapes where their value is read (import sources and
//!   names), `import x = require(..)`, a `require` that is not a plain call, an interface
//!   member or constructor function whose shape is unusual, bracket nesting deeper than
//!   `MAX_LIGHT_DEPTH`, files over `MAX_LIGHT_BYTES` (the full parse of those may run out of
//!   its time budget and reject the file).
//!
//! Blocks are classified by the token before their `{` (function bodies, class bodies,
//! object literals, statement blocks), enough to tell a method from a call and a
//! declaration from an expression. Function spans are one line and only the functions whose
//! names the summary reads are recorded; complexity is left to the parse
//! (`LightFacts::complexity` is false).
//!
//! `tests` compares both front-ends on every JavaScript and TypeScript fixture;
//! `examples/js_light_check.rs` compares them on whole corpora.

use super::NeedsParse;
use super::javascript::{join, module_path};
use crate::rules::framework::summary::DYNAMIC_MAPS;
use liability_model::{
    FileFacts, Function, Import, Language, LineCounts, LineSpan, TypeDef, TypeKind,
};

/// Why a file is left to the parse and the line where the reader saw it.
type Refusal = (&'static str, u32);
type Scan<T> = Result<T, Refusal>;

/// Deeper bracket nesting is left to the full front-end.
const MAX_LIGHT_DEPTH: usize = 200;

/// Larger files are left to the full front-end, whose parse of them may run out of time.
const MAX_LIGHT_BYTES: usize = 1 << 19;

/// No enclosing bracket.
const NONE: u32 = u32::MAX;

/// Words of dependency-injection APIs (`summary::DI_WORDS`).
const DI_WORDS: &[&str] = &["component", "inject", "provide", "resolve", "service"];

/// Prefixes of registration APIs (`summary::is_register_name`), matched lowercased.
const REGISTER_WORDS: &[&str] = &[
    "register", "install", "plugin", "add", "use", "provide", "bind",
];

/// Interface method names `summarise` counts as lifecycle hooks.
const LIFECYCLE: &[&str] = &[
    "after", "before", "init", "on_start", "on_stop", "setup", "shutdown", "start", "stop",
    "teardown",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Name,
    /// `#name`.
    Private,
    Str,
    /// A piece of a template literal: from its backtick or a substitution's `}` to the next
    /// `${` or its closing backtick.
    Template,
    Num,
    Regex,
    Punct,
    /// `(`, `[`, `{` or `$` (a template substitution's `${`).
    Open(u8),
    Close(u8),
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
    line: u32,
    /// The innermost open bracket around the token (an index in the token list), or `NONE`.
    parent: u32,
    /// For a bracket, the other one of its pair.
    pair: u32,
    /// A string or template piece holding a backslash, or a template with a substitution.
    escaped: bool,
}

/// What an opening bracket opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// A statement block (also a namespace body or a class static block).
    Block,
    FnBody,
    ClassBody,
    /// An object literal, an object pattern or (TypeScript) an object type.
    Object,
    /// An interface body.
    TypeBody,
    EnumBody,
    /// The parameters of a function or method.
    Params,
    /// Other parentheses; `control` for the head of `if`/`for`/`while`/`with`.
    Paren {
        control: bool,
    },
    Bracket,
    Subst,
    /// A brace this reader does not classify.
    Unknown,
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$'
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

/// Punctuators, longest first.
const PUNCTUATORS: &[&str] = &[
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==", "!=",
    "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
    "<<", ">>", "**", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "!", "~", "?", ":", "=",
    ".", ";", ",", "@",
];

/// Words after which an expression starts (so `/` opens a regular expression).
fn expression_follows(word: &str) -> bool {
    matches!(
        word,
        "return"
            | "typeof"
            | "instanceof"
            | "in"
            | "of"
            | "new"
            | "delete"
            | "void"
            | "throw"
            | "case"
            | "do"
            | "else"
            | "yield"
            | "await"
            | "extends"
    )
}

/// Words that may stand next to an operand on one line (`return x`, `new X`, `get x()`,
/// `import x from 'y'`); in TypeScript also its declaration and type words.
fn is_keyword(word: &str, typescript: bool) -> bool {
    let javascript = matches!(
        word,
        "break"
            | "case"
            | "catch"
            | "class"
            | "const"
            | "continue"
            | "debugger"
            | "default"
            | "delete"
            | "do"
            | "else"
            | "export"
            | "extends"
            | "finally"
            | "for"
            | "function"
            | "if"
            | "import"
            | "in"
            | "instanceof"
            | "new"
            | "return"
            | "super"
            | "switch"
            | "this"
            | "throw"
            | "try"
            | "typeof"
            | "var"
            | "void"
            | "while"
            | "with"
            | "yield"
            | "let"
            | "static"
            | "await"
            | "async"
            | "get"
            | "set"
            | "of"
            | "from"
            | "as"
    );
    javascript
        || (typescript
            && matches!(
                word,
                "abstract"
                    | "declare"
                    | "enum"
                    | "implements"
                    | "interface"
                    | "keyof"
                    | "namespace"
                    | "module"
                    | "global"
                    | "private"
                    | "protected"
                    | "public"
                    | "readonly"
                    | "type"
                    | "infer"
                    | "is"
                    | "asserts"
                    | "satisfies"
                    | "unique"
                    | "override"
                    | "accessor"
                    | "out"
            ))
}

/// Operand words that end an expression like a name does.
fn is_value_word(word: &str) -> bool {
    matches!(word, "this" | "super" | "null" | "true" | "false")
}

struct Lexer<'t> {
    b: &'t [u8],
    i: usize,
    line: u32,
    toks: Vec<Tok>,
    stack: Vec<u32>,
    typescript: bool,
    /// JSX may appear (`.js`, `.jsx`, `.tsx`, ..., not `.ts`).
    jsx: bool,
}

impl<'t> Lexer<'t> {
    fn refuse<T>(&self, why: &'static str) -> Scan<T> {
        Err((why, self.line))
    }

    fn parent(&self) -> u32 {
        self.stack.last().copied().unwrap_or(NONE)
    }

    fn push(&mut self, kind: Kind, start: usize, line: u32, escaped: bool) -> Scan<()> {
        let parent = self.parent();
        let at = u32::try_from(self.toks.len()).map_err(|_| ("size", line))?;
        self.toks.push(Tok {
            kind,
            start,
            end: self.i,
            line,
            parent,
            pair: NONE,
            escaped,
        });
        match kind {
            Kind::Open(_) => {
                self.stack.push(at);
                if self.stack.len() > MAX_LIGHT_DEPTH {
                    return self.refuse("depth");
                }
            }
            Kind::Close(c) => {
                let Some(open) = self.stack.pop() else {
                    return self.refuse("unbalanced");
                };
                let opened = self.toks.get(open as usize).map(|t| t.kind);
                let matches = matches!(
                    (opened, c),
                    (Some(Kind::Open(b'(')), b')')
                        | (Some(Kind::Open(b'[')), b']')
                        | (Some(Kind::Open(b'{')), b'}')
                        | (Some(Kind::Open(b'$')), b'$')
                );
                if !matches {
                    return self.refuse("unbalanced");
                }
                if let Some(t) = self.toks.get_mut(open as usize) {
                    t.pair = at;
                }
                // The closing token sits inside its pair's parent.
                let outer = self.parent();
                if let Some(t) = self.toks.last_mut() {
                    t.parent = outer;
                    t.pair = open;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn text(&self, t: &Tok) -> &'t str {
        std::str::from_utf8(self.b.get(t.start..t.end).unwrap_or_default()).unwrap_or("")
    }

    /// Whether the token before the current position lets an expression start, so a `/`
    /// opens a regular expression and a `<` JSX.
    fn expression_expected(&self) -> Scan<bool> {
        let Some(prev) = self.toks.last() else {
            return Ok(true);
        };
        Ok(match prev.kind {
            Kind::Name => {
                let word = self.text(prev);
                expression_follows(word)
            }
            Kind::Private | Kind::Str | Kind::Template | Kind::Num | Kind::Regex => false,
            Kind::Punct => match self.text(prev) {
                "++" | "--" => return self.refuse("slash after ++"),
                _ => true,
            },
            Kind::Open(_) => true,
            Kind::Close(b')') => {
                // `if (x) /re/.test(y)`: the head of a control statement.
                let before = (prev.pair as usize)
                    .checked_sub(1)
                    .and_then(|o| self.toks.get(o));
                before.is_some_and(|t| {
                    t.kind == Kind::Name && matches!(self.text(t), "if" | "while" | "for" | "with")
                })
            }
            Kind::Close(b']') => false,
            Kind::Close(_) => return self.refuse("slash after brace"),
        })
    }

    fn run(&mut self) -> Scan<()> {
        if self.b.starts_with(b"\xef\xbb\xbf") {
            self.i = 3;
        }
        if self.b.get(self.i..).is_some_and(|r| r.starts_with(b"#!")) {
            while self.i < self.b.len() && self.b[self.i] != b'\n' {
                self.i += 1;
            }
        }
        while self.i < self.b.len() {
            let c = self.b[self.i];
            let start = self.i;
            let line = self.line;
            match c {
                b'\n' => {
                    self.line += 1;
                    self.i += 1;
                }
                b' ' | b'\t' | 0x0b | 0x0c => self.i += 1,
                b'\r' => {
                    if self.b.get(self.i + 1) != Some(&b'\n') {
                        return self.refuse("carriage return");
                    }
                    self.i += 1;
                }
                b'/' if self.b.get(self.i + 1) == Some(&b'/') => {
                    while self.i < self.b.len() && self.b[self.i] != b'\n' {
                        if self.b[self.i] >= 0x80 {
                            self.check_utf8_separator()?;
                        }
                        self.i += 1;
                    }
                }
                b'/' if self.b.get(self.i + 1) == Some(&b'*') => {
                    self.i += 2;
                    loop {
                        match self.b.get(self.i) {
                            None => return self.refuse("unterminated comment"),
                            Some(b'*') if self.b.get(self.i + 1) == Some(&b'/') => {
                                self.i += 2;
                                break;
                            }
                            Some(b'\n') => self.line += 1,
                            Some(b'\r') if self.b.get(self.i + 1) != Some(&b'\n') => {
                                return self.refuse("carriage return");
                            }
                            Some(&c) if c >= 0x80 => self.check_utf8_separator()?,
                            _ => {}
                        }
                        self.i += 1;
                    }
                }
                b'/' if self.expression_expected()? => {
                    self.regex()?;
                    self.push(Kind::Regex, start, line, false)?;
                }
                b'\'' | b'"' => {
                    let escaped = self.string(c)?;
                    self.push(Kind::Str, start, line, escaped)?;
                    self.operands_apart()?;
                }
                b'`' => {
                    self.i += 1;
                    self.template(start, line)?;
                }
                b'}' if self.parent() != NONE
                    && self
                        .toks
                        .get(self.parent() as usize)
                        .is_some_and(|t| t.kind == Kind::Open(b'$')) =>
                {
                    self.i += 1;
                    self.push(Kind::Close(b'$'), start, line, false)?;
                    let (start, line) = (self.i, self.line);
                    self.template(start, line)?;
                }
                b'(' | b'[' | b'{' => {
                    self.i += 1;
                    self.push(Kind::Open(c), start, line, false)?;
                }
                b')' | b']' | b'}' => {
                    self.i += 1;
                    self.push(Kind::Close(c), start, line, false)?;
                }
                b'#' => {
                    self.i += 1;
                    if !self.b.get(self.i).copied().is_some_and(is_ident_start) {
                        return self.refuse("hash");
                    }
                    while self.b.get(self.i).copied().is_some_and(is_ident_byte) {
                        self.i += 1;
                    }
                    self.push(Kind::Private, start, line, false)?;
                    self.operands_apart()?;
                }
                c if is_ident_start(c) => {
                    while self.b.get(self.i).copied().is_some_and(is_ident_byte) {
                        self.i += 1;
                    }
                    if self.b.get(self.i).is_some_and(|&c| c == b'\\' || c >= 0x80) {
                        return self.refuse("identifier escape");
                    }
                    self.push(Kind::Name, start, line, false)?;
                    self.operands_apart()?;
                }
                c if c.is_ascii_digit()
                    || (c == b'.' && self.b.get(self.i + 1).is_some_and(u8::is_ascii_digit)) =>
                {
                    self.number()?;
                    self.push(Kind::Num, start, line, false)?;
                    self.operands_apart()?;
                }
                b'<' if self.jsx && self.expression_expected().unwrap_or(false) => {
                    return self.refuse("jsx");
                }
                _ => {
                    let rest = self.b.get(self.i..).unwrap_or_default();
                    let Some(p) = PUNCTUATORS.iter().find(|p| rest.starts_with(p.as_bytes()))
                    else {
                        return self.refuse("character");
                    };
                    // `a?.5:b` is a conditional, not an optional chain.
                    if *p == "?." && rest.get(2).is_some_and(u8::is_ascii_digit) {
                        self.i += 1;
                    } else {
                        self.i += p.len();
                    }
                    self.push(Kind::Punct, start, line, false)?;
                }
            }
        }
        if !self.stack.is_empty() {
            return self.refuse("unbalanced");
        }
        Ok(())
    }

    /// Non-ASCII text in a comment: a line or paragraph separator would end a line for
    /// tree-sitter's rows differently than for the line counter.
    fn check_utf8_separator(&self) -> Scan<()> {
        let rest = self.b.get(self.i..).unwrap_or_default();
        if rest.starts_with("\u{2028}".as_bytes()) || rest.starts_with("\u{2029}".as_bytes()) {
            return self.refuse("line separator");
        }
        Ok(())
    }

    /// Two operands in a row on one line (`foo bar`): a syntax error the full front-end
    /// recovers from in its own way.
    fn operands_apart(&self) -> Scan<()> {
        let n = self.toks.len();
        let (Some(prev), Some(cur)) = (
            n.checked_sub(2).and_then(|i| self.toks.get(i)),
            self.toks.last(),
        ) else {
            return Ok(());
        };
        if prev.line != cur.line {
            return Ok(());
        }
        let operand = |t: &Tok| match t.kind {
            Kind::Name => !is_keyword(self.text(t), self.typescript),
            Kind::Num | Kind::Str | Kind::Private => true,
            _ => false,
        };
        if operand(prev) && operand(cur) {
            return self.refuse("two operands");
        }
        Ok(())
    }

    /// A quoted string; whether it holds a backslash.
    fn string(&mut self, quote: u8) -> Scan<bool> {
        self.i += 1;
        let mut escaped = false;
        loop {
            match self.b.get(self.i) {
                None | Some(b'\n') => return self.refuse("unterminated string"),
                Some(b'\r') => return self.refuse("carriage return"),
                Some(b'\\') => {
                    escaped = true;
                    match self.b.get(self.i + 1) {
                        Some(b'\n') => self.line += 1,
                        Some(b'\r') => return self.refuse("carriage return"),
                        Some(&c) if c >= 0x80 => return self.refuse("escape"),
                        None => return self.refuse("unterminated string"),
                        _ => {}
                    }
                    self.i += 2;
                }
                Some(&c) if c == quote => {
                    self.i += 1;
                    return Ok(escaped);
                }
                Some(&c) if c >= 0x80 => {
                    self.check_utf8_separator()?;
                    self.i += 1;
                }
                _ => self.i += 1,
            }
        }
    }

    /// A template piece from `start` (after its backtick or `}`) to its closing backtick or
    /// the next `${`, which opens a substitution.
    fn template(&mut self, start: usize, line: u32) -> Scan<()> {
        let mut escaped = false;
        loop {
            match self.b.get(self.i) {
                None => return self.refuse("unterminated template"),
                Some(b'`') => {
                    self.i += 1;
                    return self.push(Kind::Template, start, line, escaped);
                }
                Some(b'\\') => {
                    escaped = true;
                    match self.b.get(self.i + 1) {
                        Some(b'\n') => self.line += 1,
                        Some(b'\r') => return self.refuse("carriage return"),
                        None => return self.refuse("unterminated template"),
                        _ => {}
                    }
                    self.i += 2;
                }
                Some(b'$') if self.b.get(self.i + 1) == Some(&b'{') => {
                    self.push(Kind::Template, start, line, true)?;
                    let open = self.i;
                    self.i += 2;
                    let line = self.line;
                    return self.push(Kind::Open(b'$'), open, line, false);
                }
                Some(b'\n') => {
                    self.line += 1;
                    self.i += 1;
                }
                Some(b'\r') if self.b.get(self.i + 1) != Some(&b'\n') => {
                    return self.refuse("carriage return");
                }
                Some(&c) if c >= 0x80 => {
                    self.check_utf8_separator()?;
                    self.i += 1;
                }
                _ => self.i += 1,
            }
        }
    }

    fn regex(&mut self) -> Scan<()> {
        self.i += 1;
        let mut class = false;
        loop {
            match self.b.get(self.i) {
                None | Some(b'\n' | b'\r') => return self.refuse("unterminated regex"),
                Some(b'\\') => {
                    if matches!(self.b.get(self.i + 1), None | Some(b'\n' | b'\r')) {
                        return self.refuse("unterminated regex");
                    }
                    self.i += 2;
                    continue;
                }
                Some(b'[') => class = true,
                Some(b']') => class = false,
                Some(b'/') if !class => {
                    self.i += 1;
                    break;
                }
                Some(&c) if c >= 0x80 => self.check_utf8_separator()?,
                _ => {}
            }
            self.i += 1;
        }
        while self.b.get(self.i).copied().is_some_and(is_ident_byte) {
            self.i += 1;
        }
        Ok(())
    }

    fn number(&mut self) -> Scan<()> {
        let start = self.i;
        let radix = self
            .b
            .get(self.i..self.i + 2)
            .is_some_and(|p| matches!(p, b"0x" | b"0X" | b"0b" | b"0B" | b"0o" | b"0O"));
        loop {
            match self.b.get(self.i) {
                Some(&c) if is_ident_byte(c) || c == b'.' => self.i += 1,
                Some(b'+' | b'-')
                    if !radix && matches!(self.b.get(self.i - 1), Some(b'e' | b'E')) =>
                {
                    self.i += 1;
                }
                _ => break,
            }
        }
        let text = self.b.get(start..self.i).unwrap_or_default();
        let valid = if radix {
            text.get(2..).is_some_and(|d| {
                !d.is_empty()
                    && d.iter()
                        .all(|&c| c.is_ascii_hexdigit() || c == b'_' || c == b'n')
            })
        } else {
            let body = text.strip_suffix(b"n").unwrap_or(text);
            body.iter().filter(|&&c| c == b'.').count() <= 1
                && body.iter().enumerate().all(|(i, &c)| {
                    c.is_ascii_digit()
                        || c == b'_'
                        || c == b'.'
                        || matches!(c, b'e' | b'E')
                        || (matches!(c, b'+' | b'-')
                            && i > 0
                            && matches!(body.get(i - 1), Some(b'e' | b'E')))
                })
        };
        if !valid {
            return self.refuse("number");
        }
        Ok(())
    }
}

/// What `extract` reads of a file: the tokens and the classification of their brackets.
struct Scanner<'t> {
    text: &'t str,
    toks: Vec<Tok>,
    ctx: Vec<Ctx>,
    /// For each `(` classified `Params`, whether a body follows (not a signature).
    has_body: Vec<bool>,
    /// For each `=`, whether it initialises a declarator, and the binding it initialises
    /// (a name or a pattern's opening bracket).
    declarator: Vec<Option<u32>>,
    typescript: bool,
}

/// A function value right after `=` or `:`, as `declared_name` names it.
#[derive(Debug, PartialEq, Eq)]
enum Value {
    /// A function or arrow without a name of its own: it takes the declared name.
    Unnamed,
    /// Not a function, or a function named by its own `function name`.
    NotNamedHere,
    Unsure,
}

impl<'t> Scanner<'t> {
    fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i)
    }

    fn text_of(&self, i: usize) -> &'t str {
        self.toks
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }

    fn is(&self, i: usize, text: &str) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| matches!(t.kind, Kind::Name | Kind::Punct) && self.text_of(i) == text)
    }

    fn is_open(&self, i: usize, c: u8) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Open(c))
    }

    fn is_close(&self, i: usize, c: u8) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Close(c))
    }

    fn line(&self, i: usize) -> u32 {
        self.toks
            .get(i)
            .or_else(|| self.toks.last())
            .map_or(1, |t| t.line)
    }

    fn close_of(&self, open: usize) -> usize {
        self.toks.get(open).map_or(usize::MAX, |t| t.pair as usize)
    }

    fn parent_ctx(&self, i: usize) -> Option<Ctx> {
        let parent = self.toks.get(i)?.parent;
        if parent == NONE {
            None
        } else {
            self.ctx.get(parent as usize).copied()
        }
    }

    fn prev(&self, i: usize) -> Option<usize> {
        i.checked_sub(1)
    }

    /// A token that ends an operand (`x`, `1`, `'s'`, `)`, `]`, `}`).
    fn ends_operand(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| match t.kind {
            Kind::Name => {
                let w = self.text_of(i);
                is_value_word(w) || !is_keyword(w, self.typescript)
            }
            Kind::Private | Kind::Str | Kind::Template | Kind::Num | Kind::Regex => true,
            Kind::Close(_) => true,
            Kind::Punct => matches!(self.text_of(i), "++" | "--"),
            Kind::Open(_) => false,
        })
    }

    /// Whether token `i`, on a later line than the one before it, starts a new statement by
    /// automatic semicolon insertion.
    fn starts_statement_after_newline(&self, i: usize) -> bool {
        let Some(t) = self.tok(i) else {
            return true;
        };
        let Some(p) = self.prev(i) else {
            return true;
        };
        if self.line(p) >= t.line || !self.ends_operand(p) {
            return false;
        }
        match t.kind {
            Kind::Name => !matches!(
                self.text_of(i),
                "in" | "instanceof" | "as" | "satisfies" | "of"
            ),
            Kind::Private | Kind::Str | Kind::Num | Kind::Open(b'{') => true,
            Kind::Punct => matches!(self.text_of(i), "@" | "!" | "~" | "++" | "--"),
            _ => false,
        }
    }

    /// Classifies every bracket and marks the declarators' initialisers.
    fn classify(&mut self) -> Scan<()> {
        let n = self.toks.len();
        self.ctx = vec![Ctx::Unknown; n];
        self.has_body = vec![false; n];
        self.declarator = vec![None; n];
        // A `class`, `interface` or `enum` header waiting for its body: (parent, kind).
        let mut header: Option<(u32, Ctx)> = None;
        // Parameters whose TypeScript return type is being read: (params, parent).
        let mut return_type: Option<(usize, u32)> = None;
        for i in 0..n {
            let t = self.toks[i];
            let prev = self.prev(i);
            if let Some((params, parent)) = return_type
                && t.parent == parent
                && i > params
            {
                match t.kind {
                    Kind::Punct if matches!(self.text_of(i), ";" | "," | "=" | "=>") => {
                        return_type = None;
                    }
                    _ if self.starts_statement_after_newline(i) && t.kind != Kind::Open(b'{') => {
                        return_type = None;
                    }
                    _ => {}
                }
            }
            if let Some((parent, _)) = header
                && t.parent == parent
                && self.is(i, ";")
            {
                header = None;
            }
            match t.kind {
                Kind::Name => match self.text_of(i) {
                    "class" if self.is_class_keyword(i) => {
                        header = Some((t.parent, Ctx::ClassBody))
                    }
                    "interface" if self.typescript && self.is_declaration_word(i) => {
                        header = Some((t.parent, Ctx::TypeBody));
                    }
                    "enum" if self.typescript && self.is_declaration_word(i) => {
                        header = Some((t.parent, Ctx::EnumBody));
                    }
                    "const" | "let" | "var" => self.declaration(i)?,
                    _ => {}
                },
                Kind::Open(b'$') => self.ctx[i] = Ctx::Subst,
                Kind::Open(b'[') => self.ctx[i] = Ctx::Bracket,
                Kind::Open(b'(') => {
                    let ctx = self.paren(i);
                    if ctx == Ctx::Params {
                        return_type = None;
                    }
                    self.ctx[i] = ctx;
                }
                Kind::Open(b'{') => {
                    let pending_header = header.filter(|(parent, _)| *parent == t.parent);
                    let ctx = if let Some((_, kind)) = pending_header
                        && prev.is_some_and(|p| {
                            self.ends_operand(p) || self.is(p, "class") || self.is(p, ">")
                        })
                        && !prev.is_some_and(|p| self.is(p, "extends") || self.is(p, "implements"))
                    {
                        header = None;
                        kind
                    } else if let Some(p) = prev
                        && self.is_close(p, b')')
                        && let Some(open) = self.open_of(p)
                        && self.ctx.get(open) == Some(&Ctx::Params)
                    {
                        self.has_body[open] = true;
                        return_type = None;
                        Ctx::FnBody
                    } else if let Some((params, parent)) = return_type
                        && parent == t.parent
                        && prev.is_some_and(|p| self.ends_type(p))
                    {
                        self.has_body[params] = true;
                        return_type = None;
                        Ctx::FnBody
                    } else {
                        self.brace(i)
                    };
                    self.ctx[i] = ctx;
                }
                Kind::Punct if self.typescript && self.text_of(i) == ":" => {
                    if let Some(p) = prev
                        && self.is_close(p, b')')
                        && let Some(open) = self.open_of(p)
                        && self.ctx.get(open) == Some(&Ctx::Params)
                    {
                        return_type = Some((open, t.parent));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn open_of(&self, close: usize) -> Option<usize> {
        self.tok(close)
            .filter(|t| matches!(t.kind, Kind::Close(_)))
            .map(|t| t.pair as usize)
    }

    /// A type annotation's last token before a body's `{`.
    fn ends_type(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| match t.kind {
            Kind::Name | Kind::Str | Kind::Num | Kind::Template => true,
            Kind::Close(_) => true,
            Kind::Punct => matches!(self.text_of(i), ">" | ">>" | ">>>" | "?" | "!"),
            _ => false,
        })
    }

    /// `class` as the keyword (not `x.class`, `{ class: 1 }`, `class()`).
    fn is_class_keyword(&self, i: usize) -> bool {
        !self
            .prev(i)
            .is_some_and(|p| self.is(p, ".") || self.is(p, "?."))
            && !self.tok(i + 1).is_some_and(|t| match t.kind {
                Kind::Punct => matches!(self.text_of(i + 1), ":" | "," | "=" | "?" | ";" | "."),
                Kind::Open(b'(') | Kind::Close(_) => true,
                _ => false,
            })
    }

    /// `interface` or `enum` starting a declaration: a name follows on the same line.
    fn is_declaration_word(&self, i: usize) -> bool {
        !self
            .prev(i)
            .is_some_and(|p| self.is(p, ".") || self.is(p, "?."))
            && self
                .tok(i + 1)
                .is_some_and(|t| t.kind == Kind::Name && t.line == self.line(i))
    }

    fn paren(&self, i: usize) -> Ctx {
        let Some(p) = self.prev(i) else {
            return Ctx::Paren { control: false };
        };
        let function_named = |k: usize| {
            self.is(k, "function")
                || (self.is(k, "*") && self.prev(k).is_some_and(|f| self.is(f, "function")))
        };
        if function_named(p) {
            return Ctx::Params;
        }
        // `function name<T>(`: the type parameters end the header.
        if let Some(lt) = self.type_parameters_start(p)
            && self.prev(lt).is_some_and(|n| {
                self.tok(n).is_some_and(|t| t.kind == Kind::Name)
                    && self.prev(n).is_some_and(function_named)
            })
        {
            return Ctx::Params;
        }
        let key = self.tok(p).is_some_and(|t| {
            matches!(
                t.kind,
                Kind::Name | Kind::Str | Kind::Num | Kind::Private | Kind::Close(b']')
            ) || (t.kind == Kind::Punct && self.text_of(p) == ">")
        });
        if self.tok(p).is_some_and(|t| t.kind == Kind::Name)
            && self.prev(p).is_some_and(function_named)
        {
            return Ctx::Params;
        }
        if key {
            match self.parent_ctx(i) {
                Some(Ctx::ClassBody) if self.member_start(p) => return Ctx::Params,
                Some(Ctx::Object) => {
                    let key_start = if self.is_close(p, b']') {
                        self.open_of(p).unwrap_or(p)
                    } else {
                        p
                    };
                    let before = self.prev(key_start);
                    if before.is_none_or(|b| {
                        self.is_open(b, b'{')
                            || self.is(b, ",")
                            || self.is(b, "*")
                            || self.is(b, "get")
                            || self.is(b, "set")
                            || self.is(b, "async")
                    }) {
                        return Ctx::Params;
                    }
                }
                _ => {}
            }
        }
        let control = self.tok(p).is_some_and(|t| t.kind == Kind::Name)
            && (matches!(self.text_of(p), "if" | "while" | "for" | "with")
                || (self.is(p, "await") && self.prev(p).is_some_and(|f| self.is(f, "for"))));
        Ctx::Paren { control }
    }

    /// The `<` opening the type parameters that end at `>` token `p`, counting angle
    /// brackets at `p`'s level.
    fn type_parameters_start(&self, p: usize) -> Option<usize> {
        if !self.typescript || !(self.is(p, ">") || self.is(p, ">>")) {
            return None;
        }
        let parent = self.tok(p)?.parent;
        let mut depth: i32 = 0;
        let mut at = p;
        // Type parameters are short; a `>` with no `<` near is a comparison.
        let limit = p.saturating_sub(512);
        loop {
            let t = self.tok(at)?;
            if at < limit {
                return None;
            }
            if t.parent == parent && t.kind == Kind::Punct {
                match self.text_of(at) {
                    ">" => depth += 1,
                    ">>" => depth += 2,
                    ">>>" => depth += 3,
                    "<" => depth -= 1,
                    ";" => return None,
                    _ => {}
                }
            }
            if depth == 0 {
                return Some(at);
            }
            if depth < 0 {
                return None;
            }
            at = match t.kind {
                Kind::Close(_) => t.pair as usize,
                _ => at,
            }
            .checked_sub(1)?;
        }
    }

    /// Whether the key ending at `p` starts a class member (not a call in a field's
    /// initialiser): after `{`, `;`, `}`, a modifier, a decorator or a line break.
    fn member_start(&self, p: usize) -> bool {
        let key = if self.is_close(p, b']') || self.is(p, ">") {
            match self.open_of(p).or_else(|| self.type_parameters_start(p)) {
                Some(open) => open.checked_sub(if self.is(p, ">") { 1 } else { 0 }),
                None => return false,
            }
        } else {
            Some(p)
        };
        let Some(key) = key else {
            return false;
        };
        let Some(before) = self.prev(key) else {
            return true;
        };
        let t = self.toks[before];
        match t.kind {
            Kind::Open(b'{') | Kind::Close(b'}') => true,
            Kind::Punct => {
                matches!(self.text_of(before), ";" | "*")
                    || (t.line < self.line(key) && !awaits_operand(self, before))
            }
            Kind::Name => {
                matches!(
                    self.text_of(before),
                    "static"
                        | "async"
                        | "get"
                        | "set"
                        | "public"
                        | "private"
                        | "protected"
                        | "readonly"
                        | "override"
                        | "abstract"
                        | "declare"
                        | "accessor"
                ) || t.line < self.line(key)
            }
            Kind::Close(b')') => {
                t.line < self.line(key)
                    || self
                        .prev(t.pair as usize)
                        .and_then(|n| self.prev(n))
                        .is_some_and(|at| self.is(at, "@"))
            }
            _ => t.line < self.line(key),
        }
    }

    /// Whether the `:` at `colon` closes a conditional (`a ? b : {..}`): a `?` before it in
    /// its statement, at its level.
    fn ternary_before(&self, colon: usize) -> bool {
        let Some(parent) = self.tok(colon).map(|t| t.parent) else {
            return false;
        };
        let mut at = colon;
        while let Some(p) = self.prev(at) {
            let Some(t) = self.tok(p) else {
                return false;
            };
            if t.parent != parent && !matches!(t.kind, Kind::Close(_)) {
                return false;
            }
            match t.kind {
                Kind::Close(_) => at = t.pair as usize,
                Kind::Punct if self.text_of(p) == "?" => return true,
                Kind::Punct if matches!(self.text_of(p), ";" | ":") => return false,
                Kind::Name if matches!(self.text_of(p), "case" | "default") => return false,
                _ => at = p,
            }
        }
        false
    }

    fn brace(&self, i: usize) -> Ctx {
        let Some(p) = self.prev(i) else {
            return Ctx::Block;
        };
        let statement_level = matches!(self.parent_ctx(i), None | Some(Ctx::Block | Ctx::FnBody));
        let t = self.toks[p];
        match t.kind {
            Kind::Punct => match self.text_of(p) {
                "=>" => Ctx::FnBody,
                ">" | ">>" | ">>>" => Ctx::Unknown,
                ";" => Ctx::Block,
                ":" if statement_level => {
                    if self.ternary_before(p) {
                        Ctx::Object
                    } else {
                        Ctx::Unknown
                    }
                }
                _ => Ctx::Object,
            },
            Kind::Open(b'{') => {
                if statement_level || self.ctx.get(p) == Some(&Ctx::ClassBody) {
                    Ctx::Block
                } else {
                    Ctx::Unknown
                }
            }
            Kind::Open(_) => Ctx::Object,
            Kind::Close(b'}') if statement_level => Ctx::Block,
            Kind::Close(b')') => match self.open_of(p).and_then(|o| self.ctx.get(o)) {
                Some(Ctx::Paren { control: true }) => Ctx::Block,
                _ => {
                    let head = self
                        .open_of(p)
                        .and_then(|o| self.prev(o))
                        .is_some_and(|h| self.is(h, "switch") || self.is(h, "catch"));
                    if head { Ctx::Block } else { Ctx::Unknown }
                }
            },
            Kind::Name => match self.text_of(p) {
                "else" | "try" | "finally" | "do" | "global" => Ctx::Block,
                "static" if self.parent_ctx(i) == Some(Ctx::ClassBody) => Ctx::Block,
                "return" | "typeof" | "in" | "of" | "yield" | "await" | "default" | "case"
                | "const" | "let" | "var" | "void" | "delete" | "throw" | "instanceof"
                | "extends" | "satisfies" | "as" | "keyof" | "readonly" | "new" => Ctx::Object,
                _ if self
                    .prev(p)
                    .is_some_and(|q| self.is(q, "namespace") || self.is(q, "module")) =>
                {
                    Ctx::Block
                }
                _ if statement_level && t.line < self.line(i) => Ctx::Block,
                _ => Ctx::Unknown,
            },
            Kind::Str if self.prev(p).is_some_and(|q| self.is(q, "module")) => Ctx::Block,
            _ if statement_level && t.line < self.line(i) && self.ends_operand(p) => Ctx::Block,
            _ => Ctx::Unknown,
        }
    }

    /// A `const`/`let`/`var` declaration from its keyword: marks each declarator's `=`.
    fn declaration(&mut self, keyword: usize) -> Scan<()> {
        let parent = self.toks[keyword].parent;
        if self
            .prev(keyword)
            .is_some_and(|p| self.is(p, ".") || self.is(p, "?."))
        {
            return Ok(());
        }
        let mut at = keyword + 1;
        loop {
            // The binding.
            let Some(t) = self.tok(at).copied() else {
                return Ok(());
            };
            let after_comma = at > keyword + 1;
            let binding = match t.kind {
                Kind::Name if !self.is(at, "enum") && !is_reserved(self.text_of(at)) => at,
                Kind::Open(b'{' | b'[') => at,
                // `var a = 1,` then no binding: a dropped line the grammar parses in part.
                _ if after_comma => return Err(("declaration", t.line)),
                _ => return Ok(()),
            };
            at = match t.kind {
                Kind::Open(_) => self.close_of(at).saturating_add(1),
                _ => at + 1,
            };
            // The type annotation (whose `<..>` may hold commas), then the initialiser.
            let mut angles: i32 = 0;
            loop {
                let Some(t) = self.tok(at).copied() else {
                    return Ok(());
                };
                if t.kind == Kind::Punct && t.parent == parent {
                    angles += angle_change(self.text_of(at));
                    if angles < 0 {
                        return Err(("declaration", t.line));
                    }
                    if angles > 0 {
                        at += 1;
                        continue;
                    }
                }
                if t.parent != parent {
                    // Inside a bracket of the annotation: skip it.
                    at += 1;
                    continue;
                }
                if matches!(t.kind, Kind::Open(_)) {
                    at = self.close_of(at).saturating_add(1);
                    continue;
                }
                if matches!(t.kind, Kind::Close(_)) {
                    return Ok(());
                }
                match self.text_of(at) {
                    "=" if t.kind == Kind::Punct => {
                        if let Some(slot) = self.declarator.get_mut(at) {
                            *slot = u32::try_from(binding).ok();
                        }
                        at += 1;
                        break;
                    }
                    "," if t.kind == Kind::Punct => {
                        at += 1;
                        break;
                    }
                    ";" if t.kind == Kind::Punct => return Ok(()),
                    "in" | "of" if t.kind == Kind::Name => return Ok(()),
                    _ if self.starts_statement_after_newline(at) && at > binding + 1 => {
                        return Ok(());
                    }
                    _ => at += 1,
                }
            }
            if self.is(at.saturating_sub(1), ",") {
                continue;
            }
            // The value, to the `,` before the next declarator. In TypeScript a `<` right
            // after a name opens type arguments (`new Map<K, V>()`), whose commas are not
            // the declaration's; one never closed was a comparison after all: refused.
            let value_start = at;
            let mut angles: i32 = 0;
            loop {
                let Some(t) = self.tok(at).copied() else {
                    return if angles == 0 {
                        Ok(())
                    } else {
                        Err(("generic value", self.line(at)))
                    };
                };
                if matches!(t.kind, Kind::Close(_)) && t.parent != parent {
                    at += 1;
                    continue;
                }
                let ended = matches!(t.kind, Kind::Close(_))
                    || (at > value_start && self.starts_statement_after_newline(at))
                    || self.is(at, ";");
                if ended && angles != 0 {
                    return Err(("generic value", t.line));
                }
                if matches!(t.kind, Kind::Close(_)) {
                    return Ok(());
                }
                if matches!(t.kind, Kind::Open(_)) {
                    at = self.close_of(at).saturating_add(1);
                    continue;
                }
                if at > value_start && self.starts_statement_after_newline(at) {
                    return Ok(());
                }
                if self.typescript && t.kind == Kind::Punct {
                    // `new Map<K, V>()`, or a generic arrow `<A, B>(a: A) => ..`.
                    let adjacent = at == value_start
                        || self
                            .tok(at - 1)
                            .is_some_and(|n| n.kind == Kind::Name && n.end == t.start);
                    let change = angle_change(self.text_of(at));
                    if change > 0 && adjacent || change < 0 && angles > 0 {
                        angles += change;
                        if angles < 0 {
                            return Err(("generic value", t.line));
                        }
                        at += 1;
                        continue;
                    }
                }
                if t.kind == Kind::Punct && angles == 0 {
                    match self.text_of(at) {
                        "," => {
                            at += 1;
                            break;
                        }
                        ";" => return Ok(()),
                        _ => {}
                    }
                }
                at += 1;
            }
        }
    }

    /// Whether any bracket around `i` is a function's body or parameters; `None` when a
    /// brace around it is not classified.
    fn in_function(&self, i: usize) -> Option<bool> {
        let mut at = self.tok(i)?.parent;
        while at != NONE {
            match self.ctx.get(at as usize)? {
                Ctx::FnBody | Ctx::Params => return Some(true),
                Ctx::Unknown => return None,
                _ => {}
            }
            at = self.tok(at as usize)?.parent;
        }
        Some(false)
    }

    /// The function value starting at `v` (after `=` or a key's `:`), as `declared_name`
    /// sees it.
    fn value_at(&self, v: usize) -> Value {
        let Some(t) = self.tok(v) else {
            return Value::NotNamedHere;
        };
        match t.kind {
            Kind::Name => match self.text_of(v) {
                "function" => self.function_value(v),
                "async" => {
                    if self.is(v + 1, "function") {
                        self.function_value(v + 1)
                    } else if self.tok(v + 1).is_some_and(|t| t.kind == Kind::Name)
                        && self.is(v + 2, "=>")
                    {
                        Value::Unnamed
                    } else if self.is_open(v + 1, b'(') {
                        self.arrow_after_params(v + 1)
                    } else if self.is(v + 1, "<") {
                        Value::Unsure
                    } else {
                        Value::NotNamedHere
                    }
                }
                _ if self.is(v + 1, "=>") => Value::Unnamed,
                _ => Value::NotNamedHere,
            },
            Kind::Open(b'(') => self.arrow_after_params(v),
            Kind::Punct if self.text_of(v) == "<" => Value::Unsure,
            _ => Value::NotNamedHere,
        }
    }

    fn arrow_after_params(&self, open: usize) -> Value {
        let close = self.close_of(open);
        if self.is(close + 1, "=>") {
            Value::Unnamed
        } else if self.is(close + 1, ":") {
            Value::Unsure
        } else {
            Value::NotNamedHere
        }
    }

    /// `function [*] [name] (..) {..}` as a value: its own name, or none (then the value
    /// must end there for the declaration or key to name it).
    fn function_value(&self, f: usize) -> Value {
        let mut at = f + 1;
        if self.is(at, "*") {
            at += 1;
        }
        if self.tok(at).is_some_and(|t| t.kind == Kind::Name) {
            return Value::NotNamedHere;
        }
        if !self.is_open(at, b'(') {
            return Value::Unsure;
        }
        let close = self.close_of(at);
        if !self.is_open(close + 1, b'{') {
            return Value::Unsure;
        }
        let end = self.close_of(close + 1);
        // `function () {..}.bind(this)` or `function () {..}()`: the parent is not the
        // declaration.
        match self.tok(end + 1) {
            None => Value::Unnamed,
            Some(t) => match t.kind {
                Kind::Punct if matches!(self.text_of(end + 1), "," | ";") => Value::Unnamed,
                Kind::Close(_) => Value::Unnamed,
                _ if self.starts_statement_after_newline(end + 1) => Value::Unnamed,
                _ => Value::Unsure,
            },
        }
    }

    /// Whether the text of a candidate function name matters to the summary.
    fn relevant(name: &str, registry: bool) -> bool {
        DI_WORDS.iter().any(|w| name.contains(w)) || (registry && is_register_name(name))
    }

    /// The name the full front-end gives a function named at token `k`, if `k` names one:
    /// the name of `function name`, a method's key, the declarator, field, key or member an
    /// unnamed function value is assigned to. Only asked for tokens whose text matters.
    fn function_named_at(&self, k: usize) -> Scan<Option<String>> {
        let refuse = |why| Err((why, self.line(k)));
        let t = self.toks[k];
        let text = self.text_of(k);
        let prev = self.prev(k);
        // A computed key or subscript: `[resolve]() {}`, `a[resolve] = () => {}`.
        if t.parent != NONE && self.ctx.get(t.parent as usize) == Some(&Ctx::Bracket) {
            let close = self.close_of(t.parent as usize);
            let method = self.ctx.get(close + 1) == Some(&Ctx::Params);
            let valued = (self.is(close + 1, "=") || self.is(close + 1, ":"))
                && self.value_at(close + 2) != Value::NotNamedHere;
            if method || valued {
                return refuse("computed name");
            }
        }
        // A destructuring pattern given a function value.
        if t.parent != NONE
            && matches!(
                self.ctx.get(t.parent as usize),
                Some(Ctx::Object | Ctx::Bracket)
            )
        {
            let close = self.close_of(t.parent as usize);
            if self.is(close + 1, "=") && self.value_at(close + 2) != Value::NotNamedHere {
                return refuse("pattern name");
            }
        }
        // `function name (..)`.
        if let Some(p) = prev
            && (self.is(p, "function")
                || (self.is(p, "*") && self.prev(p).is_some_and(|f| self.is(f, "function"))))
            && t.kind == Kind::Name
        {
            if self.is(k + 1, "<") {
                return refuse("generic function");
            }
            let function = if self.is(p, "*") { p - 1 } else { p };
            let start = if self.prev(function).is_some_and(|a| self.is(a, "async")) {
                function - 1
            } else {
                function
            };
            // A named function expression passed as an argument inside a function is no
            // function of its own to the full front-end.
            if let Some(before) = self.prev(start)
                && (self.is_open(before, b'(') || self.is(before, ","))
            {
                return refuse("function argument name");
            }
            return Ok(self
                .has_body
                .get(k + 1)
                .copied()
                .unwrap_or(false)
                .then(|| text.to_owned()));
        }
        // A member chain assigned a function: `resolvers[type] = () => {}`,
        // `this.service.start = function () {}`.
        if self.is(k + 1, ".") || self.is(k + 1, "?.") || self.is_open(k + 1, b'[') {
            let end = self.chain_end(k);
            if self.is(end + 1, "=") {
                return match self.value_at(end + 2) {
                    Value::NotNamedHere => Ok(None),
                    Value::Unsure => refuse("function value"),
                    Value::Unnamed => self.assigned_name(end).map(Some),
                };
            }
            return Ok(None);
        }
        let next = self.tok(k + 1).copied();
        let in_members = matches!(self.parent_ctx(k), Some(Ctx::ClassBody | Ctx::Object));
        match next.map(|n| (n.kind, self.text_of(k + 1))) {
            // A method: `resolve() {}`, `get resolve() {}`, `'resolve'() {}`.
            Some((Kind::Open(b'('), _)) => {
                if self.ctx.get(k + 1) == Some(&Ctx::Params) {
                    if prev.is_some_and(|p| self.is(p, ".") || self.is(p, "?.")) {
                        return refuse("method after dot");
                    }
                    return Ok(self.has_body[k + 1].then(|| text.to_owned()));
                }
                let close = self.close_of(k + 1);
                if self.is_open(close + 1, b'{') && self.ctx.get(close + 1) != Some(&Ctx::Block) {
                    return refuse("call before brace");
                }
                Ok(None)
            }
            Some((Kind::Punct, "<" | "?" | "!")) if in_members => refuse("generic member"),
            Some((Kind::Punct, "=")) => {
                let value = self.value_at(k + 2);
                if value == Value::NotNamedHere {
                    return Ok(None);
                }
                if value == Value::Unsure {
                    return refuse("function value");
                }
                self.assigned_name(k).map(Some)
            }
            Some((Kind::Punct, ":")) => self.keyed_name(k),
            _ => Ok(None),
        }
    }

    /// The last token of the member chain `k` starts: `.x`, `?.x`, `[..]` and `(..)`.
    fn chain_end(&self, k: usize) -> usize {
        let mut end = k;
        loop {
            if (self.is(end + 1, ".") || self.is(end + 1, "?."))
                && self
                    .tok(end + 2)
                    .is_some_and(|t| matches!(t.kind, Kind::Name | Kind::Private))
            {
                end += 2;
            } else if self.is_open(end + 1, b'[') || self.is_open(end + 1, b'(') {
                end = self.close_of(end + 1);
            } else {
                return end;
            }
        }
    }

    /// The name an unnamed function value gets from `k =`: a declarator's, a field's, or an
    /// assignment target's last segment (`X.prototype.m = function` names the method `m`).
    fn assigned_name(&self, k: usize) -> Scan<String> {
        let refuse = |why| Err((why, self.line(k)));
        let text = self.text_of(k);
        if self.declarator.get(k + 1).copied().flatten().is_some() {
            return Ok(text.to_owned());
        }
        let parent = self.parent_ctx(k);
        let prev = self.prev(k);
        match parent {
            Some(Ctx::ClassBody) => return Ok(text.to_owned()),
            Some(Ctx::Params | Ctx::Object | Ctx::Bracket | Ctx::Unknown | Ctx::TypeBody) => {
                return refuse("default value");
            }
            Some(Ctx::Paren { .. }) => {
                let open = self.toks[k].parent as usize;
                if self.is(self.close_of(open) + 1, "=>") {
                    return refuse("default value");
                }
            }
            _ => {}
        }
        // The assignment target: `k` alone or the end of a member chain.
        let mut start = k;
        loop {
            // Subscripts and calls: `a[i]`, `f(x)`.
            while let Some(t) = self.tok(start)
                && matches!(t.kind, Kind::Close(b']' | b')'))
            {
                start = t.pair as usize;
                match self.prev(start) {
                    Some(p)
                        if self.ends_operand(p) && self.toks[p].line == self.toks[start].line =>
                    {
                        start = p;
                    }
                    _ => return refuse("assignment target"),
                }
            }
            let Some(dot) = self.prev(start) else {
                break;
            };
            if !(self.is(dot, ".") || self.is(dot, "?.")) {
                break;
            }
            let Some(object) = self.prev(dot) else {
                return refuse("assignment target");
            };
            if !matches!(
                self.toks[object].kind,
                Kind::Name | Kind::Private | Kind::Close(b']' | b')')
            ) {
                return refuse("assignment target");
            }
            start = object;
        }
        if self.toks[start].kind != Kind::Name && self.toks[start].kind != Kind::Private {
            return refuse("assignment target");
        }
        let before = if start == k { prev } else { self.prev(start) };
        if let Some(b) = before
            && (self.is(b, ":") || self.is(b, "?") || self.is(b, "|") || self.is(b, "&"))
        {
            return refuse("assignment target");
        }
        let left = self
            .text
            .get(self.toks[start].start..self.toks[k].end)
            .unwrap_or("");
        if let Some((_, method)) = left.split_once(".prototype.") {
            return Ok(method.to_owned());
        }
        Ok(left.rsplit('.').next().unwrap_or(left).to_owned())
    }

    /// `k :`: an object key naming a function value (`resolve: () => {}`), a typed class
    /// field or declarator whose initialiser is one, or a label, case or annotation.
    fn keyed_name(&self, k: usize) -> Scan<Option<String>> {
        let refuse = |why| Err((why, self.line(k)));
        let prev = self.prev(k);
        let declared =
            prev.is_some_and(|p| self.is(p, "const") || self.is(p, "let") || self.is(p, "var"));
        match self.parent_ctx(k) {
            Some(Ctx::Object) => {
                if !prev.is_some_and(|p| self.is_open(p, b'{') || self.is(p, ",")) {
                    return match self.value_at(k + 2) {
                        Value::NotNamedHere => Ok(None),
                        _ => refuse("key"),
                    };
                }
                match self.value_at(k + 2) {
                    Value::NotNamedHere => Ok(None),
                    // An object type's member (`{ resolve: () => void }`) reads like a key.
                    _ if self.typescript => refuse("typed key"),
                    Value::Unsure => refuse("function value"),
                    Value::Unnamed => {
                        let t = self.toks[k];
                        match t.kind {
                            Kind::Str if t.escaped => refuse("escaped key"),
                            Kind::Str => Ok(Some(
                                self.text_of(k)
                                    .get(1..self.text_of(k).len().saturating_sub(1))
                                    .unwrap_or("")
                                    .to_owned(),
                            )),
                            _ => Ok(Some(self.text_of(k).to_owned())),
                        }
                    }
                }
            }
            Some(Ctx::ClassBody) => self.annotated_then_assigned(k),
            _ if declared => self.annotated_then_assigned(k),
            Some(Ctx::Unknown) => refuse("key"),
            _ => Ok(None),
        }
    }

    /// `k: Type = value` (a class field or a declarator): the value's declared name.
    fn annotated_then_assigned(&self, k: usize) -> Scan<Option<String>> {
        let refuse = |why| Err((why, self.line(k)));
        let parent = self.toks[k].parent;
        let mut at = k + 2;
        let mut angles: i32 = 0;
        loop {
            let Some(t) = self.tok(at).copied() else {
                return Ok(None);
            };
            if matches!(t.kind, Kind::Open(_)) {
                at = self.close_of(at).saturating_add(1);
                continue;
            }
            if t.kind == Kind::Punct && t.parent == parent {
                angles += angle_change(self.text_of(at));
                if angles < 0 {
                    return refuse("annotation");
                }
                if angles > 0 {
                    at += 1;
                    continue;
                }
            }
            if t.parent != parent || matches!(t.kind, Kind::Close(_)) {
                return Ok(None);
            }
            if t.kind == Kind::Punct && matches!(self.text_of(at), ";" | ",") {
                return Ok(None);
            }
            if self.starts_statement_after_newline(at) {
                return Ok(None);
            }
            if t.kind == Kind::Punct && self.text_of(at) == "=" {
                return match self.value_at(at + 1) {
                    Value::NotNamedHere => Ok(None),
                    Value::Unsure => refuse("function value"),
                    Value::Unnamed => Ok(Some(self.text_of(k).to_owned())),
                };
            }
            at += 1;
        }
    }
}

/// How a type's angle brackets change the nesting at a punctuator.
fn angle_change(punct: &str) -> i32 {
    match punct {
        "<" => 1,
        ">" => -1,
        ">>" => -2,
        ">>>" => -3,
        _ => 0,
    }
}

/// Whether a function is named as a registration API (`summary::is_register_name`).
fn is_register_name(name: &str) -> bool {
    REGISTER_WORDS.iter().any(|r| {
        name.get(..r.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(r))
    })
}

/// What the light front-end reads of a JavaScript or TypeScript file, or `NeedsParse`.
pub fn extract(
    rel_path: &str,
    text: &str,
    counts: LineCounts,
    prefix: Vec<u32>,
) -> Result<FileFacts, NeedsParse> {
    read(rel_path, text, counts, prefix).map_err(|_| NeedsParse)
}

/// Why `extract` leaves a file to the full parse, and the line where it saw why (for
/// `examples/js_light_check.rs`); `None` when it reads the file.
pub fn refusal(rel_path: &str, text: &str) -> Option<Refusal> {
    let (counts, prefix) = crate::lines::count(text, &crate::lines::JAVASCRIPT);
    read(rel_path, text, counts, prefix).err()
}

fn language_of(rel_path: &str) -> Language {
    if [".ts", ".mts", ".cts", ".tsx"]
        .iter()
        .any(|e| rel_path.ends_with(e))
    {
        Language::TypeScript
    } else {
        Language::JavaScript
    }
}

fn read(rel_path: &str, text: &str, counts: LineCounts, prefix: Vec<u32>) -> Scan<FileFacts> {
    if text.len() > MAX_LIGHT_BYTES {
        return Err(("size", 1));
    }
    let language = language_of(rel_path);
    let typescript = language == Language::TypeScript;
    let holds = |word: &str| memchr::memmem::find(text.as_bytes(), word.as_bytes()).is_some();
    for word in [
        "defineMetadata",
        "getMetadata",
        "TypeId",
        "setattr",
        "getattr",
    ] {
        if holds(word) {
            return Err((word, 1));
        }
    }
    if !typescript && holds("@flow") {
        return Err(("flow", 1));
    }
    let mut lexer = Lexer {
        b: text.as_bytes(),
        i: 0,
        line: 1,
        toks: Vec::with_capacity(text.len() / 5),
        stack: Vec::new(),
        typescript,
        jsx: !(rel_path.ends_with(".ts")
            || rel_path.ends_with(".mts")
            || rel_path.ends_with(".cts")),
    };
    lexer.run()?;
    let mut s = Scanner {
        text,
        toks: lexer.toks,
        ctx: Vec::new(),
        has_body: Vec::new(),
        declarator: Vec::new(),
        typescript,
    };
    s.classify()?;
    let mut facts = FileFacts::new(rel_path, language, counts, prefix);
    syntax(&s)?;
    let registry = shapes(&s)?;
    let n = s.toks.len();
    let (mut ternaries, mut cases): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
    // Names matter only if the text holds a dependency-injection word, or a registry is
    // possible.
    let names_matter = registry || DI_WORDS.iter().any(|w| holds(w));
    for k in 0..n {
        let t = s.toks[k];
        if !typescript {
            annotation_in_javascript(&s, k, &mut ternaries, &mut cases)?;
        }
        match t.kind {
            Kind::Name => {
                let word = s.text_of(k);
                match word {
                    "import" => import(&s, k, &mut facts)?,
                    "export" if s.is_open(k + 1, b'{') => reserved_specifiers(&s, k + 1)?,
                    "require" => require(&s, k, &mut facts)?,
                    "class" if s.is_class_keyword(k) => {
                        let name = s
                            .tok(k + 1)
                            .filter(|n| n.kind == Kind::Name)
                            .map_or("anonymous", |_| s.text_of(k + 1));
                        facts
                            .types
                            .push(type_def(name, TypeKind::Struct, t.line, Vec::new()));
                    }
                    "interface" if typescript && s.is_declaration_word(k) => {
                        let variants = interface_methods(&s, k)?;
                        facts.types.push(type_def(
                            s.text_of(k + 1),
                            TypeKind::Trait,
                            t.line,
                            variants,
                        ));
                    }
                    // `interface` then a name on the next line: a declaration to the grammar.
                    "interface"
                        if typescript
                            && !s.prev(k).is_some_and(|p| s.is(p, "."))
                            && s.tok(k + 1).is_some_and(|n| n.kind == Kind::Name) =>
                    {
                        return Err(("interface", t.line));
                    }
                    "enum" if s.is_declaration_word(k) => {
                        if !typescript {
                            return Err(("enum", t.line));
                        }
                        facts.types.push(type_def(
                            s.text_of(k + 1),
                            TypeKind::Enum,
                            t.line,
                            Vec::new(),
                        ));
                    }
                    "function" => constructor_function(&s, k, &mut facts)?,
                    _ => {}
                }
                if names_matter && Scanner::relevant(word, registry) {
                    named(&s, k, registry, &mut facts)?;
                }
            }
            Kind::Private if names_matter && Scanner::relevant(s.text_of(k), registry) => {
                named(&s, k, registry, &mut facts)?;
            }
            Kind::Str | Kind::Num if names_matter => {
                let raw = s.text_of(k);
                let content = if t.kind == Kind::Str {
                    raw.get(1..raw.len().saturating_sub(1)).unwrap_or("")
                } else {
                    raw
                };
                if Scanner::relevant(raw, registry) || Scanner::relevant(content, registry) {
                    named(&s, k, registry, &mut facts)?;
                }
            }
            _ => {}
        }
    }
    // Two interfaces on one line: the full front-end orders them by their ends.
    let mut trait_lines: Vec<u32> = facts
        .types
        .iter()
        .filter(|t| t.kind == TypeKind::Trait)
        .map(|t| t.span.start)
        .collect();
    let before = trait_lines.len();
    trait_lines.dedup();
    if trait_lines.len() != before {
        return Err(("interfaces on one line", 1));
    }
    if registry && facts.functions.iter().any(|f| is_register_name(&f.name)) {
        return Err(("registry", 1));
    }
    facts.types.sort_by_key(|t| (t.span.start, t.span.end));
    facts.functions.sort_by_key(|f| (f.span.start, f.span.end));
    Ok(facts)
}

fn type_def(name: &str, kind: TypeKind, line: u32, variants: Vec<String>) -> TypeDef {
    TypeDef {
        name: name.to_owned(),
        kind,
        span: LineSpan::new(line, line),
        fields: Vec::new(),
        variants,
        is_public: true,
    }
}

/// Records the function token `k` names, if any.
fn named(s: &Scanner<'_>, k: usize, registry: bool, facts: &mut FileFacts) -> Scan<()> {
    if let Some(name) = s.function_named_at(k)?
        && Scanner::relevant(&name, registry)
    {
        let line = s.line(k);
        facts.functions.push(Function {
            name,
            owner: None,
            trait_impl: None,
            span: LineSpan::new(line, line),
            is_async: false,
            is_public: true,
            params: Vec::new(),
            cyclomatic: 1,
            cognitive: 0,
            loops: Vec::new(),
            events: Vec::new(),
        });
    }
    Ok(())
}

/// Shapes read from bodies and fields that this reader does not reproduce; whether a
/// registry is possible (a map holder and a store both appear), which makes registration
/// names matter.
fn shapes(s: &Scanner<'_>) -> Scan<bool> {
    let (mut holder, mut fill) = (false, false);
    for k in 0..s.toks.len() {
        let t = s.toks[k];
        let word = s.text_of(k);
        match t.kind {
            Kind::Name => {
                let next = |text: &str| s.is(k + 1, text);
                match word {
                    "Vec" if next("<") => return Err(("chain", t.line)),
                    "map" if s.is_open(k + 1, b'[') => {
                        holder = true;
                        type_key(s, k)?;
                    }
                    "set" | "insert" | "setdefault"
                        if s.prev(k).is_some_and(|p| s.is(p, ".") || s.is(p, "?."))
                            && s.is_open(k + 1, b'(') =>
                    {
                        fill = true;
                    }
                    // Map types as `summary::dynamic_map` reads them (`map[` is Go's).
                    _ if DYNAMIC_MAPS.contains(&word) => {
                        type_key(s, k)?;
                        if s.prev(k)
                            .is_some_and(|p| s.is(p, "new") || s.is(p, "=") || s.is(p, ":"))
                        {
                            holder = true;
                        }
                    }
                    _ => {}
                }
            }
            Kind::Close(b']') => {
                if s.is(k + 1, "=")
                    && let Some(open) = s.open_of(k)
                    && s.prev(open).is_some_and(|p| s.ends_operand(p))
                {
                    fill = true;
                }
            }
            Kind::Punct if word == "=" && s.is_open(k + 1, b'{') => {
                let this_field = s
                    .prev(k)
                    .is_some_and(|p| s.prev(p).is_some_and(|d| s.is(d, ".")));
                if this_field
                    || s.declarator.get(k).copied().flatten().is_some()
                    || s.parent_ctx(k) == Some(Ctx::ClassBody)
                {
                    holder = true;
                }
            }
            _ => {}
        }
    }
    Ok(holder && fill)
}

/// A map keyed by types after the map name at `k`: `Map<type, ..>`, `Record<Type[X], ..>`,
/// `map[reflect.Type]` (`summary::type_keyed_map`).
fn type_key(s: &Scanner<'_>, k: usize) -> Scan<()> {
    if !(s.is(k + 1, "<") || s.is_open(k + 1, b'[')) {
        return Ok(());
    }
    let key = k + 2;
    if s.is(key, "type") || s.is(key, "reflect") || (s.is(key, "Type") && s.is_open(key + 1, b'['))
    {
        return Err(("type key", s.line(k)));
    }
    Ok(())
}

/// A punctuator after which an operand must follow (`=`, `+`, `(`-like ones aside).
fn awaits_operand(s: &Scanner<'_>, i: usize) -> bool {
    let Some(t) = s.tok(i) else {
        return false;
    };
    if t.kind != Kind::Punct {
        return false;
    }
    match s.text_of(i) {
        "++" | "--" | ";" | "," | ":" => false,
        "!" | ">" | ">>" | ">>>" | "?" => !s.typescript,
        _ => true,
    }
}

/// Operators that only join two operands: never after an operator or an opening bracket.
fn is_binary_only(s: &Scanner<'_>, i: usize) -> bool {
    if s.tok(i).is_none_or(|t| t.kind != Kind::Punct) {
        return false;
    }
    match s.text_of(i) {
        "?" | "=" | "==" | "===" | "!=" | "!==" | "&&" | "||" | "??" | "+=" | "-=" | "*="
        | "/=" | "%=" | "&=" | "|=" | "^=" | "**=" | "<<=" | ">>=" | ">>>=" | "&&=" | "||="
        | "??=" | "=>" | "." | "?." | "<=" | ">=" | ">" | "%" | "**" | "<<" | ">>" | ">>>"
        | "^" | ":" => true,
        "|" | "&" => !s.typescript,
        _ => false,
    }
}

/// Statement keywords, never inside an expression.
fn is_statement_keyword(word: &str) -> bool {
    matches!(
        word,
        "var"
            | "const"
            | "if"
            | "for"
            | "while"
            | "return"
            | "export"
            | "try"
            | "switch"
            | "throw"
            | "break"
            | "continue"
            | "do"
            | "else"
            | "catch"
            | "finally"
            | "case"
            | "debugger"
            | "with"
    )
}

/// Token pairs no program holds, which the full front-end parses only in part: an
/// operator before a closing bracket (`a +)`), an operator only joining two operands after
/// another operator or an opening bracket (`(?`, `= .`), a statement keyword inside an
/// expression (`a, var b`), and a call followed by a block on its line (`f(x) {` outside a
/// class or object).
fn syntax(s: &Scanner<'_>) -> Scan<()> {
    for i in 1..s.toks.len() {
        let t = s.toks[i];
        let p = i - 1;
        let after_operator = awaits_operand(s, p)
            || s.tok(p).is_some_and(|q| matches!(q.kind, Kind::Open(_)))
            || s.is(p, ",");
        match t.kind {
            Kind::Close(_) if awaits_operand(s, p) => {
                return Err(("operator before bracket", t.line));
            }
            Kind::Punct if (after_operator || s.is(p, ";")) && is_binary_only(s, i) => {
                let exempt = s.typescript
                    && ((matches!(s.text_of(i), "?" | ":")
                        && (s.is(p, "-") || s.is(p, "+") || s.is(p, "?")))
                        || s.is(p, "!")
                        || (s.is(p, ",") && s.is(i, ">")));
                // `[a, , b]` holes and `{ , }` aside, two operators in a row.
                if !exempt {
                    return Err(("operator after operator", t.line));
                }
            }
            Kind::Name
                if (after_operator && !s.is(p, "{") && !s.is_open(p, b'{'))
                    && is_statement_keyword(s.text_of(i))
                    && !s.is(p, ".")
                    && !s.is(p, "?.")
                    && !s.is(i + 1, ":")
                    && !s.is_open(i + 1, b'(')
                    && s.ctx.get(p) != Some(&Ctx::Paren { control: true }) =>
            {
                return Err(("statement in expression", t.line));
            }
            Kind::Open(b'{') if s.ctx.get(i) == Some(&Ctx::Unknown) && s.is_close(p, b')') => {
                return Err(("call before block", t.line));
            }
            Kind::Open(b'(') if !s.typescript && s.ctx.get(i) == Some(&Ctx::Params) => {
                if !s.has_body.get(i).copied().unwrap_or(false) {
                    return Err(("parameters without body", t.line));
                }
                parameters(s, i)?;
            }
            _ => {}
        }
        // A statement block's end is no operand: `{ .. }, x`, `{ .. }.x`.
        if s.is_close(p, b'}')
            && s.open_of(p).and_then(|o| s.ctx.get(o)) == Some(&Ctx::Block)
            && (s.is(i, ",") || is_binary_only(s, i) && !s.is(i, ":"))
        {
            return Err(("operator after block", t.line));
        }
        // `else`, `catch` and `finally` continue a statement: after its block or its end.
        if t.kind == Kind::Name
            && matches!(s.text_of(i), "else" | "catch" | "finally")
            && !s.is(p, ".")
            && !s.is(p, "?.")
            && !matches!(
                s.parent_ctx(i),
                Some(Ctx::ClassBody | Ctx::Object | Ctx::TypeBody)
            )
        {
            let after_block =
                s.is_close(p, b'}') && s.open_of(p).and_then(|o| s.ctx.get(o)) == Some(&Ctx::Block);
            let else_after_statement = s.is(i, "else") && (s.is(p, ";") || s.line(p) < t.line);
            if !(after_block || else_after_statement) {
                return Err(("continuation", t.line));
            }
            if s.is(i, "else") && !follows_if(s, p) {
                return Err(("else without if", t.line));
            }
        }
        // A statement inside a class body (`return x` where a method was).
        if t.kind == Kind::Name
            && s.parent_ctx(i) == Some(Ctx::ClassBody)
            && is_statement_keyword(s.text_of(i))
            && !s.is_open(i + 1, b'(')
            && !s.tok(i + 1).is_some_and(|n| {
                n.kind == Kind::Punct
                    && matches!(s.text_of(i + 1), ":" | "=" | "?" | ";" | "!" | "<")
            })
        {
            return Err(("statement in class body", t.line));
        }
    }
    Ok(())
}

/// Whether the statement ending at `end` (a block's `}`, a `;` or a line's last token) is
/// the consequent of an `if (..)`: an `else` may follow it.
fn follows_if(s: &Scanner<'_>, end: usize) -> bool {
    let if_head = |close: usize| {
        s.open_of(close)
            .and_then(|o| s.prev(o))
            .is_some_and(|h| s.is(h, "if"))
    };
    // `if (..) { .. } else`, `else { .. } else` is no statement.
    if s.is_close(end, b'}') {
        let Some(open) = s.open_of(end) else {
            return false;
        };
        return s
            .prev(open)
            .is_some_and(|h| s.is_close(h, b')') && if_head(h));
    }
    // `if (..) x(); else`: back over the statement to the `if` head at its level.
    let Some(parent) = s.tok(end).map(|t| t.parent) else {
        return false;
    };
    let mut at = if s.is(end, ";") {
        s.prev(end)
    } else {
        Some(end)
    };
    while let Some(k) = at {
        let Some(t) = s.tok(k) else {
            return false;
        };
        match t.kind {
            Kind::Close(b')') if if_head(k) => return true,
            Kind::Close(_) => at = s.prev(t.pair as usize),
            Kind::Open(_) => return false,
            _ if t.parent != parent || s.is(k, ";") => return false,
            _ => at = s.prev(k),
        }
    }
    false
}

/// JavaScript parameters: each a name, a pattern or a rest element, with an optional
/// default (`(a, { b } = {}, ...rest)`); anything else (`(!x)` where a method was) is a
/// syntax error.
fn parameters(s: &Scanner<'_>, open: usize) -> Scan<()> {
    let close = s.close_of(open);
    let mut at = open + 1;
    while at < close {
        if s.is(at, "...") {
            at += 1;
        }
        let Some(t) = s.tok(at) else {
            return Ok(());
        };
        match t.kind {
            Kind::Name if !is_reserved(s.text_of(at)) => at += 1,
            Kind::Open(b'{' | b'[') => at = s.close_of(at) + 1,
            _ => return Err(("parameters", t.line)),
        }
        if s.is(at, "=") {
            at = skip_to_comma(s, at, close);
        } else if s.is(at, ",") {
            at += 1;
        } else if at != close {
            return Err(("parameters", s.line(at)));
        }
    }
    Ok(())
}

/// JavaScript has no type annotations: a `:` directly inside parentheses or brackets
/// without a pending `?`, or after a parameter list, is Flow or TypeScript syntax the
/// JavaScript grammar parses only in part.
fn annotation_in_javascript(
    s: &Scanner<'_>,
    k: usize,
    pending: &mut Vec<u32>,
    cases: &mut Vec<u32>,
) -> Scan<()> {
    let t = s.toks[k];
    if let Kind::Close(_) = t.kind
        && pending.contains(&t.pair)
    {
        return Err(("conditional", t.line));
    }
    if k + 1 == s.toks.len() && !pending.is_empty() {
        return Err(("conditional", t.line));
    }
    if t.kind == Kind::Name
        && (s.is(k, "case") || (s.is(k, "default") && s.is(k + 1, ":")))
        && !s.prev(k).is_some_and(|p| s.is(p, ".") || s.is(p, "?."))
    {
        cases.push(t.parent);
    }
    if t.kind != Kind::Punct {
        return Ok(());
    }
    match s.text_of(k) {
        ";" if pending.contains(&t.parent) => return Err(("conditional", t.line)),
        "?" => pending.push(t.parent),
        ":" => {
            if let Some(at) = pending.iter().rposition(|&p| p == t.parent) {
                pending.remove(at);
                return Ok(());
            }
            if let Some(at) = cases.iter().rposition(|&p| p == t.parent) {
                cases.remove(at);
                return Ok(());
            }
            // At statement level a `:` ends a label: a name starting a statement, before a
            // statement (not an anonymous function).
            if matches!(s.parent_ctx(k), None | Some(Ctx::Block | Ctx::FnBody)) {
                let label = s.prev(k).is_some_and(|p| {
                    s.tok(p).is_some_and(|n| n.kind == Kind::Name)
                        && s.prev(p).is_none_or(|q| {
                            s.is(q, ";")
                                || s.tok(q).is_some_and(|b| {
                                    matches!(b.kind, Kind::Open(b'{') | Kind::Close(b'}'))
                                })
                                || s.line(q) < s.line(p)
                        })
                });
                let anonymous = s.is(k + 1, "function") && s.is_open(k + 2, b'(');
                if !label || anonymous {
                    return Err(("colon", t.line));
                }
            }
            let in_parens = matches!(
                s.parent_ctx(k),
                Some(Ctx::Params | Ctx::Paren { .. } | Ctx::Bracket)
            );
            let after_params = s.prev(k).is_some_and(|p| {
                s.is_close(p, b')') && s.open_of(p).and_then(|o| s.ctx.get(o)) == Some(&Ctx::Params)
            });
            if in_parens || after_params {
                return Err(("annotation", t.line));
            }
        }
        _ => {}
    }
    Ok(())
}

/// An `import` statement: its bindings as paths, with the statement's line.
fn import(s: &Scanner<'_>, k: usize, facts: &mut FileFacts) -> Scan<()> {
    let line = s.line(k);
    let refuse = |why| Err((why, line));
    if s.prev(k).is_some_and(|p| s.is(p, ".") || s.is(p, "?.")) {
        return Ok(());
    }
    // `import(..)` and `import.meta` are expressions.
    if s.is_open(k + 1, b'(') || s.is(k + 1, ".") {
        return Ok(());
    }
    let mut at = k + 1;
    let name_tok = |i: usize| s.tok(i).is_some_and(|t| t.kind == Kind::Name);
    if (s.is(at, "type") || s.is(at, "typeof"))
        && (name_tok(at + 1) && !s.is(at + 1, "from")
            || s.is_open(at + 1, b'{')
            || s.is(at + 1, "*"))
    {
        if !s.typescript {
            return refuse("import type");
        }
        at += 1;
    }
    let source = |i: usize| -> Scan<String> {
        let t = s.tok(i).copied().ok_or(("import source", line))?;
        if t.kind != Kind::Str || t.escaped {
            return Err(("import source", line));
        }
        let raw = s.text_of(i);
        Ok(module_path(
            raw.get(1..raw.len().saturating_sub(1)).unwrap_or(""),
        ))
    };
    // `import 'x'`.
    if s.tok(at).is_some_and(|t| t.kind == Kind::Str) {
        let module = source(at)?;
        if !module.is_empty() {
            facts.imports.push(Import { path: module, line });
        }
        return Ok(());
    }
    let mut names: Vec<String> = Vec::new();
    let source_next = s.tok(at + 1).is_some_and(|t| t.kind == Kind::Str);
    if name_tok(at) && !(s.is(at, "from") && source_next) {
        if s.is(at + 1, "=") {
            return refuse("import equals");
        }
        names.push(s.text_of(at).to_owned());
        at += 1;
        if s.is(at, ",") {
            at += 1;
        }
    }
    if s.is(at, "*") {
        if !(s.is(at + 1, "as") && name_tok(at + 2)) {
            return refuse("import clause");
        }
        names.push("*".to_owned());
        at += 3;
    } else if s.is_open(at, b'{') {
        reserved_specifiers(s, at)?;
        let close = s.close_of(at);
        let mut i = at + 1;
        while i < close {
            if s.is(i, "type")
                && s.tok(i + 1)
                    .is_some_and(|t| matches!(t.kind, Kind::Name | Kind::Str))
            {
                if s.is(i + 1, "as") {
                    return refuse("import clause");
                }
                i += 1;
            }
            let t = s.toks[i];
            let name = match t.kind {
                Kind::Name => s.text_of(i).to_owned(),
                Kind::Str if !t.escaped => {
                    let raw = s.text_of(i);
                    raw.get(1..raw.len().saturating_sub(1))
                        .unwrap_or("")
                        .to_owned()
                }
                _ => return refuse("import clause"),
            };
            names.push(name);
            i += 1;
            if s.is(i, "as") {
                if !name_tok(i + 1) {
                    return refuse("import clause");
                }
                i += 2;
            }
            if s.is(i, ",") {
                i += 1;
            } else if i != close {
                return refuse("import clause");
            }
        }
        at = close + 1;
    }
    if !s.is(at, "from") {
        return refuse("import clause");
    }
    let module = source(at + 1)?;
    if names.is_empty() {
        // `import {} from 'x'`: a clause without bindings.
        return Ok(());
    }
    for name in names {
        let path = join(&module, &name);
        if !path.is_empty() {
            facts.imports.push(Import { path, line });
        }
    }
    Ok(())
}

/// A reserved word as an imported or exported name (`export { _null as null }`): the
/// grammar takes only identifiers and strings there and parses the statement in part.
fn reserved_specifiers(s: &Scanner<'_>, open: usize) -> Scan<()> {
    for i in open + 1..s.close_of(open) {
        if s.tok(i).is_some_and(|t| t.kind == Kind::Name) && is_reserved(s.text_of(i)) {
            return Err(("reserved specifier", s.line(i)));
        }
    }
    Ok(())
}

/// JavaScript's reserved words (`default` aside, which names a module's default export).
fn is_reserved(word: &str) -> bool {
    matches!(
        word,
        "break"
            | "case"
            | "catch"
            | "class"
            | "const"
            | "continue"
            | "debugger"
            | "delete"
            | "do"
            | "else"
            | "enum"
            | "export"
            | "extends"
            | "false"
            | "finally"
            | "for"
            | "function"
            | "if"
            | "import"
            | "in"
            | "instanceof"
            | "new"
            | "null"
            | "return"
            | "super"
            | "switch"
            | "this"
            | "throw"
            | "true"
            | "try"
            | "typeof"
            | "var"
            | "void"
            | "while"
            | "with"
    )
}

/// `require('x')`: the module, named after the declarator the call initialises
/// (`const x = require('m')` → `m::x`, `const { a, b } = require('m')` → `m::a`, `m::b`).
fn require(s: &Scanner<'_>, k: usize, facts: &mut FileFacts) -> Scan<()> {
    let line = s.line(k);
    let refuse = |why| Err((why, line));
    let prev = s.prev(k);
    if prev.is_some_and(|p| s.is(p, ".") || s.is(p, "?.") || s.is(p, "function")) {
        return Ok(());
    }
    if s.is(k + 1, "?.") || s.tok(k + 1).is_some_and(|t| t.kind == Kind::Template) {
        return refuse("require");
    }
    if !s.is_open(k + 1, b'(') {
        return Ok(());
    }
    if s.ctx.get(k + 1) == Some(&Ctx::Params) {
        return Ok(());
    }
    if prev.is_some_and(|p| s.is(p, "new")) {
        return refuse("require");
    }
    let open = k + 1;
    let close = s.close_of(open);
    if close == open + 1 {
        return Ok(());
    }
    // A comment before the first argument is the arguments' first named child.
    let gap = s
        .text
        .get(s.toks[open].end..s.toks[open + 1].start)
        .unwrap_or("");
    if gap.contains('/') {
        return refuse("require comment");
    }
    let first = s.toks[open + 1];
    let whole = s.is(open + 2, ",") || open + 2 == close;
    let spec = match first.kind {
        Kind::Str | Kind::Template if whole => {
            if first.escaped {
                return refuse("require escape");
            }
            let raw = s.text_of(open + 1);
            raw.get(1..raw.len().saturating_sub(1))
                .unwrap_or("")
                .to_owned()
        }
        Kind::Template => return refuse("require template"),
        _ => return Ok(()),
    };
    let module = module_path(&spec);
    // The chain the call heads: `require('x').Foo`, `require('x')(opts)`.
    let mut end = close;
    loop {
        if (s.is(end + 1, ".") || s.is(end + 1, "?."))
            && s.tok(end + 2)
                .is_some_and(|t| matches!(t.kind, Kind::Name | Kind::Private))
        {
            end += 2;
        } else if s.is_open(end + 1, b'(') {
            end = s.close_of(end + 1);
        } else if s.is(end + 1, "?.") && s.is_open(end + 2, b'(') {
            end = s.close_of(end + 2);
        } else if s.tok(end + 1).is_some_and(|t| t.kind == Kind::Template)
            || s.is(end + 1, "as")
            || s.is(end + 1, "satisfies")
            || s.is(end + 1, "!")
        {
            return refuse("require chain");
        } else {
            break;
        }
    }
    let terminated = match s.tok(end + 1) {
        None => true,
        Some(t) => match t.kind {
            Kind::Punct => matches!(s.text_of(end + 1), "," | ";"),
            Kind::Close(_) => true,
            _ => s.starts_statement_after_newline(end + 1),
        },
    };
    let binding = prev
        .filter(|_| terminated)
        .and_then(|p| s.declarator.get(p).copied().flatten());
    let Some(binding) = binding else {
        if !module.is_empty() {
            facts.imports.push(Import { path: module, line });
        }
        return Ok(());
    };
    let b = binding as usize;
    match s.toks[b].kind {
        Kind::Name => {
            facts.imports.push(Import {
                path: join(&module, s.text_of(b)),
                line,
            });
        }
        Kind::Open(b'{') => {
            let close = s.close_of(b);
            let mut i = b + 1;
            while i < close {
                let t = s.toks[i];
                if s.is(i, "...") {
                    i = skip_to_comma(s, i, close);
                    continue;
                }
                let key = match t.kind {
                    Kind::Name => s.text_of(i).to_owned(),
                    Kind::Str => s.text_of(i).to_owned(),
                    _ => return refuse("require pattern"),
                };
                if s.is(i + 1, ":") {
                    facts.imports.push(Import {
                        path: join(&module, &key),
                        line,
                    });
                } else if s.is(i + 1, ",") || i + 1 == close {
                    if t.kind != Kind::Name {
                        return refuse("require pattern");
                    }
                    facts.imports.push(Import {
                        path: join(&module, &key),
                        line,
                    });
                } else if !s.is(i + 1, "=") {
                    return refuse("require pattern");
                }
                i = skip_to_comma(s, i, close);
            }
        }
        _ => {
            if !module.is_empty() {
                facts.imports.push(Import { path: module, line });
            }
        }
    }
    Ok(())
}

/// The token after the next `,` at the level of `i` (or `close`).
fn skip_to_comma(s: &Scanner<'_>, mut i: usize, close: usize) -> usize {
    while i < close {
        if s.is(i, ",") {
            return i + 1;
        }
        if s.tok(i).is_some_and(|t| matches!(t.kind, Kind::Open(_))) {
            i = s.close_of(i);
        }
        i += 1;
    }
    close
}

/// The method names of an interface body that the summary reads (lifecycle hooks and
/// provider methods); other names do not change its facts.
fn interface_methods(s: &Scanner<'_>, k: usize) -> Scan<Vec<String>> {
    let line = s.line(k);
    // The body: the first `{` at the interface's level after its header.
    let parent = s.toks[k].parent;
    let mut at = k + 2;
    let body = loop {
        let Some(t) = s.tok(at) else {
            return Err(("interface", line));
        };
        if t.kind == Kind::Open(b'{') && t.parent == parent {
            if s.ctx.get(at) != Some(&Ctx::TypeBody) {
                return Err(("interface", line));
            }
            break at;
        }
        if t.parent == parent && matches!(t.kind, Kind::Punct) && s.is(at, ";") {
            return Err(("interface", line));
        }
        at += 1;
    };
    let close = s.close_of(body);
    let mut methods = Vec::new();
    for i in body + 1..close {
        let t = s.toks[i];
        if t.parent as usize != body || t.kind != Kind::Name {
            continue;
        }
        let name = s.text_of(i);
        let matters = LIFECYCLE.contains(&name)
            || ["provide", "resolve", "inject"]
                .iter()
                .any(|w| name.starts_with(w));
        if !matters {
            continue;
        }
        let signature = s.is_open(i + 1, b'(')
            || (s.is(i + 1, "?") && s.is_open(i + 2, b'('))
            || s.is(i + 1, "<");
        if !signature {
            continue;
        }
        let member_start = s.prev(i).is_some_and(|p| {
            p == body || s.is(p, ";") || s.is(p, ",") || (s.line(p) < t.line && s.ends_type(p))
        });
        if !member_start {
            return Err(("interface member", t.line));
        }
        methods.push(name.to_owned());
    }
    Ok(methods)
}

/// `function Name() { this.x = .. }` outside functions: a constructor, its own type.
fn constructor_function(s: &Scanner<'_>, k: usize, facts: &mut FileFacts) -> Scan<()> {
    let mut at = k + 1;
    if s.is(at, "*") {
        at += 1;
    }
    let Some(name) = s
        .tok(at)
        .filter(|t| t.kind == Kind::Name)
        .map(|_| s.text_of(at))
    else {
        return Ok(());
    };
    if !name.starts_with(|c: char| c.is_ascii_uppercase())
        || s.prev(k).is_some_and(|p| s.is(p, "."))
    {
        return Ok(());
    }
    if s.is(at + 1, "<") {
        return Err(("generic constructor", s.line(k)));
    }
    if !s.is_open(at + 1, b'(') || !s.has_body.get(at + 1).copied().unwrap_or(false) {
        return Ok(());
    }
    // The body: the first function body `{` after the parameters.
    let body = (s.close_of(at + 1)..s.toks.len())
        .find(|&b| s.ctx.get(b) == Some(&Ctx::FnBody))
        .ok_or(("constructor", s.line(k)))?;
    let text = s
        .text
        .get(s.toks[body].start..s.toks.get(s.close_of(body)).map_or(0, |t| t.end))
        .unwrap_or("");
    if !text.contains("this.") {
        return Ok(());
    }
    let start = if s.prev(k).is_some_and(|a| s.is(a, "async")) {
        k - 1
    } else {
        k
    };
    let declaration = match s.prev(start) {
        None => true,
        Some(p) => {
            let t = s.toks[p];
            if s.is(p, ";") || s.is(p, "export") || matches!(t.kind, Kind::Close(b'}')) {
                true
            } else if matches!(t.kind, Kind::Open(b'{')) {
                matches!(s.ctx.get(p), Some(Ctx::Block | Ctx::FnBody))
            } else if t.line < s.line(k)
                && s.ends_operand(p)
                && !matches!(t.kind, Kind::Close(b')'))
            {
                true
            } else if s.is(p, "default")
                || s.is(p, "else")
                || s.is(p, "do")
                || matches!(t.kind, Kind::Close(_))
                || s.is(p, ":")
            {
                return Err(("constructor", s.line(k)));
            } else {
                false
            }
        }
    };
    if !declaration {
        return Ok(());
    }
    match s.in_function(k) {
        None => Err(("constructor", s.line(k))),
        Some(true) => Ok(()),
        Some(false) => {
            facts
                .types
                .push(type_def(name, TypeKind::Struct, s.line(start), Vec::new()));
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::framework::{FileSummary, summarise};

    const JS: &str = "pkg/core/a.js";
    const TS: &str = "pkg/core/a.ts";

    fn light_facts(path: &str, src: &str) -> Scan<FileFacts> {
        let (counts, prefix) = crate::lines::count(src, &crate::lines::JAVASCRIPT);
        read(path, src, counts, prefix)
    }

    fn light(path: &str, src: &str) -> Scan<FileSummary> {
        light_facts(path, src).map(|f| summarise(&f, "pkg"))
    }

    fn full_facts(path: &str, src: &str) -> FileFacts {
        let extracted = crate::frontend::extract_file(
            crate::frontend::FileKind::Source(language_of(path)),
            path,
            src,
        )
        .unwrap_or_else(|e| panic!("parse: {e:?}"));
        assert!(
            extracted.problem.is_none(),
            "the full parse is partial:\n{src}"
        );
        extracted.facts
    }

    /// The light summary equals the full one, complexity aside, and so do the imports with
    /// their lines.
    fn assert_same(path: &str, src: &str) {
        let facts = light_facts(path, src)
            .unwrap_or_else(|r| panic!("light front-end refused {r:?}:\n{src}"));
        let full = full_facts(path, src);
        assert_eq!(facts.imports, full.imports, "{src}");
        let mut a = summarise(&facts, "pkg");
        let mut b = summarise(&full, "pkg");
        a.complexity = None;
        b.complexity = None;
        assert_eq!(a, b, "{src}");
    }

    /// The light front-end refuses `src` for `why`.
    fn assert_refused(path: &str, src: &str, why: &str) {
        match light(path, src) {
            Err((reason, _)) => assert_eq!(reason, why, "{src}"),
            Ok(s) => panic!("read, not refused for {why}: {s:?}\n{src}"),
        }
    }

    #[test]
    fn imports_match_the_full_front_end() {
        assert_same(
            JS,
            "#!/usr/bin/env node\n'use strict';\nimport def, { a, b as c, 'str' as d } from './lib/x.js';\n\
             import * as ns from '@scope/pkg/sub';\nimport 'side-effect';\nimport {} from 'empty';\n\
             import from from 'from';\nexport { q } from './re-export';\nexport * from 'star';\n\
             const net = require('node:net');\nconst { readFile, writeFile: wf, ...rest } = require('fs');\n\
             const [first] = require('arr');\nconst Foo = require('foo').Foo;\nconst mw = require('mw')(opts);\n\
             require('bare');\nmodule.exports = require('./self');\nconst sum = require('x') + 1;\n\
             let lazy = () => import('dynamic');\nfunction f() {\n  const inner = require(`tpl`);\n  return require('y').z;\n}\n\
             const a = 1, other = require('other'), b = 2;\n",
        );
        // Type arguments' commas are not the declaration's.
        assert_same(
            TS,
            "const m = new Map<string, Array<number>>(), n = require('n');\n\
             const g = <A, B>(a: A, b: B): void => {}, w = require('w');\n\
             function f<T = unknown, U extends Map<string, T> =\n  Map<string, T>,\n>() {\n  function Inner() { this.x = 1; }\n}\n\
             class K<T> extends Base<\n  T\n> {\n  x!: Map<\n    string\n  >\n  constructor(\n    a: string,\n  ) {\n    super();\n  }\n}\n\
             const t: Record<string, X> = require('t'), u = require('u');\n\
             const cmp = a < b, v = require('v');\n",
        );
        assert_same(
            TS,
            "import type { A } from './types';\nimport { type B, C } from 'c';\nimport type D from 'd';\n\
             import def, * as all from 'e';\nconst typed: Foo = require('typed');\n\
             declare module 'm' {\n  import { x } from 'inner';\n}\nexport default class {}\n",
        );
    }

    #[test]
    fn types_match_the_full_front_end() {
        assert_same(
            TS,
            "export class A extends B implements C {\n  x = 1;\n  m(): void {}\n}\n\
             abstract class Abs<T extends { a: 1 }> {}\nconst Expr = class {};\n\
             export interface Hooks<T> extends Base {\n  start(): void;\n  stop?(): void;\n  init<T>(x: T): T;\n  \
             provideDb(): Db;\n  setup: () => void;\n  new (): Hooks<T>;\n  (x: number): string;\n  'teardown'(): void;\n}\n\
             interface Empty {}\nenum Color { Red, Green = 'g' }\nconst enum Flag { On }\n\
             declare enum Ambient { X }\nlet obj = { class: 1, interface: 2 };\nobj.class;\n",
        );
        assert_same(
            JS,
            "function Point(x) {\n  this.x = x;\n}\nfunction lower() { this.y = 1; }\n\
             function Plain() { return 1; }\nconst Expr = function Named() { this.z = 1; };\n\
             (function () {\n  function Inner() { this.q = 1; }\n})();\nclass K { m() { function Deep() { this.d = 1; } } }\n",
        );
    }

    #[test]
    fn dependency_injection_names_match_the_full_front_end() {
        assert_same(
            JS,
            "function resolveAll() {}\nconst provideX = () => 1;\nlet injectY = async function () {};\n\
             class S {\n  getService() {}\n  resolve(x) { return x; }\n  static serviceFor = (a) => a;\n  #inject() {}\n  \
             get component() { return 1; }\n}\nconst o = {\n  resolve: function () {},\n  'provideIt': () => 2,\n  \
             injector() {},\n  plain: resolve,\n  named: function resolveNamed() {},\n};\n\
             exports.resolveThing = function () {};\nFoo.prototype.resolveProto = function () {};\n\
             new Promise((resolve, reject) => resolve(1));\npath.resolve(a, b);\n\
             const notFn = resolveValue(1);\nconst bound = function () {}.bind(this);\n",
        );
        assert_same(
            JS,
            "resolvers[type] = () => {};\nthis.a.resolveB = () => {};\n",
        );
        assert_same(
            TS,
            "class S {\n  constructor(private readonly userService: UserService) {}\n  \
             resolve(token: Token): Service {\n    return this.userService.get(token);\n  }\n  \
             resolveMany(a: string): void;\n  resolveMany(a: any) {}\n  private injectMe: Injector;\n  \
             provider: () => void = () => {};\n}\ndeclare function resolveDeclared(): void;\n\
             function resolveTyped(x: T): T;\nexport function provideIt(): { a: 1 } {\n  return { a: 1 };\n}\n",
        );
    }

    #[test]
    fn objects_after_a_conditional_are_objects() {
        assert_same(
            JS,
            "export default env ? {\n  write(a) { return a; },\n} : {\n  write() {},\n  resolveIt() {},\n};\n",
        );
    }

    #[test]
    fn strings_templates_comments_and_regexes_hide_code() {
        assert_same(
            JS,
            "const s = 'import x from \"y\"'; // require('z')\n/* class Fake {} */\nconst t = `${a ? `n${b}` : 'c'} class T {}`;\n\
             const r = /require\\('x'\\)[/]class/g.test(s);\nconst d = a / b / c;\nif (x) /re/.test(y);\n\
             const e = \"es\\\"caped\";\nconst u = 'ünïcode';\nlet q = x?.y ?? z?.[0];\nlabel: for (;;) { break label; }\n\
             switch (k) { case 1: default: }\nconst big = 1_000n + 0x1F + .5 + 1e-3;\n",
        );
        assert_same(
            TS,
            "let x: Map<string, Array<number>> = new Map();\nlet y = <T>(a: T): T => a;\nclass A { m<T>(a?: T) {} }\n",
        );
    }

    #[test]
    fn shapes_read_from_bodies_need_the_parse() {
        assert_refused(
            JS,
            "Reflect.defineMetadata('k', v, target);\n",
            "defineMetadata",
        );
        assert_refused(
            JS,
            "const m = Reflect.getMetadata('k', t);\n",
            "getMetadata",
        );
        assert_refused(TS, "class C { m: Map<type, X> = new Map(); }\n", "type key");
        assert_refused(TS, "class C { v: Vec<Box<dyn>> }\n", "chain");
        assert_refused(
            JS,
            "const plugins = {};\nfunction register(name, plugin) {\n  plugins[name] = plugin;\n}\n",
            "registry",
        );
        assert_refused(
            JS,
            "class R {\n  constructor() { this.m = new Map(); }\n  use(name, fn) { this.m.set(name, fn); }\n}\n",
            "registry",
        );
        // Without a store, a map and a registration name are no registry.
        assert_same(
            JS,
            "const plugins = {};\nfunction register(name, plugin) {\n  return plugins;\n}\n",
        );
        // `Reflect` without metadata is read.
        assert_same(JS, "const keys = Reflect.ownKeys(o);\n");
    }

    #[test]
    fn names_it_cannot_settle_need_the_parse() {
        assert_refused(JS, "class A { [resolve]() {} }\n", "computed name");
        assert_refused(
            JS,
            "run(function resolveIt() {});\n",
            "function argument name",
        );
        assert_refused(TS, "const o = { resolve: () => 1 };\n", "typed key");
        assert_refused(JS, "const { resolve } = () => 1;\n", "pattern name");
        assert_refused(JS, "function f(resolve = () => 1) {}\n", "default value");
        assert_refused(TS, "class A { resolve<T>() {} }\n", "generic member");
        assert_refused(
            TS,
            "function resolve<T>(x: T): T { return x; }\n",
            "generic function",
        );
        assert_refused(
            JS,
            "const resolveIt = function () {}.call(this);\n",
            "function value",
        );
    }

    #[test]
    fn syntax_it_does_not_follow_needs_the_parse() {
        assert_refused("a.jsx", "const x = <div class='a'>don't</div>;\n", "jsx");
        assert_refused(JS, "const x = (1, 2;\n", "unbalanced");
        assert_refused(JS, "const x = 'open\n", "unterminated string");
        assert_refused(JS, "const x = `open\n", "unterminated template");
        assert_refused(JS, "/* open\n", "unterminated comment");
        assert_refused(JS, "function f(x: number) {}\n", "parameters");
        assert_refused(JS, "const f = (x: number) => x;\n", "annotation");
        assert_refused(JS, "// @flow\nconst x = 1;\n", "flow");
        assert_refused(JS, "import type { A } from 'a';\n", "import type");
        assert_refused(JS, "enum E { A }\n", "two operands");
        assert_refused(JS, "foo bar;\n", "two operands");
        assert_refused(JS, "const x = 5px;\n", "number");
        assert_refused(JS, "x = a\\u0062;\n", "identifier escape");
        assert_refused(JS, "const x = 1\rconst y = 2;\n", "carriage return");
        assert_refused(JS, "const x = é;\n", "character");
        assert_refused(JS, "x = {}\n/re/.test(y);\n", "slash after brace");
        assert_refused(JS, "export { _null as null };\n", "reserved specifier");
        assert_refused(JS, "f(a, var b);\n", "statement in expression");
        assert_refused(JS, "f(a +);\n", "operator before bracket");
        assert_refused(JS, "x = { ? 1 };\n", "operator after operator");
        assert_refused(
            JS,
            "function f() {\n  g(x) {\n  }\n}\n",
            "call before block",
        );
        assert_refused(JS, "return a\n  : b;\n", "colon");
        assert_refused(JS, "x = a ? b;\n", "conditional");
        assert_refused(JS, "const o = { m(!x) {} };\n", "parameters");
        assert_refused(JS, "class A {\n  return 1;\n}\n", "statement in class body");
        assert_refused(TS, "import x = require('x');\n", "import equals");
        assert_refused(
            JS,
            "const x = require('a' /* c */);\nconst y = require(/* c */ 'b');\n",
            "require comment",
        );
        assert_refused(JS, "const x = require('a\\x62');\n", "require escape");
        assert_refused(
            JS,
            "var a = 1,\n/** doc */\nfunction f() {}\n",
            "declaration",
        );
        assert_refused(JS, "x = {} else y();\n", "continuation");
        assert_refused(JS, "while (a) { b(); } else { c(); }\n", "else without if");
        assert_refused(JS, "x = 1;\ny = 2;\nelse z();\n", "else without if");
        assert_same(
            JS,
            "if (a) { b(); } else if (c) d();\nelse e();\nif (f) g()\nelse { h(); }\n\
             if (i) j = function () {}; else k = [1];\n",
        );
        assert_refused(JS, "x = 1;\nfinally {}\n", "continuation");
        assert_refused(TS, "const a = b<c, d = require('d');\n", "generic value");
    }

    #[test]
    fn register_names_match_the_summary() {
        assert!(is_register_name("RegisterPlugin"));
        assert!(is_register_name("add"));
        assert!(is_register_name("useState"));
        assert!(!is_register_name("#register"));
        assert!(!is_register_name("ad"));
        assert!(!is_register_name("'register'"));
    }

    #[test]
    fn every_javascript_and_typescript_fixture_the_light_front_end_reads_gives_the_full_summary() {
        let (mut read_files, mut refused) = (0, 0);
        for extension in ["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"] {
            for (rel, text) in crate::test_support::fixture_files_or_none(extension) {
                let Ok(facts) = light_facts(&rel, &text) else {
                    refused += 1;
                    continue;
                };
                let Ok(full) = crate::frontend::extract_file(
                    crate::frontend::FileKind::Source(language_of(&rel)),
                    &rel,
                    &text,
                ) else {
                    continue;
                };
                read_files += 1;
                assert!(
                    full.problem.is_none(),
                    "{rel}: read lightly but partial in full"
                );
                // Imports in order and with their lines (`link::clients_of` reads them).
                assert_eq!(facts.imports, full.facts.imports, "{rel}");
                let Some((a, b)) = crate::test_support::light_and_full_summaries(
                    language_of(&rel),
                    &rel,
                    &facts,
                    &text,
                ) else {
                    continue;
                };
                assert_eq!(a, b, "{rel}");
            }
        }
        assert!(
            read_files > 20,
            "only {read_files} fixtures read by the light front-end ({refused} refused)"
        );
    }
}
