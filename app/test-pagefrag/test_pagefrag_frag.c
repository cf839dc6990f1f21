/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * pagefrag_frag_autotest: arbitrary-length fragments (page_frag_alloc /
 * page_frag_free for DPDK) and mbufs with fragment data rooms.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pause.h>
#include <rte_random.h>
#include <rte_ring.h>

#include <rte_mempool_pagefrag.h>
#include <rte_pagefrag.h>

#include "test.h"

#define PAGE RTE_MEMPOOL_PAGEFRAG_PAGE_SIZE
#define NB_LIVE 512

struct frag {
	uint8_t *addr;
	unsigned int size;
	uint8_t tag;
};

static int
frag_check_new(const struct frag *f, unsigned int align, rte_iova_t iova)
{
	uintptr_t a = (uintptr_t)f->addr;

	TEST_ASSERT(a % align == 0, "fragment %p not aligned on %u", f->addr,
		align);
	TEST_ASSERT((a & ~(PAGE - 1)) == ((a + f->size - 1) & ~(PAGE - 1)),
		"fragment %p + %u crosses a page", f->addr, f->size);
	TEST_ASSERT((a & (PAGE - 1)) >= 64, "fragment %p over its page header",
		f->addr);
	if (iova != RTE_BAD_IOVA && rte_eal_iova_mode() != RTE_IOVA_DC)
		TEST_ASSERT(iova == rte_mem_virt2iova(f->addr),
			"fragment %p: IOVA %#" PRIx64 " != %#" PRIx64, f->addr,
			iova, rte_mem_virt2iova(f->addr));
	return TEST_SUCCESS;
}

/* A live fragment keeps the pattern written in it: no overlap. */
static int
frag_check_intact(const struct frag *f)
{
	unsigned int i;

	for (i = 0; i < f->size; i++)
		TEST_ASSERT(f->addr[i] == f->tag,
			"fragment %p + %u byte %u overwritten: overlap", f->addr,
			f->size, i);
	return TEST_SUCCESS;
}

