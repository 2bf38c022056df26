"""Logging in to `kilde serve`: hashed passwords in the file, and failed logins slowed."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest

from ui.cli import main
from ui.config import ConfigError
from ui.login import Login
from ui.passwords import PasswordHash, read_auth_file, set_password
from ui.throttle import Throttle


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def passwd(path: Path, user: str, typed: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    return main(["passwd", user, "--auth-file", str(path)])


def test_passwd_stores_a_salted_hash_readable_by_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "users.txt"
    path.write_text("# who may log in\n")
    assert passwd(path, "ana", "correct horse\n", monkeypatch) == 0
    assert passwd(path, "bo", "correct horse\n", monkeypatch) == 0
    text = path.read_text()
    assert "correct horse" not in text and text.startswith("# who may log in\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    lines = text.splitlines()[1:]
    assert [line.split(":")[0] for line in lines] == ["ana", "bo"]
    assert all(line.split(":")[1].startswith("scrypt$16384$8$1$") for line in lines)
    # The same password, two salts: two different hashes.
    assert lines[0].split(":")[1] != lines[1].split(":")[1]
    users = read_auth_file(path)
    assert users["ana"].matches("correct horse") and not users["ana"].matches("correct horse ")
    assert [p.name for p in tmp_path.iterdir()] == ["users.txt"]  # no temporary file left


def test_passwd_changes_a_password_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "users.txt"
    assert passwd(path, "ana", "old one\n", monkeypatch) == 0
    assert passwd(path, "bo", "bo's\n", monkeypatch) == 0
    assert passwd(path, "ana", "new one\n", monkeypatch) == 0
    users = read_auth_file(path)
    assert list(users) == ["bo", "ana"]
    assert users["ana"].matches("new one") and not users["ana"].matches("old one")
    assert users["bo"].matches("bo's")


def test_passwd_needs_a_file_and_a_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KILDE_UI__AUTH_FILE", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("secret\n"))
    assert main(["passwd", "ana"]) == 2
    assert "--auth-file" in capsys.readouterr().err
    assert passwd(tmp_path / "users.txt", "ana", "\n", monkeypatch) == 2
    assert "empty" in capsys.readouterr().err
    assert passwd(tmp_path / "users.txt", "a:b", "secret\n", monkeypatch) == 2
    assert not (tmp_path / "users.txt").exists()


def test_a_plaintext_password_is_refused_with_the_way_to_convert_it(tmp_path: Path) -> None:
    path = tmp_path / "users.txt"
    path.write_text(f"# users\nbo:{PasswordHash.of('x').text()}\nana:correct horse\n")
    with pytest.raises(ConfigError, match="line 3 holds a plaintext password for 'ana'") as error:
        read_auth_file(path)
    assert f"kilde passwd ana --auth-file {path}" in str(error.value)
    assert "correct horse" not in str(error.value)


def test_serve_refuses_a_plaintext_file_at_startup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "users.txt"
    path.write_text("ana:correct horse\n")
    code = main(["--data-dir", str(tmp_path / "data"), "serve", "--auth-file", str(path)])
    assert code == 2
    assert "kilde passwd ana" in capsys.readouterr().err


def test_a_damaged_hash_is_named(tmp_path: Path) -> None:
    path = tmp_path / "users.txt"
    good = PasswordHash.of("x").text()
    for damaged in (good[:-8], good.replace("$16384$", "$1000$"), "scrypt$1$2"):
        path.write_text(f"ana:{damaged}\n")
        with pytest.raises(ConfigError, match="line 1: the password hash of 'ana' is damaged"):
            read_auth_file(path)
    # Parameters that would take gigabytes per check are refused, not run.
    path.write_text(f"ana:{good.replace('$16384$', '$1073741824$')}\n")
    with pytest.raises(ConfigError, match="too much memory"):
        read_auth_file(path)


def test_a_written_file_is_whole_or_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "users.txt"
    set_password(path, "ana", "first")

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", fail)
    with pytest.raises(ConfigError, match="cannot write the password file"):
        set_password(path, "ana", "second")
    assert read_auth_file(path)["ana"].matches("first")
    assert [p.name for p in tmp_path.iterdir()] == ["users.txt"]


def test_failures_past_the_free_ones_block_for_a_growing_capped_time() -> None:
    clock = Clock()
    throttle = Throttle(free=3, base=1.0, cap=8.0, clock=clock)
    for _ in range(3):
        assert throttle.allows("ana")
        throttle.failed("ana")
    assert throttle.allows("ana")  # three failures are free
    waits = []
    for _ in range(6):
        throttle.failed("ana")
        assert not throttle.allows("ana")
        start = clock.now
        while not throttle.allows("ana"):
            clock.now += 0.25
        waits.append(clock.now - start)
    assert waits == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert throttle.allows("bo")  # per user name
    throttle.succeeded("ana")
    throttle.failed("ana")
    assert throttle.allows("ana")  # a success starts the count anew


def test_fifty_wrong_logins_in_a_row_are_mostly_not_even_checked() -> None:
    clock = Clock()
    users = {"ana": PasswordHash.of("correct horse")}
    checked = []

    login = Login(users, Throttle(free=5, base=1.0, cap=30.0, clock=clock))
    original = PasswordHash.matches

    def counting(self: PasswordHash, password: str) -> bool:
        checked.append(password)
        return original(self, password)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PasswordHash, "matches", counting)
        results = [login("ana", f"guess {n}") for n in range(50)]
        assert not any(results) and len(checked) == 6  # the free five, and one more
        assert not login("ana", "correct horse")  # refused, unchecked, while blocked
        clock.now += 1.0
        assert login("ana", "correct horse")
        assert login("ana", "correct horse")  # the success forgot the failures


def test_unknown_names_are_refused_and_throttled_together() -> None:
    throttle = Throttle(free=2, clock=Clock())
    login = Login({"ana": PasswordHash.of("pw")}, throttle)
    assert not Login({}, throttle)("", "")
    for name in ("nobody", "someone", "anyone"):
        assert not login(name, "pw")
    # One key for every unknown name: made-up names cannot each get free guesses (nor
    # fill memory), and a known name is not held up by them.
    assert not throttle.allows("") and throttle.allows("nobody")
    assert login("ana", "pw")
