//! The page around a body: the document that links the platform's one style sheet, and the
//! page that carries one message. Markup is written with `maud`, which escapes every
//! interpolated value unless it is wrapped in `PreEscaped` (markup already made safe, such as
//! the report's charts).

use std::sync::LazyLock;

use axum::response::Html;
use maud::{html, Markup, DOCTYPE};
use minxin_report::{Lang, REPORT_STYLE};

/// The platform's style for pages (forms, navigation, bars, the sign-in form, printing), added
/// to the report's.
const PAGE_STYLE: &str = "
nav{display:flex;gap:1rem;flex-wrap:wrap;margin-bottom:.5rem}nav a{color:#1f5fa8}
fieldset{border:1px solid #999;border-radius:6px;margin:.8rem 0;padding:.5rem .8rem}
legend{font-weight:bold;padding:0 .3rem}
label{display:inline-flex;align-items:center;gap:.35rem;margin:.25rem .9rem .25rem 0;min-height:44px}
input[type=radio],input[type=checkbox]{width:1.3rem;height:1.3rem}
select,input[type=number],input[type=text],input[type=password]{font-size:1rem;padding:.4rem;min-height:44px;max-width:100%}
button{font-size:1.05rem;padding:.7rem 1.4rem;background:#1f5fa8;color:#fff;border:0;border-radius:6px;min-height:44px}
:focus-visible{outline:3px solid #b34700;outline-offset:2px}
.error{color:#8a1c15;font-weight:bold}.bar{background:#dde6f3;height:.8rem;min-width:6rem}.bar>span{display:block;background:#1f5fa8;height:100%}
.question{margin:.6rem 0 .2rem}.question.missing{border:2px solid #8a1c15}
code{overflow-wrap:anywhere;word-break:break-all}ul.recorded{margin:0;padding-left:1rem;font-size:.9rem}
.hint{color:#444;font-size:.92rem;margin:.2rem 0}.lead{font-size:1.1rem}
.choice label{align-items:flex-start}.choice label>span{padding-top:.1rem}
dl.facts dt{font-weight:bold;margin-top:.5rem}dl.facts dd{margin:0 0 0 0}
p.progress{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem}progress{width:10rem;max-width:60%}
.steps{display:flex;flex-direction:row-reverse;justify-content:space-between;gap:.8rem;margin:1rem 0}
button.secondary{background:#fff;color:#1f5fa8;border:1px solid #1f5fa8}
form.inline{display:inline}button.link{background:none;color:#1f5fa8;padding:0;min-height:auto;text-decoration:underline;font-size:1rem}
form.stacked p{margin:.6rem 0}form.stacked label{display:block}form.stacked input{width:100%;max-width:22rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.6rem;margin:.8rem 0}
.card{border:1px solid #bbb;border-radius:6px;padding:.5rem .7rem;display:flex;flex-direction:column;gap:.15rem}
.card .label{color:#333;font-size:.9rem}.card strong{font-size:1.6rem;line-height:1.2}
.light{display:inline-block;padding:0 .4rem;border-radius:4px;color:#fff;white-space:nowrap}.light.red{background:#a4161a}.light.yellow{background:#f2c94c;color:#111}.light.blue{background:#1f5fa8}
nav.contents ol{padding-left:1.4rem}nav.contents li{margin:.2rem 0}
@page{size:A4;margin:15mm 15mm 18mm;@bottom-center{content:counter(page) \" / \" counter(pages);font-size:9pt;color:#555}}
@media print{.no-print{display:none}body{font-size:10.5pt}main{max-width:none;padding:0}
.title-page{break-after:page;padding-top:30mm}.title-page h1{font-size:22pt}
h2{break-after:avoid}figure,tr,.card{break-inside:avoid}.sheet{break-after:page}.sheet:last-child{break-after:auto}thead{display:table-header-group}
svg{max-width:100%!important;min-width:0!important;height:auto}.scroll tr>:first-child{position:static}
nav.contents a{color:#111;text-decoration:none}}
";

/// Where pages find the style sheet; its query changes with its content, so that a browser
/// may keep it for good.
pub static STYLE_SHEET_URL: LazyLock<String> = LazyLock::new(|| {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(style_sheet().as_bytes());
    format!(
        "{STYLE_SHEET_PATH}?v={}",
        minxin_domain::hex::encode(&digest[..6])
    )
});

/// The path the style sheet is served at.
pub const STYLE_SHEET_PATH: &str = "/assets/minxin.css";

/// The one style sheet of every page: the report's style and the platform's.
pub fn style_sheet() -> &'static str {
    static SHEET: LazyLock<String> = LazyLock::new(|| format!("{REPORT_STYLE}{PAGE_STYLE}"));
    &SHEET
}

/// A whole page: `body` under `title`, in `lang`, with the platform's style sheet.
pub fn page(title: &str, lang: Lang, body: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang=(lang.tag()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) }
                    link rel="stylesheet" href=(*STYLE_SHEET_URL);
                }
                body { main { (body) } }
            }
        }
        .into_string(),
    )
}

/// A page with a heading and one paragraph (in both languages: it is shown where the
/// visitor's language is not known).
pub fn message_page(title: &str, message: &str) -> Html<String> {
    page(
        title,
        Lang::Zh,
        html! {
            h1 { (title) }
            p { (message) }
            p { a href="/" { "首页 / Home" } }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_escape_what_they_are_given_and_link_the_one_style_sheet() {
        let Html(text) = message_page("<b>标题</b>", "\"引号\" & <i>");
        assert!(text.contains("<title>&lt;b&gt;标题&lt;/b&gt;</title>"));
        assert!(text.contains("<p>&quot;引号&quot; &amp; &lt;i&gt;</p>"));
        assert!(text.contains(&format!(
            "<link rel=\"stylesheet\" href=\"{}\">",
            *STYLE_SHEET_URL
        )));
        assert!(
            !text.contains("<style"),
            "no page carries a style of its own"
        );
    }

    #[test]
    fn the_style_sheet_holds_the_reports_style_and_the_platforms() {
        assert!(style_sheet().starts_with(REPORT_STYLE));
        assert!(style_sheet().contains("button.link"));
        assert!(STYLE_SHEET_URL.starts_with("/assets/minxin.css?v="));
    }
}
