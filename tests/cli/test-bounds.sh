#!/bin/sh
# Hostile inputs of a few hundred bytes to a few MB, each once a stall or
# gigabytes (tests/cli/mkbounds.py makes them): each is read within its
# bounds, with a finding that says what was refused, and the peak memory
# of the scan stays under 300 MiB (GNU time's maximum resident set). The
# time limit below only keeps a regression from hanging the suite: speed
# is measured by tests/bench, not here.
. "$(dirname "$0")/lib.sh"
need jq python3 openssl
mk() { "$TOOL_python3" "$SRC/tests/cli/mkbounds.py" "$@" || fail "mkbounds $*"; }
# bounded WHAT JSON INPUT...: scan (JSON report to JSON), peak RSS < 300 MiB
bounded() {
	b_what=$1 b_json=$2
	shift 2
	timeout 300 /usr/bin/time -f %M -o "$T/rss" "$CERTFLEET" scan --now "$NOW" --node hostile \
		--json "$b_json" "$@" > "$T/out" 2>&1
	rc=$?
	[ $rc -le 1 ] || { cat "$T/out" >&2; fail "$b_what: exit $rc"; }
	ok
	kb=$(tail -n 1 "$T/rss")
	[ "$kb" -lt 307200 ] || fail "$b_what: peak RSS $kb KiB, over 300 MiB"
	ok
}
# count_of CHECK JSON: how many findings of CHECK
count_of() { jq --arg c "$1" '[.findings[] | select(.check == $c)] | length' "$2"; }

# a .der of 1,000,000 empty members: 100 findings and one counting the rest
mk der-empties "$T/empties.der" 1000000
bounded "1M DER members" "$T/d.json" "$T/empties.der"
expect_eq "1M DER members: 101 tls-cert-invalid" 101 "$(count_of tls-cert-invalid "$T/d.json")"
jq -r '.findings[] | .message' "$T/d.json" | grep -q "and 999900 more tls-cert-invalid findings" ||
	fail "1M DER members: no finding counts the rest"
ok
# the same inside a tar.gz (a few KB)
mkdir -p "$T/tgz"
cp "$T/empties.der" "$T/tgz/empties.der"
tar -C "$T/tgz" -czf "$T/empties.tar.gz" empties.der
expect_eq "the tar.gz is small" 1 "$(($(wc -c < "$T/empties.tar.gz") < 65536))"
bounded "1M DER members in a tar.gz" "$T/t.json" "$T/empties.tar.gz"
expect_eq "1M DER members in a tar.gz: 101 tls-cert-invalid" 101 "$(count_of tls-cert-invalid "$T/t.json")"
# a PKCS#7 with 1,000,000 empty certificates
mk p7-empties "$T/empties.p7b" 1000000
bounded "PKCS#7 of 1M empty certificates" "$T/p.json" "$T/empties.p7b"
expect_eq "PKCS#7 of 1M empties: 101 tls-cert-invalid" 101 "$(count_of tls-cert-invalid "$T/p.json")"
# a JKS of 200,000 empty trusted-certificate entries
mk jks-empties "$T/empties.jks" 200000
bounded "JKS of 200,000 empty entries" "$T/j.json" "$T/empties.jks"
expect_eq "JKS of 200,000 empties: at most 101 tls-cert-invalid" 1 \
	"$(($(count_of tls-cert-invalid "$T/j.json") <= 101))"
