//! One project's scores by district, with small cells suppressed.
//!
//! A cell (the respondents of one district who rated the project) with fewer than the minimum
//! number of respondents shows neither its scores nor its exact count. When exactly one cell
//! would be hidden, the next smallest is hidden too: otherwise the project's total and the
//! other districts would give the hidden one away.

use serde::Serialize;

use super::results::IndexScores;
use super::WaveTallies;
use crate::config::Configuration;

/// Cells with fewer respondents are suppressed by default.
pub const DEFAULT_MINIMUM_CELL: u64 = 30;

/// One district's part of one project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistrictCell {
    /// District code.
    pub code: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// Respondents of the district who answered at least one item; `null` when suppressed.
    pub n: Option<u64>,
    /// Hidden because the cell is small (or would reveal a small one).
    pub suppressed: bool,
    /// Recognition index of the district's respondents; `null` when suppressed.
    pub recognition: Option<f64>,
    /// Satisfaction index; `null` when suppressed.
    pub satisfaction: Option<f64>,
}

/// The district breakdown of project number `project`, in configured district order.
/// `minimum_cell` is the smallest count shown.
pub fn district_breakdown(
    configuration: &Configuration,
    tallies: &WaveTallies,
    project: usize,
    minimum_cell: u64,
    confidence: f64,
) -> Vec<DistrictCell> {
    let block = tallies.items * tallies.levels;
    let counts: Vec<u64> = (0..configuration.districts.len())
        .map(|d| tallies.district_project_respondents[(d + 1) * tallies.projects + project])
        .collect();
    let hidden = suppressed_cells(&counts, minimum_cell);
    configuration
        .districts
        .entries()
        .iter()
        .enumerate()
        .map(|(d, district)| {
            let suppressed = hidden[d];
            let scores = (!suppressed).then(|| {
                let start = ((d + 1) * tallies.projects + project) * block;
                IndexScores::new(
                    &configuration.instrument,
                    &tallies.district_answer_counts[start..start + block],
                    confidence,
                )
            });
            DistrictCell {
                code: district.code.clone(),
                zh: district.zh.clone(),
                en: district.en.clone(),
                n: (!suppressed).then_some(counts[d]),
                suppressed,
                recognition: scores.as_ref().and_then(|s| s.recognition),
                satisfaction: scores.as_ref().and_then(|s| s.satisfaction),
            }
        })
        .collect()
}

/// Which cells to hide: those below `minimum` with at least one respondent, and, when that is
/// exactly one cell, also the smallest other non-empty cell.
fn suppressed_cells(counts: &[u64], minimum: u64) -> Vec<bool> {
    let mut hidden: Vec<bool> = counts.iter().map(|n| *n > 0 && *n < minimum).collect();
    if hidden.iter().filter(|h| **h).count() == 1 {
        let partner = counts
            .iter()
            .enumerate()
            .filter(|(d, n)| !hidden[*d] && **n > 0)
            .min_by_key(|(_, n)| **n)
            .map(|(d, _)| d);
        if let Some(partner) = partner {
            hidden[partner] = true;
        }
    }
    hidden
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cells_are_hidden() {
        assert_eq!(
            suppressed_cells(&[40, 12, 0, 7, 30], 30),
            [false, true, false, true, false]
        );
    }

    #[test]
    fn a_lone_small_cell_takes_the_next_smallest_with_it() {
        assert_eq!(
            suppressed_cells(&[40, 12, 0, 35, 90], 30),
            [false, true, false, true, false]
        );
    }

    #[test]
    fn empty_cells_are_not_secrets() {
        assert_eq!(suppressed_cells(&[0, 50, 0], 30), [false, false, false]);
    }
}
