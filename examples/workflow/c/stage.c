/*
 * stage.c - one stage of a sequential workflow chain (Mayfly ABI v1).
 *
 * Actors are stage/1 .. stage/N; stage k applies wf_transform with key k to the
 * data and hands it to stage/<k+1>; the last stage (k >= N) answers the client.
 * No stage waits: stage 1 takes the ASK's reply handle and passes it down the
 * chain inside the message, and the last stage answers it with reply_to.
 *
 * ASK (the client, to the first stage, usually stage/1):
 *   u32 n (LE, number of stages, >= 1) | data
 *   The reply is the data after stages k..n.
 * TELL (stage to stage; also usable from outside with hlen = 0):
 *   u32 n | u32 hlen | handle (hlen <= 64 bytes) | data
 *   With hlen = 0 the last stage publishes the result on "workflow/chain/done"
 *   instead of replying.
 * Other message kinds are ignored. The stages keep no state.
 *
 * Application errors: 1 malformed message or an id that is not a number >= 1,
 * 2 out of memory, 3 the next stage could not be told (e.g. the message is larger
 * than the type's maxMessageBytes). A reply handle whose client has given up
 * (EXPIRED) is dropped with a warning: the chain itself did its work.
 */
#define MAYFLY_IMPLEMENTATION
#include "workflow.h"

#define MAX_HANDLE 64

/* Hands data (already transformed) on to the next stage, or answers the client. */
static int32_t forward(uint32_t k, uint32_t n, const uint8_t *handle, uint32_t hlen,
                       uint8_t *hop, const uint8_t *data, uint32_t len) {
    if (k >= n) {
        if (hlen == 0) return mf_publish("workflow/chain/done", data, len) < 0 ? 3 : 0;
        int32_t rc = mayfly_reply_to(handle, hlen, data, len);
        if (rc == MF_EXPIRED) { mf_log(MF_LOG_WARN, "client gave up before the chain ended"); return 0; }
        return rc < 0 ? 3 : 0;
    }
    char *next = wf_address("stage/", k + 1);
    if (!next) return 2;
    return mf_send(next, hop, 8 + hlen + len) < 0 ? 3 : 0;
}

static int32_t on_ask(uint32_t k, uint8_t *payload, uint32_t len) {
    if (len < 4) return 1;
    uint32_t n = wf_u32(payload), dlen = len - 4;
    const uint8_t *data = payload + 4;
    if (k >= n) { /* a chain of one: answer at once */
        wf_transform(payload + 4, data, dlen, k);
        return mf_reply(payload + 4, dlen) < 0 ? 3 : 0;
    }
    mf_buf handle;
    if (mf_reply_handle(&handle) < 0 || handle.len > MAX_HANDLE) return 1;
    uint8_t *hop = (uint8_t *)mf_alloc(8 + handle.len + dlen);
    if (!hop) return 2;
    wf_put_u32(hop, n);
    wf_put_u32(hop + 4, handle.len);
    __builtin_memcpy(hop + 8, handle.ptr, handle.len);
    uint8_t *out = hop + 8 + handle.len;
    wf_transform(out, data, dlen, k);
    return forward(k, n, handle.ptr, handle.len, hop, out, dlen);
}

static int32_t on_tell(uint32_t k, uint8_t *payload, uint32_t len) {
    if (len < 8) return 1;
    uint32_t n = wf_u32(payload), hlen = wf_u32(payload + 4);
    if (hlen > MAX_HANDLE || len - 8 < hlen) return 1;
    uint8_t *data = payload + 8 + hlen;
    uint32_t dlen = len - 8 - hlen;
    wf_transform(data, data, dlen, k); /* in place: the payload buffer is ours */
    return forward(k, n, payload + 8, hlen, payload, data, dlen);
}

static int32_t handle(uint8_t *payload, uint32_t len) {
    uint32_t k = wf_self_number();
    if (k == 0) return 1;
    switch (mayfly_message_kind()) {
    case MF_KIND_ASK: return on_ask(k, payload, len);
    case MF_KIND_TELL: return on_tell(k, payload, len);
    default: return 0;
    }
}

MAYFLY_HANDLER(handle)
