/*
 * der.c - strict DER: every TLV of a tree with minimal definite lengths and
 * no trailing bytes (GnuTLS accepts non-minimal lengths), and the element
 * readers the other der_*.c files build on. Pure functions of bytes: a
 * leaf that the decoders and the facts both use.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util/der.h"

/* One TLV at P[*pos..end): checks it and, when constructed, its contents. */
static const char *
der_tlv(const unsigned char *p, size_t *pos, size_t end, int depth, size_t *bad)
{
	size_t i = *pos, len = 0, nlen, k;
	unsigned char tag;
	const char *why;

	*bad = i;
	if (depth > 64)
		return "nesting too deep";
	if (i >= end)
		return "truncated (no tag)";
	tag = p[i++];
	if ((tag & 0x1f) == 0x1f) {
		while (i < end && (p[i] & 0x80))
			i++;
		if (i++ >= end)
			return "truncated tag";
	}
	if (i >= end)
		return "truncated (no length)";
	if (p[i] == 0x80)
		return "indefinite length (BER, not DER)";
	if (p[i] < 0x80) {
		len = p[i++];
	} else {
		nlen = p[i++] & 0x7f;
		if (nlen > 4)
			return "length too long";
		if (i + nlen > end)
			return "truncated length";
		if (p[i] == 0)
			return "non-minimal length encoding";
		for (k = 0; k < nlen; k++)
			len = len << 8 | p[i++];
		if (len < 0x80)
			return "non-minimal length encoding";
	}
	if (len > end - i)
		return "truncated: length runs past the end of the data";
	if (tag & 0x20) {
		size_t q = i;
		while (q < i + len)
			if ((why = der_tlv(p, &q, i + len, depth + 1, bad)) != NULL)
				return why;
	}
	*pos = i + len;
	return NULL;
}

/* The element at P, which has AVAIL bytes left in its container: its tag
 * in *TAG and its whole length (header and content) in *TOTAL. 0, or -1
 * when it does not fit or has a high tag number (never in a certificate's
 * outline). Bounds are checked here, whatever cf__der_check() said. */
int
cf__der_elem(const unsigned char *p, size_t avail, unsigned char *tag, size_t *total)
{
	size_t n, i, len, h;

	if (avail < 2 || (p[0] & 0x1f) == 0x1f)
		return -1;
	if (p[1] < 0x80) {
		h = 2;
		len = p[1];
	} else {
		n = p[1] & 0x7f;
		if (n == 0 || n > 4 || avail < 2 + n)
			return -1;
		for (len = 0, i = 0; i < n; i++)
			len = len << 8 | p[2 + i];
		h = 2 + n;
	}
	if (len > avail - h)
		return -1;
	*tag = p[0];
	*total = h + len;
	return 0;
}

/* The header length of an element cf__der_elem() accepted. */
size_t
cf__der_hdr_len(const unsigned char *p)
{
	return p[1] < 0x80 ? 2 : 2 + (size_t)(p[1] & 0x7f);
}

/* The contents of the element at *P (AVAIL left) when its tag is TAG: *C,
 * *N, and *P moved past it. 0, or -1. */
int
cf__der_take(
    const unsigned char **p, size_t *avail, unsigned char tag, const unsigned char **c, size_t *n)
{
	unsigned char t;
	size_t total;

	if (*avail == 0 || cf__der_elem(*p, *avail, &t, &total) != 0 || t != tag)
		return -1;
	*c = *p + cf__der_hdr_len(*p);
	*n = total - cf__der_hdr_len(*p);
	*p += total;
	*avail -= total;
	return 0;
}

int
cf__der_contents(const unsigned char *p, size_t avail, const unsigned char **c, size_t *n)
{
	unsigned char tag;
	size_t total;

	if (cf__der_elem(p, avail, &tag, &total) != 0)
		return -1;
	*c = p + cf__der_hdr_len(p);
	*n = total - cf__der_hdr_len(p);
	return tag;
}

const char *
cf__der_check_first(const unsigned char *p, size_t len, size_t *bad_offset, size_t *used)
{
	size_t pos = 0, bad = 0;
	const char *why;

	*bad_offset = 0;
	*used = 0;
	if (len == 0)
		return "no data";
	if (p[0] != 0x30)
		return "outer tag is not a SEQUENCE";
	if ((why = der_tlv(p, &pos, len, 0, &bad)) != NULL) {
		*bad_offset = bad;
		return why;
	}
	*used = pos;
	return NULL;
}

const char *
cf__der_check(const unsigned char *p, size_t len, size_t *bad_offset)
{
	size_t pos;
	const char *why = cf__der_check_first(p, len, bad_offset, &pos);

	if (why)
		return why;
	if (pos != len) {
		*bad_offset = pos;
		return "trailing bytes after the certificate";
	}
	return NULL;
}

int
cf__der_head(const unsigned char *p, size_t n, size_t *hlen, size_t *len)
{
	size_t i, k, v = 0;

	if (n < 2)
		return -1;
	if (p[1] < 0x80) {
		*hlen = 2;
		*len = p[1];
		return p[0];
	}
	k = p[1] & 0x7f;
	if (k == 0 || k > 4 || n < 2 + k || p[2] == 0)
		return -1; /* indefinite, over 4 GB or not minimal */
	for (i = 0; i < k; i++)
		v = v << 8 | p[2 + i];
	*hlen = 2 + k;
	*len = v;
	return p[0];
}
