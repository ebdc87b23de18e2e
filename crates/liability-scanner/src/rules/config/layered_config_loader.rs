//! A layered configuration loader written in-house: environment variables parsed by prefix
//! and separator, a dispatch over file formats, layers merged in order of precedence, `.env`
//! files parsed line by line, interpolated and exported into the process environment.

use crate::rules::vocab::{ENV_MAPPINGS, ENV_READ_CALLS, ENV_WRITE_CALLS, call_is};
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{BinOp, Category, EventKind, FileFacts, Function};

declare_rule! {
    /// ## What it does
    /// Finds a configuration loader written in-house: one function that walks every
    /// environment variable (`env::vars`, `env::vars_os`), keeps those with a prefix
    /// (`starts_with`, `strip_prefix`) and turns separators into nested keys (`split`,
    /// `replace`); a `match` over three or more file formats (TOML, JSON, YAML, INI, ...) that
    /// parses each into a value tree; layers (defaults, sources, overrides) merged one
    /// after another into one accumulator; `KEY=VALUE` lines split on `=` with `#` comments
    /// skipped and quotes stripped; and settings written into the process environment one by
    /// one unless already set (`if k not in os.environ: os.environ[k] = v`, `env::set_var`).
    /// `${VAR}` references resolved by a pattern of its own and the environment merged over
    /// other values (`values.update(os.environ)`) add weight.
    ///
    /// ## Why is this a liability?
    /// Configuration code decides what runs in production. Precedence rules, type coercion
    /// of environment strings, secrets mixed with settings and per-environment files drift
    /// from what operators expect, and changing a setting means a redeploy.
    ///
    /// ## Example
    /// ```rust
    /// for (key, value) in std::env::vars() {
    ///     let Some(rest) = key.strip_prefix("APP_") else { continue };
    ///     let path = rest.to_lowercase().replace("__", ".");
    ///     settings.set(&path, value);
    /// }
    /// ```
    ///
    /// ## Use instead
    /// AWS AppConfig with Parameter Store and Secrets Manager (Azure App Configuration and
    /// Key Vault; Google Secret Manager). In-process, `figment` or the `config` crate.
    ///
    /// ## Known limits
    /// Reading one variable or loading one file with a library (`python-dotenv`, `dotenv`)
    /// is not reported, nor is setting or restoring variables without a precedence rule. Layering spread
    /// across builder methods is read only when one function merges the layers.
    pub static LAYERED_CONFIG_LOADER = {
        id: "layered-config-loader",
        category: Category::Config,
        summary: "configuration layered from files and prefixed environment variables by hand",
        check: check,
        // Anchors only: quoted `KEY=VALUE` lines (a `"="` or `'='` split and a `"#"` or `'#'`
        // test), settings written into the environment after reading it (`set_var`, `Setenv`,
        // `putenv`, `os.environ`...), a walk of the environment (`env::vars`, `os.environ`,
        // `process.env`), or a match on three file formats (any casing; `ini` and `ron` may be
        // missing: two of seven). The lexical test asks for one of these whole (`anchor_text`):
        // three formats as words.
        rust_needs: &[
            &[
                "\"=\"", "'='", "set_var", "Setenv", "environ::setdefault", "putenv", "os.environ",
                "process.env", "env::vars", "toml", "Toml", "TOML", "json", "Json", "JSON", "yaml",
                "Yaml", "YAML", "yml", "Yml", "YML", "hcl", "Hcl", "HCL", "properties",
                "Properties", "PROPERTIES",
            ],
            &[
                "\"#\"", "'#'", "env::var", "Getenv", "LookupEnv", "getenv", "environ::get",
                "os.environ", "process.env", "toml", "Toml", "TOML", "json", "Json", "JSON", "yaml",
                "Yaml", "YAML", "yml", "Yml", "YML", "hcl", "Hcl", "HCL", "properties",
                "Properties", "PROPERTIES",
            ],
        ],
        rust_text: anchor_text,
        rust_support: support_text,
        // In Python the same anchors (a module path's `::` written `.`: `os.environ`,
        // `env.vars`), or a match on three file formats: each clause leaves out two of the
        // eight (`ini` and `ron`, `dotenv` and `yml` read as `env` and `yaml`). The lexical test
        // asks for one whole, in one function where the rule reads one (`python_anchor_text`).
        python_needs: &[
            &[
                "\"=\"", "'='", "set_var", "Setenv", "putenv", "os.environ", "process.env",
                "env.vars", "os.Environ", "toml", "Toml", "TOML", "json", "Json", "JSON", "yaml",
                "Yaml", "YAML", "yml", "Yml", "YML", "hcl", "Hcl", "HCL", "properties",
                "Properties", "PROPERTIES", "env", "Env", "ENV",
            ],
            &[
                "\"#\"", "'#'", "Getenv", "LookupEnv", "os.Environ", "toml", "Toml", "TOML",
                "json", "Json", "JSON", "yaml", "Yaml", "YAML", "yml", "Yml", "YML", "hcl", "Hcl",
                "HCL", "properties", "Properties", "PROPERTIES", "env", "Env", "ENV",
            ],
        ],
        python_text: python_anchor_text,
        // In JavaScript the same as in Python, the separators in any of the three quotes
        // (`process.env` holds `env`).
        javascript_needs: &[
            &["\"=\"", "'='", "`=`", "set_var", "Setenv", "putenv", "os.environ", "process.env", "env.vars", "os.Environ", "toml", "Toml", "TOML", "json", "Json", "JSON", "yaml", "Yaml", "YAML", "yml", "Yml", "YML", "hcl", "Hcl", "HCL", "properties", "Properties", "PROPERTIES", "env", "Env", "ENV"],
            &["\"#\"", "'#'", "`#`", "Getenv", "LookupEnv", "os.Environ", "toml", "Toml", "TOML", "json", "Json", "JSON", "yaml", "Yaml", "YAML", "yml", "Yml", "YML", "hcl", "Hcl", "HCL", "properties", "Properties", "PROPERTIES", "env", "Env", "ENV"],
        ],
    };
}

