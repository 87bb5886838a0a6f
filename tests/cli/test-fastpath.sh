#!/bin/sh
# The fast path of chain verification (a link of a kind GnuTLS accepted has
# only its signature checked by libcrypto) judged by the oracles: one root,
# six good leaves of one kind, and a mutant that alters one field of the
# link's class (signature, authorityKeyIdentifier: another key, a high-tag
# form, the right one; an unknown critical extension; the signature's hash; the
# key's type and curve; the issuer re-keyed under the same name). Each
# mutant is put before the good leaves and after them (file order), and
# scanned at --jobs 1 and 2; where openssl verify and certtool --verify
# agree, the scan's verdict on the mutant is theirs.
. "$(dirname "$0")/lib.sh"
need jq openssl certtool
o ecparam -genkey -name prime256v1 -noout -out "$T/root.key"
o req -x509 -new -key "$T/root.key" -subj /CN=Fast-Root -days 3650 -addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign" -addext "subjectKeyIdentifier=hash" -out "$T/root.crt"
o ecparam -genkey -name prime256v1 -noout -out "$T/root2.key"
o req -x509 -new -key "$T/root2.key" -subj /CN=Fast-Root -days 3650 -addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign" -addext "subjectKeyIdentifier=hash" -out "$T/root2.crt"
n=0
# mint NAME KEYSPEC EXTRA [CA] [MD]: a leaf signed by CA (root), the key made by KEYSPEC
mint() {
	n=$((n + 1))
	case $2 in
	p256) o ecparam -genkey -name prime256v1 -noout -out "$T/$1.key" ;;
	p384) o ecparam -genkey -name secp384r1 -noout -out "$T/$1.key" ;;
	rsa) o genrsa -out "$T/$1.key" 2048 ;;
	esac
	o req -new -key "$T/$1.key" -subj "/CN=$1.fast.example" -out "$T/$1.csr"
	printf 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:%s.fast.example\n%b' "$1" "$3" > "$T/$1.ext"
	o x509 -req -in "$T/$1.csr" -CA "$T/${4:-root}.crt" -CAkey "$T/${4:-root}.key" -days 300 -set_serial "$((1000 + n))" \
		-"${5:-sha256}" -extfile "$T/$1.ext" -out "$T/$1.crt"
}
# the good leaves carry no authorityKeyIdentifier: a mutant whose AKI
# certfleet's DER reader cannot read looked like them
for i in 1 2 3 4 5 6; do mint "good$i" p256 "authorityKeyIdentifier=none\n"; done
mint m-aki-other p256 "authorityKeyIdentifier=none\n2.5.29.35=DER:30:16:80:14:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:11:12:13:14\n"
mint m-aki-hightag p256 "authorityKeyIdentifier=none\n2.5.29.35=DER:30:17:9f:00:14:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:11:12:13:14\n"
mint m-aki-keyid p256 "authorityKeyIdentifier=keyid\n"
mint m-crit p256 "authorityKeyIdentifier=none\n1.3.6.1.4.1.55555.3=critical,DER:05:00\n"
mint m-sha384 p256 "authorityKeyIdentifier=none\n" root sha384
mint m-rsa rsa "authorityKeyIdentifier=none\n"
mint m-p384 p384 "authorityKeyIdentifier=none\n"
mint m-rekeyed p256 "authorityKeyIdentifier=none\n" root2
mint m-sig p256 "authorityKeyIdentifier=none\n"
# m-sig: the low bit of its signature's last octet flipped
o x509 -in "$T/m-sig.crt" -outform DER -out "$T/flip.der"
len=$(wc -c < "$T/flip.der")
last=$(tail -c 1 "$T/flip.der" | od -An -tu1 | tr -d ' ')
{ head -c $((len - 1)) "$T/flip.der"; printf "\\$(printf %03o $((last ^ 1)))"; } > "$T/flipped.der"
o x509 -inform DER -in "$T/flipped.der" -out "$T/m-sig.crt"
# oracle LEAF: ok, fails, or disagree
oracle() {
	openssl verify -CAfile "$T/root.crt" "$1" > /dev/null 2>&1 && ov=ok || ov=fails
	certtool --verify --load-ca-certificate "$T/root.crt" --infile "$1" > /dev/null 2>&1 && cv=ok || cv=fails
	[ "$ov" = "$cv" ] && echo "$ov" || echo disagree
}
expect_eq "oracles: a good leaf verifies" ok "$(oracle "$T/good1.crt")"
compared=0
for m in m-aki-other m-aki-hightag m-aki-keyid m-crit m-sha384 m-rsa m-p384 m-rekeyed m-sig; do
	want=$(oracle "$T/$m.crt")
	[ "$want" = disagree ] && { echo "$m: the oracles disagree; not compared"; continue; }
	for order in first last; do
		d=$T/$m-$order/n1
		mkdir -p "$d"
		cp "$T/root.crt" "$d/ca.crt"
		for i in 1 2 3 4 5 6; do cp "$T/good$i.crt" "$d/good$i.crt"; done
		[ $order = first ] && f=a-mutant.crt || f=z-mutant.crt
		cp "$T/$m.crt" "$d/$f"
		for j in 1 2; do
			"$CERTFLEET" scan --now "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --jobs $j --json "$T/s.json" "$d" > /dev/null 2>&1
			got=$(jq -r --arg p "$f" '[.findings[] | select(.path == $p and (.check | startswith("tls-chain-")))]
				| if length > 0 then "fails" else "ok" end' "$T/s.json")
			expect_eq "$m $order, --jobs $j: as openssl and certtool" "$want" "$got"
			expect_eq "$m $order, --jobs $j: the good leaves pass" 0 \
				"$(jq '[.findings[] | select((.path | startswith("good")) and (.check | startswith("tls-chain-")))] | length' "$T/s.json")"
		done
	done
	compared=$((compared + 1))
	echo "$m: $want, as openssl verify and certtool --verify say"
done
[ $compared -ge 8 ] || fail "only $compared mutants compared"
ok
done_ok
