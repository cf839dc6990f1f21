/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * l2fwd_frag_release_autotest: l2fwd_release_mbufs() (frag.c), the path
 * of the packets a TX buffer failed to send, against bursts mixing
 * single-segment packets and chains, in every position. The meson tests of
 * l2fwd-frag over net_null and net_ring only ever see single-segment
 * packets, so a chained packet last in a burst once leaked the packets
 * gathered before it (fixed by ed2d6b4) without any of them noticing.
 *
 * For each burst shape, on a pagefrag pool with the RX queue's ring-level
 * cache (as l2fwd-frag sets it up without copybreak), and with no cache
 * (rxq NULL, the --pipeline TX lcore): the call must return the number of
 * packets it freed the usual way (the chains, or all of them), and after
 * the queue's cache is drained every mbuf of the pool must be back.
 *
 * It links frag.c and pool.c without main.c: the few settings of main.c
 * that they read are defined here, with l2fwd-frag's defaults. EAL runs
 * with the options given on the command line, after --no-pci and three
 * defaults that the command line's own options replace: --no-huge (the
 * release path does not depend on the memory model), -m 256 and -l 0 (see
 * main()).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "l2fwd_frag.h"

/* main.c's settings that frag.c reads, as l2fwd-frag defaults them */
uint32_t l2fwd_enabled_port_mask;
uint16_t nb_txd = 1024;
unsigned int mbuf_cache_size = 256;
unsigned int copybreak;
int pipeline;
const char *pool_ops_name = DEFAULT_POOL_OPS;
struct lcore_queue_conf lcore_queue_conf[RTE_MAX_LCORE];
struct l2fwd_txq l2fwd_txq[RTE_MAX_ETHPORTS];
struct rte_mempool *all_pools[NB_POOLS];

#define NB_MBUFS 4096
#define MAX_BURST (MAX_PKT_BURST + 8)	/* more than the table holds */

/*
 * A burst of n packets; chained[i] says packet i is a chain of three
 * segments. Returns 0, or -1 when the pool ran out.
 */
static int
make_burst(struct rte_mempool *mp, struct rte_mbuf **pkts, unsigned int n,
		const char *chained)
{
	struct rte_mbuf *seg;
	unsigned int i, s;

	for (i = 0; i < n; i++) {
		pkts[i] = rte_pktmbuf_alloc(mp);
		if (pkts[i] == NULL)
			return -1;
		rte_pktmbuf_append(pkts[i], 60);
		for (s = 1; chained[i] && s < 3; s++) {
			seg = rte_pktmbuf_alloc(mp);
			if (seg == NULL || rte_pktmbuf_chain(pkts[i], seg) != 0)
				return -1;
		}
	}
	return 0;
}

static int
check_burst(struct rte_mempool *mp, struct l2fwd_rxq *rxq, unsigned int n,
		const char *chained, const char *shape)
{
	struct rte_mbuf *pkts[MAX_BURST];
	unsigned int i, chains = 0, want, freed, avail;
	const unsigned int before = rte_mempool_avail_count(mp);

	for (i = 0; i < n; i++)
		chains += chained[i] != 0;
	want = rxq != NULL ? chains : n;
	if (make_burst(mp, pkts, n, chained) != 0) {
		printf("%s: pool ran out building the burst\n", shape);
		return -1;
	}
	freed = l2fwd_release_mbufs(rxq, pkts, n);
	if (rxq != NULL)
		rte_mempool_pagefrag_rcache_drain(rxq->rcache);
	rte_mempool_cache_flush(rte_mempool_default_cache(mp, rte_lcore_id()),
		mp);
	avail = rte_mempool_avail_count(mp);
	if (freed != want || avail != before) {
		printf("%s, %s: %u packets (%u chains): %u freed the usual way (want %u), %u mbufs available after, %u before: %d leaked\n",
			shape, rxq != NULL ? "ring-level cache" : "no cache",
			n, chains, freed, want, avail, before,
			(int)before - (int)avail);
		return -1;
	}
	return 0;
}

