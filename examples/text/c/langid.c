/*
 * langid.c - identifies the language (en, de, fr, es, it) of a UTF-8 text with a
 * character-trigram naive Bayes model, one actor per source/entity. See ../README.md.
 *
 * The model comes from the node's read-only shared data under "text/trigrams"
 * (examples/text/model/trigrams.bin, layout in the README); the actor reads it every
 * turn and caches nothing: guest memory is not state.
 *
 * ASK  UTF-8 text (non-empty, valid) -> reply: 2-byte code | f32 scores[5] (22 bytes, LE)
 * TELL UTF-8 text                    -> publishes the same 22 bytes on text/<id>/language
 * Every identification increments its language's count in state "c" (u32[5], LE).
 *
 * The arithmetic is binary32 in text order and must stay in step with
 * mayfly-examples/.../text/LanguageModel.java, which the test compares bit for bit.
 * Errors: 1 malformed payload (empty or invalid UTF-8), 2 model missing or malformed,
 * 3 host refused, 4 out of memory.
 */
#define MAYFLY_IMPLEMENTATION
#include "mayfly.h"

#define LANGS 5
#define BUCKETS 4096
#define MODEL_BYTES (16 + 4 * LANGS + 4 * LANGS * BUCKETS)
#define REPLY_BYTES (2 + 4 * LANGS)

static inline float ldf(const uint8_t *p) { float f; __builtin_memcpy(&f, p, 4); return f; }
static inline uint32_t ldu(const uint8_t *p) { uint32_t v; __builtin_memcpy(&v, p, 4); return v; }

/* strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF */
static int valid_utf8(const uint8_t *s, uint32_t n) {
    uint32_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        uint32_t k, cp;
        if (c < 0x80) { i++; continue; }
        else if (c >= 0xC2 && c <= 0xDF) { k = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { k = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { k = 3; cp = c & 0x07; }
        else return 0;
        if (n - i <= k) return 0;
        for (uint32_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += k + 1;
    }
    return 1;
}

static inline uint32_t bucket(uint8_t a, uint8_t b, uint8_t c) {
    uint32_t h = 0x811c9dc5u;
    h = (h ^ a) * 0x01000193u;
    h = (h ^ b) * 0x01000193u;
    h = (h ^ c) * 0x01000193u;
    return h & (BUCKETS - 1);
}

/* byte i of " " + text + " " */
static inline uint8_t at(const uint8_t *t, uint32_t n, uint32_t i) {
    return (i == 0 || i == n + 1) ? (uint8_t)' ' : t[i - 1];
}

static int identify(const uint8_t *m, const uint8_t *t, uint32_t n, float *scores) {
    const uint8_t *logp = m + 16 + 4 * LANGS;
    for (int l = 0; l < LANGS; l++) {
        const uint8_t *row = logp + 4 * BUCKETS * l;
        float sum = 0.0f;
        for (uint32_t i = 0; i + 2 < n + 2; i++)
            sum += ldf(row + 4 * bucket(at(t, n, i), at(t, n, i + 1), at(t, n, i + 2)));
        scores[l] = sum;
    }
    int best = 0;
    for (int l = 1; l < LANGS; l++) if (scores[l] > scores[best]) best = l;
    return best;
}

static int32_t count(int lang) {
    mf_buf old;
    uint8_t c[4 * LANGS] = {0};
    if (mf_state_get("c", &old) == 0 && old.len == sizeof c) __builtin_memcpy(c, old.ptr, sizeof c);
    uint32_t v = ldu(c + 4 * lang) + 1;
    __builtin_memcpy(c + 4 * lang, &v, 4);
    return mf_state_put("c", c, sizeof c) == 0 ? 0 : 3;
}

static int32_t handle(const uint8_t *payload, uint32_t len) {
    int32_t kind = mayfly_message_kind();
    if (kind != MF_KIND_TELL && kind != MF_KIND_ASK) return 0; /* nothing else is expected */
    if (len == 0 || !valid_utf8(payload, len)) return 1;

    mf_buf m;
    if (mf_shared_get("text/trigrams", &m) != 0 || m.len != MODEL_BYTES) return 2;
    if (ldu(m.ptr) != 0x3154464du /* "MFT1" */ || ldu(m.ptr + 4) != LANGS ||
        ldu(m.ptr + 8) != BUCKETS || ldu(m.ptr + 12) != 0)
        return 2;

    float scores[LANGS];
    uint8_t out[REPLY_BYTES];
    int lang = identify(m.ptr, payload, len, scores);
    out[0] = m.ptr[16 + 4 * lang];
    out[1] = m.ptr[16 + 4 * lang + 1];
    __builtin_memcpy(out + 2, scores, sizeof scores); /* wasm32 is little-endian */

    int32_t rc = count(lang);
    if (rc) return rc;
    if (kind == MF_KIND_ASK) return mf_reply(out, REPLY_BYTES) == 0 ? 0 : 3;

    mf_buf id;
    if (mf_self_id(&id) != 0) return 3;
    char *topic = mf_concat("text/", id.ptr, id.len);
    if (!topic) return 4;
    char *t = mf_concat(topic, (const uint8_t *)"/language", 9);
    if (!t) return 4;
    return mf_publish(t, out, REPLY_BYTES) == 0 ? 0 : 3;
}

MAYFLY_HANDLER(handle)
