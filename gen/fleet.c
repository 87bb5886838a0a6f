/*
 * fleet.c - `certfleet-gen fleet OUTDIR`: a fleet shaped like real ones (a
 * CA, a shared server certificate and key, a per-node certificate, shared
 * service certificates on every node) with faults injected at named nodes
 * or at rates, and expected.json: every finding a correct scan reports.
 * Archives are written with libarchive with fixed times, owners and order.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>

#include "gen.h"

#define DAY 86400LL

/* Faults, as bits; those in one group change the same file. */
enum {
	F_EXPIRED = 1 << 0,
	F_SOON = 1 << 1,
	F_NYV = 1 << 2,
	F_TOO_LONG = 1 << 3,
	F_INV_B64 = 1 << 4,
	F_INV_END = 1 << 5,
	F_INV_LABEL = 1 << 6,
	F_INV_BLANK = 1 << 7,
	F_INV_PAD = 1 << 8,
	F_INV_TRUNC = 1 << 9,
	F_INV_EMPTY = 1 << 10,
	F_LAX = 1 << 11,
	F_MISMATCH = 1 << 12,
	F_MISSING = 1 << 13,
	F_DER = 1 << 14,
	F_CRLF = 1 << 15,
	F_KEY_MISMATCH = 1 << 16,
	F_SYMLINK = 1 << 17,
	/* will TLS work: node.crt issued by a new CA only this node carries, its
	 * bundle without the intermediate or in the wrong order, another node's
	 * name, an RSA 1024 key, a SHA-1 signature, another node's key */
	F_CA_ROTATED = 1 << 18,
	F_NO_MID = 1 << 19,
	F_ORDER = 1 << 20,
	F_WRONG_NAME = 1 << 21,
	F_WEAK_KEY = 1 << 22,
	F_SHA1 = 1 << 23,
	F_KEY_REUSE = 1 << 24,
};
#define G_NODE_CRT \
	(F_EXPIRED | F_SOON | F_NYV | F_TOO_LONG | F_INV_B64 | F_INV_END | F_INV_LABEL | \
	    F_INV_BLANK | F_INV_PAD | F_INV_TRUNC | F_INV_EMPTY | F_LAX | F_CA_ROTATED | \
	    F_NO_MID | F_ORDER | F_WRONG_NAME | F_WEAK_KEY | F_SHA1 | F_KEY_REUSE)
/* faults that need the intermediate layout (--intermediate) */
#define G_MID (F_NO_MID | F_ORDER)
#define G_SERVER_CRT (F_MISMATCH | F_MISSING | F_DER | F_CRLF)
#define G_INVALID \
	(F_INV_B64 | F_INV_END | F_INV_LABEL | F_INV_BLANK | F_INV_PAD | F_INV_TRUNC | F_INV_EMPTY)

static const struct {
	const char *name;
	unsigned bit;
} kinds[] = {
	{ "expired", F_EXPIRED },
	{ "soon", F_SOON },
	{ "not-yet-valid", F_NYV },
	{ "too-long", F_TOO_LONG },
	{ "invalid", F_INV_B64 },
	{ "invalid-bad-base64", F_INV_B64 },
	{ "invalid-missing-end", F_INV_END },
	{ "invalid-label", F_INV_LABEL },
	{ "invalid-blank-line", F_INV_BLANK },
	{ "invalid-padding", F_INV_PAD },
	{ "invalid-truncated", F_INV_TRUNC },
	{ "invalid-empty", F_INV_EMPTY },
	{ "lax", F_LAX },
	{ "mismatch", F_MISMATCH },
	{ "missing", F_MISSING },
	{ "der", F_DER },
	{ "crlf", F_CRLF },
	{ "key-mismatch", F_KEY_MISMATCH },
	{ "symlink", F_SYMLINK },
	{ "ca-rotated", F_CA_ROTATED },
	{ "missing-intermediate", F_NO_MID },
	{ "order", F_ORDER },
	{ "wrong-name", F_WRONG_NAME },
	{ "weak-key", F_WEAK_KEY },
	{ "sha1", F_SHA1 },
	{ "key-reuse", F_KEY_REUSE },
};

static const char *const formats[] = { "dir", "tar", "tar.gz", "tar.xz", "tar.zst", "tar.bz2",
	"zip" };
/* formats of their own, not in "mixed": every node a Kubernetes dump, or
 * folders of PKCS#12 files or Java keystores */
#define FORMAT_K8S "k8s"

struct entry {
	char *path;
	struct gbuf data;
	const char *link; /* symlink target, or NULL */
};

struct node {
	char name[32];
	unsigned faults;
	char key_label[128]; /* the key of its node.crt ("" when unreadable) */
	struct entry *e;
	size_t n;
};

struct fleet {
	const struct gen *g;
	const struct fleet_opts *o;
	struct gkey ca_key, server_key, other_key;
	/* the intermediate of node.crt (--intermediate: RSA 2048, so that it
	 * can sign SHA-1 too) and the CA a rotated node moves to (Ed25519) */
	struct gkey mid_key, new_ca_key;
	gnutls_x509_crt_t mid_crt, new_ca_crt;
	struct gbuf mid, new_ca;
	struct gkey *svc_keys; /* one per svc-NN.crt: no two certificates share a key */
	int n_svc_keys;
	gnutls_x509_crt_t ca_crt;
	struct gbuf ca, server;
	struct node *nodes;
	json_t *expected;
};

