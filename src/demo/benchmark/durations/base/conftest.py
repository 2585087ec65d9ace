# Makes the repo root importable for pytest.
