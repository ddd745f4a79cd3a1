//! The upload form of a file import (`/waves/{id}/import`): a file input and a choice to keep
//! the valid rows; the result page shows what was stored or every rejected row, with its
//! reason in the page's language.

use axum::extract::{Multipart, Path, Query, State};
use axum::response::Html;
use maud::{html, Markup};
use minxin_domain::platform::Store;
use minxin_report::Lang;
use serde_json::Value;

use super::api::{import_file, ImportReport};
use crate::app::error::ApiError;
use crate::app::error::PageError;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::i18n::{lang_of, lang_suffix, language_switch, LangQuery};
use crate::ui::layout::page;

/// The upload form.
fn form(id: i64, lang: Lang, csrf: &str) -> Markup {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    html! {
        form.stacked method="post" enctype="multipart/form-data" action={ "/waves/" (id) "/import" (lang_suffix(lang)) } {
            input type="hidden" name="csrf" value=(csrf);
            p {
                label for="file" { (t("答卷文件（CSV 或 XLSX）", "Response file (CSV or XLSX)")) }
                input type="file" id="file" name="file" required
                    accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            }
            p { label {
                input type="checkbox" name="keep_valid" value="true";
                (t(
                    "有错误的行时，仍导入其余正确的行（默认：只要有一行出错，就全部不导入）",
                    "Import the valid rows even if some rows are rejected (by default, any rejected row stops the whole import)"
                ))
            } }
            div.steps { button type="submit" { (t("导入", "Import")) } }
        }
    }
}

/// The page around the import's form or result.
fn frame(id: i64, name: &str, lang: Lang, content: Markup) -> Html<String> {
    let suffix = lang_suffix(lang);
    let title = format!(
        "{}{}{name}",
        lang.pick("导入答卷文件", "Import a response file"),
        lang.pick("：", ": ")
    );
    let body = html! {
        nav {
            a href={ "/" (suffix) } { (lang.pick("首页", "Home")) }
            a href={ "/waves/" (id) (suffix) } { (lang.pick("结果看板", "Dashboard")) }
            (language_switch(&format!("/waves/{id}/import"), lang))
        }
        h1 { (title) }
        p.muted {
            (lang.pick("文件格式与命令行的 ", "The format is that of "))
            code { "minxin evaluate" }
            (lang.pick(
                " 相同：第一行为列名，此后每行是一名受访者对一项工程的评价。同一受访者再次导入，会替换其原有答卷。",
                ": a header row, then one row per respondent and project. Importing a respondent again replaces their earlier answers."
            ))
        }
        (content)
    };
    page(&title, lang, body)
}

/// `GET /waves/{id}/import`.
pub(super) async fn import_page<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(query): Query<LangQuery>,
) -> Result<Html<String>, PageError> {
    let lang = lang_of(query.lang.as_deref());
    let wave = state.wave(id).map_err(|e| PageError(e, lang))?;
    Ok(frame(
        id,
        &wave.name(),
        lang,
        form(id, lang, visitor.csrf_token()),
    ))
}

/// `POST /waves/{id}/import`: a multipart form with `file` and, optionally, `keep_valid`.
pub(super) async fn import_upload<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(query): Query<LangQuery>,
    mut multipart: Multipart,
) -> Result<Html<String>, PageError> {
    let lang = lang_of(query.lang.as_deref());
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let wave = state.wave(id).map_err(|e| PageError(e, lang))?;
    let mut file: Option<Vec<u8>> = None;
    let mut keep_valid = false;
    let mut csrf = String::new();
    let malformed = |message: String| {
        PageError(
            ApiError::invalid(
                "file",
                "上传的文件未能完整接收，请重新选择文件上传。",
                message,
            ),
            lang,
        )
    };
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| malformed(e.to_string()))?
    {
        match field.name() {
            Some("file") => {
                file = Some(
                    field
                        .bytes()
                        .await
                        .map_err(|e| malformed(e.to_string()))?
                        .to_vec(),
                )
            }
            Some("keep_valid") => keep_valid = true,
            Some("csrf") => csrf = field.text().await.map_err(|e| malformed(e.to_string()))?,
            _ => {}
        }
    }
    visitor.check_form(&csrf).map_err(|e| PageError(e, lang))?;
    let by = visitor
        .require_attribution()
        .map_err(|e| PageError(e, lang))?;
    let csrf = visitor.csrf_token();
    let content = match file.filter(|f| !f.is_empty()) {
        None => html! {
            p.error role="alert" { (t("请选择要导入的文件。", "Choose a file to import.")) }
            (form(id, lang, csrf))
        },
        Some(file) => match import_file(&state, id, file, keep_valid, &by).await {
            Ok(report) => imported(&report, id, lang),
            Err(ApiError::Rejected { rejected, listed }) => html! {
                p.error role="alert" { (match lang {
                    Lang::Zh => format!("有 {rejected} 行有错误，未导入任何数据。请修改后重新导入，或选择只导入正确的行。"),
                    Lang::En => format!("{rejected} rows were rejected and nothing was imported. Correct them and import again, or choose to import the valid rows."),
                }) }
                (rejection_table(&listed, lang))
                (form(id, lang, csrf))
            },
            Err(ApiError::Invalid { problems }) => html! {
                @for problem in &problems {
                    p.error role="alert" { (lang.pick(&problem.zh, &problem.en)) }
                }
                (form(id, lang, csrf))
            },
            Err(other) => return Err(PageError(other, lang)),
        },
    };
    Ok(frame(id, &wave.name(), lang, content))
}

/// What an import stored, and the rows it left out.
fn imported(report: &ImportReport, id: i64, lang: Lang) -> Markup {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let listed: Vec<Value> = report
        .rejections
        .iter()
        .map(|r| serde_json::to_value(r).expect("plain fields"))
        .collect();
    let counts = [
        (t("导入的行", "Rows imported"), report.rows_used as usize),
        (t("受访者", "Respondents"), report.respondents),
        (t("新增", "New"), report.created),
        (t("替换原有答卷", "Replaced"), report.replaced),
        (t("与已有答卷相同", "Already stored"), report.already_stored),
        (t("未导入的行", "Rows left out"), report.rejected),
    ];
    html! {
        p role="status" { (t("导入完成。", "Imported.")) }
        ul { @for (label, count) in counts { li { (label) (t("：", ": ")) (count) } } }
        @if !listed.is_empty() { (rejection_table(&listed, lang)) }
        p { a href={ "/waves/" (id) (lang_suffix(lang)) } { (t("查看结果看板", "See the dashboard")) } }
    }
}

/// The rejected rows, each with its row, column and reason in the page's language.
fn rejection_table(listed: &[Value], lang: Lang) -> Markup {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let reason_key = match lang {
        Lang::Zh => "reason_zh",
        Lang::En => "reason",
    };
    html! {
        div.scroll { table {
            caption.muted { (t("未导入的行", "Rejected rows")) }
            thead { tr {
                th.num scope="col" { (t("行", "Row")) }
                th scope="col" { (t("列", "Column")) }
                th scope="col" { (t("原因", "Reason")) }
            } }
            tbody { @for rejection in listed {
                tr {
                    th.num scope="row" { (rejection["row"]) }
                    td { (rejection["column"].as_str().unwrap_or("—")) }
                    td { (rejection[reason_key].as_str().or(rejection["reason"].as_str()).unwrap_or("")) }
                }
            } }
        } }
    }
}
