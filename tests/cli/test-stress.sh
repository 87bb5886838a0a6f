#!/bin/sh
# Repetition: one fleet of archive and folder nodes with broken files,
# scanned 200 times at each of several --jobs, gives the same exit status
# and the same report bytes every time (a race once made 3-6 runs in 100
# exit 2: a finding of an earlier INPUT's node, committed while a later
# INPUT was being added, was taken for two INPUTs yielding one node).
# CERTFLEET_STRESS_RUNS sets the count (the ThreadSanitizer pass keeps 200).
# Skips come from both sides too: n00's public key is skipped when its job
# is committed, n01.tar's link while the archive is read on the scan's
# thread (their order once followed the timing: 1 run in 8 of testdata/).
. "$(dirname "$0")/lib.sh"
need bsdtar zip openssl jq
runs=${CERTFLEET_STRESS_RUNS:-200}
"$CERTFLEET_GEN" fleet "$T/gen" --nodes 6 --now "$NOW" --faults invalid@n05,expired@n06 > /dev/null ||
	fail "certfleet-gen fleet"
mkdir "$T/in"
# n01.tar: its node.crt cut after 600 bytes (a certificate that does not decode)
cp -r "$T/gen/n01" "$T/n01"
head -c 600 "$T/gen/n01/etc/tls/node.crt" > "$T/n01/etc/tls/node.crt"
ln -s node.crt "$T/n01/etc/tls/link.crt"
tar -C "$T/n01" -cf "$T/in/n01.tar" .
cp -r "$T/gen/n02" "$T/in/n00"
o genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/k00.pem"
o pkey -in "$T/k00.pem" -pubout -out "$T/in/n00/etc/tls/public.pem"
# n02.zip and n03.zip as bsdtar -a makes them (entries under ./), n04.zip by zip
(cd "$T/gen/n02" && bsdtar -a -cf "$T/in/n02.zip" .) || fail "bsdtar n02"
(cd "$T/gen/n03" && bsdtar -a -cf "$T/in/n03.zip" .) || fail "bsdtar n03"
(cd "$T/gen/n04" && zip -qr "$T/in/n04.zip" .) || fail "zip n04"
# folder nodes: n05 with an invalid certificate, n06 expired, both beside
# an unreadable (over --max-file-size) certificate file
mv "$T/gen/n05" "$T/gen/n06" "$T/in/"
head -c 300000 /dev/zero > "$T/in/n05/big.crt"
args="--now $NOW --max-file-size 200000"
inputs="$T/in/n00 $T/in/n01.tar $T/in/n02.zip $T/in/n03.zip $T/in/n04.zip $T/in/n05 $T/in/n06"
# shellcheck disable=SC2086
"$CERTFLEET" scan $args --jobs 1 --json "$T/ref.json" --junit "$T/ref.xml" $inputs > "$T/ref.txt" 2>&1
ref=$?
expect_eq "reference exit status (findings: exit 1)" 1 "$ref"
grep -q '"tls-input-unreadable"' "$T/ref.json" || fail "reference: the oversized file is not reported"
expect_eq "reference: both skips" "n00:etc/tls/public.pem n01:etc/tls/link.crt" \
	"$(jq -r '[.skipped[] | "\(.node):\(.path)"] | sort | join(" ")' "$T/ref.json")"
ok
for jobs in 2 8; do
	i=0 bad=0 diffs=0
	while [ $i -lt "$runs" ]; do
		# shellcheck disable=SC2086
		"$CERTFLEET" scan $args --jobs $jobs --json "$T/r.json" --junit "$T/r.xml" $inputs > "$T/r.txt" 2>&1
		rc=$?
		[ $rc -eq "$ref" ] || { bad=$((bad + 1)); cp "$T/r.txt" "$T/bad.txt"; }
		[ $rc -eq "$ref" ] && { cmp -s "$T/r.json" "$T/ref.json" && cmp -s "$T/r.xml" "$T/ref.xml" &&
			cmp -s "$T/r.txt" "$T/ref.txt"; } || diffs=$((diffs + 1))
		i=$((i + 1))
	done
	[ $bad -eq 0 ] || { cat "$T/bad.txt" >&2; fail "--jobs $jobs: $bad of $runs runs exited otherwise than $ref"; }
	ok
	[ $diffs -eq 0 ] || fail "--jobs $jobs: $diffs of $runs runs wrote other bytes than --jobs 1"
	ok
done
# An interrupted scan leaves the previous set of reports or the new one,
# never a mix: every temporary file is complete before the first rename.
# Scans of one fleet at two reference times (other bytes in every report)
# are stopped by SIGTERM after 0 to 190 ms (a scan takes about 90), 20 times.
"$CERTFLEET_GEN" fleet "$T/big" --nodes 400 --certs-per-node 5 --now "$NOW" > /dev/null || fail "gen big"
set_of() {   # set_of NOW DIR: the six reports of a scan at NOW into DIR
	mkdir -p "$2"
	"$CERTFLEET" scan --quiet --now "$1" --json "$2/r.json" --junit "$2/r.xml" --markdown "$2/r.md" \
		--prom "$2/r.prom" --sarif "$2/r.sarif" --html "$2/r.html" "$T/big"
}
set_of "$NOW" "$T/setA"
set_of 2026-09-01T00:00:00Z "$T/setB"
for f in r.json r.xml r.md r.prom r.sarif r.html; do
	cmp -s "$T/setA/$f" "$T/setB/$f" && fail "sets A and B: $f is the same"
done
ok
k=0 mixed=0 news=0
while [ $k -lt 20 ]; do
	rm -rf "$T/w" && cp -r "$T/setA" "$T/w"
	"$CERTFLEET" scan --quiet --now 2026-09-01T00:00:00Z --json "$T/w/r.json" --junit "$T/w/r.xml" \
		--markdown "$T/w/r.md" --prom "$T/w/r.prom" --sarif "$T/w/r.sarif" --html "$T/w/r.html" "$T/big" &
	pid=$!
	sleep "0.$(printf %03d $((k * 10)))"
	kill -TERM $pid 2> /dev/null
	wait $pid 2> /dev/null
	a=0 b=0
	for f in r.json r.xml r.md r.prom r.sarif r.html; do
		if cmp -s "$T/w/$f" "$T/setA/$f"; then a=$((a + 1)); elif cmp -s "$T/w/$f" "$T/setB/$f"; then b=$((b + 1)); fi
	done
	[ $((a + b)) -eq 6 ] || fail "run $k: a report that is neither set's"
	[ $a -eq 6 ] || [ $b -eq 6 ] || mixed=$((mixed + 1))
	[ $b -eq 6 ] && news=$((news + 1))
	ls -a "$T/w" | grep -q '^\.cf.*\.tmp$' && fail "run $k: a temporary file left behind"
	k=$((k + 1))
done
expect_eq "interrupted scans leaving a mix of two sets" 0 "$mixed"
echo "interrupted: $news of 20 runs had written the new set, the others left the old one"
done_ok
