/*
 * certfleet.h - the one public header of libcertfleet.
 *
 * libcertfleet audits the TLS certificates of a cluster: it reads node
 * bundles (directories, archives, single files), decodes every certificate
 * and key strictly, checks each against a table of rules, compares the
 * fleet across nodes and writes reports (JUnit XML, Markdown, JSON,
 * Prometheus text, SARIF, HTML, a terminal summary) from one immutable
 * scan result.
 *
 * Conventions: opaque handles with _new/_free pairs, _free(NULL) is a
 * no-op; functions return 0 or a negative CF_E_* code and keep the detail
 * in the handle they change, read with cf_scan_error() or
 * cf_policy_error(): every refusal says why. Functions without a handle
 * to change (cf_parse_time, cf_report_write on a const scan) document
 * their codes instead. Every setting a scan takes is a cf_policy's. The
 * library never prints on its own and never exits. One handle is not
 * shared between threads; distinct handles are independent.
 */
#ifndef CERTFLEET_H
#define CERTFLEET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header; cf_version() is the library's. The number
 * is MAJOR * 10000 + MINOR * 100 + PATCH, for #if. */
#define CF_VERSION "0.1.0"
#define CF_VERSION_MAJOR 0
#define CF_VERSION_MINOR 1
#define CF_VERSION_PATCH 0
#define CF_VERSION_NUMBER (CF_VERSION_MAJOR * 10000 + CF_VERSION_MINOR * 100 + CF_VERSION_PATCH)

/* Return codes: 0 is success, the rest are negative. */
#define CF_OK 0
#define CF_E_USAGE -1  /* a bad argument or option value */
#define CF_E_INPUT -2  /* an INPUT that cannot be read at all */
#define CF_E_OUTPUT -3 /* a report that cannot be written */
#define CF_E_NOMEM -4
#define CF_E_INTERNAL -5

/* The library's version ("0.1.0"), which may differ from the header's
 * CF_VERSION when a program runs with a newer shared library. */
const char *cf_version(void);
/* The libraries it runs with: "GnuTLS 3.7.9, libarchive 3.6.2, jansson
 * 2.14, libxml2 2.9.14" (static). */
const char *cf_version_libraries(void);
/* What a CF_* return code means ("out of memory"); static, never NULL. */
const char *cf_strerror(int code);

/* Severities, ordered: a finding "at or above" a level compares >=. */
enum cf_severity { CF_SEV_INFO = 0, CF_SEV_WARNING = 1, CF_SEV_ERROR = 2, CF_SEV_NEVER = 3 };

/*
 * The rules (their ids are a contract), for I = 0, 1, ... until it
 * returns NULL: the id ("tls-cert-expired"), and when not NULL *SEVERITY
 * (the default), *SCOPE and *DESCRIPTION (one line). Static strings.
 * Scope: what a rule judges: one certificate, one file as it decodes, a
 * key with its certificate, a path across the fleet, the reading of input.
 */
enum cf_scope { CF_SCOPE_CERT, CF_SCOPE_FILE, CF_SCOPE_PAIR, CF_SCOPE_FLEET, CF_SCOPE_INPUT };
const char *cf_rule(
    size_t i, enum cf_severity *severity, enum cf_scope *scope, const char **description);
/* When rule I is raised, in full: Markdown (backquoted options, the
 * README's wording), longer than its one-line description; NULL past the
 * last rule. Static. */
const char *cf_rule_doc(size_t i);

/* Report formats. */
enum cf_format {
	CF_FMT_TEXT,
	CF_FMT_JUNIT,
	CF_FMT_MARKDOWN,
	CF_FMT_JSON,
	CF_FMT_PROM,
	CF_FMT_SARIF,
	CF_FMT_HTML
};

struct cf_scan;
struct cf_policy;

/*
 * Create a scan with the defaults: now = the clock, soon = 30
 * days, max validity = 397 days, fail-on = error. Returns NULL when out of
 * memory. The caller owns the handle and frees it with cf_scan_free().
 */
