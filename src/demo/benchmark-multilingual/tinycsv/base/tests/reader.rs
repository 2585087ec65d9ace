use tinycsv::Reader;

#[test]
fn reads_records_skipping_blank_lines() {
    let records: Vec<Vec<String>> = Reader::new("a,b\n\nc,d\n").map(Result::unwrap).collect();
    assert_eq!(records, vec![vec!["a", "b"], vec!["c", "d"]]);
}

#[test]
fn reader_with_tab_delimiter() {
    let records: Vec<Vec<String>> = Reader::new("a\tb c\n").delimiter('\t').map(Result::unwrap).collect();
    assert_eq!(records, vec![vec!["a", "b c"]]);
}
