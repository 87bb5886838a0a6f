/*
 * sniff.c - what a file is by its name and by its first bytes: audited by
 * extension, PEM by content, an archive by suffix.
 */
#define _GNU_SOURCE
#include <string.h>
#include <strings.h>

#include "decode/decode.h"

int
cf__has_pem_begin(const void *p, size_t n)
{
	return n > 0 && memmem(p, n, "-----BEGIN ", 11) != NULL;
}

int
cf__name_kind(const char *path)
{
	static const char *const certs[] = { ".pem", ".crt", ".cer", ".der", ".crl", ".p7b", ".p7c",
		".p7s", ".p12", ".pfx", ".jks", ".jceks", ".keystore", NULL };
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	size_t i;

	if (strcmp(slash ? slash + 1 : path, "cacerts") == 0)     /* Java's trust store */
		return 1;
	if (dot == NULL || (slash && dot < slash))
		return 0;
	for (i = 0; certs[i]; i++)
		if (strcasecmp(dot, certs[i]) == 0)
			return 1;
	return strcasecmp(dot, ".key") == 0 ? 2 : 0;
}

size_t
cf__archive_suffix(const char *name)
{
	static const char *const sfx[] = { ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.zst",
		".tar.bz2", ".tbz2", ".tar", ".zip", NULL };
	size_t n = strlen(name), k, i;

	for (i = 0; sfx[i]; i++) {
		k = strlen(sfx[i]);
		if (n > k && strcasecmp(name + n - k, sfx[i]) == 0)
			return k;
	}
	return 0;
}
