/*
 * certfleet - the command-line program: options, calling libcertfleet,
 * exit codes. No analysis here (see lib/).
 *
 * Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,
 * 2 usage error / unreadable INPUT / unwritable report, 3 internal error.
 */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "certfleet.h"
#include "show.h"

#define EXIT_FINDINGS 1
#define EXIT_USAGE 2
#define EXIT_INTERNAL 3

struct report {
	enum cf_format format;
	const char *path;
};

/* The report options, from the library's table of formats. */
static void
report_usage(FILE *out)
{
	const char *name, *arg, *help;
	size_t i;

	fputs(" ", out);
	for (i = 0; (name = cf_report_format(i, NULL, NULL)) != NULL; i++)
		fprintf(out, " --%s F", name);
	fputs("   reports (- = stdout), any number\n", out);
	for (i = 0; (name = cf_report_option(i, &arg, &help)) != NULL; i++)
		fprintf(out, "  --%s %s\n        %s\n", name, arg, help);
}

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: certfleet scan [options] INPUT...\n"
	    "       certfleet show FILE...\n"
	    "       certfleet rules [--format text|json|markdown]\n"
	    "       certfleet help [COMMAND]    certfleet COMMAND --help\n"
	    "       certfleet version           (also -V, --version)\n"
	    "\nscan options:\n"
	    "  --now TIME            reference time, RFC 3339 or @EPOCH (default: the clock)\n"
	    "  --soon DURATION       soon-expire window with a unit: 72h, 3d, 30d, 2w (default "
	    "30d),\n"
	    "                        or a share of each certificate's lifetime: 20%%\n"
	    "  --max-validity DAYS   longest allowed leaf validity (default 397)\n"
	    "  --profile NAME        private (--max-validity) or cabf (the CA/Browser Forum\n"
	    "                        Baseline Requirements' limits by notBefore)\n"
	    "  --node NAME           node name of a single-file, single-archive or - input\n"
	    "  --layout L            how a folder INPUT is read: fleet (node folders and\n"
	    "                        archives), node (one node), auto (default: a fleet only\n"
	    "                        without certificate files at its top or host folders\n"
	    "                        such as etc/, pki/, ssl/ below it)\n"
	    "  --identical GLOB      logical paths that must be identical on every node\n"
	    "  --per-node GLOB       logical paths that may differ per node\n"
	    "  --trust FILE|DIR      trust anchors for every node's chains, besides the\n"
	    "                        self-signed CA certificates each node carries\n"
	    "  --system-trust        the system's trust store as anchors too\n"
	    "  --trust-only FILE|DIR the anchors are exactly these (and any --trust,\n"
	    "                        --system-trust): a node's own self-signed CAs are not\n"
	    "                        anchors, so a chain ending at one is untrusted\n"
	    "  --expect-name GLOB=TEMPLATE  the leaf at a path matching GLOB names the host\n"
	    "                        TEMPLATE gives ({node}: the node's name) in its SAN\n"
	    "  --allow-empty         a node without certificates is no finding (tls-input-empty)\n"
	    "  --severity ID=LEVEL   findings of the rules matching ID (a glob: tls-chain-*)\n"
	    "                        carry LEVEL: error, warning, info or never (off)\n"
	    "  --follow-links        follow links that lead outside the INPUT too\n"
	    "  --password-file [GLOB=]FILE  passwords to try on PKCS#12 files, encrypted\n"
	    "                        keys and keystores, one per line (CERTFLEET_PASSWORD\n"
	    "                        after them); with GLOB, only on the logical paths it\n"
	    "                        matches; never printed\n");
	report_usage(out);
	fprintf(out,
	    "  --fail-on LEVEL       error, warning or never (default error)\n"
	    "  --jobs N              decoding threads (default: the number of cores)\n"
	    "  --max-file-size N     bytes read of one file or entry (default 16777216)\n"
	    "  --max-total-size N    unpacked bytes of one archive (default 1073741824)\n"
	    "  --max-ratio N         unpacked/packed ratio of one archive (default 100)\n"
	    "  --max-entries N       entries of one archive (default 100000)\n"
	    "  --max-kdf-work N      key derivation iterations of the whole scan (default "
	    "67108864)\n"
	    "  --comment TEXT        first line of every report (as a comment)\n"
	    "  --quiet               no terminal summary\n");
}

