// Per-instance commands that newer SWE-bench eval scripts run between applying the test patch
// and the test command, for instances whose v4.1 environment cannot collect their tests.

export interface InstanceFix {
  preTestCommands: readonly string[];
  /** Why the fix exists (the upstream report). */
  reason: string;
}

export const INSTANCE_FIXES: Readonly<Record<string, InstanceFix>> = {
  "astropy__astropy-8707": {
    preTestCommands: ["python -m pip install -q 'pytest<7.2'"],
    reason: "nose-style tests need pytest < 7.2 (SWE-bench/SWE-bench#530)",
  },
  "astropy__astropy-8872": {
    preTestCommands: ["export SETUPTOOLS_USE_DISTUTILS=stdlib"],
    reason:
      "setuptools' vendored distutils warns on LooseVersion and astropy 3.1 turns warnings into collection errors (SWE-bench/SWE-bench#343)",
  },
};
