/*
 * report_junit.c - JUnit XML through libxml2's xmlTextWriter (it escapes;
 * the text it gets is already valid UTF-8 without control characters).
 * One <testsuite> per node with a <testcase> per certificate file, and one
 * "fleet-consistency" suite with a <testcase> per logical path; a
 * <failure type="CHECK-ID"> per finding at or above --fail-on, the others
 * in the testcase's <system-out>. Valid against reports/junit.xsd.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "private.h"

#define X(s) ((const xmlChar *)(s))

static int
is_fleet(const struct cf__finding *f)
{
	return strcmp(f->rule->id, "tls-cert-mismatch") == 0 ||
	    strcmp(f->rule->id, "tls-cert-missing") == 0;
}

struct tc {
	const char *path;
};

static int
cmp_tc(const void *a, const void *b)
{
	return strcmp(((const struct tc *)a)->path, ((const struct tc *)b)->path);
}

/* The distinct paths of NODE's files and findings (FLEET: logical paths of
 * the fleet suite), sorted; *N gets their count. */
static struct tc *
cases(const struct cf_scan *s, const char *node, int fleet, size_t *n)
{
	struct tc *v = malloc((s->n_files + s->n_findings + 1) * sizeof *v);
	size_t i, k = 0, j;

	if (v == NULL)
		return NULL;
	for (i = 0; i < s->n_files; i++)
		if (fleet ? s->files[i].n_certs > 0 : strcmp(s->files[i].node, node) == 0)
			v[k++].path = s->files[i].path;
	for (i = 0; i < s->n_findings; i++)
		if (is_fleet(&s->findings[i]) == fleet && (fleet || strcmp(s->findings[i].node, node) == 0))
			v[k++].path = s->findings[i].path;
	qsort(v, k, sizeof *v, cmp_tc);
	for (i = j = 0; i < k; i++)
		if (j == 0 || strcmp(v[j - 1].path, v[i].path) != 0)
			v[j++] = v[i];
	*n = j;
	return v;
}

static int
matches(const struct cf__finding *f, const char *node, const char *path, int fleet)
{
	return is_fleet(f) == fleet && strcmp(f->path, path) == 0 &&
	    (fleet || strcmp(f->node, node) == 0);
}

static size_t
count_failures(const struct cf_scan *s, const char *node, const char *path, int fleet)
{
	size_t i, n = 0;

	for (i = 0; i < s->n_findings; i++)
		n += matches(&s->findings[i], node, path, fleet) &&
		    s->findings[i].rule->severity >= s->fail_on;
	return n;
}

static int
testcase(xmlTextWriterPtr w, const struct cf_scan *s, const char *suite, const char *node,
    const char *path, int fleet)
{
	struct cf__buf out = {0};
	size_t i;
	int rc = 0;

	rc |= xmlTextWriterStartElement(w, X("testcase")) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(w, X("classname"), "certfleet.%s", suite) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("name"), X(*path ? path : "(input)")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("time"), X("0")) < 0;
	for (i = 0; i < s->n_findings; i++) {
		const struct cf__finding *f = &s->findings[i];
		if (!matches(f, node, path, fleet))
			continue;
		if (f->rule->severity < s->fail_on) {
			cf__buf_printf(&out, "%s %s %s[%d]: %s\n", cf__severity_name(f->rule->severity),
			    f->rule->id, f->node, f->index, f->message);
			continue;
		}
		rc |= xmlTextWriterStartElement(w, X("failure")) < 0;
		rc |= xmlTextWriterWriteAttribute(w, X("type"), X(f->rule->id)) < 0;
		rc |= xmlTextWriterWriteAttribute(w, X("message"), X(f->message)) < 0;
		rc |= xmlTextWriterWriteFormatString(w, "%s %s on node %s, %s, member %d: %s",
		    cf__severity_name(f->rule->severity), f->rule->id, f->node, f->path, f->index,
		    f->message) < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	if (out.len)
		rc |= xmlTextWriterWriteElement(w, X("system-out"), out.data) < 0;
	cf__buf_free(&out);
	rc |= xmlTextWriterEndElement(w) < 0;
	return rc ? CF_E_OUTPUT : 0;
}

/* Test cases of a suite and how many of them fail; -1 out of memory. */
static int
suite_counts(const struct cf_scan *s, const char *node, int fleet, size_t *tests, size_t *fails)
{
	struct tc *v = cases(s, node, fleet, tests);
	size_t i;

	if (v == NULL)
		return -1;
	for (i = *fails = 0; i < *tests; i++)
		*fails += count_failures(s, node, v[i].path, fleet) > 0;
	free(v);
	return 0;
}

static int
suite(xmlTextWriterPtr w, const struct cf_scan *s, const char *node, int fleet)
{
	const char *name = fleet ? "fleet-consistency" : node;
	size_t n, i, fails = 0;
	struct tc *v = cases(s, node, fleet, &n);
	char now[32];
	int rc = 0;

	if (v == NULL || suite_counts(s, node, fleet, &n, &fails) != 0) {
		free(v);
		return CF_E_NOMEM;
	}
	cf_format_time(s->now, now, sizeof now);
	rc |= xmlTextWriterStartElement(w, X("testsuite")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("name"), X(name)) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(w, X("tests"), "%zu", n) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(w, X("failures"), "%zu", fails) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("errors"), X("0")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("skipped"), X("0")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("time"), X("0")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("timestamp"), X(now)) < 0;
	for (i = 0; i < n && rc == 0; i++)
		rc = testcase(w, s, name, node, v[i].path, fleet);
	rc |= xmlTextWriterEndElement(w) < 0;
	free(v);
	return rc ? CF_E_OUTPUT : 0;
}

static int
doc(xmlTextWriterPtr w, const struct cf_scan *s)
{
	size_t i, failures = 0, tests = 0, t, f;
	int rc = 0;

	if (s->comment) {
		char *c = cf__comment_safe(s->comment);
		rc |= c == NULL || xmlTextWriterWriteFormatComment(w, " %s ", c) < 0;
		free(c);
	} else
		rc |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	for (i = 0; i <= s->n_nodes; i++) {
		if (suite_counts(s, i < s->n_nodes ? s->nodes[i] : "", i == s->n_nodes, &t, &f) != 0)
			return CF_E_NOMEM;
		tests += t;
		failures += f;
	}
	rc |= xmlTextWriterStartElement(w, X("testsuites")) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("name"), X("certfleet")) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(w, X("tests"), "%zu", tests) < 0;
	rc |= xmlTextWriterWriteFormatAttribute(w, X("failures"), "%zu", failures) < 0;
	rc |= xmlTextWriterWriteAttribute(w, X("errors"), X("0")) < 0;
	for (i = 0; i < s->n_nodes && rc == 0; i++)
		rc = suite(w, s, s->nodes[i], 0);
	if (rc == 0)
		rc = suite(w, s, "", 1);
	rc |= xmlTextWriterEndElement(w) < 0;
	rc |= xmlTextWriterEndDocument(w) < 0;
	return rc ? CF_E_OUTPUT : 0;
}

int
cf__report_junit(const struct cf_scan *s, FILE *out)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	int rc;

	if (w == NULL) {
		xmlBufferFree(buf);
		return CF_E_NOMEM;
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, X("  "));
	rc = doc(w, s);
	xmlFreeTextWriter(w);
	if (rc == 0 && fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf), out) !=
	    (size_t)xmlBufferLength(buf))
		rc = CF_E_OUTPUT;
	xmlBufferFree(buf);
	return rc;
}
