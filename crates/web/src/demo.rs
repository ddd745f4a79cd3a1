//! Loading the synthetic demo into a fresh platform: the demo responses as a closed wave, and a
//! second, open wave ready for new answers. Both names say the data are synthetic.

use std::collections::BTreeMap;

use minxin_domain::platform::{NewWave, Store, SubmissionsFromRows, WaveConfigTexts, WaveStatus};
use minxin_domain::{ColumnLayout, Configuration};

use crate::error::ApiError;
use crate::state::AppState;

/// Name of the closed demo wave.
pub const DEMO_CLOSED_WAVE: &str = "2021 民心工程评价(合成演示数据)";
/// Name of the open demo wave.
pub const DEMO_OPEN_WAVE: &str = "2026 民心工程评价(演示,开放中)";

/// Loads the demo when the platform has no wave yet; returns whether it did.
pub async fn load_demo<S: Store>(state: &AppState<S>, seed: u64) -> Result<bool, ApiError> {
    if !state.waves().is_empty() {
        return Ok(false);
    }
    let configuration = Configuration::defaults();
    let data = minxin_demo::generate(&configuration, seed)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let layout = ColumnLayout::from_header(&data.header, &configuration.instrument)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let quotas: BTreeMap<String, u64> = minxin_demo::profile::DISTRICT_COUNTS
        .iter()
        .map(|(code, count)| (code.to_string(), *count as u64))
        .collect();
    let closed = state
        .create_wave(NewWave {
            name: DEMO_CLOSED_WAVE.into(),
            period_start: Some("2021-06-01".into()),
            period_end: Some("2021-06-30".into()),
            quotas: quotas.clone(),
            config: WaveConfigTexts::defaults(),
        })
        .await?;
    state.set_status(closed.id(), WaveStatus::Open).await?;
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
                crate::api::accept_submission(
                    &state,
                    wave,
                    Some(&id),
                    None,
                    submission,
                    crate::api::Submitter::Operator,
                )
                .await
            })
        })
        .collect();
    for task in pending {
        task.await
            .map_err(|e| ApiError::Internal(e.to_string()))??;
    }
    state.set_status(closed.id(), WaveStatus::Closed).await?;
    let open = state
        .create_wave(NewWave {
            name: DEMO_OPEN_WAVE.into(),
            period_start: Some("2026-11-01".into()),
            period_end: None,
            quotas,
            config: WaveConfigTexts::defaults(),
        })
        .await?;
    state.set_status(open.id(), WaveStatus::Open).await?;
    Ok(true)
}
