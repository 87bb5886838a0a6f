/*
 * options.c - the report options: how a report is written, not what the
 * scan judges (that is the policy). One table; the command line offers
 * its rows as options through cf_report_option().
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

struct ropt {
	const char *name, *arg, *help;
	int (*set)(struct cf_scan *s, const char *name, const char *value);
};

static int
bad(struct cf_scan *s, const char *name, const char *value, const char *want)
{
	return cf__set_error(s, CF_E_USAGE, "invalid value for --%s: '%s': %s", name, value, want);
}

static int
set_junit_warnings(struct cf_scan *s, const char *name, const char *v)
{
	if (strcmp(v, "failure") == 0)
		s->ropts.junit_warnings = CF__JW_FAILURE;
	else if (strcmp(v, "skipped") == 0)
		s->ropts.junit_warnings = CF__JW_SKIPPED;
	else if (strcmp(v, "output") == 0)
		s->ropts.junit_warnings = CF__JW_OUTPUT;
	else
		return bad(s, name, v, "give failure, skipped or output");
	return 0;
}

static const struct ropt ropts[] = {
	{ "junit-warnings", "failure|skipped|output", "the element a warning is in JUnit "
	    "(default skipped: listed, not failed)", set_junit_warnings },
};

const char *
cf_report_option(size_t i, const char **arg, const char **help)
{
	if (i >= sizeof ropts / sizeof ropts[0])
		return NULL;
	if (arg)
		*arg = ropts[i].arg;
	if (help)
		*help = ropts[i].help;
	return ropts[i].name;
}

int
cf_scan_set_report_option(struct cf_scan *s, const char *name, const char *value)
{
	size_t i;

	if (name == NULL || value == NULL)
		return cf__set_error(s, CF_E_USAGE, "cf_scan_set_report_option: no name or no value");
	for (i = 0; i < sizeof ropts / sizeof ropts[0]; i++)
		if (strcmp(ropts[i].name, name) == 0)
			return ropts[i].set(s, name, value);
	return cf__set_error(s, CF_E_USAGE, "no report option '%s'", name);
}
