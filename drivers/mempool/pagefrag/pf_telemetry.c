/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Telemetry commands of the pagefrag driver:
 *
 *   /mempool_pagefrag/list               names of the pagefrag pools
 *   /mempool_pagefrag/info,<pool name>   its statistics (as stats_get)
 *
 * Read-only: answers from rte_mempool_pagefrag_stats_get().
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mempool.h>
#include <rte_telemetry.h>

#include "rte_mempool_pagefrag.h"
#include "pf_cache.h"
#include "pf_compat.h"

static void
list_one(struct rte_mempool *mp, void *arg)
{
	if (pf_pool_of(mp) != NULL)
		rte_tel_data_add_array_string(arg, mp->name);
}

static int
tel_list(const char *cmd, const char *params, struct rte_tel_data *d)
{
	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	rte_mempool_walk(list_one, d);
	return 0;
}

#define ADD(field) pf_tel_add_dict_uint(d, #field, st.field)

static int
tel_info(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_mempool_pagefrag_stats st;
	struct rte_mempool *mp;

	RTE_SET_USED(cmd);
	if (params == NULL || params[0] == '\0')
		return -EINVAL;
	mp = rte_mempool_lookup(params);
	if (mp == NULL || rte_mempool_pagefrag_stats_get(mp, &st) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", mp->name);
	pf_tel_add_dict_uint(d, "size", mp->size);
	ADD(page_size);
	ADD(objs_per_page);
	ADD(elt_total_size);
	ADD(page_waste);
	ADD(metadata_bytes);
	ADD(pages_total);
	ADD(pages_free);
	ADD(pages_carving);
	ADD(pages_partial);
	ADD(objs_total);
	ADD(objs_avail);
	ADD(objs_pinned);
	ADD(gets);
	ADD(puts);
	ADD(get_fails);
	ADD(put_errors);
	ADD(page_refills);
	ADD(page_reuses);
	ADD(partial_reuses);
	ADD(rewinds);
	ADD(reclaims);
	ADD(drains);
	ADD(drain_refs);
	ADD(atomics);
	ADD(cache_flushes);
	ADD(lcore_collisions);
	ADD(caches_recovered);
	return 0;
}

void
pf_telemetry_register(void)
{
	rte_telemetry_register_cmd("/mempool_pagefrag/list", tel_list,
		"Returns the names of the pagefrag mempools. Takes no parameters");
	rte_telemetry_register_cmd("/mempool_pagefrag/info", tel_info,
		"Returns the statistics of a pagefrag mempool. Parameters: pool name");
}
