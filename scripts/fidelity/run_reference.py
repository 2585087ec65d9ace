"""Run the reference functions on generate_cases.py's cases (once, outside the repo).

Usage: python3 run_reference.py CASES.json OUT.json SWE_RL_SRC AGENTLESS_ROOT
SWE_RL_SRC: facebookresearch/swe-rl's src/ directory; AGENTLESS_ROOT: OpenAutoCoder/Agentless's
checkout. Modules the functions never use (openai, tqdm, docker, datasets, ...) are stubbed.
"""
import importlib.abc
import importlib.machinery
import json
import os
import sys
import tempfile
import types
from unittest import mock

STUBS = ("get_repo_structure", "unidiff", "cydifflib", "openai", "tenacity", "tqdm", "transformers", "tiktoken", "datasets", "swebench", "docker", "anthropic", "torch")


class _Stub(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return mock.MagicMock(name=f"{self.__name__}.{name}")


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in STUBS:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        m = _Stub(spec.name)
        m.__path__ = []
        return m

    def exec_module(self, module):
        pass


sys.meta_path.insert(0, _Finder())
os.environ.setdefault("PROJECT_FILE_LOC", "/nonexistent")
os.environ.setdefault("TOKENIZER_MODEL", "none")

cases_path, out_path, swerl_src, agentless_root = sys.argv[1:5]
sys.path.insert(0, swerl_src)
sys.path.insert(0, agentless_root)

from swerl.agentless_mini import repair as mini_repair  # noqa: E402
from swerl.agentless_mini.utils import api as mini_api, data as mini_data  # noqa: E402
from agentless.test import run_tests as al_run_tests  # noqa: E402
from agentless.test import generate_reproduction_tests as al_gen  # noqa: E402

cases = json.load(open(cases_path))


def thinking_output(output, thinking):
    mini_api.THINKING = thinking
    return mini_api.parse_thinking_output(output)


# repair: process_loc's parse (answer part, location-set files), then post_process_repair's
# second pass over the raw generation against the files edited, then its two checks.
for c in cases["repair"]:
    first_files, _ = mini_repair._post_process_multifile_repair(thinking_output(c["output"], c["thinking"]), c["file_contents"])
    prev = {f: c["file_contents"][f] for f in first_files}
    if first_files and c["output"]:
        edited, new = mini_repair._post_process_multifile_repair(c["output"], prev)
    else:
        edited, new = [], []
    old = [prev[f] for f in edited]
    syntax = mini_data.check_syntax(new)
    differ = mini_data.check_code_differ_by_just_empty_lines(new, old)
    c["ref"] = {"edited_files": edited, "new_contents": new, "syntax_ok": syntax, "differ_by_empty_lines": differ,
                "patch_kept": bool(edited) and syntax and not differ}

for c in cases["syntax"]:
    c["ref"] = {"each": [mini_data.check_syntax(t) for t in c["texts"]], "all": mini_data.check_syntax(c["texts"])}

for c in cases["localize"]:
    files = [(p, []) for p in c["listed"]]
    c["ref"] = {"found_files": mini_data.correct_file_paths(thinking_output(c["output"], c["thinking"]).strip().split("\n"), files)}

with tempfile.TemporaryDirectory() as tmp:
    for c in cases["verdict"]:
        path = os.path.join(tmp, f"{c['id']}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(c["log"])
        c["ref"] = {
            "reproduced": al_run_tests.txt_file_contains_string(path, "Issue reproduced", ["Issue resolved", "Other issues"]),
            "resolved": al_run_tests.txt_file_contains_string(path, "Issue resolved", ["Issue reproduced", "Other issues"]),
        }

for c in cases["extract"]:
    code = al_gen.extract_first_code_block(c["output"])
    c["ref"] = {"code": code, "test_patch": al_gen.create_patch_from_code(code) if code else ""}

with open(out_path, "w") as f:
    json.dump(cases, f)
print({k: len(v) for k, v in cases.items()})
