/*
 * mayfly.h - freestanding C SDK for Mayfly actors, ABI version 1 (docs/abi.md).
 *
 * Build (no libc):
 *   clang-14 --target=wasm32 -nostdlib -O2 -c actor.c -I sdk/c -o actor.o
 *   wasm-ld-14 --no-entry actor.o -o actor.wasm
 *
 * In exactly one translation unit:
 *
 *   #define MAYFLY_IMPLEMENTATION
 *   #include "mayfly.h"
 *
 * which defines the required exports `mayfly_abi_version` and `mayfly_alloc`
 * (a bump arena in the memory after __heap_base, grown with memory.grow as needed)
 * and memcpy/memset/memmove, which clang may emit calls to.
 *
 * The arena must be reset every turn. MAYFLY_HANDLER(fn) defines the export
 * `mayfly_handle` so that it does this for you: the host allocates the payload
 * (through mayfly_alloc) before calling mayfly_handle, so the wrapper keeps the
 * payload, calls fn, and empties the arena when fn returns. MAYFLY_ON_EXPIRE(fn)
 * does the same for the optional `mayfly_on_expire` export. If you write the
 * exports by hand, call mf_turn_begin(ptr, len) first and mf_arena_reset() last.
 *
 * With wasi-libc (clang's --target=wasm32-wasi, where __wasi__ is defined) the
 * header uses the C library instead: mf_alloc is malloc, and every block it
 * hands out is freed when the turn ends (mf_arena_reset, which also flushes
 * stdout and stderr so a turn's output stays in its own log). printf and the
 * rest of stdio then write to the actor's log (docs/abi.md, section WASI):
 *   clang-14 --target=wasm32-wasi -mexec-model=reactor -O2 -c actor.c -I sdk/c -o actor.o
 *   clang-14 --target=wasm32-wasi -mexec-model=reactor actor.o -o actor.wasm
 *
 * Host functions keep their ABI names behind a `mayfly_` prefix (mayfly_state_get
 * imports mayfly.state_get). Pointer arguments are C pointers, which are i32 on
 * wasm32; lengths are uint32_t (i32); times, ids and packed results are int64_t.
 */
#ifndef MAYFLY_H
#define MAYFLY_H

#include <stdint.h> /* freestanding header, provided by clang */
#include <stddef.h> /* freestanding header, provided by clang */

#define MAYFLY_ABI_VERSION 1

/* ---- error codes (negative host results) ---- */
#define MF_NOT_FOUND        (-1)
#define MF_INVALID_ADDRESS  (-2)
#define MF_TOO_LARGE        (-3)
#define MF_NO_REQUEST       (-4)
#define MF_LIMIT_EXCEEDED   (-5)
#define MF_INVALID_ARGUMENT (-6)
#define MF_EXPIRED          (-7)
#define MF_BAD_HANDLE       (-8)

/* ---- message_kind() ---- */
#define MF_KIND_TELL        0
#define MF_KIND_ASK         1
#define MF_KIND_REPLY       2
#define MF_KIND_TIMER       3
#define MF_KIND_PUBLICATION 4
#define MF_KIND_EXPIRE      5

/* ---- reply_status() ---- */
#define MF_REPLY_OK            0
#define MF_REPLY_TIMEOUT       1
#define MF_REPLY_FAILED        2
#define MF_REPLY_UNDELIVERABLE 3

/* ---- TTL policies (state_ttl, actor_ttl) ---- */
#define MF_TTL_DEFAULT      0
#define MF_TTL_AFTER_WRITE  1
#define MF_TTL_AFTER_ACCESS 2
#define MF_TTL_AT_DEADLINE  3
#define MF_TTL_NEVER        4

/* ---- log levels ---- */
#define MF_LOG_TRACE 0
#define MF_LOG_DEBUG 1
#define MF_LOG_INFO  2
#define MF_LOG_WARN  3
#define MF_LOG_ERROR 4

/* ---- host imports (namespace "mayfly") ---- */
#define MF_IMPORT(name) __attribute__((import_module("mayfly"), import_name(#name)))

