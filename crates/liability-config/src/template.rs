//! The commented template `liability init` writes: every key with its default.
//!
//! A test parses it and checks it validates and matches the defaults the other crates use, so
//! the template cannot drift from the code.

/// The text of a fresh `liability.toml`.
pub const TEMPLATE: &str = r#"# liability.toml — configuration of the liability analyser.
# Every key is optional; the values below are the defaults. Command-line options override
# this file, which overrides the defaults. Unknown keys are errors.

[scan]
# Only paths matching one of these globs are analysed (all files when empty).
include = []
# Paths matching these globs are not analysed (gitignore syntax). target/, node_modules/,
# vendor/, build/, virtualenvs, minified bundles, dist/ beside a src/ or lib/ folder and an
# esm/ or mjs/ build beside its cjs/ twin are always excluded.
exclude = []
# Files larger than this many bytes are skipped and listed.
max_file_size = 1048576
# Follow symbolic links (loops are detected and listed).
follow_links = false
# Worker threads; 0 means one per core.
threads = 0
# Lowest confidence reported: low, medium or high. (Text hides low by default, JSON shows
# all; setting this applies it to every format.)
min_confidence = "low"
# Read git history for churn and ownership figures.
history = true

# Languages on (true) or off (false) by id.
[scan.languages]
rust = true

[report]
# text, json, sarif, markdown or html.
format = "text"
# The cloud whose managed services the advice names: aws, azure or gcp.
cloud = "aws"
# auto, always or never.
color = "auto"
# Byte budget of the Markdown report (1 MiB less 16 KiB: GitHub's job summary takes 1 MiB);
# longer tables are cut with "… and N more".
markdown_budget = 1032192
# Reports to write, as `-o` takes them: "FORMAT=FILE", "FILE" (in `format`), "-" for
# standard output. Empty: the `format` report on standard output.
outputs = []

# Level per category id or rule id: allow (not reported), warn (reported) or deny (reported,
# and `liability scan` exits 1). A rule's level wins over its category's. Every finding is
# `warn` unless listed.
[levels]
# retry = "warn"
# hand-rolled-http-server = "deny"

[cost]
# COCOMO basic project type: organic, semi-detached or embedded (scc's default: organic).
cocomo = "organic"
# Effort adjustment factor.
eaf = 1.0
# Average yearly wage and the overhead multiplier on it (scc's defaults).
average_wage = 56286.0
overhead = 2.4
# Currency code shown with money figures.
currency = "USD"
# Hours of work in a year, to turn money into hours.
working_hours_per_year = 1760.0
# Share of the build cost spent every year keeping code working.
maintenance_fraction = 0.15
# Git history window for churn and ownership, in days.
window_days = 365
# Migration hours per code line of a component.
migration_hours_per_line = 0.05

# Per-category overrides of the operations load (hours a year), the share the replacement
# retires (0-1) and the fixed migration hours. See docs/liability-model.md for the defaults.
# [cost.category.auth]
# ops_hours_per_year = 40.0
# retirable_share = 0.85
# migration_base_hours = 40.0

[gate]
# Where `liability baseline` writes and `liability check` reads, relative to the scanned path.
baseline = ".liability/baseline.json"
# Fail on any new finding.
fail_on_new = true
# A known finding may grow by this many code lines and this share of its size before the
# gate fails (both must be exceeded).
grow_lines = 20
grow_ratio = 0.25
# Tolerated rise of the total yearly liability: an absolute amount plus a share.
tolerance = 0.0
tolerance_ratio = 0.05

# Ceilings on a category's yearly liability.
[gate.limits]
# auth = 5000.0

# Suppressions: findings the team keeps on purpose. `path` is a glob; give `rule` or
# `category` (or neither, for every finding under the path); `reason` is required. Suppressed
# findings leave the totals but stay in the report.
# [[ignore]]
# path = "src/legacy/**"
# rule = "hand-rolled-retry-loop"
# reason = "the vendor SDK has no retry policy; tracked in TICKET-123"

# Custom concerns: the team's own frameworks or infrastructure, named by paths, module paths
# or import prefixes, reported and priced like built-in findings.
# [[concern]]
# name = "acme-platform"
# category = "framework"
# paths = ["crates/platform/**"]
# modules = ["crate::platform"]
# imports = ["acme_platform"]
"#;