/// Whether `text` may hold a supporting signal (lexical test): a `${..}` pattern
/// (`interpolation_pattern`), `=` and `#` literals (`key_value_lines`), or two loops
/// (`merges_layers`; `merges_environment` reads Python's and JavaScript's environment only).
fn support_text(text: &str) -> bool {
    let is_loop = |l: &&str| {
        (l.contains("for ") && l.contains(" in "))
            || l.contains("while ")
            || l.contains("loop {")
            || l.contains("loop{")
    };
    let loops = text.lines().filter(is_loop).take(2).count();
    crate::rules::has_words(text, &[&["${", "$\\{", "$\\\\{"]])
        || crate::rules::has_words(text, &[&["\"=\"", "'='"], &["\"#\"", "'#'"]])
        || loops >= 2
}

const ENV_WALKS: &[&str] = &["env::vars", "env::vars_os", "os::Environ"];
const FORMATS: &[&str] = &[
    "toml",
    "json",
    "env",
    "dotenv",
    "yaml",
    "yml",
    "ini",
    "ron",
    "hcl",
    "properties",
];

/// Whether `text` may hold one of the anchors (the lexical test): quoted `=` and `#`
/// arguments, an environment write and read, a walk of the environment, or three formats
/// among its words as `formats_in` splits them.
fn anchor_text(text: &str) -> bool {
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    (has(&["\"=\"", "'='"]) && has(&["\"#\"", "'#'"]))
        || (has(&[
            "set_var",
            "Setenv",
            "environ::setdefault",
            "putenv",
            "os.environ",
            "process.env",
        ]) && has(&[
            "env::var",
            "Getenv",
            "LookupEnv",
            "getenv",
            "environ::get",
            "os.environ",
            "process.env",
        ]))
        || has(&["env::vars", "os.environ", "process.env"])
        || three_formats(text)
}

