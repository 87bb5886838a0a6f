#!/bin/sh
# The files real machines and other projects' test suites hold, made here
# by openssl (an independent tool): every PEM label and DER by content.
# Each file's verdict is what README "What is read" documents for how it
# was made, never what the scanner happened to say.
. "$(dirname "$0")/lib.sh"
need jq openssl keytool
w=$T/w
n=$w/n1
mkdir -p "$n" "$T/ca/db"
# the reference time: ten days from now (a CRL of one day is then past
# its nextUpdate; everything else is valid)
REF=$(date -u -d '+10 days' +%Y-%m-%dT%H:%M:%SZ)

# a CA and a leaf of it (EC keys made by `ecparam -genkey`: EC PARAMETERS
# then EC PRIVATE KEY in one file)
o ecparam -genkey -name prime256v1 -out "$T/ca.key"
o req -new -x509 -key "$T/ca.key" -subj /CN=World-CA -days 3650 -out "$T/ca.crt"
o ecparam -genkey -name prime256v1 -out "$n/server.key"
o req -new -key "$n/server.key" -subj /CN=server.example -out "$n/server.csr"
o req -new -key "$n/server.key" -subj /CN=server.example -outform DER -out "$n/server-csr.der"
echo "subjectAltName = DNS:server.example" > "$T/san.ext"
o x509 -req -in "$n/server.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -days 300 -set_serial 7 -extfile "$T/san.ext" -out "$n/server.crt"
cp "$T/ca.crt" "$n/ca.crt"
o ecparam -genkey -name prime256v1 -noout -out "$T/other.key"
# another certificate of the same name and key (an older issue)
o x509 -req -in "$n/server.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -days 200 -set_serial 8 -extfile "$T/san.ext" -out "$T/older.crt"
grep -q "BEGIN EC PARAMETERS" "$n/server.key" || fail "ecparam -genkey wrote no EC PARAMETERS block"

# keys: legacy encrypted (Proc-Type), encrypted PKCS#8 DER, plain PKCS#8
# and PKCS#1 DER, a public key
o genrsa -aes256 -traditional -passout pass:secret -out "$n/legacy.key" 2048
grep -q "Proc-Type: 4,ENCRYPTED" "$n/legacy.key" || fail "genrsa -traditional wrote no Proc-Type header"
o pkcs8 -topk8 -in "$n/server.key" -outform DER -passout pass:secret -out "$n/server-enc.der"
o pkcs8 -topk8 -nocrypt -in "$n/server.key" -outform DER -out "$n/server-p8.der"
o genrsa -out "$T/rsa.key" 2048
o rsa -in "$T/rsa.key" -traditional -outform DER -out "$n/rsa1.der"
o pkey -in "$n/server.key" -pubout -out "$n/server-pub.pem"
# DH parameters: RFC 7919's ffdhe2048 (PKCS#3) is nothing to audit; 1024
# bits (X9.42, as -dsaparam writes) is a weak key
o genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out "$n/dhparam.pem"
o dhparam -dsaparam -out "$n/dh-weak.pem" 1024

# CRLs from `ca -gencrl`: nextUpdate a day away (past at REF) and a year away
cat > "$T/ca.cnf" << EOF
[ca]
default_ca = d
[d]
database = $T/ca/db/index.txt
crlnumber = $T/ca/db/crlnumber
certificate = $T/ca.crt
private_key = $T/ca.key
default_md = sha256
EOF
: > "$T/ca/db/index.txt"
echo 01 > "$T/ca/db/crlnumber"
o ca -config "$T/ca.cnf" -gencrl -crldays 1 -out "$n/crl-old.pem"
o ca -config "$T/ca.cnf" -gencrl -crldays 365 -out "$n/crl-new.pem"
o crl -in "$n/crl-new.pem" -outform DER -out "$n/crl-new.der"
# PKCS#7: certificates and the old CRL, in DER (.p7b) and PEM (PKCS7)
o crl2pkcs7 -in "$n/crl-old.pem" -certfile "$n/ca.crt" -certfile "$n/server.crt" -outform DER -out "$n/chain.p7b"
o crl2pkcs7 -nocrl -certfile "$n/server.crt" -out "$n/chain-p7.pem"
# a TRUSTED CERTIFICATE (OpenSSL's trust settings after the certificate)
o x509 -in "$T/ca.crt" -addtrust serverAuth -trustout -out "$n/trusted.pem"
# DER certificates, two of them concatenated
o x509 -in "$n/server.crt" -outform DER -out "$T/s.der"
o x509 -in "$T/ca.crt" -outform DER -out "$T/c.der"
cat "$T/s.der" "$T/c.der" > "$n/both.der"
# text with CR bytes before the PEM block (a lax reader's comment), CRLF inside
{ printf 'subject=CN = server.example\rissuer=CN = World-CA\n'; cat "$n/server.crt"; } > "$n/cr-note.pem"
# a well-formed block of a label certfleet does not read
{ echo "-----BEGIN OPENSSH PRIVATE KEY-----"; echo "b3BlbnNzaC1rZXktdjEAAAAA"; echo "-----END OPENSSH PRIVATE KEY-----"; } > "$n/id_ed25519.pem"
# malformed PEM stays invalid, located
{ echo "-----BEGIN CERTIFICATE-----"; echo "MIIB!"; echo "-----END CERTIFICATE-----"; } > "$n/broken.pem"

expect_exit "scan the world" 1 "$CERTFLEET" scan --now "$REF" --json "$T/r.json" --node n1 "$n"
r=$T/r.json
# the findings: the expired CRL (alone and inside the PKCS#7) and the broken PEM
findings_are "PEM labels and DER by content" "$r" "check, path, index" \
	'{"check":"tls-cert-invalid","path":"broken.pem","index":0}' \
	'{"check":"tls-crl-expired","path":"chain.p7b","index":2}' \
	'{"check":"tls-crl-expired","path":"crl-old.pem","index":0}' \
	'{"check":"tls-key-weak","path":"dh-weak.pem","index":0}'
expect_eq "broken PEM located" "does not decode: line 2: invalid base64 character 0x21 at column 5" \
	"$(jq -r '.findings[] | select(.path == "broken.pem") | .message' "$r")"
