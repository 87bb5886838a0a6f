#!/bin/sh
# Reports: JUnit valid against reports/junit.xsd, Markdown tables intact
# (cmark-gfm) even with hostile subjects, node names and paths, Prometheus
# text accepted by promtool, JSON with the fields the README lists; reports are
# written atomically, several at once, and to standard output.
. "$(dirname "$0")/lib.sh"
need cmark-gfm jq promtool xmllint
xsd=$SRC/reports/junit.xsd
md_tables=$SRC/tests/cli/md-tables.sh

# a fleet with hostile names: node, folder and file names with |, <, ]]>,
# backticks, newline, tab and invalid UTF-8; the hostile-subject fixture
h=$T/hostile
for node in 'a|b<script>x<\\script>' 'n]]>&"q"' "$(printf 'bad\377utf8')" "$(printf 'new\nline')"; do
	mkdir -p "$h/$node/etc"
	cp "$TD/fixtures/hostile-subject.pem" "$h/$node/etc/$(printf 'x|y`z`\t<s>]]>.pem')"
	cp "$TD/fixtures/sem-expired.pem" "$h/$node/etc/$(printf 'exp\nired\377.pem')"
	cp "$TD/fixtures/pem-missing-end.pem" "$h/$node/etc/broken|<b>.crt"
done
# --soon 400d: the hostile-subject certificate becomes a finding, so its
# subject lands in the Markdown findings table and the JUnit messages
expect_exit "scan hostile names" 1 "$CERTFLEET" scan --now "$NOW" --soon 400d --json "$T/h.json" --junit "$T/h.xml" \
	--markdown "$T/h.md" --prom "$T/h.prom" "$h"
expect_eq "hostile: 4 nodes" 4 "$(jq .summary.nodes "$T/h.json")"
expect_eq "hostile: findings" 12 "$(jq '.findings | length' "$T/h.json")"
expect_eq "hostile: control characters escaped in paths" 4 \
	"$(jq '[.findings[] | select(.path == "etc/exp\\x0aired\\xff.pem")] | length' "$T/h.json")"
# GnuTLS writes DNs in RFC 4514 form: "<" comes as "\<"
expect_eq "hostile: the subject kept as text" 4 \
	"$(jq '[.findings[] | select(.check == "tls-cert-will-soon-expire") | .subject | select(contains("script\\>alert(1)"))] | length' "$T/h.json")"

for x in h fleet fixtures; do
	case $x in
	fleet) "$CERTFLEET" scan --now "$NOW" --quiet --junit "$T/$x.xml" --markdown "$T/$x.md" --prom "$T/$x.prom" --json "$T/$x.json" "$TD/fleet" ;;
	fixtures) "$CERTFLEET" scan --node fixtures --now "$NOW" --quiet --junit "$T/$x.xml" --markdown "$T/$x.md" --prom "$T/$x.prom" --json "$T/$x.json" "$TD/fixtures" ;;
	esac
	xmllint --noout --schema "$xsd" "$T/$x.xml" 2> "$T/xmllint" || { cat "$T/xmllint" >&2; fail "$x: JUnit not valid"; }
	ok
	sh "$md_tables" "$T/$x.md" > "$T/tables" || fail "$x: Markdown tables broken"
	ok
	promtool check metrics < "$T/$x.prom" > "$T/promtool" 2>&1 || { cat "$T/promtool" >&2; fail "$x: promtool"; }
	ok
	jq -e . "$T/$x.json" > /dev/null || fail "$x: JSON does not parse"
	ok
done
# the script tag is text in the rendered HTML, never markup
cmark-gfm -e table "$T/h.md" > "$T/h.html"
grep -q '<script>' "$T/h.html" && fail "hostile: <script> rendered as HTML"
grep -q 'script\\&gt;alert(1)' "$T/h.html" || fail "hostile: subject text lost"
ok

