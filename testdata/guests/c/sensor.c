/*
 * sensor.c - IoT sliding-window anomaly detector (Mayfly ABI v1).
 *
 * TELL: payload is a 64-byte reading; bytes 0..7 are the value as a little-endian
 *   IEEE-754 double, the rest is ignored (payloads shorter than 8 bytes fail the
 *   turn with application error 1). If the window holds at least 8 values, its
 *   population standard deviation s is > 0 and |x - mean| > 3 s (window taken
 *   before x is inserted), it publishes to "alerts/<own id>" 16 bytes: x (f64 LE)
 *   then mean (f64 LE). Then x is inserted and the window is written back.
 * ASK: replies 16 bytes, mean (f64 LE, 0 for an empty window) then count (f64 LE),
 *   without inserting anything.
 * Other message kinds are ignored.
 *
 * State key "w", 264 bytes, little-endian:
 *   bytes   0..255  ring of 32 f64 values, slot i at offset 8*i
 *   bytes 256..259  count: u32, number of valid values (0..32)
 *   bytes 260..263  next:  u32, slot the next value goes to (0..31)
 * While count < 32 the valid values are slots 0..count-1; then all 32.
 * An absent key is an empty window; a value of any other length fails the turn
 * with application error 2.
 */
#define MAYFLY_IMPLEMENTATION
#include "mayfly.h"

#define WINDOW 32
#define MIN_COUNT 8

typedef struct {
    double v[WINDOW];
    uint32_t count;
    uint32_t next;
} window_t;

_Static_assert(sizeof(window_t) == 264, "window layout");

static void stats(const window_t *w, double *mean, double *sd) {
    double sum = 0, var = 0;
    uint32_t n = w->count;
    *mean = 0; *sd = 0;
    if (n == 0) return;
    for (uint32_t i = 0; i < n; i++) sum += w->v[i];
    double m = sum / n;
    for (uint32_t i = 0; i < n; i++) { double d = w->v[i] - m; var += d * d; }
    *mean = m;
    *sd = __builtin_sqrt(var / n); /* f64.sqrt, no libm */
}

static int32_t handle(const uint8_t *payload, uint32_t len) {
    window_t w;
    mf_buf cur;
    int32_t kind = mayfly_message_kind();
    if (kind != MF_KIND_TELL && kind != MF_KIND_ASK) return 0;

    if (mf_state_get("w", &cur) == 0) {
        if (cur.len != sizeof w) return 2;
        __builtin_memcpy(&w, cur.ptr, sizeof w);
    } else {
        __builtin_memset(&w, 0, sizeof w);
    }

    double mean, sd;
    stats(&w, &mean, &sd);

    if (kind == MF_KIND_ASK) {
        double out[2] = { mean, (double)w.count };
        return mf_reply(out, sizeof out) < 0 ? 3 : 0;
    }

    if (len < 8) return 1;
    double x;
    __builtin_memcpy(&x, payload, 8);

    if (w.count >= MIN_COUNT && sd > 0 && __builtin_fabs(x - mean) > 3 * sd) {
        mf_buf id;
        if (mf_self_id(&id) == 0) {
            char *topic = mf_concat("alerts/", id.ptr, id.len);
            double alert[2] = { x, mean };
            if (topic) mf_publish(topic, alert, sizeof alert);
        }
    }

    w.v[w.next] = x;
    w.next = (w.next + 1) % WINDOW;
    if (w.count < WINDOW) w.count++;
    return mf_state_put("w", &w, sizeof w) < 0 ? 4 : 0;
}

MAYFLY_HANDLER(handle)
