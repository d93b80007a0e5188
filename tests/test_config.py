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
