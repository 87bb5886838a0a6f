/*
 * k8s_source.c - Kubernetes dumps: Secret, ConfigMap and kubeconfig
 * documents in YAML or JSON (kubectl get -o yaml|json), single,
 * multi-document or `kind: List`, read with libyaml (JSON is YAML). Each
 * certificate or key entry becomes a file of its own at the logical path
 * FILE#NAMESPACE/NAME/KEY, so the same Secret lines up across clusters and
 * tls.key pairs with tls.crt of the same Secret (one "folder"):
 *   Secret     data (base64) and stringData: tls.crt, tls.key, ca.crt,
 *              ca-bundle.crt, *.pem, *.crt, *.key
 *   ConfigMap  data (text) and binaryData (base64): the same keys
 *   Config     clusters[].cluster.certificate-authority-data,
 *              users[].user.client-certificate-data, client-key-data
 *              (FILE#clusters/NAME/..., FILE#users/NAME/...)
 * A file that is no Kubernetes dump is left to the decoders; one that
 * looks like one and does not parse is tls-input-unreadable at its line
 * and column. Only the scan's thread runs this (it makes jobs).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/gnutls.h>
#include <yaml.h>

#include "source/source.h"

int
cf__k8s_name(const char *path)
{
	static const char *const sfx[] = { ".yaml", ".yml", ".json", ".kubeconfig", NULL };
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base), k, i;

	if (strchr(path, '#')) /* an entry of a dump already */
		return 0;
	if (strcmp(base, "kubeconfig") == 0)
		return 1;
	for (i = 0; sfx[i]; i++) {
		k = strlen(sfx[i]);
		if (n > k && strcasecmp(base + n - k, sfx[i]) == 0)
			return 1;
	}
	return 0;
}

/* Does a line of P[0..N) start with KEY (YAML "key:", or JSON "\"key\":"
 * after blanks) followed, on that line, by one of VALUES (NULL: anything)? */
static int
line_key(const unsigned char *p, size_t n, const char *key, const char *const *values)
{
	size_t i = 0, k = strlen(key), e, v;

	while (i < n) {
		const unsigned char *nl = memchr(p + i, '\n', n - i);
		e = nl ? (size_t)(nl - p) : n;
		while (i < e && (p[i] == ' ' || p[i] == '\t' || p[i] == '{' || p[i] == ','))
			i++;
		if (i < e && p[i] == '"')
			i++;
		if (e - i > k && memcmp(p + i, key, k) == 0 &&
		    (p[i + k] == ':' || p[i + k] == '"')) {
			if (values == NULL)
				return 1;
			for (v = 0; values[v]; v++)
				if (memmem(p + i + k, e - i - k, values[v], strlen(values[v])))
					return 1;
		}
		i = e + 1;
	}
	return 0;
}

int
cf__k8s_sniff(const void *data, size_t n)
{
	return cf__k8s_claims(data, n > 65536 ? 65536 : n);
}

/* Does JSON text P[0..N) hold "kind" : "<one of KINDS>" anywhere (kubectl
 * -o json on one line)? */