# the certificates audited: every one openssl wrote
jq -r '[.certificates[] | "\(.path)[\(.index)] \(.sha256)"] | sort | .[]' "$r" > "$T/certs"
sfp=$(openssl x509 -in "$n/server.crt" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f)
cfp=$(openssl x509 -in "$T/ca.crt" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f)
cat > "$T/want-certs" << EOF
both.der[0] $sfp
both.der[1] $cfp
ca.crt[0] $cfp
chain-p7.pem[0] $sfp
chain.p7b[0] $cfp
chain.p7b[1] $sfp
cr-note.pem[0] $sfp
server.crt[0] $sfp
trusted.pem[0] $cfp
EOF
if ! diff "$T/want-certs" "$T/certs" > "$T/diff"; then cat "$T/diff" >&2; fail "certificates audited (< expected)"; fi
ok
# what holds no certificate is skipped with what it holds, never an error
for f in dhparam.pem:"DH PARAMETERS" server.csr:"CERTIFICATE REQUEST" server-csr.der:"certificate request" \
    server-pub.pem:"PUBLIC KEY" id_ed25519.pem:"OPENSSH PRIVATE KEY"; do
	p=${f%%:*} want=${f#*:}
	expect_eq "$p skipped, naming what it holds" 1 \
		"$(jq --arg p "$p" --arg w "$want" '[.skipped[] | select(.path == $p and (.reason | contains($w)))] | length' "$r")"
done
# keys: read (plain) or named encrypted, and no finding
"$CERTFLEET" show "$n/legacy.key" > "$T/show" 2>&1 || { cat "$T/show"; fail "show legacy.key"; }
grep -qi "encrypted" "$T/show" || { cat "$T/show"; fail "legacy.key not named an encrypted key"; }
"$CERTFLEET" show "$n/server-enc.der" > "$T/show" 2>&1 || { cat "$T/show"; fail "show server-enc.der"; }
grep -qi "encrypted" "$T/show" || { cat "$T/show"; fail "server-enc.der not named an encrypted key"; }
for k in server-p8.der:"EC P-256" rsa1.der:"RSA 2048" server.key:"EC P-256"; do
	"$CERTFLEET" show "$n/${k%%:*}" > "$T/show" 2>&1 || { cat "$T/show"; fail "show ${k%%:*}"; }
	grep -q "${k#*:}" "$T/show" || { cat "$T/show"; fail "${k%%:*}: not read as a ${k#*:} key"; }
	ok
done
# show: a CRL is listed with its dates; a file of parameters says what it holds
"$CERTFLEET" show "$n/crl-old.pem" > "$T/show" 2>&1 || { cat "$T/show"; fail "show a CRL"; }
grep -q "^kind  *certificate revocation list (CRL)" "$T/show" && grep -q "^issuer  *CN=World-CA" "$T/show" &&
	grep -q "^next-update  *$(openssl crl -in "$n/crl-old.pem" -noout -nextupdate | sed 's/nextUpdate=//' | xargs -I{} date -u -d "{}" +%Y-%m-%dT%H:%M:%SZ)" "$T/show" ||
	{ cat "$T/show"; fail "show a CRL: kind, issuer and nextUpdate (openssl's)"; }
ok
# the weak DH parameters: as many bits as openssl counts
dhbits=$(openssl pkeyparam -in "$n/dh-weak.pem" -noout -text | sed -n 's/.*(\([0-9]*\) bit).*/\1/p' | head -1)
expect_eq "openssl: dh-weak.pem has a 1024-bit prime" 1024 "$dhbits"
expect_eq "DH parameters under 2048 bits: tls-key-weak" "tls-key-weak:1" \
	"$(jq -r '[.findings[] | select(.path == "dh-weak.pem") | "\(.check):\(.message | contains("a '"$dhbits"'-bit prime"))"] | map(sub("true"; "1")) | join(" ")' "$r")"
expect_exit "show DH parameters" 2 "$CERTFLEET" show "$n/dhparam.pem"
grep -q "dhparam.pem: holds no certificate, key or CRL: .*DH PARAMETERS (line 1)" "$T/err" || { cat "$T/err"; fail "show DH parameters: no reason"; }
# the CRL's finding says when it lapsed
expect_eq "CRL message" 1 "$(jq '[.findings[] | select(.path == "crl-old.pem" and (.message | test("nextUpdate [0-9-]+T")))] | length' "$r")"
# a future nextUpdate passes; at a reference time past it, that CRL lapses too
expect_exit "the CRLs at a later time" 1 "$CERTFLEET" scan --now "$(date -u -d '+400 days' +%Y-%m-%dT%H:%M:%SZ)" \
	--json "$T/late.json" --node n1 "$n"
expect_eq "crl-new lapsed later" 2 "$(jq '[.findings[] | select(.check == "tls-crl-expired" and (.path | startswith("crl-new")))] | length' "$T/late.json")"

# nothing to audit is a finding: an empty folder, a mistyped fleet (nodes
# of text files), a node that holds only a key; --allow-empty allows them
mkdir -p "$T/empty" "$T/typo/a" "$T/typo/b" "$T/keyonly/k"
echo "see the wiki" > "$T/typo/a/README.txt"
echo "port: 443" > "$T/typo/b/config.yaml"
cp "$n/server.key" "$T/keyonly/k/server.key"
for in in empty typo keyonly; do
	expect_exit "$in: nothing audited" 1 "$CERTFLEET" scan --now "$REF" --json "$T/e.json" "$T/$in"
	expect_eq "$in: tls-input-empty per node" \
		"$(case $in in empty) echo empty ;; typo) echo "a b" ;; keyonly) echo k ;; esac)" \
		"$(jq -r '[.findings[] | select(.check == "tls-input-empty") | .node] | sort | join(" ")' "$T/e.json")"
	expect_exit "$in: --allow-empty" 0 "$CERTFLEET" scan --now "$REF" --allow-empty --quiet "$T/$in"
done
# hidden folders and lost+found at the top of a fleet are no nodes
mkdir -p "$T/fl/n1" "$T/fl/n2" "$T/fl/.git/objects" "$T/fl/lost+found" "$T/fl/.snapshot/hourly"
for x in n1 n2 .snapshot/hourly; do cp "$n/server.crt" "$T/fl/$x/server.crt"; done
echo "ref: refs/heads/main" > "$T/fl/.git/HEAD"
expect_exit "a fleet with .git and lost+found" 0 "$CERTFLEET" scan --now "$REF" --json "$T/fl.json" "$T/fl"
expect_eq "nodes" "n1 n2" "$(jq -r '[.certificates[].node] | unique | join(" ")' "$T/fl.json")"
expect_eq "no node skipped as such" ".git .snapshot lost+found" "$(jq -r '[.skipped[] | select(.reason | contains("not a node")) | .path] | sort | join(" ")' "$T/fl.json")"

# --- one DER rule: openssl, the independent reader, decides ------------------------------
# the fixtures certfleet-gen made for the rule: every tls-der-noncanonical one
# loads in openssl, every invalid one of the rule openssl refuses
m=$TD/fixtures/manifest.json
for f in $(jq -r '.files[] | select(.findings | map(.check) | index("tls-der-noncanonical")) | .file' "$m"); do
	form=PEM
	case $f in *.der) form=DER ;; esac
	openssl x509 -inform $form -in "$TD/fixtures/$f" -noout 2> /dev/null || fail "$f: openssl refuses a fixture said to be noncanonical"
	ok
