/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * pagefrag_autotest: functional tests of the pagefrag mempool driver.
 *
 * Pools are created the two ways applications do (rte_pktmbuf_pool_create
 * and rte_mempool_create_empty + set_ops + populate); every test checks
 * counts and ownership through the public mempool API, and the driver's
 * own statistics where a property is about the cost of an operation.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_mempool.h>
#include <rte_random.h>

#ifdef RTE_HAS_LIBNUMA
#include <numa.h>
#include <numaif.h>
#endif

#include <rte_mempool_pagefrag.h>

#include "test.h"
#include "test_pagefrag_util.h"

#define PAGE RTE_MEMPOOL_PAGEFRAG_PAGE_SIZE

/* Take every object of mp (cache bypassed) into objs; sorted, unique. */
static int
get_all(struct rte_mempool *mp, void **objs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, &objs[i], 1, NULL),
			"get of object %u of %u failed", i, n);
	qsort(objs, n, sizeof(void *), pf_test_cmp_ptr);
	for (i = 1; i < n; i++)
		TEST_ASSERT(objs[i] != objs[i - 1], "object %p handed out twice",
			objs[i]);
	return TEST_SUCCESS;
}

/* Every element (header + object + trailer) lies inside one 2 MB page. */
static int
check_in_page(struct rte_mempool *mp, void * const *objs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uintptr_t start = (uintptr_t)objs[i] - mp->header_size;
		uintptr_t end = (uintptr_t)objs[i] + mp->elt_size +
			mp->trailer_size - 1;

		TEST_ASSERT((start & ~(PAGE - 1)) == (end & ~(PAGE - 1)),
			"object %p (elt %u) crosses a 2 MB boundary", objs[i],
			mp->elt_size);
	}
	return TEST_SUCCESS;
}

