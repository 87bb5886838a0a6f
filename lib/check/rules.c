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

/* The rule table, indexed by enum cf__rule_id (a row per finding id,
 * every field named: a new rule is its enum id and one row here). A
 * rule judged on one certificate has CERT scope and a `cert` function; the
 * passes that raise PAIR and FLEET findings are the rows' `run`; rules
 * raised while reading (INPUT) or decoding (FILE) have neither. */
const struct cf__rule cf__rules[CF__R_COUNT] = {
	[CF__R_CERT_EXPIRED] = {
		.num = CF__R_CERT_EXPIRED, .id = "tls-cert-expired",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_CERT,
		.description = "notAfter is before the reference time",
		.doc = "notAfter < now",
		.headline = "certificate expired",
		.cert = cf__check_expired, .run = cf__checks_run,
		.fix = "Renew the certificate and deploy the new one to every node that carries "
		    "this path; clients refuse an expired certificate.",
	},
	[CF__R_CERT_SOON] = {
		.num = CF__R_CERT_SOON, .id = "tls-cert-will-soon-expire",
		.severity = CF_SEV_WARNING, .scope = CF__SCOPE_CERT,
		.description = "notAfter falls inside the soon-expire window (--soon)",
		.doc = "now ≤ notAfter < now + `--soon` (with `--soon P%`: notAfter − now < P% of "
		    "the lifetime, notAfter − notBefore + 1 s)",
		.headline = "certificate will soon expire",
		.cert = cf__check_soon, .run = cf__checks_run,
		.fix = "Renew the certificate before notAfter and roll it out to every node; the "
		    "window is --soon.",
	},
	[CF__R_CERT_INVALID] = {
		.num = CF__R_CERT_INVALID, .id = "tls-cert-invalid",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_FILE,
		.description = "a certificate or key file, or one member of it, does not decode",
		.doc = "a certificate or key file, or one member of a bundle, does not decode; "
		    "the message names the reason and the line. Also a certificate whose notAfter "
		    "is before its notBefore (no time rule is applied to it)",
		.headline = "does not decode",
		.cert = NULL, .run = NULL,
		.fix = "Replace the file with a well-formed PEM or DER certificate or key; the "
		    "message names the line and the reason.",
	},
	[CF__R_CERT_NOT_YET_VALID] = {
		.num = CF__R_CERT_NOT_YET_VALID, .id = "tls-cert-not-yet-valid",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_CERT,
		.description = "notBefore is after the reference time",
		.doc = "notBefore > now",
		.headline = "certificate not yet valid",
		.cert = cf__check_not_yet_valid, .run = cf__checks_run,
		.fix = "Check the issuing CA's clock and the node's; deploy the certificate only "
		    "once notBefore has passed.",
	},
	[CF__R_CERT_TOO_LONG] = {
		.num = CF__R_CERT_TOO_LONG, .id = "tls-cert-validity-too-long",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_CERT,
		.description = "a leaf certificate valid for longer than --max-validity days (CA "
		    "exempt); with --profile cabf, a leaf server certificate over the Baseline "
		    "Requirements' limit for its notBefore",
		.doc = "leaf validity (notAfter − notBefore + 1 s) > `--max-validity` days; CA "
		    "certificates (basicConstraints CA:TRUE) exempt. With `--profile cabf`: a "
		    "leaf server certificate over the Baseline Requirements' MUST limit for its "
		    "notBefore (see Profiles)",
		.headline = "validity too long",
		.cert = cf__check_too_long, .run = cf__checks_run,
		.fix = "Reissue the leaf certificate with a shorter validity (at most "
		    "--max-validity days, or the Baseline Requirements' limit for its issue "
		    "date).",
	},
	[CF__R_CERT_MISMATCH] = {
		.num = CF__R_CERT_MISMATCH, .id = "tls-cert-mismatch",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_FLEET,
		.description = "the certificate at a logical path differs from the one most nodes "
		    "carry",
		.doc = "the certificate at a logical path differs from the majority's (see "
		    "Consistency)",
		.headline = "certificate differs between nodes",
		.cert = NULL, .run = cf__fleet_run,
		.fix = "Deploy the same certificate to every node at this path, or declare the "
		    "path per node with --per-node.",
	},
	[CF__R_CERT_MISSING] = {
		.num = CF__R_CERT_MISSING, .id = "tls-cert-missing",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_FLEET,
		.description = "a logical path present on most nodes is absent on this one",
		.doc = "a logical path present on more than half of the nodes is absent on this "
		    "one",
		.headline = "certificate missing on this node",
		.cert = NULL, .run = cf__fleet_run,
		.fix = "Deploy the file to this node, or remove it from the other nodes.",
	},
	[CF__R_KEY_MISMATCH] = {
		.num = CF__R_KEY_MISMATCH, .id = "tls-key-mismatch",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_PAIR,
		.description = "a private key that is not the key of the certificate it pairs with",
		.doc = "a private key that is not the key of the certificate it pairs with (see "
		    "Pairing)",
		.headline = "private key does not match its certificate",
		.cert = NULL, .run = cf__pairs_run,
		.fix = "Deploy the private key that belongs to the certificate (their public keys "
		    "must be the same).",
	},
	[CF__R_PEM_LAX] = {
		.num = CF__R_PEM_LAX, .id = "tls-pem-lax",
		.severity = CF_SEV_WARNING, .scope = CF__SCOPE_FILE,
		.description = "a readable certificate in non-canonical PEM (legacy label, "
		    "CR-only, trailing text)",
		.doc = "a readable certificate in non-canonical PEM: the legacy label `X509 "
		    "CERTIFICATE`, CR-only line endings, or text after the last END line",
		.headline = "non-canonical PEM",
		.cert = NULL, .run = NULL,
		.fix = "Rewrite the file as canonical PEM: -----BEGIN CERTIFICATE-----, LF or "
		    "CRLF line ends, nothing after the last END line.",
	},
	[CF__R_INPUT_UNREADABLE] = {
		.num = CF__R_INPUT_UNREADABLE, .id = "tls-input-unreadable",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_INPUT,
		.description = "a file or archive that could not be read whole (I/O error, size "
		    "or archive limit)",
		.doc = "a file, folder or archive that could not be read whole: permission or I/O "
		    "error (an unreadable folder too), a path too long, a folder nested deeper "
		    "than the walker goes, an archive nested deeper than two levels, a hard link "
		    "to nothing earlier in its archive, a size or archive limit crossed (the "
		    "message names the option), a corrupt or truncated archive (what was read "
		    "before the fault is audited), a format certfleet does not read",
		.headline = "input not read",
		.cert = NULL, .run = NULL,
		.fix = "Make the file readable (permissions, I/O), or raise the limit the message "
		    "names; what was not read was not audited.",
	},
	[CF__R_PATH_DUPLICATE] = {
		.num = CF__R_PATH_DUPLICATE, .id = "tls-path-duplicate",
		.severity = CF_SEV_WARNING, .scope = CF__SCOPE_INPUT,
		.description = "a logical path present more than once in one node (the last one "
		    "is audited)",
		.doc = "a logical path present more than once in one node (an archive holding an "
		    "entry twice, a node folder beside a node archive of the same name): the last "
		    "one read is audited, as extraction would keep it, and the node counts once "
		    "in the fleet comparison",
		.headline = "path appears more than once in this node",
		.cert = NULL, .run = NULL,
		.fix = "Keep one copy of the path in the node (an archive entry twice, a node "
		    "folder beside a node archive).",
	},
	[CF__R_CRL_EXPIRED] = {
		.num = CF__R_CRL_EXPIRED, .id = "tls-crl-expired",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_CERT,
		.description = "a CRL whose nextUpdate is before the reference time",
		.doc = "a CRL (PEM `X509 CRL`, DER, or inside a PKCS#7 bundle) whose nextUpdate "
		    "is before now: relying parties that check revocation refuse it",
		.headline = "CRL past its nextUpdate",
		.cert = cf__check_crl_expired, .run = cf__checks_run,
		.fix = "Publish a fresh CRL from the issuing CA and deploy it; relying parties "
		    "refuse a CRL past its nextUpdate and then fail revocation checks.",
	},
	[CF__R_INPUT_EMPTY] = {
		.num = CF__R_INPUT_EMPTY, .id = "tls-input-empty",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_INPUT,
		.description = "a node in which no certificate was audited (an empty or mistyped "
		    "folder, nothing readable)",
		.doc = "a node in which no certificate was audited: an empty or mistyped folder "
		    "(a scan that reads nothing must not pass), a node of keys only, a store of "
		    "links that lead nowhere readable; the skipped files say why. `--allow-empty` "
		    "turns it off",
		.headline = "nothing audited",
		.cert = NULL, .run = cf__empty_run,
		.fix = "Point the scan at the folder that holds the node's certificates (see the "
		    "skipped files and their reasons), or pass --allow-empty when a node may hold "
		    "none.",
	},
	[CF__R_DER_NONCANONICAL] = {
		.num = CF__R_DER_NONCANONICAL, .id = "tls-der-noncanonical",
		.severity = CF_SEV_WARNING, .scope = CF__SCOPE_FILE,
		.description = "a certificate GnuTLS and OpenSSL load whose encoding DER or RFC "
		    "5280 forbids",
		.doc = "a certificate that GnuTLS and OpenSSL both load but whose encoding DER or "
		    "RFC 5280 forbids: a DEFAULT value written out (`critical FALSE`), a BER "
		    "boolean, a SET OF out of order, unused bits that are not zero, NULL versus "
		    "absent parameters between the two signature algorithms, bytes after a DER "
		    "file; the message names the fault and its byte (see Decoding)",
		.headline = "readable, but not DER",
		.cert = NULL, .run = NULL,
		.fix = "Reissue the certificate from a CA whose encoder writes DER (no DEFAULT "
		    "value written out, booleans 0xff, SET OF sorted, nothing after the "
		    "certificate); stricter TLS stacks refuse it.",
	},
	[CF__R_KEY_WEAK] = {
		.num = CF__R_KEY_WEAK, .id = "tls-key-weak",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_CERT,
		.description = "a certificate's public key under 2048 bits (RSA, DSA) or 256 bits "
		    "(EC), or DH parameters under 2048 bits",
		.doc = "a certificate's public key under 2048 bits (RSA, RSA-PSS, DSA) or under "
		    "256 bits (EC), or DH parameters (PKCS#3 or X9.42) whose prime is under 2048 "
		    "bits; Ed25519 and Ed448 are never weak",
		.headline = "weak public key",
		.cert = cf__check_key_weak, .run = cf__checks_run,
		.fix = "Reissue the certificate with a new key of at least RSA 2048 or EC P-256 "
		    "bits (and deploy the new private key with it); TLS stacks and CAs refuse "
		    "smaller keys.",
	},
	[CF__R_SIG_WEAK] = {
		.num = CF__R_SIG_WEAK, .id = "tls-sig-weak",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_CERT,
		.description = "an MD5 or SHA-1 signature on any certificate but a self-signed CA "
		    "(an anchor, whose own signature no client checks)",
		.doc = "a certificate signed with MD2, MD5 or SHA-1, unless it is self-signed "
		    "(issuer Name = subject Name: an anchor, whose own signature no client "
		    "checks)",
		.headline = "weak signature",
		.cert = cf__check_sig_weak, .run = cf__checks_run,
		.fix = "Have the CA reissue the certificate signed with SHA-256 or better; TLS "
		    "stacks refuse SHA-1 and MD5 signatures on certificates.",
	},
	[CF__R_CERT_NO_SAN] = {
		.num = CF__R_CERT_NO_SAN, .id = "tls-cert-no-san",
		.severity = CF_SEV_WARNING, .scope = CF__SCOPE_CERT,
		.description = "a leaf certificate without a subjectAltName (clients ignore the "
		    "CN)",
		.doc = "a leaf (no basicConstraints CA:TRUE, and not a version 1 self-signed "
		    "root) without a subjectAltName: browsers, Go and Java match names against "
		    "the SAN only, and ignore the CN",
		.headline = "no subjectAltName",
		.cert = cf__check_no_san, .run = cf__checks_run,
		.fix = "Reissue the leaf with a subjectAltName holding every DNS name and IP "
		    "address clients use; browsers, Go and Java match names against it only.",
	},
	[CF__R_CERT_VALIDITY_LONG] = {
		.num = CF__R_CERT_VALIDITY_LONG, .id = "tls-cert-validity-long",
		.severity = CF_SEV_WARNING, .scope = CF__SCOPE_CERT,
		.description = "with --profile cabf: a leaf server certificate over the Baseline "
		    "Requirements' SHOULD limit for its notBefore, within their MUST",
		.doc = "with `--profile cabf` only: a leaf server certificate over the Baseline "
		    "Requirements' SHOULD limit for its notBefore, within their MUST",
		.headline = "validity longer than recommended",
		.cert = cf__check_validity_long, .run = cf__checks_run,
		.fix = "Issue the next certificate with a validity within the Baseline "
		    "Requirements' recommended limit (one day under their maximum).",
	},
	[CF__R_CERT_NONCOMPLIANT] = {
		.num = CF__R_CERT_NONCOMPLIANT, .id = "tls-cert-noncompliant",
		.severity = CF_SEV_WARNING, .scope = CF__SCOPE_CERT,
		.description = "an RFC 5280 profile fault a TLS stack still accepts (serial zero, "
		    "negative or over 20 octets, version over v3, GeneralizedTime before 2050, an "
		    "unknown critical extension, an empty subject without SAN)",
		.doc = "an RFC 5280 profile fault that TLS stacks still accept: a serial number "
		    "zero, negative or over 20 octets, a version value over 2 (v4), a validity "
		    "date before 2050 written as GeneralizedTime, an extension marked critical "
		    "that is none of those RFC 5280 and the TLS feature define (a relying party "
		    "must refuse it), an empty subject without SAN; the first fault is named",
		.headline = "not RFC 5280 compliant",
		.cert = cf__check_noncompliant, .run = cf__checks_run,
		.fix = "Reissue the certificate from a CA that follows the RFC 5280 profile; "
		    "stricter clients (Go, rustls, browsers) refuse some of these faults "
		    "outright.",
	},
	[CF__R_CERT_PURPOSE] = {
		.num = CF__R_CERT_PURPOSE, .id = "tls-cert-purpose",
		.severity = CF_SEV_WARNING, .scope = CF__SCOPE_CERT,
		.description = "a leaf with CA:TRUE or keyCertSign, or an extendedKeyUsage that "
		    "excludes the role its path serves (serverAuth; clientAuth for client paths; "
		    "both for peer paths)",
		.doc = "a leaf (it names a host: a DNS or IP subjectAltName) with "
		    "basicConstraints CA:TRUE or keyUsage keyCertSign; keyCertSign without "
		    "CA:TRUE; or a leaf whose extendedKeyUsage excludes the role its path serves: "
		    "the file name (without extension, split at `-` `_` `.`) holding `peer` needs "
		    "serverAuth and clientAuth, one starting or ending with `client` clientAuth, "
		    "any other serverAuth (anyExtendedKeyUsage allows all; no EKU allows all)",
		.headline = "certificate unfit for its purpose",
		.cert = cf__check_purpose, .run = cf__checks_run,
		.fix = "Reissue the leaf without CA:TRUE or keyCertSign, with an extendedKeyUsage "
		    "that allows the role it serves (serverAuth for servers, clientAuth for "
		    "clients, both for peers).",
	},
	[CF__R_KEY_REUSE] = {
		.num = CF__R_KEY_REUSE, .id = "tls-key-reuse",
		.severity = CF_SEV_WARNING, .scope = CF__SCOPE_FLEET,
		.description = "one public key in certificates of different subjects, or in the "
		    "different certificates a per-node path holds on different nodes",
		.doc = "one public key in certificates of different subjects (anywhere in the "
		    "scan), or in the different certificates a per-node path holds on different "
		    "nodes (a path declared with `--per-node`, or one at which no two nodes carry "
		    "the same certificate: each node's \"own\" certificate with one key, which a "
		    "single theft opens everywhere). Every holder is named with one other; the "
		    "same certificate on many nodes is no reuse",
		.headline = "public key reused",
		.cert = NULL, .run = cf__reuse_run,
		.fix = "Give each certificate, and each node, a key of its own: a key shared by "
		    "several certificates or nodes is one theft away from all of them.",
	},
	[CF__R_CHAIN_INCOMPLETE] = {
		.num = CF__R_CHAIN_INCOMPLETE, .id = "tls-chain-incomplete",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_CERT,
		.description = "the issuer of a certificate in a chain is nowhere: not in the "
		    "file, the node's other files or its anchors (the missing intermediate)",
		.doc = "the issuer of a certificate in the chain of a file's first certificate is "
		    "nowhere: not in the file, the node's other files or its anchors (the missing "
		    "intermediate; see Chains)",
		.headline = "chain incomplete",
		.cert = NULL, .run = cf__chains_run,
		.fix = "Add the missing intermediate certificate to the bundle, after the leaf; "
		    "clients do not fetch it for you.",
	},
	[CF__R_CHAIN_UNTRUSTED] = {
		.num = CF__R_CHAIN_UNTRUSTED, .id = "tls-chain-untrusted",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_CERT,
		.description = "a chain that ends at a certificate that is not one of the node's "
		    "anchors (its self-signed CA certificates, --trust, --system-trust), or that "
		    "the anchors do not validate",
		.doc = "that chain ends at a certificate that is not one of the node's anchors (a "
		    "self-signed leaf in a node that carries a CA), or GnuTLS's trust list of the "
		    "anchors refuses it (an issuer without CA:TRUE, a path length crossed, an "
		    "unknown critical extension; GnuTLS's reason is quoted)",
		.headline = "chain not trusted",
		.cert = NULL, .run = cf__chains_run,
		.fix = "Issue the certificate from the CA the node and its peers trust, or deploy "
		    "that CA's certificate to every node that must accept it.",
	},
	[CF__R_CHAIN_BAD_SIGNATURE] = {
		.num = CF__R_CHAIN_BAD_SIGNATURE, .id = "tls-chain-bad-signature",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_CERT,
		.description = "a signature in a chain that does not verify with its issuer's key "
		    "(also: an issuer of the same name with another key)",
		.doc = "a signature in the chain that does not verify with its issuer's key: a "
		    "damaged certificate, or an issuer of the same name with another key (a CA "
		    "re-keyed under its old name); a self-signed leaf's own signature too",
		.headline = "bad signature in the chain",
		.cert = NULL, .run = cf__chains_run,
		.fix = "Deploy the issuer certificate that really signed this one (a re-keyed CA "
		    "of the same name is another CA), or reissue the certificate.",
	},
	[CF__R_CHAIN_ORDER] = {
		.num = CF__R_CHAIN_ORDER, .id = "tls-chain-order",
		.severity = CF_SEV_WARNING, .scope = CF__SCOPE_CERT,
		.description = "a bundle not in leaf-then-issuer order, or holding certificates "
		    "unrelated to the chain of its first one",
		.doc = "a PEM or DER bundle not in leaf → issuer order, or holding a certificate "
		    "that is not part of the chain of its first one (PKCS#7, PKCS#12 and "
		    "keystores hold sets: exempt)",
		.headline = "bundle out of chain order",
		.cert = NULL, .run = cf__chains_run,
		.fix = "Write the bundle leaf first, then each issuer in turn, and nothing else; "
		    "many TLS stacks send it as it is.",
	},
	[CF__R_CHAIN_OUTLIVES] = {
		.num = CF__R_CHAIN_OUTLIVES, .id = "tls-chain-outlives-issuer",
		.severity = CF_SEV_WARNING, .scope = CF__SCOPE_CERT,
		.description = "a certificate whose notAfter is later than its issuer's",
		.doc = "a certificate in the chain whose notAfter is later than its issuer's",
		.headline = "certificate outlives its issuer",
		.cert = NULL, .run = cf__chains_run,
		.fix = "Renew the issuing CA before this certificate's notAfter, or reissue the "
		    "certificate to end before its issuer does.",
	},
	[CF__R_TRUST_SPLIT] = {
		.num = CF__R_TRUST_SPLIT, .id = "tls-trust-split",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_FLEET,
		.description = "nodes carry anchor sets that reject each other's chains (a "
		    "half-done CA rotation): said to the nodes outside the largest group (to all "
		    "of them when no group is the largest)",
		.doc = "nodes carry anchor sets that reject each other's chains (a CA rotation "
		    "done on some nodes only): said to the nodes outside the largest group, "
		    "naming it and its size (to every node involved when no group is the "
		    "largest); the healthy majority gets no finding",
		.headline = "trust differs between nodes",
		.cert = NULL, .run = cf__chains_run,
		.fix = "Finish the CA rotation: deploy the new CA certificate (beside the old one "
		    "while both are in use) to every node before leaves issued by it.",
	},
	[CF__R_CERT_NAME_MISMATCH] = {
		.num = CF__R_CERT_NAME_MISMATCH, .id = "tls-cert-name-mismatch",
		.severity = CF_SEV_ERROR, .scope = CF__SCOPE_CERT,
		.description = "with --expect-name GLOB=TEMPLATE: a leaf at a matching path whose "
		    "subjectAltName does not cover the expected name (RFC 6125 wildcards)",
		.doc = "with `--expect-name GLOB=TEMPLATE` (repeatable): the leaf at a logical "
		    "path matching GLOB does not name the host TEMPLATE gives (`{node}`: the "
		    "node's name) in its subjectAltName, matched as RFC 6125 says: DNS names "
		    "regardless of case and a final dot, a wildcard only as the whole leftmost "
		    "label of a name of three labels or more, matching one label; an IP address "
		    "only an IP entry; the CN is not read",
		.headline = "certificate does not name its host",
		.cert = NULL, .run = cf__names_run,
		.fix = "Deploy the node's own certificate, or reissue it with the expected name "
		    "in its subjectAltName.",
	},
	[CF__R_POLICY_UNMATCHED] = {
		.num = CF__R_POLICY_UNMATCHED, .id = "tls-policy-unmatched",
		.severity = CF_SEV_WARNING, .scope = CF__SCOPE_INPUT,
		.description = "an --identical, --per-node or --expect-name pattern that matched "
		    "no logical path in the whole scan (it checks nothing)",
		.doc = "an `--identical`, `--per-node` or `--expect-name` pattern that matched no "
		    "logical path of the whole scan (a pattern matches the whole path: "
		    "`server.crt` never matches `etc/tls/server.crt`); at the first node, path "
		    "`(policy)`, with a hint when the pattern matches a path's last component",
		.headline = "policy pattern matches nothing",
		.cert = NULL, .run = cf__unmatched_run,
		.fix = "Write the pattern against the whole logical path (etc/tls/server.crt, or "
		    "*/server.crt), as the JSON report lists paths; remove it if the file is "
		    "gone.",
	},
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

const char *
cf_rule_doc(size_t i)
{
	return i < CF__R_COUNT ? cf__rules[i].doc : NULL;
}
