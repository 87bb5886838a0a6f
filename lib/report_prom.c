/*
 * report_prom.c - Prometheus text exposition, ready for the node
 * exporter's textfile collector: expiry per certificate (with node,
 * logical_name and path labels, as Redis Software's
 * node_cert_expires_in_seconds), finding counts per check, read errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

/* Label values escape backslash and double quote (sanitized text has no
 * newline or other control character), written in spans. */
static void
label(FILE *out, const char *name, const char *v, int comma)
{
	size_t n;

	if (comma)
		fputc(',', out);
	fputs(name, out);
	fputs("=\"", out);
	for (;;) {
		n = strcspn(v, "\\\"");
		fwrite(v, 1, n, out);
		if (v[n] == '\0')
			break;
		fputc('\\', out);
		fputc(v[n], out);
		v += n + 1;
	}
	fputc('"', out);
}

static void
cert_series(const struct cf_scan *s, FILE *out, const char *metric, int expiry)
{
	size_t i, j;

	for (i = 0; i < s->n_files; i++) {
		const struct cf__file *f = &s->files[i];
		char *ln = cf__logical_name(f->path);
		for (j = 0; ln && j < f->dec->n_members; j++) {
			const struct cf__member *m = &cf__members(f)[j];
			char ix[16];
			if (m->kind != CF__M_CERT)
				continue;
			snprintf(ix, sizeof ix, "%d", m->index);
			fprintf(out, "%s{", metric);
			label(out, "node", f->node, 0);
			label(out, "logical_name", ln, 1);
			label(out, "path", f->path, 1);
			label(out, "index", ix, 1);
			fprintf(out, "} %lld\n", (long long)(expiry ? m->facts->not_after - s->now :
			    m->facts->not_after));
		}
		free(ln);
	}
}

int
cf__report_prom(const struct cf_scan *s, FILE *out)
{
	size_t i, j, n;

	if (s->comment)
		fprintf(out, "# %s\n", s->comment);
	fprintf(out, "# HELP certfleet_cert_expires_in_seconds Seconds from the scan's reference time "
	    "to the certificate's notAfter; negative when expired.\n"
	    "# TYPE certfleet_cert_expires_in_seconds gauge\n");
	cert_series(s, out, "certfleet_cert_expires_in_seconds", 1);
	fprintf(out, "# HELP certfleet_cert_not_after_timestamp_seconds The certificate's notAfter "
	    "as a Unix time.\n# TYPE certfleet_cert_not_after_timestamp_seconds gauge\n");
	cert_series(s, out, "certfleet_cert_not_after_timestamp_seconds", 0);
	fprintf(out, "# HELP certfleet_findings Findings of the scan per check.\n"
	    "# TYPE certfleet_findings gauge\n");
	for (i = 0; i < cf__n_rules; i++) {
		const struct cf__rule *r = cf__rule_at(i);
		for (j = n = 0; j < s->n_findings; j++)
			n += s->findings[j].rule == r;
		fprintf(out, "certfleet_findings{check=\"%s\",severity=\"%s\"} %zu\n", r->id,
		    cf__severity_name(r->severity), n);
	}
	n = 0;
	for (j = 0; j < s->n_findings; j++)
		n += strcmp(s->findings[j].rule->id, "tls-input-unreadable") == 0;
	fprintf(out, "# HELP certfleet_read_errors Files or archives that could not be read whole.\n"
	    "# TYPE certfleet_read_errors gauge\ncertfleet_read_errors %zu\n", n);
	fprintf(out, "# HELP certfleet_files_skipped Files skipped with a reason (links, devices).\n"
	    "# TYPE certfleet_files_skipped gauge\ncertfleet_files_skipped %zu\n", s->n_skips);
	fprintf(out, "# HELP certfleet_scan_reference_timestamp_seconds The scan's reference time.\n"
	    "# TYPE certfleet_scan_reference_timestamp_seconds gauge\n"
	    "certfleet_scan_reference_timestamp_seconds %lld\n", (long long)s->now);
	return 0;
}
