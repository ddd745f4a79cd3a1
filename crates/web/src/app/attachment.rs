//! A file answered as a download (`Content-Disposition: attachment`), for the exports of the
//! audit trail and of microdata.

use axum::body::Body;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::Response;

/// `body` as a UTF-8 CSV file named `file_name` (a plain name the server chose).
pub fn csv_response(body: impl Into<Body>, file_name: &str) -> Response {
    let mut response = Response::new(body.into());
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
            .expect("a plain file name"),
    );
    response
}
