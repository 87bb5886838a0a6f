#!/bin/sh
# reports/example.* are what the built certfleet writes for testdata/fleet,
# byte for byte (regenerate with: cmake --build build --target reports).
. "$(dirname "$0")/lib.sh"
sh "$SRC/tests/cli/make-reports.sh" "$CERTFLEET" "$SRC" "$T" || fail "make-reports"
for f in example.junit.xml example.md example.json example.prom example.sarif example.html; do
	cmp -s "$T/$f" "$SRC/reports/$f" || { diff "$SRC/reports/$f" "$T/$f" | head -20 >&2; fail "reports/$f is stale"; }
	ok
done
done_ok
