# Rego v0 syntax, as older conftest policies are written.
package main

deny[msg] {
	highs := [f | f := input.findings[_]; f.severity == "high"]
	count(highs) > 10
	msg := sprintf("%d high findings (at most 10 allowed)", [count(highs)])
}

warn[msg] {
	f := input.findings[_]
	f.kind == "lint"
	startswith(f.id, "DL3")
	msg := sprintf("Dockerfile: %s %s", [f.id, f.title])
}
