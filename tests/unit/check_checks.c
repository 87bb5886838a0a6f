/*
 * check_checks.c - the per-certificate rules at their boundaries (RFC 5280
 * bounds are inclusive), on hand-made facts.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "private.h"

#define NOW 1780272000LL
#define DAY 86400LL
#define SOON (30 * DAY)

struct rule_case {
	const char *name;
	int64_t nb, na;
	int is_ca;
	const char *expect;          /* space-separated finding ids, in rule-table order */
};

static const struct rule_case cases[] = {
	{ "ok", NOW - 10 * DAY, NOW + 100 * DAY, 0, "" },
	{ "expired by 1s", NOW - 10 * DAY, NOW - 1, 0, "tls-cert-expired" },
	{ "now is notAfter", NOW - 10 * DAY, NOW, 0, "tls-cert-will-soon-expire" },
	{ "soon minus 1s", NOW - 10 * DAY, NOW + SOON - 1, 0, "tls-cert-will-soon-expire" },
	{ "soon exactly", NOW - 10 * DAY, NOW + SOON, 0, "" },
	{ "not yet valid by 1s", NOW + 1, NOW + 100 * DAY, 0, "tls-cert-not-yet-valid" },
	{ "now is notBefore", NOW, NOW + 100 * DAY, 0, "" },
	{ "397 days", NOW - 10 * DAY, NOW - 10 * DAY + 397 * DAY - 1, 0, "" },
	{ "397 days + 1s", NOW - 10 * DAY, NOW - 10 * DAY + 397 * DAY, 0, "tls-cert-validity-too-long" },
	{ "CA ten years", NOW - 10 * DAY, NOW + 3650 * DAY, 1, "" },
	{ "expired and too long", NOW - 500 * DAY, NOW - DAY, 0, "tls-cert-expired tls-cert-validity-too-long" },
	{ "not yet valid and soon", NOW + 1, NOW + DAY, 0, "tls-cert-will-soon-expire tls-cert-not-yet-valid" },
	{ "inverted", NOW + DAY, NOW - DAY, 0, "tls-cert-invalid" },
	{ "unreadable time", -1, NOW + DAY, 0, "tls-cert-invalid" },
};

static struct cf__member member;
static struct cf__decoded dec = { .members = &member, .n_members = 1, .n_certs = 1 };

static struct cf_scan *
scan_with(const struct rule_case *c, struct cf__facts *f)
{
	struct cf_scan *s = cf_scan_new();
	struct cf__file *file;

	memset(f, 0, sizeof *f);
	f->subject = "CN=t";
	f->not_before = c->nb;
	f->not_after = c->na;
	f->is_ca = c->is_ca;
	cf_scan_set_now(s, NOW);
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
	ck_assert_msg(strcmp(got, c->expect) == 0, "%s: got '%s', expected '%s'", c->name, got, c->expect);
	cf_scan_free(s);
}
END_TEST

START_TEST(test_table_complete)
{
	static const char *const ids[] = { "tls-cert-expired", "tls-cert-will-soon-expire",
		"tls-cert-invalid", "tls-cert-not-yet-valid", "tls-cert-validity-too-long",
		"tls-cert-mismatch", "tls-cert-missing", "tls-key-mismatch", "tls-pem-lax",
		"tls-input-unreadable", "tls-path-duplicate", "tls-crl-expired", "tls-input-empty", "tls-der-noncanonical" };
	size_t i;

	ck_assert_uint_eq(cf__n_rules, sizeof ids / sizeof ids[0]);
	for (i = 0; i < cf__n_rules; i++) {
		const struct cf__rule *r = cf__rule_find(ids[i]);
		ck_assert_msg(r != NULL, "no rule %s", ids[i]);
		ck_assert_msg(r->description && *r->description, "%s: no description", ids[i]);
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
		ck_assert_msg(r->cert && r->run, "%s: CERT rule without function or pass", r->id);
		break;
	case CF__SCOPE_PAIR:
	case CF__SCOPE_FLEET:
		ck_assert_msg(!r->cert && r->run, "%s: PAIR/FLEET rule without its pass", r->id);
		break;
	case CF__SCOPE_INPUT:
		ck_assert_msg(!r->cert, "%s: INPUT rule with a judging function", r->id);
		break;
	default:
		ck_assert_msg(!r->cert && !r->run, "%s: FILE rule with a function", r->id);
	}
}
END_TEST

START_TEST(test_exit_status)
{
	struct cf__facts f;
	struct cf_scan *s = scan_with(&cases[3], &f);    /* a warning only */

	ck_assert_int_eq(cf__checks_run(s), 0);
	ck_assert_int_eq(cf_scan_exit_status(s), 0);
	cf_scan_set_fail_on(s, CF_SEV_WARNING);
	ck_assert_int_eq(cf_scan_exit_status(s), 1);
	cf_scan_set_fail_on(s, CF_SEV_NEVER);
	ck_assert_int_eq(cf_scan_exit_status(s), 0);
	ck_assert_int_eq(cf_scan_set_fail_on(s, CF_SEV_INFO), CF_E_USAGE);
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
