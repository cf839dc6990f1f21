/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * pagefrag_inflight_autotest: the in-flight view names who holds what.
 *
 * Objects are leaked on purpose by the main lcore, a worker lcore and a
 * non-EAL thread, and the main lcore frees some of the non-EAL thread's
 * objects (a pipeline). The view is read over the telemetry socket (as
 * dpdk-telemetry.py does), through the API and the dump, and the pool is
 * then freed with the objects still out, which must log a warning with the
 * count. Release builds check the per-lcore counters (gets - puts), debug
 * builds (-Dpagefrag_debug=true) the per-object records: the taking lcore,
 * and the age, with a minimum age that leaves the newest objects out.
 *
 * Needs two lcores (-l 0-1) and the telemetry socket; skipped without.
 * PAGEFRAG_INFLIGHT_HOLD_S=n keeps the leaked pool for n seconds before
 * freeing it, so that the view can be read by hand:
 *   dpdk-telemetry.py -f <file-prefix>
 *   --> /mempool_pagefrag/inflight,pf_leak_pool,250
 */

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mempool.h>

#include <rte_mempool_pagefrag.h>

#include "test.h"
#include "test_pagefrag_util.h"

#define N_MAIN 100	/* leaked by the main lcore */
#define N_WORKER 50	/* leaked by the worker lcore, early */
#define N_LATE 20	/* leaked by the worker lcore, AGE_MS later */
#define N_THREAD 25	/* taken by the non-EAL thread */
#define N_FREED 10	/* of those, put by the main lcore */
#define AGE_MS 300	/* between the early and the late objects */
#define MIN_AGE_MS 250	/* filter that keeps the early objects only */

struct take {
	struct rte_mempool *mp;
	void **objs;
	unsigned int n;
	int ret;
};

static int
take_lcore(void *arg)
{
	struct take *t = arg;

	t->ret = rte_mempool_get_bulk(t->mp, t->objs, t->n);
	return 0;
}

static void *
take_thread(void *arg)
{
	take_lcore(arg);
	return NULL;
}

static int
take_on(struct rte_mempool *mp, unsigned int lcore, void **objs,
		unsigned int n)
{
	struct take t = { .mp = mp, .objs = objs, .n = n };

	if (rte_eal_remote_launch(take_lcore, &t, lcore) != 0)
		return -1;
	rte_eal_wait_lcore(lcore);
	return t.ret;
}

/* The "objs" figure of holder `name` in a telemetry answer. */
static int
holder_objs(const char *json, const char *name, int64_t *objs)
{
	char obj[512];

	if (pf_test_json_obj(json, name, obj, sizeof(obj)) < 0)
		return -1;
	return pf_test_json_int(obj, "objs", objs);
}

/*
 * Check each holder of a telemetry answer: expected figures for the main
 * lcore, the worker and the non-EAL slot.
 */
static int
check_holders(const char *json, unsigned int main_lc, unsigned int worker,
		int64_t e_main, int64_t e_worker, int64_t e_thread)
{
	char name[32];
	int64_t v;

	snprintf(name, sizeof(name), "lcore_%u", main_lc);
	TEST_ASSERT_SUCCESS(holder_objs(json, name, &v), "%s missing: %s",
		name, json);
	TEST_ASSERT_EQUAL(v, e_main, "objects held by the main lcore");
	snprintf(name, sizeof(name), "lcore_%u", worker);
	TEST_ASSERT_SUCCESS(holder_objs(json, name, &v), "%s missing: %s",
		name, json);
	TEST_ASSERT_EQUAL(v, e_worker, "objects held by the worker lcore");
	TEST_ASSERT_SUCCESS(holder_objs(json, "non_eal", &v),
		"non_eal missing: %s", json);
	TEST_ASSERT_EQUAL(v, e_thread, "objects held by the non-EAL thread");
	return TEST_SUCCESS;
}

/* Free mp and return what it logged (to free()), or NULL. */
static char *
free_logged(struct rte_mempool *mp)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL) {
		rte_mempool_free(mp);
		return NULL;
	}
	rte_openlog_stream(f);
	rte_mempool_free(mp);
	rte_openlog_stream(NULL);
	fclose(f);
	printf("log of rte_mempool_free(): %s", text);
	return text;
}

