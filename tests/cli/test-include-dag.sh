#!/bin/sh
# The include-DAG check passes on lib/ and fails on planted violations: a
# stage including a later stage, a stage file including the tests'
# umbrella private.h, and a source file outside any stage folder. Each
# plant is made in a copy of lib/, which is never touched.
set -u
: "${SRC:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/certfleet-dag.XXXXXX")
trap 'rm -rf "$T"' EXIT
dag="sh $SRC/tests/check-include-dag"
checks=0
fail() { echo "FAIL: $*" >&2; exit 1; }
$dag "$SRC/lib" > "$T/out" || { cat "$T/out"; fail "lib/ itself violates the include DAG"; }
checks=$((checks + 1))
# plant VIOLATION (a shell snippet run in the copy); the check must name it
plant() {
	what=$1 expect=$2
	rm -rf "$T/lib" && cp -r "$SRC/lib" "$T/lib"
	(cd "$T/lib" && eval "$3")
	if $dag "$T/lib" > "$T/out"; then
		cat "$T/out"
		fail "$what: the check passed"
	fi
	grep -qF "$expect" "$T/out" || { cat "$T/out"; fail "$what: '$expect' not named"; }
	checks=$((checks + 1))
}
plant "core includes report" 'core/scan.c:1: core includes report/report.h' \
	'{ echo "#include \"report/report.h\""; cat core/scan.c; } > x && mv x core/scan.c'
plant "util includes core" 'util/buf.c:1: util includes core/core.h' \
	'{ echo "#include \"core/core.h\""; cat util/buf.c; } > x && mv x util/buf.c'
plant "facts includes decode" 'facts/facts.h:1: facts includes decode/decode.h' \
	'{ echo "#  include \"decode/decode.h\""; cat facts/facts.h; } > x && mv x facts/facts.h'
plant "a stage includes private.h" 'check/rules.c:1: check includes private.h' \
	'{ echo "#include \"private.h\""; cat check/rules.c; } > x && mv x check/rules.c'
plant "a file outside the stages" 'stray.c: not in a stage folder' \
	'mkdir -p misc && echo "int x;" > misc/stray.c'
echo "test-include-dag: $checks checks passed"
