//! A workflow state machine written in-house: transitions with exit and entry hooks, (state,
//! event) transition tables, persisted state and sagas with compensation.

use crate::rules::vocab::ident_words;
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{Category, Event, EventKind, FileFacts, Function, TypeKind};

declare_rule! {
    /// ## What it does
    /// Finds a state machine engine written in-house, by its structure: a transition that
    /// runs the old state's exit hook, swaps in the new state (`mem::swap`, `mem::replace`,
    /// an assignment or a `set_state` call) and runs the new state's entry hook; a `match`
    /// over `(state, event)` pairs that produces the next state; a transition that looks up
    /// the states allowed after the current one in a table kept as data
    /// (`TRANSITIONS[this.state]`), tests the target against them and sets the state; a saga
    /// that runs steps forward and, when one fails, compensates the completed steps in
    /// reverse. Other methods moving the machine through its transition, handler
    /// outcomes routed into the transition, a machine whose state is serialised, the current
    /// state replaced in a field, enum methods mapping each state to another, state objects
    /// that keep entry and exit callbacks and transition records with a source and a
    /// destination state add weight.
    ///
    /// ## Why is this a liability?
    /// Long-running workflows need durable state, retries, timeouts, versioning of running
    /// instances and visibility into where each one stands. An in-process machine loses its
    /// place when the process stops, and every team rebuilds persistence and resumption.
    ///
    /// ## Example
    /// ```rust
    /// fn transition(&mut self, mut target: State) {
    ///     self.state.exit(&mut self.ctx);
    ///     std::mem::swap(&mut self.state, &mut target);
    ///     self.state.enter(&mut self.ctx);
    /// }
    /// ```
    ///
    /// ## Use instead
    /// AWS Step Functions (Durable Functions or Logic Apps; Google Workflows). In-process,
    /// a well-kept crate such as `statig` or `rust-fsm`, or a Temporal SDK for durable runs.
    ///
    /// ## Known limits
    /// Circuit breakers (closed, open, half-open) are left to their own rule. Transitions
    /// spread over several helpers are missed, and so is a table kept as data when the
    /// current state is first copied into a local before the lookup.
    pub static STATE_MACHINE_BY_HAND = {
        id: "state-machine-by-hand",
        category: Category::Workflow,
        summary: "a state machine with transitions, hooks or compensation written by hand",
        check: check,
        // Anchors only: exit hooks, a state swap and entry hooks (method names holding
        // `exit`/`leave` and `enter`/`entry` as words); a membership test (`MEMBERSHIP`) before the
        // state is set; a saga's `.rev()` loop after a `push`; a match on (state, event) pairs of
        // the file's enums. The lexical test asks for one of these whole (`anchor_text`): the state
        // looked up as `get(&self.`, a tuple pattern of two paths.
        rust_needs: &[
            &[
                "exit", "Exit", "EXIT", "leave", "Leave", "LEAVE", "contains", "has(", "includes",
                "indexOf", "rev(", "enum",
            ],
            &[
                "enter", "Enter", "ENTER", "entry", "Entry", "ENTRY", "contains", "has(",
                "includes", "indexOf", "push", "match",
            ],
        ],
        rust_text: anchor_text,
        // In Python: the same hooks, membership test and saga (`match` arms have no rendered
        // results in Python, so no (state, event) table is read from them; a module-level
        // `map[..]` annotation could still be one). The lexical test asks for one whole, in
        // one function (`python_anchor_text`).
        python_needs: &[
            &[
                "exit", "Exit", "EXIT", "leave", "Leave", "LEAVE", "contains", "has(", "includes",
                "indexOf", "rev(", "map[",
            ],
            &[
                "enter", "Enter", "ENTER", "entry", "Entry", "ENTRY", "contains", "has(",
                "includes", "indexOf", "push", "map[",
            ],
        ],
        python_text: python_anchor_text,
        // In JavaScript: the words of Rust and of Python together (a `switch` is a match, its
        // arms' results not rendered).
        javascript_needs: &[
            &["exit", "Exit", "EXIT", "leave", "Leave", "LEAVE", "contains", "has(", "includes", "indexOf", "rev(", "enum", "map["],
            &["enter", "Enter", "ENTER", "entry", "Entry", "ENTRY", "contains", "has(", "includes", "indexOf", "push", "match", "map["],
        ],
    };
}

const SWAPS: &[&str] = &["mem::swap", "mem::replace", "mem::take"];

/// The line where `f` swaps in a new state: `mem::swap`/`mem::replace` of a field, an
/// assignment to a field of `self`, or a call of a state setter (`set_state`, `setState`).
fn state_swaps(f: &Function) -> impl Iterator<Item = u32> + '_ {
    f.events.iter().filter_map(|e| match &e.kind {
        EventKind::Call(c)
            if SWAPS.iter().any(|s| c.ends_with(s))
                && c.args.first().is_some_and(|a| a.starts_with("self.")) =>
        {
            Some(e.line)
        }
        EventKind::Call(c) if is_state_setter(c.name()) => Some(e.line),
        EventKind::Assign { target, .. } if target.starts_with("self.") => Some(e.line),
        _ => None,
    })
}

