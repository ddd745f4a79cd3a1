//! The coordination office's pages for a wave's life: the form that creates a wave or edits
//! a draft, the wave's management page (what it is and what may be done with it next), and
//! the page that asks to confirm opening or closing it.

use axum::response::Html;
use maud::{html, Markup};
use minxin_domain::platform::{WaveRecord, WaveStatus};
use minxin_domain::{Configuration, Problem};
use minxin_report::Lang;

use super::api::CreateWave;
use crate::app::live::LiveWave;
use crate::ui::format::wave_status;
use crate::ui::i18n::lang_suffix;
use crate::ui::layout::page;

/// The quadrant rules the form offers, with their names.
const CUT_POINT_RULES: [(&str, &str, &str); 3] = [
    (
        "median",
        "各工程指数的中位数（默认）",
        "The median of the projects' indices (default)",
    ),
    (
        "pooled-median",
        "全部评分合并后的中位数",
        "The median of all ratings pooled",
    ),
    (
        "mean",
        "各工程指数的平均数",
        "The mean of the projects' indices",
    ),
];

/// Where a wave form posts, and what it is for.
pub(super) enum FormPurpose {
    /// A new wave.
    Create,
    /// Draft `id`, edited.
    Edit(i64),
}

/// The form's values: those of the draft being edited, those just posted, or a new wave's.
pub(super) fn blank_wave() -> CreateWave {
    CreateWave {
        name: String::new(),
        period_start: None,
        period_end: None,
        quotas: Default::default(),
        projects: None,
        tokens_required: false,
        cut_points: None,
    }
}

/// The values of the form that edits `record`.
pub(super) fn wave_values(wave: &LiveWave) -> CreateWave {
    let record: WaveRecord = wave.record();
    CreateWave {
        name: record.name,
        period_start: record.period_start,
        period_end: record.period_end,
        quotas: record.quotas,
        projects: Some(wave.project_codes()),
        tokens_required: record.tokens_required,
        cut_points: Some(record.cut_points),
    }
}

/// The form that creates a wave or edits a draft, with `problems` from the last attempt.
pub(super) fn wave_form(
    purpose: &FormPurpose,
    values: &CreateWave,
    problems: &[Problem],
    choices: &[minxin_domain::config::Project],
    csrf: &str,
    lang: Lang,
) -> Html<String> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let defaults = Configuration::defaults();
    let suffix = lang_suffix(lang);
    let (title, action, back) = match purpose {
        FormPurpose::Create => (
            t("新建一轮评价", "New wave"),
            format!("/waves/new{suffix}"),
            format!("/{suffix}"),
        ),
        FormPurpose::Edit(id) => (
            t("修改评价草稿", "Edit the draft wave"),
            format!("/waves/{id}/edit{suffix}"),
            format!("/waves/{id}/manage{suffix}"),
        ),
    };
    let included = |code: &str| {
        values
            .projects
            .as_ref()
            .is_none_or(|projects| projects.iter().any(|p| p == code))
    };
    let rule = values.cut_points.as_deref().unwrap_or("median");
    let other_rule = !CUT_POINT_RULES.iter().any(|(code, _, _)| *code == rule);
    let body = html! {
        nav { a href=(back) { (t("返回", "Back")) } }
        h1 { (title) }
        p.hint { (t(
            "保存后是草稿：可以继续修改，开始收集答卷之前市民看不到它。",
            "It is saved as a draft: it can still be changed, and citizens do not see it until it opens."
        )) }
        @if !problems.is_empty() {
            div.error role="alert" {
                p { (t("未能保存，请修改以下内容：", "Not saved; please correct the following:")) }
                ul { @for problem in problems { li { (lang.pick(&problem.zh, &problem.en)) } } }
            }
        }
        form.stacked method="post" action=(action) {
            input type="hidden" name="csrf" value=(csrf);
            p {
                label for="name" { (t("名称（例如“2026 年春季评价”）", "Name (such as \"Spring 2026\")")) }
                input type="text" id="name" name="name" required maxlength="64" value=(values.name);
            }
            p {
                label for="period_start" { (t("开始日期", "First day")) }
                input type="date" id="period_start" name="period_start" value=(values.period_start.as_deref().unwrap_or(""));
            }
            p {
                label for="period_end" { (t("结束日期", "Last day")) }
                input type="date" id="period_end" name="period_end" value=(values.period_end.as_deref().unwrap_or(""));
            }
            fieldset {
                legend { (t("纳入评价的工程", "Projects evaluated")) }
                @for project in choices {
                    div { label {
                        input type="checkbox" name="project" value=(project.code) checked[included(&project.code)];
                        (lang.pick(&project.zh, &project.en))
                    } }
                }
            }
            fieldset {
                legend { (t("各区配额（答卷份数，可不填）", "Quota per district (responses; may be left blank)")) }
                @for district in defaults.districts.entries() {
                    @let field = format!("quota.{}", district.code);
                    p {
                        label for=(field) { (lang.pick(&district.zh, &district.en)) }
                        input type="number" id=(field) name=(field) min="0" inputmode="numeric"
                            value=(values.quotas.get(&district.code).map(u64::to_string).unwrap_or_default());
                    }
                }
            }
            p { label {
                input type="checkbox" name="tokens_required" value="yes" checked[values.tokens_required];
                (t("只接受经“一网通办”或“随申办”进入的答卷", "Take answers only from citizens handed over by the city's portal or app"))
            } }
            p {
                label for="cut_points" { (t("四象限的划分", "How the quadrants are cut")) }
                select id="cut_points" name="cut_points" {
                    @for (code, zh, en) in CUT_POINT_RULES {
                        option value=(code) selected[rule == code] { (lang.pick(zh, en)) }
                    }
                    @if other_rule {
                        option value=(rule) selected { (t("固定目标值 ", "Fixed targets ")) (rule) }
                    }
                }
            }
            div.steps { button type="submit" { (t("保存草稿", "Save the draft")) } }
        }
    };
    page(title, lang, body)
}

