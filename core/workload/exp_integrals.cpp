#include "shardsim/workload/exp_integrals.h"

#include <cmath>
#include <complex>

namespace shardsim::workload {

namespace {

    // The integral of s * exp(x * s) ds over [0, 1] = (x e^x - (e^x - 1)) / x^2. The closed form loses
    // every digit as x -> 0 (it subtracts two numbers close to 1), so small |x| uses its Taylor series
    // sum_k x^k / (k! (k + 2)); at |x| = 0.25 eighteen terms are far below one rounding error.
    double rampMoment(double x)
    {
        if (std::fabs(x) < 0.25) {
            double term = 1; // x^k / k!
            double sum = 0.5;
            for (int k = 1; k <= 18; ++k) {
                term *= x / k;
                sum += term / (k + 2);
            }
            return sum;
        }
        return (x * std::exp(x) - std::expm1(x)) / (x * x);
    }

} // namespace

double expm1OverX(double x)
{
    if (std::fabs(x) < 1e-5)
        return 1 + x / 2 + x * x / 6;
    return std::expm1(x) / x;
}

double integrateExp(double lambda, double t0, double t1)
{
    const double width = t1 - t0;
    if (lambda == 0)
        return width;
    return std::exp(lambda * t0) * width * expm1OverX(lambda * width);
}

double integrateLineExp(double lambda, double t0, double t1, double r0, double r1)
{
    // With s = (t - t0) / width: width * e^(lambda t0) * integral of (r0 + (r1 - r0) s) e^(x s) ds, x = lambda width.
    const double width = t1 - t0;
    if (lambda == 0)
        return width * (r0 + r1) / 2;
    const double x = lambda * width;
    return width * std::exp(lambda * t0) * (r0 * expm1OverX(x) + (r1 - r0) * rampMoment(x));
}

double integrateCosExp(double lambda, double omega, double phase0, double t0, double t1)
{
    // Re of e^(lambda t0 + i phase0) * (e^(z w) - 1) / z with z = lambda + i omega, w = t1 - t0. The real part
    // of e^(z w) - 1 is written as expm1(lambda w) cos(omega w) - 2 sin^2(omega w / 2) so that short
    // intervals do not cancel.
    const double width = t1 - t0;
    const double growth = lambda == 0 ? 0 : std::expm1(lambda * width);
    const double halfSin = std::sin(omega * width / 2);
    const std::complex<double> delta(
        growth * std::cos(omega * width) - 2 * halfSin * halfSin, (1 + growth) * std::sin(omega * width));
    const std::complex<double> start = std::exp(lambda * t0) * std::polar(1.0, phase0);
    return (start * delta / std::complex<double>(lambda, omega)).real();
}

} // namespace shardsim::workload
