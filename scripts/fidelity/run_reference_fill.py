"""Run the references on generate_fill_cases.py's cases (once, outside the repo).

Usage: python3 run_reference_fill.py CASES.json OUT.json SWE_RL_ROOT AGENTLESS_ROOT
- fill: SWE-RL's location fill, the statements of agentless_mini/repair.py's process_loc from
  its "Backward compatibility" comment to the assert that N sets were made, run as they are
  (read from the checkout at run time) on each case's found_files and num_samples.
- order: Agentless 1.5's rerank._load_results on K fake repair folders of m samples each: the
  order in which it lists (folder, sample) pairs.
- test_keys: Agentless 1.5's normalize_test(code).strip() (generate_reproduction_tests.py).
Modules the functions never use are stubbed (as run_reference.py does).
"""
import json
import os
import sys
import tempfile
import textwrap
import types

cases_path, out_path, swerl_root, agentless_root = sys.argv[1:5]
sys.argv = sys.argv[:1]
here = os.path.dirname(os.path.abspath(__file__))
sys.argv += [os.devnull, os.devnull, os.path.join(swerl_root, "src"), agentless_root]
# reuse run_reference.py's stubs without running its cases
src = open(os.path.join(here, "run_reference.py")).read().split("cases_path, out_path")[0]
exec(compile(src, "run_reference_stubs", "exec"))
sys.path.insert(0, agentless_root)

from agentless.test import generate_reproduction_tests as al_gen  # noqa: E402
from agentless.repair import rerank as al_rerank  # noqa: E402

cases = json.load(open(cases_path))

# SWE-RL's fill, cut from its source
repair_src = open(os.path.join(swerl_root, "src/swerl/agentless_mini/repair.py")).read().splitlines()
start = next(i for i, l in enumerate(repair_src) if "# Backward compatibility" in l)
end = next(i for i, l in enumerate(repair_src) if "assert len(all_found_files) == inf_args.num_samples" in l)
fill_src = "def mini_fill(loc, inf_args, instance_id):\n" + textwrap.indent(textwrap.dedent("\n".join(repair_src[start:end + 1])), "    ") + "\n    return all_found_files\n"
ns = {}
exec(fill_src, ns)

for c in cases["fill"]:
    loc = {"found_files": [list(s) for s in c["sets"]]}
    c["ref"] = ns["mini_fill"](loc, types.SimpleNamespace(num_samples=c["samples"]), "x")

for c in cases["order"]:
    with tempfile.TemporaryDirectory() as d:
        roots = []
        for k in range(c["sets"]):
            root = os.path.join(d, f"repair_sample_{k + 1}")
            os.makedirs(root)
            roots.append(root)
            for i in range(c["per_set"]):
                with open(os.path.join(root, f"output_{i}_normalized.jsonl"), "w") as f:
                    f.write(json.dumps({"instance_id": "x", "model_patch": f"{k}:{i}", "normalized_patch": f"{k}:{i}"}) + "\n")
        al_rerank.execution_results = {}
        args = types.SimpleNamespace(patch_folder=",".join(roots), num_samples=c["sets"] * c["per_set"], regression=False, reproduction=False)
        al_rerank._load_results(args)
        c["ref"] = [list(map(int, e["patch"].split(":"))) for e in al_rerank.execution_results["x"]]

for c in cases["test_keys"]:
    try:
        key = al_gen.normalize_test(c["code"])
        c["ref"] = {"key": None if key is None else key.strip()}
    except Exception as e:  # noqa: BLE001
        c["ref"] = {"raises": type(e).__name__}

with open(out_path, "w") as f:
    json.dump(cases, f)
print({k: len(v) for k, v in cases.items()})
