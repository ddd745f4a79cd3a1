//! Accepting a submission (from the API, the questionnaire, an import or the demo) and the
//! submission endpoint of the API.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use minxin_domain::platform::{Store, SubmissionInput, WaveStatus};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::client::ClientAddress;
use crate::app::clock::now_ms;
use crate::app::error::ApiError;
use crate::app::identity::RespondentSecret;
use crate::app::intake::{self, Acknowledgement};
use crate::app::state::AppState;

/// The body of `POST /api/v1/waves/{id}/responses`: the submission plus the respondent's token.
/// (Fields are listed rather than flattened: serde's `flatten` buffers the whole body.)
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitBody {
    /// The opaque token the portal or app handed over; absent for an anonymous response.
    #[serde(default)]
    pub token: Option<String>,
    /// Survey channel code.
    #[serde(default)]
    pub channel: Option<String>,
    /// Who answered.
    pub profile: minxin_domain::platform::ProfileInput,
    /// The projects rated.
    pub ratings: Vec<minxin_domain::platform::RatingInput>,
}

/// Who hands a submission in: a citizen's client over HTTP, or the operator (demo loading).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitter {
    /// A client at this address; anonymous submissions count against its allowance.
    Client(std::net::IpAddr),
    /// The platform itself; no limit applies.
    Operator,
}

/// Who answered, as far as the platform may know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Respondent<'a> {
    /// A citizen a portal handed over with a signed token (see [`crate::app::portal`]).
    Token(&'a str),
    /// A person the platform itself vouches for by the portal's pseudonymous identifier (the
    /// demo's loader); never what a client sends.
    Subject(&'a str),
    /// Nobody known: a response that replaces no other.
    Anonymous,
}

impl<'a> Respondent<'a> {
    /// The respondent of a submission that carries `token` (anonymous when it is absent or
    /// empty; anything else must be a signed token).
    pub fn from_token(token: Option<&'a str>) -> Respondent<'a> {
        match token.filter(|t| !t.is_empty()) {
            Some(token) => Respondent::Token(token),
            None => Respondent::Anonymous,
        }
    }
}

/// Checks, stores and acknowledges one submission; `Ok` only once it is durable. A token must
/// be one a configured portal signed for this wave and not expired; the response is then
/// recorded under the token's channel and keyed by the wave and the token's subject, so a
/// person handed over twice has one response. An anonymous submission from a client takes one
/// from the client's allowance once it is valid, and is refused by a wave that requires tokens.
pub async fn accept_submission<S: Store>(
    state: &AppState<S>,
    wave_id: i64,
    respondent: Respondent<'_>,
    idempotency_key: Option<String>,
    mut submission: SubmissionInput,
    submitter: Submitter,
) -> Result<Acknowledgement, ApiError> {
    let wave = state.wave(wave_id)?;
    let status = wave.status();
    if status != WaveStatus::Open {
        return Err(crate::app::error::not_open(wave_id, status));
    }
    let subject = match respondent {
        Respondent::Token(token) => {
            let verified = state
                .portal_keys()
                .verify(token, wave_id, now_ms() / 1000)
                .map_err(|error| {
                    ApiError::forbidden(
                        "您的身份凭证无效或已过期，请从“一网通办”或“随申办”重新进入问卷。",
                        error.to_string(),
                    )
                })?;
            match &submission.channel {
                Some(channel) if *channel != verified.channel => {
                    return Err(ApiError::forbidden(
                        "您的身份凭证来自另一个渠道，请从原渠道进入问卷。",
                        format!(
                            "the citizen token was issued through channel {:?}, not {channel:?}",
                            verified.channel
                        ),
                    ))
                }
                _ => submission.channel = Some(verified.channel),
            }
            Some(verified.subject)
        }
        Respondent::Subject(subject) => Some(subject.to_string()),
        Respondent::Anonymous => {
            if wave.tokens_required() {
                return Err(ApiError::forbidden(
                    "本次调查须通过“一网通办”或“随申办”进入填写。",
                    format!("wave {wave_id} takes responses only through the city's portal or app (a citizen token is required)"),
                ));
            }
            None
        }
    };
    let valid = wave.model.validate(submission)?;
    let key = match subject {
        Some(subject) => state.secret.respondent_key(wave_id, &subject),
        None => {
            if let Submitter::Client(address) = submitter {
                state.limits().allow_anonymous(address)?;
            }
            // A retry of an anonymous submission (same idempotency key) finds the first.
            match idempotency_key.as_deref() {
                Some(retry) => state.secret.anonymous_retry_key(wave_id, retry),
                None => RespondentSecret::anonymous_key(),
            }
        }
    };
    let stored = valid.to_stored(key, idempotency_key, now_ms());
    intake::submit(state.intake(), wave, stored, valid).await
}

pub(super) async fn submit<S: Store>(
    State(state): State<AppState<S>>,
    Path(id): Path<i64>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    body: Result<Json<SubmitBody>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let Json(body) = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large("一份答卷最多 2 MiB。", "a submission is at most 2 MiB")
        } else {
            ApiError::invalid("body", "提交的答卷格式有误。", rejection.body_text())
        }
    })?;
    let idempotency_key = match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(key)) if !key.is_empty() && key.len() <= 128 => Some(key.to_string()),
        Some(_) => {
            return Err(ApiError::invalid(
                "Idempotency-Key",
                "提交编号须为 1 至 128 个可见的英文字符。",
                "1 to 128 visible ASCII characters",
            ))
        }
    };
    let submission = SubmissionInput {
        channel: body.channel,
        profile: body.profile,
        ratings: body.ratings,
    };
    let acknowledgement = accept_submission(
        &state,
        id,
        Respondent::from_token(body.token.as_deref()),
        idempotency_key,
        submission,
        Submitter::Client(client),
    )
    .await?;
    let status = match acknowledgement {
        Acknowledgement::Created => StatusCode::CREATED,
        _ => StatusCode::OK,
    };
    Ok((status, Json(json!({ "outcome": acknowledgement }))))
}
