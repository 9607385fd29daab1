"""TLS for sockets, in the agentos sandbox.

This build of CPython has no `_ssl` (no OpenSSL); this module is ours, with CPython's API for
clients: a TLS socket is a socket fd whose records a rustls session in the sidecar reads and
writes (the door's `sock_tls`, runner-js/js/WASI.md), so `recv`/`send`/`makefile`/`select` on
it carry plain text. Certificates are checked against `load_verify_locations` (files, dirs or
data) or, when none were loaded, Mozilla's roots the sidecar carries; the host name too, with
`check_hostname`.

What differs from CPython: no server side (`server_side=True`, `wrap_bio`, `MemoryBIO`,
`SSLObject` raise `NotImplementedError`); `set_ciphers`, `options` and versions below TLS 1.2
change nothing (rustls speaks TLS 1.2 and 1.3 with its own suites); `getpeercert()` without
`binary_form` is `{}` (the DER form is there); the handshake waits for the peer whatever the
socket's timeout (the exec's limits still apply); sessions are not resumed.
"""

import base64 as _base64
import os as _os
from collections import namedtuple as _namedtuple
from enum import Enum as _Enum
from enum import IntEnum as _IntEnum
from enum import IntFlag as _IntFlag

import _agentos_door
import socket as _socket
from socket import SOCK_STREAM, create_connection, socket  # noqa: F401 (CPython's names)

# Said as OpenSSL's, as libraries (urllib3) check the prefix; what speaks TLS is rustls.
OPENSSL_VERSION = "OpenSSL 3.0.0 (compatible; rustls in the agentos sidecar)"
OPENSSL_VERSION_INFO = (3, 0, 0, 0, 0)
OPENSSL_VERSION_NUMBER = 0x30000000
_OPENSSL_API_VERSION = OPENSSL_VERSION_INFO
_DEFAULT_CIPHERS = "@SECLEVEL=2:ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:!aNULL:!eNULL"

HAS_SNI = HAS_ALPN = HAS_ECDH = HAS_NEVER_CHECK_COMMON_NAME = True
HAS_TLSv1_2 = HAS_TLSv1_3 = True
HAS_NPN = HAS_SSLv2 = HAS_SSLv3 = HAS_TLSv1 = HAS_TLSv1_1 = HAS_PSK = HAS_PHA = False
HAS_PSK_TLS13 = False
CHANNEL_BINDING_TYPES = []


class _SSLMethod(_IntEnum):
    PROTOCOL_SSLv23 = 2
    PROTOCOL_TLS_CLIENT = 16
    PROTOCOL_TLS_SERVER = 17


PROTOCOL_SSLv23 = PROTOCOL_TLS = _SSLMethod.PROTOCOL_SSLv23
PROTOCOL_TLS_CLIENT = _SSLMethod.PROTOCOL_TLS_CLIENT
PROTOCOL_TLS_SERVER = _SSLMethod.PROTOCOL_TLS_SERVER


class VerifyMode(_IntEnum):
    CERT_NONE = 0
    CERT_OPTIONAL = 1
    CERT_REQUIRED = 2


CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED = VerifyMode


class VerifyFlags(_IntFlag):
    VERIFY_DEFAULT = 0
    VERIFY_CRL_CHECK_LEAF = 0x4
    VERIFY_CRL_CHECK_CHAIN = 0xC
    VERIFY_X509_STRICT = 0x20
    VERIFY_ALLOW_PROXY_CERTS = 0x40
    VERIFY_X509_TRUSTED_FIRST = 0x8000
    VERIFY_X509_PARTIAL_CHAIN = 0x80000


globals().update(VerifyFlags.__members__)


class Options(_IntFlag):
    OP_ALL = 0x80000050
    OP_NO_SSLv2 = 0
    OP_NO_SSLv3 = 0x2000000
    OP_NO_TLSv1 = 0x4000000
    OP_NO_TLSv1_1 = 0x10000000
    OP_NO_TLSv1_2 = 0x8000000
    OP_NO_TLSv1_3 = 0x20000000
    OP_NO_COMPRESSION = 0x20000
    OP_NO_TICKET = 0x4000
    OP_NO_RENEGOTIATION = 0x40000000
    OP_CIPHER_SERVER_PREFERENCE = 0x400000
    OP_SINGLE_DH_USE = 0
    OP_SINGLE_ECDH_USE = 0
    OP_ENABLE_MIDDLEBOX_COMPAT = 0x100000
    OP_IGNORE_UNEXPECTED_EOF = 0x80
    OP_LEGACY_SERVER_CONNECT = 0x4
    OP_ENABLE_KTLS = 0x8


globals().update(Options.__members__)


class TLSVersion(_IntEnum):
    MINIMUM_SUPPORTED = -2
    MAXIMUM_SUPPORTED = -1
    SSLv3 = 0x300
    TLSv1 = 0x301
    TLSv1_1 = 0x302
    TLSv1_2 = 0x303
    TLSv1_3 = 0x304