static int
add(struct node *n, const char *path, const struct gbuf *data, const char *link)
{
	struct entry *e = realloc(n->e, (n->n + 1) * sizeof *e);

	if (e == NULL)
		return -1;
	n->e = e;
	e = &n->e[n->n++];
	memset(e, 0, sizeof *e);
	e->path = strdup(path);
	e->link = link;
	if (data)
		gbuf_add(&e->data, data->p, data->n);
	return e->path ? 0 : -1;
}

static void
expect(struct fleet *f, const char *check, const char *node, const char *path, int index)
{
	json_array_append_new(f->expected,
	    json_pack("{s:s, s:s, s:s, s:i}", "check", check, "node", node, "path", path, "index",
	        index));
}

/* ---- faults --------------------------------------------------------------------- */

static unsigned
kind_bit(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return kinds[i].bit;
	return 0;
}

/* May node N take fault BIT (no other fault on the same file, a server key
 * for a key mismatch)? */
static int
can_take(const struct node *n, unsigned bit)
{
	unsigned groups[] = { G_NODE_CRT, G_SERVER_CRT };
	size_t i;

	for (i = 0; i < 2; i++)
		if ((bit & groups[i]) && (n->faults & groups[i]) && !(n->faults & bit))
			return 0;
	return !(bit == F_KEY_MISMATCH && (n->faults & F_MISSING)) &&
	    !(bit == F_MISSING && (n->faults & F_KEY_MISMATCH));
}

/* Add BIT to node N, refusing two faults on the same file. */
static int
give(struct node *n, unsigned bit, const char *item)
{
	unsigned groups[] = { G_NODE_CRT, G_SERVER_CRT };
	size_t i;

	for (i = 0; i < 2; i++)
		if ((bit & groups[i]) && (n->faults & groups[i]) && !(n->faults & bit)) {
			fprintf(stderr,
			    "certfleet-gen: fault '%s' changes a file another fault on %s "
			    "already changes\n",
			    item, n->name);
			return -1;
		}
	if (bit == F_KEY_MISMATCH && (n->faults & F_MISSING))
		return fprintf(
		           stderr, "certfleet-gen: '%s': %s has no server key\n", item, n->name),
		       -1;
	n->faults |= bit;
	return 0;
}

/* SPEC: comma-separated KIND@NODE or KIND=RATE (a fraction of the nodes,
 * chosen from the seed; nodes that already carry a fault on that file are
 * passed over). */
static int
parse_faults(struct fleet *f)
{
	char *copy = strdup(f->o->faults ? f->o->faults : ""), *item, *save = NULL, *sep;
	int i, rc = 0;

	for (item = strtok_r(copy, ",", &save); item && rc == 0;
	     item = strtok_r(NULL, ",", &save)) {
		unsigned bit;
		char kind[64], label[128];
		unsigned char h[32];
		sep = strpbrk(item, "@=");
		snprintf(kind, sizeof kind, "%.*s", sep ? (int)(sep - item) : 63, item);
		if (sep == NULL || (bit = kind_bit(kind)) == 0) {
			fprintf(stderr, "certfleet-gen: bad fault '%s' (KIND@NODE or KIND=RATE)\n",
			    item);
			rc = -1;
		} else if ((bit & G_MID) && !f->o->intermediate) {
			fprintf(stderr,
			    "certfleet-gen: fault '%s' needs --intermediate (node.crt as leaf and "
			    "intermediate)\n",
			    item);
			rc = -1;
		} else if (*sep == '@') {
			for (i = 0; i < f->o->nodes && strcmp(f->nodes[i].name, sep + 1) != 0; i++)
				;
			if (i == f->o->nodes) {
				fprintf(stderr, "certfleet-gen: fault '%s': no node %s\n", item,
				    sep + 1);
				rc = -1;
			} else {
				rc = give(&f->nodes[i], bit, item);
			}
		} else {
			char *end;
			double rate = strtod(sep + 1, &end);
			/* a fraction of the nodes: 0 to 1, a plain number */
			if (end == sep + 1 || *end || !(rate >= 0.0 && rate <= 1.0)) {
				fprintf(stderr,
				    "certfleet-gen: fault '%s': RATE is a fraction from 0 to 1\n",
				    item);
				rc = -1;
			}
			for (i = 0; i < f->o->nodes && rc == 0; i++) {
				snprintf(label, sizeof label, "rate:%s:%s", kind, f->nodes[i].name);
				derive(f->g, label, h);
				/* a node that cannot carry it (another fault on that
				 * file, or no server key) is passed over */
				if ((h[0] << 8 | h[1]) < rate * 65536.0 &&
				    !(f->nodes[i].faults & bit) && can_take(&f->nodes[i], bit))
					rc = give(&f->nodes[i], bit, item);
			}
		}
	}
	free(copy);
	return rc;
}

/* ---- contents ------------------------------------------------------------------- */

static int
issue(struct fleet *f, const char *cn, const char *serial, int64_t nb, int64_t na,
    const struct gkey *key, struct gbuf *der)
{
	struct gcert c = { .cn = cn,
		.dns = cn,
		.serial_label = serial,
		.not_before = nb,
		.not_after = na,
		.key = key,
		.issuer = f->ca_crt,
		.issuer_key = &f->ca_key };
	return gcert_make(f->g, &c, der, NULL);
}

