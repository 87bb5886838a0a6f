/*
 * report_markdown.c - GitHub-flavoured Markdown, written to be read where
 * it is read: in a step summary or a pull-request comment (1,012 px of
 * content width, 1 MiB at most) and as a raw file in a diff or a terminal.
 *
 * A verdict heading (✅ pass, ⚠️ pass with warnings, ❌ fail), the counts,
 * the checks that found something, the findings in five columns (severity,
 * check, node, path, detail; long names cut in the middle), each
 * mismatched or missing path once with its variants, the nodes with
 * findings listed and the others counted (in <details>), skipped files.
 * Text from inputs is escaped only where it is active: names and paths in
 * code spans, messages with their active characters escaped, so the raw
 * file greps. The report keeps within --markdown-max-bytes: it is made as
 * rows with a priority, and the least important rows (passing nodes,
 * skipped files, warnings, then the rest) are cut first, each cut section
 * saying "… N more, see the JSON report".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

#define NAME_MAX_CHARS 48    /* a node name in a cell (an EC2 private DNS name fits) */
#define PATH_MAX_CHARS 64    /* a path in a cell */
#define NODES_PER_VARIANT 10 /* node names listed per variant */

enum section { S_HEAD, S_CHECKS, S_FINDINGS, S_CONSIST, S_NODES, S_PASSING, S_SKIPPED, S_N };

/* Each section's title, and the table header its rows need. */
static const char *const title[S_N] = {
	"",
	"",
	"## Findings\n\n",
	"## Consistency\n\nEach path that differs between nodes or is missing on some, once.\n\n",
	"## Nodes\n\n",
	"",
	"## Skipped\n\n",
};
static const char *const header[S_N] = {
	"",
	"| check | severity | findings |\n| --- | --- | ---: |\n",
	"",
	"| path | variants |\n| --- | --- |\n",
	"",
	"",
	"| node | path | reason |\n| --- | --- | --- |\n",
};

/* Cut first: the higher the number; P_FRAME and P_KEEP rows stay (a frame
 * is no row of a table: a heading, <details>). */
enum { P_FRAME = -1, P_KEEP, P_ERROR, P_CONSIST, P_NODE, P_WARNING, P_INFO, P_PASSING, P_SKIPPED };

struct row {
	enum section sec;
	int prio;
	int kept;
	int group_head; /* a group's heading and table header: shown
	                             when a row of the group stays */
	char *text;
	size_t len;
};

struct md {
	const struct cf_scan *s;
	struct row *r;
	size_t n, cap;
	struct cf__buf b; /* the row being made */
	int nomem;
};

/* The row made in M->b becomes a row of SEC with priority PRIO. */
static void
row(struct md *m, enum section sec, int prio)
{
	char *t;

	if (m->nomem || cf__grow((void **)&m->r, &m->cap, m->n + 1, sizeof *m->r, 64) != 0 ||
	    (t = malloc(m->b.len + 1)) == NULL) {
		m->nomem = 1;
		m->b.len = 0;
		return;
	}
	memcpy(t, m->b.data, m->b.len);
	t[m->b.len] = '\0';
	m->r[m->n++] = (struct row){ sec, prio, 1, 0, t, m->b.len };
	m->b.len = 0;
}

#define P(...) (m->nomem |= cf__buf_printf(&m->b, __VA_ARGS__) != 0)
#define CODE(str, max) (m->nomem |= cf__md_code(&m->b, (str), (max)) != 0)
#define TEXT(str) (m->nomem |= cf__md_text(&m->b, (str)) != 0)

static const char *
sev_mark(enum cf_severity s)
{
	return s >= CF_SEV_ERROR  ? "\xe2\x9d\x8c"
	    : s >= CF_SEV_WARNING ? "\xe2\x9a\xa0\xef\xb8\x8f"
	                          : "\xe2\x84\xb9\xef\xb8\x8f";
}

