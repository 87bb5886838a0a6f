/* check_main.h - the one way every unit suite runs: run SUITE, report,
 * exit non-zero on a failure. */
#ifndef CHECK_MAIN_H
#define CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

static inline int
check_run(Suite *suite, int fork)
{
	SRunner *r = srunner_create(suite);
	int failed;

	if (!fork)
		srunner_set_fork_status(r, CK_NOFORK);
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
