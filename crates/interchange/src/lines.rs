//! Physical lines of a byte stream, numbered, from one growing buffer.

use std::io::{ErrorKind, Read};

const INITIAL_CAPACITY: usize = 1 << 18;

/// Reads lines (each with its `\n`; the last one possibly without) from a stream.
pub(crate) struct LineReader<R: Read> {
    input: R,
    buffer: Vec<u8>,
    /// Start of the bytes not handed out yet.
    start: usize,
    /// End of the valid bytes in `buffer`.
    end: usize,
    at_eof: bool,
    /// Number of the next line to hand out.
    next_number: u64,
    /// Start and number of the line handed out last, for `unread`.
    last: (usize, u64),
}

impl<R: Read> LineReader<R> {
    pub(crate) fn new(input: R, first_number: u64) -> Self {
        Self {
            input,
            buffer: vec![0; INITIAL_CAPACITY],
            start: 0,
            end: 0,
            at_eof: false,
            next_number: first_number,
            last: (0, first_number),
        }
    }

    /// The next line and its number, or `None` at the end of the stream.
    pub(crate) fn next_line(&mut self) -> std::io::Result<Option<(u64, &[u8])>> {
        let mut searched = self.start;
        loop {
            if let Some(offset) = memchr::memchr(b'\n', &self.buffer[searched..self.end]) {
                let line_end = searched + offset + 1;
                return Ok(Some(self.hand_out(line_end)));
            }
            if self.at_eof {
                if self.start == self.end {
                    return Ok(None);
                }
                let line_end = self.end;
                return Ok(Some(self.hand_out(line_end)));
            }
            let already_searched = self.end - self.start;
            self.fill()?;
            searched = self.start + already_searched;
        }
    }

    fn hand_out(&mut self, line_end: usize) -> (u64, &[u8]) {
        let (line_start, number) = (self.start, self.next_number);
        self.next_number += 1;
        self.last = (line_start, number);
        self.start = line_end;
        (number, &self.buffer[line_start..line_end])
    }

    /// Puts back the last `count` bytes of the line handed out last. They are read again as a
    /// line with the same number, since they belong to the same physical line.
    pub(crate) fn unread(&mut self, count: usize) {
        if count == 0 {
            return;
        }
        let (line_start, number) = self.last;
        assert!(
            self.start - count >= line_start,
            "unread more than the last line"
        );
        self.start -= count;
        self.next_number = number;
    }

    /// Reads more input, first moving the bytes not yet handed out to the front of the buffer
    /// (growing it when a single line fills it).
    fn fill(&mut self) -> std::io::Result<()> {
        if self.start > 0 {
            self.buffer.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.last.0 = self.last.0.saturating_sub(self.start);
            self.start = 0;
        }
        if self.end == self.buffer.len() {
            self.buffer.resize(self.buffer.len() * 2, 0);
        }
        loop {
            match self.input.read(&mut self.buffer[self.end..]) {
                Ok(0) => self.at_eof = true,
                Ok(read) => self.end += read,
                Err(error) if error.kind() == ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            }
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most 3 bytes a call, to exercise refilling.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(out.len()).min(3);
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn numbers_lines_across_refills() {
        let mut reader = LineReader::new(Trickle(b"ab\ncdefgh\n\nlast"), 1);
        let mut lines = Vec::new();
        while let Some((number, line)) = reader.next_line().unwrap() {
            lines.push((number, String::from_utf8(line.to_vec()).unwrap()));
        }
        assert_eq!(
            lines,
            vec![
                (1, "ab\n".into()),
                (2, "cdefgh\n".into()),
                (3, "\n".into()),
                (4, "last".into())
            ]
        );
    }

    #[test]
    fn unread_returns_the_rest_of_the_line() {
        let mut reader = LineReader::new(&b"a\rb\nc\n"[..], 5);
        assert_eq!(reader.next_line().unwrap().unwrap().0, 5);
        reader.unread(2);
        assert_eq!(reader.next_line().unwrap().unwrap(), (5, &b"b\n"[..]));
        assert_eq!(reader.next_line().unwrap().unwrap(), (6, &b"c\n"[..]));
    }
}
