/*
 * chain_build.c - building a chain: from a leaf, issuer by name, first in
 * the same file, then in the node's other files (the pool, by subject),
 * then among the anchors of a set; where several certificates bear the
 * issuer's name, the one whose key signed. And what a node trusts: its
 * anchors.
 */
#include <stdlib.h>
#include <string.h>

#include "check/chain.h"

/* A self-signed CA: what a node trusts by carrying it. A version 1
 * self-signed certificate (no basicConstraints) is a root only while the
 * scan names no anchors of its own: given --trust, it is a self-signed
 * leaf, as openssl verify takes it (error 18). Under --trust-only a node's
 * roots are candidates, never anchors (node_anchors). */
int
cf__chain_is_root(const struct cf_scan *s, const struct cf__facts *f)
{
	return cf__facts_usable(f) && cf__is_self_signed(f) &&
	    (f->is_ca || (f->version == 1 && s->n_trust == 0));
}

static int
cmp_sha(const void *a, const void *b)
{
	return memcmp((*(const struct cf__facts *const *)a)->sha256,
	    (*(const struct cf__facts *const *)b)->sha256, 32);
}

int
cf__chain_cmp_name(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
	if (na != nb)
		return na < nb ? -1 : 1;
	return memcmp(a, b, na);
}

static int
cmp_held(const void *a, const void *b)
{
	const struct cf__facts *x = ((const struct held *)a)->f, *y = ((const struct held *)b)->f;
	int c = cf__chain_cmp_name(
	    x->der + x->subject_off, x->subject_len, y->der + y->subject_off, y->subject_len);

	return c ? c : memcmp(x->sha256, y->sha256, 32);
}

int
cf__chain_in_set(const struct aset *a, const struct cf__facts *f)
{
	const struct cf__facts *key = f;

	return a && bsearch(&key, a->v, a->n, sizeof *a->v, cmp_sha) != NULL;
}

static int
issued_by_name(const struct cf__facts *cert, const struct cf__facts *issuer)
{
	return cf__chain_cmp_name(cert->der + cert->issuer_off, cert->issuer_len,
	           issuer->der + issuer->subject_off, issuer->subject_len) == 0;
}

static int
in_chain(const struct chain *ch, const struct cf__facts *f)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		if (memcmp(ch->c[i]->sha256, f->sha256, 32) == 0)
			return 1;
	return 0;
}

static void
candidate(const struct cf__facts **v, size_t *n, const struct chain *ch,
    const struct cf__facts *cur, const struct cf__facts *f)
{
	size_t i;

	if (*n == MAX_CANDIDATES || !cf__facts_usable(f) || !issued_by_name(cur, f) ||
	    in_chain(ch, f))
		return; /* (an issuer in the chain already: a loop, seen by build) */
	for (i = 0; i < *n; i++)
		if (memcmp(v[i]->sha256, f->sha256, 32) == 0)
			return;
	v[(*n)++] = f;
}

/* May FILE's chain take a certificate of the node's file OTHER (an index
 * into the scan's files)? An entry of a Kubernetes object (a logical path
 * FILE#NAMESPACE/NAME/KEY) is mounted alone: it chains only with the
 * entries of its own object (and the anchors), never with another
 * Secret's intermediate. Other files take any of the node's. */
static int
in_scope(const struct cf_scan *s, const struct cf__file *file, uint32_t other)
{
	const char *hash = strchr(file->path, '#'), *slash;
	size_t n;

	if (hash == NULL || (slash = strrchr(hash, '/')) == NULL)
		return 1;
	n = (size_t)(slash - file->path) + 1; /* "FILE#NS/NAME/" */
	return strncmp(s->files[other].path, file->path, n) == 0;
}

/* The issuers of CUR by name: in FILE, then the node's pool (within
 * FILE's scope), then A. */
