/*
 * util.c - buffers, string escaping, time and duration parsing, names.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "private.h"

static int
buf_resize(struct cf__buf *b, size_t cap)
{
	unsigned char *d = realloc(b->data, cap);

	if (d == NULL)
		return CF_E_NOMEM;
	b->data = d;
	b->cap = cap;
	return 0;
}

/* Append N bytes; keeps a NUL after the data so text can be read as a string. */
int
cf__buf_add(struct cf__buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (buf_resize(b, cap) != 0)
			return CF_E_NOMEM;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
cf__buf_reserve(struct cf__buf *b, size_t n)
{
	return b->len + n + 1 <= b->cap ? 0 : buf_resize(b, b->len + n + 1);
}

int
cf__grow(void **arr, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t nc;
	void *p;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap * 2 : first;
	while (nc < need)
		nc *= 2;
	if ((p = realloc(*arr, nc * size)) == NULL)
		return CF_E_NOMEM;
	*arr = p;
	*cap = nc;
	return 0;
}

int
cf__buf_printf(struct cf__buf *b, const char *fmt, ...)
{
	char small[512];
	char *big = NULL;
	int rc, n;
	va_list ap;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return CF_E_INTERNAL;
	if ((size_t)n < sizeof small)
		return cf__buf_add(b, small, (size_t)n);
	if ((big = malloc((size_t)n + 1)) == NULL)
		return CF_E_NOMEM;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = cf__buf_add(b, big, (size_t)n);
	free(big);
	return rc;
}

void
cf__buf_free(struct cf__buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *
cf__strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

void
cf__hex(char *dst, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		*dst++ = digits[p[i] >> 4];
		*dst++ = digits[p[i] & 15];
	}
	*dst = '\0';
}

/* Length of the valid UTF-8 sequence at P (of at most N bytes), 0 if invalid. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) { len = 2; cp = p[0] & 0x1f; }
	else if (p[0] >= 0xe0 && p[0] <= 0xef) { len = 3; cp = p[0] & 0x0f; }
	else if (p[0] >= 0xf0 && p[0] <= 0xf4) { len = 4; cp = p[0] & 0x07; }
	else
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
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff ||
	    (cp >= 0x80 && cp < 0xa0))
		return 0;
	return len;
}

int
cf__sanitize_add(struct cf__buf *b, const void *vp, size_t n, int escape_backslash)
{
	const unsigned char *p = vp;
	size_t i = 0, l;
	char esc[8];

	/* most text is printable ASCII: one copy */
	while (i < n && p[i] >= 0x20 && p[i] < 0x7f && (p[i] != '\\' || !escape_backslash))
		i++;
	if (cf__buf_add(b, p, i) != 0)
		return CF_E_NOMEM;
	while (i < n) {
		l = utf8_len(p + i, n - i);
		if (l == 1 && p[i] == '\\' && escape_backslash) {
			if (cf__buf_add(b, "\\\\", 2) != 0)
				return CF_E_NOMEM;
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
	struct cf__buf b = {0};
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

/* ---- time ------------------------------------------------------------------ */

int
cf_parse_time(const char *text, int64_t *out)
{
	struct tm tm;
	const char *rest;
	char *end;
	long long v;
	int64_t t, off = 0;

	if (text == NULL || *text == '\0')
		return CF_E_USAGE;
	if (text[0] == '@') {
		errno = 0;
		v = strtoll(text + 1, &end, 10);
		if (errno || end == text + 1 || *end)
			return CF_E_USAGE;
		*out = v;
		return 0;
	}
	memset(&tm, 0, sizeof tm);
	rest = strptime(text, "%Y-%m-%dT%H:%M:%S", &tm);
	if (rest == NULL)
		rest = strptime(text, "%Y-%m-%d %H:%M:%S", &tm);
	if (rest == NULL)
		return CF_E_USAGE;
	if (*rest == '.') {               /* fractional seconds are dropped */
		rest++;
		while (isdigit((unsigned char)*rest))
			rest++;
	}
	if (strcmp(rest, "Z") == 0 || strcmp(rest, "z") == 0) {
		off = 0;
	} else if ((rest[0] == '+' || rest[0] == '-') && isdigit((unsigned char)rest[1]) &&
	    isdigit((unsigned char)rest[2]) && rest[3] == ':' &&
	    isdigit((unsigned char)rest[4]) && isdigit((unsigned char)rest[5]) && rest[6] == '\0') {
		off = ((rest[1] - '0') * 10 + (rest[2] - '0')) * 3600 +
		    ((rest[4] - '0') * 10 + (rest[5] - '0')) * 60;
		if (rest[0] == '-')
			off = -off;
	} else {
		return CF_E_USAGE;
	}
	t = (int64_t)timegm(&tm);
	*out = t - off;
	return 0;
}

int
cf_parse_duration(const char *text, int64_t *out)
{
	char *end;
	long long v;
	int64_t mul;

	if (text == NULL || !isdigit((unsigned char)*text))
		return CF_E_USAGE;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || v < 0)
		return CF_E_USAGE;
	if (strcmp(end, "s") == 0 || *end == '\0') mul = 1;
	else if (strcmp(end, "m") == 0) mul = 60;
	else if (strcmp(end, "h") == 0) mul = 3600;
	else if (strcmp(end, "d") == 0) mul = 86400;
	else if (strcmp(end, "w") == 0) mul = 7 * 86400;
	else return CF_E_USAGE;
	if (v > INT64_MAX / mul)
		return CF_E_USAGE;
	*out = (int64_t)v * mul;
	return 0;
}

int
cf_format_time(int64_t t, char *buf, size_t len)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return CF_E_USAGE;
	return 0;
}

const char *
cf__severity_name(enum cf_severity s)
{
	switch (s) {
	case CF_SEV_ERROR: return "error";
	case CF_SEV_WARNING: return "warning";
	case CF_SEV_INFO: return "info";
	default: return "never";
	}
}

/* ---- names ------------------------------------------------------------------- */

/* Basename of PATH without its last extension (new string). */
static char *
stem_of(const char *path)
{
	const char *base = strrchr(path, '/');
	char *s, *dot;

	s = strdup(base ? base + 1 : path);
	if (s && (dot = strrchr(s, '.')) != NULL && dot != s)
		*dot = '\0';
	return s;
}

static void
strip_suffix(char *s, const char *const *suffixes)
{
	size_t n = strlen(s), k;

	for (; *suffixes; suffixes++) {
		k = strlen(*suffixes);
		if (n > k && strcmp(s + n - k, *suffixes) == 0) {
			s[n - k] = '\0';
			return;
		}
	}
}

char *
cf__logical_name(const char *path)
{
	static const char *const sfx[] = { "_cert", "-cert", ".cert", "_crt", "-crt",
		"_key", "-key", ".key", NULL };
	char *s = stem_of(path);

	if (s)
		strip_suffix(s, sfx);
	return s;
}

int
cf__pair_stem_buf(const char *path, char *buf, size_t len)
{
	char *stem = cf__pair_stem(path);
	int rc = stem && strlen(stem) < len ? 0 : -1;

	if (rc == 0)
		strcpy(buf, stem);
	free(stem);
	return rc;
}

char *
cf__pair_stem(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	char *name = cf__logical_name(path), *out = NULL;

	if (name == NULL)
		return NULL;
	/* cert.pem/key.pem and privkey.pem/cert.pem pair by convention */
	if (strcmp(name, "key") == 0 || strcmp(name, "privkey") == 0 ||
	    strcmp(name, "cert") == 0 || strcmp(name, "fullchain") == 0) {
		free(name);
		name = strdup("cert");
		if (name == NULL)
			return NULL;
	}
	if ((out = malloc(dirlen + strlen(name) + 1)) != NULL) {
		memcpy(out, path, dirlen);
		strcpy(out + dirlen, name);
	}
	free(name);
	return out;
}

/* Markdown: backslash-escape every ASCII punctuation character, so text from
 * a certificate can neither break a table nor open markup (CommonMark 2.4). */
void
cf__md_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (ispunct((unsigned char)*s))
			fputc('\\', out);
		fputc(*s, out);
	}
}

