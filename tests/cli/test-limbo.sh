#!/bin/sh
# A subset of x509-limbo (https://github.com/C2SP/x509-limbo, Apache-2.0),
# the cases about chains, names, EKU and the certificate profile,
# regenerated here with openssl from each case's definition (limbo's
# testcases/*.py: which certificates, which extensions, what is trusted,
# which peer name, SUCCESS or FAILURE); no limbo file is copied. Each case is
# a node: the peer certificate in leaf.pem, limbo's untrusted intermediates
# in untrusted.pem, the trusted set given with --trust-only (it is the whole of
# limbo's trusted set), the expected peer
# name with --expect-name. certfleet gets a FAILURE case right when it
# reports anything on leaf.pem, a SUCCESS case when it reports no error on
# it. The score is printed; no SUCCESS case may get an error.
. "$(dirname "$0")/lib.sh"
need jq openssl

L=$T/limbo
mkdir -p "$L"
serial=4096
# ext NAME LINE...: an extension file
ext() { f=$L/$1.ext; shift; printf '%s\n' "$@" > "$f"; }
ext ca "basicConstraints = critical,CA:TRUE" "keyUsage = critical,keyCertSign,cRLSign"
ext ca0 "basicConstraints = critical,CA:TRUE,pathlen:0" "keyUsage = critical,keyCertSign,cRLSign"
ext leaf "basicConstraints = critical,CA:FALSE" "keyUsage = critical,digitalSignature" \
	"extendedKeyUsage = serverAuth" "subjectAltName = DNS:example.com"
