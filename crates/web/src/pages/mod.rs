//! Server-rendered pages that work without JavaScript: the list of waves, a wave's live
//! dashboard, and the citizen questionnaire (mobile first, Chinese by default, `?lang=en`);
//! the project page, the comparison of two waves and the printable report are in [`results`].

mod import_form;
mod results;

use std::collections::BTreeMap;
use std::fmt::Write;

use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::Method;
use axum::response::Html;
use axum::routing::{get, post};
use axum::Form;
use minxin_domain::access::{Action, Grade};
use minxin_domain::organisation::Target;
use minxin_domain::platform::{ProfileInput, RatingInput, Store, SubmissionInput, WaveStatus};
use minxin_report::{render_report_body, Lang};

use crate::api::{accept_submission, Respondent, Submitter};
use crate::app::error::ApiError;
use crate::app::error::PageError;
use crate::app::guard::{city_allows, may_read, GradeOf, RouteEntry, Rule, PUBLIC_READ};
use crate::app::intake::Acknowledgement;
use crate::app::limits::ClientAddress;
use crate::app::limits::PUBLIC_FORM_BYTES;
use crate::app::navigation::account_links;
use crate::app::session::Visitor;
use crate::app::state::{AppState, LiveWave};
use crate::ui::html::{escape, hidden, url_encode};
use crate::ui::i18n::{lang_of, lang_suffix, language_switch, LangQuery};
use crate::ui::layout::page;

/// When live figures were last updated, or that none have come in yet.
fn figures_as_of(ms: i64, lang: Lang) -> String {
    if ms == 0 {
        lang.pick("尚无答卷", "no responses yet").to_string()
    } else {
        crate::ui::format::second(ms, lang)
    }
}

/// Reading a wave's results (public once published).
const READ_RESULTS: Rule = Rule::new(Action::Read, GradeOf::WaveResults);

