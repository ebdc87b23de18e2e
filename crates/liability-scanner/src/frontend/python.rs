//! The Python front-end: tree-sitter-python node kinds mapped onto the shared walker.
//!
//! `import a.b` and `from a import b` become the paths `a::b` (`from ..a import b` keeps its
//! level: `..::a::b`); classes are types whose fields
//! are the `self.x = ..` assignments of their methods (and annotated class attributes), and
//! `Enum` subclasses are enums whose variants are their members. `for x in range(n)` is a
//! counted loop, `except` an error branch, `is None`/`not x` an absence branch.

use super::treesitter::{NodeField, Walker, bin_op, is_field_of, line};
use liability_model::{BinOp, EventKind, Field, TypeKind};
use tree_sitter::Node;

pub(super) fn enter(w: &mut Walker<'_>, node: Node<'_>) -> bool {
    let field = |name: &str| node.field(name);
    match node.kind() {
        "import_statement" => {
            let mut c = node.walk();
            let names: Vec<Node<'_>> = node.children_by_field_name("name", &mut c).collect();
            for n in names {
                let (path_node, alias) = match n.kind() {
                    "aliased_import" => (n.field("name"), n.field("alias")),
                    _ => (Some(n), None),
                };
                let Some(p) = path_node else { continue };
                let path = w.text(p).replace('.', "::");
                let bound = match alias {
                    Some(a) => w.text(a).to_owned(),
                    None => path.split("::").next().unwrap_or("").to_owned(),
                };
                w.imported.insert(bound);
                w.import(path, node);
            }
            false
        }
        "import_from_statement" => {
            let module = field("module_name")
                .map(|m| relative_module(w.text(m)))
                .unwrap_or_default();
            let join = |name: &str| {
                if module.is_empty() {
                    name.to_owned()
                } else {
                    format!("{module}::{name}")
                }
            };
            let mut c = node.walk();
            let names: Vec<Node<'_>> = node.children_by_field_name("name", &mut c).collect();
            if names.is_empty() {
                w.import(join("*"), node);
            }
            for n in names {
                let (path_node, alias) = match n.kind() {
                    "aliased_import" => (n.field("name"), n.field("alias")),
                    _ => (Some(n), None),
                };
                let Some(p) = path_node else { continue };
                let name = w.text(p).replace('.', "::");
                let bound = alias.map_or_else(|| name.clone(), |a| w.text(a).to_owned());
                w.imported.insert(bound);
                w.import(join(&name), node);
            }
            false
        }
        "class_definition" => {
            let name = field("name")
                .map(|n| w.text(n).to_owned())
                .unwrap_or_default();
            let is_enum = field("superclasses").is_some_and(|s| w.text(s).contains("Enum"));
            let kind = if is_enum {
                TypeKind::Enum
            } else {
                TypeKind::Struct
            };
            let public = !name.starts_with('_');
            w.start_class(node, name, kind, public);
            true
        }
        "function_definition" => {
            let name = field("name")
                .map(|n| w.text(n).to_owned())
                .unwrap_or_default();
            let is_async = node.child(0).is_some_and(|c| c.kind() == "async");
            let params = field("parameters")
                .map(|p| params(w, p))
                .unwrap_or_default();
            let public = !name.starts_with('_') || name.starts_with("__");
            w.start_function(node, name, None, params, is_async, public, None);
            true
        }
        "lambda" => {
            w.nest(node);
            true
        }
        "for_statement" => {
            let right = field("right");
            let counted = right.is_some_and(|r| {
                r.kind() == "call" && r.field("function").is_some_and(|f| w.text(f) == "range")
            });
            let binding = field("left")
                .filter(|l| l.kind() == "identifier")
                .map(|l| w.text(l).to_owned());
            w.start_loop(node, counted, binding);
            if let Some(right) = right {
                w.loop_iterable(right);
            }
            true
        }
        "while_statement" => {
            w.start_loop(node, false, None);
            true
        }
        "if_statement" => {
            w.branch(node, false);
            if let Some(cond) = field("condition") {
                absence_condition(w, cond);
            }
            true
        }
        "elif_clause" => {
            w.branch(node, true);
            if let Some(cond) = field("condition") {
                absence_condition(w, cond);
            }
            true
        }
        "else_clause" if node.parent().is_some_and(|p| p.kind() == "if_statement") => {
            w.cognitive(false);
            true
        }
        "conditional_expression" => {
            w.complexity(1);
            w.cognitive(true);
            true
        }
        "except_clause" | "except_group_clause" => {
            w.complexity(1);
            w.cognitive(true);
            w.event(line(node), EventKind::ErrorBranch);
            w.nest(node);
            true
        }
        "match_statement" => {
            let scrutinee = field("subject").map(|s| w.render(s)).unwrap_or_default();
            let mut arms = Vec::new();
            if let Some(body) = field("body") {
                let mut c = body.walk();
                for case in body
                    .named_children(&mut c)
                    .filter(|n| n.kind() == "case_clause")
                {
                    let mut cc = case.walk();
                    let pats: Vec<String> = case
                        .named_children(&mut cc)
                        .filter(|n| n.kind() == "case_pattern")
                        .map(|p| w.compact(p).replace('\'', "\""))
                        .collect();
                    arms.push(pats.join("|"));
                }
            }
            w.match_event(node, scrutinee, arms);
            w.nest(node);
            true
        }
        "boolean_operator" => {
            let op = field("operator").map(|o| w.text(o)).unwrap_or("");
            let continues = field("left").is_some_and(|l| {
                l.kind() == "boolean_operator" && l.field("operator").map(|o| w.text(o)) == Some(op)
            });
            w.boolean(continues);
            true
        }
        "comparison_operator" => {
            let operands: Vec<Node<'_>> = {
                let mut c = node.walk();
                node.named_children(&mut c)
                    .filter(|n| n.kind() != "comment")
                    .collect()
            };
            let op_text = field("operators").map(|o| w.text(o)).unwrap_or("");
            let op_text = op_text.split_whitespace().collect::<Vec<_>>().join(" ");
            if let (Some(l), Some(r)) = (operands.first(), operands.get(1)) {
                let (op, _) = bin_op(&op_text);
                if matches!(op, BinOp::Eq | BinOp::Ne) && (l.kind() == "none" || r.kind() == "none")
                {
                    w.event(line(node), EventKind::NoneBranch);
                }
                w.binary(node, op, *l, *r);
            }
            true
        }
        "binary_operator" => {
            let op_text = field("operator").map(|o| w.text(o)).unwrap_or("");
            if let (Some(l), Some(r)) = (field("left"), field("right")) {
                let (op, _) = bin_op(op_text);
                w.binary(node, op, l, r);
                // `base * 2 ** attempt` raises to a power like Rust's `pow`.
                if op_text == "**" {
                    w.power(node, l, r);
                }
            }
            true
        }
        "augmented_assignment" => {
            let op_text = field("operator").map(|o| w.text(o)).unwrap_or("");
            if let (Some(l), Some(r)) = (field("left"), field("right")) {
                let (op, _) = bin_op(op_text);
                let op = if op_text == "**=" { BinOp::Mul } else { op };
                w.assign_op(node, op, l, r);
            }
            true
        }
        "assignment" => {
            assignment(w, node);
            true
        }
        "call" => {
            if let Some(f) = field("function") {
                w.call_of(
                    node,
                    f,
                    field("arguments"),
                    ("attribute", "object", "attribute"),
                );
            }
            true
        }
        "delete_statement" => {
            // `del self.data[k]` removes an entry like Rust's `map.remove(k)`.
            let mut c = node.walk();
            let targets: Vec<Node<'_>> = node.named_children(&mut c).collect();
            for t in targets {
                let inner = if t.kind() == "expression_list" {
                    t.named_child(0).unwrap_or(t)
                } else {
                    t
                };
                if inner.kind() == "subscript"
                    && let Some(v) = inner.field("value")
                {
                    let receiver = w.render(v);
                    w.call(line(node), "remove".to_owned(), receiver, true, Vec::new());
                }
            }
            true
        }
        "return_statement" | "break_statement" => {
            w.event(line(node), EventKind::Exit);
            true
        }
        "string" => {
            if let Some(v) = w.string_value(node)
                && !in_export_list(w, node)
                && !is_docstring(w, node)
            {
                w.literal(v, node);
            }
            false
        }
        "list" | "tuple" | "set" => {
            w.int_table(node, &["list", "tuple", "set"], &["integer"]);
            true
        }
        _ => true,
    }
}

