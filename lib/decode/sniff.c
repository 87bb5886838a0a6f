/*
 * sniff.c - what a file is by its name and by its first bytes, as the
 * decoders' rows claim them (names and sniffs); an archive by suffix.
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

/* The class NAME gets from the decoders' rows, or -1 unclaimed. */
static int
claim_of(const char *path)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t n = strlen(base), k, i, r;

	for (r = 0; cf__decoders[r]; r++)
		for (i = 0; cf__decoders[r]->names && cf__decoders[r]->names[i].name; i++) {
			const char *c = cf__decoders[r]->names[i].name;
			k = strlen(c);
			if (c[0] == '.' ? n > k && strcasecmp(base + n - k, c) == 0
			                : strcmp(base, c) == 0)
				return cf__decoders[r]->names[i].cls;
		}
	return -1;
}

int
cf__name_kind(const char *path)
{
	int cls = claim_of(path);

	return cls < 0 ? 0 : cls == CF__NAME_KEY ? 2 : 1;
}

int
cf__name_class(const char *path)
{
	int cls = claim_of(path);

	return cls < 0 ? CF__NAME_OTHER : cls;
}

int
cf__content_claimed(const void *p, size_t n)
{
	size_t r;

	for (r = 0; cf__decoders[r]; r++)
		if (cf__decoders[r]->sniff && cf__decoders[r]->sniff(p, n))
			return 1;
	return 0;
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
