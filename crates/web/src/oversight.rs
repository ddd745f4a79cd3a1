//! Oversight: publishing a wave's results (a major decision, signed and never edited, only
//! superseded), the decisions on record, the audit trail for auditors (browse, verify,
//! export), the restricted export of a wave's microdata (recorded in the audit trail), and the
//! organisation with its accounts and roles.

use std::fmt::Write;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use minxin_domain::access::Role;
use minxin_domain::access::{Action, Grade};
use minxin_domain::audit::{verify, AuditEntry, AuditHead, NewAuditEntry};
use minxin_domain::decision::{Decision, DecisionKind, NewDecision};
use minxin_domain::organisation::{Assignment, Scope};
use minxin_domain::platform::{RatingInput, ResponseCursor, Store, StoredResponse, WaveStatus};
use minxin_domain::ColumnLayout;
use minxin_report::svg::escape;
use minxin_report::{html_document, Lang};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::clock::now_ms;
use crate::app::error::ApiError;
use crate::app::guard::{city_allows, GradeOf, RouteEntry, Rule, PUBLIC_READ};
use crate::app::session::Visitor;
use crate::app::state::{wave_subject, AppState};

/// Publishing or withdrawing a wave's results: only the coordination office.
const PUBLISH: Rule = Rule::new(Action::Publish, GradeOf::Fixed(Grade::Internal));
/// The audit trail and microdata: restricted.
const READ_RESTRICTED: Rule = Rule::new(Action::Read, GradeOf::Fixed(Grade::Restricted));
const EXPORT_RESTRICTED: Rule = Rule::new(Action::Export, GradeOf::Fixed(Grade::Restricted));
/// The organisation and its accounts: internal, for the whole city.
const READ_INTERNAL: Rule = Rule::new(Action::Read, GradeOf::Fixed(Grade::Internal));

/// Giving and taking back roles: internal, for the whole city (the administrator and the
/// coordination office).
const CHANGE_INTERNAL: Rule = Rule::new(Action::Change, GradeOf::Fixed(Grade::Internal));

/// Responses read per query while exporting microdata.
const EXPORT_PAGE: usize = 5_000;
/// Audit entries shown on the audit page, newest first.
const AUDIT_PAGE_ENTRIES: usize = 500;