/// What a wave is, for its management page.
fn facts(wave: &LiveWave, published: bool, lang: Lang) -> Markup {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let record = wave.record();
    let configuration = &wave.model.configuration;
    let quota_total: u64 = record.quotas.values().sum();
    let responses = wave.with_live(|live| live.responses);
    let rule = CUT_POINT_RULES
        .iter()
        .find(|(code, _, _)| *code == record.cut_points)
        .map_or(record.cut_points.clone(), |(_, zh, en)| {
            lang.pick(zh, en).to_string()
        });
    html! {
        dl.facts {
            dt { (t("状态", "Status")) }
            dd {
                (wave_status(record.status, lang))
                @if published { (t("，结果已发布", ", results published")) }
            }
            dt { (t("调查时间", "Survey period")) }
            dd { (match (&record.period_start, &record.period_end) {
                (Some(start), Some(end)) => format!("{start} {} {end}", t("至", "to")),
                (Some(start), None) => format!("{start} {}", t("起", "onwards")),
                (None, Some(end)) => format!("{} {end}", t("截至", "until")),
                (None, None) => t("未定", "not set").to_string(),
            }) }
            dt { (t("纳入工程", "Projects")) }
            dd { (match lang {
                Lang::Zh => format!("{} 项：", configuration.catalogue.projects.len()),
                Lang::En => format!("{}: ", configuration.catalogue.projects.len()),
            })
                @for (k, project) in configuration.catalogue.projects.iter().enumerate() {
                    @if k > 0 { (t("、", ", ")) }
                    (lang.pick(&project.zh, &project.en))
                }
            }
            dt { (t("答卷", "Responses")) }
            dd {
                (responses)
                @if quota_total > 0 { (t(" / 配额 ", " of a quota of ")) (quota_total) }
            }
            dt { (t("答卷来源", "Who may answer")) }
            dd { (if record.tokens_required {
                t("只接受经“一网通办”或“随申办”进入的答卷", "Only citizens handed over by the city's portal or app")
            } else {
                t("所有市民（包括直接打开问卷的）", "Every citizen, including those who open the questionnaire directly")
            }) }
            dt { (t("四象限的划分", "Quadrant cut")) }
            dd { (rule) }
        }
    }
}

