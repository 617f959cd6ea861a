/*
 * workflow.h - little-endian helpers and the byte transform shared by the
 * workflow actors (stage.c, coordinator.c, worker.c). See ../README.md.
 */
#ifndef WORKFLOW_H
#define WORKFLOW_H

#include "mayfly.h"

static inline uint32_t wf_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void wf_put_u32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

/* The transform of step k (a stage number or a worker index): every byte b
 * becomes (b XOR k) + 1, modulo 256. Cheap, but it touches every byte and
 * differs per step, so a skipped or repeated step shows in the result. */
static inline void wf_transform(uint8_t *dst, const uint8_t *src, uint32_t n, uint32_t k) {
    uint8_t key = (uint8_t)k;
    for (uint32_t i = 0; i < n; i++) dst[i] = (uint8_t)((src[i] ^ key) + 1);
}

/* Parses the decimal id of this actor's address (stage/3 -> 3); 0 if it is not one. */
static inline uint32_t wf_self_number(void) {
    mf_buf id;
    if (mf_self_id(&id) < 0 || id.len == 0 || id.len > 9) return 0;
    uint32_t v = 0;
    for (uint32_t i = 0; i < id.len; i++) {
        if (id.ptr[i] < '0' || id.ptr[i] > '9') return 0;
        v = v * 10 + (id.ptr[i] - '0');
    }
    return v;
}

/* A NUL-terminated arena string prefix + decimal v ("stage/" + 4 -> "stage/4"). */
static inline char *wf_address(const char *prefix, uint32_t v) {
    uint8_t digits[10];
    uint32_t n = 0;
    do { digits[9 - n] = (uint8_t)('0' + v % 10); v /= 10; n++; } while (v);
    return mf_concat(prefix, digits + 10 - n, n);
}

#endif /* WORKFLOW_H */
