/*
 * report_html.c - one self-contained HTML file for auditors: no external
 * resource, no script, readable in any browser. Written with libxml2's
 * xmlTextWriter (it escapes every text and attribute; elements are closed
 * in full, never as <x/>, which an HTML parser would leave open).
 *
 * The verdict and counts; an expiry timeline as inline SVG: the
 * certificates of the fleet (every node's copy) that expire in each week
 * of the coming year, stacked by what they are at the reference time
 * (expired, within the soon window, later), each bar with its count in
 * data- attributes and a <title>; a node × logical path matrix of status
 * (ok, warning, error, missing); the findings.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "report/report.h"

#define X(s) ((const xmlChar *)(s))
#define WEEKS 52
#define WEEK (7 * 86400)
#define MATRIX_ROWS 1000 /* nodes shown in the matrix */
#define MATRIX_COLS 100  /* logical paths shown */

static const char style[] =
    "body{font-family:system-ui,sans-serif;margin:2em;color:#1f2328;max-width:1200px}"
    "h1 .v{padding:.1em .4em;border-radius:.2em;color:#fff}"
    ".fail{background:#cf222e}.pass{background:#1a7f37}.warn{background:#9a6700}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d1d9e0;"
    "padding:.25em .6em;text-align:left;vertical-align:top}th{background:#f6f8fa}"
    "code{font-size:90%;background:#f6f8fa;padding:0 .2em;white-space:nowrap}"
    ".matrix{overflow:auto;max-height:40em}.matrix td{text-align:center}"
    "td.ok{background:#dafbe1}td.warning{background:#fff8c5}td.error{background:#ffebe9}"
    "td.missing{background:#eaeef2}td.none{background:#fff}"
    ".legend span{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 1em;"
    "vertical-align:middle}";

/* Every element closed in full: <td></td>, not <td/>. */
static int
end(xmlTextWriterPtr w)
{
	return xmlTextWriterFullEndElement(w) < 0;
}

static int
elem(xmlTextWriterPtr w, const char *name, const char *text)
{
	int rc = xmlTextWriterStartElement(w, X(name)) < 0;

	if (text && xmlTextWriterWriteString(w, X(text)) < 0)
		rc = 1;
	return end(w) || rc;
}

static int
attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterWriteAttribute(w, X(name), X(value)) < 0;
}

static int
fattr(xmlTextWriterPtr w, const char *name, long long v)
{
	return xmlTextWriterWriteFormatAttribute(w, X(name), "%lld", v) < 0;
}

/* The timeline's classes: what a certificate is at the reference time. */
enum { T_EXPIRED, T_SOON, T_LATER, T_N };
static const char *const t_name[T_N] = { "expired", "soon", "later" };
static const char *const t_colour[T_N] = { "#cf222e", "#bf8700", "#1a7f37" };

/* Bucket 0: expired before the reference time; 1 + k: expiring in week k
 * (k = 0 .. WEEKS-1) from the reference time; later ones are not drawn
 * (counted apart). */
static void
timeline_counts(const struct cf_scan *s, size_t (*n)[T_N], size_t *beyond)
{
	size_t i, j;

	*beyond = 0;
	for (i = 0; i < s->n_files; i++) {
		const struct cf__member *m = cf__members(&s->files[i]);
		for (j = 0; j < s->files[i].dec->n_members; j++) {
			int64_t left;
			size_t b;
			if (m[j].kind != CF__M_CERT)
				continue;
			left = m[j].facts->not_after - s->policy.now;
			if (left < 0) {
				n[0][T_EXPIRED]++;
				continue;
			}
			b = (size_t)(left / WEEK);
			if (b >= WEEKS) {
				(*beyond)++;
				continue;
			}
			n[1 + b][left < s->policy.soon ? T_SOON : T_LATER]++;
		}
	}
}

