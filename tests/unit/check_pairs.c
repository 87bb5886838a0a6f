/*
 * check_pairs.c - key pairing (lib/check/pairs.c) on files made with
 * certfleet-gen's PKI: a key pairs with the first certificate of its own
 * file, or with the certificate of the same folder and stem; a key that is
 * not its certificate's is tls-key-mismatch, at the key. Expectations come
 * from which key signed for which certificate.
 */
#include "made_fleet.h"
#include "check_main.h"

const char MADE_LETTERS[] = "AaBb";
struct gbuf MADE[4];

static void
setup(void)
{
	struct gen g = { "check_pairs", MADE_NOW };
	struct gkey ka, kb;

	ck_assert_int_eq(gkey_make(&g, GK_ED25519, "a", &ka), 0);
	ck_assert_int_eq(gkey_make(&g, GK_ED25519, "b", &kb), 0);
	made_leaf(&g, "a.example", NULL, &ka, &MADE[0]);
	ck_assert_int_eq(gkey_pem(&ka, &MADE[1]), 0);
	made_leaf(&g, "b.example", NULL, &kb, &MADE[2]);
	ck_assert_int_eq(gkey_pem(&kb, &MADE[3]), 0);
	gkey_free(&ka);
	gkey_free(&kb);
}

static void
teardown(void)
{
	for (int i = 0; i < 4; i++)
		gbuf_free(&MADE[i]);
}

static const struct {
	const char *name, *files, *expect;
} cases[] = {
	{ "crt and key of one stem", "n1:etc/server.crt=A n1:etc/server.key=a", "" },
	{ "the key of another certificate", "n1:etc/server.crt=A n1:etc/server.key=b",
	    "key-mismatch:n1:etc/server.key" },
	{ "a combined PEM", "n1:etc/both.pem=Aa", "" },
	{ "a combined PEM with another key", "n1:etc/both.pem=Ab", "key-mismatch:n1:etc/both.pem" },
	{ "cm_cert.pem and cm_key.pem", "n1:etc/cm_cert.pem=B n1:etc/cm_key.pem=a",
	    "key-mismatch:n1:etc/cm_key.pem" },
	{ "fullchain.pem and privkey.pem", "n1:etc/fullchain.pem=B n1:etc/privkey.pem=b", "" },
	{ "tls.crt and tls.key, each node its own",
	    "n1:tls.crt=A n1:tls.key=a n2:tls.crt=B n2:tls.key=a", "key-mismatch:n2:tls.key" },
	{ "another folder does not pair", "n1:etc/a/server.crt=A n1:etc/b/server.key=b", "" },
	{ "a key alone", "n1:etc/server.key=b n1:etc/other.crt=A", "" },
};

START_TEST(test_pairs)
{
	made_expect(cases[_i].name, cases[_i].files, NULL, cf__pairs_run, cases[_i].expect);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("pairs");
	TCase *t = tcase_create("pairs");

	tcase_add_unchecked_fixture(t, setup, teardown);
	tcase_add_loop_test(t, test_pairs, 0, sizeof cases / sizeof cases[0]);
	suite_add_tcase(su, t);
	return check_run(su, 0);
}
