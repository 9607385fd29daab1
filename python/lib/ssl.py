"""TLS for sockets, in the agentos sandbox.

This build of CPython has no `_ssl` (no OpenSSL); this module is ours, with CPython's API for
clients: a TLS socket is a socket fd whose records a rustls session in the sidecar reads and
writes (the door's `sock_tls`, runner-js/js/WASI.md), so `recv`/`send`/`makefile`/`select` on
it carry plain text; an `SSLObject` over two `MemoryBIO`s (asyncio's and anyio's TLS) feeds and
drains such a session itself (the door's `tls_*` ops). Certificates are checked against
`load_verify_locations` (files, dirs or data) or, when none were loaded, the roots the sidecar's
network trusts (Mozilla's, and `AGENTOS_NET_EXTRA_ROOTS`); the host name too, with
`check_hostname`.

What differs from CPython: no server side (`server_side=True` raises `NotImplementedError`);
`set_ciphers`, `options` and versions below TLS 1.2
change nothing (rustls speaks TLS 1.2 and 1.3 with its own suites); `getpeercert()` decodes the
certificate with `_agentos_x509` (CPython's dict); a non-blocking socket's handshake (timeout 0)
waits for the peer instead of raising `SSLWantReadError` (asyncio uses `SSLObject`); sessions
are not resumed. A socket's timeout bounds the handshake as CPython's does.
"""

import math
import os as _os

import _agentos_door
import socket as _socket
from _agentos_ssl_names import *  # noqa: F403 (CPython's public names of `ssl`)
from _agentos_ssl_names import _DEFAULT_CIPHERS, _OPENSSL_API_VERSION, _VERIFY, _SSLMethod  # noqa: F401
from socket import SOCK_STREAM, create_connection, socket  # noqa: F401 (CPython's names)


def _pems(text):
    """The PEM certificate blocks of `text`."""
    out, at = [], 0
    while (start := text.find("-----BEGIN CERTIFICATE-----", at)) >= 0:
        end = text.find("-----END CERTIFICATE-----", start)
        if end < 0:
            break
        at = end + len("-----END CERTIFICATE-----")
        out.append(text[start:at] + "\n")
    return out


def _hostname(name):
    """A server name as CPython takes it: str, or bytes of its IDNA form."""
    if isinstance(name, (bytes, bytearray)):
        return bytes(name).decode("ascii")
    if name is not None and not isinstance(name, str):
        raise TypeError(f"server_hostname must be str or bytes, not {type(name).__name__}")
    return name


def _is_address(name):
    import ipaddress

    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _read(path):
    with open(path, "rb") as f:
        return f.read().decode("ascii", "replace")