/*
 * Does an EAL option of opts (NULL-terminated) start one of the arguments
 * ("-l", "-l0", "--lcores=...")? The scan stops at "--".
 */
static int
has_option(int argc, char **argv, const char * const *opts)
{
	int i, k;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		for (k = 0; opts[k] != NULL; k++)
			if (strncmp(argv[i], opts[k], strlen(opts[k])) == 0)
				return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	/* what replaces each default, or conflicts with it */
	static const char * const size_opts[] = { "-m", "--memory-size",
		"--socket-mem", "--numa-mem", NULL };
	static const char * const huge_opts[] = { "--no-huge", "--huge-dir",
		"--huge-unlink", "--socket-mem", "--numa-mem", "--socket-limit",
		"--numa-limit", "--legacy-mem", NULL };
	static const char * const lcore_opts[] = { "-l", "-c", "--lcore",
		"--coremask", "--main-lcore", NULL };
	char *eal[32] = { argv[0] };
	char chained[MAX_BURST];
	struct l2fwd_rxq *rxq;
	struct rte_mempool *mp;
	unsigned int n, pos, pass, cases = 0, failed = 0;
	int nb_eal = 1, i;

	/* the defaults, for what the command line does not set itself */
	if (!has_option(argc, argv, huge_opts))
		eal[nb_eal++] = (char *)(uintptr_t)"--no-huge";
	if (!has_option(argc, argv, size_opts)) {
		eal[nb_eal++] = (char *)(uintptr_t)"-m";
		eal[nb_eal++] = (char *)(uintptr_t)"256";
	}
	if (!has_option(argc, argv, lcore_opts)) {
		eal[nb_eal++] = (char *)(uintptr_t)"-l";
		eal[nb_eal++] = (char *)(uintptr_t)"0";
	}
	eal[nb_eal++] = (char *)(uintptr_t)"--no-pci";
	for (i = 1; i < argc && nb_eal < (int)RTE_DIM(eal) - 1; i++)
		eal[nb_eal++] = argv[i];
	if (rte_eal_init(nb_eal, eal) < 0) {
		printf("EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	/* l2fwd-frag's pool; it exits with the reason if it cannot be made */
	mp = l2fwd_pool_create("l2fwd_frag_rel", 0, NB_MBUFS, mbuf_cache_size,
		RTE_MBUF_DEFAULT_BUF_SIZE);
	l2fwd_rxq_setup(0, 0, mp);
	if (l2fwd_rxq[0].rcache == NULL) {
		printf("no ring-level cache on a pagefrag pool\n");
		return 1;
	}

	for (pass = 0; pass < 2; pass++) {
		rxq = pass == 0 ? &l2fwd_rxq[0] : NULL;
		for (n = 1; n <= MAX_BURST; n++) {
			/* none, then one chain at each position */
			for (pos = 0; pos <= n; pos++) {
				char shape[48];

				memset(chained, 0, sizeof(chained));
				if (pos < n)
					chained[pos] = 1;
				snprintf(shape, sizeof(shape),
					"burst %u, chain at %d", n,
					pos < n ? (int)pos : -1);
				cases++;
				failed += check_burst(mp, rxq, n, chained,
					shape) != 0;
			}
			/* every other packet, and all, chained */
			for (pos = 0; pos < n; pos++)
				chained[pos] = pos % 2;
			cases++;
			failed += check_burst(mp, rxq, n, chained,
				"odd packets chained") != 0;
			memset(chained, 1, n);
			cases++;
			failed += check_burst(mp, rxq, n, chained,
				"all chained") != 0;
		}
	}

	l2fwd_rxq_release(0);
	if (rte_mempool_avail_count(mp) != NB_MBUFS) {
		printf("%u of %u mbufs back at the end\n",
			rte_mempool_avail_count(mp), NB_MBUFS);
		failed++;
	}
	rte_mempool_free(mp);
	rte_eal_cleanup();
	printf("l2fwd_frag_release_autotest: %u of %u bursts released every mbuf\n",
		cases - failed, cases);
	return failed != 0;
}
