/*
 * fleet.c - what only the whole fleet shows: logical paths whose
 * certificate differs between nodes (tls-cert-mismatch) or is missing on
 * some (tls-cert-missing). A fleet has 100,000s of nodes: nothing here is
 * quadratic.
 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"

/* ---- consistency ---------------------------------------------------------------- */

/* A file that stands for a certificate at its logical path: it carries one,
 * or it is a certificate file that failed to decode. Key and CRL files are
 * not. */
static int
is_cert_file(const struct cf__file *f)
{
	const struct cf__member *m = cf__members(f);
	uint32_t i;

	if (f->dec->n_certs)
		return 1;
	if (cf__name_kind(f->path) == 2)
		return 0;
	for (i = 0; i < f->dec->n_members; i++)
		if (m[i].kind == CF__M_KEY || m[i].kind == CF__M_KEY_ENCRYPTED ||
		    m[i].kind == CF__M_CRL)
			return 0;
	return 1;
}

int
cf__cmp_copy(const void *a, const void *b)
{
	const struct cf__file *x = *(const struct cf__file *const *)a;
	const struct cf__file *y = *(const struct cf__file *const *)b;
	int c;

	if (x->path_ix != y->path_ix)
		return x->path_ix < y->path_ix ? -1 : 1;
	if (!x->dec->n_certs != !y->dec->n_certs)
		return x->dec->n_certs ? -1 : 1;
	if ((c = memcmp(x->dec->identity, y->dec->identity, 32)) != 0)
		return c;
	return x->node_ix < y->node_ix ? -1 : x->node_ix > y->node_ix;
}

int
cf__globs_match(char *const *globs, size_t n, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fnmatch(globs[i], path, 0) == 0)
			return 1;
	return 0;
}

/* "sha256:0123456789abcdef" of a copy (its first certificate), "+N" for a bundle. */
static void
short_fp(const struct cf__file *f, char *buf, size_t len)
{
	const char *hex = cf__first_cert(f)->facts->sha256_hex;

	if (f->dec->n_certs > 1)
		snprintf(buf, len, "sha256:%.16s (+%u in bundle)", hex, f->dec->n_certs - 1);
	else
		snprintf(buf, len, "sha256:%.16s", hex);
}

/* Up to five node names of the files G[0..n), then "+N more": 0 or
 * CF_E_NOMEM. */
static int
node_list(const struct cf__file *const *g, size_t n, struct cf__buf *b)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < n && i < 5; i++)
		rc = cf__buf_printf(b, "%s%s", i ? ", " : "", g[i]->node);
	if (rc == 0 && n > 5)
		rc = cf__buf_printf(b, ", +%zu more", n - 5);
	return rc;
}

struct group {
	const struct cf__file *const *f;
	size_t n;
};

static int
cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	return x->n != y->n ? (x->n < y->n ? 1 : -1)
	                    : memcmp(x->f[0]->dec->identity, y->f[0]->dec->identity, 32);
}

/* Flag outliers of one logical path; F[0..n) are its decodable copies,
 * sorted by identity. */
static int
mismatch(struct cf_scan *s, const struct cf__file *const *f, size_t n, int forced)
{
	struct group *g = calloc(n, sizeof *g);
	struct cf__buf variants = { 0 };
	size_t ng = 0, i, k;
	char fp[96];
	int rc = 0, majority;

	if (g == NULL)
		return CF_E_NOMEM;
	for (i = 0; i < n; i++) {
		if (ng == 0 || memcmp(g[ng - 1].f[0]->dec->identity, f[i]->dec->identity, 32) != 0)
			g[ng++] = (struct group){ &f[i], 0 };
		g[ng - 1].n++;
	}
	if (ng < 2 || (ng == n && !forced))
		goto out; /* identical, or one certificate per node */
	qsort(g, ng, sizeof *g, cmp_group);
	majority = g[0].n * 2 > n;
	for (i = 0; rc == 0 && i < ng && i < 8; i++) {
		short_fp(g[i].f[0], fp, sizeof fp);
		if ((rc = cf__buf_printf(&variants, "%s%s on %zu (", i ? "; " : "", fp, g[i].n)) ==
		        0 &&
		    (rc = node_list(g[i].f, g[i].n, &variants)) == 0)
			rc = cf__buf_add(&variants, ")", 1);
	}
	if (rc == 0 && ng > 8)
		rc = cf__buf_printf(&variants, "; +%zu more variants", ng - 8);
	for (i = majority ? 1 : 0; i < ng && rc == 0; i++) {
		for (k = 0; k < g[i].n && rc == 0; k++) {
			const struct cf__file *x = g[i].f[k];
			short_fp(x, fp, sizeof fp);
			rc = cf__finding_add(s, CF__R_CERT_MISMATCH, x->node, x->path, 0, 0,
			    cf__first_cert(x)->facts, "this node carries %s; %s: %s", fp,
			    majority ? "the majority differs" : "no majority among the nodes",
			    (char *)variants.data);
		}
	}
out:
	cf__buf_free(&variants);
	free(g);
	return rc;
}

/* Nodes without the path F[0..n) carry, when more than half carry it. */
/* HAS[node] == GEN marks the nodes that carry the current path: one array
 * for all paths, so a path costs its own files, and the walk over every
 * node happens only for a path most nodes carry (whose files pay for it):
 * linear in the files of the fleet. */
static int
missing(struct cf_scan *s, const struct cf__file *const *f, size_t n, uint32_t *has, uint32_t gen)
{
	size_t i, holders = 0;
	int rc = 0;

	for (i = 0; i < n; i++) {
		holders += has[f[i]->node_ix] != gen;
		has[f[i]->node_ix] = gen;
	}
	for (i = 0; holders * 2 > s->n_nodes && i < s->n_nodes && rc == 0; i++)
		if (has[i] != gen)
			rc = cf__finding_add(s, CF__R_CERT_MISSING, s->nodes[i], f[0]->path, 0, 0,
			    NULL, "present on %zu of %zu nodes", holders, s->n_nodes);
	return rc;
}

/* One logical path: the files F[0..n) carrying it, decodable ones first. */
static int
check_path(struct cf_scan *s, const struct cf__file **f, size_t n, uint32_t *has, uint32_t gen)
{
	const char *path = f[0]->path;
	size_t i, valid = 0;
	int rc = 0;

	for (i = 0; i < n; i++)
		valid += f[i]->dec->n_certs > 0;
	rc = missing(s, f, n, has, gen);
	if (rc || valid < 2 || cf__globs_match(s->policy.per_node, s->policy.n_per_node, path))
		return rc;
	return mismatch(
	    s, f, valid, cf__globs_match(s->policy.identical, s->policy.n_identical, path));
}

int
cf__fleet_run(struct cf_scan *s)
{
	const struct cf__file **v;
	uint32_t *has, gen = 0;
	size_t i, j, n = 0;
	int rc = 0;

	if (s->n_nodes < 2)
		return 0;
	v = calloc(s->n_files + 1, sizeof *v);
	has = calloc(s->n_nodes + 1, sizeof *has);
	if (v == NULL || has == NULL) {
		free(v);
		free(has);
		return CF_E_NOMEM;
	}
	for (i = 0; i < s->n_files; i++)
		if (is_cert_file(&s->files[i]))
			v[n++] = &s->files[i];
	qsort(v, n, sizeof *v, cf__cmp_copy);
	for (i = 0; i < n && rc == 0; i = j) {
		for (j = i + 1; j < n && v[j]->path_ix == v[i]->path_ix; j++)
			;
		rc = check_path(s, v + i, j - i, has, ++gen);
	}
	free(v);
	free(has);
	return rc;
}
