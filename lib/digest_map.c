/*
 * digest_map.c - a thread-safe map from (SHA-256 digest, kind) to a record,
 * by open addressing. It holds the facts of each distinct certificate or
 * key DER and the decoded form of each distinct file: fleets repeat both
 * on many nodes. Records are immutable once in; the map owns them.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

struct slot {
	unsigned char digest[32];
	int kind;
	void *rec;
};

struct cf__dmap {
	pthread_mutex_t mu;
	struct slot *slots;
	size_t cap, n;
	void (*free_rec)(void *);
};

struct cf__dmap *
cf__dmap_new(void (*free_rec)(void *))
{
	struct cf__dmap *m = calloc(1, sizeof *m);

	if (m && (m->slots = calloc(m->cap = 64, sizeof *m->slots)) == NULL) {
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
	for (i = 0; i < m->cap; i++)
		if (m->slots[i].rec)
			m->free_rec(m->slots[i].rec);
	free(m->slots);
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

static size_t
find(const struct slot *slots, size_t cap, const unsigned char *d, int kind)
{
	size_t j;

	memcpy(&j, d, sizeof j);
	for (j &= cap - 1; slots[j].rec; j = (j + 1) & (cap - 1))
		if (slots[j].kind == kind && memcmp(slots[j].digest, d, 32) == 0)
			break;
	return j;
}

static int
grow(struct cf__dmap *m)
{
	struct slot *ns = calloc(m->cap * 2, sizeof *ns);
	size_t i;

	if (ns == NULL)
		return -1;
	for (i = 0; i < m->cap; i++)
		if (m->slots[i].rec)
			ns[find(ns, m->cap * 2, m->slots[i].digest, m->slots[i].kind)] = m->slots[i];
	free(m->slots);
	m->slots = ns;
	m->cap *= 2;
	return 0;
}

void *
cf__dmap_get(struct cf__dmap *m, const unsigned char *digest, int kind)
{
	void *rec;

	pthread_mutex_lock(&m->mu);
	rec = m->slots[find(m->slots, m->cap, digest, kind)].rec;
	pthread_mutex_unlock(&m->mu);
	return rec;
}

void *
cf__dmap_put(struct cf__dmap *m, const unsigned char *digest, int kind, void *rec)
{
	struct slot *s;
	void *in;

	pthread_mutex_lock(&m->mu);
	s = &m->slots[find(m->slots, m->cap, digest, kind)];
	if ((in = s->rec) == NULL) {
		memcpy(s->digest, digest, 32);
		s->kind = kind;
		s->rec = in = rec;
		rec = NULL;
		if (++m->n * 2 > m->cap && grow(m) != 0)
			in = NULL;
	}
	pthread_mutex_unlock(&m->mu);
	if (rec)
		m->free_rec(rec);          /* another thread put the same record first */
	return in;
}
