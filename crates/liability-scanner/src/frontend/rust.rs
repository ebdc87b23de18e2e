//! The Rust front-end: `syn` syntax tree to `FileFacts`.
//!
//! Runs on the scanner's parse threads (large stacks; see `crate::PARSE_STACK_SIZE`) after the
//! nesting guard. Every position is copied into owned facts while the tree is alive; then the
//! tree is dropped and proc-macro2's per-thread span map is cleared, because it otherwise keeps
//! a copy of every file parsed on that thread.

use super::nesting;
use crate::source::Rejected;
use liability_model::{
    BinOp, Call, Event, EventKind, Field, FileFacts, Function, Import, IntTable, Language,
    LineCounts, Literal, LoopFact, MacroDef, SkipReason, TypeDef, TypeKind,
};
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

/// Longest rendering of an expression operand kept in facts.
const MAX_RENDER: usize = 80;

/// Parses Rust `text` and extracts its facts.
pub fn extract(
    rel_path: &str,
    text: &str,
    lines: LineCounts,
    code_prefix: Vec<u32>,
) -> Result<FileFacts, Rejected> {
    let (depth, depth_line) = nesting::max_depth(text);
    if depth > nesting::MAX_DEPTH {
        return Err(Rejected {
            reason: SkipReason::TooDeep,
            detail: format!(
                "brackets nest {depth} deep (line {depth_line}); the limit is {}",
                nesting::MAX_DEPTH
            ),
        });
    }
    let mut facts = FileFacts::new(rel_path, Language::Rust, lines, code_prefix);
    let bare_docs = super::rust_light::doc_comments_bare(text);
    let result = match syn::parse_file(bare_docs.as_deref().unwrap_or(text)) {
        Ok(file) => {
            let mut extractor = Extractor {
                facts: &mut facts,
                stack: Vec::new(),
                owner: Vec::new(),
                in_item_data: 0,
            };
            extractor.visit_file(&file);
            drop(file);
            Ok(())
        }
        Err(err) => {
            let start = err.span().start();
            Err(Rejected {
                reason: SkipReason::ParseError,
                detail: format!("{}:{}: {err}", start.line, start.column + 1),
            })
        }
    };
    proc_macro2::extra::invalidate_current_thread_spans();
    result.map(|()| {
        facts.functions.sort_by_key(|f| (f.span.start, f.span.end));
        facts.types.sort_by_key(|t| (t.span.start, t.span.end));
        facts.macro_uses.sort();
        facts.macro_uses.dedup();
        facts
    })
}

fn line_of(span: Span) -> u32 {
    u32::try_from(span.start().line).unwrap_or(u32::MAX)
}

/// The lines a node spans, from its first token (`first`) to its last (`last`): what
/// `Spanned::span` gives, without its cost. `span()` prints the whole node back to tokens to
/// find the two ends, a copy of every function body (and of every loop, again per nesting
/// level), which was a tenth of the visitor's time.
fn lines_between(first: Span, last: Span) -> liability_model::LineSpan {
    liability_model::LineSpan::new(
        u32::try_from(first.start().line).unwrap_or(u32::MAX),
        u32::try_from(last.end().line).unwrap_or(u32::MAX),
    )
}

/// Where a node printed as outer attributes, then `then`, starts: its first outer attribute's
/// `#` (a doc comment's own span), else `then`.
fn after_attrs(attrs: &[syn::Attribute], then: Span) -> Span {
    attrs
        .iter()
        .find(|a| matches!(a.style, syn::AttrStyle::Outer))
        .map_or(then, |a| a.pound_token.spans[0])
}

/// The span of `pub` when `vis` prints one.
fn vis_span(vis: &syn::Visibility) -> Option<Span> {
    match vis {
        syn::Visibility::Public(token) => Some(token.span),
        syn::Visibility::Restricted(r) => Some(r.pub_token.span),
        syn::Visibility::Inherited => None,
    }
}

/// The first token of a signature: `const`, `async`, `safe` or `unsafe`, `extern` or `fn`.
fn sig_start(sig: &syn::Signature) -> Span {
    sig.constness
        .map(|t| t.span)
        .or(sig.asyncness.map(|t| t.span))
        .or(match sig.safety {
            syn::Safety::Safe(t) => Some(t.span),
            syn::Safety::Unsafe(t) => Some(t.span),
            syn::Safety::Default => None,
        })
        .or(sig.abi.as_ref().map(|a| a.extern_token.span))
        .unwrap_or(sig.fn_token.span)
}

/// Where a loop printed as outer attributes, a label, then `keyword` starts.
fn loop_start(attrs: &[syn::Attribute], label: Option<&syn::Label>, keyword: Span) -> Span {
    after_attrs(attrs, label.map_or(keyword, |l| l.name.apostrophe))
}

/// Tokens rendered without white space: `HashMap<K,V>`.
fn compact<T: ToTokens>(node: &T) -> String {
    let mut s = String::new();
    write_compact(node.to_token_stream(), &mut s);
    truncate(&mut s);
    s
}

/// Appends the tokens' text with all white space removed — what `to_string()` followed by a
/// white-space filter gives, without laying the text out with spaces first (rendering types
/// was 4% of a Rust scan).
fn write_compact(tokens: TokenStream, out: &mut String) {
    use std::fmt::Write;
    for token in tokens {
        match token {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    proc_macro2::Delimiter::Parenthesis => ("(", ")"),
                    proc_macro2::Delimiter::Brace => ("{", "}"),
                    proc_macro2::Delimiter::Bracket => ("[", "]"),
                    proc_macro2::Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write_compact(group.stream(), out);
                out.push_str(close);
            }
            TokenTree::Ident(ident) => {
                let _ = write!(out, "{ident}");
            }
            TokenTree::Punct(punct) => out.push(punct.as_char()),
            TokenTree::Literal(literal) => {
                out.extend(literal.to_string().chars().filter(|c| !c.is_whitespace()));
            }
        }
    }
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

fn path_string(path: &syn::Path) -> String {
    let mut out = String::new();
    for (i, seg) in path.segments.iter().enumerate() {
        if i > 0 {
            out.push_str("::");
        }
        out.push_str(&seg.ident.to_string());
    }
    out
}

/// A short rendering of an operand: paths, fields, calls and literals; `_` for the rest.
fn render(expr: &syn::Expr) -> String {
    let mut s = render_depth(expr, 0);
    truncate(&mut s);
    s
}

