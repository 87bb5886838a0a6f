/*
 * check_pem.c - the strict PEM reader and the DER shape check, table-driven.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "private.h"

/* A short valid certificate body is not needed: the PEM layer only decodes
 * base64 and checks the DER shape, so a tiny DER SEQUENCE will do. */
#define BODY "MAYCAQECAQI=" /* 30 06 02 01 01 02 01 02 */
#define B "-----BEGIN CERTIFICATE-----\n"
#define E "-----END CERTIFICATE-----\n"

struct pem_case {
	const char *name, *text;
	size_t blocks;     /* blocks found */
	const char *error; /* substring of block 0's or the file's error, or NULL */
	int error_line;    /* line in that error ("line N:"), 0 when none */
	unsigned lax;
};

static const struct pem_case pem_cases[] = {
	{ .name = "canonical", .text = B BODY "\n" E, .blocks = 1 },
	{ .name = "crlf",
	    .text = "-----BEGIN CERTIFICATE-----\r\n" BODY "\r\n-----END CERTIFICATE-----\r\n",
	    .blocks = 1 },
	{ .name = "cr only",
	    .text = "-----BEGIN CERTIFICATE-----\r" BODY "\r-----END CERTIFICATE-----\r",
	    .blocks = 1,
	    .lax = CF__LAX_CR_ONLY },
	{ .name = "preamble", .text = "subject=CN = x\n\n" B BODY "\n" E, .blocks = 1 },
	{ .name = "bom", .text = "\xef\xbb\xbf" B BODY "\n" E, .blocks = 1 },
	{ .name = "blanks around body", .text = B "  \t" BODY " \t\n" E, .blocks = 1 },
	{ .name = "split body", .text = B "MAYC\nAQEC\nAQI=\n" E, .blocks = 1 },
	{ .name = "trailing text",
	    .text = B BODY "\n" E "junk\n",
	    .blocks = 1,
	    .lax = CF__LAX_TRAILING },
	{ .name = "text between blocks",
	    .text = B BODY "\n" E "text\n" B BODY "\n" E,
	    .blocks = 2 },
	{ .name = "legacy label",
	    .text = "-----BEGIN X509 CERTIFICATE-----\n" BODY "\n-----END X509 CERTIFICATE-----\n",
	    .blocks = 1,
	    .lax = CF__LAX_LEGACY_LABEL },
	{ .name = "empty file", .text = "", .blocks = 0, .error = "empty file" },
	{ .name = "no block", .text = "hello\n", .blocks = 0, .error = "no PEM BEGIN" },
	{ .name = "missing end",
	    .text = B BODY "\n",
	    .blocks = 1,
	    .error = "missing END",
	    .error_line = 1 },
	{ .name = "end label differs",
	    .text = B BODY "\n-----END X509 CRL-----\n",
	    .blocks = 1,
	    .error = "END label does not match",
	    .error_line = 3 },
	{ .name = "end few dashes",
	    .text = B BODY "\n----END CERTIFICATE-----\n",
	    .blocks = 1,
	    .error = "malformed END",
	    .error_line = 3 },
	{ .name = "end junk",
	    .text = B BODY "\n-----END CERTIFICATE-----x\n",
	    .blocks = 1,
	    .error = "malformed END",
	    .error_line = 3 },
	{ .name = "begin few dashes",
	    .text = "----BEGIN CERTIFICATE-----\n" BODY "\n" E,
	    .blocks = 1,
	    .error = "malformed BEGIN",
	    .error_line = 1 },
	{ .name = "blank line",
	    .text = B "MAYC\n\nAQECAQI=\n" E,
	    .blocks = 1,
	    .error = "blank line",
	    .error_line = 3 },
	{ .name = "header",
	    .text = B "Proc-Type: 4,ENCRYPTED\n" BODY "\n" E,
	    .blocks = 1,
	    .error = "RFC 1421",
	    .error_line = 2 },
	{ .name = "bad char",
	    .text = B "MAYC*QECAQI=\n" E,
	    .blocks = 1,
	    .error = "0x2a at column 5",
	    .error_line = 2 },
	{ .name = "missing padding",
	    .text = B "MAYCAQECAQI\n" E,
	    .blocks = 1,
	    .error = "multiple of 4",
	    .error_line = 1 },
	{ .name = "extra padding",
	    .text = B "MAYCAQECAQI=====\n" E,
	    .blocks = 1,
	    .error = "too much",
	    .error_line = 1 },
	{ .name = "early padding",
	    .text = B "MA==AQECAQI=\n" E,
	    .blocks = 1,
	    .error = "before the end",
	    .error_line = 1 },
	{ .name = "misaligned padding",
	    .text = B "MAYCAQECAQJ=\n" E,
	    .blocks = 1,
	    .error = "misaligned",
	    .error_line = 1 },
	{ .name = "empty body", .text = B E, .blocks = 1, .error = "empty body", .error_line = 1 },
	{ .name = "bad DER inside",
	    .text = B "MAcCAQECAQI=\n" E,
	    .blocks = 1,
	    .error = "invalid DER",
	    .error_line = 1 },
};