char *
cf__comment_safe(const char *c)
{
	char *out = malloc(strlen(c) * 2 + 2), *o = out;

	if (out == NULL)
		return NULL;
	for (; *c; c++) {
		if (*c == '-' && o > out && o[-1] == '-')
			*o++ = ' ';
		*o++ = *c;
	}
	if (o > out && o[-1] == '-')
		*o++ = ' ';
	*o = '\0';
	return out;
}

/* ---- string tables ------------------------------------------------------------ */

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static int
strtab_grow(struct cf__strtab *t)
{
	size_t n = t->nslot ? t->nslot * 2 : 64, i, j;
	uint32_t *slot = calloc(n, sizeof *slot);

	if (slot == NULL)
		return -1;
	for (i = 0; i < t->n; i++) {
		for (j = fnv1a(t->v[i]) & (n - 1); slot[j]; j = (j + 1) & (n - 1))
			;
		slot[j] = (uint32_t)(i + 1);
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = n;
	return 0;
}

long
cf__strtab_intern(struct cf__strtab *t, const char *s)
{
	size_t j;
	char **v;

	if ((t->n + 1) * 2 > t->nslot && strtab_grow(t) != 0)
		return -1;
	for (j = fnv1a(s) & (t->nslot - 1); t->slot[j]; j = (j + 1) & (t->nslot - 1))
		if (strcmp(t->v[t->slot[j] - 1], s) == 0)
			return (long)t->slot[j] - 1;
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 16;
		if ((v = realloc(t->v, nc * sizeof *v)) == NULL)
			return -1;
		t->v = v;
		t->cap = nc;
	}
	if ((t->v[t->n] = strdup(s)) == NULL)
		return -1;
	t->slot[j] = (uint32_t)(t->n + 1);
	return (long)t->n++;
}

void
cf__strtab_free(struct cf__strtab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	free(t->slot);
	memset(t, 0, sizeof *t);
}