struct cf_scan *cf_scan_new(void);

/* Free a scan and everything it owns. cf_scan_free(NULL) does nothing. */
void cf_scan_free(struct cf_scan *scan);

/* The detail of the last failure on this handle; never NULL, owned by it. */
const char *cf_scan_error(const struct cf_scan *scan);

/* The validity profile: CF_PROFILE_PRIVATE (the default: leaves over
 * max_validity days are tls-cert-validity-too-long) or CF_PROFILE_CABF (the
 * CA/Browser Forum Baseline Requirements' schedule for leaf server
 * certificates, keyed on notBefore: over its MUST tls-cert-validity-too-long,
 * over its SHOULD only tls-cert-validity-long). */
enum cf_profile { CF_PROFILE_PRIVATE, CF_PROFILE_CABF };

/* How a folder INPUT is read: AUTO (the default) takes it for a fleet of
 * node folders and archives only when no file at its top is a certificate
 * or key by name, it has a node folder or archive, and no child folder is
 * named like a host's own (etc, pki, ssl, certs, etcd, ...: README,
 * "Inputs"); otherwise it is one node. FLEET and NODE force either way;
 * under FLEET, certificate files at the top are CF_E_USAGE from
 * cf_scan_add_input(). */
enum cf_layout { CF_LAYOUT_AUTO, CF_LAYOUT_FLEET, CF_LAYOUT_NODE };
/* Would a folder INPUT at PATH be read as a fleet under CF_LAYOUT_AUTO? 1
 * yes, 0 no (one node), -1 it cannot be listed. A tool given several
 * folders reads each as a node unless each is a fleet. */
int cf_folder_is_fleet(const char *path);

/* Read limits (bytes or a count), one at a time so that new ones can come
 * without breaking programs built against this header. See README. */
enum cf_limit {
	CF_LIMIT_FILE_SIZE,  /* one file or archive entry, default 16 MiB */
	CF_LIMIT_TOTAL_SIZE, /* uncompressed bytes of one archive, default 1 GiB */
	CF_LIMIT_RATIO,      /* uncompressed / compressed of one archive, default 100 */
	CF_LIMIT_ENTRIES,    /* entries of one archive, default 100000 */
	CF_LIMIT_KDF_WORK    /* key derivation iterations of the whole scan
	                               (PKCS#12 MACs and bags, encrypted keys: every
	                               password tried), default 2^26; fixed when the
	                               first file is added */
};

/*
 * A policy: every setting a scan takes, in one object separate from the
 * scan, so that one policy can serve many scans (and come from a file). A
 * new policy holds the defaults: now = the clock, soon = 30 days, max
 * validity = 397 days, fail-on = error, each rule at its own severity, the
 * default limits, no anchors but the nodes' own, no password, 1 job, links
 * followed only inside an INPUT, layout AUTO, no node name, no comment,
 * the report options' defaults. A scan takes a copy with
 * cf_scan_set_policy() before its first input.
 *
 * Setters return 0, CF_E_USAGE (a value out of range, a NULL string) or
 * CF_E_NOMEM; on either error cf_policy_error() says why, naming the
 * setting ("jobs: 0: give 1 to 256"). Strings are copied.
 */
struct cf_policy *cf_policy_new(void);
void cf_policy_free(struct cf_policy *policy);
/* The detail of the last refusal of a setter on POLICY ("" before any);
 * never NULL, owned by the policy. */
const char *cf_policy_error(const struct cf_policy *policy);

/* What the scan judges by. */
/* The reference time (seconds since the epoch, years 0001 to 9999). */
int cf_policy_set_now(struct cf_policy *policy, int64_t now);
/* The soon-expire window in seconds (not negative). */
int cf_policy_set_soon(struct cf_policy *policy, int64_t seconds);
/* Soon when less than PERCENT (1 to 99) of a certificate's lifetime is
 * left, instead of the fixed window; 0 goes back to the window. */