enum {
	O_NOW = 256,
	O_SOON,
	O_MAXV,
	O_NODE,
	O_IDENT,
	O_PERNODE,
	O_FAILON,
	O_MFS,
	O_MTS,
	O_MR,
	O_ME,
	O_MKW,
	O_COMMENT,
	O_QUIET,
	O_HELP,
	O_JOBS,
	O_EMPTY,
	O_FOLLOW,
	O_PWFILE,
	O_PROFILE,
	O_TRUST,
	O_SYSTRUST,
	O_EXPECT,
	O_SEVERITY,
	O_LAYOUT,
	O_TRUSTONLY,
	O_REPORT = 512 /* + the index of a report format */,
	O_ROPT = 768 /* + the index of a report option */
};

/* Options, sorted by name; the report options are added from the
 * library's table of formats (options()). */
static const struct option fixed_opts[] = {
	{ "allow-empty", no_argument, NULL, O_EMPTY },
	{ "comment", required_argument, NULL, O_COMMENT },
	{ "expect-name", required_argument, NULL, O_EXPECT },
	{ "fail-on", required_argument, NULL, O_FAILON },
	{ "follow-links", no_argument, NULL, O_FOLLOW },
	{ "help", no_argument, NULL, O_HELP },
	{ "identical", required_argument, NULL, O_IDENT },
	{ "jobs", required_argument, NULL, O_JOBS },
	{ "layout", required_argument, NULL, O_LAYOUT },
	{ "max-entries", required_argument, NULL, O_ME },
	{ "max-kdf-work", required_argument, NULL, O_MKW },
	{ "max-file-size", required_argument, NULL, O_MFS },
	{ "max-ratio", required_argument, NULL, O_MR },
	{ "max-total-size", required_argument, NULL, O_MTS },
	{ "max-validity", required_argument, NULL, O_MAXV },
	{ "node", required_argument, NULL, O_NODE },
	{ "password-file", required_argument, NULL, O_PWFILE },
	{ "now", required_argument, NULL, O_NOW },
	{ "per-node", required_argument, NULL, O_PERNODE },
	{ "profile", required_argument, NULL, O_PROFILE },
	{ "quiet", no_argument, NULL, O_QUIET },
	{ "severity", required_argument, NULL, O_SEVERITY },
	{ "soon", required_argument, NULL, O_SOON },
	{ "system-trust", no_argument, NULL, O_SYSTRUST },
	{ "trust", required_argument, NULL, O_TRUST },
	{ "trust-only", required_argument, NULL, O_TRUSTONLY },
	{ NULL, 0, NULL, 0 },
};

/* The getopt table: the fixed options and one per report format (caller
 * frees); NULL when out of memory. */
static struct option *
options(void)
{
	size_t nfixed = sizeof fixed_opts / sizeof fixed_opts[0] - 1, nrep = 0, nopt = 0, i;
	struct option *o;
	const char *name;

	while (cf_report_format(nrep, NULL, NULL))
		nrep++;
	while (cf_report_option(nopt, NULL, NULL))
		nopt++;
	if ((o = calloc(nfixed + nrep + nopt + 1, sizeof *o)) == NULL)
		return NULL;
	memcpy(o, fixed_opts, nfixed * sizeof *o);
	for (i = 0; (name = cf_report_format(i, NULL, NULL)) != NULL; i++)
		o[nfixed + i] = (struct option){ name, required_argument, NULL, O_REPORT + (int)i };
	for (i = 0; (name = cf_report_option(i, NULL, NULL)) != NULL; i++)
		o[nfixed + nrep + i] =
		    (struct option){ name, required_argument, NULL, O_ROPT + (int)i };
	return o;
}

static int
parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v == 0)
		return -1;
	*out = v;
	return 0;
}

/* Each line of FILE (at most 1 MiB) is a password to try on PKCS#12 files,
 * encrypted keys and keystores (GLOB=FILE: on the paths GLOB matches);
 * what it holds is never printed. */
static int password_lines(struct cf_policy *p, const char *glob, const char *file, FILE *f);

