"""Web identity: signed member cookies (a forged one is refused), the signing key kept in the data folder,
display names cleaned and never an identity, the access token, loopback detection."""

from __future__ import annotations

import stat
from pathlib import Path

from bot.adapters.web_identity import Members, Signer, clean_name, is_loopback, new_member_id
from reel.db import Database


def test_a_member_cookie_round_trips_and_a_forged_one_does_not(tmp_path: Path) -> None:
    signer = Signer.load(tmp_path)
    member = new_member_id()
    cookie = signer.member_cookie(member)
    assert signer.member_of(cookie) == member
    other = new_member_id()
    _, _, mac = cookie.partition(".")
    for forged in (
        f"{other}.{mac}",
        f"{member}.{'0' * 32}",
        member,
        "",
        None,
        f"{member}.{mac}x",
        f"{member.upper()}.{mac}",
        "../../etc.passwd",
    ):
        assert signer.member_of(forged) is None, forged
    assert Signer.load(tmp_path / "elsewhere").member_of(cookie) is None  # another server's key


def test_the_key_survives_a_restart_and_is_private(tmp_path: Path) -> None:
    cookie = Signer.load(tmp_path).member_cookie("0123456789abcdef")
    assert Signer.load(tmp_path).member_of(cookie) == "0123456789abcdef"
    assert stat.S_IMODE((tmp_path / "web_secret").stat().st_mode) == 0o600


def test_access_token_by_header_cookie_or_query(tmp_path: Path) -> None:
    signer = Signer.load(tmp_path)
    token = "s3cret-令牌"
    assert signer.access_ok(token, header=f"Bearer {token}", cookie=None, query=None)
    assert signer.access_ok(token, header=None, cookie=signer.access_cookie(token), query=None)
    assert signer.access_ok(token, header=None, cookie=None, query=token)
    assert not signer.access_ok(token, header="Bearer wrong", cookie="wrong", query="wrong")
    assert not signer.access_ok(token, header=token, cookie=None, query=None)  # no Bearer scheme
    assert signer.access_cookie(token) != token  # the cookie never holds the token itself


def test_names_are_cleaned_and_shared_names_stay_two_members(tmp_path: Path) -> None:
    assert clean_name("  Ann\u200b\n  the\tMaker\x00 ") == "Ann the Maker"
    assert clean_name("x" * 100) == "x" * 32
    assert clean_name("\u202e\u200b") == ""


async def test_members_store_names_by_id(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "db.sqlite") as db:
        members = await Members(db).open()
        a, b = new_member_id(), new_member_id()
        await members.rename(a, "Sam")
        await members.rename(b, "Sam")
        first, second = await members.get(a), await members.get(b)
        assert first.name == second.name == "Sam" and first.user != second.user
        assert first.user == f"web:{a}" and (await members.get(new_member_id())).display_name.startswith(
            "web-"
        )
        fresh = await Members(db).open()  # another process start reads the same names
        assert (await fresh.get(a)).name == "Sam"


def test_loopback_hosts() -> None:
    for host in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.5", "example.org", ""):
        assert not is_loopback(host), host