int cf_policy_set_soon_percent(struct cf_policy *policy, int percent);
/* The longest leaf validity of CF_PROFILE_PRIVATE, 1 to 1000000 days. */
int cf_policy_set_max_validity(struct cf_policy *policy, int64_t days);
int cf_policy_set_profile(struct cf_policy *policy, enum cf_profile profile);
/* The least severity that fails the scan (CF_SEV_NEVER: none does). */
int cf_policy_set_fail_on(struct cf_policy *policy, enum cf_severity level);
/* Findings of rule RULE ("tls-pem-lax") carry LEVEL; CF_SEV_NEVER turns
 * the rule off. */
int cf_policy_set_severity(struct cf_policy *policy, const char *rule, enum cf_severity level);
/* Logical paths matching GLOB (fnmatch(3), may repeat) must be identical
 * on every node, or may differ per node. */
int cf_policy_add_identical(struct cf_policy *policy, const char *glob);
int cf_policy_add_per_node(struct cf_policy *policy, const char *glob);
/* "GLOB=TEMPLATE": the leaf at a logical path matching GLOB must name the
 * host TEMPLATE gives ({node}: the node's name) in its subjectAltName
 * (tls-cert-name-mismatch). May repeat. CF_E_USAGE without '='. */
int cf_policy_add_expect_name(struct cf_policy *policy, const char *spec);
/* Limit WHICH to VALUE (1 to 2^50). */
int cf_policy_set_limit(struct cf_policy *policy, enum cf_limit which, uint64_t value);

/* The anchors. Trust anchors for every node's chains, besides the
 * self-signed CA certificates the node carries: the certificates of PATH
 * (a PEM or DER file, or a folder of them), read when a scan takes the
 * policy; or the system's trust store. With ONLY set, the anchors of every
 * node are exactly these: the self-signed CA certificates a node carries
 * are candidates of its chains, not anchors, so a chain ending at a node's
 * own root is tls-chain-untrusted (a node still on an old CA no longer
 * passes). */
int cf_policy_add_trust(struct cf_policy *policy, const char *path);
int cf_policy_add_system_trust(struct cf_policy *policy);
int cf_policy_set_trust_only(struct cf_policy *policy, int only);

/* How inputs are read. */
/* A password to try on PKCS#12 files (after none and the empty one, in
 * the order added) and on encrypted private keys: on every file (GLOB
 * NULL) or only on the files whose logical path GLOB (fnmatch(3))
 * matches; at most 16 distinct globs. Wiped when the policy is freed;
 * never written to any report or message. A password given for every file
 * lets whoever adds a keystore to the input and reads a report test
 * guesses against it: scope it to the paths that need it. */
int cf_policy_add_password(struct cf_policy *policy, const char *glob, const char *password);
/* Worker threads that decode files, 1 to 256 (default 1: everything on
 * the caller's thread; the certfleet tool uses the number of cores).
 * Results do not depend on it. */
int cf_policy_set_jobs(struct cf_policy *policy, int jobs);
/* Follow symbolic links inside a folder INPUT that lead outside it (by
 * default only links resolving inside the INPUT are followed). */
int cf_policy_set_follow_links(struct cf_policy *policy, int follow);
int cf_policy_set_layout(struct cf_policy *policy, enum cf_layout layout);
/* The node name of every input: a single file, a single archive, memory,
 * or a folder (then read as one node, not as a folder of nodes); NULL
 * for none. */
int cf_policy_set_node(struct cf_policy *policy, const char *name);

/* How reports are written. */
/* A line every report starts with (as a comment of its format), e.g. how
 * to regenerate it; NULL for none. */
int cf_policy_set_comment(struct cf_policy *policy, const char *text);
/* Report option NAME (cf_report_option() lists them) set to VALUE (a
 * repeatable one adds VALUE). */
int cf_policy_set_report_option(struct cf_policy *policy, const char *name, const char *value);

