//! The page around a body: the document with the platform's one style sheet, and the page
//! that carries one message.

use axum::response::Html;
use minxin_report::{html_document, Lang};

use crate::ui::html::escape;

/// The platform's style for every page (forms, navigation, bars), after the report's.
pub const PAGE_STYLE: &str = "<style>
nav{display:flex;gap:1rem;flex-wrap:wrap;margin-bottom:.5rem}nav a{color:#1f5fa8}
fieldset{border:1px solid #999;border-radius:6px;margin:.8rem 0;padding:.5rem .8rem}
legend{font-weight:bold;padding:0 .3rem}
label{display:inline-flex;align-items:center;gap:.35rem;margin:.25rem .9rem .25rem 0;min-height:44px}
input[type=radio],input[type=checkbox]{width:1.3rem;height:1.3rem}
select,input[type=number],input[type=text]{font-size:1rem;padding:.4rem;min-height:44px;max-width:100%}
button{font-size:1.05rem;padding:.7rem 1.4rem;background:#1f5fa8;color:#fff;border:0;border-radius:6px;min-height:44px}
:focus-visible{outline:3px solid #b34700;outline-offset:2px}
.error{color:#8a1c15;font-weight:bold}.bar{background:#dde6f3;height:.8rem;min-width:6rem}.bar>span{display:block;background:#1f5fa8;height:100%}
.question{margin:.6rem 0 .2rem}
form.inline{display:inline}button.link{background:none;color:#1f5fa8;padding:0;min-height:auto;text-decoration:underline;font-size:1rem}
</style>";

/// A whole page: `body` under `title`, in `lang`, with the platform's style.
pub fn page(title: &str, lang: Lang, body: &str) -> Html<String> {
    Html(html_document(title, lang, &format!("{PAGE_STYLE}{body}")))
}

/// A page with a heading and one paragraph (in both languages: it is shown where the
/// visitor's language is not known).
pub fn message_page(title: &str, message: &str) -> Html<String> {
    page(
        title,
        Lang::Zh,
        &format!(
            "<h1>{}</h1><p>{}</p><p><a href=\"/\">首页 / Home</a></p>",
            escape(title),
            escape(message)
        ),
    )
}