/// The page routes, each with its permission.
pub fn routes<S: Store>() -> Vec<RouteEntry<S>> {
    vec![
        // The list shows each visitor the waves they may read.
        RouteEntry::new(Method::GET, "/", PUBLIC_READ, get(home::<S>)),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}",
            READ_RESULTS,
            get(dashboard::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/projects/{code}",
            Rule::new(Action::Read, GradeOf::ScopedResults).about_project(),
            get(results::project_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/districts/{district}",
            Rule::new(Action::Read, GradeOf::ScopedResults).about_district(),
            get(results::district_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/report",
            READ_RESULTS,
            get(results::report_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/robustness",
            READ_RESULTS,
            get(results::robustness_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/compare",
            Rule::new(Action::Read, GradeOf::Comparison),
            get(results::compare_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/import",
            crate::import::IMPORT_RULE,
            get(import_form::import_page::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/waves/{id}/import",
            crate::import::IMPORT_RULE.with_form(),
            post(import_form::import_upload::<S>)
                .layer(DefaultBodyLimit::max(crate::import::MAX_IMPORT_BYTES)),
        ),
        RouteEntry::new(
            Method::GET,
            "/waves/{id}/survey",
            Rule::new(Action::Respond, GradeOf::Fixed(Grade::Public)),
            get(survey_start::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/waves/{id}/survey",
            Rule::new(Action::Respond, GradeOf::Fixed(Grade::Public)).with_form(),
            post(survey_step::<S>).layer(DefaultBodyLimit::max(PUBLIC_FORM_BYTES)),
        ),
    ]
}

/// The language switch of the questionnaire, which keeps the respondent's token.
fn survey_language_switch(id: i64, token: &str, lang: Lang) -> String {
    let token = url_encode(token);
    let (other, label, tag) = match lang {
        Lang::Zh => ("en", "English", "en"),
        Lang::En => ("zh", "中文", "zh-CN"),
    };
    format!(
        "<a href=\"/waves/{id}/survey?lang={other}&amp;token={token}\" lang=\"{tag}\">{label}</a>"
    )
}

fn status_label(status: WaveStatus, lang: Lang) -> &'static str {
    match status {
        WaveStatus::Draft => lang.pick("筹备中", "draft"),
        WaveStatus::Open => lang.pick("进行中", "open"),
        WaveStatus::Closed => lang.pick("已结束", "closed"),
    }
}

async fn home<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Query(query): Query<LangQuery>,
) -> Html<String> {
    let lang = lang_of(query.lang.as_deref());
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut body = format!(
        "<nav>{}{}</nav><h1>{}</h1><p>{}</p>",
        language_switch("/", lang),
        account_links(&state, &visitor, lang),
        t("民心工程评价平台", "Minxin evaluation platform"),
        t("市民对民心工程的评价:认可度、满意度与四象限分析,按波次跟踪。", "Citizens rate the city's livelihood projects: recognition, satisfaction and quadrants, wave after wave.")
    );
    let _ = write!(
        body,
        "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t("波次", "Wave"),
        t("状态", "Status"),
        t("答卷", "Responses"),
        t("链接", "Links")
    );
    // Each visitor sees the waves they may read: the public, open and published ones.
    for wave in state.waves() {
        if !may_read(
            &state,
            &visitor,
            GradeOf::WaveRecord,
            wave.id(),
            &Target::City,
        ) {
            continue;
        }
        let record = wave.record();
        let responses = wave.with_live(|live| live.responses);
        let suffix = lang_suffix(lang);
        let published = state.is_published(record.id);
        let dashboard = if may_read(
            &state,
            &visitor,
            GradeOf::WaveResults,
            record.id,
            &Target::City,
        ) {
            format!(
                "<a class=\"dashboard\" href=\"/waves/{}{suffix}\">{}</a>",
                record.id,
                if published {
                    t("结果看板", "Dashboard")
                } else {
                    t("结果看板(未发布)", "Dashboard (unpublished)")
                }
            )
        } else {
            t("结果尚未发布", "Results not yet published").to_string()
        };
        let survey = if record.status == WaveStatus::Open {
            format!(
                " · <a href=\"/waves/{}/survey{suffix}\">{}</a>",
                record.id,
                t("填写问卷", "Answer the survey")
            )
        } else {
            String::new()
        };
        let _ = write!(
            body,
            "<tr><th scope=\"row\">{name}</th><td>{status}{published}</td><td class=\"num\">{responses}</td><td>{dashboard}{survey}{own}</td></tr>",
            own = own_links(&state, &visitor, &wave, lang),
            name = escape(&record.name),
            status = status_label(record.status, lang),
            published = if published { t(" · 已发布", " · published") } else { "" },
        );
    }
    body.push_str("</tbody></table></div>");
    // The audit trail's anchor, for anyone to record (see `/api/v1/audit/head`).
    if let Ok(Some(head)) = state.store.audit_head().await {
        let _ = write!(
            body,
            "<p class=\"muted\"><small>{} <code>{}</code></small></p>",
            t("审计日志锚点:", "Audit trail anchor:"),
            head.anchor()
        );
    }
    page(
        t("民心工程评价平台", "Minxin evaluation platform"),
        lang,
        &body,
    )
}

fn intake_section(wave: &LiveWave, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let record = wave.record();
    let (responses, updated_at_ms, profile) = wave.with_live(|live| {
        (
            live.responses,
            live.updated_at_ms,
            live.tallies.profile.clone(),
        )
    });
    let configuration = &wave.model.configuration;
    let mut out = format!(
        "<h2>{}</h2><p>{} <strong>{}</strong> · {} {}</p>",
        t("答卷进度", "Intake"),
        t("答卷", "Responses"),
        responses,
        t("数据截至", "as of"),
        figures_as_of(updated_at_ms, lang)
    );
    let _ = write!(
        out,
        "<div class=\"scroll\"><table><caption class=\"muted\">{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t("各区答卷与配额", "Responses by district against quotas"),
        t("区", "District"),
        t("答卷", "Responses"),
        t("配额", "Quota"),
        t("完成度", "Progress")
    );
    for (k, district) in configuration.districts.entries().iter().enumerate() {
        let count = profile.district[k + 1];
        let quota = record.quotas.get(&district.code).copied();
        let share = quota
            .filter(|q| *q > 0)
            .map(|q| (count as f64 / q as f64).min(1.0));
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{count}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(lang.pick(&district.zh, &district.en)),
            quota.map_or("—".into(), |q| q.to_string()),
            share.map_or(String::new(), |s| format!(
                "<div class=\"bar\" role=\"img\" aria-label=\"{:.0}%\"><span style=\"width:{:.0}%\"></span></div>",
                s * 100.0,
                s * 100.0
            ))
        );
    }
    out.push_str("</tbody></table></div>");
    let _ = write!(
        out,
        "<div class=\"scroll\"><table><caption class=\"muted\">{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th></tr></thead><tbody>",
        t("各渠道答卷", "Responses by channel"),
        t("渠道", "Channel"),
        t("答卷", "Responses")
    );
    let channels = configuration.profile.channels.entries();
    let not_stated = t("未填写", "Not stated");
    for (k, count) in profile.channel.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        let name = if k == 0 {
            not_stated
        } else {
            lang.pick(&channels[k - 1].zh, &channels[k - 1].en)
        };
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{count}</td></tr>",
            escape(name)
        );
    }
    out.push_str("</tbody></table></div>");
    out
}

async fn dashboard<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(query): Query<LangQuery>,
) -> Result<Html<String>, PageError> {
    let lang = lang_of(query.lang.as_deref());
    let wave = state.wave(id).map_err(|e| PageError(e, lang))?;
    let record = wave.record();
    let city_may = |action, grade| city_allows(&state, &visitor, action, grade);
    let (evaluation, _) = wave.evaluation(&wave.options());
    let evaluation = crate::analysis::for_visitor(&state, &visitor, evaluation);
    let title = format!("{} · {}", lang.pick("结果看板", "Dashboard"), record.name);
    let body = format!(
        "<nav><a href=\"/{suffix}\">{home}</a>{survey}<a href=\"/waves/{id}/report{suffix}\">{printable}</a><a href=\"/waves/{id}/robustness{suffix}\">{robustness}</a>{import}<a href=\"/compare{suffix}\">{compare}</a>{switch}{account}</nav><h1>{title}</h1><p>{status}</p>{publication}{intake}{projects}{districts}{downloads}{report}",
        districts = district_links(&wave, lang),
        account = account_links(&state, &visitor, lang),
        publication = crate::oversight::publication_section(
            &state,
            &visitor,
            id,
            lang,
            city_may(Action::Publish, Grade::Internal)
        ),
        suffix = lang_suffix(lang),
        home = lang.pick("全部波次", "All waves"),
        survey = if record.status == WaveStatus::Open {
            format!("<a href=\"/waves/{id}/survey{}\">{}</a>", lang_suffix(lang), lang.pick("填写问卷", "Answer the survey"))
        } else {
            String::new()
        },
        switch = language_switch(&format!("/waves/{id}"), lang),
        title = escape(&title),
        status = status_label(record.status, lang),
        intake = intake_section(&wave, lang),
        printable = lang.pick("打印版报告", "Printable report"),
        robustness = lang.pick("加权与稳健性", "Weighting and robustness"),
        import = if record.status == WaveStatus::Open
            && city_may(Action::Change, Grade::Internal)
        {
            format!("<a href=\"/waves/{id}/import{}\">{}</a>", lang_suffix(lang), lang.pick("导入答卷文件", "Import a file"))
        } else {
            String::new()
        },
        compare = lang.pick("波次对比", "Compare waves"),
        projects = project_links(&wave, lang),
        downloads = download_links(id, lang, city_may(Action::Export, Grade::Restricted)),
        report = render_report_body(&evaluation, &wave.model.configuration.instrument, lang),
    );
    Ok(page(&title, lang, &body))
}

