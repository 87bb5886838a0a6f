#!/bin/sh
# Bad input inside an INPUT is a finding or a skip with a reason, and the
# scan goes on: unreadable, empty and oversized files, symbolic links,
# FIFOs, names with control characters, deep folders; single-file INPUTs
# and --node. Reports are atomic: a failed write leaves the old file.
. "$(dirname "$0")/lib.sh"
need jq script setpriv
F=$TD/fixtures
chmod 755 "$T"
f=$T/fleet
mkdir -p "$f/n1/tls" "$f/n2/tls" "$f/n3/tls"
for n in n1 n2 n3; do cp "$F/valid-ed25519.pem" "$f/$n/tls/server.crt"; done
: > "$f/n1/tls/empty.crt"                              # empty certificate file
: > "$f/n1/tls/empty.txt"                              # empty non-certificate: silent
truncate -s 100M "$f/n2/tls/huge.crt"                  # 100 MB file named .crt
ln -s server.crt "$f/n2/tls/link.crt"                  # a link inside the INPUT: followed
ln -s /etc/shadow "$f/n2/tls/shadow.pem"               # a link out of the tree
ln -s "$f/n1" "$f/n4"                                  # a linked node folder
mkfifo "$f/n3/tls/pipe.crt"                            # a FIFO: must not hang
cp "$F/sem-expired.pem" "$f/n3/tls/$(printf 'tab\there\nnew.crt')"
cp "$F/valid-ed25519.pem" "$f/n3/tls/unreadable.crt"
chmod 000 "$f/n3/tls/unreadable.crt"
d=$f/n1/deep
i=0
while [ $i -lt 1000 ]; do d=$d/d; i=$((i + 1)); done         # folders 1,000 deep
mkdir -p "$d" && cp "$F/sem-not-yet-valid.pem" "$d/bottom.crt"
# a PEM of a million body lines: read whole, refused as DER, located
{ echo "-----BEGIN CERTIFICATE-----"; yes MIIB | head -n 1000000; echo "-----END CERTIFICATE-----"; } \
	> "$f/n2/tls/million.pem"

as_nobody
expect_exit "scan bad inputs" 1 $as_user "$CF_NOBODY" scan --now "$NOW" --json - "$f"
cp "$T/out" "$T/r.json"
r=$T/r.json
expect_eq "empty file" "etc" "$(jq -r '.findings[] | select(.path == "tls/empty.crt") | .message | if contains("empty file") then "etc" else . end' "$r")"
expect_eq "huge file over the cap" 1 "$(jq '[.findings[] | select(.path == "tls/huge.crt" and .check == "tls-input-unreadable" and (.message | contains("--max-file-size")))] | length' "$r")"
expect_eq "links leaving the INPUT skipped" "n2:tls/shadow.pem n4:" \
	"$(jq -r '[.skipped[] | select(.reason | contains("symbolic link")) | "\(.node):\(.path)"] | sort | join(" ")' "$r")"
expect_eq "a link inside the INPUT audited under its path" 1 "$(jq '[.certificates[] | select(.node == "n2" and .path == "tls/link.crt")] | length' "$r")"
expect_eq "FIFO skipped" "not a regular file (device, FIFO or socket)" "$(jq -r '.skipped[] | select(.path == "tls/pipe.crt") | .reason' "$r")"
expect_eq "control characters escaped" "tls-cert-expired" "$(jq -r '.findings[] | select(.path == "tls/tab\\x09here\\x0anew.crt") | .check' "$r")"
expect_eq "1,000 folders deep" "tls-cert-not-yet-valid" "$(jq -r '.findings[] | select(.path | endswith("/d/bottom.crt")) | .check' "$r")"
expect_eq "a million-line PEM" "does not decode: line 1: invalid DER" \
	"$(jq -r '.findings[] | select(.path == "tls/million.pem") | .message' "$r" | cut -c1-36)"
expect_eq "empty.txt silent" 0 "$(jq '[.findings[], .skipped[] | select(.path == "tls/empty.txt")] | length' "$r")"
expect_eq "the rest audited" 3 "$(jq '[.certificates[] | select(.path == "tls/server.crt")] | length' "$r")"
if [ -n "$as_user" ] || [ "$(id -u)" -ne 0 ]; then
	expect_eq "unreadable file" 1 "$(jq '[.findings[] | select(.path == "tls/unreadable.crt" and .check == "tls-input-unreadable" and (.message | contains("Permission denied")))] | length' "$r")"
	# a report that cannot be written leaves the existing file as it was
	mkdir "$T/ro" && echo OLD > "$T/ro/keep.json" && chmod 555 "$T/ro"
	cp "$F/valid-ed25519.pem" "$T/valid.pem" && chmod 644 "$T/valid.pem"
	expect_exit "unwritable report folder" 2 $as_user "$CF_NOBODY" scan --now "$NOW" --json "$T/ro/keep.json" "$T/valid.pem"
	grep -q "keep.json: cannot create a temporary file: Permission denied" "$T/err" || fail "unwritable: message"
	ok
	expect_eq "existing report intact" OLD "$(cat "$T/ro/keep.json")"
	expect_eq "no temporary file left" "keep.json" "$(ls -A "$T/ro")"