done
for f in der-serial-padded.pem sig-bitstring-unused-120.pem sig-bitstring-empty.pem; do
	openssl x509 -in "$TD/fixtures/$f" -noout 2> /dev/null && fail "$f: openssl loads a fixture said to be invalid"
	expect_eq "$f invalid" "tls-cert-invalid" "$(jq -r --arg f "$f" '.files[] | select(.file == $f) | .findings[0].check' "$m")"
done
expect_eq "fixtures of the rule" 6 "$(jq '[.files[] | select(.findings | map(.check) | index("tls-der-noncanonical"))] | length' "$m")"

# the fixtures certfleet-gen makes of these classes read as their makers'
# readers read them: keytool opens the keystore with its password (the
# digest), openssl the PKCS#12, PKCS#7, CRLs, request and legacy key
F=$TD/fixtures
keytool -list -keystore "$F/keystore.jks" -storepass changeit > "$T/kt.out" 2>&1 || { cat "$T/kt.out"; fail "keytool refuses keystore.jks"; }
expect_eq "keytool: two entries" 2 "$(grep -c trustedCertEntry "$T/kt.out")"
expect_eq "openssl: the PKCS#12's bags" "Certificate bag|Key bag" \
	"$(openssl pkcs12 -in "$F/unencrypted.p12" -passin pass: -nomacver -noout -info 2>&1 | grep bag | paste -sd'|')"
expect_eq "openssl: the PKCS#7's certificates" 2 "$(openssl pkcs7 -inform DER -in "$F/bundle.p7b" -print_certs | grep -c 'BEGIN CERT')"
expect_eq "openssl: the expired CRL" "nextUpdate=May 31 00:00:00 2026 GMT" "$(openssl crl -in "$F/crl-expired.pem" -noout -nextupdate)"
expect_eq "openssl: the fresh CRL" "nextUpdate=Jul  1 00:00:00 2026 GMT" "$(openssl crl -inform DER -in "$F/crl-fresh.crl" -noout -nextupdate)"
openssl req -in "$F/request.csr.pem" -noout -verify > /dev/null 2>&1 || fail "openssl: request.csr.pem"
openssl rsa -in "$F/legacy-encrypted.key" -passin pass:x -noout 2>&1 | grep -q "bad decrypt" || fail "openssl: legacy-encrypted.key is no encrypted key"
openssl x509 -in "$F/concatenated.der" -inform DER -noout || fail "openssl: concatenated.der"
ok

# --- keys checked for real ---------------------------------------------------------------
# a brainpool and a secp256k1 key (GnuTLS loads neither: named, paired by
# the public key they carry), an EC key whose public point is another's,
# an RSA key whose p was altered (openssl -check refuses both), a PKCS#8
# EC key without its public key
kk=$T/keys/n1
mkdir -p "$kk"
for c in brainpoolP256r1 secp256k1; do
	o ecparam -genkey -name $c -noout -out "$kk/$c.key"
	o req -new -key "$kk/$c.key" -subj "/CN=$c.example" -out "$T/$c.csr"
	o x509 -req -in "$T/$c.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -days 300 -set_serial 11 -extfile "$T/san.ext" -out "$kk/$c.crt"
done
o ecparam -genkey -name secp256k1 -noout -out "$T/k1-other.key"
o req -new -key "$T/k1-other.key" -subj "/CN=k1-other.example" -out "$T/k1o.csr"
o x509 -req -in "$T/k1o.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -days 300 -set_serial 12 -extfile "$T/san.ext" -out "$kk/k1-wrong.crt"
cp "$kk/secp256k1.key" "$kk/k1-wrong.key"
# forged: the scalar of one P-256 key with the public point of another
o ecparam -genkey -name prime256v1 -noout -out "$T/fa.key"
o ecparam -genkey -name prime256v1 -noout -out "$T/fb.key"
o ec -in "$T/fa.key" -outform DER -out "$T/fa.der"
o ec -in "$T/fb.key" -outform DER -out "$T/fb.der"
{ head -c -65 "$T/fa.der"; tail -c 65 "$T/fb.der"; } > "$T/forged.der"
o ec -inform DER -in "$T/forged.der" -out "$kk/forged.key"
openssl ec -in "$kk/forged.key" -check -noout 2>&1 | grep -qi "invalid" || fail "openssl accepts the forged EC key"
o req -new -key "$T/fb.key" -subj /CN=forged.example -out "$T/fb.csr"
o x509 -req -in "$T/fb.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -days 300 -set_serial 13 -extfile "$T/san.ext" -out "$kk/forged.crt"
# RSA: one bit of p flipped (the 5th INTEGER of RSAPrivateKey: version, n, e, d, p)
o genrsa -out "$T/r.key" 2048
o rsa -in "$T/r.key" -traditional -outform DER -out "$T/r.der"
at=$(openssl asn1parse -inform DER -in "$T/r.der" | awk -F'[:= ]+' '/prim: INTEGER/ { k++; if (k == 5) { print $2 + $6 + $8 - 1; exit } }')
byte=$(od -An -tu1 -j "$at" -N1 "$T/r.der" | tr -d ' ')
printf "\\$(printf '%03o' $((byte ^ 2)))" | dd of="$T/r.der" bs=1 seek="$at" conv=notrunc 2> /dev/null
o rsa -inform DER -in "$T/r.der" -traditional -out "$kk/rsa-bad.key"
openssl rsa -in "$kk/rsa-bad.key" -check -noout 2>&1 | grep -q "n does not equal p q" || fail "openssl accepts the altered RSA key"
o req -new -key "$T/r.key" -subj /CN=rsa.example -out "$T/r.csr"
o x509 -req -in "$T/r.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -days 300 -set_serial 14 -extfile "$T/san.ext" -out "$kk/rsa-bad.crt"
# PKCS#8 EC without its (optional) public key: derived, so it pairs with
# its certificate (nopub.crt) and not with another's (nopub-wrong.crt)
o ec -in "$n/server.key" -no_public -out "$T/nopub.key"
o pkcs8 -topk8 -nocrypt -in "$T/nopub.key" -out "$kk/nopub.pem"
cp "$n/server.crt" "$kk/nopub.crt"
o ec -in "$T/other.key" -no_public -out "$T/nopub-wrong.key"
o pkcs8 -topk8 -nocrypt -in "$T/nopub-wrong.key" -out "$kk/nopub-wrong.pem"
cp "$n/server.crt" "$kk/nopub-wrong.crt"
expect_exit "keys checked for real" 1 "$CERTFLEET" scan --now "$REF" --json "$T/kk.json" --node n1 "$kk"
findings_are "keys: inconsistent and unloadable ones" "$T/kk.json" "check, path" \
	'{"check":"tls-key-mismatch","path":"forged.key"}' '{"check":"tls-key-mismatch","path":"k1-wrong.key"}' \
	'{"check":"tls-key-mismatch","path":"rsa-bad.key"}' '{"check":"tls-key-mismatch","path":"nopub-wrong.pem"}'