/// The module of a `from` import as path segments; a relative one starts with `.` (this
/// package's folder) or one `..` per level above it: `from ..a.b` → `..::a::b`, so it never
/// reads as a top-level package of that name.
fn relative_module(text: &str) -> String {
    let rest = text.trim_start_matches('.');
    let dots = text.len() - rest.len();
    let mut segs: Vec<&str> = match dots {
        0 => Vec::new(),
        1 => vec!["."],
        n => vec![".."; n - 1],
    };
    segs.extend(rest.split('.').filter(|s| !s.is_empty()));
    segs.join("::")
}

/// Parameters, without `self` and `cls`.
fn params(w: &Walker<'_>, list: Node<'_>) -> Vec<Field> {
    let mut c = list.walk();
    list.named_children(&mut c)
        .filter_map(|p| {
            let (name, ty) = match p.kind() {
                "identifier" => (w.text(p).to_owned(), String::new()),
                "typed_parameter" | "typed_default_parameter" | "default_parameter" => {
                    let name = p
                        .field("name")
                        .or_else(|| p.named_child(0))
                        .map(|n| w.text(n).to_owned())
                        .unwrap_or_default();
                    let ty = p.field("type").map(|t| w.compact(t)).unwrap_or_default();
                    (name, ty)
                }
                _ => return None,
            };
            (name != "self" && name != "cls").then_some(Field { name, ty })
        })
        .collect()
}

