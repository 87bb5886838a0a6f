#!/bin/sh
# fresh: the README's two commands on a bare Debian 12 machine.
#
# Makes a minimal Debian root (debootstrap --variant=minbase: no compiler,
# no jq, no git), clones the committed project into it at /root/certfleet
# (where root's clone lives, a folder other users cannot traverse) and runs,
# each in a fresh copy of the pristine root, chrooted, with a clean
# environment:
#   1. the first README command, `sh .ci/demo`, twice (the second run must
#      install nothing): exit 0 and the six reports under reports/demo/;
#   2. the second README command, `sh .ci/test`, limited to its normal pass
#      (CERTFLEET_TEST_PASSES=normal: install, configure, build every test
#      target, run the whole ctest suite incl. valgrind; the sanitizer and
#      fuzz passes are left to the outer run): exit 0.
# The pristine root is cached per machine in $CERTFLEET_FRESH_CACHE
# (default /var/cache/certfleet/fresh); delete it to rebuild. Mounts (proc,
# sys, dev) live in a private mount namespace (unshare -m), so none is
# left on the host whatever happens. Only what is committed is tested.
# Needs root; skipped (77) without it or inside a fresh root itself.
set -u
: "${SRC:?}"
skip() {
	echo "skipped: $*"
	exit 77
}
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
[ -z "${CERTFLEET_FRESH_INNER:-}" ] || skip "already inside a fresh root"
[ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, chroot, mount namespaces)"
for p in debootstrap unshare chroot flock git; do
	command -v "$p" > /dev/null || fail "$p not found (sh .ci/setup test installs it)"
done
head=$(git -C "$SRC" rev-parse --verify -q HEAD) || skip "$SRC is not a git checkout"
[ -z "$(git -C "$SRC" status --porcelain 2> /dev/null)" ] ||
	echo "note: $SRC has uncommitted changes; the fresh root gets the committed HEAD ($head)"