static int
cmp_frag(const void *a, const void *b)
{
	const struct frag *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Random sizes and alignments; live fragments never overlap. */
static int
random_frags(struct rte_pagefrag_pool *fp, unsigned int iters,
		unsigned int max_size)
{
	struct frag live[NB_LIVE], sorted[NB_LIVE];
	unsigned int nlive = 0, i, k;

	for (i = 0; i < iters; i++) {
		if (nlive < NB_LIVE && (nlive == 0 || rte_rand_max(3) != 0)) {
			unsigned int align = 1u << rte_rand_max(13);
			struct frag *f = &live[nlive];
			rte_iova_t iova;

			f->size = 1 + rte_rand_max(max_size);
			f->tag = (uint8_t)(i | 1);
			f->addr = rte_pagefrag_alloc(fp, f->size, align, &iova);
			if (f->size > PAGE - RTE_ALIGN_CEIL(PAGE -
					rte_pagefrag_max_size(), align)) {
				/* cannot fit after the padding: refused */
				TEST_ASSERT(f->addr == NULL && rte_errno == EINVAL,
					"%u bytes aligned on %u not refused",
					f->size, align);
				continue;
			}
			if (f->addr == NULL) {
				TEST_ASSERT_EQUAL(rte_errno, ENOBUFS,
					"alloc of %u failed", f->size);
				continue;
			}
			if (frag_check_new(f, align, iova) != TEST_SUCCESS)
				return TEST_FAILED;
			memset(f->addr, f->tag, f->size);
			nlive++;
		} else {
			k = rte_rand_max(nlive);
			if (frag_check_intact(&live[k]) != TEST_SUCCESS)
				return TEST_FAILED;
			rte_pagefrag_free(live[k].addr + rte_rand_max(live[k].size));
			live[k] = live[--nlive];
		}
		if (i % 1000 == 999) {
			memcpy(sorted, live, nlive * sizeof(live[0]));
			qsort(sorted, nlive, sizeof(sorted[0]), cmp_frag);
			for (k = 1; k < nlive; k++)
				TEST_ASSERT(sorted[k - 1].addr + sorted[k - 1].size <=
					sorted[k].addr, "live fragments overlap");
		}
	}
	for (k = 0; k < nlive; k++) {
		if (frag_check_intact(&live[k]) != TEST_SUCCESS)
			return TEST_FAILED;
		rte_pagefrag_free(live[k].addr);
	}
	rte_pagefrag_cache_drain(fp);
	return TEST_SUCCESS;
}

static int
test_frag_random(void)
{
	struct rte_pagefrag_pool *fp;
	struct rte_pagefrag_stats st;
	int ret;

	fp = rte_pagefrag_pool_create("pf_frag_rand", 8, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(fp, "pool_create: %s", rte_strerror(rte_errno));
	ret = random_frags(fp, 200000, 9000);
	if (ret == TEST_SUCCESS)
		ret = random_frags(fp, 2000, rte_pagefrag_max_size());
	rte_pagefrag_stats_get(fp, &st);
	printf("fragments: %" PRIu64 " allocs, %" PRIu64 " frees, %" PRIu64
		" refills, %" PRIu64 " in-place reuses, %" PRIu64 " failures\n",
		st.allocs, st.frees, st.refills, st.reuses, st.alloc_fails);
	TEST_ASSERT(ret == TEST_SUCCESS, "random fragments");
	TEST_ASSERT_EQUAL(st.allocs, st.frees, "every fragment freed");
	TEST_ASSERT_EQUAL(st.pages_free, st.pages_total,
		"every page back after the last free and the drain");
	TEST_ASSERT_SUCCESS(rte_pagefrag_pool_free(fp), "pool_free");
	return TEST_SUCCESS;
}

static int
test_frag_bad_sizes(void)
{
	struct rte_pagefrag_pool *fp;
	void *f;

	fp = rte_pagefrag_pool_create("pf_frag_bad", 1, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(fp, "pool_create");
	TEST_ASSERT(rte_pagefrag_alloc(fp, 0, 1, NULL) == NULL &&
		rte_errno == EINVAL, "size 0 refused with EINVAL");
	TEST_ASSERT(rte_pagefrag_alloc(fp, rte_pagefrag_max_size() + 1, 1,
		NULL) == NULL && rte_errno == EINVAL,
		"size above a page refused with EINVAL");
	TEST_ASSERT(rte_pagefrag_alloc(fp, 64, 48, NULL) == NULL &&
		rte_errno == EINVAL, "alignment 48 refused with EINVAL");
	TEST_ASSERT(rte_pagefrag_alloc(fp, rte_pagefrag_max_size(), 4096,
		NULL) == NULL && rte_errno == EINVAL,
		"largest size with 4 KB alignment (does not fit after padding) refused");
	/* what precedes a fragment: the page header (and debug metadata) */
	f = rte_pagefrag_alloc(fp, PAGE - RTE_ALIGN_CEIL(PAGE -
		rte_pagefrag_max_size(), 4096), 4096, NULL);
	TEST_ASSERT(f != NULL && ((uintptr_t)f & 4095) == 0,
		"largest 4 KB-aligned fragment");
	rte_pagefrag_free(f);
	/* the pool is intact: one page-sized fragment, then none */
	f = rte_pagefrag_alloc(fp, rte_pagefrag_max_size(), 1, NULL);
	TEST_ASSERT_NOT_NULL(f, "a fragment of the largest size");
	TEST_ASSERT(rte_pagefrag_alloc(fp, 1, 1, NULL) == NULL &&
		rte_errno == ENOBUFS, "pool of one page is empty");
	TEST_ASSERT_EQUAL(rte_pagefrag_pool_free(fp), -EBUSY,
		"pool free with a fragment out");
	rte_pagefrag_free(f);
	TEST_ASSERT_NOT_NULL(f = rte_pagefrag_alloc(fp, 1, 1, NULL),
		"the page is reused after the free");
	rte_pagefrag_free(f);
	TEST_ASSERT_SUCCESS(rte_pagefrag_pool_free(fp), "pool_free");
	return TEST_SUCCESS;
}

/* mbufs with fragment data rooms survive clone/attach/free in any order. */
static int
test_frag_extbuf(void)
{
	struct rte_pagefrag_pool *fp;
	struct rte_pagefrag_stats st;
	struct rte_mempool *mp;
	struct rte_mbuf *m[64], *c[64], *a[64];
	unsigned int i, order;

	fp = rte_pagefrag_pool_create("pf_frag_mbuf", 2, SOCKET_ID_ANY);
	mp = rte_pktmbuf_pool_create_by_ops("pf_frag_mbufs", 512, 0, 0, 0,
		SOCKET_ID_ANY, RTE_MEMPOOL_PAGEFRAG_OPS_NAME);
	TEST_ASSERT(fp != NULL && mp != NULL, "pools");
	for (order = 0; order < 6; order++) {
		for (i = 0; i < 64; i++) {
			uint16_t len = 256 + rte_rand_max(3000);

			m[i] = rte_pktmbuf_alloc(mp);
			TEST_ASSERT_NOT_NULL(m[i], "mbuf");
			TEST_ASSERT_SUCCESS(rte_pagefrag_attach_extbuf(fp, m[i],
				len), "attach_extbuf");
			TEST_ASSERT(RTE_MBUF_HAS_EXTBUF(m[i]), "extbuf flag");
			TEST_ASSERT(rte_pktmbuf_headroom(m[i]) +
				rte_pktmbuf_tailroom(m[i]) <= len + 8 &&
				rte_pktmbuf_headroom(m[i]) +
				rte_pktmbuf_tailroom(m[i]) >= len,
				"data room %u for %u asked",
				rte_pktmbuf_headroom(m[i]) +
				rte_pktmbuf_tailroom(m[i]), len);
			if (rte_eal_iova_mode() != RTE_IOVA_DC &&
					m[i]->buf_iova != RTE_BAD_IOVA)
				TEST_ASSERT(m[i]->buf_iova ==
					rte_mem_virt2iova(m[i]->buf_addr), "buf_iova");
			memset(rte_pktmbuf_append(m[i], 100), (int)i, 100);
			c[i] = rte_pktmbuf_clone(m[i], mp);
			TEST_ASSERT_NOT_NULL(c[i], "clone");
			a[i] = rte_pktmbuf_alloc(mp);
			TEST_ASSERT_NOT_NULL(a[i], "mbuf");
			rte_pktmbuf_attach(a[i], c[i]);
		}
		rte_pagefrag_stats_get(fp, &st);
		TEST_ASSERT(st.pages_free < st.pages_total, "fragments in use");
		for (i = 0; i < 64; i++) {
			struct rte_mbuf *x[3] = { m[i], c[i], a[i] };
			static const uint8_t perm[6][3] = { {0, 1, 2}, {0, 2, 1},
				{1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0} };

			TEST_ASSERT(*rte_pktmbuf_mtod(a[i], uint8_t *) == (uint8_t)i,
				"data seen through an attached mbuf");
			rte_pktmbuf_free(x[perm[order][0]]);
			rte_pktmbuf_free(x[perm[order][1]]);
			rte_pktmbuf_free(x[perm[order][2]]);
		}
		rte_pagefrag_cache_drain(fp);
		rte_pagefrag_stats_get(fp, &st);
		TEST_ASSERT_EQUAL(st.pages_free, st.pages_total,
			"pages back after the last mbuf, free order %u", order);
		TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), 512, "mbufs back");
	}
	TEST_ASSERT_SUCCESS(rte_pagefrag_pool_free(fp), "pool_free");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

/*
 * Footprints: fragments of one size and alignment in a row are exactly
 * rte_pagefrag_footprint() apart (so is the fragment of an extbuf), and
 * refused sizes give 0.
 */
static int
test_frag_footprint(void)
{
	static const unsigned int cases[][2] = {
		{ 1, 1 }, { 64, 64 }, { 100, 8 }, { 1500, 64 }, { 3000, 4096 },
		{ 200, 0 },
	};
	static const uint16_t lens[] = { 64, 256, 1500, 2048 };
	struct rte_pagefrag_pool *fp;
	struct rte_mempool *mp;
	struct rte_mbuf *m[2];
	unsigned int i, fpr;
	char *a, *b;

	fp = rte_pagefrag_pool_create("pf_frag_fpr", 2, SOCKET_ID_ANY);
	mp = rte_pktmbuf_pool_create_by_ops("pf_frag_fprm", 64, 0, 0, 0,
		SOCKET_ID_ANY, RTE_MEMPOOL_PAGEFRAG_OPS_NAME);
	TEST_ASSERT(fp != NULL && mp != NULL, "pools");
	for (i = 0; i < RTE_DIM(cases); i++) {
		fpr = rte_pagefrag_footprint(cases[i][0], cases[i][1]);
		/* a first one sets the alignment of the page's offset */
		rte_pagefrag_free(rte_pagefrag_alloc(fp, cases[i][0],
			cases[i][1], NULL));
		a = rte_pagefrag_alloc(fp, cases[i][0], cases[i][1], NULL);
		b = rte_pagefrag_alloc(fp, cases[i][0], cases[i][1], NULL);
		TEST_ASSERT(a != NULL && b != NULL, "fragments");
		printf("%u bytes aligned on %u: footprint %u, %td apart\n",
			cases[i][0], cases[i][1], fpr, b - a);
		TEST_ASSERT_EQUAL((unsigned int)(b - a), fpr,
			"fragments of %u bytes aligned on %u", cases[i][0],
			cases[i][1]);
		rte_pagefrag_free(a);
		rte_pagefrag_free(b);
	}
	for (i = 0; i < RTE_DIM(lens); i++) {
		fpr = rte_pagefrag_extbuf_footprint(lens[i]);
		m[0] = rte_pktmbuf_alloc(mp);
		m[1] = rte_pktmbuf_alloc(mp);
		TEST_ASSERT(m[0] != NULL && m[1] != NULL, "mbufs");
		TEST_ASSERT_SUCCESS(rte_pagefrag_attach_extbuf(fp, m[0],
			lens[i]), "attach");
		TEST_ASSERT_SUCCESS(rte_pagefrag_attach_extbuf(fp, m[1],
			lens[i]), "attach");
		printf("extbuf of %u bytes: footprint %u, %td apart\n", lens[i],
			fpr, (char *)m[1]->buf_addr - (char *)m[0]->buf_addr);
		TEST_ASSERT_EQUAL((unsigned int)((char *)m[1]->buf_addr -
			(char *)m[0]->buf_addr), fpr, "extbufs of %u bytes",
			lens[i]);
		rte_pktmbuf_free(m[0]);
		rte_pktmbuf_free(m[1]);
	}
	TEST_ASSERT_EQUAL(rte_pagefrag_footprint(0, 8), 0, "size 0");
	TEST_ASSERT_EQUAL(rte_pagefrag_footprint(64, 3), 0, "alignment 3");
	TEST_ASSERT_EQUAL(rte_pagefrag_footprint(rte_pagefrag_max_size() + 1,
		1), 0, "size above the limit");
	TEST_ASSERT_EQUAL(rte_pagefrag_extbuf_footprint(0), 0, "extbuf of 0");
	TEST_ASSERT_EQUAL(rte_pagefrag_extbuf_footprint(UINT16_MAX), 0,
		"extbuf above the limit");
	rte_pagefrag_cache_drain(fp);
	TEST_ASSERT_SUCCESS(rte_pagefrag_pool_free(fp), "pool_free");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

/* The headroom of an attached fragment is the caller's choice. */
static int
test_frag_headroom(void)
{
	static const uint16_t cases[][2] = {
		{ 0, 200 }, { 32, 100 }, { RTE_PKTMBUF_HEADROOM, 1500 },
		{ 256, 64 },
	};
	struct rte_pagefrag_pool *fp;
	struct rte_mempool *mp;
	struct rte_mbuf *m;
	unsigned int i;

	fp = rte_pagefrag_pool_create("pf_frag_hr", 1, SOCKET_ID_ANY);
	mp = rte_pktmbuf_pool_create_by_ops("pf_frag_hrm", 64, 0, 0, 0,
		SOCKET_ID_ANY, RTE_MEMPOOL_PAGEFRAG_OPS_NAME);
	TEST_ASSERT(fp != NULL && mp != NULL, "pools");
	for (i = 0; i < RTE_DIM(cases); i++) {
		m = rte_pktmbuf_alloc(mp);
		TEST_ASSERT_NOT_NULL(m, "mbuf");
		TEST_ASSERT_SUCCESS(rte_pagefrag_attach_extbuf_headroom(fp, m,
			cases[i][0], cases[i][1]), "attach");
		TEST_ASSERT_EQUAL(rte_pktmbuf_headroom(m), cases[i][0],
			"headroom %u", cases[i][0]);
		TEST_ASSERT(rte_pktmbuf_tailroom(m) >= cases[i][1] &&
			rte_pktmbuf_tailroom(m) < cases[i][1] + 8u,
			"tailroom %u for %u", rte_pktmbuf_tailroom(m),
			cases[i][1]);
		TEST_ASSERT_NOT_NULL(rte_pktmbuf_append(m, cases[i][1]),
			"append %u", cases[i][1]);
		rte_pktmbuf_free(m);
	}
	/* refused: nothing attached, the mbuf and the pool intact */
	m = rte_pktmbuf_alloc(mp);
	TEST_ASSERT_NOT_NULL(m, "mbuf");
	TEST_ASSERT_EQUAL(rte_pagefrag_attach_extbuf_headroom(fp, m, 0, 0),
		-EINVAL, "empty data room");
	TEST_ASSERT_EQUAL(rte_pagefrag_attach_extbuf_headroom(fp, m,
		UINT16_MAX, 100), -EINVAL, "data room above the limit");
	TEST_ASSERT(!RTE_MBUF_HAS_EXTBUF(m), "nothing attached");
	rte_pktmbuf_free(m);
	rte_pagefrag_cache_drain(fp);
	TEST_ASSERT_SUCCESS(rte_pagefrag_pool_free(fp), "every fragment back");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), 64, "mbufs back");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

struct conc {
	struct rte_pagefrag_pool *fp;
	volatile int start;
	int result[RTE_MAX_LCORE + 1];
};

static int
conc_worker(void *p)
{
	struct conc *cc = p;
	unsigned int lc = rte_lcore_id();
	int ret;

	while (!cc->start)
		rte_pause();
	ret = random_frags(cc->fp, 100000, 3000);
	cc->result[lc < RTE_MAX_LCORE ? lc : RTE_MAX_LCORE] = ret;
	return ret;
}

static void *
conc_thread(void *p)
{
	conc_worker(p);
	return NULL;
}

/* 2 lcores and a non-EAL thread allocate and free at once. */
static int
test_frag_concurrent(void)
{
	struct rte_pagefrag_stats st;
	struct conc *cc = calloc(1, sizeof(*cc));
	unsigned int lcore;
	pthread_t th;

	if (rte_lcore_count() < 2) {
		free(cc);
		printf("needs 2 lcores\n");
		return TEST_SKIPPED;
	}
	cc->fp = rte_pagefrag_pool_create("pf_frag_conc", 16, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(cc->fp, "pool_create");
	RTE_LCORE_FOREACH_WORKER(lcore)
		rte_eal_remote_launch(conc_worker, cc, lcore);
	TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, conc_thread, cc),
		"pthread_create");
	cc->start = 1;
	conc_worker(cc);
	rte_eal_mp_wait_lcore();
	pthread_join(th, NULL);
	for (lcore = 0; lcore <= RTE_MAX_LCORE; lcore++)
		TEST_ASSERT(cc->result[lcore] == TEST_SUCCESS,
			"worker %u failed", lcore);
	rte_pagefrag_stats_get(cc->fp, &st);
	TEST_ASSERT_EQUAL(st.allocs, st.frees, "every fragment freed");
	TEST_ASSERT_EQUAL(st.pages_free, st.pages_total, "every page back");
	TEST_ASSERT_SUCCESS(rte_pagefrag_pool_free(cc->fp), "pool_free");
	free(cc);
	return TEST_SUCCESS;
}

/*
 * A fragment freed on the lcore whose cache carved it goes back to that
 * cache (its reference returns to the bias, no atomic). A drain counts
 * what the cache held unused, in the unit of the ring-level cache's drain:
 * the fragments freed back to it plus one for its page, not the bias it
 * pre-charged. So a cache with a fragment out drains 1, one with n
 * fragments freed back drains n + 1, and one with no page drains 0, on
 * every call.
 */
static int
test_frag_local_free(void)
{
	struct rte_pagefrag_pool *fp;
	struct rte_pagefrag_stats st;
	unsigned int got, round, i;
	void *f[8];

	fp = rte_pagefrag_pool_create("pf_frag_local", 2, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(fp, "pool_create");
	TEST_ASSERT_EQUAL(rte_pagefrag_cache_drain(fp), 0,
		"drain of a cache holding no page released something");
	f[0] = rte_pagefrag_alloc(fp, 100, 1, NULL);
	TEST_ASSERT_NOT_NULL(f[0], "alloc");
	got = rte_pagefrag_cache_drain(fp);
	TEST_ASSERT_EQUAL(got, 1,
		"drain with one fragment out and none back counted %u, not 1 (the page)",
		got);
	rte_pagefrag_free(f[0]);	/* its page is no longer cached */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < RTE_DIM(f); i++) {
			f[i] = rte_pagefrag_alloc(fp, 100 + i, 1, NULL);
			TEST_ASSERT_NOT_NULL(f[i], "alloc %u", i);
		}
		/* one stays out: the page cannot be re-armed in place */
		for (i = 1; i < RTE_DIM(f); i++)
			rte_pagefrag_free((char *)f[i] + i);
		got = rte_pagefrag_cache_drain(fp);
		TEST_ASSERT_EQUAL(got, RTE_DIM(f),
			"round %u: drain after %u local frees counted %u, not %u: the frees did not return to the cache, or the count is not per fragment",
			round, (unsigned int)RTE_DIM(f) - 1, got,
			(unsigned int)RTE_DIM(f));
		rte_pagefrag_free(f[0]);
		TEST_ASSERT_EQUAL(rte_pagefrag_cache_drain(fp), 0,
			"round %u: second drain released something", round);
	}
	TEST_ASSERT_SUCCESS(rte_pagefrag_stats_get(fp, &st), "stats");
	TEST_ASSERT_EQUAL(st.allocs, st.frees, "every fragment freed");
	TEST_ASSERT_EQUAL(st.pages_free, st.pages_total, "every page back");
	TEST_ASSERT_SUCCESS(rte_pagefrag_pool_free(fp), "pool_free");
	return TEST_SUCCESS;
}

