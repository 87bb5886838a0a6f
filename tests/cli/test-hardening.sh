#!/bin/sh
# Hardening II: a hostile or careless user cannot make a scan run programs,
# write through links or outside the named report paths, or spend
# unbounded work; every problem is reported, never skipped in silence.
. "$(dirname "$0")/lib.sh"
need jq

# --- archives run nothing ------------------------------------------------------
# A fake program for every external decompressor libarchive knows, first in
# PATH: each leaves a marker when run. Archives that start with their magic
# (and the formats certfleet reads) are scanned; none may run, and each
# foreign one is a tls-input-unreadable finding that names what it is.
fb=$T/fakebin
mkdir -p "$fb" "$T/ext"
for p in lzop lrzip grzip lz4 lzip lzma xz unxz gzip gunzip bzip2 bunzip2 zstd unzstd compress \
	uncompress uudecode rpm2cpio 7z 7za unrar cpio bsdtar; do
	printf '#!/bin/sh\ntouch "%s/ran-%s"\nexit 1\n' "$T" "$p" > "$fb/$p"
	chmod 755 "$fb/$p"
done
magic() {   # magic NAME BYTES: an archive NAME.tar.gz starting with BYTES, then junk
	{ printf "$2"; head -c 600 /dev/zero | tr '\0' 'x'; } > "$T/ext/$1.tar.gz"
}
magic lzop '\211LZO\000\r\n\032\n'
magic lrzip 'LRZI\000\006'
magic grzip 'GRZipII\000\002\004:)'
magic lz4 '\004\042\115\030'
magic lzip 'LZIP\001'
magic compress '\037\235\220'
magic lzma ']\000\000\200\000'
magic uuencode 'begin 644 x.tar\n'
magic rpm '\355\253\356\333'
for a in n02.tar n03.tar.gz n04.tar.xz n05.tar.zst n06.tar.bz2 n07.zip; do
	cp "$TD/fleet-archives/$a" "$T/ext/"
done
PATH="$fb:$PATH" "$CERTFLEET" scan --now "$NOW" --json "$T/ext.json" "$T/ext" > /dev/null 2> "$T/ext.err"
expect_eq "no external program ran" "" "$(ls "$T" | grep '^ran-' || true)"
for k in lzop lrzip grzip lz4 lzip compress lzma uuencode rpm; do
	m=$(jq -r --arg n "$k" '.findings[] | select(.node == $n and .check == "tls-input-unreadable") | .message' "$T/ext.json")
	case $k in compress) want="compress (.Z) data" ;; *) want="$k data" ;; esac
	case $m in *"$want, which certfleet does not read"*) ok ;; *) fail "$k: finding '$m'" ;; esac
done
# the formats certfleet reads are read by libarchive's own code, the fake
# gzip, xz, zstd and bzip2 notwithstanding
for n in n02 n03 n04 n05 n06 n07; do
	[ "$(jq --arg n "$n" '[.certificates[] | select(.node == $n)] | length' "$T/ext.json")" -ge 3 ] ||
		fail "$n: not read with built-in code"
	ok
done
expect_eq "no unreadable finding on a readable archive" 0 \
	"$(jq '[.findings[] | select(.check == "tls-input-unreadable" and (.node | test("^n0")))] | length' "$T/ext.json")"

# --- archives cost bounded work -------------------------------------------------
# zip counts the bytes it decompresses (it used to count its packed bytes,
# so no size limit ever tripped): a 48 MB zero entry in a 47 KB zip passes
# --max-total-size 32 MB and the 100:1 ratio (counted past 16 MiB unpacked)
mkdir -p "$T/zb" "$T/zb/src"
head -c 48000000 /dev/zero > "$T/zb/src/zeros.crt"
(cd "$T/zb/src" && zip -q "$T/zb/z1.zip" zeros.crt) || fail "zip"
rm -f "$T/zb/src/zeros.crt"
expect_exit "zip bomb" 1 "$CERTFLEET" scan --now "$NOW" --max-file-size 64000000 --json "$T/zb.json" "$T/zb/z1.zip"
expect_eq "zip: the ratio limit trips" 1 \
	"$(jq '[.findings[] | select(.check == "tls-input-unreadable" and (.message | contains("--max-ratio")))] | length' "$T/zb.json")"
