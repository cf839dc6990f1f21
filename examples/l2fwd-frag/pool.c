/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * l2fwd-frag: the mbuf pools, created with the selected ops
 * (--mbuf-pool-ops) and kept in all_pools for the statistics and the leak
 * check. main.c creates one per socket in use, frag.c the copybreak
 * header pool.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_mempool_pagefrag.h>

#include "l2fwd_frag.h"

/*
 * An mbuf pool with the selected ops, added to all_pools; its geometry is
 * printed when the ops are pagefrag.
 */
struct rte_mempool *
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