static int
timeline(xmlTextWriterPtr w, const struct cf_scan *s)
{
	size_t(*n)[T_N] = calloc(WEEKS + 1, sizeof *n), beyond, max = 1, b, t;
	const int bw = 14, gap = 4, h = 160, left = 40, top = 10;
	char now[32], txt[256];
	int rc = 0;

	if (n == NULL)
		return CF_E_NOMEM;
	timeline_counts(s, n, &beyond);
	for (b = 0; b <= WEEKS; b++)
		if (n[b][0] + n[b][1] + n[b][2] > max)
			max = n[b][0] + n[b][1] + n[b][2];
	cf_format_time(s->policy.now, now, sizeof now);
	rc |= elem(w, "h2", "Expiry timeline");
	snprintf(txt, sizeof txt,
	    "Certificates of every node that expire in each week of the year "
	    "after %s; the first bar holds those already expired. %zu expire later.",
	    now, beyond);
	rc |= elem(w, "p", txt);
	rc |= xmlTextWriterStartElement(w, X("svg")) < 0;
	rc |= attr(w, "xmlns", "http://www.w3.org/2000/svg");
	rc |= attr(w, "id", "timeline");
	rc |= fattr(w, "width", left + (long long)(WEEKS + 1) * (bw + gap) + 10);
	rc |= fattr(w, "height", top + h + 40);
	rc |= attr(w, "role", "img");
	rc |= elem(w, "title", "certificates expiring per week");
	/* axis: the largest bar's count, and week marks */
	rc |= xmlTextWriterStartElement(w, X("text")) < 0;
	rc |= fattr(w, "x", 0) | fattr(w, "y", top + 10) | attr(w, "font-size", "11");
	rc |= xmlTextWriterWriteFormatString(w, "%zu", max) < 0;
	rc |= end(w);
	for (b = 0; b <= WEEKS && rc == 0; b++) {
		long long x = left + (long long)b * (bw + gap), y = top + h;
		if (b == 0 || (b > 1 && b % 13 == 1)) {
			rc |= xmlTextWriterStartElement(w, X("text")) < 0;
			rc |= fattr(w, "x", x) | fattr(w, "y", top + h + 16) |
			    attr(w, "font-size", "11");
			rc |= xmlTextWriterWriteString(w,
			          X(b == 0          ? "expired"
			                  : b == 14 ? "+13 w"
			                  : b == 27 ? "+26 w"
			                            : "+39 w")) < 0;
			rc |= end(w);
		}
		for (t = 0; t < T_N; t++) {
			long long bh;
			if (n[b][t] == 0)
				continue;
			bh = (long long)(n[b][t] * (size_t)h / max);
			if (bh < 1)
				bh = 1;
			y -= bh;
			rc |= xmlTextWriterStartElement(w, X("rect")) < 0;
			rc |= fattr(w, "x", x) | fattr(w, "y", y) | fattr(w, "width", bw) |
			    fattr(w, "height", bh);
			rc |= attr(w, "fill", t_colour[t]) | attr(w, "class", "bar");
			rc |= fattr(w, "data-week", (long long)b - 1) |
			    attr(w, "data-class", t_name[t]);
			rc |= fattr(w, "data-count", (long long)n[b][t]);
			if (b == 0)
				snprintf(txt, sizeof txt, "%zu expired", n[b][t]);
			else
				snprintf(txt, sizeof txt, "%zu %s in week %zu (%s)", n[b][t],
				    n[b][t] == 1 ? "certificate expires" : "certificates expire", b,
				    t == T_SOON ? "inside the soon window"
				                : "after the soon window");
			rc |= elem(w, "title", txt);
			rc |= end(w);
		}
	}
	rc |= end(w); /* svg */
	rc |= xmlTextWriterStartElement(w, X("p")) < 0;
	rc |= attr(w, "class", "legend");
	for (t = 0; t < T_N; t++) {
		char st[64];
		snprintf(st, sizeof st, "background:%s", t_colour[t]);
		rc |= xmlTextWriterStartElement(w, X("span")) < 0;
		rc |= attr(w, "style", st);
		rc |= xmlTextWriterWriteString(w, X("")) < 0;
		rc |= end(w);
		rc |= xmlTextWriterWriteString(w,
		          X(t == T_EXPIRED      ? "expired"
		                  : t == T_SOON ? "inside the soon window"
		                                : "later")) < 0;
	}
	rc |= end(w);
	free(n);
	return rc ? CF_E_OUTPUT : 0;
}

