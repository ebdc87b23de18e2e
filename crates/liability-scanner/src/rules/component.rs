//! Components: the unit a finding spans, so that its size can be priced.
//!
//! A component is a type with all its `impl` blocks in the file, a free function, or the whole
//! file when the evidence spreads over several of those.

use liability_model::{FileFacts, Function, LineSpan};

/// A named span of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub name: String,
    pub span: LineSpan,
}

impl Component {
    /// The whole file.
    pub fn file(facts: &FileFacts) -> Component {
        Component {
            name: format!(
                "file {}",
                facts.path.rsplit('/').next().unwrap_or(&facts.path)
            ),
            span: LineSpan::new(1, facts.last_line()),
        }
    }

    /// A type with its definition and every method of it in the file. `None` when the type
    /// has neither.
    pub fn of_type(facts: &FileFacts, name: &str) -> Option<Component> {
        let def = facts.types.iter().find(|t| t.name == name);
        let mut span = def.map(|t| t.span);
        for f in facts.methods_of(name) {
            span = Some(span.map_or(f.span, |s| s.union(f.span)));
        }
        let kind = match def.map(|t| t.kind) {
            Some(liability_model::TypeKind::Enum) => "enum",
            Some(liability_model::TypeKind::Trait) => "trait",
            _ => "type",
        };
        span.map(|span| Component {
            name: format!("{kind} {name}"),
            span,
        })
    }

    /// A function's component: its owner type's when it is a method, itself otherwise.
    pub fn of_function(facts: &FileFacts, function: &Function) -> Component {
        function
            .owner
            .as_deref()
            .and_then(|owner| Component::of_type(facts, owner))
            .unwrap_or_else(|| Component {
                name: format!("fn {}", function.name),
                span: function.span,
            })
    }

    /// The smallest component holding every line: one type or function if they all fall in
    /// it, the file otherwise.
    pub fn covering(facts: &FileFacts, lines: &[u32]) -> Component {
        let Some(&first) = lines.first() else {
            return Component::file(facts);
        };
        let innermost = facts
            .functions
            .iter()
            .filter(|f| f.span.contains(first))
            .min_by_key(|f| f.span.end - f.span.start)
            .map(|f| Component::of_function(facts, f))
            .or_else(|| {
                facts
                    .types
                    .iter()
                    .find(|t| t.span.contains(first))
                    .and_then(|t| Component::of_type(facts, &t.name))
            });
        match innermost {
            Some(c) if lines.iter().all(|&l| c.span.contains(l)) => c,
            _ => Component::file(facts),
        }
    }
}
