/*
 * check_reports.c - a property test of the report writers: over thousands
 * of random byte strings put into node names, paths, subjects and
 * messages (as the sources and facts sanitize them), the JUnit stays
 * well-formed and valid against reports/junit.xsd, every Markdown table
 * row keeps its header's columns, the JSON parses and gives back the same
 * names and subjects, and each Prometheus line is one sample.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include "check_main.h"
#include "private.h"

#define ROUNDS 400 /* scans; each has 4 nodes x 3 files */

static xmlSchemaPtr schema;
static unsigned seed = 12345;

static unsigned
rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

/* A random string: bytes that break formats, printable text, UTF-8. */
static void
random_bytes(char *buf, size_t cap)
{
	static const char *const bits[] = { "|", "<", ">", "&", "]]>", "`", "\"", "'", "\\", "\n",
		"\t", "\r", "\x01", "\x7f", "\xff", "\xc3\xa9", "\xe2\x82", "*", "_", "[", "](",
		"#", "--", "-->", "<!--", "{", "}", "=", ",", " ", "a", "Z", "0", "<script>",
		"\xef\xbb\xbf" };
	size_t n = 1 + rnd() % 12, i, len = 0;

	for (i = 0; i < n; i++) {
		const char *b = bits[rnd() % (sizeof bits / sizeof bits[0])];
		if (len + strlen(b) + 1 >= cap)
			break;
		memcpy(buf + len, b, strlen(b));
		len += strlen(b);
	}
	buf[len] = '\0';
}

static struct cf__facts *
random_facts(void)
{
	struct cf__facts *f = calloc(1, sizeof *f);
	char raw[200];

	random_bytes(raw, sizeof raw);
	f->subject = cf__sanitize_text(raw, strlen(raw));
	f->issuer = strdup(f->subject);
	f->serial = strdup("01");
	f->key = strdup("Ed25519");
	f->signature = strdup("EdDSA-Ed25519");
	f->sans = strdup("");
	f->eku = strdup("");
	f->not_before = 1780272000 - 86400;
	f->not_after = 1780272000 - (long)(rnd() % 3) * 86400 * 20 + 86400 * 10;
	memset(f->sha256_hex, 'a' + rnd() % 6, 64);
	return f;
}

static void
facts_free(struct cf__facts *f)
{
	free(f->subject);
	free(f->issuer);
	free(f->serial);
	free(f->key);
	free(f->signature);
	free(f->sans);
	free(f->eku);
	free(f);
}

static struct cf__member members[12];
static struct cf__decoded decs[12];

/* A scan of 4 random nodes x 3 random files, each with a certificate. */
static struct cf_scan *
random_scan(struct cf__facts **facts)
{
	struct cf_scan *s = cf_scan_new();
	char node[200], path[200], msg[200], *clean;
	int n, k;

	cf_policy_set_now(&s->policy, 1780272000);
	s->files = calloc(12, sizeof *s->files);
	s->cap_files = 12;
	for (n = 0; n < 4; n++) {
		random_bytes(node, sizeof node);
		for (k = 0; k < 3; k++) {
			struct cf__file *f = &s->files[s->n_files++];
			random_bytes(path, sizeof path);
			clean = cf__sanitize(path, strlen(path));
			f->node_ix = (uint32_t)cf__scan_node(s, cf__raw(node));
			f->node = s->nodes[f->node_ix];
			f->path_ix = (uint32_t)cf__strtab_intern(&s->path_tab, clean);
			f->path = s->path_tab.v[f->path_ix];
			members[n * 3 + k] =
			    (struct cf__member){ .facts = facts[n * 3 + k], .kind = CF__M_CERT };
			decs[n * 3 + k] = (struct cf__decoded){
				.members = &members[n * 3 + k], .n_members = 1, .n_certs = 1
			};
			memcpy(decs[n * 3 + k].identity, facts[n * 3 + k]->sha256_hex, 32);
			f->dec = &decs[n * 3 + k];
			random_bytes(msg, sizeof msg);
			free(clean);
			clean = cf__sanitize_text(msg, strlen(msg));
			cf__finding_add(s, CF__R_CERT_INVALID, f->node, f->path, 0, 1,
			    facts[n * 3 + k], "%s", clean);
			free(clean);
		}
	}
	ck_assert_int_eq(cf_scan_run(s), 0);
	return s;
}

static char *
report(struct cf_scan *s, enum cf_format fmt, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	ck_assert_int_eq(cf_report_write(s, fmt, f), 0);
	fclose(f);
	return buf;
}

/* Cells of a GFM table row: pipes not escaped by an odd run of backslashes. */
static int
cells(const char *line)
{
	int n = 0, bs = 0;

	for (; *line; line++) {
		if (*line == '|' && bs % 2 == 0)
			n++;
		bs = *line == '\\' ? bs + 1 : 0;
	}
	return n;
}

