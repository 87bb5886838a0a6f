/*
 * check_fleet.c - consistency across nodes: majority, per-node, no
 * majority, --identical/--per-node, missing; on hand-made files.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "private.h"

struct fleet_case {
	const char *name;
	int nodes;
	const char *files; /* "node=identity ..." for one path; identity "-" = invalid */
	const char *identical, *per_node;
	const char *expect; /* "check:node ..." sorted by node then check */
};

static const struct fleet_case cases[] = {
	{ "all equal", 4, "n1=A n2=A n3=A n4=A", NULL, NULL, "" },
	{ "one outlier", 4, "n1=A n2=A n3=B n4=A", NULL, NULL, "mismatch:n3" },
	{ "two outliers, majority", 5, "n1=A n2=B n3=A n4=C n5=A", NULL, NULL,
	    "mismatch:n2 mismatch:n4" },
	{ "per-node certificates", 4, "n1=A n2=B n3=C n4=D", NULL, NULL, "" },
	{ "per-node forced identical", 3, "n1=A n2=B n3=C", "*.crt", NULL,
	    "mismatch:n1 mismatch:n2 mismatch:n3" },
	{ "no majority", 4, "n1=A n2=A n3=B n4=B", NULL, NULL,
	    "mismatch:n1 mismatch:n2 mismatch:n3 mismatch:n4" },
	{ "outlier, per-node glob", 4, "n1=A n2=A n3=B n4=A", NULL, "x.*", "" },
	{ "missing on one", 4, "n1=A n2=A n3=A", NULL, NULL, "missing:n4" },
	{ "missing on half", 4, "n1=A n2=A", NULL, NULL, "" },
	{ "missing, per-node glob still missing", 4, "n1=A n2=B n3=C", NULL, "x.crt",
	    "missing:n4" },
	{ "invalid copy is not a variant", 4, "n1=A n2=A n3=- n4=A", NULL, NULL, "" },
	{ "single node", 1, "n1=A", NULL, NULL, "" },
	{ "two nodes differ", 2, "n1=A n2=B", NULL, NULL, "" },
	{ "two nodes differ, identical", 2, "n1=A n2=B", "x.crt", NULL, "mismatch:n1 mismatch:n2" },
};

static struct cf__facts facts;
static struct cf__member cert_member, invalid_member;
static struct cf__decoded decs[27]; /* 'A'..'Z' by identity letter, and '-' */

static void
add_file(struct cf_scan *s, const char *node, const char *identity)
{
	struct cf__file *f;

	s->files = realloc(s->files, (s->n_files + 1) * sizeof *s->files);
	f = &s->files[s->n_files++];
	memset(f, 0, sizeof *f);
	f->node_ix = (uint32_t)cf__scan_node(s, cf__raw(node));
	f->node = s->nodes[f->node_ix];
	f->path_ix = (uint32_t)cf__strtab_intern(&s->path_tab, "x.crt");
	f->path = s->path_tab.v[f->path_ix];
	if (strcmp(identity, "-") == 0) {
		invalid_member.kind = CF__M_INVALID;
		decs[26] = (struct cf__decoded){ .members = &invalid_member, .n_members = 1 };
		f->dec = &decs[26];
	} else {
		struct cf__decoded *d = &decs[(identity[0] - 'A') % 26];
		cert_member.kind = CF__M_CERT;
		cert_member.facts = &facts;
		d->members = &cert_member;
		d->n_members = d->n_certs = 1;
		memset(d->identity, identity[0], sizeof d->identity);
		f->dec = d;
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(test_fleet)
{
	const struct fleet_case *c = &cases[_i];
	struct cf_scan *s = cf_scan_new();
	char *copy = strdup(c->files), *tok, *save = NULL, node[16], got[512] = "";
	char *items[32];
	size_t i;
	int k;

	facts.subject = "CN=x";
	facts.spki_len = 0;
	memset(facts.sha256_hex, 'a', 64);
	for (k = 1; k <= c->nodes; k++) { /* every node exists, with or without the file */
		snprintf(node, sizeof node, "n%d", k);
		cf__scan_node(s, cf__raw(node));
	}
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		*strchr(tok, '=') = '\0';
		add_file(s, tok, tok + strlen(tok) + 1);
	}
	if (c->identical)
		cf_policy_add_identical(&s->policy, c->identical);
	if (c->per_node)
		cf_policy_add_per_node(&s->policy, c->per_node);
	ck_assert_int_eq(cf__fleet_run(s), 0);
	for (i = 0; i < s->n_findings; i++) {
		char *it = malloc(64);
		snprintf(it, 64, "%s:%s", s->findings[i].rule->id + 9, s->findings[i].node);
		items[i] = it;
	}
	qsort(items, s->n_findings, sizeof *items, cmp_str);
	for (i = 0; i < s->n_findings; i++) {
		if (i)
			strcat(got, " ");
		strcat(got, items[i]);
		free(items[i]);
	}
	ck_assert_msg(
	    strcmp(got, c->expect) == 0, "%s: got '%s', expected '%s'", c->name, got, c->expect);
	free(copy);
	cf_scan_free(s);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("fleet");
	TCase *t = tcase_create("fleet");

	tcase_add_loop_test(t, test_fleet, 0, sizeof cases / sizeof cases[0]);
	suite_add_tcase(su, t);
	return check_run(su, 1);
}
