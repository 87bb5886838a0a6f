#!/bin/sh
# The command line of a real tool: help for every command, a version that
# names the libraries, the list of checks (from the rule table, and the
# same as the README's table of findings), a unit required by --soon.
. "$(dirname "$0")/lib.sh"
need jq
for c in "help" "--help" "-h" "help scan" "help show" "help rules" "scan --help" "show --help" \
	"show -h" "rules --help"; do
	# shellcheck disable=SC2086
	expect_exit "certfleet $c" 0 "$CERTFLEET" $c
	grep -q '^usage: certfleet' "$T/out" || fail "certfleet $c: no usage on stdout"
	[ ! -s "$T/err" ] || fail "certfleet $c: wrote to stderr: $(cat "$T/err")"
done
expect_exit "help for no command" 2 "$CERTFLEET" help frobnicate
for c in -V --version version; do
	expect_exit "certfleet $c" 0 "$CERTFLEET" $c
	grep -Eq '^certfleet [0-9]+\.[0-9]+\.[0-9]+ \(libcertfleet [0-9.]+; GnuTLS [0-9.]+, libarchive [0-9.]+' "$T/out" ||
		fail "certfleet $c: '$(cat "$T/out")'"
	ok
done
# the checks, in three formats, agree with the README's table of findings
sed -n 's/^| `\(tls-[a-z-]*\)` | \(error\|warning\) |.*/\1 \2/p' "$SRC/README.md" | sort > "$T/readme"
[ "$(wc -l < "$T/readme")" -ge 11 ] || fail "README: no table of findings"
expect_exit "rules --format json" 0 "$CERTFLEET" rules --format json
jq -r '.[] | "\(.id) \(.severity)"' "$T/out" | sort > "$T/json"
cmp -s "$T/readme" "$T/json" || { diff "$T/readme" "$T/json"; fail "rules (json) and the README differ"; }
ok
expect_exit "rules" 0 "$CERTFLEET" rules
awk '{ print $1, $2 }' "$T/out" | sort > "$T/text"
cmp -s "$T/readme" "$T/text" || fail "rules (text) and the README differ"
expect_exit "rules --format markdown" 0 "$CERTFLEET" rules --format markdown
expect_eq "markdown rows" "$(wc -l < "$T/readme")" "$(grep -c '^| `tls-' "$T/out")"
expect_exit "rules --format yaml" 2 "$CERTFLEET" rules --format yaml
# --soon needs a unit (3 meant 3 seconds while --max-validity takes days)
expect_exit "--soon 3" 2 "$CERTFLEET" scan --soon 3 "$TD/fixtures/valid-ed25519.pem"
grep -q "needs a unit" "$T/err" || fail "--soon 3: no clear error"
expect_exit "--soon 3d" 0 "$CERTFLEET" scan --now "$NOW" --soon 3d --quiet "$TD/fixtures/valid-ed25519.pem"
# a bad --now names the forms it takes
expect_exit "--now yesterday" 2 "$CERTFLEET" scan --now yesterday "$TD/fixtures/valid-ed25519.pem"
grep -q "invalid value for --now: 'yesterday': give RFC 3339 (2026-06-01T00:00:00Z" "$T/err" ||
	fail "--now: the accepted forms are not named: $(cat "$T/err")"
ok
# --severity: a glob of rule ids; a level the table names; no rule matched
# is a usage error
expect_exit "--severity off" 0 "$CERTFLEET" scan --now "$NOW" --severity 'tls-chain-*=never' \
	--severity tls-cert-expired=warning --quiet "$TD/fixtures/sem-expired.pem" "$TD/fixtures/chain-missing-intermediate.pem" --node sev
expect_exit "--severity, findings kept" 1 "$CERTFLEET" scan --now "$NOW" --severity tls-cert-expired=warning \
	--json "$T/sev.json" --node sev "$TD/fixtures/sem-expired.pem" "$TD/fixtures/chain-missing-intermediate.pem"
expect_eq "--severity: expired a warning, the chains errors" "tls-cert-expired=warning tls-chain-incomplete=error tls-chain-untrusted=error" \
	"$(jq -r '[.findings[] | "\(.check)=\(.severity)"] | sort | join(" ")' "$T/sev.json")"
expect_exit "--severity, no such rule" 2 "$CERTFLEET" scan --severity 'tls-nothing*=never' "$TD/fixtures/valid.der"
grep -q "no rule id matches 'tls-nothing\*'" "$T/err" || fail "--severity: no clear error"
expect_exit "--severity, no such level" 2 "$CERTFLEET" scan --severity 'tls-pem-lax=loud' "$TD/fixtures/valid.der"
ok
# singular and plural right: one node, one file, one certificate, one error
expect_exit "one expired certificate" 1 "$CERTFLEET" scan --now "$NOW" "$TD/fixtures/sem-expired.pem"
grep -q '^certfleet: 1 node, 1 file, 1 certificate (1 distinct)' "$T/out" || fail "summary: '$(head -n 1 "$T/out")'"
grep -q '^1 error, 0 warnings, 0 skipped; FAIL' "$T/out" || fail "totals: '$(tail -n 1 "$T/out")'"
ok
done_ok
