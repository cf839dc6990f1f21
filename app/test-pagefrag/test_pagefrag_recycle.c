/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * pagefrag_recycle_autotest: a PMD's TX completion recycling the segments
 * it sent into the ring-level cache of an RX queue
 * (rte_mempool_pagefrag_rcache_recycle_mbufs()): what
 * rte_pktmbuf_free_seg() would do to each segment, the last references of
 * the cache's pool kept by the cache with no atomic, the others given back
 * to their own pools.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_random.h>

#include <rte_mempool_pagefrag.h>
#include <rte_pagefrag.h>

#include "test.h"
#include "test_pagefrag_util.h"

#define NB_MBUFS 2048
#define DATA_ROOM 256
#define BURST 32

static struct rte_mempool *
mbuf_pool(const char *name, unsigned int n, const char *ops)
{
	struct rte_mempool *mp;

	/* no mempool cache: every free reaches the driver */
	mp = rte_pktmbuf_pool_create_by_ops(name, n, 0, 0, DATA_ROOM,
		SOCKET_ID_ANY, ops);
	if (mp == NULL)
		printf("cannot create pool %s: %s\n", name,
			rte_strerror(rte_errno));
	return mp;
}

/* Free objects the pool's ring-level caches hold (in-flight view). */
static uint64_t
ring_held(struct rte_mempool *mp)
{
	struct rte_mempool_pagefrag_inflight inf;

	if (rte_mempool_pagefrag_inflight(mp, 0, &inf, NULL, 0) < 0)
		return UINT64_MAX;
	return inf.objs_ring_cache;
}

/* Is every pointer of a[0..n) in b[0..n)? (sorts copies) */
static int
same_mbufs(struct rte_mbuf * const *a, struct rte_mbuf * const *b,
		unsigned int n)
{
	void **x = calloc(2 * n, sizeof(void *));
	int same;

	if (x == NULL)
		return 0;
	memcpy(x, a, n * sizeof(void *));
	memcpy(x + n, b, n * sizeof(void *));
	qsort(x, n, sizeof(void *), pf_test_cmp_ptr);
	qsort(x + n, n, sizeof(void *), pf_test_cmp_ptr);
	same = memcmp(x, x + n, n * sizeof(void *)) == 0;
	free(x);
	return same;
}

/* Is m among a[0..n)? */
static int
among(const struct rte_mbuf *m, struct rte_mbuf * const *a, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (a[i] == m)
			return 1;
	return 0;
}

/* The mbuf's own data room, as rte_pktmbuf_init() set it. */
static int
own_buffer(const struct rte_mbuf *m)
{
	return RTE_MBUF_DIRECT(m) && m->buf_addr == (const char *)m +
		sizeof(*m) + rte_pktmbuf_priv_size(m->pool);
}

/* Every object of mp obtainable, each once; count exact. */
static int
all_back_once(struct rte_mempool *mp, unsigned int n)
{
	void **all;
	unsigned int i;

	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), n,
		"pool %s: avail %u of %u", mp->name,
		rte_mempool_avail_count(mp), n);
	all = calloc(n, sizeof(void *));
	TEST_ASSERT_NOT_NULL(all, "memory");
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, all, n, NULL),
		"pool %s: every object", mp->name);
	qsort(all, n, sizeof(void *), pf_test_cmp_ptr);
	for (i = 1; i < n; i++)
		TEST_ASSERT(all[i] != all[i - 1], "%p handed out twice",
			all[i]);
	rte_mempool_generic_put(mp, all, n, NULL);
	free(all);
	return TEST_SUCCESS;
}

