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
 * --no-mac-updating is given. This file is l2fwd (arguments, port init,
 * main loop) with these additions:
 *
 * - the mbuf pools (one per socket in use) use the "pagefrag" mempool ops,
 *   or the ops named by --mbuf-pool-ops, so one command line compares
 *   drivers;
 * - --copybreak N copies each received packet of at most N bytes into a
 *   right-sized fragment, and every RX queue has a ring-level frag cache
 *   that takes back what its lcore fails to send (frag.c);
 * - --pipeline receives and transmits on different lcores joined by
 *   rte_rings: every packet sent (mbuf and fragment) is freed on another
 *   lcore than the one that allocated it (the remote-free pattern);
 * - the statistics show the allocator next to the ports, a summary follows
 *   them at exit and, once the ports are closed, every pool (the fragment
 *   pool included) must hold all of its objects again (the leak check),
 *   else the exit code is non-zero (report.c);
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

#include "l2fwd_frag.h"

#define BURST_TX_DRAIN_US 100 /* TX drain every ~100us */
#define MEMPOOL_CACHE_SIZE 256
#define MAX_TIMER_PERIOD 86400 /* 1 day max */
#define MAX_RUNTIME (365 * 86400)
#define RX_DESC_DEFAULT 1024
#define TX_DESC_DEFAULT 1024
/* Packets polled from each RX queue at exit before the ports stop. */
#define RX_DRAIN_MAX 8192

static volatile bool force_quit;

/* MAC updating enabled by default */
static int mac_updating = 1;

static uint16_t nb_rxd = RX_DESC_DEFAULT;
uint16_t nb_txd = TX_DESC_DEFAULT;

/* ethernet addresses of ports */
static struct rte_ether_addr l2fwd_ports_eth_addr[RTE_MAX_ETHPORTS];

/* mask of enabled ports */
uint32_t l2fwd_enabled_port_mask;

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

struct lcore_queue_conf lcore_queue_conf[RTE_MAX_LCORE];

/* TX buffers of the ports, and where their failures go */
struct l2fwd_txq l2fwd_txq[RTE_MAX_ETHPORTS];

static struct rte_eth_conf port_conf = {
	.txmode = {
		.mq_mode = RTE_ETH_MQ_TX_NONE,
	},
};

/* one mbuf pool per socket in use */
static struct rte_mempool *pktmbuf_pool[RTE_MAX_NUMA_NODES];
/* pool each port receives into */
static struct rte_mempool *port_pool[RTE_MAX_ETHPORTS];
const char *pool_ops_name;
unsigned int mbuf_cache_size = MEMPOOL_CACHE_SIZE;

/* --copybreak: largest packet copied into a fragment; 0: off */
unsigned int copybreak;
#define MAX_COPYBREAK 1024
/* --pipeline: RX and TX on different lcores */
int pipeline;

/* Every mbuf pool of the application, for the statistics and the checks. */
struct rte_mempool *all_pools[NB_POOLS];

struct l2fwd_port_statistics port_statistics[RTE_MAX_ETHPORTS];

/* statistics period, in seconds on the command line, then in TSC cycles */
static uint64_t timer_period = 10; /* default period is 10 seconds */
/* run time, in seconds on the command line, then in TSC cycles; 0: forever */
static uint64_t runtime;

static uint64_t start_tsc;

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

	/* queue stop: send what is left in the TX buffers, then drain */
	l2fwd_flush_tx(qconf);
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

/*
 * The options that take a number: the largest value, and what to say when
 * the argument is not a number from 0 to that.
 */
static const struct {
	int opt;
	int max;
	const char *invalid;
} num_opts[] = {
	{ 'T', MAX_TIMER_PERIOD, "invalid timer period" },
	{ CMD_LINE_OPT_RUNTIME_NUM, MAX_RUNTIME, "invalid run time" },
	{ CMD_LINE_OPT_MBCACHE_NUM, RTE_MEMPOOL_CACHE_MAX_SIZE,
		"invalid mempool cache size (0-"
		RTE_STR(RTE_MEMPOOL_CACHE_MAX_SIZE) ")" },
	{ CMD_LINE_OPT_COPYBREAK_NUM, MAX_COPYBREAK,
		"invalid copybreak (0-" RTE_STR(MAX_COPYBREAK) ")" },
};

