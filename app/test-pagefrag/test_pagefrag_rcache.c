/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * pagefrag_rcache_autotest: the ring-level frag cache a PMD keeps per
 * queue, its drain and the bulk release grouped by page.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_random.h>

#include <rte_mempool_pagefrag.h>

#include "test.h"
#include "test_pagefrag_util.h"

#define NB_OBJS 4096

/* Objects a queue holds in its cache stay counted; drain is exact. */
static int
test_rcache_accounting(void)
{
	struct rte_mempool_pagefrag_rcache *rc;
	struct rte_mempool_pagefrag_stats st;
	struct rte_mempool *mp;
	void *objs[100];
	uint64_t a;
	unsigned int refs;

	mp = pf_test_pool("pf_rc_acct", NB_OBJS, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	rc = rte_mempool_pagefrag_rcache_create(mp, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(rc, "rcache_create");
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc(rc, objs, 100),
		"rcache_alloc");
	for (unsigned int i = 1; i < 100; i++)
		TEST_ASSERT((char *)objs[i] > (char *)objs[i - 1],
			"ring cache hands out in address order");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_OBJS - 100,
		"avail with 100 objects on the queue, the rest of its page cached");
	a = pf_test_atomics(mp);
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_free(rc, objs, 100),
		"rcache_free");
	TEST_ASSERT_EQUAL(pf_test_atomics(mp) - a, 0,
		"atomics to give back the last carved run");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_OBJS, "avail");
	/* take 10 more, drain: one atomic, every unspent reference released */
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc(rc, objs, 10),
		"rcache_alloc");
	rte_mempool_pagefrag_stats_get(mp, &st);
	a = st.atomics;
	refs = rte_mempool_pagefrag_rcache_drain(rc);
	rte_mempool_pagefrag_stats_get(mp, &st);
	TEST_ASSERT_EQUAL(st.atomics - a, 1, "atomics of one drain");
	TEST_ASSERT_EQUAL(refs, st.objs_per_page - 10 + 1,
		"references released by the drain");
	TEST_ASSERT_EQUAL(st.drains, 1, "drains counted");
	TEST_ASSERT_EQUAL(st.drain_refs, refs, "drain_refs counted");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_OBJS - 10,
		"avail after drain");
	TEST_ASSERT_EQUAL(rte_mempool_pagefrag_rcache_drain(rc), 0,
		"second drain has nothing to release");
	/* the queue's 10 objects go back to the pool after the drain */
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_put_bulk(mp, objs, 10),
		"put_bulk");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_OBJS, "avail");
	/* the drained objects are obtainable by anyone */
	{
		void **all = calloc(NB_OBJS, sizeof(void *));

		TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, all, NB_OBJS,
			NULL), "get every object after a drain");
		rte_mempool_generic_put(mp, all, NB_OBJS, NULL);
		free(all);
	}
	rte_mempool_pagefrag_rcache_destroy(rc);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_OBJS, "avail");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

/* Releasing a descriptor ring's worth of objects: one atomic per page run. */
static int
test_rcache_bulk_release(void)
{
	struct rte_mempool_pagefrag_rcache *rc, *other;
	struct rte_mempool_pagefrag_stats st;
	struct rte_mempool *mp;
	void **objs;
	uint64_t a;

	mp = pf_test_pool("pf_rc_bulk", 2 * NB_OBJS, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	rc = rte_mempool_pagefrag_rcache_create(mp, SOCKET_ID_ANY);
	other = rte_mempool_pagefrag_rcache_create(mp, SOCKET_ID_ANY);
	TEST_ASSERT(rc != NULL && other != NULL, "rcache_create");
	objs = calloc(NB_OBJS, sizeof(void *));
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc(rc, objs, NB_OBJS),
		"fill a 4096-descriptor ring");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_OBJS, "avail");
	rte_mempool_pagefrag_stats_get(mp, &st);
	a = st.atomics;
	/* released through another queue: no rewind, grouped by page */
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_free(other, objs,
		NB_OBJS), "rcache_free");
	rte_mempool_pagefrag_stats_get(mp, &st);
	printf("release of %u objects on %" PRIu64 "-object pages: %" PRIu64
		" atomics\n", NB_OBJS, st.objs_per_page, st.atomics - a);
	/* per page: one refcount update + at most one OR per freemap word */
	TEST_ASSERT(st.atomics - a <= (NB_OBJS / st.objs_per_page + 1) *
		(st.objs_per_page / 64 + 2), "%" PRIu64 " atomics for %u objects",
		st.atomics - a, NB_OBJS);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), 2 * NB_OBJS, "avail");
	rte_mempool_pagefrag_rcache_destroy(rc);
	rte_mempool_pagefrag_rcache_destroy(other);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), 2 * NB_OBJS, "avail");
	free(objs);
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

