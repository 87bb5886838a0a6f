/*
 * core.h - the core stage: the scan handle, the model (files, members,
 * findings, skips), the rule table's type, jobs and the pipeline, the DER
 * store's container, errors. It includes only util/; the stages above it
 * (facts, decode, source, check, report) include it. Names are cf__
 * (library-private); no type here leaks into certfleet.h.
 */
#ifndef CERTFLEET_CORE_H
#define CERTFLEET_CORE_H

#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include "certfleet.h"

#include "util/util.h"

/* ---- the DER store (store.c) ------------------------------------------------ */
struct cf__facts; /* facts/facts.h */
/* The DER store (core/store.c): facts records (one allocation each, freed
 * with free()) by the SHA-256 of their DER and their kind (a DER read as a
 * certificate and as a key are two records); the facts stage fills it. */
struct cf__facts_cache {
	struct cf__dmap *map;
	size_t certs; /* certificate records GnuTLS read; atomic */
	/* what decoders share besides: the passwords to try on PKCS#12 and
	 * keystores (the scan's, in order; set before any input is added) */
	char **passwords;
	size_t n_passwords;
	/* where each applies: 0 everywhere, K the logical paths SCOPES[K-1]
	 * matches (--password-file GLOB=FILE); at most CF__PW_SCOPES globs */
	unsigned char *pw_scope;
	char **scopes;
	size_t n_scopes;
	/* the scan's key derivation budget (iterations; set when the first
	 * job is submitted) and what workers spent of it ahead of commit
	 * (atomic): a decoder that would pass it stops (cf__decoded's
	 * kdf_cut) and the file is decoded again, in commit order, with
	 * exactly what is left (cf__commit) */
	uint64_t kdf_budget;
	uint64_t kdf_spent;
	/* A worker's job past the shared budget waits here for its turn:
	 * 1 when every job before JOB is committed (*LEFT: what the budget
	 * has left for it), 0 when it cannot wait (the committing thread, a
	 * scan being stopped). NULL: nobody waits. */
	int (*kdf_turn)(void *job, uint64_t *left);
};
#define CF__PW_SCOPES 16
/* The password scopes of C whose glob matches PATH (bit K: SCOPES[K]). */
uint16_t cf__pw_mask(const struct cf__facts_cache *c, const char *path);
struct cf__facts_cache *cf__facts_cache_new(void);
void cf__facts_cache_free(struct cf__facts_cache *c);
/* Distinct certificates that GnuTLS read (keys and refused DER not counted). */
size_t cf__facts_cache_size(const struct cf__facts_cache *c);
/* Every record of the store, any kind, distinct: *N of them, the I-th by
 * cf__facts_cache_at (NULL past the end). */
size_t cf__facts_cache_count(const struct cf__facts_cache *c);
const struct cf__facts *cf__facts_cache_at(const struct cf__facts_cache *c, size_t i);

/* ---- scan model (model.c, scan.c) ---------------------------------------------------- */
/* What a member is: a certificate, a private key (read, or encrypted and
 * not decrypted), a CRL (audited), or a block that does not decode. */
enum cf__member_kind { CF__M_CERT, CF__M_KEY, CF__M_KEY_ENCRYPTED, CF__M_INVALID, CF__M_CRL };

/* One PEM block or DER file (24 bytes; members live in the decoded record
 * that every copy of the same bytes shares). */
struct cf__member {
	const struct cf__facts *facts; /* CERT: its facts; KEY: the key's; CRL: the
	                                     CRL's (issuer, thisUpdate, nextUpdate); else NULL */
	uint32_t line;
	uint32_t index; /* any bundle the limits allow */
	uint8_t kind;
	uint8_t decrypted; /* KEY: decrypted with a password given */
};

/* The decoded form of a file's bytes, as read under a name of one class
 * (.der/.cer, .key, other): shared by every file with the same bytes and
 * class (a fleet's copies), immutable, owned by the scan's content map. */
