/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _RTE_MEMPOOL_PAGEFRAG_H_
#define _RTE_MEMPOOL_PAGEFRAG_H_

/**
 * @file
 * pagefrag mempool driver: public API.
 *
 * The "pagefrag" mempool ops carve objects out of refcounted 2 MB pages
 * through per-lcore frag caches, the DPDK form of the Linux page_frag
 * allocator. Any application selects it with
 * ``--mbuf-pool-ops-name=pagefrag`` or rte_mempool_set_ops_byname(); no call
 * in this header is needed for that.
 *
 * This header adds what the generic mempool API cannot express:
 *
 * - statistics and a per-page dump of a pagefrag pool;
 * - the in-flight view: which lcores hold the objects out of a pool, and
 *   (debug builds) since when;
 * - a ring-level frag cache that a PMD keeps per queue, with a drain that
 *   gives back every reference the queue holds with one atomic per page
 *   (the DPDK form of __page_frag_cache_drain), and a bulk release that
 *   groups objects by page;
 * - a cache flush for an lcore that stops using a pool;
 *
 * Arbitrary-length fragments (rte_pagefrag_*) have their own header,
 * rte_pagefrag.h.
 *
 * All functions take a pool whose ops are "pagefrag"; given another pool
 * they fail with -EINVAL (rte_errno set) and touch nothing.
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_compat.h>
#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Name of the mempool ops registered by this driver. */
#define RTE_MEMPOOL_PAGEFRAG_OPS_NAME "pagefrag"

/** Largest size of the pages objects are carved from (2 MB). */
#define RTE_MEMPOOL_PAGEFRAG_PAGE_SIZE (UINT64_C(1) << 21)

/**
 * Statistics of one pagefrag pool.
 *
 * Counters are kept per lcore (no shared cache line is written on the fast
 * path) and summed on read. The gauges (pages_*, objs_*) are exact when no
 * lcore is working on the pool.
 */
struct rte_mempool_pagefrag_stats {
	/* geometry */
	uint64_t page_size;       /**< Bytes per page: 2 MB, or less for memory populated in smaller pieces. */
	uint64_t objs_per_page;   /**< Objects in a full page. */
	uint64_t elt_total_size;  /**< Bytes per object incl. mempool header/trailer. */
	uint64_t page_waste;      /**< Bytes of a full page holding no object. */
	uint64_t metadata_bytes;  /**< Driver metadata: private data + page headers/bitmaps. */
	/* gauges */
	uint64_t pages_total;     /**< Pages in the pool. */
	uint64_t pages_free;      /**< Pages with every object free, on the free list. */
	uint64_t pages_carving;   /**< Pages held by a frag cache (lcore, shared or ring-level). */
	uint64_t pages_partial;   /**< Pages with objects out, held by no cache. */
	uint64_t objs_total;      /**< Objects in the pool. */
	uint64_t objs_avail;      /**< Objects in the driver (= get_count). */
	uint64_t objs_pinned;     /**< Returned objects waiting on partial pages. */
	/* counters */
	uint64_t gets;            /**< Objects handed out by the driver. */
	uint64_t puts;            /**< Objects put back into the driver. */
	uint64_t get_fails;       /**< Dequeue calls answered -ENOBUFS. */
	uint64_t put_errors;      /**< Objects refused by a put (foreign pointers). */
	uint64_t page_refills;    /**< Pages taken from the free list. */
	uint64_t page_reuses;     /**< Pages re-armed in place by their cache. */
	uint64_t partial_reuses;  /**< Partial pages taken back by a cache. */
	uint64_t rewinds;         /**< Objects given back to their own cache, no atomic (carve rewound, or recycled). */
	uint64_t reclaims;        /**< Returned objects taken back from a freemap. */
	uint64_t drains;          /**< Ring-level cache drains. */
	uint64_t drain_refs;      /**< References released by those drains. */
	uint64_t atomics;         /**< Atomic read-modify-write operations done. */
	uint64_t cache_flushes;   /**< Other threads' frag caches emptied by a get
	                           *   that would otherwise fail. */
	uint64_t lcore_collisions; /**< Calls on an lcore whose frag cache another live
	                             *   process owns (same lcore id): served by the
	                             *   locked shared cache. */
	uint64_t caches_recovered; /**< Frag caches of processes that are gone (and of
	                             *   registered threads that left) emptied. */
};

