//! The tree-sitter front-ends' shared machinery: parsing with a time budget, one iterative walk
//! over the tree, and the builders that turn nodes into `FileFacts`.
//!
//! The walk never recurses over the tree: a `TreeCursor` visits nodes in order, and every
//! construct that opens a scope (a function, a class, a loop, a nesting level) pushes a frame
//! tagged with its node's id, popped when the cursor leaves that node. Only operand rendering
//! recurses, and it stops at a fixed depth. Each language module (`python`, `javascript`,
//! `go`) maps its node kinds onto the calls below, and normalises its spellings where the rules
//! expect one (`this`/a Go receiver render as `self`, `len(x)` and `x.length` as `x.len()`,
//! `new Promise(r => setTimeout(r, ms))` as a `sleep` call).

use crate::source::Rejected;
use liability_model::{
    BinOp, Call, Event, EventKind, Field, FileFacts, Function, Import, IntTable, Language,
    LineCounts, LineSpan, Literal, LoopFact, SkipReason, TypeDef, TypeKind,
};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;
use std::time::{Duration, Instant};
use tree_sitter::{Node, Parser, Tree};

use super::Extracted;

/// Longest rendering of an operand kept in facts.
const MAX_RENDER: usize = 80;

/// How long one file may take to parse.
pub const PARSE_BUDGET: Duration = Duration::from_secs(2);

/// The grammars behind the tree-sitter languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grammar {
    Python,
    JavaScript,
    TypeScript,
    Tsx,
    Go,
}

impl Grammar {
    fn language(self) -> Language {
        match self {
            Grammar::Python => Language::Python,
            Grammar::JavaScript => Language::JavaScript,
            Grammar::TypeScript | Grammar::Tsx => Language::TypeScript,
            Grammar::Go => Language::Go,
        }
    }

    fn ts_language(self) -> tree_sitter::Language {
        match self {
            Grammar::Python => tree_sitter_python::LANGUAGE.into(),
            Grammar::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Grammar::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Grammar::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Grammar::Go => tree_sitter_go::LANGUAGE.into(),
        }
    }
}

/// Field ids by name for one grammar. `child_by_field_name` looks a name up by comparing it
/// with every field name of the grammar (`strncmp` was 6% of a Python scan); the walkers ask
/// for fields by name millions of times, so the ids are looked up once per grammar here.
/// foldhash's fixed-seed hasher: field names are a few bytes long, where SipHash's set-up
/// dominates, and the table is built once, so no per-process seed is needed.
struct FieldTable(std::collections::HashMap<Box<str>, u16, foldhash::fast::FixedState>);

fn field_table(grammar: Grammar) -> &'static FieldTable {
    static TABLES: [std::sync::OnceLock<FieldTable>; 5] = [const { std::sync::OnceLock::new() }; 5];
    let slot = match grammar {
        Grammar::Python => 0,
        Grammar::JavaScript => 1,
        Grammar::TypeScript => 2,
        Grammar::Tsx => 3,
        Grammar::Go => 4,
    };
    TABLES[slot].get_or_init(|| {
        let language = grammar.ts_language();
        let count = u16::try_from(language.field_count()).unwrap_or(u16::MAX);
        FieldTable(
            (1..=count)
                .filter_map(|id| Some((language.field_name_for_id(id)?.into(), id)))
                .collect(),
        )
    })
}

thread_local! {
    /// The field table of the grammar whose tree this thread is walking.
    static FIELDS: std::cell::Cell<Option<&'static FieldTable>> =
        const { std::cell::Cell::new(None) };
}

/// `node.field("name")`: the child in a named field, looked up through the walked grammar's
/// field table (see [`FieldTable`]).
pub(super) trait NodeField<'t> {
    fn field(&self, name: &str) -> Option<Node<'t>>;
}

impl<'t> NodeField<'t> for Node<'t> {
    fn field(&self, name: &str) -> Option<Node<'t>> {
        match FIELDS.with(std::cell::Cell::get) {
            Some(table) => table.0.get(name).and_then(|&id| self.child_by_field_id(id)),
            None => self.child_by_field_name(name),
        }
    }
}

thread_local! {
    /// One parser per thread: tree-sitter parsers are not shareable, and creating one per file
    /// would waste its internal buffers.
    static PARSER: std::cell::RefCell<Option<Parser>> = const { std::cell::RefCell::new(None) };
}

