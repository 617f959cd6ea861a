// The raw host imports of Mayfly ABI v1, exactly as docs/abi.md lists them (namespace "mayfly").
// Prefer the typed helpers in index.ts; these are for what they cannot express (an unknown TTL
// policy code, a negative duration) and for tests of the host itself.

// the current message
@external("mayfly", "self") export declare function self(): i64;
@external("mayfly", "sender") export declare function sender(): i64;
@external("mayfly", "message_kind") export declare function message_kind(): i32;
@external("mayfly", "correlation_id") export declare function correlation_id(): i64;
@external("mayfly", "reply_status") export declare function reply_status(): i32;
@external("mayfly", "topic") export declare function topic(): i64;
@external("mayfly", "now_ms") export declare function now_ms(): i64;
@external("mayfly", "log") export declare function log(level: i32, ptr: usize, len: usize): void;
// short-term state
@external("mayfly", "state_get") export declare function state_get(kptr: usize, klen: usize): i64;
@external("mayfly", "state_put")
export declare function state_put(kptr: usize, klen: usize, vptr: usize, vlen: usize): i32;
@external("mayfly", "state_delete") export declare function state_delete(kptr: usize, klen: usize): i32;
@external("mayfly", "state_clear") export declare function state_clear(): void;
@external("mayfly", "state_ttl")
export declare function state_ttl(kptr: usize, klen: usize, policy: i32, ttl_ms: i64): i32;
@external("mayfly", "actor_ttl") export declare function actor_ttl(policy: i32, ttl_ms: i64): i32;
// talking to others
@external("mayfly", "send")
export declare function send(aptr: usize, alen: usize, mptr: usize, mlen: usize): i32;
@external("mayfly", "ask")
export declare function ask(aptr: usize, alen: usize, mptr: usize, mlen: usize, timeout_ms: i64): i64;
@external("mayfly", "reply") export declare function reply(mptr: usize, mlen: usize): i32;
@external("mayfly", "reply_handle") export declare function reply_handle(): i64;
@external("mayfly", "reply_to")
export declare function reply_to(hptr: usize, hlen: usize, mptr: usize, mlen: usize): i32;
@external("mayfly", "publish")
export declare function publish(tptr: usize, tlen: usize, mptr: usize, mlen: usize): i32;
@external("mayfly", "subscribe") export declare function subscribe(fptr: usize, flen: usize): i32;
@external("mayfly", "unsubscribe") export declare function unsubscribe(fptr: usize, flen: usize): i32;
@external("mayfly", "timer_set")
export declare function timer_set(delay_ms: i64, mptr: usize, mlen: usize): i64;
@external("mayfly", "timer_cancel") export declare function timer_cancel(id: i64): i32;
// read-only shared data
@external("mayfly", "shared_get") export declare function shared_get(kptr: usize, klen: usize): i64;
