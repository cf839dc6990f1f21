/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * pagefrag_memory_autotest: every way a pool gets its memory.
 *
 * Each case builds a pagefrag pool through one populate path (default,
 * anon, virt over 4 KB / 64 KB / 2 MB / 1 GB pages mapped here, iova,
 * memory registered with rte_extmem_register, an external malloc heap,
 * RTE_MEMPOOL_F_NO_IOVA_CONTIG) and checks it with pool_check(): every
 * object obtainable, none twice, all inside the memory given, writeable
 * without overlap, avail_count exact after get and put, each object's IOVA
 * the one of its memory (and IOVA-contiguous over the object), and mbufs'
 * buf_iova right. The meson suite runs it once per EAL memory mode
 * (hugepages, --no-huge, --legacy-mem, --single-file-segments,
 * --in-memory); cases needing what the mode lacks report themselves
 * skipped.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memory.h>
#include <rte_mempool.h>

#include <rte_mempool_pagefrag.h>
#include <rte_pagefrag.h>

#include "test.h"
#include "test_pagefrag_util.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif

#define KB(x) ((size_t)(x) << 10)
#define MB(x) ((size_t)(x) << 20)
#define GB(x) ((size_t)(x) << 30)

#define MBUF_DATA (RTE_PKTMBUF_HEADROOM + 2048)
#define FAKE_IOVA UINT64_C(0x4000000000)

/* Memory mapped by a test, and how its IO addresses run. */
struct test_mem {
	char *map;		/* what mmap returned */
	size_t map_len;
	char *addr;		/* the part given to the pool */
	size_t len;
	size_t pg_sz;
	/* IOVA of each pg_sz page of [addr, addr + len), or NULL */
	rte_iova_t *iovas;
	unsigned int nb_pages;
};

/* What the IOVA of a byte of the pool's memory must be. */
enum iova_rule {
	IOVA_NONE,	/* not known (RTE_BAD_IOVA allowed) */
	IOVA_MEM,	/* its memory chunk's IOVA plus its offset */
	IOVA_TABLE,	/* from test_mem.iovas */
};

/*
 * The IO address DPDK gives a byte: its memseg's (external memory: the
 * one registered), else rte_mem_virt2iova() (the rule of
 * rte_mempool_populate_virt).
 */
static rte_iova_t
test_virt2iova(const void *va)
{
	const struct rte_memseg *ms = rte_mem_virt2memseg(va, NULL);

	if (ms == NULL || ms->iova == RTE_BAD_IOVA)
		return rte_mem_virt2iova(va);
	return ms->iova + RTE_PTR_DIFF(va, ms->addr);
}

/*
 * IOVA of va by the memory chunk populate got it in: what DPDK knew of the
 * memory then (anonymous memory whose page was not mapped yet has none).
 * A chunk with an IOVA must carry the memory's (test_virt2iova).
 */
static rte_iova_t
chunk_iova(const struct rte_mempool *mp, const void *va)
{
	const struct rte_mempool_memhdr *hdr;
	const char *p = va;

	STAILQ_FOREACH(hdr, &mp->mem_list, next)
		if (p >= (const char *)hdr->addr &&
				p < (const char *)hdr->addr + hdr->len)
			return hdr->iova == RTE_BAD_IOVA ? RTE_BAD_IOVA :
				hdr->iova + RTE_PTR_DIFF(p, hdr->addr);
	return RTE_BAD_IOVA;
}

static rte_iova_t
expected_iova(const struct rte_mempool *mp, enum iova_rule rule,
		const struct test_mem *m, const void *va)
{
	size_t off;

	switch (rule) {
	case IOVA_MEM:
		return chunk_iova(mp, va);
	case IOVA_TABLE:
		off = (const char *)va - m->addr;
		return m->iovas[off / m->pg_sz] + off % m->pg_sz;
	default:
		return RTE_BAD_IOVA;
	}
}

