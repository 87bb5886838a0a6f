/*
 * certfleet.h - the one public header of libcertfleet.
 *
 * libcertfleet audits the TLS certificates of a cluster: it reads node
 * bundles (directories, archives, single files), decodes every certificate
 * and key strictly, checks each against a table of rules, compares the
 * fleet across nodes and writes reports (JUnit XML, Markdown, JSON,
 * Prometheus text, a terminal summary) from one immutable scan result.
 *
 * Conventions: opaque handles with _new/_free pairs,
 * _free(NULL) is a no-op; functions return 0 or a negative CF_E_* code and
 * keep the detail in the handle, read with cf_scan_error(). The library
 * never prints on its own and never exits. One handle is not shared between
 * threads; distinct handles are independent.
 */
#ifndef CERTFLEET_H
#define CERTFLEET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CF_VERSION "0.1.0"

/* Return codes: 0 is success, the rest are negative. */
#define CF_OK         0
#define CF_E_USAGE   -1  /* a bad argument or option value */
#define CF_E_INPUT   -2  /* an INPUT that cannot be read at all */
#define CF_E_OUTPUT  -3  /* a report that cannot be written */
#define CF_E_NOMEM   -4
#define CF_E_INTERNAL -5

/* Severities, ordered: a finding "at or above" a level compares >=. */
enum cf_severity { CF_SEV_INFO = 0, CF_SEV_WARNING = 1, CF_SEV_ERROR = 2, CF_SEV_NEVER = 3 };

/* Report formats. */
enum cf_format { CF_FMT_TEXT, CF_FMT_JUNIT, CF_FMT_MARKDOWN, CF_FMT_JSON, CF_FMT_PROM };

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

/* Options. Each returns 0, or CF_E_USAGE with the reason in cf_scan_error(). */
int cf_scan_set_now(struct cf_scan *scan, int64_t now);
int cf_scan_set_soon(struct cf_scan *scan, int64_t seconds);
int cf_scan_set_max_validity(struct cf_scan *scan, int64_t days);
int cf_scan_set_fail_on(struct cf_scan *scan, enum cf_severity level);
/* The node name of the next single-file or single-archive input (copied). */
int cf_scan_set_node(struct cf_scan *scan, const char *name);
/* Logical paths matching GLOB (fnmatch(3), may repeat) must be identical
 * on every node, or may differ per node. Copied. */
int cf_scan_add_identical(struct cf_scan *scan, const char *glob);
int cf_scan_add_per_node(struct cf_scan *scan, const char *glob);

/* A line every report starts with (as a comment of its format), e.g. how
 * to regenerate it. Copied; NULL for none. */
int cf_scan_set_comment(struct cf_scan *scan, const char *text);

/* Worker threads that decode files (default: the number of cores; 1 runs
 * everything on the caller's thread). Results do not depend on it. */
int cf_scan_set_jobs(struct cf_scan *scan, int jobs);

/* Called on the caller's thread every 256 files added, with the counts so
 * far; the library itself never prints. */
int cf_scan_set_progress(struct cf_scan *scan,
    void (*fn)(size_t files, size_t nodes, void *arg), void *arg);

/* Read limits (bytes / count); 0 keeps the default. See README. */
struct cf_limits {
	uint64_t max_file_size;     /* one file or archive entry, default 16 MiB */
	uint64_t max_total_size;    /* uncompressed bytes of one archive, default 1 GiB */
	uint64_t max_ratio;         /* uncompressed / compressed of one archive, default 100 */
	uint64_t max_entries;       /* entries of one archive, default 100000 */
};
int cf_scan_set_limits(struct cf_scan *scan, const struct cf_limits *limits);
/* The limits in force (defaults filled in). Returns 0. */
int cf_scan_get_limits(const struct cf_scan *scan, struct cf_limits *out);

