//! The state every handler shares: the waves being served (each a [`LiveWave`]), the store,
//! the intake's queue, the limits, the keys, and the decisions and organisation in force.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use minxin_domain::advancement::register::Register;
use minxin_domain::decision::{in_force, published, Decision, NewDecision};
use minxin_domain::organisation::Organisation;
use minxin_domain::platform::{Attribution, NewWave, Store, WaveStatus};
use minxin_domain::subject::Subject;
use tokio::sync::mpsc;

use crate::app::error::ApiError;
use crate::app::identity::RespondentSecret;
use crate::app::intake::{self, Job};
use crate::app::limits::{AbuseLimits, LimitSettings};
use crate::app::live::{rebuild_tallies, LiveWave};
use crate::app::portal::PortalKeys;

/// Responses read per query when tallies are rebuilt at start.
const REBUILD_PAGE: usize = 10_000;
/// Everything the handlers share. Cloned for every request (by each extractor and middleware
/// that takes the state), so it is one reference-counted pointer: a clone is one atomic
/// increment rather than one per field, which under load on several cores costs microseconds.
pub struct AppState<S: Store>(Arc<SharedState<S>>);

/// What [`AppState`] points to.
pub struct SharedState<S: Store> {
    /// The database.
    pub store: S,
    /// The key of respondent hashes.
    pub secret: RespondentSecret,
    waves: Arc<RwLock<BTreeMap<i64, Arc<LiveWave>>>>,
    intake: mpsc::Sender<Job>,
    limits: Arc<AbuseLimits>,
    /// The keys that sign citizen tokens, per channel.
    portal_keys: Arc<PortalKeys>,
    /// The organisation, read by every guarded request, reloaded after each change.
    organisation: Arc<RwLock<Organisation>>,
    /// The project register, read by most advancement pages, reloaded with the organisation.
    register: Arc<RwLock<Arc<Register>>>,
    /// Every major decision, in the order recorded (a few per wave).
    decisions: Arc<RwLock<Vec<Decision>>>,
}

/// How often the server looks for changes of the organisation made outside it (by `minxin
/// org` on the server's machine).
pub const ORGANISATION_POLL: std::time::Duration = std::time::Duration::from_secs(2);

/// Keeps the served organisation and register in step with storage: every change of them is
/// written with an audit entry, so when the trail's head has moved both are read again (one
/// row read every [`ORGANISATION_POLL`] otherwise). Ends when the state is dropped.
async fn watch_organisation<S: Store>(
    store: S,
    organisation: std::sync::Weak<RwLock<Organisation>>,
    register: std::sync::Weak<RwLock<Arc<Register>>>,
    mut seen: u64,
) {
    loop {
        tokio::time::sleep(ORGANISATION_POLL).await;
        let (Some(served), Some(served_register)) = (organisation.upgrade(), register.upgrade())
        else {
            return;
        };
        let Ok(Some(head)) = store.audit_head().await else {
            continue;
        };
        if head.count == seen {
            continue;
        }
        if let (Ok(current), Ok(current_register)) =
            (store.organisation().await, store.register().await)
        {
            *served.write().expect("organisation lock") = current;
            *served_register.write().expect("register lock") = Arc::new(current_register);
            seen = head.count;
        }
    }
}

impl<S: Store> Clone for AppState<S> {
    fn clone(&self) -> Self {
        AppState(self.0.clone())
    }
}

impl<S: Store> std::ops::Deref for AppState<S> {
    type Target = SharedState<S>;

    fn deref(&self) -> &SharedState<S> {
        &self.0
    }
}

