/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * pagefrag_contract_autotest: what DPDK's mempool library relies on a
 * driver for, one case per rule (DPDK 22.11 to 26.07):
 *
 *   - a failed get with objects in the lcore's mempool cache leaves the
 *     cache as it was: rte_mempool_do_generic_get() asks the driver for
 *     cache->size + remaining objects INTO cache->objs[] and, when that
 *     fails, only resets cache->len (ring_mp_mc as the control);
 *   - a failed rte_mempool_ops_dequeue_bulk() writes nothing into its
 *     table, whichever state the free objects are in and whichever thread
 *     asks (EAL lcore, non-EAL pthread);
 *   - after a populate call fails, DPDK frees every memory chunk of the
 *     pool (rte_mempool_free_memchunks); a later populate starts from
 *     nothing, and no object of the freed memory is handed out again;
 *   - rte_mempool_free() of a pool with objects out: DPDK's drain before
 *     the free logs no false warning and costs no more than linear;
 *   - put and get of 0 objects with a NULL table.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mempool.h>

#include <rte_mempool_pagefrag.h>

#include "test.h"
#include "test_pagefrag_util.h"

#define CT_RING_OPS "ring_mp_mc"
#define CT_SENTINEL ((void *)(uintptr_t)UINT64_C(0x5e17e1005e17e100))

/* A pool of the given ops, populated with rte_mempool_populate_default. */
static struct rte_mempool *
ct_pool(const char *name, const char *ops, unsigned int n,
		unsigned int elt, unsigned int cache)
{
	struct rte_mempool *mp;
	int ret;

	mp = rte_mempool_create_empty(name, n, elt, cache, 0, SOCKET_ID_ANY, 0);
	if (mp == NULL) {
		printf("cannot create pool %s: %s\n", name,
			rte_strerror(rte_errno));
		return NULL;
	}
	ret = rte_mempool_set_ops_byname(mp, ops, NULL);
	if (ret == 0)
		ret = rte_mempool_populate_default(mp);
	if (ret < 0) {
		printf("cannot make pool %s with ops %s: %s\n", name, ops,
			rte_strerror(-ret));
		rte_mempool_free(mp);
		return NULL;
	}
	return mp;
}

/*
 * The objects got[0..ngot) must be objects of mp, each once, none of them
 * one of held[0..nheld), and exactly expect of them. 0, or -1 with the
 * reason printed.
 */
static int
ct_check_set(struct rte_mempool *mp, void * const *got, unsigned int ngot,
		void * const *held, unsigned int nheld, unsigned int expect,
		const char *what)
{
	uintptr_t *addrs = pf_test_obj_addrs(mp);
	uint8_t *mark = calloc(mp->size, 1);
	unsigned int i, twice = 0, of_held = 0, foreign = 0;
	int idx, ret = 0;

	if (addrs == NULL || mark == NULL) {
		printf("%s: out of memory\n", what);
		ret = -1;
		goto out;
	}
	for (i = 0; i < nheld; i++) {
		idx = pf_test_obj_index(addrs, mp->populated_size, held[i]);
		if (idx >= 0)
			mark[idx] = 2;
	}
	for (i = 0; i < ngot; i++) {
		idx = pf_test_obj_index(addrs, mp->populated_size, got[i]);
		if (idx < 0) {
			if (foreign++ == 0)
				printf("%s: %p is not an object of pool %s\n",
					what, got[i], mp->name);
			continue;
		}
		if (mark[idx] == 2 && of_held++ == 0)
			printf("%s: %p handed out while the test holds it\n",
				what, got[i]);
		else if (mark[idx] == 1 && twice++ == 0)
			printf("%s: %p handed out twice\n", what, got[i]);
		mark[idx] = 1;
	}
	if (foreign + of_held + twice != 0 || ngot != expect) {
		printf("%s: %u objects obtained, %u expected: %u handed out twice, %u held by the test, %u not of the pool\n",
			what, ngot, expect, twice, of_held, foreign);
		ret = -1;
	}
out:
	free(addrs);
	free(mark);
	return ret;
}