# JUnit shape (more in cli-junit): a suite per node, a failure per error
expect_eq "junit suites" "n01 n02 n03 n04 n05 n06 n07 n08 n09 n10 n11 n12" \
	"$(xmllint --xpath '//testsuite/@name' "$T/fleet.xml" | tr -s ' \n' '\n\n' | sed -n 's/^name="\(.*\)"$/\1/p' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "junit failure types" "tls-cert-expired tls-cert-invalid tls-cert-invalid tls-cert-mismatch tls-cert-missing tls-cert-not-yet-valid tls-cert-validity-too-long tls-key-mismatch" \
	"$(xmllint --xpath '//failure/@type' "$T/fleet.xml" | tr -s ' \n' '\n\n' | sed -n 's/^type="\(.*\)"$/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq "junit warnings are not failures" 0 "$(xmllint --xpath 'count(//failure[@type="tls-cert-will-soon-expire"])' "$T/fleet.xml")"

# JSON: the fields the README lists
expect_eq "json top" '["certificates","consistency","fail_on","findings","max_validity_days","now","schema_version","skipped","soon_seconds","summary","tool","version"]' \
	"$(jq -c 'keys' "$T/fleet.json")"
expect_eq "json certificate fields" '["eku","expires_in_seconds","index","is_ca","issuer","key","node","not_after","not_before","path","sans","serial","sha256","signature","subject"]' \
	"$(jq -c '.certificates[0] | keys' "$T/fleet.json")"
expect_eq "json finding fields" '["check","fingerprint","index","line","message","node","path","severity"]' \
	"$(jq -c '[.findings[] | select(.check == "tls-cert-missing")][0] | keys' "$T/fleet.json")"
expect_eq "json distinct certificates" "$(jq '[.certificates[].sha256] | unique | length' "$T/fleet.json")" \
	"$(jq .summary.distinct_certificates "$T/fleet.json")"
expect_eq "json key types" '["EC P-256","Ed25519"]' "$(jq -c '[.certificates[].key] | unique' "$T/fleet.json")"
expect_eq "json times are RFC 3339 UTC" true \
	"$(jq '[.certificates[] | .not_before, .not_after | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")] | all' "$T/fleet.json")"
expect_eq "json sha256 lowercase hex" true "$(jq '[.certificates[].sha256 | test("^[0-9a-f]{64}$")] | all' "$T/fleet.json")"
expect_eq "json paths are logical" false "$(jq '[.certificates[].path | startswith("./") or startswith("/")] | any' "$T/fleet.json")"
expect_eq "json findings sorted: errors first" "error" "$(jq -r '.findings[0].severity' "$T/fleet.json")"
# layout: the members before the arrays are laid out as jq --indent 2 lays
# them out (nested objects indented under their key), each array element on
# one line
expect_eq "json head layout" "$(jq --indent 2 'del(.certificates, .findings, .consistency, .skipped)' "$T/fleet.json")" \
	"$(sed -n '1,/^  "certificates": \[/p' "$T/fleet.json" | sed '$d' | sed '$s/,$//'; echo '}')"
expect_eq "json one certificate per line" "$(jq '.certificates | length' "$T/fleet.json")" \
	"$(sed -n '/^  "certificates": \[/,/^  \]/p' "$T/fleet.json" | grep -c '^    {"node":.*}, *$\|^    {"node":.*}$')"

# Prometheus: one expiry series per certificate, labelled like Redis Software's
expect_eq "prom series" "$(jq .summary.certificates "$T/fleet.json")" \
	"$(grep -c '^certfleet_cert_expires_in_seconds{' "$T/fleet.prom")"
expect_eq "prom expired node.crt on n01" "-432000" \
	"$(grep '^certfleet_cert_expires_in_seconds{node="n01",logical_name="node",path="etc/tls/node.crt"' "$T/fleet.prom" | cut -d' ' -f2)"
expect_eq "prom finding count" 1 "$(grep '^certfleet_findings{check="tls-cert-expired"' "$T/fleet.prom" | cut -d' ' -f2)"

# Markdown (more in cli-markdown): the checks that found something, the
# expired certificate first
grep -q '^| `tls-cert-expired` | .* error | 1 |$' "$T/fleet.md" || fail "md summary row"
ok
expect_eq "md first finding group is the expired one" '### ❌ `tls-cert-expired`: 1 finding' \
	"$(grep -m1 '^### ' "$T/fleet.md")"

