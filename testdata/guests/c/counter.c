/*
 * counter.c - a counter actor for the runtime's tests (Mayfly ABI v1).
 *
 * State key "n": u32 little-endian (absent = 0).
 * Payload "trap"      : writes n+1 to state, then traps (tests turn rollback).
 * Payload "ttl:<ms>"  : actor_ttl(AFTER_WRITE, ms); does not increment; an ASK gets
 *                       the current value. A malformed number fails the turn with
 *                       application error 1; a host error code c fails it with -c.
 * Any other TELL (or TIMER, PUBLICATION, REPLY): n = n + 1.
 * Any other ASK: n = n + 1 and replies with the new n (4 bytes LE).
 * mayfly_on_expire: publishes the final n (4 bytes LE) to "expired/<own id>".
 */
#define MAYFLY_IMPLEMENTATION
#include "mayfly.h"

static uint32_t load(void) {
    mf_buf b;
    uint32_t n = 0;
    if (mf_state_get("n", &b) == 0 && b.len == 4) __builtin_memcpy(&n, b.ptr, 4);
    return n;
}

static int32_t store(uint32_t n) { return mf_state_put("n", &n, 4); }

static int32_t handle(const uint8_t *p, uint32_t len) {
    int32_t kind = mayfly_message_kind();
    uint32_t n = load();

    if (mf_eq(p, len, "trap")) {
        store(n + 1);
        __builtin_trap();
    }

    if (len >= 4 && p[0] == 't' && p[1] == 't' && p[2] == 'l' && p[3] == ':') {
        int64_t ms = 0;
        if (len == 4 || len > 4 + 18) return 1;
        for (uint32_t i = 4; i < len; i++) {
            if (p[i] < '0' || p[i] > '9') return 1;
            ms = ms * 10 + (p[i] - '0');
        }
        int32_t rc = mayfly_actor_ttl(MF_TTL_AFTER_WRITE, ms);
        if (rc < 0) return -rc;
        if (kind == MF_KIND_ASK && mf_reply(&n, 4) < 0) return 3;
        return 0;
    }

    n++;
    if (store(n) < 0) return 2;
    if (kind == MF_KIND_ASK && mf_reply(&n, 4) < 0) return 3;
    return 0;
}

static int32_t expire(void) {
    uint32_t n = load();
    mf_buf id;
    if (mf_self_id(&id) < 0) return 1;
    char *topic = mf_concat("expired/", id.ptr, id.len);
    if (!topic) return 2;
    return mf_publish(topic, &n, 4) < 0 ? 3 : 0;
}

MAYFLY_HANDLER(handle)
MAYFLY_ON_EXPIRE(expire)
