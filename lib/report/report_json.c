/*
 * report_json.c - one JSON document: schema_version, tool, version, now,
 * summary, certificates[], findings[], consistency[], skipped[], as
 * reports/certfleet-report.schema.json describes it. Values are encoded by jansson;
 * the document is streamed, one array element at a time, so a report of a
 * million certificates is never built whole in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report/report.h"

/* 2: sans and eku arrays, expires_in_seconds, fingerprint, consistency */
#define CF__JSON_SCHEMA_VERSION 2

static json_t *
time_json(int64_t t)
{
	char buf[32];

	return cf_format_time(t, buf, sizeof buf) == 0 ? json_string(buf) : json_null();
}

/* A JSON string into B. Scan text is valid UTF-8 (sanitized), and a
 * string without a quote, backslash or control character encodes as
 * itself between quotes, which is what jansson writes for it; any other
 * string is encoded by jansson. NULL is null. */
static int
json_text(struct cf__buf *b, const char *v)
{
	const unsigned char *p = (const unsigned char *)v;
	char small[1024], *big = NULL;
	json_t *j;
	size_t n;
	int rc;

	if (v == NULL)
		return cf__buf_add(b, "null", 4);
	while (*p >= 0x20 && *p != '"' && *p != '\\')
		p++;
	if (*p == '\0') {
		n = (size_t)(p - (const unsigned char *)v);
		return cf__buf_add(b, "\"", 1) || cf__buf_add(b, v, n) || cf__buf_add(b, "\"", 1)
		    ? CF_E_NOMEM
		    : 0;
	}
	if ((j = json_string_nocheck(v)) == NULL)
		return CF_E_NOMEM;
	n = json_dumpb(j, small, sizeof small, JSON_ENCODE_ANY);
	if (n > sizeof small && (big = json_dumps(j, JSON_ENCODE_ANY)) != NULL)
		n = strlen(big);
	rc = n == 0 || (n > sizeof small && big == NULL) ? CF_E_NOMEM
	                                                 : cf__buf_add(b, big ? big : small, n);
	free(big);
	json_decref(j);
	return rc;
}

/* ,"KEY": then the text V. */
static int
json_member(struct cf__buf *b, const char *key, const char *v)
{
	return cf__buf_add(b, ",\"", 2) || cf__buf_add(b, key, strlen(key)) ||
	        cf__buf_add(b, "\":", 2) || json_text(b, v)
	    ? CF_E_NOMEM
	    : 0;
}

/* One certificate's object, compact, as jansson would write it (the
 * reports' bytes did not change): written here member by member because
 * building and dumping a 14-key jansson object per certificate cost a
 * tenth of a whole scan of distinct certificates. */
/* ,"sans":[...],"eku":[...] from the typed lists. */
static int
lists_json(struct cf__buf *b, const struct cf__facts *x, struct cf__buf *one)
{
	struct cf__san san;
	const char *eku = x->eku_list;
	size_t pos = 0, i = 0;

	if (cf__buf_add(b, ",\"sans\":[", 9) != 0)
		return CF_E_NOMEM;
	while (cf__san_next(x, &pos, &san)) {
		one->len = 0;
		if ((i++ && cf__buf_add(b, ",", 1) != 0) || cf__san_format(&san, one) != 0 ||
		    cf__buf_add(one, "", 1) != 0 || json_text(b, (const char *)one->data) != 0)
			return CF_E_NOMEM;
	}
	if (cf__buf_add(b, "],\"eku\":[", 9) != 0)
		return CF_E_NOMEM;
	for (i = 0; i < x->n_ekus; i++, eku += strlen(eku) + 1) {
		char *clean = cf__sanitize(cf__eku_name(eku), strlen(cf__eku_name(eku)));
		int rc =
		    clean == NULL || (i && cf__buf_add(b, ",", 1) != 0) || json_text(b, clean) != 0;
		free(clean);
		if (rc)
			return CF_E_NOMEM;
	}
	return cf__buf_add(b, "]", 1) != 0 ? CF_E_NOMEM : 0;
}

static int
cert_json(struct cf__buf *b, const struct cf__file *f, const struct cf__member *m, int64_t now,
    struct cf__buf *one)
{
	const struct cf__facts *x = m->facts;
	char nb[32], na[32];