/// `self.x = ..` adds a field to the method's class; a class-level `X = ..` is a field or,
/// in an `Enum`, a member; in a body the assignment is an `Assign` event, and `x = x * 2`
/// also reads like `x *= 2`.
fn assignment(w: &mut Walker<'_>, node: Node<'_>) {
    let (Some(left), right) = (node.field("left"), node.field("right")) else {
        return;
    };
    let annotated = node.field("type").map(|t| w.compact(t));
    if let Some(r) = right {
        w.indexed_store(node, left, r);
    }
    if !w.in_function()
        && w.enclosing_class().is_none()
        && left.kind() == "identifier"
        && let Some(r) = right
        && (annotated.is_some() || COLLECTIONS.contains(&type_of(w, r).as_str()))
    {
        let ty = annotated.clone().unwrap_or_else(|| type_of(w, r));
        w.global(w.text(left).to_owned(), ty);
    }
    if !w.in_function() || is_class_level(w, node) {
        if let Some((_, index)) = w.enclosing_class()
            && left.kind() == "identifier"
        {
            let name = w.text(left).to_owned();
            let ty = annotated
                .or_else(|| right.map(|r| type_of(w, r)))
                .unwrap_or_default();
            if let Some(def) = w.type_mut(index) {
                if def.kind == TypeKind::Enum {
                    def.variants.push(name);
                } else if def.field(&name).is_none() {
                    def.fields.push(Field { name, ty });
                }
            }
        }
        return;
    }
    // `self.state = new`, `os.environ[k] = v`: plain assignments, as Rust's `x = y`.
    if let Some(r) = right
        && matches!(left.kind(), "identifier" | "attribute" | "subscript")
        && r.kind() != "assignment"
    {
        let (target, value) = (w.render(left), w.render(r));
        w.event(line(node), EventKind::Assign { target, value });
    }
    if left.kind() == "attribute"
        && let (Some(obj), Some(attr)) = (left.field("object"), left.field("attribute"))
        && w.text(obj) == "self"
    {
        let ty = annotated
            .or_else(|| right.map(|r| type_of(w, r)))
            .unwrap_or_default();
        w.add_owner_field(w.text(attr).to_owned(), ty);
    }
    if let Some(r) = right
        && r.kind() == "binary_operator"
        && let (Some(rl), Some(rr), Some(op)) =
            (r.field("left"), r.field("right"), r.field("operator"))
        && w.render(rl) == w.render(left)
    {
        let (op, _) = bin_op(w.text(op));
        w.assign_op(node, op, left, rr);
    }
}

