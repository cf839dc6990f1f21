/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_LOG_H_
#define _PF_LOG_H_

/* The driver's log type (pmd.mempool.pagefrag, registered in pf_ops.c). */

#include <rte_log.h>

extern int pf_logtype;
#define PF_LOG(level, fmt, ...)						\
	rte_log(RTE_LOG_ ## level, pf_logtype, "PAGEFRAG: %s(): " fmt "\n",	\
		__func__, ##__VA_ARGS__)

#endif /* _PF_LOG_H_ */
