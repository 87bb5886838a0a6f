/*
 * fleet.c - what only the whole fleet shows: keys paired with the wrong
 * certificate, and logical paths whose certificate differs between nodes
 * or is missing on some.
 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

struct entry {
	const struct cf__file *f;
	char *stem;               /* pairing stem, for pairs */
};

/* ---- key pairing -------------------------------------------------------------- */

static int
cmp_stem(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->f->node, y->f->node);
	return c ? c : strcmp(x->stem, y->stem);
}

static const struct cf__member *
first_cert(const struct cf__file *f)
{
	size_t i;

	for (i = 0; i < f->n_members; i++)
		if (f->members[i].kind == CF__M_CERT)
			return &f->members[i];
	return NULL;
}

static int
pair_key(struct cf_scan *s, const struct cf__file *kf, const struct cf__member *key,
    const struct cf__file *cf)
{
	const struct cf__member *cert = first_cert(cf);

	if (cert == NULL || cert->facts->key_id_len == 0)
		return 0;
	if (cert->facts->key_id_len == key->key_id_len &&
	    memcmp(cert->facts->key_id, key->key_id, key->key_id_len) == 0)
		return 0;
	return cf__finding_add(s, "tls-key-mismatch", kf->node, kf->path, key->index, key->line,
	    cert->facts, "private key does not match its certificate: the key is not the one of %s "
	    "(subject %s, sha256 %.16s)", cf == kf ? "the certificate in the same file" : cf->path,
	    cert->facts->subject, cert->facts->sha256_hex);
}

int
cf__pairs_run(struct cf_scan *s)
{
	struct entry *certs = calloc(s->n_files + 1, sizeof *certs), probe, *hit;
	size_t i, j, n = 0;
	int rc = 0;

	if (certs == NULL)
		return CF_E_NOMEM;
	for (i = 0; i < s->n_files; i++) {
		if (s->files[i].n_certs == 0)
			continue;
		certs[n].f = &s->files[i];
		if ((certs[n++].stem = cf__pair_stem(s->files[i].path)) == NULL) {
			rc = CF_E_NOMEM;
			goto out;
		}
	}
	qsort(certs, n, sizeof *certs, cmp_stem);
	for (i = 0; i < s->n_files && rc == 0; i++) {
		const struct cf__file *f = &s->files[i];
		for (j = 0; j < f->n_members && rc == 0; j++) {
			if (f->members[j].kind != CF__M_KEY)
				continue;
			if (f->n_certs) {
				rc = pair_key(s, f, &f->members[j], f);
				continue;
			}
			probe.f = f;
			if ((probe.stem = cf__pair_stem(f->path)) == NULL) {
				rc = CF_E_NOMEM;
				break;
			}
			hit = bsearch(&probe, certs, n, sizeof *certs, cmp_stem);
			free(probe.stem);
			if (hit)
				rc = pair_key(s, f, &f->members[j], hit->f);
		}
	}
out:
	for (i = 0; i < n; i++)
		free(certs[i].stem);
	free(certs);
	return rc;
}

/* ---- consistency ---------------------------------------------------------------- */

/* A file that stands for a certificate at its logical path: it carries one,
 * or it is a certificate file that failed to decode. Key files are not. */
static int
is_cert_file(const struct cf__file *f)
{
	size_t i;

	if (f->n_certs)
		return 1;
	if (cf__name_kind(f->path) == 2)
		return 0;
	for (i = 0; i < f->n_members; i++)
		if (f->members[i].kind == CF__M_KEY || f->members[i].kind == CF__M_KEY_ENCRYPTED)
			return 0;
	return 1;
}

static int
cmp_path(const void *a, const void *b)
{
	const struct cf__file *x = *(const struct cf__file *const *)a;
	const struct cf__file *y = *(const struct cf__file *const *)b;
	int c = strcmp(x->path, y->path);

	if (c == 0)
		c = strcmp(x->identity ? x->identity : "", y->identity ? y->identity : "");
	return c ? c : strcmp(x->node, y->node);
}

static int
globs_match(char *const *globs, size_t n, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fnmatch(globs[i], path, 0) == 0)
			return 1;
	return 0;
}

/* "sha256:0123456789abcdef" of an identity (its leaf), "+N" for a bundle. */
static void
short_fp(const char *identity, char *buf, size_t len)
{
	size_t extra = 0;
	const char *p;

	for (p = identity; (p = strchr(p, ',')) != NULL; p++)
		extra++;
	if (extra)
		snprintf(buf, len, "sha256:%.16s (+%zu in bundle)", identity, extra);
	else
		snprintf(buf, len, "sha256:%.16s", identity);
}

