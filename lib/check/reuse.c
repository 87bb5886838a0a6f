/*
 * reuse.c - tls-key-reuse: one public key in certificates of different
 * subjects, or in the different certificates a per-node path holds on
 * different nodes (each node's "own" certificate with the same key: one
 * stolen key opens every node). A per-node path is one declared with
 * --per-node, or one no two nodes carry the same certificate at. Linear
 * after two sorts: a fleet of 100,000 nodes sharing one key costs no more
 * than one that does not. Only the certificates whose key another
 * distinct certificate holds (found among the store's distinct records)
 * are followed to the files that hold them: a fleet without reuse holds
 * no record per file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"

struct holder {
	const struct cf__facts *f;
	uint32_t file, member;
};

static const struct cf_scan *sort_scan;

/* By key, then logical path, then certificate (its SHA-256: the order
 * does not hang on where records lie in memory), then node. */
static int
cmp_holder(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;
	const struct cf__file *fx = &sort_scan->files[x->file], *fy = &sort_scan->files[y->file];
	int c = memcmp(x->f->spki, y->f->spki, 32);

	if (c)
		return c;
	if (fx->path_ix != fy->path_ix)
		return fx->path_ix < fy->path_ix ? -1 : 1;
	if ((c = memcmp(x->f->sha256, y->f->sha256, 32)) != 0)
		return c;
	if (fx->node_ix != fy->node_ix)
		return fx->node_ix < fy->node_ix ? -1 : 1;
	return x->file < y->file ? -1 : x->file > y->file;
}

/* By key, then certificate. */
static int
cmp_key(const void *a, const void *b)
{
	const struct cf__facts *x = *(const struct cf__facts *const *)a,
	                       *y = *(const struct cf__facts *const *)b;
	int c = memcmp(x->spki, y->spki, 32);

	return c ? c : memcmp(x->sha256, y->sha256, 32);
}

static int
cmp_addr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (const struct cf__facts *const *)a,
	          y = (uintptr_t) * (const struct cf__facts *const *)b;

	return x < y ? -1 : x > y;
}

/* A certificate whose key can be told apart. */
static int
keyed(const struct cf__facts *f)
{
	return f && f->kind == 0 && f->error == NULL && f->spki_len == 32 && f->der != NULL;
}

/* The distinct certificates of the store that share their key with
 * another (*V, *N of them, by address): only they can be reused. */
static int
shared_keys(const struct cf_scan *s, const struct cf__facts ***out, size_t *n)
{
	size_t total = cf__facts_cache_count(s->cache), i, j, k = 0, m = 0;
	const struct cf__facts **v = malloc((total + 1) * sizeof *v);

	if (v == NULL)
		return CF_E_NOMEM;
	for (i = 0; i < total; i++)
		if (keyed(v[m] = cf__facts_cache_at(s->cache, i)))
			m++;
	if (m > 1)
		qsort(v, m, sizeof *v, cmp_key);
	for (i = 0; i < m; i = j) {
		for (j = i + 1; j < m && memcmp(v[j]->spki, v[i]->spki, 32) == 0; j++)
			;
		if (j - i > 1) {
			memmove(v + k, v + i, (j - i) * sizeof *v);
			k += j - i;
		}
	}
	if (k > 1)
		qsort(v, k, sizeof *v, cmp_addr);
	*out = v;
	*n = k;
	return 0;
}

static int
same_subject(const struct cf__facts *a, const struct cf__facts *b)
{
	return a->subject_len == b->subject_len &&
	    memcmp(a->der + a->subject_off, b->der + b->subject_off, a->subject_len) == 0;
}

/* PER_NODE[path index]: the path is per node (declared, or no two of its
 * certificate files alike). */
static int
per_node_paths(const struct cf_scan *s, unsigned char **out)
{
	const struct cf__file **v = malloc((s->n_files + 1) * sizeof *v);
	unsigned char *pn = calloc(s->path_tab.n + 1, 1);
	size_t i, n = 0, k;

	if (v == NULL || pn == NULL) {
		free(v);
		free(pn);
		return CF_E_NOMEM;
	}
	for (i = 0; i < s->n_files; i++)
		if (s->files[i].dec->n_certs)
			v[n++] = &s->files[i];
	if (n > 1)
		qsort(v, n, sizeof *v, cf__cmp_copy);
	for (i = 0; i < n; i = k) {
		int alike = 0;
		for (k = i + 1; k < n && v[k]->path_ix == v[i]->path_ix; k++)
			alike |= memcmp(v[k]->dec->identity, v[k - 1]->dec->identity, 32) == 0;
		pn[v[i]->path_ix] = !alike;
	}
	for (i = 0; i < s->path_tab.n; i++)
		pn[i] = pn[i] ||
		    cf__globs_match(s->policy.per_node, s->policy.n_per_node, s->path_tab.v[i]);
	free(v);
	*out = pn;
	return 0;
}