/**
 * Tell whether a mempool uses the pagefrag ops.
 *
 * @return
 *   1 if it does, 0 if not.
 */
__rte_experimental
int rte_mempool_pagefrag_is_pagefrag(const struct rte_mempool *mp);

/**
 * Read the statistics of a pagefrag pool.
 *
 * @param mp
 *   A pagefrag pool.
 * @param stats
 *   Filled on success.
 * @return
 *   0, or -EINVAL (rte_errno set) if mp is not a pagefrag pool.
 */
__rte_experimental
int rte_mempool_pagefrag_stats_get(const struct rte_mempool *mp,
		struct rte_mempool_pagefrag_stats *stats);

/**
 * Reset the counters (not the gauges) of a pagefrag pool.
 *
 * @return
 *   0, or -EINVAL (rte_errno set) if mp is not a pagefrag pool.
 */
__rte_experimental
int rte_mempool_pagefrag_stats_reset(struct rte_mempool *mp);

/**
 * Dump the state of a pagefrag pool and of each of its pages (refcount,
 * objects returned, owner) to a stream.
 *
 * @return
 *   0, or -EINVAL (rte_errno set) if mp is not a pagefrag pool.
 */
__rte_experimental
int rte_mempool_pagefrag_dump(FILE *f, const struct rte_mempool *mp);

/**
 * @name In-flight view
 *
 * Which threads hold the objects that are out of the driver, and since
 * when. Two sources, chosen at build time:
 *
 * - counters (release builds, statistics on): every get and put is
 *   attributed to the calling lcore, and an lcore's figure is the objects
 *   it got minus those it put. In a pipeline where lcore A receives and
 *   lcore B transmits and frees, A shows +N and B -N: the figures say who
 *   took and who gave back, not who holds; their sum is exact. Threads
 *   without an lcore id share one slot (LCORE_ID_ANY). No age is known.
 * - records (debug builds, -Dpagefrag_debug=true): each object out carries
 *   the lcore that took it and the TSC of the get, so the figures are the
 *   objects each lcore took and has not given back (by any thread), with
 *   their ages.
 *
 * Objects in the mempool caches are out of the driver but not in the
 * application; they are counted apart (objs_mempool_cache) but, in the
 * per-lcore figures, stay with the lcore that took them from the driver.
 * Free objects reserved by frag caches and ring-level caches are in the
 * driver (rte_mempool_avail_count() counts them) and are shown apart.
 * @{
 */

/** Age buckets of the in-flight view: upper bounds in ms, then the rest. */
#define RTE_MEMPOOL_PAGEFRAG_AGE_BUCKETS 6
/** Upper bounds (exclusive, ms) of the first 5 age buckets: 1, 10, 100,
 *  1000, 10000; the last bucket holds the objects 10 s old or more. */
#define RTE_MEMPOOL_PAGEFRAG_AGE_LIMITS_MS { 1, 10, 100, 1000, 10000 }

/** Where the per-lcore figures of the in-flight view come from. */
enum rte_mempool_pagefrag_inflight_mode {
	/** No per-lcore figures: statistics compiled out, release build. */
	RTE_MEMPOOL_PAGEFRAG_INFLIGHT_NONE = 0,
	/** Per-lcore get/put counters: net figures, no ages. */
	RTE_MEMPOOL_PAGEFRAG_INFLIGHT_COUNTERS = 1,
	/** Per-object records (debug build): holders and ages. */
	RTE_MEMPOOL_PAGEFRAG_INFLIGHT_RECORDS = 2,
};

/** One lcore's part of the objects out of a pagefrag pool. */
struct rte_mempool_pagefrag_holder {
	/** lcore id, or LCORE_ID_ANY for threads without one. */
	uint32_t lcore_id;
	uint32_t reserved;
	/**
	 * Counters: objects this lcore got minus objects it put (negative
	 * for an lcore that frees what others took). Records: objects it
	 * took that are still out and at least min_age_ms old.
	 */
	int64_t objs;
	/** Records only: those objects by age, see AGE_LIMITS_MS. */
	uint64_t age[RTE_MEMPOOL_PAGEFRAG_AGE_BUCKETS];
	/** Records only: age of the oldest of them, in ms. */
	uint64_t oldest_ms;
};

