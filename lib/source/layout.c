/*
 * layout.c - is a folder INPUT a fleet (a folder or archive per node) or
 * one node? Under --layout auto: a fleet only when no file at its top is a
 * certificate or key by name, it has a node folder or archive, and no
 * child folder is named like a host's own (README, "Inputs").
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/source.h"

/* Is NAME, at the top of a fleet directory, a folder that is no node: a
 * hidden one (.git, .snapshot) or fsck's lost+found? */
int
cf__not_a_node(const char *name)
{
	return name[0] == '.' || strcmp(name, "lost+found") == 0;
}


/* Folders a host keeps its own files in (and their certificates): a child
 * of one of these names makes its parent a node, not a fleet, so that a
 * kubeadm pki/ (etcd/ below), /etc/ssl (certs/, private/), an nginx folder
 * (ssl/, conf.d/) or a node's own root (etc/, var/) is never taken for a
 * fleet of nodes named like them. Sorted (bsearch); README, "Inputs". */
static const char *const host_folders[] = { "accounts", "apache2", "archive", "bin", "boot", "ca",
	"cacerts", "certificates", "certs", "conf", "conf.d", "config", "containerd", "crl", "csr",
	"data", "dev", "docker", "dovecot", "etc", "etcd", "haproxy", "home", "httpd", "java",
	"keys", "keystore", "kubelet", "kubernetes", "lib", "lib64", "letsencrypt", "live", "local",
	"manifests", "media", "mnt", "newcerts", "nginx", "openvpn", "opt", "pki", "postfix",
	"private", "proc", "renewal", "root", "run", "sbin", "secrets", "served", "share",
	"sites-available", "sites-enabled", "snap", "srv", "ssl", "sys", "tls", "tmp", "truststore",
	"usr", "var" };


static int
cmp_name(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static int
host_folder(const char *name)
{
	return bsearch(name, host_folders, sizeof host_folders / sizeof *host_folders,
	           sizeof *host_folders, cmp_name) != NULL;
}

/* What the entry V of folder PATH is for the layout: 'd' a folder, 'a' an
 * archive file, 'c' a file audited by its name, 0 anything else (a link
 * at the top of a fleet is not followed, so it is looked at as a link). */
static int
entry_kind(const char *path, const struct cf__dent *v)
{
	struct stat st;
	char *full;
	int type = v->type;

	if (type == DT_UNKNOWN) { /* the folder's entry did not say: lstat */
		if ((full = cf__path_join(path, v->name)) == NULL)
			return 0;
		type = lstat(full, &st) != 0 ? DT_UNKNOWN
		    : S_ISDIR(st.st_mode)    ? DT_DIR
		    : S_ISREG(st.st_mode)    ? DT_REG
		    : S_ISLNK(st.st_mode)    ? DT_LNK
		                             : DT_UNKNOWN;
		free(full);
	}
	if (type == DT_DIR)
		return 'd';
	if (type == DT_REG && cf__archive_suffix(v->name))
		return 'a';
	if ((type == DT_REG || type == DT_LNK) && cf__name_kind(v->name))
		return 'c';
	return 0;
}

/* Is folder PATH (its entries V[0..N)) a fleet? Only when no file at its
 * top is audited, at least one child is a node folder or archive, and no
 * child folder is named like a host's own folder (host_folders). */
int
cf__looks_like_fleet(const char *path, const struct cf__dent *v, size_t n)
{
	size_t i, nodes = 0;

	for (i = 0; i < n; i++) {
		int k = entry_kind(path, &v[i]);
		if (k == 'c')
			return 0;
		if (k == 'd' && cf__not_a_node(v[i].name))
			continue;
		if (k == 'd' && host_folder(v[i].name))
			return 0;
		nodes += k == 'd' || k == 'a';
	}
	return nodes > 0;
}

int
cf_folder_is_fleet(const char *path)
{
	struct cf__dent *v;
	size_t n;
	int yes;

	if (cf__list_dir(path, &v, &n) != 0)
		return -1;
	yes = cf__looks_like_fleet(path, v, n);
	free(v);
	return yes;
}

/* Under a forced fleet layout, files audited by name at the top of fleet
 * PATH are a usage error naming them (they would belong to no node). */
int
cf__files_at_fleet_top(struct cf_scan *s, const char *path, const struct cf__dent *v, size_t n)
{
	struct cf__buf names = { 0 };
	size_t i, k = 0;
	int rc = 0;

	for (i = 0; i < n; i++) {
		if (entry_kind(path, &v[i]) != 'c')
			continue;
		if (k++ < 5 &&
		    ((k > 1 && cf__buf_add(&names, ", ", 2) != 0) ||
		        cf__buf_add(&names, v[i].name, strlen(v[i].name)) != 0))
			rc = CF_E_NOMEM;
	}
	if (rc == 0 && k && cf__buf_add(&names, "", 1) != 0)
		rc = CF_E_NOMEM;
	if (rc == 0 && k)
		rc = cf__set_error(s, CF_E_USAGE,
		    "%s: a fleet folder (--layout fleet) holds %zu "
		    "certificate or key file%s at its top, which belong to no node: %s%s; move "
		    "them "
		    "into a node folder, or scan the folder as one node (--layout node)",
		    path, k, k == 1 ? "" : "s", (const char *)names.data, k > 5 ? ", ..." : "");
	cf__buf_free(&names);
	return rc;
}
