package semver

import "testing"

func TestCompareNumbers(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"1.0.0", "2.0.0", -1},
		{"1.10.0", "1.9.0", 1},
		{"1.2.3", "1.2.3", 0},
		{"0.0.9", "0.0.10", -1},
	}
	for _, c := range cases {
		if got := Compare(MustParse(c.a), MustParse(c.b)); got != c.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestComparePrereleaseBelowRelease(t *testing.T) {
	if !Less(MustParse("1.0.0-alpha"), MustParse("1.0.0")) {
		t.Error("1.0.0-alpha should be below 1.0.0")
	}
	if Less(MustParse("1.0.0"), MustParse("1.0.0-rc.1")) {
		t.Error("1.0.0 should not be below 1.0.0-rc.1")
	}
}

func TestCompareAlphanumericPrerelease(t *testing.T) {
	if !Less(MustParse("1.0.0-alpha"), MustParse("1.0.0-beta")) {
		t.Error("alpha should be below beta")
	}
	if !Less(MustParse("1.0.0-alpha"), MustParse("1.0.0-alpha.1")) {
		t.Error("a shorter prerelease should be below a longer one with the same prefix")
	}
}
