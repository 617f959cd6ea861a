// @NAME@: a Mayfly actor in AssemblyScript on the SDK in mayfly-sdk (actor ABI v1).
//
// It counts the messages each actor receives, in its short-term state under the key "count",
// logs each one, and answers an ask with the count in decimal. State is kept between messages
// for the type's TTL (10 minutes after the last access by default).
import * as mayfly from "../mayfly-sdk/assembly/index";
import { Kind, Level, state } from "../mayfly-sdk/assembly/index";
// The two fixed exports of every actor.
export { mayfly_abi_version, mayfly_alloc } from "../mayfly-sdk/assembly/index";

function onMessage(payload: Uint8Array): i32 {
  const old = state.get("count");
  const count: u32 = (old != null && old.length == 4 ? load<u32>(old.dataStart) : 0) + 1;
  const bytes = new Uint8Array(4);
  store<u32>(bytes.dataStart, count);
  if (state.put("count", bytes) < 0) return 1; // a non-zero result fails the turn
  mayfly.log(Level.Info, "message " + count.toString());
  if (mayfly.messageKind() == Kind.Ask) mayfly.reply(count.toString());
  return 0;
}

export function mayfly_handle(ptr: usize, len: usize): i32 {
  return mayfly.handle(ptr, len, onMessage);
}
