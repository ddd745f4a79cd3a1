//! Group commit: one writer takes submissions from a queue, stores as many as are waiting in
//! one transaction (one disk sync), applies them to the live tallies, and only then
//! acknowledges each. Throughput then grows with load instead of being bounded by the sync.

use std::sync::Arc;

use minxin_domain::evaluation::Change;
use minxin_domain::platform::{Store, StoredResponse, SubmitOutcome, ValidSubmission};
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};

use crate::app::error::ApiError;
use crate::app::live::LiveWave;

/// Submissions waiting for the writer, at most.
pub const QUEUE_CAPACITY: usize = 16_384;
/// Submissions stored in one transaction, at most.
pub const MAX_BATCH: usize = 2_048;

/// What became of a submission, as the API reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Acknowledgement {
    /// Stored as the respondent's first response.
    Created,
    /// Stored, replacing the respondent's earlier response.
    Replaced,
    /// A retry of a stored request; nothing changed.
    AlreadyStored,
}

/// Submissions on their way to storage: the answers of one respondent, or a whole import that
/// must be stored in one transaction (all or nothing).
pub struct Job {
    pub(crate) wave: Arc<LiveWave>,
    pub(crate) items: Vec<(StoredResponse, ValidSubmission)>,
    pub(crate) reply: Reply,
}

/// Where the writer sends what became of a job.
pub(crate) enum Reply {
    /// One submission.
    One(oneshot::Sender<Result<Acknowledgement, ApiError>>),
    /// A whole import, committed alone.
    All(oneshot::Sender<Result<Vec<Acknowledgement>, ApiError>>),
}

/// Hands a submission to the writer and waits until it is durable.
pub(crate) async fn submit(
    queue: &mpsc::Sender<Job>,
    wave: Arc<LiveWave>,
    stored: StoredResponse,
    valid: ValidSubmission,
) -> Result<Acknowledgement, ApiError> {
    let (reply, answer) = oneshot::channel();
    send(
        queue,
        Job {
            wave,
            items: vec![(stored, valid)],
            reply: Reply::One(reply),
        },
    )
    .await?;
    answer.await.map_err(|_| dropped())?
}

/// Hands many submissions to the writer, to be stored in one transaction, and waits.
pub(crate) async fn submit_all(
    queue: &mpsc::Sender<Job>,
    wave: Arc<LiveWave>,
    items: Vec<(StoredResponse, ValidSubmission)>,
) -> Result<Vec<Acknowledgement>, ApiError> {
    let (reply, answer) = oneshot::channel();
    send(
        queue,
        Job {
            wave,
            items,
            reply: Reply::All(reply),
        },
    )
    .await?;
    answer.await.map_err(|_| dropped())?
}

async fn send(queue: &mpsc::Sender<Job>, job: Job) -> Result<(), ApiError> {
    queue
        .send(job)
        .await
        .map_err(|_| ApiError::Internal("the intake writer has stopped".into()))
}

fn dropped() -> ApiError {
    ApiError::Internal("the intake writer dropped a submission".into())
}

/// The writer loop; ends when every sender is gone. Consecutive single submissions to one wave
/// share a transaction; an import has one of its own.
pub async fn run_writer<S: Store>(store: S, mut queue: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        while !jobs.is_empty() {
            let wave_id = jobs[0].wave.id();
            let end = match jobs[0].reply {
                Reply::All(_) => 1,
                Reply::One(_) => jobs
                    .iter()
                    .take_while(|job| {
                        job.wave.id() == wave_id && matches!(job.reply, Reply::One(_))
                    })
                    .count(),
            };
            let group: Vec<Job> = jobs.drain(..end).collect();
            let wave = group[0].wave.clone();
            let mut replies = Vec::with_capacity(group.len());
            let mut items = Vec::new();
            for job in group {
                replies.push((job.reply, job.items.len()));
                items.extend(job.items);
            }
            match commit(&store, &wave, items).await {
                Ok(acknowledgements) => {
                    let mut acknowledgements = acknowledgements.into_iter();
                    for (reply, count) in replies {
                        let mine: Vec<Acknowledgement> =
                            acknowledgements.by_ref().take(count).collect();
                        match reply {
                            Reply::One(sender) => {
                                let _ = sender.send(mine.into_iter().next().ok_or_else(dropped));
                            }
                            Reply::All(sender) => {
                                let _ = sender.send(Ok(mine));
                            }
                        }
                    }
                }
                Err(error) => {
                    for (reply, _) in replies {
                        match reply {
                            Reply::One(sender) => {
                                let _ = sender.send(Err(ApiError::from(&error)));
                            }
                            Reply::All(sender) => {
                                let _ = sender.send(Err(ApiError::from(&error)));
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Stores `items` in one transaction, then applies them to the wave's tallies.
async fn commit<S: Store>(
    store: &S,
    wave: &LiveWave,
    items: Vec<(StoredResponse, ValidSubmission)>,
) -> Result<Vec<Acknowledgement>, minxin_domain::platform::StoreError> {
    let (stored, valid): (Vec<StoredResponse>, Vec<ValidSubmission>) = items.into_iter().unzip();
    let outcomes = store.submit_batch(wave.id(), &stored).await?;
    // Lock order: tallies, then group sums (as everywhere).
    let mut live = wave.live.lock().expect("tallies lock");
    let mut groups = wave.groups.lock().expect("group sums lock");
    let mut acknowledgements = Vec::with_capacity(outcomes.len());
    for ((submission, response), outcome) in valid.iter().zip(&stored).zip(outcomes) {
        let key = response.respondent_key.as_slice();
        let acknowledgement = match outcome {
            SubmitOutcome::Created => {
                wave.model.apply(&mut live.tallies, submission, Change::Add);
                wave.model
                    .apply_to_groups(&mut groups, key, submission, Change::Add);
                live.responses += 1;
                live.revision += 1;
                Acknowledgement::Created
            }
            SubmitOutcome::Replaced(earlier) => {
                if let Ok(earlier) = wave.model.from_stored(&earlier) {
                    wave.model
                        .apply(&mut live.tallies, &earlier, Change::Remove);
                    wave.model
                        .apply_to_groups(&mut groups, key, &earlier, Change::Remove);
                }
                wave.model.apply(&mut live.tallies, submission, Change::Add);
                wave.model
                    .apply_to_groups(&mut groups, key, submission, Change::Add);
                live.revision += 1;
                Acknowledgement::Replaced
            }
            SubmitOutcome::AlreadyStored => Acknowledgement::AlreadyStored,
        };
        live.updated_at_ms = live.updated_at_ms.max(response.submitted_at_ms);
        acknowledgements.push(acknowledgement);
    }
    Ok(acknowledgements)
}
