#include "charts/color_scales.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace shardsim::ui {

namespace {
    struct Stop {
        double at;
        QColor color;
    };

    template <size_t N> QColor interpolate(const std::array<Stop, N>& stops, double x)
    {
        x = std::clamp(x, stops.front().at, stops.back().at);
        for (size_t i = 1; i < N; ++i) {
            if (x <= stops[i].at) {
                const Stop& a = stops[i - 1];
                const Stop& b = stops[i];
                const double t = (x - a.at) / std::max(1e-12, b.at - a.at);
                return QColor::fromRgbF(static_cast<float>(a.color.redF() + t * (b.color.redF() - a.color.redF())),
                    static_cast<float>(a.color.greenF() + t * (b.color.greenF() - a.color.greenF())),
                    static_cast<float>(a.color.blueF() + t * (b.color.blueF() - a.color.blueF())));
            }
        }
        return stops.back().color;
    }
}

QColor utilizationColor(double utilization)
{
    // Calm blue-green while there is headroom, amber past the usual 70% planning limit, red at capacity.
    static const std::array<Stop, 6> stops { {
        { 0.0, QColor(0xd8, 0xee, 0xe6) },
        { 0.35, QColor(0x6c, 0xc0, 0xa0) },
        { 0.6, QColor(0xe8, 0xd0, 0x5a) },
        { 0.8, QColor(0xf0, 0x8c, 0x3c) },
        { 1.0, QColor(0xd6, 0x3a, 0x2f) },
        { 1.5, QColor(0x7a, 0x10, 0x1c) },
    } };
    return interpolate(stops, std::isfinite(utilization) ? utilization : 0.0);
}

QColor heatColor(double intensity)
{
    // A perceptually ordered dark-violet to pale-yellow ramp, in the spirit of the "inferno" map.
    static const std::array<Stop, 6> stops { {
        { 0.0, QColor(0x0d, 0x08, 0x29) },
        { 0.2, QColor(0x42, 0x0a, 0x68) },
        { 0.4, QColor(0x93, 0x26, 0x67) },
        { 0.6, QColor(0xdd, 0x51, 0x3a) },
        { 0.8, QColor(0xfc, 0xa5, 0x0a) },
        { 1.0, QColor(0xfc, 0xff, 0xa4) },
    } };
    return interpolate(stops, std::isfinite(intensity) ? intensity : 0.0);
}

QColor textColorOn(const QColor& background)
{
    const double luminance = 0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF();
    return luminance > 0.5 ? QColor(0x1a, 0x1a, 0x1a) : QColor(0xf5, 0xf5, 0xf5);
}

} // namespace shardsim::ui