/// `set_state`, `_set_state`, `setState`; not the pickling hook `__setstate__`.
fn is_state_setter(name: &str) -> bool {
    if name.starts_with("__") {
        return false;
    }
    let n = name
        .trim_start_matches('_')
        .to_ascii_lowercase()
        .replace('_', "");
    n.starts_with("set") && n.ends_with("state")
}

/// Whether a member name is an entry or exit hook (`on_enter`, `exit`), not a context
/// manager's `__enter__`/`__exit__`.
fn member_hook(name: &str, words: &[&str]) -> bool {
    !name.starts_with("__") && hook(name, words)
}

/// A state type carrying its own entry and exit callbacks: fields or methods for both.
fn state_with_hooks(facts: &FileFacts) -> Option<(u32, &str)> {
    facts.types.iter().find_map(|t| {
        let members: Vec<&str> = t
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .chain(facts.methods_of(&t.name).map(|f| f.name.as_str()))
            .collect();
        let has = |words: &[&str]| members.iter().any(|m| member_hook(m, words));
        (has(&["enter", "entry"]) && has(&["exit", "leave"]))
            .then_some((t.span.start, t.name.as_str()))
    })
}

/// A transition record: a type with a source state and a destination state field.
fn transition_record(facts: &FileFacts) -> Option<(u32, &str)> {
    const SOURCE: &[&str] = &["source", "src", "from_state", "source_state"];
    const DEST: &[&str] = &["dest", "dst", "destination", "to_state", "target_state"];
    let enums: Vec<&str> = facts
        .types
        .iter()
        .filter(|t| t.kind == TypeKind::Enum)
        .map(|t| t.name.as_str())
        .collect();
    // `From`/`To` only when both hold a state: an enum of the file or a type named so.
    let stateful = |ty: &str| {
        enums.contains(&ty) || {
            let lower = ty.to_ascii_lowercase();
            lower.ends_with("state") || lower.ends_with("status")
        }
    };
    facts.types.iter().find_map(|t| {
        let has = |names: &[&str]| t.fields.iter().any(|f| names.contains(&f.name.as_str()));
        let field = |name: &str| t.fields.iter().find(|f| f.name.eq_ignore_ascii_case(name));
        let from_to = match (field("from"), field("to")) {
            (Some(a), Some(b)) => a.ty == b.ty && stateful(&a.ty),
            _ => false,
        };
        ((has(SOURCE) && has(DEST)) || from_to).then_some((t.span.start, t.name.as_str()))
    })
}

/// Whether a method name is an exit or an entry hook: one of its words (split at `_` and at
/// lower-to-upper case changes, so `onExit` reads `on`, `exit`) is one of `words`.
fn hook(name: &str, words: &[&str]) -> bool {
    let parts = ident_words(name);
    words.iter().any(|w| parts.iter().any(|p| p == w))
}

/// The hook a field of the machine names, for an operand like `self.onExit[]` or
/// `self.exit_hooks`: the field's name when the operand is a field of `self` (indexed or not).
fn hook_field(operand: &str) -> Option<&str> {
    let field = operand.strip_prefix("self.")?;
    let field = field.strip_suffix("[]").unwrap_or(field);
    (!field.is_empty()
        && field
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    .then_some(field)
}

/// The lines where `f` runs hooks named by `words`: methods named so (`state.exit()`), and
/// functions kept in a field named so, called directly (`self.onExit[s](..)`), through a
/// local (`h := self.onExit[s]; h(..)`) or as the variable of a loop over them.
fn hook_calls(f: &Function, words: &[&str]) -> Vec<u32> {
    let named = |operand: &str| hook_field(operand).is_some_and(|n| member_hook(n, words));
    let locals: Vec<&str> = f
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Assign { target, value } if named(value) => Some(target.as_str()),
            _ => None,
        })
        .chain(
            f.loops
                .iter()
                .filter(|l| l.iterable.as_deref().is_some_and(named))
                .filter_map(|l| l.binding.as_deref()),
        )
        .collect();
    f.calls()
        .filter(|(_, c)| {
            if c.is_method {
                member_hook(c.name(), words)
            } else {
                named(&c.callee) || locals.contains(&c.callee.as_str())
            }
        })
        .map(|(e, _)| e.line)
        .collect()
}

/// Calls that test whether a value is in a collection.
const MEMBERSHIP: &[&str] = &[
    "__contains__",
    "contains",
    "contains_key",
    "has",
    "includes",
    "indexOf",
];

