//! The advancement mechanism (推进机制): what the city does with its livelihood projects once
//! they are chosen, beside what its citizens think of them.
//!
//! - [`register`]: the project register, the canonical list of projects with who leads them,
//!   who takes part and where they are delivered; survey catalogues are made from it;
//! - [`register_sheets`]: the register as a workbook's sheets (read and written), for a city
//!   that keeps it in Excel;
//! - [`stage`]: a project's stage (OC4IDS `projectStatus`) and the paper's four stages, the
//!   moves allowed, and the plan frozen as the baseline once implementation begins, changed
//!   only by an approved modification;
//! - [`letter`]: responsibility letters (责任书): milestones, district targets and the roadmap
//!   a lead department signs for a year;
//! - [`letter_sheets`]: a letter's commitments as a workbook's sheets (the template, the upload
//!   and the export);
//! - [`progress`]: monthly progress reports by the units that own a letter's parts, the
//!   reports owed and not made, and roll-ups by declared weights in which a missing part is
//!   missing, never 0;
//! - [`curve`]: a target's progress curve, planned against achieved month by month;
//! - [`lights`]: the supervision lights of open commitments (blue, yellow, red) on working days;
//! - [`notice`]: supervision notices (督办单) on red items, answered and closed;
//! - [`meeting`]: joint meetings (联席会议): the call, the signed minutes with decisions that
//!   are only superseded, and action items tracked on the board;
//! - [`public_view`]: what the public sees of a project's delivery once the office has
//!   published it (the stage, the latest signed letter's commitments, progress the office
//!   accepted; nothing internal);
//! - [`supervision`]: the items under supervision with their latest state, kept as reports
//!   arrive, so the lights need no scan of the reports.

pub mod curve;
pub mod letter;
pub mod letter_sheets;
pub mod lights;
pub mod meeting;
pub mod notice;
pub mod progress;
pub mod public_view;
pub mod register;
pub mod register_sheets;
pub mod stage;
pub mod supervision;
