//! A filesystem abstraction written in-house: one file API over several backends.

use crate::rules::vocab::{MAP_TYPES, is_file_op};
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{Category, FileFacts, TypeKind};

declare_rule! {
    /// ## What it does
    /// Finds a virtual filesystem written in-house: an interface (trait, Go interface,
    /// TypeScript interface) declaring five file operations or more (open, create, remove,
    /// rename, stat, mkdir, chmod, ...), or types implementing four of them each. A backend
    /// that keeps the files in a map in memory, a backend forwarding to the operating
    /// system's files, and several backends side by side add weight.
    ///
    /// ## Why is this a liability?
    /// A file API has many corners: permissions, partial writes, renames across
    /// directories, concurrent handles, path cleaning and traversal. Every backend must get
    /// them right in the same way, and the in-memory one used by the tests drifts from the
    /// real one. Files kept on local disks do not survive instances or scale with them.
    ///
    /// ## Example
    /// ```go
    /// type Fs interface {
    ///     Create(name string) (File, error)
    ///     Open(name string) (File, error)
    ///     Remove(name string) error
    ///     Rename(oldname, newname string) error
    ///     Stat(name string) (os.FileInfo, error)
    /// }
    /// type MemFs struct { files map[string]*fileData }
    /// ```
    ///
    /// ## Use instead
    /// S3 (Blob Storage, Cloud Storage) behind its SDK or presigned URLs. In-process, a
    /// well-kept abstraction: `object_store`, `fsspec`, `afero`, `memfs`.
    ///
    /// ## Known limits
    /// Operations are recognised by name; an API spelled in other words (put/get/delete of
    /// blobs) is not read. A test double implementing a few file operations is not reported.
    pub static FILESYSTEM_BY_HAND = {
        id: "filesystem-by-hand",
        category: Category::Storage,
        summary: "a filesystem interface with its own backends written by hand",
        check: check,
        // Both anchors need four file operations (`FILE_OPS`, lower-cased without `_`) declared as
        // `fn`s of a trait or of a backend: each clause leaves out three (`open`, `openfile` and
        // `stat`; `create`, `createdir` and `createdirall`). Names are matched from `fn `, in the
        // casings code writes with `_` between their words.
        rust_needs: &[
            &["trait", "impl"],
            &[
                "fn chmod", "Fn chmod", "FN CHMOD", "fn chown", "Fn chown", "FN CHOWN",
                "fn chtimes", "Fn chtimes", "FN CHTIMES", "fn create", "fn Create", "fn CREATE",
                "fn lstat", "fn Lstat", "fn LSTAT", "fn l_stat", "fn make", "fn Make", "fn MAKE",
                "fn mk", "fn Mk", "fn MK", "fn read_dir", "fn readdir", "fn readDir", "fn ReadDir",
                "fn Readdir", "fn READ_DIR", "fn READDIR", "fn read_file", "fn readfile",
                "fn readFile", "fn ReadFile", "fn Readfile", "fn READ_FILE", "fn READFILE",
                "fn remove", "fn Remove", "fn REMOVE", "fn rename", "fn Rename", "fn RENAME",
                "fn rmdir", "fn Rmdir", "fn RMDIR", "fn rm_dir", "fn RM_DIR", "fn truncate",
                "fn Truncate", "fn TRUNCATE", "fn unlink", "fn Unlink", "fn UNLINK",
                "fn write_file", "fn writefile", "fn writeFile", "fn WriteFile", "fn Writefile",
                "fn WRITE_FILE", "fn WRITEFILE",
            ],
            &[
                "fn chmod", "Fn chmod", "FN CHMOD", "fn chown", "Fn chown", "FN CHOWN",
                "fn chtimes", "Fn chtimes", "FN CHTIMES", "fn lstat", "fn Lstat", "fn LSTAT",
                "fn l_stat", "fn make", "fn Make", "fn MAKE", "fn mk", "fn Mk", "fn MK", "fn open",
                "fn Open", "fn OPEN", "fn read_dir", "fn readdir", "fn readDir", "fn ReadDir",
                "fn Readdir", "fn READ_DIR", "fn READDIR", "fn read_file", "fn readfile",
                "fn readFile", "fn ReadFile", "fn Readfile", "fn READ_FILE", "fn READFILE",
                "fn remove", "fn Remove", "fn REMOVE", "fn rename", "fn Rename", "fn RENAME",
                "fn rmdir", "fn Rmdir", "fn RMDIR", "fn rm_dir", "fn RM_DIR", "fn stat", "fn Stat",
                "fn STAT", "fn truncate", "fn Truncate", "fn TRUNCATE", "fn unlink", "fn Unlink",
                "fn UNLINK", "fn write_file", "fn writefile", "fn writeFile", "fn WriteFile",
                "fn Writefile", "fn WRITE_FILE", "fn WRITEFILE",
            ],
        ],
        // And four distinct ones are declared (`fn_file_ops`).
        rust_text: |text| fn_file_ops(text) >= 4,
        // In Python there are no traits: the anchor is two classes with four file operations
        // each, `def`s whose names (`FILE_OPS`, lower-cased without `_`, so `_open` counts) the
        // lexical test counts (`python_file_ops`).
        python_needs: &[&["class"], &["def"]],
        python_text: python_file_ops,
        // In JavaScript: an interface (TypeScript's trait) declaring the operations, or classes
        // (or capitalised constructor functions) implementing them; and four distinct file
        // operations among the names of the text (`javascript_file_ops`).
        javascript_needs: &[&["interface", "class", "function"]],
        javascript_text: javascript_file_ops,
    };
}