/* Path indexes of scan ARG by path name. */
static int
cmp_path_ix(const void *a, const void *b, void *arg)
{
	const struct cf_scan *s = arg;

	return strcmp(s->path_tab.v[*(const uint32_t *)a], s->path_tab.v[*(const uint32_t *)b]);
}

/* The paths of a node's cells into SEEN (path_ix -> 1). */
static int
mark_paths(void *arg, const struct cf__cell *c, size_t n)
{
	unsigned char *seen = arg;
	size_t i;

	for (i = 0; i < n; i++)
		if (*c[i].path)
			seen[c[i].path_ix] = 1;
	return 0;
}

/* The matrix being written: its columns, and the rows written so far. */
struct rows {
	xmlTextWriterPtr w;
	const uint32_t *paths;
	size_t ncols, nrows;
	int rc;
};

#define ROWS_DONE 1 /* the last row shown: stop the walk */

/* A row of the matrix: node N's cells C (by path), in the columns' order. */
static int
row(void *arg, const struct cf__cell *c, size_t n)
{
	struct rows *r = arg;
	xmlTextWriterPtr w = r->w;
	size_t cur, k;
	char txt[320];
	int rc = 0;

	if (n == 0) /* a node without cells has no row */
		return 0;
	if (r->nrows++ == MATRIX_ROWS)
		return ROWS_DONE;
	rc |= xmlTextWriterStartElement(w, X("tr")) < 0;
	rc |= elem(w, "th", c[0].node);
	for (cur = 0; cur < r->ncols; cur++) {
		const struct cf__cell *x = NULL;
		for (k = 0; k < n; k++)
			if (c[k].path_ix == r->paths[cur]) {
				x = &c[k];
				break;
			}
		rc |= xmlTextWriterStartElement(w, X("td")) < 0;
		if (x == NULL) {
			rc |= attr(w, "class", "none");
			rc |= xmlTextWriterWriteString(w, X("")) < 0;
		} else {
			const char *st = x->has_file ? cf__cell_status(x->worst) : "missing";
			rc |= attr(w, "class", st);
			snprintf(txt, sizeof txt, "%s: %zu %s", st, x->n_findings,
			    cf__plural(x->n_findings, "finding", "findings"));
			rc |= attr(w, "title", txt);
			rc |= xmlTextWriterWriteString(w,
			          X(!x->has_file                       ? "\xe2\x80\x94"
			                  : x->worst >= CF_SEV_ERROR   ? "\xe2\x9c\x97"
			                  : x->worst >= CF_SEV_WARNING ? "!"
			                                               : "\xe2\x9c\x93")) < 0;
		}
		rc |= end(w);
	}
	rc |= end(w);
	r->rc |= rc;
	return rc ? ROWS_DONE : 0;
}

/* Node × logical path: a cell per (node, path) with its status, a node at
 * a time (the fleet's cells are never held at once). */
