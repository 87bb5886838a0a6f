/*
 * sanitize.c - text from inputs made valid UTF-8 without control characters (injective).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/util.h"

/* Length of the valid UTF-8 sequence at P (of at most N bytes), 0 if
 * invalid; its code point in *CP. */
static size_t
utf8_len(const unsigned char *p, size_t n, unsigned *cpp)
{
	size_t len, i;
	unsigned cp;

	*cpp = p[0];
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		cp = p[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* overlong, surrogates, beyond U+10FFFF, and C1 controls are refused */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || (cp >= 0x80 && cp < 0xa0))
		return 0;
	*cpp = cp;
	return len;
}

/* Characters that change how text around them is shown without being
 * seen: bidirectional controls (a name "bidi<RLO>gnp.crt" shows as
 * another name) and zero-width ones. They are escaped like control bytes. */
static int
invisible(unsigned cp)
{
	return cp == 0x061c || cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

int
cf__sanitize_add(struct cf__buf *b, const void *vp, size_t n, int escape_backslash)
{
	const unsigned char *p = vp;
	size_t i = 0, l, k;
	unsigned cp;
	char esc[8];

	/* most text is printable ASCII: one copy */
	while (i < n && p[i] >= 0x20 && p[i] < 0x7f && (p[i] != '\\' || !escape_backslash))
		i++;
	if (cf__buf_add(b, p, i) != 0)
		return CF_E_NOMEM;
	while (i < n) {
		l = utf8_len(p + i, n - i, &cp);
		if (l == 1 && p[i] == '\\' && escape_backslash) {
			if (cf__buf_add(b, "\\\\", 2) != 0)
				return CF_E_NOMEM;
		} else if (l > 1 && invisible(cp)) {
			for (k = 0; k < l; k++) {
				snprintf(esc, sizeof esc, "\\x%02x", p[i + k]);
				if (cf__buf_add(b, esc, 4) != 0)
					return CF_E_NOMEM;
			}
		} else if (l == 0 || (l == 1 && (p[i] < 0x20 || p[i] == 0x7f))) {
			snprintf(esc, sizeof esc, "\\x%02x", p[i]);
			if (cf__buf_add(b, esc, 4) != 0)
				return CF_E_NOMEM;
			l = 1;
		} else if (cf__buf_add(b, p + i, l) != 0) {
			return CF_E_NOMEM;
		}
		i += l;
	}
	return 0;
}

static char *
sanitize(const void *p, size_t n, int escape_backslash)
{
	struct cf__buf b = { 0 };
	char *out;

	if (cf__buf_add(&b, "", 0) != 0 || cf__sanitize_add(&b, p, n, escape_backslash) != 0) {
		cf__buf_free(&b);
		return NULL;
	}
	/* trimmed: the scan keeps these strings */
	out = realloc(b.data, b.len + 1);
	return out ? out : (char *)b.data;
}

char *
cf__sanitize(const void *p, size_t n)
{
	return sanitize(p, n, 1);
}

char *
cf__sanitize_text(const void *p, size_t n)
{
	return sanitize(p, n, 0);
}
