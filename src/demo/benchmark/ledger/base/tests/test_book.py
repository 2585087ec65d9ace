import pytest

from ledger import Book, InsufficientFunds


def make_book():
    book = Book()
    book.open("alice").deposit(1000)
    book.open("bob")
    return book


def test_transfer():
    book = make_book()
    book.transfer("alice", "bob", 300)
    assert book.accounts["alice"].balance == 700
    assert book.accounts["bob"].balance == 300


def test_insufficient_funds_raises():
    book = make_book()
    with pytest.raises(InsufficientFunds):
        book.transfer("alice", "bob", 5000)


def test_total_constant():
    book = make_book()
    book.transfer("alice", "bob", 250)
    assert book.total() == 1000
