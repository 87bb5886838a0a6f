/*
 * errstr.c - strerror for threads: the library's sources, decoders and
 * report writers run on worker threads, where strerror() may share one
 * buffer between them.
 */
#define _GNU_SOURCE
#include <string.h>

#include "util/util.h"

const char *
cf__strerror(int err, char *buf, size_t len)
{
	/* the GNU strerror_r returns the message, in BUF or a static one */
	return strerror_r(err, buf, len);
}