impl<S: Store> AppState<S> {
    /// Loads every wave, rebuilds its tallies from the stored responses, and starts the intake
    /// writer. Must run inside a Tokio runtime.
    pub async fn start(store: S, secret: RespondentSecret) -> Result<AppState<S>, ApiError> {
        let mut waves = BTreeMap::new();
        for record in store.waves().await? {
            let open = record.status == WaveStatus::Open;
            let wave = Arc::new(LiveWave::new(record)?);
            // An open wave's storage gets ready for intake while its tallies are rebuilt.
            let prepare = async {
                if open {
                    store.prepare_intake(wave.id()).await?;
                }
                Ok::<(), ApiError>(())
            };
            let (rebuilt, prepared) =
                tokio::join!(rebuild_tallies(&store, &wave, REBUILD_PAGE), prepare);
            rebuilt?;
            prepared?;
            waves.insert(wave.id(), wave);
        }
        let seen = store.audit_head().await?.map_or(0, |head| head.count);
        let organisation = Arc::new(RwLock::new(store.organisation().await?));
        let register = Arc::new(RwLock::new(Arc::new(store.register().await?)));
        let decisions = store.decisions().await?;
        let (sender, receiver) = mpsc::channel(intake::QUEUE_CAPACITY);
        tokio::spawn(intake::run_writer(store.clone(), receiver));
        tokio::spawn(watch_organisation(
            store.clone(),
            Arc::downgrade(&organisation),
            Arc::downgrade(&register),
            seen,
        ));
        Ok(AppState(Arc::new(SharedState {
            store,
            secret,
            waves: Arc::new(RwLock::new(waves)),
            intake: sender,
            limits: Arc::new(AbuseLimits::new(LimitSettings::default())),
            portal_keys: Arc::new(PortalKeys::none()),
            organisation,
            register,
            decisions: Arc::new(RwLock::new(decisions)),
        })))
    }

    /// The wave with `id`.
    pub fn wave(&self, id: i64) -> Result<Arc<LiveWave>, ApiError> {
        self.waves
            .read()
            .expect("waves lock")
            .get(&id)
            .cloned()
            .ok_or_else(|| {
                ApiError::not_found(
                    format!("找不到编号为 {id} 的调查。"),
                    format!("no wave with id {id}"),
                )
            })
    }

    /// All waves, newest first.
    pub fn waves(&self) -> Vec<Arc<LiveWave>> {
        self.waves
            .read()
            .expect("waves lock")
            .values()
            .rev()
            .cloned()
            .collect()
    }

    /// Creates a wave (draft), attributed to `by`.
    pub async fn create_wave(
        &self,
        wave: NewWave,
        by: &Attribution,
    ) -> Result<Arc<LiveWave>, ApiError> {
        let configuration = wave.config.configuration().map_err(|e| {
            ApiError::invalid("config", "调查的配置有误，未能创建。", e.to_string())
        })?;
        self.check_registered(&configuration).await?;
        let record = self.store.create_wave(&wave, by).await?;
        self.serve(record)
    }