/// Links for a signed-in department or district officer to the pages of their own projects or
/// district in wave `id` (they cannot reach them from a dashboard before publication).
fn own_links<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    wave: &LiveWave,
    lang: Lang,
) -> String {
    use minxin_domain::access::Role;
    use minxin_domain::organisation::{ProjectPart, Scope};
    if visitor.assignments().is_empty() {
        return String::new();
    }
    let organisation = state.organisation();
    let catalogue = &wave.model.configuration.catalogue;
    let districts = &wave.model.configuration.districts;
    let mut links = Vec::new();
    for assignment in visitor.assignments() {
        let Scope::Unit(unit) = &assignment.scope else {
            continue;
        };
        let wanted = match assignment.role {
            Role::LeadDepartment => Some(ProjectPart::Lead),
            Role::ParticipatingDepartment => Some(ProjectPart::Participating),
            _ => None,
        };
        if let Some(part) = wanted {
            for (code, _) in organisation
                .projects_of(unit)
                .into_iter()
                .filter(|(_, p)| *p == part)
            {
                let Some(project) = catalogue.projects.iter().find(|p| p.code == code) else {
                    continue;
                };
                links.push(format!(
                    "<a href=\"/waves/{}/projects/{}{}\">{}</a>",
                    wave.id(),
                    escape(&code),
                    lang_suffix(lang),
                    escape(lang.pick(&project.zh, &project.en))
                ));
            }
        }
        if assignment.role == Role::DistrictOfficer {
            let district = organisation
                .unit(unit)
                .and_then(|u| u.parent.clone())
                .unwrap_or_else(|| unit.clone());
            if let Some(entry) = districts.entries().iter().find(|d| d.code == district) {
                links.push(format!(
                    "<a href=\"/waves/{}/districts/{}{}\">{}</a>",
                    wave.id(),
                    escape(&district),
                    lang_suffix(lang),
                    escape(lang.pick(&entry.zh, &entry.en))
                ));
            }
        }
    }
    if links.is_empty() {
        String::new()
    } else {
        format!(" · {}", links.join(" · "))
    }
}

