//! A wave's dashboard: its status, publication, intake against quotas, links to each project's
//! and district's page, the downloads and the report.

use maud::PreEscaped;
use std::fmt::Write;

use axum::extract::{Path, Query, State};
use axum::response::Html;
use minxin_domain::access::{Action, Grade};
use minxin_domain::platform::{Store, WaveStatus};
use minxin_report::{render_report_body, Lang};

use crate::app::error::PageError;
use crate::app::guard::city_allows;
use crate::app::live::LiveWave;
use crate::app::navigation::account_links;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::format::wave_status;
use crate::ui::html::escape;
use crate::ui::i18n::{lang_of, lang_suffix, language_switch, LangQuery};
use crate::ui::layout::page;

/// When live figures were last updated, or that none have come in yet.
pub(super) fn figures_as_of(ms: i64, lang: Lang) -> String {
    if ms == 0 {
        lang.pick("尚无答卷", "no responses yet").to_string()
    } else {
        crate::ui::format::second(ms, lang)
    }
}

pub(super) fn intake_section(wave: &LiveWave, lang: Lang) -> String {
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

pub(super) async fn dashboard<S: Store>(
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
    let evaluation = super::analysis::for_visitor(&state, &visitor, evaluation);
    let title = format!("{} · {}", lang.pick("结果看板", "Dashboard"), record.name);
    let body = format!(
        "<nav><a href=\"/{suffix}\">{home}</a>{survey}<a href=\"/waves/{id}/report{suffix}\">{printable}</a><a href=\"/waves/{id}/robustness{suffix}\">{robustness}</a>{import}<a href=\"/compare{suffix}\">{compare}</a>{switch}{account}</nav><h1>{title}</h1><p>{status}</p>{publication}{intake}{projects}{districts}{downloads}{report}",
        districts = district_links(&wave, lang),
        account = account_links(&state, &visitor, lang).into_string(),
        publication = crate::areas::publication::pages::publication_section(
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
        switch = language_switch(&format!("/waves/{id}"), lang).into_string(),
        title = escape(&title),
        status = wave_status(record.status, lang),
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
    Ok(page(&title, lang, PreEscaped(body)))
}

/// Links to the page of each district of the wave.
pub(super) fn district_links(wave: &LiveWave, lang: Lang) -> String {
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
pub(super) fn project_links(wave: &LiveWave, lang: Lang) -> String {
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
pub(super) fn download_links(id: i64, lang: Lang, microdata: bool) -> String {
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
