/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2010-2016 Intel Corporation
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * l2fwd-frag: what the application reports.
 *
 * - The periodic statistics: l2fwd's port statistics, then the allocator's
 *   figures of every pool (rte_mempool_pagefrag_stats_get) and of the
 *   fragment pool.
 * - The summary at exit: packets forwarded, copybreak and drain figures,
 *   packet memory per packet in flight, rate; what is in flight per pool.
 * - The leak check, after the ports are closed: every pool (the fragment
 *   pool included) must hold all of its objects again.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_mempool.h>

#include "l2fwd_frag.h"

/* Port and RX queue figures, added up over the enabled ports. */
struct l2fwd_totals {
	uint64_t tx;
	uint64_t rx;
	uint64_t dropped;
	uint64_t rc_released;
	uint64_t freed;
	uint64_t drain_refs;
	uint64_t copied;
	uint64_t copy_fails;
	uint64_t pipe_full;
	uint64_t mem_bytes;
};

/* Packets dropped on a port: TX failures, pipeline ring full, at exit. */
static inline uint64_t
port_dropped(uint16_t portid)
{
	return port_statistics[portid].dropped + l2fwd_txq[portid].dropped +
		l2fwd_rxq[portid].pipe_full;
}

static void
l2fwd_totals_get(struct l2fwd_totals *t)
{
	const struct l2fwd_rxq *rxq;
	uint16_t portid;

	memset(t, 0, sizeof(*t));
	for (portid = 0; portid < RTE_MAX_ETHPORTS; portid++) {
		if (!port_enabled(portid))
			continue;
		rxq = &l2fwd_rxq[portid];
		t->tx += port_statistics[portid].tx;
		t->rx += port_statistics[portid].rx;
		t->dropped += port_dropped(portid);
		t->rc_released += rxq->rc_released;
		t->freed += rxq->freed + l2fwd_txq[portid].freed;
		t->drain_refs += rxq->drain_refs;
		t->copied += rxq->copied;
		t->copy_fails += rxq->copy_fails;
		t->pipe_full += rxq->pipe_full;
		t->mem_bytes += rxq->mem_bytes;
	}
}

/* Print the allocator figures of one pool. */
static void
print_pool_stats(struct rte_mempool *mp)
{
	struct rte_mempool_pagefrag_stats st;
	const struct rte_mempool_ops *ops = rte_mempool_get_ops(mp->ops_index);
	unsigned int avail;

	printf("\nPool %s (ops %s) ----------------------------",
		mp->name, ops->name);
	avail = rte_mempool_avail_count(mp);
	printf("\nMbufs available: %22u/%u", avail, mp->size);
	if (!rte_mempool_pagefrag_is_pagefrag(mp) ||
			rte_mempool_pagefrag_stats_get(mp, &st) != 0)
		return;
	printf(" (%" PRIu64 " in mempool caches)",
		avail >= st.objs_avail ? avail - st.objs_avail : 0);
	printf("\nPages total/free/carving/partial: %" PRIu64 "/%" PRIu64
		"/%" PRIu64 "/%" PRIu64,
		st.pages_total, st.pages_free, st.pages_carving,
		st.pages_partial);
	printf("\nObjects avail/pinned/total: %" PRIu64 "/%" PRIu64
		"/%" PRIu64, st.objs_avail, st.objs_pinned, st.objs_total);
	printf("\nDrains/drain refs: %" PRIu64 "/%" PRIu64,
		st.drains, st.drain_refs);
	printf("\nGets/puts/get fails: %" PRIu64 "/%" PRIu64 "/%" PRIu64,
		st.gets, st.puts, st.get_fails);
	printf("\nRewinds/reclaims/partial reuses: %" PRIu64 "/%" PRIu64
		"/%" PRIu64, st.rewinds, st.reclaims, st.partial_reuses);
	printf("\nAtomic operations: %" PRIu64 " (%.4f per object got)",
		st.atomics, st.gets > 0 ? (double)st.atomics / st.gets : 0.0);
}

/* Print the figures of the fragment pool. */
static void
print_frag_stats(void)
{
	struct rte_pagefrag_stats st;

	if (rte_pagefrag_stats_get(frag_pool, &st) != 0)
		return;
	printf("\nFragment pool ---------------------------------------");
	printf("\nPages total/free: %" PRIu64 "/%" PRIu64,
		st.pages_total, st.pages_free);
	printf("\nFragments allocated/freed/alloc fails: %" PRIu64 "/%" PRIu64
		"/%" PRIu64, st.allocs, st.frees, st.alloc_fails);
	printf("\nPage refills/reuses/cache drains: %" PRIu64 "/%" PRIu64
		"/%" PRIu64, st.refills, st.reuses, st.drains);
}

