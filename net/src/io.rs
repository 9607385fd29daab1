//! The byte streams operations run over: [`Metered`] counts every byte against the exec's
//! [`Meter`] (wire bytes: below TLS) and holds the connection's slot; [`BoxIo`] erases TCP,
//! TLS and virtual (in-memory) streams into one type.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::error::NetError;
use crate::limits::{ConnGuard, Meter};

/// A stream the operations can drive.
pub trait Io: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Io for T {}

/// Any stream, boxed.
pub type BoxIo = Box<dyn Io>;

/// The payload of an `io::Error` raised by [`Metered`] when a byte limit is reached, so the
/// limit survives hyper's and rustls's error wrapping ([`limit_in_chain`]).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct LimitIo(pub NetError);

/// A stream whose bytes count against a meter, holding a connection slot while it lives.
pub struct Metered<S> {
    inner: S,
    meter: Arc<Meter>,
    _slot: ConnGuard,
}

impl<S> Metered<S> {
    /// Wraps `inner`; `slot` is the connection's admission.
    pub fn new(inner: S, meter: Arc<Meter>, slot: ConnGuard) -> Metered<S> {
        Metered {
            inner,
            meter,
            _slot: slot,
        }
    }
}

fn limit_io(e: NetError) -> io::Error {
    io::Error::other(LimitIo(e))
}

impl<S: AsyncRead + Unpin> AsyncRead for Metered<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                let n = buf.filled().len() - before;
                Poll::Ready(this.meter.add_in(n).map_err(limit_io))
            }
            other => other,
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Metered<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let left = usize::try_from(this.meter.out_left()).unwrap_or(usize::MAX);
        if left == 0 && !buf.is_empty() {
            let l = this.meter.limits().max_bytes_out;
            return Poll::Ready(Err(limit_io(
                this.meter.limit_hit(crate::LimitKind::BytesOut, l),
            )));
        }
        let buf = &buf[..buf.len().min(left)];
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(Ok(n)) => Poll::Ready(this.meter.add_out(n).map(|()| n).map_err(limit_io)),
            other => other,
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The limit error somewhere in `e`'s source chain (an `io::Error` carrying [`LimitIo`]).
pub(crate) fn limit_in_chain(e: &(dyn std::error::Error + 'static)) -> Option<NetError> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(l) = err.downcast_ref::<LimitIo>() {
            return Some(l.0.clone());
        }
        if let Some(ioe) = err.downcast_ref::<io::Error>()
            && let Some(l) = ioe.get_ref().and_then(|r| r.downcast_ref::<LimitIo>())
        {
            return Some(l.0.clone());
        }
        cur = err.source();
    }
    None
}