/* rte_mempool_avail_count(mp) == want: 0, or -1 with the reason printed. */
static int
ct_avail_is(struct rte_mempool *mp, unsigned int want, const char *when)
{
	unsigned int avail = rte_mempool_avail_count(mp);

	if (avail == want)
		return 0;
	printf("pool %s: avail %u %s, want %u\n", mp->name, avail, when, want);
	return -1;
}

/*
 * Take objects one at a time until the pool refuses, through cache (NULL:
 * straight from the driver). Returns the number taken into objs[0..max).
 */
static unsigned int
ct_drain(struct rte_mempool *mp, struct rte_mempool_cache *cache,
		void **objs, unsigned int max)
{
	unsigned int k = 0;

	while (k < max && rte_mempool_generic_get(mp, &objs[k], 1, cache) == 0)
		k++;
	return k;
}

/* ---- 1a: a failed get leaves the lcore's mempool cache intact ---- */

#define RB_N 64
#define RB_CACHE 16
#define RB_IN_DRIVER 3
#define RB_IN_CACHE 4
#define RB_ASK 10

static int
cache_rollback(const char *ops)
{
	struct rte_mempool *mp;
	struct rte_mempool_cache *cache;
	void *objs[RB_N], *snap[RTE_MEMPOOL_CACHE_MAX_SIZE * 2], *out[RB_ASK];
	void *got[RB_N];
	unsigned int k, snap_len, ngot, nfree = RB_IN_DRIVER + RB_IN_CACHE;
	void **held = &objs[nfree];
	unsigned int nheld = RB_N - nfree;
	int ret, rc = TEST_FAILED;

	mp = ct_pool("pf_ct_rollback", ops, RB_N, 64, RB_CACHE);
	TEST_ASSERT_NOT_NULL(mp, "pool on %s", ops);
	cache = rte_mempool_default_cache(mp, rte_lcore_id());
	if (cache == NULL) {
		printf("%s: no mempool cache on lcore %u\n", ops, rte_lcore_id());
		goto out;
	}
	rte_mempool_cache_flush(cache, mp);
	k = ct_drain(mp, NULL, objs, RB_N);
	if (k != RB_N) {
		printf("%s: %u of %u objects could be taken at the start\n",
			ops, k, RB_N);
		goto out;
	}
	/* 3 in the driver, 4 in the lcore's mempool cache, the rest held */
	rte_mempool_generic_put(mp, objs, RB_IN_DRIVER, NULL);
	rte_mempool_put_bulk(mp, &objs[RB_IN_DRIVER], RB_IN_CACHE);
	if (cache->len != RB_IN_CACHE ||
			rte_mempool_avail_count(mp) != nfree) {
		printf("%s: set-up: cache holds %u (want %u), avail %u (want %u)\n",
			ops, cache->len, RB_IN_CACHE,
			rte_mempool_avail_count(mp), nfree);
		goto out;
	}
	snap_len = cache->len;
	memcpy(snap, cache->objs, snap_len * sizeof(void *));

	ret = rte_mempool_get_bulk(mp, out, RB_ASK);
	if (ret == 0) {
		printf("%s: get of %u succeeded with %u objects free\n", ops,
			RB_ASK, nfree);
		rte_mempool_put_bulk(mp, out, RB_ASK);
		goto out;
	}
	if (cache->len != snap_len ||
			memcmp(snap, cache->objs, snap_len * sizeof(void *))) {
		printf("%s: the failed get of %u changed the lcore's mempool cache: len %u -> %u\n",
			ops, RB_ASK, snap_len, cache->len);
		for (k = 0; k < RTE_MIN(snap_len, cache->len); k++)
			if (snap[k] != cache->objs[k])
				printf("  cache->objs[%u]: %p -> %p\n", k,
					snap[k], cache->objs[k]);
		goto out;
	}
	if (ct_avail_is(mp, nfree, "after the failed get") != 0)
		goto out;
	ngot = ct_drain(mp, cache, got, RB_N);
	if (ct_check_set(mp, got, ngot, held, nheld, nfree,
			"draining after the failed get") != 0) {
		printf("%s: objects handed out twice after a failed get\n", ops);
		goto out;
	}
	rte_mempool_put_bulk(mp, got, ngot);
	rte_mempool_put_bulk(mp, held, nheld);
	if (ct_avail_is(mp, RB_N, "at the end") != 0)
		goto out;
	rc = TEST_SUCCESS;
out:
	rte_mempool_free(mp);
	return rc;
}

