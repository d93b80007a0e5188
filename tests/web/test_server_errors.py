"""A server error is answered and the connection it came on carries on, against a real uvicorn.

TestClient has no connections to lose, so these run the app in uvicorn on a free port and talk to it
over one raw HTTP/1.1 keep-alive connection. The app is the real one, built here, with one test-only
router mounted on it whose routes raise what no handler knows.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import APIRouter


class Unexpected(RuntimeError):
    """What a bug raises: no handler knows it."""


def _failing_router() -> APIRouter:
    router = APIRouter()

    @router.get("/api/v1/test-only/failure")
    def api_failure():
        raise Unexpected("a bug in an API route")

    @router.get("/test-only/failure")
    def page_failure():
        raise Unexpected("a bug in a page")

    @router.get("/api/v1/test-only/database-failure")
    def database_failure():
        # A statement PostgreSQL refuses for a reason no retry mends (here: a table that does not exist).
        from sqlalchemy import text

        from capmatch.db import session_scope

        with session_scope() as session:
            session.execute(text("SELECT * FROM no_such_table"))

    return router


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server_port(engine, taxonomy) -> Iterator[int]:
    from capmatch.app import create_app

    app = create_app()
    app.include_router(_failing_router())
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def connection(server_port) -> Iterator[http.client.HTTPConnection]:
    conn = http.client.HTTPConnection("127.0.0.1", server_port, timeout=10)
    yield conn
    conn.close()


def _get(conn: http.client.HTTPConnection, path: str, accept: str = "text/html") -> tuple[int, dict, bytes]:
    conn.request("GET", path, headers={"Accept": accept, "Connection": "keep-alive"})
    response = conn.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def _socket_of(conn: http.client.HTTPConnection) -> socket.socket:
    assert conn.sock is not None, "the connection was closed"
    return conn.sock


def test_after_an_api_server_error_the_next_request_on_the_same_connection_is_answered(connection):
    status, headers, body = _get(connection, "/api/v1/test-only/failure", accept="application/json")
    assert status == 500
    assert json.loads(body)["error"]["code"] == "internal"
    assert headers.get("connection", "").lower() != "close"
    first_socket = _socket_of(connection)

    status, _, body = _get(connection, "/api/v1/areas", accept="application/json")
    assert status == 200 and json.loads(body)
    assert _socket_of(connection) is first_socket  # the same connection, not a silent reconnect


def test_after_a_page_server_error_the_next_requests_on_the_same_connection_are_answered(connection):
    status, _, body = _get(connection, "/test-only/failure")
    assert status == 500
    assert b"Something went wrong on our side" in body
    first_socket = _socket_of(connection)
    for _ in range(2):
        assert _get(connection, "/test-only/failure")[0] == 500
    status, _, body = _get(connection, "/healthz")
    assert status == 200
    assert _socket_of(connection) is first_socket


def test_a_database_error_no_retry_mends_is_a_logged_500_and_the_connection_carries_on(connection):
    status, _, body = _get(connection, "/api/v1/test-only/database-failure", accept="application/json")
    assert status == 500
    assert json.loads(body)["error"]["code"] == "internal"
    assert _get(connection, "/healthz")[0] == 200