/* Up to five node names of the files G[0..n), then "+N more". */
static void
node_list(const struct cf__file *const *g, size_t n, struct cf__buf *b)
{
	size_t i;

	for (i = 0; i < n && i < 5; i++)
		cf__buf_printf(b, "%s%s", i ? ", " : "", g[i]->node);
	if (n > 5)
		cf__buf_printf(b, ", +%zu more", n - 5);
}

struct group {
	const struct cf__file *const *f;
	size_t n;
};

static int
cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->f[0]->identity, y->f[0]->identity);
}

/* Flag outliers of one logical path; F[0..n) are its decodable copies,
 * sorted by identity. */
static int
mismatch(struct cf_scan *s, const struct cf__file *const *f, size_t n, int forced)
{
	struct group *g = calloc(n, sizeof *g);
	struct cf__buf variants = {0};
	size_t ng = 0, i, k;
	char fp[96];
	int rc = 0, majority;

	if (g == NULL)
		return CF_E_NOMEM;
	for (i = 0; i < n; i++) {
		if (ng == 0 || strcmp(g[ng - 1].f[0]->identity, f[i]->identity) != 0)
			g[ng++] = (struct group){ &f[i], 0 };
		g[ng - 1].n++;
	}
	if (ng < 2 || (ng == n && !forced))
		goto out;            /* identical, or one certificate per node */
	qsort(g, ng, sizeof *g, cmp_group);
	majority = g[0].n * 2 > n;
	for (i = 0; i < ng; i++) {
		short_fp(g[i].f[0]->identity, fp, sizeof fp);
		cf__buf_printf(&variants, "%s%s on %zu (", i ? "; " : "", fp, g[i].n);
		node_list(g[i].f, g[i].n, &variants);
		cf__buf_add(&variants, ")", 1);
	}
	for (i = majority ? 1 : 0; i < ng && rc == 0; i++) {
		for (k = 0; k < g[i].n && rc == 0; k++) {
			const struct cf__file *x = g[i].f[k];
			short_fp(x->identity, fp, sizeof fp);
			rc = cf__finding_add(s, "tls-cert-mismatch", x->node, x->path, 0, 0,
			    first_cert(x)->facts, "certificate differs between nodes: this node "
			    "carries %s; %s: %s", fp, majority ? "the majority differs" :
			    "no majority among the nodes", (char *)variants.data);
		}
	}
out:
	cf__buf_free(&variants);
	free(g);
	return rc;
}

static int
missing(struct cf_scan *s, const struct cf__file *const *f, size_t n)
{
	char *has = calloc(s->n_nodes, 1);
	size_t i;
	int rc = 0;

	if (has == NULL)
		return CF_E_NOMEM;
	for (i = 0; i < n; i++)
		has[f[i]->node_ix] = 1;
	for (i = 0; i < s->n_nodes && rc == 0; i++)
		if (!has[i])
			rc = cf__finding_add(s, "tls-cert-missing", s->nodes[i], f[0]->path, 0, 0, NULL,
			    "certificate missing on this node: present on %zu of %zu nodes", n, s->n_nodes);
	free(has);
	return rc;
}

/* One logical path: the files F[0..n) carrying it, sorted by identity. */
static int
check_path(struct cf_scan *s, const struct cf__file **f, size_t n)
{
	const char *path = f[0]->path;
	size_t i, valid = 0;
	int forced = globs_match(s->identical, s->n_identical, path);
	int rc = 0;

	if (n * 2 > s->n_nodes && n < s->n_nodes)
		rc = missing(s, f, n);
	if (rc || globs_match(s->per_node, s->n_per_node, path))
		return rc;
	/* decodable copies first: invalid ones sort first by their empty identity */
	for (i = 0; i < n; i++)
		if (f[i]->identity && *f[i]->identity)
			f[valid++] = f[i];
	return valid >= 2 ? mismatch(s, f, valid, forced) : 0;
}

int
cf__fleet_run(struct cf_scan *s)
{
	const struct cf__file **v = calloc(s->n_files + 1, sizeof *v);
	size_t i, j, n = 0;
	int rc = 0;

	if (v == NULL)
		return CF_E_NOMEM;
	for (i = 0; i < s->n_files; i++)
		if (is_cert_file(&s->files[i]))
			v[n++] = &s->files[i];
	qsort(v, n, sizeof *v, cmp_path);
	for (i = 0; i < n && rc == 0; i = j) {
		for (j = i + 1; j < n && strcmp(v[j]->path, v[i]->path) == 0; j++)
			;
		if (s->n_nodes >= 2)
			rc = check_path(s, v + i, j - i);
	}
	free(v);
	return rc;
}
