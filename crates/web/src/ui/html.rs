//! Text made safe for a URL. (Markup is escaped by `maud`, which every page is written with.)

/// `text` encoded for a URL's query.
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encoding_keeps_unreserved_characters_only() {
        assert_eq!(url_encode("a-b_c.d~1"), "a-b_c.d~1");
        assert_eq!(url_encode("v1.3 x&y"), "v1.3%20x%26y");
        assert_eq!(url_encode("区"), "%E5%8C%BA");
    }
}