/// How many distinct file operations (`is_file_op`) `text` declares as `fn`s (lexical test).
fn fn_file_ops(text: &str) -> usize {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let declared = text.match_indices("fn").filter_map(|(i, _)| {
        if (i > 0 && ident(bytes[i - 1])) || !bytes.get(i + 2).is_some_and(u8::is_ascii_whitespace)
        {
            return None;
        }
        let name = text[i + 2..].trim_start();
        Some(&name[..name.bytes().position(|b| !ident(b)).unwrap_or(name.len())])
    });
    distinct_file_ops(declared)
}

/// The JavaScript lexical test: four file operations or more (`is_file_op`) among the
/// identifiers of the text (runs of ASCII letters, digits, `_` and `$`), as an interface of
/// five and two backends of four methods each need: a method, a method signature or a
/// prototype assignment names its method with an identifier (a method named by a string,
/// `'open'() {}`, keeps its quotes and is no file operation).
fn javascript_file_ops(source: &crate::prepass::Source<'_>) -> bool {
    let bytes = source.text().as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    // The first byte of a file operation, lower-cased, or a leading `_` (`_open`).
    let may_start = |b: u8| {
        matches!(
            b.to_ascii_lowercase(),
            b'_' | b'c' | b'l' | b'm' | b'o' | b'r' | b's' | b't' | b'u' | b'w'
        )
    };
    let mut found: Vec<String> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !ident(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && ident(bytes[i]) {
            i += 1;
        }
        // Identifiers are ASCII here, so `start..i` lies on character boundaries.
        let Some(name) = source.text().get(start..i) else {
            continue;
        };
        if may_start(bytes[start]) && is_file_op(name) {
            let op = name.to_ascii_lowercase().replace('_', "");
            if !found.contains(&op) {
                found.push(op);
                if found.len() >= 4 {
                    return true;
                }
            }
        }
    }
    false
}

/// How many distinct file operations `names` hold (`is_file_op`; `remove_file` and
/// `RemoveFile` are one).
fn distinct_file_ops<'a>(names: impl Iterator<Item = &'a str>) -> usize {
    let mut found: Vec<String> = names
        .filter(|n| is_file_op(n))
        .map(|n| n.to_ascii_lowercase().replace('_', ""))
        .collect();
    found.sort_unstable();
    found.dedup();
    found.len()
}