/// The routes of oversight, each with its permission.
pub fn routes<S: Store>() -> Vec<RouteEntry<S>> {
    vec![
        RouteEntry::new(
            Method::POST,
            "/waves/{id}/publication",
            PUBLISH.with_form(),
            post(publication_form::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/waves/{id}/publication",
            PUBLISH,
            post(publication_api::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/decisions",
            PUBLIC_READ,
            get(decisions::<S>),
        ),
        RouteEntry::new(Method::GET, "/audit", READ_RESTRICTED, get(audit_page::<S>)),
        RouteEntry::new(
            Method::GET,
            "/api/v1/audit",
            READ_RESTRICTED,
            get(audit_api::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/audit/head",
            PUBLIC_READ,
            get(audit_head::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/audit.csv",
            EXPORT_RESTRICTED,
            get(audit_csv::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/waves/{id}/responses.csv",
            EXPORT_RESTRICTED,
            get(microdata::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/organisation",
            READ_INTERNAL,
            get(organisation_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/organisation",
            READ_INTERNAL,
            get(organisation_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/organisation/roles",
            CHANGE_INTERNAL.with_form(),
            post(role_form::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/roles",
            CHANGE_INTERNAL,
            post(role_api::<S>),
        ),
    ]
}

/// The dashboard's publication section: the decision in force with the responsible person,
/// and for the coordination office the form to publish or withdraw.
pub fn publication_section<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    id: i64,
    lang: Lang,
    may_publish: bool,
) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let current = state.publication(id);
    let mut out = String::from("<section aria-labelledby=\"publication\">");
    let _ = write!(
        out,
        "<h2 id=\"publication\">{}</h2>",
        t("结果发布", "Publication")
    );
    match &current {
        Some(decision) => {
            let what = match decision.decision.kind {
                DecisionKind::PublishResults => t("结果已发布", "Results published"),
                DecisionKind::WithdrawResults => t("结果已撤回", "Results withdrawn"),
            };
            let _ = write!(
                out,
                "<p>{what}: {} ({}), {}. {}</p>",
                escape(&decision.decision.decided_by_name),
                escape(&decision.decision.decided_by),
                crate::ui::format::minute(decision.decision.decided_at_ms, lang),
                escape(&decision.decision.statement)
            );
        }
        None => {
            let _ = write!(
                out,
                "<p>{}</p>",
                t(
                    "结果尚未发布:仅限授权人员查看。",
                    "Not published: for authorised staff only."
                )
            );
        }
    }
    let published = current
        .as_ref()
        .is_some_and(|d| d.decision.kind == DecisionKind::PublishResults);
    let closed = state
        .wave(id)
        .is_ok_and(|wave| wave.status() == WaveStatus::Closed);
    if may_publish && (published || closed) {
        let (action, label) = if published {
            ("withdraw", t("撤回发布", "Withdraw the results"))
        } else {
            ("publish", t("发布结果", "Publish the results"))
        };
        let _ = write!(
            out,
            "<form method=\"post\" action=\"/waves/{id}/publication\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"action\" value=\"{action}\">\
             <p><label for=\"statement\">{reason}</label> <input type=\"text\" id=\"statement\" name=\"statement\" required maxlength=\"500\"></p>\
             <button type=\"submit\">{label}</button> <span>{note}</span></form>",
            csrf = visitor.csrf_token(),
            reason = t("决定说明", "Reasons"),
            note = t(
                "决定将以您的姓名记录,不可修改,只能由新的决定取代。",
                "The decision is recorded under your name and cannot be edited, only superseded."
            ),
        );
    }
    out.push_str("</section>");
    out
}

/// The publication form's fields.
#[derive(Debug, Deserialize)]
pub struct PublicationForm {
    /// The CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// `publish` or `withdraw`.
    #[serde(default)]
    pub action: String,
    /// The reasons.
    #[serde(default)]
    pub statement: String,
}

/// The body of `POST /api/v1/waves/{id}/publication`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicationRequest {
    /// Publish (true) or withdraw (false) the results.
    pub publish: bool,
    /// The reasons.
    pub statement: String,
}

/// Records the decision to publish or withdraw wave `id`'s results, signed by the visitor.
async fn decide_publication<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    id: i64,
    publish: bool,
    statement: &str,
) -> Result<Decision, ApiError> {
    let user = visitor
        .signed_in
        .as_ref()
        .ok_or_else(|| ApiError::Unauthenticated("sign in first".into()))?;
    let wave = state.wave(id)?;
    let statement = statement.trim();
    if statement.is_empty() || statement.chars().count() > 500 {
        return Err(ApiError::Invalid {
            problems: vec![(
                "statement".into(),
                "the reasons are required (1 to 500 characters)".into(),
            )],
        });
    }
    let current = state.publication(id);
    let published = current
        .as_ref()
        .is_some_and(|d| d.decision.kind == DecisionKind::PublishResults);
    if publish == published {
        return Err(ApiError::Conflict(format!(
            "the results of wave {id} are {} already",
            if published {
                "published"
            } else {
                "not published"
            }
        )));
    }
    if publish && wave.status() != WaveStatus::Closed {
        return Err(ApiError::Conflict(format!(
            "wave {id} is {}: only a closed wave's results are published",
            wave.status().code()
        )));
    }
    state
        .record_decision(&NewDecision {
            kind: if publish {
                DecisionKind::PublishResults
            } else {
                DecisionKind::WithdrawResults
            },
            subject: wave_subject(id),
            decided_by: user.account.clone(),
            decided_by_name: user.display_name.clone(),
            decided_at_ms: now_ms(),
            statement: statement.to_string(),
            supersedes: current.map(|d| d.id),
        })
        .await
}

async fn publication_form<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<PublicationForm>,
) -> Result<Response, ApiError> {
    visitor.check_form(&form.csrf)?;
    decide_publication(
        &state,
        &visitor,
        id,
        form.action == "publish",
        &form.statement,
    )
    .await?;
    Ok(Redirect::to(&format!("/waves/{id}")).into_response())
}

async fn publication_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Json(request): Json<PublicationRequest>,
) -> Result<(StatusCode, Json<Decision>), ApiError> {
    let decision =
        decide_publication(&state, &visitor, id, request.publish, &request.statement).await?;
    Ok((StatusCode::CREATED, Json(decision)))
}

async fn decisions<S: Store>(State(state): State<AppState<S>>) -> Json<Vec<Decision>> {
    Json(state.decisions())
}

fn entry_json(entry: &AuditEntry) -> Value {
    json!({
        "sequence": entry.sequence,
        "at_ms": entry.change.at_ms,
        "actor": entry.change.actor,
        "action": entry.change.action,
        "subject": entry.change.subject,
        "before": entry.change.before,
        "after": entry.change.after,
        "hash": entry.hash.iter().map(|b| format!("{b:02x}")).collect::<String>(),
    })
}

/// The trail and what verifying it says.
async fn verified_trail<S: Store>(
    state: &AppState<S>,
) -> Result<(Vec<AuditEntry>, Value), ApiError> {
    let (entries, head) = state.store.audit_log().await?;
    let verdict = match verify(&entries, head) {
        Ok(count) => json!({"intact": true, "entries": count}),
        Err(problem) => json!({"intact": false, "problem": problem.to_string()}),
    };
    Ok((entries, verdict))
}

/// `GET /api/v1/audit/head`: the trail's head as an anchor anyone may record (it reveals no
/// entry); an anchor recorded today shows later whether the trail was rewritten since
/// (`minxin audit verify --anchor`).
async fn audit_head<S: Store>(State(state): State<AppState<S>>) -> Result<Json<Value>, ApiError> {
    let head = state.store.audit_head().await?.unwrap_or(AuditHead {
        count: 0,
        hash: [0; 32],
    });
    Ok(Json(json!({
        "count": head.count,
        "anchor": head.anchor(),
        "at_ms": now_ms(),
    })))
}

/// What an auditor narrows the trail to: entries whose actor, action and subject contain the
/// given texts (all entries when none is given). Verification always covers the whole trail.
#[derive(Debug, Deserialize, Default)]
pub struct AuditFilter {
    /// Part of the actor (`office`, `cli:`).
    #[serde(default)]
    pub actor: Option<String>,
    /// Part of the action (`role.`, `decision.`).
    #[serde(default)]
    pub action: Option<String>,
    /// Part of the subject (`wave/3`, `account/li.wei`).
    #[serde(default)]
    pub subject: Option<String>,
    /// Language code (pages).
    #[serde(default)]
    pub lang: Option<String>,
}

impl AuditFilter {
    fn keeps(&self, entry: &AuditEntry) -> bool {
        let contains = |wanted: &Option<String>, text: &str| {
            wanted
                .as_deref()
                .map(str::trim)
                .is_none_or(|wanted| text.contains(wanted))
        };
        contains(&self.actor, &entry.change.actor)
            && contains(&self.action, &entry.change.action)
            && contains(&self.subject, &entry.change.subject)
    }
}

async fn audit_api<S: Store>(
    State(state): State<AppState<S>>,
    Query(filter): Query<AuditFilter>,
) -> Result<Json<Value>, ApiError> {
    let (entries, verdict) = verified_trail(&state).await?;
    Ok(Json(json!({
        "verification": verdict,
        "entries": entries.iter().filter(|e| filter.keeps(e)).map(entry_json).collect::<Vec<_>>(),
    })))
}

async fn audit_csv<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
) -> Result<Response, ApiError> {
    let by = visitor.require_attribution()?;
    let (entries, _) = verified_trail(&state).await?;
    state
        .store
        .append_audit(NewAuditEntry::attributed(
            &by,
            "audit.export",
            "audit".into(),
            None,
            Some(json!({"entries": entries.len()}).to_string()),
        ))
        .await?;
    let rows = entries.iter().map(|entry| {
        let value = entry_json(entry);
        [
            "sequence", "at_ms", "actor", "action", "subject", "before", "after", "hash",
        ]
        .iter()
        .map(|key| match &value[*key] {
            Value::String(text) => text.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        })
        .collect::<Vec<String>>()
    });
    let mut out = Vec::new();
    minxin_interchange::write_csv_table(
        &mut out,
        &[
            "sequence", "at_ms", "actor", "action", "subject", "before", "after", "hash",
        ],
        rows,
    )
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(csv_response(out, "audit-trail-restricted.csv"))
}

fn csv_response(body: impl Into<Body>, file_name: &str) -> Response {
    let mut response = Response::new(body.into());
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
            .expect("a plain file name"),
    );
    response
}

async fn audit_page<S: Store>(
    State(state): State<AppState<S>>,
    Query(filter): Query<AuditFilter>,
) -> Result<Html<String>, ApiError> {
    let lang = crate::ui::i18n::lang_of(filter.lang.as_deref());
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let (entries, verdict) = verified_trail(&state).await?;
    let mut body = format!(
        "<nav><a href=\"/\">{home}</a><a href=\"/api/v1/audit.csv\">{export}</a></nav><h1>{title}</h1>",
        home = t("首页", "Home"),
        export = t("导出 CSV(将记入日志)", "Export as CSV (recorded)"),
        title = t("审计日志", "Audit trail"),
    );
    let _ = if verdict["intact"] == true {
        write!(
            body,
            "<p>{} {}</p><p>{} <code>{}</code></p>",
            t("哈希链完整,条目数:", "The hash chain is intact; entries:"),
            entries.len(),
            t(
                "当前锚点(请另行记录,日后可用 minxin audit verify --anchor 核验):",
                "Current anchor (record it elsewhere; minxin audit verify --anchor checks it later):"
            ),
            entries.last().map_or_else(|| "0:".to_string() + &"0".repeat(64), |e| e.head().anchor())
        )
    } else {
        write!(
            body,
            "<p class=\"error\" role=\"alert\">{} {}</p>",
            t("哈希链已损坏:", "The hash chain is broken:"),
            escape(verdict["problem"].as_str().unwrap_or(""))
        )
    };
    let field = |name: &str, label: &str, value: &Option<String>| {
        format!(
            "<label>{label} <input type=\"text\" name=\"{name}\" value=\"{}\"></label> ",
            escape(value.as_deref().unwrap_or(""))
        )
    };
    let _ = write!(
        body,
        "<form method=\"get\" action=\"/audit\">{}{}{}{}<button type=\"submit\">{}</button></form>",
        if lang == Lang::En {
            "<input type=\"hidden\" name=\"lang\" value=\"en\">"
        } else {
            ""
        },
        field("actor", t("操作人", "Who"), &filter.actor),
        field("action", t("操作", "Action"), &filter.action),
        field("subject", t("对象", "Subject"), &filter.subject),
        t("筛选", "Filter"),
    );
    let _ = write!(
        body,
        "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">#</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t("时间", "When"),
        t("操作人", "Who"),
        t("操作", "Action"),
        t("对象", "Subject"),
        t("变更前", "Before"),
        t("变更后", "After"),
    );
    for entry in entries
        .iter()
        .rev()
        .filter(|e| filter.keeps(e))
        .take(AUDIT_PAGE_ENTRIES)
    {
        let _ = write!(
            body,
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
            entry.sequence,
            crate::ui::format::minute(entry.change.at_ms, lang),
            escape(&entry.change.actor),
            escape(&entry.change.action),
            escape(&entry.change.subject),
            escape(entry.change.before.as_deref().unwrap_or("")),
            escape(entry.change.after.as_deref().unwrap_or("")),
        );
    }
    body.push_str("</tbody></table></div>");
    Ok(Html(html_document(
        t("审计日志", "Audit trail"),
        lang,
        &body,
    )))
}

/// One stored response as rows of the interchange format: one per project rated, the
/// respondent known by their keyed hash only.
fn interchange_rows(
    response: &StoredResponse,
    ratings: &[RatingInput],
    wave_name: &str,
    item_codes: &[String],
) -> Vec<Vec<String>> {
    let respondent: String = response
        .respondent_key
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    ratings
        .iter()
        .map(|rating| {
            let mut row = vec![
                respondent.clone(),
                wave_name.to_string(),
                response.district.clone(),
                response.gender.clone().unwrap_or_default(),
                response.age.map(|a| a.to_string()).unwrap_or_default(),
                response.education.clone().unwrap_or_default(),
                response.occupation.clone().unwrap_or_default(),
                response.channel.clone().unwrap_or_default(),
                rating.project.clone(),
            ];
            row.extend(item_codes.iter().map(|code| {
                rating
                    .answers
                    .get(code)
                    .copied()
                    .flatten()
                    .map(|answer| answer.to_string())
                    .unwrap_or_default()
            }));
            row
        })
        .collect()
}

/// `GET /api/v1/waves/{id}/responses.csv`: the wave's responses in the interchange format
/// (what `minxin evaluate` reads), streamed page by page; recorded in the audit trail first.
async fn microdata<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let by = visitor.require_attribution()?;
    let wave = state.wave(id)?;
    let responses = wave.with_live(|live| live.responses);
    state
        .store
        .append_audit(NewAuditEntry::attributed(
            &by,
            "wave.export_microdata",
            wave_subject(id),
            None,
            Some(json!({"responses": responses}).to_string()),
        ))
        .await?;
    let instrument = &wave.model.configuration.instrument;
    let header = ColumnLayout::canonical_names(instrument);
    let item_codes: Vec<String> = instrument
        .items()
        .iter()
        .map(|item| item.item.code.clone())
        .collect();
    let mut first = Vec::new();
    minxin_interchange::write_csv_table(&mut first, &header, std::iter::empty())
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let wave_name = wave.name();
    let store = state.store.clone();
    let live = wave.clone();
    // Pages of responses become chunks of CSV: the header first, then one chunk per page.
    let pages = futures_util::stream::unfold(
        (Some(first), Some(None::<ResponseCursor>)),
        move |(header, cursor)| {
            let store = store.clone();
            let wave_name = wave_name.clone();
            let item_codes = item_codes.clone();
            let live = live.clone();
            async move {
                if let Some(header) = header {
                    return Some((Ok::<_, std::io::Error>(header), (None, cursor)));
                }
                let from = cursor?;
                let page = match store.responses(id, from.as_ref(), EXPORT_PAGE).await {
                    Ok(page) => page,
                    Err(error) => {
                        eprintln!("microdata export of wave {id} stopped: {error}");
                        return Some((Err(std::io::Error::other("export failed")), (None, None)));
                    }
                };
                let mut chunk = Vec::new();
                let mut writer = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(&mut chunk);
                for response in &page.responses {
                    // Stored responses were validated on the way in; decoding one fails only
                    // if the database was altered, and then the export stops rather than skip it.
                    let decoded = match live.model.from_stored(response) {
                        Ok(decoded) => decoded,
                        Err(error) => {
                            eprintln!("microdata export of wave {id} stopped: {error}");
                            return Some((
                                Err(std::io::Error::other("a stored response cannot be read")),
                                (None, None),
                            ));
                        }
                    };
                    for row in
                        interchange_rows(response, &decoded.input.ratings, &wave_name, &item_codes)
                    {
                        let row = row.iter().map(|cell| {
                            minxin_interchange::SafeCell(minxin_interchange::spreadsheet_safe(cell))
                        });
                        if writer.write_record(row).is_err() {
                            break;
                        }
                    }
                }
                drop(writer);
                let next = page.next.map(Some);
                Some((Ok(chunk), (None, next)))
            }
        },
    );
    Ok(csv_response(
        Body::from_stream(pages),
        &format!("wave-{id}-responses-restricted.csv"),
    ))
}

