//! The conformance actor (testdata/conformance/SPEC.md) on the Rust SDK.
//!
//! Built for `wasm32-unknown-unknown` (conformance-rust.wasm) and for `wasm32-wasi`
//! (conformance-rust-wasi.wasm), where the log command prints its text with `println!` instead of
//! calling `mayfly::log`.

use core::time::Duration;
use mayfly::{state, Kind, Ttl};

fn i64_le(b: &[u8]) -> Option<i64> {
    Some(i64::from_le_bytes(b.get(..8)?.try_into().ok()?))
}

fn n() -> u32 {
    match state::get("n") {
        Ok(Some(v)) if v.len() >= 4 => u32::from_le_bytes([v[0], v[1], v[2], v[3]]),
        _ => 0,
    }
}

fn put_n(n: u32) {
    let _ = state::put("n", &n.to_le_bytes());
}

/// The ABI code of a call's result, as the probe records it.
fn code<T>(r: mayfly::Result<T>, ok: impl FnOnce(T) -> i32) -> u8 {
    match r {
        Ok(v) => ok(v) as u8,
        Err(e) => e.code() as u8,
    }
}

fn millis(ms: i64) -> Duration {
    Duration::from_millis(ms.max(0) as u64)
}

fn by_kind(kind: Kind, payload: &[u8]) {
    let value = match kind {
        Kind::Reply => {
            let mut v = vec![mayfly::reply_status().code() as u8];
            v.extend_from_slice(&mayfly::correlation_id().to_le_bytes());
            ("reply", v)
        }
        Kind::Timer => ("fired", mayfly::correlation_id().to_le_bytes().to_vec()),
        _ => {
            let mut v = mayfly::topic().unwrap_or_default().into_bytes();
            v.push(b' ');
            ("pub", v)
        }
    };
    let (key, mut bytes) = value;
    bytes.extend_from_slice(payload);
    let _ = state::put(key, &bytes);
}

fn info(kind: Kind) {
    let mut v = vec![kind.code() as u8];
    v.extend_from_slice(&mayfly::now_ms().to_le_bytes());
    v.extend_from_slice(mayfly::self_address().as_bytes());
    v.push(b' ');
    v.extend_from_slice(mayfly::sender().unwrap_or_else(|| "-".to_string()).as_bytes());
    let _ = state::put("info", &v);
    if kind == Kind::Ask {
        let _ = mayfly::reply(&v);
    }
}

fn error_probe() {
    let bad_ttl = unsafe { mayfly::sys::actor_ttl(9, 1) } as u8;
    let negative_ttl = unsafe { mayfly::sys::actor_ttl(1, -5) } as u8;
    let probe = [
        code(mayfly::send("bad", ""), |_| 0),
        bad_ttl,
        negative_ttl,
        code(state::set_ttl("nokey", Ttl::AfterWrite(millis(10))), |_| 0),
        code(state::get("nokey"), |v| if v.is_some() { 0 } else { -1 }),
        code(state::delete("nokey"), |d| d as i32),
        mayfly::timer_cancel(12345) as u8,
        code(mayfly::unsubscribe("never/x"), |d| d as i32),
        code(mayfly::reply("x"), |_| 0),
        code(mayfly::reply_handle(), |_| 0),
        code(mayfly::reply_to("xx", ""), |_| 0),
        mayfly::topic().map_or(-1i32, |_| 0) as u8,
        mayfly::correlation_id() as u8,
        mayfly::reply_status().code() as u8,
        code(mayfly::publish("bad topic", ""), |_| 0),
        code(state::get(""), |_| 0),
    ];
    let _ = state::put("probe", &probe);
}

fn handle(payload: &[u8]) -> Result<(), i32> {
    let kind = mayfly::message_kind();
    if !matches!(kind, Kind::Tell | Kind::Ask) {
        by_kind(kind, payload);
        return Ok(());
    }
    let (&cmd, arg) = payload.split_first().ok_or(1)?;
    match cmd {
        b'E' => {
            if kind == Kind::Ask {
                let _ = mayfly::reply(payload);
            }
        }
        b'C' => {
            if kind == Kind::Ask {
                let _ = mayfly::reply(&n().to_le_bytes());
            } else {
                put_n(n().wrapping_add(1));
            }
        }
        b'A' => {
            let ms = i64_le(arg).ok_or(1)?;
            let _ = mayfly::actor_ttl(Ttl::AfterWrite(millis(ms)));
        }
        b'K' => {
            let ms = i64_le(arg).ok_or(1)?;
            let key = &arg[8..];
            let _ = state::put(key, "v");
            let _ = state::set_ttl(key, Ttl::AfterWrite(millis(ms)));
        }
        b'Q' => {
            let to = core::str::from_utf8(arg).unwrap_or("");
            let id = match mayfly::ask(to, "Eping", Some(Duration::from_millis(1000))) {
                Ok(id) => id as i64,
                Err(e) => e.code() as i64,
            };
            let _ = state::put("corr", &id.to_le_bytes());
        }
        b'S' => {
            let _ = mayfly::subscribe(core::str::from_utf8(arg).unwrap_or(""));
        }
        b'U' => {
            let _ = mayfly::unsubscribe(core::str::from_utf8(arg).unwrap_or(""));
        }
        b'P' => {
            let _ = mayfly::publish(core::str::from_utf8(arg).unwrap_or(""), "hi");
        }
        b'M' => {
            let ms = i64_le(arg).ok_or(1)?;
            let id = match mayfly::timer_set(millis(ms), &arg[8..]) {
                Ok(id) => id as i64,
                Err(e) => e.code() as i64,
            };
            let _ = state::put("timer", &id.to_le_bytes());
        }
        b'X' => {
            let id = match state::get("timer") {
                Ok(Some(v)) if v.len() == 8 => i64_le(&v).unwrap_or(0),
                _ => 0,
            };
            let cancelled = mayfly::timer_cancel(id as u64) as u8;
            let _ = state::put("cancelled", &[cancelled]);
        }
        b'!' => {
            put_n(n().wrapping_add(1));
            core::arch::wasm32::unreachable()
        }
        b'F' => {
            put_n(n().wrapping_add(1));
            return Err(42);
        }
        b'G' => {
            let value = mayfly::shared_get(arg).ok().flatten().ok_or(44)?;
            let _ = mayfly::reply(&value);
        }
        b'I' => info(kind),
        b'H' => {
            let h = mayfly::reply_handle().map_err(|_| 45)?;
            let _ = state::put("h", &h);
        }
        b'R' => {
            let h = state::get("h").ok().flatten().ok_or(45)?;
            let _ = mayfly::reply_to(&h, arg);
            let _ = state::delete("h");
        }
        #[cfg(not(target_os = "wasi"))]
        b'L' => mayfly::log(mayfly::Level::Info, arg),
        #[cfg(target_os = "wasi")]
        b'L' => println!("{}", String::from_utf8_lossy(arg)),
        b'D' => {
            let _ = state::delete(arg);
        }
        b'Z' => state::clear(),
        b'Y' => error_probe(),
        _ => return Err(1),
    }
    Ok(())
}

fn expire() -> Result<(), i32> {
    let mut topic = String::from("expired/");
    topic.push_str(&mayfly::self_id());
    let _ = mayfly::publish(&topic, &n().to_le_bytes());
    Ok(())
}

mayfly::handler!(handle);
mayfly::on_expire!(expire);
