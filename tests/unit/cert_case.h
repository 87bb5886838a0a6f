/*
 * cert_case.h - the harness of the suites of the certificate pass
 * (check_validity.c, check_strength.c): a case is hand-made facts of one
 * certificate at x.crt and the policy to judge it by; the findings the
 * pass raises, in rule-table order, must be the case's.
 */
#ifndef CERT_CASE_H
#define CERT_CASE_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

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

static struct cf__member member;
static struct cf__decoded dec = { .members = &member, .n_members = 1, .n_certs = 1 };

static inline struct cf_scan *
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
	file->node_ix = (uint32_t)cf__scan_node(s, cf__raw("n1"));
	file->node = s->nodes[file->node_ix];
	file->path_ix = (uint32_t)cf__strtab_intern(&s->path_tab, "x.crt");
	file->path = s->path_tab.v[file->path_ix];
	member.kind = CF__M_CERT;
	member.facts = f;
	file->dec = &dec;
	return s;
}

/* Case C judged by the certificate pass: its findings, in rule-table
 * order, are C->expect. */
static inline void
cert_case_check(const struct rule_case *c)
{
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

#endif
