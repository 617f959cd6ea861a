//! Guest SDK for [Mayfly](../../docs/abi.md) actors, ABI version 1.
//!
//! An actor is a `cdylib` for `wasm32-unknown-unknown` that names its message handler with
//! [`handler!`] (and optionally its expiry turn with [`on_expire!`]):
//!
//! ```ignore
//! fn handle(payload: &[u8]) -> Result<(), i32> {
//!     let n = mayfly::state::get("n")?.map_or(0, |v| v.len());
//!     mayfly::state::put("n", &[n as u8])?;
//!     Ok(())
//! }
//! mayfly::handler!(handle);
//! ```
//!
//! Everything an actor must remember between messages goes through [`state`]: guest memory
//! is not actor state (instances are pooled and discarded after a trap).
//!
//! Every host function that can fail returns [`Result`], whose [`Error`] maps the ABI's
//! negative codes; results that may be absent are `Option`s. Bytes coming from the host are
//! returned as owned `Vec<u8>`/`String`s; the buffers the host wrote them into are freed at
//! once, and whatever is left at the end of a turn (the payload) is freed by the handler.

use core::fmt;
use core::time::Duration;

pub mod sys;

#[doc(hidden)]
pub mod __rt;

/// The ABI version this crate implements; the value of the `mayfly_abi_version` export.
pub const ABI_VERSION: i32 = 1;

/// A host function's failure: the negative codes of `docs/abi.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Error {
    /// `-1`: the key, value, timer or topic is absent.
    NotFound,
    /// `-2`: the address is not `type/id`.
    InvalidAddress,
    /// `-3`: a message, key, value or the actor's whole state would exceed its limit.
    TooLarge,
    /// `-4`: `reply`/`reply_handle` outside an ask, or the ask is already answered.
    NoRequest,
    /// `-5`: too many effects in one turn.
    LimitExceeded,
    /// `-6`: an unknown TTL policy, a negative duration, a bad topic, key or UTF-8.
    InvalidArgument,
    /// `-7`: the requester of a deferred reply has already given up.
    Expired,
    /// `-8`: the reply handle was not issued by this node.
    BadHandle,
    /// A negative code this version of the SDK does not know.
    Other(i32),
}

impl Error {
    /// The error for a negative host result.
    pub fn from_code(code: i32) -> Error {
        match code {
            -1 => Error::NotFound,
            -2 => Error::InvalidAddress,
            -3 => Error::TooLarge,
            -4 => Error::NoRequest,
            -5 => Error::LimitExceeded,
            -6 => Error::InvalidArgument,
            -7 => Error::Expired,
            -8 => Error::BadHandle,
            other => Error::Other(other),
        }
    }

    /// The ABI's code for this error (negative).
    pub fn code(self) -> i32 {
        match self {
            Error::NotFound => -1,
            Error::InvalidAddress => -2,
            Error::TooLarge => -3,
            Error::NoRequest => -4,
            Error::LimitExceeded => -5,
            Error::InvalidArgument => -6,
            Error::Expired => -7,
            Error::BadHandle => -8,
            Error::Other(code) => code,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mayfly host error {:?} ({})", self, self.code())
    }
}

impl std::error::Error for Error {}

/// Lets a handler returning `Result<(), i32>` use `?` on host calls: the turn then fails
/// with the host's (negative) code as its application error.
impl From<Error> for i32 {
    fn from(e: Error) -> i32 {
        e.code()
    }
}

/// The result of a host call.
pub type Result<T> = core::result::Result<T, Error>;

/// What kind of message the current turn handles (`message_kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A one-way message.
    Tell,
    /// A request that expects a [`reply`].
    Ask,
    /// The answer to an [`ask`] this actor made; see [`correlation_id`] and [`reply_status`].
    Reply,
    /// A timer set with [`timer_set`] fired; see [`correlation_id`].
    Timer,
    /// A publication on a topic this actor subscribed to; see [`topic`].
    Publication,
    /// The expiry turn (`mayfly_on_expire`).
    Expire,
    /// A kind this version of the SDK does not know.
    Other(i32),
}