/* Is va inside the memory the pool was given (m, or its memory chunks)? */
static int
in_pool_memory(const struct rte_mempool *mp, const struct test_mem *m,
		const void *va, size_t len)
{
	const struct rte_mempool_memhdr *hdr;
	const char *p = va;

	if (m != NULL)
		return p >= m->addr && p + len <= m->addr + m->len;
	STAILQ_FOREACH(hdr, &mp->mem_list, next)
		if (p >= (const char *)hdr->addr &&
				p + len <= (const char *)hdr->addr + hdr->len)
			return 1;
	return 0;
}

static int
check_iova(struct rte_mempool *mp, enum iova_rule rule,
		const struct test_mem *m, void *obj)
{
	rte_iova_t want, got = rte_mempool_virt2iova(obj);
	size_t sz = mp->elt_size;

	if (rule == IOVA_NONE)
		return TEST_SUCCESS;
	want = expected_iova(mp, rule, m, obj);
	TEST_ASSERT(got == want, "object %p: IOVA %#" PRIx64 ", memory says %#"
		PRIx64, obj, got, want);
	if (want == RTE_BAD_IOVA)
		return TEST_SUCCESS;
	TEST_ASSERT(rule != IOVA_MEM || want == test_virt2iova(obj),
		"object %p: chunk IOVA %#" PRIx64 ", the memory's is %#" PRIx64,
		obj, want, test_virt2iova(obj));
	/* an object is IOVA-contiguous (the mempool contract without
	 * RTE_MEMPOOL_F_NO_IOVA_CONTIG)
	 */
	TEST_ASSERT(expected_iova(mp, rule, m, (char *)obj + sz - 1) ==
		want + sz - 1, "object %p (%zu bytes) not IOVA-contiguous",
		obj, sz);
	return TEST_SUCCESS;
}

/* An mbuf of a pagefrag pktmbuf pool: data room and IOVA right. */
static int
check_mbuf(struct rte_mempool *mp, enum iova_rule rule,
		const struct test_mem *m, struct rte_mbuf *mb)
{
	uint32_t off = sizeof(*mb) + rte_pktmbuf_priv_size(mp);
	rte_iova_t want;

	TEST_ASSERT(mb->pool == mp, "mbuf %p: pool %p", (void *)mb,
		(void *)mb->pool);
	TEST_ASSERT(mb->buf_addr == (char *)mb + off, "mbuf %p: buf_addr %p",
		(void *)mb, mb->buf_addr);
	TEST_ASSERT(mb->buf_len == rte_pktmbuf_data_room_size(mp),
		"mbuf %p: buf_len %u", (void *)mb, mb->buf_len);
	if (rule == IOVA_NONE)
		return TEST_SUCCESS;
	want = expected_iova(mp, rule, m, mb->buf_addr);
	if (want != RTE_BAD_IOVA)
		TEST_ASSERT(rte_mbuf_data_iova_default(mb) ==
			want + RTE_PKTMBUF_HEADROOM,
			"mbuf %p: buf_iova %#" PRIx64 ", memory says %#" PRIx64,
			(void *)mb, mb->buf_iova, want);
	return TEST_SUCCESS;
}

/*
 * Get every object of a fully populated pool (twice over, putting them back
 * in between) and check each, see the file comment. m: the memory given to
 * the pool, or NULL for its memory chunks.
 */
static int
pool_check(struct rte_mempool *mp, unsigned int n, const struct test_mem *m,
		enum iova_rule rule, int mbufs)
{
	struct rte_mempool_pagefrag_stats st;
	void **objs = calloc(n + 1, sizeof(void *));
	uintptr_t *sorted = calloc(n + 1, sizeof(uintptr_t));
	unsigned int got, i, round;
	int ret = TEST_FAILED;

