#!/bin/sh
# What is committed but made by certfleet is what the built certfleet
# makes, byte for byte: reports/example.* (testdata/fleet), the README's
# table of findings (the rules' rows) and the bash completion's option
# lists (scan --help). Regenerate with: cmake --build build --target generated
. "$(dirname "$0")/lib.sh"
sh "$SRC/tests/cli/make-generated.sh" "$CERTFLEET" "$SRC" "$T" || fail "make-generated"
cmp -s "$T/README.md" "$SRC/README.md" || { diff "$SRC/README.md" "$T/README.md" | head -20 >&2; fail "README.md's table of findings is stale"; }
ok
cmp -s "$T/certfleet.bash" "$SRC/tools/certfleet.bash" || { diff "$SRC/tools/certfleet.bash" "$T/certfleet.bash" | head -20 >&2; fail "tools/certfleet.bash's option lists are stale"; }
ok
for f in example.junit.xml example.md example.json example.prom example.sarif example.html; do
	cmp -s "$T/$f" "$SRC/reports/$f" || { diff "$SRC/reports/$f" "$T/$f" | head -20 >&2; fail "reports/$f is stale"; }
	ok
done
done_ok