async fn organisation_json<S: Store>(state: &AppState<S>) -> Result<Value, ApiError> {
    let organisation = state.store.organisation().await?;
    let assignments = state.store.assignments().await?;
    let mut accounts: Vec<Value> = Vec::new();
    let mut names: Vec<&String> = assignments.iter().map(|(name, _)| name).collect();
    names.dedup();
    for name in names {
        let roles: Vec<Value> = assignments
            .iter()
            .filter(|(holder, _)| holder == name)
            .map(|(_, a)| json!({"role": a.role, "scope": a.scope.to_string()}))
            .collect();
        let disabled = state
            .store
            .account(name)
            .await?
            .is_some_and(|account| account.disabled);
        accounts.push(json!({"name": name, "disabled": disabled, "roles": roles}));
    }
    Ok(json!({
        "units": organisation.units,
        "project_departments": organisation.project_departments,
        "accounts": accounts,
    }))
}

async fn organisation_api<S: Store>(
    State(state): State<AppState<S>>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(organisation_json(&state).await?))
}

async fn organisation_page<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Query(query): Query<crate::ui::i18n::LangQuery>,
) -> Result<Html<String>, ApiError> {
    let lang = crate::ui::i18n::lang_of(query.lang.as_deref());
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let organisation = state.store.organisation().await?;
    let assignments = state.store.assignments().await?;
    let mut body = format!(
        "<nav><a href=\"/\">{}</a></nav><h1>{}</h1><h2>{}</h2><div class=\"scroll\"><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t("首页", "Home"),
        t("组织与账户", "Organisation and accounts"),
        t("单位", "Units"),
        t("代码", "Code"),
        t("类型", "Kind"),
        t("名称", "Name"),
        t("工程 / 上级", "Projects / parent"),
    );
    for unit in &organisation.units {
        let projects: Vec<String> = organisation
            .projects_of(&unit.code)
            .into_iter()
            .map(|(project, part)| format!("{project} ({})", part.code()))
            .collect();
        let related = unit.parent.clone().unwrap_or_else(|| projects.join(", "));
        let _ = write!(
            body,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&unit.code),
            unit.kind.code(),
            escape(lang.pick(&unit.name_zh, &unit.name_en)),
            escape(&related)
        );
    }
    let _ = write!(
        body,
        "</tbody></table></div><h2>{}</h2><div class=\"scroll\"><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t("账户与角色", "Accounts and roles"),
        t("账户", "Account"),
        t("角色", "Role"),
        t("范围", "Scope"),
    );
    for (account, assignment) in &assignments {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(account),
            assignment.role,
            escape(&assignment.scope.to_string())
        );
    }
    body.push_str("</tbody></table></div>");
    let may_change = city_allows(&state, &visitor, Action::Change, Grade::Internal);
    if may_change {
        let _ = write!(
            body,
            "<h2>{title}</h2><form method=\"post\" action=\"/organisation/roles\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
             <p><label for=\"account\">{account}</label> <input type=\"text\" id=\"account\" name=\"account\" required></p>\
             <p><label for=\"role\">{role}</label> <select id=\"role\" name=\"role\">{roles}</select></p>\
             <p><label for=\"scope\">{scope}</label> <input type=\"text\" id=\"scope\" name=\"scope\"></p>\
             <p><label><input type=\"radio\" name=\"action\" value=\"grant\" checked> {grant}</label>\
             <label><input type=\"radio\" name=\"action\" value=\"revoke\"> {revoke}</label></p>\
             <button type=\"submit\">{go}</button></form><p>{note}</p>",
            title = t("授予或收回角色", "Give or take back a role"),
            csrf = visitor.csrf_token(),
            account = t("账户", "Account"),
            role = t("角色", "Role"),
            roles = Role::ALL
                .iter()
                .filter(|r| !matches!(r, Role::Public | Role::Respondent))
                .map(|r| format!("<option value=\"{r}\">{r}</option>"))
                .collect::<String>(),
            scope = t("范围(单位代码;全市留空)", "Scope (a unit's code; empty for the city)"),
            grant = t("授予", "Give"),
            revoke = t("收回", "Take back"),
            go = t("提交", "Submit"),
            note = t(
                "每次变更都记入审计日志。任何人不能更改自己的角色。",
                "Every change is recorded in the audit trail. Nobody changes their own roles."
            ),
        );
    }
    Ok(Html(html_document(
        t("组织与账户", "Organisation and accounts"),
        lang,
        &body,
    )))
}

