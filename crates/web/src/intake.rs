//! Group commit: one writer takes submissions from a queue, stores as many as are waiting in
//! one transaction (one disk sync), applies them to the live tallies, and only then
//! acknowledges each. Throughput then grows with load instead of being bounded by the sync.

use std::sync::Arc;

use minxin_domain::evaluation::Change;
use minxin_domain::platform::{Store, StoredResponse, SubmitOutcome, ValidSubmission};
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};

use crate::error::ApiError;
use crate::state::LiveWave;

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

/// One submission on its way to storage.
pub struct Job {
    pub(crate) wave: Arc<LiveWave>,
    pub(crate) stored: StoredResponse,
    pub(crate) valid: ValidSubmission,
    pub(crate) reply: oneshot::Sender<Result<Acknowledgement, ApiError>>,
}

/// A job whose stored form went to the database.
struct Pending {
    wave: Arc<LiveWave>,
    valid: ValidSubmission,
    reply: oneshot::Sender<Result<Acknowledgement, ApiError>>,
    submitted_at_ms: i64,
}

/// Hands a submission to the writer and waits until it is durable.
pub(crate) async fn submit(
    queue: &mpsc::Sender<Job>,
    wave: Arc<LiveWave>,
    stored: StoredResponse,
    valid: ValidSubmission,
) -> Result<Acknowledgement, ApiError> {
    let (reply, answer) = oneshot::channel();
    queue
        .send(Job {
            wave,
            stored,
            valid,
            reply,
        })
        .await
        .map_err(|_| ApiError::Internal("the intake writer has stopped".into()))?;
    answer
        .await
        .map_err(|_| ApiError::Internal("the intake writer dropped a submission".into()))?
}

/// The writer loop; ends when every sender is gone.
pub async fn run_writer<S: Store>(store: S, mut queue: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        // Consecutive jobs of one wave go in one transaction.
        while !jobs.is_empty() {
            let wave_id = jobs[0].wave.id();
            let end = jobs
                .iter()
                .take_while(|job| job.wave.id() == wave_id)
                .count();
            commit(&store, wave_id, jobs.drain(..end).collect()).await;
        }
    }
}

async fn commit<S: Store>(store: &S, wave_id: i64, group: Vec<Job>) {
    let (group, stored): (Vec<Pending>, Vec<StoredResponse>) = group
        .into_iter()
        .map(|job| {
            let submitted_at_ms = job.stored.submitted_at_ms;
            (
                Pending {
                    wave: job.wave,
                    valid: job.valid,
                    reply: job.reply,
                    submitted_at_ms,
                },
                job.stored,
            )
        })
        .unzip();
    match store.submit_batch(wave_id, &stored).await {
        Ok(outcomes) => {
            let wave = group[0].wave.clone();
            let mut acknowledgements = Vec::with_capacity(group.len());
            {
                let mut live = wave.live.lock().expect("tallies lock");
                for (job, outcome) in group.iter().zip(outcomes) {
                    let acknowledgement = match outcome {
                        SubmitOutcome::Created => {
                            wave.model.apply(&mut live.tallies, &job.valid, Change::Add);
                            live.responses += 1;
                            Acknowledgement::Created
                        }
                        SubmitOutcome::Replaced(earlier) => {
                            if let Ok(earlier) = wave.model.from_stored(&earlier) {
                                wave.model
                                    .apply(&mut live.tallies, &earlier, Change::Remove);
                            }
                            wave.model.apply(&mut live.tallies, &job.valid, Change::Add);
                            Acknowledgement::Replaced
                        }
                        SubmitOutcome::AlreadyStored => Acknowledgement::AlreadyStored,
                    };
                    live.updated_at_ms = live.updated_at_ms.max(job.submitted_at_ms);
                    acknowledgements.push(acknowledgement);
                }
            }
            for (job, acknowledgement) in group.into_iter().zip(acknowledgements) {
                let _ = job.reply.send(Ok(acknowledgement));
            }
        }
        Err(error) => {
            for job in group {
                let _ = job.reply.send(Err(ApiError::from(&error)));
            }
        }
    }
}