static int
hold_for_inspection(void)
{
	const char *s = getenv("PAGEFRAG_INFLIGHT_HOLD_S");
	unsigned int n = s != NULL ? (unsigned int)atoi(s) : 0;

	if (n != 0) {
		printf("holding the leaked pool for %u s: dpdk-telemetry.py -f <file-prefix>\n",
			n);
		fflush(stdout);
		sleep(n);
	}
	return 0;
}

static int
test_leak_holders(void)
{
	static void *o_main[N_MAIN], *o_worker[N_WORKER + N_LATE];
	static void *o_thread[N_THREAD];
	const unsigned int main_lc = rte_get_main_lcore();
	struct rte_mempool_pagefrag_holder h[2];
	struct rte_mempool_pagefrag_inflight inf;
	struct take t;
	struct rte_mempool *mp;
	unsigned int worker;
	char buf[16384], cmd[128], name[32];
	char *text = NULL;
	size_t len = 0;
	uint64_t v;
	int64_t w_all, m_all, t_all, exp_out;
	int records, ret;
	pthread_t th;
	FILE *f;

	worker = rte_get_next_lcore(main_lc, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		printf("needs two lcores (-l 0-1)\n");
		return TEST_SKIPPED;
	}
	mp = pf_test_pool("pf_leak_pool", 3000, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	if (pf_test_telemetry_query("/mempool_pagefrag/list", buf,
			sizeof(buf)) < 0) {
		rte_mempool_free(mp);
		printf("telemetry socket not available (--no-telemetry?)\n");
		return TEST_SKIPPED;
	}

	/* the leaks: main lcore, worker lcore, a non-EAL thread */
	TEST_ASSERT_SUCCESS(rte_mempool_get_bulk(mp, o_main, N_MAIN), "main get");
	TEST_ASSERT_SUCCESS(take_on(mp, worker, o_worker, N_WORKER), "worker get");
	t = (struct take){ .mp = mp, .objs = o_thread, .n = N_THREAD };
	TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, take_thread, &t),
		"pthread_create");
	pthread_join(th, NULL);
	TEST_ASSERT_SUCCESS(t.ret, "non-EAL get");
	/* a pipeline: the main lcore frees what the non-EAL thread took */
	rte_mempool_put_bulk(mp, o_thread, N_FREED);
	usleep(AGE_MS * 1000);
	TEST_ASSERT_SUCCESS(take_on(mp, worker, o_worker + N_WORKER, N_LATE),
		"worker late get");

	/*
	 * Counters: each slot is gets - puts, so the main lcore shows the
	 * put it made for the thread. Records: each lcore holds what it took.
	 */
	TEST_ASSERT(rte_mempool_pagefrag_inflight(mp, 0, &inf, NULL, 0) == 0,
		"view without holders");
	if (inf.mode == RTE_MEMPOOL_PAGEFRAG_INFLIGHT_NONE) {
		rte_mempool_free(mp);
		printf("no per-lcore figures: statistics compiled out\n");
		return TEST_SKIPPED;
	}
	records = inf.mode == RTE_MEMPOOL_PAGEFRAG_INFLIGHT_RECORDS;
	exp_out = N_MAIN + N_WORKER + N_LATE + N_THREAD - N_FREED;
	m_all = records ? N_MAIN : N_MAIN - N_FREED;
	w_all = N_WORKER + N_LATE;
	t_all = records ? N_THREAD - N_FREED : N_THREAD;
	printf("view from %s\n", records ? "per-object records" : "counters");

	/* over the telemetry socket */
	TEST_ASSERT_SUCCESS(pf_test_telemetry_query(
		"/mempool_pagefrag/inflight,pf_leak_pool", buf, sizeof(buf)),
		"inflight query");
	printf("inflight: %s\n", buf);
	TEST_ASSERT_SUCCESS(pf_test_json_u64(buf, "objs_out", &v), "objs_out");
	TEST_ASSERT_EQUAL(v, (uint64_t)exp_out, "objs_out over telemetry");
	TEST_ASSERT_SUCCESS(pf_test_json_u64(buf, "objs_app", &v), "objs_app");
	TEST_ASSERT_EQUAL(v, (uint64_t)exp_out, "objs_app (no mempool cache)");
	TEST_ASSERT_SUCCESS(pf_test_json_u64(buf, "nb_holders", &v), "nb_holders");
	TEST_ASSERT_EQUAL(v, 3, "holders over telemetry");
	ret = check_holders(buf, main_lc, worker, m_all, w_all, t_all);
	if (ret != TEST_SUCCESS)
		return ret;

	/* with a minimum age: only the early objects in debug builds */
	snprintf(cmd, sizeof(cmd), "/mempool_pagefrag/inflight,pf_leak_pool,%u",
		MIN_AGE_MS);
	TEST_ASSERT_SUCCESS(pf_test_telemetry_query(cmd, buf, sizeof(buf)),
		"inflight query with a minimum age");
	printf("inflight, min age %u ms: %s\n", MIN_AGE_MS, buf);
	TEST_ASSERT_SUCCESS(pf_test_json_u64(buf, "min_age_ms", &v), "min_age_ms");
	TEST_ASSERT_EQUAL(v, MIN_AGE_MS, "min_age_ms echoed");
	ret = check_holders(buf, main_lc, worker, m_all,
		records ? N_WORKER : w_all, t_all);
	if (ret != TEST_SUCCESS)
		return ret;
	if (records) {
		char obj[512];

		snprintf(name, sizeof(name), "lcore_%u", worker);
		TEST_ASSERT_SUCCESS(pf_test_json_obj(buf, name, obj,
			sizeof(obj)), "worker entry");
		TEST_ASSERT_SUCCESS(pf_test_json_u64(obj, "oldest_ms", &v),
			"oldest_ms");
		TEST_ASSERT(v >= AGE_MS, "the worker's oldest object is %" PRIu64
			" ms old, taken at least %u ms ago", v, AGE_MS);
		TEST_ASSERT_SUCCESS(pf_test_json_u64(obj, "age_lt_1ms", &v),
			"age bucket");
		TEST_ASSERT_EQUAL(v, 0, "no object younger than the minimum age");
	}
	TEST_ASSERT_SUCCESS(pf_test_telemetry_query(
		"/mempool_pagefrag/inflight,no_such_pool", buf, sizeof(buf)),
		"query for an unknown pool");
	TEST_ASSERT(strstr(buf, "null") != NULL, "unknown pool answers null: %s",
		buf);

	/* the API: fewer holder slots than holders */
	ret = rte_mempool_pagefrag_inflight(mp, 0, &inf, h, RTE_DIM(h));
	TEST_ASSERT_EQUAL(ret, 2, "holders written");
	TEST_ASSERT_EQUAL(inf.nb_holders, 3, "holders counted");
	TEST_ASSERT_EQUAL(inf.objs_attributed, exp_out,
		"holders' figures add up to the objects out");
	TEST_ASSERT_EQUAL(h[0].lcore_id, RTE_MIN(main_lc, worker),
		"holders in lcore order");
	TEST_ASSERT(rte_mempool_pagefrag_inflight(NULL, 0, &inf, NULL, 0) ==
		-EINVAL, "not a pagefrag pool");
	/* a statistics reset leaves the view alone */
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_stats_reset(mp), "stats reset");
	ret = rte_mempool_pagefrag_inflight(mp, 0, &inf, h, RTE_DIM(h));
	TEST_ASSERT_EQUAL(ret, 2, "holders written after a reset");
	TEST_ASSERT_EQUAL(inf.objs_attributed, exp_out,
		"holders' figures after a statistics reset");
	TEST_ASSERT_EQUAL(h[0].objs, main_lc < worker ? m_all : w_all,
		"first holder's figure after a statistics reset");

	/* the dump, as a leak check calls it */
	f = open_memstream(&text, &len);
	TEST_ASSERT_NOT_NULL(f, "memstream");
	ret = rte_mempool_pagefrag_inflight_dump(f, mp, 0);
	fclose(f);
	printf("%s", text);
	TEST_ASSERT_EQUAL(ret, exp_out, "dump returns the objects held");
	snprintf(name, sizeof(name), "lcore %u", worker);
	TEST_ASSERT(strstr(text, name) != NULL && strstr(text, "non-EAL") != NULL,
		"holders named in the dump");
	free(text);

	hold_for_inspection();

	/* freeing the pool with objects out logs them */
	text = free_logged(mp);
	TEST_ASSERT_NOT_NULL(text, "memstream");
	snprintf(buf, sizeof(buf), "freed with %" PRId64 " objects still out",
		exp_out);
	TEST_ASSERT(strstr(text, buf) != NULL, "warning with the count");
	if (records) {
		snprintf(buf, sizeof(buf), "lcore %u: %" PRId64, worker, w_all);
		snprintf(name, sizeof(name), "non-EAL: %" PRId64, t_all);
		TEST_ASSERT(strstr(text, buf) != NULL &&
			strstr(text, name) != NULL, "warning names the holders");
	}
	free(text);
	return TEST_SUCCESS;
}

