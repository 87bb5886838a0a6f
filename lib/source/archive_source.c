/*
 * archive_source.c - node bundles as archives, read in memory through
 * libarchive's streaming reader. Nothing is extracted: an entry's name is
 * only a name (".." and "/" included), links are never followed, devices
 * and FIFOs are skipped. Limits on one entry, on the whole archive, on the
 * compression ratio and on the number of entries turn a hostile archive
 * into a finding; a corrupt archive yields what was read before the fault.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pthread.h>

#include <archive.h>
#include <archive_entry.h>

#include "source/source.h"

#define CHUNK 65536
#define MAX_NESTING 2           /* the node archive, and archives inside it */
#define RATIO_FLOOR (16u << 20) /* ratios count once this much is unpacked */

/* One node archive's budget, shared by the archives nested in it: the
 * bytes actually decompressed (every entry's data, read or drained, in
 * every format: zip has no filter to count), against its packed size. */
struct budget {
	uint64_t unpacked, packed, entries;
};

struct arc {
	struct cf_scan *s;
	struct archive *a;
	const char *node, *label, *prefix;
	const unsigned char *data; /* the archive, in memory (hard links reread it) */
	size_t len;
	struct budget *budget;
	int stopped; /* a limit or a fault ended the archive */
};

/* A tls-input-unreadable finding that stops the archive: FMT takes the
 * archive's label, then its own arguments. */
static int arc_finding(struct arc *c, const char *path, const char *fmt, ...) CF__PRINTF(3, 4);

static int
arc_finding(struct arc *c, const char *path, const char *fmt, ...)
{
	char *msg;
	va_list ap;
	int n, rc;

	c->stopped = 1;
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return CF_E_NOMEM;
	rc = cf__input_finding(c->s, cf__raw(c->node), cf__raw(path), "%s", msg);
	free(msg);
	return rc;
}

/* Archive-wide limits: total unpacked size and compression ratio. 0 within
 * them; 1 over (a finding, the archive stopped); CF_E_NOMEM. */
static int
over_limits(struct arc *c, const char *path)
{
	uint64_t total = c->budget->unpacked;
	char v[96];

	if (total > c->s->policy.limits.max_total_size) {
		snprintf(v, sizeof v, "%llu bytes",
		    (unsigned long long)c->s->policy.limits.max_total_size);
		return arc_finding(c, path,
		           "archive %s: unpacked size over the limit of %s "
		           "(--max-total-size); the rest of the archive is not read",
		           c->label, v)
		    ?: 1;
	}
	if (total > RATIO_FLOOR && c->budget->packed &&
	    total / c->budget->packed > c->s->policy.limits.max_ratio) {
		snprintf(v, sizeof v, "%llu:1", (unsigned long long)c->s->policy.limits.max_ratio);
		return arc_finding(c, path,
		           "archive %s: compression ratio over the limit of %s "
		           "(--max-ratio); the rest of the archive is not read",
		           c->label, v)
		    ?: 1;
	}
	return 0;
}

/* Read the current entry's data, at most the file limit (a KIND 0 entry
 * only when its first chunk holds a PEM BEGIN). SIZE is what its header
 * declares, or -1: an entry declared over the limit is not kept (its data
 * still passes through the archive-wide limits; a bomb's 16 MiB buffer and
 * its copies as it grew were most of a scan's peak memory), one within it
 * is read into a buffer of its size. 1 read; 0 not read (skipped, or the
 * archive stopped: C->stopped); CF_E_NOMEM. */
#define OVER_FILE "archive %s: entry over the read limit of %s (--max-file-size)"

/* How an entry is read: 1 or 2 named as a certificate or key (cf__name_kind),
 * 3 a Kubernetes dump by name (read whole, a skip when over the limit), 0
 * only when a decoder claims its first bytes (cf__content_claimed). */
static int
entry_kind(const char *path)
{
	int k = cf__name_kind(path);

	return k ? k : cf__k8s_name(path) ? 3 : 0;
}

