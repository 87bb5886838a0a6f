#!/bin/sh
# A gate to trust at its defaults: what others found it getting wrong, each
# rebuilt from files openssl makes (an independent tool), each verdict
# following from how the files were made. Folder layouts (a host's own
# folders are one node, never a fleet of nodes named etc or ssl), report
# paths that alias, node names that must not be sanitized twice.
. "$(dirname "$0")/lib.sh"
need jq openssl certtool

# --- certificates made by openssl ca (exact dates) ----------------------------------
mkdir -p "$T/ca/db" "$T/ca/new"
o ecparam -genkey -name prime256v1 -noout -out "$T/k.key"
cat > "$T/ca.cnf" << EOF2
[ca]
default_ca = d
[d]
database = $T/ca/db/index.txt
serial = $T/ca/db/serial
new_certs_dir = $T/ca/new
private_key = \${ENV::CAKEY}
certificate = \${ENV::CACRT}
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
[server]
basicConstraints = CA:FALSE
subjectAltName = DNS:\${ENV::CN}
extendedKeyUsage = serverAuth
[client]
basicConstraints = CA:FALSE
extendedKeyUsage = clientAuth
keyUsage = critical,digitalSignature
[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[rootsan]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
subjectAltName = DNS:kubernetes
EOF2
: > "$T/ca/db/index.txt"
echo 1000 > "$T/ca/db/serial"
# root NAME [EXT]: a self-signed CA $T/NAME.crt (key $T/NAME.key), 2020-2045
root() {
	o ecparam -genkey -name prime256v1 -noout -out "$T/$1.key"
	CN=$1 CAKEY=$T/$1.key CACRT=$T/$1.crt && export CN CAKEY CACRT
	o req -new -key "$T/$1.key" -subj "/CN=$1" -out "$T/$1.csr"
	o ca -batch -config "$T/ca.cnf" -selfsign -in "$T/$1.csr" -startdate 20200101000000Z \
		-enddate 20451231000000Z -extensions "${2:-root}" -notext -out "$T/$1.crt"
}
# leaf OUT CA CN START END [EXT]: a leaf CN with a new key ($T/k.key), signed
# by CA ($T/CA.crt), exact dates
leaf() {
	CN=$3 CAKEY=$T/$2.key CACRT=$T/$2.crt && export CN CAKEY CACRT
	o ecparam -genkey -name prime256v1 -noout -out "$T/k.key"      # a key of its own
	o req -new -key "$T/k.key" -subj "/CN=$3" -out "$T/leaf.csr"
	o ca -batch -config "$T/ca.cnf" -in "$T/leaf.csr" -startdate "$4" -enddate "$5" \
		-extensions "${6:-server}" -notext -out "$1"
}
root ca
root old

# --- folder layouts -----------------------------------------------------------------
# a kubeadm control plane: certificates at the top of pki/, etcd/ below;
# apiserver.crt expired at $NOW: one node "pki", the expiry an error
P=$T/layout/pki
mkdir -p "$P/etcd"
cp "$T/ca.crt" "$P/ca.crt"
leaf "$P/apiserver.crt" ca apiserver 20260101000000Z 20260501000000Z
leaf "$P/apiserver-kubelet-client.crt" ca kube-apiserver-kubelet-client 20260101000000Z 20261201000000Z client
cp "$T/ca.crt" "$P/etcd/ca.crt"
leaf "$P/etcd/server.crt" ca etcd 20260101000000Z 20261201000000Z
"$CERTFLEET" scan --now "$NOW" --json "$T/pki.json" "$P" > "$T/out" 2>&1
expect_eq "kubeadm pki/: exit 1 (apiserver.crt expired)" 1 $?
expect_eq "kubeadm pki/: one node, named pki" '["pki"]' "$(jq -c '[.certificates[].node] | unique' "$T/pki.json")"
expect_eq "kubeadm pki/: the expired apiserver.crt found" '["apiserver.crt"]' \
	"$(jq -c '[.findings[] | select(.check == "tls-cert-expired") | .path]' "$T/pki.json")"
expect_eq "kubeadm pki/: every certificate file audited" 5 "$(jq .summary.files "$T/pki.json")"
# a trust store: certificates at the top, java/ below: one node, all audited
S=$T/layout/certs
mkdir -p "$S/java"
cp "$T/ca.crt" "$S/ca.pem"
cp "$T/old.crt" "$S/old.pem"
cp "$T/ca.crt" "$S/java/ca.pem"
"$CERTFLEET" scan --now "$NOW" --json "$T/store.json" "$S" > "$T/out" 2>&1
expect_eq "trust store: one node, named certs" '["certs"]' "$(jq -c '[.certificates[].node] | unique' "$T/store.json")"
expect_eq "trust store: three files audited" 3 "$(jq .summary.files "$T/store.json")"
# an nginx folder (ssl/, conf.d/): one node, no tls-input-empty for conf.d
N=$T/layout/nginx
mkdir -p "$N/ssl" "$N/conf.d"
echo 'server { listen 443 ssl; }' > "$N/conf.d/site.conf"
leaf "$N/ssl/site.crt" ca www.example 20260101000000Z 20261201000000Z
cp "$T/ca.crt" "$N/ssl/ca.crt"
expect_exit "nginx folder: passes" 0 "$CERTFLEET" scan --now "$NOW" --json "$T/nginx.json" "$N"
expect_eq "nginx folder: one node, named nginx" '["nginx"]' "$(jq -c '[.certificates[].node] | unique' "$T/nginx.json")"
# node folders given one by one, each holding etc/: a node each
for n in n01 n02; do
	mkdir -p "$T/layout/fleet/$n/etc/tls"
	cp "$T/ca.crt" "$T/layout/fleet/$n/etc/tls/ca.crt"
	leaf "$T/layout/fleet/$n/etc/tls/server.crt" ca "$n.example" 20260101000000Z 20261201000000Z
done
expect_exit "fleet/n01 fleet/n02: two nodes, no clash" 0 "$CERTFLEET" scan --now "$NOW" --json "$T/two.json" \
	"$T/layout/fleet/n01" "$T/layout/fleet/n02"
expect_eq "fleet/n01 fleet/n02: nodes n01 and n02" '["n01","n02"]' "$(jq -c '[.certificates[].node] | unique' "$T/two.json")"
expect_exit "fleet/: a fleet of two" 0 "$CERTFLEET" scan --now "$NOW" --json "$T/fleet.json" "$T/layout/fleet"
expect_eq "fleet/: nodes n01 and n02" '["n01","n02"]' "$(jq -c '[.certificates[].node] | unique' "$T/fleet.json")"
# --layout forces: node (the fleet folder as one node), fleet (a
# certificate at its top is a usage error naming it)
expect_exit "--layout node: one node" 0 "$CERTFLEET" scan --now "$NOW" --layout node --json "$T/one.json" "$T/layout/fleet"
expect_eq "--layout node: the folder is the node" '["fleet"]' "$(jq -c '[.certificates[].node] | unique' "$T/one.json")"
expect_exit "--layout fleet over certs/: usage error" 2 "$CERTFLEET" scan --now "$NOW" --layout fleet "$S"
grep -q "ca.pem, old.pem" "$T/err" || { cat "$T/err" >&2; fail "--layout fleet: the files at the top are not named"; }
ok
expect_exit "--layout sideways: usage error" 2 "$CERTFLEET" scan --now "$NOW" --layout sideways "$S"

# --- report paths that alias: refused before anything is scanned ------------------
C=$T/layout/certs/ca.pem
mkdir -p "$T/w/d"
cd "$T/w" || fail "cd"
expect_exit "--markdown r2 --prom ./r2" 2 "$CERTFLEET" scan --now "$NOW" --markdown r2 --prom ./r2 "$C"
grep -q "r2 and ./r2: two reports to the same place" "$T/err" || fail "r2 ./r2: no message"
ok
[ ! -e r2 ] || fail "r2 ./r2: a report was written"
ok
expect_exit "--json d/../r3 --prom r3" 2 "$CERTFLEET" scan --now "$NOW" --json d/../r3 --prom r3 "$C"
: > h1
ln h1 h2
expect_exit "two hard links to one file" 2 "$CERTFLEET" scan --now "$NOW" --json h1 --prom h2 "$C"
expect_exit "two different reports" 0 "$CERTFLEET" scan --now "$NOW" --json d/r3 --prom r3 "$C"
[ -s d/r3 ] && [ -s r3 ] || fail "d/r3 and r3: both written"
ok
cd "$T" || fail "cd"

# --- a backslash in a node name: one node, never a phantom "n\\1" ------------------
B=$T/bs
mkdir -p "$B/n\\1" "$B/n2"
leaf "$B/n\\1/server.crt" ca n1.example 20260101000000Z 20261201000000Z
leaf "$B/n2/server.crt" ca n2.example 20260101000000Z 20261201000000Z
head -c 300000 /dev/zero > "$B/n\\1/big.crt"      # over --max-file-size: unreadable
o req -new -key "$T/k.key" -subj /CN=csr -out "$B/n\\1/req.pem"
"$CERTFLEET" scan --now "$NOW" --max-file-size 200000 --json "$T/bs.json" "$B" > "$T/bs.txt" 2>&1
expect_eq "backslash: exit 1 (the unreadable file)" 1 $?
expect_eq "backslash: two nodes in files, findings and skips" 2 \
	"$(jq '[.certificates[].node, .findings[].node, (.skipped // [])[].node] | unique | length' "$T/bs.json")"
expect_eq "backslash: no tls-input-empty nor tls-cert-missing" 0 \
	"$(jq '[.findings[] | select(.check == "tls-input-empty" or .check == "tls-cert-missing")] | length' "$T/bs.json")"
# --- tls-trust-split on the minority ------------------------------------------------
root new
leaf "$T/by-new.crt" new svc.example 20260101000000Z 20261201000000Z
leaf "$T/by-old.crt" old svc.example 20260101000000Z 20261201000000Z
# split_node DIR NODE ANCHORS... LEAF: a node carrying the anchors (ca.crt,
# ca-next.crt, ...) and its leaf (server.crt)
split_node() {
	sn=$1/$2
	shift 2
	mkdir -p "$sn/etc/tls"
	sk=ca
	while [ $# -gt 1 ]; do cp "$T/$1.crt" "$sn/etc/tls/$sk.crt"; sk=$sk-next; shift; done
	cp "$T/$1" "$sn/etc/tls/server.crt"
}
# 17 nodes on the new CA, 3 still on the old: only the 3 are told
i=1
while [ $i -le 20 ]; do
	n=$(printf 'n%02d' $i)
	if [ $i -le 17 ]; then split_node "$T/split" $n new by-new.crt; else split_node "$T/split" $n old by-old.crt; fi
	i=$((i + 1))
done
"$CERTFLEET" scan --now "$NOW" --per-node '*' --json "$T/split.json" --junit "$T/split.xml" "$T/split" > "$T/out" 2>&1
expect_eq "17 new, 3 old: exit 1" 1 $?
expect_eq "17 new, 3 old: tls-trust-split on n18, n19, n20 only" '["n18","n19","n20"]' \
	"$(jq -c '[.findings[] | select(.check == "tls-trust-split") | .node] | sort' "$T/split.json")"
jq -r '.findings[] | select(.check == "tls-trust-split") | .message' "$T/split.json" | grep -q "largest group of nodes carries (17 of 20 nodes" ||
	fail "17 new, 3 old: the message does not name the largest group and its size"
ok
expect_eq "17 new, 3 old: JUnit fails 3 test cases" 3 "$(grep -c '<failure' "$T/split.xml")"
# 17 nodes moved to the new CA and carry both; 3 carry the old only: the
# majority's leaves are rejected by the 3 (whose own leaves verify everywhere)
rm -rf "$T/split"
i=1
while [ $i -le 20 ]; do
	n=$(printf 'n%02d' $i)
	if [ $i -le 17 ]; then split_node "$T/split" $n old new by-new.crt; else split_node "$T/split" $n old by-old.crt; fi
	i=$((i + 1))
done
"$CERTFLEET" scan --now "$NOW" --per-node '*' --json "$T/split.json" "$T/split" > "$T/out" 2>&1
expect_eq "17 on both, 3 old only: exit 1" 1 $?
expect_eq "17 on both, 3 old only: tls-trust-split on n18, n19, n20 only" '["n18","n19","n20"]' \
	"$(jq -c '[.findings[] | select(.check == "tls-trust-split") | .node] | sort' "$T/split.json")"
# no single largest group (2 and 2): every node is told
rm -rf "$T/split"
split_node "$T/split" n01 new by-new.crt
split_node "$T/split" n02 new by-new.crt
split_node "$T/split" n03 old by-old.crt
split_node "$T/split" n04 old by-old.crt
"$CERTFLEET" scan --now "$NOW" --per-node '*' --json "$T/split.json" "$T/split" > "$T/out" 2>&1
expect_eq "2 and 2: tls-trust-split on every node" '["n01","n02","n03","n04"]' \
	"$(jq -c '[.findings[] | select(.check == "tls-trust-split") | .node] | sort' "$T/split.json")"
# --- no false warnings on a healthy control plane and a trust store -------------------
H=$T/healthy
mkdir -p "$H/pki"
# kubeadm's CA: self-signed, CA:TRUE, carrying DNS:kubernetes (an anchor, no leaf)
root kube rootsan
cp "$T/kube.crt" "$H/pki/ca.crt"
# a clientAuth-only client certificate without SAN (nothing to name)
leaf "$H/pki/apiserver-kubelet-client.crt" kube kube-apiserver-kubelet-client 20260101000000Z 20261201000000Z client
leaf "$H/pki/apiserver.crt" kube kube-apiserver 20260101000000Z 20261201000000Z
# a CA bundle: two roots and an intermediate (a store, not a chain)
CN=Mid CAKEY=$T/ca.key CACRT=$T/ca.crt && export CN CAKEY CACRT
o ecparam -genkey -name prime256v1 -noout -out "$T/mid.key"
o req -new -key "$T/mid.key" -subj /CN=Mid -out "$T/mid.csr"
o ca -batch -config "$T/ca.cnf" -in "$T/mid.csr" -startdate 20200101000000Z -enddate 20401231000000Z \
	-extensions root -notext -out "$T/mid.crt"
cat "$T/ca.crt" "$T/old.crt" "$T/mid.crt" > "$H/pki/ca-bundle.crt"
o x509 -in "$T/kube.crt" -noout -ext subjectAltName > "$T/kube.san"
grep -q "DNS:kubernetes" "$T/kube.san" || fail "openssl: kube.crt carries no DNS:kubernetes"
ok
"$CERTFLEET" scan --now "$NOW" --fail-on warning --json "$T/healthy.json" "$H/pki" > "$T/out" 2>&1
expect_eq "healthy control plane: no finding at all" "[]" "$(jq -c '[.findings[] | .check + " " + .path]' "$T/healthy.json")"
# a version 1 self-signed root valid for 20 years (openssl x509 -req -signkey
# writes version 1): a root, exempt from the leaf's validity limit
o ecparam -genkey -name prime256v1 -noout -out "$T/v1.key"
o req -new -key "$T/v1.key" -subj /CN=v1-root -out "$T/v1.csr"
o x509 -req -in "$T/v1.csr" -signkey "$T/v1.key" -days 7300 -out "$H/v1-root.crt"
expect_eq "openssl: v1-root.crt is version 1" "Version: 1 (0x0)" \
	"$(openssl x509 -in "$H/v1-root.crt" -noout -text | grep -o 'Version: 1 (0x0)')"
tomorrow=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
"$CERTFLEET" scan --now "$tomorrow" --json "$T/v1.json" "$H/v1-root.crt" > "$T/out" 2>&1
expect_eq "v1 self-signed root: no tls-cert-validity-too-long" "[]" "$(jq -c '[.findings[].check]' "$T/v1.json")"
# --- kubeconfigs by content, under their real names ---------------------------------
K=$T/kc/node1
mkdir -p "$K/etc/kubernetes" "$K/root/.kube"
leaf "$T/admin.crt" ca kubernetes-admin 20260101000000Z 20260501000000Z client   # expired at $NOW
b64() { base64 -w0 < "$1"; }
kubeconfig() {   # kubeconfig CA-B64 CERT-B64 KEY-B64
	cat << EOF2
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: $1
    server: https://127.0.0.1:6443
  name: kubernetes
contexts:
- context: {cluster: kubernetes, user: kubernetes-admin}
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
kind: Config
preferences: {}
users:
- name: kubernetes-admin
  user:
    client-certificate-data: $2
    client-key-data: $3
EOF2
}
kubeconfig "$(b64 "$T/ca.crt")" "$(b64 "$T/admin.crt")" "$(b64 "$T/k.key")" > "$K/etc/kubernetes/admin.conf"
kubeconfig "$(b64 "$T/ca.crt")" "$(b64 "$T/admin.crt")" "$(b64 "$T/k.key")" | sed '/^kind:/d' > "$K/root/.kube/config"
"$CERTFLEET" scan --now "$NOW" --json "$T/kc.json" "$K" > "$T/out" 2>&1
expect_eq "kubeconfigs: exit 1 (the client certificate expired)" 1 $?
expect_eq "kubeconfigs: admin.conf and .kube/config read, the expiry found in both" \
	'["etc/kubernetes/admin.conf#users/kubernetes-admin/client-certificate-data","root/.kube/config#users/kubernetes-admin/client-certificate-data"]' \
	"$(jq -c '[.findings[] | select(.check == "tls-cert-expired") | .path] | sort' "$T/kc.json")"
"$CERTFLEET" scan --now "$NOW" --jobs 4 --json "$T/kc4.json" "$K" > /dev/null 2>&1
cmp -s "$T/kc.json" "$T/kc4.json" || fail "kubeconfigs: --jobs 4 writes other bytes"
ok
expect_exit "show admin.conf" 0 "$CERTFLEET" show "$K/etc/kubernetes/admin.conf"
grep -q "CN=kubernetes-admin" "$T/out" || fail "show admin.conf: the client certificate is not shown"
ok
# a kubeconfig that does not parse, and one whose key data is junk: findings
kubeconfig "$(b64 "$T/ca.crt")" "$(b64 "$T/admin.crt")" "$(printf 'not a key' | base64 -w0)" > "$K/root/.kube/config"
printf 'apiVersion: v1\nkind: Config\nclusters: [\n' > "$K/etc/kubernetes/admin.conf"
"$CERTFLEET" scan --now "$NOW" --json "$T/kc.json" "$K" > "$T/out" 2>&1
expect_eq "broken kubeconfigs: tls-input-unreadable on both" \
	'["etc/kubernetes/admin.conf","root/.kube/config#users/kubernetes-admin/client-key-data"]' \
	"$(jq -c '[.findings[] | select(.check == "tls-input-unreadable") | .path] | sort' "$T/kc.json")"

# --- a Secret chains alone: another Secret's intermediate does not complete it ---------
CN=Issuing CAKEY=$T/ca.key CACRT=$T/ca.crt && export CN CAKEY CACRT
o req -new -key "$T/mid.key" -subj /CN=Issuing -out "$T/iss.csr"
o ca -batch -config "$T/ca.cnf" -in "$T/iss.csr" -startdate 20200101000000Z -enddate 20401231000000Z \
	-extensions root -notext -out "$T/iss.crt"
cp "$T/mid.key" "$T/iss.key"
leaf "$T/a.crt" iss a.example 20260101000000Z 20261201000000Z
leaf "$T/b.crt" iss b.example 20260101000000Z 20261201000000Z
secret() {   # secret NAME TLS.CRT-B64 CA.CRT-B64: one item of kubectl get secrets -o yaml
	printf -- '- apiVersion: v1\n  data:\n    ca.crt: %s\n    tls.crt: %s\n  kind: Secret\n' "$3" "$2"
	printf -- '  metadata:\n    name: %s\n    namespace: default\n  type: kubernetes.io/tls\n' "$1"
}
mkdir -p "$T/sec/node1"
{
	echo 'apiVersion: v1'
	echo 'items:'
	secret a-tls "$(cat "$T/a.crt" "$T/iss.crt" | base64 -w0)" "$(b64 "$T/ca.crt")"
	secret b-tls "$(b64 "$T/b.crt")" "$(b64 "$T/ca.crt")"
	echo 'kind: List'
	echo 'metadata: {resourceVersion: ""}'
} > "$T/sec/node1/secrets.yaml"
openssl verify -no_check_time -CAfile "$T/ca.crt" "$T/b.crt" > /dev/null 2>&1 && fail "openssl: b.crt verifies without its intermediate"
o verify -no_check_time -CAfile "$T/ca.crt" -untrusted "$T/iss.crt" "$T/a.crt"
"$CERTFLEET" scan --now "$NOW" --json "$T/sec.json" "$T/sec/node1" > "$T/out" 2>&1
expect_eq "Secrets: b-tls alone is incomplete, a-tls verifies" \
	'[{"check":"tls-chain-incomplete","path":"secrets.yaml#default/b-tls/tls.crt"}]' \
	"$(jq -c '[.findings[] | select(.check | startswith("tls-chain")) | {check, path}]' "$T/sec.json")"
# --- chains judged as GnuTLS judges them ----------------------------------------------
# Each case is judged by openssl verify and certtool --verify (GnuTLS) on
# the same files; where they agree, the scan's verdict (a tls-chain-*
# finding on the leaf's file, or none) is theirs, at --jobs 1 and 2.
# oracles CA-FILE CHAIN-FILE: "ok" or "fails" when both say so, else "disagree"
oracles() {
	awk '/-----BEGIN CERTIFICATE-----/ { n++ } n == 1 { print > "'"$T"'/or-leaf.pem" } n > 1 { print > "'"$T"'/or-rest.pem" }' "$2"
	[ -s "$T/or-rest.pem" ] || : > "$T/or-rest.pem"
	if [ -s "$T/or-rest.pem" ]; then
		openssl verify -CAfile "$1" -untrusted "$T/or-rest.pem" "$T/or-leaf.pem" > /dev/null 2>&1 && ov=ok || ov=fails
	else
		openssl verify -CAfile "$1" "$T/or-leaf.pem" > /dev/null 2>&1 && ov=ok || ov=fails
	fi
	rm -f "$T/or-rest.pem"
	certtool --verify --load-ca-certificate "$1" --infile "$2" > /dev/null 2>&1 && cv=ok || cv=fails
	[ "$ov" = "$cv" ] && echo "$ov" || echo disagree
}
# scan_chain WHAT NODE-DIR FILE WANT [SCAN-ARGS...]: the scan's chain verdict on FILE is WANT
scan_chain() {
	sc_what=$1 sc_dir=$2 sc_file=$3 sc_want=$4
	shift 4
	for j in 1 2; do
		"$CERTFLEET" scan --now "$CNOW" --jobs $j "$@" --json "$T/sc.json" "$sc_dir" > /dev/null 2>&1
		sc_got=$(jq -r --arg p "$sc_file" '[.findings[] | select(.path == $p and (.check | startswith("tls-chain-")))]
			| if length > 0 then "fails" else "ok" end' "$T/sc.json")
		expect_eq "$sc_what (--jobs $j)" "$sc_want" "$sc_got"
	done
}
# certificates valid at the clock (certtool has no reference time)
CNOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
cat >> "$T/ca.cnf" << EOF2
[chainleaf]
basicConstraints = CA:FALSE
subjectAltName = DNS:\${ENV::CN}
authorityKeyIdentifier = none
subjectKeyIdentifier = none
[highaki]
basicConstraints = CA:FALSE
subjectAltName = DNS:\${ENV::CN}
subjectKeyIdentifier = none
2.5.29.35 = DER:30:17:9f:00:14:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:11:12:13:14
[v1]
[akileaf]
basicConstraints = CA:FALSE
subjectAltName = DNS:\${ENV::CN}
authorityKeyIdentifier = keyid
EOF2
# (1) an authorityKeyIdentifier in a high-tag form (libtasn1 reads it),
# after six good leaves without one: GnuTLS refuses it, alone or not
C1=$T/ch1/n1
mkdir -p "$C1"
cp "$T/ca.crt" "$C1/ca.crt"
for i in 1 2 3 4 5 6; do leaf "$C1/a$i.crt" ca "a$i.example" 20260101000000Z 20300101000000Z chainleaf; done
leaf "$C1/z.crt" ca z.example 20260101000000Z 20300101000000Z highaki
expect_eq "oracles: a1 verifies" ok "$(oracles "$T/ca.crt" "$C1/a1.crt")"
expect_eq "oracles: the high-tag AKI leaf does not" fails "$(oracles "$T/ca.crt" "$C1/z.crt")"
scan_chain "high-tag AKI after six good leaves" "$C1" z.crt fails
scan_chain "a good leaf beside it" "$C1" a3.crt ok
jq -r '.findings[] | select(.path == "z.crt") | .message' "$T/sc.json" | grep -q "authorityKeyIdentifier" ||
	fail "high-tag AKI: the message blames the signature, not the authorityKeyIdentifier"
ok
# (2) a version 1 intermediate: not a CA, however its signatures verify
CN=V1-Mid CAKEY=$T/ca.key CACRT=$T/ca.crt && export CN CAKEY CACRT
o req -new -key "$T/mid.key" -subj /CN=V1-Mid -out "$T/v1mid.csr"
o ca -batch -config "$T/ca.cnf" -in "$T/v1mid.csr" -startdate 20200101000000Z -enddate 20401231000000Z \
	-extensions v1 -notext -out "$T/v1mid.crt"
cp "$T/mid.key" "$T/v1mid.key"
expect_eq "openssl: V1-Mid is version 1" "Version: 1 (0x0)" \
	"$(openssl x509 -in "$T/v1mid.crt" -noout -text | grep -o 'Version: 1 (0x0)')"
C2=$T/ch2/n1
mkdir -p "$C2"
cp "$T/ca.crt" "$C2/ca.crt"
leaf "$T/v1leaf.crt" v1mid v1leaf.example 20260101000000Z 20300101000000Z chainleaf
cat "$T/v1leaf.crt" "$T/v1mid.crt" > "$C2/server.crt"
expect_eq "oracles: a chain through a v1 intermediate fails" fails "$(oracles "$T/ca.crt" "$C2/server.crt")"
scan_chain "v1 intermediate" "$C2" server.crt fails
# (3) a --trust anchor not yet valid at the reference time
CN=Future CAKEY=$T/fut.key CACRT=$T/fut.crt && export CN CAKEY CACRT
o ecparam -genkey -name prime256v1 -noout -out "$T/fut.key"
o req -new -key "$T/fut.key" -subj /CN=Future -out "$T/fut.csr"
o ca -batch -config "$T/ca.cnf" -selfsign -in "$T/fut.csr" -startdate 20400101000000Z \
	-enddate 20451231000000Z -extensions root -notext -out "$T/fut.crt"
C3=$T/ch3/n1
mkdir -p "$C3"
leaf "$C3/server.crt" fut future.example 20260101000000Z 20300101000000Z chainleaf
expect_eq "oracles: a chain to a not yet valid anchor fails" fails "$(oracles "$T/fut.crt" "$C3/server.crt")"
scan_chain "--trust anchor not yet valid" "$C3" server.crt fails --trust "$T/fut.crt"
# (5) a self-issued leaf (its issuer's name its own) signed by its root
CN=Self-Root CAKEY=$T/sr.key CACRT=$T/sr.crt && export CN CAKEY CACRT
o ecparam -genkey -name prime256v1 -noout -out "$T/sr.key"
o req -new -key "$T/sr.key" -subj /CN=Self-Root -out "$T/sr.csr"
o ca -batch -config "$T/ca.cnf" -selfsign -in "$T/sr.csr" -startdate 20200101000000Z \
	-enddate 20451231000000Z -extensions root -notext -out "$T/sr.crt"
C5=$T/ch5/n1
mkdir -p "$C5"
cp "$T/sr.crt" "$C5/ca.crt"
leaf "$C5/server.crt" sr Self-Root 20260101000000Z 20300101000000Z akileaf
expect_eq "openssl: the leaf is self-issued" "$(openssl x509 -in "$C5/server.crt" -noout -subject | sed 's/subject=//')" \
	"$(openssl x509 -in "$C5/server.crt" -noout -issuer | sed 's/issuer=//')"
expect_eq "oracles: the self-issued leaf verifies" ok "$(oracles "$T/sr.crt" "$C5/server.crt")"
scan_chain "self-issued leaf signed by its root" "$C5" server.crt ok
# (6) a node whose only CA is self-signed with CA:FALSE: a finding, not a skip
C6=$T/ch6/n1
mkdir -p "$C6"
cat >> "$T/ca.cnf" << EOF2
[notca]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyCertSign,digitalSignature
EOF2
CN=Not-CA CAKEY=$T/nca.key CACRT=$T/nca.crt && export CN CAKEY CACRT
o ecparam -genkey -name prime256v1 -noout -out "$T/nca.key"
o req -new -key "$T/nca.key" -subj /CN=Not-CA -out "$T/nca.csr"
o ca -batch -config "$T/ca.cnf" -selfsign -in "$T/nca.csr" -startdate 20200101000000Z \
	-enddate 20451231000000Z -extensions notca -notext -out "$T/nca.crt"
cp "$T/nca.crt" "$C6/ca.crt"
leaf "$C6/server.crt" nca nca-leaf.example 20260101000000Z 20300101000000Z chainleaf
expect_eq "oracles: a chain to a CA:FALSE root fails" fails "$(oracles "$T/nca.crt" "$C6/server.crt")"
scan_chain "only CA is CA:FALSE" "$C6" server.crt fails
expect_eq "only CA is CA:FALSE: no skip" 0 "$(jq '[.skipped[] | select(.path == "(chains)")] | length' "$T/sc.json")"
# (7) a version 1 self-signed leaf under --trust: no anchor (openssl: error 18)
C7=$T/ch7/n1
mkdir -p "$C7"
cp "$H/v1-root.crt" "$C7/server.crt"
cp "$T/ca.crt" "$C7/ca.crt"
expect_eq "oracles: the v1 self-signed leaf against --trust ca" fails "$(oracles "$T/ca.crt" "$C7/server.crt")"
scan_chain "v1 self-signed leaf under --trust" "$C7" server.crt fails --trust "$T/ca.crt"
# (4) an issuer name equal but for PrintableString vs UTF8String: where
# the oracles disagree (certtool 3.7 refuses it, openssl accepts), the
# verdict is GnuTLS's: certtool's, whatever it is here
printf '[req]\ndistinguished_name=dn\nstring_mask=default\nprompt=no\n[dn]\nCN=Root PS\n[e]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n' > "$T/ps.cnf"
sed 's/string_mask=default/string_mask=utf8only/' "$T/ps.cnf" > "$T/u8.cnf"
o req -x509 -new -key "$T/sr.key" -config "$T/ps.cnf" -extensions e -days 3650 -out "$T/rps.crt"
o req -x509 -new -key "$T/sr.key" -config "$T/u8.cnf" -extensions e -days 3650 -out "$T/ru8.crt"
cp "$T/sr.key" "$T/ru8.key"
C4=$T/ch4/n1
mkdir -p "$C4"
cp "$T/rps.crt" "$C4/ca.crt"
leaf "$C4/server.crt" ru8 ps-leaf.example 20260101000000Z 20300101000000Z chainleaf
certtool --verify --load-ca-certificate "$T/rps.crt" --infile "$C4/server.crt" > /dev/null 2>&1 && cv=ok || cv=fails
scan_chain "PrintableString anchor, UTF8String issuer: as certtool" "$C4" server.crt $cv
# --trust-only: a node still on its own CA no longer passes
C8=$T/ch8
for n in n1 n2; do
	mkdir -p "$C8/$n"
	cp "$T/ca.crt" "$C8/$n/ca.crt"
	leaf "$C8/$n/server.crt" ca "$n.example" 20260101000000Z 20300101000000Z chainleaf
done
mkdir -p "$C8/n3"
cp "$T/old.crt" "$C8/n3/ca.crt"
leaf "$C8/n3/server.crt" old n3.example 20260101000000Z 20300101000000Z chainleaf
"$CERTFLEET" scan --now "$CNOW" --per-node '*' --trust-only "$T/ca.crt" --json "$T/to.json" "$C8" > "$T/out" 2>&1
expect_eq "--trust-only: n3 (on its own old CA) untrusted, and only it" '["n3 tls-chain-untrusted"]' \
	"$(jq -c '[.findings[] | select(.check | startswith("tls-chain") or . == "tls-trust-split") | .node + " " + .check]' "$T/to.json")"
"$CERTFLEET" scan --now "$CNOW" --per-node '*' --trust "$T/ca.crt" --json "$T/to.json" "$C8" > "$T/out" 2>&1
expect_eq "--trust: n3's own root is an anchor" '[]' \
	"$(jq -c '[.findings[] | select(.check == "tls-chain-untrusted") | .node]' "$T/to.json")"
# --- a pattern that matches nothing says so ------------------------------------------
F2=$T/layout/fleet
"$CERTFLEET" scan --now "$NOW" --expect-name 'server.crt={node}.x' --identical 'ca.crt' --per-node 'nope/*' \
	--json "$T/pu.json" "$F2" > "$T/out" 2>&1
expect_eq "unmatched patterns: exit 0 (warnings)" 0 $?
expect_eq "unmatched patterns: one tls-policy-unmatched each" 3 \
	"$(jq '[.findings[] | select(.check == "tls-policy-unmatched" and .path == "(policy)")] | length' "$T/pu.json")"
jq -r '.findings[] | select(.check == "tls-policy-unmatched") | .message' "$T/pu.json" | grep -q "write '\*/server.crt'" ||
	fail "unmatched --expect-name: no hint at */server.crt"
ok
"$CERTFLEET" scan --now "$NOW" --expect-name '*/server.crt={node}.example' --identical '*/ca.crt' \
	--per-node 'etc/tls/server.crt' --json "$T/pu.json" "$F2" > "$T/out" 2>&1
expect_eq "matching patterns: no tls-policy-unmatched" 0 \
	"$(jq '[.findings[] | select(.check == "tls-policy-unmatched")] | length' "$T/pu.json")"
# --- what both oracles load is at most tls-der-noncanonical; year 0000 is read ---------
need python3
R=$T/residue/n1
mkdir -p "$R"
# a GeneralizedTime in year 0000 (openssl ca writes it, openssl reads it)
CN=y0 CAKEY=$T/ca.key CACRT=$T/ca.crt && export CN CAKEY CACRT
o req -new -key "$T/k.key" -subj /CN=y0 -out "$T/y0.csr"
o ca -batch -config "$T/ca.cnf" -in "$T/y0.csr" -startdate 00000101000000Z -enddate 20300101000000Z \
	-extensions server -notext -out "$R/y0.crt"
expect_eq "openssl reads year 0" "notBefore=Jan  1 00:00:00 0 GMT" "$(openssl x509 -in "$R/y0.crt" -noout -startdate)"
expect_exit "show y0.crt" 0 "$CERTFLEET" show "$R/y0.crt"
expect_eq "show: notBefore in year 0000" "0000-01-01T00:00:00Z" "$(awk '$1 == "not-before" { print $2 }' "$T/out")"
grep -q 1969 "$T/out" && fail "show prints the 1969 sentinel"
ok
# version v1 written out explicitly, and an extendedKeyUsage with a
# non-minimal length: edited and signed again (tests/cli/resign.py)
o x509 -in "$T/v1.csr" -req -signkey "$T/v1.key" -days 30 -outform DER -out "$T/v1.der"
"$TOOL_python3" "$SRC/tests/cli/resign.py" "$T/v1.der" "$R/explicit-v1.der" "$T/v1.key" explicit-v1 ||
	fail "resign explicit-v1"
o x509 -in "$H/pki/apiserver.crt" -outform DER -out "$T/srv.der"
"$TOOL_python3" "$SRC/tests/cli/resign.py" "$T/srv.der" "$R/eku-long.der" "$T/kube.key" eku-long-len ||
	fail "resign eku-long-len"
for f in explicit-v1 eku-long; do
	o x509 -inform DER -in "$R/$f.der" -noout
	certtool --certificate-info --inder --infile "$R/$f.der" > /dev/null 2>&1 || fail "certtool does not load $f.der"
	ok
done
"$CERTFLEET" scan --now "$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)" --max-validity 20000 --json "$T/res.json" "$R" > "$T/out" 2>&1
expect_eq "residue: no tls-cert-invalid" 0 "$(jq '[.findings[] | select(.check == "tls-cert-invalid")] | length' "$T/res.json")"
expect_eq "residue: explicit v1 and the long EKU length are noncanonical" '["eku-long.der","explicit-v1.der"]' \
	"$(jq -c '[.findings[] | select(.check == "tls-der-noncanonical") | .path] | sort' "$T/res.json")"
expect_eq "residue: year 0000 in JSON" "0000-01-01T00:00:00Z" \
	"$(jq -r '.certificates[] | select(.path == "y0.crt") | .not_before' "$T/res.json")"
# --- Markdown: text from a certificate never mentions, links or autolinks -----------------
need cmark-gfm
M=$T/md/n1
mkdir -p "$M"
printf 'basicConstraints=CA:FALSE\nsubjectAltName=URI:https://evil.example/x,DNS:www.evil.example,email:a@b.example\n' > "$T/md.ext"
o req -new -key "$T/k.key" -subj "/CN=leaf @octocat" -out "$T/md.csr"
o x509 -req -in "$T/md.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -days 30 -set_serial 9 -extfile "$T/md.ext" \
	-out "$M/www.evil.example@host.pem"
"$CERTFLEET" scan --now "$CNOW" --expect-name '*=n1.example' --markdown "$T/md.md" "$M" > /dev/null 2>&1
grep -q "evil.example/x" "$T/md.md" || fail "markdown: the SAN URI is not in the report at all"
ok
"$TOOL_cmark_gfm" -e autolink "$T/md.md" > "$T/md.html"
expect_eq "markdown: no link, autolink or image" 0 "$(grep -c '<a \|<img ' "$T/md.html")"
expect_eq "markdown: no @mention" 0 "$(grep -c '@octocat' "$T/md.html")"
# --- --password-file: refused when others may write it, warned when all may read it ------
echo secret > "$T/pw"
chmod 666 "$T/pw"
expect_exit "--password-file mode 0666" 2 "$CERTFLEET" scan --now "$NOW" --password-file "$T/pw" "$T/ca.crt"
grep -q "writable by everyone (mode 0666); refused" "$T/err" || fail "0666: no clear refusal"
ok
chmod 620 "$T/pw"
expect_exit "--password-file mode 0620" 2 "$CERTFLEET" scan --now "$NOW" --password-file "$T/pw" "$T/ca.crt"
chmod 644 "$T/pw"
expect_exit "--password-file mode 0644" 0 "$CERTFLEET" scan --now "$NOW" --password-file "$T/pw" "$T/ca.crt"
grep -q "warning: --password-file .* is readable by everyone" "$T/err" || fail "0644: no warning"
ok
chmod 600 "$T/pw"
expect_exit "--password-file mode 0600" 0 "$CERTFLEET" scan --now "$NOW" --password-file "$T/pw" "$T/ca.crt"
expect_eq "0600: nothing said about it" "" "$(grep password-file "$T/err")"
# --- more issuers of one name than are tried: incomplete, naming the bound ------------------
S1=$T/samename/n1
mkdir -p "$S1"
i=1
while [ $i -le 12 ]; do
	o ecparam -genkey -name prime256v1 -noout -out "$T/same$i.key"
	o req -x509 -new -key "$T/same$i.key" -subj "/CN=Same CA" -days 3650 -addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign" -addext "subjectKeyIdentifier=none" -out "$S1/ca$i.crt"
	i=$((i + 1))
done
# the signer: the one whose SHA-256 sorts last (candidates are tried in that order)
last=$(for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	echo "$(openssl x509 -in "$S1/ca$i.crt" -outform DER | sha256sum | cut -c1-64) $i"; done | sort | tail -n 1 | cut -d' ' -f2)
o req -new -key "$T/k.key" -subj /CN=same-leaf -out "$T/same.csr"
printf 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:same.example\nauthorityKeyIdentifier=none\nsubjectKeyIdentifier=none\n' > "$T/same.ext"
o x509 -req -in "$T/same.csr" -CA "$S1/ca$last.crt" -CAkey "$T/same$last.key" -days 30 -extfile "$T/same.ext" -out "$S1/server.crt"
"$CERTFLEET" scan --now "$CNOW" --json "$T/same.json" "$S1" > "$T/out" 2>&1
expect_eq "12 CAs of one name: incomplete, never a bad signature" '["tls-chain-incomplete"]' \
	"$(jq -c '[.findings[] | select(.path == "server.crt" and (.check | startswith("tls-chain"))) | .check]' "$T/same.json")"
jq -r '.findings[] | select(.check == "tls-chain-incomplete") | .message' "$T/same.json" | grep -q "not found among the first 8" ||
	fail "12 CAs of one name: the bound is not named"
ok
# --- no password oracle: passwords apply only where the user says -----------------------
need keytool
J=$T/oracle/n1
mkdir -p "$J/upload" "$J/etc/keystores"
for g in guess-one guess-two right-pw guess-four; do
	keytool -importcert -noprompt -keystore "$J/upload/$g.jks" -storetype JKS -storepass "$g" -alias ca \
		-file "$T/ca.crt" > "$T/kt.out" 2>&1 || { cat "$T/kt.out" >&2; fail "keytool $g"; }
done
cp "$J/upload/right-pw.jks" "$J/etc/keystores/app.jks"
echo right-pw > "$T/kspw"
chmod 600 "$T/kspw"
# verdict_of FILE JSON: what the scan says of FILE, its path left out
verdict_of() { jq -c --arg p "$1" '[.findings[] | select(.path == $p) | {check, message}] | sort' "$2"; }
"$CERTFLEET" scan --now "$NOW" --password-file 'etc/keystores/*='"$T/kspw" --json "$T/or.json" "$J" > /dev/null 2>&1
v=$(verdict_of upload/guess-one.jks "$T/or.json")
for g in guess-two right-pw guess-four; do
	expect_eq "scoped password: upload/$g.jks says what upload/guess-one.jks says" "$v" \
		"$(verdict_of "upload/$g.jks" "$T/or.json")"
done
expect_eq "scoped password: the keystore in scope is checked and opens" "[]" \
	"$(verdict_of etc/keystores/app.jks "$T/or.json")"
# unscoped (a bare --password-file) the digests tell the right guess apart:
# the residual signal the README names
"$CERTFLEET" scan --now "$NOW" --password-file "$T/kspw" --json "$T/or2.json" "$J" > /dev/null 2>&1
[ "$(verdict_of upload/guess-one.jks "$T/or2.json")" != "$(verdict_of upload/right-pw.jks "$T/or2.json")" ] ||
	fail "unscoped: the oracle the README describes is not there"
ok
done_ok