#define XFREE_ITERS	300000
#define XFREE_WINDOW	64

struct xfree {
	struct rte_pagefrag_pool *fp;
	struct rte_ring *ring;	/* fragments the carving lcore passes on */
	volatile int done;
	int result;
};

/* The other lcore: checks and frees what it is passed, at once. */
static int
xfree_worker(void *p)
{
	struct xfree *x = p;
	void *obj;
	uint8_t *b;
	uint32_t size, i;

	x->result = TEST_SUCCESS;
	for (;;) {
		if (rte_ring_sc_dequeue(x->ring, &obj) != 0) {
			if (x->done && rte_ring_empty(x->ring))
				return 0;
			rte_pause();
			continue;
		}
		b = obj;
		memcpy(&size, b, sizeof(size));
		for (i = sizeof(size); i < size; i++)
			if (b[i] != (uint8_t)size) {
				printf("passed fragment %p byte %u overwritten\n",
					obj, i);
				x->result = TEST_FAILED;
			}
		rte_pagefrag_free(b + size - 1);
	}
}

/*
 * One lcore carves fragments: it frees half of them itself, some time
 * later (back to its cache), and passes the other half to a second lcore
 * that frees them at once (the atomic path). Pages cycle through re-arms
 * and refills; no live fragment may be overwritten, and every fragment
 * and page comes back.
 */