	TEST_ASSERT(objs != NULL && sorted != NULL, "no memory");
	if (rte_mempool_pagefrag_stats_get(mp, &st) == 0)
		printf("pool %s: %u objects of %u bytes in %" PRIu64 " pages of %" PRIu64 " bytes, %u memory chunks\n",
			mp->name, mp->populated_size, mp->elt_size, st.pages_total,
			st.page_size, mp->nb_mem_chunks);
	if (mp->populated_size != n || rte_mempool_avail_count(mp) != n) {
		printf("pool %s: populated %u, avail %u, want %u\n", mp->name,
			mp->populated_size, rte_mempool_avail_count(mp), n);
		goto out;
	}
	for (round = 0; round < 2; round++) {
		/* all of them, in bulks of 1 to 32 */
		for (got = 0; got < n; ) {
			unsigned int b = RTE_MIN(n - got, 1 + got % 32);

			if (rte_mempool_generic_get(mp, &objs[got], b, NULL) < 0)
				break;
			got += b;
		}
		if (got != n || rte_mempool_avail_count(mp) != 0 ||
				rte_mempool_generic_get(mp, &objs[n], 1, NULL) !=
				-ENOBUFS) {
			printf("pool %s round %u: got %u of %u, avail %u after\n",
				mp->name, round, got, n,
				rte_mempool_avail_count(mp));
			goto out;
		}
		for (i = 0; i < n; i++)
			sorted[i] = (uintptr_t)objs[i];
		qsort(sorted, n, sizeof(sorted[0]), pf_test_cmp_ptr);
		for (i = 0; i < n; i++) {
			void *o = (void *)sorted[i];

			if (i + 1 < n && sorted[i] + mp->elt_size > sorted[i + 1]) {
				printf("pool %s: objects %p and %#" PRIxPTR " %s\n",
					mp->name, o, sorted[i + 1],
					sorted[i] == sorted[i + 1] ?
					"handed out twice" : "overlap");
				goto out;
			}
			if (!in_pool_memory(mp, m, (char *)o - mp->header_size,
					mp->header_size + mp->elt_size +
					mp->trailer_size)) {
				printf("pool %s: object %p outside its memory\n",
					mp->name, o);
				goto out;
			}
			if (check_iova(mp, rule, m, o) != TEST_SUCCESS ||
					(mbufs && check_mbuf(mp, rule, m, o) !=
					TEST_SUCCESS))
				goto out;
		}
		/* writeable, and no write lands in another object */
		if (!mbufs) {
			for (i = 0; i < n; i++)
				memset(objs[i], (int)(i * 7 + round), mp->elt_size);
			for (i = 0; i < n; i++) {
				const uint8_t *b = objs[i];

				if (b[0] != (uint8_t)(i * 7 + round) ||
						b[mp->elt_size - 1] != b[0]) {
					printf("pool %s: object %p overwritten\n",
						mp->name, objs[i]);
					goto out;
				}
			}
		}
		rte_mempool_generic_put(mp, objs, n, NULL);
		if (rte_mempool_avail_count(mp) != n) {
			printf("pool %s round %u: avail %u after putting all %u back\n",
				mp->name, round, rte_mempool_avail_count(mp), n);
			goto out;
		}
	}
	ret = TEST_SUCCESS;
out:
	free(objs);
	free(sorted);
	return ret;
}

/* An empty pagefrag pool; mbufs: a pktmbuf pool (call pool_mbuf_init). */
static struct rte_mempool *
empty_pool(const char *name, unsigned int n, unsigned int elt, int mbufs,
		int socket, unsigned int flags)
{
	struct rte_pktmbuf_pool_private priv = {
		.mbuf_data_room_size = MBUF_DATA,
	};
	struct rte_mempool *mp;

	if (mbufs)
		elt = sizeof(struct rte_mbuf) + MBUF_DATA;
	mp = rte_mempool_create_empty(name, n, elt, 0,
		mbufs ? sizeof(priv) : 0, socket, flags);
	if (mp == NULL) {
		printf("cannot create pool %s: %s\n", name, rte_strerror(rte_errno));
		return NULL;
	}
	if (rte_mempool_set_ops_byname(mp, RTE_MEMPOOL_PAGEFRAG_OPS_NAME,
			NULL) != 0) {
		rte_mempool_free(mp);
		return NULL;
	}
	if (mbufs)
		rte_pktmbuf_pool_init(mp, &priv);
	return mp;
}

