//! Where each file sits in the module graph, whatever its language, and where its imports
//! point.
//!
//! A node of the graph is a package and a top-level module of it. What a package is depends
//! on the language:
//! - Rust: the crate (the folder before `src/`), named by its `Cargo.toml` `[package] name`
//!   (or its folder, `-` read as `_`); `src/a/b.rs` is module `a::b`.
//! - Python: the top-level import package (the highest folder of an unbroken chain of
//!   `__init__.py` folders), named by its folder; `pkg/core/x.py` is module `core::x` of
//!   `pkg`. A file outside any package is a module of its folder.
//! - JavaScript and TypeScript: the folder of the nearest `package.json` (named by its `name`),
//!   else the folder before `src/`, else the file's folder; a leading `src/` or `lib/` and a
//!   trailing `index` are not module segments.
//! - Go: the folder of the nearest `go.mod` (named by its `module` line), else the scanned
//!   root; a Go package is a folder, so `middleware/x.go` is module `middleware`.
//!
//! Imports resolve to nodes: Rust `crate::`/`super::` stay in the crate and a first segment
//! naming another crate crosses to it; Python and JavaScript relative imports (kept as
//! folder-relative paths by `summary`) are looked up among the files; absolute ones by the
//! package names; Go import paths by a `go.mod` module prefix, else by the longest folder
//! suffix that names one folder of the tree.

use super::summary::FileSummary;
use crate::rules::package_of;
use liability_model::Language;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A package manifest: where a package is and the name other code imports it by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Manifest {
    /// The folder holding the manifest, relative to the scanned root (`""` for the root).
    pub dir: String,
    pub kind: ManifestKind,
    /// The package name as imports spell it (`my-core` is `my_core` for a crate).
    pub name: String,
}

/// The manifests read for package names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ManifestKind {
    Cargo,
    GoMod,
    Npm,
}

/// Whether a file is a manifest the framework pass reads, by its name.
pub fn manifest_kind(path: &Path) -> Option<ManifestKind> {
    match path.file_name()?.to_str()? {
        "Cargo.toml" => Some(ManifestKind::Cargo),
        "go.mod" => Some(ManifestKind::GoMod),
        "package.json" => Some(ManifestKind::Npm),
        _ => None,
    }
}

/// Reads the package name out of a manifest; `None` for a manifest without one (a Cargo
/// workspace root, a private `package.json` without `name`) or one that does not parse.
pub fn read_manifest(rel: &str, text: &str) -> Option<Manifest> {
    let kind = manifest_kind(Path::new(rel))?;
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
    let name = match kind {
        ManifestKind::Cargo => cargo_name(text)?.replace('-', "_"),
        ManifestKind::GoMod => text.lines().find_map(|l| {
            let rest = l.trim().strip_prefix("module")?;
            let rest = rest.split("//").next()?.trim().trim_matches('"');
            (!rest.is_empty() && rest.len() < l.len()).then(|| rest.to_owned())
        })?,
        ManifestKind::Npm => {
            let value: serde_json::Value = serde_json::from_str(text).ok()?;
            value.get("name")?.as_str()?.to_owned()
        }
    };
    (!name.is_empty()).then_some(Manifest { dir, kind, name })
}

/// `name` of the `[package]` table of a `Cargo.toml` (a line reader: the value is a plain
/// string on one line in every manifest Cargo writes or accepts idiomatically).
fn cargo_name(text: &str) -> Option<String> {
    let mut in_package = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line.trim_start_matches('[').trim_end_matches(']').trim() == "package";
            continue;
        }
        if !in_package {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if key.trim() == "name" {
            let value = value.trim();
            let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let inner = &value[1..];
            return inner.find(quote).map(|end| inner[..end].to_owned());
        }
    }
    None
}

/// A node of the graph, owned: a package folder and maybe a top-level module of it.
pub type Node = (String, Option<String>);

/// A file's place: its package (a folder) and its module path inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub package: String,
    pub module: Vec<String>,
}

