/*
 * chain.c - will the chains verify: per node, the chain of every
 * certificate file's first certificate, built from the issuers the node
 * carries (the same file first, then the node's other files, then the
 * anchors), and judged by GnuTLS's trust list of the node's anchors
 * (tls-chain-incomplete, -untrusted, -bad-signature, -order,
 * -outlives-issuer); across the fleet, whether a node's trusted chain
 * verifies against the anchors the other nodes carry (tls-trust-split).
 *
 * A node's anchors are the self-signed CA certificates it carries (a
 * version 1 self-signed certificate counts as a CA, as it did before
 * basicConstraints) and those of --trust and --system-trust. A node
 * without one is not chain-checked; one skip entry names the nodes that
 * hold a certificate issued by another. Verdicts are
 * cached by (anchor set, chain) and links by (certificate, issuer): a
 * fleet verifies each distinct pair once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <openssl/crypto.h>

#include "check/chain.h"

/* Where in FILE certificate F lies (its member), or NULL. */
static const struct cf__member *
member_of(const struct cf__file *file, const struct cf__facts *f)
{
	const struct cf__member *m = cf__members(file);
	uint32_t j;

	for (j = 0; j < file->dec->n_members; j++)
		if (m[j].kind == CF__M_CERT && m[j].facts == f)
			return &m[j];
	return NULL;
}

/* A finding of RULE on FILE at member M (NULL: its first certificate):
 * TEXT after the rule's headline. */
int
cf__chain_say(struct cf_scan *s, enum cf__rule_id rule, const struct cf__file *file,
    const struct cf__member *m, const char *text)
{
	if (m == NULL)
		m = cf__first_cert(file);
	return cf__finding_add(
	    s, rule, file->node, file->path, (int)m->index, (int)m->line, m->facts, "%s", text);
}

/* A bundle's certificates in chain order: each one in the chain, each
 * after the one it issued. */
static int
check_order(struct cf_scan *s, const struct cf__file *file, const struct chain *ch)
{
	const struct cf__member *m = cf__members(file);
	size_t last = 0, pos;
	uint32_t j;
	char text[512];
	int first = 1;

	for (j = 0; j < file->dec->n_members && !file->dec->unordered; j++) {
		if (m[j].kind != CF__M_CERT)
			continue;
		for (pos = 0; pos < ch->n && memcmp(ch->c[pos]->sha256, m[j].facts->sha256, 32);
		     pos++)
			;
		if (first) {
			first = 0;
			continue;
		}
		if (pos == ch->n || pos <= last) {
			snprintf(text, sizeof text, "member %u (%s) %s", m[j].index,
			    m[j].facts->subject,
			    pos == ch->n
			        ? "is not part of the chain of the first certificate: a bundle "
			          "holds "
			          "one chain, leaf first"
			        : "comes after a certificate it issued: a bundle goes leaf, "
			          "then each issuer");
			return cf__chain_say(s, CF__R_CHAIN_ORDER, file, &m[j], text);
		}
		last = pos;
	}
	return 0;
}

static int
check_outlives(struct cf_scan *s, const struct cf__file *file, const struct chain *ch)
{
	char a[32], b[32], text[512];
	size_t i;
	int rc;

	for (i = 0; i + 1 < ch->n; i++) {
		if (ch->c[i]->not_after <= ch->c[i + 1]->not_after)
			continue;
		cf_format_time(ch->c[i]->not_after, a, sizeof a);
		cf_format_time(ch->c[i + 1]->not_after, b, sizeof b);
		snprintf(text, sizeof text,
		    "notAfter %s of %s is later than %s of its issuer %s: clients "
		    "refuse it once the issuer expires",
		    a, ch->c[i]->subject, b, ch->c[i + 1]->subject);
		if ((rc = cf__chain_say(
		         s, CF__R_CHAIN_OUTLIVES, file, member_of(file, ch->c[i]), text)) != 0)
			return rc;
	}
	return 0;
}

/* The link of CH that does not verify (the trust list's signature
 * failure, or a self-signed end that is not an anchor): its index, or -1. */
static int
bad_link(struct ctx *x, const struct chain *ch, size_t *at)
{
	size_t i;
	int ok;

	for (i = 0; i < ch->n; i++) {
		const struct cf__facts *issuer = i + 1 < ch->n ? ch->c[i + 1] : ch->c[i];
		if (i + 1 == ch->n && !cf__is_self_signed(ch->c[i]))
			break;
		if ((ok = cf__chain_link_ok(x, ch->c[i], issuer)) < 0)
			return CF_E_NOMEM;
		if (!ok) {
			*at = i;
			return 1;
		}
	}
	return 0;
}

