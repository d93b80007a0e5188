"""The API describes itself truthfully: each operation declares its error statuses with the one error
body, and a write without credentials is told to sign in before its body is looked at."""

from __future__ import annotations

from tests.api.support import make_user

ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}


def test_every_api_operation_declares_its_error_statuses_with_the_one_error_body(client):
    schema = client.get("/openapi.json").json()
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    assert len(operations) > 30
    for path, method, op in operations:
        expected = {"401", "403", "422"}
        if method in ("post", "put", "patch", "delete"):
            expected |= {"400", "404", "409"}
        if "{" in path:
            expected.add("404")
        declared = {status for status in op["responses"] if status >= "400"}
        assert declared == expected, (method, path)
        for status in declared:
            assert op["responses"][status]["content"]["application/json"]["schema"] == ERROR_BODY, (method, path)
    error = schema["components"]["schemas"]["ErrorBody"]
    assert error["required"] == ["error"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_the_declared_error_body_is_the_one_the_app_sends(client):
    response = client.get("/api/v1/needs?page=0")
    assert response.status_code == 422
    assert set(response.json()) == {"error"}
    assert set(response.json()["error"]) <= {"code", "message", "fields"}
    assert response.json()["error"]["fields"][0] == {"field": "page", "message": response.json()["error"]["fields"][0]["message"]}


def test_an_anonymous_write_with_an_invalid_body_is_told_to_sign_in_first(client):
    for body in ({"title": 5}, [1, 2], None):
        response = client.post("/api/v1/needs", json=body)
        assert response.status_code == 401, response.text
        assert response.json()["error"]["code"] == "not_authenticated"
        assert response.headers["www-authenticate"] == "Bearer"
    not_json = client.post("/api/v1/proposals/bulk", content=b"{not json", headers={"content-type": "application/json"})
    assert not_json.status_code == 401
    assert client.patch("/api/v1/offers/1", json={"capacity": -1}).status_code == 401


def test_a_write_with_a_token_still_has_its_body_validated(client, session, bearer):
    headers = bearer(make_user(session, "officer"))
    response = client.post("/api/v1/needs", json={"title": 5}, headers=headers)
    assert response.status_code == 422
    assert "title" in [f["field"] for f in response.json()["error"]["fields"]]


def test_an_unknown_bearer_token_is_refused_even_on_public_reference_data(client):
    response = client.get("/api/v1/clusters", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert client.get("/api/v1/clusters").status_code == 200
