//! An in-process event bus: subscribers registered per topic or type and called on publish.

use crate::rules::vocab::{APPEND_CALLS, INVOKE_METHODS, REMOVE_CALLS, call_is, keyed_field};
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{Category, EventKind, FileFacts, Function, TypeKind};

declare_rule! {
    /// ## What it does
    /// Finds an event bus written in-house: a map from a topic or event type to a list of
    /// handlers (boxed closures, trait objects, channel senders), or type-erased event
    /// envelopes (`TypeId` plus `Box<dyn Any>`) downcast for each reader; a method that
    /// registers subscribers into the handler collection; and publishing that loops over the
    /// subscribers and calls each one. Where fields are untyped (JavaScript, Python) or hold
    /// slices (Go), the behaviour is read instead: a listener appended to the list kept under
    /// a key of a field (`this.handlers[evt].push(fn)`), and a loop over that list calling
    /// each listener; removing listeners from it adds weight.
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
        // Anchors only: a map of handler lists (`HashMap<_, Vec<Box<dyn ..>>>`), a `TypeId` field
        // beside `dyn Any`, or listeners appended under a key (`.push`, `.add`, `append(`...). The
        // lexical test asks for one of these whole (`anchor_text`): the append on a keyed element
        // (`x.f[k].push(`, `x.f.get(k).push(`).
        rust_needs: &[
            &["Map", "TypeId", ".push", ".add", ".append", ".unshift", "append("],
            &["Vec", "Any", ".push", ".add", ".append", ".unshift", "append("],
        ],
        rust_text: anchor_text,
        // The same in Python, where the keyed append is the usual anchor
        // (`self._listeners[event].append(fn)`, `self.subs.setdefault(topic, []).append(h)`);
        // the lexical test reads its receiver as `keyed_field` does (`python_anchor_text`).
        python_needs: &[
            &["Map", "TypeId", ".push", ".add", ".append", ".unshift", "append("],
            &["Vec", "Any", ".push", ".add", ".append", ".unshift", "append("],
        ],
        python_text: python_anchor_text,
        // The same in JavaScript (`this.listeners[event].push(fn)`); the lexical test reads
        // the keyed append as a JavaScript receiver may end (`javascript_anchor_text`).
        javascript_needs: &[
            &["Map", "TypeId", ".push", ".add", ".append", ".unshift", "append("],
            &["Vec", "Any", ".push", ".add", ".append", ".unshift", "append("],
        ],
        javascript_text: javascript_anchor_text,
    };
}

const MAPS: &[&str] = &["HashMap<", "BTreeMap<", "DashMap<", "IndexMap<"];
const HANDLERS: &[&str] = &["Box<dyn", "Arc<dyn", "Sender<", "Fn(", "FnMut("];

fn holds_handlers(ty: &str) -> bool {
    HANDLERS.iter().any(|h| ty.contains(h))
}

/// Whether `text` may hold one of the anchors (the lexical test): a map type of handler lists,
/// a `TypeId` beside `Any` and a downcast, or an append to a keyed element of a field.
fn anchor_text(text: &str) -> bool {
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    map_of_handler_lists(text)
        || (has(&["TypeId"]) && dyn_any(text) && has(&["downcast"]))
        || keyed_append_text(text)
}

/// The JavaScript form of `anchor_text`: the same map and `TypeId` anchors, or an append
/// (`APPEND_CALLS` as a method) on a receiver whose text ends, past white space and the `?`
/// of an optional call or the `!` of a non-null assertion, in an index (`]`) or a `)`: a
/// `.get(..)` call, or a receiver in parentheses (`(this.h[e] || (this.h[e] = [])).push(f)`,
/// `(this.h.get(e) as F[]).push(f)`); or an `append(` function.
fn javascript_anchor_text(source: &crate::prepass::Source<'_>) -> bool {
    let text = source.text();
    let keyed = |dot: usize| {
        text[..dot]
            .trim_end_matches(|c: char| c.is_whitespace() || c == '?' || c == '!')
            .ends_with([']', ')'])
    };
    map_of_handler_lists(text)
        || (text.contains("TypeId") && text.contains("Any") && text.contains("downcast"))
        || appends(text, keyed)
}