static int
test_pktmbuf_pool(void)
{
	const unsigned int n = 5000;
	struct rte_mempool *mp;
	struct rte_mbuf **m;
	unsigned int i;
	int ret = TEST_FAILED;

	mp = rte_pktmbuf_pool_create_by_ops("pf_mbuf", n, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY,
		RTE_MEMPOOL_PAGEFRAG_OPS_NAME);
	TEST_ASSERT_NOT_NULL(mp, "rte_pktmbuf_pool_create_by_ops: %s",
		rte_strerror(rte_errno));
	m = calloc(n, sizeof(*m));
	if (m == NULL)
		goto out;
	if (rte_mempool_avail_count(mp) != n) {
		printf("avail %u != %u after create\n",
			rte_mempool_avail_count(mp), n);
		goto out;
	}
	if (rte_pktmbuf_alloc_bulk(mp, m, n) != 0) {
		printf("cannot allocate all %u mbufs\n", n);
		goto out;
	}
	if (rte_mempool_avail_count(mp) != 0 || rte_pktmbuf_alloc(mp) != NULL) {
		printf("pool not empty after taking every mbuf\n");
		goto out;
	}
	for (i = 0; i < n; i++) {
		/* the IOVA rte_pktmbuf_init stored must be the buffer's */
		if (rte_eal_iova_mode() != RTE_IOVA_DC &&
				m[i]->buf_iova != RTE_BAD_IOVA &&
				m[i]->buf_iova != rte_mem_virt2iova(m[i]->buf_addr)) {
			printf("mbuf %p: buf_iova %#" PRIx64 " != %#" PRIx64 "\n",
				(void *)m[i], m[i]->buf_iova,
				rte_mem_virt2iova(m[i]->buf_addr));
			goto out;
		}
		memset(rte_pktmbuf_mtod(m[i], void *), 0xa5, 64);
	}
	if (check_in_page(mp, (void **)m, n) != TEST_SUCCESS)
		goto out;
	rte_pktmbuf_free_bulk(m, n);
	if (rte_mempool_avail_count(mp) != n) {
		printf("avail %u != %u after freeing all\n",
			rte_mempool_avail_count(mp), n);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	free(m);
	rte_mempool_free(mp);
	return ret;
}

/* create_empty + set_ops + populate; several sizes incl. a partial last page */
static int
test_create_empty_all_objects(void)
{
	static const struct { unsigned int n, elt, flags; } cfg[] = {
		{ 1, 64, 0 },
		{ 937, 2048, 0 },		/* one full page + 1 object */
		{ 10000, 2176, 0 },
		{ 3000, 100, RTE_MEMPOOL_F_NO_CACHE_ALIGN },
		{ 2000, 700, RTE_MEMPOOL_F_NO_IOVA_CONTIG },
		{ 3, 1000000, 0 },		/* one object per page */
	};
	unsigned int k;

	for (k = 0; k < RTE_DIM(cfg); k++) {
		unsigned int n = cfg[k].n;
		struct rte_mempool *mp;
		void **objs;
		int ret;

		mp = pf_test_pool("pf_all", n, cfg[k].elt, 0, cfg[k].flags);
		TEST_ASSERT_NOT_NULL(mp, "pool %u x %u flags %#x", n, cfg[k].elt,
			cfg[k].flags);
		objs = calloc(n, sizeof(void *));
		ret = objs == NULL ? TEST_FAILED : get_all(mp, objs, n);
		if (ret == TEST_SUCCESS)
			ret = check_in_page(mp, objs, n);
		if (ret == TEST_SUCCESS && rte_mempool_avail_count(mp) != 0)
			ret = TEST_FAILED;
		if (ret == TEST_SUCCESS) {
			void *extra;

			if (rte_mempool_generic_get(mp, &extra, 1, NULL) == 0)
				ret = TEST_FAILED;
		}
		if (objs != NULL)
			rte_mempool_generic_put(mp, objs, n, NULL);
		if (ret == TEST_SUCCESS && rte_mempool_avail_count(mp) != n)
			ret = TEST_FAILED;
		free(objs);
		rte_mempool_free(mp);
		TEST_ASSERT(ret == TEST_SUCCESS,
			"pool %u x %u flags %#x: get/put of every object failed",
			n, cfg[k].elt, cfg[k].flags);
	}
	return TEST_SUCCESS;
}

/*
 * Small elements: more than 65536 objects in one page need 32-bit
 * counters (DPDK's bucket driver fails there). Debug builds keep a 16-byte
 * record per object in the page header, which leaves room for fewer.
 */
static int
test_small_elements(void)
{
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
	const uint64_t min_per_page = 16384;
#else
	const uint64_t min_per_page = 65536;
#endif
	const unsigned int n = 100000;
	struct rte_mempool_pagefrag_stats st;
	struct rte_mempool *mp;
	void **objs;
	int ret;

	mp = pf_test_pool("pf_small", n, 0, 0, RTE_MEMPOOL_F_NO_CACHE_ALIGN);
	TEST_ASSERT_NOT_NULL(mp, "pool of %u zero-size elements", n);
	rte_mempool_pagefrag_stats_get(mp, &st);
	printf("small elements: %" PRIu64 " bytes each, %" PRIu64 " per page\n",
		st.elt_total_size, st.objs_per_page);
	objs = calloc(n, sizeof(void *));
	ret = get_all(mp, objs, n);
	if (ret == TEST_SUCCESS)
		ret = check_in_page(mp, objs, n);
	rte_mempool_generic_put(mp, objs, n, NULL);
	if (ret == TEST_SUCCESS && st.objs_per_page <= min_per_page)
		ret = TEST_FAILED;
	if (ret == TEST_SUCCESS && rte_mempool_avail_count(mp) != n)
		ret = TEST_FAILED;
	free(objs);
	rte_mempool_free(mp);
	return ret;
}

/*
 * Pinned pages: hold one object of every page; every other object must
 * still be obtainable, the pool answers -ENOBUFS only when it is empty.
 */
static int
test_pinned_pages(void)
{
	const unsigned int n = 8000;
	struct rte_mempool_pagefrag_stats st;
	struct rte_mempool *mp;
	struct pf_test_log log;
	void **objs, **pins;
	unsigned int i, npins = 0, got = 0;
	char *text = NULL;
	int ret = TEST_FAILED;
	bool dry;

	mp = pf_test_pool("pf_pinned", n, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	objs = calloc(n, sizeof(void *));
	pins = calloc(n, sizeof(void *));
	if (get_all(mp, objs, n) != TEST_SUCCESS)
		goto out;
	/* keep the first object of each page, return the others scattered */
	for (i = 0; i < n; i++) {
		if (i == 0 || ((uintptr_t)objs[i] & ~(PAGE - 1)) !=
				((uintptr_t)objs[i - 1] & ~(PAGE - 1)))
			pins[npins++] = objs[i];
		else
			objs[got++] = objs[i];
	}
	for (i = 0; i < got; i++) {
		unsigned int j = rte_rand_max(got - i) + i;
		void *t = objs[i];

		objs[i] = objs[j];
		objs[j] = t;
	}
	for (i = 0; i < got; i++)
		rte_mempool_generic_put(mp, &objs[i], 1, NULL);
	rte_mempool_pagefrag_stats_get(mp, &st);
	printf("pinned: %u pages each pinned by one object, %" PRIu64
		" partial pages, %" PRIu64 " objects pinned\n", npins,
		st.pages_partial, st.objs_pinned);
	if (npins < 2 || rte_mempool_avail_count(mp) != got) {
		printf("avail %u, expected %u\n", rte_mempool_avail_count(mp), got);
		goto out;
	}
	/*
	 * Every returned object comes back, in bulks of 7 and singles. A
	 * pool running on partial pages and then dry is normal operation:
	 * the driver logs nothing a user sees by default.
	 */
	if (pf_test_log_begin(&log) != 0)
		goto out;
	for (i = 0; i < got; ) {
		unsigned int k = RTE_MIN(7u, got - i);

		if (rte_mempool_generic_get(mp, &objs[i], k, NULL) != 0)
			break;
		i += k;
	}
	dry = rte_mempool_generic_get(mp, &objs[got], 1, NULL) != 0;
	text = pf_test_log_end(&log);
	if (text == NULL)
		goto out;
	if (pf_test_log_driver_lines(text, "logged while running on partial pages") != 0) {
		printf("the driver logged at NOTICE or above in normal operation\n");
		goto out;
	}
	if (i < got) {
		printf("get refused after %u of %u objects\n", i, got);
		goto out;
	}
	if (!dry || rte_mempool_avail_count(mp) != 0) {
		printf("pool not empty after taking every free object\n");
		goto out;
	}
	rte_mempool_pagefrag_stats_get(mp, &st);
	if (st.partial_reuses == 0) {
		printf("no partial page was reused\n");
		goto out;
	}
	rte_mempool_generic_put(mp, objs, got, NULL);
	rte_mempool_generic_put(mp, pins, npins, NULL);
	if (rte_mempool_avail_count(mp) != n)
		goto out;
	/*
	 * The objects the lcore's frag cache recycled hold their pages;
	 * once it is emptied, every page is free again.
	 */
	if (rte_mempool_pagefrag_cache_flush(mp) != 0 ||
			rte_mempool_avail_count(mp) != n)
		goto out;
	rte_mempool_pagefrag_stats_get(mp, &st);
	if (st.pages_partial != 0) {
		printf("%" PRIu64 " partial pages left with every object back and the frag cache emptied\n",
			st.pages_partial);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	free(text);
	free(objs);
	free(pins);
	rte_mempool_free(mp);
	return ret;
}

/*
 * Make the page of the objects just got foreign to the calling lcore: its
 * cache drops the page and takes another one (got and put back at once,
 * with no atomic), so puts of the first page's objects go to its freemap.
 */
static int
foreign_page(struct rte_mempool *mp)
{
	void *objs[32];

	rte_mempool_pagefrag_cache_flush(mp);
	if (rte_mempool_generic_get(mp, objs, 32, NULL) != 0)
		return -1;
	rte_mempool_generic_put(mp, objs, 32, NULL);
	return 0;
}

#define FOREIGN_GOT 192

/*
 * Get FOREIGN_GOT objects (the page's first ones when the lcore's carve is
 * at its start), make their page foreign, and count the atomics of a put
 * of n of them from first on; the others are put back after the count.
 * 0, or -1 when a get failed.
 *
 * The exact counts expected of it assume that the whole put goes to the
 * page: n is larger than the lcore's recycle stack (PF_RECYCLE, 128
 * objects, in pf_state.h), the stack is empty (foreign_page()'s flush
 * empties it) and nothing was taken from it since it last overflowed
 * (that flag survives the flush), so pf_put_slow() keeps none of the
 * objects. A larger stack, or a get served from it earlier in the test,
 * would keep some and change the counts without anything being wrong.
 */
static int
foreign_put_atomics(struct rte_mempool *mp, unsigned int first,
		unsigned int n, uint64_t *atomics)
{
	struct rte_mempool_pagefrag_stats a, b;
	void *objs[FOREIGN_GOT];

	if (rte_mempool_generic_get(mp, objs, FOREIGN_GOT, NULL) != 0 ||
			foreign_page(mp) != 0)
		return -1;
	rte_mempool_pagefrag_stats_get(mp, &a);
	rte_mempool_generic_put(mp, &objs[first], n, NULL);
	rte_mempool_pagefrag_stats_get(mp, &b);
	if (first != 0)
		rte_mempool_generic_put(mp, objs, first, NULL);
	if (first + n < FOREIGN_GOT)
		rte_mempool_generic_put(mp, &objs[first + n],
			FOREIGN_GOT - first - n, NULL);
	*atomics = b.atomics - a.atomics;
	return 0;
}

/*
 * The run-to-completion pattern (get a burst, put the same burst back)
 * costs no atomic at all: the carve is rewound. Puts of objects of other
 * pages cost one refcount atomic per run plus one per freemap word they
 * fill in part (a whole word is a plain store).
 */
static int
test_atomics_per_object(void)
{
	struct rte_mempool_pagefrag_stats a, b;
	void *objs[128], *two[2][128], *mixed[256];
	uint64_t atomics;
	struct rte_mempool *mp;
	unsigned int i, k;
	int ret = TEST_FAILED;

	mp = pf_test_pool("pf_atomics", 4096, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	/* warm up: the lcore's cache takes a page */
	if (rte_mempool_generic_get(mp, objs, 32, NULL) != 0)
		goto out;
	rte_mempool_generic_put(mp, objs, 32, NULL);
	rte_mempool_pagefrag_stats_get(mp, &a);
	for (i = 0; i < 1000; i++) {
		for (k = 0; k < 128; k += 32)
			if (rte_mempool_generic_get(mp, &objs[k], 32, NULL) != 0)
				goto out;
		for (k = 0; k < 128; k += 32)
			rte_mempool_generic_put(mp, &objs[k], 32, NULL);
	}
	rte_mempool_pagefrag_stats_get(mp, &b);
	printf("1000 x (4 gets + 4 puts of 32): %" PRIu64 " atomics, %" PRIu64
		" objects rewound\n", b.atomics - a.atomics, b.rewinds - a.rewinds);
	if (b.atomics != a.atomics || b.rewinds - a.rewinds != 128000) {
		printf("run-to-completion pattern did atomics\n");
		goto out;
	}
	/*
	 * Objects of another page: the first 192 of the page (the carve was
	 * rewound to its start), three whole freemap words in one run, more
	 * than the recycle stack keeps: they go to the page. Whole words are
	 * stored, not ORed ((1a) in pf_page.h): one atomic, the refcount's
	 * subtraction.
	 */
	if (foreign_put_atomics(mp, 0, 192, &atomics) != 0)
		goto out;
	printf("put of 192 objects (three whole freemap words) of one foreign page: %" PRIu64 " atomics\n",
		atomics);
	if (atomics != 1) {
		printf("not one atomic (the refcount) for whole freemap words\n");
		goto out;
	}
	/* 150 of them from the middle of word 0: two partial words ORed */
	if (foreign_put_atomics(mp, 14, 150, &atomics) != 0)
		goto out;
	printf("put of 150 objects (two partial freemap words, one whole) of one foreign page: %" PRIu64 " atomics\n",
		atomics);
	if (atomics != 3) {
		printf("not one atomic per partial freemap word + the refcount\n");
		goto out;
	}
	if (rte_mempool_avail_count(mp) != 4096) {
		printf("%u of 4096 objects available after the foreign puts\n",
			rte_mempool_avail_count(mp));
		goto out;
	}
	/*
	 * Two queues' objects interleaved in one put (two foreign pages,
	 * no two neighbours in the array on one page): gathered per page,
	 * one subtraction per page and one OR per freemap word, not two
	 * atomics per object.
	 */
	if (rte_mempool_generic_get(mp, two[0], 128, NULL) != 0)
		goto out;
	rte_mempool_pagefrag_cache_flush(mp);
	if (rte_mempool_generic_get(mp, two[1], 128, NULL) != 0)
		goto out;
	rte_mempool_pagefrag_cache_flush(mp);
	if (((uintptr_t)two[0][0] ^ (uintptr_t)two[1][0]) < b.page_size) {
		printf("the two gets came from one page\n");
		goto out;
	}
	for (k = 0; k < 128; k++) {
		mixed[2 * k] = two[0][k];
		mixed[2 * k + 1] = two[1][127 - k];	/* one of them LIFO */
	}
	rte_mempool_pagefrag_stats_get(mp, &a);
	rte_mempool_generic_put(mp, mixed, 256, NULL);
	rte_mempool_pagefrag_stats_get(mp, &b);
	printf("put of 256 objects of two pages interleaved: %" PRIu64 " atomics\n",
		b.atomics - a.atomics);
	if (b.atomics - a.atomics > 2 * (128 / 64 + 2)) {
		printf("more atomics than pages + freemap words\n");
		goto out;
	}
	/*
	 * Objects of the cache's page coming back in no order (every other
	 * one, then the rest): kept by the cache with no atomic, and handed
	 * out again first, the last put first.
	 */
	if (rte_mempool_generic_get(mp, objs, 64, NULL) != 0)
		goto out;
	for (k = 0; k < 32; k++) {
		mixed[k] = objs[2 * k];
		mixed[32 + k] = objs[2 * k + 1];
	}
	rte_mempool_pagefrag_stats_get(mp, &a);
	rte_mempool_generic_put(mp, mixed, 64, NULL);
	rte_mempool_pagefrag_stats_get(mp, &b);
	if (rte_mempool_generic_get(mp, objs, 32, NULL) != 0)
		goto out;
	printf("64 objects of the cache's page put in no order: %" PRIu64
		" atomics; the next get hands out the last 32 put: %s\n",
		b.atomics - a.atomics,
		memcmp(objs, &mixed[32], 32 * sizeof(void *)) == 0 ? "yes" : "no");
	if (b.atomics != a.atomics ||
			memcmp(objs, &mixed[32], 32 * sizeof(void *)) != 0)
		goto out;
	rte_mempool_generic_put(mp, objs, 32, NULL);
	if (rte_mempool_generic_get(mp, objs, 32, NULL) != 0)
		goto out;
	rte_mempool_generic_put(mp, objs, 32, NULL);
	if (rte_mempool_avail_count(mp) != 4096)
		goto out;
	ret = TEST_SUCCESS;
out:
	rte_mempool_free(mp);
	return ret;
}

struct put_job {
	struct rte_mempool *mp;
	void **objs;
	unsigned int n;
};

/* A thread with no lcore id puts j's objects: they go to their freemaps. */
static void *
put_from_non_eal(void *arg)
{
	struct put_job *j = arg;

	rte_mempool_generic_put(j->mp, j->objs, j->n, NULL);
	return NULL;
}

#define DROP_POOL 2048

/*
 * A cache that drops its page while it holds objects it reclaimed from a
 * freemap word with gaps (their bits are its rmask) gives them back with
 * one OR of that word, and the page's references with one subtraction: two
 * atomics, none per object. And they are all available again, once.
 */
static int
test_drop_reclaimed_atomics(void)
{
	static void *objs[DROP_POOL];
	void *odd[32], *one;
	struct rte_mempool_pagefrag_stats a, b;
	struct put_job job;
	struct rte_mempool *mp;
	unsigned int i, first, elt;
	pthread_t th;
	int ret = TEST_FAILED;

	mp = pf_test_pool("pf_drop_rmask", DROP_POOL, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	elt = mp->header_size + mp->elt_size + mp->trailer_size;
	/* every object out: the lcore's cache holds the last page, carved */
	for (i = 0; i < DROP_POOL; i += 64)
		if (rte_mempool_generic_get(mp, &objs[i], 64, NULL) != 0) {
			printf("get of objects %u to %u failed\n", i, i + 63);
			goto out;
		}
	/* that page's first object: where the carve's addresses start */
	for (first = DROP_POOL - 1; first > 0; first--)
		if ((uintptr_t)objs[first] - (uintptr_t)objs[first - 1] != elt)
			break;
	if (DROP_POOL - first < 64) {
		/* small pages (memory populated in pieces): no word to fill */
		printf("skipped: the last page holds %u objects, 64 needed\n",
			DROP_POOL - first);
		ret = TEST_SKIPPED;
		goto out;
	}
	/* objects 1, 3, ..., 63 of it come back from another thread */
	for (i = 0; i < 32; i++)
		odd[i] = objs[first + 2 * i + 1];
	job = (struct put_job){ .mp = mp, .objs = odd, .n = 32 };
	if (pthread_create(&th, NULL, put_from_non_eal, &job) != 0) {
		printf("pthread_create failed\n");
		goto out;
	}
	if (pthread_join(th, NULL) != 0) {
		printf("pthread_join failed\n");
		goto out;
	}
	/* the cache takes word 0 back (gaps: its rmask) and hands one out */
	if (rte_mempool_generic_get(mp, &one, 1, NULL) != 0 || one != odd[0]) {
		printf("the get did not hand out the first reclaimed object\n");
		goto out;
	}
	rte_mempool_pagefrag_stats_get(mp, &a);
	rte_mempool_pagefrag_cache_flush(mp);
	rte_mempool_pagefrag_stats_get(mp, &b);
	printf("drop of a page with 31 reclaimed objects held: %" PRIu64
		" atomics, %u objects available\n", b.atomics - a.atomics,
		rte_mempool_avail_count(mp));
#ifndef RTE_MEMPOOL_PAGEFRAG_NO_STATS
	/* without the counters (-Dpagefrag_stats=false) atomics read 0 */
	if (b.atomics - a.atomics != 2) {
		printf("expected 2 atomics\n");
		goto out;
	}
#endif
	if (rte_mempool_avail_count(mp) != 31) {
		printf("expected 31 objects available\n");
		goto out;
	}
	/* the 31 come back, each once */
	if (rte_mempool_generic_get(mp, &odd[1], 31, NULL) != 0) {
		printf("the 31 objects given back are not obtainable\n");
		goto out;
	}
	qsort(&odd[1], 31, sizeof(void *), pf_test_cmp_ptr);
	for (i = 0; i < 31; i++)
		if (odd[1 + i] != objs[first + 2 * i + 3]) {
			printf("object %u got back is not one given back\n", i);
			goto out;
		}
	if (rte_mempool_avail_count(mp) != 0) {
		printf("%u objects available with every one out\n",
			rte_mempool_avail_count(mp));
		goto out;
	}
	/* every object is out once again: all back, all available */
	for (i = 0; i < DROP_POOL; i++)
		rte_mempool_generic_put(mp, &objs[i], 1, NULL);
	if (rte_mempool_avail_count(mp) != DROP_POOL) {
		printf("%u of %u objects available at the end\n",
			rte_mempool_avail_count(mp), DROP_POOL);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	/* a failure leaves objects out: rte_mempool_free() copes */
	rte_mempool_free(mp);
	return ret;
}

struct nonEAL_arg {
	struct rte_mempool *mp;
	unsigned int iters;
	int result;
};

static void *
non_eal_thread(void *p)
{
	struct nonEAL_arg *arg = p;
	void *objs[64];
	unsigned int i;

	arg->result = TEST_FAILED;
	if (rte_lcore_id() != LCORE_ID_ANY)
		return NULL;
	for (i = 0; i < arg->iters; i++) {
		unsigned int k = 1 + rte_rand_max(64);

		if (rte_mempool_generic_get(arg->mp, objs, k, NULL) != 0)
			return NULL;
		memset(objs[0], 0x5a, 64);
		rte_mempool_generic_put(arg->mp, objs, k, NULL);
	}
	arg->result = TEST_SUCCESS;
	return NULL;
}

/* Threads EAL does not know get and put through the shared cache. */
static int
test_non_eal_threads(void)
{
	const unsigned int n = 4096;
	struct nonEAL_arg arg[2];
	struct rte_mempool *mp;
	pthread_t th[2];
	unsigned int i;
	void *objs[64];

	mp = pf_test_pool("pf_noneal", n, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	for (i = 0; i < 2; i++) {
		arg[i].mp = mp;
		arg[i].iters = 20000;
		TEST_ASSERT_SUCCESS(pthread_create(&th[i], NULL, non_eal_thread,
			&arg[i]), "pthread_create");
	}
	/* the main lcore works on the pool meanwhile */
	for (i = 0; i < 20000; i++) {
		if (rte_mempool_generic_get(mp, objs, 16, NULL) == 0)
			rte_mempool_generic_put(mp, objs, 16, NULL);
	}
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	i = rte_mempool_avail_count(mp);
	rte_mempool_free(mp);
	TEST_ASSERT(arg[0].result == TEST_SUCCESS &&
		arg[1].result == TEST_SUCCESS, "a non-EAL thread failed");
	TEST_ASSERT_EQUAL(i, n, "avail count after non-EAL threads");
	return TEST_SUCCESS;
}

/* Freeing a pool gives back every byte of memory it took. */
static int
test_free_returns_memory(void)
{
	struct rte_malloc_socket_stats before, after;
	unsigned int i;
	int socket = rte_socket_id();

	rte_malloc_get_socket_stats(socket, &before);
	for (i = 0; i < 20; i++) {
		struct rte_mempool *mp = pf_test_pool("pf_free", 3000 + i * 500,
			64 + i * 200, i % 2 ? 64 : 0, 0);
		void *o;

		TEST_ASSERT_NOT_NULL(mp, "pool %u", i);
		TEST_ASSERT_SUCCESS(rte_mempool_get(mp, &o), "get");
		rte_mempool_put(mp, o);
		rte_mempool_free(mp);
	}
	rte_malloc_get_socket_stats(socket, &after);
	TEST_ASSERT_EQUAL(after.heap_allocsz_bytes, before.heap_allocsz_bytes,
		"heap bytes allocated after 20 create/free cycles");
	TEST_ASSERT_EQUAL(after.alloc_count, before.alloc_count,
		"heap allocations after 20 create/free cycles");
	return TEST_SUCCESS;
}

/* ---- bad input: clear error, pool intact ---- */

static int
test_bad_elt_size(void)
{
	struct rte_mempool *mp;

	mp = pf_test_pool("pf_big", 4, (unsigned int)PAGE, 0, 0);
	TEST_ASSERT(mp == NULL, "pool of 2 MB objects was created");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "rte_errno for a 2 MB object");
	mp = rte_pktmbuf_pool_create_by_ops("pf_bigmbuf", 8, 0, 0,
		(uint16_t)UINT16_MAX, SOCKET_ID_ANY,
		RTE_MEMPOOL_PAGEFRAG_OPS_NAME);
	TEST_ASSERT_NOT_NULL(mp, "64 KB mbufs fit in a page");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

static int
test_bad_populate(void)
{
	struct rte_mempool_pagefrag_stats st;
	const struct rte_memzone *mz;
	struct rte_mempool *mp;
	char *base;
	void *o[2];
	int ret;

	mp = rte_mempool_create_empty("pf_badpop", 100, 2048, 0, 0,
		SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mp, "create_empty");
	TEST_ASSERT_SUCCESS(rte_mempool_set_ops_byname(mp,
		RTE_MEMPOOL_PAGEFRAG_OPS_NAME, NULL), "set_ops");
	mz = rte_memzone_reserve_aligned("pf_badpop_mz", 2 * PAGE,
		SOCKET_ID_ANY, 0, PAGE);
	TEST_ASSERT_NOT_NULL(mz, "memzone");
	base = mz->addr;
	/* a chunk too short for one object in any page: refused */
	ret = rte_mempool_populate_iova(mp, base, rte_mem_virt2iova(base),
		1024, NULL, NULL);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "populate with a 1 KB chunk");
	TEST_ASSERT_EQUAL(mp->populated_size, 0, "objects from a bad chunk");
	/*
	 * 64 KB that does not start on a 2 MB boundary: the pool falls back
	 * to 4 KB pages (one 2112-byte element each), as page_frag falls back
	 * to order-0 pages
	 */
	ret = rte_mempool_populate_iova(mp, base + 4096,
		rte_mem_virt2iova(base + 4096), 65536, NULL, NULL);
	TEST_ASSERT_EQUAL(ret, 16, "populate with an unaligned 64 KB chunk");
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_stats_get(mp, &st), "stats");
	TEST_ASSERT_EQUAL(st.page_size, 4096, "page size after a small chunk");
	TEST_ASSERT_EQUAL(st.objs_per_page, 1, "objects per 4 KB page");
	/* the page size is the pool's: a chunk without a whole 4 KB page */
	ret = rte_mempool_populate_iova(mp, base + PAGE + 100,
		rte_mem_virt2iova(base + PAGE + 100), 4096, NULL, NULL);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "populate with a chunk across pages");
	TEST_ASSERT_EQUAL(mp->populated_size, 16, "pool intact");
	/* good memory still populates it, in 4 KB pages */
	ret = rte_mempool_populate_iova(mp, base + PAGE,
		rte_mem_virt2iova(base + PAGE), PAGE, NULL, NULL);
	TEST_ASSERT_EQUAL(ret, 100 - 16, "populate with a good 2 MB chunk");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), 100,
		"avail after populate");
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, o, 2, NULL), "get");
	rte_mempool_generic_put(mp, o, 2, NULL);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), 100,
		"avail after get/put");
	rte_mempool_free(mp);
	rte_memzone_free(mz);
	return TEST_SUCCESS;
}