/* What a policy holds (a limit: 0 for an unknown one). */
int64_t cf_policy_now(const struct cf_policy *policy);
uint64_t cf_policy_limit(const struct cf_policy *policy, enum cf_limit which);
enum cf_severity cf_policy_fail_on(const struct cf_policy *policy);

/* The scan takes a copy of POLICY, replacing every setting it had: its
 * anchors are read now (CF_E_USAGE, cf_scan_error() saying which, when
 * one cannot be read or holds no certificate). Before any input is added:
 * CF_E_USAGE after. */
int cf_scan_set_policy(struct cf_scan *scan, const struct cf_policy *policy);
/* The scan's policy, borrowed: valid while the scan lives. */
const struct cf_policy *cf_scan_policy(const struct cf_scan *scan);

/* Called on the caller's thread every 256 files added, with the counts so
 * far; the library itself never prints. A callback, not a setting: it is
 * the scan's. */
int cf_scan_set_progress(
    struct cf_scan *scan, void (*fn)(size_t files, size_t nodes, void *arg), void *arg);

/*
 * Deprecated: the settings on the scan itself, each the policy setter of
 * the same name on the scan's own copy (cf_scan_policy()), its refusal in
 * cf_scan_error(). Kept for programs written against 0.1; new code builds
 * a cf_policy and calls cf_scan_set_policy(). cf_scan_add_trust() and
 * cf_scan_add_system_trust() read the anchors at once (CF_E_USAGE when
 * none could be read); passwords and jobs must come before any input;
 * cf_scan_set_node() and cf_scan_set_layout() apply to the inputs added
 * after them. Define CF_NO_DEPRECATION_WARNINGS to use them without the
 * compiler's warning.
 */
#if defined(__GNUC__) && !defined(CF_NO_DEPRECATION_WARNINGS)
#define CF_DEPRECATED(use) __attribute__((deprecated("use " use " and cf_scan_set_policy")))
#else
#define CF_DEPRECATED(use)
#endif
int cf_scan_set_now(struct cf_scan *scan, int64_t now) CF_DEPRECATED("cf_policy_set_now");
int cf_scan_set_soon(struct cf_scan *scan, int64_t seconds) CF_DEPRECATED("cf_policy_set_soon");
int cf_scan_set_max_validity(struct cf_scan *scan, int64_t days)
    CF_DEPRECATED("cf_policy_set_max_validity");
int cf_scan_set_soon_percent(struct cf_scan *scan, int percent)
    CF_DEPRECATED("cf_policy_set_soon_percent");
int cf_scan_set_profile(struct cf_scan *scan, enum cf_profile profile)
    CF_DEPRECATED("cf_policy_set_profile");
int cf_scan_set_fail_on(struct cf_scan *scan, enum cf_severity level)
    CF_DEPRECATED("cf_policy_set_fail_on");
int cf_scan_set_severity(struct cf_scan *scan, const char *rule, enum cf_severity level)
    CF_DEPRECATED("cf_policy_set_severity");
int cf_scan_set_follow_links(struct cf_scan *scan, int follow)
    CF_DEPRECATED("cf_policy_set_follow_links");
int cf_scan_add_password(struct cf_scan *scan, const char *password)
    CF_DEPRECATED("cf_policy_add_password");
int cf_scan_add_password_for(struct cf_scan *scan, const char *glob, const char *password)
    CF_DEPRECATED("cf_policy_add_password");
int cf_scan_set_node(struct cf_scan *scan, const char *name) CF_DEPRECATED("cf_policy_set_node");
int cf_scan_set_layout(struct cf_scan *scan, enum cf_layout layout)
    CF_DEPRECATED("cf_policy_set_layout");
int cf_scan_add_identical(struct cf_scan *scan, const char *glob)
    CF_DEPRECATED("cf_policy_add_identical");
int cf_scan_add_per_node(struct cf_scan *scan, const char *glob)
    CF_DEPRECATED("cf_policy_add_per_node");
int cf_scan_add_expect_name(struct cf_scan *scan, const char *spec)
    CF_DEPRECATED("cf_policy_add_expect_name");
