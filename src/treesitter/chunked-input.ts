// Text handed to tree-sitter's parser in chunks (the repair syntax check, normalization).
/**
 * `text` for the parser in 4 KiB chunks. Given a string, the binding hands over the whole rest
 * of the text at every read, which makes an incremental parse of a big file cost as much as
 * copying it several times over; chunks make it several times faster. (A chunk never ends
 * inside a surrogate pair.)
 */
export function chunkedInput(text: string): (index: number) => string {
  return (index) => {
    let end = Math.min(text.length, index + 4096);
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff && end < text.length) end++;
    return text.slice(index, end);
  };
}
