#!/bin/sh
# Rules of the code base that a compiler does not check, from the tracked
# files: each names the files that break it.
#  - lib/ never calls strerror(): library code runs on worker and report
#    threads (cf__strerror / CF__ERRSTR use strerror_r).
#  - only .ci/setup installs packages: no apt-get in another script (the CI
#    recipes in examples/ are for a user's CI machine, which installs there);
#  - CMake files say PROJECT_SOURCE_DIR / PROJECT_BINARY_DIR, never
#    CMAKE_SOURCE_DIR / CMAKE_BINARY_DIR (wrong when certfleet is a
#    subproject);
#  - an allocation's result cannot be ignored: code that drops the result
#    of cf__buf_add, cf__buf_printf, cf__grow or cf__sanitize_add does not
#    compile (warn_unused_result, -Werror), checked with $CC;
#  - no trailing white space in C, shell and CMake files (.editorconfig);
#  - C files as clang-format 14 writes them with .clang-format (the house
#    style), and no line of them over 100 columns (characters, tabs of 8);
#  - a raw name (struct cf__raw) is not taken where sanitized text is,
#    nor the reverse (checked with $CC);
#  - every commit since BASE (when this clone has it: the first commit of
#    the rule) has a subject of at most 72 characters and a body
#    (CONTRIBUTING.md: the why and the measurements).
set -u
: "${SRC:?}"
cd "$SRC" || exit 1
git rev-parse --git-dir > /dev/null 2>&1 || { echo "skipped: not a git checkout"; exit 77; }
bad=0
check() {   # check WHAT HITS
	if [ -n "$2" ]; then
		echo "$2"
		echo "FAIL: $1" >&2
		bad=1
	else
		echo "ok: $1"
	fi
}
check "lib/ never calls strerror() (not thread-safe)" \
	"$(git grep -nE '(^|[^_a-z])strerror\(' -- 'lib/*.c' 'lib/*.h' | grep -vE 'define CF__ERRSTR|^[^:]*:[0-9]+: *(\*|/\*)' || true)"
check "only .ci/setup runs apt-get" \
	"$(git grep -nE '(^|[^-_a-z])apt-get +(update|install)' -- ':!.ci/setup' ':!*.md' ':!tests/cli/test-lint.sh' ':!examples/*.yml' || true)"
check "CMake files use PROJECT_SOURCE_DIR / PROJECT_BINARY_DIR" \
	"$(git grep -nE 'CMAKE_(SOURCE|BINARY)_DIR' -- '*CMakeLists.txt' '*.cmake' '*.cmake.in' || true)"
check "no trailing white space" \
	"$(git grep -nE '[[:space:]]$' -- '*.c' '*.h' '*.sh' '*.bash' '*CMakeLists.txt' || true)"
check "C lines at most 100 columns" \
	"$(git ls-files '*.c' '*.h' | while IFS= read -r f; do
		expand -t 8 "$f" | LC_ALL=C.UTF-8 grep -nE '^.{101,}' | sed "s|^\([0-9]*\):.*|$f:\1: over 100 columns|"
	done)"
fmt=$(command -v clang-format-14 || command -v clang-format || true)
if [ -n "$fmt" ] && "$fmt" --version | grep -q 'version 14\.'; then
	check "C files formatted by clang-format 14 (.clang-format): clang-format-14 -i FILE" \
		"$(git ls-files '*.c' '*.h' | while IFS= read -r f; do
			"$fmt" --style=file "$f" | cmp -s - "$f" || echo "$f: not as clang-format writes it"
		done)"
elif [ "${CI:-}" = true ]; then
	check "C files formatted by clang-format 14" "clang-format 14 is missing (sh .ci/setup test installs it)"
else
	echo "skipped: formatting not checked (no clang-format 14 here)"
fi
base=e93d746
if git cat-file -e "$base^{commit}" 2> /dev/null; then
	check "commit subjects since $base: at most 72 characters" \
		"$(git log --format='%h%x09%s' "$base..HEAD" | awk -F '\t' 'length($2) > 72' || true)"
	check "commits since $base: a body after the subject" \
		"$(for h in $(git rev-list "$base..HEAD"); do
			[ -n "$(git log -1 --format=%b "$h" | tr -d '[:space:]')" ] || git log -1 --format='%h %s' "$h"
		done)"
else
	echo "ok: commit messages not checked (this clone lacks $base: a shallow checkout)"
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# must_not_compile HEADER TYPE CALL WHY: a function taking a TYPE that
# makes CALL does not compile with $CC -Werror (else WHY fails the test)
must_not_compile() {
	printf '#include "%s"\nvoid f(%s);\nvoid f(%s) { %s; }\n' "$1" "$2" "$2" "$3" > "$T/u.c"
	"${CC:-cc}" -Werror -I lib -I lib/include -c "$T/u.c" -o "$T/u.o" 2> /dev/null &&
		check "$4" "$1: $3 compiles"
}
for call in 'cf__buf_add(b, "x", 1)' 'cf__buf_printf(b, "%d", 1)' 'cf__buf_reserve(b, 1)' \
    'cf__grow((void **)&b->data, &b->cap, 1, 1, 1)' 'cf__sanitize_add(b, "x", 1, 0)'; do
	must_not_compile util/util.h 'struct cf__buf *b' "$call" "an ignored result of $call does not compile"
done
[ $bad = 0 ] && echo "ok: ignored allocation results do not compile"
# a raw name (struct cf__raw) and sanitized text (char *) cannot stand for
# each other: sanitizing a sanitized name twice made phantom nodes
for call in 'cf__input_finding(s, "n", "p", "x")' 'cf__skip_add_at(s, 0, "p", "x")' \
    'cf__scan_node(s, "n")' 'cf__finding_add(s, 0, cf__raw("n"), "p", 0, 0, NULL, "x")'; do
	must_not_compile core/core.h 'struct cf_scan *s' "(void)$call" \
		"raw and sanitized names are distinct types: $call does not compile"
done
[ $bad = 0 ] && echo "ok: raw and sanitized names do not stand for each other"
exit $bad
