//! The upload form of a file import (`/waves/{id}/import`): a file input and a choice to keep
//! the valid rows; the result page shows what was stored or every rejected row.

use maud::PreEscaped;
use std::fmt::Write;

use axum::extract::{Multipart, Path, Query, State};
use axum::response::Html;
use minxin_domain::platform::Store;
use minxin_report::svg::escape;
use minxin_report::Lang;
use serde_json::Value;

use super::api::{import_file, ImportReport};
use crate::app::error::ApiError;
use crate::app::error::PageError;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::i18n::{lang_of, lang_suffix, language_switch, LangQuery};
use crate::ui::layout::page;

fn form(id: i64, lang: Lang, csrf: &str) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    format!(
        "<form method=\"post\" enctype=\"multipart/form-data\" action=\"/waves/{id}/import{suffix}\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <p><label for=\"file\">{file}</label> <input type=\"file\" id=\"file\" name=\"file\" required \
         accept=\".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\"></p>\
         <p><label><input type=\"checkbox\" name=\"keep_valid\" value=\"true\"> {keep}</label></p>\
         <button type=\"submit\">{go}</button></form>",
        suffix = lang_suffix(lang),
        file = t("答卷文件(CSV 或 XLSX)", "Response file (CSV or XLSX)"),
        keep = t(
            "有错误行时仍导入其余有效行(默认:有任何错误则全部不导入)",
            "Import the valid rows even if some rows are rejected (by default, any rejected row stops the whole import)"
        ),
        go = t("导入", "Import"),
    )
}

fn frame(id: i64, name: &str, lang: Lang, content: &str) -> Html<String> {
    let title = format!(
        "{} · {name}",
        lang.pick("导入答卷文件", "Import a response file")
    );
    let body = format!(
        "<nav><a href=\"/{suffix}\">{home}</a><a href=\"/waves/{id}{suffix}\">{dashboard}</a>{switch}</nav><h1>{title}</h1>\
         <p class=\"muted\">{format}</p>{content}",
        suffix = lang_suffix(lang),
        home = lang.pick("全部波次", "All waves"),
        dashboard = lang.pick("结果看板", "Dashboard"),
        switch = language_switch(&format!("/waves/{id}/import"), lang).into_string(),
        title = escape(&title),
        format = lang.pick(
            "文件格式与 minxin evaluate 相同:首行为列名,每行为一名受访者对一项工程的评价。同一受访者再次导入会替换其原有答卷。",
            "The format is that of minxin evaluate: a header row, then one row per respondent and project. Importing a respondent again replaces their earlier answers."
        ),
    );
    page(&title, lang, PreEscaped(body))
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
        &form(id, lang, visitor.csrf_token()),
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
        None => format!(
            "<p class=\"error\" role=\"alert\">{}</p>{}",
            t("请选择要导入的文件。", "Choose a file to import."),
            form(id, lang, csrf)
        ),
        Some(file) => match import_file(&state, id, file, keep_valid, &by).await {
            Ok(report) => imported(&report, id, lang),
            Err(ApiError::Rejected { rejected, listed }) => {
                let mut out = format!(
                    "<p class=\"error\" role=\"alert\">{}</p>",
                    escape(&match lang {
                        Lang::Zh => format!("{rejected} 行有错误,未导入任何数据。请修改后重新导入,或选择只导入有效行。"),
                        Lang::En => format!("{rejected} rows were rejected and nothing was imported. Correct them and import again, or choose to import the valid rows."),
                    })
                );
                rejection_table(&mut out, &listed, lang);
                out.push_str(&form(id, lang, csrf));
                out
            }
            Err(ApiError::Invalid { problems }) => {
                let mut out = String::new();
                for problem in problems {
                    let _ = write!(
                        out,
                        "<p class=\"error\" role=\"alert\">{}</p>",
                        escape(lang.pick(&problem.zh, &problem.en))
                    );
                }
                out.push_str(&form(id, lang, csrf));
                out
            }
            Err(other) => return Err(PageError(other, lang)),
        },
    };
    Ok(frame(id, &wave.name(), lang, &content))
}

fn imported(report: &ImportReport, id: i64, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = format!(
        "<p role=\"status\">{}</p><ul><li>{} {}</li><li>{} {}</li><li>{} {}</li><li>{} {}</li><li>{} {}</li><li>{} {}</li></ul>",
        t("导入完成。", "Imported."),
        t("使用行", "Rows used"),
        report.rows_used,
        t("受访者", "Respondents"),
        report.respondents,
        t("新增", "New"),
        report.created,
        t("替换", "Replaced"),
        report.replaced,
        t("已存在且相同", "Already stored"),
        report.already_stored,
        t("拒绝行", "Rows rejected"),
        report.rejected,
    );
    if !report.rejections.is_empty() {
        let listed: Vec<Value> = report
            .rejections
            .iter()
            .map(|r| serde_json::to_value(r).expect("plain fields"))
            .collect();
        rejection_table(&mut out, &listed, lang);
    }
    let _ = write!(
        out,
        "<p><a href=\"/waves/{id}{}\">{}</a></p>",
        lang_suffix(lang),
        t("查看结果看板", "See the dashboard")
    );
    out
}

fn rejection_table(out: &mut String, listed: &[Value], lang: Lang) {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let _ = write!(
        out,
        "<div class=\"scroll\"><table><caption class=\"muted\">{}</caption><thead><tr><th scope=\"col\" class=\"num\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t("被拒绝的行", "Rejected rows"),
        t("行", "Row"),
        t("列", "Column"),
        t("原因", "Reason")
    );
    for rejection in listed {
        let _ = write!(
            out,
            "<tr><th scope=\"row\" class=\"num\">{}</th><td>{}</td><td>{}</td></tr>",
            rejection["row"],
            escape(rejection["column"].as_str().unwrap_or("—")),
            escape(rejection["reason"].as_str().unwrap_or(""))
        );
    }
    out.push_str("</tbody></table></div>");
}
