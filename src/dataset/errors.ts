/** A dataset that cannot be read or has a bad row; the message names the source and row. */
export class DatasetError extends Error {}
