//! What the framework post-pass keeps of one file: its module path, the imports that may point
//! inside the scanned tree, its traits, impls, macros and the framework-shaped signals seen in
//! it. A few hundred bytes a file; the syntax tree and the full facts are long gone by then.

use liability_model::{Complexity, FileFacts, Function, Language, LineSpan, TypeKind};

/// Crates of the standard library: never part of the scanned tree.
const STD_CRATES: &[&str] = &["alloc", "core", "std"];

/// Key types of a name- or type-keyed registry.
const REGISTRY_KEYS: &[&str] = &[
    "&'staticstr",
    "&str",
    "Cow<",
    "String",
    "TypeId",
    "SmolStr",
    "Arc<str>",
];

/// Value types that hold behaviour: trait objects and function pointers.
const BEHAVIOUR: &[&str] = &["Box<dyn", "Arc<dyn", "Rc<dyn", "fn(", "Fn(", "FnMut("];

/// Maps, spelled as the front-end renders types.
const MAPS: &[&str] = &["HashMap<", "BTreeMap<", "IndexMap<", "DashMap<"];

/// Name prefixes of registration methods.
const REGISTER: &[&str] = &["add_", "install", "plugin", "register", "with_"];

/// Whether a Rust function of this name may fill a registry (its name starts like a
/// registration method).
pub(crate) fn is_registration_name(name: &str) -> bool {
    REGISTER.iter().any(|r| name.starts_with(r))
}

/// Words of dependency-injection and service-locator APIs, in function names.
const DI_WORDS: &[&str] = &["component", "inject", "provide", "resolve", "service"];

/// Whether a function of this name is listed as a DI or service-locator API (unless it
/// implements a trait).
pub(crate) fn is_di_name(name: &str) -> bool {
    DI_WORDS.iter().any(|w| name.contains(w))
}

/// Lifecycle hooks a base trait lets implementors fill in.
const LIFECYCLE: &[&str] = &[
    "after", "before", "init", "on_start", "on_stop", "setup", "shutdown", "start", "stop",
    "teardown",
];

/// A framework-shaped signal seen in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSignal {
    pub kind: SignalKind,
    pub line: u32,
    pub message: String,
    /// The extension point it names (a registry, a chain), if any.
    pub point: Option<String>,
}

/// The kinds of framework evidence. Each counts once per framework, however often it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SignalKind {
    /// A name- or type-keyed map of trait objects or functions with a public register API.
    Registry,
    /// A type-keyed container with a resolve/provide API.
    Container,
    /// A trait whose methods take a `next` continuation, defined here.
    Middleware,
    /// A list of boxed handlers applied in order.
    Pipeline,
    /// A `macro_rules!` DSL used across many files.
    MacroDsl,
    /// In-house procedural macros.
    ProcMacro,
    /// Decorators that tag functions as hook specifications or implementations, found again
    /// by introspection (Python `setattr`/`dir`+`getattr`, `Reflect` metadata).
    HookMarkers,
    /// A base trait with many implementors whose default methods hold the control flow.
    AbstractBase,
    /// Public traits declaring provide/resolve/build methods.
    ProviderTraits,
    /// A public API made mostly of traits.
    Plumbing,
    /// Most of the codebase imports it, it imports little of it.
    Layer,
}

impl SignalKind {
    /// Signals specific to a framework; the others only add weight.
    pub fn is_anchor(self) -> bool {
        matches!(
            self,
            SignalKind::Registry
                | SignalKind::Container
                | SignalKind::Middleware
                | SignalKind::MacroDsl
                | SignalKind::AbstractBase
                | SignalKind::HookMarkers
        )
    }
}

/// A trait defined in a file, as the framework pass needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraitFact {
    pub name: String,
    pub line: u32,
    pub is_public: bool,
    /// A default method calls another method of the trait on `self` (template method).
    pub template: bool,
    /// How many of its methods are lifecycle hooks.
    pub lifecycle: u32,
    /// A method declares provide/resolve/inject/build.
    pub provider: bool,
    /// A method (default or implemented anywhere in this file) takes a `next` continuation.
    pub next_param: bool,
}

