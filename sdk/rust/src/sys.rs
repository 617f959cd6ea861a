//! The raw host imports of ABI v1, exactly as `docs/abi.md` lists them (namespace `mayfly`).
//!
//! Prefer the safe functions of the crate root; these are here for what they cannot express
//! (an out-of-range TTL policy code, a negative duration) and for tests of the host itself.

#[link(wasm_import_module = "mayfly")]
extern "C" {
    #[link_name = "self"]
    pub fn self_() -> i64;
    pub fn sender() -> i64;
    pub fn message_kind() -> i32;
    pub fn correlation_id() -> i64;
    pub fn reply_status() -> i32;
    pub fn topic() -> i64;
    pub fn now_ms() -> i64;
    pub fn log(level: i32, ptr: *const u8, len: usize);

    pub fn state_get(kptr: *const u8, klen: usize) -> i64;
    pub fn state_put(kptr: *const u8, klen: usize, vptr: *const u8, vlen: usize) -> i32;
    pub fn state_delete(kptr: *const u8, klen: usize) -> i32;
    pub fn state_clear();
    pub fn state_ttl(kptr: *const u8, klen: usize, policy: i32, ttl_ms: i64) -> i32;
    pub fn actor_ttl(policy: i32, ttl_ms: i64) -> i32;

    pub fn send(aptr: *const u8, alen: usize, mptr: *const u8, mlen: usize) -> i32;
    pub fn ask(aptr: *const u8, alen: usize, mptr: *const u8, mlen: usize, timeout_ms: i64) -> i64;
    pub fn reply(mptr: *const u8, mlen: usize) -> i32;
    pub fn reply_handle() -> i64;
    pub fn reply_to(hptr: *const u8, hlen: usize, mptr: *const u8, mlen: usize) -> i32;
    pub fn publish(tptr: *const u8, tlen: usize, mptr: *const u8, mlen: usize) -> i32;
    pub fn subscribe(fptr: *const u8, flen: usize) -> i32;
    pub fn unsubscribe(fptr: *const u8, flen: usize) -> i32;
    pub fn timer_set(delay_ms: i64, mptr: *const u8, mlen: usize) -> i64;
    pub fn timer_cancel(id: i64) -> i32;

    pub fn shared_get(kptr: *const u8, klen: usize) -> i64;
}
