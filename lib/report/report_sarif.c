/*
 * report_sarif.c - SARIF 2.1.0 (OASIS) through jansson: one run, the tool
 * with a rule per row of the rule table (description, help with what to
 * do, default level), a result per finding: ruleId, level from severity,
 * the message, the file's location (uri as given on the command line, or
 * the archive's for an archive entry, the entry in the logical location),
 * the line when known, and partialFingerprints (the finding's stable
 * fingerprint) so code scanning follows a finding across runs. Results
 * come most severe first; past CF__SARIF_MAX_RESULTS (GitHub's limit per
 * run) the rest are cut and a notification says how many. Streamed: one
 * result in memory at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report/report.h"

#define CF__SARIF_MAX_RESULTS 25000

static const char *
level_of(enum cf_severity s)
{
	return s >= CF_SEV_ERROR ? "error" : s >= CF_SEV_WARNING ? "warning" : "note";
}

/* P as a URI reference into B: unreserved characters and '/' kept, every
 * other byte percent-encoded (RFC 3986), NUL-terminated. */
static int
uri_of(const char *p, struct cf__buf *b)
{
	static const char hex[] = "0123456789ABCDEF";

	b->len = 0;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/", c)) {
			if (cf__buf_add(b, p, 1) != 0)
				return CF_E_NOMEM;
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			if (cf__buf_add(b, e, 3) != 0)
				return CF_E_NOMEM;
		}
	}
	return cf__buf_add(b, "", 1) != 0 ? CF_E_NOMEM : 0;
}

static json_t *
rules_json(void)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < cf__n_rules; i++) {
		const struct cf__rule *r = cf__rule_at(i);
		json_array_append_new(a,
		    json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s}, "
		              "s:{s:s}, s:{s:s}}",
		        "id", r->id, "name", r->headline, "shortDescription", "text",
		        r->description, "fullDescription", "text", r->description, "help", "text",
		        r->fix, "defaultConfiguration", "level", level_of(r->severity),
		        "properties", "scope",
		        r->scope == CF__SCOPE_CERT        ? "certificate"
		            : r->scope == CF__SCOPE_FILE  ? "file"
		            : r->scope == CF__SCOPE_PAIR  ? "key pair"
		            : r->scope == CF__SCOPE_FLEET ? "fleet"
		                                          : "input"));
	}
	return a;
}

/* The location of finding F: the file as read (an archive's entry: the
 * archive, with the entry as the logical location). */
static json_t *
location_json(
    const struct cf_scan *s, const struct cf__finding *f, struct cf__buf *loc, struct cf__buf *uri)
{
	const char *l, *colon;
	json_t *phys, *o;
	size_t n;

	if (cf__file_location(s, f->node_ix, f->path, loc) != 0)
		return NULL;
	l = (const char *)loc->data;
	/* inside an archive: "fleet/n02.tar.gz:etc/tls/node.crt" -> the archive */
	colon = s->node_origin && s->node_origin[f->node_ix]
	    ? strrchr(s->node_origin[f->node_ix], ':')
	    : NULL;
	n = colon && colon[1] == '\0' ? strlen(s->node_origin[f->node_ix]) - 1 : strlen(l);
	((char *)loc->data)[n] = '\0';
	if (uri_of(*l ? l : ".", uri) != 0)
		return NULL;
	phys = json_pack("{s:{s:s}}", "artifactLocation", "uri", (const char *)uri->data);
	if (phys && *l != '/')
		json_object_set_new(json_object_get(phys, "artifactLocation"), "uriBaseId",
		    json_string("%SRCROOT%"));
	if (phys && f->line > 0)
		json_object_set_new(phys, "region", json_pack("{s:i}", "startLine", f->line));
	o = json_pack("{s:o*}", "physicalLocation", phys);
	if (o)
		json_object_set_new(o, "logicalLocations",
		    json_pack("[{s:s, s:s}]", "fullyQualifiedName", f->path, "kind", "resource"));
	return o;
}

static json_t *
result_json(const struct cf_scan *s, const struct cf__finding *f, struct cf__buf *loc,
    struct cf__buf *uri, struct cf__buf *msg)
{
	char fp[33];
	json_t *r, *props;

