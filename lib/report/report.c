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
	return strcmp(x->rule->id, y->rule->id);
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
	struct cf__buf b = {0};
	size_t i;

	if (cf__buf_printf(&b, "%s%c%s%c%s%c%d%c%s", f->rule->id, 0, f->node, 0, f->path, 0,
	    f->index, 0, f->facts ? f->facts->sha256_hex : "") != 0 ||
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, b.data, b.len, md) != 0)
		memset(md, 0, sizeof md);
	cf__buf_free(&b);
	for (i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}