/// One file, reduced to what the module graph and the framework signals need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    pub path: String,
    pub language: Language,
    pub code_lines: u32,
    pub last_line: u32,
    /// `None` when a light front-end read the file (the pre-pass found nothing a rule or
    /// the framework signals need in it) without following its complexity (`rust_light`
    /// never does; `python_light` does but for a few shapes); the framework pass asks for it
    /// when the file turns out to be part of a framework.
    pub complexity: Option<Complexity>,
    /// The file's module path inside its package (`src/a/b.rs` → `a::b`; `lib.rs` → empty),
    /// for Rust; the other languages are placed by `layout` once every file is known.
    pub module: Vec<String>,
    /// Imports that may point inside the tree. Rust: absolute and cut to two segments,
    /// `crate::a` for this package's module `a`, `other_crate::a` for another crate. Python
    /// and JavaScript: relative imports as a path from the scanned root prefixed with `./`
    /// (`./pkg/core/registry`), absolute ones cut to three segments (`pkg::core::x`). Go: the
    /// import path (`github.com::acme::svc::core`).
    pub imports: Vec<String>,
    pub traits: Vec<TraitFact>,
    /// Traits implemented in the file, one entry per implementing type.
    pub impls: Vec<String>,
    /// Traits whose implementations in this file take a `next` continuation.
    pub next_impls: Vec<String>,
    /// `macro_rules!` definitions: name, line, rules, recursive.
    pub macros: Vec<(String, u32, u32, bool)>,
    pub proc_macros: Vec<(String, u32)>,
    pub macro_uses: Vec<String>,
    /// A `TypeId` is stored or computed.
    pub type_ids: Option<u32>,
    /// Functions named with dependency-injection words (`resolve`, `provide`, ...).
    pub di_functions: Vec<String>,
    pub public_types: u32,
    pub public_traits: u32,
    pub signals: Vec<FileSignal>,
    /// A decorator tagging the functions it is given (`setattr(func, ..)`,
    /// `Reflect.defineMetadata`): its name and line.
    pub marker: Option<(String, u32)>,
    /// Tagged functions are found again by introspection (`dir(x)` with `getattr`,
    /// `Reflect.getMetadata`): the function doing it and its line.
    pub discovery: Option<(String, u32)>,
}

/// The module path of a file inside its package.
pub fn module_path(path: &str, package: &str) -> Vec<String> {
    let rest = path
        .strip_prefix(package)
        .unwrap_or(path)
        .trim_start_matches('/');
    let rest = rest.strip_prefix("src/").unwrap_or(rest);
    let mut parts: Vec<String> = rest.split('/').map(str::to_owned).collect();
    if let Some(last) = parts.pop() {
        let stem = last.strip_suffix(".rs").unwrap_or(&last);
        if !matches!(stem, "mod" | "lib" | "main") {
            parts.push(stem.to_owned());
        }
    }
    parts
}

/// Resolves a `use` path against the file's module, keeping two segments.
fn resolve_import(path: &str, module: &[String]) -> Option<String> {
    let mut segs: Vec<&str> = path.split("::").collect();
    let first = *segs.first()?;
    let absolute: Vec<String> = match first {
        "crate" => segs.drain(1..).map(str::to_owned).collect(),
        "self" => module
            .iter()
            .cloned()
            .chain(segs.drain(1..).map(str::to_owned))
            .collect(),
        "super" => {
            let mut base = module.to_vec();
            let mut i = 0;
            while segs.get(i) == Some(&"super") {
                base.pop();
                i += 1;
            }
            base.into_iter()
                .chain(segs.drain(i..).map(str::to_owned))
                .collect()
        }
        _ if STD_CRATES.contains(&first) => return None,
        _ => {
            let second = segs.get(1).copied().unwrap_or("*");
            return Some(format!("{first}::{second}"));
        }
    };
    let top = absolute.first().map_or("*", String::as_str);
    Some(format!("crate::{top}"))
}

/// Extensions a JavaScript import may spell out.
const JS_EXTENSIONS: &[&str] = &[".cjs", ".js", ".jsx", ".mjs", ".ts", ".tsx"];

