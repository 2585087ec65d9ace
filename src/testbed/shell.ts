// One string as one bash word: single-quoted, each ' written as '\''.
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
