/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2010-2016 Intel Corporation
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * l2fwd-frag: DPDK's L2 forwarding sample (examples/l2fwd) on pagefrag
 * mbuf pools.
 *
 * Same command line and data path as l2fwd: every packet received on a
 * port goes out of its paired port, with its MAC addresses rewritten unless
 * --no-mac-updating is given. On top of that:
 *
 * - the mbuf pools (one per socket in use) use the "pagefrag" mempool ops,
 *   or the ops named by --mbuf-pool-ops, so one command line compares
 *   drivers;
 * - --copybreak N plays the driver side of Linux's copybreak: a received
 *   packet of at most N bytes is copied into a right-sized fragment
 *   (rte_pagefrag_alloc, through rte_pagefrag_attach_extbuf) attached to a
 *   small header mbuf, and the NIC's mbuf is freed at once. Each RX queue
 *   takes its header mbufs from a ring-level frag cache
 *   (rte_mempool_pagefrag_rcache) of a pagefrag pool and drains it when the
 *   queue stops (__page_frag_cache_drain);
 * - --pipeline receives and transmits on different lcores joined by
 *   rte_rings: every packet sent (mbuf and fragment) is freed on another
 *   lcore than the one that allocated it (the remote-free pattern);
 * - the packets a port fails to send go back through the ring-level cache
 *   of the queue they came from, when the same lcore owns it;
 * - the statistics show the allocator next to the ports, and the summary
 *   the packet memory held per packet in flight;
 * - at exit, after the ports are closed, every pool (the fragment pool
 *   included) must hold all of its objects again (the leak check), else
 *   the exit code is non-zero;
 * - --runtime stops the application by itself.
 */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_prefetch.h>
#include <rte_ring.h>
#include <rte_string_fns.h>

#include <rte_mempool_pagefrag.h>
#include <rte_pagefrag.h>

#define RTE_LOGTYPE_L2FWD RTE_LOGTYPE_USER1

#define MAX_PKT_BURST 32
#define BURST_TX_DRAIN_US 100 /* TX drain every ~100us */
#define MEMPOOL_CACHE_SIZE 256
#define MAX_RX_QUEUE_PER_LCORE 16
#define MAX_TIMER_PERIOD 86400 /* 1 day max */
#define MAX_RUNTIME (365 * 86400)
#define RX_DESC_DEFAULT 1024
#define TX_DESC_DEFAULT 1024
/* Packets polled from each RX queue at exit before the ports stop. */
#define RX_DRAIN_MAX 8192

#define DEFAULT_POOL_OPS RTE_MEMPOOL_PAGEFRAG_OPS_NAME

/* The port mask is 32 bits wide, as in l2fwd. */
#define MAX_MASK_PORTS 32

static volatile bool force_quit;

/* MAC updating enabled by default */
static int mac_updating = 1;

static uint16_t nb_rxd = RX_DESC_DEFAULT;
static uint16_t nb_txd = TX_DESC_DEFAULT;

/* ethernet addresses of ports */
static struct rte_ether_addr l2fwd_ports_eth_addr[RTE_MAX_ETHPORTS];

/* mask of enabled ports */
static uint32_t l2fwd_enabled_port_mask;

/* list of enabled ports */
static uint32_t l2fwd_dst_ports[RTE_MAX_ETHPORTS];

struct port_pair_params {
#define NUM_PORTS 2
	uint16_t port[NUM_PORTS];
} __rte_cache_aligned;

static struct port_pair_params port_pair_params_array[RTE_MAX_ETHPORTS / 2];
static struct port_pair_params *port_pair_params;
static uint16_t nb_port_pair_params;

static unsigned int l2fwd_rx_queue_per_lcore = 1;

/*
 * Work of an lcore: the RX queues it polls and, with --pipeline, the
 * pipeline rings (named by their RX port) it takes packets from to send
 * them. tx_src lists the RX ports whose packets this lcore transmits: it
 * fills and flushes the TX buffers of their paired ports.
 */
struct lcore_queue_conf {
	unsigned int n_rx_port;
	unsigned int rx_port_list[MAX_RX_QUEUE_PER_LCORE];
	unsigned int n_pipe_port;
	unsigned int pipe_port_list[RTE_MAX_ETHPORTS];
	unsigned int n_tx_src;
	const unsigned int *tx_src;
	uint64_t frag_drain_refs; /* fragment cache references drained */
} __rte_cache_aligned;
static struct lcore_queue_conf lcore_queue_conf[RTE_MAX_LCORE];

/*
 * RX queue of a port, as a PMD sees the allocator. Only the lcore that
 * polls the queue uses its ring-level cache: it takes the copybreak header
 * mbufs from it (and gives back through it what its packets fail to be
 * sent), and drains it at queue stop.
 */
struct l2fwd_rxq {
	struct rte_mempool_pagefrag_rcache *rcache; /* NULL: not pagefrag */
	struct rte_mempool *rc_pool;	/* pool the rcache is bound to */
	struct rte_ring *pipe;		/* --pipeline: to the TX lcore */
	uint16_t portid;
	uint64_t copied;	/* packets copied into fragments */
	uint64_t copy_fails;	/* small packets left in their mbuf */
	uint64_t pipe_full;	/* packets the pipeline ring refused */
	uint64_t rc_released;	/* mbufs given back through the rcache */
	uint64_t freed;		/* mbufs freed one by one (fallback) */
	uint64_t drain_refs;	/* references released by drains at stop */
	uint64_t mem_bytes;	/* packet memory of the packets received */
} __rte_cache_aligned;
static struct l2fwd_rxq l2fwd_rxq[RTE_MAX_ETHPORTS];

/*
 * TX side of a port: the TX buffer, and the RX queue whose ring-level
 * cache takes back the mbufs the port fails to send (NULL with
 * --pipeline: the transmitting lcore does not own that cache).
 */
struct l2fwd_txq {
	struct rte_eth_dev_tx_buffer *buffer;
	struct l2fwd_rxq *rel;
	uint16_t portid;
	uint64_t dropped;	/* TX failures, counted by the TX lcore */
	uint64_t freed;		/* of them freed one by one */
} __rte_cache_aligned;
static struct l2fwd_txq l2fwd_txq[RTE_MAX_ETHPORTS];

static struct rte_eth_conf port_conf = {
	.txmode = {
		.mq_mode = RTE_ETH_MQ_TX_NONE,
	},
};

/* one mbuf pool per socket in use */
static struct rte_mempool *pktmbuf_pool[RTE_MAX_NUMA_NODES];
/* pool each port receives into */
static struct rte_mempool *port_pool[RTE_MAX_ETHPORTS];
static const char *pool_ops_name;
static unsigned int mbuf_cache_size = MEMPOOL_CACHE_SIZE;

/* --copybreak: largest packet copied into a fragment; 0: off */
static unsigned int copybreak;
#define MAX_COPYBREAK 1024
/* header mbufs (no data room) of the copied packets, and their fragments */
static struct rte_mempool *hdr_pool;
static struct rte_pagefrag_pool *frag_pool;
/* --pipeline: RX and TX on different lcores */
static int pipeline;
#define PIPE_RING_SIZE 1024

/* Every mbuf pool of the application, for the statistics and the checks. */
#define NB_POOLS (RTE_MAX_NUMA_NODES + 1)
static struct rte_mempool *all_pools[NB_POOLS];

/* Per-port statistics struct */
struct l2fwd_port_statistics {
	uint64_t tx;
	uint64_t rx;
	uint64_t dropped;
} __rte_cache_aligned;
static struct l2fwd_port_statistics port_statistics[RTE_MAX_ETHPORTS];

/* statistics period, in seconds on the command line, then in TSC cycles */
static uint64_t timer_period = 10; /* default period is 10 seconds */
/* run time, in seconds on the command line, then in TSC cycles; 0: forever */
static uint64_t runtime;

static uint64_t start_tsc;

