/*
 * chain_split.c - trust across nodes (tls-trust-split): the distinct
 * anchor sets the nodes carry, and whether a chain that verifies on its
 * node verifies with the anchors the other nodes carry. The split is the
 * minority's: the nodes of the largest set are not told.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "check/chain.h"

static size_t largest_set(const struct ctx *x);

/* Pass 1: every node's anchor set, the distinct ones once. */
int
cf__chain_find_sets(struct ctx *x)
{
	struct cf_scan *s = x->s;
	const struct cf__facts **v = NULL;
	size_t cap = 0, node, n, i;
	unsigned char *buf = NULL, id[32];
	size_t *rec;
	int rc = 0;

	for (node = 0; node < s->n_nodes && rc == 0; node++) {
		x->node_set[node] = NONE;
		if ((n = cf__chain_node_anchors(x, node, &v, &cap)) == (size_t)-1) {
			rc = CF_E_NOMEM;
			break;
		}
		if (n == 0)
			continue;
		free(buf);
		if ((buf = malloc(32 * n)) == NULL) {
			rc = CF_E_NOMEM;
			break;
		}
		for (i = 0; i < n; i++)
			memcpy(buf + 32 * i, v[i]->sha256, 32);
		if (gnutls_hash_fast(GNUTLS_DIG_SHA256, buf, 32 * n, id) < 0) {
			rc = CF_E_NOMEM;
			break;
		}
		if ((rec = cf__dmap_get(x->set_ids, id, 0)) == NULL) {
			struct aset *a;
			if (cf__grow((void **)&x->sets, &x->cap_sets, x->n_sets + 1,
			        sizeof *x->sets, 8) != 0) {
				rc = CF_E_NOMEM;
				break;
			}
			a = &x->sets[x->n_sets];
			memset(a, 0, sizeof *a);
			if ((a->v = malloc(n * sizeof *a->v)) == NULL ||
			    (rec = malloc(sizeof *rec)) == NULL) {
				free(a->v);
				rc = CF_E_NOMEM;
				break;
			}
			memcpy(a->v, v, n * sizeof *v);
			a->n = n;
			*rec = x->n_sets++;
			if ((rec = cf__dmap_put(x->set_ids, id, 0, rec)) == NULL) {
				rc = CF_E_NOMEM;
				break;
			}
		}
		x->node_set[node] = (uint32_t)*rec;
		if (x->sets[*rec].nodes < 3)
			x->sets[*rec].first[x->sets[*rec].nodes] = (uint32_t)node;
		x->sets[*rec].nodes++;
	}
	free(v);
	free(buf);
	/* the MAX_SETS sets most nodes carry are compared with */
	for (i = 0; i < x->n_sets; i++) {
		size_t more = 0, k;
		for (k = 0; k < x->n_sets; k++)
			more += x->sets[k].nodes > x->sets[i].nodes ||
			    (x->sets[k].nodes == x->sets[i].nodes && k < i);
		x->sets[i].top = more < MAX_SETS;
		if (x->n_sets > 4 * MAX_SETS)
			break; /* too many to compare: no split verdicts */
	}
	x->largest = largest_set(x);
	return rc;
}

/* The anchor set more nodes carry than any other, or n_sets when two or
 * more sets tie for the most (then no group is the majority). */
static size_t
largest_set(const struct ctx *x)
{
	size_t i, best = x->n_sets, tie = 0;

	for (i = 0; i < x->n_sets; i++) {
		if (best == x->n_sets || x->sets[i].nodes > x->sets[best].nodes)
			best = i, tie = 0;
		else if (x->sets[i].nodes == x->sets[best].nodes)
			tie = 1;
	}
	return tie ? x->n_sets : best;
}

/* Are trusted chains compared with the other anchor sets? */
int
cf__chain_splits(const struct ctx *x)
{
	return x->n_sets >= 2 && x->n_sets <= MAX_SETS * 4 &&
	    x->s->policy.severity[CF__R_TRUST_SPLIT] != CF_SEV_NEVER;
}

/* Names of the nodes of SETS[I] for which REJECT[I]: "n02, n03 and 4
 * more". */
static void
node_names(const struct ctx *x, const unsigned char *reject, char *out, size_t len)
{
	size_t i, k, shown = 0, total = 0, o = 0;

	for (i = 0; i < x->n_sets; i++)
		if (reject[i])
			total += x->sets[i].nodes;
	out[0] = '\0';
	for (i = 0; i < x->n_sets && shown < 3; i++)
		for (k = 0; reject[i] && k < 3 && k < x->sets[i].nodes && shown < 3; k++, shown++)
			o += (size_t)snprintf(out + o, o < len ? len - o : 0, "%s%s",
			    shown ? ", " : "", x->s->nodes[x->sets[i].first[k]]);
	if (total > shown && o < len)
		snprintf(out + o, len - o, " and %zu more", total - shown);
}

/* Would the nodes of SET accept the chain of LEAF (in FILE, the node's
 * pool around it): 1, 0, or CF_E_NOMEM. Where SET holds the anchor the
 * node's own chain ends at, the verdict is the node's (cached); else the
 * chain is built again, to SET's anchors. */
