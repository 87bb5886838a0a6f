#!/bin/sh
# test-install.sh: install the build into a temporary prefix and prove that
# libcertfleet embeds as its docs say:
#  - the shared library exports only cf_ names (nm -D --defined-only), has
#    a soname, and exports every function certfleet.h declares;
#  - examples/embed.c builds against the installed prefix both through
#    find_package(certfleet) and through pkg-config, and both programs list
#    the expired certificates of testdata/fleet that its expected.json
#    (written by certfleet-gen when it made the fleet) names.
# Env: BUILD SRC CMAKE CC NM PKG_CONFIG TOOL_jq TOOL_readelf EMBED_FLAGS (found at
# configure time; without jq or readelf the test is skipped, exit 77).
set -eu
JQ=${TOOL_jq:-}
READELF=${TOOL_readelf:-}
for t in "$JQ" "$READELF" "$PKG_CONFIG"; do
	case $t in '' | *-NOTFOUND) echo "skipped: jq, readelf or pkg-config not found when configured"; exit 77 ;; esac
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$CMAKE" --install "$BUILD" --prefix "$T/prefix" > "$T/install.log" 2>&1 ||
	{ cat "$T/install.log"; fail "cmake --install"; }
so=$(find "$T/prefix" -name 'libcertfleet.so.*.*' | head -1)
[ -n "$so" ] || fail "no libcertfleet.so.X.Y installed"
libdir=$(dirname "$so")
[ -L "$libdir/libcertfleet.so" ] || fail "no libcertfleet.so development link"
[ -z "$(find "$T/prefix" -name '*.a')" ] || fail "a static library was installed"
for f in share/man/man1/certfleet.1 share/man/man1/certfleet-gen.1 \
	share/bash-completion/completions/certfleet share/bash-completion/completions/certfleet-gen bin/certfleet; do
	[ -f "$T/prefix/$f" ] || fail "not installed: $f"
done
echo "ok: man pages, bash completion and the programs installed"

# 1. the exported names: cf_ only (the version node is an absolute A symbol)
"$NM" -D --defined-only "$so" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' | sort > "$T/exported"
[ -s "$T/exported" ] || fail "nothing exported"
if grep -v '^cf_[a-z]' "$T/exported" > "$T/bad"; then
	fail "exports names that are not public: $(head -5 "$T/bad" | tr '\n' ' ')"
fi
"$READELF" -d "$so" | grep -q 'SONAME.*libcertfleet\.so\.[0-9]' || fail "no soname"
# every function the header declares is exported, and nothing else
sed -n 's/^[a-z].*[ *]\(cf_[a-z_0-9]*\)(.*/\1/p' "$SRC/lib/include/certfleet.h" | sort -u > "$T/declared"
diff "$T/declared" "$T/exported" > "$T/diff" || { cat "$T/diff"; fail "exported names differ from certfleet.h"; }
# the version script lists them one by one (no glob): the same names
sed -n 's/^[[:space:]]*\(cf_[a-z_0-9]*\);$/\1/p' "$SRC/lib/certfleet.map" | sort > "$T/listed"
grep -q 'cf_[a-z_0-9]*\*' "$SRC/lib/certfleet.map" && fail "certfleet.map exports by a glob"
diff "$T/declared" "$T/listed" > "$T/diff" || { cat "$T/diff"; fail "certfleet.map's list differs from certfleet.h"; }
echo "ok: $(wc -l < "$T/exported") cf_ names exported, all declared in certfleet.h, nothing else"

# the expected expired certificates, from the generator's expected.json
now=$("$JQ" -r .now "$SRC/testdata/fleet/expected.json")
"$JQ" -r '.findings[] | select(.check == "tls-cert-expired") | "\(.node) \(.path)[\(.index)]"' \
	"$SRC/testdata/fleet/expected.json" | sort > "$T/want"
[ -s "$T/want" ] || fail "expected.json names no expired certificate"

check_run() {   # check_run NAME PROGRAM
	LD_LIBRARY_PATH=$libdir "$2" --now "$now" "$SRC/testdata/fleet" > "$T/$1.out" ||
		fail "$1: embed exited $?"
	cut -d' ' -f1-2 "$T/$1.out" | sort > "$T/$1.got"
	diff "$T/want" "$T/$1.got" || fail "$1: embed does not list the expired certificates"
	echo "ok: $1: embed lists $(wc -l < "$T/$1.got") expired certificate(s), as expected.json says"
}

# 2. find_package(certfleet)
mkdir -p "$T/cm"
cat > "$T/cm/CMakeLists.txt" <<CMEOF
cmake_minimum_required(VERSION 3.18)
project(embed C)
find_package(certfleet 0.1 REQUIRED)
add_executable(embed $SRC/examples/embed.c)
target_link_libraries(embed PRIVATE certfleet::certfleet)
CMEOF
"$CMAKE" -S "$T/cm" -B "$T/cm/build" -DCMAKE_PREFIX_PATH="$T/prefix" -DCMAKE_C_COMPILER="$CC" \
	-DCMAKE_C_FLAGS="${EMBED_FLAGS:-}" -DCMAKE_EXE_LINKER_FLAGS="${EMBED_FLAGS:-}" \
	> "$T/cm.log" 2>&1 || { cat "$T/cm.log"; fail "find_package(certfleet)"; }
"$CMAKE" --build "$T/cm/build" > "$T/cmb.log" 2>&1 || { cat "$T/cmb.log"; fail "build with find_package"; }
check_run find_package "$T/cm/build/embed"

# 3. pkg-config
flags=$(PKG_CONFIG_PATH="$libdir/pkgconfig" "$PKG_CONFIG" --cflags --libs certfleet) ||
	fail "pkg-config certfleet"
# shellcheck disable=SC2086
"$CC" -Wall -Wextra -Werror ${EMBED_FLAGS:-} -o "$T/embed-pc" "$SRC/examples/embed.c" $flags ||
	fail "build with pkg-config"
check_run pkg-config "$T/embed-pc"
echo "PASS"
