from textkit import title_case


def test_basic():
    assert title_case("the lord of the rings") == "The Lord of the Rings"


def test_single_word():
    assert title_case("python") == "Python"


def test_apostrophes():
    assert title_case("don't stop believing") == "Don't Stop Believing"


def test_possessive():
    assert title_case("the cat's toy") == "The Cat's Toy"
