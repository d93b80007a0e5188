"""Configuration comes from the environment and refuses unsafe production settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from capmatch.config import DEFAULT_SECRET, Settings


def test_production_refuses_the_default_secret_key(monkeypatch):
    monkeypatch.setenv("CAPMATCH_ENV", "production")
    monkeypatch.delenv("CAPMATCH_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="CAPMATCH_SECRET_KEY"):
        Settings()


def test_production_accepts_a_private_secret_key(monkeypatch):
    monkeypatch.setenv("CAPMATCH_ENV", "production")
    monkeypatch.setenv("CAPMATCH_SECRET_KEY", "a-long-private-value-0123456789")
    assert Settings().secret_key == "a-long-private-value-0123456789"


def test_development_runs_with_the_default_secret(monkeypatch):
    monkeypatch.delenv("CAPMATCH_ENV", raising=False)
    monkeypatch.delenv("CAPMATCH_SECRET_KEY", raising=False)
    assert Settings().secret_key == DEFAULT_SECRET


def test_database_url_and_port_use_their_conventional_names(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.internal/capmatch")
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("CAPMATCH_DATA_DIR", str(tmp_path))
    settings = Settings()
    assert settings.database_url == "postgresql://u@db.internal/capmatch"
    assert settings.port == 9123
    assert settings.data_dir == tmp_path


def test_no_proxy_is_trusted_by_default(monkeypatch):
    monkeypatch.delenv("CAPMATCH_TRUSTED_PROXIES", raising=False)
    assert Settings().trusted_proxies == []


def test_trusted_proxies_are_a_comma_separated_list_of_addresses_and_networks(monkeypatch):
    monkeypatch.setenv("CAPMATCH_TRUSTED_PROXIES", "10.0.0.5, 10.1.0.0/16,,fd00::1")
    assert Settings().trusted_proxies == ["10.0.0.5", "10.1.0.0/16", "fd00::1"]


def test_a_trusted_proxy_that_is_not_an_address_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("CAPMATCH_TRUSTED_PROXIES", "10.0.0.5,proxy.internal")
    with pytest.raises(ValidationError, match="'proxy.internal' is not an IP address or network"):
        Settings()