/// The Python form of `anchor_text`, closer to what each anchor reads. In one function
/// (`prepass::PythonText::functions`: `key_value_lines` and `exports_environment` read one):
/// literals `=` and `#` beside a prefix test and a split; or an environment write
/// (`ENV_WRITE_CALLS` as the text spells them, or an assignment to `os.environ[..]`) beside a
/// read (`ENV_READ_CALLS`, or the mapping used whole). In the file: a walk of the environment
/// (`env.vars()`, `os.Environ()`, a `for` over the mapping, or its `keys`/`entries`); or three
/// file formats among the `case` patterns, as `format_dispatch` reads a `match`.
fn python_anchor_text(source: &crate::prepass::Source<'_>) -> bool {
    let text = source.python_code();
    let python = source.python();
    let has = |text: &str, words: &[&str]| crate::prepass::has_any(text, words);
    let in_function = || {
        source.python_functions().iter().any(|f| {
            let code = python.code_of(f);
            (has(code, &["\"=\"", "'='"])
                && has(code, &["\"#\"", "'#'"])
                && has(
                    code,
                    &["startswith", "starts_with", "startsWith", "HasPrefix"],
                )
                && has(code, &["partition", "split", "Split", "Cut", "indexOf"]))
                || ((has(code, &["set_var", "Setenv", "putenv", "environ.setdefault"])
                    || env_store(code))
                    && (has(
                        code,
                        &["env.var", "Getenv", "LookupEnv", "getenv", "environ.get"],
                    ) || env_mapping_whole(code)))
        })
    };
    let formats = || {
        text.contains("case") && {
            let cases: Vec<&str> = python
                .code_statement_texts()
                .map(str::trim_start)
                .filter(|l| {
                    l.strip_prefix("case")
                        .is_some_and(|r| !r.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
                })
                .collect();
            three_formats(&cases.join("\n"))
        }
    };
    has(text, &["env.vars", "os.Environ"]) || env_walk_text(text) || in_function() || formats()
}

/// A walk of the process environment's mapping (`ENV_MAPPINGS`) as `env_walk` reads one: a
/// `for` over it (`in os.environ:`), or an argument of a call named `keys` or `entries`.
fn env_walk_text(text: &str) -> bool {
    ENV_MAPPINGS.iter().any(|m| {
        text.match_indices(m).any(|(i, _)| {
            let after =
                text[i + m.len()..].trim_start_matches(|c: char| c.is_whitespace() || c == ')');
            let before = text[..i].trim_end_matches(|c: char| c.is_whitespace() || c == '(');
            let looped = after.starts_with(':')
                && before.ends_with("in")
                && !before[..before.len() - 2].ends_with(|c: char| c.is_alphanumeric() || c == '_');
            looped || {
                // The call whose arguments hold it: back to the unmatched `(`.
                let mut depth = 0usize;
                let open = text[..i].bytes().rposition(|b| match b {
                    b')' => {
                        depth += 1;
                        false
                    }
                    b'(' if depth == 0 => true,
                    b'(' => {
                        depth -= 1;
                        false
                    }
                    _ => false,
                });
                open.is_some_and(|o| {
                    let callee = text[..o].trim_end();
                    callee.ends_with("keys") || callee.ends_with("entries")
                })
            }
        })
    })
}

/// The process environment's mapping (`ENV_MAPPINGS`) used whole (`key in os.environ or ..`):
/// neither part of a longer name nor followed (past white space) by `.` or `[`.
fn env_mapping_whole(text: &str) -> bool {
    ENV_MAPPINGS.iter().any(|m| {
        text.match_indices(m).any(|(i, _)| {
            let name = |c: char| c.is_alphanumeric() || c == '_';
            let before = text[..i].chars().next_back();
            let rest = &text[i + m.len()..];
            // Not a longer name, nor (past white space) a field or an element of it.
            !before.is_some_and(|c| name(c) || c == '.')
                && !rest.starts_with(name)
                && !rest.trim_start().starts_with(['.', '['])
        })
    })
}

/// An assignment to an element of the environment's mapping (`os.environ[key] = value`, which
/// reads as the target `os.environ[]`): the mapping, its index, then past white space an `=`
/// that is not `==`, or an annotation.
fn env_store(text: &str) -> bool {
    let bytes = text.as_bytes();
    ENV_MAPPINGS.iter().any(|m| {
        text.match_indices(m).any(|(i, _)| {
            let open = i + m.len();
            if bytes.get(open) != Some(&b'[') {
                return false;
            }
            let mut depth = 0usize;
            let Some(close) = bytes[open..].iter().position(|&b| {
                match b {
                    b'[' => depth += 1,
                    b']' => depth -= 1,
                    _ => {}
                }
                depth == 0
            }) else {
                return false;
            };
            // `=`, or an annotation's `:` (`os.environ[k]: str = v`), not `==`.
            let rest = text[open + close + 1..].trim_start();
            (rest.starts_with('=') && !rest.starts_with("==")) || rest.starts_with(':')
        })
    })
}

/// Whether three file formats (`FORMATS`, any casing; `yml` is `yaml`) are among the words of
/// `text` split at every character that is not a letter or a digit, as `formats_in` splits
/// an arm.
fn three_formats(text: &str) -> bool {
    let mut found: Vec<&str> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter_map(|w| FORMATS.iter().find(|f| w.eq_ignore_ascii_case(f)))
        .map(|f| if *f == "yml" { "yaml" } else { *f })
        .collect();
    found.sort_unstable();
    found.dedup();
    found.len() >= 3
}

/// The formats an arm pattern names (`Self::Toml`, `"yaml" | "yml"`), canonically.
fn formats_in(arm: &str) -> Vec<&'static str> {
    let lower = arm.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    FORMATS
        .iter()
        .filter(|f| words.contains(f))
        .map(|f| match *f {
            "yml" => "yaml",
            "dotenv" => "env",
            other => other,
        })
        .collect()
}