static int
test_frag_local_and_remote_free(void)
{
	struct rte_pagefrag_stats st;
	struct xfree *x = calloc(1, sizeof(*x));
	uint8_t *win[XFREE_WINDOW] = { NULL };
	uint32_t size, i, k, j;
	unsigned int worker;
	uint8_t *b;

	if (rte_lcore_count() < 2) {
		free(x);
		printf("needs 2 lcores\n");
		return TEST_SKIPPED;
	}
	TEST_ASSERT_NOT_NULL(x, "calloc");
	worker = rte_get_next_lcore(-1, 1, 0);
	x->fp = rte_pagefrag_pool_create("pf_frag_xfree", 3, SOCKET_ID_ANY);
	x->ring = rte_ring_create("pf_frag_xfree", 4096, SOCKET_ID_ANY,
		RING_F_SP_ENQ | RING_F_SC_DEQ);
	TEST_ASSERT(x->fp != NULL && x->ring != NULL, "pool and ring");
	rte_eal_remote_launch(xfree_worker, x, worker);
	for (i = 0; i < XFREE_ITERS; i++) {
		size = 8 + rte_rand_max(3000);
		b = rte_pagefrag_alloc(x->fp, size, 1u << rte_rand_max(7),
			NULL);
		if (b == NULL) {
			/* the other lcore holds the pages for a moment */
			TEST_ASSERT_EQUAL(rte_errno, ENOBUFS, "alloc failed");
			rte_pause();
			continue;
		}
		memcpy(b, &size, sizeof(size));
		memset(b + sizeof(size), (uint8_t)size, size - sizeof(size));
		if (i & 1) {
			while (rte_ring_sp_enqueue(x->ring, b) != 0)
				rte_pause();
			continue;
		}
		k = (i / 2) % XFREE_WINDOW;
		if (win[k] != NULL) {
			memcpy(&size, win[k], sizeof(size));
			for (j = sizeof(size); j < size; j++)
				TEST_ASSERT(win[k][j] == (uint8_t)size,
					"kept fragment %p byte %u overwritten",
					(void *)win[k], j);
			rte_pagefrag_free(win[k]);
		}
		win[k] = b;
	}
	for (k = 0; k < XFREE_WINDOW; k++)
		if (win[k] != NULL)
			rte_pagefrag_free(win[k]);
	x->done = 1;
	rte_eal_wait_lcore(worker);
	TEST_ASSERT_SUCCESS(x->result, "the freeing lcore saw an overlap");
	rte_pagefrag_cache_drain(x->fp);
	TEST_ASSERT_SUCCESS(rte_pagefrag_stats_get(x->fp, &st), "stats");
	TEST_ASSERT_EQUAL(st.allocs, st.frees, "every fragment freed");
	TEST_ASSERT_EQUAL(st.pages_free, st.pages_total, "every page back");
	TEST_ASSERT(st.reuses + st.refills > 10,
		"pages cycled only %" PRIu64 " times", st.reuses + st.refills);
	rte_ring_free(x->ring);
	TEST_ASSERT_SUCCESS(rte_pagefrag_pool_free(x->fp), "pool_free");
	free(x);
	return TEST_SUCCESS;
}

