# The Rego library of the built-in rules: helpers written once and imported
# (`import data.archaudit.lib`, then `lib.grouped(...)`). Not a rule: it has no
# `deny`, and the engine loads it beside the rules and into each rule's RVM
# program (src/engine/vm.rs).
package archaudit.lib

import rego.v1

# {key: {values}} of a set of [key, value] pairs, built once per evaluation: an
# index by key in a form regorus's RVM evaluates (a keyed multi-value rule,
# `index[k] contains v`, it evaluates as a plain set). Sorted, the pairs of one key
# are adjacent, so each key's values are one slice (n log n, not n^2).
grouped(pairs) := {sorted[s][0]: values |
	some j, s in starts
	values := {p[1] | some p in array.slice(sorted, s, group_end(sorted, starts, j))}
} if {
	sorted := sort(pairs)
	starts := [i | some i, _ in sorted; first_of_key(sorted, i)]
}

first_of_key(_, i) if i == 0

first_of_key(sorted, i) if {
	i > 0
	sorted[i - 1][0] != sorted[i][0]
}

group_end(_, starts, j) := starts[j + 1] if j + 1 < count(starts)

group_end(sorted, starts, j) := count(sorted) if j + 1 == count(starts)
