/*
 * digest_map.c - a thread-safe map from (SHA-256 digest, kind) to a record,
 * by open addressing. It holds the facts of each distinct certificate or
 * key DER and the decoded form of each distinct file: fleets repeat both
 * on many nodes. Records are immutable once in; the map owns them.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* Entries are kept densely in insertion order; the hash table holds only
 * their indexes (plus one; 0 is empty). Growing moves 4-byte indexes, not
 * 48-byte entries, and the entries grow by realloc: a map of many distinct
 * records touches far fewer fresh pages than a table of whole entries. */
struct entry {
	unsigned char digest[32];
	int kind;
	void *rec;
};

struct cf__dmap {
	pthread_mutex_t mu;
	struct entry *entries;
	size_t n, cap_entries;
	uint32_t *index;
	size_t cap; /* slots of INDEX, a power of two */
	void (*free_rec)(void *);
};

struct cf__dmap *
cf__dmap_new(void (*free_rec)(void *))
{
	struct cf__dmap *m = calloc(1, sizeof *m);

	if (m && (m->index = calloc(m->cap = 64, sizeof *m->index)) == NULL) {
		free(m);
		return NULL;
	}
	if (m) {
		pthread_mutex_init(&m->mu, NULL);
		m->free_rec = free_rec;
	}
	return m;
}

void
cf__dmap_free(struct cf__dmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		m->free_rec(m->entries[i].rec);
	free(m->entries);
	free(m->index);
	pthread_mutex_destroy(&m->mu);
	free(m);
}

size_t
cf__dmap_size(struct cf__dmap *m)
{
	size_t n;

	pthread_mutex_lock(&m->mu);
	n = m->n;
	pthread_mutex_unlock(&m->mu);
	return n;
}

void *
cf__dmap_at(struct cf__dmap *m, size_t i)
{
	void *rec = NULL;

	pthread_mutex_lock(&m->mu);
	if (i < m->n)
		rec = m->entries[i].rec;
	pthread_mutex_unlock(&m->mu);
	return rec;
}

static size_t
home(const unsigned char *d, size_t cap)
{
	size_t j;

	memcpy(&j, d, sizeof j); /* a digest's bytes are uniform */
	return j & (cap - 1);
}

/* The slot of (D, KIND) in the index: its entry's, or the empty one where
 * it would go. */
static size_t
find(const struct cf__dmap *m, const unsigned char *d, int kind)
{
	size_t j;
	const struct entry *e;

	for (j = home(d, m->cap); m->index[j]; j = (j + 1) & (m->cap - 1)) {
		e = &m->entries[m->index[j] - 1];
		if (e->kind == kind && memcmp(e->digest, d, 32) == 0)
			break;
	}
	return j;
}

static int
grow(struct cf__dmap *m)
{
	size_t cap = m->cap * 2, i, j;
	uint32_t *ni = calloc(cap, sizeof *ni);

	if (ni == NULL)
		return -1;
	for (i = 0; i < m->n; i++) {
		for (j = home(m->entries[i].digest, cap); ni[j]; j = (j + 1) & (cap - 1))
			;
		ni[j] = (uint32_t)(i + 1);
	}
	free(m->index);
	m->index = ni;
	m->cap = cap;
	return 0;
}

void *
cf__dmap_get(struct cf__dmap *m, const unsigned char *digest, int kind)
{
	void *rec = NULL;
	size_t j;

	pthread_mutex_lock(&m->mu);
	if ((j = m->index[find(m, digest, kind)]) != 0)
		rec = m->entries[j - 1].rec;
	pthread_mutex_unlock(&m->mu);
	return rec;
}

void *
cf__dmap_put(struct cf__dmap *m, const unsigned char *digest, int kind, void *rec)
{
	struct entry *e;
	void *in = NULL;
	size_t j;

	pthread_mutex_lock(&m->mu);
	j = find(m, digest, kind);
	if (m->index[j]) {
		in = m->entries[m->index[j] - 1].rec; /* another thread put it first */
	} else if (m->n >= UINT32_MAX - 1 || ((m->n + 1) * 2 > m->cap && grow(m) != 0) ||
	    cf__grow((void **)&m->entries, &m->cap_entries, m->n + 1, sizeof *m->entries, 64) !=
	        0) {
		in = NULL;
	} else {
		j = find(m, digest, kind); /* the index may have grown */
		e = &m->entries[m->n];
		memcpy(e->digest, digest, 32);
		e->kind = kind;
		e->rec = in = rec;
		m->index[j] = (uint32_t)++m->n;
		rec = NULL;
	}
	pthread_mutex_unlock(&m->mu);
	if (rec)
		m->free_rec(rec); /* not kept: a duplicate, or out of memory */
	return in;
}
