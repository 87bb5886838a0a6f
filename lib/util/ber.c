/*
 * ber.c - a BER element reader for the containers that real files write
 * in BER (PKCS#7 from NSS, S/MIME, `openssl cms -stream`: indefinite
 * lengths on the constructed layers). Only the framing is read: one-byte
 * tags, definite lengths (short or long form, any length of length up to
 * 8 bytes) and indefinite lengths on constructed elements ending at 00 00;
 * nesting is bounded (CF__BER_DEPTH), so a hostile file costs linear time
 * and no stack.
 */
#include <string.h>

#include "util/util.h"

int
cf__ber_elem(const unsigned char *p, size_t n, struct cf__ber *e)
{
	return cf__ber_elem_depth(p, n, e, 0);
}

int
cf__ber_elem_depth(const unsigned char *p, size_t n, struct cf__ber *e, int depth)
{
	size_t h = 2, len = 0, q, k;
	struct cf__ber child;

	if (n < 2 || depth > CF__BER_DEPTH || (p[0] & 0x1f) == 0x1f)
		return -1; /* no high-tag numbers in what we read */
	e->tag = p[0];
	if (p[1] < 0x80) {
		len = p[1];
	} else if (p[1] == 0x80) { /* indefinite: children up to 00 00 */
		if (!(p[0] & 0x20))
			return -1;
		for (q = 2;; q += child.total) {
			if (q + 2 > n)
				return -1;
			if (p[q] == 0 && p[q + 1] == 0)
				break;
			if (cf__ber_elem_depth(p + q, n - q, &child, depth + 1) != 0)
				return -1;
		}
		e->c = p + 2;
		e->n = q - 2;
		e->total = q + 2;
		e->indefinite = 1;
		return 0;
	} else {
		k = p[1] & 0x7f;
		if (k > 8 || n < 2 + k)
			return -1;
		for (q = 0; q < k; q++) {
			if (len > (SIZE_MAX >> 8))
				return -1;
			len = len << 8 | p[2 + q];
		}
		h = 2 + k;
	}
	if (len > n - h)
		return -1;
	e->c = p + h;
	e->n = len;
	e->total = h + len;
	e->indefinite = 0;
	return 0;
}
