//! A file answered as a download (`Content-Disposition: attachment`), for the exports of the
//! audit trail, of microdata and of the project register.

use axum::body::Body;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::Response;

/// `body` as a UTF-8 CSV file named `file_name` (a plain name the server chose).
pub fn csv_response(body: impl Into<Body>, file_name: &str) -> Response {
    file_response(body, file_name, "text/csv; charset=utf-8")
}

/// The XLSX media type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `body` as a file of the media type `content_type` named `file_name` (a plain name the
/// server chose).
pub fn file_response(
    body: impl Into<Body>,
    file_name: &str,
    content_type: &'static str,
) -> Response {
    let mut response = Response::new(body.into());
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
            .expect("a plain file name"),
    );
    response
}
