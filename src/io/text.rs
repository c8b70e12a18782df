//! Bytes to text: UTF-8 with or without a BOM, UTF-16 as Excel saves it, and Windows-1252 (Latin-1) as a fallback.

use std::borrow::Cow;

/// The encoding a file turned out to have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// UTF-16 with a byte-order mark ("Unicode text" in Excel's save dialog).
    Utf16,
    /// Not valid UTF-8: read as Windows-1252, a superset of Latin-1.
    Windows1252,
}

/// Decodes a text file, dropping any byte-order mark.
///
/// ```
/// use locality_map::io::{decode_text, TextEncoding};
/// let (text, encoding) = decode_text(b"\xEF\xBB\xBFcode\r\n");
/// assert_eq!((text.as_ref(), encoding), ("code\r\n", TextEncoding::Utf8));
/// let (text, encoding) = decode_text(b"Caf\xE9");
/// assert_eq!((text.as_ref(), encoding), ("Café", TextEncoding::Windows1252));
/// ```
pub fn decode_text(bytes: &[u8]) -> (Cow<'_, str>, TextEncoding) {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        if encoding == encoding_rs::UTF_8 {
            return (String::from_utf8_lossy(body), TextEncoding::Utf8);
        }
        let (text, _) = encoding.decode_without_bom_handling(body);
        return (text, TextEncoding::Utf16);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), TextEncoding::Utf8),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text, TextEncoding::Windows1252)
        }
    }
}

/// True when the start of a file looks like an HTML page (a saved error or login page).
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let start = bytes.get(..bytes.len().min(512)).unwrap_or_default();
    let head = String::from_utf8_lossy(start)
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_le_with_bom_decodes() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "LSOA code,Rank\r\n".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let (text, encoding) = decode_text(&bytes);
        assert_eq!(encoding, TextEncoding::Utf16);
        assert_eq!(text, "LSOA code,Rank\r\n");
    }

    #[test]
    fn html_is_spotted() {
        assert!(looks_like_html(b"\n  <!DOCTYPE html><html>"));
        assert!(!looks_like_html(b"{\"type\":\"FeatureCollection\"}"));
    }
}
