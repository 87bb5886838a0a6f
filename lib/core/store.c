/*
 * store.c - the DER store: facts records by the SHA-256 of their DER and
 * their kind, owned by the scan and filled by the facts stage (facts/).
 */
#include <stdlib.h>

#include "core/core.h"

/* A record and its strings are one block: the map frees it with free(). */
struct cf__facts_cache *
cf__facts_cache_new(void)
{
	struct cf__facts_cache *c = calloc(1, sizeof *c);

	if (c && (c->map = cf__dmap_new(free)) == NULL) {
		free(c);
		c = NULL;
	}
	return c;
}

void
cf__facts_cache_free(struct cf__facts_cache *c)
{
	if (c == NULL)
		return;
	cf__dmap_free(c->map);
	free(c);
}

size_t
cf__facts_cache_size(const struct cf__facts_cache *c)
{
	return __atomic_load_n(&c->certs, __ATOMIC_RELAXED);
}

size_t
cf__facts_cache_count(const struct cf__facts_cache *c)
{
	return cf__dmap_size(c->map);
}

const struct cf__facts *
cf__facts_cache_at(const struct cf__facts_cache *c, size_t i)
{
	return cf__dmap_at(c->map, i);
}
