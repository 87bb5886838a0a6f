/* fuzz_k8s - the Kubernetes dump reader (libyaml; Secrets, ConfigMaps,
 * Lists, kubeconfig) on any bytes, its entries scanned into every report. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_scan *s = cf_scan_new();

	if (s) {
		cf_policy_set_now(&s->policy, 1780272000);
		cf_policy_set_jobs(&s->policy, 1);
		cf__k8s_expand(s, cf__raw("n1"), cf__raw("dump.yaml"), data, size);
		fuzz_run_and_report(s);
	}
	cf_scan_free(s);
	return 0;
}
