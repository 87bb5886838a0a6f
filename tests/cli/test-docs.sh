#!/bin/sh
# Man pages lint-clean with mandoc, every scan option in certfleet(1), and
# bash completion that offers the commands and the scan options.
. "$(dirname "$0")/lib.sh"
need mandoc bash
"$TOOL_mandoc" -T lint -W warning "$SRC/docs/man/certfleet.1" "$SRC/docs/man/certfleet-gen.1" > "$T/lint" 2>&1 ||
	{ cat "$T/lint"; fail "mandoc -T lint"; }
expect_eq "mandoc: nothing to say" "" "$(cat "$T/lint")"
# every option of `certfleet scan --help` is in the man page
"$CERTFLEET" scan --help | grep -o -- '--[a-z][a-z-]*' | sort -u > "$T/opts"
[ -s "$T/opts" ] || fail "no options in scan --help"
while read -r o; do
	grep -q -- "Fl $(echo "$o" | sed 's/^-//')" "$SRC/docs/man/certfleet.1" || fail "certfleet(1) lacks $o"
	ok
done < "$T/opts"
# completion: the commands, then scan's options, then --fail-on's levels
comp() {   # comp WORD...: what completing the last word offers
	"$TOOL_bash" -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _certfleet; printf "%s\n" "${COMPREPLY[@]}"' \
		"$SRC/tools/certfleet.bash" "$@"
}
expect_eq "complete commands" "scan show" "$(comp certfleet s | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq "complete scan options" "--jobs --json --junit --junit-warnings" "$(comp certfleet scan --j | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq "complete --fail-on" "never" "$(comp certfleet scan --fail-on n)"
expect_eq "complete rules --format" "json" "$(comp certfleet rules --format j)"
# the completion's list of scan options is the options of scan --help,
# no more and no fewer (a new option or writer must reach it)
comp certfleet scan -- | sort -u > "$T/comp"
grep -v -- '^--help$' "$T/comp" > "$T/comp-opts"
"$CERTFLEET" scan --help | grep -E -- '^ +--' | grep -o -- '--[a-z][a-z-]*' | grep -v -- '^--help$' |
	sort -u > "$T/help-opts"
diff "$T/help-opts" "$T/comp-opts" > "$T/comp-diff" || { cat "$T/comp-diff"; fail "completion and scan --help differ"; }
ok
done_ok
