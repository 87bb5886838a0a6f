# lib.sh - helpers for the CLI tests (sourced). Each test runs the built
# binaries ($CERTFLEET, $CERTFLEET_GEN) on testdata/ ($SRC/testdata) in a
# temporary folder ($T) removed on exit. A failed assertion prints what was
# expected and what came, and the test exits 1.
set -u
: "${CERTFLEET:?}" "${CERTFLEET_GEN:?}" "${SRC:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/certfleet-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
NOW=2026-06-01T00:00:00Z
TD=$SRC/testdata
checks=0

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

ok() {
	checks=$((checks + 1))
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
	ok
}

# expect_exit WHAT CODE CMD...: run CMD, compare its exit status
expect_exit() {
	what=$1 code=$2
	shift 2
	"$@" > "$T/out" 2> "$T/err"
	rc=$?
	[ "$rc" -eq "$code" ] || { cat "$T/err" >&2; fail "$what: exit $rc, expected $code"; }
	ok
}

# The findings of a scan's JSON as sorted {check,node,path,index} lines.
findings_of() {
	jq -c '[.findings[] | {check, node, path, index}] | sort | .[]' "$1"
}

# The findings a fleet's expected.json lists, in the same form.
expected_of() {
	jq -c '[.findings[] | {check, node, path, index}] | sort | .[]' "$1"
}

# Compare two sorted lists of findings; print the difference on failure.
same_findings() {
	if ! diff "$2" "$3" > "$T/diff"; then
		cat "$T/diff" >&2
		fail "$1: findings differ (< expected, > scan)"
	fi
	ok
}

done_ok() {
	echo "$(basename "$0"): $checks checks passed"
}
