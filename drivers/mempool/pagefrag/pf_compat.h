/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef PF_COMPAT_H
#define PF_COMPAT_H

/*
 * What differs between the DPDK releases pagefrag builds against
 * (22.11 to 26.07), keyed on RTE_VERSION. Everything else in the driver
 * uses API that is the same in all of them.
 *
 * - Telemetry: rte_tel_data_add_dict_uint() exists from 23.03 on;
 *   rte_tel_data_add_dict_u64() is deprecated from 23.03 and removed in
 *   25.11.
 *
 * Checked and needing nothing here (see doc/guides/mempool/pagefrag.rst):
 * RTE_LOG_REGISTER (same macro in every release), __rte_cache_aligned after
 * a struct or member (still accepted by GCC and clang; the placement before
 * the struct name is only needed by MSVC), stdatomic builds (the driver's
 * own atomics are GCC __atomic builtins on plain integers, and it touches
 * no DPDK field declared RTE_ATOMIC), and the mempool cache rework of
 * 26.07 (the driver uses only the ops API and rte_mempool_cache_flush(),
 * never the cache's fields).
 */

#include <rte_version.h>

#if RTE_VERSION >= RTE_VERSION_NUM(23, 3, 0, 0)
#define pf_tel_add_dict_uint(d, name, val) rte_tel_data_add_dict_uint(d, name, val)
#else
#define pf_tel_add_dict_uint(d, name, val) rte_tel_data_add_dict_u64(d, name, val)
#endif

#endif /* PF_COMPAT_H */
