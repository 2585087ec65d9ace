// Package semver parses and compares semantic versions (https://semver.org).
package semver

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a parsed semantic version.
type Version struct {
	Major, Minor, Patch uint64
	// Prerelease holds the dot-separated identifiers after "-", e.g. ["rc", "1"].
	Prerelease []string
	// Build holds the dot-separated build metadata after "+".
	Build []string
}

// ParseError describes a version string that is not a semantic version.
type ParseError struct {
	Input  string
	Reason string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("semver: invalid version %q: %s", e.Input, e.Reason)
}

// Parse reads a version such as "1.2.3", "v1.2.3", "1.2.3-beta.2" or "1.2.3+build.7".
func Parse(s string) (Version, error) {
	var v Version
	rest := strings.TrimPrefix(strings.TrimSpace(s), "v")
	// Build metadata comes last and may itself contain "-", so it is split off first.
	if i := strings.IndexByte(rest, '+'); i >= 0 {
		build := rest[i+1:]
		rest = rest[:i]
		ids, err := identifiers(s, build, "build metadata")
		if err != nil {
			return Version{}, err
		}
		v.Build = ids
	}
	if i := strings.IndexByte(rest, '-'); i >= 0 {
		pre := rest[i+1:]
		rest = rest[:i]
		ids, err := identifiers(s, pre, "prerelease")
		if err != nil {
			return Version{}, err
		}
		v.Prerelease = ids
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 3 {
		return Version{}, &ParseError{s, "want MAJOR.MINOR.PATCH"}
	}
	nums := [3]*uint64{&v.Major, &v.Minor, &v.Patch}
	for i, p := range parts {
		n, err := number(p)
		if err != nil {
			return Version{}, &ParseError{s, err.Error()}
		}
		*nums[i] = n
	}
	return v, nil
}

// MustParse is Parse for constants: it panics on an invalid version.
func MustParse(s string) Version {
	v, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

func identifiers(input, list, what string) ([]string, error) {
	ids := strings.Split(list, ".")
	for _, id := range ids {
		if id == "" {
			return nil, &ParseError{input, "empty " + what + " identifier"}
		}
		for _, r := range id {
			if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return nil, &ParseError{input, fmt.Sprintf("invalid character %q in %s", r, what)}
			}
		}
	}
	return ids, nil
}

func number(s string) (uint64, error) {
	if s == "" {
		return 0, fmt.Errorf("empty number")
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, fmt.Errorf("leading zero in %q", s)
	}
	return strconv.ParseUint(s, 10, 64)
}

// String formats v back into its canonical form (without a "v" prefix).
func (v Version) String() string {
	s := fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
	if len(v.Prerelease) > 0 {
		s += "-" + strings.Join(v.Prerelease, ".")
	}
	if len(v.Build) > 0 {
		s += "+" + strings.Join(v.Build, ".")
	}
	return s
}
