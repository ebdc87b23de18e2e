//! Language-neutral facts: what a front-end extracts from one source file.
//!
//! A file is read and parsed exactly once; the front-end turns its syntax tree into these plain
//! values and drops the tree. Every rule works on facts only, so a new front-end (tree-sitter for
//! Python, JavaScript, Go, ...) makes every existing rule work for its language, given
//! per-language vocabulary.
//!
//! Names are stored as the source spells them. Paths use `::` whatever the language, so
//! `std::net::TcpListener::bind` and `socket.socket` compare the same way (`last_segments`).

use crate::finding::LineSpan;

/// The languages the scanner understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    Rust,
    Python,
    JavaScript,
    TypeScript,
    Go,
    /// Dockerfiles, compose files, Kubernetes manifests, Helm charts, Terraform, systemd units,
    /// crontabs and Ansible playbooks. Reported as its own line of the language table and left
    /// out of the code lines the build cost is computed from (`Report::code_lines`).
    Infrastructure,
}

impl Language {
    /// Every language, in report order.
    pub const ALL: [Language; 6] = [
        Language::Rust,
        Language::Python,
        Language::JavaScript,
        Language::TypeScript,
        Language::Go,
        Language::Infrastructure,
    ];

    /// The stable lowercase id.
    pub const fn id(self) -> &'static str {
        match self {
            Language::Rust => "rust",
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Go => "go",
            Language::Infrastructure => "infrastructure",
        }
    }
}

/// Line counts of a file, tokei-style: a line with any code is code; a line with only comment
/// text is a comment; a line with only white space is blank.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineCounts {
    pub code: u32,
    pub comment: u32,
    pub blank: u32,
}

impl LineCounts {
    pub fn total(&self) -> u32 {
        self.code + self.comment + self.blank
    }
}

/// Everything the rules may know about one file.
#[derive(Debug, Clone)]
pub struct FileFacts {
    /// Relative to the scanned root, `/`-separated.
    pub path: String,
    pub language: Language,
    pub lines: LineCounts,
    /// `code_prefix[n]` is the number of code lines among lines `1..=n`; index 0 is 0.
    /// It answers "how many code lines does this span cover" in constant time.
    pub code_prefix: Vec<u32>,
    pub imports: Vec<Import>,
    pub types: Vec<TypeDef>,
    pub functions: Vec<Function>,
    /// String literals anywhere in the file (constants included), in source order. Byte
    /// strings (`b"..."`) are included, decoded lossily as UTF-8.
    pub literals: Vec<Literal>,
    /// Array literals made of integer literals (lookup and constant tables), outermost only.
    pub int_tables: Vec<IntTable>,
    /// Servers declared by an infrastructure file (empty for source code).
    pub infra: Vec<crate::InfraServer>,
    /// Macros defined in the file: `macro_rules!` and procedural macros.
    pub macros: Vec<MacroDef>,
    /// Names (last path segment) of the macros invoked anywhere in the file, sorted, once each.
    pub macro_uses: Vec<String>,
    /// Global items (`static`, `OnceLock`/`Lazy` holders) with their types as written.
    pub statics: Vec<Field>,
}

impl FileFacts {
    /// Facts of a file with nothing extracted yet: front-ends start from this, so a new kind
    /// of fact is one field here, not one in every front-end.
    pub fn new(
        path: &str,
        language: Language,
        lines: LineCounts,
        code_prefix: Vec<u32>,
    ) -> FileFacts {
        FileFacts {
            path: path.to_owned(),
            language,
            lines,
            code_prefix,
            imports: Vec::new(),
            types: Vec::new(),
            functions: Vec::new(),
            literals: Vec::new(),
            int_tables: Vec::new(),
            infra: Vec::new(),
            macros: Vec::new(),
            macro_uses: Vec::new(),
            statics: Vec::new(),
        }
    }

    /// Code lines within `span` (inclusive); spans past the end are clipped.
    pub fn code_lines_in(&self, span: LineSpan) -> u32 {
        let last = self.code_prefix.len().saturating_sub(1);
        let end = (span.end as usize).min(last);
        let start = (span.start as usize).saturating_sub(1).min(end);
        self.code_prefix[end] - self.code_prefix[start]
    }

    /// The last line of the file (1-based), or 1 for an empty file.
    pub fn last_line(&self) -> u32 {
        u32::try_from(self.code_prefix.len().saturating_sub(1))
            .unwrap_or(u32::MAX)
            .max(1)
    }

    /// Whether any import path starts with one of `prefixes` (segment-aware: `tokio` matches
    /// `tokio::time` but not `tokio_util`).
    pub fn imports_any(&self, prefixes: &[&str]) -> bool {
        self.imports.iter().any(|i| {
            prefixes.iter().any(|p| {
                i.path == *p || (i.path.starts_with(p) && i.path[p.len()..].starts_with("::"))
            })
        })
    }

