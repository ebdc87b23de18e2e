//! Custom concerns: the team names its own in-house frameworks or infrastructure in the
//! configuration, and they are reported and priced like built-in findings.
pub mod custom_concern;