/// A Python, JavaScript or Go import as `FileSummary::imports` keeps it: relative paths
/// (leading `.`/`..` segments, as the front-ends write them) joined to the file's folder.
fn foreign_import(path: &str, file: &str, language: Language) -> Option<String> {
    let segs: Vec<&str> = path.split("::").collect();
    if matches!(segs.first(), Some(&("." | ".."))) {
        let mut at: Vec<&str> = file.split('/').collect();
        at.pop();
        for seg in &segs {
            match *seg {
                "." | "" => {}
                ".." => {
                    at.pop()?;
                }
                // `./a.js` names the module `./a`.
                s => at.push(
                    JS_EXTENSIONS
                        .iter()
                        .find_map(|e| s.strip_suffix(e))
                        .filter(|_| language != Language::Python)
                        .unwrap_or(s),
                ),
            }
        }
        return Some(format!("./{}", at.join("/")));
    }
    let keep = if language == Language::Go {
        segs.len()
    } else {
        3
    };
    Some(
        segs.iter()
            .take(keep)
            .copied()
            .collect::<Vec<_>>()
            .join("::"),
    )
}

fn is_next_param(f: &Function) -> bool {
    f.params
        .iter()
        .any(|p| p.name == "next" || p.ty == "Next" || p.ty.starts_with("Next<"))
}

/// Whether a map type is keyed by a name or type id and holds behaviour.
fn is_registry_type(ty: &str) -> bool {
    let Some(map) = MAPS.iter().find_map(|m| ty.find(m).map(|at| at + m.len())) else {
        return false;
    };
    let inner = &ty[map..];
    REGISTRY_KEYS.iter().any(|k| inner.starts_with(k))
        && BEHAVIOUR.iter().any(|b| inner.contains(b))
        && !inner.contains("Vec<")
}

/// Maps in Python, JavaScript, TypeScript and Go spellings (a JavaScript `{}` is `Object`).
pub(crate) const DYNAMIC_MAPS: &[&str] = &[
    "Dict",
    "Map",
    "Mapping",
    "MutableMapping",
    "Object",
    "OrderedDict",
    "Record",
    "WeakMap",
    "defaultdict",
    "dict",
    "map[",
];

/// Keys of a name-keyed map in those spellings.
const NAME_KEYS: &[&str] = &["str", "string", "symbol"];

/// Keys of a type-keyed map (a dependency-injection container) in those spellings.
const TYPE_KEYS: &[&str] = &["Type[", "reflect.Type", "type", "type["];

/// Parameter names and type fragments of behaviour: what a plugin registry stores.
const BEHAVIOUR_WORDS: &[&str] = &[
    "callable",
    "callback",
    "class",
    "constructor",
    "driver",
    "extension",
    "factory",
    "func",
    "handler",
    "hook",
    "listener",
    "middleware",
    "plugin",
    "provider",
    "strategy",
];

/// Short parameter names of behaviour, matched whole.
const BEHAVIOUR_NAMES: &[&str] = &["cb", "cls", "f", "fn", "klass", "meth"];

/// A map type in a dynamic language or Go, split into its outer name and its key (empty
/// when untyped): `dict[str,Plugin]` → (`dict`, `str`), `map[string]Driver` → (`map[`,
/// `string`), `Final[dict[str,X]]` looks inside `Final`.
fn dynamic_map(ty: &str) -> Option<(&'static str, &str)> {
    let ty = ty
        .strip_prefix("Final[")
        .or_else(|| ty.strip_prefix("ClassVar["))
        .unwrap_or(ty);
    let outer = DYNAMIC_MAPS.iter().find(|m| {
        ty.strip_prefix(**m)
            .is_some_and(|rest| m.ends_with('[') || rest.is_empty() || rest.starts_with(['[', '<']))
    })?;
    let rest = &ty[outer.len()..];
    let rest = rest.trim_start_matches(['[', '<']);
    let key = if *outer == "map[" {
        rest.split(']').next().unwrap_or("")
    } else {
        rest.split(',').next().unwrap_or("")
    };
    Some((outer, if rest.is_empty() { "" } else { key }))
}

/// Whether a map type of any language is keyed by types (`TypeId`, `type`, `reflect.Type`).
fn type_keyed_map(ty: &str) -> bool {
    dynamic_map(ty).is_some_and(|(_, key)| {
        TYPE_KEYS
            .iter()
            .any(|k| key == *k || (k.ends_with('[') && key.starts_with(k)))
    })
}

