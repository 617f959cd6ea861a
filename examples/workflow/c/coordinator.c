/*
 * coordinator.c - parallel fan-out/fan-in (Mayfly ABI v1).
 *
 * ASK (the client, to coordinator/<workflow id>):
 *   u32 k (1..256) | u32 deadline_ms (0: 1000) | u32 mute | data      (all LE)
 *   The coordinator takes the reply handle, asks worker/1 .. worker/k
 *   "u32 i | u32 flags | data" (flags bit 0 set for the last `mute` workers, which
 *   then never answer: fault injection for the deadline path), sets a deadline
 *   timer, and returns. It never waits. The workers' asks time out at twice the
 *   deadline; their TIMEOUT replies then arrive after the answer and are ignored.
 * REPLY (from a worker): an OK reply of the data's length is XOR-folded into the
 *   accumulator; any other (TIMEOUT, FAILED, UNDELIVERABLE, wrong length) counts
 *   as failed. Replies whose correlation id is not outstanding (late, after the
 *   workflow ended, or duplicates) are ignored.
 * TIMER (the deadline): answers with what has arrived.
 * The answer, once all k have come back or at the deadline, whichever is first:
 *   u32 partial (0: every worker answered OK, 1: otherwise) | u32 k | u32 ok |
 *   u32 failed | acc (data length: XOR of the OK workers' transformed data; zeros if none)
 *   Workers neither OK nor failed (k - ok - failed) had not answered by the deadline.
 *   Then the state is cleared, so the actor is gone until its next workflow.
 * An ASK while a workflow is running on the same coordinator fails the turn (error 4).
 *
 * Short-term state while a workflow runs:
 *   "h" the client's reply handle
 *   "m" meta_t (below, 24 bytes LE)
 *   "c" k i64 correlation ids of the workers' asks, 0 once answered
 *   "a" the accumulator (absent until the first OK reply)
 *
 * Application errors: 1 malformed request, 2 out of memory, 3 a host call was
 * refused (e.g. too large), 4 busy.
 */
#define MAYFLY_IMPLEMENTATION
#include "workflow.h"

#define MAX_WORKERS 256u
#define DEFAULT_DEADLINE_MS 1000u
#define FLAG_MUTE 1u

typedef struct {
    uint32_t k, ok, failed, len;
    int64_t timer;
} meta_t;

_Static_assert(sizeof(meta_t) == 24, "meta layout");

static int32_t start(uint8_t *payload, uint32_t len) {
    if (len < 12) return 1;
    uint32_t k = wf_u32(payload), deadline = wf_u32(payload + 4), mute = wf_u32(payload + 8);
    if (k == 0 || k > MAX_WORKERS || mute > k) return 1;
    if (deadline == 0) deadline = DEFAULT_DEADLINE_MS;
    mf_buf busy;
    if (mf_state_get("m", &busy) == 0) return 4;

    mf_buf handle;
    if (mf_reply_handle(&handle) < 0) return 3;
    /* Reuse the payload buffer: its 12-byte header becomes the workers' 8-byte one. */
    uint8_t *msg = payload + 4;
    uint32_t mlen = len - 4;
    int64_t *cids = (int64_t *)mf_alloc(k * 8);
    if (!cids) return 2;
    for (uint32_t i = 1; i <= k; i++) {
        char *to = wf_address("worker/", i);
        if (!to) return 2;
        wf_put_u32(msg, i);
        wf_put_u32(msg + 4, i > k - mute ? FLAG_MUTE : 0);
        /* The asks outlive the deadline, so the deadline timer, not a pile of TIMEOUT
         * replies, is what ends a workflow with a silent worker. The host copies the
         * bytes now, so the header can be rewritten for the next worker. */
        int64_t cid = mf_ask(to, msg, mlen, 2 * (int64_t)deadline);
        if (cid < 0) return 3;
        cids[i - 1] = cid;
    }
    meta_t m = { k, 0, 0, len - 12, 0 };
    m.timer = mayfly_timer_set(deadline, 0, 0);
    if (m.timer < 0) return 3;
    if (mf_state_put("h", handle.ptr, handle.len) < 0) return 3;
    if (mf_state_put("c", cids, k * 8) < 0) return 3;
    return mf_state_put("m", &m, sizeof m) < 0 ? 3 : 0;
}