/// Collections a module-level variable may hold as a global registry or list.
const COLLECTIONS: &[&str] = &["OrderedDict", "defaultdict", "dict", "list", "set"];

fn is_class_level(w: &Walker<'_>, node: Node<'_>) -> bool {
    // expression_statement -> block -> class_definition
    w.enclosing_class().is_some()
        && node
            .parent()
            .and_then(|p| p.parent())
            .and_then(|b| b.parent())
            .is_some_and(|c| c.kind() == "class_definition")
}

/// A string standing alone as a statement (a module, class or function docstring): prose
/// with examples, not a value the code uses.
fn is_docstring(w: &Walker<'_>, node: Node<'_>) -> bool {
    match w.parent_of(node) {
        Some(p) => p.statement && p.named_children == 1,
        None => node
            .parent()
            .is_some_and(|p| p.kind() == "expression_statement" && p.named_child_count() == 1),
    }
}

/// A string in `__all__ = [...]` (or `+=`): the name of an export, an identifier rather
/// than data the module works with.
fn in_export_list(w: &Walker<'_>, node: Node<'_>) -> bool {
    if let Some(parent) = w.parent_of(node) {
        return parent.export_list;
    }
    let Some(list) = node
        .parent()
        .filter(|p| matches!(p.kind(), "list" | "tuple"))
    else {
        return false;
    };
    list.parent()
        .filter(|a| matches!(a.kind(), "assignment" | "augmented_assignment"))
        .and_then(|a| a.field("left"))
        .is_some_and(|l| w.text(l) == "__all__")
}

/// The type a value gives a field: its constructor, or the literal's kind.
fn type_of(w: &Walker<'_>, value: Node<'_>) -> String {
    match value.kind() {
        "dictionary" | "dictionary_comprehension" => "dict".to_owned(),
        "list" | "list_comprehension" => "list".to_owned(),
        "set" | "set_comprehension" => "set".to_owned(),
        "call" => value
            .field("function")
            .map(|f| w.compact(f))
            .unwrap_or_default(),
        _ => w.compact(value),
    }
}

/// `if x is None`, `if not x`: the condition branches on absence.
fn absence_condition(w: &mut Walker<'_>, cond: Node<'_>) {
    let inner = if cond.kind() == "parenthesized_expression" {
        cond.named_child(0).unwrap_or(cond)
    } else {
        cond
    };
    if inner.kind() == "not_operator"
        && inner
            .field("argument")
            .is_some_and(|a| matches!(a.kind(), "identifier" | "attribute" | "subscript"))
    {
        w.event(line(cond), EventKind::NoneBranch);
    }
    let _ = is_field_of;
}

#[cfg(test)]
mod tests {
    use super::super::treesitter::Grammar;
    use super::super::treesitter::test_util::{calls, facts};
    use liability_model::{BinOp, EventKind, TypeKind};

