/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * l2fwd-frag: copybreak and the ring-level caches, what a PMD's RX queue
 * does with pagefrag.
 *
 * - Each RX queue has a ring-level frag cache (rte_mempool_pagefrag_rcache)
 *   of a pagefrag pool: its copybreak header mbufs come from it, the
 *   packets its lcore fails to send are recycled into it (as a TX
 *   completion would, rte_mempool_pagefrag_rcache_recycle_mbufs()), and
 *   it is drained when the queue stops (__page_frag_cache_drain).
 * - --copybreak N: a received packet of at most N bytes is copied into a
 *   right-sized fragment (rte_pagefrag_alloc, through
 *   rte_pagefrag_attach_extbuf_headroom) attached to a header mbuf, and
 *   the NIC's mbuf is freed at once.
 * - The packet memory each received packet holds, for the summary.
 */

#include <stdio.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_mempool.h>

#include "l2fwd_frag.h"

struct l2fwd_rxq l2fwd_rxq[RTE_MAX_ETHPORTS];

/* header mbufs (no data room) of the copied packets, and their fragments */
static struct rte_mempool *hdr_pool;
struct rte_pagefrag_pool *frag_pool;

/* Release through the ring-level cache. 8< */

/* Recycle nb single-segment packets; returns how many were not recycled. */
static unsigned int
l2fwd_recycle(struct l2fwd_rxq *rxq, struct rte_mbuf **segs, unsigned int nb)
{
	int ret = rte_mempool_pagefrag_rcache_recycle_mbufs(rxq->rcache, segs,
		nb);

	if (ret < 0) {
		RTE_LOG(ERR, L2FWD, "port %u: ring cache refused mbufs\n",
			rxq->portid);
		ret = 0;
	}
	rxq->rc_released += ret;
	return nb - ret;
}

/*
 * Release packets on the lcore that owns rxq (NULL: none). Packets of one
 * segment are what a TX ring gives back at completion: they go to
 * rte_mempool_pagefrag_rcache_recycle_mbufs(), which releases each as
 * rte_pktmbuf_free_seg() would and puts those of the queue's pool into its
 * ring-level cache (a copybreak header mbuf drops its fragment there);
 * anything else is freed the usual way. Returns the number not recycled
 * into the cache.
 */
unsigned int
l2fwd_release_mbufs(struct l2fwd_rxq *rxq, struct rte_mbuf **pkts,
		unsigned int n)
{
	struct rte_mbuf *segs[MAX_PKT_BURST];
	unsigned int i, nb = 0, freed = 0;

	for (i = 0; i < n; i++) {
		if (rxq == NULL || rxq->rcache == NULL ||
				pkts[i]->nb_segs != 1) {
			rte_pktmbuf_free(pkts[i]);
			freed++;
			continue;
		}
		segs[nb++] = pkts[i];
		if (nb == RTE_DIM(segs)) {
			freed += l2fwd_recycle(rxq, segs, nb);
			nb = 0;
		}
	}
	/* what is left, whatever the last packet was */
	if (nb != 0)
		freed += l2fwd_recycle(rxq, segs, nb);
	if (rxq != NULL)
		rxq->freed += freed;
	return freed;
}

/* TX buffer error callback: count the drops, release the mbufs. */
void
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
void
l2fwd_copybreak(struct l2fwd_rxq *rxq, struct rte_mbuf **pkts,
		unsigned int n)
{
	struct rte_mbuf *hdrs[MAX_PKT_BURST], *nic[MAX_PKT_BURST];
	unsigned int i, nb_small = 0, nb_hdr, nb_nic = 0;
	uint16_t len;
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
		/* a fragment of the packet's size: no headroom */
		len = RTE_MAX(m->data_len, 1);
		ret = rte_pagefrag_attach_extbuf_headroom(frag_pool, h, 0, len);
		if (ret != 0) {
			/* keep the header: back with the unused ones */
			hdrs[nb_hdr++] = h;
			rxq->copy_fails++;
			bytes += l2fwd_mbuf_bytes(m->pool);
			continue;
		}
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
		bytes += hdr_bytes + rte_pagefrag_extbuf_footprint(len);
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
void
l2fwd_count_mem(struct l2fwd_rxq *rxq, struct rte_mbuf **pkts, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		rxq->mem_bytes += l2fwd_mbuf_bytes(pkts[i]->pool);
}

/*
 * The calling lcore stops using the pools: empty its mempool caches and,
 * on pagefrag pools, hand the rest of its frag cache page to the others;
 * give back the references its fragment cache holds. Once every lcore
 * did, each page whose objects are all back is free again.
 */
uint64_t
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
 * Queue stop for the queues of this lcore, once its TX buffers are
 * flushed (their failures went back through the rcache): drain the
 * ring-level caches of its RX queues (one atomic per page for every
 * reference each still holds) and its fragment cache.
 */
void
l2fwd_lcore_stop(struct lcore_queue_conf *qconf)
{
	struct l2fwd_rxq *rxq;
	unsigned int i;

	for (i = 0; i < qconf->n_rx_port; i++) {
		rxq = &l2fwd_rxq[qconf->rx_port_list[i]];
		if (rxq->rcache != NULL)
			rxq->drain_refs +=
				rte_mempool_pagefrag_rcache_drain(rxq->rcache);
	}

	qconf->frag_drain_refs += l2fwd_pools_flush();
}
/* >8 End of queue stop. */

/* Copybreak pools. 8< */

/*
 * Pools of the copied packets: header mbufs with no data room, with the
 * mbuf pools' ops (each RX queue takes them from its ring-level cache when
 * the ops are pagefrag), and a fragment pool for their data.
 */
void
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
 * header mbufs with --copybreak, else to pool, the one the port receives
 * into.
 */
void
l2fwd_rxq_setup(uint16_t portid, unsigned int socket, struct rte_mempool *pool)
{
	struct l2fwd_rxq *rxq = &l2fwd_rxq[portid];

	rxq->portid = portid;
	rxq->rc_pool = copybreak > 0 ? hdr_pool : pool;
	if (!rte_mempool_pagefrag_is_pagefrag(rxq->rc_pool))
		return;
	rxq->rcache = rte_mempool_pagefrag_rcache_create(rxq->rc_pool, socket);
	if (rxq->rcache == NULL)
		rte_exit(EXIT_FAILURE,
			"Cannot create ring cache for port %u: %s\n",
			portid, rte_strerror(rte_errno));
}

/* The queue is gone: release its ring-level cache. */
void
l2fwd_rxq_release(uint16_t portid)
{
	struct l2fwd_rxq *rxq = &l2fwd_rxq[portid];

	if (rxq->rcache != NULL) {
		rte_mempool_pagefrag_rcache_destroy(rxq->rcache);
		rxq->rcache = NULL;
	}
}