static int
password_file(struct cf_policy *p, const char *arg)
{
	const char *eq = strchr(arg, '='), *file = arg;
	char *glob = NULL;
	struct stat a;
	FILE *f;
	int rc;

	/* GLOB=FILE: the passwords apply to the files GLOB matches only */
	if (eq && eq > arg && stat(arg, &a) != 0) {
		if ((glob = strndup(arg, (size_t)(eq - arg))) == NULL)
			return EXIT_INTERNAL;
		file = eq + 1;
	}
	f = fopen(file, "re");
	rc = password_lines(p, glob, file, f);
	free(glob);
	return rc;
}

/* The passwords of the open file F (FILE, for messages), one per line,
 * for the paths GLOB matches (NULL: all); F is closed. */
static int
password_lines(struct cf_policy *p, const char *glob, const char *file, FILE *f)
{
	char *buf, *line, *end;
	size_t total, n;
	int rc = 0;
	struct stat st;

	if (f == NULL) {
		fprintf(stderr, "certfleet: --password-file %s: %s\n", file, strerror(errno));
		return EXIT_USAGE;
	}
	/* as ssh treats a private key: another user who may write the file
	 * chooses the passwords tried (and learns, through the reports,
	 * which one opens a keystore); one who may read it knows them */
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & (S_IWGRP | S_IWOTH))) {
		fprintf(stderr,
		    "certfleet: --password-file %s: writable by %s (mode %04o); refused: "
		    "chmod go-w it\n",
		    file, st.st_mode & S_IWOTH ? "everyone" : "its group",
		    (unsigned)(st.st_mode & 07777));
		fclose(f);
		return EXIT_USAGE;
	}
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & S_IROTH))
		fprintf(stderr,
		    "certfleet: warning: --password-file %s is readable by everyone (mode "
		    "%04o): chmod o-r it\n",
		    file, (unsigned)(st.st_mode & 07777));
	if ((buf = malloc((1 << 20) + 1)) == NULL) {
		fclose(f);
		return EXIT_INTERNAL;
	}
	total = fread(buf, 1, 1 << 20, f);
	if (ferror(f) || (total == 1 << 20 && fgetc(f) != EOF)) {
		fprintf(stderr, "certfleet: --password-file %s: %s\n", file,
		    ferror(f) ? "cannot be read" : "larger than 1 MiB");
		rc = EXIT_USAGE;
	}
	buf[total] = '\0';
	for (line = buf; rc == 0 && line < buf + total; line = end + 1) {
		end = memchr(line, '\n', (size_t)(buf + total - line));
		if (end == NULL)
			end = buf + total;
		for (n = (size_t)(end - line); n && line[n - 1] == '\r'; n--)
			;
		line[n] = '\0';
		if (n && cf_policy_add_password(p, glob, line) != 0) {
			fprintf(stderr, "certfleet: --password-file %s: %s\n", file,
			    cf_policy_error(p));
			rc = EXIT_USAGE;
		}
	}
	explicit_bzero(buf, total);
	free(buf);
	fclose(f);
	return rc;
}

static int
bad(const char *opt, const char *val)
{
	fprintf(stderr, "certfleet: invalid value for --%s: '%s'\n", opt, val);
	return EXIT_USAGE;
}

/* --severity ID=LEVEL: every rule whose id matches the glob ID. */
static int
severity(struct cf_policy *p, const char *arg)
{
	static const struct {
		const char *name;
		enum cf_severity level;
	} levels[] = {
		{ "error", CF_SEV_ERROR },
		{ "warning", CF_SEV_WARNING },
		{ "info", CF_SEV_INFO },
		{ "never", CF_SEV_NEVER },
	};
	const char *eq = strrchr(arg, '='), *id;
	char glob[128];
	size_t i, k, hits = 0;

	for (k = 0; eq && k < sizeof levels / sizeof levels[0] && strcmp(eq + 1, levels[k].name);
	     k++)
		;
	if (eq == NULL || eq == arg || (size_t)(eq - arg) >= sizeof glob ||
	    k == sizeof levels / sizeof levels[0]) {
		fprintf(stderr,
		    "certfleet: invalid value for --severity: '%s': ID=LEVEL, LEVEL one of "
		    "error, warning, info, never\n",
		    arg);
		return EXIT_USAGE;
	}
	snprintf(glob, sizeof glob, "%.*s", (int)(eq - arg), arg);
	for (i = 0; (id = cf_rule(i, NULL, NULL, NULL)) != NULL; i++)
		if (fnmatch(glob, id, 0) == 0) {
			if (cf_policy_set_severity(p, id, levels[k].level) != 0)
				return EXIT_INTERNAL;
			hits++;
		}
	if (hits == 0) {
		fprintf(stderr,
		    "certfleet: --severity %s: no rule id matches '%s' (certfleet rules lists "
		    "them)\n",
		    arg, glob);
		return EXIT_USAGE;
	}
	return 0;
}