    /// Refuses a survey of a project the register does not hold (a platform without a register
    /// refuses none).
    async fn check_registered(
        &self,
        configuration: &minxin_domain::Configuration,
    ) -> Result<(), ApiError> {
        let problems = self.register().unregistered(&configuration.catalogue);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid { problems })
        }
    }

    /// Serves the wave `record` holds, in place of any served under its number.
    fn serve(
        &self,
        record: minxin_domain::platform::WaveRecord,
    ) -> Result<Arc<LiveWave>, ApiError> {
        let live = Arc::new(LiveWave::new(record)?);
        self.waves
            .write()
            .expect("waves lock")
            .insert(live.id(), live.clone());
        Ok(live)
    }

    /// Replaces what draft wave `id` is, attributed to `by`; the wave is served anew with its
    /// new configuration (a draft has no responses to keep).
    pub async fn update_draft(
        &self,
        id: i64,
        wave: NewWave,
        by: &Attribution,
    ) -> Result<Arc<LiveWave>, ApiError> {
        self.wave(id)?;
        let configuration = wave.config.configuration().map_err(|e| {
            ApiError::invalid("config", "调查的配置有误，未能保存。", e.to_string())
        })?;
        self.check_registered(&configuration).await?;
        let record = self.store.update_draft_wave(id, &wave, by).await?;
        self.serve(record)
    }

    /// Opens or closes a wave, attributed to `by`; a wave whose results are published is not
    /// reopened until they are withdrawn.
    pub async fn set_status(
        &self,
        id: i64,
        status: WaveStatus,
        by: &Attribution,
    ) -> Result<Arc<LiveWave>, ApiError> {
        let wave = self.wave(id)?;
        if status == WaveStatus::Open && self.is_published(id) {
            // Published figures stay as published: new answers would change them under the
            // public's eyes. The office withdraws the results first (a decision), then reopens.
            return Err(ApiError::conflict(
                "本次调查的结果已发布；须先由市协调办撤回发布，才能重新开放答卷。",
                format!("the results of wave {id} are published; withdraw them (a decision of the coordination office) before reopening the wave"),
            ));
        }
        let record = self.store.set_wave_status(id, status, by).await?;
        *wave.record.write().expect("wave lock") = record;
        if status == WaveStatus::Open {
            self.store.prepare_intake(id).await?;
        }
        Ok(wave)
    }

    /// The organisation as last loaded (held briefly: a read lock).
    pub fn organisation(&self) -> std::sync::RwLockReadGuard<'_, Organisation> {
        self.organisation.read().expect("organisation lock")
    }

    /// Reads the organisation again after a change.
    pub async fn reload_organisation(&self) -> Result<(), ApiError> {
        let organisation = self.store.organisation().await?;
        *self.organisation.write().expect("organisation lock") = organisation;
        Ok(())
    }

    /// The project register as last loaded: read once at start, again after each load on
    /// the web and whenever the audit trail shows a change made elsewhere.
    pub fn register(&self) -> Arc<Register> {
        self.register.read().expect("register lock").clone()
    }

    /// Reads the register (and the organisation it adds departments to) again after a load.
    pub async fn reload_register(&self) -> Result<(), ApiError> {
        let register = Arc::new(self.store.register().await?);
        *self.register.write().expect("register lock") = register;
        self.reload_organisation().await
    }

    /// Whether the results of wave `id` are published (by the decision in force).
    pub fn is_published(&self, id: i64) -> bool {
        published(
            &self.decisions.read().expect("decisions lock"),
            &Subject::Wave(id),
        )
    }

    /// The decision in force about wave `id`'s results, if any.
    pub fn publication(&self, id: i64) -> Option<Decision> {
        self.decision_in_force(&Subject::Wave(id))
    }

    /// The decision in force about `subject` (`wave/3`), if any.
    pub fn decision_in_force(&self, subject: &Subject) -> Option<Decision> {
        in_force(&self.decisions.read().expect("decisions lock"), subject).cloned()
    }

    /// Every decision, in the order recorded.
    pub fn decisions(&self) -> Vec<Decision> {
        self.decisions.read().expect("decisions lock").clone()
    }

    /// Records a decision and keeps it in memory.
    pub async fn record_decision(&self, decision: &NewDecision) -> Result<Decision, ApiError> {
        let recorded = self.store.record_decision(decision).await?;
        self.decisions
            .write()
            .expect("decisions lock")
            .push(recorded.clone());
        Ok(recorded)
    }

    /// Records a decision moving a project's stage (checked by the store), keeping the
    /// decisions in force in step.
    pub async fn move_stage(&self, decision: &NewDecision) -> Result<Decision, ApiError> {
        let recorded = self.store.move_stage(decision).await?;
        self.decisions
            .write()
            .expect("decisions lock")
            .push(recorded.clone());
        Ok(recorded)
    }

    /// The same state with other limits on anonymous submissions (shared with the clones
    /// of the state it was made from, but for the limits).
    pub fn with_limits(self, settings: LimitSettings) -> Self {
        self.rebuilt(
            Arc::new(AbuseLimits::new(settings)),
            self.portal_keys.clone(),
        )
    }

    /// The same state with the keys that sign citizen tokens (without any, every token is
    /// refused and only anonymous responses are taken).
    pub fn with_portal_keys(self, keys: PortalKeys) -> Self {
        self.rebuilt(self.limits.clone(), Arc::new(keys))
    }

    fn rebuilt(&self, limits: Arc<AbuseLimits>, portal_keys: Arc<PortalKeys>) -> Self {
        let shared = &self.0;
        AppState(Arc::new(SharedState {
            store: shared.store.clone(),
            secret: shared.secret.clone(),
            waves: shared.waves.clone(),
            intake: shared.intake.clone(),
            limits,
            portal_keys,
            organisation: shared.organisation.clone(),
            register: shared.register.clone(),
            decisions: shared.decisions.clone(),
        }))
    }

    /// The keys that sign citizen tokens.
    pub fn portal_keys(&self) -> &PortalKeys {
        &self.portal_keys
    }

    /// The limits on anonymous submissions.
    pub fn limits(&self) -> &AbuseLimits {
        &self.limits
    }

    /// The queue of the intake writer.
    pub(crate) fn intake(&self) -> &mpsc::Sender<Job> {
        &self.intake
    }
}
