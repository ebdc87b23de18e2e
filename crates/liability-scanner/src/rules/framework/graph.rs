//! The module dependency graph and the framework verdict.
//!
//! Nodes are the top-level modules of each package (`src/core/**` is module `core`) and the
//! packages themselves (crates, Python import packages, npm packages, Go modules: see
//! `layout`, which also resolves every import to a node). An import inside a package links
//! two of its modules; one naming another package of the tree links to it. Fan-in is the
//! number of distinct modules (or packages) with an edge in.
//!
//! A module is reported when its signals make a framework (see `accepted`); a package is
//! reported when none of its modules is but the package as a whole is.

use super::in_house_framework::IN_HOUSE_FRAMEWORK;
use super::layout::{Layout, Manifest, Place};
use super::summary::{FileSignal, FileSummary, SignalKind};
use liability_model::{Complexity, Confidence, Evidence, Finding, Language, LineSpan};
use std::collections::{BTreeMap, BTreeSet};

/// Implementations that make a trait a base of the codebase rather than an interface.
const BASE_IMPLEMENTORS: usize = 4;
/// Implementations of a `Handler`/`Layer`/... trait that make it a middleware contract.
const HANDLER_IMPLEMENTORS: usize = 3;
/// Other files that must invoke a macro for it to be a DSL of the codebase.
const DSL_USERS: usize = 3;
/// Rules of a `macro_rules!` that make it a language rather than a shorthand.
const DSL_ARMS: u32 = 5;
/// Names of generic request-processing contracts.
const HANDLER_NAMES: &[&str] = &["Filter", "Handler", "Interceptor", "Layer", "Middleware"];

/// A node of the graph: a package and a top-level module of it (`None` for the package).
type UnitId<'a> = (&'a str, Option<&'a str>);

/// Whether the kinds of signals seen make a framework: two specific ones, or one with two
/// supporting ones.
pub fn accepted(kinds: &BTreeSet<SignalKind>) -> bool {
    let anchors = kinds.iter().filter(|k| k.is_anchor()).count();
    anchors >= 2 || (anchors >= 1 && kinds.len() >= 3)
}

/// Facts of the whole tree the per-unit signals compare against.
struct Tree<'a> {
    impl_counts: BTreeMap<&'a str, usize>,
    next_traits: BTreeSet<&'a str>,
    macro_users: BTreeMap<&'a str, BTreeSet<&'a str>>,
}

/// The edges of file `i`: the units it imports.
fn edges<'a>(
    files: &[FileSummary],
    i: usize,
    layout: &Layout,
    tops: &BTreeMap<&'a str, BTreeSet<&'a str>>,
) -> BTreeSet<UnitId<'a>> {
    let mut out = BTreeSet::new();
    let (Some(file), Some(place)) = (files.get(i), layout.places.get(i)) else {
        return out;
    };
    for import in &file.imports {
        let Some((target, module)) = layout.resolve(file, i, import) else {
            continue;
        };
        let Some((target, modules)) = tops.get_key_value(target.as_str()) else {
            continue;
        };
        if *target != place.package {
            out.insert((*target, None));
        }
        if let Some(m) = module.and_then(|m| modules.get(m.as_str())) {
            out.insert((*target, Some(*m)));
        }
    }
    out
}

