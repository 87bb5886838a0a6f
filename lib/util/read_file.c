/*
 * read_file.c - a bounded read of one regular file: no link followed, no
 * FIFO or device opened for reading, never more than the cap (named when
 * crossed), and optionally only when its first bytes pass a sniff.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"

#define SNIFF_SIZE 65536

int
cf__read_file(const char *path, int (*sniff)(const void *, size_t), uint64_t cap,
    const char *option, unsigned char **data, size_t *len, char *why, size_t whylen)
{
	return cf__read_file_admit(path, sniff, cap, option, NULL, NULL, data, len, why, whylen);
}

int
cf__read_file_admit(const char *path, int (*sniff)(const void *, size_t), uint64_t cap,
    const char *option, void (*admit)(void *, size_t), void *arg, unsigned char **data, size_t *len,
    char *why, size_t whylen)
{
	struct stat st;
	unsigned char *buf = NULL, *nb;
	size_t have = 0, want;
	ssize_t r;
	int fd, rc = -1;

	*data = NULL;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0) {
		snprintf(why, whylen, "cannot open: %s", CF__ERRSTR(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file");
		goto out;
	}
	/* the size is a hint (a file may change while read): read up to one
	 * byte past the cap, growing as needed */
	want = (size_t)st.st_size < cap ? (size_t)st.st_size + 1 : (size_t)cap + 1;
	if (admit) /* may wait for memory of reads in flight */
		admit(arg, want);
	if (sniff && want > SNIFF_SIZE)
		want = SNIFF_SIZE;
	for (;;) {
		if (have == want || buf == NULL) {
			want = buf == NULL ? want : want * 2 > cap + 1 ? cap + 1 : want * 2;
			if ((nb = realloc(buf, want + 1)) == NULL) {
				snprintf(why, whylen, "out of memory");
				goto out;
			}
			buf = nb;
		}
		if ((r = read(fd, buf + have, want - have)) < 0) {
			snprintf(why, whylen, "read error: %s", CF__ERRSTR(errno));
			goto out;
		}
		if (r == 0)
			break;
		if (sniff && have == 0 && !sniff(buf, (size_t)r)) {
			rc = 0;
			goto out;
		}
		have += (size_t)r;
		if (have > cap) {
			snprintf(why, whylen,
			    "file is %lld bytes, over the read limit of %llu bytes "
			    "(%s)",
			    (long long)st.st_size, (unsigned long long)cap, option);
			goto out;
		}
	}
	buf[have] = '\0';
	*data = buf;
	*len = have;
	buf = NULL;
	rc = 1;
out:
	free(buf);
	close(fd);
	return rc;
}
