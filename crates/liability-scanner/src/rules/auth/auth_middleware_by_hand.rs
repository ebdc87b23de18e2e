//! Authentication challenges and login sessions handled by hand.

use crate::rules::vocab::{REMOVE_CALLS, call_is};
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{Category, EventKind, FileFacts};

declare_rule! {
    /// ## What it does
    /// Finds authentication written in-house around requests and sessions: a middleware that
    /// challenges unauthenticated requests with a `WWW-Authenticate` header, or a login that
    /// regenerates the session and stores the user in it. Answering `401 Unauthorized`,
    /// reading the `Authorization` header, storing the user in the session and clearing it on
    /// logout add weight. A challenge with a single other kind of evidence (a 401 answer) is a
    /// thin helper and is not reported alone.
    ///
    /// ## Why is this a liability?
    /// Authentication is a security boundary with many ways to fail: session fixation when
    /// the session is not regenerated, users left in sessions after logout, challenges that
    /// leak which accounts exist, missing lockout and multi-factor flows. An identity
    /// service has already solved them, and audits them.
    ///
    /// ## Example
    /// ```js
    /// function requireUser(req, res, next) {
    ///   const [user, pass] = parseBasic(req.headers.authorization);
    ///   if (!check(user, pass)) {
    ///     res.setHeader('WWW-Authenticate', 'Basic realm="app"');
    ///     return res.status(401).end();
    ///   }
    ///   next();
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Amazon Cognito with API Gateway or ALB authorizers (Microsoft Entra External ID;
    /// Identity Platform). In-process, a maintained library: Passport, Auth.js, authlib.
    ///
    /// ## Known limits
    /// A reverse proxy relaying an upstream's challenge sets the same header. Login code
    /// split over files of different folders is only seen where one file holds an anchor
    /// and a second kind of evidence.
    pub static AUTH_MIDDLEWARE_BY_HAND = {
        id: "auth-middleware-by-hand",
        category: Category::Auth,
        summary: "authentication challenges or login sessions handled by hand",
        check: check,
        // Anchors only: a `WWW-Authenticate` literal (compared case-insensitively: the casings code
        // writes) set on a response, or `regenerate` called on a session.
        rust_needs: &[
            &["uthenticate", "UTHENTICATE", "regenerate"],
        ],
        // And one of them whole (`rust_challenge_or_regenerate`).
        rust_text: rust_challenge_or_regenerate,
        // The same anchors in Python.
        python_needs: &[&["uthenticate", "UTHENTICATE", "regenerate"]],
        python_text: python_challenge_or_regenerate,
        // The supporting signals: the `Authorization` header, a 401 (`401`, `UNAUTHORIZED`,
        // `StatusUnauthorized`), the session's user stored or removed (`session` any casing);
        // a challenge without a third kind of evidence also supports only (admitted above).
        python_support: |source| {
            crate::rules::has_words(
                source.text(),
                &[&["uthoriz", "UTHORIZ", "401", "ession", "ESSION"]],
            )
        },
        // In JavaScript and TypeScript the same anchors, and the same supporting signals as in
        // Python (the header, a 401, the session).
        javascript_needs: &[
            &["uthenticate", "UTHENTICATE", "regenerate"],
        ],
        javascript_support: |source| {
            crate::rules::has_words(
                source.text(),
                &[&["uthoriz", "UTHORIZ", "401", "ession", "ESSION"]],
            )
        },
    };
}

/// Whether an operand rendering names the 401 status.
fn is_unauthorized(s: &str) -> bool {
    s.split(|c: char| !c.is_alphanumeric() && c != '_')
        .any(|t| {
            matches!(
                t,
                "401" | "StatusUnauthorized" | "UNAUTHORIZED" | "HTTP_401_UNAUTHORIZED"
            )
        })
}

/// Whether a receiver or target is the session (`req.session`, `request.session[]`).
fn is_session(s: &str) -> bool {
    s.split('.')
        .any(|p| p.trim_end_matches("[]").eq_ignore_ascii_case("session"))
}

/// Calls that set a header on an answer (`res.setHeader`, `w.Header().Set`, `.header(..)`,
/// `headers[k] = v` read as `insert`).
const HEADER_SETTERS: &[&str] = &[
    "Add",
    "Set",
    "add",
    "add_header",
    "append",
    "header",
    "insert",
    "set",
    "setHeader",
    "set_header",
    "setdefault",
    "writeHead",
];

/// Whether a call on `line` sets a header, or answers 401 (the challenge then rides along in
/// its header map: `res.writeHead(401, {'WWW-Authenticate': ..})`).
fn sets_header_on(facts: &FileFacts, line: u32) -> bool {
    facts
        .functions
        .iter()
        .flat_map(|f| f.calls())
        .filter(|(e, _)| e.line == line)
        .any(|(_, c)| {
            HEADER_SETTERS.contains(&c.name()) || c.args.iter().any(|a| is_unauthorized(a))
        })
}

/// The Python lexical test: a literal `www-authenticate` whole (any casing:
/// `prepass::PythonText::literal_values`), or a method `regenerate` called (`.regenerate(`).
fn python_challenge_or_regenerate(source: &crate::prepass::Source<'_>) -> bool {
    let text = source.python_code();
    text.match_indices("regenerate").any(|(i, m)| {
        text[..i].trim_end().ends_with('.') && text[i + m.len()..].trim_start().starts_with('(')
    }) || source
        .python()
        .literal_values()
        .any(|v| v.eq_ignore_ascii_case("www-authenticate"))
}

/// The Rust lexical test: a method `regenerate` called (`.regenerate(`, or a turbofish
/// `::<`; white space and line breaks allowed around the name) in a text naming `session` in
/// any casing (the receiver `is_session` wants), or a string literal whose value is
/// `www-authenticate` in any casing (`rust_light::string_literal_values`: escapes resolved,
/// byte and raw strings read; a text it cannot read passes).
fn rust_challenge_or_regenerate(text: &str) -> bool {
    let regenerate = text.match_indices("regenerate").any(|(i, m)| {
        let rest = text[i + m.len()..].trim_start();
        text[..i].trim_end().ends_with('.') && (rest.starts_with('(') || rest.starts_with("::"))
    }) && crate::prepass::contains_ignore_ascii_case(text, "session");
    regenerate
        || crate::frontend::rust_light::string_literal_values(text).is_none_or(|values| {
            values
                .iter()
                .any(|v| v.eq_ignore_ascii_case("www-authenticate"))
        })
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals: Vec<Signal> = Vec::new();
    let literal = |name: &str| {
        facts
            .literals
            .iter()
            .find(|l| l.in_body && l.value.eq_ignore_ascii_case(name))
            .map(|l| l.line)
    };
    // A server sets the challenge on its answer; a client reads the one it was sent
    // (`headers.get('www-authenticate')`, `resp_header = "www-authenticate"`).
    let challenge = literal("www-authenticate").and_then(|_| {
        facts
            .literals
            .iter()
            .filter(|l| l.in_body && l.value.eq_ignore_ascii_case("www-authenticate"))
            .map(|l| l.line)
            .find(|&line| sets_header_on(facts, line))
    });
    if let Some(line) = challenge {
        signals.push(Signal::anchor(
            line,
            "challenges unauthenticated requests with `WWW-Authenticate`",
        ));
    }
    if let Some(line) = literal("authorization") {
        signals.push(Signal::new(line, "reads the Authorization header"));
    }
    let events = || facts.functions.iter().flat_map(|f| &f.events);
    let regenerate = events().find_map(|e| match &e.kind {
        EventKind::Call(c)
            if c.is_method && c.name() == "regenerate" && is_session(&c.receiver) =>
        {
            Some(e.line)
        }
        _ => None,
    });
    if let Some(line) = regenerate {
        signals.push(Signal::anchor(
            line,
            "regenerates the session when a user logs in",
        ));
    }
    let unauthorized = events().find_map(|e| {
        let hit = match &e.kind {
            EventKind::Binary { lhs, rhs, .. } => is_unauthorized(lhs) || is_unauthorized(rhs),
            EventKind::Assign { value, .. } => is_unauthorized(value),
            EventKind::Call(c) => c.args.iter().any(|a| is_unauthorized(a)),
            _ => false,
        };
        hit.then_some(e.line)
    });
    if let Some(line) = unauthorized {
        signals.push(Signal::new(line, "answers 401 Unauthorized"));
    }
    let stores_user = events().find_map(|e| match &e.kind {
        EventKind::Assign { target, .. }
            if is_session(target)
                && target
                    .rsplit('.')
                    .next()
                    .is_some_and(|p| p.to_ascii_lowercase().starts_with("user")) =>
        {
            Some(e.line)
        }
        _ => None,
    });
    if let Some(line) = stores_user {
        signals.push(Signal::new(
            line,
            "stores the authenticated user in the session",
        ));
    }
    let clears = events().find_map(|e| match &e.kind {
        EventKind::Call(c)
            if c.is_method && call_is(c, REMOVE_CALLS) && is_session(&c.receiver) =>
        {
            Some(e.line)
        }
        _ => None,
    });
    if let Some(line) = clears {
        signals.push(Signal::new(line, "clears the session's user on logout"));
    }
    // A challenge answered with a 401 and nothing else is a thin helper (basic auth in a
    // router's middleware kit): the challenge anchors only with a third kind of evidence.
    let kinds: std::collections::BTreeSet<String> = signals.iter().map(Signal::kind).collect();
    if kinds.len() < 3 && regenerate.is_none() {
        for s in &mut signals {
            s.anchor = false;
        }
    }
    sink.emit_or_defer(signals);
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_in;
    use liability_model::Language;

    fn js(src: &str) -> usize {
        findings_in(Language::JavaScript, "a.js", src, "auth-middleware-by-hand").len()
    }

    #[test]
    fn flags_basic_auth_challenge() {
        let src = "function guard(req, res, next) {\n  if (!ok(req.headers['authorization'])) {\n    res.setHeader('WWW-Authenticate', 'Basic');\n    return res.status(401).end();\n  }\n  next();\n}\n";
        assert_eq!(js(src), 1);
    }

    #[test]
    fn flags_session_login_and_logout() {
        let src = "function logIn(req, user, cb) {\n  req.session.regenerate(function (err) {\n    req.session.auth.user = user.id;\n    cb(err);\n  });\n}\nfunction logOut(req) { delete req.session.auth; }\n";
        assert_eq!(js(src), 1);
    }

    #[test]
    fn rust_lexical_test_wants_a_challenge_literal_or_a_regenerate_call() {
        let test = super::rust_challenge_or_regenerate;
        assert!(test("res.headers_mut().insert(r\"WWW-Authenticate\", v);"));
        assert!(test("resp.header(\"www\\x2Dauthenticate\", realm)"));
        assert!(test("session\n    .regenerate()\n    .await?;"));
        // Prose and names: `unauthenticated`, a `regenerate` function, the header's constant.
        assert!(!test(
            "/// Requests are unauthenticated; see WWW-Authenticate.\nfn regenerate(x: u8) {}\nlet h = WWW_AUTHENTICATE;"
        ));
        // A `regenerate` method with no session in the file.
        assert!(!test("self.cache.regenerate(&key);"));
    }

    #[test]
    fn thin_basic_auth_helper_is_silent() {
        let src = "package m\nfunc failed(w http.ResponseWriter, realm string) {\n\tw.Header().Add(\"WWW-Authenticate\", realm)\n\tw.WriteHeader(http.StatusUnauthorized)\n}\n";
        assert!(findings_in(Language::Go, "m.go", src, "auth-middleware-by-hand").is_empty());
    }

    #[test]
    fn library_user_answering_401_is_silent() {
        let src = "app.post('/login', passport.authenticate('local'));\nfunction api(req, res) {\n  const token = req.headers.authorization;\n  try { jwt.verify(token, key); } catch (e) { return res.status(401).json({ error: 'denied' }); }\n}\n";
        assert_eq!(js(src), 0);
    }

    #[test]
    fn http_client_answering_a_challenge_is_silent() {
        let src = "class NTLMPool:\n    def _new_conn(self, conn):\n        headers = {\"Connection\": \"Keep-Alive\"}\n        req_header = \"Authorization\"\n        resp_header = \"www-authenticate\"\n        res = conn.getresponse()\n        reshdr = dict(res.headers)\n        challenge = reshdr[resp_header]\n        auth = res.headers.get(\"WWW-Authenticate\")\n        headers[req_header] = \"NTLM \" + auth\n        if res.status == 401:\n            raise Exception(\"wrong username or password\")\n";
        assert!(
            findings_in(Language::Python, "pool.py", src, "auth-middleware-by-hand").is_empty()
        );
        let server = "def guard(request):\n    if request.headers.get(\"Authorization\") is None:\n        response = Response(\"denied\")\n        response.status_code = 401\n        response.headers[\"WWW-Authenticate\"] = \"Basic realm=app\"\n        return response\n";
        assert_eq!(
            findings_in(
                Language::Python,
                "guard.py",
                server,
                "auth-middleware-by-hand"
            )
            .len(),
            1
        );
    }
}
