/*
 * digits.c - classifies a handwritten 8x8 digit with a small neural network
 * (64 -> 32 ReLU -> 10 softmax), one actor per camera/entity. See ../README.md.
 *
 * The weights come from the node's read-only shared data under "digits/weights"
 * (examples/digits/model/weights.bin, layout in the README); the actor reads them
 * every turn and caches nothing: guest memory is not state.
 *
 * ASK  64 bytes (pixels 0..16)   -> reply: u8 digit | f32 scores[10] (41 bytes, LE)
 * TELL 64 bytes                  -> publishes the same 41 bytes on digits/<id>/prediction
 * ASK  0 bytes                   -> reply: this actor's history (state key "h")
 * Every classification appends to "h": u32 count | the last <= 8 digits, oldest first.
 *
 * The arithmetic is binary32 in a fixed order and must stay in step with
 * mayfly-examples/.../digits/DigitsModel.java, which the test compares bit for bit.
 * Errors: 1 malformed payload, 2 weights missing or malformed, 3 host refused, 4 out of memory.
 */
#define MAYFLY_IMPLEMENTATION
#include "mayfly.h"

#define IN 64
#define HID 32
#define OUT 10
#define HISTORY 8
#define WEIGHTS_BYTES (16 + 4 * (HID * IN + HID + OUT * HID + OUT))
#define REPLY_BYTES (1 + 4 * OUT)

/* shared data has no alignment promise: load through memcpy (an unaligned f32.load) */
static inline float ldf(const uint8_t *p) { float f; __builtin_memcpy(&f, p, 4); return f; }
static inline uint32_t ldu(const uint8_t *p) { uint32_t v; __builtin_memcpy(&v, p, 4); return v; }

/* e^x for x <= 0, the same steps as DigitsModel.exp */
static float mf_expf(float x) {
    if (x < -87.0f) return 0.0f;
    int32_t k = (int32_t)(x * 1.442695f);
    float r = x - (float)k * 0.6931472f;
    float p = 1.0f + r * (1.0f + r * (0.5f + r * (0.16666667f + r * (0.041666668f + r * 0.008333334f))));
    uint32_t bits = (uint32_t)(k + 127) << 23;
    float scale;
    __builtin_memcpy(&scale, &bits, 4);
    return p * scale;
}

/* scores[OUT] of 64 pixels; returns the predicted digit */
static int classify(const uint8_t *w, const uint8_t *pixels, float *scores) {
    const uint8_t *w1 = w + 16, *b1 = w1 + 4 * HID * IN, *w2 = b1 + 4 * HID, *b2 = w2 + 4 * OUT * HID;
    float x[IN], h[HID];
    for (int i = 0; i < IN; i++) x[i] = (float)pixels[i] * 0.0625f;
    for (int j = 0; j < HID; j++) {
        float s = ldf(b1 + 4 * j);
        for (int i = 0; i < IN; i++) s += ldf(w1 + 4 * (j * IN + i)) * x[i];
        h[j] = s > 0.0f ? s : 0.0f;
    }
    float max = 0.0f;
    for (int k = 0; k < OUT; k++) {
        float s = ldf(b2 + 4 * k);
        for (int j = 0; j < HID; j++) s += ldf(w2 + 4 * (k * HID + j)) * h[j];
        scores[k] = s;
        if (k == 0 || s > max) max = s;
    }
    float sum = 0.0f;
    for (int k = 0; k < OUT; k++) { scores[k] = mf_expf(scores[k] - max); sum += scores[k]; }
    for (int k = 0; k < OUT; k++) scores[k] = scores[k] / sum;
    int best = 0;
    for (int k = 1; k < OUT; k++) if (scores[k] > scores[best]) best = k;
    return best;
}

/* appends the digit to "h": u32 count | last HISTORY digits, oldest first */
static int32_t remember(int digit) {
    mf_buf old;
    uint8_t h[4 + HISTORY];
    uint32_t count = 0, n = 0;
    if (mf_state_get("h", &old) == 0 && old.len >= 4 && old.len <= 4 + HISTORY) {
        count = ldu(old.ptr);
        n = old.len - 4;
        __builtin_memcpy(h + 4, old.ptr + 4, n);
    }
    if (n == HISTORY) { __builtin_memmove(h + 4, h + 5, HISTORY - 1); n--; }
    h[4 + n++] = (uint8_t)digit;
    count++;
    __builtin_memcpy(h, &count, 4);
    return mf_state_put("h", h, 4 + n) == 0 ? 0 : 3;
}

static int32_t handle(const uint8_t *payload, uint32_t len) {
    int32_t kind = mayfly_message_kind();
    if (kind != MF_KIND_TELL && kind != MF_KIND_ASK) return 0; /* nothing else is expected */
    if (len == 0 && kind == MF_KIND_ASK) {
        mf_buf h;
        mf_state_get("h", &h);
        return mf_reply(h.ptr, h.len) == 0 ? 0 : 3;
    }
    if (len != IN) return 1;
    for (uint32_t i = 0; i < IN; i++) if (payload[i] > 16) return 1;

    mf_buf w;
    if (mf_shared_get("digits/weights", &w) != 0 || w.len != WEIGHTS_BYTES) return 2;
    if (ldu(w.ptr) != 0x3144464du /* "MFD1" */ || ldu(w.ptr + 4) != IN || ldu(w.ptr + 8) != HID ||
        ldu(w.ptr + 12) != OUT)
        return 2;

    float scores[OUT];
    uint8_t out[REPLY_BYTES];
    int digit = classify(w.ptr, payload, scores);
    out[0] = (uint8_t)digit;
    __builtin_memcpy(out + 1, scores, sizeof scores); /* wasm32 is little-endian */

    int32_t rc = remember(digit);
    if (rc) return rc;
    if (kind == MF_KIND_ASK) return mf_reply(out, REPLY_BYTES) == 0 ? 0 : 3;

    mf_buf id;
    if (mf_self_id(&id) != 0) return 3;
    char *topic = mf_concat("digits/", id.ptr, id.len);
    if (!topic) return 4;
    char *t = mf_concat(topic, (const uint8_t *)"/prediction", 11);
    if (!t) return 4;
    return mf_publish(t, out, REPLY_BYTES) == 0 ? 0 : 3;
}

MAYFLY_HANDLER(handle)
