#include "views/key_candidate_card.h"

#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "charts/color_scales.h"
#include "views/share_bar.h"

namespace shardsim::ui {

namespace {
    QString text(const std::string& s) { return QString::fromStdString(s); }

    QLabel* figure(QWidget* parent, const QString& field, const QString& value)
    {
        auto* label = new QLabel(value, parent);
        label->setObjectName(field);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return label;
    }
}

KeyCandidateCard::KeyCandidateCard(const QString& table, const ShardKeyCandidate& c, QWidget* parent)
    : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    setObjectName(QStringLiteral("candidate"));

    auto* title = new QLabel(tr("<b>%1.%2</b> under <b>%3</b> (%4 shards)")
                                 .arg(table.toHtmlEscaped(), text(c.key).toHtmlEscaped(), text(c.rule).toHtmlEscaped())
                                 .arg(c.shards),
        this);
    title->setObjectName(QStringLiteral("title"));
    title->setWordWrap(true);

    // The verdict is what the user came for: larger, on a band coloured as a utilisation would be (good is calm, a
    // problem is at capacity), with the words carrying the meaning for those who cannot tell the colours apart.
    QLabel* verdict = figure(this, QStringLiteral("verdict"), text(c.verdict));
    QFont big = verdict->font();
    big.setPointSizeF(big.pointSizeF() * 1.2);
    big.setBold(true);
    verdict->setFont(big);
    const QColor band = utilizationColor(c.good ? 0.35 : 1.0);
    QPalette verdictPalette = verdict->palette();
    verdictPalette.setColor(QPalette::Window, band);
    verdictPalette.setColor(QPalette::WindowText, textColorOn(band));
    verdict->setPalette(verdictPalette);
    verdict->setAutoFillBackground(true);
    verdict->setContentsMargins(8, 6, 8, 6);

    auto* reads = new ShareBar(this);
    reads->setObjectName(QStringLiteral("reads"));
    reads->setShares(c.reads);
    auto* writes = new ShareBar(this);
    writes->setObjectName(QStringLiteral("writes"));
    writes->setShares(c.writes);
    QLabel* monotonicity = figure(this, QStringLiteral("monotonicity"),
        tr("r = %1, %2").arg(QString::number(c.monotonicity, 'f', 3), text(monotonicityType(c))));
    monotonicity->setToolTip(text(c.monotonicityHow));

    auto* grid = new QGridLayout;
    grid->setHorizontalSpacing(16);
    grid->setColumnStretch(1, 1);
    const std::pair<QString, QWidget*> rows[] = {
        { tr("Cardinality"), figure(this, QStringLiteral("cardinality"), text(formatCardinality(c.cardinality))) },
        { tr("Most common"), figure(this, QStringLiteral("most_common"), text(formatMostCommon(c))) },
        { tr("Monotonicity"), monotonicity },
        { tr("Reads"), reads },
        { tr("Writes"), writes },
        { tr("Hottest shard"),
            figure(this, QStringLiteral("hottest_shard_share"),
                tr("%1 of the requests").arg(text(formatShardKeyShare(c.hottestShardShare)))) },
    };
    int row = 0;
    for (const auto& [name, widget] : rows) {
        auto* label = new QLabel(name, this);
        label->setForegroundRole(QPalette::PlaceholderText);
        grid->addWidget(label, row, 0, Qt::AlignTop);
        grid->addWidget(widget, row++, 1);
    }

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->addWidget(title);
    layout->addWidget(verdict);
    layout->addLayout(grid);
}

QString KeyCandidateCard::fieldText(const QString& field) const
{
    if (const auto* bar = findChild<ShareBar*>(field))
        return bar->text();
    const auto* label = findChild<QLabel*>(field);
    return label ? label->text() : QString();
}

} // namespace shardsim::ui