static void
head(struct md *m, size_t e, size_t w, size_t failing)
{
	const struct cf_scan *s = m->s;
	size_t certs = cf_scan_cert_count(s), soon = (size_t)(s->policy.soon / 86400);
	char now[32];
	int fail = cf_scan_exit_status(s);

	cf_format_time(s->policy.now, now, sizeof now);
	if (s->policy.comment) {
		/* a link reference definition, which renders as nothing and,
		 * unlike an HTML comment, may hold "--" */
		char *c = cf__md_title_safe(s->policy.comment);
		if (c == NULL)
			m->nomem = 1;
		else
			P("[//]: # (%s)\n", c);
		free(c);
	}
	P("# %s certfleet: %s\n\n",
	    fail    ? "\xe2\x9d\x8c"
	        : w ? "\xe2\x9a\xa0\xef\xb8\x8f"
	            : "\xe2\x9c\x85",
	    fail    ? "FAIL"
	        : w ? "PASS with warnings"
	            : "PASS");
	P("**%zu %s, %zu %s** on %zu of %zu %s; %zu %s, %zu %s.\n\n", e,
	    cf__plural(e, "error", "errors"), w, cf__plural(w, "warning", "warnings"), failing,
	    s->n_nodes, cf__plural(s->n_nodes, "node", "nodes"), s->n_files,
	    cf__plural(s->n_files, "file", "files"), certs,
	    cf__plural(certs, "certificate", "certificates"));
	P("Reference time %s, soon-expire window %zu %s, max validity %lld %s, fail on %s.\n\n",
	    now, soon, cf__plural(soon, "day", "days"), (long long)s->policy.max_validity_days,
	    cf__plural((size_t)s->policy.max_validity_days, "day", "days"),
	    cf__severity_name(s->policy.fail_on));
	row(m, S_HEAD, P_FRAME);
}

/* The checks that found something: no zero rows. */
static void
checks(struct md *m)
{
	const struct cf__rule *order[CF__R_COUNT];
	size_t count[CF__R_COUNT], n = cf__rules_found(m->s, order, count), i;

	for (i = 0; i < n; i++) {
		enum cf_severity sev = cf__rule_severity(m->s, order[i]);
		P("| `%s` | %s %s | %zu |\n", order[i]->id, sev_mark(sev), cf__severity_name(sev),
		    count[i]);
		row(m, S_CHECKS, P_KEEP);
	}
}

static void
finding_row(struct md *m, const struct cf__finding *f)
{
	P("| ");
	CODE(f->node, NAME_MAX_CHARS);
	P(" | ");
	if (*f->path)
		CODE(f->path, PATH_MAX_CHARS);
	if (f->index > 0)
		P(" member %d", f->index);
	P(" | ");
	if (f->rule->num == CF__R_CERT_MISMATCH && f->facts)
		/* the variants are listed once, under Consistency */
		P("carries `sha256:%.16s`, not the fleet's: see Consistency", f->facts->sha256_hex);
	else
		TEXT(f->message);
	if (f->rule->scope == CF__SCOPE_CERT && f->facts && f->facts->subject &&
	    *f->facts->subject) {
		P("<br>subject ");
		TEXT(f->facts->subject);
	}
	P(" |\n");
	row(m, S_FINDINGS,
	    f->severity >= CF_SEV_ERROR         ? P_ERROR
	        : f->severity >= CF_SEV_WARNING ? P_WARNING
	                                        : P_INFO);
}

/* The findings grouped by check, errors first: a heading per check (its
 * id never wraps in a narrow column) and a table of three columns. V is
 * sorted by severity, then time left. */
static void
findings(struct md *m, const struct cf__finding *const *v)
{
	const struct cf_scan *s = m->s;
	const struct cf__rule *order[CF__R_COUNT];
	size_t count[CF__R_COUNT], ng = cf__rules_found(s, order, count), g, i;

	for (g = 0; g < ng && !m->nomem; g++) {
		enum cf_severity sev = cf__rule_severity(s, order[g]);
		P("### %s `%s`: %zu %s\n\n| node | path | detail |\n| --- | --- | --- |\n",
		    sev_mark(sev), order[g]->id, count[g],
		    cf__plural(count[g], "finding", "findings"));
		row(m, S_FINDINGS, P_FRAME);
		if (!m->nomem)
			m->r[m->n - 1].group_head = 1;
		for (i = 0; i < s->n_findings; i++)
			if (v[i]->rule == order[g])
				finding_row(m, v[i]);
	}
}

static void
node_names(struct md *m, const struct cf__file *const *f, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < NODES_PER_VARIANT; i++) {
		P("%s", i ? ", " : "");
		CODE(f[i]->node, NAME_MAX_CHARS);
	}
	if (n > NODES_PER_VARIANT)
		P(", +%zu more", n - NODES_PER_VARIANT);
}

/* Each path with a mismatch or missing finding, once: its variants and
 * the nodes it is missing on. */
