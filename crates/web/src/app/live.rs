//! A wave being served: its stored record, its configuration (the model that validates and
//! tallies answers), its live tallies and group sums, and their rebuilding from storage at
//! start (page by page, decoding on a blocking thread while the next page is read).

use std::sync::{Arc, Mutex, RwLock};

use minxin_domain::evaluation::{Change, GroupSums, RowCounts, WaveTallies, WeightedEvaluation};
use minxin_domain::platform::{
    ResponseCursor, Store, StoredResponse, WaveModel, WaveRecord, WaveStatus,
};
use minxin_domain::{Evaluation, EvaluationOptions};

use crate::app::error::ApiError;

/// The tallies of a wave and how fresh they are.
#[derive(Debug, Clone)]
pub struct LiveTallies {
    /// The sufficient statistics of the wave's current responses.
    pub tallies: WaveTallies,
    /// Current responses (one per respondent).
    pub responses: u64,
    /// When the tallies last changed, milliseconds since the Unix epoch (0: never).
    pub updated_at_ms: i64,
    /// Changes of the tallies since the server started: results computed at one revision
    /// hold until the next.
    pub revision: u64,
}

/// One wave as the server holds it.
#[derive(Debug)]
pub struct LiveWave {
    /// The stored record (its status changes).
    pub record: RwLock<WaveRecord>,
    /// The configuration the wave runs with.
    pub model: WaveModel,
    /// The live tallies.
    pub live: Mutex<LiveTallies>,
    /// Answer sums per group of respondents, for the weighted evaluation; apart from the
    /// tallies so that a dashboard's snapshot does not copy them. Locked after `live`.
    pub groups: Mutex<GroupSums>,
    /// The weighted evaluations computed lately, newest last (held while one is computed, so
    /// that a crowd asking at once costs one computation).
    pub robustness: tokio::sync::Mutex<Vec<CachedRobustness>>,
}

/// A weighted evaluation computed for one request's parameters at one revision of the tallies.
#[derive(Debug)]
pub struct CachedRobustness {
    /// Replicates, seed, whether in the published form, and the tallies' revision.
    pub key: (usize, u64, bool, u64),
    /// The evaluation and its weighted form.
    pub result: Arc<(Evaluation, WeightedEvaluation)>,
}

/// Weighted evaluations kept per wave.
pub const ROBUSTNESS_CACHED: usize = 4;

impl LiveWave {
    pub(crate) fn new(record: WaveRecord) -> Result<LiveWave, ApiError> {
        let configuration = record.config.configuration().map_err(|e| {
            ApiError::Internal(format!(
                "wave {} has an invalid configuration: {e}",
                record.id
            ))
        })?;
        let model = WaveModel::new(configuration);
        let tallies = model.empty_tallies();
        let groups = model.empty_group_sums();
        Ok(LiveWave {
            record: RwLock::new(record),
            model,
            live: Mutex::new(LiveTallies {
                tallies,
                responses: 0,
                updated_at_ms: 0,
                revision: 0,
            }),
            groups: Mutex::new(groups),
            robustness: tokio::sync::Mutex::new(Vec::new()),
        })
    }

    /// The wave's identifier.
    pub fn id(&self) -> i64 {
        self.record.read().expect("wave lock").id
    }

    /// The wave's status, without copying the record.
    pub fn status(&self) -> WaveStatus {
        self.record.read().expect("wave lock").status
    }

    /// The evaluation's options for this wave: the defaults with the wave's cut-point rule (a
    /// rule that no longer reads falls back to the median, which creation never lets in).
    pub fn options(&self) -> EvaluationOptions {
        let rule = self
            .record
            .read()
            .expect("wave lock")
            .cut_points
            .parse()
            .unwrap_or_default();
        EvaluationOptions {
            cut_points: rule,
            ..EvaluationOptions::default()
        }
    }

    /// Whether the wave takes responses only with a citizen token (read without copying the
    /// record, as intake does for every submission).
    pub fn tokens_required(&self) -> bool {
        self.record.read().expect("wave lock").tokens_required
    }

    /// The wave's name.
    pub fn name(&self) -> String {
        self.record.read().expect("wave lock").name.clone()
    }

    /// The codes of the projects the wave includes, in its catalogue's order.
    pub fn project_codes(&self) -> Vec<String> {
        self.model
            .configuration
            .catalogue
            .projects
            .iter()
            .map(|p| p.code.clone())
            .collect()
    }

    /// The wave's record as it is now (a copy, with its configuration texts).
    pub fn record(&self) -> WaveRecord {
        self.record.read().expect("wave lock").clone()
    }

    /// A snapshot of the live tallies.
    pub fn snapshot(&self) -> LiveTallies {
        self.live.lock().expect("tallies lock").clone()
    }

    /// What `read` takes from the live tallies, under their lock: for callers that need a few
    /// counts, without copying the whole tallies (answer counts by district and pair sums).
    pub fn with_live<R>(&self, read: impl FnOnce(&LiveTallies) -> R) -> R {
        read(&self.live.lock().expect("tallies lock"))
    }

    /// The evaluation of the wave's current responses, with the time of the newest one.
    pub fn evaluation(&self, options: &EvaluationOptions) -> (Evaluation, i64) {
        let snapshot = self.snapshot();
        (self.evaluate(&snapshot, options), snapshot.updated_at_ms)
    }

