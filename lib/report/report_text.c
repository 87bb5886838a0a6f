/*
 * report_text.c - the terminal summary: one line per finding and per skip,
 * then the totals and the verdict.
 */
#include <stdio.h>
#include <stdlib.h>

#include "report/report.h"

int
cf__report_text(const struct cf_scan *s, FILE *out)
{
	const struct cf__finding **v = cf__findings_sorted(s);
	size_t i, e = cf_scan_finding_count(s, CF_SEV_ERROR);
	size_t w = cf_scan_finding_count(s, CF_SEV_WARNING) - e;
	char now[32];

	if (v == NULL)
		return CF_E_NOMEM;
	cf_format_time(s->policy.now, now, sizeof now);
	fprintf(out, "certfleet: %zu %s, %zu %s, %zu %s (%zu distinct), now %s\n",
	    s->n_nodes, cf__plural(s->n_nodes, "node", "nodes"), s->n_files,
	    cf__plural(s->n_files, "file", "files"), cf_scan_cert_count(s),
	    cf__plural(cf_scan_cert_count(s), "certificate", "certificates"),
	    cf__facts_cache_size(s->cache), now);
	for (i = 0; i < s->n_findings; i++)
		fprintf(out, "%-7s %-26s %s:%s[%d]: %s\n", cf__severity_name(v[i]->severity),
		    v[i]->rule->id, v[i]->node, v[i]->path, v[i]->index, v[i]->message);
	for (i = 0; i < s->n_skips; i++)
		fprintf(out, "skipped %s:%s: %s\n", s->skips[i].node, s->skips[i].path, s->skips[i].reason);
	fprintf(out, "%zu %s, %zu %s, %zu skipped; %s (--fail-on %s)\n", e, cf__plural(e, "error",
	    "errors"), w, cf__plural(w, "warning", "warnings"), s->n_skips,
	    cf_scan_exit_status(s) ? "FAIL" : "PASS", cf__severity_name(s->policy.fail_on));
	free(v);
	return 0;
}