/// How an [`ask`] ended, for a [`Kind::Reply`] turn (`reply_status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReplyStatus {
    /// The target answered; the payload is its answer.
    Ok,
    /// No answer within the timeout; the payload is empty.
    Timeout,
    /// The target's turn failed; the payload is the reason (UTF-8).
    Failed,
    /// Unknown type, full mailbox or node shutting down; the payload is the reason.
    Undeliverable,
    /// A status this version of the SDK does not know.
    Other(i32),
}

impl Kind {
    /// The ABI's code for this kind (`message_kind`).
    pub fn code(self) -> i32 {
        match self {
            Kind::Tell => 0,
            Kind::Ask => 1,
            Kind::Reply => 2,
            Kind::Timer => 3,
            Kind::Publication => 4,
            Kind::Expire => 5,
            Kind::Other(code) => code,
        }
    }
}

impl ReplyStatus {
    /// The ABI's code for this status (`reply_status`).
    pub fn code(self) -> i32 {
        match self {
            ReplyStatus::Ok => 0,
            ReplyStatus::Timeout => 1,
            ReplyStatus::Failed => 2,
            ReplyStatus::Undeliverable => 3,
            ReplyStatus::Other(code) => code,
        }
    }
}

/// A TTL policy with its duration, for [`actor_ttl`] and [`state::set_ttl`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ttl {
    /// Per key: follow the actor's policy. Per actor: back to the type's default.
    Default,
    /// Expires this long after the last write.
    AfterWrite(Duration),
    /// Expires this long after the last read or write.
    AfterAccess(Duration),
    /// Expires this long after the policy was set, whatever happens.
    AtDeadline(Duration),
    /// Never expires on its own (still subject to the node's memory budget).
    Never,
}

impl Ttl {
    /// The ABI's policy code and duration in milliseconds.
    pub fn to_raw(self) -> (i32, i64) {
        match self {
            Ttl::Default => (0, 0),
            Ttl::AfterWrite(d) => (1, millis(d)),
            Ttl::AfterAccess(d) => (2, millis(d)),
            Ttl::AtDeadline(d) => (3, millis(d)),
            Ttl::Never => (4, 0),
        }
    }
}

/// Log levels for [`log`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Trace = 0,
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn check(rc: i32) -> Result<i32> {
    if rc < 0 {
        Err(Error::from_code(rc))
    } else {
        Ok(rc)
    }
}

fn check64(rc: i64) -> Result<i64> {
    if rc < 0 {
        Err(Error::from_code(i32::try_from(rc).unwrap_or(i32::MIN)))
    } else {
        Ok(rc)
    }
}