/// A map type (`MAPS`) whose parameters, up to its closing `>`, name a `Vec` and a handler
/// (`dyn`, `Sender`, `Fn`): a field type `holds_handlers` may accept.
fn map_of_handler_lists(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices("Map").any(|(i, m)| {
        let open = text[i + m.len()..].trim_start();
        if !open.starts_with('<') {
            return false;
        }
        let start = text.len() - open.len();
        let mut depth = 0;
        let mut end = text.len();
        for (j, &b) in bytes.iter().enumerate().skip(start) {
            match b {
                b'<' => depth += 1,
                b'>' if bytes[j - 1] != b'-' => {
                    depth -= 1;
                    if depth == 0 {
                        end = j;
                        break;
                    }
                }
                _ => {}
            }
        }
        let params = &text[start..end];
        params.contains("Vec") && ["dyn", "Sender", "Fn"].iter().any(|h| params.contains(h))
    })
}

/// An append (`APPEND_CALLS` as a method) whose receiver is an element of a keyed collection
/// held in a field, as `keyed_field` reads a receiver: `owner.field[..]`, `owner.field.get(..)`
/// or `owner.field.setdefault(..)` with plain names; or Go's `append(` as a function.
fn keyed_append_text(text: &str) -> bool {
    // Where the group closing at the end of `s` opens.
    let opening = |s: &str, open: u8, close: u8| {
        let mut depth = 0usize;
        for (i, b) in s.bytes().enumerate().rev() {
            if b == close {
                depth += 1;
            } else if b == open {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
        }
        None
    };
    let keyed = |dot: usize| {
        let before = text[..dot].trim_end();
        if before.ends_with(']') {
            return opening(before, b'[', b']').is_some_and(|i| owner_field(&before[..i]));
        }
        if !before.ends_with(')') {
            return false;
        }
        opening(before, b'(', b')').is_some_and(|i| {
            let call = before[..i].trim_end();
            if !call.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                // Parentheses, which renderings drop with the casts, references and
                // dereferences inside (`(&mut self.h[k] as &mut Vec<_>).push(f)`): lenient.
                let inner = &before[i..];
                return inner.contains('[')
                    || inner.contains(".get(")
                    || inner.contains(".setdefault(");
            }
            [".get", ".setdefault"]
                .iter()
                .any(|m| call.strip_suffix(m).is_some_and(owner_field))
        })
    };
    appends(text, keyed)
}

/// Whether `text` appends (`APPEND_CALLS` as a method) on a receiver `keyed` accepts (given
/// where the method's `.` is), or calls Go's `append(` as a function.
fn appends(text: &str, keyed: impl Fn(usize) -> bool) -> bool {
    let bytes = text.as_bytes();
    [".push", ".add", ".append", ".unshift"]
        .iter()
        .any(|m| text.match_indices(m).any(|(i, _)| keyed(i)))
        || text.match_indices("append(").any(|(i, _)| {
            i == 0
                || !(bytes[i - 1] == b'.'
                    || bytes[i - 1].is_ascii_alphanumeric()
                    || bytes[i - 1] == b'_')
        })
}

/// Whether `text` holds `dyn Any` (the words whole, any white space between): the field type
/// the type-erased envelope needs (`dynAny` in its rendering), lexically.
fn dyn_any(text: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices("dyn").any(|(i, m)| {
        let after = &text[i + m.len()..];
        let rest = after.trim_start();
        !text[..i].ends_with(ident)
            && rest.len() < after.len()
            && rest
                .strip_prefix("Any")
                .is_some_and(|tail| !tail.starts_with(ident))
    })
}

