/*
 * sensor.c - one IoT sensor: a sliding window of its last 32 readings in short-term state,
 * rolling mean and standard deviation, an alert on an outlier (Mayfly ABI v1).
 *
 * Actor id: "<site>.<n>", e.g. sensor/s1.17 belongs to site s1 (see anomaly.h).
 *
 * TELL: a reading, at least 8 bytes (the simulators send 64); bytes 0..7 are the value as a
 *   little-endian IEEE-754 double, the rest is ignored. Shorter payloads fail the turn with
 *   application error 1. If the window holds at least 8 values, its population standard
 *   deviation s is > 0 and |x - mean| > 3 s (window taken before x is inserted), the actor
 *     - publishes to "alerts/<site>/<own id>" 16 bytes: x then mean (f64 LE), and
 *     - sends to "site/<site>" an alert report (alert_report_t, 32 bytes).
 *   Then x goes into the window (outliers too) and the window is written back.
 * ASK: replies 16 bytes, mean (f64 LE, 0 for an empty window) then count (f64 LE: values in
 *   the window), without inserting anything.
 * Other message kinds are ignored.
 *
 * State key "w", 272 bytes, little-endian:
 *   bytes   0..255  ring of 32 f64 values, slot i at offset 8*i
 *   bytes 256..259  count: u32, valid values (0..32); while count < 32 they are slots 0..count-1
 *   bytes 260..263  next:  u32, the slot the next value goes to (0..31)
 *   bytes 264..271  total: u64, readings handled so far
 * A value of any other length fails the turn with application error 2.
 *
 * TTL: none set here; deploy the type with after-access 10 minutes (the node's default), so a
 * sensor that stops reporting is forgotten 10 minutes after its last reading or ask.
 */
#define MAYFLY_IMPLEMENTATION
#include "anomaly.h"

#define WINDOW 32
#define MIN_COUNT 8

typedef struct {
    double v[WINDOW];
    uint32_t count;
    uint32_t next;
    uint64_t total;
} window_t;

_Static_assert(sizeof(window_t) == 272, "window layout");

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

static int32_t alert(double x, double mean, double sd, uint64_t readings) {
    mf_buf id;
    if (mf_self_id(&id) < 0) return 5;
    const uint8_t *site; uint32_t site_len;
    site_of(id.ptr, id.len, &site, &site_len);

    char *topic = cat4("alerts/", site, site_len, "/", id.ptr, id.len);
    char *to = mf_concat("site/", site, site_len);
    if (!topic || !to) return 6;
    double payload[2] = { x, mean };
    if (mf_publish(topic, payload, sizeof payload) < 0) return 3;
    alert_report_t report = { x, mean, sd, readings };
    if (mf_send(to, &report, sizeof report) < 0) return 3;
    return 0;
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
    w.total++;

    if (w.count >= MIN_COUNT && sd > 0 && __builtin_fabs(x - mean) > 3 * sd) {
        int32_t rc = alert(x, mean, sd, w.total);
        if (rc) return rc;
    }

    w.v[w.next] = x;
    w.next = (w.next + 1) % WINDOW;
    if (w.count < WINDOW) w.count++;
    return mf_state_put("w", &w, sizeof w) < 0 ? 4 : 0;
}

MAYFLY_HANDLER(handle)