#ifndef RTE_MEMPOOL_PAGEFRAG_DEBUG
static int
test_foreign_pointer(void)
{
	struct rte_mempool_pagefrag_stats st;
	struct rte_mempool *mp, *other;
	void *o, *mine, *bad[3];
	int ret;

	mp = pf_test_pool("pf_foreign", 1000, 512, 0, 0);
	other = pf_test_pool("pf_other", 1000, 512, 0, 0);
	TEST_ASSERT(mp != NULL && other != NULL, "pools");
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(other, &o, 1, NULL), "get");
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, &mine, 1, NULL), "get");
	rte_mempool_pagefrag_cache_flush(mp);
	bad[0] = o;				/* another pool's object */
	bad[1] = (char *)mine + 8;		/* inside one of ours */
	bad[2] = mine;				/* a good one */
	ret = rte_mempool_ops_enqueue_bulk(mp, bad, 3);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "put of foreign pointers");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), 1000,
		"avail after the good object of a mixed put");
	rte_mempool_pagefrag_stats_get(mp, &st);
	TEST_ASSERT_EQUAL(st.put_errors, 2, "put errors counted");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(other), 999,
		"the other pool is untouched");
	rte_mempool_generic_put(other, &o, 1, NULL);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(other), 1000, "other pool");
	rte_mempool_free(mp);
	rte_mempool_free(other);
	return TEST_SUCCESS;
}