else
	echo "skipped: unreadable-file and read-only-folder cases need a non-root user (no setpriv here)"
fi
# a report on a full file system: a clear error, exit 2, the old report intact
mkdir "$T/full"
if mount -t tmpfs -o size=64k tmpfs "$T/full" 2> /dev/null; then
	echo OLD > "$T/full/r.json"
	dd if=/dev/zero of="$T/full/fill" bs=4k 2> /dev/null || true
	expect_exit "full file system" 2 "$CERTFLEET" scan --now "$NOW" --json "$T/full/r.json" "$TD/fleet"
	grep -q "r.json: .*No space left on device" "$T/err" || { cat "$T/err"; fail "full: no clear error"; }
	ok
	expect_eq "full: old report intact" OLD "$(cat "$T/full/r.json")"
	expect_eq "full: no temporary file left" "fill r.json" "$(ls -A "$T/full" | tr '\n' ' ' | sed 's/ $//')"
	umount "$T/full"
else
	echo "skipped: the full-tmpfs case needs mount(2) (not permitted here)"
fi
# an existing report is replaced whole on success
echo OLD > "$T/rep.json"
"$CERTFLEET" scan --now "$NOW" --quiet --json "$T/rep.json" "$F/valid-ed25519.pem"
expect_eq "report replaced" "certfleet" "$(jq -r .tool "$T/rep.json")"
# single files: the node is the parent folder, or --node
expect_exit "single file" 0 "$CERTFLEET" scan --now "$NOW" --json "$T/s.json" "$F/valid-p256.pem"
expect_eq "single file node" "fixtures:valid-p256.pem" "$(jq -r '.certificates[0] | "\(.node):\(.path)"' "$T/s.json")"
expect_exit "--node" 0 "$CERTFLEET" scan --now "$NOW" --node web-1 --json "$T/n.json" "$F/valid-p256.pem"
expect_eq "--node names it" "web-1" "$(jq -r '.certificates[0].node' "$T/n.json")"
# a folder with a certificate file at its top next to node folders is no
# fleet: one node, the file audited (never skipped); --layout fleet makes
# it a usage error naming the file
cp "$F/valid-p256.pem" "$f/stray.pem"
expect_exit "stray file" 1 $as_user "$CF_NOBODY" scan --now "$NOW" --json - "$f"
cp "$T/out" "$T/st.json"
expect_eq "stray file: audited in the folder's node" 1 "$(jq --arg n "$(basename "$f")" '[.certificates[] | select(.path == "stray.pem" and .node == $n)] | length' "$T/st.json")"
expect_exit "stray file, --layout fleet" 2 $as_user "$CF_NOBODY" scan --now "$NOW" --layout fleet "$f"
grep -q "stray.pem" "$T/err" || fail "--layout fleet: stray.pem not named"
ok
# progress: with standard error a terminal (script(1) gives one), a line
# counts files and nodes and is erased before the scan ends; never when it
# is not a terminal. CERTFLEET_PROGRESS_MS=0 shows it without the 1 s wait.
"$CERTFLEET_GEN" fleet "$T/pf" --now "$NOW" --nodes 30 --certs-per-node 10 > /dev/null || fail "gen"
CERTFLEET_PROGRESS_MS=0 script -qec "\"$CERTFLEET\" scan --quiet --jobs 1 --now $NOW \"$T/pf\"" /dev/null > "$T/tty.out"
expect_eq "progress on a terminal: exit" 0 "$?"
expect_eq "progress line on a terminal" 1 \
	"$(tr '\r' '\n' < "$T/tty.out" | grep -ac '^certfleet: 256 files, [0-9][0-9]* nodes read\.\.\.$')"
expect_eq "progress line erased at the end" "0d1b5b4b" "$(tail -c 4 "$T/tty.out" | od -An -tx1 | tr -d ' \n')"
CERTFLEET_PROGRESS_MS=0 "$CERTFLEET" scan --quiet --jobs 1 --now "$NOW" "$T/pf" 2> "$T/pipe.err"
expect_eq "no progress when standard error is not a terminal" "0 0" "$? $(wc -c < "$T/pipe.err")"
done_ok