struct cf__decoded {
	struct cf__member *members;
	uint32_t n_members, n_certs;
	size_t cap;
	uint8_t is_der;
	uint8_t pair_any;
	uint8_t unordered; /* its certificates are a set (PKCS#7, PKCS#12, a
	                             keystore): no chain order to keep */
	/* while it is decoded only: the passwords that apply to its path */
	const char **pw;
	size_t n_pw;
	uint8_t key_tries; /* passwords tried on its encrypted keys (at most
	                             CF__MAX_KEY_TRIES: each may cost seconds) */
	/* key derivation: while decoded, the budget (KDF_EXACT: at most
	 * KDF_LIMIT iterations; else the scan's, shared) and the cache that
	 * holds it; then the iterations spent (KDF_WORK), and KDF_CUT when the
	 * shared budget stopped it (then it is decoded again at commit) */
	struct cf__facts_cache *kdf_cache;
	void *kdf_job;
	uint64_t kdf_limit, kdf_work;
	uint8_t kdf_exact, kdf_cut, kdf_said;
	/* set at commit (the scan's thread) only: its key derivation is
	 * counted in the scan's (KDF_CHARGED), and REDO is what it decodes to
	 * with what was left of the budget (owned), or NULL */
	uint8_t kdf_charged;
	struct cf__decoded *redo;
	unsigned char identity[32];
	struct cf__pending *pending;
	size_t n_pending, cap_pending;
	/* findings past CF__MAX_PER_CHECK of one rule in this file, by rule:
	 * counted, not kept (NULL until the first); said in one more finding */
	struct cf__over {
		uint32_t n;
		int index, line;
	} * over;
	/* nothing to audit in it (parameters, a request, a public key, a
	 * label not read): why it is skipped, or NULL */
	char *skip;
	/* the members' names where the format gives one (a keystore entry's
	 * alias), by member position; NULL, or N_NAMES of them (NULL each) */
	char **names;
	size_t n_names;
};

/* The name of member M of D (a keystore alias), or NULL. */
static inline const char *
cf__member_label(const struct cf__decoded *d, const struct cf__member *m)
{
	size_t i = (size_t)(m - d->members);

	return i < d->n_names ? d->names[i] : NULL;
}

/* One file of one node: 32 bytes, as a fleet holds millions; what it
 * holds is its decoded record, shared by every copy of the same bytes. */
struct cf__file {
	const char *node, *path; /* interned, sanitized: node name, logical path */
	uint32_t node_ix, path_ix;
	const struct cf__decoded *dec; /* members, counts, identity */
};

static inline const struct cf__member *
cf__members(const struct cf__file *f)
{
	return f->dec->members;
}

/* The first certificate member of F, or NULL. */
static inline const struct cf__member *
cf__first_cert(const struct cf__file *f)
{
	const struct cf__member *m = cf__members(f);
	uint32_t i;

	for (i = 0; i < f->dec->n_members; i++)
		if (m[i].kind == CF__M_CERT)
			return &m[i];
	return NULL;
}

struct cf__finding {
	const struct cf__rule *rule;
	enum cf_severity severity; /* the policy's for the rule */
	const char *node, *path;   /* interned */
	uint32_t node_ix, path_ix;
	int index, line;
	char *message;
	const struct cf__facts *facts; /* may be NULL */
};

struct cf__skip {
	char *node, *path, *reason;
};

/* The rules: ids are a contract (README, reports); the table is check/. */
enum cf__rule_id {
	CF__R_CERT_EXPIRED,
	CF__R_CERT_SOON,
	CF__R_CERT_INVALID,
	CF__R_CERT_NOT_YET_VALID,
	CF__R_CERT_TOO_LONG,
	CF__R_CERT_MISMATCH,
	CF__R_CERT_MISSING,
	CF__R_KEY_MISMATCH,
	CF__R_PEM_LAX,
	CF__R_INPUT_UNREADABLE,
	CF__R_PATH_DUPLICATE,
	CF__R_CRL_EXPIRED,
	CF__R_INPUT_EMPTY,
	CF__R_DER_NONCANONICAL,
	CF__R_KEY_WEAK,
	CF__R_SIG_WEAK,
	CF__R_CERT_NO_SAN,
	CF__R_CERT_VALIDITY_LONG,
	CF__R_CERT_NONCOMPLIANT,
	CF__R_CERT_PURPOSE,
	CF__R_KEY_REUSE,
	CF__R_CHAIN_INCOMPLETE,
	CF__R_CHAIN_UNTRUSTED,
	CF__R_CHAIN_BAD_SIGNATURE,
	CF__R_CHAIN_ORDER,
	CF__R_CHAIN_OUTLIVES,
	CF__R_TRUST_SPLIT,
	CF__R_CERT_NAME_MISMATCH,
	CF__R_POLICY_UNMATCHED,
	CF__R_COUNT
};
/* What a rule is judged on: one certificate, one file (raised by the
 * decoder), a key and its certificate, a path across the fleet, or the
 * reading of an input. Reports ask the scope, never the id string. */
