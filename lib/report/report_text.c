/*
 * report_text.c - the terminal summary: the scan in one line; the
 * findings grouped by check (errors first, then warnings; a heading per
 * check with its count), at most --max-lines lines per check and a line
 * saying how many more; a bundle member's subject on its line; the skipped
 * files; the totals and the verdict. ANSI colour only when asked (the tool
 * asks on a terminal without NO_COLOR).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

struct paint {
	const char *err, *warn, *bold, *dim, *off;
};

static const struct paint plain = { "", "", "", "", "" };
static const struct paint ansi = { "\033[1;31m", "\033[1;33m", "\033[1m", "\033[2m", "\033[0m" };

static const char *
sev_colour(const struct paint *p, enum cf_severity s)
{
	return s >= CF_SEV_ERROR ? p->err : s >= CF_SEV_WARNING ? p->warn : p->dim;
}

static void
finding_line(FILE *out, const struct paint *p, const struct cf__finding *f)
{
	fprintf(out, "  %s%s%s:%s", p->bold, f->node, p->off, *f->path ? f->path : "(input)");
	if (f->index > 0) {
		/* a member of a bundle: which certificate, not only its number */
		fprintf(out, " member %d", f->index);
		if (f->facts && f->facts->subject && *f->facts->subject)
			fprintf(out, " (%s)", f->facts->subject);
	}
	fprintf(out, ": %s\n", f->message);
}

static int
write_text(const struct cf_scan *s, FILE *out)
{
	const struct cf__finding **v = cf__findings_sorted(s);
	const struct paint *p = s->policy.ropts.color ? &ansi : &plain;
	const struct cf__rule *order[CF__R_COUNT];
	size_t count[CF__R_COUNT], ng, g, i, shown, e = cf_scan_finding_count(s, CF_SEV_ERROR);
	size_t w = cf_scan_finding_count(s, CF_SEV_WARNING) - e, max = s->policy.ropts.max_lines;
	char now[32];
	int fail = cf_scan_exit_status(s);

	if (v == NULL)
		return CF_E_NOMEM;
	cf_format_time(s->policy.now, now, sizeof now);
	fprintf(out, "certfleet: %zu %s, %zu %s, %zu %s (%zu distinct), now %s\n", s->n_nodes,
	    cf__plural(s->n_nodes, "node", "nodes"), s->n_files,
	    cf__plural(s->n_files, "file", "files"), cf_scan_cert_count(s),
	    cf__plural(cf_scan_cert_count(s), "certificate", "certificates"),
	    cf__facts_cache_size(s->cache), now);
	ng = cf__rules_found(s, order, count);
	for (g = 0; g < ng; g++) {
		enum cf_severity sev = cf__rule_severity(s, order[g]);
		fprintf(out, "%s%s%s %s%s%s: %zu %s\n", sev_colour(p, sev), cf__severity_name(sev),
		    p->off, p->bold, order[g]->id, p->off, count[g],
		    cf__plural(count[g], "finding", "findings"));
		for (i = shown = 0; i < s->n_findings && !(max && shown == max); i++)
			if (v[i]->rule == order[g]) {
				finding_line(out, p, v[i]);
				shown++;
			}
		if (shown < count[g])
			fprintf(out,
			    "  %s\xe2\x80\xa6 %zu more (--max-lines 0 lists all; every one is in "
			    "the JSON report)%s\n",
			    p->dim, count[g] - shown, p->off);
	}
	if (s->n_skips) {
		fprintf(out, "%sskipped%s: %zu %s\n", p->dim, p->off, s->n_skips,
		    cf__plural(s->n_skips, "file", "files"));
		for (i = 0; i < s->n_skips && (!max || i < max); i++)
			fprintf(out, "  %s:%s: %s\n", s->skips[i].node, s->skips[i].path,
			    s->skips[i].reason);
		if (max && s->n_skips > max)
			fprintf(out, "  \xe2\x80\xa6 %zu more\n", s->n_skips - max);
	}
	fprintf(out, "%zu %s, %zu %s, %zu skipped; %s%s%s (--fail-on %s)\n", e,
	    cf__plural(e, "error", "errors"), w, cf__plural(w, "warning", "warnings"), s->n_skips,
	    fail ? p->err : p->bold, fail ? "FAIL" : "PASS", p->off,
	    cf__severity_name(s->policy.fail_on));
	free(v);
	return 0;
}

/* The writer's row (report/writers.c lists it). */
const struct cf__writer cf__text_writer = { CF_FMT_TEXT, "text", NULL, "terminal summary",
	write_text };