# a PKCS#7 of 20,000 certificates: every one audited, in one walk
o ecparam -genkey -name prime256v1 -noout -out "$T/k.pem"
o req -x509 -new -key "$T/k.pem" -subj /CN=bundle -days 30 -out "$T/c.pem"
mk repeat "$T/many.pem" 20000 "$T/c.pem"
o crl2pkcs7 -nocrl -certfile "$T/many.pem" -outform DER -out "$T/many.p7b"
bounded "PKCS#7 of 20,000 certificates" "$T/m.json" "$T/many.p7b"
expect_eq "PKCS#7 of 20,000: every certificate audited" 20000 "$(jq .summary.certificates "$T/m.json")"
# PKCS#12 bags past the 32 elements GnuTLS reads of one: 2,000
# certificates in one clear bag (openssl -certpbe NONE -nomac), 40 in an
# encrypted one; what was not read is said, and a bag of exactly 32 is fine
# (2,000: GnuTLS's tree of a PKCS#12 is ten times the file, and under
# AddressSanitizer 20,000 peaked at 375 MiB; the README has the figures)
awk '/BEGIN CERT/ { n++ } n <= 2000' "$T/many.pem" > "$T/c2000.pem"
o pkcs12 -export -in "$T/c2000.pem" -nokeys -nomac -certpbe NONE -passout pass: -out "$T/many.p12"
bounded "PKCS#12 of 2,000 certificates in one bag" "$T/p12.json" "$T/many.p12"
expect_eq "PKCS#12 of 2,000: the 1,968 GnuTLS skips are said" 1 \
	"$(jq '[.findings[] | select(.check == "tls-input-unreadable" and (.message | contains("a bag of 2000 elements") and contains("the other 1968")))] | length' "$T/p12.json")"
awk '/BEGIN CERT/ { n++ } n <= 40' "$T/many.pem" > "$T/c40.pem"
awk '/BEGIN CERT/ { n++ } n <= 32' "$T/many.pem" > "$T/c32.pem"
echo right > "$T/pw-p12"
chmod 600 "$T/pw-p12"
for k in 40 32; do
	o pkcs12 -export -in "$T/c$k.pem" -nokeys -passout pass:right -out "$T/e$k.p12"
	bounded "PKCS#12, $k certificates in an encrypted bag" "$T/e$k.json" --password-file "$T/pw-p12" "$T/e$k.p12"
done
expect_eq "encrypted bag of 40: the other 8 said" 1 \
	"$(jq '[.findings[] | select(.check == "tls-input-unreadable" and (.message | contains("the other 8")))] | length' "$T/e40.json")"
expect_eq "encrypted bag of 32: all audited, nothing said" "32 0" \
	"$(jq -r '"\(.summary.certificates) \([.findings[] | select(.check == "tls-input-unreadable")] | length)"' "$T/e32.json")"
# a PKCS#7 in BER (openssl cms -stream: indefinite lengths), as NSS writes
# them: its certificates are audited as openssl lists them
o req -x509 -new -key "$T/k.pem" -subj /CN=other -days 30 -out "$T/o.pem"
echo hello > "$T/msg"
o cms -sign -in "$T/msg" -signer "$T/c.pem" -inkey "$T/k.pem" -certfile "$T/o.pem" -outform DER -stream \
	-nodetach -out "$T/ber.p7b"
expect_eq "openssl: the BER bundle starts 30 80" "3080" "$(head -c 2 "$T/ber.p7b" | od -An -tx1 | tr -d ' \n')"
want=$(openssl pkcs7 -inform DER -in "$T/ber.p7b" -print_certs -noout | grep -c '^subject')
bounded "PKCS#7 in BER" "$T/b.json" "$T/ber.p7b"
expect_eq "PKCS#7 in BER: the certificates openssl lists" "$want" "$(jq .summary.certificates "$T/b.json")"
expect_eq "PKCS#7 in BER: no tls-cert-invalid" 0 "$(count_of tls-cert-invalid "$T/b.json")"
# YAML and JSON dumps nested 200,000 deep (400 KB), and a List whose Secret
# (a 1 MiB value) 3,000 aliases name again: refused before libyaml builds
# the document, with the line
mk yaml-deep "$T/deep.yaml" 200000
mk json-deep "$T/deep.json" 200000
mk yaml-aliases "$T/aliases.yaml" 3000
for f in deep.yaml deep.json aliases.yaml; do
	bounded "$f" "$T/y.json" "$T/$f"
	expect_eq "$f: one tls-input-unreadable" 1 "$(count_of tls-input-unreadable "$T/y.json")"