/// A transition checked against a table kept as data: the next states allowed from the
/// current one are looked up with the state field as the key (`TRANSITIONS[this.state]`,
/// `table.get(&self.state)`), the target is tested against them, then the field is set to
/// the target (a parameter). The line of that assignment.
fn table_checked_transition(f: &Function) -> Option<u32> {
    f.events.iter().find_map(|e| {
        let EventKind::Assign { target, value } = &e.kind else {
            return None;
        };
        if !target.starts_with("self.") || !f.params.iter().any(|p| p.name == *value) {
            return None;
        }
        let before = |c_e: &Event| c_e.line <= e.line;
        let looked_up = f.calls().any(|(c_e, c)| {
            before(c_e)
                && c.name() == "get"
                && c.args
                    .first()
                    .is_some_and(|a| a.trim_start_matches('&') == target)
        });
        let tested = f.calls().any(|(c_e, c)| {
            before(c_e)
                && MEMBERSHIP.contains(&c.name())
                && c.args.iter().any(|a| a.trim_start_matches('&') == value)
        });
        (looked_up && tested).then_some(e.line)
    })
}

/// Other methods of the machine that move it by calling `transition` on itself, such as
/// `start() { this.transition('running') }`: their number and the first call's line.
fn driven_through(facts: &FileFacts, transition: &Function) -> Option<(usize, u32)> {
    let owner = transition.owner.as_deref()?;
    let lines: Vec<u32> = facts
        .methods_of(owner)
        .filter(|f| f.name != transition.name)
        .filter_map(|f| {
            f.calls()
                .find(|(_, c)| c.is_method && c.receiver == "self" && c.name() == transition.name)
                .map(|(e, _)| e.line)
        })
        .collect();
    (lines.len() >= 2).then(|| (lines.len(), lines.iter().copied().min().unwrap_or(0)))
}

/// Exit hook, then the swap, then the entry hook, in source order.
fn exit_swap_enter(f: &Function) -> Option<u32> {
    let exit = hook_calls(f, &["exit", "leave"]).into_iter().min()?;
    let swap = state_swaps(f).find(|&l| l > exit)?;
    hook_calls(f, &["enter", "entry"])
        .into_iter()
        .any(|l| l > swap)
        .then_some(swap)
}

/// A transition table kept as data: a global map from a key type pairing a state with an
/// event to the next state (`map[transitionKey]State` where `transitionKey` holds a `State`
/// and an `Event`), or a map of maps from state to event to state (`map[State]map[Event]State`).
fn transition_table(facts: &FileFacts) -> Option<&str> {
    facts.statics.iter().find_map(|g| {
        let (key, value) = g.ty.strip_prefix("map[")?.split_once(']')?;
        let pairs = match value.strip_prefix("map[").and_then(|v| v.split_once(']')) {
            // State → event → state.
            Some((event, next)) => next == key && event != key,
            None => facts.types.iter().any(|t| {
                t.name == key
                    && t.kind == TypeKind::Struct
                    && t.fields.len() == 2
                    && t.fields.iter().filter(|f| f.ty == value).count() == 1
            }),
        };
        pairs.then_some(g.name.as_str())
    })
}

/// The enum prefix of a rendered path (`State::Idle` → `State`), for enums in `enums`.
fn prefix_of<'a>(path: &'a str, enums: &[&str]) -> Option<&'a str> {
    let (head, _) = path.rsplit_once("::")?;
    let head = head.rsplit("::").next().unwrap_or(head);
    (enums.contains(&head) || head == "Self").then_some(head)
}

/// `(State::A, Event::B) => State::C` arms: the number of arms pairing a state and an event
/// and producing a state of the first enum.
fn pair_table(arms: &[String], results: &[String], enums: &[&str]) -> Option<usize> {
    let mut n = 0;
    for (arm, result) in arms.iter().zip(results) {
        let Some(inner) = arm.strip_prefix('(').and_then(|a| a.strip_suffix(')')) else {
            continue;
        };
        let parts: Vec<&str> = inner.split(',').collect();
        let [state, event] = parts.as_slice() else {
            continue;
        };
        let state_ty = state.split('(').next().and_then(|s| prefix_of(s, enums));
        let event_ty = event.split('(').next().and_then(|s| prefix_of(s, enums));
        let produced = result
            .trim_start_matches("Some(")
            .trim_start_matches("Ok(")
            .split('(')
            .next()
            .and_then(|s| prefix_of(s, enums));
        if let (Some(s), Some(e), Some(r)) = (state_ty, event_ty, produced)
            && s != e
            && r == s
        {
            n += 1;
        }
    }
    (n >= 2).then_some(n)
}

/// Arms `E::A => E::B` of an enum's own method: each state mapped to another.
fn next_state_arms(f: &Function, arms: &[String], results: &[String]) -> usize {
    let Some(owner) = f.owner.as_deref() else {
        return 0;
    };
    let variant = |s: &str| -> Option<String> {
        let (head, tail) = s.split('(').next().unwrap_or(s).rsplit_once("::")?;
        (head == owner || head == "Self").then(|| tail.to_owned())
    };
    arms.iter()
        .zip(results)
        .filter(|(a, r)| match (variant(a), variant(r)) {
            (Some(a), Some(r)) => a != r,
            _ => false,
        })
        .count()
}