/// The line where `f` walks the whole environment: `env::vars()`, the mapping's entries or
/// keys (`Object.entries(process.env)`), or a loop over the mapping (`for (k in process.env)`).
fn env_walk(f: &Function) -> Option<u32> {
    let call = f.calls().find_map(|(e, c)| {
        let entries = matches!(c.name(), "entries" | "keys")
            && c.args.iter().any(|a| ENV_MAPPINGS.contains(&a.as_str()));
        (call_is(c, ENV_WALKS) || entries).then_some(e.line)
    });
    let over_mapping = f
        .loops
        .iter()
        .find(|l| {
            l.iterable
                .as_deref()
                .is_some_and(|i| ENV_MAPPINGS.contains(&i))
        })
        .map(|l| l.span.start);
    call.or(over_mapping)
}

/// Prefix and separator parsing over the whole environment, in one function.
fn env_prefix_parsing(f: &Function) -> Option<u32> {
    let walk = env_walk(f)?;
    // Methods in Rust, JavaScript and Python; functions of `strings` in Go.
    let prefix = f.calls().any(|(_, c)| {
        matches!(
            c.name(),
            "starts_with"
                | "strip_prefix"
                | "startsWith"
                | "startswith"
                | "HasPrefix"
                | "TrimPrefix"
                | "CutPrefix"
        )
    });
    let separator = f.calls().any(|(_, c)| {
        matches!(
            c.name(),
            "split"
                | "splitn"
                | "rsplit"
                | "replace"
                | "split_once"
                | "Split"
                | "SplitN"
                | "Replace"
                | "ReplaceAll"
        )
    });
    (prefix && separator).then_some(walk)
}