/* Apply one option to the policy; reports are collected in R. */
static int
apply(struct cf_policy *p, int c, const char *arg, struct report *r, size_t *nr, int *quiet,
    int *have_node, int *color_set, enum cf_layout *layout)
{
	const char *name;
	uint64_t u;
	int64_t v;
	int rc;

	switch (c) {
	case O_NOW:
		if (cf_parse_time(arg, &v) == 0 && cf_policy_set_now(p, v) == 0)
			return 0;
		fprintf(stderr,
		    "certfleet: invalid value for --now: '%s': give RFC 3339 "
		    "(2026-06-01T00:00:00Z, or with an offset: 2026-06-01T02:00:00+02:00) or "
		    "@EPOCH "
		    "seconds, in the years 0001 to 9999\n",
		    arg);
		return EXIT_USAGE;
	case O_SOON:
		if (*arg && arg[strlen(arg) - 1] == '%') {
			/* a share of the lifetime: 1% to 99% */
			char *end;
			long pct = strtol(arg, &end, 10);
			if (end == arg || *end != '%' || end[1] || !(*arg >= '0' && *arg <= '9') ||
			    pct < 1 || pct > 99 || cf_policy_set_soon_percent(p, (int)pct) != 0) {
				fprintf(stderr,
				    "certfleet: invalid value for --soon: '%s': a share of the "
				    "lifetime is 1%% to 99%%\n",
				    arg);
				return EXIT_USAGE;
			}
			return 0;
		}
		/* a unit is required: --soon 3 meant 3 seconds while --max-validity
		 * takes days */
		if (strspn(arg, "0123456789") == strlen(arg)) {
			fprintf(stderr,
			    "certfleet: --soon needs a unit: '%ss' (seconds), '%sd' (days), "
			    "m, h or w\n",
			    arg, arg);
			return EXIT_USAGE;
		}
		return cf_parse_duration(arg, &v) || cf_policy_set_soon(p, v) ? bad("soon", arg)
		                                                              : 0;
	case O_MAXV:
		return cf_parse_duration(arg, &v) || strspn(arg, "0123456789") != strlen(arg) ||
		        cf_policy_set_max_validity(p, v)
		    ? bad("max-validity", arg)
		    : 0;
	case O_NODE: *have_node = 1; return cf_policy_set_node(p, arg) ? EXIT_INTERNAL : 0;
	case O_IDENT: return cf_policy_add_identical(p, arg) ? EXIT_INTERNAL : 0;
	case O_PWFILE: return password_file(p, arg);
	case O_PROFILE:
		if (strcmp(arg, "private") == 0 || strcmp(arg, "cabf") == 0)
			return cf_policy_set_profile(
			           p, arg[0] == 'c' ? CF_PROFILE_CABF : CF_PROFILE_PRIVATE)
			    ? EXIT_INTERNAL
			    : 0;
		fprintf(
		    stderr, "certfleet: invalid value for --profile: '%s': private or cabf\n", arg);
		return EXIT_USAGE;
	case O_FOLLOW: return cf_policy_set_follow_links(p, 1) ? EXIT_INTERNAL : 0;
	case O_EMPTY:
		return cf_policy_set_severity(p, "tls-input-empty", CF_SEV_NEVER) ? EXIT_INTERNAL
		                                                                  : 0;
	case O_PERNODE: return cf_policy_add_per_node(p, arg) ? EXIT_INTERNAL : 0;
	case O_EXPECT: return cf_policy_add_expect_name(p, arg) ? bad("expect-name", arg) : 0;
	case O_SEVERITY: return severity(p, arg);
	case O_TRUST:
	case O_SYSTRUST:
	case O_TRUSTONLY:
		/* the anchors are read when the scan takes the policy */
		if (c == O_TRUSTONLY)
			cf_policy_set_trust_only(p, 1);
		return (c == O_SYSTRUST ? cf_policy_add_system_trust(p)
		                        : cf_policy_add_trust(p, arg))
		    ? EXIT_INTERNAL
		    : 0;
	case O_LAYOUT:
		if (strcmp(arg, "auto") == 0 || strcmp(arg, "fleet") == 0 ||
		    strcmp(arg, "node") == 0) {
			*layout = arg[0] == 'a' ? CF_LAYOUT_AUTO
			    : arg[0] == 'f'     ? CF_LAYOUT_FLEET
			                        : CF_LAYOUT_NODE;
			return cf_policy_set_layout(p, *layout) ? EXIT_INTERNAL : 0;
		}
		fprintf(stderr,
		    "certfleet: invalid value for --layout: '%s': auto, fleet or node\n", arg);
		return EXIT_USAGE;
	case O_COMMENT: return cf_policy_set_comment(p, arg) ? EXIT_INTERNAL : 0;
	case O_QUIET: *quiet = 1; return 0;
	case O_JOBS:
		return parse_u64(arg, &u) || u > 256 || cf_policy_set_jobs(p, (int)u)
		    ? bad("jobs", arg)
		    : 0;
	case O_FAILON:
		if (strcmp(arg, "error") == 0)
			return cf_policy_set_fail_on(p, CF_SEV_ERROR);
		if (strcmp(arg, "warning") == 0)
			return cf_policy_set_fail_on(p, CF_SEV_WARNING);
		if (strcmp(arg, "never") == 0)
			return cf_policy_set_fail_on(p, CF_SEV_NEVER);
		return bad("fail-on", arg);
	case O_MFS:
		return parse_u64(arg, &u) || cf_policy_set_limit(p, CF_LIMIT_FILE_SIZE, u)
		    ? bad("max-file-size", arg)
		    : 0;
	case O_MTS:
		return parse_u64(arg, &u) || cf_policy_set_limit(p, CF_LIMIT_TOTAL_SIZE, u)
		    ? bad("max-total-size", arg)
		    : 0;
	case O_MR:
		return parse_u64(arg, &u) || cf_policy_set_limit(p, CF_LIMIT_RATIO, u)
		    ? bad("max-ratio", arg)
		    : 0;
	case O_ME:
		return parse_u64(arg, &u) || cf_policy_set_limit(p, CF_LIMIT_ENTRIES, u)
		    ? bad("max-entries", arg)
		    : 0;
	case O_MKW:
		return parse_u64(arg, &u) || cf_policy_set_limit(p, CF_LIMIT_KDF_WORK, u)
		    ? bad("max-kdf-work", arg)
		    : 0;
	case O_HELP: usage(stdout); exit(0);
	default:
		if (c >= O_ROPT &&
		    (name = cf_report_option((size_t)(c - O_ROPT), NULL, NULL)) != NULL) {
			if (strcmp(name, "color") == 0)
				*color_set = 1;
			if ((rc = cf_policy_set_report_option(p, name, arg)) == 0)
				return 0;
			fprintf(stderr, "certfleet: invalid value for --%s (%s)\n", name,
			    cf_policy_error(p));
			return rc == CF_E_USAGE ? EXIT_USAGE : EXIT_INTERNAL;
		}
		if (c >= O_REPORT &&
		    cf_report_format((size_t)(c - O_REPORT), &r[*nr].format, NULL)) {
			r[(*nr)++].path = arg;
			return 0;
		}
		usage(stderr);
		return EXIT_USAGE;
	}
}

