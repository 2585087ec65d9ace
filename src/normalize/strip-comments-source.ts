// Python source of one function shared by the python3 workers (agentless-worker-model.ts, and
// src/pyast/worker.ts for reproduction tests): what Agentless's remove_comments_and_docstrings
// (agentless/util/postprocess_data.py:376-405) does, in our own words. Needs `io` and `tokenize`.
export const STRIP_COMMENTS_SOURCE = String.raw`def without_comments_and_string_statements(source):
    """Comments dropped; a string token dropped when it follows INDENT or NEWLINE or starts a
    line; the gaps of dropped tokens kept as spaces; then every blank line removed."""
    pieces = []
    previous = tokenize.INDENT
    row, col = -1, 0
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        (start_row, start_col), (end_row, end_col) = token.start, token.end
        if start_row > row:
            col = 0
        if start_col > col:
            pieces.append(" " * (start_col - col))
        kind = token.type
        if kind == tokenize.STRING:
            if previous != tokenize.INDENT and previous != tokenize.NEWLINE and start_col > 0:
                pieces.append(token.string)
        elif kind != tokenize.COMMENT:
            pieces.append(token.string)
        previous, row, col = kind, end_row, end_col
    return "\n".join(line for line in "".join(pieces).splitlines() if line.strip())
`;