/// A match over file formats whose arms each parse: the line of the match.
fn format_dispatch(f: &Function) -> Option<u32> {
    f.events.iter().find_map(|e| {
        let EventKind::Match { arms, results, .. } = &e.kind else {
            return None;
        };
        let mut formats: Vec<&str> = arms.iter().flat_map(|a| formats_in(a)).collect();
        formats.sort_unstable();
        formats.dedup();
        // Front-ends that do not render arm results (tree-sitter's) leave them empty: the
        // formats named then stand alone.
        let unrendered = results.iter().all(String::is_empty);
        let parses = arms
            .iter()
            .zip(results)
            .filter(|(a, r)| !formats_in(a).is_empty() && (unrendered || r.ends_with("()")))
            .count();
        (formats.len() >= 3 && parses >= 3).then_some(e.line)
    })
}

/// One accumulator passed to calls in two or more loops and once more outside them: layers
/// merged in order.
fn merges_layers(f: &Function) -> Option<u32> {
    let plain = |s: &str| {
        !s.is_empty()
            && s != "self"
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    let mut accs: Vec<&str> = f
        .calls()
        .filter(|(_, c)| c.is_method)
        .filter_map(|(_, c)| c.args.first().map(String::as_str))
        .filter(|a| plain(a))
        .collect();
    accs.sort_unstable();
    accs.dedup();
    accs.into_iter().find_map(|acc| {
        let sites: Vec<(&liability_model::Event, _)> = f
            .calls()
            .filter(|(_, c)| c.is_method && c.args.first().is_some_and(|a| a == acc))
            .collect();
        let mut loops: Vec<u32> = sites.iter().filter_map(|(e, _)| e.loop_id).collect();
        let outside = sites.iter().any(|(e, _)| e.loop_id.is_none());
        loops.sort_unstable();
        loops.dedup();
        (loops.len() >= 2 && outside).then(|| sites[0].0.line)
    })
}

/// Whether a rendered argument is the string `s` (`"="` in Python and Go, `'='` in Rust).
fn is_str_arg(arg: &str, s: &str) -> bool {
    arg.strip_prefix(['"', '\''])
        .and_then(|a| a.strip_suffix(['"', '\'']))
        .is_some_and(|a| a == s)
}

/// Whether a rendered argument is a string of quote characters only (`'"'`, `"'\""`).
fn is_quote_arg(arg: &str) -> bool {
    arg.strip_prefix(['"', '\''])
        .and_then(|a| a.strip_suffix(['"', '\'']))
        .is_some_and(|a| !a.is_empty() && a.chars().all(|c| c == '"' || c == '\''))
}

/// Whether `f` unquotes values: strips quote characters or compares characters with a quote.
fn unquotes(f: &Function) -> bool {
    f.events.iter().any(|e| match &e.kind {
        EventKind::Call(c) => {
            matches!(
                c.name(),
                "strip" | "lstrip" | "rstrip" | "trim_matches" | "Trim" | "replace"
            ) && c.args.iter().any(|a| is_quote_arg(a))
        }
        // `v[0] == '"'`, `v[0] in "\"'"`.
        EventKind::Binary {
            op: BinOp::Eq | BinOp::Ne | BinOp::Other,
            lhs,
            rhs,
        } => is_quote_arg(lhs) || is_quote_arg(rhs),
        _ => false,
    })
}

/// A loop that splits lines on `=` and skips `#` comments: `KEY=VALUE` files parsed by hand.
fn key_value_lines(f: &Function) -> Option<u32> {
    f.loops.iter().enumerate().find_map(|(id, l)| {
        let id = u32::try_from(id).ok()?;
        let calls: Vec<&liability_model::Call> = f
            .events_in_loop(id)
            .filter_map(|e| match &e.kind {
                EventKind::Call(c) => Some(c),
                _ => None,
            })
            .collect();
        let splits = calls.iter().any(|c| {
            matches!(
                c.name(),
                "partition" | "split" | "split_once" | "splitn" | "SplitN" | "Cut" | "indexOf"
            ) && c.args.iter().any(|a| is_str_arg(a, "="))
        });
        let comments = calls.iter().any(|c| {
            matches!(
                c.name(),
                "startswith" | "starts_with" | "startsWith" | "HasPrefix"
            ) && c.args.iter().any(|a| is_str_arg(a, "#"))
        });
        (splits && comments).then_some(l.span.start)
    })
}

/// A loop that sets process environment variables one by one, consulting the environment
/// first (`if key in os.environ and not override`, `env::var(k).is_err()`): settings loaded
/// with a precedence rule. Restoring a saved environment sets variables without asking.
fn exports_environment(f: &Function) -> Option<u32> {
    f.loops.iter().enumerate().find_map(|(id, _)| {
        let id = u32::try_from(id).ok()?;
        let mut write = None;
        let mut consults = false;
        // `orig[k] = os.environ.get(k)`: a value saved into another collection (to restore it
        // afterwards) is read, not consulted; the write then overrides whatever was set.
        let saved: Vec<u32> = f
            .events_in_loop(id)
            .filter(|e| {
                matches!(&e.kind, EventKind::Assign { target, .. }
                    if target.ends_with("[]") && !ENV_MAPPINGS.iter().any(|m| target.starts_with(m)))
            })
            .map(|e| e.line)
            .collect();
        for e in f.events_in_loop(id) {
            match &e.kind {
                EventKind::Assign { target, .. }
                    if ENV_MAPPINGS
                        .iter()
                        .any(|m| target.strip_prefix(m) == Some("[]")) =>
                {
                    write.get_or_insert(e.line);
                }
                EventKind::Call(c) if call_is(c, ENV_WRITE_CALLS) => {
                    write.get_or_insert(e.line);
                }
                EventKind::Call(c) if call_is(c, ENV_READ_CALLS) && !saved.contains(&e.line) => {
                    consults = true;
                }
                EventKind::Binary { lhs, rhs, .. }
                    if ENV_MAPPINGS.contains(&rhs.as_str())
                        || ENV_MAPPINGS.contains(&lhs.as_str()) =>
                {
                    consults = true;
                }
                _ => {}
            }
        }
        write.filter(|_| consults)
    })
}

/// The process environment merged over other values (`values.update(os.environ)`).
fn merges_environment(f: &Function) -> Option<u32> {
    f.calls().find_map(|(e, c)| {
        (matches!(
            c.name(),
            "update" | "assign" | "merge" | "extend" | "ChainMap"
        ) && c.args.iter().any(|a| ENV_MAPPINGS.contains(&a.as_str())))
        .then_some(e.line)
    })
}

/// A pattern for `${NAME}` references (`\$\{`), as interpolation by hand compiles.
fn interpolation_pattern(facts: &FileFacts) -> Option<u32> {
    facts
        .literals
        .iter()
        .find(|l| l.value.contains("\\$\\{") || l.value.contains("\\${"))
        .map(|l| l.line)
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals: Vec<Signal> = Vec::new();
    let mut push = |s: Signal| {
        if !signals.iter().any(|o| o.kind() == s.kind()) {
            signals.push(s);
        }
    };
    // Lexers and shells match `${..}` too: the pattern only supports.
    if let Some(line) = interpolation_pattern(facts) {
        push(Signal::new(
            line,
            "resolves `${VAR}` references with a pattern of its own",
        ));
    }
    for f in &facts.functions {
        // A `.env` parser unquotes its values; a plain `KEY=VALUE` reader only supports.
        if let Some(line) = key_value_lines(f) {
            if unquotes(f) {
                push(Signal::anchor(
                    line,
                    "parses quoted `KEY=VALUE` lines and skips comments",
                ));
            } else {
                push(Signal::new(
                    line,
                    "parses `KEY=VALUE` lines and skips comments",
                ));
            }
        }
        if let Some(line) = exports_environment(f) {
            push(Signal::anchor(
                line,
                "writes each setting into the process environment unless already set",
            ));
        }
        if let Some(line) = merges_environment(f) {
            push(Signal::new(
                line,
                "merges the process environment over other values",
            ));
        }
        if let Some(line) = env_prefix_parsing(f) {
            push(Signal::anchor(
                line,
                "maps prefixed environment variables to nested keys",
            ));
        }
        if let Some(line) = format_dispatch(f) {
            push(Signal::anchor(
                line,
                "parses each configuration file format into one value tree",
            ));
        }
        if let Some(line) = merges_layers(f) {
            push(Signal::new(
                line,
                "merges defaults, sources and overrides into one value in order",
            ));
        }
    }
    sink.emit_or_defer(signals);
}

#[cfg(test)]
mod tests {
    use crate::test_support::{findings_for, findings_in};
    use liability_model::Language;

    #[test]
    fn flags_go_environment_overrides_and_format_switch() {
        let src = "package settings\n\nimport (\n\t\"os\"\n\t\"path/filepath\"\n\t\"strings\"\n)\n\nfunc Load(out map[string]string) {\n\tfor _, kv := range os.Environ() {\n\t\tname, value, _ := strings.Cut(kv, \"=\")\n\t\tif !strings.HasPrefix(name, \"APP_\") {\n\t\t\tcontinue\n\t\t}\n\t\tout[strings.ReplaceAll(strings.TrimPrefix(name, \"APP_\"), \"__\", \".\")] = value\n\t}\n}\n\nfunc parse(path string, data []byte) error {\n\tswitch filepath.Ext(path) {\n\tcase \".json\":\n\t\treturn fromJSON(data)\n\tcase \".yaml\", \".yml\":\n\t\treturn fromYAML(data)\n\tcase \".toml\":\n\t\treturn fromTOML(data)\n\t}\n\treturn nil\n}\n";
        let found = findings_in(Language::Go, "c.go", src, "layered-config-loader");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.len(), 2, "{:?}", found[0].evidence);
    }

    #[test]
    fn go_single_variable_reads_are_silent() {
        let src = "package c\n\nimport \"os\"\n\nfunc Port() string {\n\tif p := os.Getenv(\"PORT\"); p != \"\" {\n\t\treturn p\n\t}\n\treturn \"8080\"\n}\n";
        assert!(findings_in(Language::Go, "c.go", src, "layered-config-loader").is_empty());
    }

    #[test]
    fn flags_env_and_format_loader() {
        let src = "fn from_env(prefix: &str, out: &mut Map) {\n    for (k, v) in std::env::vars() {\n        if let Some(rest) = k.strip_prefix(prefix) {\n            out.insert(rest.to_lowercase().replace(\"__\", \".\"), v);\n        }\n    }\n}\nfn parse(fmt: Format, text: &str) -> Result<Map, Error> {\n    match fmt {\n        Format::Toml => toml::parse(text),\n        Format::Json => json::parse(text),\n        Format::Yaml => yaml::parse(text),\n    }\n}\n";
        assert_eq!(findings_for(src, "layered-config-loader").len(), 1);
    }

    #[test]
    fn flags_python_dotenv_loader() {
        let src = "import os\nimport re\n\n_VAR = re.compile(r\"\\$\\{(?P<name>[^}]*)\\}\")\n\ndef parse(path):\n    values = {}\n    for line in open(path):\n        line = line.strip()\n        if not line or line.startswith(\"#\"):\n            continue\n        key, _, value = line.partition(\"=\")\n        values[key] = value\n    return values\n\ndef load(path):\n    for key, value in parse(path).items():\n        if key not in os.environ:\n            os.environ[key] = value\n";
        let found = findings_in(Language::Python, "t.py", src, "layered-config-loader");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.len(), 3, "{:#?}", found[0].evidence);
    }

    #[test]
    fn python_child_environment_and_dotenv_library_are_silent() {
        let src = "import os\nimport subprocess\nfrom dotenv import load_dotenv\n\nload_dotenv()\n\ndef run(cmd, extra):\n    env = os.environ.copy()\n    for key, value in extra.items():\n        os.environ[key] = value\n    return subprocess.run(cmd, env=env)\n\ndef query(s):\n    return dict(p.split(\"=\") for p in s.split(\"&\"))\n";
        assert!(findings_in(Language::Python, "t.py", src, "layered-config-loader").is_empty());
    }

    #[test]
    fn python_plain_settings_file_reader_is_silent() {
        // No quoting, no interpolation, nothing exported: a tool's own dotfile.
        let src = "def read_config(path):\n    config = {}\n    with open(path) as fh:\n        for line in fh:\n            line = line.strip()\n            if not line or line.startswith('#'):\n                continue\n            key, _, value = line.partition('=')\n            config[key.strip()] = value.strip()\n    return config\n";
        assert!(findings_in(Language::Python, "t.py", src, "layered-config-loader").is_empty());
    }

    #[test]
    fn reading_one_variable_is_silent() {
        let src = "fn port() -> u16 {\n    let v = std::env::var(\"PORT\").unwrap_or_default();\n    v.split(':').last().and_then(|p| p.parse().ok()).unwrap_or(80)\n}\nfn load(p: &Path) -> Config { toml::from_str(&std::fs::read_to_string(p).unwrap_or_default()).unwrap_or_default() }\n";
        assert!(findings_for(src, "layered-config-loader").is_empty());
    }

    #[test]
    fn environment_saved_and_overridden_around_a_call_is_silent() {
        let src = "def safe_output_env(f):\n    def wrapper(*args, **kwargs):\n        orig = {}\n        for k, v in SAFE_OUTPUT_ENV.items():\n            orig[k] = os.environ.get(k, None)\n            os.environ[k] = v\n        result = f(*args, **kwargs)\n        for key in orig.keys():\n            if orig[key] is None:\n                del os.environ[key]\n            else:\n                os.environ[key] = orig[key]\n        return result\n    return wrapper\n";
        let exports = |src: &str| {
            let facts =
                crate::frontend::extract(liability_model::Language::Python, "cli.py", src).unwrap();
            facts
                .functions
                .iter()
                .any(|f| super::exports_environment(f).is_some())
        };
        assert!(!exports(src));
        let loader = "def load(values, override):\n    for k, v in values.items():\n        if k in os.environ and not override:\n            continue\n        os.environ[k] = v\n";
        assert!(exports(loader));
    }

    #[test]
    fn flags_javascript_prefixed_environment_over_dotenv() {
        let src = "function fromEnv(prefix) {\n  const out = {};\n  for (const [key, value] of Object.entries(process.env)) {\n    if (!key.startsWith(prefix)) continue;\n    out[key.slice(prefix.length).toLowerCase().split('__').join('.')] = value;\n  }\n  return out;\n}\nfunction loadDotenv(parsed) {\n  Object.assign(process.env, { ...parsed, ...process.env });\n}\n";
        assert_eq!(
            findings_in(Language::TypeScript, "c.ts", src, "layered-config-loader").len(),
            1
        );
        // Reading the environment through a schema walks nothing by prefix.
        let src = "const settings = Schema.parse(process.env);\nfunction redacted(s) {\n  const out = {};\n  for (const [k, v] of Object.entries(s)) { out[k] = k.startsWith('SECRET') ? '***' : v; }\n  return out;\n}\n";
        assert!(findings_in(Language::TypeScript, "c.ts", src, "layered-config-loader").is_empty());
    }
}
