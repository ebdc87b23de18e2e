//! The JavaScript and TypeScript front-end (one walker for the javascript, typescript and tsx
//! grammars, whose node kinds mostly agree).
//!
//! `import x from 'pkg'` and `const x = require('pkg')` become the path `pkg::x` (scoped
//! packages keep their scope as a segment: `@aws-sdk::client-s3::S3Client`; relative ones
//! their leading `.`/`..`: `.::lib::q::x`). Classes (and
//! capitalised constructor functions) are types whose fields are their `this.x = ..`
//! assignments and declared fields; `X.prototype.m = function` is a method of `X`; TypeScript
//! interfaces are traits and `enum`s enums. Callbacks are closures of the function around
//! them. `new Promise(r => setTimeout(r, ms))` is recorded as a `sleep` call, `this` renders
//! as `self` and `.length`/`.size` as `.len()`.

use super::treesitter::{NodeField, Walker, bin_op, is_field_of, line};
use liability_model::{BinOp, EventKind, Field, TypeDef, TypeKind};
use tree_sitter::Node;

const FUNCTION_KINDS: &[&str] = &[
    "arrow_function",
    "function",
    "function_expression",
    "generator_function",
];

/// A module specifier as path segments: `node:net` → `net`; a relative one keeps its leading
/// `.`/`..` segments, `./lib/q` → `.::lib::q`, so it never reads as a package of that name.
pub(super) fn module_path(spec: &str) -> String {
    let spec = spec.strip_prefix("node:").unwrap_or(spec);
    let relative = spec.starts_with("./") || spec.starts_with("../");
    spec.split('/')
        .enumerate()
        .filter(|(i, s)| !s.is_empty() && (*s != "." || (relative && *i == 0)))
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join("::")
}

pub(super) fn join(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_owned()
    } else {
        format!("{module}::{name}")
    }
}

