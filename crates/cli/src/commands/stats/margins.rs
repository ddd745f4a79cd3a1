//! The margins file: population counts per category of each variable (TOML).
//!
//! ```toml
//! [margins.stype]
//! E = 4421
//! H = 755
//! ```

use std::path::Path;

use anyhow::{bail, Context, Result};

/// The population counts of one variable's categories, in the file's order.
#[derive(Debug, Clone, PartialEq)]
pub struct VariableMargin {
    /// The column the variable is in.
    pub variable: String,
    /// `(category, population)` pairs.
    pub categories: Vec<(String, f64)>,
}

/// Reads a margins file; every value must be a non-negative number.
pub fn read_margins(path: &Path) -> Result<Vec<VariableMargin>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the margins file {}", path.display()))?;
    parse_margins(&text).with_context(|| format!("invalid margins file {}", path.display()))
}

fn parse_margins(text: &str) -> Result<Vec<VariableMargin>> {
    let document: toml::Table = toml::from_str(text)?;
    let mut margins = Vec::new();
    for (key, value) in &document {
        if key != "margins" {
            bail!("unknown key {key:?} (the file holds [margins.VARIABLE] tables)");
        }
        let Some(variables) = value.as_table() else {
            bail!("margins must be a table of variables");
        };
        for (variable, categories) in variables {
            let Some(categories) = categories.as_table() else {
                bail!("margins.{variable} must be a table of category = population");
            };
            let mut parsed = Vec::new();
            for (category, count) in categories {
                let population = match count {
                    toml::Value::Integer(n) => *n as f64,
                    toml::Value::Float(x) => *x,
                    other => bail!("margins.{variable}.{category}: {other} is not a number"),
                };
                if !(population.is_finite() && population >= 0.0) {
                    bail!("margins.{variable}.{category}: {population} is not a population count");
                }
                parsed.push((category.clone(), population));
            }
            if parsed.is_empty() {
                bail!("margins.{variable} has no category");
            }
            margins.push(VariableMargin {
                variable: variable.clone(),
                categories: parsed,
            });
        }
    }
    if margins.is_empty() {
        bail!("no margins: add a [margins.VARIABLE] table");
    }
    Ok(margins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_integers_and_decimals() {
        let margins = parse_margins("[margins.sex]\nmale = 12\nfemale = 3.5\n").unwrap();
        assert_eq!(margins[0].variable, "sex");
        assert!(margins[0].categories.contains(&("female".into(), 3.5)));
    }

    #[test]
    fn errors_name_the_entry() {
        let error = parse_margins("[margins.sex]\nmale = \"many\"\n").unwrap_err();
        assert!(
            format!("{error:#}").contains("margins.sex.male"),
            "{error:#}"
        );
        assert!(parse_margins("[weights]\n").is_err());
        assert!(parse_margins("[margins.sex]\nmale = -1\n").is_err());
    }
}
