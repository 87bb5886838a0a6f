/*
 * report_junit.c - JUnit XML through libxml2's xmlTextWriter (it escapes;
 * the text it gets is already valid UTF-8 without control characters),
 * streamed to the output, one node's suite in memory at a time.
 *
 * A <testsuite> per node. In it, a <testcase> per finding of that node
 * (its fleet findings too: a mismatch, a missing file, named after the
 * path), and one per certificate or key file without a finding. A test
 * case holds one outcome at most, as the readers that keep only the first
 * (junit-to-ctrf, test-results-parser, action-junit-report) need: an error
 * is a <failure type="CHECK-ID">, a warning is a <skipped> (or a failure,
 * or the test case's <system-out>: --junit-warnings). What is a failure
 * never depends on --fail-on, which sets the exit status only. Names are
 * unique in a suite (GitLab keeps one test case per classname + name);
 * `file` is where the file was read, so annotations land. Over
 * CF__JUNIT_MAX_CASES test cases (GitLab.com parses 500,000 per file and
 * refuses documents of over 250,000 XML objects) the passing files of
 * each node become one test case; findings are never cut. Valid against
 * reports/junit.xsd.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "report/report.h"

#define X(s) ((const xmlChar *)(s))
#define CF__JUNIT_MAX_CASES 50000
#define CF__JUNIT_MESSAGE_MAX 1000 /* bytes of a message attribute */

/* One entry of a node's suite: a finding, or a file without one (F NULL). */
struct entry {
	const char *path;
	const struct cf__finding *f;
	uint32_t node_ix;
};

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	if (!x->f || !y->f)
		return !x->f && y->f ? -1 : x->f && !y->f;
	if (x->f->rule->num != y->f->rule->num)
		return x->f->rule->num < y->f->rule->num ? -1 : 1;
	if (x->f->index != y->f->index)
		return x->f->index < y->f->index ? -1 : 1;
	if (x->f->line != y->f->line)
		return x->f->line < y->f->line ? -1 : 1;
	return x->f < y->f ? -1 : x->f > y->f; /* stable: scan order */
}

struct suite {
	struct entry *e;
	size_t n;
	size_t cases, failures, skipped; /* what is written */
	size_t passing;                  /* files without a finding */
};

static int
is_failure(const struct cf_scan *s, const struct cf__finding *f)
{
	return f->severity >= CF_SEV_ERROR || s->policy.ropts.junit_warnings == CF__JW_FAILURE;
}

static int
is_skipped(const struct cf_scan *s, const struct cf__finding *f)
{
	return f->severity < CF_SEV_ERROR && s->policy.ropts.junit_warnings == CF__JW_SKIPPED;
}

/* The entries of node N, sorted; files that have a finding dropped. */
static int
get_suite(const struct cf_scan *s, size_t n, int collapse, struct suite *u)
{
	size_t nf = s->file_off[n + 1] - s->file_off[n];
	size_t nd = s->finding_off[n + 1] - s->finding_off[n];
	size_t i, j;

	memset(u, 0, sizeof *u);
	if ((u->e = malloc((nf + nd + 1) * sizeof *u->e)) == NULL)
		return CF_E_NOMEM;
	for (i = s->file_off[n]; i < s->file_off[n + 1]; i++)
		u->e[u->n++] = (struct entry){ s->files[s->file_order[i]].path, NULL, (uint32_t)n };
	for (i = s->finding_off[n]; i < s->finding_off[n + 1]; i++) {
		const struct cf__finding *f = &s->findings[s->finding_order[i]];
		u->e[u->n++] = (struct entry){ f->path, f, (uint32_t)n };
	}
	qsort(u->e, u->n, sizeof *u->e, cmp_entry);
	for (i = j = 0; i < u->n; i++) {
		if (!u->e[i].f && i + 1 < u->n && u->e[i + 1].f &&
		    strcmp(u->e[i + 1].path, u->e[i].path) == 0)
			continue; /* the file's findings are its test cases */
		u->e[j++] = u->e[i];
		if (!u->e[i].f)
			u->passing++;
		else if (is_failure(s, u->e[i].f))
			u->failures++;
		else if (is_skipped(s, u->e[i].f))
			u->skipped++;
	}
	u->n = j;
	u->cases = u->n - (collapse && u->passing ? u->passing - 1 : 0);
	return 0;
}

