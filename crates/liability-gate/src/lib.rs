//! The CI gate: a baseline of known findings, stable finding identities, and the comparison
//! that decides whether liability rose.
//!
//! Policy: fail closed. Reading a baseline never guesses: a missing, empty, truncated,
//! malformed, oversized or newer-schema baseline is an error, and the caller exits 2. The
//! comparison prices both sides with the same structural model (size, complexity, category
//! load; no git history), so history moving on can never make the gate fail or pass.

mod baseline;
mod compare;
mod fingerprint;
pub mod render;

pub use baseline::{
    BASELINE_SCHEMA_VERSION, Baseline, BaselineError, BaselineFinding, MAX_BASELINE_BYTES,
};
pub use compare::{Change, Comparison, Thresholds, compare};
pub use fingerprint::{fingerprint_base, fingerprints};