/* An invalid-PEM variant of canonical PEM P, per the fault. */
static void
break_pem(unsigned faults, struct gbuf *p)
{
	char *end = memmem(p->p, p->n, "-----END", 8);
	size_t second = (size_t)((unsigned char *)memchr(p->p + 28, '\n', p->n - 28) - p->p) + 1;

	if (faults & F_INV_B64)
		p->p[second + 7] = '*';
	else if (faults & F_INV_END)
		p->n = (size_t)((unsigned char *)end - p->p);
	else if (faults & F_INV_LABEL)
		memcpy(end + 9, "CERTIFICATX", 11);
	else if (faults & F_INV_BLANK)
		p->p[second + 64] = '\n', p->p[second + 63] = '\n';
	else if (faults & F_INV_PAD)
		p->p[second + 3] = '=';
	else if (faults & F_INV_TRUNC)
		memmove(p->p + second, p->p + second + 65, p->n - second - 65), p->n -= 65;
	else if (faults & F_INV_EMPTY)
		p->n = 0;
	if (p->p)
		p->p[p->n] = 0;
}

/* The node after N in the fleet (the one whose name or key a fault takes). */
static const struct node *
partner(const struct fleet *f, const struct node *n)
{
	return &f->nodes[((n - f->nodes) + 1) % f->o->nodes];
}

static int
node_crt(struct fleet *f, struct node *n, int64_t now)
{
	int64_t nb = now - 30 * DAY, na = now + 335 * DAY;
	struct gbuf der = { 0 }, pem = { 0 }, mid = { 0 };
	struct gkey key;
	char cn[96], serial[96], keylabel[96];
	const char *check = NULL;
	unsigned x = n->faults;
	struct gcert c = { 0 };
	int rc;

	if (x & F_EXPIRED)
		nb = now - 100 * DAY, na = now - 5 * DAY, check = "tls-cert-expired";
	if (x & F_SOON)
		nb = now - 300 * DAY, na = now + 10 * DAY, check = "tls-cert-will-soon-expire";
	if (x & F_NYV)
		nb = now + 5 * DAY, na = now + 200 * DAY, check = "tls-cert-not-yet-valid";
	if (x & F_TOO_LONG)
		nb = now - 10 * DAY, na = now + 400 * DAY, check = "tls-cert-validity-too-long";
	if (x & G_INVALID)
		check = "tls-cert-invalid";
	if (x & F_LAX)
		check = "tls-pem-lax";
	if (x & F_NO_MID)
		check = "tls-chain-incomplete";
	if (x & F_WRONG_NAME)
		check = "tls-cert-name-mismatch";
	if (x & F_WEAK_KEY)
		check = "tls-key-weak";
	if (x & F_SHA1)
		check = "tls-sig-weak";
	/* wrong-name: the next node's name; key-reuse: the next node's key */
	snprintf(
	    cn, sizeof cn, "%s.fleet.example", x & F_WRONG_NAME ? partner(f, n)->name : n->name);
	snprintf(serial, sizeof serial, "node:%s", n->name);
	snprintf(
	    keylabel, sizeof keylabel, "node:%s", x & F_KEY_REUSE ? partner(f, n)->name : n->name);
	/* each node's own certificate has a key of its own */
	if ((rc = gkey_make(f->g, x & F_WEAK_KEY ? GK_RSA1024 : GK_ED25519, keylabel, &key)) != 0)
		return rc;
	if (!(x & G_INVALID))
		snprintf(n->key_label, sizeof n->key_label, "%s%s",
		    x & F_WEAK_KEY ? "rsa1024:" : "", keylabel);
	c = (struct gcert){ .cn = cn,
		.dns = cn,
		.serial_label = serial,
		.not_before = nb,
		.not_after = na,
		.key = &key,
		.issuer = f->ca_crt,
		.issuer_key = &f->ca_key };
	if (x & F_CA_ROTATED)
		c.issuer = f->new_ca_crt, c.issuer_key = &f->new_ca_key;
	else if (f->o->intermediate)
		c.issuer = f->mid_crt, c.issuer_key = &f->mid_key;
	if (x & F_SHA1)
		c.digest = GNUTLS_DIG_SHA1;
	rc = gcert_make(f->g, &c, &der, NULL);
	gkey_free(&key);
	if (rc != 0)
		return rc;
	/* --intermediate: leaf then intermediate (order: the other way round;
	 * missing-intermediate: the leaf alone) */
	if (f->o->intermediate && !(x & (F_CA_ROTATED | F_NO_MID)))
		pem_wrap(f->mid.p, f->mid.n, "CERTIFICATE", 64, "\n", &mid);
	if (x & F_ORDER)
		gbuf_add(&pem, mid.p, mid.n);
	pem_wrap(der.p, der.n, "CERTIFICATE", 64, "\n", &pem);
	if (!(x & F_ORDER) && mid.n)
		gbuf_add(&pem, mid.p, mid.n);
	gbuf_free(&mid);
	break_pem(x, &pem);
	if (x & F_LAX)
		gbuf_str(&pem, "trailing text\n");
	rc = add(n, "etc/tls/node.crt", &pem, NULL);
	if (check)
		expect(f, check, n->name, "etc/tls/node.crt", 0);
	if (x & F_ORDER)
		expect(f, "tls-chain-order", n->name, "etc/tls/node.crt", 1);
	if (rc == 0 && (x & F_CA_ROTATED)) { /* the new CA, beside the old one */
		gbuf_free(&pem);
		pem_wrap(f->new_ca.p, f->new_ca.n, "CERTIFICATE", 64, "\n", &pem);
		rc = add(n, "etc/tls/ca-new.crt", &pem, NULL);
	}
	gbuf_free(&der);
	gbuf_free(&pem);
	return rc;
}

