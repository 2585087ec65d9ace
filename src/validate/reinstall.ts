// When validation must run the spec's install step after applying a patch. The harness's eval
// script (and Agentless's test runs, which reuse it) reinstall the repo after the model patch
// is applied, in a fresh container per patch. With container reuse that is only needed when
// the installed code would otherwise not be the patched code: a non-editable install (the
// tests import a copy in site-packages, e.g. Django ≤ 2.2's `setup.py install`, requests'
// `pip install .`), or a patch to what an editable install builds or reads (C/Cython sources,
// packaging metadata, a new top-level package: a PEP 660 editable finder maps only the
// packages present at install time). Other pure-Python patches to an editable install are
// live without it.
import { DEV_NULL, parsePatchFiles, withoutPrefix } from "../spec/patch-files.js";
import type { Isolation } from "../testbed/types.js";

/** `pip install -e`, `--editable`, `setup.py develop`. */
export function isEditableInstall(install: string): boolean {
  return /(^|\s)(-e|--editable)(\s|=|$)/.test(install) || /setup\.py\s+develop\b/.test(install);
}

const BUILD_INPUT =
  /(^|\/)(setup\.py|setup\.cfg|pyproject\.toml|MANIFEST\.in|meson\.build|meson\.options|CMakeLists\.txt)$|\.(pyx|pxd|pxi|c|cc|cpp|cxx|h|hpp|f|f90|rs)$/;

/** A package directly under the root or under src/ (flat and src layouts). */
const TOP_LEVEL_PACKAGE = /^(src\/)?[^/]+\/__init__\.py$/;

/**
 * Whether the patch changes what an editable install built or read, or adds a top-level
 * package (so a reinstall is due); an unreadable patch counts as such.
 */
export function touchesBuildInputs(patch: string): boolean {
  let files;
  try {
    files = parsePatchFiles(patch);
  } catch {
    return true;
  }
  return files.some((f) => {
    const source = f.source === DEV_NULL ? null : withoutPrefix(f.source, "a/");
    const target = f.target === DEV_NULL ? null : withoutPrefix(f.target, "b/");
    return (
      [source, target].some((p) => p !== null && BUILD_INPUT.test(p)) ||
      (source === null && target !== null && TOP_LEVEL_PACKAGE.test(target))
    );
  });
}

/**
 * The install command to run after this patch is applied, or undefined. Isolation "container"
 * is the harness's way: always (when the spec has one).
 */
export function reinstallFor(install: string | undefined, patch: string, isolation: Isolation): string | undefined {
  if (!install) return undefined;
  if (isolation === "container" || !isEditableInstall(install) || touchesBuildInputs(patch)) return install;
  return undefined;
}