    /// The evaluation of a snapshot of this wave's tallies.
    pub fn evaluate(&self, snapshot: &LiveTallies, options: &EvaluationOptions) -> Evaluation {
        let ratings: u64 = snapshot.tallies.project_rows.iter().sum();
        let rows = RowCounts {
            read: ratings,
            used: ratings,
            rejected: 0,
            other_waves: 0,
        };
        Evaluation::from_tallies(
            &self.model.configuration,
            &snapshot.tallies,
            options,
            Some(self.name()),
            rows,
        )
    }
}

/// What one page of stored responses adds to a wave's tallies.
struct PageTallies {
    tallies: WaveTallies,
    groups: GroupSums,
    responses: u64,
    newest_ms: i64,
}

/// Decodes and tallies one page of stored responses (on a blocking thread).
fn tally_page(wave: &LiveWave, responses: &[StoredResponse]) -> PageTallies {
    let mut page = PageTallies {
        tallies: wave.model.empty_tallies(),
        groups: wave.model.empty_group_sums(),
        responses: 0,
        newest_ms: 0,
    };
    for stored in responses {
        match wave.model.from_stored(stored) {
            Ok(valid) => {
                wave.model.apply(&mut page.tallies, &valid, Change::Add);
                wave.model.apply_to_groups(
                    &mut page.groups,
                    &stored.respondent_key,
                    &valid,
                    Change::Add,
                );
                page.responses += 1;
                page.newest_ms = page.newest_ms.max(stored.submitted_at_ms);
            }
            Err(error) => tracing::warn!(
                wave = wave.id(),
                %error,
                "a stored response is no longer valid and is left out"
            ),
        }
    }
    page
}

/// Rebuilds a wave's tallies from its stored responses, page by page: while one page is
/// decoded on a blocking thread, the next is read, so start-up uses both the database and a
/// core for decoding.
pub(crate) async fn rebuild_tallies<S: Store>(
    store: &S,
    wave: &Arc<LiveWave>,
    page_size: usize,
) -> Result<(), ApiError> {
    let mut from: Option<ResponseCursor> = None;
    let mut decoding: Option<tokio::task::JoinHandle<PageTallies>> = None;
    loop {
        let page = store.responses(wave.id(), from.as_ref(), page_size).await?;
        if let Some(previous) = decoding.take() {
            add_page(wave, previous).await?;
        }
        let responses = page.responses;
        if !responses.is_empty() {
            let decoder = wave.clone();
            decoding = Some(tokio::task::spawn_blocking(move || {
                tally_page(&decoder, &responses)
            }));
        }
        match page.next {
            Some(next) => from = Some(next),
            None => break,
        }
    }
    if let Some(last) = decoding.take() {
        add_page(wave, last).await?;
    }
    Ok(())
}

async fn add_page(
    wave: &LiveWave,
    decoding: tokio::task::JoinHandle<PageTallies>,
) -> Result<(), ApiError> {
    let page = decoding
        .await
        .map_err(|e| ApiError::Internal(format!("decoding stored responses failed: {e}")))?;
    let mut live = wave.live.lock().expect("tallies lock");
    live.tallies.merge(&page.tallies);
    wave.groups
        .lock()
        .expect("group sums lock")
        .merge(&page.groups);
    live.responses += page.responses;
    live.revision += 1;
    live.updated_at_ms = live.updated_at_ms.max(page.newest_ms);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use minxin_domain::platform::{
        Attribution, NewWave, ProfileInput, RatingInput, SubmissionInput, WaveConfigTexts,
        WaveStore,
    };
    use std::collections::BTreeMap;

    #[tokio::test]
    async fn tallies_rebuilt_in_small_pages_equal_those_rebuilt_in_one() {
        let folder = tempfile::tempdir().unwrap();
        let store = minxin_storage::SqliteStore::open(&folder.path().join("m.db"))
            .await
            .unwrap();
        let by = Attribution {
            actor: "test".into(),
            at_ms: 1,
        };
        let record = store
            .create_wave(
                &NewWave {
                    name: "pages".into(),
                    period_start: None,
                    period_end: None,
                    quotas: BTreeMap::new(),
                    config: WaveConfigTexts::defaults(),
                    tokens_required: false,
                    cut_points: "median".into(),
                },
                &by,
            )
            .await
            .unwrap();
        store
            .set_wave_status(record.id, WaveStatus::Open, &by)
            .await
            .unwrap();
        let model = WaveModel::new(record.config.configuration().unwrap());
        let districts = ["310101", "310104", "310115"];
        let responses: Vec<StoredResponse> = (0..25u32)
            .map(|k| {
                let input = SubmissionInput {
                    channel: Some("app".into()),
                    profile: ProfileInput {
                        district: districts[k as usize % 3].into(),
                        gender: None,
                        age: Some(20 + k),
                        education: None,
                        occupation: None,
                    },
                    ratings: vec![RatingInput {
                        project: "parking".into(),
                        answers: [("awareness".to_string(), Some(1 + k % 5))].into(),
                    }],
                };
                let valid = model.validate(input).unwrap();
                valid.to_stored(vec![k as u8; 32], None, i64::from(k))
            })
            .collect();
        store.submit_batch(record.id, &responses).await.unwrap();
        let rebuilt = |page| {
            let store = store.clone();
            let record = record.clone();
            async move {
                let wave = Arc::new(LiveWave::new(record).unwrap());
                rebuild_tallies(&store, &wave, page).await.unwrap();
                wave.snapshot()
            }
        };
        let (small, whole) = (rebuilt(4).await, rebuilt(1000).await);
        assert_eq!(small.tallies, whole.tallies);
        assert_eq!((small.responses, small.updated_at_ms), (25, 24));
        assert_eq!(whole.tallies.respondents(), 25);
    }
}