static int
server_crt(struct fleet *f, struct node *n, int64_t now)
{
	struct gbuf der = { 0 }, pem = { 0 }, key = { 0 };
	char serial[96];
	int rc = 0;

	if (n->faults & F_MISSING)
		return 0;
	if (n->faults & F_MISMATCH) { /* re-issued: same subject and key, new serial */
		snprintf(serial, sizeof serial, "server-reissue:%s", n->name);
		rc = issue(f, "server.fleet.example", serial, now - 20 * DAY, now + 340 * DAY,
		    &f->server_key, &der);
	} else {
		gbuf_add(&der, f->server.p, f->server.n);
	}
	if (n->faults & F_DER)
		gbuf_add(&pem, der.p, der.n);
	else if (n->faults & F_CRLF) {
		gbuf_str(&pem, "subject=CN = server.fleet.example, O = certfleet-gen\r\n\r\n");
		pem_wrap(der.p, der.n, "CERTIFICATE", 64, "\r\n", &pem);
	} else
		pem_wrap(der.p, der.n, "CERTIFICATE", 64, "\n", &pem);
	if (rc == 0)
		rc = add(n, "etc/tls/server.crt", &pem, NULL);
	if (rc == 0 &&
	    (rc = gkey_pem(n->faults & F_KEY_MISMATCH ? &f->other_key : &f->server_key, &key)) == 0)
		rc = add(n, "etc/tls/server.key", &key, NULL);
	if (n->faults & F_KEY_MISMATCH)
		expect(f, "tls-key-mismatch", n->name, "etc/tls/server.key", 0);
	gbuf_free(&der);
	gbuf_free(&pem);
	gbuf_free(&key);
	return rc;
}

/* The fleet findings of server.crt, by the consistency rule of the scan
 * (README "Consistency"): H nodes hold the file, R of them a re-issued copy
 * each (R singletons), O = H - R the original. With fewer than two copies
 * of the original every node has its own: no mismatch. Else a strict
 * majority makes the re-issued copies outliers; without one, every holder
 * is flagged. A node lacking the file is missing when most nodes hold it. */
static void
fleet_expect(struct fleet *f)
{
	int i, n = f->o->nodes, h = 0, r = 0, o;

	for (i = 0; i < n; i++) {
		h += !(f->nodes[i].faults & F_MISSING);
		r += !!(f->nodes[i].faults & F_MISMATCH);
	}
	o = h - r;
	for (i = 0; i < n && n >= 2; i++) {
		unsigned x = f->nodes[i].faults;
		if (x & F_MISSING) {
			if (h * 2 > n)
				expect(f, "tls-cert-missing", f->nodes[i].name,
				    "etc/tls/server.crt", 0);
		} else if (r > 0 && o >= 2 && ((x & F_MISMATCH) || o * 2 <= h)) {
			expect(f, "tls-cert-mismatch", f->nodes[i].name, "etc/tls/server.crt", 0);
		}
	}
}

/* The findings of the trust faults that hang on other nodes: a rotated
 * node's leaf is refused by every node without the new CA (tls-trust-split
 * on the minority of the two groups)
 * and, when most nodes carry ca-new.crt, the others lack it; node.crt files
 * that hold one key (key-reuse takes the next node's) are all named. */
static void
trust_expect(struct fleet *f)
{
	int i, k, n = f->o->nodes, rotated = 0;

	for (i = 0; i < n; i++)
		rotated += !!(f->nodes[i].faults & F_CA_ROTATED);
	for (i = 0; i < n; i++) {
		const struct node *d = &f->nodes[i];
		/* the split is the minority's: the rotated nodes' when fewer
		 * than half rotated, the others' when more, everyone's on a tie */
		if (rotated > 0 && rotated < n &&
		    (rotated * 2 == n || ((d->faults & F_CA_ROTATED) != 0) == (rotated * 2 < n)))
			expect(f, "tls-trust-split", d->name, "etc/tls/node.crt", 0);
		if (!(d->faults & F_CA_ROTATED) && rotated * 2 > n)
			expect(f, "tls-cert-missing", d->name, "etc/tls/ca-new.crt", 0);
		if (!d->key_label[0])
			continue;
		for (k = 0; k < n; k++)
			if (k != i && strcmp(f->nodes[k].key_label, d->key_label) == 0) {
				expect(f, "tls-key-reuse", d->name, "etc/tls/node.crt", 0);
				break;
			}
	}
}