/*
 * Parse one option and its argument: NULL if they are valid, else what to
 * print before the usage ("": nothing, it was said).
 */
static const char *
l2fwd_parse_opt(int opt, const char *arg)
{
	unsigned int i;
	int val = 0;

	for (i = 0; i < RTE_DIM(num_opts); i++) {
		if (num_opts[i].opt != opt)
			continue;
		val = l2fwd_parse_uint(arg, num_opts[i].max);
		if (val < 0)
			return num_opts[i].invalid;
	}

	switch (opt) {
	/* portmask */
	case 'p':
		l2fwd_enabled_port_mask = l2fwd_parse_portmask(arg);
		return l2fwd_enabled_port_mask == 0 ? "invalid portmask" : NULL;

	/* nqueue */
	case 'q':
		l2fwd_rx_queue_per_lcore = l2fwd_parse_nqueue(arg);
		return l2fwd_rx_queue_per_lcore == 0 ?
			"invalid queue number" : NULL;

	/* timer period */
	case 'T':
		timer_period = val;
		return NULL;

	/* long options */
	case CMD_LINE_OPT_PORTMAP_NUM:
		if (l2fwd_parse_port_pair_config(arg) == 0)
			return NULL;
		/* on stderr, as l2fwd says it */
		fprintf(stderr, "Invalid config\n");
		return "";

	case CMD_LINE_OPT_POOL_OPS_NUM:
		if (arg[0] == '\0' || strlen(arg) >= RTE_MEMPOOL_OPS_NAMESIZE)
			return "invalid mempool ops name";
		pool_ops_name = arg;
		return NULL;

	case CMD_LINE_OPT_RUNTIME_NUM:
		runtime = val;
		return NULL;

	case CMD_LINE_OPT_MBCACHE_NUM:
		mbuf_cache_size = val;
		return NULL;

	case CMD_LINE_OPT_COPYBREAK_NUM:
		copybreak = val;
		return NULL;

	case 0:
		/* flag options (mac updating, pipeline) */
		return NULL;

	default:
		/* getopt_long() said what is wrong */
		return "";
	}
}