/// The page that confirms moving wave `id` to the status `to`.
fn status_href(id: i64, to: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("/waves/{id}/status?to={to}"),
        Lang::En => format!("/waves/{id}/status?to={to}&lang=en"),
    }
}

/// The management page of a wave: what it is, and the next steps its status allows.
pub(super) fn manage_page(
    wave: &LiveWave,
    published: bool,
    may_publish: bool,
    lang: Lang,
) -> Html<String> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let suffix = lang_suffix(lang);
    let id = wave.id();
    let status = wave.status();
    let body = html! {
        nav { a href={ "/" (suffix) } { (t("首页", "Home")) } }
        h1 { (wave.name()) }
        (facts(wave, published, lang))
        h2 { (t("下一步", "Next steps")) }
        ul.actions {
            @match status {
                WaveStatus::Draft => {
                    li { a href={ "/waves/" (id) "/edit" (suffix) } { (t("修改草稿", "Edit the draft")) } }
                    li { a href=(status_href(id, "open", lang)) { (t("开始收集答卷……", "Open for responses…")) } }
                }
                WaveStatus::Open => {
                    li { a href={ "/waves/" (id) "/survey" (suffix) } { (t("查看问卷", "See the questionnaire")) } }
                    li { a href={ "/waves/" (id) "/import" (suffix) } { (t("导入答卷文件", "Import a file")) } }
                    li { a href=(status_href(id, "closed", lang)) { (t("结束收集答卷……", "Close…")) } }
                }
                WaveStatus::Closed => {
                    @if may_publish {
                        li { a href={ "/waves/" (id) "/publication" (suffix) } {
                            @if published { (t("撤回发布……", "Withdraw the results…")) } @else { (t("发布结果……", "Publish the results…")) }
                        } }
                    }
                    @if !published {
                        li { a href=(status_href(id, "open", lang)) { (t("重新开放答卷……", "Reopen for responses…")) } }
                    }
                }
            }
            li { a href={ "/waves/" (id) (suffix) } { (t("结果看板", "Dashboard")) } }
        }
    };
    page(&wave.name(), lang, body)
}

/// The page that asks to confirm moving wave `wave` to `to`, saying what that changes.
pub(super) fn confirm_status(
    wave: &LiveWave,
    to: WaveStatus,
    csrf: &str,
    lang: Lang,
) -> Html<String> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let suffix = lang_suffix(lang);
    let id = wave.id();
    let responses = wave.with_live(|live| live.responses);
    let from = wave.status();
    let (title, consequence, button) = match (from, to) {
        (WaveStatus::Draft, WaveStatus::Open) => (
            t("开始收集答卷？", "Open for responses?"),
            t(
                "开始后，市民即可填写问卷，各渠道的答卷也会计入；这一轮评价的名称、工程和配额将不能再修改。",
                "Once open, citizens may answer and every channel's responses count; the wave's name, projects and quotas can no longer be changed.",
            )
            .to_string(),
            t("确认开始", "Open it"),
        ),
        (_, WaveStatus::Open) => (
            t("重新开放答卷？", "Reopen for responses?"),
            t(
                "重新开放后，市民可以继续提交答卷，结果会随之变化。",
                "Once reopened, citizens may answer again and the results change with their answers.",
            )
            .to_string(),
            t("确认重新开放", "Reopen it"),
        ),
        _ => (
            t("结束收集答卷？", "Close the wave?"),
            match lang {
                Lang::Zh => format!("结束后不再接受任何答卷，目前已收到 {responses} 份。结束后可以审核并发布结果。"),
                Lang::En => format!("Once closed, no more responses are taken; {responses} have been received. The results can then be reviewed and published."),
            },
            t("确认结束", "Close it"),
        ),
    };
    let body = html! {
        h1 { (title) }
        p.lead { (wave.name()) }
        p { (consequence) }
        p.hint { (t("这一操作会以您的姓名记入审计日志。", "This is recorded in the audit trail under your name.")) }
        form method="post" action={ "/waves/" (id) "/status" (suffix) } {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="to" value=(to.code());
            div.steps {
                button type="submit" { (button) }
                a href={ "/waves/" (id) "/manage" (suffix) } { (t("取消", "Cancel")) }
            }
        }
    };
    page(title, lang, body)
}
