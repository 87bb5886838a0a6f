/*
 * check_hostnames.c - expected names (lib/check/hostnames.c): with
 * expect_name "*.crt={node}.fleet.example", the leaf at each .crt path must
 * name its node's host in its subjectAltName, matched as RFC 6125 says.
 * The certificates are made here, each with the one DNS name a case
 * gives it, so the expectation is whether that name is the host's.
 */
#include "made_fleet.h"
#include "check_main.h"

/* the DNS name of each certificate */
static const char *const names[] = { "n1.fleet.example", "N1.FLEET.EXAMPLE.", "*.fleet.example",
	"n2.fleet.example", "*.example", "n1.fleet.example.evil", "*1.fleet.example" };
const char MADE_LETTERS[] = "abcdefg";
struct gbuf MADE[7];

static void
setup(void)
{
	struct gen g = { "check_hostnames", MADE_NOW };
	struct gkey k;

	ck_assert_int_eq(gkey_make(&g, GK_ED25519, "k", &k), 0);
	for (int i = 0; i < 7; i++)
		made_leaf(&g, "leaf", names[i], &k, &MADE[i]);
	gkey_free(&k);
}

static void
teardown(void)
{
	for (int i = 0; i < 7; i++)
		gbuf_free(&MADE[i]);
}

static void
expect(struct cf_policy *p)
{
	ck_assert_int_eq(cf_policy_add_expect_name(p, "*.crt={node}.fleet.example"), 0);
}

static const struct {
	const char *name, *files, *expect;
} cases[] = {
	{ "its own name", "n1:server.crt=a", "" },
	{ "regardless of case and a final dot", "n1:server.crt=b", "" },
	{ "a wildcard over the leftmost label", "n1:server.crt=c", "" },
	{ "another node's name", "n1:server.crt=d", "cert-name-mismatch:n1:server.crt" },
	{ "a wildcard of two labels matches nothing", "n1:server.crt=e",
	    "cert-name-mismatch:n1:server.crt" },
	{ "a longer name is another name", "n1:server.crt=f", "cert-name-mismatch:n1:server.crt" },
	{ "a partial-label wildcard is no wildcard", "n1:server.crt=g",
	    "cert-name-mismatch:n1:server.crt" },
	{ "only the paths the glob matches", "n1:server.pem=d", "" },
	{ "each node its own", "n1:server.crt=a n2:server.crt=d n3:server.crt=a",
	    "cert-name-mismatch:n3:server.crt" },
};

START_TEST(test_hostnames)
{
	made_expect(cases[_i].name, cases[_i].files, expect, cf__names_run, cases[_i].expect);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("hostnames");
	TCase *t = tcase_create("hostnames");

	tcase_add_unchecked_fixture(t, setup, teardown);
	tcase_add_loop_test(t, test_hostnames, 0, sizeof cases / sizeof cases[0]);
	suite_add_tcase(su, t);
	return check_run(su, 0);
}
