/*
 * report_junit.c - JUnit XML through libxml2's xmlTextWriter (it escapes;
 * the text it gets is already valid UTF-8 without control characters),
 * streamed to the output: nothing of the size of the fleet is built in
 * memory. One <testsuite> per node with a <testcase> per certificate file,
 * and one "fleet-consistency" suite with a <testcase> per logical path; a
 * <failure type="CHECK-ID"> per finding at or above --fail-on, the others
 * in the testcase's <system-out>. Valid against reports/junit.xsd.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "report/report.h"

#define X(s) ((const xmlChar *)(s))

static int
is_fleet(const struct cf__finding *f)
{
	return f->rule->scope == CF__SCOPE_FLEET;
}

/* One suite's test cases (distinct paths, sorted) and its findings sorted
 * by path; paths are interned, so equal paths are equal pointers. */
struct suite {
	const char *name;
	const char **paths;
	size_t n_paths;
	const struct cf__finding **finds;
	size_t n_finds;
};

static int
cmp_path(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
cmp_find(const void *a, const void *b)
{
	const struct cf__finding *x = *(const struct cf__finding *const *)a;
	const struct cf__finding *y = *(const struct cf__finding *const *)b;
	int c = strcmp(x->path, y->path);

	return c ? c : (x < y ? -1 : x > y);      /* stable: scan order */
}

static void
suite_free(struct suite *u)
{
	free(u->paths);
	free(u->finds);
	memset(u, 0, sizeof *u);
}

static int
add_path(struct suite *u, const char *path)
{
	u->paths[u->n_paths++] = path;
	return 0;
}

static int
suite_sort(struct suite *u)
{
	size_t i, j;

	qsort(u->paths, u->n_paths, sizeof *u->paths, cmp_path);
	for (i = j = 0; i < u->n_paths; i++)
		if (j == 0 || u->paths[j - 1] != u->paths[i])
			u->paths[j++] = u->paths[i];
	u->n_paths = j;
	qsort(u->finds, u->n_finds, sizeof *u->finds, cmp_find);
	return 0;
}

/* The suite of node N. */
static int
node_suite(const struct cf_scan *s, size_t n, struct suite *u)
{
	size_t i, nf = s->file_off[n + 1] - s->file_off[n];
	size_t nd = s->finding_off[n + 1] - s->finding_off[n];

	u->name = s->nodes[n];
	u->paths = malloc((nf + nd + 1) * sizeof *u->paths);
	u->finds = malloc((nd + 1) * sizeof *u->finds);
	if (!u->paths || !u->finds)
		return CF_E_NOMEM;
	for (i = s->file_off[n]; i < s->file_off[n + 1]; i++)
		add_path(u, s->files[s->file_order[i]].path);
	for (i = s->finding_off[n]; i < s->finding_off[n + 1]; i++) {
		const struct cf__finding *f = &s->findings[s->finding_order[i]];
		if (!is_fleet(f)) {
			add_path(u, f->path);
			u->finds[u->n_finds++] = f;
		}
	}
	return suite_sort(u);
}

/* The fleet-consistency suite: every logical path of a certificate file. */
static int
fleet_suite(const struct cf_scan *s, struct suite *u)
{
	char *seen = calloc(s->path_tab.n + 1, 1);
	size_t i;

	u->name = "fleet-consistency";
	u->paths = malloc((s->path_tab.n + s->n_findings + 1) * sizeof *u->paths);  /* at most */
	u->finds = malloc((s->n_findings + 1) * sizeof *u->finds);
	if (!seen || !u->paths || !u->finds) {
		free(seen);
		return CF_E_NOMEM;
	}
	for (i = 0; i < s->n_files; i++)
		if (s->files[i].dec->n_certs && !seen[s->files[i].path_ix]) {
			seen[s->files[i].path_ix] = 1;
			add_path(u, s->files[i].path);
		}
	for (i = 0; i < s->n_findings; i++)
		if (is_fleet(&s->findings[i])) {
			add_path(u, s->findings[i].path);
			u->finds[u->n_finds++] = &s->findings[i];
		}
	free(seen);
	return suite_sort(u);
}

static int
get_suite(const struct cf_scan *s, size_t n, struct suite *u)
{
	memset(u, 0, sizeof *u);
	return n < s->n_nodes ? node_suite(s, n, u) : fleet_suite(s, u);
}

/* Failing test cases of U (with a finding at or above --fail-on). */
static size_t
failures(const struct cf_scan *s, const struct suite *u)
{
	const char *counted = NULL;
	size_t i, n = 0;

	for (i = 0; i < u->n_finds; i++)
		if (u->finds[i]->severity >= s->policy.fail_on && u->finds[i]->path != counted) {
			counted = u->finds[i]->path;
			n++;
		}
	return n;
}

static int
testcase(xmlTextWriterPtr w, const struct cf_scan *s, const struct suite *u, const char *classname,
    const char *path, size_t *k)
{
	struct cf__buf out = {0};
	int rc = 0, nomem = 0;

	rc |= xmlTextWriterStartElement(w, X("testcase")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("classname"), X(classname)) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("name"), X(*path ? path : "(input)")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("time"), X("0")) < 0;
	for (; *k < u->n_finds && u->finds[*k]->path == path; (*k)++) {
		const struct cf__finding *f = u->finds[*k];
		if (f->severity < s->policy.fail_on) {
			if (cf__buf_printf(&out, "%s %s %s[%d]: %s\n", cf__severity_name(f->severity),
			    f->rule->id, f->node, f->index, f->message) != 0)
				nomem = 1;
			continue;
		}
		rc |= xmlTextWriterStartElement(w, X("failure")) < 0;
		rc |= xmlTextWriterWriteAttribute(w, X("type"), X(f->rule->id)) < 0;
		rc |= xmlTextWriterWriteAttribute(w, X("message"), X(f->message)) < 0;
		rc |= xmlTextWriterWriteFormatString(w, "%s %s on node %s, %s, member %d: %s",
		    cf__severity_name(f->severity), f->rule->id, f->node, f->path, f->index,
		    f->message) < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	if (out.len)
		rc |= xmlTextWriterWriteElement(w, X("system-out"), out.data) < 0;
	cf__buf_free(&out);
	rc |= xmlTextWriterEndElement(w) < 0;
	return nomem ? CF_E_NOMEM : rc ? CF_E_OUTPUT : 0;
}

static int
write_suite(xmlTextWriterPtr w, const struct cf_scan *s, const struct suite *u)
{
	struct cf__buf classname = {0};
	size_t i, k = 0;
	char now[32];
	int rc = cf__buf_printf(&classname, "certfleet.%s", u->name) ? CF_E_NOMEM : 0;

	cf_format_time(s->policy.now, now, sizeof now);
	rc |= xmlTextWriterStartElement(w, X("testsuite")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("name"), X(u->name)) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(w, X("tests"), "%zu", u->n_paths) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(w, X("failures"), "%zu", failures(s, u)) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("errors"), X("0")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("skipped"), X("0")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("time"), X("0")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("timestamp"), X(now)) < 0;
	for (i = 0; i < u->n_paths && rc == 0; i++)
		rc = testcase(w, s, u, (const char *)classname.data, u->paths[i], &k);
	rc |= xmlTextWriterEndElement(w) < 0;
	cf__buf_free(&classname);
	return rc ? CF_E_OUTPUT : 0;
}

