//! The questionnaire pages: which projects the respondent knows, the items of each, and the
//! thank-you page (mobile first, Chinese by default, `?lang=en`).

use maud::PreEscaped;
use std::fmt::Write;

use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::Form;
use minxin_domain::organisation::Target;
use minxin_domain::platform::{Store, WaveStatus};
use minxin_report::Lang;

use super::api::{accept_submission, Respondent, Submitter};
use super::form::{submission_from_form, FormFields, FormKeys};
use crate::app::client::ClientAddress;
use crate::app::error::ApiError;
use crate::app::error::PageError;
use crate::app::guard::{may_read, GradeOf};
use crate::app::intake::Acknowledgement;
use crate::app::live::LiveWave;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::html::{escape, hidden, url_encode};
use crate::ui::i18n::{lang_of, lang_suffix, LangQuery};
use crate::ui::layout::page;

/// The language switch of the questionnaire, which keeps the respondent's token.
pub(super) fn survey_language_switch(id: i64, token: &str, lang: Lang) -> String {
    let token = url_encode(token);
    let (other, label, tag) = match lang {
        Lang::Zh => ("en", "English", "en"),
        Lang::En => ("zh", "中文", "zh-CN"),
    };
    format!(
        "<a href=\"/waves/{id}/survey?lang={other}&amp;token={token}\" lang=\"{tag}\">{label}</a>"
    )
}

pub(super) fn open_wave<S: Store>(
    state: &AppState<S>,
    id: i64,
    lang: Lang,
) -> Result<std::sync::Arc<LiveWave>, PageError> {
    let wave = state.wave(id).map_err(|e| PageError(e, lang))?;
    if wave.status() != WaveStatus::Open {
        return Err(PageError(
            crate::app::error::not_open(id, wave.status()),
            lang,
        ));
    }
    Ok(wave)
}

/// Step 1: which projects does the respondent know of?
pub(super) async fn survey_start<S: Store>(
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

pub(super) fn projects_page(
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
    page(t("市民评价问卷", "Citizen survey"), lang, PreEscaped(body))
}

/// Step 2 (the items and the profile) and the final submission.
pub(super) async fn survey_step<S: Store>(
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
        Ok(acknowledgement) => {
            let results_readable = may_read(
                &state,
                &visitor,
                GradeOf::WaveResults,
                wave.id(),
                &Target::City,
            );
            Ok(thanks_page(&wave, lang, acknowledgement, results_readable))
        }
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

pub(super) fn items_page(
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
    page(t("市民评价问卷", "Citizen survey"), lang, PreEscaped(body))
}

/// The thank-you page. It links to the results only for a visitor who may read them (once
/// published, everyone); before that it says when and where they will appear, so a citizen is
/// never sent to a sign-in page.
pub(super) fn thanks_page(
    wave: &LiveWave,
    lang: Lang,
    acknowledgement: Acknowledgement,
    results_readable: bool,
) -> Html<String> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let note = match acknowledgement {
        Acknowledgement::Created => t("您的答卷已保存。", "Your answers are saved."),
        Acknowledgement::Replaced => t(
            "您的答卷已更新，之前的答卷已被替换。",
            "Your answers are updated; they replace your earlier ones.",
        ),
        Acknowledgement::AlreadyStored => {
            t("您的答卷此前已保存。", "Your answers were already saved.")
        }
    };
    let next = if results_readable {
        format!(
            "<p><a href=\"/waves/{}{}\">{}</a></p>",
            wave.id(),
            lang_suffix(lang),
            t("查看评价结果", "See the results")
        )
    } else {
        format!(
            "<p>{}</p><p><a href=\"/{}\">{}</a></p>",
            t(
                "调查结束后，评价结果经市民心工程协调办公室审核发布，届时可在首页查看。",
                "Once the survey has ended and the coordination office has published the results, they appear on the home page.",
            ),
            lang_suffix(lang),
            t("返回首页", "Back to the home page")
        )
    };
    let body = format!(
        "<h1>{}</h1><p role=\"status\">{note}</p>{next}",
        t("感谢您的参与！", "Thank you for taking part!"),
    );
    page(t("感谢参与", "Thank you"), lang, PreEscaped(body))
}