pub(super) fn enter(w: &mut Walker<'_>, node: Node<'_>) -> bool {
    let field = |name: &str| node.field(name);
    match node.kind() {
        "import_statement" => {
            let module = field("source")
                .and_then(|s| w.string_value(s))
                .map(|s| module_path(&s))
                .unwrap_or_default();
            import_clause(w, node, &module);
            false
        }
        "class_declaration" | "class" | "abstract_class_declaration" => {
            let name = field("name")
                .map(|n| w.text(n).to_owned())
                .or_else(|| declared_name(w, node))
                .unwrap_or_else(|| "anonymous".to_owned());
            w.start_class(node, name, TypeKind::Struct, true);
            true
        }
        "interface_declaration" => {
            let name = field("name")
                .map(|n| w.text(n).to_owned())
                .unwrap_or_default();
            let mut fields = Vec::new();
            let mut variants = Vec::new();
            if let Some(body) = field("body") {
                let mut c = body.walk();
                for m in body
                    .named_children(&mut c)
                    .filter(|p| p.kind() == "method_signature")
                {
                    if let Some(n) = m.field("name") {
                        variants.push(w.text(n).to_owned());
                    }
                }
                let mut c = body.walk();
                for p in body
                    .named_children(&mut c)
                    .filter(|p| p.kind() == "property_signature")
                {
                    if let Some(n) = p.field("name") {
                        let ty = p.field("type").map(|t| type_text(w, t)).unwrap_or_default();
                        fields.push(Field {
                            name: w.text(n).to_owned(),
                            ty,
                        });
                    }
                }
            }
            w.add_type(TypeDef {
                name,
                kind: TypeKind::Trait,
                span: super::treesitter::span(node),
                fields,
                variants,
                is_public: true,
            });
            false
        }
        "enum_declaration" => {
            let name = field("name")
                .map(|n| w.text(n).to_owned())
                .unwrap_or_default();
            let mut variants = Vec::new();
            if let Some(body) = field("body") {
                let mut c = body.walk();
                for v in body.named_children(&mut c) {
                    let n = match v.kind() {
                        "enum_assignment" => v.field("name"),
                        "property_identifier" | "string" => Some(v),
                        _ => None,
                    };
                    if let Some(n) = n {
                        variants.push(w.string_value(n).unwrap_or_else(|| w.text(n).to_owned()));
                    }
                }
            }
            w.add_type(TypeDef {
                name,
                kind: TypeKind::Enum,
                span: super::treesitter::span(node),
                fields: Vec::new(),
                variants,
                is_public: true,
            });
            true
        }
        "public_field_definition" | "field_definition" => {
            let name = field("name").or_else(|| field("property"));
            if let (Some(n), Some((_, index))) = (name, w.enclosing_class()) {
                let ty = field("type")
                    .map(|t| type_text(w, t))
                    .or_else(|| field("value").map(|v| type_of(w, v)))
                    .unwrap_or_default();
                let name = w.text(n).to_owned();
                if let Some(def) = w.type_mut(index)
                    && def.field(&name).is_none()
                {
                    def.fields.push(Field { name, ty });
                }
            }
            true
        }
        "function_declaration" | "generator_function_declaration" => {
            let name = field("name")
                .map(|n| w.text(n).to_owned())
                .unwrap_or_default();
            // A capitalised function assigning `this.x` is a constructor: its own type.
            let owner = if !w.in_function()
                && name.starts_with(|c: char| c.is_ascii_uppercase())
                && field("body").is_some_and(|b| w.text(b).contains("this."))
            {
                w.add_type(TypeDef {
                    name: name.clone(),
                    kind: TypeKind::Struct,
                    span: super::treesitter::span(node),
                    fields: Vec::new(),
                    variants: Vec::new(),
                    is_public: true,
                });
                Some(name.clone())
            } else {
                None
            };
            start_function(w, node, name, owner);
            true
        }
        "method_definition" => {
            let name = field("name")
                .map(|n| w.text(n).to_owned())
                .unwrap_or_default();
            start_function(w, node, name, None);
            true
        }
        k if FUNCTION_KINDS.contains(&k) => {
            function_value(w, node);
            true
        }
        "for_statement" => {
            let counted = field("condition").is_some_and(|c| {
                let t = w.text(c);
                t.contains('<') || t.contains('>')
            }) && field("increment").is_some_and(|i| i.kind() == "update_expression");
            let binding = field("initializer").and_then(|i| {
                let mut c = i.walk();
                i.named_children(&mut c)
                    .find(|d| d.kind() == "variable_declarator")
                    .and_then(|d| d.field("name"))
                    .map(|n| w.text(n).to_owned())
            });
            w.start_loop(node, counted, binding);
            true
        }
        "for_in_statement" => {
            let binding = field("left")
                .filter(|l| l.kind() == "identifier")
                .map(|l| w.text(l).to_owned());
            w.start_loop(node, false, binding);
            if let Some(right) = field("right") {
                w.loop_iterable(right);
            }
            true
        }
        "while_statement" | "do_statement" => {
            w.start_loop(node, false, None);
            true
        }
        "if_statement" => {
            let chained = node.parent().is_some_and(|p| p.kind() == "else_clause");
            w.branch(node, chained);
            if let Some(cond) = field("condition") {
                condition(w, cond);
            }
            true
        }
        "else_clause" => {
            let else_if = node
                .named_child(0)
                .is_some_and(|c| c.kind() == "if_statement");
            if !else_if {
                w.cognitive(false);
            }
            true
        }
        "ternary_expression" => {
            w.complexity(1);
            w.cognitive(true);
            true
        }
        "catch_clause" => {
            w.complexity(1);
            w.cognitive(true);
            w.event(line(node), EventKind::ErrorBranch);
            w.nest(node);
            true
        }
        "switch_statement" => {
            let scrutinee = field("value").map(|v| w.render(v)).unwrap_or_default();
            let mut arms = Vec::new();
            if let Some(body) = field("body") {
                let mut c = body.walk();
                for case in body.named_children(&mut c) {
                    match case.kind() {
                        "switch_case" => {
                            arms.push(case.field("value").map(|v| w.render(v)).unwrap_or_default())
                        }
                        "switch_default" => arms.push("_".to_owned()),
                        _ => {}
                    }
                }
            }
            w.match_event(node, scrutinee, arms);
            w.nest(node);
            true
        }
        "binary_expression" => {
            let op_text = field("operator").map(|o| w.text(o)).unwrap_or("");
            let (Some(l), Some(r)) = (field("left"), field("right")) else {
                return true;
            };
            let (op, _) = bin_op(op_text);
            if matches!(op, BinOp::And | BinOp::Or) || op_text == "??" {
                let continues = l.kind() == "binary_expression"
                    && l.field("operator").map(|o| w.text(o)) == Some(op_text);
                w.boolean(continues);
            }
            if op_text == "??" {
                w.event(line(node), EventKind::NoneBranch);
            }
            if matches!(op, BinOp::Eq | BinOp::Ne)
                && [l, r]
                    .iter()
                    .any(|n| matches!(n.kind(), "null" | "undefined"))
            {
                w.event(line(node), EventKind::NoneBranch);
            }
            w.binary(node, op, l, r);
            if op_text == "**" {
                w.power(node, l, r);
            }
            true
        }
        "augmented_assignment_expression" => {
            let op_text = field("operator").map(|o| w.text(o)).unwrap_or("");
            if let (Some(l), Some(r)) = (field("left"), field("right")) {
                let (op, _) = bin_op(op_text);
                w.assign_op(node, op, l, r);
            }
            true
        }
        "update_expression" => {
            let op_text = field("operator").map(|o| w.text(o)).unwrap_or("");
            if let Some(arg) = field("argument") {
                let op = if op_text == "--" {
                    BinOp::Sub
                } else {
                    BinOp::Add
                };
                w.increment(node, arg, op);
            }
            true
        }
        "assignment_expression" => {
            assignment(w, node);
            true
        }
        "subscript_expression" => {
            keyed_by_own_field(w, node);
            true
        }
        "variable_declarator" => {
            if let (Some(name), Some(value)) = (field("name"), field("value"))
                && name.kind() == "identifier"
            {
                assign_event(w, node, name, value);
                // A module-level collection: `const registry = new Map()`, `const hooks = []`.
                if !w.in_function() && matches!(value.kind(), "object" | "array" | "new_expression")
                {
                    let ty = type_of(w, value);
                    if matches!(ty.as_str(), "Object" | "Array" | "Map" | "Set" | "WeakMap") {
                        w.global(w.text(name).to_owned(), ty);
                    }
                }
            }
            true
        }
        "call_expression" => {
            let Some(f) = field("function") else {
                return true;
            };
            let args = field("arguments");
            if f.kind() == "identifier" && w.text(f) == "require" {
                require(w, node, args);
                return false;
            }
            if f.kind() == "import" {
                return false;
            }
            if f.kind() == "identifier"
                && let Some(path) = w.named_imports.get(w.text(f)).cloned()
            {
                let args = w.args(args);
                w.call(line(node), path, String::new(), false, args);
                return true;
            }
            w.call_of(node, f, args, ("member_expression", "object", "property"));
            if f.kind() == "member_expression"
                && f.field("property").is_some_and(|p| w.text(p) == "catch")
            {
                w.event(line(node), EventKind::ErrorBranch);
            }
            true
        }
        "new_expression" => {
            if let Some(c) = field("constructor") {
                let name = w.text(c).to_owned();
                let args = w.args(field("arguments"));
                // `new Promise(r => setTimeout(r, ms))` is how JavaScript sleeps.
                if name == "Promise" && w.text(node).contains("setTimeout") {
                    w.call(
                        line(node),
                        "sleep".to_owned(),
                        String::new(),
                        false,
                        args.clone(),
                    );
                }
                w.call(
                    line(node),
                    format!("{}::new", name.replace('.', "::")),
                    String::new(),
                    false,
                    args,
                );
            }
            true
        }
        "await_expression" => {
            // `await setTimeout(ms)` from `timers/promises`.
            if let Some(arg) = node.named_child(0)
                && arg.kind() == "call_expression"
                && arg
                    .field("function")
                    .is_some_and(|f| w.text(f) == "setTimeout")
            {
                w.call(
                    line(node),
                    "sleep".to_owned(),
                    String::new(),
                    false,
                    Vec::new(),
                );
            }
            true
        }
        "unary_expression" if field("operator").is_some_and(|o| w.text(o) == "delete") => {
            // `delete this.cache[k]` removes an entry like Rust's `map.remove(k)`.
            if let Some(arg) = field("argument")
                && let Some(obj) = arg.field("object")
            {
                let receiver = w.render(obj);
                w.call(line(node), "delete".to_owned(), receiver, true, Vec::new());
            }
            true
        }
        "return_statement" | "break_statement" => {
            w.event(line(node), EventKind::Exit);
            true
        }
        "string" => {
            if let Some(v) = w.string_value(node) {
                w.literal(v, node);
            }
            false
        }
        "template_string" => {
            if let Some(v) = w.string_value(node) {
                w.literal(v, node);
            }
            true
        }
        "array" => {
            w.int_table(node, &["array"], &["number"]);
            true
        }
        "type_annotation" | "type_arguments" | "type_parameters" | "jsx_text" => false,
        _ => true,
    }
}