/// A change of someone's roles, from the form or the API.
#[derive(Debug, Deserialize)]
pub struct RoleChange {
    /// The account.
    pub account: String,
    /// The role's code (`lead_department`, ...).
    pub role: String,
    /// The unit's code; empty for the whole city.
    #[serde(default)]
    pub scope: String,
    /// Give (true) or take back (false).
    pub grant: bool,
}

/// Gives or takes back a role, attributed to the visitor. Nobody changes their own roles, so
/// that no one can raise their own access (an administrator cannot make themselves an
/// auditor, say).
async fn change_role<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    change: &RoleChange,
) -> Result<(), ApiError> {
    let by = visitor.require_attribution()?;
    let invalid = |field: &str, message: String| ApiError::Invalid {
        problems: vec![(field.to_string(), message)],
    };
    if change.account == by.actor {
        return Err(ApiError::Forbidden(
            "nobody changes their own roles; ask another administrator".into(),
        ));
    }
    if state.store.account(&change.account).await?.is_none() {
        return Err(invalid(
            "account",
            format!("no account named {:?}", change.account),
        ));
    }
    let role = change
        .role
        .parse()
        .map_err(|message: String| invalid("role", message))?;
    let assignment = Assignment {
        role,
        scope: Scope::from_code(change.scope.trim()),
    };
    state
        .organisation()
        .check_delegation(visitor.assignments(), &assignment)
        .map_err(|refused| ApiError::Forbidden(refused.to_string()))?;
    if change.grant {
        state
            .organisation()
            .check_assignment(&assignment)
            .map_err(|e| invalid("scope", e.to_string()))?;
        state.store.grant(&change.account, &assignment, &by).await?;
    } else if !state
        .store
        .revoke(&change.account, &assignment, &by)
        .await?
    {
        return Err(ApiError::Conflict(format!(
            "{} does not hold {} ({})",
            change.account, assignment.role, assignment.scope
        )));
    }
    Ok(())
}