/// A saga: steps run in a loop with failures checked, then a loop over the completed steps
/// in reverse calling each one.
fn compensates(f: &Function) -> Option<u32> {
    let forward = f.loops.iter().position(|l| {
        l.binding.is_some()
            && f.events
                .iter()
                .any(|e| l.span.contains(e.line) && matches!(&e.kind, EventKind::ErrorBranch))
            && f.calls()
                .any(|(e, c)| l.span.contains(e.line) && c.name() == "push")
    })?;
    f.loops.iter().enumerate().find_map(|(i, l)| {
        if i == forward || l.span.start < f.loops[forward].span.start {
            return None;
        }
        let binding = l.binding.as_deref()?;
        let reversed = f
            .calls()
            .any(|(e, c)| e.line == l.span.start && c.name() == "rev");
        let calls_step = f
            .calls()
            .any(|(e, c)| l.span.contains(e.line) && c.is_method && c.receiver == binding);
        (reversed && calls_step).then_some(l.span.start)
    })
}

/// Whether `text` may hold one of the anchors (the lexical test): exit and entry hooks; a
/// membership test and a lookup of the state field (`get(&self.x)`); a reversed loop and a
/// push; or an enum, a match and a tuple of two paths (`(State::Idle, Event::Go)`).
fn anchor_text(text: &str) -> bool {
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    // Exit hooks run before entry hooks in one function, so one comes first in the text.
    first_hook_member(text, &EXIT_HOOKS)
        .is_some_and(|x| first_hook_member(&text[x..], &ENTER_HOOKS).is_some())
        || (has(&["contains", "has(", "includes", "indexOf"]) && gets_self_field(text))
        // A saga pushes its completed steps before it walks them back.
        || text.find("push").is_some_and(|p| reversed_loop_calling_binding(&text[p..]))
        || (has(&["match"]) && pair_arms(text) >= 2)
}

/// The Python form of `anchor_text`, per function (`prepass::PythonText::functions`: each
/// anchor reads one function): an exit hook, a state swap and an entry hook in that order
/// (`python_exit_swap_enter`); a membership call (`MEMBERSHIP`,
/// called) and a lookup of the state field (`get(self.x)`, or `get(this.x)`: a name `this`
/// renders `self` too); a reversed loop and a push; or, in the file, a module-level variable
/// annotated `map[..]` (a transition table). No (state, event) table: tree-sitter renders no `match` arm
/// results for `pair_table` to read.
/// Whether `text` holds a `for` loop over a reversed sequence (`rev(` on the `for`'s line, as
/// `compensates` wants the `rev` call on the loop's first line) whose binding, a plain name
/// (`for step in`, `for mut step in`), is later the receiver of a method call (`step.undo()`,
/// also `(*step).undo()`, `step?.undo()`, `step.await`, `(step as &dyn S).undo()`: the
/// renderings of a receiver drop those) — the reversed loop of a saga (lexical test).
fn reversed_loop_calling_binding(text: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        if !line.contains("rev(") {
            continue;
        }
        let Some(at) = line.find("for ") else {
            continue;
        };
        if at > 0 && line[..at].ends_with(ident) {
            continue;
        }
        let pattern = line[at + 4..].trim_start();
        let pattern = pattern
            .strip_prefix("mut ")
            .map_or(pattern, str::trim_start);
        let name_len = pattern.find(|c: char| !ident(c)).unwrap_or(pattern.len());
        let (name, rest) = pattern.split_at(name_len);
        if name.is_empty() || !rest.trim_start().starts_with("in ") {
            continue;
        }
        let after = &text[start + at..];
        let received = after.match_indices(name).any(|(i, _)| {
            let before_ok = !after[..i].ends_with(ident);
            let tail = &after[i + name.len()..];
            let tail = tail.trim_start_matches(|c: char| c.is_whitespace() || c == ')' || c == '?');
            before_ok
                && !tail.starts_with(ident)
                && ((tail.starts_with('.') && !tail.starts_with("..")) || tail.starts_with("as "))
        });
        if received {
            return true;
        }
    }
    false
}

fn python_anchor_text(source: &crate::prepass::Source<'_>) -> bool {
    let text = source.python_code();
    // A module-level variable's type is its annotation (`TABLE: map[..]..`).
    let map_annotation = text
        .match_indices("map[")
        .any(|(i, _)| text[..i].trim_end().ends_with(':'));
    map_annotation
        || source.python_functions().iter().any(|f| {
            let has = |words: &[&str]| crate::prepass::has_any(source.python().code_of(f), words);
            python_exit_swap_enter(source.python().code_of(f))
                || (has(&[
                    "contains(",
                    "__contains__(",
                    "contains_key(",
                    "has(",
                    "includes(",
                    "indexOf(",
                ]) && gets_field_of(source.python().code_of(f), &["self.", "this."]))
                || (has(&["push"])
                    && crate::rules::vocab::rev_on_loop_line(source.python().code_of(f)))
        })
}