/// Whether `s` ends in `owner.field` (white space after it aside), two plain names with no
/// path or member before them: the base `keyed_field` accepts.
fn owner_field(s: &str) -> bool {
    let plain = |c: char| c.is_alphanumeric() || c == '_';
    let s = s.trim_end();
    let field = s.trim_end_matches(plain);
    let Some(owner_end) = field.strip_suffix('.') else {
        return false;
    };
    if field.len() == s.len() {
        return false;
    }
    let rest = owner_end.trim_end_matches(plain);
    rest.len() < owner_end.len() && !rest.ends_with(['.', ':']) && !rest.ends_with(plain)
}

/// The Python form of `anchor_text`: the same three anchors, the keyed listeners read closer
/// to how `keyed_listeners` finds them (`python_keyed_listeners`).
fn python_anchor_text(source: &crate::prepass::Source<'_>) -> bool {
    let text = source.python_code();
    let has = |words: &[&str]| crate::prepass::has_any(text, words);
    map_of_handler_lists(text)
        || (has(&["TypeId"]) && has(&["Any"]) && has(&["downcast"]))
        || python_keyed_listeners(source)
}

/// The Python form of `keyed_listeners`' anchor: a keyed append (`python_keyed_appends`) and,
/// in one function (`prepass::PythonText::functions`: `invokes_items` reads one) naming the
/// field appended to, a `for` loop calling what it iterates (`python_calls_items`).
fn python_keyed_listeners(source: &crate::prepass::Source<'_>) -> bool {
    let fields = python_keyed_appends(source.python_code());
    if fields.is_empty() {
        return false;
    }
    source.python_functions().iter().any(|f| {
        fields
            .iter()
            .any(|field| field.is_none_or(|name| source.python().code_of(f).contains(name)))
            && python_calls_items(source.python().code_of(f))
    })
}

/// The fields of the appends (`APPEND_CALLS` as a method) to an element of a field's
/// collection, as `keyed_field` reads a receiver: `owner.field[..]`, `owner.field.get(..)` or
/// `owner.field.setdefault(..)` with two plain names (`self.handlers[event].append(fn)`;
/// `rows[i].append(x)` and `self.a.b[k].append(x)` are not). `None` stands for any field: a
/// parenthesised receiver or owner, or an `append(..)` function call that no `def` names
/// (its first argument left to the parse).
fn python_keyed_appends(text: &str) -> Vec<Option<&str>> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let trim = |s: &'_ str| -> usize {
        s.trim_end_matches(|c: char| c.is_whitespace() || c == '\\')
            .len()
    };
    // The index of the bracket opening the one that closes at `close`, searching backwards.
    let opening = |s: &str, close: usize, open_b: u8, close_b: u8| -> Option<usize> {
        let bytes = s.as_bytes();
        let mut depth = 0usize;
        for i in (0..=close).rev() {
            if bytes[i] == close_b {
                depth += 1;
            } else if bytes[i] == open_b {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
        }
        None
    };
    // The field when `s` ends with `owner.field` (two plain names; `None` for a parenthesised
    // owner).
    fn two_names(s: &str) -> Option<Option<&str>> {
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        let owner_dot = s.trim_end_matches(ident);
        let field = &s[owner_dot.len()..];
        let owner = owner_dot.strip_suffix('.').filter(|_| !field.is_empty())?;
        if owner.ends_with(')') {
            return Some(None);
        }
        let before = owner.trim_end_matches(ident);
        (before.len() < owner.len() && !before.ends_with(['.', ')', ']'])).then_some(Some(field))
    }
    let keyed = |dot: usize| -> Option<Option<&str>> {
        let before = &text[..trim(&text[..dot])];
        if before.ends_with(']') {
            let open = opening(before, before.len() - 1, b'[', b']')?;
            return two_names(&before[..trim(&before[..open])]);
        }
        if before.ends_with(')') {
            let open = opening(before, before.len() - 1, b'(', b')')?;
            let callee = &before[..trim(&before[..open])];
            if let Some(owner) = callee
                .strip_suffix(".get")
                .or_else(|| callee.strip_suffix(".setdefault"))
            {
                return two_names(owner);
            }
            // A parenthesised receiver, not a call.
            return (!callee.ends_with(|c: char| ident(c) || c == ')' || c == ']')).then_some(None);
        }
        None
    };
    let mut fields: Vec<Option<&str>> = [".push", ".add", ".append", ".unshift"]
        .iter()
        .flat_map(|m| text.match_indices(m).filter_map(|(i, _)| keyed(i)))
        .collect();
    if text.match_indices("append(").any(|(i, _)| {
        let before = &text[..i];
        !before.ends_with(|c: char| ident(c) || c == '.') && !before.trim_end().ends_with("def")
    }) {
        fields.push(None);
    }
    fields.sort_unstable();
    fields.dedup();
    fields
}

