# browser.sh - headless Chromium for the report tests (sourced after lib.sh).
# render_measure PAGE.html OUT.txt: load PAGE in headless Chromium at
# GitHub's width and write what the page's own script put into
# <pre id="result"> (its measurements) into OUT.txt. screenshot PAGE PNG.
# Chromium runs as root here, so without its sandbox; no network.
chromium_run() {
	"$TOOL_chromium" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--no-first-run --no-default-browser-check --disable-extensions --mute-audio \
		--user-data-dir="$T/chromium-profile" --virtual-time-budget=5000 "$@" 2> "$T/chromium.err"
}
render_measure() {
	chromium_run --window-size=1280,4000 --dump-dom "file://$1" > "$T/dom.html" ||
		{ tail -n 20 "$T/chromium.err" >&2; fail "chromium could not load $1"; }
	sed -n 's/.*<pre id="result">\([^<]*\)<\/pre>.*/\1/p' "$T/dom.html" > "$2"
	[ -s "$2" ] || { tail -n 20 "$T/chromium.err" >&2; fail "the page's script measured nothing"; }
}
screenshot() {
	chromium_run --window-size=1280,2400 --hide-scrollbars --screenshot="$2" "file://$1" > /dev/null ||
		{ tail -n 20 "$T/chromium.err" >&2; fail "chromium screenshot of $1"; }
	[ -s "$2" ] || fail "no screenshot $2"
}
