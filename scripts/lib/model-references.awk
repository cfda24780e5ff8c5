# The closed forms and published figures shardsim is checked against (docs/validation.md), written
# from their sources and never from shardsim's code. scripts/validate-model picks one with -v ref=NAME
# and passes its parameters as -v variables; the value is printed with 17 significant digits.
#   awk -f scripts/lib/model-references.awk -v ref=mmc-quantile -v q=0.99 -v c=10 -v S=1 -v lambda=8
BEGIN {
  if (ref == "mmc-quantile") value = mmc_quantile(q, c, S, lambda)
  else if (ref == "zipf-share") value = zipf_share(first, last, n, theta)
  else if (ref == "ring-cv") value = sqrt((N - 1) / (N * V + 1))
  else if (ref == "ring-cv-sd") value = ring_cv_sd(N, V)
  else if (ref == "moved-sd") value = sqrt(p * (1 - p) / keys)
  else if (ref == "maglev-balance") value = ceiling(M / N) * N / M
  else if (ref == "primes") { print primes_from(from, count); exit }
  else if (ref == "maglev-disruption") value = maglev_disruption(N, tables, rounds, seed)
  else if (ref == "bounded-cap") value = ceiling(c * K / N) * N / K
  else if (ref == "page-rows") value = S * (offset + limit)
  else if (ref == "two-pc") value = 1 - S ^ (1 - k)
  else if (ref == "fanout") value = S * (1 - (1 - 1 / S) ^ k)
  else if (ref == "double-11-total") value = double11_total(B, P, at, ramp, hold, decay, T)
  else { print "model-references.awk: unknown reference '" ref "'" > "/dev/stderr"; exit 2 }
  if (ref == "maglev-disruption") printf "%.17g %.17g\n", value, sd_
  else printf "%.17g\n", value
}

function ceiling(x) { return x == int(x) ? x : int(x) + 1 }

# Erlang's C formula, the probability that an arrival waits in M/M/c with offered load a = lambda S
# Erlangs, through the Erlang B recursion B(k) = a B(k-1) / (k + a B(k-1)) (Kleinrock 1975, §3.5).
function erlang_c(c, a,   k, b) {
  b = 1
  for (k = 1; k <= c; k++) b = a * b / (k + a * b)
  return c * b / (c - a * (1 - b))
}

# P(T > t) for the M/M/c response time T = W + service: W is 0 with probability 1 - C and Exp(c mu -
# lambda) otherwise, the service Exp(mu); the sum of the two exponentials is hypoexponential.
function mmc_tail(t, c, mu, lambda, C,   theta, both) {
  theta = c * mu - lambda
  if (theta == mu) both = (1 + mu * t) * exp(-mu * t)
  else both = (mu * exp(-theta * t) - theta * exp(-mu * t)) / (mu - theta)
  return (1 - C) * exp(-mu * t) + C * both
}

# The q-quantile of T by bisection on its tail (a monotone function), to the last bit of a double.
function mmc_quantile(q, c, S, lambda,   mu, C, lo, hi, mid, i) {
  mu = 1 / S
  C = erlang_c(c, lambda * S)
  lo = 0
  hi = S
  while (mmc_tail(hi, c, mu, lambda, C) > 1 - q) hi *= 2
  for (i = 0; i < 200; i++) {
    mid = (lo + hi) / 2
    if (mmc_tail(mid, c, mu, lambda, C) > 1 - q) lo = mid; else hi = mid
  }
  return (lo + hi) / 2
}

# Zipf: P(k) = k^-theta / H(n, theta). Summed term by term, smallest first, so the tail's many small
# terms are not lost against the head.
function zipf_share(first, last, n, theta,   k, h, part) {
  h = 0
  part = 0
  for (k = n; k >= 1; k--) {
    h += k ^ -theta
    if (k == last) part = 0
    if (k >= first && k <= last) part += k ^ -theta
  }
  return part / h
}

# The sample cv of N ring shares has E[cv^2] = (N-1)/(NV+1): each share is a sum of V of the N V spacings
# of uniform points, Beta(V, (N-1)V). Its spread: cv^2 averages N squared deviations whose kurtosis is
# about that of a Gamma(V), 3 + 6/V, so sd(cv^2)/cv^2 ~ sqrt((2 + 6/V)/N) and sd(cv)/cv half of it.
function ring_cv_sd(N, V) { return sqrt((N - 1) / (N * V + 1)) * sqrt((2 + 6 / V) / N) / 2 }

# The COUNT smallest primes from FROM, space-separated (Maglev's table sizes must be prime).
function primes_from(from, count,   list, n, d, prime) {
  list = ""
  for (n = from; count > 0; n++) {
    prime = n > 1
    for (d = 2; prime && d * d <= n; d++) if (n % d == 0) prime = 0
    if (prime) { list = list (list == "" ? "" : " ") n; count-- }
  }
  return list
}

# Maglev's population procedure (Eisenbud et al. 2016, Pseudocode 1) with each backend's offset and skip
# drawn uniformly (the paper's two independent hashes), N backends and then N + 1, on each table size of
# TABLES (space-separated primes) ROUNDS times; the fraction of entries that change between backends
# present in both tables: its mean over those tables, and in sd_ its standard deviation from table to table.
function maglev_disruption(N, tables, rounds, seed,   sizes, count, t, M, i, e, moved, f, s, ss, mean) {
  random_ = seed
  count = split(tables, sizes, " ")
  for (t = 0; t < count * rounds; t++) {
    M = sizes[t % count + 1]
    for (i = 0; i <= N; i++) {
      offset_[i] = int(uniform() * M)
      skip_[i] = 1 + int(uniform() * (M - 1))
    }
    maglev_populate(N, M)
    for (e = 0; e < M; e++) before_[e] = table_[e]
    maglev_populate(N + 1, M)
    moved = 0
    for (e = 0; e < M; e++) if (table_[e] != before_[e] && table_[e] != N) moved++
    f = moved / M
    s += f
    ss += f * f
  }
  mean = s / t
  sd_ = sqrt((ss - t * mean * mean) / (t - 1))
  return mean
}

# Park and Miller's minimal standard generator (CACM 31(10), 1988): the same draws under any awk, whose
# rand() differs from one implementation to another; its products stay below 2^53, exact in a double.
function uniform() {
  random_ = (random_ * 16807) % 2147483647
  return random_ / 2147483647
}

function maglev_populate(n, M,   e, i, c, filled) {
  for (e = 0; e < M; e++) table_[e] = -1
  for (i = 0; i < n; i++) next_[i] = offset_[i]
  filled = 0
  while (1) {
    for (i = 0; i < n; i++) {
      c = next_[i]
      while (table_[c] >= 0) { c += skip_[i]; if (c >= M) c -= M }
      table_[c] = i
      c += skip_[i]; if (c >= M) c -= M
      next_[i] = c
      if (++filled == M) return
    }
  }
}

# Requests of a Double-11 curve over [0, T): the base B for the whole run plus the extra (P - 1) B of the
# linear ramp (half of it), the plateau and the exponential decay from e = at + ramp + hold to T.
function double11_total(B, P, at, ramp, hold, decay, T) {
  return B * T + (P - 1) * B * (ramp / 2 + hold + decay * (1 - exp(-(T - at - ramp - hold) / decay)))
}
