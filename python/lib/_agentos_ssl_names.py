"""The names of `ssl` that are data: versions, flags, enums, exceptions, OpenSSL's verify words,
and the certificate conversions (`ssl.py` imports them all; this split keeps it short)."""

import base64 as _base64
import os as _os
from collections import namedtuple as _namedtuple
from enum import Enum as _Enum
from enum import IntEnum as _IntEnum
from enum import IntFlag as _IntFlag

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


def cert_time_to_seconds(cert_time):
    import calendar
    import time

    return calendar.timegm(time.strptime(cert_time.replace("  ", " "), "%b %d %H:%M:%S %Y GMT"))
