#pragma once
// The t at which a decreasing tail P(T > t) falls to `target`, inside a bracket [low, high] that holds it: Newton's
// method where its step stays inside the bracket, else false position on the bracket (Illinois variant, so that a
// steep side cannot stall it), else bisection; to a relative 1e-10 in t or in the tail.

#include <cmath>

namespace shardsim::engine {

// `tail(t, &density)` returns P(T > t) (any positive scale: `target` is on the same scale) and sets its density.
template <typename Tail> double solveTail(const Tail& tail, double target, double low, double high, double guess)
{
    double t = guess > low && guess < high ? guess : 0.5 * (low + high);
    double lowExcess = NAN; // tail - target at the bracket's ends, once evaluated there
    double highExcess = NAN;
    int side = 0; // which end moved last: +1 low, -1 high
    for (int iteration = 0; iteration < 200; ++iteration) {
        double density = 0;
        const double excess = tail(t, &density) - target;
        if (std::fabs(excess) <= 1e-10 * target)
            return t;
        if (excess > 0) {
            low = t;
            lowExcess = excess;
            if (side == 1)
                highExcess *= 0.5; // the other end stayed twice: Illinois
            side = 1;
        } else {
            high = t;
            highExcess = excess;
            if (side == -1)
                lowExcess *= 0.5;
            side = -1;
        }
        if (high - low <= 1e-10 * high)
            return t;
        const double newton = density > 0 ? t + excess / density : -1;
        if (newton > low && newton < high) {
            t = newton;
            continue;
        }
        const double secant = lowExcess > 0 && highExcess < 0
            ? low + lowExcess / (lowExcess - highExcess) * (high - low)
            : -1;
        t = secant > low && secant < high ? secant : 0.5 * (low + high);
    }
    return t;
}

} // namespace shardsim::engine