class SSLContext:
    """TLS settings for client sockets; see the module's words for what is honoured."""

    sslsocket_class = None
    sslobject_class = None

    def __init__(self, protocol=None, *args, **kwargs):
        if protocol is None:
            protocol = PROTOCOL_TLS
        self.protocol = _SSLMethod(protocol)
        client = protocol == PROTOCOL_TLS_CLIENT
        self._check_hostname = client
        self._verify_mode = CERT_REQUIRED if client else CERT_NONE
        self._cadata = []
        self._alpn = []
        self._chain = None
        self.options = Options.OP_ALL | Options.OP_NO_SSLv3 | Options.OP_NO_COMPRESSION
        self.verify_flags = VerifyFlags.VERIFY_X509_TRUSTED_FIRST
        self.minimum_version = TLSVersion.MINIMUM_SUPPORTED
        self.maximum_version = TLSVersion.MAXIMUM_SUPPORTED
        self.hostname_checks_common_name = False
        self.post_handshake_auth = False
        self.keylog_filename = None
        self.sni_callback = None
        self.security_level = 2

    @property
    def check_hostname(self):
        return self._check_hostname

    @check_hostname.setter
    def check_hostname(self, value):
        self._check_hostname = bool(value)
        if value and self._verify_mode == CERT_NONE:
            self._verify_mode = CERT_REQUIRED

    @property
    def verify_mode(self):
        return self._verify_mode

    @verify_mode.setter
    def verify_mode(self, value):
        value = VerifyMode(value)
        if value == CERT_NONE and self._check_hostname:
            raise ValueError("Cannot set verify_mode to CERT_NONE when check_hostname is enabled.")
        self._verify_mode = value

    def load_verify_locations(self, cafile=None, capath=None, cadata=None):
        if cafile is None and capath is None and cadata is None:
            raise TypeError("cafile, capath and cadata cannot be all omitted")
        if cafile is not None:
            self._cadata += _pems(_read(_os.fspath(cafile)))
        if capath is not None:
            for name in sorted(_os.listdir(capath)):
                path = _os.path.join(capath, name)
                if _os.path.isfile(path):
                    self._cadata += _pems(_read(path))
        if isinstance(cadata, str):
            self._cadata += _pems(cadata)
        elif cadata is not None:
            self._cadata.append(DER_cert_to_PEM_cert(bytes(cadata)))

    def load_default_certs(self, purpose=Purpose.SERVER_AUTH):
        """The sidecar's roots are the default: nothing to load."""

    def set_default_verify_paths(self):
        """The sidecar's roots are the default: nothing to load."""

    def load_cert_chain(self, certfile, keyfile=None, password=None):
        cert = _read(_os.fspath(certfile))
        key = _read(_os.fspath(keyfile)) if keyfile is not None else cert
        self._chain = (cert, key)

    def set_alpn_protocols(self, alpn_protocols):
        self._alpn = [str(p) for p in alpn_protocols]

    def set_npn_protocols(self, npn_protocols):
        pass

    def set_ciphers(self, ciphers):
        pass

    def set_ecdh_curve(self, name):
        pass

    def get_ciphers(self):
        return []

    def get_ca_certs(self, binary_form=False):
        return [PEM_cert_to_DER_cert(p) for p in self._cadata] if binary_form else []

    def cert_store_stats(self):
        return {"x509": len(self._cadata), "crl": 0, "x509_ca": len(self._cadata)}

    def session_stats(self):
        return {}

    def wrap_socket(self, sock, server_side=False, do_handshake_on_connect=True,
                    suppress_ragged_eofs=True, server_hostname=None, session=None):
        if server_side:
            raise NotImplementedError("TLS servers are not supported in this sandbox")
        server_hostname = _hostname(server_hostname)
        if self._check_hostname and not server_hostname:
            raise ValueError("check_hostname requires server_hostname")
        return SSLSocket._create(sock, self, server_hostname, do_handshake_on_connect,
                                 suppress_ragged_eofs)

    def wrap_bio(self, incoming, outgoing, server_side=False, server_hostname=None, session=None):
        server_hostname = _hostname(server_hostname)
        if self._check_hostname and not server_hostname:
            raise ValueError("check_hostname requires server_hostname")
        return SSLObject._create(incoming, outgoing, server_side, server_hostname, session, self)

    def _door_fields(self, fd, server_hostname):
        verify = self._verify_mode != CERT_NONE
        fields = {
            "fd": fd,
            "server_name": server_hostname or "",
            "cadata": self._cadata,
            "alpn": self._alpn,
            "check_name": verify and self._check_hostname,
        }
        if self._chain is not None:
            fields["cert"], fields["key"] = self._chain
        return fields


def _failure(head):
    """The exception for a failed `sock_tls`/`tls_*` answer."""
    message = head.get("message") or "TLS failed"
    if head.get("code") == "EOF":
        return SSLEOFError(SSL_ERROR_EOF, f"[SSL: UNEXPECTED_EOF_WHILE_READING] {message}")
    if head.get("code") == "ERR_SSL":
        error = SSLError(SSL_ERROR_SSL, f"[SSL] {message} (_ssl.c:1000)")
        error.library = "SSL"
        return error
    return _agentos_door.os_error(head)


def _negotiated(head, payload, context, server_hostname):
    """(version, cipher, ALPN, certificates) of a handshake's answer; raises what CPython
    raises when the peer's certificate does not verify and `context` asks it to."""
    verify = head.get("verify_error")
    if verify == "HOSTNAME_MISMATCH" and _is_address(server_hostname):
        verify = "IP_ADDRESS_MISMATCH"
    if verify and context.verify_mode != CERT_NONE:
        code, words = _VERIFY.get(verify, (1, verify))
        words = words.format(name=server_hostname)
        error = SSLCertVerificationError(
            1, f"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: {words} "
            "(_ssl.c:1000)")
        error.reason, error.library = "CERTIFICATE_VERIFY_FAILED", "SSL"
        error.verify_code, error.verify_message = code, words
        raise error
    certs, at = [], 0
    for n in head.get("certs", []):
        certs.append(payload[at : at + n])
        at += n
    return (head.get("version"), head.get("cipher"), head.get("alpn"), certs)


