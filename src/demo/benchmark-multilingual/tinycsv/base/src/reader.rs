use crate::{split_record_with, CsvError, DEFAULT_DELIMITER};

/// Reads records from text, one record a line, skipping blank lines.
pub struct Reader<'a> {
    lines: std::str::Lines<'a>,
    delimiter: char,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Reader { lines: text.lines(), delimiter: DEFAULT_DELIMITER }
    }

    /// Use another delimiter, e.g. `;` or a tab.
    pub fn delimiter(mut self, delimiter: char) -> Self {
        self.delimiter = delimiter;
        self
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Result<Vec<String>, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let line = self.lines.next()?;
            if !line.trim().is_empty() {
                return Some(split_record_with(line, self.delimiter));
            }
        }
    }
}
