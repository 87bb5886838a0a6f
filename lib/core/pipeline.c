/*
 * pipeline.c - decoding on worker threads. Sources run on the scan's
 * thread and submit one job per file; workers decode jobs (PEM, DER,
 * hashing, GnuTLS parsing: the costly part); the scan's thread commits
 * decoded jobs strictly in submission order, so results do not depend on
 * the number of threads. A ring of jobs and a budget of bytes in flight
 * bound the memory.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define RING 256
#define MAX_BYTES (64u << 20)
#define BATCH 16 /* jobs a worker takes at once: fewer lock round trips */

enum { FREE, QUEUED, TAKEN, DONE };

struct cf__pipeline {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	pthread_cond_t turn; /* a job came to the head (cf__kdf_turn) */
	int turn_waiters;
	uint64_t charged;    /* the scan's kdf_charged, as committed */
	int commit_rc;       /* a commit's error in kdf_turn, not said yet */
	size_t committed;    /* jobs whose commit is over (head counts
	                                    them as it begins) */
	pthread_t committer; /* the scan's thread */
	struct cf_scan *scan;
	struct cf__job *ring[RING];
	unsigned char state[RING];
	size_t lens[RING];
	size_t head, take, tail; /* commit <= take <= tail, as counters */
	size_t bytes;
	int stop;
	int idle;       /* workers waiting for work */
	int waiting;    /* the scan's thread waits for the head job */
	size_t n_done;  /* decoded, not yet committed */
	size_t wake_at; /* ... and is woken when this many are */
	struct cf__facts_cache *cache;
	struct cf__dmap *content;
	pthread_t *threads;
	int n_threads;
	/* bytes that file reads on workers hold (cf__pipeline_admit) */
	pthread_mutex_t read_mu;
	pthread_cond_t read_cv;
	size_t reading;
};

void
cf__pipeline_admit(void *arg, size_t n)
{
	struct cf__job *j = arg;
	struct cf__pipeline *p = j->pipe;

	if (p == NULL || n == 0)
		return;
	pthread_mutex_lock(&p->read_mu);
	while (p->reading > 0 && p->reading + n > CF__READ_BUDGET)
		pthread_cond_wait(&p->read_cv, &p->read_mu);
	p->reading += n;
	j->held = n;
	pthread_mutex_unlock(&p->read_mu);
}

void
cf__pipeline_release(struct cf__job *j)
{
	struct cf__pipeline *p = j->pipe;

	if (p == NULL || j->held == 0)
		return;
	pthread_mutex_lock(&p->read_mu);
	p->reading -= j->held;
	j->held = 0;
	pthread_cond_broadcast(&p->read_cv);
	pthread_mutex_unlock(&p->read_mu);
}

/* Take up to BATCH queued jobs (a fair share when few are queued),
 * decode them unlocked, mark each done. Called locked, with jobs queued. */
static void
decode_batch(struct cf__pipeline *p)
{
	size_t first, n, i, queued = p->tail - p->take;

	n = queued / (size_t)(p->n_threads + 1);
	n = n < 1 ? 1 : n > BATCH ? BATCH : n;
	first = p->take;
	p->take += n;
	for (i = first; i < first + n; i++)
		p->state[i % RING] = TAKEN;
	pthread_mutex_unlock(&p->mu);
	for (i = first; i < first + n; i++) {
		cf__job_run(p->cache, p->content, p->ring[i % RING]);
		pthread_mutex_lock(&p->mu); /* one at a time: a later job of the
		                                batch may wait for this one's commit */
		p->state[i % RING] = DONE;
		p->n_done++;
		if (p->waiting && i == p->head && p->turn_waiters)
			pthread_cond_signal(&p->done);
		if (i + 1 < first + n)
			pthread_mutex_unlock(&p->mu);
	}
}

static int commit_ready(struct cf_scan *s, struct cf__pipeline *p, size_t upto);

/* The facts cache's kdf_turn: JOB's thread waits until every job before
 * it is committed (the scan's thread commits them itself), then learns
 * what the key derivation budget has left. */
static int
kdf_turn(void *arg, uint64_t *left)
{
	struct cf__job *j = arg;
	struct cf__pipeline *p = j ? j->pipe : NULL;
	int ok, self;

	if (p == NULL)
		return 0;
	self = pthread_equal(pthread_self(), p->committer);
	cf__pipeline_release(j); /* an earlier job may need the reads */
	pthread_mutex_lock(&p->mu);
	p->turn_waiters++;
	if (p->waiting)
		pthread_cond_signal(&p->done);
	while (p->committed < j->seq && !p->stop) {
		if (self) {
			int r = commit_ready(p->scan, p, j->seq);
			if (r != 0) { /* said by the next commit_ready */
				p->commit_rc = p->commit_rc ? p->commit_rc : r;
				break;
			}
			if (p->committed == j->seq)
				break;
			p->waiting = 1;
			pthread_cond_wait(&p->done, &p->mu);
			p->waiting = 0;
		} else
			pthread_cond_wait(&p->turn, &p->mu);
	}
	p->turn_waiters--;
	ok = p->committed == j->seq;
	*left = p->cache->kdf_budget - p->charged;
	pthread_mutex_unlock(&p->mu);
	return ok;
}

/* A worker decodes batches; it wakes the scan's thread only when that
 * waits for the head of the ring. */
static void *
worker(void *arg)
{
	struct cf__pipeline *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && p->take == p->tail) {
			p->idle++;
			pthread_cond_wait(&p->work, &p->mu);
			p->idle--;
		}
		if (p->take == p->tail)
			break;
		decode_batch(p);
		if (p->waiting && p->state[p->head % RING] == DONE &&
		    (p->n_done >= p->wake_at || p->take == p->tail))
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Wait, locked, until the head job is decoded and, while others are
 * queued, a quarter of the ring: committing and refilling in runs keeps
 * the threads from waking each other for every batch. The scan's thread
 * is one of the --jobs decoders: while jobs are queued it decodes them
 * instead of sleeping. */
