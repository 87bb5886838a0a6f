#!/bin/sh
# JUnit as its readers keep it: on a fleet with every finding kind on
# several nodes, every finding is exactly one outcome (a <failure>, or a
# <skipped> for a warning) in a test case of its own node's suite, named
# after its path; no test case holds two; names are unique per suite;
# junit2json (npm) reads the same counts; --fail-on changes nothing in it;
# --junit-warnings chooses the element of warnings; `file` locates the
# file as read (a folder path, or ARCHIVE:ENTRY).
. "$(dirname "$0")/lib.sh"
need jq xmllint junit2json
xsd=$SRC/reports/junit.xsd

"$CERTFLEET_GEN" fleet "$T/f" --nodes 12 --certs-per-node 4 --now "$NOW" --faults \
expired@n01,expired@n02,soon@n03,soon@n04,not-yet-valid@n05,too-long@n06,lax@n07,lax@n08,\
invalid@n09,invalid-padding@n10,mismatch@n11,mismatch@n12,missing@n01,missing@n03,\
key-mismatch@n05,key-mismatch@n06 > /dev/null || fail "generate the fleet"
expect_exit "scan" 1 "$CERTFLEET" scan --now "$NOW" --quiet --junit "$T/r.xml" --json "$T/r.json" "$T/f"
xmllint --noout --schema "$xsd" "$T/r.xml" 2> "$T/xl" || { cat "$T/xl" >&2; fail "JUnit not valid"; }
ok
# the severities are the README's contract: these checks are warnings
warn='.check == "tls-cert-will-soon-expire" or .check == "tls-pem-lax" or .check == "tls-path-duplicate"'
n_err=$(jq "[.findings[] | select(($warn) | not)] | length" "$T/f/expected.json")
n_warn=$(jq "[.findings[] | select($warn)] | length" "$T/f/expected.json")
[ "$n_err" -ge 10 ] && [ "$n_warn" -ge 4 ] || fail "the fleet has $n_err errors, $n_warn warnings: too few"
ok
x() { xmllint --xpath "$1" "$T/r.xml"; }
expect_eq "no test case holds two outcomes" 0 "$(x 'count(//testcase[count(failure|skipped|error) > 1])')"
expect_eq "a failure per error" "$n_err" "$(x 'count(//failure)')"
expect_eq "a skipped per warning (default)" "$n_warn" "$(x 'count(//skipped)')"
expect_eq "no fleet-consistency suite" 0 "$(x 'count(//testsuite[@name="fleet-consistency"])')"
expect_eq "a suite per node" 12 "$(x 'count(/testsuites/testsuite)')"
expect_eq "no failing suite counted green" 0 \
	"$(x 'count(//testsuite[count(testcase/failure) != @failures or count(testcase/skipped) != @skipped or count(testcase) != @tests])')"

