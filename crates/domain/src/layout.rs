//! The columns of the response interchange format and where they stand in a given file.
//!
//! The header must name every profile column and every item of the instrument, each once, in any
//! order, and nothing else: an unknown column is almost always a typo that would otherwise lose data.

use thiserror::Error;

use crate::config::Instrument;

/// The columns every response file has besides the item columns, in documented order.
pub const PROFILE_COLUMNS: [&str; 9] = [
    "respondent_id",
    "wave",
    "district",
    "gender",
    "age",
    "education",
    "occupation",
    "channel",
    "project",
];

/// Why a header row cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HeaderError {
    /// A required column is absent.
    #[error("the header has no column {0:?} (required columns: {1})")]
    MissingColumn(String, String),
    /// A column the format does not know.
    #[error("the header has an unknown column {name:?} at position {position}")]
    UnknownColumn {
        /// The column name as written.
        name: String,
        /// 1-based position in the header.
        position: usize,
    },
    /// The same column twice.
    #[error("the header names column {0:?} twice")]
    DuplicateColumn(String),
}

/// Where each column of the interchange format stands in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnLayout {
    /// Position of `respondent_id`.
    pub respondent_id: usize,
    /// Position of `wave`.
    pub wave: usize,
    /// Position of `district`.
    pub district: usize,
    /// Position of `gender`.
    pub gender: usize,
    /// Position of `age`.
    pub age: usize,
    /// Position of `education`.
    pub education: usize,
    /// Position of `occupation`.
    pub occupation: usize,
    /// Position of `channel`.
    pub channel: usize,
    /// Position of `project`.
    pub project: usize,
    /// Position of each item column, in instrument order.
    pub items: Vec<usize>,
    /// The column names as the file has them.
    pub names: Vec<String>,
}

impl ColumnLayout {
    /// The documented column order: the profile columns, then the items in instrument order.
    pub fn canonical_names(instrument: &Instrument) -> Vec<String> {
        PROFILE_COLUMNS
            .iter()
            .map(|name| name.to_string())
            .chain(instrument.items().iter().map(|item| item.item.code.clone()))
            .collect()
    }

    /// Matches a header row against the instrument. A UTF-8 byte-order mark before the first
    /// name is ignored; names are otherwise compared exactly.
    pub fn from_header<S: AsRef<str>>(
        header: &[S],
        instrument: &Instrument,
    ) -> Result<ColumnLayout, HeaderError> {
        let names: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let name = name.as_ref();
                if i == 0 {
                    name.trim_start_matches('\u{feff}').to_string()
                } else {
                    name.to_string()
                }
            })
            .collect();
        let expected = Self::canonical_names(instrument);
        let mut positions = vec![None; expected.len()];
        for (position, name) in names.iter().enumerate() {
            match expected.iter().position(|known| known == name) {
                None => {
                    return Err(HeaderError::UnknownColumn {
                        name: name.clone(),
                        position: position + 1,
                    })
                }
                Some(slot) if positions[slot].is_some() => {
                    return Err(HeaderError::DuplicateColumn(name.clone()))
                }
                Some(slot) => positions[slot] = Some(position),
            }
        }
        if let Some(slot) = positions.iter().position(Option::is_none) {
            return Err(HeaderError::MissingColumn(
                expected[slot].clone(),
                expected.join(","),
            ));
        }
        let positions: Vec<usize> = positions.into_iter().flatten().collect();
        Ok(ColumnLayout {
            respondent_id: positions[0],
            wave: positions[1],
            district: positions[2],
            gender: positions[3],
            age: positions[4],
            education: positions[5],
            occupation: positions[6],
            channel: positions[7],
            project: positions[8],
            items: positions[PROFILE_COLUMNS.len()..].to_vec(),
            names,
        })
    }

    /// Number of columns every row must have.
    pub fn column_count(&self) -> usize {
        self.names.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Configuration;

    fn instrument() -> Instrument {
        Configuration::defaults().instrument
    }

    #[test]
    fn canonical_header_matches_documented_format() {
        assert_eq!(
            ColumnLayout::canonical_names(&instrument()).join(","),
            "respondent_id,wave,district,gender,age,education,occupation,channel,project,\
             awareness,relevance,need_fit,quality,value,satisfaction,trust_delivery,trust_improvement"
        );
    }

    #[test]
    fn columns_may_come_in_any_order() {
        let mut names = ColumnLayout::canonical_names(&instrument());
        names.reverse();
        names[0] = format!("\u{feff}{}", names[0]);
        let layout = ColumnLayout::from_header(&names, &instrument()).unwrap();
        assert_eq!(layout.respondent_id, 16);
        assert_eq!(layout.items[0], 7);
        assert_eq!(layout.column_count(), 17);
    }

    #[test]
    fn header_errors_name_the_column() {
        let mut names = ColumnLayout::canonical_names(&instrument());
        names.pop();
        assert!(matches!(
            ColumnLayout::from_header(&names, &instrument()),
            Err(HeaderError::MissingColumn(name, _)) if name == "trust_improvement"
        ));
        names.push("trust_improvment".into());
        assert_eq!(
            ColumnLayout::from_header(&names, &instrument()),
            Err(HeaderError::UnknownColumn {
                name: "trust_improvment".into(),
                position: 17
            })
        );
        names.pop();
        names.push("age".into());
        assert_eq!(
            ColumnLayout::from_header(&names, &instrument()),
            Err(HeaderError::DuplicateColumn("age".into()))
        );
    }
}