static void
check_markdown(const char *md)
{
	char *copy = strdup(md), *line, *save = NULL;
	int header = -1;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != '|') {
			header = -1;
			continue;
		}
		if (header < 0)
			header = cells(line);
		ck_assert_msg(cells(line) == header, "row '%.300s' has %d pipes, header %d", line,
		    cells(line), header);
	}
	free(copy);
}

static void
check_prom(const char *prom)
{
	char *copy = strdup(prom), *line, *save = NULL;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		/* NAME{labels} VALUE: one space after the closing brace or name */
		ck_assert_msg(strncmp(line, "certfleet_", 10) == 0, "bad line '%s'", line);
		ck_assert_msg(strchr(strrchr(line, '}') ? strrchr(line, '}') : line, ' ') != NULL,
		    "no value in '%s'", line);
	}
	free(copy);
}

START_TEST(test_reports_hold)
{
	struct cf__facts *facts[12];
	xmlSchemaValidCtxtPtr v;
	struct cf_scan *s;
	xmlDocPtr doc;
	json_error_t je;
	json_t *j;
	char *out;
	size_t len;
	int k;

	for (k = 0; k < 12; k++)
		facts[k] = random_facts();
	s = random_scan(facts);
	out = report(s, CF_FMT_JUNIT, &len);
	doc = xmlReadMemory(out, (int)len, "junit.xml", NULL, XML_PARSE_NONET);
	ck_assert_msg(doc != NULL, "round %d: JUnit not well-formed: %.300s", _i, out);
	v = xmlSchemaNewValidCtxt(schema);
	ck_assert_msg(xmlSchemaValidateDoc(v, doc) == 0, "round %d: JUnit not schema-valid", _i);
	xmlSchemaFreeValidCtxt(v);
	xmlFreeDoc(doc);
	free(out);
	out = report(s, CF_FMT_MARKDOWN, &len);
	check_markdown(out);
	free(out);
	out = report(s, CF_FMT_JSON, &len);
	j = json_loadb(out, len, 0, &je);
	ck_assert_msg(j != NULL, "round %d: JSON: %s", _i, je.text);
	ck_assert_int_eq(json_array_size(json_object_get(j, "certificates")), 12);
	/* the text round-trips: what a consumer reads is what the scan holds */
	for (k = 0; k < 12; k++) {
		json_t *c = json_array_get(json_object_get(j, "certificates"), (size_t)k);
		ck_assert_str_eq(json_string_value(json_object_get(c, "node")), s->files[k].node);
		ck_assert_str_eq(json_string_value(json_object_get(c, "path")), s->files[k].path);
		ck_assert_str_eq(
		    json_string_value(json_object_get(c, "subject")), facts[k]->subject);
		ck_assert_int_eq(json_integer_value(json_object_get(c, "index")), 0);
		ck_assert(json_is_false(json_object_get(c, "is_ca")));
	}
	json_decref(j);
	free(out);
	out = report(s, CF_FMT_PROM, &len);
	check_prom(out);
	free(out);
	/* HTML: well-formed (as XML: it is written as XHTML-compatible HTML) */
	out = report(s, CF_FMT_HTML, &len);
	doc = xmlReadMemory(out, (int)len, "r.html", NULL, XML_PARSE_NONET);
	ck_assert_msg(doc != NULL, "round %d: HTML not well-formed: %.300s", _i, out);
	xmlFreeDoc(doc);
	ck_assert_ptr_null(strstr(out, "<script"));
	free(out);
	/* SARIF: JSON, a result per finding, messages round-trip */
	out = report(s, CF_FMT_SARIF, &len);
	j = json_loadb(out, len, 0, &je);
	ck_assert_msg(j != NULL, "round %d: SARIF: %s", _i, je.text);
	{
		json_t *res =
		    json_object_get(json_array_get(json_object_get(j, "runs"), 0), "results");
		ck_assert_uint_eq(json_array_size(res), s->n_findings);
		for (k = 0; k < (int)s->n_findings; k++) {
			json_t *p = json_object_get(json_array_get(res, (size_t)k), "properties");
			ck_assert_ptr_nonnull(json_string_value(json_object_get(p, "node")));
		}
	}
	json_decref(j);
	free(out);
	cf_scan_free(s);
	for (k = 0; k < 12; k++)
		facts_free(facts[k]);
}
END_TEST

/* The writer table: every format a tool offers has a unique option name,
 * a description and a writer that writes something; the terminal summary
 * is written but offered as no option; an unknown format is refused. */