    /// Size and complexity of the functions lying within `span`.
    pub fn complexity_in(&self, span: LineSpan) -> crate::Complexity {
        let mut c = crate::Complexity::default();
        for f in self
            .functions
            .iter()
            .filter(|f| span.contains(f.span.start) && span.contains(f.span.end))
        {
            c.functions += 1;
            c.cyclomatic_sum += f.cyclomatic;
            c.cyclomatic_max = c.cyclomatic_max.max(f.cyclomatic);
            c.cognitive_sum += f.cognitive;
            c.cognitive_max = c.cognitive_max.max(f.cognitive);
        }
        c
    }

    /// The methods and free functions whose owner is `type_name`.
    pub fn methods_of<'a>(&'a self, type_name: &'a str) -> impl Iterator<Item = &'a Function> {
        self.functions
            .iter()
            .filter(move |f| f.owner.as_deref() == Some(type_name))
    }
}

/// A `use`/`import` of a module or item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// `::`-separated path, e.g. `std::net::TcpListener`. Globs end in `*`.
    pub path: String,
    pub line: u32,
}

/// A macro definition: `macro_rules!` with its arms, or a procedural macro entry point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroDef {
    /// The name it is invoked by (for a derive, the derived trait's name).
    pub name: String,
    pub line: u32,
    /// Rules of a `macro_rules!`; 1 for procedural macros.
    pub arms: u32,
    /// Whether its expansion invokes itself (recursive DSL parsing).
    pub recursive: bool,
    /// `#[proc_macro]`, `#[proc_macro_derive]` or `#[proc_macro_attribute]`.
    pub procedural: bool,
}

/// A string literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    pub value: String,
    pub line: u32,
    /// Whether the literal is used in code (inside a function body, outside `const`/`static`
    /// items) rather than stored in a table: tables are data, code is behaviour.
    pub in_body: bool,
}

/// An array literal of integer literals, such as a hash function's round constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntTable {
    pub line: u32,
    /// Integer literals in the array, nested arrays included.
    pub len: u32,
    /// How many of them are wider than 24 bits (random-looking constants, not small codes).
    pub wide: u32,
}

/// What kind of type definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    Struct,
    Enum,
    Trait,
    Union,
}

/// A type definition with its fields or variants.
#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub kind: TypeKind,
    pub span: LineSpan,
    pub fields: Vec<Field>,
    /// Enum variants; for traits, the names of every method (required and provided).
    pub variants: Vec<String>,
    pub is_public: bool,
}

impl TypeDef {
    /// The field called `name`, if any.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A named field (tuple fields are named `0`, `1`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    /// The type as written, with white space removed: `HashMap<K,V>`.
    pub ty: String,
}

/// A function or method, with the behaviour-bearing events of its body.
#[derive(Debug, Clone)]
pub struct Function {
    pub name: String,
    /// The type of the enclosing `impl` (or class), if any.
    pub owner: Option<String>,
    /// The trait being implemented, for trait impls.
    pub trait_impl: Option<String>,
    pub span: LineSpan,
    pub is_async: bool,
    pub is_public: bool,
    pub params: Vec<Field>,
    /// Cyclomatic complexity: 1 + decision points.
    pub cyclomatic: u32,
    /// Cognitive complexity (SonarSource): branches and loops weighted by their nesting.
    pub cognitive: u32,
    /// Loops in the body; `Event::loop_id` indexes this list.
    pub loops: Vec<LoopFact>,
    pub events: Vec<Event>,
}

impl Function {
    /// The events inside loop `id` or any loop nested in it.
    pub fn events_in_loop(&self, id: u32) -> impl Iterator<Item = &Event> {
        self.events
            .iter()
            .filter(move |e| e.loop_id.is_some_and(|l| self.loop_within(l, id)))
    }

    /// Whether loop `inner` is `outer` or nested inside it.
    pub fn loop_within(&self, inner: u32, outer: u32) -> bool {
        let mut current = Some(inner);
        while let Some(id) = current {
            if id == outer {
                return true;
            }
            current = self.loops.get(id as usize).and_then(|l| l.parent);
        }
        false
    }

    /// The calls in the body.
    pub fn calls(&self) -> impl Iterator<Item = (&Event, &Call)> {
        self.events.iter().filter_map(|e| match &e.kind {
            EventKind::Call(c) => Some((e, c)),
            _ => None,
        })
    }
}

