#!/bin/sh
# Hostile archives (issue #3): names with ../ and absolute names are names,
# links are not followed, devices and FIFOs are skipped, a 1 GiB bomb trips
# a limit, a truncated tar.gz and a zip with a bad CRC yield what was read
# before the fault plus a finding; the scan completes, and no file appears
# anywhere outside the report path. Standard input reads one archive.
. "$(dirname "$0")/lib.sh"
need jq xz zip
: "${MKHOSTILE:?}"
"$MKHOSTILE" "$TD/fixtures/valid-ed25519.pem" "$T/in" || fail "mkhostile"
ok
touch "$T/marker"
sleep 1
cd "$T" || fail "cd"
mkdir -p "$T/rep"
expect_exit "scan hostile archives" 1 "$CERTFLEET" scan --now "$NOW" --json "$T/rep/r.json" "$T/in"
r=$T/rep/r.json
# a hard link as plain tar writes it (two names of one file): the second
# name has the first one's content, no false tls-cert-missing
mkdir -p "$T/hl/etc/tls"
cp "$TD/fixtures/valid-ed25519.pem" "$T/hl/etc/tls/a.crt"
ln "$T/hl/etc/tls/a.crt" "$T/hl/etc/tls/b.crt"
tar -C "$T/hl" -cf "$T/hl.tar" etc || fail "tar"
tar -tvf "$T/hl.tar" | grep -q '^h' || fail "tar wrote no hard link entry"
expect_exit "hard link in a tar" 0 "$CERTFLEET" scan --now "$NOW" --json "$T/hl.json" "$T/hl.tar"
expect_eq "both names audited, the same certificate" "etc/tls/a.crt etc/tls/b.crt 1" \
	"$(jq -r '[.certificates[].path] | sort | join(" ")' "$T/hl.json") $(jq '[.certificates[].sha256] | unique | length' "$T/hl.json")"
rm -rf "$T/hl" "$T/hl.tar" "$T/hl.json"
expect_eq "nodes" "badcrc hostile truncated" "$(jq -r '[.certificates[].node] | unique | join(" ")' "$r")"
expect_eq "paths are names, not directions" \
	"../../cfhostile-escape.crt bundle.tar.gz/inner.crt etc/tls/server.crt tmp/cfhostile-absolute.crt" \
	"$(jq -r '[.certificates[] | select(.node == "hostile") | .path] | sort | join(" ")' "$r")"
expect_eq "skips with reasons" \
	"etc/tls/device.crt=not a regular file (device, FIFO or socket)|etc/tls/fifo.crt=not a regular file (device, FIFO or socket)|etc/tls/shadow-link.crt=symbolic link in archive, not followed" \
	"$(jq -r '[.skipped[] | "\(.path)=\(.reason)"] | sort | join("|")' "$r")"
# what is not read is a finding: the archive nested too deep, the hard link
# to a file that is not in the archive (/etc/shadow)
expect_eq "not read: findings" \
	"bundle.tar.gz/deep.tar.gz=input not read: archive nested deeper than 2 levels; not read|etc/tls/shadow-hard.crt=input not read: archive hostile.tar.gz: hard link to etc/shadow, which is not an earlier file of the archive; not read" \
	"$(jq -r '[.findings[] | select(.node == "hostile" and (.message | test("not read$")) and (.message | contains("--max") | not)) | "\(.path)=\(.message)"] | sort | join("|")' "$r")"
expect_eq "the bomb trips the ratio limit" "etc/tls/zeros.crt" \
	"$(jq -r '.findings[] | select(.node == "hostile" and (.message | contains("--max-ratio"))) | .path' "$r")"
expect_eq "truncated: entries before the fault audited" "one.crt two.crt" \
	"$(jq -r '[.certificates[] | select(.node == "truncated") | .path] | join(" ")' "$r")"
expect_eq "truncated: finding" 1 "$(jq '[.findings[] | select(.node == "truncated" and (.message | contains("truncated")))] | length' "$r")"
expect_eq "bad CRC: the good entry audited" "good.crt" "$(jq -r '[.certificates[] | select(.node == "badcrc") | .path] | join(" ")' "$r")"
expect_eq "bad CRC: finding" "badcrc.crt" "$(jq -r '.findings[] | select(.node == "badcrc" and (.message | contains("CRC"))) | .path' "$r")"
expect_eq "only input findings" "tls-input-unreadable" "$(jq -r '[.findings[].check] | unique | join(" ")' "$r")"
# nothing was written but the report (out and err hold the test's own
# capture of the scan's output): no cfhostile-* anywhere, nothing new
# in the folders the archives point at
expect_eq "no extracted file anywhere" "" \
	"$(find / -xdev \( -path /proc -o -path /sys \) -prune -o -name 'cfhostile-*' -print 2>/dev/null | head -5)"
expect_eq "nothing new under the test folder but the report" "./err ./out ./rep ./rep/r.json" \
	"$(find . -newer "$T/marker" | grep -v '^\.$' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq "nothing new in /tmp from us" "" "$(find /tmp -maxdepth 1 -newer "$T/marker" -name 'cfhostile*' 2>/dev/null)"
