/*
 * anomaly.h - what the sensor and site actors share: the messages they exchange
 * and small helpers. See examples/sensor-anomaly/README.md for the protocol.
 */
#ifndef ANOMALY_H
#define ANOMALY_H

#include "mayfly.h"

/* sensor -> site/<site>, on every alert (TELL, 32 bytes, little-endian). */
typedef struct {
    double value;      /* the reading that was flagged */
    double mean;       /* the window's mean before it */
    double sd;         /* the window's population standard deviation before it */
    uint64_t readings; /* readings this sensor has handled, this one included */
} alert_report_t;

_Static_assert(sizeof(alert_report_t) == 32, "alert report layout");

/* site -> ASK reply and sites/<site>/summary (24 bytes, little-endian). */
typedef struct {
    uint32_t sensors;  /* sensors that reported to this site */
    uint32_t kept;     /* alerts held in the site's "last alerts" ring (0..8) */
    uint64_t readings; /* sum of each sensor's reading count at its latest report */
    uint64_t alerts;   /* alerts reported to this site */
} site_summary_t;

_Static_assert(sizeof(site_summary_t) == 24, "site summary layout");

/* The site of a sensor id "<site>.<n>": everything before the last '.'; an id
 * without a '.' (or starting with one) belongs to the site "default". */
static inline void site_of(const uint8_t *id, uint32_t n, const uint8_t **site, uint32_t *len) {
    uint32_t dot = n;
    for (uint32_t i = 0; i < n; i++) if (id[i] == '.') dot = i;
    if (dot == n || dot == 0) { *site = (const uint8_t *)"default"; *len = 7; return; }
    *site = id; *len = dot;
}

/* The id part of an address "type/id". */
static inline void id_of(mf_buf *addr) {
    for (uint32_t i = 0; i < addr->len; i++)
        if (addr->ptr[i] == '/') { addr->ptr += i + 1; addr->len -= i + 1; return; }
}

/* A NUL-terminated arena copy of a ++ b ++ c ++ d (each b/d of explicit length); 0 when out of memory. */
static inline char *cat4(const char *a, const uint8_t *b, uint32_t bn, const char *c,
                         const uint8_t *d, uint32_t dn) {
    uint32_t an = mf_strlen(a), cn = mf_strlen(c);
    char *s = (char *)mf_alloc(an + bn + cn + dn + 1);
    if (!s) return 0;
    char *p = s;
    __builtin_memcpy(p, a, an); p += an;
    if (bn) __builtin_memcpy(p, b, bn); p += bn;
    __builtin_memcpy(p, c, cn); p += cn;
    if (dn) __builtin_memcpy(p, d, dn); p += dn;
    *p = 0;
    return s;
}

#endif /* ANOMALY_H */
