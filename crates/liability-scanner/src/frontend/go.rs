//! The Go front-end: tree-sitter-go node kinds mapped onto the shared walker.
//!
//! Import paths become segments (`net/http` → `net::http`) and the package name they bind
//! makes `time.Sleep` a path call `time::Sleep`. Structs and interfaces are types; methods
//! belong to their receiver's type, and the receiver renders as `self`. A `const` block with
//! `iota` is an enum of its type. `if err != nil` is an error branch, `x == nil` on anything
//! else an absence branch; a three-clause `for` with a bound is a counted loop.

use super::treesitter::{NodeField, Walker, bin_op, line};
use liability_model::{BinOp, EventKind, Field, TypeDef, TypeKind};
use tree_sitter::Node;

pub(super) fn enter(w: &mut Walker<'_>, node: Node<'_>) -> bool {
    let field = |name: &str| node.field(name);
    match node.kind() {
        "import_spec" => {
            let Some(path) = field("path").and_then(|p| w.string_value(p)) else {
                return false;
            };
            let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            let bound = match field("name") {
                Some(n) => w.text(n).to_owned(),
                None => segments
                    .iter()
                    .rev()
                    .find(|s| {
                        !(s.starts_with('v')
                            && s.len() > 1
                            && s[1..].bytes().all(|b| b.is_ascii_digit()))
                    })
                    .map(|s| s.trim_start_matches("go-").replace('-', "_"))
                    .unwrap_or_default(),
            };
            w.imported.insert(bound);
            w.import(segments.join("::"), node);
            false
        }
        "type_spec" => {
            let name = field("name")
                .map(|n| w.text(n).to_owned())
                .unwrap_or_default();
            let public = name.starts_with(|c: char| c.is_ascii_uppercase());
            match field("type").map(|t| (t, t.kind())) {
                Some((t, "struct_type")) => {
                    let fields = struct_fields(w, t);
                    w.add_type(TypeDef {
                        name,
                        kind: TypeKind::Struct,
                        span: super::treesitter::span(node),
                        fields,
                        variants: Vec::new(),
                        is_public: public,
                    });
                }
                Some((t, "interface_type")) => {
                    // A trait's variants are its method names.
                    let mut c = t.walk();
                    let variants = t
                        .named_children(&mut c)
                        .filter(|m| matches!(m.kind(), "method_elem" | "method_spec"))
                        .filter_map(|m| m.field("name"))
                        .map(|n| w.text(n).to_owned())
                        .collect();
                    w.add_type(TypeDef {
                        name,
                        kind: TypeKind::Trait,
                        span: super::treesitter::span(node),
                        fields: Vec::new(),
                        variants,
                        is_public: public,
                    });
                }
                _ => {}
            }
            true
        }
        "const_declaration" => {
            iota_enum(w, node);
            true
        }
        "function_declaration" => {
            let name = field("name")
                .map(|n| w.text(n).to_owned())
                .unwrap_or_default();
            let params = field("parameters")
                .map(|p| params(w, p))
                .unwrap_or_default();
            let public = name.starts_with(|c: char| c.is_ascii_uppercase());
            w.start_function(node, name, None, params, false, public, None);
            true
        }
        "method_declaration" => {
            let name = field("name")
                .map(|n| w.text(n).to_owned())
                .unwrap_or_default();
            let params = field("parameters")
                .map(|p| params(w, p))
                .unwrap_or_default();
            let public = name.starts_with(|c: char| c.is_ascii_uppercase());
            let (owner, receiver) = field("receiver")
                .and_then(|r| {
                    let mut c = r.walk();
                    r.named_children(&mut c)
                        .find(|p| p.kind() == "parameter_declaration")
                })
                .map(|p| {
                    let receiver = p.field("name").map(|n| w.text(n).to_owned());
                    let ty = p
                        .field("type")
                        .map(|t| {
                            let t = w.compact(t);
                            let t = t.trim_start_matches('*');
                            t.split('[').next().unwrap_or(t).to_owned()
                        })
                        .unwrap_or_default();
                    (Some(ty), receiver)
                })
                .unwrap_or((None, None));
            w.start_function(node, name, owner, params, false, public, receiver);
            true
        }
        "var_spec" if !w.in_function() => {
            // A package-level map or slice: `var drivers = make(map[string]Driver)`.
            let value = field("value").and_then(|v| v.named_child(0));
            let ty = field("type").map(|t| w.compact(t)).or_else(|| {
                let v = value?;
                match v.kind() {
                    "composite_literal" => v.field("type").map(|t| w.compact(t)),
                    "call_expression" => v
                        .field("arguments")
                        .and_then(|a| a.named_child(0))
                        .map(|t| w.compact(t)),
                    _ => None,
                }
            });
            if let (Some(name), Some(ty)) = (field("name"), ty)
                && (ty.starts_with("map[") || ty.starts_with("[]"))
            {
                w.global(w.text(name).to_owned(), ty);
            }
            true
        }
        "func_literal" => {
            if w.in_function() {
                w.nest(node);
            } else {
                let name = node
                    .parent()
                    .and_then(|p| p.parent())
                    .filter(|s| s.kind() == "var_spec")
                    .and_then(|s| s.field("name"))
                    .map_or_else(|| "anonymous".to_owned(), |n| w.text(n).to_owned());
                let params = field("parameters")
                    .map(|p| params(w, p))
                    .unwrap_or_default();
                w.start_function(node, name, None, params, false, false, None);
            }
            true
        }
        "for_statement" => {
            let mut c = node.walk();
            let head = node
                .named_children(&mut c)
                .find(|n| matches!(n.kind(), "for_clause" | "range_clause"));
            let (counted, binding) = match head {
                Some(h) if h.kind() == "for_clause" => {
                    let bounded = h.field("condition").is_some_and(|c| {
                        c.kind() == "binary_expression"
                            && c.field("operator")
                                .is_some_and(|o| matches!(w.text(o), "<" | "<=" | ">" | ">="))
                    });
                    let stepped = h
                        .field("update")
                        .is_some_and(|u| matches!(u.kind(), "inc_statement" | "dec_statement"));
                    let binding = h
                        .field("initializer")
                        .and_then(|i| i.field("left"))
                        .and_then(|l| l.named_child(0))
                        .map(|n| w.text(n).to_owned());
                    (bounded && stepped, binding)
                }
                Some(h) => {
                    let counted = h.field("right").is_some_and(|r| r.kind() == "int_literal");
                    // `for _, h := range hs` binds `h`.
                    let binding = h.field("left").and_then(|l| {
                        let mut c = l.walk();
                        l.named_children(&mut c)
                            .map(|n| w.text(n).to_owned())
                            .find(|n| n != "_")
                    });
                    (counted, binding)
                }
                None => (false, None),
            };
            w.start_loop(node, counted, binding);
            if let Some(right) = head
                .filter(|h| h.kind() == "range_clause")
                .and_then(|h| h.field("right"))
            {
                w.loop_iterable(right);
            }
            true
        }
        "if_statement" => {
            let chained = node.parent().is_some_and(|p| p.kind() == "if_statement")
                && super::treesitter::is_field_of(node, "alternative");
            w.branch(node, chained);
            if let Some(alt) = field("alternative")
                && alt.kind() == "block"
            {
                w.cognitive(false);
            }
            true
        }
        "expression_switch_statement" | "type_switch_statement" | "select_statement" => {
            let scrutinee = field("value").map(|v| w.render(v)).unwrap_or_default();
            let mut arms = Vec::new();
            let mut c = node.walk();
            for case in node.named_children(&mut c) {
                match case.kind() {
                    "expression_case" | "type_case" => {
                        let values = case.field("value").or_else(|| case.field("type"));
                        let arm = values
                            .map(|v| {
                                let mut cc = v.walk();
                                let parts: Vec<String> = if v.kind() == "expression_list" {
                                    v.named_children(&mut cc).map(|e| w.render(e)).collect()
                                } else {
                                    vec![w.compact(v)]
                                };
                                parts.join("|")
                            })
                            .unwrap_or_default();
                        arms.push(arm);
                    }
                    "communication_case" => arms.push("<-".to_owned()),
                    "default_case" => arms.push("_".to_owned()),
                    _ => {}
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
            if matches!(op, BinOp::And | BinOp::Or) {
                let continues = l.kind() == "binary_expression"
                    && l.field("operator").map(|o| w.text(o)) == Some(op_text);
                w.boolean(continues);
            }
            if matches!(op, BinOp::Eq | BinOp::Ne) {
                let other = if l.kind() == "nil" {
                    Some(r)
                } else if r.kind() == "nil" {
                    Some(l)
                } else {
                    None
                };
                if let Some(value) = other {
                    let name = w.text(value);
                    let kind = if name == "err" || name.ends_with("Err") || name.ends_with("err") {
                        EventKind::ErrorBranch
                    } else {
                        EventKind::NoneBranch
                    };
                    w.event(line(node), kind);
                }
            }
            w.binary(node, op, l, r);
            true
        }
        "assignment_statement" => {
            let op_text = field("operator").map(|o| w.text(o)).unwrap_or("=");
            let (Some(l), Some(r)) = (
                field("left").and_then(|l| l.named_child(0)),
                field("right").and_then(|r| r.named_child(0)),
            ) else {
                return true;
            };
            if matches!(op_text, "=" | ":=") {
                let (target, value) = (w.render(l), w.render(r));
                w.event(line(node), EventKind::Assign { target, value });
            }
            if op_text == "=" {
                w.indexed_store(node, l, r);
                if r.kind() == "binary_expression"
                    && let (Some(rl), Some(rr), Some(op)) =
                        (r.field("left"), r.field("right"), r.field("operator"))
                    && w.render(rl) == w.render(l)
                {
                    let (op, _) = bin_op(w.text(op));
                    w.assign_op(node, op, l, rr);
                }
            } else {
                let (op, _) = bin_op(op_text);
                w.assign_op(node, op, l, r);
            }
            true
        }
        "short_var_declaration" => {
            if let (Some(l), Some(r)) = (
                field("left").and_then(|l| l.named_child(0)),
                field("right").and_then(|r| r.named_child(0)),
            ) {
                let (target, value) = (w.render(l), w.render(r));
                w.event(line(node), EventKind::Assign { target, value });
            }
            true
        }
        "inc_statement" | "dec_statement" => {
            if let Some(arg) = node.named_child(0) {
                let op = if node.kind() == "inc_statement" {
                    BinOp::Add
                } else {
                    BinOp::Sub
                };
                w.increment(node, arg, op);
            }
            true
        }
        "call_expression" => {
            if let Some(f) = field("function") {
                w.call_of(
                    node,
                    f,
                    field("arguments"),
                    ("selector_expression", "operand", "field"),
                );
            }
            true
        }
        "return_statement" | "break_statement" => {
            w.event(line(node), EventKind::Exit);
            true
        }
        "interpreted_string_literal" | "raw_string_literal" => {
            if let Some(v) = w.string_value(node) {
                w.literal(v, node);
            }
            false
        }
        "literal_value" => {
            w.int_table(node, &["literal_value"], &["int_literal"]);
            true
        }
        _ => true,
    }
}

fn struct_fields(w: &Walker<'_>, st: Node<'_>) -> Vec<Field> {
    let mut out = Vec::new();
    let mut c = st.walk();
    let Some(list) = st
        .named_children(&mut c)
        .find(|n| n.kind() == "field_declaration_list")
    else {
        return out;
    };
    let mut c = list.walk();
    for decl in list
        .named_children(&mut c)
        .filter(|n| n.kind() == "field_declaration")
    {
        let ty = decl.field("type").map(|t| w.compact(t)).unwrap_or_default();
        let mut cc = decl.walk();
        let names: Vec<String> = decl
            .children_by_field_name("name", &mut cc)
            .map(|n| w.text(n).to_owned())
            .collect();
        if names.is_empty() {
            // An embedded field is named after its type.
            let name = ty
                .trim_start_matches('*')
                .rsplit('.')
                .next()
                .unwrap_or(&ty)
                .to_owned();
            out.push(Field { name, ty });
        } else {
            for name in names {
                out.push(Field {
                    name,
                    ty: ty.clone(),
                });
            }
        }
    }
    out
}

fn params(w: &Walker<'_>, list: Node<'_>) -> Vec<Field> {
    let mut out = Vec::new();
    let mut c = list.walk();
    for p in list.named_children(&mut c) {
        let ty = p.field("type").map(|t| w.compact(t)).unwrap_or_default();
        let mut cc = p.walk();
        for n in p.children_by_field_name("name", &mut cc) {
            out.push(Field {
                name: w.text(n).to_owned(),
                ty: ty.clone(),
            });
        }
    }
    out
}

/// `const ( A State = iota; B; C )` as an enum `State` with variants `A`, `B`, `C` (without
/// the type's name as prefix).
fn iota_enum(w: &mut Walker<'_>, node: Node<'_>) {
    let mut c = node.walk();
    let specs: Vec<Node<'_>> = node
        .named_children(&mut c)
        .filter(|n| n.kind() == "const_spec")
        .collect();
    let Some(first) = specs.first() else { return };
    if !first
        .field("value")
        .is_some_and(|v| w.text(v).contains("iota"))
    {
        return;
    }
    let ty = first
        .field("type")
        .map(|t| w.text(t).to_owned())
        .unwrap_or_default();
    let mut variants = Vec::new();
    for spec in &specs {
        let mut cc = spec.walk();
        for n in spec.children_by_field_name("name", &mut cc) {
            let name = w.text(n);
            let short = name
                .strip_prefix(ty.as_str())
                .filter(|s| !s.is_empty())
                .unwrap_or(name);
            variants.push(short.to_owned());
        }
    }
    let name = if ty.is_empty() {
        "const".to_owned()
    } else {
        ty
    };
    w.add_type(TypeDef {
        name,
        kind: TypeKind::Enum,
        span: super::treesitter::span(node),
        fields: Vec::new(),
        variants,
        is_public: true,
    });
}

#[cfg(test)]
mod tests {
    use super::super::treesitter::Grammar;
    use super::super::treesitter::test_util::{calls, facts};
    use liability_model::{BinOp, EventKind, TypeKind};

    #[test]
    fn package_maps_are_globals_and_stores_read_as_inserts() {
        let src = "package sql\n\nvar drivers = make(map[string]Driver)\nvar n = 3\n\nfunc Register(name string, driver Driver) {\n\tdrivers[name] = driver\n}\n";
        let f = facts(Grammar::Go, src).facts;
        assert_eq!(f.statics.len(), 1);
        assert_eq!(
            (f.statics[0].name.as_str(), f.statics[0].ty.as_str()),
            ("drivers", "map[string]Driver")
        );
        assert!(f.functions[0].calls().any(|(_, c)| c.callee == "insert"
            && c.receiver == "drivers"
            && c.args == ["name", "driver"]));
    }

    #[test]
    fn extracts_go_facts() {
        let src = "package q\n\nimport (\n\t\"net/http\"\n\t\"time\"\n\tjwt \"github.com/golang-jwt/jwt/v4\"\n)\n\ntype State int\n\nconst (\n\tStatePending State = iota\n\tStateRunning\n\tStateDone\n)\n\ntype Cache struct {\n\titems map[string]*entry\n\tcap   int\n}\n\nfunc (c *Cache) Put(k string) {\n\tif len(c.items) >= c.cap {\n\t\tdelete(c.items, k)\n\t}\n}\n\nfunc Fetch() error {\n\tdelay := time.Second\n\tfor attempt := 0; attempt < 5; attempt++ {\n\t\terr := get()\n\t\tif err != nil {\n\t\t\ttime.Sleep(delay)\n\t\t\tdelay *= 2\n\t\t\tcontinue\n\t\t}\n\t\treturn nil\n\t}\n\treturn http.ListenAndServe(\":80\", nil)\n}\n";
        let ex = facts(Grammar::Go, src);
        assert!(ex.problem.is_none(), "{:?}", ex.problem);
        let f = ex.facts;
        let imports: Vec<_> = f.imports.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            imports,
            ["net::http", "time", "github.com::golang-jwt::jwt::v4"]
        );
        let state = f.types.iter().find(|t| t.name == "State").expect("State");
        assert_eq!(state.kind, TypeKind::Enum);
        assert_eq!(state.variants, ["Pending", "Running", "Done"]);
        let cache = f.types.iter().find(|t| t.name == "Cache").expect("Cache");
        assert_eq!(cache.fields[0].ty, "map[string]*entry");
        let put = f.functions.iter().find(|f| f.name == "Put").expect("Put");
        assert_eq!(put.owner.as_deref(), Some("Cache"));
        assert!(put.events.iter().any(|e| matches!(&e.kind,
            EventKind::Binary { op: BinOp::Ge, lhs, rhs } if lhs == "self.items.len()" && rhs == "self.cap")));
        let fetch = f
            .functions
            .iter()
            .find(|f| f.name == "Fetch")
            .expect("Fetch");
        assert!(fetch.loops[0].counted_range);
        let in_loop: Vec<_> = fetch.events_in_loop(0).collect();
        assert!(in_loop.iter().any(|e| e.kind == EventKind::ErrorBranch));
        assert!(
            in_loop
                .iter()
                .any(|e| matches!(&e.kind, EventKind::Call(c) if c.callee == "time::Sleep"))
        );
        assert!(calls(fetch).contains(&"http::ListenAndServe".to_owned()));
        assert!(
            in_loop
                .iter()
                .any(|e| matches!(&e.kind, EventKind::AssignOp { op: BinOp::Mul, .. }))
        );
    }

    #[test]
    fn records_assignments_iterables_and_interface_methods() {
        let src = "package b\n\ntype Fs interface {\n\tOpen(name string) (File, error)\n\tRemove(name string) error\n}\n\nfunc (b *Bus) Pub(t string) {\n\ths := b.subs[t]\n\tfor _, h := range b.subs[t] {\n\t\th()\n\t}\n\tb.last = t\n}\n";
        let ex = facts(Grammar::Go, src);
        assert!(ex.problem.is_none(), "{:?}", ex.problem);
        let f = ex.facts;
        assert_eq!(f.types[0].variants, ["Open", "Remove"]);
        let publish = &f.functions[0];
        assert_eq!(publish.loops[0].binding.as_deref(), Some("h"));
        assert_eq!(publish.loops[0].iterable.as_deref(), Some("self.subs[]"));
        let assigns = crate::test_support::assignments(publish);
        assert_eq!(assigns, [("hs", "self.subs[]"), ("self.last", "t")]);
    }
}
