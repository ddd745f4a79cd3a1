//! Lists of codes with Chinese and English labels: districts, genders, education levels,
//! occupations and survey channels.

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use super::check_code;

/// A code as it appears in the response file, with its labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledCode {
    /// The value in the response file.
    pub code: String,
    /// Chinese label.
    pub zh: String,
    /// English label.
    pub en: String,
}

/// An ordered list of codes with fast look-up of a code's position.
#[derive(Debug, Clone)]
pub struct CodeList {
    entries: Vec<LabelledCode>,
    positions: HashMap<Box<[u8]>, u16>,
}

impl CodeList {
    /// Builds the list, rejecting empty lists, bad codes and duplicates.
    pub fn new(kind: &str, entries: Vec<LabelledCode>) -> Result<CodeList, String> {
        if entries.is_empty() {
            return Err(format!("the list of {kind} codes is empty"));
        }
        if entries.len() > usize::from(u16::MAX) {
            return Err(format!("too many {kind} codes ({})", entries.len()));
        }
        let mut positions = HashMap::new();
        for (position, entry) in entries.iter().enumerate() {
            check_code(kind, &entry.code)?;
            let key: Box<[u8]> = entry.code.as_bytes().into();
            if positions.insert(key, position as u16).is_some() {
                return Err(format!("{kind} code {:?} appears twice", entry.code));
            }
        }
        Ok(CodeList { entries, positions })
    }

    /// The position of `code` in the list, if it is listed.
    #[inline]
    pub fn position(&self, code: &[u8]) -> Option<u16> {
        self.positions.get(code).copied()
    }

    /// The entries in their configured order.
    pub fn entries(&self) -> &[LabelledCode] {
        &self.entries
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the list has no codes (never, for a validated list).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The codes joined by ", ", for error messages.
    pub fn codes_for_message(&self) -> String {
        let codes: Vec<&str> = self.entries.iter().map(|e| e.code.as_str()).collect();
        codes.join(", ")
    }
}

/// The codes allowed in the profile columns of the response file.
#[derive(Debug, Clone)]
pub struct ProfileCodes {
    /// Values of `gender`.
    pub genders: CodeList,
    /// Values of `education`.
    pub educations: CodeList,
    /// Values of `occupation`.
    pub occupations: CodeList,
    /// Values of `channel`.
    pub channels: CodeList,
}

impl ProfileCodes {
    pub(super) fn from_file(file: ProfileFile) -> Result<ProfileCodes, String> {
        Ok(ProfileCodes {
            genders: CodeList::new("gender", file.gender)?,
            educations: CodeList::new("education", file.education)?,
            occupations: CodeList::new("occupation", file.occupation)?,
            channels: CodeList::new("channel", file.channel)?,
        })
    }
}

/// The shape of `districts.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DistrictsFile {
    pub(super) district: Vec<LabelledCode>,
}

/// The shape of `profile.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProfileFile {
    gender: Vec<LabelledCode>,
    education: Vec<LabelledCode>,
    occupation: Vec<LabelledCode>,
    channel: Vec<LabelledCode>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(code: &str) -> LabelledCode {
        LabelledCode {
            code: code.into(),
            zh: "中".into(),
            en: "En".into(),
        }
    }

    #[test]
    fn finds_positions() {
        let list = CodeList::new("district", vec![code("a"), code("b")]).unwrap();
        assert_eq!(list.position(b"b"), Some(1));
        assert_eq!(list.position(b"c"), None);
        assert_eq!(list.codes_for_message(), "a, b");
    }

    #[test]
    fn rejects_duplicates_and_empty_lists() {
        assert!(CodeList::new("district", vec![code("a"), code("a")])
            .unwrap_err()
            .contains("twice"));
        assert!(CodeList::new("district", vec![])
            .unwrap_err()
            .contains("empty"));
    }
}
