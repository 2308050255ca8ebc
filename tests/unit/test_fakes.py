"""The fakes must be honest: a fake that commits too eagerly would hide real bugs."""

from __future__ import annotations

import pytest

from lib.domain.accounts import User
from lib.domain.errors import EmailAlreadyRegistered
from lib.services.uow import AbstractUnitOfWork
from tests.unit.fakes import START, FakeConflict, FakeStore, FakeUnitOfWork


def _user(email: str = "a@example.com") -> User:
    return User(id=0, email=email, display_name="A", password_hash="hashed:x", referral_code=email[:8])


def test_fake_unit_of_work_is_a_unit_of_work() -> None:
    assert isinstance(FakeUnitOfWork(FakeStore()), AbstractUnitOfWork)


def test_changes_are_invisible_to_others_until_commit(store: FakeStore) -> None:
    with FakeUnitOfWork(store) as writer:
        writer.users.add(_user())
        with FakeUnitOfWork(store, write=False) as reader:
            assert reader.users.get_by_email("a@example.com") is None
        writer.commit()
    with FakeUnitOfWork(store, write=False) as reader:
        assert reader.users.get_by_email("a@example.com") is not None


def test_leaving_without_commit_discards_changes(store: FakeStore) -> None:
    with FakeUnitOfWork(store) as uow:
        uow.users.add(_user())
        uow.outbox.add("a@example.com", "s", "b", START)
    assert store.state.users == {}
    assert store.state.outbox == {}
    assert store.commits == 0


def test_an_exception_rolls_back(store: FakeStore) -> None:
    with pytest.raises(RuntimeError), FakeUnitOfWork(store) as uow:
        uow.users.add(_user())
        raise RuntimeError("boom")
    assert store.state.users == {}


def test_entities_are_copies_so_a_forgotten_save_changes_nothing(store: FakeStore) -> None:
    with FakeUnitOfWork(store) as uow:
        uow.users.add(_user())
        uow.commit()
    with FakeUnitOfWork(store) as uow:
        user = uow.users.get_by_email("a@example.com")
        assert user is not None
        user.display_name = "changed"
        uow.commit()
    assert store.user_by_email("a@example.com").display_name == "A"


def test_unique_email_is_enforced(store: FakeStore) -> None:
    with FakeUnitOfWork(store) as uow:
        uow.users.add(_user())
        with pytest.raises(EmailAlreadyRegistered):
            uow.users.add(_user())


def test_commits_over_each_other_are_refused(store: FakeStore) -> None:
    first, second = FakeUnitOfWork(store), FakeUnitOfWork(store)
    with first, second:
        first.users.add(_user("a@example.com"))
        second.users.add(_user("b@example.com"))
        first.commit()
        with pytest.raises(FakeConflict):
            second.commit()



def test_a_read_only_unit_of_work_refuses_to_commit_changes(store: FakeStore) -> None:
    with FakeUnitOfWork(store, write=False) as uow:
        uow.commit()  # nothing changed: fine
        uow.users.add(_user())
        with pytest.raises(AssertionError):
            uow.commit()
    assert store.state.users == {}
