/** Decode one key or value; malformed escapes are kept as they are. */
export function decodeComponent(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
