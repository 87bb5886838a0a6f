#!/bin/sh
# test-optional.sh: what the tests need is optional for a default build and
# a missing piece skips tests, never passes them:
#  - configuring without Check (its check.pc hidden from pkg-config) works,
#    and the unit suites become one skipped test (exit 77 in ctest);
#  - a CLI test whose tool was not found when configured exits 77.
# Env: SRC CMAKE CERTFLEET CERTFLEET_GEN.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# every .pc pkg-config sees, except check.pc
mkdir "$T/pc"
for d in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
	[ -d "$d" ] || continue
	for f in "$d"/*.pc; do
		[ -e "$f" ] && [ "$(basename "$f")" != check.pc ] && [ ! -e "$T/pc/$(basename "$f")" ] &&
			ln -s "$f" "$T/pc/"
	done
done
PKG_CONFIG_LIBDIR=$T/pc pkg-config --exists check && fail "check.pc still visible"
PKG_CONFIG_LIBDIR=$T/pc "$CMAKE" -S "$SRC" -B "$T/b" > "$T/cfg.log" 2>&1 ||
	{ cat "$T/cfg.log"; fail "a default configure needs Check"; }
grep -q 'CERTFLEET_TESTS:BOOL=ON' "$T/b/CMakeCache.txt" || fail "tests are not on by default at top level"
(cd "$T/b" && ctest -N) > "$T/list"
grep -q 'unit-check-missing' "$T/list" || { cat "$T/list"; fail "no skipped stand-in for the unit suites"; }
grep -q 'unit-util' "$T/list" && fail "unit suites defined without Check"
(cd "$T/b" && ctest -R unit-check-missing) > "$T/run" 2>&1 || true
grep -q 'Skipped' "$T/run" || { cat "$T/run"; fail "the stand-in is not reported as skipped"; }
echo "ok: configured without Check; unit suites skipped, not passed"

# a CLI test without its tool
rc=0
TOOL_jq= SRC=$SRC CERTFLEET=$CERTFLEET CERTFLEET_GEN=$CERTFLEET_GEN sh "$SRC/tests/cli/test-fixtures.sh" \
	> "$T/skip" 2>&1 || rc=$?
[ "$rc" = 77 ] || { cat "$T/skip"; fail "cli-fixtures without jq exited $rc, not 77"; }
echo "ok: a CLI test without jq is skipped (77)"
echo PASS