static int
entry_data(struct arc *c, const char *path, int kind, int64_t size, struct cf__buf *b)
{
	unsigned char chunk[CHUNK];
	la_ssize_t r;
	int keep = 1, over = 0, lim; /* over: 1 a finding, 2 a skip */
	char v[64];

	if (kind != 0 && size >= 0 && (uint64_t)size > c->s->policy.limits.max_file_size)
		keep = 0, over = kind == 3 ? 2 : 1;
	else if (kind != 0 && size > 0 &&
	    cf__buf_reserve(b, (size_t)(size < (1 << 20) ? size : 1 << 20)) != 0)
		return CF_E_NOMEM; /* a header may lie: at most 1 MiB up front */

	while ((r = archive_read_data(c->a, chunk, sizeof chunk)) > 0) {
		c->budget->unpacked += (uint64_t)r;
		if ((lim = over_limits(c, path)) != 0)
			return lim < 0 ? lim : 0;
		if (keep && kind == 0 && b->len == 0 && !cf__content_claimed(chunk, (size_t)r) &&
		    !cf__k8s_sniff(chunk, (size_t)r))
			keep = 0;
		if (keep && b->len + (size_t)r > c->s->policy.limits.max_file_size) {
			keep = 0;
			over = kind == 1 || kind == 2 ? 1 : 2; /* PEM by content only, or a
			                                        * Kubernetes dump: as in folders */
			cf__buf_free(b); /* not kept: not held while the rest drains */
		}
		if (keep && cf__buf_add(b, chunk, (size_t)r) != 0)
			return CF_E_NOMEM;
	}
	if (r < 0) {
		char err[256];
		snprintf(
		    err, sizeof err, "%s: %s", path, archive_error_string(c->a) ?: "read error");
		return arc_finding(c, path,
		    "archive %s: entry %s; the rest of the archive is not read", c->label, err);
	}
	if (over == 0)
		return keep;
	snprintf(v, sizeof v, "%llu bytes", (unsigned long long)c->s->policy.limits.max_file_size);
	return (over == 1 ? cf__input_finding(
	                        c->s, cf__raw(c->node), cf__raw(path), OVER_FILE, c->label, v)
	                  : cf__skip_add(
	                        c->s, cf__raw(c->node), cf__raw(path), OVER_FILE, c->label, v)) != 0
	    ? CF_E_NOMEM
	    : 0;
}

static int read_archive(struct cf_scan *s, const char *node, const char *prefix,
    const unsigned char *data, size_t len, const char *label, int depth, struct budget *b);
static struct archive *open_archive(const unsigned char *data, size_t len);

/* The logical path of archive entry name RAW (NULL: "?") inside PREFIX:
 * a new string, or NULL when out of memory. */
static char *
entry_path(const char *prefix, const char *raw)
{
	char *joined, *path;

	if (asprintf(&joined, "%s%s%s", prefix, *prefix ? "/" : "", raw ? raw : "?") < 0)
		return NULL;
	path = cf__logical_path(joined);
	free(joined);
	return path;
}

/* The data of the earlier entry TARGET (a logical path) of C's archive,
 * for a hard link to it: the archive is read again from memory, its
 * entries and bytes counted against the node archive's budget. 1 found
 * (B holds the data), 0 not (a finding made), or CF_E_NOMEM. */
