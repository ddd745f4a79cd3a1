//! Configuration as data: the instrument, the project catalogue, the districts and the profile
//! codes. Defaults ship inside the binary (the TOML files under `crates/domain/defaults/`); a
//! user can replace any of them with a file of their own.
//!
//! This module parses and validates text; reading files is the caller's job (the domain does no
//! I/O), so that errors can still name the file they came from.

mod catalogue;
mod codes;
mod instrument;

pub use catalogue::MAX_PROJECTS;
pub use catalogue::{Catalogue, Project};
pub use codes::{CodeList, LabelledCode, ProfileCodes};
pub use instrument::{
    Dimension, Index, Instrument, Item, ItemRef, Scale, MAX_ITEMS_PER_INDEX, MAX_LEVELS,
};

use serde::de::DeserializeOwned;
use thiserror::Error;

/// Why a configuration file could not be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The file is not valid TOML of the expected shape.
    #[error("{source_name}: {source}")]
    Parse {
        /// Where the text came from (a path, or "built-in ...").
        source_name: String,
        /// What the TOML parser said, with line and column.
        #[source]
        source: toml::de::Error,
    },
    /// The file parses but breaks a rule (duplicate code, empty list, ...).
    #[error("{source_name}: {message}")]
    Invalid {
        /// Where the text came from.
        source_name: String,
        /// What is wrong, naming the field.
        message: String,
    },
}

/// One configuration text and the name to use for it in error messages.
#[derive(Debug, Clone, Copy)]
pub struct ConfigText<'a> {
    /// A path or a description such as "built-in instrument".
    pub source_name: &'a str,
    /// The TOML text.
    pub text: &'a str,
}

/// The user's replacement files; `None` keeps the built-in default.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConfigOverrides<'a> {
    /// Replaces `defaults/instrument.toml`.
    pub instrument: Option<ConfigText<'a>>,
    /// Replaces `defaults/catalogue.toml`.
    pub catalogue: Option<ConfigText<'a>>,
    /// Replaces `defaults/districts.toml`.
    pub districts: Option<ConfigText<'a>>,
    /// Replaces `defaults/profile.toml`.
    pub profile: Option<ConfigText<'a>>,
}

/// Everything the evaluation needs to know about the survey besides the responses.
#[derive(Debug, Clone)]
pub struct Configuration {
    /// Dimensions, items and the answer scale.
    pub instrument: Instrument,
    /// The projects being evaluated.
    pub catalogue: Catalogue,
    /// The districts a respondent may live in.
    pub districts: CodeList,
    /// Codes of gender, education, occupation and channel.
    pub profile: ProfileCodes,
}

const DEFAULT_INSTRUMENT: &str = include_str!("../../defaults/instrument.toml");
const DEFAULT_CATALOGUE: &str = include_str!("../../defaults/catalogue.toml");
const DEFAULT_DISTRICTS: &str = include_str!("../../defaults/districts.toml");
const DEFAULT_PROFILE: &str = include_str!("../../defaults/profile.toml");

/// The built-in configuration texts: instrument, catalogue, districts, profile codes.
pub fn default_texts() -> [&'static str; 4] {
    [
        DEFAULT_INSTRUMENT,
        DEFAULT_CATALOGUE,
        DEFAULT_DISTRICTS,
        DEFAULT_PROFILE,
    ]
}

impl Configuration {
    /// The built-in configuration: the paper's instrument, Shanghai's 16 projects and districts
    /// (parsed once per process, then copied).
    pub fn defaults() -> Configuration {
        static DEFAULTS: std::sync::LazyLock<Configuration> = std::sync::LazyLock::new(|| {
            Configuration::load(ConfigOverrides::default())
                .expect("the built-in configuration files are valid (checked by tests)")
        });
        DEFAULTS.clone()
    }

