/* @NAME@: a Mayfly actor in C on the SDK in mayfly-sdk/mayfly.h (actor ABI v1).
 *
 * It counts the messages each actor receives, in its short-term state under the key "count",
 * logs each one, and answers an ask with the count in decimal. State is kept between messages
 * for the type's TTL (10 minutes after the last access by default). */
#define MAYFLY_IMPLEMENTATION
#include "mayfly.h"

/* Writes n in decimal to out (at least 10 bytes); returns the length. */
static uint32_t decimal(uint32_t n, char *out) {
    char digits[10];
    uint32_t len = 0, i = 0;
    do digits[len++] = (char)('0' + n % 10); while ((n /= 10) != 0);
    while (len) out[i++] = digits[--len];
    return i;
}

static int32_t handle(const uint8_t *payload, uint32_t len) {
    (void)payload;
    (void)len;
    mf_buf old;
    uint32_t count = 0;
    if (mf_state_get("count", &old) == 0 && old.len == 4) __builtin_memcpy(&count, old.ptr, 4);
    count++;
    if (mf_state_put("count", &count, 4) < 0) return 1; /* a non-zero result fails the turn */

    char line[32] = "message ";
    uint32_t n = 8 + decimal(count, line + 8);
    mayfly_log(MF_LOG_INFO, line, n);
    if (mayfly_message_kind() == MF_KIND_ASK) mf_reply(line + 8, n - 8);
    return 0;
}
MAYFLY_HANDLER(handle)