static int
hardlink_data(struct arc *c, const char *path, const char *target, int kind, struct cf__buf *b)
{
	struct arc r = *c;
	struct archive_entry *e;
	char *lp;
	int rc = 0, found = 0;

	if ((r.a = open_archive(c->data, c->len)) == NULL)
		return CF_E_NOMEM;
	while (rc == 0 && !found && !r.stopped && archive_read_next_header(r.a, &e) == ARCHIVE_OK) {
		const char *raw = archive_entry_pathname(e);
		if (++c->budget->entries > c->s->policy.limits.max_entries) {
			rc = arc_finding(c, path,
			    "archive %s: hard link to %s: more entries than the limit "
			    "of %llu (--max-entries) while looking for it",
			    c->label, target, (unsigned long long)c->s->policy.limits.max_entries);
			break;
		}
		if (archive_entry_hardlink(e) != NULL || archive_entry_filetype(e) != AE_IFREG)
			continue;
		if ((lp = entry_path(c->prefix, raw)) == NULL) {
			rc = CF_E_NOMEM;
			break;
		}
		if (strcmp(lp, target) == 0) {
			found = 1;
			rc = entry_data(&r, path, kind,
			    archive_entry_size_is_set(e) ? archive_entry_size(e) : -1, b);
		}
		free(lp);
	}
	c->stopped |= r.stopped;
	archive_read_free(r.a);
	if (rc < 0 || (found && rc >= 0))
		return rc;
	if (!found && !c->stopped && rc == 0)
		rc = cf__input_finding(c->s, cf__raw(c->node), cf__raw(path),
		    "archive %s: hard link to %s, which is not an "
		    "earlier file of the archive; not read",
		    c->label, target);
	return rc < 0 ? rc : 0;
}

static int
one_entry(struct arc *c, struct archive_entry *e, const char *prefix, int depth)
{
	const char *link = archive_entry_hardlink(e);
	char *path = entry_path(prefix, archive_entry_pathname(e)), *target = NULL;
	struct cf__buf b = { 0 };
	unsigned type = archive_entry_filetype(e);
	int rc = 0, r = 0, nested = path && cf__archive_suffix(path) != 0;

	if (path == NULL) {
		rc = CF_E_NOMEM;
	} else if (type == AE_IFLNK && link == NULL) {
		rc = cf__skip_add(c->s, cf__raw(c->node), cf__raw(path),
		    "symbolic link in archive, not followed");
	} else if (type == AE_IFDIR && link == NULL) {
		rc = 0;
	} else if (type != AE_IFREG && link == NULL) {
		rc = cf__skip_add(c->s, cf__raw(c->node), cf__raw(path),
		    "not a regular file (device, FIFO or socket)");
	} else if (link == NULL && nested && depth + 1 >= MAX_NESTING) {
		r = 1; /* the finding below, without reading the entry */
	} else if (link != NULL) {
		/* what plain tar writes for a file linked twice: the earlier
		 * entry's content, under this name */
		r = (target = entry_path(prefix, link)) == NULL
		    ? CF_E_NOMEM
		    : hardlink_data(c, path, target, nested ? 1 : entry_kind(path), &b);
	} else {
		r = entry_data(c, path, nested ? 1 : entry_kind(path),
		    archive_entry_size_is_set(e) ? archive_entry_size(e) : -1, &b);
	}
	if (r < 0)
		rc = r;
	else if (r > 0 && nested && depth + 1 >= MAX_NESTING)
		rc = cf__input_finding(c->s, cf__raw(c->node), cf__raw(path),
		    "archive nested deeper than %d levels; not read", MAX_NESTING);
	else if (r > 0 && nested)
		rc = read_archive(c->s, c->node, path, b.data, b.len, path, depth + 1, c->budget);
	else if (r > 0)
		rc = cf__scan_add_file(c->s, cf__raw(c->node), cf__raw(path), b.data, b.len),
		b.data = NULL;
	cf__buf_free(&b);
	free(target);
	free(path);
	return rc;
}

/* The compression filters certfleet reads, each only when libarchive
 * decodes it with its own code: a filter whose support call says
 * ARCHIVE_WARN would run an external program (found in $PATH), so it is
 * never enabled. Probed once per process. */
static int (*const filters[])(struct archive *) = {
	archive_read_support_filter_gzip,
	archive_read_support_filter_bzip2,
	archive_read_support_filter_xz,
	archive_read_support_filter_zstd,
};
static unsigned char filter_ok[sizeof filters / sizeof filters[0]];
static pthread_once_t filters_once = PTHREAD_ONCE_INIT;