/// Whether a function's text calls, in a `for` loop, the items it iterates (`invokes_items`):
/// the loop's name called (`h(..)`) or invoked (`h.call(`, `h.fn.apply(`: `INVOKE_METHODS`),
/// or an indexed element called (`](`, `].fn.apply(`).
fn python_calls_items(text: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    // Called directly (`(`), or through a chain of fields ending in `INVOKE_METHODS`
    // (`.fn.apply(`), as `head` reads a receiver.
    let invoked = |rest: &str| {
        let mut rest = rest.trim_start();
        if rest.starts_with('(') {
            return true;
        }
        while let Some(after) = rest.strip_prefix('.') {
            let end = after.find(|c: char| !ident(c)).unwrap_or(after.len());
            if end == 0 {
                return false;
            }
            rest = after[end..].trim_start();
            if INVOKE_METHODS.contains(&&after[..end]) && rest.starts_with('(') {
                return true;
            }
        }
        false
    };
    if text
        .match_indices(']')
        .any(|(i, _)| invoked(&text[i + 1..]))
    {
        return true;
    }
    text.match_indices("for").any(|(i, _)| {
        if text[..i].ends_with(ident) {
            return false;
        }
        let rest = &text[i + 3..];
        let name = rest.trim_start();
        if name.len() == rest.len() {
            return false;
        }
        let end = name.find(|c: char| !ident(c)).unwrap_or(name.len());
        let (binding, after) = name.split_at(end);
        !binding.is_empty()
            && after.trim_start().starts_with("in")
            && after.match_indices(binding).any(|(j, _)| {
                !after[..j].ends_with(|c: char| ident(c) || c == '.')
                    && invoked(&after[j + binding.len()..])
            })
    })
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
    for s in keyed_listeners(facts) {
        if !signals.iter().any(|o| o.kind() == s.kind()) {
            signals.push(s);
        }
    }
    sink.emit_or_defer(signals);
}

/// Every operand a function renders: call receivers and arguments, assigned values, loop
/// iterables, compared operands.
fn operands(f: &Function) -> impl Iterator<Item = &str> {
    let events = f.events.iter().flat_map(|e| -> Vec<&str> {
        match &e.kind {
            EventKind::Call(c) => std::iter::once(c.receiver.as_str())
                .chain(c.args.iter().map(String::as_str))
                .collect(),
            EventKind::Assign { target, value } => vec![target, value],
            EventKind::Binary { lhs, rhs, .. } => vec![lhs, rhs],
            _ => Vec::new(),
        }
    });
    events.chain(f.loops.iter().filter_map(|l| l.iterable.as_deref()))
}

/// Where `f` adds an item to the list kept under a key of a field (`this.handlers[evt].push(fn)`,
/// `b.subs[topic] = append(b.subs[topic], h)`), with that field's name.
fn keyed_append(f: &Function) -> Option<(u32, &str)> {
    f.calls().find_map(|(e, c)| {
        let list = if c.is_method && call_is(c, APPEND_CALLS) && !c.args.is_empty() {
            &c.receiver
        } else if !c.is_method && c.name() == "append" && c.args.len() >= 2 {
            &c.args[0]
        } else {
            return None;
        };
        keyed_field(list).map(|field| (e.line, field))
    })
}