/// A loop (`loop`, `while`, `for`, or the equivalent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoopFact {
    pub span: LineSpan,
    pub parent: Option<u32>,
    /// `for` loops over a range (`for attempt in 0..max`) count attempts by construction.
    pub counted_range: bool,
    /// The loop variable of a `for` loop, if a plain identifier.
    pub binding: Option<String>,
    /// What a `for` loop iterates over, rendered like an operand (`self.handlers[]`).
    pub iterable: Option<String>,
}

/// One thing a function body does, at a line, inside the innermost loop `loop_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub line: u32,
    pub loop_id: Option<u32>,
    pub kind: EventKind,
}

/// The kinds of behaviour the front-ends record.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// A call of a function, method or macro.
    Call(Call),
    /// A compound assignment `target op= rhs`.
    AssignOp {
        op: BinOp,
        target: String,
        rhs: String,
    },
    /// A binary operation; operands are short renderings (`self.cap`, `len()`, `2`).
    Binary { op: BinOp, lhs: String, rhs: String },
    /// A branch on failure: `Err(..)` pattern, `is_err()`, `?`, `catch`.
    ErrorBranch,
    /// A branch on absence: `None` pattern, `is_none()`, `if let Some`.
    NoneBranch,
    /// A `match`/`switch` over a value, with the patterns of its arms rendered.
    Match {
        scrutinee: String,
        arms: Vec<String>,
        /// What each arm evaluates to (a block's tail expression), rendered like an operand;
        /// same order and length as `arms`.
        results: Vec<String>,
    },
    /// A plain assignment `target = value` (compound ones are `AssignOp`).
    Assign { target: String, value: String },
    /// `break` or `return` (leaving a loop).
    Exit,
}

/// A call site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// `::`-separated callee path as written (`TcpListener::bind`, `thread::sleep`), or for a
    /// method call the method name alone (`accept`).
    pub callee: String,
    /// The receiver rendering for method calls (`self.map`, `listener`), empty otherwise.
    pub receiver: String,
    pub is_method: bool,
    pub is_macro: bool,
    /// Renderings of the arguments, shortened.
    pub args: Vec<String>,
}

impl Call {
    /// The last path segment (the function or method name).
    pub fn name(&self) -> &str {
        // A byte scan, not `rsplit("::")`: rules ask for names hundreds of thousands of times
        // a scan, and setting up a substring searcher each time cost 2% of it (callgrind).
        match self.callee.as_bytes().windows(2).rposition(|w| w == b"::") {
            Some(at) => &self.callee[at + 2..],
            None => &self.callee,
        }
    }

    /// Whether the callee path ends with `suffix` on a segment boundary
    /// (`std::thread::sleep` ends with `thread::sleep` and with `sleep`).
    pub fn ends_with(&self, suffix: &str) -> bool {
        self.callee == suffix
            || (self.callee.ends_with(suffix)
                && self.callee[..self.callee.len() - suffix.len()].ends_with("::"))
    }
}

/// Binary operators the rules care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Shl,
    Shr,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
    /// `^`, as in masking and mixing.
    BitXor,
    Other,
}

impl BinOp {
    /// Whether this is an ordering or equality comparison.
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(callee: &str) -> Call {
        Call {
            callee: callee.into(),
            receiver: String::new(),
            is_method: false,
            is_macro: false,
            args: vec![],
        }
    }

    #[test]
    fn call_suffix_matching_is_segment_aware() {
        let c = call("std::thread::sleep");
        assert!(c.ends_with("thread::sleep"));
        assert!(c.ends_with("sleep"));
        assert!(!c.ends_with("ead::sleep"));
        assert_eq!(c.name(), "sleep");
        assert!(!call("oversleep").ends_with("sleep"));
        for callee in ["", "a", "::", "a::", "::b", "a:::b", "é::ü", "x::y::zz"] {
            let reference = callee.rsplit("::").next().unwrap_or(callee);
            assert_eq!(call(callee).name(), reference, "{callee:?}");
        }
    }

    #[test]
    fn code_lines_in_span_uses_prefix_sums() {
        let facts = FileFacts {
            path: "a.rs".into(),
            language: Language::Rust,
            lines: LineCounts::default(),
            // lines 1..=4: code, blank, code, code
            code_prefix: vec![0, 1, 1, 2, 3],
            imports: vec![],
            types: vec![],
            functions: vec![],
            literals: vec![],
            int_tables: vec![],
            infra: vec![],
            macros: vec![],
            macro_uses: vec![],
            statics: vec![],
        };
        assert_eq!(facts.code_lines_in(LineSpan::new(1, 4)), 3);
        assert_eq!(facts.code_lines_in(LineSpan::new(2, 3)), 1);
        assert_eq!(facts.code_lines_in(LineSpan::new(3, 99)), 2);
        assert_eq!(facts.last_line(), 4);
    }
}
