#!/bin/sh
# Prometheus: promtool accepts the metrics; a finding series per finding
# with node, path, check and severity; a status series per file (an
# invalid or missing one visible); --prom-label on every series; the
# example rules file passes `promtool check rules` and `promtool test
# rules` with the series of a real scan (an expired certificate fires the
# alert naming its node; soon, invalid and mismatch too); two scans with
# different --prom-label in one textfile folder are served by
# prometheus-node-exporter without a collision (without them, it reports one).
. "$(dirname "$0")/lib.sh"
need jq promtool python3 prometheus-node-exporter
rules=$SRC/examples/prometheus/certfleet.rules.yml

"$CERTFLEET_GEN" fleet "$T/f" --nodes 6 --now "$NOW" --faults expired@n02,soon@n03,invalid@n04,mismatch@n05,missing@n06 > /dev/null || fail "generate"
"$CERTFLEET" scan --now "$NOW" --quiet --prom "$T/r.prom" --json "$T/r.json" "$T/f"
promtool check metrics < "$T/r.prom" > "$T/pc" 2>&1 || { cat "$T/pc" >&2; fail "promtool check metrics"; }
ok
# a finding series per expected finding, with its labels
grep '^certfleet_finding{' "$T/r.prom" | sed 's/^certfleet_finding{node="\([^"]*\)",path="\([^"]*\)",index="\([0-9]*\)",check="\([^"]*\)",severity="[a-z]*"} 1$/{"check":"\4","node":"\1","path":"\2","index":\3}/' |
	jq -sc 'sort | .[]' > "$T/actual"
expected_of "$T/f/expected.json" > "$T/expected"
same_findings "finding series" "$T/expected" "$T/actual"
expect_eq "per-file status: the invalid file" 'certfleet_file_status{node="n04",path="etc/tls/node.crt",status="error"} 1' \
	"$(grep '^certfleet_file_status{node="n04",path="etc/tls/node.crt"' "$T/r.prom")"
expect_eq "per-file status: the missing file" 'certfleet_file_status{node="n06",path="etc/tls/server.crt",status="error"} 1' \
	"$(grep '^certfleet_file_status{node="n06",path="etc/tls/server.crt"' "$T/r.prom")"
expect_eq "per-file status: the soon one" warning \
	"$(grep '^certfleet_file_status{node="n03",path="etc/tls/node.crt"' "$T/r.prom" | sed 's/.*status="\([a-z]*\)".*/\1/')"
expect_eq "a status per file" "$(jq .summary.files "$T/r.json")" \
	"$(grep '^certfleet_file_status{' "$T/r.prom" | grep -vc 'node="n06",path="etc/tls/server.crt"')"

# --prom-label: first on every series; bad ones refused
"$CERTFLEET" scan --now "$NOW" --quiet --prom "$T/l.prom" --prom-label env=prod --prom-label 'dc=eu "1"' "$T/f"
promtool check metrics < "$T/l.prom" > /dev/null 2>&1 || fail "labelled metrics"
ok
expect_eq "every series labelled" "$(grep -vc '^#' "$T/l.prom")" "$(grep -c '^[a-z_]*{env="prod",dc="eu \\"1\\""' "$T/l.prom")"
for bad in node=x env 9x=1 __x=1 'a-b=1'; do
	expect_exit "--prom-label $bad" 2 "$CERTFLEET" scan --now "$NOW" --prom-label "$bad" "$T/f"
done
expect_exit "--prom-label twice" 2 "$CERTFLEET" scan --now "$NOW" --prom-label env=a --prom-label env=b "$T/f"

