"""A book of named accounts with transfers between them."""
from ledger.account import Account


class Book:
    def __init__(self):
        self.accounts = {}

    def open(self, name, overdraft=0):
        if name in self.accounts:
            raise KeyError(f"account {name!r} exists")
        self.accounts[name] = Account(name, overdraft)
        return self.accounts[name]

    def transfer(self, source, target, amount, memo=""):
        """Move ``amount`` cents from ``source`` to ``target``."""
        self.accounts[target].deposit(amount, memo)
        self.accounts[source].withdraw(amount, memo)

    def total(self):
        return sum(a.balance for a in self.accounts.values())