/* Parse the argument given in the command line of the application */
static int
l2fwd_parse_args(int argc, char **argv)
{
	int opt, ret;
	char **argvopt;
	int option_index;
	char *prgname = argv[0];
	const char *invalid;

	argvopt = argv;
	port_pair_params = NULL;

	while ((opt = getopt_long(argc, argvopt, short_options,
				  lgopts, &option_index)) != EOF) {
		invalid = l2fwd_parse_opt(opt, optarg);
		if (invalid != NULL) {
			if (invalid[0] != '\0')
				printf("%s\n", invalid);
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

/* Pipeline lcores. 8< */

/*
 * --pipeline: the lcores left without an RX port transmit, in turn: each
 * port's packets go through its ring to one of them.
 */
static void
l2fwd_pipeline_lcores(void)
{
	static unsigned int tx_lcores[RTE_MAX_LCORE];
	unsigned int nb_tx_lcores = 0, k = 0;
	struct lcore_queue_conf *qconf;
	unsigned int lcore_id;
	uint16_t portid;

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

/* --pipeline: the ring of a port's packets, from its RX lcore to TX. */
static void
l2fwd_pipe_create(uint16_t portid, unsigned int socket)
{
	struct l2fwd_rxq *rxq = &l2fwd_rxq[portid];
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "l2fwd_pipe_%u", portid);
	rxq->pipe = rte_ring_create(name, PIPE_RING_SIZE, socket,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (rxq->pipe == NULL)
		rte_exit(EXIT_FAILURE, "Cannot create ring %s: %s\n", name,
			rte_strerror(rte_errno));
}

/* One RX queue into the port's pool and one TX queue, as in l2fwd. */
static void
l2fwd_queues_setup(uint16_t portid, const struct rte_eth_dev_info *dev_info,
		const struct rte_eth_conf *conf)
{
	struct rte_eth_rxconf rxq_conf = dev_info->default_rxconf;
	struct rte_eth_txconf txq_conf = dev_info->default_txconf;
	const int socket = rte_eth_dev_socket_id(portid);
	int ret;

	rxq_conf.offloads = conf->rxmode.offloads;
	txq_conf.offloads = conf->txmode.offloads;
	fflush(stdout);
	ret = rte_eth_rx_queue_setup(portid, 0, nb_rxd, socket, &rxq_conf,
			port_pool[portid]);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "rte_eth_rx_queue_setup:err=%d, port=%u\n",
			ret, portid);

	ret = rte_eth_tx_queue_setup(portid, 0, nb_txd, socket, &txq_conf);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "rte_eth_tx_queue_setup:err=%d, port=%u\n",
			ret, portid);
}

/* Initialise a port, as l2fwd does in main(), and start it. */
static void
l2fwd_port_init(uint16_t portid)
{
	struct rte_eth_conf local_port_conf = port_conf;
	struct rte_eth_dev_info dev_info;
	struct l2fwd_txq *txq = &l2fwd_txq[portid];
	unsigned int rx_socket;
	uint16_t src_port;
	int ret;

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

	/* init one RX queue and one TX queue */
	l2fwd_queues_setup(portid, &dev_info, &local_port_conf);

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
	rx_socket = rte_lcore_to_socket_id(port_rx_lcore(portid));
	l2fwd_rxq_setup(portid, rx_socket, port_pool[portid]);
	if (pipeline)
		l2fwd_pipe_create(portid, rx_socket);
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

/*
 * Before the ports stop: free what the TX lcores did not take from the
 * pipeline rings (dropped), and what the RX queues still hold.
 */
static void
l2fwd_drain_queues(void)
{
	uint16_t portid;

	for (portid = 0; portid < RTE_MAX_ETHPORTS; portid++)
		if (l2fwd_rxq[portid].pipe != NULL)
			port_statistics[portid].dropped +=
				l2fwd_drain_ring(l2fwd_rxq[portid].pipe);

	RTE_ETH_FOREACH_DEV(portid) {
		if (!port_enabled(portid))
			continue;
		l2fwd_drain_rx(portid);
	}
}

/* The ports are closed: release their queues' caches, rings and buffers. */
static void
l2fwd_release_queues(void)
{
	uint16_t portid;

	for (portid = 0; portid < RTE_MAX_ETHPORTS; portid++) {
		l2fwd_rxq_release(portid);
		rte_ring_free(l2fwd_rxq[portid].pipe);
		l2fwd_rxq[portid].pipe = NULL;
		rte_free(l2fwd_txq[portid].buffer);
		l2fwd_txq[portid].buffer = NULL;
	}
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
	unsigned int nb_mbufs, socket;
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

	if (pipeline)
		l2fwd_pipeline_lcores();
	/* each lcore fills the TX buffers of the ports it sends from */
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
		socket = rte_lcore_to_socket_id(port_rx_lcore(portid));
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
		/* skip ports that are not enabled */
		if (!port_enabled(portid)) {
			printf("Skipping disabled port %u\n", portid);
			continue;
		}
		l2fwd_port_init(portid);
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

	l2fwd_drain_queues();

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

	l2fwd_release_queues();

	/* the main lcore's caches, which the ports' release filled */
	lcore_queue_conf[rte_lcore_id()].frag_drain_refs +=
		l2fwd_pools_flush();

	print_stats(false);
	l2fwd_print_summary(duration);

	/* Leak check. 8< */
	if (l2fwd_leak_check() != 0)
		exit_ret = EXIT_FAILURE;
	/* >8 End of leak check. */

	if (l2fwd_pools_free(exit_ret != EXIT_SUCCESS) != 0)
		exit_ret = EXIT_FAILURE;

	/* clean up the EAL */
	rte_eal_cleanup();
	printf("Bye...\n");

	return exit_ret;
}
