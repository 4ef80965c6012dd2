"""Fetching a page for a reader or the desk: which addresses may be reached, what a server's
answer can do (redirects, sizes, broken connections), and that HTTPS checks certificates.
Every server here runs on 127.0.0.1."""

from __future__ import annotations

import datetime
import http.server
import socket
import socketserver
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from convert.media import fetch as fetching
from convert.media.fetch import PrivateAddressError, fetch, public_address
from convert.model.errors import InputError

from .conftest import local_server


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "::1",
        "::ffff:127.0.0.1",
        "10.0.0.5",
        "192.168.1.1",
        "169.254.169.254",
        "fe80::1",
        "224.0.0.1",
        "0.0.0.0",
        "240.0.0.1",
    ],
)
def test_addresses_of_this_machine_or_a_private_network_are_refused(address: str) -> None:
    with pytest.raises(PrivateAddressError, match="is a private or local address"):
        public_address(address, 80)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_a_public_address_is_connected_to_as_resolved(address: str) -> None:
    assert public_address(address, 443) == (address, 443)


def test_a_host_that_does_not_resolve_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(InputError) as refused:
        fetch("http://news.example.invalid/a", allow_private=False)
    assert str(refused.value) == (
        "cannot fetch: no such host 'news.example.invalid' (Name or service not known)"
    )


def test_only_http_and_https_are_fetched() -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/a", "javascript:alert(1)"):
        with pytest.raises(InputError, match="only http and https addresses can be fetched"):
            fetch(url)


class _Answers(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        if self.path == "/file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif self.path.startswith("/stream/"):
            # no Content-Length: the body ends when the connection closes
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"x" * int(self.path.rsplit("/", 1)[1]))
        elif self.path == "/hang-up":
            self.close_connection = True  # closed without a word
        else:
            self.send_error(404)

    def log_message(self, *args: object) -> None:
        pass


def test_a_redirect_to_a_local_file_is_refused() -> None:
    with local_server(_Answers) as server, pytest.raises(InputError) as refused:
        fetch(f"{server}/file")
    assert str(refused.value) == "redirect to a non-http address refused: file:///etc/passwd"


def test_a_page_of_no_stated_length_is_cut_at_the_limit() -> None:
    with local_server(_Answers) as server:
        assert fetch(f"{server}/stream/1000", max_bytes=1000)[0] == b"x" * 1000
        with pytest.raises(InputError, match=r"^page too large \(more than 1000 bytes\)$"):
            fetch(f"{server}/stream/1001", max_bytes=1000)


def test_a_server_hanging_up_is_one_line() -> None:
    with local_server(_Answers) as server, pytest.raises(InputError) as refused:
        fetch(f"{server}/hang-up")
    assert str(refused.value) == "cannot fetch: Remote end closed connection without response"


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that nobody vouches for, and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@contextmanager
def _https_server(folder: Path) -> Iterator[str]:
    cert_file, key_file = _self_signed(folder)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

        def get_request(self) -> tuple[socket.socket, object]:
            sock, address = super().get_request()
            return context.wrap_socket(sock, server_side=True), address

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # the client refusing the handshake is what the test wants

    with local_server(_Answers, Server, "https") as base:
        yield base


def test_https_refuses_a_certificate_nobody_vouches_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both connection paths (any address, and public addresses only: here 127.0.0.1 is
    taken for public) check the server's certificate."""
    monkeypatch.setattr(fetching, "public_address", lambda host, port: (host, port))
    with _https_server(tmp_path) as server:
        for allow_private in (True, False):
            with pytest.raises(InputError, match=r"^cannot fetch: .*CERTIFICATE_VERIFY_FAILED"):
                fetch(f"{server}/stream/10", allow_private=allow_private)


def test_nobody_listening_is_one_line() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(InputError) as refused:
        fetch(f"http://127.0.0.1:{port}/")
    assert str(refused.value) == (
        "cannot fetch: [Errno 111] Connection refused (offline or no such host?)"
    )