for k in brainpoolP256r1.key:"EC brainpoolP256r1" secp256k1.key:"EC secp256k1" nopub.pem:"EC P-256"; do
	"$CERTFLEET" show "$kk/${k%%:*}" > "$T/show" 2>&1 || { cat "$T/show"; fail "show ${k%%:*}"; }
	grep -q "public-key-algorithm *${k#*:}" "$T/show" || { cat "$T/show"; fail "${k%%:*}: not named ${k#*:}"; }
	ok
done

# --- names readable ---------------------------------------------------------------------
# key types named one way, whatever GnuTLS knows of them; SANs of every type
# as people write them
nm=$T/names/n1
mkdir -p "$nm"
o ecparam -genkey -name prime192v1 -noout -out "$T/p192.key"
o genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out "$T/pss.key"
o dsaparam -genkey -out "$T/dsa.key" 1024
cat > "$T/san.cnf" << EOF
[req]
distinguished_name = dn
[dn]
[ext]
subjectAltName = DNS:a.example, IP:192.0.2.7, IP:2001:db8::1, email:ops@example.com, URI:https://a.example/, dirName:dir_sect, RID:1.2.3.4, otherName:1.3.6.1.5.5.7.8.5;UTF8:xmpp@example.com
[dir_sect]
CN = foo
O = Example
EOF
for k in p192 pss dsa; do
	o req -new -x509 -key "$T/$k.key" -subj "/CN=$k.example" -days 300 -out "$nm/$k.crt"
done
o req -new -x509 -key "$n/server.key" -subj /CN=sans.example -days 300 -config "$T/san.cnf" -extensions ext -out "$nm/sans.crt"
cp "$kk/secp256k1.crt" "$kk/brainpoolP256r1.crt" "$nm/"
expect_exit "names" 1 "$CERTFLEET" scan --now "$REF" --json "$T/nm.json" --node n1 "$nm"
# DSA 1024 and P-192 are weak keys (under 2048 and 256 bits), as made;
# openssl req -x509 makes CA certificates (p192, pss, dsa: the node's
# anchors), so the chains are judged: sans.crt is a self-signed leaf (no
# anchor), secp256k1 and brainpool were issued by a CA this node lacks
findings_are "weak keys made by openssl" "$T/nm.json" "check, path" \
	'{"check":"tls-key-weak","path":"dsa.crt"}' \
	'{"check":"tls-key-weak","path":"p192.crt"}' \
	'{"check":"tls-chain-untrusted","path":"sans.crt"}' \
	'{"check":"tls-chain-incomplete","path":"secp256k1.crt"}' \
	'{"check":"tls-chain-incomplete","path":"brainpoolP256r1.crt"}'
chain_oracle "names" "$nm" n1 "$T/nm.json"
expect_eq "key types" "brainpoolP256r1.crt=EC brainpoolP256r1|dsa.crt=DSA 1024|p192.crt=EC P-192|pss.crt=RSA-PSS 2048|sans.crt=EC P-256|secp256k1.crt=EC secp256k1" \
	"$(jq -r '[.certificates[] | "\(.path)=\(.key)"] | sort | join("|")' "$T/nm.json")"
expect_eq "SANs as people write them" \
	"DNS:a.example|IP:192.0.2.7|IP:2001:db8::1|email:ops@example.com|URI:https://a.example/|DirName:O=Example,CN=foo|RID:1.2.3.4|othername:1.3.6.1.5.5.7.8.5:xmpp@example.com" \
	"$(jq -r '.certificates[] | select(.path == "sans.crt") | .sans | join("|")' "$T/nm.json")"

# --- PKCS#12 ---------------------------------------------------------------------
# openssl pkcs12 -export: an empty password, a password (AES, PBKDF2), the
# same with -legacy (RC2/3DES); a file whose MAC is damaged (the password
# still decrypts it: invalid); every certificate and the key audited
PW=Xyzzy-42-pw
p=$T/p12/n1
mkdir -p "$p"
o pkcs12 -export -in "$n/server.crt" -inkey "$n/server.key" -certfile "$T/ca.crt" -passout pass: -out "$p/empty.p12"
o pkcs12 -export -in "$n/server.crt" -inkey "$n/server.key" -certfile "$T/ca.crt" -passout "pass:$PW" -out "$p/pass.pfx"
o pkcs12 -export -legacy -in "$n/server.crt" -inkey "$n/server.key" -certfile "$T/ca.crt" -passout "pass:$PW" -out "$p/legacy.p12"
# no MAC and no encryption at all (openssl -nomac -keypbe NONE -certpbe NONE)
o pkcs12 -export -nomac -keypbe NONE -certpbe NONE -in "$n/server.crt" -inkey "$n/server.key" -certfile "$T/ca.crt" -passout pass: -out "$p/nomac.p12"
cp "$p/pass.pfx" "$p/badmac.p12"
size=$(wc -c < "$p/badmac.p12")
# MacData ends the file: the digest's last byte lies before the salt (04 08 ...)
# and the iteration count (02 02 08 00)
# (its bits flipped: a fixed value would be a no-op once in 256 runs)
old=$(od -An -tu1 -j $((size - 15)) -N1 "$p/badmac.p12" | tr -d ' ')
printf "\\$(printf %o $((old ^ 255)))" | dd of="$p/badmac.p12" bs=1 seek=$((size - 15)) conv=notrunc 2> /dev/null
cmp -s "$p/pass.pfx" "$p/badmac.p12" && fail "the MAC was not changed"
openssl pkcs12 -in "$p/badmac.p12" -passin "pass:$PW" -noout 2> /dev/null && fail "openssl accepts the damaged MAC"
# an independent count: the certificates openssl reads out of each file
for f in empty.p12: pass.pfx:"$PW" legacy.p12:"$PW"; do
	legacy=
	[ "${f%%:*}" = legacy.p12 ] && legacy=-legacy
	c=$(openssl pkcs12 $legacy -in "$p/${f%%:*}" -passin "pass:${f#*:}" -nokeys 2> /dev/null | grep -c "BEGIN CERTIFICATE")
	expect_eq "openssl reads ${f%%:*}" 2 "$c"
done
printf 'wrong\n%s\n' "$PW" > "$T/passwords"
chmod 600 "$T/passwords"
expect_exit "PKCS#12 without the password" 1 "$CERTFLEET" scan --now "$REF" --json "$T/p0.json" "$p"
findings_are "PKCS#12: no password opens three" "$T/p0.json" "check, path" \
	'{"check":"tls-input-unreadable","path":"badmac.p12"}' \
	'{"check":"tls-input-unreadable","path":"legacy.p12"}' \
	'{"check":"tls-input-unreadable","path":"pass.pfx"}'
