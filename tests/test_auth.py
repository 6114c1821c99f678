from planner.auth import hash_password, is_editor_email, verify_password


def test_a_password_verifies_against_its_hash_and_nothing_else() -> None:
    stored = hash_password("Forår&Sommer 2026", iterations=1_000)
    assert "Forår" not in stored
    assert verify_password("Forår&Sommer 2026", stored)
    assert not verify_password("forår&sommer 2026", stored)
    assert not verify_password("", stored)


def test_the_same_password_hashes_differently_each_time() -> None:
    assert hash_password("x", iterations=1_000) != hash_password("x", iterations=1_000)


def test_a_malformed_hash_never_verifies() -> None:
    for stored in ("", "plain-text-password", "md5$1$aa$bb", "pbkdf2_sha256$notanumber$aa$bb"):
        assert not verify_password("plain-text-password", stored)


def test_editors_are_recognised_by_email_ignoring_case() -> None:
    assert is_editor_email("Marie@Albertslund.dk", "marie@albertslund.dk, tine@albertslund.dk")
    assert is_editor_email("tine@albertslund.dk", ["marie@albertslund.dk", "tine@albertslund.dk"])
    assert not is_editor_email("rene@albertslund.dk", "marie@albertslund.dk")
    assert not is_editor_email(None, "marie@albertslund.dk")
    assert not is_editor_email("marie@albertslund.dk", None)
