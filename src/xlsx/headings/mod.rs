//! The words people head their matrix columns and rows with. Each table is data: a phrase, how
//! it must match, and what it means. The first row that matches wins, so more specific phrases
//! come first; adding a synonym is adding one row.
//!
//! Headings are compared as lowercase words: case, line breaks, punctuation, surrounding spaces
//! and a trailing `:` do not matter, and `%` counts as the word "percent" ("Weighting %",
//! "% Weighting" and "Weight (%)" are all a weight).

use crate::domain::Scale;
#[cfg(test)]
use crate::domain::CostComponent;

/// How a phrase must appear in a heading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    /// The phrase's words appear together anywhere in the heading ("Acme Ltd Score").
    Words,
    /// The heading is the phrase and nothing else ("No.", "Q"): short words that would
    /// otherwise match too much.
    Exact,
    /// The heading starts with the phrase (row labels: "Total weighted score").
    Starts,
}

/// One synonym: a phrase, how it matches, and the role it gives.
pub struct Synonym<R> {
    pub phrase: &'static str,
    pub how: Match,
    pub role: R,
}

mod tables;

pub use tables::*;

/// A heading's words: lowercase, `%` as "percent", anything else not a letter or digit a gap.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            if c == '%' {
                out.push("percent".into());
            }
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The first synonym the heading matches, with the words it covers (indices into [`words`]).
/// A phrase may span numbers ("Quality (60%)" is "quality percent"); an exact phrase may not.
pub fn classify<R: Copy>(table: &[Synonym<R>], text: &str) -> Option<(R, std::ops::Range<usize>)> {
    let all = words(text);
    if all.is_empty() {
        return None;
    }
    let kept: Vec<usize> = (0..all.len()).filter(|&i| !all[i].chars().all(|c| c.is_ascii_digit())).collect();
    let ws: Vec<&str> = kept.iter().map(|&i| all[i].as_str()).collect();
    // Phrases are compared word by word in place: a matrix's header row has a thousand headings
    // and the tables hundreds of phrases.
    table.iter().find_map(|syn| {
        // Most phrases are ruled out by their first word alone.
        let first = syn.phrase.split_once(' ').map_or(syn.phrase, |(f, _)| f);
        let candidate = match syn.how {
            Match::Exact => all[0] == first,
            Match::Starts => ws.first() == Some(&first),
            Match::Words => ws.contains(&first),
        };
        if !candidate {
            return None;
        }
        let phrase = || syn.phrase.split(' ');
        let len = phrase().count();
        let same = |win: &[&str]| win.len() == len && phrase().zip(win).all(|(a, b)| a == *b);
        let at = match syn.how {
            Match::Exact => {
                return (all.len() == len && phrase().zip(&all).all(|(a, b)| a == b)).then(|| (syn.role, 0..all.len()));
            }
            Match::Starts => (ws.len() >= len && same(&ws[..len])).then_some(0),
            Match::Words => ws.windows(len).position(same),
        }?;
        Some((syn.role, kept[at]..kept[at + len - 1] + 1))
    })
}

/// A quality-sheet heading read whole: its role, the bidder name it carries (for scores and
/// weighted scores; empty when the name is above it), and a scale stated in brackets.
pub fn quality_heading(text: &str) -> Option<(QualityRole, String, Option<Scale>)> {
    let (role, at) = classify(QUALITY_HEADINGS, text)?;
    if !matches!(role, QualityRole::Score | QualityRole::Weighted) {
        // "Weighting (%)" states a unit, not a scale.
        return Some((role, String::new(), None));
    }
    Some(match bracketed_scale(text) {
        Some((scale, rest)) => {
            let (_, at) = classify(QUALITY_HEADINGS, &rest)?;
            (role, name_beside(&rest, at), Some(scale))
        }
        None => (role, name_beside(text, at), None),
    })
}