/* Two report options naming one place are a usage error before anything
 * is scanned (exit 2). */
static int
check_report_paths(struct cf_scan *s, const struct report *r, size_t nr)
{
	const char **paths = calloc(nr + 1, sizeof *paths);
	size_t i;
	int rc = 0;

	if (paths == NULL)
		return EXIT_INTERNAL;
	for (i = 0; i < nr; i++)
		paths[i] = r[i].path;
	if (cf_scan_check_report_paths(s, paths, nr) != 0) {
		fprintf(stderr, "certfleet: %s\n", cf_scan_error(s));
		rc = EXIT_USAGE;
	}
	free(paths);
	return rc;
}

/* Does a report of R go to standard output (the summary then goes to
 * standard error)? */
static int
report_to_stdout(const struct report *r, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (strcmp(r[i].path, "-") == 0 || strcmp(r[i].path, "/dev/stdout") == 0 ||
		    strcmp(r[i].path, "/dev/fd/1") == 0)
			return 1;
	return 0;
}

/* Write every report (at once, on threads); the terminal summary goes to
 * stdout unless a report does, then to stderr. */
static int
write_reports(struct cf_scan *s, const struct report *r, size_t nr, int quiet)
{
	enum cf_format *formats = calloc(nr + 1, sizeof *formats);
	const char **paths = calloc(nr + 1, sizeof *paths);
	size_t i;
	int to_stdout = 0, rc = 0;

	if (formats == NULL || paths == NULL)
		rc = EXIT_INTERNAL;
	to_stdout = report_to_stdout(r, nr);
	for (i = 0; rc == 0 && i < nr; i++) {
		formats[i] = r[i].format;
		paths[i] = r[i].path;
	}
	if (rc == 0 && cf_scan_write_reports(s, formats, paths, nr, stdout) != 0) {
		fprintf(stderr, "certfleet: %s\n", cf_scan_error(s));
		rc = EXIT_USAGE;
	}
	/* the summary is output too: a failed write (a full disk, /dev/full)
	 * is exit 2, not a silent success */
	if (!quiet && cf_report_write(s, CF_FMT_TEXT, to_stdout ? stderr : stdout) != 0 &&
	    rc == 0) {
		fprintf(stderr, "certfleet: the summary could not be written\n");
		rc = EXIT_USAGE;
	}
	free(formats);
	free(paths);
	return rc;
}