fn render_depth(expr: &syn::Expr, depth: u8) -> String {
    if depth > 12 {
        return "…".to_owned();
    }
    let d = depth + 1;
    match expr {
        syn::Expr::Path(p) => path_string(&p.path),
        syn::Expr::Field(f) => {
            let member = match &f.member {
                syn::Member::Named(id) => id.to_string(),
                syn::Member::Unnamed(ix) => ix.index.to_string(),
            };
            format!("{}.{member}", render_depth(&f.base, d))
        }
        syn::Expr::MethodCall(m) => format!("{}.{}()", render_depth(&m.receiver, d), m.method),
        syn::Expr::Call(c) => format!("{}()", render_depth(&c.func, d)),
        syn::Expr::Lit(l) => compact(&l.lit),
        syn::Expr::Paren(p) => render_depth(&p.expr, d),
        syn::Expr::Group(g) => render_depth(&g.expr, d),
        syn::Expr::Reference(r) => render_depth(&r.expr, d),
        syn::Expr::Cast(c) => render_depth(&c.expr, d),
        syn::Expr::Try(t) => render_depth(&t.expr, d),
        syn::Expr::Await(a) => render_depth(&a.base, d),
        syn::Expr::Unary(u) => render_depth(&u.expr, d),
        syn::Expr::Index(i) => format!("{}[]", render_depth(&i.expr, d)),
        syn::Expr::Binary(b) => format!(
            "{}{}{}",
            render_depth(&b.left, d),
            compact(&b.op),
            render_depth(&b.right, d)
        ),
        syn::Expr::Macro(m) => format!("{}!", path_string(&m.mac.path)),
        _ => "_".to_owned(),
    }
}

/// The value an expression evaluates to: a block's tail expression, or the expression.
fn tail(expr: &syn::Expr) -> &syn::Expr {
    let mut expr = expr;
    for _ in 0..8 {
        match expr {
            syn::Expr::Block(b) => match b.block.stmts.last() {
                Some(syn::Stmt::Expr(e, None)) => expr = e,
                _ => break,
            },
            syn::Expr::Paren(p) => expr = &p.expr,
            _ => break,
        }
    }
    expr
}

/// Counts the integer literals of an array literal and its nested arrays, and those wider than
/// 24 bits.
fn count_ints(array: &syn::ExprArray, len: &mut u32, wide: &mut u32, depth: u8) {
    if depth > 8 {
        return;
    }
    for elem in &array.elems {
        match elem {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(i),
                ..
            }) => {
                *len += 1;
                if i.base10_parse::<u128>().is_ok_and(|v| v >= 1 << 24) {
                    *wide += 1;
                }
            }
            syn::Expr::Array(inner) => count_ints(inner, len, wide, depth + 1),
            _ => {}
        }
    }
}

fn bin_op(op: &syn::BinOp) -> (BinOp, bool) {
    use syn::BinOp as S;
    match op {
        S::Add(_) => (BinOp::Add, false),
        S::Sub(_) => (BinOp::Sub, false),
        S::Mul(_) => (BinOp::Mul, false),
        S::Div(_) => (BinOp::Div, false),
        S::Rem(_) => (BinOp::Rem, false),
        S::Shl(_) => (BinOp::Shl, false),
        S::Shr(_) => (BinOp::Shr, false),
        S::Lt(_) => (BinOp::Lt, false),
        S::Le(_) => (BinOp::Le, false),
        S::Gt(_) => (BinOp::Gt, false),
        S::Ge(_) => (BinOp::Ge, false),
        S::Eq(_) => (BinOp::Eq, false),
        S::Ne(_) => (BinOp::Ne, false),
        S::And(_) => (BinOp::And, false),
        S::Or(_) => (BinOp::Or, false),
        S::AddAssign(_) => (BinOp::Add, true),
        S::SubAssign(_) => (BinOp::Sub, true),
        S::MulAssign(_) => (BinOp::Mul, true),
        S::DivAssign(_) => (BinOp::Div, true),
        S::RemAssign(_) => (BinOp::Rem, true),
        S::ShlAssign(_) => (BinOp::Shl, true),
        S::ShrAssign(_) => (BinOp::Shr, true),
        S::BitXor(_) => (BinOp::BitXor, false),
        S::BitXorAssign(_) => (BinOp::BitXor, true),
        S::BitAndAssign(_) | S::BitOrAssign(_) => (BinOp::Other, true),
        _ => (BinOp::Other, false),
    }
}

/// A function being built while its body is visited.
struct FnBuilder {
    function: Function,
    loop_stack: Vec<u32>,
    /// Structural nesting for cognitive complexity (branches, loops, closures).
    nesting: u32,
}

struct Extractor<'f> {
    facts: &'f mut FileFacts,
    /// Functions being visited; nested `fn` items push a new one.
    stack: Vec<FnBuilder>,
    /// The `impl` or `trait` being visited: (self type, trait).
    owner: Vec<(String, Option<String>)>,
    /// Depth of `const`/`static` items being visited: their literals are data tables.
    in_item_data: u32,
}

