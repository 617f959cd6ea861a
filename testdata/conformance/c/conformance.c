/* The conformance actor in C (testdata/conformance/SPEC.md), on sdk/c/mayfly.h.
 * Built freestanding (conformance-c.wasm) and with wasi-libc (conformance-c-wasi.wasm), where
 * the log command prints its text as a line on standard output instead of calling mayfly_log. */
#define MAYFLY_IMPLEMENTATION
#include "mayfly.h"
#ifdef __wasi__
#include <stdio.h>
#endif

static uint32_t load_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static int64_t load_i64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return (int64_t)v;
}
static void store_i64(uint8_t *p, int64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)((uint64_t)v >> (8 * i));
}

static uint32_t get_n(void) {
    mf_buf b;
    if (mf_state_get("n", &b) < 0 || b.len < 4) return 0;
    return load_u32(b.ptr);
}
static void put_n(uint32_t n) {
    uint8_t v[4] = {(uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16), (uint8_t)(n >> 24)};
    mf_state_put("n", v, 4);
}
static void put_i64(const char *key, int64_t v) {
    uint8_t b[8];
    store_i64(b, v);
    mf_state_put(key, b, 8);
}

static void on_kind(int32_t kind, const uint8_t *p, uint32_t len) {
    uint8_t head[9];
    mf_buf out, t;
    if (kind == MF_KIND_REPLY) {
        head[0] = (uint8_t)mayfly_reply_status();
        store_i64(head + 1, mayfly_correlation_id());
        mf_cat(head, 9, p, len, &out);
        mf_state_put("reply", out.ptr, out.len);
    } else if (kind == MF_KIND_TIMER) {
        store_i64(head, mayfly_correlation_id());
        mf_cat(head, 8, p, len, &out);
        mf_state_put("fired", out.ptr, out.len);
    } else if (kind == MF_KIND_PUBLICATION) {
        mf_topic(&t);
        mf_cat(t.ptr, t.len, " ", 1, &out);
        mf_cat(out.ptr, out.len, p, len, &out);
        mf_state_put("pub", out.ptr, out.len);
    }
}

static void info(int32_t kind) {
    uint8_t head[9];
    mf_buf out, self, sender;
    head[0] = (uint8_t)kind;
    store_i64(head + 1, mayfly_now_ms());
    mf_self(&self);
    mf_cat(head, 9, self.ptr, self.len, &out);
    mf_cat(out.ptr, out.len, " ", 1, &out);
    if (mf_sender(&sender) < 0) mf_cat(out.ptr, out.len, "-", 1, &out);
    else mf_cat(out.ptr, out.len, sender.ptr, sender.len, &out);
    mf_state_put("info", out.ptr, out.len);
    if (kind == MF_KIND_ASK) mf_reply(out.ptr, out.len);
}

static void error_probe(void) {
    int8_t r[16];
    mf_buf none;
    r[0] = (int8_t)mf_send("bad", 0, 0);
    r[1] = (int8_t)mayfly_actor_ttl(9, 1);
    r[2] = (int8_t)mayfly_actor_ttl(MF_TTL_AFTER_WRITE, -5);
    r[3] = (int8_t)mf_state_ttl("nokey", MF_TTL_AFTER_WRITE, 10);
    r[4] = (int8_t)mf_state_get("nokey", &none);
    r[5] = (int8_t)mf_state_delete("nokey");
    r[6] = (int8_t)mayfly_timer_cancel(12345);
    r[7] = (int8_t)mf_unsubscribe("never/x");
    r[8] = (int8_t)mf_reply("x", 1);
    r[9] = (int8_t)mf_reply_handle(&none);
    r[10] = (int8_t)mayfly_reply_to("xx", 2, 0, 0);
    r[11] = (int8_t)mf_topic(&none);
    r[12] = (int8_t)mayfly_correlation_id();
    r[13] = (int8_t)mayfly_reply_status();
    r[14] = (int8_t)mf_publish("bad topic", 0, 0);
    r[15] = (int8_t)mayfly_state_get("", 0);
    mf_state_put("probe", r, 16);
}

static int32_t handle(const uint8_t *p, uint32_t len) {
    int32_t kind = mayfly_message_kind();
    if (kind >= MF_KIND_REPLY) {
        on_kind(kind, p, len);
        return 0;
    }
    if (len == 0) return 1;
    const uint8_t *a = p + 1;
    uint32_t al = len - 1;
    mf_buf b;
    switch (p[0]) {
    case 'E':
        if (kind == MF_KIND_ASK) mf_reply(p, len);
        return 0;
    case 'C':
        if (kind == MF_KIND_ASK) {
            uint32_t n = get_n();
            uint8_t v[4] = {(uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16), (uint8_t)(n >> 24)};
            mf_reply(v, 4);
        } else {
            put_n(get_n() + 1);
        }
        return 0;
    case 'A':
        if (al < 8) return 1;
        mayfly_actor_ttl(MF_TTL_AFTER_WRITE, load_i64(a));
        return 0;
    case 'K':
        if (al < 8) return 1;
        mayfly_state_put(a + 8, al - 8, "v", 1);
        mayfly_state_ttl(a + 8, al - 8, MF_TTL_AFTER_WRITE, load_i64(a));
        return 0;
    case 'Q':
        put_i64("corr", mayfly_ask(a, al, "Eping", 5, 1000));
        return 0;
    case 'S': mayfly_subscribe(a, al); return 0;
    case 'U': mayfly_unsubscribe(a, al); return 0;
    case 'P': mayfly_publish(a, al, "hi", 2); return 0;
    case 'M':
        if (al < 8) return 1;
        put_i64("timer", mayfly_timer_set(load_i64(a), a + 8, al - 8));
        return 0;
    case 'X': {
        int64_t id = 0;
        if (mf_state_get("timer", &b) == 0 && b.len == 8) id = load_i64(b.ptr);
        uint8_t rc = (uint8_t)mayfly_timer_cancel(id);
        mf_state_put("cancelled", &rc, 1);
        return 0;
    }
    case '!':
        put_n(get_n() + 1);
        __builtin_trap();
    case 'F':
        put_n(get_n() + 1);
        return 42;
    case 'G':
        if (mf_unpack(mayfly_shared_get(a, al), &b) < 0) return 44;
        mf_reply(b.ptr, b.len);
        return 0;
    case 'I': info(kind); return 0;
    case 'H':
        if (mf_reply_handle(&b) < 0) return 45;
        mf_state_put("h", b.ptr, b.len);
        return 0;
    case 'R':
        if (mf_state_get("h", &b) < 0) return 45;
        mayfly_reply_to(b.ptr, b.len, a, al);
        mf_state_delete("h");
        return 0;
    case 'L':
#ifdef __wasi__
        printf("%.*s\n", (int)al, (const char *)a);
#else
        mayfly_log(MF_LOG_INFO, a, al);
#endif
        return 0;
    case 'D': mayfly_state_delete(a, al); return 0;
    case 'Z': mayfly_state_clear(); return 0;
    case 'Y': error_probe(); return 0;
    default: return 1;
    }
}
MAYFLY_HANDLER(handle)

static int32_t expire(void) {
    uint32_t n = get_n();
    uint8_t v[4] = {(uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16), (uint8_t)(n >> 24)};
    mf_buf id;
    if (mf_self_id(&id) < 0) return 1;
    char *topic = mf_concat("expired/", id.ptr, id.len);
    if (!topic) return 1;
    mf_publish(topic, v, 4);
    return 0;
}
MAYFLY_ON_EXPIRE(expire)