/** The in-flight view of a pagefrag pool. */
struct rte_mempool_pagefrag_inflight {
	uint32_t mode;          /**< enum rte_mempool_pagefrag_inflight_mode */
	uint32_t min_age_ms;    /**< As asked (records only; else ignored). */
	uint64_t objs_total;    /**< Objects in the pool. */
	uint64_t objs_out;      /**< Out of the driver: total - get_count. */
	/** Of those, in the mempool caches (avail_count - get_count). */
	uint64_t objs_mempool_cache;
	/** Of those, held by the application: out - mempool caches. */
	uint64_t objs_app;
	/** In the driver: free objects reserved by lcore frag caches. */
	uint64_t objs_frag_cache;
	/** In the driver: free objects reserved by ring-level caches. */
	uint64_t objs_ring_cache;
	/**
	 * Sum of the holders' objs (all holders, not only those returned).
	 * Equals objs_out when nobody works on the pool and min_age_ms is 0;
	 * a difference means a counter reset raced with gets and puts, or
	 * processes sharing the pool used the same lcore id at once.
	 */
	int64_t objs_attributed;
	/** Holders with a non-zero figure (may exceed max_holders). */
	uint32_t nb_holders;
	uint32_t reserved;
};

/**
 * Fill the in-flight view of a pagefrag pool.
 *
 * Safe to call while other lcores work on the pool; the figures are then a
 * snapshot taken without stopping them (each exact only when the pool is
 * idle). In debug builds it walks every page under the pool lock.
 *
 * @param mp
 *   A pagefrag pool.
 * @param min_age_ms
 *   Debug builds: count only objects out for at least this long.
 * @param inf
 *   Filled on success.
 * @param holders
 *   Filled with up to max_holders holders, lcore ids ascending, the
 *   LCORE_ID_ANY slot last. May be NULL when max_holders is 0.
 * @param max_holders
 *   Size of holders.
 * @return
 *   The number of holders written, or -EINVAL (rte_errno set) if mp is not
 *   a pagefrag pool or inf is NULL.
 */
__rte_experimental
int rte_mempool_pagefrag_inflight(const struct rte_mempool *mp,
		uint32_t min_age_ms, struct rte_mempool_pagefrag_inflight *inf,
		struct rte_mempool_pagefrag_holder *holders,
		unsigned int max_holders);

/**
 * Print the in-flight view of a pagefrag pool: totals, then one line per
 * holder. Meant for an application's exit leak check.
 *
 * @return
 *   The objects held by the application (objs_app: out of the driver and
 *   not in a mempool cache), or -EINVAL (rte_errno set).
 */
__rte_experimental
int rte_mempool_pagefrag_inflight_dump(FILE *f, const struct rte_mempool *mp,
		uint32_t min_age_ms);

/** @} */

/**
 * Give back everything the calling thread's frag cache holds on the pool:
 * the rest of its page, and the objects it recycled (those hold their
 * pages), become available to every lcore. Call it on an lcore that stops
 * using the pool. Not needed for correctness: a get that would fail
 * empties idle threads' frag caches itself.
 *
 * @return
 *   0, or -EINVAL (rte_errno set) if mp is not a pagefrag pool.
 */
__rte_experimental
int rte_mempool_pagefrag_cache_flush(struct rte_mempool *mp);

/**
 * Recover the frag caches (per-lcore and ring-level) that processes which
 * are gone left on the pool: a secondary process that exited, with or
 * without rte_eal_cleanup(), or was killed. Their free objects become
 * available to every process. A get that would otherwise fail does this by
 * itself; call it to have those objects back at once, e.g. after a
 * secondary process exits. A process killed inside a call on its cache
 * leaves that cache as it is (its state cannot be trusted).
 *
 * @return
 *   The number of caches recovered, or -EINVAL (rte_errno set) if mp is
 *   not a pagefrag pool.
 */
__rte_experimental
int rte_mempool_pagefrag_recover(struct rte_mempool *mp);

/**
 * Check that this process's ops table maps the pool's ops_index to the
 * pagefrag ops the pool was created with. A secondary process whose plugins
 * were loaded in another order than the primary's sees another driver at
 * that index; this tells it before any object is touched.
 *
 * @return
 *   0 if the mapping is right, -EINVAL (rte_errno set, error logged) if not.
 */
__rte_experimental
int rte_mempool_pagefrag_check_ops(const struct rte_mempool *mp);