# through junit2json: each outcome is (suite = node, test case name = path
# [check] member N), and the list equals the findings expected.json lists
junit2json "$T/r.xml" > "$T/r.j2j.json" || fail "junit2json cannot read the report"
ok
expect_eq "junit2json: failures" "$n_err" "$(jq .failures "$T/r.j2j.json")"
expect_eq "junit2json: skipped" "$n_warn" "$(jq .skipped "$T/r.j2j.json")"
jq -c '[.testsuite[] | .name as $node | .testcase[]? | select(.failure or .skipped)
	| (.name | capture("^(?<path>.*) \\[(?<check>[a-z0-9-]+)\\](?: member (?<index>[0-9]+))?")) as $c
	| {check: $c.check, node: $node, path: $c.path, index: (($c.index // "0") | tonumber)}] | sort | .[]' \
	"$T/r.j2j.json" > "$T/actual"
expected_of "$T/f/expected.json" > "$T/expected"
same_findings "every finding is one outcome in its node's suite" "$T/expected" "$T/actual"
expect_eq "failure types are the checks" "$(jq -r "[.findings[] | select(($warn) | not) | .check] | sort | join(\" \")" "$T/f/expected.json")" \
	"$(jq -r '[.testsuite[].testcase[]? | .failure[]?.type] | sort | join(" ")' "$T/r.j2j.json")"
expect_eq "names unique per suite" 0 \
	"$(jq '[.testsuite[] | [.testcase[]?.name] | length - (unique | length)] | add' "$T/r.j2j.json")"
# the failure message names node, path and the fact
expect_eq "a message names node and path" 1 \
	"$(jq '[.testsuite[] | select(.name == "n01") | .testcase[] | .failure[]? | .message
		| select(startswith("tls-cert-expired: node n01: etc/tls/node.crt: certificate expired: notAfter"))] | length' "$T/r.j2j.json")"
# a missing file: a test case named after the missing path, in the node's suite
expect_eq "missing on n03" "etc/tls/server.crt [tls-cert-missing]" \
	"$(jq -r '.testsuite[] | select(.name == "n03") | .testcase[] | select(.failure[0].type == "tls-cert-missing") | .name' "$T/r.j2j.json")"
# file: where the file was read
expect_eq "file of a folder node" "$T/f/n01/etc/tls/node.crt" \
	"$(jq -r '.testsuite[] | select(.name == "n01") | .testcase[] | select(.name == "etc/tls/node.crt [tls-cert-expired]") | .file' "$T/r.j2j.json")"
for f in $(jq -r '[.testsuite[].testcase[]?.file // empty] | unique | .[]' "$T/r.j2j.json"); do
	[ -f "$f" ] || fail "file attribute '$f' is not a file"
done
ok

# --fail-on sets the exit status only: the JUnit is the same bytes
for level in warning never; do
	"$CERTFLEET" scan --now "$NOW" --quiet --fail-on $level --junit "$T/r-$level.xml" "$T/f"
	cmp -s "$T/r.xml" "$T/r-$level.xml" || fail "--fail-on $level changes the JUnit"
	ok
done
# --junit-warnings failure: warnings are failures; output: in system-out
"$CERTFLEET" scan --now "$NOW" --quiet --junit-warnings failure --junit "$T/wf.xml" "$T/f"
expect_eq "--junit-warnings failure" "$((n_err + n_warn)) 0" \
	"$(xmllint --xpath 'count(//failure)' "$T/wf.xml") $(xmllint --xpath 'count(//skipped)' "$T/wf.xml")"
"$CERTFLEET" scan --now "$NOW" --quiet --junit-warnings output --junit "$T/wo.xml" "$T/f"
expect_eq "--junit-warnings output" "$n_err 0 $n_warn" \
	"$(xmllint --xpath 'count(//failure)' "$T/wo.xml") $(xmllint --xpath 'count(//skipped)' "$T/wo.xml") $(xmllint --xpath 'count(//testcase/system-out)' "$T/wo.xml")"
expect_exit "--junit-warnings bad" 2 "$CERTFLEET" scan --now "$NOW" --junit-warnings maybe "$T/f"
grep -q "failure, skipped or output" "$T/err" || fail "--junit-warnings error does not say what it takes"
ok

# archives: file is ARCHIVE:ENTRY
"$CERTFLEET_GEN" fleet "$T/a" --nodes 3 --format tar.gz --now "$NOW" --faults expired@n02 > /dev/null
"$CERTFLEET" scan --now "$NOW" --quiet --junit "$T/a.xml" "$T/a"
expect_eq "file inside an archive" "$T/a/n02.tar.gz:etc/tls/node.crt" \
	"$(xmllint --xpath 'string(//testsuite[@name="n02"]/testcase[failure]/@file)' "$T/a.xml")"

# a bundle with two broken members: two test cases, "member N"
cat "$TD/fixtures/sem-expired.pem" "$TD/fixtures/sem-expired.pem" > "$T/b.pem"
"$CERTFLEET" scan --now "$NOW" --quiet --node b --junit "$T/b.xml" "$T/b.pem"
expect_eq "bundle members" "b.pem [tls-cert-expired]|b.pem [tls-cert-expired] member 1" \
	"$(xmllint --xpath '//testcase/@name' "$T/b.xml" | sed 's/^ *name="\(.*\)"$/\1/' | paste -sd'|')"
done_ok