/*
 * Puts that are no run (one page's objects out of order, two pages' mixed,
 * a third page's among them), short and long (the check's inline pass and
 * its vector call), each with one pointer inside an object: that one is
 * refused and counted, every other object is taken back.
 */
static int
test_foreign_pointer_mixed(void)
{
	static const unsigned int lens[] = { 5, 12, 16, 40, 64 };
	struct rte_mempool_pagefrag_stats st;
	struct rte_mempool *mp;
	unsigned int first[3], cur[3], nb_pages = 0, i, k, t, avail;
	unsigned int errors = 0, replaced = 0;
	void **all, *put[64];
	char *taken;
	int ret;

	mp = pf_test_pool("pf_foreign_mix", 3000, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	all = calloc(3000, sizeof(*all));
	taken = calloc(3000, 1);
	TEST_ASSERT(all != NULL && taken != NULL, "calloc");
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, all, 3000, NULL),
		"get all");
	rte_mempool_pagefrag_cache_flush(mp);
	/* three pages with room for every case: where their objects start */
	qsort(all, 3000, sizeof(*all), pf_test_cmp_ptr);
	for (i = 0, k = 0; i <= 3000 && nb_pages < 3; i++) {
		if (i < 3000 && ((uintptr_t)all[i] ^ (uintptr_t)all[k]) <
				RTE_MEMPOOL_PAGEFRAG_PAGE_SIZE)
			continue;
		if (i - k >= 450)
			first[nb_pages++] = k;
		k = i;
	}
	if (nb_pages < 3) {
		printf("no three pages of 450 objects (small pages?)\n");
		for (i = 0; i < 3000; i++)
			rte_mempool_generic_put(mp, &all[i], 1, NULL);
		free(all);
		free(taken);
		rte_mempool_free(mp);
		return TEST_SKIPPED;
	}
	memcpy(cur, first, sizeof(cur));
	for (t = 0; t < 3; t++) {
		for (k = 0; k < RTE_DIM(lens); k++) {
			unsigned int n = lens[k];

			for (i = 0; i < n; i++) {
				/*
				 * pairs swapped (no run): page 0's objects;
				 * pages 0 and 1 alternately; and one of page
				 * 2 among those
				 */
				unsigned int pg = t == 0 ? 0 : (i & 1);
				unsigned int idx = cur[pg] + ((i >> (t != 0)) ^ 1);

				put[i] = all[idx];
				taken[idx] = 1;
				if (i == n / 2 + 1)
					replaced = idx;
			}
			cur[0] += n + 1;
			if (t != 0)
				cur[1] += n + 1;
			if (t == 2) {
				taken[replaced] = 0;
				taken[cur[2]] = 1;
				put[n / 2 + 1] = all[cur[2]++];
			}
			avail = rte_mempool_avail_count(mp);
			put[n / 2] = (char *)put[n / 2] + 8;
			ret = rte_mempool_ops_enqueue_bulk(mp, put, n);
			errors++;
			TEST_ASSERT_EQUAL(ret, -EINVAL,
				"put of %u with a pointer inside an object (case %u)",
				n, t);
			TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp),
				avail + n - 1,
				"the %u good objects back (case %u)", n - 1, t);
			rte_mempool_pagefrag_stats_get(mp, &st);
			TEST_ASSERT_EQUAL(st.put_errors, errors, "errors counted");
			/* the refused one goes back as it is */
			put[0] = (char *)put[n / 2] - 8;
			TEST_ASSERT_SUCCESS(rte_mempool_ops_enqueue_bulk(mp,
				put, 1), "the refused object, right");
		}
	}
	/* the objects no case put back */
	for (i = 0; i < 3000; i++)
		if (!taken[i])
			rte_mempool_generic_put(mp, &all[i], 1, NULL);
	free(all);
	free(taken);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), 3000,
		"every object back");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}
