//! The project catalogue: which projects are evaluated, with their names and lead departments.

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use super::check_code;

/// One project of the programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// Stable code used in the response file and in URLs.
    pub code: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// Lead department, in Chinese.
    #[serde(default)]
    pub lead_department_zh: Option<String>,
    /// Lead department, in English.
    #[serde(default)]
    pub lead_department_en: Option<String>,
    /// What the project does, in one line of Chinese a citizen understands (shown in the
    /// questionnaire under the project's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_zh: Option<String>,
    /// What the project does, in one line of English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_en: Option<String>,
}

/// The projects, in catalogue order, with fast look-up by code.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// The projects in their configured order.
    #[serde(rename = "project")]
    pub projects: Vec<Project>,
    #[serde(skip)]
    positions: HashMap<Box<[u8]>, u16>,
}

/// Most projects a catalogue may hold (a respondent's rated projects are kept as a bit set).
pub const MAX_PROJECTS: usize = 1024;

impl Catalogue {
    pub(super) fn validate(&mut self) -> Result<(), String> {
        if self.projects.is_empty() {
            return Err("the catalogue lists no project".into());
        }
        if self.projects.len() > MAX_PROJECTS {
            return Err(format!(
                "the catalogue lists {} projects; at most {MAX_PROJECTS} are supported",
                self.projects.len()
            ));
        }
        self.positions.clear();
        for (position, project) in self.projects.iter().enumerate() {
            check_code("project", &project.code)?;
            if project.zh.trim().is_empty() || project.en.trim().is_empty() {
                return Err(format!(
                    "project {:?} needs both a zh and an en name",
                    project.code
                ));
            }
            let key: Box<[u8]> = project.code.as_bytes().into();
            if self.positions.insert(key, position as u16).is_some() {
                return Err(format!("project code {:?} appears twice", project.code));
            }
        }
        Ok(())
    }

    /// The position of the project with this code.
    #[inline]
    pub fn position(&self, code: &[u8]) -> Option<u16> {
        self.positions.get(code).copied()
    }
}