	cf__finding_fingerprint(f, fp);
	msg->len = 0;
	if (cf__buf_printf(msg, "%s on node %s: %s: %s", f->rule->id, f->node,
	        *f->path ? f->path : "(input)", f->message) != 0)
		return NULL;
	props = json_pack("{s:s, s:s, s:i}", "node", f->node, "path", f->path, "member", f->index);
	if (props && f->facts && f->facts->subject) {
		char t[32];
		cf_format_time(f->facts->not_after, t, sizeof t);
		json_object_set_new(props, "subject", json_string(f->facts->subject));
		json_object_set_new(props, "sha256", json_string(f->facts->sha256_hex));
		json_object_set_new(props, "notAfter", json_string(t));
	}
	r = json_pack("{s:s, s:I, s:s, s:{s:s}, s:[o*], s:{s:s}, s:o*}", "ruleId", f->rule->id,
	    "ruleIndex", (json_int_t)f->rule->num, "level", level_of(f->severity), "message",
	    "text", (const char *)msg->data, "locations", location_json(s, f, loc, uri),
	    "partialFingerprints", "certfleetFinding/v1", fp, "properties", props);
	return r;
}

/* VALUE dumped compactly on its own line, preceded by a comma unless FIRST. */
static int
put(FILE *out, json_t *value, int first)
{
	char *text;

	if (value == NULL)
		return CF_E_NOMEM;
	text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(value);
	if (text == NULL)
		return CF_E_NOMEM;
	fprintf(out, "%s\n        %s", first ? "" : ",", text);
	free(text);
	return 0;
}

static int
write_sarif(const struct cf_scan *s, FILE *out)
{
	const struct cf__finding **v = cf__findings_sorted(s);
	struct cf__buf loc = { 0 }, uri = { 0 }, msg = { 0 };
	size_t i, n = s->n_findings < CF__SARIF_MAX_RESULTS ? s->n_findings : CF__SARIF_MAX_RESULTS;
	json_t *driver;
	char *text = NULL, now[32];
	int rc = 0;

	if (v == NULL)
		return CF_E_NOMEM;
	driver = json_pack("{s:s, s:s, s:s, s:s, s:o}", "name", "certfleet", "fullName",
	    "certfleet: TLS certificate fleet audit", "version", CF_VERSION, "semanticVersion",
	    CF_VERSION, "rules", rules_json());
	if (driver == NULL || (text = json_dumps(driver, JSON_INDENT(2))) == NULL)
		rc = CF_E_NOMEM;
	json_decref(driver);
	cf_format_time(s->policy.now, now, sizeof now);
	if (rc == 0) {
		char *p;
		fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
		      "  \"version\": \"2.1.0\",\n",
		    out);
		if (s->policy.comment) {
			json_t *c = json_string(s->policy.comment);
			char *ct = c ? json_dumps(c, JSON_ENCODE_ANY) : NULL;
			if (ct)
				fprintf(out, "  \"properties\": {\"comment\": %s},\n", ct);
			free(ct);
			json_decref(c);
		}
		fputs("  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": ", out);
		for (p = text; *p; p++) /* the driver, indented in place */
			if (*p == '\n')
				fputs("\n        ", out);
			else
				fputc(*p, out);
		fprintf(out,
		    "\n      },\n      \"properties\": {\"referenceTime\": \"%s\"},\n"
		    "      \"results\": [",
		    now);
	}
	free(text);
	for (i = 0; i < n && rc == 0; i++)
		rc = put(out, result_json(s, v[i], &loc, &uri, &msg), i == 0);
	if (rc == 0) {
		fputs(n ? "\n      ],\n" : "],\n", out);
		fputs("      \"invocations\": [\n        {\"executionSuccessful\": true", out);
		if (n < s->n_findings)
			fprintf(out,
			    ", \"toolExecutionNotifications\": [{\"level\": \"warning\", "
			    "\"message\": {\"text\": \"%zu more results (the least severe) cut at "
			    "%d, "
			    "GitHub's limit per run: see the JSON report\"}}]",
			    s->n_findings - n, CF__SARIF_MAX_RESULTS);
		fputs("}\n      ]\n    }\n  ]\n}\n", out);
	}
	cf__buf_free(&loc);
	cf__buf_free(&uri);
	cf__buf_free(&msg);
	free(v);
	return rc;
}

/* The writer's row (report/writers.c lists it). */
const struct cf__writer cf__sarif_writer = { CF_FMT_SARIF, "sarif", "sarif", "SARIF 2.1.0",
	write_sarif };
