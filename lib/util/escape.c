/*
 * escape.c - escaping for report formats: Markdown text, XML/HTML comments.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/util.h"

/* Markdown: backslash-escape every ASCII punctuation character, so text from
 * a certificate can neither break a table nor open markup (CommonMark 2.4). */
/* Characters of S (UTF-8) */
static size_t
u8_chars(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* Byte offset of character K of S[0..n). */
static size_t
u8_at(const char *s, size_t n, size_t k)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && c++ == k)
			return i;
	return n;
}

static int
code_part(struct cf__buf *b, const char *s, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i = j + 1) {
		for (j = i; j < n && s[j] != '|'; j++)
			;
		if (cf__buf_add(b, s + i, j - i) != 0 || (j < n && cf__buf_add(b, "\\|", 2) != 0))
			return CF_E_NOMEM;
	}
	return 0;
}

int
cf__md_code(struct cf__buf *b, const char *s, size_t max)
{
	size_t n = strlen(s), run = 0, longest = 0, i, head = n, tail = n;
	int pad;

	for (i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	if (max && u8_chars(s, n) > max) {
		size_t chars = u8_chars(s, n), keep = max - 1;
		head = u8_at(s, n, keep / 2);
		tail = u8_at(s, n, chars - (keep - keep / 2));
	}
	pad = n && (s[0] == '`' || s[0] == ' ' || s[n - 1] == '`' || s[n - 1] == ' ');
	for (i = 0; i <= longest; i++)
		if (cf__buf_add(b, "`", 1) != 0)
			return CF_E_NOMEM;
	if ((pad && cf__buf_add(b, " ", 1) != 0) || code_part(b, s, head) != 0 ||
	    (tail < n &&
	        (cf__buf_add(b, "\xe2\x80\xa6", 3) != 0 ||
	            code_part(b, s + tail, n - tail) != 0)) ||
	    (pad && cf__buf_add(b, " ", 1) != 0))
		return CF_E_NOMEM;
	for (i = 0; i <= longest; i++)
		if (cf__buf_add(b, "`", 1) != 0)
			return CF_E_NOMEM;
	return 0;
}

static int
word_char(char c)
{
	return isalnum((unsigned char)c) || ((unsigned char)c & 0x80);
}

int
cf__md_text(struct cf__buf *b, const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		/* what would link or notify: a scheme's "://", "www." (GFM's
		 * autolinks) and "@" (a mention, an e-mail autolink) */
		int esc = strchr("\\`*<>[]|~&!", s[i]) != NULL ||
		    (s[i] == '_' && !(i > 0 && word_char(s[i - 1]) && word_char(s[i + 1]))) ||
		    (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') ||
		    (s[i] == '.' && i >= 3 && strncasecmp(s + i - 3, "www", 3) == 0);
		if ((esc && cf__buf_add(b, "\\", 1) != 0) || cf__buf_add(b, s + i, 1) != 0)
			return CF_E_NOMEM;
		if (s[i] == '@' && cf__buf_add(b, "\xe2\x80\x8d", 3) != 0) /* U+200D ZWJ */
			return CF_E_NOMEM;
	}
	return 0;
}

char *
cf__pi_safe(const char *c)
{
	char *out = malloc(strlen(c) * 2 + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (; *c; c++) {
		*o++ = *c;
		if (*c == '?' && c[1] == '>')
			*o++ = ' ';
	}
	*o = '\0';
	return out;
}

char *
cf__md_title_safe(const char *c)
{
	char *out = malloc(strlen(c) * 2 + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (; *c; c++) {
		if (*c == '(' || *c == ')' || *c == '\\')
			*o++ = '\\';
		*o++ = *c;
	}
	*o = '\0';
	return out;
}
