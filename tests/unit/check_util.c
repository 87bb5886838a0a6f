/*
 * check_util.c - time and duration parsing, escaping, names.
 */
#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "private.h"

struct time_case {
	const char *text;
	int ok;
	int64_t t;
};

static const struct time_case time_cases[] = {
	{ "2026-06-01T00:00:00Z", 1, 1780272000 },
	{ "2026-06-01T02:00:00+02:00", 1, 1780272000 },
	{ "2026-05-31T22:00:00-02:00", 1, 1780272000 },
	{ "2026-06-01T00:00:00.123Z", 1, 1780272000 },
	{ "1970-01-01T00:00:00Z", 1, 0 },
	{ "@1780272000", 1, 1780272000 },
	{ "@-5", 1, -5 },
	{ "2026-06-01T00:00:00", 0, 0 },
	{ "2026-06-01", 0, 0 },
	{ "@", 0, 0 },
	{ "@12x", 0, 0 },
	{ "yesterday", 0, 0 },
	{ "", 0, 0 },
	/* strict: calendar days, offsets within 23:59, X.509's years only
	 * (expected seconds from date -u -d ... +%s) */
	{ "2024-02-29T12:00:00Z", 1, 1709208000 },
	{ "2026-02-29T00:00:00Z", 0, 0 },
	{ "2026-02-31T00:00:00Z", 0, 0 },
	{ "2026-04-31T00:00:00Z", 0, 0 },
	{ "2026-13-01T00:00:00Z", 0, 0 },
	{ "2026-06-01T24:00:00Z", 0, 0 },
	{ "2026-06-01T00:60:00Z", 0, 0 },
	{ "2026-06-01T00:00:00+99:99", 0, 0 },
	{ "2026-06-01T00:00:00+24:00", 0, 0 },
	{ "2026-06-01T23:59:00+23:59", 1, 1780272000 },
	{ "2026-06-01T00:00:00.Z", 0, 0 },
	{ "2026-06-01T00:00:00Zjunk", 0, 0 },
	{ "0001-01-01T00:00:00Z", 1, -62135596800LL },
	{ "0000-12-31T23:59:59Z", 0, 0 },
	{ "9999-12-31T23:59:59Z", 1, 253402300799LL },
	{ "9999-12-31T23:59:59-00:01", 0, 0 },
	{ "@253402300799", 1, 253402300799LL },
	{ "@253402300800", 0, 0 },
	{ "@99999999999999999", 0, 0 },
	{ "@-9223372036854775808", 0, 0 },
	{ "@99999999999999999999999", 0, 0 },
};

START_TEST(test_parse_time)
{
	const struct time_case *c = &time_cases[_i];
	int64_t t = 0;
	int rc = cf_parse_time(c->text, &t);

	ck_assert_msg((rc == 0) == c->ok, "'%s': rc %d", c->text, rc);
	if (c->ok)
		ck_assert_msg(
		    t == c->t, "'%s': %lld, expected %lld", c->text, (long long)t, (long long)c->t);
}
END_TEST

struct dur_case {
	const char *text;
	int ok;
	int64_t secs;
};

static const struct dur_case dur_cases[] = {
	{ "72h", 1, 259200 },
	{ "3d", 1, 259200 },
	{ "30d", 1, 2592000 },
	{ "90m", 1, 5400 },
	{ "10s", 1, 10 },
	{ "10", 1, 10 },
	{ "2w", 1, 1209600 },
	{ "0d", 1, 0 },
	{ "3x", 0, 0 },
	{ "-3d", 0, 0 },
	{ "d", 0, 0 },
	{ "", 0, 0 },
	{ "3dd", 0, 0 },
	{ "99999999999999999999d", 0, 0 },
};

START_TEST(test_parse_duration)
{
	const struct dur_case *c = &dur_cases[_i];
	int64_t v = -1;
	int rc = cf_parse_duration(c->text, &v);

	ck_assert_msg((rc == 0) == c->ok, "'%s': rc %d", c->text, rc);
	if (c->ok)
		ck_assert_msg(v == c->secs, "'%s': %lld", c->text, (long long)v);
}
END_TEST