expect_exit "zip over the total size" 1 "$CERTFLEET" scan --now "$NOW" --max-file-size 64000000 --max-ratio 100000 \
	--max-total-size 32000000 --json "$T/zb2.json" "$T/zb/z1.zip"
expect_eq "zip: the size limit trips" 1 \
	"$(jq '[.findings[] | select(.check == "tls-input-unreadable" and (.message | contains("--max-total-size")))] | length' "$T/zb2.json")"
# nested archives share their node archive's budget: two inner archives of
# 12 MB each pass 20 MB together, not each alone
mkdir -p "$T/nest/a" "$T/nest/b" "$T/nest/o"
head -c 12000000 /dev/urandom > "$T/nest/a/x.crt"
cp "$T/nest/a/x.crt" "$T/nest/b/x.crt"
tar -C "$T/nest/a" -czf "$T/nest/o/a.tar.gz" x.crt && tar -C "$T/nest/b" -czf "$T/nest/o/b.tar.gz" x.crt &&
	tar -C "$T/nest/o" -cf "$T/nest/n1.tar" a.tar.gz b.tar.gz || fail "nested tar"
expect_exit "nested budget" 1 "$CERTFLEET" scan --now "$NOW" --max-total-size 20000000 --json "$T/nest.json" "$T/nest/n1.tar"
expect_eq "nested: one budget for the node archive" 1 \
	"$(jq '[.findings[] | select(.message | contains("--max-total-size"))] | length' "$T/nest.json")"
rm -rf "$T/zb" "$T/nest"
# zip entries that share their bytes (the overlapping-entry bomb) are refused:
# a stored zip of two files whose second entry is pointed at the first one's
# bytes (patched by perl, from Debian's essential perl-base)
mkdir -p "$T/zo"
cp "$TD/fixtures/valid-ed25519.pem" "$T/zo/a.crt" && cp "$TD/fixtures/sem-expired.pem" "$T/zo/b.crt"
(cd "$T/zo" && zip -q -0 ok.zip a.crt b.crt) || fail "zip"
perl -e 'local $/; open(my $f, "<", $ARGV[0]) or die; binmode $f; my $z = <$f>;
	my $i = index($z, "PK\x01\x02"); $i = index($z, "PK\x01\x02", $i + 4); die "no entry" if $i < 0;
	substr($z, $i + 42, 4) = pack("V", 0); open(my $o, ">", $ARGV[1]) or die; binmode $o; print {$o} $z;' \
	"$T/zo/ok.zip" "$T/zo/bomb.zip" || fail "perl"
expect_exit "overlapping zip entries" 1 "$CERTFLEET" scan --now "$NOW" --json "$T/zo.json" "$T/zo/bomb.zip"
expect_eq "overlap: refused, nothing read" "0 1" "$(jq -r '"\(.summary.certificates) \([.findings[] | select(.message | contains("share their bytes"))] | length)"' "$T/zo.json")"
expect_exit "the same zip, not patched" 1 "$CERTFLEET" scan --now "$NOW" --json "$T/zo2.json" "$T/zo/ok.zip"
expect_eq "not patched: both read" 2 "$(jq '.summary.certificates' "$T/zo2.json")"
rm -rf "$T/zo"