# several reports at once, one to stdout; the summary then goes to stderr
"$CERTFLEET" scan --now "$NOW" --json - --prom "$T/p2.prom" "$TD/fleet" > "$T/stdout.json" 2> "$T/stderr"
jq -e .summary "$T/stdout.json" > /dev/null || fail "--json - did not write JSON to stdout"
ok
grep -q '^certfleet: 12 nodes' "$T/stderr" || fail "summary not on stderr when a report goes to stdout"
ok
cmp -s "$T/fleet.prom" "$T/p2.prom" || fail "same scan, different Prometheus text"
ok
# --comment: the first line of every report, in its format's way of saying
# nothing, and the text as given: "cmake --build" stays a command one can
# copy (an XML or HTML comment cannot hold "--", so JUnit carries it in a
# processing instruction and Markdown in a link reference definition)
"$CERTFLEET" scan --now "$NOW" --quiet --comment "made by a -- test --> (x) ?>" --junit "$T/c.xml" \
	--markdown "$T/c.md" --json "$T/c.json" --prom "$T/c.prom" "$TD/fleet"
expect_eq "comment: junit" "made by a -- test --> (x) ? >" \
	"$(xmllint --xpath 'string(/processing-instruction("certfleet"))' "$T/c.xml")"
expect_eq "comment: markdown" '[//]: # (made by a -- test --> \(x\) ?>)' "$(head -n 1 "$T/c.md")"
cmark-gfm "$T/c.md" | grep -q 'made by' && fail "comment: the Markdown comment is rendered"
cmark-gfm "$T/c.md" | grep -q '<h1>.*certfleet: FAIL</h1>' || fail "comment: the Markdown heading is lost"
expect_eq "comment: prometheus" "# made by a -- test --> (x) ?>" "$(head -n 1 "$T/c.prom")"
expect_eq "comment: json" "made by a -- test --> (x) ?>" "$(jq -r .generated "$T/c.json")"
xmllint --noout --schema "$xsd" "$T/c.xml" 2>/dev/null || fail "comment: JUnit not valid"
ok
promtool check metrics < "$T/c.prom" > /dev/null 2>&1 || fail "comment: promtool"
ok
# a new report's mode follows the umask, as any file the user makes; an
# existing report keeps its mode (a report kept private stays private)
(umask 077 && "$CERTFLEET" scan --now "$NOW" --quiet --json "$T/private.json" "$TD/fleet") || true
expect_eq "umask 077: new report 600" 600 "$(stat -c %a "$T/private.json")"
(umask 022 && "$CERTFLEET" scan --now "$NOW" --quiet --json "$T/private.json" "$TD/fleet") || true
expect_eq "umask 022: existing 600 report stays 600" 600 "$(stat -c %a "$T/private.json")"
(umask 027 && "$CERTFLEET" scan --now "$NOW" --quiet --json "$T/group.json" "$TD/fleet") || true
expect_eq "umask 027: new report 640" 640 "$(stat -c %a "$T/group.json")"
ok
# every message starts with its rule's headline (SARIF's rule name): the
# one place that adds it is the model's, whatever the pass
for x in fleet fixtures; do
	if [ $x = fleet ]; then set -- "$TD/fleet"; else set -- --node fixtures "$TD/fixtures"; fi
	"$CERTFLEET" scan --now "$NOW" --quiet --json "$T/hl.json" --sarif "$T/hl.sarif" "$@" > /dev/null
	expect_eq "$x: every message starts with its headline" "[]" \
		"$(jq -c --slurpfile s "$T/hl.sarif" '($s[0].runs[0].tool.driver.rules | map({(.id): .name}) | add) as $h |
			[.findings[] | select(. as $f | $f.message | startswith($h[$f.check] + ": ") | not) | .check] | unique' "$T/hl.json")"
	expect_eq "$x: findings to look at" true "$(jq '.findings | length > 5' "$T/hl.json")"
	rm -f "$T/hl.json" "$T/hl.sarif"
done
# atomic writes leave no temporary file behind
expect_eq "no temporary files" "" "$(ls -A "$T" | grep '^\.' || true)"
done_ok