static int
matrix(xmlTextWriterPtr w, const struct cf_scan *s)
{
	unsigned char *seen = calloc(s->path_tab.n + 1, 1);
	uint32_t *paths = malloc((s->path_tab.n + 1) * sizeof *paths);
	struct rows r = { .w = w };
	size_t i, ncols = 0;
	char txt[320];
	int rc = 0;

	if (seen == NULL || paths == NULL || cf__cells_by_node(s, mark_paths, seen) != 0) {
		free(seen);
		free(paths);
		return CF_E_NOMEM;
	}
	for (i = 0; i < s->path_tab.n; i++) /* every path once */
		if (seen[i])
			paths[ncols++] = (uint32_t)i;
	qsort_r(paths, ncols, sizeof *paths, cmp_path_ix, (void *)s);
	if (ncols > MATRIX_COLS)
		ncols = MATRIX_COLS;
	rc |= elem(w, "h2", "Nodes and paths");
	snprintf(txt, sizeof txt,
	    "A row per node, a column per logical path: ok, warning or error "
	    "(the worst finding of the file), missing (a finding without the file), blank (not "
	    "carried).%s",
	    s->n_nodes > MATRIX_ROWS || ncols == MATRIX_COLS
	        ? " Cut to the first "
	          "1000 nodes and 100 paths: see the JSON report."
	        : "");
	rc |= elem(w, "p", txt);
	rc |= xmlTextWriterStartElement(w, X("div")) < 0;
	rc |= attr(w, "class", "matrix");
	rc |= xmlTextWriterStartElement(w, X("table")) < 0;
	rc |= attr(w, "id", "matrix");
	rc |= xmlTextWriterStartElement(w, X("tr")) < 0;
	rc |= elem(w, "th", "node");
	for (i = 0; i < ncols; i++)
		rc |= elem(w, "th", s->path_tab.v[paths[i]]);
	rc |= end(w);
	r.paths = paths;
	r.ncols = ncols;
	if (rc == 0) {
		int walk = cf__cells_by_node(s, row, &r);
		if (walk != 0 && walk != ROWS_DONE)
			rc = 1;
		rc |= r.rc;
	}
	rc |= end(w); /* table */
	rc |= end(w); /* div */
	free(seen);
	free(paths);
	return rc ? CF_E_OUTPUT : 0;
}

static int
findings(xmlTextWriterPtr w, const struct cf_scan *s)
{
	const struct cf__finding **v = cf__findings_sorted(s);
	size_t i;
	int rc = 0;

	if (v == NULL)
		return CF_E_NOMEM;
	rc |= elem(w, "h2", "Findings");
	if (s->n_findings == 0)
		rc |= elem(w, "p", "No findings.");
	else {
		rc |= xmlTextWriterStartElement(w, X("table")) < 0;
		rc |= attr(w, "id", "findings");
		rc |= xmlTextWriterStartElement(w, X("tr")) < 0;
		rc |= elem(w, "th", "severity") | elem(w, "th", "check") | elem(w, "th", "node") |
		    elem(w, "th", "path") | elem(w, "th", "message");
		rc |= end(w);
		for (i = 0; i < s->n_findings && rc == 0; i++) {
			rc |= xmlTextWriterStartElement(w, X("tr")) < 0;
			rc |= attr(w, "class", cf__severity_name(v[i]->severity));
			rc |= elem(w, "td", cf__severity_name(v[i]->severity));
			rc |= xmlTextWriterStartElement(w, X("td")) < 0;
			rc |= elem(w, "code", v[i]->rule->id);
			rc |= end(w);
			rc |= elem(w, "td", v[i]->node);
			rc |= elem(w, "td", v[i]->path);
			rc |= elem(w, "td", v[i]->message);
			rc |= end(w);
		}
		rc |= end(w);
	}
	free(v);
	return rc ? CF_E_OUTPUT : 0;
}