    #[test]
    fn extracts_python_facts() {
        let src = "import time, collections as c\nfrom socket import socket\n\nclass State(Enum):\n    PENDING = 'p'\n    DONE = 'd'\n\nclass Cache:\n    def __init__(self, cap: int):\n        self.data = OrderedDict()\n        self.cap = cap\n\n    def put(self, k, v):\n        if len(self.data) >= self.cap:\n            self.data.popitem(last=False)\n\ndef fetch(url):\n    delay = 1\n    for attempt in range(5):\n        try:\n            return get(url)\n        except IOError:\n            time.sleep(delay)\n            delay *= 2\n    if x is None and y:\n        pass\n";
        let ex = facts(Grammar::Python, src);
        assert!(ex.problem.is_none());
        let f = ex.facts;
        let imports: Vec<_> = f.imports.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(imports, ["time", "collections", "socket::socket"]);
        assert_eq!(f.types[0].kind, TypeKind::Enum);
        assert_eq!(f.types[0].variants, ["PENDING", "DONE"]);
        assert_eq!(f.types[1].fields[0].name, "data");
        assert_eq!(f.types[1].fields[0].ty, "OrderedDict");
        let put = f.functions.iter().find(|f| f.name == "put").expect("put");
        assert_eq!(put.owner.as_deref(), Some("Cache"));
        assert!(put.events.iter().any(|e| matches!(&e.kind,
            EventKind::Binary { op: BinOp::Ge, lhs, rhs } if lhs == "self.data.len()" && rhs == "self.cap")));
        assert!(calls(put).contains(&"self.data.popitem".to_owned()));
        let fetch = f
            .functions
            .iter()
            .find(|f| f.name == "fetch")
            .expect("fetch");
        assert!(fetch.loops[0].counted_range);
        assert_eq!(fetch.loops[0].binding.as_deref(), Some("attempt"));
        assert_eq!(fetch.loops[0].iterable.as_deref(), Some("range()"));
        assert!(calls(fetch).contains(&"time::sleep".to_owned()));
        let in_loop: Vec<_> = fetch.events_in_loop(0).collect();
        assert!(in_loop.iter().any(|e| e.kind == EventKind::ErrorBranch));
        assert!(in_loop.iter().any(|e| matches!(&e.kind,
            EventKind::AssignOp { op: BinOp::Mul, target, rhs } if target == "delay" && rhs == "2")));
        assert!(fetch.events.iter().any(|e| e.kind == EventKind::NoneBranch));
        assert!(fetch.events.iter().any(|e| matches!(&e.kind,
            EventKind::Assign { target, value } if target == "delay" && value == "1")));
        // 1 + for + except + if + and
        assert_eq!(fetch.cyclomatic, 5);
    }

    #[test]
    fn relative_imports_keep_their_level_and_stores_read_as_inserts() {
        let src = "from . import a\nfrom ..core.reg import R\nfrom ... import top\nREGISTRY = {}\nNAME = 'x'\n\ndef register(name, plugin):\n    REGISTRY[name] = plugin\n";
        let f = facts(Grammar::Python, src).facts;
        let imports: Vec<_> = f.imports.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(imports, [".::a", "..::core::reg::R", "..::..::top"]);
        assert_eq!(f.statics.len(), 1);
        assert_eq!(
            (f.statics[0].name.as_str(), f.statics[0].ty.as_str()),
            ("REGISTRY", "dict")
        );
        let reg = &f.functions[0];
        assert!(reg.calls().any(|(_, c)| c.callee == "insert"
            && c.receiver == "REGISTRY"
            && c.args == ["name", "plugin"]));
    }

    #[test]
    fn syntax_errors_give_partial_facts() {
        let ex = facts(
            Grammar::Python,
            "def ok():\n    return 1\n\ndef broken(:\n    pass\n",
        );
        assert!(ex.facts.functions.iter().any(|f| f.name == "ok"));
        let p = ex.problem.expect("partial");
        assert!(p.detail.starts_with("partial: "), "{}", p.detail);
    }
}