/// Whether `f` calls, one by one, the items of the list kept under a key of `field`: the loop
/// variable called, or a stored function invoked through `call`/`apply`
/// (`listeners[i].fn.apply(ctx, args)`), looping over that list or a local holding it.
fn invokes_items(f: &Function, field: &str) -> Option<u32> {
    // Locals holding the list.
    let lists: Vec<&str> = f
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Assign { target, value }
                if keyed_field(value) == Some(field) && !target.contains('.') =>
            {
                Some(target.as_str())
            }
            _ => None,
        })
        .collect();
    let is_list = |s: &str| keyed_field(s) == Some(field) || lists.contains(&s);
    f.calls().find_map(|(e, c)| {
        let l = f.loops.get(e.loop_id? as usize)?;
        let head = c.receiver.split('.').next().unwrap_or(&c.receiver);
        let over_list = l.iterable.as_deref().is_some_and(is_list);
        let binding = l.binding.as_deref();
        let calls_binding = over_list
            && ((!c.is_method && !c.is_macro && Some(c.callee.as_str()) == binding)
                || (c.is_method && call_is(c, INVOKE_METHODS) && Some(head) == binding));
        let indexed = |s: &str| s.strip_suffix("[]").is_some_and(is_list);
        // Element by element in a `for` loop, not the head of a queue drained by a `while`.
        let stepped = l.counted_range || l.binding.is_some();
        let calls_element = stepped
            && ((c.is_method && call_is(c, INVOKE_METHODS) && indexed(head))
                || (!c.is_method && indexed(&c.callee)));
        (calls_binding || calls_element).then_some(e.line)
    })
}