impl Place {
    pub fn top(&self) -> Option<&str> {
        self.module.first().map(String::as_str)
    }
}

/// Every file's place, and what imports resolve against.
pub struct Layout {
    pub places: Vec<Place>,
    /// Package names (crates, Python packages, npm packages) → package folder.
    names: BTreeMap<String, String>,
    /// Go module paths → package folder, longest first.
    go_modules: Vec<(String, String)>,
    /// Python and JavaScript files by path without extension (and packages by folder) →
    /// file index.
    stems: BTreeMap<String, usize>,
    /// Go folders → a file of that folder.
    go_dirs: BTreeMap<String, usize>,
}

/// The folder of a path (`""` at the root).
fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn join(dir: &str, rest: &str) -> String {
    if dir.is_empty() {
        rest.to_owned()
    } else if rest.is_empty() {
        dir.to_owned()
    } else {
        format!("{dir}/{rest}")
    }
}

/// The path of a file without its extension.
fn stem_path(path: &str) -> &str {
    let name_at = path.rfind('/').map_or(0, |i| i + 1);
    match path[name_at..].find('.') {
        Some(dot) => &path[..name_at + dot],
        None => path,
    }
}

/// The segments of `path` below `root` (which must be `""` or one of its folders).
fn below<'p>(path: &'p str, root: &str) -> Vec<&'p str> {
    let rest = if root.is_empty() {
        path
    } else {
        path.strip_prefix(root)
            .map_or(path, |r| r.trim_start_matches('/'))
    };
    rest.split('/').filter(|s| !s.is_empty()).collect()
}

/// The nearest folder at or above `dir` in `dirs`.
fn nearest<'d>(dir: &str, dirs: &'d BTreeSet<&str>) -> Option<&'d str> {
    let mut d = dir;
    loop {
        if let Some(found) = dirs.get(d) {
            return Some(found);
        }
        if d.is_empty() {
            return None;
        }
        d = dir_of(d);
    }
}