/**
 * Objects of elt_size bytes that one 2 MB page of a pagefrag pool holds,
 * before the pool exists: elt_size and flags as given to
 * rte_mempool_create_empty() (for an mbuf pool, elt_size is
 * sizeof(struct rte_mbuf) + priv_size + data_room_size). A pool uses
 * 2 MB pages whenever its memory allows (hugepages, or IOVA as VA); see
 * rte_mempool_pagefrag_stats.objs_per_page for the pool as built.
 *
 * @return
 *   The number of objects, or -EINVAL (rte_errno set) when not even one
 *   object fits in a page.
 */
__rte_experimental
int rte_mempool_pagefrag_objs_per_page(uint32_t elt_size, uint32_t flags);

/** Opaque ring-level frag cache, one per PMD queue. */
struct rte_mempool_pagefrag_rcache;
struct rte_mbuf;

/**
 * Create a ring-level frag cache bound to a pagefrag pool: a PMD keeps one
 * per queue. Its alloc recycles first: called on an EAL lcore, it takes
 * back the objects freed on that lcore, with no atomic (from the lcore's
 * mempool cache when that holds the whole burst, else from the objects the
 * lcore's puts left in its frag cache). Otherwise it takes a page (or the
 * rest of one) for the queue and hands out its objects in address order,
 * with no atomic per object. The objects it holds and has not handed out
 * stay counted by rte_mempool_avail_count().
 *
 * Only one thread may use a ring-level cache at a time (like a queue). It
 * belongs to the process that used it last: a queue may pass from one
 * process to another, and a cache whose last user is gone is recovered
 * (its page goes back to the pool; the cache stays valid until destroyed).
 *
 * @param mp
 *   A pagefrag pool.
 * @param socket_id
 *   Where to allocate the cache structure, or SOCKET_ID_ANY.
 * @return
 *   The cache, or NULL with rte_errno set (EINVAL: not a pagefrag pool,
 *   ENOMEM).
 */
__rte_experimental
struct rte_mempool_pagefrag_rcache *
rte_mempool_pagefrag_rcache_create(struct rte_mempool *mp, int socket_id);

/**
 * The public head of a ring-level cache, what the inline
 * rte_mempool_pagefrag_rcache_alloc() reads; the rest is private.
 */
struct rte_mempool_pagefrag_rcache_head {
	struct rte_mempool *mp; /**< The pagefrag pool the cache is bound to. */
};

/**
 * Take n objects from a ring-level cache (all or nothing) without looking
 * at the lcore's mempool cache: the objects the calling EAL lcore's puts
 * recycled, else the queue's page. rte_mempool_pagefrag_rcache_alloc()
 * calls it when the mempool cache cannot serve the burst.
 *
 * @return
 *   0, or -ENOBUFS if the pool cannot supply n objects (none taken), or
 *   -EBUSY (rte_errno set) if another process is inside a call on the
 *   cache.
 */
__rte_experimental
int rte_mempool_pagefrag_rcache_alloc_nocache(
		struct rte_mempool_pagefrag_rcache *rc, void **objs,
		unsigned int n);

/**
 * Take n objects from a ring-level cache (all or nothing). On an EAL
 * lcore whose mempool cache holds the whole burst (and the burst is
 * smaller than the cache), the objects freed there come back from it,
 * inline, as rte_mempool_generic_get() takes them; otherwise
 * rte_mempool_pagefrag_rcache_alloc_nocache().
 *
 * @return
 *   0, or -ENOBUFS if the pool cannot supply n objects (none taken), or
 *   -EBUSY (rte_errno set) if another process is inside a call on the
 *   cache.
 */
__rte_experimental
static inline int
rte_mempool_pagefrag_rcache_alloc(struct rte_mempool_pagefrag_rcache *rc,
		void **objs, unsigned int n)
{
	struct rte_mempool *mp =
		((const struct rte_mempool_pagefrag_rcache_head *)rc)->mp;
	struct rte_mempool_cache *mc =
		rte_mempool_default_cache(mp, rte_lcore_id());

	/* n < mc->size <= RTE_MEMPOOL_CACHE_MAX_SIZE: the first test folds */
	if (n < RTE_MEMPOOL_CACHE_MAX_SIZE && mc != NULL && mc->len >= n &&
			n < mc->size)
		return rte_mempool_generic_get(mp, objs, n, mc);
	return rte_mempool_pagefrag_rcache_alloc_nocache(rc, objs, n);
}

