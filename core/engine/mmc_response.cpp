#include "engine/mmc_response.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/special_functions/gamma.hpp>

#include "engine/tail_solver.h"

namespace shardsim::engine {

namespace {

    using namespace boost::math::policies;
    // Results that leave the double range come back as 0 or infinity; the callers handle both.
    using Quiet = policy<domain_error<ignore_error>, pole_error<ignore_error>, overflow_error<ignore_error>,
        evaluation_error<ignore_error>>;

    const double kMinusInfinity = -std::numeric_limits<double>::infinity();

    // (1 - e^(-x s)) / x, the integral of e^(-x w) over [0, s]; s at x = 0.
    double span(double x, double s)
    {
        const double xs = x * s;
        return std::fabs(xs) < 1e-12 ? s * (1 - 0.5 * xs) : -std::expm1(-xs) / x;
    }

    // e^-x for x >= 0, with 0 far out: libm's underflow path costs many times a plain exp.
    double decay(double x) { return x > 700 ? 0.0 : std::exp(-x); }

    // log of the integral of e^(-x w) over [0, s] for any sign of x, without overflow.
    double logSpan(double x, double s)
    {
        if (!(s > 0))
            return kMinusInfinity;
        return x >= 0 ? std::log(span(x, s)) : -x * s + std::log(span(-x, s));
    }

} // namespace

double erlangB(double servers, double load)
{
    if (!(load > 0))
        return 0;
    // a^c e^-a / Gamma(c + 1) over Gamma(c + 1, a) / Gamma(c + 1): both regularised, so no huge factorials meet.
    const double density = boost::math::gamma_p_derivative(servers + 1, load, Quiet());
    const double upper = boost::math::gamma_q(servers + 1, load, Quiet());
    const double b = density / upper;
    // Far beyond c both parts leave the double range (or Boost gives up on them); there B is 1 - c / a to first order.
    if (load > servers && !(b > 0 && b <= 1))
        return std::clamp(1 - servers / load, 0.0, 1.0);
    return std::isfinite(b) ? std::clamp(b, 0.0, 1.0) : 0.0;
}

double erlangC(double servers, double rho)
{
    if (rho >= 1)
        return 1;
    const double b = erlangB(servers, servers * rho);
    return b / (1 - rho * (1 - b));
}

double MmcResponse::waitProbabilityOf(double servers, double blocking, double mu, double theta, double room)
{
    if (!(blocking > 0) || !(room > 0))
        return 0;
    const double g = servers * mu * std::exp(logSpan(theta, room)); // may be infinite far above rho = 1
    return 1 / (1 + (1 - blocking) / (blocking * g));
}

MmcResponse MmcResponse::at(double servers, double service, double rho, double room, double blocking)
{
    MmcResponse out;
    out.mu = 1 / service;
    out.theta = servers * out.mu * (1 - rho);
    out.room = std::max(0.0, room);
    const double b = blocking >= 0 ? blocking : erlangB(servers, servers * rho);
    if (out.theta > 0 && out.theta * out.room > 1e-3) {
        // Below saturation (every tick of a node without overload): one expm1 serves P and the tail's constants.
        const double fits = -std::expm1(-out.theta * out.room); // 1 - e^(-theta room)
        out.thetaRoomDecay = 1 - fits;
        out.waitDensityScale = out.theta / fits;
        const double g = servers * out.mu / out.waitDensityScale;
        out.waitProbability = b > 0 ? 1 / (1 + (1 - b) / (b * g)) : 0;
        return out;
    }
    out.waitProbability = waitProbabilityOf(servers, b, out.mu, out.theta, out.room);
    return out;
}

double MmcResponse::tail(double t, double* density) const
{
    return tail(t, t > 0 ? decay(mu * t) : 1.0, density);
}

double MmcResponse::tail(double t, double service, double* density) const
{
    if (t <= 0) {
        if (density)
            *density = mu * (1 - waitProbability); // the wait's part starts at 0
        return 1;
    }
    double waitTail = 0;
    double convolved = 0; // I(t)
    if (waitProbability > 0 && waitDensityScale > 0) {
        // Below saturation, with two exponentials: I(t) = k (e^-theta u e^-mu (t - u) - e^-mu t) / (mu - theta),
        // k = theta / (1 - e^-theta room), u = min(t, room); (mu - theta) u small takes the limit's first terms.
        const double u = std::min(t, room);
        const double wait = decay(theta * u);
        const double x = (mu - theta) * u;
        const double waited = t > room ? wait * decay(mu * (t - room)) : wait;
        convolved = std::fabs(x) < 1e-6 ? waitDensityScale * service * u * (1 + 0.5 * x)
                                        : waitDensityScale * (waited - service) / (mu - theta);
        if (t < room)
            waitTail = (wait - thetaRoomDecay) * (waitDensityScale / theta);
    } else if (waitProbability > 0) {
        // Everything else (theta <= 0 at and above saturation, or a wait nearly flat over the room) in
        // logarithms.
        const double norm = logSpan(theta, room);
        const double u = std::min(t, room);
        convolved = std::exp(-mu * t + logSpan(theta - mu, u) - norm);
        if (t < room)
            waitTail = std::exp(logSpan(theta, room - t) - theta * t - norm);
    }
    if (density)
        *density = mu * ((1 - waitProbability) * service + waitProbability * convolved);
    return (1 - waitProbability) * service + waitProbability * (waitTail + convolved);
}

double MmcResponse::mean() const
{
    double wait = 0; // E[W | W > 0]
    const double x = theta * room;
    if (std::fabs(x) < 1e-6)
        wait = room / 2 - theta * room * room / 12;
    else
        wait = 1 / theta - room / std::expm1(x);
    return 1 / mu + waitProbability * wait;
}

double MmcResponse::quantile(double q, double guess) const
{
    if (!(waitProbability > 0))
        return std::log(1 / (1 - q)) / mu; // no wait (a full queue leaves no room): the service time's quantile
    // W <= room, so Y's q-quantile is at most room plus X's.
    const double high = room + std::log(1 / (1 - q)) / mu;
    return solveTail([this](double t, double* density) { return tail(t, density); }, 1 - q, 0, high, guess);
}

} // namespace shardsim::engine
