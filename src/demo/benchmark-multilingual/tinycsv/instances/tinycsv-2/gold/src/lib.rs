//! Split CSV records into fields (RFC 4180): fields are separated by a delimiter (`,` by
//! default) and may be quoted with `"`, so that they can hold delimiters, quotes and newlines.

mod error;
mod reader;

pub use error::CsvError;
pub use reader::Reader;

/// The delimiter `split_record` uses.
pub const DEFAULT_DELIMITER: char = ',';

/// Split one record into its fields with the default delimiter.
pub fn split_record(line: &str) -> Result<Vec<String>, CsvError> {
    split_record_with(line, DEFAULT_DELIMITER)
}

/// Split one record into its fields, fields separated by `delimiter`.
pub fn split_record_with(line: &str, delimiter: char) -> Result<Vec<String>, CsvError> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut column = 0;
    while let Some(c) = chars.next() {
        column += 1;
        if c == '"' && field.is_empty() {
            // A quoted field runs to the next quote.
            loop {
                match chars.next() {
                    Some('"') => break,
                    Some(q) => field.push(q),
                    None => return Err(CsvError::UnterminatedQuote { column }),
                }
            }
            match chars.peek() {
                None => {}
                Some(&d) if d == delimiter => {}
                Some(&other) => return Err(CsvError::TextAfterQuote { found: other }),
            }
        } else if c == delimiter {
            fields.push(std::mem::take(&mut field));
        } else {
            field.push(c);
        }
    }
    // The last field is there even when empty ("a," has two fields, "a,\"\"" too).
    fields.push(field);
    Ok(fields)
}

/// Join fields into one record, quoting those that need it.
pub fn join_record(fields: &[&str]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.contains([DEFAULT_DELIMITER, '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.to_string()
            }
        })
        .collect();
    quoted.join(",")
}
