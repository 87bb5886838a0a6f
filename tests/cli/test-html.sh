#!/bin/sh
# The HTML report: one self-contained file (no script, no external
# resource), well-formed, hostile names as text; the expiry timeline holds
# in each weekly bucket the certificates openssl says expire in that week;
# the node × path matrix has a row per node and the status of each file;
# headless Chromium renders it (a screenshot is taken).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/browser.sh"
need jq xmllint openssl chromium

"$CERTFLEET_GEN" fleet "$T/f" --nodes 8 --certs-per-node 5 --now "$NOW" --faults \
expired@n01,expired@n02,soon@n03,soon@n04,invalid@n05,mismatch@n06,missing@n07 > /dev/null || fail "generate"
expect_exit "scan" 1 "$CERTFLEET" scan --now "$NOW" --quiet --html "$T/r.html" --json "$T/r.json" "$T/f"
xmllint --noout "$T/r.html" 2> "$T/xl" || { head "$T/xl" >&2; fail "not well-formed"; }
ok
expect_eq "doctype" "<!DOCTYPE html>" "$(head -n 1 "$T/r.html")"
for bad in '<script' '<link' ' src=' 'href=' 'url(' '@import'; do
	grep -qi -- "$bad" "$T/r.html" && fail "not self-contained: $bad"
	ok
done
expect_eq "only the SVG namespace names a URL" "http://www.w3.org/2000/svg" "$(grep -o 'https\?://[^"]*' "$T/r.html" | sort -u | tr '\n' ' ' | sed 's/ $//')"
x() { xmllint --xpath "$1" "$T/r.html"; }
expect_eq "verdict" "FAIL" "$(x 'string(//*[@id="verdict"])')"

# the timeline: what openssl reads from every certificate file of the fleet
now_s=$(date -u -d "$NOW" +%s)
for c in "$T"/f/*/etc/tls/*.crt; do
	na=$(openssl x509 -in "$c" -noout -enddate 2> /dev/null | sed 's/^notAfter=//') || continue
	[ -n "$na" ] || continue
	left=$(($(date -u -d "$na" +%s) - now_s))
	if [ "$left" -lt 0 ]; then
		echo "-1 expired"
	elif [ "$left" -lt $((52 * 604800)) ]; then
		if [ "$left" -lt $((30 * 86400)) ]; then echo "$((left / 604800)) soon"; else echo "$((left / 604800)) later"; fi
	fi
done | sort | uniq -c | awk '{print $2, $3, $1}' | sort -n > "$T/expected"
[ "$(wc -l < "$T/expected")" -ge 3 ] || fail "the fleet gives too few buckets"
ok
x '//*[local-name()="rect" and @class="bar"]' | tr '<' '\n' | sed -n 's/^rect .*data-week="\(-\?[0-9]*\)" data-class="\([a-z]*\)" data-count="\([0-9]*\)".*/\1 \2 \3/p' |
	sort -n > "$T/actual"
if ! diff "$T/expected" "$T/actual" > "$T/diff"; then cat "$T/diff" >&2; fail "timeline buckets differ from openssl's (< openssl, > report)"; fi
ok
expect_eq "certificates in the timeline" "$(jq '[.certificates[] | select(.expires_in_seconds < 52 * 604800)] | length' "$T/r.json")" \
	"$(awk '{n += $3} END {print n}' "$T/actual")"

# the matrix: a row per node; the invalid, missing and soon files marked
expect_eq "matrix rows" "$(jq .summary.nodes "$T/r.json")" "$(x 'count(//table[@id="matrix"]/tr) - 1')"
col() { x "count(//table[@id=\"matrix\"]/tr[1]/th[.=\"$1\"]/preceding-sibling::th) + 1"; }
cell() { x "string(//table[@id=\"matrix\"]/tr[th=\"$1\"]/td[$(($(col "$2") - 1))]/@class)"; }
expect_eq "n05 node.crt" error "$(cell n05 etc/tls/node.crt)"
expect_eq "n07 server.crt" missing "$(cell n07 etc/tls/server.crt)"
expect_eq "n03 node.crt" warning "$(cell n03 etc/tls/node.crt)"
expect_eq "n08 node.crt" ok "$(cell n08 etc/tls/node.crt)"
expect_eq "a findings row per finding" "$(jq '.findings | length' "$T/r.json")" "$(x 'count(//table[@id="findings"]/tr) - 1')"

# hostile names stay text
mkdir -p "$T/h/a<script>alert(1)<\\script>"
cp "$TD/fixtures/sem-expired.pem" "$T/h/a<script>alert(1)<\\script>/x\"<b>.crt"
"$CERTFLEET" scan --now "$NOW" --quiet --html "$T/h.html" --comment 'a -- <!-- "c"' "$T/h"
xmllint --noout "$T/h.html" || fail "hostile: not well-formed"
ok
grep -q '<script' "$T/h.html" && fail "hostile: a script tag"
ok
grep -qF 'a&lt;script&gt;alert(1)&lt;\\script&gt;' "$T/h.html" || fail "hostile: the node name lost (its backslash shown doubled)"
ok

# Chromium renders it: the DOM it builds has the bars, and a screenshot
chromium_run --window-size=1280,1600 --dump-dom "file://$T/r.html" > "$T/dom.html" || fail "chromium"
expect_eq "bars rendered" "$(wc -l < "$T/actual")" "$(grep -o '<rect [^>]*class="bar"' "$T/dom.html" | wc -l)"
screenshot "$T/r.html" "$T/html.png"
[ -n "${CERTFLEET_SCREENSHOTS:-}" ] && cp "$T/html.png" "$CERTFLEET_SCREENSHOTS/"
done_ok
