/*
 * check_checks.c - the per-certificate rules at their boundaries (RFC 5280
 * bounds are inclusive), on hand-made facts.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "check_main.h"
#include "private.h"

#define NOW 1780272000LL
#define DAY 86400LL
#define SOON (30 * DAY)

struct rule_case {
	const char *name;
	int64_t nb, na;
	int is_ca;
	const char *expect; /* space-separated finding ids, in rule-table order */
	/* what the time cases leave at their defaults: NOW, the private
	 * profile, a fixed window; RSA 2048 signed with SHA-256 by another
	 * Name, one SAN, no EKU */
	int64_t now; /* 0: NOW */
	int cabf, soon_pct;
	int pk, bits, sign_hash, self_signed, no_san;
	const char *eku; /* one EKU OID, or NULL */
};

#define T2026_01_01 1767225600LL
#define T2026_04_01 1775001600LL
#define T2027_03_15 1805068800LL
#define T2029_03_15 1868227200LL
#define RSA GNUTLS_PK_RSA
#define EC GNUTLS_PK_ECDSA

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

static struct cf__member member;
static struct cf__decoded dec = { .members = &member, .n_members = 1, .n_certs = 1 };

static struct cf_scan *
scan_with(const struct rule_case *c, struct cf__facts *f)
{
	struct cf_scan *s = cf_scan_new();
	struct cf__file *file;

	/* the Names: issuer at 0, subject at 0 (self-signed) or at 4 */
	static const unsigned char names[] = "CN=aCN=b";

	memset(f, 0, sizeof *f);
	f->subject = "CN=t";
	f->not_before = c->nb;
	f->not_after = c->na;
	f->is_ca = c->is_ca;
	f->version = 3;
	f->pk = c->pk ? c->pk : GNUTLS_PK_RSA;
	f->bits = c->bits ? (unsigned)c->bits : 2048;
	f->sign_hash = c->sign_hash ? c->sign_hash : GNUTLS_DIG_SHA256;
	f->der = names;
	f->der_len = 8;
	f->issuer_len = f->subject_len = 4;
	f->subject_off = c->self_signed ? 0 : 4;
	f->n_sans = c->no_san ? 0 : 1;
	if (c->eku) {
		f->eku_list = c->eku;
		f->n_ekus = 1;
	}
	cf_policy_set_now(&s->policy, c->now ? c->now : NOW);
	if (c->cabf)
		cf_policy_set_profile(&s->policy, CF_PROFILE_CABF);
	if (c->soon_pct)
		cf_policy_set_soon_percent(&s->policy, c->soon_pct);
	s->files = calloc(1, sizeof *s->files);
	s->n_files = s->cap_files = 1;
	file = &s->files[0];
	file->node_ix = (uint32_t)cf__scan_node(s, "n1");
	file->node = s->nodes[file->node_ix];
	file->path_ix = (uint32_t)cf__strtab_intern(&s->path_tab, "x.crt");
	file->path = s->path_tab.v[file->path_ix];
	member.kind = CF__M_CERT;
	member.facts = f;
	file->dec = &dec;
	return s;
}

START_TEST(test_rules)
{
	const struct rule_case *c = &cases[_i];
	struct cf__facts f;
	struct cf_scan *s = scan_with(c, &f);
	char got[256] = "";
	size_t i;

	ck_assert_int_eq(cf__checks_run(s), 0);
	for (i = 0; i < s->n_findings; i++) {
		if (i)
			strcat(got, " ");
		strcat(got, s->findings[i].rule->id);
		ck_assert_msg(s->findings[i].facts == &f, "%s: finding without facts", c->name);
	}
	ck_assert_msg(
	    strcmp(got, c->expect) == 0, "%s: got '%s', expected '%s'", c->name, got, c->expect);
	cf_scan_free(s);
}
END_TEST

START_TEST(test_table_complete)
{
	size_t i, k;

	/* the ids are a contract: test-cli holds `certfleet rules` to the
	 * README's table; here every row is one findable, described rule */
	for (i = 0; i < cf__n_rules; i++) {
		const struct cf__rule *r = &cf__rules[i];
		ck_assert_msg(strncmp(r->id, "tls-", 4) == 0, "row %zu: id %s not tls-*", i, r->id);
		ck_assert_msg(cf__rule_find(r->id) == r, "%s: not found as itself", r->id);
		ck_assert_msg(r->description && *r->description, "%s: no description", r->id);
		for (k = 0; k < i; k++)
			ck_assert_msg(strcmp(cf__rules[k].id, r->id) != 0, "%s: twice", r->id);
	}
	ck_assert_int_eq(cf__rule_find("tls-cert-will-soon-expire")->severity, CF_SEV_WARNING);
	ck_assert_int_eq(cf__rule_find("tls-cert-expired")->severity, CF_SEV_ERROR);
	ck_assert_ptr_null(cf__rule_find("nope"));
}
END_TEST

/* Row I is rule I; a CERT rule has a judging function and a pass, a PAIR
 * or FLEET rule a pass, a FILE rule (raised while decoding) neither, an
 * INPUT rule no judging function (raised while reading, or by a pass over
 * what the inputs held: tls-input-empty); every row has a headline. */
START_TEST(test_table_shape)
{
	const struct cf__rule *r = &cf__rules[_i];

	ck_assert_msg(r->num == (enum cf__rule_id)_i, "row %d holds rule %d", _i, (int)r->num);
	ck_assert_msg(r->headline && *r->headline, "%s: no headline", r->id);
	ck_assert_msg(strncmp(r->id, "tls-", 4) == 0, "%s: id not tls-*", r->id);
	switch (r->scope) {
	case CF__SCOPE_CERT:
		/* judged on the certificate alone by the shared pass, or (chains,
		 * expected names: the node's other files, its name) by a pass
		 * of its own */
		ck_assert_msg((r->cert && r->run == cf__checks_run) ||
		        (!r->cert && r->run && r->run != cf__checks_run),
		    "%s: CERT rule without function or pass", r->id);
		break;
	case CF__SCOPE_PAIR:
	case CF__SCOPE_FLEET:
		ck_assert_msg(!r->cert && r->run, "%s: PAIR/FLEET rule without its pass", r->id);
		break;
	case CF__SCOPE_INPUT:
		ck_assert_msg(!r->cert, "%s: INPUT rule with a judging function", r->id);
		break;
	default: ck_assert_msg(!r->cert && !r->run, "%s: FILE rule with a function", r->id);
	}
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
	Suite *su = suite_create("checks");
	TCase *t = tcase_create("checks");

	tcase_add_loop_test(t, test_rules, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(t, test_table_complete);
	tcase_add_loop_test(t, test_table_shape, 0, CF__R_COUNT);
	tcase_add_test(t, test_exit_status);
	suite_add_tcase(su, t);
	return check_run(su, 1);
}