static int
doc(xmlTextWriterPtr w, const struct cf_scan *s)
{
	size_t e = cf_scan_finding_count(s, CF_SEV_ERROR);
	size_t wn = cf_scan_finding_count(s, CF_SEV_WARNING) - e, i, n, count[CF__R_COUNT];
	const struct cf__rule *order[CF__R_COUNT];
	int fail = cf_scan_exit_status(s), rc = 0;
	char now[32], txt[512];

	cf_format_time(s->policy.now, now, sizeof now);
	rc |= xmlTextWriterWriteRaw(w, X("<!DOCTYPE html>\n")) < 0;
	rc |= xmlTextWriterStartElement(w, X("html")) < 0;
	rc |= attr(w, "lang", "en");
	rc |= xmlTextWriterStartElement(w, X("head")) < 0;
	rc |= xmlTextWriterStartElement(w, X("meta")) < 0;
	rc |= attr(w, "charset", "utf-8");
	rc |= xmlTextWriterEndElement(w) < 0; /* a void element: <meta .../> is valid HTML */
	if (s->policy.comment) {
		/* an HTML comment cannot hold "--": a meta element's content can */
		rc |= xmlTextWriterStartElement(w, X("meta")) < 0;
		rc |= attr(w, "name", "generator-comment") | attr(w, "content", s->policy.comment);
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	snprintf(txt, sizeof txt, "certfleet report: %s", fail ? "FAIL" : "PASS");
	rc |= elem(w, "title", txt);
	rc |= elem(w, "style", style);
	rc |= end(w);
	rc |= xmlTextWriterStartElement(w, X("body")) < 0;
	rc |= xmlTextWriterStartElement(w, X("h1")) < 0;
	rc |= xmlTextWriterWriteString(w, X("certfleet ")) < 0;
	rc |= xmlTextWriterStartElement(w, X("span")) < 0;
	rc |= attr(w, "class", fail ? "v fail" : wn ? "v warn" : "v pass");
	rc |= attr(w, "id", "verdict");
	rc |= xmlTextWriterWriteString(w,
	          X(fail       ? "FAIL"
	                  : wn ? "PASS with warnings"
	                       : "PASS")) < 0;
	rc |= end(w);
	rc |= end(w);
	snprintf(txt, sizeof txt,
	    "%zu %s, %zu %s in %zu %s, %zu %s, %zu %s. Reference time %s, "
	    "soon-expire window %lld %s, max validity %lld %s, fail on %s.",
	    e, cf__plural(e, "error", "errors"), wn, cf__plural(wn, "warning", "warnings"),
	    s->n_nodes, cf__plural(s->n_nodes, "node", "nodes"), s->n_files,
	    cf__plural(s->n_files, "file", "files"), cf_scan_cert_count(s),
	    cf__plural(cf_scan_cert_count(s), "certificate", "certificates"), now,
	    (long long)(s->policy.soon / 86400),
	    cf__plural((size_t)(s->policy.soon / 86400), "day", "days"),
	    (long long)s->policy.max_validity_days,
	    cf__plural((size_t)s->policy.max_validity_days, "day", "days"),
	    cf__severity_name(s->policy.fail_on));
	rc |= xmlTextWriterStartElement(w, X("p")) < 0;
	rc |= attr(w, "id", "summary");
	rc |= xmlTextWriterWriteString(w, X(txt)) < 0;
	rc |= end(w);
	/* the checks that found something */
	rc |= xmlTextWriterStartElement(w, X("table")) < 0;
	rc |= attr(w, "id", "checks");
	rc |= xmlTextWriterStartElement(w, X("tr")) < 0;
	rc |= elem(w, "th", "check") | elem(w, "th", "severity") | elem(w, "th", "findings");
	rc |= end(w);
	for (i = 0, n = cf__rules_found(s, order, count); i < n; i++) {
		snprintf(txt, sizeof txt, "%zu", count[i]);
		rc |= xmlTextWriterStartElement(w, X("tr")) < 0;
		rc |= xmlTextWriterStartElement(w, X("td")) < 0;
		rc |= elem(w, "code", order[i]->id);
		rc |= end(w);
		rc |= elem(w, "td", cf__severity_name(cf__rule_severity(s, order[i])));
		rc |= elem(w, "td", txt);
		rc |= end(w);
	}
	rc |= end(w);
	if (rc == 0)
		rc = timeline(w, s);
	if (rc == 0)
		rc = matrix(w, s);
	if (rc == 0)
		rc = findings(w, s);
	rc |= end(w); /* body */
	rc |= end(w); /* html */
	rc |= xmlTextWriterEndDocument(w) < 0;
	return rc < 0 ? rc : rc ? CF_E_OUTPUT : 0;
}

static int
write_html(const struct cf_scan *s, FILE *out)
{
	xmlOutputBufferPtr buf = xmlOutputBufferCreateFile(out, NULL);
	xmlTextWriterPtr w = buf ? xmlNewTextWriter(buf) : NULL;
	int rc;

	if (w == NULL) {
		if (buf)
			xmlOutputBufferClose(buf);
		return CF_E_NOMEM;
	}
	rc = doc(w, s);
	xmlFreeTextWriter(w);
	fputc('\n', out);
	return rc;
}

/* The writer's row (report/writers.c lists it). */
const struct cf__writer cf__html_writer = { CF_FMT_HTML, "html", "html",
	"self-contained HTML with an expiry timeline", write_html };