impl Extractor<'_> {
    fn event(&mut self, line: u32, kind: EventKind) {
        if let Some(top) = self.stack.last_mut() {
            top.function.events.push(Event {
                line,
                loop_id: top.loop_stack.last().copied(),
                kind,
            });
        }
    }

    /// Adds `n` to the cyclomatic complexity.
    fn complexity(&mut self, n: u32) {
        if let Some(top) = self.stack.last_mut() {
            top.function.cyclomatic += n;
        }
    }

    /// A structural increment of cognitive complexity: 1, plus the nesting level when the
    /// construct nests (SonarSource's definition).
    fn cognitive(&mut self, nests: bool) {
        if let Some(top) = self.stack.last_mut() {
            top.function.cognitive += 1 + if nests { top.nesting } else { 0 };
        }
    }

    /// Runs `f` one nesting level deeper.
    fn nested(&mut self, f: impl FnOnce(&mut Self)) {
        if let Some(top) = self.stack.last_mut() {
            top.nesting += 1;
        }
        f(self);
        if let Some(top) = self.stack.last_mut() {
            top.nesting = top.nesting.saturating_sub(1);
        }
    }

    fn literal(&mut self, value: String, line: u32) {
        let in_body = !self.stack.is_empty() && self.in_item_data == 0;
        self.facts.literals.push(Literal {
            value,
            line,
            in_body,
        });
    }

    /// String literals inside macro invocations, which `syn` leaves as tokens.
    fn macro_literals(&mut self, tokens: &TokenStream) {
        let mut stack = vec![tokens.clone().into_iter().peekable()];
        while let Some(iter) = stack.last_mut() {
            match iter.next() {
                // Attributes (`#[doc = ".."]`, doc comments) are not code.
                Some(TokenTree::Punct(p)) if p.as_char() == '#' => {
                    if matches!(iter.peek(), Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Bracket)
                    {
                        iter.next();
                    }
                }
                Some(TokenTree::Group(g)) => stack.push(g.stream().into_iter().peekable()),
                Some(TokenTree::Literal(lit)) => {
                    let line = line_of(lit.span());
                    // A key of a lookup map (`"jan" => 1` in `phf_map!`) maps input to values:
                    // that is parsing, even in a `static`; a plain list stays data.
                    let map_key = matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '=')
                        && self.stack.is_empty();
                    let value = match syn::parse_str::<syn::Lit>(&lit.to_string()) {
                        Ok(syn::Lit::Str(s)) => s.value(),
                        Ok(syn::Lit::ByteStr(s)) => {
                            String::from_utf8_lossy(&s.value()).into_owned()
                        }
                        _ => continue,
                    };
                    self.literal(value, line);
                    if map_key && let Some(last) = self.facts.literals.last_mut() {
                        last.in_body = true;
                    }
                }
                Some(_) => {}
                None => {
                    stack.pop();
                }
            }
        }
    }

    fn function<F: FnOnce(&mut Self)>(
        &mut self,
        sig: &syn::Signature,
        vis_public: bool,
        span: liability_model::LineSpan,
        body: F,
    ) {
        let (owner, trait_impl) = match self.owner.last() {
            Some((o, t)) => (Some(o.clone()), t.clone()),
            None => (None, None),
        };
        let params = sig
            .inputs
            .iter()
            .filter_map(|arg| match arg {
                syn::FnArg::Typed(pt) => Some(Field {
                    name: compact(&pt.pat),
                    ty: compact(&pt.ty),
                }),
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        self.stack.push(FnBuilder {
            function: Function {
                name: sig.ident.to_string(),
                owner,
                trait_impl,
                span,
                is_async: sig.asyncness.is_some(),
                is_public: vis_public,
                params,
                cyclomatic: 1,
                cognitive: 0,
                loops: Vec::new(),
                events: Vec::new(),
            },
            loop_stack: Vec::new(),
            nesting: 0,
        });
        // A nested fn item does not belong to the enclosing impl.
        let saved_owner = std::mem::take(&mut self.owner);
        if let Some(o) = saved_owner.last() {
            self.owner.push(o.clone());
        }
        body(self);
        self.owner = saved_owner;
        if let Some(done) = self.stack.pop() {
            self.facts.functions.push(done.function);
        }
    }

    fn enter_loop(
        &mut self,
        span: liability_model::LineSpan,
        counted_range: bool,
        binding: Option<String>,
        iterable: Option<String>,
    ) {
        if let Some(top) = self.stack.last_mut() {
            let id = u32::try_from(top.function.loops.len()).unwrap_or(u32::MAX);
            top.function.loops.push(LoopFact {
                span,
                parent: top.loop_stack.last().copied(),
                counted_range,
                binding,
                iterable,
            });
            top.loop_stack.push(id);
        }
    }

    fn exit_loop(&mut self) {
        if let Some(top) = self.stack.last_mut() {
            top.loop_stack.pop();
        }
    }

    fn pattern_branches(&mut self, pat: &syn::Pat, line: u32) {
        let text = compact(pat);
        if text.contains("Err(") {
            self.event(line, EventKind::ErrorBranch);
        }
        if text.contains("None") || text.starts_with("Some(") {
            self.event(line, EventKind::NoneBranch);
        }
    }

    fn type_def(
        &mut self,
        name: &syn::Ident,
        kind: TypeKind,
        span: liability_model::LineSpan,
        public: bool,
        fields: Vec<Field>,
        variants: Vec<String>,
    ) {
        self.facts.types.push(TypeDef {
            name: name.to_string(),
            kind,
            span,
            fields,
            variants,
            is_public: public,
        });
    }
}

fn fields_of(fields: &syn::Fields) -> Vec<Field> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| Field {
            name: f
                .ident
                .as_ref()
                .map_or_else(|| i.to_string(), ToString::to_string),
            ty: compact(&f.ty),
        })
        .collect()
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn flatten_use(tree: &syn::UseTree, prefix: &str, line: u32, out: &mut Vec<Import>) {
    let join = |name: &str| {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}::{name}")
        }
    };
    match tree {
        syn::UseTree::Path(p) => flatten_use(&p.tree, &join(&p.ident.to_string()), line, out),
        syn::UseTree::Name(n) => out.push(Import {
            path: join(&n.ident.to_string()),
            line,
        }),
        syn::UseTree::Rename(r) => out.push(Import {
            path: join(&r.ident.to_string()),
            line,
        }),
        syn::UseTree::Glob(_) => out.push(Import {
            path: join("*"),
            line,
        }),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten_use(t, prefix, line, out);
            }
        }
    }
}

/// The name a procedural macro is invoked by, when `attrs` declare one: the derived trait
/// for `#[proc_macro_derive(Name)]`, the function's name otherwise.
fn proc_macro_name(attrs: &[syn::Attribute], ident: &syn::Ident) -> Option<String> {
    attrs.iter().find_map(|a| {
        let path = a.path();
        if path.is_ident("proc_macro_derive") {
            let mut name = None;
            if let syn::Meta::List(list) = &a.meta {
                name = list.tokens.clone().into_iter().find_map(|t| match t {
                    TokenTree::Ident(i) => Some(i.to_string()),
                    _ => None,
                });
            }
            Some(name.unwrap_or_else(|| ident.to_string()))
        } else if path.is_ident("proc_macro") || path.is_ident("proc_macro_attribute") {
            Some(ident.to_string())
        } else {
            None
        }
    })
}

/// The items of a `lazy_static!` or `thread_local!` body: `static ref NAME: T = e;` is
/// `static NAME: T = e;` once `ref` is dropped (`thread_local!` bodies are plain statics).
/// The tokens keep their spans, so lines stay right. `None` when the body does not parse.
fn global_items(tokens: &TokenStream) -> Option<syn::File> {
    let mut out = Vec::new();
    let mut after_static = false;
    for tt in tokens.clone() {
        let is_ident = |name: &str| matches!(&tt, TokenTree::Ident(i) if i == name);
        let drop = after_static && is_ident("ref");
        after_static = is_ident("static");
        if !drop {
            out.push(tt);
        }
    }
    syn::parse2::<syn::File>(out.into_iter().collect()).ok()
}

