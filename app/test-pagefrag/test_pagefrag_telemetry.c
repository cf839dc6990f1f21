/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * pagefrag_telemetry_autotest: the driver's telemetry commands, queried
 * over this process's telemetry socket as dpdk-telemetry.py does.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_mempool.h>

#include <rte_mempool_pagefrag.h>

#include "test.h"
#include "test_pagefrag_util.h"

static int
test_telemetry(void)
{
	struct rte_mempool_pagefrag_stats st;
	struct rte_mempool *mp;
	char buf[16384];
	void *objs[100];
	uint64_t v;

	mp = pf_test_pool("pf_tel_pool", 3000, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, objs, 100, NULL), "get");

	if (pf_test_telemetry_query("/mempool_pagefrag/list", buf, sizeof(buf)) < 0) {
		rte_mempool_generic_put(mp, objs, 100, NULL);
		rte_mempool_free(mp);
		printf("telemetry socket not available (--no-telemetry?)\n");
		return TEST_SKIPPED;
	}
	printf("list: %s\n", buf);
	TEST_ASSERT(strstr(buf, "\"pf_tel_pool\"") != NULL,
		"pool missing from /mempool_pagefrag/list");

	TEST_ASSERT_SUCCESS(pf_test_telemetry_query("/mempool_pagefrag/info,pf_tel_pool",
		buf, sizeof(buf)), "info query");
	printf("info: %.300s...\n", buf);
	rte_mempool_pagefrag_stats_get(mp, &st);
	TEST_ASSERT_SUCCESS(pf_test_json_u64(buf, "objs_total", &v), "objs_total");
	TEST_ASSERT_EQUAL(v, 3000, "objs_total over telemetry");
	TEST_ASSERT_SUCCESS(pf_test_json_u64(buf, "objs_avail", &v), "objs_avail");
	TEST_ASSERT_EQUAL(v, 2900, "objs_avail over telemetry");
	TEST_ASSERT_SUCCESS(pf_test_json_u64(buf, "pages_total", &v), "pages_total");
	TEST_ASSERT_EQUAL(v, st.pages_total, "pages_total over telemetry");
	TEST_ASSERT_SUCCESS(pf_test_json_u64(buf, "gets", &v), "gets");
	TEST_ASSERT_EQUAL(v, 100, "gets over telemetry");

	TEST_ASSERT_SUCCESS(pf_test_telemetry_query("/mempool_pagefrag/info,no_such_pool",
		buf, sizeof(buf)), "info query for an unknown pool");
	TEST_ASSERT(strstr(buf, "null") != NULL, "unknown pool answers null: %s",
		buf);
	rte_mempool_generic_put(mp, objs, 100, NULL);
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

/* The dump shows every page with its refcount. */
static int
test_dump(void)
{
	struct rte_mempool *mp;
	char *text = NULL;
	size_t len = 0;
	void *objs[1000];
	FILE *f;

	mp = pf_test_pool("pf_dump_pool", 3000, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, objs, 1000, NULL), "get");
	f = open_memstream(&text, &len);
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_dump(f, mp), "dump");
	fclose(f);
	printf("%s", text);
	TEST_ASSERT(strstr(text, "pages: total=4 free=2 carving=1 partial=1") != NULL,
		"page gauges in the dump");
	TEST_ASSERT(strstr(text, "partial") != NULL && strstr(text, "lcore 0") != NULL,
		"per-page state and owner in the dump");
	free(text);
	rte_mempool_generic_put(mp, objs, 1000, NULL);
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

static const struct unit_test_case tel_cases[] = {
	{ "telemetry /mempool_pagefrag/list and info", test_telemetry },
	{ "dump: pool and per-page view", test_dump },
};

static int
test_pagefrag_telemetry(void)
{
	return run_test_suite("pagefrag_telemetry_autotest", tel_cases,
		RTE_DIM(tel_cases));
}

REGISTER_TEST_COMMAND(pagefrag_telemetry_autotest, test_pagefrag_telemetry);