# cert NAME CN EXT ISSUER [DAYS [SERIAL]]: a certificate of a new P-256 key,
# self-signed when ISSUER is -, with exactly the extensions of EXT (and the
# key identifiers openssl adds)
cert() {
	# a leaf within --max-validity, an intermediate five years, a root ten:
	# each ends before its issuer does
	days=${5:-365}
	[ -n "${5:-}" ] || ! grep -q "CA:TRUE" "$L/$3.ext" || days=1825
	[ -n "${5:-}" ] || [ "$4" != - ] || days=3650
	o ecparam -genkey -name prime256v1 -noout -out "$L/$1.key"
	o req -new -key "$L/$1.key" -subj "/CN=$2" -out "$L/$1.csr"
	serial=$((serial + 1))
	if [ "$4" = - ]; then
		o x509 -req -in "$L/$1.csr" -signkey "$L/$1.key" -days "$days" -set_serial "${6:-$serial}" \
			-extfile "$L/$3.ext" -out "$L/$1.crt"
	else
		o x509 -req -in "$L/$1.csr" -CA "$L/$4.crt" -CAkey "$L/$4.key" -days "$days" \
			-set_serial "${6:-$serial}" -extfile "$L/$3.ext" -out "$L/$1.crt"
	fi
}
# case ID EXPECT PEER TRUSTED UNTRUSTED LEAF [NOW]: lay the case out as node
# ID (the peer LEAF; UNTRUSTED and TRUSTED space-separated names), scan it
total=0 right=0 failures=0 caught=0
: > "$T/limbo-scores"
case_() {
	id=$1 expect=$2 peer=$3 trusted=$4 untrusted=$5 leaf=$6 now=${7:-}
	d=$L/nodes/$(echo "$id" | tr ':' '_')
	mkdir -p "$d"
	cat "$L/$leaf.crt" > "$d/leaf.pem"
	: > "$L/trusted.pem"
	for c in $trusted; do cat "$L/$c.crt" >> "$L/trusted.pem"; done
	[ -z "$untrusted" ] || for c in $untrusted; do cat "$L/$c.crt" >> "$d/untrusted.pem"; done
	set -- --trust-only "$L/trusted.pem" --node limbo --json "$T/limbo.json" --quiet --fail-on never
	[ "$peer" = - ] || set -- "$@" --expect-name "leaf.pem=$peer"
	[ -z "$now" ] || set -- "$@" --now "$now"
	"$CERTFLEET" scan "$@" "$d" || fail "limbo $id: scan failed"
	got=$(jq -r '[.findings[] | select(.path == "leaf.pem")] | if any(.severity == "error") then "error"
		elif length > 0 then "warning" else "none" end' "$T/limbo.json")
	lchecks=$(jq -r '[.findings[] | select(.path == "leaf.pem") | .check] | unique | join(",")' "$T/limbo.json")
	total=$((total + 1))
	ok
	if [ "$expect" = SUCCESS ]; then
		[ "$got" != error ] || fail "limbo $id: a SUCCESS case got an error ($lchecks)"
		right=$((right + 1))
		echo "$id SUCCESS ok ${lchecks:-}" >> "$T/limbo-scores"
	else
		failures=$((failures + 1))
		if [ "$got" != none ]; then
			right=$((right + 1)) caught=$((caught + 1))
			echo "$id FAILURE caught $lchecks" >> "$T/limbo-scores"
		else
			echo "$id FAILURE missed" >> "$T/limbo-scores"
		fi
	fi
}
soon_after() { date -u -d "@$(($(date +%s) + $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }

# --- rfc5280 ---------------------------------------------------------------------------
cert root "x509-limbo-root" ca -
cert ee root-ee leaf root
case_ rfc5280::ee-ok-baseline SUCCESS example.com root "" ee      # (not a limbo id: the control)

ext crit-ee "basicConstraints = critical,CA:FALSE" "subjectAltName = DNS:example.com" \
	"extendedKeyUsage = serverAuth" "1.3.6.1.4.1.55738.666.1 = critical,ASN1:NULL"
cert ee-crit ee-crit crit-ee root
case_ rfc5280::unknown-critical-extension-ee FAILURE example.com root "" ee-crit
ext crit-ca "basicConstraints = critical,CA:TRUE" "keyUsage = critical,keyCertSign,cRLSign" \
	"1.3.6.1.4.1.55738.666.1 = critical,ASN1:NULL"
cert root-crit "x509-limbo-root-crit" crit-ca -
cert ee-of-root-crit ee leaf root-crit
case_ rfc5280::unknown-critical-extension-root FAILURE example.com root-crit "" ee-of-root-crit
cert ica-crit "x509-limbo-ica-crit" crit-ca root
cert ee-of-ica-crit ee leaf ica-crit
case_ rfc5280::unknown-critical-extension-intermediate FAILURE example.com root ica-crit ee-of-ica-crit
case_ rfc5280::unknown-critical-extension-unrelated-root SUCCESS example.com "root root-crit" "" ee
cert ua-ica "x509-limbo-ica-a" ca0 root
cert ub-ica "unrelated-intermediate" crit-ca root
cert ee-of-ua ee leaf ua-ica
case_ rfc5280::unknown-critical-extension-unrelated-intermediate SUCCESS example.com root "ua-ica ub-ica" ee-of-ua
ext leaf-noku "basicConstraints = critical,CA:FALSE" "extendedKeyUsage = serverAuth" \
	"subjectAltName = DNS:example.com"
cert ee-noku ee leaf-noku root
case_ rfc5280::no-keyusage SUCCESS example.com root "" ee-noku
ext leaf-nobc "keyUsage = critical,digitalSignature" "extendedKeyUsage = serverAuth" \
	"subjectAltName = DNS:example.com"
cert ee-nobc ee leaf-nobc root
case_ rfc5280::no-basicconstraints SUCCESS example.com root "" ee-nobc

cert u-root "x509-limbo-root-u" ca -
cert u-ica "x509-limbo-ica-u" ca0 u-root
cert u-ee ee leaf u-ica
cert unrelated "x509-limbo-unrelated-root" ca -
case_ rfc5280::chain-untrusted-root FAILURE example.com unrelated "u-root u-ica" u-ee

ext ica-noca "basicConstraints = critical,CA:FALSE" "keyUsage = critical,keyCertSign"
cert ica-noca "x509-limbo-ica-noca" ica-noca root
cert ee-of-ica-noca ee leaf ica-noca
case_ rfc5280::intermediate-ca-without-ca-bit FAILURE example.com root ica-noca ee-of-ica-noca

ext ica-nobc "keyUsage = critical,keyCertSign"
cert ica-nobc "x509-limbo-ica-nobc" ica-nobc root
cert ee-of-ica-nobc ee leaf ica-nobc
# (limbo gives no intermediate here: the peer alone)
case_ rfc5280::intermediate-ca-missing-basic-constraints FAILURE example.com root "" ee-of-ica-nobc

ext root-nobc "keyUsage = critical,keyCertSign,cRLSign"
cert root-nobc "x509-limbo-root-nobc" root-nobc -
cert ee-of-root-nobc ee leaf root-nobc
case_ rfc5280::root-missing-basic-constraints FAILURE example.com root-nobc "" ee-of-root-nobc
ext root-bcnc "basicConstraints = CA:TRUE" "keyUsage = critical,keyCertSign,cRLSign"
cert root-bcnc "x509-limbo-root-bcnc" root-bcnc -
cert ee-of-root-bcnc ee leaf root-bcnc
case_ rfc5280::root-non-critical-basic-constraints FAILURE example.com root-bcnc "" ee-of-root-bcnc

ext leaf-kcs "basicConstraints = critical,CA:FALSE" "keyUsage = critical,digitalSignature,keyCertSign" \
	"extendedKeyUsage = serverAuth" "subjectAltName = DNS:example.com"
cert ee-kcs ee leaf-kcs root
case_ rfc5280::leaf-ku-keycertsign FAILURE example.com root "" ee-kcs

ext ca-san "basicConstraints = critical,CA:TRUE" "keyUsage = critical,keyCertSign,cRLSign" \
	"subjectAltName = DNS:ca.example.com"
cert ica-leaf "x509-limbo-ica-leaf" ca-san root
case_ rfc5280::ca-as-leaf SUCCESS ca.example.com root "" ica-leaf

cert sw-ica "x509-limbo-sw-ica" ca root
cert sw-ee ee leaf sw-ica
case_ rfc5280::root-and-intermediate-swapped SUCCESS example.com sw-ica root sw-ee

ext leaf-noeku "basicConstraints = critical,CA:FALSE" "keyUsage = critical,digitalSignature" \
	"subjectAltName = DNS:example.com"
cert ee-noeku ee leaf-noeku root
case_ rfc5280::eku::ee-without-eku SUCCESS example.com root "" ee-noeku
ext leaf-client "basicConstraints = critical,CA:FALSE" "keyUsage = critical,digitalSignature" \
	"extendedKeyUsage = clientAuth" "subjectAltName = DNS:example.com"
cert ee-client ee leaf-client root
case_ rfc5280::eku::ee-wrong-eku FAILURE example.com root "" ee-client

cert ee-serial22 ee leaf root 365 0x0102030405060708090a0b0c0d0e0f10111213141516
case_ rfc5280::serial::too-long FAILURE example.com root "" ee-serial22
cert ee-serial0 ee leaf root 365 0
case_ rfc5280::serial::zero FAILURE example.com root "" ee-serial0
cert ee-serialneg ee leaf root 365 -1
case_ rfc5280::serial::negative FAILURE example.com root "" ee-serialneg

# --- pathlen -----------------------------------------------------------------------------
cert pl-ica "x509-limbo-pl-ica" ca0 root
cert pl-ee ee leaf pl-ica
case_ pathlen::ee-with-intermediate-pathlen-0 SUCCESS example.com root pl-ica pl-ee
cert pl-ica2 "x509-limbo-pl-ica2" ca0 pl-ica
cert pl-ee2 ee leaf pl-ica2
case_ pathlen::intermediate-violates-pathlen-0 FAILURE - root "pl-ica pl-ica2" pl-ee2
ext ca1 "basicConstraints = critical,CA:TRUE,pathlen:1" "keyUsage = critical,keyCertSign,cRLSign"
cert pl1-ica "x509-limbo-pl1-ica" ca1 root
cert pl1-ee ee leaf pl1-ica
case_ pathlen::ee-with-intermediate-pathlen-1 SUCCESS example.com root pl1-ica pl1-ee
case_ pathlen::validation-ignores-pathlen-in-leaf SUCCESS - root pl-ica pl-ica2

# --- webpki: names -------------------------------------------------------------------------
san() {     # NAME SAN: a leaf of root with that subjectAltName (none when -)
	if [ "$2" = - ]; then
		ext "san-$1" "basicConstraints = critical,CA:FALSE" "keyUsage = critical,digitalSignature" \
			"extendedKeyUsage = serverAuth"
	else
		ext "san-$1" "basicConstraints = critical,CA:FALSE" "keyUsage = critical,digitalSignature" \
			"extendedKeyUsage = serverAuth" "subjectAltName = $2"
	fi
	cert "ee-$1" "${3:-ee}" "san-$1" root
}
san exact DNS:example.com
case_ webpki::san::exact-dns-san SUCCESS example.com root "" ee-exact
san ip IP:127.0.0.1
case_ webpki::san::exact-localhost-ip-san SUCCESS 127.0.0.1 root "" ee-ip
case_ webpki::san::mismatch-domain-san FAILURE example2.com root "" ee-exact
san abc DNS:abc.example.com
case_ webpki::san::mismatch-subdomain-san FAILURE def.example.com root "" ee-abc
case_ webpki::san::mismatch-subdomain-apex-san FAILURE abc.example.com root "" ee-exact
case_ webpki::san::mismatch-apex-subdomain-san FAILURE example.com root "" ee-abc
san wild 'DNS:*.example.com'
case_ webpki::san::leftmost-wildcard-san SUCCESS foo.example.com root "" ee-wild
case_ webpki::san::wildcard-match-across-labels-san FAILURE foo.bar.example.com root "" ee-wild
san embedded 'DNS:ba*.example.com'
case_ webpki::san::wildcard-embedded-leftmost-san FAILURE baz.example.com root "" ee-embedded
san inner 'DNS:foo.*.example.com'
case_ webpki::san::wildcard-not-in-leftmost-san FAILURE foo.bar.example.com root "" ee-inner
san suffix 'DNS:*.com'
case_ webpki::san::public-suffix-wildcard-san FAILURE example.com root "" ee-suffix
san none - example.com
case_ webpki::san::no-san FAILURE example.com root "" ee-none
san star 'DNS:*'
case_ webpki::san::san-wildcard-only FAILURE example.com root "" ee-star

# --- webpki: EKU -----------------------------------------------------------------------------
ext leaf-any "basicConstraints = critical,CA:FALSE" "keyUsage = critical,digitalSignature" \
	"extendedKeyUsage = anyExtendedKeyUsage" "subjectAltName = DNS:example.com"
cert ee-any ee leaf-any root
case_ webpki::eku::ee-anyeku FAILURE example.com root "" ee-any
ext leaf-ceku "basicConstraints = critical,CA:FALSE" "keyUsage = critical,digitalSignature" \
	"extendedKeyUsage = critical,serverAuth" "subjectAltName = DNS:example.com"
cert ee-ceku ee leaf-ceku root
case_ webpki::eku::ee-critical-eku FAILURE example.com root "" ee-ceku

# --- validity: judged at a later time ----------------------------------------------------------
cert v-root "x509-limbo-v-root" ca - 3650
cert v-ica "x509-limbo-v-ica" ca v-root 5
cert v-ee ee leaf v-ica 2
case_ rfc5280::validity::expired-leaf FAILURE example.com v-root v-ica v-ee "$(soon_after 3)"
cert v-ee-long ee leaf v-ica 300
case_ rfc5280::validity::expired-intermediate FAILURE example.com v-root v-ica v-ee-long "$(soon_after 10)"
cert v-root-short "x509-limbo-v-root-short" ca - 5
cert v-ica2 "x509-limbo-v-ica2" ca v-root-short 30     # (outlives the root: the one way to make it)
cert v-ee2 ee leaf v-ica2 20
case_ rfc5280::validity::expired-root FAILURE example.com v-root-short v-ica2 v-ee2 "$(soon_after 10)"

# at the leaf's own bounds, exactly as openssl reads them
bound() { date -u -d "$(openssl x509 -in "$L/$1.crt" -noout -"$2" | sed 's/^[^=]*=//') $3 seconds" +%Y-%m-%dT%H:%M:%SZ; }
cert b-ee ee leaf v-ica 2
case_ rfc5280::validity::expired-1-second FAILURE example.com v-root v-ica b-ee "$(bound b-ee enddate +1)"
case_ rfc5280::validity::notafter-exact SUCCESS example.com v-root v-ica b-ee "$(bound b-ee enddate +0)"
case_ rfc5280::validity::notbefore-exact SUCCESS example.com v-root v-ica b-ee "$(bound b-ee startdate +0)"
case_ rfc5280::validity::not-yet-valid-5-seconds FAILURE example.com v-root v-ica b-ee "$(bound b-ee startdate -5)"

cat "$T/limbo-scores"
echo "x509-limbo subset: $right of $total right; $caught of $failures expected failures caught; no SUCCESS case got an error"
[ "$total" -ge 40 ] || fail "limbo: only $total cases"
# the score may only grow: 27 of 31 failures caught since --trust-only
# made limbo's trusted set the whole of the anchors (chain-untrusted-root)
[ "$caught" -ge 27 ] || fail "limbo: $caught of $failures expected failures caught, fewer than 27"
done_ok
