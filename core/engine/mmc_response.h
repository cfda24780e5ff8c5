#pragma once
// A node as an M/M/c queue with a bounded queue (docs/engine-model.md, "Latency"): c servers, exponential service of
// mean S (rate mu = 1/S each), Poisson arrivals at utilisation rho, and a queue that holds at most `room` seconds of
// waiting.
//
// Erlang B for fractional c is the continuous extension through the incomplete gamma function,
//   B(c, a) = a^c e^-a / Gamma(c + 1, a),   a = c rho (offered Erlangs),
// which equals the textbook recurrence at integer c. Erlang C is C = B / (1 - rho (1 - B)).
//
// A served request waits W, then is served for X ~ Exp(mu). Without a bound on the queue, W = 0 with probability
// 1 - C and is otherwise Exp(theta), theta = c mu - lambda = c mu (1 - rho). The bounded queue keeps the states
// whose wait fits in `room` (M/M/c/K's stationary law in continuous form), so for every rho >= 0:
//   P(W > 0) = P = B G / (1 - B + B G),   G = c mu (1 - e^(-theta room)) / theta   (c mu room at theta = 0),
//   W | W > 0 has density theta e^(-theta w) / (1 - e^(-theta room)) on [0, room]
// (growing towards `room` above rho = 1: an overloaded queue is full). G -> 1 / (1 - rho) and P -> C as room grows.
// The response time Y = W + X then has, with u = min(t, room),
//   P(Y > t) = (1 - P) e^(-mu t) + P [ P(W > t | W > 0) + I(t) ],
//   I(t) = theta / (1 - e^(-theta room)) e^(-mu t) (e^((mu - theta) u) - 1) / (mu - theta)   (u when theta = mu),
// and density mu [(1 - P) e^(-mu t) + P I(t)]. Every term is evaluated in logarithms, so it stays finite for any
// sign and size of theta.

namespace shardsim::engine {

// Erlang B for `servers` > 0 (may be fractional) and an offered load of `load` Erlangs (>= 0).
double erlangB(double servers, double load);
// Erlang C: the probability that an arrival waits, at utilisation rho < 1; 1 from rho = 1 on.
double erlangC(double servers, double rho);

struct MmcResponse {
    double mu = 1000; // 1/s, one server's service rate 1/S
    double waitProbability = 0; // P
    double theta = 0; // 1/s, c mu (1 - rho); negative above rho = 1
    double room = 1; // s, the longest wait
    // For the common case theta > 0 (below saturation), set by at(): e^(-theta room) and theta / (1 - e^(-theta
    // room)); 0 otherwise.
    double thetaRoomDecay = 0;
    double waitDensityScale = 0;

    // The response of a node with `servers` servers of mean service time `service` s at utilisation rho, with
    // `room` s of queue left. `blocking`, when given (>= 0), is Erlang B at (servers, servers rho).
    static MmcResponse at(double servers, double service, double rho, double room, double blocking = -1);
    // P from Erlang B and the rest of the fields.
    static double waitProbabilityOf(double servers, double blocking, double mu, double theta, double room);

    double tail(double t, double* density = nullptr) const; // P(Y > t), t in s
    // The same with e^(-mu t) given: a mixture of nodes sharing mu computes it once per t.
    double tail(double t, double service, double* density) const;
    double mean() const; // s
    // The q-quantile (0 < q < 1), s, solved to 1e-10 relative; `guess` only speeds up the search.
    double quantile(double q, double guess = 0) const;
};

} // namespace shardsim::engine
