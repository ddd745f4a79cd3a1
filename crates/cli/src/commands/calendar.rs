//! `minxin calendar`: working days under the State Council's holiday notices, for deadlines
//! (`due DATE N`: the date N working days after DATE; `working-day DATE`: whether DATE is one).
//! A date in a year whose notice has not come out yet is refused, never guessed.

use anyhow::{anyhow, Context, Result};
use clap::{Subcommand, ValueEnum};
use minxin_domain::calendar::{Day, WorkingDays};

/// The subcommands of `minxin calendar`.
#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Print the date N working days after DATE (DATE itself not counted).
    Due {
        /// The start, an ISO date such as 2026-09-30.
        date: String,
        /// How many working days after it.
        days: u32,
        /// text (the date) or json.
        #[arg(long, value_enum, default_value = "text")]
        format: CalendarFormat,
    },
    /// Say whether DATE is a working day.
    WorkingDay {
        /// An ISO date such as 2026-10-08.
        date: String,
        /// text or json.
        #[arg(long, value_enum, default_value = "text")]
        format: CalendarFormat,
    },
}

/// How `minxin calendar` prints its answer.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CalendarFormat {
    /// One line.
    Text,
    /// A JSON object.
    Json,
}

/// The day an argument names, or an error that quotes it.
fn day(text: &str) -> Result<Day> {
    Day::parse(text).ok_or_else(|| anyhow!("DATE {text:?} is not a date of the form 2026-10-08"))
}

/// Runs one subcommand.
pub fn run(command: CalendarCommand) -> Result<()> {
    let calendar = WorkingDays::shipped();
    match command {
        CalendarCommand::Due { date, days, format } => {
            let start = day(&date)?;
            let due = calendar
                .working_days_after(start, days)
                .with_context(|| format!("{days} working days after {start}"))?;
            match format {
                CalendarFormat::Text => println!("{due}"),
                CalendarFormat::Json => println!(
                    "{}",
                    serde_json::json!({"from": start.to_string(), "working_days": days, "due": due.to_string()})
                ),
            }
        }
        CalendarCommand::WorkingDay { date, format } => {
            let day = day(&date)?;
            let working = calendar
                .is_working_day(day)
                .with_context(|| format!("whether {day} is a working day"))?;
            match format {
                CalendarFormat::Text => println!(
                    "{day} {}",
                    if working {
                        "is a working day (工作日)"
                    } else {
                        "is a day off (休息日)"
                    }
                ),
                CalendarFormat::Json => println!(
                    "{}",
                    serde_json::json!({"date": day.to_string(), "working_day": working})
                ),
            }
        }
    }
    Ok(())
}
