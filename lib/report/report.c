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
