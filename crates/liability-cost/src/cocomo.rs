//! COCOMO basic, with the constants and defaults of `scc` so that a repository's build cost
//! equals scc's for the same line count (`boyter/scc`, `processor/cocomo.go`).

use crate::Params;

/// Basic COCOMO coefficients: effort = a × KLOC^b × EAF person-months.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cocomo {
    pub a: f64,
    pub b: f64,
    /// Effort adjustment factor (1.0 = nominal).
    pub eaf: f64,
}

impl Cocomo {
    /// Boehm's "organic" project: small teams, familiar problems (scc's default).
    pub const ORGANIC: Cocomo = Cocomo {
        a: 2.4,
        b: 1.05,
        eaf: 1.0,
    };
    /// "Semi-detached": mixed experience, some rigid requirements.
    pub const SEMI_DETACHED: Cocomo = Cocomo {
        a: 3.0,
        b: 1.12,
        eaf: 1.0,
    };
    /// "Embedded": tight hardware, software and operational constraints.
    pub const EMBEDDED: Cocomo = Cocomo {
        a: 3.6,
        b: 1.20,
        eaf: 1.0,
    };

    /// Effort and cost to build `code_lines` lines from scratch.
    pub fn build(&self, code_lines: u64, params: &Params) -> RepoBuild {
        let effort_months = self.a * (code_lines as f64 / 1000.0).powf(self.b) * self.eaf;
        // scc: EstimateCost = effort × averageWage / 12 × overhead.
        let cost = effort_months * params.average_wage / 12.0 * params.overhead;
        RepoBuild {
            effort_months,
            cost,
        }
    }
}

/// The build effort and cost of a body of code.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepoBuild {
    pub effort_months: f64,
    pub cost: f64,
}
