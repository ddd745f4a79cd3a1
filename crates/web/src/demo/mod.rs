//! Loading the synthetic demo into a fresh platform: the demo responses as a closed wave whose
//! results the coordination office has published, a second, open wave ready for new answers
//! (both names say the data are synthetic), the project register (Shanghai's 16 projects with
//! illustrative departments, leaders and duties), the organisation (the 16 districts, one
//! street), each project's 2021 plan and stage (`advancement`), a joint meeting with its action
//! items and a supervision notice (`meeting`), and an example user for each
//! role, all with the password [`DEMO_PASSWORD`] (documented in the README; a demo is not a deployment).

mod advancement;
mod meeting;

use std::collections::BTreeMap;

use minxin_domain::access::Role;
use minxin_domain::advancement::register::Register;
use minxin_domain::decision::{DecisionKind, NewDecision};
use minxin_domain::organisation::{Assignment, OrgUnit, Scope, UnitKind};
use minxin_domain::platform::{
    Account, Attribution, NewWave, Store, SubmissionsFromRows, WaveConfigTexts, WaveStatus,
};
use minxin_domain::subject::Subject;
use minxin_domain::{ColumnLayout, Configuration};

use crate::app::accounts::hash_password;
use crate::app::error::ApiError;
use crate::app::state::AppState;

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "minxin-demo-2026";

/// The demo users: account, name shown, role, scope.
pub const DEMO_USERS: [(&str, &str, Role, &str); 6] = [
    ("office", "市协调办 演示用户", Role::CoordinationOffice, ""),
    (
        "commerce",
        "市商务委 演示用户",
        Role::LeadDepartment,
        "commerce",
    ),
    (
        "planning",
        "市规划资源局 演示用户",
        Role::ParticipatingDepartment,
        "planning",
    ),
    (
        "huangpu",
        "黄浦区 演示用户",
        Role::DistrictOfficer,
        "310101",
    ),
    ("evaluator", "第三方评估 演示用户", Role::Evaluator, ""),
    ("auditor", "审计监督 演示用户", Role::Auditor, ""),
];

/// Creates the demo organisation and users (attributed to `system:demo`).
async fn load_demo_organisation<S: Store>(
    state: &AppState<S>,
    configuration: &Configuration,
    by: &Attribution,
) -> Result<(), ApiError> {
    let store = &state.store;
    // The register names the departments and their parts in the projects.
    store.load_register(&Register::shanghai(), by).await?;
    for district in configuration.districts.entries() {
        let unit = OrgUnit {
            code: district.code.clone(),
            kind: UnitKind::District,
            name_zh: district.zh.clone(),
            name_en: district.en.clone(),
            parent: None,
        };
        store.put_unit(&unit, by).await?;
    }
    let street = OrgUnit {
        code: "310101-nanjing-east".into(),
        kind: UnitKind::Street,
        name_zh: "南京东路街道".into(),
        name_en: "East Nanjing Road subdistrict".into(),
        parent: Some("310101".into()),
    };
    store.put_unit(&street, by).await?;
    state.reload_register().await?;
    let hash = hash_password(DEMO_PASSWORD).map_err(ApiError::Internal)?;
    for (name, display_name, role, scope) in DEMO_USERS {
        let account = Account {
            name: name.into(),
            display_name: display_name.into(),
            password_hash: hash.clone(),
            disabled: false,
            created_at_ms: by.at_ms,
            failed_sign_ins: 0,
            locked_until_ms: 0,
        };
        store.create_account(&account, by).await?;
        let assignment = Assignment {
            role,
            scope: Scope::from_code(scope),
        };
        state
            .organisation()
            .check_assignment(&assignment)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        store.grant(name, &assignment, by).await?;
    }
    Ok(())
}

/// Name of the closed demo wave.
pub const DEMO_CLOSED_WAVE: &str = "2021 民心工程评价（合成演示数据）";
/// Name of the open demo wave.
pub const DEMO_OPEN_WAVE: &str = "2026 民心工程评价（演示，开放中）";

/// Loads the demo when the platform has no wave yet; returns whether it did.
pub async fn load_demo<S: Store>(state: &AppState<S>, seed: u64) -> Result<bool, ApiError> {
    if !state.waves().is_empty() {
        return Ok(false);
    }
    let configuration = Configuration::defaults();
    let by = Attribution {
        actor: "system:demo".into(),
        at_ms: crate::app::clock::now_ms(),
    };
    load_demo_organisation(state, &configuration, &by).await?;
    let data = minxin_demo::generate(&configuration, seed)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let layout = ColumnLayout::from_header(&data.header, &configuration.instrument)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let quotas: BTreeMap<String, u64> = minxin_demo::profile::DISTRICT_COUNTS
        .iter()
        .map(|(code, count)| (code.to_string(), *count as u64))
        .collect();
    let closed = state
        .create_wave(
            NewWave {
                name: DEMO_CLOSED_WAVE.into(),
                period_start: Some("2021-06-01".into()),
                period_end: Some("2021-06-30".into()),
                quotas: quotas.clone(),
                config: WaveConfigTexts::defaults(),
                tokens_required: false,
                cut_points: minxin_demo::DEMO_CUT_POINTS.to_string(),
            },
            &by,
        )
        .await?;
    state.set_status(closed.id(), WaveStatus::Open, &by).await?;
    let mut gathering = SubmissionsFromRows::new(&layout, &configuration.instrument);
    for row in &data.rows {
        gathering.add(row.as_slice());
    }
    let submissions = gathering.finish();
    let pending: Vec<_> = submissions
        .into_iter()
        .map(|(id, submission)| {
            let state = state.clone();
            let wave = closed.id();
            tokio::spawn(async move {
                crate::areas::survey::api::accept_submission(
                    &state,
                    wave,
                    crate::areas::survey::api::Respondent::Subject(&id),
                    None,
                    submission,
                    crate::areas::survey::api::Submitter::Operator,
                )
                .await
            })
        })
        .collect();
    for task in pending {
        task.await
            .map_err(|e| ApiError::Internal(e.to_string()))??;
    }
    state
        .set_status(closed.id(), WaveStatus::Closed, &by)
        .await?;
    state
        .record_decision(&NewDecision {
            kind: DecisionKind::PublishResults,
            subject: Subject::Wave(closed.id()),
            decided_by: "office".into(),
            decided_by_name: DEMO_USERS[0].1.into(),
            decided_at_ms: by.at_ms,
            statement: "演示：发布 2021 年度评价结果。".into(),
            supersedes: None,
        })
        .await?;
    let open = state
        .create_wave(
            NewWave {
                name: DEMO_OPEN_WAVE.into(),
                period_start: Some("2026-11-01".into()),
                period_end: None,
                quotas,
                config: WaveConfigTexts::defaults(),
                tokens_required: false,
                cut_points: minxin_demo::DEMO_CUT_POINTS.to_string(),
            },
            &by,
        )
        .await?;
    state.set_status(open.id(), WaveStatus::Open, &by).await?;
    advancement::load(
        state,
        (DEMO_USERS[0].0, DEMO_USERS[0].1),
        (DEMO_USERS[1].0, DEMO_USERS[1].1, DEMO_USERS[1].3),
        by.at_ms,
    )
    .await?;
    Ok(true)
}