/// The Python form of `exit_swap_enter`'s order in a function's `code`: an exit hook, then a
/// state swap (`state_swaps`: an assignment to a field of `self`, a state setter called, or
/// `mem.swap`/`mem.replace`/`mem.take`), then an entry hook, in text order.
fn python_exit_swap_enter(code: &str) -> bool {
    let Some(exit) = first_hook_member(code, &EXIT_HOOKS) else {
        return false;
    };
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let after = &code[exit..];
    // A field of `self` named after the exit hook may be assigned (`self.x = ..`,
    // `self.x[k] = ..`): read as a swap there, whatever follows the name.
    let swap = if crate::prepass::has_any(
        after,
        &["self.", "this.", "mem.swap", "mem.replace", "mem.take"],
    ) {
        Some(0)
    } else {
        // A state setter called (`set_state`, `setState`, `_set_state`).
        after.match_indices('(').find_map(|(i, _)| {
            let name_start = after[..i].trim_end_matches(ident).len();
            is_state_setter(&after[name_start..i]).then_some(i)
        })
    };
    swap.is_some_and(|s| first_hook_member(&after[s..], &ENTER_HOOKS).is_some())
}

/// Hook words and the casings they are found from: one automaton scans a text for all.
struct Hooks {
    words: &'static [&'static str],
    automaton: std::sync::LazyLock<aho_corasick::AhoCorasick>,
}

static EXIT_HOOKS: Hooks = Hooks {
    words: &["exit", "leave"],
    automaton: std::sync::LazyLock::new(|| {
        hook_automaton(&["exit", "Exit", "EXIT", "leave", "Leave", "LEAVE"])
    }),
};

static ENTER_HOOKS: Hooks = Hooks {
    words: &["enter", "entry"],
    automaton: std::sync::LazyLock::new(|| {
        hook_automaton(&["enter", "Enter", "ENTER", "entry", "Entry", "ENTRY"])
    }),
};

fn hook_automaton(spelled: &[&str]) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::new(spelled)
        // The casings are constants: building cannot fail.
        .unwrap_or_else(|e| panic!("hook casings do not compile: {e}"))
}

/// Where `text` first names a member (`.name`) whose name holds one of the hook's words as a
/// word (`member_hook`).
fn first_hook_member(text: &str, hooks: &Hooks) -> Option<usize> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    hooks
        .automaton
        // Non-overlapping: two casings overlap only inside one identifier with no word break
        // (`leavexit`), where neither is a word of the name.
        .find_iter(text)
        .map(|m| m.start())
        .find(|&i| {
            let start = text[..i].trim_end_matches(ident).len();
            let end = i + text[i..]
                .find(|c: char| !ident(c))
                .unwrap_or(text.len() - i);
            // A member (`.on_exit(`), or a field holding the hooks (`self.exit_hooks`,
            // `(self.on_exit)(..)`: `hook_calls` reads those too), so no call is required.
            text[..start].ends_with('.') && member_hook(&text[start..end], hooks.words)
        })
}

/// `get(` then, past white space, `&` and `mut`, `self.`.
fn gets_self_field(text: &str) -> bool {
    gets_field_of(text, &["self."])
}

/// `get(` then, past white space, `&` and `mut`, one of `owners` (`self.`).
fn gets_field_of(text: &str, owners: &[&str]) -> bool {
    fn skip(s: &str) -> &str {
        s.trim_start_matches(|c: char| c.is_whitespace() || c == '&')
    }
    text.match_indices("get(").any(|(i, m)| {
        let arg = skip(&text[i + m.len()..]);
        let arg = arg.strip_prefix("mut").map_or(arg, skip);
        owners.iter().any(|o| arg.starts_with(o))
    })
}

/// How many match arms of `text` are a pair of paths into two different enums of the file
/// (`pair_table`: `(State::Idle, Event::Go) =>`), lexically: the type of each path (the
/// segment before the variant, payload aside) is an `enum` the text declares, or `Self`.
fn pair_arms<'t>(text: &'t str) -> usize {
    let enums = declared_enums(text);
    let enum_of = |path: &'t str| -> Option<&'t str> {
        let path = path.split('(').next().unwrap_or(path).trim();
        let (head, _) = path.rsplit_once("::")?;
        let head = head.rsplit("::").next().unwrap_or(head).trim();
        (head == "Self" || enums.contains(&head)).then_some(head)
    };
    let path_start = |s: &str| {
        let s = s.trim_start();
        let name = s
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(s.len());
        name > 0 && s[name..].starts_with("::")
    };
    text.match_indices('(')
        .filter(|(i, _)| {
            let rest = &text[i + 1..];
            if !path_start(rest) {
                return false;
            }
            let mut depth = 1;
            let Some(close) = rest.find(|c: char| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            }) else {
                return false;
            };
            let inner = &rest[..close];
            let after = rest[close + 1..].trim_start();
            let Some((state, event)) = inner.split_once(',') else {
                return false;
            };
            !event.contains(',')
                && (after.starts_with("=>") || after.starts_with("if") || after.starts_with('|'))
                && matches!((enum_of(state), enum_of(event)), (Some(s), Some(e)) if s != e)
        })
        .count()
}