static void
pool_mbuf_init(struct rte_mempool *mp)
{
	rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);
}

/*
 * Map len bytes starting off bytes after an address aligned on align (so
 * that the memory is NOT aligned on more than off when off != 0), on pages
 * of pg_sz (hugepages through MAP_HUGETLB when pg_sz > 4 KB and huge).
 * Returns 0, or -1 when the kernel gives no such memory.
 */
static int
test_mem_map(struct test_mem *m, size_t len, size_t pg_sz, size_t align,
		size_t off, int huge)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;

	memset(m, 0, sizeof(*m));
	m->map_len = len + align + off;
	if (huge) {
		flags |= MAP_HUGETLB | (rte_bsf64(pg_sz) << MAP_HUGE_SHIFT);
		m->map_len = RTE_ALIGN_CEIL(len + off, pg_sz);
	}
	m->map = mmap(NULL, m->map_len, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (m->map == MAP_FAILED) {
		m->map = NULL;
		return -1;
	}
	/* fault the pages in (hugepages would SIGBUS later otherwise) */
	memset(m->map, 0, m->map_len);
	m->addr = huge ? m->map + off :
		RTE_PTR_ALIGN_CEIL(m->map, align) + off;
	m->len = len;
	m->pg_sz = pg_sz;
	m->nb_pages = len / pg_sz;
	return 0;
}

/* IOVAs of m's pages: fake, page i at FAKE_IOVA + (nb_pages - 1 - i) pages */
static int
test_mem_fake_iovas(struct test_mem *m)
{
	unsigned int i;

	m->iovas = calloc(m->nb_pages, sizeof(rte_iova_t));
	if (m->iovas == NULL)
		return -1;
	for (i = 0; i < m->nb_pages; i++)
		m->iovas[i] = FAKE_IOVA + (rte_iova_t)(m->nb_pages - 1 - i) *
			m->pg_sz;
	return 0;
}

static void
test_mem_unmap(struct test_mem *m)
{
	if (m->map != NULL)
		munmap(m->map, m->map_len);
	free(m->iovas);
	memset(m, 0, sizeof(*m));
}

/* ------------------------------------------------------------ cases */

static int
test_populate_default(void)
{
	struct rte_mempool *mp;
	int ret;

	mp = rte_pktmbuf_pool_create_by_ops("pf_mem_def", 4096, 0, 0, MBUF_DATA,
		SOCKET_ID_ANY, RTE_MEMPOOL_PAGEFRAG_OPS_NAME);
	TEST_ASSERT_NOT_NULL(mp, "pktmbuf pool: %s", rte_strerror(rte_errno));
	ret = pool_check(mp, 4096, NULL, IOVA_MEM, 1);
	rte_mempool_free(mp);
	return ret;
}

