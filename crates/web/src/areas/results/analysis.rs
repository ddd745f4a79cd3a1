//! The views behind a project page, a comparison of two waves and a wave's weighted
//! evaluation, shared by the pages and the JSON API. All come from the live tallies and group
//! sums; nothing here reads responses.

use minxin_domain::access::{Action, Grade};
use minxin_domain::evaluation::{
    compare_waves, district_breakdown, weighted_evaluation, DistrictCell, Margins,
    ProjectEvaluation, RobustnessOptions, WaveComparison, WeightedEvaluation, DEFAULT_MINIMUM_CELL,
};
use minxin_domain::organisation::{allows, Target};
use minxin_domain::platform::{Store, WaveStatus};
use minxin_domain::{Evaluation, EvaluationOptions};
use serde::Serialize;

use crate::app::error::ApiError;
use crate::app::guard::{city_allows, may_read, GradeOf};
use crate::app::session::Visitor;
use crate::app::state::AppState;

/// One wave's result for a project, for its trend.
#[derive(Debug, Clone, Serialize)]
pub struct TrendEntry {
    /// The wave's identifier.
    pub wave_id: i64,
    /// The wave's name.
    pub wave: String,
    /// The project's evaluation in that wave.
    pub project: ProjectEvaluation,
}

/// Everything a project page shows.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectView {
    /// The wave the page is about.
    pub wave_id: i64,
    /// Its name.
    pub wave: String,
    /// When the wave's newest response arrived, milliseconds since the Unix epoch.
    pub as_of_ms: i64,
    /// The project in this wave.
    pub project: ProjectEvaluation,
    /// Cells with fewer respondents are suppressed.
    pub minimum_cell: u64,
    /// The project by district in this wave.
    pub districts: Vec<DistrictCell>,
    /// The project in every wave (not drafts) that includes it, oldest first.
    pub trend: Vec<TrendEntry>,
}

/// The project with `code` in wave `wave_id`, with its district breakdown and trend (the waves
/// `visitor` may read).
pub fn project_view<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    wave_id: i64,
    code: &str,
) -> Result<ProjectView, ApiError> {
    let wave = state.wave(wave_id)?;
    let options = wave.options();
    let position = wave
        .model
        .configuration
        .catalogue
        .projects
        .iter()
        .position(|p| p.code == code)
        .ok_or_else(|| {
            ApiError::not_found(
                "本次调查不包括该项工程。",
                format!("wave {wave_id} has no project {code:?}"),
            )
        })?;
    let snapshot = wave.snapshot();
    // The project's staff (and the city's) see its small cells; published outputs withhold them.
    let staff = allows(
        &state.organisation(),
        visitor.assignments(),
        Action::Read,
        Grade::Internal,
        &Target::Project(code.to_string()),
    );
    let shown = |evaluation: Evaluation| {
        if staff {
            evaluation
        } else {
            evaluation.with_small_cells_withheld()
        }
    };
    let evaluation = shown(wave.evaluate(&snapshot, &options));
    let districts = district_breakdown(
        &wave.model.configuration,
        &snapshot.tallies,
        position,
        DEFAULT_MINIMUM_CELL,
        options.confidence,
    );
    let trend = project_trend(state, visitor, code, Some((wave_id, &evaluation)));
    Ok(ProjectView {
        wave_id,
        wave: wave.name(),
        as_of_ms: snapshot.updated_at_ms,
        project: standing_for(
            state,
            visitor,
            wave_id,
            evaluation.projects[position].clone(),
        ),
        minimum_cell: DEFAULT_MINIMUM_CELL,
        districts,
        trend,
    })
}