#endif

static int
test_ops_registered_once(void)
{
	unsigned int i, found = 0;
	struct rte_mempool *mp;

	for (i = 0; i < rte_mempool_ops_table.num_ops; i++)
		if (strcmp(rte_mempool_ops_table.ops[i].name,
				RTE_MEMPOOL_PAGEFRAG_OPS_NAME) == 0)
			found++;
	TEST_ASSERT_EQUAL(found, 1, "\"pagefrag\" entries in the ops table");
	mp = pf_test_pool("pf_ops", 64, 64, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_check_ops(mp), "check_ops");
	TEST_ASSERT(rte_mempool_pagefrag_is_pagefrag(mp), "is_pagefrag");
	rte_mempool_free(mp);
	mp = rte_mempool_create("pf_ring", 64, 64, 0, 0, NULL, NULL, NULL,
		NULL, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mp, "ring pool");
	TEST_ASSERT(!rte_mempool_pagefrag_is_pagefrag(mp), "ring is not pagefrag");
	TEST_ASSERT_EQUAL(rte_mempool_pagefrag_cache_flush(mp), -EINVAL,
		"API call on a ring pool");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

/* Pages lie on the pool's socket (move_pages query). */
static int
test_numa_placement(void)
{
#ifdef RTE_HAS_LIBNUMA
	struct rte_mempool *mp;
	void *objs[2000];
	unsigned int i;
	int socket = rte_socket_id();

	if (numa_available() < 0) {
		printf("no NUMA information on this machine\n");
		return TEST_SKIPPED;
	}
	mp = rte_mempool_create_empty("pf_numa", 2000, 2048, 0, 0, socket, 0);
	TEST_ASSERT_NOT_NULL(mp, "create");
	TEST_ASSERT_SUCCESS(rte_mempool_set_ops_byname(mp,
		RTE_MEMPOOL_PAGEFRAG_OPS_NAME, NULL), "set_ops");
	TEST_ASSERT(rte_mempool_populate_default(mp) > 0, "populate");
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, objs, 2000, NULL), "get");
	for (i = 0; i < 2000; i += 100) {
		void *page = objs[i];
		int status = -1;

		*(volatile char *)page = 1;
		TEST_ASSERT_SUCCESS(move_pages(0, 1, &page, NULL, &status, 0),
			"move_pages query");
		TEST_ASSERT_EQUAL(status, socket,
			"node of object %u (pool on socket %d)", i, socket);
	}
	rte_mempool_generic_put(mp, objs, 2000, NULL);
	rte_mempool_free(mp);
	return TEST_SUCCESS;
