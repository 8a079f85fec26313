//! Open data: the award as an Open Contracting Data Standard 1.1 release package.
//!
//! The package is checked before it is written: against the OCDS 1.1.5 release schema with the
//! awardCriteria, bids and (under the Procurement Act 2023) UK extensions merged in as JSON Merge
//! Patches, by a JSON Schema (draft 4) validator, offline; and no object may carry a field the
//! merged schema does not declare (the schema itself allows any, so a misspelt field would pass).
//! The schemas are copies kept in `schemas/ocds/`, with their licences.
//!
//! The awardCriteria extension hangs award criteria on lots (it is tested with the lots
//! extension, which is not among the copies): tenderkit declares the three lots fields it writes
//! (`tender.lots`, `Lot.id`, `Lot.title`) so the criteria under them are validated too, and the
//! package lists the lots extension for readers.

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{Value, json};

use crate::domain::Tender;
use crate::domain::letters::{Evaluation, contact};
use crate::domain::regime::Regime;
use crate::domain::standstill::Standstill;
use crate::domain::tender::{ContractType, Procedure};

const RELEASE_SCHEMA: &str = include_str!("../schemas/ocds/release-schema.json");
const PACKAGE_SCHEMA: &str = include_str!("../schemas/ocds/release-package-schema.json");
const RELEASE_URI: &str = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json";

/// The extensions the package uses: where readers find them (pinned to the commits of the copies
/// in `schemas/ocds/`), and the copy merged here.
const EXTENSIONS: &[(&str, &str, Option<&str>)] = &[
    (
        "awardCriteria",
        "https://raw.githubusercontent.com/open-contracting-extensions/ocds_awardCriteria_extension/9391240f353e8536992938fe9f7987cd89235331/extension.json",
        Some(include_str!("../schemas/ocds/extensions/awardCriteria/release-schema.json")),
    ),
    (
        "bids",
        "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/d62ff4b0ba393d823ca8113a9039b12edf7acb8f/extension.json",
        Some(include_str!("../schemas/ocds/extensions/bids/release-schema.json")),
    ),
    ("lots", "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json", None),
    (
        "uk",
        "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/aa0e43b84dfad0cb9b839a8135e0bc4b285d32fc/extension.json",
        Some(include_str!("../schemas/ocds/extensions/uk/release-schema.json")),
    ),
];

/// The lots fields tenderkit writes (see the module comment).
fn lots_subset() -> Value {
    json!({
        "definitions": {
            "Tender": { "properties": { "lots": { "type": "array", "items": { "$ref": "#/definitions/Lot" } } } },
            "Lot": {
                "type": "object",
                "required": ["id"],
                "properties": { "id": { "type": ["string", "integer"] }, "title": { "type": ["string", "null"] } }
            }
        }
    })
}

/// The extensions a tender's package uses: the UK extension only under the Procurement Act 2023.
fn extensions(regime: Regime) -> impl Iterator<Item = &'static (&'static str, &'static str, Option<&'static str>)> {
    EXTENSIONS.iter().filter(move |e| e.0 != "uk" || regime == Regime::ProcurementAct2023)
}

/// The release schema with the extensions merged in.
pub fn release_schema(regime: Regime) -> Value {
    let mut schema: Value = serde_json::from_str(RELEASE_SCHEMA).expect("the bundled schema is JSON");
    for (_, _, patch) in extensions(regime) {
        let patch = match patch {
            Some(text) => serde_json::from_str(text).expect("the bundled extension is JSON"),
            None => lots_subset(),
        };
        json_patch::merge(&mut schema, &patch);
    }
    schema
}

/// Every problem with a package: the validator's, and each field the schema does not declare,
/// with its JSON pointer.
pub fn check(package: &Value, regime: Regime) -> Vec<String> {
    let release = release_schema(regime);
    let package_schema: Value = serde_json::from_str(PACKAGE_SCHEMA).expect("the bundled schema is JSON");
    let registry = match jsonschema::Registry::new().add(RELEASE_URI, release.clone()).and_then(|r| r.prepare()) {
        Ok(r) => r,
        Err(e) => return vec![format!("the bundled schema: {e}")],
    };
    let validator = match jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .with_registry(&registry)
        .build(&package_schema)
    {
        Ok(v) => v,
        Err(e) => return vec![format!("the bundled schema: {e}")],
    };
    let mut out: Vec<String> = validator.iter_errors(package).map(|e| format!("{}: {e}", e.instance_path())).collect();
    let mut undeclared = Vec::new();
    if let Some(releases) = package["releases"].as_array() {
        for (i, r) in releases.iter().enumerate() {
            fields_declared(r, &release, &release, &format!("/releases/{i}"), &mut undeclared);
        }
    }
    out.extend(undeclared.into_iter().map(|p| format!("{p}: not a field of the schema or its extensions")));
    out
}

