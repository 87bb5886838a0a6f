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

done_ok
