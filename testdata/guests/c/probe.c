/*
 * probe.c - a scriptable actor for the runtime's tests (Mayfly ABI v1).
 *
 * A TELL or ASK payload is a script: commands separated by ';', each `op` or `op:arg`,
 * where arg may be `left=right`. Each command appends a result to an output buffer
 * (results separated by ','). An ASK is answered with the output unless the script
 * answered it itself (reply, handle, noreply).
 *
 *   put:k=v        state_put            -> rc          get:k     state_get -> value or rc
 *   del:k          state_delete         -> rc          clear     state_clear -> 0
 *   ttl:k=P,MS     state_ttl(P, MS)     -> rc          attl:P,MS actor_ttl -> rc
 *   inc:k          k = k + 1 (decimal)  -> new value  app:k=v  appends v and a space to k -> rc
 *   send:a=m       send                 -> rc          ask:a=m   ask (type default timeout) -> id
 *   pub:t=m        publish              -> rc          sub:f / unsub:f -> rc
 *   timer:MS=m     timer_set (m is a script run when it fires; '|' stands for ';') -> id
 *   cancel:ID      timer_cancel         -> rc
 *   log:text       log at INFO          -> 0           shared:k  shared_get -> value or rc
 *   reply:m        reply                -> rc          handle:k  reply_handle kept in state k -> rc
 *   replyto:k=m    reply_to the handle kept in state k -> rc
 *   noreply        do not answer the ask               now / self / sender -> the value
 *   fail:N         end the turn returning N            trap / loop / grow (until refused, then trap)
 *
 * A REPLY, TIMER or PUBLICATION appends "kind|correlation|status|topic|sender|payload\n"
 * to state key "inbox"; a TIMER then runs its payload as a script.
 * mayfly_on_expire publishes the value of key "flush" to "expired/<own id>" and tries
 * to write state (which the host must discard).
 */
#define MAYFLY_IMPLEMENTATION
#include "mayfly.h"

typedef struct { const uint8_t *p; uint32_t n; } span;

static char out_[8192];
static uint32_t out_len_;
static int answered_;

static void out_bytes(const void *p, uint32_t n) {
    if (out_len_ && out_len_ < sizeof out_) out_[out_len_++] = ',';
    for (uint32_t i = 0; i < n && out_len_ < sizeof out_; i++) out_[out_len_++] = ((const char *)p)[i];
}

static void out_int(int64_t v) {
    char b[24]; int i = 23; int neg = v < 0; uint64_t u = neg ? (uint64_t)(-v) : (uint64_t)v;
    b[i] = 0;
    do { b[--i] = (char)('0' + u % 10); u /= 10; } while (u);
    if (neg) b[--i] = '-';
    out_bytes(b + i, (uint32_t)(23 - i));
}

static int64_t parse_int(span s) {
    int64_t v = 0; int neg = 0; uint32_t i = 0;
    if (s.n && s.p[0] == '-') { neg = 1; i = 1; }
    for (; i < s.n; i++) { if (s.p[i] < '0' || s.p[i] > '9') break; v = v * 10 + (s.p[i] - '0'); }
    return neg ? -v : v;
}

static int split(span s, uint8_t c, span *l, span *r) {
    for (uint32_t i = 0; i < s.n; i++)
        if (s.p[i] == c) { l->p = s.p; l->n = i; r->p = s.p + i + 1; r->n = s.n - i - 1; return 1; }
    *l = s; r->p = s.p + s.n; r->n = 0; return 0;
}

static int is(span s, const char *w) { return mf_eq(s.p, s.n, w); }