	b->len = 0;
	return cf__buf_add(b, "{\"node\":", 8) || json_text(b, f->node) ||
	        json_member(b, "path", f->path) ||
	        cf__buf_printf(b, ",\"index\":%u", (unsigned)m->index) ||
	        json_member(b, "subject", x->subject) || json_member(b, "issuer", x->issuer) ||
	        json_member(b, "serial", x->serial ? x->serial : "") ||
	        json_member(
	            b, "not_before", cf_format_time(x->not_before, nb, sizeof nb) ? NULL : nb) ||
	        json_member(
	            b, "not_after", cf_format_time(x->not_after, na, sizeof na) ? NULL : na) ||
	        json_member(b, "sha256", x->sha256_hex) || json_member(b, "key", x->key) ||
	        json_member(b, "signature", x->signature) ||
	        cf__buf_add(
	            b, x->is_ca ? ",\"is_ca\":true" : ",\"is_ca\":false", x->is_ca ? 13 : 14) ||
	        cf__buf_printf(
	            b, ",\"expires_in_seconds\":%lld", (long long)(x->not_after - now)) ||
	        lists_json(b, x, one) || cf__buf_add(b, "}", 1)
	    ? CF_E_NOMEM
	    : 0;
}

static json_t *
finding_json(const struct cf__finding *f)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s}", "check", f->rule->id,
	    "severity", cf__severity_name(f->severity), "node", f->node, "path", f->path, "index",
	    f->index, "line", f->line, "message", f->message);

	char fp[33];

	cf__finding_fingerprint(f, fp);
	if (o)
		json_object_set_new(o, "fingerprint", json_string(fp));
	if (o && f->facts && f->facts->subject) {
		json_object_set_new(o, "subject", json_string(f->facts->subject));
		json_object_set_new(o, "sha256", json_string(f->facts->sha256_hex));
		json_object_set_new(o, "not_after", time_json(f->facts->not_after));
	}
	return o;
}

static json_t *
summary_json(const struct cf_scan *s)
{
	json_t *by = json_object();
	size_t i, j, n;

	for (i = 0; by && i < cf__n_rules; i++) {
		const struct cf__rule *r = cf__rule_at(i);
		for (j = n = 0; j < s->n_findings; j++)
			n += s->findings[j].rule == r;
		json_object_set_new(by, r->id, json_integer((json_int_t)n));
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:s}", "nodes",
	    (json_int_t)s->n_nodes, "files", (json_int_t)s->n_files, "certificates",
	    (json_int_t)cf_scan_cert_count(s), "distinct_certificates",
	    (json_int_t)cf__facts_cache_size(s->cache), "errors",
	    (json_int_t)cf_scan_finding_count(s, CF_SEV_ERROR), "warnings",
	    (json_int_t)(cf_scan_finding_count(s, CF_SEV_WARNING) -
	        cf_scan_finding_count(s, CF_SEV_ERROR)),
	    "skipped", (json_int_t)s->n_skips, "by_check", by, "verdict",
	    cf_scan_exit_status(s) ? "fail" : "pass");
}

/* Write "KEY": VALUE (VALUE consumed), preceded by a comma unless FIRST. */
static int
member(FILE *out, const char *key, json_t *value, int first)
{
	char *text, *p;
	int rc = 0;

	if (value == NULL)
		return CF_E_NOMEM;
	fprintf(out, "%s\n  \"%s\": ", first ? "" : ",", key);
	/* indented as a member: every line of the value two columns in */
	if ((text = json_dumps(value, JSON_INDENT(2) | JSON_ENCODE_ANY)) == NULL)
		rc = CF_E_NOMEM;
	for (p = text; p && *p; p++)
		if (*p == '\n')
			fputs("\n  ", out);
		else
			fputc(*p, out);
	free(text);
	json_decref(value);
	return rc;
}

/* One array element on its own line (VALUE consumed). jansson encodes it
 * into a buffer, written at once: json_dumpf() writes piece by piece. */
static int
element(FILE *out, json_t *value, int first)
{
	char small[4096], *big = NULL;
	size_t n;
	int rc = 0;

	if (value == NULL)
		return CF_E_NOMEM;
	fputs(first ? "\n    " : ",\n    ", out);
	if ((n = json_dumpb(value, small, sizeof small, JSON_COMPACT)) == 0)
		rc = CF_E_NOMEM;
	else if (n <= sizeof small)
		fwrite(small, 1, n, out);
	else if ((big = json_dumps(value, JSON_COMPACT)) != NULL)
		fputs(big, out);
	else
		rc = CF_E_NOMEM;
	free(big);
	json_decref(value);
	return rc;
}

static int
certificates(const struct cf_scan *s, FILE *out)
{
	struct cf__buf b = { 0 }, one = { 0 };
	size_t i, n = 0;
	uint32_t j;
	int rc = 0;

	fputs(",\n  \"certificates\": [", out);
	for (i = 0; i < s->n_files && rc == 0; i++) {
		const struct cf__member *m = cf__members(&s->files[i]);
		for (j = 0; j < s->files[i].dec->n_members && rc == 0; j++) {
			if (m[j].kind != CF__M_CERT ||
			    (rc = cert_json(&b, &s->files[i], &m[j], s->policy.now, &one)) != 0)
				continue;
			fputs(n++ == 0 ? "\n    " : ",\n    ", out);
			fwrite(b.data, 1, b.len, out);
		}
	}
	cf__buf_free(&b);
	cf__buf_free(&one);
	fputs(n ? "\n  ]" : "]", out);
	return rc;
}

