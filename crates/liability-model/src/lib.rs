//! The shared vocabulary of liability: concern categories, the language-neutral facts that
//! front-ends extract from source files, the findings that rules derive from them, and the
//! `Report` that the reporter renders.
//!
//! This crate does no I/O and has no dependencies. Its types are deliberately *not*
//! `Serialize`: anything that crosses the process boundary (JSON, SARIF, baselines) gets its own
//! versioned representation in the reporter, so internal types can change freely.

mod category;
mod facts;
mod finding;
mod infra;
mod liability;
mod report;

pub use category::{Category, UnknownCategory};
pub use facts::{
    BinOp, Call, Event, EventKind, Field, FileFacts, Function, Import, IntTable, Language,
    LineCounts, Literal, LoopFact, MacroDef, TypeDef, TypeKind,
};
pub use finding::{Confidence, Evidence, Finding, LineSpan, SNIPPET_LINES, SNIPPET_WIDTH};
pub use infra::{InfraServer, InfraSource, SUBJECTS, ServerClass};
pub use liability::{Complexity, Factors, HistoryFigures, Liability, Range, RepoLiability};
pub use report::{
    LanguageStats, Problem, Report, SkipReason, Skipped, Suppressed, UnmatchedSuppression,
};