/* Print out statistics on packets dropped, and the allocator's figures. */
void
print_stats(bool clear)
{
	struct l2fwd_totals t;
	unsigned int portid, i;

	const char clr[] = { 27, '[', '2', 'J', '\0' };
	const char topLeft[] = { 27, '[', '1', ';', '1', 'H', '\0' };

	/* Clear screen and move to top left (on a terminal only) */
	if (clear && isatty(STDOUT_FILENO))
		printf("%s%s", clr, topLeft);

	printf("\nPort statistics ====================================");

	for (portid = 0; portid < RTE_MAX_ETHPORTS; portid++) {
		/* skip disabled ports */
		if (!port_enabled(portid))
			continue;
		printf("\nStatistics for port %u ------------------------------"
			   "\nPackets sent: %24"PRIu64
			   "\nPackets received: %20"PRIu64
			   "\nPackets dropped: %21"PRIu64,
			   portid,
			   port_statistics[portid].tx,
			   port_statistics[portid].rx,
			   port_dropped(portid));
	}
	l2fwd_totals_get(&t);
	printf("\nAggregate statistics ==============================="
		   "\nTotal packets sent: %18"PRIu64
		   "\nTotal packets received: %14"PRIu64
		   "\nTotal packets dropped: %15"PRIu64,
		   t.tx,
		   t.rx,
		   t.dropped);
	printf("\nDropped mbufs released via ring caches: %" PRIu64
		", one by one: %" PRIu64, t.rc_released, t.freed);
	if (copybreak > 0)
		printf("\nPackets copied into fragments: %" PRIu64, t.copied);

	printf("\nAllocator statistics ===============================");
	for (i = 0; i < RTE_DIM(all_pools); i++)
		if (all_pools[i] != NULL)
			print_pool_stats(all_pools[i]);
	if (frag_pool != NULL)
		print_frag_stats();
	printf("\n====================================================\n");

	fflush(stdout);
}

/* Who holds the objects that are out, per pool (in-flight view). */
static void
print_inflight(void)
{
	struct rte_mempool_pagefrag_inflight inf;
	struct rte_mempool *mp;
	unsigned int i;

	for (i = 0; i < RTE_DIM(all_pools); i++) {
		mp = all_pools[i];
		if (mp == NULL || !rte_mempool_pagefrag_is_pagefrag(mp) ||
				rte_mempool_pagefrag_inflight(mp, 0, &inf,
					NULL, 0) < 0)
			continue;
		printf("In flight at exit, pool %s: %" PRIu64 " of %" PRIu64
			" objects out (%" PRIu64 " in mempool caches, %" PRIu64
			" held by the application)\n", mp->name,
			inf.objs_out, inf.objs_total, inf.objs_mempool_cache,
			inf.objs_app);
	}
}

/*
 * The atomic operations of the mbuf pools' driver, summed over the pools;
 * false when a pool's driver does not count them (not pagefrag).
 */
static bool
pools_atomics(uint64_t *atomics)
{
	struct rte_mempool_pagefrag_stats st;
	unsigned int i;

	*atomics = 0;
	for (i = 0; i < RTE_DIM(all_pools); i++) {
		if (all_pools[i] == NULL)
			continue;
		if (!rte_mempool_pagefrag_is_pagefrag(all_pools[i]) ||
				rte_mempool_pagefrag_stats_get(all_pools[i],
					&st) != 0)
			return false;
		*atomics += st.atomics;
	}
	return true;
}

/*
 * The cost per packet forwarded: TSC cycles of the forwarding lcores
 * (each polls without pause, so busy the whole duration), and atomic
 * operations: the mbuf pools' driver's (pagefrag counts them) and the
 * fragment frees that decremented their page's reference count (a
 * fragment freed on the lcore that carved it takes none).
 */
static void
print_costs(uint64_t forwarded, double duration, uint64_t frag_atomic_frees)
{
	const uint64_t hz = rte_get_tsc_hz();
	unsigned int lcore_id, nb_fwd = 0;
	const struct lcore_queue_conf *qconf;
	uint64_t atomics;

	RTE_LCORE_FOREACH(lcore_id) {
		qconf = &lcore_queue_conf[lcore_id];
		if (qconf->n_rx_port > 0 || qconf->n_pipe_port > 0)
			nb_fwd++;
	}
	printf("TSC: %" PRIu64 " Hz\n"
		"Cycles per packet: %.1f (%u forwarding lcores)\n",
		hz, forwarded > 0 ? nb_fwd * duration * hz / forwarded : 0.0,
		nb_fwd);
	if (pools_atomics(&atomics))
		printf("Atomics per packet: %.4f in the mbuf pools, %.4f in fragment frees\n",
			forwarded > 0 ? (double)atomics / forwarded : 0.0,
			forwarded > 0 ? (double)frag_atomic_frees / forwarded : 0.0);
	else
		printf("Atomics per packet: - in the mbuf pools (ops %s count none), %.4f in fragment frees\n",
			pool_ops_name,
			forwarded > 0 ? (double)frag_atomic_frees / forwarded : 0.0);
}

/*
 * The summary at exit, after the final statistics: duration is the time
 * the lcores ran, in seconds.
 */
