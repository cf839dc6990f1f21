/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Fragments as mbuf external buffers: attach a fragment to an mbuf, with
 * its shared info at the fragment's end, and tell what one costs
 * (rte_pagefrag_attach_extbuf(), _attach_extbuf_headroom(),
 * rte_pagefrag_extbuf_footprint()). DPDK frees the fragment through the
 * engine's pf_extbuf_free_cb(), so attaching is refused in a process that
 * has it elsewhere than the pool's creator.
 *
 * It takes fragments from the engine (pf_frag_alloc(), the body of
 * rte_pagefrag_alloc(); rte_pagefrag_free()) and does not know their pages
 * or caches (pf_frag.c) nor create pools (pf_frag_pool.c).
 */

#include <errno.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include "rte_pagefrag.h"
#include "pf_frag.h"
#include "pf_log.h"

/*
 * May this process attach fragments of fp to mbufs? DPDK frees an external
 * buffer through shinfo->free_cb, a code address of the attaching process,
 * in whichever process frees the mbuf: where this library sits at another
 * address (another binary, ASLR), that address is not our callback. So
 * attaching is allowed only while every process that attached fragments of
 * the pool has the callback where the pool's creator has it; the first one
 * that has it elsewhere is refused, and from then on every process is.
 */
static int
frag_cb_shared(struct rte_pagefrag_pool *fp)
{
	/* RELAXED: a flag read and set once; it orders nothing */
	if ((uintptr_t)pf_extbuf_free_cb == fp->free_cb &&
			__atomic_load_n(&fp->cb_elsewhere, __ATOMIC_RELAXED) == 0)
		return 1;
	if ((uintptr_t)pf_extbuf_free_cb != fp->free_cb &&
			__atomic_exchange_n(&fp->cb_elsewhere, 1,
				__ATOMIC_RELAXED) == 0)
		PF_LOG(ERR, "fragment pool %s: this process (pid %d) has the pagefrag library at another address than the pool's creator: an mbuf it gave a fragment could not be freed in another process, nor one of theirs here; attaching fragments to mbufs is refused from now on in every process (raw fragments still work)",
			fp->name, (int)getpid());
	return 0;
}

/* Bytes of the fragment that holds a data room of buf_len and its shinfo. */
static uint32_t
extbuf_total(uint32_t buf_len)
{
	return RTE_ALIGN_CEIL(buf_len, sizeof(uintptr_t)) +
		sizeof(struct rte_mbuf_ext_shared_info);
}

/* Attach a fragment of buf_len bytes to m, its data headroom bytes in. */
static int
frag_attach(struct rte_pagefrag_pool *fp, struct rte_mbuf *m,
		uint32_t buf_len, uint32_t headroom)
{
	struct rte_mbuf_ext_shared_info *shinfo;
	uint32_t total = extbuf_total(buf_len);
	uint16_t len;
	rte_iova_t iova;
	void *buf;

	if (m == NULL || RTE_MBUF_HAS_EXTBUF(m) || RTE_MBUF_CLONED(m) ||
			buf_len == 0 || total > UINT16_MAX) {
		PF_LOG(ERR, "cannot attach a %u-byte fragment to mbuf %p: needs a direct mbuf and 1 to %zu bytes",
			buf_len, (void *)m, UINT16_MAX - sizeof(*shinfo));
		rte_errno = EINVAL;
		return -EINVAL;
	}
	if (fp == NULL || !frag_cb_shared(fp)) {
		rte_errno = fp == NULL ? EINVAL : ENOTSUP;
		return -rte_errno;
	}
	buf = pf_frag_alloc(fp, total, RTE_CACHE_LINE_SIZE, &iova);
	if (buf == NULL)
		return -rte_errno;
	len = (uint16_t)total;
	/* shared info at the fragment's end; refcnt 1; frees the fragment */
	shinfo = rte_pktmbuf_ext_shinfo_init_helper(buf, &len,
		pf_extbuf_free_cb, NULL);
	if (shinfo == NULL) {
		rte_pagefrag_free(buf);
		rte_errno = EINVAL;
		return -EINVAL;
	}
	rte_pktmbuf_attach_extbuf(m, buf, iova, len, shinfo);
	m->data_off = (uint16_t)RTE_MIN(headroom, (uint32_t)len);
	return 0;
}

int
rte_pagefrag_attach_extbuf(struct rte_pagefrag_pool *fp, struct rte_mbuf *m,
		uint16_t buf_len)
{
	/* the headroom rte_pktmbuf_reset_headroom() sets */
	return frag_attach(fp, m, buf_len,
		RTE_MIN((uint32_t)RTE_PKTMBUF_HEADROOM, (uint32_t)buf_len));
}

int
rte_pagefrag_attach_extbuf_headroom(struct rte_pagefrag_pool *fp,
		struct rte_mbuf *m, uint16_t headroom, uint16_t data_len)
{
	return frag_attach(fp, m, (uint32_t)headroom + data_len, headroom);
}

unsigned int
rte_pagefrag_extbuf_footprint(unsigned int buf_len)
{
	if (buf_len == 0 || extbuf_total(buf_len) > UINT16_MAX) {
		rte_errno = EINVAL;
		return 0;
	}
	return rte_pagefrag_footprint(extbuf_total(buf_len),
		RTE_CACHE_LINE_SIZE);
}
