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
#include <time.h>

#include "util/util.h"

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