/// The Python lexical test: four file operations or more (`is_file_op`) among the names the
/// text defines with `def` (past white space and line continuations), as two backends of
/// four methods each need.
fn python_file_ops(source: &crate::prepass::Source<'_>) -> bool {
    let text = source.python_code();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut found: Vec<String> = Vec::new();
    for (i, m) in text.match_indices("def") {
        if text[..i].ends_with(ident) {
            continue;
        }
        let rest = &text[i + m.len()..];
        let name = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\\');
        if name.len() == rest.len() {
            continue;
        }
        let name = &name[..name.find(|c: char| !ident(c)).unwrap_or(name.len())];
        if is_file_op(name) {
            let op = name.to_ascii_lowercase().replace('_', "");
            if !found.contains(&op) {
                found.push(op);
                if found.len() >= 4 {
                    return true;
                }
            }
        }
    }
    false
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals: Vec<Signal> = Vec::new();
    if let Some(t) = facts
        .types
        .iter()
        .filter(|t| t.kind == TypeKind::Trait)
        .find(|t| distinct_file_ops(t.variants.iter().map(String::as_str)) >= 5)
    {
        signals.push(Signal::anchor(
            t.span.start,
            format!("declares a filesystem interface in `{}`", t.name),
        ));
    }
    // Types implementing four file operations or more: the backends.
    let backends: Vec<&liability_model::TypeDef> = facts
        .types
        .iter()
        .filter(|t| t.kind == TypeKind::Struct)
        .filter(|t| distinct_file_ops(facts.methods_of(&t.name).map(|f| f.name.as_str())) >= 4)
        .collect();
    if backends.len() >= 2 {
        signals.push(Signal::anchor(
            backends[0].span.start,
            format!(
                "implements file operations over {} backends",
                backends.len()
            ),
        ));
    }
    let in_memory = backends.iter().find_map(|t| {
        t.fields
            .iter()
            .find(|fd| MAP_TYPES.iter().any(|m| fd.ty.contains(m)))
            .map(|fd| (t, fd))
    });
    if let Some((t, fd)) = in_memory {
        signals.push(Signal::new(
            t.span.start,
            format!("keeps the files in memory in `{}`", fd.name),
        ));
    }
    // A backend whose file operations forward to the operating system's.
    let forwards = backends.iter().find_map(|t| {
        facts
            .methods_of(&t.name)
            .filter(|f| is_file_op(&f.name))
            .flat_map(|f| f.calls())
            .find(|(_, c)| {
                !c.is_method
                    && is_file_op(c.name())
                    && ["os::", "fs::", "shutil::"]
                        .iter()
                        .any(|m| c.callee.starts_with(m) || c.callee.contains(&format!("::{m}")))
            })
            .map(|(e, _)| e.line)
    });
    if let Some(line) = forwards {
        signals.push(Signal::new(
            line,
            "forwards to the operating system's files in one backend",
        ));
    }
    sink.emit_or_defer(signals);
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_in;
    use liability_model::Language;

    #[test]
    fn flags_go_filesystem_with_memory_backend() {
        let src = "package f\nimport \"os\"\ntype Fs interface {\n\tCreate(n string) (File, error)\n\tOpen(n string) (File, error)\n\tRemove(n string) error\n\tRename(o, n string) error\n\tStat(n string) (os.FileInfo, error)\n}\ntype MemFs struct { files map[string]*data }\nfunc (m *MemFs) Create(n string) (File, error) { return nil, nil }\nfunc (m *MemFs) Open(n string) (File, error) { return nil, nil }\nfunc (m *MemFs) Remove(n string) error { delete(m.files, n); return nil }\nfunc (m *MemFs) Rename(o, n string) error { return nil }\n";
        assert_eq!(
            findings_in(Language::Go, "f.go", src, "filesystem-by-hand").len(),
            1
        );
    }

    #[test]
    fn one_small_opener_interface_is_silent() {
        let src = "package f\nimport \"os\"\ntype Opener interface {\n\tOpen(n string) (io.ReadCloser, error)\n}\ntype Disk struct{}\nfunc (Disk) Open(n string) (io.ReadCloser, error) { return os.Open(n) }\n";
        assert!(findings_in(Language::Go, "f.go", src, "filesystem-by-hand").is_empty());
    }

    #[test]
    fn lexical_test_counts_distinct_file_operations_declared() {
        let backend = "impl Fs for Mem {\n    fn open(&self) {}\n    fn create(&self) {}\n    fn remove_file(&self) {}\n    fn rename(&self) {}\n}\n";
        assert_eq!(super::fn_file_ops(backend), 4);
        // Calls and the same operation twice are not declarations of four.
        let client = "fn open(p: &Path) { fs::remove_file(p); fs::rename(a, b); }\nfn Open() {}\nfn create() {}";
        assert_eq!(super::fn_file_ops(client), 2);
    }
}
