/*
 * site.c - the per-site aggregator of the sensor-anomaly example (Mayfly ABI v1).
 *
 * Actor id: the site, e.g. site/s1 aggregates the sensors sensor/s1.<n>.
 *
 * TELL from a sensor: an alert report (alert_report_t, 32 bytes; anything else fails the turn
 *   with application error 1). The site counts it for the sending sensor, remembers it in its
 *   ring of the last 8 alerts, and publishes its summary to "sites/<site>/summary" after every
 *   10th alert since the last summary. The first alert after a summary also arms a 60 s timer;
 *   when it fires, the alerts since the last summary (if any) are summarized then. So a summary
 *   comes out at most 60 s after an alert, and a burst of alerts gives one per 10 alerts.
 * ASK (any payload): replies the summary (site_summary_t, 24 bytes).
 * TIMER: as above. Other kinds are ignored.
 * Expiry (mayfly_on_expire): publishes a last summary before the state is dropped.
 *
 * State (little-endian):
 *   "t"       totals_t, 40 bytes (below)
 *   "n/<id>"  per sensor, 16 bytes: readings u64 (the sensor's count at its latest report),
 *             alerts u64
 *   "l"       the last 8 alerts: u32 head (next slot), u32 used, then 8 entries of 64 bytes:
 *             time_ms i64, value f64, mean f64, id_len u32, pad u32, id (first 32 bytes)
 *
 * TTL: none set here; deploy the type with after-write (e.g. 1 hour): the site is kept while
 * alerts keep arriving, and asks (which do not write) do not keep it alive.
 * Errors: 1 malformed report, 2 corrupt state, 3 the host refused an effect, 6 out of memory.
 */
#define MAYFLY_IMPLEMENTATION
#include "anomaly.h"

#define SUMMARY_EVERY_ALERTS 10
#define SUMMARY_AFTER_MS 60000
#define KEEP 8
#define ID_BYTES 32

typedef struct {
    uint32_t sensors;
    uint32_t since;    /* alerts since the last summary */
    uint64_t readings;
    uint64_t alerts;
    int64_t timer;     /* the armed summary timer, 0 if none */
    uint64_t summaries;
} totals_t;

typedef struct {
    int64_t time_ms;
    double value;
    double mean;
    uint32_t id_len;
    uint32_t pad;
    uint8_t id[ID_BYTES];
} last_t;

typedef struct {
    uint32_t head;
    uint32_t used;
    last_t e[KEEP];
} ring_t;

typedef struct { uint64_t readings; uint64_t alerts; } counts_t;

_Static_assert(sizeof(totals_t) == 40, "totals layout");
_Static_assert(sizeof(last_t) == 64, "ring entry layout");
_Static_assert(sizeof(ring_t) == 8 + KEEP * 64, "ring layout");

static int32_t load(const char *key, void *out, uint32_t n) {
    mf_buf cur;
    if (mf_state_get(key, &cur) < 0) { __builtin_memset(out, 0, n); return 0; }
    if (cur.len != n) return 2;
    __builtin_memcpy(out, cur.ptr, n);
    return 0;
}

static void summary_of(const totals_t *t, uint32_t kept, site_summary_t *s) {
    s->sensors = t->sensors;
    s->kept = kept;
    s->readings = t->readings;
    s->alerts = t->alerts;
}

static int32_t publish_summary(totals_t *t, uint32_t kept) {
    mf_buf id;
    if (mf_self_id(&id) < 0) return 3;
    char *topic = cat4("sites/", id.ptr, id.len, "/summary", 0, 0);
    if (!topic) return 6;
    site_summary_t s;
    summary_of(t, kept, &s);
    if (mf_publish(topic, &s, sizeof s) < 0) return 3;
    t->since = 0;
    t->summaries++;
    return 0;
}

static int32_t on_report(const uint8_t *payload, uint32_t len, totals_t *t) {
    if (len != sizeof(alert_report_t)) return 1;
    alert_report_t r;
    __builtin_memcpy(&r, payload, sizeof r);
    mf_buf sensor;
    if (mf_sender(&sensor) < 0) return 1; /* reports come from sensor actors */
    id_of(&sensor);

    /* per-sensor counts */
    char *key = mf_concat("n/", sensor.ptr, sensor.len);
    if (!key) return 6;
    counts_t c;
    int32_t rc = load(key, &c, sizeof c);
    if (rc) return rc;
    if (c.alerts == 0 && c.readings == 0) t->sensors++;
    if (r.readings > c.readings) { t->readings += r.readings - c.readings; c.readings = r.readings; }
    c.alerts++;
    t->alerts++;
    t->since++;
    if (mf_state_put(key, &c, sizeof c) < 0) return 3;

    /* the ring of last alerts */
    ring_t ring;
    if ((rc = load("l", &ring, sizeof ring))) return rc;
    last_t *e = &ring.e[ring.head];
    e->time_ms = mayfly_now_ms();
    e->value = r.value;
    e->mean = r.mean;
    e->id_len = sensor.len < ID_BYTES ? sensor.len : ID_BYTES;
    e->pad = 0;
    __builtin_memset(e->id, 0, ID_BYTES);
    __builtin_memcpy(e->id, sensor.ptr, e->id_len);
    ring.head = (ring.head + 1) % KEEP;
    if (ring.used < KEEP) ring.used++;
    if (mf_state_put("l", &ring, sizeof ring) < 0) return 3;

    if (t->since >= SUMMARY_EVERY_ALERTS) {
        if ((rc = publish_summary(t, ring.used))) return rc;
        if (t->timer > 0) { mayfly_timer_cancel(t->timer); t->timer = 0; }
    } else if (t->timer == 0) {
        int64_t id = mayfly_timer_set(SUMMARY_AFTER_MS, 0, 0);
        if (id < 0) return 3;
        t->timer = id;
    }
    return 0;
}

static uint32_t kept(void) {
    ring_t ring;
    return load("l", &ring, sizeof ring) ? 0 : ring.used;
}

static int32_t handle(const uint8_t *payload, uint32_t len) {
    int32_t kind = mayfly_message_kind();
    totals_t t;
    int32_t rc = load("t", &t, sizeof t);
    if (rc) return rc;

    switch (kind) {
    case MF_KIND_ASK: {
        site_summary_t s;
        summary_of(&t, kept(), &s);
        return mf_reply(&s, sizeof s) < 0 ? 3 : 0; /* no write: asks do not renew the TTL */
    }
    case MF_KIND_TELL:
        if ((rc = on_report(payload, len, &t))) return rc;
        break;
    case MF_KIND_TIMER:
        if (mayfly_correlation_id() != t.timer) return 0; /* a cancelled timer's late firing */
        t.timer = 0;
        if (t.since > 0 && (rc = publish_summary(&t, kept()))) return rc;
        break;
    default:
        return 0;
    }
    return mf_state_put("t", &t, sizeof t) < 0 ? 3 : 0;
}

/* The site is being dropped (TTL or memory budget): one last summary. */
static int32_t expire(void) {
    totals_t t;
    if (load("t", &t, sizeof t)) return 2;
    return publish_summary(&t, kept());
}

MAYFLY_HANDLER(handle)
MAYFLY_ON_EXPIRE(expire)
