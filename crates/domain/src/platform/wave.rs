//! Survey waves: a named period of intake with the configuration it runs with.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::{ConfigError, ConfigOverrides, ConfigText, Configuration};

/// Where a wave is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaveStatus {
    /// Prepared, not yet taking responses.
    Draft,
    /// Taking responses.
    Open,
    /// Finished; results are final.
    Closed,
}

impl WaveStatus {
    /// The code stored and shown in the API.
    pub fn code(self) -> &'static str {
        match self {
            WaveStatus::Draft => "draft",
            WaveStatus::Open => "open",
            WaveStatus::Closed => "closed",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<WaveStatus> {
        match code {
            "draft" => Some(WaveStatus::Draft),
            "open" => Some(WaveStatus::Open),
            "closed" => Some(WaveStatus::Closed),
            _ => None,
        }
    }
}

/// The configuration files a wave runs with, as text (TOML), stored with the wave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveConfigTexts {
    /// The instrument.
    pub instrument: String,
    /// The project catalogue (only the wave's projects).
    pub catalogue: String,
    /// The districts.
    pub districts: String,
    /// The profile codes.
    pub profile: String,
}

impl WaveConfigTexts {
    /// The built-in configuration's texts.
    pub fn defaults() -> WaveConfigTexts {
        let defaults = crate::config::default_texts();
        WaveConfigTexts {
            instrument: defaults[0].to_string(),
            catalogue: defaults[1].to_string(),
            districts: defaults[2].to_string(),
            profile: defaults[3].to_string(),
        }
    }

    /// Parses and validates the texts.
    pub fn configuration(&self) -> Result<Configuration, ConfigError> {
        Configuration::load(ConfigOverrides {
            instrument: Some(ConfigText {
                source_name: "wave instrument",
                text: &self.instrument,
            }),
            catalogue: Some(ConfigText {
                source_name: "wave catalogue",
                text: &self.catalogue,
            }),
            districts: Some(ConfigText {
                source_name: "wave districts",
                text: &self.districts,
            }),
            profile: Some(ConfigText {
                source_name: "wave profile codes",
                text: &self.profile,
            }),
        })
    }
}

/// What is needed to create a wave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWave {
    /// A short name, unique among waves ("2026 spring").
    pub name: String,
    /// First day of intake (ISO date), if set.
    pub period_start: Option<String>,
    /// Last day of intake (ISO date), if set.
    pub period_end: Option<String>,
    /// Target respondents per district code.
    pub quotas: BTreeMap<String, u64>,
    /// The configuration the wave runs with.
    pub config: WaveConfigTexts,
}

/// A stored wave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveRecord {
    /// Identifier.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Draft, open or closed.
    pub status: WaveStatus,
    /// First day of intake.
    pub period_start: Option<String>,
    /// Last day of intake.
    pub period_end: Option<String>,
    /// Target respondents per district code.
    pub quotas: BTreeMap<String, u64>,
    /// The configuration it runs with.
    pub config: WaveConfigTexts,
    /// Creation time, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
}
