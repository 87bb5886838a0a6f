/* fuzz_archive - one archive in memory as a node bundle, through the whole
 * scan and every report. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_scan *s = cf_scan_new();
	/* inputs of odd size get a 512-byte entry limit, so that entries
	 * over it (a finding, or a skip when PEM by content only) are reached */
	if (s) {
		cf_policy_set_now(&s->policy, 1780272000);
		cf_policy_set_limit(&s->policy, CF_LIMIT_FILE_SIZE, size & 1 ? 512 : 1 << 20);
		cf_policy_set_limit(&s->policy, CF_LIMIT_TOTAL_SIZE, 16 << 20);
		cf_policy_set_limit(&s->policy, CF_LIMIT_RATIO, 100);
		cf_policy_set_limit(&s->policy, CF_LIMIT_ENTRIES, 1000);
		cf__archive_source(s, "fuzz", "", data, size, "fuzz.tar", 0);
		fuzz_run_and_report(s);
	}
	cf_scan_free(s);
	return 0;
}
