#!/bin/sh
# The CI recipes: examples/github-actions.yml and examples/gitlab-ci.yml
# parse as YAML, and their scripted steps run here (run-ci-recipe.py, the
# build step left out: the built certfleet is on PATH) on a repository
# whose certs/ holds a generated fleet: the GitHub job writes the Markdown
# into a fake $GITHUB_STEP_SUMMARY within its 1 MiB, every report, and
# fails at its gate with certfleet's status; a clean fleet passes. The
# GitLab job writes the JUnit, a Code Quality report with an issue per
# finding, and fails with certfleet's status.
. "$(dirname "$0")/lib.sh"
need python3 jq xmllint
run="$TOOL_python3 $SRC/tests/cli/run-ci-recipe.py"
mkdir -p "$T/bin"
ln -s "$CERTFLEET" "$T/bin/certfleet"

repo() { # DIR FAULTS
	mkdir -p "$1"
	"$CERTFLEET_GEN" fleet "$1/certs" --nodes 5 ${2:+--faults "$2"} > /dev/null || fail "generate"
	mv "$1/certs/expected.json" "$1/expected.json"
}

# GitHub Actions, a fleet with faults
repo "$T/gh" expired@n02,soon@n03,mismatch@n04
PATH="$T/bin:$PATH" GITHUB_STEP_SUMMARY="$T/gh-summary.md" \
	$run github "$SRC/examples/github-actions.yml" certificates "$T/gh" --skip "Build certfleet" > "$T/gh.log" 2>&1
rc=$?
[ "$rc" -eq 1 ] || { cat "$T/gh.log" >&2; fail "github: job exit $rc, expected 1 (the gate)"; }
ok
grep -q '^ran: Gate: exit 1$' "$T/gh.log" || fail "github: the gate did not fail the job"
ok
grep -q '^ran: Scan: exit 0$' "$T/gh.log" || fail "github: the scan step failed"
ok
for u in actions/upload-artifact github/codeql-action/upload-sarif mikepenz/action-junit-report; do
	grep -q "^uses (not run here): $u@" "$T/gh.log" || fail "github: no $u step after the failure"
	ok
done
expect_eq "github: summary verdict" "# ❌ certfleet: FAIL" "$(grep -m1 '^# ' "$T/gh-summary.md")"
size=$(wc -c < "$T/gh-summary.md")
[ "$size" -le 1048576 ] || fail "github: step summary $size bytes"
ok
for f in certfleet.junit.xml certfleet.sarif certfleet.json certfleet.html certfleet.md; do
	[ -s "$T/gh/reports/$f" ] || fail "github: reports/$f missing"
	ok
done
expect_eq "github: SARIF results" "$(jq '.findings | length' "$T/gh/expected.json")" "$(jq '.runs[0].results | length' "$T/gh/reports/certfleet.sarif")"
xmllint --noout --schema "$SRC/reports/junit.xsd" "$T/gh/reports/certfleet.junit.xml" 2> /dev/null || fail "github: JUnit not valid"
ok
# a clean fleet passes
repo "$T/gh2" ""
PATH="$T/bin:$PATH" GITHUB_STEP_SUMMARY="$T/gh2-summary.md" \
	$run github "$SRC/examples/github-actions.yml" certificates "$T/gh2" --skip "Build certfleet" > "$T/gh2.log" 2>&1 ||
	{ cat "$T/gh2.log" >&2; fail "github: a clean fleet fails"; }
ok
expect_eq "github: clean verdict" "# ✅ certfleet: PASS" "$(grep -m1 '^# ' "$T/gh2-summary.md")"

# GitLab CI
repo "$T/gl" expired@n02,missing@n04
PATH="$T/bin:$PATH" $run gitlab "$SRC/examples/gitlab-ci.yml" certfleet "$T/gl" --skip before_script > "$T/gl.log" 2>&1
rc=$?
[ "$rc" -eq 1 ] || { cat "$T/gl.log" >&2; fail "gitlab: job exit $rc, expected 1"; }
ok
cq=$T/gl/reports/gl-code-quality.json
expect_eq "gitlab: an issue per finding" "$(jq '.findings | length' "$T/gl/expected.json")" "$(jq length "$cq")"
expect_eq "gitlab: issue fields" '["check_name","description","fingerprint","location","severity"]' "$(jq -c '.[0] | keys' "$cq")"
expect_eq "gitlab: the expired file's path" "certs/n02/etc/tls/node.crt" \
	"$(jq -r '.[] | select(.check_name == "tls-cert-expired") | .location.path' "$cq")"
[ -f "$T/gl/$(jq -r '.[] | select(.check_name == "tls-cert-expired") | .location.path' "$cq")" ] || fail "gitlab: the path is not a file"
ok
expect_eq "gitlab: severities" '["critical"]' "$(jq -c '[.[].severity] | unique' "$cq")"
xmllint --noout --schema "$SRC/reports/junit.xsd" "$T/gl/reports/certfleet.junit.xml" 2> /dev/null || fail "gitlab: JUnit not valid"
ok
expect_eq "gitlab: artifacts reports" "reports/certfleet.junit.xml reports/gl-code-quality.json" \
	"$("$TOOL_python3" -c 'import sys, yaml; a = yaml.safe_load(open(sys.argv[1]))["certfleet"]["artifacts"]["reports"]; print(a["junit"], a["codequality"])' "$SRC/examples/gitlab-ci.yml")"
done_ok