/* the current message */
MF_IMPORT(self)           int64_t mayfly_self(void);
MF_IMPORT(sender)         int64_t mayfly_sender(void);
MF_IMPORT(message_kind)   int32_t mayfly_message_kind(void);
MF_IMPORT(correlation_id) int64_t mayfly_correlation_id(void);
MF_IMPORT(reply_status)   int32_t mayfly_reply_status(void);
MF_IMPORT(topic)          int64_t mayfly_topic(void);
MF_IMPORT(now_ms)         int64_t mayfly_now_ms(void);
MF_IMPORT(log)            void    mayfly_log(int32_t level, const void *ptr, uint32_t len);
/* short-term state */
MF_IMPORT(state_get)      int64_t mayfly_state_get(const void *kptr, uint32_t klen);
MF_IMPORT(state_put)      int32_t mayfly_state_put(const void *kptr, uint32_t klen,
                                                   const void *vptr, uint32_t vlen);
MF_IMPORT(state_delete)   int32_t mayfly_state_delete(const void *kptr, uint32_t klen);
MF_IMPORT(state_clear)    void    mayfly_state_clear(void);
MF_IMPORT(state_ttl)      int32_t mayfly_state_ttl(const void *kptr, uint32_t klen,
                                                   int32_t policy, int64_t ttl_ms);
MF_IMPORT(actor_ttl)      int32_t mayfly_actor_ttl(int32_t policy, int64_t ttl_ms);
/* talking to others */
MF_IMPORT(send)           int32_t mayfly_send(const void *aptr, uint32_t alen,
                                              const void *mptr, uint32_t mlen);
MF_IMPORT(ask)            int64_t mayfly_ask(const void *aptr, uint32_t alen,
                                             const void *mptr, uint32_t mlen, int64_t timeout_ms);
MF_IMPORT(reply)          int32_t mayfly_reply(const void *mptr, uint32_t mlen);
MF_IMPORT(reply_handle)   int64_t mayfly_reply_handle(void);
MF_IMPORT(reply_to)       int32_t mayfly_reply_to(const void *hptr, uint32_t hlen,
                                                  const void *mptr, uint32_t mlen);
MF_IMPORT(publish)        int32_t mayfly_publish(const void *tptr, uint32_t tlen,
                                                 const void *mptr, uint32_t mlen);
MF_IMPORT(subscribe)      int32_t mayfly_subscribe(const void *fptr, uint32_t flen);
MF_IMPORT(unsubscribe)    int32_t mayfly_unsubscribe(const void *fptr, uint32_t flen);
MF_IMPORT(timer_set)      int64_t mayfly_timer_set(int64_t delay_ms, const void *mptr, uint32_t mlen);
MF_IMPORT(timer_cancel)   int32_t mayfly_timer_cancel(int64_t id);
/* read-only shared data */
MF_IMPORT(shared_get)     int64_t mayfly_shared_get(const void *kptr, uint32_t klen);

/* ---- arena (defined by MAYFLY_IMPLEMENTATION) ---- */
void *mf_alloc(uint32_t size);                  /* 8-byte aligned; 0 when out of memory */
void  mf_arena_reset(void);                     /* frees everything */
void  mf_turn_begin(const void *payload, uint32_t len); /* reset, keeping the payload */

/* ---- helpers ---- */
typedef struct { uint8_t *ptr; uint32_t len; } mf_buf;

#define MF_EXPORT(name) __attribute__((export_name(#name)))

/* Unpacks a packed i64 result: returns 0 and fills *out ({0,0} for an empty
 * buffer), or returns the negative error code and sets *out to {0,0}. */
static inline int32_t mf_unpack(int64_t r, mf_buf *out) {
    out->ptr = 0; out->len = 0;
    if (r < 0) return (int32_t)r;
    out->ptr = (uint8_t *)(uintptr_t)(uint32_t)((uint64_t)r >> 32);
    out->len = (uint32_t)r;
    return 0;
}

static inline uint32_t mf_strlen(const char *s) { uint32_t n = 0; while (s[n]) n++; return n; }

static inline int mf_eq(const uint8_t *p, uint32_t n, const char *s) {
    uint32_t i = 0;
    for (; i < n; i++) if (s[i] == 0 || (uint8_t)s[i] != p[i]) return 0;
    return s[i] == 0;
}

