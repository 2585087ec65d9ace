// The SWE-bench harness's log parsers for C/C++ repos (log_parsers/c.py): redis/valkey's tcl
// runner, jq's `make check`, doctest's XML reporter, micropython's run-tests.py, googletest.
import { SaxesParser, type SaxesTagNS } from "saxes";
import { eachStrippedLine } from "./line-scan.js";
import { pyRe } from "./py-re.js";
import { toRecord } from "./py-text.js";
import type { StatusMap } from "./status.js";

const REDIS_RESULT = pyRe("^\\[(ok|err|skip|ignore)\\]:\\s(.+?)(?:\\s\\((\\d+\\s*m?s)\\))?$");
const REDIS_ERR_LOCATION = pyRe("\\s+in\\s+\\S+$");

/** parse_log_redis: "[ok]: name (12 ms)"; a failure's trailing "in path/to/test" is cut off. */
export function parseLogRedis(log: string): StatusMap {
  return eachStrippedLine(log, REDIS_RESULT, (m) => {
    if (m[1] === "ok") return [m[2], "PASSED"];
    if (m[1] === "err") return [m[2].replace(REDIS_ERR_LOCATION, ""), "FAILED"];
    return [m[2], "SKIPPED"];
  });
}

const JQ_RESULT = pyRe("^\\s*(PASS|FAIL):\\s(.+)$");

/** parse_log_jq: automake's "PASS: tests/jqtest" / "FAIL: ..." lines. */
export function parseLogJq(log: string): StatusMap {
  return eachStrippedLine(log, JQ_RESULT, (m) => [m[2], m[1] === "PASS" ? "PASSED" : "FAILED"]);
}

const MICROPYTHON_RESULT = pyRe("^(pass|FAIL|skip)\\s+(.+)$");
const MICROPYTHON_STATUS: Record<string, string> = { pass: "PASSED", FAIL: "FAILED", skip: "SKIPPED" };

/** parse_log_micropython_test: run-tests.py's "pass basics/fun1.py" lines. */
export function parseLogMicropythonTest(log: string): StatusMap {
  return eachStrippedLine(log, MICROPYTHON_RESULT, (m) => [m[2], MICROPYTHON_STATUS[m[1]]]);
}

const GOOGLETEST_RESULT = pyRe("^.*\\[\\s*(OK|FAILED)\\s*\\]\\s(.*)\\s\\(.*\\)$");

/** parse_log_googletest: "[       OK ] Suite.Test (0 ms)" lines (ctest -V prefixes them with "N: "). */
export function parseLogGoogletest(log: string): StatusMap {
  return eachStrippedLine(log, GOOGLETEST_RESULT, (m) => [m[2], m[1] === "OK" ? "PASSED" : "FAILED"]);
}

/** The harness's XML parser (ElementTree) rejected the doctest report; it writes no report then. */
export class DoctestXmlError extends Error {
  constructor(why: string) {
    super(
      `parse_log_doctest: the doctest XML report is not well-formed (${why}); the SWE-bench harness raises ParseError here and writes no report`,
    );
    this.name = "DoctestXmlError";
  }
}

interface XmlElement {
  name: string;
  attrs: Map<string, string>;
  children: XmlElement[];
}

/** Parse one XML document into elements (namespace-aware, as ElementTree is). */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on("opentag", (tag: SaxesTagNS) => {
    const attrs = new Map<string, string>();
    for (const a of Object.values(tag.attributes)) if (a.uri === "") attrs.set(a.local, a.value);
    // ElementTree names a namespaced element "{uri}local", so only un-namespaced names match below.
    const el: XmlElement = { name: tag.uri ? `{${tag.uri}}${tag.local}` : tag.local, attrs, children: [] };
    if (stack.length > 0) stack[stack.length - 1].children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on("closetag", () => void stack.pop());
  try {
    parser.write(xml).close();
  } catch (err) {
    throw new DoctestXmlError((err as Error).message);
  }
  if (!root) throw new DoctestXmlError("no element found");
  return root;
}

/** ElementTree's `el.findall(".//name")`: descendants (not el itself) in document order. */
function descendants(el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const child of el.children) {
    if (child.name === name) out.push(child);
    descendants(child, name, out);
  }
  return out;
}

const DOCTEST_OPEN = "<doctest";
const DOCTEST_CLOSE = "</doctest>";

/**
 * parse_log_doctest: the report of a doctest binary run with `-s -r=xml`; each SubCase is a test
 * "TestCase > SubCase", passed when every Expression under it has success="true".
 */
export function parseLogDoctest(log: string): StatusMap {
  const sm = new Map<string, string>();
  const start = log.indexOf(DOCTEST_OPEN);
  if (start === -1) return {};
  // As in the harness: with no closing tag, find() gives -1 and the end lands at len(tag) - 1.
  const end = log.indexOf(DOCTEST_CLOSE, start) + DOCTEST_CLOSE.length;
  // Python slices with code-point indices; these indices come from ASCII searches in the same
  // string, so UTF-16 slicing selects the same text.
  const root = parseXml(end > start ? log.slice(start, end) : "");
  for (const testCase of descendants(root, "TestCase")) {
    const caseName = testCase.attrs.get("name") ?? "None";
    for (const subCase of descendants(testCase, "SubCase")) {
      const name = `${caseName} > ${subCase.attrs.get("name") ?? "None"}`;
      const passed = descendants(subCase, "Expression").every((e) => e.attrs.get("success") === "true");
      sm.set(name, passed ? "PASSED" : "FAILED");
    }
  }
  return toRecord(sm);
}