/// Finds the in-house frameworks among `files`; `manifests` name the packages.
/// Frameworks among `files`. `complexity_of` gives the complexity of a file the light
/// front-end read (its summary has none): only the files of a framework need it, so the
/// caller parses just those.
pub fn detect(
    files: &[FileSummary],
    manifests: &[Manifest],
    complexity_of: &dyn Fn(&FileSummary) -> Complexity,
) -> Vec<Finding> {
    let layout = Layout::new(files, manifests);
    let places = &layout.places;
    let mut tops: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut tree = Tree {
        impl_counts: BTreeMap::new(),
        next_traits: BTreeSet::new(),
        macro_users: BTreeMap::new(),
    };
    for (f, place) in files.iter().zip(places) {
        let modules = tops.entry(place.package.as_str()).or_default();
        if let Some(top) = place.top() {
            modules.insert(top);
        }
        for i in &f.impls {
            *tree.impl_counts.entry(i.as_str()).or_default() += 1;
        }
        tree.next_traits
            .extend(f.next_impls.iter().map(String::as_str));
        for m in &f.macro_uses {
            tree.macro_users
                .entry(m.as_str())
                .or_default()
                .insert(f.path.as_str());
        }
    }

    // Edges in, per unit: importing units and the files importing.
    let mut importers: BTreeMap<UnitId<'_>, (BTreeSet<UnitId<'_>>, BTreeSet<&str>)> =
        BTreeMap::new();
    let mut fan_out: BTreeMap<UnitId<'_>, BTreeSet<UnitId<'_>>> = BTreeMap::new();
    for (i, (f, place)) in files.iter().zip(places).enumerate() {
        let package = place.package.as_str();
        let me: UnitId<'_> = (package, place.top());
        for target in edges(files, i, &layout, &tops) {
            if target == me || (target.0 == package && target.1.is_none()) {
                continue;
            }
            let from = if target.0 == package {
                me
            } else {
                (package, None)
            };
            // Root files (`lib.rs`, `__init__.py`, `index.js`) declare and re-export modules;
            // they are not dependents.
            if from.1.is_none() && target.0 == package {
                continue;
            }
            let entry = importers.entry(target).or_default();
            entry.0.insert(from);
            entry.1.insert(f.path.as_str());
            fan_out.entry(me).or_default().insert(target);
        }
    }

    let mut by_package: BTreeMap<&str, Vec<(&FileSummary, &Place)>> = BTreeMap::new();
    for (f, place) in files.iter().zip(places) {
        by_package
            .entry(place.package.as_str())
            .or_default()
            .push((f, place));
    }
    let packages = by_package.len();
    let lines: BTreeMap<&str, u32> = files
        .iter()
        .map(|f| (f.path.as_str(), f.code_lines))
        .collect();
    let mut out = Vec::new();
    for (package, members) in &by_package {
        let mut modules: BTreeMap<&str, Vec<&FileSummary>> = BTreeMap::new();
        for (f, place) in members {
            if let Some(top) = place.top() {
                modules.entry(top).or_default().push(f);
            }
        }
        let siblings = modules.len().saturating_sub(1);
        let mut reported = false;
        for (module, files) in &modules {
            let unit = (*package, Some(*module));
            let layer = layer_signal(unit, files, &importers, &fan_out, siblings);
            let signals = unit_signals(files, &tree, layer);
            if accepted(&kinds(&signals)) {
                out.push(finding(
                    &format!("module {}", module_dir(files)),
                    files,
                    signals,
                    importers.get(&unit),
                    &lines,
                    complexity_of,
                ));
                reported = true;
            }
        }
        if reported {
            continue;
        }
        let members: Vec<&FileSummary> = members.iter().map(|(f, _)| *f).collect();
        let unit = (*package, None);
        let layer = layer_signal(unit, &members, &importers, &fan_out, packages - 1);
        let signals = unit_signals(&members, &tree, layer);
        if accepted(&kinds(&signals)) {
            let name = if package.is_empty() { "." } else { package };
            let what = if members.iter().all(|f| f.language == Language::Rust) {
                "crate"
            } else {
                "package"
            };
            out.push(finding(
                &format!("{what} {name}"),
                &members,
                signals,
                importers.get(&unit),
                &lines,
                complexity_of,
            ));
        }
    }
    out
}

fn kinds(signals: &[(&str, FileSignal)]) -> BTreeSet<SignalKind> {
    signals.iter().map(|(_, s)| s.kind).collect()
}

/// The folder of a module's files, or its one file.
fn module_dir(files: &[&FileSummary]) -> String {
    if let [one] = files {
        return one.path.clone();
    }
    crate::rules::common_dir(files.iter().map(|f| f.path.as_str()))
}

/// The layer signal: most of the other units import this one, and it imports few of them.
fn layer_signal<'a>(
    unit: UnitId<'a>,
    files: &[&'a FileSummary],
    importers: &BTreeMap<UnitId<'a>, (BTreeSet<UnitId<'a>>, BTreeSet<&'a str>)>,
    fan_out: &BTreeMap<UnitId<'a>, BTreeSet<UnitId<'a>>>,
    others: usize,
) -> Option<(&'a str, FileSignal)> {
    let (from, _) = importers.get(&unit)?;
    let fan_in = from.len();
    let out = fan_out.get(&unit).map_or(0, BTreeSet::len);
    (fan_in >= 3 && fan_in * 2 >= others && out * 4 <= fan_in).then(|| {
        let home = files.first().map_or("", |f| f.path.as_str());
        (
            home,
            FileSignal {
                kind: SignalKind::Layer,
                line: 1,
                message: format!(
                    "a layer {fan_in} of {others} other modules import, importing {out} of them"
                ),
                point: None,
            },
        )
    })
}