/* Progress on standard error, when it is a terminal and the scan has run
 * for more than a second (CERTFLEET_PROGRESS_MS, for tests), redrawn at
 * most four times a second. */
struct progress {
	long long start, last, delay;
	int shown;
};

static long long
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void
progress(size_t files, size_t nodes, void *arg)
{
	struct progress *p = arg;
	long long t = now_ms();

	if (t - p->start < p->delay || (p->shown && t - p->last < 250))
		return;
	fprintf(stderr, "\rcertfleet: %zu files, %zu nodes read...", files, nodes);
	p->shown = 1;
	p->last = t;
}

/* Erase the progress line before anything else is written. */
static void
progress_clear(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}

static void
progress_init(struct progress *p)
{
	const char *v = getenv("CERTFLEET_PROGRESS_MS");
	char *end;
	long long d = v && *v ? strtoll(v, &end, 10) : -1;

	p->start = now_ms();
	p->delay = d >= 0 && v && *end == '\0' ? d : 1000;
	p->last = 0;
	p->shown = 0;
}

/* Standard input ("-"), read here (the library never reads it) up to the
 * scan's max_total_size, handed to the library as memory: an archive or a
 * PEM file of the --node node. Returns 0 or a CF_E_* code (message in the
 * scan, or printed here). */
static int
add_stdin(struct cf_scan *s, int have_node)
{
	uint64_t max = cf_policy_limit(cf_scan_policy(s), CF_LIMIT_TOTAL_SIZE);
	unsigned char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t r = 0;
	int rc;

	if (!have_node) {
		fprintf(stderr, "certfleet: -: standard input needs --node NAME\n");
		return CF_E_USAGE;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				return CF_E_NOMEM;
			}
			buf = nb;
		}
		if ((r = read(0, buf + len, cap - len)) <= 0)
			break;
		len += (size_t)r;
		if (len > max)
			break;
	}
	if (r < 0 || len > max) {
		fprintf(stderr, "certfleet: -: %s\n",
		    r < 0 ? strerror(errno) : "standard input is over the read limit");
		free(buf);
		return CF_E_INPUT;
	}
	rc = cf_scan_add_memory(s, "-", buf, len);
	free(buf);
	if (rc)
		fprintf(stderr, "certfleet: %s\n", cf_scan_error(s));
	return rc;
}

