#!/bin/sh
# The terminal summary: findings grouped by check with a count per group,
# at most --max-lines lines per check (and a line saying how many more),
# a bundle member's subject on its line, plurals right, colour on a
# terminal (script(1) gives one) unless NO_COLOR or --color never, none
# when piped unless --color always.
. "$(dirname "$0")/lib.sh"
need jq script
esc=$(printf '\033')

# 200 nodes, 10% expired, 5% soon, 2% mismatched, 2% missing
"$CERTFLEET_GEN" fleet "$T/f" --nodes 200 --now "$NOW" --faults expired=0.1,soon=0.05,mismatch=0.02,missing=0.02 > /dev/null || fail "generate"
"$CERTFLEET" scan --now "$NOW" --json "$T/r.json" "$T/f" > "$T/out"
groups=$(jq '[.findings[].check] | unique | length' "$T/f/expected.json")
findings=$(jq '.findings | length' "$T/f/expected.json")
[ "$findings" -gt 30 ] || fail "only $findings findings"
ok
expect_eq "a heading per check" "$groups" "$(grep -c '^\(error\|warning\) tls-[a-z-]*: [0-9]* findings\?$' "$T/out")"
for c in $(jq -r '[.findings[].check] | unique | .[]' "$T/f/expected.json"); do
	n=$(jq --arg c "$c" '[.findings[] | select(.check == $c)] | length' "$T/f/expected.json")
	grep -q "^[a-z]* $c: $n finding" "$T/out" || fail "heading of $c does not count $n"
	ok
	shown=$(sed -n "/^[a-z]* $c: /,/^[a-z]/p" "$T/out" | grep -c '^  [^…]')
	[ "$shown" -le 10 ] || fail "$c: $shown lines, over the default 10"
	ok
	if [ "$n" -gt 10 ]; then
		sed -n "/^[a-z]* $c: /,/^[a-z]/p" "$T/out" | grep -q "^  … $((n - 10)) more" || fail "$c: the cut is not said"
		ok
	fi
done
lines=$(wc -l < "$T/out")
[ "$lines" -le $((2 + groups * 12 + 2)) ] || fail "$lines lines for 200 nodes"
ok
"$CERTFLEET" scan --now "$NOW" --max-lines 0 "$T/f" > "$T/all"
expect_eq "--max-lines 0: every finding" "$findings" "$(grep -c '^  [^ …]' "$T/all")"
"$CERTFLEET" scan --now "$NOW" --max-lines 2 "$T/f" > "$T/two"
expect_eq "--max-lines 2" 0 "$(awk '/^[a-z]/ {n = 0} /^  [^…]/ {if (++n > 2) bad++} END {print bad + 0}' "$T/two")"
expect_exit "--max-lines bad" 2 "$CERTFLEET" scan --now "$NOW" --max-lines x "$T/f"

# a bundle's member: its subject on the line
cat "$TD/fixtures/sem-expired.pem" "$TD/fixtures/sem-expired.pem" > "$T/b.pem"
"$CERTFLEET" scan --now "$NOW" --node b "$T/b.pem" > "$T/b"
subject=$(jq -r '.certificates[0].subject' "$("$CERTFLEET" scan --now "$NOW" --quiet --node b --json "$T/b.json" "$T/b.pem"; echo "$T/b.json")")
grep -qF "  b:b.pem member 1 ($subject): certificate expired" "$T/b" || fail "member line without its subject"
ok
expect_eq "plural" "error tls-cert-expired: 2 findings" "$(grep '^error' "$T/b")"
"$CERTFLEET" scan --now "$NOW" --node one "$TD/fixtures/sem-expired.pem" > "$T/one"
expect_eq "singular" "error tls-cert-expired: 1 finding" "$(grep '^error' "$T/one")"

# colour
grep -q "$esc" "$T/out" && fail "colour in a pipe"
ok
script -qec "\"$CERTFLEET\" scan --now $NOW --node b \"$T/b.pem\"" /dev/null > "$T/tty"
grep -q "$esc\[1;31merror" "$T/tty" || fail "no colour on a terminal"
ok
NO_COLOR=1 script -qec "\"$CERTFLEET\" scan --now $NOW --node b \"$T/b.pem\"" /dev/null > "$T/tty2"
grep -q "$esc\[" "$T/tty2" && fail "colour despite NO_COLOR"
ok
script -qec "\"$CERTFLEET\" scan --color never --now $NOW --node b \"$T/b.pem\"" /dev/null > "$T/tty3"
grep -q "$esc\[" "$T/tty3" && fail "colour despite --color never"
ok
"$CERTFLEET" scan --color always --now "$NOW" --node b "$T/b.pem" > "$T/forced"
grep -q "$esc\[1;31merror" "$T/forced" || fail "--color always: no colour"
ok
done_ok
