/*
 * der_decoder.c - the DER decoder: one file of strict DER, a certificate,
 * or a key when its name says so. It bids for bytes that hold no PEM BEGIN
 * line and look binary, start with a SEQUENCE or are named .der/.cer.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "decode/decode.h"

static int
decode_der(struct cf__facts_cache *c, struct cf__decoded *d, int cls,
    const unsigned char *data, size_t len)
{
	size_t off;
	const char *why = cf__der_check(data, len, &off);
	char msg[256];

	d->is_der = 1;
	if (why) {
		snprintf(msg, sizeof msg, "invalid DER: %s at byte %zu", why, off);
		return cf__dec_invalid(d, 0, 0, msg);
	}
	if (cls == CF__NAME_KEY)
		return cf__dec_key(c, d, 0, 0, "", data, len);
	return cf__dec_cert(c, d, 0, 0, data, len);
}

/* DER is sniffed: no PEM BEGIN in the text, and a leading SEQUENCE tag, a
 * .der/.cer name, or bytes no text holds. Outbids PEM (2 against 1). */
static int
der_bid(int cls, const unsigned char *p, size_t n)
{
	size_t i;

	if (n == 0 || memmem(p, n, "-----BEGIN", 10) != NULL)
		return 0;
	if (p[0] == 0x30 || cls == CF__NAME_DER)
		return 2;
	for (i = 0; i < n && i < 64; i++)
		if (p[i] < 0x09 || (p[i] > 0x0d && p[i] < 0x20))
			return 2;
	return 0;
}

const struct cf__decoder cf__der_decoder = { "der", der_bid, decode_der };
