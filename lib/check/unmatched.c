/*
 * unmatched.c - tls-policy-unmatched: a path pattern of the policy (an
 * identical, per-node or expect-name glob) that matched no logical path
 * of the whole scan checks nothing; that is said, not left silent (a
 * glob "server.crt" never matches "etc/tls/server.crt": fnmatch(3) matches
 * the whole path). Severity patterns are checked when set: one that names
 * no rule is a usage error then.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"

/* Does GLOB match the logical path of any file of the scan? */
static int
matches_a_path(const struct cf_scan *s, const char *glob)
{
	size_t i;

	for (i = 0; i < s->n_files; i++)
		if (fnmatch(glob, s->files[i].path, 0) == 0)
			return 1;
	return 0;
}

/* A path whose last component GLOB matches, for the hint: NULL if none. */
static const char *
matches_a_name(const struct cf_scan *s, const char *glob)
{
	size_t i;

	for (i = 0; i < s->n_files; i++) {
		const char *p = s->files[i].path, *b = strrchr(p, '/');
		if (b && fnmatch(glob, b + 1, 0) == 0)
			return p;
	}
	return NULL;
}

/* One finding for the pattern GLOB of SETTING (at the scan's first node:
 * it is the policy's, not a node's), with a hint when GLOB matches the
 * last component of some path. */
static int
say_unmatched(struct cf_scan *s, const char *setting, const char *glob, const char *whole)
{
	const char *near = matches_a_name(s, glob);
	char hint[640] = "";

	if (near)
		snprintf(hint, sizeof hint,
		    " (a pattern matches the whole logical path, such as '%s': "
		    "write '*/%s')",
		    near, glob);
	return cf__finding_add(s, CF__R_POLICY_UNMATCHED, s->nodes[0], "(policy)", 0, 0, NULL,
	    "the %s pattern '%s' matches no logical path of this scan, so it checks nothing%s",
	    setting, whole, hint);
}

int
cf__unmatched_run(struct cf_scan *s)
{
	const struct cf_policy *p = &s->policy;
	char glob[512];
	size_t k;
	int rc = 0;

	if (s->n_nodes == 0 || p->severity[CF__R_POLICY_UNMATCHED] == CF_SEV_NEVER)
		return 0;
	for (k = 0; rc == 0 && k < p->n_identical; k++)
		if (!matches_a_path(s, p->identical[k]))
			rc = say_unmatched(s, "identical", p->identical[k], p->identical[k]);
	for (k = 0; rc == 0 && k < p->n_per_node; k++)
		if (!matches_a_path(s, p->per_node[k]))
			rc = say_unmatched(s, "per-node", p->per_node[k], p->per_node[k]);
	for (k = 0; rc == 0 && k < p->n_expect_names; k++) {
		const char *eq = strchr(p->expect_names[k], '=');
		snprintf(
		    glob, sizeof glob, "%.*s", (int)(eq - p->expect_names[k]), p->expect_names[k]);
		if (!matches_a_path(s, glob))
			rc = say_unmatched(s, "expect-name", glob, p->expect_names[k]);
	}
	return rc;
}