/* An RX queue: a pagefrag mbuf pool of NB_MBUFS and its ring-level cache. */
static int
queue_open(const char *name, struct rte_mempool **mp,
		struct rte_mempool_pagefrag_rcache **rc)
{
	*mp = mbuf_pool(name, NB_MBUFS, RTE_MEMPOOL_PAGEFRAG_OPS_NAME);
	TEST_ASSERT_NOT_NULL(*mp, "pool %s", name);
	*rc = rte_mempool_pagefrag_rcache_create(*mp, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(*rc, "rcache_create");
	return TEST_SUCCESS;
}

/* Destroy the cache; every mbuf of the pool back, once; free the pool. */
static int
queue_close(struct rte_mempool *mp, struct rte_mempool_pagefrag_rcache *rc)
{
	rte_mempool_pagefrag_rcache_destroy(rc);
	if (all_back_once(mp, NB_MBUFS) != TEST_SUCCESS)
		return TEST_FAILED;
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

/*
 * A completion of n segments of which expect go back to the cache's pool:
 * the call says so, and the cache holds that many more objects.
 */
static int
complete(struct rte_mempool *mp, struct rte_mempool_pagefrag_rcache *rc,
		struct rte_mbuf * const *tx, unsigned int n, unsigned int expect)
{
	uint64_t held = ring_held(mp);
	int ret;

	ret = rte_mempool_pagefrag_rcache_recycle_mbufs(rc, tx, n);
	TEST_ASSERT_EQUAL(ret, (int)expect, "%d recycled of %u, %u expected",
		ret, n, expect);
	TEST_ASSERT_EQUAL(ring_held(mp), held + expect,
		"the ring-level cache holds %" PRIu64 " objects, %" PRIu64
		" before, %u recycled", ring_held(mp), held, expect);
	return TEST_SUCCESS;
}

/*
 * The TX completion of the queue's own mbufs: in order (a run of the
 * cache's page, rewound) and scrambled (recycled), 100 rounds each, every
 * refill gets exactly the mbufs completed before it, reset, with no
 * atomic; the cache holds them meanwhile (not the lcore's frag cache).
 */
static int
test_recycle_own(void)
{
	struct rte_mempool_pagefrag_rcache *rc;
	struct rte_mbuf *m[BURST], *tx[BURST];
	struct rte_mempool *mp;
	unsigned int r, i;
	uint64_t a;

	if (queue_open("pf_rcy_own", &mp, &rc) != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc, m,
		BURST), "first refill");
	a = pf_test_atomics(mp);
	for (r = 0; r < 200; r++) {
		/* what a packet leaves in an mbuf */
		for (i = 0; i < BURST; i++) {
			m[i]->data_off = 7;
			m[i]->pkt_len = m[i]->data_len = 60;
			m[i]->port = 3;
			m[i]->ol_flags = RTE_MBUF_F_TX_VLAN;
		}
		/* the first 100 rounds in order, then even ones first */
		for (i = 0; i < BURST; i++)
			tx[i] = r < 100 ? m[i] :
				m[(2 * i) % BURST + (2 * i >= BURST)];
		if (complete(mp, rc, tx, BURST, BURST) != TEST_SUCCESS)
			return TEST_FAILED;
		TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUFS,
			"round %u: avail", r);
		TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc,
			m, BURST), "round %u: refill", r);
		TEST_ASSERT(same_mbufs(m, tx, BURST),
			"round %u: the refill did not get the completed mbufs", r);
		for (i = 0; i < BURST; i++)
			TEST_ASSERT(m[i]->data_off == RTE_PKTMBUF_HEADROOM &&
				m[i]->pkt_len == 0 && m[i]->ol_flags == 0 &&
				m[i]->port == RTE_MBUF_PORT_INVALID &&
				rte_mbuf_refcnt_read(m[i]) == 1 &&
				m[i]->nb_segs == 1 && m[i]->next == NULL,
				"round %u: mbuf %u not reset", r, i);
	}
	TEST_ASSERT_EQUAL(pf_test_atomics(mp) - a, 0,
		"%" PRIu64 " atomics for 200 rounds of %u",
		pf_test_atomics(mp) - a, BURST);
	if (complete(mp, rc, m, BURST, BURST) != TEST_SUCCESS)
		return TEST_FAILED;
	return queue_close(mp, rc);
}

/*
 * An mbuf with another reference only loses one: it stays with its other
 * holder, the cache never hands it out, and the holder's free returns it.
 * The same mbuf twice in a completion (sent twice) is recycled once.
 */
