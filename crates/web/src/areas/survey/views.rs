//! The questionnaire's pages, mobile first: the welcome page, the choice of projects, one page
//! per project known, the page about the respondent and the thank-you page. Each step's form
//! carries what was answered before, unseen, so that the respondent can go back and forth
//! without losing an answer and without JavaScript.

use axum::response::Html;
use maud::{html, Markup};
use minxin_domain::config::{CodeList, Configuration, Project};
use minxin_domain::Problem;
use minxin_report::Lang;

use super::sheet::{answer_field, Sheet, Step, DONT_KNOW};
use crate::app::intake::Acknowledgement;
use crate::app::live::LiveWave;
use crate::ui::html::url_encode;
use crate::ui::i18n::lang_suffix;
use crate::ui::layout::page;

/// The keys every step's form carries: the CSRF token, the citizen's token (empty when the
/// respondent came directly) and the submission's idempotency key.
pub(super) struct FormKeys<'a> {
    pub(super) csrf: &'a str,
    pub(super) token: &'a str,
    pub(super) idempotency: &'a str,
}

/// What the respondent is told on a step shown again.
#[derive(Debug, Default)]
pub(super) enum Feedback {
    /// Nothing: the step is shown for the first time, or after going back.
    #[default]
    None,
    /// No project was ticked.
    NothingKnown,
    /// These items of the step's project are unanswered.
    Unanswered(Vec<String>),
    /// The submission was refused for these reasons.
    Refused(Vec<Problem>),
}

/// The questionnaire's title, the same on every step.
fn title(lang: Lang) -> &'static str {
    lang.pick(
        "民心工程市民评价问卷",
        "Citizen survey of the livelihood projects",
    )
}

/// The welcome page: who asks, why, how long it takes, when the survey runs, and what
/// happens to the answers.
pub(super) fn welcome(wave: &LiveWave, lang: Lang, keys: &FormKeys<'_>) -> Html<String> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let record = wave.record();
    let projects = wave.model.configuration.catalogue.projects.len();
    let (other, label, tag) = match lang {
        Lang::Zh => ("en", "English", "en"),
        Lang::En => ("zh", "中文", "zh-CN"),
    };
    let switch = format!(
        "/waves/{}/survey?lang={other}&token={}",
        wave.id(),
        url_encode(keys.token)
    );
    let period = match (&record.period_start, &record.period_end) {
        (Some(start), Some(end)) => Some(match lang {
            Lang::Zh => format!("{start} 至 {end}"),
            Lang::En => format!("{start} to {end}"),
        }),
        _ => None,
    };
    let body = html! {
        nav { a href=(switch) lang=(tag) { (label) } }
        h1 { (title(lang)) }
        p.lead { (record.name) }
        dl.facts {
            dt { (t("主办单位", "Organised by")) }
            dd { (t("市民心工程协调办公室", "The city's livelihood projects coordination office")) }
            dt { (t("调查目的", "Why")) }
            dd { (t(
                "了解市民对各项民心工程的知晓和满意程度。评价结果将公开发布，并用于督促各责任部门改进工作。",
                "To learn how well citizens know the livelihood projects and how satisfied they are. The results are published and used to hold the responsible departments to improving their work."
            )) }
            dt { (t("所需时间", "Time needed")) }
            dd { (match lang {
                Lang::Zh => format!("共 {projects} 项工程，您只需回答自己了解的。每项工程 8 个问题，约 1 分钟。"),
                Lang::En => format!("There are {projects} projects; you answer only those you know. Each has 8 questions and takes about a minute."),
            }) }
            @if let Some(period) = &period {
                dt { (t("调查时间", "Survey period")) }
                dd { (period) }
            }
        }
        h2 { (t("个人信息保护", "Your privacy")) }
        ul {
            li { (t("问卷不询问您的姓名、电话、身份证号或住址。", "The questionnaire does not ask for your name, telephone, identity number or address.")) }
            li { (t(
                "经“一网通办”或“随申办”进入的，平台只保存身份凭证经加密处理后的摘要，用于避免重复填写，无法据此识别您本人。",
                "If you came through the city's portal or app, the platform keeps only a keyed digest of your pass, to avoid counting you twice; it cannot tell who you are."
            )) }
            li { (t("答卷只以统计汇总的形式使用和公布，不公开任何一份答卷。", "Answers are used and published only as statistics; no single response is made public.")) }
            li { (t("填写完全自愿，您可以随时停止。", "Taking part is voluntary; you may stop at any time.")) }
        }
        @if wave.tokens_required() && keys.token.is_empty() {
            // Said before the questionnaire, not after it has been filled in.
            p.error role="alert" { (t(
                "本次调查只接受经“一网通办”或“随申办”进入的答卷，请从其中之一打开问卷。",
                "This survey takes answers only from citizens who open it through the city's portal or app; please open it from one of them."
            )) }
        } @else {
            form method="post" action=(format!("/waves/{}/survey", wave.id())) {
                (keys_fields(Step::Welcome, lang, keys))
                div.steps { button type="submit" name="go" value="next" { (t("开始填写", "Start")) } }
            }
        }
    };
    page(title(lang), lang, body)
}