static void append_inbox(const char *line_prefix, span payload) {
    mf_buf old; uint32_t ol = 0; uint8_t *op = 0;
    if (mf_state_get("inbox", &old) == 0) { op = old.ptr; ol = old.len; }
    uint32_t pl = mf_strlen(line_prefix);
    uint8_t *b = (uint8_t *)mf_alloc(ol + pl + payload.n + 1);
    if (!b) __builtin_trap();
    if (ol) __builtin_memcpy(b, op, ol);
    __builtin_memcpy(b + ol, line_prefix, pl);
    if (payload.n) __builtin_memcpy(b + ol + pl, payload.p, payload.n);
    b[ol + pl + payload.n] = '\n';
    mayfly_state_put("inbox", 5, b, ol + pl + payload.n + 1);
}

static int32_t run(span script);

static int32_t command(span c) {
    span op, arg, l, r;
    split(c, ':', &op, &arg);
    split(arg, '=', &l, &r);
    mf_buf b;
    if (is(op, "put")) out_int(mayfly_state_put(l.p, l.n, r.p, r.n));
    else if (is(op, "get")) {
        int32_t rc = mf_unpack(mayfly_state_get(arg.p, arg.n), &b);
        if (rc < 0) out_int(rc); else out_bytes(b.ptr, b.len);
    } else if (is(op, "del")) out_int(mayfly_state_delete(arg.p, arg.n));
    else if (is(op, "clear")) { mayfly_state_clear(); out_int(0); }
    else if (is(op, "ttl")) {
        span p, ms; split(r, ',', &p, &ms);
        out_int(mayfly_state_ttl(l.p, l.n, (int32_t)parse_int(p), parse_int(ms)));
    } else if (is(op, "attl")) {
        span p, ms; split(arg, ',', &p, &ms);
        out_int(mayfly_actor_ttl((int32_t)parse_int(p), parse_int(ms)));
    } else if (is(op, "inc")) {
        int64_t v = 0;
        if (mf_unpack(mayfly_state_get(arg.p, arg.n), &b) == 0) v = parse_int((span){b.ptr, b.len});
        v++;
        uint32_t before = out_len_; out_int(v);
        const char *digits = out_ + before + (before ? 1 : 0);
        mayfly_state_put(arg.p, arg.n, digits, out_len_ - (uint32_t)(digits - out_));
    } else if (is(op, "app")) {
        uint32_t ol = 0; uint8_t *op2 = 0;
        if (mf_unpack(mayfly_state_get(l.p, l.n), &b) == 0) { op2 = b.ptr; ol = b.len; }
        uint8_t *nb = (uint8_t *)mf_alloc(ol + r.n + 1);
        if (!nb) __builtin_trap();
        if (ol) __builtin_memcpy(nb, op2, ol);
        if (r.n) __builtin_memcpy(nb + ol, r.p, r.n);
        nb[ol + r.n] = ' ';
        out_int(mayfly_state_put(l.p, l.n, nb, ol + r.n + 1));
    } else if (is(op, "send")) out_int(mayfly_send(l.p, l.n, r.p, r.n));
    else if (is(op, "ask")) out_int(mayfly_ask(l.p, l.n, r.p, r.n, 0));
    else if (is(op, "pub")) out_int(mayfly_publish(l.p, l.n, r.p, r.n));
    else if (is(op, "sub")) out_int(mayfly_subscribe(arg.p, arg.n));
    else if (is(op, "unsub")) out_int(mayfly_unsubscribe(arg.p, arg.n));
    else if (is(op, "timer")) out_int(mayfly_timer_set(parse_int(l), r.p, r.n));
    else if (is(op, "cancel")) out_int(mayfly_timer_cancel(parse_int(arg)));
    else if (is(op, "log")) { mayfly_log(MF_LOG_INFO, arg.p, arg.n); out_int(0); }
    else if (is(op, "shared")) {
        int32_t rc = mf_unpack(mayfly_shared_get(arg.p, arg.n), &b);
        if (rc < 0) out_int(rc); else out_bytes(b.ptr, b.len);
    } else if (is(op, "reply")) { int32_t rc = mayfly_reply(arg.p, arg.n); if (rc == 0) answered_ = 1; out_int(rc); }
    else if (is(op, "handle")) {
        int32_t rc = mf_unpack(mayfly_reply_handle(), &b);
        if (rc == 0) { answered_ = 1; rc = mayfly_state_put(arg.p, arg.n, b.ptr, b.len); }
        out_int(rc);
    } else if (is(op, "replyto")) {
        int32_t rc = mf_unpack(mayfly_state_get(l.p, l.n), &b);
        if (rc == 0) rc = mayfly_reply_to(b.ptr, b.len, r.p, r.n);
        out_int(rc);
    } else if (is(op, "noreply")) answered_ = 1;
    else if (is(op, "now")) out_int(mayfly_now_ms());
    else if (is(op, "self")) { mf_unpack(mayfly_self(), &b); out_bytes(b.ptr, b.len); }
    else if (is(op, "sender")) {
        if (mf_unpack(mayfly_sender(), &b) < 0) out_bytes("-", 1); else out_bytes(b.ptr, b.len);
    } else if (is(op, "fail")) return (int32_t)parse_int(arg);
    else if (is(op, "trap")) __builtin_trap();
    else if (is(op, "loop")) { volatile int spin = 1; while (spin) { } }
    else if (is(op, "grow")) { while (__builtin_wasm_memory_grow(0, 1) != (size_t)-1) { } __builtin_trap(); }
    else return 99; /* unknown command */
    return 0;
}