# limits are options, and each crossing names its option
expect_exit "--max-entries" 1 "$CERTFLEET" scan --now "$NOW" --max-entries 2 --json "$T/e.json" "$T/in/hostile.tar.gz"
expect_eq "--max-entries named" 1 "$(jq '[.findings[] | select(.message | contains("--max-entries"))] | length' "$T/e.json")"
expect_exit "--max-total-size" 1 "$CERTFLEET" scan --now "$NOW" --max-total-size 4096 --json "$T/t.json" "$TD/fleet-archives/n02.tar"
expect_eq "--max-total-size named" 1 "$(jq '[.findings[] | select(.message | contains("--max-total-size"))] | length' "$T/t.json")"
expect_exit "prometheus counters" 1 "$CERTFLEET" scan --now "$NOW" --prom "$T/h.prom" "$T/in"
# the bomb, the truncated tar.gz, the bad CRC, the deep archive, the hard
# link to /etc/shadow: five inputs not read whole
expect_eq "prom read errors" "certfleet_read_errors 5" "$(grep '^certfleet_read_errors ' "$T/h.prom")"
expect_eq "prom files skipped" "certfleet_files_skipped 3" "$(grep '^certfleet_files_skipped ' "$T/h.prom")"
expect_exit "--max-file-size" 1 "$CERTFLEET" scan --now "$NOW" --max-file-size 100 --json "$T/f.json" "$T/in/badcrc.zip"
expect_eq "--max-file-size named" 1 "$(jq '[.findings[] | select(.path == "good.crt" and (.message | contains("--max-file-size")))] | length' "$T/f.json")"
# --max-file-size at its bound, for an entry whose header declares its size
# (tar): the limit itself is read, one byte over is a finding
mkdir -p "$T/lim/n"
cp "$TD/fixtures/valid-ed25519.pem" "$T/lim/n/a.crt"
tar -C "$T/lim/n" -czf "$T/lim/n.tar.gz" a.crt || fail "tar"
size=$(wc -c < "$T/lim/n/a.crt")
expect_exit "--max-file-size = entry size" 0 "$CERTFLEET" scan --now "$NOW" --max-file-size "$size" --json "$T/l.json" "$T/lim/n.tar.gz"
expect_eq "entry at the limit read" "1 0" "$(jq -r '"\(.summary.certificates) \(.findings | length)"' "$T/l.json")"
expect_exit "--max-file-size = entry size - 1" 1 "$CERTFLEET" scan --now "$NOW" --max-file-size "$((size - 1))" --json "$T/l.json" "$T/lim/n.tar.gz"
expect_eq "entry over the limit named" "0 a.crt" \
	"$(jq -r '"\(.summary.certificates) \([.findings[] | select(.message | contains("--max-file-size")) | .path] | join(" "))"' "$T/l.json")"
# a file that is PEM by content only (not named as a certificate) over the
# limit is skipped with the reason, as in a folder; at the limit it is read
cp "$TD/fixtures/valid-ed25519.pem" "$T/lim/n/blob.txt"
tar -C "$T/lim/n" -czf "$T/lim/b.tar.gz" blob.txt || fail "tar"
rm "$T/lim/n/a.crt"
for input in "$T/lim/b.tar.gz" "$T/lim/n"; do
	expect_exit "PEM by content over the limit: $input" 0 "$CERTFLEET" scan --now "$NOW" --allow-empty --max-file-size "$((size - 1))" --json "$T/b.json" "$input"
	expect_eq "PEM by content over the limit skipped: $input" "0 0 blob.txt" \
		"$(jq -r '"\(.summary.certificates) \(.findings | length) \([.skipped[] | select(.reason | contains("--max-file-size")) | .path] | join(" "))"' "$T/b.json")"
	expect_exit "PEM by content at the limit: $input" 0 "$CERTFLEET" scan --now "$NOW" --max-file-size "$size" --json "$T/b.json" "$input"
	expect_eq "PEM by content at the limit read: $input" "1 0" "$(jq -r '"\(.summary.certificates) \(.skipped | length)"' "$T/b.json")"
done
# one archive on standard input, as the node --node names
expect_exit "stdin archive" 0 sh -c "\"$CERTFLEET\" scan --now $NOW --node n10 --json $T/s.json - < \"$TD/fleet-archives/n10.tar.gz\""
expect_eq "stdin archive node and files" "n10:5" "$(jq -r '"\(.certificates[0].node):\(.summary.certificates)"' "$T/s.json")"
expect_exit "stdin PEM" 1 sh -c "\"$CERTFLEET\" scan --now $NOW --node x --json $T/p.json - < \"$TD/fixtures/sem-expired.pem\""
expect_eq "stdin PEM finding" "tls-cert-expired" "$(jq -r '.findings[0].check' "$T/p.json")"
# a single archive INPUT is the node named after it
expect_exit "archive input" 1 "$CERTFLEET" scan --now "$NOW" --json "$T/a.json" "$TD/fleet-archives/n04.tar.xz"
expect_eq "archive input node" "n04" "$(jq -r '[.certificates[].node] | unique | join(" ")' "$T/a.json")"
done_ok