/* Several folder INPUTs are read as a node each unless each is a fleet
 * (scan fleet/n01 fleet/n02 is two nodes; scan dc1/ dc2/ two fleets):
 * 1 when that rule leaves --layout auto to judge each folder (one folder
 * at most, or all of them fleets), 0 when they are all nodes. */
static int
several_fleets(int n, char **inputs)
{
	struct stat st;
	int i, folders = 0, fleets = 0;

	for (i = 0; i < n; i++) {
		if (strcmp(inputs[i], "-") == 0 || stat(inputs[i], &st) != 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		folders++;
		fleets += cf_folder_is_fleet(inputs[i]) == 1;
	}
	return folders <= 1 || fleets == folders;
}

static int
cmd_scan(int argc, char **argv)
{
	struct cf_scan *s = cf_scan_new();
	struct cf_policy *p = cf_policy_new();
	struct report *r = calloc((size_t)argc + 1, sizeof *r);
	struct option *opts = options();
	struct progress prog;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	const char *no_color = getenv("NO_COLOR");
	size_t nr = 0;
	int c, rc = 0, quiet = 0, have_node = 0, color_set = 0;
	enum cf_layout layout = CF_LAYOUT_AUTO;

	if (s == NULL || p == NULL || r == NULL || opts == NULL) {
		rc = EXIT_INTERNAL;
		goto out;
	}
	cf_policy_set_jobs(p, cores < 1 ? 1 : cores > 64 ? 64 : (int)cores);
	progress_init(&prog);
	if (isatty(2))
		cf_scan_set_progress(s, progress, &prog);
	optind = 1;
	while (rc == 0 && (c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		rc = apply(p, c, optarg, r, &nr, &quiet, &have_node, &color_set, &layout);
	if (rc == 0 && getenv("CERTFLEET_PASSWORD") && *getenv("CERTFLEET_PASSWORD") &&
	    cf_policy_add_password(p, NULL, getenv("CERTFLEET_PASSWORD")) != 0)
		rc = EXIT_INTERNAL;
	if (rc)
		goto out;
	if ((rc = check_report_paths(s, r, nr)) != 0)
		goto out;
	if (optind >= argc) {
		fprintf(stderr, "certfleet scan: no INPUT\n");
		usage(stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	if (layout == CF_LAYOUT_AUTO && !several_fleets(argc - optind, argv + optind))
		cf_policy_set_layout(p, CF_LAYOUT_NODE);
	/* colour when the summary goes to a terminal, unless NO_COLOR is set
	 * (no-color.org) or --color said otherwise */
	if (!color_set && isatty(fileno(report_to_stdout(r, nr) ? stderr : stdout)) &&
	    (no_color == NULL || !*no_color))
		(void)cf_policy_set_report_option(p, "color", "always");
	if ((c = cf_scan_set_policy(s, p)) != 0) { /* the anchors are read here */
		fprintf(stderr, "certfleet: %s\n", cf_scan_error(s));
		rc = c == CF_E_USAGE ? EXIT_USAGE : EXIT_INTERNAL;
		goto out;
	}
	for (; optind < argc && rc == 0; optind++) {
		int in = strcmp(argv[optind], "-") == 0;

		if (in)
			c = add_stdin(s, have_node);
		else
			c = cf_scan_add_input(s, argv[optind]);
		if (c != 0) {
			cf_scan_set_progress(s, NULL, NULL); /* no line after the message */
			progress_clear(&prog);
			if (!in)
				fprintf(stderr, "certfleet: %s\n", cf_scan_error(s));
			rc = c == CF_E_NOMEM || c == CF_E_INTERNAL ? EXIT_INTERNAL : EXIT_USAGE;
		}
	}
	c = rc == 0 ? cf_scan_run(s) : 0;
	progress_clear(&prog);
	if (c != 0) {
		fprintf(stderr, "certfleet: %s\n", cf_scan_error(s));
		rc = EXIT_INTERNAL;
	}
	if (rc == 0 && (rc = write_reports(s, r, nr, quiet)) == 0)
		rc = cf_scan_exit_status(s) ? EXIT_FINDINGS : 0;
out:
	cf_scan_free(s);
	cf_policy_free(p);
	free(r);
	free(opts);
	return rc;
}

static void
show_usage(FILE *out)
{
	fprintf(out,
	    "usage: certfleet show FILE...\n"
	    "  a PROPERTY/VALUE table for every certificate and private key in each FILE,\n"
	    "  then what does not decode, with its line; exit 2 when a FILE holds neither\n");
}

static void
rules_usage(FILE *out)
{
	fprintf(out,
	    "usage: certfleet rules [--format text|json|markdown]\n"
	    "  the checks certfleet runs: id, default severity, scope, description\n");
}

/* S as a JSON string body (the rule table is ASCII; quotes and
 * backslashes escaped all the same). */
static void
json_str(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
}

static int
cmd_rules(int argc, char **argv)
{
	static const char *const sev[] = { "info", "warning", "error", "never" };
	static const char *const scope[] = { "certificate", "file", "pair", "fleet", "input" };
	const char *format = "text", *id, *desc;
	enum cf_severity sv;
	enum cf_scope sc;
	size_t i;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		rules_usage(stdout);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--format") == 0)
		format = argv[2];
	else if (argc != 1) {
		rules_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 &&
	    strcmp(format, "markdown") != 0)
		return bad("format", format);
	if (strcmp(format, "json") == 0)
		fputs("[", stdout);
	else if (strcmp(format, "markdown") == 0)
		fputs("| check | severity | scope | when |\n| --- | --- | --- | --- |\n", stdout);
	for (i = 0; (id = cf_rule(i, &sv, &sc, &desc)) != NULL; i++) {
		if (strcmp(format, "json") == 0) {
			printf("%s\n  {\"id\": \"%s\", \"severity\": \"%s\", \"scope\": \"%s\", "
			       "\"description\": \"",
			    i ? "," : "", id, sev[sv], scope[sc]);
			json_str(stdout, desc);
			fputs("\"}", stdout);
		} else if (strcmp(format, "markdown") == 0) {
			/* the rule's full text: the README's table is this output */
			printf("| `%s` | %s | %s | %s |\n", id, sev[sv], scope[sc], cf_rule_doc(i));
		} else {
			printf("%-28s %-8s %-12s %s\n", id, sev[sv], scope[sc], desc);
		}
	}
	if (strcmp(format, "json") == 0)
		fputs("\n]\n", stdout);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_USAGE;
}

static int
cmd_version(void)
{
	printf("certfleet %s (libcertfleet %s; %s)\n", CF_VERSION, cf_version(),
	    cf_version_libraries());
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_USAGE;
}

/* certfleet help [COMMAND] */
static int
cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "scan") == 0)
		usage(stdout);
	else if (strcmp(argv[1], "show") == 0)
		show_usage(stdout);
	else if (strcmp(argv[1], "rules") == 0)
		rules_usage(stdout);
	else if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "help") == 0)
		usage(stdout);
	else {
		fprintf(stderr, "certfleet: no command '%s'\n", argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	return 0;
}

static int
cmd_show(int argc, char **argv)
{
	char err[1024];
	int i, rc = 0;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		show_usage(stdout);
		return 0;
	}
	if (argc < 2) {
		show_usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 1; i < argc; i++)
		if (show_file(argv[i], stdout, err, sizeof err) != 0) {
			fprintf(stderr, "certfleet: %s\n", err);
			rc = EXIT_USAGE;
		}
	return rc;
}

/* SIGINT, SIGTERM, SIGHUP: remove the temporary files of reports being
 * written, then die of the signal as before. */
static void
on_signal(int sig)
{
	cf_remove_temporary_files();
	signal(sig, SIG_DFL);
	raise(sig);
}

int
main(int argc, char **argv)
{
	/* a closed pipe is a write error (exit 2), not a silent death */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (argc >= 2 && strcmp(argv[1], "scan") == 0)
		return cmd_scan(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return cmd_show(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "rules") == 0)
		return cmd_rules(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "help") == 0)
		return cmd_help(argc - 1, argv + 1);
	if (argc == 2 &&
	    (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0 ||
	        strcmp(argv[1], "version") == 0))
		return cmd_version();
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return EXIT_USAGE;
}