#else
	printf("built without libnuma\n");
	return TEST_SKIPPED;
#endif
}

/* With hugepages, pages are 2 MB hugepages or slices of 1 GB ones. */
static int
test_hugepage_backing(void)
{
	struct rte_mempool *mp;
	const struct rte_memseg *ms;
	void *o;

	if (!test_has_hugepages()) {
		printf("needs hugepages (runs with --no-huge)\n");
		return TEST_SKIPPED;
	}
	mp = pf_test_pool("pf_huge", 3000, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, &o, 1, NULL), "get");
	ms = rte_mem_virt2memseg(o, NULL);
	TEST_ASSERT_NOT_NULL(ms, "object in DPDK memory");
	printf("objects on %" PRIu64 " kB hugepages\n", ms->hugepage_sz >> 10);
	TEST_ASSERT(ms->hugepage_sz >= PAGE, "hugepage size %" PRIu64,
		ms->hugepage_sz);
	rte_mempool_generic_put(mp, &o, 1, NULL);
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

/* With a mempool cache on each lcore, counts stay exact. */
static int
lcore_cache_worker(void *p)
{
	struct rte_mempool *mp = p;
	void *objs[64];
	unsigned int i;

	for (i = 0; i < 100000; i++) {
		unsigned int k = 1 + (i % 64);

		if (rte_mempool_get_bulk(mp, objs, k) == 0)
			rte_mempool_put_bulk(mp, objs, k);
	}
	return 0;
}

