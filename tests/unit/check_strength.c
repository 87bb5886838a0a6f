/*
 * check_strength.c - what a certificate is made of (lib/check/strength.c):
 * key and signature strength and the subjectAltName, on hand-made facts.
 */
#include <check.h>

#include "cert_case.h"
#include "check_main.h"

static const struct rule_case cases[] = {
	/* key and signature strength */
	{ "RSA 1024", NOW - DAY, NOW + 90 * DAY, 0, "tls-key-weak", .pk = RSA, .bits = 1024 },
	{ "RSA 2047", NOW - DAY, NOW + 90 * DAY, 0, "tls-key-weak", .pk = RSA, .bits = 2047 },
	{ "DSA 1024 CA", NOW - DAY, NOW + 90 * DAY, 1, "tls-key-weak", .pk = GNUTLS_PK_DSA,
	    .bits = 1024 },
	{ "EC 224", NOW - DAY, NOW + 90 * DAY, 0, "tls-key-weak", .pk = EC, .bits = 224 },
	{ "EC 256", NOW - DAY, NOW + 90 * DAY, 0, "", .pk = EC, .bits = 256 },
	{ "Ed25519", NOW - DAY, NOW + 90 * DAY, 0, "", .pk = GNUTLS_PK_EDDSA_ED25519, .bits = 256 },
	{ "SHA-1 leaf", NOW - DAY, NOW + 90 * DAY, 0, "tls-sig-weak",
	    .sign_hash = GNUTLS_DIG_SHA1 },
	{ "MD5 intermediate", NOW - DAY, NOW + 90 * DAY, 1, "tls-sig-weak",
	    .sign_hash = GNUTLS_DIG_MD5 },
	{ "SHA-1 self-signed root", NOW - DAY, NOW + 900 * DAY, 1, "", .sign_hash = GNUTLS_DIG_SHA1,
	    .self_signed = 1 },
	{ "SHA-1 self-signed leaf", NOW - DAY, NOW + 90 * DAY, 0, "tls-sig-weak",
	    .sign_hash = GNUTLS_DIG_SHA1, .self_signed = 1 },
	{ "no SAN leaf", NOW - DAY, NOW + 90 * DAY, 0, "tls-cert-no-san", .no_san = 1 },
	{ "no SAN CA", NOW - DAY, NOW + 900 * DAY, 1, "", .no_san = 1 },
};

START_TEST(test_strength)
{
	cert_case_check(&cases[_i]);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("strength");
	TCase *t = tcase_create("strength");

	tcase_add_loop_test(t, test_strength, 0, sizeof cases / sizeof cases[0]);
	suite_add_tcase(su, t);
	return check_run(su, 1);
}