/// Links to the page of each district of the wave.
fn district_links(wave: &LiveWave, lang: Lang) -> String {
    let suffix = lang_suffix(lang);
    let links: Vec<String> = wave
        .model
        .configuration
        .districts
        .entries()
        .iter()
        .map(|district| {
            format!(
                "<a href=\"/waves/{}/districts/{}{suffix}\">{}</a>",
                wave.id(),
                escape(&district.code),
                escape(lang.pick(&district.zh, &district.en))
            )
        })
        .collect();
    format!(
        "<h2>{}</h2><p>{}</p>",
        lang.pick("各区结果", "District pages"),
        links.join(" · ")
    )
}

/// Links to the page of each project of the wave.
fn project_links(wave: &LiveWave, lang: Lang) -> String {
    let suffix = lang_suffix(lang);
    let links: Vec<String> = wave
        .model
        .configuration
        .catalogue
        .projects
        .iter()
        .map(|project| {
            format!(
                "<a href=\"/waves/{}/projects/{}{suffix}\">{}</a>",
                wave.id(),
                escape(&project.code),
                escape(lang.pick(&project.zh, &project.en))
            )
        })
        .collect();
    format!(
        "<h2>{}</h2><p>{}</p>",
        lang.pick("各项工程详情", "Project pages"),
        links.join(" · ")
    )
}

/// Links to the downloads of a wave's aggregates, and of its microdata for those who may
/// export restricted data.
fn download_links(id: i64, lang: Lang, microdata: bool) -> String {
    let microdata = if microdata {
        format!(
            "<p>{}: <a href=\"/api/v1/waves/{id}/responses.csv\">CSV</a> ({})</p>",
            lang.pick("下载答卷明细(受限)", "Download the responses (restricted)"),
            lang.pick(
                "下载将记入审计日志",
                "each download is recorded in the audit trail"
            )
        )
    } else {
        String::new()
    };
    format!(
        "<p>{}: <a href=\"/api/v1/waves/{id}/aggregates.csv\">CSV</a> · <a href=\"/api/v1/waves/{id}/aggregates.xlsx\">XLSX</a> · <a href=\"/api/v1/waves/{id}/aggregates.json\">JSON</a></p>{microdata}",
        lang.pick("下载汇总数据", "Download the aggregates")
    )
}

fn open_wave<S: Store>(
    state: &AppState<S>,
    id: i64,
    lang: Lang,
) -> Result<std::sync::Arc<LiveWave>, PageError> {
    let wave = state.wave(id).map_err(|e| PageError(e, lang))?;
    if wave.status() != WaveStatus::Open {
        return Err(PageError(ApiError::Conflict("closed".into()), lang));
    }
    Ok(wave)
}

/// Step 1: which projects does the respondent know of?
async fn survey_start<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(query): Query<LangQuery>,
) -> Result<Html<String>, PageError> {
    let lang = lang_of(query.lang.as_deref());
    let wave = open_wave(&state, id, lang)?;
    Ok(projects_page(
        &wave,
        lang,
        visitor.csrf_token(),
        query.token.as_deref().unwrap_or(""),
        None,
    ))
}

