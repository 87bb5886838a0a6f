/*
 * report_json.c - one JSON document: tool, version, now, summary,
 * certificates[], findings[], skipped[]. Values are encoded by jansson;
 * the document is streamed, one array element at a time, so a report of a
 * million certificates is never built whole in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "private.h"

static json_t *
time_json(int64_t t)
{
	char buf[32];

	return cf_format_time(t, buf, sizeof buf) == 0 ? json_string(buf) : json_null();
}

static json_t *
cert_json(const struct cf__file *f, const struct cf__member *m)
{
	const struct cf__facts *x = m->facts;

	return json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:b, s:s, s:s}",
	    "node", f->node, "path", f->path, "index", m->index, "subject", x->subject,
	    "issuer", x->issuer, "serial", x->serial ? x->serial : "",
	    "not_before", time_json(x->not_before), "not_after", time_json(x->not_after),
	    "sha256", x->sha256_hex, "key", x->key, "signature", x->signature, "is_ca", x->is_ca,
	    "sans", x->sans, "eku", x->eku);
}

static json_t *
finding_json(const struct cf__finding *f)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s}", "check", f->rule->id,
	    "severity", cf__severity_name(f->rule->severity), "node", f->node, "path", f->path,
	    "index", f->index, "line", f->line, "message", f->message);

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
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:s}",
	    "nodes", (json_int_t)s->n_nodes, "files", (json_int_t)s->n_files,
	    "certificates", (json_int_t)cf_scan_cert_count(s),
	    "distinct_certificates", (json_int_t)cf__facts_cache_size(s->cache),
	    "errors", (json_int_t)cf_scan_finding_count(s, CF_SEV_ERROR),
	    "warnings", (json_int_t)(cf_scan_finding_count(s, CF_SEV_WARNING) -
	    cf_scan_finding_count(s, CF_SEV_ERROR)),
	    "skipped", (json_int_t)s->n_skips, "by_check", by,
	    "verdict", cf_scan_exit_status(s) ? "fail" : "pass");
}

/* Write "KEY": VALUE (VALUE consumed), preceded by a comma unless FIRST. */
static int
member(FILE *out, const char *key, json_t *value, int first)
{
	int rc;

	if (value == NULL)
		return CF_E_NOMEM;
	fprintf(out, "%s\n  \"%s\": ", first ? "" : ",", key);
	rc = json_dumpf(value, out, JSON_INDENT(2) | JSON_ENCODE_ANY) == 0 ? 0 : CF_E_OUTPUT;
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
	size_t i, n = 0;
	uint32_t j;
	int rc = 0;

	fputs(",\n  \"certificates\": [", out);
	for (i = 0; i < s->n_files && rc == 0; i++) {
		const struct cf__member *m = cf__members(&s->files[i]);
		for (j = 0; j < s->files[i].dec->n_members && rc == 0; j++)
			if (m[j].kind == CF__M_CERT)
				rc = element(out, cert_json(&s->files[i], &m[j]), n++ == 0);
	}
	fputs(n ? "\n  ]" : "]", out);
	return rc;
}

int
cf__report_json(const struct cf_scan *s, FILE *out)
{
	const struct cf__finding **v = cf__findings_sorted(s);
	size_t i;
	int rc = 0, first = 1;

	if (v == NULL)
		return CF_E_NOMEM;
	fputc('{', out);
	if (s->comment)
		rc = member(out, "generated", json_string(s->comment), first), first = 0;
	rc = rc ? rc : member(out, "tool", json_string("certfleet"), first);
	rc = rc ? rc : member(out, "version", json_string(CF_VERSION), 0);
	rc = rc ? rc : member(out, "now", time_json(s->now), 0);
	rc = rc ? rc : member(out, "soon_seconds", json_integer((json_int_t)s->soon), 0);
	rc = rc ? rc : member(out, "max_validity_days", json_integer((json_int_t)s->max_validity_days), 0);
	rc = rc ? rc : member(out, "fail_on", json_string(cf__severity_name(s->fail_on)), 0);
	rc = rc ? rc : member(out, "summary", summary_json(s), 0);
	rc = rc ? rc : certificates(s, out);
	fputs(",\n  \"findings\": [", out);
	for (i = 0; i < s->n_findings && rc == 0; i++)
		rc = element(out, finding_json(v[i]), i == 0);
	fputs(s->n_findings ? "\n  ],\n  \"skipped\": [" : "],\n  \"skipped\": [", out);
	for (i = 0; i < s->n_skips && rc == 0; i++)
		rc = element(out, json_pack("{s:s, s:s, s:s}", "node", s->skips[i].node,
		    "path", s->skips[i].path, "reason", s->skips[i].reason), i == 0);
	fputs(s->n_skips ? "\n  ]\n}\n" : "]\n}\n", out);
	free(v);
	return rc;
}
