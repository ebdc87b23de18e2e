//! The JSON report against `docs/report.schema.json`, with a small JSON Schema validator.
//!
//! The validator supports the keywords the schema uses and nothing else: `type` (a name or a
//! list), `enum`, `required`, `properties`, `additionalProperties` (a boolean or a schema),
//! `items`, `minimum`, and `$ref` to `#/$defs/<name>`. Annotations (`$schema`, `title`,
//! `description`, ...) are ignored; any other keyword is an error, so the schema cannot rely
//! on a rule that is silently not checked.

use crate::support::{fixtures_dir, scan_json, workspace_root};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const SUPPORTED: &[&str] = &[
    "type",
    "enum",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "minimum",
    "$ref",
];
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$defs",
    "$comment",
    "title",
    "description",
    "examples",
    "default",
];

fn load_schema() -> Value {
    let path = workspace_root().join("docs/report.schema.json");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The `#/$defs/<name>` schema `reference` points to.
fn resolve<'a>(root: &'a Value, reference: &str) -> Result<&'a Value, String> {
    reference
        .strip_prefix("#/$defs/")
        .and_then(|name| root["$defs"].get(name))
        .ok_or_else(|| {
            format!("unresolvable $ref `{reference}` (only #/$defs/<name> is supported)")
        })
}

fn type_matches(name: &str, value: &Value) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        _ => false,
    }
}