class Purpose(_namedtuple("_ASN1Object", "nid shortname longname oid"), _Enum):
    SERVER_AUTH = (129, "serverAuth", "TLS Web Server Authentication", "1.3.6.1.5.5.7.3.1")
    CLIENT_AUTH = (130, "clientAuth", "TLS Web Client Authentication", "1.3.6.1.5.5.7.3.2")


class SSLError(OSError):
    library = reason = None

    def __str__(self):
        return self.args[1] if len(self.args) > 1 else super().__str__()


class SSLZeroReturnError(SSLError):
    pass


class SSLWantReadError(SSLError):
    pass


class SSLWantWriteError(SSLError):
    pass


class SSLSyscallError(SSLError):
    pass


class SSLEOFError(SSLError):
    pass


class SSLCertVerificationError(SSLError, ValueError):
    verify_code = 0
    verify_message = None


CertificateError = SSLCertVerificationError
socket_error = OSError

SSL_ERROR_SSL, SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE = 1, 2, 3
SSL_ERROR_SYSCALL, SSL_ERROR_ZERO_RETURN, SSL_ERROR_EOF = 5, 6, 8

# OpenSSL's verify codes and words, by the name the sidecar reports.
_VERIFY = {
    "HOSTNAME_MISMATCH": (62, "Hostname mismatch, certificate is not valid for {name!r}."),
    "IP_ADDRESS_MISMATCH": (64, "IP address mismatch, certificate is not valid for {name!r}."),
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY": (20, "unable to get local issuer certificate"),
    # A lone leaf whose issuer is unknown: what OpenSSL 3 says (Node's name for it differs).
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE": (20, "unable to get local issuer certificate"),
    "DEPTH_ZERO_SELF_SIGNED_CERT": (18, "self-signed certificate"),
    "SELF_SIGNED_CERT_IN_CHAIN": (19, "self-signed certificate in certificate chain"),
    "CERT_HAS_EXPIRED": (10, "certificate has expired"),
    "CERT_NOT_YET_VALID": (9, "certificate is not yet valid"),
    "CERT_REVOKED": (23, "certificate revoked"),
    "CERT_SIGNATURE_FAILURE": (7, "certificate signature failure"),
}

DefaultVerifyPaths = _namedtuple(
    "DefaultVerifyPaths",
    "cafile capath openssl_cafile_env openssl_cafile openssl_capath_env openssl_capath",
)


def get_default_verify_paths():
    return DefaultVerifyPaths(None, None, "SSL_CERT_FILE", "", "SSL_CERT_DIR", "")


def DER_cert_to_PEM_cert(der_cert_bytes):
    text = _base64.encodebytes(der_cert_bytes).decode("ascii").replace("\n", "")
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def PEM_cert_to_DER_cert(pem_cert_string):
    head, tail = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"
    text = pem_cert_string.strip()
    if not text.startswith(head) or not text.endswith(tail):
        raise ValueError(f"Invalid PEM encoding; must start with {head!r} and end with {tail!r}")
    return _base64.decodebytes(text[len(head) : -len(tail)].encode("ascii"))


def RAND_bytes(n):
    return _os.urandom(n)


def RAND_status():
    return True


def RAND_add(string, entropy):
    pass


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
        if self._check_hostname and not server_hostname:
            raise ValueError("check_hostname requires server_hostname")
        return SSLSocket._create(sock, self, server_hostname, do_handshake_on_connect,
                                 suppress_ragged_eofs)

    def wrap_bio(self, incoming, outgoing, server_side=False, server_hostname=None, session=None):
        raise NotImplementedError("TLS over memory BIOs is not supported in this sandbox")

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
        head, payload = _agentos_door.call("sock_tls", fields)
        if "errno" in head:
            raise self._failure(head)
        verify = head.get("verify_error")
        if verify == "HOSTNAME_MISMATCH" and _is_address(self.server_hostname):
            verify = "IP_ADDRESS_MISMATCH"
        if verify and self._context.verify_mode != CERT_NONE:
            code, words = _VERIFY.get(verify, (1, verify))
            words = words.format(name=self.server_hostname)
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
        self._secure = (head.get("version"), head.get("cipher"), head.get("alpn"), certs)

    def _failure(self, head):
        message = head.get("message") or "TLS failed"
        if head.get("code") == "EOF":
            return SSLEOFError(SSL_ERROR_EOF, f"[SSL: UNEXPECTED_EOF_WHILE_READING] {message}")
        if head.get("code") == "ERR_SSL":
            error = SSLError(SSL_ERROR_SSL, f"[SSL] {message} (_ssl.c:1000)")
            error.library = "SSL"
            return error
        return _agentos_door.os_error(head)

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
        if binary_form:
            return bytes(certs[0]) if certs else None
        return {}

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


SSLContext.sslsocket_class = SSLSocket


class MemoryBIO:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("TLS over memory BIOs is not supported in this sandbox")


class SSLObject:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("TLS over memory BIOs is not supported in this sandbox")


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


def cert_time_to_seconds(cert_time):
    import calendar
    import time

    return calendar.timegm(time.strptime(cert_time.replace("  ", " "), "%b %d %H:%M:%S %Y GMT"))