/// Listener lists kept per event name in a field, written the way dynamic languages and Go
/// spell them: appended to under a key, and called in turn by a function reading that key.
fn keyed_listeners(facts: &FileFacts) -> Vec<Signal> {
    let mut out = Vec::new();
    let registered: Vec<(u32, &str)> = facts.functions.iter().filter_map(keyed_append).collect();
    let reads = |f: &Function, field: &str| operands(f).any(|o| keyed_field(o) == Some(field));
    let fan_out = registered.iter().find_map(|&(line, field)| {
        facts
            .functions
            .iter()
            .filter(|f| reads(f, field))
            .find_map(|f| invokes_items(f, field))
            .map(|call| (line, field, call))
    });
    let Some((line, field, call)) = fan_out else {
        return out;
    };
    out.push(Signal::anchor(
        line,
        format!("keeps a list of listeners per event name in `{field}`"),
    ));
    out.push(Signal::new(
        call,
        "calls every subscriber in turn on publish",
    ));
    let unsubscribe = facts.functions.iter().find_map(|f| {
        f.calls().find_map(|(e, c)| {
            let on_field = keyed_field(&c.receiver) == Some(field)
                || c.receiver.rsplit('.').next() == Some(field)
                || c.args
                    .first()
                    .is_some_and(|a| a.rsplit('.').next() == Some(field));
            (on_field && (call_is(c, REMOVE_CALLS) || matches!(c.name(), "filter" | "splice")))
                .then_some(e.line)
        })
    });
    if let Some(line) = unsubscribe {
        out.push(Signal::new(
            line,
            "removes subscribers from the handler collection",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn keyed_appends_are_found_in_the_text() {
        assert!(super::keyed_append_text(
            "self.handlers[&topic]\n    .push(Box::new(h));"
        ));
        assert!(super::keyed_append_text("self.subs.get(&(a, b)).push(h)"));
        assert!(super::keyed_append_text("b.subs[t] = append(b.subs[t], h)"));
        assert!(!super::keyed_append_text(
            "v.push(1); self.q.lock().push(2); x.append(&mut y)"
        ));
        // An element of a local, of a nested field or of a path is no keyed field's list.
        assert!(!super::keyed_append_text(
            "v[i].push(1); self.a.b[k].push(2); m.get(k).add(3); crate::x.get(k).push(4)"
        ));
        assert!(super::keyed_append_text("(bus.subs[&t]).push(h)"));
    }

    #[test]
    fn dyn_any_is_the_words_whole() {
        assert!(super::dyn_any("events: Vec<(TypeId, Box<dyn Any + Send>)>"));
        assert!(super::dyn_any("Box<dyn\n    Any>"));
        assert!(!super::dyn_any(
            "Many things; dyn AnyMap; dynAny; Box<dyn std::any::Any>"
        ));
    }

    use crate::test_support::findings_for;

    #[test]
    fn flags_topic_map_bus() {
        let src = "struct Bus { handlers: HashMap<String, Vec<Box<dyn Fn(&Event)>>> }\nimpl Bus {\n    fn subscribe(&mut self, t: &str, h: Box<dyn Fn(&Event)>) { self.handlers.entry(t.into()).or_default().push(h); }\n    fn publish(&self, t: &str, e: &Event) {\n        for h in self.handlers.get(t).into_iter().flatten() { h(e); }\n    }\n}\n";
        assert_eq!(findings_for(src, "event-bus-by-hand").len(), 1);
    }

    fn js(src: &str) -> usize {
        crate::test_support::findings_in(
            liability_model::Language::JavaScript,
            "t.js",
            src,
            "event-bus-by-hand",
        )
        .len()
    }

    #[test]
    fn flags_listener_lists_per_event_name_in_javascript() {
        let src = "function on(emitter, evt, fn) { emitter._events[evt].push(fn); }\nfunction off(emitter, evt) { delete emitter._events[evt]; }\nclass E {\n  emit(evt, a) {\n    var listeners = this._events[evt];\n    for (var i = 0; i < listeners.length; i++) { listeners[i].fn.call(listeners[i].ctx, a); }\n  }\n}\n";
        assert_eq!(js(src), 1);
    }

    #[test]
    fn flags_handler_slices_per_topic_in_go() {
        let src = "package b\ntype Bus struct { hs map[string][]func(int) }\nfunc (b *Bus) Sub(t string, h func(int)) { b.hs[t] = append(b.hs[t], h) }\nfunc (b *Bus) Pub(t string, v int) { for _, h := range b.hs[t] { h(v) } }\n";
        let found = crate::test_support::findings_in(
            liability_model::Language::Go,
            "b.go",
            src,
            "event-bus-by-hand",
        );
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn grouping_items_by_key_is_silent() {
        let src = "class Cat {\n  add(tag, p) { this.byTag[tag].push(p); }\n  render(tag) { for (const p of this.byTag[tag]) { p.render(); } }\n}\n";
        assert_eq!(js(src), 0);
    }

    #[test]
    fn draining_a_queue_per_key_is_silent() {
        let src = "class Q {\n  add(k, job) { this.jobs[k].push(job); }\n  run(k) { const q = this.jobs[k]; while (q.length) { q[0](); q.shift(); } }\n}\n";
        assert_eq!(js(src), 0);
    }

    #[test]
    fn list_of_filters_is_silent() {
        let src = "struct Chain { filters: Vec<Box<dyn Filter>> }\nimpl Chain {\n    fn add(&mut self, f: Box<dyn Filter>) { self.filters.push(f); }\n    fn run(&self, r: &Rec) -> bool { for f in &self.filters { if !f.keep(r) { return false; } } true }\n}\n";
        assert!(findings_for(src, "event-bus-by-hand").is_empty());
    }

    #[test]
    fn python_listener_lists_per_event_are_a_bus() {
        let bus = "class Bus:\n    def on(self, evt, cb):\n        self.listeners.setdefault(evt, []).append(cb)\n    def emit(self, evt, data):\n        for cb in self.listeners.get(evt, []):\n            cb(data)\n";
        let py = |src| {
            crate::test_support::findings_in(
                liability_model::Language::Python,
                "bus.py",
                src,
                "event-bus-by-hand",
            )
            .len()
        };
        assert_eq!(py(bus), 1);
        let grouping = "class Cat:\n    def add(self, tag, p):\n        self.by_tag.setdefault(tag, []).append(p)\n    def render(self, tag):\n        for p in self.by_tag.get(tag, []):\n            p.render()\n";
        assert_eq!(py(grouping), 0);
    }
}