static int
say_bad_link(struct cf_scan *s, const struct cf__file *file, const struct cf__facts *cert,
    const struct cf__facts *issuer)
{
	char text[640];

	if (cert == issuer)
		snprintf(text, sizeof text,
		    "the self-signature of %s does not verify with its own key", cert->subject);
	else if (cert->aki && issuer->ski &&
	    (cert->aki_len != issuer->ski_len ||
	        memcmp(cert->aki, issuer->ski, cert->aki_len) != 0))
		snprintf(text, sizeof text,
		    "%s names by its authorityKeyIdentifier another key than that of %s "
		    "(sha256 %.16s), the one certificate of its issuer's name",
		    cert->subject, issuer->subject, issuer->sha256_hex);
	else if (cert->aki == NULL && cf__chain_has_ext(cert, cf__oid_aki, sizeof cf__oid_aki))
		snprintf(text, sizeof text,
		    "%s carries an authorityKeyIdentifier in a form certfleet does "
		    "not read (GnuTLS does) that names no key of %s (sha256 %.16s), the one "
		    "certificate of "
		    "its issuer's name: GnuTLS finds no issuer",
		    cert->subject, issuer->subject, issuer->sha256_hex);
	else
		snprintf(text, sizeof text,
		    "the signature of %s does not verify with the key of %s "
		    "(sha256 %.16s): its issuer's name, another key",
		    cert->subject, issuer->subject, issuer->sha256_hex);
	return cf__chain_say(s, CF__R_CHAIN_BAD_SIGNATURE, file, member_of(file, cert), text);
}

/* Is FILE a trust store, not a chain: every certificate a root, or two
 * roots or more (a chain ends at one; a CA bundle holds roots and
 * perhaps an intermediate)? */
static int
all_roots(const struct cf_scan *s, const struct cf__file *file)
{
	const struct cf__member *m = cf__members(file);
	uint32_t j, roots = 0, certs = 0;

	for (j = 0; j < file->dec->n_members; j++)
		if (m[j].kind == CF__M_CERT) {
			certs++;
			roots += cf__chain_is_root(s, m[j].facts) != 0;
		}
	return roots == certs || roots >= 2;
}

/* The certificate FILE's chain starts at: its first, when readable and
 * the file is not a trust store (anchors only); else NULL. */
const struct cf__facts *
cf__chain_head(const struct cf_scan *s, const struct cf__file *file)
{
	const struct cf__member *m0 = cf__first_cert(file);

	return m0 && cf__facts_usable(m0->facts) && !all_roots(s, file) ? m0->facts : NULL;
}

/* The walk both the verdicts ahead and the checks make over NODE's files:
 * the next one from *I on whose first certificate heads a chain, with *F
 * and *HEAD (1; *I past it), or 0 when none is left. One walk, so that
 * what is verified ahead is what is checked. */
int
cf__chain_next_head(const struct ctx *x, size_t node, size_t *i, const struct cf__file **f,
    const struct cf__facts **head)
{
	const struct cf_scan *s = x->s;

	while (*i < s->file_off[node + 1]) {
		*f = &s->files[s->file_order[(*i)++]];
		if ((*head = cf__chain_head(s, *f)) != NULL)
			return 1;
	}
	return 0;
}

/* A chain ending at an anchor the scan was given (--trust), that no file
 * of the node carries (a carried one has its own expiry findings), and
 * that is not valid at the reference time: tls-chain-untrusted, as GnuTLS
 * and openssl verify refuse an expired or not yet valid anchor. 1 said, 0,
 * or CF_E_NOMEM. */
static int
check_anchor_time(struct ctx *x, const struct cf__file *file, const struct chain *ch)
{
	const struct cf__facts *t = ch->c[ch->n - 1];
	int64_t now = x->s->policy.now;
	size_t i;
	char when[40], text[640];
	int rc;

	if (t->not_before <= now && now <= t->not_after)
		return 0;
	for (i = 0; i < x->n_pool; i++)
		if (x->pool[i].f == t)
			return 0;
	for (i = 0; i < x->s->n_trust && x->s->trust[i] != t; i++)
		;
	if (i == x->s->n_trust)
		return 0;
	cf_format_time(now < t->not_before ? t->not_before : t->not_after, when, sizeof when);
	snprintf(text, sizeof text,
	    "the chain of %s ends at the anchor %s (--trust), which is %s at the "
	    "reference time (%s %s)",
	    ch->c[0]->subject, t->subject, now < t->not_before ? "not yet valid" : "expired",
	    now < t->not_before ? "notBefore" : "notAfter", when);
	rc = cf__chain_say(x->s, CF__R_CHAIN_UNTRUSTED, file, NULL, text);
	return rc ? rc : 1;
}

