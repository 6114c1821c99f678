"""Subscription tokens: one per department, unguessable, and nothing stored."""

from __future__ import annotations

import re

import pytest

from planner.calendar_feed import WHOLE_PLAN, FeedSecretError, feed_token, scope_of_token

SECRET = "k" * 40
SCOPES = [WHOLE_PLAN, "born-familie", "okonomi-stab", "miljo-teknik"]


def test_every_department_and_the_whole_plan_get_their_own_url_safe_token() -> None:
    tokens = [feed_token(SECRET, scope) for scope in SCOPES]
    assert len(set(tokens)) == len(tokens)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{27}", t) for t in tokens)
    assert feed_token(SECRET, "born-familie") == feed_token(SECRET, "born-familie")


def test_a_token_finds_its_department_and_nothing_else() -> None:
    for scope in SCOPES:
        assert scope_of_token(SECRET, feed_token(SECRET, scope), SCOPES) == scope
    token = feed_token(SECRET, "born-familie")
    assert scope_of_token(SECRET, token[:-1] + ("A" if token[-1] != "A" else "B"), SCOPES) is None
    assert scope_of_token(SECRET, "", SCOPES) is None
    assert scope_of_token(SECRET, "æøå/../..", SCOPES) is None
    assert scope_of_token("z" * 40, token, SCOPES) is None  # a new secret withdraws every old link


def test_a_short_secret_is_refused_with_how_to_make_one() -> None:
    with pytest.raises(FeedSecretError, match=r"mindst 32 tegn.*secrets\.token_urlsafe"):
        feed_token("kort", "born-familie")
