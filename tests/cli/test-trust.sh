#!/bin/sh
# Will TLS work with these certificates? Certificates made by openssl (an
# independent tool) with exact dates, keys and signature hashes; each
# verdict follows from how the certificate was made: the Baseline
# Requirements' bounds under --profile cabf, --soon as a share of the
# lifetime, weak keys and signatures, leaves without SAN.
. "$(dirname "$0")/lib.sh"
need jq openssl

# a CA (openssl ca, so that notBefore and notAfter are exact to the second)
mkdir -p "$T/ca/db" "$T/ca/new"
o ecparam -genkey -name prime256v1 -noout -out "$T/ca.key"
cat > "$T/ca.cnf" << EOF
[ca]
default_ca = d
[d]
database = $T/ca/db/index.txt
serial = $T/ca/db/serial
new_certs_dir = $T/ca/new
certificate = $T/ca.crt
private_key = $T/ca.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
[leaf]
basicConstraints = CA:FALSE
subjectAltName = DNS:\${ENV::CN}
extendedKeyUsage = \${ENV::EKU}
[leaf_nosan]
basicConstraints = CA:FALSE
[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
EOF
: > "$T/ca/db/index.txt"
echo 1000 > "$T/ca/db/serial"
# the CA signs itself with exact dates too (valid at every --now below)
CN=Trust-CA EKU=serverAuth && export CN EKU     # (the config names them)
o req -new -key "$T/ca.key" -subj /CN=Trust-CA -out "$T/ca.csr"
o ca -batch -config "$T/ca.cnf" -selfsign -keyfile "$T/ca.key" -in "$T/ca.csr" -startdate 20200101000000Z \
	-enddate 20451231000000Z -extensions root -notext -out "$T/ca.crt"
o ecparam -genkey -name prime256v1 -noout -out "$T/leaf.key"
# issue NAME START END [EXT [MD [EKU]]]: a leaf CN=NAME.example, exact dates
issue() {
	CN=$1.example EKU=${6:-serverAuth} && export CN EKU
	k=${KEY:-$T/$1.key}
	[ -s "$k" ] || o ecparam -genkey -name prime256v1 -noout -out "$k"   # a key of its own
	o req -new -key "$k" -subj "/CN=$CN" -out "$T/$1.csr"
	o ca -batch -config "$T/ca.cnf" -in "$T/$1.csr" -startdate "$2" -enddate "$3" \
		-extensions "${4:-leaf}" -md "${5:-sha256}" -notext -out "$dir/$1.crt"
	cp "$T/ca.crt" "$dir/ca.crt"        # the node trusts its CA: the chains verify
}

# --- --profile cabf at its bounds ------------------------------------------------
# 2026-04-01 + 200 days = 2026-10-18; 2026-01-01 + 397 days = 2027-02-02
dir=$T/cabf/n1
mkdir -p "$dir"
issue d200 20260401000000Z 20261017235959Z          # 200 days exactly: over SHOULD (199)
issue d200s1 20260401000000Z 20261018000000Z        # 200 days + 1 s: over MUST (200)
issue d199 20260401000000Z 20261016235959Z          # 199 days: passes
issue d397 20260101000000Z 20270201235959Z          # 397 days, issued before 2026-03-15: passes
issue d398 20260101000000Z 20270202235959Z          # 398 days: over SHOULD (397), within MUST
issue client-300 20260401000000Z 20270126000000Z leaf sha256 clientAuth  # a client certificate
# openssl's own view of the dates: what the verdicts are computed from
secs() { date -u -d "$(openssl x509 -in "$dir/$1.crt" -noout -"$2" | sed 's/^[^=]*=//')" +%s; }
days() { echo $(( ( $(secs "$1" enddate) - $(secs "$1" startdate) + 1 + 86399 ) / 86400 )); }
expect_eq "openssl: d200 lasts 200 days" 200 "$(days d200)"
expect_eq "openssl: d200s1 lasts 201 days (200 and a second)" 201 "$(days d200s1)"
expect_eq "openssl: d397 lasts 397 days" 397 "$(days d397)"
REF=2026-05-01T00:00:00Z
expect_exit "cabf profile" 1 "$CERTFLEET" scan --now "$REF" --profile cabf --soon 1d --json "$T/c.json" --node n1 "$T/cabf/n1"
findings_are "--profile cabf at its bounds" "$T/c.json" "check, path" \
	'{"check":"tls-cert-validity-long","path":"d200.crt"}' \
	'{"check":"tls-cert-validity-too-long","path":"d200s1.crt"}' \
	'{"check":"tls-cert-validity-long","path":"d398.crt"}'
expect_eq "the message names the Baseline Requirements' step" 1 \
	"$(jq '[.findings[] | select(.path == "d200s1.crt" and (.message | contains("200 days") and contains("2026-03-15")))] | length' "$T/c.json")"
# the private profile (the default): --max-validity 397 only
expect_exit "private profile" 1 "$CERTFLEET" scan --now "$REF" --soon 1d --json "$T/p.json" --node n1 "$T/cabf/n1"
findings_are "--profile private: 397 days" "$T/p.json" "check, path" \
	'{"check":"tls-cert-validity-too-long","path":"d398.crt"}'
expect_exit "--profile nonsense" 2 "$CERTFLEET" scan --profile public "$T/cabf/n1"
grep -q "private or cabf" "$T/err" || fail "--profile public: no usage message"
ok

# --- --soon P%: a share of the lifetime ---------------------------------------------
# a 100-day certificate (2026-04-01 to 2026-07-10, + 1 s): 20% is 20 days
dir=$T/soon/n1
mkdir -p "$dir"
issue short 20260401000000Z 20260709235959Z
for c in 2026-06-19T23:59:59Z:0 2026-06-20T00:00:00Z:1 2026-06-01T00:00:00Z:0; do
	now=${c%:*} want=${c##*:}
	"$CERTFLEET" scan --now "$now" --soon 20% --quiet --json "$T/s.json" --node n1 "$dir"
	expect_eq "--soon 20% at $now" "$want" \
		"$(jq '[.findings[] | select(.check == "tls-cert-will-soon-expire")] | length' "$T/s.json")"
done
for bad in 0% 100% 20%% x% -5%; do
	expect_exit "--soon $bad" 2 "$CERTFLEET" scan --soon "$bad" "$dir"
done

# --- key and signature strength, SAN ------------------------------------------------
# a SHA-1 leaf from the CA, an RSA 1024 leaf, a leaf without SAN, a SHA-1
# self-signed root (its own signature is never checked: no finding)
dir=$T/str/n1
mkdir -p "$dir"
S=$(date -u -d '-1 day' +%Y%m%d%H%M%SZ) E=$(date -u -d '+100 days' +%Y%m%d%H%M%SZ)
issue sha1 "$S" "$E" leaf sha1
o genrsa -out "$T/rsa1024.key" 1024
KEY=$T/rsa1024.key issue rsa1024 "$S" "$E"
issue nosan "$S" "$E" leaf_nosan
o genrsa -out "$T/root.key" 2048
o req -new -x509 -sha1 -key "$T/root.key" -subj /CN=Old-Root -days 3650 -out "$dir/old-root.crt"
expect_eq "openssl: sha1.crt is signed with SHA-1" ecdsa-with-SHA1 \
	"$(openssl x509 -in "$dir/sha1.crt" -noout -text | sed -n 's/^ *Signature Algorithm: //p' | head -1)"
expect_eq "openssl: rsa1024.crt holds a 1024-bit key" "(1024 bit)" \
	"$(openssl x509 -in "$dir/rsa1024.crt" -noout -text | grep -o '(1024 bit)')"
expect_eq "openssl: old-root.crt is a CA" "CA:TRUE" "$(openssl x509 -in "$dir/old-root.crt" -noout -text | grep -o 'CA:TRUE')"
# RFC 5280 profile faults openssl writes when asked: serial 0, a 21-octet
# serial, an unknown extension marked critical (one key, one subject: the
# same certificate issued four ways is no key reuse)
o req -new -key "$T/leaf.key" -subj /CN=p.example -out "$T/p.csr"
printf 'subjectAltName = DNS:p.example\n' > "$T/p.ext"
printf 'subjectAltName = DNS:p.example\n1.3.6.1.4.1.55555.1 = critical,ASN1:NULL\n' > "$T/crit.ext"
pcert() { o x509 -req -in "$T/p.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -days 90 -set_serial "$2" -extfile "$T/$3" -out "$dir/$1.crt"; }
pcert serial0 0 p.ext
pcert serial21 0x7f0102030405060708090a0b0c0d0e0f1011121314 p.ext
pcert critical 77 crit.ext
pcert fine 78 p.ext
expect_eq "openssl: serial0.crt has serial 0" "serial=00" "$(openssl x509 -in "$dir/serial0.crt" -noout -serial)"
expect_eq "openssl: serial21.crt has a 21-octet serial" 42 "$(openssl x509 -in "$dir/serial21.crt" -noout -serial | sed 's/serial=//' | tr -d '\n' | wc -c)"
openssl x509 -in "$dir/critical.crt" -noout -text | grep -A1 "1.3.6.1.4.1.55555.1: critical" > /dev/null || fail "openssl: critical.crt has no critical 1.3.6.1.4.1.55555.1"
# purpose: by the role its path serves (client-* a client, *peer* both,
# else a server)
issue client "$S" "$E" leaf sha256 serverAuth          # serverAuth only, at a client path
issue peer "$S" "$E" leaf sha256 serverAuth            # a peer needs both
issue api-server "$S" "$E" leaf sha256 clientAuth      # clientAuth only, at a server path
issue client-ok "$S" "$E" leaf sha256 clientAuth
issue etcd-peer "$S" "$E" leaf sha256 serverAuth,clientAuth
expect_exit "strength" 1 "$CERTFLEET" scan --json "$T/k.json" --node n1 "$dir"
findings_are "weak keys, weak signatures, no SAN, profile faults" "$T/k.json" "check, path" \
	'{"check":"tls-sig-weak","path":"sha1.crt"}' \
	'{"check":"tls-key-weak","path":"rsa1024.crt"}' \
	'{"check":"tls-cert-no-san","path":"nosan.crt"}' \
	'{"check":"tls-cert-noncompliant","path":"serial0.crt"}' \
	'{"check":"tls-cert-noncompliant","path":"serial21.crt"}' \
	'{"check":"tls-cert-noncompliant","path":"critical.crt"}' \
	'{"check":"tls-chain-untrusted","path":"critical.crt"}' \
	'{"check":"tls-cert-purpose","path":"client.crt"}' \
	'{"check":"tls-cert-purpose","path":"peer.crt"}' \
	'{"check":"tls-cert-purpose","path":"api-server.crt"}'
# openssl refuses the unknown critical extension in a chain too
chain_oracle "strength" "$dir" n1 "$T/k.json"
expect_eq "the unknown critical extension named" 1 \
	"$(jq '[.findings[] | select(.path == "critical.crt" and (.message | contains("1.3.6.1.4.1.55555.1")))] | length' "$T/k.json")"

# --- key reuse -------------------------------------------------------------------------
# one key in certificates of two subjects; one key in node.crt (one
# subject, a certificate per node: a per-node path) of two nodes; a third
# node's of a key of its own; ca.crt, the same on every node, is no reuse
r=$T/reuse
mkdir -p "$r/a" "$r/b" "$r/c"
dir=$r/a
KEY=$T/shared.key issue www "$S" "$E"
KEY=$T/shared.key issue api "$S" "$E"
for nd in a b c; do
	dir=$r/$nd
	k=$T/node-shared.key
	[ $nd = c ] && k=$T/node-c.key
	KEY=$k issue node "$S" "$E"
	cp "$T/ca.crt" "$dir/ca.crt"
done
expect_eq "openssl: www.crt and api.crt hold one key" "$(openssl x509 -in "$r/a/www.crt" -noout -pubkey)" \
	"$(openssl x509 -in "$r/a/api.crt" -noout -pubkey)"
expect_exit "key reuse" 1 "$CERTFLEET" scan --fail-on warning --json "$T/r.json" "$r"
findings_are "key reuse" "$T/r.json" "check, node, path" \
	'{"check":"tls-key-reuse","node":"a","path":"www.crt"}' \
	'{"check":"tls-key-reuse","node":"a","path":"api.crt"}' \
	'{"check":"tls-key-reuse","node":"a","path":"node.crt"}' \
	'{"check":"tls-key-reuse","node":"b","path":"node.crt"}'
expect_eq "the per-node reuse says so" 2 \
	"$(jq '[.findings[] | select(.path == "node.crt" and (.message | contains("per-node path")))] | length' "$T/r.json")"
# --- chains, trust across nodes, expected names ------------------------------------------
# a root, an intermediate of it and a second intermediate of the same name
# with another key; a new root (a CA rotation); leaves issued by them with
# openssl x509 -req, each fault made on purpose:
#   n1 leaf + intermediate, the old root: trusted
#   n2 the leaf alone: the intermediate is nowhere (incomplete)
#   n3 a leaf of the new root, which only n3 carries: trusted on n3, refused by
#      the anchors of n1, n2, n4, n5 (trust split), and n1's by n3's
#   n4 intermediate before leaf (order)
#   n5 a leaf of the other intermediate, bundled with the first (bad signature)
#   n6 leaf + intermediate in order, but n1's name (a node carrying another's)
# and ca.crt differs on n3 from the others (tls-cert-mismatch)
c=$T/chains
mkdir -p "$c/n1" "$c/n2" "$c/n3" "$c/n4" "$c/n5" "$c/n6"
printf 'basicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n' > "$T/ca.ext"
mkroot() {     # NAME CN
	o ecparam -genkey -name prime256v1 -noout -out "$T/$1.key"
	o req -new -x509 -key "$T/$1.key" -subj "/CN=$2" -days 3650 -set_serial 1 -addext "basicConstraints=critical,CA:TRUE" -out "$T/$1.crt"
}
mkcert() {     # NAME CN ISSUER EXTFILE [DAYS]
	o ecparam -genkey -name prime256v1 -noout -out "$T/$1.key"
	o req -new -key "$T/$1.key" -subj "/CN=$2" -out "$T/$1.csr"
	o x509 -req -in "$T/$1.csr" -CA "$T/$3.crt" -CAkey "$T/$3.key" -days "${5:-300}" -set_serial "0x$(printf %s "$1" | od -An -tx1 | tr -d ' \n')" -extfile "$T/$4" -out "$T/$1.crt"
}
mkroot old Chain-Root
mkroot new Chain-Root-2026
mkcert int "Chain Intermediate" old ca.ext 1000      # outlives its leaves
mkcert int-b "Chain Intermediate" old ca.ext 1000
for nd in n1 n2 n3 n4 n5; do
	printf 'subjectAltName = DNS:%s.fleet.example\n' "$nd" > "$T/leaf-$nd.ext"
done
printf 'subjectAltName = DNS:n1.fleet.example\n' > "$T/leaf-n6.ext"        # n1's name on n6
mkcert l1 n1.fleet.example int leaf-n1.ext
mkcert l2 n2.fleet.example int leaf-n2.ext
mkcert l3 n3.fleet.example new leaf-n3.ext
mkcert l4 n4.fleet.example int leaf-n4.ext
mkcert l5 n5.fleet.example int-b leaf-n5.ext
mkcert l6 n1.fleet.example int leaf-n6.ext
cat "$T/l1.crt" "$T/int.crt" > "$c/n1/node.crt"
cat "$T/l2.crt" > "$c/n2/node.crt"
cat "$T/l3.crt" > "$c/n3/node.crt"
cat "$T/int.crt" "$T/l4.crt" > "$c/n4/node.crt"
cat "$T/l5.crt" "$T/int.crt" > "$c/n5/node.crt"
cat "$T/l6.crt" "$T/int.crt" > "$c/n6/node.crt"
for nd in n1 n2 n4 n5 n6; do cp "$T/old.crt" "$c/$nd/ca.crt"; done
cp "$T/new.crt" "$c/n3/ca.crt"
# openssl's verdicts on the faults, before the scan's
openssl verify -CAfile "$T/old.crt" -untrusted "$T/int.crt" "$T/l5.crt" > /dev/null 2>&1 &&
	fail "openssl: l5 verifies with the other intermediate"
openssl verify -CAfile "$T/old.crt" "$T/l3.crt" > /dev/null 2>&1 && fail "openssl: l3 verifies with the old root"
openssl verify -CAfile "$T/new.crt" -untrusted "$T/int.crt" "$T/l1.crt" > /dev/null 2>&1 &&
	fail "openssl: l1 verifies with the new root"
o verify -CAfile "$T/new.crt" "$T/l3.crt"
o verify -CAfile "$T/old.crt" -untrusted "$T/int.crt" "$T/l1.crt"
expect_exit "chains" 1 "$CERTFLEET" scan --json "$T/c.json" --expect-name 'node.crt={node}.fleet.example' "$c"
findings_are "chains, trust split, names" "$T/c.json" "check, node, path, index" \
	'{"check":"tls-chain-incomplete","node":"n2","path":"node.crt","index":0}' \
	'{"check":"tls-trust-split","node":"n3","path":"node.crt","index":0}' \
	'{"check":"tls-cert-mismatch","node":"n3","path":"ca.crt","index":0}' \
	'{"check":"tls-chain-order","node":"n4","path":"node.crt","index":1}' \
	'{"check":"tls-chain-bad-signature","node":"n5","path":"node.crt","index":0}' \
	'{"check":"tls-cert-name-mismatch","node":"n6","path":"node.crt","index":0}'
# the split is the minority's (n3 alone on the new root): the majority's
# nodes get no finding, n3's names them
expect_eq "the split names the largest group" "5 of 6 nodes: n1, n2, n4 and 2 more" \
	"$(jq -r '.findings[] | select(.check == "tls-trust-split" and .node == "n3") | .message' "$T/c.json" | sed 's/.*carries (\([^)]*\)).*/\1/')"
for nd in n1 n2 n3 n4 n5 n6; do chain_oracle "chains" "$c/$nd" "$nd" "$T/c.json"; done
# --trust: the intermediate given as an anchor completes n2's chain
expect_exit "--trust an intermediate" 0 "$CERTFLEET" scan --json "$T/t.json" --trust "$T/int.crt" --node n2 "$c/n2"
expect_eq "n2 trusted with --trust" 0 "$(jq '.findings | length' "$T/t.json")"
expect_exit "--trust a folder" 0 "$CERTFLEET" scan --quiet --trust "$c/n1" --node n2 "$c/n2"
expect_exit "--trust nothing" 2 "$CERTFLEET" scan --trust "$T/nowhere" --node n2 "$c/n2"
grep -q "trust.*nowhere" "$T/err" || fail "--trust nothing: no clear error"
expect_exit "--expect-name without =" 2 "$CERTFLEET" scan --expect-name node.crt "$c"
# a node without an anchor is named, not judged
mkdir -p "$T/noca/n1"
cp "$c/n1/node.crt" "$T/noca/n1/"
expect_exit "no anchor" 0 "$CERTFLEET" scan --json "$T/nc.json" "$T/noca"
expect_eq "no anchor: one skip names the node" "(chains) n1" \
	"$(jq -r '.skipped[] | "\(.path) \(.node)"' "$T/nc.json")"

# --- links alike -------------------------------------------------------------------------
# A fleet's links are alike (one root, one kind of leaf): once GnuTLS has
# accepted one, the others of its kind only have their signatures checked,
# by OpenSSL. Six leaves of one root, then three of the same root each
# unlike them in one way: a signature altered in the file (the low bit of
# its last octet), an authorityKeyIdentifier naming another key, an unknown
# critical extension. Each verdict is openssl verify's, with one thread
# and with two.
a=$T/alike/n1
mkdir -p "$a"
cp "$T/old.crt" "$a/ca.crt"
openssl x509 -in "$T/old.crt" -noout -text | grep -q "Subject Key Identifier" ||
	fail "openssl: the root has no subjectKeyIdentifier (the AKI case needs one)"
printf 'subjectAltName = DNS:alike.example\nauthorityKeyIdentifier = keyid\n' > "$T/alike.ext"
for i in 1 2 3 4 5 6 7; do
	mkcert "alike$i" "alike$i.example" old alike.ext
	cp "$T/alike$i.crt" "$a/a$i.crt"
done
flip() {       # IN OUT: certificate IN with the low bit of its last octet (the signature's) flipped
	o x509 -in "$1" -outform DER -out "$T/flip.der"
	n=$(wc -c < "$T/flip.der")
	last=$(tail -c 1 "$T/flip.der" | od -An -tu1 | tr -d ' ')
	{ head -c $((n - 1)) "$T/flip.der"; printf "\\$(printf %03o $((last ^ 1)))"; } > "$T/flipped.der"
	o x509 -inform DER -in "$T/flipped.der" -out "$2"
}
flip "$T/alike7.crt" "$a/z-badsig.crt"
printf 'subjectAltName = DNS:alike.example\n2.5.29.35 = DER:30:16:80:14:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:11:12:13:14\n' > "$T/aki.ext"
mkcert alike-aki alike-aki.example old aki.ext
cp "$T/alike-aki.crt" "$a/z-aki.crt"
printf 'subjectAltName = DNS:alike.example\nauthorityKeyIdentifier = keyid\n1.3.6.1.4.1.55555.2 = critical,DER:05:00\n' > "$T/crit.ext"
mkcert alike-crit alike-crit.example old crit.ext
cp "$T/alike-crit.crt" "$a/z-crit.crt"
o verify -CAfile "$T/old.crt" "$a/a1.crt"
for f in z-badsig z-aki z-crit; do
	openssl verify -CAfile "$T/old.crt" "$a/$f.crt" > /dev/null 2>&1 && fail "openssl: $f verifies"
done
for j in 1 2; do
	expect_exit "links alike, --jobs $j" 1 "$CERTFLEET" scan --jobs $j --json "$T/alike$j.json" "$T/alike"
	findings_are "links alike, --jobs $j" "$T/alike$j.json" "check, path" \
		'{"check":"tls-chain-bad-signature","path":"z-badsig.crt"}' \
		'{"check":"tls-chain-bad-signature","path":"z-aki.crt"}' \
		'{"check":"tls-chain-untrusted","path":"z-crit.crt"}' \
		'{"check":"tls-cert-noncompliant","path":"z-crit.crt"}'
	chain_oracle "links alike, --jobs $j" "$a" n1 "$T/alike$j.json"
done
# the same with an RSA 2048 root (sha256WithRSAEncryption): seven leaves,
# the last one's signature altered
r=$T/alike-rsa/n1
mkdir -p "$r"
o req -x509 -newkey rsa:2048 -nodes -keyout "$T/rsaroot.key" -subj /CN=Alike-RSA-Root -days 3650 -set_serial 1 \
	-addext "basicConstraints=critical,CA:TRUE" -out "$T/rsaroot.crt"
cp "$T/rsaroot.crt" "$r/ca.crt"
for i in 1 2 3 4 5 6 7; do
	mkcert "ralike$i" "ralike$i.example" rsaroot alike.ext
	cp "$T/ralike$i.crt" "$r/a$i.crt"
done
flip "$T/ralike7.crt" "$r/z-badsig.crt"
openssl x509 -in "$r/a1.crt" -noout -text | grep -q "sha256WithRSAEncryption" || fail "openssl: the RSA root signs otherwise"
openssl verify -CAfile "$T/rsaroot.crt" "$r/z-badsig.crt" > /dev/null 2>&1 && fail "openssl: the altered RSA leaf verifies"
# one_finding WHAT FLEET NODE_DIR CHECK PATH: at --jobs 1 and 2, the one
# finding of the scan of FLEET is CHECK on PATH; openssl verify agrees on
# every file of NODE_DIR (node n1)
one_finding() {
	for j in 1 2; do
		expect_exit "$1, --jobs $j" 1 "$CERTFLEET" scan --jobs $j --json "$T/one$j.json" "$2"
		findings_are "$1, --jobs $j" "$T/one$j.json" "check, path" "{\"check\":\"$4\",\"path\":\"$5\"}"
		chain_oracle "$1, --jobs $j" "$3" n1 "$T/one$j.json"
	done
}
one_finding "RSA links alike" "$T/alike-rsa" "$r" tls-chain-bad-signature z-badsig.crt
# a root with name constraints holds each leaf to them, whatever the
# leaves before it: three leaves within alike.example, then one outside
nc=$T/alike-nc/n1
mkdir -p "$nc"
o ecparam -genkey -name prime256v1 -noout -out "$T/ncroot.key"
o req -new -x509 -key "$T/ncroot.key" -subj /CN=Alike-NC-Root -days 3650 -set_serial 1 \
	-addext "basicConstraints=critical,CA:TRUE" -addext "nameConstraints=critical,permitted;DNS:alike.example" \
	-out "$T/ncroot.crt"
cp "$T/ncroot.crt" "$nc/ca.crt"
for i in 1 2 3; do
	printf 'subjectAltName = DNS:n%s.alike.example\nauthorityKeyIdentifier = keyid\n' "$i" > "$T/nc$i.ext"
	mkcert "nclike$i" "n$i.alike.example" ncroot "nc$i.ext"
	cp "$T/nclike$i.crt" "$nc/a$i.crt"
done
printf 'subjectAltName = DNS:evil.example\nauthorityKeyIdentifier = keyid\n' > "$T/ncout.ext"
mkcert ncout evil.example ncroot ncout.ext
cp "$T/ncout.crt" "$nc/z-outside.crt"
o verify -CAfile "$T/ncroot.crt" "$nc/a1.crt"
openssl verify -CAfile "$T/ncroot.crt" "$nc/z-outside.crt" > /dev/null 2>&1 && fail "openssl: the leaf outside the constraints verifies"
one_finding "name-constrained links" "$T/alike-nc" "$nc" tls-chain-untrusted z-outside.crt
expect_eq "the AKI that names another key is said" 1 \
	"$(jq '[.findings[] | select(.path == "z-aki.crt" and (.message | contains("authorityKeyIdentifier another key")))] | length' "$T/alike1.json")"
# libcrypto reads no configuration file (one may load modules): OPENSSL_CONF
# names a FIFO nobody writes to, which would hold the scan if it were opened
mkfifo "$T/openssl.cnf"
expect_exit "OPENSSL_CONF is not read" 1 env OPENSSL_CONF="$T/openssl.cnf" timeout 300 \
	"$CERTFLEET" scan --json "$T/conf.json" "$T/alike"
[ "$(findings_of "$T/conf.json")" = "$(findings_of "$T/alike1.json")" ] || fail "OPENSSL_CONF set: other findings"
expect_eq "the altered signature is said" 1 \
	"$(jq '[.findings[] | select(.path == "z-badsig.crt" and (.message | contains("does not verify")))] | length' "$T/alike1.json")"

# --- certfleet-gen's trust faults, judged by two independent verifiers -----------------
# a fleet with an intermediate and every trust fault, generated at the
# clock (certtool checks time, and cannot be told not to); expected.json
# says what each fault must raise; per node, openssl verify and certtool
# --verify (GnuTLS's command-line verifier) agree with every chain verdict
need certtool
faults=sha1@n01,ca-rotated@n02,missing-intermediate@n03,order@n04,wrong-name@n05,weak-key@n06,key-reuse@n07
"$CERTFLEET_GEN" fleet "$T/gf" --nodes 8 --intermediate --faults "$faults" > /dev/null || fail "gen trust faults"
en=$(jq -r '.expect_name' "$T/gf/expected.json")
expect_eq "expected.json names the template" "*/node.*={node}.fleet.example" "$en"
expect_exit "generated trust faults" 1 "$CERTFLEET" scan --json "$T/gf.json" --expect-name "$en" "$T/gf"
expected_of "$T/gf/expected.json" > "$T/expected"
expected_of "$T/gf.json" > "$T/got"
same_findings "certfleet-gen trust faults" "$T/expected" "$T/got"
for c in tls-sig-weak tls-trust-split tls-chain-incomplete tls-chain-order tls-cert-name-mismatch tls-key-weak tls-key-reuse; do
	grep -q "\"$c\"" "$T/expected" || fail "expected.json lacks $c"
done
ok
for nd in $(cd "$T/gf" && ls -d n0*); do
	chain_oracle "generated" "$T/gf/$nd" "$nd" "$T/gf.json" > /dev/null
	# certtool: the file and the node's other certificates as the chain
	# (it sorts them), the node's CA certificates as the trusted set
	d=$T/gf/$nd/etc/tls
	cat "$d"/ca*.crt > "$T/ct-anchors.pem"
	for f in node.crt server.crt; do
		[ -f "$d/$f" ] || continue
		cat "$d/$f" "$d/server.crt" > "$T/ct-chain.pem"
		if certtool --verify --verify-allow-broken --load-ca-certificate "$T/ct-anchors.pem" \
			--infile "$T/ct-chain.pem" 2>&1 | grep -q "^Chain verification output: Verified"; then
			want=ok
		else
			want=fails
		fi
		got=$(jq -r --arg nd "$nd" --arg p "etc/tls/$f" '[.findings[] | select(.node == $nd and .path == $p and
			(.check | test("^tls-chain-(incomplete|untrusted|bad-signature)$")))] |
			if length > 0 then "fails" else "ok" end' "$T/gf.json")
		[ "$want" = "$got" ] || fail "certtool: $nd/$f: certtool says $want, the scan $got"
	done
done
ok
# the split, as openssl sees it: n02's leaf (new CA) fails with n01's
# anchors, n01's passes with n02's (which hold the old CA too)
openssl verify -CAfile "$T/gf/n01/etc/tls/ca.crt" "$T/gf/n02/etc/tls/node.crt" > /dev/null 2>&1 &&
	fail "openssl: n02's leaf verifies with n01's anchors"
cat "$T/gf/n02/etc/tls/ca.crt" "$T/gf/n02/etc/tls/ca-new.crt" > "$T/n02-anchors.pem"
awk '/BEGIN/ { n++ } n == 2' "$T/gf/n01/etc/tls/node.crt" > "$T/n01-mid.pem"
o verify -CAfile "$T/n02-anchors.pem" -untrusted "$T/n01-mid.pem" "$T/gf/n01/etc/tls/node.crt"
# the same faults in every archive format and in Kubernetes dumps
for fmt in mixed k8s; do
	"$CERTFLEET_GEN" fleet "$T/gf-$fmt" --nodes 8 --intermediate --format "$fmt" --faults "$faults" > /dev/null ||
		fail "gen $fmt"
	"$CERTFLEET" scan --json "$T/gf-$fmt.json" --expect-name "$(jq -r '.expect_name' "$T/gf-$fmt/expected.json")" \
		--quiet "$T/gf-$fmt"
	expected_of "$T/gf-$fmt/expected.json" > "$T/expected"
	expected_of "$T/gf-$fmt.json" > "$T/got"
	same_findings "trust faults, $fmt" "$T/expected" "$T/got"
done
# --system-trust: the system store's certificates are a node's anchors too
# (so a node without a CA file is chain-checked): as many as the bundle
# ca-certificates writes holds
sys=$(grep -c "BEGIN CERTIFICATE" /etc/ssl/certs/ca-certificates.crt)
mkdir -p "$T/sys/n1"
cp "$T/gf/n08/etc/tls/node.crt" "$T/sys/n1/"
expect_exit "--system-trust" 1 "$CERTFLEET" scan --system-trust --json "$T/sys.json" "$T/sys"
expect_eq "--system-trust: the fleet CA is no system anchor" "tls-chain-incomplete 1" \
	"$(jq -r '[.findings[] | .check] | join(" ")' "$T/sys.json") $(jq --arg n "among its $sys anchors" '[.findings[] | select(.message | contains($n))] | length' "$T/sys.json")"
expect_exit "--system-trust and the CA" 0 "$CERTFLEET" scan --system-trust --trust "$T/gf/n01/etc/tls/ca.crt" --quiet "$T/sys"
# --ca-key rsa: the fleet CA's key is RSA 2048 (as openssl reads it), and a
# fleet without faults has no finding
"$CERTFLEET_GEN" fleet "$T/gf-rsa" --nodes 3 --ca-key rsa > /dev/null || fail "gen --ca-key rsa"
expect_eq "openssl: the CA's key" "Public-Key: (2048 bit) rsaEncryption" \
	"$(openssl x509 -in "$T/gf-rsa/n01/etc/tls/ca.crt" -noout -text | grep -o 'Public-Key: (2048 bit)\|rsaEncryption' | sort -u | tr '\n' ' ' | sed 's/ $//')"
expect_exit "an RSA CA's fleet" 0 "$CERTFLEET" scan --json "$T/gf-rsa.json" "$T/gf-rsa"
expect_eq "an RSA CA's fleet: no finding" 0 "$(jq '.findings | length' "$T/gf-rsa.json")"
expect_exit "--ca-key ed448" 2 "$CERTFLEET_GEN" fleet "$T/gf-x" --nodes 2 --ca-key ed448
expect_exit "--intermediate and p12" 2 "$CERTFLEET_GEN" fleet "$T/gf-p12" --nodes 2 --intermediate --format p12
expect_exit "order without --intermediate" 2 "$CERTFLEET_GEN" fleet "$T/gf-x" --nodes 2 --faults order@n01

done_ok
