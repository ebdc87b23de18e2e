//! The rule page and registry entry of framework detection; the detection itself runs once
//! over the whole tree after every file is read (`super::graph::detect`).

use crate::rules::{Sink, declare_rule};
use liability_model::{Category, FileFacts};

declare_rule! {
    /// ## What it does
    /// Finds a framework written in-house: a module or package whose job is to let the rest
    /// of the code plug into it rather than to do domain work. It builds a module dependency
    /// graph from the imports of every file (Rust `crate::`/`super::` paths and workspace
    /// crates named by their `Cargo.toml`; Python packages and relative imports; JavaScript
    /// and TypeScript relative imports and `package.json` names; Go import paths under the
    /// `go.mod` module) and looks, per top-level module and per package, for independent
    /// signals:
    /// - a plugin registry: a map from names or `TypeId`s to boxed trait objects or function
    ///   pointers (in Python, JavaScript and Go: to parameters that hold plugins, handlers,
    ///   classes or callables), held by a type or a global, with a public `register`-style
    ///   API;
    /// - hook markers: decorators that tag the functions they are given (`setattr`, `Reflect`
    ///   metadata), found again by introspection (`dir` with `getattr`);
    /// - a dependency-injection container: `TypeId`-keyed storage with `resolve`/`provide`
    ///   functions in the same file, and public provider traits declaring
    ///   `provide`/`resolve`/`inject`;
    /// - middleware: a trait of its own whose methods take a `next` continuation, or a list of
    ///   boxed handlers applied in order;
    /// - a macro DSL: a `macro_rules!` with many rules or recursive expansion, invoked from
    ///   several other files; in-house procedural macros;
    /// - an abstract base: a trait with many implementors whose default methods call the
    ///   required ones (template method) or that declares lifecycle hooks (`init`, `start`,
    ///   `stop`, `shutdown`);
    /// - a public API made mostly of traits;
    /// - a layer most of the codebase imports while it imports little of it.
    ///
    /// One finding per framework, with its size, its fan-in (the modules or crates that import
    /// it, and their code lines: the liability model prices the migration of those too) and
    /// its main extension points.
    ///
    /// ## Why is this a liability?
    /// Someone writes a framework over a weekend; a year later it is the thing slowing the
    /// project down. Every module that plugs into it is coupled to its conventions, nobody
    /// outside the team documents or fixes it, and new hires must learn it before they can
    /// change anything. Its cost grows with the code that depends on it.
    ///
    /// ## Example
    /// ```rust
    /// pub trait Plugin { fn init(&mut self) {} fn handle(&self, req: &Req, next: Next) -> Resp; }
    /// pub struct Registry { plugins: HashMap<String, Box<dyn Plugin>> }
    /// impl Registry {
    ///     pub fn register(&mut self, name: &str, p: Box<dyn Plugin>) {
    ///         self.plugins.insert(name.into(), p);
    ///     }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// The framework your ecosystem already has (axum and tower middleware, a DI-free
    /// constructor wiring, `inventory`/`linkme` for plugin discovery), or the platform's own
    /// managed services; then delete the layer.
    ///
    /// ## Known limits
    /// Libraries are made of traits with implementations, so no single signal is enough: a
    /// finding needs two framework-specific signals, or one and two supporting ones. A
    /// well-kept framework vendored into the tree is reported like an in-house one. Abstract
    /// bases, middleware traits and macro DSLs are seen in Rust only (class hierarchies of the
    /// other languages are not extracted yet).
    pub static IN_HOUSE_FRAMEWORK = {
        id: "in-house-framework",
        category: Category::Framework,
        summary: "a module or crate that the rest of the code plugs into: registries, containers, middleware, macro DSLs",
        check: check,
        // `check` is empty (frameworks are detected over the whole tree): an empty clause is never
        // satisfied, so the rule never runs on a Rust file.
        rust_needs: &[&[]],
        // Nor on a Python file, for the same reason.
        python_needs: &[&[]],
        // Nor on a JavaScript or TypeScript file.
        javascript_needs: &[&[]],
    };
}

/// Nothing to do per file: the signals need the whole tree.
fn check(_facts: &FileFacts, _sink: &mut Sink<'_>) {}