/// A packed result as owned bytes; `Ok(None)` for `-1` (absent).
fn packed(r: i64) -> Result<Option<Vec<u8>>> {
    match check64(r) {
        Ok(r) => Ok(Some(__rt::take_host_buffer(r))),
        Err(Error::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

fn packed_string(r: i64) -> Option<String> {
    match packed(r) {
        Ok(Some(bytes)) => String::from_utf8(bytes).ok(),
        _ => None,
    }
}

fn raw<B: AsRef<[u8]> + ?Sized>(b: &B) -> (*const u8, usize) {
    let b = b.as_ref();
    (b.as_ptr(), b.len())
}

// ---- the current message ----

/// This actor's address, `type/id`.
pub fn self_address() -> String {
    packed_string(unsafe { sys::self_() }).unwrap_or_default()
}

/// The `id` part of this actor's address (after the first `/`).
pub fn self_id() -> String {
    let address = self_address();
    match address.split_once('/') {
        Some((_, id)) => id.to_string(),
        None => address,
    }
}

/// The address of the actor that sent this message; `None` from outside or from the runtime.
pub fn sender() -> Option<String> {
    packed_string(unsafe { sys::sender() })
}

/// The kind of message this turn handles.
pub fn message_kind() -> Kind {
    match unsafe { sys::message_kind() } {
        0 => Kind::Tell,
        1 => Kind::Ask,
        2 => Kind::Reply,
        3 => Kind::Timer,
        4 => Kind::Publication,
        5 => Kind::Expire,
        other => Kind::Other(other),
    }
}

/// For a REPLY the id [`ask`] returned, for a TIMER the id [`timer_set`] returned; else 0.
pub fn correlation_id() -> u64 {
    unsafe { sys::correlation_id() as u64 }
}

/// How the ask this REPLY answers ended ([`ReplyStatus::Ok`] for other kinds).
pub fn reply_status() -> ReplyStatus {
    match unsafe { sys::reply_status() } {
        0 => ReplyStatus::Ok,
        1 => ReplyStatus::Timeout,
        2 => ReplyStatus::Failed,
        3 => ReplyStatus::Undeliverable,
        other => ReplyStatus::Other(other),
    }
}

/// The topic of a PUBLICATION; `None` for other kinds.
pub fn topic() -> Option<String> {
    packed_string(unsafe { sys::topic() })
}

/// The node clock in milliseconds since the epoch, read once when the turn started.
pub fn now_ms() -> i64 {
    unsafe { sys::now_ms() }
}

/// A log line, buffered with the turn (UTF-8 text; bytes are passed as they are).
pub fn log<M: AsRef<[u8]> + ?Sized>(level: Level, message: &M) {
    let (p, n) = raw(message);
    unsafe { sys::log(level as i32, p, n) }
}

/// Short-term state: the actor's map of keys (UTF-8, 1 to 256 bytes) to values.
///
/// Keys are anything that derefs to bytes (`&str`, `&[u8]`); an empty, too long or non-UTF-8
/// key makes every call fail with [`Error::InvalidArgument`].
pub mod state {
    use super::*;

    /// The value of `key`, `None` when absent. Reads see this turn's writes.
    pub fn get<K: AsRef<[u8]> + ?Sized>(key: &K) -> Result<Option<Vec<u8>>> {
        let (k, kl) = raw(key);
        packed(unsafe { sys::state_get(k, kl) })
    }

    /// Sets `key` to `value`; [`Error::TooLarge`] past the type's `maxStateBytes`.
    pub fn put<K: AsRef<[u8]> + ?Sized, V: AsRef<[u8]> + ?Sized>(key: &K, value: &V) -> Result<()> {
        let ((k, kl), (v, vl)) = (raw(key), raw(value));
        check(unsafe { sys::state_put(k, kl, v, vl) }).map(|_| ())
    }

    /// Deletes `key`; whether it existed.
    pub fn delete<K: AsRef<[u8]> + ?Sized>(key: &K) -> Result<bool> {
        let (k, kl) = raw(key);
        check(unsafe { sys::state_delete(k, kl) }).map(|r| r == 1)
    }

    /// Deletes every key.
    pub fn clear() {
        unsafe { sys::state_clear() }
    }

    /// Gives `key` its own TTL (restarting its clock); [`Error::NotFound`] if it does not exist.
    pub fn set_ttl<K: AsRef<[u8]> + ?Sized>(key: &K, ttl: Ttl) -> Result<()> {
        let (k, kl) = raw(key);
        let (policy, ms) = ttl.to_raw();
        check(unsafe { sys::state_ttl(k, kl, policy, ms) }).map(|_| ())
    }
}

/// Sets this actor's TTL, overriding the type's default, and restarts its clock.
pub fn actor_ttl(ttl: Ttl) -> Result<()> {
    let (policy, ms) = ttl.to_raw();
    check(unsafe { sys::actor_ttl(policy, ms) }).map(|_| ())
}

// ---- talking to others ----

/// Tells actor `to` (`type/id`) the message.
pub fn send<M: AsRef<[u8]> + ?Sized>(to: &str, message: &M) -> Result<()> {
    let ((a, al), (m, ml)) = (raw(to), raw(message));
    check(unsafe { sys::send(a, al, m, ml) }).map(|_| ())
}

/// Asks actor `to`; returns the correlation id of the REPLY that will arrive in a later turn
/// (with [`ReplyStatus::Timeout`] after `timeout`, or the type's default when `None`).
pub fn ask<M: AsRef<[u8]> + ?Sized>(to: &str, message: &M, timeout: Option<Duration>) -> Result<u64> {
    let ((a, al), (m, ml)) = (raw(to), raw(message));
    let timeout = timeout.map_or(0, millis);
    check64(unsafe { sys::ask(a, al, m, ml, timeout) }).map(|id| id as u64)
}

/// Answers the ASK this turn handles.
pub fn reply<M: AsRef<[u8]> + ?Sized>(message: &M) -> Result<()> {
    let (m, ml) = raw(message);
    check(unsafe { sys::reply(m, ml) }).map(|_| ())
}

/// Defers the answer to the ASK this turn handles: an opaque handle (at most 64 bytes) to
/// keep in state and answer with [`reply_to`] in a later turn.
pub fn reply_handle() -> Result<Vec<u8>> {
    packed(unsafe { sys::reply_handle() }).map(Option::unwrap_or_default)
}

/// Answers a deferred request; [`Error::Expired`] if the requester gave up.
pub fn reply_to<H: AsRef<[u8]> + ?Sized, M: AsRef<[u8]> + ?Sized>(handle: &H, message: &M) -> Result<()> {
    let ((h, hl), (m, ml)) = (raw(handle), raw(message));
    check(unsafe { sys::reply_to(h, hl, m, ml) }).map(|_| ())
}

/// Publishes the message on `topic`.
pub fn publish<M: AsRef<[u8]> + ?Sized>(topic: &str, message: &M) -> Result<()> {
    let ((t, tl), (m, ml)) = (raw(topic), raw(message));
    check(unsafe { sys::publish(t, tl, m, ml) }).map(|_| ())
}

/// Subscribes this actor to a topic filter (`+` and `#` allowed) for as long as its state lives.
pub fn subscribe(filter: &str) -> Result<()> {
    let (f, fl) = raw(filter);
    check(unsafe { sys::subscribe(f, fl) }).map(|_| ())
}

/// Unsubscribes; whether it was subscribed.
pub fn unsubscribe(filter: &str) -> Result<bool> {
    let (f, fl) = raw(filter);
    check(unsafe { sys::unsubscribe(f, fl) }).map(|r| r == 1)
}

/// Sends this actor a TIMER message with `message` after `delay`; the timer's id.
pub fn timer_set<M: AsRef<[u8]> + ?Sized>(delay: Duration, message: &M) -> Result<u64> {
    let (m, ml) = raw(message);
    check64(unsafe { sys::timer_set(millis(delay), m, ml) }).map(|id| id as u64)
}

/// Cancels a timer; whether it was still pending.
pub fn timer_cancel(id: u64) -> bool {
    unsafe { sys::timer_cancel(id as i64) == 1 }
}

/// Read-only data the node operator shared under `key`, `None` when there is none.
pub fn shared_get<K: AsRef<[u8]> + ?Sized>(key: &K) -> Result<Option<Vec<u8>>> {
    let (k, kl) = raw(key);
    packed(unsafe { sys::shared_get(k, kl) })
}

/// Defines the exports `mayfly_abi_version`, `mayfly_alloc` and `mayfly_handle` around
/// `fn(payload: &[u8]) -> Result<(), i32>`; an `Err(code)` fails the turn with `code`
/// (0 becomes 1), and everything the turn did is rolled back. Use it once per module.
#[macro_export]
macro_rules! handler {
    ($handle:path) => {
        #[no_mangle]
        pub extern "C" fn mayfly_abi_version() -> i32 {
            $crate::ABI_VERSION
        }

        #[no_mangle]
        pub extern "C" fn mayfly_alloc(size: usize) -> *mut u8 {
            $crate::__rt::alloc(size)
        }

        #[no_mangle]
        pub extern "C" fn mayfly_handle(ptr: *const u8, len: usize) -> i32 {
            let handle: fn(&[u8]) -> ::core::result::Result<(), i32> = $handle;
            unsafe { $crate::__rt::run(handle, ptr, len) }
        }
    };
}

/// Defines the optional export `mayfly_on_expire` around `fn() -> Result<(), i32>`: the last
/// turn before the actor's state is dropped, with the state still readable.
#[macro_export]
macro_rules! on_expire {
    ($expire:path) => {
        #[no_mangle]
        pub extern "C" fn mayfly_on_expire() -> i32 {
            let expire: fn() -> ::core::result::Result<(), i32> = $expire;
            $crate::__rt::run_expire(expire)
        }
    };
}
