// A run of percent escapes (one character may take several bytes, e.g. %C3%A9).
const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;

/** Decode one key or value; malformed escapes are kept as they are, the others decoded. */
export function decodeComponent(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(ESCAPES, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}