/* Ring caches, lcore caches and the mempool cache mixed: counts exact. */
static int
test_rcache_mixed(void)
{
	struct rte_mempool_pagefrag_rcache *rc[4];
	struct rte_mempool *mp;
	void *held[4][256], *lobjs[64];
	unsigned int nheld[4] = { 0 }, i, q;

	mp = pf_test_pool("pf_rc_mix", NB_OBJS, 512, 64, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	for (q = 0; q < 4; q++) {
		rc[q] = rte_mempool_pagefrag_rcache_create(mp, SOCKET_ID_ANY);
		TEST_ASSERT_NOT_NULL(rc[q], "rcache_create");
	}
	for (i = 0; i < 20000; i++) {
		q = rte_rand_max(4);
		unsigned int k = 1 + rte_rand_max(32);

		if (nheld[q] + k <= 256 && rte_rand_max(2) &&
				rte_mempool_pagefrag_rcache_alloc(rc[q],
					&held[q][nheld[q]], k) == 0) {
			nheld[q] += k;
		} else if (nheld[q] >= k) {
			nheld[q] -= k;
			rte_mempool_pagefrag_rcache_free(rc[(q + i) % 4],
				&held[q][nheld[q]], k);
		}
		if (rte_mempool_get_bulk(mp, lobjs, 1 + i % 64) == 0)
			rte_mempool_put_bulk(mp, lobjs, 1 + i % 64);
		if (i % 5000 == 0)
			rte_mempool_pagefrag_rcache_drain(rc[q]);
	}
	for (q = 0; q < 4; q++) {
		rte_mempool_pagefrag_rcache_free(rc[q], held[q], nheld[q]);
		rte_mempool_pagefrag_rcache_destroy(rc[q]);
	}
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_OBJS, "avail");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

static int
test_rcache_bad_pool(void)
{
	struct rte_mempool *mp;

	mp = rte_mempool_create("pf_rc_ring", 64, 64, 0, 0, NULL, NULL, NULL,
		NULL, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mp, "ring pool");
	TEST_ASSERT(rte_mempool_pagefrag_rcache_create(mp, SOCKET_ID_ANY) == NULL,
		"ring cache on a ring pool");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "rte_errno");
	TEST_ASSERT_EQUAL(rte_mempool_pagefrag_put_bulk(mp, NULL, 0), -EINVAL,
		"put_bulk on a ring pool");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

/*
 * The mbuf variant: mbufs come reset, as from rte_pktmbuf_alloc_bulk(),
 * even when their last user left them dirty; a request larger than the
 * pool takes nothing.
 */
#define MB_N	64

static int
test_rcache_mbufs(void)
{
	struct rte_mempool_pagefrag_rcache *rc;
	struct rte_mbuf *m[MB_N], *again[MB_N], *big[2 * MB_N];
	struct rte_mempool *mp;
	unsigned int i;

	mp = rte_pktmbuf_pool_create_by_ops("pf_rc_mbuf", MB_N, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY,
		RTE_MEMPOOL_PAGEFRAG_OPS_NAME);
	TEST_ASSERT_NOT_NULL(mp, "mbuf pool: %s", rte_strerror(rte_errno));
	rc = rte_mempool_pagefrag_rcache_create(mp, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(rc, "rcache_create");
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc, m,
		MB_N / 2), "alloc_mbufs");
	for (i = 0; i < MB_N / 2; i++) {
		/* what a packet leaves in a raw mbuf it gives back */
		m[i]->data_off = 3;
		m[i]->data_len = 60;
		m[i]->pkt_len = 60;
		m[i]->port = 1;
		m[i]->packet_type = RTE_PTYPE_L2_ETHER;
		m[i]->ol_flags = RTE_MBUF_F_RX_VLAN;
	}
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_free(rc, (void **)m,
		MB_N / 2), "rcache_free");
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc, again,
		MB_N / 2), "alloc_mbufs again");
	for (i = 0; i < MB_N / 2; i++) {
		struct rte_mbuf *x = again[i];

		TEST_ASSERT(x->data_off == RTE_MIN(RTE_PKTMBUF_HEADROOM,
				x->buf_len) && x->data_len == 0 &&
				x->pkt_len == 0 && x->packet_type == 0 &&
				x->port == RTE_MBUF_PORT_INVALID &&
				x->ol_flags == 0 && x->nb_segs == 1 &&
				x->next == NULL &&
				rte_mbuf_refcnt_read(x) == 1 && x->pool == mp,
			"mbuf %u not reset: data_off %u, pkt_len %u, port %u, ol_flags %#" PRIx64,
			i, x->data_off, x->pkt_len, x->port, x->ol_flags);
	}
	/* more than the pool holds: nothing taken */
	TEST_ASSERT_EQUAL(rte_mempool_pagefrag_rcache_alloc_mbufs(rc, big,
		MB_N), -ENOBUFS, "alloc_mbufs beyond the pool");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), MB_N / 2,
		"avail after a refused alloc_mbufs");
	rte_pktmbuf_free_bulk(again, MB_N / 2);
	rte_mempool_pagefrag_rcache_destroy(rc);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), MB_N, "avail at the end");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

