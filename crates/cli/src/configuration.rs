//! Loading the user's replacement configuration files, named in errors by their path.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use minxin_domain::config::{ConfigOverrides, ConfigText};
use minxin_domain::Configuration;

/// Options that replace the built-in configuration files.
#[derive(Debug, Clone, Default, Args)]
pub struct ConfigArgs {
    /// Instrument file (TOML) replacing the built-in seven dimensions and eight items.
    #[arg(long, value_name = "FILE")]
    pub instrument: Option<PathBuf>,
    /// Project catalogue (TOML) replacing the built-in 16 projects.
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    /// District list (TOML) replacing Shanghai's 16 districts.
    #[arg(long, value_name = "FILE")]
    pub districts: Option<PathBuf>,
    /// Profile codes (TOML) replacing the built-in gender, education, occupation and channel codes.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
}

impl ConfigArgs {
    /// The configuration: built-in defaults with the files given replacing them.
    pub fn load(&self) -> Result<Configuration> {
        let read = |path: &Option<PathBuf>| -> Result<Option<(String, String)>> {
            path.as_ref()
                .map(|path| {
                    let text = std::fs::read_to_string(path).with_context(|| {
                        format!("cannot read configuration file {}", path.display())
                    })?;
                    Ok((path.display().to_string(), text))
                })
                .transpose()
        };
        let texts = [
            read(&self.instrument)?,
            read(&self.catalogue)?,
            read(&self.districts)?,
            read(&self.profile)?,
        ];
        fn as_text(entry: &Option<(String, String)>) -> Option<ConfigText<'_>> {
            entry
                .as_ref()
                .map(|(source_name, text)| ConfigText { source_name, text })
        }
        Configuration::load(ConfigOverrides {
            instrument: as_text(&texts[0]),
            catalogue: as_text(&texts[1]),
            districts: as_text(&texts[2]),
            profile: as_text(&texts[3]),
        })
        .context("invalid configuration")
    }
}