static int
test_recycle_shared(void)
{
	struct rte_mempool_pagefrag_rcache *rc;
	struct rte_mbuf *m, *again[BURST], *twice[2];
	struct rte_mempool *mp;

	if (queue_open("pf_rcy_ref", &mp, &rc) != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc, &m, 1),
		"alloc");
	rte_mbuf_refcnt_update(m, 1);
	if (complete(mp, rc, &m, 1, 0) != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_EQUAL(rte_mbuf_refcnt_read(m), 1, "refcnt %u after",
		rte_mbuf_refcnt_read(m));
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUFS - 1, "avail");
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc, again,
		BURST), "refill");
	TEST_ASSERT(!among(m, again, BURST),
		"an mbuf still referenced handed out again");
	if (complete(mp, rc, again, BURST, BURST) != TEST_SUCCESS)
		return TEST_FAILED;
	/* its other holder frees it */
	rte_pktmbuf_free(m);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUFS,
		"avail after the last reference");

	/* two references given in one completion */
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc, &m, 1),
		"alloc");
	rte_mbuf_refcnt_update(m, 1);
	twice[0] = m;
	twice[1] = m;
	if (complete(mp, rc, twice, 2, 1) != TEST_SUCCESS)
		return TEST_FAILED;
	return queue_close(mp, rc);
}

/*
 * Indirect mbufs (rte_pktmbuf_attach()): detached and recycled; their
 * direct mbuf loses a reference, and goes back to its pool with the last.
 */
static int
test_recycle_indirect(void)
{
	struct rte_mempool_pagefrag_rcache *rc;
	struct rte_mbuf *d, *ind;
	struct rte_mempool *mp;
	unsigned int keep;

	if (queue_open("pf_rcy_ind", &mp, &rc) != TEST_SUCCESS)
		return TEST_FAILED;
	/* keep = 1: the application still holds the direct mbuf */
	for (keep = 0; keep <= 1; keep++) {
		d = rte_pktmbuf_alloc(mp);
		TEST_ASSERT_NOT_NULL(d, "direct mbuf");
		TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc,
			&ind, 1), "indirect mbuf");
		memset(rte_pktmbuf_append(d, 64), 0x5a, 64);
		rte_pktmbuf_attach(ind, d);
		TEST_ASSERT(RTE_MBUF_CLONED(ind) &&
			rte_mbuf_refcnt_read(d) == 2, "attached");
		if (!keep)
			rte_pktmbuf_free(d);
		if (complete(mp, rc, &ind, 1, 1) != TEST_SUCCESS)
			return TEST_FAILED;
		/* free, but still ours to look at: detached, own buffer */
		TEST_ASSERT(own_buffer(ind) && rte_mbuf_refcnt_read(ind) == 1,
			"keep %u: not detached", keep);
		if (keep) {
			TEST_ASSERT_EQUAL(rte_mbuf_refcnt_read(d), 1,
				"direct mbuf's refcnt %u after",
				rte_mbuf_refcnt_read(d));
			TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp),
				NB_MBUFS - 1, "avail with the direct mbuf held");
			TEST_ASSERT(*rte_pktmbuf_mtod(d, uint8_t *) == 0x5a,
				"direct mbuf's data");
			rte_pktmbuf_free(d);
		}
		TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUFS,
			"keep %u: avail after the last reference", keep);
	}
	return queue_close(mp, rc);
}

static void
ext_free_cb(void *addr __rte_unused, void *opaque)
{
	(*(unsigned int *)opaque)++;
}

/*
 * External buffers: freed with their last mbuf (an application buffer
 * shared by two mbufs, and a pagefrag fragment), the mbufs recycled with
 * their own data room back.
 */
