/*
 * strtab.c - interned strings: each distinct string stored once, found by hash.
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
