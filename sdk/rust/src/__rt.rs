//! The buffers the host allocates through `mayfly_alloc`, freed per turn. Not public API.
//!
//! The host writes incoming bytes (the payload, `state_get` results, …) into buffers it
//! obtains from `mayfly_alloc`. Each one is recorded here with its size, so the SDK can copy a
//! result into an owned `Vec` and free the buffer at once; the rest (the payload) is freed
//! when the turn ends. The ABI does not promise that a packed result's length equals the size
//! the host asked for, so the recorded size, not the length, is what gets freed.

use std::alloc::{alloc as std_alloc, dealloc, Layout};
use std::cell::RefCell;

thread_local! {
    static BLOCKS: RefCell<Vec<(usize, usize)>> = RefCell::new(Vec::new());
}

/// `mayfly_alloc`: `size` writable bytes, or null when out of memory.
pub fn alloc(size: usize) -> *mut u8 {
    if size == 0 {
        return core::ptr::NonNull::<u8>::dangling().as_ptr();
    }
    let layout = match Layout::from_size_align(size, 1) {
        Ok(l) => l,
        Err(_) => return core::ptr::null_mut(),
    };
    let p = unsafe { std_alloc(layout) };
    if !p.is_null() {
        BLOCKS.with(|b| b.borrow_mut().push((p as usize, size)));
    }
    p
}

fn free(ptr: usize) {
    BLOCKS.with(|b| {
        let mut blocks = b.borrow_mut();
        if let Some(i) = blocks.iter().position(|&(p, _)| p == ptr) {
            let (p, size) = blocks.swap_remove(i);
            if let Ok(layout) = Layout::from_size_align(size, 1) {
                unsafe { dealloc(p as *mut u8, layout) }
            }
        }
    });
}

/// The bytes of a non-negative packed result, copied out; the host's buffer is freed.
pub fn take_host_buffer(packed: i64) -> Vec<u8> {
    let ptr = (packed as u64 >> 32) as usize;
    let len = packed as u32 as usize;
    if len == 0 {
        return Vec::new();
    }
    let bytes = unsafe { core::slice::from_raw_parts(ptr as *const u8, len) }.to_vec();
    free(ptr);
    bytes
}

/// `mayfly_handle`: runs the handler on the payload, then frees the turn's buffers.
///
/// # Safety
/// `ptr..ptr+len` must be the buffer the host passed to `mayfly_handle`.
pub unsafe fn run(handle: fn(&[u8]) -> Result<(), i32>, ptr: *const u8, len: usize) -> i32 {
    let payload: &[u8] = if len == 0 || ptr.is_null() {
        &[]
    } else {
        core::slice::from_raw_parts(ptr, len)
    };
    let rc = exit_code(handle(payload));
    end_turn();
    rc
}

/// `mayfly_on_expire`: runs the expiry handler, then frees the turn's buffers.
pub fn run_expire(expire: fn() -> Result<(), i32>) -> i32 {
    let rc = exit_code(expire());
    end_turn();
    rc
}

/// Frees every host buffer still allocated (the payload, results nobody took). On WASI, also
/// flushes standard output, so a line printed without its newline ends up in this turn's log.
fn end_turn() {
    #[cfg(target_os = "wasi")]
    {
        use std::io::Write;
        let _ = std::io::stdout().flush();
    }
    let blocks = BLOCKS.with(|b| core::mem::take(&mut *b.borrow_mut()));
    for (p, size) in blocks {
        if let Ok(layout) = Layout::from_size_align(size, 1) {
            unsafe { dealloc(p as *mut u8, layout) }
        }
    }
}

/// The export's return value for a handler's result.
fn exit_code(result: Result<(), i32>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(0) => 1,
        Err(code) => code,
    }
}