static int
node_contents(struct fleet *f, struct node *n)
{
	int64_t now = f->g->now;
	struct gbuf pem = { 0 }, der = { 0 }, txt = { 0 };
	char name[64], serial[64];
	int i, rc;

	pem_wrap(f->ca.p, f->ca.n, "CERTIFICATE", 64, "\n", &pem);
	rc = add(n, "etc/tls/ca.crt", &pem, NULL);
	if (rc == 0)
		rc = server_crt(f, n, now);
	if (rc == 0)
		rc = node_crt(f, n, now);
	for (i = 1; rc == 0 && i <= f->o->certs_per_node - 3; i++) {
		snprintf(name, sizeof name, "etc/tls/svc-%02d.crt", i);
		snprintf(serial, sizeof serial, "svc-%02d", i);
		gbuf_free(&der);
		gbuf_free(&pem);
		if ((rc = issue(f, serial, serial, now - 90 * DAY, now + 200 * DAY,
		         &f->svc_keys[i - 1], &der)) == 0)
			rc = pem_wrap(der.p, der.n, "CERTIFICATE", 64, "\n", &pem) ||
			    add(n, name, &pem, NULL);
	}
	gbuf_str(&txt, "TLS material of this node, collected by certfleet-gen.\n");
	if (rc == 0)
		rc = add(n, "etc/tls/README.txt", &txt, NULL);
	if (rc == 0 && (n->faults & F_SYMLINK))
		rc = add(n, "etc/tls/link.crt", NULL, "server.crt");
	gbuf_free(&pem);
	gbuf_free(&der);
	gbuf_free(&txt);
	return rc;
}

/* ---- output ---------------------------------------------------------------------- */

static int
write_dir(const char *outdir, const struct node *n)
{
	char *path;
	size_t i;
	int rc = 0;

	for (i = 0; i < n->n && rc == 0; i++) {
		if (asprintf(&path, "%s/%s/%s", outdir, n->name, n->e[i].path) < 0)
			return -1;
		if (n->e[i].link) {
			unlink(path);
			rc = symlink(n->e[i].link, path);
		} else {
			rc = write_file(path, n->e[i].data.p, n->e[i].data.n);
		}
		if (rc)
			perror(path);
		free(path);
	}
	return rc;
}

static int
write_archive(const struct gen *g, const char *outdir, const struct node *n, const char *fmt)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	char *path = NULL;
	size_t i;
	int rc = 0;

	if (strcmp(fmt, "zip") == 0) {
		archive_write_set_format_zip(a);
	} else {
		archive_write_set_format_pax_restricted(a);
		if (strcmp(fmt, "tar.gz") == 0) {
			archive_write_add_filter_gzip(a);
			archive_write_set_filter_option(
			    a, "gzip", "timestamp", NULL); /* no mtime */
		} else if (strcmp(fmt, "tar.xz") == 0)
			archive_write_add_filter_xz(a);
		else if (strcmp(fmt, "tar.zst") == 0)
			archive_write_add_filter_zstd(a);
		else if (strcmp(fmt, "tar.bz2") == 0)
			archive_write_add_filter_bzip2(a);
	}
	if (asprintf(&path, "%s/%s.%s", outdir, n->name, fmt) < 0 ||
	    archive_write_open_filename(a, path) != ARCHIVE_OK) {
		fprintf(stderr, "certfleet-gen: %s: %s\n", path, archive_error_string(a));
		rc = -1;
	}
	for (i = 0; i < n->n && rc == 0; i++) {
		archive_entry_clear(e);
		archive_entry_set_pathname(e, n->e[i].path);
		archive_entry_set_mtime(e, (time_t)g->now, 0);
		archive_entry_set_uid(e, 0);
		archive_entry_set_gid(e, 0);
		archive_entry_set_uname(e, "root");
		archive_entry_set_gname(e, "root");
		if (n->e[i].link) {
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_perm(e, 0777);
			archive_entry_set_symlink(e, n->e[i].link);
		} else {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_size(e, (la_int64_t)n->e[i].data.n);
		}
		if (archive_write_header(a, e) != ARCHIVE_OK ||
		    (n->e[i].data.n && archive_write_data(a, n->e[i].data.p, n->e[i].data.n) < 0)) {
			fprintf(stderr, "certfleet-gen: %s: %s\n", path, archive_error_string(a));
			rc = -1;
		}
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		rc = -1;
	archive_write_free(a);
	archive_entry_free(e);
	free(path);
	return rc;
}

/* ---- a node as a Kubernetes dump ---------------------------------------------- */

/* Where a node file lies in its dump: the Secret of its folder (namespace
 * certfleet, name the folder with '-' for '/'), key its file name; the
 * logical path a scan reports: secrets.yaml#certfleet/etc-tls/node.crt. */
static char *
k8s_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *out, *q, *last;

	if (asprintf(&out, "secrets.yaml#certfleet/%.*s/%s", slash ? (int)(slash - path) : 4,
	        slash ? path : "root", slash ? slash + 1 : path) < 0)
		return NULL;
	last = strrchr(out, '/');
	for (q = out + strlen("secrets.yaml#certfleet/"); q < last; q++)
		if (*q == '/')
			*q = '-';
	return out;
}

/* Is NAME a key a dump's reader takes (what a TLS Secret holds)? */
static int
k8s_wanted(const char *name)
{
	size_t n = strlen(name);

	return n > 4 &&
	    (strcmp(name + n - 4, ".crt") == 0 || strcmp(name + n - 4, ".key") == 0 ||
	        strcmp(name + n - 4, ".pem") == 0);
}

/* Node N as OUTDIR/N/secrets.yaml: `kubectl get secret -o yaml` of one
 * Secret per folder (a kind: List), every certificate and key file a data
 * entry in base64; links and other files are left out. */
