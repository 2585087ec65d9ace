// Parse and build URL query strings (application/x-www-form-urlencoded).
export { parse } from "./parse.js";
export { stringify } from "./stringify.js";