/// The project `code` in every wave (not drafts) that includes it and whose figures `visitor`
/// may read, oldest first, with its standing where the visitor may read the wave's results;
/// `current` is a wave's evaluation already made for this visitor, used instead of a new one.
pub fn project_trend<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    code: &str,
    current: Option<(i64, &Evaluation)>,
) -> Vec<TrendEntry> {
    let staff = allows(
        &state.organisation(),
        visitor.assignments(),
        Action::Read,
        Grade::Internal,
        &Target::Project(code.to_string()),
    );
    let mut trend = Vec::new();
    for other in state.waves().into_iter().rev() {
        // The trend shows each visitor the waves whose figures they may read.
        if other.status() == WaveStatus::Draft
            || !may_read(
                state,
                visitor,
                GradeOf::ScopedResults,
                other.id(),
                &Target::Project(code.to_string()),
            )
        {
            continue;
        }
        let other_evaluation = match current {
            Some((id, evaluation)) if id == other.id() => evaluation.clone(),
            _ => {
                let evaluation = other.evaluation(&other.options()).0;
                if staff {
                    evaluation
                } else {
                    evaluation.with_small_cells_withheld()
                }
            }
        };
        if let Some(project) = take_project(other_evaluation, code) {
            trend.push(TrendEntry {
                wave_id: other.id(),
                wave: other.name(),
                project: standing_for(state, visitor, other.id(), project),
            });
        }
    }
    trend
}

/// `project` of wave `wave` with its standing (ranks, quadrant) only for a visitor who may read
/// the wave's results: rank, quadrant and cut points are the city's unpublished figures.
fn standing_for<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    wave: i64,
    project: ProjectEvaluation,
) -> ProjectEvaluation {
    if may_read(state, visitor, GradeOf::WaveResults, wave, &Target::City) {
        project
    } else {
        project.without_standing()
    }
}

/// One project's part of a district's view.
#[derive(Debug, Clone, Serialize)]
pub struct DistrictProject {
    /// Project code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// The district's respondents who rated the project, and their scores (suppressed as on
    /// the project page, so the two pages never give a hidden cell away together).
    pub cell: DistrictCell,
}

/// Everything a district's page shows: each project among the district's respondents.
#[derive(Debug, Clone, Serialize)]
pub struct DistrictView {
    /// The wave.
    pub wave_id: i64,
    /// Its name.
    pub wave: String,
    /// When the wave's newest response arrived, milliseconds since the Unix epoch.
    pub as_of_ms: i64,
    /// District code.
    pub district: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// Cells with fewer respondents are suppressed.
    pub minimum_cell: u64,
    /// The projects, in catalogue order.
    pub projects: Vec<DistrictProject>,
}

/// District `district` in wave `wave_id`: each project's scores among its respondents.
pub fn district_view<S: Store>(
    state: &AppState<S>,
    wave_id: i64,
    district: &str,
) -> Result<DistrictView, ApiError> {
    let wave = state.wave(wave_id)?;
    let configuration = &wave.model.configuration;
    let position = configuration
        .districts
        .position(district.as_bytes())
        .ok_or_else(|| ApiError::not_found("没有这个区。", format!("no district {district:?}")))?;
    let entry = &configuration.districts.entries()[usize::from(position)];
    let confidence = EvaluationOptions::default().confidence;
    let snapshot = wave.snapshot();
    let projects = configuration
        .catalogue
        .projects
        .iter()
        .enumerate()
        .map(|(p, project)| {
            let cells = district_breakdown(
                configuration,
                &snapshot.tallies,
                p,
                DEFAULT_MINIMUM_CELL,
                confidence,
            );
            DistrictProject {
                code: project.code.clone(),
                name_zh: project.zh.clone(),
                name_en: project.en.clone(),
                cell: cells[usize::from(position)].clone(),
            }
        })
        .collect();
    Ok(DistrictView {
        wave_id,
        wave: wave.name(),
        as_of_ms: snapshot.updated_at_ms,
        district: entry.code.clone(),
        zh: entry.zh.clone(),
        en: entry.en.clone(),
        minimum_cell: DEFAULT_MINIMUM_CELL,
        projects,
    })
}

