/* fuzz_scan_file - one file's bytes scanned end to end on two nodes (so the
 * fleet rules run), as a .pem and as a .key, into every report. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned char *
copy(const uint8_t *data, size_t size)
{
	unsigned char *p = malloc(size + 1);

	if (p && size)
		memcpy(p, data, size);
	return p;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_scan *s = cf_scan_new();

	if (s) {
		cf_policy_set_now(&s->policy, 1780272000);
		cf__scan_add_file(
		    s, cf__raw("n1"), cf__raw("etc/tls/server.pem"), copy(data, size), size);
		cf__scan_add_file(
		    s, cf__raw("n1"), cf__raw("etc/tls/server.key"), copy(data, size), size);
		cf__scan_add_file(
		    s, cf__raw("n2"), cf__raw("etc/tls/server.der"), copy(data, size), size);
		fuzz_run_and_report(s);
	}
	cf_scan_free(s);
	return 0;
}