fn import_clause(w: &mut Walker<'_>, node: Node<'_>, module: &str) {
    let mut c = node.walk();
    let clause = node
        .named_children(&mut c)
        .find(|n| n.kind() == "import_clause");
    let Some(clause) = clause else {
        w.import(module.to_owned(), node);
        return;
    };
    let mut c = clause.walk();
    for part in clause.named_children(&mut c) {
        match part.kind() {
            "identifier" => {
                let name = w.text(part).to_owned();
                w.imported.insert(name.clone());
                w.import(join(module, &name), node);
            }
            "namespace_import" => {
                if let Some(id) = part.named_child(0) {
                    w.imported.insert(w.text(id).to_owned());
                }
                w.import(join(module, "*"), node);
            }
            "named_imports" => {
                let mut cc = part.walk();
                for spec in part
                    .named_children(&mut cc)
                    .filter(|s| s.kind() == "import_specifier")
                {
                    let Some(name) = spec.field("name") else {
                        continue;
                    };
                    let alias = spec.field("alias");
                    w.imported.insert(w.text(alias.unwrap_or(name)).to_owned());
                    let name = w
                        .string_value(name)
                        .unwrap_or_else(|| w.text(name).to_owned());
                    if alias.is_none() {
                        named_import(w, module, &name);
                    }
                    w.import(join(module, &name), node);
                }
            }
            _ => {}
        }
    }
}