impl Layout {
    pub fn new(files: &[FileSummary], manifests: &[Manifest]) -> Layout {
        let dirs_of = |kind| -> BTreeSet<&str> {
            manifests
                .iter()
                .filter(|m| m.kind == kind)
                .map(|m| m.dir.as_str())
                .collect()
        };
        let npm_dirs = dirs_of(ManifestKind::Npm);
        let go_mod_dirs = dirs_of(ManifestKind::GoMod);
        let init_dirs: BTreeSet<&str> = files
            .iter()
            .filter(|f| f.language == Language::Python)
            .filter(|f| f.path == "__init__.py" || f.path.ends_with("/__init__.py"))
            .map(|f| dir_of(&f.path))
            .collect();

        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for m in manifests {
            if m.kind != ManifestKind::GoMod {
                names.entry(m.name.clone()).or_insert_with(|| m.dir.clone());
            }
        }
        let mut go_modules: Vec<(String, String)> = manifests
            .iter()
            .filter(|m| m.kind == ManifestKind::GoMod)
            .map(|m| (m.name.clone(), m.dir.clone()))
            .collect();
        go_modules.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));

        let mut places = Vec::with_capacity(files.len());
        let mut stems = BTreeMap::new();
        let mut go_dirs = BTreeMap::new();
        let cargo_dirs = dirs_of(ManifestKind::Cargo);
        for (i, f) in files.iter().enumerate() {
            let place = match f.language {
                Language::Python => python_place(&f.path, &init_dirs),
                Language::JavaScript | Language::TypeScript => js_place(&f.path, &npm_dirs),
                Language::Go => {
                    let root = nearest(dir_of(&f.path), &go_mod_dirs).unwrap_or("");
                    Place {
                        package: root.to_owned(),
                        module: below(dir_of(&f.path), root)
                            .into_iter()
                            .map(str::to_owned)
                            .collect(),
                    }
                }
                _ => {
                    let package = package_of(&f.path);
                    // A crate without a manifest in the tree is named by its folder.
                    if !cargo_dirs.contains(package)
                        && let Some(last) = package.rsplit('/').next().filter(|s| !s.is_empty())
                    {
                        names
                            .entry(last.replace('-', "_"))
                            .or_insert_with(|| package.to_owned());
                    }
                    Place {
                        package: package.to_owned(),
                        module: f.module.clone(),
                    }
                }
            };
            match f.language {
                Language::Python | Language::JavaScript | Language::TypeScript => {
                    let stem = stem_path(&f.path);
                    stems.entry(stem.to_owned()).or_insert(i);
                    if let Some(pkg) = stem
                        .strip_suffix("/__init__")
                        .or_else(|| stem.strip_suffix("/index"))
                    {
                        stems.insert(pkg.to_owned(), i);
                    }
                    // A Python package is imported by its folder's name.
                    if f.language == Language::Python
                        && !place.package.is_empty()
                        && init_dirs.contains(place.package.as_str())
                        && let Some(last) = place.package.rsplit('/').next()
                    {
                        names
                            .entry(last.to_owned())
                            .or_insert_with(|| place.package.clone());
                    }
                }
                Language::Go => {
                    go_dirs.entry(dir_of(&f.path).to_owned()).or_insert(i);
                }
                _ => {}
            }
            places.push(place);
        }
        Layout {
            places,
            names,
            go_modules,
            stems,
            go_dirs,
        }
    }

    /// The node an import of file `i` points to: a package folder and maybe one of its top
    /// modules. `None` when it points outside the tree.
    pub fn resolve(&self, file: &FileSummary, i: usize, import: &str) -> Option<Node> {
        let place = self.places.get(i)?;
        if let Some(rel) = import.strip_prefix("./") {
            // A folder-relative path, already joined to the file's folder by `summary`.
            return self.by_stem(rel);
        }
        let segs: Vec<&str> = import.split("::").collect();
        let first = *segs.first()?;
        if file.language == Language::Go {
            let path = segs.join("/");
            for (module, dir) in &self.go_modules {
                if path == *module || path.starts_with(&format!("{module}/")) {
                    let rest = path[module.len()..].trim_start_matches('/');
                    let top = rest.split('/').next().filter(|s| !s.is_empty());
                    return Some((dir.clone(), top.map(str::to_owned)));
                }
            }
            // Without the module path, a folder suffix (never the standard library's).
            return if first.contains('.') {
                self.by_go_suffix(&segs)
            } else {
                None
            };
        }
        // A scoped npm package is named by its first two segments.
        let (first, rest) = match (first.starts_with('@'), segs.get(1)) {
            (true, Some(name)) => (format!("{first}/{name}"), &segs[2..]),
            _ => (first.to_owned(), &segs[1..]),
        };
        let target = if first == "crate" {
            place.package.clone()
        } else if let Some(dir) = self.names.get(&first) {
            dir.clone()
        } else if file.language == Language::Python {
            // A script folder importing a sibling module absolutely.
            return self.by_stem(&join(&place.package, &first));
        } else {
            return None;
        };
        let second = rest.first().filter(|s| **s != "*").map(|s| (*s).to_owned());
        Some((target, second))
    }

    fn node_of(&self, i: usize) -> Option<Node> {
        let place = self.places.get(i)?;
        Some((place.package.clone(), place.top().map(str::to_owned)))
    }

    fn by_stem(&self, rel: &str) -> Option<Node> {
        let mut path = rel;
        // `from .mod import name` names an item of a module or a submodule: try both.
        for _ in 0..2 {
            if let Some(i) = self.stems.get(path) {
                return self.node_of(*i);
            }
            path = path.rsplit_once('/')?.0;
        }
        None
    }

    fn by_go_suffix(&self, segs: &[&str]) -> Option<Node> {
        for k in (1..segs.len()).rev() {
            let suffix = segs[segs.len() - k..].join("/");
            let mut hits = self
                .go_dirs
                .iter()
                .filter(|(d, _)| **d == suffix || d.ends_with(&format!("/{suffix}")));
            if let Some((_, i)) = hits.next() {
                return if hits.next().is_some() {
                    None
                } else {
                    self.node_of(*i)
                };
            }
        }
        None
    }
}