/// Whether `visitor` sees the published form of wave-wide outputs, small cells withheld: all
/// but those who read the city's unpublished figures.
pub fn sees_published_outputs<S: Store>(state: &AppState<S>, visitor: &Visitor) -> bool {
    !city_allows(state, visitor, Action::Read, Grade::Restricted)
}

/// `evaluation` as `visitor` may see it (see [`sees_published_outputs`]).
pub fn for_visitor<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    evaluation: Evaluation,
) -> Evaluation {
    if sees_published_outputs(state, visitor) {
        evaluation.with_small_cells_withheld()
    } else {
        evaluation
    }
}

fn take_project(evaluation: Evaluation, code: &str) -> Option<ProjectEvaluation> {
    evaluation.projects.into_iter().find(|p| p.code == code)
}

/// The change from wave `before` to wave `after`.
pub fn comparison<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    before: i64,
    after: i64,
) -> Result<WaveComparison, ApiError> {
    check_comparable(state, visitor, before, after)?;
    let (earlier, later) = (state.wave(before)?, state.wave(after)?);
    let (earlier, _) = earlier.evaluation(&earlier.options());
    let (later, _) = later.evaluation(&later.options());
    Ok(compare_waves(
        &for_visitor(state, visitor, earlier),
        &for_visitor(state, visitor, later),
    ))
}

/// Refuses a comparison of a wave with itself, and one of a wave whose results `visitor` may
/// not read (the guard grades the request from the same waves; this holds whoever calls).
fn check_comparable<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    before: i64,
    after: i64,
) -> Result<(), ApiError> {
    if before == after {
        return Err(ApiError::invalid(
            "after",
            "请选择两轮不同的评价。",
            "choose two different waves",
        ));
    }
    for id in [before, after] {
        state.wave(id)?;
        if !may_read(state, visitor, GradeOf::WaveResults, id, &Target::City) {
            return Err(ApiError::forbidden(
                "所选调查的结果尚未发布。",
                format!("the results of wave {id} are not published"),
            ));
        }
    }
    Ok(())
}

/// The change from wave `before` to wave `after` with both waves weighted to the census and
/// their standard errors from `replicates` bootstrap replicates each.
pub async fn weighted_comparison<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    before: i64,
    after: i64,
    replicates: usize,
) -> Result<WaveComparison, ApiError> {
    check_comparable(state, visitor, before, after)?;
    if replicates < 2 {
        return Err(ApiError::invalid(
            "replicates",
            "加权对比至少需要 2 次重复抽样。",
            "a weighted comparison needs at least 2 replicates",
        ));
    }
    let (earlier, earlier_weighted) =
        robustness_view(state, visitor, before, replicates, 1).await?;
    let (later, later_weighted) = robustness_view(state, visitor, after, replicates, 1).await?;
    Ok(compare_waves(
        &earlier_weighted.applied_to(&earlier),
        &later_weighted.applied_to(&later),
    ))
}

/// Bootstrap replicates of the robustness view unless a request asks otherwise.
pub const DEFAULT_REPLICATES: usize = 1_000;
/// At most this many replicates per request.
pub const MAX_REPLICATES: usize = 10_000;

/// The most bootstrap replicates a visitor who sees published outputs may ask for.
pub const PUBLIC_MAX_REPLICATES: usize = DEFAULT_REPLICATES;

