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

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_random.h>

#include <rte_mempool_pagefrag.h>

#include "test.h"
#include "test_pagefrag_util.h"

#define NB_OBJS 4096

static uint64_t
atomics(struct rte_mempool *mp)
{
	struct rte_mempool_pagefrag_stats st;

	rte_mempool_pagefrag_stats_get(mp, &st);
	return st.atomics;
}

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
	a = atomics(mp);
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_free(rc, objs, 100),
		"rcache_free");
	TEST_ASSERT_EQUAL(atomics(mp) - a, 0,
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
	/* per page: one refcount update + one OR per 64-object freemap word */
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

static const struct unit_test_case rcache_cases[] = {
	{ "ring cache: accounting exact, drain one atomic", test_rcache_accounting },
	{ "ring cache: bulk release grouped by page", test_rcache_bulk_release },
	{ "ring caches mixed with lcore and mempool caches", test_rcache_mixed },
	{ "ring cache on a non-pagefrag pool", test_rcache_bad_pool },
	{ "ring cache: mbufs reset, all or nothing", test_rcache_mbufs },
};

static int
test_rcache(void)
{
	return run_test_suite("pagefrag_rcache_autotest", rcache_cases,
		RTE_DIM(rcache_cases));
}

REGISTER_TEST_COMMAND(pagefrag_rcache_autotest, test_rcache);