static inline int32_t mf_state_get(const char *key, mf_buf *out) {
    return mf_unpack(mayfly_state_get(key, mf_strlen(key)), out);
}
static inline int32_t mf_state_put(const char *key, const void *v, uint32_t n) {
    return mayfly_state_put(key, mf_strlen(key), v, n);
}
static inline int32_t mf_state_delete(const char *key) {
    return mayfly_state_delete(key, mf_strlen(key));
}
static inline void mf_log(int32_t level, const char *msg) { mayfly_log(level, msg, mf_strlen(msg)); }
static inline int32_t mf_publish(const char *topic, const void *m, uint32_t n) {
    return mayfly_publish(topic, mf_strlen(topic), m, n);
}
static inline int32_t mf_send(const char *addr, const void *m, uint32_t n) {
    return mayfly_send(addr, mf_strlen(addr), m, n);
}
static inline int32_t mf_reply(const void *m, uint32_t n) { return mayfly_reply(m, n); }
static inline int32_t mf_self(mf_buf *out) { return mf_unpack(mayfly_self(), out); }

static inline int32_t mf_sender(mf_buf *out) { return mf_unpack(mayfly_sender(), out); }
static inline int32_t mf_topic(mf_buf *out) { return mf_unpack(mayfly_topic(), out); }
static inline int32_t mf_shared_get(const char *key, mf_buf *out) {
    return mf_unpack(mayfly_shared_get(key, mf_strlen(key)), out);
}
static inline int32_t mf_state_ttl(const char *key, int32_t policy, int64_t ttl_ms) {
    return mayfly_state_ttl(key, mf_strlen(key), policy, ttl_ms);
}
static inline int64_t mf_ask(const char *addr, const void *m, uint32_t n, int64_t timeout_ms) {
    return mayfly_ask(addr, mf_strlen(addr), m, n, timeout_ms);
}
static inline int32_t mf_subscribe(const char *filter) {
    return mayfly_subscribe(filter, mf_strlen(filter));
}
static inline int32_t mf_unsubscribe(const char *filter) {
    return mayfly_unsubscribe(filter, mf_strlen(filter));
}
/* A deferred-reply handle for the ASK being handled (keep it in state; answer with mayfly_reply_to). */
static inline int32_t mf_reply_handle(mf_buf *out) { return mf_unpack(mayfly_reply_handle(), out); }

/* An arena copy of a ++ b; {0,0} and MF_TOO_LARGE when out of memory. */
static inline int32_t mf_cat(const void *a, uint32_t an, const void *b, uint32_t bn, mf_buf *out) {
    out->ptr = (uint8_t *)mf_alloc(an + bn);
    out->len = out->ptr ? an + bn : 0;
    if (!out->ptr) return MF_TOO_LARGE;
    if (an) __builtin_memcpy(out->ptr, a, an);
    if (bn) __builtin_memcpy(out->ptr + an, b, bn);
    return 0;
}

/* The id part of this actor's address (after the first '/'). */
static inline int32_t mf_self_id(mf_buf *out) {
    int32_t rc = mf_self(out);
    if (rc < 0) return rc;
    for (uint32_t i = 0; i < out->len; i++)
        if (out->ptr[i] == '/') { out->ptr += i + 1; out->len -= i + 1; return 0; }
    return MF_INVALID_ADDRESS;
}

/* A NUL-terminated arena copy of prefix + bytes (e.g. "alerts/" + id); 0 when out of memory. */
static inline char *mf_concat(const char *prefix, const uint8_t *p, uint32_t n) {
    uint32_t k = mf_strlen(prefix);
    char *s = (char *)mf_alloc(k + n + 1);
    if (!s) return 0;
    __builtin_memcpy(s, prefix, k);
    if (n) __builtin_memcpy(s + k, p, n);
    s[k + n] = 0;
    return s;
}

/* Defines the export mayfly_handle around `int32_t fn(const uint8_t *payload, uint32_t len)`. */
#define MAYFLY_HANDLER(fn)                                                     \
    MF_EXPORT(mayfly_handle) int32_t mayfly_handle(uint8_t *ptr, uint32_t len) { \
        mf_turn_begin(ptr, len);                                               \
        int32_t rc_ = fn(ptr, len);                                            \
        mf_arena_reset();                                                      \
        return rc_;                                                            \
    }
/* Defines the optional export mayfly_on_expire around `int32_t fn(void)`. */
#define MAYFLY_ON_EXPIRE(fn)                                                   \
    MF_EXPORT(mayfly_on_expire) int32_t mayfly_on_expire(void) {               \
        mf_arena_reset();                                                      \
        int32_t rc_ = fn();                                                    \
        mf_arena_reset();                                                      \
        return rc_;                                                            \
    }