# --- what cannot be read is a finding, never a skip ------------------------------
# an unreadable folder (as an unprivileged user) and a path over 4096 bytes,
# each holding an expired certificate: the scan must not pass
as_nobody
mkdir -p "$T/ur/n1/etc/tls/locked"
cp "$TD/fixtures/valid-ed25519.pem" "$T/ur/n1/etc/tls/ok.crt"
cp "$TD/fixtures/sem-expired.pem" "$T/ur/n1/etc/tls/locked/old.crt"
chmod -R a+rX "$T/ur"
chmod 000 "$T/ur/n1/etc/tls/locked"
if [ -n "$as_user" ] || [ "$(id -u)" -ne 0 ]; then
	expect_exit "an unreadable folder fails the scan" 1 $as_user "$CF_NOBODY" scan --now "$NOW" --node n1 --json - "$T/ur/n1"
	expect_eq "unreadable folder: a finding" "tls-input-unreadable etc/tls/locked" \
		"$(jq -r '.findings[] | "\(.check) \(.path)"' "$T/out")"
fi
chmod 755 "$T/ur/n1/etc/tls/locked"
# (made one relative step at a time, by perl from Debian's essential
# perl-base: no single path names it, and sh's cd stops at 4096 bytes)
mkdir -p "$T/deep/n1"
perl -e 'my $n = "d" x 200; chdir $ARGV[0] or die; for (1 .. 22) { mkdir $n or die; chdir $n or die }
	open(my $in, "<", $ARGV[1]) or die; open(my $out, ">", "old.crt") or die; print {$out} <$in>;' \
	"$T/deep/n1" "$TD/fixtures/sem-expired.pem" || fail "cannot make the deep path"
expect_exit "a path over 4096 bytes fails the scan" 1 "$CERTFLEET" scan --now "$NOW" --node n1 --json "$T/deep.json" "$T/deep/n1"
expect_eq "long path: a finding (and nothing audited)" "tls-input-empty tls-input-unreadable" "$(jq -r '[.findings[].check] | unique | join(" ")' "$T/deep.json")"
rm -rf "$T/ur"
rm -rf "$T/deep"

# --- a path twice in one node counts once -----------------------------------------
# three nodes with the same ca.crt; node n3's archive holds server.crt twice
# (an expired one, then the good one, as `tar -r` appends): the node was
# counted twice in the vote and flagged the healthy nodes; now the last
# copy is audited (as extraction keeps it) and tls-path-duplicate says so
mkdir -p "$T/dup/fleet" "$T/dup/a/etc/tls" "$T/dup/b/etc/tls"
for n in n1 n2; do
	mkdir -p "$T/dup/fleet/$n/etc/tls"
	cp "$TD/fleet/n01/etc/tls/ca.crt" "$T/dup/fleet/$n/etc/tls/ca.crt"
done
cp "$TD/fleet/n01/etc/tls/ca.crt" "$T/dup/a/etc/tls/ca.crt"
cp "$TD/fixtures/sem-expired.pem" "$T/dup/a/etc/tls/ca.crt.old"
cp "$TD/fixtures/sem-expired.pem" "$T/dup/b/etc/tls/ca.crt"
tar -C "$T/dup/b" -cf "$T/dup/fleet/n3.tar" etc/tls/ca.crt && tar -C "$T/dup/a" -rf "$T/dup/fleet/n3.tar" etc/tls/ca.crt ||
	fail "tar"
expect_exit "a path twice in an archive" 0 "$CERTFLEET" scan --now "$NOW" --json "$T/dup.json" "$T/dup/fleet"
expect_eq "one warning, no mismatch, no expired" "tls-path-duplicate n3 etc/tls/ca.crt" \
	"$(jq -r '.findings[] | "\(.check) \(.node) \(.path)"' "$T/dup.json")"
expect_eq "the node's file counted once" 3 "$(jq '.summary.files' "$T/dup.json")"
rm -rf "$T/dup"

