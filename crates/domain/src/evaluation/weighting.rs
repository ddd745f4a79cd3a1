//! Population margins and the weighting cells they define.
//!
//! Weights are calibrated on profile variables with code lists (district, gender, education,
//! occupation). Every respondent of one combination of their categories, a *cell*, gets the
//! same weight, so the evaluation only needs per-cell sums: raking the table of cell counts
//! gives exactly the weights that raking every respondent would (see [`super::robustness`]).
//! The default margins are Shanghai's 2020 census by district and by sex
//! (`defaults/margins-census-2020.toml`).

use std::fmt;

use serde::Serialize;

use super::registry::CompactProfile;
use crate::config::{CodeList, Configuration};

const CENSUS_MARGINS: &str = include_str!("../../defaults/margins-census-2020.toml");

/// Margins whose population totals differ by more than this (relative) are refused; smaller
/// differences (rounding in published tables) are removed by scaling each margin to the total
/// of the first.
pub const MARGIN_TOTAL_TOLERANCE: f64 = 1e-3;

/// A profile variable that weights can be calibrated on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightingVariable {
    /// The district of residence.
    District,
    /// Gender.
    Gender,
    /// Highest education.
    Education,
    /// Occupation.
    Occupation,
}

impl WeightingVariable {
    /// The variable named `name` in a margins file (the profile column's name).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "district" => Self::District,
            "gender" => Self::Gender,
            "education" => Self::Education,
            "occupation" => Self::Occupation,
            _ => return None,
        })
    }

    /// The name used in margins files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::District => "district",
            Self::Gender => "gender",
            Self::Education => "education",
            Self::Occupation => "occupation",
        }
    }

    /// The variable's code list.
    pub fn codes(self, configuration: &Configuration) -> &CodeList {
        match self {
            Self::District => &configuration.districts,
            Self::Gender => &configuration.profile.genders,
            Self::Education => &configuration.profile.educations,
            Self::Occupation => &configuration.profile.occupations,
        }
    }

    /// A respondent's category: `0` not stated, `k + 1` the code at position `k`.
    pub(crate) fn category(self, profile: &CompactProfile) -> usize {
        usize::from(match self {
            Self::District => profile.district,
            Self::Gender => profile.gender,
            Self::Education => profile.education,
            Self::Occupation => profile.occupation,
        })
    }
}

impl fmt::Display for WeightingVariable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The population of each category of one variable, in the order of its code list.
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationMargin {
    /// The variable.
    pub variable: WeightingVariable,
    /// Per code of the variable's list (same order), its population.
    pub totals: Vec<f64>,
}

/// Population margins: what weights are calibrated to.
#[derive(Debug, Clone, PartialEq)]
pub struct Margins {
    /// One margin per variable, in the file's order.
    pub margins: Vec<PopulationMargin>,
    /// Where they come from, for reports (a file name, or the census).
    pub source: String,
}

/// How the built-in margins (Shanghai's 2020 census) name their source.
pub const CENSUS_SOURCE: &str = "Shanghai 2020 census (district, sex)";

impl Margins {
    /// Shanghai's 2020 census by district and by sex, for the default configuration's codes.
    pub fn census_2020(configuration: &Configuration) -> Result<Margins, String> {
        Margins::parse(CENSUS_MARGINS, configuration, CENSUS_SOURCE)
    }

    /// Reads a margins file (`[margins.VARIABLE]` tables of `CODE = population`). Every code
    /// of each variable's list needs a population, and only those codes may appear.
    pub fn parse(
        text: &str,
        configuration: &Configuration,
        source: &str,
    ) -> Result<Margins, String> {
        let document: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut margins = Vec::new();
        for (key, value) in &document {
            if key != "margins" {
                return Err(format!(
                    "unknown key {key:?} (the file holds [margins.VARIABLE] tables)"
                ));
            }
            let variables = value
                .as_table()
                .ok_or("margins must be a table of variables")?;
            for (name, categories) in variables {
                let variable = WeightingVariable::from_name(name).ok_or_else(|| {
                    format!(
                        "margins.{name}: weights can be calibrated on district, gender, education \
                         or occupation"
                    )
                })?;
                if margins
                    .iter()
                    .any(|m: &PopulationMargin| m.variable == variable)
                {
                    return Err(format!("margins.{name} appears twice"));
                }
                let categories = categories.as_table().ok_or_else(|| {
                    format!("margins.{name} must be a table of code = population")
                })?;
                let codes = variable.codes(configuration);
                let mut totals = vec![None; codes.len()];
                for (code, count) in categories {
                    let position = codes.position(code.as_bytes()).ok_or_else(|| {
                        format!(
                            "margins.{name}.{code}: not a {name} code (codes: {})",
                            codes.codes_for_message()
                        )
                    })?;
                    let population = match count {
                        toml::Value::Integer(n) => *n as f64,
                        toml::Value::Float(x) => *x,
                        other => {
                            return Err(format!("margins.{name}.{code}: {other:?} is not a number"))
                        }
                    };
                    if !(population.is_finite() && population > 0.0) {
                        return Err(format!(
                            "margins.{name}.{code}: {population} is not a positive population"
                        ));
                    }
                    totals[usize::from(position)] = Some(population);
                }
                let totals = totals
                    .into_iter()
                    .zip(codes.entries())
                    .map(|(total, entry)| {
                        total.ok_or_else(|| {
                            format!("margins.{name} has no population for code {}", entry.code)
                        })
                    })
                    .collect::<Result<Vec<f64>, String>>()?;
                margins.push(PopulationMargin { variable, totals });
            }
        }
        if margins.is_empty() {
            return Err("the margins file has no [margins.VARIABLE] table".into());
        }
        let first: f64 = margins[0].totals.iter().sum();
        for margin in &margins[1..] {
            let total: f64 = margin.totals.iter().sum();
            if ((total - first) / first).abs() > MARGIN_TOTAL_TOLERANCE {
                return Err(format!(
                    "the margins disagree on the population: {} adds up to {first}, {} to {total}",
                    margins[0].variable, margin.variable
                ));
            }
        }
        Ok(Margins {
            margins,
            source: source.to_string(),
        })
    }

