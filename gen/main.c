/*
 * certfleet-gen - the deterministic fixture generator.
 *
 *   certfleet-gen fixtures OUTDIR [--seed S] [--now T]
 *   certfleet-gen fleet OUTDIR --nodes N [--certs-per-node M] [--faults SPEC]
 *       [--format dir|tar|tar.gz|tar.xz|tar.zst|tar.bz2|zip|mixed|k8s|p12|jks] [--intermediate]
 *       [--ca-key p256|rsa]
 *       [--seed S] [--now T]
 *
 * --now defaults to the clock, as `certfleet scan` does, so that a fleet
 * generated and scanned without --now shows exactly the faults asked for;
 * the same --seed and --now give the same bytes (testdata passes a date).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "certfleet.h"
#include "gen.h"


static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: certfleet-gen fixtures OUTDIR [--seed S] [--now T]\n"
	    "       certfleet-gen fleet OUTDIR --nodes N [--certs-per-node M] [--faults SPEC]\n"
	    "             [--format dir|tar|tar.gz|tar.xz|tar.zst|tar.bz2|zip|mixed|k8s|p12|jks]\n"
	    "             [--intermediate] [--ca-key p256|rsa] [--seed S] [--now T]\n"
	    "SPEC: comma-separated KIND@NODE or KIND=RATE; KIND is one of expired, soon,\n"
	    "  not-yet-valid, too-long, invalid, invalid-bad-base64, invalid-missing-end,\n"
	    "  invalid-label, invalid-blank-line, invalid-padding, invalid-truncated,\n"
	    "  invalid-empty, lax, mismatch, missing, key-mismatch, der, crlf, symlink,\n"
	    "  ca-rotated, wrong-name, weak-key, sha1, key-reuse, and with --intermediate\n"
	    "  (node.crt issued by an intermediate, bundled after it) missing-intermediate, order\n"
	    "defaults: --seed certfleet --now the clock --certs-per-node 3 --format dir\n");
}

/* A whole decimal number from MIN to MAX into *OUT: 0, or -1. */
static int
number(const char *s, long min, long max, int *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ca-key", required_argument, NULL, 'k' },
		{ "certs-per-node", required_argument, NULL, 'm' },
		{ "faults", required_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "intermediate", no_argument, NULL, 'i' },
		{ "nodes", required_argument, NULL, 'n' },
		{ "now", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct gen g = { .seed = "certfleet" };
	struct fleet_opts fo = { .nodes = 0, .certs_per_node = 3, .format = "dir" };
	const char *now = NULL, *cmd, *outdir;
	int c;

	if (argc < 3 || argv[1][0] == '-') {
		usage(argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
		return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
	}
	cmd = argv[1];
	outdir = argv[2];
	/* every argument is checked before anything is written */
	if (strcmp(cmd, "fixtures") != 0 && strcmp(cmd, "fleet") != 0) {
		fprintf(stderr, "certfleet-gen: unknown command '%s'\n", cmd);
		usage(stderr);
		return 2;
	}
	if (strcmp(outdir, "--help") == 0 || strcmp(outdir, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (outdir[0] == '-' || outdir[0] == '\0') {
		fprintf(stderr,
		    "certfleet-gen: OUTDIR '%s' looks like an option: give the folder first\n",
		    outdir);
		return 2;
	}
	optind = 3;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (number(optarg, 3, 1000, &fo.certs_per_node) != 0)
				return fprintf(stderr,
				           "certfleet-gen: --certs-per-node 3..1000, not '%s'\n",
				           optarg),
				       2;
			break;
		case 'f': fo.faults = optarg; break;
		case 'i': fo.intermediate = 1; break;
		case 'k':
			if (strcmp(optarg, "p256") != 0 && strcmp(optarg, "rsa") != 0)
				return fprintf(stderr,
				           "certfleet-gen: --ca-key p256 or rsa, not '%s'\n",
				           optarg),
				       2;
			fo.rsa_ca = optarg[0] == 'r';
			break;
		case 'F': fo.format = optarg; break;
		case 'n':
			if (number(optarg, 1, 1000000, &fo.nodes) != 0)
				return fprintf(stderr,
				           "certfleet-gen: --nodes 1..1000000, not '%s'\n", optarg),
				       2;
			break;
		case 't': now = optarg; break;
		case 's': g.seed = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (now == NULL)
		g.now = (int64_t)time(NULL);
	if (optind != argc || (now && cf_parse_time(now, &g.now) != 0)) {
		usage(stderr);
		return 2;
	}
	if (strcmp(cmd, "fixtures") == 0)
		return gen_fixtures(&g, outdir) == 0 ? 0 : 1;
	if (strcmp(cmd, "fleet") == 0) {
		if (fo.nodes < 1) {
			fprintf(stderr, "certfleet-gen: fleet needs --nodes N (1..1000000)\n");
			return 2;
		}
		/* 2: a bad --format or --faults, found before anything is written */
		c = gen_fleet(&g, outdir, &fo);
		return c == 0 ? 0 : c == 2 ? 2 : 1;
	}
	usage(stderr);
	return 2;
}
