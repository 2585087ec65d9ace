import { decodeComponent } from "./decode.js";

/**
 * Parse a query string ("?" optional) into an object. A key given more than once gets an
 * array of its values, in order; a key without "=" gets the empty string.
 */
export function parse(query, { separator = "&" } = {}) {
  const result = Object.create(null);
  const text = query.startsWith("?") ? query.slice(1) : query;
  for (const pair of text.split(separator)) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decodeComponent(pair.slice(eq + 1));
    const existing = result[key];
    if (existing === undefined) result[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else result[key] = [existing, value];
  }
  return result;
}