/// Remembers `name`, imported by name from a package (not a relative module), so a bare
/// call of it reads as the package's function: `createServer()` → `net::createServer`.
fn named_import(w: &mut Walker<'_>, module: &str, name: &str) {
    if !module.is_empty() && !module.starts_with('.') {
        w.named_imports.insert(name.to_owned(), join(module, name));
    }
}

/// `const x = require('pkg')`, `const { a, b } = require('pkg')`, or a bare `require`.
fn require(w: &mut Walker<'_>, node: Node<'_>, args: Option<Node<'_>>) {
    let Some(spec) = args
        .and_then(|a| a.named_child(0))
        .and_then(|s| w.string_value(s))
    else {
        return;
    };
    let module = module_path(&spec);
    // The declarator may sit above a member access: `require('x').Foo`.
    let mut up = node.parent();
    while let Some(p) = up {
        if p.kind() == "member_expression" || p.kind() == "call_expression" {
            up = p.parent();
        } else {
            break;
        }
    }
    let target = up
        .filter(|p| p.kind() == "variable_declarator")
        .and_then(|d| d.field("name"));
    match target {
        Some(t) if t.kind() == "identifier" => {
            let name = w.text(t).to_owned();
            w.imported.insert(name.clone());
            w.import(join(&module, &name), node);
        }
        Some(t) if t.kind() == "object_pattern" => {
            let mut c = t.walk();
            let names: Vec<String> = t
                .named_children(&mut c)
                .filter_map(|p| match p.kind() {
                    "shorthand_property_identifier_pattern" => Some(w.text(p).to_owned()),
                    "pair_pattern" => p.field("key").map(|k| w.text(k).to_owned()),
                    _ => None,
                })
                .collect();
            let mut c = t.walk();
            let shorthand: Vec<String> = t
                .named_children(&mut c)
                .filter(|p| p.kind() == "shorthand_property_identifier_pattern")
                .map(|p| w.text(p).to_owned())
                .collect();
            for name in &shorthand {
                named_import(w, &module, name);
            }
            for name in names {
                w.imported.insert(name.clone());
                w.import(join(&module, &name), node);
            }
        }
        _ => w.import(module, node),
    }
}

/// The name a class or function expression is given by its declaration or assignment.
fn declared_name(w: &Walker<'_>, node: Node<'_>) -> Option<String> {
    let parent = node.parent()?;
    match parent.kind() {
        "variable_declarator" => parent.field("name").map(|n| w.text(n).to_owned()),
        "pair" => parent
            .field("key")
            .map(|k| w.string_value(k).unwrap_or_else(|| w.text(k).to_owned())),
        "assignment_expression" => parent.field("left").map(|l| {
            let t = w.text(l);
            t.rsplit('.').next().unwrap_or(t).to_owned()
        }),
        "public_field_definition" | "field_definition" => parent
            .field("name")
            .or_else(|| parent.field("property"))
            .map(|n| w.text(n).to_owned()),
        _ => None,
    }
}

