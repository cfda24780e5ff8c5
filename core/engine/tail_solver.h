#pragma once
// The t at which a decreasing tail P(T > t) falls to `target`, inside a bracket [low, high] that holds it: Newton's
// method where its step stays inside the bracket, bisection otherwise, to a relative 1e-10 in t or in the tail.

#include <cmath>

namespace shardsim::engine {

// `tail(t, &density)` returns P(T > t) (any positive scale: `target` is on the same scale) and sets its density.
template <typename Tail> double solveTail(const Tail& tail, double target, double low, double high, double guess)
{
    double t = guess > low && guess < high ? guess : 0.5 * (low + high);
    for (int iteration = 0; iteration < 200; ++iteration) {
        double density = 0;
        const double excess = tail(t, &density) - target;
        if (std::fabs(excess) <= 1e-10 * target)
            return t;
        if (excess > 0)
            low = t;
        else
            high = t;
        if (high - low <= 1e-10 * high)
            return t;
        const double newton = density > 0 ? t + excess / density : -1;
        t = newton > low && newton < high ? newton : 0.5 * (low + high);
    }
    return t;
}

} // namespace shardsim::engine
