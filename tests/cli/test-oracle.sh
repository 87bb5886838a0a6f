#!/bin/sh
# An independent oracle: for every valid fixture and real root, openssl
# agrees with `certfleet show` on notBefore, notAfter and the SHA-256
# fingerprint of the first certificate; show reports a located error for a
# broken file.
. "$(dirname "$0")/lib.sh"
m=$TD/fixtures/manifest.json
iso() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
# valid in the catalogue's sense: no finding, and not a class certfleet has no
# rule for (those are non-compliant or badly signed; OpenSSL re-encodes some
# of them before hashing)
files=$(jq -r '.files[] | select(.findings == [] and .class != "skip" and .class != "no-rule" and (.file | test("\\.key$") | not)) | .file' "$m" | sed "s|^|$TD/fixtures/|")
n=0
for f in $files "$TD"/real/*.crt; do
	if ! openssl x509 -inform PEM -in "$f" -noout > /dev/null 2>&1; then inform=DER; else inform=PEM; fi
	o=$(openssl x509 -inform "$inform" -in "$f" -noout -startdate -enddate -fingerprint -sha256) ||
		fail "openssl cannot read $f"
	nb=$(iso "$(echo "$o" | sed -n 's/^notBefore=//p')")
	na=$(iso "$(echo "$o" | sed -n 's/^notAfter=//p')")
	fp=$(echo "$o" | sed -n 's/^sha256 Fingerprint=//Ip' | tr -d : | tr 'A-F' 'a-f')
	"$CERTFLEET" show "$f" > "$T/show" || fail "show $f"
	expect_eq "$f notBefore" "$nb" "$(awk '$1 == "not-before" { print $2; exit }' "$T/show")"
	expect_eq "$f notAfter" "$na" "$(awk '$1 == "not-after" { print $2; exit }' "$T/show")"
	expect_eq "$f sha256" "$fp" "$(awk '$1 == "sha256" { print $2; exit }' "$T/show")"
	n=$((n + 1))
done
[ "$n" -ge 25 ] || fail "oracle compared only $n files"
expect_exit "show a broken file" 2 "$CERTFLEET" show "$TD/fixtures/pem-end-label-mismatch.pem"
grep -q "pem-end-label-mismatch.pem \[0\]: line 10: END label does not match" "$T/err" || { cat "$T/err"; fail "show: no located error"; }
ok
expect_exit "show a bundle" 0 "$CERTFLEET" show "$TD/fixtures/chain-leaf-intermediate-root.pem"
expect_eq "show: three members" 3 "$(grep -c '^PROPERTY' "$T/out")"
grep -q '^public-key-algorithm  *RSA 2048$' "$T/out" || fail "show: RSA key size"
ok
grep -q '^subject-alt-names  *DNS:chain-leaf.example$' "$T/out" || fail "show: SAN"
ok
# keys and certificates made by openssl pair by SPKI, whatever the key
# format: RSA (PKCS#8 and PKCS#1), P-384 (PKCS#8), P-256 (SEC 1), Ed25519
p=$T/pairs/n1
mkdir -p "$p"
(
	cd "$p" || exit 1
	openssl req -x509 -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.crt -days 30 -subj /CN=r &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout ec.key -out ec.crt -days 30 -subj /CN=e &&
	openssl genrsa -traditional -out trad.key 2048 && openssl req -x509 -key trad.key -out trad.crt -days 30 -subj /CN=t &&
	openssl ecparam -name prime256v1 -genkey -noout -out p256.key && openssl req -x509 -key p256.key -out p256.crt -days 30 -subj /CN=p &&
	openssl genpkey -algorithm ed25519 -out ed.key && openssl req -x509 -key ed.key -out ed.crt -days 30 -subj /CN=ed &&
	cp rsa.key wrong.key && cp ec.crt wrong.crt
) > /dev/null 2>&1 || fail "openssl could not make the key pairs"
expect_exit "openssl pairs" 1 "$CERTFLEET" scan --soon 1d --json - "$p"
expect_eq "only the wrong key mismatches" "tls-key-mismatch:wrong.key" \
	"$(jq -r '[.findings[] | "\(.check):\(.path)"] | join(" ")' "$T/out")"
expect_eq "openssl key types" '["EC P-256","EC P-384","EC P-384","Ed25519","RSA 2048","RSA 2048"]' \
	"$(jq -c '[.certificates[].key] | sort' "$T/out")"
# SANs of every kind openssl writes, in its order: IPv4 and IPv6 in their
# text forms, a long DNS name (over the 512-byte buffer), email, URI
long=$(printf 'a%.0s' $(seq 1 60)); long="$long.$long.$long.$long.$long.$long.$long.$long.$long.example"
openssl req -x509 -newkey ed25519 -nodes -keyout "$T/san.key" -out "$T/san.crt" -days 30 -subj /CN=san \
	-addext "subjectAltName=DNS:a.example,IP:192.0.2.7,IP:2001:db8::1,email:x@example.org,URI:https://example.org/x,DNS:$long" \
	> /dev/null 2>&1 || fail "openssl could not make the SAN certificate"
expect_exit "show SANs" 0 "$CERTFLEET" show "$T/san.crt"
expect_eq "SANs" "DNS:a.example, IP:192.0.2.7, IP:2001:db8::1, email:x@example.org, URI:https://example.org/x, DNS:$long" \
	"$(sed -n 's/^subject-alt-names  *//p' "$T/out")"
echo "oracle: $n certificates compared"
done_ok
