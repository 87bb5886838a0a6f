/*
 * check_chain.c - the chain pass (lib/check/chain*.c) on crafted chains:
 * certificates made here with certfleet-gen's PKI (gen/pki.c), so each
 * case's expected findings come from how its chains were made. Each case
 * runs at --jobs 1 and 2 (the verdicts made ahead on threads) and must give
 * the same findings.
 */
#include "made_fleet.h"
#include "check_main.h"

#define NOW MADE_NOW
#define JAN26 1767225600 /* 2026-01-01 */
#define JAN27 1798761600 /* 2027-01-01 */
#define JAN28 1830297600 /* 2028-01-01 */
#define JAN36 2082758400 /* 2036-01-01 */

/* The certificates, by the letter a case names them with. */
enum {
	C_ROOT,     /* R: root "Root A" (Ed25519) */
	C_INTER,    /* I: intermediate under R */
	C_LEAF,     /* L: leaf under I */
	C_ROOT_NEW, /* N: another root named "Root A", another key */
	C_LEAF_R,   /* D: leaf issued by R directly */
	C_SELF,     /* S: a self-signed leaf (CA:FALSE) */
	C_ROOT_B,   /* B: root "Root B" */
	C_LEAF_B,   /* E: leaf under B */
	C_LONG,     /* O: leaf under I that outlives it (notAfter 2028) */
	C_EC_ROOT,  /* P: root "EC Root" (P-256: the fast path of a link) */
	C_EC_LEAF1, /* 1, 2, 3: leaves under P */
	C_EC_LEAF2,
	C_EC_LEAF3,
	C_EC_BAD, /* X: a leaf under P whose signature was damaged */
	C_N
};
const char MADE_LETTERS[] = "RILNDSBEOP123X";
struct gbuf MADE[C_N];

static void
make(const struct gen *g, int which, const struct gcert *spec, gnutls_x509_crt_t *crt)
{
	made_cert(g, spec, &MADE[which], crt, which == C_EC_BAD);
}

static void
setup(void)
{
	struct gen g = { "check_chain", NOW };
	struct gkey kr, ki, kl, kn, kb, ks, kp;
	gnutls_x509_crt_t root, inter, root_b, ec_root;
	struct gcert c;

	ck_assert_int_eq(gkey_make(&g, GK_ED25519, "root", &kr), 0);
	ck_assert_int_eq(gkey_make(&g, GK_ED25519, "inter", &ki), 0);
	ck_assert_int_eq(gkey_make(&g, GK_ED25519, "leaf", &kl), 0);
	ck_assert_int_eq(gkey_make(&g, GK_ED25519, "root-new", &kn), 0);
	ck_assert_int_eq(gkey_make(&g, GK_ED25519, "root-b", &kb), 0);
	ck_assert_int_eq(gkey_make(&g, GK_ED25519, "self", &ks), 0);
	ck_assert_int_eq(gkey_make(&g, GK_P256, "ec", &kp), 0);
	c = (struct gcert){ .cn = "Root A",
		.serial_label = "r",
		.not_before = JAN26,
		.not_after = JAN36,
		.is_ca = 1,
		.key = &kr };
	make(&g, C_ROOT, &c, &root);
	c = (struct gcert){ .cn = "Inter A",
		.serial_label = "i",
		.not_before = JAN26,
		.not_after = JAN27,
		.is_ca = 1,
		.key = &ki,
		.issuer = root,
		.issuer_key = &kr };
	make(&g, C_INTER, &c, &inter);
	c = (struct gcert){ .cn = "leaf.example",
		.dns = "leaf.example",
		.serial_label = "l",
		.not_before = JAN26,
		.not_after = JAN27 - 86400,
		.key = &kl,
		.issuer = inter,
		.issuer_key = &ki };
	make(&g, C_LEAF, &c, NULL);
	c = (struct gcert){ .cn = "Root A",
		.serial_label = "n",
		.not_before = JAN26,
		.not_after = JAN36,
		.is_ca = 1,
		.key = &kn };
	make(&g, C_ROOT_NEW, &c, NULL);
	c = (struct gcert){ .cn = "direct.example",
		.dns = "direct.example",
		.serial_label = "d",
		.not_before = JAN26,
		.not_after = JAN27,
		.key = &kl,
		.issuer = root,
		.issuer_key = &kr };
	make(&g, C_LEAF_R, &c, NULL);
	c = (struct gcert){ .cn = "self.example",
		.dns = "self.example",
		.serial_label = "s",
		.not_before = JAN26,
		.not_after = JAN27,
		.key = &ks };
	make(&g, C_SELF, &c, NULL);
	c = (struct gcert){ .cn = "Root B",
		.serial_label = "b",
		.not_before = JAN26,
		.not_after = JAN36,
		.is_ca = 1,
		.key = &kb };
	make(&g, C_ROOT_B, &c, &root_b);
	c = (struct gcert){ .cn = "b.example",
		.dns = "b.example",
		.serial_label = "e",
		.not_before = JAN26,
		.not_after = JAN27,
		.key = &kl,
		.issuer = root_b,
		.issuer_key = &kb };
	make(&g, C_LEAF_B, &c, NULL);
	c = (struct gcert){ .cn = "long.example",
		.dns = "long.example",
		.serial_label = "o",
		.not_before = JAN26,
		.not_after = JAN28,
		.key = &kl,
		.issuer = inter,
		.issuer_key = &ki };
	make(&g, C_LONG, &c, NULL);
	c = (struct gcert){ .cn = "EC Root",
		.serial_label = "p",
		.not_before = JAN26,
		.not_after = JAN36,
		.is_ca = 1,
		.key = &kp };
	make(&g, C_EC_ROOT, &c, &ec_root);
	for (int k = 0; k < 4; k++) {
		char cn[32], serial[8];
		snprintf(cn, sizeof cn, "ec%d.example", k + 1);
		snprintf(serial, sizeof serial, "ec%d", k);
		c = (struct gcert){ .cn = cn,
			.dns = cn,
			.serial_label = serial,
			.not_before = JAN26,
			.not_after = JAN27,
			.key = &kp,
			.issuer = ec_root,
			.issuer_key = &kp };
		make(&g, C_EC_LEAF1 + k, &c, NULL);
	}
	gnutls_x509_crt_deinit(root);
	gnutls_x509_crt_deinit(inter);
	gnutls_x509_crt_deinit(root_b);
	gnutls_x509_crt_deinit(ec_root);
	gkey_free(&kr);
	gkey_free(&ki);
	gkey_free(&kl);
	gkey_free(&kn);
	gkey_free(&kb);
	gkey_free(&ks);
	gkey_free(&kp);
}