/// Follows `$ref`s within `root`.
fn resolve<'a>(mut schema: &'a Value, root: &'a Value) -> &'a Value {
    while let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        match r.strip_prefix("#/").map(|p| root.pointer(&format!("/{p}"))) {
            Some(Some(target)) => schema = target,
            _ => break,
        }
    }
    schema
}

fn fields_declared(instance: &Value, schema: &Value, root: &Value, at: &str, out: &mut Vec<String>) {
    let schema = resolve(schema, root);
    match instance {
        Value::Object(map) => {
            let Some(props) = schema.get("properties").and_then(Value::as_object) else { return };
            for (k, v) in map {
                match props.get(k) {
                    Some(s) => fields_declared(v, s, root, &format!("{at}/{k}"), out),
                    None => out.push(format!("{at}/{k}")),
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    fields_declared(v, s, root, &format!("{at}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}

/// What the export is made from.
pub struct Award<'a> {
    pub evaluation: &'a Evaluation<'a>,
    /// Bidders put out at opening or on an exclusion ground.
    pub disqualified: &'a [String],
    pub standstill: Option<&'a Standstill>,
    /// The award decision's date; the package's publication date.
    pub date: NaiveDate,
    /// The package's URI.
    pub uri: String,
}

/// Whether British Summer Time applies on `d` at the end of the day: from the last Sunday in
/// March to the last Sunday in October (Summer Time Act 1972, as amended).
fn bst(d: NaiveDate) -> bool {
    let last_sunday = |month: u32| {
        let mut day = NaiveDate::from_ymd_opt(d.year(), month + 1, 1).expect("month") - chrono::Days::new(1);
        while day.weekday() != Weekday::Sun {
            day = day - chrono::Days::new(1);
        }
        day
    };
    d >= last_sunday(3) && d < last_sunday(10)
}

fn at(d: NaiveDate, time: &str) -> String {
    format!("{d}T{time}{}", if bst(d) { "+01:00" } else { "Z" })
}

fn money(amount: f64) -> Value {
    json!({ "amount": (amount * 100.0).round() / 100.0, "currency": "GBP" })
}

/// The organisation identifier: a Companies House number ("SC734512", "04418927") in the
/// org-id.guide's GB-COH list; anything else as given, without a scheme.
fn identifier(id: &str) -> (String, Value) {
    let company = id.len() == 8 && id.chars().take(2).all(|c| c.is_ascii_alphanumeric()) && id.chars().skip(2).all(|c| c.is_ascii_digit());
    if company { (format!("GB-COH-{id}"), json!({ "scheme": "GB-COH", "id": id })) } else { (id.to_string(), json!({ "id": id })) }
}

/// The release package for the award, or what the tender file lacks for it.
pub fn release_package(a: &Award) -> Result<Value, String> {
    let e = a.evaluation;
    let t: &Tender = e.tender;
    let prefix = t.ocid_prefix.as_deref().map(str::trim).filter(|p| p.starts_with("ocds-")).ok_or(
        "the tender file has no ocid_prefix: give the organisation's prefix registered with the Open Contracting Partnership (ocid_prefix = \"ocds-xxxxxx\")",
    )?;
    let w = e.winner().ok_or("there is no single most advantageous tender to award")?;
    let ocid = format!("{prefix}-{}", t.reference.trim());
    let buyer = t.organisation.clone().filter(|o| !o.trim().is_empty()).ok_or("the tender file has no organisation (the buyer)")?;
    let act = t.regime == Regime::ProcurementAct2023;
    let m = e.matrix;

    // Parties: the buyer and every bidder, with their identifiers where the tender file has them.
    let mut parties = vec![json!({ "id": "buyer", "name": buyer, "roles": ["buyer", "procuringEntity"] })];
    let mut refs = Vec::new();
    for (b, bid) in m.bids.iter().enumerate() {
        let c = contact(t, &bid.bidder);
        let (id, ident) = if c.identifier.is_empty() { (format!("tenderer-{}", b + 1), Value::Null) } else { identifier(&c.identifier) };
        let mut party =
            json!({ "id": id, "name": c.name, "roles": if b == w { json!(["tenderer", "supplier"]) } else { json!(["tenderer"]) } });
        if !ident.is_null() {
            party["identifier"] = ident;
        }
        if !c.address.is_empty() {
            party["address"] = json!({ "streetAddress": c.address, "countryName": "United Kingdom" });
        }
        if !c.email.is_empty() {
            party["contactPoint"] = json!({ "email": c.email });
        }
        refs.push(json!({ "id": id, "name": c.name }));
        parties.push(party);
    }

    // Award criteria: price, then each quality criterion, with its share of the total score.
    let mut criteria = vec![json!({
        "type": "price",
        "name": "Price (whole-life cost)",
        "description": crate::domain::scoring::price_rule(&t.price, t.price_weight),
        "numbers": [{ "number": t.price_weight, "weight": "percentageExact" }]
    })];
    for (s, c) in m.criteria() {
        let section = &m.sections[s];
        let share = t.quality_weight * section.weight.number().unwrap_or(0.0) * c.weight.number().unwrap_or(0.0) / 10_000.0;
        let mut numbers = vec![json!({ "number": (share * 1e6).round() / 1e6, "weight": "percentageExact" })];
        if let Some(pass) = c.pass_mark.number() {
            numbers.push(json!({ "number": pass, "threshold": "minimumScore" }));
        }
        criteria.push(json!({
            "type": "quality",
            "name": format!("{} {}", c.reference, c.title),
            "description": format!("{} (scored on the {} scale)", section.name, m.scale.name()),
            "numbers": numbers
        }));
    }
    let mut tender = json!({
        "id": t.reference,
        "title": t.title,
        "status": "complete",
        "procurementMethod": if t.procedure == Procedure::Open { "open" } else { "selective" },
        "procurementMethodDetails": t.procedure.name_under(t.regime),
        "mainProcurementCategory": match t.contract_type { ContractType::Goods => "goods", ContractType::Services => "services", ContractType::Works => "works" },
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": format!("Price {}% : Quality {}%", crate::domain::scale::fmt_number(t.price_weight), crate::domain::scale::fmt_number(t.quality_weight)),
        "items": [{ "id": "1", "description": t.title }],
        "numberOfTenderers": m.bids.len(),
        "tenderers": refs,
        "lots": [{ "id": "1", "title": t.title, "awardCriteria": { "criteria": criteria } }],
    });
    if let Some(v) = t.estimated_value {
        tender["value"] = money(v);
    }
    if act {
        tender["aboveThreshold"] = json!(t.above_threshold);
    }

    // Bids: each one's whole-life cost, whether it stayed in, and its rank.
    let out = |name: &str| a.disqualified.iter().any(|d| crate::domain::same_name(d, name));
    let details: Vec<Value> = m
        .bids
        .iter()
        .enumerate()
        .map(|(b, bid)| {
            let f = &e.figures.bids[b];
            let failed = !f.failures.is_empty() || out(&bid.bidder);
            let mut d = json!({
                "id": format!("bid-{}", b + 1),
                "status": if failed { "disqualified" } else { "valid" },
                "tenderers": [refs[b]],
            });
            if let Some(v) = f.whole_life_cost {
                d["value"] = money(v);
            }
            match f.rank.filter(|_| !failed) {
                Some(r) => {
                    d["hasRank"] = json!(true);
                    d["rank"] = json!(r);
                }
                None => d["hasRank"] = json!(false),
            }
            d
        })
        .collect();

    let mut award = json!({
        "id": format!("{}-award-1", t.reference),
        "title": t.title,
        "status": "pending",
        "date": at(a.date, "00:00:00"),
        "suppliers": [refs[w]],
        "relatedBids": [format!("bid-{}", w + 1)],
    });
    if let Some(v) = e.figures.bids[w].whole_life_cost {
        award["value"] = money(v);
    }
    if act {
        // The standstill period the contract award notice provides for: the mandatory one (s.51(2)),
        // or the buyer's longer one where the notice sets it (s.51(1)(b)), as the notice text says.
        if let Some(s) = a.standstill {
            let ends = s.own_wait.as_ref().map_or(s.ends, |o| o.ends);
            award["standstillPeriod"] = json!({ "startDate": at(s.sent, "00:00:00"), "endDate": at(ends, "23:59:59") });
        }
        award["mainProcurementCategory"] = tender["mainProcurementCategory"].clone();
        award["aboveThreshold"] = json!(t.above_threshold);
    }

    let release = json!({
        "ocid": ocid,
        "id": format!("{ocid}-award-{}", a.date),
        "date": at(a.date, "00:00:00"),
        "tag": ["award"],
        "initiationType": "tender",
        "language": "en",
        "parties": parties,
        "buyer": { "id": "buyer", "name": buyer },
        "tender": tender,
        "bids": {
            "statistics": [{ "id": "1", "measure": "bids", "value": m.bids.len() }],
            "details": details
        },
        "awards": [award],
    });
    Ok(json!({
        "uri": a.uri,
        "version": "1.1",
        "extensions": extensions(t.regime).map(|e| e.1).collect::<Vec<_>>(),
        "publishedDate": at(a.date, "00:00:00"),
        "publisher": { "name": buyer },
        "releases": [release],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn british_summer_time_at_the_end_of_the_day() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(!bst(d("2026-03-28")) && bst(d("2026-03-29")), "BST starts on the last Sunday of March");
        assert!(bst(d("2026-10-24")) && !bst(d("2026-10-25")), "and ends on the last Sunday of October");
        assert_eq!(at(d("2026-12-29"), "23:59:59"), "2026-12-29T23:59:59Z");
        assert_eq!(at(d("2026-07-16"), "23:59:59"), "2026-07-16T23:59:59+01:00");
    }

    #[test]
    fn company_numbers_get_the_companies_house_scheme() {
        assert_eq!(identifier("SC734512").0, "GB-COH-SC734512");
        assert_eq!(identifier("04418927").0, "GB-COH-04418927");
        assert_eq!(identifier("PPON-123").0, "PPON-123");
    }
}