void
l2fwd_print_summary(double duration)
{
	struct rte_pagefrag_stats fst = { 0 };
	uint64_t frag_drain_refs = 0;
	struct l2fwd_totals t;
	unsigned int lcore_id;

	l2fwd_totals_get(&t);
	RTE_LCORE_FOREACH(lcore_id)
		frag_drain_refs += lcore_queue_conf[lcore_id].frag_drain_refs;
	printf("\nl2fwd-frag summary =================================="
		"\nPackets forwarded: %" PRIu64
		"\nPackets received: %" PRIu64
		"\nPackets dropped: %" PRIu64
		" (via ring caches: %" PRIu64 ", one by one: %" PRIu64 ")"
		"\nPipeline: %s (packets the rings refused: %" PRIu64 ")"
		"\nCopybreak: %u bytes (packets copied into fragments: %" PRIu64
		", small packets left in their mbuf: %" PRIu64 ")",
		t.tx, t.rx, t.dropped, t.rc_released, t.freed,
		pipeline ? "on" : "off", t.pipe_full, copybreak, t.copied,
		t.copy_fails);
	if (frag_pool != NULL && rte_pagefrag_stats_get(frag_pool, &fst) == 0)
		printf("\nFragments allocated: %" PRIu64
			"\nFragments freed: %" PRIu64
			"\nFragment cache references drained at stop: %" PRIu64,
			fst.allocs, fst.frees, frag_drain_refs);
	printf("\nRing cache references drained at stop: %" PRIu64
		"\nPacket memory per packet in flight: %.0f bytes"
		"\nDuration: %.2f s"
		"\nRate: %.3f Mpps"
		"\nmbuf pool ops: %s\n",
		t.drain_refs,
		t.rx > 0 ? (double)t.mem_bytes / t.rx : 0.0,
		duration,
		duration > 0 ? (double)t.tx / duration / 1e6 : 0.0,
		pool_ops_name);
	print_costs(t.tx, duration, fst.atomic_frees);

	print_inflight();
}

/* Every mbuf must be back in its pool; returns the number of pools short. */
int
l2fwd_leak_check(void)
{
	struct rte_mempool_pagefrag_stats st;
	struct rte_pagefrag_stats fst = { 0 };
	unsigned int i, avail;
	int failed = 0;
	struct rte_mempool *mp;

	for (i = 0; i < RTE_DIM(all_pools); i++) {
		mp = all_pools[i];
		if (mp == NULL)
			continue;
		avail = rte_mempool_avail_count(mp);
		if (avail != mp->size) {
			printf("leak check: FAILED: pool %s has %u of %u mbufs, %d missing\n",
				mp->name, avail, mp->size,
				(int)mp->size - (int)avail);
			/*
			 * Who holds them: gets - puts per lcore (in --pipeline
			 * the RX lcore shows +N, the TX lcore -N); debug builds:
			 * the lcore that took each object, and how long ago.
			 */
			if (rte_mempool_pagefrag_is_pagefrag(mp))
				rte_mempool_pagefrag_inflight_dump(stdout, mp, 0);
			failed++;
			continue;
		}
		/*
		 * Every mbuf is back and no cache holds a page: the driver
		 * must see every page free.
		 */
		if (rte_mempool_pagefrag_is_pagefrag(mp) &&
				rte_mempool_pagefrag_stats_get(mp, &st) == 0 &&
				(st.pages_free != st.pages_total ||
				 st.objs_avail != st.objs_total)) {
			printf("leak check: FAILED: pool %s has all %u mbufs but %" PRIu64
				" of %" PRIu64 " pages free, %" PRIu64 " of %" PRIu64
				" objects in the driver\n",
				mp->name, mp->size, st.pages_free,
				st.pages_total, st.objs_avail, st.objs_total);
			failed++;
		}
	}
	/* every fragment freed, every fragment cache drained */
	if (frag_pool != NULL &&
			(rte_pagefrag_stats_get(frag_pool, &fst) != 0 ||
			 fst.allocs != fst.frees ||
			 fst.pages_free != fst.pages_total)) {
		printf("leak check: FAILED: fragment pool: %" PRIu64
			" fragments allocated, %" PRIu64 " freed, %" PRIu64
			" of %" PRIu64 " pages free\n",
			fst.allocs, fst.frees, fst.pages_free, fst.pages_total);
		failed++;
	}
	if (failed == 0)
		printf("leak check: OK\n");
	return failed;
}

/*
 * Free the pools, the fragment pool first, unless something leaked: a
 * pool that leaked may still be referenced, so all are kept. A fragment
 * pool that refuses to be freed is a leak too: returns -1 then.
 */
int
l2fwd_pools_free(bool leaked)
{
	unsigned int i;
	int ret = 0;

	if (frag_pool != NULL && !leaked &&
			rte_pagefrag_pool_free(frag_pool) != 0) {
		printf("leak check: FAILED: fragment pool busy at free\n");
		ret = -1;
	}
	frag_pool = NULL;
	for (i = 0; i < RTE_DIM(all_pools); i++) {
		if (all_pools[i] != NULL && !leaked && ret == 0)
			rte_mempool_free(all_pools[i]);
		all_pools[i] = NULL;
	}
	return ret;
}