/* TEXT cut to MAX bytes at a character boundary, with "…" (into B). */
static const char *
cut(struct cf__buf *b, const char *text, size_t max)
{
	size_t n = strlen(text);

	if (n <= max)
		return text;
	while (n > max - 3 || ((unsigned char)text[n] & 0xc0) == 0x80)
		n--;
	b->len = 0;
	if (cf__buf_add(b, text, n) != 0 || cf__buf_add(b, "\xe2\x80\xa6", 4) != 0)
		return NULL;
	return (const char *)b->data;
}

/* The name of test case E: the path of a passing file; "PATH [CHECK]",
 * " member N" for a bundle's member, " (K)" when the same again. */
static int
case_name(const struct entry *e, const struct entry *prev, int *dup, struct cf__buf *b)
{
	const char *path = *e->path ? e->path : "(input)";

	b->len = 0;
	if (!e->f)
		return cf__buf_add(b, path, strlen(path) + 1);
	if (prev && prev->f && prev->path == e->path && prev->f->rule == e->f->rule &&
	    prev->f->index == e->f->index)
		(*dup)++;
	else
		*dup = 1;
	if (cf__buf_printf(b, "%s [%s]", path, e->f->rule->id) != 0)
		return CF_E_NOMEM;
	if (e->f->index > 0 && cf__buf_printf(b, " member %d", e->f->index) != 0)
		return CF_E_NOMEM;
	if (*dup > 1 && cf__buf_printf(b, " (%d)", *dup) != 0)
		return CF_E_NOMEM;
	return 0;
}

/* The body of a finding's outcome: every fact, one per line. */
static int
details(const struct cf__finding *f, const char *loc, struct cf__buf *b)
{
	char t[32];
	int rc;

	b->len = 0;
	rc = cf__buf_printf(b, "%s %s on node %s\nfile: %s\n", cf__severity_name(f->severity),
	    f->rule->id, f->node, loc);
	if (rc == 0 && f->index > 0)
		rc = cf__buf_printf(b, "member: %d\n", f->index);
	if (rc == 0 && f->line > 0)
		rc = cf__buf_printf(b, "line: %d\n", f->line);
	if (rc == 0)
		rc = cf__buf_printf(b, "%s\n", f->message);
	if (rc == 0 && f->facts) {
		cf_format_time(f->facts->not_after, t, sizeof t);
		rc = cf__buf_printf(b, "subject: %s\nsha256: %s\nnotAfter: %s\n", f->facts->subject,
		    f->facts->sha256_hex, t);
	}
	return rc;
}

struct writer {
	xmlTextWriterPtr w;
	struct cf__buf name, loc, msg, body, tmp;
};

