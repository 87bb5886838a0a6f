#!/bin/sh
# Repetition: one fleet of archive and folder nodes with broken files,
# scanned 200 times at each of several --jobs, gives the same exit status
# and the same report bytes every time (a race once made 3-6 runs in 100
# exit 2: a finding of an earlier INPUT's node, committed while a later
# INPUT was being added, was taken for two INPUTs yielding one node).
# CERTFLEET_STRESS_RUNS sets the count (the ThreadSanitizer pass keeps 200).
. "$(dirname "$0")/lib.sh"
need bsdtar zip
runs=${CERTFLEET_STRESS_RUNS:-200}
"$CERTFLEET_GEN" fleet "$T/gen" --nodes 6 --now "$NOW" --faults invalid@n05,expired@n06 > /dev/null ||
	fail "certfleet-gen fleet"
mkdir "$T/in"
# n01.tar: its node.crt cut after 600 bytes (a certificate that does not decode)
cp -r "$T/gen/n01" "$T/n01"
head -c 600 "$T/gen/n01/etc/tls/node.crt" > "$T/n01/etc/tls/node.crt"
tar -C "$T/n01" -cf "$T/in/n01.tar" .
# n02.zip and n03.zip as bsdtar -a makes them (entries under ./), n04.zip by zip
(cd "$T/gen/n02" && bsdtar -a -cf "$T/in/n02.zip" .) || fail "bsdtar n02"
(cd "$T/gen/n03" && bsdtar -a -cf "$T/in/n03.zip" .) || fail "bsdtar n03"
(cd "$T/gen/n04" && zip -qr "$T/in/n04.zip" .) || fail "zip n04"
# folder nodes: n05 with an invalid certificate, n06 expired, both beside
# an unreadable (over --max-file-size) certificate file
mv "$T/gen/n05" "$T/gen/n06" "$T/in/"
head -c 300000 /dev/zero > "$T/in/n05/big.crt"
args="--now $NOW --max-file-size 200000"
inputs="$T/in/n01.tar $T/in/n02.zip $T/in/n03.zip $T/in/n04.zip $T/in/n05 $T/in/n06"
# shellcheck disable=SC2086
"$CERTFLEET" scan $args --jobs 1 --json "$T/ref.json" --junit "$T/ref.xml" $inputs > "$T/ref.txt" 2>&1
ref=$?
expect_eq "reference exit status (findings: exit 1)" 1 "$ref"
grep -q '"tls-input-unreadable"' "$T/ref.json" || fail "reference: the oversized file is not reported"
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
done_ok