/// A step of the questionnaire after the welcome page, showing `feedback` if it is shown again.
pub(super) fn step(
    wave: &LiveWave,
    lang: Lang,
    keys: &FormKeys<'_>,
    sheet: &Sheet,
    step: Step,
    feedback: &Feedback,
) -> Html<String> {
    let configuration = &wave.model.configuration;
    let content = match step {
        Step::Welcome | Step::Choose => choose(configuration, lang, sheet, feedback),
        Step::Project(k) => match sheet.project(configuration, k) {
            Some(project) => project_questions(configuration, lang, sheet, k, project, feedback),
            None => choose(configuration, lang, sheet, feedback),
        },
        Step::Profile => profile(configuration, lang, sheet, feedback),
    };
    let shown = match step {
        Step::Project(k) => sheet
            .known
            .get(k)
            .map(|code| code.as_str())
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    let (number, total) = step.progress(sheet.known.len());
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let back_label = t("上一步", "Back");
    let next_label = match step {
        Step::Profile => t("提交答卷", "Submit"),
        _ => t("下一步", "Next"),
    };
    let body = html! {
        h1 { (title(lang)) }
        @if step != Step::Choose {
            p.progress {
                (match lang {
                    Lang::Zh => format!("第 {number} 步，共 {total} 步"),
                    Lang::En => format!("Step {number} of {total}"),
                })
                " "
                progress value=(number) max=(total) { (format!("{number}/{total}")) }
            }
        } @else {
            p.progress { (t("第 1 步：选择您了解的工程", "Step 1: the projects you know")) }
        }
        form method="post" action=(format!("/waves/{}/survey", wave.id())) {
            (keys_fields(step, lang, keys))
            (carried(sheet, step, &shown))
            (content)
            // The forward button comes first, so that pressing Enter goes forward; the style
            // sheet shows it on the right.
            div.steps {
                button type="submit" name="go" value="next" { (next_label) }
                button.secondary type="submit" name="go" value="back" formnovalidate { (back_label) }
            }
        }
    };
    page(title(lang), lang, body)
}

/// The hidden keys and the step the form was shown at.
fn keys_fields(step: Step, lang: Lang, keys: &FormKeys<'_>) -> Markup {
    html! {
        input type="hidden" name="at" value=(step.code());
        input type="hidden" name="lang" value=(lang.tag());
        input type="hidden" name="csrf" value=(keys.csrf);
        input type="hidden" name="token" value=(keys.token);
        input type="hidden" name="idempotency_key" value=(keys.idempotency);
    }
}

/// What the respondent gave on other steps, carried unseen: the projects known (except on the
/// page that asks for them), the answers about projects not `shown`, and the profile (except
/// on its own page).
fn carried(sheet: &Sheet, step: Step, shown: &[&str]) -> Markup {
    let on_this_page = |field: &str| {
        shown
            .iter()
            .any(|project| field.starts_with(&format!("a.{project}.")))
    };
    html! {
        @if step != Step::Choose {
            @for project in &sheet.known { input type="hidden" name="project" value=(project); }
        }
        @for (field, value) in sheet.answers() {
            @if !on_this_page(field) { input type="hidden" name=(field) value=(value); }
        }
        @if step != Step::Profile {
            @for (field, value) in sheet.profile_fields() {
                input type="hidden" name=(field) value=(value);
            }
        }
    }
}

/// A project's name and its one-line description.
fn name_and_summary(project: &Project, lang: Lang) -> (&str, Option<&str>) {
    let summary = match lang {
        Lang::Zh => project.summary_zh.as_deref(),
        Lang::En => project.summary_en.as_deref(),
    };
    (lang.pick(&project.zh, &project.en), summary)
}

/// Which projects does the respondent know?
fn choose(configuration: &Configuration, lang: Lang, sheet: &Sheet, feedback: &Feedback) -> Markup {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    html! {
        @if matches!(feedback, Feedback::NothingKnown) {
            p.error role="alert" { (t("请至少勾选一项您知道的工程。", "Please tick at least one project you know of.")) }
        }
        fieldset {
            legend { (t("您知道以下哪些工程？（可多选）", "Which of these projects do you know of? (Tick all that apply.)")) }
            @for project in &configuration.catalogue.projects {
                @let (name, summary) = name_and_summary(project, lang);
                div.choice {
                    label {
                        input type="checkbox" name="project" value=(project.code) checked[sheet.known.contains(&project.code)];
                        span { strong { (name) } @if let Some(summary) = summary { br; span.hint { (summary) } } }
                    }
                }
            }
        }
    }
}

/// The questions about the `k`-th known project.
fn project_questions(
    configuration: &Configuration,
    lang: Lang,
    sheet: &Sheet,
    k: usize,
    project: &Project,
    feedback: &Feedback,
) -> Markup {
    let instrument = &configuration.instrument;
    let scale = &instrument.scale;
    let labels = lang.pick_list(&scale.labels_zh, &scale.labels_en);
    let (name, summary) = name_and_summary(project, lang);
    let missing: &[String] = match feedback {
        Feedback::Unanswered(items) => items,
        _ => &[],
    };
    let known = sheet.known.len();
    html! {
        p.hint { (match lang {
            Lang::Zh => format!("第 {} 项工程，共 {known} 项", k + 1),
            Lang::En => format!("Project {} of {known}", k + 1),
        }) }
        h2 { (name) }
        @if let Some(summary) = summary { p.hint { (summary) } }
        p { (lang.pick(
            "请按您的感受，为下面每句话选择同意的程度；不清楚的，请选“不知道”。",
            "For each statement, choose how far you agree; if you cannot say, choose \"don't know\"."
        )) }
        @if !missing.is_empty() {
            div.error role="alert" id="unanswered" {
                p { (match lang {
                    Lang::Zh => format!("还有 {} 题没有作答，请为每题选择一个答案：", missing.len()),
                    Lang::En => format!("{} questions are not answered yet; please choose an answer for each:", missing.len()),
                }) }
                ul {
                    @for item in instrument.items().iter().filter(|item| missing.contains(&item.item.code)) {
                        li { a href=(format!("#q-{}", item.item.code)) { (lang.pick(&item.item.zh, &item.item.en)) } }
                    }
                }
            }
        }
        @for item in instrument.items() {
            @let field = answer_field(&project.code, &item.item.code);
            @let current = sheet.answer(&field);
            @let unanswered = missing.contains(&item.item.code);
            fieldset.question.missing[unanswered] id=(format!("q-{}", item.item.code)) {
                legend { (lang.pick(&item.item.zh, &item.item.en)) }
                @for level in 1..=scale.levels {
                    @let value = level.to_string();
                    label {
                        input type="radio" name=(field) value=(value) checked[current == Some(value.as_str())];
                        (format!("{level} {}", labels[(level - 1) as usize]))
                    }
                }
                label {
                    input type="radio" name=(field) value=(DONT_KNOW) checked[current == Some(DONT_KNOW)];
                    (lang.pick(&scale.dont_know_zh, &scale.dont_know_en))
                }
            }
        }
    }
}

/// About the respondent; only the district is required.
fn profile(
    configuration: &Configuration,
    lang: Lang,
    sheet: &Sheet,
    feedback: &Feedback,
) -> Markup {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let codes = &configuration.profile;
    let choice = |name: &str, label: &str, list: &CodeList| {
        let current = sheet.profile(name);
        html! {
            div {
                label for=(name) { (label) }
                br;
                select id=(name) name=(name) required[name == "district"] {
                    option value="" { (t("请选择", "Choose")) }
                    @for entry in list.entries() {
                        option value=(entry.code) selected[current == entry.code] { (lang.pick(&entry.zh, &entry.en)) }
                    }
                }
            }
        }
    };
    html! {
        h2 { (t("关于您", "About you")) }
        p.hint { (t(
            "以下信息只用于按区和人群统计结果，除所在区外都可以不填。",
            "This is used only to count the results by district and group; all but the district may be left blank."
        )) }
        @if let Feedback::Refused(problems) = feedback {
            div.error role="alert" {
                p { (t("答卷未能提交，请修改以下内容：", "Your answers could not be submitted; please correct the following:")) }
                ul { @for problem in problems { li { (lang.pick(&problem.zh, &problem.en)) } } }
            }
        }
        fieldset {
            legend { (t("关于您", "About you")) }
            (choice("district", t("所在区（必填）", "District (required)"), &configuration.districts))
            (choice("gender", t("性别", "Gender"), &codes.genders))
            div {
                label for="age" { (t("年龄（周岁）", "Age (years)")) }
                br;
                input type="number" id="age" name="age" min="10" max="120" inputmode="numeric" value=(sheet.profile("age"));
            }
            (choice("education", t("受教育程度", "Education"), &codes.educations))
            (choice("occupation", t("职业", "Occupation"), &codes.occupations))
        }
    }
}

/// The thank-you page. It links to the results only for a visitor who may read them (once
/// published, everyone); before that it says when and where they will appear, so a citizen is
/// never sent to a sign-in page.
pub(super) fn thanks(
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
    let body = html! {
        h1 { (t("感谢您的参与！", "Thank you for taking part!")) }
        p role="status" { (note) }
        @if results_readable {
            p { a href=(format!("/waves/{}{}", wave.id(), lang_suffix(lang))) { (t("查看评价结果", "See the results")) } }
        } @else {
            p { (t(
                "调查结束后，评价结果经市民心工程协调办公室审核发布，届时可在首页查看。",
                "Once the survey has ended and the coordination office has published the results, they appear on the home page.",
            )) }
            p { a href=(format!("/{}", lang_suffix(lang))) { (t("返回首页", "Back to the home page")) } }
        }
    };
    page(t("感谢参与", "Thank you"), lang, body)
}
