/*
 * rules.c - the rules, as a table: one row per finding id, with its
 * severity, scope, one-line description, the headline of its message and,
 * for rules judged on one certificate, the function that judges it
 * (validity.c). Rules raised elsewhere (decoding, fleet, pairing, reading)
 * have no function.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"

/* The rule table, indexed by enum cf__rule_id (a row per finding id). A
 * rule judged on one certificate has CERT scope and a `cert` function; the
 * passes that raise PAIR and FLEET findings are the rows' `run`; rules
 * raised while reading (INPUT) or decoding (FILE) have neither. */
const struct cf__rule cf__rules[CF__R_COUNT] = {
	[CF__R_CERT_EXPIRED] = { CF__R_CERT_EXPIRED, "tls-cert-expired", CF_SEV_ERROR, CF__SCOPE_CERT,
	    "notAfter is before the reference time",
	    "certificate expired", cf__check_expired, cf__checks_run,
	    "Renew the certificate and deploy the new one to every node that carries this path; clients refuse an expired certificate." },
	[CF__R_CERT_SOON] = { CF__R_CERT_SOON, "tls-cert-will-soon-expire", CF_SEV_WARNING, CF__SCOPE_CERT,
	    "notAfter falls inside the soon-expire window (--soon)",
	    "certificate will soon expire", cf__check_soon, cf__checks_run,
	    "Renew the certificate before notAfter and roll it out to every node; the window is --soon." },
	[CF__R_CERT_INVALID] = { CF__R_CERT_INVALID, "tls-cert-invalid", CF_SEV_ERROR, CF__SCOPE_FILE,
	    "a certificate or key file, or one member of it, does not decode",
	    "does not decode", NULL, NULL,
	    "Replace the file with a well-formed PEM or DER certificate or key; the message names the line and the reason." },
	[CF__R_CERT_NOT_YET_VALID] = { CF__R_CERT_NOT_YET_VALID, "tls-cert-not-yet-valid", CF_SEV_ERROR,
	    CF__SCOPE_CERT, "notBefore is after the reference time",
	    "certificate not yet valid", cf__check_not_yet_valid, cf__checks_run,
	    "Check the issuing CA's clock and the node's; deploy the certificate only once notBefore has passed." },
	[CF__R_CERT_TOO_LONG] = { CF__R_CERT_TOO_LONG, "tls-cert-validity-too-long", CF_SEV_ERROR,
	    CF__SCOPE_CERT, "a leaf certificate valid for longer than --max-validity days (CA exempt); with --profile cabf, a leaf server certificate over the Baseline Requirements' limit for its notBefore",
	    "validity too long", cf__check_too_long, cf__checks_run,
	    "Reissue the leaf certificate with a shorter validity (at most --max-validity days, or the Baseline Requirements' limit for its issue date)." },
	[CF__R_CERT_MISMATCH] = { CF__R_CERT_MISMATCH, "tls-cert-mismatch", CF_SEV_ERROR, CF__SCOPE_FLEET,
	    "the certificate at a logical path differs from the one most nodes carry",
	    "certificate differs between nodes", NULL, cf__fleet_run,
	    "Deploy the same certificate to every node at this path, or declare the path per node with --per-node." },
	[CF__R_CERT_MISSING] = { CF__R_CERT_MISSING, "tls-cert-missing", CF_SEV_ERROR, CF__SCOPE_FLEET,
	    "a logical path present on most nodes is absent on this one",
	    "certificate missing on this node", NULL, cf__fleet_run,
	    "Deploy the file to this node, or remove it from the other nodes." },
	[CF__R_KEY_MISMATCH] = { CF__R_KEY_MISMATCH, "tls-key-mismatch", CF_SEV_ERROR, CF__SCOPE_PAIR,
	    "a private key that is not the key of the certificate it pairs with",
	    "private key does not match its certificate", NULL, cf__pairs_run,
	    "Deploy the private key that belongs to the certificate (their public keys must be the same)." },
	[CF__R_PEM_LAX] = { CF__R_PEM_LAX, "tls-pem-lax", CF_SEV_WARNING, CF__SCOPE_FILE,
	    "a readable certificate in non-canonical PEM (legacy label, CR-only, trailing text)",
	    "non-canonical PEM", NULL, NULL,
	    "Rewrite the file as canonical PEM: -----BEGIN CERTIFICATE-----, LF or CRLF line ends, nothing after the last END line." },
	[CF__R_INPUT_UNREADABLE] = { CF__R_INPUT_UNREADABLE, "tls-input-unreadable", CF_SEV_ERROR,
	    CF__SCOPE_INPUT, "a file or archive that could not be read whole (I/O error, size or archive limit)",
	    "input not read", NULL, NULL,
	    "Make the file readable (permissions, I/O), or raise the limit the message names; what was not read was not audited." },
	[CF__R_PATH_DUPLICATE] = { CF__R_PATH_DUPLICATE, "tls-path-duplicate", CF_SEV_WARNING,
	    CF__SCOPE_INPUT, "a logical path present more than once in one node (the last one is audited)",
	    "path appears more than once in this node", NULL, NULL,
	    "Keep one copy of the path in the node (an archive entry twice, a node folder beside a node archive)." },
	[CF__R_CRL_EXPIRED] = { CF__R_CRL_EXPIRED, "tls-crl-expired", CF_SEV_ERROR, CF__SCOPE_CERT,
	    "a CRL whose nextUpdate is before the reference time",
	    "CRL past its nextUpdate", cf__check_crl_expired, cf__checks_run,
	    "Publish a fresh CRL from the issuing CA and deploy it; relying parties refuse a CRL past its nextUpdate and then fail revocation checks." },
	[CF__R_INPUT_EMPTY] = { CF__R_INPUT_EMPTY, "tls-input-empty", CF_SEV_ERROR, CF__SCOPE_INPUT,
	    "a node in which no certificate was audited (an empty or mistyped folder, nothing readable)",
	    "nothing audited", NULL, cf__empty_run,
	    "Point the scan at the folder that holds the node's certificates (see the skipped files and their reasons), or pass --allow-empty when a node may hold none." },
	[CF__R_DER_NONCANONICAL] = { CF__R_DER_NONCANONICAL, "tls-der-noncanonical", CF_SEV_WARNING,
	    CF__SCOPE_FILE, "a certificate GnuTLS and OpenSSL load whose encoding DER or RFC 5280 forbids",
	    "readable, but not DER", NULL, NULL,
	    "Reissue the certificate from a CA whose encoder writes DER (no DEFAULT value written out, booleans 0xff, SET OF sorted, nothing after the certificate); stricter TLS stacks refuse it." },
	[CF__R_KEY_WEAK] = { CF__R_KEY_WEAK, "tls-key-weak", CF_SEV_ERROR, CF__SCOPE_CERT,
	    "a certificate's public key under 2048 bits (RSA, DSA) or 256 bits (EC), or DH parameters under 2048 bits",
	    "weak public key", cf__check_key_weak, cf__checks_run,
	    "Reissue the certificate with a new key of at least RSA 2048 or EC P-256 bits (and deploy the new private key with it); TLS stacks and CAs refuse smaller keys." },
	[CF__R_SIG_WEAK] = { CF__R_SIG_WEAK, "tls-sig-weak", CF_SEV_ERROR, CF__SCOPE_CERT,
	    "an MD5 or SHA-1 signature on any certificate but a self-signed CA (an anchor, whose own signature no client checks)",
	    "weak signature", cf__check_sig_weak, cf__checks_run,
	    "Have the CA reissue the certificate signed with SHA-256 or better; TLS stacks refuse SHA-1 and MD5 signatures on certificates." },
	[CF__R_CERT_NO_SAN] = { CF__R_CERT_NO_SAN, "tls-cert-no-san", CF_SEV_WARNING, CF__SCOPE_CERT,
	    "a leaf certificate without a subjectAltName (clients ignore the CN)",
	    "no subjectAltName", cf__check_no_san, cf__checks_run,
	    "Reissue the leaf with a subjectAltName holding every DNS name and IP address clients use; browsers, Go and Java match names against it only." },
	[CF__R_CERT_VALIDITY_LONG] = { CF__R_CERT_VALIDITY_LONG, "tls-cert-validity-long", CF_SEV_WARNING,
	    CF__SCOPE_CERT, "with --profile cabf: a leaf server certificate over the Baseline Requirements' SHOULD limit for its notBefore, within their MUST",
	    "validity longer than recommended", cf__check_validity_long, cf__checks_run,
	    "Issue the next certificate with a validity within the Baseline Requirements' recommended limit (one day under their maximum)." },
	[CF__R_CERT_NONCOMPLIANT] = { CF__R_CERT_NONCOMPLIANT, "tls-cert-noncompliant", CF_SEV_WARNING,
	    CF__SCOPE_CERT, "an RFC 5280 profile fault a TLS stack still accepts (serial zero, negative or over 20 octets, version over v3, GeneralizedTime before 2050, an unknown critical extension, an empty subject without SAN)",
	    "not RFC 5280 compliant", cf__check_noncompliant, cf__checks_run,
	    "Reissue the certificate from a CA that follows the RFC 5280 profile; stricter clients (Go, rustls, browsers) refuse some of these faults outright." },
	[CF__R_CERT_PURPOSE] = { CF__R_CERT_PURPOSE, "tls-cert-purpose", CF_SEV_WARNING, CF__SCOPE_CERT,
	    "a leaf with CA:TRUE or keyCertSign, or an extendedKeyUsage that excludes the role its path serves (serverAuth; clientAuth for client paths; both for peer paths)",
	    "certificate unfit for its purpose", cf__check_purpose, cf__checks_run,
	    "Reissue the leaf without CA:TRUE or keyCertSign, with an extendedKeyUsage that allows the role it serves (serverAuth for servers, clientAuth for clients, both for peers)." },
	[CF__R_KEY_REUSE] = { CF__R_KEY_REUSE, "tls-key-reuse", CF_SEV_WARNING, CF__SCOPE_FLEET,
	    "one public key in certificates of different subjects, or in the different certificates a per-node path holds on different nodes",
	    "public key reused", NULL, cf__reuse_run,
	    "Give each certificate, and each node, a key of its own: a key shared by several certificates or nodes is one theft away from all of them." },
	[CF__R_CHAIN_INCOMPLETE] = { CF__R_CHAIN_INCOMPLETE, "tls-chain-incomplete", CF_SEV_ERROR, CF__SCOPE_CERT,
	    "the issuer of a certificate in a chain is nowhere: not in the file, the node's other files or its anchors (the missing intermediate)",
	    "chain incomplete", NULL, cf__chains_run,
	    "Add the missing intermediate certificate to the bundle, after the leaf; clients do not fetch it for you." },
	[CF__R_CHAIN_UNTRUSTED] = { CF__R_CHAIN_UNTRUSTED, "tls-chain-untrusted", CF_SEV_ERROR, CF__SCOPE_CERT,
	    "a chain that ends at a certificate that is not one of the node's anchors (its self-signed CA certificates, --trust, --system-trust), or that the anchors do not validate",
	    "chain not trusted", NULL, cf__chains_run,
	    "Issue the certificate from the CA the node and its peers trust, or deploy that CA's certificate to every node that must accept it." },
	[CF__R_CHAIN_BAD_SIGNATURE] = { CF__R_CHAIN_BAD_SIGNATURE, "tls-chain-bad-signature", CF_SEV_ERROR, CF__SCOPE_CERT,
	    "a signature in a chain that does not verify with its issuer's key (also: an issuer of the same name with another key)",
	    "bad signature in the chain", NULL, cf__chains_run,
	    "Deploy the issuer certificate that really signed this one (a re-keyed CA of the same name is another CA), or reissue the certificate." },
	[CF__R_CHAIN_ORDER] = { CF__R_CHAIN_ORDER, "tls-chain-order", CF_SEV_WARNING, CF__SCOPE_CERT,
	    "a bundle not in leaf-then-issuer order, or holding certificates unrelated to the chain of its first one",
	    "bundle out of chain order", NULL, cf__chains_run,
	    "Write the bundle leaf first, then each issuer in turn, and nothing else; many TLS stacks send it as it is." },
	[CF__R_CHAIN_OUTLIVES] = { CF__R_CHAIN_OUTLIVES, "tls-chain-outlives-issuer", CF_SEV_WARNING, CF__SCOPE_CERT,
	    "a certificate whose notAfter is later than its issuer's",
	    "certificate outlives its issuer", NULL, cf__chains_run,
	    "Renew the issuing CA before this certificate's notAfter, or reissue the certificate to end before its issuer does." },
	[CF__R_TRUST_SPLIT] = { CF__R_TRUST_SPLIT, "tls-trust-split", CF_SEV_ERROR, CF__SCOPE_FLEET,
	    "nodes carry anchor sets that reject each other's chains (a half-done CA rotation): said to the nodes outside the largest group (to all of them when no group is the largest)",
	    "trust differs between nodes", NULL, cf__chains_run,
	    "Finish the CA rotation: deploy the new CA certificate (beside the old one while both are in use) to every node before leaves issued by it." },
	[CF__R_CERT_NAME_MISMATCH] = { CF__R_CERT_NAME_MISMATCH, "tls-cert-name-mismatch", CF_SEV_ERROR, CF__SCOPE_CERT,
	    "with --expect-name GLOB=TEMPLATE: a leaf at a matching path whose subjectAltName does not cover the expected name (RFC 6125 wildcards)",
	    "certificate does not name its host", NULL, cf__names_run,
	    "Deploy the node's own certificate, or reissue it with the expected name in its subjectAltName." },
	[CF__R_POLICY_UNMATCHED] = { CF__R_POLICY_UNMATCHED, "tls-policy-unmatched", CF_SEV_WARNING, CF__SCOPE_INPUT,
	    "an --identical, --per-node or --expect-name pattern that matched no logical path in the whole scan (it checks nothing)",
	    "policy pattern matches nothing", NULL, cf__unmatched_run,
	    "Write the pattern against the whole logical path (etc/tls/server.crt, or */server.crt), as the JSON report lists paths; remove it if the file is gone." },
};

const struct cf__rule *
cf__rule_find(const char *id)
{
	size_t i;

	for (i = 0; i < CF__R_COUNT; i++)
		if (strcmp(cf__rules[i].id, id) == 0)
			return &cf__rules[i];
	return NULL;
}

const struct cf__rule *
cf__rule_at(size_t i)
{
	return i < CF__R_COUNT ? &cf__rules[i] : NULL;
}

const char *
cf_rule(size_t i, enum cf_severity *severity, enum cf_scope *scope, const char **description)
{
	if (i >= CF__R_COUNT)
		return NULL;
	if (severity)
		*severity = cf__rules[i].severity;
	if (scope)
		*scope = (enum cf_scope)cf__rules[i].scope;
	if (description)
		*description = cf__rules[i].description;
	return cf__rules[i].id;
}
