/*
 * report.h - the report stage: writers read the immutable scan result and
 * write one format each.
 */
#ifndef CERTFLEET_REPORT_H
#define CERTFLEET_REPORT_H

#include "check/check.h"

/* One row of the writer table (writers.c). */
struct cf__writer {
	enum cf_format format;
	const char *name;   /* "junit" */
	const char *option; /* the CLI option without "--", NULL for none */
	const char *help;   /* what the report is, for usage text */
	int (*write)(const struct cf_scan *s, FILE *out);
};
/* The writer of FORMAT, or NULL. */
const struct cf__writer *cf__writer_of(enum cf_format format);

/* Each writer's row is defined in its own file (report_NAME.c) as
 * cf__NAME_writer; report/writers.c lists them. */
/* Append V to B with Prometheus label-value escaping (backslash, double
 * quote; sanitized text has no newline): 0 or CF_E_NOMEM. */
int cf__prom_escape(struct cf__buf *b, const char *v) CF__CHECK;
/* Where file PATH of node NODE_IX was read ("fleet/n01/etc/tls/a.crt",
 * "fleet/n02.tar.gz:etc/tls/a.crt") into B (reset first): 0 or CF_E_NOMEM. */
int cf__file_location(
    const struct cf_scan *s, uint32_t node_ix, const char *path, struct cf__buf *b) CF__CHECK;
/* A stable fingerprint of F (32 lowercase hex digits): the same finding
 * on the same certificate gets the same one in every scan. */
void cf__finding_fingerprint(const struct cf__finding *f, char hex[33]);
/* The decodable certificate files of the scan by logical path, then by
 * content, then by node, and the tls-cert-missing findings by path, then
 * node name: the consistency of a path as reports show it (the variants
 * of a mismatch and the nodes a path is missing on, once per path).
 * FLAGS[path_ix] says whether the path has mismatch or missing findings. */
#define CF__PATH_MISMATCH 1
#define CF__PATH_MISSING 2
struct cf__paths {
	const struct cf__file **v;
	size_t n;
	size_t *first; /* per path_ix: its first file in V, or SIZE_MAX */
	unsigned char *flags;
	const struct cf__finding **miss; /* the missing findings, sorted */
	size_t n_miss;
};
int cf__paths_build(const struct cf_scan *s, struct cf__paths *p) CF__CHECK;
void cf__paths_free(struct cf__paths *p);
/* The missing findings of PATH_IX into *OUT (node name order): how many. */
size_t cf__path_missing(
    const struct cf__paths *p, uint32_t path_ix, const struct cf__finding *const **out);
/* One variant of a path: N copies with the same certificates, F[0..n). */
struct cf__variant {
	const struct cf__file *const *f;
	size_t n;
};
/* The variants of PATH_IX, most common first (*OUT freed by the caller). */
int cf__path_variants(
    const struct cf__paths *p, uint32_t path_ix, struct cf__variant **out, size_t *n) CF__CHECK;
/* The status of one (node, path) that holds a file or a finding: the
 * worst severity of its findings (-1 none) and whether a file is there (a
 * missing or unread one has findings only). */
struct cf__cell {
	const char *node, *path;
	uint32_t node_ix, path_ix;
	int worst; /* enum cf_severity, or -1 */
	int has_file;
	size_t n_findings;
};
/* The cells, a node at a time (nodes by name, a node's by path): FN
 * is called with each node's; its non-zero return stops and is returned.
 * Memory: one node's cells, not the fleet's. */
int cf__cells_by_node(const struct cf_scan *s,
    int (*fn)(void *arg, const struct cf__cell *c, size_t n), void *arg) CF__CHECK;
/* "ok", "warning" or "error" for a cell's WORST. */
const char *cf__cell_status(int worst);
/* The rules that found something, as reports list them: errors first,
 * then warnings, then the rest, each in rule-table order; ORDER and COUNT
 * hold CF__R_COUNT entries. Returns how many. */
size_t cf__rules_found(const struct cf_scan *s, const struct cf__rule **order, size_t *count);
/* Findings sorted for reports: severity desc, then notAfter asc, node, path.
 * Returns a new array of pointers (caller frees) or NULL. */
const struct cf__finding **cf__findings_sorted(const struct cf_scan *s);

#endif