/// The rules of a `macro_rules!` body (top-level `=>` tokens) and whether an expansion
/// invokes the macro itself.
fn macro_rules_shape(tokens: &TokenStream, name: &str) -> (u32, bool) {
    let mut arms = 0u32;
    let mut recursive = false;
    let mut prev_eq = false;
    for t in tokens.clone() {
        match &t {
            TokenTree::Punct(p) if p.as_char() == '=' => {
                prev_eq = p.spacing() == proc_macro2::Spacing::Joint;
                continue;
            }
            TokenTree::Punct(p) if p.as_char() == '>' && prev_eq => arms += 1,
            TokenTree::Group(g) if !recursive => recursive = invokes(&g.stream(), name, 0),
            _ => {}
        }
        prev_eq = false;
    }
    (arms, recursive)
}

/// Whether `tokens` hold `name !` at any depth (bounded).
fn invokes(tokens: &TokenStream, name: &str, depth: u8) -> bool {
    if depth > 32 {
        return false;
    }
    let mut prev_name = false;
    for t in tokens.clone() {
        match &t {
            TokenTree::Ident(i) => {
                prev_name = i == name;
                continue;
            }
            TokenTree::Punct(p) if p.as_char() == '!' && prev_name => return true,
            TokenTree::Group(g) if invokes(&g.stream(), name, depth + 1) => return true,
            _ => {}
        }
        prev_name = false;
    }
    false
}

/// Whether attributes mark test-only code (`#[test]`, `#[cfg(test)]`): tests exercise
/// infrastructure without being it, so their mocks must not become findings.
fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("test")
            || (a.path().is_ident("cfg") && compact(&a.meta).contains("cfg(test)"))
    })
}

impl Extractor<'_> {
    /// An `if` and its `else if`/`else` chain: each link adds 1 to cyclomatic complexity
    /// and, after the first, 1 (without nesting) to cognitive complexity.
    fn if_chain(&mut self, node: &syn::ExprIf) {
        self.complexity(1);
        self.visit_expr(&node.cond);
        self.nested(|this| this.visit_block(&node.then_branch));
        if let Some((_, else_branch)) = &node.else_branch {
            self.cognitive(false);
            match &**else_branch {
                syn::Expr::If(inner) => self.if_chain(inner),
                other => self.nested(|this| this.visit_expr(other)),
            }
        }
    }
}

