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

    /// True when the guest has an IPC channel to a parent (a forked child's sink).
    fn has_ipc(&self) -> bool {
        false
    }

    /// Sends one serialized message to the parent; false when there is no open channel.
    fn ipc_send(&self, _message: Bytes) -> bool {
        false
    }

    /// Closes the channel to the parent (once; later calls do nothing).
    fn ipc_close(&self) {}
}

/// A shared sink.
pub type Sink = Arc<dyn EventSink>;
