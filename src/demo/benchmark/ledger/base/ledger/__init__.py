"""ledger: a tiny double-entry style account book."""
from ledger.account import Account, InsufficientFunds
from ledger.book import Book

__all__ = ["Account", "Book", "InsufficientFunds"]
