/*
 * buf.c - the one growable byte buffer and the one array-growth helper; hex; strdup.
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
	if (n >= CF__BUF_MAX || b->len + n + 1 > CF__BUF_MAX)
		return CF_E_NOMEM;
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
	if (n >= CF__BUF_MAX || b->len + n + 1 > CF__BUF_MAX)
		return CF_E_NOMEM;
	return b->len + n + 1 <= b->cap ? 0 : buf_resize(b, b->len + n + 1);
}

int
cf__grow(void **arr, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t nc;
	void *p;

	if (need <= *cap)
		return 0;
	/* the array's bytes stay under CF__BUF_MAX: no size arithmetic wraps */
	if (size == 0 || need > CF__BUF_MAX / size)
		return CF_E_NOMEM;
	nc = *cap ? *cap * 2 : first ? first : 1;
	while (nc < need)
		nc *= 2;
	if (nc > CF__BUF_MAX / size)
		nc = need;
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