static void
teardown(void)
{
	for (int i = 0; i < C_N; i++)
		gbuf_free(&MADE[i]);
}

struct chain_case {
	const char *name;
	/* "NODE:PATH=LETTERS ...": each file the concatenation of the
	 * certificates its letters name, in that order */
	const char *files;
	/* the chain pass's findings, "RULE:NODE:PATH" sorted, RULE without
	 * its "tls-" prefix; SKIP: a "(chains)" skip entry is expected */
	const char *expect;
	int skip;
};

static const struct chain_case cases[] = {
	{ "complete, in one file and the node", "n1:server.pem=LI n1:ca.pem=R", "", 0 },
	{ "the intermediate in another file", "n1:server.pem=L n1:inter.pem=I n1:ca.pem=R", "", 0 },
	{ "missing intermediate", "n1:server.pem=L n1:ca.pem=R", "chain-incomplete:n1:server.pem",
	    0 },
	{ "a bundle out of order", "n1:server.pem=LRI n1:ca.pem=R", "chain-order:n1:server.pem",
	    0 },
	{ "a certificate outside the chain", "n1:server.pem=LIE n1:ca.pem=R",
	    "chain-order:n1:server.pem", 0 },
	{ "CA re-keyed under its name", "n1:server.pem=D n1:ca.pem=N",
	    "chain-bad-signature:n1:server.pem", 0 },
	{ "both roots of the name: the one that signed", "n1:server.pem=D n1:ca.pem=NR", "", 0 },
	{ "a self-signed leaf where a CA is carried", "n1:server.pem=S n1:ca.pem=R",
	    "chain-untrusted:n1:server.pem", 0 },
	{ "a leaf that outlives its issuer", "n1:server.pem=OI n1:ca.pem=R",
	    "chain-outlives-issuer:n1:server.pem", 0 },
	{ "no anchor: not checked, said once", "n1:server.pem=LI n2:server.pem=LI", "", 1 },
	{ "trust split: the minority is told",
	    "n1:server.pem=LI n1:ca.pem=R n2:server.pem=LI n2:ca.pem=R n3:server.pem=LI "
	    "n3:ca.pem=R "
	    "n4:server.pem=E n4:ca.pem=B",
	    "trust-split:n4:server.pem", 0 },
	{ "fast path: alike links, then a damaged one",
	    "n1:s.pem=1 n1:ca.pem=P n2:s.pem=2 n2:ca.pem=P n3:s.pem=3 n3:ca.pem=P n4:s.pem=X "
	    "n4:ca.pem=P",
	    "chain-bad-signature:n4:s.pem", 0 },
};

/* The chain findings of case C at JOBS into GOT, its "(chains)" skips in
 * *SKIPS. */
static void
run_case(const struct chain_case *c, int jobs, char *got, size_t len, int *skips)
{
	made_scan(c->files, jobs, NULL, cf__chains_run, got, len, "(chains)", skips);
}

START_TEST(test_chain)
{
	const struct chain_case *c = &cases[_i];
	char got[1024];
	int jobs, skips;

	for (jobs = 1; jobs <= 2; jobs++) {
		run_case(c, jobs, got, sizeof got, &skips);
		ck_assert_msg(strcmp(got, c->expect) == 0,
		    "%s (--jobs %d): got '%s', expected '%s'", c->name, jobs, got, c->expect);
		ck_assert_msg(skips == c->skip,
		    "%s (--jobs %d): %d skip entries for chains, expected %d", c->name, jobs, skips,
		    c->skip);
	}
}
END_TEST

/* The fast path's own case: the damaged leaf's finding is GnuTLS's, the
 * same whether alike links came first (the class known) or not. */
START_TEST(test_fast_path_order)
{
	static const struct chain_case alone = { "damaged alone", "n4:s.pem=X n4:ca.pem=P",
		"chain-bad-signature:n4:s.pem", 0 };
	char got[256];
	int skips;

	run_case(&alone, 1, got, sizeof got, &skips);
	ck_assert_str_eq(got, alone.expect);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("chain");
	TCase *t = tcase_create("chain");

	tcase_add_unchecked_fixture(t, setup, teardown);
	tcase_add_loop_test(t, test_chain, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(t, test_fast_path_order);
	suite_add_tcase(su, t);
	return check_run(su, 0);
}