/// A function expression or arrow: a named function when declared or assigned, a closure of
/// the enclosing function otherwise.
fn function_value(w: &mut Walker<'_>, node: Node<'_>) {
    let parent = node.parent();
    // `X.prototype.m = function () {..}` is a method of `X`.
    if let Some(p) = parent
        && p.kind() == "assignment_expression"
        && is_field_of(node, "right")
        && let Some(left) = p.field("left")
    {
        let t = w.text(left);
        if let Some((owner, method)) = t.split_once(".prototype.") {
            let owner = owner.to_owned();
            let method = method.to_owned();
            start_function(w, node, method, Some(owner));
            return;
        }
    }
    let name = node
        .field("name")
        .map(|n| w.text(n).to_owned())
        .or_else(|| declared_name(w, node));
    match name {
        Some(name) if !w.in_function() || parent.is_some_and(|p| p.kind() != "arguments") => {
            start_function(w, node, name, None);
        }
        _ if !w.in_function() => start_function(w, node, "anonymous".to_owned(), None),
        _ => w.nest(node),
    }
}

fn start_function(w: &mut Walker<'_>, node: Node<'_>, name: String, owner: Option<String>) {
    let is_async = w.text(node).starts_with("async");
    let params = node
        .field("parameters")
        .map(|p| params(w, p))
        .unwrap_or_default();
    w.start_function(node, name, owner, params, is_async, true, None);
}

fn params(w: &Walker<'_>, list: Node<'_>) -> Vec<Field> {
    let mut c = list.walk();
    list.named_children(&mut c)
        .filter_map(|p| match p.kind() {
            "identifier" => Some(Field {
                name: w.text(p).to_owned(),
                ty: String::new(),
            }),
            "required_parameter" | "optional_parameter" | "assignment_pattern" => {
                let name = p
                    .field("pattern")
                    .or_else(|| p.field("left"))
                    .map(|n| w.compact(n))?;
                let ty = p.field("type").map(|t| type_text(w, t)).unwrap_or_default();
                Some(Field { name, ty })
            }
            _ => None,
        })
        .collect()
}

/// A type annotation without its colon: `Map<string,V>`.
fn type_text(w: &Walker<'_>, t: Node<'_>) -> String {
    w.compact(t).trim_start_matches(':').to_owned()
}

/// The type a value gives a field: `new Map()` → `Map`, `{}` → `Object`, `[]` → `Array`.
fn type_of(w: &Walker<'_>, value: Node<'_>) -> String {
    match value.kind() {
        "new_expression" => value
            .field("constructor")
            .map(|c| w.compact(c))
            .unwrap_or_default(),
        "object" => "Object".to_owned(),
        "array" => "Array".to_owned(),
        "call_expression" => value
            .field("function")
            .map(|f| format!("{}()", w.compact(f)))
            .unwrap_or_default(),
        _ => w.compact(value),
    }
}

/// `this.x = ..` adds a field to the class; every plain assignment is an `Assign` event, and
/// `x = x * 2` also reads like `x *= 2`.
fn assignment(w: &mut Walker<'_>, node: Node<'_>) {
    let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
        return;
    };
    w.indexed_store(node, left, right);
    if left.kind() == "member_expression"
        && let (Some(obj), Some(prop)) = (left.field("object"), left.field("property"))
        && obj.kind() == "this"
        && !FUNCTION_KINDS.contains(&right.kind())
    {
        let ty = type_of(w, right);
        w.add_owner_field(w.text(prop).to_owned(), ty);
    }
    assign_event(w, node, left, right);
    if right.kind() == "binary_expression"
        && let (Some(rl), Some(rr), Some(op)) = (
            right.field("left"),
            right.field("right"),
            right.field("operator"),
        )
        && w.render(rl) == w.render(left)
    {
        let (op, _) = bin_op(w.text(op));
        w.assign_op(node, op, left, rr);
    }
}