/* Totals for <testsuites>: a first pass over the suites. */
static int
totals(const struct cf_scan *s, size_t *tests, size_t *fails)
{
	struct suite u;
	size_t n;
	int rc = 0;

	*tests = *fails = 0;
	for (n = 0; n <= s->n_nodes && rc == 0; n++) {
		if ((rc = get_suite(s, n, &u)) == 0) {
			*tests += u.n_paths;
			*fails += failures(s, &u);
		}
		suite_free(&u);
	}
	return rc;
}

static int
doc(xmlTextWriterPtr w, const struct cf_scan *s)
{
	size_t n, tests, fails;
	struct suite u;
	int rc;

	if ((rc = totals(s, &tests, &fails)) != 0)
		return rc;
	if (s->comment) {
		/* a processing instruction: unlike a comment, it may hold "--" */
		char *c = cf__pi_safe(s->comment);
		rc |= c == NULL || xmlTextWriterWritePI(w, X("certfleet"), X(c)) < 0;
		free(c);
	} else {
		rc |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	}
	rc |= xmlTextWriterStartElement(w, X("testsuites")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("name"), X("certfleet")) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(w, X("tests"), "%zu", tests) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(w, X("failures"), "%zu", fails) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("errors"), X("0")) < 0;
	for (n = 0; n <= s->n_nodes && rc == 0; n++) {
		if ((rc = get_suite(s, n, &u)) == 0)
			rc = write_suite(w, s, &u);
		suite_free(&u);
	}
	rc |= xmlTextWriterEndElement(w) < 0;
	rc |= xmlTextWriterEndDocument(w) < 0;
	return rc ? CF_E_OUTPUT : 0;
}

int
cf__report_junit(const struct cf_scan *s, FILE *out)
{
	xmlOutputBufferPtr buf = xmlOutputBufferCreateFile(out, NULL);
	xmlTextWriterPtr w = buf ? xmlNewTextWriter(buf) : NULL;
	int rc;

	if (w == NULL) {
		if (buf)
			xmlOutputBufferClose(buf);
		return CF_E_NOMEM;
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, X("  "));
	rc = doc(w, s);
	xmlFreeTextWriter(w);         /* flushes and closes BUF, not OUT */
	return rc;
}
