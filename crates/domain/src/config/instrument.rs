//! The evaluation instrument: dimensions grouped into the two indices, the items that measure
//! each dimension, and the answer scale.

use serde::{Deserialize, Serialize};

use super::check_code;

/// The two indices of the evaluation (paper, section 三).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Index {
    /// 认可度: what the project should do (awareness, relevance, need fit).
    Recognition,
    /// 满意度: how well it does it (quality, value, satisfaction, trust).
    Satisfaction,
}

impl Index {
    /// Both indices, recognition first.
    pub const ALL: [Index; 2] = [Index::Recognition, Index::Satisfaction];

    /// The code used in JSON and configuration.
    pub fn code(self) -> &'static str {
        match self {
            Index::Recognition => "recognition",
            Index::Satisfaction => "satisfaction",
        }
    }
}

/// The answer scale shared by all items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Number of answer levels; answers are `1..=levels`, 1 the worst.
    pub levels: u32,
    /// Chinese label of each level, worst first.
    pub labels_zh: Vec<String>,
    /// English label of each level, worst first.
    pub labels_en: Vec<String>,
    /// Chinese label of the "don't know / not applicable" answer (an empty cell).
    pub dont_know_zh: String,
    /// English label of the "don't know / not applicable" answer.
    pub dont_know_en: String,
}

/// One question; its code is a column of the response file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Column name in the response file.
    pub code: String,
    /// Question wording in Chinese.
    pub zh: String,
    /// Question wording in English.
    pub en: String,
}

/// A dimension of one index, measured by one or more items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// Stable code.
    pub code: String,
    /// The index this dimension belongs to.
    pub index: Index,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// The items measuring it.
    #[serde(rename = "item")]
    pub items: Vec<Item>,
}

/// The whole instrument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// The answer scale.
    pub scale: Scale,
    /// The dimensions in their configured order.
    #[serde(rename = "dimension")]
    pub dimensions: Vec<Dimension>,
}

/// An item together with where it belongs, in instrument order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemRef<'a> {
    /// The item.
    pub item: &'a Item,
    /// Position of its dimension in [`Instrument::dimensions`].
    pub dimension: usize,
    /// Its dimension's index.
    pub index: Index,
}

/// Most items one index may have; keeps the exact integer arithmetic of the respondent-level
/// gap (which uses the least common multiple of 1..=items) far from overflow.
pub const MAX_ITEMS_PER_INDEX: usize = 24;

/// Largest supported answer scale.
pub const MAX_LEVELS: u32 = 11;

impl Instrument {
    /// All items in instrument order.
    pub fn items(&self) -> Vec<ItemRef<'_>> {
        self.dimensions
            .iter()
            .enumerate()
            .flat_map(|(position, dimension)| {
                dimension.items.iter().map(move |item| ItemRef {
                    item,
                    dimension: position,
                    index: dimension.index,
                })
            })
            .collect()
    }

    /// The score of one step up the scale, `100 / (levels - 1)`.
    pub fn score_step(&self) -> f64 {
        100.0 / f64::from(self.scale.levels - 1)
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        let levels = self.scale.levels;
        if !(2..=MAX_LEVELS).contains(&levels) {
            return Err(format!(
                "scale.levels must be between 2 and {MAX_LEVELS}, got {levels}"
            ));
        }
        for (field, labels) in [
            ("labels_zh", &self.scale.labels_zh),
            ("labels_en", &self.scale.labels_en),
        ] {
            if labels.len() != levels as usize {
                return Err(format!(
                    "scale.{field} has {} labels but the scale has {levels} levels",
                    labels.len()
                ));
            }
        }
        let mut seen_dimensions = std::collections::HashSet::new();
        let mut seen_items = std::collections::HashSet::new();
        for dimension in &self.dimensions {
            check_code("dimension", &dimension.code)?;
            if !seen_dimensions.insert(dimension.code.as_str()) {
                return Err(format!("dimension code {:?} appears twice", dimension.code));
            }
            if dimension.items.is_empty() {
                return Err(format!("dimension {:?} has no item", dimension.code));
            }
            for item in &dimension.items {
                check_code("item", &item.code)?;
                if crate::layout::PROFILE_COLUMNS.contains(&item.code.as_str()) {
                    return Err(format!(
                        "item code {:?} clashes with a profile column of the response file",
                        item.code
                    ));
                }
                if !seen_items.insert(item.code.as_str()) {
                    return Err(format!("item code {:?} appears twice", item.code));
                }
            }
        }
        for index in Index::ALL {
            let items = self
                .items()
                .iter()
                .filter(|item| item.index == index)
                .count();
            if items == 0 {
                return Err(format!("the {} index has no dimension", index.code()));
            }
            if items > MAX_ITEMS_PER_INDEX {
                return Err(format!(
                    "the {} index has {items} items; at most {MAX_ITEMS_PER_INDEX} are supported",
                    index.code()
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{ConfigOverrides, ConfigText, Configuration};

    fn load(text: &str) -> Result<Configuration, String> {
        Configuration::load(ConfigOverrides {
            instrument: Some(ConfigText {
                source_name: "i.toml",
                text,
            }),
            ..Default::default()
        })
        .map_err(|e| e.to_string())
    }

    /// A dimension with one item, as TOML.
    fn dimension(code: &str, index: &str, item: &str) -> String {
        format!(
            "[[dimension]]\ncode = \"{code}\"\nindex = \"{index}\"\nzh = \"维\"\nen = \"D\"\n\
             [[dimension.item]]\ncode = \"{item}\"\nzh = \"问\"\nen = \"Q\"\n"
        )
    }

    const SCALE: &str = r#"
        [scale]
        levels = 3
        labels_zh = ["差", "中", "好"]
        labels_en = ["Bad", "So-so", "Good"]
        dont_know_zh = "不知道"
        dont_know_en = "Don't know"
    "#;

    #[test]
    fn a_minimal_instrument_loads() {
        let text = format!(
            "{SCALE}\n{}{}",
            dimension("r", "recognition", "r1"),
            dimension("s", "satisfaction", "s1")
        );
        let configuration = load(&text).unwrap();
        assert_eq!(configuration.instrument.score_step(), 50.0);
    }

    #[test]
    fn an_index_without_dimensions_is_rejected() {
        let text = format!("{SCALE}\n{}", dimension("r", "recognition", "r1"));
        assert!(load(&text)
            .unwrap_err()
            .contains("satisfaction index has no dimension"));
    }

    #[test]
    fn item_codes_may_not_shadow_profile_columns() {
        let text = format!("{SCALE}\n{}", dimension("r", "recognition", "age"));
        assert!(load(&text).unwrap_err().contains("clashes"));
    }

    #[test]
    fn label_count_must_match_levels() {
        let text = format!(
            "{}
            [[dimension]]
            code = \"r\"
            index = \"recognition\"
            zh = \"认\"
            en = \"R\"
            item = []",
            SCALE.replace("levels = 3", "levels = 4")
        );
        assert!(load(&text).unwrap_err().contains("labels_zh has 3 labels"));
    }
}