static int
write_k8s(const char *outdir, const struct node *n)
{
	struct gbuf y = { 0 };
	char *path = NULL, *lp, *prev = NULL;
	size_t i;
	int rc = 0;

	gbuf_str(&y, "apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n");
	for (i = 0; i < n->n && rc == 0; i++) {
		const char *base =
		    strrchr(n->e[i].path, '/') ? strrchr(n->e[i].path, '/') + 1 : n->e[i].path;
		gnutls_datum_t in = { n->e[i].data.p, (unsigned)n->e[i].data.n }, b64 = { 0 };
		if (n->e[i].link || !k8s_wanted(base))
			continue;
		if ((lp = k8s_path(n->e[i].path)) == NULL) {
			rc = -1;
			break;
		}
		*strrchr(lp, '/') = '\0'; /* the Secret: ...#certfleet/etc-tls */
		if (prev == NULL || strcmp(prev, lp) != 0) {
			gbuf_str(&y,
			    "- apiVersion: v1\n  kind: Secret\n  type: Opaque\n  metadata:\n    "
			    "name: ");
			gbuf_str(&y, strrchr(lp, '/') + 1);
			gbuf_str(&y, "\n    namespace: certfleet\n  data:\n");
		}
		free(prev);
		prev = lp;
		gbuf_str(&y, "    ");
		gbuf_str(&y, base);
		gbuf_str(&y, ": \"");
		if (in.size && gnutls_base64_encode2(&in, &b64) < 0)
			rc = -1;
		else if (in.size)
			gbuf_add(&y, b64.data, b64.size);
		gbuf_str(&y, "\"\n");
		gnutls_free(b64.data);
	}
	free(prev);
	if (rc == 0 && asprintf(&path, "%s/%s/secrets.yaml", outdir, n->name) < 0)
		rc = -1;
	if (rc == 0 && (rc = write_file(path, y.p, y.n)) != 0)
		perror(path);
	free(path);
	gbuf_free(&y);
	return rc;
}

/* ---- a node's certificates in PKCS#12 files or Java keystores ------------------- */

/* The DER of a certificate file's bytes: its PEM decoded, else the bytes
 * as they are (DER already, or a broken file that stays broken). */
static void
cert_bytes(const struct gbuf *file, struct gbuf *out)
{
	gnutls_datum_t in = { file->p, (unsigned)file->n }, der = { 0 };

	if (file->n && gnutls_pem_base64_decode2("CERTIFICATE", &in, &der) >= 0)
		gbuf_add(out, der.data, der.size);
	else
		gbuf_add(out, file->p, file->n);
	gnutls_free(der.data);
}

/* FILE with its extension (.crt) replaced by EXT (".p12", ".jks"). */
static char *
with_ext(const char *path, const char *ext)
{
	const char *dot = strrchr(path, '.');
	char *out;

	return asprintf(&out, "%.*s%s", dot ? (int)(dot - path) : (int)strlen(path), path, ext) < 0
	    ? NULL
	    : out;
}

/* Node N as folders whose certificate files are containers: FMT "p12",
 * each X.crt a PKCS#12 file X.p12 (server.p12 holds server.key too), or
 * "jks", each X.crt a keystore X.jks (password changeit) with the entry X;
 * keys (jks) and other files as they are; links left out. */
static int
write_containers(struct fleet *f, const char *outdir, const struct node *n, const char *fmt)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n->n && rc == 0; i++) {
		const struct entry *e = &n->e[i];
		const char *base = strrchr(e->path, '/') ? strrchr(e->path, '/') + 1 : e->path;
		size_t len = strlen(e->path);
		struct gbuf der = { 0 }, out = { 0 };
		char *path = NULL, *name;
		int crt = len > 4 && strcmp(e->path + len - 4, ".crt") == 0;

		if (e->link || (strcmp(fmt, "p12") == 0 && strcmp(base, "server.key") == 0))
			continue;
		if (!crt) {
			if (asprintf(&path, "%s/%s/%s", outdir, n->name, e->path) < 0)
				return -1;
			rc = write_file(path, e->data.p, e->data.n);
		} else {
			cert_bytes(&e->data, &der);
			name = with_ext(base, "");
			if (strcmp(fmt, "jks") == 0) {
				const struct gbuf *certs[1] = { &der };
				const char *alias[1] = { name };
				rc = jks_der(alias, certs, 1, f->g->now, &out);
			} else {
				rc = pkcs12_der(&der,
				    strcmp(base, "server.crt") == 0
				        ? (n->faults & F_KEY_MISMATCH ? &f->other_key
				                                      : &f->server_key)
				        : NULL,
				    &out);
			}
			free(name);
			name = with_ext(e->path, strcmp(fmt, "jks") == 0 ? ".jks" : ".p12");
			if (name == NULL || asprintf(&path, "%s/%s/%s", outdir, n->name, name) < 0)
				rc = -1;
			free(name);
			if (rc == 0)
				rc = write_file(path, out.p, out.n);
		}
		if (rc)
			perror(path ? path : e->path);
		free(path);
		gbuf_free(&der);
		gbuf_free(&out);
	}
	return rc;
}

/* The expected findings of a p12 or jks fleet: a certificate file's at its
 * container; PEM faults gone (no PEM left); in p12, the key mismatch is the
 * key bag's (member 1 of server.p12). */