/* Does every pointer of a[0..n) appear in b[0..n)? (sorts both) */
static int
same_set(void **a, void **b, unsigned int n)
{
	qsort(a, n, sizeof(void *), pf_test_cmp_ptr);
	qsort(b, n, sizeof(void *), pf_test_cmp_ptr);
	return memcmp(a, b, n * sizeof(void *)) == 0;
}

/*
 * Direct recycling: the mbufs a queue refilled and the application freed
 * on the same lcore (in one put, one by one, with and without a mempool
 * cache, two queues mixed in one put) are the ones the queues get next,
 * with no atomic: the page carve is not the steady state.
 */
#define RC_BURST 32
#define RC_ROUNDS 1000

static int
recycle_rounds(struct rte_mempool *mp, unsigned int cache, unsigned int nq,
		int one_by_one)
{
	struct rte_mempool_pagefrag_rcache *rc[2];
	void *got[2 * RC_BURST], *freed[2 * RC_BURST], *mixed[2 * RC_BURST];
	uint64_t a0, a1, carved0, carved1;
	struct rte_mempool_pagefrag_stats st;
	unsigned int r, q, i, n = nq * RC_BURST;

	for (q = 0; q < nq; q++) {
		rc[q] = rte_mempool_pagefrag_rcache_create(mp, SOCKET_ID_ANY);
		TEST_ASSERT_NOT_NULL(rc[q], "rcache_create");
	}
	rte_mempool_pagefrag_stats_get(mp, &st);
	a0 = st.atomics;
	carved0 = st.gets;
	for (r = 0; r < RC_ROUNDS; r++) {
		for (q = 0; q < nq; q++)
			TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc(
				rc[q], &got[q * RC_BURST], RC_BURST),
				"refill of queue %u, round %u", q, r);
		/* what the next refills must hand out again */
		if (r > 0)
			TEST_ASSERT(same_set(freed, memcpy(mixed, got,
				sizeof(got)), n),
				"cache %u, %u queue(s)%s: round %u did not get back the mbufs freed before it",
				cache, nq, one_by_one ? ", one by one" : "", r);
		/* the application frees them, queues interleaved */
		for (i = 0; i < n; i++)
			mixed[i] = got[(i % nq) * RC_BURST + i / nq];
		memcpy(freed, mixed, sizeof(mixed));
		if (one_by_one) {
			for (i = 0; i < n; i++)
				rte_mempool_put(mp, mixed[i]);
		} else {
			rte_mempool_put_bulk(mp, mixed, n);
		}
		memcpy(freed, mixed, n * sizeof(void *));
	}
	rte_mempool_pagefrag_stats_get(mp, &st);
	a1 = st.atomics;
	carved1 = st.gets;
	printf("cache %u, %u queue(s), %s: %" PRIu64 " atomics for %u mbufs, %" PRIu64 " taken by the driver's gets\n",
		cache, nq, one_by_one ? "one by one" : "one put",
		a1 - a0, RC_ROUNDS * n, carved1 - carved0);
	TEST_ASSERT(a1 - a0 <= RC_ROUNDS * n / 10,
		"%" PRIu64 " atomics for %u mbufs: more than 0.1 per mbuf",
		a1 - a0, RC_ROUNDS * n);
	for (q = 0; q < nq; q++)
		rte_mempool_pagefrag_rcache_destroy(rc[q]);
	return TEST_SUCCESS;
}