/// A wave's weighted evaluation: weights raked to the census margins (district and sex) when
/// they fit the wave's codes, equal weights otherwise; `replicates` bootstrap replicates for
/// standard errors, quadrant probabilities and rank intervals. Computed on a blocking thread
/// from a copy of the live group sums.
pub async fn robustness_view<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    wave_id: i64,
    replicates: usize,
    seed: u64,
) -> Result<(Evaluation, WeightedEvaluation), ApiError> {
    let published_form = sees_published_outputs(state, visitor);
    // The public may ask for the default at most: a replicate costs every core a moment.
    let most = if published_form {
        PUBLIC_MAX_REPLICATES
    } else {
        MAX_REPLICATES
    };
    if replicates == 1 || replicates > most {
        return Err(ApiError::invalid(
            "replicates",
            format!("重复抽样次数须为 0 或 2 至 {most}，当前为 {replicates}。"),
            format!("must be 0 or between 2 and {most}, got {replicates}"),
        ));
    }
    let wave = state.wave(wave_id)?;
    // One computation per wave at a time; a result holds until the tallies change.
    let mut cache = wave.robustness.lock().await;
    let revision = wave.with_live(|live| live.revision);
    let key = (replicates, seed, published_form, revision);
    if let Some(cached) = cache.iter().find(|entry| entry.key == key) {
        return Ok((*cached.result).clone());
    }
    let result = compute_robustness(&wave, replicates, seed, published_form).await?;
    cache.retain(|entry| entry.key.3 == revision);
    if cache.len() >= crate::app::live::ROBUSTNESS_CACHED {
        cache.remove(0);
    }
    cache.push(crate::app::live::CachedRobustness {
        key,
        result: std::sync::Arc::new(result.clone()),
    });
    Ok(result)
}

/// Computes wave `wave`'s weighted evaluation (see [`robustness_view`]).
async fn compute_robustness(
    wave: &crate::app::live::LiveWave,
    replicates: usize,
    seed: u64,
    published_form: bool,
) -> Result<(Evaluation, WeightedEvaluation), ApiError> {
    let (evaluation, _) = wave.evaluation(&wave.options());
    let groups = wave.groups.lock().expect("group sums lock").clone();
    let configuration = wave.model.configuration.clone();
    tokio::task::spawn_blocking(move || {
        let margins = Margins::census_2020(&configuration)
            .ok()
            .filter(|m| m.variables() == groups.layout().variables);
        let options = RobustnessOptions {
            replicates,
            seed,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            ..RobustnessOptions::default()
        };
        weighted_evaluation(
            &configuration,
            &groups,
            margins.as_ref(),
            &evaluation,
            &options,
        )
        .map(|weighted| {
            if published_form {
                let small = evaluation.small_cells();
                (
                    evaluation.with_small_cells_withheld(),
                    weighted.with_projects_withheld(&small),
                )
            } else {
                (evaluation, weighted)
            }
        })
        .map_err(|error| weighting_refused(&error, &configuration))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the weighted evaluation failed: {e}")))?
}

/// Why a wave cannot be weighted yet, in the reader's words: the category without respondents
/// named as the catalogue names it (a district with nobody in it so far, most often).
fn weighting_refused(
    error: &minxin_domain::evaluation::RobustnessError,
    configuration: &minxin_domain::Configuration,
) -> ApiError {
    use minxin_domain::evaluation::{RobustnessError, WeightingVariable};
    match error {
        RobustnessError::EmptyCategory { variable, code, .. } => {
            let list = match variable {
                WeightingVariable::District => &configuration.districts,
                WeightingVariable::Gender => &configuration.profile.genders,
                WeightingVariable::Education => &configuration.profile.educations,
                WeightingVariable::Occupation => &configuration.profile.occupations,
            };
            let entry = list.entries().iter().find(|entry| entry.code == *code);
            let (zh, en) = entry.map_or((code.as_str(), code.as_str()), |entry| {
                (entry.zh.as_str(), entry.en.as_str())
            });
            ApiError::conflict(
                format!("“{zh}”尚无受访者，暂不能按人口普查结构加权；待该类受访者有答卷后即可查看。"),
                format!("no respondent in {en} yet, so the answers cannot be weighted to the census: {error}"),
            )
        }
        RobustnessError::NobodyWeighted => ApiError::conflict(
            "尚无填写了加权所需各项信息的受访者，暂不能加权。",
            format!("no weighted evaluation yet: {error}"),
        ),
        other => ApiError::conflict(
            "暂不能计算加权结果。",
            format!("no weighted evaluation yet: {other}"),
        ),
    }
}
