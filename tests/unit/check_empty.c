/*
 * check_empty.c - nodes with nothing audited (lib/check/empty.c): a node
 * in which no certificate was read is tls-input-empty (at the node, path
 * ""), unless the rule is off; a node with one certificate is not.
 */
#include "made_fleet.h"
#include "check_main.h"

const char MADE_LETTERS[] = "Ck";
struct gbuf MADE[2];

static void
setup(void)
{
	struct gen g = { "check_empty", MADE_NOW };
	struct gkey k;

	ck_assert_int_eq(gkey_make(&g, GK_ED25519, "k", &k), 0);
	made_leaf(&g, "a.example", NULL, &k, &MADE[0]);
	ck_assert_int_eq(gkey_pem(&k, &MADE[1]), 0);
	gkey_free(&k);
}

static void
teardown(void)
{
	gbuf_free(&MADE[0]);
	gbuf_free(&MADE[1]);
}

static void
allow_empty(struct cf_policy *p)
{
	ck_assert_int_eq(cf_policy_set_severity(p, "tls-input-empty", CF_SEV_NEVER), 0);
}

static const struct {
	const char *name, *files, *expect;
	void (*setup)(struct cf_policy *p);
} cases[] = {
	{ "a certificate", "n1:a.crt=C", "", NULL },
	{ "a key alone", "n1:a.key=k", "input-empty:n1:", NULL },
	{ "nothing that reads", "n1:notes.txt=", "input-empty:n1:", NULL },
	{ "one of three nodes", "n1:a.crt=C n2:a.key=k n3:a.pem=Ck", "input-empty:n2:", NULL },
	{ "the rule off", "n1:a.key=k", "", allow_empty },
};

START_TEST(test_empty)
{
	made_expect(
	    cases[_i].name, cases[_i].files, cases[_i].setup, cf__empty_run, cases[_i].expect);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("empty");
	TCase *t = tcase_create("empty");

	tcase_add_unchecked_fixture(t, setup, teardown);
	tcase_add_loop_test(t, test_empty, 0, sizeof cases / sizeof cases[0]);
	suite_add_tcase(su, t);
	return check_run(su, 0);
}