    /// The built-in configuration with some files replaced by the user's.
    pub fn load(overrides: ConfigOverrides<'_>) -> Result<Configuration, ConfigError> {
        let instrument_text = overrides.instrument.unwrap_or(ConfigText {
            source_name: "built-in instrument",
            text: DEFAULT_INSTRUMENT,
        });
        let catalogue_text = overrides.catalogue.unwrap_or(ConfigText {
            source_name: "built-in catalogue",
            text: DEFAULT_CATALOGUE,
        });
        let districts_text = overrides.districts.unwrap_or(ConfigText {
            source_name: "built-in districts",
            text: DEFAULT_DISTRICTS,
        });
        let profile_text = overrides.profile.unwrap_or(ConfigText {
            source_name: "built-in profile codes",
            text: DEFAULT_PROFILE,
        });
        let instrument: Instrument = parse(instrument_text)?;
        instrument
            .validate()
            .map_err(|message| invalid(instrument_text, message))?;
        let mut catalogue: Catalogue = parse(catalogue_text)?;
        catalogue
            .validate()
            .map_err(|message| invalid(catalogue_text, message))?;
        let districts: codes::DistrictsFile = parse(districts_text)?;
        let districts = CodeList::new("district", districts.district)
            .map_err(|message| invalid(districts_text, message))?;
        let profile: codes::ProfileFile = parse(profile_text)?;
        let profile =
            ProfileCodes::from_file(profile).map_err(|message| invalid(profile_text, message))?;
        Ok(Configuration {
            instrument,
            catalogue,
            districts,
            profile,
        })
    }
}

fn parse<T: DeserializeOwned>(text: ConfigText<'_>) -> Result<T, ConfigError> {
    toml::from_str(text.text).map_err(|source| ConfigError::Parse {
        source_name: text.source_name.to_string(),
        source,
    })
}

fn invalid(text: ConfigText<'_>, message: String) -> ConfigError {
    ConfigError::Invalid {
        source_name: text.source_name.to_string(),
        message,
    }
}

/// Checks that a code is usable as a CSV value and in URLs: non-empty, at most 64 characters,
/// without surrounding white space, commas, quotes or control characters.
pub(crate) fn check_code(kind: &str, code: &str) -> Result<(), String> {
    if code.is_empty() || code.chars().count() > 64 {
        return Err(format!("{kind} code {code:?} must have 1 to 64 characters"));
    }
    if code.trim() != code || code.chars().any(|c| c.is_control() || c == ',' || c == '"') {
        return Err(format!(
            "{kind} code {code:?} must not contain commas, quotes, control characters or surrounding spaces"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load() {
        let configuration = Configuration::defaults();
        assert_eq!(configuration.catalogue.projects.len(), 16);
        assert_eq!(configuration.districts.len(), 16);
        assert_eq!(configuration.instrument.dimensions.len(), 7);
        assert_eq!(configuration.instrument.items().len(), 8);
    }

    #[test]
    fn a_user_catalogue_replaces_the_default() {
        let text = r#"
            [[project]]
            code = "bridges"
            zh = "桥梁"
            en = "Bridges"
        "#;
        let configuration = Configuration::load(ConfigOverrides {
            catalogue: Some(ConfigText {
                source_name: "my.toml",
                text,
            }),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(configuration.catalogue.projects.len(), 1);
        assert_eq!(configuration.catalogue.projects[0].lead_department_en, None);
    }

    #[test]
    fn parse_errors_name_the_file() {
        let error = Configuration::load(ConfigOverrides {
            districts: Some(ConfigText {
                source_name: "d.toml",
                text: "[[district]]\ncode = 1",
            }),
            ..Default::default()
        })
        .unwrap_err();
        assert!(error.to_string().starts_with("d.toml:"), "{error}");
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let text = "[[district]]\ncode = \"1\"\nzh = \"一\"\nen = \"One\"\npopulaton = 5\n";
        let error = Configuration::load(ConfigOverrides {
            districts: Some(ConfigText {
                source_name: "d.toml",
                text,
            }),
            ..Default::default()
        })
        .unwrap_err();
        assert!(error.to_string().contains("populaton"), "{error}");
    }

    #[test]
    fn codes_with_commas_are_rejected() {
        assert!(check_code("project", "a,b").is_err());
        assert!(check_code("project", " a").is_err());
        assert!(check_code("project", "").is_err());
        assert!(check_code("project", "old-district").is_ok());
    }
}
