import pytest

from ledger import Account, InsufficientFunds


def test_overdraft_allows_negative():
    acc = Account("a", overdraft=100)
    acc.withdraw(50)
    assert acc.balance == -50


def test_no_overdraft():
    with pytest.raises(InsufficientFunds):
        Account("a").withdraw(1)
