import { InputError } from "../util/input-error.js";

/** A dataset that cannot be read or has a bad row; the message names the source and row. */
export class DatasetError extends InputError {}
