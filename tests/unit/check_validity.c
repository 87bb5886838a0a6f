/*
 * check_validity.c - the time and validity-profile rules of the
 * certificate pass (lib/check/validity.c) at their boundaries (RFC 5280
 * bounds are inclusive), on hand-made facts; the exit status they make.
 */
#include <check.h>

#include "cert_case.h"
#include "check_main.h"

static const struct rule_case cases[] = {
	{ "ok", NOW - 10 * DAY, NOW + 100 * DAY, 0, "", .now = 0 },
	{ "expired by 1s", NOW - 10 * DAY, NOW - 1, 0, "tls-cert-expired", .now = 0 },
	{ "now is notAfter", NOW - 10 * DAY, NOW, 0, "tls-cert-will-soon-expire", .now = 0 },
	{ "soon minus 1s", NOW - 10 * DAY, NOW + SOON - 1, 0, "tls-cert-will-soon-expire",
	    .now = 0 },
	{ "soon exactly", NOW - 10 * DAY, NOW + SOON, 0, "", .now = 0 },
	{ "not yet valid by 1s", NOW + 1, NOW + 100 * DAY, 0, "tls-cert-not-yet-valid", .now = 0 },
	{ "now is notBefore", NOW, NOW + 100 * DAY, 0, "", .now = 0 },
	{ "397 days", NOW - 10 * DAY, NOW - 10 * DAY + 397 * DAY - 1, 0, "", .now = 0 },
	{ "397 days + 1s", NOW - 10 * DAY, NOW - 10 * DAY + 397 * DAY, 0,
	    "tls-cert-validity-too-long", .now = 0 },
	{ "CA ten years", NOW - 10 * DAY, NOW + 3650 * DAY, 1, "", .now = 0 },
	{ "expired and too long", NOW - 500 * DAY, NOW - DAY, 0,
	    "tls-cert-expired tls-cert-validity-too-long", .now = 0 },
	{ "not yet valid and soon", NOW + 1, NOW + DAY, 0,
	    "tls-cert-will-soon-expire tls-cert-not-yet-valid", .now = 0 },
	{ "inverted", NOW + DAY, NOW - DAY, 0, "tls-cert-invalid", .now = 0 },
	{ "unreadable time", -1, NOW + DAY, 0, "tls-cert-invalid", .now = 0 },
	/* --soon 20%: a lifetime of 100 days (notAfter - notBefore + 1 s) */
	{ "20% left exactly", NOW - 80 * DAY + 1, NOW + 20 * DAY, 0, "", .soon_pct = 20 },
	{ "20% left minus 1s", NOW - 80 * DAY, NOW + 20 * DAY - 1, 0, "tls-cert-will-soon-expire",
	    .soon_pct = 20 },
	{ "20%: a 30-day window would say soon", NOW - 300 * DAY, NOW + 29 * DAY, 0, "",
	    .soon_pct = 5 },
	/* --profile cabf at its bounds (now inside each validity) */
	{ "cabf: 200 days from 2026-04-01", T2026_04_01, T2026_04_01 + 200 * DAY - 1, 0,
	    "tls-cert-validity-long", .now = T2026_04_01 + DAY, .cabf = 1 },
	{ "cabf: 200 days + 1s from 2026-04-01", T2026_04_01, T2026_04_01 + 200 * DAY, 0,
	    "tls-cert-validity-too-long", .now = T2026_04_01 + DAY, .cabf = 1 },
	{ "cabf: 199 days from 2026-04-01", T2026_04_01, T2026_04_01 + 199 * DAY - 1, 0, "",
	    .now = T2026_04_01 + DAY, .cabf = 1 },
	{ "cabf: 397 days from 2026-01-01", T2026_01_01, T2026_01_01 + 397 * DAY - 1, 0, "",
	    .now = T2026_01_01 + DAY, .cabf = 1 },
	{ "cabf: 398 days from 2026-01-01", T2026_01_01, T2026_01_01 + 398 * DAY - 1, 0,
	    "tls-cert-validity-long", .now = T2026_01_01 + DAY, .cabf = 1 },
	{ "cabf: 398 days + 1s from 2026-01-01", T2026_01_01, T2026_01_01 + 398 * DAY, 0,
	    "tls-cert-validity-too-long", .now = T2026_01_01 + DAY, .cabf = 1 },
	{ "cabf: 100 days from 2027-03-15", T2027_03_15, T2027_03_15 + 100 * DAY - 1, 0,
	    "tls-cert-validity-long", .now = T2027_03_15 + DAY, .cabf = 1 },
	{ "cabf: 101 days issued 1 s before 2027-03-15 (the 200-day step)", T2027_03_15 - 1,
	    T2027_03_15 + 100 * DAY - 1, 0, "", .now = T2027_03_15 + DAY, .cabf = 1 },
	{ "cabf: 101 days from 2027-03-15", T2027_03_15, T2027_03_15 + 100 * DAY, 0,
	    "tls-cert-validity-too-long", .now = T2027_03_15 + DAY, .cabf = 1 },
	{ "cabf: 47 days + 1s from 2029-03-15", T2029_03_15, T2029_03_15 + 47 * DAY, 0,
	    "tls-cert-validity-too-long", .now = T2029_03_15 + DAY, .cabf = 1 },
	{ "cabf: 46 days from 2029-03-15", T2029_03_15, T2029_03_15 + 46 * DAY - 1, 0, "",
	    .now = T2029_03_15 + DAY, .cabf = 1 },
	/* no server certificate, so no BR limit; at x.crt (a server path) its
	 * EKU excludes the role: tls-cert-purpose */
	{ "cabf: clientAuth only, 300 days", T2026_04_01, T2026_04_01 + 300 * DAY, 0,
	    "tls-cert-purpose", .now = T2026_04_01 + DAY, .cabf = 1, .eku = "1.3.6.1.5.5.7.3.2" },
	{ "cabf: serverAuth, 300 days", T2026_04_01, T2026_04_01 + 300 * DAY, 0,
	    "tls-cert-validity-too-long", .now = T2026_04_01 + DAY, .cabf = 1,
	    .eku = "1.3.6.1.5.5.7.3.1" },
	{ "cabf: CA ten years", T2026_04_01, T2026_04_01 + 3650 * DAY, 1, "",
	    .now = T2026_04_01 + DAY, .cabf = 1 },
	{ "private: 300 days from 2026-04-01", T2026_04_01, T2026_04_01 + 300 * DAY, 0, "",
	    .now = T2026_04_01 + DAY },
};

START_TEST(test_validity)
{
	cert_case_check(&cases[_i]);
}
END_TEST

START_TEST(test_exit_status)
{
	struct cf__facts f;
	struct cf_scan *s = scan_with(&cases[3], &f); /* a warning only */

	ck_assert_int_eq(cf__checks_run(s), 0);
	ck_assert_int_eq(cf_scan_exit_status(s), 0);
	cf_policy_set_fail_on(&s->policy, CF_SEV_WARNING);
	ck_assert_int_eq(cf_scan_exit_status(s), 1);
	cf_policy_set_fail_on(&s->policy, CF_SEV_NEVER);
	ck_assert_int_eq(cf_scan_exit_status(s), 0);
	ck_assert_int_eq(cf_policy_set_fail_on(&s->policy, CF_SEV_INFO), CF_E_USAGE);
	cf_scan_free(s);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("validity");
	TCase *t = tcase_create("validity");

	tcase_add_loop_test(t, test_validity, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(t, test_exit_status);
	suite_add_tcase(su, t);
	return check_run(su, 1);
}
