/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PAGEFRAG_TEST_H_
#define _PAGEFRAG_TEST_H_

/*
 * dpdk-test-pagefrag: a small autotest harness in the style of DPDK's
 * dpdk-test. Commands register themselves with REGISTER_TEST_COMMAND();
 * each returns TEST_SUCCESS, TEST_FAILED or TEST_SKIPPED.
 */

#include <stdio.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_eal.h>

#define TEST_SUCCESS 0
#define TEST_FAILED  (-1)
#define TEST_SKIPPED 77

/* Fail the current test function with a message if cond is false. */
#define TEST_ASSERT(cond, msg, ...) do {					\
	if (!(cond)) {							\
		printf("TestCase %s() line %d failed: " msg "\n",	\
			__func__, __LINE__, ##__VA_ARGS__);		\
		return TEST_FAILED;					\
	}								\
} while (0)

#define TEST_ASSERT_EQUAL(a, b, msg, ...)				\
	TEST_ASSERT((a) == (b), msg " (%lld != %lld)", ##__VA_ARGS__,	\
		(long long)(a), (long long)(b))

#define TEST_ASSERT_NOT_NULL(p, msg, ...)				\
	TEST_ASSERT((p) != NULL, msg, ##__VA_ARGS__)

#define TEST_ASSERT_SUCCESS(v, msg, ...)				\
	TEST_ASSERT((v) == 0, msg " (returned %d)", ##__VA_ARGS__, (int)(v))

typedef int (test_fn)(void);

struct test_command {
	struct test_command *next;
	const char *name;
	test_fn *fn;
};

void add_test_command(struct test_command *t);

#define REGISTER_TEST_COMMAND(cmd, func)				\
	static struct test_command test_struct_##cmd = {		\
		.name = RTE_STR(cmd),					\
		.fn = func,						\
	};								\
	RTE_INIT(test_register_##cmd)					\
	{								\
		add_test_command(&test_struct_##cmd);			\
	}

/* A case of a suite: a name and a function. */
struct unit_test_case {
	const char *name;
	test_fn *fn;
};

/*
 * Run cases in order, print one line each, and return TEST_FAILED if any
 * failed, TEST_SKIPPED if all were skipped, else TEST_SUCCESS.
 */
int run_test_suite(const char *suite, const struct unit_test_case *cases,
		unsigned int nb_cases);

/* True when EAL runs on hugepages (not --no-huge). */
int test_has_hugepages(void);

#endif /* _PAGEFRAG_TEST_H_ */