class SSLSocket(socket):
    """A socket whose records the sidecar's TLS session reads and writes."""

    @classmethod
    def _create(cls, sock, context, server_hostname, do_handshake_on_connect,
                suppress_ragged_eofs):
        if sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_TYPE) != SOCK_STREAM:
            raise NotImplementedError("only stream sockets are supported")
        timeout = sock.gettimeout()
        kwargs = dict(family=sock.family, type=sock.type, proto=sock.proto, fileno=sock.fileno())
        self = cls.__new__(cls, **kwargs)
        sock.detach()
        super(SSLSocket, self).__init__(**kwargs)
        self.settimeout(timeout)
        self._context = context
        self.server_hostname = server_hostname
        self.server_side = False
        self.do_handshake_on_connect = do_handshake_on_connect
        self.suppress_ragged_eofs = suppress_ragged_eofs
        self._secure = None
        try:
            self.getpeername()
        except OSError:
            return self
        if do_handshake_on_connect:
            try:
                self.do_handshake()
            except BaseException:
                self.close()
                raise
        return self

    @property
    def context(self):
        return self._context

    @property
    def _sslobj(self):
        # CPython's TLS object; clients (httpcore) ask it for the ALPN protocol and version.
        return self if self._secure is not None else None

    session = None
    session_reused = False

    def connect(self, address):
        super().connect(address)
        if self.do_handshake_on_connect:
            self.do_handshake()

    def connect_ex(self, address):
        code = super().connect_ex(address)
        if code == 0 and self.do_handshake_on_connect:
            self.do_handshake()
        return code

    def do_handshake(self, block=False):
        if self._secure is not None:
            return
        fields = self._context._door_fields(self.fileno(), self.server_hostname)
        timeout = self.gettimeout()
        if timeout:
            fields["timeout_ms"] = math.ceil(timeout * 1000)
        head, payload = _agentos_door.call("sock_tls", fields)
        if head.get("errno") == "ETIMEDOUT":
            raise TimeoutError("_ssl.c:1000: The handshake operation timed out")
        if "errno" in head:
            raise _failure(head)
        self._secure = _negotiated(head, payload, self._context, self.server_hostname)

    def version(self):
        return self._secure[0] if self._secure else None

    def cipher(self):
        if not self._secure or not self._secure[1]:
            return None
        return (self._secure[1], self._secure[0], 256 if "256" in self._secure[1] else 128)

    def shared_ciphers(self):
        return None

    def compression(self):
        return None

    def selected_alpn_protocol(self):
        return self._secure[2] if self._secure else None

    def selected_npn_protocol(self):
        return None

    def getpeercert(self, binary_form=False):
        if not self._secure:
            raise ValueError("handshake not done yet")
        certs = self._secure[3]
        if not certs:
            return None
        if binary_form:
            return bytes(certs[0])
        if self._context.verify_mode == CERT_NONE:
            return {}
        import _agentos_x509

        return _agentos_x509.decode(certs[0])

    def get_verified_chain(self):
        return [bytes(c) for c in self._secure[3]] if self._secure else []

    get_unverified_chain = get_verified_chain

    def get_channel_binding(self, cb_type="tls-unique"):
        return None

    def pending(self):
        return 0

    def read(self, len=1024, buffer=None):
        if buffer is not None:
            return self.recv_into(buffer, len)
        return self.recv(len)

    def write(self, data):
        return self.send(data)

    def unwrap(self):
        raise NotImplementedError("unwrap is not supported in this sandbox")

    def verify_client_post_handshake(self):
        raise NotImplementedError("post-handshake authentication is not supported")

    def dup(self):
        raise NotImplementedError(f"Can't dup() {self.__class__.__name__} instances")

    def sendfile(self, file, offset=0, count=None):
        return self._sendfile_use_send(file, offset, count)




class MemoryBIO:
    """Bytes in memory between an `SSLObject` and its transport."""

    def __init__(self):
        self._buf = bytearray()
        self._eof_written = False

    @property
    def pending(self):
        return len(self._buf)

    @property
    def eof(self):
        return self._eof_written and not self._buf

    def read(self, size=-1):
        n = len(self._buf) if size < 0 else min(size, len(self._buf))
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    def write(self, b):
        if self._eof_written:
            raise SSLError("cannot write() after write_eof()")
        self._buf += b
        return len(b)

    def write_eof(self):
        self._eof_written = True