/// `TABLE[this.state]` reads a table with the object's own field as the key: recorded as
/// `TABLE.get(self.state)`, as a `Map` or Rust spells it, since rendering drops the key.
/// Stores (`TABLE[this.k] = v`) are inserts, recorded by `indexed_store`.
fn keyed_by_own_field(w: &mut Walker<'_>, node: Node<'_>) {
    let store = is_field_of(node, "left")
        && node.parent().is_some_and(|p| {
            matches!(
                p.kind(),
                "assignment_expression" | "augmented_assignment_expression"
            )
        });
    let (Some(table), Some(key)) = (node.field("object"), node.field("index")) else {
        return;
    };
    let own_field = key.kind() == "member_expression"
        && key.field("object").is_some_and(|o| o.kind() == "this");
    if !store && own_field {
        let (table, key) = (w.render(table), w.render(key));
        w.call(line(node), "get".to_owned(), table, true, vec![key]);
    }
}

/// A plain assignment `target = value` (or a declarator `const target = value`) as an event.
fn assign_event(w: &mut Walker<'_>, node: Node<'_>, target: Node<'_>, value: Node<'_>) {
    if FUNCTION_KINDS.contains(&value.kind()) {
        return;
    }
    let (target, value) = (w.render(target), w.render(value));
    w.event(line(node), EventKind::Assign { target, value });
}

