"""Accounts hold a balance in cents and a history of entries."""
from dataclasses import dataclass, field


class InsufficientFunds(Exception):
    """Raised when a withdrawal would overdraw an account without overdraft."""


@dataclass
class Entry:
    amount: int
    memo: str = ""


@dataclass
class Account:
    name: str
    overdraft: int = 0
    entries: list = field(default_factory=list)

    @property
    def balance(self):
        return sum(e.amount for e in self.entries)

    def deposit(self, amount, memo=""):
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.entries.append(Entry(amount, memo))

    def withdraw(self, amount, memo=""):
        if amount <= 0:
            raise ValueError("withdrawal must be positive")
        if self.balance - amount < -self.overdraft:
            raise InsufficientFunds(f"{self.name}: balance {self.balance}, asked {amount}")
        self.entries.append(Entry(-amount, memo))