/// The names `text` declares enums under (`enum Name`).
fn declared_enums(text: &str) -> Vec<&str> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices("enum")
        .filter(|(i, _)| !text[..*i].ends_with(ident))
        .filter_map(|(i, _)| {
            let rest = text[i + 4..]
                .strip_prefix(char::is_whitespace)?
                .trim_start();
            let name = &rest[..rest.find(|c: char| !ident(c)).unwrap_or(rest.len())];
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let enums: Vec<&str> = facts
        .types
        .iter()
        .filter(|t| t.kind == TypeKind::Enum)
        .map(|t| t.name.as_str())
        .collect();
    // Circuit breakers are the retry category's concern.
    let breaker = facts.types.iter().any(|t| {
        let has = |n: &str| t.variants.iter().any(|v| v.eq_ignore_ascii_case(n));
        t.kind == TypeKind::Enum && has("Open") && has("Closed")
    });
    if breaker {
        return;
    }
    let mut signals: Vec<Signal> = Vec::new();
    let mut push = |s: Signal| {
        if !signals.iter().any(|o| o.kind() == s.kind()) {
            signals.push(s);
        }
    };
    let transitions: Vec<&Function> = facts
        .functions
        .iter()
        .filter(|f| exit_swap_enter(f).is_some() || table_checked_transition(f).is_some())
        .collect();
    if let Some((line, name)) = state_with_hooks(facts) {
        push(Signal::new(
            line,
            format!("`{name}` keeps entry and exit callbacks for each state"),
        ));
    }
    if let Some(name) = transition_table(facts) {
        // A global has no line of its own: its first use in code stands for it.
        let line = facts.functions.iter().find_map(|f| {
            f.events
                .iter()
                .find(|e| match &e.kind {
                    EventKind::Assign { value, .. } => value == &format!("{name}[]"),
                    EventKind::Call(c) => c.receiver == name || c.args.iter().any(|a| a == name),
                    _ => false,
                })
                .map(|e| e.line)
        });
        if let Some(line) = line {
            push(Signal::anchor(
                line,
                format!("keeps the next state for each (state, event) pair in `{name}`"),
            ));
        }
    }
    if let Some((line, name)) = transition_record(facts) {
        push(Signal::new(
            line,
            format!("`{name}` records transitions from a source to a destination state"),
        ));
    }
    for f in &facts.functions {
        if let Some(line) = exit_swap_enter(f) {
            push(Signal::anchor(
                line,
                format!(
                    "`{}` runs exit hooks, swaps the state and runs entry hooks",
                    f.name
                ),
            ));
        }
        if let Some(line) = table_checked_transition(f) {
            push(Signal::anchor(
                line,
                format!(
                    "`{}` checks the move against a table of allowed next states before \
                     setting the state",
                    f.name
                ),
            ));
        }
        if let Some(line) = compensates(f) {
            push(Signal::anchor(
                line,
                "compensates completed steps in reverse when a step fails (saga)",
            ));
        }
        for e in &f.events {
            let EventKind::Match { arms, results, .. } = &e.kind else {
                continue;
            };
            if pair_table(arms, results, &enums).is_some() {
                push(Signal::anchor(
                    e.line,
                    "picks the next state from (state, event) pairs",
                ));
            }
            if next_state_arms(f, arms, results) >= 2 {
                push(Signal::new(e.line, "maps each state to another state"));
            }
            let routes = !transitions.iter().any(|t| t.name == f.name)
                && f.calls().any(|(c_e, c)| {
                    c_e.line > e.line
                        && c.is_method
                        && transitions.iter().any(|t| t.name == c.name())
                });
            if routes {
                push(Signal::new(
                    e.line,
                    "routes each handler outcome into the transition",
                ));
            }
        }
        if transitions.iter().any(|t| std::ptr::eq(*t, f))
            && let Some((n, line)) = driven_through(facts, f)
        {
            push(Signal::new(
                line,
                format!("{n} methods move the machine through `{}`", f.name),
            ));
        }
        let serialises = f.trait_impl.as_deref().is_some_and(|t| t == "Serialize")
            && f.owner.as_deref().is_some_and(|o| {
                facts
                    .types
                    .iter()
                    .any(|t| t.name == o && t.fields.iter().any(|fd| fd.name.contains("state")))
            });
        if serialises {
            push(Signal::new(
                f.span.start,
                "serialises the machine with its current state",
            ));
        }
        let replaced = f.calls().find_map(|(e, c)| {
            let swaps = SWAPS.iter().any(|s| c.ends_with(s));
            (swaps
                && c.args
                    .first()
                    .is_some_and(|a| a.starts_with("self.") && a.contains("state")))
            .then_some(e.line)
        });
        if let Some(line) = replaced {
            push(Signal::new(
                line,
                "keeps the current state in a field and replaces it",
            ));
        }
    }
    sink.emit_or_defer(signals);
}

#[cfg(test)]
mod tests {
    #[test]
    fn anchor_text_finds_pair_tables_and_lookups() {
        let table = "enum State { Idle, On }\nenum Event { Go, Stop }\nmatch (self.state, e) {\n    (State::Idle, Event::Go) => State::On,\n    (State::On, Event::Stop) => State::Idle,\n";
        assert_eq!(super::pair_arms(table), 2);
        assert_eq!(
            super::pair_arms("enum Ev { B }\n(Self::A(x),\n Ev::B) if ok =>"),
            1
        );
        // Paths into enums the file does not declare, or into one enum twice, are no table.
        assert_eq!(
            super::pair_arms(
                "match (a, b) { (Ordering::Less, Ordering::Equal) => 1, (Some::A, Ev::B) => 2 }"
            ),
            0
        );
        assert_eq!(
            super::pair_arms(
                "enum State { A, B }\nf(a, b::c); g(State::A); h(State::A, State::B) => x"
            ),
            0
        );
        let hooks = |text| {
            let exit = super::first_hook_member(text, &super::EXIT_HOOKS);
            let enter = super::first_hook_member(text, &super::ENTER_HOOKS);
            (exit, enter)
        };
        assert_eq!(hooks("self.state.on_exit(ctx);"), (Some(14), None));
        assert_eq!(
            super::first_hook_member("h.onExit();", &super::EXIT_HOOKS),
            Some(4)
        );
        assert_eq!(hooks("std::process::exit(1); self.exited();"), (None, None));
        assert_eq!(hooks("s.enter(); s.exit();"), (Some(13), Some(2)));
        assert!(!super::anchor_text("s.enter(); s.exit();"));
        assert!(super::anchor_text("s.exit(); s.enter();"));
        // A saga's reversed loop calls a method on its binding; a reversed copy does not.
        let saga = "done.push(s);\nfor step in done.iter().rev() {\n    step.undo();\n}\n";
        assert!(super::anchor_text(saga));
        let deref = "done.push(s);\nfor mut step in done.drain(..).rev() { (*step)?.undo(); }\n";
        assert!(super::anchor_text(deref));
        let copy = "v.push(1);\nfor x in v.iter().rev() {\n    out.push(*x);\n}\n";
        assert!(!super::anchor_text(copy));
        assert!(super::gets_self_field("allowed.get( &self.state)"));
        assert!(super::gets_self_field("m.get(&mut self.state)"));
        assert!(!super::gets_self_field("map.get(&key)"));
    }

    use crate::test_support::{findings_for, findings_in};
    use liability_model::Language;

    #[test]
    fn rust_saga_anchor_passes_the_lexical_test() {
        let src = "pub fn run(steps: Vec<Box<dyn Step>>) -> Result<(), E> {\n    let mut done = Vec::new();\n    for step in steps {\n        step.apply()?;\n        done.push(step);\n    }\n    for step in done.iter().rev() {\n        step.undo();\n    }\n    Ok(())\n}\n";
        let facts = crate::frontend::extract(Language::Rust, "saga.rs", src).expect("parses");
        let (mut findings, mut partials) = (Vec::new(), Vec::new());
        super::check(
            &facts,
            &mut crate::rules::Sink::new(
                &facts,
                &super::STATE_MACHINE_BY_HAND,
                &mut findings,
                &mut partials,
            ),
        );
        let saga = partials
            .iter()
            .flat_map(|p| &p.signals)
            .any(|s| s.anchor && s.message.contains("saga"));
        assert!(saga || !findings.is_empty(), "{partials:?}");
        assert!(super::anchor_text(src));
    }

    #[test]
    fn flags_transition_with_hooks() {
        let src = "struct M { state: S, ctx: C }\nimpl M {\n    fn handle(&mut self, e: &E) {\n        match self.state.handle(e) {\n            Outcome::Transition(t) => self.transition(t),\n            _ => {}\n        }\n    }\n    fn transition(&mut self, mut target: S) {\n        self.state.exit(&mut self.ctx);\n        std::mem::swap(&mut self.state, &mut target);\n        self.state.enter(&mut self.ctx);\n    }\n}\n";
        assert_eq!(findings_for(src, "state-machine-by-hand").len(), 1);
    }

    #[test]
    fn flags_state_event_table() {
        let src = "enum S { Idle, Running, Done }\nenum E { Start, Finish }\nimpl S {\n    fn next(self, e: E) -> S {\n        match (self, e) {\n            (S::Idle, E::Start) => S::Running,\n            (S::Running, E::Finish) => S::Done,\n            (s, _) => s,\n        }\n    }\n    fn step(self) -> S {\n        match self { S::Idle => S::Running, S::Running => S::Done, S::Done => S::Done }\n    }\n}\n";
        assert_eq!(findings_for(src, "state-machine-by-hand").len(), 1);
    }

    #[test]
    fn flags_python_machine_with_hooked_states() {
        let src = "class State:\n    def __init__(self, name, on_enter=None, on_exit=None):\n        self.name = name\n        self.on_enter = on_enter or []\n        self.on_exit = on_exit or []\n\nclass Transition:\n    def __init__(self, source, dest):\n        self.source = source\n        self.dest = dest\n\n    def execute(self, machine, model):\n        machine.get_state(self.source).exit(model)\n        machine.set_state(self.dest, model)\n        machine.get_state(self.dest).enter(model)\n";
        let found = findings_in(Language::Python, "t.py", src, "state-machine-by-hand");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.len(), 3, "{:#?}", found[0].evidence);
    }

    #[test]
    fn python_state_records_without_a_transition_engine_are_silent() {
        // Declarations handed to a library, and a context manager's `__enter__`/`__exit__`.
        let src = "class Step:\n    def __init__(self, name, on_enter, on_exit):\n        self.on_enter = on_enter\n        self.on_exit = on_exit\n\nclass Copy:\n    def __init__(self, source, dest):\n        self.source = source\n        self.dest = dest\n\nclass Scope:\n    def run(self, lock):\n        lock.__exit__(None, None, None)\n        self.state = 'open'\n        lock.__enter__()\n";
        assert!(findings_in(Language::Python, "t.py", src, "state-machine-by-hand").is_empty());
    }

    #[test]
    fn weekday_successor_is_silent() {
        let src = "enum Day { Mon, Tue, Wed }\nimpl Day {\n    fn succ(self) -> Day { match self { Day::Mon => Day::Tue, Day::Tue => Day::Wed, Day::Wed => Day::Mon } }\n}\nstruct P { s: Day }\nimpl P { fn set(&mut self, d: Day) { self.s = d; } }\n";
        assert!(findings_for(src, "state-machine-by-hand").is_empty());
    }

    #[test]
    fn circuit_breaker_is_left_to_retry() {
        let src = "enum State { Closed, Open, HalfOpen }\nenum Ev { Fail, Ok }\nfn next(s: State, e: Ev) -> State {\n    match (s, e) {\n        (State::Closed, Ev::Fail) => State::Open,\n        (State::HalfOpen, Ev::Ok) => State::Closed,\n        (s, _) => s,\n    }\n}\n";
        assert!(findings_for(src, "state-machine-by-hand").is_empty());
    }

    fn js(src: &str) -> usize {
        findings_in(Language::JavaScript, "m.js", src, "state-machine-by-hand").len()
    }

    #[test]
    fn flags_javascript_transition_checked_against_a_table() {
        let src = "const TRANSITIONS = { pending: ['running'], running: ['done', 'failed'] };\nclass Job {\n  constructor() { this.state = 'pending'; }\n  transition(to) {\n    const allowed = TRANSITIONS[this.state] || [];\n    if (!allowed.includes(to)) throw new Error('invalid');\n    this.state = to;\n  }\n  start() { this.transition('running'); }\n  finish() { this.transition('done'); }\n}\n";
        assert_eq!(js(src), 1);
        // A `Map` of sets says the same.
        let src = "const NEXT = new Map([['a', new Set(['b'])]]);\nclass M {\n  go(to) {\n    if (!NEXT.get(this.state).has(to)) throw new Error('no');\n    this.state = to;\n  }\n  a() { this.go('a'); }\n  b() { this.go('b'); }\n}\n";
        assert_eq!(js(src), 1);
    }

    #[test]
    fn a_status_checked_against_a_flat_list_is_silent() {
        let src = "const STATUSES = ['draft', 'sent', 'paid'];\nclass Invoice {\n  setStatus(status) {\n    if (!STATUSES.includes(status)) throw new Error('unknown');\n    this.status = status;\n  }\n  send() { this.setStatus('sent'); }\n  pay() { this.setStatus('paid'); }\n}\n";
        assert_eq!(js(src), 0);
    }

    #[test]
    fn flags_typescript_states_with_camel_case_hooks() {
        let src = "abstract class State {\n  onEnter(): void {}\n  onExit(): void {}\n}\nclass Machine {\n  private current: State;\n  private transition(next: State): void {\n    this.current.onExit();\n    this.current = next;\n    this.current.onEnter();\n  }\n}\n";
        assert_eq!(
            findings_in(Language::TypeScript, "m.ts", src, "state-machine-by-hand").len(),
            1
        );
    }

    #[test]
    fn names_split_into_words_in_either_case() {
        let words = crate::rules::vocab::ident_words;
        assert_eq!(words("onExit"), ["on", "exit"]);
        assert_eq!(words("on_enter"), ["on", "enter"]);
        assert_eq!(words("HTTPServer"), ["httpserver"]);
        assert_eq!(words("__enter__"), ["enter"]);
    }
}