/*
 * Objects in a mempool cache and in a ring-level cache are shown apart from
 * those the application holds; freeing the pool then warns of nothing.
 */
static int
test_caches_apart(void)
{
	struct rte_mempool_pagefrag_inflight inf;
	struct rte_mempool_pagefrag_rcache *rc;
	struct rte_mempool *mp;
	void *objs[8], *robjs[4];
	char *text;

	mp = pf_test_pool("pf_leak_cache", 3000, 2048, 32, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	/*
	 * The ring-level cache first: with the mempool cache empty it takes
	 * a page (later it would recycle what the mempool cache holds).
	 */
	rc = rte_mempool_pagefrag_rcache_create(mp, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(rc, "ring-level cache");
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc(rc, robjs,
		RTE_DIM(robjs)), "ring-level get");
	TEST_ASSERT_SUCCESS(rte_mempool_get_bulk(mp, objs, RTE_DIM(objs)), "get");
	rte_mempool_put_bulk(mp, objs, RTE_DIM(objs));

	TEST_ASSERT(rte_mempool_pagefrag_inflight(mp, 0, &inf, NULL, 0) >= 0,
		"view");
	printf("out %" PRIu64 ": app %" PRIu64 ", mempool caches %" PRIu64
		"; reserved: frag caches %" PRIu64 ", ring-level caches %" PRIu64
		"\n", inf.objs_out, inf.objs_app, inf.objs_mempool_cache,
		inf.objs_frag_cache, inf.objs_ring_cache);
	TEST_ASSERT(inf.objs_mempool_cache >= RTE_DIM(objs),
		"the objects put back sit in the mempool cache");
	TEST_ASSERT_EQUAL(inf.objs_app, RTE_DIM(robjs),
		"the application holds the ring-level cache's objects only");
	TEST_ASSERT_EQUAL(inf.objs_out, inf.objs_app + inf.objs_mempool_cache,
		"out = application + mempool caches");
	TEST_ASSERT(inf.objs_ring_cache > 0 && inf.objs_frag_cache > 0,
		"free objects reserved by the ring-level and frag caches");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp) + RTE_DIM(robjs), 3000,
		"avail_count");

	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_free(rc, robjs,
		RTE_DIM(robjs)), "ring-level put");
	rte_mempool_pagefrag_rcache_destroy(rc);
	text = free_logged(mp);
	TEST_ASSERT_NOT_NULL(text, "memstream");
	TEST_ASSERT(strstr(text, "objects still out") == NULL,
		"no warning for objects in a mempool cache: %s", text);
	free(text);
	return TEST_SUCCESS;
}

