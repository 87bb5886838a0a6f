#!/bin/sh
# Exit status and errors (README, Exit status): 0 nothing at or above --fail-on,
# 1 findings at or above it, 2 usage error / unreadable INPUT / report that
# cannot be written.
. "$(dirname "$0")/lib.sh"
F=$TD/fixtures
expect_exit "expired present, default --fail-on" 1 "$CERTFLEET" scan --now "$NOW" "$F/sem-expired.pem"
expect_exit "expired present, --fail-on never" 0 "$CERTFLEET" scan --now "$NOW" --fail-on never "$F/sem-expired.pem"
expect_exit "warning only" 0 "$CERTFLEET" scan --now "$NOW" "$F/sem-soon-minus-1s.pem"
expect_exit "warning only, --fail-on warning" 1 "$CERTFLEET" scan --now "$NOW" --fail-on warning "$F/sem-soon-minus-1s.pem"
expect_exit "--soon 3d: no longer soon" 0 "$CERTFLEET" scan --now "$NOW" --soon 3d --fail-on warning "$F/sem-soon-minus-1s.pem"
expect_exit "--max-validity 400: 397d+1s is fine" 0 "$CERTFLEET" scan --now "$NOW" --max-validity 400 "$F/sem-validity-397d-plus-1s.pem"
expect_exit "--now @EPOCH past notAfter" 1 "$CERTFLEET" scan --now @1900000000 "$F/valid-ed25519.pem"
expect_exit "clean file" 0 "$CERTFLEET" scan --now "$NOW" "$F/valid-ed25519.pem"
expect_exit "input does not exist" 2 "$CERTFLEET" scan --now "$NOW" "$T/nope"
grep -q "nope: No such file or directory" "$T/err" || fail "missing input: no located message"
ok
expect_exit "bad --now" 2 "$CERTFLEET" scan --now yesterday "$F"
expect_exit "bad --soon" 2 "$CERTFLEET" scan --soon 3x "$F"
expect_exit "bad --fail-on" 2 "$CERTFLEET" scan --fail-on sometimes "$F"
expect_exit "bad --max-validity" 2 "$CERTFLEET" scan --max-validity 0 "$F"
expect_exit "unknown option" 2 "$CERTFLEET" scan --frobnicate "$F"
expect_exit "no input" 2 "$CERTFLEET" scan --now "$NOW"
expect_exit "no command" 2 "$CERTFLEET"
expect_exit "stdin without --node" 2 "$CERTFLEET" scan -
expect_exit "--version" 0 "$CERTFLEET" --version
grep -q '^certfleet 0.1.0 (libcertfleet 0.1.0; GnuTLS ' "$T/out" || fail "--version output"
ok
expect_exit "report into a missing folder" 2 "$CERTFLEET" scan --now "$NOW" --json "$T/no/such/r.json" "$F/valid-ed25519.pem"
grep -q "r.json" "$T/err" || fail "unwritable report: no path in the message"
ok
# a device is not a report path (refused before anything is written); a
# write that fails on a descriptor is exit 2 with the path
expect_exit "report to /dev/full" 2 "$CERTFLEET" scan --now "$NOW" --json /dev/full "$F/valid-ed25519.pem"
grep -q "/dev/full: is not a regular file" "$T/err" || fail "/dev/full: no clear error"
ok
expect_exit "report to /dev/fd/3 on /dev/full" 2 sh -c "\"$CERTFLEET\" scan --now $NOW --json /dev/fd/3 \"$F/valid-ed25519.pem\" 3> /dev/full"
grep -q "/dev/fd/3: write failed" "$T/err" || fail "/dev/fd/3: no clear error"
ok
[ -c /dev/full ] || fail "/dev/full was replaced"
ok
# a report that fails leaves the existing file at its path intact
echo OLD > "$T/keep.json"
chmod 555 "$T" 2>/dev/null
if [ "$(id -u)" -ne 0 ]; then
	expect_exit "unwritable folder" 2 "$CERTFLEET" scan --now "$NOW" --json "$T/keep.json" "$F/valid-ed25519.pem"
	expect_eq "existing report intact" OLD "$(cat "$T/keep.json")"
else
	echo "note: running as root; test-inputs.sh runs the read-only-folder case as an unprivileged user"
fi
chmod 755 "$T"
done_ok
