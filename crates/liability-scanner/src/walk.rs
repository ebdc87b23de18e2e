//! Finding the files to analyse.
//!
//! Walks the root in parallel with `ignore::WalkBuilder::build_parallel`: `.gitignore`,
//! `.ignore` and `.liabilityignore` are honoured (inside or outside a git repository), hidden
//! files and folders are skipped, vendored and generated trees are excluded by default, and
//! symbolic links are not followed.
//!
//! Policy: the walk never opens anything. It only classifies directory entries from their
//! `lstat` metadata, so a FIFO, a socket, a device or a link to one is listed as skipped and is
//! never read. Each worker keeps its own lists and hands them over when it is dropped, so there
//! is no lock per file; the caller sorts, so the order never depends on thread timing.

use ignore::overrides::OverrideBuilder;
use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};
use liability_model::{SkipReason, Skipped};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Directory and file patterns excluded by default: vendored dependencies, build output and
/// minified bundles. Gitignore syntax, negated because overrides whitelist by default.
/// `dist/` is not among them: see `BUILD_OUTPUT_BESIDE_SOURCES`.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    "!target/",
    "!node_modules/",
    "!vendor/",
    "!build/",
    "!.venv/",
    "!venv/",
    "!__pycache__/",
    "!*.min.js",
    "!*.min.css",
    "!*.bundle.js",
];

/// Folders excluded by default only when a folder of sources (`SOURCE_FOLDERS`) sits beside
/// them: then they are the build output (or the bundle) of code that is scanned anyway, and
/// scanning both would report it twice. Without one (a published package that ships only its
/// compiled `dist/`, a project that commits its build), they are the only copy of the code and
/// are scanned; minified bundles in them are still skipped by `source.rs`, and a `dist/` listed
/// in `.gitignore` is still ignored.
pub const BUILD_OUTPUT_BESIDE_SOURCES: &[&str] = &["dist"];

/// Folders that hold a package's own code beside its `dist/`: `src/`, or `lib/` (the sources
/// of many JavaScript packages, or their unbundled build: either way a copy of the code).
pub const SOURCE_FOLDERS: &[&str] = &["lib", "src"];

/// The ES-module build of a dual package, skipped when its CommonJS twin (`cjs/`) sits beside
/// it: both are compiled from the same sources, and one copy is enough.
pub const ES_MODULE_BUILDS: &[&str] = &["esm", "mjs"];

/// The folder whose presence beside an ES-module build makes it a duplicate.
pub const COMMONJS_BUILD: &str = "cjs";

/// Whether a folder named `name` may be build output to skip, depending on its siblings.
pub fn is_build_output_candidate(name: &str) -> bool {
    BUILD_OUTPUT_BESIDE_SOURCES.contains(&name) || ES_MODULE_BUILDS.contains(&name)
}

/// Whether the folder `name` is build output to skip, given which sibling folders exist
/// (`has_sibling("src")`).
pub fn is_build_output(name: &str, has_sibling: impl Fn(&str) -> bool) -> bool {
    (BUILD_OUTPUT_BESIDE_SOURCES.contains(&name) && SOURCE_FOLDERS.iter().any(|s| has_sibling(s)))
        || (ES_MODULE_BUILDS.contains(&name) && has_sibling(COMMONJS_BUILD))
}

/// A file to analyse.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// Relative to the root, `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
    pub size: u64,
}

/// What the walk produced.
#[derive(Debug, Default)]
pub struct WalkOutput {
    pub files: Vec<Candidate>,
    pub skipped: Vec<Skipped>,
}

/// Walk settings.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    pub threads: usize,
    pub max_file_size: u64,
    pub follow_links: bool,
    /// Extra exclude globs (gitignore syntax, relative to the root).
    pub exclude: Vec<String>,
    /// Whether to apply `DEFAULT_EXCLUDES`.
    pub default_excludes: bool,
    /// Decides which file names are worth reading (by extension or name).
    pub wanted: fn(&Path) -> bool,
}