enum cf__scope {
	CF__SCOPE_CERT = CF_SCOPE_CERT,
	CF__SCOPE_FILE = CF_SCOPE_FILE,
	CF__SCOPE_PAIR = CF_SCOPE_PAIR,
	CF__SCOPE_FLEET = CF_SCOPE_FLEET,
	CF__SCOPE_INPUT = CF_SCOPE_INPUT
};

struct cf_policy;
struct cf__rule {
	enum cf__rule_id num;
	const char *id; /* "tls-cert-expired" */
	enum cf_severity severity;
	enum cf__scope scope;
	const char *description; /* one line, for `rules` and reports */
	/* when it is raised, in full (Markdown): the README's table of
	 * findings and `certfleet rules --format markdown` */
	const char *doc;
	const char *headline; /* how every finding's message starts (cf__finding_add adds it) */
	/* CERT scope: 1 (with DETAIL filled) when certificate F, at logical
	 * PATH (most rules judge the facts alone), breaks the rule */
	int (*cert)(const struct cf_policy *p, const struct cf__facts *f, const char *path,
	    char *detail, size_t len);
	/* the pass over the scan that raises this rule (several rows may share
	 * one); run once each, by scope: CERT, then PAIR, then FLEET */
	int (*run)(struct cf_scan *s);
	const char *fix; /* what to do about a finding, for reports' help */
};

/* The table, indexed by enum cf__rule_id (check/). */
extern const struct cf__rule cf__rules[CF__R_COUNT];
#define cf__n_rules ((size_t)CF__R_COUNT)

/* A finding made while decoding, before it is committed to the scan. */
struct cf__pending {
	const struct cf__rule *rule;
	int index, line;
	const struct cf__facts *facts;
	char *message;
};

/*
 * One file to decode: made by a source on the scan's thread, fetched and
 * decoded through its hooks by cf__job_run() on any thread (they touch only
 * the job and the locked maps), committed to the scan by cf__commit() on
 * the scan's thread, in the order the source made them.
 */
struct cf__job {
	uint32_t node_ix;    /* resolved when submitted */
	char *raw_path;      /* as read, not sanitized; owned */
	char *full;          /* a file to read (on the worker), or NULL */
	uint64_t cap;        /* its read limit */
	char *read_error;    /* why FULL could not be read */
	uint8_t quiet;       /* FULL is no certificate: skipped silently */
	uint8_t k8s;         /* FULL is a Kubernetes dump by content:
	                                     expanded on the scan's thread (cf_scan_run) */
	char *raw_node;      /* the node as the source named it (a file
	                                     read by a worker, not named as a certificate) */
	unsigned char *data; /* owned; freed once decoded */
	size_t len;
	char *spath;                   /* sanitized path (decode makes it) */
	const struct cf__decoded *dec; /* in the content map */
	int rc;
	uint8_t named;             /* a certificate or key by name: an
	                                     unread file is a finding, not a skip */
	uint16_t pw_mask;          /* the password scopes its path is in */
	uint8_t kdf_exact;         /* decode with at most KDF_LIMIT of key */
	uint64_t kdf_limit;        /* derivation (else the shared budget) */
	uint8_t kdf_redo;          /* ... again, outside the content map */
	size_t seq;                /* its place in the pipeline's order */
	struct cf__pipeline *pipe; /* the budget of reads in flight, or NULL */
	size_t held;               /* bytes of it this job holds */
	/* hooks, set by the source that made the job; both run on a worker */
	int (*fetch)(struct cf__job *j); /* read the bytes (NULL: DATA given):
	                                     1 read, 0 nothing to decode */
	int (*decode)(struct cf__facts_cache *facts, struct cf__dmap *content,
	    struct cf__job *j); /* DATA -> DEC, freeing DATA unless
	                                     DEC spent key derivation (then
	                                     cf__commit may decode it again) */
};
/* Move a decoded job into the scan; frees the job's contents (not JOB). */
int cf__commit(struct cf_scan *s, struct cf__job *job);
void cf__job_clear(struct cf__job *job);
/* A new job for a file of NODE at PATH (raw names, copied); the caller sets
 * its data or fetch hook and its decode hook. NULL when out of memory. */
