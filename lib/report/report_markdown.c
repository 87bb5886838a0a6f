/*
 * report_markdown.c - GitHub-flavoured Markdown: summary counts per check,
 * findings sorted by severity then time left, consistency per logical
 * path, a checklist per node, skipped files. Every text from an input goes
 * through cf__md_escape(): a subject cannot break a table or open markup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static void
time_left(const struct cf_scan *s, const struct cf__finding *f, char *buf, size_t len)
{
	char span[32];

	if (f->facts == NULL || f->facts->subject == NULL) {
		snprintf(buf, len, "-");
		return;
	}
	cf__span(f->facts->not_after - s->policy.now, span, sizeof span);
	snprintf(buf, len, f->facts->not_after < s->policy.now ? "expired %s ago" : "%s", span);
}

static void
summary(const struct cf_scan *s, FILE *out)
{
	size_t i, j, n;

	fprintf(out, "## Summary\n\n| check | severity | findings |\n| --- | --- | ---: |\n");
	for (i = 0; i < cf__n_rules; i++) {
		const struct cf__rule *r = cf__rule_at(i);
		for (j = n = 0; j < s->n_findings; j++)
			n += s->findings[j].rule == r;
		fprintf(out, "| `%s` | %s | %zu |\n", r->id, cf__severity_name(cf__rule_severity(s, r)), n);
	}
	fputc('\n', out);
}

static void
findings(const struct cf_scan *s, const struct cf__finding **v, FILE *out)
{
	size_t i;
	char left[48];

	fprintf(out, "## Findings\n\n");
	if (s->n_findings == 0) {
		fprintf(out, "No findings.\n\n");
		return;
	}
	fprintf(out, "| severity | check | node | path | member | time left | subject | message |\n"
	    "| --- | --- | --- | --- | ---: | --- | --- | --- |\n");
	for (i = 0; i < s->n_findings; i++) {
		const struct cf__finding *f = v[i];
		time_left(s, f, left, sizeof left);
		fprintf(out, "| %s | `%s` | ", cf__severity_name(f->severity), f->rule->id);
		cf__md_escape(out, f->node);
		fputs(" | ", out);
		cf__md_escape(out, f->path);
		fprintf(out, " | %d | %s | ", f->index, left);
		cf__md_escape(out, f->facts && f->facts->subject ? f->facts->subject : "");
		fputs(" | ", out);
		cf__md_escape(out, f->message);
		fputs(" |\n", out);
	}
	fputc('\n', out);
}

static int
cmp_file_path(const void *a, const void *b)
{
	const struct cf__file *x = *(const struct cf__file *const *)a;
	const struct cf__file *y = *(const struct cf__file *const *)b;
	int c = strcmp(x->path, y->path);
	return c ? c : memcmp(x->dec->identity, y->dec->identity, 32);
}

/* Fleet findings (mismatch, missing) per logical path, by path index. */
static size_t *
fleet_findings(const struct cf_scan *s)
{
	size_t *n = calloc(s->path_tab.n + 1, sizeof *n), i;

	for (i = 0; n && i < s->n_findings; i++) {
		const struct cf__finding *f = &s->findings[i];
		if (f->rule->scope == CF__SCOPE_FLEET)
			n[f->path_ix]++;
	}
	return n;
}

static int
consistency(const struct cf_scan *s, FILE *out)
{
	const struct cf__file **v = malloc((s->n_files + 1) * sizeof *v);
	size_t i, j, k, n = 0, variants, *fleet = fleet_findings(s);

	if (v == NULL || fleet == NULL) {
		free(v);
		free(fleet);
		return CF_E_NOMEM;
	}
	for (i = 0; i < s->n_files; i++)
		if (s->files[i].dec->n_certs)
			v[n++] = &s->files[i];
	qsort(v, n, sizeof *v, cmp_file_path);
	fprintf(out, "## Consistency across nodes\n\n| logical path | nodes | variants | status |\n"
	    "| --- | ---: | ---: | --- |\n");
	for (i = 0; i < n; i = j) {
		for (j = i + 1, variants = 1; j < n && strcmp(v[j]->path, v[i]->path) == 0; j++)
			variants += memcmp(v[j]->dec->identity, v[j - 1]->dec->identity, 32) != 0;
		k = fleet[v[i]->path_ix];
		fputs("| ", out);
		cf__md_escape(out, v[i]->path);
		fprintf(out, " | %zu | %zu | %s |\n", j - i, variants, k ? "findings" :
		    variants == 1 ? "identical" : "per-node");
	}
	fputc('\n', out);
	free(v);
	free(fleet);
	return 0;
}

