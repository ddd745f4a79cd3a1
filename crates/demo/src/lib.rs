//! Synthetic demo responses, calibrated to the published aggregate findings of the paper.
//!
//! **The data are synthetic.** The paper publishes no raw data and no numeric scores, only a
//! sample profile and which projects rank where. This crate generates 600 respondents whose
//! profile matches the published one exactly and whose answers, evaluated by the ordinary
//! evaluation code, reproduce the published findings. Every row is marked: the channel is
//! `synthetic`, the wave is [`DEMO_WAVE`] and respondent identifiers start with `SYN-`.
//!
//! # The model
//! 1. **Profile** ([`profile`]): 600 respondents; district counts from a fixed table whose
//!    largest is Xuhui (61) and smallest Chongming (14), as published (the other counts are not
//!    published and were chosen); 252 men and 348 women; ages 19–60 with mean exactly 34.5 (drawn
//!    from a normal distribution, clamped, then nudged one year at a time to the exact total);
//!    351 bachelor's degrees; 337 office staff. Each attribute is shuffled onto respondents at random.
//! 2. **Who rates what**: project `p` is rated by exactly `n_p` respondents (300 to 480, more for
//!    better-known projects), chosen at random; every respondent rates at least one project.
//! 3. **Latent levels** ([`calibration`]): each project has a recognition level and a
//!    satisfaction level on 0–100; each dimension adds a fixed offset (awareness +6, relevance and
//!    need fit −3; quality +2, value −2). An item's target mean is its project level plus offset.
//! 4. **Answers by controlled rounding**: for each project and item, the number of answers at
//!    each of the five levels is fixed so that the item mean hits its target to within 12.5/n
//!    points (a discretised normal with a spread of 0.9 scale steps, centred to match the target,
//!    rounded by largest remainder). A few answers (3–5%) are "don't know", at random.
//! 5. **Respondent-level variation**: the answers of each item are handed to respondents in the
//!    order of a propensity `0.45 u_i + 0.45 v_ip + 0.35 w_ip,index + 0.69 e_ipj`: a respondent's
//!    general leniency `u_i`, their view of the project `v_ip`, of its index `w`, and item noise
//!    `e`, all standard normal. Lenient respondents thus answer higher across projects and items,
//!    as real respondents do, while the item totals stay exactly calibrated.
//!
//! Because step 4 fixes the totals, the project scores, rankings and gaps do not depend on the
//! seed; the seed moves who answered what. Evaluated with the `pooled-median` cut points the
//! demo reproduces all 16 published quadrants for any seed; with the default `median` of the
//! project scores, 15 of them. See [`calibration`] for the levels and why.

mod answers;
pub mod calibration;
mod normal;
pub mod profile;

use minxin_domain::evaluation::CutPointRule;
use minxin_domain::{ColumnLayout, Configuration};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use thiserror::Error;

/// The wave name of the demo data.
pub const DEMO_WAVE: &str = "2021-synthetic";

/// The cut-point rule under which the demo reproduces every published finding: the paper's
/// 整体满意度中位数 read as the median of all respondents' scores (see [`calibration`]). The
/// demo's reports and waves use it; evaluations of other data keep their own rule.
pub const DEMO_CUT_POINTS: CutPointRule = CutPointRule::PooledMedian;

/// Why the demo cannot be generated.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DemoError {
    /// The configuration lacks a code the calibration uses (the demo is calibrated to the
    /// built-in Shanghai catalogue, districts and instrument).
    #[error(
        "the demo is calibrated to the built-in configuration, but {kind} {code:?} is missing"
    )]
    MissingCode {
        /// Which list.
        kind: &'static str,
        /// The code.
        code: String,
    },
    /// The catalogue has other projects than the built-in 16.
    #[error(
        "the demo is calibrated to the 16 built-in projects, but the catalogue has {projects}"
    )]
    OtherCatalogue {
        /// Projects in the catalogue given.
        projects: usize,
    },
}

/// The generated responses in the interchange format.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoData {
    /// The header row.
    pub header: Vec<String>,
    /// One row per respondent × rated project, sorted by respondent then catalogue order.
    pub rows: Vec<Vec<String>>,
}

/// Generates the demo responses for `seed`.
pub fn generate(configuration: &Configuration, seed: u64) -> Result<DemoData, DemoError> {
    calibration::check_configuration(configuration)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let respondents = profile::draw_profiles(&mut rng);
    let answers = answers::draw_answers(configuration, respondents.len(), &mut rng);
    let header = ColumnLayout::canonical_names(&configuration.instrument);
    let mut rows = Vec::with_capacity(answers.len());
    for rating in answers {
        let respondent = &respondents[rating.respondent];
        let mut row = vec![
            respondent.id.clone(),
            DEMO_WAVE.to_string(),
            respondent.district.to_string(),
            respondent.gender.to_string(),
            respondent.age.to_string(),
            respondent.education.to_string(),
            respondent.occupation.to_string(),
            minxin_domain::evaluation::SYNTHETIC_CHANNEL.to_string(),
            configuration.catalogue.projects[rating.project]
                .code
                .clone(),
        ];
        row.extend(
            rating
                .answers
                .iter()
                .map(|answer| answer.map(|a| a.to_string()).unwrap_or_default()),
        );
        rows.push(row);
    }
    Ok(DemoData { header, rows })
}
