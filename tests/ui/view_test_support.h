#pragma once
// Helpers shared by the window-level tests.

#include <QImage>

#include <map>

namespace shardsim::ui::test {

// The share of pixels that differ from the image's most common colour: near 0 for an empty view,
// well above it when something was drawn.
inline double contentFraction(const QImage& source)
{
    const QImage image = source.convertToFormat(QImage::Format_RGB32);
    std::map<QRgb, qint64> counts;
    for (int y = 0; y < image.height(); ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x)
            ++counts[line[x]];
    }
    qint64 background = 0;
    for (const auto& [colour, count] : counts)
        background = std::max(background, count);
    const qint64 total = qint64(image.width()) * image.height();
    return total > 0 ? 1.0 - double(background) / double(total) : 0.0;
}

} // namespace shardsim::ui::test