class SSLObject:
    """TLS over two `MemoryBIO`s (what asyncio uses): a rustls client session in the sidecar
    (the door's `tls_*` ops) that this object feeds and drains."""

    def __init__(self, *args, **kwargs):
        raise TypeError(f"{self.__class__.__name__} does not have a public constructor. "
                        "Instances are returned by SSLContext.wrap_bio().")

    @classmethod
    def _create(cls, incoming, outgoing, server_side=False, server_hostname=None, session=None,
                context=None):
        if server_side:
            raise NotImplementedError("TLS servers are not supported in this sandbox")
        self = cls.__new__(cls)
        self._incoming, self._outgoing = incoming, outgoing
        self._context, self.server_hostname = context, server_hostname
        self.server_side = False
        self._plain = bytearray()
        self._secure = None
        self._closed = self._started = False
        fields = context._door_fields(None, server_hostname)
        del fields["fd"]
        head, _ = _agentos_door.call("tls_open", fields)
        if "errno" in head:
            raise _failure(head)
        self._session = head["session"]
        return self

    def __del__(self):
        session = getattr(self, "_session", None)
        if session is not None:
            self._session = None
            _agentos_door.call("tls_free", {"session": session})

    @property
    def context(self):
        return self._context

    session = None
    session_reused = False

    def _step(self, what, payload=b""):
        fields = {"session": self._session, "what": what}
        head, data = _agentos_door.call("tls_step", fields, payload)
        if "errno" in head:
            raise _failure(head)
        n = head["plain"]
        self._plain += data[:n]
        self._outgoing.write(data[n:])
        if head["closed"]:
            self._closed = True
        if head["error"]:
            raise _failure({"code": "ERR_SSL", "message": head["error"]})
        if head["secure"]:
            info, certs = _agentos_door.call("tls_info", {"session": self._session})
            self._secure = _negotiated(info, certs, self._context, self.server_hostname)

    def _pump(self):
        if not self._started:
            self._started = True
            self._step("pending")
        records = self._incoming.read()
        if records:
            self._step("feed", records)

    def _want_read(self):
        if self._incoming.eof:
            return SSLEOFError(SSL_ERROR_EOF, "EOF occurred in violation of protocol")
        return SSLWantReadError(SSL_ERROR_WANT_READ, "The operation did not complete (read)")

    def do_handshake(self):
        self._pump()
        if self._secure is None:
            raise self._want_read()

    def read(self, len=1024, buffer=None):
        self._pump()
        if not self._plain:
            if not self._closed:
                raise self._want_read()
            return b"" if buffer is None else 0  # close_notify: the end, as OpenSSL's read
        data = bytes(self._plain[:len])
        del self._plain[:len]
        if buffer is None:
            return data
        buffer[: len_of(data)] = data
        return len_of(data)

    def write(self, data):
        if self._secure is None:
            self.do_handshake()
        self._step("write", bytes(data))
        return len_of(data)

    def unwrap(self):
        self._step("close")
        self._pump()
        if not self._closed:
            raise self._want_read()

    def pending(self):
        return len_of(self._plain)

    version = SSLSocket.version
    cipher = SSLSocket.cipher
    shared_ciphers = SSLSocket.shared_ciphers
    compression = SSLSocket.compression
    selected_alpn_protocol = SSLSocket.selected_alpn_protocol
    selected_npn_protocol = SSLSocket.selected_npn_protocol
    getpeercert = SSLSocket.getpeercert
    get_verified_chain = SSLSocket.get_verified_chain
    get_unverified_chain = SSLSocket.get_unverified_chain
    get_channel_binding = SSLSocket.get_channel_binding

    def verify_client_post_handshake(self):
        raise NotImplementedError("post-handshake authentication is not supported")


len_of = len
SSLContext.sslsocket_class = SSLSocket
SSLContext.sslobject_class = SSLObject


class SSLSession:
    pass


def create_default_context(purpose=Purpose.SERVER_AUTH, *, cafile=None, capath=None,
                           cadata=None):
    if purpose == Purpose.SERVER_AUTH:
        context = SSLContext(PROTOCOL_TLS_CLIENT)
    else:
        context = SSLContext(PROTOCOL_TLS_SERVER)
    if cafile or capath or cadata:
        context.load_verify_locations(cafile, capath, cadata)
    return context


def _create_unverified_context(protocol=None, *, cert_reqs=CERT_NONE, check_hostname=False,
                               purpose=Purpose.SERVER_AUTH, certfile=None, keyfile=None,
                               cafile=None, capath=None, cadata=None):
    context = SSLContext(protocol or PROTOCOL_TLS_CLIENT)
    context.check_hostname = check_hostname
    context.verify_mode = cert_reqs
    if certfile or keyfile:
        context.load_cert_chain(certfile, keyfile)
    if cafile or capath or cadata:
        context.load_verify_locations(cafile, capath, cadata)
    return context


_create_default_https_context = create_default_context
_create_stdlib_context = _create_unverified_context


def get_server_certificate(addr, ssl_version=PROTOCOL_TLS_CLIENT, ca_certs=None, timeout=60):
    context = _create_unverified_context(cafile=ca_certs)
    with create_connection(addr, timeout=timeout) as sock:
        with context.wrap_socket(sock, server_hostname=addr[0]) as ssock:
            return DER_cert_to_PEM_cert(ssock.getpeercert(True))