done
jq -r '.findings[] | .message' "$T/y.json" | grep -q "a YAML alias (\*s) at line" || fail "aliases: not said"
ok
# a .yaml that claims no Kubernetes kind is not parsed as a dump at all
head -c 300000 "$T/deep.yaml" | sed 1,3d > "$T/plain.yaml"
bounded "plain.yaml" "$T/y.json" "$T/plain.yaml"
expect_eq "plain.yaml: no finding" 0 "$(jq '[.findings[] | select(.check != "tls-input-empty")] | length' "$T/y.json")"
# symbolic links inside the INPUT forming a DAG: 12 levels of two links
# each over a folder of 50 certificates (92 entries); what links lead to
# is read once per node, so the scan costs what its real files cost
D=$T/dag/n1
mkdir -p "$D/d0"
i=0
while [ $i -lt 50 ]; do cp "$T/c.pem" "$D/d0/c$i.pem"; i=$((i + 1)); done
l=1
while [ $l -le 12 ]; do
	mkdir "$D/d$l"
	ln -s "../d$((l - 1))" "$D/d$l/a"
	ln -s "../d$((l - 1))" "$D/d$l/b"
	l=$((l + 1))
done
bounded "a DAG of links" "$T/dag.json" "$D"
files=$(jq .summary.files "$T/dag.json")
expect_eq "a DAG of links: at most two paths per real file" 1 "$((files <= 100))"
expect_eq "a DAG of links: what was not read again is listed" 1 \
	"$(($(jq '[.skipped[] | select(.reason | contains("already read through another link"))] | length' "$T/dag.json") > 0))"
# a PKCS#12 whose MacData asks 2^31-1 iterations (1 KB), and encrypted
# PKCS#8 keys asking 10,000,000 (with a password to try): refused before
# any key derivation, the cap named
o pkcs12 -export -in "$T/c.pem" -inkey "$T/k.pem" -passout pass: -out "$T/ok.p12"
mk p12-maciter "$T/mac.p12" 2147483647 "$T/ok.p12"
# (read with asn1parse: openssl pkcs12 would spend minutes on the MAC)
expect_eq "openssl: mac.p12's last INTEGER (the MAC iterations) is 2^31-1" 7FFFFFFF \
	"$(openssl asn1parse -inform DER -in "$T/mac.p12" | tail -n 1 | sed 's/.*INTEGER *://')"
bounded "PKCS#12 MAC of 2^31-1 iterations" "$T/mac.json" "$T/mac.p12"
jq -r '.findings[] | select(.check == "tls-input-unreadable") | .message' "$T/mac.json" |
	grep -q "asks for 2147483647 iterations of key derivation, over the 4194304" || fail "mac.p12: not said"
ok
o pkcs8 -topk8 -in "$T/k.pem" -v2 aes-256-cbc -iter 2048 -passout pass:wrong -outform DER -out "$T/k8.der"
mk iter "$T/k8-10m.der" 10000000 "$T/k8.der"
mkdir -p "$T/keys"
i=0
while [ $i -lt 40 ]; do cp "$T/k8-10m.der" "$T/keys/k$i.key"; i=$((i + 1)); done
echo secret > "$T/pw"
chmod 600 "$T/pw"
bounded "40 keys of 10M iterations" "$T/keys.json" --password-file "$T/pw" "$T/keys"
expect_eq "40 keys of 10M iterations: each refused, the cap named" 40 \
	"$(jq '[.findings[] | select(.check == "tls-input-unreadable" and (.message | contains("asks for 10000000 iterations")))] | length' "$T/keys.json")"
# the scan's key derivation budget (--max-kdf-work, default 2^26
# iterations): 4 PEM bundles of 40 to 43 keys asking 4,194,304 (2^22,
# just under the cap for one) with a wrong password: 2^26 / 2^22 = 16
# tries in all, in commit order; the 17th key of the first bundle and the
# first of each other are refused, the budget named
mk iter "$T/k8-4m.der" 4194304 "$T/k8.der"
mkdir -p "$T/budget"
pem_key() {
	printf -- '-----BEGIN ENCRYPTED PRIVATE KEY-----\n'
	base64 -w 64 "$1"
	printf -- '-----END ENCRYPTED PRIVATE KEY-----\n'
}
for f in 1 2 3 4; do
	i=0
	while [ $i -lt $((39 + f)) ]; do pem_key "$T/k8-4m.der"; i=$((i + 1)); done > "$T/budget/b$f.pem"
