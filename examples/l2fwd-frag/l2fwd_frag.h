/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * What the files of l2fwd-frag share: main.c (l2fwd: arguments, ports,
 * main loop, --pipeline), frag.c (copybreak and the RX queues' ring-level
 * caches), pool.c (the mbuf pools) and report.c (statistics, summary and
 * leak check).
 */

#ifndef L2FWD_FRAG_H
#define L2FWD_FRAG_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <rte_mempool_pagefrag.h>
#include <rte_pagefrag.h>

#define RTE_LOGTYPE_L2FWD RTE_LOGTYPE_USER1

#define MAX_PKT_BURST 32
#define MAX_RX_QUEUE_PER_LCORE 16
/* The port mask is 32 bits wide, as in l2fwd. */
#define MAX_MASK_PORTS 32
/* --pipeline: packets in the ring of each port */
#define PIPE_RING_SIZE 1024
/* Every mbuf pool of the application, for the statistics and the checks. */
#define NB_POOLS (RTE_MAX_NUMA_NODES + 1)

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

/* Per-port statistics struct */
struct l2fwd_port_statistics {
	uint64_t tx;
	uint64_t rx;
	uint64_t dropped;
} __rte_cache_aligned;

/* main.c: the command line, the lcores, the ports; the pools (all_pools) */
extern uint32_t l2fwd_enabled_port_mask;
extern uint16_t nb_txd;
extern unsigned int mbuf_cache_size;
extern unsigned int copybreak;
extern int pipeline;
extern const char *pool_ops_name;
extern struct lcore_queue_conf lcore_queue_conf[RTE_MAX_LCORE];
extern struct l2fwd_txq l2fwd_txq[RTE_MAX_ETHPORTS];
extern struct l2fwd_port_statistics port_statistics[RTE_MAX_ETHPORTS];
extern struct rte_mempool *all_pools[NB_POOLS];

static inline bool
port_enabled(uint16_t portid)
{
	return portid < MAX_MASK_PORTS &&
		(l2fwd_enabled_port_mask & (UINT32_C(1) << portid)) != 0;
}

/* pool.c: the mbuf pools */
#define DEFAULT_POOL_OPS RTE_MEMPOOL_PAGEFRAG_OPS_NAME

/*
 * The pool prefix_s<socket>, added to all_pools. It exits the application
 * with the reason when the pool cannot be created.
 */
struct rte_mempool *l2fwd_pool_create(const char *prefix, unsigned int socket,
		unsigned int nb_mbufs, unsigned int cache_size, uint16_t data_room);

/* frag.c: copybreak and the ring-level caches */
extern struct l2fwd_rxq l2fwd_rxq[RTE_MAX_ETHPORTS];
extern struct rte_pagefrag_pool *frag_pool;

void l2fwd_copybreak_pools_create(unsigned int socket, unsigned int nb_ports,
		unsigned int nb_lcores);
void l2fwd_rxq_setup(uint16_t portid, unsigned int socket,
		struct rte_mempool *pool);
void l2fwd_rxq_release(uint16_t portid);
void l2fwd_copybreak(struct l2fwd_rxq *rxq, struct rte_mbuf **pkts,
		unsigned int n);
void l2fwd_count_mem(struct l2fwd_rxq *rxq, struct rte_mbuf **pkts,
		unsigned int n);
unsigned int l2fwd_release_mbufs(struct l2fwd_rxq *rxq,
		struct rte_mbuf **pkts, unsigned int n);
void l2fwd_tx_error_cb(struct rte_mbuf **unsent, uint16_t count,
		void *userdata);
void l2fwd_lcore_stop(struct lcore_queue_conf *qconf);
uint64_t l2fwd_pools_flush(void);

/* report.c: statistics, summary and leak check */
void print_stats(bool clear);
void l2fwd_print_summary(double duration);
int l2fwd_leak_check(void);
int l2fwd_pools_free(bool leaked);

#endif /* L2FWD_FRAG_H */
