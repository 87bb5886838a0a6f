/*
 * report_prom.c - Prometheus text exposition, ready for the node
 * exporter's textfile collector: expiry per certificate (with node,
 * logical_name and path labels, as Redis Software's
 * node_cert_expires_in_seconds), finding counts per check, read errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

/* ,NAME="V" into B (no comma right after the opening brace). */
static int
label(struct cf__buf *b, const char *name, const char *v)
{
	return cf__buf_add(b, ",", b->len && b->data[b->len - 1] != '{') ||
	        cf__buf_add(b, name, strlen(name)) || cf__buf_add(b, "=\"", 2) ||
	        cf__prom_escape(b, v) || cf__buf_add(b, "\"", 1)
	    ? CF_E_NOMEM
	    : 0;
}

/* METRIC{ and the --prom-label labels into B (reset first). */
static int
series(struct cf__buf *b, const struct cf_scan *s, const char *metric)
{
	size_t i;

	b->len = 0;
	if (cf__buf_add(b, metric, strlen(metric)) != 0 || cf__buf_add(b, "{", 1) != 0)
		return CF_E_NOMEM;
	for (i = 0; i < s->policy.ropts.n_prom_labels; i++)
		if (cf__buf_add(b, ",", i > 0) != 0 ||
		    cf__buf_add(b, s->policy.ropts.prom_labels[i],
		        strlen(s->policy.ropts.prom_labels[i])) != 0)
			return CF_E_NOMEM;
	return 0;
}

/* } VALUE\n (no braces for no label) and the line written. */
static int
emit(struct cf__buf *b, FILE *out, long long value)
{
	int bare = b->len && b->data[b->len - 1] == '{';

	b->len -= bare;
	if (cf__buf_printf(b, "%s %lld\n", bare ? "" : "}", value) != 0)
		return CF_E_NOMEM;
	fwrite(b->data, 1, b->len, out);
	return 0;
}

/* One line per certificate: METRIC{node,logical_name,path,index} VALUE. */
static int
cert_series(const struct cf_scan *s, FILE *out, const char *metric, int expiry)
{
	struct cf__buf b = { 0 };
	size_t i, j;
	int rc = 0;

	for (i = 0; i < s->n_files && rc == 0; i++) {
		const struct cf__file *f = &s->files[i];
		char *ln = cf__logical_name(f->path);
		if (ln == NULL)
			rc = CF_E_NOMEM;
		for (j = 0; rc == 0 && j < f->dec->n_members; j++) {
			const struct cf__member *m = &cf__members(f)[j];
			char ix[16];
			if (m->kind != CF__M_CERT)
				continue;
			snprintf(ix, sizeof ix, "%u", (unsigned)m->index);
			rc = series(&b, s, metric) || label(&b, "node", f->node) ||
			        label(&b, "logical_name", ln) || label(&b, "path", f->path) ||
			        label(&b, "index", ix) ||
			        emit(&b, out,
			            (long long)(expiry ? m->facts->not_after - s->policy.now
			                               : m->facts->not_after))
			    ? CF_E_NOMEM
			    : 0;
		}
		free(ln);
	}
	cf__buf_free(&b);
	return rc;
}

/* Findings by node, path, member and check: equal ones are one series. */
static int
cmp_finding(const void *a, const void *b)
{
	const struct cf__finding *x = *(const struct cf__finding *const *)a;
	const struct cf__finding *y = *(const struct cf__finding *const *)b;
	int c;

	if ((c = strcmp(x->node, y->node)) != 0 || (c = strcmp(x->path, y->path)) != 0)
		return c;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return strcmp(x->rule->id, y->rule->id);
}

struct status_out {
	const struct cf_scan *s;
	FILE *out;
	struct cf__buf *b;
};

/* certfleet_file_status of one node's cells. */
static int
status_series(void *arg, const struct cf__cell *c, size_t n)
{
	struct status_out *so = arg;
	size_t k;

	for (k = 0; k < n; k++)
		if (series(so->b, so->s, "certfleet_file_status") ||
		    label(so->b, "node", c[k].node) || label(so->b, "path", c[k].path) ||
		    label(so->b, "status", cf__cell_status(c[k].worst)) || emit(so->b, so->out, 1))
			return CF_E_NOMEM;
	return 0;
}

