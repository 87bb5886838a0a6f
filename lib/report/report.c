/*
 * report.c - a report of one format to an open stream, through the
 * writer table (writers.c), and the order of findings every report
 * shares. Writing to paths (checks, temporary file, rename) is output.c.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <jansson.h>
#include <libxml/parser.h>

#include "report/report.h"

static pthread_once_t libs_once = PTHREAD_ONCE_INIT;

/* libxml2 and jansson set up once per process (thread-safe). */
static void
init_libs(void)
{
	xmlInitParser();
	json_object_seed(0);
}

int
cf_report_write(const struct cf_scan *s, enum cf_format format, FILE *out)
{
	const struct cf__writer *w = cf__writer_of(format);
	int rc;

	if (w == NULL)
		return CF_E_USAGE;
	pthread_once(&libs_once, init_libs);
	rc = w->write(s, out);
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		rc = CF_E_OUTPUT;
	return rc;
}

static int
cmp_finding(const void *a, const void *b)
{
	const struct cf__finding *x = *(const struct cf__finding *const *)a;
	const struct cf__finding *y = *(const struct cf__finding *const *)b;
	int64_t tx = x->facts ? x->facts->not_after : INT64_MAX;
	int64_t ty = y->facts ? y->facts->not_after : INT64_MAX;
	int c;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if (tx != ty)
		return tx < ty ? -1 : 1;
	if ((c = strcmp(x->node, y->node)) != 0 || (c = strcmp(x->path, y->path)) != 0)
		return c;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	if ((c = strcmp(x->rule->id, y->rule->id)) != 0)
		return c;
	return strcmp(x->message, y->message); /* total: the same bytes whatever came first */
}

const struct cf__finding **
cf__findings_sorted(const struct cf_scan *s)
{
	const struct cf__finding **v = malloc((s->n_findings + 1) * sizeof *v);
	size_t i;

	if (v == NULL)
		return NULL;
	for (i = 0; i < s->n_findings; i++)
		v[i] = &s->findings[i];
	qsort(v, s->n_findings, sizeof *v, cmp_finding);
	return v;
}

int
cf__prom_escape(struct cf__buf *b, const char *v)
{
	size_t n;

	for (;;) {
		n = strcspn(v, "\\\"");
		if (cf__buf_add(b, v, n) != 0)
			return CF_E_NOMEM;
		if (v[n] == '\0')
			return 0;
		if (cf__buf_add(b, "\\", 1) != 0 || cf__buf_add(b, v + n, 1) != 0)
			return CF_E_NOMEM;
		v += n + 1;
	}
}

int
cf__file_location(const struct cf_scan *s, uint32_t node_ix, const char *path, struct cf__buf *b)
{
	const char *o = s->node_origin && node_ix < s->n_nodes ? s->node_origin[node_ix] : NULL;

	b->len = 0;
	if (o && cf__buf_add(b, o, strlen(o)) != 0)
		return CF_E_NOMEM;
	return cf__buf_add(b, path, strlen(path) + 1) != 0 ? CF_E_NOMEM : 0;
}