struct cf__job *cf__job_new(struct cf_scan *s, struct cf__raw node, struct cf__raw path);
/* Fetch (when the job has a fetch hook) and decode JOB, on any thread.
 * Returns JOB's rc. */
int cf__job_run(struct cf__facts_cache *facts, struct cf__dmap *content, struct cf__job *job);
void cf__decoded_free(void *dec);

/* ---- pipeline (pipeline.c) --------------------------------------------------------- */
struct cf__pipeline;
/* Decode JOB (heap-allocated; ownership passes): inline when the scan runs
 * one job, else on a worker thread, committed in submission order. */
int cf__pipeline_submit(struct cf_scan *s, struct cf__job *job);
/* Wait for every submitted job, commit it, stop the workers. */
int cf__pipeline_drain(struct cf_scan *s);
/* Stop the workers and drop every job not committed (cf_scan_free). */
void cf__pipeline_abort(struct cf_scan *s);
/* The memory of file reads in flight, shared by all workers, is bounded:
 * a job about to hold N bytes waits while others hold the budget
 * (CF__READ_BUDGET; a file larger than it is read alone). Called by a
 * job's fetch hook through cf__read_file_admit; the job gives them back
 * when decoded. Both are no-ops for a job outside a pipeline. */
#define CF__READ_BUDGET ((size_t)256 << 20)
void cf__pipeline_admit(void *job, size_t n);
void cf__pipeline_release(struct cf__job *job);

/* ---- the policy (policy.c) -------------------------------------------------------- */
/* The largest value a limit takes (2^50: sums of sizes cannot wrap). */
#define CF__LIMIT_MAX ((uint64_t)1 << 50)
/* Read limits (public: enum cf_limit, one at a time). */
struct cf__limits {
	uint64_t max_file_size;  /* one file or archive entry */
	uint64_t max_total_size; /* uncompressed bytes of one archive */
	uint64_t max_ratio;      /* uncompressed / compressed of one archive */
	uint64_t max_entries;    /* entries of one archive */
	uint64_t max_kdf_work;   /* key derivation iterations of the scan */
};
/* How reports are written (report/options.c). */
enum cf__junit_warnings { CF__JW_SKIPPED, CF__JW_FAILURE, CF__JW_OUTPUT };
struct cf__report_opts {
	enum cf__junit_warnings junit_warnings;
	uint64_t markdown_max_bytes;
	char **prom_labels; /* 'key="escaped value"', sanitized */
	size_t n_prom_labels, cap_prom_labels;
	size_t max_lines; /* terminal: lines per check; 0 = all */
	int color;        /* terminal: ANSI colour */
};
/* A password to try (cf_policy_add_password): on every file (GLOB NULL)
 * or on the files whose logical path GLOB matches. */
struct cf__password {
	char *pw;            /* wiped when freed */
	unsigned char scope; /* 0: every file; K: the paths pw_scopes[K - 1] matches */
};
/* Every setting a scan takes; the public handle of cf_policy_new(). A
 * scan holds its own copy (cf_scan_set_policy, and the cf_scan_set_*
 * twins change it). */