static void
probe_filters(void)
{
	size_t i;

	for (i = 0; i < sizeof filters / sizeof filters[0]; i++) {
		struct archive *a = archive_read_new();
		filter_ok[i] = a && filters[i](a) == ARCHIVE_OK;
		archive_read_free(a);
	}
}

/* Archive formats and compressions certfleet does not read, by their
 * magic, so that the finding on an archive libarchive could not open says
 * what the bytes are. */
static const struct {
	const char *name, *magic;
	size_t len;
} foreign[] = {
	{ "lzop", "\x89LZO\x00\r\n\x1a\n", 9 },
	{ "lrzip", "LRZI", 4 },
	{ "grzip", "GRZipII", 7 },
	{ "lz4", "\x04\x22\x4d\x18", 4 },
	{ "lzip", "LZIP", 4 },
	{ "compress (.Z)", "\x1f\x9d", 2 },
	{ "lzma", "\x5d\x00\x00", 3 },
	{ "uuencode", "begin ", 6 },
	{ "rpm", "\xed\xab\xee\xdb", 4 },
	{ "7-Zip", "7z\xbc\xaf\x27\x1c", 6 },
	{ "RAR", "Rar!\x1a\x07", 6 },
	{ "cpio", "070707", 6 },
	{ "cpio", "070701", 6 },
	{ "cpio", "070702", 6 },
	{ "cpio", "\xc7\x71", 2 },
	{ "cabinet", "MSCF", 4 },
	{ "ar", "!<arch>\n", 8 },
};

/* What DATA is when it is a format certfleet does not read, or NULL. */
static const char *
foreign_kind(const unsigned char *data, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof foreign / sizeof foreign[0]; i++)
		if (len >= foreign[i].len && memcmp(data, foreign[i].magic, foreign[i].len) == 0)
			return foreign[i].name;
	return NULL;
}

int
cf__archive_source(struct cf_scan *s, const char *node, const char *prefix,
    const unsigned char *data, size_t len, const char *label, int depth)
{
	struct budget b = { 0, len, 0 };

	return read_archive(s, node, prefix, data, len, label, depth, &b);
}

/* A libarchive reader of DATA with the filters and formats certfleet
 * reads (built-in code only), or NULL; open failures are the caller's
 * (archive_read_open_memory was called when the result is not NULL: check
 * archive_errno / the first header). */
