//! The waves and responses port: a wave's life (draft, open, closed) and the responses it
//! takes, stored in batches and read back a page at a time.

use std::future::Future;

use super::StoreError;
use crate::platform::account::Attribution;
use crate::platform::wave::{NewWave, WaveRecord, WaveStatus};

/// Waves and their responses.
pub trait WaveStore: Send + Sync {
    /// Creates a wave in the draft status.
    fn create_wave(
        &self,
        wave: &NewWave,
        by: &Attribution,
    ) -> impl Future<Output = Result<WaveRecord, StoreError>> + Send;
    /// Replaces what a draft wave is (name, period, quotas, configuration, rules), keeping its
    /// number and status; a wave that has left the draft status is not edited.
    fn update_draft_wave(
        &self,
        id: i64,
        wave: &NewWave,
        by: &Attribution,
    ) -> impl Future<Output = Result<WaveRecord, StoreError>> + Send;
    /// All waves, newest first.
    fn waves(&self) -> impl Future<Output = Result<Vec<WaveRecord>, StoreError>> + Send;
    /// One wave.
    fn wave(&self, id: i64) -> impl Future<Output = Result<WaveRecord, StoreError>> + Send;
    /// Opens or closes a wave.
    fn set_wave_status(
        &self,
        id: i64,
        status: WaveStatus,
        by: &Attribution,
    ) -> impl Future<Output = Result<WaveRecord, StoreError>> + Send;
    /// Stores a batch of responses to one open wave in one transaction (durable when it
    /// returns), replacing a respondent's earlier response; one outcome per response, in order.
    fn submit_batch(
        &self,
        wave: i64,
        responses: &[StoredResponse],
    ) -> impl Future<Output = Result<Vec<SubmitOutcome>, StoreError>> + Send;
    /// Gets ready to take responses for an open wave, so that its first batch does not wait
    /// while the backend loads what it needs to find respondents (SQLite reads the wave's
    /// respondent keys into memory; PostgreSQL needs nothing).
    fn prepare_intake(&self, wave: i64) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Up to `limit` current responses of a wave, starting where `from` says (the first page
    /// when `None`): pages of a wave's responses, to rebuild its tallies in bounded memory.
    /// The order is the backend's own; following `next` visits every response once.
    fn responses(
        &self,
        wave: i64,
        from: Option<&ResponseCursor>,
        limit: usize,
    ) -> impl Future<Output = Result<ResponsePage, StoreError>> + Send;
}

/// A response as stored: the respondent's keyed hash, the profile codes and the ratings as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    /// HMAC of the respondent's token: never the token itself.
    pub respondent_key: Vec<u8>,
    /// The key a channel sent to make retries safe.
    pub idempotency_key: Option<String>,
    /// Channel code.
    pub channel: Option<String>,
    /// District code.
    pub district: String,
    /// Gender code.
    pub gender: Option<String>,
    /// Age in years.
    pub age: Option<i64>,
    /// Education code.
    pub education: Option<String>,
    /// Occupation code.
    pub occupation: Option<String>,
    /// The ratings as JSON (`[{"project": ..., "answers": {...}}]`).
    pub ratings: String,
    /// When it was received, milliseconds since the Unix epoch.
    pub submitted_at_ms: i64,
}

/// What storing one response did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// A new respondent.
    Created,
    /// The respondent had answered before; this is what their earlier response was.
    Replaced(Box<StoredResponse>),
    /// The same idempotency key as the respondent's stored response: nothing changed.
    AlreadyStored,
}

/// Where the next page of a wave's responses begins. Opaque: each backend decides what it
/// holds (a row number, a respondent key) and only reads back cursors it made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseCursor(pub Vec<u8>);

/// One page of a wave's responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponsePage {
    /// The responses, at most the `limit` asked for.
    pub responses: Vec<StoredResponse>,
    /// Where the next page begins; `None` after the last page.
    pub next: Option<ResponseCursor>,
}