static inline bool
port_enabled(uint16_t portid)
{
	return portid < MAX_MASK_PORTS &&
		(l2fwd_enabled_port_mask & (UINT32_C(1) << portid)) != 0;
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

/* Packets dropped on a port: TX failures, pipeline ring full, at exit. */
static inline uint64_t
port_dropped(uint16_t portid)
{
	return port_statistics[portid].dropped + l2fwd_txq[portid].dropped +
		l2fwd_rxq[portid].pipe_full;
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
static void
print_stats(bool clear)
{
	uint64_t total_packets_dropped, total_packets_tx, total_packets_rx;
	uint64_t rc_released = 0, freed = 0, copied = 0;
	unsigned int portid, i;

	total_packets_dropped = 0;
	total_packets_tx = 0;
	total_packets_rx = 0;

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

		total_packets_dropped += port_dropped(portid);
		total_packets_tx += port_statistics[portid].tx;
		total_packets_rx += port_statistics[portid].rx;
		rc_released += l2fwd_rxq[portid].rc_released;
		freed += l2fwd_rxq[portid].freed + l2fwd_txq[portid].freed;
		copied += l2fwd_rxq[portid].copied;
	}
	printf("\nAggregate statistics ==============================="
		   "\nTotal packets sent: %18"PRIu64
		   "\nTotal packets received: %14"PRIu64
		   "\nTotal packets dropped: %15"PRIu64,
		   total_packets_tx,
		   total_packets_rx,
		   total_packets_dropped);
	printf("\nDropped mbufs released via ring caches: %" PRIu64
		", one by one: %" PRIu64, rc_released, freed);
	if (copybreak > 0)
		printf("\nPackets copied into fragments: %" PRIu64, copied);

	printf("\nAllocator statistics ===============================");
	for (i = 0; i < RTE_DIM(all_pools); i++)
		if (all_pools[i] != NULL)
			print_pool_stats(all_pools[i]);
	if (frag_pool != NULL)
		print_frag_stats();
	printf("\n====================================================\n");

	fflush(stdout);
}

/*
 * Give n objects back through the rcache: the queue's next refill hands
 * them out again, with no atomic, in whatever order they come.
 */
static void
l2fwd_rcache_release(struct l2fwd_rxq *rxq, void **objs, unsigned int n)
{
	if (rte_mempool_pagefrag_rcache_free(rxq->rcache, objs, n) != 0)
		RTE_LOG(ERR, L2FWD, "port %u: ring cache refused mbufs\n",
			rxq->portid);
	rxq->rc_released += n;
}

/* Release through the ring-level cache. 8< */

/*
 * Release mbufs on the lcore that owns rxq (NULL: none). Single-segment
 * mbufs of the rcache's pool whose last reference we hold go back through
 * the ring-level cache, after rte_pktmbuf_prefree_seg() has done what
 * rte_pktmbuf_free() would (a copybreak header mbuf drops its fragment
 * there); anything else is freed the usual way. Returns the number freed
 * one by one.
 */
static unsigned int
l2fwd_release_mbufs(struct l2fwd_rxq *rxq, struct rte_mbuf **pkts,
		unsigned int n)
{
	void *objs[MAX_PKT_BURST];
	struct rte_mbuf *m;
	unsigned int i, nb = 0, freed = 0;

	for (i = 0; i < n; i++) {
		m = pkts[i];
		if (rxq == NULL || rxq->rcache == NULL ||
				m->pool != rxq->rc_pool || m->nb_segs != 1 ||
				m->next != NULL ||
				rte_mbuf_refcnt_read(m) != 1) {
			rte_pktmbuf_free(m);
			freed++;
			continue;
		}
		m = rte_pktmbuf_prefree_seg(m);
		if (m == NULL)
			continue;
		objs[nb++] = m;
		if (nb == RTE_DIM(objs)) {
			l2fwd_rcache_release(rxq, objs, nb);
			nb = 0;
		}
	}
	if (nb > 0)
		l2fwd_rcache_release(rxq, objs, nb);
	if (rxq != NULL)
		rxq->freed += freed;
	return freed;
}

/* TX buffer error callback: count the drops, release the mbufs. */
static void
l2fwd_tx_error_cb(struct rte_mbuf **unsent, uint16_t count, void *userdata)
{
	struct l2fwd_txq *txq = userdata;
	unsigned int freed;

	txq->dropped += count;
	freed = l2fwd_release_mbufs(txq->rel, unsent, count);
	if (txq->rel == NULL)
		txq->freed += freed;
}
/* >8 End of release through the ring-level cache. */

/* Bytes of packet memory an mbuf of a pool holds, headers included. */
static inline unsigned int
l2fwd_mbuf_bytes(const struct rte_mempool *mp)
{
	return mp->header_size + mp->elt_size + mp->trailer_size;
}

/* Copybreak. 8< */

/*
 * Copybreak on a received burst: each single-segment packet of at most
 * copybreak bytes is copied into a right-sized fragment attached to a
 * header mbuf of the queue's ring-level cache, which replaces it in pkts;
 * the NIC's mbufs are freed at once. Packets the fragment pool or the
 * header pool cannot take stay in their mbuf. Adds to rxq->mem_bytes the
 * packet memory each packet of the burst holds from now on.
 */
static void
l2fwd_copybreak(struct l2fwd_rxq *rxq, struct rte_mbuf **pkts,
		unsigned int n)
{
	struct rte_mbuf *hdrs[MAX_PKT_BURST], *nic[MAX_PKT_BURST];
	unsigned int i, nb_small = 0, nb_hdr, nb_nic = 0;
	const unsigned int hdr_bytes = l2fwd_mbuf_bytes(hdr_pool);
	struct rte_mbuf *m, *h;
	uint64_t bytes = 0;
	int ret;

	for (i = 0; i < n; i++)
		if (pkts[i]->pkt_len <= copybreak && pkts[i]->nb_segs == 1)
			nb_small++;
	nb_hdr = 0;
	if (nb_small > 0) {
		/* header mbufs come reset */
		if (rxq->rcache != NULL)
			ret = rte_mempool_pagefrag_rcache_alloc_mbufs(
					rxq->rcache, hdrs, nb_small);
		else
			ret = rte_pktmbuf_alloc_bulk(hdr_pool, hdrs, nb_small);
		if (ret == 0)
			nb_hdr = nb_small;
		else
			rxq->copy_fails += nb_small;
	}

	for (i = 0; i < n; i++) {
		m = pkts[i];
		if (nb_hdr == 0 || m->pkt_len > copybreak || m->nb_segs != 1) {
			bytes += l2fwd_mbuf_bytes(m->pool);
			continue;
		}
		h = hdrs[--nb_hdr];
		/* a fragment of the packet's size: no headroom kept */
		ret = rte_pagefrag_attach_extbuf(frag_pool, h,
				RTE_MAX(m->data_len, 1));
		if (ret != 0) {
			/* keep the header: back with the unused ones */
			hdrs[nb_hdr++] = h;
			rxq->copy_fails++;
			bytes += l2fwd_mbuf_bytes(m->pool);
			continue;
		}
		h->data_off = 0;
		rte_memcpy(rte_pktmbuf_mtod(h, void *),
			rte_pktmbuf_mtod(m, const void *), m->data_len);
		h->data_len = m->data_len;
		h->pkt_len = m->pkt_len;
		h->port = m->port;
		h->packet_type = m->packet_type;
		h->hash = m->hash;
		h->vlan_tci = m->vlan_tci;
		h->vlan_tci_outer = m->vlan_tci_outer;
		h->ol_flags |= m->ol_flags &
			~(RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_INDIRECT);
		/* header mbuf + fragment (buffer and shared info) */
		bytes += hdr_bytes + RTE_ALIGN_CEIL((uintptr_t)(h->shinfo + 1) -
			(uintptr_t)h->buf_addr, RTE_CACHE_LINE_SIZE);
		nic[nb_nic++] = m;
		pkts[i] = h;
	}
	if (nb_hdr > 0) {
		/* headers left over by failed attaches */
		if (rxq->rcache != NULL)
			rte_mempool_pagefrag_rcache_free(rxq->rcache,
				(void **)hdrs, nb_hdr);
		else
			rte_mempool_put_bulk(hdr_pool, (void **)hdrs, nb_hdr);
	}
	if (nb_nic > 0)
		rte_pktmbuf_free_bulk(nic, nb_nic);
	rxq->copied += nb_nic;
	rxq->mem_bytes += bytes;
}
/* >8 End of copybreak. */

/* Packet memory of a burst left in the NIC's mbufs. */
static inline void
l2fwd_count_mem(struct l2fwd_rxq *rxq, struct rte_mbuf **pkts, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		rxq->mem_bytes += l2fwd_mbuf_bytes(pkts[i]->pool);
}

static void
l2fwd_mac_updating(struct rte_mbuf *m, unsigned int dest_portid)
{
	struct rte_ether_hdr *eth;
	void *tmp;

	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	/* 02:00:00:00:00:xx */
	tmp = &eth->dst_addr.addr_bytes[0];
	*((uint64_t *)tmp) = 0x000000000002 + ((uint64_t)dest_portid << 40);

	/* src addr */
	rte_ether_addr_copy(&l2fwd_ports_eth_addr[dest_portid], &eth->src_addr);
}

static void
l2fwd_simple_forward(struct rte_mbuf *m, unsigned int portid)
{
	unsigned int dst_port;
	struct l2fwd_txq *txq;
	int sent;

	dst_port = l2fwd_dst_ports[portid];

	if (mac_updating)
		l2fwd_mac_updating(m, dst_port);

	txq = &l2fwd_txq[dst_port];
	sent = rte_eth_tx_buffer(dst_port, 0, txq->buffer, m);
	if (sent)
		port_statistics[dst_port].tx += sent;
}

/* Forward a burst of packets received on portid. */
static inline void
l2fwd_forward_burst(struct rte_mbuf **pkts, unsigned int n,
		unsigned int portid)
{
	unsigned int j;

	for (j = 0; j < n; j++) {
		rte_prefetch0(rte_pktmbuf_mtod(pkts[j], void *));
		l2fwd_simple_forward(pkts[j], portid);
	}
}

/* Flush the TX buffers this lcore fills. */
static void
l2fwd_flush_tx(const struct lcore_queue_conf *qconf)
{
	unsigned int i, portid;
	int sent;

	for (i = 0; i < qconf->n_tx_src; i++) {
		portid = l2fwd_dst_ports[qconf->tx_src[i]];
		sent = rte_eth_tx_buffer_flush(portid, 0,
				l2fwd_txq[portid].buffer);
		if (sent)
			port_statistics[portid].tx += sent;
	}
}

/* Main lcore's timers: statistics period and run time. */
static void
l2fwd_main_timers(uint64_t cur_tsc, uint64_t *timer_tsc, uint64_t diff_tsc)
{
	if (runtime > 0 && cur_tsc - start_tsc >= runtime)
		force_quit = true;

	/* if timer is enabled */
	if (timer_period > 0) {
		/* advance the timer */
		*timer_tsc += diff_tsc;

		/* if timer has reached its timeout */
		if (unlikely(*timer_tsc >= timer_period)) {
			print_stats(true);
			/* reset the timer */
			*timer_tsc = 0;
		}
	}
}

/*
 * The calling lcore stops using the pools: empty its mempool caches and,
 * on pagefrag pools, hand the rest of its frag cache page to the others;
 * give back the references its fragment cache holds. Once every lcore
 * did, each page whose objects are all back is free again.
 */
static uint64_t
l2fwd_pools_flush(void)
{
	struct rte_mempool *mp;
	unsigned int i;

	for (i = 0; i < RTE_DIM(all_pools); i++) {
		mp = all_pools[i];
		if (mp == NULL)
			continue;
		rte_mempool_cache_flush(rte_mempool_default_cache(mp,
				rte_lcore_id()), mp);
		if (rte_mempool_pagefrag_is_pagefrag(mp))
			rte_mempool_pagefrag_cache_flush(mp);
	}
	return frag_pool != NULL ? rte_pagefrag_cache_drain(frag_pool) : 0;
}

/* Queue stop. 8< */

/*
 * Queue stop for the queues of this lcore: send what is left in the TX
 * buffers it fills (failures go back through the rcache), then drain the
 * ring-level caches of its RX queues (one atomic per page for every
 * reference each still holds) and its fragment cache.
 */
static void
l2fwd_lcore_stop(struct lcore_queue_conf *qconf)
{
	struct l2fwd_rxq *rxq;
	unsigned int i;

	l2fwd_flush_tx(qconf);
	for (i = 0; i < qconf->n_rx_port; i++) {
		rxq = &l2fwd_rxq[qconf->rx_port_list[i]];
		if (rxq->rcache != NULL)
			rxq->drain_refs +=
				rte_mempool_pagefrag_rcache_drain(rxq->rcache);
	}

	qconf->frag_drain_refs += l2fwd_pools_flush();
}
/* >8 End of queue stop. */

/* Pipeline. 8< */

/*
 * --pipeline, RX side: hand the burst to the TX lcore through the port's
 * ring. What the ring refuses is dropped here, through the queue's
 * ring-level cache.
 */
static void
l2fwd_pipe_enqueue(struct l2fwd_rxq *rxq, struct rte_mbuf **pkts,
		unsigned int n)
{
	unsigned int nb;

	nb = rte_ring_sp_enqueue_burst(rxq->pipe, (void **)pkts, n, NULL);
	if (unlikely(nb < n)) {
		rxq->pipe_full += n - nb;
		l2fwd_release_mbufs(rxq, pkts + nb, n - nb);
	}
}

/* --pipeline, TX side: send what the RX lcores passed on. */
static void
l2fwd_pipe_dequeue(const struct lcore_queue_conf *qconf)
{
	struct rte_mbuf *pkts[MAX_PKT_BURST];
	unsigned int i, nb, portid;

	for (i = 0; i < qconf->n_pipe_port; i++) {
		portid = qconf->pipe_port_list[i];
		nb = rte_ring_sc_dequeue_burst(l2fwd_rxq[portid].pipe,
				(void **)pkts, MAX_PKT_BURST, NULL);
		if (nb > 0)
			l2fwd_forward_burst(pkts, nb, portid);
	}
}
/* >8 End of pipeline. */

/* main processing loop */
static void
l2fwd_main_loop(void)
{
	struct rte_mbuf *pkts_burst[MAX_PKT_BURST];
	struct l2fwd_rxq *rxq;
	unsigned int lcore_id;
	uint64_t prev_tsc, diff_tsc, cur_tsc, timer_tsc;
	unsigned int i, portid, nb_rx;
	struct lcore_queue_conf *qconf;
	const uint64_t drain_tsc = (rte_get_tsc_hz() + US_PER_S - 1) /
			US_PER_S * BURST_TX_DRAIN_US;
	bool is_main;

	prev_tsc = 0;
	timer_tsc = 0;

	lcore_id = rte_lcore_id();
	is_main = lcore_id == rte_get_main_lcore();
	qconf = &lcore_queue_conf[lcore_id];

	if (qconf->n_rx_port == 0 && qconf->n_pipe_port == 0) {
		RTE_LOG(INFO, L2FWD, "lcore %u has nothing to do\n", lcore_id);
		if (!is_main)
			return;
		/* still keep the statistics and the run time */
		prev_tsc = rte_rdtsc();
		while (!force_quit) {
			rte_delay_ms(1);
			cur_tsc = rte_rdtsc();
			l2fwd_main_timers(cur_tsc, &timer_tsc,
				cur_tsc - prev_tsc);
			prev_tsc = cur_tsc;
		}
		l2fwd_pools_flush();
		return;
	}

	RTE_LOG(INFO, L2FWD, "entering main loop on lcore %u\n", lcore_id);

	for (i = 0; i < qconf->n_rx_port; i++)
		RTE_LOG(INFO, L2FWD, " -- lcoreid=%u portid=%u%s\n", lcore_id,
			qconf->rx_port_list[i], pipeline ? " (RX)" : "");
	for (i = 0; i < qconf->n_pipe_port; i++)
		RTE_LOG(INFO, L2FWD, " -- lcoreid=%u portid=%u (TX to port %u)\n",
			lcore_id, qconf->pipe_port_list[i],
			l2fwd_dst_ports[qconf->pipe_port_list[i]]);

	while (!force_quit) {

		cur_tsc = rte_rdtsc();

		/*
		 * TX burst queue drain
		 */
		diff_tsc = cur_tsc - prev_tsc;
		if (unlikely(diff_tsc > drain_tsc)) {
			l2fwd_flush_tx(qconf);

			/* statistics and run time: on main lcore only */
			if (is_main)
				l2fwd_main_timers(cur_tsc, &timer_tsc,
					diff_tsc);

			prev_tsc = cur_tsc;
		}

		/*
		 * Read packet from RX queues
		 */
		for (i = 0; i < qconf->n_rx_port; i++) {

			portid = qconf->rx_port_list[i];
			rxq = &l2fwd_rxq[portid];
			nb_rx = rte_eth_rx_burst(portid, 0,
						 pkts_burst, MAX_PKT_BURST);

			if (unlikely(nb_rx == 0))
				continue;

			port_statistics[portid].rx += nb_rx;
			if (copybreak > 0)
				l2fwd_copybreak(rxq, pkts_burst, nb_rx);
			else
				l2fwd_count_mem(rxq, pkts_burst, nb_rx);

			if (pipeline)
				l2fwd_pipe_enqueue(rxq, pkts_burst, nb_rx);
			else
				l2fwd_forward_burst(pkts_burst, nb_rx, portid);
		}

		if (pipeline)
			l2fwd_pipe_dequeue(qconf);
	}

	l2fwd_lcore_stop(qconf);
}

static int
l2fwd_launch_one_lcore(__rte_unused void *dummy)
{
	l2fwd_main_loop();
	return 0;
}

/* display usage */
static void
l2fwd_usage(const char *prgname)
{
	printf("%s [EAL options] -- -p PORTMASK [-q NQ]\n"
	       "  -p PORTMASK: hexadecimal bitmask of ports to configure\n"
	       "  -q NQ: number of queue (=ports) per lcore (default is 1)\n"
	       "  -T PERIOD: statistics will be refreshed each PERIOD seconds (0 to disable, 10 default, 86400 maximum)\n"
	       "  --no-mac-updating: Disable MAC addresses updating (enabled by default)\n"
	       "      When enabled:\n"
	       "       - The source MAC address is replaced by the TX port MAC address\n"
	       "       - The destination MAC address is replaced by 02:00:00:00:00:TX_PORT_ID\n"
	       "  --portmap: Configure forwarding port pair mapping\n"
	       "	      Default: alternate port pairs\n"
	       "  --mbuf-pool-ops NAME: mempool ops of the mbuf pools (default %s;\n"
	       "      e.g. ring_mp_mc, stack, bucket to compare)\n"
	       "  --mbcache N: mempool cache size per lcore (default %u, 0 for none)\n"
	       "  --runtime SECONDS: stop after SECONDS (default 0: until SIGINT/SIGTERM)\n"
	       "  --copybreak N: copy received packets of at most N bytes (1-%u) into\n"
	       "      right-sized fragments on header mbufs (default 0: off)\n"
	       "  --pipeline: receive and transmit on different lcores joined by rings\n"
	       "      (the lcores left without an RX port transmit)\n\n",
	       prgname, DEFAULT_POOL_OPS, MEMPOOL_CACHE_SIZE, MAX_COPYBREAK);
}

static uint32_t
l2fwd_parse_portmask(const char *portmask)
{
	char *end = NULL;
	unsigned long pm;

	/* parse hexadecimal string */
	errno = 0;
	pm = strtoul(portmask, &end, 16);
	if (errno != 0 || (portmask[0] == '\0') || (end == NULL) ||
			(*end != '\0') || pm > UINT32_MAX)
		return 0;

	return pm;
}

static int
l2fwd_parse_port_pair_config(const char *q_arg)
{
	enum fieldnames {
		FLD_PORT1 = 0,
		FLD_PORT2,
		_NUM_FLD
	};
	unsigned long int_fld[_NUM_FLD];
	const char *p, *p0 = q_arg;
	char *str_fld[_NUM_FLD];
	unsigned int size;
	char s[256];
	char *end;
	int i;

	nb_port_pair_params = 0;

	while ((p = strchr(p0, '(')) != NULL) {
		++p;
		p0 = strchr(p, ')');
		if (p0 == NULL)
			return -1;

		size = p0 - p;
		if (size >= sizeof(s))
			return -1;

		memcpy(s, p, size);
		s[size] = '\0';
		if (rte_strsplit(s, sizeof(s), str_fld,
				 _NUM_FLD, ',') != _NUM_FLD)
			return -1;
		for (i = 0; i < _NUM_FLD; i++) {
			errno = 0;
			int_fld[i] = strtoul(str_fld[i], &end, 0);
			if (errno != 0 || end == str_fld[i] ||
					int_fld[i] >= RTE_MAX_ETHPORTS)
				return -1;
		}
		if (nb_port_pair_params >= RTE_MAX_ETHPORTS/2) {
			printf("exceeded max number of port pair params: %hu\n",
				nb_port_pair_params);
			return -1;
		}
		port_pair_params_array[nb_port_pair_params].port[0] =
				(uint16_t)int_fld[FLD_PORT1];
		port_pair_params_array[nb_port_pair_params].port[1] =
				(uint16_t)int_fld[FLD_PORT2];
		++nb_port_pair_params;
	}
	if (nb_port_pair_params == 0)
		return -1;
	port_pair_params = port_pair_params_array;
	return 0;
}

static unsigned int
l2fwd_parse_nqueue(const char *q_arg)
{
	char *end = NULL;
	unsigned long n;

	/* parse decimal string */
	n = strtoul(q_arg, &end, 10);
	if ((q_arg[0] == '\0') || (end == NULL) || (*end != '\0'))
		return 0;
	if (n == 0)
		return 0;
	if (n >= MAX_RX_QUEUE_PER_LCORE)
		return 0;

	return n;
}

/* Parse a decimal number in [0, max]; -1 if invalid. */
static int
l2fwd_parse_uint(const char *q_arg, int max)
{
	char *end = NULL;
	long n;

	/* parse number string */
	errno = 0;
	n = strtol(q_arg, &end, 10);
	if (errno != 0 || (q_arg[0] == '\0') || (end == NULL) ||
			(*end != '\0'))
		return -1;
	if (n < 0 || n > max)
		return -1;

	return n;
}

static const char short_options[] =
	"p:"  /* portmask */
	"q:"  /* number of queues */
	"T:"  /* timer period */
	;

#define CMD_LINE_OPT_NO_MAC_UPDATING "no-mac-updating"
#define CMD_LINE_OPT_PORTMAP_CONFIG "portmap"
#define CMD_LINE_OPT_POOL_OPS "mbuf-pool-ops"
#define CMD_LINE_OPT_RUNTIME "runtime"
#define CMD_LINE_OPT_MBCACHE "mbcache"
#define CMD_LINE_OPT_COPYBREAK "copybreak"
#define CMD_LINE_OPT_PIPELINE "pipeline"

enum {
	/* long options mapped to a short option */

	/* first long only option value must be >= 256, so that we won't
	 * conflict with short options
	 */
	CMD_LINE_OPT_NO_MAC_UPDATING_NUM = 256,
	CMD_LINE_OPT_PORTMAP_NUM,
	CMD_LINE_OPT_POOL_OPS_NUM,
	CMD_LINE_OPT_RUNTIME_NUM,
	CMD_LINE_OPT_MBCACHE_NUM,
	CMD_LINE_OPT_COPYBREAK_NUM,
};

static const struct option lgopts[] = {
	{ "mac-updating", no_argument, &mac_updating, 1},
	{ CMD_LINE_OPT_NO_MAC_UPDATING, no_argument, &mac_updating, 0},
	{ CMD_LINE_OPT_PORTMAP_CONFIG, 1, 0, CMD_LINE_OPT_PORTMAP_NUM},
	{ CMD_LINE_OPT_POOL_OPS, 1, 0, CMD_LINE_OPT_POOL_OPS_NUM},
	{ CMD_LINE_OPT_RUNTIME, 1, 0, CMD_LINE_OPT_RUNTIME_NUM},
	{ CMD_LINE_OPT_MBCACHE, 1, 0, CMD_LINE_OPT_MBCACHE_NUM},
	{ CMD_LINE_OPT_COPYBREAK, 1, 0, CMD_LINE_OPT_COPYBREAK_NUM},
	{ CMD_LINE_OPT_PIPELINE, no_argument, &pipeline, 1},
	{NULL, 0, 0, 0}
};

/* Parse the argument given in the command line of the application */
static int
l2fwd_parse_args(int argc, char **argv)
{
	int opt, ret, timer_secs, val;
	char **argvopt;
	int option_index;
	char *prgname = argv[0];

	argvopt = argv;
	port_pair_params = NULL;

	while ((opt = getopt_long(argc, argvopt, short_options,
				  lgopts, &option_index)) != EOF) {

		switch (opt) {
		/* portmask */
		case 'p':
			l2fwd_enabled_port_mask = l2fwd_parse_portmask(optarg);
			if (l2fwd_enabled_port_mask == 0) {
				printf("invalid portmask\n");
				l2fwd_usage(prgname);
				return -1;
			}
			break;

		/* nqueue */
		case 'q':
			l2fwd_rx_queue_per_lcore = l2fwd_parse_nqueue(optarg);
			if (l2fwd_rx_queue_per_lcore == 0) {
				printf("invalid queue number\n");
				l2fwd_usage(prgname);
				return -1;
			}
			break;

		/* timer period */
		case 'T':
			timer_secs = l2fwd_parse_uint(optarg,
					MAX_TIMER_PERIOD);
			if (timer_secs < 0) {
				printf("invalid timer period\n");
				l2fwd_usage(prgname);
				return -1;
			}
			timer_period = timer_secs;
			break;

		/* long options */
		case CMD_LINE_OPT_PORTMAP_NUM:
			ret = l2fwd_parse_port_pair_config(optarg);
			if (ret) {
				fprintf(stderr, "Invalid config\n");
				l2fwd_usage(prgname);
				return -1;
			}
			break;

		case CMD_LINE_OPT_POOL_OPS_NUM:
			if (optarg[0] == '\0' ||
					strlen(optarg) >= RTE_MEMPOOL_OPS_NAMESIZE) {
				printf("invalid mempool ops name\n");
				l2fwd_usage(prgname);
				return -1;
			}
			pool_ops_name = optarg;
			break;

		case CMD_LINE_OPT_RUNTIME_NUM:
			val = l2fwd_parse_uint(optarg, MAX_RUNTIME);
			if (val < 0) {
				printf("invalid run time\n");
				l2fwd_usage(prgname);
				return -1;
			}
			runtime = val;
			break;

		case CMD_LINE_OPT_MBCACHE_NUM:
			val = l2fwd_parse_uint(optarg,
					RTE_MEMPOOL_CACHE_MAX_SIZE);
			if (val < 0) {
				printf("invalid mempool cache size (0-%u)\n",
					RTE_MEMPOOL_CACHE_MAX_SIZE);
				l2fwd_usage(prgname);
				return -1;
			}
			mbuf_cache_size = val;
			break;

		case CMD_LINE_OPT_COPYBREAK_NUM:
			val = l2fwd_parse_uint(optarg, MAX_COPYBREAK);
			if (val < 0) {
				printf("invalid copybreak (0-%u)\n",
					MAX_COPYBREAK);
				l2fwd_usage(prgname);
				return -1;
			}
			copybreak = val;
			break;

		case 0:
			/* flag options (mac updating, pipeline) */
			break;

		default:
			l2fwd_usage(prgname);
			return -1;
		}
	}

	if (optind >= 0)
		argv[optind-1] = prgname;

	ret = optind-1;
	optind = 1; /* reset getopt lib */
	return ret;
}

/*
 * Check port pair config with enabled port mask,
 * and for valid port pair combinations.
 */
static int
check_port_pair_config(void)
{
	uint32_t port_pair_config_mask = 0;
	uint32_t port_pair_mask = 0;
	uint16_t index, i, portid;

	for (index = 0; index < nb_port_pair_params; index++) {
		port_pair_mask = 0;

		for (i = 0; i < NUM_PORTS; i++)  {
			portid = port_pair_params[index].port[i];
			if (!port_enabled(portid)) {
				printf("port %u is not enabled in port mask\n",
				       portid);
				return -1;
			}
			if (!rte_eth_dev_is_valid_port(portid)) {
				printf("port %u is not present on the board\n",
				       portid);
				return -1;
			}

			port_pair_mask |= UINT32_C(1) << portid;
		}

		if (port_pair_config_mask & port_pair_mask) {
			printf("port %u is used in other port pairs\n", portid);
			return -1;
		}
		port_pair_config_mask |= port_pair_mask;
	}

	l2fwd_enabled_port_mask &= port_pair_config_mask;

	return 0;
}

/* Check the link status of all ports in up to 9s, and print them finally */
static void
check_all_ports_link_status(uint32_t port_mask)
{
#define CHECK_INTERVAL 100 /* 100ms */
#define MAX_CHECK_TIME 90 /* 9s (90 * 100ms) in total */
	uint16_t portid;
	uint8_t count, all_ports_up, print_flag = 0;
	struct rte_eth_link link;
	int ret;
	char link_status_text[RTE_ETH_LINK_MAX_STR_LEN];

	printf("\nChecking link status");
	fflush(stdout);
	for (count = 0; count <= MAX_CHECK_TIME; count++) {
		if (force_quit)
			return;
		all_ports_up = 1;
		RTE_ETH_FOREACH_DEV(portid) {
			if (force_quit)
				return;
			if (portid >= MAX_MASK_PORTS ||
					(port_mask & (UINT32_C(1) << portid)) == 0)
				continue;
			memset(&link, 0, sizeof(link));
			ret = rte_eth_link_get_nowait(portid, &link);
			if (ret < 0) {
				all_ports_up = 0;
				if (print_flag == 1)
					printf("Port %u link get failed: %s\n",
						portid, rte_strerror(-ret));
				continue;
			}
			/* print link status if flag set */
			if (print_flag == 1) {
				rte_eth_link_to_str(link_status_text,
					sizeof(link_status_text), &link);
				printf("Port %d %s\n", portid,
				       link_status_text);
				continue;
			}
			/* clear all_ports_up flag if any link down */
			if (link.link_status == RTE_ETH_LINK_DOWN) {
				all_ports_up = 0;
				break;
			}
		}
		/* after finally printing all link status, get out */
		if (print_flag == 1)
			break;

		if (all_ports_up == 0) {
			printf(".");
			fflush(stdout);
			rte_delay_ms(CHECK_INTERVAL);
		}

		/* set the print_flag if all ports up or timeout */
		if (all_ports_up == 1 || count == (MAX_CHECK_TIME - 1)) {
			print_flag = 1;
			printf("done\n");
		}
	}
}

static void
signal_handler(int signum)
{
	if (signum == SIGINT || signum == SIGTERM) {
		printf("\n\nSignal %d received, preparing to exit...\n",
				signum);
		force_quit = true;
	}
}

/* Socket whose pool a port receives into: that of its RX lcore. */
static unsigned int
port_pool_socket(uint16_t portid)
{
	unsigned int lcore_id;
	unsigned int i;

	RTE_LCORE_FOREACH(lcore_id) {
		for (i = 0; i < lcore_queue_conf[lcore_id].n_rx_port; i++)
			if (lcore_queue_conf[lcore_id].rx_port_list[i] ==
					portid)
				return rte_lcore_to_socket_id(lcore_id);
	}
	return rte_socket_id();
}

/* The lcore that receives on a port, hence fills its paired TX buffer. */
static unsigned int
port_rx_lcore(uint16_t portid)
{
	unsigned int lcore_id;
	unsigned int i;

	RTE_LCORE_FOREACH(lcore_id) {
		for (i = 0; i < lcore_queue_conf[lcore_id].n_rx_port; i++)
			if (lcore_queue_conf[lcore_id].rx_port_list[i] ==
					portid)
				return lcore_id;
	}
	return rte_get_main_lcore();
}

static struct rte_mempool *
l2fwd_pool_create(const char *prefix, unsigned int socket,
		unsigned int nb_mbufs, unsigned int cache_size,
		uint16_t data_room)
{
	struct rte_mempool_pagefrag_stats st;
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *mp;
	unsigned int i;

	snprintf(name, sizeof(name), "%s_s%u", prefix, socket);
	mp = rte_pktmbuf_pool_create_by_ops(name, nb_mbufs,
			cache_size, 0, data_room, socket, pool_ops_name);
	if (mp == NULL)
		rte_exit(EXIT_FAILURE,
			"Cannot create mbuf pool %s (%u mbufs, ops %s, socket %u): %s%s\n",
			name, nb_mbufs, pool_ops_name, socket,
			rte_strerror(rte_errno),
			strcmp(pool_ops_name, DEFAULT_POOL_OPS) == 0 ?
			" (is the pagefrag driver loaded?)" : "");
	printf("Created pool %s: %u mbufs, ops %s, socket %u, mempool cache %u\n",
		name, mp->size, pool_ops_name, socket, mp->cache_size);
	if (rte_mempool_pagefrag_is_pagefrag(mp) &&
			rte_mempool_pagefrag_stats_get(mp, &st) == 0)
		printf("  pagefrag: %" PRIu64 " pages of %" PRIu64 " KB, %" PRIu64
			" mbufs of %" PRIu64 " bytes per page\n",
			st.pages_total, st.page_size >> 10, st.objs_per_page,
			st.elt_total_size);
	for (i = 0; i < RTE_DIM(all_pools); i++)
		if (all_pools[i] == NULL) {
			all_pools[i] = mp;
			break;
		}
	return mp;
}

/* Copybreak pools. 8< */

/*
 * Pools of the copied packets: header mbufs with no data room, with the
 * mbuf pools' ops (each RX queue takes them from its ring-level cache when
 * the ops are pagefrag), and a fragment pool for their data.
 */
static void
l2fwd_copybreak_pools_create(unsigned int socket, unsigned int nb_ports,
		unsigned int nb_lcores)
{
	struct rte_mempool_pagefrag_stats st;
	const unsigned int frag_max = RTE_ALIGN_CEIL(copybreak +
		sizeof(uintptr_t) + sizeof(struct rte_mbuf_ext_shared_info),
		RTE_CACHE_LINE_SIZE);
	/* packets in the TX rings, the pipeline rings and the TX buffers */
	const unsigned int in_flight = nb_ports * (nb_txd + MAX_PKT_BURST +
		(pipeline ? PIPE_RING_SIZE : 0));
	unsigned int nb_hdr, nb_pages, min_hdr, i;
	char name[RTE_MEMPOOL_NAMESIZE];

	nb_hdr = RTE_MAX(in_flight + nb_lcores * mbuf_cache_size * 3 / 2,
		8192U);
	hdr_pool = l2fwd_pool_create("l2fwd_hdr", socket, nb_hdr,
		mbuf_cache_size, 0);
	/*
	 * A ring-level cache carves a page of its own: give every RX queue
	 * and every lcore a page, and one more for what is in flight.
	 */
	if (rte_mempool_pagefrag_is_pagefrag(hdr_pool) &&
			rte_mempool_pagefrag_stats_get(hdr_pool, &st) == 0) {
		min_hdr = (nb_ports + nb_lcores + 1) * st.objs_per_page;
		if (nb_hdr < min_hdr) {
			printf("  ring-level caches carve a page each: %u RX queues and %u lcores need %u header mbufs\n",
				nb_ports, nb_lcores, min_hdr);
			for (i = 0; i < RTE_DIM(all_pools); i++)
				if (all_pools[i] == hdr_pool)
					all_pools[i] = NULL;
			rte_mempool_free(hdr_pool);
			hdr_pool = l2fwd_pool_create("l2fwd_hdr", socket,
				min_hdr, mbuf_cache_size, 0);
		}
	}

	/* a page per lcore cache, twice, and what is in flight */
	nb_pages = 2 * nb_lcores + 1 + (unsigned int)(((uint64_t)in_flight *
		frag_max + RTE_MEMPOOL_PAGEFRAG_PAGE_SIZE - 1) /
		RTE_MEMPOOL_PAGEFRAG_PAGE_SIZE);
	snprintf(name, sizeof(name), "l2fwd_frag_fp_s%u", socket);
	frag_pool = rte_pagefrag_pool_create(name, nb_pages, socket);
	if (frag_pool == NULL)
		rte_exit(EXIT_FAILURE,
			"Cannot create fragment pool %s (%u pages): %s\n",
			name, nb_pages, rte_strerror(rte_errno));
	printf("Created fragment pool %s: %u pages; copybreak %u bytes\n",
		name, nb_pages, copybreak);
}
/* >8 End of copybreak pools. */

/*
 * RX queue of a port: its ring-level cache, bound to the pool of the
 * header mbufs with --copybreak, else to the pool the port receives into,
 * and with --pipeline its ring to the TX lcore.
 */
static void
l2fwd_rxq_setup(uint16_t portid, unsigned int socket)
{
	struct l2fwd_rxq *rxq = &l2fwd_rxq[portid];
	char name[RTE_RING_NAMESIZE];

	rxq->portid = portid;
	rxq->rc_pool = copybreak > 0 ? hdr_pool : port_pool[portid];
	if (rte_mempool_pagefrag_is_pagefrag(rxq->rc_pool)) {
		rxq->rcache = rte_mempool_pagefrag_rcache_create(rxq->rc_pool,
				socket);
		if (rxq->rcache == NULL)
			rte_exit(EXIT_FAILURE,
				"Cannot create ring cache for port %u: %s\n",
				portid, rte_strerror(rte_errno));
	}
	if (!pipeline)
		return;
	snprintf(name, sizeof(name), "l2fwd_pipe_%u", portid);
	rxq->pipe = rte_ring_create(name, PIPE_RING_SIZE, socket,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (rxq->pipe == NULL)
		rte_exit(EXIT_FAILURE, "Cannot create ring %s: %s\n", name,
			rte_strerror(rte_errno));
}

/*
 * Give the mbufs still held by the RX queues back before the ports stop:
 * the ring PMD, for one, keeps them in its rings across a close.
 */
static void
l2fwd_drain_rx(uint16_t portid)
{
	struct rte_mbuf *pkts[MAX_PKT_BURST];
	unsigned int total = 0;
	uint16_t nb_rx, i;

	do {
		nb_rx = rte_eth_rx_burst(portid, 0, pkts, MAX_PKT_BURST);
		for (i = 0; i < nb_rx; i++)
			rte_pktmbuf_free(pkts[i]);
		total += nb_rx;
	} while (nb_rx > 0 && total < RX_DRAIN_MAX);
}

/* Free what is left in a pipeline ring; returns the number of packets. */
static unsigned int
l2fwd_drain_ring(struct rte_ring *r)
{
	struct rte_mbuf *pkts[MAX_PKT_BURST];
	unsigned int nb, total = 0;

	while ((nb = rte_ring_dequeue_burst(r, (void **)pkts, MAX_PKT_BURST,
			NULL)) > 0) {
		rte_pktmbuf_free_bulk(pkts, nb);
		total += nb;
	}
	return total;
}

/* Every mbuf must be back in its pool; returns the number of pools short. */
static int
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

int
main(int argc, char **argv)
{
	struct lcore_queue_conf *qconf;
	int ret, exit_ret = EXIT_SUCCESS;
	uint16_t nb_ports;
	uint16_t nb_ports_available = 0;
	uint16_t portid, last_port;
	unsigned int lcore_id, rx_lcore_id;
	unsigned int nb_ports_in_mask = 0;
	unsigned int nb_lcores = 0;
	unsigned int nb_mbufs, socket, i;
	uint64_t total_tx = 0, total_rx = 0, total_dropped = 0;
	uint64_t rc_released = 0, freed = 0, drain_refs = 0;
	uint64_t copied = 0, copy_fails = 0, pipe_full = 0, mem_bytes = 0;
	uint64_t frag_drain_refs = 0;
	struct rte_pagefrag_stats fst = { 0 };
	uint64_t end_tsc;
	double duration;

	/* Init EAL. 8< */
	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "Invalid EAL arguments\n");
	argc -= ret;
	argv += ret;

	force_quit = false;
	signal(SIGINT, signal_handler);
	signal(SIGTERM, signal_handler);

	/* parse application arguments (after the EAL ones) */
	ret = l2fwd_parse_args(argc, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "Invalid L2FWD arguments\n");
	/* >8 End of init EAL. */

	if (pool_ops_name == NULL)
		pool_ops_name = rte_eal_mbuf_user_pool_ops();
	if (pool_ops_name == NULL)
		pool_ops_name = DEFAULT_POOL_OPS;

	printf("MAC updating %s\n", mac_updating ? "enabled" : "disabled");
	printf("mbuf pool ops: %s\n", pool_ops_name);

	/* convert to number of cycles */
	timer_period *= rte_get_timer_hz();
	runtime *= rte_get_timer_hz();

	nb_ports = rte_eth_dev_count_avail();
	if (nb_ports == 0)
		rte_exit(EXIT_FAILURE, "No Ethernet ports - bye\n");

	if (port_pair_params != NULL) {
		if (check_port_pair_config() < 0)
			rte_exit(EXIT_FAILURE, "Invalid port pair config\n");
	}

	/* check port mask to possible port mask */
	if (nb_ports < MAX_MASK_PORTS &&
			(l2fwd_enabled_port_mask & ~((UINT32_C(1) << nb_ports) - 1)))
		rte_exit(EXIT_FAILURE, "Invalid portmask; possible (0x%x)\n",
			(1 << nb_ports) - 1);

	/* Initialization of the driver. 8< */

	/* reset l2fwd_dst_ports */
	for (portid = 0; portid < RTE_MAX_ETHPORTS; portid++)
		l2fwd_dst_ports[portid] = 0;
	last_port = 0;

	/* populate destination port details */
	if (port_pair_params != NULL) {
		uint16_t idx, p;

		for (idx = 0; idx < (nb_port_pair_params << 1); idx++) {
			p = idx & 1;
			portid = port_pair_params[idx >> 1].port[p];
			l2fwd_dst_ports[portid] =
				port_pair_params[idx >> 1].port[p ^ 1];
		}
	} else {
		RTE_ETH_FOREACH_DEV(portid) {
			/* skip ports that are not enabled */
			if (!port_enabled(portid))
				continue;

			if (nb_ports_in_mask % 2) {
				l2fwd_dst_ports[portid] = last_port;
				l2fwd_dst_ports[last_port] = portid;
			} else {
				last_port = portid;
			}

			nb_ports_in_mask++;
		}
		if (nb_ports_in_mask % 2) {
			printf("Notice: odd number of ports in portmask.\n");
			l2fwd_dst_ports[last_port] = last_port;
		}
	}
	/* >8 End of initialization of the driver. */

	rx_lcore_id = 0;
	qconf = NULL;

	/* Initialize the port/queue configuration of each logical core */
	RTE_ETH_FOREACH_DEV(portid) {
		/* skip ports that are not enabled */
		if (!port_enabled(portid))
			continue;

		/* get the lcore_id for this port */
		while (rte_lcore_is_enabled(rx_lcore_id) == 0 ||
		       lcore_queue_conf[rx_lcore_id].n_rx_port ==
		       l2fwd_rx_queue_per_lcore) {
			rx_lcore_id++;
			if (rx_lcore_id >= RTE_MAX_LCORE)
				rte_exit(EXIT_FAILURE, "Not enough cores\n");
		}

		if (qconf != &lcore_queue_conf[rx_lcore_id]) {
			/* Assigned a new logical core in the loop above. */
			qconf = &lcore_queue_conf[rx_lcore_id];
			nb_lcores++;
		}

		qconf->rx_port_list[qconf->n_rx_port] = portid;
		qconf->n_rx_port++;
		printf("Lcore %u: RX port %u TX port %u\n", rx_lcore_id,
		       portid, l2fwd_dst_ports[portid]);
	}

	/* Pipeline lcores. 8< */
	if (pipeline) {
		/* the lcores left without an RX port transmit, in turn */
		static unsigned int tx_lcores[RTE_MAX_LCORE];
		unsigned int nb_tx_lcores = 0, k = 0;

		RTE_LCORE_FOREACH(lcore_id)
			if (lcore_queue_conf[lcore_id].n_rx_port == 0)
				tx_lcores[nb_tx_lcores++] = lcore_id;
		if (nb_tx_lcores == 0)
			rte_exit(EXIT_FAILURE,
				"--pipeline needs an lcore without RX port: give more lcores or a larger -q\n");
		RTE_ETH_FOREACH_DEV(portid) {
			if (!port_enabled(portid))
				continue;
			lcore_id = tx_lcores[k++ % nb_tx_lcores];
			qconf = &lcore_queue_conf[lcore_id];
			qconf->pipe_port_list[qconf->n_pipe_port++] = portid;
			printf("Lcore %u: TX of port %u's packets to port %u\n",
				lcore_id, portid, l2fwd_dst_ports[portid]);
		}
	}
	/* >8 End of pipeline lcores. */
	RTE_LCORE_FOREACH(lcore_id) {
		qconf = &lcore_queue_conf[lcore_id];
		qconf->tx_src = pipeline ? qconf->pipe_port_list :
			qconf->rx_port_list;
		qconf->n_tx_src = pipeline ? qconf->n_pipe_port :
			qconf->n_rx_port;
	}

	RTE_ETH_FOREACH_DEV(portid)
		if (port_enabled(portid))
			nb_ports_available++;
	if (!nb_ports_available)
		rte_exit(EXIT_FAILURE,
			"All available ports are disabled. Please set portmask.\n");

	if (pipeline)
		nb_lcores = rte_lcore_count();
	nb_mbufs = RTE_MAX(nb_ports_available * (nb_rxd + nb_txd +
		MAX_PKT_BURST + nb_lcores * mbuf_cache_size +
		(pipeline ? PIPE_RING_SIZE : 0)), 8192U);

	/* Create the mbuf pools, one per socket in use. 8< */
	RTE_ETH_FOREACH_DEV(portid) {
		if (!port_enabled(portid))
			continue;
		socket = port_pool_socket(portid);
		if (socket >= RTE_DIM(pktmbuf_pool))
			socket = 0;
		if (pktmbuf_pool[socket] == NULL)
			pktmbuf_pool[socket] = l2fwd_pool_create("l2fwd_frag",
					socket, nb_mbufs, mbuf_cache_size,
					RTE_MBUF_DEFAULT_BUF_SIZE);
		port_pool[portid] = pktmbuf_pool[socket];
	}
	/* >8 End of create the mbuf pools. */

	if (copybreak > 0)
		l2fwd_copybreak_pools_create(rte_lcore_to_socket_id(
			rte_get_main_lcore()), nb_ports_available, nb_lcores);

	/* Initialise each port */
	RTE_ETH_FOREACH_DEV(portid) {
		struct rte_eth_rxconf rxq_conf;
		struct rte_eth_txconf txq_conf;
		struct rte_eth_conf local_port_conf = port_conf;
		struct rte_eth_dev_info dev_info;
		struct l2fwd_txq *txq = &l2fwd_txq[portid];
		uint16_t src_port;

		/* skip ports that are not enabled */
		if (!port_enabled(portid)) {
			printf("Skipping disabled port %u\n", portid);
			continue;
		}

		/* init port */
		printf("Initializing port %u... ", portid);
		fflush(stdout);

		ret = rte_eth_dev_info_get(portid, &dev_info);
		if (ret != 0)
			rte_exit(EXIT_FAILURE,
				"Error during getting device (port %u) info: %s\n",
				portid, strerror(-ret));

		if (dev_info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
			local_port_conf.txmode.offloads |=
				RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
		/* Configure the number of queues for a port. */
		ret = rte_eth_dev_configure(portid, 1, 1, &local_port_conf);
		if (ret < 0)
			rte_exit(EXIT_FAILURE, "Cannot configure device: err=%d, port=%u\n",
				  ret, portid);

		ret = rte_eth_dev_adjust_nb_rx_tx_desc(portid, &nb_rxd,
						       &nb_txd);
		if (ret < 0)
			rte_exit(EXIT_FAILURE,
				 "Cannot adjust number of descriptors: err=%d, port=%u\n",
				 ret, portid);

		ret = rte_eth_macaddr_get(portid,
					  &l2fwd_ports_eth_addr[portid]);
		if (ret < 0)
			rte_exit(EXIT_FAILURE,
				 "Cannot get MAC address: err=%d, port=%u\n",
				 ret, portid);

		/* init one RX queue */
		fflush(stdout);
		rxq_conf = dev_info.default_rxconf;
		rxq_conf.offloads = local_port_conf.rxmode.offloads;
		ret = rte_eth_rx_queue_setup(portid, 0, nb_rxd,
					     rte_eth_dev_socket_id(portid),
					     &rxq_conf,
					     port_pool[portid]);
		if (ret < 0)
			rte_exit(EXIT_FAILURE, "rte_eth_rx_queue_setup:err=%d, port=%u\n",
				  ret, portid);

		/* init one TX queue on each port */
		fflush(stdout);
		txq_conf = dev_info.default_txconf;
		txq_conf.offloads = local_port_conf.txmode.offloads;
		ret = rte_eth_tx_queue_setup(portid, 0, nb_txd,
				rte_eth_dev_socket_id(portid),
				&txq_conf);
		if (ret < 0)
			rte_exit(EXIT_FAILURE, "rte_eth_tx_queue_setup:err=%d, port=%u\n",
				ret, portid);

		/* Initialize TX buffers and ring caches. 8< */

		/*
		 * Initialize the TX buffer and the RX queue's ring-level
		 * cache. The TX buffer of this port is filled by the lcore
		 * that receives on its source port (with --pipeline, by a TX
		 * lcore): its failures go back through the ring-level cache
		 * of that RX queue, which the same lcore owns.
		 */
		src_port = l2fwd_dst_ports[portid];
		txq->portid = portid;
		txq->buffer = rte_zmalloc_socket("tx_buffer",
				RTE_ETH_TX_BUFFER_SIZE(MAX_PKT_BURST), 0,
				rte_eth_dev_socket_id(portid));
		if (txq->buffer == NULL)
			rte_exit(EXIT_FAILURE, "Cannot allocate buffer for tx on port %u\n",
					portid);

		rte_eth_tx_buffer_init(txq->buffer, MAX_PKT_BURST);

		ret = rte_eth_tx_buffer_set_err_callback(txq->buffer,
				l2fwd_tx_error_cb, txq);
		if (ret < 0)
			rte_exit(EXIT_FAILURE,
			"Cannot set error callback for tx buffer on port %u\n",
				 portid);

		/* the RX lcore of src_port fills it, except with --pipeline */
		txq->rel = pipeline ? NULL : &l2fwd_rxq[src_port];
		l2fwd_rxq_setup(portid, rte_lcore_to_socket_id(
				port_rx_lcore(portid)));
		/* >8 End of initializing TX buffers and ring caches. */

		ret = rte_eth_dev_set_ptypes(portid, RTE_PTYPE_UNKNOWN, NULL,
					     0);
		if (ret < 0)
			printf("Port %u, Failed to disable Ptype parsing\n",
					portid);
		/* Start device */
		ret = rte_eth_dev_start(portid);
		if (ret < 0)
			rte_exit(EXIT_FAILURE, "rte_eth_dev_start:err=%d, port=%u\n",
				  ret, portid);

		printf("done:\n");

		ret = rte_eth_promiscuous_enable(portid);
		if (ret != 0)
			printf("Port %u: promiscuous mode not enabled: %s\n",
				portid, rte_strerror(-ret));

		printf("Port %u, MAC address: " RTE_ETHER_ADDR_PRT_FMT "\n\n",
			portid,
			RTE_ETHER_ADDR_BYTES(&l2fwd_ports_eth_addr[portid]));

		/* initialize port stats */
		memset(&port_statistics, 0, sizeof(port_statistics));
	}

	check_all_ports_link_status(l2fwd_enabled_port_mask);

	/* launch per-lcore init on every lcore */
	start_tsc = rte_rdtsc();
	rte_eal_mp_remote_launch(l2fwd_launch_one_lcore, NULL, CALL_MAIN);
	RTE_LCORE_FOREACH_WORKER(lcore_id) {
		if (rte_eal_wait_lcore(lcore_id) < 0)
			exit_ret = EXIT_FAILURE;
	}
	end_tsc = rte_rdtsc();
	duration = (double)(end_tsc - start_tsc) / rte_get_tsc_hz();

	/* what the TX lcores did not take from the pipeline rings */
	for (portid = 0; portid < RTE_MAX_ETHPORTS; portid++)
		if (l2fwd_rxq[portid].pipe != NULL)
			port_statistics[portid].dropped +=
				l2fwd_drain_ring(l2fwd_rxq[portid].pipe);

	RTE_ETH_FOREACH_DEV(portid) {
		if (!port_enabled(portid))
			continue;
		l2fwd_drain_rx(portid);
	}

	RTE_ETH_FOREACH_DEV(portid) {
		if (!port_enabled(portid))
			continue;
		printf("Closing port %d...", portid);
		ret = rte_eth_dev_stop(portid);
		if (ret != 0)
			printf("rte_eth_dev_stop: err=%d, port=%d\n",
			       ret, portid);
		rte_eth_dev_close(portid);
		printf(" Done\n");
	}

	/* queues are gone: release their ring-level caches and rings */
	for (portid = 0; portid < RTE_MAX_ETHPORTS; portid++) {
		struct l2fwd_rxq *rxq = &l2fwd_rxq[portid];
		struct l2fwd_txq *txq = &l2fwd_txq[portid];

		if (rxq->rcache != NULL) {
			rte_mempool_pagefrag_rcache_destroy(rxq->rcache);
			rxq->rcache = NULL;
		}
		rte_ring_free(rxq->pipe);
		rxq->pipe = NULL;
		rte_free(txq->buffer);
		txq->buffer = NULL;
	}

	/* the main lcore's caches, which the ports' release filled */
	lcore_queue_conf[rte_lcore_id()].frag_drain_refs +=
		l2fwd_pools_flush();

	print_stats(false);

	for (portid = 0; portid < RTE_MAX_ETHPORTS; portid++) {
		const struct l2fwd_rxq *rxq = &l2fwd_rxq[portid];

		if (!port_enabled(portid))
			continue;
		total_tx += port_statistics[portid].tx;
		total_rx += port_statistics[portid].rx;
		total_dropped += port_dropped(portid);
		rc_released += rxq->rc_released;
		freed += rxq->freed + l2fwd_txq[portid].freed;
		drain_refs += rxq->drain_refs;
		copied += rxq->copied;
		copy_fails += rxq->copy_fails;
		pipe_full += rxq->pipe_full;
		mem_bytes += rxq->mem_bytes;
	}
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
		total_tx, total_rx, total_dropped, rc_released, freed,
		pipeline ? "on" : "off", pipe_full, copybreak, copied,
		copy_fails);
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
		drain_refs,
		total_rx > 0 ? (double)mem_bytes / total_rx : 0.0,
		duration,
		duration > 0 ? (double)total_tx / duration / 1e6 : 0.0,
		pool_ops_name);

	/* who holds the objects that are out, per pool (in-flight view) */
	for (i = 0; i < RTE_DIM(all_pools); i++) {
		struct rte_mempool_pagefrag_inflight inf;

		if (all_pools[i] == NULL ||
				!rte_mempool_pagefrag_is_pagefrag(all_pools[i]) ||
				rte_mempool_pagefrag_inflight(all_pools[i], 0, &inf,
					NULL, 0) < 0)
			continue;
		printf("In flight at exit, pool %s: %" PRIu64 " of %" PRIu64
			" objects out (%" PRIu64 " in mempool caches, %" PRIu64
			" held by the application)\n", all_pools[i]->name,
			inf.objs_out, inf.objs_total, inf.objs_mempool_cache,
			inf.objs_app);
	}

	/* Leak check. 8< */
	if (l2fwd_leak_check() != 0)
		exit_ret = EXIT_FAILURE;
	/* >8 End of leak check. */

	/* a pool that leaked may still be referenced: keep it */
	if (frag_pool != NULL && exit_ret == EXIT_SUCCESS &&
			rte_pagefrag_pool_free(frag_pool) != 0) {
		printf("leak check: FAILED: fragment pool busy at free\n");
		exit_ret = EXIT_FAILURE;
	}
	frag_pool = NULL;
	for (i = 0; i < RTE_DIM(all_pools); i++) {
		if (all_pools[i] != NULL && exit_ret == EXIT_SUCCESS)
			rte_mempool_free(all_pools[i]);
		all_pools[i] = NULL;
	}
	memset(pktmbuf_pool, 0, sizeof(pktmbuf_pool));
	hdr_pool = NULL;

	/* clean up the EAL */
	rte_eal_cleanup();
	printf("Bye...\n");

	return exit_ret;
}
