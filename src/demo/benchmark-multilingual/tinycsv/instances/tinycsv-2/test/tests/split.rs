use tinycsv::{join_record, split_record, split_record_with, CsvError};

#[test]
fn splits_plain_fields() {
    assert_eq!(split_record("a,b,c").unwrap(), vec!["a", "b", "c"]);
}

#[test]
fn keeps_delimiters_inside_quotes() {
    assert_eq!(split_record("x,\"1,5\",y").unwrap(), vec!["x", "1,5", "y"]);
}

#[test]
fn other_delimiter() {
    assert_eq!(split_record_with("a;b;\"c;d\"", ';').unwrap(), vec!["a", "b", "c;d"]);
}

#[test]
fn unterminated_quote_is_an_error() {
    assert_eq!(split_record("a,\"b").unwrap_err(), CsvError::UnterminatedQuote { column: 3 });
}

#[test]
fn text_after_quote_is_an_error() {
    assert_eq!(split_record("\"a\"b,c").unwrap_err(), CsvError::TextAfterQuote { found: 'b' });
}

#[test]
fn join_quotes_when_needed() {
    assert_eq!(join_record(&["a", "b,c", "d"]), "a,\"b,c\",d");
}

#[test]
fn keeps_trailing_empty_field() {
    assert_eq!(split_record("a,b,").unwrap(), vec!["a", "b", ""]);
    assert_eq!(split_record(",").unwrap(), vec!["", ""]);
}

#[test]
fn keeps_empty_quoted_last_field() {
    assert_eq!(split_record("a,\"\"").unwrap(), vec!["a", ""]);
}