# --- one INPUT, one set of nodes ----------------------------------------------------
# the same INPUT twice doubled every finding; two INPUTs that yield one node
# name merged it silently and passed although their certificates differ
expect_exit "the same INPUT twice" 2 "$CERTFLEET" scan --now "$NOW" "$TD/fleet" "$TD/fleet/"
grep -q "the same INPUT twice" "$T/err" || fail "same INPUT: no clear error"
mkdir -p "$T/dc1/web" "$T/dc2/web"
cp "$TD/fleet/n01/etc/tls/server.crt" "$T/dc1/web/server.crt"
cp "$TD/fleet/n08/etc/tls/server.crt" "$T/dc2/web/server.crt"
expect_exit "two INPUTs, one node name" 2 "$CERTFLEET" scan --now "$NOW" "$T/dc1/web" "$T/dc2/web"
grep -q "yields node web, which .*dc1/web yields too" "$T/err" || fail "node clash: no clear error"
expect_exit "two fleets with a node of one name" 2 "$CERTFLEET" scan --now "$NOW" "$T/dc1" "$T/dc2"
expect_exit "--node merges on purpose" 0 "$CERTFLEET" scan --now "$NOW" --node web --quiet \
	"$TD/fixtures/valid-ed25519.pem" "$TD/fixtures/valid-p256.pem"
rm -rf "$T/dc1" "$T/dc2"
# an empty folder (memcpy from NULL before: undefined behaviour under UBSan)
mkdir "$T/empty"
expect_exit "an empty folder" 0 "$CERTFLEET" scan --now "$NOW" --allow-empty --quiet "$T/empty"

# --- every string from an input is sanitized ---------------------------------------
# a skip reason quoting an archive's raw name (an escape sequence, a newline
# and a byte that is not UTF-8) used to reach the terminal as is and broke
# the JSON (exit 2); bidi controls in a name used to reach the terminal
mkdir -p "$T/sn/src" "$T/sn/in"
{ echo '-----BEGIN NOTE-----'; head -c 400 /dev/zero | tr '\0' 'a'; } > "$T/sn/src/notes.txt"
bad=$(printf 'n\033[31mred\nline\377')
tar -C "$T/sn/src" -cf "$T/sn/in/$bad.tar" notes.txt || fail "tar"
mkdir -p "$T/sn/bidi"
cp "$TD/fixtures/valid-ed25519.pem" "$T/sn/bidi/$(printf 'bidi\342\200\256gnp.crt')"
expect_exit "hostile names in reasons" 0 "$CERTFLEET" scan --now "$NOW" --allow-empty --max-file-size 100 --json "$T/sn.json" \
	--markdown "$T/sn.md" "$T/sn/in"
