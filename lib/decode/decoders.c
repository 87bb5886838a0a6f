/*
 * decoders.c - the table of decoders: a new input format is one decoder
 * file (its row, cf__NAME_decoder: the names it claims, its sniff, bid and
 * decode) and one line here. Every file's bytes
 * go to the decoder that bids highest (ties: the earlier row).
 */
#include <stddef.h>

#include "decode/decode.h"

extern const struct cf__decoder cf__der_decoder, cf__pem_decoder, cf__pkcs12_decoder,
    cf__jks_decoder;

const struct cf__decoder *const cf__decoders[] = {
	&cf__der_decoder,
	&cf__pem_decoder,
	&cf__pkcs12_decoder,
	&cf__jks_decoder,
	NULL,
};
