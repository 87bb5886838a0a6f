/*
 * mkhostile - writes the hostile archives of the archive test, with
 * libarchive (bsdtar will not write most of these on purpose):
 *   hostile.tar.gz  ../ and absolute names, links to /etc/shadow, a FIFO, a
 *                   device, a nested bundle (and one nested too deep), and
 *                   last a 1 GiB entry of zeros (gzip -9: about 1 MiB)
 *   truncated.tar.gz  three certificates, cut inside the third
 *   badcrc.zip      two stored certificates, the second with a flipped byte
 * usage: mkhostile CERT.pem OUTDIR [--no-bomb]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>

struct blob {
	char *p;
	size_t n;
};

static struct blob
slurp(const char *path)
{
	struct blob b = { 0 };
	FILE *f = fopen(path, "rb");

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (b.n = (size_t)ftell(f)) == 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (b.p = malloc(b.n)) == NULL ||
	    fread(b.p, 1, b.n, f) != b.n) {
		perror(path);
		exit(2);
	}
	fclose(f);
	return b;
}

static void
entry(struct archive *a, const char *name, unsigned type, const char *data, size_t n,
    const char *link, int hard)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, 1780272000, 0);
	if (link && hard)
		archive_entry_set_hardlink(e, link);
	else if (link)
		archive_entry_set_symlink(e, link);
	if (type == AE_IFCHR)
		archive_entry_set_rdev(e, 0x0501);
	archive_entry_set_size(e, type == AE_IFREG && !hard ? (la_int64_t)n : 0);
	if (archive_write_header(a, e) != ARCHIVE_OK ||
	    (n && type == AE_IFREG && archive_write_data(a, data, n) != (la_ssize_t)n)) {
		fprintf(stderr, "mkhostile: %s: %s\n", name, archive_error_string(a));
		exit(2);
	}
	archive_entry_free(e);
}

static void
zeros(struct archive *a, const char *name, size_t n)
{
	struct archive_entry *e = archive_entry_new();
	static char buf[1 << 20];
	size_t done;

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)n);
	archive_write_header(a, e);
	for (done = 0; done < n; done += sizeof buf)
		archive_write_data(a, buf, sizeof buf);
	archive_entry_free(e);
}

/* An archive in memory: tar (gzip when GZ) or zip (stored when ZIP). */
static struct archive *
open_mem(struct blob *out, size_t cap, int zip, int gz, size_t *used)
{
	struct archive *a = archive_write_new();

	if (zip) {
		archive_write_set_format_zip(a);
		archive_write_set_format_option(a, "zip", "compression", "store");
	} else {
		archive_write_set_format_pax_restricted(a);
		if (gz) {
			archive_write_add_filter_gzip(a);
			archive_write_set_filter_option(a, "gzip", "compression-level", "9");
		}
	}
	out->p = malloc(cap);
	archive_write_open_memory(a, out->p, cap, used);
	return a;
}

static void
save(const char *dir, const char *name, const char *p, size_t n)
{
	char *path;
	FILE *f;

	if (asprintf(&path, "%s/%s", dir, name) < 0 || (f = fopen(path, "wb")) == NULL ||
	    fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		perror(name);
		exit(2);
	}
	free(path);
}

int
main(int argc, char **argv)
{
	struct blob cert, inner, deep, out;
	struct archive *a;
	size_t used = 0, iu = 0, du = 0, cut;
	char *crc;

	if (argc < 3)
		return 2;
	cert = slurp(argv[1]);
	mkdir(argv[2], 0755);

	/* a nested bundle, holding one more archive (too deep to open) */
	a = open_mem(&deep, 1 << 20, 0, 1, &du);
	entry(a, "deeper.crt", AE_IFREG, cert.p, cert.n, NULL, 0);
	archive_write_close(a);
	archive_write_free(a);
	a = open_mem(&inner, 1 << 20, 0, 1, &iu);
	entry(a, "inner.crt", AE_IFREG, cert.p, cert.n, NULL, 0);
	entry(a, "deep.tar.gz", AE_IFREG, deep.p, du, NULL, 0);
	archive_write_close(a);
	archive_write_free(a);

	a = open_mem(&out, 8 << 20, 0, 1, &used);
	entry(a, "./etc/tls/server.crt", AE_IFREG, cert.p, cert.n, NULL, 0);
	entry(a, "../../cfhostile-escape.crt", AE_IFREG, cert.p, cert.n, NULL, 0);
	entry(a, "/tmp/cfhostile-absolute.crt", AE_IFREG, cert.p, cert.n, NULL, 0);
	entry(a, "etc/tls/shadow-link.crt", AE_IFLNK, NULL, 0, "/etc/shadow", 0);
	entry(a, "etc/tls/shadow-hard.crt", AE_IFREG, NULL, 0, "/etc/shadow", 1);
	entry(a, "etc/tls/fifo.crt", AE_IFIFO, NULL, 0, NULL, 0);
	entry(a, "etc/tls/device.crt", AE_IFCHR, NULL, 0, NULL, 0);
	entry(a, "bundle.tar.gz", AE_IFREG, inner.p, iu, NULL, 0);
	if (argc < 4 || strcmp(argv[3], "--no-bomb") != 0)
		zeros(a, "etc/tls/zeros.crt", (size_t)1 << 30);
	archive_write_close(a);
	archive_write_free(a);
	save(argv[2], "hostile.tar.gz", out.p, used);
	free(out.p);

	a = open_mem(&out, 1 << 20, 0, 1, &used);
	entry(a, "one.crt", AE_IFREG, cert.p, cert.n, NULL, 0);
	entry(a, "two.crt", AE_IFREG, cert.p, cert.n, NULL, 0);
	zeros(a, "pad.bin", 256 << 10); /* so the cut lands after two.crt */
	entry(a, "three.crt", AE_IFREG, cert.p, cert.n, NULL, 0);
	archive_write_close(a);
	archive_write_free(a);
	cut = used - 200;
	save(argv[2], "truncated.tar.gz", out.p, cut);
	free(out.p);

	a = open_mem(&out, 1 << 20, 1, 0, &used);
	entry(a, "good.crt", AE_IFREG, cert.p, cert.n, NULL, 0);
	entry(a, "badcrc.crt", AE_IFREG, cert.p, cert.n, NULL, 0);
	archive_write_close(a);
	archive_write_free(a);
	/* flip one byte of the second entry's data: its stored CRC no longer fits */
	crc = memmem(out.p + 40 + cert.n, used - 40 - cert.n, "-----BEGIN", 10);
	if (crc == NULL)
		return 2;
	crc[100] ^= 0x01;
	save(argv[2], "badcrc.zip", out.p, used);
	free(out.p);
	free(cert.p);
	free(inner.p);
	free(deep.p);
	return 0;
}