static int
test_recycle_extbuf(void)
{
	struct rte_mempool_pagefrag_rcache *rc;
	struct rte_mbuf_ext_shared_info *shinfo;
	struct rte_pagefrag_stats fst0, fst;
	struct rte_pagefrag_pool *fp;
	struct rte_mbuf *e[2], *m[BURST];
	struct rte_mempool *mp;
	unsigned int freed = 0, i;
	uint16_t len = 512;
	void *buf;

	if (queue_open("pf_rcy_ext", &mp, &rc) != TEST_SUCCESS)
		return TEST_FAILED;
	buf = rte_malloc("pf_rcy_ext", len, RTE_CACHE_LINE_SIZE);
	TEST_ASSERT_NOT_NULL(buf, "buffer");
	shinfo = rte_pktmbuf_ext_shinfo_init_helper(buf, &len, ext_free_cb,
		&freed);
	TEST_ASSERT_NOT_NULL(shinfo, "shinfo");
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc, e, 2),
		"two mbufs");
	for (i = 0; i < 2; i++)
		rte_pktmbuf_attach_extbuf(e[i], buf, rte_malloc_virt2iova(buf),
			len, shinfo);
	rte_mbuf_ext_refcnt_update(shinfo, 1);
	TEST_ASSERT(RTE_MBUF_HAS_EXTBUF(e[0]) && RTE_MBUF_HAS_EXTBUF(e[1]),
		"attached");
	if (complete(mp, rc, &e[0], 1, 1) != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_EQUAL(freed, 0, "buffer freed while a mbuf uses it");
	if (complete(mp, rc, &e[1], 1, 1) != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_EQUAL(freed, 1, "buffer freed %u times with its last mbuf",
		freed);
	rte_free(buf);
	/* free, but still ours to look at */
	for (i = 0; i < 2; i++)
		TEST_ASSERT(own_buffer(e[i]) && !RTE_MBUF_HAS_EXTBUF(e[i]),
			"mbuf %u: not detached", i);
	/* a right-sized fragment as data room */
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc, m,
		BURST), "refill");
	fp = rte_pagefrag_pool_create("pf_rcy_frag", 1, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(fp, "fragment pool");
	rte_pagefrag_stats_get(fp, &fst0);
	for (i = 0; i < BURST; i++)
		TEST_ASSERT_SUCCESS(rte_pagefrag_attach_extbuf_headroom(fp,
			m[i], 0, 100 + i), "attach fragment %u", i);
	if (complete(mp, rc, m, BURST, BURST) != TEST_SUCCESS)
		return TEST_FAILED;
	rte_pagefrag_stats_get(fp, &fst);
	TEST_ASSERT_EQUAL(fst.frees - fst0.frees, BURST,
		"%" PRIu64 " fragments freed of %u", fst.frees - fst0.frees,
		BURST);
	rte_pagefrag_cache_drain(fp);
	TEST_ASSERT_SUCCESS(rte_pagefrag_pool_free(fp),
		"fragment pool free: a fragment is still out");
	return queue_close(mp, rc);
}

/*
 * A completion mixing the cache's pool with a ring_mp_mc pool and another
 * pagefrag pool: each of the others gets its own mbufs back, none lands
 * in the cache.
 */
static int
test_recycle_other_pools(void)
{
	struct rte_mempool_pagefrag_rcache *rc;
	struct rte_mbuf *own[BURST], *ring[BURST], *pf2[BURST], *tx[3 * BURST];
	struct rte_mempool *mp, *rp, *mp2;
	unsigned int i, k = 0;

	if (queue_open("pf_rcy_mix", &mp, &rc) != TEST_SUCCESS)
		return TEST_FAILED;
	rp = mbuf_pool("pf_rcy_mix_ring", 256, "ring_mp_mc");
	mp2 = mbuf_pool("pf_rcy_mix_pf2", 256, RTE_MEMPOOL_PAGEFRAG_OPS_NAME);
	TEST_ASSERT(rp != NULL && mp2 != NULL, "pools");
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc, own,
		BURST), "own mbufs");
	TEST_ASSERT_SUCCESS(rte_pktmbuf_alloc_bulk(rp, ring, BURST),
		"ring_mp_mc mbufs");
	TEST_ASSERT_SUCCESS(rte_pktmbuf_alloc_bulk(mp2, pf2, BURST),
		"other pagefrag pool's mbufs");
	/* single ones alternating, then runs of each pool */
	for (i = 0; i < BURST; i++) {
		if (i < BURST / 2) {
			tx[k++] = ring[i];
			tx[k++] = pf2[i];
		}
		tx[k++] = own[i];
	}
	for (i = BURST / 2; i < BURST; i++)
		tx[k++] = ring[i];
	for (i = BURST / 2; i < BURST; i++)
		tx[k++] = pf2[i];
	if (complete(mp, rc, tx, k, BURST) != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(rp), 256,
		"ring_mp_mc pool: avail %u", rte_mempool_avail_count(rp));
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp2), 256,
		"other pagefrag pool: avail %u", rte_mempool_avail_count(mp2));
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUFS,
		"the cache's pool: avail %u", rte_mempool_avail_count(mp));
	if (all_back_once(rp, 256) != TEST_SUCCESS ||
			all_back_once(mp2, 256) != TEST_SUCCESS)
		return TEST_FAILED;
	rte_mempool_free(rp);
	rte_mempool_free(mp2);
	return queue_close(mp, rc);
}

