/*
 * report_json.c - one JSON document through jansson: tool, version, now,
 * summary, certificates[], findings[], skipped[].
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

static json_t *
doc_json(const struct cf_scan *s)
{
	const struct cf__finding **v = cf__findings_sorted(s);
	json_t *certs = json_array(), *finds = json_array(), *skips = json_array(), *root = NULL;
	size_t i, j;

	if (!v || !certs || !finds || !skips)
		goto out;
	for (i = 0; i < s->n_files; i++)
		for (j = 0; j < s->files[i].n_members; j++)
			if (s->files[i].members[j].kind == CF__M_CERT)
				json_array_append_new(certs, cert_json(&s->files[i], &s->files[i].members[j]));
	for (i = 0; i < s->n_findings; i++)
		json_array_append_new(finds, finding_json(v[i]));
	for (i = 0; i < s->n_skips; i++)
		json_array_append_new(skips, json_pack("{s:s, s:s, s:s}", "node", s->skips[i].node,
		    "path", s->skips[i].path, "reason", s->skips[i].reason));
	root = json_pack("{s:s, s:s, s:o, s:I, s:I, s:s, s:o, s:O, s:O, s:O}", "tool", "certfleet",
	    "version", CF_VERSION, "now", time_json(s->now), "soon_seconds", (json_int_t)s->soon,
	    "max_validity_days", (json_int_t)s->max_validity_days, "fail_on",
	    cf__severity_name(s->fail_on), "summary", summary_json(s), "certificates", certs,
	    "findings", finds, "skipped", skips);
	if (root && s->comment) {
		json_t *c = json_object();
		json_object_set_new(c, "generated", json_string(s->comment));
		json_object_update(c, root);
		json_decref(root);
		root = c;
	}
out:
	json_decref(certs);
	json_decref(finds);
	json_decref(skips);
	free(v);
	return root;
}

int
cf__report_json(const struct cf_scan *s, FILE *out)
{
	json_t *root = doc_json(s);
	int rc;

	if (root == NULL)
		return CF_E_NOMEM;
	rc = json_dumpf(root, out, JSON_INDENT(2)) == 0 && fputc('\n', out) != EOF ? 0 : CF_E_OUTPUT;
	json_decref(root);
	return rc;
}
