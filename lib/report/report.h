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
	const char *name;                 /* "junit" */
	const char *option;               /* the CLI option without "--", NULL for none */
	const char *help;                 /* what the report is, for usage text */
	int (*write)(const struct cf_scan *s, FILE *out);
};
/* The writer of FORMAT, or NULL. */
const struct cf__writer *cf__writer_of(enum cf_format format);

int cf__report_text(const struct cf_scan *s, FILE *out);
int cf__report_junit(const struct cf_scan *s, FILE *out);
int cf__report_markdown(const struct cf_scan *s, FILE *out);
int cf__report_json(const struct cf_scan *s, FILE *out);
int cf__report_prom(const struct cf_scan *s, FILE *out);
/* Findings sorted for reports: severity desc, then notAfter asc, node, path.
 * Returns a new array of pointers (caller frees) or NULL. */
const struct cf__finding **cf__findings_sorted(const struct cf_scan *s);

#endif