/*
 * A multi-segment packet as a TX ring holds it: each segment an entry of
 * its own, the head first or last. Every segment goes back once.
 */
static int
test_recycle_chain(void)
{
	struct rte_mempool_pagefrag_rcache *rc;
	struct rte_mbuf *seg[3], *tx[3];
	struct rte_mempool *mp;
	unsigned int order, i;

	if (queue_open("pf_rcy_chain", &mp, &rc) != TEST_SUCCESS)
		return TEST_FAILED;
	for (order = 0; order < 2; order++) {
		TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc,
			seg, 3), "segments");
		for (i = 0; i < 3; i++)
			TEST_ASSERT_NOT_NULL(rte_pktmbuf_append(seg[i], 100),
				"append");
		TEST_ASSERT_SUCCESS(rte_pktmbuf_chain(seg[0], seg[1]), "chain");
		TEST_ASSERT_SUCCESS(rte_pktmbuf_chain(seg[0], seg[2]), "chain");
		TEST_ASSERT_EQUAL(seg[0]->nb_segs, 3, "three segments");
		for (i = 0; i < 3; i++)
			tx[i] = seg[order == 0 ? i : 2 - i];
		if (complete(mp, rc, tx, 3, 3) != TEST_SUCCESS)
			return TEST_FAILED;
		TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUFS,
			"order %u: avail", order);
		/* free, but still ours to look at: raw, unchained */
		for (i = 0; i < 3; i++)
			TEST_ASSERT(seg[i]->next == NULL &&
				seg[i]->nb_segs == 1 &&
				rte_mbuf_refcnt_read(seg[i]) == 1,
				"order %u: segment %u still chained", order, i);
	}
	return queue_close(mp, rc);
}

/*
 * Bad arguments: -EINVAL, rte_errno, nothing touched (the mbufs stay the
 * caller's, whole). NULL entries are skipped, as rte_pktmbuf_free_bulk()
 * does.
 */
static int
test_recycle_bad_args(void)
{
	struct rte_mempool_pagefrag_rcache *rc;
	struct rte_mbuf *m[4], *holes[6] = { NULL };
	struct rte_mempool *mp;
	unsigned int i;
	int ret;

	if (queue_open("pf_rcy_bad", &mp, &rc) != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_SUCCESS(rte_pktmbuf_alloc_bulk(mp, m, 4), "mbufs");
	rte_errno = 0;
	ret = rte_mempool_pagefrag_rcache_recycle_mbufs(NULL, m, 4);
	TEST_ASSERT(ret == -EINVAL && rte_errno == EINVAL,
		"NULL cache: %d, rte_errno %d", ret, rte_errno);
	rte_errno = 0;
	ret = rte_mempool_pagefrag_rcache_recycle_mbufs(NULL, NULL, 0);
	TEST_ASSERT(ret == -EINVAL && rte_errno == EINVAL,
		"NULL cache, no mbuf: %d, rte_errno %d", ret, rte_errno);
	rte_errno = 0;
	ret = rte_mempool_pagefrag_rcache_recycle_mbufs(rc, NULL, 4);
	TEST_ASSERT(ret == -EINVAL && rte_errno == EINVAL,
		"NULL array: %d, rte_errno %d", ret, rte_errno);
	TEST_ASSERT_EQUAL(rte_mempool_pagefrag_rcache_recycle_mbufs(rc, NULL,
		0), 0, "NULL array of no mbuf");
	for (i = 0; i < 4; i++)
		TEST_ASSERT(rte_mbuf_refcnt_read(m[i]) == 1 &&
			m[i]->pool == mp, "mbuf %u touched", i);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUFS - 4,
		"avail after refused calls");
	/* NULL entries among the mbufs */
	holes[1] = m[0];
	holes[2] = m[1];
	holes[4] = m[2];
	if (complete(mp, rc, holes, 6, 3) != TEST_SUCCESS)
		return TEST_FAILED;
	rte_pktmbuf_free(m[3]);
	return queue_close(mp, rc);
}