fn parse(grammar: Grammar, text: &str) -> Result<Tree, Rejected> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(Parser::new);
        parser
            .set_language(&grammar.ts_language())
            .map_err(|e| Rejected {
                reason: SkipReason::InternalError,
                detail: format!("grammar does not load: {e}"),
            })?;
        let started = Instant::now();
        let mut over_budget = |_: &tree_sitter::ParseState| {
            if started.elapsed() > PARSE_BUDGET {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let options = tree_sitter::ParseOptions::new().progress_callback(&mut over_budget);
        let bytes = text.as_bytes();
        let tree = parser.parse_with_options(
            &mut |offset, _| bytes.get(offset..).unwrap_or_default(),
            None,
            Some(options),
        );
        // A cancelled parse leaves state behind; the next file must start clean.
        parser.reset();
        tree.ok_or_else(|| Rejected {
            reason: SkipReason::ParseError,
            detail: "parse timed out".to_owned(),
        })
    })
}

/// Parses `text` with `grammar` and extracts its facts.
pub fn extract(
    grammar: Grammar,
    rel_path: &str,
    text: &str,
    lines: LineCounts,
    code_prefix: Vec<u32>,
) -> Result<Extracted, Rejected> {
    let tree = parse(grammar, text)?;
    FIELDS.with(|f| f.set(Some(field_table(grammar))));
    let mut w = Walker {
        src: text,
        grammar,
        facts: FileFacts::new(rel_path, grammar.language(), lines, code_prefix),
        fns: Vec::new(),
        frames: Vec::new(),
        scopes: Vec::new(),
        imported: BTreeSet::new(),
        named_imports: BTreeMap::new(),
        table_end: 0,
        errors: 0,
        first_error: None,
        current: usize::MAX,
        ancestors: Vec::new(),
    };
    w.walk(&tree);
    drop(tree);
    let problem = (w.errors > 0).then(|| {
        let (line, col) = w.first_error.unwrap_or((1, 1));
        Rejected {
            reason: SkipReason::ParseError,
            detail: format!("partial: {} error nodes, first at {line}:{col}", w.errors),
        }
    });
    let mut facts = w.facts;
    facts.functions.sort_by_key(|f| (f.span.start, f.span.end));
    facts.types.sort_by_key(|t| (t.span.start, t.span.end));
    Ok(Extracted {
        facts,
        problem,
        counted: true,
    })
}

/// A function being built while its body is walked.
pub(super) struct FnBuilder {
    function: Function,
    loop_stack: Vec<u32>,
    nesting: u32,
    /// The type this method's `self.x = ..` assignments add fields to (an index in `types`).
    owner_type: Option<usize>,
    /// The name the body uses for its receiver (`self`, `this`, a Go receiver), rendered `self`.
    receiver: Option<String>,
}

/// What leaving a node undoes.
enum Frame {
    Function,
    Loop,
    Nest,
    Scope,
}

/// A class or function scope, for owners: methods belong to the class directly around them.
#[derive(Clone)]
pub(super) enum Scope {
    Class { name: String, type_index: usize },
    Function,
}

pub(super) struct Walker<'s> {
    pub src: &'s str,
    pub grammar: Grammar,
    pub facts: FileFacts,
    fns: Vec<FnBuilder>,
    frames: Vec<(usize, Frame)>,
    scopes: Vec<Scope>,
    /// Names bound to imported modules or packages: `time.sleep` on one is a path call.
    pub imported: BTreeSet<String>,
    /// Names bound by a named import from a package under their own name, with the path they
    /// import (`import { createServer } from 'net'`: `createServer` → `net::createServer`).
    pub named_imports: BTreeMap<String, String>,
    /// The end byte of the integer table being counted; nested arrays are part of it.
    table_end: usize,
    errors: u32,
    first_error: Option<(usize, usize)>,
    /// The node being entered, and its ancestors as the cursor walked down to it: what the
    /// front-ends ask of a node's parent, without `Node::parent` (which searches down from the
    /// root each time: 6% of a Python scan).
    current: usize,
    ancestors: Vec<Ancestor>,
}

/// Node kinds whose literals are map keys.
fn map_key_kind(kind: &str) -> bool {
    matches!(kind, "pair" | "keyed_element" | "literal_element")
}

