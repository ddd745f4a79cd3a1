//! The platform's one style sheet, served to every page: its address changes with its
//! content, so browsers keep it for good.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

/// `/assets/minxin.css`: the style sheet of every page.
pub async fn style_sheet() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        crate::ui::layout::style_sheet(),
    )
}