int cf_scan_add_trust(struct cf_scan *scan, const char *path) CF_DEPRECATED("cf_policy_add_trust");
int cf_scan_add_system_trust(struct cf_scan *scan) CF_DEPRECATED("cf_policy_add_system_trust");
int cf_scan_set_trust_only(struct cf_scan *scan, int only)
    CF_DEPRECATED("cf_policy_set_trust_only");
int cf_scan_set_comment(struct cf_scan *scan, const char *text)
    CF_DEPRECATED("cf_policy_set_comment");
int cf_scan_set_jobs(struct cf_scan *scan, int jobs) CF_DEPRECATED("cf_policy_set_jobs");
int cf_scan_set_limit(struct cf_scan *scan, enum cf_limit which, uint64_t value)
    CF_DEPRECATED("cf_policy_set_limit");

/*
 * Add one INPUT: a directory of node folders (and node archives), an
 * archive (one node) or a single file (one node). Nothing is written. Bad
 * files inside the input become findings. Returns CF_E_INPUT when the
 * INPUT itself cannot be read; "-" is CF_E_USAGE: the library never reads
 * the process's standard input (a tool reads it and calls
 * cf_scan_add_memory()).
 */
int cf_scan_add_input(struct cf_scan *scan, const char *path);

/*
 * Add LEN bytes the caller holds (copied; DATA may be freed on return) as
 * one INPUT of the node the policy names (cf_policy_set_node): an archive when the bytes
 * start with an archive's magic (gzip, xz, zstd, bzip2, zip, tar), else one
 * file. NAME names the input in messages ("-" for standard input) and is
 * the single file's logical path ("stdin.pem" for "-"); a file's name
 * decides how it is read, as on disk.
 * Returns 0; CF_E_USAGE without a node name; CF_E_INPUT over the
 * max_total_size limit; CF_E_NOMEM.
 */
int cf_scan_add_memory(struct cf_scan *scan, const char *name, const void *data, size_t len);

/*
 * Run the checks and the fleet comparison over everything added. Call
 * once, after the inputs and before the reports. Returns 0 or CF_E_*.
 */
int cf_scan_run(struct cf_scan *scan);

/* Counts after cf_scan_run(). */
size_t cf_scan_node_count(const struct cf_scan *scan);
size_t cf_scan_cert_count(const struct cf_scan *scan);
size_t cf_scan_finding_count(const struct cf_scan *scan, enum cf_severity at_least);

/*
 * The exit status a CI job gates on: 1 when a finding is at or above the
 * fail-on level, else 0.
 */
int cf_scan_exit_status(const struct cf_scan *scan);

/*
 * Write one report of the scan. PATH "-" or /dev/stdout writes to
 * OUT_STDOUT (the caller's stdout); /dev/stderr and /dev/fd/N write to that
 * descriptor in place. Any other PATH must be absent or a regular file: a
 * symbolic link, FIFO, device, socket or folder there is refused, as is an
 * INPUT of the scan or a certificate or key file inside an INPUT folder.
 * A regular file is written atomically: a temporary file in the same
 * folder (mode 0666 under the umask, or the old report's mode), then
 * rename(2). A failure leaves no report and any existing file at PATH as
 * it was, and returns CF_E_OUTPUT.
 */
int cf_scan_write_report(
    struct cf_scan *scan, enum cf_format format, const char *path, FILE *out_stdout);

/*
 * Write N reports at once (FORMATS[i] to PATHS[i], as
 * cf_scan_write_report()), on up to the scan's number of jobs threads:
 * reports only read the scan. Two reports to the same place (the same
 * path or file, standard output twice) are CF_E_USAGE, nothing written.
 * Otherwise every report is attempted; returns 0, or CF_E_OUTPUT with the
 * first failure's detail in cf_scan_error().
 */
int cf_scan_write_reports(struct cf_scan *scan, const enum cf_format *formats,
    const char *const *paths, size_t n, FILE *out_stdout);