static int
test_rollback_pagefrag(void)
{
	return cache_rollback(RTE_MEMPOOL_PAGEFRAG_OPS_NAME);
}

static int
test_rollback_ring(void)
{
	return cache_rollback(CT_RING_OPS);
}

/* ---- 1b: a failed dequeue writes nothing, whatever the objects' state ---- */

enum ct_op {
	CT_PUT,		/* give objs[0..n) back */
	CT_TAKE_KEEP,	/* take n, give all but the last keep back */
	CT_FAIL_GET,	/* a dequeue of n into a sentinel table must fail */
	CT_DRAIN,	/* take one at a time until refused, at most n */
};

struct ct_job {
	struct rte_mempool *mp;
	enum ct_op op;
	void **objs;
	unsigned int n;
	unsigned int keep;
	unsigned int done;	/* objects taken (CT_TAKE_KEEP, CT_DRAIN) */
	int ret;		/* 0, or -1 with the reason printed */
};

static void
ct_job_run(struct ct_job *j)
{
	unsigned int i, bad = 0;
	int ret;

	j->ret = 0;
	switch (j->op) {
	case CT_PUT:
		j->ret = rte_mempool_ops_enqueue_bulk(j->mp, j->objs, j->n);
		break;
	case CT_TAKE_KEEP:
		j->done = ct_drain(j->mp, NULL, j->objs, j->n);
		if (j->done != j->n) {
			printf("lcore %d: took %u of %u\n", (int)rte_lcore_id(),
				j->done, j->n);
			j->ret = -1;
			break;
		}
		j->ret = rte_mempool_ops_enqueue_bulk(j->mp, j->objs,
			j->n - j->keep);
		memmove(j->objs, &j->objs[j->n - j->keep],
			j->keep * sizeof(void *));
		break;
	case CT_FAIL_GET:
		for (i = 0; i < j->n; i++)
			j->objs[i] = CT_SENTINEL;
		ret = rte_mempool_ops_dequeue_bulk(j->mp, j->objs, j->n);
		for (i = 0; i < j->n; i++)
			if (j->objs[i] != CT_SENTINEL && bad++ == 0)
				printf("lcore %d: failed dequeue of %u wrote %p into slot %u\n",
					(int)rte_lcore_id(), j->n, j->objs[i],
					i);
		if (ret == 0) {
			printf("lcore %d: dequeue of %u succeeded with fewer free\n",
				(int)rte_lcore_id(), j->n);
			/* give them back: the set check then still holds */
			rte_mempool_ops_enqueue_bulk(j->mp, j->objs, j->n);
			j->ret = -1;
		} else if (bad != 0) {
			printf("lcore %d: failed dequeue of %u wrote %u of its %u slots\n",
				(int)rte_lcore_id(), j->n, bad, j->n);
			j->ret = -1;
		}
		break;
	case CT_DRAIN:
		j->done = ct_drain(j->mp, NULL, j->objs, j->n);
		break;
	}
}

static int
ct_job_lcore(void *arg)
{
	ct_job_run(arg);
	return 0;
}

static void *
ct_job_thread(void *arg)
{
	ct_job_run(arg);
	return NULL;
}

/* Where a job runs: the main lcore, a worker lcore, an unregistered thread. */
enum ct_where { CT_MAIN, CT_WORKER, CT_THREAD };

static const char * const ct_where_name[] = {
	[CT_MAIN] = "main lcore",
	[CT_WORKER] = "worker lcore",
	[CT_THREAD] = "non-EAL thread",
};