struct cf_policy {
	/* what the scan judges by */
	int64_t now, soon, max_validity_days;
	int soon_percent; /* 1..99: soon relative to the lifetime; 0: SOON */
	int profile;      /* enum cf_profile */
	enum cf_severity fail_on;
	char **identical, **per_node;
	size_t n_identical, n_per_node;
	/* expect_name: "GLOB=TEMPLATE" each ({node}: the node's name) */
	char **expect_names;
	size_t n_expect_names;
	struct cf__limits limits;
	/* per rule (enum cf__rule_id): the severity its findings carry;
	 * CF_SEV_NEVER turns the rule off */
	enum cf_severity severity[CF__R_COUNT];
	/* the anchors: paths read when a scan takes the policy, the system's
	 * store, and whether they are the only ones (trust_only) */
	char **trust;
	size_t n_trust;
	int system_trust, trust_only;
	/* how inputs are read */
	struct cf__password *passwords;
	size_t n_passwords;
	char *pw_scopes[CF__PW_SCOPES]; /* the distinct globs of PASSWORDS */
	size_t n_pw_scopes;
	int jobs;              /* decoding threads, 1 to 256 */
	int follow_links;      /* links leaving the INPUT are followed too */
	enum cf_layout layout; /* how a folder INPUT is read */
	char *node;            /* the node name of the inputs, or NULL */
	/* how reports are written */
	char *comment; /* sanitized, or NULL */
	struct cf__report_opts ropts;
	char error[512]; /* cf_policy_error() */
};
/* The defaults (the only place they are written). */
void cf__policy_init(struct cf_policy *p);
/* DST becomes a deep copy of SRC (DST's old contents freed): 0 or CF_E_NOMEM. */
int cf__policy_copy(struct cf_policy *dst, const struct cf_policy *src);
void cf__policy_clear(struct cf_policy *p);
/* P's error becomes the formatted message; returns CODE. */
int cf__policy_fail(struct cf_policy *p, int code, const char *fmt, ...) CF__PRINTF(3, 4);
/* The scan's copy of P's passwords into its facts cache (none there
 * before): 0, CF_E_USAGE or CF_E_NOMEM (scan.c). */
int cf__scan_take_passwords(struct cf_scan *s);

/* An INPUT added with cf_scan_add_input(): what a report must not replace. */
struct cf__input {
	dev_t dev;
	ino_t ino;
	int dir;
	char *real; /* a folder's realpath, or NULL */
	char *name; /* as given */
};

struct cf_scan {
	struct cf_policy policy;
	uint64_t kdf_charged; /* key derivation counted, in commit order */
	struct cf__input *inputs;
	size_t n_inputs, cap_inputs;
	/* which INPUT made each node (an index into INPUTS, or -1 for memory)
	 * and, while an INPUT is added, the first earlier node it reached */
	long *node_input;
	size_t cap_node_input;
	/* where each node was read from, with its separator ("fleet/n01/",
	 * "fleet/n02.tar.gz:"), for reports that locate files; NULL unknown */
	char **node_origin;
	size_t cap_node_origin;
	long adding, clash_node;
	/* dumps found by content on a worker, expanded after the pipeline
	 * drains (in commit order) by EXPAND, the source's */
	struct cf__deferred {
		char *raw_node, *raw_path;
		unsigned char *data;
		size_t len;
	} * deferred;
	size_t n_deferred, cap_deferred;
	int (*expand)(struct cf_scan *s, struct cf__raw raw_node, struct cf__raw raw_path,
	    const unsigned char *data, size_t len);
	void (*progress)(size_t files, size_t nodes, void *arg);
	void *progress_arg;