/* Every object out: rte_mempool_free()'s first dequeue fails too. */
static int
test_free_all_out(void)
{
#ifdef RTE_MEMPOOL_PAGEFRAG_NO_STATS
	/* without counters the first failing dequeue is not recognized */
	const unsigned int expect = 63;
#else
	const unsigned int expect = 64;
#endif
	static void *objs[64];
	struct rte_mempool *mp;
	char msg[64];
	char *text;

	mp = pf_test_pool("pf_leak_all", RTE_DIM(objs), 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	TEST_ASSERT_SUCCESS(rte_mempool_get_bulk(mp, objs, RTE_DIM(objs)), "get");
	text = free_logged(mp);
	TEST_ASSERT_NOT_NULL(text, "memstream");
	snprintf(msg, sizeof(msg), "freed with %u objects still out", expect);
	TEST_ASSERT(strstr(text, msg) != NULL,
		"warning with the count of a pool with every object out");
	free(text);
	return TEST_SUCCESS;
}

static const struct unit_test_case inflight_cases[] = {
	{ "leaks named by holder over telemetry, API, dump, free", test_leak_holders },
	{ "mempool and ring-level caches shown apart", test_caches_apart },
	{ "free warning with every object out", test_free_all_out },
};

static int
test_pagefrag_inflight(void)
{
	return run_test_suite("pagefrag_inflight_autotest", inflight_cases,
		RTE_DIM(inflight_cases));
}

REGISTER_TEST_COMMAND(pagefrag_inflight_autotest, test_pagefrag_inflight);
