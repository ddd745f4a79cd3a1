//! A recorded value of the audit trail (the JSON a change stored before and after it) as a
//! reader reads it: each field by its name in the page's language and its value in words,
//! the text exactly as recorded in the tooltip (and in the export, which the hash chain covers).

use maud::{html, Markup};
use minxin_report::Lang;
use serde_json::Value;

/// The names of the fields the platform records, in Chinese and English.
const FIELD_NAMES: &[(&str, &str, &str)] = &[
    ("name", "名称", "name"),
    ("status", "状态", "status"),
    ("period_start", "开始日期", "first day"),
    ("period_end", "结束日期", "last day"),
    ("quotas", "配额", "quotas"),
    ("projects", "工程", "projects"),
    ("tokens_required", "只接受凭证进入的答卷", "tokens required"),
    ("cut_points", "象限划分", "quadrant cut"),
    ("part", "职责", "part"),
    ("role", "角色", "role"),
    ("roles", "角色", "roles"),
    ("scope", "范围", "scope"),
    ("kind", "决定", "decision"),
    ("subject", "对象", "subject"),
    ("statement", "说明", "statement"),
    ("decided_by", "决定人账户", "decided by"),
    ("decided_by_name", "决定人", "decided by (name)"),
    ("decided_at_ms", "决定时间", "decided at"),
    ("supersedes", "取代的决定", "supersedes"),
    ("display_name", "姓名", "name shown"),
    ("disabled", "已停用", "disabled"),
    ("parent", "上级单位", "parent unit"),
    ("zh", "中文名称", "Chinese name"),
    ("en", "英文名称", "English name"),
    ("code", "代码", "code"),
    ("rows_used", "计入的行", "rows used"),
    ("respondents", "受访者", "respondents"),
    ("created", "新增", "new"),
    ("replaced", "替换", "replaced"),
    ("already_stored", "已存在", "already stored"),
    ("rejected", "未导入的行", "rows rejected"),
];

/// `key` as a reader calls it; a field the table does not know keeps its stored name.
fn field_name(key: &str, lang: Lang) -> String {
    FIELD_NAMES
        .iter()
        .find(|(code, _, _)| *code == key)
        .map_or(key.to_string(), |(_, zh, en)| lang.pick(zh, en).to_string())
}

/// Names a recorded value the platform knows by another name (a subject, a status, a role),
/// given its field; `None` for a value to show as it is.
pub(super) type Namer<'a> = &'a dyn Fn(&str, &Value) -> Option<String>;

/// A value in words: yes or no, lists joined, nested fields inline, and what `namer` names by
/// its name.
fn value_text(key: &str, value: &Value, lang: Lang, namer: Namer<'_>) -> String {
    if let Some(named) = namer(key, value) {
        return named;
    }
    match value {
        Value::Null => "—".into(),
        Value::Bool(yes) => lang
            .pick(
                if *yes { "是" } else { "否" },
                if *yes { "yes" } else { "no" },
            )
            .into(),
        Value::Number(number) => number.to_string(),
        Value::String(text) => text.clone(),
        Value::Array(items) => items
            .iter()
            .map(|item| value_text(key, item, lang, namer))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", ")),
        Value::Object(fields) => fields
            .iter()
            .map(|(inner, value)| {
                format!(
                    "{} {}",
                    namer(key, &Value::String(inner.clone()))
                        .unwrap_or_else(|| field_name(inner, lang)),
                    value_text(inner, value, lang, namer)
                )
            })
            .collect::<Vec<_>>()
            .join(lang.pick("，", ", ")),
    }
}

/// The recorded `text` as a list of its fields, or as it is when it is not a JSON object.
pub(super) fn recorded(text: Option<&str>, lang: Lang, namer: Namer<'_>) -> Markup {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return html! {};
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(fields)) => html! {
            ul.recorded title=(text) {
                @for (key, value) in &fields {
                    li { (field_name(key, lang)) (lang.pick("：", ": ")) (value_text(key, value, lang, namer)) }
                }
            }
        },
        _ => html! { code { (text) } },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_wave_reads_as_its_fields_in_words() {
        let text = r#"{"name":"2027 春季评价","tokens_required":false,"projects":["parking","medical"],"quotas":{"310104":80}}"#;
        // Projects by name, as the page names them.
        let namer = |key: &str, value: &Value| {
            (key == "projects" && value == "parking").then(|| "停车难综合治理".to_string())
        };
        let shown = recorded(Some(text), Lang::Zh, &namer).into_string();
        assert!(shown.contains("<li>名称：2027 春季评价</li>"), "{shown}");
        assert!(
            shown.contains("<li>只接受凭证进入的答卷：否</li>"),
            "{shown}"
        );
        assert!(
            shown.contains("<li>工程：停车难综合治理、medical</li>"),
            "{shown}"
        );
        assert!(
            shown.contains("title=\"{&quot;name&quot;"),
            "the record as stored, in the tooltip"
        );
        assert_eq!(recorded(None, Lang::Zh, &namer).into_string(), "");
        assert_eq!(
            recorded(Some("plain"), Lang::En, &namer).into_string(),
            "<code>plain</code>"
        );
    }
}