/* ======================================================================== */
#if defined(MAYFLY_IMPLEMENTATION) && defined(__wasi__)
/* With wasi-libc: blocks from malloc, recorded so the end of the turn frees them. */
#include <stdio.h>
#include <stdlib.h>

static void **mf_blocks_;
static uint32_t mf_nblocks_, mf_capblocks_;

/* Frees every recorded block except `keep` (0: none), which stays recorded. */
static void mf_free_blocks_(const void *keep) {
    uint32_t kept = 0;
    for (uint32_t i = 0; i < mf_nblocks_; i++) {
        if (keep && mf_blocks_[i] == keep) mf_blocks_[kept++] = mf_blocks_[i];
        else free(mf_blocks_[i]);
    }
    mf_nblocks_ = kept;
}

void mf_arena_reset(void) {
    mf_free_blocks_(0);
    fflush(stdout);
    fflush(stderr);
}

void mf_turn_begin(const void *payload, uint32_t len) { mf_free_blocks_(len ? payload : 0); }

void *mf_alloc(uint32_t size) {
    if (mf_nblocks_ == mf_capblocks_) {
        uint32_t cap = mf_capblocks_ ? 2 * mf_capblocks_ : 16;
        void **grown = (void **)realloc(mf_blocks_, cap * sizeof(void *));
        if (!grown) return 0;
        mf_blocks_ = grown;
        mf_capblocks_ = cap;
    }
    void *p = malloc(size ? size : 1);
    if (p) mf_blocks_[mf_nblocks_++] = p;
    return p;
}

MF_EXPORT(mayfly_abi_version) int32_t mayfly_abi_version(void) { return MAYFLY_ABI_VERSION; }
MF_EXPORT(mayfly_alloc) void *mayfly_alloc(uint32_t size) { return mf_alloc(size); }

#elif defined(MAYFLY_IMPLEMENTATION)

extern unsigned char __heap_base; /* defined by wasm-ld: end of data + stack */
static uintptr_t mf_top_;

#define MF_ALIGN8(x) (((uintptr_t)(x) + 7u) & ~(uintptr_t)7u)

void mf_arena_reset(void) { mf_top_ = MF_ALIGN8(&__heap_base); }

void mf_turn_begin(const void *payload, uint32_t len) {
    mf_arena_reset();
    uintptr_t p = (uintptr_t)payload, end = p + len;
    if (len && p >= mf_top_) mf_top_ = MF_ALIGN8(end); /* keep it */
}

void *mf_alloc(uint32_t size) {
    if (!mf_top_) mf_arena_reset();
    uintptr_t p = mf_top_, end = p + size;
    if (end < p) return 0;
    uintptr_t have = __builtin_wasm_memory_size(0) * 65536u;
    if (end > have) {
        uintptr_t pages = (end - have + 65535u) / 65536u;
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return 0;
    }
    mf_top_ = MF_ALIGN8(end);
    return (void *)p;
}

MF_EXPORT(mayfly_abi_version) int32_t mayfly_abi_version(void) { return MAYFLY_ABI_VERSION; }
MF_EXPORT(mayfly_alloc) void *mayfly_alloc(uint32_t size) { return mf_alloc(size); }

/* clang may lower struct copies and loops to calls of these; no_builtin keeps
 * the loops below from being turned back into calls to themselves. */
__attribute__((no_builtin)) void *memcpy(void *d, const void *s, size_t n) {
    unsigned char *dp = (unsigned char *)d; const unsigned char *sp = (const unsigned char *)s;
    while (n--) *dp++ = *sp++;
    return d;
}
__attribute__((no_builtin)) void *memmove(void *d, const void *s, size_t n) {
    unsigned char *dp = (unsigned char *)d; const unsigned char *sp = (const unsigned char *)s;
    if (dp < sp) { while (n--) *dp++ = *sp++; }
    else { dp += n; sp += n; while (n--) *--dp = *--sp; }
    return d;
}
__attribute__((no_builtin)) void *memset(void *d, int c, size_t n) {
    unsigned char *dp = (unsigned char *)d;
    while (n--) *dp++ = (unsigned char)c;
    return d;
}
__attribute__((no_builtin)) int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (; n; n--, x++, y++) if (*x != *y) return *x - *y;
    return 0;
}

#endif /* MAYFLY_IMPLEMENTATION */
#endif /* MAYFLY_H */
