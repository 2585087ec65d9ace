from textkit import slugify


def test_simple():
    assert slugify("Hello World") == "hello-world"


def test_accents():
    assert slugify("Café Crème") == "cafe-creme"


def test_custom_separator():
    assert slugify("a b", separator="_") == "a_b"