static int
ct_run(struct ct_job *j, enum ct_where where)
{
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	pthread_t th;

	if (where == CT_MAIN) {
		ct_job_run(j);
	} else if (where == CT_WORKER) {
		if (rte_eal_remote_launch(ct_job_lcore, j, worker) != 0)
			return -1;
		rte_eal_wait_lcore(worker);
	} else {
		if (pthread_create(&th, NULL, ct_job_thread, j) != 0)
			return -1;
		pthread_join(th, NULL);
	}
	return j->ret;
}

#define FG_N 4096
#define FG_RUN 16
#define FG_TAKE 20
#define FG_KEEP 8

static int
test_failed_dequeue(void)
{
	static const unsigned int more[] = { 1, 64, FG_N };
	struct rte_mempool *mp;
	struct ct_job j = { 0 };
	void **objs = calloc(FG_N, sizeof(void *));
	void **table = calloc(2 * FG_N, sizeof(void *));
	void **held = calloc(FG_N, sizeof(void *));
	void *kept[FG_TAKE];
	unsigned int k, nheld = 0, nfree, ngot, i, w;
	int rc = TEST_FAILED;

	if (rte_lcore_count() < 2) {
		printf("needs 2 lcores\n");
		free(objs);
		free(table);
		free(held);
		return TEST_SKIPPED;
	}
	TEST_ASSERT(objs != NULL && table != NULL && held != NULL, "tables");
	mp = ct_pool("pf_ct_dequeue", RTE_MEMPOOL_PAGEFRAG_OPS_NAME, FG_N,
		1024, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	j.mp = mp;

	/* the main lcore takes everything: several pages */
	k = ct_drain(mp, NULL, objs, FG_N);
	if (k != FG_N) {
		printf("%u of %u objects could be taken at the start\n", k, FG_N);
		goto out;
	}
	/* free objects in every state the driver knows */
	j.op = CT_PUT;
	j.objs = objs;			/* first page: not the current one */
	j.n = FG_RUN;
	if (ct_run(&j, CT_MAIN) != 0)
		goto out;
	j.objs = &objs[FG_N - FG_RUN];	/* the main lcore's page: a rewind */
	if (ct_run(&j, CT_MAIN) != 0)
		goto out;
	j.objs = &objs[FG_N / 3];	/* remote frees from a worker lcore */
	if (ct_run(&j, CT_WORKER) != 0)
		goto out;
	j.objs = &objs[2 * FG_N / 3];	/* and from a non-EAL thread */
	if (ct_run(&j, CT_THREAD) != 0)
		goto out;
	/* the worker lcore's frag cache: it takes some, gives most back */
	j.op = CT_TAKE_KEEP;
	j.objs = kept;
	j.n = FG_TAKE;
	j.keep = FG_KEEP;
	if (ct_run(&j, CT_WORKER) != 0)
		goto out;
	for (i = FG_RUN; i < FG_N - FG_RUN; i++)
		if ((i < FG_N / 3 || i >= FG_N / 3 + FG_RUN) &&
				(i < 2 * FG_N / 3 || i >= 2 * FG_N / 3 + FG_RUN))
			held[nheld++] = objs[i];
	for (i = 0; i < FG_KEEP; i++)
		held[nheld++] = kept[i];
	nfree = FG_N - nheld;
	if (ct_avail_is(mp, nfree, "after the set-up") != 0)
		goto out;

	/* more than there is, from every kind of thread */
	j.op = CT_FAIL_GET;
	j.objs = table;
	for (w = CT_MAIN; w <= CT_THREAD; w++)
		for (i = 0; i < RTE_DIM(more); i++) {
			j.n = nfree + more[i];
			if (ct_run(&j, w) != 0) {
				printf("failed dequeue of %u with %u free on the %s wrote into its table\n",
					j.n, nfree, ct_where_name[w]);
				goto out;
			}
			if (ct_avail_is(mp, nfree,
					"after a failed dequeue") != 0)
				goto out;
		}

	/* every free object, once */
	j.op = CT_DRAIN;
	ngot = 0;
	for (w = CT_MAIN; w <= CT_THREAD + 1; w++) {
		j.objs = &table[ngot];
		j.n = 2 * FG_N - ngot;
		ct_run(&j, w > CT_THREAD ? CT_MAIN : w);
		ngot += j.done;
	}
	if (ct_check_set(mp, table, ngot, held, nheld, nfree,
			"draining after the failed dequeues") != 0)
		goto out;
	rte_mempool_ops_enqueue_bulk(mp, table, ngot);
	rte_mempool_ops_enqueue_bulk(mp, held, nheld);
	if (ct_avail_is(mp, FG_N, "at the end") != 0)
		goto out;
	rc = TEST_SUCCESS;
out:
	rte_mempool_free(mp);
	free(objs);
	free(table);
	free(held);
	return rc;
}

/* ---- 2: put and get of 0 objects ---- */

#define ZERO_N 256

static int
zero_objects(unsigned int cache_size)
{
	struct rte_mempool *mp;
	struct rte_mempool_cache *cache;
	void *objs[ZERO_N], *some[10];
	unsigned int k;
	int ret;

	mp = ct_pool("pf_ct_zero", RTE_MEMPOOL_PAGEFRAG_OPS_NAME, ZERO_N, 64,
		cache_size);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	cache = rte_mempool_default_cache(mp, rte_lcore_id());
	/* some objects out, so that the pool is not in its initial state */
	TEST_ASSERT_SUCCESS(rte_mempool_get_bulk(mp, some, RTE_DIM(some)),
		"get");
	k = rte_mempool_avail_count(mp);

	ret = rte_mempool_ops_enqueue_bulk(mp, NULL, 0);
	TEST_ASSERT_SUCCESS(ret, "rte_mempool_ops_enqueue_bulk(mp, NULL, 0)");
	ret = rte_mempool_ops_dequeue_bulk(mp, NULL, 0);
	TEST_ASSERT_SUCCESS(ret, "rte_mempool_ops_dequeue_bulk(mp, NULL, 0)");
	ret = rte_mempool_ops_enqueue_bulk(mp, objs, 0);
	TEST_ASSERT_SUCCESS(ret, "rte_mempool_ops_enqueue_bulk(mp, objs, 0)");
	rte_mempool_put_bulk(mp, NULL, 0);
	rte_mempool_generic_put(mp, NULL, 0, NULL);
	if (cache != NULL) {
		rte_mempool_generic_put(mp, NULL, 0, cache);
		rte_mempool_cache_flush(cache, mp);
		rte_mempool_cache_flush(cache, mp);	/* of an empty cache */
	}
	TEST_ASSERT_SUCCESS(rte_mempool_get_bulk(mp, NULL, 0),
		"rte_mempool_get_bulk(mp, NULL, 0)");
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, NULL, 0, NULL),
		"rte_mempool_generic_get(mp, NULL, 0, NULL)");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), k,
		"avail after put and get of 0 objects (cache %u)", cache_size);

	if (cache != NULL)
		rte_mempool_cache_flush(cache, mp);
	k = ct_drain(mp, NULL, objs, ZERO_N);
	if (ct_check_set(mp, objs, k, some, RTE_DIM(some),
			ZERO_N - RTE_DIM(some), "after put/get of 0") != 0)
		return TEST_FAILED;
	rte_mempool_generic_put(mp, objs, k, NULL);
	rte_mempool_put_bulk(mp, some, RTE_DIM(some));
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), ZERO_N, "avail at the end");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

