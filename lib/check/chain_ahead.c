/*
 * chain_ahead.c - verdicts ahead, on every core.
 *
 * With --jobs over 1, the verdicts the pass will ask for are made first on
 * --jobs threads: the chains are built (no signature checked but where
 * several issuers share a name), every distinct (anchor set, chain) not yet
 * cached gets a record marked PENDING in the cache, and the threads fill
 * the records in, each with trust lists of its own (GnuTLS objects are not
 * shared between threads). The pass then finds every verdict cached: its
 * findings, and their order, are those of a scan on one thread.
 */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include "check/chain.h"

#define PENDING UINT32_MAX

struct vjob {
	uint32_t off, n;
	const struct cf__facts *t; /* the one trusted certificate */
	unsigned *rec;
};

struct ahead {
	struct ctx *x;
	struct vjob *jobs;
	size_t n_jobs, cap_jobs;
	const struct cf__facts **certs; /* the chains, one after another */
	size_t n_certs, cap_certs;
	size_t next; /* the next job to take; atomic */
};

/* Queue the verdict on C[0..N) with T trusted, unless known or queued. */
static int
queue(struct ahead *h, const struct cf__facts *const *c, size_t n, const struct cf__facts *t)
{
	unsigned char id[32];
	unsigned *rec;

	if (cf__chain_atom_id(c, n, t, id) != 0)
		return CF_E_NOMEM;
	if (cf__dmap_get(h->x->cache, id, 2) != NULL)
		return 0;
	if ((rec = malloc(sizeof *rec)) == NULL ||
	    (rec = cf__dmap_put(h->x->cache, id, 2, rec)) == NULL)
		return CF_E_NOMEM;
	*rec = PENDING;
	if (cf__grow((void **)&h->jobs, &h->cap_jobs, h->n_jobs + 1, sizeof *h->jobs, 2) != 0 ||
	    cf__grow((void **)&h->certs, &h->cap_certs, h->n_certs + n, sizeof *h->certs, 2) != 0)
		return CF_E_NOMEM;
	h->jobs[h->n_jobs++] = (struct vjob){ (uint32_t)h->n_certs, (uint32_t)n, t, rec };
	memcpy(h->certs + h->n_certs, c, n * sizeof *c);
	h->n_certs += n;
	return 0;
}

/* Queue what cf__chain_judge() will ask of the chain C[0..N) (the anchor last). */
static int
queue_chain(struct ahead *h, const struct cf__facts *const *c, size_t n)
{
	size_t i;
	int rc;

	if (n < 2)
		return 0;
	if (n == 2 || !cf__chain_by_links(c, n))
		return queue(h, c, n - 1, c[n - 1]);
	for (i = 0; i + 1 < n; i++)
		if ((rc = queue(h, c + i, 1, c[i + 1])) != 0)
			return rc;
	return 0;
}

static void *
ahead_worker(void *arg)
{
	struct ahead *h = arg;
	struct tlcache tc;
	size_t j;

	memset(&tc, 0, sizeof tc);
	while ((j = __atomic_fetch_add(&h->next, 1, __ATOMIC_RELAXED)) < h->n_jobs) {
		struct vjob *v = &h->jobs[j];
		*v->rec = cf__chain_verdict(&tc, h->certs + v->off, v->n, v->t);
	}
	cf__chain_tl_clear(&tc);
	return NULL;
}

/* Queue the verdicts node NODE's files will ask for: their chains', and
 * where a split is judged, the chains the other anchor sets would build. */
static int
ahead_node(struct ahead *h, size_t node)
{
	struct ctx *x = h->x;
	const struct cf_scan *s = x->s;
	uint32_t set = x->node_set[node];
	const struct cf__file *f;
	const struct cf__facts *head;
	struct chain ch, other;
	size_t i, k;
	int rc;

	if (set == NONE)
		return 0;
	if ((rc = cf__chain_fill_pool(x, node)) != 0)
		return rc;
	for (i = s->file_off[node]; cf__chain_next_head(x, node, &i, &f, &head);) {
		if ((rc = cf__chain_build(x, f, &x->sets[set], head, &ch)) != 0)
			return rc;
		if (ch.end != END_TRUSTED)
			continue;
		if ((rc = queue_chain(h, ch.c, ch.n)) != 0)
			return rc;
		for (k = 0; k < x->n_sets && cf__chain_splits(x); k++) {
			if (k == set || !x->sets[k].top ||
			    cf__chain_in_set(&x->sets[k], ch.c[ch.n - 1]))
				continue;
			if ((rc = cf__chain_build(x, f, &x->sets[k], head, &other)) != 0 ||
			    (other.end == END_TRUSTED &&
			        (rc = queue_chain(h, other.c, other.n)) != 0))
				return rc;
		}
	}
	return 0;
}

int
cf__chain_ahead(struct ctx *x)
{
	struct ahead h = { .x = x };
	pthread_t *threads = NULL;
	size_t node, started = 0, t, n = x->s->policy.jobs > 1 ? (size_t)x->s->policy.jobs : 1;
	int rc = 0;

	if (n < 2)
		return 0;
	for (node = 0; node < x->s->n_nodes && rc == 0; node++)
		rc = ahead_node(&h, node);
	if (rc == 0 && h.n_jobs > 1 && (threads = calloc(n, sizeof *threads)) != NULL) {
		for (t = 1; t < n && t < h.n_jobs; t++)
			if (pthread_create(&threads[t], NULL, ahead_worker, &h) == 0)
				started++;
		ahead_worker(&h); /* this thread is one of them */
		for (t = 1; t <= started; t++)
			pthread_join(threads[t], NULL);
	} else if (rc == 0) {
		ahead_worker(&h);
	}
	free(threads);
	free(h.jobs);
	free(h.certs);
	return rc;
}