void
cf__finding_fingerprint(const struct cf__finding *f, char hex[33])
{
	/* what the finding is about, never when it was seen: the check, the
	 * node, the logical path, the member and the certificate; not the
	 * line or the message (days left change every day) */
	unsigned char md[32];
	struct cf__buf b = { 0 };
	size_t i;

	if (cf__buf_printf(&b, "%s%c%s%c%s%c%d%c%s", f->rule->id, 0, f->node, 0, f->path, 0,
	        f->index, 0, f->facts ? f->facts->sha256_hex : "") != 0 ||
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, b.data, b.len, md) != 0)
		memset(md, 0, sizeof md);
	cf__buf_free(&b);
	for (i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

static int
cmp_miss(const void *a, const void *b)
{
	const struct cf__finding *x = *(const struct cf__finding *const *)a;
	const struct cf__finding *y = *(const struct cf__finding *const *)b;

	if (x->path_ix != y->path_ix)
		return x->path_ix < y->path_ix ? -1 : 1;
	return strcmp(x->node, y->node);
}

int
cf__paths_build(const struct cf_scan *s, struct cf__paths *p)
{
	size_t i;

	memset(p, 0, sizeof *p);
	p->v = malloc((s->n_files + 1) * sizeof *p->v);
	p->first = malloc((s->path_tab.n + 1) * sizeof *p->first);
	p->flags = calloc(s->path_tab.n + 1, 1);
	p->miss = malloc((s->n_findings + 1) * sizeof *p->miss);
	if (p->v == NULL || p->first == NULL || p->flags == NULL || p->miss == NULL) {
		cf__paths_free(p);
		return CF_E_NOMEM;
	}
	for (i = 0; i < s->n_files; i++)
		if (s->files[i].dec->n_certs)
			p->v[p->n++] = &s->files[i];
	qsort(p->v, p->n, sizeof *p->v, cf__cmp_copy);
	for (i = 0; i <= s->path_tab.n; i++)
		p->first[i] = SIZE_MAX;
	for (i = p->n; i-- > 0;)
		p->first[p->v[i]->path_ix] = i;
	for (i = 0; i < s->n_findings; i++)
		if (s->findings[i].rule->num == CF__R_CERT_MISMATCH)
			p->flags[s->findings[i].path_ix] |= CF__PATH_MISMATCH;
		else if (s->findings[i].rule->num == CF__R_CERT_MISSING) {
			p->flags[s->findings[i].path_ix] |= CF__PATH_MISSING;
			p->miss[p->n_miss++] = &s->findings[i];
		}
	qsort(p->miss, p->n_miss, sizeof *p->miss, cmp_miss);
	return 0;
}

size_t
cf__path_missing(const struct cf__paths *p, uint32_t path_ix, const struct cf__finding *const **out)
{
	size_t lo = 0, hi = p->n_miss, k;

	while (lo < hi) { /* the first of PATH_IX */
		size_t mid = lo + (hi - lo) / 2;
		if (p->miss[mid]->path_ix < path_ix)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = lo; k < p->n_miss && p->miss[k]->path_ix == path_ix; k++)
		;
	*out = p->miss + lo;
	return k - lo;
}

void
cf__paths_free(struct cf__paths *p)
{
	free(p->v);
	free(p->first);
	free(p->flags);
	free(p->miss);
	memset(p, 0, sizeof *p);
}

static int
cmp_variant(const void *a, const void *b)
{
	const struct cf__variant *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return memcmp(x->f[0]->dec->identity, y->f[0]->dec->identity, 32);
}

int
cf__path_variants(const struct cf__paths *p, uint32_t path_ix, struct cf__variant **out, size_t *n)
{
	size_t i, k = 0, start = p->first[path_ix];
	struct cf__variant *g;

	*out = NULL;
	*n = 0;
	if (start == SIZE_MAX)
		return 0;
	for (i = start; i < p->n && p->v[i]->path_ix == path_ix; i++)
		;
	if ((g = calloc(i - start + 1, sizeof *g)) == NULL)
		return CF_E_NOMEM;
	for (i = start; i < p->n && p->v[i]->path_ix == path_ix; i++) {
		if (k == 0 || memcmp(g[k - 1].f[0]->dec->identity, p->v[i]->dec->identity, 32) != 0)
			g[k++] = (struct cf__variant){ &p->v[i], 0 };
		g[k - 1].n++;
	}
	qsort(g, k, sizeof *g, cmp_variant);
	*out = g;
	*n = k;
	return 0;
}

static int
cmp_cell(const void *a, const void *b)
{
	const struct cf__cell *x = a, *y = b;
	int c = strcmp(x->node, y->node);

	return c ? c : strcmp(x->path, y->path);
}

/* Sort the N cells of C (of one node, or sorted by node already) by path
 * and make the cells of one path one: how many are left. */
static size_t
merge_cells(struct cf__cell *c, size_t n)
{
	size_t i, j;

	if (n > 1)
		qsort(c, n, sizeof *c, cmp_cell);
	for (i = j = 0; i < n; i++) {
		if (j && cmp_cell(&c[j - 1], &c[i]) == 0) {
			struct cf__cell *d = &c[j - 1];
			d->has_file |= c[i].has_file;
			d->n_findings += c[i].n_findings;
			if (c[i].worst > d->worst)
				d->worst = c[i].worst;
			continue;
		}
		c[j++] = c[i];
	}
	return j;
}

static int
cmp_node_name(const void *a, const void *b, void *arg)
{
	const struct cf_scan *s = arg;

	return strcmp(s->nodes[*(const uint32_t *)a], s->nodes[*(const uint32_t *)b]);
}

int
cf__cells_by_node(
    const struct cf_scan *s, int (*fn)(void *arg, const struct cf__cell *c, size_t n), void *arg)
{
	uint32_t *order = malloc((s->n_nodes + 1) * sizeof *order);
	struct cf__cell *c = NULL;
	size_t cap = 0, i, j, k, n, node;
	int rc = order ? 0 : CF_E_NOMEM;

	for (i = 0; i < s->n_nodes && rc == 0; i++)
		order[i] = (uint32_t)i;
	if (rc == 0 && s->n_nodes > 1)
		qsort_r(order, s->n_nodes, sizeof *order, cmp_node_name, (void *)s);
	for (i = 0; i < s->n_nodes && rc == 0; i++) {
		node = order[i];
		n = (s->file_off[node + 1] - s->file_off[node]) +
		    (s->finding_off[node + 1] - s->finding_off[node]);
		if (cf__grow((void **)&c, &cap, n + 1, sizeof *c, 64) != 0) {
			rc = CF_E_NOMEM;
			break;
		}
		k = 0;
		for (j = s->file_off[node]; j < s->file_off[node + 1]; j++) {
			const struct cf__file *f = &s->files[s->file_order[j]];
			c[k++] =
			    (struct cf__cell){ f->node, f->path, f->node_ix, f->path_ix, -1, 1, 0 };
		}
		for (j = s->finding_off[node]; j < s->finding_off[node + 1]; j++) {
			const struct cf__finding *f = &s->findings[s->finding_order[j]];
			c[k++] = (struct cf__cell){ f->node, f->path, f->node_ix, f->path_ix,
				(int)f->severity, 0, 1 };
		}
		rc = fn(arg, c, merge_cells(c, k));
	}
	free(c);
	free(order);
	return rc;
}

const char *
cf__cell_status(int worst)
{
	return worst >= CF_SEV_ERROR ? "error" : worst >= CF_SEV_WARNING ? "warning" : "ok";
}

size_t
cf__rules_found(const struct cf_scan *s, const struct cf__rule **order, size_t *count)
{
	size_t r, i, k = 0, n[CF__R_COUNT] = { 0 };
	int sev;

	for (i = 0; i < s->n_findings; i++)
		n[s->findings[i].rule->num]++;
	for (sev = CF_SEV_ERROR; sev >= (int)CF_SEV_INFO; sev--)
		for (r = 0; r < cf__n_rules; r++) {
			const struct cf__rule *rule = cf__rule_at(r);
			if ((int)cf__rule_severity(s, rule) != sev || n[rule->num] == 0)
				continue;
			order[k] = rule;
			count[k++] = n[rule->num];
		}
	return k;
}