/// Walks `root` and returns the candidate files and what was skipped on the way.
pub fn walk(root: &Path, options: &WalkOptions) -> Result<WalkOutput, ignore::Error> {
    let mut overrides = OverrideBuilder::new(root);
    if options.default_excludes {
        for pattern in DEFAULT_EXCLUDES {
            overrides.add(pattern)?;
        }
    }
    for pattern in &options.exclude {
        let negated = if let Some(rest) = pattern.strip_prefix('!') {
            rest.to_owned()
        } else {
            format!("!{pattern}")
        };
        overrides.add(&negated)?;
    }
    let overrides = overrides.build()?;

    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(true)
        .parents(false)
        .require_git(false)
        .git_global(false)
        .follow_links(options.follow_links)
        .overrides(overrides)
        .add_custom_ignore_filename(".liabilityignore")
        .threads(options.threads);
    if options.default_excludes {
        // `lstat` of the sibling only: nothing is opened.
        builder.filter_entry(|entry| {
            let name = entry.file_name().to_str().unwrap_or("");
            let candidate = entry.depth() > 0
                && entry.file_type().is_some_and(|t| t.is_dir())
                && is_build_output_candidate(name);
            let has_sibling = |sibling: &str| {
                entry.path().parent().is_some_and(|p| {
                    std::fs::symlink_metadata(p.join(sibling)).is_ok_and(|m| m.is_dir())
                })
            };
            !(candidate && is_build_output(name, has_sibling))
        });
    }

    let collected = Mutex::new(WalkOutput::default());
    let mut visitor_builder = Collector {
        root,
        options,
        sink: &collected,
    };
    builder.build_parallel().visit(&mut visitor_builder);
    let mut out = collected
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    out.files.sort();
    out.skipped.sort();
    Ok(out)
}

struct Collector<'a> {
    root: &'a Path,
    options: &'a WalkOptions,
    sink: &'a Mutex<WalkOutput>,
}

impl<'s> ParallelVisitorBuilder<'s> for Collector<'s> {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        Box::new(Worker {
            root: self.root,
            options: self.options,
            sink: self.sink,
            local: WalkOutput::default(),
        })
    }
}

struct Worker<'a> {
    root: &'a Path,
    options: &'a WalkOptions,
    sink: &'a Mutex<WalkOutput>,
    local: WalkOutput,
}

impl Drop for Worker<'_> {
    fn drop(&mut self) {
        let mut sink = self
            .sink
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        sink.files.append(&mut self.local.files);
        sink.skipped.append(&mut self.local.skipped);
    }
}

impl ParallelVisitor for Worker<'_> {
    fn visit(&mut self, entry: Result<DirEntry, ignore::Error>) -> WalkState {
        match entry {
            Ok(entry) => self.classify(&entry),
            Err(err) => {
                let (path, detail) = error_path(self.root, &err);
                let rel = path
                    .map(|p| relative(self.root, &p))
                    .unwrap_or_else(|| ".".to_owned());
                self.local.skipped.push(Skipped {
                    path: rel,
                    reason: SkipReason::Unreadable,
                    detail,
                });
            }
        }
        WalkState::Continue
    }
}

