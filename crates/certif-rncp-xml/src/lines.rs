//! Line numbers for errors in a file read once, as a stream: the reader counts the newlines it
//! hands to the XML parser, and remembers where they were only since the current event began,
//! because a parser error always points inside the event being read. It also stops the parser
//! past a limit, so that no event (a text, a tag and its attributes) grows without bound.

use std::io::{BufRead, Read};

pub(crate) struct LineCounter<R> {
    inner: R,
    consumed: u64,
    newlines: u64,
    /// Where the current event starts, and how many newlines came before it.
    mark: u64,
    newlines_before_mark: u64,
    /// Offsets of the newlines consumed since `mark`, in order.
    since_mark: Vec<u64>,
    /// Bytes one event may take.
    event_limit: u64,
    /// The offset past which nothing more is read (`u64::MAX`: no such place), and the start of
    /// the element that sets it.
    end: u64,
    item_start: u64,
}

impl<R: BufRead> LineCounter<R> {
    pub(crate) fn new(inner: R) -> Self {
        LineCounter {
            inner,
            consumed: 0,
            newlines: 0,
            mark: 0,
            newlines_before_mark: 0,
            since_mark: Vec::new(),
            event_limit: u64::MAX,
            end: u64::MAX,
            item_start: 0,
        }
    }

    /// Refuses to read an event of more than `limit` bytes, and past `end` (a byte offset).
    pub(crate) fn set_limits(&mut self, event_limit: u64, end: u64) {
        self.event_limit = event_limit;
        self.end = end;
    }

    /// An element starts at `offset`: nothing is read more than `limit` bytes past it.
    pub(crate) fn start_item(&mut self, offset: u64, limit: u64) {
        self.item_start = offset;
        self.end = offset.saturating_add(limit);
    }

    /// The element ends: reading goes on without its limit.
    pub(crate) fn end_item(&mut self) {
        self.end = u64::MAX;
    }

    pub(crate) fn item_start(&self) -> u64 {
        self.item_start
    }

    pub(crate) fn end(&self) -> u64 {
        self.end
    }

    /// Where the current event starts.
    pub(crate) fn mark_offset(&self) -> u64 {
        self.mark
    }

    /// Whether the last read was refused by a limit.
    pub(crate) fn over_limit(&self) -> bool {
        self.consumed > self.end || self.consumed - self.mark > self.event_limit
    }

    /// Called before each event: earlier newline positions are no longer needed.
    pub(crate) fn mark(&mut self) {
        self.mark = self.consumed;
        self.newlines_before_mark = self.newlines;
        self.since_mark.clear();
    }

    pub(crate) fn consumed(&self) -> u64 {
        self.consumed
    }

    /// The line the current event starts on.
    pub(crate) fn mark_line(&self) -> u64 {
        self.newlines_before_mark + 1
    }

    /// The 1-based line of a byte offset in the current event (an offset before the event
    /// counts as its first line).
    pub(crate) fn line_of(&self, offset: u64) -> u64 {
        if offset <= self.mark {
            return self.mark_line();
        }
        let before = self.since_mark.partition_point(|&newline| newline < offset) as u64;
        self.newlines_before_mark + before + 1
    }
}

impl<R: BufRead> Read for LineCounter<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.over_limit() {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "past the reading limit"));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        // `fill_buf` without an intervening `consume` returns the same bytes, so these are
        // exactly the bytes being consumed.
        if let Ok(buffer) = self.inner.fill_buf() {
            let taken = &buffer[..amount.min(buffer.len())];
            let (start, known) = (self.consumed, self.since_mark.len());
            self.since_mark.extend(memchr::memchr_iter(b'\n', taken).map(|at| start + at as u64));
            self.newlines += (self.since_mark.len() - known) as u64;
        }
        self.consumed += amount as u64;
        self.inner.consume(amount);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consume_all(counter: &mut LineCounter<&[u8]>, step: usize) {
        loop {
            let n = counter.fill_buf().unwrap().len().min(step);
            if n == 0 {
                break;
            }
            counter.consume(n);
        }
    }

    #[test]
    fn lines_are_counted_from_the_mark() {
        let text = b"a\nb\nc\nd\ne\n";
        let mut counter = LineCounter::new(&text[..]);
        counter.consume(4);
        counter.mark();
        consume_all(&mut counter, 3);
        assert_eq!(counter.consumed(), text.len() as u64);
        assert_eq!(counter.line_of(0), 3, "before the mark: the mark's line");
        assert_eq!(counter.line_of(4), 3);
        assert_eq!(counter.line_of(5), 3, "the newline itself ends line 3");
        assert_eq!(counter.line_of(6), 4);
        assert_eq!(counter.line_of(9), 5);
    }

    #[test]
    fn reading_stops_past_an_event_limit_and_past_the_end() {
        let text = [b'a'; 100];
        let mut counter = LineCounter::new(&text[..]);
        counter.set_limits(10, 50);
        counter.consume(11);
        assert!(counter.over_limit() && counter.fill_buf().is_err(), "an event of 11 bytes");
        counter.mark();
        assert!(counter.fill_buf().is_ok(), "a new event");
        counter.consume(40);
        counter.mark();
        assert!(counter.over_limit() && counter.fill_buf().is_err(), "past byte 50");
    }
}
