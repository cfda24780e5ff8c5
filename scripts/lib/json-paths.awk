# Flattens JSON into one line per scalar: `PATH VALUE`, PATH as in `nodes[0].p99_latency_ms` or
# `queries[2].rows_read_per_call`, VALUE as written (strings keep their quotes and escapes). Enough to read
# shardsim's own output with nothing but awk: a token never spans a line in JSON, so each line is
# tokenised on its own while the nesting carries over.
#   awk -f scripts/lib/json-paths.awk summary.json
BEGIN { depth = 0 }

function component(d) { return kind[d] == "a" ? "[" index_[d] "]" : (d == 1 ? "" : ".") key[d] }

function path(d, p) {
  p = ""
  for (d = 1; d <= depth; d++) p = p component(d)
  return p
}

function scalar(value) {
  if (depth > 0 && kind[depth] == "o" && expect_key) { key[depth] = value; expect_key = 0; return }
  print path() " " value
}

{
  line = $0
  while (length(line) > 0) {
    c = substr(line, 1, 1)
    if (c == "{") { kind[++depth] = "o"; expect_key = 1; line = substr(line, 2) }
    else if (c == "[") { kind[++depth] = "a"; index_[depth] = 0; line = substr(line, 2) }
    else if (c == "}" || c == "]") { depth--; expect_key = 0; line = substr(line, 2) }
    else if (c == ",") {
      if (kind[depth] == "a") index_[depth]++; else expect_key = 1
      line = substr(line, 2)
    } else if (c == "\"") {
      if (!match(line, /^"([^"\\]|\\.)*"/)) { print "json-paths: unterminated string at line " NR > "/dev/stderr"; exit 2 }
      token = substr(line, 1, RLENGTH)
      line = substr(line, RLENGTH + 1)
      scalar(expect_key ? substr(token, 2, length(token) - 2) : token)
    } else if (match(line, /^[-+0-9.eEa-z]+/)) {
      token = substr(line, 1, RLENGTH)
      line = substr(line, RLENGTH + 1)
      scalar(token)
    } else line = substr(line, 2) # blanks and ':'
  }
}
