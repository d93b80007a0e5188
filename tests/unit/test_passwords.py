"""Passwords: cheap argon2 parameters under CAPMATCH_ENV=test, the strong defaults everywhere else."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters, profiles

from capmatch.auth.passwords import hash_password, verify_password
from capmatch.config import get_settings


def test_the_suite_runs_under_the_test_environment():
    assert get_settings().env == "test"


def test_a_hash_made_under_test_is_cheap_and_verifies():
    password_hash = hash_password("correct-horse-battery")
    assert "$m=8,t=1,p=1$" in password_hash
    assert extract_parameters(password_hash) == profiles.CHEAPEST
    assert verify_password(password_hash, "correct-horse-battery")
    assert not verify_password(password_hash, "wrong-horse-battery")


@pytest.mark.parametrize("env", ["development", "production"])
def test_outside_tests_hashes_use_the_strong_default_parameters(monkeypatch, env):
    monkeypatch.setattr(get_settings(), "env", env)
    password_hash = hash_password("correct-horse-battery")
    assert password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert extract_parameters(password_hash) == profiles.RFC_9106_LOW_MEMORY
    assert verify_password(password_hash, "correct-horse-battery")
    assert not verify_password(password_hash, "wrong-horse-battery")


def test_hashes_verify_across_environments(monkeypatch):
    cheap = hash_password("correct-horse-battery")
    monkeypatch.setattr(get_settings(), "env", "production")
    strong = hash_password("correct-horse-battery")
    assert verify_password(cheap, "correct-horse-battery")
    monkeypatch.setattr(get_settings(), "env", "test")
    assert verify_password(strong, "correct-horse-battery")


def test_a_malformed_hash_does_not_verify():
    assert not verify_password("not-an-argon2-hash", "correct-horse-battery")


@pytest.mark.parametrize(("password", "words"), [
    ("short-one", "at least 10"),
    ("x" * 201, "at most 200"),
    ("password", "at least 10"),
    ("Password2024!", "most common"),
    ("QWERTYUIOP", "most common"),
    ("iloveyou-123", "most common"),
    ("aaaaaaaaaaaa", "too easy"),
    ("ghijklmnopq", "too easy"),
    ("9876543210", "too easy"),
    ("poiuytrewq", "too easy"),
    ("amina.otieno", "e-mail address"),
    ("amina.otieno@agency.example!", "e-mail address"),
])
def test_a_weak_new_password_is_refused_in_plain_words(password, words):
    from capmatch.auth.passwords import password_problem

    problem = password_problem(password, email="amina.otieno@agency.example")
    assert problem is not None and words in problem, (password, problem)


@pytest.mark.parametrize("password", ["correct-horse-battery", "amber falcon river", "Kp7#vq2Lm9xZ", "8392017465"])
def test_a_reasonable_password_passes(password):
    from capmatch.auth.passwords import common_passwords, password_problem

    assert password_problem(password, email="amina.otieno@agency.example") is None
    assert len(common_passwords()) > 300