/*
 * Long completions mixing everything, scrambled, longer than the cache
 * keeps (the rest goes to the pages): every mbuf back once at the end.
 */
#define MANY 1500

static int
test_recycle_many(void)
{
	struct rte_mempool_pagefrag_rcache *rc;
	struct rte_mbuf **m, **shared;
	struct rte_mempool *mp, *rp;
	unsigned int r, i, j, nshared, nown, nring, nkept;
	int ret;

	if (queue_open("pf_rcy_many", &mp, &rc) != TEST_SUCCESS)
		return TEST_FAILED;
	rp = mbuf_pool("pf_rcy_many_ring", 512, "ring_mp_mc");
	TEST_ASSERT_NOT_NULL(rp, "ring_mp_mc pool");
	m = calloc(MANY, sizeof(*m));
	shared = calloc(MANY, sizeof(*shared));
	TEST_ASSERT(m != NULL && shared != NULL, "memory");
	for (r = 0; r < 20; r++) {
		nown = 1000 + rte_rand_max(MANY - 1000 - 400);
		/* at least one: a get of 0 fails on ring_mp_mc */
		nring = 1 + rte_rand_max(399);
		TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc_mbufs(rc,
			m, nown), "round %u: %u mbufs", r, nown);
		TEST_ASSERT_SUCCESS(rte_pktmbuf_alloc_bulk(rp, m + nown,
			nring), "round %u: ring_mp_mc mbufs", r);
		/* some still referenced elsewhere */
		for (i = 0, nshared = 0, nkept = 0; i < nown + nring; i++)
			if (rte_rand_max(8) == 0) {
				rte_mbuf_refcnt_update(m[i], 1);
				shared[nshared++] = m[i];
				nkept += i < nown;
			}
		/* scrambled */
		for (i = nown + nring - 1; i > 0; i--) {
			struct rte_mbuf *t;

			j = rte_rand_max(i + 1);
			t = m[i];
			m[i] = m[j];
			m[j] = t;
		}
		ret = rte_mempool_pagefrag_rcache_recycle_mbufs(rc, m,
			nown + nring);
		TEST_ASSERT_EQUAL(ret, (int)(nown - nkept),
			"round %u: %d recycled of %u, %u still referenced", r,
			ret, nown, nkept);
		TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp),
			NB_MBUFS - nkept, "round %u: avail", r);
		rte_pktmbuf_free_bulk(shared, nshared);
		TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), NB_MBUFS,
			"round %u: avail", r);
		TEST_ASSERT_EQUAL(rte_mempool_avail_count(rp), 512,
			"round %u: ring_mp_mc avail", r);
	}
	free(m);
	free(shared);
	if (all_back_once(rp, 512) != TEST_SUCCESS)
		return TEST_FAILED;
	rte_mempool_free(rp);
	return queue_close(mp, rc);
}

static const struct unit_test_case recycle_cases[] = {
	{ "TX completion refills the queue, no atomic", test_recycle_own },
	{ "mbuf still referenced: one reference dropped", test_recycle_shared },
	{ "indirect mbufs detached, direct ones released", test_recycle_indirect },
	{ "external buffers freed with their last mbuf", test_recycle_extbuf },
	{ "other pools' mbufs go back to their pools", test_recycle_other_pools },
	{ "segments of a chain, each an entry", test_recycle_chain },
	{ "bad arguments refused, nothing touched", test_recycle_bad_args },
	{ "long mixed completions: every mbuf back once", test_recycle_many },
};

static int
test_recycle(void)
{
	return run_test_suite("pagefrag_recycle_autotest", recycle_cases,
		RTE_DIM(recycle_cases));
}

REGISTER_TEST_COMMAND(pagefrag_recycle_autotest, test_recycle);
