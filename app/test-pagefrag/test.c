/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Harness of dpdk-test-pagefrag, in the style of DPDK's dpdk-test:
 *
 *   dpdk-test-pagefrag [EAL options] [-- ] [command ...]
 *
 * Commands come from the command line after the EAL options, else from the
 * DPDK_TEST environment variable, else one per line from standard input
 * ("RTE>>" prompt when it is a terminal). "list" prints the commands.
 * The exit code is 0 when every command passed or was skipped, 77 (the
 * "skipped" code of meson test) when every command was skipped.
 * Extra EAL options can be given in PAGEFRAG_TEST_EAL_ARGS (whitespace
 * separated); the test scripts use it to fall back to --no-huge.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>

#include "test.h"

static struct test_command *commands;

void
add_test_command(struct test_command *t)
{
	struct test_command **p = &commands;

	/* keep the list sorted by name for "list" */
	while (*p != NULL && strcmp((*p)->name, t->name) < 0)
		p = &(*p)->next;
	t->next = *p;
	*p = t;
}

int
test_has_hugepages(void)
{
	return rte_eal_has_hugepages();
}

int
run_test_suite(const char *suite, const struct unit_test_case *cases,
		unsigned int nb_cases)
{
	unsigned int i, passed = 0, failed = 0, skipped = 0;

	printf(" + ------------------------------------------------------- +\n");
	printf(" + Test Suite : %s\n", suite);
	for (i = 0; i < nb_cases; i++) {
		int ret = cases[i].fn();

		if (ret == TEST_SUCCESS) {
			passed++;
			printf(" + TestCase [%2u] : %s succeeded\n", i, cases[i].name);
		} else if (ret == TEST_SKIPPED) {
			skipped++;
			printf(" + TestCase [%2u] : %s skipped\n", i, cases[i].name);
		} else {
			failed++;
			printf(" + TestCase [%2u] : %s failed\n", i, cases[i].name);
		}
		fflush(stdout);
	}
	printf(" + Tests Total : %2u  Passed : %2u  Failed : %2u  Skipped : %2u\n",
		nb_cases, passed, failed, skipped);
	printf(" + ------------------------------------------------------- +\n");
	if (failed)
		return TEST_FAILED;
	if (skipped == nb_cases)
		return TEST_SKIPPED;
	return TEST_SUCCESS;
}

/* returns 0 passed, 1 failed, 2 skipped, -1 unknown command */
static int
run_command(const char *name)
{
	struct test_command *t;
	int ret;

	if (strcmp(name, "list") == 0) {
		for (t = commands; t != NULL; t = t->next)
			printf("%s\n", t->name);
		return 0;
	}
	for (t = commands; t != NULL; t = t->next)
		if (strcmp(t->name, name) == 0)
			break;
	if (t == NULL) {
		printf("Unknown command: %s (try \"list\")\n", name);
		return -1;
	}
	ret = t->fn();
	if (ret == TEST_SUCCESS) {
		printf("Test OK\n");
		return 0;
	} else if (ret == TEST_SKIPPED) {
		printf("Test Skipped\n");
		return 2;
	}
	printf("Test Failed\n");
	return 1;
}

/* Append the words of PAGEFRAG_TEST_EAL_ARGS after argv[0]. */
static char **
build_argv(int argc, char **argv, int *new_argc)
{
	const char *extra = getenv("PAGEFRAG_TEST_EAL_ARGS");
	char *copy, *tok, *save = NULL;
	char **nargv;
	int n = 0, i;

	nargv = calloc(argc + 64, sizeof(*nargv));
	if (nargv == NULL)
		return NULL;
	nargv[n++] = argv[0];
	if (extra != NULL && *extra != '\0') {
		copy = strdup(extra);
		for (tok = strtok_r(copy, " \t", &save); tok != NULL && n < 60;
				tok = strtok_r(NULL, " \t", &save))
			nargv[n++] = tok;
	}
	for (i = 1; i < argc; i++)
		nargv[n++] = argv[i];
	*new_argc = n;
	return nargv;
}

int
main(int argc, char **argv)
{
	int nargc, ret, i, failed = 0, skipped = 0, run = 0;
	char **nargv;
	const char *env;

	nargv = build_argv(argc, argv, &nargc);
	if (nargv == NULL)
		return 1;
	ret = rte_eal_init(nargc, nargv);
	if (ret < 0) {
		fprintf(stderr, "EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	nargc -= ret;
	nargv += ret;
	if (nargc > 1 && strcmp(nargv[1], "--") == 0) {
		nargc--;
		nargv++;
	}

	if (nargc > 1) {
		for (i = 1; i < nargc; i++) {
			ret = run_command(nargv[i]);
			failed += (ret == 1 || ret == -1);
			skipped += (ret == 2);
			run++;
		}
	} else if ((env = getenv("DPDK_TEST")) != NULL && *env != '\0') {
		ret = run_command(env);
		failed += (ret == 1 || ret == -1);
		skipped += (ret == 2);
		run++;
	} else {
		char line[256];
		int tty = isatty(0);

		for (;;) {
			char *nl;

			if (tty) {
				printf("RTE>>");
				fflush(stdout);
			}
			if (fgets(line, sizeof(line), stdin) == NULL)
				break;
			nl = strpbrk(line, "\r\n");
			if (nl != NULL)
				*nl = '\0';
			if (line[0] == '\0')
				continue;
			if (strcmp(line, "quit") == 0)
				break;
			ret = run_command(line);
			failed += (ret == 1 || ret == -1);
		}
	}
	rte_eal_cleanup();
	if (failed)
		return 1;
	return (run > 0 && skipped == run) ? TEST_SKIPPED : 0;
}