static int
json_kind(const unsigned char *p, size_t n, const char *const *kinds)
{
	const unsigned char *q = p, *e, *k;
	size_t i, kl;

	if (p == NULL || n == 0) /* an empty entry: no pointer to offset */
		return 0;
	e = p + n;
	while ((k = memmem(q, (size_t)(e - q), "\"kind\"", 6)) != NULL) {
		q = k + 6;
		while (q < e && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
			q++;
		if (q >= e || *q++ != ':')
			continue;
		while (q < e && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
			q++;
		for (i = 0; kinds[i]; i++) {
			kl = strlen(kinds[i]);
			if ((size_t)(e - q) >= kl + 2 && q[0] == '"' &&
			    memcmp(q + 1, kinds[i], kl) == 0 && q[kl + 1] == '"')
				return 1;
		}
	}
	return 0;
}

int
cf__k8s_claims(const void *data, size_t n)
{
	static const char *const kinds[] = { "Secret", "ConfigMap", "Config", "List", "SecretList",
		"ConfigMapList", NULL };
	const unsigned char *p = data;

	return json_kind(p, n, kinds) || line_key(p, n, "kind", kinds) ||
	    (line_key(p, n, "clusters", NULL) && memmem(p, n, "certificate-authority", 21)) ||
	    (line_key(p, n, "users", NULL) && memmem(p, n, "client-certificate", 18));
}

/* Might this text be a dump (worth a parse error)? */
static int
looks_like_dump(const unsigned char *p, size_t n)
{
	return cf__k8s_sniff(p, n);
}

struct dump {
	struct cf_scan *s;
	const char *node, *path;
	yaml_document_t *doc;
	size_t entries;
	int rc, found;
};

static yaml_node_t *
node_at(struct dump *d, yaml_node_item_t i)
{
	return yaml_document_get_node(d->doc, i);
}

/* The value of KEY in mapping M (a node), or NULL. */
static yaml_node_t *
get(struct dump *d, yaml_node_t *m, const char *key)
{
	yaml_node_pair_t *p;
	yaml_node_t *k;

	if (m == NULL || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		k = node_at(d, p->key);
		if (k && k->type == YAML_SCALAR_NODE && strlen(key) == k->data.scalar.length &&
		    memcmp(k->data.scalar.value, key, k->data.scalar.length) == 0)
			return node_at(d, p->value);
	}
	return NULL;
}

/* A scalar's text as a new string, or a copy of DEF. */
static char *
text(yaml_node_t *n, const char *def)
{
	if (n && n->type == YAML_SCALAR_NODE)
		return strndup((const char *)n->data.scalar.value, n->data.scalar.length);
	return strdup(def);
}

/* Is KEY (a Secret's or ConfigMap's entry) certificate material? */
static int
wanted(const char *key)
{
	size_t n = strlen(key);

	return strcmp(key, "tls.crt") == 0 || strcmp(key, "tls.key") == 0 ||
	    strcmp(key, "ca.crt") == 0 || strcmp(key, "ca-bundle.crt") == 0 ||
	    (n > 4 &&
	        (strcasecmp(key + n - 4, ".pem") == 0 || strcasecmp(key + n - 4, ".crt") == 0 ||
	            strcasecmp(key + n - 4, ".key") == 0));
}

/* One entry: its bytes (base64-decoded when B64) as a file of the node. */
static void
entry(struct dump *d, const char *where, const char *key, yaml_node_t *v, int b64)
{
	gnutls_datum_t in, out = { 0 };
	unsigned char *data;
	char *path;
	int r;

	if (d->rc || v == NULL || v->type != YAML_SCALAR_NODE)
		return;
	d->found = 1;
	if (asprintf(&path, "%s#%s/%s", d->path, where, key) < 0) {
		d->rc = CF_E_NOMEM;
		return;
	}
	if (++d->entries > d->s->policy.limits.max_entries) {
		if (d->entries == d->s->policy.limits.max_entries + 1)
			d->rc = cf__input_finding(d->s, cf__raw(d->node), cf__raw(d->path),
			    "Kubernetes dump: more than %llu "
			    "entries (--max-entries); the rest not read",
			    (unsigned long long)d->s->policy.limits.max_entries);
		free(path);
		return;
	}
	in.data = v->data.scalar.value;
	in.size = (unsigned)v->data.scalar.length;
	if (b64) {
		/* kubectl writes base64 on one line; YAML folding may add blanks */
		char *clean = malloc(in.size + 1);
		size_t i, k = 0;
		if (clean == NULL) {
			d->rc = CF_E_NOMEM;
			free(path);
			return;
		}
		for (i = 0; i < in.size; i++)
			if (in.data[i] != ' ' && in.data[i] != '\n' && in.data[i] != '\r' &&
			    in.data[i] != '\t')
				clean[k++] = (char)in.data[i];
		in.data = (unsigned char *)clean;
		in.size = (unsigned)k;
		r = k ? gnutls_base64_decode2(&in, &out) : 0;
		free(clean);
		if (r < 0) {
			d->rc = cf__input_finding(d->s, cf__raw(d->node), cf__raw(path),
			    "Kubernetes dump: the value at line %zu "
			    "is not valid base64; not read",
			    v->start_mark.line + 1);
			free(path);
			return;
		}
		in = out;
	}
	if (in.size > 0 && in.data[0] != 0x30 && !cf__has_pem_begin(in.data, in.size)) {
		/* neither DER (a SEQUENCE) nor PEM: never dropped silently */
		d->rc = cf__input_finding(d->s, cf__raw(d->node), cf__raw(path),
		    "Kubernetes dump: the value of %s at line "
		    "%zu is neither PEM nor DER; not read",
		    key, v->start_mark.line + 1);
	} else if ((data = malloc(in.size + 1)) == NULL) {
		d->rc = CF_E_NOMEM;
	} else {
		if (in.size)
			memcpy(data, in.data, in.size);
		d->rc = cf__scan_add_file(d->s, cf__raw(d->node), cf__raw(path), data, in.size);
	}
	gnutls_free(out.data);
	free(path);
}

/* The wanted entries of mapping M under WHERE. */
static void
entries(struct dump *d, const char *where, yaml_node_t *m, int b64)
{
	yaml_node_pair_t *p;
	char *key;

	if (m == NULL || m->type != YAML_MAPPING_NODE)
		return;
	for (p = m->data.mapping.pairs.start; d->rc == 0 && p < m->data.mapping.pairs.top; p++) {
		if ((key = text(node_at(d, p->key), "")) == NULL) {
			d->rc = CF_E_NOMEM;
			return;
		}
		if (wanted(key))
			entry(d, where, key, node_at(d, p->value), b64);
		free(key);
	}
}

/* kubeconfig: LIST (clusters or users) of { name, ITEM: { FIELDS... } }. */
static void
kubeconfig(struct dump *d, yaml_node_t *root, const char *list, const char *item,
    const char *const *fields)
{
	yaml_node_t *seq = get(d, root, list);
	yaml_node_item_t *i;
	char *name, *where;
	size_t f;

	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE)
		return;
	for (i = seq->data.sequence.items.start; d->rc == 0 && i < seq->data.sequence.items.top;
	     i++) {
		yaml_node_t *e = node_at(d, *i), *body = get(d, e, item);
		if ((name = text(get(d, e, "name"), "-")) == NULL ||
		    asprintf(&where, "%s/%s", list, name) < 0) {
			free(name);
			d->rc = CF_E_NOMEM;
			return;
		}
		for (f = 0; fields[f]; f++)
			entry(d, where, fields[f], get(d, body, fields[f]), 1);
		free(where);
		free(name);
	}
}

/* One document (or one item of a List). */
static void
document(struct dump *d, yaml_node_t *root, int depth)
{
	static const char *const cluster_fields[] = { "certificate-authority-data", NULL };
	static const char *const user_fields[] = { "client-certificate-data", "client-key-data",
		NULL };
	yaml_node_t *kind = get(d, root, "kind"), *meta = get(d, root, "metadata"), *items;
	yaml_node_item_t *i;
	char *k, *ns, *name, *where;

	if ((k = text(kind, "")) == NULL) {
		d->rc = CF_E_NOMEM;
		return;
	}
	if (strcmp(k, "List") == 0 ||
	    (strcmp(k, "SecretList") == 0 || strcmp(k, "ConfigMapList") == 0)) {
		items = get(d, root, "items");
		if (depth == 0 && items && items->type == YAML_SEQUENCE_NODE)
			for (i = items->data.sequence.items.start;
			     d->rc == 0 && i < items->data.sequence.items.top; i++)
				document(d, node_at(d, *i), 1);
	} else if (strcmp(k, "Secret") == 0 || strcmp(k, "ConfigMap") == 0) {
		ns = text(get(d, meta, "namespace"), "default");
		name = text(get(d, meta, "name"), "-");
		if (ns == NULL || name == NULL || asprintf(&where, "%s/%s", ns, name) < 0) {
			d->rc = CF_E_NOMEM;
		} else {
			d->found = 1;
			if (k[0] == 'S') {
				entries(d, where, get(d, root, "data"), 1);
				entries(d, where, get(d, root, "stringData"), 0);
			} else {
				entries(d, where, get(d, root, "data"), 0);
				entries(d, where, get(d, root, "binaryData"), 1);
			}
			free(where);
		}
		free(ns);
		free(name);
	} else if (strcmp(k, "Config") == 0 || (kind == NULL && get(d, root, "clusters"))) {
		d->found = 1;
		kubeconfig(d, root, "clusters", "cluster", cluster_fields);
		kubeconfig(d, root, "users", "user", user_fields);
	}
	free(k);
}

/* Before libyaml builds a document: its events, stopping at the first
 * alias (kubectl never writes one, and each would copy and hash what it
 * names again) or at nesting deeper than CF__K8S_DEPTH (libyaml's cost
 * grows with the square of the depth). 0 clean, 1 refused (a finding
 * said, naming the line), -1 not YAML (the loader says why), CF_E_NOMEM. */
static int
prescan(
    struct cf_scan *s, const char *node, const char *path, const unsigned char *data, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, rc = 0, done = 0;

	if (!yaml_parser_initialize(&parser))
		return CF_E_NOMEM;
	yaml_parser_set_input_string(&parser, data, len);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = parser.error == YAML_MEMORY_ERROR ? CF_E_NOMEM : -1;
			break;
		}
		switch (ev.type) {
		case YAML_ALIAS_EVENT:
			rc = cf__input_finding(s, cf__raw(node), cf__raw(path),
			    "Kubernetes dump: a YAML alias (*%s) at line %zu; "
			    "kubectl never writes one, and certfleet reads none (each would copy "
			    "what it names "
			    "again); not read",
			    ev.data.alias.anchor ? (const char *)ev.data.alias.anchor : "",
			    ev.start_mark.line + 1);
			rc = rc ? rc : 1;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > CF__K8S_DEPTH) {
				rc = cf__input_finding(s, cf__raw(node), cf__raw(path),
				    "Kubernetes dump: nested deeper than %d "
				    "levels at line %zu; not read",
				    CF__K8S_DEPTH, ev.start_mark.line + 1);
				rc = rc ? rc : 1;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: depth--; break;
		case YAML_STREAM_END_EVENT: done = 1; break;
		default: break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}

int
cf__k8s_expand(struct cf_scan *s, struct cf__raw raw_node, struct cf__raw raw_path,
    const unsigned char *data, size_t len)
{
	const char *node = raw_node.s, *path = raw_path.s; /* raw, as all names in source/ */
	struct dump d = { .s = s, .node = node, .path = path };
	yaml_parser_t parser;
	yaml_document_t doc;
	int pre;

	if ((pre = prescan(s, node, path, data, len)) > 0 || pre == CF_E_NOMEM)
		return pre; /* said, and not read further */
	if (!yaml_parser_initialize(&parser))
		return CF_E_NOMEM;
	yaml_parser_set_input_string(&parser, data, len);
	for (;;) {
		yaml_node_t *root;
		if (!yaml_parser_load(&parser, &doc)) {
			if (parser.error == YAML_MEMORY_ERROR) {
				d.rc = CF_E_NOMEM;
			} else if (d.found || looks_like_dump(data, len)) {
				d.rc = cf__input_finding(s, cf__raw(node), cf__raw(path),
				    "Kubernetes dump: YAML error at line %zu, "
				    "column %zu: %s%s%s; %s",
				    parser.problem_mark.line + 1, parser.problem_mark.column + 1,
				    parser.problem ? parser.problem : "syntax error",
				    parser.context ? " " : "", parser.context ? parser.context : "",
				    d.found ? "the rest of the file not read" : "not read");
				d.found = 2; /* said: not a skip */
			}
			break;
		}
		if ((root = yaml_document_get_root_node(&doc)) == NULL) {
			yaml_document_delete(&doc); /* the end of the stream */
			break;
		}
		d.doc = &doc;
		document(&d, root, 0);
		yaml_document_delete(&doc);
		if (d.rc)
			break;
	}
	yaml_parser_delete(&parser);
	if (d.rc == 0 && d.found == 1 && d.entries == 0)
		d.rc = cf__skip_add(s, cf__raw(node), cf__raw(path),
		    "a Kubernetes dump with no certificate or key entry "
		    "(tls.crt, tls.key, ca.crt, *.pem, *.crt, *.key; kubeconfig *-data)");
	if (d.rc < 0)
		return d.rc;
	return d.found ? 1 : 0;
}
