#!/bin/sh
# The fixture catalogue: the scan reports exactly the findings of the
# manifest (none missing, none extra), and every invalid fixture's message
# names its fault.
. "$(dirname "$0")/lib.sh"
need jq
m=$TD/fixtures/manifest.json
expect_eq "fixture count >= 45" true "$(jq '.files | length >= 45' "$m")"
expect_exit "scan fixtures" 1 "$CERTFLEET" scan --node fixtures --now "$(jq -r .now "$m")" \
	--json "$T/fx.json" "$TD/fixtures"
jq -c '[.files[] as $f | $f.findings[] | {check, node: "fixtures", path: $f.file, index}] | sort | .[]' \
	"$m" > "$T/expected"
findings_of "$T/fx.json" > "$T/actual"
same_findings "fixtures vs manifest" "$T/expected" "$T/actual"
# every expected reason appears in the message of that file's tls-cert-invalid or tls-der-noncanonical finding
jq -r --slurpfile r "$T/fx.json" '.files[] | select(.reason) | .file as $f | .reason as $why |
	if ([$r[0].findings[] | select(.path == $f and (.check == "tls-cert-invalid" or .check == "tls-der-noncanonical")) | .message |
	    contains($why)] | any) then "ok \($f)" else "MISSING \($f): \($why)" end' "$m" > "$T/reasons"
grep MISSING "$T/reasons" >&2 && fail "invalid fixtures whose reason is not named"
expect_eq "reasons checked" "$(jq '[.files[] | select(.reason)] | length' "$m")" "$(grep -c '^ok ' "$T/reasons")"
# the silent skip: notes.txt is neither a finding nor a skip
expect_eq "notes.txt silent" 0 "$(jq '[.findings[], .skipped[] | select(.path == "notes.txt")] | length' "$T/fx.json")"
# real-world roots: no finding, exit 0
expect_exit "scan real roots" 0 "$CERTFLEET" scan --now "$NOW" --json "$T/real.json" "$TD/real"
expect_eq "real roots certificates" 4 "$(jq .summary.certificates "$T/real.json")"
expect_eq "real roots findings" 0 "$(jq '.findings | length' "$T/real.json")"
expect_eq "real roots are CAs" '[true,true,true,true]' "$(jq -c '[.certificates[].is_ca]' "$T/real.json")"
done_ok