START_TEST(test_format_time)
{
	char buf[32];

	ck_assert_int_eq(cf_format_time(1780272000, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "2026-06-01T00:00:00Z");
	ck_assert_int_eq(cf_format_time(253402300799LL, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "9999-12-31T23:59:59Z");
	/* before 1970, to year 1 (4 digits), and nothing outside X.509's years */
	ck_assert_int_eq(cf_format_time(-631152000, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "1950-01-01T00:00:00Z");
	ck_assert_int_eq(cf_format_time(-1, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "1969-12-31T23:59:59Z");
	ck_assert_int_eq(cf_format_time(-62135596800LL, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "0001-01-01T00:00:00Z");
	/* year 0000, which a GeneralizedTime may hold (openssl reads it) */
	ck_assert_int_eq(cf_format_time(-62167219200LL, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "0000-01-01T00:00:00Z");
	ck_assert_int_eq(cf_format_time(-62167219201LL, buf, sizeof buf), CF_E_USAGE);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(cf_format_time(253402300800LL, buf, sizeof buf), CF_E_USAGE);
	ck_assert_int_eq(cf_format_time(1780272000, buf, 10), CF_E_USAGE); /* too small */
}
END_TEST

/* X.509 times read from DER, exact from year 0 to 9999 (the expected
 * seconds from `date -u -d ... +%s`, which counts the proleptic Gregorian
 * calendar as RFC 5280 does). */
struct der_time_case {
	const char *der; /* TLV as a string (tag, length, text) */
	long long secs;  /* expected; LLONG_MIN: refused */
};

static const struct der_time_case der_time_cases[] = {
	{ "\x17\x0d"
	  "500101000000Z",
	    -631152000LL }, /* UTCTime 50 = 1950 */
	{ "\x17\x0d"
	  "491231235959Z",
	    2524607999LL }, /* 49 = 2049 */
	{ "\x17\x0d"
	  "260601000000Z",
	    1780272000LL },
	{ "\x18\x0f"
	  "00010101000000Z",
	    -62135596800LL }, /* year 1 */
	{ "\x18\x0f"
	  "99991231235959Z",
	    253402300799LL },
	{ "\x18\x0f"
	  "19000301000000Z",
	    -2203891200LL }, /* 1900: not a leap year */
	{ "\x18\x0f"
	  "20000229120000Z",
	    951825600LL }, /* 2000: a leap year */
	{ "\x18\x0f"
	  "19000229000000Z",
	    LLONG_MIN },
	{ "\x18\x0f"
	  "00000101000000Z",
	    -62167219200LL }, /* year 0000, as openssl reads it */
	{ "\x18\x0f"
	  "00000229000000Z",
	    -62162121600LL }, /* 0000 is a leap year */
	{ "\x17\x0d"
	  "000229000000Z",
	    951782400LL }, /* UTCTime 00 = 2000 */
	{ "\x17\x0d"
	  "260631000000Z",
	    LLONG_MIN },
	{ "\x17\x0d"
	  "261301000000Z",
	    LLONG_MIN },
	{ "\x17\x0d"
	  "260601240000Z",
	    LLONG_MIN },
	{ "\x17\x0d"
	  "260601000060Z",
	    LLONG_MIN },
	{ "\x17\x0d"
	  "2606010000001",
	    LLONG_MIN }, /* no Z */
	{ "\x17\x0b"
	  "2606010000Z",
	    LLONG_MIN }, /* no seconds */
	{ "\x18\x11"
	  "20260601000000.5Z",
	    LLONG_MIN }, /* fractions */
	{ "\x18\x0d"
	  "260601000000Z",
	    LLONG_MIN }, /* UTCTime form, GT tag */
	{ "\x17\x0d"
	  "26060100000+Z",
	    LLONG_MIN },
	{ "\x17\x0e"
	  "260601000000Z",
	    LLONG_MIN }, /* length past the end */
};

START_TEST(test_der_time)
{
	const struct der_time_case *c = &der_time_cases[_i];
	size_t n = 2 + strlen(c->der + 2);
	int64_t v = 0;
	int rc = cf__der_time((const unsigned char *)c->der, n, &v);

	if (c->secs == LLONG_MIN)
		ck_assert_msg(rc == -1, "case %d accepted as %lld", _i, (long long)v);
	else
		ck_assert_msg(
		    rc == 0 && v == c->secs, "case %d: rc %d, %lld", _i, rc, (long long)v);
}
END_TEST

struct san_case {
	const char *in;
	size_t len;
	const char *out, *text;
};

static const struct san_case san_cases[] = {
	{ "plain", 5, "plain", "plain" },
	{ "a\nb", 3, "a\\x0ab", "a\\x0ab" },
	{ "tab\there", 8, "tab\\x09here", "tab\\x09here" },
	{ "back\\slash", 10, "back\\\\slash", "back\\slash" },
	{ "nul\0x", 5, "nul\\x00x", "nul\\x00x" },
	{ "bad\xff", 4, "bad\\xff", "bad\\xff" },
	{ "overlong\xc0\xaf", 10, "overlong\\xc0\\xaf", "overlong\\xc0\\xaf" },
	{ "utf8 \xc3\xa9\xe2\x82\xac", 10, "utf8 \xc3\xa9\xe2\x82\xac",
	    "utf8 \xc3\xa9\xe2\x82\xac" },
	{ "cut \xe2\x82", 6, "cut \\xe2\\x82", "cut \\xe2\\x82" },
	{ "del\x7f", 4, "del\\x7f", "del\\x7f" },
	{ "c1 \xc2\x85", 5, "c1 \\xc2\\x85", "c1 \\xc2\\x85" },
	/* bidi and zero-width characters are escaped byte by byte */
	{ "bidi\xe2\x80\xaegnp.crt", 14, "bidi\\xe2\\x80\\xaegnp.crt",
	    "bidi\\xe2\\x80\\xaegnp.crt" },
	{ "z\xe2\x80\x8bw", 5, "z\\xe2\\x80\\x8bw", "z\\xe2\\x80\\x8bw" },
	{ "i\xe2\x81\xa6x", 5, "i\\xe2\\x81\\xa6x", "i\\xe2\\x81\\xa6x" },
	{ "b\xef\xbb\xbfo", 5, "b\\xef\\xbb\\xbfo", "b\\xef\\xbb\\xbfo" },
	{ "fine \xe2\x80\x94 dash", 13, "fine \xe2\x80\x94 dash", "fine \xe2\x80\x94 dash" },
};

START_TEST(test_sanitize)
{
	const struct san_case *c = &san_cases[_i];
	char *a = cf__sanitize(c->in, c->len), *b = cf__sanitize_text(c->in, c->len);

	ck_assert_msg(strcmp(a, c->out) == 0, "case %d: '%s' expected '%s'", _i, a, c->out);
	ck_assert_msg(strcmp(b, c->text) == 0, "case %d: '%s' expected '%s'", _i, b, c->text);
	free(a);
	free(b);
}
END_TEST

struct name_case {
	const char *path, *logical, *stem, *lname;
};

static const struct name_case name_cases[] = {
	{ "./etc/tls/server.crt", "etc/tls/server.crt", "etc/tls/server", "server" },
	{ "/etc//tls/./server.key", "etc/tls/server.key", "etc/tls/server", "server" },
	{ "../../x.crt", "../../x.crt", "../../x", "x" },
	{ "etc/opt/cm_cert.pem", "etc/opt/cm_cert.pem", "etc/opt/cm", "cm" },
	{ "etc/opt/cm_key.pem", "etc/opt/cm_key.pem", "etc/opt/cm", "cm" },
	{ "le/privkey.pem", "le/privkey.pem", "le/cert", "privkey" },
	{ "le/fullchain.pem", "le/fullchain.pem", "le/cert", "fullchain" },
	{ "tls.crt", "tls.crt", "tls", "tls" },
	{ "noext", "noext", "noext", "noext" },
};

START_TEST(test_names)
{
	const struct name_case *c = &name_cases[_i];
	char *l = cf__logical_path(c->path), *st = cf__pair_stem(l), *n = cf__logical_name(l);

	ck_assert_msg(strcmp(l, c->logical) == 0, "%s: logical '%s'", c->path, l);
	ck_assert_msg(strcmp(st, c->stem) == 0, "%s: stem '%s'", c->path, st);
	ck_assert_msg(strcmp(n, c->lname) == 0, "%s: logical name '%s'", c->path, n);
	free(l);
	free(st);
	free(n);
}
END_TEST

static char *
md(int code, const char *s, size_t max)
{
	struct cf__buf b = { 0 };

	ck_assert_int_eq(code ? cf__md_code(&b, s, max) : cf__md_text(&b, s), 0);
	ck_assert_int_eq(cf__buf_add(&b, "", 1), 0);
	return (char *)b.data;
}

START_TEST(test_md_escape)
{
	char *t;

	/* text: only what is active, so paths and times stay greppable */
	t = md(0,
	    "a|b `c` <script> *x* [l](u) é etc/tls/node.crt "
	    "2026-05-27T00:00:00Z svc_01 _x_",
	    0);
	ck_assert_str_eq(t,
	    "a\\|b \\`c\\` \\<script\\> \\*x\\* \\[l\\](u) é etc/tls/node.crt "
	    "2026-05-27T00:00:00Z svc_01 \\_x\\_");
	free(t);
	/* code spans: a longer fence, padding, pipes escaped, the middle cut */
	t = md(1, "etc/tls/node.crt", 0);
	ck_assert_str_eq(t, "`etc/tls/node.crt`");
	free(t);
	t = md(1, "a``b|c", 0);
	ck_assert_str_eq(t, "```a``b\\|c```");
	free(t);
	t = md(1, "`x", 0);
	ck_assert_str_eq(t, "`` `x ``");
	free(t);
	t = md(1, "abcdefghij", 5);
	ck_assert_str_eq(t, "`ab\xe2\x80\xa6ij`");
	free(t);
	t = md(
	    1, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 4); /* cut between characters */
	ck_assert_str_eq(t, "`\xc3\xa9\xe2\x80\xa6\xc3\xa9\xc3\xa9`");
	free(t);
}
END_TEST

START_TEST(test_comment_safe)
{
	char *c = cf__pi_safe("a -- b ?> c? >?");

	ck_assert_str_eq(c, "a -- b ? > c? >?");
	ck_assert_ptr_null(strstr(c, "?>"));
	free(c);
	c = cf__md_title_safe("x (y) \\ --z");
	ck_assert_str_eq(c, "x \\(y\\) \\\\ --z");
	free(c);
}
END_TEST

/* Buffers and arrays have a cap: sizes that would wrap or pass it are
 * refused without touching memory (the buffer claims more than it holds:
 * nothing may be written). */
START_TEST(test_buf_cap)
{
	struct cf__buf b = { NULL, CF__BUF_MAX - 4, 0 };
	void *arr = NULL;
	size_t cap = 0;

	ck_assert_int_eq(cf__buf_add(&b, "0123456789", 10), CF_E_NOMEM);
	ck_assert_int_eq(cf__buf_reserve(&b, 10), CF_E_NOMEM);
	ck_assert_int_eq(cf__buf_add(&b, "x", SIZE_MAX), CF_E_NOMEM);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, CF__BUF_MAX - 4);
	ck_assert_int_eq(cf__grow(&arr, &cap, SIZE_MAX / 8 + 1, 16, 4), CF_E_NOMEM);
	ck_assert_int_eq(cf__grow(&arr, &cap, CF__BUF_MAX, 16, 4), CF_E_NOMEM);
	ck_assert_ptr_null(arr);
	ck_assert_uint_eq(cap, 0);
	ck_assert_int_eq(cf__grow(&arr, &cap, 3, 16, 2), 0);
	ck_assert_uint_eq(cap, 4);
	free(arr);
}
END_TEST

START_TEST(test_archive_suffix)
{
	ck_assert_uint_eq(cf__archive_suffix("n07.tar.gz"), 7);
	ck_assert_uint_eq(cf__archive_suffix("n07.TGZ"), 4);
	ck_assert_uint_eq(cf__archive_suffix("n07.tar.zst"), 8);
	ck_assert_uint_eq(cf__archive_suffix("n07.zip"), 4);
	ck_assert_uint_eq(cf__archive_suffix("n07.crt"), 0);
	ck_assert_uint_eq(cf__archive_suffix(".tar"), 0);
	ck_assert_int_eq(cf__name_kind("a/b.PEM"), 1);
	ck_assert_int_eq(cf__name_kind("a/b.key"), 2);
	ck_assert_int_eq(cf__name_kind("a.d/b"), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("util");
	TCase *t = tcase_create("util");

	tcase_add_loop_test(t, test_parse_time, 0, sizeof time_cases / sizeof time_cases[0]);
	tcase_add_loop_test(t, test_parse_duration, 0, sizeof dur_cases / sizeof dur_cases[0]);
	tcase_add_loop_test(t, test_sanitize, 0, sizeof san_cases / sizeof san_cases[0]);
	tcase_add_loop_test(t, test_names, 0, sizeof name_cases / sizeof name_cases[0]);
	tcase_add_test(t, test_format_time);
	tcase_add_loop_test(t, test_der_time, 0, sizeof der_time_cases / sizeof der_time_cases[0]);
	tcase_add_test(t, test_md_escape);
	tcase_add_test(t, test_comment_safe);
	tcase_add_test(t, test_archive_suffix);
	tcase_add_test(t, test_buf_cap);
	suite_add_tcase(s, t);
	return check_run(s, 1);
}
