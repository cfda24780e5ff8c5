#include "charts/series_legend.h"

#include <QPainter>

#include <algorithm>

namespace shardsim::ui {

namespace {
    constexpr int kSample = 28; // px of line drawn before a name
    constexpr int kGap = 6; // px between the sample and its name
    constexpr int kSpacing = 16; // px between entries in a row
    constexpr int kMargin = 4;
}

SeriesLegend::SeriesLegend(Flow flow, QWidget* parent)
    : QWidget(parent)
    , m_flow(flow)
{
    setObjectName(QStringLiteral("seriesLegend"));
    setSizePolicy(flow == Flow::Rows ? QSizePolicy::Preferred : QSizePolicy::Fixed, QSizePolicy::Preferred);
}

void SeriesLegend::setEntries(const std::vector<SeriesSpec>& series)
{
    m_entries.clear();
    for (const SeriesSpec& spec : series)
        m_entries.push_back(SeriesSpec { spec.name, spec.color, {}, spec.width, spec.style, spec.rightAxis });
    updateGeometry();
    update();
}

QStringList SeriesLegend::names() const
{
    QStringList names;
    for (const SeriesSpec& entry : m_entries)
        names.append(entry.name);
    return names;
}

int SeriesLegend::entryWidth(const SeriesSpec& entry) const
{
    return kSample + kGap + fontMetrics().horizontalAdvance(entry.name);
}

std::vector<QRect> SeriesLegend::layoutEntries(int width) const
{
    std::vector<QRect> rects;
    const int line = fontMetrics().height() + 2;
    int x = kMargin;
    int y = kMargin;
    for (const SeriesSpec& entry : m_entries) {
        const int w = entryWidth(entry);
        if (m_flow == Flow::Rows && x > kMargin && x + w > width - kMargin) {
            x = kMargin;
            y += line;
        }
        rects.emplace_back(x, y, w, line);
        if (m_flow == Flow::Rows)
            x += w + kSpacing;
        else
            y += line;
    }
    return rects;
}

QSize SeriesLegend::sizeHint() const
{
    if (m_entries.empty())
        return QSize(0, 0);
    if (m_flow == Flow::Column) {
        int widest = 0;
        for (const SeriesSpec& entry : m_entries)
            widest = std::max(widest, entryWidth(entry));
        return QSize(widest + 2 * kMargin, layoutEntries(widest).back().bottom() + kMargin);
    }
    const int width = std::max(200, this->width());
    return QSize(width, heightForWidth(width));
}

int SeriesLegend::heightForWidth(int width) const
{
    if (m_entries.empty())
        return 0;
    return layoutEntries(width).back().bottom() + kMargin;
}

void SeriesLegend::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const std::vector<QRect> rects = layoutEntries(width());
    for (size_t i = 0; i < m_entries.size(); ++i) {
        const SeriesSpec& entry = m_entries[i];
        const QRect& rect = rects[i];
        QPen pen(entry.color);
        pen.setWidthF(std::max<qreal>(1.5, entry.width));
        pen.setStyle(entry.style);
        pen.setCapStyle(Qt::FlatCap);
        painter.setPen(pen);
        const int middle = rect.center().y();
        painter.drawLine(rect.left(), middle, rect.left() + kSample, middle);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(QRect(rect.left() + kSample + kGap, rect.top(), rect.width() - kSample - kGap, rect.height()),
            Qt::AlignVCenter | Qt::AlignLeft, entry.name);
    }
}

} // namespace shardsim::ui
