//! Presenting an evaluation to people: a terminal table, JSON, and a self-contained HTML report
//! with Figure 1 (both indices per project) and Figure 2 (the quadrant scatter) as inline SVG.
//!
//! A project page (dimension profile, items, districts, trend) and a comparison of two waves
//! are rendered here too, so that every presentation of results lives in one crate.
//!
//! Chinese is the default language; English is the second. Charts are plain SVG strings so the
//! web platform can embed the same figures.
//!
//! Architecture invariant: rendering only reads an [`Evaluation`]; it computes no statistic.

mod charts;
mod comparison;
mod drivers;
mod html;
mod lang;
pub mod progress_chart;
mod project;
mod robustness;
pub mod svg;
mod table;

pub use charts::{change_chart, dimension_profile, trend_chart, TrendPoint};
pub use comparison::{render_comparison_body, render_comparison_table};
pub use drivers::{
    drivers_chart, render_drivers_section, render_drivers_text, render_reliability_section,
    render_reliability_text,
};
pub use html::{
    html_document, render_html, render_html_with_weighted, render_printable_report_body,
    render_report_body, report_sections, REPORT_STYLE,
};
pub use lang::{Lang, UnknownLanguage};
pub use project::render_project_body;
pub use robustness::{quadrant_probability_chart, render_weighted_section, render_weighted_table};
pub use table::render_table;

use minxin_domain::Evaluation;

/// The evaluation as pretty-printed JSON (the documented field names of the `Evaluation` type).
pub fn render_json(evaluation: &Evaluation) -> String {
    serde_json::to_string_pretty(evaluation).expect("evaluations contain only serialisable values")
}

/// The evaluation as JSON with its weighted evaluation under `"weighted"` (the field names of
/// the `WeightedEvaluation` type).
pub fn render_json_with_weighted(
    evaluation: &Evaluation,
    weighted: &minxin_domain::evaluation::WeightedEvaluation,
) -> String {
    let mut value =
        serde_json::to_value(evaluation).expect("evaluations contain only serialisable values");
    if let serde_json::Value::Object(fields) = &mut value {
        fields.insert(
            "weighted".into(),
            serde_json::to_value(weighted).expect("plain values"),
        );
    }
    serde_json::to_string_pretty(&value).expect("plain values")
}

/// The names of a quadrant's projects, in `lang`.
pub(crate) fn member_names<'e>(
    evaluation: &'e Evaluation,
    group: &minxin_domain::evaluation::QuadrantGroup,
    lang: Lang,
) -> Vec<&'e str> {
    group
        .projects
        .iter()
        .filter_map(|code| evaluation.projects.iter().find(|p| &p.code == code))
        .map(|p| lang.project_name(p))
        .collect()
}

/// Formats a score with one decimal, or "—" when there is none.
pub(crate) fn score(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"))
}