fn projects_page(
    wave: &LiveWave,
    lang: Lang,
    csrf: &str,
    token: &str,
    error: Option<&str>,
) -> Html<String> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let id = wave.id();
    let record = wave.record();
    let mut body = format!(
        "<nav>{}</nav><h1>{}</h1><p>{}</p>",
        survey_language_switch(id, token, lang),
        escape(&format!(
            "{} · {}",
            t(
                "民心工程市民评价问卷",
                "Citizen survey of the livelihood projects"
            ),
            record.name
        )),
        t(
            "第 1 步(共 2 步):请勾选您知道的工程。",
            "Step 1 of 2: tick the projects you know of."
        )
    );
    if let Some(error) = error {
        let _ = write!(
            body,
            "<p class=\"error\" role=\"alert\">{}</p>",
            escape(error)
        );
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/waves/{id}/survey\">{}{}{}{}",
        hidden("step", "items"),
        hidden("lang", lang.tag()),
        hidden("csrf", csrf),
        hidden("token", token)
    );
    let _ = write!(
        body,
        "<fieldset><legend>{}</legend>",
        t(
            "您知道以下哪些工程?",
            "Which of these projects do you know of?"
        )
    );
    for project in &wave.model.configuration.catalogue.projects {
        let _ = write!(
            body,
            "<div><label><input type=\"checkbox\" name=\"project\" value=\"{}\"> {}</label></div>",
            escape(&project.code),
            escape(lang.pick(&project.zh, &project.en))
        );
    }
    let _ = write!(
        body,
        "</fieldset><button type=\"submit\">{}</button></form>",
        t("下一步", "Next")
    );
    page(t("市民评价问卷", "Citizen survey"), lang, &body)
}

/// The most fields a questionnaire form may carry (every project and item, the profile and
/// the hidden keys fit several times over).
pub const MAX_FORM_FIELDS: usize = 1024;

/// The answers a form carries, keyed by field name (repeated names keep every value), found
/// in constant time whatever the form's length.
struct FormFields(std::collections::HashMap<String, Vec<String>>);

impl FormFields {
    /// The fields of a posted form; too many fields is refused before anything is read.
    fn new(pairs: Vec<(String, String)>) -> Result<FormFields, ApiError> {
        if pairs.len() > MAX_FORM_FIELDS {
            return Err(ApiError::TooLarge(format!(
                "a form has at most {MAX_FORM_FIELDS} fields; this one has {}",
                pairs.len()
            )));
        }
        let mut fields = std::collections::HashMap::<String, Vec<String>>::new();
        for (key, value) in pairs {
            fields.entry(key).or_default().push(value);
        }
        Ok(FormFields(fields))
    }
    fn one(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .and_then(|values| values.first())
            .map(String::as_str)
    }
    fn all(&self, name: &str) -> &[String] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }
}

/// Step 2 (the items and the profile) and the final submission.
async fn survey_step<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    ClientAddress(client): ClientAddress,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Html<String>, PageError> {
    let fields = FormFields::new(fields).map_err(|e| PageError(e, Lang::Zh))?;
    let lang = lang_of(fields.one("lang"));
    visitor
        .check_form(fields.one("csrf").unwrap_or(""))
        .map_err(|e| PageError(e, lang))?;
    let wave = open_wave(&state, id, lang)?;
    let token = fields.one("token").unwrap_or("").to_string();
    // The projects chosen, each once, in the catalogue's order; unknown codes are ignored.
    let ticked: std::collections::HashSet<&str> =
        fields.all("project").iter().map(String::as_str).collect();
    let chosen: Vec<String> = wave
        .model
        .configuration
        .catalogue
        .projects
        .iter()
        .filter(|project| ticked.contains(project.code.as_str()))
        .map(|project| project.code.clone())
        .collect();
    if chosen.is_empty() {
        let message = lang.pick(
            "请至少勾选一项您知道的工程。",
            "Please tick at least one project you know of.",
        );
        return Ok(projects_page(
            &wave,
            lang,
            visitor.csrf_token(),
            &token,
            Some(message),
        ));
    }
    if fields.one("step") != Some("submit") {
        let idempotency = format!(
            "{:016x}{:016x}",
            rand::random::<u64>(),
            rand::random::<u64>()
        );
        let keys = FormKeys {
            csrf: visitor.csrf_token(),
            token: &token,
            idempotency: &idempotency,
        };
        return Ok(items_page(&wave, lang, &keys, &chosen, &fields, &[]));
    }
    let mut submission = submission_from_form(&wave, &fields, &chosen);
    if !token.trim().is_empty() {
        // A citizen handed over by a portal answers through that portal's channel.
        submission.channel = None;
    }
    let idempotency = fields.one("idempotency_key").map(String::from);
    match accept_submission(
        &state,
        id,
        Respondent::from_token(Some(&token)),
        idempotency.clone(),
        submission,
        Submitter::Client(client),
    )
    .await
    {
        Ok(acknowledgement) => Ok(thanks_page(&wave, lang, acknowledgement)),
        Err(ApiError::Invalid { problems }) => Ok(items_page(
            &wave,
            lang,
            &FormKeys {
                csrf: visitor.csrf_token(),
                token: &token,
                idempotency: idempotency.as_deref().unwrap_or(""),
            },
            &chosen,
            &fields,
            &problems,
        )),
        Err(error) => Err(PageError(error, lang)),
    }
}