static void
nodes(const struct cf_scan *s, FILE *out)
{
	size_t i, j, files, errors, warnings;

	fprintf(out, "## Nodes\n\n");
	for (i = 0; i < s->n_nodes; i++) {
		files = s->file_off[i + 1] - s->file_off[i];
		errors = warnings = 0;
		for (j = s->finding_off[i]; j < s->finding_off[i + 1]; j++) {
			const struct cf__finding *f = &s->findings[s->finding_order[j]];
			errors += f->severity == CF_SEV_ERROR;
			warnings += f->severity == CF_SEV_WARNING;
		}
		fprintf(out, "- [%c] ", errors + warnings ? ' ' : 'x');
		cf__md_escape(out, s->nodes[i]);
		fprintf(out, ": %zu %s, %zu %s, %zu %s\n", files, cf__plural(files, "file", "files"),
		    errors, cf__plural(errors, "error", "errors"), warnings,
		    cf__plural(warnings, "warning", "warnings"));
	}
	fputc('\n', out);
}

static void
skipped(const struct cf_scan *s, FILE *out)
{
	size_t i;

	if (s->n_skips == 0)
		return;
	fprintf(out, "## Skipped\n\n| node | path | reason |\n| --- | --- | --- |\n");
	for (i = 0; i < s->n_skips; i++) {
		fputs("| ", out);
		cf__md_escape(out, s->skips[i].node);
		fputs(" | ", out);
		cf__md_escape(out, s->skips[i].path);
		fputs(" | ", out);
		cf__md_escape(out, s->skips[i].reason);
		fputs(" |\n", out);
	}
	fputc('\n', out);
}

int
cf__report_markdown(const struct cf_scan *s, FILE *out)
{
	const struct cf__finding **v = cf__findings_sorted(s);
	size_t e = cf_scan_finding_count(s, CF_SEV_ERROR);
	size_t w = cf_scan_finding_count(s, CF_SEV_WARNING) - e;
	char now[32];
	int rc;

	if (v == NULL)
		return CF_E_NOMEM;
	cf_format_time(s->policy.now, now, sizeof now);
	if (s->comment) {
		/* a link reference definition, which renders as nothing and,
		 * unlike an HTML comment, may hold "--" */
		char *c = cf__md_title_safe(s->comment);
		if (c == NULL) {
			free(v);
			return CF_E_NOMEM;
		}
		fprintf(out, "[//]: # (%s)\n", c);
		free(c);
	}
	fprintf(out, "# certfleet report\n\n**%s** (fail on %s): %zu %s, %zu %s in %zu %s, %zu %s, "
	    "%zu %s. Reference time %s, soon-expire window %lld %s, max validity %lld %s.\n\n",
	    cf_scan_exit_status(s) ? "FAIL" : "PASS", cf__severity_name(s->policy.fail_on),
	    e, cf__plural(e, "error", "errors"), w, cf__plural(w, "warning", "warnings"),
	    s->n_nodes, cf__plural(s->n_nodes, "node", "nodes"),
	    s->n_files, cf__plural(s->n_files, "file", "files"),
	    cf_scan_cert_count(s), cf__plural(cf_scan_cert_count(s), "certificate", "certificates"), now,
	    (long long)(s->policy.soon / 86400), cf__plural((size_t)(s->policy.soon / 86400), "day", "days"),
	    (long long)s->policy.max_validity_days,
	    cf__plural((size_t)s->policy.max_validity_days, "day", "days"));
	summary(s, out);
	findings(s, v, out);
	rc = consistency(s, out);
	nodes(s, out);
	skipped(s, out);
	free(v);
	return rc;
}