impl<'ast> Visit<'ast> for Extractor<'_> {
    fn visit_item_mod(&mut self, node: &'ast syn::ItemMod) {
        if !is_test_only(&node.attrs) {
            visit::visit_item_mod(self, node);
        }
    }

    fn visit_item_const(&mut self, node: &'ast syn::ItemConst) {
        self.in_item_data += 1;
        visit::visit_item_const(self, node);
        self.in_item_data -= 1;
    }

    fn visit_item_static(&mut self, node: &'ast syn::ItemStatic) {
        self.facts.statics.push(Field {
            name: node.ident.to_string(),
            ty: compact(&node.ty),
        });
        self.in_item_data += 1;
        visit::visit_item_static(self, node);
        self.in_item_data -= 1;
    }

    fn visit_impl_item_const(&mut self, node: &'ast syn::ImplItemConst) {
        self.in_item_data += 1;
        visit::visit_impl_item_const(self, node);
        self.in_item_data -= 1;
    }

    fn visit_item_use(&mut self, node: &'ast syn::ItemUse) {
        let line = line_of(node.use_token.span);
        flatten_use(&node.tree, "", line, &mut self.facts.imports);
    }

    fn visit_item_struct(&mut self, node: &'ast syn::ItemStruct) {
        self.type_def(
            &node.ident,
            TypeKind::Struct,
            lines_between(
                after_attrs(
                    &node.attrs,
                    vis_span(&node.vis).unwrap_or(node.struct_token.span),
                ),
                match (&node.semi_token, &node.fields) {
                    (Some(semi), _) => semi.spans[0],
                    (None, syn::Fields::Named(named)) => named.brace_token.span.close(),
                    // Unreachable in parsed code (tuple and unit structs end with `;`).
                    (None, _) => node.ident.span(),
                },
            ),
            is_pub(&node.vis),
            fields_of(&node.fields),
            Vec::new(),
        );
        visit::visit_item_struct(self, node);
    }

    fn visit_item_enum(&mut self, node: &'ast syn::ItemEnum) {
        let variants = node.variants.iter().map(|v| v.ident.to_string()).collect();
        self.type_def(
            &node.ident,
            TypeKind::Enum,
            lines_between(
                after_attrs(
                    &node.attrs,
                    vis_span(&node.vis).unwrap_or(node.enum_token.span),
                ),
                node.brace_token.span.close(),
            ),
            is_pub(&node.vis),
            Vec::new(),
            variants,
        );
        visit::visit_item_enum(self, node);
    }

    fn visit_item_union(&mut self, node: &'ast syn::ItemUnion) {
        let fields = node
            .fields
            .named
            .iter()
            .map(|f| Field {
                name: f
                    .ident
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                ty: compact(&f.ty),
            })
            .collect();
        self.type_def(
            &node.ident,
            TypeKind::Union,
            lines_between(
                after_attrs(
                    &node.attrs,
                    vis_span(&node.vis).unwrap_or(node.union_token.span),
                ),
                node.fields.brace_token.span.close(),
            ),
            is_pub(&node.vis),
            fields,
            Vec::new(),
        );
        visit::visit_item_union(self, node);
    }

    fn visit_item_trait(&mut self, node: &'ast syn::ItemTrait) {
        let methods = node
            .items
            .iter()
            .filter_map(|i| match i {
                syn::TraitItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        self.type_def(
            &node.ident,
            TypeKind::Trait,
            lines_between(
                after_attrs(
                    &node.attrs,
                    vis_span(&node.vis)
                        .or(node.unsafety.map(|t| t.span))
                        .or(node.modifiers.auto_token.map(|t| t.span))
                        .unwrap_or(node.trait_token.span),
                ),
                node.brace_token.span.close(),
            ),
            is_pub(&node.vis),
            Vec::new(),
            methods,
        );
        self.owner.push((node.ident.to_string(), None));
        visit::visit_item_trait(self, node);
        self.owner.pop();
    }

    fn visit_item_impl(&mut self, node: &'ast syn::ItemImpl) {
        let self_ty = match &*node.self_ty {
            syn::Type::Path(p) => p
                .path
                .segments
                .last()
                .map_or_else(|| compact(&node.self_ty), |s| s.ident.to_string()),
            other => compact(other),
        };
        let trait_name = node
            .trait_
            .as_ref()
            .and_then(|(path, _)| path.segments.last().map(|s| s.ident.to_string()));
        self.owner.push((self_ty, trait_name));
        visit::visit_item_impl(self, node);
        self.owner.pop();
    }

    fn visit_item_fn(&mut self, node: &'ast syn::ItemFn) {
        if is_test_only(&node.attrs) {
            return;
        }
        if let Some(name) = proc_macro_name(&node.attrs, &node.sig.ident) {
            self.facts.macros.push(MacroDef {
                name,
                line: line_of(node.sig.ident.span()),
                arms: 1,
                recursive: false,
                procedural: true,
            });
        }
        // A free function has no owner even inside another function's impl.
        let saved = std::mem::take(&mut self.owner);
        let span = lines_between(
            after_attrs(
                &node.attrs,
                vis_span(&node.vis).unwrap_or_else(|| sig_start(&node.sig)),
            ),
            node.block.brace_token.span.close(),
        );
        self.function(&node.sig, is_pub(&node.vis), span, |this| {
            visit::visit_block(this, &node.block);
        });
        self.owner = saved;
    }

    fn visit_impl_item_fn(&mut self, node: &'ast syn::ImplItemFn) {
        let first = vis_span(&node.vis)
            .or(node.modifiers.defaultness.map(|t| t.span))
            .unwrap_or_else(|| sig_start(&node.sig));
        let span = lines_between(
            after_attrs(&node.attrs, first),
            node.block.brace_token.span.close(),
        );
        self.function(&node.sig, is_pub(&node.vis), span, |this| {
            visit::visit_block(this, &node.block);
        });
    }

    fn visit_trait_item_fn(&mut self, node: &'ast syn::TraitItemFn) {
        if let Some(block) = &node.default {
            let span = lines_between(
                after_attrs(&node.attrs, sig_start(&node.sig)),
                block.brace_token.span.close(),
            );
            self.function(&node.sig, true, span, |this| {
                visit::visit_block(this, block);
            });
        }
    }

    fn visit_item_macro(&mut self, node: &'ast syn::ItemMacro) {
        if node.mac.path.is_ident("macro_rules")
            && let Some(ident) = &node.ident
        {
            let (arms, recursive) = macro_rules_shape(&node.mac.tokens, &ident.to_string());
            self.facts.macros.push(MacroDef {
                name: ident.to_string(),
                line: line_of(ident.span()),
                arms,
                recursive,
                procedural: false,
            });
        }
        // `lazy_static!` and `thread_local!` declare globals the rules must see like `static`s.
        if node
            .mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "lazy_static" || s.ident == "thread_local")
            && let Some(items) = global_items(&node.mac.tokens)
        {
            for item in &items.items {
                if let syn::Item::Static(global) = item {
                    self.visit_item_static(global);
                }
            }
        }
        visit::visit_item_macro(self, node);
    }

    fn visit_macro(&mut self, node: &'ast syn::Macro) {
        let line = line_of(node.path.span());
        if let Some(last) = node.path.segments.last()
            && last.ident != "macro_rules"
        {
            self.facts.macro_uses.push(last.ident.to_string());
        }
        self.event(
            line,
            EventKind::Call(Call {
                callee: path_string(&node.path),
                receiver: String::new(),
                is_method: false,
                is_macro: true,
                args: Vec::new(),
            }),
        );
        self.macro_literals(&node.tokens);
    }

    fn visit_lit_str(&mut self, node: &'ast syn::LitStr) {
        self.literal(node.value(), line_of(node.span()));
    }

    fn visit_lit_byte_str(&mut self, node: &'ast syn::LitByteStr) {
        self.literal(
            String::from_utf8_lossy(&node.value()).into_owned(),
            line_of(node.span()),
        );
    }

    fn visit_expr_array(&mut self, node: &'ast syn::ExprArray) {
        let (mut len, mut wide) = (0, 0);
        count_ints(node, &mut len, &mut wide, 0);
        if len == 0 {
            visit::visit_expr_array(self, node);
            return;
        }
        {
            self.facts.int_tables.push(IntTable {
                line: line_of(node.bracket_token.span.open()),
                len,
                wide,
            });
        }
        // Nested arrays are counted in the outermost table; only visit the rest.
        for elem in &node.elems {
            if !matches!(elem, syn::Expr::Array(_) | syn::Expr::Lit(_)) {
                self.visit_expr(elem);
            }
        }
    }

    fn visit_expr_call(&mut self, node: &'ast syn::ExprCall) {
        let callee = match &*node.func {
            syn::Expr::Path(p) => path_string(&p.path),
            other => render(other),
        };
        self.event(
            line_of(node.func.span()),
            EventKind::Call(Call {
                callee,
                receiver: String::new(),
                is_method: false,
                is_macro: false,
                args: node.args.iter().map(render).collect(),
            }),
        );
        visit::visit_expr_call(self, node);
    }

    fn visit_expr_method_call(&mut self, node: &'ast syn::ExprMethodCall) {
        let name = node.method.to_string();
        let line = line_of(node.method.span());
        match name.as_str() {
            "is_err" | "is_ok" | "map_err" | "or_else" | "unwrap_or_else" | "ok" => {
                self.event(line, EventKind::ErrorBranch);
            }
            "is_none" | "is_some" => self.event(line, EventKind::NoneBranch),
            _ => {}
        }
        self.event(
            line,
            EventKind::Call(Call {
                callee: name,
                receiver: render(&node.receiver),
                is_method: true,
                is_macro: false,
                args: node.args.iter().map(render).collect(),
            }),
        );
        visit::visit_expr_method_call(self, node);
    }

    fn visit_expr_binary(&mut self, node: &'ast syn::ExprBinary) {
        let (op, assign) = bin_op(&node.op);
        let line = line_of(node.op.span());
        if matches!(op, BinOp::And | BinOp::Or) {
            self.complexity(1);
            // Cognitive complexity counts a run of one operator once: `a && b && c` is one.
            let continues_run = matches!(&*node.left, syn::Expr::Binary(l) if std::mem::discriminant(&l.op) == std::mem::discriminant(&node.op));
            if !continues_run {
                self.cognitive(false);
            }
        }
        let (lhs, rhs) = (render(&node.left), render(&node.right));
        let kind = if assign {
            EventKind::AssignOp {
                op,
                target: lhs,
                rhs,
            }
        } else {
            EventKind::Binary { op, lhs, rhs }
        };
        self.event(line, kind);
        visit::visit_expr_binary(self, node);
    }

    fn visit_expr_assign(&mut self, node: &'ast syn::ExprAssign) {
        self.event(
            line_of(node.eq_token.span),
            EventKind::Assign {
                target: render(&node.left),
                value: render(&node.right),
            },
        );
        // `x = x * 2` reads like `x *= 2` to the rules.
        if let syn::Expr::Binary(b) = &*node.right {
            let target = render(&node.left);
            let (op, _) = bin_op(&b.op);
            if render(&b.left) == target {
                self.event(
                    line_of(node.eq_token.span),
                    EventKind::AssignOp {
                        op,
                        target,
                        rhs: render(&b.right),
                    },
                );
            }
        }
        visit::visit_expr_assign(self, node);
    }

    fn visit_expr_if(&mut self, node: &'ast syn::ExprIf) {
        self.cognitive(true);
        self.if_chain(node);
    }

    fn visit_expr_closure(&mut self, node: &'ast syn::ExprClosure) {
        self.nested(|this| visit::visit_expr_closure(this, node));
    }

    fn visit_expr_let(&mut self, node: &'ast syn::ExprLet) {
        self.pattern_branches(&node.pat, line_of(node.let_token.span));
        visit::visit_expr_let(self, node);
    }

    fn visit_local(&mut self, node: &'ast syn::Local) {
        // `let Some(x) = .. else { .. }` branches on absence.
        if node.init.as_ref().is_some_and(|i| i.diverge.is_some()) {
            self.pattern_branches(&node.pat, line_of(node.let_token.span));
        }
        visit::visit_local(self, node);
    }

    fn visit_expr_match(&mut self, node: &'ast syn::ExprMatch) {
        let line = line_of(node.match_token.span);
        let arms: Vec<String> = node.arms.iter().map(|a| compact(&a.pat)).collect();
        let results: Vec<String> = node.arms.iter().map(|a| render(tail(&a.body))).collect();
        self.complexity(u32::try_from(arms.len().saturating_sub(1)).unwrap_or(u32::MAX));
        self.cognitive(true);
        for arm in &node.arms {
            self.pattern_branches(&arm.pat, line_of(arm.pat.span()));
        }
        self.event(
            line,
            EventKind::Match {
                scrutinee: render(&node.expr),
                arms,
                results,
            },
        );
        self.visit_expr(&node.expr);
        self.nested(|this| {
            for arm in &node.arms {
                this.visit_arm(arm);
            }
        });
    }

    fn visit_expr_try(&mut self, node: &'ast syn::ExprTry) {
        self.complexity(1);
        self.event(line_of(node.question_token.span), EventKind::ErrorBranch);
        visit::visit_expr_try(self, node);
    }

    fn visit_expr_break(&mut self, node: &'ast syn::ExprBreak) {
        self.event(line_of(node.break_token.span), EventKind::Exit);
        visit::visit_expr_break(self, node);
    }

    fn visit_expr_return(&mut self, node: &'ast syn::ExprReturn) {
        self.event(line_of(node.return_token.span), EventKind::Exit);
        visit::visit_expr_return(self, node);
    }

    fn visit_expr_loop(&mut self, node: &'ast syn::ExprLoop) {
        self.complexity(1);
        self.cognitive(true);
        let start = loop_start(&node.attrs, node.label.as_ref(), node.loop_token.span);
        let span = lines_between(start, node.body.brace_token.span.close());
        self.enter_loop(span, false, None, None);
        self.nested(|this| visit::visit_expr_loop(this, node));
        self.exit_loop();
    }

    fn visit_expr_while(&mut self, node: &'ast syn::ExprWhile) {
        self.complexity(1);
        self.cognitive(true);
        let start = loop_start(&node.attrs, node.label.as_ref(), node.while_token.span);
        let span = lines_between(start, node.body.brace_token.span.close());
        self.enter_loop(span, false, None, None);
        self.nested(|this| visit::visit_expr_while(this, node));
        self.exit_loop();
    }

    fn visit_expr_for_loop(&mut self, node: &'ast syn::ExprForLoop) {
        self.complexity(1);
        self.cognitive(true);
        self.visit_expr(&node.expr);
        let counted = matches!(&*node.expr, syn::Expr::Range(_));
        let binding = match &*node.pat {
            syn::Pat::Ident(id) => Some(id.ident.to_string()),
            _ => None,
        };
        let start = loop_start(&node.attrs, node.label.as_ref(), node.for_token.span);
        let span = lines_between(start, node.body.brace_token.span.close());
        self.enter_loop(span, counted, binding, Some(render(&node.expr)));
        self.visit_pat(&node.pat);
        self.nested(|this| this.visit_block(&node.body));
        self.exit_loop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_matches_the_spaced_rendering_without_white_space() {
        let samples = [
            "HashMap<String, Vec<Box<dyn Fn(&Event) -> Result<(), E> + Send>>>",
            "&'static [(&str, fn(u32) -> u32)]",
            "[u8; 4 * 1024]",
            "Option<r#type::Thing<{ N + 1 }>>",
            "foo(\"a b\", 'c', 1.5e3, b\"x y\", r#\"raw str\"#)",
            "<T as Iterator>::Item",
            "impl for<'a> Fn(&'a str) -> &'a str",
        ];
        for src in samples {
            let tokens: TokenStream = src.parse().expect("sample tokens");
            let spaced: String = tokens
                .to_string()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            assert_eq!(compact(&tokens), spaced, "{src}");
        }
    }
    use crate::lines;

    fn facts(src: &str) -> FileFacts {
        let (counts, prefix) = lines::count(src, &lines::RUST);
        extract("t.rs", src, counts, prefix).expect("parses")
    }

    /// The spans `Spanned::span` gives (the reference the token-bounded spans must equal).
    #[derive(Default)]
    struct SpannedLines {
        functions: Vec<liability_model::LineSpan>,
        types: Vec<liability_model::LineSpan>,
        loops: Vec<liability_model::LineSpan>,
    }

    fn lines<T: Spanned>(node: &T) -> liability_model::LineSpan {
        let span = node.span();
        liability_model::LineSpan::new(
            u32::try_from(span.start().line).expect("small"),
            u32::try_from(span.end().line).expect("small"),
        )
    }

    impl<'ast> Visit<'ast> for SpannedLines {
        fn visit_item_fn(&mut self, node: &'ast syn::ItemFn) {
            self.functions.push(lines(node));
            visit::visit_item_fn(self, node);
        }
        fn visit_impl_item_fn(&mut self, node: &'ast syn::ImplItemFn) {
            self.functions.push(lines(node));
            visit::visit_impl_item_fn(self, node);
        }
        fn visit_trait_item_fn(&mut self, node: &'ast syn::TraitItemFn) {
            if node.default.is_some() {
                self.functions.push(lines(node));
            }
            visit::visit_trait_item_fn(self, node);
        }
        fn visit_item_struct(&mut self, node: &'ast syn::ItemStruct) {
            self.types.push(lines(node));
        }
        fn visit_item_enum(&mut self, node: &'ast syn::ItemEnum) {
            self.types.push(lines(node));
        }
        fn visit_item_union(&mut self, node: &'ast syn::ItemUnion) {
            self.types.push(lines(node));
        }
        fn visit_item_trait(&mut self, node: &'ast syn::ItemTrait) {
            self.types.push(lines(node));
            visit::visit_item_trait(self, node);
        }
        fn visit_expr_loop(&mut self, node: &'ast syn::ExprLoop) {
            self.loops.push(lines(node));
            visit::visit_expr_loop(self, node);
        }
        fn visit_expr_while(&mut self, node: &'ast syn::ExprWhile) {
            self.loops.push(lines(node));
            visit::visit_expr_while(self, node);
        }
        fn visit_expr_for_loop(&mut self, node: &'ast syn::ExprForLoop) {
            self.loops.push(lines(node));
            visit::visit_expr_for_loop(self, node);
        }
    }

    #[test]
    fn doc_comments_are_not_literals_and_items_start_at_their_docs() {
        let f = facts(
            "//! Speaks HTTP/1.1\n\n/// GET / HTTP/1.1\n#[derive(Debug)]\npub struct S {\n    /// field doc\n    x: u8,\n}\n\n/** block\n doc */\nfn a() {\n    let _ = \"code\";\n}\n",
        );
        let literals: Vec<&str> = f.literals.iter().map(|l| l.value.as_str()).collect();
        assert_eq!(literals, ["code"]);
        assert_eq!(f.types[0].span, liability_model::LineSpan::new(3, 8));
        assert_eq!(f.functions[0].span, liability_model::LineSpan::new(10, 14));
    }

    #[test]
    fn item_and_loop_spans_equal_what_spanned_gives() {
        let src = "/// Doc\n/// more\n#[inline]\npub(crate) const unsafe fn a() {\n    'outer: loop {\n        break;\n    }\n}\n\
            #[derive(Debug)]\nstruct T(u8)\nwhere\n    u8: Copy;\nstruct U;\n/** block\n doc */\npub struct N {\n    x: u8,\n}\n\
            enum E {\n    A,\n}\n#[repr(C)]\nunion W {\n    a: u8,\n}\nunsafe auto trait M {}\n/// t\npub trait R {\n    /// d\n    fn d(&self) {\n        while true {}\n    }\n    fn e(&self);\n}\n\
            impl R for N {\n    #[cfg(x)]\n    default fn d(&self) {\n        #[allow(x)]\n        for i in 0..3 {\n            let _ = i;\n        }\n    }\n    pub async fn f() {}\n    extern \"C\" fn g() {}\n}\n\
            fn h() {\n    'l: while let Some(x) = None::<u8> {\n        let _ = x;\n    }\n    'm: for _ in [1] {}\n    #[allow(x)]\n    loop {}\n}\n";
        let f = facts(src);
        let mut want = SpannedLines::default();
        want.visit_file(&syn::parse_file(src).expect("parses"));
        let got_functions: Vec<_> = f.functions.iter().map(|x| x.span).collect();
        let got_types: Vec<_> = f.types.iter().map(|x| x.span).collect();
        let got_loops: Vec<_> = f
            .functions
            .iter()
            .flat_map(|x| x.loops.iter().map(|l| l.span))
            .collect();
        want.functions.sort_by_key(|s| (s.start, s.end));
        assert_eq!(got_functions, want.functions);
        assert_eq!(got_types, want.types);
        assert_eq!(got_loops, want.loops);
        assert_eq!(got_functions.len(), 6);
        assert_eq!(got_types.len(), 7);
        assert_eq!(got_loops.len(), 6);
    }

    #[test]
    fn extracts_imports_types_and_functions() {
        let f = facts(
            "use std::{net::TcpListener, collections::HashMap as Map};\nuse tokio::*;\n\
             pub struct Cache { map: HashMap<String, u32>, cap: usize }\n\
             impl Cache {\n    pub fn get(&self) -> u32 { if self.map.len() >= self.cap { 1 } else { 2 } }\n}\n",
        );
        let imports: Vec<_> = f.imports.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            imports,
            [
                "std::net::TcpListener",
                "std::collections::HashMap",
                "tokio::*"
            ]
        );
        assert_eq!(f.types[0].name, "Cache");
        assert_eq!(f.types[0].fields[0].ty, "HashMap<String,u32>");
        let get = &f.functions[0];
        assert_eq!(get.owner.as_deref(), Some("Cache"));
        assert_eq!(get.cyclomatic, 2);
        assert_eq!(get.cognitive, 2, "if (+1) and its else (+1)");
        assert!(get.events.iter().any(|e| matches!(&e.kind,
            EventKind::Binary { op: BinOp::Ge, lhs, rhs } if lhs == "self.map.len()" && rhs == "self.cap")));
    }

    #[test]
    fn records_loops_calls_and_branches() {
        let f = facts(
            "fn retry() {\n    let mut delay = 10;\n    for attempt in 0..5 {\n        match op() {\n            Ok(v) => return,\n            Err(e) => {}\n        }\n        std::thread::sleep(d);\n        delay *= 2;\n    }\n    println!(\"HTTP/1.1 200 OK\");\n}\n",
        );
        let func = &f.functions[0];
        assert_eq!(func.loops.len(), 1);
        assert!(func.loops[0].counted_range);
        assert_eq!(func.loops[0].binding.as_deref(), Some("attempt"));
        let in_loop: Vec<_> = func.events_in_loop(0).collect();
        assert!(
            in_loop
                .iter()
                .any(|e| matches!(&e.kind, EventKind::Call(c) if c.ends_with("thread::sleep")))
        );
        assert!(in_loop.iter().any(|e| e.kind == EventKind::ErrorBranch));
        assert!(in_loop.iter().any(|e| matches!(&e.kind,
            EventKind::AssignOp { op: BinOp::Mul, target, rhs } if target == "delay" && rhs == "2")));
        assert_eq!(f.literals[0].value, "HTTP/1.1 200 OK");
        assert_eq!(f.literals[0].line, 11);
        assert!(f.literals[0].in_body);
    }

    #[test]
    fn doc_comments_inside_macros_are_not_literals() {
        let f = facts(
            "m! {\n    /// SELECT * FROM t\n    #[doc = \"x\"]\n    pub static A = { id: \"a\" };\n}\n",
        );
        let values: Vec<_> = f.literals.iter().map(|l| l.value.as_str()).collect();
        assert_eq!(values, ["a"]);
    }

    #[test]
    fn literals_in_const_tables_are_not_in_body() {
        let f = facts(
            "const T: &[&str] = &[\"@daily\"];\nfn f(x: &str) -> bool {\n    const U: &str = \"@hourly\";\n    x == \"@weekly\" || x == U\n}\n",
        );
        let in_body: Vec<_> = f
            .literals
            .iter()
            .map(|l| (l.value.as_str(), l.in_body))
            .collect();
        assert_eq!(
            in_body,
            [("@daily", false), ("@hourly", false), ("@weekly", true)]
        );
        let map = facts("static M: Map<&str, u8> = phf_map! { \"jan\" => 1 };\n");
        assert!(
            map.literals[0].in_body,
            "keys of a lookup map are parsing data"
        );
    }

    #[test]
    fn records_match_results_and_assignments() {
        let f = facts(
            "fn next(s: S, e: E) -> S {\n    let mut x = 1;\n    x = 2;\n    match (s, e) {\n        (S::A, E::Go) => S::B,\n        (S::B, E::Go) => { log(); S::C(1) }\n        _ => s,\n    }\n}\n",
        );
        let func = &f.functions[0];
        assert!(func.events.iter().any(|e| matches!(&e.kind,
            EventKind::Assign { target, value } if target == "x" && value == "2")));
        let (arms, results) = func
            .events
            .iter()
            .find_map(|e| match &e.kind {
                EventKind::Match { arms, results, .. } => Some((arms, results)),
                _ => None,
            })
            .expect("a match");
        assert_eq!(arms, &["(S::A,E::Go)", "(S::B,E::Go)", "_"]);
        assert_eq!(results, &["S::B", "S::C()", "s"]);
    }

    #[test]
    fn cognitive_complexity_weighs_nesting() {
        let f = facts(
            "fn f(xs: &[u8]) {\n    for x in xs {\n        if *x > 1 && *x < 9 && ok() {\n            match x { 1 => {}, _ => {} }\n        } else if *x == 0 {\n        }\n    }\n}\n",
        );
        // for +1, if +2 (nesting 1), && run +1, match +3 (nesting 2), else if +1.
        assert_eq!(f.functions[0].cognitive, 8);
        // 1 + for + if + && + && + match arms (2-1) + else-if.
        assert_eq!(f.functions[0].cyclomatic, 7);
    }

    #[test]
    fn records_byte_strings_int_tables_and_xor() {
        let f = facts(
            "const G: &[u8] = b\"abc\";\nconst K: [u32; 3] = [0x428a2f98, 0x71374491, 7];\nfn m(b: &mut u8, k: u8) { *b ^= k; let v = [f(), g()]; }\n",
        );
        assert!(f.literals.iter().any(|l| l.value == "abc"));
        assert_eq!(
            f.int_tables,
            vec![IntTable {
                line: 2,
                len: 3,
                wide: 2
            }]
        );
        let m = &f.functions[0];
        assert!(m.events.iter().any(|e| matches!(
            &e.kind,
            EventKind::AssignOp {
                op: BinOp::BitXor,
                ..
            }
        )));
        assert_eq!(m.calls().count(), 2);
    }

    #[test]
    fn test_code_yields_no_facts() {
        let f = facts(
            "#[cfg(test)]\nmod tests {\n    enum State { Open }\n    fn helper() {}\n}\n#[test]\nfn t() {}\nfn real() {}\n",
        );
        assert!(f.types.is_empty());
        let names: Vec<_> = f.functions.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["real"]);
        assert_eq!(f.lines.code, 8);
    }

    #[test]
    fn parse_errors_carry_a_location() {
        let err = extract("bad.rs", "fn main( {", LineCounts::default(), vec![0]).unwrap_err();
        assert_eq!(err.reason, SkipReason::ParseError);
        assert!(err.detail.starts_with("1:"), "{}", err.detail);
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let src = format!("fn f() {{ {}1{} }}", "(".repeat(50_000), ")".repeat(50_000));
        let err = extract("deep.rs", &src, LineCounts::default(), vec![0]).unwrap_err();
        assert_eq!(err.reason, SkipReason::TooDeep);
    }

    #[test]
    fn records_macros_trait_methods_and_statics() {
        let f = facts(
            "macro_rules! dsl {\n    () => {};\n    ($x:tt $($r:tt)*) => { dsl!($($r)*) };\n}\n\
             #[proc_macro_derive(Plugin)]\npub fn derive(i: TokenStream) -> TokenStream { i }\n\
             static REG: OnceLock<HashMap<String, fn()>> = OnceLock::new();\n\
             trait Hook { fn init(&self); fn run(&self) { self.init(); } }\n\
             fn main() { dsl!(a b); println!(\"x\"); }\n",
        );
        let names: Vec<(&str, u32, bool, bool)> = f
            .macros
            .iter()
            .map(|m| (m.name.as_str(), m.arms, m.recursive, m.procedural))
            .collect();
        assert_eq!(names, [("dsl", 2, true, false), ("Plugin", 1, false, true)]);
        assert_eq!(f.macro_uses, ["dsl", "println"]);
        assert_eq!(f.statics[0].ty, "OnceLock<HashMap<String,fn()>>");
        let hook = f.types.iter().find(|t| t.name == "Hook").expect("trait");
        assert_eq!(hook.variants, ["init", "run"]);
    }

    #[test]
    fn lazy_static_and_thread_local_bodies_are_statics() {
        let f = facts(
            "lazy_static! {\n    /// The plugins.\n    pub static ref PLUGINS: Mutex<HashMap<String, Box<dyn Plugin>>> = Mutex::new(HashMap::new());\n    static ref N: u8 = 1;\n}\n\
             thread_local! { static HOOKS: RefCell<Vec<fn()>> = const { RefCell::new(Vec::new()) }; }\n\
             lazy_static! { this is not rust }\n",
        );
        let statics: Vec<(&str, &str)> = f
            .statics
            .iter()
            .map(|s| (s.name.as_str(), s.ty.as_str()))
            .collect();
        assert_eq!(
            statics,
            [
                ("PLUGINS", "Mutex<HashMap<String,Box<dynPlugin>>>"),
                ("N", "u8"),
                ("HOOKS", "RefCell<Vec<fn()>>")
            ]
        );
    }
}