static const char *
error_of(const struct cf__pem *pem)
{
	return pem->error ? pem->error : pem->n ? pem->blocks[0].error : NULL;
}

START_TEST(test_pem_table)
{
	const struct pem_case *c = &pem_cases[_i];
	struct cf__pem pem;
	const char *err;
	char where[32];

	ck_assert_int_eq(cf__pem_parse((const unsigned char *)c->text, strlen(c->text), &pem), 0);
	ck_assert_msg(
	    pem.n == c->blocks, "%s: %zu blocks, expected %zu", c->name, pem.n, c->blocks);
	err = error_of(&pem);
	if (c->error == NULL) {
		ck_assert_msg(err == NULL, "%s: unexpected error '%s'", c->name, err);
		ck_assert_msg(pem.blocks[0].der_len == 8 &&
		        memcmp(pem.blocks[0].der, "\x30\x06\x02\x01\x01\x02\x01\x02", 8) == 0,
		    "%s: wrong DER", c->name);
	} else {
		ck_assert_msg(err && strstr(err, c->error), "%s: error '%s', expected '%s'",
		    c->name, err ? err : "(none)", c->error);
		if (c->error_line) {
			snprintf(where, sizeof where, "line %d:", c->error_line);
			ck_assert_msg(strncmp(err, where, strlen(where)) == 0, "%s: '%s' not at %s",
			    c->name, err, where);
		}
	}
	ck_assert_msg(pem.lax == c->lax, "%s: lax %u, expected %u", c->name, pem.lax, c->lax);
	cf__pem_free(&pem);
}
END_TEST

struct der_case {
	const char *name;
	const char *bytes;
	size_t len;
	const char *error; /* substring, or NULL for valid */
};

#define D(s) s, sizeof(s) - 1
static const struct der_case der_cases[] = {
	{ "minimal", D("\x30\x03\x02\x01\x05"), NULL },
	{ "nested", D("\x30\x05\x30\x03\x02\x01\x05"), NULL },
	{ "long form",
	    D("\x30\x81\x80"
	      "\x04\x7e"
	      "012345678901234567890123456789012345678901234567890123456789"
	      "012345678901234567890123456789012345678901234567890123456789"
	      "012345"),
	    NULL },
	{ "empty", "", 0, "no data" },
	{ "wrong tag", D("\x31\x03\x02\x01\x05"), "not a SEQUENCE" },
	{ "trailing", D("\x30\x03\x02\x01\x05\x00"), "trailing bytes" },
	{ "truncated", D("\x30\x04\x02\x01\x05"), "truncated" },
	{ "inner truncated", D("\x30\x03\x02\x02\x05"), "truncated" },
	{ "indefinite", D("\x30\x80\x02\x01\x05\x00\x00"), "indefinite" },
	{ "non-minimal", D("\x30\x81\x03\x02\x01\x05"), "non-minimal" },
	{ "leading zero", D("\x30\x82\x00\x03\x02\x01\x05"), "non-minimal" },
	{ "huge length", D("\x30\x85\x01\x00\x00\x00\x00"), "too long" },
};

START_TEST(test_der_table)
{
	const struct der_case *c = &der_cases[_i];
	size_t off;
	const char *why = cf__der_check((const unsigned char *)c->bytes, c->len, &off);

	if (c->error == NULL)
		ck_assert_msg(why == NULL, "%s: unexpected '%s'", c->name, why);
	else
		ck_assert_msg(why && strstr(why, c->error), "%s: got '%s', expected '%s'", c->name,
		    why ? why : "(valid)", c->error);
}
END_TEST

static Suite *
pem_suite(void)
{
	Suite *s = suite_create("pem");
	TCase *t = tcase_create("pem");

	tcase_add_loop_test(t, test_pem_table, 0, sizeof pem_cases / sizeof pem_cases[0]);
	tcase_add_loop_test(t, test_der_table, 0, sizeof der_cases / sizeof der_cases[0]);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	return check_run(pem_suite(), 1);
}
