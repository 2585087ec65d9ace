/**
 * Build a query string from an object: arrays repeat their key, null and undefined values
 * are left out, keys keep their insertion order.
 */
export function stringify(object, { separator = "&" } = {}) {
  const parts = [];
  for (const [key, value] of Object.entries(object)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === null || item === undefined) continue;
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`);
    }
  }
  return parts.join(separator);
}
