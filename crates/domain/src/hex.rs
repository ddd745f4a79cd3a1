//! Hexadecimal text for bytes (hashes, keys, respondents' keyed hashes): lower-case two digits
//! per byte on the way out; on the way in, exactly two hexadecimal digits per byte (no sign,
//! no space, either case), so that one spelling of a value is read everywhere alike.

/// `bytes` as lower-case hexadecimal, two digits each.
pub fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// The `N` bytes `text` spells in hexadecimal, or `None` unless it is exactly `2 * N`
/// hexadecimal digits.
pub fn decode<const N: usize>(text: &str) -> Option<[u8; N]> {
    let digits = text.as_bytes();
    if digits.len() != 2 * N {
        return None;
    }
    let value = |digit: u8| char::from(digit).to_digit(16).map(|d| d as u8);
    let mut bytes = [0u8; N];
    for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
        *byte = value(pair[0])? << 4 | value(pair[1])?;
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_survive_the_round_trip() {
        let bytes = [0x00, 0x01, 0xab, 0xff, 0x7e];
        assert_eq!(encode(&bytes), "0001abff7e");
        assert_eq!(decode::<5>("0001abff7e"), Some(bytes));
        assert_eq!(decode::<5>("0001ABFF7E"), Some(bytes));
    }

    #[test]
    fn only_two_digits_per_byte_are_read() {
        // `u8::from_str_radix` would take "+f" as 15; a sign is not a digit here.
        assert_eq!(decode::<1>("+f"), None);
        assert_eq!(decode::<1>("f"), None);
        assert_eq!(decode::<1>("fff"), None);
        assert_eq!(decode::<1>("g0"), None);
        assert_eq!(decode::<1>(" f"), None);
        assert_eq!(decode::<2>("é0"), None);
    }
}