/// `if (!job)` branches on absence; `if (err)` on a failure (Node callbacks).
fn condition(w: &mut Walker<'_>, cond: Node<'_>) {
    let inner = if cond.kind() == "parenthesized_expression" {
        cond.named_child(0).unwrap_or(cond)
    } else {
        cond
    };
    match inner.kind() {
        "unary_expression"
            if inner.field("operator").is_some_and(|o| w.text(o) == "!")
                && inner
                    .field("argument")
                    .is_some_and(|a| matches!(a.kind(), "identifier" | "member_expression")) =>
        {
            w.event(line(cond), EventKind::NoneBranch);
        }
        "identifier" if matches!(w.text(inner), "err" | "error" | "e") => {
            w.event(line(cond), EventKind::ErrorBranch);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::treesitter::Grammar;
    use super::super::treesitter::test_util::{calls, facts};
    use liability_model::{BinOp, EventKind, TypeKind};

    #[test]
    fn relative_imports_keep_their_dots_and_stores_read_as_inserts() {
        let src = "import { a } from './lib/a.js';\nconst b = require('../b');\nconst registry = new Map();\nconst NAME = 'x';\nclass R {\n  use(name, fn) { this.strategies[name] = fn; }\n}\n";
        let f = facts(Grammar::JavaScript, src).facts;
        let imports: Vec<_> = f.imports.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(imports, [".::lib::a.js::a", "..::b::b"]);
        assert_eq!(f.statics.len(), 1);
        assert_eq!(f.statics[0].ty, "Map");
        let used = &f.functions[0];
        assert!(used.calls().any(|(_, c)| c.callee == "insert"
            && c.receiver == "self.strategies"
            && c.args == ["name", "fn"]));
    }

    #[test]
    fn extracts_javascript_facts() {
        let src = "const net = require('node:net');\nimport express, { Router } from 'express';\nimport * as s3 from '@aws-sdk/client-s3';\n\nclass Cache {\n  constructor(max) {\n    this.map = new Map();\n    this.max = max;\n  }\n  set(k, v) {\n    if (this.map.size >= this.max) {\n      this.map.delete(this.map.keys().next().value);\n    }\n  }\n}\n\nasync function fetchIt(url) {\n  let delay = 100;\n  for (let attempt = 0; attempt < 5; attempt++) {\n    try {\n      return await get(url);\n    } catch (err) {\n      await new Promise((r) => setTimeout(r, delay));\n      delay *= 2;\n    }\n  }\n  if (x === null) { return Date.now(); }\n}\nQueue.prototype.process = function (job) { return job; };\n";
        let ex = facts(Grammar::JavaScript, src);
        assert!(ex.problem.is_none(), "{:?}", ex.problem);
        let f = ex.facts;
        let imports: Vec<_> = f.imports.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            imports,
            [
                "net::net",
                "express::express",
                "express::Router",
                "@aws-sdk::client-s3::*"
            ]
        );
        assert_eq!(f.types[0].name, "Cache");
        assert_eq!(f.types[0].fields[0].ty, "Map");
        let set = f.functions.iter().find(|f| f.name == "set").expect("set");
        assert_eq!(set.owner.as_deref(), Some("Cache"));
        assert!(set.events.iter().any(|e| matches!(&e.kind,
            EventKind::Binary { op: BinOp::Ge, lhs, rhs } if lhs == "self.map.len()" && rhs == "self.max")));
        assert!(calls(set).contains(&"self.map.delete".to_owned()));
        let fetch = f
            .functions
            .iter()
            .find(|f| f.name == "fetchIt")
            .expect("fetchIt");
        assert!(fetch.is_async);
        assert!(fetch.loops[0].counted_range);
        let in_loop: Vec<_> = fetch.events_in_loop(0).collect();
        assert!(in_loop.iter().any(|e| e.kind == EventKind::ErrorBranch));
        assert!(
            in_loop
                .iter()
                .any(|e| matches!(&e.kind, EventKind::Call(c) if c.callee == "sleep"))
        );
        assert!(in_loop.iter().any(|e| matches!(&e.kind,
            EventKind::AssignOp { op: BinOp::Mul, target, .. } if target == "delay")));
        assert!(fetch.events.iter().any(|e| e.kind == EventKind::NoneBranch));
        assert!(calls(fetch).contains(&"Date::now".to_owned()));
        let process = f
            .functions
            .iter()
            .find(|f| f.name == "process")
            .expect("process");
        assert_eq!(process.owner.as_deref(), Some("Queue"));
    }

    #[test]
    fn records_assignments_and_iterables() {
        let src = "class B {\n  emit(e) {\n    const ls = this.subs[e];\n    for (const l of this.subs[e]) { l(); }\n    this.last = e;\n  }\n}\n";
        let ex = facts(Grammar::JavaScript, src);
        let emit = &ex.facts.functions[0];
        assert_eq!(emit.loops[0].binding.as_deref(), Some("l"));
        assert_eq!(emit.loops[0].iterable.as_deref(), Some("self.subs[]"));
        let assigns = crate::test_support::assignments(emit);
        assert_eq!(assigns, [("ls", "self.subs[]"), ("self.last", "e")]);
    }

    #[test]
    fn extracts_typescript_types() {
        let src = "enum JobState { Pending, Running, Done = 'done' }\ninterface Store { get(k: string): string; size: number }\nexport class Lru<K, V> {\n  private items: Map<K, V> = new Map();\n  constructor(private readonly cap: number) {}\n  get(key: K): V | undefined { return this.items.get(key); }\n}\n";
        let ex = facts(Grammar::TypeScript, src);
        assert!(ex.problem.is_none(), "{:?}", ex.problem);
        let f = ex.facts;
        assert_eq!(f.types[0].kind, TypeKind::Enum);
        assert_eq!(f.types[0].variants, ["Pending", "Running", "Done"]);
        assert_eq!(f.types[1].kind, TypeKind::Trait);
        assert_eq!(f.types[1].variants, ["get"]);
        let lru = &f.types[2];
        assert_eq!(lru.fields[0].name, "items");
        assert_eq!(lru.fields[0].ty, "Map<K,V>");
        assert_eq!(f.functions.len(), 2);
    }

    #[test]
    fn named_package_imports_qualify_bare_calls() {
        let src = "import { createServer } from 'net';\nimport { join as j } from 'path';\nimport { helper } from './util';\nconst { readFileSync } = require('fs');\nfunction main() {\n  createServer(() => {});\n  j('a', 'b');\n  helper();\n  readFileSync('x');\n}\n";
        let f = facts(Grammar::TypeScript, src).facts;
        assert_eq!(
            calls(&f.functions[0]),
            ["net::createServer", "j", "helper", "fs::readFileSync"]
        );
    }

    #[test]
    fn a_table_read_with_an_own_field_as_key_is_a_lookup() {
        let src = "class Job {\n  transition(to) {\n    const allowed = TRANSITIONS[this.state] || [];\n    this.hooks[this.state] = to;\n    const x = rows[i];\n  }\n}\n";
        let f = facts(Grammar::JavaScript, src).facts;
        let t = &f.functions[0];
        let gets: Vec<_> = t
            .calls()
            .filter(|(_, c)| c.callee == "get")
            .map(|(_, c)| (c.receiver.as_str(), c.args.clone()))
            .collect();
        assert_eq!(gets, [("TRANSITIONS", vec!["self.state".to_owned()])]);
    }
}