static int
test_rcache_recycling(void)
{
	static const unsigned int caches[] = { 0, 256 };
	struct rte_mempool *mp;
	unsigned int c, nq;
	int one;

	for (c = 0; c < RTE_DIM(caches); c++) {
		mp = pf_test_pool("pf_rc_recycle", 2 * NB_OBJS, 2048,
			caches[c], 0);
		TEST_ASSERT_NOT_NULL(mp, "pool");
		for (nq = 1; nq <= 2; nq++)
			for (one = 0; one <= 1; one++)
				if (recycle_rounds(mp, caches[c], nq, one) !=
						TEST_SUCCESS) {
					rte_mempool_free(mp);
					return TEST_FAILED;
				}
		rte_mempool_cache_flush(rte_mempool_default_cache(mp,
			rte_lcore_id()), mp);
		TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), 2 * NB_OBJS,
			"avail after recycling, cache %u", caches[c]);
		rte_mempool_free(mp);
	}
	return TEST_SUCCESS;
}

/*
 * Bad input among recycled objects: a run that goes past its page's last
 * object, the same as one of two interleaved runs, and a pointer inside an
 * object are refused with -EINVAL; every good object of the same puts is
 * taken, and no bad pointer is ever handed out.
 */
static int __rte_unused
test_recycle_bad_input(void)
{
	struct rte_mempool_pagefrag_rcache *rc;
	struct rte_mempool_pagefrag_stats st;
	struct rte_mempool *mp;
	void **objs, **pa, **pb, **all, *bad[3], *put[16];
	uintptr_t elt;
	unsigned int opp, n, i, k;

	mp = pf_test_pool("pf_rc_badrun", 2 * NB_OBJS, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	rte_mempool_pagefrag_stats_get(mp, &st);
	opp = st.objs_per_page;
	elt = mp->header_size + mp->elt_size + mp->trailer_size;
	rc = rte_mempool_pagefrag_rcache_create(mp, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(rc, "rcache_create");
	objs = calloc(2 * opp, sizeof(void *));
	all = calloc(2 * NB_OBJS, sizeof(void *));
	TEST_ASSERT(objs != NULL && all != NULL, "memory");
	/* two whole pages, each in address order */
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc(rc, objs,
		2 * opp), "two pages from the ring-level cache");
	pa = objs;
	pb = objs + opp;
	TEST_ASSERT((uintptr_t)pa[opp - 1] - (uintptr_t)pa[0] ==
		(opp - 1) * elt && (uintptr_t)pb[opp - 1] - (uintptr_t)pb[0] ==
		(opp - 1) * elt, "two pages in address order");
	bad[0] = (void *)((uintptr_t)pa[opp - 1] + elt);	/* past page A */
	bad[1] = (void *)((uintptr_t)pb[opp - 1] + elt);	/* past page B */
	bad[2] = (void *)((uintptr_t)pa[10] + 64);	/* inside an object */

	/* one run: the last 4 objects of page A, then past its end */
	for (i = 0; i < 4; i++)
		put[i] = pa[opp - 4 + i];
	put[4] = bad[0];
	TEST_ASSERT_EQUAL(rte_mempool_pagefrag_put_bulk(mp, put, 5), -EINVAL,
		"a run past the page's last object");
	/* two runs interleaved: pa[0..4) and page B's last 3, then past it */
	for (i = 0, k = 0; i < 4; i++) {
		put[k++] = pa[i];
		put[k++] = i < 3 ? pb[opp - 3 + i] : bad[1];
	}
	TEST_ASSERT_EQUAL(rte_mempool_pagefrag_put_bulk(mp, put, k), -EINVAL,
		"the second of two interleaved runs past the page's end");
	/* a pointer inside an object among good ones */
	put[0] = pa[20];
	put[1] = bad[2];
	put[2] = pa[30];
	TEST_ASSERT_EQUAL(rte_mempool_pagefrag_put_bulk(mp, put, 3), -EINVAL,
		"a pointer inside an object");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp),
		2 * NB_OBJS - 2 * opp + 13, "the good objects of those puts taken");
	/* the rest: pa[4 .. opp - 4) but 20 and 30, pb[0 .. opp - 3) */
	for (i = 0, k = 0; i < 2 * opp; i++)
		if ((i >= 4 && i < opp - 4 && i != 20 && i != 30) ||
				(i >= opp && i < 2 * opp - 3))
			objs[k++] = objs[i];
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_put_bulk(mp, objs, k),
		"the rest of the two pages");
	rte_mempool_pagefrag_rcache_destroy(rc);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), 2 * NB_OBJS,
		"every good object taken, nothing else");
	/* every object once, no bad pointer among them */
	n = 2 * NB_OBJS;
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, all, n, NULL),
		"every object");
	qsort(all, n, sizeof(void *), pf_test_cmp_ptr);
	for (i = 0; i < n; i++) {
		TEST_ASSERT(i == 0 || all[i] != all[i - 1],
			"%p handed out twice", all[i]);
		TEST_ASSERT(all[i] != bad[0] && all[i] != bad[1] &&
			all[i] != bad[2], "bad pointer %p handed out", all[i]);
	}
	rte_mempool_generic_put(mp, all, n, NULL);
	free(objs);
	free(all);
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

