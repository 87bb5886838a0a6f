#!/bin/sh
# Fleets: the committed fleet (folders, and archives of every format) and
# freshly generated fleets of every format report exactly expected.json;
# folders and archives give identical findings.
. "$(dirname "$0")/lib.sh"
need jq xmllint xz zip openssl keytool
expect_exit "scan fleet" 1 "$CERTFLEET" scan --now "$NOW" --json "$T/dir.json" "$TD/fleet"
expected_of "$TD/fleet/expected.json" > "$T/expected"
findings_of "$T/dir.json" > "$T/actual"
same_findings "testdata/fleet" "$T/expected" "$T/actual"
expect_eq "every fault of the scan issue present" \
	"tls-cert-expired tls-cert-invalid tls-cert-mismatch tls-cert-missing tls-cert-not-yet-valid tls-cert-validity-too-long tls-cert-will-soon-expire tls-key-mismatch tls-pem-lax" \
	"$(jq -r '[.findings[].check] | unique | join(" ")' "$T/dir.json")"
expect_eq "clean nodes report nothing" "" \
	"$(jq -r '[.findings[].node] | map(select(. == "n09" or . == "n10")) | join(" ")' "$T/dir.json")"
expect_eq "each fault once" "$(jq '.findings | length' "$TD/fleet/expected.json")" "$(jq '.findings | length' "$T/dir.json")"

expect_exit "scan fleet-archives" 1 "$CERTFLEET" scan --now "$NOW" --json "$T/arc.json" "$TD/fleet-archives"
findings_of "$T/arc.json" > "$T/actual"
same_findings "testdata/fleet-archives" "$T/expected" "$T/actual"
jq -S '[.findings[] | del(.line)]' "$T/dir.json" > "$T/a"
jq -S '[.findings[] | del(.line)]' "$T/arc.json" > "$T/b"
same_findings "folders vs archives, whole findings" "$T/a" "$T/b"
expect_eq "archives: every format" "n02.tar n03.tar.gz n04.tar.xz n05.tar.zst n06.tar.bz2 n07.zip" \
	"$(cd "$TD/fleet-archives" && ls -d n0[2-7]* | tr '\n' ' ' | sed 's/ $//')"

# every format on its own, with faults at names and at rates
for fmt in dir tar tar.gz tar.xz tar.zst tar.bz2 zip k8s p12 jks; do
	"$CERTFLEET_GEN" fleet "$T/$fmt" --now "$NOW" --nodes 9 --certs-per-node 4 --format "$fmt" --seed "s-$fmt" \
		--faults expired@n02,mismatch@n03,key-mismatch@n04,missing@n05,invalid-padding@n06,soon=0.3 \
		|| fail "generate $fmt"
	"$CERTFLEET" scan --now "$NOW" --quiet --json "$T/$fmt.json" "$T/$fmt"
	expected_of "$T/$fmt/expected.json" > "$T/expected"
	findings_of "$T/$fmt.json" > "$T/actual"
	same_findings "generated $fmt fleet" "$T/expected" "$T/actual"
done
# the containers of the p12 and jks fleets read as their makers' readers
# read them: openssl the PKCS#12 (a certificate and a key bag, no MAC),
# keytool the keystore with its password (the digest)
expect_eq "openssl: server.p12" "Certificate bag|Key bag" \
	"$(openssl pkcs12 -in "$T/p12/n01/etc/tls/server.p12" -passin pass: -nomacver -noout -info 2>&1 | grep bag | paste -sd'|')"
keytool -list -keystore "$T/jks/n01/etc/tls/server.jks" -storepass changeit > "$T/kt" 2>&1 ||
	{ cat "$T/kt"; fail "keytool refuses server.jks"; }
expect_eq "keytool: server.jks" 1 "$(grep -c trustedCertEntry "$T/kt")"
# rates over a larger fleet, and a fleet with no majority for server.crt
"$CERTFLEET_GEN" fleet "$T/rates" --now "$NOW" --nodes 60 --faults expired=0.05,too-long=0.05,mismatch=0.1,missing=0.05,key-mismatch=0.05,invalid-truncated=0.05,der=0.1,crlf=0.1 \
	|| fail "generate rates"
"$CERTFLEET" scan --now "$NOW" --quiet --json "$T/rates.json" "$T/rates"
expected_of "$T/rates/expected.json" > "$T/expected"
findings_of "$T/rates.json" > "$T/actual"
same_findings "rate-based fleet" "$T/expected" "$T/actual"
[ "$(wc -l < "$T/expected")" -ge 8 ] || fail "rate-based fleet injected too few faults"
ok
"$CERTFLEET_GEN" fleet "$T/split" --now "$NOW" --nodes 4 --faults mismatch@n01,mismatch@n02 || fail "generate split"
"$CERTFLEET" scan --now "$NOW" --quiet --json "$T/split.json" "$T/split"
expected_of "$T/split/expected.json" > "$T/expected"
findings_of "$T/split.json" > "$T/actual"
same_findings "fleet without a majority" "$T/expected" "$T/actual"
expect_eq "no majority flags all four" 4 "$(jq '[.findings[] | select(.check == "tls-cert-mismatch")] | length' "$T/split.json")"