static int
outcome(struct writer *x, const struct cf_scan *s, const struct cf__finding *f)
{
	const char *m;
	int rc = 0;

	x->msg.len = 0;
	if (cf__buf_printf(&x->msg, "%s: node %s: %s: %s", f->rule->id, f->node,
	        *f->path ? f->path : "(input)", f->message) != 0 ||
	    details(f, (const char *)x->loc.data, &x->body) != 0 ||
	    (m = cut(&x->tmp, (const char *)x->msg.data, CF__JUNIT_MESSAGE_MAX)) == NULL)
		return CF_E_NOMEM;
	if (is_failure(s, f)) {
		rc |= xmlTextWriterStartElement(x->w, X("failure")) < 0;
		rc |= xmlTextWriterWriteAttribute(x->w, X("type"), X(f->rule->id)) < 0;
		rc |= xmlTextWriterWriteAttribute(x->w, X("message"), X(m)) < 0;
		rc |= xmlTextWriterWriteString(x->w, X(x->body.data)) < 0;
		rc |= xmlTextWriterEndElement(x->w) < 0;
	} else if (is_skipped(s, f)) {
		rc |= xmlTextWriterStartElement(x->w, X("skipped")) < 0;
		rc |= xmlTextWriterWriteAttribute(x->w, X("message"), X(m)) < 0;
		rc |= xmlTextWriterWriteString(x->w, X(x->body.data)) < 0;
		rc |= xmlTextWriterEndElement(x->w) < 0;
	} else {
		rc |= xmlTextWriterWriteElement(x->w, X("system-out"), X(x->body.data)) < 0;
	}
	return rc ? CF_E_OUTPUT : 0;
}

static int
write_case(struct writer *x, const struct cf_scan *s, const char *classname, const struct entry *e,
    const char *name)
{
	int rc = 0, r;

	if ((r = cf__file_location(s, e->node_ix, e->path, &x->loc)) != 0)
		return r;
	rc |= xmlTextWriterStartElement(x->w, X("testcase")) < 0;
	rc |= xmlTextWriterWriteAttribute(x->w, X("classname"), X(classname)) < 0;
	rc |= xmlTextWriterWriteAttribute(x->w, X("name"), X(name)) < 0;
	/* a missing file was not read anywhere on this node: no location */
	if (!(e->f && e->f->rule->scope == CF__SCOPE_FLEET &&
	        e->f->rule->num == CF__R_CERT_MISSING) &&
	    *e->path)
		rc |= xmlTextWriterWriteAttribute(x->w, X("file"), X(x->loc.data)) < 0;
	if (e->f && e->f->line > 0)
		rc |= xmlTextWriterWriteFormatAttribute(x->w, X("line"), "%d", e->f->line) < 0;
	rc |= xmlTextWriterWriteAttribute(x->w, X("time"), X("0")) < 0;
	if (rc == 0 && e->f)
		rc = outcome(x, s, e->f);
	rc |= xmlTextWriterEndElement(x->w) < 0;
	return rc < 0 ? rc : rc ? CF_E_OUTPUT : 0;
}

static int
write_suite(
    struct writer *x, const struct cf_scan *s, size_t n, const struct suite *u, int collapse)
{
	struct cf__buf classname = { 0 };
	const struct entry *prev = NULL;
	size_t i;
	char now[32];
	int rc = cf__buf_printf(&classname, "certfleet.%s", s->nodes[n]) ? CF_E_NOMEM : 0, dup = 0;

	cf_format_time(s->policy.now, now, sizeof now);
	rc |= xmlTextWriterStartElement(x->w, X("testsuite")) < 0;
	rc |= xmlTextWriterWriteAttribute(x->w, X("name"), X(s->nodes[n])) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(x->w, X("tests"), "%zu", u->cases) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(x->w, X("failures"), "%zu", u->failures) < 0;
	rc |= xmlTextWriterWriteAttribute(x->w, X("errors"), X("0")) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(x->w, X("skipped"), "%zu", u->skipped) < 0;
	rc |= xmlTextWriterWriteAttribute(x->w, X("time"), X("0")) < 0;
	rc |= xmlTextWriterWriteAttribute(x->w, X("timestamp"), X(now)) < 0;
	for (i = 0; i < u->n && rc == 0; i++) {
		const struct entry *e = &u->e[i];
		if (collapse && !e->f)
			continue;
		if ((rc = case_name(e, prev, &dup, &x->name)) == 0)
			rc = write_case(
			    x, s, (const char *)classname.data, e, (const char *)x->name.data);
		prev = e;
	}
	if (rc == 0 && collapse && u->passing) {
		/* a large fleet: this node's passing files as one test case */
		rc |= xmlTextWriterStartElement(x->w, X("testcase")) < 0;
		rc |= xmlTextWriterWriteAttribute(x->w, X("classname"), X(classname.data)) < 0;
		rc |=
		    xmlTextWriterWriteFormatAttribute(x->w, X("name"), "(%zu %s without findings)",
		        u->passing, cf__plural(u->passing, "file", "files")) < 0;
		rc |= xmlTextWriterWriteAttribute(x->w, X("time"), X("0")) < 0;
		rc |= xmlTextWriterEndElement(x->w) < 0;
	}
	rc |= xmlTextWriterEndElement(x->w) < 0;
	cf__buf_free(&classname);
	return rc < 0 ? rc : rc ? CF_E_OUTPUT : 0;
}

