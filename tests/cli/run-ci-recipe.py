#!/usr/bin/python3
"""run-ci-recipe.py KIND FILE JOB WORKDIR [--skip NAME]...

Run the scripted steps of a CI recipe (examples/github-actions.yml or
examples/gitlab-ci.yml) on this machine, as the CI service would, in
WORKDIR: for GitHub Actions each `run` step of JOB in order with bash
-eo pipefail, the workflow's, job's and step's env (with
${{ steps.ID.outputs.KEY }} taken from what earlier steps wrote to
$GITHUB_OUTPUT), $GITHUB_STEP_SUMMARY and $RUNNER_TEMP set, a step after a
failure run only when its `if` is always(); `uses` steps are listed, not
run. For GitLab CI the job's `script` lines in one bash session with
-eo pipefail and the job's variables. Steps named with --skip are not run
(the build: the test puts the built certfleet on PATH). Prints what it
did; exits with the job's result (the failing step's status, or 0)."""
import os
import re
import subprocess
import sys

import yaml


def run_bash(script, env, cwd):
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                          env=env, cwd=cwd).returncode


def github(doc, job, workdir, skip):
    base = dict(os.environ)
    base.update({k: str(v) for k, v in (doc.get("env") or {}).items()})
    j = doc["jobs"][job]
    base.update({k: str(v) for k, v in (j.get("env") or {}).items()})
    temp = os.path.join(workdir, ".runner-temp")
    os.makedirs(temp, exist_ok=True)
    base["RUNNER_TEMP"] = temp
    base.setdefault("GITHUB_STEP_SUMMARY", os.path.join(temp, "summary.md"))
    outputs, failed = {}, 0
    for n, step in enumerate(j["steps"]):
        name = step.get("name", step.get("uses", "step %d" % n))
        cond = str(step.get("if", "success()"))
        if failed and "always()" not in cond and "failure()" not in cond:
            print("skipped after a failure: %s" % name)
            continue
        if "uses" in step:
            print("uses (not run here): %s" % step["uses"])
            continue
        if name in skip:
            print("skipped by the test: %s" % name)
            continue
        env = dict(base)
        out = os.path.join(temp, "output-%d" % n)
        open(out, "w").close()
        env["GITHUB_OUTPUT"] = out

        def expr(m):
            key = m.group(1).strip()
            g = re.fullmatch(r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", key)
            if not g:
                sys.exit("run-ci-recipe: expression not understood: %s" % key)
            return outputs.get(g.group(1), {}).get(g.group(2), "")
        for k, v in (step.get("env") or {}).items():
            env[k] = re.sub(r"\$\{\{(.*?)\}\}", expr, str(v))
        if "${{" in step["run"]:
            sys.exit("run-ci-recipe: an expression inside run: in step %s" % name)
        rc = run_bash(step["run"], env, workdir)
        print("ran: %s: exit %d" % (name, rc))
        if "id" in step:
            vals = {}
            for line in open(out, encoding="utf-8"):
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    vals[k] = v
            outputs[step["id"]] = vals
        if rc and not failed:
            failed = rc
    return failed


def gitlab(doc, job, workdir, skip):
    j = doc[job]
    env = dict(os.environ)
    env.update({k: str(v) for k, v in (j.get("variables") or {}).items()})
    if "before_script" not in skip:
        rc = run_bash("\n".join(j.get("before_script", [])), env, workdir)
        if rc:
            return rc
    else:
        print("skipped by the test: before_script")
    rc = run_bash("\n".join(j["script"]), env, workdir)
    print("ran: script: exit %d" % rc)
    print("artifacts: %s" % yaml.safe_dump(j.get("artifacts", {}), default_flow_style=True).strip())
    return rc


def main():
    kind, path, job, workdir = sys.argv[1:5]
    skip = [sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == "--skip"]
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    rc = github(doc, job, workdir, skip) if kind == "github" else gitlab(doc, job, workdir, skip)
    sys.exit(min(rc, 255))


main()
