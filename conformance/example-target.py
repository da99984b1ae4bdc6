#!/usr/bin/env python3
"""An example cmd: target, for a team writing its own: JSON Lines in, JSON Lines out.

One scenario per line in (replay.md); one answer per line out: the result document, or
{"malformed": "<json path>: <message>"}. This one hands each scenario to `idmatrix replay -`;
put your implementation there. Try it:
  idmatrix conform --target "cmd:python3 conformance/example-target.py node bin/idmatrix.js"
"""
import json, subprocess, sys

IDMATRIX = sys.argv[1:] or ["npx", "--no-install", "idmatrix"]

for line in sys.stdin:
    if not line.strip():
        continue
    run = subprocess.run([*IDMATRIX, "replay", "-"], input=line, capture_output=True, text=True)
    if run.returncode == 0:
        answer = json.loads(run.stdout)  # the result document
    elif run.returncode == 2:
        answer = {"malformed": run.stderr.strip()}  # not a scenario (the harness's health question too)
    else:
        sys.exit(f"idmatrix replay failed ({run.returncode}): {run.stderr}")
    print(json.dumps(answer), flush=True)
