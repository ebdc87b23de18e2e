//! Configuration for one run: `liability.toml` (found from the scanned path, or `--config`),
//! then the command line on top. Precedence: defaults < file < command line.

use anyhow::{Context, Result};
use liability_config::Settings;
use liability_model::{Category, Language};
use liability_scanner::ScanOptions;
use liability_scanner::rules::custom::custom_concern::Concern;
use std::path::Path;

/// The resolved file settings.
pub struct FileSettings {
    pub settings: Settings,
}

/// Loads `explicit` or discovers the configuration for `path`.
pub fn load(path: &Path, explicit: Option<&Path>) -> Result<FileSettings> {
    let found = match explicit {
        Some(file) => {
            let options = liability_config::load(file)?
                .with_context(|| format!("{} has no [tool.liability] table", file.display()))?;
            Some(liability_config::Loaded {
                path: file.to_path_buf(),
                options,
            })
        }
        None => liability_config::discover(path)?,
    };
    match found {
        Some(loaded) => {
            let shown = loaded.path.display().to_string();
            Ok(FileSettings {
                settings: loaded.options.resolve(&shown)?,
            })
        }
        None => Ok(FileSettings {
            settings: Settings::default(),
        }),
    }
}

/// The scanner's options from the settings; the caller has already applied its overrides.
pub fn scan_options(s: &Settings) -> Result<ScanOptions> {
    let mut concerns = Vec::new();
    for c in &s.concerns {
        let category: Category =
            c.category
                .parse()
                .map_err(|e: liability_model::UnknownCategory| {
                    anyhow::anyhow!("concern `{}`: {e}", c.name)
                })?;
        let mut set = globset::GlobSetBuilder::new();
        for g in &c.paths {
            set.add(
                globset::Glob::new(g)
                    .with_context(|| format!("concern `{}`: bad glob `{g}`", c.name))?,
            );
        }
        concerns.push(Concern {
            name: c.name.clone(),
            category,
            paths: set
                .build()
                .with_context(|| format!("concern `{}`", c.name))?,
            prefixes: c.imports.iter().chain(&c.modules).cloned().collect(),
        });
    }
    let languages_off = Language::ALL
        .into_iter()
        .filter(|l| s.languages_off.iter().any(|id| id == l.id()))
        .collect();
    Ok(ScanOptions {
        threads: s.threads,
        max_file_size: s.max_file_size,
        follow_links: s.follow_links,
        exclude: s.exclude.clone(),
        min_confidence: s.min_confidence.unwrap_or(liability_model::Confidence::Low),
        ignores: s.ignores.clone(),
        include: s.include.clone(),
        languages_off,
        concerns,
        prepass: true,
    })
}
