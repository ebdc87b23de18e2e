//! JSON Web Tokens signed, parsed and validated by hand.

use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{Category, EventKind, FileFacts};

declare_rule! {
    /// ## What it does
    /// Finds code that implements JSON Web Tokens itself: it names the JOSE algorithms
    /// (`HS256`, `RS256`, ...), reads the header fields (`alg`, `typ`, `kid`), checks the
    /// registered claims (`exp`, `nbf`, `iat`, `iss`, `aud`), encodes base64url and signs with
    /// HMAC.
    ///
    /// ## Why is this a liability?
    /// Token handling is where authentication fails: `alg: none`, algorithm confusion between
    /// HMAC and RSA keys, missing expiry or audience checks, clock-skew bugs, keys that never
    /// rotate. Each is a published vulnerability class an identity service has already fixed.
    ///
    /// ## Example
    /// ```rust
    /// let signing_input = format!("{}.{}", b64url(header), b64url(claims));
    /// let mut mac = Hmac::<Sha256>::new_from_slice(secret)?;
    /// match alg { "HS256" => ..., "RS256" => ..., _ => return Err(..) }
    /// if claims["exp"] < now { return Err(Expired) }
    /// ```
    ///
    /// ## Use instead
    /// Amazon Cognito with API Gateway JWT authorizers (Microsoft Entra External ID; Identity
    /// Platform). In-process, the `jsonwebtoken` crate.
    ///
    /// ## Known limits
    /// An application that lists the claims it requires from a JWT library shows a few claim
    /// names; the rule also needs algorithm names, header fields, base64url or HMAC.
    pub static JWT_BY_HAND = {
        id: "jwt-by-hand",
        category: Category::Auth,
        summary: "json web tokens signed or validated by hand",
        check: check,
        // Anchors only: three JOSE algorithm literals (each ends in `S256`, `S384` or `S512`, or is
        // `EdDSA`, before its closing quote), or the `"exp"` claim among three claims.
        rust_needs: &[
            &["S256\"", "S384\"", "S512\"", "EdDSA\"", "\"exp\""],
        ],
        // The same literals in Python, where they may be written in single quotes; the test
        // counts them (`python_claims_or_algorithms`).
        python_needs: &[&[
            "S256\"", "S384\"", "S512\"", "EdDSA\"", "\"exp\"", "S256'", "S384'", "S512'",
            "EdDSA'", "'exp'",
        ]],
        python_text: python_claims_or_algorithms,
        // The same literals in JavaScript, in any of its three quotes.
        javascript_needs: &[
            &["S256\"", "S256'", "S256`", "S384\"", "S384'", "S384`", "S512\"", "S512'", "S512`", "EdDSA\"", "EdDSA'", "EdDSA`", "\"exp\"", "'exp'", "`exp`"],
        ],
    };
}

const ALGORITHMS: &[&str] = &[
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "PS256", "PS384",
    "PS512", "EdDSA",
];
const CLAIMS: &[&str] = &["aud", "exp", "iat", "iss", "jti", "nbf", "sub"];
const HEADER: &[&str] = &["alg", "typ", "kid", "jku", "x5u"];

/// The Python lexical test: three algorithm names, or three claim names with `exp`, as whole
/// literals (`prepass::PythonText::literal_values`), as the anchors count them.
fn python_claims_or_algorithms(source: &crate::prepass::Source<'_>) -> bool {
    let values: Vec<std::borrow::Cow<'_, str>> = source
        .python()
        .literal_values()
        .filter(|v| ALGORITHMS.contains(&v.as_ref()) || CLAIMS.contains(&v.as_ref()))
        .collect();
    let count = |names: &[&str]| {
        names
            .iter()
            .filter(|n| values.iter().any(|v| v == *n))
            .count()
    };
    count(ALGORITHMS) >= 3 || (values.iter().any(|v| v == "exp") && count(CLAIMS) >= 3)
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals = Vec::new();
    let hits = |names: &[&str]| -> (usize, u32) {
        let found: Vec<u32> = names
            .iter()
            .filter_map(|n| {
                facts
                    .literals
                    .iter()
                    .find(|l| l.in_body && l.value == *n)
                    .map(|l| l.line)
            })
            .collect();
        (found.len(), found.iter().copied().min().unwrap_or(1))
    };
    let (algs, line) = hits(ALGORITHMS);
    if algs >= 3 {
        signals.push(Signal::anchor(line, "parses JOSE algorithm names"));
    }
    let (claims, line) = hits(CLAIMS);
    let has_exp = facts.literals.iter().any(|l| l.in_body && l.value == "exp");
    if claims >= 3 && has_exp {
        signals.push(Signal::anchor(line, "checks the registered JWT claims"));
    }
    let (header, line) = hits(HEADER);
    if header >= 2 {
        signals.push(Signal::new(line, "reads the JOSE header fields"));
    }
    let url_safe = facts
        .imports
        .iter()
        .find(|i| i.path.contains("URL_SAFE"))
        .map(|i| i.line)
        .or_else(|| {
            facts
                .functions
                .iter()
                .flat_map(|f| f.calls())
                .find(|(_, c)| {
                    c.receiver.contains("URL_SAFE") || c.args.iter().any(|a| a.contains("URL_SAFE"))
                })
                .map(|(e, _)| e.line)
        });
    if let Some(line) = url_safe {
        signals.push(Signal::new(line, "encodes segments as base64url"));
    }
    let hmac = facts
        .functions
        .iter()
        .flat_map(|f| &f.events)
        .find_map(|e| match &e.kind {
            EventKind::Call(c) if c.callee.contains("Hmac") || c.callee.starts_with("hmac::") => {
                Some(e.line)
            }
            _ => None,
        });
    if let Some(line) = hmac {
        signals.push(Signal::new(line, "signs or verifies with HMAC"));
    }
    sink.emit_or_defer(signals);
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_for;

    #[test]
    fn flags_hand_made_tokens() {
        let src = "fn alg(s: &str) -> Alg {\n    match s { \"HS256\" => Alg::H, \"HS512\" => Alg::H5, \"RS256\" => Alg::R, _ => Alg::None }\n}\nfn sign(k: &[u8]) { let m = Hmac::<Sha256>::new_from_slice(k); }\n";
        assert_eq!(findings_for(src, "jwt-by-hand").len(), 1);
    }

    #[test]
    fn library_user_listing_claims_is_silent() {
        let src = "use jsonwebtoken::{decode, Validation, Algorithm};\nfn check(t: &str) {\n    let mut v = Validation::new(Algorithm::HS256);\n    v.set_required_spec_claims(&[\"exp\", \"iss\", \"aud\"]);\n    decode::<Claims>(t, &key, &v);\n}\n";
        assert!(findings_for(src, "jwt-by-hand").is_empty());
    }
}
