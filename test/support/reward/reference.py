"""Python reference for the differential tests of src/reward: CPython's difflib itself, and the
SWE-RL reward restated from its published semantics (DESIGN.md section 2), written
independently of the TypeScript port. Reads one JSON list of cases on stdin and writes one
JSON list of answers on stdout, in order."""

import difflib
import json
import re
import sys

BLOCK = re.compile(
    r"```.*?\n### (.*)\n<<<<<<< SEARCH\n([\s\S]*?)\n=======\n([\s\S]*?)\n>>>>>>> REPLACE\n```"
)


class Invalid(Exception):
    pass


def line_diff(before, after):
    out = list(difflib.unified_diff(before.splitlines(), after.splitlines(), "old", "new", lineterm="", n=3))
    return "\n".join(out[2:])


def changes(context, contents):
    diffs = {}
    for path, text in contents.items():
        d = line_diff(context.get(path, ""), text)
        if d:
            diffs[path] = d
    return diffs


def score(pred, oracle):
    # oracle paths first, then the prediction's extra ones (the TS port's fixed order)
    paths = list(oracle) + [p for p in pred if p not in oracle]
    sims = []
    for p in paths:
        x, y = pred.get(p, ""), oracle.get(p, "")
        sims.append(0.0 if not x or not y else difflib.SequenceMatcher(None, x, y, autojunk=False).ratio())
    reward = 1.0 if not sims else sum(sims) / len(sims)
    return {"reward": reward, "paths": paths, "similarities": sims}


def search_replace_reward(context, oracle_contents, output):
    try:
        for tag in ("<think>", "</think>", "<solution>", "</solution>"):
            if output.count(tag) != 1:
                raise Invalid("tag count")
        thought = output.split("<think>")[1].split("</think>")[0].strip()
        solution = output.split("<solution>")[1].split("</solution>")[0].strip()
        if not thought:
            raise Invalid("empty thought")
        edits = {}
        for path, old, new in BLOCK.findall(solution):
            edits.setdefault(path, []).append((old, new))
        if not edits:
            raise Invalid("no blocks")
        predicted = {}
        for path, pairs in edits.items():
            text = "\n" + context.get(path, "")
            for old, new in pairs:
                if old == new:
                    raise Invalid("identical")
                if "\n" + old not in text:
                    raise Invalid("not found")
                text = text.replace("\n" + old, "\n" + new)
            predicted[path] = text[1:]
    except Invalid as e:
        return {"reward": -1.0, "error": str(e)}
    return score(changes(context, predicted), changes(context, oracle_contents))


HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@[ ]?(.*)")


def file_hunks(patch):
    """path -> stripped hunk texts (headers normalized to -s,l +s,l) of a well-formed git diff;
    {} when a hunk's line counts do not add up."""
    files = {}
    lines = patch.split("\n")
    lines = [l + "\n" for l in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    src, path, i = None, None, 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("--- "):
            src = line[4:].rstrip("\n")
        elif line.startswith("+++ "):
            tgt = line[4:].rstrip("\n")
            path = (tgt if src == "/dev/null" else src)[2:]
            files.setdefault(path, [])
        elif HUNK.match(line):
            m = HUNK.match(line)
            a, b = int(m.group(2) or 1), int(m.group(4) or 1)
            head = (int(m.group(1)), a, int(m.group(3)), b, " " + m.group(5) if m.group(5) else "")
            text = "@@ -%d,%d +%d,%d @@%s\n" % head
            while a > 0 or b > 0:
                if i >= len(lines):
                    return {}
                body = lines[i]
                i += 1
                if body[0] not in " +-\\\r\n":
                    return {}
                kind = body[0] if body[0] in " +-\\" else " "
                if kind in " -":
                    a -= 1
                if kind in " +":
                    b -= 1
                if a < 0 or b < 0:
                    return {}
                text += body if body[0] in " +-\\" else " " + body
            if i < len(lines) and lines[i].startswith("\\ No newline"):
                text += lines[i]
                i += 1
            files[path].append(text.strip())
    return {p: "\n".join(h).strip() for p, h in files.items()}


def unified_diff_reward(oracle_patches, pred_patches):
    oracle, pred = {}, {}
    for p in oracle_patches:
        oracle.update(file_hunks(p))
    for p in pred_patches:
        pred.update(file_hunks(p))
    return score(pred, oracle)


def answer(case):
    op = case["op"]
    if op == "matcher":
        a, b = case["a"], case["b"]
        sm = difflib.SequenceMatcher(None, a, b, autojunk=case["autojunk"])
        return {
            "blocks": [list(m) for m in sm.get_matching_blocks()],
            "opcodes": [list(o) for o in sm.get_opcodes()],
            "ratio": sm.ratio(),
        }
    if op == "unified_diff":
        return list(difflib.unified_diff(case["a"], case["b"], case["fromfile"], case["tofile"], n=case["n"], lineterm=case["lineterm"]))
    if op == "search_replace_reward":
        return search_replace_reward(case["code_context"], case["oracle_new_content"], case["output"])
    if op == "unified_diff_reward":
        return unified_diff_reward(case["oracle_patches"], case["pred_patches"])
    raise ValueError("unknown op " + op)


if __name__ == "__main__":
    cases = json.load(sys.stdin)
    json.dump([answer(c) for c in cases], sys.stdout)