    /// The variables, in order.
    pub fn variables(&self) -> Vec<WeightingVariable> {
        self.margins.iter().map(|m| m.variable).collect()
    }
}

/// How a profile maps to a weighting cell: the cross-classification of the variables'
/// categories, "not stated" included (such respondents cannot be weighted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellLayout {
    /// The variables, in order.
    pub variables: Vec<WeightingVariable>,
    /// Categories of each variable, "not stated" included (codes + 1).
    pub radices: Vec<usize>,
}

impl CellLayout {
    /// The cells of `variables` (none: one cell for everybody).
    pub fn new(configuration: &Configuration, variables: &[WeightingVariable]) -> Self {
        Self {
            variables: variables.to_vec(),
            radices: variables
                .iter()
                .map(|v| v.codes(configuration).len() + 1)
                .collect(),
        }
    }

    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.radices.iter().product()
    }

    /// The cell of a profile.
    pub(crate) fn cell(&self, profile: &CompactProfile) -> usize {
        self.variables
            .iter()
            .zip(&self.radices)
            .fold(0, |cell, (variable, radix)| {
                cell * radix + variable.category(profile)
            })
    }

    /// The categories of a cell, one per variable (`0`: not stated).
    pub fn categories(&self, mut cell: usize) -> Vec<usize> {
        let mut categories = vec![0; self.radices.len()];
        for (slot, radix) in categories.iter_mut().zip(&self.radices).rev() {
            *slot = cell % radix;
            cell /= radix;
        }
        categories
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_census_margins_fit_the_default_codes() {
        let configuration = Configuration::defaults();
        let census = Margins::census_2020(&configuration).unwrap();
        assert_eq!(
            census.variables(),
            [WeightingVariable::District, WeightingVariable::Gender]
        );
        let pudong = configuration.districts.position(b"310115").unwrap();
        assert_eq!(census.margins[0].totals[usize::from(pudong)], 5_681_512.0);
        let total: f64 = census.margins[1].totals.iter().sum();
        assert_eq!(total, 24_870_895.0);
    }

    #[test]
    fn bad_margins_name_the_variable_and_code() {
        let configuration = Configuration::defaults();
        let parse = |text: &str| Margins::parse(text, &configuration, "test").unwrap_err();
        assert!(parse("[margins.height]\ntall = 1\n").contains("margins.height"));
        assert!(parse("[margins.gender]\nmale = 1\nother = 2\n").contains("margins.gender.other"));
        assert!(parse("[margins.gender]\nmale = 1\n").contains("no population for code female"));
        assert!(parse("[margins.gender]\nmale = -1\nfemale = 1\n").contains("margins.gender.male"));
        let disagree = "[margins.gender]\nmale = 10\nfemale = 10\n[margins.education]\n\
            primary = 1\njunior_high = 1\nsenior_high = 1\njunior_college = 1\nbachelor = 1\n\
            postgraduate = 1\n";
        assert!(parse(disagree).contains("disagree on the population"));
    }

    #[test]
    fn cells_cross_the_categories() {
        let configuration = Configuration::defaults();
        let layout = CellLayout::new(
            &configuration,
            &[WeightingVariable::District, WeightingVariable::Gender],
        );
        assert_eq!(layout.cells(), 17 * 3);
        let profile = CompactProfile {
            district: 5,
            gender: 2,
            ..CompactProfile::default()
        };
        let cell = layout.cell(&profile);
        assert_eq!(cell, 5 * 3 + 2);
        assert_eq!(layout.categories(cell), [5, 2]);
        assert_eq!(CellLayout::new(&configuration, &[]).cells(), 1);
    }
}
