//! An in-process event bus: subscribers registered per topic or type and called on publish.

use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{Category, EventKind, FileFacts, TypeKind};

declare_rule! {
    /// ## What it does
    /// Finds an event bus written in-house: a map from a topic or event type to a list of
    /// handlers (boxed closures, trait objects, channel senders), or type-erased event
    /// envelopes (`TypeId` plus `Box<dyn Any>`) downcast for each reader; a method that
    /// registers subscribers into the handler collection; and publishing that loops over the
    /// subscribers and calls each one.
    ///
    /// ## Why is this a liability?
    /// Delivery guarantees, ordering, back-pressure, slow or failing subscribers and fan-out
    /// across processes all become the team's problem; in-process buses lose every event when
    /// the process stops.
    ///
    /// ## Example
    /// ```rust
    /// struct Bus { handlers: HashMap<String, Vec<Box<dyn Fn(&Event)>>> }
    /// impl Bus {
    ///     fn subscribe(&mut self, topic: &str, h: Box<dyn Fn(&Event)>) {
    ///         self.handlers.entry(topic.into()).or_default().push(h);
    ///     }
    ///     fn publish(&self, topic: &str, e: &Event) {
    ///         for h in self.handlers.get(topic).into_iter().flatten() { h(e); }
    ///     }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// EventBridge or SNS (Event Grid, Eventarc/Pub/Sub). In-process, `tokio::sync::broadcast`.
    ///
    /// ## Known limits
    /// A plugin registry has the same map-of-handlers shape; the rule needs the fan-out or the
    /// registration as well before it reports.
    pub static EVENT_BUS_BY_HAND = {
        id: "event-bus-by-hand",
        category: Category::EventBus,
        summary: "subscribers registered per topic or type and called on publish",
        check: check,
    };
}

const MAPS: &[&str] = &["HashMap<", "BTreeMap<", "DashMap<", "IndexMap<"];
const HANDLERS: &[&str] = &["Box<dyn", "Arc<dyn", "Sender<", "Fn(", "FnMut("];

fn holds_handlers(ty: &str) -> bool {
    HANDLERS.iter().any(|h| ty.contains(h))
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals: Vec<Signal> = Vec::new();
    let structs = || facts.types.iter().filter(|t| t.kind == TypeKind::Struct);
    if let Some((t, fd)) = structs().find_map(|t| {
        t.fields
            .iter()
            .find(|f| {
                MAPS.iter().any(|m| f.ty.starts_with(m))
                    && ["Vec<", "VecDeque<", "SmallVec<"]
                        .iter()
                        .any(|v| f.ty.contains(v))
                    && holds_handlers(&f.ty)
            })
            .map(|f| (t, f))
    }) {
        signals.push(Signal::anchor(
            t.span.start,
            format!("keeps a list of handlers per topic in `{}`", fd.name),
        ));
    }
    let downcasts = facts
        .functions
        .iter()
        .flat_map(|f| f.calls())
        .any(|(_, c)| c.name().starts_with("downcast"));
    if let Some(t) = structs().find(|t| {
        t.fields.iter().any(|f| f.ty == "TypeId")
            && t.fields.iter().any(|f| f.ty.contains("dynAny"))
    }) && downcasts
    {
        signals.push(Signal::anchor(
            t.span.start,
            format!(
                "carries type-erased events in `{}` and downcasts them for readers",
                t.name
            ),
        ));
    }
    let handler_fields: Vec<String> = structs()
        .flat_map(|t| &t.fields)
        .filter(|f| holds_handlers(&f.ty) && (f.ty.contains('<')))
        .map(|f| format!("self.{}", f.name))
        .collect();
    let touches = |r: &str| {
        handler_fields
            .iter()
            .any(|h| r == h || r.starts_with(&format!("{h}.")))
    };
    for f in &facts.functions {
        let register = f.calls().find(|(_, c)| {
            matches!(c.name(), "push" | "push_back" | "insert") && touches(&c.receiver)
        });
        if let Some((e, _)) = register
            && !signals.iter().any(|s| s.message.starts_with("registers"))
        {
            signals.push(Signal::new(
                e.line,
                "registers subscribers in a handler collection",
            ));
        }
        if !f
            .calls()
            .any(|(_, c)| touches(&c.receiver) || c.args.iter().any(|a| touches(a)))
        {
            continue;
        }
        let fan_out = f.events.iter().find_map(|e| match &e.kind {
            EventKind::Call(c) if e.loop_id.is_some() => {
                let plain = |s: &str| !s.is_empty() && s != "self" && !s.contains(['.', '(', ':']);
                let loop_var = e
                    .loop_id
                    .and_then(|id| f.loops.get(id as usize))
                    .and_then(|l| l.binding.as_deref());
                let calls_item =
                    (!c.is_method && !c.is_macro && Some(c.callee.as_str()) == loop_var)
                        || (c.is_method && plain(&c.receiver));
                calls_item.then_some(e.line)
            }
            _ => None,
        });
        if let Some(line) = fan_out
            && !signals.iter().any(|s| s.message.starts_with("calls every"))
        {
            signals.push(Signal::new(
                line,
                "calls every subscriber in turn on publish",
            ));
        }
    }
    sink.emit_or_defer(signals);
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_for;

    #[test]
    fn flags_topic_map_bus() {
        let src = "struct Bus { handlers: HashMap<String, Vec<Box<dyn Fn(&Event)>>> }\nimpl Bus {\n    fn subscribe(&mut self, t: &str, h: Box<dyn Fn(&Event)>) { self.handlers.entry(t.into()).or_default().push(h); }\n    fn publish(&self, t: &str, e: &Event) {\n        for h in self.handlers.get(t).into_iter().flatten() { h(e); }\n    }\n}\n";
        assert_eq!(findings_for(src, "event-bus-by-hand").len(), 1);
    }

    #[test]
    fn list_of_filters_is_silent() {
        let src = "struct Chain { filters: Vec<Box<dyn Filter>> }\nimpl Chain {\n    fn add(&mut self, f: Box<dyn Filter>) { self.filters.push(f); }\n    fn run(&self, r: &Rec) -> bool { for f in &self.filters { if !f.keep(r) { return false; } } true }\n}\n";
        assert!(findings_for(src, "event-bus-by-hand").is_empty());
    }
}