static struct archive *
open_archive_reader(void)
{
	struct archive *a = archive_read_new();
	size_t i;

	if (a == NULL)
		return NULL;
	/* built-in code only: never archive_read_support_filter_all(), which
	 * runs lzop, lrzip, grzip, ... from $PATH for their magic */
	pthread_once(&filters_once, probe_filters);
	for (i = 0; i < sizeof filters / sizeof filters[0]; i++)
		if (filter_ok[i])
			filters[i](a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_zip(a);
	return a;
}

static struct archive *
open_archive(const unsigned char *data, size_t len)
{
	struct archive *a = open_archive_reader();

	if (a && archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		archive_read_free(a);
		return NULL;
	}
	return a;
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned
le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

struct span {
	uint64_t start, end;
};

static int
cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Do two entries of the zip DATA share bytes (the overlapping-entry bomb:
 * a kilobyte of deflate named a thousand times)? From the central
 * directory: each entry spans its local header, name, extra field and
 * compressed data. 1 they overlap, 0 not or not a zip this can tell
 * (ZIP64 sizes are left to the decompression budget), -1 out of memory. */
static int
zip_overlap(const unsigned char *data, size_t len)
{
	const unsigned char *e = NULL, *p;
	struct span *v;
	size_t i, n, cd, cdlen, k = 0;
	int over = 0;

	if (len < 22 || memcmp(data, "PK\x03\x04", 4) != 0)
		return 0;
	for (i = len - 22;; i--) { /* the end of central directory record */
		if (memcmp(data + i, "PK\x05\x06", 4) == 0) {
			e = data + i;
			break;
		}
		if (i == 0 || len - i > 22 + 65535)
			return 0;
	}
	n = le16(e + 10);
	cdlen = le32(e + 12);
	cd = le32(e + 16);
	if (n == 0xffff || cd == 0xffffffff || cd > len || cdlen > len - cd)
		return 0;
	if ((v = calloc(n + 1, sizeof *v)) == NULL)
		return -1;
	for (p = data + cd, i = 0; i < n; i++) {
		uint64_t off, csize, end;
		if ((size_t)(p - data) + 46 > cd + cdlen || memcmp(p, "PK\x01\x02", 4) != 0)
			break;
		csize = le32(p + 20);
		off = le32(p + 42);
		if (csize == 0xffffffff || off == 0xffffffff || off + 30 > len ||
		    memcmp(data + off, "PK\x03\x04", 4) != 0)
			break;
		end = off + 30 + le16(data + off + 26) + le16(data + off + 28) + csize;
		v[k++] = (struct span){ off, end };
		p += 46 + le16(p + 28) + le16(p + 30) + le16(p + 32);
	}
	qsort(v, k, sizeof *v, cmp_span);
	for (i = 1; i < k && !over; i++)
		over = v[i].start < v[i - 1].end;
	free(v);
	return over;
}

/* Read one archive against budget B (its node archive's). */
static int
read_archive(struct cf_scan *s, const char *node, const char *prefix, const unsigned char *data,
    size_t len, const char *label, int depth, struct budget *b)
{
	struct arc c = { .s = s,
		.node = node,
		.label = label,
		.prefix = prefix,
		.data = data,
		.len = len,
		.budget = b };
	struct archive_entry *e;
	uint64_t n = 0;
	int r, rc = 0;
	char count[64];
	const char *kind;

	if (cf__scan_node(s, cf__raw(node)) < 0)
		return CF_E_NOMEM;
	if ((r = zip_overlap(data, len)) != 0)
		return r < 0 ? CF_E_NOMEM
		             : cf__input_finding(s, cf__raw(node), cf__raw(""),
		                   "archive %s: zip entries that "
		                   "share their bytes (an overlapping-entry zip bomb); not read",
		                   label);
	if ((c.a = open_archive_reader()) == NULL)
		return CF_E_NOMEM;
	if (archive_read_open_memory(c.a, data, len) != ARCHIVE_OK) {
		if ((kind = foreign_kind(data, len)) != NULL)
			rc = arc_finding(&c, "",
			    "archive %s: %s data, which certfleet does not read (it "
			    "reads tar and zip, plain or compressed with gzip, bzip2, xz or zstd)",
			    label, kind);
		else
			rc = arc_finding(&c, "", "archive %s: cannot open: %s", label,
			    archive_error_string(c.a) ?: "not an archive");
		goto out;
	}
	while (rc == 0 && !c.stopped) {
		r = archive_read_next_header(c.a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			snprintf(count, sizeof count, "%llu", (unsigned long long)n);
			rc = cf__input_finding(s, cf__raw(node), cf__raw(""),
			    "archive %s: corrupt or truncated after %s entries: %s", label, count,
			    archive_error_string(c.a) ?: "unknown error");
			break;
		}
		n++;
		if (++b->entries > s->policy.limits.max_entries) {
			snprintf(count, sizeof count, "%llu",
			    (unsigned long long)s->policy.limits.max_entries);
			rc = arc_finding(&c, "",
			    "archive %s: more entries than the limit of %s "
			    "(--max-entries); the rest of the archive is not read",
			    label, count);
			break;
		}
		rc = one_entry(&c, e, prefix, depth);
	}
out:
	archive_read_free(c.a);
	return rc;
}
