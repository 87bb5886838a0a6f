#!/bin/sh
# testdata/ is exactly what certfleet-gen makes: regenerate it and compare
# every byte with the committed SHA-256 list (and generate twice: same bytes).
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/td"
sh "$SRC/tests/cli/make-testdata.sh" "$CERTFLEET_GEN" "$T/td" || fail "regenerate"
diff "$TD/SHA256SUMS" "$T/td/SHA256SUMS" >&2 || fail "regenerated testdata differs from the committed SHA256SUMS"
ok
(cd "$TD" && grep -v '^#' SHA256SUMS | grep -v ' -> ' | sha256sum -c --quiet) || fail "committed testdata differs from SHA256SUMS"
ok
expect_eq "symlink committed" "server.crt" "$(readlink "$TD/fleet/n11/etc/tls/link.crt")"
start=$(date +%s%N)
"$CERTFLEET_GEN" fleet "$T/big" --now "$NOW" --nodes 1000 --certs-per-node 10 || fail "1,000-node fleet"
end=$(date +%s%N)
expect_eq "1,000 node folders" 1000 "$(ls "$T/big" | grep -c '^n')"
echo "generated a 1,000-node x 10-certificate fleet in $(( (end - start) / 1000000 )) ms"
done_ok
