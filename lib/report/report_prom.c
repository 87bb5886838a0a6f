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

/* ,NAME="V" into B: label values escape backslash and double quote
 * (sanitized text has no newline or other control character). */
static int
label(struct cf__buf *b, const char *name, const char *v)
{
	size_t n;
	int rc = cf__buf_add(b, ",", b->len && b->data[b->len - 1] != '{') ||
	    cf__buf_add(b, name, strlen(name)) || cf__buf_add(b, "=\"", 2);

	while (rc == 0) {
		n = strcspn(v, "\\\"");
		rc = cf__buf_add(b, v, n);
		if (v[n] == '\0')
			break;
		rc = rc || cf__buf_add(b, "\\", 1) || cf__buf_add(b, v + n, 1);
		v += n + 1;
	}
	return rc || cf__buf_add(b, "\"", 1) ? CF_E_NOMEM : 0;
}

/* One line per certificate: METRIC{node,logical_name,path,index} VALUE,
 * built in a buffer and written at once. */
static int
cert_series(const struct cf_scan *s, FILE *out, const char *metric, int expiry)
{
	struct cf__buf b = {0};
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
			b.len = 0;
			rc = cf__buf_add(&b, metric, strlen(metric)) || cf__buf_add(&b, "{", 1) ||
			    label(&b, "node", f->node) || label(&b, "logical_name", ln) ||
			    label(&b, "path", f->path) || label(&b, "index", ix) ||
			    cf__buf_printf(&b, "} %lld\n", (long long)(expiry ?
			    m->facts->not_after - s->policy.now : m->facts->not_after)) ? CF_E_NOMEM : 0;
			if (rc == 0)
				fwrite(b.data, 1, b.len, out);
		}
		free(ln);
	}
	cf__buf_free(&b);
	return rc;
}

int
cf__report_prom(const struct cf_scan *s, FILE *out)
{
	size_t i, j, n;

	/* a comment whose first word is HELP or TYPE would be read as metadata */
	if (s->comment)
		fprintf(out, "# %s%s\n", strncmp(s->comment, "HELP", 4) == 0 ||
		    strncmp(s->comment, "TYPE", 4) == 0 ? "comment: " : "", s->comment);
	fprintf(out, "# HELP certfleet_cert_expires_in_seconds Seconds from the scan's reference time "
	    "to the certificate's notAfter; negative when expired.\n"
	    "# TYPE certfleet_cert_expires_in_seconds gauge\n");
	if (cert_series(s, out, "certfleet_cert_expires_in_seconds", 1) != 0)
		return CF_E_NOMEM;
	fprintf(out, "# HELP certfleet_cert_not_after_timestamp_seconds The certificate's notAfter "
	    "as a Unix time.\n# TYPE certfleet_cert_not_after_timestamp_seconds gauge\n");
	if (cert_series(s, out, "certfleet_cert_not_after_timestamp_seconds", 0) != 0)
		return CF_E_NOMEM;
	fprintf(out, "# HELP certfleet_findings Findings of the scan per check.\n"
	    "# TYPE certfleet_findings gauge\n");
	for (i = 0; i < cf__n_rules; i++) {
		const struct cf__rule *r = cf__rule_at(i);
		for (j = n = 0; j < s->n_findings; j++)
			n += s->findings[j].rule == r;
		fprintf(out, "certfleet_findings{check=\"%s\",severity=\"%s\"} %zu\n", r->id,
		    cf__severity_name(cf__rule_severity(s, r)), n);
	}
	n = 0;
	for (j = 0; j < s->n_findings; j++)
		n += s->findings[j].rule->num == CF__R_INPUT_UNREADABLE;
	fprintf(out, "# HELP certfleet_read_errors Files or archives that could not be read whole.\n"
	    "# TYPE certfleet_read_errors gauge\ncertfleet_read_errors %zu\n", n);
	fprintf(out, "# HELP certfleet_files_skipped Files skipped with a reason (links, devices).\n"
	    "# TYPE certfleet_files_skipped gauge\ncertfleet_files_skipped %zu\n", s->n_skips);
	fprintf(out, "# HELP certfleet_scan_reference_timestamp_seconds The scan's reference time.\n"
	    "# TYPE certfleet_scan_reference_timestamp_seconds gauge\n"
	    "certfleet_scan_reference_timestamp_seconds %lld\n", (long long)s->policy.now);
	return 0;
}