# --per-node / --identical make the expectation explicit
"$CERTFLEET" scan --now "$NOW" --quiet --json "$T/pn.json" --per-node 'etc/tls/server.crt' "$TD/fleet"
expect_eq "--per-node silences the mismatch" 0 "$(jq '[.findings[] | select(.check == "tls-cert-mismatch")] | length' "$T/pn.json")"
expect_eq "--per-node keeps missing" 1 "$(jq '[.findings[] | select(.check == "tls-cert-missing")] | length' "$T/pn.json")"
"$CERTFLEET" scan --now "$NOW" --quiet --json "$T/id.json" --identical 'etc/tls/node.crt' "$TD/fleet"
expect_eq "--identical on per-node certificates flags every decodable copy" 10 \
	"$(jq '[.findings[] | select(.check == "tls-cert-mismatch" and .path == "etc/tls/node.crt")] | length' "$T/id.json")"
# more than 256 nodes sharing every path, with threads: every report is the
# same bytes whatever --jobs, and valid
"$CERTFLEET_GEN" fleet "$T/wide" --now "$NOW" --nodes 300 --certs-per-node 4 --faults mismatch=0.02,missing=0.02,expired=0.02 \
	|| fail "generate wide"
for j in 1 3; do
	"$CERTFLEET" scan --now "$NOW" --quiet --jobs $j --json "$T/w$j.json" --junit "$T/w$j.xml" \
		--markdown "$T/w$j.md" --prom "$T/w$j.prom" "$T/wide"
done
for x in json xml md prom; do
	cmp -s "$T/w1.$x" "$T/w3.$x" || fail "--jobs 1 and --jobs 3 give different $x reports"
	ok
done
xmllint --noout --schema "$SRC/reports/junit.xsd" "$T/w3.xml" 2>/dev/null || fail "wide fleet: JUnit not valid"
ok
expected_of "$T/wide/expected.json" > "$T/expected"
findings_of "$T/w3.json" > "$T/actual"
same_findings "wide fleet with threads" "$T/expected" "$T/actual"
# 5 files a node (ca, server.crt, server.key, node.crt, svc-01), 2 fewer on
# a node missing server.crt and its key; a file with findings is a test
# case per finding, a missing file one too
m=$(jq '[.findings[] | select(.check == "tls-cert-missing")] | length' "$T/wide/expected.json")
nf=$(jq '.findings | length' "$T/wide/expected.json")
withf=$(jq '[.findings[] | select(.check != "tls-cert-missing") | [.node, .path]] | unique | length' "$T/wide/expected.json")
expect_eq "wide: junit test cases" "$(( 300 * 5 - 2 * m - withf + nf ))" "$(xmllint --xpath 'count(//testcase)' "$T/w3.xml")"
# key pairing at any path length: n08's server.key (made not to match
# server.crt, expected.json says) under a folder path over 1 KiB still pairs
# and mismatches; and a matching pair there does not
deep=$T/deep/n1/$(printf 'd%.0s' $(seq 1 200))/$(printf 'e%.0s' $(seq 1 200))/$(printf 'f%.0s' $(seq 1 200))/$(printf 'g%.0s' $(seq 1 200))/$(printf 'h%.0s' $(seq 1 200))/$(printf 'i%.0s' $(seq 1 200))
mkdir -p "$deep"
cp "$TD/fleet/n08/etc/tls/server.crt" "$TD/fleet/n08/etc/tls/server.key" "$deep/"
expect_exit "deep key mismatch" 1 "$CERTFLEET" scan --now "$NOW" --node n1 --json "$T/deep.json" "$T/deep/n1"
expect_eq "deep: tls-key-mismatch found" 1 "$(jq '[.findings[] | select(.check == "tls-key-mismatch")] | length' "$T/deep.json")"
cp "$TD/fleet/n01/etc/tls/server.crt" "$TD/fleet/n01/etc/tls/server.key" "$deep/"
expect_exit "deep key match" 0 "$CERTFLEET" scan --now "$NOW" --node n1 --json "$T/deep2.json" "$T/deep/n1"
expect_eq "deep: no finding" 0 "$(jq '.findings | length' "$T/deep2.json")"
ok
# the README's two commands without --now: certfleet-gen's default is the
# clock, like scan's, so the scan finds exactly the faults expected.json lists
(cd "$T" && "$CERTFLEET_GEN" fleet clock-fleet --nodes 6 --faults expired@n02,soon@n03,mismatch@n04 > /dev/null) || fail "gen without --now"
"$CERTFLEET" scan --quiet --json "$T/clock.json" "$T/clock-fleet"
expected_of "$T/clock-fleet/expected.json" > "$T/expected"
findings_of "$T/clock.json" > "$T/actual"
same_findings "generated and scanned with the clock" "$T/expected" "$T/actual"
done_ok
