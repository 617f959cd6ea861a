/*
 * worker.c - a fan-out worker (Mayfly ABI v1): transforms what the coordinator
 * scatters to it and answers. Keeps no state; any id works (the coordinator uses
 * worker/1 .. worker/K).
 *
 * ASK: u32 i (LE, worker index, the transform key) | u32 flags | data
 *   Replies wf_transform(data, i), the same length as data.
 *   flags bit 0 ("mute", fault injection for the deadline path): take the reply
 *   handle and never use it, as a worker that hangs would; the asker sees a
 *   TIMEOUT (or its own deadline) instead of an answer.
 * Other message kinds are ignored.
 *
 * Application errors: 1 malformed request, 3 the reply was refused.
 */
#define MAYFLY_IMPLEMENTATION
#include "workflow.h"

#define FLAG_MUTE 1u

static int32_t handle(uint8_t *payload, uint32_t len) {
    if (mayfly_message_kind() != MF_KIND_ASK) return 0;
    if (len < 8) return 1;
    uint32_t index = wf_u32(payload), flags = wf_u32(payload + 4);
    if (flags & FLAG_MUTE) {
        mf_buf dropped; /* taking the handle counts as answering: no no_reply failure */
        return mf_reply_handle(&dropped) < 0 ? 3 : 0;
    }
    uint8_t *data = payload + 8;
    wf_transform(data, data, len - 8, index);
    return mf_reply(data, len - 8) < 0 ? 3 : 0;
}

MAYFLY_HANDLER(handle)