static int
say(struct cf_scan *s, const struct holder *e, const struct holder *o, int other_subject)
{
	const struct cf__file *fe = &s->files[e->file], *fo = &s->files[o->file];
	const struct cf__member *m = &cf__members(fe)[e->member];

	return cf__finding_add(s, CF__R_KEY_REUSE, fe->node, fe->path, (int)m->index, (int)m->line,
	    e->f, "the key of %s is also the key of %s on node %s (subject %s, sha256 %.16s)%s",
	    e->f->subject, fo->path, fo->node, o->f->subject, o->f->sha256_hex,
	    other_subject ? ""
	                  : ": each node's certificate at this per-node path "
	                    "should have a key of its own");
}

int
cf__reuse_run(struct cf_scan *s)
{
	struct holder *h = NULL;
	unsigned char *per_node = NULL;
	const struct cf__facts **shared = NULL;
	size_t n = 0, cap = 0, i, g, k, n_shared = 0;
	uint32_t j;
	int rc = shared_keys(s, &shared, &n_shared);

	for (i = 0; i < s->n_files && rc == 0 && n_shared > 0; i++) {
		const struct cf__member *m = cf__members(&s->files[i]);
		for (j = 0; j < s->files[i].dec->n_members; j++) {
			if (m[j].kind != CF__M_CERT || !keyed(m[j].facts) ||
			    bsearch(&m[j].facts, shared, n_shared, sizeof *shared, cmp_addr) ==
			        NULL)
				continue;
			if (n == cap) {
				struct holder *nh =
				    realloc(h, (cap = cap ? 2 * cap : 256) * sizeof *h);
				if (nh == NULL) {
					rc = CF_E_NOMEM;
					break;
				}
				h = nh;
			}
			h[n++] = (struct holder){ m[j].facts, (uint32_t)i, j };
		}
	}
	if (rc == 0 && n > 0)
		rc = per_node_paths(s, &per_node);
	sort_scan = s;
	if (rc == 0 && n > 1)
		qsort(h, n, sizeof *h, cmp_holder);
	for (g = 0; rc == 0 && g < n; g = k) {
		/* the group [g, k) of one key: a holder whose subject is not the
		 * group's first is paired with the first holder (S0), any other
		 * with the first holder of another subject (S1), if any */
		const struct holder *s1 = NULL;
		size_t p, q;
		for (k = g + 1; k < n && memcmp(h[k].f->spki, h[g].f->spki, 32) == 0; k++)
			if (s1 == NULL && !same_subject(h[k].f, h[g].f))
				s1 = &h[k];
		for (p = g; p < k && rc == 0; p = q) {
			/* the run [p, q) at one path: on a per-node path, a holder is
			 * paired with one of another certificate on another node */
			const struct holder *c0 = &h[p], *c1 = NULL;
			uint32_t path = s->files[h[p].file].path_ix;
			for (q = p + 1; q < k && s->files[h[q].file].path_ix == path; q++)
				if (c1 == NULL && h[q].f != c0->f &&
				    memcmp(h[q].f->sha256, c0->f->sha256, 32) != 0)
					c1 = &h[q];
			for (i = p; i < q && rc == 0; i++) {
				const struct holder *e = &h[i], *o = NULL;
				int other_subject = !same_subject(e->f, h[g].f);
				if (other_subject)
					o = &h[g];
				else if (s1)
					o = s1, other_subject = 1;
				else if (per_node[path] && c1) {
					o = memcmp(e->f->sha256, c0->f->sha256, 32) == 0 ? c1 : c0;
					if (s->files[o->file].node_ix == s->files[e->file].node_ix)
						o = NULL;
				}
				if (o != NULL)
					rc = say(s, e, o, other_subject);
			}
		}
	}
	free(per_node);
	free(shared);
	free(h);
	return rc;
}
