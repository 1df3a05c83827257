# conftest-style policy over the dockguard JSON report (docs/json-report.md).
# deny → FAIL, warn → WARN; Rego v1 syntax.
package main

import rego.v1

# Critical vulnerabilities that have a fix fail the build.
deny contains msg if {
	some f in input.findings
	f.kind == "vulnerability"
	f.severity == "critical"
	count(f.fix.fixed_versions) > 0
	msg := sprintf("%s in %s %s: upgrade to %s", [f.id, f.package.name, f.package.version, f.fix.fixed_versions[0]])
}

# Any secret fails the build.
deny contains msg if {
	some f in input.findings
	f.kind == "secret"
	msg := sprintf("secret %s at %s", [f.id, object.get(f.location, "path", "an image layer")])
}

# Unfixed critical ones only warn: nothing to upgrade to yet.
warn contains msg if {
	some f in input.findings
	f.kind == "vulnerability"
	f.severity == "critical"
	not f.fix
	msg := sprintf("%s in %s has no fix yet", [f.id, f.package.name])
}
