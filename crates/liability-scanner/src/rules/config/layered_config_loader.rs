//! A layered configuration loader written in-house: environment variables parsed by prefix
//! and separator, a dispatch over file formats, layers merged in order of precedence.

use crate::rules::vocab::call_is;
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{Category, EventKind, FileFacts, Function};

declare_rule! {
    /// ## What it does
    /// Finds a configuration loader written in-house: one function that walks every
    /// environment variable (`env::vars`, `env::vars_os`), keeps those with a prefix
    /// (`starts_with`, `strip_prefix`) and turns separators into nested keys (`split`,
    /// `replace`); a `match` over three or more file formats (TOML, JSON, YAML, INI, ...) that
    /// parses each into a value tree; and layers (defaults, sources, overrides) merged one
    /// after another into one accumulator.
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
    /// Reading one variable or loading one file with a library is not reported. Layering
    /// spread across builder methods is read only when one function merges the layers.
    pub static LAYERED_CONFIG_LOADER = {
        id: "layered-config-loader",
        category: Category::Config,
        summary: "configuration layered from files and prefixed environment variables by hand",
        check: check,
    };
}

const ENV_WALKS: &[&str] = &["env::vars", "env::vars_os"];
const FORMATS: &[&str] = &[
    "toml",
    "json",
    "yaml",
    "yml",
    "ini",
    "ron",
    "hcl",
    "properties",
];

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
        .map(|f| if *f == "yml" { "yaml" } else { *f })
        .collect()
}

/// Prefix and separator parsing over the whole environment, in one function.
fn env_prefix_parsing(f: &Function) -> Option<u32> {
    let (walk, _) = f.calls().find(|(_, c)| call_is(c, ENV_WALKS))?;
    let prefix = f
        .calls()
        .any(|(_, c)| c.is_method && matches!(c.name(), "starts_with" | "strip_prefix"));
    let separator = f.calls().any(|(_, c)| {
        c.is_method
            && matches!(
                c.name(),
                "split" | "splitn" | "rsplit" | "replace" | "split_once"
            )
    });
    (prefix && separator).then_some(walk.line)
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
        let parses = arms
            .iter()
            .zip(results)
            .filter(|(a, r)| !formats_in(a).is_empty() && r.ends_with("()"))
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

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals: Vec<Signal> = Vec::new();
    let mut push = |s: Signal| {
        if !signals.iter().any(|o| o.kind() == s.kind()) {
            signals.push(s);
        }
    };
    for f in &facts.functions {
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
    use crate::test_support::findings_for;

    #[test]
    fn flags_env_and_format_loader() {
        let src = "fn from_env(prefix: &str, out: &mut Map) {\n    for (k, v) in std::env::vars() {\n        if let Some(rest) = k.strip_prefix(prefix) {\n            out.insert(rest.to_lowercase().replace(\"__\", \".\"), v);\n        }\n    }\n}\nfn parse(fmt: Format, text: &str) -> Result<Map, Error> {\n    match fmt {\n        Format::Toml => toml::parse(text),\n        Format::Json => json::parse(text),\n        Format::Yaml => yaml::parse(text),\n    }\n}\n";
        assert_eq!(findings_for(src, "layered-config-loader").len(), 1);
    }

    #[test]
    fn reading_one_variable_is_silent() {
        let src = "fn port() -> u16 {\n    let v = std::env::var(\"PORT\").unwrap_or_default();\n    v.split(':').last().and_then(|p| p.parse().ok()).unwrap_or(80)\n}\nfn load(p: &Path) -> Config { toml::from_str(&std::fs::read_to_string(p).unwrap_or_default()).unwrap_or_default() }\n";
        assert!(findings_for(src, "layered-config-loader").is_empty());
    }
}
