/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _RTE_PAGEFRAG_H_
#define _RTE_PAGEFRAG_H_

/**
 * @file
 * pagefrag fragment allocator: page_frag_alloc() and page_frag_free() over
 * refcounted 2 MB pages, and a helper that gives an mbuf a right-sized data
 * room as an external buffer. Part of the pagefrag driver's library
 * (librte_mempool_pagefrag); independent of its mempool ops.
 */

#include <stdint.h>

#include <rte_compat.h>
#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The DPDK form of page_frag_alloc()/page_frag_free(): a fragment pool owns
 * refcounted 2 MB pages on a socket. Each lcore carves fragments of any
 * size and alignment from its own page, paying for them from a pre-charged
 * bias (no atomic per fragment, like the kernel's napi cache); threads EAL
 * does not know share one cache behind a spinlock (the netdev cache).
 * Freeing a fragment is one atomic decrement of its page's refcount; the
 * page is reused when the last fragment of it is freed. A long-lived
 * fragment keeps its whole page, as in the kernel.
 */

/** Opaque fragment pool. */
struct rte_pagefrag_pool;

/** Statistics of a fragment pool (counters summed over lcores). */
struct rte_pagefrag_stats {
	uint64_t pages_total;  /**< Pages of the pool. */
	uint64_t pages_free;   /**< Pages on the free list. */
	uint64_t allocs;       /**< Fragments allocated. */
	uint64_t frees;        /**< Fragments freed. */
	uint64_t alloc_fails;  /**< Allocations refused (no page, bad size). */
	uint64_t refills;      /**< Pages taken from the free list by a cache. */
	uint64_t reuses;       /**< Pages re-armed in place by their cache. */
	uint64_t drains;       /**< Cache drains (explicit or at refill). */
	/**
	 * Frees that took an atomic decrement of the page's refcount (the
	 * others went back to the cache that carved the fragment).
	 */
	uint64_t atomic_frees;
};

/**
 * Create a fragment pool of nb_pages 2 MB pages on a socket.
 *
 * @return
 *   The pool, or NULL with rte_errno set (EINVAL, EEXIST, ENOMEM).
 */
__rte_experimental
struct rte_pagefrag_pool *
rte_pagefrag_pool_create(const char *name, unsigned int nb_pages,
		int socket_id);

/**
 * Free a fragment pool. Every fragment must have been freed and every
 * cache drained; otherwise -EBUSY is returned and nothing is freed.
 */
__rte_experimental
int rte_pagefrag_pool_free(struct rte_pagefrag_pool *fp);

/**
 * Largest fragment a page can hold, in bytes: the page less its header
 * (and, in debug builds, the map of fragment starts that catches double
 * frees).
 */
__rte_experimental
unsigned int rte_pagefrag_max_size(void);

/**
 * Bytes of a page a fragment takes, for sizing a fragment pool: the
 * fragment, padded to its alignment (and, in debug builds, the word before
 * it that marks its start), when fragments of this size and alignment
 * follow each other in a page. A fragment after one of another size may
 * take up to align - 1 bytes more (the padding to its alignment).
 *
 * @param size
 *   Bytes, as for rte_pagefrag_alloc().
 * @param align
 *   Alignment, as for rte_pagefrag_alloc() (0 means 1).
 * @return
 *   The bytes, or 0 with rte_errno = EINVAL for a size or alignment that
 *   rte_pagefrag_alloc() refuses.
 */
__rte_experimental
unsigned int rte_pagefrag_footprint(unsigned int size, unsigned int align);

/**
 * Allocate a fragment (page_frag_alloc).
 *
 * @param fp
 *   The fragment pool.
 * @param size
 *   Bytes, 1 to rte_pagefrag_max_size(); with an alignment above 64, at
 *   most the page size less the page header rounded up to the alignment.
 * @param align
 *   Alignment of the fragment: a power of two up to 4096 (0 means 1).
 * @param iova
 *   If not NULL, set to the fragment's IO address, in every memory mode:
 *   the IOVA of its memory segment (for external memory, the one it was
 *   registered with), else rte_mem_virt2iova() of it. Where a page's memory
 *   is not IOVA-contiguous (external memory of 4 KB pages whose IOVAs do
 *   not follow each other), a fragment that fits in one memory page is
 *   placed inside one, so that it is IOVA-contiguous; a larger one is not.
 * @return
 *   The fragment, or NULL with rte_errno set: EINVAL for a bad size or
 *   alignment (logged with the limit), ENOBUFS when no page is free.
 */
__rte_experimental
void *rte_pagefrag_alloc(struct rte_pagefrag_pool *fp, unsigned int size,
		unsigned int align, rte_iova_t *iova);

/**
 * Free a fragment (page_frag_free). addr may point anywhere inside the
 * fragment. On the lcore whose cache still holds the fragment's page (the
 * one that carved it, in the process owning that lcore's cache), its
 * reference goes back to the cache with no atomic; elsewhere, one atomic
 * decrement of the page's refcount. Debug builds panic on a fragment
 * freed twice, naming it.
 */
__rte_experimental
void rte_pagefrag_free(void *addr);

/**
 * Drain the calling thread's cache: give back the references it holds on
 * its page (the fragments freed back to it included) in one atomic
 * operation (__page_frag_cache_drain).
 *
 * @return
 *   What the cache held unused: the fragments freed back to it since it
 *   armed its page, plus one for the page itself; 0 when it held no page.
 *   The count means the same from call to call, and the same as
 *   rte_mempool_pagefrag_rcache_drain()'s (free objects held, plus the
 *   page), except that a ring-level cache also counts the objects of its
 *   page it has not carved yet, while the unspent bytes of a fragment
 *   page are no fragments and are not counted. The pre-charged bias the
 *   atomic subtracts (the kernel's pagecnt_bias, about 4 million less
 *   the fragments carved) is not returned.
 */
__rte_experimental
unsigned int rte_pagefrag_cache_drain(struct rte_pagefrag_pool *fp);

/**
 * Read the statistics of a fragment pool.
 *
 * @return
 *   0, or -EINVAL.
 */
__rte_experimental
int rte_pagefrag_stats_get(const struct rte_pagefrag_pool *fp,
		struct rte_pagefrag_stats *stats);

/**
 * Give an mbuf a right-sized data room: allocate a fragment of buf_len
 * bytes plus the external buffer's shared info, and attach it to m with
 * rte_pktmbuf_attach_extbuf(). The shared info lives in the fragment; when
 * the last mbuf referring to the buffer is freed (clones included), the
 * fragment is freed through its page's refcount.
 *
 * @param fp
 *   The fragment pool.
 * @param m
 *   A direct mbuf with no external buffer attached.
 * @param buf_len
 *   Data room wanted, headroom included; the headroom is what
 *   rte_pktmbuf_reset_headroom() sets (RTE_PKTMBUF_HEADROOM, or buf_len if
 *   smaller); rte_pagefrag_attach_extbuf_headroom() chooses it.
 * DPDK frees the buffer through a callback whose code address is the
 * attaching process's: in another process the mbuf may only be freed if
 * the pagefrag library sits at the same address there. Attaching is
 * refused (-ENOTSUP, logged) in a process that has the library at another
 * address than the pool's creator, and from then on in every process.
 *
 * @return
 *   0, or a negative errno (rte_errno set): -EINVAL, -ENOBUFS, -ENOTSUP
 *   (see above).
 */
__rte_experimental
int rte_pagefrag_attach_extbuf(struct rte_pagefrag_pool *fp,
		struct rte_mbuf *m, uint16_t buf_len);

/**
 * As rte_pagefrag_attach_extbuf(), with the headroom chosen: the data room
 * is headroom + data_len bytes and the packet data starts headroom bytes
 * into it (0 for a copy that needs no room in front, as copybreak).
 *
 * @return
 *   0, or a negative errno (rte_errno set), as rte_pagefrag_attach_extbuf();
 *   -EINVAL also when headroom + data_len is 0 or above the limit.
 */
__rte_experimental
int rte_pagefrag_attach_extbuf_headroom(struct rte_pagefrag_pool *fp,
		struct rte_mbuf *m, uint16_t headroom, uint16_t data_len);

/**
 * Bytes of a page the fragment of rte_pagefrag_attach_extbuf() of buf_len
 * bytes takes (its data room and the external buffer's shared info, see
 * rte_pagefrag_footprint()); 0 with rte_errno = EINVAL for a buf_len it
 * refuses.
 */
__rte_experimental
unsigned int rte_pagefrag_extbuf_footprint(unsigned int buf_len);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_PAGEFRAG_H_ */
