// A stage's way of leaving one instance out (no repository, unreadable base_commit, nothing to
// work on): thrown by the per-instance preparation, caught by the stage, which records why and
// goes on with the others (a bad instance never kills a run).
export class InstanceSkipped extends Error {}