/*
 * Check, before a scan, that N report PATHS name N different places: not
 * the same path however spelt ("r", "./r", "d/../r"), not one file under
 * two names (hard links), not standard output twice. 0, or CF_E_USAGE
 * with both paths in cf_scan_error(). cf_scan_write_reports() checks the
 * same; a tool calls this first so that nothing is scanned for a report
 * that would be lost.
 */
int cf_scan_check_report_paths(struct cf_scan *scan, const char *const *paths, size_t n);

/*
 * The report formats a tool offers as options, for I = 0, 1, ... until it
 * returns NULL: the option name ("junit"), *FORMAT and *HELP (a short
 * description; either pointer may be NULL). Static strings.
 */
const char *cf_report_format(size_t i, enum cf_format *format, const char **help);

/*
 * Report options, for I = 0, 1, ... until it returns NULL: the option
 * name ("junit-warnings"), *ARG (what its value is, "failure|skipped|output")
 * and *HELP; static strings, either pointer may be NULL.
 *   junit-warnings  failure|skipped|output: the element a warning is in JUnit (skipped)
 *   markdown-max-bytes N: the Markdown's size budget (1000000)
 *   prom-label KEY=VALUE: a label on every Prometheus series (repeatable)
 *   max-lines N     the terminal summary's lines per check (10; 0 = all)
 *   color always|never: ANSI colour in the terminal summary (never)
 */
const char *cf_report_option(size_t i, const char **arg, const char **help);
/* Deprecated: cf_policy_set_report_option() on the scan's own copy (the
 * refusal in cf_scan_error()). */
int cf_scan_set_report_option(struct cf_scan *scan, const char *name, const char *value)
    CF_DEPRECATED("cf_policy_set_report_option");

/* Remove the temporary files of reports being written (async-signal-safe:
 * for a program's SIGINT or SIGTERM handler; the reports are not written).
 * It waits up to 200 ms for a file being created, and from then on no
 * report of the process makes a new one: call it when the process ends. */
void cf_remove_temporary_files(void);

/* Write a report to an open stream (no atomicity). Returns 0, CF_E_USAGE
 * for an unknown format, CF_E_NOMEM or CF_E_OUTPUT (a write failed). */
int cf_report_write(const struct cf_scan *scan, enum cf_format format, FILE *out);

/*
 * Reading the result, after cf_scan_run(). Handles and strings are
 * borrowed from the scan: valid until cf_scan_free(). Strings are
 * sanitized (valid UTF-8, control bytes escaped as \xHH).
 *
 * Findings, in the order they were made (the reports sort them): I from 0
 * to cf_scan_finding_count(scan, CF_SEV_INFO) - 1; NULL past the end.
 */
struct cf_finding;
const struct cf_finding *cf_scan_finding(const struct cf_scan *scan, size_t i);
const char *cf_finding_rule(const struct cf_finding *f);          /* "tls-cert-expired" */
enum cf_severity cf_finding_severity(const struct cf_finding *f); /* the policy's */
const char *cf_finding_node(const struct cf_finding *f);
const char *cf_finding_path(const struct cf_finding *f); /* logical path */
int cf_finding_index(const struct cf_finding *f);        /* member of a bundle */
int cf_finding_line(const struct cf_finding *f);         /* 0 when unknown */
const char *cf_finding_message(const struct cf_finding *f);
/* The SHA-256 (hex) of the certificate the finding is about, or NULL. */
const char *cf_finding_sha256(const struct cf_finding *f);
/* Skipped file I (from 0): its reason, and its node and logical path in
 * *NODE and *PATH when not NULL; NULL past the end. */
const char *cf_scan_skipped(
    const struct cf_scan *scan, size_t i, const char **node, const char **path);

/*
 * Items: every certificate, private key and CRL the scan read, one per
 * member of each file of each node, in the order the files were added. I
 * from 0 to cf_scan_item_count() - 1; NULL past the end. A CRL item has an
 * issuer, thisUpdate as not_before, nextUpdate as not_after (INT64_MIN...
 * -1 when it has none) and a SHA-256.
 */