static void
consistency(struct md *m)
{
	const struct cf_scan *s = m->s;
	const struct cf__finding *const *miss;
	struct cf__paths p;
	size_t pix, i, k, n_miss;

	if (cf__paths_build(s, &p) != 0) {
		m->nomem = 1;
		return;
	}
	for (pix = 0; pix < s->path_tab.n && !m->nomem; pix++) {
		struct cf__variant *g = NULL;
		size_t ng = 0;
		if (!p.flags[pix])
			continue;
		if (cf__path_variants(&p, (uint32_t)pix, &g, &ng) != 0) {
			m->nomem = 1;
			break;
		}
		P("| ");
		CODE(s->path_tab.v[pix], PATH_MAX_CHARS);
		P(" | ");
		for (i = 0, k = 0; i < ng; i++)
			k += g[i].n;
		for (i = 0; i < ng; i++) {
			P("%s`sha256:%.16s`%s on %zu %s: ", i ? "<br>" : "",
			    cf__first_cert(g[i].f[0])->facts->sha256_hex,
			    i == 0 && g[0].n * 2 > k ? " (majority)" : "", g[i].n,
			    cf__plural(g[i].n, "node", "nodes"));
			node_names(m, g[i].f, g[i].n);
		}
		/* the nodes this path is missing on */
		if ((n_miss = cf__path_missing(&p, (uint32_t)pix, &miss)) > 0) {
			P("%smissing on %zu %s: ", ng ? "<br>" : "", n_miss,
			    cf__plural(n_miss, "node", "nodes"));
			for (i = 0; i < n_miss && i < NODES_PER_VARIANT; i++) {
				P("%s", i ? ", " : "");
				CODE(miss[i]->node, NAME_MAX_CHARS);
			}
			if (n_miss > NODES_PER_VARIANT)
				P(", +%zu more", n_miss - NODES_PER_VARIANT);
		}
		P(" |\n");
		row(m, S_CONSIST, P_CONSIST);
		free(g);
	}
	cf__paths_free(&p);
}

/* Nodes with findings, one line each; the others counted, then named in
 * <details>. Returns the number of nodes with findings. */
static size_t
nodes(struct md *m, int emit)
{
	const struct cf_scan *s = m->s;
	size_t i, j, e, w, failing = 0, passing;

	for (i = 0; i < s->n_nodes; i++) {
		for (j = s->finding_off[i], e = w = 0; j < s->finding_off[i + 1]; j++) {
			const struct cf__finding *f = &s->findings[s->finding_order[j]];
			e += f->severity >= CF_SEV_ERROR;
			w += f->severity < CF_SEV_ERROR;
		}
		if (e + w == 0)
			continue;
		failing++;
		if (!emit)
			continue;
		P("- %s ", e ? "\xe2\x9d\x8c" : "\xe2\x9a\xa0\xef\xb8\x8f");
		CODE(s->nodes[i], 0);
		if (e)
			P(": %zu %s", e, cf__plural(e, "error", "errors"));
		if (w)
			P("%s %zu %s", e ? "," : ":", w, cf__plural(w, "warning", "warnings"));
		P("\n");
		row(m, S_NODES, P_NODE);
	}
	passing = s->n_nodes - failing;
	if (!emit || passing == 0)
		return failing;
	P("%s<details><summary>%zu %s without findings</summary>\n\n", failing ? "\n" : "", passing,
	    cf__plural(passing, "node", "nodes"));
	row(m, S_PASSING, P_FRAME);
	for (i = 0; i < s->n_nodes; i++)
		if (s->finding_off[i + 1] == s->finding_off[i]) {
			P("- ");
			CODE(s->nodes[i], 0);
			P("\n");
			row(m, S_PASSING, P_PASSING);
		}
	P("\n</details>\n");
	row(m, S_PASSING, P_FRAME);
	return failing;
}

static void
skipped(struct md *m)
{
	const struct cf_scan *s = m->s;
	size_t i;

	for (i = 0; i < s->n_skips; i++) {
		P("| ");
		CODE(s->skips[i].node, NAME_MAX_CHARS);
		P(" | ");
		CODE(s->skips[i].path, PATH_MAX_CHARS);
		P(" | ");
		TEXT(s->skips[i].reason);
		P(" |\n");
		row(m, S_SKIPPED, P_SKIPPED);
	}
}

/* Cut rows, least important first and from the end, until the report
 * fits BUDGET (a note of at most NOTE bytes per section reserved). */
