/*
 * jobs.c - one file to decode: made on the scan's thread by a source,
 * fetched and decoded on a worker through its hooks, committed in order.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

struct cf__job *
cf__job_new(struct cf_scan *s, struct cf__raw node, struct cf__raw path)
{
	struct cf__job *j;

	/* LAST_NODE is raw too: compared with the raw name, never sanitized */
	if (s->last_node == NULL || strcmp(s->last_node, node.s) != 0) {
		long ix = cf__scan_node(s, node);
		char *copy = ix < 0 ? NULL : strdup(node.s);
		if (copy == NULL)
			return NULL;
		free(s->last_node);
		s->last_node = copy;
		s->last_node_ix = ix;
	}
	if ((j = calloc(1, sizeof *j)) == NULL || (j->raw_path = strdup(path.s)) == NULL) {
		free(j);
		return NULL;
	}
	j->node_ix = (uint32_t)s->last_node_ix;
	return j;
}

void
cf__job_clear(struct cf__job *j)
{
	free(j->full);
	free(j->raw_node);
	free(j->read_error);
	free(j->raw_path);
	free(j->spath);
	free(j->data);
	memset(j, 0, sizeof *j);
}

int
cf__job_run(struct cf__facts_cache *facts, struct cf__dmap *content, struct cf__job *j)
{
	int rc;

	j->rc = 0;
	if (j->fetch && !j->fetch(j)) {
		cf__pipeline_release(j);
		return j->rc;
	}
	rc = j->decode(facts, content, j);
	cf__pipeline_release(j); /* the bytes are freed once decoded */
	return rc;
}