enum cf_item_kind { CF_ITEM_CERT, CF_ITEM_KEY, CF_ITEM_KEY_ENCRYPTED, CF_ITEM_CRL };
struct cf_item;
size_t cf_scan_item_count(const struct cf_scan *scan);
const struct cf_item *cf_scan_item(const struct cf_scan *scan, size_t i);
enum cf_item_kind cf_item_kind(const struct cf_item *item);
const char *cf_item_node(const struct cf_item *item);
const char *cf_item_path(const struct cf_item *item);
int cf_item_index(const struct cf_item *item);
int cf_item_line(const struct cf_item *item);
/* SHA-256 (hex) of the DER; NULL for an encrypted key. */
const char *cf_item_sha256(const struct cf_item *item);
/* "RSA 2048", "EC P-256", "Ed25519" (certificates and keys); NULL when unknown. */
const char *cf_item_key_algorithm(const struct cf_item *item);
/* SHA-256 (hex, into BUF of at least 65 bytes) of the SubjectPublicKeyInfo:
 * a key and its certificate have the same. 0, or -1 when unknown. */
int cf_item_spki_sha256(const struct cf_item *item, char *buf, size_t len);
/* 1 when a key item is PKCS#8. */
int cf_item_pkcs8(const struct cf_item *item);
/* 1 when a key item is stored encrypted and one of the scan's passwords
 * (cf_policy_add_password) decrypted it (then it is read and paired as any
 * key; an encrypted key no password opens is CF_ITEM_KEY_ENCRYPTED). */
int cf_item_decrypted(const struct cf_item *item);
/* Certificates only (NULL, 0 or INT64_MIN for keys). */
const char *cf_item_subject(const struct cf_item *item);
const char *cf_item_issuer(const struct cf_item *item);
const char *cf_item_issuer_cn(const struct cf_item *item);
const char *cf_item_serial(const struct cf_item *item);
const char *cf_item_signature_algorithm(const struct cf_item *item);
const char *cf_item_subject_alt_names(const struct cf_item *item); /* "DNS:a, IP:b" */
const char *cf_item_extended_key_usage(const struct cf_item *item);
int cf_item_version(const struct cf_item *item);
int cf_item_is_ca(const struct cf_item *item);
int64_t cf_item_not_before(const struct cf_item *item); /* Unix time */
int64_t cf_item_not_after(const struct cf_item *item);
/* Typed facts of a certificate (keys: the key's bits only). */
unsigned cf_item_key_bits(const struct cf_item *item); /* 0 when unknown */
int cf_item_path_len(const struct cf_item *item);      /* -1 when none */
enum cf_san_type { CF_SAN_DNS = 1, CF_SAN_IP, CF_SAN_URI, CF_SAN_EMAIL, CF_SAN_OTHER };
size_t cf_item_san_count(const struct cf_item *item);
/* SAN I as written: its type, raw bytes (a NUL after them; an IP is 4 or
 * 16 bytes) and *LEN; NULL past the end. Raw: not sanitized. */
const unsigned char *cf_item_san(
    const struct cf_item *item, size_t i, enum cf_san_type *type, size_t *len);
size_t cf_item_eku_count(const struct cf_item *item);
const char *cf_item_eku(const struct cf_item *item, size_t i); /* an OID, "1.3.6.1.5.5.7.3.1" */
/* The certificate's DER (*LEN bytes), as read. */
const unsigned char *cf_item_der(const struct cf_item *item, size_t *len);

/* Parsing helpers shared by the tools. Return 0 or CF_E_USAGE. */
int cf_parse_time(const char *text, int64_t *out);     /* RFC 3339 or @EPOCH */
int cf_parse_duration(const char *text, int64_t *out); /* 72h, 3d, 30d, 90m, 10s */
int cf_format_time(int64_t t, char *buf, size_t len);  /* RFC 3339 UTC */

#ifdef __cplusplus
}
#endif
#endif /* CERTFLEET_H */