static int
test_zero_objects(void)
{
	int ret = zero_objects(0);

	if (ret == TEST_SUCCESS)
		ret = zero_objects(32);
	return ret;
}

/* ---- 3: populate fails, DPDK frees the chunks, populate again ---- */

#define RP_N 16384
#define RP_ELT 256
#define RP_CHUNK (2u << 20)
#define RP_USE 64

struct ct_chunk_freed {
	unsigned int calls;
};

static void
ct_chunk_free_cb(struct rte_mempool_memhdr *memhdr, void *opaque)
{
	struct ct_chunk_freed *f = opaque;

	RTE_SET_USED(memhdr);
	f->calls++;	/* the memory stays mapped: the test frees it */
}

static int
test_populate_again(void)
{
	struct rte_mempool_pagefrag_rcache *rc_cache = NULL;
	struct ct_chunk_freed freed = { 0 };
	struct ct_job j = { 0 };
	struct rte_mempool *mp;
	void *chunk = NULL, *small = NULL, **objs = NULL;
	uintptr_t lo, hi;
	unsigned int k, i, w, stale = 0;
	int two = rte_lcore_count() >= 2;
	int ret, rc = TEST_FAILED;

	TEST_ASSERT_SUCCESS(posix_memalign(&chunk, RP_CHUNK, RP_CHUNK),
		"memalign");
	TEST_ASSERT_SUCCESS(posix_memalign(&small, 4096, 4096), "memalign");
	objs = calloc(2 * RP_N, sizeof(void *));
	TEST_ASSERT_NOT_NULL(objs, "table");
	lo = (uintptr_t)chunk;
	hi = lo + RP_CHUNK;
	mp = rte_mempool_create_empty("pf_ct_repop", RP_N, RP_ELT, 0, 0,
		SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mp, "create_empty");
	ret = rte_mempool_set_ops_byname(mp, RTE_MEMPOOL_PAGEFRAG_OPS_NAME, NULL);
	if (ret != 0)
		goto out;
	/* a first chunk the driver accepts: part of the pool */
	ret = rte_mempool_populate_iova(mp, chunk, RTE_BAD_IOVA, RP_CHUNK,
		ct_chunk_free_cb, &freed);
	if (ret <= 0 || (unsigned int)ret >= RP_N) {
		printf("populate with a 2 MB chunk gave %d objects\n", ret);
		goto out;
	}
	printf("first populate: %d objects in [%#" PRIxPTR ", %#" PRIxPTR ")\n",
		ret, lo, hi);
	/*
	 * Objects of a partly populated pool can be used at once: both
	 * lcores take some and give them back, their frag caches keep the
	 * rest of their pages.
	 */
	j.mp = mp;
	j.op = CT_TAKE_KEEP;
	j.objs = objs;
	j.n = RP_USE;
	j.keep = 0;
	if (ct_run(&j, CT_MAIN) != 0 ||
			(two && ct_run(&j, CT_WORKER) != 0))
		goto out;
	/*
	 * A queue's ring-level cache keeps free objects of its page: DPDK's
	 * emptying of the pool before it frees the chunks cannot reach them.
	 */
	rc_cache = rte_mempool_pagefrag_rcache_create(mp, SOCKET_ID_ANY);
	if (rc_cache == NULL ||
			rte_mempool_pagefrag_rcache_alloc(rc_cache, objs, 8) != 0 ||
			rte_mempool_pagefrag_rcache_free(rc_cache, objs, 8) != 0) {
		printf("ring-level cache on the first chunk\n");
		goto out;
	}
	/*
	 * A second populate the driver refuses (too short for a page header
	 * and one object): populate_virt() then frees every chunk of the
	 * pool, the accepted one too (rte_mempool_free_memchunks).
	 */
	ret = rte_mempool_populate_virt(mp, small, 64, 4096, NULL, NULL);
	if (ret >= 0 || freed.calls != 1 || mp->populated_size != 0 ||
			mp->nb_mem_chunks != 0) {
		printf("populate_virt of 64 bytes: %d, free callback called %u times, populated %u, chunks %u: the failure path was not taken\n",
			ret, freed.calls, mp->populated_size, mp->nb_mem_chunks);
		goto out;
	}
	/* the application populates again with fresh memory */
	ret = rte_mempool_populate_default(mp);
	if (ret < 0 || mp->populated_size != RP_N) {
		printf("populate_default after the failure: %d, %u of %u\n",
			ret, mp->populated_size, RP_N);
		goto out;
	}
	/* the queue's cache first, then main, worker, main */
	if (rte_mempool_pagefrag_rcache_alloc(rc_cache, objs, 8) != 0) {
		printf("ring-level cache after populating again\n");
		goto out;
	}
	/* the rest of its page back to the pool (queue stop) */
	rte_mempool_pagefrag_rcache_drain(rc_cache);
	j.op = CT_DRAIN;
	k = 8;
	for (w = 0; w < 3; w++) {
		j.objs = &objs[k];
		j.n = 2 * RP_N - k;
		if (w != 1)
			ct_run(&j, CT_MAIN);
		else if (two)
			ct_run(&j, CT_WORKER);
		else
			continue;
		k += j.done;
	}
	for (i = 0; i < k; i++)
		if ((uintptr_t)objs[i] >= lo && (uintptr_t)objs[i] < hi &&
				stale++ == 0)
			printf("object %p lies in the chunk DPDK freed\n", objs[i]);
	if (stale != 0)
		printf("%u of %u objects handed out lie in the freed chunk\n",
			stale, k);
	if (ct_check_set(mp, objs, k, NULL, 0, RP_N,
			"taking every object after populating again") != 0 ||
			stale != 0)
		goto out;
	rte_mempool_generic_put(mp, objs, k, NULL);
	rte_mempool_pagefrag_rcache_destroy(rc_cache);
	rc_cache = NULL;
	if (ct_avail_is(mp, RP_N, "at the end") != 0)
		goto out;
	rc = TEST_SUCCESS;
out:
	/* the pool first: a driver that kept the old pages may touch them */
	rte_mempool_pagefrag_rcache_destroy(rc_cache);
	rte_mempool_free(mp);
	free(chunk);
	free(small);
	free(objs);
	return rc;
}

