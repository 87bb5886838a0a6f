#!/bin/sh
# Rules of the code base that a compiler does not check, from the tracked
# files: each names the files that break it.
#  - lib/ never calls strerror(): library code runs on worker and report
#    threads (cf__strerror / CF__ERRSTR use strerror_r).
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
check "lib/ calls strerror() (not thread-safe)" \
	"$(git grep -nE '(^|[^_a-z])strerror\(' -- 'lib/*.c' 'lib/*.h' | grep -vE 'define CF__ERRSTR|^[^:]*:[0-9]+: *(\*|/\*)' || true)"
exit $bad