	struct cf__facts_cache *cache;
	/* the trust anchors of --trust and --system-trust (facts in CACHE) */
	const struct cf__facts **trust;
	size_t n_trust, cap_trust;
	struct cf__dmap *content; /* cf__decoded by file bytes and name class */
	struct cf__pipeline *pipe;
	struct cf__strtab node_tab, path_tab;
	char **nodes;
	size_t n_nodes;    /* = node_tab.v, node_tab.n (kept in step) */
	char *last_node;   /* raw, as the source named it: compared raw */
	long last_node_ix; /* the node of the last file added */
	struct cf__file *files;
	size_t n_files, cap_files;
	size_t *file_off;
	uint32_t *file_order; /* files by node (cf__index_files) */
	size_t *finding_off;
	uint32_t *finding_order; /* findings by node */
	struct cf__finding *findings;
	size_t n_findings, cap_findings;
	struct cf__skip *skips;
	size_t n_skips, cap_skips;
	struct cf_item *items;
	size_t n_items; /* the accessors' index (report/access.c) */
	int ran;
	char error[1024];
};

/* The severity findings of RULE carry in scan S (its policy's). */
static inline enum cf_severity
cf__rule_severity(const struct cf_scan *s, const struct cf__rule *rule)
{
	return s->policy.severity[rule->num];
}

int cf__set_error(struct cf_scan *s, int code, const char *fmt, ...) CF__PRINTF(3, 4);
/* RC from a setter of the scan's own policy: 0, or RC with the policy's
 * message made the scan's (the deprecated cf_scan_set_* twins). */
int cf__scan_relay(struct cf_scan *s, int rc);
/* Index of node RAW (sanitized here) in the scan's node list, added when
 * new; -1 out of memory. */
long cf__scan_node(struct cf_scan *s, struct cf__raw raw);
/* Record where node RAW_NODE is read from: ORIGIN (a folder, an archive
 * file, as given) and SEP ('/' for a folder, ':' for an archive); the
 * first one stays. 0 or CF_E_NOMEM. */
int cf__scan_node_origin(struct cf_scan *s, struct cf__raw raw_node, const char *origin, char sep);
/* A tls-input-unreadable finding from a source: RAW_NODE and RAW_PATH as
 * read, sanitized here, like the formatted message. */
int cf__input_finding(struct cf_scan *s, struct cf__raw raw_node, struct cf__raw raw_path,
    const char *fmt, ...) CF__PRINTF(4, 5);
/* The same for the node of index NODE_IX (its name already sanitized:
 * never sanitized twice, which would make another node of "n\\1"). */
int cf__input_finding_at(struct cf_scan *s, uint32_t node_ix, struct cf__raw raw_path,
    const char *fmt, ...) CF__PRINTF(4, 5);
/* Record a finding; NODE and PATH are sanitized text already (a model
 * file's; interned here: a raw name goes through cf__input_finding); the
 * message is RULE's headline, ": ", and FMT formatted from sanitized parts
 * (the one place a headline is added); none when the policy turned RULE
 * off (severity never). Returns 0 or CF_E_NOMEM. */
int cf__finding_add(struct cf_scan *s, enum cf__rule_id rule, const char *node, const char *path,
    int index, int line, const struct cf__facts *facts, const char *fmt, ...) CF__PRINTF(8, 9);
/* A skipped entry: RAW_NODE and RAW_PATH as read, sanitized here, like the
 * formatted reason. 0 or CF_E_NOMEM. */
int cf__skip_add(struct cf_scan *s, struct cf__raw raw_node, struct cf__raw raw_path,
    const char *fmt, ...) CF__PRINTF(4, 5);
/* The same for the node of index NODE_IX (its name already sanitized). */
int cf__skip_add_at(struct cf_scan *s, uint32_t node_ix, struct cf__raw raw_path, const char *fmt,
    ...) CF__PRINTF(4, 5);

/* ---- model indexes (model.c) ------------------------------------------------- */
/* One file per (node, logical path): when a path came more than once in a
 * node (an archive holding an entry twice, a node folder beside a node
 * archive), the last one read wins, as extraction would keep it; the
 * others go, with their decoding findings, and a tls-path-duplicate
 * finding says so. The consistency vote then counts the node once. */
int cf__dedup_files(struct cf_scan *s);
/* Index files / findings by node: the files of node N are
 * files[file_order[file_off[N] .. file_off[N + 1])], likewise findings. */
int cf__index_files(struct cf_scan *s);
int cf__index_findings(struct cf_scan *s);

/* "error", "warning", "info", "never". */
const char *cf__severity_name(enum cf_severity s);

#endif