/// A scoring scale stated in brackets in a heading: "Score (0-4)", "Rating (1 to 5)",
/// "Mark (out of 10)", "Score (%)". Returns the scale and the heading without the brackets.
pub fn bracketed_scale(text: &str) -> Option<(Scale, String)> {
    let open = text.find(['(', '['])?;
    let close = open + text[open..].find([')', ']'])?;
    let inner = text[open + 1..close].trim();
    let rest = format!("{} {}", &text[..open], &text[close + 1..]).trim().to_string();
    let ws = words(inner);
    let nums: Vec<u32> = ws.iter().filter_map(|w| w.parse().ok()).collect();
    let scale = match (ws.iter().map(String::as_str).collect::<Vec<_>>().as_slice(), nums.as_slice()) {
        (["percent"], _) | (["0", "100", "percent"], _) => Scale::parse("0-100").ok()?,
        (["out", "of", _], [max]) | (["max", _], [max]) => Scale::parse(&format!("0-{max}")).ok()?,
        (_, [lo, hi]) if ws.len() == 2 || ws.get(1).map(String::as_str) == Some("to") => Scale::parse(&format!("{lo}-{hi}")).ok()?,
        _ => return None,
    };
    Some((scale, rest))
}

/// The bidder's name in a heading such as "Acme Ltd - Score" or "Applicant #1 Rating": the
/// heading without the matched phrase, a bracketed scale or separators.
pub fn name_beside(text: &str, phrase: std::ops::Range<usize>) -> String {
    // Rebuild the text without the words in `phrase`, keeping the original spelling of the rest.
    let mut out = String::new();
    let mut index = 0;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if !in_word {
                in_word = true;
            }
            if !phrase.contains(&index) {
                out.push(c);
            }
        } else {
            if in_word {
                in_word = false;
                index += 1;
            }
            if c == '%' {
                index += 1;
                continue;
            }
            out.push(c);
        }
    }
    let cleaned: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
    cleaned.trim_matches(|c: char| c.is_whitespace() || "-–—:|()[]/,".contains(c)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quality(t: &str) -> Option<QualityRole> {
        classify(QUALITY_HEADINGS, t).map(|(r, _)| r)
    }

    #[test]
    fn quality_headings_people_use() {
        use QualityRole::*;
        let cases = [
            ("Criterion", Criterion),
            ("Award Criteria", Criterion),
            ("Evaluation criteria", Criterion),
            ("Question", Criterion),
            ("Requirement", Criterion),
            ("Objective:", Criterion),
            ("Ref", Reference),
            ("Q No.", Reference),
            ("Question No.", Reference),
            ("Item", Reference),
            ("Section", Section),
            ("Section weight (%)", SectionWeight),
            ("Weighting %", Weight),
            ("Weight (%)", Weight),
            ("% Weighting", Weight),
            ("%", Weight),
            ("Weighting\n(%)", Weight),
            ("Weight within section (%)", Weight),
            ("Effective weight (%)", EffectiveWeight),
            ("Acme Ltd Score", Score),
            ("Score (0-4)", Score),
            ("Rating", Score),
            ("Points", Score),
            ("Marks", Score),
            ("Mark", Score),
            ("Assessment", Score),
            ("Evaluation", Score),
            ("Acme Ltd – Weighted score", Weighted),
            ("Weighted", Weighted),
            ("Applicant #1 Outcome", Weighted),
            ("Pass mark", PassMark),
            ("Minimum score", PassMark),
            ("Tenderer", Bidder),
            ("  Supplier : ", Bidder),
            ("Contractor", Bidder),
            ("Vendor", Bidder),
            ("Applicant", Bidder),
        ];
        for (text, want) in cases {
            assert_eq!(quality(text), Some(want), "{text:?}");
        }
        assert_eq!(quality("Notes"), None);
        assert_eq!(quality(""), None);
    }

    #[test]
    fn headings_in_other_languages_are_rows_of_the_same_tables() {
        use QualityRole::*;
        let cases = [
            // German (the Nutzwertanalyse and Bewertungsmatrix workbooks of the second collection).
            ("Kriterium", Criterion),
            ("Bewertungskriterien", Criterion),
            ("Gewichtungskriterien", Criterion),
            ("Beschreibung", Criterion),
            ("Gewichtung", Weight),
            ("Gewicht", Weight),
            ("Faktorgewichtung", Weight),
            ("Bewertung", Score),
            ("Punkte", Score),
            ("Teilnutzenwert", Score),
            ("Wert", Score),
            ("gewichtete\nBewertung", Weighted),
            ("Gewichtet", Weighted),
            ("gew. Wert", Weighted),
            ("Nutzwert", Weighted),
            ("Nr.", Reference),
            ("Anbieter", Bidder),
            ("Angebot", Bidder),
            // French, Spanish, Portuguese, Dutch.
            ("Critère", Criterion),
            ("Pondération (%)", Weight),
            ("Note pondérée", Weighted),
            ("Soumissionnaire", Bidder),
            ("Criterio", Criterion),
            ("Ponderación", Weight),
            ("Puntuación", Score),
            ("Puntuación ponderada", Weighted),
            ("Licitador", Bidder),
            ("Critério", Criterion),
            ("Peso (%)", Weight),
            ("Pontuação", Score),
            ("Nota", Score),
            ("Fornecedor", Bidder),
            ("Criterium", Criterion),
            ("Weging", Weight),
            ("Beoordeling", Score),
            ("Gewogen score", Weighted),
            ("Inschrijver", Bidder),
        ];
        for (text, want) in cases {
            assert_eq!(quality(text), Some(want), "{text:?}");
        }
        // Short words stay exact: a column of notes is not a score, in any language.
        for text in ["Notes", "Note", "Wertung der Notizen", "Anmerkungen"] {
            assert!(!matches!(quality(text), Some(Score)), "{text:?}");
        }
        let price = |t: &str| classify(PRICE_HEADINGS, t).map(|(r, _)| r);
        assert_eq!(price("Angebotspreis (€)"), Some(PriceRole::Cost(CostComponent::Price)));
        assert_eq!(price("Lebenszykluskosten"), Some(PriceRole::WholeLife));
        assert_eq!(price("Prix"), Some(PriceRole::Cost(CostComponent::Price)));
        assert_eq!(price("Licitador"), Some(PriceRole::Bidder));
        assert_eq!(price("Inschrijfsom"), Some(PriceRole::Cost(CostComponent::Price)));
        let summary = |t: &str| classify(SUMMARY_HEADINGS, t).map(|(r, _)| r);
        assert_eq!(summary("Rang"), Some(SummaryRole::Rank));
        assert_eq!(summary("Gesamtnutzwert"), Some(SummaryRole::Total));
        let row = |t: &str| classify(ROW_LABELS, t).map(|(r, _)| r);
        assert_eq!(row("SUMME"), Some(RowRole::Total));
        assert_eq!(row("Gesamtnutzwert"), Some(RowRole::Total));
        assert_eq!(row("Bemerkungen"), Some(RowRole::End));
    }

    #[test]
    fn names_are_what_is_left_of_the_heading() {
        let name = |t: &str| {
            let (_, at) = classify(QUALITY_HEADINGS, t).unwrap();
            name_beside(t, at)
        };
        assert_eq!(name("Acme Ltd Score"), "Acme Ltd");
        assert_eq!(name("Score - Beta plc"), "Beta plc");
        assert_eq!(name("Applicant #1 Rating"), "Applicant #1");
        assert_eq!(name("Acme Ltd – Weighted score"), "Acme Ltd");
        assert_eq!(name("Bramble & Sons Score"), "Bramble & Sons");
        assert_eq!(name("Tenderer A\nScore"), "Tenderer A");
        assert_eq!(name("Score"), "");
        assert_eq!(quality_heading("Tenderer A\nScore (0-4)"), Some((QualityRole::Score, "Tenderer A".into(), Some(Scale::matrix()))));
        assert_eq!(quality_heading("Score (0-4)"), Some((QualityRole::Score, String::new(), Some(Scale::matrix()))));
        assert_eq!(quality_heading("Applicant 2 Rating"), Some((QualityRole::Score, "Applicant 2".into(), None)));
        assert_eq!(quality_heading("Weighting (%)"), Some((QualityRole::Weight, String::new(), None)));
        assert_eq!(quality_heading("Applicant #1 Rating (1-5)").unwrap().2.unwrap().name(), "1-5");
    }

    #[test]
    fn a_scale_in_brackets_is_a_scale_not_a_name() {
        let (scale, rest) = bracketed_scale("Score (0-4)").unwrap();
        assert_eq!((scale, rest.as_str()), (Scale::matrix(), "Score"));
        assert_eq!(bracketed_scale("Rating (1 to 5)").unwrap().0.name(), "1-5");
        assert_eq!(bracketed_scale("Mark (out of 10)").unwrap().0.name(), "0-10");
        assert_eq!(bracketed_scale("Score (%)").unwrap().0, Scale::percentage());
        assert_eq!(bracketed_scale("Tenderer A Score (0 – 10)").unwrap().1, "Tenderer A Score");
        assert!(bracketed_scale("Acme (Scotland) Ltd Score").is_none());
        assert!(bracketed_scale("Score").is_none());
    }

    #[test]
    fn row_labels_end_or_skip() {
        let role = |t: &str| classify(ROW_LABELS, t).map(|(r, _)| r);
        assert_eq!(role("Total"), Some(RowRole::Total));
        assert_eq!(role("Weighted total"), Some(RowRole::Total));
        assert_eq!(role("Sub-total"), Some(RowRole::Skip));
        assert_eq!(role("Sum of +'s"), Some(RowRole::End));
        assert_eq!(role("Highest score wins"), Some(RowRole::End));
        assert_eq!(role("Engineer's Estimate"), Some(RowRole::End));
        assert_eq!(role("Totally Local Ltd"), None);
        assert_eq!(role("1.1"), None);
    }

    #[test]
    fn price_and_summary_headings() {
        let price = |t: &str| classify(PRICE_HEADINGS, t).map(|(r, _)| r);
        let summary = |t: &str| classify(SUMMARY_HEADINGS, t).map(|(r, _)| r);
        assert_eq!(price("Bidder"), Some(PriceRole::Bidder));
        assert_eq!(price("Contractor"), Some(PriceRole::Bidder));
        assert_eq!(price("Acquisition cost (£)"), Some(PriceRole::Cost(CostComponent::Acquisition)));
        assert_eq!(price("Operating cost (£)"), Some(PriceRole::Cost(CostComponent::Operating)));
        assert_eq!(price("End-of-life cost (£)"), Some(PriceRole::Cost(CostComponent::EndOfLife)));
        assert_eq!(price("Whole-life cost (£)"), Some(PriceRole::WholeLife));
        assert_eq!(price("Price score"), Some(PriceRole::Score));
        assert_eq!(price("Tendered price"), Some(PriceRole::Cost(CostComponent::Price)));
        assert_eq!(price("Total Bid"), Some(PriceRole::Cost(CostComponent::Price)));
        assert_eq!(price("Whole-life cost of bids that pass (£)"), Some(PriceRole::EligibleWholeLife));
        assert_eq!(price("Abnormally low?"), Some(PriceRole::AbnormallyLow));
        assert_eq!(price("For the median (£)"), Some(PriceRole::ForMedian));
        assert_eq!(summary("Quality score (out of 100)"), Some(SummaryRole::Quality));
        assert_eq!(summary("Quality (60%)"), Some(SummaryRole::QualityWeighted));
        assert_eq!(summary("Price score"), Some(SummaryRole::Price));
        assert_eq!(summary("Total"), Some(SummaryRole::Total));
        assert_eq!(summary("Rank"), Some(SummaryRole::Rank));
        assert_eq!(summary("Criteria below pass mark"), Some(SummaryRole::BelowPassMark));
        assert_eq!(summary("Status"), Some(SummaryRole::Status));
        assert_eq!(summary("Tenderer"), Some(SummaryRole::Bidder));
    }
}