static int
check_file(struct ctx *x, const struct cf__file *file, uint32_t set)
{
	const struct cf__facts *head = cf__chain_head(x->s, file);
	struct aset *a = &x->sets[set];
	struct chain ch;
	char text[768], reason[256];
	size_t at;
	int rc;

	if (head == NULL)
		return 0;
	if ((rc = cf__chain_build(x, file, a, head, &ch)) != 0)
		return rc;
	switch (ch.end) {
	case END_INCOMPLETE: {
		const struct cf__facts *last = ch.c[ch.n - 1];
		if (ch.capped)
			snprintf(text, sizeof text,
			    "the issuer of %s was not found among the first %d "
			    "certificates named %s that were tried (more bear that name; certfleet "
			    "tries %d): "
			    "none of them signed it",
			    last->subject, MAX_CANDIDATES, last->issuer, MAX_CANDIDATES);
		else
			snprintf(text, sizeof text,
			    "no certificate named %s, the issuer of %s, in this file, "
			    "in the node's other files or among its %zu anchor%s",
			    last->issuer, last->subject, a->n, a->n == 1 ? "" : "s");
		return cf__chain_say(x->s, CF__R_CHAIN_INCOMPLETE, file, NULL, text);
	}
	case END_BADSIG: return say_bad_link(x->s, file, ch.c[ch.n - 1], ch.bad_issuer);
	case END_LOOP:
	case END_DEEP:
		snprintf(text, sizeof text, "the chain of %s %s", ch.c[0]->subject,
		    ch.end == END_LOOP ? "loops back on itself" : "is longer than 16 certificates");
		return cf__chain_say(x->s, CF__R_CHAIN_UNTRUSTED, file, NULL, text);
	case END_SELF:
		if ((rc = bad_link(x, &ch, &at)) < 0)
			return rc;
		if (rc == 1 &&
		    (rc = say_bad_link(
		         x->s, file, ch.c[at], at + 1 < ch.n ? ch.c[at + 1] : ch.c[at])) != 0)
			return rc;
		snprintf(text, sizeof text,
		    "the chain of %s ends at %s, which is not one of the node's %zu "
		    "anchor%s (its self-signed CA certificates, --trust, --system-trust)",
		    ch.c[0]->subject, ch.c[ch.n - 1]->subject, a->n, a->n == 1 ? "" : "s");
		if ((rc = cf__chain_say(x->s, CF__R_CHAIN_UNTRUSTED, file, NULL, text)) != 0)
			return rc;
		if (ch.n > 1 && (rc = check_order(x->s, file, &ch)) != 0)
			return rc;
		return check_outlives(x->s, file, &ch);
	case END_TRUSTED: break;
	}
	if ((rc = check_anchor_time(x, file, &ch)) != 0)
		return rc < 0 ? rc : 0;
	if (ch.n > 1 && (rc = cf__chain_judge(x, ch.c, ch.n, &ch.status)) != 0)
		return rc;
	if (ch.status & (GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_SIGNER_NOT_FOUND)) {
		if ((rc = bad_link(x, &ch, &at)) < 0)
			return rc;
		if (rc == 1)
			return say_bad_link(x->s, file, ch.c[at], ch.c[at + 1]);
	}
	if (ch.status) {
		gnutls_datum_t out = { 0 };
		if (gnutls_certificate_verification_status_print(
		        ch.status, GNUTLS_CRT_X509, &out, 0) >= 0)
			snprintf(reason, sizeof reason, "%s", (char *)out.data);
		else
			snprintf(reason, sizeof reason, "status 0x%x", ch.status);
		gnutls_free(out.data);
		snprintf(text, sizeof text, "the chain of %s to the anchor %s does not verify: %s",
		    ch.c[0]->subject, ch.c[ch.n - 1]->subject, reason);
		return cf__chain_say(x->s, CF__R_CHAIN_UNTRUSTED, file, NULL, text);
	}
	if ((rc = check_order(x->s, file, &ch)) != 0 || (rc = check_outlives(x->s, file, &ch)) != 0)
		return rc;
	return ch.n > 1 ? cf__chain_check_split(x, file, set, &ch) : 0;
}

/* A chain of a node without anchors (FILE's, from HEAD): when it ends at
 * a self-signed certificate of the node that cannot be an anchor (CA:FALSE,
 * or version 1 under --trust), that is a finding, not a chain left
 * unchecked. 1 said, 0 (unchecked), or CF_E_NOMEM. */
