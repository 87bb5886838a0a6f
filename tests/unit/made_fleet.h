/*
 * made_fleet.h - the harness of the unit suites that scan fleets of files
 * made with certfleet-gen's PKI (gen/pki.c): a suite fills MADE[] with
 * PEM text, one entry per letter of MADE_LETTERS, and describes each
 * file of a case as "NODE:PATH=LETTERS" (the file is the concatenation of
 * the entries its letters name). made_scan() scans such a fleet in
 * memory and lists the findings of one pass's rows, so that a case's
 * expectation is what the making of its files implies.
 */
#ifndef MADE_FLEET_H
#define MADE_FLEET_H

#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "private.h"

#define MADE_NOW 1780272000 /* 2026-06-01T00:00:00Z */

/* The suite's letters and the PEM of each (MADE_LETTERS[i] names MADE[i]). */
extern const char MADE_LETTERS[];
extern struct gbuf MADE[];

/* The PEM of DER, appended to *OUT. */
static inline void
made_pem(const struct gbuf *der, const char *label, struct gbuf *out)
{
	ck_assert_int_eq(pem_wrap(der->p, der->n, label, 64, "\n", out), 0);
}

/* A certificate SPEC as PEM into *OUT (and its handle in *CRT, unless
 * NULL); DAMAGE flips a bit inside the signature's value. */
static inline void
made_cert(const struct gen *g, const struct gcert *spec, struct gbuf *out, gnutls_x509_crt_t *crt,
    int damage)
{
	struct gbuf der = { 0 };

	ck_assert_int_eq(gcert_make(g, spec, &der, crt), 0);
	if (damage)
		der.p[der.n - 3] ^= 0x01;
	made_pem(&der, "CERTIFICATE", out);
	gbuf_free(&der);
}

/* A self-signed leaf of CN (its one DNS name DNS, NULL: CN), serial from
 * CN, valid from a day before MADE_NOW for 90 days, with key K, as PEM
 * into *OUT. */
static inline void
made_leaf(
    const struct gen *g, const char *cn, const char *dns, const struct gkey *k, struct gbuf *out)
{
	struct gcert c = { .cn = cn,
		.dns = dns ? dns : cn,
		.serial_label = dns ? dns : cn,
		.not_before = MADE_NOW - 86400,
		.not_after = MADE_NOW + 90 * 86400,
		.key = k,
		.issuer_key = k };

	made_cert(g, &c, out, NULL, 0);
}

static inline int
made_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Scan FILES (see above) at JOBS threads, after SETUP (NULL: none) set
 * the scan's policy; GOT receives the findings whose row's pass is RUN,
 * as "RULE:NODE:PATH" (RULE without "tls-") sorted and space-separated;
 * *SKIPS (when not NULL) counts the skip entries at path SKIP_PATH. */
static inline void
made_scan(const char *files, int jobs, void (*setup)(struct cf_policy *p),
    int (*run)(struct cf_scan *s), char *got, size_t len, const char *skip_path, int *skips)
{
	struct cf_scan *s = cf_scan_new();
	char *copy = strdup(files), *tok, *save = NULL, *items[128];
	size_t i, n = 0;

	ck_assert_ptr_nonnull(s);
	cf_policy_set_now(&s->policy, MADE_NOW);
	cf_policy_set_jobs(&s->policy, jobs);
	if (setup)
		setup(&s->policy);
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *colon = strchr(tok, ':'), *eq = strchr(tok, '=');
		struct gbuf file = { 0 };
		ck_assert_ptr_nonnull(colon);
		ck_assert_ptr_nonnull(eq);
		*colon = *eq = '\0';
		for (const char *l = eq + 1; *l; l++) {
			const char *at = strchr(MADE_LETTERS, *l);
			ck_assert_msg(at != NULL, "no entry '%c'", *l);
			ck_assert_int_eq(
			    gbuf_add(&file, MADE[at - MADE_LETTERS].p, MADE[at - MADE_LETTERS].n),
			    0);
		}
		ck_assert_int_eq(cf_policy_set_node(&s->policy, tok), 0);
		ck_assert_int_eq(cf_scan_add_memory(s, colon + 1, file.p, file.n), 0);
		gbuf_free(&file);
	}
	ck_assert_int_eq(cf_scan_run(s), 0);
	for (i = 0; i < s->n_findings; i++) {
		const struct cf__finding *f = &s->findings[i];
		if (f->rule->run != run)
			continue;
		ck_assert_uint_lt(n, 128);
		ck_assert_int_gt(
		    asprintf(&items[n++], "%s:%s:%s", f->rule->id + 4, f->node, f->path), 0);
	}
	if (n > 1)
		qsort(items, n, sizeof *items, made_cmp);
	got[0] = '\0';
	for (i = 0; i < n; i++) {
		snprintf(got + strlen(got), len - strlen(got), "%s%s", i ? " " : "", items[i]);
		free(items[i]);
	}
	if (skips) {
		*skips = 0;
		for (i = 0; i < s->n_skips; i++)
			*skips += skip_path && strcmp(s->skips[i].path, skip_path) == 0;
	}
	free(copy);
	cf_scan_free(s);
}

/* made_scan() of FILES at one thread after SETUP, for the pass RUN: its
 * findings must be EXPECT (the case NAME says which failed). */
static inline void
made_expect(const char *name, const char *files, void (*setup)(struct cf_policy *p),
    int (*run)(struct cf_scan *s), const char *expect)
{
	char got[1024];

	made_scan(files, 1, setup, run, got, sizeof got, NULL, NULL);
	ck_assert_msg(strcmp(got, expect) == 0, "%s: got '%s', expected '%s'", name, got, expect);
}

#endif
