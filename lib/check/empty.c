/*
 * empty.c - a node in which nothing was audited: no certificate read (an
 * empty or mistyped folder, a store of links not followed, files of a
 * format not read). A scan that audited nothing must not pass.
 */
#include <stdio.h>

#include "check/check.h"

int
cf__empty_run(struct cf_scan *s)
{
	size_t i, k, files;
	uint32_t certs;
	int rc = 0;

	for (i = 0; rc == 0 && i < s->n_nodes; i++) {
		certs = 0;
		files = s->file_off[i + 1] - s->file_off[i];
		for (k = s->file_off[i]; k < s->file_off[i + 1]; k++)
			certs += s->files[s->file_order[k]].dec->n_certs;
		if (certs == 0)
			rc = cf__finding_add(s, CF__R_INPUT_EMPTY, s->nodes[i], "", 0, 0, NULL,
			    "no certificate in this node (%zu file%s read; what was "
			    "skipped is "
			    "listed with its reason); --allow-empty allows a node without "
			    "certificates",
			    files, files == 1 ? "" : "s");
	}
	return rc;
}