expect_eq "empty.p12 and nomac.p12 audited" 4 "$(jq '[.certificates[] | select(.path == "empty.p12" or .path == "nomac.p12")] | length' "$T/p0.json")"
expect_eq "the cause named" 3 "$(jq '[.findings[] | select(.message | contains("no password opens it"))] | length' "$T/p0.json")"
for how in file env; do
	if [ $how = file ]; then
		expect_exit "PKCS#12 with --password-file" 1 "$CERTFLEET" scan --now "$REF" --password-file "$T/passwords" \
			--json "$T/p1.json" --junit "$T/p1.xml" --sarif "$T/p1.sarif" --markdown "$T/p1.md" "$p"
	else
		expect_exit "PKCS#12 with CERTFLEET_PASSWORD" 1 env CERTFLEET_PASSWORD="$PW" "$CERTFLEET" scan --now "$REF" \
			--json "$T/p1.json" --junit "$T/p1.xml" --sarif "$T/p1.sarif" --markdown "$T/p1.md" "$p"
	fi
	expect_eq "$how: the damaged MAC is invalid" "tls-cert-invalid badmac.p12" "$(jq -r '.findings[] | "\(.check) \(.path)"' "$T/p1.json")"
	expect_eq "$how: every certificate audited" "empty.p12:2 legacy.p12:2 nomac.p12:2 pass.pfx:2" \
		"$(jq -r '[.certificates | group_by(.path)[] | "\(.[0].path):\(length)"] | join(" ")' "$T/p1.json")"
	expect_eq "$how: the leaf and the CA" "$(printf '%s\n%s\n' "$sfp" "$cfp" | sort | tr '\n' ' ')" \
		"$(jq -r '[.certificates[] | select(.path == "legacy.p12") | .sha256] | sort | join(" ")' "$T/p1.json") "
	grep -l -- "$PW" "$T"/p1.* "$T/out" "$T/err" && fail "$how: the password appears in an output"
	ok
done
# the key inside is paired with its certificate (wherever the leaf lies
# among the bags); a leaf of another key beside it is a mismatch
o req -new -key "$T/other.key" -subj /CN=other.example -out "$T/other.csr"
o x509 -req -in "$T/other.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -days 300 -set_serial 9 -extfile "$T/san.ext" -out "$T/other.crt"
mkdir -p "$T/p12b/n1"
o pkcs12 -export -in "$n/server.crt" -inkey "$n/server.key" -certfile "$T/ca.crt" -passout pass: -out "$T/p12b/n1/good.p12"
# -nokeys files hold certificates only; a key bag with a foreign leaf is
# made by giving openssl the other key with -nocerts and joining nothing:
# openssl refuses a key that matches no certificate, so the mismatch case is
# a combined PEM (the same pairing rule)
cat "$T/other.crt" "$n/server.key" > "$T/p12b/n1/combined.pem"
expect_exit "PKCS#12 pairs its key" 1 "$CERTFLEET" scan --now "$REF" --json "$T/p2.json" "$T/p12b/n1"
expect_eq "the key of good.p12 pairs; the combined PEM does not" "tls-key-mismatch combined.pem" \
	"$(jq -r '.findings[] | "\(.check) \(.path)"' "$T/p2.json")"

# --- Java keystores (keytool) ---------------------------------------------------------
# JKS and JCEKS with a key entry (its certificate) and a trusted CA; every
# certificate keytool lists is audited, named by its alias; the digest is
# checked with the password given; a JCEKS secret key stops the reader
kt() { keytool "$@" > "$T/keytool.out" 2>&1 || { cat "$T/keytool.out" >&2; fail "keytool $*"; }; }
j=$T/jks/n1
mkdir -p "$j"
for type in JKS JCEKS; do
	f=$j/server.$(echo $type | tr A-Z a-z)
	kt -genkeypair -keystore "$f" -storetype $type -storepass changeit -keypass changeit -alias server \
		-keyalg EC -groupname secp256r1 -dname CN=ks.example -ext SAN=dns:ks.example -validity 100
	kt -importcert -noprompt -keystore "$f" -storetype $type -storepass changeit -alias world-ca -file "$T/ca.crt"
	# keytool's own listing, fingerprinted by openssl: what must be audited
	keytool -list -rfc -keystore "$f" -storetype $type -storepass changeit 2> /dev/null |
		awk '/BEGIN CERT/{c++} {print > ("'"$T"'/kt-" c ".pem")}'
	for pem in "$T"/kt-[0-9]*.pem; do
		openssl x509 -in "$pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f
	done | sort > "$T/kt-$type"
	rm -f "$T"/kt-[0-9]*.pem
	expect_eq "keytool lists two in $type" 2 "$(wc -l < "$T/kt-$type")"
done
magic() { od -An -tx1 -N4 "$1" | tr -d ' \n'; }
expect_eq "JKS magic" feedfeed "$(magic "$j/server.jks")"
expect_eq "JCEKS magic" cececece "$(magic "$j/server.jceks")"
echo changeit > "$T/kspw"
expect_exit "keystores with their password" 0 "$CERTFLEET" scan --now "$REF" --password-file "$T/kspw" --json "$T/ks.json" "$j"
for type in JKS JCEKS; do
	p=server.$(echo $type | tr A-Z a-z)
	jq -r --arg p "$p" '[.certificates[] | select(.path == $p) | .sha256] | sort | .[]' "$T/ks.json" > "$T/cf-$type"
	if ! diff "$T/kt-$type" "$T/cf-$type" > "$T/diff"; then cat "$T/diff" >&2; fail "$type: the certificates audited differ from keytool's"; fi
	ok
done
expect_eq "no finding with the right password" 0 "$(jq '.findings | length' "$T/ks.json")"
echo wrong > "$T/kspw-wrong"
expect_exit "keystores with a wrong password" 1 "$CERTFLEET" scan --now "$REF" --password-file "$T/kspw-wrong" --json "$T/ks2.json" "$j"
expect_eq "digest refused, certificates still audited" "tls-cert-invalid server.jceks|tls-cert-invalid server.jks|4" \
	"$(jq -r '([.findings[] | "\(.check) \(.path)"] | sort | join("|")) + "|\(.certificates | length)"' "$T/ks2.json")"