/// Every signal of a unit, each with the file it is in.
fn unit_signals<'a>(
    files: &[&'a FileSummary],
    tree: &Tree<'_>,
    layer: Option<(&'a str, FileSignal)>,
) -> Vec<(&'a str, FileSignal)> {
    let mut out: Vec<(&str, FileSignal)> = Vec::new();
    let mut push = |path: &'a str, kind, line, message: String, point: Option<String>| {
        out.push((
            path,
            FileSignal {
                kind,
                line,
                message,
                point,
            },
        ));
    };
    for f in files {
        for s in &f.signals {
            push(&f.path, s.kind, s.line, s.message.clone(), s.point.clone());
        }
        for t in &f.traits {
            let implementors = tree.impl_counts.get(t.name.as_str()).copied().unwrap_or(0);
            if t.next_param || tree.next_traits.contains(t.name.as_str()) {
                push(
                    &f.path,
                    SignalKind::Middleware,
                    t.line,
                    format!("middleware trait `{}` passes a `next` continuation", t.name),
                    Some(format!("trait `{}`", t.name)),
                );
            } else if implementors >= HANDLER_IMPLEMENTORS
                && HANDLER_NAMES.iter().any(|h| t.name.ends_with(h))
            {
                push(
                    &f.path,
                    SignalKind::Middleware,
                    t.line,
                    format!(
                        "handler contract `{}` implemented {implementors} times",
                        t.name
                    ),
                    Some(format!("trait `{}`", t.name)),
                );
            }
            if implementors >= BASE_IMPLEMENTORS && (t.template || t.lifecycle >= 2) {
                let how = if t.template {
                    "default methods drive the implementors' methods"
                } else {
                    "it declares lifecycle hooks"
                };
                push(
                    &f.path,
                    SignalKind::AbstractBase,
                    t.line,
                    format!(
                        "base trait `{}` with {implementors} implementors: {how}",
                        t.name
                    ),
                    Some(format!("trait `{}`", t.name)),
                );
            }
            if t.is_public && t.provider {
                push(
                    &f.path,
                    SignalKind::ProviderTraits,
                    t.line,
                    format!(
                        "provider trait `{}` declares provide/resolve methods",
                        t.name
                    ),
                    Some(format!("trait `{}`", t.name)),
                );
            }
        }
        for (name, line, arms, recursive) in &f.macros {
            let users = tree
                .macro_users
                .get(name.as_str())
                .map_or(0, |u| u.iter().filter(|p| **p != f.path).count());
            if (*arms >= DSL_ARMS || (*recursive && *arms >= 3)) && users >= DSL_USERS {
                push(
                    &f.path,
                    SignalKind::MacroDsl,
                    *line,
                    format!(
                        "macro DSL `{name}!` with {arms} rules{} used in {users} other files",
                        if *recursive { ", recursive," } else { "" }
                    ),
                    Some(format!("macro `{name}!`")),
                );
            }
        }
        for (name, line) in &f.proc_macros {
            push(
                &f.path,
                SignalKind::ProcMacro,
                *line,
                format!("in-house procedural macro `{name}`"),
                Some(format!("macro `{name}`")),
            );
        }
    }
    // A type-keyed container that serves its values itself: the resolve/provide API sits in
    // the file that keeps the type-keyed storage. Functions named `resolve_*` elsewhere in a
    // package (a name resolver, a service helper) beside an unrelated type-keyed cache (a
    // visitor's dispatch table, a downcast helper) make no container.
    if let Some((f, line, di)) = files.iter().find_map(|f| {
        let line = f.type_ids?;
        let di: BTreeSet<&str> = f.di_functions.iter().map(String::as_str).collect();
        (di.len() >= 2).then_some((f.path.as_str(), line, di))
    }) {
        push(
            f,
            SignalKind::Container,
            line,
            format!(
                "dependency-injection container: values keyed by `TypeId`, served by `{}`",
                di.iter().take(3).copied().collect::<Vec<_>>().join("`, `")
            ),
            None,
        );
    }
    // Hook markers: decorators tag functions that introspection finds again.
    let marker = files
        .iter()
        .find_map(|f| f.marker.as_ref().map(|m| (f.path.as_str(), m)));
    let discovery = files
        .iter()
        .find_map(|f| f.discovery.as_ref().map(|d| (f.path.as_str(), d)));
    if let (Some((path, (tagger, line))), Some((_, (finder, _)))) = (marker, discovery) {
        push(
            path,
            SignalKind::HookMarkers,
            *line,
            format!(
                "hook markers: `{tagger}` tags the functions it decorates, and `{finder}` \
                 finds the tagged functions again by introspection"
            ),
            Some(format!("decorator `{tagger}`")),
        );
    }
    let traits: u32 = files.iter().map(|f| f.public_traits).sum();
    let types: u32 = files.iter().map(|f| f.public_types).sum();
    if traits >= 4 && traits * 3 >= traits + types {
        let home = files.first().map_or("", |f| f.path.as_str());
        push(
            home,
            SignalKind::Plumbing,
            1,
            format!("public API of plumbing: {traits} traits for {types} concrete types"),
            None,
        );
    }
    if let Some((path, s)) = layer {
        out.push((path, s));
    }
    out
}