/*
 * The objects an idle lcore recycled (its own page's, freed out of order,
 * and other pages', freed there) are free: another lcore running the pool
 * dry gets them, and avail_count counts them.
 */
struct recycle_arg {
	struct rte_mempool *mp;
	void **foreign;
	unsigned int nforeign;
	int ret;
};

static int
recycle_on_worker(void *p)
{
	struct recycle_arg *a = p;
	void *own[96];
	unsigned int i;

	a->ret = rte_mempool_generic_get(a->mp, own, RTE_DIM(own), NULL);
	if (a->ret != 0)
		return a->ret;
	/* its own page's objects, every other one: not runs */
	for (i = 0; i < RTE_DIM(own); i += 2)
		rte_mempool_generic_put(a->mp, &own[i], 1, NULL);
	for (i = 1; i < RTE_DIM(own); i += 2)
		rte_mempool_generic_put(a->mp, &own[i], 1, NULL);
	/* another lcore's objects */
	rte_mempool_generic_put(a->mp, a->foreign, a->nforeign, NULL);
	return 0;
}

static int
test_recycled_obtainable(void)
{
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	struct rte_mempool_pagefrag_stats st;
	struct recycle_arg a;
	struct rte_mempool *mp;
	const unsigned int n = 4000;
	void **objs;

	if (worker >= RTE_MAX_LCORE) {
		printf("needs 2 lcores\n");
		return TEST_SKIPPED;
	}
	mp = pf_test_pool("pf_rc_idle", n, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	objs = calloc(n, sizeof(void *));
	TEST_ASSERT_NOT_NULL(objs, "memory");
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, objs, 40, NULL),
		"main lcore's objects");
	a.mp = mp;
	a.foreign = objs;
	a.nforeign = 40;
	rte_eal_remote_launch(recycle_on_worker, &a, worker);
	rte_eal_wait_lcore(worker);
	TEST_ASSERT_SUCCESS(a.ret, "lcore %u", worker);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), n,
		"avail with objects recycled by an idle lcore");
	/* the main lcore takes everything while the worker idles */
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, objs, n, NULL),
		"main lcore gets every object while lcore %u idles", worker);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), 0, "avail when empty");
	rte_mempool_generic_put(mp, objs, n, NULL);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), n, "avail");
	rte_mempool_pagefrag_cache_flush(mp);
	rte_mempool_pagefrag_stats_get(mp, &st);
	TEST_ASSERT(st.cache_flushes >= 1, "no cache was emptied");
	free(objs);
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

