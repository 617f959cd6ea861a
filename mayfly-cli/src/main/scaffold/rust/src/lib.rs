//! @NAME@: a Mayfly actor in Rust on the SDK in `mayfly-sdk` (actor ABI v1).
//!
//! It counts the messages each actor receives, in its short-term state under the key `count`,
//! logs each one, and answers an ask with the count in decimal. State is kept between messages
//! for the type's TTL (10 minutes after the last access by default).

use mayfly::{state, Kind, Level};

fn handle(_payload: &[u8]) -> Result<(), i32> {
    let count = match state::get("count") {
        Ok(Some(old)) if old.len() == 4 => u32::from_le_bytes([old[0], old[1], old[2], old[3]]),
        _ => 0,
    } + 1;
    // An Err fails the turn with that code: nothing of the turn takes effect.
    state::put("count", &count.to_le_bytes()).map_err(|_| 1)?;
    mayfly::log(Level::Info, &format!("message {}", count));
    if mayfly::message_kind() == Kind::Ask {
        let _ = mayfly::reply(&count.to_string());
    }
    Ok(())
}

mayfly::handler!(handle);