static void
wait_head(struct cf__pipeline *p)
{
	p->wake_at = RING / 4;
	while (p->head < p->tail &&
	    (p->state[p->head % RING] != DONE ||
	        (p->n_done < p->wake_at && p->take < p->tail && !p->turn_waiters))) {
		if (p->take < p->tail) {
			decode_batch(p);
			continue;
		}
		p->waiting = 1;
		pthread_cond_wait(&p->done, &p->mu);
		p->waiting = 0;
	}
}

static int
start(struct cf_scan *s)
{
	struct cf__pipeline *p = calloc(1, sizeof *p);
	int i;

	if (p == NULL ||
	    (p->threads = calloc((size_t)s->policy.jobs - 1, sizeof *p->threads)) == NULL) {
		free(p);
		return CF_E_NOMEM;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	pthread_cond_init(&p->turn, NULL);
	pthread_mutex_init(&p->read_mu, NULL);
	pthread_cond_init(&p->read_cv, NULL);
	p->cache = s->cache;
	p->content = s->content;
	p->committer = pthread_self();
	p->scan = s;
	p->charged = s->kdf_charged;
	s->cache->kdf_turn = kdf_turn;
	s->pipe = p;
	for (i = 0; i < s->policy.jobs - 1; i++) { /* and the scan's thread */
		if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
			break;
		p->n_threads++;
	}
	return p->n_threads ? 0 : CF_E_INTERNAL;
}

/* Commit the decoded jobs at the head of the ring, those before UPTO.
 * Called locked; commits unlocked (only this thread touches the scan). */
static int
commit_ready(struct cf_scan *s, struct cf__pipeline *p, size_t upto)
{
	struct cf__job *j;
	size_t slot;
	int rc = 0, r;

	while (p->head < p->tail && p->head < upto && p->state[slot = p->head % RING] == DONE) {
		j = p->ring[slot];
		p->state[slot] = FREE;
		p->n_done--;
		p->bytes -= p->lens[slot];
		p->head++;
		pthread_mutex_unlock(&p->mu);
		r = cf__commit(s, j);
		free(j);
		rc = rc ? rc : r;
		pthread_mutex_lock(&p->mu);
		p->committed++;
		p->charged = s->kdf_charged;
		if (p->turn_waiters)
			pthread_cond_broadcast(&p->turn);
	}
	if (rc == 0 && upto == SIZE_MAX && p->commit_rc) {
		rc = p->commit_rc;
		p->commit_rc = 0;
	}
	return rc;
}

int
cf__pipeline_submit(struct cf_scan *s, struct cf__job *j)
{
	struct cf__pipeline *p;
	size_t slot;
	int rc = 0, r;

	if (s->cache->kdf_budget == 0) /* fixed before any job runs */
		s->cache->kdf_budget = s->policy.limits.max_kdf_work;
	if (s->policy.jobs <= 1) { /* everything on this thread, in order: */
		j->kdf_exact = 1;  /* the budget's rest is known */
		j->kdf_limit = s->cache->kdf_budget - s->kdf_charged;
		cf__job_run(s->cache, s->content, j);
		rc = cf__commit(s, j);
		free(j);
		return rc;
	}
	if (s->pipe == NULL && (rc = start(s)) != 0) {
		cf__job_clear(j);
		free(j);
		return rc;
	}
	p = s->pipe;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		if ((r = commit_ready(s, p, SIZE_MAX)) != 0 && rc == 0)
			rc = r;
		if (p->tail - p->head < RING && (p->bytes <= MAX_BYTES || p->head == p->tail))
			break;
		wait_head(p);
	}
	j->seq = p->tail;
	slot = p->tail++ % RING;
	j->pipe = p;
	p->ring[slot] = j;
	p->lens[slot] = j->len;
	p->state[slot] = QUEUED;
	p->bytes += j->len;
	if (p->idle)
		pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	return rc;
}

/* Stop the workers (called locked: unlocks) and wait for them; a batch a
 * worker took is finished first. */
static void
stop_workers(struct cf__pipeline *p)
{
	int i;

	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_cond_broadcast(&p->turn);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->n_threads; i++)
		pthread_join(p->threads[i], NULL);
}

static void
destroy(struct cf_scan *s, struct cf__pipeline *p)
{
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->turn);
	pthread_mutex_destroy(&p->read_mu);
	pthread_cond_destroy(&p->read_cv);
	free(p->threads);
	free(p);
	s->pipe = NULL;
	s->cache->kdf_turn = NULL;
}

void
cf__pipeline_abort(struct cf_scan *s)
{
	struct cf__pipeline *p = s->pipe;
	size_t i, end;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	end = p->tail;
	p->tail = p->take; /* what is queued is not taken any more */
	stop_workers(p);
	for (i = p->head; i < end; i++) { /* decoded or not, nothing is committed */
		cf__job_clear(p->ring[i % RING]);
		free(p->ring[i % RING]);
	}
	destroy(s, p);
}

int
cf__pipeline_drain(struct cf_scan *s)
{
	struct cf__pipeline *p = s->pipe;
	int rc = 0, r;

	if (p == NULL)
		return 0;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		if ((r = commit_ready(s, p, SIZE_MAX)) != 0 && rc == 0)
			rc = r;
		if (p->head == p->tail)
			break;
		wait_head(p);
	}
	stop_workers(p);
	destroy(s, p);
	return rc;
}