fn submission_from_form(
    wave: &LiveWave,
    fields: &FormFields,
    chosen: &[String],
) -> SubmissionInput {
    let items = wave.model.configuration.instrument.items();
    let ratings = chosen
        .iter()
        .map(|project| RatingInput {
            project: project.clone(),
            answers: items
                .iter()
                .map(|item| {
                    let value = fields
                        .one(&format!("a.{project}.{}", item.item.code))
                        .and_then(|v| v.parse::<u32>().ok());
                    (item.item.code.clone(), value)
                })
                .collect::<BTreeMap<_, _>>(),
        })
        .collect();
    let text = |name: &str| fields.one(name).filter(|v| !v.is_empty()).map(String::from);
    SubmissionInput {
        channel: Some("portal".into()),
        profile: ProfileInput {
            district: fields.one("district").unwrap_or("").to_string(),
            gender: text("gender"),
            age: fields.one("age").and_then(|v| v.trim().parse().ok()),
            education: text("education"),
            occupation: text("occupation"),
        },
        ratings,
    }
}

/// The hidden keys the questionnaire's second step carries: the CSRF token, the citizen's
/// token and the submission's idempotency key.
struct FormKeys<'a> {
    csrf: &'a str,
    token: &'a str,
    idempotency: &'a str,
}