static int
container_expected(struct fleet *f, const char *fmt)
{
	json_t *keep = json_array(), *e;
	size_t i;
	char *p;

	json_array_foreach(f->expected, i, e)
	{
		const char *path = json_string_value(json_object_get(e, "path"));
		const char *check = json_string_value(json_object_get(e, "check"));
		size_t n = strlen(path);
		if (strcmp(check, "tls-pem-lax") == 0)
			continue;
		if (n > 4 && strcmp(path + n - 4, ".crt") == 0) {
			if ((p = with_ext(path, strcmp(fmt, "jks") == 0 ? ".jks" : ".p12")) == NULL)
				return -1;
			json_object_set_new(e, "path", json_string(p));
			free(p);
		} else if (strcmp(fmt, "p12") == 0 && strcmp(check, "tls-key-mismatch") == 0) {
			json_object_set_new(e, "path", json_string("etc/tls/server.p12"));
			json_object_set_new(e, "index", json_integer(1));
		}
		json_array_append(keep, e);
	}
	json_decref(f->expected);
	f->expected = keep;
	return 0;
}

/* Every expected finding at its path in the dumps (a k8s fleet). */
static int
k8s_expected(struct fleet *f)
{
	size_t i;
	json_t *e;
	char *lp;

	json_array_foreach(f->expected, i, e)
	{
		if ((lp = k8s_path(json_string_value(json_object_get(e, "path")))) == NULL)
			return -1;
		json_object_set_new(e, "path", json_string(lp));
		free(lp);
	}
	return 0;
}

static const char *
format_of(const struct fleet *f, int i)
{
	if (strcmp(f->o->format, "mixed") == 0)
		return formats[i % (int)(sizeof formats / sizeof formats[0])];
	return f->o->format;
}

static int
fleet_open(struct fleet *f)
{
	struct gcert ca = { .cn = "certfleet-gen fleet CA",
		.serial_label = "fleet-ca",
		.is_ca = 1,
		.not_before = f->g->now - 365 * DAY,
		.not_after = f->g->now + 3650 * DAY,
		.key = &f->ca_key };
	char label[32];
	int rc, i, n;

	if ((rc = f->o->rsa_ca ? gkey_make(f->g, GK_RSA2048, "fleet-ca", &f->ca_key)
	                       : gkey_make(f->g, GK_P256, "", &f->ca_key)) ||
	    (rc = gkey_make(f->g, GK_ED25519, "fleet-server", &f->server_key)) ||
	    (rc = gkey_make(f->g, GK_ED25519, "fleet-other", &f->other_key)) ||
	    (rc = gcert_make(f->g, &ca, &f->ca, &f->ca_crt)))
		return rc;
	{
		struct gcert mid = { .cn = "certfleet-gen fleet intermediate",
			.serial_label = "fleet-mid",
			.is_ca = 1,
			.not_before = f->g->now - 300 * DAY,
			.not_after = f->g->now + 1800 * DAY,
			.key = &f->mid_key,
			.issuer = f->ca_crt,
			.issuer_key = &f->ca_key };
		struct gcert nca = { .cn = "certfleet-gen fleet CA 2",
			.serial_label = "fleet-ca-2",
			.is_ca = 1,
			.not_before = f->g->now - 30 * DAY,
			.not_after = f->g->now + 3650 * DAY,
			.key = &f->new_ca_key };
		if ((rc = gkey_make(f->g, GK_ED25519, "fleet-ca-2", &f->new_ca_key)) ||
		    (rc = gcert_make(f->g, &nca, &f->new_ca, &f->new_ca_crt)))
			return rc;
		if (f->o->intermediate &&
		    ((rc = gkey_make(f->g, GK_RSA2048, "fleet-intermediate", &f->mid_key)) ||
		        (rc = gcert_make(f->g, &mid, &f->mid, &f->mid_crt))))
			return rc;
	}
	n = f->o->certs_per_node > 3 ? f->o->certs_per_node - 3 : 0;
	if (n && (f->svc_keys = calloc((size_t)n, sizeof *f->svc_keys)) == NULL)
		return GNUTLS_E_MEMORY_ERROR;
	for (i = 0; i < n; i++) {
		snprintf(label, sizeof label, "fleet-svc-%02d", i + 1);
		if ((rc = gkey_make(f->g, GK_ED25519, label, &f->svc_keys[i])) != 0)
			return rc;
		f->n_svc_keys = i + 1;
	}
	return issue(f, "server.fleet.example", "fleet-server", f->g->now - 60 * DAY,
	    f->g->now + 300 * DAY, &f->server_key, &f->server);
}

static void
fleet_close(struct fleet *f)
{
	int i;
	size_t j;

	for (i = 0; f->nodes && i < f->o->nodes; i++) {
		for (j = 0; j < f->nodes[i].n; j++) {
			free(f->nodes[i].e[j].path);
			gbuf_free(&f->nodes[i].e[j].data);
		}
		free(f->nodes[i].e);
	}
	free(f->nodes);
	gkey_free(&f->ca_key);
	gkey_free(&f->server_key);
	gkey_free(&f->other_key);
	for (i = 0; i < f->n_svc_keys; i++)
		gkey_free(&f->svc_keys[i]);
	free(f->svc_keys);
	gnutls_x509_crt_deinit(f->ca_crt);
	gkey_free(&f->mid_key);
	gkey_free(&f->new_ca_key);
	gnutls_x509_crt_deinit(f->mid_crt);
	gnutls_x509_crt_deinit(f->new_ca_crt);
	gbuf_free(&f->mid);
	gbuf_free(&f->new_ca);
	gbuf_free(&f->ca);
	gbuf_free(&f->server);
	json_decref(f->expected);
}