static int
accepts(struct ctx *x, const struct cf__file *file, size_t set, const struct cf__facts *leaf)
{
	struct chain ch;
	unsigned status;
	int rc;

	if ((rc = cf__chain_build(x, file, &x->sets[set], leaf, &ch)) != 0)
		return rc;
	if (ch.end != END_TRUSTED)
		return 0;
	if (ch.n == 1)
		return 1;
	if ((rc = cf__chain_judge(x, ch.c, ch.n, &status)) != 0)
		return rc;
	return status == 0;
}

/* tls-trust-split: the chain CH that verifies on its node (set OWN),
 * judged with the anchors of every other set among the most carried. The
 * nodes of the largest set (the majority, when one set is carried by more
 * nodes than any other) get no finding: the split is the minority's, and
 * each of its nodes is told how large the majority is. */
int
cf__chain_check_split(
    struct ctx *x, const struct cf__file *file, size_t own, const struct chain *ch)
{
	unsigned char reject[MAX_SETS * 4] = { 0 };
	size_t i, any = 0, total = 0;
	char names[256], text[768];
	int rc;

	if (!cf__chain_splits(x))
		return 0;
	for (i = 0; i < x->n_sets; i++) {
		if (i == own || !x->sets[i].top || (own == x->largest && x->sets[i].split_leaf))
			continue;
		if ((rc = accepts(x, file, i, ch->c[0])) < 0)
			return rc;
		if (rc != 0)
			continue;
		/* set I's nodes are told after the pass that they reject the
		 * majority's chain (or, without a majority, any other set's) */
		if (x->sets[i].split_leaf == NULL &&
		    (own == x->largest || x->largest == x->n_sets)) {
			x->sets[i].split_leaf = ch->c[0];
			x->sets[i].split_end = ch->c[ch->n - 1];
			x->sets[i].split_path = file->path_ix;
			x->sets[i].split_by = (uint32_t)own;
		}
		if (own != x->largest)
			reject[i] = 1, any++;
	}
	if (!any || own == x->largest)
		return 0;
	x->split_said[file->node_ix] = 1;
	if (x->largest < x->n_sets && reject[x->largest]) {
		memset(reject, 0, sizeof reject);
		reject[x->largest] = 1;
		node_names(x, reject, names, sizeof names);
		for (i = 0; i < x->n_sets; i++)
			total += x->sets[i].nodes;
		snprintf(text, sizeof text,
		    "the chain of %s (to %s) does not verify with the anchors the "
		    "largest group of nodes carries (%zu of %zu nodes: %s): internode TLS fails "
		    "between "
		    "this node and them",
		    ch->c[0]->subject, ch->c[ch->n - 1]->subject, x->sets[x->largest].nodes, total,
		    names);
		return cf__chain_say(x->s, CF__R_TRUST_SPLIT, file, NULL, text);
	}
	node_names(x, reject, names, sizeof names);
	snprintf(text, sizeof text,
	    "the chain of %s (to %s) does not verify with the anchors that node%s "
	    "%s carr%s: internode TLS fails between them",
	    ch->c[0]->subject, ch->c[ch->n - 1]->subject,
	    strchr(names, ',') || strstr(names, " more") ? "s" : "", names,
	    strchr(names, ',') || strstr(names, " more") ? "y" : "ies");
	return cf__chain_say(x->s, CF__R_TRUST_SPLIT, file, NULL, text);
}

/* The nodes of a set whose anchors reject a chain of the largest set (or,
 * when no set is the largest, of any other), and that were not told
 * already that their own chain is rejected: a tls-trust-split at the same
 * path (else at their first chain), naming the chain they reject. */
int
cf__chain_say_minority_splits(struct ctx *x)
{
	const struct cf_scan *s = x->s;
	size_t node, i, total = 0;
	char text[768];
	int rc = 0;

	for (i = 0; i < x->n_sets; i++)
		total += x->sets[i].nodes;
	for (node = 0; node < s->n_nodes && rc == 0; node++) {
		const struct aset *a =
		    x->node_set[node] == NONE ? NULL : &x->sets[x->node_set[node]];
		const struct cf__file *at = NULL;
		if (a == NULL || a->split_leaf == NULL || x->split_said[node])
			continue;
		for (i = s->file_off[node]; i < s->file_off[node + 1]; i++) {
			const struct cf__file *f = &s->files[s->file_order[i]];
			if (cf__chain_head(s, f) && (at == NULL || f->path_ix == a->split_path))
				at = f;
		}
		if (at == NULL)
			continue;
		if (x->largest < x->n_sets)
			snprintf(text, sizeof text,
			    "this node's anchors reject the chain of %s (to %s) that "
			    "the largest group of nodes carries (%zu of %zu nodes, at %s): "
			    "internode TLS fails "
			    "between this node and them",
			    a->split_leaf->subject, a->split_end->subject,
			    x->sets[x->largest].nodes, total, s->path_tab.v[a->split_path]);
		else
			snprintf(text, sizeof text,
			    "this node's anchors reject the chain of %s (to %s) that "
			    "%zu of %zu nodes carry (at %s, no group of nodes is the largest): "
			    "internode TLS "
			    "fails between this node and them",
			    a->split_leaf->subject, a->split_end->subject,
			    x->sets[a->split_by].nodes, total, s->path_tab.v[a->split_path]);
		rc = cf__chain_say(x->s, CF__R_TRUST_SPLIT, at, NULL, text);
	}
	return rc;
}