impl Worker<'_> {
    fn classify(&mut self, entry: &DirEntry) {
        let path = entry.path();
        let Some(file_type) = entry.file_type() else {
            return; // stdin; never produced for a directory walk
        };
        if file_type.is_dir() {
            return;
        }
        // Links are listed when they look like source files or like directories (no
        // extension), so a link loop is reported rather than silently dropped.
        let listed_link = file_type.is_symlink() && path.extension().is_none();
        if !listed_link && !(self.options.wanted)(path) {
            return;
        }
        let rel = relative(self.root, path);
        if file_type.is_symlink() {
            // Only reached when links are not followed: a followed link reports its target.
            let detail = match std::fs::read_link(path) {
                Ok(target) => format!("symbolic link to {} (not followed)", target.display()),
                Err(_) => "symbolic link (not followed)".to_owned(),
            };
            self.local.skipped.push(Skipped {
                path: rel,
                reason: SkipReason::Symlink,
                detail,
            });
            return;
        }
        if !file_type.is_file() {
            self.local.skipped.push(Skipped {
                path: rel,
                reason: SkipReason::NotRegularFile,
                detail: "not a regular file (FIFO, socket or device); never opened".to_owned(),
            });
            return;
        }
        let size = match entry.metadata() {
            Ok(meta) => meta.len(),
            Err(err) => {
                self.local.skipped.push(Skipped {
                    path: rel,
                    reason: SkipReason::Unreadable,
                    detail: err.to_string(),
                });
                return;
            }
        };
        if size > self.options.max_file_size {
            self.local.skipped.push(Skipped {
                path: rel,
                reason: SkipReason::TooLarge,
                detail: format!(
                    "{size} bytes, over the {} byte limit",
                    self.options.max_file_size
                ),
            });
            return;
        }
        self.local.files.push(Candidate {
            rel,
            abs: path.to_path_buf(),
            size,
        });
    }
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for (i, part) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&part.as_os_str().to_string_lossy());
    }
    if out.is_empty() { ".".to_owned() } else { out }
}

/// The path an `ignore::Error` is about, and its message.
fn error_path(root: &Path, err: &ignore::Error) -> (Option<PathBuf>, String) {
    match err {
        ignore::Error::WithPath { path, err } => (Some(path.clone()), err.to_string()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(root, err)
        }
        ignore::Error::Loop { child, ancestor } => (
            Some(child.clone()),
            format!("symbolic link loop back to {}", relative(root, ancestor)),
        ),
        other => (None, other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> WalkOptions {
        WalkOptions {
            threads: 1,
            max_file_size: 1 << 20,
            follow_links: false,
            exclude: Vec::new(),
            default_excludes: true,
            wanted: |p| crate::frontend::kind_of(p).is_some(),
        }
    }

    #[test]
    fn dist_is_skipped_only_beside_sources() {
        let dir = tempfile::tempdir().unwrap();
        for rel in [
            "web/src/app.ts",
            "web/dist/app.js",
            "pkg/dist/esm/mail.js",
            "client/lib/http.js",
            "client/dist/node/client.cjs",
            "exit/dist/cjs/index.js",
            "exit/dist/mjs/index.js",
            "node_modules/x/index.js",
            "dist/top.js",
        ] {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "let x = 1;\n").unwrap();
        }
        let out = walk(dir.path(), &options()).unwrap();
        let files: Vec<&str> = out.files.iter().map(|c| c.rel.as_str()).collect();
        assert_eq!(
            files,
            [
                "client/lib/http.js",
                "dist/top.js",
                "exit/dist/cjs/index.js",
                "pkg/dist/esm/mail.js",
                "web/src/app.ts"
            ]
        );
        let all = walk(
            dir.path(),
            &WalkOptions {
                default_excludes: false,
                ..options()
            },
        )
        .unwrap();
        assert_eq!(all.files.len(), 9);
    }

    #[test]
    fn build_output_needs_sources_beside_it() {
        let with = |names: &'static [&'static str]| move |s: &str| names.contains(&s);
        assert!(is_build_output("dist", with(&["src"])));
        assert!(is_build_output("dist", with(&["lib"])));
        assert!(!is_build_output("dist", with(&[])));
        assert!(!is_build_output("lib", with(&["src"])));
        assert!(is_build_output("mjs", with(&["cjs"])));
        assert!(is_build_output("esm", with(&["cjs"])));
        assert!(!is_build_output("esm", with(&["types"])));
        assert!(!is_build_output("cjs", with(&["esm"])));
    }
}