done
echo wrong > "$T/pw-wrong"
chmod 600 "$T/pw-wrong"
bounded "4 bundles of 40 keys at 2^22 iterations" "$T/budget.json" --password-file "$T/pw-wrong" "$T/budget"
expect_eq "the budget: refused where 16 tries are spent" "b1.pem:16 b2.pem:0 b3.pem:0 b4.pem:0" \
	"$(jq -r '[.findings[] | select(.check == "tls-input-unreadable" and (.message | contains("--max-kdf-work, 67108864 iterations"))) | "\(.path):\(.index)"] | join(" ")' "$T/budget.json")"
# with the right password, each key costs one derivation of 100,000
# iterations: a budget of 450,000 decrypts a.pem's key and the first three
# of b.pem's eight (each then a tls-key-mismatch: the key is not the
# certificate's); b.pem's fourth and c.pem's first are refused; d.pem, the
# bytes of a.pem, is decoded once with them and costs nothing more
o ecparam -genkey -name prime256v1 -noout -out "$T/k2.pem"
o pkcs8 -topk8 -in "$T/k2.pem" -v2 aes-256-cbc -iter 100000 -passout pass:right -out "$T/e.pem"
mkdir -p "$T/kdf/n1"
cat "$T/c.pem" "$T/e.pem" > "$T/kdf/n1/a.pem"
{ cat "$T/c.pem"; for i in 1 2 3 4 5 6 7 8; do cat "$T/e.pem"; done; } > "$T/kdf/n1/b.pem"
cat "$T/c.pem" "$T/e.pem" "$T/e.pem" > "$T/kdf/n1/c.pem"
cp "$T/kdf/n1/a.pem" "$T/kdf/n1/d.pem"
echo right > "$T/pw-right"
chmod 600 "$T/pw-right"
kdf_scan() { "$CERTFLEET" scan --now "$NOW" --quiet --password-file "$T/pw-right" "$@"; }
kdf_scan --max-kdf-work 450000 --jobs 1 --json "$T/kdf.json" "$T/kdf" > /dev/null
expect_eq "450,000 iterations: four keys decrypted" "a.pem:1 b.pem:1 b.pem:2 b.pem:3 d.pem:1" \
	"$(jq -r '[.findings[] | select(.check == "tls-key-mismatch") | "\(.path):\(.index)"] | join(" ")' "$T/kdf.json")"
expect_eq "450,000 iterations: the rest refused, the budget named" "b.pem:4 c.pem:1" \
	"$(jq -r '[.findings[] | select(.check == "tls-input-unreadable" and (.message | contains("--max-kdf-work, 450000"))) | "\(.path):\(.index)"] | join(" ")' "$T/kdf.json")"
# what is tried does not depend on --jobs: 30 nodes of 1 to 5 keys (90,
# each file's bytes its own: a comment line after them), a budget of 30
# derivations and a half, 20 scans each at --jobs 2 and 8 give the bytes
# of --jobs 1
n=1
while [ $n -le 30 ]; do
	mkdir -p "$T/kdf30/n$n"
	{ cat "$T/c.pem"; i=0; while [ $i -le $((n % 5)) ]; do cat "$T/e.pem"; i=$((i + 1)); done; echo "# $n"; } \
		> "$T/kdf30/n$n/tls.pem"
	n=$((n + 1))
done
kdf_scan --max-kdf-work 3050000 --jobs 1 --json "$T/kdf30.json" "$T/kdf30" > /dev/null
expect_eq "30 nodes: 30 keys decrypted" 30 "$(count_of tls-key-mismatch "$T/kdf30.json")"
expect_eq "30 nodes: 20 files refused" 20 "$(count_of tls-input-unreadable "$T/kdf30.json")"
for j in 2 8; do
	r=0
	while [ $r -lt 20 ]; do
		kdf_scan --max-kdf-work 3050000 --jobs $j --json "$T/kdf30-$j.json" "$T/kdf30" > /dev/null
		cmp -s "$T/kdf30.json" "$T/kdf30-$j.json" || fail "--max-kdf-work at --jobs $j: run $r differs"
		r=$((r + 1))
	done
	ok
done
done_ok
