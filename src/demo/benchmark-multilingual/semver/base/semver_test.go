package semver

import "testing"

func TestParseRelease(t *testing.T) {
	v, err := Parse("1.12.3")
	if err != nil {
		t.Fatal(err)
	}
	if v.Major != 1 || v.Minor != 12 || v.Patch != 3 {
		t.Fatalf("got %+v", v)
	}
}

func TestParseVPrefix(t *testing.T) {
	v, err := Parse("v2.0.1")
	if err != nil || v.String() != "2.0.1" {
		t.Fatalf("got %v, %v", v, err)
	}
}

func TestParsePrerelease(t *testing.T) {
	v, err := Parse("1.0.0-rc.1")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Prerelease) != 2 || v.Prerelease[0] != "rc" || v.Prerelease[1] != "1" {
		t.Fatalf("prerelease %q", v.Prerelease)
	}
}

func TestParseErrors(t *testing.T) {
	for _, s := range []string{"", "1.2", "1.2.3.4", "01.2.3", "1.x.3", "1.2.3-", "1.2.3-a..b"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted", s)
		}
	}
}

func TestStringRoundTrip(t *testing.T) {
	for _, s := range []string{"0.0.1", "3.2.1-alpha.7"} {
		if got := MustParse(s).String(); got != s {
			t.Errorf("%s -> %s", s, got)
		}
	}
}