static int32_t run(span script) {
    span cmd, rest = script;
    while (rest.n) {
        split(rest, ';', &cmd, &rest);
        if (cmd.n == 0) continue;
        int32_t rc = command(cmd);
        if (rc) return rc;
    }
    return 0;
}

static void prefix_line(char *dst, int32_t kind) {
    mf_buf b; uint32_t n = 0;
    out_len_ = 0; out_int(kind); out_int(mayfly_correlation_id()); out_int(mayfly_reply_status());
    if (mf_unpack(mayfly_topic(), &b) == 0) out_bytes(b.ptr, b.len); else out_bytes("-", 1);
    if (mf_unpack(mayfly_sender(), &b) == 0) out_bytes(b.ptr, b.len); else out_bytes("-", 1);
    for (uint32_t i = 0; i < out_len_; i++) dst[n++] = out_[i] == ',' ? '|' : out_[i];
    dst[n++] = '|'; dst[n] = 0;
    out_len_ = 0;
}

static int32_t handle(const uint8_t *p, uint32_t len) {
    int32_t kind = mayfly_message_kind();
    out_len_ = 0; answered_ = 0;
    span payload = {p, len};
    if (kind == MF_KIND_REPLY || kind == MF_KIND_TIMER || kind == MF_KIND_PUBLICATION) {
        char line[1024];
        prefix_line(line, kind);
        append_inbox(line, payload);
        if (kind != MF_KIND_TIMER) return 0;
        /* a timer's script uses '|' for ';' so that it can be set from a script */
        uint8_t *copy = (uint8_t *)mf_alloc(len);
        if (len && !copy) __builtin_trap();
        for (uint32_t i = 0; i < len; i++) copy[i] = p[i] == '|' ? ';' : p[i];
        payload.p = copy;
    }
    int32_t rc = run(payload);
    if (rc) return rc;
    if (kind == MF_KIND_ASK && !answered_) mayfly_reply(out_, out_len_);
    return 0;
}

static int32_t expire(void) {
    mf_buf id, flush = {0, 0};
    if (mf_self_id(&id) < 0) return 1;
    mf_state_get("flush", &flush);
    char *topic = mf_concat("expired/", id.ptr, id.len);
    if (!topic) return 2;
    mf_state_put("written-on-expiry", "x", 1);
    return mf_publish(topic, flush.ptr, flush.len) < 0 ? 3 : 0;
}

MAYFLY_HANDLER(handle)
MAYFLY_ON_EXPIRE(expire)