static int
doc(struct writer *x, const struct cf_scan *s)
{
	size_t n, cases = 0, collapsed = 0, fails = 0, skipped = 0;
	struct suite u;
	int rc = 0, collapse;

	/* one pass for the totals of <testsuites>: collapsing a node's passing
	 * files into one test case changes its count of cases only */
	for (n = 0; n < s->n_nodes && rc == 0; n++) {
		if ((rc = get_suite(s, n, 0, &u)) == 0) {
			cases += u.cases;
			collapsed += u.cases - (u.passing ? u.passing - 1 : 0);
			fails += u.failures;
			skipped += u.skipped;
		}
		free(u.e);
	}
	if (rc)
		return rc;
	collapse = cases > CF__JUNIT_MAX_CASES;
	if (collapse)
		cases = collapsed;
	if (s->policy.comment) {
		/* a processing instruction: unlike a comment, it may hold "--" */
		char *c = cf__pi_safe(s->policy.comment);
		rc |= c == NULL || xmlTextWriterWritePI(x->w, X("certfleet"), X(c)) < 0;
		free(c);
	} else {
		rc |= xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL) < 0;
	}
	rc |= xmlTextWriterStartElement(x->w, X("testsuites")) < 0;
	rc |= xmlTextWriterWriteAttribute(x->w, X("name"), X("certfleet")) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(x->w, X("tests"), "%zu", cases) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(x->w, X("failures"), "%zu", fails) < 0;
	rc |= xmlTextWriterWriteAttribute(x->w, X("errors"), X("0")) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(x->w, X("skipped"), "%zu", skipped) < 0;
	for (n = 0; n < s->n_nodes && rc == 0; n++) {
		if ((rc = get_suite(s, n, collapse, &u)) == 0)
			rc = write_suite(x, s, n, &u, collapse);
		free(u.e);
	}
	rc |= xmlTextWriterEndElement(x->w) < 0;
	rc |= xmlTextWriterEndDocument(x->w) < 0;
	return rc < 0 ? rc : rc ? CF_E_OUTPUT : 0;
}

static int
write_junit(const struct cf_scan *s, FILE *out)
{
	xmlOutputBufferPtr buf = xmlOutputBufferCreateFile(out, NULL);
	struct writer x = { .w = buf ? xmlNewTextWriter(buf) : NULL };
	int rc;

	if (x.w == NULL) {
		if (buf)
			xmlOutputBufferClose(buf);
		return CF_E_NOMEM;
	}
	xmlTextWriterSetIndent(x.w, 1);
	xmlTextWriterSetIndentString(x.w, X("  "));
	rc = doc(&x, s);
	xmlFreeTextWriter(x.w); /* flushes and closes BUF, not OUT */
	cf__buf_free(&x.name);
	cf__buf_free(&x.loc);
	cf__buf_free(&x.msg);
	cf__buf_free(&x.body);
	cf__buf_free(&x.tmp);
	return rc;
}

/* The writer's row (report/writers.c lists it). */
const struct cf__writer cf__junit_writer = { CF_FMT_JUNIT, "junit", "junit", "JUnit XML",
	write_junit };