static int
cmp_expect(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char *keys[] = { "node", "path", "check" };
	int i, c;

	for (i = 0; i < 3; i++)
		if ((c = strcmp(json_string_value(json_object_get(x, keys[i])),
		         json_string_value(json_object_get(y, keys[i])))) != 0)
			return c;
	return 0;
}

static int
write_expected(struct fleet *f, const char *outdir)
{
	size_t n = json_array_size(f->expected), i;
	json_t **v = malloc((n + 1) * sizeof *v), *sorted = json_array(), *root;
	char *path = NULL, now[32];
	int rc;

	for (i = 0; i < n; i++)
		v[i] = json_array_get(f->expected, i);
	qsort(v, n, sizeof *v, cmp_expect);
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&(time_t){ (time_t)f->g->now }));
	root = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:b, s:o}", "generated",
	    "certfleet-gen fleet; the findings a correct scan reports", "seed", f->g->seed, "now",
	    now, "soon", "30d", "expect_name", "*/node.*={node}.fleet.example", "nodes",
	    f->o->nodes, "faults", f->o->faults ? f->o->faults : "", "format", f->o->format,
	    "intermediate", f->o->intermediate, "findings", sorted);
	rc = asprintf(&path, "%s/expected.json", outdir) < 0 ||
	        json_dump_file(root, path, JSON_INDENT(2)) != 0
	    ? -1
	    : 0;
	json_decref(root);
	free(path);
	free(v);
	return rc;
}

int
gen_fleet(const struct gen *g, const char *outdir, const struct fleet_opts *o)
{
	struct fleet f = { .g = g, .o = o };
	int i, width = o->nodes >= 1000 ? (o->nodes >= 10000 ? 5 : 4) : (o->nodes >= 100 ? 3 : 2);
	int rc = 0;
	size_t k;

	for (k = 0; k < sizeof formats / sizeof formats[0] && strcmp(o->format, formats[k]); k++)
		;
	if (k == sizeof formats / sizeof formats[0] && strcmp(o->format, "mixed") != 0 &&
	    strcmp(o->format, FORMAT_K8S) != 0 && strcmp(o->format, "p12") != 0 &&
	    strcmp(o->format, "jks") != 0) {
		fprintf(stderr, "certfleet-gen: unknown --format %s\n", o->format);
		return 2;
	}
	if (o->intermediate && (strcmp(o->format, "p12") == 0 || strcmp(o->format, "jks") == 0)) {
		fprintf(stderr,
		    "certfleet-gen: --intermediate needs a format that keeps a bundle (not %s)\n",
		    o->format);
		return 2;
	}
	if ((f.nodes = calloc((size_t)o->nodes, sizeof *f.nodes)) == NULL ||
	    (f.expected = json_array()) == NULL) {
		free(f.nodes);
		return -1;
	}
	for (i = 0; i < o->nodes; i++)
		snprintf(f.nodes[i].name, sizeof f.nodes[i].name, "n%0*d", width, i + 1);
	if ((rc = fleet_open(&f)) != 0) {
		fprintf(stderr, "certfleet-gen: keys: %s\n", gnutls_strerror(rc));
		rc = -1;
	}
	if (rc == 0 && parse_faults(&f) != 0)
		rc = 2; /* a bad SPEC: nothing written */
	if (rc == 0) {  /* now OUTDIR is made */
		char *dir = NULL;
		if (asprintf(&dir, "%s/", outdir) < 0 || mkdirs(dir) != 0) {
			perror(outdir);
			rc = -1;
		}
		free(dir);
	}
	for (i = 0; i < o->nodes && rc == 0; i++) {
		if ((rc = node_contents(&f, &f.nodes[i])) == 0 &&
		    strcmp(format_of(&f, i), FORMAT_K8S) == 0)
			rc = write_k8s(outdir, &f.nodes[i]);
		else if (rc == 0 &&
		    (strcmp(o->format, "p12") == 0 || strcmp(o->format, "jks") == 0))
			rc = write_containers(&f, outdir, &f.nodes[i], o->format);
		else if (rc == 0)
			rc = strcmp(format_of(&f, i), "dir") == 0
			    ? write_dir(outdir, &f.nodes[i])
			    : write_archive(g, outdir, &f.nodes[i], format_of(&f, i));
		for (k = 0; k < f.nodes[i].n; k++) { /* free as we go: 1,000s of nodes */
			free(f.nodes[i].e[k].path);
			gbuf_free(&f.nodes[i].e[k].data);
		}
		free(f.nodes[i].e);
		f.nodes[i].e = NULL;
		f.nodes[i].n = 0;
	}
	if (rc == 0) {
		fleet_expect(&f);
		trust_expect(&f);
		if (strcmp(o->format, FORMAT_K8S) == 0)
			rc = k8s_expected(&f);
		else if (strcmp(o->format, "p12") == 0 || strcmp(o->format, "jks") == 0)
			rc = container_expected(&f, o->format);
		rc = rc ? rc : write_expected(&f, outdir);
	}
	fleet_close(&f);
	return rc;
}