static int
test_mempool_cache(void)
{
	struct rte_mempool *mp;
	unsigned int lcore;

	mp = pf_test_pool("pf_cache", 8192, 2048, 256, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	RTE_LCORE_FOREACH_WORKER(lcore)
		rte_eal_remote_launch(lcore_cache_worker, mp, lcore);
	lcore_cache_worker(mp);
	rte_eal_mp_wait_lcore();
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), 8192,
		"avail with objects in mempool caches");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

struct take_arg {
	struct rte_mempool *mp;
	void **objs;
	unsigned int n;
	int ret;
};

static int
take_all(void *p)
{
	struct take_arg *a = p;

	a->ret = rte_mempool_generic_get(a->mp, a->objs, a->n, NULL);
	return 0;
}

/*
 * Objects an lcore took from its page and another thread gave back are
 * obtainable by every thread, even while that lcore still holds the page.
 */
static int
test_returned_to_held_page(void)
{
	struct rte_mempool_pagefrag_stats st;
	struct take_arg a;
	struct rte_mempool *mp;
	unsigned int worker = rte_get_next_lcore(-1, 1, 0), n;
	void **objs;
	int ret;

	if (worker >= RTE_MAX_LCORE) {
		printf("needs 2 lcores\n");
		return TEST_SKIPPED;
	}
	mp = pf_test_pool("pf_held", 500, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	rte_mempool_pagefrag_stats_get(mp, &st);
	TEST_ASSERT_EQUAL(st.pages_total, 1, "one page");
	n = 500;
	objs = calloc(n, sizeof(void *));
	a.mp = mp;
	a.objs = objs;
	a.n = n;
	rte_eal_remote_launch(take_all, &a, worker);
	rte_eal_wait_lcore(worker);
	TEST_ASSERT_SUCCESS(a.ret, "lcore %u takes every object", worker);
	/* the main lcore frees them: they go to the page lcore 1 holds */
	rte_mempool_generic_put(mp, objs, n, NULL);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), n, "avail");
	ret = rte_mempool_generic_get(mp, objs, n, NULL);
	TEST_ASSERT_SUCCESS(ret, "main lcore gets the returned objects");
	rte_mempool_generic_put(mp, objs, n, NULL);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), n, "avail");
	free(objs);
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

static int
take_and_return(void *p)
{
	struct take_arg *a = p;

	/* take every object, give them back: they stay in this lcore's cache */
	a->ret = rte_mempool_generic_get(a->mp, a->objs, a->n, NULL);
	if (a->ret == 0)
		rte_mempool_generic_put(a->mp, a->objs, a->n, NULL);
	return 0;
}

