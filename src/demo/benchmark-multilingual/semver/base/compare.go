package semver

import "strings"

// Compare returns -1, 0 or 1 as a is lower than, equal to or higher than b. Build metadata
// does not take part in precedence.
func Compare(a, b Version) int {
	if c := compareNum(a.Major, b.Major); c != 0 {
		return c
	}
	if c := compareNum(a.Minor, b.Minor); c != 0 {
		return c
	}
	if c := compareNum(a.Patch, b.Patch); c != 0 {
		return c
	}
	return comparePrerelease(a.Prerelease, b.Prerelease)
}

// Less reports whether a has lower precedence than b.
func Less(a, b Version) bool { return Compare(a, b) < 0 }

func compareNum(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// A version without prerelease identifiers ranks above any prerelease of it; otherwise the
// identifiers are compared one by one.
func comparePrerelease(a, b []string) int {
	if len(a) == 0 || len(b) == 0 {
		return compareNum(uint64(len(b)), uint64(len(a)))
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := strings.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return compareNum(uint64(len(a)), uint64(len(b)))
}