/* ---- 4: rte_mempool_free() with objects out ---- */

#define FW_N 65536
#define FW_TAKE 100

/* Take FW_TAKE objects, give the first half back, keep the rest out. */
static int
ct_use_lcore(void *arg)
{
	struct rte_mempool *mp = arg;
	void *objs[FW_TAKE];

	if (rte_mempool_get_bulk(mp, objs, FW_TAKE) != 0)
		return -1;
	rte_mempool_put_bulk(mp, objs, FW_TAKE / 2);
	return 0;
}

static int
test_free_no_warning(void)
{
	static const char * const bad[] = {
		"no free page left", "running on partial pages",
	};
	struct rte_mempool *mp;
	unsigned int worker = rte_get_next_lcore(-1, 1, 0), i;
	char *text = NULL, *line;
	size_t len = 0;
	FILE *f;
	int found = 0;

	if (rte_lcore_count() < 2) {
		printf("needs 2 lcores\n");
		return TEST_SKIPPED;
	}
	mp = ct_pool("pf_ct_freelog", RTE_MEMPOOL_PAGEFRAG_OPS_NAME, FW_N, 64,
		32);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	/* both lcores' frag caches on partly carved pages, objects out */
	TEST_ASSERT_SUCCESS(ct_use_lcore(mp), "use on the main lcore");
	TEST_ASSERT_SUCCESS(rte_eal_remote_launch(ct_use_lcore, mp, worker),
		"launch");
	TEST_ASSERT_SUCCESS(rte_eal_wait_lcore(worker), "use on lcore %u",
		worker);
	rte_mempool_pagefrag_cache_flush(mp);	/* this lcore: nothing bad */
	TEST_ASSERT_SUCCESS(ct_use_lcore(mp), "use on the main lcore again");

	f = open_memstream(&text, &len);
	TEST_ASSERT_NOT_NULL(f, "open_memstream");
	rte_openlog_stream(f);
	rte_mempool_free(mp);
	rte_openlog_stream(NULL);
	fclose(f);
	printf("log of rte_mempool_free() with %u objects out:\n%s",
		3 * FW_TAKE / 2, text);
	for (line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n"))
		for (i = 0; i < RTE_DIM(bad); i++)
			if (strstr(line, bad[i]) != NULL) {
				printf("false warning during DPDK's drain before the free: %s\n",
					line);
				found++;
				break;
			}
	free(text);
	TEST_ASSERT_EQUAL(found, 0, "rte_mempool_free() logged false warnings");
	return TEST_SUCCESS;
}

/*
 * Seconds rte_mempool_free() takes for a pool of n 64-byte objects of
 * which three quarters are out; < 0 on error.
 */
static double
ct_free_time(const char *ops, unsigned int n)
{
	struct rte_mempool *mp = ct_pool("pf_ct_freecost", ops, n, 64, 0);
	void **objs = calloc(n, sizeof(void *));
	unsigned int out = 3 * (n / 4), k;
	uint64_t t0;

	if (mp == NULL || objs == NULL) {
		rte_mempool_free(mp);
		free(objs);
		return -1;
	}
	for (k = 0; k < out; k += 256)
		if (rte_mempool_generic_get(mp, &objs[k], RTE_MIN(256u, out - k),
				NULL) != 0) {
			printf("%s: cannot take %u of %u objects out\n", ops,
				out, n);
			rte_mempool_free(mp);
			free(objs);
			return -1;
		}
	t0 = rte_get_timer_cycles();
	rte_mempool_free(mp);
	t0 = rte_get_timer_cycles() - t0;
	free(objs);
	return (double)t0 / rte_get_timer_hz();
}

/* The least of three runs: this machine is noisy. */
static double
ct_free_time_min(const char *ops, unsigned int n)
{
	double best = -1, t;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		t = ct_free_time(ops, n);
		if (t < 0)
			return -1;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

#define FC_N 65536
/* fail only above this many seconds: below it, timer noise dominates */
#define FC_FLOOR 0.05

static int
test_free_cost(void)
{
	double t1, t4, ring;
	int log_level = rte_log_get_global_level();

	/* a driver that warns on every failed dequeue would dominate the time */
	rte_log_set_global_level(RTE_LOG_ERR);
	t1 = ct_free_time_min(RTE_MEMPOOL_PAGEFRAG_OPS_NAME, FC_N);
	t4 = ct_free_time_min(RTE_MEMPOOL_PAGEFRAG_OPS_NAME, 4 * FC_N);
	ring = ct_free_time_min(CT_RING_OPS, 4 * FC_N);
	rte_log_set_global_level(log_level);
	TEST_ASSERT(t1 >= 0 && t4 >= 0 && ring >= 0, "pools");
	printf("rte_mempool_free() with 3/4 of the objects out: pagefrag %u objects %.4f s, %u objects %.4f s (x%.1f); ring_mp_mc %u objects %.4f s\n",
		FC_N, t1, 4 * FC_N, t4, t1 > 0 ? t4 / t1 : 0.0, 4 * FC_N,
		ring);
	TEST_ASSERT(t4 < FC_FLOOR || t4 < 8 * t1,
		"rte_mempool_free() is super-linear: 4x the objects take %.1fx the time (%.4f s -> %.4f s; linear is 4x)",
		t1 > 0 ? t4 / t1 : 0.0, t1, t4);
	return TEST_SUCCESS;
}

/* put of 0 objects last: on a driver that reads objs[0] it crashes */
static const struct unit_test_case contract_cases[] = {
	{ "failed get leaves the mempool cache intact (pagefrag)", test_rollback_pagefrag },
	{ "failed get leaves the mempool cache intact (ring_mp_mc control)", test_rollback_ring },
	{ "failed dequeue writes nothing, any state, any thread", test_failed_dequeue },
	{ "populate fails, then populate again", test_populate_again },
	{ "free with objects out: no false warning", test_free_no_warning },
	{ "free with objects out: linear cost", test_free_cost },
	{ "put and get of 0 objects", test_zero_objects },
};

static int
test_contract(void)
{
	return run_test_suite("pagefrag_contract_autotest", contract_cases,
		RTE_DIM(contract_cases));
}

REGISTER_TEST_COMMAND(pagefrag_contract_autotest, test_contract);