suite=bookworm
arch=$(dpkg --print-architecture)
cache=${CERTFLEET_FRESH_CACHE:-/var/cache/certfleet/fresh}
pristine=$cache/$suite-$arch-minbase
# the Debian mirror this machine's apt uses (deb822 or one-line sources)
mirror=$(sed -n 's/^URIs: *\([^ ]*\/debian\)\/* *$/\1/p' /etc/apt/sources.list.d/*.sources 2> /dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(sed -n 's/^deb  *\([^ ]*\/debian\)\/*  *'"$suite"' .*/\1/p' /etc/apt/sources.list 2> /dev/null | head -n 1)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

mkdir -p "$cache"
t0=$(date +%s)
(
	flock 9
	[ -f "$pristine/.certfleet-pristine" ] && exit 0
	rm -rf --one-file-system "$pristine.tmp"
	echo "fresh: debootstrap --variant=minbase $suite $arch from $mirror (once per machine)"
	if ! debootstrap --variant=minbase --arch="$arch" "$suite" "$pristine.tmp" "$mirror" > "$cache/debootstrap.log" 2>&1; then
		tail -n 20 "$cache/debootstrap.log" >&2
		exit 1
	fi
	touch "$pristine.tmp/.certfleet-pristine"
	rm -rf --one-file-system "$pristine"
	mv "$pristine.tmp" "$pristine"
) 9> "$cache/.lock" || fail "debootstrap failed (log: $cache/debootstrap.log)"
echo "fresh: pristine root ready in $(($(date +%s) - t0)) s ($pristine)"
# the pristine root really is bare: no compiler, no jq, no git
for b in cc gcc cmake jq git; do
	[ ! -e "$pristine/usr/bin/$b" ] || fail "the pristine root has /usr/bin/$b: not a bare machine"
done

W=$(mktemp -d /var/tmp/certfleet-fresh.XXXXXX)
cleanup() {
	# never delete through a mount that is still there
	if grep -qF " $W/" /proc/self/mountinfo; then
		echo "fresh: mounts left under $W, not removing it" >&2
	else
		rm -rf --one-file-system "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# new_root NAME: a fresh copy of the pristine root with the committed
# project cloned at /root/certfleet; prints its path
new_root() {
	r=$W/$1
	cp -a "$pristine" "$r" || return 1
	git clone -q "$SRC" "$r/root/certfleet" || return 1
	cp /etc/resolv.conf "$r/etc/resolv.conf" 2> /dev/null
	# this network's TLS trust, like its resolver: where the package
	# registries are reached through an intercepting proxy, the machine
	# names its CA bundle in NODE_EXTRA_CA_CERTS (npm needs it); a bare
	# machine on the same network has it too
	if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
		mkdir -p "$r/etc/certfleet-fresh" && cp "$NODE_EXTRA_CA_CERTS" "$r/etc/certfleet-fresh/network-ca.crt" || return 1
	fi
	echo "$r"
}

# in_root ROOT COMMAND: run COMMAND with sh in /root/certfleet of ROOT,
# chrooted, proc/sys/dev mounted in a private mount namespace, with the
# environment a root login on a bare machine has (plus CI, passed on, and
# the network's CA bundle when the host names one)
in_root() {
	unshare -m --propagation private sh -c '
		set -e
		mount -t proc proc "$1/proc"
		mount -t sysfs sysfs "$1/sys"
		mount --rbind /dev "$1/dev"
		ca=""
		[ -f "$1/etc/certfleet-fresh/network-ca.crt" ] && ca=NODE_EXTRA_CA_CERTS=/etc/certfleet-fresh/network-ca.crt
		exec chroot "$1" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 TERM=dumb CERTFLEET_FRESH_INNER=1 ${CI:+CI=$CI} $ca \
			sh -c "cd /root/certfleet && $2"' sh "$1" "$2"
}

# 1. the demo command, twice
r=$(new_root demo) || fail "could not make the demo root"
t1=$(date +%s)
in_root "$r" "sh .ci/demo" > "$W/demo.log" 2>&1
rc=$?
[ "$rc" -eq 0 ] || { tail -n 40 "$W/demo.log" >&2; fail "sh .ci/demo in a bare root: exit $rc, expected 0"; }
for f in report.junit.xml report.md report.json report.prom report.sarif report.html; do
	[ -s "$r/root/certfleet/reports/demo/$f" ] || fail "sh .ci/demo: reports/demo/$f missing or empty"
done
grep -q '"tool": "certfleet"' "$r/root/certfleet/reports/demo/report.json" || fail "demo: report.json is not certfleet's"
grep -q '<testsuites' "$r/root/certfleet/reports/demo/report.junit.xml" || fail "demo: report.junit.xml is not JUnit"
t2=$(date +%s)
in_root "$r" "sh .ci/demo" > "$W/demo2.log" 2>&1 || { tail -n 40 "$W/demo2.log" >&2; fail "sh .ci/demo, second run: not idempotent"; }
! grep -q "installing" "$W/demo2.log" || fail "sh .ci/demo, second run: installed packages again"
[ ! -e "$r/usr/bin/jq" ] || fail "sh .ci/demo installed jq (a test-only tool)"
echo "fresh: sh .ci/demo in a bare root: exit 0, six reports, in $((t2 - t1)) s; again in $(($(date +%s) - t2)) s"

# 2. the test command's normal pass, in a fresh copy
r=$(new_root test) || fail "could not make the test root"
t1=$(date +%s)
in_root "$r" "CERTFLEET_TEST_PASSES=normal sh .ci/test" > "$W/test.log" 2>&1
rc=$?
[ "$rc" -eq 0 ] || { grep -E "Failed|FAIL|Error|error:" "$W/test.log" | tail -n 40 >&2; tail -n 15 "$W/test.log" >&2; fail "sh .ci/test (normal pass) in a bare root: exit $rc, expected 0"; }
grep -q "100% tests passed" "$W/test.log" || { tail -n 20 "$W/test.log" >&2; fail "sh .ci/test: no passing ctest summary"; }
echo "fresh: sh .ci/test (normal pass) in a bare root: $(grep 'tests passed' "$W/test.log" | tail -n 1), in $(($(date +%s) - t1)) s"
echo "fresh: total $(($(date +%s) - t0)) s"