/*
 * Objects an idle lcore's frag cache holds privately (the rest of its page,
 * the runs it gave back) are obtainable by another lcore: the get that
 * would fail empties the idle cache first.
 */
static int
test_idle_cache_emptied(void)
{
	struct rte_mempool_pagefrag_stats st;
	struct take_arg a;
	struct rte_mempool *mp;
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	const unsigned int n = 4000;
	void **objs;

	if (worker >= RTE_MAX_LCORE) {
		printf("needs 2 lcores\n");
		return TEST_SKIPPED;
	}
	mp = pf_test_pool("pf_idle", n, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	objs = calloc(n, sizeof(void *));
	a.mp = mp;
	a.objs = objs;
	a.n = n;
	rte_eal_remote_launch(take_and_return, &a, worker);
	rte_eal_wait_lcore(worker);
	TEST_ASSERT_SUCCESS(a.ret, "lcore %u takes every object", worker);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), n, "avail");
	rte_mempool_pagefrag_stats_get(mp, &st);
	TEST_ASSERT_EQUAL(st.pages_carving, 1, "the idle lcore holds a page");
	/* lcore 1 is idle now; the main lcore takes everything */
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, objs, n, NULL),
		"main lcore gets every object while lcore %u idles", worker);
	rte_mempool_pagefrag_stats_get(mp, &st);
	printf("frag caches emptied for the main lcore: %" PRIu64 "\n",
		st.cache_flushes);
	TEST_ASSERT(st.cache_flushes >= 1, "no cache was emptied");
	rte_mempool_generic_put(mp, objs, n, NULL);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), n, "avail");
	/* and the idle lcore works again afterwards */
	rte_eal_remote_launch(take_and_return, &a, worker);
	rte_eal_wait_lcore(worker);
	TEST_ASSERT_SUCCESS(a.ret, "lcore %u takes every object again", worker);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), n, "avail");
	free(objs);
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
/* Debug builds panic on a double put, naming the object and its page. */
static int
test_double_put_panics(void)
{
	struct rte_mempool *mp;
	pid_t pid;
	int status;
	void *o;

	mp = pf_test_pool("pf_dbl", 100, 64, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, &o, 1, NULL), "get");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		rte_mempool_generic_put(mp, &o, 1, NULL);
		rte_mempool_generic_put(mp, &o, 1, NULL);
		_exit(0);
	}
	TEST_ASSERT(pid > 0, "fork");
	waitpid(pid, &status, 0);
	TEST_ASSERT(WIFSIGNALED(status), "double put did not panic");
	/* hugepage memory is shared with the child: its first put counted */
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), 100,
		"avail after the child's put");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}
#endif

/*
 * Objects per page before the pool exists: what a pool built from the
 * same element size and flags holds per 2 MB page; too large an object
 * is refused with EINVAL.
 */
static int
test_objs_per_page(void)
{
	const uint32_t elt = sizeof(struct rte_mbuf) + RTE_MBUF_DEFAULT_BUF_SIZE;
	struct rte_mempool_pagefrag_stats st;
	struct rte_mempool *mp;
	int n;

	n = rte_mempool_pagefrag_objs_per_page(elt, 0);
	TEST_ASSERT(n > 0, "objs_per_page(%u): %d", elt, n);
	mp = rte_pktmbuf_pool_create_by_ops("pf_opp", 4096, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY,
		RTE_MEMPOOL_PAGEFRAG_OPS_NAME);
	TEST_ASSERT_NOT_NULL(mp, "mbuf pool: %s", rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_stats_get(mp, &st), "stats");
	rte_mempool_free(mp);
	printf("%u-byte mbufs: %d per 2 MB page predicted; the pool has %" PRIu64
		" per %" PRIu64 "-byte page\n", elt, n, st.objs_per_page,
		st.page_size);
	if (st.page_size == UINT64_C(2) << 20)
		TEST_ASSERT_EQUAL((uint64_t)n, st.objs_per_page,
			"prediction against the pool");
	else
		printf("the pool has smaller pages (this memory): the count is not compared\n");
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_mempool_pagefrag_objs_per_page(4u << 20, 0),
		-EINVAL, "a 4 MB object");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "rte_errno");
	return TEST_SUCCESS;
}

static const struct unit_test_case pagefrag_cases[] = {
	{ "ops registered once, API checks", test_ops_registered_once },
	{ "rte_pktmbuf_pool_create: every mbuf, IOVA", test_pktmbuf_pool },
	{ "objects per page before the pool exists", test_objs_per_page },
	{ "create_empty+populate: every object, page bounds", test_create_empty_all_objects },
	{ "small elements: >65536 objects per page", test_small_elements },
	{ "pinned pages: all other objects obtainable", test_pinned_pages },
	{ "objects returned to another lcore's page obtainable", test_returned_to_held_page },
	{ "objects an idle lcore's cache holds obtainable", test_idle_cache_emptied },
	{ "no atomics on run-to-completion get/put", test_atomics_per_object },
	{ "dropping reclaimed objects: two atomics", test_drop_reclaimed_atomics },
	{ "non-EAL threads", test_non_eal_threads },
	{ "mempool cache on 2 lcores: exact count", test_mempool_cache },
	{ "pool free returns all memory", test_free_returns_memory },
	{ "bad input: element larger than a page", test_bad_elt_size },
	{ "bad input: populate chunks too small, small pages", test_bad_populate },
#ifndef RTE_MEMPOOL_PAGEFRAG_DEBUG
	{ "bad input: foreign pointers", test_foreign_pointer },
	{ "bad input: a bad pointer in puts that are no run", test_foreign_pointer_mixed },
#endif
	{ "NUMA placement of pages", test_numa_placement },
	{ "hugepage backing", test_hugepage_backing },
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
	{ "debug build: double put panics", test_double_put_panics },
#endif
};

static int
test_pagefrag(void)
{
	return run_test_suite("pagefrag_autotest", pagefrag_cases,
		RTE_DIM(pagefrag_cases));
}

REGISTER_TEST_COMMAND(pagefrag_autotest, test_pagefrag);
