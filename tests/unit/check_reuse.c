/*
 * check_reuse.c - key reuse (lib/check/reuse.c) on certificates made with
 * certfleet-gen's PKI: one key in certificates of different subjects, or
 * in the different certificates a per-node path holds on different nodes,
 * is tls-key-reuse at every holder; the same certificate on many nodes is
 * no reuse. Expectations come from which key each certificate was made
 * with.
 */
#include "made_fleet.h"
#include "check_main.h"

/* A, C: subjects a and c with key A; B: subject b with key B; 1, 2, 3:
 * per-node certificates of n1, n2, n3, all with key A; 4: n4's with key B */
const char MADE_LETTERS[] = "ACB1234";
struct gbuf MADE[7];

static void
setup(void)
{
	struct gen g = { "check_reuse", MADE_NOW };
	struct gkey ka, kb;
	static const char *const cn[] = { "a.example", "c.example", "b.example", "n1.example",
		"n2.example", "n3.example", "n4.example" };

	ck_assert_int_eq(gkey_make(&g, GK_ED25519, "a", &ka), 0);
	ck_assert_int_eq(gkey_make(&g, GK_ED25519, "b", &kb), 0);
	for (int i = 0; i < 7; i++)
		made_leaf(&g, cn[i], NULL, i == 2 || i == 6 ? &kb : &ka, &MADE[i]);
	gkey_free(&ka);
	gkey_free(&kb);
}

static void
teardown(void)
{
	for (int i = 0; i < 7; i++)
		gbuf_free(&MADE[i]);
}

static void
per_node(struct cf_policy *p)
{
	ck_assert_int_eq(cf_policy_add_per_node(p, "node.crt"), 0);
}

static const struct {
	const char *name, *files, *expect;
	void (*setup)(struct cf_policy *p);
} cases[] = {
	{ "one key, two subjects, one node", "n1:a.crt=A n1:c.crt=C",
	    "key-reuse:n1:a.crt key-reuse:n1:c.crt", NULL },
	{ "one key, two subjects, two nodes", "n1:a.crt=A n2:c.crt=C",
	    "key-reuse:n1:a.crt key-reuse:n2:c.crt", NULL },
	{ "two keys", "n1:a.crt=A n1:b.crt=B", "", NULL },
	{ "the same certificate everywhere", "n1:a.crt=A n2:a.crt=A n3:a.crt=A", "", NULL },
	{ "a per-node path, one key on every node", "n1:node.crt=1 n2:node.crt=2 n3:node.crt=3",
	    "key-reuse:n1:node.crt key-reuse:n2:node.crt key-reuse:n3:node.crt", per_node },
	{ "a per-node path, its own key on one node", "n1:node.crt=1 n2:node.crt=2 n4:node.crt=4",
	    "key-reuse:n1:node.crt key-reuse:n2:node.crt", per_node },
	{ "each node's own certificate, without --per-node",
	    "n1:node.crt=1 n2:node.crt=2 n3:node.crt=3",
	    "key-reuse:n1:node.crt key-reuse:n2:node.crt key-reuse:n3:node.crt", NULL },
};

START_TEST(test_reuse)
{
	made_expect(
	    cases[_i].name, cases[_i].files, cases[_i].setup, cf__reuse_run, cases[_i].expect);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("reuse");
	TCase *t = tcase_create("reuse");

	tcase_add_unchecked_fixture(t, setup, teardown);
	tcase_add_loop_test(t, test_reuse, 0, sizeof cases / sizeof cases[0]);
	suite_add_tcase(su, t);
	return check_run(su, 0);
}
