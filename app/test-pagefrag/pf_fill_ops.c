/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Test plugin: registers dummy mempool ops until DPDK's ops table is full,
 * so that a plugin loaded after it finds no free slot. Used by
 * test-plugin-load.sh only.
 */

#include <stdio.h>

#include <rte_common.h>
#include <rte_mempool.h>

#include "test_pagefrag_noop_ops.h"

static struct rte_mempool_ops fill_ops[RTE_MEMPOOL_MAX_OPS_IDX];

RTE_INIT(pf_fill_ops_register)
{
	char name[RTE_MEMPOOL_OPS_NAMESIZE];
	unsigned int i;

	for (i = 0; i < RTE_MEMPOOL_MAX_OPS_IDX; i++) {
		snprintf(name, sizeof(name), "pf_test_fill%u", i);
		pf_test_noop_ops(&fill_ops[i], name);
		if (rte_mempool_register_ops(&fill_ops[i]) < 0)
			break;
	}
}