/// Whether a parameter holds behaviour: a plugin, a handler, a class, a callable.
fn is_behaviour_param(p: &liability_model::Field) -> bool {
    let name = p.name.to_ascii_lowercase();
    let ty = p.ty.to_ascii_lowercase();
    BEHAVIOUR_NAMES.contains(&name.as_str())
        || BEHAVIOUR_WORDS
            .iter()
            .any(|w| name.contains(w) || ty.contains(w))
        || ty.contains("type[")
        || ty.contains("=>")
        || ty.starts_with("func(")
}

/// Whether a function is named as a registration API in any language's casing.
fn is_register_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "register", "install", "plugin", "add", "use", "provide", "bind",
    ]
    .iter()
    .any(|r| lower.starts_with(r))
}

/// Whether a method call's receiver is the holder `name` (a field through `self` or a
/// global).
fn is_holder(receiver: &str, name: &str) -> bool {
    receiver == name || receiver.strip_prefix("self.") == Some(name)
}

/// Reduces `facts` to a summary; `package` is the file's package folder.
pub fn summarise(facts: &FileFacts, package: &str) -> FileSummary {
    let module = module_path(&facts.path, package);
    let mut imports: Vec<String> = facts
        .imports
        .iter()
        .filter_map(|i| match facts.language {
            Language::Rust => resolve_import(&i.path, &module),
            _ => foreign_import(&i.path, &facts.path, facts.language),
        })
        .collect();
    imports.sort();
    imports.dedup();

    let mut traits = Vec::new();
    for t in facts.types.iter().filter(|t| t.kind == TypeKind::Trait) {
        let defaults: Vec<&Function> = facts
            .functions
            .iter()
            .filter(|f| f.owner.as_deref() == Some(&t.name) && f.trait_impl.is_none())
            .filter(|f| t.span.contains(f.span.start))
            .collect();
        let template = defaults.iter().any(|d| {
            d.calls().any(|(_, c)| {
                c.is_method
                    && c.receiver == "self"
                    && c.callee != d.name
                    && t.variants.contains(&c.callee)
            })
        });
        let lifecycle = t
            .variants
            .iter()
            .filter(|m| LIFECYCLE.contains(&m.as_str()))
            .count();
        let provider = t.variants.iter().any(|m| {
            ["provide", "resolve", "inject"]
                .iter()
                .any(|w| m.starts_with(w))
        });
        traits.push(TraitFact {
            name: t.name.clone(),
            line: t.span.start,
            is_public: t.is_public,
            template,
            lifecycle: u32::try_from(lifecycle).unwrap_or(u32::MAX),
            provider,
            next_param: defaults.iter().any(|d| is_next_param(d)),
        });
    }

    let mut impls: Vec<(String, String)> = facts
        .functions
        .iter()
        .filter_map(|f| Some((f.trait_impl.clone()?, f.owner.clone()?)))
        .collect();
    impls.sort();
    impls.dedup();
    let mut next_impls: Vec<String> = facts
        .functions
        .iter()
        .filter(|f| is_next_param(f))
        .filter_map(|f| f.trait_impl.clone())
        .collect();
    next_impls.sort();
    next_impls.dedup();

    let type_ids = facts
        .types
        .iter()
        .filter(|t| {
            t.fields
                .iter()
                .any(|f| f.ty.contains("TypeId") || type_keyed_map(&f.ty))
        })
        .map(|t| t.span.start)
        .chain(
            facts
                .functions
                .iter()
                .flat_map(Function::calls)
                .filter(|(_, c)| c.ends_with("TypeId::of"))
                .map(|(e, _)| e.line),
        )
        .min();
    let mut di_functions: Vec<String> = facts
        .functions
        .iter()
        .filter(|f| f.trait_impl.is_none())
        .filter(|f| is_di_name(&f.name))
        .map(|f| f.name.clone())
        .collect();
    di_functions.sort();
    di_functions.dedup();

    FileSummary {
        path: facts.path.clone(),
        language: facts.language,
        code_lines: facts.lines.code,
        last_line: facts.last_line(),
        complexity: Some(facts.complexity_in(LineSpan::new(1, facts.last_line()))),
        module,
        imports,
        traits,
        impls: impls.into_iter().map(|(t, _)| t).collect(),
        next_impls,
        macros: facts
            .macros
            .iter()
            .filter(|m| !m.procedural)
            .map(|m| (m.name.clone(), m.line, m.arms, m.recursive))
            .collect(),
        proc_macros: facts
            .macros
            .iter()
            .filter(|m| m.procedural)
            .map(|m| (m.name.clone(), m.line))
            .collect(),
        macro_uses: facts.macro_uses.clone(),
        type_ids,
        di_functions,
        public_types: count(facts, |k| k != TypeKind::Trait),
        public_traits: count(facts, |k| k == TypeKind::Trait),
        signals: file_signals(facts),
        marker: marker(facts),
        discovery: discovery(facts),
    }
}