/// One finding for a framework unit.
fn finding(
    component: &str,
    files: &[&FileSummary],
    signals: Vec<(&str, FileSignal)>,
    importers: Option<&(BTreeSet<UnitId<'_>>, BTreeSet<&str>)>,
    lines: &BTreeMap<&str, u32>,
    complexity_of: &dyn Fn(&FileSummary) -> Complexity,
) -> Finding {
    let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
    for (path, s) in &signals {
        if s.kind.is_anchor() {
            *per_file.entry(path).or_default() += 2;
        } else {
            *per_file.entry(path).or_default() += 1;
        }
    }
    let home_path = per_file
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map_or("", |(p, _)| *p);
    let home = files
        .iter()
        .find(|f| f.path == home_path)
        .or_else(|| files.first());
    let (home_path, last_line, home_lines) = home.map_or((String::new(), 1, 0), |f| {
        (f.path.clone(), f.last_line, f.code_lines)
    });

    let mut seen = BTreeSet::new();
    let mut points: Vec<String> = Vec::new();
    let mut evidence = Vec::new();
    for (path, s) in &signals {
        if let Some(p) = &s.point
            && !points.contains(p)
        {
            points.push(p.clone());
        }
        if seen.insert(s.kind) {
            evidence.push(Evidence {
                path: (*path != home_path).then(|| (*path).to_owned()),
                line: s.line,
                rule: IN_HOUSE_FRAMEWORK.id,
                message: s.message.clone(),
            });
        }
    }
    let code_lines: u32 = files.iter().map(|f| f.code_lines).sum();
    let dependents = importers.map_or(0, |(units, _)| units.len());
    let dependent_code_lines: u32 = importers.map_or(0, |(_, paths)| {
        paths
            .iter()
            .filter_map(|p| lines.get(p))
            .fold(0u32, |a, b| a.saturating_add(*b))
    });
    let mut complexity = crate::rules::sum_complexity(
        files
            .iter()
            .map(|f| f.complexity.unwrap_or_else(|| complexity_of(f))),
    );
    complexity.dependents = u32::try_from(dependents).unwrap_or(u32::MAX);
    complexity.dependent_code_lines = dependent_code_lines;
    evidence.push(Evidence {
        path: None,
        line: 1,
        rule: IN_HOUSE_FRAMEWORK.id,
        message: format!(
            "size {} files, {code_lines} code lines; fan-in {dependents} modules or crates \
             ({dependent_code_lines} code lines depend on it)",
            files.len()
        ),
    });
    if !points.is_empty() {
        points.truncate(8);
        evidence.push(Evidence {
            path: None,
            line: 1,
            rule: IN_HOUSE_FRAMEWORK.id,
            message: format!("extension points: {}", points.join(", ")),
        });
    }
    evidence.sort();
    Finding {
        rule: IN_HOUSE_FRAMEWORK.id,
        category: IN_HOUSE_FRAMEWORK.category,
        path: home_path,
        span: LineSpan::new(1, last_line),
        component: component.to_owned(),
        definition: String::new(),
        subject: None,
        confidence: Confidence::from_signals(seen.len()),
        evidence,
        code_lines,
        file_code_lines: home_lines,
        complexity,
        liability: None,
        snippet: Vec::new(),
        line_hash: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend;
    use crate::rules::framework::summarise;
    use crate::rules::package_of;

    fn summaries(files: &[(&str, &str)]) -> Vec<FileSummary> {
        files
            .iter()
            .map(|(path, src)| {
                let language = frontend::language_of(std::path::Path::new(path))
                    .unwrap_or_else(|| panic!("language of {path}"));
                let facts = frontend::extract(language, path, src)
                    .unwrap_or_else(|e| panic!("parse: {e:?}"));
                summarise(&facts, package_of(path))
            })
            .collect()
    }

    /// A Python plugin system: markers that tag hook functions, a manager that registers
    /// plugins by name and finds their hooks by introspection.
    const PY_MARKERS: &str = "class Marker:\n    def __init__(self, project):\n        self.project = project\n\n    def __call__(self, function=None, first=False):\n        def tag(func):\n            setattr(func, self.project + '_impl', {'first': first})\n            return func\n        return tag if function is None else tag(function)\n";
    const PY_MANAGER: &str = "from .markers import Marker\nfrom . import calls\n\nclass Manager:\n    def __init__(self, project):\n        self._plugins: dict[str, object] = {}\n\n    def register(self, plugin, name=None):\n        for attr in dir(plugin):\n            opts = getattr(getattr(plugin, attr), 'x_impl', None)\n        self._plugins[name] = plugin\n\n    def unregister(self, name):\n        del self._plugins[name]\n\n    def get_plugin(self, name):\n        return self._plugins.get(name)\n";

    #[test]
    fn a_python_plugin_system_is_a_framework() {
        let files = summaries(&[
            ("lib/hooks/__init__.py", "from .manager import Manager\n"),
            ("lib/hooks/markers.py", PY_MARKERS),
            ("lib/hooks/manager.py", PY_MANAGER),
            (
                "lib/hooks/calls.py",
                "def call_all(impls, kwargs):\n    return [i(**kwargs) for i in impls]\n",
            ),
            ("app/main.py", "from hooks import Manager\n"),
        ]);
        let found = detect(&files, &[], &|f| f.complexity.unwrap_or_default());
        assert_eq!(found.len(), 1, "{found:#?}");
        let f = &found[0];
        assert_eq!(f.component, "package lib/hooks");
        let text: Vec<&str> = f.evidence.iter().map(|e| e.message.as_str()).collect();
        assert!(
            text.iter().any(|m| m.starts_with(
                "plugin registry `_plugins` of plugins or handlers by name, filled through `register`, read through `get_plugin`, `unregister`"
            )),
            "{text:#?}"
        );
        assert!(
            text.iter()
                .any(|m| m.starts_with("hook markers: `Marker` tags")),
            "{text:#?}"
        );
        // `app/main.py` imports the package by its name.
        assert_eq!(f.complexity.dependents, 1);
    }

    #[test]
    fn python_near_misses_are_silent() {
        // A cache keyed by name, and markers without a registry.
        let cache = "class Cache:\n    def __init__(self):\n        self._data: dict[str, bytes] = {}\n\n    def add(self, key, value):\n        self._data[key] = value\n\n    def get(self, key):\n        return self._data.get(key)\n";
        let files = summaries(&[
            ("lib/store/__init__.py", ""),
            ("lib/store/cache.py", cache),
            ("lib/store/markers.py", PY_MARKERS),
        ]);
        assert!(detect(&files, &[], &|f| f.complexity.unwrap_or_default()).is_empty());
    }

    #[test]
    fn resolve_helpers_beside_a_class_keyed_cache_make_no_container() {
        let visitor = "class Visitor:\n    def __init__(self):\n        self._cache: dict[type, tuple] = {}\n";
        let names = "def resolve_to_class_def(node):\n    return node\n\ndef provide_default(o):\n    return o\n";
        let container = "class Container:\n    def __init__(self):\n        self._providers: dict[type, object] = {}\n\n    def provide(self, t, v):\n        self._providers[t] = v\n\n    def resolve(self, t):\n        return self._providers[t]\n";
        let container_of = |files: &[(&str, &str)]| {
            let files = summaries(files);
            detect(&files, &[], &|f| f.complexity.unwrap_or_default())
                .iter()
                .any(|f| {
                    f.evidence
                        .iter()
                        .any(|e| e.message.starts_with("dependency-injection container"))
                })
        };
        let marker = ("lib/pkg/markers.py", PY_MARKERS);
        let manager = ("lib/pkg/manager.py", PY_MANAGER);
        assert!(!container_of(&[
            ("lib/pkg/__init__.py", ""),
            ("lib/pkg/visitor.py", visitor),
            ("lib/pkg/names.py", names),
            manager,
            marker,
        ]));
        assert!(container_of(&[
            ("lib/pkg/__init__.py", ""),
            ("lib/pkg/container.py", container),
            manager,
            marker,
        ]));
    }

    #[test]
    fn relative_imports_make_a_python_layer() {
        let core = "REGISTRY = {}\n\ndef register(name):\n    def deco(cls):\n        REGISTRY[name] = cls\n        return cls\n    return deco\n\nclass Base:\n    pass\n";
        let user =
            "from ..core import register, Base\n\n@register('x')\nclass X(Base):\n    pass\n";
        let files = summaries(&[
            ("pkg/__init__.py", ""),
            ("pkg/core/__init__.py", core),
            ("pkg/a/__init__.py", user),
            ("pkg/b/__init__.py", user),
            ("pkg/c/__init__.py", user),
        ]);
        // One anchor (the registry) and the layer: not enough alone.
        assert!(detect(&files, &[], &|f| f.complexity.unwrap_or_default()).is_empty());
        let layout = Layout::new(&files, &[]);
        let core = files.iter().position(|f| f.path == "pkg/core/__init__.py");
        assert_eq!(layout.places[core.unwrap_or(0)].top(), Some("core"));
        let a = files
            .iter()
            .position(|f| f.path == "pkg/a/__init__.py")
            .unwrap_or(0);
        let target = files[a]
            .imports
            .iter()
            .find_map(|i| layout.resolve(&files[a], a, i));
        assert_eq!(target, Some(("pkg".to_owned(), Some("core".to_owned()))));
        assert!(
            files[1]
                .signals
                .iter()
                .any(|s| s.kind == SignalKind::Registry
                    && s.message.starts_with("global registry `REGISTRY`"))
        );
    }

    #[test]
    fn one_anchor_alone_is_not_a_framework() {
        let kinds = |k: &[SignalKind]| k.iter().copied().collect::<BTreeSet<_>>();
        assert!(!accepted(&kinds(&[SignalKind::Registry])));
        assert!(!accepted(&kinds(&[
            SignalKind::Registry,
            SignalKind::Plumbing
        ])));
        assert!(!accepted(&kinds(&[
            SignalKind::Plumbing,
            SignalKind::Layer,
            SignalKind::ProcMacro
        ])));
        assert!(accepted(&kinds(&[
            SignalKind::Registry,
            SignalKind::Middleware
        ])));
        assert!(accepted(&kinds(&[
            SignalKind::Container,
            SignalKind::Plumbing,
            SignalKind::ProviderTraits
        ])));
    }

    #[test]
    fn a_core_layer_counts_its_dependents() {
        let core = "pub trait Handler { fn handle(&self, x: u8, next: &dyn Fn(u8)); }\n\
                    pub struct Reg { m: HashMap<String, Box<dyn Handler>> }\n\
                    impl Reg { pub fn register(&mut self, n: &str, h: Box<dyn Handler>) { self.m.insert(n.into(), h); } }\n";
        let user = |n: &str| {
            format!(
                "use crate::core::Handler;\npub struct {n};\nimpl Handler for {n} {{ fn handle(&self, x: u8, next: &dyn Fn(u8)) {{ next(x) }} }}\n"
            )
        };
        let (a, b, c) = (user("A"), user("B"), user("C"));
        let files = summaries(&[
            ("app/src/lib.rs", "pub mod core;\n"),
            ("app/src/core/mod.rs", core),
            ("app/src/a.rs", &a),
            ("app/src/b.rs", &b),
            ("app/src/c.rs", &c),
        ]);
        let found = detect(&files, &[], &|f| f.complexity.unwrap_or_default());
        assert_eq!(found.len(), 1, "{found:#?}");
        let f = &found[0];
        assert_eq!(f.path, "app/src/core/mod.rs");
        assert_eq!(f.component, "module app/src/core/mod.rs");
        assert_eq!(f.complexity.dependents, 3);
        assert!(f.complexity.dependent_code_lines > 0);
        assert!(
            f.evidence
                .iter()
                .any(|e| e.message.starts_with("a layer 3 of 3"))
        );
    }

    #[test]
    fn an_application_on_axum_middleware_is_silent() {
        let files = summaries(&[
            (
                "web/src/auth.rs",
                "use axum::middleware::Next;\npub async fn auth(req: Request, next: Next) -> Response { next.run(req).await }\n",
            ),
            ("web/src/users.rs", "use crate::auth;\npub fn list() {}\n"),
        ]);
        assert!(detect(&files, &[], &|f| f.complexity.unwrap_or_default()).is_empty());
    }
}
