"""Settings read from the environment (prefix CAPMATCH_, plus the conventional DATABASE_URL)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "capmatch-development-secret-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAPMATCH_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    # With no DATABASE_URL the app runs an embedded PostgreSQL in data_dir, so a
    # fresh machine needs nothing but Python.
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "CAPMATCH_DATABASE_URL")
    )
    data_dir: Path = REPO_ROOT / ".capmatch"
    secret_key: str = DEFAULT_SECRET
    host: str = "127.0.0.1"
    port: int = Field(default=8000, validation_alias=AliasChoices("PORT", "CAPMATCH_PORT"))
    page_size_max: int = 200
    db_pool_size: int = 10
    # Re-read a template when its file changes (an os.stat per template use): for editing templates
    # on a running server only; off, each worker compiles a template once.
    template_reload: bool = False
    # Proposals: how long a requester or provider has to answer before the step expires.
    answer_deadline_days: int = Field(default=14, ge=1, le=365)
    # How long an invitation's link stays good; resending it starts the time again.
    invitation_expiry_days: int = Field(default=7, ge=1, le=90)
    # How long a password reset link, or an e-mail change's confirmation link, stays good.
    account_link_expiry_minutes: int = Field(default=60, ge=5, le=7 * 24 * 60)
    # Outgoing e-mail for notifications; with no host, notifications stay in the app only.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "capmatch@localhost"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0
    # Where links in e-mails point (links in the app are relative).
    public_url: str = "http://127.0.0.1:8000"
    # The reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For and
    # X-Forwarded-Proto are believed. None by default: anyone can send those headers, and the
    # login throttle counts failures by the client's address.
    trusted_proxies: Annotated[list[str], NoDecode] = []

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: list[str]) -> list[str]:
        # uvicorn would quietly take a mistyped address as a name that never matches.
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/24)") from None
        return value

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> "Settings":
        # A signed session cookie is only as good as its key: never ship the
        # well-known development key to a real deployment.
        if self.env == "production" and self.secret_key == DEFAULT_SECRET:
            raise ValueError(
                "CAPMATCH_SECRET_KEY must be set to a private value when CAPMATCH_ENV=production"
            )
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