fn items_page(
    wave: &LiveWave,
    lang: Lang,
    keys: &FormKeys<'_>,
    chosen: &[String],
    previous: &FormFields,
    problems: &[(String, String)],
) -> Html<String> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let configuration = &wave.model.configuration;
    let instrument = &configuration.instrument;
    let id = wave.id();
    let mut body = format!(
        "<h1>{}</h1><p>{}</p>",
        t("民心工程市民评价问卷", "Citizen survey of the livelihood projects"),
        t(
            "第 2 步(共 2 步):请为每项工程作答(1 = 非常不同意,5 = 非常同意),不清楚的请选“不知道”;最后填写个人信息。",
            "Step 2 of 2: answer for each project (1 = strongly disagree, 5 = strongly agree), or choose \"don't know\"; then tell us about yourself."
        )
    );
    if !problems.is_empty() {
        let _ = write!(
            body,
            "<div class=\"error\" role=\"alert\"><p>{}</p><ul>",
            t("请修改以下内容:", "Please correct the following:")
        );
        for (field, message) in problems {
            let _ = write!(body, "<li>{}: {}</li>", escape(field), escape(message));
        }
        body.push_str("</ul></div>");
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/waves/{id}/survey\">{}{}{}{}{}",
        hidden("step", "submit"),
        hidden("lang", lang.tag()),
        hidden("csrf", keys.csrf),
        hidden("token", keys.token),
        hidden("idempotency_key", keys.idempotency)
    );
    let scale = &instrument.scale;
    let labels = lang.pick_list(&scale.labels_zh, &scale.labels_en);
    for code in chosen {
        let Some(position) = configuration.catalogue.position(code.as_bytes()) else {
            continue;
        };
        let project = &configuration.catalogue.projects[usize::from(position)];
        body.push_str(&hidden("project", code));
        let _ = write!(
            body,
            "<fieldset><legend>{}</legend>",
            escape(lang.pick(&project.zh, &project.en))
        );
        for item in instrument.items() {
            let name = format!("a.{code}.{}", item.item.code);
            let current = previous.one(&name).unwrap_or("");
            let _ = write!(
                body,
                "<fieldset><legend class=\"question\">{}</legend>",
                escape(lang.pick(&item.item.zh, &item.item.en))
            );
            for level in 1..=scale.levels {
                let value = level.to_string();
                let checked = if current == value { " checked" } else { "" };
                let _ = write!(
                    body,
                    "<label><input type=\"radio\" name=\"{name}\" value=\"{value}\"{checked}> {level} {}</label>",
                    escape(&labels[(level - 1) as usize])
                );
            }
            let checked = if current.is_empty() { " checked" } else { "" };
            let _ = write!(
                body,
                "<label><input type=\"radio\" name=\"{name}\" value=\"\"{checked}> {}</label></fieldset>",
                escape(lang.pick(&scale.dont_know_zh, &scale.dont_know_en))
            );
        }
        body.push_str("</fieldset>");
    }
    let _ = write!(
        body,
        "<fieldset><legend>{}</legend>",
        t("关于您", "About you")
    );
    let select = |body: &mut String,
                  name: &str,
                  label: &str,
                  list: &minxin_domain::config::CodeList,
                  required: bool| {
        let current = previous.one(name).unwrap_or("");
        let _ = write!(
            body,
            "<div><label for=\"{name}\">{}</label><br><select id=\"{name}\" name=\"{name}\"{}><option value=\"\">{}</option>",
            escape(label),
            if required { " required" } else { "" },
            escape(lang.pick("请选择", "Choose"))
        );
        for entry in list.entries() {
            let selected = if current == entry.code {
                " selected"
            } else {
                ""
            };
            let _ = write!(
                body,
                "<option value=\"{}\"{selected}>{}</option>",
                escape(&entry.code),
                escape(lang.pick(&entry.zh, &entry.en))
            );
        }
        body.push_str("</select></div>");
    };
    let codes = &configuration.profile;
    select(
        &mut body,
        "district",
        t("所在区(必填)", "District (required)"),
        &configuration.districts,
        true,
    );
    select(
        &mut body,
        "gender",
        t("性别", "Gender"),
        &codes.genders,
        false,
    );
    let _ = write!(
        body,
        "<div><label for=\"age\">{}</label><br><input type=\"number\" id=\"age\" name=\"age\" min=\"10\" max=\"120\" inputmode=\"numeric\" value=\"{}\"></div>",
        t("年龄", "Age"),
        escape(previous.one("age").unwrap_or(""))
    );
    select(
        &mut body,
        "education",
        t("受教育程度", "Education"),
        &codes.educations,
        false,
    );
    select(
        &mut body,
        "occupation",
        t("职业", "Occupation"),
        &codes.occupations,
        false,
    );
    let _ = write!(
        body,
        "</fieldset><button type=\"submit\">{}</button></form>",
        t("提交", "Submit")
    );
    page(t("市民评价问卷", "Citizen survey"), lang, &body)
}

fn thanks_page(wave: &LiveWave, lang: Lang, acknowledgement: Acknowledgement) -> Html<String> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let note = match acknowledgement {
        Acknowledgement::Created => t("您的答卷已保存。", "Your answers are saved."),
        Acknowledgement::Replaced => t(
            "您的答卷已更新,之前的答卷已被替换。",
            "Your answers are updated; they replace your earlier ones.",
        ),
        Acknowledgement::AlreadyStored => {
            t("您的答卷此前已保存。", "Your answers were already saved.")
        }
    };
    let body = format!(
        "<h1>{}</h1><p role=\"status\">{note}</p><p><a href=\"/waves/{}{}\">{}</a></p>",
        t("感谢您的参与!", "Thank you for taking part!"),
        wave.id(),
        lang_suffix(lang),
        t("查看结果看板", "See the dashboard")
    );
    page(t("感谢参与", "Thank you"), lang, &body)
}
