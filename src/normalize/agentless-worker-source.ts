// Python source of the agentless normalizer's worker (see agentless.ts): the per-file model
// (agentless-worker-model.ts), then git's own diff of the compared texts, like fake_git_repo
// (agentless/util/postprocess_data.py:107-163): a repo holding the old text committed and the
// new in the work tree, "git diff ."; here one "git diff --no-index" per batch over two folders
// with the headers written as that repo would print them (index line: blob ids, mode 100644);
// then the -/+ lines only when the change only adds functions (:457-465). One long-lived
// process reading JSON lines on stdin, one reply line per request.
import { AGENTLESS_WORKER_MODEL } from "./agentless-worker-model.js";

export const AGENTLESS_WORKER_SOURCE =
  AGENTLESS_WORKER_MODEL +
  String.raw`def git_quoted(path):
    """A path as git writes it in diff headers (core.quotePath on)."""
    raw = path.encode("utf-8", "surrogateescape")
    escapes = {7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 34: '\\"', 92: "\\\\"}
    if not any(b < 32 or b in (34, 92, 127) or b >= 128 for b in raw):
        return path
    out = []
    for b in raw:
        if b in escapes:
            out.append(escapes[b])
        elif b < 32 or b >= 127:
            out.append("\\%03o" % b)
        else:
            out.append(chr(b))
    return '"' + "".join(out) + '"'


def blob_id(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()[:7]


def encoded(text):
    return text.encode("utf-8", "surrogateescape")


class Differ:
    """git's own diff of many text pairs with one "git diff --no-index" run over two folders."""

    def __init__(self):
        # tmpfs when there is one: a batch writes and removes two files per changed file
        shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
        self.root = tempfile.mkdtemp(prefix="swerl-normalize-", dir=shm)
        self.env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
                        HOME=self.root, XDG_CONFIG_HOME=self.root, LC_ALL="C")

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def diffs(self, pairs):
        """pairs: (path, old text, new text) -> the diff "git diff" prints for each in a repo
        holding old as committed and new in the work tree ("" when equal)."""
        out = [""] * len(pairs)
        # many samples of an instance normalize to one new text: each distinct pair diffed once
        first = {}
        same = []
        todo = []
        for k, pair in enumerate(pairs):
            if pair[1] == pair[2]:
                continue
            if pair in first:
                same.append((k, first[pair]))
                continue
            first[pair] = k
            todo.append((k, encoded(pair[1]), encoded(pair[2])))
        if not todo:
            return out
        for side in ("a", "b"):
            shutil.rmtree(os.path.join(self.root, side), ignore_errors=True)
            os.mkdir(os.path.join(self.root, side))
        for k, a, b in todo:
            with open(os.path.join(self.root, "a", str(k)), "wb") as f:
                f.write(a)
            with open(os.path.join(self.root, "b", str(k)), "wb") as f:
                f.write(b)
        run = subprocess.run(
            ["git", "-c", "core.quotePath=true", "-c", "core.attributesFile=" + os.devnull,
             "diff", "--no-index", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames",
             "a", "b"],
            cwd=self.root, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if run.returncode not in (0, 1):
            raise RuntimeError("git diff --no-index failed: " + run.stderr.decode("utf-8", "replace"))
        bodies = {}
        current = None
        for line in run.stdout.split(b"\n"):
            if line.startswith(b"diff --git a/a/"):
                current = int(line[len(b"diff --git a/a/"):].split(b" ", 1)[0])
                bodies[current] = []
            elif current is not None:
                bodies[current].append(line)
        for k, a, b in todo:
            path = pairs[k][0]
            lines = bodies.get(k, [])
            start = next((i for i, l in enumerate(lines) if l.startswith(b"@@") or l.startswith(b"Binary files")), len(lines))
            body = b"\n".join(lines[start:]).rstrip(b"\n") + b"\n"
            if body.startswith(b"Binary files"):
                body = ("Binary files %s and %s differ\n" % (git_quoted("a/" + path), git_quoted("b/" + path))).encode()
            head = "diff --git %s %s\nindex %s..%s 100644\n--- %s\n+++ %s\n" % (
                git_quoted("a/" + path), git_quoted("b/" + path), blob_id(a), blob_id(b),
                git_quoted("a/" + path), git_quoted("b/" + path))
            out[k] = head + body.decode("utf-8", "replace")
        for k, made in same:
            out[k] = out[made]
        return out


def edited(text, edits):
    """text with each [start, end, replacement] edit applied (in order, apart)."""
    parts = []
    at = 0
    for start, end, replacement in edits:
        parts.append(text[at:start])
        parts.append(replacement)
        at = end
    parts.append(text[at:])
    return "".join(parts)


class Worker:
    def __init__(self):
        self.originals = OrderedDict()
        self.cached_chars = 0
        self.differ = Differ()

    def original(self, key, text):
        if text is not None:
            if key in self.originals:
                self.cached_chars -= self.originals.pop(key).size
            side = Model(text)
            self.originals[key] = side
            self.cached_chars += side.size
            while self.cached_chars > CACHE_CHARS and len(self.originals) > 1:
                self.cached_chars -= self.originals.popitem(last=False)[1].size
        side = self.originals.get(key)
        if side is not None:
            self.originals.move_to_end(key)
        return side

    def batch(self, request):
        for item in request.get("originals", []):
            self.original(item["key"], item["text"])
        results = []
        pairs = []
        plans = []
        for patch in request["patches"]:
            try:
                plan = []
                for change in patch["files"]:
                    old = Model("") if change["orig"] is None else self.original(change["orig"], None)
                    if old is None:
                        raise KeyError(change["orig"])
                    new = change["new"] if "edits" not in change else edited(old.content, change["edits"])
                    a, b = compared_texts(old, old.patched(new))
                    try:
                        context_free = only_adds_functions(a, b)
                    except Exception:
                        context_free = False
                    plan.append((len(pairs), context_free))
                    pairs.append((change["path"], a.text, b.text))
                plans.append(plan)
                results.append(None)
            except KeyError as missing:
                plans.append(None)
                results.append({"missing": missing.args[0]})
            except Exception as error:
                plans.append(None)
                results.append({"error": "%s: %s" % (type(error).__name__, error)})
        diffs = self.differ.diffs(pairs)
        for k, plan in enumerate(plans):
            if plan is None:
                continue
            parts = []
            for at, context_free in plan:
                diff = diffs[at]
                if context_free:
                    diff = "\n".join(l for l in diff.splitlines() if l.startswith("-") or l.startswith("+"))
                parts.append(diff)
            results[k] = {"normalized": "".join(parts)}
        return results


def main():
    out = sys.stdout
    if sys.version_info < (3, 9):
        out.write(json.dumps({"ready": False, "error": "python %s has no ast.unparse (3.9 or newer needed)" % sys.version.split()[0]}) + "\n")
        return
    worker = Worker()
    out.write(json.dumps({"ready": True, "python": sys.version.split()[0]}) + "\n")
    out.flush()
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            try:
                reply = {"id": request["id"], "results": worker.batch(request)}
            except Exception as error:
                reply = {"id": request["id"], "error": "%s: %s" % (type(error).__name__, error)}
            out.write(json.dumps(reply) + "\n")
            out.flush()
    finally:
        worker.differ.close()
        if os.environ.get("SWERL_AGENTLESS_STATS"):
            with open(os.environ["SWERL_AGENTLESS_STATS"], "a") as f:
                f.write(json.dumps(STATS) + "\n")


main()
`;