# the rules file
promtool check rules "$rules" > "$T/cr" 2>&1 || { cat "$T/cr" >&2; fail "promtool check rules"; }
ok
# promtool test rules on the scan's own series: time starts at 0 in a rule
# test, so the absolute timestamps move by the scan's reference time (at
# eval time 1m, time() - notAfter is what it was at the scan, plus 60 s)
ref=$(sed -n 's/^certfleet_scan_reference_timestamp_seconds \([0-9]*\)$/\1/p' "$T/r.prom")
{
	printf 'rule_files:\n  - %s\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n' "$rules"
	grep -v '^#' "$T/r.prom" | while read -r s v; do
		case $s in
		certfleet_cert_not_after_timestamp_seconds* | certfleet_scan_reference_timestamp_seconds*) v=$((v - ref)) ;;
		esac
		printf "      - series: '%s'\n        values: '%s+0x10'\n" "$s" "$v"
	done
	printf '    alert_rule_test:\n'
	# labels of the alert: the series' labels and the rule's severity
	alert() { # NAME SEVERITY SUMMARY SERIES-LINE-PATTERN
		printf '      - eval_time: 1m\n        alertname: %s\n        exp_alerts:\n' "$1"
		grep "$4" "$T/r.prom" | while read -r s v; do
			# the rule's severity label replaces the series' own
			l=$(echo "$s" | sed 's/^[a-z_]*{\(.*\)}$/\1/; s/,severity="[a-z]*"//; s/="/: "/g')
			node=$(echo "$s" | sed 's/.*node="\([^"]*\)".*/\1/')
			path=$(echo "$s" | sed 's/.*path="\([^"]*\)".*/\1/')
			check=$(echo "$s" | sed -n 's/.*check="\([^"]*\)".*/\1/p')
			sum=$(echo "$3" | sed "s|PATH|$path|; s|NODE|$node|; s|CHECK|$check|")
			printf '          - exp_labels: {%s, severity: %s}\n            exp_annotations: {summary: "%s"}\n' "$l" "$2" "$sum"
		done
	}
	alert CertfleetCertificateExpired critical "certificate PATH on node NODE has expired" \
		'^certfleet_cert_not_after_timestamp_seconds{node="n02",logical_name="node"'
	alert CertfleetCertificateExpiresSoon warning "certificate PATH on node NODE expires within 30 days" \
		'^certfleet_cert_not_after_timestamp_seconds{node="n03",logical_name="node"'
	alert CertfleetFileInvalid critical "PATH on node NODE cannot be read as a certificate or key (CHECK)" \
		'^certfleet_finding{node="n04",path="etc/tls/node.crt",index="0",check="tls-cert-invalid"'
	alert CertfleetCertificateMismatch critical "PATH on node NODE differs from the fleet (CHECK)" \
		'^certfleet_finding{.*check="tls-cert-mis'
} > "$T/test.yml"
grep -q 'node: "n02"' "$T/test.yml" || fail "no expired series for n02 in the scan"
ok
promtool test rules "$T/test.yml" > "$T/tr" 2>&1 || { head -c 3000 "$T/tr" >&2; fail "promtool test rules"; }
ok
# and the test can fail: expecting the expiry alert on another node does not pass
sed 's/exp_labels: {node: "n02"/exp_labels: {node: "n01"/' "$T/test.yml" > "$T/test-wrong.yml"
promtool test rules "$T/test-wrong.yml" > /dev/null 2>&1 && fail "promtool test rules passes a wrong node"
ok

# node_exporter's textfile collector: two scans, two labels, no collision
mkdir -p "$T/tf" "$T/tf2"
"$CERTFLEET" scan --now "$NOW" --quiet --prom-label env=prod --prom "$T/tf/prod.prom" "$T/f"
"$CERTFLEET" scan --now "$NOW" --quiet --prom-label env=staging --prom "$T/tf/staging.prom" "$T/f"
cp "$T/r.prom" "$T/tf2/a.prom"
cp "$T/r.prom" "$T/tf2/b.prom"
# serve DIR on a free loopback port, fetch /metrics once into OUT, stop
scrape() {
	port=$((20000 + $$ % 20000))
	for try in 1 2 3 4 5; do
		port=$((port + try))
		"$TOOL_prometheus_node_exporter" --collector.disable-defaults --collector.textfile \
			--collector.textfile.directory="$1" --web.listen-address="127.0.0.1:$port" > "$2.log" 2>&1 &
		pid=$!
		"$TOOL_python3" - "$port" "$2" << 'PY' && break
import sys, time, urllib.request
for _ in range(50):
    try:
        body = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=5).read()
        open(sys.argv[2], "wb").write(body)
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit(1)
PY
		kill "$pid" 2> /dev/null
		wait "$pid" 2> /dev/null
	done
	kill "$pid" 2> /dev/null
	wait "$pid" 2> /dev/null
	[ -s "$2" ] || fail "node_exporter served nothing"
}
scrape "$T/tf" "$T/m1"
expect_eq "no textfile error" "node_textfile_scrape_error 0" "$(grep '^node_textfile_scrape_error' "$T/m1")"
grep -q "collected before" "$T/m1.log" && fail "node_exporter: a collision with --prom-label"
ok
expect_eq "both scans served" "2" "$(grep -c '^certfleet_nodes{env=' "$T/m1")"
expect_eq "every series of both" "$(($(grep -vc '^#' "$T/tf/prod.prom") * 2))" \
	"$(grep -c '^certfleet_[a-z_]*{.*env="\(prod\|staging\)"' "$T/m1")"
scrape "$T/tf2" "$T/m2"
grep -q "collected before" "$T/m2.log" || fail "node_exporter did not report the collision of unlabelled scans"
ok
done_ok