jq -e . "$T/sn.json" > /dev/null || fail "the JSON does not parse"
expect_eq "the reason's archive name is escaped" 1 \
	"$(jq '[.skipped[] | select(.reason | contains("\\x1b[31mred\\x0aline\\xff"))] | length' "$T/sn.json")"
grep -q "$(printf '\033')" "$T/out" "$T/sn.md" && fail "an escape sequence reached the terminal or the Markdown"
expect_exit "a bidi control in a name" 0 "$CERTFLEET" scan --now "$NOW" --node n1 --json "$T/sn.json" \
	--markdown "$T/sn.md" "$T/sn/bidi"
grep -q "$(printf '\342\200\256')" "$T/out" "$T/sn.md" "$T/sn.json" && fail "a bidi control passed through"
expect_eq "the bidi control is escaped" 1 \
	"$(jq '[.certificates[] | select(.path == "bidi\\xe2\\x80\\xaegnp.crt")] | length' "$T/sn.json")"
rm -rf "$T/sn"

# --- findings are bounded --------------------------------------------------------
# 16 MiB of '-----BEGIN A-----' lines (466,034 findings before): at most 100
# of one check per file, then one that says how many more
mkdir -p "$T/boom/n1"
yes -- '-----BEGIN A-----' | head -c 16000000 > "$T/boom/n1/boom.pem"
expect_exit "a findings explosion" 1 "$CERTFLEET" scan --now "$NOW" --json "$T/boom.json" "$T/boom/n1"
expect_eq "at most 100 + 1 findings" 101 "$(jq '[.findings[] | select(.check == "tls-cert-invalid")] | length' "$T/boom.json")"
expect_eq "the last says how many more" 1 \
	"$(jq '[.findings[] | select(.message | test("and [0-9]{6} more PEM blocks"))] | length' "$T/boom.json")"
rm -rf "$T/boom"
# 150 expired certificates in one bundle: 100 listed, one more finding for 50
mkdir -p "$T/b150"
for i in $(seq 1 150); do cat "$TD/fixtures/sem-expired.pem"; done > "$T/b150/bundle.pem"
expect_exit "150 expired in one bundle" 1 "$CERTFLEET" scan --now "$NOW" --node n1 --json "$T/b150.json" "$T/b150/bundle.pem"
expect_eq "100 expired listed + 1" 101 "$(jq '[.findings[] | select(.check == "tls-cert-expired")] | length' "$T/b150.json")"
expect_eq "and 50 more" 1 "$(jq '[.findings[] | select(.message | contains("and 50 more in this file"))] | length' "$T/b150.json")"

# --- small holes ----------------------------------------------------------------------
# a --comment starting with TYPE or HELP would be Prometheus metadata
"$CERTFLEET" scan --now "$NOW" --quiet --comment "TYPE certfleet_findings counter" --prom "$T/c.prom" \
	"$TD/fixtures/valid-ed25519.pem" || fail "comment scan"
expect_eq "a TYPE comment stays a comment" "# comment: TYPE certfleet_findings counter" "$(head -n 1 "$T/c.prom")"
if [ -n "${TOOL_promtool:-}" ] && [ "${TOOL_promtool%-NOTFOUND}" = "$TOOL_promtool" ]; then
	"$TOOL_promtool" check metrics < "$T/c.prom" > /dev/null 2>&1 || fail "promtool rejects the TYPE comment"
	ok
fi
# standard input honours --max-file-size like a file
head -c 5000 "$TD/fixtures/chain-leaf-intermediate-root.pem" > "$T/big.pem"
expect_exit "stdin over --max-file-size" 1 sh -c "\"$CERTFLEET\" scan --now $NOW --node n1 --max-file-size 1000 --json \"$T/si.json\" - < \"$T/big.pem\""
expect_eq "stdin: the limit is a finding" 1 \
	"$(jq '[.findings[] | select(.check == "tls-input-unreadable" and (.message | contains("--max-file-size")))] | length' "$T/si.json")"

# a bundle of more than 65,535 members: each keeps its own index (the
# index saturated at 65535 before: two certificates both [65535])
mkdir -p "$T/many"
yes -- "$(cat "$TD/fixtures/valid-ed25519.pem")" | head -n $((66000 * $(wc -l < "$TD/fixtures/valid-ed25519.pem"))) \
	> "$T/many/bundle.pem"
expect_exit "66,000 members" 0 "$CERTFLEET" scan --now "$NOW" --node n1 --max-file-size 100000000 --json "$T/many.json" \
	"$T/many/bundle.pem"
expect_eq "the last member's index" 65999 "$(jq '.certificates[-1].index' "$T/many.json")"
expect_eq "indexes distinct" 66000 "$(jq '[.certificates[].index] | unique | length' "$T/many.json")"
rm -rf "$T/many" "$T/many.json"
# a summary that cannot be written (standard output on /dev/full) is exit 2
expect_exit "summary to /dev/full" 2 sh -c "\"$CERTFLEET\" scan --now $NOW \"$TD/fixtures/valid-ed25519.pem\" > /dev/full"
grep -q "the summary could not be written" "$T/err" || fail "/dev/full: no clear error"

# --- options parsed strictly ---------------------------------------------------
for v in "--now @99999999999999999" "--now @-9223372036854775808" "--now 2026-02-31T00:00:00Z" \
	"--now 2026-06-01T00:00:00+99:99" "--jobs 4294967297" "--jobs 0" "--jobs 257" \
	"--max-file-size 18446744073709551615" "--max-total-size 99999999999999999999" \
	"--max-entries 1125899906842625"; do
	# shellcheck disable=SC2086
	expect_exit "refused: $v" 2 "$CERTFLEET" scan $v "$TD/fixtures/valid-ed25519.pem"
	grep -q "invalid value for --" "$T/err" || fail "$v: no clear error"
	ok
done

# --- certfleet-gen checks its arguments before it writes anything ----------------------
mkdir "$T/g" && cd "$T/g" || fail "cd"
expect_exit "fixtures --help" 0 "$CERTFLEET_GEN" fixtures --help
expect_exit "fleet --help" 0 "$CERTFLEET_GEN" fleet --help
for a in "fleet out --nodes 10abc" "fleet out --nodes 0" "fleet out --nodes 3 --certs-per-node 2x" \
	"fleet out --nodes 3 --faults expired=2" "fleet out --nodes 3 --faults expired=nan" \
	"fleet out --nodes 3 --faults expired=0.5x" "fleet out --nodes 3 --faults nothing@n01" \
	"fleet out --nodes 3 --format bogus" "bogus out" "fleet -x --nodes 3"; do
	# shellcheck disable=SC2086
	expect_exit "certfleet-gen $a" 2 "$CERTFLEET_GEN" $a
done
expect_eq "nothing written by refused commands" "" "$(ls -A)"
# a rate that lands on a node another fault already changed passes it over
expect_exit "rate beside KIND@NODE" 0 "$CERTFLEET_GEN" fleet out --now "$NOW" --nodes 20 --faults missing@n03,key-mismatch=1
expect_eq "key-mismatch on every node that has a server key" 19 \
	"$(jq '[.findings[] | select(.check == "tls-key-mismatch")] | length' out/expected.json)"
cd "$T" || fail "cd"
rm -rf "$T/g"

# --- report paths that cannot be hijacked ---------------------------------------
F=$TD/fixtures
r=$T/rep
mkdir -p "$r"
echo VICTIM > "$r/victim"
ln -s "$r/victim" "$r/link.json"
expect_exit "a link at the report path" 2 "$CERTFLEET" scan --now "$NOW" --json "$r/link.json" "$F/valid-ed25519.pem"
grep -q "link.json: is a symbolic link" "$T/err" || fail "link: no clear error"
expect_eq "the link's target untouched" VICTIM "$(cat "$r/victim")"
[ -L "$r/link.json" ] || fail "the link was replaced"
ok
mkfifo "$r/fifo.json"
expect_exit "a FIFO at the report path (no hang)" 2 timeout 20 "$CERTFLEET" scan --now "$NOW" --json "$r/fifo.json" "$F/valid-ed25519.pem"
grep -q "fifo.json: is not a regular file" "$T/err" || fail "FIFO: no clear error"
mkdir "$r/dir.json"
expect_exit "a folder at the report path" 2 "$CERTFLEET" scan --now "$NOW" --json "$r/dir.json" "$F/valid-ed25519.pem"
grep -q "dir.json: is a folder" "$T/err" || fail "folder: no clear error"
# a report path equal to an INPUT, or a certificate inside an INPUT folder
cp "$F/valid-ed25519.pem" "$r/in.pem"
cp -r "$TD/fleet/n01" "$r/node"
expect_exit "report over its own INPUT" 2 "$CERTFLEET" scan --now "$NOW" --json "$r/in.pem" "$r/in.pem"
grep -q "in.pem: is an INPUT of this scan" "$T/err" || fail "INPUT: no clear error"
cmp -s "$F/valid-ed25519.pem" "$r/in.pem" || fail "the INPUT certificate was overwritten"
ok
expect_exit "report over a certificate of an INPUT folder" 2 "$CERTFLEET" scan --now "$NOW" \
	--json "$r/node/etc/tls/server.crt" "$r/node"
grep -q "is a certificate or key file inside the INPUT" "$T/err" || fail "INPUT folder: no clear error"
cmp -s "$TD/fleet/n01/etc/tls/server.crt" "$r/node/etc/tls/server.crt" || fail "a certificate was overwritten"
ok
expect_exit "a report beside the certificates is fine" 1 "$CERTFLEET" scan --now "$NOW" --json "$r/node/report.json" "$r/node"
jq -e .summary "$r/node/report.json" > /dev/null || fail "no report beside the certificates"
ok
# /dev/stdout, /dev/stderr and /dev/fd/N are written in place, never replaced
expect_exit "/dev/stdout" 0 sh -c "\"$CERTFLEET\" scan --now $NOW --quiet --json /dev/stdout \"$F/valid-ed25519.pem\" > \"$r/so.json\""
jq -e .summary "$r/so.json" > /dev/null || fail "/dev/stdout: not in the redirected file"
[ -L /dev/stdout ] || [ -c /dev/stdout ] || fail "/dev/stdout was replaced"
ok
expect_exit "/dev/fd/3" 0 sh -c "\"$CERTFLEET\" scan --now $NOW --quiet --json /dev/fd/3 \"$F/valid-ed25519.pem\" 3> \"$r/fd3.json\""
jq -e .summary "$r/fd3.json" > /dev/null || fail "/dev/fd/3: not in the file"
expect_exit "/dev/stderr" 0 sh -c "\"$CERTFLEET\" scan --now $NOW --quiet --prom /dev/stderr \"$F/valid-ed25519.pem\" 2> \"$r/se.prom\""
grep -q '^certfleet_findings' "$r/se.prom" || fail "/dev/stderr: not in the file"
ok
# a report name of 255 bytes (the temporary name used to be 8 bytes longer)
long=$(printf 'r%.0s' $(seq 1 250)).json
expect_exit "a 255-byte report name" 0 "$CERTFLEET" scan --now "$NOW" --quiet --json "$r/$long" "$F/valid-ed25519.pem"
jq -e .summary "$r/$long" > /dev/null || fail "255-byte name: no report"
ok
# two reports to one place are a usage error, nothing written
expect_exit "two reports, one path" 2 "$CERTFLEET" scan --now "$NOW" --json "$r/same" --prom "$r/same" "$F/valid-ed25519.pem"
grep -q "two reports to the same place" "$T/err" || fail "same path: no clear error"
[ ! -e "$r/same" ] || fail "same path: something was written"
expect_exit "two reports to standard output" 2 "$CERTFLEET" scan --now "$NOW" --json - --prom /dev/stdout "$F/valid-ed25519.pem"
ok
# no temporary file is left by a failed or interrupted write
expect_eq "no temporary files" "" "$(ls -A "$r" | grep '^\.cf' || true)"
# SIGINT while the reports of a large fleet are written: the temporary
# files go (the test waits until one exists, then interrupts). Not under
# valgrind (REAL_CERTFLEET set), where the signal would reach the wrapper.
if [ -n "${REAL_CERTFLEET:-}" ]; then
	done_ok
	exit 0
fi
"$CERTFLEET_GEN" fleet "$T/big" --now "$NOW" --nodes 1500 --certs-per-node 10 > /dev/null || fail "gen big"
mkdir "$T/sig"
caught=0
for attempt in 1 2 3 4 5; do
	"$CERTFLEET" scan --now "$NOW" --quiet --jobs 1 --json "$T/sig/r.json" --markdown "$T/sig/r.md" \
		--junit "$T/sig/r.xml" --prom "$T/sig/r.prom" "$T/big" > /dev/null 2>&1 &
	pid=$!
	while kill -0 "$pid" 2> /dev/null; do
		if ls -A "$T/sig" | grep -q '^\.cf'; then
			kill -INT "$pid"
			caught=1
			break
		fi
	done
	wait "$pid" 2> /dev/null
	rc=$?
	[ $caught = 1 ] && break
	rm -f "$T/sig/"*
done
[ $caught = 1 ] || fail "no temporary file seen in five tries"
expect_eq "SIGINT: died of the signal" 130 "$rc"
expect_eq "SIGINT: no temporary file left" "" "$(ls -A "$T/sig" | grep '^\.cf' || true)"

done_ok
