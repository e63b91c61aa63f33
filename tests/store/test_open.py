"""Opening a store by URI: schemes in any case, credentials out of every message, addresses that
cannot be parsed said in one line."""

from __future__ import annotations

import socket
import threading

import pytest

from newsgraph.errors import StoreError
from newsgraph.store import open_store, redacted, split_credentials

SECRET = "pa#ss@w0rd/?x"


@pytest.mark.parametrize(
    "uri",
    [
        f"http://neo4j:{SECRET}@localhost:7474",
        f"Bolt+X://neo4j:{SECRET}@localhost:7687",
        f"mysql:neo4j:{SECRET}@localhost",
        f"ftp://{SECRET}@localhost",
    ],
)
def test_an_unknown_scheme_is_said_without_the_credentials(uri):
    # The URI was echoed whole, password and all.
    with pytest.raises(StoreError, match="unknown scheme") as err:
        open_store(uri)
    assert "w0rd" not in str(err.value) and "pa#ss" not in str(err.value) and "***@localhost" in str(err.value)


@pytest.mark.parametrize(
    "uri",
    ["bolt://[::1:7687", "bolt://neo4j:secret@[::1:7687", "neo4j://neo4j:secret@host:port", "bolt://neo4j:secret@"],
)
def test_an_address_that_cannot_be_parsed_is_one_store_error(uri):
    # A malformed IPv6 host gave a 39-line traceback.
    with pytest.raises(StoreError, match="not a server address") as err:
        open_store(uri)
    assert "secret" not in str(err.value) and "\n" not in str(err.value)


def test_credentials_may_hold_any_character():
    assert split_credentials(f"bolt://neo4j:{SECRET}@db.example:7687") == ("bolt://db.example:7687", "neo4j", SECRET)
    assert split_credentials("neo4j+s://db.example") == ("neo4j+s://db.example", None, None)
    assert split_credentials("bolt://neo4j@db.example") == ("bolt://db.example", "neo4j", None)
    assert redacted(f"bolt://neo4j:{SECRET}@db.example:7687") == "bolt://***@db.example:7687"


def test_the_password_of_a_uri_reaches_the_server_whole_and_no_message():
    """A loopback server that answers Bolt's handshake (version 5.4) and reads what the driver sends
    next, HELLO and LOGON (which carries the credentials); then it hangs up. (The store asks the
    server for no notifications, which needs Bolt 5.2 or later.)"""
    received: list[bytes] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(10)

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(3)
            received.append(conn.recv(20))  # the magic number and four versions
            conn.sendall(bytes([0, 0, 4, 5]))
            try:
                while data := conn.recv(4096):
                    received.append(data)
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    try:
        with pytest.raises(StoreError) as err:
            open_store(f"BOLT://neo4j:{SECRET}@127.0.0.1:{port}", timeout=5)
    finally:
        thread.join(timeout=10)
        listener.close()
    assert received[0].startswith(b"\x60\x60\xb0\x17")
    sent = b"".join(received[1:])
    assert b"principal\x85neo4j" in sent and SECRET.encode() in sent
    assert str(err.value).startswith(f"Neo4j at bolt://127.0.0.1:{port}: ") and "w0rd" not in str(err.value)
