/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Telemetry commands of the pagefrag driver:
 *
 *   /mempool_pagefrag/list               names of the pagefrag pools
 *   /mempool_pagefrag/info,<pool name>   its statistics (as stats_get)
 *   /mempool_pagefrag/inflight,<pool name>[,<min_age_ms>]
 *                                        its in-flight view: who holds
 *                                        the objects out, and how old
 *
 * Read-only: answers from rte_mempool_pagefrag_stats_get() and
 * rte_mempool_pagefrag_inflight().
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mempool.h>
#include <rte_telemetry.h>

#include "rte_mempool_pagefrag.h"
#include "pf_cache.h"
#include "pf_compat.h"
#include "pf_pool.h"

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

/*
 * "<pool>[,<min_age_ms>]": the whole text names a pool if one has that
 * name (pool names may hold commas), else the digits after the last comma
 * are the minimum age.
 */
static struct rte_mempool *
inflight_params(const char *params, uint32_t *min_age_ms)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *mp;
	const char *comma;
	char *end;
	unsigned long v;

	*min_age_ms = 0;
	mp = rte_mempool_lookup(params);
	if (mp != NULL)
		return mp;
	comma = strrchr(params, ',');
	if (comma == NULL || comma == params || comma[1] == '\0' ||
			(size_t)(comma - params) >= sizeof(name))
		return NULL;
	v = strtoul(comma + 1, &end, 10);
	if (*end != '\0' || comma[1] < '0' || comma[1] > '9' || v > UINT32_MAX)
		return NULL;
	memcpy(name, params, comma - params);
	name[comma - params] = '\0';
	*min_age_ms = (uint32_t)v;
	return rte_mempool_lookup(name);
}

static const char *
mode_name(uint32_t mode)
{
	switch (mode) {
	case RTE_MEMPOOL_PAGEFRAG_INFLIGHT_COUNTERS:
		return "counters";
	case RTE_MEMPOOL_PAGEFRAG_INFLIGHT_RECORDS:
		return "records";
	default:
		return "none";
	}
}

/* One holder: "lcore_<id>" or "non_eal" -> {objs[, ages]}. */
static void
inflight_holder(struct rte_tel_data *d, uint32_t mode,
		const struct rte_mempool_pagefrag_holder *h)
{
	static const char * const bucket[RTE_MEMPOOL_PAGEFRAG_AGE_BUCKETS] = {
		"age_lt_1ms", "age_lt_10ms", "age_lt_100ms", "age_lt_1s",
		"age_lt_10s", "age_ge_10s",
	};
	struct rte_tel_data *c = rte_tel_data_alloc();
	char name[32];
	unsigned int b;

	if (c == NULL)
		return;
	rte_tel_data_start_dict(c);
	/* int: negative for an lcore that put more than it got (counters) */
	rte_tel_data_add_dict_int(c, "objs", (int)RTE_MAX(RTE_MIN(h->objs,
		(int64_t)INT32_MAX), (int64_t)INT32_MIN));
	if (mode == RTE_MEMPOOL_PAGEFRAG_INFLIGHT_RECORDS) {
		for (b = 0; b < RTE_DIM(bucket); b++)
			pf_tel_add_dict_uint(c, bucket[b], h->age[b]);
		pf_tel_add_dict_uint(c, "oldest_ms", h->oldest_ms);
	}
	if (h->lcore_id == LCORE_ID_ANY)
		snprintf(name, sizeof(name), "non_eal");
	else
		snprintf(name, sizeof(name), "lcore_%u", h->lcore_id);
	if (rte_tel_data_add_dict_container(d, name, c, 0) != 0)
		rte_tel_data_free(c);
}

#define ADD_INF(field) pf_tel_add_dict_uint(d, #field, inf.field)

static int
tel_inflight(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_mempool_pagefrag_holder *h;
	struct rte_mempool_pagefrag_inflight inf;
	struct rte_mempool *mp;
	uint32_t min_age_ms;
	int n, i;

	RTE_SET_USED(cmd);
	if (params == NULL || params[0] == '\0')
		return -EINVAL;
	mp = inflight_params(params, &min_age_ms);
	if (mp == NULL)
		return -EINVAL;
	h = calloc(RTE_MAX_LCORE + 1, sizeof(*h));
	if (h == NULL)
		return -ENOMEM;
	n = rte_mempool_pagefrag_inflight(mp, min_age_ms, &inf, h,
		RTE_MAX_LCORE + 1);
	if (n < 0) {
		free(h);
		return -EINVAL;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", mp->name);
	rte_tel_data_add_dict_string(d, "mode", mode_name(inf.mode));
	ADD_INF(min_age_ms);
	ADD_INF(objs_total);
	ADD_INF(objs_out);
	ADD_INF(objs_mempool_cache);
	ADD_INF(objs_app);
	ADD_INF(objs_frag_cache);
	ADD_INF(objs_ring_cache);
	rte_tel_data_add_dict_int(d, "objs_attributed", (int)RTE_MAX(RTE_MIN(
		inf.objs_attributed, (int64_t)INT32_MAX), (int64_t)INT32_MIN));
	ADD_INF(nb_holders);
	for (i = 0; i < n; i++)
		inflight_holder(d, inf.mode, &h[i]);
	free(h);
	return 0;
}

RTE_INIT(pf_telemetry_register)
{
	rte_telemetry_register_cmd("/mempool_pagefrag/list", tel_list,
		"Returns the names of the pagefrag mempools. Takes no parameters");
	rte_telemetry_register_cmd("/mempool_pagefrag/info", tel_info,
		"Returns the statistics of a pagefrag mempool. Parameters: pool name");
	rte_telemetry_register_cmd("/mempool_pagefrag/inflight", tel_inflight,
		"Returns who holds the objects out of a pagefrag mempool. Parameters: pool name[,min_age_ms]");
}