START_TEST(test_writer_table)
{
	struct cf__facts *facts[12];
	const char *name, *help, *seen[16];
	enum cf_format fmt;
	struct cf_scan *s;
	size_t i, k, len;
	char *out;
	FILE *null;

	for (k = 0; k < 12; k++)
		facts[k] = random_facts();
	s = random_scan(facts);
	for (i = 0; (name = cf_report_format(i, &fmt, &help)) != NULL; i++) {
		ck_assert_uint_lt(i, 16);
		ck_assert(*name && help && *help);
		ck_assert_int_ne(fmt, CF_FMT_TEXT);
		for (k = 0; k < i; k++)
			ck_assert_str_ne(seen[k], name);
		seen[i] = name;
		out = report(s, fmt, &len);
		ck_assert_uint_gt(len, 0);
		free(out);
	}
	/* every format the library writes, but the terminal's, has an option:
	 * counted from the formats cf_report_write() knows, not kept by hand */
	for (k = 0, null = fopen("/dev/null", "w");
	     null && cf_report_write(s, (enum cf_format)k, null) != CF_E_USAGE; k++)
		;
	ck_assert_ptr_nonnull(null);
	fclose(null);
	ck_assert_uint_eq(i + 1, k);
	out = report(s, CF_FMT_TEXT, &len);
	ck_assert_uint_gt(len, 0);
	free(out);
	ck_assert_int_eq(cf_report_write(s, (enum cf_format)99, stdout), CF_E_USAGE);
	cf_scan_free(s);
	for (k = 0; k < 12; k++)
		facts_free(facts[k]);
}
END_TEST

/* A fleet over the JUnit writer's 50,000 test cases (13,000 nodes of four
 * clean files, one shared decoded record): each node's passing files
 * become one test case, so GitLab's parser keeps it; under the limit
 * (12,000 nodes of four) every file is a test case. */
static size_t
junit_cases(int nodes, size_t *collapsed)
{
	static struct cf__member m;
	static struct cf__decoded d;
	struct cf__facts *f = random_facts();
	struct cf_scan *s = cf_scan_new();
	char name[32], *out;
	const char *paths[4] = { "etc/tls/a.crt", "etc/tls/b.crt", "etc/tls/c.crt",
		"etc/tls/d.crt" };
	size_t len, n;
	xmlDocPtr doc;
	xmlXPathContextPtr x;
	xmlXPathObjectPtr r;
	int i, k;

	m = (struct cf__member){ .facts = f, .kind = CF__M_CERT };
	d = (struct cf__decoded){ .members = &m, .n_members = 1, .n_certs = 1 };
	memcpy(d.identity, f->sha256_hex, 32);
	f->not_after = 1780272000 + 86400 * 300;
	f->not_before = 1780272000 - 86400;
	f->is_ca = 1; /* no finding: in date, and a CA (no SAN wanted) */
	cf_policy_set_now(&s->policy, 1780272000);
	s->files = calloc((size_t)nodes * 4, sizeof *s->files);
	s->cap_files = (size_t)nodes * 4;
	for (i = 0; i < nodes; i++) {
		snprintf(name, sizeof name, "n%05d", i);
		for (k = 0; k < 4; k++) {
			struct cf__file *fl = &s->files[s->n_files++];
			fl->node_ix = (uint32_t)cf__scan_node(s, cf__raw(name));
			fl->node = s->nodes[fl->node_ix];
			fl->path_ix = (uint32_t)cf__strtab_intern(&s->path_tab, paths[k]);
			fl->path = s->path_tab.v[fl->path_ix];
			fl->dec = &d;
		}
	}
	ck_assert_int_eq(cf_scan_run(s), 0);
	ck_assert_uint_eq(s->n_findings, 0);
	out = report(s, CF_FMT_JUNIT, &len);
	doc = xmlReadMemory(out, (int)len, "junit.xml", NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
	ck_assert_ptr_nonnull(doc);
	x = xmlXPathNewContext(doc);
	r = xmlXPathEvalExpression((const xmlChar *)"count(//testcase)", x);
	n = (size_t)r->floatval;
	xmlXPathFreeObject(r);
	r = xmlXPathEvalExpression(
	    (const xmlChar *)"count(//testcase[@name='(4 files without findings)'])", x);
	*collapsed = (size_t)r->floatval;
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(x);
	xmlFreeDoc(doc);
	free(out);
	cf_scan_free(s);
	facts_free(f);
	return n;
}

START_TEST(test_junit_cap)
{
	size_t collapsed;

	ck_assert_uint_eq(junit_cases(12000, &collapsed), 48000);
	ck_assert_uint_eq(collapsed, 0);
	ck_assert_uint_eq(junit_cases(13000, &collapsed), 13000);
	ck_assert_uint_eq(collapsed, 13000);
}
END_TEST

int
main(void)
{
	const char *xsd = getenv("JUNIT_XSD");
	xmlSchemaParserCtxtPtr pc;
	Suite *su = suite_create("reports");
	TCase *t = tcase_create("property");
	int failed;

	pc = xmlSchemaNewParserCtxt(xsd ? xsd : "reports/junit.xsd");
	schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	if (schema == NULL) {
		fprintf(stderr, "check_reports: cannot read the schema (JUNIT_XSD)\n");
		return EXIT_FAILURE;
	}
	tcase_set_timeout(t, 120);
	tcase_add_loop_test(t, test_reports_hold, 0, ROUNDS);
	tcase_add_test(t, test_writer_table);
	tcase_add_test(t, test_junit_cap);
	suite_add_tcase(su, t);
	failed = check_run(su, 0);
	xmlSchemaFree(schema);
	return failed;
}
