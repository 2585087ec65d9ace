/**
 * Decode one key or value of a form-encoded query: "+" stands for a space; malformed escapes
 * are kept as they are.
 */
export function decodeComponent(text) {
  const spaced = text.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
