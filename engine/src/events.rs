//! Where a job's events go: the control plane's ordered path to the host.

use std::sync::Arc;

use agentos_proto::Event;
use agentos_proto::v1::Stream;
use bytes::Bytes;

/// The host's event stream as the engine sees it. Implementations keep each calling thread's
/// events in the order it sent them (an exec's output therefore precedes its exit event, which
/// its own thread sends last).
pub trait EventSink: Send + Sync + 'static {
    /// Sends one event.
    fn send(&self, event: Event);

    /// Sends guest output, split into as many `Output` events as the frame size needs.
    fn output(&self, exec_id: u64, stream: Stream, data: Bytes);
}

/// A shared sink.
pub type Sink = Arc<dyn EventSink>;