static int
populate_anon(const char *name, unsigned int n, unsigned int elt, int mbufs)
{
	struct rte_mempool *mp;
	int ret;

	mp = empty_pool(name, n, elt, mbufs, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	ret = rte_mempool_populate_anon(mp);
	if (ret != (int)n) {
		printf("populate_anon of %u objects of %u bytes: %d (%s)\n", n,
			mp->elt_size, ret, rte_strerror(rte_errno));
		rte_mempool_free(mp);
		return TEST_FAILED;
	}
	if (mbufs)
		pool_mbuf_init(mp);
	ret = pool_check(mp, n, NULL, IOVA_MEM, mbufs);
	rte_mempool_free(mp);
	return ret;
}

/* DPDK's mempool_autotest case: one 4 KB chunk. */
static int
test_populate_anon_small(void)
{
	return populate_anon("pf_mem_anon64", 64, 64, 0);
}

static int
test_populate_anon_large(void)
{
	return populate_anon("pf_mem_anon_mb", 4096, 0, 1);
}

/*
 * populate_virt over memory mapped here, off bytes past a 2 MB boundary
 * (4 KB and 64 KB pages: never 2 MB-aligned), with its pages' own IOVAs.
 */
static int
populate_virt(size_t pg_sz, int huge, size_t len, unsigned int n)
{
	struct test_mem m;
	struct rte_mempool *mp;
	int ret;

	if (test_mem_map(&m, len, pg_sz, MB(2), huge ? 0 : pg_sz, huge) < 0) {
		printf("no %zu kB pages from the kernel\n", pg_sz >> 10);
		return TEST_SKIPPED;
	}
	mp = empty_pool("pf_mem_virt", n, 0, 1, SOCKET_ID_ANY, 0);
	if (mp == NULL) {
		test_mem_unmap(&m);
		return TEST_FAILED;
	}
	ret = rte_mempool_populate_virt(mp, m.addr, m.len, pg_sz, NULL, NULL);
	if (ret != (int)n) {
		printf("populate_virt of %zu bytes at %p, %zu kB pages: %d, want %u (%s)\n",
			m.len, m.addr, pg_sz >> 10, ret, n,
			rte_strerror(rte_errno));
		ret = TEST_FAILED;
	} else {
		pool_mbuf_init(mp);
		ret = pool_check(mp, n, &m, IOVA_MEM, 1);
	}
	rte_mempool_free(mp);
	test_mem_unmap(&m);
	return ret;
}

static int
test_populate_virt_4k(void)
{
	return populate_virt(KB(4), 0, MB(4), 512);
}

static int
test_populate_virt_2m(void)
{
	return populate_virt(MB(2), 1, MB(4), 1024);
}

static int
test_populate_virt_1g(void)
{
	return populate_virt(GB(1), 1, GB(1), 4096);
}

/*
 * Chunks given one by one, without calc_mem_size (an application
 * populating its own memory): a first chunk that happens to be long enough
 * for a 2 MB page but does not start on one (4 KB pages that were
 * physically contiguous by chance) must not make the pool refuse the small
 * chunks that follow. It did, when the first chunk chose 2 MB pages.
 */
static int
test_populate_chunks(void)
{
	const size_t big = MB(2) + KB(8), small = KB(4);
	struct test_mem m;
	struct rte_mempool *mp;
	int a, b, ret = TEST_SUCCESS;

	TEST_ASSERT(test_mem_map(&m, MB(4), KB(4), MB(2), KB(4), 0) == 0,
		"mmap");
	mp = empty_pool("pf_mem_chunks", 2048, 0, 1, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	a = rte_mempool_populate_iova(mp, m.addr, FAKE_IOVA, big, NULL, NULL);
	b = rte_mempool_populate_iova(mp, (char *)m.addr + big + small,
		FAKE_IOVA + MB(16), small, NULL, NULL);
	if (a <= 0 || b <= 0) {
		printf("populate_iova of %zu bytes at %p: %d, then %zu bytes: %d; want objects from both\n",
			big, m.addr, a, small, b);
		ret = TEST_FAILED;
	} else if (rte_mempool_avail_count(mp) != (unsigned int)(a + b)) {
		printf("%u objects available, populated %d\n",
			rte_mempool_avail_count(mp), a + b);
		ret = TEST_FAILED;
	}
	rte_mempool_free(mp);
	test_mem_unmap(&m);
	return ret;
}

/* populate_iova with IO addresses that are not the virtual ones. */
static int
test_populate_iova(void)
{
	struct test_mem m;
	struct rte_mempool *mp;
	unsigned int n = 512;
	int ret;

	TEST_ASSERT(test_mem_map(&m, MB(4), KB(4), MB(2), KB(4), 0) == 0,
		"mmap");
	/* one contiguous fake range: page i at FAKE_IOVA + i pages */
	m.pg_sz = m.len;
	m.nb_pages = 1;
	m.iovas = calloc(1, sizeof(rte_iova_t));
	TEST_ASSERT_NOT_NULL(m.iovas, "no memory");
	m.iovas[0] = FAKE_IOVA;
	mp = empty_pool("pf_mem_iova", n, 0, 1, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	ret = rte_mempool_populate_iova(mp, m.addr, FAKE_IOVA, m.len, NULL,
		NULL);
	if (ret != (int)n) {
		printf("populate_iova of %zu bytes at %p: %d, want %u\n", m.len,
			m.addr, ret, n);
		ret = TEST_FAILED;
	} else {
		pool_mbuf_init(mp);
		ret = pool_check(mp, n, &m, IOVA_TABLE, 1);
	}
	rte_mempool_free(mp);
	test_mem_unmap(&m);
	return ret;
}

/*
 * rte_extmem_register'd memory whose pages have IOVAs in reverse order:
 * populate_virt cuts it into one chunk per page; objects must keep to
 * their page and carry its IOVA.
 */
static int
extmem(size_t pg_sz, int huge, unsigned int n)
{
	struct test_mem m;
	struct rte_mempool *mp;
	int ret;

	/* not 2 MB-aligned unless the pages are */
	if (test_mem_map(&m, MB(4), pg_sz, MB(2), huge ? 0 : pg_sz, huge) < 0) {
		printf("no %zu kB pages from the kernel\n", pg_sz >> 10);
		return TEST_SKIPPED;
	}
	TEST_ASSERT(test_mem_fake_iovas(&m) == 0, "no memory");
	ret = rte_extmem_register(m.addr, m.len, m.iovas, m.nb_pages, pg_sz);
	if (ret != 0) {
		printf("rte_extmem_register: %s\n", rte_strerror(rte_errno));
		test_mem_unmap(&m);
		return TEST_FAILED;
	}
	mp = empty_pool("pf_mem_ext", n, 0, 1, SOCKET_ID_ANY, 0);
	ret = mp == NULL ? -ENOMEM : rte_mempool_populate_virt(mp, m.addr,
		m.len, pg_sz, NULL, NULL);
	if (ret != (int)n) {
		printf("populate_virt of external memory (%zu kB pages): %d, want %u\n",
			pg_sz >> 10, ret, n);
		ret = TEST_FAILED;
	} else {
		pool_mbuf_init(mp);
		ret = pool_check(mp, n, &m, IOVA_TABLE, 1);
	}
	rte_mempool_free(mp);
	TEST_ASSERT_SUCCESS(rte_extmem_unregister(m.addr, m.len),
		"rte_extmem_unregister");
	test_mem_unmap(&m);
	return ret;
}

static int
test_extmem_4k(void)
{
	return extmem(KB(4), 0, 512);
}

/*
 * 64 KB pages: anonymous memory is 4 KB pages, IOVA-contiguous over 64 KB
 * only as registered external memory says so.
 */
static int
test_populate_virt_64k(void)
{
	return extmem(KB(64), 0, 512);
}

static int
test_extmem_2m(void)
{
	return extmem(MB(2), 1, 1024);
}

static const char heap_name[] = "pf_mem_heap";

/*
 * An external malloc heap of 16 MB on pages of pg_sz whose IOVAs run
 * backwards (test_mem_fake_iovas). Returns its socket id, -1 on failure,
 * -2 when the kernel has no such pages.
 */
static int
heap_setup(struct test_mem *m, size_t pg_sz, int huge)
{
	if (test_mem_map(m, MB(16), pg_sz, pg_sz, 0, huge) < 0) {
		printf("no %zu kB pages from the kernel\n", pg_sz >> 10);
		return -2;
	}
	if (test_mem_fake_iovas(m) < 0 || rte_malloc_heap_create(heap_name) != 0) {
		test_mem_unmap(m);
		return -1;
	}
	if (rte_malloc_heap_memory_add(heap_name, m->addr, m->len, m->iovas,
			m->nb_pages, pg_sz) != 0) {
		printf("rte_malloc_heap_memory_add: %s\n", rte_strerror(rte_errno));
		rte_malloc_heap_destroy(heap_name);
		test_mem_unmap(m);
		return -1;
	}
	return rte_malloc_heap_get_socket(heap_name);
}

static void
heap_teardown(struct test_mem *m)
{
	rte_malloc_heap_memory_remove(heap_name, m->addr, m->len);
	rte_malloc_heap_destroy(heap_name);
	test_mem_unmap(m);
}

/*
 * An external malloc heap (testpmd --mp-alloc=xmem / xmemhuge): a pktmbuf
 * pool on the heap's socket id, populate_default reserving from the heap.
 */
static int
ext_heap(size_t pg_sz, int huge, unsigned int n)
{
	struct test_mem m;
	struct rte_mempool *mp;
	int socket, ret = TEST_FAILED;

	socket = heap_setup(&m, pg_sz, huge);
	if (socket < 0)
		return socket == -2 ? TEST_SKIPPED : TEST_FAILED;
	mp = rte_pktmbuf_pool_create_by_ops("pf_mem_heap_mb", n, 0, 0,
		MBUF_DATA, socket, RTE_MEMPOOL_PAGEFRAG_OPS_NAME);
	if (mp == NULL) {
		printf("pktmbuf pool on heap socket %d (%zu kB pages): %s\n",
			socket, pg_sz >> 10, rte_strerror(rte_errno));
	} else {
		ret = pool_check(mp, n, &m, IOVA_TABLE, 1);
		rte_mempool_free(mp);
	}
	heap_teardown(&m);
	return ret;
}

static int
test_ext_heap_4k(void)
{
	return ext_heap(KB(4), 0, 2048);
}

static int
test_ext_heap_2m(void)
{
	return ext_heap(MB(2), 1, 2048);
}

static int
test_no_iova_contig(void)
{
	struct rte_mempool *mp;
	int ret;

	mp = empty_pool("pf_mem_noiova", 3000, 1500, 0, SOCKET_ID_ANY,
		RTE_MEMPOOL_F_NO_IOVA_CONTIG);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	ret = rte_mempool_populate_default(mp);
	if (ret != 3000) {
		printf("populate_default with NO_IOVA_CONTIG: %d\n", ret);
		rte_mempool_free(mp);
		return TEST_FAILED;
	}
	ret = pool_check(mp, 3000, NULL, IOVA_NONE, 0);
	rte_mempool_free(mp);
	return ret;
}

/*
 * A chunk that cannot hold one object is refused with -EINVAL (rte_errno
 * EINVAL), the pool untouched; a chunk that can is then taken.
 */
static int
test_object_too_big(void)
{
	struct test_mem m;
	struct rte_mempool *mp;
	int ret;

	TEST_ASSERT(test_mem_map(&m, MB(4), KB(4), MB(2), KB(4), 0) == 0,
		"mmap");
	mp = empty_pool("pf_mem_big", 4, 6000, 0, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	rte_errno = 0;
	ret = rte_mempool_populate_iova(mp, m.addr, RTE_BAD_IOVA, KB(4), NULL,
		NULL);
	if (ret != -EINVAL || rte_errno != EINVAL || mp->populated_size != 0) {
		printf("6000-byte object in a 4 kB chunk: %d, rte_errno %d, %u populated\n",
			ret, rte_errno, mp->populated_size);
		ret = TEST_FAILED;
		goto out;
	}
	/* the pool is still usable: a large chunk populates it */
	ret = rte_mempool_populate_iova(mp, m.addr + KB(4), RTE_BAD_IOVA,
		m.len - KB(4), NULL, NULL);
	if (ret != 4) {
		printf("then a %zu-byte chunk: %d\n", m.len - KB(4), ret);
		ret = TEST_FAILED;
		goto out;
	}
	ret = pool_check(mp, 4, &m, IOVA_NONE, 0);
out:
	rte_mempool_free(mp);
	test_mem_unmap(&m);
	return ret;
}

/*
 * Fragments of a pool on socket: each one's IOVA is the one of its memory
 * (test_virt2iova), and one that fits in a 4 KB page is IOVA-contiguous.
 */
static int
frag_iova(int socket)
{
	struct rte_pagefrag_pool *fp;
	void *frags[2048];
	unsigned int i, n = 0;
	int ret = TEST_SUCCESS;

	fp = rte_pagefrag_pool_create("pf_mem_frag", 2, socket);
	TEST_ASSERT_NOT_NULL(fp, "fragment pool: %s", rte_strerror(rte_errno));
	for (i = 0; i < RTE_DIM(frags); i++) {
		unsigned int size = 1 + (i * 997) % 3000;
		rte_iova_t iova, want;

		frags[n] = rte_pagefrag_alloc(fp, size, 1u << (i % 7), &iova);
		if (frags[n] == NULL)
			break;
		want = test_virt2iova(frags[n]);
		if (iova != want) {
			printf("fragment %p (%u bytes): IOVA %#" PRIx64 ", memory says %#" PRIx64 "\n",
				frags[n], size, iova, want);
			ret = TEST_FAILED;
		} else if (want != RTE_BAD_IOVA && test_virt2iova(
				(char *)frags[n] + size - 1) != want + size - 1) {
			printf("fragment %p (%u bytes) not IOVA-contiguous\n",
				frags[n], size);
			ret = TEST_FAILED;
		}
		n++;
	}
	if (n < 1000) {
		printf("only %u fragments from 2 pages\n", n);
		ret = TEST_FAILED;
	}
	for (i = 0; i < n; i++)
		rte_pagefrag_free(frags[i]);
	rte_pagefrag_cache_drain(fp);
	TEST_ASSERT_SUCCESS(rte_pagefrag_pool_free(fp), "pool free");
	return ret;
}

static int
test_frag_iova(void)
{
	return frag_iova(SOCKET_ID_ANY);
}

/* External memory whose 4 KB pages' IOVAs run backwards. */
static int
test_frag_iova_ext(void)
{
	struct test_mem m;
	int socket, ret;

	socket = heap_setup(&m, KB(4), 0);
	TEST_ASSERT(socket >= 0, "external heap");
	ret = frag_iova(socket);
	heap_teardown(&m);
	return ret;
}

static const struct unit_test_case memory_cases[] = {
	{ "populate_default, pktmbuf pool", test_populate_default },
	{ "populate_anon, 64 objects of 64 bytes", test_populate_anon_small },
	{ "populate_anon, 4096 mbufs", test_populate_anon_large },
	{ "populate_virt, 4 KB pages", test_populate_virt_4k },
	{ "populate_virt, 64 KB pages (registered, IOVAs backwards)", test_populate_virt_64k },
	{ "populate_virt, 2 MB hugepages", test_populate_virt_2m },
	{ "populate_virt, 1 GB hugepage", test_populate_virt_1g },
	{ "populate_iova, IOVA != VA", test_populate_iova },
	{ "populate_iova, a long unaligned chunk, then a 4 KB one",
		test_populate_chunks },
	{ "rte_extmem_register, 4 KB pages", test_extmem_4k },
	{ "rte_extmem_register, 2 MB hugepages", test_extmem_2m },
	{ "external malloc heap, 4 KB pages", test_ext_heap_4k },
	{ "external malloc heap, 2 MB hugepages", test_ext_heap_2m },
	{ "RTE_MEMPOOL_F_NO_IOVA_CONTIG", test_no_iova_contig },
	{ "object too big for the chunk: -EINVAL", test_object_too_big },
	{ "fragment IOVA, EAL memory", test_frag_iova },
	{ "fragment IOVA, external 4 KB pages, IOVAs backwards", test_frag_iova_ext },
};

static int
test_memory(void)
{
	return run_test_suite("pagefrag_memory_autotest", memory_cases,
		RTE_DIM(memory_cases));
}

REGISTER_TEST_COMMAND(pagefrag_memory_autotest, test_memory);
