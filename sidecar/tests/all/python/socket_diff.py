"""Sockets, select and TLS against two loopback servers: a plain HTTP one and a TLS one whose
certificate (for `localhost`) a test CA signed. Run by the host's python3 and by ours with the
same arguments (PLAIN_PORT TLS_PORT CA_FILE); the output must be the same."""

import asyncio
import errno
import http.client
import re
import select
import socket
import ssl
import sys

plain, tls, ca = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]


def show(label, fn):
    try:
        print(label, fn())
    except Exception as e:  # noqa: BLE001 - the kind and words are what is compared
        words = re.sub(r" \(_ssl\.c:\d+\)", "", str(e))
        # errno numbers and strerror's words differ between WASI's libc and glibc: the name is
        # compared.
        if isinstance(e, OSError) and not isinstance(e, ssl.SSLError) and e.strerror:
            words = errno.errorcode.get(e.errno)
        print(label, "raised", type(e).__name__, words)


def raw_get(path):
    with socket.create_connection(("localhost", plain), timeout=5) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        s.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := s.recv(7):
            data += chunk
        return data.split(b"\r\n")[0], data.rsplit(b"\r\n", 1)[-1]


def client(path, method="GET", body=None):
    c = http.client.HTTPConnection("localhost", plain, timeout=5)
    c.request(method, path, body=body, headers={"Content-Type": "text/plain"})
    r = c.getresponse()
    return r.status, r.reason, r.getheader("content-length"), r.read()


def makefile_lines():
    with socket.create_connection(("localhost", plain)) as s:
        s.sendall(b"GET /hello HTTP/1.0\r\n\r\n")
        f = s.makefile("rb")
        return [f.readline() for _ in range(2)]


def select_then_read():
    with socket.create_connection(("localhost", plain)) as s:
        s.setblocking(False)
        before = select.select([s], [], [], 0)[0] == [s]
        s.sendall(b"GET /hello HTTP/1.0\r\n\r\n")
        ready = select.select([s], [], [], 5)[0] == [s]
        return before, ready, s.recv(15)


def would_block():
    with socket.create_connection(("localhost", plain)) as s:
        s.setblocking(False)
        s.recv(10)


def recv_timeout():
    with socket.create_connection(("localhost", plain), timeout=0.3) as s:
        s.recv(10)


def peer_port():
    with socket.create_connection(("localhost", plain)) as s:
        return s.getpeername()[1] == plain, s.gettimeout(), s.type == socket.SOCK_STREAM


def refused():
    closed = socket.socket()
    closed.close()
    socket.create_connection(("localhost", 1), timeout=5)


def tls_get(context, host="localhost", connect_to="localhost"):
    with socket.create_connection((connect_to, tls), timeout=5) as s:
        with context.wrap_socket(s, server_hostname=host) as t:
            version = t.version()
            t.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            data = b""
            while chunk := t.recv(5):
                data += chunk
            return version in ("TLSv1.2", "TLSv1.3"), data.split(b"\r\n")[0], data[-6:]


def peer_cert(context):
    with socket.create_connection(("localhost", tls), timeout=5) as s:
        with context.wrap_socket(s, server_hostname="localhost") as t:
            return t.getpeercert(), len(t.getpeercert(True)) > 100


def https_client():
    context = ssl.create_default_context(cafile=ca)
    c = http.client.HTTPSConnection("localhost", tls, context=context, timeout=5)
    c.request("GET", "/")
    r = c.getresponse()
    return r.status, r.read()


async def streams(port=None, context=None):
    reader, writer = await asyncio.open_connection("localhost", port or plain, ssl=context)
    writer.write(b"GET /hello HTTP/1.0\r\nHost: localhost\r\n\r\n")
    await writer.drain()
    status = await reader.readline()
    rest = await reader.read()
    writer.close()
    await writer.wait_closed()
    return status, rest[-6:]


def serve_one():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        c = socket.create_connection(("127.0.0.1", port), timeout=5)
        a, addr = s.accept()
        c.sendall(b"ping")
        got = a.recv(10)
        a.sendall(b"pong")
        a.close()
        answer = c.recv(10), c.recv(10)
        c.close()
        try:
            s.getpeername()
        except OSError as e:
            listener_peer = errno.errorcode.get(e.errno)
        return port > 0, addr[0], got, answer, listener_peer


def port_taken():
    with socket.socket() as s, socket.socket() as t:
        s.bind(("127.0.0.1", 0))
        s.listen()
        t.bind(("127.0.0.1", s.getsockname()[1]))
        t.listen()


def accept_would_block():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        s.setblocking(False)
        s.accept()


async def echo_server():
    async def handle(reader, writer):
        writer.write(b"echo " + await reader.readline())
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    got = []
    for i in range(3):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"hi %d\n" % i)
        got.append(await reader.read())
        writer.close()
    server.close()
    await server.wait_closed()
    return got


trusted = ssl.create_default_context(cafile=ca)
show("raw", lambda: raw_get("/hello"))
show("client", lambda: client("/hello"))
show("client 404", lambda: client("/missing"))
show("client post", lambda: client("/echo", "POST", b"a=1"))
show("makefile", makefile_lines)
show("select", select_then_read)
show("would block", would_block)
show("timeout", recv_timeout)
show("peer", peer_port)
show("refused", refused)
show("getaddrinfo", lambda: socket.getaddrinfo("localhost", "https", type=socket.SOCK_STREAM)[0][4][1])
show("asyncio", lambda: asyncio.run(streams()))
show("serve one", serve_one)
show("port taken", port_taken)
show("accept would block", accept_would_block)
show("asyncio server", lambda: asyncio.run(echo_server()))
show("asyncio tls", lambda: asyncio.run(streams(tls, trusted)))
show("asyncio untrusted", lambda: asyncio.run(streams(tls, ssl.create_default_context())))
show("tls", lambda: tls_get(trusted))
show("https", https_client)
show("peer certificate", lambda: peer_cert(trusted))
show("peer certificate unverified", lambda: peer_cert(ssl._create_unverified_context()))
show("untrusted", lambda: tls_get(ssl.create_default_context()))
show("wrong name", lambda: tls_get(trusted, host="127.0.0.1", connect_to="127.0.0.1"))
show("unverified", lambda: tls_get(ssl._create_unverified_context(), host="127.0.0.1"))
show("no hostname", lambda: trusted.wrap_socket(socket.socket()))
show("der", lambda: len(ssl.PEM_cert_to_DER_cert(open(ca).read())) > 100)