static int
file_and_finding_series(const struct cf_scan *s, FILE *out)
{
	const struct cf__finding **e = malloc((s->n_findings + 1) * sizeof *e);
	struct cf__buf b = { 0 };
	size_t i, j, n = s->n_findings;
	int rc = 0;

	if (e == NULL)
		return CF_E_NOMEM;
	for (i = 0; i < n; i++)
		e[i] = &s->findings[i];
	qsort(e, n, sizeof *e, cmp_finding);
	fprintf(out,
	    "# HELP certfleet_finding Findings of one check on one file (member) of one "
	    "node; absent when there are none.\n# TYPE certfleet_finding gauge\n");
	for (i = 0; i < n && rc == 0; i = j) {
		char ix[16];
		for (j = i + 1; j < n && cmp_finding(&e[i], &e[j]) == 0; j++)
			;
		snprintf(ix, sizeof ix, "%d", e[i]->index);
		rc = series(&b, s, "certfleet_finding") || label(&b, "node", e[i]->node) ||
		        label(&b, "path", e[i]->path) || label(&b, "index", ix) ||
		        label(&b, "check", e[i]->rule->id) ||
		        label(&b, "severity", cf__severity_name(e[i]->severity)) ||
		        emit(&b, out, (long long)(j - i))
		    ? CF_E_NOMEM
		    : 0;
	}
	fprintf(out,
	    "# HELP certfleet_file_status One series per file of a node (a missing or "
	    "unread one too): status ok, warning or error, the worst of its findings.\n"
	    "# TYPE certfleet_file_status gauge\n");
	if (rc == 0) {
		struct status_out so = { s, out, &b };
		rc = cf__cells_by_node(s, status_series, &so);
	}
	cf__buf_free(&b);
	free(e);
	return rc;
}

/* A metric of one value: HELP, TYPE and the series with the constant labels. */
static int
single(const struct cf_scan *s, FILE *out, const char *metric, const char *help, long long v)
{
	struct cf__buf b = { 0 };
	int rc;

	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", metric, help, metric);
	rc = series(&b, s, metric) || emit(&b, out, v) ? CF_E_NOMEM : 0;
	cf__buf_free(&b);
	return rc;
}

static int
write_prom(const struct cf_scan *s, FILE *out)
{
	struct cf__buf b = { 0 };
	size_t i, j, n;
	int rc = 0;

	/* a comment whose first word is HELP or TYPE would be read as metadata */
	if (s->policy.comment)
		fprintf(out, "# %s%s\n",
		    strncmp(s->policy.comment, "HELP", 4) == 0 ||
		            strncmp(s->policy.comment, "TYPE", 4) == 0
		        ? "comment: "
		        : "",
		    s->policy.comment);
	fprintf(out,
	    "# HELP certfleet_cert_not_after_timestamp_seconds The certificate's notAfter "
	    "as a Unix time: alert on it minus time(), which stays true between scans.\n"
	    "# TYPE certfleet_cert_not_after_timestamp_seconds gauge\n");
	if (cert_series(s, out, "certfleet_cert_not_after_timestamp_seconds", 0) != 0)
		return CF_E_NOMEM;
	fprintf(out,
	    "# HELP certfleet_cert_expires_in_seconds Seconds from the scan's reference time "
	    "to the certificate's notAfter; negative when expired (stale between scans).\n"
	    "# TYPE certfleet_cert_expires_in_seconds gauge\n");
	if (cert_series(s, out, "certfleet_cert_expires_in_seconds", 1) != 0)
		return CF_E_NOMEM;
	if (file_and_finding_series(s, out) != 0)
		return CF_E_NOMEM;
	fprintf(out,
	    "# HELP certfleet_findings Findings of the scan per check.\n"
	    "# TYPE certfleet_findings gauge\n");
	for (i = 0; i < cf__n_rules && rc == 0; i++) {
		const struct cf__rule *r = cf__rule_at(i);
		for (j = n = 0; j < s->n_findings; j++)
			n += s->findings[j].rule == r;
		rc = series(&b, s, "certfleet_findings") || label(&b, "check", r->id) ||
		        label(&b, "severity", cf__severity_name(cf__rule_severity(s, r))) ||
		        emit(&b, out, (long long)n)
		    ? CF_E_NOMEM
		    : 0;
	}
	cf__buf_free(&b);
	n = 0;
	for (j = 0; j < s->n_findings; j++)
		n += s->findings[j].rule->num == CF__R_INPUT_UNREADABLE;
	return rc ||
	        single(s, out, "certfleet_read_errors",
	            "Files or archives that could not be "
	            "read whole.",
	            (long long)n) ||
	        single(s, out, "certfleet_files_skipped",
	            "Files skipped "
	            "with a reason (links, devices).",
	            (long long)s->n_skips) ||
	        single(s, out, "certfleet_nodes", "Nodes scanned.", (long long)s->n_nodes) ||
	        single(s, out, "certfleet_scan_reference_timestamp_seconds",
	            "The scan's reference time (--now).", (long long)s->policy.now)
	    ? CF_E_NOMEM
	    : 0;
}

/* The writer's row (report/writers.c lists it). */
const struct cf__writer cf__prom_writer = { CF_FMT_PROM, "prom", "prom",
	"Prometheus text exposition", write_prom };
