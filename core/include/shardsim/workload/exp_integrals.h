#pragma once
// Integrals of simple curves times an exponential, in forms that stay accurate when the exponent is tiny
// (a growth of 50%/year is lambda = 1.3e-8 /s) and when the interval is short next to its distance from 0.

namespace shardsim::workload {

// expm1(x) / x, with its limit 1 at x = 0.
double expm1OverX(double x);

// The integral of exp(lambda * t) dt over [t0, t1].
double integrateExp(double lambda, double t0, double t1);

// The integral over [t0, t1] of (r0 + (r1 - r0) * (t - t0) / (t1 - t0)) * exp(lambda * t) dt: a straight
// line from r0 at t0 to r1 at t1 under an exponential growth factor. t1 > t0.
double integrateLineExp(double lambda, double t0, double t1, double r0, double r1);

// The integral over [t0, t1] of cos(omega * (t - t0) + phase0) * exp(lambda * t) dt; phase0 is the
// angle at t0, which the caller reduces modulo 2 pi so that long runs keep full precision. omega != 0.
double integrateCosExp(double lambda, double omega, double phase0, double t0, double t1);

} // namespace shardsim::workload