static void
recycle_ext_free(void *addr, void *opaque)
{
	RTE_SET_USED(addr);
	(*(unsigned int *)opaque)++;
}

/*
 * A TX completion gives segments back to the ring-level cache of the RX
 * queue on its lcore (rte_mempool_pagefrag_rcache_recycle_mbufs()): each
 * as rte_pktmbuf_free_seg() would, the pool's last references into the
 * cache with no atomic (the next alloc hands them out again), others'
 * mbufs back to their pool; bad arguments refused, nothing lost.
 */
static int
test_rcache_recycle_mbufs(void)
{
	struct rte_mempool_pagefrag_rcache *rc;
	struct rte_mbuf *m[MB_N], *again[MB_N], *tx[8], *o;
	struct rte_mbuf_ext_shared_info shinfo;
	struct rte_mempool *mp, *other;
	static char ext_buf[256];
	unsigned int i, ext_freed = 0;
	uint64_t a;
	int ret;

	mp = rte_pktmbuf_pool_create_by_ops("pf_rc_recyc", MB_N, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY,
		RTE_MEMPOOL_PAGEFRAG_OPS_NAME);
	other = rte_pktmbuf_pool_create_by_ops("pf_rc_recyc_o", 64, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY, "ring_mp_mc");
	TEST_ASSERT(mp != NULL && other != NULL, "mbuf pools: %s",
		rte_strerror(rte_errno));
	rc = rte_mempool_pagefrag_rcache_create(mp, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(rc, "rcache_create");

	/* bad arguments: refused, nothing taken or lost */
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc, m, 32),
		"alloc_mbufs");
	TEST_ASSERT_EQUAL(rte_mempool_pagefrag_rcache_recycle_mbufs(NULL, m,
		32), -EINVAL, "NULL cache");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "rte_errno");
	TEST_ASSERT_EQUAL(rte_mempool_pagefrag_rcache_recycle_mbufs(rc, NULL,
		32), -EINVAL, "NULL table");
	TEST_ASSERT_EQUAL(rte_mempool_pagefrag_rcache_recycle_mbufs(rc, NULL,
		0), 0, "nothing to recycle");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), MB_N - 32,
		"avail after refusals");

	/* the completion of 32 sent mbufs: back into the cache, no atomic */
	for (i = 0; i < 32; i++)
		m[i]->pkt_len = m[i]->data_len = 60;
	a = pf_test_atomics(mp);
	TEST_ASSERT_EQUAL(rte_mempool_pagefrag_rcache_recycle_mbufs(rc, m, 32),
		32, "32 recycled");
	TEST_ASSERT_EQUAL(pf_test_atomics(mp) - a, 0, "atomics of the recycle");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), MB_N, "avail");
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc, again,
		32), "alloc_mbufs again");
	TEST_ASSERT_EQUAL(pf_test_atomics(mp) - a, 0, "atomics of the refill");
	for (i = 0; i < 32; i++)
		TEST_ASSERT(again[i] == m[31 - i] || again[i] == m[i],
			"refill %u is not a recycled mbuf", i);
	for (i = 0; i < 32; i++)
		TEST_ASSERT(again[i]->pkt_len == 0 && again[i]->nb_segs == 1,
			"recycled mbuf %u not reset", i);

	/*
	 * A TX ring's segments: a second reference (a clone's indirect
	 * mbuf, a refcnt of 2), an mbuf with an external buffer, an
	 * mbuf of another pool, a NULL entry.
	 */
	tx[0] = again[0];
	rte_mbuf_refcnt_update(again[1], 1);
	tx[1] = again[1];
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc,
		&tx[2], 1), "indirect mbuf");
	rte_pktmbuf_attach(tx[2], again[2]);	/* again[2] refcnt 2 */
	tx[3] = again[3];
	rte_mbuf_ext_refcnt_set(&shinfo, 1);
	shinfo.free_cb = recycle_ext_free;
	shinfo.fcb_opaque = &ext_freed;
	rte_pktmbuf_attach_extbuf(tx[3], ext_buf, RTE_BAD_IOVA,
		sizeof(ext_buf), &shinfo);
	o = rte_pktmbuf_alloc(other);
	TEST_ASSERT_NOT_NULL(o, "mbuf of the other pool");
	tx[4] = o;
	tx[5] = NULL;
	tx[6] = again[4];
	tx[7] = again[5];
	ret = rte_mempool_pagefrag_rcache_recycle_mbufs(rc, tx, 8);
	/* again[0], [4], [5], the indirect one and again[3], detached */
	TEST_ASSERT_EQUAL(ret, 5, "recycled: %d", ret);
	TEST_ASSERT_EQUAL(ext_freed, 1, "external buffer freed");
	TEST_ASSERT_EQUAL(rte_mbuf_refcnt_read(again[1]), 1,
		"a second reference dropped, the mbuf kept");
	TEST_ASSERT_EQUAL(rte_mbuf_refcnt_read(again[2]), 1,
		"the indirect mbuf's direct one: one reference left");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(other), 64,
		"the other pool's mbuf back in its pool");
	/* again[1], again[2] and again[6..31] are still out */
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), MB_N - 28, "avail");
	rte_pktmbuf_free(again[1]);
	rte_pktmbuf_free(again[2]);
	rte_pktmbuf_free_bulk(&again[6], 26);
	rte_mempool_pagefrag_rcache_destroy(rc);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), MB_N, "avail at the end");
	rte_mempool_free(mp);
	rte_mempool_free(other);
	return TEST_SUCCESS;
}

static const struct unit_test_case rcache_cases[] = {
	{ "ring cache: accounting exact, drain one atomic", test_rcache_accounting },
	{ "ring cache: bulk release grouped by page", test_rcache_bulk_release },
	{ "ring caches mixed with lcore and mempool caches", test_rcache_mixed },
	{ "ring cache on a non-pagefrag pool", test_rcache_bad_pool },
	{ "ring cache: mbufs reset, all or nothing", test_rcache_mbufs },
	{ "ring cache: the lcore's frees come back hot, no atomic", test_rcache_recycling },
	{ "ring cache: a TX completion recycles its segments", test_rcache_recycle_mbufs },
#ifndef RTE_MEMPOOL_PAGEFRAG_DEBUG
	/* debug builds panic on the first bad put */
	{ "recycling: bad runs and inner pointers refused", test_recycle_bad_input },
#endif
	{ "recycling: an idle lcore's recycled objects obtainable", test_recycled_obtainable },
};

static int
test_rcache(void)
{
	return run_test_suite("pagefrag_rcache_autotest", rcache_cases,
		RTE_DIM(rcache_cases));
}

REGISTER_TEST_COMMAND(pagefrag_rcache_autotest, test_rcache);
