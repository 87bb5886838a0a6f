#!/bin/sh
# An independent oracle: for every valid fixture and real root, openssl
# agrees with `certfleet show` on notBefore, notAfter and the SHA-256
# fingerprint of the first certificate; show reports a located error for a
# broken file.
. "$(dirname "$0")/lib.sh"
need jq openssl
m=$TD/fixtures/manifest.json
iso() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
# valid in the catalogue's sense: no finding but the chain verdict (a
# self-signed leaf is no anchor), and not the chain class (badly signed
# ones among them; OpenSSL re-encodes some of them before hashing), and no
# certificate file (the inputs class: CRLs, requests, keystores;
# test-world.sh asks their own readers)
files=$(jq -r '.files[] | select([.findings[] | select(.check | startswith("tls-chain-") | not)] == [] and .class != "skip" and .class != "chain" and .class != "inputs" and (.file | test("\\.key$") | not)) | .file' "$m" | sed "s|^|$TD/fixtures/|")
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
grep -q "pem-end-label-mismatch.pem \[0\]: does not decode: line 10: END label does not match" "$T/err" || { cat "$T/err"; fail "show: no located error"; }
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
# show's key table: each key's public-key-sha256 is openssl's SHA-256 of
# its SubjectPublicKeyInfo, equal to its certificate's row (not the wrong
# one's); sha256 is the hash of the PEM body's DER; the algorithm is the one
# the key was made with
spki() { openssl pkey -in "$1" -pubout -outform DER 2> /dev/null | sha256sum | cut -d' ' -f1; }
row() { sed -n "s/^$1  *//p" "$T/out"; }
for k in rsa:"RSA 2048" ec:"EC P-384" trad:"RSA 2048" p256:"EC P-256" ed:Ed25519; do
	stem=${k%%:*}
	expect_exit "show $stem.key" 0 "$CERTFLEET" show "$p/$stem.key"
	expect_eq "$stem.key algorithm" "${k#*:}" "$(row public-key-algorithm)"
	expect_eq "$stem.key spki" "$(spki "$p/$stem.key")" "$(row public-key-sha256)"
	expect_eq "$stem.key der" "$(sed '1d;$d' "$p/$stem.key" | base64 -d | sha256sum | cut -d' ' -f1)" "$(row sha256)"
	key_spki=$(row public-key-sha256)
	expect_exit "show $stem.crt" 0 "$CERTFLEET" show "$p/$stem.crt"
	expect_eq "$stem.crt spki" "$key_spki" "$(row public-key-sha256)"
done
expect_exit "show wrong.crt" 0 "$CERTFLEET" show "$p/wrong.crt"
[ "$(row public-key-sha256)" != "$(spki "$p/wrong.key")" ] || fail "show: wrong.crt carries wrong.key's public key"
ok
expect_exit "show the generator's pair" 0 "$CERTFLEET" show "$TD/fixtures/pair-match.crt" "$TD/fixtures/pair-match.key" \
	"$TD/fixtures/pair-mismatch.key"
expect_eq "pair-match: kinds" "private key (PKCS#8) private key (PKCS#8)" "$(row kind | tr '\n' ' ' | sed 's/ $//')"
expect_eq "pair-match: one public key, the mismatch another" 2 "$(row public-key-sha256 | sort -u | wc -l)"
expect_eq "pair-match: the key is the certificate's" 2 "$(row public-key-sha256 | uniq -c | awk 'NR == 1 { print $1 }')"
expect_exit "show an encrypted key" 0 "$CERTFLEET" show "$TD/fixtures/encrypted.key"
expect_eq "encrypted key: kind" "encrypted private key (PKCS#8 or OpenSSL legacy), not decrypted: no password given opens it" "$(row kind)"
expect_eq "encrypted key: nothing else" 0 "$(grep -c 'public-key' "$T/out")"
ok
# SANs of every kind openssl writes, in its order: IPv4 and IPv6 in their
# text forms, a long DNS name (over the 512-byte buffer), email, URI
long=$(printf 'a%.0s' $(seq 1 60)); long="$long.$long.$long.$long.$long.$long.$long.$long.$long.example"
openssl req -x509 -newkey ed25519 -nodes -keyout "$T/san.key" -out "$T/san.crt" -days 30 -subj /CN=san \
	-addext "subjectAltName=DNS:a.example,IP:192.0.2.7,IP:2001:db8::1,email:x@example.org,URI:https://example.org/x,DNS:$long" \
	> /dev/null 2>&1 || fail "openssl could not make the SAN certificate"
expect_exit "show SANs" 0 "$CERTFLEET" show "$T/san.crt"
expect_eq "SANs" "DNS:a.example, IP:192.0.2.7, IP:2001:db8::1, email:x@example.org, URI:https://example.org/x, DNS:$long" \
	"$(sed -n 's/^subject-alt-names  *//p' "$T/out")"
# dates before 1970 and after 2038, read from the DER: a certificate that
# `openssl ca` signs for 1950-01-01 to 2050-01-01 (GnuTLS's time_t API would
# say 1970-01-01); openssl's reading is the oracle, and the validity length
# (36,525 days) follows from it. A version 3 leaf (CA:FALSE): a version 1
# self-signed certificate is a root, which the validity limit exempts
c=$T/ca1950
mkdir -p "$c" && : > "$c/index.txt" && echo 01 > "$c/serial"
printf '[ca]\ndefault_ca=d\n[d]\ndir=%s\ndatabase=%s/index.txt\nnew_certs_dir=%s\nserial=%s/serial\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n[e]\nbasicConstraints=CA:FALSE\n' \
	"$c" "$c" "$c" "$c" > "$c/ca.cnf"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$c/k.pem" -subj /CN=old.example \
	-out "$c/r.csr" > /dev/null 2>&1 &&
openssl ca -batch -config "$c/ca.cnf" -selfsign -keyfile "$c/k.pem" -in "$c/r.csr" -extensions e \
	-startdate 19500101000000Z -enddate 20500101000000Z -out "$c/old.crt" > /dev/null 2>&1 ||
	fail "openssl could not make the 1950 certificate"
o=$(openssl x509 -in "$c/old.crt" -noout -startdate -enddate)
nb=$(iso "$(echo "$o" | sed -n 's/^notBefore=//p')")
na=$(iso "$(echo "$o" | sed -n 's/^notAfter=//p')")
expect_eq "openssl reads 1950" "1950-01-01T00:00:00Z" "$nb"
expect_exit "show the 1950 certificate" 0 "$CERTFLEET" show "$c/old.crt"
expect_eq "1950 notBefore" "$nb" "$(awk '$1 == "not-before" { print $2; exit }' "$T/out")"
expect_eq "2050 notAfter" "$na" "$(awk '$1 == "not-after" { print $2; exit }' "$T/out")"
days=$(( ($(date -u -d "$na" +%s) - $(date -u -d "$nb" +%s) + 1) / 86400 ))
expect_exit "scan the 1950 certificate" 1 "$CERTFLEET" scan --now 2026-06-01T00:00:00Z --json "$T/old.json" "$c/old.crt"
expect_eq "1950 in JSON" "$nb" "$(jq -r '.certificates[0].not_before' "$T/old.json")"
expect_eq "validity from the true dates" "leaf valid for $days days 1s" \
	"$(jq -r '.findings[] | select(.check == "tls-cert-validity-too-long") | .message' "$T/old.json" | sed 's/^validity too long: //; s/, over.*//')"
ok
echo "oracle: $n certificates compared"
done_ok
