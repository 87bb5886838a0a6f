/*
 * chain.h - what the files of the chain pass share (check/chain*.c):
 * the chain being built, the anchor sets, the verdict cache, and the
 * functions of one file the others call. Nothing outside check/chain*.c
 * includes it.
 */
#ifndef CF_CHECK_CHAIN_H
#define CF_CHECK_CHAIN_H

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <openssl/evp.h>

#include "check/check.h"
#include "util/util.h"


#define MAX_DEPTH 16     /* certificates in one chain */
#define MAX_CANDIDATES 8 /* issuers of one name tried */
#define MAX_SETS 32      /* anchor sets a trusted chain is compared with */
#define NONE UINT32_MAX
/* what says a signature does not verify (other bits are the trust list's) */
#define SIG_BITS (GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_SIGNER_NOT_FOUND)

/* Time is judged by the time rules, weak hashes by tls-sig-weak: the
 * chain verdict is about who signed what. */
#define VERIFY_FLAGS \
	(GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS | \
	    GNUTLS_VERIFY_ALLOW_BROKEN | GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1)

/* One distinct set of anchors, shared by the nodes that carry it. */
struct aset {
	const struct cf__facts **v; /* by SHA-256 */
	size_t n;
	size_t nodes;      /* how many nodes carry it */
	uint32_t first[3]; /* the first of them */
	int top;           /* among the MAX_SETS most carried */
	/* the first chain of the largest set that this set's anchors reject:
	 * this set's nodes are told (tls-trust-split) after the pass */
	const struct cf__facts *split_leaf, *split_end;
	uint32_t split_path, split_by; /* its path, the set that carries it */
};

/* A certificate of the node being checked. */
struct held {
	const struct cf__facts *f;
	uint32_t file;
};

/* Trust lists of one certificate each (the anchor, or the issuer of a
 * link), the last few used: made with GnuTLS for one thread. */
#define TL_CACHE 8
#define FAST_KEYS 8     /* issuers' keys loaded in OpenSSL, per thread */
#define FAST_CLASSES 16 /* kinds of link GnuTLS accepted, per thread */
struct tlcache {
	const struct cf__facts *f[TL_CACHE];
	gnutls_x509_trust_list_t tl[TL_CACHE];
	unsigned next;
	/* the fast path of a link (see fast_class) */
	const struct cf__facts *kf[FAST_KEYS];
	EVP_PKEY_CTX *kctx[FAST_KEYS];
	const EVP_MD *kmd[FAST_KEYS];
	unsigned knext;
	unsigned char cls[FAST_CLASSES][32];
	unsigned n_cls, cnext;
};

struct ctx {
	struct cf_scan *s;
	struct tlcache tc;        /* the scan thread's */
	struct cf__dmap *cache;   /* links (kind 1) and verdicts (kind 2) */
	struct cf__dmap *set_ids; /* anchor set id -> index + 1 */
	struct aset *sets;
	size_t n_sets, cap_sets;
	size_t largest;            /* the set most nodes carry, alone; or n_sets on a tie */
	uint32_t *node_set;        /* per node: its set, or NONE */
	unsigned char *split_said; /* per node: a tls-trust-split was said */
	struct held *pool;         /* the node's certificates, by subject */
	size_t n_pool, cap_pool;
	size_t unchecked; /* nodes with chains and no anchor */
	uint32_t unchecked_first[3];
};

enum end { END_TRUSTED, END_SELF, END_INCOMPLETE, END_BADSIG, END_LOOP, END_DEEP };

struct chain {
	const struct cf__facts *c[MAX_DEPTH];
	size_t n;
	enum end end;
	const struct cf__facts *bad_issuer; /* END_BADSIG: the issuer c[n-1] fails with */
	int capped;                         /* END_INCOMPLETE: MAX_CANDIDATES of the issuer's
	                                         name were tried, none signs: others not tried */
	unsigned status;                    /* END_TRUSTED: GnuTLS's verdict */
};


/* nameConstraints, the TLS feature extension, authorityKeyIdentifier */
extern const unsigned char cf__oid_nc[3], cf__oid_tlsfeature[8], cf__oid_aki[3];

/* A link's class and signed parts, between cf__fast_accepts and
 * cf__fast_learn. */
struct fast_link {
	int fast; /* may take the fast path */
	struct cf__der_signed sg;
	unsigned char cls[32];
	const EVP_MD *md;
};

/* chain_fast.c */
int cf__chain_has_ext(const struct cf__facts *f, const unsigned char *oid, size_t n);
int cf__fast_accepts(struct tlcache *c, const struct cf__facts *cert,
    const struct cf__facts *issuer, struct fast_link *l);
void cf__fast_learn(struct tlcache *c, const struct cf__facts *issuer, const struct fast_link *l);

/* chain_verify.c */
int cf__chain_link_ok(struct ctx *x, const struct cf__facts *cert, const struct cf__facts *issuer);
void cf__chain_tl_clear(struct tlcache *c);
int cf__chain_atom_id(
    const struct cf__facts *const *c, size_t n, const struct cf__facts *t, unsigned char id[32]);
unsigned cf__chain_verdict(
    struct tlcache *tc, const struct cf__facts *const *c, size_t n, const struct cf__facts *t);
int cf__chain_by_links(const struct cf__facts *const *c, size_t n);
int cf__chain_judge(struct ctx *x, const struct cf__facts *const *c, size_t n, unsigned *out);

/* chain_build.c */
int cf__chain_is_root(const struct cf_scan *s, const struct cf__facts *f);
int cf__chain_cmp_name(const unsigned char *a, size_t na, const unsigned char *b, size_t nb);
int cf__chain_in_set(const struct aset *a, const struct cf__facts *f);
int cf__chain_build(struct ctx *x, const struct cf__file *file, struct aset *a,
    const struct cf__facts *leaf, struct chain *ch);
int cf__chain_fill_pool(struct ctx *x, size_t node);
size_t cf__chain_node_anchors(struct ctx *x, size_t node, const struct cf__facts ***v, size_t *cap);

/* chain_split.c */
int cf__chain_find_sets(struct ctx *x);
int cf__chain_splits(const struct ctx *x);
int cf__chain_check_split(
    struct ctx *x, const struct cf__file *file, size_t own, const struct chain *ch);
int cf__chain_say_minority_splits(struct ctx *x);

/* chain_ahead.c */
int cf__chain_ahead(struct ctx *x);

/* chain.c */
int cf__chain_say(struct cf_scan *s, enum cf__rule_id rule, const struct cf__file *file,
    const struct cf__member *m, const char *text);
const struct cf__facts *cf__chain_head(const struct cf_scan *s, const struct cf__file *file);
int cf__chain_next_head(const struct ctx *x, size_t node, size_t *i, const struct cf__file **f,
    const struct cf__facts **head);

#endif
