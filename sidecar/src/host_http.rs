//! The host's `HttpRequest` to a guest's server: bounding the response by the frame limit and
//! turning the engine's outcome into the event the host gets (in the supervisor, or in the cell
//! that runs the exec).

use agentos_engine::host_http::HttpFailure;
use agentos_proto::v1::{self, ErrorCode, Event, event};
use prost::Message as _;

/// The largest response body when the frame limit is `max_frame_bytes` (and no smaller limit was
/// asked for): half a frame, the rest left for headers (whose size is checked as a whole).
pub fn bound_body(request: &mut v1::HttpRequest, max_frame_bytes: usize) {
    let limit = (max_frame_bytes / 2) as u64;
    request.max_body_bytes = match request.max_body_bytes {
        0 => limit,
        asked => asked.min(limit),
    };
}

/// The event answering request `request_id` for exec `exec_id` with `outcome`; an
/// `OUTPUT_LIMIT` error when the response would not fit in a frame.
pub fn answer(
    request_id: u64,
    exec_id: u64,
    outcome: Result<v1::HttpResponse, HttpFailure>,
    max_frame_bytes: usize,
) -> Event {
    let kind = match outcome {
        Ok(response) if fits(&response, max_frame_bytes) => event::Kind::HttpResponse(response),
        Ok(response) => error(
            exec_id,
            ErrorCode::OutputLimit,
            format!(
                "HttpRequest: the response ({} bytes with its headers) does not fit in a frame \
                 (max_frame_bytes = {max_frame_bytes})",
                response.encoded_len()
            ),
        ),
        Err(failure) => error(exec_id, failure.code, failure.message),
    };
    Event {
        request_id,
        kind: Some(kind),
    }
}

/// Whether the event would fit: the response plus at most 32 bytes of envelope (the request id,
/// the field's tag and length).
fn fits(response: &v1::HttpResponse, max_frame_bytes: usize) -> bool {
    response.encoded_len() + 32 <= max_frame_bytes
}

fn error(exec_id: u64, code: ErrorCode, message: String) -> event::Kind {
    event::Kind::RequestError(v1::RequestError {
        code: code as i32,
        exec_id,
        message,
    })
}