/// What the front-ends ask of a parent node.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ancestor {
    /// An expression statement (a string alone in one is a docstring).
    pub statement: bool,
    /// A map entry (`pair`, `keyed_element`, `literal_element`): its literals are keys.
    pub map_entry: bool,
    pub named_children: usize,
    /// A Python `__all__ = ...` or `__all__ += ...` assignment.
    pub all_assignment: bool,
    /// A list or tuple assigned to `__all__`.
    pub export_list: bool,
}

/// The 1-based line of a node's start.
pub(super) fn line(node: Node<'_>) -> u32 {
    u32::try_from(node.start_position().row + 1).unwrap_or(u32::MAX)
}

pub(super) fn span(node: Node<'_>) -> LineSpan {
    LineSpan::new(
        line(node),
        u32::try_from(node.end_position().row + 1).unwrap_or(u32::MAX),
    )
}

fn truncate(s: &mut String) {
    if s.len() > MAX_RENDER {
        let mut cut = MAX_RENDER;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
}

/// Decodes the common backslash escapes of a quoted string body.
pub(super) fn unescape(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('0') => out.push('\0'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                match u8::from_str_radix(&hex, 16) {
                    Ok(b) => out.push(char::from(b)),
                    Err(_) => out.push_str(&hex),
                }
            }
            Some('\n') => {}
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Maps an operator's spelling to a `BinOp`, and whether it assigns (`*=`).
pub(super) fn bin_op(text: &str) -> (BinOp, bool) {
    let (core, assign) = match text {
        "==" | "===" | "!=" | "!==" | "<=" | ">=" | "<<" | ">>" | ">>>" | "**" | "&&" | "||"
        | "??" => (text, false),
        t if t.len() > 1 && t.ends_with('=') => (&t[..t.len() - 1], true),
        t => (t, false),
    };
    let op = match core {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" | "//" => BinOp::Div,
        "%" => BinOp::Rem,
        "<<" => BinOp::Shl,
        ">>" | ">>>" => BinOp::Shr,
        "<" => BinOp::Lt,
        "<=" => BinOp::Le,
        ">" => BinOp::Gt,
        ">=" => BinOp::Ge,
        "==" | "===" | "is" => BinOp::Eq,
        "!=" | "!==" | "is not" | "<>" => BinOp::Ne,
        "&&" | "and" => BinOp::And,
        "||" | "or" => BinOp::Or,
        "^" => BinOp::BitXor,
        _ => BinOp::Other,
    };
    (op, assign)
}

impl<'s> Walker<'s> {
    pub fn text(&self, node: Node<'_>) -> &'s str {
        // The source is already `str`: slicing checks the two boundaries instead of
        // re-validating the node's bytes as UTF-8.
        self.src.get(node.byte_range()).unwrap_or("")
    }

    /// The node's text without white space (type annotations, field types).
    pub fn compact(&self, node: Node<'_>) -> String {
        let mut s: String = self
            .text(node)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        truncate(&mut s);
        s
    }

    fn walk(&mut self, tree: &Tree) {
        let mut cursor = tree.walk();
        loop {
            let node = cursor.node();
            if node.is_error() || node.is_missing() {
                self.errors += 1;
                if self.first_error.is_none() {
                    let p = node.start_position();
                    self.first_error = Some((p.row + 1, p.column + 1));
                }
            }
            self.current = node.id();
            let descend = self.enter(node);
            if descend && cursor.goto_first_child() {
                let entry = self.ancestor(node);
                self.ancestors.push(entry);
                continue;
            }
            loop {
                self.leave(cursor.node());
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
                self.ancestors.pop();
            }
        }
    }

    /// What the children of `node` will see of it as their parent.
    fn ancestor(&self, node: Node<'_>) -> Ancestor {
        let kind = node.kind();
        let all_assignment = self.grammar == Grammar::Python
            && matches!(kind, "assignment" | "augmented_assignment")
            && node
                .field("left")
                .is_some_and(|l| self.text(l) == "__all__");
        let export_list = matches!(kind, "list" | "tuple")
            && self.ancestors.last().is_some_and(|a| a.all_assignment);
        Ancestor {
            statement: kind == "expression_statement",
            map_entry: map_key_kind(kind),
            named_children: node.named_child_count(),
            all_assignment,
            export_list,
        }
    }

    /// The parent of `node` when it is the node being entered (its ancestors are known);
    /// `None` otherwise — then ask `node.parent()`.
    pub fn parent_of(&self, node: Node<'_>) -> Option<&Ancestor> {
        if node.id() == self.current {
            self.ancestors.last()
        } else {
            None
        }
    }

    /// Handles one node on the way in; `false` skips its children.
    fn enter(&mut self, node: Node<'_>) -> bool {
        // Keywords and punctuation share kind names with constructs (`class`, `lambda`).
        if !node.is_named() {
            return false;
        }
        match self.grammar {
            Grammar::Python => super::python::enter(self, node),
            Grammar::JavaScript | Grammar::TypeScript | Grammar::Tsx => {
                super::javascript::enter(self, node)
            }
            Grammar::Go => super::go::enter(self, node),
        }
    }

    fn leave(&mut self, node: Node<'_>) {
        let id = node.id();
        while let Some((frame_id, _)) = self.frames.last() {
            if *frame_id != id {
                break;
            }
            let Some((_, frame)) = self.frames.pop() else {
                break;
            };
            match frame {
                Frame::Function => {
                    self.scopes.pop();
                    if let Some(done) = self.fns.pop() {
                        self.facts.functions.push(done.function);
                    }
                }
                Frame::Loop => {
                    if let Some(top) = self.fns.last_mut() {
                        top.loop_stack.pop();
                    }
                }
                Frame::Nest => {
                    if let Some(top) = self.fns.last_mut() {
                        top.nesting = top.nesting.saturating_sub(1);
                    }
                }
                Frame::Scope => {
                    self.scopes.pop();
                }
            }
        }
    }

    pub fn in_function(&self) -> bool {
        !self.fns.is_empty()
    }

    // ---- functions, classes and scopes ----

    /// The class directly around the current position, if the innermost scope is a class.
    pub fn enclosing_class(&self) -> Option<(String, usize)> {
        match self.scopes.last() {
            Some(Scope::Class { name, type_index }) => Some((name.clone(), *type_index)),
            _ => None,
        }
    }

    /// Starts a function at `node`, ending when the walk leaves it. `owner` overrides the
    /// enclosing class (Go receivers, `X.prototype.m = function`).
    #[allow(clippy::too_many_arguments)]
    pub fn start_function(
        &mut self,
        node: Node<'_>,
        name: String,
        owner: Option<String>,
        params: Vec<Field>,
        is_async: bool,
        is_public: bool,
        receiver: Option<String>,
    ) {
        let class = self.enclosing_class();
        let (owner, owner_type) = match owner {
            Some(o) => {
                let index = self.facts.types.iter().position(|t| t.name == o);
                (Some(o), index)
            }
            None => match class {
                Some((name, index)) => (Some(name), Some(index)),
                None => (None, None),
            },
        };
        self.fns.push(FnBuilder {
            function: Function {
                name,
                owner,
                trait_impl: None,
                span: span(node),
                is_async,
                is_public,
                params,
                cyclomatic: 1,
                cognitive: 0,
                loops: Vec::new(),
                events: Vec::new(),
            },
            loop_stack: Vec::new(),
            nesting: 0,
            owner_type,
            receiver,
        });
        self.scopes.push(Scope::Function);
        self.frames.push((node.id(), Frame::Function));
    }

    /// Starts a class or struct type at `node`; methods walked inside it belong to it.
    pub fn start_class(&mut self, node: Node<'_>, name: String, kind: TypeKind, is_public: bool) {
        let index = self.add_type(TypeDef {
            name: name.clone(),
            kind,
            span: span(node),
            fields: Vec::new(),
            variants: Vec::new(),
            is_public,
        });
        self.scopes.push(Scope::Class {
            name,
            type_index: index,
        });
        self.frames.push((node.id(), Frame::Scope));
    }

    pub fn add_type(&mut self, def: TypeDef) -> usize {
        self.facts.types.push(def);
        self.facts.types.len() - 1
    }

    pub fn type_mut(&mut self, index: usize) -> Option<&mut TypeDef> {
        self.facts.types.get_mut(index)
    }

    /// Adds a field to the type the current method belongs to (`self.x = ..` in a method).
    pub fn add_owner_field(&mut self, name: String, ty: String) {
        let Some(index) = self.fns.last().and_then(|f| f.owner_type) else {
            return;
        };
        if let Some(def) = self.facts.types.get_mut(index)
            && def.field(&name).is_none()
        {
            def.fields.push(Field { name, ty });
        }
    }

    /// Whether `name` is the receiver of the current method (`self`, `this`, Go's `c`).
    pub fn is_receiver(&self, name: &str) -> bool {
        name == "self"
            || name == "this"
            || self
                .fns
                .iter()
                .rev()
                .find_map(|f| f.receiver.as_deref())
                .is_some_and(|r| r == name)
    }

    // ---- loops, nesting and complexity ----

    pub fn start_loop(&mut self, node: Node<'_>, counted_range: bool, binding: Option<String>) {
        self.complexity(1);
        self.cognitive(true);
        if let Some(top) = self.fns.last_mut() {
            let id = u32::try_from(top.function.loops.len()).unwrap_or(u32::MAX);
            top.function.loops.push(LoopFact {
                span: span(node),
                parent: top.loop_stack.last().copied(),
                counted_range,
                binding,
                iterable: None,
            });
            top.loop_stack.push(id);
            self.frames.push((node.id(), Frame::Loop));
        }
        self.nest(node);
    }

    /// Records what the loop just started iterates over (`for x of xs`, `range xs`).
    pub fn loop_iterable(&mut self, iterable: Node<'_>) {
        let rendered = self.render(iterable);
        if let Some(top) = self.fns.last_mut()
            && let Some(id) = top.loop_stack.last()
            && let Some(l) = top.function.loops.get_mut(*id as usize)
        {
            l.iterable = Some(rendered);
        }
    }

    /// Everything inside `node` is one level deeper for cognitive complexity.
    pub fn nest(&mut self, node: Node<'_>) {
        if let Some(top) = self.fns.last_mut() {
            top.nesting += 1;
            self.frames.push((node.id(), Frame::Nest));
        }
    }

    pub fn complexity(&mut self, n: u32) {
        if let Some(top) = self.fns.last_mut() {
            top.function.cyclomatic += n;
        }
    }

    /// A structural increment: 1, plus the nesting level when the construct nests.
    pub fn cognitive(&mut self, nests: bool) {
        if let Some(top) = self.fns.last_mut() {
            top.function.cognitive += 1 + if nests { top.nesting } else { 0 };
        }
    }

    /// An `if` (or `elif`/`else if`): `chained` links add 1 without nesting.
    pub fn branch(&mut self, node: Node<'_>, chained: bool) {
        self.complexity(1);
        self.cognitive(!chained);
        if !chained {
            self.nest(node);
        }
    }

    /// A `&&`/`||` operator: cyclomatic +1; cognitive +1 unless it continues a run of itself.
    pub fn boolean(&mut self, continues_run: bool) {
        self.complexity(1);
        if !continues_run {
            self.cognitive(false);
        }
    }

    // ---- events ----

    pub fn event(&mut self, line: u32, kind: EventKind) {
        if let Some(top) = self.fns.last_mut() {
            top.function.events.push(Event {
                line,
                loop_id: top.loop_stack.last().copied(),
                kind,
            });
        }
    }

    pub fn call(
        &mut self,
        line: u32,
        callee: String,
        receiver: String,
        is_method: bool,
        args: Vec<String>,
    ) {
        self.event(
            line,
            EventKind::Call(Call {
                callee,
                receiver,
                is_method,
                is_macro: false,
                args,
            }),
        );
    }

    pub fn binary(&mut self, node: Node<'_>, op: BinOp, lhs: Node<'_>, rhs: Node<'_>) {
        let (l, r) = (self.render(lhs), self.render(rhs));
        self.event(line(node), EventKind::Binary { op, lhs: l, rhs: r });
    }

    /// `target op= rhs`, and `x = x op y` read the same way.
    pub fn assign_op(&mut self, node: Node<'_>, op: BinOp, target: Node<'_>, rhs: Node<'_>) {
        let (target, rhs) = (self.render(target), self.render(rhs));
        self.event(line(node), EventKind::AssignOp { op, target, rhs });
    }

    pub fn import(&mut self, path: String, node: Node<'_>) {
        if !path.is_empty() {
            self.facts.imports.push(Import {
                path,
                line: line(node),
            });
        }
    }

    /// `base ** exp`: records a `pow` call, as Rust spells it, so growth rules see it.
    pub fn power(&mut self, node: Node<'_>, base: Node<'_>, exp: Node<'_>) {
        let (receiver, arg) = (self.render(base), self.render(exp));
        self.call(line(node), "pow".to_owned(), receiver, true, vec![arg]);
    }

    /// `x++`/`x--`: a compound assignment of 1, as Rust spells `x += 1`.
    pub fn increment(&mut self, node: Node<'_>, target: Node<'_>, op: BinOp) {
        let target = self.render(target);
        self.event(
            line(node),
            EventKind::AssignOp {
                op,
                target,
                rhs: "1".to_owned(),
            },
        );
    }

    /// `m[k] = v`: an indexed store reads like Rust's `m.insert(k, v)`, so registries and
    /// maps filled by subscript look the same in every language. Other targets: nothing.
    pub fn indexed_store(&mut self, node: Node<'_>, target: Node<'_>, value: Node<'_>) {
        if !matches!(
            target.kind(),
            "subscript" | "subscript_expression" | "index_expression"
        ) {
            return;
        }
        let container = target
            .field("value")
            .or_else(|| target.field("object"))
            .or_else(|| target.field("operand"));
        let key = target.field("subscript").or_else(|| target.field("index"));
        if let (Some(container), Some(key)) = (container, key) {
            let receiver = self.render(container);
            let args = vec![self.render(key), self.render(value)];
            self.call(line(node), "insert".to_owned(), receiver, true, args);
        }
    }

    /// A module-level variable holding a collection (`REGISTRY = {}`, `var drivers =
    /// make(map[string]Driver)`): a global, as Rust's `static`s are.
    pub fn global(&mut self, name: String, ty: String) {
        if !name.is_empty() && !self.in_function() {
            self.facts.statics.push(Field { name, ty });
        }
    }

    /// A `match`/`switch` over `scrutinee` with rendered `arms`: its complexity and its event.
    /// Arm results are not rendered for these languages yet (kept the same length as `arms`).
    pub fn match_event(&mut self, node: Node<'_>, scrutinee: String, arms: Vec<String>) {
        self.complexity(u32::try_from(arms.len().saturating_sub(1)).unwrap_or(u32::MAX));
        self.cognitive(true);
        let results = vec![String::new(); arms.len()];
        self.event(
            line(node),
            EventKind::Match {
                scrutinee,
                arms,
                results,
            },
        );
    }

    pub fn literal(&mut self, value: String, node: Node<'_>) {
        // Literals inside a function body are behaviour; module-level lists are data. Keys of a
        // module-level map are lookup keys the code dispatches on (like a `phf_map!` in Rust),
        // so they count as code.
        let is_map_key = match self.parent_of(node) {
            Some(parent) => parent.map_entry,
            None => node.parent().is_some_and(|p| map_key_kind(p.kind())),
        };
        let in_body = !self.fns.is_empty() || is_map_key;
        self.facts.literals.push(Literal {
            value,
            line: line(node),
            in_body,
        });
    }

    /// Counts an array literal of integers (outermost only) as an `IntTable`.
    pub fn int_table(&mut self, node: Node<'_>, array_kinds: &[&str], int_kinds: &[&str]) {
        if node.start_byte() < self.table_end {
            return;
        }
        let (mut len, mut wide) = (0u32, 0u32);
        let mut stack = vec![node];
        let mut cursor = node.walk();
        while let Some(n) = stack.pop() {
            for child in n.named_children(&mut cursor) {
                let kind = child.kind();
                if int_kinds.contains(&kind) {
                    len += 1;
                    let t = self.text(child).replace('_', "");
                    let t = t.trim_end_matches(['u', 'U', 'l', 'L', 'n']);
                    let v = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                        u128::from_str_radix(h, 16).ok()
                    } else {
                        t.parse::<u128>().ok()
                    };
                    if v.is_some_and(|v| v >= 1 << 24) {
                        wide += 1;
                    }
                } else if array_kinds.contains(&kind) || kind == "literal_element" {
                    stack.push(child);
                }
            }
        }
        if len > 0 {
            self.table_end = node.end_byte();
            self.facts.int_tables.push(IntTable {
                line: line(node),
                len,
                wide,
            });
        }
    }

    // ---- rendering ----

    /// A short rendering of an operand: names, fields, calls and literals; `_` for the rest.
    pub fn render(&self, node: Node<'_>) -> String {
        let mut s = self.render_depth(node, 0);
        truncate(&mut s);
        s
    }

    fn render_depth(&self, node: Node<'_>, depth: u8) -> String {
        if depth > 12 {
            return "…".to_owned();
        }
        let d = depth + 1;
        let field = |name: &str| node.field(name);
        match node.kind() {
            "identifier"
            | "property_identifier"
            | "field_identifier"
            | "type_identifier"
            | "shorthand_property_identifier"
            | "this"
            | "self"
            | "package_identifier" => {
                let t = self.text(node);
                if self.is_receiver(t) {
                    "self".to_owned()
                } else {
                    t.to_owned()
                }
            }
            "attribute" | "member_expression" | "selector_expression" => {
                let object = field("object").or_else(|| field("operand"));
                let prop = field("attribute")
                    .or_else(|| field("property"))
                    .or_else(|| field("field"));
                match (object, prop) {
                    (Some(o), Some(p)) => {
                        let p = self.text(p);
                        let o = self.render_depth(o, d);
                        if matches!(p, "length" | "size") && self.grammar != Grammar::Go {
                            format!("{o}.len()")
                        } else {
                            format!("{o}.{p}")
                        }
                    }
                    _ => "_".to_owned(),
                }
            }
            "subscript" | "subscript_expression" | "index_expression" => {
                match field("value")
                    .or_else(|| field("object"))
                    .or_else(|| field("operand"))
                {
                    Some(o) => format!("{}[]", self.render_depth(o, d)),
                    None => "_".to_owned(),
                }
            }
            "call" | "call_expression" => {
                let Some(f) = field("function") else {
                    return "_".to_owned();
                };
                let args = field("arguments");
                // `len(x)` reads like Rust's `x.len()`.
                if matches!(f.kind(), "identifier") && self.text(f) == "len" {
                    let mut c = args.map(|a| a.walk());
                    if let (Some(a), Some(c)) = (args, c.as_mut())
                        && let Some(first) = a.named_children(c).next()
                    {
                        return format!("{}.len()", self.render_depth(first, d));
                    }
                }
                format!("{}()", self.render_depth(f, d))
            }
            "new_expression" => match field("constructor") {
                Some(c) => format!("{}()", self.render_depth(c, d)),
                None => "_".to_owned(),
            },
            "string" | "template_string" | "interpreted_string_literal" | "raw_string_literal" => {
                format!("\"{}\"", self.string_value(node).unwrap_or_default())
            }
            "integer" | "float" | "number" | "int_literal" | "float_literal" | "none" | "None"
            | "null" | "undefined" | "nil" | "true" | "false" | "True" | "False" => {
                self.text(node).to_owned()
            }
            "parenthesized_expression"
            | "await"
            | "await_expression"
            | "unary_operator"
            | "unary_expression"
            | "not_operator"
            | "non_null_expression"
            | "as_expression"
            | "type_assertion"
            | "satisfies_expression" => {
                match node.named_child(
                    u32::try_from(node.named_child_count().saturating_sub(1)).unwrap_or(0),
                ) {
                    Some(inner) if node.named_child_count() > 0 => {
                        let inner_node = if node.kind() == "as_expression" {
                            node.named_child(0).unwrap_or(inner)
                        } else {
                            inner
                        };
                        self.render_depth(inner_node, d)
                    }
                    _ => "_".to_owned(),
                }
            }
            "binary_operator" | "binary_expression" | "boolean_operator" => {
                match (field("left"), field("operator"), field("right")) {
                    (Some(l), Some(o), Some(r)) => format!(
                        "{}{}{}",
                        self.render_depth(l, d),
                        self.text(o),
                        self.render_depth(r, d)
                    ),
                    _ => "_".to_owned(),
                }
            }
            _ => "_".to_owned(),
        }
    }

    /// The value of a string literal node, escapes decoded; `None` for other nodes.
    pub fn string_value(&self, node: Node<'_>) -> Option<String> {
        let text = self.text(node);
        match node.kind() {
            "raw_string_literal" => Some(text.trim_matches('`').to_owned()),
            "interpreted_string_literal" => Some(unescape(
                text.strip_prefix('"')?.strip_suffix('"').unwrap_or(""),
            )),
            "template_string" => Some(unescape(text.trim_matches('`'))),
            "string" if self.grammar == Grammar::Python => {
                let prefix_len = text.find(['"', '\'']).unwrap_or(0);
                let (prefix, rest) = text.split_at(prefix_len);
                let quote = if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
                    3
                } else {
                    1
                };
                let body = rest
                    .get(quote..rest.len().saturating_sub(quote))
                    .unwrap_or("");
                if prefix.contains(['r', 'R']) {
                    Some(body.to_owned())
                } else {
                    Some(unescape(body))
                }
            }
            "string" => {
                let body = text.get(1..text.len().saturating_sub(1)).unwrap_or("");
                Some(unescape(body))
            }
            _ => None,
        }
    }

    /// The arguments of a call, rendered.
    pub fn args(&self, arguments: Option<Node<'_>>) -> Vec<String> {
        let Some(a) = arguments else {
            return Vec::new();
        };
        let mut c = a.walk();
        a.named_children(&mut c)
            .filter(|n| n.kind() != "comment")
            .map(|n| self.render(n))
            .collect()
    }

    /// Records a call whose callee is `function` (an identifier or a member access), with
    /// `member_kinds` the node kinds of `a.b` and their object/property field names.
    pub fn call_of(
        &mut self,
        node: Node<'_>,
        function: Node<'_>,
        arguments: Option<Node<'_>>,
        member: (&str, &str, &str),
    ) {
        let args = self.args(arguments);
        let (member_kind, object_field, prop_field) = member;
        if function.kind() == member_kind
            && let (Some(object), Some(prop)) =
                (function.field(object_field), function.field(prop_field))
        {
            let name = self.text(prop).to_owned();
            if let Some(path) = self.module_path(object) {
                self.call(
                    line(prop),
                    format!("{path}::{name}"),
                    String::new(),
                    false,
                    args,
                );
            } else {
                let receiver = self.render(object);
                self.call(line(prop), name, receiver, true, args);
            }
            return;
        }
        let callee = match function.kind() {
            "identifier" => self.text(function).to_owned(),
            _ => self.render(function),
        };
        self.call(line(node), callee, String::new(), false, args);
    }

    /// `a.b.c` as the path `a::b::c` when `a` names an imported module or package, or a
    /// capitalised global (`Date`, `Math`, `Promise`); `None` otherwise.
    fn module_path(&self, object: Node<'_>) -> Option<String> {
        let mut parts = Vec::new();
        let mut n = object;
        for _ in 0..8 {
            match n.kind() {
                "identifier" | "package_identifier" => {
                    let t = self.text(n);
                    let global = self.grammar != Grammar::Python
                        && self.grammar != Grammar::Go
                        && t.starts_with(|c: char| c.is_ascii_uppercase());
                    if self.is_receiver(t) || !(self.imported.contains(t) || global) {
                        return None;
                    }
                    parts.push(t);
                    parts.reverse();
                    return Some(parts.join("::"));
                }
                "attribute" | "member_expression" | "selector_expression" => {
                    let prop = n
                        .field("attribute")
                        .or_else(|| n.field("property"))
                        .or_else(|| n.field("field"))?;
                    parts.push(self.text(prop));
                    n = n.field("object").or_else(|| n.field("operand"))?;
                }
                _ => return None,
            }
        }
        None
    }
}

/// Whether a node is `node`'s parent's field `name`.
pub(super) fn is_field_of(node: Node<'_>, name: &str) -> bool {
    node.parent()
        .and_then(|p| p.field(name))
        .is_some_and(|c| c.id() == node.id())
}

/// Shared checks for the front-ends' unit tests.
#[cfg(test)]
pub(super) mod test_util {
    use super::*;

    pub fn facts(grammar: Grammar, src: &str) -> Extracted {
        let syntax = match grammar {
            Grammar::Python => &crate::lines::PYTHON,
            Grammar::Go => &crate::lines::GO,
            _ => &crate::lines::JAVASCRIPT,
        };
        let (counts, prefix) = crate::lines::count(src, syntax);
        extract(grammar, "t", src, counts, prefix).expect("parses")
    }

    pub fn calls(f: &Function) -> Vec<String> {
        f.calls()
            .map(|(_, c)| {
                if c.is_method {
                    format!("{}.{}", c.receiver, c.callee)
                } else {
                    c.callee.clone()
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_and_maps_operators() {
        assert_eq!(unescape(r"a\r\n\r\nb\x41\'"), "a\r\n\r\nbA'");
        assert_eq!(bin_op("*="), (BinOp::Mul, true));
        assert_eq!(bin_op("==="), (BinOp::Eq, false));
        assert_eq!(bin_op("<="), (BinOp::Le, false));
        assert_eq!(bin_op("<<="), (BinOp::Shl, true));
        assert_eq!(bin_op("and"), (BinOp::And, false));
    }
}