/**
 * Take n mbufs from a ring-level cache of an mbuf pool (all or nothing),
 * reset as rte_pktmbuf_alloc_bulk() leaves them: the RX refill of a PMD
 * that wants initialized mbufs, or a copybreak's header mbufs.
 *
 * @return
 *   0, or -ENOBUFS or -EBUSY as rte_mempool_pagefrag_rcache_alloc().
 */
__rte_experimental
int rte_mempool_pagefrag_rcache_alloc_mbufs(
		struct rte_mempool_pagefrag_rcache *rc, struct rte_mbuf **mbufs,
		unsigned int n);

/**
 * Give back objects held by a queue (e.g. a descriptor ring's sw_ring at
 * queue stop), with no atomic: a run of the cache's page goes back into
 * it (the carve is rewound when it is the last one carved), other objects
 * of the pool are kept for the cache's next allocs, up to 128; beyond
 * that, the oldest go back to their pages, one atomic refcount update per
 * run or group of same-page objects.
 *
 * @return
 *   0, or -EINVAL if an object does not belong to the pool (it is skipped
 *   and logged; the others are released).
 */
__rte_experimental
int rte_mempool_pagefrag_rcache_free(struct rte_mempool_pagefrag_rcache *rc,
		void * const *objs, unsigned int n);

/**
 * Recycle the mbufs a TX completion releases into a ring-level cache, in
 * the spirit of rte_eth_recycle_mbufs(): on the lcore that serves an RX
 * queue, the mbufs its TX queues are done with refill that queue's cache
 * directly, with no atomic, and its next rte_mempool_pagefrag_rcache_alloc()
 * hands them out again, hot.
 *
 * Each entry is one segment, as a TX ring holds them: it is released as
 * rte_pktmbuf_free_seg() would (rte_pktmbuf_prefree_seg(): a segment with
 * other references only loses one, an indirect mbuf or one with an
 * external buffer is detached first). The segments whose last reference
 * is dropped go into the cache when they belong to its pool (as
 * rte_mempool_pagefrag_rcache_free() takes objects), back to their own
 * pool otherwise. NULL entries are skipped. To release whole packets
 * (chains), use rte_pktmbuf_free_bulk().
 *
 * Only the thread that uses the cache may call it (like its alloc).
 *
 * @return
 *   The number of segments that went into the cache, or -EINVAL
 *   (rte_errno set) when rc is NULL, or mbufs is NULL with n > 0; nothing
 *   is released then. -EINVAL also when a segment claiming the cache's
 *   pool is not one of its objects (a corrupted mbuf): that one is
 *   skipped and logged, every other segment is released.
 */
__rte_experimental
int rte_mempool_pagefrag_rcache_recycle_mbufs(
		struct rte_mempool_pagefrag_rcache *rc,
		struct rte_mbuf * const *mbufs, unsigned int n);

/**
 * Drain a ring-level cache: release every reference it still holds on its
 * page with one atomic operation, as __page_frag_cache_drain does, and
 * give the objects it recycled (rte_mempool_pagefrag_rcache_free() of
 * objects that were not a run of its page) back to their pages. Its
 * objects not handed out become available to the whole pool. The cache
 * stays usable.
 *
 * @return
 *   What the cache held unused: its objects not handed out and the
 *   objects it recycled, plus one for its page if it held one; 0 when it
 *   held nothing (the objects of its page not carved yet included). Each
 *   of these is one page reference released; rte_pagefrag_cache_drain()
 *   counts a fragment cache the same way.
 */
__rte_experimental
unsigned int
rte_mempool_pagefrag_rcache_drain(struct rte_mempool_pagefrag_rcache *rc);

/**
 * Drain and free a ring-level cache. NULL is accepted. Destroy the ring-level
 * caches of a pool before freeing the pool: rte_mempool_free() only logs a
 * warning when some are still bound, and destroying them afterwards touches
 * freed memory.
 */
__rte_experimental
void rte_mempool_pagefrag_rcache_destroy(struct rte_mempool_pagefrag_rcache *rc);

/**
 * Bulk release to a pagefrag pool, bypassing the mempool cache: objects are
 * grouped by page, one atomic refcount update per run of same-page objects.
 *
 * @return
 *   0, or -EINVAL if an object does not belong to the pool (skipped, logged).
 */
__rte_experimental
int rte_mempool_pagefrag_put_bulk(struct rte_mempool *mp,
		void * const *objs, unsigned int n);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_MEMPOOL_PAGEFRAG_H_ */