/* Answers the client with what has arrived and forgets the workflow. */
static int32_t finish(const meta_t *m, const uint8_t *last, uint32_t last_len) {
    mf_buf handle, acc;
    if (mf_state_get("h", &handle) < 0) return 3;
    uint8_t *out = (uint8_t *)mf_alloc(16 + m->len);
    if (!out) return 2;
    wf_put_u32(out, m->ok == m->k ? 0 : 1);
    wf_put_u32(out + 4, m->k);
    wf_put_u32(out + 8, m->ok);
    wf_put_u32(out + 12, m->failed);
    if (mf_state_get("a", &acc) == 0 && acc.len == m->len) __builtin_memcpy(out + 16, acc.ptr, m->len);
    else __builtin_memset(out + 16, 0, m->len);
    for (uint32_t i = 0; i < last_len; i++) out[16 + i] ^= last[i]; /* the reply of this turn */
    if (mayfly_message_kind() != MF_KIND_TIMER) mayfly_timer_cancel(m->timer);
    int32_t rc = mayfly_reply_to(handle.ptr, handle.len, out, 16 + m->len);
    if (rc == MF_EXPIRED) mf_log(MF_LOG_WARN, "client gave up before the workflow ended");
    else if (rc < 0) return 3;
    mayfly_state_clear();
    return 0;
}

static int32_t gather(const uint8_t *payload, uint32_t len) {
    mf_buf mb, cb;
    meta_t m;
    if (mf_state_get("m", &mb) < 0 || mb.len != sizeof m) return 0; /* no workflow: late reply */
    __builtin_memcpy(&m, mb.ptr, sizeof m);
    if (mf_state_get("c", &cb) < 0 || cb.len != m.k * 8) return 3;
    int64_t cid = mayfly_correlation_id();
    uint32_t slot = m.k;
    for (uint32_t i = 0; i < m.k; i++) {
        int64_t c;
        __builtin_memcpy(&c, cb.ptr + 8 * i, 8);
        if (c == cid) { slot = i; break; }
    }
    if (slot == m.k) return 0; /* not outstanding: stale or duplicate */
    __builtin_memset(cb.ptr + 8 * slot, 0, 8);

    int ok = mayfly_reply_status() == MF_REPLY_OK && len == m.len;
    if (ok) m.ok++; else m.failed++;
    if (m.ok + m.failed == m.k) return finish(&m, ok ? payload : 0, ok ? len : 0);

    if (ok) {
        mf_buf acc;
        if (mf_state_get("a", &acc) == 0 && acc.len == m.len) {
            for (uint32_t i = 0; i < len; i++) acc.ptr[i] ^= payload[i];
            if (mf_state_put("a", acc.ptr, acc.len) < 0) return 3;
        } else if (mf_state_put("a", payload, len) < 0) {
            return 3;
        }
    }
    if (mf_state_put("c", cb.ptr, cb.len) < 0) return 3;
    return mf_state_put("m", &m, sizeof m) < 0 ? 3 : 0;
}

static int32_t deadline(void) {
    mf_buf mb;
    meta_t m;
    if (mf_state_get("m", &mb) < 0 || mb.len != sizeof m) return 0;
    __builtin_memcpy(&m, mb.ptr, sizeof m);
    if (mayfly_correlation_id() != m.timer) return 0;
    return finish(&m, 0, 0);
}

static int32_t handle(uint8_t *payload, uint32_t len) {
    switch (mayfly_message_kind()) {
    case MF_KIND_ASK: return start(payload, len);
    case MF_KIND_REPLY: return gather(payload, len);
    case MF_KIND_TIMER: return deadline();
    default: return 0;
    }
}

MAYFLY_HANDLER(handle)