static void
fit(struct md *m, size_t budget)
{
	size_t total = 0, i, sec_rows[S_N] = { 0 };
	int prio, sec;
	const size_t note = 96;

	for (i = 0; i < m->n; i++) {
		total += m->r[i].len;
		sec_rows[m->r[i].sec]++;
	}
	for (sec = 0; sec < S_N; sec++)
		if (sec_rows[sec])
			total += strlen(title[sec]) + strlen(header[sec]) + 1;
	for (prio = P_SKIPPED; prio > P_KEEP && total + note * S_N > budget; prio--)
		for (i = m->n; i-- > 0 && total + note * S_N > budget;)
			if (m->r[i].prio == prio && m->r[i].kept) {
				m->r[i].kept = 0;
				total -= m->r[i].len;
			}
}

static void
note(struct md *m, FILE *out, size_t cut, int after_rows)
{
	fprintf(out,
	    "%s\xe2\x80\xa6 %zu more, see the JSON report (this report is cut to %llu "
	    "bytes: --markdown-max-bytes)\n",
	    after_rows ? "\n" : "", cut, (unsigned long long)m->s->policy.ropts.markdown_max_bytes);
}

/* Rows [A, B) of a section or group: KEPT table rows, CUT rows. */
static void
count(const struct md *m, size_t a, size_t b, size_t *kept, size_t *cut)
{
	size_t i;

	for (i = a, *kept = *cut = 0; i < b; i++) {
		*kept += m->r[i].kept && m->r[i].prio != P_FRAME;
		*cut += !m->r[i].kept;
	}
}

static void
emit(struct md *m, FILE *out)
{
	size_t i, a, b, g, kept, cut;
	int sec;

	for (sec = 0; sec < S_N; sec++) {
		for (a = 0; a < m->n && m->r[a].sec != (enum section)sec; a++)
			;
		for (b = a; b < m->n && m->r[b].sec == (enum section)sec; b++)
			;
		if (a == b)
			continue;
		fputs(title[sec], out);
		count(m, a, b, &kept, &cut);
		if (kept) /* a table's header only when a row of it stays */
			fputs(header[sec], out);
		for (i = a; i < b; i = g) {
			size_t gk, gc;
			if (!m->r[i].group_head) {
				if (m->r[i].kept)
					fwrite(m->r[i].text, 1, m->r[i].len, out);
				g = i + 1;
				continue;
			}
			for (g = i + 1; g < b && !m->r[g].group_head; g++)
				;
			count(m, i + 1, g, &gk, &gc);
			if (gk) {
				fwrite(m->r[i].text, 1, m->r[i].len, out);
				for (a = i + 1; a < g; a++)
					if (m->r[a].kept)
						fwrite(m->r[a].text, 1, m->r[a].len, out);
			} else {
				/* the heading alone: its line up to the table */
				fwrite(m->r[i].text, 1,
				    (size_t)(strstr(m->r[i].text, "\n\n") - m->r[i].text) + 2, out);
			}
			if (gc)
				note(m, out, gc, gk > 0);
			fputc('\n', out);
			cut -= gc;
		}
		if (cut)
			note(m, out, cut, kept > 0);
		if (sec != S_HEAD && sec != S_NODES && sec != S_FINDINGS)
			fputc('\n', out);
	}
}

static int
write_markdown(const struct cf_scan *s, FILE *out)
{
	const struct cf__finding **v = cf__findings_sorted(s);
	size_t e = cf_scan_finding_count(s, CF_SEV_ERROR);
	size_t w = cf_scan_finding_count(s, CF_SEV_WARNING) - e, i;
	struct md m = { .s = s };
	int rc = 0;

	if (v == NULL)
		return CF_E_NOMEM;
	head(&m, e, w, nodes(&m, 0));
	if (s->n_findings == 0) {
		m.nomem |= cf__buf_printf(&m.b, "No findings.\n\n") != 0;
		row(&m, S_HEAD, P_FRAME);
	}
	checks(&m);
	findings(&m, v);
	consistency(&m);
	if (s->n_nodes)
		nodes(&m, 1);
	skipped(&m);
	if (m.nomem) {
		rc = CF_E_NOMEM;
	} else {
		fit(&m, (size_t)s->policy.ropts.markdown_max_bytes);
		emit(&m, out);
	}
	for (i = 0; i < m.n; i++)
		free(m.r[i].text);
	free(m.r);
	cf__buf_free(&m.b);
	free(v);
	return rc;
}

/* The writer's row (report/writers.c lists it). */
const struct cf__writer cf__markdown_writer = { CF_FMT_MARKDOWN, "markdown", "markdown", "Markdown",
	write_markdown };
