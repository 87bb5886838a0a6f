#!/bin/sh
# The project carries its own docs: no tracked file points to documents
# outside the repository (../shared, or STYLE.md / DESIGN.md / FIXTURES.md,
# which the repository does not hold).
set -u
: "${SRC:?}"
cd "$SRC" || exit 1
git rev-parse --git-dir > /dev/null 2>&1 || { echo "skipped: not a git checkout"; exit 77; }
hits=$(git ls-files -z | xargs -0 grep -nIE '\.\./shared|(STYLE|DESIGN|FIXTURES)\.md' -- 2> /dev/null |
	grep -v '^tests/cli/test-self-contained.sh:')
if [ -n "$hits" ]; then
	echo "$hits"
	echo "FAIL: files point outside the repository" >&2
	exit 1
fi
echo "test-self-contained: $(git ls-files | wc -l) tracked files, none points outside the repository"
