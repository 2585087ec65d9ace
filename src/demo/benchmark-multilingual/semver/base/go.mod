module github.com/swerl-demo/semver

go 1.19