/// The role form's fields.
#[derive(Debug, Deserialize)]
pub struct RoleForm {
    /// The CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// The account.
    #[serde(default)]
    pub account: String,
    /// The role's code.
    #[serde(default)]
    pub role: String,
    /// The unit's code, empty for the city.
    #[serde(default)]
    pub scope: String,
    /// `grant` or `revoke`.
    #[serde(default)]
    pub action: String,
}

async fn role_form<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Form(form): Form<RoleForm>,
) -> Result<Response, ApiError> {
    visitor.check_form(&form.csrf)?;
    let change = RoleChange {
        account: form.account.trim().to_string(),
        role: form.role.trim().to_string(),
        scope: form.scope,
        grant: form.action != "revoke",
    };
    change_role(&state, &visitor, &change).await?;
    Ok(Redirect::to("/organisation").into_response())
}

async fn role_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Json(change): Json<RoleChange>,
) -> Result<StatusCode, ApiError> {
    change_role(&state, &visitor, &change).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_becomes_one_interchange_row_per_project() {
        let response = StoredResponse {
            respondent_key: vec![0xab, 0x01],
            idempotency_key: None,
            channel: Some("app".into()),
            district: "310104".into(),
            gender: Some("female".into()),
            age: Some(34),
            education: None,
            occupation: None,
            ratings: String::new(),
            submitted_at_ms: 0,
        };
        let ratings: Vec<RatingInput> = serde_json::from_str(
            r#"[{"project":"parking","answers":{"awareness":5,"value":null}},{"project":"medical","answers":{"quality":4}}]"#,
        )
        .unwrap();
        let codes = vec![
            "awareness".to_string(),
            "quality".to_string(),
            "value".to_string(),
        ];
        let rows = interchange_rows(&response, &ratings, "2026 spring", &codes);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0],
            [
                "ab01",
                "2026 spring",
                "310104",
                "female",
                "34",
                "",
                "",
                "app",
                "parking",
                "5",
                "",
                ""
            ]
        );
        assert_eq!(rows[1][8], "medical");
        assert_eq!(&rows[1][9..], ["", "4", ""]);
    }
}
