/*
 * check_unmatched.c - policy patterns that match nothing
 * (lib/check/unmatched.c): an identical, per-node or expect-name pattern
 * that matches no logical path of the scan checks nothing, and says so at
 * the first node, path "(policy)"; one that matches is silent. A pattern
 * matches the whole path.
 */
#include "made_fleet.h"
#include "check_main.h"

const char MADE_LETTERS[] = "C";
struct gbuf MADE[1];

static void
setup(void)
{
	struct gen g = { "check_unmatched", MADE_NOW };
	struct gkey k;

	ck_assert_int_eq(gkey_make(&g, GK_ED25519, "k", &k), 0);
	made_leaf(&g, "n1.example", NULL, &k, &MADE[0]);
	gkey_free(&k);
}

static void
teardown(void)
{
	gbuf_free(&MADE[0]);
}

static void
identical_base(struct cf_policy *p)
{
	ck_assert_int_eq(cf_policy_add_identical(p, "server.crt"), 0);
}

static void
identical_whole(struct cf_policy *p)
{
	ck_assert_int_eq(cf_policy_add_identical(p, "etc/tls/*.crt"), 0);
}

static void
per_node_none(struct cf_policy *p)
{
	ck_assert_int_eq(cf_policy_add_per_node(p, "etc/nothing/*"), 0);
}

static void
expect_none(struct cf_policy *p)
{
	ck_assert_int_eq(cf_policy_add_expect_name(p, "*.pem={node}.example"), 0);
}

static void
three(struct cf_policy *p)
{
	identical_base(p);
	per_node_none(p);
	expect_none(p);
}

static const struct {
	const char *name;
	void (*setup)(struct cf_policy *p);
	const char *expect;
} cases[] = {
	{ "no pattern", NULL, "" },
	{ "a last component is not the path", identical_base, "policy-unmatched:n1:(policy)" },
	{ "a glob over the whole path", identical_whole, "" },
	{ "per-node, nothing", per_node_none, "policy-unmatched:n1:(policy)" },
	{ "expect-name, nothing", expect_none, "policy-unmatched:n1:(policy)" },
	{ "three patterns, three findings", three,
	    "policy-unmatched:n1:(policy) policy-unmatched:n1:(policy) "
	    "policy-unmatched:n1:(policy)" },
};

START_TEST(test_unmatched)
{
	made_expect(cases[_i].name, "n1:etc/tls/server.crt=C n2:etc/tls/server.crt=C",
	    cases[_i].setup, cf__unmatched_run, cases[_i].expect);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("unmatched");
	TCase *t = tcase_create("unmatched");

	tcase_add_unchecked_fixture(t, setup, teardown);
	tcase_add_loop_test(t, test_unmatched, 0, sizeof cases / sizeof cases[0]);
	suite_add_tcase(su, t);
	return check_run(su, 0);
}
