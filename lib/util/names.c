/*
 * names.c - logical paths, logical names and key-pairing stems of file paths.
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
	static const char *const sfx[] = { "_cert", "-cert", ".cert", "_crt", "-crt", "_key",
		"-key", ".key", NULL };
	char *s = stem_of(path);

	if (s)
		strip_suffix(s, sfx);
	return s;
}

char *
cf__pair_stem(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	char *name = cf__logical_name(path), *out = NULL;

	if (name == NULL)
		return NULL;
	/* cert.pem/key.pem and privkey.pem/cert.pem pair by convention, as do
	 * a kubeconfig user's client-certificate-data and client-key-data */
	if (strcmp(name, "key") == 0 || strcmp(name, "privkey") == 0 || strcmp(name, "cert") == 0 ||
	    strcmp(name, "fullchain") == 0 || strcmp(name, "client-certificate-data") == 0 ||
	    strcmp(name, "client-key-data") == 0) {
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

char *
cf__logical_path(const char *raw)
{
	char *out = malloc(strlen(raw) + 1), *o = out;
	const char *p = raw;

	if (out == NULL)
		return NULL;
	for (;;) {
		while (*p == '/')
			p++;
		if (p[0] == '.' && (p[1] == '/' || p[1] == '\0')) {
			p += 1;
			continue;
		}
		if (*p == '\0')
			break;
		if (o != out)
			*o++ = '/';
		while (*p && *p != '/')
			*o++ = *p++;
	}
	*o = '\0';
	return out;
}
