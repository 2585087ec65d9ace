use std::fmt;

/// Why a record could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    /// A quoted field has no closing quote.
    UnterminatedQuote { column: usize },
    /// A closing quote is followed by something other than a delimiter.
    TextAfterQuote { found: char },
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvError::UnterminatedQuote { column } => write!(f, "unterminated quoted field starting at column {column}"),
            CsvError::TextAfterQuote { found } => write!(f, "unexpected {found:?} after a closing quote"),
        }
    }
}

impl std::error::Error for CsvError {}