/* One path with a mismatch or missing finding: its variants (each
 * distinct content once, with every node that carries it) and the nodes
 * it is missing on. */
static json_t *
path_json(const struct cf_scan *s, const struct cf__paths *p, uint32_t pix)
{
	const struct cf__finding *const *miss_v;
	size_t n_miss = cf__path_missing(p, pix, &miss_v);
	json_t *o = json_object(), *vars = json_array(), *miss = json_array();
	struct cf__variant *g = NULL;
	size_t i, k, ng = 0;

	if (o == NULL || vars == NULL || miss == NULL || cf__path_variants(p, pix, &g, &ng) != 0) {
		json_decref(o);
		json_decref(vars);
		json_decref(miss);
		return NULL;
	}
	for (i = 0; i < ng; i++) {
		json_t *nodes = json_array();
		for (k = 0; nodes && k < g[i].n; k++)
			json_array_append_new(nodes, json_string(g[i].f[k]->node));
		json_array_append_new(vars,
		    json_pack("{s:s, s:I, s:I, s:o*}", "sha256",
		        cf__first_cert(g[i].f[0])->facts->sha256_hex, "certificates",
		        (json_int_t)g[i].f[0]->dec->n_certs, "count", (json_int_t)g[i].n, "nodes",
		        nodes));
	}
	for (i = 0; i < n_miss; i++)
		json_array_append_new(miss, json_string(miss_v[i]->node));
	json_object_set_new(o, "path", json_string(s->path_tab.v[pix]));
	json_object_set_new(o, "mismatch", json_boolean(p->flags[pix] & CF__PATH_MISMATCH));
	json_object_set_new(o, "variants", vars);
	json_object_set_new(o, "missing_on", miss);
	free(g);
	return o;
}

/* Each path with a mismatch or missing finding, once, in path order. */
static int
consistency(const struct cf_scan *s, FILE *out)
{
	struct cf__paths p;
	size_t i, written = 0;
	int rc;

	if ((rc = cf__paths_build(s, &p)) != 0)
		return rc;
	fputs(",\n  \"consistency\": [", out);
	for (i = 0; rc == 0 && i < s->path_tab.n; i++)
		if (p.flags[i])
			rc = element(out, path_json(s, &p, (uint32_t)i), written++ == 0);
	fputs(written ? "\n  ]" : "]", out);
	cf__paths_free(&p);
	return rc;
}

static int
write_json(const struct cf_scan *s, FILE *out)
{
	const struct cf__finding **v = cf__findings_sorted(s);
	size_t i;
	int rc = 0, first = 1;

	if (v == NULL)
		return CF_E_NOMEM;
	fputc('{', out);
	if (s->policy.comment)
		rc = member(out, "generated", json_string(s->policy.comment), first), first = 0;
	rc = rc ? rc : member(out, "schema_version", json_integer(CF__JSON_SCHEMA_VERSION), first);
	rc = rc ? rc : member(out, "tool", json_string("certfleet"), 0);
	rc = rc ? rc : member(out, "version", json_string(CF_VERSION), 0);
	rc = rc ? rc : member(out, "now", time_json(s->policy.now), 0);
	rc = rc ? rc : member(out, "soon_seconds", json_integer((json_int_t)s->policy.soon), 0);
	rc = rc ? rc
	        : member(out, "max_validity_days",
	              json_integer((json_int_t)s->policy.max_validity_days), 0);
	rc = rc ? rc : member(out, "fail_on", json_string(cf__severity_name(s->policy.fail_on)), 0);
	rc = rc ? rc : member(out, "summary", summary_json(s), 0);
	rc = rc ? rc : certificates(s, out);
	fputs(",\n  \"findings\": [", out);
	for (i = 0; i < s->n_findings && rc == 0; i++)
		rc = element(out, finding_json(v[i]), i == 0);
	fputs(s->n_findings ? "\n  ]" : "]", out);
	rc = rc ? rc : consistency(s, out);
	fputs(",\n  \"skipped\": [", out);
	for (i = 0; i < s->n_skips && rc == 0; i++)
		rc = element(out,
		    json_pack("{s:s, s:s, s:s}", "node", s->skips[i].node, "path", s->skips[i].path,
		        "reason", s->skips[i].reason),
		    i == 0);
	fputs(s->n_skips ? "\n  ]\n}\n" : "]\n}\n", out);
	free(v);
	return rc;
}

/* The writer's row (report/writers.c lists it). */
const struct cf__writer cf__json_writer = { CF_FMT_JSON, "json", "json", "JSON", write_json };
