//! The panel's reasons as a bidder reads them.

/// Evaluators' comments as one text a bidder can read: their sentences in evaluator order, each
/// said once. A sentence is left out when an earlier one has the same words, or nearly (at least
/// 80% of the words of the longer in common), as when two evaluators restate a submission.
pub fn distinct_sentences<'a>(comments: impl IntoIterator<Item = &'a str>) -> String {
    let words = |s: &str| -> std::collections::BTreeSet<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let mut kept: Vec<(String, std::collections::BTreeSet<String>)> = Vec::new();
    for comment in comments {
        for sentence in sentences(comment) {
            let w = words(sentence);
            let same = kept.iter().any(|(_, k)| {
                let common = k.intersection(&w).count() as f64;
                common / k.len().max(w.len()).max(1) as f64 >= 0.8
            });
            if !same {
                kept.push((sentence.to_string(), w));
            }
        }
    }
    kept.into_iter().map(|(s, _)| s).collect::<Vec<_>>().join(" ")
}

/// A text's sentences: a full stop, `!` or `?` ends one only before a space or the end, so
/// "19.5t" and "e.g.x" stay whole.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|(_, n)| n.is_whitespace()) {
            out.push(&text[start..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out.into_iter().map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod reasons_tests {
    use super::distinct_sentences;

    #[test]
    fn repeated_sentences_are_given_once_in_evaluator_order() {
        let a = "Smart charging with tariff scheduling and a costed grid connection. Evidence from a comparable contract would have scored higher.";
        let b = "Smart charging with tariff scheduling and a costed grid connection. More detail on delivery would have scored higher.";
        let c = "Smart charging, with tariff scheduling and a costed grid connection! Fully meets the requirement with evidence.";
        assert_eq!(
            distinct_sentences([a, b, c]),
            "Smart charging with tariff scheduling and a costed grid connection. Evidence from a comparable contract would have scored higher. More detail on delivery would have scored higher. Fully meets the requirement with evidence."
        );
        assert_eq!(distinct_sentences(["", "  "]), "");
        assert_eq!(distinct_sentences(["No full stop", "No full stop"]), "No full stop");
        assert_eq!(distinct_sentences(["Payload of 19.5t proven. Range 250km."]), "Payload of 19.5t proven. Range 250km.");
    }
}