# the alias in a finding's message: at a reference time past the leaf's 100 days
expect_exit "a keystore's expired entry" 1 "$CERTFLEET" scan --now "$(date -u -d '+200 days' +%Y-%m-%dT%H:%M:%SZ)" --json "$T/ks3.json" "$j"
expect_eq "the alias named" 2 "$(jq '[.findings[] | select(.check == "tls-cert-expired" and (.message | contains("(entry '"'server'"')")))] | length' "$T/ks3.json")"
# a JCEKS secret key: a serialized Java object the reader cannot step over
kt -genseckey -keystore "$T/jks/secret.jceks" -storetype JCEKS -storepass changeit -keypass changeit -alias aes -keyalg AES -keysize 128
expect_exit "a JCEKS secret key" 1 "$CERTFLEET" scan --now "$REF" --json "$T/ks4.json" --node n "$T/jks/secret.jceks"
expect_eq "said, not passed" "tls-input-unreadable" "$(jq -r '[.findings[].check | select(. != "tls-input-empty")] | unique | join(" ")' "$T/ks4.json")"
# a truncated keystore: invalid, located
head -c 200 "$j/server.jks" > "$T/jks/cut.jks"
expect_exit "a truncated keystore" 1 "$CERTFLEET" scan --now "$REF" --json "$T/ks5.json" --node n "$T/jks/cut.jks"
jq -r '.findings[] | select(.check == "tls-cert-invalid") | .message' "$T/ks5.json" | grep -q "invalid Java keystore: truncated.* at byte [0-9]" ||
	fail "a truncated keystore: no located error"
ok

# --- Kubernetes dumps ------------------------------------------------------------------
# kubectl-shaped dumps of three clusters: `get secret -A -o yaml` (a List),
# a ConfigMap and a Secret as two YAML documents, `-o json`, a kubeconfig;
# cluster c3's web-tls carries the older certificate, c2's api-tls and its
# kubeconfig user another key
b64() { base64 -w0 < "$1"; }
indent() { sed 's/^/    /' "$1"; }
for c in c1 c2 c3; do
	d=$T/k8sdump/$c
	mkdir -p "$d"
	crt=$n/server.crt key=$n/server.key
	[ $c = c3 ] && crt=$T/older.crt
	akey=$n/server.key
	[ $c = c2 ] && akey=$T/other.key
	cat > "$d/secrets.yaml" << EOF
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  type: kubernetes.io/tls
  metadata:
    name: web-tls
    namespace: prod
  data:
    tls.crt: $(b64 "$crt")
    tls.key: $(b64 "$key")
- apiVersion: v1
  kind: Secret
  type: kubernetes.io/tls
  metadata: {name: api-tls, namespace: prod}
  data:
    tls.crt: $(b64 "$n/server.crt")
    tls.key: $(b64 "$akey")
    ca.crt: $(b64 "$T/ca.crt")
- apiVersion: v1
  kind: Secret
  type: Opaque
  metadata: {name: db-password, namespace: prod}
  data:
    password: $(printf hunter2 | base64)
metadata:
  resourceVersion: ""
EOF
	cat > "$d/bundle.yml" << EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: kube-root-ca.crt
  namespace: kube-system
data:
  ca.crt: |
$(indent "$T/ca.crt")
---
apiVersion: v1
kind: Secret
metadata: {name: raw, namespace: default}
stringData:
  bundle.pem: |
$(indent "$n/server.crt")
EOF
	printf '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"json-tls","namespace":"edge"},"data":{"tls.crt":"%s"}}\n' \
		"$(b64 "$n/server.crt")" > "$d/secret.json"
	cat > "$d/kubeconfig" << EOF
apiVersion: v1
kind: Config
clusters:
- name: $c
  cluster:
    server: https://$c.example:6443
    certificate-authority-data: $(b64 "$T/ca.crt")
users:
- name: admin
  user:
    client-certificate-data: $(b64 "$n/server.crt")
    client-key-data: $(b64 "$akey")
EOF
	echo "port: 443" > "$d/config.yaml"
done
expect_exit "Kubernetes dumps" 1 "$CERTFLEET" scan --now "$REF" --json "$T/kd.json" "$T/k8sdump"
findings_are "the dumps' findings" "$T/kd.json" "check, node, path" \
	'{"check":"tls-cert-mismatch","node":"c3","path":"secrets.yaml#prod/web-tls/tls.crt"}' \
	'{"check":"tls-key-mismatch","node":"c2","path":"secrets.yaml#prod/api-tls/tls.key"}' \
	'{"check":"tls-key-mismatch","node":"c2","path":"kubeconfig#users/admin/client-key-data"}'
jq -r '[.certificates[] | select(.node == "c1") | "\(.path) \(.sha256)"] | sort | .[]' "$T/kd.json" > "$T/got"
printf '%s\n' "bundle.yml#default/raw/bundle.pem $sfp" "bundle.yml#kube-system/kube-root-ca.crt/ca.crt $cfp" \
	"kubeconfig#clusters/c1/certificate-authority-data $cfp" "kubeconfig#users/admin/client-certificate-data $sfp" \
	"secret.json#edge/json-tls/tls.crt $sfp" "secrets.yaml#prod/api-tls/ca.crt $cfp" \
	"secrets.yaml#prod/api-tls/tls.crt $sfp" "secrets.yaml#prod/web-tls/tls.crt $sfp" | sort > "$T/want"