fn count(facts: &FileFacts, kind: impl Fn(TypeKind) -> bool) -> u32 {
    let n = facts
        .types
        .iter()
        .filter(|t| t.is_public && kind(t.kind))
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A registry in a dynamic language or Go, where types do not tell behaviour from data: a
/// map held by a type or a global, keyed by names (or untyped), filled by a public
/// registration function (or a decorator inside one) with a parameter that holds behaviour.
fn dynamic_registry(
    facts: &FileFacts,
    field: &liability_model::Field,
    line: u32,
    global: bool,
) -> Option<FileSignal> {
    let (_, key) = dynamic_map(&field.ty)?;
    if !(key.is_empty() || NAME_KEYS.contains(&key)) {
        return None;
    }
    let fills = |f: &Function| {
        f.calls().any(|(_, c)| {
            c.is_method
                && matches!(c.name(), "insert" | "set" | "setdefault")
                && is_holder(&c.receiver, &field.name)
                && c.args.get(1).is_some_and(|v| {
                    // The stored value: a parameter (typed or not) or a name that says it.
                    match f.params.iter().find(|p| p.name == *v) {
                        Some(p) => is_behaviour_param(p),
                        None => is_behaviour_param(&liability_model::Field {
                            name: v.clone(),
                            ty: String::new(),
                        }),
                    }
                })
        })
    };
    let register = facts
        .functions
        .iter()
        .filter(|f| f.is_public && is_register_name(&f.name))
        .find(|r| {
            fills(r)
                || facts
                    .functions
                    .iter()
                    .any(|inner| r.span.contains(inner.span.start) && fills(inner))
        })?;
    let mut readers: Vec<&str> = facts
        .functions
        .iter()
        .filter(|f| f.is_public && f.name != register.name)
        .filter(|f| {
            f.calls().any(|(_, c)| {
                c.is_method
                    && matches!(c.name(), "get" | "remove" | "delete" | "has" | "pop")
                    && is_holder(&c.receiver, &field.name)
            })
        })
        .map(|f| f.name.as_str())
        .collect();
    readers.sort_unstable();
    readers.dedup();
    let line = if global { register.span.start } else { line };
    let read = if readers.is_empty() {
        String::new()
    } else {
        format!(
            ", read through `{}`",
            readers
                .iter()
                .take(3)
                .copied()
                .collect::<Vec<_>>()
                .join("`, `")
        )
    };
    Some(FileSignal {
        kind: SignalKind::Registry,
        line,
        message: format!(
            "{} registry `{}` of plugins or handlers by name, filled through `{}`{read}",
            if global { "global" } else { "plugin" },
            field.name,
            register.name
        ),
        point: Some(format!("registry `{}`", field.name)),
    })
}

/// Whether a parameter is a function handed to a decorator.
fn is_function_param(p: &liability_model::Field) -> bool {
    matches!(
        p.name.as_str(),
        "f" | "fn" | "func" | "function" | "meth" | "method" | "target" | "wrapped"
    ) || p.ty.contains("Callable")
}

/// A decorator that tags the function it is given: `setattr(func, name, opts)` on a function
/// parameter, or `Reflect.defineMetadata(..)`.
fn marker(facts: &FileFacts) -> Option<(String, u32)> {
    facts.functions.iter().find_map(|f| {
        let tags = f.calls().find(|(_, c)| {
            (c.callee == "setattr"
                && c.args.first().is_some_and(|a| {
                    f.params
                        .iter()
                        .any(|p| p.name == *a && is_function_param(p))
                }))
                || c.ends_with("Reflect::defineMetadata")
                || (c.receiver == "Reflect" && c.callee == "defineMetadata")
        });
        tags.map(|(e, _)| {
            // A decorator factory tags inside a closure: name the outermost function, or its
            // class when it is the class's `__call__`.
            let outer = facts
                .functions
                .iter()
                .filter(|o| o.span.contains(f.span.start) && o.span.contains(f.span.end))
                .max_by_key(|o| o.span.end - o.span.start)
                .unwrap_or(f);
            let name = match &outer.owner {
                Some(o) if outer.name == "__call__" => o.clone(),
                Some(o) => format!("{o}.{}", outer.name),
                None => outer.name.clone(),
            };
            (name, e.line)
        })
    })
}

/// Tagged functions found again by introspection: a function listing an object's attributes
/// (`dir`, `inspect.getmembers`, `vars`) in a file that reads attributes back (`getattr`),
/// or reading `Reflect` metadata.
fn discovery(facts: &FileFacts) -> Option<(String, u32)> {
    let calls = || facts.functions.iter().flat_map(Function::calls);
    let reads_back =
        calls().any(|(_, c)| matches!(c.callee.as_str(), "getattr" | "inspect::getattr_static"));
    facts.functions.iter().find_map(|f| {
        let (e, _) = f.calls().find(|(e, c)| {
            (reads_back
                && e.loop_id.is_some()
                && matches!(c.callee.as_str(), "dir" | "inspect::getmembers" | "vars"))
                || c.ends_with("Reflect::getMetadata")
                || (c.receiver == "Reflect" && c.callee == "getMetadata")
        })?;
        Some((f.name.clone(), e.line))
    })
}

/// The signals one file shows on its own: registries and handler chains.
fn file_signals(facts: &FileFacts) -> Vec<FileSignal> {
    let mut out = Vec::new();
    // Registries held by a type or a global.
    let holders = facts
        .types
        .iter()
        .filter(|t| t.kind == TypeKind::Struct)
        .flat_map(|t| t.fields.iter().map(move |f| (f, t.span.start, false)))
        .chain(facts.statics.iter().map(|s| (s, 0, true)));
    for (field, line, global) in holders {
        if facts.language != liability_model::Language::Rust {
            if let Some(signal) = dynamic_registry(facts, field, line, global) {
                out.push(signal);
                break;
            }
            continue;
        }
        if !is_registry_type(&field.ty) {
            continue;
        }
        let register = facts.functions.iter().find(|f| {
            f.is_public
                && is_registration_name(&f.name)
                && f.calls().any(|(_, c)| {
                    matches!(c.name(), "insert" | "entry")
                        && (c.receiver.ends_with(&field.name) || c.receiver.contains(&field.name))
                })
        });
        if let Some(reg) = register {
            let line = if global { reg.span.start } else { line };
            out.push(FileSignal {
                kind: SignalKind::Registry,
                line,
                message: format!(
                    "{} registry `{}` of handlers by name or type, filled through `{}`",
                    if global { "global" } else { "plugin" },
                    field.name,
                    reg.name
                ),
                point: Some(format!("registry `{}`", field.name)),
            });
            break;
        }
    }
    // A list of boxed handlers applied in order.
    let chain = facts
        .types
        .iter()
        .filter(|t| t.kind == TypeKind::Struct)
        .flat_map(|t| t.fields.iter().map(move |f| (t, f)))
        .find(|(_, f)| f.ty.starts_with("Vec<Box<dyn") || f.ty.starts_with("Vec<Arc<dyn"));
    if let Some((t, field)) = chain {
        let applies = facts.functions.iter().any(|f| {
            f.owner.as_deref() == Some(&t.name)
                && f.events.iter().any(|e| {
                    let binding = e
                        .loop_id
                        .and_then(|id| f.loops.get(id as usize))
                        .and_then(|l| l.binding.as_deref());
                    matches!(&e.kind, liability_model::EventKind::Call(c)
                        if c.is_method && Some(c.receiver.as_str()) == binding)
                })
        });
        if applies {
            out.push(FileSignal {
                kind: SignalKind::Pipeline,
                line: t.span.start,
                message: format!(
                    "chain `{}.{}` applies a list of boxed handlers in order",
                    t.name, field.name
                ),
                point: Some(format!("chain `{}`", t.name)),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_follow_the_file_layout() {
        assert_eq!(module_path("app/src/core/mod.rs", "app"), ["core"]);
        assert_eq!(module_path("app/src/core/x.rs", "app"), ["core", "x"]);
        assert!(module_path("app/src/lib.rs", "app").is_empty());
        assert_eq!(module_path("bad.rs", ""), ["bad"]);
    }

    #[test]
    fn imports_resolve_to_top_modules() {
        let m = vec!["a".to_owned(), "b".to_owned()];
        assert_eq!(
            resolve_import("crate::core::X", &m).as_deref(),
            Some("crate::core")
        );
        assert_eq!(
            resolve_import("super::c::Y", &m).as_deref(),
            Some("crate::a")
        );
        assert_eq!(
            resolve_import("super::super::d", &m).as_deref(),
            Some("crate::d")
        );
        assert_eq!(resolve_import("self::e", &m).as_deref(), Some("crate::a"));
        assert_eq!(resolve_import("std::fmt", &m), None);
        assert_eq!(
            resolve_import("other::k::Z", &m).as_deref(),
            Some("other::k")
        );
    }

    #[test]
    fn foreign_imports_join_relative_paths() {
        let js = |p: &str| foreign_import(p, "web/lib/app.js", Language::JavaScript);
        assert_eq!(
            js(".::router.js::Router").as_deref(),
            Some("./web/lib/router/Router")
        );
        assert_eq!(js("..::util::x").as_deref(), Some("./web/util/x"));
        assert_eq!(js("..::..::..::x"), None);
        assert_eq!(js("express::Router").as_deref(), Some("express::Router"));
        let py = foreign_import("..::core::reg::R", "pkg/a/b.py", Language::Python);
        assert_eq!(py.as_deref(), Some("./pkg/core/reg/R"));
        let go = foreign_import("github.com::acme::svc::core::x", "svc/m.go", Language::Go);
        assert_eq!(go.as_deref(), Some("github.com::acme::svc::core::x"));
    }

    #[test]
    fn a_lazy_static_registry_is_a_global_registry() {
        let src = "lazy_static! {\n    static ref PLUGINS: Mutex<HashMap<String, Box<dyn Plugin>>> = Mutex::new(HashMap::new());\n}\n\
                   pub fn register(name: &str, p: Box<dyn Plugin>) {\n    PLUGINS.lock().unwrap().insert(name.to_owned(), p);\n}\n";
        let facts = crate::frontend::extract(Language::Rust, "core/src/reg.rs", src)
            .unwrap_or_else(|e| panic!("parse: {e:?}"));
        let s = summarise(&facts, "core");
        assert_eq!(s.signals.len(), 1, "{:?}", s.signals);
        assert_eq!(s.signals[0].kind, SignalKind::Registry);
        assert!(
            s.signals[0]
                .message
                .starts_with("global registry `PLUGINS`")
        );
        // The same map filled by a private function is no API.
        let private = src.replace("pub fn", "fn");
        let facts = crate::frontend::extract(Language::Rust, "core/src/reg.rs", &private)
            .unwrap_or_else(|e| panic!("parse: {e:?}"));
        assert!(summarise(&facts, "core").signals.is_empty());
    }

    #[test]
    fn dynamic_maps_and_their_keys() {
        assert_eq!(
            dynamic_map("Final[dict[str,_Plugin]]"),
            Some(("dict", "str"))
        );
        assert_eq!(dynamic_map("dict"), Some(("dict", "")));
        assert_eq!(dynamic_map("map[string]Driver"), Some(("map[", "string")));
        assert_eq!(dynamic_map("Map<string,Handler>"), Some(("Map", "string")));
        assert_eq!(dynamic_map("Mapper"), None);
        assert!(type_keyed_map("dict[type,object]"));
        assert!(type_keyed_map("map[reflect.Type]provider"));
        assert!(!type_keyed_map("dict[str,object]"));
    }

    #[test]
    fn registry_types_need_a_key_and_behaviour() {
        assert!(is_registry_type("HashMap<String,Box<dynPlugin>>"));
        assert!(is_registry_type(
            "OnceLock<Mutex<HashMap<&'staticstr,fn()->u8>>>"
        ));
        assert!(!is_registry_type("HashMap<String,Vec<Box<dynFn()>>>"));
        assert!(!is_registry_type("HashMap<String,u32>"));
    }
}
