//! In-house frameworks: found across files, on a module dependency graph built from the facts
//! already extracted (see `summary` for what is kept per file and `graph` for the pass).

pub mod graph;
pub mod in_house_framework;
pub mod layout;
pub mod summary;

pub use graph::detect;
pub use layout::{Manifest, manifest_kind, read_manifest};
pub use summary::{FileSummary, summarise};
