#!/bin/sh
# SARIF 2.1.0: accepted by Microsoft's SARIF multitool (npm); a result per
# finding with the check as ruleId and the level of its severity; a rule
# per row of the rule table with help text; locations as given on the
# command line (percent-encoded, an archive entry's archive); fingerprints
# unique and stable; GitHub's 25,000 results per run respected, with a note.
. "$(dirname "$0")/lib.sh"
need jq sarif-multitool
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
validate() {
	"$TOOL_sarif_multitool" validate --max-file-size-in-kb 200000 "$1" > "$T/validate.out" 2>&1 || { cat "$T/validate.out" >&2; fail "multitool: $1"; }
	if grep -E ': error [A-Z]+[0-9]+:' "$T/validate.out" >&2; then fail "multitool finds errors in $1"; fi
	ok
}
cd "$T" || exit 1
"$CERTFLEET_GEN" fleet "f x" --nodes 6 --now "$NOW" --faults expired@n01,soon@n02,mismatch@n03,missing@n04,lax@n05,invalid@n06 > /dev/null || fail "generate"
expect_exit "scan" 1 "$CERTFLEET" scan --now "$NOW" --quiet --sarif r.sarif --json r.json "f x"
validate r.sarif
expect_eq "version" "2.1.0" "$(jq -r .version r.sarif)"
expect_eq "a result per finding" "$(jq '.findings | length' "f x/expected.json")" "$(jq '.runs[0].results | length' r.sarif)"
expect_eq "ruleIds are the findings' checks" "$(jq -c '[.findings[].check] | sort' "f x/expected.json")" \
	"$(jq -c '[.runs[0].results[].ruleId] | sort' r.sarif)"
warn='.ruleId == "tls-cert-will-soon-expire" or .ruleId == "tls-pem-lax" or .ruleId == "tls-path-duplicate"'
expect_eq "levels from severity" "warning" "$(jq -r "[.runs[0].results[] | select($warn) | .level] | unique | join(\",\")" r.sarif)"
expect_eq "errors are error" "error" "$(jq -r "[.runs[0].results[] | select(($warn) | not) | .level] | unique | join(\",\")" r.sarif)"
expect_eq "rules: the rule table" "$("$CERTFLEET" rules --format json | jq -c '[.[].id]')" "$(jq -c '[.runs[0].tool.driver.rules[].id]' r.sarif)"
expect_eq "every rule has help" 0 "$(jq '[.runs[0].tool.driver.rules[] | select((.help.text | length) < 20)] | length' r.sarif)"
expect_eq "ruleIndex points at the rule" 0 \
	"$(jq '.runs[0] as $r | [$r.results[] | select($r.tool.driver.rules[.ruleIndex].id != .ruleId)] | length' r.sarif)"
# locations: the path as given, percent-encoded ("f x" -> f%20x), relative
expect_eq "uri of the expired certificate" "f%20x/n01/etc/tls/node.crt" \
	"$(jq -r '.runs[0].results[] | select(.ruleId == "tls-cert-expired") | .locations[0].physicalLocation.artifactLocation.uri' r.sarif)"
expect_eq "relative uris have a base" "%SRCROOT%" \
	"$(jq -r '[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uriBaseId] | unique | join(",")' r.sarif)"
expect_eq "the line" 1 "$(jq '.runs[0].results[] | select(.ruleId == "tls-cert-expired") | .locations[0].physicalLocation.region.startLine' r.sarif)"
# fingerprints: unique, equal to the JSON's, the same a day later
expect_eq "fingerprints unique" "$(jq '.runs[0].results | length' r.sarif)" \
	"$(jq '[.runs[0].results[].partialFingerprints["certfleetFinding/v1"]] | unique | length' r.sarif)"
expect_eq "fingerprints as in the JSON" "$(jq -c '[.findings[].fingerprint] | sort' r.json)" \
	"$(jq -c '[.runs[0].results[].partialFingerprints["certfleetFinding/v1"]] | sort' r.sarif)"
"$CERTFLEET" scan --now 2026-06-02T00:00:00Z --quiet --sarif r2.sarif "f x"
expect_eq "fingerprints stable" "$(jq -c "[.runs[0].results[] | select(.ruleId != \"tls-cert-will-soon-expire\") | .partialFingerprints[]] | sort" r.sarif)" \
	"$(jq -c "[.runs[0].results[] | select(.ruleId != \"tls-cert-will-soon-expire\") | .partialFingerprints[]] | sort" r2.sarif)"
# an archive entry: the archive is the artifact, the entry the logical location
"$CERTFLEET_GEN" fleet a --nodes 3 --format zip --now "$NOW" --faults expired@n02 > /dev/null
"$CERTFLEET" scan --now "$NOW" --quiet --sarif a.sarif a
validate a.sarif
expect_eq "archive uri" "a/n02.zip etc/tls/node.crt" \
	"$(jq -r '.runs[0].results[0] | .locations[0] | "\(.physicalLocation.artifactLocation.uri) \(.logicalLocations[0].fullyQualifiedName)"' a.sarif)"

# over 25,000 findings: 25,000 results, the most severe, and a note
# (not under valgrind: 25,250 findings there are minutes, not this test's point)
if [ -z "${REAL_CERTFLEET:-}" ]; then
	mkdir -p big/n
	{
		printf 'expired\n'
		cat "$TD/fixtures/sem-expired.pem"
		i=0
		while [ $i -lt 101 ]; do printf -- '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n'; i=$((i + 1)); done
	} > big/one.pem
	i=0
	while [ $i -lt 250 ]; do cp big/one.pem "big/n/f$i.pem"; i=$((i + 1)); done
	"$CERTFLEET" scan --now "$NOW" --quiet --node n --soon 9000d --sarif big.sarif --json big.json big/n
	total=$(jq '.findings | length' big.json)
	[ "$total" -gt 25000 ] || fail "only $total findings"
	ok
	expect_eq "cut at 25,000" 25000 "$(jq '.runs[0].results | length' big.sarif)"
	expect_eq "a note says how many" "$((total - 25000)) more results" \
		"$(jq -r '.runs[0].invocations[0].toolExecutionNotifications[0].message.text' big.sarif | grep -o '^[0-9]* more results')"
	expect_eq "no warning kept while errors were cut" 0 "$(jq '[.runs[0].results[] | select(.level != "error")] | length' big.sarif)"
	validate big.sarif
fi
done_ok