static int
check_no_anchor(struct ctx *x, const struct cf__file *file, const struct cf__facts *head)
{
	struct chain ch;
	const struct cf__facts *end;
	char text[640];
	int rc;

	if ((rc = cf__chain_build(x, file, NULL, head, &ch)) != 0)
		return rc;
	end = ch.c[ch.n - 1];
	if (ch.end != END_SELF || ch.n < 2 || cf__chain_is_root(x->s, end))
		return 0;
	snprintf(text, sizeof text,
	    "the chain of %s ends at %s, which is self-signed but %s: it cannot be "
	    "an anchor, and the node carries no other",
	    head->subject, end->subject,
	    end->version == 1 ? "a version 1 certificate while --trust names the anchors"
	                      : "no CA (basicConstraints "
	                        "CA:FALSE or absent)");
	rc = cf__chain_say(x->s, CF__R_CHAIN_UNTRUSTED, file, NULL, text);
	return rc ? rc : 1;
}

static int
check_node(struct ctx *x, size_t node)
{
	struct cf_scan *s = x->s;
	uint32_t set = x->node_set[node];
	const struct cf__file *f;
	const struct cf__facts *head;
	size_t i, chains = 0;
	int rc;

	if ((rc = cf__chain_fill_pool(x, node)) != 0)
		return rc;
	for (i = s->file_off[node]; cf__chain_next_head(x, node, &i, &f, &head);) {
		/* a self-signed leaf has no issuer to look for: without an
		 * anchor there is nothing to say of it */
		if (set == NONE && !cf__is_self_signed(head)) {
			if ((rc = check_no_anchor(x, f, head)) < 0)
				return rc;
			chains += rc == 0;
		}
		if (set != NONE && (rc = check_file(x, f, set)) != 0)
			return rc;
	}
	if (set == NONE && chains && x->unchecked++ < 3)
		x->unchecked_first[x->unchecked - 1] = (uint32_t)node;
	return 0;
}

/* One skip entry (at the first such node) for the nodes whose chains were
 * not checked: a fleet of 100,000 without a CA file is one line. */
static int
say_unchecked(struct ctx *x)
{
	char names[256];
	size_t i, o = 0;

	for (i = 0; i < x->unchecked && i < 3; i++)
		o += (size_t)snprintf(names + o, sizeof names - o, "%s%s", i ? ", " : "",
		    x->s->nodes[x->unchecked_first[i]]);
	if (x->unchecked > 3)
		snprintf(names + o, sizeof names - o, " and %zu more", x->unchecked - 3);
	return cf__skip_add_at(x->s, (uint32_t)x->unchecked_first[0], cf__raw("(chains)"),
	    "chains not checked on "
	    "%zu node%s (%s): %s no self-signed CA certificate, and neither --trust nor "
	    "--system-trust "
	    "gave one",
	    x->unchecked, x->unchecked == 1 ? "" : "s", names,
	    x->unchecked == 1 ? "it carries" : "they carry");
}

static void
free_rec(void *p)
{
	free(p);
}

int
cf__chains_run(struct cf_scan *s)
{
	struct ctx x = { .s = s };
	size_t node, i;
	int rc = 0, on = 0;

	for (i = 0; i < CF__R_COUNT; i++) /* the rows this pass raises */
		on |= cf__rules[i].run == cf__chains_run && s->policy.severity[i] != CF_SEV_NEVER;
	if (!on) /* every chain rule turned off */
		return 0;
	/* libcrypto as it is built, whatever OPENSSL_CONF names: no
	 * configuration file read, no provider or engine module loaded */
	if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) != 1)
		return CF_E_NOMEM;

	x.cache = cf__dmap_new(free_rec);
	x.set_ids = cf__dmap_new(free_rec);
	x.node_set = malloc((s->n_nodes + 1) * sizeof *x.node_set);
	x.split_said = calloc(s->n_nodes + 1, 1);
	if (x.cache == NULL || x.set_ids == NULL || x.node_set == NULL || x.split_said == NULL)
		rc = CF_E_NOMEM;
	if (rc == 0)
		rc = cf__chain_find_sets(&x);
	if (rc == 0)
		rc = cf__chain_ahead(&x);
	for (node = 0; node < s->n_nodes && rc == 0; node++)
		rc = check_node(&x, node);
	if (rc == 0 && cf__chain_splits(&x))
		rc = cf__chain_say_minority_splits(&x);
	if (rc == 0 && x.unchecked)
		rc = say_unchecked(&x);
	for (i = 0; i < x.n_sets; i++)
		free(x.sets[i].v);
	cf__chain_tl_clear(&x.tc);
	free(x.sets);
	free(x.pool);
	free(x.node_set);
	free(x.split_said);
	if (x.cache)
		cf__dmap_free(x.cache);
	if (x.set_ids)
		cf__dmap_free(x.set_ids);
	return rc;
}
