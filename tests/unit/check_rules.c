/*
 * check_rules.c - the rule table (lib/check/rules.c): every row one
 * findable, described rule in its place, its scope matching what judges
 * it, its documentation there. Iterates the table: no list of ids here.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "private.h"

START_TEST(test_table_complete)
{
	size_t i, k;

	/* the ids are a contract: test-cli holds `certfleet rules` to the
	 * README's table; here every row is one findable, described rule */
	for (i = 0; i < cf__n_rules; i++) {
		const struct cf__rule *r = &cf__rules[i];
		ck_assert_msg(strncmp(r->id, "tls-", 4) == 0, "row %zu: id %s not tls-*", i, r->id);
		ck_assert_msg(cf__rule_find(r->id) == r, "%s: not found as itself", r->id);
		ck_assert_msg(r->description && *r->description, "%s: no description", r->id);
		ck_assert_msg(r->doc && *r->doc, "%s: no doc (the README's text)", r->id);
		ck_assert_msg(cf_rule_doc(i) == r->doc, "%s: cf_rule_doc() is not its doc", r->id);
		for (k = 0; k < i; k++)
			ck_assert_msg(strcmp(cf__rules[k].id, r->id) != 0, "%s: twice", r->id);
	}
	ck_assert_int_eq(cf__rule_find("tls-cert-will-soon-expire")->severity, CF_SEV_WARNING);
	ck_assert_int_eq(cf__rule_find("tls-cert-expired")->severity, CF_SEV_ERROR);
	ck_assert_ptr_null(cf__rule_find("nope"));
}
END_TEST

/* Row I is rule I; a CERT rule has a judging function and a pass, a PAIR
 * or FLEET rule a pass, a FILE rule (raised while decoding) neither, an
 * INPUT rule no judging function (raised while reading, or by a pass over
 * what the inputs held: tls-input-empty); every row has a headline. */
START_TEST(test_table_shape)
{
	const struct cf__rule *r = &cf__rules[_i];

	ck_assert_msg(r->num == (enum cf__rule_id)_i, "row %d holds rule %d", _i, (int)r->num);
	ck_assert_msg(r->headline && *r->headline, "%s: no headline", r->id);
	ck_assert_msg(strncmp(r->id, "tls-", 4) == 0, "%s: id not tls-*", r->id);
	switch (r->scope) {
	case CF__SCOPE_CERT:
		/* judged on the certificate alone by the shared pass, or (chains,
		 * expected names: the node's other files, its name) by a pass
		 * of its own */
		ck_assert_msg((r->cert && r->run == cf__checks_run) ||
		        (!r->cert && r->run && r->run != cf__checks_run),
		    "%s: CERT rule without function or pass", r->id);
		break;
	case CF__SCOPE_PAIR:
	case CF__SCOPE_FLEET:
		ck_assert_msg(!r->cert && r->run, "%s: PAIR/FLEET rule without its pass", r->id);
		break;
	case CF__SCOPE_INPUT:
		ck_assert_msg(!r->cert, "%s: INPUT rule with a judging function", r->id);
		break;
	default: ck_assert_msg(!r->cert && !r->run, "%s: FILE rule with a function", r->id);
	}
}
END_TEST

/* Every message of row I starts with its headline and ": ", then what
 * the pass gave, whether short or longer than any buffer of the model. */
START_TEST(test_headline)
{
	const struct cf__rule *r = &cf__rules[_i];
	struct cf_scan *s = cf_scan_new();
	static char detail[3001];
	char *want;
	size_t k;

	memset(detail, 'x', sizeof detail - 1);
	cf_policy_set_severity(&s->policy, r->id, CF_SEV_ERROR);
	ck_assert_int_eq(
	    cf__finding_add(s, r->num, "n1", "a.crt", 0, 0, NULL, "%s %d", "short", 7), 0);
	ck_assert_int_eq(cf__finding_add(s, r->num, "n1", "a.crt", 0, 0, NULL, "%s", detail), 0);
	ck_assert_uint_eq(s->n_findings, 2);
	for (k = 0; k < 2; k++) {
		ck_assert_int_gt(asprintf(&want, "%s: %s", r->headline, k ? detail : "short 7"), 0);
		ck_assert_msg(strcmp(s->findings[k].message, want) == 0,
		    "%s: message %zu is not its headline, \": \" and its detail", r->id, k);
		free(want);
	}
	cf_scan_free(s);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("rules");
	TCase *t = tcase_create("rules");

	tcase_add_test(t, test_table_complete);
	tcase_add_loop_test(t, test_table_shape, 0, CF__R_COUNT);
	tcase_add_loop_test(t, test_headline, 0, CF__R_COUNT);
	suite_add_tcase(su, t);
	return check_run(su, 1);
}
