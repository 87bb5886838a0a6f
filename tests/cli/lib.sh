# lib.sh - helpers for the CLI tests (sourced). Each test runs the built
# binaries ($CERTFLEET, $CERTFLEET_GEN) on testdata/ ($SRC/testdata) in a
# temporary folder ($T) removed on exit. A failed assertion prints what was
# expected and what came, and the test exits 1.
set -u
: "${CERTFLEET:?}" "${CERTFLEET_GEN:?}" "${SRC:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/certfleet-test.XXXXXX")
trap '[ -n "${CERTFLEET_TEST_KEEP:-}" ] || rm -rf "$T"' EXIT
NOW=2026-06-01T00:00:00Z
TD=$SRC/testdata
checks=0

# need TOOL...: the external programs this test runs, as the build found
# them when it was configured (TOOL_<name> in the environment, set by
# tests/CMakeLists.txt); without one the test is skipped (exit 77), never
# passed. CI configures with CERTFLEET_REQUIRE_TEST_TOOLS, so there none
# is missing.
need() {
	for t; do
		v=TOOL_$(echo "$t" | tr -- '-' '_')
		eval "p=\${$v:-}"
		case $p in
		'' | *-NOTFOUND) echo "skipped: $t was not found when the build was configured"; exit 77 ;;
		esac
	done
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

ok() {
	checks=$((checks + 1))
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
	ok
}

# expect_exit WHAT CODE CMD...: run CMD, compare its exit status
expect_exit() {
	what=$1 code=$2
	shift 2
	"$@" > "$T/out" 2> "$T/err"
	rc=$?
	[ "$rc" -eq "$code" ] || { cat "$T/err" >&2; fail "$what: exit $rc, expected $code"; }
	ok
}

# The findings of a scan's JSON as sorted {check,node,path,index} lines.
findings_of() {
	jq -c '[.findings[] | {check, node, path, index}] | sort | .[]' "$1"
}

# The findings a fleet's expected.json lists, in the same form.
expected_of() {
	jq -c '[.findings[] | {check, node, path, index}] | sort | .[]' "$1"
}

# Compare two sorted lists of findings; print the difference on failure.
same_findings() {
	if ! diff "$2" "$3" > "$T/diff"; then
		cat "$T/diff" >&2
		fail "$1: findings differ (< expected, > scan)"
	fi
	ok
}

done_ok() {
	echo "$(basename "$0"): $checks checks passed"
}

# as_nobody: when run as root with setpriv(1), set $as_user to the prefix
# that runs a command as nobody, and $CF_NOBODY to a copy of $CERTFLEET
# that nobody can run wherever the build lies (a clone under /root is not
# traversable by other users): the binary (and, under valgrind, the
# wrapper with the real binary) is copied into $T/bin. Otherwise both are
# left as they are ($as_user empty, $CF_NOBODY = $CERTFLEET).
as_nobody() {
	as_user="" CF_NOBODY=$CERTFLEET
	[ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null || return 0
	as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
	mkdir -p "$T/bin"
	chmod 755 "$T" "$T/bin"
	cp "$CERTFLEET" "$T/bin/certfleet"
	CF_NOBODY=$T/bin/certfleet
	if [ -n "${REAL_CERTFLEET:-}" ]; then
		cp "$REAL_CERTFLEET" "$T/bin/certfleet.real"
		REAL_CERTFLEET=$T/bin/certfleet.real
		export REAL_CERTFLEET
	fi
	chmod 755 "$T/bin"/*
}

# o ARGS...: openssl ARGS, its errors shown when it fails (then the test fails)
o() { openssl "$@" 2> "$T/openssl.err" || { cat "$T/openssl.err" >&2; fail "openssl $*"; }; }

# findings_are WHAT JSON FIELDS LINE...: the scan's findings, reduced to
# FIELDS ("check, path"), are exactly the LINEs (JSON objects, any order)
findings_are() {
	what=$1 json=$2 fields=$3
	shift 3
	jq -c "[.findings[] | {$fields}] | sort | .[]" "$json" > "$T/got"
	printf '%s\n' "$@" | jq -c -s 'sort | .[]' > "$T/want"
	same_findings "$what" "$T/want" "$T/got"
}

# chain_oracle WHAT DIR NODE JSON: openssl verify, run on every certificate
# file of node folder DIR (scanned as NODE into JSON), agrees with the
# scan's chain verdict: the file fails to verify exactly when the scan has a
# tls-chain-incomplete, -untrusted or -bad-signature finding on it. The
# anchors are what the scan takes: the node's self-signed CA certificates;
# every other certificate of the node may be an intermediate. Prints how
# many files were compared; fails when none were.
chain_oracle() {
	co_what=$1 co_dir=$2 co_node=$3 co_json=$4
	: > "$T/oracle-anchors.pem"
	: > "$T/oracle-others.pem"
	: > "$T/oracle-files"
	for co_f in $(cd "$co_dir" && find . -type f \( -name '*.crt' -o -name '*.pem' \) | sort); do
		co_f=${co_f#./}
		openssl x509 -in "$co_dir/$co_f" -noout > /dev/null 2>&1 || continue
		# every certificate of the file, one per block
		awk -v out="$T/oracle-split" '/-----BEGIN CERTIFICATE-----/ { n++ } n { print > (out "." n) }' "$co_dir/$co_f"
		co_first=1
		for co_b in $(ls "$T"/oracle-split.* 2> /dev/null | sort -t. -k2 -n); do
			co_s=$(openssl x509 -in "$co_b" -noout -subject -nameopt compat | sed 's/^subject=//')
			co_i=$(openssl x509 -in "$co_b" -noout -issuer -nameopt compat | sed 's/^issuer=//')
			if [ "$co_s" = "$co_i" ] && openssl x509 -in "$co_b" -noout -text | grep -q "CA:TRUE"; then
				cat "$co_b" >> "$T/oracle-anchors.pem"
			else
				cat "$co_b" >> "$T/oracle-others.pem"
				[ $co_first = 1 ] && echo "$co_f" >> "$T/oracle-files"
			fi
			co_first=0
		done
		rm -f "$T"/oracle-split.*
	done
	co_n=0
	while read -r co_f; do
		if openssl verify -no_check_time -auth_level 0 -CAfile "$T/oracle-anchors.pem" \
			-untrusted "$T/oracle-others.pem" "$co_dir/$co_f" > /dev/null 2>&1; then co_want=ok; else co_want=fails; fi
		co_got=$(jq -r --arg co_n "$co_node" --arg p "$co_f" '[.findings[] | select(.node == $co_n and .path == $p and
			(.check == "tls-chain-incomplete" or .check == "tls-chain-untrusted" or
			 .check == "tls-chain-bad-signature"))] | if length > 0 then "fails" else "ok" end' "$co_json")
		[ "$co_want" = "$co_got" ] || fail "$co_what: $co_node/$co_f: openssl verify says $co_want, the scan $co_got"
		co_n=$((co_n + 1))
	done < "$T/oracle-files"
	[ $co_n -gt 0 ] || fail "$co_what: the chain oracle compared no file"
	echo "$co_what: openssl verify agrees on $co_n files of $co_node"
}