fn python_place(path: &str, init_dirs: &BTreeSet<&str>) -> Place {
    let dir = dir_of(path);
    let stem = stem_path(path);
    let name = &stem[stem.rfind('/').map_or(0, |i| i + 1)..];
    if !init_dirs.contains(dir) {
        return Place {
            package: dir.to_owned(),
            module: vec![name.to_owned()],
        };
    }
    // Climb the chain of package folders to the top-level package.
    let mut root = dir;
    while !root.is_empty() && init_dirs.contains(dir_of(root)) {
        root = dir_of(root);
    }
    let mut module: Vec<String> = below(dir, root).into_iter().map(str::to_owned).collect();
    if name != "__init__" {
        module.push(name.to_owned());
    }
    Place {
        package: root.to_owned(),
        module,
    }
}

fn js_place(path: &str, npm_dirs: &BTreeSet<&str>) -> Place {
    let root = nearest(dir_of(path), npm_dirs).unwrap_or_else(|| package_of(path));
    let stem = stem_path(path);
    let mut module: Vec<&str> = below(stem, root);
    if matches!(module.first(), Some(&("src" | "lib"))) && module.len() > 1 {
        module.remove(0);
    }
    if module.last() == Some(&"index") {
        module.pop();
    }
    Place {
        package: root.to_owned(),
        module: module.into_iter().map(str::to_owned).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_name_their_packages() {
        let m = read_manifest(
            "crates/core/Cargo.toml",
            "[package]\nname = \"my-core\"\nversion = \"0.1.0\"\n[dependencies]\nname = \"x\"\n",
        );
        assert_eq!(
            m,
            Some(Manifest {
                dir: "crates/core".into(),
                kind: ManifestKind::Cargo,
                name: "my_core".into()
            })
        );
        assert_eq!(
            read_manifest("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n"),
            None
        );
        let go = read_manifest(
            "svc/go.mod",
            "// x\nmodule github.com/acme/svc // main\n\ngo 1.22\n",
        );
        assert_eq!(go.map(|m| m.name), Some("github.com/acme/svc".to_owned()));
        let npm = read_manifest(
            "web/package.json",
            "{\"version\": \"1\", \"name\": \"@acme/web\"}",
        );
        assert_eq!(
            npm.map(|m| (m.dir, m.name)),
            Some(("web".into(), "@acme/web".into()))
        );
        assert_eq!(read_manifest("package.json", "{not json"), None);
    }

    #[test]
    fn python_files_sit_in_their_top_level_package() {
        let inits: BTreeSet<&str> = ["app/pkg", "app/pkg/core"].into_iter().collect();
        let p = python_place("app/pkg/core/registry.py", &inits);
        assert_eq!(p.package, "app/pkg");
        assert_eq!(p.module, ["core", "registry"]);
        assert!(
            python_place("app/pkg/__init__.py", &inits)
                .module
                .is_empty()
        );
        let loose = python_place("scripts/run.py", &inits);
        assert_eq!(
            (loose.package.as_str(), loose.top()),
            ("scripts", Some("run"))
        );
    }

    #[test]
    fn javascript_modules_drop_src_and_index() {
        let npm: BTreeSet<&str> = ["web"].into_iter().collect();
        let p = js_place("web/lib/middleware/index.js", &npm);
        assert_eq!(
            (p.package.as_str(), p.module.clone()),
            ("web", vec!["middleware".to_owned()])
        );
        assert_eq!(js_place("web/index.js", &npm).module, Vec::<String>::new());
        assert_eq!(js_place("other/src/a/b.ts", &npm).package, "other");
    }
}