if ! diff "$T/want" "$T/got" > "$T/diff"; then cat "$T/diff" >&2; fail "the certificates of c1's dumps (< expected)"; fi
ok
expect_eq "kubeconfig clusters differ per cluster: not compared" 0 "$(jq '[.findings[] | select(.path | startswith("kubeconfig#clusters"))] | length' "$T/kd.json")"
# a dump that does not parse: located by line and column, the scan goes on
printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: broken\n data: [\n' > "$T/k8sdump/c1/broken.yaml"
expect_exit "a broken dump" 1 "$CERTFLEET" scan --now "$REF" --json "$T/kd2.json" --node c1 "$T/k8sdump/c1"
jq -r '.findings[] | select(.path == "broken.yaml") | "\(.check) \(.message)"' "$T/kd2.json" | grep -q "^tls-input-unreadable input not read: Kubernetes dump: YAML error at line 5, column [0-9]" ||
	{ jq -c '.findings' "$T/kd2.json"; fail "a broken dump: no located error"; }
ok
rm "$T/k8sdump/c1/broken.yaml"
# in an archive too (the same logical paths)
tar -C "$T/k8sdump" -czf "$T/c1.tar.gz" c1 || fail "tar"
expect_exit "a dump in an archive" 0 "$CERTFLEET" scan --now "$REF" --json "$T/kd3.json" "$T/c1.tar.gz"
expect_eq "8 certificates from the archive's dumps" 8 "$(jq '.certificates | length' "$T/kd3.json")"

# --- symbolic links -------------------------------------------------------------
# a Kubernetes secret volume on three nodes (each with its own timestamped
# folder), one carrying an older certificate: one mismatch, under tls.crt
for i in 1 2 3; do
	m=$T/k8s/node$i ts=..2026_11_2${i}_10_00_00.12345678$i
	mkdir -p "$m/$ts"
	if [ $i = 3 ]; then cp "$T/older.crt" "$m/$ts/tls.crt"; else cp "$n/server.crt" "$m/$ts/tls.crt"; fi
	cp "$n/server.key" "$m/$ts/tls.key"
	cp "$T/ca.crt" "$m/$ts/ca.crt"
	ln -s "$ts" "$m/..data"
	for k in tls.crt tls.key ca.crt; do ln -s "..data/$k" "$m/$k"; done
done
expect_exit "a Kubernetes secret volume" 1 "$CERTFLEET" scan --now "$REF" --json "$T/k.json" "$T/k8s"
findings_are "the secret volume's one mismatch" "$T/k.json" "check, node, path" \
	'{"check":"tls-cert-mismatch","node":"node3","path":"tls.crt"}'
expect_eq "audited through the links only" "ca.crt tls.crt" "$(jq -r '[.certificates[].path] | unique | join(" ")' "$T/k.json")"
expect_eq "each node's two certificates" 6 "$(jq '.certificates | length' "$T/k.json")"

# inside the INPUT: a link to a file and to a folder are followed; a link
# out of it is skipped with the reason unless --follow-links; a loop is
# not entered twice; a link to nothing named as a certificate is a finding
mkdir -p "$T/ln/in/node/real/sub" "$T/ln/out"
cp "$n/server.crt" "$T/ln/in/node/real/sub/a.crt"
cp "$T/ca.crt" "$T/ln/out/outside.crt"
ln -s real/sub/a.crt "$T/ln/in/node/file-link.crt"
ln -s real/sub "$T/ln/in/node/dir-link"
ln -s ../.. "$T/ln/in/node/real/sub/up"
ln -s "$T/ln/out/outside.crt" "$T/ln/in/node/out-link.crt"
ln -s nowhere.crt "$T/ln/in/node/dangling.crt"
expect_exit "links in a node" 1 "$CERTFLEET" scan --now "$REF" --json "$T/l.json" --node node "$T/ln/in/node"
expect_eq "followed inside, under the link's path" "dir-link/a.crt file-link.crt real/sub/a.crt" \
	"$(jq -r '[.certificates[].path] | sort | join(" ")' "$T/l.json")"
expect_eq "out of the INPUT: skipped" 1 "$(jq '[.skipped[] | select(.path == "out-link.crt" and (.reason | contains("--follow-links")))] | length' "$T/l.json")"
expect_eq "a loop: skipped" 2 "$(jq '[.skipped[] | select(.path | endswith("/up")) | select(.reason | contains("loop"))] | length' "$T/l.json")"
expect_eq "a link to nothing: a finding" "tls-input-unreadable dangling.crt" "$(jq -r '.findings[] | "\(.check) \(.path)"' "$T/l.json")"
expect_exit "--follow-links" 1 "$CERTFLEET" scan --now "$REF" --follow-links --json "$T/l2.json" --node node "$T/ln/in/node"
expect_eq "--follow-links: the outside file audited" "$cfp" "$(jq -r '.certificates[] | select(.path == "out-link.crt") | .sha256' "$T/l2.json")"
# a single-file INPUT and show: a link is followed
ln -s "$n/server.crt" "$T/single-link.crt"
expect_exit "a linked single file" 0 "$CERTFLEET" scan --now "$REF" --quiet --json "$T/s.json" "$T/single-link.crt"
expect_eq "audited as the link" "single-link.crt $sfp" "$(jq -r '.certificates[] | "\(.path) \(.sha256)"' "$T/s.json")"
"$CERTFLEET" show "$T/single-link.crt" > "$T/show" 2>&1 || { cat "$T/show"; fail "show a link"; }
grep -q "server.example" "$T/show" || fail "show a link: no subject"
ok

# --- encrypted keys: paired only when a password opens them ---------------------
# made by openssl: PKCS#8 (PEM, -v2 aes256; and DER) and legacy (-traditional
# -aes256) keys, each beside the certificate of its own key (pairs: no
# finding once decrypted) or beside another's (tls-key-mismatch once
# decrypted). Without a password that opens them they are named, unpaired:
# no finding.
e=$T/enc/e1
mkdir -p "$e"
EPW='enc-Secret 42'
o genrsa -out "$T/enc-rsa.key" 2048
o req -new -x509 -key "$T/enc-rsa.key" -subj /CN=rsa.example -days 300 -out "$e/rsa.crt"
o rsa -in "$T/enc-rsa.key" -aes256 -traditional -passout "pass:$EPW" -out "$e/rsa.key"
grep -q "Proc-Type: 4,ENCRYPTED" "$e/rsa.key" || fail "rsa -traditional -aes256 wrote no Proc-Type header"
cp "$n/server.crt" "$e/server.crt"
cp "$T/ca.crt" "$e/ca.crt"     # the node trusts the CA of server.crt
o pkcs8 -topk8 -v2 aes256 -in "$n/server.key" -passout "pass:$EPW" -out "$e/server.key"
grep -q "BEGIN ENCRYPTED PRIVATE KEY" "$e/server.key" || fail "pkcs8 -topk8 wrote no ENCRYPTED PRIVATE KEY"
cp "$n/server.crt" "$e/legacy-other.crt"
o rsa -in "$T/enc-rsa.key" -aes128 -traditional -passout "pass:$EPW" -out "$e/legacy-other.key"
cp "$n/server.crt" "$e/der-other.crt"
o pkcs8 -topk8 -v2 aes256 -in "$T/enc-rsa.key" -outform DER -passout "pass:$EPW" -out "$e/der-other.der"
# the independent view: openssl opens each with the password, and the
# public keys of the pairs are (or are not) the certificate's
pub() { openssl pkey -in "$1" ${2-} -passin "pass:$EPW" -pubout 2> /dev/null | sha256sum; }
cpub() { openssl x509 -in "$1" -noout -pubkey | sha256sum; }
expect_eq "openssl: rsa.key opens and is rsa.crt's" "$(cpub "$e/rsa.crt")" "$(pub "$e/rsa.key")"
expect_eq "openssl: server.key opens and is server.crt's" "$(cpub "$e/server.crt")" "$(pub "$e/server.key")"
[ "$(pub "$e/legacy-other.key")" != "$(cpub "$e/legacy-other.crt")" ] || fail "openssl: legacy-other.key is its certificate's"
[ "$(pub "$e/der-other.der" "-inform DER")" != "$(cpub "$e/der-other.crt")" ] || fail "openssl: der-other.der is its certificate's"
ok
printf 'wrong\n%s\n' "$EPW" > "$T/enc-pw"
expect_exit "encrypted keys, no password" 0 "$CERTFLEET" scan --now "$REF" --json "$T/e0.json" --node e1 "$e"
findings_are "encrypted keys without a password: named, unpaired" "$T/e0.json" "check, path"
printf 'wrong\nalso wrong\n' > "$T/enc-bad"
expect_exit "encrypted keys, wrong passwords" 0 "$CERTFLEET" scan --now "$REF" --password-file "$T/enc-bad" --json "$T/e1.json" --node e1 "$e"
findings_are "encrypted keys no password opens" "$T/e1.json" "check, path"
for how in file env; do
	if [ $how = file ]; then
		expect_exit "encrypted keys, --password-file" 1 "$CERTFLEET" scan --now "$REF" --password-file "$T/enc-pw" \
			--json "$T/e2.json" --markdown "$T/e2.md" --junit "$T/e2.xml" --node e1 "$e"
	else
		expect_exit "encrypted keys, CERTFLEET_PASSWORD" 1 env CERTFLEET_PASSWORD="$EPW" "$CERTFLEET" scan --now "$REF" \
			--json "$T/e2.json" --markdown "$T/e2.md" --junit "$T/e2.xml" --node e1 "$e"
	fi
	findings_are "encrypted keys opened ($how): the mismatched ones found, the pairs quiet" "$T/e2.json" "check, path" \
		'{"check":"tls-key-mismatch","path":"der-other.der"}' \
		'{"check":"tls-key-mismatch","path":"legacy-other.key"}'
	! grep -q "$EPW" "$T/e2.json" "$T/e2.md" "$T/e2.xml" "$T/out" "$T/err" || fail "the password appears in an output"
	ok
done
# show: decrypted with CERTFLEET_PASSWORD, the key's public key is its certificate's
for k in rsa.key:rsa.crt server.key:server.crt; do
	CERTFLEET_PASSWORD="$EPW" "$CERTFLEET" show "$e/${k%%:*}" > "$T/show" 2>&1 || { cat "$T/show"; fail "show ${k%%:*}"; }
	grep -q "^kind  *encrypted private key, decrypted with a password given" "$T/show" || { cat "$T/show"; fail "show ${k%%:*}: not decrypted"; }
	kp=$(sed -n 's/^public-key-sha256  *//p' "$T/show")
	"$CERTFLEET" show "$e/${k#*:}" > "$T/show" 2>&1
	expect_eq "show ${k%%:*}: the certificate's public key" "$(sed -n 's/^public-key-sha256  *//p' "$T/show")" "$kp"
done
"$CERTFLEET" show "$e/rsa.key" > "$T/show" 2>&1
grep -q "not decrypted" "$T/show" || { cat "$T/show"; fail "show rsa.key without a password: said decrypted"; }
ok

# a file of 34 encrypted keys: 32 password tries (each may cost seconds of
# key derivation), then the rest is not tried, and said
mkdir -p "$T/enc/many/m1"
o pkcs8 -topk8 -v2 aes128 -iter 1000 -in "$n/server.key" -passout "pass:$EPW" -out "$T/one-enc.key"
for i in $(seq 34); do cat "$T/one-enc.key"; done > "$T/enc/many/m1/many.key"
expect_exit "34 encrypted keys in one file" 1 "$CERTFLEET" scan --now "$REF" --allow-empty --password-file "$T/enc-pw" \
	--json "$T/e3.json" "$T/enc/many"
# the right password is the second line: 16 keys opened, the 17th not tried
findings_are "34 encrypted keys: tries bounded" "$T/e3.json" "check, path, index" \
	'{"check":"tls-input-unreadable","path":"many.key","index":16}'

# --- the Debian trust store: links into /usr/share/ca-certificates ------------------
# every certificate the store holds is audited (ca-certificates.crt holds
# them all; the links leading out of /etc/ssl/certs are skipped, or read
# with --follow-links), with the fingerprints openssl gives
[ -s /etc/ssl/certs/ca-certificates.crt ] || fail "no Debian trust store (package ca-certificates)"
for f in /usr/share/ca-certificates/*/*.crt /usr/local/share/ca-certificates/*.crt; do
	[ -f "$f" ] && openssl x509 -in "$f" -noout -fingerprint -sha256
done | sed 's/.*=//; s/://g' | tr A-F a-f | sort -u > "$T/store-openssl"
[ "$(wc -l < "$T/store-openssl")" -gt 50 ] || fail "the store holds only $(wc -l < "$T/store-openssl") certificates"
for follow in "" --follow-links; do
	"$CERTFLEET" scan --now "$REF" --quiet $follow --json "$T/store.json" --node store /etc/ssl/certs
	[ $? -le 1 ] || fail "scan /etc/ssl/certs $follow"
	jq -r '[.certificates[].sha256] | unique | .[]' "$T/store.json" > "$T/store-certfleet"
	if ! diff "$T/store-openssl" "$T/store-certfleet" > "$T/diff"; then
		head "$T/diff" >&2
		fail "/etc/ssl/certs $follow: the certificates audited differ from openssl's (< openssl)"
	fi
	ok
	expect_eq "no certificate invalid $follow" 0 "$(jq '[.findings[] | select(.check == "tls-cert-invalid")] | length' "$T/store.json")"
done
# --- any name, read by content ----------------------------------------------------------
# a certificate store saved under a name no decoder claims is read by its
# first bytes: DER (openssl x509 -outform DER) as store.bks, PKCS#12 as
# keystore.bin, PKCS#7 as bundle.dat, the JKS keytool made as trust.data;
# a DER request is skipped with its reason; a configuration file and a
# binary that is none of them pass in silence; the same in a tar.gz
a=$T/anyname/n1
mkdir -p "$a"
openssl x509 -in "$T/ca.crt" -outform DER -out "$a/store.bks"
openssl pkcs12 -export -in "$T/ca.crt" -nokeys -passout pass: -out "$a/keystore.bin" 2> /dev/null ||
	fail "openssl pkcs12 -export"
openssl crl2pkcs7 -nocrl -certfile "$T/ca.crt" -outform DER -out "$a/bundle.dat"
cp "$j/server.jks" "$a/trust.data"
openssl ecparam -genkey -name prime256v1 -noout -out "$T/anykey.pem"
openssl req -new -key "$T/anykey.pem" -subj /CN=req -outform DER -out "$a/req.bin"
printf 'server { listen 443 ssl; }\n' > "$a/nginx.conf"
printf '\060\202\001\000\001\002\003 not a certificate' > "$a/blob.bin"
tar -C "$T/anyname" -czf "$T/anyname-n2.tar.gz" n1
mkdir -p "$T/anytar" && cp "$T/anyname-n2.tar.gz" "$T/anytar/n2.tar.gz"
for in in "$T/anyname" "$T/anytar"; do
	"$CERTFLEET" scan --quiet --now "$NOW" --allow-empty --json "$T/any.json" "$in" > /dev/null
	expect_eq "any name ($in): the four stores audited" "bundle.dat keystore.bin store.bks trust.data" \
		"$(jq -r '[.certificates[] | .path | sub(".*/"; "")] | unique | join(" ")' "$T/any.json")"
	expect_eq "any name ($in): the request skipped with its reason, nothing else" "req.bin" \
		"$(jq -r '[.skipped[] | select(.reason | contains("PKCS#10")) | .path | sub(".*/"; "")] | join(" ")' "$T/any.json")"
	expect_eq "any name ($in): only the request skipped" 1 "$(jq '.skipped | length' "$T/any.json")"
done

done_ok
