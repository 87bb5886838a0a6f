/*
 * model.c - the scan result: files, findings, skips, and the indexes by
 * node that the rules and reports read. Only the scan's thread writes it.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

void
cf__decoded_free(void *p)
{
	struct cf__decoded *d = p;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n_pending; i++)
		free(d->pending[i].message);
	free(d->pending);
	free(d->members);
	free(d);
}

/* A job whose file was not read: a finding (a certificate by name), a skip
 * with the reason, or nothing (no certificate by content). */
static int
commit_unread(struct cf_scan *s, struct cf__job *j)
{
	const char *node = s->nodes[j->node_ix];
	int rc = j->rc;

	if (rc == 0 && j->read_error && j->named)
		rc = cf__input_finding(s, node, j->path, "%s", j->read_error);
	else if (rc == 0 && j->read_error)
		rc = cf__skip_add(s, node, j->path, "%s", j->read_error);
	cf__job_clear(j);
	return rc;
}

int
cf__commit(struct cf_scan *s, struct cf__job *j)
{
	const struct cf__decoded *d = j->dec;
	struct cf__file *f;
	long pix = -1;
	size_t i;
	int rc = j->rc;

	if (j->quiet || j->read_error)
		return commit_unread(s, j);
	if (rc == 0 && s->n_files == s->cap_files) {
		size_t nc = s->cap_files ? s->cap_files * 2 : 256;
		if ((f = realloc(s->files, nc * sizeof *f)) == NULL)
			rc = CF_E_NOMEM;
		else
			s->files = f, s->cap_files = nc;
	}
	if (rc == 0 && (pix = cf__strtab_intern(&s->path_tab, j->spath)) < 0)
		rc = CF_E_NOMEM;
	if (rc == 0) {
		f = &s->files[s->n_files++];
		memset(f, 0, sizeof *f);
		f->node_ix = j->node_ix;
		f->path_ix = (uint32_t)pix;
		f->node = s->nodes[j->node_ix];
		f->path = s->path_tab.v[pix];
		f->dec = d;
	}
	for (i = 0; rc == 0 && i < d->n_pending; i++)
		rc = cf__finding_add(s, d->pending[i].rule->num, s->nodes[j->node_ix], f->path,
		    d->pending[i].index, d->pending[i].line, d->pending[i].facts, "%s",
		    d->pending[i].message);
	cf__job_clear(j);
	if (rc == 0 && s->progress && s->n_files % 256 == 0)
		s->progress(s->n_files, s->n_nodes, s->progress_arg);
	return rc;
}