/// Validates `value` at `at` (a JSON pointer) against `schema`, pushing every violation.
fn validate(root: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else {
        errors.push(format!("{at}: schema is not an object: {schema}"));
        return;
    };
    for keyword in schema.keys() {
        if !SUPPORTED.contains(&keyword.as_str()) && !ANNOTATIONS.contains(&keyword.as_str()) {
            errors.push(format!("{at}: unsupported schema keyword `{keyword}`"));
        }
    }
    if let Some(reference) = schema.get("$ref") {
        match resolve(root, reference.as_str().unwrap_or_default()) {
            Ok(target) => validate(root, target, value, at, errors),
            Err(e) => errors.push(format!("{at}: {e}")),
        }
    }
    if let Some(ty) = schema.get("type") {
        let names: Vec<&str> = match ty {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !names.iter().any(|n| type_matches(n, value)) {
            errors.push(format!(
                "{at}: expected {}, found {value}",
                names.join(" or ")
            ));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        errors.push(format!(
            "{at}: {value} is not one of {}",
            Value::from(options.clone())
        ));
    }
    if let (Some(min), Some(n)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) && n < min
    {
        errors.push(format!("{at}: {n} is below the minimum {min}"));
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(name) {
                errors.push(format!("{at}: missing required property `{name}`"));
            }
        }
        for (name, child) in object {
            let child_at = format!("{at}/{name}");
            match (
                properties.and_then(|p| p.get(name)),
                schema.get("additionalProperties"),
            ) {
                (Some(sub), _) => validate(root, sub, child, &child_at, errors),
                (None, Some(Value::Bool(false))) => {
                    errors.push(format!("{at}: property `{name}` is not in the schema"));
                }
                (None, Some(sub @ Value::Object(_))) => {
                    validate(root, sub, child, &child_at, errors);
                }
                (None, _) => {}
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            validate(root, items, item, &format!("{at}/{i}"), errors);
        }
    }
}

/// The violations of `report` against the committed schema.
fn violations(report: &Value) -> Vec<String> {
    let schema = load_schema();
    let mut errors = Vec::new();
    validate(&schema, &schema, report, "", &mut errors);
    errors
}

/// Panics with every violation when `report` does not match `docs/report.schema.json`.
pub fn assert_valid_report(report: &Value) {
    let errors = violations(report);
    assert!(
        errors.is_empty(),
        "the JSON report does not match docs/report.schema.json:\n  {}",
        errors.join("\n  ")
    );
}

/// Every subschema in `schema` (through properties, items, additionalProperties and $defs),
/// with its location.
fn subschemas<'a>(schema: &'a Value, at: String, out: &mut Vec<(String, &'a Value)>) {
    out.push((at.clone(), schema));
    for key in ["properties", "$defs"] {
        if let Some(map) = schema.get(key).and_then(Value::as_object) {
            for (name, sub) in map {
                subschemas(sub, format!("{at}/{key}/{name}"), out);
            }
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(sub) = schema.get(key).filter(|s| s.is_object()) {
            subschemas(sub, format!("{at}/{key}"), out);
        }
    }
}

#[test]
fn schema_uses_only_supported_keywords_and_resolvable_refs() {
    let schema = load_schema();
    let mut all = Vec::new();
    subschemas(&schema, "#".to_owned(), &mut all);
    assert!(all.len() > 20, "the schema looks empty");
    for (at, sub) in all {
        let object = sub
            .as_object()
            .unwrap_or_else(|| panic!("{at} is not an object"));
        for keyword in object.keys() {
            assert!(
                SUPPORTED.contains(&keyword.as_str()) || ANNOTATIONS.contains(&keyword.as_str()),
                "{at}: keyword `{keyword}` is not supported by the test validator"
            );
        }
        if let Some(reference) = object.get("$ref") {
            resolve(&schema, reference.as_str().unwrap()).unwrap();
        }
        // Objects list their required properties and forbid unknown ones, so that a field
        // added to the report without a schema entry fails the tests.
        if object.get("type") == Some(&json!("object")) {
            assert!(
                object.contains_key("additionalProperties"),
                "{at}: objects must say whether other properties are allowed"
            );
        }
    }
}

#[test]
fn demo_json_report_matches_the_schema() {
    assert_valid_report(&scan_json(&fixtures_dir().join("demo-monolith"), &[]));
    assert_valid_report(&scan_json(
        &fixtures_dir().join("demo-monolith"),
        &["--no-history"],
    ));
}

#[test]
fn whole_fixture_tree_json_report_matches_the_schema() {
    let report = scan_json(&fixtures_dir(), &[]);
    assert!(!report["findings"].as_array().unwrap().is_empty());
    assert_valid_report(&report);
}

#[test]
fn validator_rejects_reports_that_break_the_schema() {
    let good = scan_json(&fixtures_dir().join("rules/in-memory-eviction-cache"), &[]);
    assert!(violations(&good).is_empty(), "{:?}", violations(&good));
    assert!(!good["findings"].as_array().unwrap().is_empty());

    let broken = |edit: &dyn Fn(&mut Value), expected: &str| {
        let mut report = good.clone();
        edit(&mut report);
        let errors = violations(&report);
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "expected a violation mentioning `{expected}`, got {errors:?}"
        );
    };
    broken(
        &|r| {
            r.as_object_mut().unwrap().remove("root");
        },
        "missing required property `root`",
    );
    broken(
        &|r| r["schema_version"] = json!(2),
        "/schema_version: 2 is not one of",
    );
    broken(
        &|r| r["findings"][0]["confidence"] = json!("certain"),
        "/findings/0/confidence",
    );
    broken(
        &|r| r["findings"][0]["start_line"] = json!("7"),
        "expected integer",
    );
    broken(
        &|r| r["findings"][0]["start_line"] = json!(0),
        "below the minimum",
    );
    broken(
        &|r| r["findings"][0]["surprise"] = json!(1),
        "`surprise` is not in the schema",
    );
    broken(
        &|r| r["findings"][0]["category"] = json!("caches"),
        "/findings/0/category",
    );
    broken(
        &|r| r["findings"][0]["evidence"][0]["line"] = json!(-1),
        "/findings/0/evidence/0/line",
    );
    broken(
        &|r| r["summary"]["findings_by_category"]["gold-plating"] = json!({}),
        "`gold-plating` is not in the schema",
    );
    broken(
        &|r| r["skipped"] = json!([{ "path": "x.rs", "reason": "sad", "detail": "" }]),
        "/skipped/0/reason",
    );
}

#[test]
fn history_figures_fit_the_schema_when_present() {
    // The binary does not read git history yet; the shape `json.rs` emits when it does:
    let mut report = scan_json(&fixtures_dir().join("rules/in-memory-eviction-cache"), &[]);
    let liability = &mut report["findings"][0]["cost"];
    assert!(
        liability.is_object(),
        "findings carry a liability: {liability}"
    );
    liability["history"] = json!({
        "window_days": 365, "commits": 4, "lines_added": 120, "lines_removed": 30,
        "authors": 2, "top_author_share": 0.75, "top_author_active": true,
        "first_change": 1_700_000_000, "last_change": 1_720_000_000
    });
    liability
        .as_object_mut()
        .unwrap()
        .remove("history_unavailable");
    assert_valid_report(&report);
}

#[test]
fn every_schema_property_and_reason_is_documented() {
    let doc = std::fs::read_to_string(workspace_root().join("docs/json-report.md")).unwrap();
    let schema = load_schema();
    let mut names = BTreeSet::new();
    let mut all = Vec::new();
    subschemas(&schema, "#".to_owned(), &mut all);
    for (_, sub) in &all {
        if let Some(props) = sub.get("properties").and_then(Value::as_object) {
            names.extend(props.keys().cloned());
        }
    }
    names.extend(
        schema["$defs"]["skipped"]["properties"]["reason"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned()),
    );
    let undocumented: Vec<_> = names
        .iter()
        .filter(|n| !doc.contains(&format!("`{n}`")))
        .collect();
    assert!(
        undocumented.is_empty(),
        "docs/json-report.md does not mention {undocumented:?}"
    );
}

#[test]
fn documented_example_matches_the_schema() {
    let doc = std::fs::read_to_string(workspace_root().join("docs/json-report.md")).unwrap();
    let example = doc
        .split("```json\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/json-report.md has a ```json example");
    let example: Value = serde_json::from_str(example).unwrap();
    assert_valid_report(&example);
}
