#!/bin/sh
# The JSON report: valid against reports/certfleet-report.schema.json
# (python3-jsonschema) for every kind of scan; schema_version; sans and
# eku as arrays equal to what the certificate was made with (openssl);
# expires_in_seconds = notAfter - now; consistency[] lists each mismatched
# or missing path once with its variants, as the fleet was made; a
# fingerprint per finding, unique and stable across scans at other times.
. "$(dirname "$0")/lib.sh"
need jq python3 openssl
schema=$SRC/reports/certfleet-report.schema.json
valid() { "$TOOL_python3" "$SRC/tests/cli/validate-json.py" "$schema" "$@" || fail "not valid: $*"; ok; }

"$CERTFLEET" scan --now "$NOW" --quiet --json "$T/fleet.json" "$TD/fleet"
"$CERTFLEET" scan --now "$NOW" --quiet --node fx --json "$T/fx.json" "$TD/fixtures"
"$CERTFLEET" scan --now "$NOW" --quiet --comment "a -- comment" --json "$T/c.json" "$TD/fleet-archives"
"$CERTFLEET" scan --now "$NOW" --quiet --json "$T/real.json" --node real "$TD/real"
mkdir -p "$T/empty"
"$CERTFLEET" scan --now "$NOW" --quiet --json "$T/empty.json" --node e "$T/empty"
valid "$T/fleet.json" "$T/fx.json" "$T/c.json" "$T/real.json" "$T/empty.json"
expect_eq "schema_version" 2 "$(jq .schema_version "$T/fleet.json")"
# the schema is strict: an unknown member, a string for an array are refused
jq '.certificates[0].sans = "DNS:a"' "$T/fleet.json" > "$T/bad1.json"
jq '.extra = 1' "$T/fleet.json" > "$T/bad2.json"
for b in bad1 bad2; do
	"$TOOL_python3" "$SRC/tests/cli/validate-json.py" "$schema" "$T/$b.json" 2> /dev/null && fail "schema accepts $b"
	ok
done

# sans and eku: a certificate made with openssl with these names
mkdir -p "$T/n/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/k.pem" -out "$T/n/tls/multi.crt" \
	-subj "/CN=multi" -days 30 -addext "subjectAltName=DNS:a.example,DNS:*.b.example,IP:192.0.2.7,IP:2001:db8::1,URI:https://c.example/x,email:ops@d.example" \
	-addext "extendedKeyUsage=serverAuth,clientAuth,codeSigning" 2> /dev/null || fail "openssl req"
"$CERTFLEET" scan --quiet --node n --json "$T/multi.json" "$T/n"
valid "$T/multi.json"
expect_eq "sans array" '["DNS:a.example","DNS:*.b.example","IP:192.0.2.7","IP:2001:db8::1","URI:https://c.example/x","email:ops@d.example"]' \
	"$(jq -c '.certificates[0].sans' "$T/multi.json")"
expect_eq "eku array" '["serverAuth","clientAuth","1.3.6.1.5.5.7.3.3"]' "$(jq -c '.certificates[0].eku' "$T/multi.json")"
# every certificate of the fleet: sans as openssl prints them
for f in "$TD"/fleet/n01/etc/tls/*.crt; do
	want=$(openssl x509 -in "$f" -noout -ext subjectAltName 2> /dev/null | sed -n '2,$p' | tr -d ' ' | tr ',' '\n' |
		sed 's/^IPAddress:/IP:/' | jq -R . | jq -sc .)
	[ -n "$want" ] || want='[]'
	expect_eq "sans of $f" "$want" "$(jq -c --arg p "etc/tls/$(basename "$f")" '.certificates[] | select(.node == "n01" and .path == $p and .index == 0) | .sans' "$T/fleet.json")"
done

# expires_in_seconds = notAfter - now, for every certificate
now_s=$(jq -n --arg t "$NOW" '$t | fromdateiso8601')
expect_eq "expires_in_seconds" 0 \
	"$(jq --argjson now "$now_s" '[.certificates[] | select(.expires_in_seconds != ((.not_after | fromdateiso8601) - $now))] | length' "$T/fleet.json")"

# consistency: the paths the fleet was made to break, once each; the
# variants of a mismatch with every node, the missing nodes
expect_eq "consistency paths" "$(jq -c '[.findings[] | select(.check == "tls-cert-mismatch" or .check == "tls-cert-missing") | .path] | unique' "$TD/fleet/expected.json")" \
	"$(jq -c '[.consistency[].path]' "$T/fleet.json")"
expect_eq "mismatched nodes are a minority variant" \
	"$(jq -c '[.findings[] | select(.check == "tls-cert-mismatch") | .node] | sort' "$TD/fleet/expected.json")" \
	"$(jq -c '[.consistency[] | select(.mismatch) | .variants[1:][] | .nodes[]] | sort' "$T/fleet.json")"
expect_eq "missing_on" "$(jq -c '[.findings[] | select(.check == "tls-cert-missing") | .node] | sort' "$TD/fleet/expected.json")" \
	"$(jq -c '[.consistency[].missing_on[]] | sort' "$T/fleet.json")"
expect_eq "variants cover every copy" "$(jq '.summary.nodes - ([.consistency[] | select(.mismatch)][0].missing_on | length)' "$T/fleet.json")" \
	"$(jq '[.consistency[] | select(.mismatch)][0].variants | map(.count) | add' "$T/fleet.json")"

# fingerprints: one per finding, unique, the same at another time
expect_eq "fingerprints unique" "$(jq '.findings | length' "$T/fx.json")" "$(jq '[.findings[].fingerprint] | unique | length' "$T/fx.json")"
"$CERTFLEET" scan --now 2026-06-02T00:00:00Z --quiet --json "$T/fleet2.json" "$TD/fleet"
expect_eq "fingerprints stable" "$(jq -c '[.findings[] | select(.check != "tls-cert-will-soon-expire") | .fingerprint] | sort' "$T/fleet.json")" \
	"$(jq -c '[.findings[] | select(.check != "tls-cert-will-soon-expire") | .fingerprint] | sort' "$T/fleet2.json")"
done_ok