#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
/* Does fn(arg) kill a forked child with a signal (a panic)? */
static int
frag_child_dies(void (*fn)(void *), void *arg)
{
	int status = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFSIGNALED(status) ? 1 : 0;
}

static void
frag_free_one(void *addr)
{
	rte_pagefrag_free(addr);
}

/*
 * Debug builds catch a fragment freed twice (through its start or any
 * address inside it), and the free of an address past the last fragment,
 * with a panic naming it; the pool is left intact.
 */
static int
test_frag_double_free_panics(void)
{
	struct rte_pagefrag_pool *fp;
	struct rte_pagefrag_stats st;
	char *f, *g;

	fp = rte_pagefrag_pool_create("pf_frag_dbl", 1, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(fp, "pool_create");
	f = rte_pagefrag_alloc(fp, 100, 1, NULL);
	g = rte_pagefrag_alloc(fp, 100, 1, NULL);
	TEST_ASSERT(f != NULL && g != NULL, "two fragments");
	rte_pagefrag_free(f);
	TEST_ASSERT_EQUAL(frag_child_dies(frag_free_one, f), 1,
		"a second free of a fragment did not panic");
	TEST_ASSERT_EQUAL(frag_child_dies(frag_free_one, f + 50), 1,
		"a second free through an address inside did not panic");
	TEST_ASSERT_EQUAL(frag_child_dies(frag_free_one, g + 300), 1,
		"the free of an address past the last fragment did not panic");
	TEST_ASSERT_SUCCESS(rte_pagefrag_stats_get(fp, &st), "stats");
	TEST_ASSERT_EQUAL(st.frees, 1, "frees counted: the first only");
	rte_pagefrag_free(g + 99);	/* anywhere inside: allowed */
	rte_pagefrag_cache_drain(fp);
	TEST_ASSERT_SUCCESS(rte_pagefrag_pool_free(fp),
		"pool_free: nothing out, nothing freed twice");
	return TEST_SUCCESS;
}
#endif

static const struct unit_test_case frag_cases[] = {
	{ "fragments: size, alignment, bounds, IOVA, no overlap", test_frag_random },
	{ "fragments: bad sizes refused, pool intact", test_frag_bad_sizes },
	{ "fragments as mbuf extbufs: clone/attach/free orders", test_frag_extbuf },
	{ "fragment footprints: fragments in a row that far apart", test_frag_footprint },
	{ "extbuf headroom chosen by the caller", test_frag_headroom },
	{ "fragments on 2 lcores and a non-EAL thread", test_frag_concurrent },
	{ "a fragment freed where it was carved returns to its cache", test_frag_local_free },
	{ "fragments freed by their lcore and by another at once", test_frag_local_and_remote_free },
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
	{ "debug build: fragment double free panics", test_frag_double_free_panics },
#endif
};

static int
test_frag(void)
{
	return run_test_suite("pagefrag_frag_autotest", frag_cases,
		RTE_DIM(frag_cases));
}

REGISTER_TEST_COMMAND(pagefrag_frag_autotest, test_frag);