/*
 * A policy: what a scan judges by, separate from the scan so that one
 * policy can serve many scans (and, later, come from a file). New policies
 * hold the defaults: now = the clock, soon = 30 days, max validity = 397
 * days, fail-on = error, each rule at its own severity, the default
 * limits. Setters return 0, CF_E_USAGE for a value out of range (an
 * unknown rule id) or CF_E_NOMEM. The cf_scan_set_* options above change
 * the scan's own copy.
 */
struct cf_policy *cf_policy_new(void);
void cf_policy_free(struct cf_policy *policy);
int cf_policy_set_now(struct cf_policy *policy, int64_t now);
int cf_policy_set_soon(struct cf_policy *policy, int64_t seconds);
int cf_policy_set_max_validity(struct cf_policy *policy, int64_t days);
int cf_policy_set_fail_on(struct cf_policy *policy, enum cf_severity level);
int cf_policy_add_identical(struct cf_policy *policy, const char *glob);
int cf_policy_add_per_node(struct cf_policy *policy, const char *glob);
int cf_policy_set_limits(struct cf_policy *policy, const struct cf_limits *limits);
/* Findings of rule RULE ("tls-pem-lax") carry LEVEL; CF_SEV_NEVER turns
 * the rule off. */
int cf_policy_set_severity(struct cf_policy *policy, const char *rule, enum cf_severity level);
/* The scan takes a copy of POLICY (before any input is added: CF_E_USAGE
 * after). */
int cf_scan_set_policy(struct cf_scan *scan, const struct cf_policy *policy);
/* The scan's policy, borrowed: valid while the scan lives. */
const struct cf_policy *cf_scan_policy(const struct cf_scan *scan);

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
 * one INPUT of the node cf_scan_set_node() named: an archive when the bytes
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
 * Write one report of the scan. PATH "-" writes to OUT_STDOUT (the
 * caller's stdout); any other path is written atomically: a temporary file
 * in the same folder, then rename(2). A failure leaves no report and any
 * existing file at PATH as it was, and returns CF_E_OUTPUT.
 */
int cf_scan_write_report(struct cf_scan *scan, enum cf_format format,
    const char *path, FILE *out_stdout);

/*
 * Write N reports at once (FORMATS[i] to PATHS[i], as
 * cf_scan_write_report()), on up to the scan's number of jobs threads:
 * reports only read the scan. Every report is attempted; returns 0, or
 * CF_E_OUTPUT with the first failure's detail in cf_scan_error().
 */
int cf_scan_write_reports(struct cf_scan *scan, const enum cf_format *formats,
    const char *const *paths, size_t n, FILE *out_stdout);

/*
 * The report formats a tool offers as options, for I = 0, 1, ... until it
 * returns NULL: the option name ("junit"), *FORMAT and *HELP (a short
 * description; either pointer may be NULL). Static strings.
 */
const char *cf_report_format(size_t i, enum cf_format *format, const char **help);

/* Write a report to an open stream (no atomicity). Returns 0 or CF_E_OUTPUT. */
int cf_report_write(const struct cf_scan *scan, enum cf_format format, FILE *out);

/*
 * `certfleet show`: a PROPERTY/VALUE table for every certificate in FILE,
 * written to OUT. Returns 0, or CF_E_INPUT with a located reason in
 * ERRBUF (size ERRLEN) when FILE holds no readable certificate.
 */
int cf_show_file(const char *path, FILE *out, char *errbuf, size_t errlen);

/* Parsing helpers shared by the tools. Return 0 or CF_E_USAGE. */
int cf_parse_time(const char *text, int64_t *out);       /* RFC 3339 or @EPOCH */
int cf_parse_duration(const char *text, int64_t *out);   /* 72h, 3d, 30d, 90m, 10s */
int cf_format_time(int64_t t, char *buf, size_t len);    /* RFC 3339 UTC */

#ifdef __cplusplus
}
#endif
#endif /* CERTFLEET_H */