static size_t
candidates(struct ctx *x, const struct cf__file *file, const struct aset *a, const struct chain *ch,
    const struct cf__facts *cur, const struct cf__facts **v)
{
	const struct cf__member *m = cf__members(file);
	struct held key = { cur, 0 };
	size_t n = 0, lo = 0, hi = x->n_pool, i;
	uint32_t j;

	for (j = 0; j < file->dec->n_members; j++)
		if (m[j].kind == CF__M_CERT)
			candidate(v, &n, ch, cur, m[j].facts);
	/* the first certificate of the pool with CUR's issuer as subject */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cf__facts *f = x->pool[mid].f;
		if (cf__chain_cmp_name(f->der + f->subject_off, f->subject_len,
		        key.f->der + key.f->issuer_off, key.f->issuer_len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < x->n_pool && issued_by_name(cur, x->pool[i].f); i++)
		if (in_scope(x->s, file, x->pool[i].file))
			candidate(v, &n, ch, cur, x->pool[i].f);
	for (i = 0; a && i < a->n; i++)
		candidate(v, &n, ch, cur, a->v[i]);
	return n;
}

/* A self-issued CUR: does another certificate of its name (FILE, the pool,
 * A) sign it, where its own key does not? 1 with it in *NEXT, 0, or
 * CF_E_NOMEM. A root's own signature is not asked for: only when another
 * certificate of the name is there at all. */
static int
other_signer(struct ctx *x, const struct cf__file *file, const struct aset *a,
    const struct chain *ch, const struct cf__facts *cur, const struct cf__facts **next)
{
	const struct cf__facts *v[MAX_CANDIDATES];
	size_t n = candidates(x, file, a, ch, cur, v), i;
	int ok;

	if (n == 0 || cur->is_ca)
		return 0;
	if ((ok = cf__chain_link_ok(x, cur, cur)) != 0)
		return ok < 0 ? ok : 0; /* it signs itself */
	for (i = 0; i < n; i++) {
		if ((ok = cf__chain_link_ok(x, cur, v[i])) < 0)
			return ok;
		if (ok) {
			*next = v[i];
			return 1;
		}
	}
	return 0;
}

int
cf__chain_build(struct ctx *x, const struct cf__file *file, struct aset *a,
    const struct cf__facts *leaf, struct chain *ch)
{
	const struct cf__facts *v[MAX_CANDIDATES], *cur = leaf, *next;
	size_t n, i;
	int ok, rc;

	memset(ch, 0, sizeof *ch);
	ch->c[ch->n++] = leaf;
	for (;;) {
		if (cf__chain_in_set(a, cur)) {
			ch->end = END_TRUSTED;
			return 0;
		}
		if (cf__is_self_signed(cur)) {
			/* self-issued (its issuer's name its own): signed by another
			 * certificate of that name (a leaf a root issued under the
			 * root's own name), the chain goes on; else it ends here */
			if ((rc = other_signer(x, file, a, ch, cur, &next)) < 0)
				return rc;
			if (rc == 0) {
				ch->end = END_SELF;
				return 0;
			}
			if (ch->n == MAX_DEPTH) {
				ch->end = END_DEEP;
				return 0;
			}
			cur = ch->c[ch->n++] = next;
			continue;
		}
		if ((n = candidates(x, file, a, ch, cur, v)) == 0) {
			ch->end = END_INCOMPLETE;
			for (i = 0; i < ch->n; i++)
				if (issued_by_name(cur, ch->c[i]))
					ch->end = END_LOOP;
			return 0;
		}
		/* one issuer of that name: the trust list judges its signature;
		 * several (a rotated CA of the same name): the one that signed */
		for (i = 0, ok = n == 1; !ok && i < n; i++)
			if ((ok = cf__chain_link_ok(x, cur, v[i])) < 0)
				return CF_E_NOMEM;
		if (!ok && n == MAX_CANDIDATES) { /* more of that name than are tried */
			ch->end = END_INCOMPLETE;
			ch->capped = 1;
			return 0;
		}
		if (!ok) {
			ch->end = END_BADSIG;
			ch->bad_issuer = v[0];
			return 0;
		}
		if (ch->n == MAX_DEPTH) {
			ch->end = END_DEEP;
			return 0;
		}
		cur = ch->c[ch->n++] = v[n == 1 ? 0 : i - 1];
	}
}

/* The node's certificates, by subject, into the pool. */
int
cf__chain_fill_pool(struct ctx *x, size_t node)
{
	const struct cf_scan *s = x->s;
	size_t i;
	uint32_t j;

	x->n_pool = 0;
	for (i = s->file_off[node]; i < s->file_off[node + 1]; i++) {
		const struct cf__file *f = &s->files[s->file_order[i]];
		const struct cf__member *m = cf__members(f);
		for (j = 0; j < f->dec->n_members; j++) {
			if (m[j].kind != CF__M_CERT || !cf__facts_usable(m[j].facts))
				continue;
			if (cf__grow((void **)&x->pool, &x->cap_pool, x->n_pool + 1,
			        sizeof *x->pool, 64) != 0)
				return CF_E_NOMEM;
			x->pool[x->n_pool++] = (struct held){ m[j].facts, s->file_order[i] };
		}
	}
	if (x->n_pool > 1)
		qsort(x->pool, x->n_pool, sizeof *x->pool, cmp_held);
	return 0;
}

/* The anchors of node N (the roots of its pool, and the scan's) into V,
 * sorted and without repeats: their number, or (size_t)-1 out of memory. */
size_t
cf__chain_node_anchors(struct ctx *x, size_t node, const struct cf__facts ***v, size_t *cap)
{
	const struct cf_scan *s = x->s;
	size_t i, n = 0, k;

	if (cf__chain_fill_pool(x, node) != 0 ||
	    cf__grow((void **)v, cap, x->n_pool + s->n_trust + 1, sizeof **v, 16) != 0)
		return (size_t)-1;
	for (i = 0; i < x->n_pool; i++)
		if (!s->policy.trust_only && cf__chain_is_root(s, x->pool[i].f))
			(*v)[n++] = x->pool[i].f;
	for (i = 0; i < s->n_trust; i++)
		(*v)[n++] = s->trust[i];
	if (n > 1)
		qsort(*v, n, sizeof **v, cmp_sha);
	for (i = k = 0; i < n; i++)
		if (k == 0 || memcmp((*v)[k - 1]->sha256, (*v)[i]->sha256, 32) != 0)
			(*v)[k++] = (*v)[i];
	return k;
}
